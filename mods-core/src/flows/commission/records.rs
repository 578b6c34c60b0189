//! Walking a record document's records and the references they hold, by the model.

use crate::model::{ClassDef, ClassKind, ElementType, Lookup, Model};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The member of `mods_extensions` that holds a package's header.
pub const HEADER_KEY: &str = "commission";

/// What a package says about itself, in `mods_extensions.commission`: the care plan it
/// carries, the organisation that sent it and the one it is for (record uids of records in
/// the package).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// The care plan commissioned.
    pub care_plan: String,
    /// The sending organisation (usually the local authority).
    pub sender: String,
    /// The provider the package is for, when one was named or could be told.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
}

impl Header {
    /// The header of a package document, if it has one that reads.
    pub fn of(doc: &Value) -> Option<Header> {
        let h = doc.get("mods_extensions")?.get(HEADER_KEY)?;
        serde_json::from_value(h.clone()).ok()
    }
}

/// One record of a document: its class and uid.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct RecordRef {
    /// The class technical name.
    pub class: &'static str,
    /// The record uid.
    pub record_uid: String,
}

/// A record of a document: its class, where it is (`None` for the subject of care), and
/// its uid when it has one.
pub(super) struct At<'d> {
    pub class: &'static ClassDef,
    pub index: Option<usize>,
    pub value: &'d Map<String, Value>,
}

impl At<'_> {
    /// The record uid of a versioned record (a Change log entry's `record_uid` names the
    /// record it audits, not the entry, so it has none).
    pub fn uid(&self) -> Option<&str> {
        if !self.class.versioned {
            return None;
        }
        self.value.get("record_uid").and_then(Value::as_str)
    }
}

/// Every record of the document, in document order (the subject of care where the document
/// has it). Members that are not record collections are skipped.
pub(super) fn records<'d>(model: &'static Model, doc: &'d Map<String, Value>) -> Vec<At<'d>> {
    let mut out = Vec::new();
    for (key, v) in doc {
        let Some(class) = model.class(key).filter(|c| c.kind == ClassKind::Record) else {
            continue;
        };
        match v {
            Value::Object(m) if key == "subject_of_care" => out.push(At {
                class,
                index: None,
                value: m,
            }),
            Value::Array(items) if key != "subject_of_care" => {
                for (i, item) in items.iter().enumerate() {
                    if let Value::Object(m) = item {
                        out.push(At {
                            class,
                            index: Some(i),
                            value: m,
                        });
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// The record uids an instance of `class` names (its references, components included),
/// with the element that names each.
pub(super) fn references<'v>(
    model: &'static Model,
    class: &'static ClassDef,
    instance: &'v Map<String, Value>,
    out: &mut Vec<(&'static str, &'v str)>,
) {
    for el in class.elements {
        let Some(v) = instance.get(el.technical_name) else {
            continue;
        };
        let items: &[Value] = match v {
            Value::Array(a) => a,
            other => std::slice::from_ref(other),
        };
        match (&el.lookup, el.ty) {
            (Lookup::Reference { .. }, _) => {
                out.extend(
                    items
                        .iter()
                        .filter_map(Value::as_str)
                        .map(|s| (el.technical_name, s)),
                );
            }
            (_, ElementType::Group) => {
                if let Some(c) = el.component.and_then(|c| model.class(c)) {
                    for m in items.iter().filter_map(Value::as_object) {
                        references(model, c, m, out);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Rewrite, in an instance of `class` (components included), every reference naming
/// `from` to name `to`. Returns whether anything changed.
pub(super) fn rename_references(
    model: &'static Model,
    class: &'static ClassDef,
    instance: &mut Map<String, Value>,
    from: &str,
    to: &str,
) -> bool {
    let mut changed = false;
    for el in class.elements {
        let Some(v) = instance.get_mut(el.technical_name) else {
            continue;
        };
        let items: Vec<&mut Value> = match v {
            Value::Array(a) => a.iter_mut().collect(),
            other => vec![other],
        };
        match (&el.lookup, el.ty) {
            (Lookup::Reference { .. }, _) => {
                for item in items {
                    if item.as_str() == Some(from) {
                        *item = Value::String(to.to_owned());
                        changed = true;
                    }
                }
            }
            (_, ElementType::Group) => {
                if let Some(c) = el.component.and_then(|c| model.class(c)) {
                    for item in items {
                        if let Value::Object(m) = item {
                            changed |= rename_references(model, c, m, from, to);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    changed
}

/// The code of a coding element, if it has one.
pub(super) fn code<'v>(instance: &'v Map<String, Value>, element: &str) -> Option<&'v str> {
    instance.get(element)?.get("code")?.as_str()
}

/// The string values of an element (one or repeating).
pub(super) fn strings<'v>(instance: &'v Map<String, Value>, element: &str) -> Vec<&'v str> {
    match instance.get(element) {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// An NHS number as compared: without spaces.
pub(super) fn nhs_number(doc: &Map<String, Value>) -> Option<String> {
    let n = doc
        .get("subject_of_care")?
        .get("nhs_number")?
        .as_str()?
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>();
    (!n.is_empty()).then_some(n)
}

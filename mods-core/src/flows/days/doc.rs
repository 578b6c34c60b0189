//! One record document as the comparison reads it: its instances by `record_uid`, the
//! names a reader knows them by, and the references that do not resolve.

use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;

/// Which document a finding comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Document {
    /// The record given first (the day's side, and the other side too without a second
    /// document).
    Record,
    /// The second document the other side's notes come from.
    AgainstRecord,
}

/// A reference that does not resolve inside its document, or resolves to a class the
/// element does not allow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unresolved {
    /// The document it is in.
    pub document: Document,
    /// JSON pointer of the reference.
    pub pointer: String,
    /// The `record_uid` named.
    pub reference: String,
    /// The classes the element allows.
    pub expected: Vec<&'static str>,
    /// The class the uid names when it is not one of those (`None`: no such uid).
    pub found_class: Option<String>,
}

/// One document, indexed.
pub(crate) struct Doc<'a> {
    pub document: Document,
    pub root: &'a serde_json::Map<String, Value>,
    index: HashMap<&'a str, (&'a str, String, &'a Value)>,
}

impl<'a> Doc<'a> {
    /// Index every instance with a `record_uid` (the first of a uid used twice).
    pub fn new(document: Document, root: &'a serde_json::Map<String, Value>) -> Doc<'a> {
        let mut index = HashMap::new();
        let mut add = |class: &'a str, pointer: String, v: &'a Value| {
            if let Some(uid) = v.get("record_uid").and_then(Value::as_str) {
                index.entry(uid).or_insert((class, pointer, v));
            }
        };
        for (class, v) in root {
            match v {
                Value::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        add(class, format!("/{class}/{i}"), item);
                    }
                }
                Value::Object(_) => add(class, format!("/{class}"), v),
                _ => {}
            }
        }
        Doc {
            document,
            root,
            index,
        }
    }

    /// The instances of a collection, with their JSON pointers.
    pub fn collection(&self, class: &str) -> impl Iterator<Item = (String, &'a Value)> + '_ {
        let items = match self.root.get(class) {
            Some(Value::Array(a)) => a.as_slice(),
            _ => &[],
        };
        let class = class.to_owned();
        items
            .iter()
            .enumerate()
            .map(move |(i, v)| (format!("/{class}/{i}"), v))
    }

    /// The instance a reference names (its class, pointer and value), when it is of an
    /// allowed class; otherwise the finding is pushed to `unresolved` (once per pointer).
    pub fn resolve(
        &self,
        uid: &str,
        accepts: &[&'static str],
        pointer: &str,
        unresolved: &mut Vec<Unresolved>,
    ) -> Option<(&'a str, &str, &'a Value)> {
        match self.index.get(uid) {
            Some((class, at, v)) if accepts.contains(class) => Some((class, at.as_str(), v)),
            found => {
                if !unresolved
                    .iter()
                    .any(|u| u.document == self.document && u.pointer == pointer)
                {
                    unresolved.push(Unresolved {
                        document: self.document,
                        pointer: pointer.to_owned(),
                        reference: uid.to_owned(),
                        expected: accepts.to_vec(),
                        found_class: found.map(|(c, _, _)| (*c).to_owned()),
                    });
                }
                None
            }
        }
    }
}

/// The text of a coding's display, or its code.
pub(crate) fn coding_text(v: &Value) -> Option<String> {
    let display = v.get("display").and_then(Value::as_str);
    let code = v.get("code").and_then(Value::as_str);
    display.or(code).map(str::to_owned)
}

/// A person's name as a reader says it: title, given names, family name.
fn person_name(v: &Value) -> Option<String> {
    let n = match v {
        Value::Array(a) => a.first()?,
        other => other,
    };
    let mut parts: Vec<&str> = Vec::new();
    if let Some(t) = n.get("title").and_then(Value::as_str) {
        parts.push(t);
    }
    if let Some(Value::Array(g)) = n.get("given_name") {
        parts.extend(g.iter().take(1).filter_map(Value::as_str));
    }
    if let Some(f) = n.get("family_name").and_then(Value::as_str) {
        parts.push(f);
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// The name a reader knows an instance by: a person's name, an organisation's, a
/// location's or a medicine's.
pub(crate) fn name_of(v: &Value) -> Option<String> {
    if let Some(n) = v.get("person_name").and_then(person_name) {
        return Some(n);
    }
    for key in [
        "organisation_name",
        "location_name",
        "medication_name",
        "name",
    ] {
        if let Some(s) = v.get(key).and_then(Value::as_str) {
            return Some(s.to_owned());
        }
    }
    v.get("medication_code").and_then(coding_text)
}

/// What a care actor is to the person: a care worker's category, a contact's relationship.
pub(crate) fn role_of(v: &Value) -> Option<String> {
    if let Some(c) = v.get("care_worker_category").and_then(coding_text) {
        return Some(c);
    }
    if let Some(Value::Array(r)) = v.get("relationship_to_subject_of_care") {
        if let Some(c) = r.first().and_then(coding_text) {
            return Some(c);
        }
    }
    v.get("job_title")
        .and_then(Value::as_str)
        .map(str::to_owned)
}

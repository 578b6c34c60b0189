//! Values a target version can hold in general but not in this record, because what they
//! depend on changed in the step:
//!
//! - a **reference** to a record of a class the target does not accept there (1.1 lets a
//!   Risk name any care actor, 1.0 only a Care worker; a care worker that goes back to
//!   being a GP in 0.2.1 is no Care worker there), or to a record of a class the target
//!   does not have at all (a Proxy for subject of care, going to 0.2.1), whose record
//!   leaves the record with the step;
//! - the **postcode of an address abroad** whose country the target cannot hold (0.2.1 has
//!   no Address country and reads every postcode as a UK postcode): a postcode that is not
//!   a UK postcode depends on its country.
//!
//! Each is a value the target cannot hold: refused, or kept in the extension slot beside
//! what it depends on, and restored with it on the way back (never alone: restoring a
//! reference to a record that is not restored would leave it dangling, so it stays in the
//! slot). A reference that names no record at all was dangling before the step and is left
//! as it is: this is about what the step changes. The unit is the element: a repeating
//! reference with one such value moves whole, so that it comes back exactly.

use super::residual::Residual;
use super::steps::Ctx;
use super::{escape, Loss};
use crate::checks;
use crate::model::{ClassDef, ClassKind, ElementType, IdFormat, Lookup};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// Which record a `record_uid` names, after the step.
#[derive(Clone, Copy)]
enum Owner {
    /// A record of this class of the target version.
    Class(&'static str),
    /// A record of a class the target does not have: it leaves the record with the step.
    Leaving,
}

/// The values of `doc` (as the step leaves it) that depend on what the step changed.
pub(super) fn dependent(doc: &Value, cx: &Ctx) -> Vec<Residual> {
    let mut out = Vec::new();
    let Some(obj) = doc.as_object() else {
        return out;
    };
    let owners = owners(obj, cx);
    for (k, v) in obj {
        let Some(cls) = cx.to.class(k).filter(|c| c.kind == ClassKind::Record) else {
            continue;
        };
        let path = format!("/{}", escape(k));
        for (inst, p) in instances(k, v, &path) {
            instance(inst, cls, &p, &owners, cx, &mut out);
        }
    }
    out
}

/// The instances of a collection (or of the subject of care), with their pointers.
fn instances<'v>(key: &str, v: &'v Value, path: &str) -> Vec<(&'v Map<String, Value>, String)> {
    match v {
        Value::Object(o) if key == "subject_of_care" => vec![(o, path.to_owned())],
        Value::Array(items) => items
            .iter()
            .enumerate()
            .filter_map(|(n, i)| i.as_object().map(|o| (o, format!("{path}/{n}"))))
            .collect(),
        _ => Vec::new(),
    }
}

/// Every `record_uid` of the records that validation at the target registers (versioned
/// record classes; the first of a uid used twice, as validation takes it), and those of
/// records of classes the target does not have.
fn owners<'d>(obj: &'d Map<String, Value>, cx: &Ctx) -> HashMap<&'d str, Owner> {
    let mut owners = HashMap::new();
    for (k, v) in obj {
        let record = |m: &'static crate::model::Model| {
            m.class(k)
                .filter(|c| c.kind == ClassKind::Record && c.versioned)
        };
        let owner = match (record(cx.to), record(cx.from)) {
            (Some(c), _) => Owner::Class(c.technical_name),
            (None, Some(_)) if cx.to.class(k).is_none() => Owner::Leaving,
            _ => continue,
        };
        for (inst, _) in instances(k, v, "") {
            if let Some(Value::String(uid)) = inst.get("record_uid") {
                owners.entry(uid.as_str()).or_insert(owner);
            }
        }
    }
    owners
}

fn instance(
    inst: &Map<String, Value>,
    class: &'static ClassDef,
    path: &str,
    owners: &HashMap<&str, Owner>,
    cx: &Ctx,
    out: &mut Vec<Residual>,
) {
    let loss = |key: &str, p: String| Residual {
        loss: Loss {
            step: cx.step.to_owned(),
            path: p,
            class: class.technical_name.to_owned(),
            element: Some(key.to_owned()),
        },
        soft: None,
    };
    for (key, v) in inst {
        let Some(el) = class.element(key) else {
            continue;
        };
        let p = format!("{path}/{}", escape(key));
        match &el.lookup {
            Lookup::Reference { accepts, .. } => {
                let uids: Vec<&str> = match v {
                    Value::String(s) => vec![s.as_str()],
                    Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
                    _ => Vec::new(),
                };
                let cannot = uids.iter().any(|u| match owners.get(u) {
                    Some(Owner::Class(c)) => !accepts.contains(c),
                    Some(Owner::Leaving) => true,
                    None => false,
                });
                if cannot {
                    out.push(loss(key, p));
                }
                continue;
            }
            _ if el.ty != ElementType::Group => {
                if el.format == Some(IdFormat::Postcode) && foreign_postcode(inst, class, v, cx) {
                    out.push(loss(key, p));
                }
                continue;
            }
            _ => {}
        }
        let Some(comp) = el
            .component
            .and_then(|c| cx.to.class(c))
            .filter(|c| c.kind != ClassKind::Abstract)
        else {
            continue;
        };
        match v {
            Value::Object(o) => instance(o, comp, &p, owners, cx, out),
            Value::Array(items) => {
                for (n, item) in items.iter().enumerate() {
                    if let Value::Object(o) = item {
                        instance(o, comp, &format!("{p}/{n}"), owners, cx, out);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Whether `v`, the postcode of `inst` (an instance of `class` at the target), is not a UK
/// postcode and was free text only because its address is abroad, by a country the target
/// cannot hold.
fn foreign_postcode(inst: &Map<String, Value>, class: &ClassDef, v: &Value, cx: &Ctx) -> bool {
    let Some(s) = v.as_str() else { return false };
    if class.element(checks::COUNTRY_ELEMENT).is_some() || checks::is_postcode(s) {
        return false;
    }
    cx.from
        .class(class.technical_name)
        .is_some_and(|src| crate::validate::identifier::abroad(Some(cx.from), src, inst))
}

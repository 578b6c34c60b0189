//! Reading the records a dose names: the index of records by uid, names, roles, medicines,
//! coded values with their displays, and references that do not resolve.

use super::{Actor, Coded, Medicine};
use crate::checks;
use crate::model::{ClassKind, Lookup, Model};
use rustc_hash::FxHashMap;
use serde_json::Value;

const ADMIN: &str = "medication_administration";

/// A record of the document, found by its uid.
pub(super) struct Found<'a> {
    pub(super) class: &'static str,
    pub(super) pointer: String,
    pub(super) value: &'a Value,
}

/// The records of the document by `record_uid`, the first of each uid (as validation names
/// them).
pub(super) fn index<'a>(model: &Model, doc: &'a Value) -> FxHashMap<&'a str, Found<'a>> {
    let mut uids = FxHashMap::default();
    let Some(map) = doc.as_object() else {
        return uids;
    };
    for (key, v) in map {
        let Some(class) = model.class(key).filter(|c| c.kind == ClassKind::Record) else {
            continue;
        };
        if !class.versioned {
            continue;
        }
        let items: Vec<(Option<usize>, &Value)> = match v {
            Value::Array(a) if key != "subject_of_care" => {
                a.iter().enumerate().map(|(i, x)| (Some(i), x)).collect()
            }
            Value::Object(_) if key == "subject_of_care" => vec![(None, v)],
            _ => continue,
        };
        for (i, item) in items {
            let Some(uid) = item
                .get("record_uid")
                .and_then(Value::as_str)
                .filter(|u| checks::is_uid(u))
            else {
                continue;
            };
            uids.entry(uid).or_insert_with(|| Found {
                class: class.technical_name,
                // collection keys are class names: nothing to escape
                pointer: match i {
                    Some(i) => format!("/{key}/{i}"),
                    None => format!("/{key}"),
                },
                value: item,
            });
        }
    }
    uids
}

pub(super) fn text(v: &Value, name: &str) -> Option<String> {
    v.get(name)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
        .map(str::to_owned)
}

pub(super) fn number(v: &Value, name: &str) -> Option<f64> {
    v.get(name).and_then(Value::as_f64)
}

/// A coding element of an instance of `class`, with the value set's display when the record
/// gives none.
pub(super) fn coded(model: &Model, class: &str, v: &Value, name: &str) -> Option<Coded> {
    coding_value(model, class, name, v.get(name)?)
}

pub(super) fn coding_value(model: &Model, class: &str, name: &str, c: &Value) -> Option<Coded> {
    let c = c.as_object()?;
    let s = |k: &str| c.get(k).and_then(Value::as_str).map(str::to_owned);
    let (code, system, display) = (s("code"), s("system"), s("display"));
    if code.is_none() && display.is_none() {
        return None;
    }
    let display = display.or_else(|| {
        let element = model.class(class)?.element(name)?;
        let Lookup::ValueSet { value_set, .. } = &element.lookup else {
            return None;
        };
        let vs = model.value_set(value_set)?;
        vs.display(code.as_deref()?).map(str::to_owned)
    });
    Some(Coded {
        code,
        system,
        display,
    })
}

/// A person's name: the usual one of several (else the first), title and given names
/// before the family name.
pub(super) fn person_name(v: &Value) -> Option<String> {
    let name = match v.get("person_name")? {
        Value::Array(names) => names
            .iter()
            .find(|n| n.pointer("/name_use/code").and_then(Value::as_str) == Some("usual"))
            .or_else(|| names.first())?,
        n => n,
    };
    let mut parts: Vec<&str> = Vec::new();
    parts.extend(name.get("title").and_then(Value::as_str));
    match name.get("given_name") {
        Some(Value::Array(g)) => parts.extend(g.iter().filter_map(Value::as_str)),
        Some(Value::String(g)) => parts.push(g),
        _ => {}
    }
    parts.extend(name.get("family_name").and_then(Value::as_str));
    let s = parts
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    (!s.is_empty()).then_some(s)
}

/// The role of an actor in plain words, and the relationship to the person if one is
/// recorded.
pub(super) fn role(model: &Model, f: &Found<'_>) -> (String, Option<Coded>) {
    let v = f.value;
    let relationship = || {
        let r = v.get("relationship_to_subject_of_care")?;
        let first = match r {
            Value::Array(a) => a.first()?,
            one => one,
        };
        coding_value(model, f.class, "relationship_to_subject_of_care", first)
    };
    let with = |what: &str, rel: &Option<Coded>| match rel.as_ref().and_then(|r| r.display.clone())
    {
        Some(d) => format!("{what} ({d})"),
        None => what.to_owned(),
    };
    match f.class {
        "subject_of_care" => ("The person themself".to_owned(), None),
        "care_worker" => {
            let role = v
                .get("professional_role")
                .and_then(Value::as_array)
                .and_then(|a| a.first())
                .and_then(|r| coding_value(model, f.class, "professional_role", r))
                .or_else(|| coded(model, f.class, v, "care_worker_category"))
                .and_then(|c| c.display.or(c.code))
                .unwrap_or_else(|| "Care worker".to_owned());
            (role, None)
        }
        "unpaid_carer" => {
            let rel = relationship();
            (with("Unpaid carer", &rel), rel)
        }
        "personal_contact" => {
            let rel = relationship();
            (with("Personal contact", &rel), rel)
        }
        "proxy_for_subject_of_care" => {
            let rel = relationship();
            (with("Proxy", &rel), rel)
        }
        _ => ("Organisation".to_owned(), None),
    }
}

pub(super) fn actor(model: &Model, f: &Found<'_>, uid: &str) -> Actor {
    let (role, relationship) = role(model, f);
    let name = match f.class {
        "care_worker"
        | "subject_of_care"
        | "unpaid_carer"
        | "personal_contact"
        | "proxy_for_subject_of_care" => person_name(f.value),
        _ => text(f.value, "organisation_name"),
    };
    Actor {
        pointer: f.pointer.clone(),
        record_uid: uid.to_owned(),
        class: f.class.to_owned(),
        name,
        role,
        relationship,
    }
}

pub(super) fn medicine(model: &Model, f: &Found<'_>, uid: &str) -> Medicine {
    let v = f.value;
    let code = coded(model, "medication", v, "medication_code");
    Medicine {
        pointer: f.pointer.clone(),
        record_uid: uid.to_owned(),
        name: text(v, "medication_name").or_else(|| code.as_ref().and_then(|c| c.display.clone())),
        code,
        dose_instructions: text(v, "dose_instructions"),
        dose_quantity: number(v, "dose_quantity"),
        dose_unit: coded(model, "medication", v, "dose_unit"),
        frequency: text(v, "frequency"),
        as_required: v.get("as_required").and_then(Value::as_bool),
        minimum_interval_hours: number(v, "minimum_interval"),
        maximum_dose_per_24_hours: number(v, "maximum_dose_per_24_hours"),
    }
}

/// A reference of a dose that does not resolve: why, and the class found if any.
pub(super) enum Unresolved {
    Missing,
    NotInRecord,
    WrongClass(&'static str),
}

/// Resolve the reference `element` of an administration to a record of a class it accepts.
pub(super) fn resolve<'i, 'a>(
    model: &Model,
    uids: &'i FxHashMap<&'a str, Found<'a>>,
    v: &Value,
    element: &str,
) -> Result<Option<(&'i Found<'a>, String)>, Unresolved> {
    let required = model
        .class(ADMIN)
        .and_then(|c| c.element(element))
        .is_some_and(|e| e.occurs.required());
    let uid = match v.get(element) {
        Some(Value::String(s)) => s.as_str(),
        None | Some(Value::Null) if !required => return Ok(None),
        _ => return Err(Unresolved::Missing),
    };
    let accepts: &[&str] = match model
        .class(ADMIN)
        .and_then(|c| c.element(element))
        .map(|e| &e.lookup)
    {
        Some(Lookup::Reference { accepts, .. }) => accepts,
        _ => &[],
    };
    match uids.get(uid) {
        None => Err(Unresolved::NotInRecord),
        Some(f) if !accepts.contains(&f.class) => Err(Unresolved::WrongClass(f.class)),
        Some(f) => Ok(Some((f, uid.to_owned()))),
    }
}

//! The fields counts are made by: a coded element (`class.element`, or one of the agreed
//! short names such as `ethnicity`), or the derived `age_band`.

use super::person::{age_band, AGE_BANDS};
use super::MiError;
use crate::model::{ElementType, Lookup, Model, ValueSetDef};
use chrono::NaiveDate;
use serde_json::Value;
use std::collections::BTreeSet;

/// The code of a category for a person with no value for the field.
pub const NOT_RECORDED: &str = "not-recorded";

/// The short names of the fields most asked for, and the element each stands for.
pub const ALIASES: &[(&str, &str)] = &[
    ("ethnicity", "person_demographics.ethnicity"),
    ("ethnic_category", "person_demographics.ethnicity"),
    ("gender_identity", "person_demographics.gender_identity"),
    (
        "sexual_orientation",
        "person_demographics.sexual_orientation",
    ),
    ("religion", "person_demographics.religion"),
    ("first_language", "person_demographics.first_language"),
    ("need", "need.need_domain"),
    ("need_domain", "need.need_domain"),
    ("eligibility_outcome", "need.eligibility_outcome_area"),
    ("service_type", "care_provider.service_type"),
    ("care_setting", "care_provider.care_setting_type"),
    ("funding_source", "care_plan.funding_source"),
    ("plan_type", "care_plan.plan_type"),
    ("discharge_pathway", "discharge_details.discharge_pathway"),
];

/// The name of the derived age band field.
pub const AGE_BAND: &str = "age_band";

/// What a field reads.
#[derive(Debug, Clone)]
pub enum FieldKind {
    /// The codes of a coded element on every instance of its class in a record.
    Element {
        /// The class's technical name.
        class: &'static str,
        /// The element's technical name.
        element: &'static str,
        /// The embedded value set that labels its codes, when there is one.
        value_set: Option<&'static ValueSetDef>,
    },
    /// The person's age band at the reference date, from their date of birth.
    AgeBand,
}

/// A field resolved against the model.
#[derive(Debug, Clone)]
pub struct Field {
    /// The name as given.
    pub name: String,
    /// The element it stands for (`class.element`), or `age_band`.
    pub path: String,
    /// Its label: the element's MODS name, or "Age band".
    pub label: String,
    /// The glossary term that defines it, when there is one (its id).
    pub term: Option<&'static str>,
    /// What it reads.
    pub kind: FieldKind,
}

impl Field {
    /// Resolve `name` (`class.element`, a short name of [`ALIASES`], or `age_band`).
    ///
    /// Errors: [`MiError::UnknownField`] (no such field); [`MiError::NotCoded`] (an element
    /// whose values are not codes, such as free text or a date).
    pub fn resolve(name: &str, model: &'static Model) -> Result<Field, MiError> {
        let name = name.trim();
        if name == AGE_BAND {
            return Ok(Field {
                name: name.to_owned(),
                path: AGE_BAND.to_owned(),
                label: "Age band".to_owned(),
                term: None,
                kind: FieldKind::AgeBand,
            });
        }
        let path = ALIASES
            .iter()
            .find(|(a, _)| *a == name)
            .map_or(name, |(_, p)| p);
        let unknown = || MiError::UnknownField {
            field: name.to_owned(),
        };
        let (class, element) = path.split_once('.').ok_or_else(unknown)?;
        let class = model.class(class).ok_or_else(unknown)?;
        let element = class.element(element).ok_or_else(unknown)?;
        let value_set = match (&element.ty, &element.lookup) {
            (
                ElementType::Lookup | ElementType::ReferenceCode,
                Lookup::ValueSet { value_set, .. },
            ) => model.value_set(value_set),
            (ElementType::Lookup | ElementType::ReferenceCode, Lookup::External { .. }) => None,
            (ty, _) => {
                return Err(MiError::NotCoded {
                    field: name.to_owned(),
                    ty: if matches!(element.lookup, Lookup::Reference { .. }) {
                        "a reference to another record"
                    } else {
                        ty.as_str()
                    },
                })
            }
        };
        let path = format!("{}.{}", class.technical_name, element.technical_name);
        let term = crate::glossary::glossary()
            .terms
            .iter()
            .find(|t| t.elements.contains(&path.as_str()))
            .map(|t| t.id);
        Ok(Field {
            name: name.to_owned(),
            path,
            label: element.name.to_owned(),
            term,
            kind: FieldKind::Element {
                class: class.technical_name,
                element: element.technical_name,
                value_set,
            },
        })
    }

    /// The categories a record falls in for this field: every distinct code the field
    /// holds on any instance of its class, or [`NOT_RECORDED`] when there is none.
    pub fn codes(&self, record: &Value, as_of: NaiveDate) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        match &self.kind {
            FieldKind::AgeBand => {
                out.insert(age_band(record, as_of).unwrap_or(NOT_RECORDED).to_owned());
            }
            FieldKind::Element { class, element, .. } => {
                for instance in instances(record, class) {
                    match instance.get(*element) {
                        Some(Value::Array(items)) => items.iter().for_each(|v| push(&mut out, v)),
                        Some(v) => push(&mut out, v),
                        None => {}
                    }
                }
                if out.is_empty() {
                    out.insert(NOT_RECORDED.to_owned());
                }
            }
        }
        out
    }

    /// The label of `code`: its display in the value set, the age band itself, "Not
    /// recorded"; `None` for a code the value set does not list (or with no value set).
    pub fn label_of(&self, code: &str) -> Option<String> {
        if code == NOT_RECORDED {
            return Some("Not recorded".to_owned());
        }
        match &self.kind {
            FieldKind::AgeBand => AGE_BANDS.contains(&code).then(|| format!("Aged {code}")),
            FieldKind::Element { value_set, .. } => value_set.and_then(|vs| {
                vs.includes
                    .iter()
                    .find_map(|i| i.code(code))
                    .map(|c| c.display.to_owned())
            }),
        }
    }
}

/// The instances of `class` in a record: the object for `subject_of_care`, the array's
/// objects for the others.
pub fn instances<'a>(record: &'a Value, class: &str) -> Vec<&'a Value> {
    match record.get(class) {
        Some(Value::Array(items)) => items.iter().filter(|v| v.is_object()).collect(),
        Some(v @ Value::Object(_)) => vec![v],
        _ => Vec::new(),
    }
}

/// A coded value's code: `{"code": ...}`, or a bare string.
fn push(out: &mut BTreeSet<String>, v: &Value) {
    let code = match v {
        Value::Object(m) => m.get("code").and_then(Value::as_str),
        Value::String(s) => Some(s.as_str()),
        _ => None,
    };
    if let Some(c) = code.map(str::trim).filter(|c| !c.is_empty()) {
        out.insert(c.to_owned());
    }
}

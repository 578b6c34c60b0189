//! Extract profiles, kept as data (`mods-core/spec/mi/*.json`): which columns an extract
//! has, and where each comes from.

use super::MiError;
use crate::model::{ElementType, Lookup, Model};
use serde::{Deserialize, Serialize};

/// A column of a profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Column {
    /// The column's name in the extract.
    pub column: String,
    /// For a person column: `pseudonym`, `age_band` or `class.element`; for an event
    /// column: an element of the event's class.
    pub from: String,
}

/// A kind of event: every instance of a class is one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventDef {
    /// The class whose instances are the events.
    pub class: String,
    /// The `Event_Type` written for them.
    pub event_type: String,
    /// The element giving the start date.
    pub start: String,
    /// The element giving the end date, when there is one.
    #[serde(default)]
    pub end: Option<String>,
    /// Its own columns.
    #[serde(default)]
    pub columns: Vec<Column>,
}

/// Where a profile's definition comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileSource {
    /// Title.
    pub title: String,
    /// Address.
    pub url: String,
}

/// An extract profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Its name (`--profile`).
    pub name: String,
    /// Its title.
    pub title: String,
    /// What it is for, and how far it follows its source.
    pub description: String,
    /// Where its field list comes from.
    pub sources: Vec<ProfileSource>,
    /// The columns about the person, first in every row.
    pub person: Vec<Column>,
    /// The kinds of event.
    pub events: Vec<EventDef>,
}

/// The built-in profiles, as data.
const BUILT_IN: &[&str] = &[include_str!("../../spec/mi/dhsc-cld.json")];

/// The names of the built-in profiles.
pub fn profile_names() -> Vec<String> {
    BUILT_IN
        .iter()
        .filter_map(|s| serde_json::from_str::<Profile>(s).ok())
        .map(|p| p.name)
        .collect()
}

/// The built-in profile `name`.
///
/// Errors: [`MiError::UnknownProfile`].
pub fn profile(name: &str) -> Result<Profile, MiError> {
    BUILT_IN
        .iter()
        .filter_map(|s| serde_json::from_str::<Profile>(s).ok())
        .find(|p| p.name == name)
        .ok_or_else(|| MiError::UnknownProfile {
            profile: name.to_owned(),
            known: profile_names(),
        })
}

impl Profile {
    /// Every column name, in order: the person's, `Event_Type`, `Event_Start_Date`,
    /// `Event_End_Date`, then each event column once.
    pub fn header(&self) -> Vec<String> {
        let mut out: Vec<String> = self.person.iter().map(|c| c.column.clone()).collect();
        for c in ["Event_Type", "Event_Start_Date", "Event_End_Date"] {
            out.push(c.to_owned());
        }
        for e in &self.events {
            for c in &e.columns {
                if !out.contains(&c.column) {
                    out.push(c.column.clone());
                }
            }
        }
        out
    }

    /// Why the profile cannot be used with `model`: a column that names no element, or
    /// one that could carry free text or identify the person (only codes, yes/no, dates
    /// of events, the pseudonym and the age band may be extracted).
    pub fn check(&self, model: &Model) -> Result<(), String> {
        for c in &self.person {
            match c.from.as_str() {
                "pseudonym" | "age_band" => {}
                path => {
                    let (class, element) = path
                        .split_once('.')
                        .ok_or_else(|| format!("{}: {path:?} is not class.element", c.column))?;
                    coded(model, class, element, &c.column)?;
                }
            }
        }
        for e in &self.events {
            let class = model
                .class(&e.class)
                .ok_or_else(|| format!("{:?} is not a class", e.class))?;
            for d in std::iter::once(&e.start).chain(e.end.iter()) {
                let el = class
                    .element(d)
                    .ok_or_else(|| format!("{}.{d} is not an element", e.class))?;
                if !matches!(el.ty, ElementType::Date | ElementType::DateTime) {
                    return Err(format!("{}.{d} is not a date", e.class));
                }
            }
            for c in &e.columns {
                coded(model, &e.class, &c.from, &c.column)?;
            }
        }
        Ok(())
    }
}

fn coded(model: &Model, class: &str, element: &str, column: &str) -> Result<(), String> {
    let el = model
        .class(class)
        .and_then(|c| c.element(element))
        .ok_or_else(|| format!("{column}: {class}.{element} is not an element"))?;
    let ok = match el.ty {
        ElementType::YesNo => true,
        ElementType::Lookup | ElementType::ReferenceCode => {
            matches!(el.lookup, Lookup::ValueSet { .. } | Lookup::External { .. })
        }
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{column}: {class}.{element} is {}, not a code",
            el.ty.as_str()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_profile_reads_and_extracts_only_codes_and_dates() {
        assert!(!profile_names().is_empty());
        assert_eq!(
            BUILT_IN.len(),
            profile_names().len(),
            "a profile does not parse"
        );
        for name in profile_names() {
            let p = profile(&name).unwrap();
            assert!(!p.sources.is_empty());
            for m in crate::model::models() {
                if m.mods_version != "0.2.1" {
                    p.check(m)
                        .unwrap_or_else(|e| panic!("{name} {}: {e}", m.mods_version));
                }
            }
        }
        assert!(matches!(
            profile("nope"),
            Err(MiError::UnknownProfile { .. })
        ));
    }

    #[test]
    fn a_free_text_column_is_refused() {
        let mut p = profile("dhsc-cld").unwrap();
        p.events[0].columns.push(Column {
            column: "Notes".into(),
            from: "need_description".into(),
        });
        let e = p.check(crate::model::latest()).unwrap_err();
        assert!(e.contains("need.need_description is Text"), "{e}");
    }
}

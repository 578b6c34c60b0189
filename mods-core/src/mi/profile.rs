//! Extract profiles, kept as data (`mods-core/spec/mi/*.json`): which columns an extract
//! has, and where each comes from.

use super::MiError;
use crate::model::{ElementType, Lookup, Model};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A column of a profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Column {
    /// The column's name in the extract.
    pub column: String,
    /// For a person column: `pseudonym`, `age_band` or `class.element`; for an event
    /// column: an element of the event's class.
    pub from: String,
    /// The profile's code list the MODS codes are translated to (a key of
    /// [`Profile::code_lists`]); none: the MODS code is written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_list: Option<String>,
}

/// A code list of the collection, as a translation from one MODS value set's codes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeList {
    /// What it is (the collection's field and release).
    pub title: String,
    /// The MODS value set it translates from.
    pub value_set: String,
    /// Where its values come from.
    pub sources: Vec<ProfileSource>,
    /// How the MODS codes were matched to its values, where it is not one to one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The collection's value for each MODS code; every code of the value set has one.
    pub values: BTreeMap<String, String>,
    /// Written for a code that is not in the value set (a record that is not valid).
    pub unmapped: String,
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
    /// The collection's code lists that columns are translated to, by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub code_lists: BTreeMap<String, CodeList>,
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
                    self.check_code_list(model, class, element, c)?;
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
                self.check_code_list(model, &e.class, &c.from, c)?;
            }
        }
        Ok(())
    }

    /// A column's code list must exist, translate from the element's value set, and give
    /// a value for every code of it, and no other: a code added to MODS must be given
    /// its translation before the profile can be used.
    fn check_code_list(
        &self,
        model: &Model,
        class: &str,
        element: &str,
        c: &Column,
    ) -> Result<(), String> {
        let Some(name) = &c.code_list else {
            return Ok(());
        };
        let list = self
            .code_lists
            .get(name)
            .ok_or_else(|| format!("{}: no code list {name:?}", c.column))?;
        let el = model.class(class).and_then(|k| k.element(element));
        let vs = match el.map(|e| &e.lookup) {
            Some(Lookup::ValueSet { value_set, .. }) if *value_set == list.value_set => {
                model.value_set(value_set)
            }
            _ => None,
        }
        .ok_or_else(|| {
            format!(
                "{}: {class}.{element} is not bound to the value set {:?} of code list {name:?}",
                c.column, list.value_set
            )
        })?;
        let codes: Vec<&str> = vs
            .includes
            .iter()
            .flat_map(|i| i.codes.iter().map(|c| c.code))
            .collect();
        if let Some(missing) = codes.iter().find(|k| !list.values.contains_key(**k)) {
            return Err(format!(
                "code list {name:?} has no value for {} code {missing:?}",
                list.value_set
            ));
        }
        if let Some(extra) = list.values.keys().find(|k| !codes.contains(&k.as_str())) {
            return Err(format!(
                "code list {name:?} translates {extra:?}, which is not a {} code",
                list.value_set
            ));
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
            code_list: None,
        });
        let e = p.check(crate::model::latest()).unwrap_err();
        assert!(e.contains("need.need_description is Text"), "{e}");
    }

    #[test]
    fn a_code_list_must_translate_every_code_of_its_value_set_and_no_other() {
        let model = crate::model::latest();
        let good = profile("dhsc-cld").unwrap();
        assert!(good.code_lists.contains_key("ethnicity"));
        good.check(model).unwrap();

        let mut p = good.clone();
        p.code_lists
            .get_mut("ethnicity")
            .unwrap()
            .values
            .remove("R");
        let e = p.check(model).unwrap_err();
        assert!(e.contains("no value for ethnic_category code \"R\""), "{e}");

        let mut p = good.clone();
        let list = p.code_lists.get_mut("ethnicity").unwrap();
        list.values.insert("Q".into(), "White: Roma".into());
        let e = p.check(model).unwrap_err();
        assert!(e.contains("translates \"Q\""), "{e}");

        let mut p = good.clone();
        p.person[1].code_list = Some("ethnicity".into()); // Gender: another value set
        let e = p.check(model).unwrap_err();
        assert!(e.contains("not bound to the value set"), "{e}");

        let mut p = good;
        p.person[2].code_list = Some("nope".into());
        assert!(p
            .check(model)
            .unwrap_err()
            .contains("no code list \"nope\""));
    }
}

//! The conformance profiles: for each MODS version, the classes a record must hold for the
//! person, read from `mods-core/spec/conformance/mods-<version>.json` (spec as data; the
//! format is in `docs/conformance.md`).

use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// A source a rule of a profile cites (the kinds of `docs/spec-format.md`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// What kind of source (`MODS data browser`, `MODS guidance`, ...).
    pub kind: String,
    /// URL or name.
    #[serde(rename = "ref")]
    pub reference: String,
    /// The MODS data-browser class id, for data browser pages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class_id: Option<u64>,
}

/// Elements of which an instance must hold at least one, although the model keeps each
/// optional.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expectation {
    /// Technical names of the elements; one present meets the expectation.
    pub any_of: Vec<String>,
    /// Why the standard expects it, in one or two sentences.
    pub why: String,
    /// Where that is said; at least one.
    pub sources: Vec<Source>,
}

/// A class every record must hold for the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonClass {
    /// Technical name of the record class.
    pub class: String,
    /// The rule applies only when the record holds an instance of one of these classes
    /// (empty: always).
    #[serde(default)]
    pub when_present: Vec<String>,
    /// Why every record holds it.
    pub why: String,
    /// Where that is said; at least one.
    pub sources: Vec<Source>,
    /// Elements each instance is expected to hold beyond the model's required ones.
    #[serde(default)]
    pub expects: Vec<Expectation>,
}

/// What a record must hold for the person to conform to one MODS version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// The MODS version the profile is for.
    pub mods_version: String,
    /// One line.
    pub title: String,
    /// Decisions, one sentence each.
    #[serde(default)]
    pub notes: Vec<String>,
    /// The classes, in the order reports list them.
    pub person_classes: Vec<PersonClass>,
}

impl Profile {
    /// The rule for this class, when the profile has one.
    pub fn person_class(&self, class: &str) -> Option<&PersonClass> {
        self.person_classes.iter().find(|c| c.class == class)
    }
}

/// The profile files, by version, as committed.
const FILES: &[(&str, &str)] = &[
    (
        "0.2.1",
        include_str!("../../spec/conformance/mods-0.2.1.json"),
    ),
    ("1.0", include_str!("../../spec/conformance/mods-1.0.json")),
    ("1.1", include_str!("../../spec/conformance/mods-1.1.json")),
];

/// Every profile, in version order. A file that does not read is a bug caught by the tests
/// (`every_supported_version_has_a_profile_that_names_the_model`); at run time it is left
/// out, so the version has no profile.
pub fn profiles() -> &'static [Profile] {
    static PROFILES: OnceLock<Vec<Profile>> = OnceLock::new();
    PROFILES.get_or_init(|| {
        FILES
            .iter()
            .filter_map(|(version, text)| {
                serde_json::from_str::<Profile>(text)
                    .ok()
                    .filter(|p| p.mods_version == *version)
            })
            .collect()
    })
}

/// The profile of a MODS version.
pub fn profile(mods_version: &str) -> Option<&'static Profile> {
    profiles().iter().find(|p| p.mods_version == mods_version)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{self, ClassKind};

    #[test]
    fn every_supported_version_has_a_profile_that_names_the_model() {
        assert_eq!(
            profiles().len(),
            FILES.len(),
            "a profile file does not read"
        );
        for m in model::models() {
            let p = profile(m.mods_version).unwrap_or_else(|| panic!("{}", m.mods_version));
            assert!(!p.person_classes.is_empty());
            for pc in &p.person_classes {
                let class = m.class(&pc.class).unwrap_or_else(|| panic!("{}", pc.class));
                assert_eq!(class.kind, ClassKind::Record, "{}", pc.class);
                assert!(!pc.sources.is_empty() && !pc.why.is_empty(), "{}", pc.class);
                for w in &pc.when_present {
                    assert!(
                        m.class(w).is_some_and(|c| c.kind == ClassKind::Record),
                        "{w}"
                    );
                }
                for e in &pc.expects {
                    assert!(!e.any_of.is_empty() && !e.sources.is_empty());
                    for name in &e.any_of {
                        let el = class.element(name).unwrap_or_else(|| panic!("{name}"));
                        // an element the model already requires needs no expectation
                        assert!(!el.occurs.required(), "{}.{name}", pc.class);
                    }
                }
                for s in pc
                    .sources
                    .iter()
                    .chain(pc.expects.iter().flat_map(|e| &e.sources))
                {
                    assert!(s.reference.starts_with("https://"), "{}", s.reference);
                }
            }
        }
    }

    #[test]
    fn the_person_classes_include_demographics_with_ethnicity_and_gender_identity() {
        let p = profile("1.0").unwrap();
        assert!(p.person_class("subject_of_care").is_some());
        let demographics = model::model("1.0")
            .and_then(|m| m.class("person_demographics"))
            .unwrap();
        assert!(p.person_class("person_demographics").is_some());
        for e in ["ethnicity", "gender_identity"] {
            assert!(demographics.element(e).unwrap().occurs.required(), "{e}");
        }
    }
}

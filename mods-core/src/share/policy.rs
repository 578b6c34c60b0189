//! Policies: which classes and elements a recipient may see, read from TOML.

use crate::model::{self, ClassDef, ClassKind, Model};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The built-in purposes, as data (`mods-core/share/purposes/*.toml`), in listing order.
const BUILT_IN: &[&str] = &[
    include_str!("../../share/purposes/hospital-admission.toml"),
    include_str!("../../share/purposes/gp.toml"),
    include_str!("../../share/purposes/family-carer.toml"),
    include_str!("../../share/purposes/local-authority-review.toml"),
    include_str!("../../share/purposes/commissioning.toml"),
];

/// The consent purpose that governs sharing when a policy names none.
pub const DEFAULT_CONSENT_PURPOSE: &str = "information-sharing";

/// Where a policy comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    /// One of the purposes built in to mods-sdk.
    BuiltIn,
    /// A policy file given by the caller.
    Custom,
}

/// A policy: what one purpose (one kind of recipient) may see.
///
/// A record class is shared only when a [`Rule`] names it; a rule shares every element of
/// the class, or only those it lists (`elements`), or all but those it lists (`except`).
/// `record_uid` and `version_number` always travel with a record. See `docs/share.md`.
#[derive(Debug, Clone, Serialize)]
pub struct Policy {
    /// The purpose's id (`hospital-admission`), as `--purpose` takes it.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Who receives views made by it.
    pub recipient: String,
    /// What it shares and why, in a paragraph.
    pub description: String,
    /// The Consent purposes (codes of `consent_purpose`) whose decisions govern sharing by
    /// this policy: a refusal, withdrawal or lapse of such a consent withholds what it
    /// covers. At least one.
    pub consent_purposes: Vec<String>,
    /// The guidance and law the policy follows.
    pub sources: Vec<String>,
    /// The classes shared.
    pub rules: Vec<Rule>,
    /// Classes withheld on purpose, with the reason (every class without a rule is
    /// withheld; these say why for the ones a reader might expect).
    pub withhold: Vec<Withhold>,
    /// Built in or a caller's file.
    pub origin: Origin,
}

/// One class a policy shares.
#[derive(Debug, Clone, Serialize)]
pub struct Rule {
    /// The class's technical name.
    pub class: String,
    /// Only these elements, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub elements: Option<Vec<String>>,
    /// Every element but these.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub except: Vec<String>,
    /// Why the recipient needs it.
    pub rationale: String,
}

/// A class a policy withholds on purpose.
#[derive(Debug, Clone, Serialize)]
pub struct Withhold {
    /// The class's technical name.
    pub class: String,
    /// Why it is withheld.
    pub rationale: String,
}

/// Why a policy cannot be used. Messages name the rule and the class or element, never a
/// record's data (a policy holds none).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    /// Not TOML, or TOML of another shape (a missing or unknown key, a wrong type).
    #[error("the policy is not a policy file: {0}")]
    Syntax(String),
    /// A key that must not be empty is.
    #[error("the policy's {0} must not be empty")]
    Empty(String),
    /// A class that no supported MODS version has, or that is not a record class.
    #[error("{place} names {class:?}, which is not a record class of any supported MODS version")]
    UnknownClass {
        /// Where (`rule 3`, `withhold 1`).
        place: String,
        /// The name given.
        class: String,
    },
    /// An element the class has in no supported MODS version.
    #[error("{place} names {element:?}, which is not an element of {class} in any supported MODS version")]
    UnknownElement {
        /// Where.
        place: String,
        /// The class.
        class: String,
        /// The name given.
        element: String,
    },
    /// A rule would withhold an element every record of the class must have: withhold the
    /// class instead.
    #[error("{place} withholds {element}, which every {class} record must have in MODS {version}; withhold the class instead")]
    RequiredElementWithheld {
        /// Where.
        place: String,
        /// The class.
        class: String,
        /// The element.
        element: String,
        /// The MODS version whose model requires it.
        version: String,
    },
    /// Two rules (or a rule and a withhold) for one class, or `elements` with `except`.
    #[error("{0}")]
    Conflict(String),
    /// No rule for the subject of care: a view is about one person.
    #[error("the policy has no rule for subject_of_care; every view holds the person it is about")]
    NoSubjectOfCare,
    /// No built-in purpose of that id.
    #[error("no built-in purpose {0:?} (the purposes are {1})")]
    UnknownPurpose(String, String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    id: String,
    title: String,
    recipient: String,
    description: String,
    #[serde(default)]
    consent_purposes: Option<Vec<String>>,
    #[serde(default)]
    sources: Vec<String>,
    #[serde(default)]
    rule: Vec<RuleFile>,
    #[serde(default)]
    withhold: Vec<WithholdFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    class: String,
    #[serde(default)]
    elements: Option<Vec<String>>,
    #[serde(default)]
    except: Vec<String>,
    rationale: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WithholdFile {
    class: String,
    rationale: String,
}

/// The record class of this name in the first supported version that has it.
fn any_class(name: &str) -> Option<&'static ClassDef> {
    model::models()
        .iter()
        .filter_map(|m| m.class(name))
        .find(|c| c.kind == ClassKind::Record)
}

fn has_element(class: &str, element: &str) -> bool {
    model::models()
        .iter()
        .filter_map(|m| m.class(class))
        .any(|c| c.element(element).is_some())
}

impl Policy {
    /// Read a policy from TOML (`docs/share.md` describes the format) and check every
    /// class and element it names against the supported MODS versions.
    pub fn from_toml(text: &str, origin: Origin) -> Result<Policy, PolicyError> {
        let f: File = toml::from_str(text).map_err(|e| PolicyError::Syntax(e.to_string()))?;
        for (key, v) in [
            ("id", &f.id),
            ("title", &f.title),
            ("recipient", &f.recipient),
            ("description", &f.description),
        ] {
            if v.trim().is_empty() {
                return Err(PolicyError::Empty(key.into()));
            }
        }
        let consent_purposes = f
            .consent_purposes
            .unwrap_or_else(|| vec![DEFAULT_CONSENT_PURPOSE.to_owned()]);
        if consent_purposes.is_empty() || consent_purposes.iter().any(|c| c.trim().is_empty()) {
            return Err(PolicyError::Empty("consent_purposes".into()));
        }
        let mut seen = BTreeSet::new();
        let mut rules = Vec::new();
        for (n, r) in f.rule.into_iter().enumerate() {
            let place = format!("rule {} ({})", n + 1, r.class);
            if any_class(&r.class).is_none() {
                return Err(PolicyError::UnknownClass {
                    place: format!("rule {}", n + 1),
                    class: r.class,
                });
            }
            if !seen.insert(r.class.clone()) {
                return Err(PolicyError::Conflict(format!(
                    "{place}: the policy has two rules for {}",
                    r.class
                )));
            }
            if r.elements.is_some() && !r.except.is_empty() {
                return Err(PolicyError::Conflict(format!(
                    "{place}: a rule gives elements or except, not both"
                )));
            }
            if r.rationale.trim().is_empty() {
                return Err(PolicyError::Empty(format!("{place} rationale")));
            }
            for e in r.elements.iter().flatten().chain(&r.except) {
                if !has_element(&r.class, e) {
                    return Err(PolicyError::UnknownElement {
                        place,
                        class: r.class,
                        element: e.clone(),
                    });
                }
            }
            rules.push(Rule {
                class: r.class,
                elements: r.elements,
                except: r.except,
                rationale: r.rationale,
            });
        }
        let mut withhold = Vec::new();
        for (n, w) in f.withhold.into_iter().enumerate() {
            let place = format!("withhold {}", n + 1);
            if any_class(&w.class).is_none() {
                return Err(PolicyError::UnknownClass {
                    place,
                    class: w.class,
                });
            }
            if !seen.insert(w.class.clone()) {
                return Err(PolicyError::Conflict(format!(
                    "{place} ({}): the policy both shares and withholds the class, or withholds it twice",
                    w.class
                )));
            }
            if w.rationale.trim().is_empty() {
                return Err(PolicyError::Empty(format!("{place} rationale")));
            }
            withhold.push(Withhold {
                class: w.class,
                rationale: w.rationale,
            });
        }
        if !rules.iter().any(|r| r.class == "subject_of_care") {
            return Err(PolicyError::NoSubjectOfCare);
        }
        let policy = Policy {
            id: f.id,
            title: f.title,
            recipient: f.recipient,
            description: f.description,
            consent_purposes,
            sources: f.sources,
            rules,
            withhold,
            origin,
        };
        for m in model::models() {
            policy.check(m)?;
        }
        Ok(policy)
    }

    /// Check the policy against one version's model: no rule may withhold an element that
    /// version requires (the records it keeps would not be valid).
    pub fn check(&self, model: &'static Model) -> Result<(), PolicyError> {
        for (n, r) in self.rules.iter().enumerate() {
            let Some(class) = model.class(&r.class) else {
                continue;
            };
            for e in class.elements.iter().filter(|e| e.occurs.required()) {
                if !r.allows(e.technical_name) {
                    return Err(PolicyError::RequiredElementWithheld {
                        place: format!("rule {} ({})", n + 1, r.class),
                        class: r.class.clone(),
                        element: e.technical_name.to_owned(),
                        version: model.mods_version.to_owned(),
                    });
                }
            }
        }
        Ok(())
    }

    /// The rule for a class, if the policy shares it.
    pub fn rule(&self, class: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.class == class)
    }

    /// The built-in purpose with this id.
    pub fn built_in(id: &str) -> Result<Policy, PolicyError> {
        built_in()
            .into_iter()
            .find(|p| p.id == id)
            .ok_or_else(|| PolicyError::UnknownPurpose(id.to_owned(), purpose_ids().join(", ")))
    }
}

impl Rule {
    /// Whether the rule shares this element (`record_uid` and `version_number` always).
    pub fn allows(&self, element: &str) -> bool {
        if matches!(element, "record_uid" | "version_number") {
            return true;
        }
        match &self.elements {
            Some(only) => only.iter().any(|e| e == element),
            None => !self.except.iter().any(|e| e == element),
        }
    }
}

/// Every built-in purpose, in listing order.
pub fn built_in() -> Vec<Policy> {
    BUILT_IN
        .iter()
        .map(|t| Policy::from_toml(t, Origin::BuiltIn).expect("a built-in policy reads"))
        .collect()
}

/// The ids of the built-in purposes.
pub fn purpose_ids() -> Vec<String> {
    built_in().into_iter().map(|p| p.id).collect()
}

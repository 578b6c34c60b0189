//! The spec data format (docs/spec-format.md), as read from `mods-core/spec/*.json`.

use serde::Deserialize;

/// One MODS version's model.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    pub mods_version: String,
    pub title: String,
    pub reference_code: String,
    pub publication_version: String,
    /// `current` (exactly one version), `historical` or `illustrative`.
    pub status: String,
    #[serde(default)]
    pub notes: Vec<String>,
    pub classes: Vec<Class>,
    pub value_sets: Vec<ValueSet>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Class {
    pub name: String,
    pub technical_name: String,
    pub group: String,
    #[serde(default)]
    pub parent: Option<String>,
    pub kind: String,
    #[serde(default)]
    pub versioned: Option<bool>,
    #[serde(default)]
    pub inherits: Option<String>,
    #[serde(default)]
    pub extension: bool,
    pub description: String,
    pub provenance: Provenance,
    #[serde(default)]
    pub rules: Vec<Rule>,
    pub elements: Vec<Element>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    pub status: String,
    pub sources: Vec<Source>,
    #[serde(default)]
    pub completeness: Option<String>,
    #[serde(default)]
    pub notes: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub kind: String,
    #[serde(rename = "ref")]
    pub reference: String,
    #[serde(default)]
    pub class_id: Option<u64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Element {
    pub name: String,
    pub technical_name: String,
    #[serde(default)]
    pub published: Option<Published>,
    #[serde(rename = "type")]
    pub ty: String,
    pub occurs: String,
    #[serde(default)]
    pub lookup: Option<LookupSpec>,
    #[serde(default)]
    pub component: Option<String>,
    #[serde(default)]
    pub format: Option<String>,
    #[serde(default)]
    pub partial: bool,
    #[serde(default)]
    pub time_optional: bool,
    #[serde(default)]
    pub plausible: Option<String>,
    #[serde(default)]
    pub integer: bool,
    #[serde(default)]
    pub minimum: Option<f64>,
    #[serde(default)]
    pub inherited_from: Option<String>,
    pub description: String,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Published {
    #[serde(rename = "type")]
    pub ty: Option<String>,
    pub occurs: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, tag = "kind", rename_all = "snake_case")]
pub enum LookupSpec {
    ValueSet {
        value_set: String,
        strength: String,
    },
    Reference {
        targets: Vec<String>,
    },
    External {
        system: String,
        name: String,
        strength: String,
        #[serde(default)]
        value_set: Option<String>,
    },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, tag = "rule", rename_all = "snake_case")]
pub enum Rule {
    DateOrder { earlier: String, later: String },
}

/// A value set: `system` and `codes` when it is drawn from one code system, `includes`
/// when it spans several (or one defined by a grammar).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValueSet {
    pub id: String,
    pub title: String,
    pub url: String,
    #[serde(default)]
    pub system: Option<String>,
    pub source: String,
    pub provenance: String,
    pub version: String,
    pub licence: String,
    #[serde(default)]
    pub codes: Option<Vec<Code>>,
    #[serde(default)]
    pub includes: Option<Vec<Include>>,
    #[serde(default)]
    pub note: Option<String>,
}

impl ValueSet {
    /// The includes of the set: its `includes`, or one made of `system` and `codes`.
    pub fn includes(&self) -> Vec<Include> {
        match (&self.includes, &self.system, &self.codes) {
            (Some(i), _, _) => i.clone(),
            (None, Some(system), Some(codes)) => vec![Include {
                system: system.clone(),
                title: None,
                version: None,
                grammar: None,
                codes: codes.clone(),
            }],
            _ => Vec::new(),
        }
    }
}

/// The codes a value set takes from one code system.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Include {
    pub system: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub version: Option<String>,
    /// `bcp47`: every well-formed BCP 47 language tag with a registered language.
    #[serde(default)]
    pub grammar: Option<String>,
    #[serde(default)]
    pub codes: Vec<Code>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Code {
    pub code: String,
    pub display: String,
    #[serde(default)]
    pub inactive: bool,
}

/// The glossary of agreed terms (`mods-core/spec/glossary.json`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Glossary {
    pub glossary_version: String,
    pub mods_version: String,
    pub terms: Vec<Term>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    pub id: String,
    pub term: String,
    pub definition: String,
    pub synonyms: Vec<Synonym>,
    pub not_to_be_confused_with: Vec<String>,
    pub classes: Vec<String>,
    pub elements: Vec<String>,
    pub use_cases: Vec<String>,
    pub sources: Vec<TermSource>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Synonym {
    pub term: String,
    pub note: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TermSource {
    pub title: String,
    pub url: String,
}

/// One migration between adjacent versions (`mods-core/spec/migrations/*.json`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Migration {
    pub from: String,
    pub to: String,
    pub description: String,
    pub steps: Vec<Step>,
}

/// One migration step, written in the forward direction.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, tag = "op", rename_all = "snake_case")]
pub enum Step {
    RenameClass {
        from: String,
        to: String,
        note: String,
    },
    MergeClass {
        from: String,
        into: String,
        #[serde(default)]
        set: serde_json::Map<String, serde_json::Value>,
        note: String,
    },
    DefaultElement {
        class: String,
        element: String,
        value: serde_json::Value,
        note: String,
    },
    RenameElement {
        class: String,
        from: String,
        to: String,
        note: String,
    },
    SplitElement {
        class: String,
        from: String,
        first: String,
        rest: String,
        note: String,
    },
    Recode {
        class: String,
        element: String,
        map: std::collections::BTreeMap<String, String>,
        note: String,
    },
}

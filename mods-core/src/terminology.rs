//! Terminology: the embedded value sets, look-ups over them, and pluggable providers for
//! terminologies that cannot be embedded (SNOMED CT UK edition, dm+d: licensed and large).
//!
//! - [`Terminology`] answers look-ups over the embedded value sets of a model: a code's
//!   display, membership, a value set's codes (for drop-downs), text search of displays.
//! - [`TerminologyProvider`] is what validation consults for codes bound to a terminology
//!   that is not embedded; [`Terminology`] itself implements it for the embedded sets. [`OfflineProvider`] loads a user-supplied FHIR ValueSet expansion,
//!   FHIR CodeSystem or SNOMED CT RF2 refset; a FHIR terminology-server client lives in the
//!   `mods-terminology` crate.

use crate::model::{self, CodeDef, IncludeDef, Lookup, Membership, Model, Strength, ValueSetDef};
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::fmt;

/// The SNOMED CT code system URI.
pub const SNOMED_CT: &str = "http://snomed.info/sct";

/// A question to a terminology provider: is this code valid here?
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeRequest<'a> {
    /// Code system URI of the coding (the binding's system when the coding gives none).
    pub system: &'a str,
    /// The code.
    pub code: &'a str,
    /// Canonical URL of the value set the element is bound to, when the binding names one.
    pub value_set: Option<&'a str>,
}

/// A provider's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeCheck {
    /// The code exists (in the value set, when one was asked about).
    Valid {
        /// Its display, when known.
        display: Option<String>,
        /// Whether the code is inactive (retired) in its code system.
        inactive: bool,
    },
    /// The code does not exist in the code system, or is not in the value set.
    Invalid,
    /// The provider does not cover this system or value set; ask another.
    NotCovered,
    /// The provider covers it but could not answer (server down, timed out...). The code
    /// is then reported as unchecked, never as valid.
    Unavailable {
        /// Why, without any of the record's data.
        reason: String,
    },
}

/// A source of answers about codes that are not in the embedded value sets.
///
/// Implementations must be cheap to call repeatedly (cache what they fetch) and must never
/// panic. Validation asks providers in order and takes the first answer other than
/// [`CodeCheck::NotCovered`].
pub trait TerminologyProvider: Send + Sync {
    /// A short name for reports (`offline file`, `terminology server`...).
    fn name(&self) -> &str;
    /// Check one code.
    fn check_code(&self, request: &CodeRequest<'_>) -> CodeCheck;
}

/// Where a code-system entry came from, for [`OfflineProvider`].
#[derive(Debug, Clone, PartialEq, Eq)]
struct Concept {
    display: Option<String>,
    inactive: bool,
}

/// A provider loaded from files the user supplies: FHIR ValueSet expansions or composes,
/// FHIR CodeSystems, and SNOMED CT RF2 simple refsets. It answers for the systems and value
/// sets it was loaded with and says [`CodeCheck::NotCovered`] for everything else.
#[derive(Debug, Default, Clone)]
pub struct OfflineProvider {
    concepts: HashMap<(String, String), Concept>,
    systems: HashSet<String>,
    value_sets: HashMap<String, HashSet<(String, String)>>,
}

/// A file the offline provider could not load.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot load terminology: {0}")]
pub struct LoadError(pub String);

impl OfflineProvider {
    /// An empty provider.
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of concepts loaded.
    pub fn len(&self) -> usize {
        self.concepts.len()
    }

    /// Whether nothing is loaded.
    pub fn is_empty(&self) -> bool {
        self.concepts.is_empty()
    }

    fn add(&mut self, system: &str, code: &str, display: Option<&str>, inactive: bool) {
        self.systems.insert(system.to_owned());
        self.concepts.insert(
            (system.to_owned(), code.to_owned()),
            Concept {
                display: display.map(str::to_owned),
                inactive,
            },
        );
    }

    /// Load a FHIR R4 `ValueSet` (its `expansion.contains`, or the concepts listed in
    /// `compose.include`) or `CodeSystem` (its `concept`s, nested ones included) from JSON.
    pub fn load_fhir_json(&mut self, bytes: &[u8]) -> Result<(), LoadError> {
        let v = crate::parse::parse_json(
            bytes,
            &crate::parse::Limits {
                max_bytes: 512 * 1024 * 1024,
                max_array_items: 10_000_000,
                max_nodes: 100_000_000,
                ..crate::parse::Limits::default()
            },
        )
        .map_err(|e| LoadError(e.to_string()))?;
        match v.get("resourceType").and_then(Value::as_str) {
            Some("ValueSet") => self.load_value_set(&v),
            Some("CodeSystem") => self.load_code_system(&v),
            // A FHIR resource type is a short ASCII name (`Patient`); anything else is input
            // text, and is not repeated in the error.
            Some(other)
                if other.len() <= 64
                    && other.bytes().all(|b| b.is_ascii_alphanumeric())
                    && other.starts_with(|c: char| c.is_ascii_uppercase()) =>
            {
                Err(LoadError(format!(
                    "a {other} resource: expected a ValueSet or a CodeSystem"
                )))
            }
            Some(_) => Err(LoadError(
                "resourceType is not a FHIR resource type: expected a ValueSet or a CodeSystem"
                    .into(),
            )),
            None => Err(LoadError("not a FHIR resource (no resourceType)".into())),
        }
    }

    fn load_value_set(&mut self, v: &Value) -> Result<(), LoadError> {
        let url = v
            .get("url")
            .and_then(Value::as_str)
            .ok_or_else(|| LoadError("the ValueSet has no url".into()))?
            .to_owned();
        let mut members = HashSet::new();
        fn walk(p: &mut OfflineProvider, items: &[Value], members: &mut HashSet<(String, String)>) {
            for c in items {
                if let (Some(s), Some(code)) = (
                    c.get("system").and_then(Value::as_str),
                    c.get("code").and_then(Value::as_str),
                ) {
                    let inactive = c.get("inactive").and_then(Value::as_bool).unwrap_or(false);
                    p.add(s, code, c.get("display").and_then(Value::as_str), inactive);
                    members.insert((s.to_owned(), code.to_owned()));
                }
                if let Some(nested) = c.get("contains").and_then(Value::as_array) {
                    walk(p, nested, members);
                }
            }
        }
        if let Some(contains) = v.pointer("/expansion/contains").and_then(Value::as_array) {
            walk(self, contains, &mut members);
        }
        for inc in v
            .pointer("/compose/include")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let Some(system) = inc.get("system").and_then(Value::as_str) else {
                continue;
            };
            for c in inc
                .get("concept")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Some(code) = c.get("code").and_then(Value::as_str) {
                    self.add(
                        system,
                        code,
                        c.get("display").and_then(Value::as_str),
                        false,
                    );
                    members.insert((system.to_owned(), code.to_owned()));
                }
            }
        }
        if members.is_empty() {
            return Err(LoadError(
                "the ValueSet lists no codes (an expansion or enumerated compose is needed)".into(),
            ));
        }
        self.value_sets.entry(url).or_default().extend(members);
        Ok(())
    }

    fn load_code_system(&mut self, v: &Value) -> Result<(), LoadError> {
        let url = v
            .get("url")
            .and_then(Value::as_str)
            .ok_or_else(|| LoadError("the CodeSystem has no url".into()))?
            .to_owned();
        fn inactive(c: &Value) -> bool {
            c.get("property")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .any(|p| {
                    let code = p.get("code").and_then(Value::as_str);
                    (code == Some("inactive") && p.get("valueBoolean") == Some(&Value::Bool(true)))
                        || (code == Some("status")
                            && matches!(
                                p.get("valueCode").and_then(Value::as_str),
                                Some("retired" | "inactive" | "deprecated")
                            ))
                })
        }
        fn walk(p: &mut OfflineProvider, url: &str, items: &[Value]) {
            for c in items {
                if let Some(code) = c.get("code").and_then(Value::as_str) {
                    p.add(
                        url,
                        code,
                        c.get("display").and_then(Value::as_str),
                        inactive(c),
                    );
                }
                if let Some(nested) = c.get("concept").and_then(Value::as_array) {
                    walk(p, url, nested);
                }
            }
        }
        let concepts = v
            .get("concept")
            .and_then(Value::as_array)
            .ok_or_else(|| LoadError("the CodeSystem lists no concepts".into()))?;
        walk(self, &url, concepts);
        self.systems.insert(url);
        Ok(())
    }

    /// Load a SNOMED CT RF2 simple refset file (tab-separated: `id effectiveTime active
    /// moduleId refsetId referencedComponentId`, with a header line). Members become SNOMED
    /// CT codes, active or inactive as the file says; when a member has several rows the
    /// latest `effectiveTime` wins. The refset is also registered as the value set
    /// `http://snomed.info/sct?fhir_vs=refset/<refsetId>`.
    pub fn load_rf2_refset(&mut self, text: &str) -> Result<(), LoadError> {
        let mut latest: HashMap<(String, String), (String, bool)> = HashMap::new();
        let mut lines = text.lines();
        let header = lines
            .next()
            .ok_or_else(|| LoadError("the refset file is empty".into()))?;
        if !header.starts_with("id\teffectiveTime\tactive") {
            return Err(LoadError(
                "not an RF2 refset file (header id, effectiveTime, active...)".into(),
            ));
        }
        for (n, line) in lines.enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() < 6 {
                return Err(LoadError(format!("line {}: fewer than six columns", n + 2)));
            }
            let key = (f[4].to_owned(), f[5].to_owned());
            let newer = latest.get(&key).is_none_or(|(t, _)| f[1] >= t.as_str());
            if newer {
                latest.insert(key, (f[1].to_owned(), f[2] == "1"));
            }
        }
        if latest.is_empty() {
            return Err(LoadError("the refset file has no members".into()));
        }
        for ((refset, code), (_, active)) in latest {
            self.add(SNOMED_CT, &code, None, !active);
            let url = format!("{SNOMED_CT}?fhir_vs=refset/{refset}");
            if active {
                self.value_sets
                    .entry(url)
                    .or_default()
                    .insert((SNOMED_CT.to_owned(), code));
            }
        }
        Ok(())
    }
}

impl TerminologyProvider for OfflineProvider {
    fn name(&self) -> &str {
        "offline file"
    }

    fn check_code(&self, r: &CodeRequest<'_>) -> CodeCheck {
        let key = (r.system.to_owned(), r.code.to_owned());
        if let Some(vs) = r.value_set.and_then(|u| self.value_sets.get(u)) {
            return match (vs.contains(&key), self.concepts.get(&key)) {
                (true, Some(c)) => CodeCheck::Valid {
                    display: c.display.clone(),
                    inactive: c.inactive,
                },
                _ => CodeCheck::Invalid,
            };
        }
        if !self.systems.contains(r.system) {
            return CodeCheck::NotCovered;
        }
        match self.concepts.get(&key) {
            Some(c) => CodeCheck::Valid {
                display: c.display.clone(),
                inactive: c.inactive,
            },
            None => CodeCheck::Invalid,
        }
    }
}

/// Which element binds a value set, and how strongly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BindingUse {
    /// Technical name of the class.
    pub class: &'static str,
    /// Technical name of the element.
    pub element: &'static str,
    /// Binding strength.
    pub strength: Strength,
}

/// A coded value from an embedded value set, as returned by look-ups.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeEntry {
    /// The value set it belongs to.
    pub value_set: &'static str,
    /// Code system URI.
    pub system: &'static str,
    /// The code.
    pub code: &'static str,
    /// Its display.
    pub display: &'static str,
}

impl fmt::Display for CodeEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.code, self.display)
    }
}

fn entry(v: &'static ValueSetDef, i: &'static IncludeDef, c: &'static CodeDef) -> CodeEntry {
    CodeEntry {
        value_set: v.id,
        system: i.system,
        code: c.code,
        display: c.display,
    }
}

/// Look-ups over a model's embedded value sets (no I/O; works in WebAssembly).
#[derive(Debug, Clone, Copy)]
pub struct Terminology {
    model: &'static Model,
}

impl Default for Terminology {
    fn default() -> Self {
        Terminology {
            model: model::latest(),
        }
    }
}

impl Terminology {
    /// Look-ups over the embedded value sets of `model`.
    pub fn new(model: &'static Model) -> Self {
        Terminology { model }
    }

    /// Every embedded value set.
    pub fn value_sets(&self) -> &'static [ValueSetDef] {
        self.model.value_sets
    }

    /// A value set by id or canonical URL.
    pub fn value_set(&self, id_or_url: &str) -> Option<&'static ValueSetDef> {
        self.model
            .value_sets
            .iter()
            .find(|v| v.id == id_or_url || v.url == id_or_url)
    }

    /// The display of a code in a value set.
    pub fn display(&self, value_set: &str, code: &str) -> Option<&'static str> {
        self.value_set(value_set)?.display(code)
    }

    /// Whether a code is in a value set (`None` when the value set is unknown): listed
    /// under any of its code systems or, for a set that includes BCP 47 language tags, a
    /// well-formed tag with a registered language.
    pub fn contains(&self, value_set: &str, code: &str) -> Option<bool> {
        self.value_set(value_set).map(|v| v.contains(code))
    }

    /// How a coding (`system` when it names one, and `code`) stands against a value set
    /// (`None` when the value set is unknown).
    pub fn membership(
        &self,
        value_set: &str,
        system: Option<&str>,
        code: &str,
    ) -> Option<Membership> {
        self.value_set(value_set)
            .map(|v| v.membership(system, code))
    }

    /// The codes of a value set, in display order (for form drop-downs); each with its
    /// code system. A code system defined by a grammar (BCP 47) contributes only the codes
    /// the set lists.
    pub fn codes(&self, value_set: &str) -> Vec<CodeEntry> {
        self.value_set(value_set)
            .map(|v| v.codes().map(|(i, c)| entry(v, i, c)).collect())
            .unwrap_or_default()
    }

    /// Codes whose display contains `text` (case-insensitive), or whose code is `text`, in
    /// one value set or all.
    pub fn search(&self, text: &str, value_set: Option<&str>) -> Vec<CodeEntry> {
        let needle = text.to_lowercase();
        self.model
            .value_sets
            .iter()
            .filter(|v| value_set.is_none_or(|s| v.id == s || v.url == s))
            .flat_map(|v| v.codes().map(move |(i, c)| entry(v, i, c)))
            .filter(|e| {
                e.display.to_lowercase().contains(&needle) || e.code.eq_ignore_ascii_case(text)
            })
            .collect()
    }

    /// The elements that bind a value set, with their strength.
    pub fn bindings_of(&self, value_set: &str) -> Vec<BindingUse> {
        let Some(vs) = self.value_set(value_set) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for c in self.model.classes {
            for e in c.own_elements() {
                if let Lookup::ValueSet {
                    value_set,
                    strength,
                } = &e.lookup
                {
                    if *value_set == vs.id {
                        out.push(BindingUse {
                            class: c.technical_name,
                            element: e.technical_name,
                            strength: *strength,
                        });
                    }
                }
            }
        }
        out
    }
}

/// The embedded value sets as a provider: answers for their code systems and canonical
/// URLs. Validation always checks codes bound to embedded value sets directly; this impl lets
/// other code (and provider chains) ask the same questions through one interface.
impl TerminologyProvider for Terminology {
    fn name(&self) -> &str {
        "embedded value sets"
    }

    fn check_code(&self, r: &CodeRequest<'_>) -> CodeCheck {
        let sets: Vec<&ValueSetDef> = match r.value_set {
            Some(url) => self
                .model
                .value_sets
                .iter()
                .filter(|v| v.url == url || v.id == url)
                .collect(),
            None => self
                .model
                .value_sets
                .iter()
                .filter(|v| v.include(r.system).is_some())
                .collect(),
        };
        if sets.is_empty() {
            return CodeCheck::NotCovered;
        }
        sets.iter()
            .map(|v| v.membership(Some(r.system), r.code))
            .find_map(|m| match m {
                Membership::Listed(_, c) => Some(CodeCheck::Valid {
                    display: Some(c.display.to_owned()),
                    inactive: c.inactive,
                }),
                Membership::Grammar(_, status) if m.is_member() => Some(CodeCheck::Valid {
                    display: None,
                    inactive: matches!(status, crate::bcp47::TagStatus::Deprecated { .. }),
                }),
                _ => None,
            })
            .unwrap_or(CodeCheck::Invalid)
    }
}

//! The mapping tables: one per MODS class, data in `mapping/mods-<version>.json`, read once.
//!
//! Each class names its FHIR resource type, the UK Core profiles it claims, where the
//! Patient reference goes, fixed content, the paths that must never be left empty, and for
//! each mapped element a path (see [`crate::path`]) and a converter ([`Conv`]). An element
//! without an entry travels in the project's element extension (see
//! [`crate::systems::element_extension`]). `docs/fhir-mapping.md` is generated from these
//! tables (`mods fhir mapping --format markdown`).

use crate::path::{Path, PathError};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// How a MODS value is written in FHIR, and read back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "PascalCase")]
pub enum Conv {
    /// Text to `string` (or `markdown`).
    String,
    /// Yes or No to `boolean`.
    Boolean,
    /// Number to `decimal`.
    Decimal,
    /// Number (a whole number) to `integer`/`positiveInt`/`unsignedInt`.
    Integer,
    /// Date to `date`, when the MODS date is one FHIR can write (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`).
    Date,
    /// Date or Date and Time to `dateTime` (seconds added when left out; an offset required
    /// with a time).
    DateTime,
    /// Date and Time to `instant` (a date and time with seconds and an offset; a date alone
    /// keeps the element in its extension).
    Instant,
    /// Time to `time` (seconds added when left out).
    Time,
    /// A coded value to a primitive `code` (through the optional code map).
    Code,
    /// A coded value to `Coding`.
    Coding,
    /// A coded value to `CodeableConcept.coding` (its `text` may be mapped separately).
    CodeableConcept,
    /// A record reference to `Reference`.
    Reference,
    /// Text to an `Identifier.value`-like string (same as String; kept for documentation).
    Identifier,
    /// Text to a `url` (an attachment's location): only text that is an absolute URL (a
    /// scheme of two or more characters, then no white space); other text keeps the element
    /// in its extension.
    Url,
    /// Person name component to `HumanName`.
    HumanName,
    /// Address component to `Address`.
    Address,
    /// Person contact details component to `telecom` and the UK Core ContactPreference
    /// extension of the resource (path must be empty).
    ContactDetails,
    /// An organisation's contact details: as [`Conv::ContactDetails`], but never a `home`
    /// telecom (invariant org-3): a home telephone keeps the whole element in its extension.
    OrganisationContactDetails,
}

/// Profiles a class claims in `meta.profile`, per profile set.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
pub struct Profiles {
    /// UK Core 2.0.2 (published); `None` where 2.0.2 has no profile for the type.
    #[serde(default)]
    pub stu2: Option<String>,
    /// UK Core current build (drafts included).
    #[serde(default)]
    pub current: Option<String>,
}

/// A fixed piece of content a class always writes.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
pub struct Fixed {
    /// Where.
    pub path: String,
    /// What.
    pub value: serde_json::Value,
}

/// One element's mapping.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
pub struct ElemMap {
    /// Where the value goes.
    pub path: String,
    /// How it is written.
    #[serde(rename = "as")]
    pub conv: Conv,
    /// For [`Conv::Code`]: MODS code to FHIR code, where they differ.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub map: BTreeMap<String, String>,
    /// Use the path only when this element of the same record has a value (the NHS
    /// number's verification status lives on the NHS number identifier, which UK Core
    /// wants with its value); otherwise the element extension.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requires: Option<String>,
    /// A note for the mapping document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A class's mapping.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
pub struct ClassMap {
    /// MODS class technical name.
    pub class: String,
    /// FHIR resource type.
    pub resource: String,
    /// UK Core profiles claimed.
    #[serde(default)]
    pub profile: Profiles,
    /// Path of the reference to the Patient (the record's subject of care), for resources
    /// about the person. Written unless an element maps there.
    #[serde(default)]
    pub subject: Option<String>,
    /// Path of the record uid; default `identifier[system=<record uid system>].value`.
    #[serde(default)]
    pub uid_path: Option<String>,
    /// Content always written (and recognised, then set aside, on import).
    #[serde(default)]
    pub fixed: Vec<Fixed>,
    /// Paths FHIR requires: when nothing was written there, a data-absent-reason is.
    #[serde(default)]
    pub required: Vec<String>,
    /// Element mappings by technical name.
    #[serde(default)]
    pub elements: BTreeMap<String, ElemMap>,
    /// Import untagged resources of this type as this class.
    #[serde(default)]
    pub import_default: bool,
    /// Merged into the resource of the record that references it through this
    /// `class.element` (Person demographics into the Patient).
    #[serde(default)]
    pub merged_into: Option<String>,
    /// Notes for the mapping document.
    #[serde(default)]
    pub notes: Vec<String>,
}

/// A mapping table for one MODS version.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
pub struct Mapping {
    /// MODS version the table is for.
    pub mods_version: String,
    /// FHIR version.
    pub fhir_version: String,
    /// Class mappings.
    pub classes: Vec<ClassMap>,
}

/// A compiled element mapping.
#[derive(Debug, Clone)]
pub struct CompiledElem {
    /// The data.
    pub def: ElemMap,
    /// The parsed path.
    pub path: Path,
}

/// A compiled class mapping.
#[derive(Debug, Clone)]
pub struct CompiledClass {
    /// The data.
    pub def: ClassMap,
    /// Parsed element paths.
    pub elements: BTreeMap<String, CompiledElem>,
    /// Parsed fixed paths.
    pub fixed: Vec<(Path, serde_json::Value)>,
    /// Parsed required paths.
    pub required: Vec<Path>,
    /// For each required path `_name` (a primitive, whose data-absent-reason goes in its
    /// `_name` sibling), the path of the value itself (`name`); `None` for the others.
    pub required_values: Vec<Option<Path>>,
    /// Parsed subject path.
    pub subject: Option<Path>,
    /// Whether an element's mapping writes the subject path itself (then the export does
    /// not add the Patient reference there).
    pub subject_taken: bool,
    /// Parsed uid path.
    pub uid: Path,
}

/// The table of the current MODS version.
pub const MAPPING_JSON: &str = include_str!("../mapping/mods-1.0.json");

/// The compiled mapping of the current MODS version.
pub fn mapping() -> &'static Compiled {
    static M: OnceLock<Compiled> = OnceLock::new();
    M.get_or_init(|| {
        // The table is part of the crate and tested (`mapping_table_compiles`); a defect is a
        // build defect, never input-dependent.
        compile(MAPPING_JSON).unwrap_or_else(|e| panic!("the embedded FHIR mapping table: {e}"))
    })
}

/// All compiled class mappings.
#[derive(Debug)]
pub struct Compiled {
    /// The raw table.
    pub table: Mapping,
    /// By class.
    pub classes: BTreeMap<String, CompiledClass>,
}

impl Compiled {
    /// The mapping of a class, if it has one.
    pub fn class(&self, name: &str) -> Option<&CompiledClass> {
        self.classes.get(name)
    }
}

/// A mapping table that does not compile.
#[derive(Debug, thiserror::Error)]
pub enum MappingError {
    /// Not JSON of the expected shape.
    #[error("not a mapping table: {0}")]
    Json(#[from] serde_json::Error),
    /// A bad path.
    #[error(transparent)]
    Path(#[from] PathError),
    /// Something else.
    #[error("{0}")]
    Other(String),
}

/// Compile a mapping table and check it against the model.
pub fn compile(text: &str) -> Result<Compiled, MappingError> {
    let table: Mapping = serde_json::from_str(text)?;
    let model = mods_core::model::model(&table.mods_version).ok_or_else(|| {
        MappingError::Other(format!("unknown MODS version {}", table.mods_version))
    })?;
    let mut classes = BTreeMap::new();
    for c in &table.classes {
        let class = model
            .class(&c.class)
            .ok_or_else(|| MappingError::Other(format!("unknown class {}", c.class)))?;
        let mut elements = BTreeMap::new();
        for (name, e) in &c.elements {
            let el = class.element(name).ok_or_else(|| {
                MappingError::Other(format!("class {} has no element {name}", c.class))
            })?;
            let path = Path::parse(&e.path)?;
            let array_aware = matches!(
                e.conv,
                Conv::HumanName | Conv::Address | Conv::ContactDetails
            );
            if el.occurs.repeats() && !path.repeats() && !array_aware {
                return Err(MappingError::Other(format!(
                    "{}.{name} repeats but its path `{}` has no `*` step",
                    c.class, e.path
                )));
            }
            if matches!(
                e.conv,
                Conv::ContactDetails | Conv::OrganisationContactDetails
            ) && !e.path.is_empty()
            {
                return Err(MappingError::Other(format!(
                    "{}.{name}: ContactDetails writes at the resource (empty path)",
                    c.class
                )));
            }
            elements.insert(
                name.clone(),
                CompiledElem {
                    def: e.clone(),
                    path,
                },
            );
        }
        let fixed = c
            .fixed
            .iter()
            .map(|f| Ok((Path::parse(&f.path)?, f.value.clone())))
            .collect::<Result<Vec<_>, PathError>>()?;
        let required = c
            .required
            .iter()
            .map(|p| Path::parse(p))
            .collect::<Result<Vec<_>, _>>()?;
        let required_values = required
            .iter()
            .map(|p| p.text.strip_prefix('_').map(Path::parse).transpose())
            .collect::<Result<Vec<_>, _>>()?;
        let subject = c.subject.as_deref().map(Path::parse).transpose()?;
        let subject_taken = subject
            .as_ref()
            .is_some_and(|sp| elements.values().any(|e| &e.path == sp));
        let uid = Path::parse(c.uid_path.as_deref().unwrap_or(&format!(
            "identifier[system={}].value",
            crate::systems::RECORD_UID
        )))?;
        if classes
            .insert(
                c.class.clone(),
                CompiledClass {
                    def: c.clone(),
                    elements,
                    fixed,
                    required,
                    required_values,
                    subject,
                    subject_taken,
                    uid,
                },
            )
            .is_some()
        {
            return Err(MappingError::Other(format!(
                "class {} mapped twice",
                c.class
            )));
        }
    }
    Ok(Compiled { table, classes })
}

#[cfg(test)]
mod tests {
    #[test]
    fn mapping_table_compiles() {
        let m = super::compile(super::MAPPING_JSON).expect("the embedded table compiles");
        assert!(m.classes.contains_key("subject_of_care"));
    }
}

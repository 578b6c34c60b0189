//! The MODS model, as static tables generated from `mods-core/spec/`.
//!
//! Validation is driven entirely by these tables; [`models`] lists every supported version
//! and [`latest`] the current one. The tables are produced by `cargo run -p mods-codegen`
//! from the spec data, so they never disagree with it.

use serde::Serialize;

mod lookup;

pub(crate) use lookup::{ElementKeys, Matchers};

/// One version of the MODS model.
#[derive(Debug, Serialize)]
pub struct Model {
    /// The version string records carry in `mods_version`, e.g. `"1.0"`.
    pub mods_version: &'static str,
    /// Title of the standard.
    pub title: &'static str,
    /// The standard's reference code, e.g. `DAPB4102 Amd 66/2023`.
    pub reference_code: &'static str,
    /// The publication version of the standard this model follows, e.g. `1.0.0`.
    pub publication_version: &'static str,
    /// `current` (the version in force), `historical` (an earlier version, possibly
    /// reconstructed) or `illustrative` (a forward version that is not published MODS).
    pub status: &'static str,
    /// Notes on this version of the model.
    pub notes: &'static [&'static str],
    /// Every class, abstract and component classes included.
    pub classes: &'static [ClassDef],
    /// Every embedded value set.
    pub value_sets: &'static [ValueSetDef],
}

impl Model {
    /// The class with this technical name.
    pub fn class(&self, technical_name: &str) -> Option<&'static ClassDef> {
        lookup::class(self, technical_name)
    }

    /// The value set with this id.
    pub fn value_set(&self, id: &str) -> Option<&'static ValueSetDef> {
        lookup::value_set(self, id)
    }

    /// Classes whose instances live in a collection of a record document.
    pub fn record_classes(&self) -> impl Iterator<Item = &'static ClassDef> {
        self.classes.iter().filter(|c| c.kind == ClassKind::Record)
    }
}

/// What a class is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ClassKind {
    /// A record held in a collection of the record document.
    Record,
    /// A group embedded in another instance; no uid, no version.
    Component,
    /// Never instantiated (Event, Versioned record, Care actor).
    Abstract,
}

/// Whether a class (or element) was read from the published standard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ProvenanceStatus {
    /// Element rows read from the MODS data browser.
    Published,
    /// Modelled by this project from MODS guidance and related standards.
    Provisional,
}

impl ProvenanceStatus {
    /// `published` or `provisional`.
    pub fn as_str(self) -> &'static str {
        match self {
            ProvenanceStatus::Published => "published",
            ProvenanceStatus::Provisional => "provisional",
        }
    }
}

/// A source a class was read or modelled from.
#[derive(Debug, Serialize)]
pub struct Source {
    /// What kind of source (`MODS data browser`, `UK Core profile`, ...).
    pub kind: &'static str,
    /// URL or name.
    #[serde(rename = "ref")]
    pub reference: &'static str,
    /// The MODS data-browser class id, for published classes.
    pub class_id: Option<u64>,
}

/// Where a class comes from.
#[derive(Debug, Serialize)]
pub struct Provenance {
    /// Published or provisional.
    pub status: ProvenanceStatus,
    /// Sources, at least one.
    pub sources: &'static [Source],
    /// What of the published page could be read.
    pub completeness: Option<&'static str>,
    /// Decisions and quirks.
    pub notes: &'static [&'static str],
}

/// One MODS data class.
#[derive(Debug, Serialize)]
pub struct ClassDef {
    /// Published (or proposed) name, verbatim.
    pub name: &'static str,
    /// `lowercase_with_underscores` name; the collection key for record classes.
    pub technical_name: &'static str,
    /// MODS top-level group.
    pub group: &'static str,
    /// Technical name of the parent class, if any.
    pub parent: Option<&'static str>,
    /// Record, component or abstract.
    pub kind: ClassKind,
    /// Whether instances carry `record_uid` and `version_number`.
    pub versioned: bool,
    /// Technical name of the class whose elements this one inherits.
    pub inherits: Option<&'static str>,
    /// `true` for classes that are an optional extension, not MODS.
    pub extension: bool,
    /// One line, in this project's words.
    pub description: &'static str,
    /// Where the class comes from.
    pub provenance: Provenance,
    /// The elements an instance may hold: own rows in published order, then inherited
    /// ones, with the Versioned record elements first for versioned records.
    pub elements: &'static [ElementDef],
    /// Cross-element rules.
    pub rules: &'static [Rule],
}

impl ClassDef {
    /// The element with this technical name.
    pub fn element(&self, technical_name: &str) -> Option<&'static ElementDef> {
        lookup::element(self, technical_name)
    }

    /// The position in [`ClassDef::elements`] of the element with this technical name.
    #[cfg(any(test, feature = "legacy-engine"))]
    pub(crate) fn element_index(&self, technical_name: &str) -> Option<usize> {
        lookup::element_index(self, technical_name)
    }

    /// How the keys of an object of this class are matched to its elements (look it up once
    /// per object, then match each key with [`lookup::ElementKeys::index`]).
    pub(crate) fn element_keys(&self) -> lookup::ElementKeys {
        lookup::element_keys(self)
    }

    /// Where the class is among the generated models: (the position of its model in
    /// [`models`], its position in that model's `classes`); `None` for a class built
    /// elsewhere (tests).
    pub(crate) fn generated_at(&self) -> Option<(usize, usize)> {
        lookup::class_at(self)
    }

    /// The elements an instance must hold, one bit each (element `i` of
    /// [`ClassDef::elements`]: bit `i`).
    pub(crate) fn required_elements(&self) -> u128 {
        lookup::required(self)
    }

    /// The element rows the class itself declares (not inherited, not Versioned record).
    pub fn own_elements(&self) -> impl Iterator<Item = &'static ElementDef> {
        self.elements.iter().filter(|e| !e.inherited)
    }
}

/// The MODS data types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ElementType {
    /// Text.
    Text,
    /// Number.
    Number,
    /// Date (full, or partial where allowed).
    Date,
    /// Time of day.
    Time,
    /// Date and Time, with an offset.
    #[serde(rename = "Date and Time")]
    DateTime,
    /// Lookup: a code or a reference to another record (see [`Lookup`]).
    Lookup,
    /// Yes or No.
    #[serde(rename = "Yes or No")]
    YesNo,
    /// Reference code: a coded reference.
    #[serde(rename = "Reference code")]
    ReferenceCode,
    /// An embedded component (PRSB "Group").
    Group,
}

impl ElementType {
    /// The MODS name of the type.
    pub fn as_str(self) -> &'static str {
        match self {
            ElementType::Text => "Text",
            ElementType::Number => "Number",
            ElementType::Date => "Date",
            ElementType::Time => "Time",
            ElementType::DateTime => "Date and Time",
            ElementType::Lookup => "Lookup",
            ElementType::YesNo => "Yes or No",
            ElementType::ReferenceCode => "Reference code",
            ElementType::Group => "Group",
        }
    }
}

/// How many times an element may occur.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Occurs {
    /// `1..1`: must occur once.
    #[serde(rename = "1..1")]
    One,
    /// `0..1`: could occur once.
    #[serde(rename = "0..1")]
    Optional,
    /// `0..*`: could occur once or more.
    #[serde(rename = "0..*")]
    Many,
    /// `1..*`: must occur once or more.
    #[serde(rename = "1..*")]
    OneOrMore,
}

impl Occurs {
    /// Whether the element must be present.
    pub fn required(self) -> bool {
        matches!(self, Occurs::One | Occurs::OneOrMore)
    }

    /// Whether the element repeats (is a JSON array).
    pub fn repeats(self) -> bool {
        matches!(self, Occurs::Many | Occurs::OneOrMore)
    }

    /// The `min..max` notation.
    pub fn as_str(self) -> &'static str {
        match self {
            Occurs::One => "1..1",
            Occurs::Optional => "0..1",
            Occurs::Many => "0..*",
            Occurs::OneOrMore => "1..*",
        }
    }
}

/// The element row exactly as the MODS data browser shows it.
#[derive(Debug, Serialize)]
pub struct PublishedRow {
    /// The published type, verbatim; `None` where the page was cut off.
    #[serde(rename = "type")]
    pub ty: Option<&'static str>,
    /// The published occurrence wording (`Must occur once`...); `None` where cut off.
    pub occurs: Option<&'static str>,
}

/// How strictly a value set binds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Strength {
    /// Codes must come from the set.
    Required,
    /// Codes should come from the set; others are allowed with a warning.
    Extensible,
    /// The set is a suggestion; not checked.
    Preferred,
}

/// What a Lookup or Reference code element points at.
#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Lookup {
    /// Not a lookup.
    None,
    /// A code from an embedded value set.
    ValueSet {
        /// The value set id.
        value_set: &'static str,
        /// Binding strength.
        strength: Strength,
    },
    /// A code from a terminology that is not embedded.
    External {
        /// Code system URI.
        system: &'static str,
        /// Name of the terminology or value set.
        name: &'static str,
        /// Binding strength.
        strength: Strength,
        /// Canonical URL of the value set, when the binding names one.
        value_set: Option<&'static str>,
    },
    /// The `record_uid` of another record.
    Reference {
        /// Targets as the spec names them.
        targets: &'static [&'static str],
        /// Every concrete record class those targets accept.
        accepts: &'static [&'static str],
    },
}

/// A check applied to a Text identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IdFormat {
    /// NHS number: ten digits, Modulus 11.
    NhsNumber,
    /// ODS organisation or site code of any role.
    OdsCode,
    /// ODS code of a GP practice: a letter and five digits.
    OdsGpPractice,
    /// ODS code of a primary care network: `U` and five digits.
    OdsPcn,
    /// ODS code of an NHS trust or care trust: `R` or `T` and two letters or digits.
    OdsTrust,
    /// ODS code of an NHS trust site: the trust's code and two more letters or digits.
    OdsTrustSite,
    /// ODS code of a sub-ICB location: `00Q`, or five characters such as `X2C4Y`.
    OdsSubIcb,
    /// Unique Property Reference Number.
    Uprn,
    /// UK postcode.
    Postcode,
    /// CQC location or provider id.
    CqcId,
    /// ONS GSS code.
    GssCode,
    /// E-mail address.
    Email,
    /// Record uid.
    Uid,
}

impl IdFormat {
    /// The format name used in the spec and in issue context.
    pub fn as_str(self) -> &'static str {
        match self {
            IdFormat::NhsNumber => "nhs_number",
            IdFormat::OdsCode => "ods_code",
            IdFormat::OdsGpPractice => "ods_gp_practice",
            IdFormat::OdsPcn => "ods_pcn",
            IdFormat::OdsTrust => "ods_trust",
            IdFormat::OdsTrustSite => "ods_trust_site",
            IdFormat::OdsSubIcb => "ods_sub_icb",
            IdFormat::Uprn => "uprn",
            IdFormat::Postcode => "postcode",
            IdFormat::CqcId => "cqc_id",
            IdFormat::GssCode => "gss_code",
            IdFormat::Email => "email",
            IdFormat::Uid => "uid",
        }
    }

    /// For the ODS formats, the role of the organisation the code names.
    pub fn ods_role(self) -> Option<crate::checks::OdsRole> {
        use crate::checks::OdsRole;
        match self {
            IdFormat::OdsCode => Some(OdsRole::Any),
            IdFormat::OdsGpPractice => Some(OdsRole::GpPractice),
            IdFormat::OdsPcn => Some(OdsRole::PrimaryCareNetwork),
            IdFormat::OdsTrust => Some(OdsRole::Trust),
            IdFormat::OdsTrustSite => Some(OdsRole::TrustSite),
            IdFormat::OdsSubIcb => Some(OdsRole::SubIcbLocation),
            _ => None,
        }
    }
}

/// Which dates are implausible for an element (the `plausible` key of the spec data).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Plausible {
    /// The element records something that has already happened (an event, an onset, an
    /// audit entry, a death): a value more than one day after today is implausible.
    Past,
    /// A date of birth: a value more than one day after today, or more than 125 years
    /// before today, is implausible.
    Birth,
}

impl Plausible {
    /// The name used in the spec data and in issue context (`past`, `birth`).
    pub fn as_str(self) -> &'static str {
        match self {
            Plausible::Past => "past",
            Plausible::Birth => "birth",
        }
    }
}

/// One element of a class.
#[derive(Debug, Serialize)]
pub struct ElementDef {
    /// Published name, verbatim.
    pub name: &'static str,
    /// JSON key.
    pub technical_name: &'static str,
    /// The published row, for published elements.
    pub published: Option<PublishedRow>,
    /// Enforced type.
    #[serde(rename = "type")]
    pub ty: ElementType,
    /// Enforced occurrence.
    pub occurs: Occurs,
    /// Binding or reference.
    pub lookup: Lookup,
    /// Embedded component class, for `Group`.
    pub component: Option<&'static str>,
    /// Identifier check, for `Text`.
    pub format: Option<IdFormat>,
    /// Partial dates allowed (on `Date`): every form of [`crate::checks::PartialDate`].
    pub partial: bool,
    /// The time may be left out (on `Date and Time`): a full date alone is accepted too.
    pub time_optional: bool,
    /// When a value is implausible (on `Date` and `Date and Time`): reported as the
    /// warning `implausible-date`.
    pub plausible: Option<Plausible>,
    /// Whole number ≥ 0 required.
    pub integer: bool,
    /// Smallest value allowed, for `Number`.
    pub minimum: Option<f64>,
    /// Class a published row repeats (Event).
    pub inherited_from: Option<&'static str>,
    /// `true` when the element comes from `inherits` or Versioned record, not the class's own rows.
    pub inherited: bool,
    /// One line, in this project's words.
    pub description: &'static str,
    /// Why enforcement differs from the published row, or other quirks.
    pub note: Option<&'static str>,
}

/// A cross-element rule.
#[derive(Debug, Serialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Rule {
    /// `earlier` must not be after `later`.
    DateOrder {
        /// Technical name of the earlier element.
        earlier: &'static str,
        /// Technical name of the later element.
        later: &'static str,
    },
}

/// A coded value in a value set.
#[derive(Debug, PartialEq, Eq, Serialize)]
pub struct CodeDef {
    /// The code.
    pub code: &'static str,
    /// Its display text.
    pub display: &'static str,
    /// Whether the code is inactive: still recognised in old records, not for new ones.
    pub inactive: bool,
}

/// A code system defined by a grammar rather than by a list of codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Grammar {
    /// BCP 47 language tags (RFC 5646, system `urn:ietf:bcp:47`), checked by [`crate::bcp47`]:
    /// well-formed, with a registered primary language subtag.
    Bcp47,
}

impl Grammar {
    /// The name used in the spec data (`bcp47`).
    pub fn as_str(self) -> &'static str {
        match self {
            Grammar::Bcp47 => "bcp47",
        }
    }
}

/// The codes a value set takes from one code system.
#[derive(Debug, PartialEq, Eq, Serialize)]
pub struct IncludeDef {
    /// Code system URI of these codes.
    pub system: &'static str,
    /// Name of the code system, for a value set that spans several.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<&'static str>,
    /// Version of the code system the codes were taken from, when the value set's own
    /// `version` does not say it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<&'static str>,
    /// For a code system defined by a grammar: every code that follows it is in the set
    /// (as well as any listed `codes`, which are then suggestions for forms).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grammar: Option<Grammar>,
    /// The codes, in display order.
    pub codes: &'static [CodeDef],
}

impl IncludeDef {
    /// The listed code `code` (case-sensitive).
    pub fn code(&self, code: &str) -> Option<&'static CodeDef> {
        lookup::code(self, code)
    }
}

/// An embedded value set: codes from one code system, or from several (`includes`).
#[derive(Debug)]
pub struct ValueSetDef {
    /// Id used in bindings.
    pub id: &'static str,
    /// Title.
    pub title: &'static str,
    /// Canonical URL.
    pub url: &'static str,
    /// Where the codes were taken from.
    pub source: &'static str,
    /// Published by its owner, or provisional (this project's).
    pub provenance: ProvenanceStatus,
    /// Version or release of the source the codes were taken from.
    pub version: &'static str,
    /// Licence under which the codes are used.
    pub licence: &'static str,
    /// The code systems it draws on, each with its codes, in display order: one for most
    /// value sets; several for a set such as UK Core Person Relationship Type (HL7 v2
    /// table 0131, v3 RoleCode and a UK Core code system). No two share a system.
    pub includes: &'static [IncludeDef],
    /// Notes.
    pub note: Option<&'static str>,
}

/// How a coding (its system, when it names one, and its code) stands against a value set;
/// see [`ValueSetDef::membership`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Membership {
    /// The code is one of the codes listed under this include.
    Listed(&'static IncludeDef, &'static CodeDef),
    /// The include is defined by a grammar and the code follows it; `status` says whether
    /// its language is registered (BCP 47).
    Grammar(&'static IncludeDef, crate::bcp47::TagStatus),
    /// The coding names one of the set's systems (or none), but the code is not in the set:
    /// not listed, and not a well-formed code of a grammar-defined include.
    NotInSet,
    /// The coding names a code system that is none of the set's.
    OtherSystem,
}

impl Membership {
    /// Whether the coding is in the value set (a deprecated or inactive code included; a
    /// BCP 47 tag whose language is not registered excluded).
    pub fn is_member(self) -> bool {
        match self {
            Membership::Listed(..) => true,
            Membership::Grammar(_, status) => !matches!(
                status,
                crate::bcp47::TagStatus::UnknownLanguage | crate::bcp47::TagStatus::Malformed
            ),
            Membership::NotInSet | Membership::OtherSystem => false,
        }
    }
}

impl ValueSetDef {
    /// The code systems of the set, in order.
    pub fn systems(&self) -> impl Iterator<Item = &'static str> {
        self.includes.iter().map(|i| i.system)
    }

    /// The code system of a value set drawn from one code system; `None` for a set that
    /// spans several.
    pub fn single_system(&self) -> Option<&'static str> {
        match self.includes {
            [one] => Some(one.system),
            _ => None,
        }
    }

    /// The include for a code system.
    pub fn include(&self, system: &str) -> Option<&'static IncludeDef> {
        self.includes.iter().find(|i| i.system == system)
    }

    /// Every listed code with the include it belongs to, in display order.
    pub fn codes(&self) -> impl Iterator<Item = (&'static IncludeDef, &'static CodeDef)> {
        self.includes
            .iter()
            .flat_map(|i| i.codes.iter().map(move |c| (i, c)))
    }

    /// How a coding stands against the set. With a `system`, the code is looked for in that
    /// code system's include only; without one, in every include in order, and the first
    /// that has it answers (a coding may leave the system out). When none has it, a
    /// well-formed BCP 47 tag whose language is not registered is still
    /// [`Membership::Grammar`] (its language does not exist); anything else is
    /// [`Membership::NotInSet`].
    pub fn membership(&self, system: Option<&str>, code: &str) -> Membership {
        // the generated code matchers of the includes, if this is a generated model's set
        let matchers = lookup::code_matchers(self);
        let one = |n: usize, i: &'static IncludeDef| -> Membership {
            let listed = match matchers.and_then(|m| m.get(n)) {
                Some(f) => f(code.as_bytes()).and_then(|p| i.codes.get(p)),
                None => i.code(code),
            };
            if let Some(c) = listed {
                return Membership::Listed(i, c);
            }
            match i.grammar {
                Some(Grammar::Bcp47) => match crate::bcp47::check(code) {
                    crate::bcp47::TagStatus::Malformed => Membership::NotInSet,
                    status => Membership::Grammar(i, status),
                },
                None => Membership::NotInSet,
            }
        };
        if let Some(s) = system {
            return self
                .includes
                .iter()
                .enumerate()
                .find(|(_, i)| i.system == s)
                .map_or(Membership::OtherSystem, |(n, i)| one(n, i));
        }
        let mut nearest = Membership::NotInSet;
        for (n, i) in self.includes.iter().enumerate() {
            match one(n, i) {
                m if m.is_member() => return m,
                m @ Membership::Grammar(..) => nearest = m,
                _ => {}
            }
        }
        nearest
    }

    /// Whether a code (of any of the set's systems) is in the set.
    pub fn contains(&self, code: &str) -> bool {
        self.membership(None, code).is_member()
    }

    /// The display of a listed code (the first include that lists it).
    pub fn display(&self, code: &str) -> Option<&'static str> {
        self.includes
            .iter()
            .find_map(|i| i.code(code))
            .map(|c| c.display)
    }
}

/// Serialised as the spec data writes it (docs/spec-format.md): `system` and `codes` for a
/// value set drawn from one code system, `includes` for one that spans several or is
/// defined by a grammar.
impl Serialize for ValueSetDef {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let plain = match self.includes {
            [one] if one.title.is_none() && one.version.is_none() && one.grammar.is_none() => {
                Some(one)
            }
            _ => None,
        };
        let mut m = serializer.serialize_map(None)?;
        m.serialize_entry("id", self.id)?;
        m.serialize_entry("title", self.title)?;
        m.serialize_entry("url", self.url)?;
        if let Some(one) = plain {
            m.serialize_entry("system", one.system)?;
        }
        m.serialize_entry("source", self.source)?;
        m.serialize_entry("provenance", &self.provenance)?;
        m.serialize_entry("version", self.version)?;
        m.serialize_entry("licence", self.licence)?;
        match plain {
            Some(one) => m.serialize_entry("codes", one.codes)?,
            None => m.serialize_entry("includes", self.includes)?,
        }
        m.serialize_entry("note", &self.note)?;
        m.end()
    }
}

/// Every supported MODS version, oldest first (historical, current and illustrative).
pub fn models() -> &'static [&'static Model] {
    crate::generated::MODELS
}

/// The current MODS version's model (the one in force; not necessarily the newest
/// supported, since illustrative forward versions are supported too).
pub fn latest() -> &'static Model {
    crate::generated::LATEST
}

/// The supported versions as one comma-separated list, oldest first (for messages).
pub fn supported_versions() -> String {
    models()
        .iter()
        .map(|m| m.mods_version)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The model for a `mods_version` string.
pub fn model(version: &str) -> Option<&'static Model> {
    models().iter().copied().find(|m| m.mods_version == version)
}

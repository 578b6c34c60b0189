//! JSON Schema (draft 2020-12) for the record document and for each class, for every
//! supported MODS version, for assurance and for form builders.
//!
//! The schemas start from what schemars derives for the typed classes
//! ([`crate::generated::record_schema`], [`crate::generated::class_schema`]): the set of
//! properties of each class, its title, `type: object` and `additionalProperties: false`.
//! Each property is then rebuilt from the model tables ([`crate::model`]), because the
//! derived schema describes what the *typed classes* accept, which differs from what the
//! *validator* accepts in ways a schema can express:
//!
//! - occurrence: a `1..*` element must be a non-empty array (schemars leaves it optional
//!   because the field defaults to an empty `Vec`); `null` is accepted for every optional
//!   element (the validator warns, `null-value`, but the record stays valid) and for none
//!   of the required ones;
//! - value types: MODS times (`HH:MM[:SS]`, local) and date-times (seconds optional) are
//!   not RFC 3339 `time`/`date-time`, so they get exact patterns; full dates get
//!   `format: date` and a pattern that only matches real calendar days; partial dates a
//!   pattern; whole numbers a range (schemars' `uint64` format is not a standard format);
//! - Text is a string with at least one character that is not white space; identifiers
//!   (NHS number, ODS code, UPRN, postcode, CQC id, GSS code, e-mail, record uid) get
//!   patterns;
//! - codings: `code` is constrained by the bound value set (`oneOf` of `const` + `title`)
//!   and `system` by the value set's system for required bindings; extensible and
//!   preferred bindings list the value set's codes but accept any other code;
//! - annotations `x-mods-*` carry the MODS element names, provenance, published rows and
//!   bindings.
//!
//! Every `pattern` is both ECMA-262 (with the `u` flag) and `regex`-crate syntax, uses no
//! look-around or back-reference, and spells white space as the explicit Unicode
//! `White_Space` set (`\s` differs between ECMA-262, Python and Rust).
//!
//! Unknown properties are refused everywhere (`additionalProperties: false`): the schema
//! is the **strict** mode of the validator. Rules a schema cannot express (the NHS number
//! check digit, date order, references resolving inside the document, unique uids and so
//! on) are listed in `tests/schema/divergences.json` and `docs/json-schema.md`.
//!
//! ```
//! let schema = mods_core::schema::record_schema("1.0").unwrap();
//! assert_eq!(schema["$id"], "https://mods-sdk.org/schemas/1.0/record.schema.json");
//! assert_eq!(schema["properties"]["mods_version"]["const"], "1.0");
//! assert!(mods_core::schema::class_schema("1.0", "alert").is_some());
//! ```

use crate::checks::{self, OdsRole};
use crate::model::{
    self, ClassDef, ClassKind, ElementDef, ElementType, Grammar, IdFormat, IncludeDef, Lookup,
    Model, Occurs, Strength, ValueSetDef,
};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// The JSON Schema dialect of every schema: draft 2020-12.
pub const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// The base of every schema's `$id`; the MODS version and the file name follow it.
pub const BASE_URL: &str = "https://mods-sdk.org/schemas";

/// The `x-mods-*` annotation keywords the schemas use. Validators that refuse unknown
/// keywords (ajv in strict mode) must be told about these; they never affect validation.
pub const ANNOTATIONS: &[&str] = &[
    "x-mods-binding",
    "x-mods-class",
    "x-mods-format",
    "x-mods-group",
    "x-mods-inherited-from",
    "x-mods-kind",
    "x-mods-model",
    "x-mods-name",
    "x-mods-note",
    "x-mods-occurs",
    "x-mods-provenance",
    "x-mods-published",
    "x-mods-reference",
    "x-mods-rules",
    "x-mods-type",
    "x-mods-value-set",
    "x-mods-version",
];

/// The `$id` of the record-document schema of a MODS version.
pub fn record_schema_id(mods_version: &str) -> String {
    format!("{BASE_URL}/{mods_version}/record.schema.json")
}

/// The `$id` of the schema of one class of a MODS version.
pub fn class_schema_id(mods_version: &str, class: &str) -> String {
    format!("{BASE_URL}/{mods_version}/classes/{class}.schema.json")
}

/// The classes of a MODS version that have a class schema: every record and component
/// class (abstract classes are never instantiated), in model order. `None` for an
/// unsupported version.
pub fn schema_classes(mods_version: &str) -> Option<Vec<&'static str>> {
    let m = model::model(mods_version)?;
    Some(
        m.classes
            .iter()
            .filter(|c| c.kind != ClassKind::Abstract)
            .map(|c| c.technical_name)
            .collect(),
    )
}

/// The JSON Schema of the record document of a MODS version (`None` for an unsupported
/// version). Deterministic: the same model always gives the same value.
pub fn record_schema(mods_version: &str) -> Option<Value> {
    let m = model::model(mods_version)?;
    let derived = crate::generated::record_schema(mods_version)?;
    let mut g = Gen::new(m);
    let mut root = start_from(derived.as_value());
    let mut props = Map::new();
    props.insert(
        "mods_version".into(),
        json!({
            "title": "MODS version",
            "description": format!("The MODS version the record is written to: \"{}\" for this schema.", m.mods_version),
            "type": "string",
            "const": m.mods_version,
        }),
    );
    let mut required = vec![Value::from("mods_version")];
    if let Some(soc) = m.class("subject_of_care") {
        props.insert(
            "subject_of_care".into(),
            json!({
                "title": soc.name,
                "description": soc.description,
                "$ref": g.class_ref(soc),
            }),
        );
        required.push("subject_of_care".into());
    }
    props.insert(
        crate::validate::EXTENSIONS.into(),
        json!({
            "title": "Extensions",
            "description": "Data a migration kept that this MODS version cannot hold; an object, not checked further.",
            "type": "object",
        }),
    );
    for c in m.record_classes() {
        if c.technical_name == "subject_of_care" {
            continue;
        }
        props.insert(
            c.technical_name.into(),
            json!({
                "title": c.name,
                "description": format!("The {} records of the person.", c.name),
                "type": "array",
                "items": { "$ref": g.class_ref(c) },
            }),
        );
    }
    root.insert("$id".into(), record_schema_id(m.mods_version).into());
    root.insert(
        "title".into(),
        format!("MODS {} record document", m.mods_version).into(),
    );
    root.insert(
        "description".into(),
        format!(
            "One person's record under {} ({}), MODS version {}: mods_version, subject_of_care and one array per record class. Generated by mods-sdk from its model tables; see docs/json-schema.md.",
            m.title, m.reference_code, m.mods_version
        )
        .into(),
    );
    root.insert("type".into(), "object".into());
    root.insert("properties".into(), Value::Object(props));
    root.insert("required".into(), Value::Array(required));
    root.insert("additionalProperties".into(), false.into());
    root.insert("x-mods-version".into(), m.mods_version.into());
    root.insert("x-mods-model".into(), model_annotation(m));
    Some(g.finish(root))
}

/// The JSON Schema of one instance of a class of a MODS version, by technical name (for
/// example `"alert"`), as `validate_instance` checks it. `None` for an unsupported version
/// or a class that is unknown or abstract.
pub fn class_schema(mods_version: &str, class: &str) -> Option<Value> {
    let m = model::model(mods_version)?;
    let c = m.class(class).filter(|c| c.kind != ClassKind::Abstract)?;
    let derived = crate::generated::class_schema(mods_version, class)?;
    let mut g = Gen::new(m);
    let mut root = start_from(derived.as_value());
    g.fill_class(c, &mut root);
    root.insert(
        "$id".into(),
        class_schema_id(m.mods_version, c.technical_name).into(),
    );
    root.insert("x-mods-version".into(), m.mods_version.into());
    Some(g.finish(root))
}

/// The top-level keywords of a schemars schema worth keeping (its `$defs` and property
/// schemas are rebuilt from the model).
fn start_from(derived: &Value) -> Map<String, Value> {
    let mut out = Map::new();
    out.insert("$schema".into(), DIALECT.into());
    if let Some(obj) = derived.as_object() {
        for key in ["title", "type", "additionalProperties", "properties"] {
            if let Some(v) = obj.get(key) {
                out.insert(key.into(), v.clone());
            }
        }
    }
    out
}

fn model_annotation(m: &Model) -> Value {
    json!({
        "title": m.title,
        "reference_code": m.reference_code,
        "publication_version": m.publication_version,
        "status": m.status,
    })
}

/// The only include of a value set drawn from one listed code system (no grammar), which
/// keeps the single-system schema shape.
fn plain_include(vs: &ValueSetDef) -> Option<&'static IncludeDef> {
    match vs.includes {
        [one] if one.grammar.is_none() => Some(one),
        _ => None,
    }
}

/// `const` + `title` (and `deprecated` for inactive codes) for each listed code.
fn code_consts(inc: &IncludeDef) -> Vec<Value> {
    let mut seen = BTreeSet::new();
    inc.codes
        .iter()
        .filter(|c| seen.insert(c.code))
        .map(|c| {
            let mut o = json!({ "const": c.code, "title": c.display });
            if c.inactive {
                o["deprecated"] = true.into();
            }
            o
        })
        .collect()
}

/// The explicit Unicode `White_Space` set, for character classes (`\s` differs between
/// ECMA-262, Python's `re` and the `regex` crate).
const WS: &str = r"\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000";

/// A year 0001 to 9999.
const YEAR: &str = "(?:[0-9]{3}[1-9]|[0-9]{2}[1-9]0|[0-9][1-9]00|[1-9]000)";
/// A leap year 0004 to 9996.
const LEAP_YEAR: &str =
    "(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)";
const MONTH: &str = "(?:0[1-9]|1[0-2])";
const CLOCK: &str = "(?:[01][0-9]|2[0-3]):[0-5][0-9]";

/// A real calendar day `YYYY-MM-DD`, unanchored.
fn full_date() -> String {
    format!(
        "(?:{YEAR}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))|{LEAP_YEAR}-02-29)"
    )
}

/// A day of a month in any year `MM-DD` (`02-29` included), unanchored.
const MONTH_DAY: &str = "(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|[12][0-9]))";

/// What follows the date in a MODS Date and Time: `THH:MM[:SS[.f]]` and `Z` or `±HH:MM`.
fn time_and_offset() -> String {
    format!(r"[Tt]{CLOCK}(?::[0-5][0-9](?:\.[0-9]{{1,9}})?)?(?:[Zz]|[+-]{CLOCK})")
}

/// Every pattern the schemas use for a named shared type, anchored (also the input hints
/// of [`crate::form`]).
pub(crate) fn shared_def(name: &str) -> Option<Value> {
    let not_blank = format!("[^{WS}]");
    let v = match name {
        "Text" => json!({
            "title": "Text",
            "description": "MODS Text: a string that is not empty or only white space.",
            "type": "string",
            "pattern": not_blank,
        }),
        "Date" => json!({
            "title": "Date",
            "description": "MODS Date: YYYY-MM-DD naming a real day.",
            "type": "string",
            "format": "date",
            "pattern": format!("^{}$", full_date()),
        }),
        "PartialDate" => json!({
            "title": "Partial date",
            "description": "MODS Date where a partial date is allowed: YYYY-MM-DD, YYYY-MM, YYYY, YY (a century: 19 is 1900 to 1999), --MM-DD (a day and month, year unknown) or --MM (a month, year unknown), naming a real date.",
            "type": "string",
            "pattern": format!(
                "^(?:{}|{YEAR}-{MONTH}|{YEAR}|[0-9]{{2}}|--{MONTH_DAY}|--{MONTH})$",
                full_date()
            ),
        }),
        "Time" => json!({
            "title": "Time",
            "description": "MODS Time: a local clock time HH:MM or HH:MM:SS (24-hour, no offset). Not RFC 3339 `time`, which needs seconds and an offset.",
            "type": "string",
            "pattern": format!("^{CLOCK}(?::[0-5][0-9])?$"),
        }),
        "DateTime" => json!({
            "title": "Date and Time",
            "description": "MODS Date and Time: YYYY-MM-DDTHH:MM[:SS[.fraction]] with Z or an offset ±HH:MM (RFC 3339 with optional seconds; T and Z may be lower case), naming a real day.",
            "type": "string",
            "pattern": format!("^{}{}$", full_date(), time_and_offset()),
        }),
        "DateOrDateTime" => json!({
            "title": "Date, or Date and Time",
            "description": "MODS Date and Time whose time is optional: a date YYYY-MM-DD naming a real day, or a date and time as for Date and Time.",
            "type": "string",
            "pattern": format!("^{}(?:{})?$", full_date(), time_and_offset()),
        }),
        "Coding" => json!({
            "title": "Coding",
            "description": "A coded value: code (required), system (optional; the bound value set's system is assumed) and display (optional).",
            "type": "object",
            "properties": {
                "code": { "title": "Code", "type": "string", "pattern": not_blank },
                "system": { "title": "System", "description": "URI of the code system.", "type": "string" },
                "display": { "title": "Display", "description": "Text shown for the code.", "type": "string" },
            },
            "required": ["code"],
            "additionalProperties": false,
        }),
        "RecordUid" => json!({
            "title": "Record uid",
            "description": "A record uid: 1 to 128 characters, none of them white space or control characters.",
            "type": "string",
            "pattern": format!(r"^[^{WS}\u0000-\u001f\u007f-\u009f]{{1,128}}$"),
        }),
        "NhsNumber" => json!({
            "title": "NHS number",
            "description": "Ten digits, not one digit repeated. The Modulus 11 check digit is checked by the library only.",
            "type": "string",
            "pattern": "^[0-9]{10}$",
            "not": { "enum": (0..10).map(|d| d.to_string().repeat(10)).collect::<Vec<_>>() },
        }),
        "OdsCode" => ods_def("ODS code", OdsRole::Any),
        "OdsGpPractice" => ods_def("GP practice ODS code", OdsRole::GpPractice),
        "OdsPcn" => ods_def("Primary care network ODS code", OdsRole::PrimaryCareNetwork),
        "OdsTrust" => ods_def("NHS trust ODS code", OdsRole::Trust),
        "OdsTrustSite" => ods_def("NHS trust site ODS code", OdsRole::TrustSite),
        "OdsSubIcb" => ods_def("Sub-ICB location ODS code", OdsRole::SubIcbLocation),
        "Uprn" => json!({
            "title": "UPRN",
            "description": "Unique Property Reference Number: 1 to 12 digits, no leading zero.",
            "type": "string",
            "pattern": "^[1-9][0-9]{0,11}$",
        }),
        "Postcode" => json!({
            "title": "UK postcode",
            "description": "A UK postcode, NHS pseudo-postcode (ZZ99 3VZ), BFPO number or British Overseas Territory postcode, in any letter case, with one space, no space or the spaces of the 8-character NHS Postcode Directory form. The library notes forms other than the normal one (postcode-not-normalised, information).",
            "type": "string",
            "pattern": ascii_case_insensitive(checks::postcode_pattern()),
        }),
        "CqcId" => json!({
            "title": "CQC id",
            "description": "CQC location or provider id: 1- followed by 1 to 15 digits.",
            "type": "string",
            "pattern": "^1-[0-9]{1,15}$",
        }),
        "GssCode" => json!({
            "title": "GSS code",
            "description": "ONS GSS code: E, W, S or N and eight digits.",
            "type": "string",
            "pattern": "^[EWSN][0-9]{8}$",
        }),
        "Email" => json!({
            "title": "E-mail address",
            "description": "A plausible e-mail address: one @, no white space, a dot in the domain, at most 254 characters.",
            "type": "string",
            "maxLength": 254,
            "pattern": format!(r"^[^@{WS}]+@[^@{WS}.]+(?:\.[^@{WS}.]+)+$"),
        }),
        _ => return None,
    };
    Some(v)
}

/// The shared definition of the codes of one ODS role.
fn ods_def(title: &str, role: OdsRole) -> Value {
    json!({
        "title": title,
        "description": format!("{}.", capitalise(role.form())),
        "type": "string",
        "pattern": role.pattern(),
    })
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// A pattern that matches what `pattern` matches, in any ASCII letter case: each upper-case
/// letter, alone or in a character class (ranges included), also stands for its lower-case
/// form. JSON Schema patterns have no flags, so this is how a schema says "any case". The
/// pattern must use no escapes or classes that name letters (`\d`, `\p{..}`): the
/// patterns here do not.
fn ascii_case_insensitive(pattern: &str) -> String {
    let mut out = String::new();
    let mut chars = pattern.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '[' => {
                let mut items = Vec::new();
                while let Some(c) = chars.next() {
                    if c == ']' {
                        break;
                    }
                    if chars.peek() == Some(&'-') {
                        chars.next();
                        match chars.next() {
                            Some(']') | None => {
                                items.push((c, c));
                                items.push(('-', '-'));
                                break;
                            }
                            Some(end) => items.push((c, end)),
                        }
                    } else {
                        items.push((c, c));
                    }
                }
                out.push('[');
                let lower: Vec<(char, char)> = items
                    .iter()
                    .filter(|(a, b)| a.is_ascii_uppercase() && b.is_ascii_uppercase())
                    .map(|(a, b)| (a.to_ascii_lowercase(), b.to_ascii_lowercase()))
                    .collect();
                for (a, b) in items.iter().chain(&lower) {
                    out.push(*a);
                    if a != b {
                        out.push('-');
                        out.push(*b);
                    }
                }
                out.push(']');
            }
            c if c.is_ascii_uppercase() => {
                out.push('[');
                out.push(c);
                out.push(c.to_ascii_lowercase());
                out.push(']');
            }
            c => out.push(c),
        }
    }
    out
}

/// The shared type of an identifier format.
pub(crate) fn format_def(f: IdFormat) -> &'static str {
    match f {
        IdFormat::NhsNumber => "NhsNumber",
        IdFormat::OdsCode => "OdsCode",
        IdFormat::OdsGpPractice => "OdsGpPractice",
        IdFormat::OdsPcn => "OdsPcn",
        IdFormat::OdsTrust => "OdsTrust",
        IdFormat::OdsTrustSite => "OdsTrustSite",
        IdFormat::OdsSubIcb => "OdsSubIcb",
        IdFormat::Uprn => "Uprn",
        IdFormat::Postcode => "Postcode",
        IdFormat::CqcId => "CqcId",
        IdFormat::GssCode => "GssCode",
        IdFormat::Email => "Email",
        IdFormat::Uid => "RecordUid",
    }
}

fn strength_str(s: Strength) -> &'static str {
    match s {
        Strength::Required => "required",
        Strength::Extensible => "extensible",
        Strength::Preferred => "preferred",
    }
}

fn def_ref(name: &str) -> String {
    format!("#/$defs/{name}")
}

/// Builds one schema: collects the `$defs` it refers to.
struct Gen {
    model: &'static Model,
    defs: BTreeMap<String, Value>,
    /// Classes whose definitions are still to be built.
    pending: Vec<&'static ClassDef>,
    wanted: BTreeSet<String>,
}

impl Gen {
    fn new(model: &'static Model) -> Self {
        Gen {
            model,
            defs: BTreeMap::new(),
            pending: Vec::new(),
            wanted: BTreeSet::new(),
        }
    }

    /// A reference to a shared definition, added on first use.
    fn shared(&mut self, name: &str) -> String {
        if !self.defs.contains_key(name) {
            if let Some(d) = shared_def(name) {
                self.defs.insert(name.into(), d);
            }
        }
        def_ref(name)
    }

    /// A reference to a class definition, built once the current one is done.
    fn class_ref(&mut self, c: &'static ClassDef) -> String {
        if self.wanted.insert(c.technical_name.into()) {
            self.pending.push(c);
        }
        def_ref(c.technical_name)
    }

    /// The `$defs` entry for the codes of a value set: `oneOf` its codes for a set drawn
    /// from one listed code system; for a set that spans several code systems (or one
    /// defined by a grammar), `anyOf` one entry per code system ([`Self::include_ref`]).
    fn value_set_ref(&mut self, vs: &'static ValueSetDef) -> String {
        let name = format!("value_set.{}", vs.id);
        if !self.defs.contains_key(&name) {
            let mut d = match plain_include(vs) {
                Some(one) => json!({
                    "title": vs.title,
                    "description": format!("A code of the value set {} ({}).", vs.title, vs.url),
                    "type": "string",
                    "oneOf": code_consts(one),
                    "x-mods-value-set": {
                        "id": vs.id,
                        "url": vs.url,
                        "system": one.system,
                        "source": vs.source,
                        "version": vs.version,
                        "licence": vs.licence,
                        "provenance": vs.provenance.as_str(),
                    },
                }),
                None => {
                    let parts: Vec<Value> = (0..vs.includes.len())
                        .map(|n| json!({ "$ref": self.include_ref(vs, n) }))
                        .collect();
                    json!({
                        "title": vs.title,
                        "description": format!(
                            "A code of the value set {} ({}), from any of its code systems.",
                            vs.title, vs.url
                        ),
                        "type": "string",
                        "anyOf": parts,
                        "x-mods-value-set": {
                            "id": vs.id,
                            "url": vs.url,
                            "systems": vs.systems().collect::<Vec<_>>(),
                            "source": vs.source,
                            "version": vs.version,
                            "licence": vs.licence,
                            "provenance": vs.provenance.as_str(),
                        },
                    })
                }
            };
            if let Some(n) = vs.note {
                d["x-mods-note"] = n.into();
            }
            self.defs.insert(name.clone(), d);
        }
        def_ref(&name)
    }

    /// The `$defs` entry `value_set.<id>.<n>` for the codes a value set takes from its
    /// `n`th code system: `oneOf` the listed codes, or the grammar's `pattern` (BCP 47).
    fn include_ref(&mut self, vs: &'static ValueSetDef, n: usize) -> String {
        let name = format!("value_set.{}.{n}", vs.id);
        if !self.defs.contains_key(&name) {
            let inc = &vs.includes[n];
            let title = inc.title.unwrap_or(inc.system);
            let mut note = json!({ "id": vs.id, "system": inc.system, "title": title });
            if let Some(v) = inc.version {
                note["version"] = v.into();
            }
            let d = match inc.grammar {
                Some(g @ Grammar::Bcp47) => {
                    note["grammar"] = g.as_str().into();
                    json!({
                        "title": title,
                        "description": format!(
                            "A well-formed BCP 47 language tag (RFC 5646), system {}, in the value set {}. Whether its language subtag is registered is checked by the library only.",
                            inc.system, vs.title
                        ),
                        "type": "string",
                        "pattern": crate::bcp47::pattern(),
                        "x-mods-value-set": note,
                    })
                }
                None => json!({
                    "title": title,
                    "description": format!(
                        "A code of {title} ({}) in the value set {}.",
                        inc.system, vs.title
                    ),
                    "type": "string",
                    "oneOf": code_consts(inc),
                    "x-mods-value-set": note,
                }),
            };
            self.defs.insert(name.clone(), d);
        }
        def_ref(&name)
    }

    /// The root object with every `$defs` it (transitively) refers to.
    fn finish(mut self, mut root: Map<String, Value>) -> Value {
        while let Some(c) = self.pending.pop() {
            let mut obj = crate::generated::class_schema(self.model.mods_version, c.technical_name)
                .map(|s| start_from(s.as_value()))
                .unwrap_or_default();
            obj.remove("$schema");
            self.fill_class(c, &mut obj);
            self.defs
                .insert(c.technical_name.into(), Value::Object(obj));
        }
        if !self.defs.is_empty() {
            let defs: Map<String, Value> = std::mem::take(&mut self.defs).into_iter().collect();
            root.insert("$defs".into(), Value::Object(defs));
        }
        Value::Object(root)
    }

    /// Rebuild a class schema (started from schemars) from the model.
    fn fill_class(&mut self, c: &'static ClassDef, obj: &mut Map<String, Value>) {
        let mut props = Map::new();
        let mut required = Vec::new();
        for el in c.elements {
            props.insert(el.technical_name.into(), self.element(el));
            if el.occurs.required() {
                required.push(Value::from(el.technical_name));
            }
        }
        self.postcodes_abroad(c, &mut props, obj);
        obj.insert("title".into(), c.name.into());
        obj.insert("description".into(), c.description.into());
        obj.insert("type".into(), "object".into());
        obj.insert("properties".into(), Value::Object(props));
        if required.is_empty() {
            obj.remove("required");
        } else {
            obj.insert("required".into(), Value::Array(required));
        }
        obj.insert("additionalProperties".into(), false.into());
        obj.insert("x-mods-name".into(), c.name.into());
        obj.insert("x-mods-class".into(), c.technical_name.into());
        obj.insert(
            "x-mods-kind".into(),
            serde_json::to_value(c.kind).unwrap_or(Value::Null),
        );
        obj.insert("x-mods-group".into(), c.group.into());
        obj.insert(
            "x-mods-provenance".into(),
            serde_json::to_value(&c.provenance).unwrap_or(Value::Null),
        );
        if !c.rules.is_empty() {
            obj.insert(
                "x-mods-rules".into(),
                serde_json::to_value(c.rules).unwrap_or(Value::Null),
            );
        }
    }

    /// In a class with a country element (an Address), a postcode is a UK postcode only
    /// when the country is absent or one of the UK postcode countries; abroad it is free
    /// text. The postcode property becomes Text, and an `if`/`else` on the country adds the
    /// UK postcode pattern back for addresses in the UK (as `validate` does).
    fn postcodes_abroad(
        &mut self,
        c: &'static ClassDef,
        props: &mut Map<String, Value>,
        obj: &mut Map<String, Value>,
    ) {
        let Some(country) = c.element(checks::COUNTRY_ELEMENT) else {
            return;
        };
        let mut uk = Map::new();
        for el in c
            .elements
            .iter()
            .filter(|e| e.format == Some(IdFormat::Postcode))
        {
            let text = json!({ "$ref": self.shared("Text") });
            props.insert(el.technical_name.into(), self.annotated(el, text));
            let postcode = json!({ "$ref": self.shared(format_def(IdFormat::Postcode)) });
            uk.insert(el.technical_name.into(), occurrence(el, postcode));
        }
        if uk.is_empty() {
            return;
        }
        // abroad: a code of the country's value set, other than the UK postcode countries
        let mut code =
            json!({ "type": "string", "not": { "enum": checks::UK_POSTCODE_COUNTRIES } });
        if let Lookup::ValueSet { value_set, .. } = &country.lookup {
            if let Some(vs) = self.model.value_set(value_set) {
                code["$ref"] = self.value_set_ref(vs).into();
            }
        }
        obj.insert(
            "if".into(),
            json!({
                "required": [checks::COUNTRY_ELEMENT],
                "properties": {
                    (checks::COUNTRY_ELEMENT): {
                        "type": "object",
                        "required": ["code"],
                        "properties": { "code": code },
                    },
                },
            }),
        );
        obj.insert("else".into(), json!({ "properties": uk }));
    }

    /// The schema of one element: its value schema, as an array when it repeats, and
    /// accepting `null` when it is optional.
    fn element(&mut self, el: &'static ElementDef) -> Value {
        let single = self.value(el);
        self.annotated(el, single)
    }

    /// The schema of one element whose value schema is `single`, with its annotations.
    fn annotated(&mut self, el: &'static ElementDef, single: Value) -> Value {
        let s = occurrence(el, single);
        let Value::Object(mut o) = s else {
            return s;
        };
        o.insert("title".into(), el.name.into());
        o.insert("description".into(), el.description.into());
        o.insert("x-mods-name".into(), el.name.into());
        o.insert("x-mods-type".into(), el.ty.as_str().into());
        o.insert("x-mods-occurs".into(), el.occurs.as_str().into());
        o.insert(
            "x-mods-provenance".into(),
            if el.published.is_some() {
                "published"
            } else {
                "provisional"
            }
            .into(),
        );
        if let Some(p) = &el.published {
            o.insert(
                "x-mods-published".into(),
                serde_json::to_value(p).unwrap_or(Value::Null),
            );
        }
        if let Some(f) = el.inherited_from {
            o.insert("x-mods-inherited-from".into(), f.into());
        }
        if let Some(n) = el.note {
            o.insert("x-mods-note".into(), n.into());
        }
        if let Some(f) = el.format {
            o.insert("x-mods-format".into(), f.as_str().into());
        }
        match &el.lookup {
            Lookup::None => {}
            Lookup::ValueSet {
                value_set,
                strength,
            } => {
                let mut b = json!({ "value_set": value_set, "strength": strength_str(*strength) });
                if let Some(vs) = self.model.value_set(value_set) {
                    b["url"] = vs.url.into();
                    match vs.single_system() {
                        Some(system) => b["system"] = system.into(),
                        None => b["systems"] = vs.systems().collect::<Vec<_>>().into(),
                    }
                }
                o.insert("x-mods-binding".into(), b);
            }
            Lookup::External {
                system,
                name,
                strength,
                value_set,
            } => {
                let mut b = json!({
                    "terminology": name,
                    "system": system,
                    "strength": strength_str(*strength),
                });
                if let Some(vs) = value_set {
                    b["url"] = (*vs).into();
                }
                o.insert("x-mods-binding".into(), b);
            }
            Lookup::Reference { targets, accepts } => {
                o.insert(
                    "x-mods-reference".into(),
                    json!({ "targets": targets, "accepts": accepts }),
                );
            }
        }
        Value::Object(o)
    }

    /// The schema of one value of an element.
    fn value(&mut self, el: &'static ElementDef) -> Value {
        match el.ty {
            ElementType::Text => match el.format {
                Some(f) => json!({ "$ref": self.shared(format_def(f)) }),
                None => json!({ "$ref": self.shared("Text") }),
            },
            ElementType::Number => {
                let mut n = Map::new();
                if el.integer {
                    n.insert("type".into(), "integer".into());
                    let min = el.minimum.unwrap_or(0.0).max(0.0);
                    n.insert("minimum".into(), number(min));
                    n.insert("maximum".into(), 9_007_199_254_740_991u64.into());
                } else {
                    n.insert("type".into(), "number".into());
                    if let Some(min) = el.minimum {
                        n.insert("minimum".into(), number(min));
                    }
                }
                Value::Object(n)
            }
            ElementType::Date if el.partial => json!({ "$ref": self.shared("PartialDate") }),
            ElementType::Date => json!({ "$ref": self.shared("Date") }),
            ElementType::Time => json!({ "$ref": self.shared("Time") }),
            ElementType::DateTime if el.time_optional => {
                json!({ "$ref": self.shared("DateOrDateTime") })
            }
            ElementType::DateTime => json!({ "$ref": self.shared("DateTime") }),
            ElementType::YesNo => json!({ "type": "boolean" }),
            ElementType::Lookup | ElementType::ReferenceCode => match &el.lookup {
                Lookup::Reference { .. } => json!({ "$ref": self.shared("RecordUid") }),
                Lookup::ValueSet {
                    value_set,
                    strength,
                } => {
                    let coding = self.shared("Coding");
                    match self.model.value_set(value_set) {
                        Some(vs) if *strength == Strength::Required => match plain_include(vs) {
                            Some(one) => {
                                let codes = self.value_set_ref(vs);
                                json!({
                                    "$ref": coding,
                                    "type": "object",
                                    "properties": {
                                        "code": { "$ref": codes },
                                        "system": { "const": one.system },
                                    },
                                })
                            }
                            // a system and the codes of that system; without a system, a
                            // code of any of them
                            None => {
                                self.value_set_ref(vs);
                                let branches: Vec<Value> = (0..vs.includes.len())
                                    .map(|n| {
                                        json!({
                                            "properties": {
                                                "code": { "$ref": self.include_ref(vs, n) },
                                                "system": { "const": vs.includes[n].system },
                                            },
                                        })
                                    })
                                    .collect();
                                json!({
                                    "$ref": coding,
                                    "type": "object",
                                    "anyOf": branches,
                                })
                            }
                        },
                        Some(vs) => {
                            let codes = self.value_set_ref(vs);
                            json!({
                                "$ref": coding,
                                "type": "object",
                                "properties": {
                                    "code": { "anyOf": [ { "$ref": codes }, { "type": "string" } ] },
                                },
                            })
                        }
                        None => json!({ "$ref": coding }),
                    }
                }
                Lookup::External {
                    system, strength, ..
                } if *strength == Strength::Required => json!({
                    "$ref": self.shared("Coding"),
                    "type": "object",
                    "properties": { "system": { "const": system } },
                }),
                _ => json!({ "$ref": self.shared("Coding") }),
            },
            ElementType::Group => match el.component.and_then(|c| self.model.class(c)) {
                Some(comp) => json!({ "$ref": self.class_ref(comp) }),
                None => json!({}),
            },
        }
    }
}

/// A value schema as an element of `el`'s occurrence: an array when it repeats, and
/// accepting `null` when it is optional.
fn occurrence(el: &ElementDef, single: Value) -> Value {
    let mut s = if el.occurs.repeats() {
        let mut a = json!({ "type": "array", "items": single });
        if el.occurs == Occurs::OneOrMore {
            a["minItems"] = 1.into();
        }
        a
    } else {
        single
    };
    if !el.occurs.required() {
        s = json!({ "anyOf": [s, { "type": "null" }] });
    }
    s
}

/// A JSON number, whole when it can be.
fn number(f: f64) -> Value {
    if f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 {
        Value::from(f as i64)
    } else {
        Value::from(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every (keyword, value) pair of every subschema (not annotation values, not
    /// property names).
    fn walk<'v>(v: &'v Value, out: &mut Vec<(&'v str, &'v Value)>) {
        match v {
            Value::Object(o) => {
                for (k, x) in o {
                    out.push((k.as_str(), x));
                    match k.as_str() {
                        "properties" | "$defs" => {
                            for sub in x.as_object().unwrap().values() {
                                walk(sub, out);
                            }
                        }
                        "items" | "not" | "anyOf" | "oneOf" | "allOf" | "if" | "then" | "else" => {
                            walk(x, out)
                        }
                        _ => {}
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            _ => {}
        }
    }

    fn every_schema() -> Vec<Value> {
        let mut all = Vec::new();
        for m in model::models() {
            all.push(record_schema(m.mods_version).unwrap());
            for c in schema_classes(m.mods_version).unwrap() {
                all.push(class_schema(m.mods_version, c).unwrap());
            }
        }
        all
    }

    #[test]
    fn every_version_and_class_has_a_schema() {
        for m in model::models() {
            let r = record_schema(m.mods_version).unwrap();
            assert_eq!(r["$schema"], DIALECT);
            assert_eq!(r["$id"], record_schema_id(m.mods_version));
            assert_eq!(r["properties"]["mods_version"]["const"], m.mods_version);
            for c in m.record_classes() {
                if c.technical_name != "subject_of_care" {
                    assert!(r["properties"][c.technical_name].is_object());
                }
                assert!(r["$defs"][c.technical_name].is_object());
            }
            for c in schema_classes(m.mods_version).unwrap() {
                let s = class_schema(m.mods_version, c).unwrap();
                assert_eq!(s["$id"], class_schema_id(m.mods_version, c));
                assert_eq!(s["additionalProperties"], false);
            }
        }
        assert!(record_schema("0.0").is_none());
        assert!(class_schema(model::latest().mods_version, "no_such_class").is_none());
    }

    #[test]
    fn abstract_classes_have_no_schema() {
        for m in model::models() {
            for c in m.classes.iter().filter(|c| c.kind == ClassKind::Abstract) {
                assert!(class_schema(m.mods_version, c.technical_name).is_none());
            }
        }
    }

    /// The schemars output is the starting point: its properties are the model's elements.
    #[test]
    fn schemars_properties_match_the_model() {
        for m in model::models() {
            for tn in schema_classes(m.mods_version).unwrap() {
                let c = m.class(tn).unwrap();
                let derived = crate::generated::class_schema(m.mods_version, tn).unwrap();
                let keys: BTreeSet<&str> = derived.as_value()["properties"]
                    .as_object()
                    .unwrap()
                    .keys()
                    .map(String::as_str)
                    .collect();
                let model_keys: BTreeSet<&str> =
                    c.elements.iter().map(|e| e.technical_name).collect();
                assert_eq!(keys, model_keys, "{} {tn}", m.mods_version);
                assert_eq!(
                    derived.as_value()["additionalProperties"],
                    false,
                    "{} {tn}",
                    m.mods_version
                );
            }
        }
    }

    #[test]
    fn every_ref_resolves_and_every_pattern_compiles() {
        for s in every_schema() {
            let mut all = Vec::new();
            walk(&s, &mut all);
            for (k, v) in all {
                match k {
                    "$ref" => {
                        let p = v.as_str().unwrap().strip_prefix('#').unwrap();
                        assert!(s.pointer(p).is_some(), "{p} in {}", s["$id"]);
                    }
                    "pattern" => {
                        let p = v.as_str().unwrap();
                        regex::Regex::new(p).unwrap_or_else(|e| panic!("{p}: {e}"));
                        for bad in ["(?=", "(?!", "(?<", "\\1", "\\d", "\\s", "\\w"] {
                            assert!(!p.contains(bad), "{p} uses {bad}");
                        }
                    }
                    k if k.starts_with("x-mods-") => assert!(ANNOTATIONS.contains(&k), "{k}"),
                    "format" => assert_eq!(v, "date"),
                    "type" => assert!(v.is_string(), "no union types: {v}"),
                    _ => {}
                }
            }
        }
    }

    #[test]
    fn case_insensitive_patterns_add_lower_case_letters_only() {
        assert_eq!(
            ascii_case_insensitive("^(?:[A-PR-UWYZ][0-9]{1,2} ?GIR|[AB-]x)$"),
            "^(?:[A-PR-UWYZa-pr-uwyz][0-9]{1,2} ?[Gg][Ii][Rr]|[AB-ab]x)$"
        );
        // every upper-case and lower-case spelling of a postcode, and nothing else
        let re = regex::Regex::new(&ascii_case_insensitive(checks::postcode_pattern())).unwrap();
        for s in ["sW1a 1aA", "bFpO 7", "Zz99 6cZ"] {
            assert!(re.is_match(s) && checks::is_postcode(s), "{s}");
        }
        assert!(!re.is_match("SW1A 1AA\u{212a}"));
    }

    /// An address abroad has a free-text postcode; one in the UK (country absent, null, GB,
    /// a Crown dependency, or not a coding) keeps the UK postcode pattern.
    #[test]
    fn address_postcode_depends_on_the_country() {
        let s = class_schema(model::latest().mods_version, "address").unwrap();
        let defs = s["$defs"].clone();
        let check = |instance: Value| -> bool {
            // evaluate the if/else by hand: is the UK pattern applied?
            let cond = &s["if"];
            let country = instance.get("country");
            let code_schema = &cond["properties"]["country"]["properties"]["code"];
            let vs_name = code_schema["$ref"]
                .as_str()
                .unwrap()
                .trim_start_matches("#/$defs/");
            let vs = &defs[vs_name];
            let abroad = cond["required"][0] == "country"
                && country.is_some_and(|c| {
                    c.is_object()
                        && c["code"].as_str().is_some_and(|code| {
                            let in_set = vs["oneOf"]
                                .as_array()
                                .unwrap()
                                .iter()
                                .any(|o| o["const"] == code);
                            in_set
                                && !code_schema["not"]["enum"]
                                    .as_array()
                                    .unwrap()
                                    .contains(&Value::from(code))
                        })
                });
            let postcode = instance["postcode"].as_str().unwrap();
            if abroad {
                return true;
            }
            let pattern = defs["Postcode"]["pattern"].as_str().unwrap();
            assert_eq!(
                s["else"]["properties"]["postcode"]["anyOf"][0]["$ref"],
                "#/$defs/Postcode"
            );
            regex::Regex::new(pattern).unwrap().is_match(postcode)
        };
        assert_eq!(
            s["properties"]["postcode"]["anyOf"][0]["$ref"],
            "#/$defs/Text"
        );
        assert!(check(
            json!({"postcode": "75008", "country": {"code": "FR"}})
        ));
        assert!(!check(
            json!({"postcode": "75008", "country": {"code": "GB"}})
        ));
        assert!(!check(
            json!({"postcode": "75008", "country": {"code": "JE"}})
        ));
        assert!(!check(json!({"postcode": "75008", "country": null})));
        assert!(!check(json!({"postcode": "75008", "country": "FR"})));
        assert!(!check(json!({"postcode": "75008"})));
        assert!(!check(
            json!({"postcode": "75008", "country": {"code": "UK"}})
        ));
        assert!(check(json!({"postcode": "ls1  4ap"})));
        // versions without a country element keep the plain postcode property
        let old = class_schema("0.2.1", "address").unwrap();
        assert!(old.get("if").is_none());
        assert_eq!(
            old["properties"]["postcode"]["anyOf"][0]["$ref"],
            "#/$defs/Postcode"
        );
    }

    #[test]
    fn deterministic() {
        let v = model::latest().mods_version;
        assert_eq!(record_schema(v), record_schema(v));
        assert_eq!(class_schema(v, "alert"), class_schema(v, "alert"));
    }

    fn matches(def: &str, s: &str) -> bool {
        let d = shared_def(def).unwrap();
        regex::Regex::new(d["pattern"].as_str().unwrap())
            .unwrap()
            .is_match(s)
    }

    #[test]
    fn patterns_agree_with_the_checks() {
        use crate::checks;
        let dates = [
            "2024-02-29",
            "2023-02-29",
            "1900-02-29",
            "2000-02-29",
            "0000-01-01",
            "0001-01-01",
            "0004-02-29",
            "2024-04-31",
            "2024-12-31",
            "2024-13-01",
            "2024-00-10",
            "2024-01-00",
            "2024-1-01",
            "9999-12-31",
        ];
        for d in dates {
            assert_eq!(matches("Date", d), checks::parse_date(d).is_some(), "{d}");
        }
        for d in dates.iter().copied().chain([
            "1998", "1998-07", "1998-13", "0000", "19", "00", "1", "199", "--04-12", "--02-29",
            "--02-30", "--04-31", "--12-31", "--13-01", "--04", "--13", "--00", "---12", "--0412",
            "-04-12", "--04-", "2024-02", "2024-00",
        ]) {
            assert_eq!(
                matches("PartialDate", d),
                checks::parse_partial_date(d).is_some(),
                "{d}"
            );
        }
        for t in [
            "08:30",
            "23:59:59",
            "24:00",
            "23:59:60",
            "8:30",
            "08:30Z",
            "08:30:00.1",
        ] {
            assert_eq!(matches("Time", t), checks::parse_time(t).is_some(), "{t}");
        }
        for t in [
            "2026-11-20T08:30Z",
            "2026-11-20T08:30:00+00:00",
            "2026-11-20T08:30:00.123-05:30",
            "2026-11-20T08:30:00",
            "2026-11-20 08:30:00Z",
            "2026-11-20T24:00:00Z",
            "2026-11-20T08:30:00.1234567891Z",
            "2026-11-20T08:30.5Z",
            "2026-11-20T08:30:00+1:00",
            "2026-11-20T08:30:00+24:00",
            "2023-02-29T08:30Z",
            "2026-11-20t08:30Z",
            "2026-11-20t08:30:00z",
            "2026-11-20T08:30:00é12345",
        ] {
            assert_eq!(
                matches("DateTime", t),
                checks::parse_date_time(t).is_some(),
                "{t}"
            );
        }
        for t in [
            "2026-11-20",
            "2026-11-20T08:30Z",
            "2026-11-20t08:30:00.123-05:30",
            "2026-11-20T08:30:00",
            "2026-11-20T",
            "2023-02-29",
            "2024-02-29",
            "2026-11",
            "2026",
            "--11-20",
            "2026-11-20Z",
        ] {
            assert_eq!(
                matches("DateOrDateTime", t),
                checks::parse_date_or_date_time(t).is_some(),
                "{t}"
            );
        }
        let ods = [
            "A81001",
            "U12345",
            "RXH",
            "TAK",
            "RXH01",
            "00Q",
            "X2C4Y",
            "a81001",
            "A8",
            "A810011234",
            "U1234",
            "0Q",
            "RX",
            "RXH0",
            "1A2B3",
            "VNF3Q",
        ];
        for (def, role) in [
            ("OdsCode", OdsRole::Any),
            ("OdsGpPractice", OdsRole::GpPractice),
            ("OdsPcn", OdsRole::PrimaryCareNetwork),
            ("OdsTrust", OdsRole::Trust),
            ("OdsTrustSite", OdsRole::TrustSite),
            ("OdsSubIcb", OdsRole::SubIcbLocation),
        ] {
            for s in ods {
                assert_eq!(matches(def, s), role.accepts(s), "{def} {s}");
            }
        }
        assert!(ods
            .iter()
            .all(|s| checks::is_ods_code(s) == matches("OdsCode", s)));
        for s in [
            "SW1A 1AA",
            "sw1a 1aa",
            "Sw1a1Aa",
            "M1   1AE",
            "m1   1ae",
            "LS1  4AP",
            "M1  1AE",
            "SW1A  1AA",
            "GIR 0AA",
            "gir  0aa",
            "ZZ99 3VZ",
            "zz993vz",
            "ZZ99 3VV",
            "STHL 1ZZ",
            "sthl1zz",
            "STHL 2ZZ",
            "BFPO 61",
            "bfpo61",
            "BFPO 12345",
            "BFPO c/o 61",
            "QW1 1AA",
            "qw1 1aa",
            "SW1A 1CA",
            "sw1a 1ca",
            "KY1-1234",
            "75008",
            "",
        ] {
            assert_eq!(matches("Postcode", s), checks::is_postcode(s), "{s:?}");
        }
        for s in ["100023336956", "1", "0100023336956", "1000233369561", "1a"] {
            assert_eq!(matches("Uprn", s), checks::is_uprn(s), "{s}");
        }
        for s in ["1-101234567", "1-", "2-123"] {
            assert_eq!(matches("CqcId", s), checks::is_cqc_id(s), "{s}");
        }
        for s in ["E08000035", "E0800003", "X08000035"] {
            assert_eq!(matches("GssCode", s), checks::is_gss_code(s), "{s}");
        }
        for s in [
            "eliza@example.org",
            "eliza@example",
            "a b@c.d",
            "a@b..c",
            "a@b.c.",
            "a\u{a0}b@c.d",
        ] {
            assert_eq!(matches("Email", s), checks::is_email(s), "{s}");
        }
        for s in [
            "al-1",
            "a b",
            "a\u{85}b",
            "a\u{7f}b",
            "a\u{2003}b",
            "a\u{feff}b",
        ] {
            assert_eq!(matches("RecordUid", s), checks::is_uid(s), "{s}");
        }
        for s in [" ", "\u{3000}\t", "x", " x "] {
            assert_eq!(matches("Text", s), !s.trim().is_empty(), "{s:?}");
        }
    }

    #[test]
    fn optional_elements_accept_null_and_repeating_required_ones_need_an_item() {
        let m = model::latest();
        let s = class_schema(m.mods_version, "subject_of_care").unwrap();
        let pn = &s["properties"]["person_name"];
        assert_eq!(pn["type"], "array");
        assert_eq!(pn["minItems"], 1);
        let req: Vec<&str> = s["required"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert!(req.contains(&"person_name"));
        let alert = class_schema(m.mods_version, "alert").unwrap();
        assert_eq!(alert["properties"]["free_text"]["anyOf"][1]["type"], "null");
        // a required binding constrains code and system
        let status = &alert["properties"]["status"];
        assert_eq!(status["x-mods-binding"]["strength"], "required");
        assert!(status["properties"]["system"]["const"].is_string());
        let vs = status["properties"]["code"]["$ref"].as_str().unwrap();
        let codes = alert.pointer(&vs[1..]).unwrap();
        assert!(codes["oneOf"][0]["const"].is_string());
        assert!(codes["oneOf"][0]["title"].is_string());
    }
}

//! Options as plain data: serde structs with defaults, read from JSON text or a
//! `serde_json` value (an unknown name is [`Error::UnknownOption`], a value of the wrong kind
//! [`Error::InvalidOption`]), or built field by field by a binding.

use crate::error::Error;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Options read from JSON: [`from_json`](FromJson::from_json) and
/// [`from_value`](FromJson::from_value). `null` for an option means its default.
pub trait FromJson: Sized + Default + DeserializeOwned {
    /// The option names, as in JSON.
    const KNOWN: &'static [&'static str];

    /// Read options from JSON text (an object; `""` or `null` gives the defaults).
    fn from_json(text: &str) -> Result<Self, Error> {
        if text.trim().is_empty() {
            return Ok(Self::default());
        }
        let v: Value = serde_json::from_str(text)
            .map_err(|_| Error::option("options", "the options must be a JSON object"))?;
        Self::from_value(&v)
    }

    /// Read options from a JSON value (an object, or `null` for the defaults).
    fn from_value(v: &Value) -> Result<Self, Error> {
        read_options(v, Self::KNOWN, Self::expected)
    }

    /// What option `name` takes, for the message of a wrong value.
    fn expected(name: &str) -> &'static str;

    /// [`from_value`](FromJson::from_value) with the names in camelCase (`includeValues`,
    /// `limits.maxDepth`), for bindings whose language spells names that way; errors name
    /// the option as spelled.
    fn from_camel_value(v: &Value) -> Result<Self, Error> {
        crate::naming::from_camel_value(v)
    }

    /// [`from_json`](FromJson::from_json) with the names in camelCase.
    fn from_camel_json(text: &str) -> Result<Self, Error> {
        if text.trim().is_empty() {
            return Ok(Self::default());
        }
        let v: Value = serde_json::from_str(text)
            .map_err(|_| Error::option("options", "the options must be a JSON object"))?;
        Self::from_camel_value(&v)
    }
}

/// Read options of type `T` from `v`: `known` names, `expected` says what each takes.
fn read_options<T: DeserializeOwned + Default>(
    v: &Value,
    known: &'static [&'static str],
    expected: fn(&str) -> &'static str,
) -> Result<T, Error> {
    let map = match v {
        Value::Null => return Ok(T::default()),
        Value::Object(m) => m,
        _ => return Err(Error::option("options", "the options must be an object")),
    };
    let mut given = Map::new();
    for (k, v) in map {
        if !known.contains(&k.as_str()) {
            return Err(Error::UnknownOption {
                option: k.clone(),
                kind: "option",
                known,
            });
        }
        if v.is_null() {
            continue;
        }
        // one option at a time, so that an error names the option
        let one = Value::Object(Map::from_iter([(k.clone(), v.clone())]));
        if serde_json::from_value::<T>(one).is_err() {
            return Err(Error::option(k, format!("{k} must be {}", expected(k))));
        }
        given.insert(k.clone(), v.clone());
    }
    serde_json::from_value(Value::Object(given))
        .map_err(|_| Error::option("options", "the options cannot be read"))
}

/// The input limits names, as in JSON and in [`LimitOptions::set`].
pub const LIMIT_NAMES: &[&str] = &[
    "max_bytes",
    "max_depth",
    "max_string_bytes",
    "max_array_items",
    "max_object_members",
    "max_nodes",
];

/// Limits on the input; each one not given keeps the default of [`mods_core::Limits`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
///
/// New options may be added in any release: build the struct with `default()` and its
/// `with_*` methods (see docs/releasing.md).
#[non_exhaustive]
pub struct LimitOptions {
    /// Largest document, in bytes.
    pub max_bytes: Option<usize>,
    /// Deepest nesting of arrays and objects.
    pub max_depth: Option<usize>,
    /// Longest string or key, in bytes of UTF-8.
    pub max_string_bytes: Option<usize>,
    /// Most items in one array.
    pub max_array_items: Option<usize>,
    /// Most members in one object.
    pub max_object_members: Option<usize>,
    /// Most JSON values in the whole document.
    pub max_nodes: Option<usize>,
}

mods_core::__option_setters!(LimitOptions {
    with_max_bytes(max_bytes: Option<usize>);
    with_max_depth(max_depth: Option<usize>);
    with_max_string_bytes(max_string_bytes: Option<usize>);
    with_max_array_items(max_array_items: Option<usize>);
    with_max_object_members(max_object_members: Option<usize>);
    with_max_nodes(max_nodes: Option<usize>);
});

impl LimitOptions {
    /// Set one limit by name (for bindings that read a map); an unknown name is
    /// [`Error::UnknownOption`] of kind `limit`.
    pub fn set(&mut self, name: &str, value: usize) -> Result<(), Error> {
        let slot = match name {
            "max_bytes" => &mut self.max_bytes,
            "max_depth" => &mut self.max_depth,
            "max_string_bytes" => &mut self.max_string_bytes,
            "max_array_items" => &mut self.max_array_items,
            "max_object_members" => &mut self.max_object_members,
            "max_nodes" => &mut self.max_nodes,
            other => {
                return Err(Error::UnknownOption {
                    option: other.to_owned(),
                    kind: "limit",
                    known: LIMIT_NAMES,
                })
            }
        };
        *slot = Some(value);
        Ok(())
    }

    /// The core's limits: the defaults, with each limit given here in place.
    pub fn to_core(&self) -> mods_core::Limits {
        let d = mods_core::Limits::default();
        mods_core::Limits::default()
            .with_max_bytes(self.max_bytes.unwrap_or(d.max_bytes))
            .with_max_depth(self.max_depth.unwrap_or(d.max_depth))
            .with_max_string_bytes(self.max_string_bytes.unwrap_or(d.max_string_bytes))
            .with_max_array_items(self.max_array_items.unwrap_or(d.max_array_items))
            .with_max_object_members(self.max_object_members.unwrap_or(d.max_object_members))
            .with_max_nodes(self.max_nodes.unwrap_or(d.max_nodes))
    }

    /// Read limits from a JSON object of names to non-negative integers.
    pub fn from_value(v: &Value) -> Result<Self, Error> {
        let mut l = LimitOptions::default();
        match v {
            Value::Null => {}
            Value::Object(m) => {
                for (k, v) in m {
                    if !LIMIT_NAMES.contains(&k.as_str()) {
                        l.set(k, 0)?;
                    }
                    if v.is_null() {
                        continue;
                    }
                    let n = v.as_u64().and_then(|n| usize::try_from(n).ok());
                    let n = n.ok_or_else(|| {
                        Error::option(
                            &format!("limits.{k}"),
                            format!("limits[{k:?}] must be a non-negative int"),
                        )
                    })?;
                    l.set(k, n)?;
                }
            }
            _ => {
                return Err(Error::option(
                    "limits",
                    "limits must be an object of names to integers",
                ))
            }
        }
        Ok(l)
    }
}

/// Max issues listed by default (the core's default).
fn default_max_issues() -> usize {
    mods_core::ValidationOptions::default().max_issues
}

/// Options of [`validate`](crate::validate) and its kin.
///
/// JSON names: `class`, `strict`, `include_values`, `max_issues`, `limits` (an object, see
/// [`LIMIT_NAMES`]), `unavailable_terminology` (code-system URIs), `today`
/// (`YYYY-MM-DD`). Terminology providers (an [`OfflineTerminology`](crate::OfflineTerminology)
/// loaded once) are added by the binding in [`providers`](Self::providers): they are
/// objects, not data.
#[derive(Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
///
/// New options may be added in any release: build the struct with `default()` and its
/// `with_*` methods (see docs/releasing.md).
#[non_exhaustive]
pub struct ValidateOptions {
    /// Validate the input as one instance of this class (technical name, e.g. `alert`) of
    /// the latest model, instead of as a record document.
    pub class: Option<String>,
    /// Unknown elements are errors (default: warnings).
    pub strict: bool,
    /// Put each offending value in its issue's `context.value` (off by default: records
    /// hold people's data and reports travel into logs).
    pub include_values: bool,
    /// Most issues listed; the rest are counted in `omitted`.
    #[serde(default = "default_max_issues")]
    pub max_issues: usize,
    /// Input limits.
    pub limits: LimitOptions,
    /// Code systems whose terminology is unavailable: codes bound to them are reported
    /// `code-unchecked`.
    pub unavailable_terminology: Vec<String>,
    /// The date taken as today (`YYYY-MM-DD`) by the rules that need one; default the
    /// system clock's date in UTC (none on `wasm32-unknown-unknown`: those rules are then
    /// skipped).
    pub today: Option<String>,
    /// Terminology providers consulted for codes not in the embedded value sets.
    #[serde(skip)]
    pub providers: Vec<std::sync::Arc<dyn mods_core::terminology::TerminologyProvider>>,
}

mods_core::__option_setters!(ValidateOptions {
    with_class(class: Option<String>);
    with_strict(strict: bool);
    with_include_values(include_values: bool);
    with_max_issues(max_issues: usize);
    with_limits(limits: LimitOptions);
    with_unavailable_terminology(unavailable_terminology: Vec<String>);
    with_today(today: Option<String>);
    with_providers(providers: Vec<std::sync::Arc<dyn mods_core::terminology::TerminologyProvider>>);
});

impl Default for ValidateOptions {
    fn default() -> Self {
        ValidateOptions {
            class: None,
            strict: false,
            include_values: false,
            max_issues: default_max_issues(),
            limits: LimitOptions::default(),
            unavailable_terminology: Vec::new(),
            today: None,
            providers: Vec::new(),
        }
    }
}

impl std::fmt::Debug for ValidateOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ValidateOptions")
            .field("class", &self.class)
            .field("strict", &self.strict)
            .field("include_values", &self.include_values)
            .field("max_issues", &self.max_issues)
            .field("limits", &self.limits)
            .field("unavailable_terminology", &self.unavailable_terminology)
            .field("today", &self.today)
            .field(
                "providers",
                &self.providers.iter().map(|p| p.name()).collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl FromJson for ValidateOptions {
    const KNOWN: &'static [&'static str] = &[
        "class",
        "strict",
        "include_values",
        "max_issues",
        "limits",
        "unavailable_terminology",
        "today",
    ];

    fn from_value(v: &Value) -> Result<Self, Error> {
        // the limits first, for their own errors (an unknown limit, a bad value)
        let limits = match v.get("limits") {
            Some(l) => LimitOptions::from_value(l)?,
            None => LimitOptions::default(),
        };
        let mut rest = v.clone();
        if let Some(m) = rest.as_object_mut() {
            m.remove("limits");
        }
        let mut o: ValidateOptions = read_options(&rest, Self::KNOWN, Self::expected)?;
        o.limits = limits;
        Ok(o)
    }

    fn expected(name: &str) -> &'static str {
        match name {
            "class" | "today" => "a string",
            "strict" | "include_values" => "true or false",
            "max_issues" => "a non-negative integer",
            "unavailable_terminology" => "a list of code-system URIs",
            _ => "an object",
        }
    }
}

/// The date `today` names, or [`Error::InvalidOption`].
pub(crate) fn parse_today(text: &str) -> Result<chrono::NaiveDate, Error> {
    mods_core::checks::parse_date(text)
        .ok_or_else(|| Error::option("today", "today must be a date YYYY-MM-DD naming a real day"))
}

/// Options of [`migrate`](crate::migrate).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
///
/// New options may be added in any release: build the struct with `default()` and its
/// `with_*` methods (see docs/releasing.md).
#[non_exhaustive]
pub struct MigrateOptions {
    /// Move data the target cannot hold into `mods_extensions.migration` (a later migration
    /// back restores it) instead of refusing.
    pub keep_lost: bool,
}

mods_core::__option_setters!(MigrateOptions {
    with_keep_lost(keep_lost: bool);
});

impl FromJson for MigrateOptions {
    const KNOWN: &'static [&'static str] = &["keep_lost"];
    fn expected(_: &str) -> &'static str {
        "true or false"
    }
}

/// Options of [`diff`](crate::diff).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
///
/// New options may be added in any release: build the struct with `default()` and its
/// `with_*` methods (see docs/releasing.md).
#[non_exhaustive]
pub struct DiffOptions {
    /// Put the values before and after in each change (they hold the person's data).
    pub include_values: bool,
    /// Include Change log entries (the audit trail).
    pub include_audit: bool,
}

mods_core::__option_setters!(DiffOptions {
    with_include_values(include_values: bool);
    with_include_audit(include_audit: bool);
});

impl FromJson for DiffOptions {
    const KNOWN: &'static [&'static str] = &["include_values", "include_audit"];
    fn expected(_: &str) -> &'static str {
        "true or false"
    }
}

/// Options of [`to_fhir`](crate::to_fhir).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
///
/// New options may be added in any release: build the struct with `default()` and its
/// `with_*` methods (see docs/releasing.md).
#[non_exhaustive]
pub struct ExportOptions {
    /// `collection` (default), `transaction` or `document` (needs `timestamp`).
    #[serde(rename = "type")]
    pub bundle_type: String,
    /// `current` (UK Core current build; default) or `stu2` (the published 2.0.2).
    pub profiles: String,
    /// `Bundle.timestamp`, a FHIR instant.
    pub timestamp: Option<String>,
    /// Export a record with validation errors too (best effort).
    pub allow_invalid: bool,
}

mods_core::__option_setters!(ExportOptions {
    with_bundle_type(bundle_type: String);
    with_profiles(profiles: String);
    with_timestamp(timestamp: Option<String>);
    with_allow_invalid(allow_invalid: bool);
});

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions {
            bundle_type: "collection".into(),
            profiles: "current".into(),
            timestamp: None,
            allow_invalid: false,
        }
    }
}

impl FromJson for ExportOptions {
    const KNOWN: &'static [&'static str] = &["type", "profiles", "timestamp", "allow_invalid"];
    fn expected(name: &str) -> &'static str {
        if name == "allow_invalid" {
            "true or false"
        } else {
            "a string"
        }
    }
}

/// Options of [`transfer_summary`](crate::transfer_summary).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
///
/// New options may be added in any release: build the struct with `default()` and its
/// `with_*` methods (see docs/releasing.md).
#[non_exhaustive]
pub struct TransferSummaryOptions {
    /// The time of the summary, a FHIR instant; the current time (UTC) when not given
    /// (required on `wasm32-unknown-unknown`, which has no clock).
    pub timestamp: Option<String>,
    /// `current` (default) or `stu2`.
    pub profiles: String,
    /// Summarise a record with validation errors too (best effort).
    pub allow_invalid: bool,
}

mods_core::__option_setters!(TransferSummaryOptions {
    with_timestamp(timestamp: Option<String>);
    with_profiles(profiles: String);
    with_allow_invalid(allow_invalid: bool);
});

impl Default for TransferSummaryOptions {
    fn default() -> Self {
        TransferSummaryOptions {
            timestamp: None,
            profiles: "current".into(),
            allow_invalid: false,
        }
    }
}

impl FromJson for TransferSummaryOptions {
    const KNOWN: &'static [&'static str] = &["timestamp", "profiles", "allow_invalid"];
    fn expected(name: &str) -> &'static str {
        ExportOptions::expected(name)
    }
}

/// Options of [`from_fhir`](crate::from_fhir).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
///
/// New options may be added in any release: build the struct with `default()` and its
/// `with_*` methods (see docs/releasing.md).
#[non_exhaustive]
pub struct ImportOptions {
    /// Keep every FHIR part no MODS element holds in `mods_extensions.fhir_unmapped`.
    pub keep_unmapped: bool,
}

mods_core::__option_setters!(ImportOptions {
    with_keep_unmapped(keep_unmapped: bool);
});

impl FromJson for ImportOptions {
    const KNOWN: &'static [&'static str] = &["keep_unmapped"];
    fn expected(_: &str) -> &'static str {
        "true or false"
    }
}

/// Options of [`merge_gp_record`](crate::merge_gp_record) and
/// [`import_discharge`](crate::import_discharge).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
///
/// New options may be added in any release: build the struct with `default()` and its
/// `with_*` methods (see docs/releasing.md).
#[non_exhaustive]
pub struct MergeOptions {
    /// The date of new records when neither the resources nor the Bundle give one.
    pub date: Option<String>,
}

mods_core::__option_setters!(MergeOptions {
    with_date(date: Option<String>);
});

impl FromJson for MergeOptions {
    const KNOWN: &'static [&'static str] = &["date"];
    fn expected(_: &str) -> &'static str {
        "a string"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;
    use serde_json::json;

    #[test]
    fn defaults_come_from_empty_or_null() {
        for text in ["", " ", "null", "{}"] {
            let o = ValidateOptions::from_json(text).unwrap();
            assert_eq!(o.max_issues, 1000);
            assert!(!o.strict && o.class.is_none() && o.today.is_none());
        }
        assert_eq!(
            ExportOptions::from_json("{}").unwrap(),
            ExportOptions::default()
        );
    }

    #[test]
    fn options_are_read() {
        let o = ValidateOptions::from_value(&json!({
            "class": "alert", "strict": true, "include_values": true, "max_issues": 3,
            "limits": {"max_depth": 10}, "unavailable_terminology": ["http://snomed.info/sct"],
            "today": "2025-01-02", "max_issues": null
        }))
        .unwrap();
        assert_eq!(o.class.as_deref(), Some("alert"));
        assert!(o.strict && o.include_values);
        assert_eq!(o.max_issues, 1000, "null keeps the default");
        assert_eq!(o.limits.to_core().max_depth, 10);
        assert_eq!(
            o.limits.to_core().max_bytes,
            mods_core::Limits::default().max_bytes
        );
        assert_eq!(o.unavailable_terminology, ["http://snomed.info/sct"]);
        let e = ExportOptions::from_json(r#"{"type": "document", "timestamp": "t"}"#).unwrap();
        assert_eq!(e.bundle_type, "document");
    }

    /// The names `from_json` accepts are exactly the struct's serde fields.
    fn known_names_match_fields<T: FromJson + Serialize>() {
        let v = serde_json::to_value(T::default()).unwrap();
        let mut fields: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        let mut known = T::KNOWN.to_vec();
        fields.sort_unstable();
        known.sort_unstable();
        assert_eq!(fields, known);
    }

    #[test]
    fn every_options_type_knows_its_fields() {
        known_names_match_fields::<ValidateOptions>();
        known_names_match_fields::<MigrateOptions>();
        known_names_match_fields::<DiffOptions>();
        known_names_match_fields::<ExportOptions>();
        known_names_match_fields::<TransferSummaryOptions>();
        known_names_match_fields::<ImportOptions>();
        known_names_match_fields::<MergeOptions>();
        let limits = serde_json::to_value(LimitOptions::default()).unwrap();
        assert_eq!(limits.as_object().unwrap().len(), LIMIT_NAMES.len());
        for name in LIMIT_NAMES {
            assert!(limits.get(*name).is_some(), "{name}");
        }
    }

    #[test]
    fn unknown_option_and_unknown_limit_are_unknown_option() {
        let e = ValidateOptions::from_value(&json!({"stict": true})).unwrap_err();
        assert_eq!(e.code(), ErrorCode::UnknownOption);
        assert!(e
            .to_string()
            .starts_with("unknown option \"stict\"; the options are class, strict"));
        let e = ValidateOptions::from_value(&json!({"limits": {"max_byte": 1}})).unwrap_err();
        assert_eq!(e.code(), ErrorCode::UnknownOption);
        assert!(
            e.to_string().starts_with("unknown limit \"max_byte\""),
            "{e}"
        );
        let mut l = LimitOptions::default();
        assert_eq!(
            l.set("nope", 1).unwrap_err().code(),
            ErrorCode::UnknownOption
        );
        assert_eq!(
            MergeOptions::from_json(r#"{"dat": "x"}"#)
                .unwrap_err()
                .code(),
            ErrorCode::UnknownOption
        );
    }

    #[test]
    fn wrong_values_are_invalid_option_naming_it_without_the_value() {
        let cases = [
            (
                json!({"strict": "yes"}),
                "strict",
                "strict must be true or false",
            ),
            (
                json!({"max_issues": -1}),
                "max_issues",
                "max_issues must be a non-negative integer",
            ),
            (
                json!({"limits": {"max_bytes": "big"}}),
                "limits.max_bytes",
                "limits[\"max_bytes\"] must be a non-negative int",
            ),
            (
                json!({"limits": 3}),
                "limits",
                "limits must be an object of names to integers",
            ),
            (json!([1]), "options", "the options must be an object"),
        ];
        for (v, option, message) in cases {
            match ValidateOptions::from_value(&v) {
                Err(Error::InvalidOption {
                    option: o,
                    message: m,
                }) => {
                    assert_eq!((o.as_str(), m.as_str()), (option, message));
                }
                other => panic!("{v}: {other:?}"),
            }
        }
        let e = ValidateOptions::from_json("{not json").unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidOption);
    }
}

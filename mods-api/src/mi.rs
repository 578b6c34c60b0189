//! Management information with agreed terms (use case 8, `mods_core::mi`): counts of people
//! and records by coded categories with small-number suppression, and client-level extracts
//! with pseudonymised person ids, for the bindings and the CLI.
//!
//! Both come in two forms: an [`Aggregator`] or [`Extractor`] that takes one record at a
//! time (what the CLI streams files through), and [`aggregate`] / [`extract`] over a list
//! of records (what a binding calls). A record that cannot be read is counted and listed by
//! place, never dropped silently. Bad options are [`Error::InvalidOption`] naming the
//! option (`by`, `profile`, `key`, `as_of`, ...).

use crate::error::{guarded, Error};
use crate::options::FromJson;
use crate::validate::Input;
use chrono::NaiveDate;
use mods_core::checks::parse_date;
use mods_core::mi::{self as core, MiError};
use mods_core::model::Model;
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use mods_core::mi::{
    profile_names, Aggregator, Category, Extractor, FieldInfo, Key, Profile, RecordRows, Row,
    Suppression, Table, Unreadable, AGE_BANDS, MIN_KEY_BYTES,
};

/// Options of [`aggregate`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
///
/// New options may be added in any release: build the struct with `default()` and its
/// `with_*` methods (see docs/releasing.md).
#[non_exhaustive]
pub struct AggregateOptions {
    /// The fields to count by: `class.element` of a coded element, a short name
    /// (`ethnicity`, `gender_identity`, `need`, ...) or `age_band`; each may also be a
    /// comma-separated list.
    pub by: Vec<String>,
    /// The MODS version whose model resolves the fields and labels the codes (default:
    /// the current version).
    pub version: Option<String>,
    /// The date ages are taken on (`YYYY-MM-DD`; default: today).
    pub as_of: Option<String>,
    /// Suppress small numbers (default `true`): counts of 1 to `threshold` shown as `*`
    /// (`null`), others rounded to the nearest `round_to`.
    pub suppress: bool,
    /// The largest count suppressed (default 7).
    pub threshold: u64,
    /// What shown counts are rounded to (default 5).
    pub round_to: u64,
}

mods_core::__option_setters!(AggregateOptions {
    with_by(by: Vec<String>);
    with_version(version: Option<String>);
    with_as_of(as_of: Option<String>);
    with_suppress(suppress: bool);
    with_threshold(threshold: u64);
    with_round_to(round_to: u64);
});

impl Default for AggregateOptions {
    fn default() -> Self {
        let s = Suppression::default();
        AggregateOptions {
            by: Vec::new(),
            version: None,
            as_of: None,
            suppress: true,
            threshold: s.threshold,
            round_to: s.round_to,
        }
    }
}

impl FromJson for AggregateOptions {
    const KNOWN: &'static [&'static str] = &[
        "by",
        "version",
        "as_of",
        "suppress",
        "threshold",
        "round_to",
    ];
    fn expected(name: &str) -> &'static str {
        match name {
            "by" => "a list of field names",
            "as_of" => "a date (YYYY-MM-DD)",
            "suppress" => "true or false",
            "threshold" | "round_to" => "a whole number",
            _ => "a MODS version such as \"1.0\"",
        }
    }
}

/// Options of [`extract`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
///
/// New options may be added in any release: build the struct with `default()` and its
/// `with_*` methods (see docs/releasing.md).
#[non_exhaustive]
pub struct ExtractOptions {
    /// The profile (default `dhsc-cld`; see [`profile_names`]).
    pub profile: String,
    /// The MODS version the profile is checked against (default: the current version).
    pub version: Option<String>,
    /// The date ages are taken on for people with no event (`YYYY-MM-DD`; default today).
    pub as_of: Option<String>,
    /// Write MODS codes in every column, untranslated (default: a column with one of the
    /// profile's code lists gets the collection's values).
    pub mods_codes: bool,
}

mods_core::__option_setters!(ExtractOptions {
    with_profile(profile: String);
    with_version(version: Option<String>);
    with_as_of(as_of: Option<String>);
    with_mods_codes(mods_codes: bool);
});

impl Default for ExtractOptions {
    fn default() -> Self {
        ExtractOptions {
            profile: "dhsc-cld".to_owned(),
            version: None,
            as_of: None,
            mods_codes: false,
        }
    }
}

impl FromJson for ExtractOptions {
    const KNOWN: &'static [&'static str] = &["profile", "version", "as_of", "mods_codes"];
    fn expected(name: &str) -> &'static str {
        match name {
            "profile" => "a profile name such as \"dhsc-cld\"",
            "as_of" => "a date (YYYY-MM-DD)",
            "mods_codes" => "true or false",
            _ => "a MODS version such as \"1.0\"",
        }
    }
}

fn model(version: Option<&str>) -> Result<&'static Model, Error> {
    match version {
        None => Ok(mods_core::model::latest()),
        Some(v) => mods_core::model::model(v).ok_or_else(|| Error::UnknownVersion {
            version: v.to_owned(),
        }),
    }
}

fn as_of(date: Option<&str>) -> Result<NaiveDate, Error> {
    match date {
        None => core::today()
            .ok_or_else(|| Error::option("as_of", "there is no clock here: give as_of")),
        Some(d) => {
            parse_date(d).ok_or_else(|| Error::option("as_of", "as_of must be a date (YYYY-MM-DD)"))
        }
    }
}

/// The [`Error`] of a refusal: `invalid-option` naming the option at fault.
pub fn mi_error(e: MiError) -> Error {
    let option = match &e {
        MiError::NoFields
        | MiError::UnknownField { .. }
        | MiError::NotCoded { .. }
        | MiError::RepeatedField { .. } => "by",
        MiError::UnknownProfile { .. } | MiError::InvalidProfile { .. } => "profile",
        MiError::MissingKey | MiError::ShortKey { .. } => "key",
    };
    Error::option(option, e.to_string())
}

/// An [`Aggregator`] for `opts`, to feed records one at a time.
///
/// Errors: [`Error::InvalidOption`] (`by`: no field, an unknown field, a field that is not
/// coded; `as_of`); [`Error::UnknownVersion`].
pub fn aggregator(opts: &AggregateOptions) -> Result<Aggregator, Error> {
    let suppression = if opts.suppress {
        Suppression {
            threshold: opts.threshold,
            round_to: opts.round_to,
        }
    } else {
        Suppression::NONE
    };
    Aggregator::new(
        model(opts.version.as_deref())?,
        &opts.by,
        as_of(opts.as_of.as_deref())?,
        suppression,
    )
    .map_err(mi_error)
}

/// Count `records` (JSON text or values) by `opts.by`. A record that cannot be read is
/// counted in `unreadable` and listed by place (input `records`, line = its 1-based
/// position), not an error.
///
/// Errors: those of [`aggregator`].
pub fn aggregate<'a, I>(records: I, opts: &AggregateOptions) -> Result<Table, Error>
where
    I: IntoIterator,
    I::Item: Into<Input<'a>>,
{
    guarded(|| {
        let mut agg = aggregator(opts)?;
        let limits = mods_core::Limits::default();
        for (i, r) in records.into_iter().enumerate() {
            match r.into().read(&limits) {
                Ok(v) => agg.add(&v),
                Err(e) => agg.add_unreadable("records", Some(i + 1), &e.to_string()),
            }
        }
        Ok(agg.finish())
    })
}

/// The table as CSV (a header, one row per category combination, a total row).
pub fn aggregate_csv(table: &Table) -> String {
    core::to_csv(table)
}

/// The table as text for a person to read.
pub fn aggregate_text(table: &Table) -> String {
    core::to_text(table)
}

/// The table as an HTML page with a bar chart in SVG.
pub fn aggregate_html(table: &Table) -> String {
    core::to_html(table)
}

/// A flat row: names and values, serialised as an object with its keys in this order
/// (the order of the CSV's columns).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FlatRow(pub Vec<(String, Value)>);

impl FlatRow {
    /// The value of `name`.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }
}

impl Serialize for FlatRow {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// The rows of a table as flat objects: for each field `<field>` (the code) and
/// `<field>_label`, then `people` and `records` (`null` where suppressed).
pub fn aggregate_rows(table: &Table) -> Vec<FlatRow> {
    table
        .rows
        .iter()
        .map(|r| {
            let mut m = Vec::new();
            for c in &r.categories {
                m.push((c.field.clone(), Value::from(c.code.clone())));
                m.push((format!("{}_label", c.field), Value::from(c.label.clone())));
            }
            m.push(("people".into(), Value::from(r.people)));
            m.push(("records".into(), Value::from(r.records)));
            FlatRow(m)
        })
        .collect()
}

/// A table as the bindings give it: the [`Table`]'s members in its order, with `rows` as
/// flat objects ([`aggregate_rows`]) instead of categories; see [`aggregate_flat`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FlatTable<'a> {
    /// The MODS version whose value sets label the codes.
    pub mods_version: &'a str,
    /// The date ages are taken on.
    pub as_of: &'a str,
    /// The fields, in order.
    pub fields: &'a [FieldInfo],
    /// The suppression applied.
    pub suppression: &'a Suppression,
    /// The rows as flat objects (`<field>`, `<field>_label`..., `people`, `records`).
    pub rows: Vec<FlatRow>,
    /// Distinct people counted, as it may be shown (`null` where suppressed).
    pub total_people: Option<u64>,
    /// Records counted, as it may be shown.
    pub total_records: Option<u64>,
    /// Records that could not be read (counted exactly).
    pub unreadable: u64,
    /// The first of them, by place.
    pub unreadable_examples: &'a [Unreadable],
}

/// The table with its rows as flat objects, the shape a binding returns (the same members
/// as the table's JSON, `rows` as [`aggregate_rows`] gives them).
pub fn aggregate_flat(table: &Table) -> FlatTable<'_> {
    FlatTable {
        mods_version: table.mods_version,
        as_of: &table.as_of,
        fields: &table.fields,
        suppression: &table.suppression,
        rows: aggregate_rows(table),
        total_people: table.total_people,
        total_records: table.total_records,
        unreadable: table.unreadable,
        unreadable_examples: &table.unreadable_examples,
    }
}

/// An [`Extractor`] for `opts`, pseudonyms keyed with `key` (the bytes of the key file or
/// variable; a final line ending is taken off). The key is never kept beyond the
/// extractor, nor shown.
///
/// Errors: [`Error::InvalidOption`] (`profile`: unknown; `key`: missing or shorter than
/// [`MIN_KEY_BYTES`]; `as_of`); [`Error::UnknownVersion`].
pub fn extractor(opts: &ExtractOptions, key: &[u8]) -> Result<Extractor, Error> {
    let model = model(opts.version.as_deref())?;
    let profile = core::profile(&opts.profile).map_err(mi_error)?;
    let key = Key::new(key).map_err(mi_error)?;
    Extractor::new(model, profile, key, as_of(opts.as_of.as_deref())?)
        .map(|x| x.keep_mods_codes(opts.mods_codes))
        .map_err(mi_error)
}

/// An extract of a list of records.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Extract {
    /// The profile's name.
    pub profile: String,
    /// The column names, in order.
    pub columns: Vec<String>,
    /// One object per person and event, keys in column order.
    pub rows: Vec<FlatRow>,
    /// Records read.
    pub records: u64,
    /// Records with no NHS number nor Subject of care uid (their rows have an empty id).
    pub unidentified: u64,
    /// Records that could not be read, by place.
    pub unreadable: Vec<Unreadable>,
}

/// A row as an object with the header's keys.
pub fn row_object(header: &[String], row: &[String]) -> FlatRow {
    FlatRow(
        header
            .iter()
            .zip(row)
            .map(|(h, v)| (h.clone(), Value::from(v.clone())))
            .collect(),
    )
}

/// Extract `records` (JSON text or values) with `opts`' profile, person ids keyed with
/// `key`. A record that cannot be read is listed in `unreadable`, not an error.
///
/// Errors: those of [`extractor`].
pub fn extract<'a, I>(records: I, opts: &ExtractOptions, key: &[u8]) -> Result<Extract, Error>
where
    I: IntoIterator,
    I::Item: Into<Input<'a>>,
{
    guarded(|| {
        let x = extractor(opts, key)?;
        let limits = mods_core::Limits::default();
        let mut out = Extract {
            profile: x.profile().name.clone(),
            columns: x.header().to_vec(),
            rows: Vec::new(),
            records: 0,
            unidentified: 0,
            unreadable: Vec::new(),
        };
        for (i, r) in records.into_iter().enumerate() {
            match r.into().read(&limits) {
                Ok(v) => {
                    out.records += 1;
                    let rr = x.rows(&v);
                    if !rr.identified {
                        out.unidentified += 1;
                    }
                    out.rows
                        .extend(rr.rows.iter().map(|row| row_object(x.header(), row)));
                }
                Err(e) => out.unreadable.push(Unreadable {
                    input: "records".into(),
                    line: Some(i + 1),
                    reason: e.to_string(),
                }),
            }
        }
        Ok(out)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    fn opts(by: &[&str]) -> AggregateOptions {
        AggregateOptions {
            by: by.iter().map(|s| s.to_string()).collect(),
            as_of: Some("2026-01-01".into()),
            ..Default::default()
        }
    }

    #[test]
    fn bad_options_name_the_option() {
        let option = |e: Error| serde_json::to_value(&e).unwrap()["option"].clone();
        let e = aggregate(Vec::<&str>::new(), &opts(&["need.need_description"])).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidOption);
        assert_eq!(option(e), "by");
        let e = aggregate(Vec::<&str>::new(), &opts(&["nope"])).unwrap_err();
        assert_eq!(option(e), "by");
        let e = extract(Vec::<&str>::new(), &ExtractOptions::default(), b"").unwrap_err();
        assert_eq!(option(e), "key");
        let bad = ExtractOptions {
            profile: "nope".into(),
            ..Default::default()
        };
        let e = extract(Vec::<&str>::new(), &bad, &[1; 32]).unwrap_err();
        assert_eq!(option(e.clone()), "profile");
        assert!(e.to_string().contains("dhsc-cld"));
        let e = AggregateOptions::from_json(r#"{"group_by": []}"#).unwrap_err();
        assert_eq!(e.code(), ErrorCode::UnknownOption);
    }

    #[test]
    fn the_flat_table_has_the_tables_members_in_order() {
        let good = r#"{"mods_version": "1.0", "subject_of_care": {"record_uid": "s"}}"#;
        let mut o = opts(&["ethnicity"]);
        o.suppress = false;
        let t = aggregate([good], &o).unwrap();
        let table = serde_json::to_value(&t).unwrap();
        let text = serde_json::to_string(&aggregate_flat(&t)).unwrap();
        let flat: Value = serde_json::from_str(&text).unwrap();
        let (a, b) = (table.as_object().unwrap(), flat.as_object().unwrap());
        assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
        for (k, v) in a {
            if k != "rows" {
                assert_eq!(&b[k], v, "{k}");
            }
        }
        assert_eq!(
            flat["rows"],
            serde_json::to_value(aggregate_rows(&t)).unwrap()
        );
        // the row's keys in column order
        let row = text.find("\"rows\":[{").unwrap();
        let order = [
            "\"ethnicity\"",
            "\"ethnicity_label\"",
            "\"people\"",
            "\"records\"",
        ];
        let at: Vec<usize> = order.iter().map(|k| text[row..].find(k).unwrap()).collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{text}");
    }

    #[test]
    fn unreadable_records_are_counted_not_dropped() {
        let good = r#"{"mods_version": "1.0", "subject_of_care": {"record_uid": "s"}}"#;
        let mut o = opts(&["ethnicity"]);
        o.suppress = false;
        let t = aggregate([good, "{", good], &o).unwrap();
        assert_eq!(t.total_records, Some(2));
        assert_eq!(t.total_people, Some(1));
        assert_eq!(t.unreadable, 1);
        assert_eq!(t.unreadable_examples[0].line, Some(2));
        let x = extract([good, "not json"], &ExtractOptions::default(), &[1; 32]).unwrap();
        assert_eq!((x.records, x.unreadable.len()), (1, 1));
        assert_eq!(x.rows.len(), 1);
    }
}

//! Turning one source cell (or one literal of the mapping) into the JSON value of an element:
//! translations to codes, dates, numbers, yes/no, and name, address and list splitting.

use chrono::{NaiveDate, NaiveDateTime};
use mods_core::checks::{is_postcode, normalise_postcode};
use mods_core::model::{ElementDef, ElementType, Lookup, Model};
use serde_json::{json, Map, Value};

use crate::codes::ImportCode;
use crate::mapping::{Column, Split, UnmappedPolicy};

/// A finding about one value: its code and a sentence that never quotes the value.
pub type Finding = (ImportCode, String);

/// The values one cell gives, and a warning when a default stood in for it.
#[derive(Debug)]
pub struct Converted {
    /// One value, or several for `split = "list"`.
    pub values: Vec<Value>,
    /// `value-defaulted` when the default code was used.
    pub warning: Option<Finding>,
}

/// A literal of the mapping (a code of a translation table, a `default`, a `set` value) as
/// the element's JSON value; a code must be in the element's value set.
pub fn literal(model: &Model, leaf: &ElementDef, text: &str) -> Result<Value, Finding> {
    match &leaf.lookup {
        Lookup::ValueSet { value_set, .. } => {
            let vs = model.value_set(value_set).ok_or_else(|| {
                (
                    ImportCode::CodeNotInValueSet,
                    format!("value set `{value_set}` is not in the model"),
                )
            })?;
            if !vs.contains(text) {
                return Err((
                    ImportCode::CodeNotInValueSet,
                    format!(
                        "`{text}` is not a code of the value set `{value_set}` of `{}`",
                        leaf.technical_name
                    ),
                ));
            }
            let mut m = Map::new();
            m.insert("code".into(), json!(text));
            if vs.single_system().is_none() {
                if let Some((inc, _)) = vs.codes().find(|(_, c)| c.code == text) {
                    m.insert("system".into(), json!(inc.system));
                }
            }
            if let Some(d) = vs.display(text) {
                m.insert("display".into(), json!(d));
            }
            Ok(Value::Object(m))
        }
        Lookup::External { system, .. } => Ok(json!({"code": text, "system": system})),
        _ => typed(leaf, text),
    }
}

/// An uncoded value in the element's type.
fn typed(leaf: &ElementDef, text: &str) -> Result<Value, Finding> {
    match leaf.ty {
        ElementType::Number => {
            let n: f64 = text.parse().map_err(|_| {
                (
                    ImportCode::InvalidNumber,
                    "the value is not a number".to_string(),
                )
            })?;
            if leaf.integer {
                if n < 0.0 || n.fract() != 0.0 {
                    return Err((
                        ImportCode::InvalidNumber,
                        "a whole number of 0 or more is needed".into(),
                    ));
                }
                return Ok(json!(n as u64));
            }
            Ok(json!(n))
        }
        ElementType::YesNo => match text.trim().to_lowercase().as_str() {
            "y" | "yes" | "true" | "1" => Ok(json!(true)),
            "n" | "no" | "false" | "0" => Ok(json!(false)),
            _ => Err((
                ImportCode::InvalidYesNo,
                "the value is not yes or no (y, yes, true, 1, n, no, false, 0)".into(),
            )),
        },
        _ => Ok(json!(text)),
    }
}

/// Convert a non-empty cell for its column.
pub fn cell(model: &Model, col: &Column, raw: &str) -> Result<Converted, Finding> {
    let text = raw.trim();
    let leaf = col.target.leaf();
    match col.split {
        Some(Split::Name) => return Ok(one(split_name(text)?)),
        Some(Split::Address) => return Ok(one(split_address(text)?)),
        Some(Split::List) => {
            let mut values = Vec::new();
            let mut warning = None;
            for part in text
                .split(col.separator.as_str())
                .map(str::trim)
                .filter(|p| !p.is_empty())
            {
                let c = scalar(model, col, leaf, part)?;
                warning = warning.or(c.warning);
                values.extend(c.values);
            }
            return Ok(Converted { values, warning });
        }
        None => {}
    }
    scalar(model, col, leaf, text)
}

fn one(v: Value) -> Converted {
    Converted {
        values: vec![v],
        warning: None,
    }
}

fn scalar(
    model: &Model,
    col: &Column,
    leaf: &ElementDef,
    text: &str,
) -> Result<Converted, Finding> {
    let coded = matches!(
        leaf.lookup,
        Lookup::ValueSet { .. } | Lookup::External { .. }
    );
    if let Some(code) = col.codes.get(&text.to_lowercase()) {
        return literal(model, leaf, code).map(one);
    }
    if coded || !col.codes.is_empty() {
        // A code of the value set, or its display, stands for itself.
        if let Lookup::ValueSet { value_set, .. } = &leaf.lookup {
            if let Some(vs) = model.value_set(value_set) {
                if vs.contains(text) {
                    return literal(model, leaf, text).map(one);
                }
                if let Some((_, c)) = vs
                    .codes()
                    .find(|(_, c)| c.display.eq_ignore_ascii_case(text))
                {
                    return literal(model, leaf, c.code).map(one);
                }
            }
        } else if col.codes.is_empty() {
            return literal(model, leaf, text).map(one);
        }
        return match (col.unmapped, &col.default) {
            (UnmappedPolicy::Default, Some(d)) => Ok(Converted {
                values: vec![literal(model, leaf, d)?],
                warning: Some((
                    ImportCode::ValueDefaulted,
                    format!("the value has no translation; the default code `{d}` was used"),
                )),
            }),
            (UnmappedPolicy::Keep, _) => literal(model, leaf, text).map(one),
            _ => Err((
                ImportCode::UnmappedValue,
                format!("the value has no translation to a code of `{}`", col.path),
            )),
        };
    }
    match leaf.ty {
        ElementType::Date => date(col, leaf, text, false).map(one),
        ElementType::DateTime => date(col, leaf, text, true).map(one),
        _ => typed(leaf, text).map(one),
    }
}

/// A date (full or partial) or a date-time, by the column's formats.
fn date(col: &Column, leaf: &ElementDef, text: &str, with_time: bool) -> Result<Value, Finding> {
    let mut partial_seen = false;
    for f in &col.date_formats {
        let has_time = f.contains("%H") || f.contains("%R") || f.contains("%T");
        if has_time {
            if !with_time {
                continue;
            }
            if f.contains("%z") || f.contains("%:z") {
                if let Ok(d) = chrono::DateTime::parse_from_str(text, f) {
                    return Ok(json!(d.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)));
                }
                continue;
            }
            if let Ok(d) = NaiveDateTime::parse_from_str(text, f) {
                return match col.utc_offset {
                    Some(o) => match d.and_local_timezone(o).single() {
                        Some(d) => {
                            Ok(json!(d.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)))
                        }
                        None => continue,
                    },
                    None => Err((
                        ImportCode::InvalidDate,
                        "the date-time has no offset and the column has no utc_offset".into(),
                    )),
                };
            }
            continue;
        }
        let has_day = f.contains("%d") || f.contains("%e") || f.contains("%j") || f.contains("%F");
        if has_day {
            if let Ok(d) = NaiveDate::parse_from_str(text, f) {
                if with_time && !leaf.time_optional {
                    return Err((
                        ImportCode::InvalidDate,
                        format!("`{}` needs a time as well as a date", col.path),
                    ));
                }
                return Ok(json!(d.format("%Y-%m-%d").to_string()));
            }
            continue;
        }
        // A partial date: a month and year, or a year.
        let out = if f.contains("%m") || f.contains("%b") || f.contains("%B") {
            NaiveDate::parse_from_str(&format!("{text}|01"), &format!("{f}|%d"))
                .ok()
                .map(|d| d.format("%Y-%m").to_string())
        } else if f == "%Y" && text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()) {
            Some(text.to_string())
        } else {
            None
        };
        if let Some(out) = out {
            if leaf.partial {
                return Ok(json!(out));
            }
            partial_seen = true;
        }
    }
    if partial_seen {
        return Err((
            ImportCode::InvalidDate,
            format!("a partial date where `{}` needs a full date", col.path),
        ));
    }
    Err((
        ImportCode::InvalidDate,
        "the value matches none of the column's date formats".into(),
    ))
}

const TITLES: [&str; 13] = [
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "rev", "sir", "dame", "lady", "lord", "master",
];

/// `FAMILY, Given Middle` or `[Title] Given Middle Family` as a Person name.
pub fn split_name(text: &str) -> Result<Value, Finding> {
    let fail = || {
        (
            ImportCode::SplitFailed,
            "the name could not be split into given and family names".to_string(),
        )
    };
    let mut name = Map::new();
    let (title, given, family): (Option<&str>, Vec<&str>, &str) =
        if let Some((family, rest)) = text.split_once(',') {
            let mut words: Vec<&str> = rest.split_whitespace().collect();
            let title = match words.first() {
                Some(w) if TITLES.contains(&w.trim_end_matches('.').to_lowercase().as_str()) => {
                    Some(words.remove(0))
                }
                _ => None,
            };
            (title, words, family.trim())
        } else {
            let mut words: Vec<&str> = text.split_whitespace().collect();
            let title = match words.first() {
                Some(w)
                    if words.len() > 1
                        && TITLES.contains(&w.trim_end_matches('.').to_lowercase().as_str()) =>
                {
                    Some(words.remove(0))
                }
                _ => None,
            };
            let family = words.pop().ok_or_else(fail)?;
            (title, words, family)
        };
    if family.is_empty() || family.contains(',') {
        return Err(fail());
    }
    if let Some(t) = title {
        name.insert("title".into(), json!(t.trim_end_matches('.')));
    }
    if !given.is_empty() {
        name.insert("given_name".into(), json!(given));
    }
    name.insert("family_name".into(), json!(family));
    Ok(Value::Object(name))
}

/// Comma-separated address lines, then the town, then the postcode (alone, or at the end of
/// the town's part), as an Address.
pub fn split_address(text: &str) -> Result<Value, Finding> {
    let mut parts: Vec<String> = text
        .split(',')
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect();
    let mut address = Map::new();
    if let Some(last) = parts.last().cloned() {
        let words: Vec<&str> = last.split_whitespace().collect();
        if is_postcode(&last) {
            parts.pop();
            address.insert(
                "postcode".into(),
                json!(normalise_postcode(&last).unwrap_or(last)),
            );
        } else if words.len() > 2 {
            let tail = words[words.len() - 2..].join(" ");
            if is_postcode(&tail) {
                parts.pop();
                parts.push(words[..words.len() - 2].join(" "));
                address.insert(
                    "postcode".into(),
                    json!(normalise_postcode(&tail).unwrap_or(tail)),
                );
            }
        }
    }
    if parts.len() >= 2 {
        let town = parts.pop().unwrap_or_default();
        address.insert("town_or_city".into(), json!(town));
    }
    if parts.is_empty() && address.is_empty() {
        return Err((
            ImportCode::SplitFailed,
            "the address could not be split into lines, town and postcode".into(),
        ));
    }
    if !parts.is_empty() {
        address.insert("address_line".into(), json!(parts));
    }
    Ok(Value::Object(address))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_both_ways() {
        assert_eq!(
            split_name("WHITFIELD, James Arthur").unwrap(),
            json!({"given_name": ["James", "Arthur"], "family_name": "WHITFIELD"})
        );
        assert_eq!(
            split_name("Mrs Ann Smith").unwrap(),
            json!({"title": "Mrs", "given_name": ["Ann"], "family_name": "Smith"})
        );
        assert!(split_name("  ").is_err());
    }

    #[test]
    fn addresses_split_into_lines_town_and_postcode() {
        assert_eq!(
            split_address("Flat 2, 18 Mersey Lane, Manchester, m20 2rh").unwrap(),
            json!({"postcode": "M20 2RH", "town_or_city": "Manchester", "address_line": ["Flat 2", "18 Mersey Lane"]})
        );
        assert_eq!(
            split_address("4 High St, Leeds LS1 4AP").unwrap(),
            json!({"postcode": "LS1 4AP", "town_or_city": "Leeds", "address_line": ["4 High St"]})
        );
        assert!(split_address(" , ").is_err());
    }
}

//! The elements of the Daily care note class compared period by period.

use super::doc::{coding_text, name_of, Doc, Unresolved};
use super::{num, Note, Side, Verdict};
use crate::model::{ClassDef, ElementDef, ElementType, Lookup, Model};
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Elements that place a note (which record, whose, when, which part of the day) rather
/// than say what happened: not compared.
const PLACING: &[&str] = &[
    "record_uid",
    "version_number",
    "subject_of_care",
    "date",
    "time",
    "period_covered",
];

/// How an element's values are compared, from its MODS type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ElementKind {
    /// Text: shown on both sides; compared as text, not by meaning.
    Text,
    /// Number: the usual value per day, and the difference.
    Number,
    /// A code: the usual (most common) code.
    Code,
    /// References to other records, resolved.
    Reference,
    /// Any other type: compared as JSON.
    Other,
}

/// One note's value of an element.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// The note's date.
    pub date: String,
    /// The note's `record_uid` (its pointer when it has none).
    pub note: String,
    /// The note's time, when recorded.
    pub time: Option<String>,
    /// The value as the note holds it.
    pub value: Value,
    /// The value as a reader sees it: the text, the number, a code's display, the names
    /// the references resolve to (`(not found: UID)` for one that does not).
    pub shown: String,
}

/// The usual value of each side (for codes: the most common codes, every tied one; for
/// numbers: the mean per day over the days with a value; `null` when the side has none).
#[derive(Debug, Clone, Serialize)]
pub struct Usual {
    /// The day's side.
    pub day: Value,
    /// The other side.
    pub against: Value,
}

/// One element in one period, on both sides.
#[derive(Debug, Clone, Serialize)]
pub struct ElementComparison {
    /// Technical name, e.g. `fluid_intake`.
    pub element: &'static str,
    /// MODS name, e.g. `Fluid intake`.
    pub element_name: &'static str,
    /// How it is compared.
    pub kind: ElementKind,
    /// The day's values, one per note that has the element.
    pub day: Vec<Entry>,
    /// The other side's values.
    pub against: Vec<Entry>,
    /// The verdict.
    pub verdict: Verdict,
    /// For codes and numbers: the usual value of each side (the verdict compares these).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub usual: Option<Usual>,
    /// For numbers: the day's usual value minus the other side's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub difference: Option<Value>,
}

/// One period of the day (`period_covered`), with its elements.
#[derive(Debug, Clone, Serialize)]
pub struct PeriodComparison {
    /// The period's code (`morning`, ...); `null` for notes that do not say.
    pub period: Option<String>,
    /// Its display (`Morning`), or `Period not given`.
    pub period_name: String,
    /// The elements present on at least one side, in the class's order.
    pub elements: Vec<ElementComparison>,
}

/// Sort key of a period: its place in the bound value set, then unknown codes by name,
/// then notes without a period.
pub(crate) fn period_rank(
    model: &'static Model,
    class: &'static ClassDef,
) -> impl Fn(Option<&str>) -> (usize, String) {
    let codes: Vec<&'static str> = value_set(model, class.element("period_covered"))
        .map(|vs| vs.codes().map(|(_, c)| c.code).collect())
        .unwrap_or_default();
    move |p| match p {
        Some(c) => match codes.iter().position(|k| *k == c) {
            Some(i) => (i, String::new()),
            None => (codes.len(), c.to_owned()),
        },
        None => (usize::MAX, String::new()),
    }
}

fn value_set(
    model: &'static Model,
    el: Option<&'static ElementDef>,
) -> Option<&'static crate::model::ValueSetDef> {
    match &el?.lookup {
        Lookup::ValueSet { value_set, .. } => model.value_set(value_set),
        _ => None,
    }
}

fn kind(el: &ElementDef) -> ElementKind {
    match (el.ty, &el.lookup) {
        (ElementType::Text, _) => ElementKind::Text,
        (ElementType::Number, _) => ElementKind::Number,
        (_, Lookup::Reference { .. }) => ElementKind::Reference,
        (ElementType::Lookup | ElementType::ReferenceCode, _) => ElementKind::Code,
        _ => ElementKind::Other,
    }
}

/// A display for a code: the coding's, else the bound value set's, else the code.
pub(crate) fn code_display(
    model: &'static Model,
    el: Option<&'static ElementDef>,
    v: &Value,
) -> String {
    if let Some(d) = v.get("display").and_then(Value::as_str) {
        return d.to_owned();
    }
    let code = v.get("code").and_then(Value::as_str);
    match (code, value_set(model, el)) {
        (Some(c), Some(vs)) => vs.display(c).unwrap_or(c).to_owned(),
        (Some(c), None) => c.to_owned(),
        _ => v.to_string(),
    }
}

/// The medicine of a dose: the key doses compare by (the Medication record's uid, else
/// the name) and its name.
pub(crate) fn dose_medicine(
    doc: &Doc<'_>,
    at: &str,
    admin: &Value,
    unresolved: &mut Vec<Unresolved>,
) -> (String, String) {
    let med = admin.get("medication").and_then(Value::as_str);
    let resolved = med.and_then(|m| {
        doc.resolve(m, &["medication"], &format!("{at}/medication"), unresolved)
            .map(|(_, _, v)| v)
    });
    let name = resolved
        .and_then(name_of)
        .or_else(|| admin.get("medication_code").and_then(coding_text))
        .or_else(|| med.map(|m| format!("(not found: {m})")))
        .unwrap_or_else(|| "(medicine not recorded)".to_owned());
    let key = med.map_or_else(|| name.clone(), str::to_owned);
    (key, name)
}

/// One note's value of a reference element: the key it compares by and what it shows.
fn references(
    doc: &Doc<'_>,
    note: &Note<'_>,
    el: &ElementDef,
    v: &Value,
    unresolved: &mut Vec<Unresolved>,
) -> (String, String) {
    let Lookup::Reference { accepts, .. } = &el.lookup else {
        return (v.to_string(), v.to_string());
    };
    let base = format!("{}/{}", note.pointer, el.technical_name);
    let items: Vec<(String, &Value)> = match v {
        Value::Array(a) => a
            .iter()
            .enumerate()
            .map(|(i, x)| (format!("{base}/{i}"), x))
            .collect(),
        other => vec![(base, other)],
    };
    let mut keys = Vec::new();
    let mut shown = Vec::new();
    for (pointer, item) in items {
        let Some(uid) = item.as_str() else {
            keys.push(item.to_string());
            shown.push(item.to_string());
            continue;
        };
        match doc.resolve(uid, accepts, &pointer, unresolved) {
            Some(("medication_administration", at, admin)) => {
                let (k, name) = dose_medicine(doc, at, admin, unresolved);
                keys.push(k);
                shown.push(match admin.get("time").and_then(Value::as_str) {
                    Some(t) => format!("{name} at {}", t.get(..5).unwrap_or(t)),
                    None => name,
                });
            }
            Some((_, _, target)) => {
                keys.push(uid.to_owned());
                shown.push(name_of(target).unwrap_or_else(|| uid.to_owned()));
            }
            None => {
                keys.push(uid.to_owned());
                shown.push(format!("(not found: {uid})"));
            }
        }
    }
    keys.sort();
    (keys.join("\u{1f}"), shown.join("; "))
}

/// The entries of one side for one element and period, each with its comparison key.
fn entries(
    model: &'static Model,
    side: &Side<'_, '_>,
    period: Option<&str>,
    el: &'static ElementDef,
    unresolved: &mut Vec<Unresolved>,
) -> Vec<(String, Entry)> {
    let mut out = Vec::new();
    for note in side.notes.iter().filter(|n| n.period == period) {
        let Some(v) = note.value.get(el.technical_name).filter(|v| !v.is_null()) else {
            continue;
        };
        let (key, shown) = match (kind(el), v) {
            (ElementKind::Text, Value::String(s)) => (s.trim().to_owned(), s.clone()),
            (ElementKind::Number, Value::Number(n)) => (n.to_string(), n.to_string()),
            (ElementKind::Code, c) if c.get("code").is_some() => (
                c.get("code").map(Value::to_string).unwrap_or_default(),
                code_display(model, Some(el), c),
            ),
            (ElementKind::Reference, r) => references(side.doc, note, el, r, unresolved),
            (_, other) => (other.to_string(), other.to_string()),
        };
        out.push((
            key,
            Entry {
                date: note.date_text(),
                note: note.name(),
                time: note.time.map(str::to_owned),
                value: v.clone(),
                shown,
            },
        ));
    }
    out
}

/// The most common keys (every tied one, in first-seen order).
pub(crate) fn most_common<'k>(keys: impl IntoIterator<Item = &'k str>) -> Vec<&'k str> {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for k in keys {
        match counts.iter_mut().find(|(c, _)| *c == k) {
            Some((_, n)) => *n += 1,
            None => counts.push((k, 1)),
        }
    }
    let top = counts.iter().map(|(_, n)| *n).max().unwrap_or(0);
    counts
        .into_iter()
        .filter(|(_, n)| *n == top)
        .map(|(k, _)| k)
        .collect()
}

/// The mean per day of a side's numbers (a day's value is the sum of its notes').
pub(crate) fn mean_per_day(values: &[(String, f64)]) -> Option<f64> {
    let mut per_day: BTreeMap<&str, f64> = BTreeMap::new();
    for (d, x) in values {
        *per_day.entry(d).or_default() += x;
    }
    (!per_day.is_empty()).then(|| per_day.values().sum::<f64>() / per_day.len() as f64)
}

fn compare_element(
    el: &'static ElementDef,
    day: Vec<(String, Entry)>,
    against: Vec<(String, Entry)>,
) -> Option<ElementComparison> {
    let k = kind(el);
    let (mut usual, mut difference) = (None, None);
    let agree = match k {
        ElementKind::Code => {
            let codes = |e: &[(String, Entry)]| {
                let got = most_common(e.iter().map(|(k, _)| k.as_str()));
                let codes: Vec<Value> = got
                    .iter()
                    .map(|k| serde_json::from_str(k).unwrap_or(Value::Null))
                    .collect();
                (
                    got.into_iter().map(str::to_owned).collect::<BTreeSet<_>>(),
                    codes,
                )
            };
            let (d, a) = (codes(&day), codes(&against));
            usual = Some(Usual {
                day: if d.1.is_empty() {
                    Value::Null
                } else {
                    Value::Array(d.1)
                },
                against: if a.1.is_empty() {
                    Value::Null
                } else {
                    Value::Array(a.1)
                },
            });
            d.0 == a.0
        }
        ElementKind::Number => {
            let nums = |e: &[(String, Entry)]| {
                let v: Vec<(String, f64)> = e
                    .iter()
                    .filter_map(|(_, x)| x.value.as_f64().map(|n| (x.date.clone(), n)))
                    .collect();
                mean_per_day(&v)
            };
            let (d, a) = (nums(&day), nums(&against));
            usual = Some(Usual {
                day: d.map_or(Value::Null, num),
                against: a.map_or(Value::Null, num),
            });
            if let (Some(d), Some(a)) = (d, a) {
                difference = Some(num(d - a));
            }
            match (d, a) {
                (Some(d), Some(a)) => (d - a).abs() < 1e-9,
                _ => keys(&day) == keys(&against),
            }
        }
        _ => keys(&day) == keys(&against),
    };
    let verdict = Verdict::of(!day.is_empty(), !against.is_empty(), || agree)?;
    if verdict != Verdict::Same && verdict != Verdict::Changed {
        difference = None;
    }
    Some(ElementComparison {
        element: el.technical_name,
        element_name: el.name,
        kind: k,
        day: day.into_iter().map(|(_, e)| e).collect(),
        against: against.into_iter().map(|(_, e)| e).collect(),
        verdict,
        usual,
        difference,
    })
}

fn keys(e: &[(String, Entry)]) -> BTreeSet<&str> {
    e.iter().map(|(k, _)| k.as_str()).collect()
}

/// Every period on either side, with the elements of the class present in it.
pub(crate) fn compare(
    model: &'static Model,
    class: &'static ClassDef,
    day: &Side<'_, '_>,
    against: &Side<'_, '_>,
    unresolved: &mut Vec<Unresolved>,
) -> Vec<PeriodComparison> {
    let rank = period_rank(model, class);
    let mut periods: Vec<Option<&str>> = day
        .notes
        .iter()
        .chain(&against.notes)
        .map(|n| n.period)
        .collect();
    periods.sort_by_key(|p| rank(*p));
    periods.dedup();
    let period_el = class.element("period_covered");
    periods
        .into_iter()
        .map(|p| {
            let elements = class
                .elements
                .iter()
                .filter(|e| !PLACING.contains(&e.technical_name))
                .filter_map(|el| {
                    let d = entries(model, day, p, el, unresolved);
                    let a = entries(model, against, p, el, unresolved);
                    compare_element(el, d, a)
                })
                .collect();
            PeriodComparison {
                period: p.map(str::to_owned),
                period_name: match p {
                    Some(c) => code_display(model, period_el, &serde_json::json!({"code": c})),
                    None => "Period not given".to_owned(),
                },
                elements,
            }
        })
        .collect()
}

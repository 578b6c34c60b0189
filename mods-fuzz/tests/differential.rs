//! The one-pass validation engine against the engine it replaced: on generated record
//! documents and mutations of them, the report from the bytes (`validate_record_json`), the
//! report from the parsed `Value` (`validate_record`) and the previous engine's report
//! (`mods_core::validate::legacy`, kept as the oracle while both exist) hold the same
//! issues: code, severity, path, message and context, with and without values, lax and
//! strict. At least 10,000 documents per run (`MODS_DIFF_CASES` sets another number).
//!
//! The bytes are written with the document's keys in a shuffled order and, now and then,
//! with keys and strings spelt with JSON escapes, so the pass meets keys in another order
//! than the `Value`'s and reads strings it cannot borrow.

use arbitrary::Unstructured;
use mods_core::{validate::legacy, Issue, Report};
use proptest::prelude::*;
use serde_json::Value;
use std::sync::atomic::{AtomicUsize, Ordering};

static TESTED: AtomicUsize = AtomicUsize::new(0);
static WITH_ISSUES: AtomicUsize = AtomicUsize::new(0);

fn wanted() -> usize {
    std::env::var("MODS_DIFF_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000)
}

/// Values a mutation may put in place of another.
fn odd_value(u: &mut Unstructured<'_>) -> Value {
    match u.int_in_range(0..=11u8).unwrap_or(0) {
        0 => Value::Null,
        1 => Value::Bool(true),
        2 => Value::from(-3),
        3 => Value::from(2.5),
        4 => Value::from(""),
        5 => Value::from("  "),
        6 => Value::from("not-a-code"),
        7 => Value::from("2024-02-30"),
        8 => serde_json::json!({"code": "zz"}),
        9 => serde_json::json!([]),
        10 => serde_json::json!({"system": 1}),
        _ => serde_json::json!({"unexpected": [1, {"a": null}]}),
    }
}

/// A value somewhere in `v`: `v` itself or, mostly, one below it.
fn pick<'v>(v: &'v mut Value, u: &mut Unstructured<'_>) -> &'v mut Value {
    let n = match v {
        Value::Object(m) => m.len(),
        Value::Array(a) => a.len(),
        _ => 0,
    };
    if n == 0 || !u.ratio(3u8, 4).unwrap_or(false) {
        return v;
    }
    let i = u.choose_index(n).unwrap_or(0);
    match v {
        Value::Object(m) => pick(m.values_mut().nth(i).expect("i < len"), u),
        Value::Array(a) => pick(&mut a[i], u),
        other => other,
    }
}

/// Change the document in a few places: replace a value, remove a member, add an unknown
/// one, wrap a value in an array, or change a code.
fn mutate(doc: &mut Value, u: &mut Unstructured<'_>) {
    let n = u.int_in_range(0..=12u8).unwrap_or(0);
    for _ in 0..n {
        let at = pick(doc, u);
        match (u.int_in_range(0..=4u8).unwrap_or(0), &mut *at) {
            (0, Value::Object(m)) if !m.is_empty() => {
                let i = u.choose_index(m.len()).unwrap_or(0);
                if let Some(k) = m.keys().nth(i).cloned() {
                    m.remove(&k);
                }
            }
            (1, Value::Object(m)) => {
                let key = [
                    "surprise",
                    "code",
                    "system",
                    "display",
                    "record_uid",
                    "a/b~c",
                ][u.choose_index(6).unwrap_or(0)];
                m.insert(key.into(), odd_value(u));
            }
            (2, v) => *v = Value::Array(vec![v.take()]),
            (3, Value::Object(m)) if m.contains_key("code") => {
                m.insert("code".into(), odd_value(u));
            }
            (_, v) => *v = odd_value(u),
        }
    }
}

/// The document written out with its keys in a shuffled order, some keys and strings
/// spelt with escapes.
fn write(v: &Value, u: &mut Unstructured<'_>, escapes: bool, out: &mut String) {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            for i in (1..keys.len()).rev() {
                let j = u.int_in_range(0..=i).unwrap_or(i);
                keys.swap(i, j);
            }
            out.push('{');
            for (n, k) in keys.into_iter().enumerate() {
                if n > 0 {
                    out.push(',');
                }
                string(k, u, escapes, out);
                out.push(':');
                write(&m[k], u, escapes, out);
            }
            out.push('}');
        }
        Value::Array(a) => {
            out.push('[');
            for (n, x) in a.iter().enumerate() {
                if n > 0 {
                    out.push(',');
                }
                write(x, u, escapes, out);
            }
            out.push(']');
        }
        Value::String(s) => string(s, u, escapes, out),
        other => out.push_str(&other.to_string()),
    }
}

fn string(s: &str, u: &mut Unstructured<'_>, escapes: bool, out: &mut String) {
    if escapes && u.ratio(1u8, 4).unwrap_or(false) {
        out.push('"');
        for c in s.chars() {
            if c.is_ascii_alphanumeric() || c == '_' {
                out.push_str(&format!("\\u{:04x}", c as u32));
            } else {
                let t = Value::from(c.to_string()).to_string();
                out.push_str(&t[1..t.len() - 1]);
            }
        }
        out.push('"');
    } else {
        out.push_str(&Value::from(s).to_string());
    }
}

/// A report as a sorted list of its issues, for comparison regardless of order.
fn issues(r: &Report) -> Vec<String> {
    let mut v: Vec<String> = r
        .issues
        .iter()
        .map(|i: &Issue| serde_json::to_string(i).unwrap_or_default())
        .collect();
    v.sort();
    v
}

fn one(bytes: &[u8]) -> Result<(), TestCaseError> {
    let mut u = Unstructured::new(bytes);
    let mut doc = mods_fuzz::generate::record(&mut u);
    if u.ratio(2u8, 3).unwrap_or(false) {
        mutate(&mut doc, &mut u);
    }
    let mut opts = mods_fuzz::options().with_max_issues(usize::MAX);
    if u.ratio(1u8, 3).unwrap_or(false) {
        opts.mode = mods_core::Mode::Strict;
    }
    opts.include_values = u.ratio(1u8, 2).unwrap_or(false);
    let escapes = u.ratio(1u8, 3).unwrap_or(false);
    let mut text = String::new();
    write(&doc, &mut u, escapes, &mut text);

    let old = legacy::validate_record(&doc, &opts);
    let from_value = mods_core::validate_record(&doc, &opts);
    let from_bytes = mods_core::validate_record_json(text.as_bytes(), &opts)
        .map_err(|e| TestCaseError::fail(format!("the bytes did not read: {e}")))?;
    TESTED.fetch_add(1, Ordering::Relaxed);
    if !old.issues.is_empty() {
        WITH_ISSUES.fetch_add(1, Ordering::Relaxed);
    }
    prop_assert_eq!(old.valid, from_value.valid, "{}", doc);
    prop_assert_eq!(
        issues(&old),
        issues(&from_value),
        "Value path vs previous engine: {}",
        doc
    );
    // the same issues in the same order, whatever the order of the keys in the bytes
    prop_assert_eq!(&from_bytes, &from_value, "bytes vs Value: {}", text);
    Ok(())
}

#[test]
fn the_one_pass_engine_agrees_with_the_previous_engine() {
    let want = wanted();
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: want as u32,
        failure_persistence: None,
        ..ProptestConfig::default()
    });
    let strategy = proptest::collection::vec(any::<u8>(), 0..4096);
    if let Err(e) = runner.run(&strategy, |bytes| one(&bytes)) {
        panic!("{e}");
    }
    let (tested, with_issues) = (
        TESTED.load(Ordering::Relaxed),
        WITH_ISSUES.load(Ordering::Relaxed),
    );
    assert!(tested >= want, "{tested} documents compared; {want} wanted");
    // the comparison means something only if many documents have issues
    assert!(
        with_issues * 4 >= tested,
        "only {with_issues} of {tested} documents had issues"
    );
}

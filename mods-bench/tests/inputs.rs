//! The inputs are what the benchmark says they are: each invalid copy carries exactly its
//! original's issues plus one issue per violation, at the place and with the code listed;
//! the scaled copies stay valid; every contender reads the valid records and accepts them.

use mods_bench::contenders::{Contender, Contenders};
use mods_bench::inputs::{self, Variant};
use mods_bench::mutate::VIOLATIONS;
use mods_core::{validate_record_json, ValidationOptions};
use std::collections::BTreeMap;

fn opts() -> ValidationOptions {
    ValidationOptions::default().with_today(mods_bench::contenders::fixed_today())
}

/// (code, path) of every issue, counted
fn issues(bytes: &[u8]) -> BTreeMap<(String, String), usize> {
    let report = validate_record_json(bytes, &opts()).expect("readable");
    let mut out = BTreeMap::new();
    for i in report.issues {
        *out.entry((i.code.as_str().to_owned(), i.path)).or_insert(0) += 1;
    }
    out
}

#[test]
fn every_invalid_copy_has_exactly_the_listed_violations_more() {
    let examples = inputs::load_examples(&inputs::repo_root()).unwrap();
    assert!(examples.len() >= 5, "the example records are found");
    for e in &examples {
        let base = issues(&e.bytes);
        let bad = inputs::build(e, Variant::Invalid).unwrap();
        assert_eq!(bad.name, format!("{}.invalid", e.name));
        let mut got = issues(&bad.bytes);
        for (path, code, _) in VIOLATIONS {
            let key = (code.to_string(), path.to_string());
            match got.get_mut(&key) {
                Some(n) if *n > 0 => *n -= 1,
                _ => panic!("{}: no {code} at {path}: {got:?}", bad.name),
            }
        }
        got.retain(|_, n| *n > 0);
        assert_eq!(got, base, "{}: other issues than the original's", bad.name);
        // about ten violations, and the copy is not valid
        assert!((8..=14).contains(&VIOLATIONS.len()));
        let report = validate_record_json(&bad.bytes, &opts()).unwrap();
        assert!(!report.valid);
    }
}

#[test]
fn scaled_copies_stay_valid_and_grow() {
    let examples = inputs::load_examples(&inputs::repo_root()).unwrap();
    for e in &examples {
        let base = validate_record_json(&e.bytes, &opts()).unwrap();
        assert!(base.valid, "{} is valid", e.name);
        let mut last = 0;
        for k in [1, 2, 4] {
            let input = inputs::build(e, Variant::Scaled(k)).unwrap();
            let report = validate_record_json(&input.bytes, &opts()).unwrap();
            assert!(report.valid, "{}: {:?}", input.name, report.issues);
            assert_eq!(report.issues.len(), k * base.issues.len(), "{}", input.name);
            assert!(input.bytes.len() > last, "{} grows", input.name);
            last = input.bytes.len();
        }
        // x1 is the record itself, written again: same document
        let x1 = inputs::build(e, Variant::Scaled(1)).unwrap();
        let a: serde_json::Value = serde_json::from_slice(&x1.bytes).unwrap();
        let b: serde_json::Value = serde_json::from_slice(&e.bytes).unwrap();
        assert_eq!(a, b, "{}", e.name);
    }
}

#[test]
fn x16_is_sixteen_times_the_collections_and_valid() {
    let examples = inputs::load_examples(&inputs::repo_root()).unwrap();
    let e = examples.iter().find(|e| e.name == "mr-green").unwrap();
    let x16 = inputs::by_name(&examples, "mr-green.x16").unwrap();
    let scaled: serde_json::Value = serde_json::from_slice(&x16.bytes).unwrap();
    let original: serde_json::Value = serde_json::from_slice(&e.bytes).unwrap();
    let alerts = |v: &serde_json::Value| v["alert"].as_array().map_or(0, Vec::len);
    assert_eq!(alerts(&scaled), 16 * alerts(&original));
    let report = validate_record_json(&x16.bytes, &opts()).unwrap();
    assert!(report.valid, "{:?}", report.issues);
}

#[test]
fn every_contender_reads_the_valid_records_and_flags_the_invalid_copies() {
    let root = inputs::repo_root();
    let contenders = Contenders::new(&root, true).unwrap();
    let examples = inputs::load_examples(&root).unwrap();
    for e in &examples {
        for c in Contender::ALL.into_iter().chain(Contender::EXTRA) {
            let v = contenders.run(c, &e.bytes);
            assert!(v.ok, "{} rejects {}: {v:?}", c.name(), e.name);
        }
        let bad = inputs::build(e, Variant::Invalid).unwrap();
        for c in Contender::ALL.into_iter().chain(Contender::EXTRA) {
            let v = contenders.run(c, &bad.bytes);
            let readers = matches!(c, Contender::Scan | Contender::Value);
            assert_eq!(v.ok, readers, "{} on {}: {v:?}", c.name(), bad.name);
        }
        // the schema reports several errors, ours every issue
        let all = contenders.run(Contender::SchemaIterErrors, &bad.bytes);
        assert!(all.findings >= 5, "{}: {all:?}", bad.name);
        let ours = contenders.run(Contender::Mods, &bad.bytes);
        assert!(ours.findings >= VIOLATIONS.len(), "{}: {ours:?}", bad.name);
    }
}

#[test]
fn input_names_resolve() {
    let examples = inputs::load_examples(&inputs::repo_root()).unwrap();
    let valid = inputs::by_name(&examples, "mr-green").unwrap();
    assert_eq!(valid.variant, Variant::Valid);
    assert_eq!(
        valid.bytes,
        std::fs::read(inputs::repo_root().join("examples/records/mr-green.json")).unwrap()
    );
    assert!(inputs::by_name(&examples, "nobody").is_err());
    assert!(inputs::by_name(&examples, "mr-green.x0").is_err());
    assert_eq!(Contender::from_name("mods"), Some(Contender::Mods));
    for c in Contender::ALL {
        assert_eq!(Contender::from_name(c.name()), Some(c));
    }
}

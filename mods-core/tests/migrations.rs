//! Migrations between MODS versions: the fixture pairs in `tests/conformance/migrations/`,
//! the example records, and a property test that up-then-down is the identity wherever down
//! is lossless.

use mods_core::migrate::{migrate, ChangeKind, MigrateError, MigrateOptions, OnLoss};
use mods_core::{validate_record, ValidationOptions};
use proptest::prelude::*;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

fn files(dir: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

fn load(p: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(p).expect("readable")).expect("JSON")
}

fn kind_name(k: ChangeKind) -> String {
    serde_json::to_value(k)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

#[test]
fn migration_fixture_pairs() {
    let cases = files("../tests/conformance/migrations");
    assert!(cases.len() >= 8, "only {} migration fixtures", cases.len());
    let mut failures = Vec::new();
    for f in &cases {
        let case = load(f);
        let name = f
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("?")
            .to_owned();
        let to = case["to"].as_str().expect("to");
        let opts = MigrateOptions {
            on_loss: match case["on_loss"].as_str() {
                Some("keep") => OnLoss::KeepInExtension,
                _ => OnLoss::Fail,
            },
        };
        let expect = &case["expect"];
        match (migrate(&case["input"], to, &opts), expect["error"].as_str()) {
            (Ok(m), None) => {
                if m.record != expect["output"] {
                    failures.push(format!(
                        "{name}: output differs\n    expected {}\n    got      {}",
                        expect["output"], m.record
                    ));
                }
                let mut got: Vec<(String, String)> = m
                    .changes
                    .iter()
                    .map(|c| (kind_name(c.kind), c.path.clone()))
                    .collect();
                let mut want: Vec<(String, String)> = expect["changes"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|c| {
                        (
                            c["kind"].as_str().unwrap_or("").to_owned(),
                            c["path"].as_str().unwrap_or("").to_owned(),
                        )
                    })
                    .collect();
                got.sort();
                want.sort();
                if got != want {
                    failures.push(format!(
                        "{name}: changes differ\n    expected {want:?}\n    got      {got:?}"
                    ));
                }
                // the migrated record is valid in its new version, unless the input was not
                let before = validate_record(&case["input"], &ValidationOptions::default());
                let after = validate_record(&m.record, &ValidationOptions::default());
                if before.valid && !after.valid {
                    failures.push(format!(
                        "{name}: the migrated record is invalid: {:?}",
                        after.issues
                    ));
                }
            }
            (Err(MigrateError::Lossy { losses, .. }), Some("lossy")) => {
                let mut got: Vec<&str> = losses.iter().map(|l| l.path.as_str()).collect();
                got.sort();
                let want: Vec<&str> = expect["losses"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .collect();
                if got != want {
                    failures.push(format!("{name}: losses {got:?}, expected {want:?}"));
                }
            }
            (Err(MigrateError::UnknownVersion { .. }), Some("unknown-version")) => {}
            (Err(e), want) => failures.push(format!("{name}: error {e}, expected {want:?}")),
            (Ok(_), Some(want)) => failures.push(format!("{name}: succeeded, expected {want}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_0_2_1_example_migrates_to_1_0_and_1_1_and_validates_there() {
    let old = load(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/older/mr-green-mods-0.2.1.json"),
    );
    assert!(validate_record(&old, &ValidationOptions::strict()).valid);
    for to in ["1.0", "1.1"] {
        let m = migrate(&old, to, &MigrateOptions::default()).expect("lossless upward");
        let r = validate_record(&m.record, &ValidationOptions::strict());
        assert!(r.valid && r.issues.is_empty(), "{to}: {:?}", r.issues);
        assert_eq!(m.record["mods_version"], to);
        // the report names every kind of change made
        let kinds: Vec<ChangeKind> = m.changes.iter().map(|c| c.kind).collect();
        for k in [
            ChangeKind::Merged,
            ChangeKind::Defaulted,
            ChangeKind::VersionChanged,
        ] {
            assert!(kinds.contains(&k), "{to}: no {k:?} change");
        }
        if to == "1.1" {
            assert!(kinds.contains(&ChangeKind::Renamed) && kinds.contains(&ChangeKind::Split));
        }
    }
    // and down again: the wish became a preference for good, everything else comes back
    let up = migrate(&old, "1.1", &MigrateOptions::default())
        .expect("up")
        .record;
    let down = migrate(&up, "0.2.1", &MigrateOptions::default())
        .expect("down is lossless")
        .record;
    let mut expected = old.clone();
    let wish = expected
        .as_object_mut()
        .and_then(|o| o.remove("wish"))
        .expect("a wish");
    expected["preference"]
        .as_array_mut()
        .expect("preferences")
        .extend(wish.as_array().cloned().unwrap_or_default());
    assert_eq!(down, expected);
}

#[test]
fn current_examples_go_to_1_1_and_back_unchanged() {
    for f in files("../examples/records") {
        let rec = load(&f);
        let up = migrate(&rec, "1.1", &MigrateOptions::default()).expect("1.0 -> 1.1 is lossless");
        let r = validate_record(&up.record, &ValidationOptions::strict());
        assert!(r.valid, "{}: {:?}", f.display(), r.issues);
        let down = migrate(&up.record, "1.0", &MigrateOptions::default()).expect("and back");
        assert_eq!(down.record, rec, "{}", f.display());
    }
}

#[test]
fn lossy_down_migration_fails_unless_the_caller_keeps_the_data() {
    let rec =
        load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/records/mr-green.json"));
    let err =
        migrate(&rec, "0.2.1", &MigrateOptions::default()).expect_err("1.0 -> 0.2.1 loses data");
    let MigrateError::Lossy { losses, .. } = &err else {
        panic!("{err}")
    };
    assert!(losses.iter().any(|l| l.path == "/alert"));
    // the error names paths and classes, never values
    assert!(!err.to_string().contains("9434765919"));
    let kept = migrate(
        &rec,
        "0.2.1",
        &MigrateOptions {
            on_loss: OnLoss::KeepInExtension,
        },
    )
    .expect("kept in the extension slot");
    let r = validate_record(&kept.record, &ValidationOptions::strict());
    assert!(r.valid, "{:?}", r.issues);
    assert!(kept
        .changes
        .iter()
        .any(|c| c.kind == ChangeKind::KeptInExtension));
    // and everything comes back on the way up
    let back = migrate(&kept.record, "1.0", &MigrateOptions::default()).expect("back up");
    assert_eq!(back.record, rec);
}

#[test]
fn unknown_versions_are_clear_errors() {
    let rec = json!({"mods_version": "9.9", "subject_of_care": {}});
    assert!(matches!(
        migrate(&rec, "1.0", &MigrateOptions::default()),
        Err(MigrateError::UnknownVersion { .. })
    ));
    let rec = json!({"mods_version": "1.0"});
    let e = migrate(&rec, "3.0", &MigrateOptions::default()).expect_err("unknown target");
    assert!(e.to_string().contains("3.0") && e.to_string().contains("1.0"));
    assert_eq!(
        migrate(&json!([]), "1.0", &MigrateOptions::default()),
        Err(MigrateError::NotAnObject)
    );
    assert_eq!(
        migrate(&json!({}), "1.0", &MigrateOptions::default()),
        Err(MigrateError::MissingVersion)
    );
}

/// A random 0.2.1 record built from the classes whose round trip is lossless (a wish
/// becomes a preference for good, so wishes are left out).
fn arb_record() -> impl Strategy<Value = Value> {
    let name = "[A-Z][a-z]{1,8}";
    let names = prop::collection::vec(name, 1..4);
    let worker_kind = prop_oneof![
        Just("care_worker"),
        Just("gp"),
        Just("local_authority_professional")
    ];
    let worker = (worker_kind, names.clone(), name);
    (names, name, prop::collection::vec(worker, 0..5), prop::collection::vec("[a-z][a-z ]{0,29}", 0..4))
        .prop_map(|(given, family, workers, prefs)| {
            let mut doc = json!({
                "mods_version": "0.2.1",
                "subject_of_care": {"record_uid": "soc-1", "person_name": [{"given_name": given, "family_name": family}]}
            });
            for (n, (kind, given, family)) in workers.into_iter().enumerate() {
                let w = json!({"record_uid": format!("w-{n}"), "person_name": {"given_name": given, "family_name": family}});
                doc.as_object_mut()
                    .expect("object")
                    .entry(kind)
                    .or_insert_with(|| json!([]))
                    .as_array_mut()
                    .expect("array")
                    .push(w);
            }
            for (n, text) in prefs.into_iter().enumerate() {
                let p = json!({"record_uid": format!("p-{n}"), "subject_of_care": "soc-1", "date": "2021", "free_text": text});
                doc.as_object_mut()
                    .expect("object")
                    .entry("preference")
                    .or_insert_with(|| json!([]))
                    .as_array_mut()
                    .expect("array")
                    .push(p);
            }
            doc
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn up_then_down_is_the_identity(rec in arb_record()) {
        let up = migrate(&rec, "1.1", &MigrateOptions::default()).expect("up is lossless");
        prop_assert!(validate_record(&up.record, &ValidationOptions::strict()).valid);
        let down = migrate(&up.record, "0.2.1", &MigrateOptions::default()).expect("down is lossless here");
        // workers come back in their classes, in the order they were merged
        let mut want = rec.clone();
        for k in ["care_worker", "gp", "local_authority_professional"] {
            if let Some(a) = want.get(k) { prop_assert_eq!(Some(a), down.record.get(k)); }
        }
        want.as_object_mut().expect("object").retain(|k, _| !["care_worker", "gp", "local_authority_professional"].contains(&k.as_str()));
        let mut got = down.record.clone();
        got.as_object_mut().expect("object").retain(|k, _| !["care_worker", "gp", "local_authority_professional"].contains(&k.as_str()));
        prop_assert_eq!(got, want);
    }
}

//! Migrations between MODS versions: the fixture pairs in `tests/conformance/migrations/`,
//! the example records, and the round-trip oracle over generated records: for any record
//! valid at its version, migrating it to another version and back gives it back exactly, or
//! the report lists a loss; keeping lost data in the extension slot, exactly, always.

use mods_core::migrate::{
    migrate, Change, ChangeKind, MigrateError, MigrateOptions, Migration, OnLoss,
};
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
    assert!(cases.len() >= 21, "only {} migration fixtures", cases.len());
    let mut failures = Vec::new();
    for f in &cases {
        let case = load(f);
        let name = f
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("?")
            .to_owned();
        let to = case["to"].as_str().expect("to");
        let opts = MigrateOptions::default().with_on_loss(match case["on_loss"].as_str() {
            Some("keep") => OnLoss::KeepInExtension,
            _ => OnLoss::Fail,
        });
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
            (Err(MigrateError::BadExtensionSlot { .. }), Some("bad-extension-slot")) => {}
            (Err(e), want) => failures.push(format!("{name}: error {e}, expected {want:?}")),
            (Ok(_), Some(want)) => failures.push(format!("{name}: succeeded, expected {want}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
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

fn example(rel: &str) -> Value {
    load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(rel))
}

fn keep() -> MigrateOptions {
    MigrateOptions::default().with_on_loss(OnLoss::KeepInExtension)
}

fn fail() -> MigrateOptions {
    MigrateOptions::default()
}

fn kinds(m: &Migration) -> Vec<(ChangeKind, String)> {
    m.changes.iter().map(|c| (c.kind, c.path.clone())).collect()
}

/// The first place where two JSON values differ, as a JSON pointer (array order counts).
fn first_difference(a: &Value, b: &Value, at: &str) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for k in x.keys().chain(y.keys()) {
                let p = format!("{at}/{k}");
                match (x.get(k), y.get(k)) {
                    (Some(u), Some(v)) => {
                        if let Some(d) = first_difference(u, v, &p) {
                            return Some(d);
                        }
                    }
                    _ => return Some(p),
                }
            }
            None
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(n, (u, v))| first_difference(u, v, &format!("{at}/{n}"))),
        _ => (a != b).then(|| at.to_owned()),
    }
}

/// Migrate `rec` to `via` and back with `opts`: the record comes back exactly (serde_json
/// equality, array order included), or a loss is listed (a refusal listing what would be
/// lost, or a change for which `ChangeKind::is_loss` holds). Returns whether it came back
/// exactly.
fn round_trip(rec: &Value, via: &str, opts: &MigrateOptions) -> Result<bool, String> {
    let home = rec["mods_version"].as_str().unwrap_or_default();
    let there = match migrate(rec, via, opts) {
        Ok(m) => m,
        Err(MigrateError::Lossy { losses, .. }) if !losses.is_empty() => return Ok(false),
        Err(e) => return Err(format!("{home} -> {via}: {e}")),
    };
    let back = match migrate(&there.record, home, opts) {
        Ok(m) => m,
        Err(MigrateError::Lossy { losses, .. }) if !losses.is_empty() => return Ok(false),
        Err(e) => return Err(format!("{via} -> {home}: {e}")),
    };
    if back.record == *rec {
        return Ok(true);
    }
    if there.losses().next().is_some() || back.losses().next().is_some() {
        return Ok(false);
    }
    Err(format!(
        "{home} -> {via} -> {home} ({opts:?}) changed {} and reported no loss",
        first_difference(rec, &back.record, "").unwrap_or_default()
    ))
}

/// The general oracle for a record valid at its version, through every other version:
/// without keeping, it comes back exactly or a loss is listed; keeping lost data, it comes
/// back exactly with no loss listed; and every migration that is not refused leaves it
/// valid (up, and down too: what the lower version cannot hold is refused or kept, never
/// left behind invalid).
fn oracle(rec: &Value) -> Result<(), String> {
    let strict = ValidationOptions::strict();
    let r = validate_record(rec, &strict);
    if !r.valid {
        return Err(format!("the generated record is invalid: {:?}", r.issues));
    }
    let home = rec["mods_version"].as_str().unwrap_or_default();
    for via in ["0.2.1", "1.0", "1.1"].into_iter().filter(|v| *v != home) {
        round_trip(rec, via, &fail())?;
        if !round_trip(rec, via, &keep())? {
            let m = migrate(rec, via, &keep()).map_err(|e| e.to_string())?;
            let losses: Vec<_> = m.losses().collect();
            return Err(format!(
                "{home} -> {via} -> {home} keeping lost data is not exact: {losses:?}"
            ));
        }
        let up = ["0.2.1", "1.0", "1.1"].iter().position(|v| *v == via)
            > ["0.2.1", "1.0", "1.1"].iter().position(|v| *v == home);
        for opts in [fail(), keep()] {
            let m = match migrate(rec, via, &opts) {
                Ok(m) => m,
                Err(MigrateError::Lossy { .. }) if !up && opts == fail() => continue,
                Err(e) => return Err(format!("{home} -> {via} ({opts:?}): {e}")),
            };
            let r = validate_record(&m.record, &strict);
            if !r.valid {
                return Err(format!(
                    "{home} -> {via} ({opts:?}) made it invalid: {:?}",
                    r.issues
                ));
            }
        }
    }
    Ok(())
}

#[test]
fn every_example_round_trips_through_every_version() {
    let mut records: Vec<Value> = files("../examples/records")
        .iter()
        .map(|f| load(f))
        .collect();
    records.push(example("examples/older/mr-green-mods-0.2.1.json"));
    for rec in &records {
        // each one also at 1.1
        let up = migrate(rec, "1.1", &fail()).expect("up to 1.1");
        for r in [rec, &up.record] {
            if let Err(e) = oracle(r) {
                panic!("{}: {e}", r["subject_of_care"]["record_uid"]);
            }
        }
    }
}

#[test]
fn the_0_2_1_example_migrates_to_1_0_and_1_1_and_validates_there() {
    let old = example("examples/older/mr-green-mods-0.2.1.json");
    assert!(validate_record(&old, &ValidationOptions::strict()).valid);
    for to in ["1.0", "1.1"] {
        let m = migrate(&old, to, &fail()).expect("lossless upward");
        let r = validate_record(&m.record, &ValidationOptions::strict());
        assert!(r.valid && r.issues.is_empty(), "{to}: {:?}", r.issues);
        assert_eq!(m.record["mods_version"], to);
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
        // the wish became a preference, and the report says a migration back cannot tell
        let lost: Vec<&Change> = m.losses().collect();
        assert_eq!(lost.len(), 1, "{lost:?}");
        assert_eq!(
            (lost[0].kind, lost[0].path.as_str(), lost[0].class.as_str()),
            (ChangeKind::Lost, "/preference/1", "wish")
        );
    }
}

#[test]
fn a_wish_comes_back_from_a_preference_when_its_origin_is_kept() {
    let old = example("examples/older/mr-green-mods-0.2.1.json");
    let up = migrate(&old, "1.1", &keep()).expect("up");
    assert_eq!(up.losses().count(), 0);
    assert!(validate_record(&up.record, &ValidationOptions::strict()).valid);
    let entry = &up.record["mods_extensions"]["migration"][0];
    assert_eq!(entry["kind"], "origin");
    assert_eq!(entry["class"], "wish");
    assert_eq!(entry["record_uids"], json!(["wish-choir"]));
    // down again, with or without keeping: the wish is a wish again
    for opts in [fail(), keep()] {
        let down = migrate(&up.record, "0.2.1", &opts).expect("down");
        assert_eq!(down.record, old);
        assert!(kinds(&down).contains(&(ChangeKind::Unmerged, "/wish/0".into())));
        assert!(kinds(&down).contains(&(ChangeKind::Restored, "/preference".into())));
    }
    // without the origin kept, down reports nothing lost, as up already did
    let up = migrate(&old, "1.0", &fail()).expect("up");
    let down = migrate(&up.record, "0.2.1", &fail()).expect("down");
    assert!(down.record.get("wish").is_none());
    assert_eq!(down.record["preference"].as_array().map(Vec::len), Some(2));
}

/// Mrs Smith's care workers, with the GP first: 0.2.1 keeps GPs apart.
fn gp_first() -> Value {
    let mut rec = example("examples/records/mrs-smith-before-fall.json");
    let workers = rec["care_worker"].as_array_mut().expect("care workers");
    let gp = workers
        .iter()
        .position(|w| w["care_worker_category"]["code"] == "gp")
        .expect("a GP");
    let w = workers.remove(gp);
    workers.insert(0, w);
    rec
}

#[test]
fn the_order_of_care_workers_survives_a_trip_to_0_2_1_and_back() {
    let rec = gp_first();
    let down = migrate(&rec, "0.2.1", &keep()).expect("down");
    let back = migrate(&down.record, "1.0", &fail()).expect("up");
    assert_eq!(back.record["care_worker"], rec["care_worker"]);
    assert_eq!(back.record, rec);
    assert!(kinds(&back).contains(&(ChangeKind::Restored, "/care_worker".into())));
    // without keeping, the order is reported lost (the rest of the record fails anyway,
    // so only the care workers go down here)
    let mut small = json!({"mods_version": "1.0", "subject_of_care": rec["subject_of_care"].clone(),
                           "care_worker": rec["care_worker"].clone()});
    for w in small["care_worker"].as_array_mut().expect("array") {
        w.as_object_mut().expect("object").retain(|k, _| {
            [
                "record_uid",
                "version_number",
                "person_name",
                "care_worker_category",
            ]
            .contains(&k.as_str())
        });
        w["version_number"] = json!(1);
    }
    small["subject_of_care"]
        .as_object_mut()
        .expect("object")
        .retain(|k, _| ["record_uid", "person_name"].contains(&k.as_str()));
    small["subject_of_care"]["version_number"] = json!(1);
    let down = migrate(&small, "0.2.1", &fail()).expect("down");
    let lost: Vec<(ChangeKind, String)> = down.losses().map(|c| (c.kind, c.path.clone())).collect();
    assert_eq!(lost, [(ChangeKind::Lost, "/care_worker".to_owned())]);
    assert!(round_trip(&small, "0.2.1", &keep()).expect("oracle"));
}

#[test]
fn codings_come_back_as_they_were_written_and_nothing_is_added() {
    let rec = |category: Value| {
        json!({"mods_version": "1.0",
               "subject_of_care": {"record_uid": "soc-1", "version_number": 1,
                                   "person_name": [{"given_name": ["Arthur"], "family_name": "Green"}]},
               "care_worker": [{"record_uid": "cw-1", "version_number": 1, "care_worker_category": category,
                                "person_name": {"given_name": ["Sunita"], "family_name": "Patel"}}]})
    };
    let exact = rec(json!({"code": "gp", "display": "GP"}));
    let bare = rec(json!({"code": "gp"}));
    let with_system = rec(
        json!({"code": "care-worker", "system": "https://mods-sdk.org/fhir/CodeSystem/care_worker_category"}),
    );
    let custom = rec(json!({"code": "gp", "display": "Family doctor"}));
    // as the migration up writes it: nothing lost
    let down = migrate(&exact, "0.2.1", &fail()).expect("down");
    assert_eq!(down.losses().count(), 0);
    assert!(round_trip(&exact, "0.2.1", &fail()).expect("oracle"));
    // a display or system that the way back writes differently: lost, or kept exactly
    for r in [&bare, &with_system] {
        let down = migrate(r, "0.2.1", &fail()).expect("down");
        let lost: Vec<&str> = down.losses().map(|c| c.path.as_str()).collect();
        assert_eq!(lost.len(), 1, "{lost:?}");
        assert!(lost[0].ends_with("/0/care_worker_category"), "{lost:?}");
        assert!(round_trip(r, "0.2.1", &keep()).expect("oracle"));
    }
    // a display of its own is a value 0.2.1 cannot hold
    let err = migrate(&custom, "0.2.1", &fail()).expect_err("a value lost");
    assert!(matches!(err, MigrateError::Lossy { .. }));
    assert!(!err.to_string().contains("Family doctor"));
    assert!(round_trip(&custom, "0.2.1", &keep()).expect("oracle"));
}

#[test]
fn a_display_written_as_it_is_survives_a_recode_and_back() {
    let admin = example("examples/records/mrs-smith-after-fall.json");
    let at = |rec: &Value| {
        rec["medication_administration"]
            .as_array()
            .and_then(|a| a.iter().position(|m| m.get("report_reliability").is_some()))
            .expect("a reported administration")
    };
    let n = at(&admin);
    for display in ["Uncertain", "Partly reliable", "Not sure", ""] {
        let mut rec = admin.clone();
        let mut coding = json!({"code": "uncertain"});
        if !display.is_empty() {
            coding["display"] = json!(display);
        }
        rec["medication_administration"][n]["report_reliability"] = coding.clone();
        let up = migrate(&rec, "1.1", &fail()).expect("up");
        let got = &up.record["medication_administration"][n]["report_reliability"];
        assert_eq!(got["code"], "partly-reliable");
        match display {
            "Uncertain" => assert_eq!(got["display"], "Partly reliable"),
            "" => assert!(got.get("display").is_none()),
            d => assert_eq!(got["display"], d),
        }
        // "Partly reliable" on an uncertain code reads as the new code's own display
        assert_eq!(
            up.losses().count(),
            usize::from(display == "Partly reliable")
        );
        assert!(round_trip(&rec, "1.1", &keep()).expect("oracle"));
        round_trip(&rec, "1.1", &fail()).expect("oracle");
    }
}

#[test]
fn empty_middle_names_and_collections_are_reported_or_kept() {
    let mut rec = migrate(&example("examples/records/mr-green.json"), "1.1", &fail())
        .expect("up")
        .record;
    rec["subject_of_care"]["person_name"][0]["given_name"] = json!("Arthur");
    rec["subject_of_care"]["person_name"][0]["middle_names"] = json!([]);
    rec["review"] = json!([]);
    let down = migrate(&rec, "1.0", &fail()).expect("down");
    let mut lost: Vec<&str> = down.losses().map(|c| c.path.as_str()).collect();
    lost.sort();
    assert_eq!(
        lost,
        ["/review", "/subject_of_care/person_name/0/middle_names"]
    );
    assert!(round_trip(&rec, "1.0", &keep()).expect("oracle"));
    // 0.2.1: empty GP and wish collections, and an empty care worker collection beside GPs
    let mut old = example("examples/older/mr-green-mods-0.2.1.json");
    old["wish"] = json!([]);
    old["local_authority_professional"] = json!([]);
    let worker = old["care_worker"][0].clone();
    old["care_worker"] = json!([]);
    old["gp"].as_array_mut().expect("gps").push(worker);
    old["risk"][0]
        .as_object_mut()
        .expect("risk")
        .remove("care_worker");
    let up = migrate(&old, "1.0", &fail()).expect("up");
    let mut lost: Vec<&str> = up.losses().map(|c| c.path.as_str()).collect();
    lost.sort();
    assert_eq!(
        lost,
        ["/care_worker", "/local_authority_professional", "/wish"]
    );
    assert!(round_trip(&old, "1.0", &keep()).expect("oracle"));
}

#[test]
fn the_extension_slot_comes_back_as_it_was() {
    let green = example("examples/records/mr-green.json");
    for ext in [
        None,
        Some(json!({})),
        Some(json!({"migration": []})),
        Some(json!({"acme": {"ward": "Oak"}})),
        Some(json!({"migration": [{"note": "not ours"}]})),
    ] {
        let mut rec = green.clone();
        if let Some(e) = &ext {
            rec["mods_extensions"] = e.clone();
        }
        let down = migrate(&rec, "0.2.1", &keep()).expect("down");
        let back = migrate(&down.record, "1.0", &fail()).expect("up");
        assert_eq!(back.record.get("mods_extensions"), ext.as_ref(), "{ext:?}");
        assert_eq!(back.record, rec);
    }
    // a slot that cannot take entries is an error, and nothing is lost
    let mut rec = green.clone();
    rec["mods_extensions"] = json!({"migration": "elsewhere"});
    assert!(validate_record(&rec, &ValidationOptions::strict()).valid);
    assert_eq!(
        migrate(&rec, "0.2.1", &keep()),
        Err(MigrateError::BadExtensionSlot { to: "0.2.1".into() })
    );
}

/// A 1.0 record holding a Review kept by a 1.1 -> 1.0 migration, as `value`.
fn with_kept_review(review: Value) -> Value {
    json!({
        "mods_version": "1.0",
        "subject_of_care": {"record_uid": "soc-1", "version_number": 1,
                            "person_name": [{"given_name": ["Arthur"], "family_name": "Green"}]},
        "mods_extensions": {"migration": [
            {"from_version": "1.1", "to_version": "1.0", "path": "/review", "class": "review", "value": review},
            {"from_version": "1.1", "to_version": "1.0", "path": "/subject_of_care/person_name/0/middle_names",
             "class": "person_name", "element": "middle_names", "value": ["William"]},
            {"from_version": "1.1", "to_version": "1.0", "path": "/alert/0/record_uid",
             "class": "alert", "element": "record_uid", "value": "al-1"}
        ]}
    })
}

#[test]
fn kept_data_is_restored_only_where_it_fits_and_leaves_the_record_valid() {
    let good = json!([{"record_uid": "rv-1", "version_number": 1, "subject_of_care": "soc-1",
                       "date": "2026-11-01", "review_type": {"code": "care-plan-review"}}]);
    let bad = json!([{"record_uid": "soc-1", "version_number": 1, "subject_of_care": "soc-9",
                      "date": "2026-11-01"}]);
    for (review, restored) in [(good, true), (bad, false)] {
        let rec = with_kept_review(review.clone());
        assert!(validate_record(&rec, &ValidationOptions::strict()).valid);
        let m = migrate(&rec, "1.1", &fail()).expect("up");
        let r = validate_record(&m.record, &ValidationOptions::strict());
        assert!(r.valid, "restoring made it invalid: {:?}", r.issues);
        let find = |kind: ChangeKind, path: &str| {
            m.changes
                .iter()
                .find(|c| c.kind == kind && c.path == path)
                .cloned()
        };
        // the middle names fit; the alert's place is gone
        assert!(find(
            ChangeKind::Restored,
            "/subject_of_care/person_name/0/middle_names"
        )
        .is_some());
        assert_eq!(
            m.record["subject_of_care"]["person_name"][0],
            json!({"given_name": "Arthur", "middle_names": ["William"], "family_name": "Green"})
        );
        let gone = find(ChangeKind::NotRestored, "/alert/0/record_uid").expect("reported");
        assert!(gone.detail.contains("no longer exists"), "{}", gone.detail);
        let slot = m.record["mods_extensions"]["migration"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        if restored {
            assert_eq!(m.record["review"], review);
            assert_eq!(slot.len(), 1);
        } else {
            // the invalid review stays in the slot, with the reasons and no values
            assert!(m.record.get("review").is_none());
            assert_eq!(slot.len(), 2);
            assert_eq!(slot[0]["value"], review);
            let c = find(ChangeKind::NotRestored, "/review").expect("reported");
            for code in [
                "required-element-missing",
                "duplicate-record-uid",
                "dangling-reference",
            ] {
                assert!(c.detail.contains(code), "{}", c.detail);
            }
            assert!(!c.detail.contains("soc-9"));
            assert_eq!(m.losses().count(), 2);
        }
    }
}

#[test]
fn kept_data_is_not_restored_as_an_element_the_version_does_not_define() {
    let review = json!([{"record_uid": "rv-1", "version_number": 1, "subject_of_care": "soc-1",
                         "date": "2026-11-01", "review_type": {"code": "care-plan-review"},
                         "acme_note": "supplier's own field"}]);
    let mut rec = with_kept_review(review.clone());
    rec["mods_extensions"]["migration"]
        .as_array_mut()
        .expect("slot")
        .push(
            json!({"from_version": "1.1", "to_version": "1.0", "path": "/subject_of_care/acme",
                     "class": "subject_of_care", "element": "acme", "value": 1}),
        );
    let m = migrate(&rec, "1.1", &fail()).expect("up");
    // the review comes back with its supplier's field, as a lax record may carry it
    assert_eq!(m.record["review"], review);
    assert!(m.record["subject_of_care"].get("acme").is_none());
    let c = m
        .changes
        .iter()
        .find(|c| c.path == "/subject_of_care/acme")
        .expect("reported");
    assert_eq!(c.kind, ChangeKind::NotRestored);
    assert!(c.detail.contains("unknown-element"), "{}", c.detail);
}

#[test]
fn current_examples_go_to_1_1_and_back_unchanged() {
    for f in files("../examples/records") {
        let rec = load(&f);
        let up = migrate(&rec, "1.1", &fail()).expect("1.0 -> 1.1 is lossless");
        assert_eq!(up.losses().count(), 0);
        let r = validate_record(&up.record, &ValidationOptions::strict());
        assert!(r.valid, "{}: {:?}", f.display(), r.issues);
        let down = migrate(&up.record, "1.0", &fail()).expect("and back");
        assert_eq!(down.record, rec, "{}", f.display());
    }
}

#[test]
fn lossy_down_migration_fails_unless_the_caller_keeps_the_data() {
    let rec = example("examples/records/mr-green.json");
    let err = migrate(&rec, "0.2.1", &fail()).expect_err("1.0 -> 0.2.1 loses data");
    let MigrateError::Lossy { losses, .. } = &err else {
        panic!("{err}")
    };
    assert!(losses.iter().any(|l| l.path == "/alert"));
    // the error names paths and classes, never values
    assert!(!err.to_string().contains("9434765919"));
    let kept = migrate(&rec, "0.2.1", &keep()).expect("kept in the extension slot");
    let r = validate_record(&kept.record, &ValidationOptions::strict());
    assert!(r.valid, "{:?}", r.issues);
    assert!(kept
        .changes
        .iter()
        .any(|c| c.kind == ChangeKind::KeptInExtension));
    // and everything comes back on the way up
    let back = migrate(&kept.record, "1.0", &fail()).expect("back up");
    assert_eq!(back.record, rec);
    assert_eq!(back.losses().count(), 0);
}

/// `rec` (valid in strict mode) to `to`: refused listing exactly `lost` (sorted) when
/// refusing; kept, with those values in the extension slot and a record valid in strict
/// mode there, when keeping; and given back exactly by the migration back.
fn refused_or_kept_and_restored(rec: &Value, to: &str, lost: &[&str]) {
    let strict = ValidationOptions::strict();
    let r = validate_record(rec, &strict);
    assert!(r.valid, "the record itself: {:?}", r.issues);
    let home = rec["mods_version"].as_str().expect("a version");
    match migrate(rec, to, &fail()) {
        Err(MigrateError::Lossy { losses, .. }) => {
            let mut paths: Vec<&str> = losses.iter().map(|l| l.path.as_str()).collect();
            paths.sort_unstable();
            assert_eq!(paths, lost, "{home} -> {to} refused for these");
        }
        other => panic!("{home} -> {to} should refuse, listing {lost:?}: {other:?}"),
    }
    let kept = migrate(rec, to, &keep()).expect("kept");
    let r = validate_record(&kept.record, &strict);
    assert!(
        r.valid,
        "{home} -> {to} kept: {:?}\n{}",
        r.issues, kept.record
    );
    assert_eq!(kept.losses().count(), 0, "{:?}", kept.changes);
    let mut moved: Vec<&str> = kept
        .changes
        .iter()
        .filter(|c| c.kind == ChangeKind::KeptInExtension)
        .filter_map(|c| c.from_path.as_deref())
        .collect();
    moved.sort_unstable();
    for l in lost {
        assert!(moved.contains(l), "{l} not kept: {moved:?}");
    }
    let back = migrate(&kept.record, home, &fail()).expect("back");
    assert_eq!(back.losses().count(), 0, "{:?}", back.changes);
    assert_eq!(
        back.record,
        *rec,
        "{home} -> {to} -> {home}: {:?}",
        first_difference(rec, &back.record, "")
    );
}

fn soc() -> Value {
    json!({"record_uid": "soc-1", "version_number": 1,
           "person_name": [{"given_name": ["Arthur"], "family_name": "Green"}]})
}

#[test]
fn a_reference_the_lower_version_narrows_is_refused_or_kept_and_restored() {
    // 1.1 lets a Risk name any care actor; 1.0 only a Care worker
    let mut soc_1_1 = soc();
    soc_1_1["person_name"][0]["given_name"] = json!("Arthur");
    let carer = json!({"mods_version": "1.1", "subject_of_care": soc_1_1,
        "unpaid_carer": [{"record_uid": "uc-1", "version_number": 1, "subject_of_care": "soc-1",
                          "person_name": {"given_name": "David", "family_name": "Green"}}],
        "risk": [{"record_uid": "r-1", "version_number": 1, "subject_of_care": "soc-1",
                  "risk_category": {"code": "falls"}, "free_text": "Falls at night", "care_actor": "uc-1"}]});
    refused_or_kept_and_restored(&carer, "1.0", &["/risk/0/care_worker"]);
    refused_or_kept_and_restored(&carer, "0.2.1", &["/risk/0/care_worker"]);
    // a care worker of 1.1 still names a care worker in 1.0: nothing is lost
    let mut worker = carer.clone();
    worker["care_worker"] = json!([{"record_uid": "cw-1", "version_number": 1,
        "person_name": {"given_name": "Emily", "family_name": "Shaw"}}]);
    worker["risk"][0]["care_actor"] = json!("cw-1");
    let down = migrate(&worker, "1.0", &fail()).expect("nothing lost");
    assert_eq!(down.record["risk"][0]["care_worker"], "cw-1");
    // 1.0 -> 0.2.1: a care worker whose category makes it a GP again is no Care worker
    // there, which is all 0.2.1 lets a Risk name
    let gp = json!({"mods_version": "1.0", "subject_of_care": soc(),
        "care_worker": [{"record_uid": "cw-1", "version_number": 1,
                         "care_worker_category": {"code": "gp", "display": "GP"},
                         "person_name": {"given_name": ["Sunita"], "family_name": "Patel"}}],
        "risk": [{"record_uid": "r-1", "version_number": 1, "subject_of_care": "soc-1",
                  "risk_category": {"code": "falls"}, "free_text": "Falls at night", "care_worker": "cw-1"}]});
    refused_or_kept_and_restored(&gp, "0.2.1", &["/risk/0/care_worker"]);
}

#[test]
fn references_to_records_kept_in_the_slot_are_kept_with_them() {
    // 0.2.1 has no Proxy for subject of care: the proxy goes, and so must what names it
    let rec = json!({"mods_version": "1.0", "subject_of_care": soc(),
    "care_worker": [{"record_uid": "cw-1", "version_number": 1,
                     "care_worker_category": {"code": "care-worker", "display": "Care worker"},
                     "person_name": {"given_name": ["Emily"], "family_name": "Shaw"}}],
    "proxy_for_subject_of_care": [{"record_uid": "px-1", "version_number": 1,
        "subject_of_care": "soc-1", "person_name": {"given_name": ["David"], "family_name": "Green"},
        "contact_details": {"mobile_telephone": "07700 900123"}, "proxy_type": {"code": "other"}}],
    "document": [
        {"record_uid": "d-1", "version_number": 1, "document_title": "Letter", "author": ["px-1"]},
        {"record_uid": "d-2", "version_number": 1, "document_title": "Plan", "author": ["cw-1", "px-1"],
         "subject": "px-1"},
        {"record_uid": "d-3", "version_number": 1, "document_title": "Notes", "author": ["cw-1"]}
    ]});
    let mut lost = vec![
        "/document/0/author",
        "/document/1/author",
        "/document/1/subject",
        "/proxy_for_subject_of_care",
    ];
    lost.sort_unstable();
    refused_or_kept_and_restored(&rec, "0.2.1", &lost);
    // the author who is not a proxy stays where the proxy is not named
    let kept = migrate(&rec, "0.2.1", &keep()).expect("kept");
    assert_eq!(kept.record["document"][2]["author"], json!(["cw-1"]));
    // kept data restored only with the record it names: a reference alone stays in the slot
    let mut alone = kept.record.clone();
    let slot = alone["mods_extensions"]["migration"]
        .as_array_mut()
        .expect("slot");
    slot.retain(|e| e["path"] != "/proxy_for_subject_of_care");
    let up = migrate(&alone, "1.0", &fail()).expect("up");
    let r = validate_record(&up.record, &ValidationOptions::strict());
    assert!(r.valid, "{:?}", r.issues);
    assert!(up
        .changes
        .iter()
        .any(|c| c.kind == ChangeKind::NotRestored && c.path == "/document/0/author"));
}

#[test]
fn an_address_abroad_keeps_its_postcode_with_its_country() {
    let with = |postcode: &str, country: &str| {
        let mut s = soc();
        s["address"] = json!([{"address_line": ["1 rue du Faubourg"], "postcode": postcode,
                               "country": {"code": country}}]);
        json!({"mods_version": "1.0", "subject_of_care": s})
    };
    // 0.2.1 has no country, and reads every postcode as a UK one
    refused_or_kept_and_restored(
        &with("75008", "FR"),
        "0.2.1",
        &[
            "/subject_of_care/address/0/country",
            "/subject_of_care/address/0/postcode",
        ],
    );
    // a postcode of UK form abroad, or a UK address, loses only its country
    for (postcode, country) in [("SW1A 1AA", "FR"), ("LS1 5AB", "GB")] {
        refused_or_kept_and_restored(
            &with(postcode, country),
            "0.2.1",
            &["/subject_of_care/address/0/country"],
        );
    }
}

#[test]
fn an_unmerged_care_worker_keeps_no_element_0_2_1_lacks() {
    // a care worker that goes back to being a local authority professional or a GP: 0.2.1
    // has no version_number there, so one other than 1 is a value it cannot hold
    for (category, class) in [
        (
            "local-authority-professional",
            "local_authority_professional",
        ),
        ("gp", "gp"),
    ] {
        let rec = json!({"mods_version": "1.0", "subject_of_care": soc(),
            "care_worker": [{"record_uid": "w-1", "version_number": 2,
                             "care_worker_category": {"code": category},
                             "person_name": {"given_name": ["Daniel"], "family_name": "Okafor"}}]});
        let err = migrate(&rec, "0.2.1", &fail()).expect_err("refused");
        let MigrateError::Lossy { losses, .. } = &err else {
            panic!("{err}")
        };
        let paths: Vec<&str> = losses.iter().map(|l| l.path.as_str()).collect();
        assert_eq!(paths, [format!("/{class}/0/version_number")]);
        let kept = migrate(&rec, "0.2.1", &keep()).expect("kept");
        let r = validate_record(&kept.record, &ValidationOptions::strict());
        assert!(r.valid, "{:?}", r.issues);
        let back = migrate(&kept.record, "1.0", &fail()).expect("back");
        assert_eq!(back.record, rec);
    }
}

#[test]
fn a_kept_entry_whose_path_is_not_a_pointer_is_reported_at_its_place_in_the_slot() {
    // the slot is the record's to edit: its paths may be anything
    let rec = |path: &str| {
        json!({"mods_version": "0.2.1",
               "subject_of_care": {"record_uid": "soc-1",
                                   "person_name": [{"given_name": ["Arthur"], "family_name": "Green"}]},
               "mods_extensions": {"migration": [
                   {"from_version": "1.0", "to_version": "0.2.1", "path": "/alert",
                    "class": "alert", "value": []},
                   {"from_version": "1.0", "to_version": "0.2.1", "path": path,
                    "class": "proxy_for_subject_of_care", "value": []},
                   {"kind": "order", "from_version": "1.0", "to_version": "0.2.1", "path": path,
                    "class": "care_worker", "merged": "gp", "record_uids": []}]}})
    };
    for path in ["\"roxy_for_subject_of_care", "alert", "/a~2b", "~"] {
        let up = migrate(&rec(path), "1.0", &fail()).expect("up");
        for c in &up.changes {
            let pointer = c.path.is_empty()
                || c.path.starts_with('/')
                    && c.path.split('~').skip(1).all(|t| t.starts_with(['0', '1']));
            assert!(pointer, "{path:?}: {c:?}");
        }
        let not_restored: Vec<&str> = up
            .changes
            .iter()
            .filter(|c| c.kind == ChangeKind::NotRestored)
            .map(|c| c.path.as_str())
            .collect();
        assert_eq!(
            not_restored,
            [
                "/mods_extensions/migration/1",
                "/mods_extensions/migration/2"
            ],
            "{path:?}"
        );
        // the entries stay in the slot, as they were
        assert_eq!(
            up.record["mods_extensions"]["migration"],
            json!([
                rec(path)["mods_extensions"]["migration"][1],
                rec(path)["mods_extensions"]["migration"][2]
            ])
        );
    }
}

#[test]
fn a_kept_value_comes_back_only_under_its_own_name_and_as_an_element_the_target_defines() {
    // a hand-edited slot: the GPs become care workers going up, so the restored values move
    let rec = |path: &str, element: Option<&str>| {
        let mut entry = json!({"from_version": "1.0", "to_version": "0.2.1", "path": path,
                               "class": "gp", "value": {"code": "gp"}});
        if let Some(e) = element {
            entry["element"] = e.into();
        }
        json!({"mods_version": "0.2.1",
               "subject_of_care": {"record_uid": "soc-1",
                                   "person_name": [{"given_name": ["Arthur"], "family_name": "Green"}]},
               "gp": [{"record_uid": "gp-1",
                       "person_name": {"given_name": ["Sunita"], "family_name": "Patel"}}],
               "mods_extensions": {"migration": [entry]}})
    };
    let cw = "care_worker_category";
    let misspelt = "ca5e_worker_category";
    let cases = [
        // the path ends at another name than the element (found by fuzzing)
        (
            format!("/gp/0/{misspelt}"),
            Some(cw),
            "/mods_extensions/migration/0",
            "its path does not end at the element it names",
        ),
        // no element, and the path is not a whole collection
        (
            format!("/gp/0/{cw}"),
            None,
            "/mods_extensions/migration/0",
            "it names no element, yet its path is not a whole collection",
        ),
        // an element no class of 1.0 defines, found where the merge moved it
        (
            format!("/gp/0/{misspelt}"),
            Some(misspelt),
            "/gp/0/ca5e_worker_category",
            "(unknown-element)",
        ),
    ];
    for (path, element, at, why) in cases {
        let input = rec(&path, element);
        for opts in [fail(), keep()] {
            let up = migrate(&input, "1.0", &opts).expect("up");
            let nr: Vec<&Change> = up
                .changes
                .iter()
                .filter(|c| c.kind == ChangeKind::NotRestored)
                .collect();
            assert_eq!(nr.len(), 1, "{path}: {:?}", up.changes);
            assert_eq!(nr[0].path, at, "{path}");
            assert!(nr[0].detail.contains(why), "{path}: {}", nr[0].detail);
            assert!(!up.changes.iter().any(|c| c.kind == ChangeKind::Restored));
            // the entry stays in the slot as it was, and the record stays valid, strictly
            assert_eq!(
                up.record["mods_extensions"]["migration"],
                input["mods_extensions"]["migration"]
            );
            assert!(up.record["care_worker"][0].get(misspelt).is_none());
            let report = validate_record(&up.record, &ValidationOptions::strict());
            assert!(report.valid, "{path}: {:?}", report.issues);
        }
    }
    // the same value under its own name comes back
    let up = migrate(&rec(&format!("/gp/0/{cw}"), Some(cw)), "1.0", &fail()).expect("up");
    assert_eq!(up.record["care_worker"][0][cw], json!({"code": "gp"}));
    assert!(up.record.get("mods_extensions").is_none());
    assert!(up
        .changes
        .iter()
        .any(|c| c.kind == ChangeKind::Restored && c.path == format!("/gp/0/{cw}")));
}

/// Choices drawn from bytes proptest generates (and shrinks).
struct Dice<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Dice<'_> {
    /// A number below `n` (0 when the bytes run out).
    fn below(&mut self, n: usize) -> usize {
        let b = self.bytes.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        usize::from(b) % n.max(1)
    }

    fn shuffle(&mut self, v: &mut [Value]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i + 1);
            v.swap(i, j);
        }
    }
}

const CATEGORY_SYSTEM: &str = "https://mods-sdk.org/fhir/CodeSystem/care_worker_category";
const RELIABILITY_SYSTEM: &str = "https://mods-sdk.org/fhir/CodeSystem/report_reliability";

/// How much a variation departs from the way a migration writes things: not at all, now
/// and then, or often.
#[derive(Clone, Copy)]
struct Noise(usize);

impl Noise {
    fn roll(self, d: &mut Dice) -> bool {
        match self.0 {
            0 => false,
            1 => d.below(12) == 0,
            _ => d.below(3) == 0,
        }
    }
}

/// A coding of `code`: as a migration writes it (with the value set's display, `displays[0]`),
/// or, with noise, bare, with a display of another code or of its own, with the system.
fn coding(d: &mut Dice, noise: Noise, code: &str, system: &str, displays: &[&str]) -> Value {
    let mut c = json!({ "code": code, "display": displays[0] });
    if noise.roll(d) {
        match d.below(4) {
            0 => {
                c.as_object_mut().map(|o| o.remove("display"));
            }
            1 => c["display"] = json!(displays[d.below(displays.len())]),
            2 => c["display"] = json!("Written by hand"),
            _ => c["system"] = json!(system),
        }
    }
    c
}

fn given_names(d: &mut Dice) -> Value {
    let names = ["Ann", "Bea", "Cy"];
    let n = 1 + d.below(3);
    Value::from(names[..n].to_vec())
}

/// Every instance of a record class, at the top of the document.
fn instances(rec: &mut Value) -> Vec<&mut Value> {
    let mut out = Vec::new();
    for (k, v) in rec.as_object_mut().into_iter().flatten() {
        if k == "subject_of_care" {
            out.push(v);
        } else if let Value::Array(a) = v {
            out.extend(a.iter_mut());
        }
    }
    out
}

/// Vary a valid 1.0 record, keeping it valid: care workers in any order with any category
/// written any way, report reliabilities written any way, one to three given names,
/// version numbers, preferences in any order, empty collections, an extension slot.
fn vary_1_0(mut rec: Value, d: &mut Dice) -> Value {
    let noise = Noise(d.below(3));
    let categories = [
        ("care-worker", "Care worker"),
        ("gp", "GP"),
        (
            "local-authority-professional",
            "Local authority professional",
        ),
        ("health-professional", "Health professional"),
        ("other", "Other"),
    ];
    if let Some(Value::Array(workers)) = rec.get_mut("care_worker") {
        d.shuffle(workers);
        for w in workers.iter_mut() {
            // with noise, also the kinds 0.2.1 has no class for
            let kinds = if noise.roll(d) { 5 } else { 3 };
            let (code, display) = categories[d.below(kinds)];
            let others: Vec<&str> = categories.iter().map(|c| c.1).collect();
            let displays: Vec<&str> = [display].into_iter().chain(others).collect();
            w["care_worker_category"] = coding(d, noise, code, CATEGORY_SYSTEM, &displays);
            w["person_name"]["given_name"] = given_names(d);
        }
    }
    let reliabilities = [
        ("reliable", "Reliable"),
        ("uncertain", "Uncertain"),
        ("unreliable", "Unreliable"),
    ];
    if let Some(Value::Array(admins)) = rec.get_mut("medication_administration") {
        for m in admins.iter_mut() {
            if d.below(4) == 0 {
                if let Some(o) = m.as_object_mut() {
                    o.remove("report_reliability");
                }
            } else {
                let (code, display) = reliabilities[d.below(3)];
                let displays = [display, "Uncertain", "Partly reliable", "Reliable"];
                m["report_reliability"] = coding(d, noise, code, RELIABILITY_SYSTEM, &displays);
            }
        }
    }
    if let Some(Value::Array(names)) = rec.pointer_mut("/subject_of_care/person_name") {
        for n in names.iter_mut() {
            n["given_name"] = given_names(d);
        }
    }
    if let Some(Value::Array(p)) = rec.get_mut("preference") {
        d.shuffle(p);
    }
    for inst in instances(&mut rec) {
        if inst.get("version_number").is_some() && noise.roll(d) {
            inst["version_number"] = json!(1 + d.below(3));
        }
    }
    for class in ["outcome", "incident", "allergy"] {
        if rec.get(class).is_none() && noise.roll(d) {
            rec[class] = json!([]);
        }
    }
    // what 0.2.1 holds only with what it depends on: an address abroad, a document
    // written by a proxy (0.2.1 has neither Address country nor Proxy)
    if d.below(3) == 0 {
        let (postcode, country) =
            [("75008", "FR"), ("SW1A 1AA", "IE"), ("D02 X285", "IE")][d.below(3)];
        let address = json!({"address_line": ["1 Main Street"], "postcode": postcode,
                             "country": {"code": country}});
        if let Some(Value::Array(a)) = rec.pointer_mut("/subject_of_care/address") {
            a.push(address);
        } else {
            rec["subject_of_care"]["address"] = json!([address]);
        }
    }
    let proxy = rec
        .pointer("/proxy_for_subject_of_care/0/record_uid")
        .cloned();
    if let (Some(p), Some(Value::Array(docs))) = (proxy, rec.get_mut("document")) {
        for doc in docs.iter_mut() {
            if d.below(2) == 0 {
                doc["author"] = json!([p]);
            }
        }
    }
    vary_slot(&mut rec, d);
    rec
}

fn vary_slot(rec: &mut Value, d: &mut Dice) {
    match d.below(6) {
        0 => rec["mods_extensions"] = json!({}),
        1 => rec["mods_extensions"] = json!({"migration": []}),
        2 => rec["mods_extensions"] = json!({"acme": {"ward": "Oak"}}),
        _ => {}
    }
}

/// Vary a valid 1.1 record: middle names absent, empty, null or given; reviews; report
/// reliabilities of the 1.1 code list written any way.
fn vary_1_1(mut rec: Value, d: &mut Dice) -> Value {
    for inst in instances(&mut rec) {
        let names: Vec<&mut Value> = match inst.get_mut("person_name") {
            Some(Value::Array(a)) => a.iter_mut().collect(),
            Some(v @ Value::Object(_)) => vec![v],
            _ => continue,
        };
        for n in names {
            n["given_name"] = json!("Ann");
            match d.below(5) {
                0 => n["middle_names"] = json!([]),
                1 => n["middle_names"] = Value::Null,
                2 => n["middle_names"] = json!(["Bea", "Cy"]),
                _ => {
                    if let Some(o) = n.as_object_mut() {
                        o.remove("middle_names");
                    }
                }
            }
        }
    }
    let reliabilities = [
        ("reliable", "Reliable"),
        ("partly-reliable", "Partly reliable"),
        ("unreliable", "Unreliable"),
    ];
    let noise = Noise(d.below(3));
    if let Some(Value::Array(admins)) = rec.get_mut("medication_administration") {
        for m in admins.iter_mut() {
            let (code, display) = reliabilities[d.below(3)];
            let displays = [display, "Uncertain", "Partly reliable", "Reliable"];
            m["report_reliability"] = coding(d, noise, code, RELIABILITY_SYSTEM, &displays);
        }
    }
    // 1.1 lets a Risk name any care actor; 1.0 only a Care worker
    let actors: Vec<Value> = ["unpaid_carer", "personal_contact", "care_worker"]
        .iter()
        .filter_map(|k| rec.pointer(&format!("/{k}/0/record_uid")).cloned())
        .collect();
    if let Some(Value::Array(risks)) = rec.get_mut("risk") {
        for r in risks.iter_mut() {
            if !actors.is_empty() && d.below(2) == 0 {
                r["care_actor"] = actors[d.below(actors.len())].clone();
            }
        }
    }
    let soc = rec["subject_of_care"]["record_uid"].clone();
    let n = d.below(4);
    if n > 0 {
        rec["review"] = Value::from(
            (1..n)
                .map(|i| {
                    json!({"record_uid": format!("rv-{i}"), "version_number": 1, "subject_of_care": soc,
                           "date": "2026-11-01", "review_type": {"code": "care-plan-review"}})
                })
                .collect::<Vec<_>>(),
        );
    }
    rec
}

/// Vary a valid 0.2.1 record: GPs, local authority professionals and care workers moved
/// between their classes and ordered anyhow, wishes and preferences likewise, given names,
/// empty collections, an extension slot.
fn vary_0_2_1(mut rec: Value, d: &mut Dice) -> Value {
    let obj = rec.as_object_mut().expect("a record");
    for group in [
        &["care_worker", "gp", "local_authority_professional"][..],
        &["preference", "wish"][..],
    ] {
        let mut all: Vec<Value> = group
            .iter()
            .filter_map(|k| obj.remove(*k))
            .flat_map(|v| v.as_array().cloned().unwrap_or_default())
            .collect();
        d.shuffle(&mut all);
        let mut by: Vec<Vec<Value>> = vec![Vec::new(); group.len()];
        for v in all {
            by[d.below(group.len())].push(v);
        }
        for (k, items) in group.iter().zip(by) {
            // absent, or present even when empty
            if !items.is_empty() || d.below(3) == 0 {
                obj.insert((*k).to_owned(), Value::from(items));
            }
        }
    }
    for k in ["care_worker", "gp", "local_authority_professional"] {
        if let Some(Value::Array(items)) = obj.get_mut(k) {
            for w in items {
                w["person_name"]["given_name"] = given_names(d);
            }
        }
    }
    vary_slot(&mut rec, d);
    rec
}

/// A valid 0.2.1 record with several of each kind of care worker and of wishes.
fn base_0_2_1() -> Value {
    let mut rec = example("examples/older/mr-green-mods-0.2.1.json");
    // the risk names a care worker, which may become a GP: 0.2.1 allows only a care worker
    rec["risk"][0]
        .as_object_mut()
        .expect("risk")
        .remove("care_worker");
    let soc = rec["subject_of_care"]["record_uid"].clone();
    for i in 0..3 {
        for k in ["care_worker", "gp", "local_authority_professional"] {
            rec[k].as_array_mut().expect(k).push(json!({
                "record_uid": format!("{k}-{i}"),
                "person_name": {"given_name": ["Ann"], "family_name": "Lee"}
            }));
        }
        for k in ["preference", "wish"] {
            rec[k].as_array_mut().expect(k).push(json!({
                "record_uid": format!("{k}-{i}"), "subject_of_care": soc, "date": "2021",
                "free_text": format!("{k} {i}")
            }));
        }
    }
    rec
}

/// The 1.0 examples (a Risk's care worker among them, which the variation may make a GP,
/// and so not a Care worker in 0.2.1), and a record of the classes 0.2.1 has, which can
/// go down without refusal.
fn bases_1_0() -> Vec<Value> {
    let small = migrate(&base_0_2_1(), "1.0", &MigrateOptions::default())
        .expect("up")
        .record;
    files("../examples/records")
        .iter()
        .map(|f| load(f))
        .chain([small])
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn records_of_1_0_round_trip_through_every_version(
        which in 0usize..6,
        bytes in prop::collection::vec(any::<u8>(), 0..200),
    ) {
        let bases = bases_1_0();
        let rec = vary_1_0(bases[which % bases.len()].clone(), &mut Dice { bytes: &bytes, at: 0 });
        if let Err(e) = oracle(&rec) {
            prop_assert!(false, "{}", e);
        }
    }

    #[test]
    fn records_of_1_1_round_trip_through_every_version(
        which in 0usize..6,
        bytes in prop::collection::vec(any::<u8>(), 0..200),
    ) {
        let bases = bases_1_0();
        let mut d = Dice { bytes: &bytes, at: 0 };
        let rec = vary_1_0(bases[which % bases.len()].clone(), &mut d);
        let up = migrate(&rec, "1.1", &MigrateOptions::default()).expect("up");
        let rec = vary_1_1(up.record, &mut d);
        if let Err(e) = oracle(&rec) {
            prop_assert!(false, "{}", e);
        }
    }

    #[test]
    fn records_of_0_2_1_round_trip_through_every_version(
        bytes in prop::collection::vec(any::<u8>(), 0..120),
    ) {
        let rec = vary_0_2_1(base_0_2_1(), &mut Dice { bytes: &bytes, at: 0 });
        if let Err(e) = oracle(&rec) {
            prop_assert!(false, "{}", e);
        }
    }
}

/// A JSON value of any shape, small, with the names migrations look at.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        (0u32..3).prop_map(Value::from),
        prop_oneof![
            Just("gp"),
            Just("uncertain"),
            Just("partly-reliable"),
            Just("u1"),
            Just("1.0"),
            Just("0.2.1"),
            Just("1.1"),
            Just("/care_worker"),
            Just("/preference"),
            Just("/gp/0/care_worker_category"),
            Just(""),
        ]
        .prop_map(Value::from),
    ];
    let key = prop_oneof![
        Just("record_uid"),
        Just("code"),
        Just("display"),
        Just("care_worker_category"),
        Just("given_name"),
        Just("middle_names"),
        Just("person_name"),
        Just("report_reliability"),
        Just("care_worker"),
        Just("care_actor"),
        Just("version_number"),
        Just("kind"),
        Just("path"),
        Just("class"),
        Just("merged"),
        Just("record_uids"),
        Just("from_version"),
        Just("to_version"),
        Just("value"),
        Just("migration"),
    ];
    leaf.prop_recursive(4, 40, 4, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map(key.clone(), inner, 0..4).prop_map(|m| {
                Value::Object(m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
            }),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Whatever a document holds (collections that are not arrays, instances that are not
    /// objects, slot entries of any shape), migrating it is an answer, never a panic.
    #[test]
    fn any_document_migrates_or_is_refused_without_panicking(
        version in prop_oneof![Just("0.2.1"), Just("1.0"), Just("1.1")],
        members in prop::collection::btree_map(
            prop_oneof![
                Just("subject_of_care"), Just("care_worker"), Just("gp"),
                Just("local_authority_professional"), Just("wish"), Just("preference"),
                Just("risk"), Just("medication_administration"), Just("review"),
                Just("alert"), Just("mods_extensions"), Just("unknown"),
            ],
            any_json(),
            0..6,
        ),
    ) {
        let mut doc: serde_json::Map<String, Value> =
            members.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        doc.insert("mods_version".into(), version.into());
        let doc = Value::Object(doc);
        for to in ["0.2.1", "1.0", "1.1"] {
            for opts in [fail(), keep()] {
                match migrate(&doc, to, &opts) {
                    Ok(m) => prop_assert_eq!(&m.record["mods_version"], to),
                    Err(MigrateError::Lossy { losses, .. }) => prop_assert!(!losses.is_empty()),
                    Err(MigrateError::BadExtensionSlot { .. }) => {}
                    Err(e) => prop_assert!(false, "{}", e),
                }
            }
        }
    }
}

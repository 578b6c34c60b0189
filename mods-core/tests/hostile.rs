//! Hostile and random input: every input gives a report or an input error, never a panic,
//! in bounded time.

use mods_core::{
    validate_instance, validate_record, validate_record_json, IssueCode, Limits, ValidationOptions,
};
use proptest::prelude::*;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

fn code_of(bytes: &[u8]) -> Result<Vec<IssueCode>, IssueCode> {
    validate_record_json(bytes, &ValidationOptions::default())
        .map(|r| r.issues.iter().map(|i| i.code).collect())
        .map_err(|e| e.code)
}

fn timed<T>(limit: Duration, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    assert!(
        start.elapsed() < limit,
        "took {:?}, more than {limit:?}",
        start.elapsed()
    );
    out
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    for depth in [65usize, 1_000, 100_000, 1_000_000] {
        let arr = "[".repeat(depth);
        assert_eq!(code_of(arr.as_bytes()), Err(IssueCode::InputTooDeep));
        let obj = r#"{"a":"#.repeat(depth);
        assert_eq!(code_of(obj.as_bytes()), Err(IssueCode::InputTooDeep));
    }
}

#[test]
fn large_inputs_are_bounded() {
    // 1,001 members in one object
    let mut s = String::from("{");
    for i in 0..1001 {
        if i > 0 {
            s.push(',');
        }
        s.push_str(&format!("\"k{i}\":0"));
    }
    s.push('}');
    assert_eq!(code_of(s.as_bytes()), Err(IssueCode::InputTooManyMembers));
    // 100,001 array items
    let items = vec!["0"; 100_001].join(",");
    let doc = format!("{{\"mods_version\":\"1.0\",\"alert\":[{items}]}}");
    assert_eq!(
        timed(Duration::from_secs(5), || code_of(doc.as_bytes())),
        Err(IssueCode::InputTooManyItems)
    );
    // a string just over 1 MiB
    let doc = format!("{{\"x\":\"{}\"}}", "a".repeat(1024 * 1024 + 1));
    assert_eq!(code_of(doc.as_bytes()), Err(IssueCode::InputStringTooLong));
    // a document over 16 MiB is refused before parsing
    let big = vec![b' '; 16 * 1024 * 1024 + 1];
    assert_eq!(
        timed(Duration::from_secs(1), || code_of(&big)),
        Err(IssueCode::InputTooLarge)
    );
}

#[test]
fn many_instances_validate_in_linear_time() {
    let alert = |i: usize| json!({"record_uid": format!("a{i}"), "version_number": 1, "status": {"code": "nope"}});
    let doc =
        |n: usize| json!({"mods_version": "1.0", "alert": (0..n).map(alert).collect::<Vec<_>>()});
    let opts = ValidationOptions::default();
    let small = doc(1_000);
    let large = doc(20_000);
    let t_small = {
        let s = Instant::now();
        let r = validate_record(&small, &opts);
        assert!(!r.valid);
        s.elapsed()
    };
    let t_large = {
        let s = Instant::now();
        let r = validate_record(&large, &opts);
        assert!(!r.valid);
        // the report is capped and says so
        assert_eq!(r.issues.len(), 1_001);
        assert!(r.omitted > 0);
        assert_eq!(
            r.issues.last().map(|i| i.code),
            Some(IssueCode::TooManyIssues)
        );
        s.elapsed()
    };
    // 20x the input must not cost more than ~60x the time (generous for noisy machines)
    assert!(
        t_large <= t_small * 60 + Duration::from_millis(50),
        "1,000 instances: {t_small:?}; 20,000 instances: {t_large:?}"
    );
}

#[test]
fn wrong_json_types_everywhere_do_not_panic() {
    let junk = [
        json!(null),
        json!(true),
        json!(1.5),
        json!(-1),
        json!("x"),
        json!([]),
        json!([null, 1, "a", {}]),
        json!({}),
        json!({"code": 5}),
    ];
    let model = mods_core::model::latest();
    for class in model.classes {
        let mut inst = serde_json::Map::new();
        for (i, el) in class.elements.iter().enumerate() {
            inst.insert(el.technical_name.to_owned(), junk[i % junk.len()].clone());
        }
        let v = Value::Object(inst);
        let _ = validate_instance(class.technical_name, &v, &ValidationOptions::default());
        let doc = json!({"mods_version": "1.0", "subject_of_care": v.clone(), class.technical_name: [v.clone(), v]});
        let r = validate_record(&doc, &ValidationOptions::strict());
        assert!(!r.valid);
    }
}

#[test]
fn default_limits_are_documented_values() {
    let l = Limits::default();
    assert_eq!(
        (
            l.max_bytes,
            l.max_depth,
            l.max_string_bytes,
            l.max_array_items,
            l.max_object_members,
            l.max_nodes
        ),
        (16 * 1024 * 1024, 64, 1024 * 1024, 100_000, 1_000, 1_000_000)
    );
}

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        "[a-z0-9 _:.+-]{0,12}".prop_map(Value::String),
        prop_oneof![
            Just("1.0"),
            Just("9434765919"),
            Just("2024-02-29"),
            Just("08:30"),
            Just("2024-01-01T10:00Z"),
            Just("active"),
            Just("soc-1"),
            Just("")
        ]
        .prop_map(|s| Value::String(s.to_owned())),
    ];
    let keys = prop_oneof![
        Just("mods_version".to_owned()),
        Just("subject_of_care".to_owned()),
        Just("record_uid".to_owned()),
        Just("version_number".to_owned()),
        Just("alert".to_owned()),
        Just("status".to_owned()),
        Just("code".to_owned()),
        Just("date".to_owned()),
        Just("nhs_number".to_owned()),
        Just("person_name".to_owned()),
        "[a-z_]{1,10}",
    ];
    leaf.prop_recursive(6, 64, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(keys.clone(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_json_gives_a_report(v in arb_json()) {
        let r = validate_record(&v, &ValidationOptions::default());
        // valid exactly when no issue is an error
        prop_assert_eq!(r.valid, r.errors().next().is_none());
        for i in &r.issues {
            prop_assert!(i.path.is_empty() || i.path.starts_with('/'));
        }
        for class in ["alert", "subject_of_care", "medication_administration"] {
            let _ = validate_instance(class, &v, &ValidationOptions::strict());
        }
    }

    #[test]
    fn any_bytes_give_a_report_or_an_error(b in prop::collection::vec(any::<u8>(), 0..256)) {
        let _ = validate_record_json(&b, &ValidationOptions::default());
    }

    #[test]
    fn reports_round_trip_through_json(v in arb_json()) {
        let r = validate_record(&v, &ValidationOptions::default());
        let back: mods_core::Report = serde_json::from_value(serde_json::to_value(&r).unwrap()).unwrap();
        prop_assert_eq!(back, r);
    }
}

/// A `Value` built by hand far deeper than any reader allows, as the unsupported
/// `mods_version` whose value a report copies when values are asked for: the copy is cut,
/// never a stack overflow.
#[test]
fn a_deep_value_built_by_hand_is_not_copied_without_bound() {
    let mut v = serde_json::Value::Null;
    for _ in 0..100_000 {
        v = serde_json::Value::Array(vec![v]);
    }
    // not json!, which would copy `v` recursively
    let mut m = serde_json::Map::new();
    m.insert("mods_version".into(), v);
    m.insert(
        "subject_of_care".into(),
        serde_json::Value::Object(Default::default()),
    );
    let doc = serde_json::Value::Object(m);
    let opts = mods_core::ValidationOptions::default().with_include_values(true);
    let r = std::thread::Builder::new()
        .stack_size(16 << 20)
        .spawn(move || {
            let r = mods_core::validate_record(&doc, &opts);
            // the document's own drop recurses too: leak it rather than test serde_json
            std::mem::forget(doc);
            r
        })
        .unwrap()
        .join()
        .expect("no stack overflow");
    assert_eq!(
        r.issues[0].code,
        mods_core::IssueCode::ModsVersionUnsupported
    );
}

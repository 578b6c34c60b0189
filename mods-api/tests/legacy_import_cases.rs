//! The shared cases of `tests/import/cases.json` through `mods_api::import_legacy` (the
//! Python test reads the same file).

use mods_api::{import_legacy, LegacyImportOptions};
use serde_json::Value;

#[test]
fn shared_import_cases() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/import/cases.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let cases = doc["cases"].as_array().unwrap();
    assert!(cases.len() >= 7);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let mut opts = LegacyImportOptions::default();
        opts.format = case["format"].as_str().map(str::to_string);
        let result = import_legacy(
            case["mapping"].as_str().unwrap(),
            case["data"].as_str().unwrap().as_bytes(),
            &opts,
        );
        let expect = &case["expect"];
        if let Some(code) = expect["error"].as_str() {
            let e = result.expect_err(name);
            assert_eq!(e.code().as_str(), code, "{name}");
            assert!(
                e.to_string()
                    .contains(expect["message_contains"].as_str().unwrap()),
                "{name}: {e}"
            );
            continue;
        }
        let out = serde_json::to_value(result.unwrap_or_else(|e| panic!("{name}: {e}"))).unwrap();
        let records = &out["records"];
        assert_eq!(
            records.as_array().unwrap().len() as u64,
            expect["records"].as_u64().unwrap(),
            "{name}"
        );
        let entries = out["entries"].as_array().unwrap();
        let want = expect["entries"].as_array().unwrap();
        assert_eq!(entries.len(), want.len(), "{name}: {entries:?}");
        for (got, want) in entries.iter().zip(want) {
            for (k, v) in want.as_object().unwrap() {
                assert_eq!(&got[k], v, "{name}: {k} of {got}");
            }
        }
        for (ptr, v) in expect["values"].as_object().into_iter().flatten() {
            assert_eq!(records.pointer(ptr), Some(v), "{name}: {ptr}");
        }
        for (ptr, n) in expect["counts"].as_object().into_iter().flatten() {
            assert_eq!(
                records.pointer(ptr).and_then(Value::as_array).map(Vec::len),
                n.as_u64().map(|n| n as usize),
                "{name}: {ptr}"
            );
        }
        if let Some(absent) = expect["absent"].as_str() {
            assert!(
                !serde_json::to_string(&out["entries"])
                    .unwrap()
                    .contains(absent),
                "{name}"
            );
        }
        let columns = out["summary"]["columns"].as_object().unwrap();
        for (col, c) in columns {
            let n = |k: &str| c[k].as_u64().unwrap();
            assert_eq!(
                n("cells"),
                n("imported") + n("ignored") + n("reported"),
                "{name}: column {col}"
            );
        }
    }
}

//! The language-neutral cases of `tests/flows/days/cases.json` (docs/flows/days.md)
//! through the layer every binding calls; the Python, Node and WebAssembly tests run the
//! same file.

use mods_api::{compare_days, CompareDaysOptions, Input};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn every_case_of_the_shared_file() {
    let cases: Value = serde_json::from_slice(&read("tests/flows/days/cases.json")).unwrap();
    let cases = cases["cases"].as_array().unwrap();
    assert!(cases.len() >= 8, "only {} cases", cases.len());
    for c in cases {
        let name = c["name"].as_str().unwrap();
        let record = read(c["record"].as_str().unwrap());
        let other = c["against_record"].as_str().map(read);
        let opts = CompareDaysOptions::default()
            .with_day(c["day"].as_str().unwrap().to_owned())
            .with_against(c["against"].as_str().unwrap().to_owned());
        let got = compare_days(record.as_slice(), &opts, other.as_ref().map(Input::from));
        if let Some(want) = c.get("expect_error") {
            let e = got.expect_err(name);
            let e = serde_json::to_value(&e).unwrap();
            assert_eq!(e["code"], want["code"], "{name}: {e}");
            if let Some(o) = want.get("option") {
                assert_eq!(&e["option"], o, "{name}");
            }
            continue;
        }
        let got = serde_json::to_value(got.unwrap_or_else(|e| panic!("{name}: {e}"))).unwrap();
        let expect = c["expect"].as_object().unwrap();
        assert!(!expect.is_empty(), "{name} states nothing");
        for (pointer, want) in expect {
            let at = got.pointer(pointer);
            assert_eq!(at, Some(want), "{name}: {pointer}");
        }
        for (pointer, n) in c
            .get("expect_len")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let len = got.pointer(pointer).and_then(Value::as_array).map(Vec::len);
            assert_eq!(
                len,
                n.as_u64().map(|n| n as usize),
                "{name}: length of {pointer}"
            );
        }
    }
}

//! The medicine codes in the example records and the conformance corpus are the current
//! dm+d VMP codes for the products their displays name.
//!
//! dm+d VMP identifiers are SNOMED CT identifiers (UK drug extension). In May 2021 dm+d gave
//! several VMPs new identifiers; the previous ones remain in old records but are not the
//! current code. The checked codes below were confirmed in public dm+d code lists and
//! NHS England FHIR guidance.

use serde_json::Value;
use std::path::{Path, PathBuf};

/// Current VMP codes, with the VMP name, as confirmed.
const VMPS: &[(&str, &str)] = &[
    // Previous VMP id 323510009, retired 2021-05-26.
    ("39732411000001106", "Amoxicillin 500mg capsules"),
    // Previous VMP id 319283006.
    ("39732011000001102", "Amlodipine 5mg tablets"),
];

/// Codes that must not appear: each one is another product, or a retired identifier.
const NOT_TO_USE: &[(&str, &str)] = &[
    (
        "323509004",
        "the retired VMP id of Amoxicillin 250mg capsules (now 39732311000001104), not 500mg",
    ),
    (
        "323510009",
        "the retired VMP id of Amoxicillin 500mg capsules: use 39732411000001106",
    ),
    (
        "319283006",
        "the retired VMP id of Amlodipine 5mg tablets: use 39732011000001102",
    ),
];

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every file under `dir` (recursively) whose name ends with one of `exts`.
fn files(dir: &Path, exts: &[&str], out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, exts, out);
        } else if exts
            .iter()
            .any(|x| p.extension().is_some_and(|ext| ext == *x))
        {
            out.push(p);
        }
    }
}

/// Every `{code, system, display}` coding in a JSON document.
fn codings<'a>(v: &'a Value, out: &mut Vec<&'a Value>) {
    match v {
        Value::Object(m) => {
            if m.get("code").is_some_and(Value::is_string) {
                out.push(v);
            }
            m.values().for_each(|x| codings(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| codings(x, out)),
        _ => {}
    }
}

/// Problems with the medicine codings of one document.
fn problems_in(doc: &Value) -> Vec<String> {
    let mut all = Vec::new();
    codings(doc, &mut all);
    let mut out = Vec::new();
    for c in all {
        let code = c["code"].as_str().unwrap_or_default();
        let display = c["display"].as_str();
        if let Some((_, why)) = NOT_TO_USE.iter().find(|(bad, _)| *bad == code) {
            out.push(format!("code {code} is {why}"));
        }
        for (vmp, name) in VMPS {
            if code == *vmp && display.is_some_and(|d| d != *name) {
                out.push(format!("code {code} is {name:?}, not {display:?}"));
            }
            if display == Some(*name) && code != *vmp {
                out.push(format!("{name:?} is {vmp}, not {code}"));
            }
        }
    }
    out
}

#[test]
fn medicine_codes_are_current_vmps_for_their_displays() {
    let root = repo();
    let mut paths = Vec::new();
    files(&root.join("examples"), &["json"], &mut paths);
    files(&root.join("tests/conformance"), &["json"], &mut paths);
    assert!(paths.len() > 20, "found only {} files", paths.len());
    let mut problems = Vec::new();
    for p in &paths {
        let text = std::fs::read_to_string(p).expect("readable");
        let Ok(doc) = serde_json::from_str::<Value>(&text) else {
            continue; // some conformance inputs are deliberately not JSON
        };
        for problem in problems_in(&doc) {
            problems.push(format!("{}: {problem}", p.display()));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn retired_codes_are_not_mentioned_anywhere() {
    let root = repo();
    let mut paths = Vec::new();
    files(&root.join("docs"), &["md"], &mut paths);
    files(&root.join("examples"), &["md", "rs"], &mut paths);
    files(
        &root.join("bindings/python"),
        &["py", "md", "pyi"],
        &mut paths,
    );
    files(&root.join("mods-cli/tests"), &["rs"], &mut paths);
    paths.push(root.join("README.md"));
    let mut problems = Vec::new();
    for p in &paths {
        let text = std::fs::read_to_string(p).unwrap_or_default();
        for (bad, why) in NOT_TO_USE {
            if text.contains(bad) {
                problems.push(format!("{}: {bad} is {why}", p.display()));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_wrong_code_for_a_display_is_found() {
    let doc = serde_json::json!({"medication": [{"medication_code": {
        "code": "323509004", "system": "http://snomed.info/sct",
        "display": "Amoxicillin 500mg capsules"}}]});
    let found = problems_in(&doc);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found.iter().any(|p| p.contains("250mg")));
    let good = serde_json::json!({"medication_code": {
        "code": "39732411000001106", "display": "Amoxicillin 500mg capsules"}});
    assert!(problems_in(&good).is_empty());
    let mislabelled = serde_json::json!({"medication_code": {
        "code": "39732011000001102", "display": "Amoxicillin 500mg capsules"}});
    assert_eq!(problems_in(&mislabelled).len(), 2);
}

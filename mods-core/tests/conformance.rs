//! Runs every case of the language-neutral conformance corpus in `tests/conformance/`
//! (format: tests/conformance/README.md) and checks the corpus covers every class and
//! every issue code.

use base64::Engine as _;
use mods_core::model::{self, ClassKind};
use mods_core::terminology::{CodeCheck, CodeRequest, OfflineProvider, TerminologyProvider};
use mods_core::{
    is_valid_instance, is_valid_instance_json, is_valid_record, is_valid_record_json,
    validate_instance, validate_instance_json, validate_record, validate_record_json, IssueCode,
    Limits, Mode, Report, ValidationOptions,
};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/conformance/cases")
}

fn case_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "json") {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(&corpus_dir(), &mut out);
    out.sort();
    out
}

/// A provider that covers some systems but is down: every answer is Unavailable.
struct Down(Vec<String>);

impl TerminologyProvider for Down {
    fn name(&self) -> &str {
        "unavailable provider"
    }
    fn check_code(&self, r: &CodeRequest<'_>) -> CodeCheck {
        if self.0.iter().any(|s| s == r.system) {
            CodeCheck::Unavailable {
                reason: "the provider is down".into(),
            }
        } else {
            CodeCheck::NotCovered
        }
    }
}

fn options(case: &Value) -> ValidationOptions {
    let mut o = ValidationOptions::default();
    let Some(opts) = case.get("options") else {
        return o;
    };
    if opts.get("strict").and_then(Value::as_bool) == Some(true) {
        o.mode = Mode::Strict;
    }
    if let Some(b) = opts.get("include_values").and_then(Value::as_bool) {
        o.include_values = b;
    }
    if let Some(n) = opts.get("max_issues").and_then(Value::as_u64) {
        o.max_issues = n as usize;
    }
    if let Some(t) = opts.get("today") {
        let day = t
            .as_str()
            .and_then(mods_core::checks::parse_date)
            .unwrap_or_else(|| panic!("options.today must be a date YYYY-MM-DD, not {t}"));
        o.today = Some(day);
    }
    if let Some(resources) = opts.get("terminology").and_then(Value::as_array) {
        let mut offline = OfflineProvider::new();
        for r in resources {
            let bytes = serde_json::to_vec(r).unwrap_or_default();
            if let Err(e) = offline.load_fhir_json(&bytes) {
                panic!("options.terminology: {e}");
            }
        }
        o.terminology.push(Arc::new(offline));
    }
    if let Some(systems) = opts
        .get("unavailable_terminology")
        .and_then(Value::as_array)
    {
        o.terminology.push(Arc::new(Down(
            systems
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
        )));
    }
    if let Some(l) = opts.get("limits").and_then(Value::as_object) {
        let d = Limits::default();
        let get =
            |k: &str, def: usize| l.get(k).and_then(Value::as_u64).map_or(def, |n| n as usize);
        o.limits = Limits::default()
            .with_max_bytes(get("max_bytes", d.max_bytes))
            .with_max_depth(get("max_depth", d.max_depth))
            .with_max_string_bytes(get("max_string_bytes", d.max_string_bytes))
            .with_max_array_items(get("max_array_items", d.max_array_items))
            .with_max_object_members(get("max_object_members", d.max_object_members))
            .with_max_nodes(get("max_nodes", d.max_nodes));
    }
    o
}

fn input_bytes(case: &Value) -> Result<Vec<u8>, String> {
    if let Some(v) = case.get("input") {
        return serde_json::to_vec(v).map_err(|e| e.to_string());
    }
    if let Some(t) = case.get("input_text").and_then(Value::as_str) {
        return Ok(t.as_bytes().to_vec());
    }
    if let Some(b) = case.get("input_base64").and_then(Value::as_str) {
        return base64::engine::general_purpose::STANDARD
            .decode(b)
            .map_err(|e| e.to_string());
    }
    Err("no input, input_text or input_base64".into())
}

type Triple = (String, String, String);

fn triples(v: &Value) -> Vec<Triple> {
    let mut out: Vec<Triple> = v
        .as_array()
        .map(|a| {
            a.iter()
                .map(|i| {
                    let s = |k: &str| i.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
                    (s("code"), s("path"), s("severity"))
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// The verdict alone (`is_valid_*`, which stops at the first error) agrees with the full
/// report's `valid`, and fails on the same input errors; from bytes and from a `Value`.
fn verdict_agrees(case: &Value, opts: &ValidationOptions, bytes: &[u8]) -> Result<(), String> {
    let class = match case.get("target") {
        None => None,
        Some(Value::String(s)) if s == "record" => None,
        Some(t) => t.get("class").and_then(Value::as_str),
    };
    let code = |e: mods_core::InstanceError| match e {
        mods_core::InstanceError::Input(i) => i.code.as_str().to_owned(),
        other => other.to_string(),
    };
    let (full, verdict) = match class {
        None => (
            validate_record_json(bytes, opts)
                .map(|r| r.valid)
                .map_err(|e| e.code.as_str().to_owned()),
            is_valid_record_json(bytes, opts).map_err(|e| e.code.as_str().to_owned()),
        ),
        Some(c) => (
            validate_instance_json(c, bytes, opts)
                .map(|r| r.valid)
                .map_err(code),
            is_valid_instance_json(c, bytes, opts).map_err(code),
        ),
    };
    if full != verdict {
        return Err(format!(
            "is_valid from bytes: {verdict:?}, validate: {full:?}"
        ));
    }
    if let Ok(v) = mods_core::parse_json(bytes, &opts.limits) {
        let (full, verdict) = match class {
            None => (
                Ok(validate_record(&v, opts).valid),
                Ok(is_valid_record(&v, opts)),
            ),
            Some(c) => (
                validate_instance(c, &v, opts)
                    .map(|r| r.valid)
                    .map_err(code),
                is_valid_instance(c, &v, opts).map_err(code),
            ),
        };
        if full != verdict {
            return Err(format!(
                "is_valid from a Value: {verdict:?}, validate: {full:?}"
            ));
        }
    }
    Ok(())
}

/// Run one case; Err(explanation) on disagreement.
fn run_case(case: &Value) -> Result<(), String> {
    let opts = options(case);
    let bytes = input_bytes(case)?;
    verdict_agrees(case, &opts, &bytes)?;
    let result: Result<Report, String> = match case.get("target") {
        None => validate_record_json(&bytes, &opts).map_err(|e| e.code.as_str().to_owned()),
        Some(Value::String(s)) if s == "record" => {
            validate_record_json(&bytes, &opts).map_err(|e| e.code.as_str().to_owned())
        }
        Some(t) => {
            let class = t
                .get("class")
                .and_then(Value::as_str)
                .ok_or("target must be \"record\" or {\"class\": ...}")?;
            validate_instance_json(class, &bytes, &opts).map_err(|e| match e {
                mods_core::InstanceError::Input(i) => i.code.as_str().to_owned(),
                other => format!("instance error: {other}"),
            })
        }
    };
    let expect = case.get("expect").ok_or("no expect")?;
    let want_valid = expect
        .get("valid")
        .and_then(Value::as_bool)
        .ok_or("no expect.valid")?;
    match (result, expect.get("error").and_then(Value::as_str)) {
        (Err(got), Some(want)) if got == want => Ok(()),
        (Err(got), Some(want)) => Err(format!("expected input error {want}, got {got}")),
        (Err(got), None) => Err(format!("unexpected input error {got}")),
        (Ok(r), Some(want)) => Err(format!(
            "expected input error {want}, got a report with {:?}",
            triples(&serde_json::to_value(&r.issues).unwrap_or_default())
        )),
        (Ok(r), None) => {
            let got = triples(&serde_json::to_value(&r.issues).unwrap_or_default());
            let want = triples(expect.get("issues").unwrap_or(&Value::Null));
            if r.valid != want_valid || got != want {
                return Err(format!(
                    "valid: expected {want_valid}, got {}\n    expected issues: {want:?}\n    got issues:      {got:?}",
                    r.valid
                ));
            }
            Ok(())
        }
    }
}

#[test]
fn conformance_corpus() {
    let files = case_files();
    assert!(
        files.len() >= 50,
        "the corpus has only {} cases in {}",
        files.len(),
        corpus_dir().display()
    );
    let mut failures = Vec::new();
    for f in &files {
        let name = f
            .strip_prefix(corpus_dir())
            .unwrap_or(f)
            .display()
            .to_string();
        let text = match std::fs::read_to_string(f) {
            Ok(t) => t,
            Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        let case: Value = match serde_json::from_str(&text) {
            Ok(c) => c,
            Err(e) => {
                failures.push(format!("{name}: not JSON: {e}"));
                continue;
            }
        };
        if let Err(e) = run_case(&case) {
            failures.push(format!("{name}: {e}"));
        }
    }
    println!(
        "{} conformance cases, {} failed",
        files.len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} conformance cases failed:\n  {}",
        failures.len(),
        files.len(),
        failures.join("\n  ")
    );
}

/// Codes no record can produce, so no case can expect them; the coverage rule skips them
/// (tests/conformance/README.md says why). `internal-error` reports a bug (a panic) caught by
/// the CLI or a binding: if any input could produce it, that input would be a bug to fix.
const NOT_PRODUCED_BY_INPUT: &[IssueCode] = &[IssueCode::InternalError];

#[test]
fn only_internal_error_is_exempt_from_coverage_and_no_input_produces_it() {
    assert_eq!(NOT_PRODUCED_BY_INPUT, &[IssueCode::InternalError]);
    // The validator never raises it: in mods-core's sources, only the catalogue and the
    // panic guard name it.
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut naming = Vec::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir)
            .expect("mods-core/src is readable")
            .flatten()
        {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let text = std::fs::read_to_string(&p).unwrap_or_default();
                if text.contains("IssueCode::InternalError") || text.contains("InternalError =") {
                    let rel = p.strip_prefix(&src).unwrap_or(&p);
                    naming.push(rel.to_string_lossy().replace('\\', "/"));
                }
            }
        }
    }
    naming.sort();
    assert_eq!(naming, ["guard.rs", "issue.rs"]);
    // No case expects an exempt code (it would not need the exemption), and running the
    // whole corpus never produces one.
    for f in case_files() {
        let text = std::fs::read_to_string(&f).unwrap_or_default();
        for code in NOT_PRODUCED_BY_INPUT {
            assert!(
                !text.contains(&format!("\"{}\"", code.as_str())),
                "{} names {code}",
                f.display()
            );
        }
        let Ok(case) = serde_json::from_str::<Value>(&text) else {
            continue;
        };
        let opts = options(&case);
        let Ok(bytes) = input_bytes(&case) else {
            continue;
        };
        let report = match case
            .get("target")
            .and_then(|t| t.get("class"))
            .and_then(Value::as_str)
        {
            Some(class) => validate_instance_json(class, &bytes, &opts).ok(),
            None => validate_record_json(&bytes, &opts).ok(),
        };
        if let Some(r) = report {
            assert!(
                r.issues
                    .iter()
                    .all(|i| !NOT_PRODUCED_BY_INPUT.contains(&i.code)),
                "{} produced an exempt code",
                f.display()
            );
        }
    }
}

#[test]
fn corpus_covers_every_class_and_code() {
    let mut valid_about: BTreeMap<String, usize> = BTreeMap::new();
    let mut invalid_about: BTreeMap<String, usize> = BTreeMap::new();
    let mut expected_codes: BTreeSet<String> = BTreeSet::new();
    let mut passing_about: BTreeSet<String> = BTreeSet::new();
    for f in case_files() {
        let Ok(text) = std::fs::read_to_string(&f) else {
            continue;
        };
        let Ok(case) = serde_json::from_str::<Value>(&text) else {
            continue;
        };
        let expect = &case["expect"];
        let valid = expect["valid"].as_bool().unwrap_or(false);
        let mut codes: BTreeSet<String> = triples(&expect["issues"])
            .into_iter()
            .map(|t| t.0)
            .collect();
        if let Some(e) = expect["error"].as_str() {
            codes.insert(e.to_owned());
        }
        expected_codes.extend(codes.iter().cloned());
        for a in case["about"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if valid {
                *valid_about.entry(a.to_owned()).or_default() += 1;
            } else {
                *invalid_about.entry(a.to_owned()).or_default() += 1;
            }
            if !codes.contains(a) {
                passing_about.insert(a.to_owned());
            }
        }
    }
    let mut missing = Vec::new();
    for c in model::latest()
        .classes
        .iter()
        .filter(|c| c.kind != ClassKind::Abstract)
    {
        if !valid_about.contains_key(c.technical_name) {
            missing.push(format!("no valid case about class {}", c.technical_name));
        }
        if !invalid_about.contains_key(c.technical_name) {
            missing.push(format!("no invalid case about class {}", c.technical_name));
        }
    }
    for code in IssueCode::ALL {
        if NOT_PRODUCED_BY_INPUT.contains(code) {
            continue;
        }
        let s = code.as_str();
        if !expected_codes.contains(s) {
            missing.push(format!("no case expects {s}"));
        }
        if !passing_about.contains(s) {
            missing.push(format!("no case shows {s} passing"));
        }
    }
    assert!(
        missing.is_empty(),
        "corpus coverage gaps:\n  {}",
        missing.join("\n  ")
    );
}

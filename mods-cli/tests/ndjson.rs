//! `mods validate` on NDJSON inputs: the records of one file are validated on several
//! threads (`--jobs`), and the output keeps their order, reports every line that is not a
//! record, and counts them in the summary and the exit status.

use assert_cmd::Command;
use serde_json::Value;
use std::fmt::Write as _;
use std::fs;
use tempfile::TempDir;

const GOOD_NHS: &str = "9434765919";
const BAD_NHS: &str = "9434765918";

/// A small record whose subject of care has `uid`; invalid when `nhs` is `BAD_NHS`.
fn record(uid: usize, nhs: &str) -> String {
    format!(
        r#"{{"mods_version":"1.0","subject_of_care":{{"record_uid":"soc-{uid}","version_number":1,"nhs_number":"{nhs}","person_name":[{{"given_name":["Arthur"],"family_name":"Green"}}]}}}}"#
    )
}

/// What line `n` (1-based) of the test file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Valid,
    Invalid,
    NotJson,
    Blank,
}

fn kind(n: usize) -> Kind {
    if n % 11 == 0 {
        Kind::Blank
    } else if n % 7 == 0 {
        Kind::NotJson
    } else if n % 3 == 0 {
        Kind::Invalid
    } else {
        Kind::Valid
    }
}

/// An NDJSON text of `lines` lines, line `n` as [`kind`] says (blank lines alternate
/// between empty, spaces and a CRLF ending).
fn ndjson(lines: usize) -> String {
    let mut s = String::new();
    for n in 1..=lines {
        match kind(n) {
            Kind::Valid => s.push_str(&record(n, GOOD_NHS)),
            Kind::Invalid => s.push_str(&record(n, BAD_NHS)),
            Kind::NotJson => write!(s, "not json, line {n}").unwrap(),
            Kind::Blank if n % 2 == 0 => s.push_str("  "),
            Kind::Blank => s.push('\r'),
        }
        s.push('\n');
    }
    s
}

fn mods() -> Command {
    Command::cargo_bin("mods").expect("the mods binary is built")
}

/// Run; (exit status, stdout).
fn run(cmd: &mut Command) -> (i32, String) {
    let out = cmd.output().expect("mods runs");
    (
        out.status.code().expect("mods exited"),
        String::from_utf8(out.stdout).expect("UTF-8"),
    )
}

/// The JSON output without its timing, which differs between runs.
fn untimed(out: &str) -> Value {
    let mut v: Value = serde_json::from_str(out).expect("stdout is one JSON document");
    v["summary"]
        .as_object_mut()
        .expect("a summary")
        .remove("elapsed_ms");
    v
}

const LINES: usize = 3000;

/// (valid, invalid) records among the lines.
fn expected_counts() -> (usize, usize) {
    let kinds: Vec<Kind> = (1..=LINES).map(kind).collect();
    let valid = kinds.iter().filter(|k| **k == Kind::Valid).count();
    let invalid = kinds
        .iter()
        .filter(|k| matches!(k, Kind::Invalid | Kind::NotJson))
        .count();
    (valid, invalid)
}

#[test]
fn records_keep_their_order_and_line_numbers_on_any_number_of_jobs() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("export.ndjson");
    fs::write(&path, ndjson(LINES)).unwrap();
    let p = path.to_string_lossy().into_owned();

    let (code, one) = run(mods().args(["validate", "--format", "json", "--jobs", "1", &p]));
    assert_eq!(code, 1);
    let one = untimed(&one);
    let records = one["files"][0]["records"].as_array().unwrap();
    let expected: Vec<usize> = (1..=LINES).filter(|n| kind(*n) != Kind::Blank).collect();
    let lines: Vec<usize> = records
        .iter()
        .map(|r| r["line"].as_u64().unwrap() as usize)
        .collect();
    assert_eq!(lines, expected, "every line but the blank ones, in order");
    for r in records {
        let n = r["line"].as_u64().unwrap() as usize;
        let first = r["issues"][0]["code"].as_str();
        match kind(n) {
            Kind::Valid => assert_eq!(r["valid"], true, "line {n}: {r}"),
            Kind::Invalid => assert_eq!(first, Some("nhs-number-check-digit"), "line {n}"),
            Kind::NotJson => assert_eq!(first, Some("input-syntax"), "line {n}"),
            Kind::Blank => unreachable!(),
        }
    }

    for jobs in ["2", "3", "8"] {
        let (code, many) = run(mods().args(["validate", "--format", "json", "--jobs", jobs, &p]));
        assert_eq!(code, 1);
        assert_eq!(
            untimed(&many),
            one,
            "--jobs {jobs} gives the output of --jobs 1"
        );
    }
    // and by default (one job per core)
    let (_, default) = run(mods().args(["validate", "--format", "json", &p]));
    assert_eq!(untimed(&default), one);

    // human output: one status line per record, in line order
    let (code, human) = run(mods().args(["validate", "--jobs", "3", &p]));
    assert_eq!(code, 1);
    let status: Vec<usize> = human
        .lines()
        .filter_map(|l| l.strip_prefix(&format!("{p}:")))
        .map(|rest| rest.split(':').next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(status, expected);
}

#[test]
fn the_summary_counts_every_record_and_the_exit_status_follows() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("export.jsonl");
    fs::write(&path, ndjson(LINES)).unwrap();
    let p = path.to_string_lossy().into_owned();
    let (valid, invalid) = expected_counts();

    let (code, out) = run(mods().args(["validate", "--quiet", "--format", "json", "-j", "2", &p]));
    assert_eq!(code, 1);
    let s = &untimed(&out)["summary"];
    assert_eq!(s["files"], 1);
    assert_eq!(s["records"].as_u64(), Some((valid + invalid) as u64));
    assert_eq!(s["valid"].as_u64(), Some(valid as u64));
    assert_eq!(s["invalid"].as_u64(), Some(invalid as u64));
    // one error per invalid record: a check digit, or the line that is not JSON
    assert_eq!(s["errors"].as_u64(), Some(invalid as u64));
    assert_eq!(s["internal_errors"], 0);

    let (code, out) = run(mods().args(["validate", "--quiet", "-j", "2", &p]));
    assert_eq!(code, 1);
    assert!(
        out.starts_with(&format!(
            "1 file, {} records: {valid} valid, {invalid} invalid; {invalid} errors, 0 warnings in ",
            valid + invalid
        )),
        "{out}"
    );

    // only valid records: exit 0
    let good = dir.path().join("good.ndjson");
    let text: String = (1..=600).map(|n| record(n, GOOD_NHS) + "\n").collect();
    fs::write(&good, text).unwrap();
    let g = good.to_string_lossy().into_owned();
    let (code, out) = run(mods().args(["validate", "--quiet", "--jobs", "2", &g]));
    assert_eq!(code, 0, "{out}");
    assert!(
        out.starts_with("1 file, 600 records: 600 valid, 0 invalid;"),
        "{out}"
    );

    // a path that cannot be read: exit 2, the file is still validated
    let missing = dir.path().join("missing.ndjson");
    let (code, out) = run(mods().args([
        "validate",
        "--quiet",
        "-j",
        "2",
        &missing.to_string_lossy(),
        &g,
    ]));
    assert_eq!(code, 2, "{out}");
    assert!(out.starts_with("1 file, 600 records: 600 valid"), "{out}");
}

#[test]
fn lines_that_are_not_records_are_reported_by_line_number() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("mixed.ndjson");
    let mut text = Vec::new();
    text.extend_from_slice(record(1, GOOD_NHS).as_bytes());
    text.extend_from_slice(b"\n\n{\"mods_version\": \n"); // 2 blank, 3 cut short
    text.extend_from_slice(b"\xff\xfe not UTF-8\n"); // 4
    text.extend_from_slice(b"[1, 2]\n"); // 5: JSON, but not a record document
    text.extend_from_slice(b"   \t \r\n"); // 6: blank
    text.extend_from_slice(record(7, BAD_NHS).as_bytes()); // 7, no final line ending
    fs::write(&path, &text).unwrap();
    let p = path.to_string_lossy().into_owned();

    let (code, out) = run(mods().args(["validate", "--format", "json", "--jobs", "2", &p]));
    assert_eq!(code, 1);
    let v = untimed(&out);
    let got: Vec<(u64, bool, String)> = v["files"][0]["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["line"].as_u64().unwrap(),
                r["valid"].as_bool().unwrap(),
                r["issues"][0]["code"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (1, true, String::new()),
            (3, false, "input-syntax".into()),
            (4, false, "input-encoding".into()),
            (5, false, "document-not-object".into()),
            (7, false, "nhs-number-check-digit".into()),
        ]
    );
    assert_eq!(v["summary"]["records"], 5);

    let (_, human) = run(mods().args(["validate", "-j", "2", &p]));
    assert!(
        human.contains(&format!(
            "{p}:3: invalid (1 error, 0 warnings)\n  error input-syntax"
        )),
        "{human}"
    );
    assert!(human.contains(&format!("{p}:4: invalid")), "{human}");
}

#[test]
fn stdin_ndjson_is_validated_on_several_jobs_in_order() {
    let text = ndjson(1200);
    let (code, out) = run(mods()
        .args([
            "validate", "--format", "json", "--ndjson", "--jobs", "2", "-",
        ])
        .write_stdin(text.clone()));
    assert_eq!(code, 1);
    let v = untimed(&out);
    assert_eq!(v["files"][0]["path"], "-");
    let lines: Vec<u64> = v["files"][0]["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["line"].as_u64().unwrap())
        .collect();
    let expected: Vec<u64> = (1..=1200)
        .filter(|n| kind(*n) != Kind::Blank)
        .map(|n| n as u64)
        .collect();
    assert_eq!(lines, expected);
}

#[test]
fn ndjson_files_and_json_files_keep_the_input_order() {
    let dir = TempDir::new().unwrap();
    fs::write(dir.path().join("a.json"), record(1, GOOD_NHS)).unwrap();
    fs::write(dir.path().join("b.ndjson"), ndjson(700)).unwrap();
    fs::write(dir.path().join("c.json"), record(2, BAD_NHS)).unwrap();
    fs::write(dir.path().join("d.ndjson"), "").unwrap();
    fs::write(dir.path().join("e.ndjson"), record(3, GOOD_NHS)).unwrap();
    let d = dir.path().to_string_lossy().into_owned();
    let (code, out) = run(mods().args(["validate", "--format", "json", "--jobs", "3", &d]));
    assert_eq!(code, 1);
    let v = untimed(&out);
    let files = v["files"].as_array().unwrap();
    let names: Vec<&str> = files
        .iter()
        .map(|f| f["path"].as_str().unwrap().rsplit('/').next().unwrap())
        .collect();
    assert_eq!(
        names,
        ["a.json", "b.ndjson", "c.json", "d.ndjson", "e.ndjson"]
    );
    let counts: Vec<usize> = files
        .iter()
        .map(|f| f["records"].as_array().unwrap().len())
        .collect();
    let b = (1..=700).filter(|n| kind(*n) != Kind::Blank).count();
    assert_eq!(counts, [1, b, 1, 0, 1]);
    assert_eq!(v["summary"]["files"], 5);
    assert_eq!(v["summary"]["records"].as_u64(), Some(b as u64 + 3));
}

#[test]
fn jobs_must_be_a_positive_number() {
    for bad in ["0", "-1", "two"] {
        mods()
            .args(["validate", "--jobs", bad, "-"])
            .write_stdin("{}")
            .assert()
            .code(2);
    }
}

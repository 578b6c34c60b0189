//! `mods conformance`: the example of examples/conformance (its commands print exactly what
//! its README shows, with the exit status it gives), JSON and CSV output, NDJSON and
//! standard input, unreadable records, and the exit statuses.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn mods() -> Command {
    let mut c = Command::cargo_bin("mods").expect("the mods binary is built");
    c.current_dir(root());
    c
}

/// The README's command blocks (```sh), each with the exit status the text after it gives
/// ("Exit status N") and the output block (```text) it shows.
fn shown(readme: &str) -> Vec<(String, i32, String)> {
    let mut out = Vec::new();
    let mut lines = readme.lines().peekable();
    let mut command: Option<String> = None;
    let mut status: Option<i32> = None;
    while let Some(line) = lines.next() {
        if let Some(rest) = line.strip_prefix("Exit status ") {
            status = rest
                .split(|c: char| !c.is_ascii_digit())
                .next()
                .and_then(|n| n.parse().ok());
        }
        let Some(lang) = line.strip_prefix("```") else {
            continue;
        };
        let mut body = String::new();
        for l in lines.by_ref() {
            if l == "```" {
                break;
            }
            body.push_str(l);
            body.push('\n');
        }
        match lang {
            "sh" => {
                command = Some(body.trim().to_owned());
                status = None;
            }
            "text" => {
                if let Some(c) = command.take() {
                    out.push((c, status.expect("an exit status before the output"), body));
                }
            }
            _ => {}
        }
    }
    out
}

#[test]
fn the_example_prints_what_its_readme_shows() {
    let readme = std::fs::read_to_string(root().join("examples/conformance/README.md")).unwrap();
    let pairs = shown(&readme);
    assert_eq!(pairs.len(), 4, "the README's commands");
    for (command, status, text) in pairs {
        let args: Vec<&str> = command.split_whitespace().collect();
        assert_eq!(args[0], "mods", "{command}");
        let out = mods().args(&args[1..]).output().unwrap();
        assert_eq!(out.status.code(), Some(status), "{command}");
        assert_eq!(String::from_utf8_lossy(&out.stdout), text, "{command}");
    }
}

fn json(args: &[&str]) -> (i32, Value) {
    let out = mods().args(args).output().unwrap();
    let v = serde_json::from_slice(&out.stdout).expect("one JSON document");
    (out.status.code().unwrap(), v)
}

#[test]
fn json_output_is_one_document_with_a_summary_and_no_person_data() {
    let (code, v) = json(&[
        "conformance",
        "--format",
        "json",
        "examples/conformance/records",
    ]);
    assert_eq!(code, 1);
    let records = v["records"].as_array().unwrap();
    assert_eq!(records.len(), 3);
    assert_eq!(v["summary"]["records"], 3);
    assert_eq!(v["summary"]["conformant"], 1);
    assert_eq!(v["summary"]["not_conformant"], 2);
    let name_only = records
        .iter()
        .find(|r| r["input"].as_str().unwrap().ends_with("only-a-name.json"))
        .unwrap();
    assert_eq!(name_only["conformant"], false);
    assert_eq!(name_only["validation"]["valid"], true);
    assert_eq!(name_only["classes"][1]["gaps"][0]["code"], "class-missing");
    let text = v.to_string();
    for data in ["Grace", "Okafor", "9434765919", "1944-07-19"] {
        assert!(!text.contains(data), "{data} in the output");
    }
}

#[test]
fn every_example_record_is_assessed_with_the_classes_of_the_person() {
    // derived from the input, not from what the records hold today
    let (code, v) = json(&["conformance", "--format", "json", "examples/records"]);
    let records = v["records"].as_array().unwrap();
    let files = std::fs::read_dir(root().join("examples/records"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "json")
        })
        .count();
    assert_eq!(records.len(), files);
    for r in records {
        let classes: Vec<&str> = r["classes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["class"].as_str().unwrap())
            .collect();
        assert_eq!(
            &classes[..2],
            ["subject_of_care", "person_demographics"],
            "{}",
            r["input"]
        );
        let conformant = r["conformant"].as_bool().unwrap();
        let gaps = r["classes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| !c["gaps"].as_array().unwrap().is_empty());
        assert_eq!(
            conformant,
            !gaps && r["validation"]["valid"] == true,
            "{}",
            r["input"]
        );
    }
    let all = v["summary"]["not_conformant"] == 0;
    assert_eq!(code, if all { 0 } else { 1 });
}

#[test]
fn csv_has_one_row_per_record_per_class() {
    let out = mods()
        .args([
            "conformance",
            "--format",
            "csv",
            "examples/conformance/records",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(header[8], "class");
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert!(rows.iter().all(|r| r.len() == header.len()));
    // complete: 4 classes; only a name: 2; plan without consent: 4
    assert_eq!(rows.len(), 10);
    let (code, v) = json(&[
        "conformance",
        "--format",
        "json",
        "examples/conformance/records",
    ]);
    assert_eq!(code, 1);
    let classes: usize = v["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["classes"].as_array().unwrap().len())
        .sum();
    assert_eq!(rows.len(), classes);
}

#[test]
fn ndjson_lines_are_records_and_a_line_that_is_not_json_is_not_conformant() {
    let good =
        std::fs::read_to_string(root().join("examples/conformance/records/complete.json")).unwrap();
    let good: Value = serde_json::from_str(&good).unwrap();
    let input = format!("{good}\n\n{{\"mods_version\": \n{good}\n");
    let out = mods()
        .args(["conformance", "--ndjson", "--format", "csv", "-"])
        .write_stdin(input.clone())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().skip(1).collect();
    // line 1: 4 classes; line 3: one row, unreadable; line 4: 4 classes
    assert_eq!(lines.len(), 9);
    assert!(
        lines[4].starts_with("-,3,1.0,false,0,false,1,0,,"),
        "{}",
        lines[4]
    );
    assert!(lines[4].ends_with(",unreadable"));
    assert!(lines[5].starts_with("-,4,"));

    let out = mods()
        .args(["conformance", "--ndjson", "-"])
        .write_stdin(input)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("-:3: NOT conformant to MODS 1.0, score 0% (INVALID, 1 error)"));
    assert!(text.contains("unreadable: the document could not be read (input-syntax)"));
    assert!(text.ends_with("3 records: 2 conformant, 1 not conformant (1 invalid, 1 unreadable)\n"));
}

#[test]
fn many_ndjson_records_are_all_assessed() {
    let one = r#"{"mods_version": "1.0", "subject_of_care": {"record_uid": "s", "version_number": 1, "person_name": [{"given_name": ["A"], "family_name": "B"}]}}"#;
    let input = format!("{one}\n").repeat(2_000);
    let (code, v) = {
        let out = mods()
            .args(["conformance", "--ndjson", "--format", "json", "-"])
            .write_stdin(input)
            .output()
            .unwrap();
        (
            out.status.code().unwrap(),
            serde_json::from_slice::<Value>(&out.stdout).unwrap(),
        )
    };
    assert_eq!(code, 1);
    assert_eq!(v["summary"]["records"], 2_000);
    assert_eq!(v["summary"]["mean_score"], 0.25);
    assert_eq!(v["records"][1999]["line"], 2_000);
}

#[test]
fn exit_statuses() {
    // a path that cannot be read: 2, with the others still assessed
    let (code, v) = json(&[
        "conformance",
        "--format",
        "json",
        "no-such-file.json",
        "examples/conformance/records/complete.json",
    ]);
    assert_eq!(code, 2);
    assert_eq!(v["records"][0]["error"]["code"], "io-error");
    assert_eq!(v["records"][1]["conformant"], true);
    // every record conformant: 0
    mods()
        .args(["conformance", "examples/conformance/records/complete.json"])
        .assert()
        .code(0);
    // a version that does not exist: 2, before any input is read
    let out = mods()
        .args([
            "conformance",
            "--version",
            "2.0",
            "examples/conformance/records",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("2.0"));
    // another version than the record's: not conformant
    mods()
        .args([
            "conformance",
            "--version",
            "1.1",
            "examples/conformance/records/complete.json",
        ])
        .assert()
        .code(1)
        .stdout(predicates::str::contains(
            "version-mismatch: the record is written to MODS 1.0, not 1.1",
        ));
}

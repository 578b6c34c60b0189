//! `mods aggregate` and `mods extract`: JSON and HTML output, directories and standard
//! input, suppression options, keys from a file or the environment (never printed), and
//! the refusals with their exit statuses.

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

const PEOPLE: &str = "examples/mi/people.ndjson";
const KEY: &str = "a-key-of-at-least-thirty-two-bytes-for-tests";

#[test]
fn json_totals_match_the_input_and_suppression_can_be_set() {
    let out = mods()
        .args([
            "aggregate",
            "--by",
            "ethnicity",
            "--format",
            "json",
            "--no-suppress",
        ])
        .args(["--as-of", "2026-11-30", PEOPLE])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let t: Value = serde_json::from_slice(&out.stdout).unwrap();
    let lines = std::fs::read_to_string(root().join(PEOPLE))
        .unwrap()
        .lines()
        .count() as u64;
    assert_eq!(t["total_records"], lines);
    assert_eq!(t["total_people"], lines);
    // exact counts add up to the total (one ethnicity each)
    let sum: u64 = t["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["people"].as_u64().unwrap())
        .sum();
    assert_eq!(sum, lines);
    assert_eq!(t["fields"][0]["path"], "person_demographics.ethnicity");
    // the default convention: no count from 1 to 7, every count a multiple of 5
    let out = mods()
        .args(["aggregate", "--by", "ethnicity", "--format", "json", PEOPLE])
        .output()
        .unwrap();
    let t: Value = serde_json::from_slice(&out.stdout).unwrap();
    for r in t["rows"].as_array().unwrap() {
        match r["people"].as_u64() {
            Some(n) => assert!(n % 5 == 0 && n > 7, "{r}"),
            None => assert!(r["people"].is_null()),
        }
    }
    let out = mods()
        .args([
            "aggregate",
            "--by",
            "ethnicity",
            "--format",
            "json",
            "--threshold",
            "20",
        ])
        .args(["--round-to", "10", PEOPLE])
        .output()
        .unwrap();
    let t: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(t["suppression"]["threshold"], 20);
    assert!(t["rows"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["people"].is_null() || r["people"].as_u64().unwrap() % 10 == 0));
}

#[test]
fn html_has_a_bar_per_shown_row_and_directories_are_walked() {
    let out = mods()
        .args([
            "aggregate",
            "--by",
            "age_band",
            "--format",
            "html",
            "--no-suppress",
        ])
        .args(["--as-of", "2026-11-30", "examples/records/"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<svg"));
    let records = std::fs::read_dir(root().join("examples/records"))
        .unwrap()
        .count();
    assert!(
        html.contains(&format!("<td class=\"n\">{records}</td></tr>\n</table>")),
        "{html}"
    );
    // nobody's name from the records is on the page
    for name in ["Whitfield", "James"] {
        assert!(!html.contains(name));
    }
}

#[test]
fn refusals_exit_2_with_a_clear_message() {
    for (by, said) in [
        ("need.need_description", "is not coded"),
        ("subject_of_care.date_of_birth", "is not coded"),
        ("shoe_size", "unknown field"),
    ] {
        mods()
            .args(["aggregate", "--by", by, PEOPLE])
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicates::str::contains(said));
    }
    mods()
        .args(["aggregate", "--by", "ethnicity", "no/such/file.ndjson"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no such file"));
}

#[test]
fn unreadable_records_are_counted_and_listed() {
    let out = mods()
        .args([
            "aggregate",
            "--by",
            "ethnicity",
            "--format",
            "json",
            "examples/mi/broken.ndjson",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let t: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(t["unreadable"], 1);
    assert_eq!(t["unreadable_examples"][0]["line"], 3);
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("broken.ndjson:3"), "{err}");
}

#[test]
fn extract_keys_come_from_a_file_or_the_environment_and_are_never_shown() {
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("key");
    std::fs::write(&key_file, format!("{KEY}\n")).unwrap();
    let by_file = mods()
        .args([
            "extract",
            "--profile",
            "dhsc-cld",
            "--as-of",
            "2026-11-30",
            "--key-file",
        ])
        .arg(&key_file)
        .arg(PEOPLE)
        .output()
        .unwrap();
    assert_eq!(by_file.status.code(), Some(0));
    let by_env = mods()
        .env("MI_TEST_KEY", KEY)
        .args(["extract", "--profile", "dhsc-cld", "--as-of", "2026-11-30"])
        .args(["--key-env", "MI_TEST_KEY", PEOPLE])
        .output()
        .unwrap();
    assert_eq!(by_env.status.code(), Some(0));
    assert_eq!(
        by_file.stdout, by_env.stdout,
        "the final line ending of a key file is ignored"
    );
    let csv = String::from_utf8(by_file.stdout).unwrap();
    let err = String::from_utf8(by_file.stderr).unwrap();
    assert!(!csv.contains(KEY) && !err.contains(KEY));
    assert!(err.contains("200 records"), "{err}");
    // no NHS number (all start 999), no date of birth, no name
    let data = std::fs::read_to_string(root().join(PEOPLE)).unwrap();
    let first: Value = serde_json::from_str(data.lines().next().unwrap()).unwrap();
    let soc = &first["subject_of_care"];
    for secret in [
        soc["nhs_number"].as_str().unwrap(),
        soc["date_of_birth"].as_str().unwrap(),
        soc["person_name"][0]["family_name"].as_str().unwrap(),
        "Support with daily living",
    ] {
        assert!(!csv.contains(secret), "{secret}");
    }
    // NDJSON rows carry the same columns
    let nd = mods()
        .env("MI_TEST_KEY", KEY)
        .args([
            "extract",
            "--profile",
            "dhsc-cld",
            "--format",
            "ndjson",
            "--key-env",
            "MI_TEST_KEY",
            PEOPLE,
        ])
        .output()
        .unwrap();
    let row: Value =
        serde_json::from_slice(nd.stdout.split(|b| *b == b'\n').next().unwrap()).unwrap();
    assert_eq!(
        row["LA_Person_Unique_Identifier"].as_str().unwrap().len(),
        64
    );
}

#[test]
fn extract_refusals_exit_2() {
    for (args, said) in [
        (
            vec!["--profile", "hes", "--key-env", "MI_TEST_KEY"],
            "unknown profile",
        ),
        (vec!["--profile", "dhsc-cld"], "no pseudonymisation key"),
        (
            vec![
                "--profile",
                "dhsc-cld",
                "--key-env",
                "MI_UNSET_VAR_FOR_TEST",
            ],
            "is not set",
        ),
        (
            vec!["--profile", "dhsc-cld", "--key-env", "MI_SHORT"],
            "at least 32",
        ),
    ] {
        mods()
            .env("MI_TEST_KEY", KEY)
            .env("MI_SHORT", "short")
            .env_remove("MI_UNSET_VAR_FOR_TEST")
            .arg("extract")
            .args(&args)
            .arg(PEOPLE)
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicates::str::contains(said));
    }
}

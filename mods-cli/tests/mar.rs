//! `mods mar`: the example of examples/flows/mar (its commands print exactly what its README
//! shows), the JSON output, standard input, a period, and the exit statuses.

use assert_cmd::Command;
use predicates::prelude::*;
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

const SMITH: &str = "examples/records/mrs-smith-after-fall.json";

/// The README's command blocks (```sh) each followed by the output block (```text) it shows.
fn shown(readme: &str) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    let mut blocks: Vec<(String, String)> = Vec::new();
    let mut lines = readme.lines();
    while let Some(line) = lines.next() {
        if let Some(lang) = line.strip_prefix("```") {
            let mut body = String::new();
            for l in lines.by_ref() {
                if l == "```" {
                    break;
                }
                body.push_str(l);
                body.push('\n');
            }
            blocks.push((lang.to_owned(), body));
        }
    }
    for w in blocks.windows(2) {
        if w[0].0 == "sh" && w[1].0 == "text" {
            pairs.push((w[0].1.trim().to_owned(), w[1].1.clone()));
        }
    }
    pairs
}

#[test]
fn the_example_prints_what_its_readme_shows() {
    let readme = std::fs::read_to_string(root().join("examples/flows/mar/README.md")).unwrap();
    let pairs = shown(&readme);
    assert_eq!(pairs.len(), 2, "two commands with their output");
    for (command, output) in pairs {
        let args = command
            .strip_prefix("cargo run -q -p mods-cli -- ")
            .unwrap_or_else(|| panic!("not a mods command: {command}"));
        let args: Vec<&str> = args.split_whitespace().collect();
        let out = mods().args(&args).assert().code(1).get_output().clone();
        assert_eq!(
            String::from_utf8(out.stdout).unwrap(),
            output,
            "{command} (to refresh the README, run the command and paste its output)"
        );
    }
    // what the README says the reader sees
    for fact in [
        "by Jane Okafor, Senior care worker",
        "by Robert Smith, Unpaid carer (son); witnessed by Alan Price",
        "TOO SOON: 2026-03-10 12:15 Paracetamol 500mg tablets (bought by her son) was given 2.2 hours after 2026-03-10 10:05",
        "the minimum interval is 4 hours; the two doses are under two Medication records",
        "ONE MEDICINE, TWO RECORDS",
        "REPORTED BY THE PERSON ONLY: 2026-03-10 18:35 Atorvastatin 20mg tablets",
        "(reliability: unreliable)",
    ] {
        assert!(readme.contains(fact), "{fact}");
    }
}

#[test]
fn json_from_standard_input() {
    let record = std::fs::read(root().join(SMITH)).unwrap();
    let out = mods()
        .args(["mar", "-", "--date", "2026-03-10", "--format", "json"])
        .write_stdin(record)
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["period"]["from"], "2026-03-10");
    assert_eq!(v["doses"].as_array().unwrap().len(), 4);
    assert_eq!(v["doses"][2]["given_by"]["relationship"]["display"], "son");
    assert_eq!(v["doses"][2]["given_by"]["class"], "unpaid_carer");
    assert_eq!(v["doses"][2]["witnessed_by"]["name"], "Alan Price");
    assert_eq!(v["doses"][3]["given_by"]["class"], "subject_of_care");
    assert_eq!(
        v["doses"][0]["medicine"]["dose_instructions"],
        "Take ONE tablet in the morning. Do not give a second dose within 20 hours."
    );
    let codes: Vec<&str> = v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        [
            "dose-within-minimum-interval",
            "dose-reported-not-recorded",
            "medicine-under-two-records"
        ]
    );
    assert_eq!(v["validation"]["valid"], true);
}

#[test]
fn a_day_without_warnings_exits_0_and_a_period_lists_every_day() {
    mods()
        .args(["mar", SMITH, "--date", "2026-03-09"])
        .assert()
        .code(0)
        .stdout(predicates::str::contains("Warnings (0)"));
    let out = mods()
        .args([
            "mar",
            SMITH,
            "--from",
            "2026-03-08",
            "--to",
            "2026-03-10",
            "--format",
            "json",
        ])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["doses"].as_array().unwrap().len(), 9);
    assert_eq!(v["period"]["to"], "2026-03-10");
}

#[test]
fn no_view_exits_2_with_a_message_and_nothing_on_stdout() {
    for (args, says) in [
        (
            vec!["mar", SMITH, "--date", "10/03/2026"],
            "date must be a date",
        ),
        (
            vec!["mar", SMITH, "--date", "2026-03-10", "--to", "2026-03-01"],
            "to must not be before date",
        ),
        (
            vec!["mar", "no-such-file.json", "--date", "2026-03-10"],
            "no-such-file.json",
        ),
    ] {
        mods()
            .args(&args)
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicates::str::contains(says));
    }
    // a document of no supported version: refused, and the message holds none of its data
    mods()
        .args(["mar", "-", "--date", "2026-03-10"])
        .write_stdin(r#"{"subject_of_care": {"record_uid": "soc-1", "nhs_number": "9434765919"}}"#)
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            predicates::str::contains("not supported")
                .and(predicates::str::contains("9434765919").not()),
        );
}

//! `mods compare-days`: the example of `examples/flows/days/README.md` exactly as written,
//! the JSON output, the exit codes and the messages of what cannot be compared.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn mods() -> Command {
    let mut c = Command::cargo_bin("mods").expect("the mods binary is built");
    c.current_dir(root());
    c
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = mods().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// The fenced blocks of a markdown text with the given info string.
fn blocks<'t>(text: &'t str, info: &str) -> Vec<&'t str> {
    let open = format!("```{info}\n");
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(&open) {
        let body = &rest[i + open.len()..];
        let end = body.find("```").expect("a closed block");
        out.push(&body[..end]);
        rest = &body[end + 3..];
    }
    out
}

#[test]
fn the_example_readme_shows_what_the_commands_print() {
    let readme = std::fs::read_to_string(root().join("examples/flows/days/README.md")).unwrap();
    let commands: Vec<Vec<&str>> = blocks(&readme, "sh")[0]
        .lines()
        .map(|l| {
            let args = l
                .strip_prefix("cargo run -q -p mods-cli -- ")
                .unwrap_or_else(|| panic!("not a mods command: {l}"));
            args.split_whitespace().collect()
        })
        .collect();
    assert_eq!(commands.len(), 2);
    // Section "## N." quotes what command N prints: each quoted block is a run of lines of
    // the output, in order.
    let sections: Vec<&str> = readme.split("\n## ").skip(1).collect();
    assert_eq!(sections.len(), 2);
    for (n, (args, section)) in commands.iter().zip(&sections).enumerate() {
        let (code, out, err) = run(args);
        assert_eq!(code, 0, "command {}: {err}", n + 1);
        let lines: Vec<&str> = out.lines().collect();
        let quoted = blocks(section, "text");
        assert!(!quoted.is_empty(), "section {} quotes nothing", n + 1);
        for block in quoted {
            let mut at = 0;
            for want in block.lines() {
                let found = lines[at..].iter().position(|l| *l == want);
                let Some(i) = found else {
                    panic!("command {}: {want:?} not found in order in:\n{out}", n + 1);
                };
                at += i + 1;
            }
        }
    }
}

#[test]
fn json_output_is_the_comparison() {
    let (code, out, _) = run(&[
        "compare-days",
        "examples/records/mr-green.json",
        "--day",
        "2026-02-03",
        "--against",
        "2026-01-27",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    let c: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(c["fluid_intake"]["difference_ml"], -200);
    assert_eq!(c["day"]["span"], "2026-02-03");
    assert_eq!(c["helpers"]["only_day"], serde_json::json!(["cw-eliza"]));
}

#[test]
fn exit_1_when_there_is_something_to_check() {
    let (code, out, _) = run(&[
        "compare-days",
        "tests/flows/days/records/broken-references.json",
        "--day",
        "2026-02-03",
        "--against",
        "2026-02-02",
    ]);
    assert_eq!(code, 1);
    assert!(out.contains(
        "! record /daily_care_note/2/care_actor/0: \"cw-nobody\" names no record in the document"
    ));
    assert!(out.contains("! record /daily_care_note/0: not a full date"));
    assert!(
        out.contains("! The record has 3 validation errors"),
        "{out}"
    );
    let (code, out, _) = run(&[
        "compare-days",
        "examples/records/mr-green.json",
        "--day",
        "2027-01-01",
        "--against",
        "2026-01-27",
    ]);
    assert_eq!(code, 1);
    assert!(out.contains("! No daily care notes on 2027-01-01."));
    assert!(
        !out.contains("! No daily care notes on 2026-01-27."),
        "{out}"
    );
}

#[test]
fn exit_2_when_it_cannot_compare_and_the_message_quotes_nothing() {
    let (code, out, err) = run(&[
        "compare-days",
        "examples/records/mr-green.json",
        "--day",
        "3 Feb",
        "--against",
        "2026-01-27",
    ]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(
        err.contains("day must be a date YYYY-MM-DD or a period"),
        "{err}"
    );
    assert!(!err.contains("3 Feb"));
    let (code, _, err) = run(&[
        "compare-days",
        "examples/older/mr-green-mods-0.2.1.json",
        "--day",
        "2026-02-03",
        "--against",
        "2026-02-02",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("has no Daily care note class"), "{err}");
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("other.json");
    let mut doc: Value = serde_json::from_slice(
        &std::fs::read(root().join("examples/flows/days/mr-green-earlier-days.json")).unwrap(),
    )
    .unwrap();
    doc["subject_of_care"]["nhs_number"] = "9434765870".into();
    std::fs::write(&other, serde_json::to_vec(&doc).unwrap()).unwrap();
    let (code, _, err) = run(&[
        "compare-days",
        "examples/records/mr-green.json",
        "--day",
        "2026-02-03",
        "--against",
        "2026-01-31..2026-02-02",
        "--against-record",
        other.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("different people"), "{err}");
    assert!(!err.contains("9434765870") && !err.contains("9434765919"));
    let (code, _, err) = run(&[
        "compare-days",
        "-",
        "--day",
        "2026-02-03",
        "--against",
        "2026-02-02",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("-:"), "{err}");
}

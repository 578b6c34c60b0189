//! `mods commission package` and `mods commission accept`: the commands of
//! `examples/flows/commission/README.md`, checked against what it says, and the clear
//! reports of a package that is not complete and of an acceptance that is refused.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn mods() -> Command {
    Command::cargo_bin("mods").expect("the mods binary is built")
}

fn example_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/flows/commission")
}

/// The `sh` commands of the example's README, in order.
fn readme_commands() -> Vec<String> {
    let text = std::fs::read_to_string(example_dir().join("README.md")).expect("README");
    let block = text
        .split("```sh\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("a sh block");
    block.lines().map(str::to_owned).collect()
}

/// Run one README line: `mods ARGS... [> FILE]` in `dir`; (exit status, stdout, stderr).
fn run_line(line: &str, dir: &Path) -> (i32, Vec<u8>, String) {
    let (cmd, out_file) = match line.split_once(" > ") {
        Some((c, f)) => (c, Some(f.trim())),
        None => (line, None),
    };
    let mut words = cmd.split_whitespace();
    assert_eq!(words.next(), Some("mods"));
    let args: Vec<&str> = words.collect();
    let out = mods().current_dir(dir).args(&args).output().expect("runs");
    if let Some(f) = out_file {
        std::fs::write(dir.join(f), &out.stdout).expect("write output");
    }
    (
        out.status.code().unwrap_or(-1),
        out.stdout,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn work_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    for f in [
        "council-record.json",
        "provider-record.json",
        "detailed-plan.json",
    ] {
        std::fs::copy(example_dir().join(f), dir.join(f)).expect("copy input");
    }
    dir
}

fn last_line(stderr: &str) -> &str {
    stderr.lines().last().unwrap_or_default()
}

#[test]
fn the_example_shows_what_its_readme_says() {
    let dir = work_dir("commission-example");
    let lines = readme_commands();
    assert_eq!(lines.len(), 3, "{lines:?}");

    // 1. the package
    let (code, _, err) = run_line(&lines[0], &dir);
    assert_eq!(code, 0, "{err}");
    assert!(
        last_line(&err).ends_with("complete (0 unresolved references, 0 errors, 0 warnings)"),
        "{err}"
    );
    assert!(last_line(&err).contains("package of 53 records"), "{err}");
    for left_out in ["medication\t2", "document\t1", "care_worker\t1"] {
        assert!(err.contains(&format!("left-out\t{left_out}\n")), "{err}");
    }
    let package: Value =
        serde_json::from_slice(&std::fs::read(dir.join("package.json")).unwrap()).unwrap();
    assert_eq!(package["referral"][0]["record_uid"], "ref-bodat");
    assert_eq!(
        package["referral"][0]["referral_source"]["code"],
        "voluntary-community-or-youth-worker"
    );
    assert_eq!(
        package["assessment"][1]["funding_decision"]["code"],
        "local-authority-funds-full-cost"
    );
    let items: Vec<&str> = package["assistive_technology"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["item_type"]["code"].as_str())
        .collect();
    assert_eq!(items, ["pendant-alarm", "medication-reminder"]);
    assert_eq!(package["service"][0]["funded_hours_per_week"], 8.75);

    // 2. the acceptance
    let (code, _, err) = run_line(&lines[1], &dir);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("person\tmatched\tsv-client-0417"), "{err}");
    for e in [
        "address",
        "contact_details",
        "registered_gp_practice",
        "local_identifier",
    ] {
        assert!(err.contains(&format!("subject-added\t{e}\n")), "{e}: {err}");
    }
    assert!(last_line(&err).ends_with(
        "44 added, 0 updated, 0 unchanged, 0 conflicts, 45 Change log entries naming the sender; merged record valid (0 warnings)"
    ), "{err}");
    let accepted: Value =
        serde_json::from_slice(&std::fs::read(dir.join("accepted.json")).unwrap()).unwrap();
    // no reference names the council's uid of the subject any more (the sender's own
    // Change log entries keep the uids they were written with)
    let mut without_history = accepted.clone();
    without_history
        .as_object_mut()
        .unwrap()
        .remove("change_log");
    assert!(!without_history.to_string().contains("\"soc-bodat\""));
    let ours: Vec<&Value> = accepted["change_log"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["committer"] == "sv-cw-sue")
        .collect();
    assert_eq!(ours.len(), 45);
    assert!(ours.iter().all(|e| e["description"]
        .as_str()
        .unwrap()
        .contains("Kirklees Council Adult Social Care")));

    // detailed-plan.json is exactly that record with what Sue recorded after her visit added:
    // her assessment, About Me, his medicines and a need, the detailed plan, Andi's
    // assignment, and a Change log entry for each
    let mut detailed: Value =
        serde_json::from_slice(&std::fs::read(dir.join("detailed-plan.json")).unwrap()).unwrap();
    let sues = [
        ("assessment", "sv-as-bodat-visit"),
        ("about_me", "sv-am-bodat"),
        ("medication", "sv-med-bodat-metformin"),
        ("medication", "sv-med-bodat-ramipril"),
        ("need", "sv-need-bodat-medicines"),
        ("care_plan", "sv-plan-bodat"),
    ];
    for (class, uid) in sues {
        let list = detailed[class].as_array_mut().unwrap();
        let at = list.iter().position(|r| r["record_uid"] == uid);
        let record = list.remove(at.unwrap_or_else(|| panic!("{class} {uid}")));
        assert_eq!(record["version_number"], 1, "{uid}");
        if list.is_empty() {
            detailed.as_object_mut().unwrap().remove(class);
        }
    }
    let andi = detailed["care_worker"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|w| w["record_uid"] == "sv-cw-andi")
        .unwrap();
    assert_eq!(andi["version_number"], 2);
    let assigned = andi.as_object_mut().unwrap().remove("provides_care_for");
    assert_eq!(assigned.unwrap()[0]["subject_of_care"], "sv-client-0417");
    andi["version_number"] = 1.into();
    let log = detailed["change_log"].as_array_mut().unwrap();
    let entries: Vec<Value> = log.drain(log.len() - 7..).collect();
    let mut named: Vec<&str> = entries
        .iter()
        .map(|e| e["record_uid"].as_str().unwrap())
        .collect();
    named.sort_unstable();
    let mut expected: Vec<&str> = sues.iter().map(|(_, u)| *u).chain(["sv-cw-andi"]).collect();
    expected.sort_unstable();
    assert_eq!(named, expected);
    for e in &entries {
        // the registered manager assigns Andi; Sue writes the rest
        let by = if e["record_uid"] == "sv-cw-andi" {
            "cw-aisha"
        } else {
            "sv-cw-sue"
        };
        assert_eq!(e["committer"], by, "{e}");
    }
    assert_eq!(
        detailed, accepted,
        "detailed-plan.json is not step 2's output plus what Sue recorded"
    );

    // 3. the detailed plan, within the envelope
    let (code, out, _) = run_line(&lines[2], &dir);
    let out = String::from_utf8_lossy(&out);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("detailed-plan.json: valid (0 errors, 0 warnings)"),
        "{out}"
    );

    // the same plan with the Saturday visit he asked for goes beyond it: two warnings
    let mut beyond: Value =
        serde_json::from_slice(&std::fs::read(dir.join("detailed-plan.json")).unwrap()).unwrap();
    let plan = &mut beyond["care_plan"][1];
    assert_eq!(plan["record_uid"], "sv-plan-bodat");
    plan["planned_hours_per_week"] = 9.75.into();
    plan["weekly_cost"] = 273.into();
    std::fs::write(dir.join("beyond.json"), beyond.to_string()).unwrap();
    let (code, out, _) = run_line("mods validate beyond.json", &dir);
    let out = String::from_utf8_lossy(&out);
    assert_eq!(code, 0, "a warning, not an error: {out}");
    assert!(out.contains("valid (0 errors, 2 warnings)"), "{out}");
    for p in [
        "/care_plan/1/planned_hours_per_week",
        "/care_plan/1/weekly_cost",
    ] {
        assert!(
            out.contains(&format!("warning plan-exceeds-funded-envelope {p}:")),
            "{p}: {out}"
        );
    }
}

#[test]
fn a_package_with_a_dangling_reference_is_written_and_reported() {
    let dir = work_dir("commission-dangling");
    let path = dir.join("council-record.json");
    let mut council: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    council["care_plan"][0]["outcomes"][0] = "out-not-held".into();
    std::fs::write(&path, council.to_string()).unwrap();
    let out = mods()
        .current_dir(&dir)
        .args([
            "commission",
            "package",
            "council-record.json",
            "--plan",
            "cp-bodat",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unresolved\t/care_plan/0/outcomes/0\tcare_plan.outcomes"),
        "{err}"
    );
    assert!(
        err.contains("error\tdangling-reference\t/care_plan/0/outcomes/0"),
        "{err}"
    );
    assert!(
        last_line(&err).contains("NOT complete (1 unresolved reference, 1 error"),
        "{err}"
    );
    let package: Value = serde_json::from_slice(&out.stdout).expect("the package is written");
    assert_eq!(package["care_plan"][0]["outcomes"][0], "out-not-held");
    assert!(
        !err.contains("out-not-held"),
        "no values in the report: {err}"
    );
}

#[test]
fn refusals_say_why_and_write_nothing() {
    let dir = work_dir("commission-refusals");
    let out = mods()
        .current_dir(&dir)
        .args([
            "commission",
            "package",
            "council-record.json",
            "--plan",
            "nope",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no care plan"));

    let package = mods()
        .current_dir(&dir)
        .args([
            "commission",
            "package",
            "council-record.json",
            "--plan",
            "cp-bodat",
        ])
        .output()
        .unwrap();
    std::fs::write(dir.join("package.json"), &package.stdout).unwrap();
    let path = dir.join("provider-record.json");
    let mut provider: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    provider["subject_of_care"]["nhs_number"] = "9434765919".into();
    std::fs::write(&path, provider.to_string()).unwrap();
    let args = [
        "commission",
        "accept",
        "provider-record.json",
        "package.json",
        "--committer",
        "sv-cw-sue",
        "--date",
        "2026-01-30T10:00:00Z",
    ];
    let out = mods().current_dir(&dir).args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no record of the provider has the package's NHS number"),
        "{err}"
    );
    assert!(
        !err.contains("9434765"),
        "no NHS number in the message: {err}"
    );

    // with --new-person, a new record; Sue is not in it, so the provider's registered
    // manager, named in the package, commits the entries
    let out = mods()
        .current_dir(&dir)
        .args(&args[..4])
        .args(["--new-person", "--date", "2026-01-30T10:00:00Z"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("person\tnew\tsoc-bodat"));

    // an unreadable input
    let out = mods()
        .current_dir(&dir)
        .args(["commission", "accept", "missing.json", "package.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

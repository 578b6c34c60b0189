//! `mods merge-discharge`, and the example of `examples/flows/discharge/` run exactly as its
//! README says.

use assert_cmd::Command;
use serde_json::Value;
use std::path::PathBuf;

fn mods() -> Command {
    Command::cargo_bin("mods").unwrap()
}

fn root(p: &str) -> String {
    format!("{}/../{p}", env!("CARGO_MANIFEST_DIR"))
}

fn read(p: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

const BEFORE: &str = "examples/flows/discharge/james-before-discharge.json";
const AT_HOME: &str = "examples/flows/discharge/james-changed-at-home.json";
const DISCHARGE: &str = "examples/flows/discharge/discharge-james.json";

fn merge() -> Command {
    let mut c = mods();
    c.args([
        "merge-discharge",
        "--committer",
        "cw-liam",
        "--date-time",
        "2026-01-22T17:30:00Z",
    ]);
    c
}

#[test]
fn the_example_shows_what_its_readme_says() {
    let out_dir = tempfile::tempdir().unwrap();
    let bin: PathBuf = assert_cmd::cargo::cargo_bin("mods");
    let out = std::process::Command::new("sh")
        .arg(root("examples/flows/discharge/run.sh"))
        .arg(out_dir.path())
        .env("MODS", &bin)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let step = |n: usize| -> &str {
        let start = text.find(&format!("== {n}.")).expect("step");
        let end = text[start + 3..]
            .find("== ")
            .map_or(text.len(), |e| start + 3 + e);
        &text[start..end]
    };
    // 1: the merge, every change with its Change log entry naming the discharge
    let one = step(1);
    for line in [
        "created\tneed\tdis-james-need\tversion 1",
        "created\tservice\tdis-james-service\tversion 1",
        "created\talert\tdis-james-alert\tversion 1",
        "created\tmedication\tmed-james-amoxicillin\tversion 1",
        "updated\tcare_plan\tcp-james\tversion 2\tneeds_addressed, services, planned_activities, review_date",
        "  change log /change_log/8: Care plan changed from the hospital discharge (discharge details dis-james): Needs addressed, Services, Planned activities, Review date.",
        "discharge details dis-james: 6 created, 1 updated, 0 conflicts; merged record valid",
        "exit status 0",
    ] {
        assert!(one.contains(line), "{line}\n{one}");
    }
    assert_eq!(
        one.matches("(discharge details dis-james).").count(),
        6,
        "{one}"
    );
    // 2: the diff shows the review brought forward and the follow-up in the plan
    let two = step(2);
    assert!(
        two.contains(
            "Review date changed  (/care_plan/0/review_date): \"2026-09-15\" -> \"2026-01-28\""
        ),
        "{two}"
    );
    assert!(two.contains("Follow-up from the hospital discharge (discharge details dis-james): GP review on 29 January 2026"), "{two}");
    assert!(two.contains("+ Service dis-james-service added"), "{two}");
    // 3: nothing more to do
    assert!(
        step(3).contains("0 created, 0 updated, 0 conflicts"),
        "{}",
        step(3)
    );
    assert!(step(3).contains("exit status 0"));
    // 4 and 5: the conflict, from the Change log and three-way
    for n in [4, 5] {
        let s = step(n);
        assert!(
            s.contains("conflict\tchanged-at-home\tcare_plan\tcp-james\t/care_plan/0/review_date"),
            "{s}"
        );
        assert!(s.contains("updated\tcare_plan\tcp-james\tversion 3\tneeds_addressed, services, planned_activities"), "{s}");
        assert!(s.contains("1 conflict; merged record valid"), "{s}");
        assert!(s.contains("exit status 1"), "{s}");
    }
    assert!(step(5).contains("dis-james (three-way)"));
    // the merged records are the ones the README points at
    for (written, expected) in [
        ("james-merged.json", "james-merged.json"),
        (
            "james-changed-at-home-merged.json",
            "james-changed-at-home-merged.json",
        ),
    ] {
        let got = read(out_dir.path().join(written).to_str().unwrap());
        assert_eq!(
            got,
            read(&root(&format!(
                "examples/flows/discharge/expected/{expected}"
            ))),
            "{written}"
        );
    }
    let merged = read(out_dir.path().join("james-merged.json").to_str().unwrap());
    assert_eq!(merged["care_plan"][0]["review_date"], "2026-01-28");
    assert_eq!(merged["service"][0]["service_start_date"], "2026-01-22");
    assert_eq!(merged["service"][0]["service_end_date"], "2026-01-28");
    let home = read(
        out_dir
            .path()
            .join("james-changed-at-home-merged.json")
            .to_str()
            .unwrap(),
    );
    assert_eq!(home["care_plan"][0]["review_date"], "2026-03-31");
}

/// `examples/records/james.json` is the record as the seed leaves it: the discharge papers
/// filed and keyed in, the care plan not changed. Merged in place (the record as its own
/// discharge), the week's extra support reaches the care plan and the team.
#[test]
fn the_record_as_the_seed_leaves_it_is_merged_in_place() {
    let james = root("examples/records/james.json");
    let before = read(&james);
    assert_eq!(before["care_plan"][0]["version_number"], 1);
    assert_eq!(before["care_plan"][0]["review_date"], "2026-09-15");
    assert!(before.get("service").is_none());
    let out = merge().arg(&james).arg(&james).output().unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(0), "{err}");
    for line in [
        "created\tneed\tdis-james-need\tversion 1",
        "created\tservice\tdis-james-service\tversion 1",
        "created\talert\tdis-james-alert\tversion 1",
        "updated\tcare_plan\tcp-james\tversion 2\tneeds_addressed, services, planned_activities, review_date",
        "discharge details dis-james: 3 created, 1 updated, 0 conflicts; merged record valid",
    ] {
        assert!(err.contains(line), "{line}\n{err}");
    }
    let merged: Value = serde_json::from_slice(&out.stdout).unwrap();
    let plan = &merged["care_plan"][0];
    assert_eq!(plan["review_date"], "2026-01-28");
    assert_eq!(plan["services"], serde_json::json!(["dis-james-service"]));
    assert_eq!(merged["service"][0]["service_start_date"], "2026-01-22");
    assert_eq!(merged["service"][0]["service_end_date"], "2026-01-28");
}

#[test]
fn out_json_report_and_values() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("merged.json");
    let out = merge()
        .args(["--format", "json", "--include-values", "--out"])
        .arg(&file)
        .arg(root(AT_HOME))
        .arg(root(DISCHARGE))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let report: Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(report["conflicts"][0]["home"], "2026-03-31");
    assert_eq!(report["conflicts"][0]["discharge"], "2026-01-28");
    assert_eq!(
        read(file.to_str().unwrap())["care_plan"][0]["version_number"],
        3
    );
    // without --include-values no value of the person's record is in the report
    let out = merge()
        .args(["--format", "json"])
        .arg(root(AT_HOME))
        .arg(root(DISCHARGE))
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        !err.contains("2026-03-31") && !err.contains("second member of staff"),
        "{err}"
    );
}

#[test]
fn stdin_base_and_fhir_bundle() {
    let out = merge()
        .arg("--base")
        .arg(root(BEFORE))
        .arg("-")
        .arg(root("mods-fhir/tests/fixtures/discharge-james.json"))
        .write_stdin(std::fs::read(root(BEFORE)).unwrap())
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("fhir\tinformation\tmerge-attachment-inline"),
        "{err}"
    );
    assert!(err.contains("(three-way): 4 created, 1 updated"), "{err}");
    let record: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        record["discharge_details"].as_array().map(Vec::len),
        Some(1)
    );
}

#[test]
fn refusals_exit_2_with_nothing_on_stdout() {
    // another person's record
    let out = merge()
        .arg(root("examples/records/mr-bodat.json"))
        .arg(root(DISCHARGE))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("about another person"), "{err}");
    assert!(
        !err.contains("Whitfield") && !err.contains("soc-james"),
        "{err}"
    );
    // a missing file, and malformed JSON
    let out = merge()
        .arg(root(BEFORE))
        .arg(root("no/such/discharge.json"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("no such file"));
    let out = merge()
        .arg(root(BEFORE))
        .arg("-")
        .write_stdin("{\"mods_version\": ")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    // a bad date and time
    let out = mods()
        .args([
            "merge-discharge",
            "--committer",
            "cw-liam",
            "--date-time",
            "today",
        ])
        .arg(root(BEFORE))
        .arg(root(DISCHARGE))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("date_time must be"));
}

//! `mods share`: the commands of `examples/share/README.md`, checked against what it says,
//! and the clear errors of bad input (an unknown purpose or component, a policy naming an
//! unknown class, malformed TOML, a record that is not JSON).

use assert_cmd::Command;
use mods_core::{validate_record, IssueCode, ValidationOptions};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

fn mods() -> Command {
    Command::cargo_bin("mods").expect("the mods binary is built")
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn example_dir() -> PathBuf {
    repo().join("examples/share")
}

fn bless() -> bool {
    std::env::var_os("MODS_BLESS").is_some()
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("file")).expect("JSON")
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

/// A copy of the example folder beside a copy of the example records, so that the README's
/// paths (`../records/james.json`) work and its outputs land outside the repository.
fn work_dir(name: &str) -> PathBuf {
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&root);
    let dir = root.join("share");
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::create_dir_all(root.join("records")).expect("temp dir");
    for f in ["james-plan-not-shared.json", "day-centre.toml"] {
        std::fs::copy(example_dir().join(f), dir.join(f)).expect("copy input");
    }
    std::fs::copy(
        repo().join("examples/records/james.json"),
        root.join("records/james.json"),
    )
    .expect("copy record");
    dir
}

/// A view is valid, has no dangling reference, and has only these classes (and
/// `mods_version`, `mods_extensions`).
fn check_view(view: &Value, what: &str) {
    let report = validate_record(view, &ValidationOptions::default());
    assert!(report.valid, "{what}: {:?}", report.issues);
    assert!(
        !report
            .issues
            .iter()
            .any(|i| i.code == IssueCode::DanglingReference),
        "{what}"
    );
}

fn len(v: &Value, class: &str) -> usize {
    v.get(class).and_then(Value::as_array).map_or(0, Vec::len)
}

#[test]
fn the_variant_record_is_james_with_one_consent() {
    let james = read_json(&repo().join("examples/records/james.json"));
    let path = example_dir().join("james-plan-not-shared.json");
    let mut variant = read_json(&path);
    let consent = variant
        .as_object_mut()
        .unwrap()
        .remove("consent")
        .expect("the consent");
    assert_eq!(consent.as_array().unwrap().len(), 1);
    assert_eq!(consent[0]["decision"]["code"], "refused");
    assert_eq!(
        consent[0]["applies_to_care_plan"],
        json!([james["care_plan"][0]["record_uid"]]),
        "the refusal names James's care plan"
    );
    assert_eq!(
        consent[0]["subject_of_care"],
        james["subject_of_care"]["record_uid"]
    );
    if bless() && variant != james {
        let mut v = james.clone();
        v["consent"] = consent;
        std::fs::write(&path, serde_json::to_string_pretty(&v).unwrap() + "\n").unwrap();
        return;
    }
    assert_eq!(
        variant, james,
        "james-plan-not-shared.json is james.json with the consent (MODS_BLESS=1 rewrites it)"
    );
}

#[test]
fn the_example_shows_what_its_readme_says() {
    let dir = work_dir("share-example");
    let lines = readme_commands();
    assert_eq!(lines.len(), 6, "{lines:?}");
    let james = read_json(&dir.join("../records/james.json"));
    let mut last_lines = Vec::new();

    // 1. the list
    let (code, out, _) = run_line(&lines[0], &dir);
    assert_eq!(code, 0);
    let out = String::from_utf8(out).unwrap();
    for id in [
        "hospital-admission",
        "gp",
        "family-carer",
        "local-authority-review",
        "commissioning",
        "about-me",
        "needs",
        "care-plan",
        "carers",
        "medication",
        "allergies",
        "alerts-and-risks",
        "contacts",
    ] {
        assert!(out.contains(&format!("  {id} ")), "{id} in {out}");
    }

    // 2. the ward
    let (code, _, err) = run_line(&lines[1], &dir);
    assert_eq!(code, 0, "{err}");
    last_lines.push(err.lines().last().unwrap().to_owned());
    let ward = read_json(&dir.join("for-the-ward.json"));
    check_view(&ward, "ward");
    for class in [
        "alert",
        "problem",
        "medication",
        "medication_administration",
        "about_me",
        "communication_needs",
        "personal_contact",
        "admission_details",
        "care_plan",
    ] {
        assert_eq!(len(&ward, class), len(&james, class), "ward {class}");
    }
    assert!(ward.get("change_log").is_none());
    assert!(ward["care_plan"][0].get("funding_source").is_none());
    assert!(ward["care_plan"][0].get("weekly_cost").is_none());
    assert!(err.contains(
        "withheld\tcare_plan.funding_source\t1\telement-not-in-policy\tpolicy:hospital-admission#care_plan"
    ), "{err}");
    assert!(
        err.contains(&format!(
            "withheld\tchange_log\t{}\tnot-in-policy\tpolicy:hospital-admission#change_log",
            len(&james, "change_log")
        )),
        "{err}"
    );

    // 3. his mother
    let (code, _, err) = run_line(&lines[2], &dir);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        err.lines().count(),
        1,
        "with --manifest, the summary line only: {err}"
    );
    last_lines.push(err.lines().last().unwrap().to_owned());
    let linda = read_json(&dir.join("for-linda.json"));
    check_view(&linda, "linda");
    for class in [
        "problem",
        "person_demographics",
        "medication_administration",
        "document",
    ] {
        assert!(linda.get(class).is_none(), "linda {class}");
    }
    for class in [
        "about_me",
        "alert",
        "medication",
        "care_plan",
        "need",
        "outcome",
    ] {
        assert_eq!(len(&linda, class), len(&james, class), "linda {class}");
    }
    let soc = &linda["subject_of_care"];
    assert!(soc.get("nhs_number").is_none() && soc.get("local_identifier").is_none());
    assert!(soc.get("person_demographics").is_none());
    assert!(linda["care_plan"][0].get("funding_source").is_none());
    let manifest = read_json(&dir.join("for-linda.manifest.json"));
    assert_eq!(manifest["purpose"]["id"], "family-carer");
    let withheld = manifest["withheld"].as_array().unwrap();
    let has = |class: &str, element: Option<&str>, reason: &str| {
        withheld.iter().any(|w| {
            w["class"] == class
                && w.get("element").and_then(Value::as_str) == element
                && w["reason"] == reason
        })
    };
    assert!(has("problem", None, "not-in-policy"));
    assert!(has(
        "subject_of_care",
        Some("nhs_number"),
        "element-not-in-policy"
    ));
    assert!(has(
        "subject_of_care",
        Some("person_demographics"),
        "reference-removed"
    ));
    assert!(has(
        "discharge_details",
        Some("discharge_summary"),
        "reference-removed"
    ));
    for (class, c) in manifest["classes"].as_object().unwrap() {
        let listed: u64 = withheld
            .iter()
            .filter(|w| w["class"] == *class && w.get("element").is_none())
            .map(|w| w["count"].as_u64().unwrap())
            .sum();
        assert_eq!(
            c["kept"].as_u64().unwrap() + listed,
            c["input"].as_u64().unwrap(),
            "{class}"
        );
        assert_eq!(
            c["kept"].as_u64().unwrap() as usize,
            match class.as_str() {
                "subject_of_care" => 1,
                _ => len(&linda, class),
            }
        );
    }
    // no value of the record: not the NHS number, not a name
    let text = std::fs::read_to_string(dir.join("for-linda.manifest.json")).unwrap();
    for s in ["4010232137", "Whitfield", "Linda", "soc-james"] {
        assert!(!text.contains(s), "{s} in the manifest");
    }

    // 4. his refusal
    let (code, _, err) = run_line(&lines[3], &dir);
    assert_eq!(code, 0, "{err}");
    last_lines.push(err.lines().last().unwrap().to_owned());
    let refused = read_json(&dir.join("for-linda-plan-not-shared.json"));
    check_view(&refused, "refused");
    assert!(refused.get("care_plan").is_none());
    assert_eq!(len(&refused, "need"), len(&james, "need"));
    assert_eq!(len(&refused, "outcome"), len(&james, "outcome"));
    assert!(err.contains(
        "withheld\tcare_plan\t1\tconsent-refused\tconsent /consent/0 (information-sharing, refused)"
    ), "{err}");

    // 5. the medication component
    let (code, _, err) = run_line(&lines[4], &dir);
    assert_eq!(code, 0, "{err}");
    last_lines.push(err.lines().last().unwrap().to_owned());
    let meds = read_json(&dir.join("medication.json"));
    check_view(&meds, "medication");
    assert_eq!(len(&meds, "medication"), len(&james, "medication"));
    assert_eq!(
        len(&meds, "medication_administration"),
        len(&james, "medication_administration")
    );
    for class in [
        "alert",
        "care_plan",
        "need",
        "about_me",
        "change_log",
        "problem",
    ] {
        assert!(meds.get(class).is_none(), "medication {class}");
    }
    assert!(
        err.contains("not-in-component\tcomponent:medication"),
        "{err}"
    );

    // 6. the day centre's own policy
    let (code, _, err) = run_line(&lines[5], &dir);
    assert_eq!(code, 0, "{err}");
    last_lines.push(err.lines().last().unwrap().to_owned());
    let centre = read_json(&dir.join("for-the-day-centre.json"));
    check_view(&centre, "day centre");
    let keys: Vec<&String> = centre["subject_of_care"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    for k in keys {
        assert!(
            [
                "record_uid",
                "version_number",
                "person_name",
                "date_of_birth"
            ]
            .contains(&k.as_str()),
            "{k}"
        );
    }
    assert_eq!(len(&centre, "alert"), len(&james, "alert"));
    assert!(centre.get("medication").is_none());

    // the README's block of last lines
    let readme_path = example_dir().join("README.md");
    let readme = std::fs::read_to_string(&readme_path).unwrap();
    let (head, rest) = readme.split_once("```text\n").expect("a text block");
    let (block, tail) = rest.split_once("```").expect("its end");
    let want = last_lines.join("\n") + "\n";
    if bless() && block != want {
        std::fs::write(&readme_path, format!("{head}```text\n{want}```{tail}")).unwrap();
        return;
    }
    assert_eq!(
        block, want,
        "the README's last lines (MODS_BLESS=1 rewrites them)"
    );
}

fn james_path() -> PathBuf {
    repo().join("examples/records/james.json")
}

#[test]
fn an_unknown_purpose_or_component_is_a_clear_error() {
    let out = mods()
        .args(["share", "--purpose", "dentist"])
        .arg(james_path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--purpose: no built-in purpose \"dentist\""),
        "{err}"
    );
    assert!(err.contains("hospital-admission"), "{err}");
    let out = mods()
        .args(["share", "--component", "finances"])
        .arg(james_path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no component \"finances\""), "{err}");
    // nothing asked
    let out = mods().arg("share").arg(james_path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

fn with_policy(text: &str) -> (i32, String, Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("policy.toml");
    std::fs::write(&p, text).unwrap();
    let out = mods()
        .args(["share", "--today", "2026-03-01", "--policy"])
        .arg(&p)
        .arg(james_path())
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.stdout,
    )
}

const HEAD: &str = "id = \"t\"\ntitle = \"T\"\nrecipient = \"R\"\ndescription = \"D\"\n[[rule]]\nclass = \"subject_of_care\"\nrationale = \"who\"\n";

#[test]
fn a_policy_naming_an_unknown_class_or_malformed_toml_is_a_clear_error() {
    let (code, err, out) = with_policy(&format!(
        "{HEAD}[[rule]]\nclass = \"daily_notes\"\nrationale = \"r\"\n"
    ));
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty());
    assert!(
        err.contains("policy.toml: rule 2 names \"daily_notes\", which is not a record class"),
        "{err}"
    );
    let (code, err, _) = with_policy(&format!(
        "{HEAD}[[rule]]\nclass = \"alert\"\nelements = [\"status\", \"colour\"]\nrationale = \"r\"\n"
    ));
    assert_eq!(code, 2);
    assert!(
        err.contains("\"colour\", which is not an element of alert"),
        "{err}"
    );
    let (code, err, _) = with_policy("id = \"t\"\n[[rule\nclass = 1\n");
    assert_eq!(code, 2);
    assert!(err.contains("the policy is not a policy file"), "{err}");
    let (code, err, _) = with_policy(&format!("{HEAD}colour = \"red\"\n"));
    assert_eq!(code, 2);
    assert!(err.contains("not a policy file"), "{err}");
    // and a good one
    let (code, err, out) = with_policy(HEAD);
    assert_eq!(code, 0, "{err}");
    let view: Value = serde_json::from_slice(&out).unwrap();
    check_view(&view, "subject only");
    assert_eq!(view["mods_extensions"]["share"]["purpose"], "t");
}

#[test]
fn a_record_that_cannot_be_read_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bad.json");
    std::fs::write(&p, "{\"mods_version\": \"1.0\",").unwrap();
    let out = mods()
        .args(["share", "--purpose", "gp"])
        .arg(&p)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    std::fs::write(&p, "[1, 2]").unwrap();
    let out = mods()
        .args(["share", "--purpose", "gp"])
        .arg(&p)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not a JSON object"), "{err}");
}

#[test]
fn list_as_json_gives_every_rule_with_its_rationale() {
    let out = mods()
        .args(["share", "--list", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["purposes"].as_array().unwrap().len(), 5);
    assert_eq!(v["components"].as_array().unwrap().len(), 8);
    for p in v["purposes"].as_array().unwrap() {
        for r in p["rules"].as_array().unwrap() {
            assert!(!r["rationale"].as_str().unwrap().is_empty());
        }
        assert!(!p["sources"].as_array().unwrap().is_empty());
    }
}

#[test]
fn a_view_with_errors_is_exit_1_and_an_unwritable_manifest_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut james = read_json(&james_path());
    james["subject_of_care"]["nhs_number"] = json!("4010232138"); // a wrong check digit
    let p = dir.path().join("james.json");
    std::fs::write(&p, serde_json::to_vec(&james).unwrap()).unwrap();
    let out = mods()
        .args([
            "share",
            "--today",
            "2026-03-01",
            "--purpose",
            "hospital-admission",
        ])
        .arg(&p)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("nhs-number-check-digit"), "{err}");
    assert!(
        err.lines().last().unwrap().ends_with("view NOT valid"),
        "{err}"
    );
    assert!(!err.contains("4010232138"), "the message quotes the record");
    // the family carer does not see the NHS number: the view is valid
    let out = mods()
        .args([
            "share",
            "--today",
            "2026-03-01",
            "--purpose",
            "family-carer",
        ])
        .arg(&p)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));

    let out = mods()
        .args(["share", "--purpose", "gp", "--manifest"])
        .arg(dir.path().join("no/such/dir/manifest.json"))
        .arg(james_path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
}

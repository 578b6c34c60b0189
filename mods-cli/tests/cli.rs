//! End-to-end tests of the `mods` binary.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use std::fs;
use std::path::Path;
use tempfile::TempDir;

/// A minimal valid record document; `nhs` is the NHS number, `extra` extra members of
/// the subject of care.
fn record(nhs: &str, extra: &str) -> String {
    format!(
        r#"{{"mods_version":"1.0","subject_of_care":{{"record_uid":"soc-1","version_number":1,{extra}"nhs_number":"{nhs}","person_name":[{{"given_name":["Arthur"],"family_name":"Green"}}]}}}}"#
    )
}

const GOOD_NHS: &str = "9434765919";
const BAD_NHS: &str = "9434765918";

fn mods() -> Command {
    Command::cargo_bin("mods").expect("the mods binary is built")
}

fn write(dir: &Path, name: &str, content: &str) -> String {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).unwrap();
    }
    fs::write(&path, content).unwrap();
    path.to_string_lossy().into_owned()
}

fn json_output(cmd: &mut Command, code: i32) -> Value {
    let out = cmd.assert().code(code).get_output().stdout.clone();
    serde_json::from_slice(&out).expect("stdout is one JSON document")
}

#[test]
fn valid_record_exits_0() {
    let dir = TempDir::new().unwrap();
    let p = write(dir.path(), "good.json", &record(GOOD_NHS, ""));
    mods()
        .args(["validate", &p])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(format!(
            "{p}: valid (0 errors, 0 warnings)"
        )));
}

#[test]
fn bad_check_digit_is_reported_without_the_number() {
    let dir = TempDir::new().unwrap();
    let p = write(dir.path(), "bad.json", &record(BAD_NHS, ""));
    let v = json_output(mods().args(["validate", "--format", "json", &p]), 1);
    let issues = &v["files"][0]["records"][0]["issues"];
    assert!(issues.as_array().unwrap().iter().any(
        |i| i["code"] == "nhs-number-check-digit" && i["path"] == "/subject_of_care/nhs_number"
    ));
    assert_eq!(v["files"][0]["records"][0]["valid"], false);
    assert!(!v.to_string().contains(BAD_NHS));

    // Human output does not echo it either.
    mods()
        .args(["validate", &p])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "  error nhs-number-check-digit /subject_of_care/nhs_number: ",
        ))
        .stdout(predicate::str::contains(BAD_NHS).not());

    // Only with --include-values.
    mods()
        .args(["validate", "--include-values", "--format", "json", &p])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(BAD_NHS));
}

#[test]
fn malformed_json_is_an_invalid_record() {
    let dir = TempDir::new().unwrap();
    let p = write(dir.path(), "broken.json", "{\"mods_version\": ");
    let v = json_output(mods().args(["validate", "--format", "json", &p]), 1);
    assert_eq!(
        v["files"][0]["records"][0]["issues"][0]["code"],
        "input-syntax"
    );
}

#[test]
fn directory_walk_reports_ndjson_line_numbers_in_sorted_order() {
    let dir = TempDir::new().unwrap();
    let nd = format!("{}\n\n{}\n", record(GOOD_NHS, ""), record(BAD_NHS, ""));
    write(dir.path(), "b/records.ndjson", &nd);
    write(dir.path(), "a.json", &record(GOOD_NHS, ""));
    write(dir.path(), "notes.txt", "not a record");
    let root = dir.path().to_string_lossy().into_owned();
    let v = json_output(mods().args(["validate", "--format", "json", &root]), 1);
    let files = v["files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    assert!(files[0]["path"].as_str().unwrap().ends_with("a.json"));
    assert_eq!(files[0]["records"][0]["line"], Value::Null);
    assert!(files[1]["path"]
        .as_str()
        .unwrap()
        .ends_with("records.ndjson"));
    let recs = files[1]["records"].as_array().unwrap();
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[0]["line"], 1);
    assert_eq!(recs[0]["valid"], true);
    assert_eq!(recs[1]["line"], 3);
    assert_eq!(recs[1]["valid"], false);
    assert_eq!(v["summary"]["files"], 2);
    assert_eq!(v["summary"]["records"], 3);
    assert_eq!(v["summary"]["valid"], 2);
    assert_eq!(v["summary"]["invalid"], 1);
    assert_eq!(v["summary"]["errors"], 1);

    mods()
        .args(["validate", &root])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "records.ndjson:3: invalid (1 error, 0 warnings)",
        ));
}

#[test]
fn stdin_is_read_for_dash() {
    mods()
        .args(["validate", "-"])
        .write_stdin(record(GOOD_NHS, ""))
        .assert()
        .code(0)
        .stdout(predicate::str::contains("-: valid"));
    mods()
        .args(["validate", "--ndjson", "-"])
        .write_stdin(format!(
            "{}\n{}\n",
            record(GOOD_NHS, ""),
            record(BAD_NHS, "")
        ))
        .assert()
        .code(1)
        .stdout(predicate::str::contains("-:2: invalid"));
}

#[test]
fn missing_file_exits_2_but_other_paths_are_validated() {
    let dir = TempDir::new().unwrap();
    let good = write(dir.path(), "good.json", &record(GOOD_NHS, ""));
    let missing = dir.path().join("missing.json");
    let missing = missing.to_string_lossy();
    mods()
        .args(["validate", &missing, &good])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("missing.json"))
        .stdout(predicate::str::contains("good.json: valid"));
    let v = json_output(
        mods().args(["validate", "--format", "json", &missing, &good]),
        2,
    );
    assert!(v["files"][0]["error"].is_string());
    assert_eq!(v["files"][1]["records"][0]["valid"], true);
}

#[test]
fn directory_without_records_exits_2() {
    let dir = TempDir::new().unwrap();
    mods()
        .args(["validate", &dir.path().to_string_lossy()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no *.json"));
}

#[test]
fn unknown_class_is_a_usage_error() {
    let dir = TempDir::new().unwrap();
    let p = write(dir.path(), "good.json", &record(GOOD_NHS, ""));
    mods()
        .args(["validate", "--class", "no_such_class", &p])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("mods classes"));
}

#[test]
fn strict_turns_unknown_elements_into_errors() {
    let dir = TempDir::new().unwrap();
    let p = write(
        dir.path(),
        "extra.json",
        &record(GOOD_NHS, r#""x_supplier":1,"#),
    );
    mods()
        .args(["validate", &p])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("valid (0 errors, 1 warning)"))
        .stdout(predicate::str::contains(
            "  warning unknown-element /subject_of_care/x_supplier: ",
        ));
    mods()
        .args(["validate", "--strict", &p])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("invalid (1 error, 0 warnings)"))
        .stdout(predicate::str::contains("  error unknown-element"));
}

#[test]
fn today_sets_the_date_implausible_dates_are_judged_against() {
    let dir = TempDir::new().unwrap();
    let p = write(
        dir.path(),
        "born.json",
        &record(GOOD_NHS, r#""date_of_birth":"2026-12-25","#),
    );
    // born on Christmas Day 2026: in the future seen from 1 December 2026, not from 2027
    mods()
        .args(["validate", "--today", "2026-12-01", &p])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "  warning implausible-date /subject_of_care/date_of_birth: ",
        ))
        .stdout(predicate::str::contains("2026-12-25").not());
    mods()
        .args(["validate", "--today", "2027-01-01", &p])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("implausible-date").not());
    mods()
        .args(["validate", "--today", "2027-02-30", &p])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("YYYY-MM-DD"));
}

#[test]
fn summary_line_has_the_documented_format() {
    let dir = TempDir::new().unwrap();
    let good = write(dir.path(), "a.json", &record(GOOD_NHS, ""));
    let bad = write(dir.path(), "b.json", &record(BAD_NHS, ""));
    let out = mods()
        .args(["validate", "--quiet", &good, &bad])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 1, "--quiet prints only the summary: {out}");
    let line = lines[0];
    assert!(
        line.starts_with("2 files, 2 records: 1 valid, 1 invalid; 1 error, 0 warnings in "),
        "{line}"
    );
    assert!(line.ends_with(" ms") || line.ends_with(" s"), "{line}");
}

#[test]
fn explain_prints_a_code() {
    mods()
        .args(["explain", "nhs-number-check-digit"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("nhs-number-check-digit"))
        .stdout(predicate::str::contains("NHS number check digit wrong"))
        .stdout(predicate::str::contains("Modulus 11"));
}

#[test]
fn explain_unknown_code_exits_2() {
    mods()
        .args(["explain", "nope"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("mods explain --all"));
}

#[test]
fn explain_all_markdown_lists_every_code_deterministically() {
    let run = || {
        mods()
            .args(["explain", "--all", "--format", "markdown"])
            .assert()
            .code(0)
            .get_output()
            .stdout
            .clone()
    };
    let first = String::from_utf8(run()).unwrap();
    for code in mods_core::IssueCode::ALL {
        assert!(
            first.contains(&format!("\n## {}\n", code.as_str())),
            "{code} missing"
        );
    }
    assert_eq!(first.as_bytes(), run().as_slice());
}

#[test]
fn classes_lists_alert_and_shows_one_class() {
    mods()
        .arg("classes")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("alert"))
        .stdout(predicate::str::contains("subject_of_care"));
    let out = mods()
        .args(["classes", "--format", "json"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let v: Value = serde_json::from_slice(&out).unwrap();
    assert!(v
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["technical_name"] == "alert"));
    mods()
        .args(["classes", "subject_of_care"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("nhs_number"));
    mods().args(["classes", "nope"]).assert().code(2);
}

#[test]
fn version_and_help() {
    mods()
        .arg("--version")
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("mods "));
    mods()
        .arg("--help")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("validate"))
        .stdout(predicate::str::contains("explain"))
        .stdout(predicate::str::contains("classes"));
    mods().arg("frobnicate").assert().code(2);
}

/// A record whose allergy names a SNOMED CT causative agent.
fn allergy_record(agent: &str) -> String {
    format!(
        r#"{{"mods_version":"1.0","subject_of_care":{{"record_uid":"soc-1","version_number":1,"person_name":[{{"given_name":["Arthur"],"family_name":"Green"}}]}},"allergy":[{{"record_uid":"alg-1","version_number":1,"subject_of_care":"soc-1","date":"2026-11-20","causative_agent":{{"code":"{agent}"}}}}]}}"#
    )
}

const SNOMED_FRAGMENT: &str = r#"{"resourceType":"CodeSystem","url":"http://snomed.info/sct","status":"active","content":"fragment","concept":[{"code":"764146007","display":"Penicillin (substance)"}]}"#;

#[test]
fn offline_terminology_catches_an_unknown_snomed_code() {
    let dir = TempDir::new().unwrap();
    let cs = write(dir.path(), "snomed.json", SNOMED_FRAGMENT);
    let good = write(dir.path(), "good.json", &allergy_record("764146007"));
    let bad = write(dir.path(), "bad.json", &allergy_record("999999999"));
    // without the terminology, only the shape is checked
    mods().args(["validate", &bad]).assert().code(0);
    mods()
        .args(["validate", "--terminology", &cs, &good])
        .assert()
        .code(0);
    let v = json_output(
        mods().args(["validate", "--format", "json", "--terminology", &cs, &bad]),
        1,
    );
    let issues = &v["files"][0]["records"][0]["issues"];
    assert_eq!(issues[0]["code"], "unknown-code");
    assert_eq!(issues[0]["path"], "/allergy/0/causative_agent/code");
}

#[test]
fn rf2_refset_file_is_loaded() {
    let dir = TempDir::new().unwrap();
    let refset = write(
        dir.path(),
        "refset.txt",
        "id\teffectiveTime\tactive\tmoduleId\trefsetId\treferencedComponentId\n\
         a1\t20240101\t1\t999000011000000103\t999000051000000104\t764146007\n\
         a2\t20240101\t1\t999000011000000103\t999000051000000104\t91936005\n\
         a3\t20250101\t0\t999000011000000103\t999000051000000104\t91936005\n",
    );
    let inactive = write(dir.path(), "inactive.json", &allergy_record("91936005"));
    let v = json_output(
        mods().args([
            "validate",
            "--format",
            "json",
            "--terminology",
            &refset,
            &inactive,
        ]),
        0,
    );
    assert_eq!(
        v["files"][0]["records"][0]["issues"][0]["code"],
        "code-inactive"
    );
}

#[test]
fn unreachable_terminology_server_leaves_codes_unchecked() {
    let dir = TempDir::new().unwrap();
    let rec = write(dir.path(), "rec.json", &allergy_record("764146007"));
    // a port that nothing listens on
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let url = format!("http://127.0.0.1:{port}/fhir");
    let v = json_output(
        mods()
            .env_remove("HTTP_PROXY")
            .env_remove("http_proxy")
            .env_remove("ALL_PROXY")
            .env_remove("all_proxy")
            .args(["validate", "--format", "json", "--terminology-server", &url])
            .args(["--terminology-timeout", "2", &rec]),
        0,
    );
    let issue = &v["files"][0]["records"][0]["issues"][0];
    assert_eq!(issue["code"], "code-unchecked");
    assert_eq!(issue["severity"], "warning");
    assert!(!issue["message"].as_str().unwrap().contains("764146007"));
}

#[test]
fn terminology_timeout_out_of_range_is_a_usage_error_not_a_panic() {
    let dir = TempDir::new().unwrap();
    let rec = write(dir.path(), "rec.json", &record(GOOD_NHS, ""));
    for t in ["1e300", "0", "-1", "NaN", "inf", "1e-12"] {
        mods()
            .args([
                "validate",
                "--terminology-server",
                "http://127.0.0.1:9/fhir",
            ])
            .arg(format!("--terminology-timeout={t}"))
            .arg(&rec)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                "--terminology-timeout must be a positive number of seconds",
            ))
            .stderr(predicate::str::contains("internal error").not());
    }
}

#[test]
fn bad_terminology_file_is_a_usage_error() {
    let dir = TempDir::new().unwrap();
    let cs = write(dir.path(), "not-fhir.json", r#"{"hello": 1}"#);
    let rec = write(dir.path(), "rec.json", &record(GOOD_NHS, ""));
    mods()
        .args(["validate", "--terminology", &cs, &rec])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a FHIR resource"));
}

#[test]
fn codes_lists_value_sets_codes_and_search() {
    mods()
        .args(["codes"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("ethnic_category"));
    mods()
        .args(["codes", "flag_status"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("entered-in-error"))
        .stdout(predicate::str::contains("alert.status (required)"));
    let out = mods()
        .args(["codes", "--search", "sign language", "--format", "json"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let v: Value = serde_json::from_slice(&out).unwrap();
    assert!(v.as_array().unwrap().iter().any(|c| c["code"] == "q4"));
    mods().args(["codes", "no_such_set"]).assert().code(2);
}

#[test]
fn codes_shows_each_system_of_a_value_set_spanning_several() {
    let v2 = "http://terminology.hl7.org/CodeSystem/v2-0131";
    let uk = "https://fhir.hl7.org.uk/CodeSystem/UKCore-AdditionalPersonRelationshipRole";
    mods()
        .args(["codes", "person_relationship_type"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("systems:"))
        .stdout(predicate::str::contains(format!("{v2}  HL7 v2 table 0131")))
        .stdout(predicate::str::contains("SYSTEM"))
        .stdout(predicate::str::contains(
            "personal_contact.relationship_to_subject_of_care (extensible)",
        ));
    let out = mods()
        .args(["codes", "person_relationship_type", "--format", "json"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let v: Value = serde_json::from_slice(&out).unwrap();
    let rows = v.as_array().unwrap();
    assert!(rows.iter().any(|c| c["code"] == "N" && c["system"] == v2));
    assert!(rows
        .iter()
        .any(|c| c["code"] == "Carer" && c["system"] == uk));
    assert!(rows
        .iter()
        .any(|c| c["code"] == "CP" && c["system"] == v2 && c["inactive"] == true));
    let out = mods()
        .args(["codes", "--format", "json"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let sets: Value = serde_json::from_slice(&out).unwrap();
    let lang = sets
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "language_code")
        .expect("listed");
    assert_eq!(lang["grammars"], serde_json::json!(["bcp47"]));
    assert_eq!(lang["systems"][1], "urn:ietf:bcp:47");
    // a single-system set keeps its plain table: no SYSTEM column
    mods()
        .args(["codes", "flag_status"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("SYSTEM").not());
}

#[test]
fn classes_bindings_lists_every_coded_element() {
    mods()
        .args(["classes", "--bindings"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("person_demographics.ethnicity"))
        .stdout(predicate::str::contains("allergy.causative_agent"));
}

#[test]
fn glossary_shows_terms_and_exports_json() {
    mods()
        .args(["glossary", "unpaid carer"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Unpaid carer"))
        .stdout(predicate::str::contains("unpaid_carer"));
    let out = mods()
        .args(["glossary", "--format", "json"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let v: Value = serde_json::from_slice(&out).unwrap();
    assert!(v["terms"].as_array().unwrap().len() >= 90);
    mods().args(["glossary", "zzzz-no-term"]).assert().code(2);
}

#[test]
fn schema_prints_the_record_schema_of_the_current_version() {
    let v = json_output(mods().args(["schema"]), 0);
    let current = mods_core::model::latest().mods_version;
    assert_eq!(v["$schema"], "https://json-schema.org/draft/2020-12/schema");
    assert_eq!(
        v["$id"],
        format!("https://mods-sdk.org/schemas/{current}/record.schema.json")
    );
    assert_eq!(v["properties"]["mods_version"]["const"], current);
    assert_eq!(v["additionalProperties"], false);
}

#[test]
fn schema_prints_a_class_schema_of_a_version() {
    for m in mods_core::model::models() {
        let v = json_output(
            mods().args([
                "schema",
                "--version",
                m.mods_version,
                "--class",
                "subject_of_care",
            ]),
            0,
        );
        assert_eq!(
            v["$id"],
            format!(
                "https://mods-sdk.org/schemas/{}/classes/subject_of_care.schema.json",
                m.mods_version
            )
        );
        assert_eq!(v["x-mods-class"], "subject_of_care");
    }
}

#[test]
fn schema_refuses_unknown_versions_and_classes() {
    mods()
        .args(["schema", "--version", "9.9"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not supported"));
    mods()
        .args(["schema", "--class", "no_such_class"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no_such_class"));
}

#[test]
fn schema_out_writes_every_version_as_committed() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("schemas");
    mods()
        .args(["schema", "--out"])
        .arg(&out)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("wrote"));
    for m in mods_core::model::models() {
        let record = out.join(m.mods_version).join("record.schema.json");
        let text = fs::read_to_string(&record).unwrap();
        assert!(text.ends_with("}\n"), "trailing newline");
        // what --out writes is what stdout prints
        let printed = mods()
            .args(["schema", "--version", m.mods_version])
            .assert()
            .code(0)
            .get_output()
            .stdout
            .clone();
        assert_eq!(text.as_bytes(), printed.as_slice());
        for c in mods_core::schema::schema_classes(m.mods_version).unwrap() {
            assert!(out
                .join(m.mods_version)
                .join("classes")
                .join(format!("{c}.schema.json"))
                .is_file());
        }
    }
    let index: Value =
        serde_json::from_str(&fs::read_to_string(out.join("index.json")).unwrap()).unwrap();
    assert_eq!(index["current"], mods_core::model::latest().mods_version);
    // a stale class schema is removed on the next run
    let current = mods_core::model::latest().mods_version;
    let stale = out.join(current).join("classes").join("gone.schema.json");
    fs::write(&stale, "{}\n").unwrap();
    mods().args(["schema", "--out"]).arg(&out).assert().code(0);
    assert!(!stale.exists());
}

fn repo(path: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(path)
        .to_string_lossy()
        .into_owned()
}

#[test]
fn migrate_writes_records_and_a_change_report() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("out");
    let report = dir.path().join("report.json");
    mods()
        .args(["migrate", "--to", "1.1", "--out"])
        .arg(&out)
        .arg("--report")
        .arg(&report)
        .arg(repo("examples/older/mr-green-mods-0.2.1.json"))
        .assert()
        .code(0);
    let migrated = out.join("mr-green-mods-0.2.1.json");
    let rec: Value = serde_json::from_slice(&fs::read(&migrated).unwrap()).unwrap();
    assert_eq!(rec["mods_version"], "1.1");
    mods()
        .args(["validate", "--strict"])
        .arg(&migrated)
        .assert()
        .code(0);
    let rep: Value = serde_json::from_slice(&fs::read(&report).unwrap()).unwrap();
    let kinds: Vec<&str> = rep[0]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["kind"].as_str())
        .collect();
    for k in ["merged", "defaulted", "renamed", "split", "version_changed"] {
        assert!(kinds.contains(&k), "no {k} in {kinds:?}");
    }
}

#[test]
fn lossy_migration_fails_unless_kept() {
    let green = repo("examples/records/mr-green.json");
    mods()
        .args(["migrate", "--to", "0.2.1", &green])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cannot hold"))
        .stderr(predicate::str::contains("9434765919").not());
    let out = mods()
        .args(["migrate", "--to", "0.2.1", "--keep-lossy", &green])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let rec: Value = serde_json::from_slice(&out).unwrap();
    assert!(
        rec["mods_extensions"]["migration"]
            .as_array()
            .unwrap()
            .len()
            > 5
    );
    mods()
        .args(["migrate", "--to", "9.9", &green])
        .assert()
        .code(2);
}

#[test]
fn diff_spec_lists_breaking_changes_with_their_steps() {
    mods()
        .args(["diff-spec", "1.0", "1.1"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "rename risk.care_worker to care_actor",
        ))
        .stdout(predicate::str::contains("class added"));
    let out = mods()
        .args(["diff-spec", "0.2.1", "1.0", "--format", "json"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let v: Value = serde_json::from_slice(&out).unwrap();
    assert!(v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| !e["breaking"].as_bool().unwrap() || e["handled_by"].is_string()));
    mods().args(["diff-spec", "1.0", "5.0"]).assert().code(2);
}

#[test]
fn diff_shows_mrs_smiths_evening_with_and_without_values() {
    let out = mods()
        .args(["diff"])
        .arg(repo("examples/records/mrs-smith-before-fall.json"))
        .arg(repo("examples/records/mrs-smith-after-fall.json"))
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    // the evening of her fall, one line an instance, and no value
    assert_eq!(
        text,
        "\
+ Admission details adm-smith-ed added  (/admission_details/0)
+ Alert al-smith-ae-account added  (/alert/1)
+ Daily care note dcn-smith-0310-pm added  (/daily_care_note/3)
+ Incident inc-smith-fall added  (/incident/0)
+ Location loc-northfield-ed added  (/location/1)
+ Medication administration ma-smith-0310-atorva-reported added  (/medication_administration/8)

6 added, 0 removed, 0 changed; values hidden (--include-values shows them).
"
    );
    // with values, each instance added is listed under its line, element by element in
    // MODS words: Sophie's visit, what Mrs Smith said, the fall, the head injury, the
    // ambulance and A&E
    let out = mods()
        .args(["diff", "--include-values"])
        .arg(repo("examples/records/mrs-smith-before-fall.json"))
        .arg(repo("examples/records/mrs-smith-after-fall.json"))
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let shown = String::from_utf8(out).unwrap();
    for line in [
        "+ Daily care note dcn-smith-0310-pm added  (/daily_care_note/3)\n    Version number: 1\n    Subject of care: soc-smith\n    Date: 2026-03-10\n    Location: loc-smith-home\n    Care actor: cw-sophie\n    Time: 18:30:00\n    Period covered: Evening\n",
        "    Personal care: She said she did not need any help going to the toilet",
        "    General note: My first visit to Mrs Smith. She said she had already taken her medication",
        "    Information source: Reported by subject of care\n",
        "    Administered by role: Subject of care\n",
        "    Incident type: Fall\n",
        "    Injury sustained: yes\n    Injury: Injury of head\n",
        "    Procedure followed: Post-falls procedure: did not move her;",
        "Called an ambulance (999) at 18:44",
        "    Location type: Emergency Care Department or Minor Injuries Department\n",
        "    Related incident: inc-smith-fall\n",
        "she told the doctor and nurses that she lives independently",
        "\n6 added, 0 removed, 0 changed.\n",
    ] {
        assert!(shown.contains(line), "{line:?} not in:\n{shown}");
    }
    // the uid is on the instance's line, not repeated under it
    assert!(!shown.contains("Record uid"));
    // docs/cli.md quotes both outputs as they are: the whole diff, and the incident's lines
    let docs = std::fs::read_to_string(repo("docs/cli.md")).unwrap();
    assert!(
        docs.contains(&format!("```text\n{text}```")),
        "docs/cli.md: the diff of Mrs Smith's records, to paste:\n{text}"
    );
    let incident = &shown[shown.find("+ Incident").unwrap()..shown.find("+ Location").unwrap()];
    assert!(
        docs.contains(&format!("```text\n{incident}```")),
        "docs/cli.md: the incident with --include-values, to paste:\n{incident}"
    );
    // a changed value is named, not shown
    let dir = TempDir::new().unwrap();
    let a = write(dir.path(), "a.json", &record(GOOD_NHS, ""));
    let b = write(dir.path(), "b.json", &record("9434765870", ""));
    mods()
        .args(["diff", &a, &b])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("NHS number changed"))
        .stdout(predicate::str::contains("9434765870").not());
    mods()
        .args(["diff", "--include-values", &a, &b])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("9434765870"));
}

#[test]
fn diff_reports_a_duplicate_uid_as_an_issue_not_a_change() {
    let dir = TempDir::new().unwrap();
    let rec = r#"{"mods_version":"1.0","care_worker":[
        {"record_uid":"cw-1","version_number":1,"job_title":"Support worker"},
        {"record_uid":"cw-1","version_number":2,"job_title":"Senior support worker"}]}"#;
    let a = write(dir.path(), "a.json", rec);
    let v = json_output(mods().args(["diff", "--format", "json", &a, &a]), 0);
    assert_eq!(v["changes"], serde_json::json!([]));
    let issues = v["issues"].as_array().unwrap();
    assert_eq!(issues.len(), 2);
    assert_eq!(issues[0]["code"], "duplicate-record-uid");
    assert_eq!(issues[0]["path"], "/care_worker/1/record_uid");
    assert_eq!(issues[0]["context"]["record"], "old");
    assert!(
        !v.to_string().contains("\"cw-1\""),
        "the uid is a value: {v}"
    );
    mods()
        .args(["diff", &a, &a])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "! old record: error duplicate-record-uid /care_worker/1/record_uid",
        ))
        .stdout(predicate::str::contains("No changes."));
}

#[test]
fn migrate_reports_a_wish_lost_and_keeps_it_with_keep_lossy() {
    let old = repo("examples/older/mr-green-mods-0.2.1.json");
    mods()
        .args(["migrate", "--to", "1.0", &old])
        .assert()
        .code(0)
        .stderr(predicate::str::is_match(r"\n  lost +0\.2\.1 -> 1\.0 /preference/1 ").unwrap());
    // kept, and back down: the record as it was, byte for byte once parsed
    let dir = TempDir::new().unwrap();
    let up = mods()
        .args(["migrate", "--to", "1.1", "--keep-lossy", &old])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let up = write(dir.path(), "up.json", &String::from_utf8(up).unwrap());
    let down = mods()
        .args(["migrate", "--to", "0.2.1", &up])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("\n  lost ").not())
        .get_output()
        .stdout
        .clone();
    let down: Value = serde_json::from_slice(&down).unwrap();
    let original: Value = serde_json::from_slice(&fs::read(&old).unwrap()).unwrap();
    assert_eq!(down, original);
}

/// `mods completions bash` is a script bash itself completes with: a subcommand from its
/// first letters, and an option of a subcommand.
#[test]
fn bash_completes_commands_and_options_with_the_generated_script() {
    let out = mods().args(["completions", "bash"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let dir = TempDir::new().unwrap();
    let script = dir.path().join("mods.bash");
    fs::write(&script, &out.stdout).unwrap();
    let complete = |words: &str, cword: usize| {
        let program = format!(
            "source {}; COMP_WORDS=({words}); COMP_CWORD={cword}; COMP_LINE=\"{words}\"; \
             COMP_POINT=${{#COMP_LINE}}; _mods mods \"${{COMP_WORDS[$COMP_CWORD]}}\" \
             \"${{COMP_WORDS[$COMP_CWORD-1]}}\"; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            script.display()
        );
        let o = std::process::Command::new("bash")
            .args(["--norc", "-c", &program])
            .output()
            .expect("bash");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    };
    let got = complete("mods aggr", 1);
    assert_eq!(got.trim(), "aggregate", "{got}");
    let got = complete("mods extract --mods", 2);
    let mut options: Vec<&str> = got.split_whitespace().collect();
    options.sort();
    // (`--mods-version` is the hidden old spelling of `--version`: not offered)
    assert_eq!(options, ["--mods-codes"], "{got}");
    // every subcommand of the help is in the script
    let help = mods().arg("--help").output().unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    let script = String::from_utf8(out.stdout).unwrap();
    let commands: Vec<&str> = help
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(commands.len() > 15, "{commands:?}");
    for c in commands {
        assert!(script.contains(c), "{c} is not in the completion script");
    }
    // a shell it does not know is a usage error
    let bad = mods().args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn diff_exit_code_tells_same_from_different_like_git() {
    let dir = TempDir::new().unwrap();
    let a = write(dir.path(), "a.json", &record(GOOD_NHS, ""));
    let b = write(dir.path(), "b.json", &record("9434765870", ""));
    let missing = dir.path().join("missing.json");
    let missing = missing.to_str().unwrap();
    for format in ["human", "json"] {
        mods()
            .args(["diff", "--exit-code", "--format", format, &a, &a])
            .assert()
            .code(0);
        mods()
            .args(["diff", "--exit-code", "--format", format, &a, &b])
            .assert()
            .code(1)
            .stdout(predicate::str::contains("nhs_number"));
        mods()
            .args(["diff", "--exit-code", "--format", format, &a, missing])
            .assert()
            .code(2);
    }
    // without it, differences are still status 0
    mods().args(["diff", &a, &b]).assert().code(0);
}

#[test]
fn a_one_character_typo_gets_a_suggestion() {
    let cases: [(&[&str], &str); 7] = [
        (
            &["explain", "nhs-number-chek-digit"],
            "did you mean nhs-number-check-digit?",
        ),
        (&["classes", "alrt"], "(did you mean `alert`?)"),
        (
            &["codes", "ethnic_categry"],
            "(did you mean `ethnic_category`?)",
        ),
        (&["glossary", "care pln"], "(did you mean `Care plan`?)"),
        (
            &["validate", "--class", "alrt", "-"],
            "(did you mean `alert`?)",
        ),
        (
            &["valdate", "x.json"],
            "similar subcommand exists: 'validate'",
        ),
        (
            &["validate", "--failure-only", "x.json"],
            "similar argument exists: '--failures-only'",
        ),
    ];
    for (args, expected) in cases {
        let out = mods().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains(expected), "{args:?}: {err}");
    }
    // nothing near: no suggestion
    let out = mods().args(["classes", "zzzzzz"]).output().unwrap();
    assert!(!String::from_utf8(out.stderr)
        .unwrap()
        .contains("did you mean"));
}

/// The options renamed to their Python names: the new name works, the old spelling still
/// works (hidden from the help), and both give the same result.
#[test]
fn options_have_the_python_names_and_the_old_spellings_still_work() {
    let green = repo("examples/records/mr-green.json");
    let green = green.as_str();
    let run = |args: &[&str]| {
        let out = mods().args(args).output().unwrap();
        (out.status.code(), out.stdout)
    };
    // (new, old) spellings of one command line
    let pairs: [(&[&str], &[&str]); 4] = [
        (
            &["migrate", "--to", "0.2.1", "--keep-lost", green],
            &["migrate", "--to", "0.2.1", "--keep-lossy", green],
        ),
        (
            &["diff", "--include-audit", green, green],
            &["diff", "--audit", green, green],
        ),
        (
            &[
                "aggregate",
                "--by",
                "gender_identity",
                "--no-suppress",
                "--as-of",
                "2026-11-30",
                green,
            ],
            &[
                "aggregate",
                "--by",
                "gender_identity",
                "--no-suppression",
                "--as-of",
                "2026-11-30",
                green,
            ],
        ),
        (
            &[
                "aggregate",
                "--by",
                "gender_identity",
                "--version",
                "1.0",
                "--as-of",
                "2026-11-30",
                green,
            ],
            &[
                "aggregate",
                "--by",
                "gender_identity",
                "--mods-version",
                "1.0",
                "--as-of",
                "2026-11-30",
                green,
            ],
        ),
    ];
    for (new, old) in pairs {
        let (code, out) = run(new);
        assert_eq!(code, Some(0), "{new:?}");
        assert_eq!(run(old), (code, out), "{old:?}");
    }
    for (command, new, old) in [
        (&["migrate"][..], "--keep-lost", "--keep-lossy"),
        (&["diff"], "--include-audit", "--audit "),
        (&["aggregate"], "--no-suppress", "--no-suppression"),
        (&["aggregate"], "--version <VERSION>", "--mods-version"),
        (&["extract"], "--version <VERSION>", "--mods-version"),
        (&["commission", "package"], "--sender", "--from"),
        (
            &["commission", "accept"],
            "--system-identifier",
            "--system ",
        ),
        (&["merge-discharge"], "--system-identifier", "--system "),
    ] {
        let help = mods().args(command).arg("--help").output().unwrap();
        let help = String::from_utf8(help.stdout).unwrap();
        assert!(help.contains(new), "{command:?}: {new}");
        assert!(!help.contains(old), "{command:?}: {old} is hidden");
    }
    // the hidden spellings of the other commands are accepted by the parser
    for args in [
        &[
            "commission",
            "package",
            "--from",
            "x",
            "--plan",
            "p",
            "/nonexistent",
        ][..],
        &[
            "commission",
            "accept",
            "--system",
            "x",
            "/nonexistent",
            "/nonexistent",
        ],
        &[
            "merge-discharge",
            "--system",
            "x",
            "--committer",
            "c",
            "/nonexistent",
            "/nonexistent",
        ],
    ] {
        let out = mods().args(args).output().unwrap();
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(!err.contains("unexpected argument"), "{args:?}: {err}");
    }
}

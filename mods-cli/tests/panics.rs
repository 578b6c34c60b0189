//! A panic inside mods-sdk never crosses the `mods` command's boundary and never shows the
//! input: the record concerned gets one `internal-error` issue, the other records are
//! reported as usual, the JSON output stays well-formed, and the exit status is 2.
//!
//! No input makes mods-core panic, so these tests use its test-only fault injection: built
//! with `cargo test -p mods-cli --features fault-injection --test panics`, a JSON string
//! value starting with the prefix below panics while the record is read, with a message
//! quoting the whole string (docs/validation.md, "Fault injection"). Without the feature
//! (every ordinary build, `cargo test --workspace` included) the same records are checked
//! to be ordinary data, so the binary under test really is built without it.

use assert_cmd::Command;
use serde_json::Value;
use std::fs;
use std::path::Path;
use tempfile::TempDir;

/// `mods_core::fault_injection::PANIC_PREFIX`, spelled out: the feature may be off.
const PREFIX: &str = "mods-fault-injection:panic";
/// Person-like text after the prefix; it must never appear in any output.
const SECRET: &str = "Secretname Q7713";

const GOOD_NHS: &str = "9434765919";
const BAD_NHS: &str = "9434765918";

fn record(nhs: &str, family_name: &str) -> String {
    format!(
        r#"{{"mods_version":"1.0","subject_of_care":{{"record_uid":"soc-1","version_number":1,"nhs_number":"{nhs}","person_name":[{{"given_name":["Arthur"],"family_name":"{family_name}"}}]}}}}"#
    )
}

fn poisoned() -> String {
    record(GOOD_NHS, &format!("{PREFIX} {SECRET}"))
}

fn mods() -> Command {
    Command::cargo_bin("mods").expect("the mods binary is built")
}

fn write(dir: &Path, name: &str, content: &str) -> String {
    let path = dir.join(name);
    fs::write(&path, content).unwrap();
    path.to_string_lossy().into_owned()
}

/// Run; return (status, stdout, stderr).
fn run(cmd: &mut Command) -> (i32, String, String) {
    let out = cmd.output().expect("mods runs");
    (
        out.status
            .code()
            .expect("mods exited, not killed by a signal"),
        String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    )
}

/// Neither the injected text nor the prefix appears anywhere.
fn assert_no_input(texts: &[&str]) {
    for t in texts {
        assert!(!t.contains("Secretname"), "the input leaked: {t}");
        assert!(!t.contains("Q7713"), "the input leaked: {t}");
        assert!(!t.contains(PREFIX), "the input leaked: {t}");
    }
}

/// `path:line` of the injected panic, in mods-core's fault injection module.
#[cfg(feature = "fault-injection")]
fn assert_location(loc: &str) {
    let (file, line) = loc.rsplit_once(':').expect("file:line");
    assert_eq!(file, "mods-core/src/fault_injection.rs", "{loc}");
    assert!(line.parse::<u32>().is_ok_and(|n| n > 0), "{loc}");
}

#[cfg(feature = "fault-injection")]
fn internal_error_issue(record: &Value) -> String {
    assert_eq!(record["valid"], false, "{record}");
    let issues = record["issues"].as_array().expect("issues");
    assert_eq!(issues.len(), 1, "one issue: {record}");
    let i = &issues[0];
    assert_eq!(i["code"], "internal-error");
    assert_eq!(i["severity"], "error");
    assert_eq!(i["path"], "");
    let loc = i["context"]["location"].as_str().expect("a location");
    assert_location(loc);
    let message = i["message"].as_str().unwrap();
    assert!(message.contains(loc), "{message}");
    loc.to_owned()
}

#[cfg(feature = "fault-injection")]
mod with_fault_injection {
    use super::*;

    #[test]
    fn ndjson_record_that_panics_is_one_internal_error_and_the_run_goes_on() {
        let dir = TempDir::new().unwrap();
        let lines = [
            record(GOOD_NHS, "Green"),
            poisoned(),
            record(BAD_NHS, "Green"),
        ];
        let p = write(dir.path(), "batch.ndjson", &(lines.join("\n") + "\n"));
        let (code, out, err) = run(mods().args(["validate", "--format", "json", &p]));
        assert_eq!(code, 2, "{out}\n{err}");
        let v: Value = serde_json::from_str(&out).expect("stdout is one JSON document");
        let records = v["files"][0]["records"].as_array().unwrap();
        assert_eq!(records.len(), 3);
        assert_eq!(records[0]["line"], 1);
        assert_eq!(records[0]["valid"], true);
        assert_eq!(records[1]["line"], 2);
        let loc = internal_error_issue(&records[1]);
        assert_eq!(records[2]["line"], 3);
        assert_eq!(records[2]["issues"][0]["code"], "nhs-number-check-digit");
        let s = &v["summary"];
        assert_eq!(
            (s["records"].as_u64(), s["valid"].as_u64()),
            (Some(3), Some(1))
        );
        assert_eq!(
            (s["invalid"].as_u64(), s["internal_errors"].as_u64()),
            (Some(2), Some(1))
        );
        // the panic hook's one line on stderr: fixed text and the location
        assert!(
            err.contains("internal error (a bug in mods-sdk) at "),
            "{err}"
        );
        assert!(err.contains(&loc), "{err}");
        assert!(
            !err.contains("fault injected"),
            "the panic message is never shown: {err}"
        );
        assert_no_input(&[&out, &err]);
    }

    #[test]
    fn human_output_names_the_internal_error_in_the_record_and_the_summary() {
        let dir = TempDir::new().unwrap();
        let p = write(
            dir.path(),
            "batch.ndjson",
            &format!("{}\n{}\n", poisoned(), record(GOOD_NHS, "Green")),
        );
        let (code, out, err) = run(mods().args(["validate", &p]));
        assert_eq!(code, 2, "{out}\n{err}");
        assert!(
            out.contains(&format!("{p}:1: invalid (1 error, 0 warnings)")),
            "{out}"
        );
        assert!(out.contains("  error internal-error /: internal error (a bug in mods-sdk) at mods-core/src/fault_injection.rs:"), "{out}");
        assert!(
            out.contains(&format!("{p}:2: valid (0 errors, 0 warnings)")),
            "{out}"
        );
        assert!(
            out.contains("2 records: 1 valid, 1 invalid; 1 error, 0 warnings in "),
            "{out}"
        );
        assert!(
            out.contains("; 1 internal error (a bug in mods-sdk: please report it)"),
            "{out}"
        );
        assert_no_input(&[&out, &err]);
    }

    #[test]
    fn json_files_in_a_directory_and_on_stdin() {
        let dir = TempDir::new().unwrap();
        write(dir.path(), "a.json", &record(GOOD_NHS, "Green"));
        write(dir.path(), "b.json", &poisoned());
        write(dir.path(), "c.json", &record(BAD_NHS, "Green"));
        let d = dir.path().to_string_lossy().into_owned();
        let (code, out, err) = run(mods().args(["validate", "--format", "json", &d]));
        assert_eq!(code, 2, "{out}\n{err}");
        let v: Value = serde_json::from_str(&out).expect("stdout is one JSON document");
        let files = v["files"].as_array().unwrap();
        assert_eq!(files.len(), 3);
        assert_eq!(files[0]["records"][0]["valid"], true);
        internal_error_issue(&files[1]["records"][0]);
        assert_eq!(files[1]["records"][0]["line"], Value::Null);
        assert_eq!(
            files[2]["records"][0]["issues"][0]["code"],
            "nhs-number-check-digit"
        );
        assert_no_input(&[&out, &err]);

        // quiet: only the summary, still counting the internal error
        let (code, out, err) = run(mods().args(["validate", "--quiet", "--format", "json", &d]));
        assert_eq!(code, 2);
        let v: Value = serde_json::from_str(&out).expect("stdout is one JSON document");
        assert_eq!(v["summary"]["internal_errors"], 1);
        assert_no_input(&[&out, &err]);

        // stdin
        let (code, out, err) = run(mods()
            .args(["validate", "--format", "json", "-"])
            .write_stdin(poisoned()));
        assert_eq!(code, 2);
        let v: Value = serde_json::from_str(&out).expect("stdout is one JSON document");
        internal_error_issue(&v["files"][0]["records"][0]);
        assert_no_input(&[&out, &err]);
    }

    #[test]
    fn class_instances_are_guarded_too() {
        let dir = TempDir::new().unwrap();
        let alert = |text: &str| {
            format!(
                r#"{{"record_uid":"a-1","version_number":1,"status":{{"code":"active"}},"code":{{"code":"{text}"}},"subject_of_care":"soc-1"}}"#
            )
        };
        let p = write(
            dir.path(),
            "alerts.ndjson",
            &format!("{}\n{}\n", alert(&format!("{PREFIX} {SECRET}")), alert("x")),
        );
        let (code, out, err) =
            run(mods().args(["validate", "--class", "alert", "--format", "json", &p]));
        assert_eq!(code, 2, "{out}\n{err}");
        let v: Value = serde_json::from_str(&out).expect("stdout is one JSON document");
        let records = v["files"][0]["records"].as_array().unwrap();
        internal_error_issue(&records[0]);
        assert!(records[1]["issues"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["code"] != "internal-error"));
        assert_no_input(&[&out, &err]);
    }

    #[test]
    fn migrate_reports_the_record_and_migrates_the_others() {
        let dir = TempDir::new().unwrap();
        let older = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../examples/older/mr-green-mods-0.2.1.json");
        let mut rec: Value = serde_json::from_slice(&fs::read(older).unwrap()).unwrap();
        fs::write(dir.path().join("a.json"), rec.to_string()).unwrap();
        rec["subject_of_care"]["x_note"] = Value::String(format!("{PREFIX} {SECRET}"));
        fs::write(dir.path().join("b.json"), rec.to_string()).unwrap();
        let out_dir = dir.path().join("out");
        let report = dir.path().join("report.json");
        let (code, out, err) = run(mods()
            .args(["migrate", "--to", "1.0", "--out"])
            .arg(&out_dir)
            .arg("--report")
            .arg(&report)
            .arg(dir.path().join("a.json"))
            .arg(dir.path().join("b.json")));
        assert_eq!(code, 2, "{out}\n{err}");
        let migrated: Value =
            serde_json::from_slice(&fs::read(out_dir.join("a.json")).unwrap()).unwrap();
        assert_eq!(migrated["mods_version"], "1.0");
        assert!(!out_dir.join("b.json").exists());
        let report_text = fs::read_to_string(&report).unwrap();
        let r: Value = serde_json::from_str(&report_text).unwrap();
        assert_eq!(r[0]["to"], "1.0");
        assert_eq!(r[1]["code"], "internal-error");
        assert_location(r[1]["location"].as_str().unwrap());
        assert!(r[1]["error"]
            .as_str()
            .unwrap()
            .starts_with("internal error"));
        assert!(
            err.contains("b.json: internal error (a bug in mods-sdk) at "),
            "{err}"
        );
        assert_no_input(&[&out, &err, &report_text]);
    }

    #[test]
    fn diff_of_a_record_that_panics_exits_2_with_nothing_on_stdout() {
        let dir = TempDir::new().unwrap();
        let a = write(dir.path(), "a.json", &record(GOOD_NHS, "Green"));
        let b = write(dir.path(), "b.json", &poisoned());
        for format in ["human", "json"] {
            let (code, out, err) = run(mods().args(["diff", "--format", format, &a, &b]));
            assert_eq!(code, 2, "{out}\n{err}");
            assert_eq!(out, "");
            assert!(
                err.contains(
                    "internal error (a bug in mods-sdk) at mods-core/src/fault_injection.rs:"
                ),
                "{err}"
            );
            assert_no_input(&[&out, &err]);
        }
    }
    #[test]
    fn merge_discharge_of_a_record_that_panics_exits_2_with_nothing_on_stdout() {
        let dir = TempDir::new().unwrap();
        let rec = write(dir.path(), "record.json", &poisoned());
        let dis = write(
            dir.path(),
            "discharge.json",
            r#"{"record_uid": "dis-1", "version_number": 1, "subject_of_care": "soc-1",
                "hospital": "org-1", "discharge_date_and_time": "2026-01-22T15:30:00Z"}"#,
        );
        let (code, out, err) = run(mods().args([
            "merge-discharge",
            "--committer",
            "cw-1",
            "--date-time",
            "2026-01-22T17:30:00Z",
            &rec,
            &dis,
        ]));
        assert_eq!(code, 2, "{out}\n{err}");
        assert_eq!(out, "");
        assert!(
            err.contains("internal error (a bug in mods-sdk) at "),
            "{err}"
        );
        assert_no_input(&[&out, &err]);
    }
}

/// Without the feature, the prefix is ordinary text: the binary under test (and so every
/// build made without the feature) has no fault injection.
#[cfg(not(feature = "fault-injection"))]
#[test]
fn without_the_feature_the_prefix_is_ordinary_text() {
    let dir = TempDir::new().unwrap();
    let p = write(
        dir.path(),
        "batch.ndjson",
        &format!("{}\n{}\n", poisoned(), record(BAD_NHS, "Green")),
    );
    let (code, out, err) = run(mods().args(["validate", "--format", "json", &p]));
    assert_eq!(code, 1, "{out}\n{err}");
    let v: Value = serde_json::from_str(&out).expect("stdout is one JSON document");
    let records = v["files"][0]["records"].as_array().unwrap();
    assert_eq!(records[0]["valid"], true, "{out}");
    assert_eq!(records[0]["issues"], Value::Array(vec![]));
    assert_eq!(records[1]["issues"][0]["code"], "nhs-number-check-digit");
    assert_eq!(v["summary"]["internal_errors"], 0);
    assert_eq!(err, "");
    assert_no_input(&[&out]);

    let a = write(dir.path(), "a.json", &record(GOOD_NHS, "Green"));
    let b = write(dir.path(), "b.json", &poisoned());
    let (code, out, _) = run(mods().args(["diff", "--format", "json", &a, &b]));
    assert_eq!(code, 0);
    let d: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(d["changes"][0]["path"], "/subject_of_care/person_name");
}

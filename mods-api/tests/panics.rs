//! A panic inside mods-sdk never leaves a function of the layer, and never shows the input:
//! it is `Error::Internal` (code `internal-error`) with a fixed message and the location, or
//! in a batch that document's `internal-error` issue while the rest are validated.
//!
//! No input makes the core panic, so this uses its test-only fault injection (run with
//! `cargo test -p mods-api --features fault-injection`). Without the feature the same
//! documents are ordinary data, which is checked too.

use mods_api::{ErrorCode, ValidateOptions};

/// `mods_core::fault_injection::PANIC_PREFIX`, spelled out: the feature may be off.
const PREFIX: &str = "mods-fault-injection:panic";
/// Person-like text after the prefix; it must never appear in an error or a report.
const SECRET: &str = "Secretname Q7713";

fn poisoned() -> String {
    format!(
        r#"{{"mods_version":"1.0","subject_of_care":{{"record_uid":"soc-1","version_number":1,"nhs_number":"9434765919","person_name":[{{"given_name":["Arthur"],"family_name":"{PREFIX} {SECRET}"}}]}}}}"#
    )
}

const INJECTED: bool = cfg!(feature = "fault-injection");

fn assert_internal(e: &mods_api::Error) {
    assert_eq!(e.code(), ErrorCode::InternalError, "{e:?}");
    let shown = format!("{e} {}", serde_json::to_string(e).unwrap());
    assert!(
        !shown.contains(SECRET) && !shown.contains(PREFIX),
        "{shown}"
    );
    let loc = serde_json::to_value(e).unwrap()["location"].clone();
    assert!(loc.as_str().is_some_and(|l| l.contains(".rs:")), "{loc}");
}

#[test]
fn every_function_that_reads_a_record_contains_the_panic() {
    mods_api::install_panic_hook();
    let doc = poisoned();
    let name_only = format!(r#"{{"given_name":"Arthur","family_name":"{PREFIX} {SECRET}"}}"#);
    let name = format!("[{name_only}]");
    let opts = ValidateOptions::default().prepare().unwrap();
    let results: Vec<(&str, Result<(), mods_api::Error>)> = vec![
        ("validate", mods_api::validate(&doc, &opts).map(drop)),
        (
            "migrate",
            mods_api::migrate(&doc, "1.1", &Default::default()).map(drop),
        ),
        (
            "diff",
            mods_api::diff(&doc, &doc, &Default::default()).map(drop),
        ),
        (
            "to_fhir",
            mods_api::to_fhir(&doc, &Default::default()).map(drop),
        ),
        (
            "operation_outcome",
            mods_api::operation_outcome(&doc).map(drop),
        ),
        (
            "validate_field",
            mods_api::validate_field("subject_of_care", "person_name", &name, None, &opts)
                .map(drop),
        ),
        (
            "validate_instance",
            mods_api::validate_instance("person_name", &name_only, &Default::default()).map(drop),
        ),
        (
            "merge_discharge",
            mods_api::merge_discharge(
                &doc,
                r#"{"record_uid": "dis-1", "subject_of_care": "soc-1", "hospital": "org-1",
                    "discharge_date_and_time": "2026-01-22T15:30:00Z"}"#,
                None,
                &mods_api::MergeDischargeOptions::default()
                    .with_committer("cw-1")
                    .with_date_time("2026-01-22T17:30:00Z"),
            )
            .map(drop),
        ),
    ];
    for (name, r) in results {
        if INJECTED {
            assert_internal(&r.expect_err(name));
        } else {
            assert!(r.is_ok(), "{name}: {r:?}");
        }
    }
}

#[test]
fn a_batch_keeps_going_past_a_panic() {
    mods_api::install_panic_hook();
    let good = include_str!("../../examples/records/mr-green.json").to_owned();
    let docs = [good.clone(), poisoned(), good];
    let opts = ValidateOptions::default().prepare().unwrap();
    for workers in [Some(1), Some(2)] {
        let reports = mods_api::validate_many(
            &docs.iter().map(|d| d.as_bytes()).collect::<Vec<_>>(),
            &opts,
            workers,
        )
        .unwrap();
        assert!(reports[0].valid && reports[2].valid);
        let middle = serde_json::to_string(&reports[1]).unwrap();
        assert!(!middle.contains(SECRET), "{middle}");
        if INJECTED {
            assert_eq!(reports[1].issues.len(), 1);
            assert_eq!(reports[1].issues[0].code.as_str(), "internal-error");
        } else {
            assert!(reports[1].valid, "{middle}");
        }
        let r = mods_api::validate_report(&docs[1], &opts);
        assert_eq!(r.valid, !INJECTED);
    }
}

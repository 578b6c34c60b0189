//! MODS to FHIR to MODS is the identity on generated records (the model-driven generator of
//! `mods-fuzz`, fed by proptest): at least 10,000 valid MODS 1.0 records per run (set
//! `MODS_FHIR_CASES` for more or fewer), each exported as every Bundle type and read back.

use mods_fhir::{from_fhir, to_fhir, BundleType, ExportOptions, ImportOptions};
use proptest::prelude::*;
use std::sync::atomic::{AtomicUsize, Ordering};

static TESTED: AtomicUsize = AtomicUsize::new(0);

fn wanted() -> usize {
    std::env::var("MODS_FHIR_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000)
}

fn round_trip(bytes: &[u8]) -> Result<(), TestCaseError> {
    let mut u = arbitrary::Unstructured::new(bytes);
    let record = mods_fuzz::generate::record(&mut u);
    if record.get("mods_version").and_then(|v| v.as_str()) != Some("1.0") {
        return Ok(());
    }
    if !mods_core::validate_record(&record, &mods_core::ValidationOptions::default()).valid {
        return Ok(());
    }
    let n = TESTED.fetch_add(1, Ordering::Relaxed);
    let bundle_type = [
        BundleType::Collection,
        BundleType::Transaction,
        BundleType::Document,
    ][n % 3];
    let opts = ExportOptions::default()
        .with_bundle_type(bundle_type)
        .with_timestamp("2025-11-03T12:00:00Z");
    let bundle =
        to_fhir(&record, &opts).map_err(|e| TestCaseError::fail(format!("export: {e}")))?;
    let text = serde_json::to_vec(&bundle).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let back = from_fhir(&text, &ImportOptions::default())
        .map_err(|e| TestCaseError::fail(format!("import: {e}")))?;
    prop_assert_eq!(&back.record, &record, "{:?} {}", bundle_type, record);
    prop_assert!(back.report.issues.is_empty(), "{:#?}", back.report.issues);
    Ok(())
}

#[test]
fn generated_records_round_trip() {
    let want = wanted();
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        // about one generated record in four is a valid MODS 1.0 record
        cases: (want * 5) as u32,
        failure_persistence: None,
        ..ProptestConfig::default()
    });
    let strategy = proptest::collection::vec(any::<u8>(), 0..2048);
    let result = runner.run(&strategy, |bytes| {
        if TESTED.load(Ordering::Relaxed) >= want {
            return Ok(());
        }
        round_trip(&bytes)
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let tested = TESTED.load(Ordering::Relaxed);
    assert!(
        tested >= want,
        "only {tested} valid MODS 1.0 records were generated; {want} wanted"
    );
}

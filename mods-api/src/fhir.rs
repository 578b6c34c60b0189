//! MODS records to and from HL7 FHIR R4 / UK Core (see `docs/fhir-mapping.md`).

use crate::error::{guarded, Error};
use crate::options::{ExportOptions, ImportOptions, MergeOptions, TransferSummaryOptions};
use crate::validate::Input;
use mods_core::Limits;
use mods_fhir::flows::merge::MergeError;
use mods_fhir::{BundleType, ImportError, ImportReport, ProfileSet};
use serde::Serialize;
use serde_json::Value;

fn bundle_type(s: &str) -> Result<BundleType, Error> {
    BundleType::parse(s).ok_or_else(|| {
        Error::option(
            "type",
            "type must be \"collection\", \"transaction\" or \"document\"",
        )
    })
}

fn profiles(s: &str) -> Result<ProfileSet, Error> {
    ProfileSet::parse(s)
        .ok_or_else(|| Error::option("profiles", "profiles must be \"current\" or \"stu2\""))
}

/// Export a MODS record as a FHIR R4 Bundle with UK Core profiles.
///
/// Errors: [`Error::Input`]; [`Error::InvalidOption`] (`type`, `profiles`);
/// [`Error::ExportRefused`] (the record is invalid or of another version, a document
/// without a timestamp, a timestamp that is not an instant).
pub fn to_fhir<'a>(record: impl Into<Input<'a>>, opts: &ExportOptions) -> Result<Value, Error> {
    let record = record.into();
    guarded(|| {
        let mut core = mods_fhir::ExportOptions::default()
            .with_bundle_type(bundle_type(&opts.bundle_type)?)
            .with_profiles(profiles(&opts.profiles)?)
            .with_allow_invalid(opts.allow_invalid);
        core.timestamp = opts.timestamp.clone();
        let value = record.read(&Limits::default())?;
        mods_fhir::to_fhir(&value, &core).map_err(|e| Error::ExportRefused(e.to_string()))
    })
}

/// The current time as a FHIR instant (UTC, whole seconds); `None` where there is no clock
/// (`wasm32-unknown-unknown`).
fn now() -> Option<String> {
    if cfg!(all(target_family = "wasm", target_os = "unknown")) {
        return None;
    }
    let t: chrono::DateTime<chrono::Utc> = std::time::SystemTime::now().into();
    Some(t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
}

/// The hospital transfer summary ("Red Bag") of a MODS record: a FHIR `document` Bundle
/// with one Composition section per heading. Without a timestamp, the current time.
///
/// Errors: as [`to_fhir`].
pub fn transfer_summary<'a>(
    record: impl Into<Input<'a>>,
    opts: &TransferSummaryOptions,
) -> Result<Value, Error> {
    let record = record.into();
    guarded(|| {
        let mut core = mods_fhir::TransferOptions::default()
            .with_profiles(profiles(&opts.profiles)?)
            .with_allow_invalid(opts.allow_invalid);
        core.timestamp = opts.timestamp.clone().or_else(now);
        let value = record.read(&Limits::default())?;
        mods_fhir::transfer_summary(&value, &core).map_err(|e| Error::ExportRefused(e.to_string()))
    })
}

/// A record read from FHIR, with its report.
#[derive(Debug, Clone, Serialize)]
pub struct FromFhir {
    /// The MODS record.
    pub record: Value,
    /// `{"issues": [{"code", "severity", "location" (FHIRPath), "message"}], "validation"}`,
    /// the validation being the record's in the core's JSON shape.
    pub report: ImportReport,
}

fn import_error(e: ImportError) -> Error {
    match e {
        ImportError::Input(i) => Error::Input(i),
        other => Error::ImportRefused(other.to_string()),
    }
}

/// Import a FHIR R4 Bundle (or one resource) as a MODS record.
///
/// Errors: [`Error::Input`]; [`Error::ImportRefused`] (JSON, but not a FHIR resource).
pub fn from_fhir<'a>(
    bundle: impl Into<Input<'a>>,
    opts: &ImportOptions,
) -> Result<FromFhir, Error> {
    let bundle = bundle.into();
    guarded(|| {
        let core = mods_fhir::ImportOptions::default().with_keep_unmapped(opts.keep_unmapped);
        let got = mods_fhir::from_fhir(&bundle.bytes(), &core).map_err(import_error)?;
        Ok(FromFhir {
            record: got.record,
            report: got.report,
        })
    })
}

/// A record with a Bundle merged into it, and what the merge did.
#[derive(Debug, Clone, Serialize)]
pub struct Merged {
    /// The merged record.
    pub record: Value,
    /// `{"added", "already_present", "conflicts", "issues", "validation", "attachments"}`:
    /// the merge report with the documents sent inline under `attachments`
    /// (`{"record_uid", "content_type", "title", "data"}`, `data` base64 as sent).
    pub report: Value,
}

fn merge(
    record: Input<'_>,
    bundle: Input<'_>,
    opts: &MergeOptions,
    discharge: bool,
) -> Result<Merged, Error> {
    guarded(|| {
        let rec = record.read(&Limits::default())?;
        let mut core = mods_fhir::flows::merge::MergeOptions::default();
        core.date = opts.date.clone();
        let bytes = bundle.bytes();
        let got = if discharge {
            mods_fhir::flows::discharge::import_discharge(&rec, &bytes, &core)
        } else {
            mods_fhir::flows::gp_merge::merge_gp_record(&rec, &bytes, &core)
        };
        let m = got.map_err(|e| match e {
            MergeError::Import(i) => import_error(i),
            other => Error::MergeRefused(other.to_string()),
        })?;
        let mut report =
            serde_json::to_value(&m.report).map_err(|e| Error::MergeRefused(e.to_string()))?;
        report["attachments"] =
            serde_json::to_value(&m.attachments).map_err(|e| Error::MergeRefused(e.to_string()))?;
        Ok(Merged {
            record: m.record,
            report,
        })
    })
}

/// Merge a GP system's FHIR Bundle (allergies, medicines, conditions) into an existing
/// MODS 1.0 record, without duplicating what it already holds.
///
/// Errors: [`Error::Input`]; [`Error::ImportRefused`]; [`Error::MergeRefused`] (another
/// person's Bundle, no Patient, not a Bundle, a record without an NHS number...).
pub fn merge_gp_record<'a, 'b>(
    record: impl Into<Input<'a>>,
    bundle: impl Into<Input<'b>>,
    opts: &MergeOptions,
) -> Result<Merged, Error> {
    merge(record.into(), bundle.into(), opts, false)
}

/// Merge a hospital's discharge Bundle (Encounter, MedicationRequest, DocumentReference)
/// into an existing MODS 1.0 record.
///
/// Errors: as [`merge_gp_record`].
pub fn import_discharge<'a, 'b>(
    record: impl Into<Input<'a>>,
    bundle: impl Into<Input<'b>>,
    opts: &MergeOptions,
) -> Result<Merged, Error> {
    merge(record.into(), bundle.into(), opts, true)
}

/// Validate a record (default options) and give the report as a FHIR OperationOutcome.
///
/// Errors: [`Error::Input`].
pub fn operation_outcome<'a>(record: impl Into<Input<'a>>) -> Result<Value, Error> {
    let record = record.into();
    guarded(|| {
        let value = record.read(&Limits::default())?;
        let report = mods_core::validate_record(&value, &mods_core::ValidationOptions::default());
        Ok(mods_fhir::operation_outcome(&report))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ErrorCode, FromJson};

    const GREEN: &str = include_str!("../../examples/records/mr-green.json");

    #[test]
    fn export_and_import_round_trip() {
        let b = to_fhir(GREEN, &ExportOptions::default()).unwrap();
        assert_eq!(b["resourceType"], "Bundle");
        assert_eq!(b["type"], "collection");
        let back = from_fhir(&b, &ImportOptions::default()).unwrap();
        assert!(back.report.validation.valid);
        let original: Value = serde_json::from_str(GREEN).unwrap();
        assert_eq!(back.record, original);
    }

    #[test]
    fn export_option_and_refusal_errors() {
        let o = ExportOptions::from_json(r#"{"type": "bag"}"#).unwrap();
        let e = to_fhir(GREEN, &o).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidOption);
        assert!(e.to_string().starts_with("type must be"));
        let o = ExportOptions::from_json(r#"{"profiles": "stu9"}"#).unwrap();
        assert!(to_fhir(GREEN, &o)
            .unwrap_err()
            .to_string()
            .starts_with("profiles must be"));
        let e = to_fhir(r#"{"mods_version": "1.0"}"#, &ExportOptions::default()).unwrap_err();
        assert_eq!(e.code(), ErrorCode::ExportRefused);
        assert!(e.to_string().contains("not valid MODS"));
        assert_eq!(
            to_fhir("[", &ExportOptions::default()).unwrap_err().code(),
            ErrorCode::InvalidJson
        );
        assert_eq!(
            ExportOptions::from_json(r#"{"typ": 1}"#)
                .unwrap_err()
                .code(),
            ErrorCode::UnknownOption
        );
    }

    #[test]
    fn transfer_summary_with_and_without_a_timestamp() {
        let o = TransferSummaryOptions {
            timestamp: Some("2026-01-14T21:00:00Z".into()),
            ..Default::default()
        };
        let b = transfer_summary(GREEN, &o).unwrap();
        assert_eq!(b["timestamp"], "2026-01-14T21:00:00Z");
        let b = transfer_summary(GREEN, &TransferSummaryOptions::default()).unwrap();
        assert!(b["timestamp"].as_str().is_some_and(|t| t.ends_with('Z')));
        let o = TransferSummaryOptions {
            timestamp: Some("yesterday".into()),
            ..Default::default()
        };
        assert_eq!(
            transfer_summary(GREEN, &o).unwrap_err().code(),
            ErrorCode::ExportRefused
        );
    }

    #[test]
    fn import_refusal_merge_and_outcome() {
        let e = from_fhir(r#"{"a": 1}"#, &ImportOptions::default()).unwrap_err();
        assert_eq!(e.code(), ErrorCode::ImportRefused);
        let b = to_fhir(GREEN, &ExportOptions::default()).unwrap();
        let m = merge_gp_record(GREEN, &b, &MergeOptions::default()).unwrap();
        assert!(m.report["attachments"].is_array());
        assert!(m.report["already_present"].is_array());
        let e = merge_gp_record(GREEN, "{", &MergeOptions::default()).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidJson);
        let e = import_discharge(
            GREEN,
            r#"{"resourceType": "Patient"}"#,
            &MergeOptions::default(),
        )
        .unwrap_err();
        assert!(
            matches!(e.code(), ErrorCode::MergeRefused | ErrorCode::ImportRefused),
            "{e:?}"
        );
        let oo = operation_outcome(r#"{"mods_version": "1.0"}"#).unwrap();
        assert_eq!(oo["resourceType"], "OperationOutcome");
    }
}

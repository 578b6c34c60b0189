//! Discharge information merged into the care plan (`mods_core::flows::discharge`), from a
//! MODS discharge (Discharge details, or a record document holding them) or from a
//! hospital's FHIR discharge Bundle, read first by `mods_fhir::flows::discharge`.

use crate::error::{guarded, Error};
use crate::options::FromJson;
use crate::validate::Input;
use mods_core::flows::discharge::{self as core, DischargeError, DischargeOptions};
use mods_core::{checks, Limits};
use mods_fhir::flows::merge::MergeError;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The system identifier of the Change log entries when none is given.
pub const DEFAULT_SYSTEM_IDENTIFIER: &str = "mods-sdk merge-discharge";

/// Options of [`merge_discharge`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
///
/// New options may be added in any release: build the struct with `default()` and its
/// `with_*` methods (see docs/releasing.md).
#[non_exhaustive]
pub struct MergeDischargeOptions {
    /// Required: the `record_uid` of the care actor who commits the merge (the Change log
    /// entries' committer).
    pub committer: Option<String>,
    /// When the merge is committed (RFC 3339 with an offset); the current time (UTC) when
    /// not given (required on `wasm32-unknown-unknown`, which has no clock).
    pub date_time: Option<String>,
    /// The system the merge is committed in; [`DEFAULT_SYSTEM_IDENTIFIER`] when not given.
    pub system_identifier: Option<String>,
    /// The Discharge details to merge when the discharge document holds several; the
    /// latest by discharge date and time when not given.
    pub discharge_uid: Option<String>,
    /// Put the home and discharge values in each conflict (they hold the person's data).
    pub include_values: bool,
    /// For a FHIR Bundle: the date of new records when neither the resources nor the
    /// Bundle give one (as [`crate::MergeOptions`]).
    pub date: Option<String>,
}

mods_core::__option_setters!(MergeDischargeOptions {
    with_committer(committer: Option<String>);
    with_date_time(date_time: Option<String>);
    with_system_identifier(system_identifier: Option<String>);
    with_discharge_uid(discharge_uid: Option<String>);
    with_include_values(include_values: bool);
    with_date(date: Option<String>);
});

impl FromJson for MergeDischargeOptions {
    const KNOWN: &'static [&'static str] = &[
        "committer",
        "date_time",
        "system_identifier",
        "discharge_uid",
        "include_values",
        "date",
    ];
    fn expected(name: &str) -> &'static str {
        if name == "include_values" {
            "true or false"
        } else {
            "a string"
        }
    }
}

/// The record with the discharge merged, and what the merge did.
#[derive(Debug, Clone, Serialize)]
pub struct MergedDischarge {
    /// The merged record.
    pub record: Value,
    /// `{"discharge_uid", "admission_uid", "three_way", "changes", "conflicts", "notes",
    /// "validation"}` (see `docs/flows/discharge.md`), with `"fhir"` (the FHIR discharge
    /// import's report, as [`crate::import_discharge`] gives it) when the discharge was a
    /// FHIR Bundle.
    pub report: Value,
}

/// The current time as an RFC 3339 instant (UTC, whole seconds); `None` where there is no
/// clock (`wasm32-unknown-unknown`).
fn now() -> Option<String> {
    if cfg!(all(target_family = "wasm", target_os = "unknown")) {
        return None;
    }
    let t: chrono::DateTime<chrono::Utc> = std::time::SystemTime::now().into();
    Some(t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
}

fn core_options(opts: &MergeDischargeOptions) -> Result<DischargeOptions, Error> {
    let committer = opts.committer.clone().ok_or_else(|| {
        Error::option(
            "committer",
            "committer is required: the record_uid of the care actor who commits the merge",
        )
    })?;
    if !checks::is_uid(&committer) {
        return Err(Error::option(
            "committer",
            "committer must be a record_uid (no white space, at most 128 characters)",
        ));
    }
    let date_time = opts.date_time.clone().or_else(now).ok_or_else(|| {
        Error::option(
            "date_time",
            "date_time is required where there is no clock (WebAssembly)",
        )
    })?;
    if checks::parse_date_time(&date_time).is_none() {
        return Err(Error::option(
            "date_time",
            "date_time must be an RFC 3339 date and time with an offset, such as 2026-01-22T17:30:00Z",
        ));
    }
    let system_identifier = opts
        .system_identifier
        .clone()
        .unwrap_or_else(|| DEFAULT_SYSTEM_IDENTIFIER.to_owned());
    if checks::is_blank(&system_identifier) {
        return Err(Error::option(
            "system_identifier",
            "system_identifier must not be empty",
        ));
    }
    let mut core = DischargeOptions::new(date_time, committer, system_identifier)
        .with_include_values(opts.include_values);
    core.discharge_uid = opts.discharge_uid.clone();
    Ok(core)
}

fn refused(e: DischargeError) -> Error {
    Error::MergeRefused(e.to_string())
}

/// Whether a document is a FHIR resource (it has a `resourceType`).
fn is_fhir(v: &Value) -> bool {
    v.get("resourceType").is_some()
}

/// Read a FHIR discharge Bundle into the record (`mods_fhir`), and give the discharge
/// document the MODS merge takes: the Discharge details read, and every record the import
/// added; with the import's report.
fn from_fhir(
    record: &Value,
    bundle: &Value,
    opts: &MergeDischargeOptions,
) -> Result<(Value, String, Value), Error> {
    let mut core = mods_fhir::flows::merge::MergeOptions::default();
    core.date = opts.date.clone();
    let bytes = serde_json::to_vec(bundle).map_err(|e| Error::MergeRefused(e.to_string()))?;
    let m =
        mods_fhir::flows::discharge::import_discharge(record, &bytes, &core).map_err(
            |e| match e {
                MergeError::Import(mods_fhir::ImportError::Input(i)) => Error::Input(i),
                MergeError::Import(other) => Error::ImportRefused(other.to_string()),
                other => Error::MergeRefused(other.to_string()),
            },
        )?;
    let report = &m.report;
    let uid = report
        .added
        .iter()
        .chain(&report.already_present)
        .find(|i| i.class == "discharge_details")
        .map(|i| i.record_uid.clone())
        .ok_or_else(|| {
            Error::MergeRefused("the Bundle holds no discharge (no Encounter was read)".into())
        })?;
    let added: Vec<&str> = report.added.iter().map(|i| i.record_uid.as_str()).collect();
    let merged = m.record.as_object().cloned().unwrap_or_default();
    let mut doc = Map::new();
    if let Some(v) = merged.get("mods_version") {
        doc.insert("mods_version".into(), v.clone());
    }
    for (class, items) in &merged {
        let Some(items) = items.as_array() else {
            continue;
        };
        let keep: Vec<Value> = items
            .iter()
            .filter(|v| {
                let u = v.get("record_uid").and_then(Value::as_str);
                u.is_some_and(|u| added.contains(&u) || (class == "discharge_details" && u == uid))
            })
            .cloned()
            .collect();
        if !keep.is_empty() && class != "change_log" {
            doc.insert(class.clone(), Value::Array(keep));
        }
    }
    let mut fhir = serde_json::to_value(report).map_err(|e| Error::MergeRefused(e.to_string()))?;
    fhir["attachments"] =
        serde_json::to_value(&m.attachments).map_err(|e| Error::MergeRefused(e.to_string()))?;
    Ok((Value::Object(doc), uid, fhir))
}

/// Merge discharge information into the record's care plan: the extra support as a Need
/// and a Service for its period, the medication changes and follow-up as planned
/// activities, the review brought forward, an Alert for the team, each change a new
/// version with a Change log entry naming the Discharge details; what changed at home
/// after the admission is kept and reported as a conflict.
///
/// `discharge` is a Discharge details instance, a MODS record document holding them (and
/// the records the discharge brought), or a hospital's FHIR discharge Bundle (read first
/// with [`crate::import_discharge`]'s rules). `base` is the record as it was at admission,
/// for a three-way comparison.
///
/// Errors: [`Error::Input`]; [`Error::InvalidOption`] (`committer` missing or not a uid,
/// `date_time`, `system_identifier`); [`Error::ImportRefused`] (a FHIR document that is
/// not a Bundle); [`Error::MergeRefused`] (not records of the current MODS version, no
/// Discharge details, another person's discharge or base, a Bundle about someone else).
pub fn merge_discharge<'a, 'b, 'c>(
    record: impl Into<Input<'a>>,
    discharge: impl Into<Input<'b>>,
    base: Option<Input<'c>>,
    opts: &MergeDischargeOptions,
) -> Result<MergedDischarge, Error> {
    let (record, discharge) = (record.into(), discharge.into());
    guarded(|| {
        let mut core_opts = core_options(opts)?;
        let limits = Limits::default();
        let record = record.read(&limits)?;
        let discharge = discharge.read(&limits)?;
        let base = base.map(|b| b.read(&limits)).transpose()?;
        let (doc, fhir) = if is_fhir(&discharge) {
            let (doc, uid, fhir) = from_fhir(&record, &discharge, opts)?;
            core_opts.discharge_uid = Some(uid);
            (std::borrow::Cow::Owned(doc), Some(fhir))
        } else {
            (discharge, None)
        };
        let m =
            core::merge_discharge(&record, &doc, base.as_deref(), &core_opts).map_err(refused)?;
        let mut report =
            serde_json::to_value(&m.report).map_err(|e| Error::MergeRefused(e.to_string()))?;
        if let Some(f) = fhir {
            report["fhir"] = f;
        }
        Ok(MergedDischarge {
            record: m.record,
            report,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    const BEFORE: &str =
        include_str!("../../../examples/flows/discharge/james-before-discharge.json");
    const DISCHARGE: &str = include_str!("../../../examples/flows/discharge/discharge-james.json");

    fn opts() -> MergeDischargeOptions {
        MergeDischargeOptions {
            committer: Some("cw-liam".into()),
            date_time: Some("2026-01-22T17:30:00Z".into()),
            ..Default::default()
        }
    }

    #[test]
    fn merges_and_reports_as_json() {
        let m = merge_discharge(BEFORE, DISCHARGE, None, &opts()).unwrap();
        assert_eq!(m.report["discharge_uid"], "dis-james");
        assert_eq!(m.report["three_way"], false);
        assert!(m.report["conflicts"].as_array().unwrap().is_empty());
        assert!(m.report.get("fhir").is_none());
        assert_eq!(m.record["care_plan"][0]["review_date"], "2026-01-28");
    }

    #[test]
    fn options_are_checked() {
        let e = merge_discharge(BEFORE, DISCHARGE, None, &MergeDischargeOptions::default())
            .unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidOption);
        assert!(e.to_string().starts_with("committer is required"));
        let o = MergeDischargeOptions {
            date_time: Some("yesterday".into()),
            ..opts()
        };
        let e = merge_discharge(BEFORE, DISCHARGE, None, &o).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidOption);
        let e = MergeDischargeOptions::from_json(r#"{"comitter": "x"}"#).unwrap_err();
        assert_eq!(e.code(), ErrorCode::UnknownOption);
        let o =
            MergeDischargeOptions::from_json(r#"{"committer": "cw-liam", "include_values": true}"#)
                .unwrap();
        assert!(o.include_values);
        let e = MergeDischargeOptions::from_json(r#"{"include_values": "yes"}"#).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidOption);
    }

    #[test]
    fn refusals_and_unreadable_input() {
        let e = merge_discharge("{", DISCHARGE, None, &opts()).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidJson);
        let e = merge_discharge(BEFORE, r#"{"mods_version": "1.0"}"#, None, &opts()).unwrap_err();
        assert_eq!(e.code(), ErrorCode::MergeRefused);
        let e =
            merge_discharge(BEFORE, r#"{"resourceType": "Patient"}"#, None, &opts()).unwrap_err();
        assert!(
            matches!(e.code(), ErrorCode::MergeRefused | ErrorCode::ImportRefused),
            "{e:?}"
        );
    }

    #[test]
    fn a_fhir_bundle_is_read_first() {
        let bundle = include_str!("../../../mods-fhir/tests/fixtures/discharge-james.json");
        let m = merge_discharge(BEFORE, bundle, None, &opts()).unwrap();
        assert!(m.report["fhir"]["added"].is_array());
        let changes = m.report["changes"].as_array().unwrap();
        assert!(changes
            .iter()
            .any(|c| c["class"] == "discharge_details" && c["action"] == "created"));
        assert!(changes
            .iter()
            .any(|c| c["class"] == "medication" && c["action"] == "created"));
    }
}

//! Operations on whole records that give no validation report: migration between MODS
//! versions, the difference of two records, the difference of two versions of the model.

use crate::error::{guarded, Error};
use crate::options::{DiffOptions, MigrateOptions};
use crate::validate::Input;
use mods_core::history::RecordDiff;
use mods_core::migrate::{MigrateError, Migration, OnLoss};
use mods_core::spec_diff::SpecDiff;
use mods_core::{model, Limits};
use serde_json::Value;

/// Move a record to MODS version `to`, step by step, with every change (paths are JSON
/// pointers; changes never hold values).
///
/// Errors: [`Error::Input`]; [`Error::MigrationRefused`] (no or unknown version, unknown
/// target, or data would be lost: `losses` lists it).
pub fn migrate<'a>(
    record: impl Into<Input<'a>>,
    to: &str,
    opts: &MigrateOptions,
) -> Result<Migration, Error> {
    let record = record.into();
    guarded(|| {
        let value = record.read(&Limits::default())?;
        let core = mods_core::migrate::MigrateOptions::default().with_on_loss(if opts.keep_lost {
            OnLoss::KeepInExtension
        } else {
            OnLoss::Fail
        });
        mods_core::migrate::migrate(&value, to, &core).map_err(|e| {
            let losses = match &e {
                MigrateError::Lossy { losses, .. } => {
                    serde_json::to_value(losses).unwrap_or(Value::Array(Vec::new()))
                }
                _ => Value::Array(Vec::new()),
            };
            Error::MigrationRefused {
                message: e.to_string(),
                losses,
            }
        })
    })
}

/// What changed between two versions of a record, in MODS terms: instances added and
/// removed (matched by `record_uid`) and elements changed.
///
/// Errors: [`Error::Input`]; [`Error::DiffRefused`] (not records of one supported version).
pub fn diff<'a, 'b>(
    old: impl Into<Input<'a>>,
    new: impl Into<Input<'b>>,
    opts: &DiffOptions,
) -> Result<RecordDiff, Error> {
    let (old, new) = (old.into(), new.into());
    guarded(|| {
        let limits = Limits::default();
        let (old, new) = (old.read(&limits)?, new.read(&limits)?);
        let core = mods_core::history::DiffOptions::default()
            .with_include_values(opts.include_values)
            .with_include_audit(opts.include_audit);
        mods_core::history::diff_records(&old, &new, &core)
            .map_err(|e| Error::DiffRefused(e.to_string()))
    })
}

/// The differences between two MODS versions of the model, each marked breaking or not,
/// with the migration step that handles it.
///
/// Errors: [`Error::UnknownVersion`] naming the first version not supported.
pub fn diff_spec(a: &str, b: &str) -> Result<SpecDiff, Error> {
    guarded(|| {
        for v in [a, b] {
            if model::model(v).is_none() {
                return Err(Error::UnknownVersion {
                    version: v.to_owned(),
                });
            }
        }
        mods_core::spec_diff::diff_spec(a, b).ok_or_else(|| Error::UnknownVersion {
            version: a.to_owned(),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ErrorCode, FromJson};

    const GREEN: &str = include_str!("../../examples/records/mr-green.json");

    #[test]
    fn migrate_and_its_refusals() {
        let from: Value = serde_json::from_str(GREEN).unwrap();
        let version = from["mods_version"].as_str().unwrap();
        let m = migrate(GREEN, version, &MigrateOptions::default()).unwrap();
        assert_eq!(m.to, version);
        let e = migrate(GREEN, "9.9", &MigrateOptions::default()).unwrap_err();
        assert_eq!(e.code(), ErrorCode::MigrationRefused);
        assert_eq!(
            serde_json::to_value(&e).unwrap()["losses"],
            serde_json::json!([])
        );
        assert_eq!(
            migrate("{", "1.0", &MigrateOptions::default())
                .unwrap_err()
                .code(),
            ErrorCode::InvalidJson
        );
        assert!(
            MigrateOptions::from_json(r#"{"keep_lost": true}"#)
                .unwrap()
                .keep_lost
        );
    }

    #[test]
    fn diff_of_records_and_of_versions() {
        let d = diff(GREEN, GREEN, &DiffOptions::default()).unwrap();
        assert!(d.changes.is_empty());
        let e = diff("{}", GREEN, &DiffOptions::default()).unwrap_err();
        assert_eq!(e.code(), ErrorCode::DiffRefused);
        assert!(diff_spec("1.0", "1.1").is_ok());
        let e = diff_spec("1.0", "7").unwrap_err();
        assert_eq!(e.code(), ErrorCode::UnknownVersion);
        assert!(e.to_string().contains("\"7\""));
    }
}

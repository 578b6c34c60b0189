//! Conformance of a record to a MODS version (use case 6, `mods_core::conformance`): what a
//! record lacks to meet the standard, class by class, with scores, for the bindings and
//! the CLI.

use crate::error::{guarded, Error};
use crate::options::FromJson;
use crate::validate::Input;
use mods_core::checks::parse_date;
use mods_core::conformance::{self as core, ConformanceError};
use serde::{Deserialize, Serialize};

pub use mods_core::conformance::{
    Assessment, Basis, ClassResult, Gap, GapCode, ValidationStatus, CSV_HEADER,
};

/// Options of [`conformance`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
///
/// New options may be added in any release: build the struct with `default()` and its
/// `with_*` methods (see docs/releasing.md).
#[non_exhaustive]
pub struct ConformanceOptions {
    /// The MODS version to assess against (default: the current version).
    pub version: Option<String>,
    /// Validate the record in strict mode (unknown elements are errors) for its status.
    pub strict: bool,
    /// The date taken as today by the validation rules that need one (`YYYY-MM-DD`).
    pub today: Option<String>,
}

mods_core::__option_setters!(ConformanceOptions {
    with_version(version: Option<String>);
    with_strict(strict: bool);
    with_today(today: Option<String>);
});

impl FromJson for ConformanceOptions {
    const KNOWN: &'static [&'static str] = &["version", "strict", "today"];
    fn expected(name: &str) -> &'static str {
        match name {
            "strict" => "true or false",
            "today" => "a date (YYYY-MM-DD)",
            _ => "a MODS version such as \"1.0\"",
        }
    }
}

impl ConformanceOptions {
    fn validation(&self) -> Result<mods_core::ValidationOptions, Error> {
        let mut v = if self.strict {
            mods_core::ValidationOptions::strict()
        } else {
            mods_core::ValidationOptions::default()
        };
        // every issue counted, so the status's numbers are whole
        v.max_issues = usize::MAX;
        if let Some(t) = &self.today {
            v.today = Some(
                parse_date(t)
                    .ok_or_else(|| Error::option("today", "today must be a date (YYYY-MM-DD)"))?,
            );
        }
        Ok(v)
    }
}

fn refused(e: ConformanceError) -> Error {
    match e {
        ConformanceError::UnknownVersion(version) => Error::UnknownVersion { version },
    }
}

/// How `record` stands against a MODS version: each class it must hold and holds, what
/// each lacks, the scores, and its validation status (see `docs/conformance.md`). An
/// invalid record is still assessed.
///
/// Errors: [`Error::Input`] (the record is not JSON within the limits);
/// [`Error::InvalidOption`] (`today` not a date); [`Error::UnknownVersion`] (`version` is
/// not a supported MODS version).
pub fn conformance<'a>(
    record: impl Into<Input<'a>>,
    opts: &ConformanceOptions,
) -> Result<Assessment, Error> {
    let record = record.into();
    guarded(|| {
        let validation = opts.validation()?;
        let value = record.read(&validation.limits)?;
        core::assess(&value, opts.version.as_deref(), &validation).map_err(refused)
    })
}

/// [`conformance`], with a record that cannot be read (not JSON, over a limit) assessed as
/// not conformant with an `unreadable` gap instead of an error: what a tool assessing a
/// folder of records needs.
///
/// Errors: [`Error::InvalidOption`]; [`Error::UnknownVersion`]; [`Error::Internal`].
pub fn conformance_report<'a>(
    record: impl Into<Input<'a>>,
    opts: &ConformanceOptions,
) -> Result<Assessment, Error> {
    match conformance(record, opts) {
        Err(Error::Input(e)) => core::unreadable(opts.version.as_deref(), &e).map_err(refused),
        other => other,
    }
}

/// The assessment as text for a person to read (what `mods conformance --format human`
/// prints after the record's name).
pub fn conformance_text(assessment: &Assessment) -> String {
    core::to_text(assessment)
}

/// [`conformance_text`] of an assessment given as data (JSON, or a value), as a binding
/// holds it after [`conformance`].
///
/// Errors: [`Error::Input`]; [`Error::InvalidOption`] (`assessment`: not an assessment).
pub fn conformance_text_of<'a>(assessment: impl Into<Input<'a>>) -> Result<String, Error> {
    let assessment = assessment.into();
    guarded(|| {
        let value = assessment.read(&mods_core::Limits::default())?;
        let a: Assessment = serde_json::from_value(value.into_owned()).map_err(|_| {
            Error::option(
                "assessment",
                "assessment must be an assessment made by conformance",
            )
        })?;
        Ok(core::to_text(&a))
    })
}

/// The CSV rows of one assessment (one per class; [`CSV_HEADER`] names the columns):
/// `input` names the document, `line` its line in an NDJSON input.
pub fn conformance_csv(input: &str, line: Option<usize>, assessment: &Assessment) -> String {
    core::csv_rows(input, line, assessment)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    #[test]
    fn options_and_refusals_have_their_codes() {
        let o = ConformanceOptions::from_json(r#"{"version": "1.1", "strict": true}"#).unwrap();
        assert_eq!(o.version.as_deref(), Some("1.1"));
        let e = ConformanceOptions::from_json(r#"{"level": 2}"#).unwrap_err();
        assert_eq!(e.code(), ErrorCode::UnknownOption);
        let record = r#"{"mods_version": "1.0", "subject_of_care": {}}"#;
        let bad_version = ConformanceOptions {
            version: Some("2.0".into()),
            ..Default::default()
        };
        let e = conformance(record, &bad_version).unwrap_err();
        assert_eq!(e.code(), ErrorCode::UnknownVersion);
        let e = conformance_report("{", &bad_version).unwrap_err();
        assert_eq!(e.code(), ErrorCode::UnknownVersion);
        let bad_today = ConformanceOptions {
            today: Some("30/11/2026".into()),
            ..Default::default()
        };
        let e = conformance(record, &bad_today).unwrap_err();
        assert_eq!(serde_json::to_value(&e).unwrap()["option"], "today");
        let e = conformance("{", &ConformanceOptions::default()).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidJson);
    }

    #[test]
    fn an_unreadable_record_is_an_assessment_in_a_report() {
        let a = conformance_report("{\"a\": ", &ConformanceOptions::default()).unwrap();
        assert!(!a.conformant && !a.validation.valid);
        assert_eq!(a.gaps[0].code, GapCode::Unreadable);
        assert!(
            a.gaps[0].message.contains("input-syntax"),
            "{}",
            a.gaps[0].message
        );
    }

    #[test]
    fn text_is_made_from_an_assessment_given_as_data() {
        let a = conformance(
            r#"{"mods_version": "1.0", "subject_of_care": {"record_uid": "s", "version_number": 1,
                "person_name": [{"given_name": ["Ann"], "family_name": "Lee"}]}}"#,
            &ConformanceOptions::default(),
        )
        .unwrap();
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(conformance_text_of(&json).unwrap(), conformance_text(&a));
        let e = conformance_text_of(r#"{"score": 1}"#).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidOption);
        // the person's name is nowhere in the assessment
        assert!(!json.contains("Ann") && !json.contains("Lee"));
    }
}

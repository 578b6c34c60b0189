//! A medication administration record (MAR) view of use case 3: for a person and a day (or
//! a period of days), every dose with its time, medicine, amount, route and who gave it,
//! and every warning a crew taking the person to hospital needs to see.
//!
//! The view is read from a record document ([`mar`], [`mar_json`]):
//!
//! - **The day** is a UK civil date. MODS `date` and `time` are UK clock times, so a dose is
//!   in the period when its `date` is one of the period's days. The view also lists the doses
//!   of the 24 hours before the period (measured in real time: `look_back_from` is midnight
//!   at the start of the period, UK time, less 24 hours) and any earlier dose a warning
//!   points to, as [`MarView::earlier_doses`].
//! - **Doses** are the Medication administration records: every one in the period whatever
//!   its status (refused and omitted doses are part of a MAR), with `medication` resolved to
//!   its Medication record (name, code, dose instructions, limits) and `administered_by`
//!   (and `witnessed_by`) to a person with a name and a role in plain words (a care worker,
//!   a nurse, an unpaid carer who is the person's son, a proxy, the person themself, an
//!   organisation).
//! - **Warnings** ([`MarWarningCode`]): those of the dose rules come from the code that
//!   validation runs (the same findings, messages and context as the issues
//!   `dose-within-minimum-interval` and `maximum-dose-per-24-hours-exceeded`), over every
//!   dose of the record, so a dose just after midnight is checked against the night before;
//!   the view adds what a reader of one day must not miss: a medicine recorded under two
//!   Medication records, a dose known only from the person's own report, a reference that
//!   does not resolve, a dose the rules could not place in time.
//! - **Validation**: the record is validated as `validate_record` does and the report is in
//!   the view. A record with errors still gives its view (what can be read is shown, and the
//!   errors are there to see); only a document that states no supported MODS version is
//!   refused, since the dose rules need its model.
//!
//! "A dose the person reports but nobody recorded" is, in MODS terms, a Medication
//! administration whose `information_source` is `reported-by-subject-of-care`: the only
//! account of the dose is the person's own (someone wrote down what she said; nobody who gave
//! or saw the dose recorded it). Its `report_reliability` is in the warning's context, and
//! the dose still counts in the dose rules (a reported dose too close to a recorded one is
//! flagged as well). Doses reported by an unpaid carer who gave them
//! (`reported-by-unpaid-carer`) are recorded by the person who gave them, and are shown with
//! that information source but not warned about.

use crate::issue::{IssueCode, Report};
use crate::parse::InputError;
use crate::validate::ValidationOptions;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

mod read;
mod resolve;
mod text;

pub use text::to_text;

/// What to show.
#[derive(Debug, Clone)]
///
/// New options may be added in any release: build the struct with `new` and its
/// `with_*` methods (see docs/releasing.md).
#[non_exhaustive]
pub struct MarOptions {
    /// The first day (UK civil date).
    pub from: NaiveDate,
    /// The last day, `from` or later.
    pub to: NaiveDate,
    /// How the record is validated for the report in the view (its `limits` also bound
    /// the reading of bytes in [`mar_json`]).
    pub validation: ValidationOptions,
}

crate::__option_setters!(MarOptions {
    with_validation(validation: ValidationOptions);
});

impl MarOptions {
    /// The days from `from` to `to`, with the default validation options.
    pub fn new(from: NaiveDate, to: NaiveDate) -> Self {
        MarOptions {
            from,
            to,
            validation: ValidationOptions::default(),
        }
    }

    /// One day, with the default validation options.
    pub fn day(date: NaiveDate) -> Self {
        MarOptions {
            from: date,
            to: date,
            validation: ValidationOptions::default(),
        }
    }
}

/// Why no view was made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MarError {
    /// The bytes could not be read as JSON within the limits.
    #[error(transparent)]
    Input(#[from] InputError),
    /// The period ends before it starts.
    #[error("the period ends before it starts")]
    Period,
    /// The document is not a record of a supported MODS version (the dose rules need its
    /// model): the version it states, if any.
    #[error("the document is not a record of a supported MODS version")]
    Version(Option<String>),
}

/// A view of a person's medicines over a period.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MarView {
    /// The record's MODS version.
    pub mods_version: String,
    /// Who the record is about.
    pub person: Person,
    /// The days shown.
    pub period: Period,
    /// The doses of the period, in clock order (doses with no time at the end of their day).
    pub doses: Vec<Dose>,
    /// The doses of the 24 hours before the period, and any earlier dose a warning points to,
    /// in clock order.
    pub earlier_doses: Vec<Dose>,
    /// The warnings about the period's doses, in the order of the doses they are at
    /// (warnings about no one dose last).
    pub warnings: Vec<MarWarning>,
    /// The record's validation report.
    pub validation: Report,
}

/// The person the record is about (the subject of care).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Person {
    /// The subject of care's `record_uid`.
    pub record_uid: Option<String>,
    /// The usual name (title, given names, family name).
    pub name: Option<String>,
    /// The NHS number, as recorded.
    pub nhs_number: Option<String>,
    /// The date of birth, as recorded.
    pub date_of_birth: Option<String>,
}

/// The days shown.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Period {
    /// The first day (`YYYY-MM-DD`).
    pub from: String,
    /// The last day (`YYYY-MM-DD`).
    pub to: String,
    /// The start of the look-back: the UK clock time 24 hours before midnight at the start
    /// of `from` (`YYYY-MM-DDTHH:MM`).
    pub look_back_from: String,
}

/// A coded value as recorded, with its display from the value set when the record has none.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Coded {
    /// The code.
    pub code: Option<String>,
    /// The code system, when recorded.
    pub system: Option<String>,
    /// The record's display, else the value set's.
    pub display: Option<String>,
}

/// One Medication administration.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Dose {
    /// JSON pointer to the administration (`/medication_administration/3`).
    pub pointer: String,
    /// Its `record_uid`.
    pub record_uid: Option<String>,
    /// `date` as recorded (UK civil date).
    pub date: Option<String>,
    /// `time` as recorded (UK clock time).
    pub time: Option<String>,
    /// `administration_status`: given, refused, omitted, self-administered...
    pub status: Option<Coded>,
    /// Whether the dose rules count it: given or self-administered, with a valid date and
    /// time and a `medication`.
    pub counted: bool,
    /// The Medication record `medication` names, when it resolves.
    pub medicine: Option<Medicine>,
    /// The administration's own `medication_code` (the product given, when more specific).
    pub product: Option<Coded>,
    /// `dose_given`.
    pub amount: Option<f64>,
    /// `dose_unit`, else the Medication record's.
    pub unit: Option<Coded>,
    /// `route`, else the Medication record's.
    pub route: Option<Coded>,
    /// Who gave it (`administered_by`), when it resolves.
    pub given_by: Option<Actor>,
    /// `administered_by_role`.
    pub given_by_role: Option<Coded>,
    /// `witnessed_by`, when it resolves.
    pub witnessed_by: Option<Actor>,
    /// `information_source`: how the record of the dose was obtained.
    pub information_source: Option<Coded>,
    /// `report_reliability`.
    pub report_reliability: Option<Coded>,
    /// `as_required_dose`.
    pub as_required: Option<bool>,
    /// `as_required_reason_given`.
    pub reason_given: Option<String>,
    /// `reason_not_given`.
    pub reason_not_given: Option<String>,
    /// The positions in [`MarView::warnings`] of the warnings at this dose.
    pub warnings: Vec<usize>,
}

/// A Medication record, as the view shows it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Medicine {
    /// JSON pointer to the Medication record.
    pub pointer: String,
    /// Its `record_uid`.
    pub record_uid: String,
    /// `medication_name`, else the code's display.
    pub name: Option<String>,
    /// `medication_code`.
    pub code: Option<Coded>,
    /// `dose_instructions`.
    pub dose_instructions: Option<String>,
    /// `dose_quantity`.
    pub dose_quantity: Option<f64>,
    /// `dose_unit`.
    pub dose_unit: Option<Coded>,
    /// `frequency`.
    pub frequency: Option<String>,
    /// `as_required`.
    pub as_required: Option<bool>,
    /// `minimum_interval`, hours.
    pub minimum_interval_hours: Option<f64>,
    /// `maximum_dose_per_24_hours`, in `dose_unit`.
    pub maximum_dose_per_24_hours: Option<f64>,
}

/// A person or organisation named by a dose.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Actor {
    /// JSON pointer to the record.
    pub pointer: String,
    /// Its `record_uid`.
    pub record_uid: String,
    /// Its class (`care_worker`, `unpaid_carer`, `subject_of_care`...).
    pub class: String,
    /// The name (a person's usual name, an organisation's name).
    pub name: Option<String>,
    /// The role in plain words: "Registered nurse", "Care worker", "Unpaid carer (son)",
    /// "Proxy (son)", "The person themself", "Organisation".
    pub role: String,
    /// The relationship to the person, for unpaid carers, personal contacts and proxies.
    pub relationship: Option<Coded>,
}

/// A warning of the view. Messages never hold the person's data; the figures and pointers
/// are in `context`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MarWarning {
    /// What kind of warning.
    pub code: MarWarningCode,
    /// JSON pointer to the dose it is at, if one.
    pub dose: Option<String>,
    /// What it means.
    pub message: String,
    /// Pointers and figures (for the dose rules, exactly the context of the issue).
    pub context: Map<String, Value>,
}

/// The kinds of warning in a view: a closed list (`docs/flows/mar.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MarWarningCode {
    /// A dose sooner after the previous dose of the same medicine than its minimum interval
    /// (the dose rule of validation, issue code `dose-within-minimum-interval`).
    DoseWithinMinimumInterval,
    /// More than the maximum in 24 hours (the dose rule of validation, issue code
    /// `maximum-dose-per-24-hours-exceeded`).
    MaximumDosePer24HoursExceeded,
    /// One medicine (the same product code) whose doses are under two or more Medication
    /// records, as the dose rules group them.
    MedicineUnderTwoRecords,
    /// A dose known only from the person's own report (`information_source`
    /// `reported-by-subject-of-care`).
    DoseReportedNotRecorded,
    /// `medication`, `administered_by` or `witnessed_by` is missing where required or names
    /// no record of the right class.
    UnresolvedReference,
    /// A given dose of the period without a valid `time`: the dose rules cannot place it.
    DoseTimeMissing,
    /// An administration without a valid `date`: it cannot be placed in any day.
    AdministrationDateMissing,
    /// The record's MODS version has no Medication administration class (0.2.1): migrate
    /// it to see doses.
    NoAdministrationClass,
}

impl MarWarningCode {
    /// Every code, in documentation order.
    pub const ALL: &'static [MarWarningCode] = &[
        MarWarningCode::DoseWithinMinimumInterval,
        MarWarningCode::MaximumDosePer24HoursExceeded,
        MarWarningCode::MedicineUnderTwoRecords,
        MarWarningCode::DoseReportedNotRecorded,
        MarWarningCode::UnresolvedReference,
        MarWarningCode::DoseTimeMissing,
        MarWarningCode::AdministrationDateMissing,
        MarWarningCode::NoAdministrationClass,
    ];

    /// The code as text (`dose-within-minimum-interval`).
    pub fn as_str(self) -> &'static str {
        match self {
            MarWarningCode::DoseWithinMinimumInterval => {
                IssueCode::DoseWithinMinimumInterval.as_str()
            }
            MarWarningCode::MaximumDosePer24HoursExceeded => {
                IssueCode::MaximumDosePer24HoursExceeded.as_str()
            }
            MarWarningCode::MedicineUnderTwoRecords => "medicine-under-two-records",
            MarWarningCode::DoseReportedNotRecorded => "dose-reported-not-recorded",
            MarWarningCode::UnresolvedReference => "unresolved-reference",
            MarWarningCode::DoseTimeMissing => "dose-time-missing",
            MarWarningCode::AdministrationDateMissing => "administration-date-missing",
            MarWarningCode::NoAdministrationClass => "no-administration-class",
        }
    }

    /// The warning of a dose-rule issue code, if it is one.
    fn of_issue(code: IssueCode) -> Option<MarWarningCode> {
        match code {
            IssueCode::DoseWithinMinimumInterval => Some(MarWarningCode::DoseWithinMinimumInterval),
            IssueCode::MaximumDosePer24HoursExceeded => {
                Some(MarWarningCode::MaximumDosePer24HoursExceeded)
            }
            _ => None,
        }
    }
}

impl std::fmt::Display for MarWarningCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for MarWarningCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<str>::deserialize(d)?;
        MarWarningCode::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| serde::de::Error::custom("not a warning code of the view"))
    }
}

impl Serialize for MarWarningCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Read a record document within `opts.validation.limits` and make its view.
pub fn mar_json(bytes: &[u8], opts: &MarOptions) -> Result<MarView, MarError> {
    let doc = crate::parse_json(bytes, &opts.validation.limits)?;
    mar(&doc, opts)
}

/// The view of a record document already parsed.
pub fn mar(doc: &Value, opts: &MarOptions) -> Result<MarView, MarError> {
    if opts.to < opts.from {
        return Err(MarError::Period);
    }
    let stated = doc
        .get("mods_version")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let model = stated.as_deref().and_then(crate::model::model);
    let (report, doses) = crate::validate::record_value_with_doses(doc, &opts.validation);
    let (Some(model), Some(doses)) = (model, doses) else {
        return Err(MarError::Version(stated));
    };
    Ok(read::build(model, doc, opts, report, doses))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn day(d: &str) -> MarOptions {
        MarOptions::day(crate::checks::parse_date(d).unwrap())
    }

    /// A record with paracetamol (4 hours apart at least, 8 a day) given at these clock
    /// times (date, time).
    fn record(times: &[(&str, &str)]) -> Value {
        let admins: Vec<Value> = times
            .iter()
            .enumerate()
            .map(|(i, (d, t))| {
                json!({"record_uid": format!("ma-{i}"), "version_number": 1,
                    "subject_of_care": "soc-1", "date": d, "time": t, "medication": "med-1",
                    "administration_status": {"code": "given"}, "dose_given": 2,
                    "administered_by": "soc-1", "administered_by_role": {"code": "subject-of-care"}})
            })
            .collect();
        json!({"mods_version": "1.0",
            "subject_of_care": {"record_uid": "soc-1", "version_number": 1},
            "medication": [{"record_uid": "med-1", "version_number": 1, "subject_of_care": "soc-1",
                "medication_code": {"code": "322236009"}, "minimum_interval": 4,
                "dose_quantity": 2, "maximum_dose_per_24_hours": 8}],
            "medication_administration": admins})
    }

    #[test]
    fn the_look_back_is_24_real_hours_in_uk_clock_time() {
        let r = record(&[]);
        // after the clocks go back (25 October 2026), 24 hours before midnight is 01:00 BST
        let v = mar(&r, &day("2026-10-26")).unwrap();
        assert_eq!(v.period.look_back_from, "2026-10-25T01:00");
        // after they go forward (29 March 2026), 23:00 GMT two days before
        let v = mar(&r, &day("2026-03-30")).unwrap();
        assert_eq!(v.period.look_back_from, "2026-03-28T23:00");
        let v = mar(&r, &day("2026-06-01")).unwrap();
        assert_eq!(v.period.look_back_from, "2026-05-31T00:00");
    }

    #[test]
    fn the_dose_warnings_are_validations_findings_at_the_days_doses() {
        let r = record(&[
            ("2026-02-01", "22:00:00"),
            ("2026-02-02", "00:30:00"),
            ("2026-02-02", "03:00:00"),
            ("2026-02-03", "01:00:00"),
        ]);
        let v = mar(&r, &day("2026-02-02")).unwrap();
        let report = crate::validate_record(&r, &ValidationOptions::default());
        let from_report: Vec<_> = report
            .issues
            .iter()
            .filter(|i| i.code == IssueCode::DoseWithinMinimumInterval)
            .map(|i| (i.path.clone(), i.message.clone(), i.context.clone()))
            .collect();
        // validation finds two: 00:30 and 03:00 (the next day's 01:00 is 22 hours on)
        assert_eq!(from_report.len(), 2);
        let from_view: Vec<_> = v
            .warnings
            .iter()
            .map(|w| {
                (
                    w.dose.clone().unwrap(),
                    w.message.clone(),
                    w.context.clone(),
                )
            })
            .collect();
        assert_eq!(from_view, from_report);
        assert_eq!(v.validation, report);
        // the dose of the night before, which the first warning points to, is listed
        assert_eq!(v.earlier_doses.len(), 1);
        assert_eq!(v.earlier_doses[0].pointer, "/medication_administration/0");
        // the person themself gave the doses
        assert_eq!(
            v.doses[0].given_by.as_ref().unwrap().role,
            "The person themself"
        );
    }

    #[test]
    fn warning_codes_are_unique_and_read_back() {
        let mut seen = std::collections::HashSet::new();
        for c in MarWarningCode::ALL {
            assert!(seen.insert(c.as_str()));
            let j = serde_json::to_value(c).unwrap();
            assert_eq!(serde_json::from_value::<MarWarningCode>(j).unwrap(), *c);
        }
        assert!(serde_json::from_value::<MarWarningCode>(json!("nope")).is_err());
    }

    #[test]
    fn a_document_that_is_not_a_record_is_refused_never_a_panic() {
        for doc in [
            json!([]),
            json!("x"),
            json!({"mods_version": 1}),
            json!(null),
        ] {
            assert!(matches!(
                mar(&doc, &day("2026-01-01")),
                Err(MarError::Version(_))
            ));
        }
        let mut backwards = day("2026-01-02");
        backwards.to = crate::checks::parse_date("2026-01-01").unwrap();
        assert_eq!(mar(&record(&[]), &backwards).unwrap_err(), MarError::Period);
        assert!(matches!(
            mar_json(b"{", &day("2026-01-01")),
            Err(MarError::Input(_))
        ));
    }
}

//! Day against day (use case 1): one day's (or period's) daily care notes against
//! another's, in MODS terms, so a temporary worker sees what is usual and what changed.
//!
//! The notes are the record's `daily_care_note` instances (the Daily care note class, an
//! extension of the model that inherits Event). Each side is the notes whose full `date`
//! falls in its day or period, from the record, or for the other side from a second
//! document when one is given. The comparison is driven by the model: every element of the
//! class (its own and the inherited `care_actor` and `location`; not the uid, version,
//! subject, date, time or period, which place a note) is compared per period of the day
//! (`period_covered`), with the value on each side and a [`Verdict`]:
//!
//! - Text: both sides' text, `same` only when the texts (trimmed) are the same set;
//!   meaning is not compared.
//! - Number (`fluid_intake`): the usual value of each side (the mean per day over the
//!   days that have a value; a day's value is the sum of its notes) and their difference.
//! - Coded (`mood`): the usual code of each side (the most common; every tied code when
//!   several are as common), compared.
//! - References (`care_actor`, `location`, `medication_administrations`): resolved to who
//!   or what they name; a reference that does not resolve is listed in
//!   [`DayComparison::unresolved`], never dropped. Doses compare by the medicines given.
//!
//! Beside the periods: fluid intake totals per day ([`FluidComparison`]), the usual mood
//! ([`MoodComparison`]), who helped ([`HelperComparison`]: the notes' care actors and the
//! doses' givers) and the medicines taken on each side ([`MedicineComparison`]: doses given
//! or self-administered, from the Medication administration records the notes reference
//! and those dated on the side's days). Notes whose date is missing or partial cannot be
//! placed on a day and are listed in [`DayComparison::skipped_notes`]. Each document's
//! validation report is included; an invalid record is still compared.
//!
//! The rules and the decisions are in `docs/flows/days.md`.

mod doc;
mod elements;
mod medicines;
mod span;
mod summary;

pub use doc::{Document, Unresolved};
pub use elements::{ElementComparison, ElementKind, Entry, PeriodComparison, Usual};
pub use medicines::{Administration, MedicineComparison, MedicineSide};
pub use span::{DaySpan, SpanError};
pub use summary::{
    DayTotal, FluidComparison, FluidSide, Helper, HelperComparison, MoodComparison, MoodCount,
    MoodSide,
};

use crate::issue::Report;
use crate::model::{self, ClassDef, Model};
use crate::validate::{validate_record, ValidationOptions};
use chrono::NaiveDate;
use doc::Doc;
use serde::Serialize;
use serde_json::Value;

/// The class whose instances are compared.
pub const DAILY_CARE_NOTE: &str = "daily_care_note";

/// How two sides compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The same on both sides.
    Same,
    /// On both sides, different.
    Changed,
    /// Only on the day's side (absent from the other).
    OnlyDay,
    /// Only on the other side (absent from the day's).
    OnlyAgainst,
}

impl Verdict {
    /// `same`, `changed`, `only_day` or `only_against`.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Same => "same",
            Verdict::Changed => "changed",
            Verdict::OnlyDay => "only_day",
            Verdict::OnlyAgainst => "only_against",
        }
    }

    /// From whether each side has something, and (when both do) whether they agree.
    pub(crate) fn of(day: bool, against: bool, agree: impl FnOnce() -> bool) -> Option<Verdict> {
        match (day, against) {
            (false, false) => None,
            (true, false) => Some(Verdict::OnlyDay),
            (false, true) => Some(Verdict::OnlyAgainst),
            (true, true) if agree() => Some(Verdict::Same),
            (true, true) => Some(Verdict::Changed),
        }
    }
}

/// Why two sides could not be compared. Messages never hold the person's data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CompareError {
    /// A document that is not a JSON object.
    #[error("the {0} is not a record document (a JSON object)")]
    NotARecord(&'static str),
    /// A document without `mods_version`, or of a version this library does not support.
    #[error("the {0} has no supported mods_version (supported: {1})")]
    Version(&'static str, String),
    /// A MODS version whose model has no Daily care note class.
    #[error("the {0} is of MODS {1}, which has no Daily care note class; migrate it first")]
    NoDailyCareNote(&'static str, String),
    /// Two documents about different people (their NHS numbers differ).
    #[error("the two records are about different people (their NHS numbers differ)")]
    DifferentPeople,
}

/// One side of the comparison: its days and the notes found on them.
#[derive(Debug, Clone, Serialize)]
pub struct SideSummary {
    /// The day or period, as given (`2026-02-03` or `2026-01-30..2026-02-01`).
    pub span: DaySpan,
    /// How many calendar days it covers.
    pub days: u32,
    /// The document its notes come from.
    pub document: Document,
    /// The `record_uid` of each note on the side (its JSON pointer when it has none), in
    /// date, period and time order.
    pub notes: Vec<String>,
    /// The days that have at least one note.
    pub dates_with_notes: Vec<String>,
}

/// Why a note could not be placed on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// The note is not a JSON object.
    NotAnObject,
    /// The note has no `date`.
    NoDate,
    /// The date is not a full `YYYY-MM-DD` (a partial date, or not a date).
    NotAFullDate,
}

/// A daily care note that is on no side because it cannot be placed on a day.
#[derive(Debug, Clone, Serialize)]
pub struct SkippedNote {
    /// The document it is in.
    pub document: Document,
    /// Its JSON pointer.
    pub pointer: String,
    /// Its `record_uid`, when it has one.
    pub record_uid: Option<String>,
    /// Why.
    pub reason: SkipReason,
}

/// The validation reports of the documents compared.
#[derive(Debug, Clone, Serialize)]
pub struct Validation {
    /// The record's.
    pub record: Report,
    /// The second document's, when one was given.
    pub against_record: Option<Report>,
}

/// The result of [`compare_days`].
#[derive(Debug, Clone, Serialize)]
pub struct DayComparison {
    /// The record's MODS version.
    pub mods_version: String,
    /// The day (or period) looked at.
    pub day: SideSummary,
    /// The day (or period) it is compared with.
    pub against: SideSummary,
    /// Per period of the day, each element found on either side, compared.
    pub periods: Vec<PeriodComparison>,
    /// Fluid intake: totals per day and the usual day on each side.
    pub fluid_intake: FluidComparison,
    /// Mood: the codes on each side and the usual one.
    pub mood: MoodComparison,
    /// Medicines taken on each side, and those taken on one side only.
    pub medicines: Vec<MedicineComparison>,
    /// Who helped on each side.
    pub helpers: HelperComparison,
    /// References that do not resolve.
    pub unresolved: Vec<Unresolved>,
    /// Notes that cannot be placed on a day.
    pub skipped_notes: Vec<SkippedNote>,
    /// The documents' validation reports.
    pub validation: Validation,
}

impl DayComparison {
    /// Whether the reader should be told something beyond the comparison: a side without
    /// notes, a reference that does not resolve, a note that cannot be placed, or a
    /// document with validation errors.
    pub fn needs_attention(&self) -> bool {
        self.day.notes.is_empty()
            || self.against.notes.is_empty()
            || !self.unresolved.is_empty()
            || !self.skipped_notes.is_empty()
            || !self.validation.record.valid
            || self
                .validation
                .against_record
                .as_ref()
                .is_some_and(|r| !r.valid)
    }
}

/// A daily care note placed on a day.
pub(crate) struct Note<'a> {
    pub uid: Option<&'a str>,
    pub pointer: String,
    pub date: NaiveDate,
    pub time: Option<&'a str>,
    pub period: Option<&'a str>,
    pub value: &'a Value,
}

impl Note<'_> {
    /// The note's name in a list: its uid, or its pointer.
    pub fn name(&self) -> String {
        self.uid.map_or_else(|| self.pointer.clone(), str::to_owned)
    }

    /// The note's date as text.
    pub fn date_text(&self) -> String {
        span::date_text(self.date)
    }
}

/// One side: its document, days and notes.
pub(crate) struct Side<'d, 'a> {
    pub doc: &'d Doc<'a>,
    pub span: DaySpan,
    pub notes: Vec<&'d Note<'a>>,
}

/// The model of a document, or why it has none to compare with.
fn model_of(
    root: &serde_json::Map<String, Value>,
    what: &'static str,
) -> Result<(&'static Model, &'static ClassDef), CompareError> {
    let version = root
        .get("mods_version")
        .and_then(Value::as_str)
        .ok_or_else(|| CompareError::Version(what, model::supported_versions()))?;
    let m = model::model(version)
        .ok_or_else(|| CompareError::Version(what, model::supported_versions()))?;
    let class = m
        .class(DAILY_CARE_NOTE)
        .ok_or_else(|| CompareError::NoDailyCareNote(what, m.mods_version.to_owned()))?;
    Ok((m, class))
}

fn nhs_number(root: &serde_json::Map<String, Value>) -> Option<&str> {
    root.get("subject_of_care")?.get("nhs_number")?.as_str()
}

/// Every note of a document that has a full date; the others go to `skipped`.
fn placed<'a>(doc: &Doc<'a>, skipped: &mut Vec<SkippedNote>) -> Vec<Note<'a>> {
    let mut out = Vec::new();
    for (pointer, v) in doc.collection(DAILY_CARE_NOTE) {
        let uid = v.get("record_uid").and_then(Value::as_str);
        let reason = match v.get("date") {
            _ if !v.is_object() => SkipReason::NotAnObject,
            None | Some(Value::Null) => SkipReason::NoDate,
            Some(d) => match d.as_str().and_then(span::full_date) {
                Some(date) => {
                    out.push(Note {
                        uid,
                        pointer,
                        date,
                        time: v.get("time").and_then(Value::as_str),
                        period: v
                            .get("period_covered")
                            .and_then(|p| p.get("code"))
                            .and_then(Value::as_str),
                        value: v,
                    });
                    continue;
                }
                None => SkipReason::NotAFullDate,
            },
        };
        skipped.push(SkippedNote {
            document: doc.document,
            pointer,
            record_uid: uid.map(str::to_owned),
            reason,
        });
    }
    out
}

/// The notes of `all` on the span, in date, period and time order.
fn on_span<'d, 'a>(
    all: &'d [Note<'a>],
    span: &DaySpan,
    period_rank: &impl Fn(Option<&str>) -> (usize, String),
) -> Vec<&'d Note<'a>> {
    let mut notes: Vec<&Note<'a>> = all.iter().filter(|n| span.contains(n.date)).collect();
    notes.sort_by(|a, b| {
        (a.date, period_rank(a.period), a.time).cmp(&(b.date, period_rank(b.period), b.time))
    });
    notes
}

fn summary(side: &Side<'_, '_>) -> SideSummary {
    let mut dates: Vec<String> = side.notes.iter().map(|n| n.date_text()).collect();
    dates.dedup();
    SideSummary {
        span: side.span,
        days: side.span.days(),
        document: side.doc.document,
        notes: side.notes.iter().map(|n| n.name()).collect(),
        dates_with_notes: dates,
    }
}

/// Compare the daily care notes of `day` with those of `against`, both from `record`, or
/// the other side from `against_record` when it is given (the same person's notes from
/// another document, e.g. an earlier extract).
///
/// Errors: a document that is not a record object, has no supported `mods_version`, or is
/// of a MODS version without the Daily care note class; two documents whose subjects'
/// NHS numbers differ. Anything else (invalid values, references that do not resolve,
/// notes without a full date) is reported in the result.
pub fn compare_days(
    record: &Value,
    against_record: Option<&Value>,
    day: &DaySpan,
    against: &DaySpan,
) -> Result<DayComparison, CompareError> {
    let root = record
        .as_object()
        .ok_or(CompareError::NotARecord("record"))?;
    let (model, class) = model_of(root, "record")?;
    let other_root = match against_record {
        Some(r) => {
            let o = r
                .as_object()
                .ok_or(CompareError::NotARecord("against record"))?;
            model_of(o, "against record")?;
            if let (Some(a), Some(b)) = (nhs_number(root), nhs_number(o)) {
                let digits = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
                if digits(a) != digits(b) {
                    return Err(CompareError::DifferentPeople);
                }
            }
            Some(o)
        }
        None => None,
    };
    let doc = Doc::new(Document::Record, root);
    let other = other_root.map(|o| Doc::new(Document::AgainstRecord, o));
    let mut skipped = Vec::new();
    let notes = placed(&doc, &mut skipped);
    let other_notes = other.as_ref().map(|d| placed(d, &mut skipped));
    let rank = elements::period_rank(model, class);
    let day_side = Side {
        doc: &doc,
        span: *day,
        notes: on_span(&notes, day, &rank),
    };
    let against_side = match (&other, &other_notes) {
        (Some(d), Some(n)) => Side {
            doc: d,
            span: *against,
            notes: on_span(n, against, &rank),
        },
        _ => Side {
            doc: &doc,
            span: *against,
            notes: on_span(&notes, against, &rank),
        },
    };
    let mut unresolved = Vec::new();
    let periods = elements::compare(model, class, &day_side, &against_side, &mut unresolved);
    let medicines = medicines::compare(&day_side, &against_side, &mut unresolved);
    let helpers = summary::helpers(&day_side, &against_side, &mut unresolved);
    // Document order: by document, then by pointer with array indexes as numbers.
    unresolved.sort_by_cached_key(|u| {
        let segments: Vec<(u64, String)> = u
            .pointer
            .split('/')
            .map(|s| (s.parse().unwrap_or(u64::MAX), s.to_owned()))
            .collect();
        (u.document == Document::AgainstRecord, segments)
    });
    let opts = ValidationOptions::default();
    Ok(DayComparison {
        mods_version: model.mods_version.to_owned(),
        day: summary(&day_side),
        against: summary(&against_side),
        periods,
        fluid_intake: summary::fluid(&day_side, &against_side),
        mood: summary::mood(model, class, &day_side, &against_side),
        medicines,
        helpers,
        unresolved,
        skipped_notes: skipped,
        validation: Validation {
            record: validate_record(record, &opts),
            against_record: against_record.map(|r| validate_record(r, &opts)),
        },
    })
}

/// The classes a care actor reference accepts (Event's `care_actor`).
pub(crate) fn care_actor_classes() -> &'static [&'static str] {
    let el = model::latest()
        .class(DAILY_CARE_NOTE)
        .and_then(|c| c.element("care_actor"));
    match el.map(|e| &e.lookup) {
        Some(crate::model::Lookup::Reference { accepts, .. }) => accepts,
        _ => &[],
    }
}

/// A number as JSON: whole numbers without a fraction (`1150`, not `1150.0`).
pub(crate) fn num(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 9.0e15 {
        Value::from(x as i64)
    } else {
        serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
    }
}

#[cfg(test)]
mod tests;

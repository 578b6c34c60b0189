//! Discharge information merged into the care plan (use case 4: James comes home from
//! hospital needing extra support for a few weeks, with changed medicines and follow-up).
//!
//! [`merge_discharge`] takes a person's record and the Discharge details to merge (a
//! Discharge details instance, or a record document holding them with the Medication,
//! Document and other records the discharge brought), and returns the record with:
//!
//! - the **records the discharge brought** added (the Discharge details among them);
//! - the **extra support** (`extra_support_needed`, from `extra_support_start_date` to
//!   `extra_support_end_date`) as a Need and a Service for that period, both named in the
//!   active Care plan's `needs_addressed` and `services`;
//! - the **medication changes** and each **follow-up need** as planned activities of the
//!   Care plan, and its `review_date` brought forward when `care_plan_review_needed` (to
//!   the end of the extra support, else the discharge day; never put back);
//! - an **Alert** for the team while the extra support lasts, saying what changed;
//! - for every instance created or changed, `version_number` + 1 and a Change log entry
//!   (from [`crate::history`]) whose description names the Discharge details it came from:
//!   `(discharge details <record_uid>)`.
//!
//! **Conflicts.** What changed at home after the admission is never overwritten. An
//! element the merge would replace is in conflict when it changed after the admission:
//! three-way against a base record (the record as it was at admission) when one is given,
//! else from the Change log (an entry for the instance dated after the admission that is
//! not this discharge's merge). Adding an item to a list (a need to `needs_addressed`, a
//! planned activity) overwrites nothing and is not a conflict, unless an earlier merge of
//! this discharge added it and it has been removed at home since. Every conflict is
//! reported ([`Conflict`]) and the home value kept.
//!
//! Merging the same discharge twice changes nothing the second time: the instances the
//! merge creates have uids derived from the Discharge details' (`<uid>-need`,
//! `<uid>-service`, `<uid>-alert`).
//!
//! The merge reads MODS only: a FHIR discharge Bundle is read first by `mods-fhir`
//! (`mods_api::merge_discharge` does both).

mod apply;
mod derive;

use crate::history::HistoryError;
use crate::issue::Report;
use crate::model::{self, ClassKind};
use crate::{checks, ValidationOptions};
use serde::Serialize;
use serde_json::{Map, Value};

/// Who commits the merge, when, and what the report shows.
#[derive(Debug, Clone, PartialEq, Eq)]
///
/// New options may be added in any release: build the struct with `new` and its
/// `with_*` methods (see docs/releasing.md).
#[non_exhaustive]
pub struct DischargeOptions {
    /// When the merge is committed (RFC 3339 with an offset): the Change log entries' date.
    pub date_time: String,
    /// `record_uid` of the care actor who commits the merge (the Change log committer).
    pub committer: String,
    /// The system the merge is committed in (the Change log system identifier).
    pub system_identifier: String,
    /// The Discharge details to merge, by `record_uid`, when the discharge document holds
    /// several; without it, the latest by discharge date and time.
    pub discharge_uid: Option<String>,
    /// Put the home and discharge values in each conflict (they hold the person's data).
    pub include_values: bool,
}

impl DischargeOptions {
    /// A merge committed at `date_time` by `committer` in `system_identifier`, of the latest
    /// Discharge details, without values in the report; the `with_*` methods set the rest.
    pub fn new(
        date_time: impl Into<String>,
        committer: impl Into<String>,
        system_identifier: impl Into<String>,
    ) -> Self {
        DischargeOptions {
            date_time: date_time.into(),
            committer: committer.into(),
            system_identifier: system_identifier.into(),
            discharge_uid: None,
            include_values: false,
        }
    }
}

crate::__option_setters!(DischargeOptions {
    with_discharge_uid(discharge_uid: Option<String>);
    with_include_values(include_values: bool);
});

/// What the merge did to one instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// The instance was added (a Change log creation entry).
    Created,
    /// The instance has a new version (a Change log modification entry).
    Updated,
}

/// One instance the merge created or changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MergeChange {
    /// Created or updated.
    pub action: Action,
    /// Class technical name.
    pub class: String,
    /// The instance's `record_uid`.
    pub record_uid: String,
    /// Its `version_number` after the merge.
    pub version_number: u64,
    /// JSON pointer of the instance in the merged record.
    pub path: String,
    /// For an update, the elements changed (technical names, in the class's order).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub elements: Vec<String>,
    /// JSON pointer of the Change log entry the merge wrote for it.
    pub change_log: String,
    /// That entry's description (class and element names and the Discharge details'
    /// uid, never the person's data).
    pub description: String,
}

/// Why a change of the discharge was not made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConflictReason {
    /// The element changed at home after the admission; the merge would replace it.
    ChangedAtHome,
    /// An earlier merge of this discharge added it, and it has been removed at home since.
    RemovedAtHome,
    /// A record the discharge brings has the uid of a record of the record, with other
    /// content (or of another class).
    RecordDiffers,
}

/// A change of the discharge that was not made: the home value is kept.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Conflict {
    /// Why.
    pub reason: ConflictReason,
    /// Class technical name.
    pub class: String,
    /// The instance's `record_uid`.
    pub record_uid: String,
    /// The element, when the conflict is about one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub element: Option<String>,
    /// JSON pointer, in the merged record, of the instance or element kept (or of the
    /// collection, for something not re-added).
    pub path: String,
    /// What happened, without the person's data.
    pub message: String,
    /// The value kept (at home), only when values were asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub home: Option<Value>,
    /// The value the discharge would have given, only when values were asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub discharge: Option<Value>,
}

/// Something the caller should know that is not a conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NoteKind {
    /// The Discharge details name no admission of the record: changes at home are looked
    /// for after the discharge instead, so changes made during the stay are not seen.
    AdmissionNotFound,
    /// The record has no active Care plan for the person: the need, service and alert are
    /// added, but no care plan names them.
    NoCarePlan,
    /// The person has several active care plans: the one that started last is changed.
    SeveralCarePlans,
    /// An instance the merge changes has no Change log and no base was given: whether it
    /// changed at home after the admission cannot be told.
    HistoryUnknown,
    /// The extra support has no start or no end date: the need and service have no period.
    ExtraSupportUndated,
    /// The Discharge details hold nothing to merge into the care plan.
    NothingToMerge,
    /// A record the discharge brings has no valid `record_uid`, or a `version_number` that
    /// is not a whole number: it is not added. (One without a `version_number` is added as
    /// version 1.)
    BroughtNotVersioned,
}

/// A note of the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Note {
    /// What kind of note.
    pub kind: NoteKind,
    /// JSON pointer it is about (in the merged record), when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The note, without the person's data.
    pub message: String,
}

/// The report of a discharge merge.
#[derive(Debug, Clone, Serialize)]
pub struct DischargeReport {
    /// The Discharge details merged.
    pub discharge_uid: String,
    /// The admission they close, when the record has it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub admission_uid: Option<String>,
    /// Whether a base record was compared with (three-way).
    pub three_way: bool,
    /// Every instance created or changed, in the order the merge made them.
    pub changes: Vec<MergeChange>,
    /// Every change not made because the home changed it: the home value is kept.
    pub conflicts: Vec<Conflict>,
    /// Notes.
    pub notes: Vec<Note>,
    /// Validation of the merged record.
    pub validation: Report,
}

impl DischargeReport {
    /// Whether someone must look: a conflict, or a merged record that does not validate.
    pub fn needs_attention(&self) -> bool {
        !self.conflicts.is_empty() || !self.validation.valid
    }
}

/// The merged record and its report.
#[derive(Debug, Clone)]
pub struct MergedDischarge {
    /// The record with the discharge merged.
    pub record: Value,
    /// What the merge did.
    pub report: DischargeReport,
}

/// Why nothing could be merged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DischargeError {
    /// The record (or the base) is not a record document of the current MODS version with
    /// a subject of care.
    #[error("the {0} is not a MODS {1} record document with a subject of care (migrate it first: `mods migrate`)")]
    NotARecord(&'static str, &'static str),
    /// The discharge is neither a Discharge details instance nor a record document.
    #[error(
        "the discharge is neither a Discharge details instance nor a MODS {0} record document"
    )]
    NotADischarge(&'static str),
    /// The discharge document holds no Discharge details (or not the one named).
    #[error("the discharge document holds no Discharge details{0}")]
    NoDischarge(&'static str),
    /// The Discharge details lack a record uid or a valid discharge date and time.
    #[error("the Discharge details have no valid record_uid or discharge_date_and_time")]
    BadDischarge,
    /// The Discharge details (or the base record) are about someone else.
    #[error("the {0} is about another person: its subject of care is not the record's")]
    OtherPerson(&'static str),
    /// The committer or the date and time cannot go in a Change log entry.
    #[error("{0}")]
    BadMeta(&'static str),
    /// A Change log entry could not be made (a bug, or an instance without a valid uid).
    #[error(transparent)]
    History(#[from] HistoryError),
}

/// Merge discharge information into the record's care plan. See the module documentation.
///
/// `discharge` is a Discharge details instance or a record document holding them (and the
/// records the discharge brought); `base` is the record as it was at admission, for a
/// three-way comparison.
pub fn merge_discharge(
    record: &Value,
    discharge: &Value,
    base: Option<&Value>,
    opts: &DischargeOptions,
) -> Result<MergedDischarge, DischargeError> {
    let m = model::latest();
    let rec = record_document(record, "record")?;
    let soc = soc_uid(rec).ok_or(DischargeError::NotARecord("record", m.mods_version))?;
    if checks::parse_date_time(&opts.date_time).is_none() {
        return Err(DischargeError::BadMeta(
            "the date and time of the merge is not an RFC 3339 date and time with an offset",
        ));
    }
    if !checks::is_uid(&opts.committer) {
        return Err(DischargeError::BadMeta(
            "the committer is not the record_uid of a care actor",
        ));
    }
    if checks::is_blank(&opts.system_identifier) {
        return Err(DischargeError::BadMeta("the system identifier is empty"));
    }
    let base = match base {
        Some(b) => {
            let b = record_document(b, "base record")?;
            if soc_uid(b) != Some(soc) {
                return Err(DischargeError::OtherPerson("base record"));
            }
            Some(b)
        }
        None => None,
    };
    let (dis, brought) = read_discharge(discharge, opts.discharge_uid.as_deref())?;
    if dis.get("subject_of_care").and_then(Value::as_str) != Some(soc) {
        return Err(DischargeError::OtherPerson("discharge"));
    }
    let dis_uid = dis
        .get("record_uid")
        .and_then(Value::as_str)
        .filter(|u| checks::is_uid(u))
        .ok_or(DischargeError::BadDischarge)?
        .to_owned();
    let discharged = dis
        .get("discharge_date_and_time")
        .and_then(Value::as_str)
        .and_then(checks::parse_date_time)
        .ok_or(DischargeError::BadDischarge)?;
    if let Some(d) = brought.get("subject_of_care").and_then(Value::as_object) {
        if d.get("record_uid").and_then(Value::as_str) != Some(soc) {
            return Err(DischargeError::OtherPerson("discharge document"));
        }
    }
    let mut merge = apply::Merge::new(rec.clone(), base, soc.to_owned(), dis_uid, discharged, opts);
    merge.bring(&dis, &brought)?;
    let plan = derive::plan(&merge, &dis, &brought);
    merge.apply(plan)?;
    let record = Value::Object(merge.record);
    let validation = crate::validate_record(&record, &ValidationOptions::default());
    Ok(MergedDischarge {
        record,
        report: DischargeReport {
            discharge_uid: merge.dis_uid,
            admission_uid: merge.admission_uid,
            three_way: merge.base.is_some(),
            changes: merge.changes,
            conflicts: merge.conflicts,
            notes: merge.notes,
            validation,
        },
    })
}

fn record_document<'v>(
    v: &'v Value,
    which: &'static str,
) -> Result<&'v Map<String, Value>, DischargeError> {
    let m = model::latest();
    v.as_object()
        .filter(|o| o.get("mods_version").and_then(Value::as_str) == Some(m.mods_version))
        .filter(|o| soc_uid(o).is_some())
        .ok_or(DischargeError::NotARecord(which, m.mods_version))
}

fn soc_uid(rec: &Map<String, Value>) -> Option<&str> {
    rec.get("subject_of_care")?
        .get("record_uid")?
        .as_str()
        .filter(|u| checks::is_uid(u))
}

/// The Discharge details to merge, and the document they came in (empty for an instance).
type Discharge = (Map<String, Value>, Map<String, Value>);

/// The Discharge details to merge and the document they came in.
fn read_discharge(v: &Value, wanted: Option<&str>) -> Result<Discharge, DischargeError> {
    let m = model::latest();
    let obj = v
        .as_object()
        .ok_or(DischargeError::NotADischarge(m.mods_version))?;
    let Some(version) = obj.get("mods_version") else {
        // one Discharge details instance
        if !obj.contains_key("discharge_date_and_time") {
            return Err(DischargeError::NotADischarge(m.mods_version));
        }
        if wanted.is_some_and(|w| obj.get("record_uid").and_then(Value::as_str) != Some(w)) {
            return Err(DischargeError::NoDischarge(" with that record_uid"));
        }
        return Ok((obj.clone(), Map::new()));
    };
    if version.as_str() != Some(m.mods_version) {
        return Err(DischargeError::NotADischarge(m.mods_version));
    }
    let all: Vec<&Map<String, Value>> = obj
        .get("discharge_details")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .collect();
    let chosen = match wanted {
        Some(w) => all
            .into_iter()
            .find(|d| d.get("record_uid").and_then(Value::as_str) == Some(w))
            .ok_or(DischargeError::NoDischarge(" with that record_uid"))?,
        None => all
            .into_iter()
            .max_by_key(|d| {
                d.get("discharge_date_and_time")
                    .and_then(Value::as_str)
                    .and_then(checks::parse_date_time)
            })
            .ok_or(DischargeError::NoDischarge(""))?,
    };
    Ok((chosen.clone(), obj.clone()))
}

/// The versioned record classes whose instances a merge may bring (every record class but
/// the subject of care and the Change log), in the model's order.
fn brought_classes() -> impl Iterator<Item = &'static str> {
    model::latest()
        .classes
        .iter()
        .filter(|c| c.kind == ClassKind::Record && c.versioned)
        .map(|c| c.technical_name)
        .filter(|c| *c != "subject_of_care")
}

#[cfg(test)]
mod tests;

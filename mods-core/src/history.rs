//! Record history: new versions of an instance, the Change log entries that describe them,
//! and the difference between two versions of a record (or one person's record on two days).
//!
//! - [`update_instance`] gives an updated instance its next `version_number` and produces the
//!   published Change log entry (date-time, change type, system identifier, committer,
//!   record uid, record version, description) from the difference between the two versions.
//! - [`diff_records`] compares two record documents in MODS terms (class, instance uid,
//!   element, before/after), with values hidden unless the caller asks for them.

use crate::checks;
use crate::issue::{Issue, IssueCode, Severity};
use crate::model::{self, ClassDef, ClassKind, Model};
use serde::Serialize;
use serde_json::{json, Map, Value};
use std::collections::{HashMap, VecDeque};

/// The openEHR audit change types (the embedded `audit_change_type` value set).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeType {
    /// A new record (249).
    Creation,
    /// A correction of an error in the previous version (250).
    Amendment,
    /// An update because circumstances changed (251).
    Modification,
    /// The record was deleted (523).
    Deleted,
    /// The record was signed off (666).
    Attestation,
}

impl ChangeType {
    /// The openEHR code.
    pub fn code(self) -> &'static str {
        match self {
            ChangeType::Creation => "249",
            ChangeType::Amendment => "250",
            ChangeType::Modification => "251",
            ChangeType::Deleted => "523",
            ChangeType::Attestation => "666",
        }
    }

    /// The openEHR display.
    pub fn display(self) -> &'static str {
        match self {
            ChangeType::Creation => "creation",
            ChangeType::Amendment => "amendment",
            ChangeType::Modification => "modification",
            ChangeType::Deleted => "deleted",
            ChangeType::Attestation => "attestation",
        }
    }
}

/// Who, where and when a change was committed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeMeta {
    /// When, as an RFC 3339 date-time with an offset.
    pub date_time: String,
    /// The system the change was committed in.
    pub system_identifier: String,
    /// `record_uid` of the care actor who committed it.
    pub committer: String,
    /// The change type; by default creation, modification or deleted, from the versions.
    pub change_type: Option<ChangeType>,
    /// A description; by default one naming the elements that changed (never their values).
    pub description: Option<String>,
}

/// A history operation that cannot be done.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HistoryError {
    /// The class is not a versioned record class of the current model.
    #[error("`{0}` is not a versioned record class of MODS {1}")]
    UnknownClass(String, &'static str),
    /// Neither a previous nor a current version was given.
    #[error("a change needs a previous version, a current version, or both")]
    NothingToLog,
    /// An instance is not an object, or lacks a valid record_uid or version_number.
    #[error("the {0} version is not an instance with a record_uid and a whole version_number")]
    NotAnInstance(&'static str),
    /// The two versions are of different records.
    #[error("the two versions have different record_uids")]
    DifferentRecords,
    /// The date-time is not RFC 3339 with an offset.
    #[error("the change's date_time is not an RFC 3339 date and time with an offset")]
    BadDateTime,
}

fn versioned_class(class: &str) -> Result<&'static ClassDef, HistoryError> {
    let m = model::latest();
    m.class(class)
        .filter(|c| c.kind == ClassKind::Record && c.versioned)
        .ok_or_else(|| HistoryError::UnknownClass(class.to_owned(), m.mods_version))
}

fn uid_and_version<'v>(v: &'v Value, which: &'static str) -> Result<(&'v str, u64), HistoryError> {
    let uid = v.get("record_uid").and_then(Value::as_str);
    let ver = v.get("version_number").and_then(Value::as_u64);
    match (uid, ver) {
        (Some(u), Some(n)) if checks::is_uid(u) => Ok((u, n)),
        _ => Err(HistoryError::NotAnInstance(which)),
    }
}

/// The names of the elements whose values differ between two instances (the Versioned
/// record elements excluded), in the class's element order.
pub fn changed_elements(class: &ClassDef, previous: &Value, current: &Value) -> Vec<&'static str> {
    let empty = Map::new();
    let a = previous.as_object().unwrap_or(&empty);
    let b = current.as_object().unwrap_or(&empty);
    class
        .elements
        .iter()
        .filter(|e| !matches!(e.technical_name, "record_uid" | "version_number"))
        .filter(|e| a.get(e.technical_name) != b.get(e.technical_name))
        .map(|e| e.name)
        .collect()
}

/// The Change log entry for a change to one instance of `class`: `previous` is `None` for a
/// creation, `current` is `None` for a deletion.
pub fn change_log_entry(
    class: &str,
    previous: Option<&Value>,
    current: Option<&Value>,
    meta: &ChangeMeta,
) -> Result<Value, HistoryError> {
    let cls = versioned_class(class)?;
    if checks::parse_date_time(&meta.date_time).is_none() {
        return Err(HistoryError::BadDateTime);
    }
    let prev = previous
        .map(|p| uid_and_version(p, "previous"))
        .transpose()?;
    let cur = current.map(|c| uid_and_version(c, "current")).transpose()?;
    let (uid, version, default_type) = match (prev, cur) {
        (None, None) => return Err(HistoryError::NothingToLog),
        (Some((u, v)), None) => (u, v, ChangeType::Deleted),
        (None, Some((u, v))) => (u, v, ChangeType::Creation),
        (Some((pu, _)), Some((cu, cv))) => {
            if pu != cu {
                return Err(HistoryError::DifferentRecords);
            }
            (cu, cv, ChangeType::Modification)
        }
    };
    let change_type = meta.change_type.unwrap_or(default_type);
    let description = meta
        .description
        .clone()
        .unwrap_or_else(|| match (previous, current) {
            (Some(p), Some(c)) => {
                let names = changed_elements(cls, p, c);
                if names.is_empty() {
                    format!("{} saved with no change to its elements.", cls.name)
                } else {
                    format!("{} changed: {}.", cls.name, names.join(", "))
                }
            }
            (None, _) => format!("{} created.", cls.name),
            (_, None) => format!("{} deleted.", cls.name),
        });
    Ok(json!({
        "date": meta.date_time,
        "change_type": {
            "code": change_type.code(),
            "system": audit_system(),
            "display": change_type.display(),
        },
        "description": description,
        "system_identifier": meta.system_identifier,
        "committer": meta.committer,
        "record_uid": uid,
        "record_version": version,
    }))
}

fn audit_system() -> &'static str {
    model::latest()
        .value_set("audit_change_type")
        .and_then(|v| v.systems().next())
        .unwrap_or("https://specifications.openehr.org/fhir/codesystem-audit_change_type")
}

/// Record an update: `updated` (the new content of an existing instance) gets the next
/// `version_number` after `previous`'s, and the Change log entry describing the change is
/// returned with it.
pub fn update_instance(
    class: &str,
    previous: &Value,
    updated: &Value,
    meta: &ChangeMeta,
) -> Result<(Value, Value), HistoryError> {
    versioned_class(class)?;
    let (uid, version) = uid_and_version(previous, "previous")?;
    let mut next = updated.clone();
    let obj = next
        .as_object_mut()
        .ok_or(HistoryError::NotAnInstance("updated"))?;
    match obj.get("record_uid").and_then(Value::as_str) {
        Some(u) if u != uid => return Err(HistoryError::DifferentRecords),
        Some(_) => {}
        None => {
            obj.insert("record_uid".into(), uid.into());
        }
    }
    obj.insert("version_number".into(), (version + 1).into());
    let entry = change_log_entry(class, Some(previous), Some(&next), meta)?;
    Ok((next, entry))
}

/// What happened to an instance between two versions of a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordChangeKind {
    /// The instance is new.
    Added,
    /// The instance is gone.
    Removed,
    /// An element of the instance changed.
    Changed,
}

/// One difference between two versions of a record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecordChange {
    /// Added, removed or changed.
    pub kind: RecordChangeKind,
    /// Class technical name.
    pub class: String,
    /// Class name as MODS gives it.
    pub class_name: String,
    /// The instance's `record_uid`, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record_uid: Option<String>,
    /// JSON pointer: in the newer record, or in the older for a removal.
    pub path: String,
    /// Element technical name, for a change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub element: Option<String>,
    /// Element name as MODS gives it, for a change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub element_name: Option<String>,
    /// The value before, only when values were asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before: Option<Value>,
    /// The value after, only when values were asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<Value>,
}

/// Options for [`diff_records`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
///
/// New options may be added in any release: build the struct with `default()` and its
/// `with_*` methods (see docs/releasing.md).
#[non_exhaustive]
pub struct DiffOptions {
    /// Show values before and after (they hold the person's data).
    pub include_values: bool,
    /// Include Audit information (Change log entries), which by default is left out: it is
    /// the trail of the changes, not the care record itself.
    pub include_audit: bool,
}

crate::__option_setters!(DiffOptions {
    with_include_values(include_values: bool);
    with_include_audit(include_audit: bool);
});

/// The differences between two versions of a record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecordDiff {
    /// The MODS version of both records.
    pub mods_version: String,
    /// Every difference, in document order.
    pub changes: Vec<RecordChange>,
    /// Problems with the records that affect how they are compared, in the validator's
    /// terms: a `record_uid` used by two instances of one record (`duplicate-record-uid`,
    /// the path pointing at the second use, `context.record` saying `old` or `new`).
    /// Instances that share a uid are matched in document order, so such a record
    /// compared with itself still shows no change.
    pub issues: Vec<Issue>,
}

/// Why two records cannot be compared.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DiffError {
    /// A record is not an object with a supported `mods_version`.
    #[error("the {0} record is not a record document of a supported MODS version")]
    NotARecord(&'static str),
    /// The records are of different MODS versions.
    #[error("the records are of MODS {0} and {1}; migrate one first (`mods migrate`)")]
    VersionMismatch(String, String),
}

fn model_of(doc: &Value, which: &'static str) -> Result<&'static Model, DiffError> {
    doc.as_object()
        .and_then(|o| o.get("mods_version"))
        .and_then(Value::as_str)
        .and_then(model::model)
        .ok_or(DiffError::NotARecord(which))
}

/// Compare two versions of one person's record.
///
/// Instances of a class are matched by `record_uid` (Change log entries, whose
/// `record_uid` names the record they audit, by content and position). Identical instances
/// always match, so `diff_records(a, a)` has no changes for any record `a`; a uid used
/// twice in a record is reported in [`RecordDiff::issues`] rather than as a change.
pub fn diff_records(old: &Value, new: &Value, opts: &DiffOptions) -> Result<RecordDiff, DiffError> {
    let (mo, mn) = (model_of(old, "older")?, model_of(new, "newer")?);
    if mo.mods_version != mn.mods_version {
        return Err(DiffError::VersionMismatch(
            mo.mods_version.into(),
            mn.mods_version.into(),
        ));
    }
    let empty = Map::new();
    let a = old.as_object().unwrap_or(&empty);
    let b = new.as_object().unwrap_or(&empty);
    let mut issues = duplicate_uids(mn, a, "old", opts);
    issues.extend(duplicate_uids(mn, b, "new", opts));
    let mut out = Vec::new();
    let mut keys: Vec<&String> = b.keys().collect();
    for k in a.keys() {
        if !b.contains_key(k) {
            keys.push(k);
        }
    }
    for key in keys {
        if key == "mods_version" {
            continue;
        }
        let cls = mn.class(key).filter(|c| c.kind == ClassKind::Record);
        if cls.is_some_and(|c| c.group == "Audit information") && !opts.include_audit {
            continue;
        }
        let (va, vb) = (a.get(key), b.get(key));
        let arrays = |v: Option<&Value>| v.is_none_or(Value::is_array);
        match cls {
            Some(c) if key == "subject_of_care" => {
                compare_instance(c, va, vb, &format!("/{}", seg(key)), opts, &mut out)
            }
            Some(c) if arrays(va) && arrays(vb) => {
                compare_collection(c, key, va, vb, opts, &mut out)
            }
            _ if va != vb => out.push(RecordChange {
                kind: RecordChangeKind::Changed,
                class: key.clone(),
                class_name: cls.map_or(key.as_str(), |c| c.name).to_owned(),
                record_uid: None,
                path: format!("/{}", seg(key)),
                element: None,
                element_name: None,
                before: opts.include_values.then(|| va.cloned()).flatten(),
                after: opts.include_values.then(|| vb.cloned()).flatten(),
            }),
            _ => {}
        }
    }
    Ok(RecordDiff {
        mods_version: mn.mods_version.into(),
        changes: out,
        issues,
    })
}

fn seg(key: &str) -> String {
    let mut s = String::new();
    crate::parse::escape_segment(key, &mut s);
    s
}

fn uid_of(v: &Value) -> Option<&str> {
    v.get("record_uid").and_then(Value::as_str)
}

/// Every second (third...) use of a `record_uid` among the versioned records of one
/// document, as the validator reports it.
fn duplicate_uids(
    m: &Model,
    doc: &Map<String, Value>,
    which: &str,
    opts: &DiffOptions,
) -> Vec<Issue> {
    let mut first: HashMap<&str, String> = HashMap::new();
    let mut out = Vec::new();
    for (key, value) in doc {
        let Some(c) = m
            .class(key)
            .filter(|c| c.kind == ClassKind::Record && c.versioned)
        else {
            continue;
        };
        let instances: Vec<(String, &Value)> = match value {
            Value::Array(items) if key != "subject_of_care" => items
                .iter()
                .enumerate()
                .map(|(i, v)| (format!("/{}/{i}", seg(key)), v))
                .collect(),
            Value::Object(_) if key == "subject_of_care" => vec![(format!("/{key}"), value)],
            _ => continue,
        };
        for (path, v) in instances {
            let Some(uid) = uid_of(v) else { continue };
            let here = format!("{path}/record_uid");
            match first.get(uid) {
                None => {
                    first.insert(uid, here);
                }
                Some(earlier) => {
                    let mut context = Map::new();
                    context.insert("class".into(), c.technical_name.into());
                    context.insert("record".into(), which.into());
                    context.insert("first".into(), earlier.clone().into());
                    if opts.include_values {
                        context.insert("value".into(), uid.into());
                    }
                    out.push(Issue {
                        code: IssueCode::DuplicateRecordUid,
                        severity: Severity::Error,
                        path: here,
                        message: format!(
                            "another record in the {which} record has the same record_uid; \
                             records that share one are matched in document order"
                        ),
                        context,
                    });
                }
            }
        }
    }
    out
}

/// Pair the instances of two versions of a collection: identical instances first, then
/// by `key` (the `record_uid`, in document order when several share one), then instances
/// without a key by position. Returns, for each new instance, its old partner.
fn pair(xs: &[Value], ys: &[Value], key: impl Fn(&Value) -> Option<&str>) -> Vec<Option<usize>> {
    let text = |v: &Value| serde_json::to_string(v).unwrap_or_default();
    let mut used = vec![false; xs.len()];
    let mut partner: Vec<Option<usize>> = vec![None; ys.len()];
    // identical instances: at the same position first, then anywhere (equal JSON text is
    // equal JSON: object keys are sorted)
    for (j, y) in ys.iter().enumerate() {
        if xs.get(j) == Some(y) {
            used[j] = true;
            partner[j] = Some(j);
        }
    }
    let mut same: HashMap<String, VecDeque<usize>> = HashMap::new();
    for (i, x) in xs.iter().enumerate() {
        if !used[i] {
            same.entry(text(x)).or_default().push_back(i);
        }
    }
    for (j, y) in ys.iter().enumerate() {
        if partner[j].is_none() {
            if let Some(i) = same.get_mut(&text(y)).and_then(VecDeque::pop_front) {
                used[i] = true;
                partner[j] = Some(i);
            }
        }
    }
    // the rest by key, in document order
    let mut by_key: HashMap<&str, VecDeque<usize>> = HashMap::new();
    for (i, x) in xs.iter().enumerate() {
        if let (false, Some(k)) = (used[i], key(x)) {
            by_key.entry(k).or_default().push_back(i);
        }
    }
    for (j, y) in ys.iter().enumerate() {
        if partner[j].is_some() {
            continue;
        }
        match key(y) {
            Some(k) => {
                if let Some(i) = by_key.get_mut(k).and_then(VecDeque::pop_front) {
                    used[i] = true;
                    partner[j] = Some(i);
                }
            }
            None => {
                if j < xs.len() && !used[j] && key(&xs[j]).is_none() {
                    used[j] = true;
                    partner[j] = Some(j);
                }
            }
        }
    }
    partner
}

fn compare_collection(
    c: &'static ClassDef,
    key: &str,
    va: Option<&Value>,
    vb: Option<&Value>,
    opts: &DiffOptions,
    out: &mut Vec<RecordChange>,
) {
    let none = Vec::new();
    let xs = va.and_then(Value::as_array).unwrap_or(&none);
    let ys = vb.and_then(Value::as_array).unwrap_or(&none);
    // a Change log entry's record_uid names the record it audits: not an identity
    let partner = pair(xs, ys, |v| if c.versioned { uid_of(v) } else { None });
    let mut matched = vec![false; xs.len()];
    let base = format!("/{}", seg(key));
    for (j, y) in ys.iter().enumerate() {
        let path = format!("{base}/{j}");
        match partner[j] {
            Some(i) => {
                matched[i] = true;
                compare_instance(c, xs.get(i), Some(y), &path, opts, out)
            }
            None => out.push(instance_change(c, RecordChangeKind::Added, y, path, opts)),
        }
    }
    for (i, x) in xs.iter().enumerate() {
        if !matched[i] {
            out.push(instance_change(
                c,
                RecordChangeKind::Removed,
                x,
                format!("{base}/{i}"),
                opts,
            ));
        }
    }
}

fn instance_change(
    c: &ClassDef,
    kind: RecordChangeKind,
    v: &Value,
    path: String,
    opts: &DiffOptions,
) -> RecordChange {
    RecordChange {
        kind,
        class: c.technical_name.into(),
        class_name: c.name.into(),
        record_uid: uid_of(v).map(str::to_owned),
        path,
        element: None,
        element_name: None,
        before: (opts.include_values && kind == RecordChangeKind::Removed).then(|| v.clone()),
        after: (opts.include_values && kind == RecordChangeKind::Added).then(|| v.clone()),
    }
}

fn compare_instance(
    c: &'static ClassDef,
    va: Option<&Value>,
    vb: Option<&Value>,
    path: &str,
    opts: &DiffOptions,
    out: &mut Vec<RecordChange>,
) {
    match (va, vb) {
        (None, Some(y)) => out.push(instance_change(
            c,
            RecordChangeKind::Added,
            y,
            path.into(),
            opts,
        )),
        (Some(x), None) => out.push(instance_change(
            c,
            RecordChangeKind::Removed,
            x,
            path.into(),
            opts,
        )),
        (Some(x), Some(y)) if x != y && !(x.is_object() && y.is_object()) => {
            // not instances at all (an invalid record): the whole value changed
            out.push(RecordChange {
                kind: RecordChangeKind::Changed,
                class: c.technical_name.into(),
                class_name: c.name.into(),
                record_uid: uid_of(y).or_else(|| uid_of(x)).map(str::to_owned),
                path: path.into(),
                element: None,
                element_name: None,
                before: opts.include_values.then(|| x.clone()),
                after: opts.include_values.then(|| y.clone()),
            })
        }
        (Some(x), Some(y)) if x != y => {
            let empty = Map::new();
            let a = x.as_object().unwrap_or(&empty);
            let b = y.as_object().unwrap_or(&empty);
            let mut keys: Vec<&String> = b.keys().collect();
            for k in a.keys() {
                if !b.contains_key(k) {
                    keys.push(k);
                }
            }
            for k in keys {
                let (ea, eb) = (a.get(k), b.get(k));
                if ea == eb {
                    continue;
                }
                let mut seg = String::new();
                crate::parse::escape_segment(k, &mut seg);
                out.push(RecordChange {
                    kind: RecordChangeKind::Changed,
                    class: c.technical_name.into(),
                    class_name: c.name.into(),
                    record_uid: uid_of(y).or_else(|| uid_of(x)).map(str::to_owned),
                    path: format!("{path}/{seg}"),
                    element: Some(k.clone()),
                    element_name: Some(c.element(k).map_or(k.as_str(), |e| e.name).to_owned()),
                    before: opts.include_values.then(|| ea.cloned()).flatten(),
                    after: opts.include_values.then(|| eb.cloned()).flatten(),
                });
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta() -> ChangeMeta {
        ChangeMeta {
            date_time: "2026-11-20T10:15:00Z".into(),
            system_identifier: "care-system-1".into(),
            committer: "cw-emily".into(),
            change_type: None,
            description: None,
        }
    }

    #[test]
    fn update_bumps_the_version_and_logs_the_change() {
        let old = json!({"record_uid": "al-1", "version_number": 2, "subject_of_care": "soc-1",
                         "date": "2026-11-01", "status": {"code": "active"}, "free_text": "Hard of hearing"});
        let mut new = old.clone();
        new["status"] = json!({"code": "inactive"});
        new["alert_end_date"] = json!("2026-11-20T10:00:00Z");
        let (next, entry) = update_instance("alert", &old, &new, &meta()).expect("update");
        assert_eq!(next["version_number"], 3);
        assert_eq!(entry["record_version"], 3);
        assert_eq!(entry["record_uid"], "al-1");
        assert_eq!(entry["change_type"]["code"], "251");
        assert_eq!(
            entry["description"],
            "Alert changed: Alert end date, Status."
        );
        assert!(!entry.to_string().contains("Hard of hearing"));
        // the entry is a valid Change log instance
        let r = crate::validate_instance("change_log", &entry, &crate::ValidationOptions::strict())
            .expect("class");
        assert!(r.valid && r.issues.is_empty(), "{:?}", r.issues);
    }

    #[test]
    fn creation_deletion_and_errors() {
        let a = json!({"record_uid": "al-1", "version_number": 1});
        let e = change_log_entry("alert", None, Some(&a), &meta()).expect("created");
        assert_eq!(e["change_type"]["code"], "249");
        let e = change_log_entry("alert", Some(&a), None, &meta()).expect("deleted");
        assert_eq!(e["change_type"]["code"], "523");
        assert_eq!(
            change_log_entry("alert", None, None, &meta()),
            Err(HistoryError::NothingToLog)
        );
        let b = json!({"record_uid": "al-2", "version_number": 2});
        assert_eq!(
            change_log_entry("alert", Some(&a), Some(&b), &meta()),
            Err(HistoryError::DifferentRecords)
        );
        assert!(matches!(
            change_log_entry("person_name", None, Some(&a), &meta()),
            Err(HistoryError::UnknownClass(..))
        ));
        let bad = ChangeMeta {
            date_time: "yesterday".into(),
            ..meta()
        };
        assert_eq!(
            change_log_entry("alert", None, Some(&a), &bad),
            Err(HistoryError::BadDateTime)
        );
    }

    #[test]
    fn diff_hides_values_unless_asked() {
        let old = json!({"mods_version": "1.0", "subject_of_care": {"record_uid": "s", "version_number": 1, "nhs_number": "9434765919"}});
        let mut new = old.clone();
        new["subject_of_care"]["nhs_number"] = json!("9434765870");
        let d = diff_records(&old, &new, &DiffOptions::default()).expect("diff");
        assert_eq!(d.changes.len(), 1);
        assert_eq!(d.changes[0].path, "/subject_of_care/nhs_number");
        assert!(!serde_json::to_string(&d)
            .unwrap_or_default()
            .contains("9434765"));
        let d = diff_records(
            &old,
            &new,
            &DiffOptions {
                include_values: true,
                ..DiffOptions::default()
            },
        )
        .expect("diff");
        assert_eq!(d.changes[0].after, Some(json!("9434765870")));
        let other = json!({"mods_version": "1.1"});
        assert!(matches!(
            diff_records(&old, &other, &DiffOptions::default()),
            Err(DiffError::VersionMismatch(..))
        ));
    }
}

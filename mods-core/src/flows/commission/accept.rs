//! The provider's side: a package of care merged into the provider's record.

use super::records::{nhs_number, records, rename_references, Header, RecordRef, HEADER_KEY};
use crate::checks;
use crate::history::{change_log_entry, changed_elements, update_instance, ChangeMeta};
use crate::issue::Report;
use crate::model::{self, ClassDef, Lookup, Model};
use crate::validate::{validate_record, ValidationOptions};
use serde::Serialize;
use serde_json::{Map, Value};

/// How to accept a package.
#[derive(Debug, Clone, Default)]
///
/// New options may be added in any release: build the struct with `default()` and its
/// `with_*` methods (see docs/releasing.md).
#[non_exhaustive]
pub struct AcceptOptions {
    /// When the package was accepted: the `date` of the Change log entries, an RFC 3339
    /// date and time with an offset.
    pub date_time: String,
    /// The record uid of the care actor who accepted it (the entries' `committer`). Without
    /// it, the registered manager of the provider the package is for, when the merged
    /// record holds them.
    pub committer: Option<String>,
    /// The entries' `system_identifier`; by default `mods-sdk commission accept`.
    pub system_identifier: Option<String>,
    /// When no record of the provider has the package's NHS number (or the package has
    /// none), start a new record from the package instead of refusing.
    pub new_person: bool,
    /// Options of the validation of the merged record.
    pub validation: ValidationOptions,
}

crate::__option_setters!(AcceptOptions {
    with_date_time(date_time: String);
    with_committer(committer: Option<String>);
    with_system_identifier(system_identifier: Option<String>);
    with_new_person(new_person: bool);
    with_validation(validation: ValidationOptions);
});

/// Why a package could not be accepted (nothing was merged).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AcceptError {
    /// The provider's record (or records) cannot be read.
    #[error("the provider's record cannot be read: {0}")]
    Provider(&'static str),
    /// The package cannot be read.
    #[error("the package cannot be read: {0}")]
    Package(&'static str),
    /// The package's subject of care has no NHS number to match by (and `new_person` is off).
    #[error("the package's subject of care has no NHS number to match the provider's records by; accept it as a new person to start a new record")]
    NoNhsNumber,
    /// No record of the provider has the package's NHS number (and `new_person` is off).
    #[error("no record of the provider has the package's NHS number; accept it as a new person to start a new record")]
    NoMatch,
    /// Several records of the provider have the package's NHS number.
    #[error("several records of the provider have the package's NHS number; merge them first")]
    SeveralMatches,
    /// The provider's record and the package are of different MODS versions.
    #[error(
        "the provider's record and the package are of different MODS versions; migrate one first"
    )]
    Versions,
    /// A record of the package has the uid of a record of another class in the provider's
    /// record.
    #[error("a {package_class} record of the package has the record uid of a {provider_class} record of the provider's record")]
    UidClash {
        /// The class of the package's record.
        package_class: &'static str,
        /// The class of the provider's record with the same uid.
        provider_class: &'static str,
    },
    /// No committer was given and the provider's registered manager is not in the record,
    /// or the committer names no care actor of the merged record.
    #[error("the committer of the Change log entries {0}")]
    Committer(&'static str),
    /// The date and time is not RFC 3339 with an offset.
    #[error("the date and time of the acceptance is not an RFC 3339 date and time with an offset")]
    DateTime,
}

/// Whether the package was merged into an existing record or started a new one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Person {
    /// An existing record of the provider, matched by NHS number.
    Matched,
    /// A new record, started from the package.
    New,
}

/// A record of the package that differs from the provider's copy of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Conflict {
    /// The class technical name.
    pub class: &'static str,
    /// The record uid in the merged record.
    pub record_uid: String,
    /// The names of the elements that differ (never their values).
    pub elements: Vec<&'static str>,
}

/// What the acceptance did.
#[derive(Debug, Clone, Serialize)]
pub struct AcceptReport {
    /// Matched by NHS number, or a new record.
    pub person: Person,
    /// The subject of care's record uid in the merged record (the provider's own, when
    /// matched; references of the package to its subject are rewritten to it).
    pub subject_of_care: String,
    /// The package's header, when it had one.
    pub header: Option<Header>,
    /// The sending organisation's record uid, named in the Change log entries.
    pub sender: String,
    /// Records of the package added to the record.
    pub added: Vec<RecordRef>,
    /// Records the provider held in an older version than the package's, now updated to
    /// the package's content as their next version, with the elements that changed.
    pub updated: Vec<Conflict>,
    /// Records the provider already held exactly as the package has them.
    pub unchanged: Vec<RecordRef>,
    /// Records the provider held in the same or a later version with other content: the
    /// provider's are kept, and the elements where the package differs are listed.
    pub conflicts: Vec<Conflict>,
    /// Elements of the package's subject of care added to the provider's (absent there,
    /// or repeating elements extended with the package's entries).
    pub subject_elements_added: Vec<String>,
    /// Elements of the package's subject of care that differ from the provider's value,
    /// which is kept.
    pub subject_conflicts: Vec<String>,
    /// Change log entries of the package (the sender's history of its records) added.
    pub history_received: usize,
    /// Change log entries written for this acceptance.
    pub change_log_entries: usize,
    /// What could not be carried over or logged, in words without the person's data.
    pub notes: Vec<String>,
    /// The merged record's validation report (which includes
    /// `plan-exceeds-funded-envelope` for a plan beyond its services' funding).
    pub validation: Report,
}

/// A merged record and its report.
#[derive(Debug, Clone, Serialize)]
pub struct Accepted {
    /// The provider's record of the person with the package merged in.
    pub record: Value,
    /// What the acceptance did.
    pub report: AcceptReport,
}

/// One change to log once the committer is known.
struct Event {
    class: &'static str,
    previous: Option<Value>,
    current: Value,
    description: String,
}

/// Merge the package into the provider's record of the same person.
///
/// `provider` is one record document or an array of them (the provider's people; `[]` for
/// none); the one whose subject of care has the package's NHS number is merged into and
/// returned. With no match (or a package without an NHS number) the acceptance is refused
/// unless `opts.new_person` is set, in which case the package becomes a new record. How
/// records are merged is in docs/flows/commission.md, "Accepting a package".
pub fn accept(
    provider: &Value,
    package: &Value,
    opts: &AcceptOptions,
) -> Result<Accepted, AcceptError> {
    if checks::parse_date_time(&opts.date_time).is_none() {
        return Err(AcceptError::DateTime);
    }
    let pkg = package
        .as_object()
        .ok_or(AcceptError::Package("it is not a JSON object"))?;
    let version = pkg.get("mods_version").and_then(Value::as_str);
    let model = version.and_then(model::model).ok_or(AcceptError::Package(
        "it does not state a MODS version this library supports",
    ))?;
    let pkg_soc = pkg
        .get("subject_of_care")
        .and_then(Value::as_object)
        .ok_or(AcceptError::Package("it has no subject of care"))?;
    let pkg_soc_uid =
        pkg_soc
            .get("record_uid")
            .and_then(Value::as_str)
            .ok_or(AcceptError::Package(
                "its subject of care has no record uid",
            ))?;
    let header = Header::of(package);
    let sender = sender_of(model, pkg, header.as_ref())?;
    let sender_name = records(model, pkg)
        .iter()
        .find(|r| r.uid() == Some(sender.as_str()))
        .and_then(|r| r.value.get("organisation_name"))
        .and_then(Value::as_str)
        .map_or_else(|| "the sending organisation".to_owned(), str::to_owned);

    let people: Vec<&Map<String, Value>> = match provider {
        Value::Object(m) => vec![m],
        Value::Array(items) => items
            .iter()
            .map(|v| {
                v.as_object().ok_or(AcceptError::Provider(
                    "an item of the array is not a record document",
                ))
            })
            .collect::<Result<_, _>>()?,
        _ => {
            return Err(AcceptError::Provider(
                "it is neither a record document nor an array of them",
            ))
        }
    };
    let matched: Option<&Map<String, Value>> = match nhs_number(pkg) {
        Some(n) => {
            let hits: Vec<&&Map<String, Value>> = people
                .iter()
                .filter(|p| nhs_number(p).as_deref() == Some(n.as_str()))
                .collect();
            match hits.as_slice() {
                [one] => Some(**one),
                [] if opts.new_person => None,
                [] => return Err(AcceptError::NoMatch),
                _ => return Err(AcceptError::SeveralMatches),
            }
        }
        None if opts.new_person => None,
        None => return Err(AcceptError::NoNhsNumber),
    };

    let mut notes = Vec::new();
    let mut events: Vec<Event> = Vec::new();
    let mut report = AcceptReport {
        person: if matched.is_some() {
            Person::Matched
        } else {
            Person::New
        },
        subject_of_care: String::new(),
        header: header.clone(),
        sender: sender.clone(),
        added: Vec::new(),
        updated: Vec::new(),
        unchanged: Vec::new(),
        conflicts: Vec::new(),
        subject_elements_added: Vec::new(),
        subject_conflicts: Vec::new(),
        history_received: 0,
        change_log_entries: 0,
        notes: Vec::new(),
        validation: Report::default(),
    };
    let soc_class = model.class("subject_of_care").ok_or(AcceptError::Package(
        "its MODS version has no subject of care",
    ))?;

    // the subject of care
    let mut merged: Map<String, Value>;
    let soc_uid: String;
    match matched {
        Some(p) => {
            if p.get("mods_version").and_then(Value::as_str) != version {
                return Err(AcceptError::Versions);
            }
            merged = p.clone();
            let own = merged
                .get("subject_of_care")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default();
            soc_uid = own
                .get("record_uid")
                .and_then(Value::as_str)
                .ok_or(AcceptError::Provider(
                    "its subject of care has no record uid",
                ))?
                .to_owned();
            let mut theirs = pkg_soc.clone();
            rename_references(model, soc_class, &mut theirs, pkg_soc_uid, &soc_uid);
            let (next, added, conflicts) = merge_subject(soc_class, &own, &theirs);
            report.subject_elements_added = added;
            report.subject_conflicts = conflicts;
            if next != own {
                let names = report.subject_elements_added.join(", ");
                match update_instance(
                    "subject_of_care",
                    &Value::Object(own.clone()),
                    &Value::Object(next.clone()),
                    &placeholder_meta(opts),
                ) {
                    Ok((versioned, _)) => {
                        merged.insert("subject_of_care".into(), versioned.clone());
                        events.push(Event {
                            class: "subject_of_care",
                            previous: Some(Value::Object(own)),
                            current: versioned,
                            description: format!(
                                "Subject of care completed from a package of care received from {sender_name}: {names}."
                            ),
                        });
                    }
                    Err(_) => {
                        merged.insert("subject_of_care".into(), Value::Object(next));
                        notes.push("the provider's subject of care has no valid version number, so its update is not logged".to_owned());
                    }
                }
            }
        }
        None => {
            merged = Map::new();
            merged.insert(
                "mods_version".into(),
                Value::String(version.unwrap_or_default().to_owned()),
            );
            merged.insert("subject_of_care".into(), Value::Object(pkg_soc.clone()));
            soc_uid = pkg_soc_uid.to_owned();
            report.added.push(RecordRef {
                class: "subject_of_care",
                record_uid: soc_uid.clone(),
            });
            events.push(Event {
                class: "subject_of_care",
                previous: None,
                current: Value::Object(pkg_soc.clone()),
                description: format!(
                    "Received from {sender_name} in a package of care: new record of the person."
                ),
            });
        }
    }
    report.subject_of_care = soc_uid.clone();

    // uid clashes refuse the whole acceptance before anything else changes
    let theirs = records(model, pkg);
    {
        let ours = records(model, &merged);
        for r in theirs.iter().filter(|r| r.index.is_some()) {
            let Some(uid) = r.uid() else { continue };
            let clash = ours
                .iter()
                .find(|o| o.uid() == Some(uid))
                .filter(|o| o.class.technical_name != r.class.technical_name)
                .map(|o| o.class.technical_name)
                .or_else(|| (uid == soc_uid && matched.is_some()).then_some("subject_of_care"));
            if let Some(provider_class) = clash {
                return Err(AcceptError::UidClash {
                    package_class: r.class.technical_name,
                    provider_class,
                });
            }
        }
    }

    // every other record of the package
    for r in theirs.iter().filter(|r| r.index.is_some()) {
        let key = r.class.technical_name;
        let mut item = r.value.clone();
        if soc_uid != pkg_soc_uid {
            rename_references(model, r.class, &mut item, pkg_soc_uid, &soc_uid);
        }
        let list = merged
            .entry(key)
            .or_insert_with(|| Value::Array(Vec::new()));
        let Value::Array(list) = list else {
            notes.push(format!(
                "the provider's record holds {key} as something other than an array, so the package's {key} records were not added"
            ));
            continue;
        };
        if !r.class.versioned {
            // Change log entries: the sender's history of the records it sent
            let item = Value::Object(item);
            if !list.contains(&item) {
                list.push(item);
                report.history_received += 1;
            }
            continue;
        }
        let uid = r.uid().unwrap_or_default().to_owned();
        let existing = list
            .iter()
            .position(|v| v.get("record_uid").and_then(Value::as_str) == Some(uid.as_str()));
        let Some(at) = existing else {
            list.push(Value::Object(item.clone()));
            report.added.push(RecordRef {
                class: key,
                record_uid: uid,
            });
            events.push(Event {
                class: key,
                previous: None,
                current: Value::Object(item),
                description: format!("Received from {sender_name} in a package of care."),
            });
            continue;
        };
        let previous = list[at].clone();
        let current = Value::Object(item);
        let names = changed_elements(r.class, &previous, &current);
        if names.is_empty() && without_version(&previous) == without_version(&current) {
            report.unchanged.push(RecordRef {
                class: key,
                record_uid: uid,
            });
            continue;
        }
        let version = |v: &Value| v.get("version_number").and_then(Value::as_u64);
        let newer = matches!((version(&current), version(&previous)), (Some(a), Some(b)) if a > b);
        if !newer {
            report.conflicts.push(Conflict {
                class: key,
                record_uid: uid,
                elements: names,
            });
            continue;
        }
        match update_instance(key, &previous, &current, &placeholder_meta(opts)) {
            Ok((next, _)) => {
                list[at] = next.clone();
                report.updated.push(Conflict {
                    class: key,
                    record_uid: uid,
                    elements: names.clone(),
                });
                events.push(Event {
                    class: key,
                    previous: Some(previous),
                    current: next,
                    description: format!(
                        "Updated from a package of care received from {sender_name}: {}.",
                        names.join(", ")
                    ),
                });
            }
            Err(_) => report.conflicts.push(Conflict {
                class: key,
                record_uid: uid,
                elements: names,
            }),
        }
    }

    // members of the package that are not record collections
    for (k, v) in pkg {
        match k.as_str() {
            "mods_version" | "subject_of_care" => {}
            "mods_extensions" => {
                let Some(ext) = v.as_object() else { continue };
                for (name, value) in ext.iter().filter(|(n, _)| n.as_str() != HEADER_KEY) {
                    let slot = merged
                        .entry("mods_extensions")
                        .or_insert_with(|| Value::Object(Map::new()));
                    match slot.as_object_mut() {
                        Some(m) if !m.contains_key(name) => {
                            m.insert(name.clone(), value.clone());
                        }
                        Some(m) if m.get(name) == Some(value) => {}
                        _ => notes.push(format!(
                            "the package's mods_extensions.{name} was not merged: the provider's record has its own"
                        )),
                    }
                }
            }
            _ if model.class(k).is_some() => {}
            _ => {
                if !merged.contains_key(k) {
                    merged.insert(k.clone(), v.clone());
                } else if merged.get(k) != Some(v) {
                    notes.push(format!(
                        "the package's member {k} was not merged: the provider's record has its own"
                    ));
                }
            }
        }
    }

    // the Change log entries, once the committer is known
    let committer = committer(model, &merged, header.as_ref(), opts)?;
    let meta = ChangeMeta {
        date_time: opts.date_time.clone(),
        system_identifier: opts
            .system_identifier
            .clone()
            .unwrap_or_else(|| "mods-sdk commission accept".to_owned()),
        committer,
        change_type: None,
        description: None,
    };
    let mut entries = Vec::new();
    for e in events {
        let meta = ChangeMeta {
            description: Some(e.description),
            ..meta.clone()
        };
        match change_log_entry(e.class, e.previous.as_ref(), Some(&e.current), &meta) {
            Ok(entry) => entries.push(entry),
            Err(_) => notes.push(format!(
                "a {} record has no valid record uid or version number, so its arrival is not logged",
                e.class
            )),
        }
    }
    report.change_log_entries = entries.len();
    if !entries.is_empty() {
        let log = merged
            .entry("change_log")
            .or_insert_with(|| Value::Array(Vec::new()));
        match log {
            Value::Array(a) => a.extend(entries),
            _ => notes.push(
                "the provider's record holds change_log as something other than an array, so no entry was written"
                    .to_owned(),
            ),
        }
    }
    report.notes = notes;
    let record = Value::Object(merged);
    report.validation = validate_record(&record, &opts.validation);
    Ok(Accepted { record, report })
}

/// The sending organisation: the header's, else the package's only Local authority.
fn sender_of(
    model: &'static Model,
    pkg: &Map<String, Value>,
    header: Option<&Header>,
) -> Result<String, AcceptError> {
    let all = records(model, pkg);
    if let Some(h) = header {
        if all.iter().any(|r| r.uid() == Some(h.sender.as_str())) {
            return Ok(h.sender.clone());
        }
        return Err(AcceptError::Package(
            "its header names a sender that is not a record of the package",
        ));
    }
    let las: Vec<&str> = all
        .iter()
        .filter(|r| r.class.technical_name == "local_authority")
        .filter_map(|r| r.uid())
        .collect();
    match las.as_slice() {
        [one] => Ok((*one).to_owned()),
        _ => Err(AcceptError::Package(
            "it has no header naming its sender and not exactly one local authority",
        )),
    }
}

/// The committer: the caller's, else the provider's registered manager; it must name a
/// care actor of the merged record.
fn committer(
    model: &'static Model,
    merged: &Map<String, Value>,
    header: Option<&Header>,
    opts: &AcceptOptions,
) -> Result<String, AcceptError> {
    let all = records(model, merged);
    let uid = match &opts.committer {
        Some(c) => c.clone(),
        None => header
            .and_then(|h| h.provider.as_deref())
            .and_then(|p| all.iter().find(|r| r.uid() == Some(p)))
            .and_then(|r| r.value.get("registered_manager"))
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or(AcceptError::Committer(
                "was not given, and the provider the package is for names no registered manager",
            ))?,
    };
    let accepts: &[&str] = match model
        .class("change_log")
        .and_then(|c| c.element("committer"))
        .map(|e| &e.lookup)
    {
        Some(Lookup::Reference { accepts, .. }) => accepts,
        _ => &[],
    };
    let found = all
        .iter()
        .find(|r| r.uid() == Some(uid.as_str()))
        .map(|r| r.class.technical_name);
    match found {
        Some(c) if accepts.contains(&c) => Ok(uid),
        Some(_) => Err(AcceptError::Committer(
            "names a record that is not a care actor",
        )),
        None => Err(AcceptError::Committer(
            "names no record of the merged record",
        )),
    }
}

/// A stand-in for `update_instance`, which needs a valid meta to version an instance; the
/// entries themselves are written once the committer is known.
fn placeholder_meta(opts: &AcceptOptions) -> ChangeMeta {
    ChangeMeta {
        date_time: opts.date_time.clone(),
        system_identifier: String::new(),
        committer: String::new(),
        change_type: None,
        description: None,
    }
}

fn without_version(v: &Value) -> Value {
    let mut v = v.clone();
    if let Some(m) = v.as_object_mut() {
        m.remove("version_number");
    }
    v
}

/// The provider's subject of care completed from the package's: elements it lacks are
/// added, repeating elements extended with the package's entries it does not have; where a
/// single element differs the provider's is kept and the element named as a conflict.
fn merge_subject(
    class: &ClassDef,
    own: &Map<String, Value>,
    theirs: &Map<String, Value>,
) -> (Map<String, Value>, Vec<String>, Vec<String>) {
    let mut next = own.clone();
    let mut added = Vec::new();
    let mut conflicts = Vec::new();
    for (k, v) in theirs {
        if matches!(k.as_str(), "record_uid" | "version_number") || v.is_null() {
            continue;
        }
        let repeats = class.element(k).is_some_and(|e| e.occurs.repeats());
        match next.get_mut(k) {
            None | Some(Value::Null) => {
                next.insert(k.clone(), v.clone());
                added.push(k.clone());
            }
            Some(mine) if mine == v => {}
            Some(Value::Array(mine)) if repeats => {
                let extra: Vec<Value> = match v {
                    Value::Array(a) => a.iter().filter(|x| !mine.contains(x)).cloned().collect(),
                    other => (!mine.contains(other))
                        .then(|| other.clone())
                        .into_iter()
                        .collect(),
                };
                if !extra.is_empty() {
                    mine.extend(extra);
                    added.push(k.clone());
                }
            }
            Some(_) => conflicts.push(k.clone()),
        }
    }
    (next, added, conflicts)
}

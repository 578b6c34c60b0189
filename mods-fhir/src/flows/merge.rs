//! What the import flows share: reading a Bundle into an existing record, matching what is
//! already there, adding what is new, and reporting both.
//!
//! A flow checks that the Bundle's Patient is the record's subject of care (same NHS
//! number), reads the Bundle with [`crate::from_fhir`], and then merges at the MODS level:
//! an item that matches one of the record (by code and date, see each flow) is reported as
//! already present and left as it is, its differing facts reported as conflicts (the
//! record's value is kept); a new item gets a fresh record uid and its references are
//! rewritten to the records they name in the existing record.

use crate::convert::default_system;
use crate::import::ImportError;
use crate::mapping::mapping;
use crate::report::FhirIssue;
use crate::{systems, ImportOptions};
use mods_core::model::{self, ClassDef, ElementDef, ElementType, Lookup};
use mods_core::{Report, Severity};
use serde::Serialize;
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// Options of the import flows.
#[derive(Clone, Default)]
///
/// New options may be added in any release: build the struct with `default()` and its
/// `with_*` methods (see docs/releasing.md).
#[non_exhaustive]
pub struct MergeOptions {
    /// Options of reading the Bundle (limits, validation of the merged record, keeping the
    /// unmapped parts in `mods_extensions.fhir_unmapped` of the merged record).
    pub import: ImportOptions,
    /// The date written as the `date` of new event records (allergy, problem, medication)
    /// when neither the resource (`recordedDate`, `dateAsserted`, `authoredOn`) nor the
    /// Bundle (`timestamp`) gives one. Without it such a record is added without a date,
    /// reported, and the merged record does not validate.
    pub date: Option<String>,
}

mods_core::__option_setters!(MergeOptions {
    with_import(import: ImportOptions);
    with_date(date: Option<String>);
});

/// Why a Bundle could not be merged at all (nothing was merged).
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// The Bundle could not be read (not JSON, over the limits, not FHIR).
    #[error(transparent)]
    Import(#[from] ImportError),
    /// The document is FHIR but not a Bundle the flow can read.
    #[error("not a FHIR Bundle the flow can read: {0}")]
    NotBundle(&'static str),
    /// The existing record cannot take a merge.
    #[error("the record cannot take a merge: {0}")]
    Record(&'static str),
    /// The Bundle's Patient cannot be matched to the record's subject of care.
    #[error("the Bundle's Patient cannot be matched to the record's subject of care: {0}")]
    Patient(&'static str),
    /// The Bundle is about someone else: its Patient has another NHS number.
    #[error("the Bundle is about another person: its Patient's NHS number is not the record's subject of care's")]
    OtherPatient,
}

/// One record the merge added, or found already present.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MergeItem {
    /// The MODS class.
    pub class: &'static str,
    /// The record uid in the merged record (the new uid, or the existing record's).
    pub record_uid: String,
    /// FHIRPath of the resource it came from.
    pub location: String,
}

/// A fact of a matched record the Bundle states differently; the record's value is kept.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Conflict {
    /// The MODS class.
    pub class: &'static str,
    /// The record uid of the existing record.
    pub record_uid: String,
    /// The element whose values differ.
    pub element: &'static str,
    /// FHIRPath of the resource that states it differently.
    pub location: String,
    /// What differs, without the person's data.
    pub message: String,
}

/// The report of a merge.
#[derive(Debug, Clone, Serialize)]
pub struct MergeReport {
    /// Records added, with their new uids.
    pub added: Vec<MergeItem>,
    /// Records of the Bundle the record already holds (not added).
    pub already_present: Vec<MergeItem>,
    /// Facts of already present records the Bundle states differently (not overwritten).
    pub conflicts: Vec<Conflict>,
    /// What reading the Bundle met (parts no MODS element holds, references left out, ...),
    /// by FHIRPath.
    pub issues: Vec<FhirIssue>,
    /// Validation of the merged record.
    pub validation: Report,
}

impl MergeReport {
    /// Whether anything is an error (in the Bundle, or in the merged record).
    pub fn has_errors(&self) -> bool {
        !self.validation.valid || self.issues.iter().any(|i| i.severity == Severity::Error)
    }

    /// The parts of the Bundle no MODS element holds (`fhir-element-unmapped`,
    /// `fhir-resource-unmapped`).
    pub fn unmapped(&self) -> impl Iterator<Item = &FhirIssue> {
        self.issues
            .iter()
            .filter(|i| i.code == "fhir-element-unmapped" || i.code == "fhir-resource-unmapped")
    }
}

/// A document's content sent inline (`attachment.data`): MODS keeps metadata about a
/// document, so the content is handed back for the caller to store.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attachment {
    /// The record uid of the Document record it belongs to.
    pub record_uid: String,
    /// `attachment.contentType`.
    pub content_type: Option<String>,
    /// `attachment.title`.
    pub title: Option<String>,
    /// `attachment.data`, base64 as sent.
    pub data: String,
}

/// The record after a merge, with its report.
#[derive(Debug, Clone)]
pub struct Merged {
    /// The merged record (JSON).
    pub record: Value,
    /// What was added, already present, in conflict, or not mapped.
    pub report: MergeReport,
    /// Documents' content sent inline, for the caller to store.
    pub attachments: Vec<Attachment>,
}

/// The codes of the checks no offline validator makes (`crate::checks`): kept for the entries
/// a flow reads itself.
const CHECK_CODES: &[&str] = &[
    "fhir-code-not-in-required-value-set",
    "fhir-code-not-in-value-set",
    "fhir-nhs-number-check-digit",
    "fhir-slice-value-missing",
    "fhir-unknown-system-extensible",
];

/// The uid an entry's resource gets while the Bundle is read.
pub(crate) fn entry_uid(i: usize) -> String {
    format!("fhir-entry-{i}")
}

fn entry_of(uid: &str) -> Option<usize> {
    uid.strip_prefix("fhir-entry-")?.parse().ok()
}

/// The classes that hold an organisation, and the element holding its ODS code.
const ORGANISATIONS: [(&str, &str); 5] = [
    ("gp_practice", "gp_practice_code"),
    ("care_organisation", "ods_organisation_code"),
    ("care_provider", "ods_organisation_code"),
    ("local_authority", "ods_organisation_code"),
    ("care_organisation", "ods_site_code"),
];

/// Registration identifier systems of a Practitioner, matched against a care worker's
/// `registration_number`.
const REGISTRATIONS: [&str; 4] = [systems::GMC, systems::NMC, systems::HCPC, systems::GPHC];

/// Elements a match never compares (bookkeeping, the event's own recording, and what the
/// flows set themselves).
const NOT_COMPARED: [&str; 9] = [
    "record_uid",
    "version_number",
    "subject_of_care",
    "subject",
    "date",
    "time",
    "location",
    "care_actor",
    "information_source",
];

/// Whether an existing record (first) and a record of the Bundle (second) are one.
pub(crate) type SameRecord = dyn Fn(&ClassDef, &Map<String, Value>, &Map<String, Value>) -> bool;

/// A merge in progress.
pub(crate) struct Session {
    pub record: Map<String, Value>,
    pub doc: Value,
    pub imported: Value,
    pub model: &'static model::Model,
    pub soc_uid: String,
    map: BTreeMap<String, String>,
    pub issues: Vec<FhirIssue>,
    import_issues: Vec<FhirIssue>,
    pub added: Vec<MergeItem>,
    pub present: Vec<MergeItem>,
    pub conflicts: Vec<Conflict>,
    /// FHIRPaths the flow read itself (not unmapped).
    pub covered: Vec<String>,
    /// Entries the flow reads itself (their "no class takes it" is not reported).
    pub handled: BTreeSet<usize>,
    /// Entries that only identify (Patient, sender, prescriber).
    pub identifying: BTreeSet<usize>,
    /// Entries merged (their issues are kept).
    pub merged: BTreeSet<usize>,
    uids: BTreeSet<String>,
    opts: MergeOptions,
}

fn nhs(v: &str) -> String {
    v.chars().filter(|c| !c.is_whitespace()).collect()
}

impl Session {
    /// Check the record and the Bundle, and read the Bundle. `tag` classifies resources
    /// of a type as a MODS class (the Encounter of a discharge is Discharge details).
    pub fn open(
        record: &Value,
        bytes: &[u8],
        opts: &MergeOptions,
        tag: &[(&str, &str)],
    ) -> Result<Session, MergeError> {
        let table_version = &mapping().table.mods_version;
        let rec = record
            .as_object()
            .ok_or(MergeError::Record("it is not a JSON object"))?;
        if rec.get("mods_version").and_then(Value::as_str) != Some(table_version.as_str()) {
            return Err(MergeError::Record(
                "it is not a MODS 1.0 record (migrate it first: the FHIR mapping reads MODS 1.0)",
            ));
        }
        let soc = rec
            .get("subject_of_care")
            .and_then(Value::as_object)
            .ok_or(MergeError::Record("it has no subject of care"))?;
        let soc_uid = soc
            .get("record_uid")
            .and_then(Value::as_str)
            .ok_or(MergeError::Record("its subject of care has no record uid"))?
            .to_string();
        let own_nhs = soc
            .get("nhs_number")
            .and_then(Value::as_str)
            .map(nhs)
            .ok_or(MergeError::Record(
                "its subject of care has no NHS number to match the Bundle's Patient by",
            ))?;
        let mut doc =
            mods_core::parse_json(bytes, &opts.import.limits).map_err(ImportError::from)?;
        match doc.get("resourceType").and_then(Value::as_str) {
            Some("Bundle") => {}
            Some(_) => return Err(MergeError::NotBundle("a resource that is not a Bundle")),
            None => return Err(ImportError::NotFhir("no resourceType").into()),
        }
        match doc.get("entry") {
            None | Some(Value::Array(_)) => {}
            Some(_) => return Err(MergeError::NotBundle("Bundle.entry is not an array")),
        }
        // the Patient(s)
        let entries: Vec<Value> = doc
            .get("entry")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let mut patients = 0;
        let mut identifying = BTreeSet::new();
        for (i, e) in entries.iter().enumerate() {
            let Some(res) = e.get("resource") else {
                continue;
            };
            if res.get("resourceType").and_then(Value::as_str) != Some("Patient") {
                continue;
            }
            patients += 1;
            identifying.insert(i);
            let number = res
                .get("identifier")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .find(|x| x.get("system").and_then(Value::as_str) == Some(systems::NHS_NUMBER))
                .and_then(|x| x.get("value"))
                .and_then(Value::as_str)
                .ok_or(MergeError::Patient("the Patient has no NHS number"))?;
            if nhs(number) != own_nhs {
                return Err(MergeError::OtherPatient);
            }
        }
        if patients == 0 {
            return Err(MergeError::Patient("the Bundle has no Patient"));
        }
        // give every entry a known uid, and classify as the flow says
        if let Some(list) = doc.get_mut("entry").and_then(Value::as_array_mut) {
            for (i, e) in list.iter_mut().enumerate() {
                let Some(res) = e.get_mut("resource").and_then(Value::as_object_mut) else {
                    continue;
                };
                let rt = res
                    .get("resourceType")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string();
                let id = json!({"system": systems::RECORD_UID, "value": entry_uid(i)});
                match res.get_mut("identifier") {
                    None => {
                        res.insert("identifier".into(), json!([id]));
                    }
                    Some(Value::Array(a)) => {
                        a.retain(|x| {
                            x.get("system").and_then(Value::as_str) != Some(systems::RECORD_UID)
                        });
                        a.push(id);
                    }
                    Some(_) => {}
                }
                if let Some((_, class)) = tag.iter().find(|(t, _)| *t == rt) {
                    let t = json!({"system": systems::MODS_CLASS, "code": class});
                    let meta = res.entry("meta").or_insert_with(|| json!({}));
                    if let Some(m) = meta.as_object_mut() {
                        match m.get_mut("tag") {
                            Some(Value::Array(a)) => a.push(t),
                            None => {
                                m.insert("tag".into(), json!([t]));
                            }
                            Some(_) => {}
                        }
                    }
                }
            }
        }
        let text = serde_json::to_vec(&doc).map_err(|_| MergeError::NotBundle("unwritable"))?;
        let imported = crate::from_fhir(&text, &opts.import)?;
        let original =
            mods_core::parse_json(bytes, &opts.import.limits).map_err(ImportError::from)?;
        let model = model::model(table_version).ok_or(MergeError::Record("no model"))?;
        let mut uids = BTreeSet::new();
        collect_uids(record, &mut uids);
        let mut map = BTreeMap::new();
        if let Some(u) = imported
            .record
            .pointer("/subject_of_care/record_uid")
            .and_then(Value::as_str)
        {
            map.insert(u.to_string(), soc_uid.clone());
        }
        Ok(Session {
            record: rec.clone(),
            doc: original,
            imported: imported.record,
            model,
            soc_uid,
            map,
            issues: Vec::new(),
            import_issues: imported.report.issues,
            added: Vec::new(),
            present: Vec::new(),
            conflicts: Vec::new(),
            covered: Vec::new(),
            handled: BTreeSet::new(),
            identifying,
            merged: BTreeSet::new(),
            uids,
            opts: opts.clone(),
        })
    }

    /// The resource of entry `i` as sent.
    pub fn resource(&self, i: usize) -> &Value {
        self.doc
            .pointer(&format!("/entry/{i}/resource"))
            .unwrap_or(&Value::Null)
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.doc
            .get("entry")
            .and_then(Value::as_array)
            .map_or(0, Vec::len)
    }

    /// The entries whose resource has this type.
    pub fn entries_of(&self, rt: &str) -> Vec<usize> {
        (0..self.len())
            .filter(|i| {
                self.resource(*i)
                    .get("resourceType")
                    .and_then(Value::as_str)
                    == Some(rt)
            })
            .collect()
    }

    /// The FHIRPath of a member of entry `i`'s resource (`member` like `recordedDate`).
    pub fn loc(i: usize, member: &str) -> String {
        if member.is_empty() {
            format!("Bundle.entry[{i}].resource")
        } else {
            format!("Bundle.entry[{i}].resource.{member}")
        }
    }

    /// Mark a member of entry `i` as read by the flow.
    pub fn cover(&mut self, i: usize, member: &str) {
        self.covered.push(Self::loc(i, member));
    }

    /// The entry a reference names (by `fullUrl`, or `Type/id`).
    pub fn resolve(&self, reference: &Value) -> Option<usize> {
        let r = reference.get("reference")?.as_str()?;
        let entries = self.doc.get("entry")?.as_array()?;
        entries.iter().position(|e| {
            if e.get("fullUrl").and_then(Value::as_str) == Some(r) {
                return true;
            }
            let res = e.get("resource");
            match (
                res.and_then(|x| x.get("resourceType"))
                    .and_then(Value::as_str),
                res.and_then(|x| x.get("id")).and_then(Value::as_str),
            ) {
                (Some(t), Some(id)) => {
                    let key = format!("{t}/{id}");
                    r == key || r.ends_with(&format!("/{key}"))
                }
                _ => false,
            }
        })
    }

    /// The items of a class the Bundle gave, with their entry.
    pub fn imported_items(&self, class: &str) -> Vec<(usize, Map<String, Value>)> {
        self.imported
            .get(class)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|v| {
                let o = v.as_object()?;
                let i = entry_of(o.get("record_uid")?.as_str()?)?;
                Some((i, o.clone()))
            })
            .collect()
    }

    /// A class of the model.
    pub fn class(&self, name: &str) -> &'static ClassDef {
        self.model
            .class(name)
            .unwrap_or_else(|| unreachable!("the flows name classes of MODS 1.0"))
    }

    /// The record uid the organisation of entry `i` has in the record: matched by ODS
    /// code, or added (as `new_class`) when `new_class` is given.
    pub fn organisation(&mut self, i: usize, new_class: Option<&'static str>) -> Option<String> {
        if let Some(u) = self.map.get(&entry_uid(i)) {
            return Some(u.clone());
        }
        let res = self.resource(i).clone();
        if res.get("resourceType").and_then(Value::as_str) != Some("Organization") {
            return None;
        }
        let ods = ids(&res, systems::ODS_ORGANISATION)
            .into_iter()
            .chain(ids(&res, systems::ODS_SITE))
            .collect::<Vec<_>>();
        for code in &ods {
            for (class, el) in ORGANISATIONS {
                if let Some(uid) = self.find(class, |r| {
                    r.get(el)
                        .and_then(Value::as_str)
                        .is_some_and(|c| c.eq_ignore_ascii_case(code))
                }) {
                    self.map.insert(entry_uid(i), uid.clone());
                    self.identifying.insert(i);
                    return Some(uid);
                }
            }
        }
        let class = new_class?;
        let Some(code) = ods.first().cloned() else {
            self.issues.push(FhirIssue::new(
                "merge-organisation-unidentified",
                Severity::Warning,
                Self::loc(i, "identifier"),
                "the organisation has no ODS code: it is neither matched nor added".into(),
            ));
            return None;
        };
        let mut item = self
            .imported_items("care_organisation")
            .into_iter()
            .find(|(k, _)| *k == i)
            .map(|(_, o)| o)
            .unwrap_or_default();
        item.remove("ods_organisation_code");
        item.remove("ods_site_code");
        if class == "gp_practice" {
            item.insert("gp_practice_code".into(), json!(code));
            item.entry("organisation_kind")
                .or_insert_with(|| json!({"code": "gp-practice", "display": "GP practice"}));
        } else if ids(&res, systems::ODS_ORGANISATION).contains(&code) {
            item.insert("ods_organisation_code".into(), json!(code));
        } else {
            item.insert("ods_site_code".into(), json!(code));
        }
        self.merged.insert(i);
        let uid = self.add(class, i, item, &format!("ods|{code}"));
        Some(uid)
    }

    /// The care worker of the record a Practitioner entry is (by registration number).
    pub fn practitioner(&mut self, i: usize) -> Option<String> {
        if let Some(u) = self.map.get(&entry_uid(i)) {
            return Some(u.clone());
        }
        let res = self.resource(i).clone();
        if res.get("resourceType").and_then(Value::as_str) != Some("Practitioner") {
            return None;
        }
        self.identifying.insert(i);
        let numbers: Vec<String> = REGISTRATIONS.iter().flat_map(|s| ids(&res, s)).collect();
        let uid = self.find("care_worker", |r| {
            r.get("registration_number")
                .and_then(Value::as_str)
                .is_some_and(|n| numbers.iter().any(|x| x.eq_ignore_ascii_case(n)))
        })?;
        self.map.insert(entry_uid(i), uid.clone());
        Some(uid)
    }

    fn find(&self, class: &str, pred: impl Fn(&Map<String, Value>) -> bool) -> Option<String> {
        self.record
            .get(class)?
            .as_array()?
            .iter()
            .filter_map(Value::as_object)
            .find(|r| pred(r))
            .and_then(|r| r.get("record_uid"))
            .and_then(Value::as_str)
            .map(str::to_string)
    }

    /// Rewrite the references of a new item to the records they name in the record;
    /// a reference to something the record does not hold is left out and reported.
    pub fn rewrite_references(
        &mut self,
        class: &'static str,
        i: usize,
        item: &mut Map<String, Value>,
    ) {
        let def = self.class(class);
        for el in def.elements {
            if !matches!(el.lookup, Lookup::Reference { .. }) {
                continue;
            }
            let Some(v) = item.remove(el.technical_name) else {
                continue;
            };
            let mut out = Vec::new();
            let values: Vec<Value> = match v {
                Value::Array(a) => a,
                other => vec![other],
            };
            for u in values {
                let Some(s) = u.as_str() else { continue };
                let target = match (self.map.get(s), entry_of(s)) {
                    (Some(t), _) => Some(t.clone()),
                    (None, Some(k)) => self.practitioner(k).or_else(|| self.organisation(k, None)),
                    // already a record of the record (the flow resolved it)
                    (None, None) => self.uids.contains(s).then(|| s.to_string()),
                };
                match target {
                    Some(t) => out.push(Value::String(t)),
                    None => self.issues.push(FhirIssue::new(
                        "merge-reference-dropped",
                        Severity::Information,
                        Self::loc(i, ""),
                        format!(
                            "{class}.{}: the reference names a resource the record holds no record for; left out",
                            el.technical_name
                        ),
                    )),
                }
            }
            if !out.is_empty() {
                let v = if el.occurs.repeats() {
                    Value::Array(out)
                } else {
                    out.swap_remove(0)
                };
                item.insert(el.technical_name.into(), v);
            }
        }
    }

    /// The `date` of a new event record: from the resource, the Bundle, or the options.
    pub fn event_date(&mut self, i: usize, member: &str, item: &mut Map<String, Value>) {
        if item.contains_key("date") {
            return;
        }
        let from_resource = self
            .resource(i)
            .get(member)
            .and_then(Value::as_str)
            .and_then(date_part);
        if from_resource.is_some() {
            self.cover(i, member);
        }
        let date = from_resource
            .or_else(|| {
                self.doc
                    .get("timestamp")
                    .and_then(Value::as_str)
                    .and_then(date_part)
            })
            .or_else(|| self.opts.date.clone());
        match date {
            Some(d) => {
                item.insert("date".into(), json!(d));
            }
            None => self.issues.push(FhirIssue::new(
                "merge-date-missing",
                Severity::Warning,
                Self::loc(i, member),
                "no date for the new record: neither the resource, the Bundle's timestamp nor the options give one".into(),
            )),
        }
    }

    /// Merge one item: already present (reported, with its conflicts), or added with a
    /// fresh uid. Returns its uid in the record.
    pub fn merge(
        &mut self,
        class: &'static str,
        i: usize,
        item: Map<String, Value>,
        same: &SameRecord,
    ) -> String {
        self.merged.insert(i);
        let def = self.class(class);
        let hit = self
            .record
            .get(class)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_object)
            .find(|r| same(def, r, &item))
            .cloned();
        if let Some(existing) = hit {
            let uid = existing
                .get("record_uid")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            for el in def.elements {
                if NOT_COMPARED.contains(&el.technical_name) {
                    continue;
                }
                if let (Some(a), Some(b)) =
                    (existing.get(el.technical_name), item.get(el.technical_name))
                {
                    if !same_fact(el, a, b) {
                        self.conflicts.push(Conflict {
                            class,
                            record_uid: uid.clone(),
                            element: el.technical_name,
                            location: Self::loc(i, ""),
                            message: format!(
                                "the Bundle states {} differently; the record's value is kept",
                                el.technical_name
                            ),
                        });
                    }
                }
            }
            self.map.insert(entry_uid(i), uid.clone());
            self.present.push(MergeItem {
                class,
                record_uid: uid.clone(),
                location: Self::loc(i, ""),
            });
            return uid;
        }
        let identity = identity(self.resource(i), &item);
        self.add(class, i, item, &identity)
    }

    fn add(
        &mut self,
        class: &'static str,
        i: usize,
        item: Map<String, Value>,
        identity: &str,
    ) -> String {
        let name = format!("{class}|{}|{identity}", self.soc_uid);
        let base = uuid::Uuid::new_v5(&NAMESPACE, name.as_bytes()).to_string();
        let mut uid = base.clone();
        let mut n = 2;
        while self.uids.contains(&uid) {
            uid = format!("{base}-{n}");
            n += 1;
        }
        self.uids.insert(uid.clone());
        let mut full = Map::new();
        full.insert("record_uid".into(), json!(uid));
        full.insert("version_number".into(), json!(1));
        for (k, v) in item {
            if k != "record_uid" && k != "version_number" {
                full.insert(k, v);
            }
        }
        let list = self
            .record
            .entry(class)
            .or_insert_with(|| Value::Array(Vec::new()));
        if !list.is_array() {
            *list = Value::Array(Vec::new());
        }
        if let Some(a) = list.as_array_mut() {
            a.push(Value::Object(full));
        }
        self.map.insert(entry_uid(i), uid.clone());
        self.added.push(MergeItem {
            class,
            record_uid: uid.clone(),
            location: Self::loc(i, ""),
        });
        uid
    }

    /// Report what the flow did not merge, validate, and hand back.
    pub fn finish(mut self, flow_classes: &[&str], attachments: Vec<Attachment>) -> Merged {
        let covered = std::mem::take(&mut self.covered);
        let is_covered = |loc: &str| {
            covered.iter().any(|c| {
                loc == c
                    || loc
                        .strip_prefix(c.as_str())
                        .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
            })
        };
        let entry_index = |loc: &str| -> Option<usize> {
            let rest = loc.strip_prefix("Bundle.entry[")?;
            rest[..rest.find(']')?].parse().ok()
        };
        let mut issues = Vec::new();
        let mut unmapped = Vec::new();
        for issue in std::mem::take(&mut self.import_issues) {
            let entry = entry_index(&issue.location);
            if let Some(i) = entry {
                if self.handled.contains(&i) && !CHECK_CODES.contains(&issue.code) {
                    // read by the flow itself, which reports what it met; the checks no
                    // offline validator makes stay
                    continue;
                }
                // entries that only identify are not merged: what reading their content
                // met does not matter; other entries' errors (a broken entry) still do
                let kept_error =
                    issue.severity == Severity::Error && !self.identifying.contains(&i);
                if !self.merged.contains(&i) && !self.handled.contains(&i) && !kept_error {
                    // entries that only identify, or of classes the flow does not merge:
                    // reported once each below
                    continue;
                }
            }
            if issue.code == "fhir-element-unmapped" && is_covered(&issue.location) {
                continue;
            }
            if issue.code == "fhir-element-unmapped" && self.opts.import.keep_unmapped {
                unmapped.push(json!({"path": issue.location}));
            }
            issues.push(issue);
        }
        for i in 0..self.len() {
            if self.merged.contains(&i) || self.handled.contains(&i) {
                continue;
            }
            let res = self.resource(i);
            if !res.is_object() {
                continue; // `fhir-entry-without-resource`, kept above
            }
            let rt = res
                .get("resourceType")
                .and_then(Value::as_str)
                .unwrap_or("?")
                .to_string();
            if self.identifying.contains(&i) {
                issues.push(FhirIssue::new(
                    "merge-entry-identifies",
                    Severity::Information,
                    Self::loc(i, ""),
                    format!("the {rt} identifies the person or the organisation or practitioner a record names; its content is not merged"),
                ));
            } else {
                issues.push(FhirIssue::new(
                    "merge-resource-not-merged",
                    Severity::Warning,
                    Self::loc(i, ""),
                    format!(
                        "this flow merges {}; a {rt} is not merged",
                        flow_classes.join(", ")
                    ),
                ));
            }
        }
        issues.extend(std::mem::take(&mut self.issues));
        let mut record = self.record;
        if !unmapped.is_empty() {
            let ext = record
                .entry(mods_core::validate::EXTENSIONS)
                .or_insert_with(|| json!({}));
            if let Some(o) = ext.as_object_mut() {
                let list = o.entry("fhir_unmapped").or_insert_with(|| json!([]));
                if let Some(a) = list.as_array_mut() {
                    a.extend(unmapped);
                }
            }
        }
        let record = Value::Object(record);
        let validation = mods_core::validate_record(&record, &self.opts.import.validation);
        Merged {
            record,
            report: MergeReport {
                added: self.added,
                already_present: self.present,
                conflicts: self.conflicts,
                issues,
                validation,
            },
            attachments,
        }
    }
}

/// The namespace of the v5 UUIDs the flows give new records.
const NAMESPACE: uuid::Uuid = uuid::Uuid::from_u128(0x3b0e_51d2_7c4a_5f19_9d2e_6a8b_0c1d_2e3f);

fn identity(res: &Value, item: &Map<String, Value>) -> String {
    let own = res
        .get("identifier")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|x| {
            x.get("system").and_then(Value::as_str) != Some(systems::RECORD_UID)
                && x.get("value").is_some()
        })
        .map(|x| {
            format!(
                "{}|{}",
                x.get("system").and_then(Value::as_str).unwrap_or_default(),
                x.get("value").and_then(Value::as_str).unwrap_or_default()
            )
        });
    own.unwrap_or_else(|| serde_json::to_string(item).unwrap_or_default())
}

fn collect_uids(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(o) => {
            if let Some(u) = o.get("record_uid").and_then(Value::as_str) {
                out.insert(u.to_string());
            }
            for x in o.values() {
                collect_uids(x, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| collect_uids(x, out)),
        _ => {}
    }
}

/// The values of a resource's identifiers of one system.
pub(crate) fn ids(res: &Value, system: &str) -> Vec<String> {
    res.get("identifier")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|x| x.get("system").and_then(Value::as_str) == Some(system))
        .filter_map(|x| x.get("value").and_then(Value::as_str))
        .map(str::to_string)
        .collect()
}

/// The date part of a FHIR date or dateTime (`2026-01-22T14:10:00Z` is `2026-01-22`).
pub(crate) fn date_part(s: &str) -> Option<String> {
    let d = s.split('T').next()?;
    let ok = match d.len() {
        4 => d.bytes().all(|b| b.is_ascii_digit()),
        7 | 10 => d.bytes().enumerate().all(|(k, b)| {
            if k == 4 || k == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        }),
        _ => false,
    };
    ok.then(|| d.to_string())
}

/// The (system, code) of a coded value: a missing system is the element's default one,
/// and dm+d and SNOMED CT are one system (dm+d identifiers are SNOMED CT identifiers).
pub(crate) fn code_key(el: &ElementDef, v: &Value) -> Option<(String, String)> {
    let code = v.get("code")?.as_str()?.trim();
    if code.is_empty() {
        return None;
    }
    let system = v
        .get("system")
        .and_then(Value::as_str)
        .or_else(|| default_system(el))
        .unwrap_or_default();
    let system = match system {
        "https://dmd.nhs.uk" | "http://snomed.info/sct" => "sct",
        s => s,
    };
    Some((system.to_string(), code.to_string()))
}

/// Whether two coded values are one code (or, without codes, one text).
pub(crate) fn same_code(el: &ElementDef, a: &Value, b: &Value) -> bool {
    match (code_key(el, a), code_key(el, b)) {
        (Some(x), Some(y)) => x == y,
        (None, None) => {
            let t = |v: &Value| {
                v.get("display")
                    .or_else(|| v.get("text"))
                    .and_then(Value::as_str)
                    .map(|s| s.trim().to_lowercase())
            };
            t(a).is_some() && t(a) == t(b)
        }
        _ => false,
    }
}

/// Whether two (possibly partial) dates can be the same day: equal, or one a prefix of the
/// other (`2011` and `2011-05-09`).
pub(crate) fn dates_agree(a: &str, b: &str) -> bool {
    a.starts_with(b) || b.starts_with(a)
}

/// Seconds since 0000-03-01 of an instant with an offset (`Z` or `±hh:mm`), or the date
/// alone (at 00:00 UTC).
pub(crate) fn instant(s: &str) -> Option<i64> {
    let (date, rest) = s.split_once('T').unwrap_or((s, ""));
    if date_part(date).is_none_or(|d| d.len() != 10) {
        return None;
    }
    let p: Vec<i64> = date
        .split('-')
        .map(|x| x.parse().ok())
        .collect::<Option<_>>()?;
    let [y, m, d] = p[..] else { return None };
    let (y, m) = if m <= 2 { (y - 1, m + 12) } else { (y, m) };
    let days = 365 * y + y / 4 - y / 100 + y / 400 + (153 * (m - 3) + 2) / 5 + d;
    if rest.is_empty() {
        return Some(days * 86_400);
    }
    let (time, offset) = if let Some(t) = rest.strip_suffix('Z') {
        (t, 0)
    } else {
        let k = rest.rfind(['+', '-'])?;
        let (t, o) = rest.split_at(k);
        let sign = if o.starts_with('-') { -1 } else { 1 };
        let (oh, om) = o[1..].split_once(':')?;
        if oh.len() != 2 || om.len() != 2 {
            return None;
        }
        (
            t,
            sign * (oh.parse::<i64>().ok()? * 3600 + om.parse::<i64>().ok()? * 60),
        )
    };
    if time.len() > 18 {
        return None;
    }
    let t: Vec<f64> = time
        .split(':')
        .map(|x| x.parse().ok())
        .collect::<Option<_>>()?;
    let secs = match t[..] {
        [h, mi] => h * 3600.0 + mi * 60.0,
        [h, mi, se] => h * 3600.0 + mi * 60.0 + se.floor(),
        _ => return None,
    };
    Some(days * 86_400 + secs as i64 - offset)
}

/// Whether two values of an element state one fact (codes by system and code, dates by
/// precision, instants by the moment, repeated values as sets). Text is never compared:
/// two systems word one fact differently.
fn same_fact(el: &ElementDef, a: &Value, b: &Value) -> bool {
    if let (Value::Array(x), Value::Array(y)) = (a, b) {
        return x.len() == y.len() && x.iter().all(|v| y.iter().any(|w| same_fact(el, v, w)));
    }
    match el.ty {
        ElementType::Lookup => match el.lookup {
            Lookup::Reference { .. } | Lookup::None => true,
            _ => same_code(el, a, b),
        },
        ElementType::ReferenceCode => same_code(el, a, b),
        ElementType::Date => match (a.as_str(), b.as_str()) {
            (Some(x), Some(y)) => dates_agree(x, y),
            _ => a == b,
        },
        ElementType::DateTime => match (a.as_str().and_then(instant), b.as_str().and_then(instant))
        {
            (Some(x), Some(y)) => x == y,
            _ => a == b,
        },
        ElementType::Number => a.as_f64() == b.as_f64(),
        ElementType::YesNo => a == b,
        ElementType::Text | ElementType::Time | ElementType::Group => true,
    }
}

/// A match of two records of a class by a coded element and a date element (the date only
/// when both have one).
pub(crate) fn same_code_and_date(
    def: &ClassDef,
    code: &str,
    date: &str,
    a: &Map<String, Value>,
    b: &Map<String, Value>,
) -> bool {
    let Some(el) = def.element(code) else {
        return false;
    };
    let codes = match (a.get(code), b.get(code)) {
        (Some(x), Some(y)) => same_code(el, x, y),
        _ => false,
    };
    let dates = match (
        a.get(date).and_then(Value::as_str),
        b.get(date).and_then(Value::as_str),
    ) {
        (Some(x), Some(y)) => dates_agree(x, y),
        _ => true,
    };
    codes && dates
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_compare_across_offsets() {
        assert_eq!(
            instant("2026-01-22T15:30:00Z"),
            instant("2026-01-22T15:30:00+00:00")
        );
        assert_eq!(
            instant("2026-01-22T16:30:00+01:00"),
            instant("2026-01-22T15:30:00Z")
        );
        assert_ne!(
            instant("2026-01-22T15:31:00Z"),
            instant("2026-01-22T15:30:00Z")
        );
        assert_eq!(
            instant("2026-03-01"),
            Some(instant("2026-02-28").unwrap() + 86_400)
        );
        assert_eq!(instant("nonsense"), None);
        assert_eq!(instant("2026-01-22T15:30:00+0x:00"), None);
    }

    #[test]
    fn partial_dates_agree_by_precision() {
        assert!(dates_agree("2011", "2011-05-09"));
        assert!(!dates_agree("2011-06", "2011-05-09"));
        assert_eq!(
            date_part("2026-01-22T14:10:00Z").as_deref(),
            Some("2026-01-22")
        );
        assert_eq!(date_part("22/01/2026"), None);
    }
}

//! MODS record to FHIR Bundle.
//!
//! Every record becomes one resource (Person demographics is merged into the Patient of the
//! subject of care that references it). Each element goes where its class's mapping table
//! says; before it is written there, the engine reads it back from a scratch resource: when
//! that does not give the MODS value back exactly (a display FHIR has no place for, a time
//! written without seconds and with them...), the exact value is also kept in the element
//! extension, and when the mapped place cannot hold it at all (or another element already
//! wrote there), only in the element extension. So MODS to FHIR to MODS is the identity by
//! construction, and the tests check it on every example and on generated records.

use crate::convert::{self, In, Refs};
use crate::import::{read_element, Resolver};
use crate::mapping::{mapping, CompiledClass, CompiledElem, Conv};
use crate::path::{self, Consumed, Path};
use crate::systems;
use crate::{BundleType, ExportOptions, ProfileSet};
use mods_core::model::{self, ClassDef, ClassKind};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// Why a record could not be exported.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The record has validation errors; export takes valid records only.
    #[error("the record is not valid MODS ({} issue(s)); export takes valid records only", .0.issues.len())]
    Invalid(mods_core::Report),
    /// The record is of a MODS version the mapping is not for.
    #[error("the record is MODS {found}; FHIR mapping is for MODS {expected}: migrate it first (`mods migrate --to {expected}`)")]
    Version {
        /// Version of the record.
        found: String,
        /// Version of the mapping.
        expected: String,
    },
    /// A document Bundle needs its time (`ExportOptions::timestamp`).
    #[error("a document Bundle needs a timestamp (ExportOptions::timestamp)")]
    TimestampRequired,
    /// The timestamp is not a FHIR instant (date, time with seconds, and a time zone).
    #[error("the timestamp is not a FHIR instant (such as 2025-11-03T12:00:00Z: a date, a time with seconds and a time zone)")]
    TimestampInvalid,
    /// A value could not be written (never expected for a valid record).
    #[error("the value at {pointer} could not be written in FHIR")]
    Unrepresentable {
        /// JSON pointer in the record.
        pointer: String,
    },
}

/// The `meta.tag` code of the Composition a `document` Bundle starts with.
pub const DOCUMENT_TAG: &str = "mods_document";

/// One record instance to export.
struct Inst<'r> {
    class: &'static ClassDef,
    value: &'r Value,
    pointer: String,
    uid: Option<String>,
    full_url: String,
}

/// The full URL of a record: a name-based UUID from its class and uid (stable across
/// exports, so a second export of the same record updates the same resources).
pub fn full_url_for(class: &str, uid: &str) -> String {
    let mut name = Vec::with_capacity(class.len() + 1 + uid.len());
    name.extend_from_slice(class.as_bytes());
    name.push(b'/');
    name.extend_from_slice(uid.as_bytes());
    let id = uuid::Uuid::new_v5(&NAMESPACE, &name);
    let mut buf = uuid::Uuid::encode_buffer();
    let text = id.hyphenated().encode_lower(&mut buf);
    let mut url = String::with_capacity(URN_UUID.len() + text.len());
    url.push_str(URN_UUID);
    url.push_str(text);
    url
}

/// The prefix of a full URL that is a UUID.
const URN_UUID: &str = "urn:uuid:";

/// Name space of the record UUIDs (a v5 UUID of the project's URL in the URL name space).
pub const NAMESPACE: uuid::Uuid = uuid::Uuid::from_u128(0x6f1c_9a7e_2d4b_5c3a_8e9f_0a1b_2c3d_4e5f);

struct ExportRefs {
    by_uid: BTreeMap<String, (String, String)>,
}

impl Refs for ExportRefs {
    fn full_url(&self, uid: &str) -> Option<String> {
        self.by_uid.get(uid).map(|(u, _)| u.clone())
    }
    fn resolve(&self, reference: &Value) -> Result<(String, String), String> {
        let r = reference.get("reference").and_then(Value::as_str);
        if let Some(r) = r {
            if let Some((uid, (_, class))) = self.by_uid.iter().find(|(_, (u, _))| u == r) {
                return Ok((uid.clone(), class.clone()));
            }
        }
        Resolver::logical(reference).ok_or_else(|| "unresolved".to_string())
    }
}

/// Export a MODS record (JSON) as a FHIR Bundle.
pub fn to_fhir(record: &Value, opts: &ExportOptions) -> Result<Value, ExportError> {
    let m = mapping();
    let version = record
        .get("mods_version")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if version != m.table.mods_version {
        return Err(ExportError::Version {
            found: version.to_string(),
            expected: m.table.mods_version.clone(),
        });
    }
    // the verdict first (it stops at the first error); the whole report only for a refusal,
    // and no validation at all when invalid records are let through
    let validation = mods_core::ValidationOptions::default();
    if !opts.allow_invalid && !mods_core::is_valid_record(record, &validation) {
        return Err(ExportError::Invalid(mods_core::validate_record(
            record,
            &validation,
        )));
    }
    let model = model::model(version).ok_or_else(|| ExportError::Version {
        found: version.to_string(),
        expected: m.table.mods_version.clone(),
    })?;

    // the instances, in export order: the subject of care, then each record class in model order
    let mut insts: Vec<Inst<'_>> = Vec::new();
    let soc_class = model
        .class("subject_of_care")
        .ok_or(ExportError::Unrepresentable {
            pointer: String::new(),
        })?;
    if let Some(soc) = record.get("subject_of_care") {
        let uid = soc
            .get("record_uid")
            .and_then(Value::as_str)
            .map(str::to_string);
        insts.push(Inst {
            class: soc_class,
            value: soc,
            pointer: "/subject_of_care".into(),
            full_url: full_url_for("subject_of_care", uid.as_deref().unwrap_or_default()),
            uid,
        });
    }
    for class in model.record_classes() {
        if class.technical_name == "subject_of_care" || class.kind != ClassKind::Record {
            continue;
        }
        let Some(items) = record.get(class.technical_name).and_then(Value::as_array) else {
            continue;
        };
        for (i, item) in items.iter().enumerate() {
            // a record's own uid; a Change log's `record_uid` names the record it changed
            let uid = if class.versioned {
                item.get("record_uid")
                    .and_then(Value::as_str)
                    .map(str::to_string)
            } else {
                None
            };
            let full_url = match &uid {
                Some(u) => full_url_for(class.technical_name, u),
                None => full_url_for(class.technical_name, &format!("#{i}")),
            };
            insts.push(Inst {
                class,
                value: item,
                pointer: format!("/{}/{i}", class.technical_name),
                uid,
                full_url,
            });
        }
    }
    // merged records: Person demographics referenced by the subject of care
    let merged_uid = record
        .pointer("/subject_of_care/person_demographics")
        .and_then(Value::as_str)
        .map(str::to_string);
    let soc_url = insts
        .first()
        .map(|i| i.full_url.clone())
        .unwrap_or_default();
    let mut refs = ExportRefs {
        by_uid: BTreeMap::new(),
    };
    for inst in &insts {
        if let Some(uid) = &inst.uid {
            let url = if Some(uid) == merged_uid.as_ref()
                && inst.class.technical_name == "person_demographics"
            {
                soc_url.clone()
            } else {
                inst.full_url.clone()
            };
            refs.by_uid
                .insert(uid.clone(), (url, inst.class.technical_name.to_string()));
        }
    }

    let mut entries: Vec<(String, Value)> = Vec::new();
    let mut patient_index = None;
    for inst in &insts {
        let is_merged = inst.class.technical_name == "person_demographics"
            && inst.uid.is_some()
            && inst.uid == merged_uid;
        if is_merged {
            continue;
        }
        let mut res = resource_for(inst, &soc_url, &refs, opts)?;
        if inst.class.technical_name == "care_worker" {
            register_identifier(&mut res, inst.value);
        }
        if inst.class.technical_name == "subject_of_care" {
            if let Some(uid) = &merged_uid {
                let (pos, demo) = record
                    .get("person_demographics")
                    .and_then(Value::as_array)
                    .and_then(|a| {
                        a.iter()
                            .enumerate()
                            .find(|(_, d)| d.get("record_uid").and_then(Value::as_str) == Some(uid))
                    })
                    .ok_or(ExportError::Unrepresentable {
                        pointer: "/subject_of_care/person_demographics".into(),
                    })?;
                let dclass =
                    model
                        .class("person_demographics")
                        .ok_or(ExportError::Unrepresentable {
                            pointer: String::new(),
                        })?;
                merge_into(
                    &mut res,
                    dclass,
                    demo,
                    pos,
                    &format!("/person_demographics/{pos}"),
                    &refs,
                )?;
            }
            patient_index = Some(entries.len());
        }
        entries.push((inst.full_url.clone(), res));
    }
    // derived views (PractitionerRole, CareTeam, ...): see `crate::derived`
    entries.extend(crate::derived::resources(record, &refs, opts.profiles));
    // the record's own members that are no record class: its extension slot, and members
    // lax validation let through with a warning
    let mut record_exts = Vec::new();
    if let Some(ext) = record.get(mods_core::validate::EXTENSIONS) {
        let text = serde_json::to_string(ext).map_err(|_| unrep("/mods_extensions"))?;
        record_exts.push(json!({"url": systems::RECORD_EXTENSIONS, "valueString": text}));
    }
    for (k, v) in record.as_object().into_iter().flatten() {
        let known = k == "mods_version"
            || k == mods_core::validate::EXTENSIONS
            || model.class(k).is_some_and(|c| c.kind == ClassKind::Record);
        if !known {
            record_exts
                .push(convert::unknown_out(k, v, None).ok_or_else(|| unrep(&format!("/{k}")))?);
        }
    }
    if !record_exts.is_empty() {
        entries.push((
            full_url_for("mods_record", "mods_extensions"),
            json!({
                "resourceType": "Basic",
                "code": {"coding": [{"system": systems::MODS_CLASS, "code": "mods_extensions"}]},
                "extension": record_exts,
            }),
        ));
    }
    if opts.bundle_type == BundleType::Document {
        let ts = opts
            .timestamp
            .clone()
            .ok_or(ExportError::TimestampRequired)?;
        let author = insts
            .iter()
            .find(|i| {
                matches!(
                    i.class.technical_name,
                    "care_provider" | "care_organisation" | "local_authority"
                )
            })
            .map(|i| i.full_url.clone())
            .unwrap_or_else(|| soc_url.clone());
        let mut sections = Vec::new();
        for (url, res) in &entries {
            let class = res
                .pointer("/meta/tag/0/code")
                .and_then(Value::as_str)
                .unwrap_or("mods_extensions")
                .to_string();
            let title = model
                .class(&class)
                .map(|c| c.name)
                .or_else(|| crate::derived::section_title(&class))
                .unwrap_or("Record extensions");
            match sections
                .iter_mut()
                .find(|(c, _, _): &&mut (String, &str, Vec<Value>)| *c == class)
            {
                Some((_, _, refs)) => refs.push(json!({"reference": url})),
                None => sections.push((class, title, vec![json!({"reference": url})])),
            }
        }
        let composition = json!({
            "resourceType": "Composition",
            "meta": {
                "profile": ["https://fhir.hl7.org.uk/StructureDefinition/UKCore-Composition"],
                "tag": [{"system": systems::MODS_CLASS, "code": DOCUMENT_TAG}]
            },
            "status": "final",
            "type": {"text": "Adult social care record (MODS)"},
            "subject": {"reference": soc_url},
            "date": ts,
            "author": [{"reference": author}],
            "title": format!("Adult social care record (MODS {version})"),
            "section": sections.into_iter().map(|(class, title, refs)| json!({
                "title": title,
                "code": {"coding": [{"system": systems::MODS_CLASS, "code": class}]},
                "entry": refs,
            })).collect::<Vec<_>>(),
        });
        let key = format!("{soc_url}|{ts}");
        entries.insert(0, (full_url_for("mods_document", &key), composition));
    }
    let _ = patient_index;
    let mut b = bundle(entries, version, opts);
    if opts.bundle_type == BundleType::Document {
        let key = format!(
            "{soc_url}|{}",
            opts.timestamp.as_deref().unwrap_or_default()
        );
        b["identifier"] = json!({"system": "urn:ietf:rfc:3986", "value": full_url_for("mods_document_bundle", &key)});
    }
    Ok(b)
}

fn bundle(entries: Vec<(String, Value)>, version: &str, opts: &ExportOptions) -> Value {
    let mut out_entries = Vec::new();
    for (full_url, mut res) in entries {
        let id = full_url.trim_start_matches("urn:uuid:").to_string();
        let mut e = Map::new();
        e.insert("fullUrl".into(), Value::String(full_url));
        match opts.bundle_type {
            BundleType::Transaction => {
                let rt = res
                    .get("resourceType")
                    .and_then(Value::as_str)
                    .unwrap_or("Basic")
                    .to_string();
                let mut req = Map::new();
                req.insert("method".into(), json!("POST"));
                req.insert("url".into(), Value::String(rt));
                if let Some((system, uid)) = uid_of(&res) {
                    req.insert(
                        "ifNoneExist".into(),
                        Value::String(format!("identifier={system}|{uid}")),
                    );
                }
                e.insert("request".into(), Value::Object(req));
            }
            BundleType::Collection | BundleType::Document => {
                if let Some(o) = res.as_object_mut() {
                    o.insert("id".into(), Value::String(id));
                }
            }
        }
        e.insert("resource".into(), res);
        out_entries.push(Value::Object(e));
    }
    let mut b = Map::new();
    b.insert("resourceType".into(), json!("Bundle"));
    b.insert("type".into(), json!(opts.bundle_type.as_str()));
    b.insert(
        "meta".into(),
        json!({"tag": [{"system": systems::MODS_VERSION, "code": version}]}),
    );
    if matches!(opts.profiles, ProfileSet::UkCoreCurrent) {
        b.insert(
            "meta".into(),
            json!({
                "profile": ["https://fhir.hl7.org.uk/StructureDefinition/UKCore-Bundle"],
                "tag": [{"system": systems::MODS_VERSION, "code": version}]
            }),
        );
    }
    if let Some(ts) = &opts.timestamp {
        b.insert("timestamp".into(), json!(ts));
    }
    b.insert("entry".into(), Value::Array(out_entries));
    Value::Object(b)
}

/// The identifier a conditional create finds the resource by: its record uid, or the
/// identifier of a derived resource.
fn uid_of(res: &Value) -> Option<(&'static str, String)> {
    let ids = res.get("identifier").and_then(Value::as_array)?;
    [systems::RECORD_UID, systems::DERIVED_RESOURCE]
        .into_iter()
        .find_map(|system| {
            let id = ids
                .iter()
                .find(|i| i.get("system").and_then(Value::as_str) == Some(system))?;
            Some((system, id.get("value")?.as_str()?.to_string()))
        })
}

/// The resource of one instance.
fn resource_for(
    inst: &Inst<'_>,
    patient_url: &str,
    refs: &ExportRefs,
    opts: &ExportOptions,
) -> Result<Value, ExportError> {
    let name = inst.class.technical_name;
    let cm = mapping().class(name);
    let resource_type = cm.map(|c| c.def.resource.as_str()).unwrap_or("Basic");
    let mut res = Map::new();
    res.insert("resourceType".into(), json!(resource_type));
    let mut meta = Map::new();
    if let Some(v) = inst.value.get("version_number") {
        meta.insert("versionId".into(), Value::String(v.to_string()));
    }
    if let Some(cm) = cm {
        let p = match opts.profiles {
            ProfileSet::UkCoreStu2 => cm.def.profile.stu2.as_ref(),
            ProfileSet::UkCoreCurrent => cm.def.profile.current.as_ref(),
        };
        if let Some(p) = p {
            meta.insert("profile".into(), json!([p]));
        }
    }
    meta.insert(
        "tag".into(),
        json!([{"system": systems::MODS_CLASS, "code": name}]),
    );
    res.insert("meta".into(), Value::Object(meta));
    let mut res = Value::Object(res);
    if cm.is_none() {
        path::put(
            &mut res,
            fixed_path(&CODE_PATH, "code").ok_or_else(|| unrep(&inst.pointer))?,
            json!({"coding": [{"system": systems::MODS_CLASS, "code": name}]}),
        )
        .map_err(|_| unrep(&inst.pointer))?;
    }
    if let Some(uid) = &inst.uid {
        let parsed;
        let uid_path = match cm {
            Some(c) => &c.uid,
            None => {
                parsed = Path::parse(&format!("identifier[system={}].value", systems::RECORD_UID))
                    .map_err(|_| unrep(&inst.pointer))?;
                &parsed
            }
        };
        path::put(&mut res, uid_path, json!(uid)).map_err(|_| unrep(&inst.pointer))?;
    }
    if let Some(cm) = cm {
        for (p, v) in &cm.fixed {
            path::put(&mut res, p, v.clone()).map_err(|_| unrep(&inst.pointer))?;
        }
    }
    write_elements(&mut res, inst.class, cm, inst.value, &inst.pointer, refs)?;
    // the Patient reference
    if name != "subject_of_care" && !patient_url.is_empty() {
        match cm {
            Some(c) => {
                if let (Some(sp), false) = (&c.subject, c.subject_taken) {
                    let _ = path::put(&mut res, sp, json!({"reference": patient_url}));
                }
            }
            None => {
                if let Some(sp) = fixed_path(&SUBJECT_PATH, "subject") {
                    let _ = path::put(&mut res, sp, json!({"reference": patient_url}));
                }
            }
        }
    }
    if let Some(cm) = cm {
        for (p, value_path) in cm.required.iter().zip(&cm.required_values) {
            let mut c = Consumed::default();
            // `_name`: a primitive, whose data-absent-reason goes in its `_name` sibling
            let present = !path::get(&res, "", p, &mut c).is_empty()
                || value_path
                    .as_ref()
                    .is_some_and(|vp| !path::get(&res, "", vp, &mut c).is_empty());
            if !present {
                let dar = json!({"extension": [{"url": systems::DATA_ABSENT_REASON, "valueCode": "unknown"}]});
                path::put(&mut res, p, dar).map_err(|_| unrep(&inst.pointer))?;
            }
        }
    }
    Ok(res)
}

static CODE_PATH: OnceLock<Option<Path>> = OnceLock::new();
static SUBJECT_PATH: OnceLock<Option<Path>> = OnceLock::new();
static IDENTIFIER_PATH: OnceLock<Option<Path>> = OnceLock::new();

/// A path the export writes whatever the mapping says, parsed once.
fn fixed_path(cell: &'static OnceLock<Option<Path>>, text: &str) -> Option<&'static Path> {
    cell.get_or_init(|| Path::parse(text).ok()).as_ref()
}

fn unrep(pointer: &str) -> ExportError {
    ExportError::Unrepresentable {
        pointer: pointer.to_string(),
    }
}

/// Merge a record into another's resource (Person demographics into the Patient).
fn merge_into(
    res: &mut Value,
    class: &'static ClassDef,
    value: &Value,
    position: usize,
    pointer: &str,
    refs: &ExportRefs,
) -> Result<(), ExportError> {
    let cm = mapping().class(class.technical_name);
    let mut subs = vec![json!({"url": "class", "valueCode": class.technical_name})];
    if let Some(uid) = value.get("record_uid").and_then(Value::as_str) {
        subs.push(json!({"url": "record_uid", "valueString": uid}));
    }
    if let Some(v) = value.get("version_number") {
        subs.push(json!({"url": "version_number", "valueInteger": v}));
    }
    subs.push(json!({"url": "position", "valueInteger": position}));
    push_extension(
        res,
        convert::obj([
            ("url", Value::from(systems::MERGED_RECORD)),
            ("extension", Value::Array(subs)),
        ]),
    )
    .ok_or_else(|| unrep(pointer))?;
    write_elements(res, class, cm, value, pointer, refs)
}

fn write_elements(
    res: &mut Value,
    class: &'static ClassDef,
    cm: Option<&CompiledClass>,
    value: &Value,
    pointer: &str,
    refs: &ExportRefs,
) -> Result<(), ExportError> {
    let Some(obj) = value.as_object() else {
        return Err(unrep(pointer));
    };
    // the members that are elements, in the class's element order (the order of
    // `class.elements`, a static slice: by address), each found once by its name instead of
    // looking each of the class's elements up among the members; the others, in member order
    let mut present: Vec<(&'static model::ElementDef, &Value)> = Vec::with_capacity(obj.len());
    let mut others: Vec<(&String, &Value)> = Vec::new();
    for (k, v) in obj {
        match class.element(k) {
            Some(el) => present.push((el, v)),
            None => others.push((k, v)),
        }
    }
    present.sort_unstable_by_key(|(el, _)| std::ptr::from_ref::<model::ElementDef>(el) as usize);
    for (el, v) in present {
        let name = el.technical_name;
        if name == "record_uid" || name == "version_number" {
            // identity: written above (the uid path and meta.versionId)
            if class.versioned {
                continue;
            }
        }
        if class.technical_name == "subject_of_care" && name == "person_demographics" {
            // the merged-record extension says which Person demographics record it is
            continue;
        }
        let mapped = cm.and_then(|c| c.elements.get(name));
        let written = match mapped {
            Some(em) if cm.is_some_and(|c| clinical_status_forbidden(c, em, obj)) => {
                Placement::Extension
            }
            Some(em)
                if em
                    .def
                    .requires
                    .as_ref()
                    .is_some_and(|r| !obj.contains_key(r)) =>
            {
                Placement::Extension
            }
            Some(em) => write_mapped(res, class, em, el, v, refs),
            None => Placement::Extension,
        };
        if written != Placement::Exact {
            write_generic(res, class.technical_name, el, v, refs)
                .ok_or_else(|| unrep(&format!("{pointer}/{name}")))?;
        }
    }
    // members that are not elements (lax validation keeps them, with a warning): exactly
    for (k, v) in others {
        let e = convert::unknown_out(k, v, Some(class.technical_name))
            .ok_or_else(|| unrep(&format!("{pointer}/{k}")))?;
        push_extension(res, e).ok_or_else(|| unrep(pointer))?;
    }
    Ok(())
}

/// FHIR invariant con-5: a Condition's `clinicalStatus` SHALL NOT be present when its
/// `verificationStatus` is `entered-in-error`. A MODS status recorded beside that verification
/// then travels in its element extension (and reads back from there), not at the mapped place.
fn clinical_status_forbidden(
    cm: &CompiledClass,
    em: &CompiledElem,
    obj: &Map<String, Value>,
) -> bool {
    cm.def.resource == "Condition"
        && em.path.text == "clinicalStatus"
        && cm.elements.iter().any(|(name, e)| {
            e.path.text == "verificationStatus"
                && obj
                    .get(name.as_str())
                    .and_then(|v| v.get("code"))
                    .and_then(Value::as_str)
                    == Some("entered-in-error")
        })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Placement {
    /// At the mapped place, and reading it back gives the value exactly.
    Exact,
    /// At the mapped place, but reading it back does not give it exactly.
    Approximate,
    /// Not at the mapped place.
    Extension,
}

fn write_mapped(
    res: &mut Value,
    class: &'static ClassDef,
    em: &CompiledElem,
    el: &'static model::ElementDef,
    v: &Value,
    refs: &ExportRefs,
) -> Placement {
    let values: Vec<&Value> = if em.path.repeats() && el.occurs.repeats() {
        match v.as_array() {
            Some(a) => a.iter().collect(),
            None => return Placement::Extension,
        }
    } else {
        vec![v]
    };
    let mut outs = Vec::new();
    for &one in &values {
        match convert::export(em.def.conv, el, one, &em.def.map, refs) {
            Some(o) => outs.push(o),
            None => return Placement::Extension,
        }
    }
    // converters whose reading gives back exactly what they wrote, for every value they
    // accept (text, yes/no, numbers, FHIR-form dates, references to records in the export or
    // logical ones by uid, URLs, a coded value as the one Coding of a CodeableConcept: its system
    // is written with a marker when it is the bound one, and `coding_out` refuses members a
    // Coding cannot hold): no need to read them back
    let trivially_exact = matches!(
        em.def.conv,
        Conv::String
            | Conv::Identifier
            | Conv::Boolean
            | Conv::Decimal
            | Conv::Integer
            | Conv::Date
            | Conv::Reference
            | Conv::CodeableConcept
            | Conv::Url
    );
    // what the writes can change, kept to undo a write that fails
    let merged = outs
        .iter()
        .filter_map(|o| o.value.as_object())
        .flat_map(|m| m.keys().map(String::as_str));
    let snapshot = path::Snapshot::take(res, &em.path, merged);
    if trivially_exact {
        for o in outs {
            if put_out(res, &em.path, o).is_err() {
                snapshot.restore(res);
                return Placement::Extension;
            }
        }
        return Placement::Exact;
    }
    // converters whose reading is a function of the one value written (a code and its
    // mapping, a date-time or time and its seconds): that function says whether it is exact
    let by_rule = match outs.as_slice() {
        [o] if !el.occurs.repeats() => convert::exact_by_rule(em.def.conv, v, o, &em.def.map),
        // a list written item by item to a repeating place (names, addresses): reading gives
        // the list back when it gives each item back (an empty list writes nothing, so
        // reading it back is left to the scratch resource)
        [_, ..]
            if values.len() == outs.len()
                && matches!(em.def.conv, Conv::HumanName | Conv::Address) =>
        {
            values
                .iter()
                .zip(&outs)
                .map(|(x, o)| convert::exact_by_rule(em.def.conv, x, o, &em.def.map))
                .try_fold(true, |all, one| Some(all && one?))
        }
        _ => None,
    };
    // otherwise written to a scratch resource holding only this element, and read back (in
    // a debug build, also where the rule says, to check the rule against the reading)
    let read = (by_rule.is_none() || cfg!(debug_assertions))
        .then(|| read_back(res, class, em, el, v, &outs, refs));
    if let Some(None) = read {
        return Placement::Extension;
    }
    for o in outs {
        if put_out(res, &em.path, o).is_err() {
            snapshot.restore(res);
            return Placement::Extension;
        }
    }
    match by_rule {
        Some(exact) => {
            let placement = if exact {
                Placement::Exact
            } else {
                Placement::Approximate
            };
            debug_assert!(
                read.is_none() || read == Some(Some(placement)),
                "the exactness rule of {:?} disagrees with reading the value back",
                em.def.conv
            );
            placement
        }
        None => read.flatten().unwrap_or(Placement::Extension),
    }
}

/// Write `outs` to a scratch resource holding only this element, and read the element back
/// from it: `Exact` when that gives `v` without a problem, `Approximate` otherwise, `None`
/// when the scratch resource cannot take the writes.
fn read_back(
    res: &Value,
    class: &'static ClassDef,
    em: &CompiledElem,
    el: &'static model::ElementDef,
    v: &Value,
    outs: &[convert::Out],
    refs: &ExportRefs,
) -> Option<Placement> {
    let mut scratch = convert::obj([(
        "resourceType",
        res.get("resourceType").cloned().unwrap_or(Value::Null),
    )]);
    for o in outs {
        put_out(&mut scratch, &em.path, o.clone()).ok()?;
    }
    let mut consumed = Consumed::default();
    let mut problems = Vec::new();
    let mut cx = In {
        el,
        refs,
        consumed: &mut consumed,
        problems: &mut problems,
    };
    let back = read_element(&scratch, class.technical_name, em, el, &mut cx);
    Some(if back.as_ref() == Some(v) && problems.is_empty() {
        Placement::Exact
    } else {
        Placement::Approximate
    })
}

/// Write one converted value, with its `_name` sidecar when there is one.
fn put_out(res: &mut Value, p: &Path, o: convert::Out) -> Result<(), path::PutError> {
    path::put(res, p, o.value)?;
    if let Some(side) = o.sidecar {
        let sp = p.sidecar().ok_or(path::PutError::Shape)?;
        path::put(res, sp, side)?;
    }
    Ok(())
}

fn write_generic(
    res: &mut Value,
    class: &str,
    el: &'static model::ElementDef,
    v: &Value,
    refs: &ExportRefs,
) -> Option<()> {
    let url = systems::element_extension(class, el.technical_name);
    let values: Vec<&Value> = if el.occurs.repeats() {
        v.as_array()?.iter().collect()
    } else {
        vec![v]
    };
    for one in values {
        let mut e = convert::generic_out(el, one, refs)?;
        e.insert("url".into(), Value::String(url.clone()));
        push_extension(res, Value::Object(e))?;
    }
    Some(())
}

/// Append an extension to a resource's `extension` array (what a write at `extension[*]`
/// does, without parsing the path each time).
fn push_extension(res: &mut Value, e: Value) -> Option<()> {
    match res
        .as_object_mut()?
        .entry("extension")
        .or_insert_with(|| Value::Array(Vec::new()))
    {
        Value::Array(a) => {
            a.push(e);
            Some(())
        }
        _ => None,
    }
}

/// A care worker's professional registration as the identifier UK Core defines for the
/// register (GMC, NMC, HCPC, GPhC), beside the MODS elements (which travel exactly in their
/// element extensions): what a hospital or GP system matches a practitioner by.
fn register_identifier(res: &mut Value, worker: &Value) {
    let body = worker
        .pointer("/registration_body/code")
        .and_then(Value::as_str);
    let number = worker
        .get("registration_number")
        .and_then(Value::as_str)
        .filter(|n| convert::string_ok(n));
    let (Some(body), Some(number)) = (body, number) else {
        return;
    };
    let Some((_, system)) = systems::REGISTERS.iter().find(|(code, _)| *code == body) else {
        return;
    };
    if let Some(p) = fixed_path(&IDENTIFIER_PATH, "identifier[*]") {
        let _ = path::put(res, p, json!({"system": system, "value": number}));
    }
}

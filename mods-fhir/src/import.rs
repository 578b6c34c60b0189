//! FHIR Bundle (or one resource) to MODS record, with a report.
//!
//! Accepts what real senders send: transaction Bundles (entries with `request`, resources
//! without `id`), collection and document Bundles, `urn:uuid:` and relative references,
//! CodeableConcepts with several codings or text only, partial dates, date-times with
//! offsets, UK Core extensions, narrative present or absent. Each resource is classified
//! (the project's `meta.tag`, else the default class of its type), its elements read by the
//! class's mapping table, and every part no mapping read is reported with its FHIRPath
//! (and kept in `mods_extensions.fhir_unmapped` when the caller asks), never dropped in
//! silence.

use crate::convert::{self, In, Problem, Refs};
use crate::mapping::{mapping, CompiledClass, CompiledElem};
use crate::path::{self, escape, Consumed, Path};
use crate::report::{FhirIssue, ImportReport};
use crate::systems;
use crate::ImportOptions;
use mods_core::model::{self, ClassDef, ElementDef};
use mods_core::Severity;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// Why a document could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// Not JSON, or over the reader's limits.
    #[error(transparent)]
    Input(#[from] mods_core::InputError),
    /// JSON, but not a FHIR resource.
    #[error("not a FHIR resource: {0}")]
    NotFhir(&'static str),
}

/// A record read from FHIR, with its report.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The MODS record (JSON).
    pub record: Value,
    /// What the import met, and the record's validation.
    pub report: ImportReport,
}

/// Members of a Bundle import reads for structure only (the MODS version from `meta.tag`, the
/// entries) or deliberately not at all: they say how the Bundle travelled, not what the record
/// holds.
pub const BUNDLE_MEMBERS: &[&str] = &[
    "resourceType",
    "id",
    "meta",
    "implicitRules",
    "language",
    "identifier",
    "type",
    "timestamp",
    "total",
    "link",
    "entry",
    "signature",
];

/// Members of a Bundle entry import reads (`fullUrl`, `resource`) or deliberately not at all
/// (how it was requested, searched or answered).
pub const ENTRY_MEMBERS: &[&str] = &[
    "fullUrl", "resource", "request", "response", "search", "link",
];

/// Resolves references between the entries of a Bundle.
pub struct Resolver {
    by_url: BTreeMap<String, (String, String)>,
    by_identifier: BTreeMap<(String, String), (String, String)>,
}

impl Resolver {
    /// A logical reference by the project's record uid system.
    pub fn logical(reference: &Value) -> Option<(String, String)> {
        let id = reference.get("identifier")?;
        if id.get("system").and_then(Value::as_str) == Some(systems::RECORD_UID) {
            let v = id.get("value")?.as_str()?;
            return Some((v.to_string(), String::new()));
        }
        None
    }
}

impl Refs for Resolver {
    fn full_url(&self, _uid: &str) -> Option<String> {
        None
    }
    fn resolve(&self, reference: &Value) -> Result<(String, String), String> {
        if let Some(r) = reference.get("reference").and_then(Value::as_str) {
            if r.starts_with('#') {
                return Err(
                    "a reference to a contained resource, which import does not read".into(),
                );
            }
            if let Some(hit) = self.by_url.get(r) {
                return Ok(hit.clone());
            }
            // an absolute URL ending in Type/id, or a relative Type/id
            let parts: Vec<&str> = r.rsplitn(3, '/').collect();
            if parts.len() >= 2 {
                let key = format!("{}/{}", parts[1], parts[0]);
                if let Some(hit) = self.by_url.get(&key) {
                    return Ok(hit.clone());
                }
            }
            return Err("the reference does not resolve to an entry of the Bundle".into());
        }
        if let Some(id) = reference.get("identifier") {
            let sys = id.get("system").and_then(Value::as_str).unwrap_or_default();
            let val = id.get("value").and_then(Value::as_str).unwrap_or_default();
            if let Some(hit) = self.by_identifier.get(&(sys.to_string(), val.to_string())) {
                return Ok(hit.clone());
            }
            if let Some(hit) = Resolver::logical(reference) {
                return Ok(hit);
            }
            return Err("a logical reference (by identifier) to no entry of the Bundle".into());
        }
        Err("a reference with neither `reference` nor `identifier`".into())
    }
}

/// The FHIRPath of a pointer inside entry `i`'s resource.
pub fn fhirpath(entry: Option<usize>, pointer: &str) -> String {
    let mut out = match entry {
        Some(i) => format!("Bundle.entry[{i}].resource"),
        None => String::new(),
    };
    for seg in pointer.split('/').skip(1) {
        let seg = seg.replace("~1", "/").replace("~0", "~");
        if seg.parse::<usize>().is_ok() {
            out.push_str(&format!("[{seg}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&seg);
        }
    }
    if out.is_empty() {
        out.push_str("Bundle");
    }
    out
}

/// Read one element at its mapped path (used by import, and by export to check a value
/// comes back exactly).
pub fn read_element(
    resource: &Value,
    _class: &str,
    em: &CompiledElem,
    el: &'static ElementDef,
    cx: &mut In<'_>,
) -> Option<Value> {
    let nodes = path::get(resource, "", &em.path, cx.consumed);
    let mut values = Vec::new();
    for (ptr, node) in nodes {
        if let Some(v) = convert::import(em.def.conv, node, &ptr, resource, &em.def.map, cx) {
            values.push(v);
            if !el.occurs.repeats() {
                break;
            }
        }
    }
    if el.occurs.repeats() {
        // a repeating element mapped without `*` (names, addresses) reads one node per value
        (!values.is_empty()).then_some(Value::Array(values))
    } else {
        values.into_iter().next()
    }
}

/// Import a FHIR Bundle (or a single resource) as a MODS record.
pub fn from_fhir(bytes: &[u8], opts: &ImportOptions) -> Result<Imported, ImportError> {
    let doc = mods_core::parse_json(bytes, &opts.limits)?;
    let rt = doc
        .get("resourceType")
        .and_then(Value::as_str)
        .ok_or(ImportError::NotFhir("no resourceType"))?;
    let mut issues = Vec::new();
    let single;
    let entries: &[Value] = if rt == "Bundle" {
        match doc.get("entry") {
            None => &[],
            Some(Value::Array(a)) => a,
            Some(_) => return Err(ImportError::NotFhir("Bundle.entry is not an array")),
        }
    } else {
        single = [json!({"resource": doc.clone()})];
        &single
    };
    let in_bundle = rt == "Bundle";
    let loc = |i: usize, p: &str| {
        if in_bundle {
            fhirpath(Some(i), p)
        } else {
            let within = fhirpath(None, p);
            if p.is_empty() {
                rt.to_string()
            } else {
                format!("{rt}.{within}")
            }
        }
    };
    let mods_version = doc
        .pointer("/meta/tag")
        .and_then(Value::as_array)
        .and_then(|t| {
            t.iter()
                .find(|x| x.get("system").and_then(Value::as_str) == Some(systems::MODS_VERSION))
        })
        .and_then(|x| x.get("code"))
        .and_then(Value::as_str)
        .unwrap_or(&mapping().table.mods_version)
        .to_string();
    if mods_version != mapping().table.mods_version {
        issues.push(FhirIssue::new(
            "fhir-mods-version",
            Severity::Error,
            "Bundle.meta.tag".into(),
            format!(
                "the Bundle says MODS {mods_version}; import reads MODS {}",
                mapping().table.mods_version
            ),
        ));
    }
    if in_bundle {
        match doc.get("type").and_then(Value::as_str) {
            Some(
                "collection"
                | "transaction"
                | "document"
                | "batch"
                | "searchset"
                | "transaction-response"
                | "batch-response"
                | "message",
            ) => {}
            _ => issues.push(FhirIssue::new(
                "fhir-bundle-type",
                Severity::Warning,
                "Bundle.type".into(),
                "the Bundle has no type, or one import does not know".into(),
            )),
        }
    }

    // pass 1: classify, give every entry its record uid, index urls
    struct Entry<'e> {
        resource: &'e Value,
        class: Option<&'static ClassDef>,
        uid: Option<String>,
    }
    let model =
        model::model(&mapping().table.mods_version).ok_or(ImportError::NotFhir("no model"))?;
    let mut list: Vec<Entry<'_>> = Vec::new();
    let mut resolver = Resolver {
        by_url: BTreeMap::new(),
        by_identifier: BTreeMap::new(),
    };
    let mut seen_urls = BTreeMap::new();
    for (i, e) in entries.iter().enumerate() {
        let Some(res) = e.get("resource").filter(|r| r.is_object()) else {
            issues.push(FhirIssue::new(
                "fhir-entry-without-resource",
                Severity::Error,
                format!("Bundle.entry[{i}]"),
                "the entry has no resource".into(),
            ));
            list.push(Entry {
                resource: &Value::Null,
                class: None,
                uid: None,
            });
            continue;
        };
        let full_url = e.get("fullUrl").and_then(Value::as_str);
        if let Some(u) = full_url {
            if let Some(first) = seen_urls.insert(u.to_string(), i) {
                issues.push(FhirIssue::new(
                    "fhir-duplicate-fullurl",
                    Severity::Error,
                    format!("Bundle.entry[{i}].fullUrl"),
                    format!("the same fullUrl as entry {first}; references to it are ambiguous"),
                ));
            }
        }
        let class = classify(res, model);
        let uid = class.map(|c| uid_for(res, c, full_url, i));
        if let (Some(c), Some(uid)) = (class, &uid) {
            let hit = (uid.clone(), c.technical_name.to_string());
            if let Some(u) = full_url {
                resolver.by_url.entry(u.to_string()).or_insert(hit.clone());
            }
            if let (Some(t), Some(id)) = (
                res.get("resourceType").and_then(Value::as_str),
                res.get("id").and_then(Value::as_str),
            ) {
                resolver
                    .by_url
                    .entry(format!("{t}/{id}"))
                    .or_insert(hit.clone());
            }
            for idf in res
                .get("identifier")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let (Some(s), Some(v)) = (
                    idf.get("system").and_then(Value::as_str),
                    idf.get("value").and_then(Value::as_str),
                ) {
                    resolver
                        .by_identifier
                        .entry((s.to_string(), v.to_string()))
                        .or_insert(hit.clone());
                }
            }
        }
        list.push(Entry {
            resource: res,
            class,
            uid,
        });
    }

    // GP practices a Patient names only by ODS code (as PDS serves them): a GP practice
    // record each, so the registration is kept (its name is the reference's display, when
    // given; without one the record read says the name is missing)
    let mut named_practices: Vec<Value> = Vec::new();
    for e in &list {
        if e.class
            .is_none_or(|c| c.technical_name != "subject_of_care")
        {
            continue;
        }
        for gp in e
            .resource
            .get("generalPractitioner")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let Some(id) = gp.get("identifier") else {
                continue;
            };
            if gp.get("reference").is_some()
                || id.get("system").and_then(Value::as_str) != Some(systems::ODS_ORGANISATION)
            {
                continue;
            }
            let Some(code) = id.get("value").and_then(Value::as_str) else {
                continue;
            };
            let key = (systems::ODS_ORGANISATION.to_string(), code.to_string());
            if resolver.by_identifier.contains_key(&key) {
                continue;
            }
            let uid = format!("gp-{code}");
            let mut practice = Map::new();
            practice.insert("record_uid".into(), json!(uid));
            practice.insert("version_number".into(), json!(1));
            if let Some(name) = gp.get("display").and_then(Value::as_str) {
                practice.insert("organisation_name".into(), json!(name));
            }
            practice.insert("gp_practice_code".into(), json!(code));
            resolver
                .by_identifier
                .insert(key, (uid, "gp_practice".to_string()));
            named_practices.push(Value::Object(practice));
        }
    }

    // pass 2: read every resource
    let patient_uid = list
        .iter()
        .find(|e| {
            e.class
                .is_some_and(|c| c.technical_name == "subject_of_care")
        })
        .and_then(|e| e.uid.clone());
    let mut record = Map::new();
    record.insert("mods_version".into(), json!(mods_version));
    let mut by_class: BTreeMap<&'static str, Vec<(Option<usize>, Value)>> = BTreeMap::new();
    let mut unmapped = Vec::new();
    // the Bundle's envelope: read for structure only (see BUNDLE_MEMBERS, ENTRY_MEMBERS);
    // anything else in it is reported
    if in_bundle {
        let mut odd: Vec<(String, &Value)> = Vec::new();
        for (k, v) in doc.as_object().into_iter().flatten() {
            if !BUNDLE_MEMBERS.contains(&k.as_str()) {
                odd.push((format!("Bundle.{k}"), v));
            }
        }
        for (i, e) in entries.iter().enumerate() {
            for (k, v) in e.as_object().into_iter().flatten() {
                if !ENTRY_MEMBERS.contains(&k.as_str()) {
                    odd.push((format!("Bundle.entry[{i}].{k}"), v));
                }
            }
        }
        for (location, v) in odd {
            issues.push(FhirIssue::new(
                "fhir-element-unmapped",
                Severity::Warning,
                location.clone(),
                "a member of the Bundle that import does not read".into(),
            ));
            if opts.keep_unmapped {
                unmapped.push(json!({"path": location, "value": v}));
            }
        }
    }
    let mut record_ext: Option<Value> = None;
    let mut later = Vec::new();
    for p in named_practices {
        by_class.entry("gp_practice").or_default().push((None, p));
    }
    for (i, e) in list.iter().enumerate() {
        if e.resource.is_null() {
            continue;
        }
        crate::checks::check_resource(e.resource, &|p| loc(i, p), &mut issues);
        let rtype = e
            .resource
            .get("resourceType")
            .and_then(Value::as_str)
            .unwrap_or("?");
        if is_document_composition(e.resource) {
            // the Composition of our own document Bundles: a table of contents, nothing more
            continue;
        }
        if is_record_extensions(e.resource) {
            if let Some(text) = e
                .resource
                .pointer("/extension/0/valueString")
                .and_then(Value::as_str)
            {
                match serde_json::from_str::<Value>(text) {
                    Ok(v) if v.is_object() => record_ext = Some(v),
                    _ => issues.push(FhirIssue::new(
                        "fhir-value-invalid",
                        Severity::Error,
                        loc(i, "/extension/0/valueString"),
                        "the record's mods_extensions is not a JSON object".into(),
                    )),
                }
            }
            continue;
        }
        let Some(class) = e.class else {
            if crate::derived::takes(e.resource) {
                // derived views, PractitionerRole, CareTeam and MedicationRequest: read once
                // the records are (see `crate::derived`)
                later.push(crate::derived::Later {
                    index: i,
                    full_url: entries[i].get("fullUrl").and_then(Value::as_str),
                    resource: e.resource,
                });
                continue;
            }
            issues.push(FhirIssue::new(
                "fhir-resource-unmapped",
                Severity::Warning,
                loc(i, ""),
                format!("no MODS class takes a {rtype} resource"),
            ));
            if opts.keep_unmapped {
                unmapped.push(json!({"entry": i, "path": loc(i, ""), "value": e.resource}));
            }
            continue;
        };
        let mut consumed = Consumed::default();
        let mut problems: Vec<Problem> = Vec::new();
        let cm = mapping().class(class.technical_name);
        let inst = read_instance(
            e.resource,
            class,
            cm,
            e.uid.as_deref(),
            patient_uid.as_deref(),
            &resolver,
            &mut consumed,
            &mut problems,
            &mut issues,
            &|p| loc(i, p),
        );
        // merged records (Person demographics in the Patient)
        let merged = merged_records(e.resource, model);
        let mut inst = inst;
        if class.technical_name == "care_worker" {
            register_from_identifier(e.resource, &mut inst, &mut consumed);
        }
        if class.technical_name == "document" {
            crate::documents::date_from_attachment(
                e.resource,
                &mut inst,
                &resolver,
                &mut consumed,
                &mut problems,
            );
        }
        if class.technical_name == "subject_of_care" && merged.is_empty() {
            // a Patient from another system (PDS, a GP system): what it says of the person's
            // demographics becomes a Person demographics record, linked from the subject of care
            if let Some(dclass) = model.class("person_demographics") {
                let d = read_elements(
                    e.resource,
                    dclass,
                    mapping().class("person_demographics"),
                    &resolver,
                    &mut consumed,
                    &mut problems,
                );
                if d.as_object().is_some_and(|o| !o.is_empty()) {
                    let duid = format!("{}-demographics", e.uid.as_deref().unwrap_or("patient"));
                    let mut full = Map::new();
                    full.insert("record_uid".into(), json!(duid));
                    full.insert("version_number".into(), json!(1));
                    if let Value::Object(o) = d {
                        full.extend(o);
                    }
                    // the same birth date the Patient gives the subject of care
                    if let Some(dob) = inst.get("date_of_birth") {
                        full.entry("date_of_birth").or_insert_with(|| dob.clone());
                    }
                    if let Some(o) = inst.as_object_mut() {
                        o.insert("person_demographics".into(), json!(duid));
                    }
                    by_class
                        .entry("person_demographics")
                        .or_default()
                        .push((None, Value::Object(full)));
                }
            }
        }
        if class.technical_name == "subject_of_care" {
            let soc_uid = e.uid.as_deref().unwrap_or("patient");
            for (ci, c) in e
                .resource
                .get("contact")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                if let Some(pc) = contact_record(
                    c,
                    ci,
                    soc_uid,
                    model,
                    &resolver,
                    &mut consumed,
                    &mut problems,
                ) {
                    by_class
                        .entry("personal_contact")
                        .or_default()
                        .push((None, pc));
                }
            }
        }
        for (j, (mclass, muid, mversion, pos)) in merged.into_iter().enumerate() {
            let mcm = mapping().class(mclass.technical_name);
            let mut m = read_elements(
                e.resource,
                mclass,
                mcm,
                &resolver,
                &mut consumed,
                &mut problems,
            );
            if let Some(o) = m.as_object_mut() {
                if let Some(u) = &muid {
                    o.insert("record_uid".into(), json!(u));
                }
                o.insert(
                    "version_number".into(),
                    mversion.map(Value::from).unwrap_or(json!(1)),
                );
            }
            if let Some(ptr) = merged_ptr(e.resource, j) {
                consumed.mark(ptr);
            }
            by_class
                .entry(mclass.technical_name)
                .or_default()
                .push((pos, m));
        }
        for p in problems {
            issues.push(FhirIssue::new(
                p.code,
                severity_of(p.code),
                loc(i, &p.pointer),
                p.message,
            ));
        }
        let mut residue = Vec::new();
        consumed.residue(e.resource, "", &mut residue);
        for (ptr, v) in residue {
            issues.push(FhirIssue::new(
                "fhir-element-unmapped",
                Severity::Warning,
                loc(i, &ptr),
                format!(
                    "no MODS element of {} holds this {rtype} element",
                    class.technical_name
                ),
            ));
            if opts.keep_unmapped {
                unmapped.push(json!({"entry": i, "path": loc(i, &ptr), "value": v}));
            }
        }
        by_class
            .entry(class.technical_name)
            .or_default()
            .push((None, inst));
    }
    for (class, items) in by_class {
        if class == "subject_of_care" {
            let mut it = items.into_iter();
            if let Some((_, first)) = it.next() {
                record.insert(class.into(), first);
            }
            for (k, _) in it.enumerate() {
                issues.push(FhirIssue::new("fhir-several-patients", Severity::Error, "Bundle.entry".into(), format!("more than one Patient: the record holds one subject of care (extra Patient {})", k + 1)));
            }
            continue;
        }
        let mut plain: Vec<Value> = Vec::new();
        let mut placed: Vec<(usize, Value)> = Vec::new();
        for (pos, v) in items {
            match pos {
                Some(p) => placed.push((p, v)),
                None => plain.push(v),
            }
        }
        placed.sort_by_key(|(p, _)| *p);
        for (p, v) in placed {
            let at = p.min(plain.len());
            plain.insert(at, v);
        }
        record.insert(class.into(), Value::Array(plain));
    }
    crate::derived::read(
        &mut record,
        &later,
        &crate::derived::Cx {
            resolver: &resolver,
            patient_uid: patient_uid.as_deref(),
            keep_unmapped: opts.keep_unmapped,
            loc: &loc,
        },
        &mut issues,
        &mut unmapped,
    );
    if !record.contains_key("subject_of_care") {
        issues.push(FhirIssue::new(
            "fhir-no-patient",
            Severity::Error,
            "Bundle.entry".into(),
            "no Patient: a MODS record needs its subject of care".into(),
        ));
    }
    let mut ext = record_ext.unwrap_or_else(|| json!({}));
    if opts.keep_unmapped && !unmapped.is_empty() {
        if let Some(o) = ext.as_object_mut() {
            o.insert("fhir_unmapped".into(), Value::Array(unmapped));
        }
    }
    if ext.as_object().is_some_and(|o| !o.is_empty()) {
        record.insert(mods_core::validate::EXTENSIONS.into(), ext);
    }
    let record = Value::Object(record);
    let validation = mods_core::validate_record(&record, &opts.validation);
    Ok(Imported {
        record,
        report: ImportReport { issues, validation },
    })
}

/// The severity of an import problem by its code.
pub(crate) fn severity_of(code: &str) -> Severity {
    match code {
        "fhir-reference-unresolved"
        | "fhir-reference-wrong-target"
        | "fhir-value-invalid"
        | "fhir-subject-mismatch" => Severity::Error,
        _ => Severity::Warning,
    }
}

fn is_document_composition(res: &Value) -> bool {
    res.get("resourceType").and_then(Value::as_str) == Some("Composition")
        && res
            .pointer("/meta/tag")
            .and_then(Value::as_array)
            .is_some_and(|t| {
                t.iter().any(|x| {
                    x.get("system").and_then(Value::as_str) == Some(systems::MODS_CLASS)
                        && x.get("code").and_then(Value::as_str)
                            == Some(crate::export::DOCUMENT_TAG)
                })
            })
}

fn is_record_extensions(res: &Value) -> bool {
    res.get("resourceType").and_then(Value::as_str) == Some("Basic")
        && res.pointer("/code/coding/0/code").and_then(Value::as_str) == Some("mods_extensions")
        && res.pointer("/code/coding/0/system").and_then(Value::as_str) == Some(systems::MODS_CLASS)
}

/// The MODS class of a resource: the project's tag, `Basic.code`, or the type's default.
fn classify(res: &Value, model: &'static model::Model) -> Option<&'static ClassDef> {
    if crate::derived::derived_tag(res).is_some() {
        return None;
    }
    let tagged = res
        .pointer("/meta/tag")
        .and_then(Value::as_array)
        .and_then(|t| {
            t.iter()
                .find(|x| x.get("system").and_then(Value::as_str) == Some(systems::MODS_CLASS))
        })
        .and_then(|x| x.get("code"))
        .and_then(Value::as_str);
    let basic = (res.get("resourceType").and_then(Value::as_str) == Some("Basic"))
        .then(|| res.pointer("/code/coding/0"))
        .flatten()
        .filter(|c| c.get("system").and_then(Value::as_str) == Some(systems::MODS_CLASS))
        .and_then(|c| c.get("code"))
        .and_then(Value::as_str);
    if let Some(c) = tagged.or(basic).and_then(|n| model.class(n)) {
        return Some(c);
    }
    let rt = res.get("resourceType").and_then(Value::as_str)?;
    let name = mapping()
        .table
        .classes
        .iter()
        .find(|c| c.import_default && c.resource == rt)?
        .class
        .as_str();
    model.class(name)
}

/// The record uid of a resource: its record uid identifier, else from its `id` or `fullUrl`,
/// else from its entry.
pub(crate) fn uid_for(res: &Value, class: &ClassDef, full_url: Option<&str>, i: usize) -> String {
    if let Some(cm) = mapping().class(class.technical_name) {
        let mut c = Consumed::default();
        if let Some((_, v)) = path::get(res, "", &cm.uid, &mut c).into_iter().next() {
            if let Some(s) = v.as_str().filter(|s| mods_core::checks::is_uid(s)) {
                return s.to_string();
            }
        }
    } else if let Some(s) = res
        .get("identifier")
        .and_then(Value::as_array)
        .and_then(|a| {
            a.iter()
                .find(|x| x.get("system").and_then(Value::as_str) == Some(systems::RECORD_UID))
        })
        .and_then(|x| x.get("value"))
        .and_then(Value::as_str)
    {
        return s.to_string();
    }
    let rt = res
        .get("resourceType")
        .and_then(Value::as_str)
        .unwrap_or("resource");
    if let Some(id) = res
        .get("id")
        .and_then(Value::as_str)
        .filter(|s| mods_core::checks::is_uid(s))
    {
        return format!("{rt}-{id}");
    }
    if let Some(u) = full_url {
        let tail = u.rsplit(['/', ':']).next().unwrap_or(u);
        if mods_core::checks::is_uid(tail) {
            return format!("{rt}-{tail}");
        }
    }
    format!("{rt}-entry-{i}")
}

#[allow(clippy::too_many_arguments)]
fn read_instance(
    res: &Value,
    class: &'static ClassDef,
    cm: Option<&CompiledClass>,
    uid: Option<&str>,
    patient_uid: Option<&str>,
    resolver: &Resolver,
    consumed: &mut Consumed,
    problems: &mut Vec<Problem>,
    issues: &mut Vec<FhirIssue>,
    loc: &dyn Fn(&str) -> String,
) -> Value {
    mark_envelope(consumed);
    if let Some(tags) = res.pointer("/meta/tag").and_then(Value::as_array) {
        for (i, t) in tags.iter().enumerate() {
            if t.get("system").and_then(Value::as_str) == Some(systems::MODS_CLASS) {
                consumed.mark(format!("/meta/tag/{i}"));
            }
        }
    }
    // the uid path
    let parsed_uid;
    let uid_path = match cm {
        Some(c) => Some(&c.uid),
        None => {
            parsed_uid =
                Path::parse(&format!("identifier[system={}].value", systems::RECORD_UID)).ok();
            parsed_uid.as_ref()
        }
    };
    if let Some(up) = uid_path {
        if let Some((ptr, _)) = path::get(res, "", up, consumed).into_iter().next() {
            consumed.mark(ptr);
        }
    }
    if cm.is_none() {
        // Basic: its code names the class
        consumed.mark("/code".into());
    }
    if let Some(cm) = cm {
        for (p, v) in &cm.fixed {
            for (ptr, node) in path::get(res, "", p, consumed) {
                if node == v {
                    consumed.mark(ptr);
                    break;
                }
            }
        }
        for p in &cm.required {
            for (ptr, node) in path::get(res, "", p, consumed) {
                if is_data_absent(node) {
                    consumed.mark(ptr);
                }
            }
        }
    }
    // the implicit Patient reference
    if class.technical_name != "subject_of_care" {
        let parsed_subject;
        let (subject, taken) = match cm {
            Some(c) => (c.subject.as_ref(), c.subject_taken),
            None => {
                parsed_subject = Path::parse("subject").ok();
                (parsed_subject.as_ref(), false)
            }
        };
        if let Some(sp) = subject {
            if !taken {
                for (ptr, node) in path::get(res, "", sp, consumed) {
                    match resolver.resolve(node) {
                        Ok((u, _)) if Some(u.as_str()) == patient_uid => consumed.mark(ptr),
                        Ok(_) => issues.push(FhirIssue::new(
                            "fhir-subject-mismatch",
                            Severity::Error,
                            loc(&ptr),
                            "the resource is about someone other than the Bundle's Patient".into(),
                        )),
                        Err(why) => issues.push(FhirIssue::new(
                            "fhir-reference-unresolved",
                            Severity::Error,
                            loc(&ptr),
                            why,
                        )),
                    }
                }
            }
        }
    }
    let mut inst = read_elements(res, class, cm, resolver, consumed, problems);
    if let Some(o) = inst.as_object_mut() {
        if class.versioned {
            let version = res
                .pointer("/meta/versionId")
                .and_then(Value::as_str)
                .and_then(|s| s.parse::<u64>().ok())
                .unwrap_or(1);
            let mut ordered = Map::new();
            ordered.insert("record_uid".into(), json!(uid.unwrap_or_default()));
            ordered.insert("version_number".into(), json!(version));
            ordered.append(o);
            *o = ordered;
        }
        if class.technical_name == "subject_of_care" {
            if let Some((_, Some(u), _, _)) =
                merged_records(res, model::latest()).into_iter().next()
            {
                o.insert("person_demographics".into(), json!(u));
            }
        }
    }
    inst
}

fn is_data_absent(node: &Value) -> bool {
    node.as_object().is_some_and(|o| {
        o.len() == 1
            && o.get("extension")
                .and_then(Value::as_array)
                .is_some_and(|a| {
                    a.len() == 1
                        && a[0].get("url").and_then(Value::as_str)
                            == Some(systems::DATA_ABSENT_REASON)
                })
    })
}

/// Members of every resource no MODS element holds and import deliberately does not report:
/// its type, its id, its narrative (generated from the record) and the bookkeeping of `meta`.
pub(crate) const ENVELOPE: [&str; 6] = [
    "/resourceType",
    "/id",
    "/text",
    "/meta/lastUpdated",
    "/meta/profile",
    "/meta/versionId",
];

/// Mark a resource's [`ENVELOPE`] as read.
pub(crate) fn mark_envelope(consumed: &mut Consumed) {
    for p in ENVELOPE {
        consumed.mark(p.into());
    }
}

/// Read the elements of a class from a resource.
fn read_elements(
    res: &Value,
    class: &'static ClassDef,
    cm: Option<&CompiledClass>,
    resolver: &Resolver,
    consumed: &mut Consumed,
    problems: &mut Vec<Problem>,
) -> Value {
    let mut out = Map::new();
    // the resource's extensions by URL, once (each element looks its own up)
    let mut by_url: std::collections::HashMap<&str, Vec<usize>> = std::collections::HashMap::new();
    let exts: &[Value] = res
        .get("extension")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice);
    for (i, x) in exts.iter().enumerate() {
        if let Some(u) = x.get("url").and_then(Value::as_str) {
            by_url.entry(u).or_default().push(i);
        }
    }
    let base = format!(
        "{}/{}/",
        systems::ELEMENT_EXTENSION_BASE,
        class.technical_name
    );
    let mut url = String::with_capacity(base.len() + 48);
    for el in class.elements {
        let name = el.technical_name;
        if class.versioned && (name == "record_uid" || name == "version_number") {
            continue;
        }
        if class.technical_name == "subject_of_care" && name == "person_demographics" {
            continue;
        }
        url.clear();
        url.push_str(&base);
        url.push_str(name);
        let mut generic = Vec::new();
        for &i in by_url.get(url.as_str()).map_or(&[][..], Vec::as_slice) {
            let ptr = format!("/extension/{i}");
            let node = &exts[i];
            if consumed.covers_all(node, &ptr) {
                continue;
            }
            let mut cx = In {
                el,
                refs: resolver,
                consumed,
                problems,
            };
            if let Some(v) = convert::generic_in(el, node, &ptr, &mut cx) {
                generic.push(v);
            }
        }
        let mapped = cm.and_then(|c| c.elements.get(name));
        let value = if !generic.is_empty() {
            if let Some(em) = mapped {
                // the approximate FHIR form beside the exact one: read and set aside
                let mut scratch = Vec::new();
                let mut cx = In {
                    el,
                    refs: resolver,
                    consumed,
                    problems: &mut scratch,
                };
                let _ = read_element(res, class.technical_name, em, el, &mut cx);
            }
            if el.occurs.repeats() {
                Some(Value::Array(generic))
            } else {
                generic.into_iter().next()
            }
        } else if let Some(em) = mapped {
            let mut cx = In {
                el,
                refs: resolver,
                consumed,
                problems,
            };
            read_element(res, class.technical_name, em, el, &mut cx)
        } else {
            None
        };
        if let Some(v) = value {
            out.insert(name.to_string(), v);
        }
    }
    // members that are not elements, carried exactly
    for (i, e) in res
        .get("extension")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let ptr = format!("/extension/{i}");
        if e.get("url").and_then(Value::as_str) == Some(systems::UNKNOWN_MEMBER)
            && !consumed.covers(&ptr)
            && convert::unknown_class(e).is_none_or(|c| c == class.technical_name)
        {
            if let Some((k, v)) = convert::unknown_in(e) {
                if class.element(&k).is_none() && !out.contains_key(&k) {
                    consumed.mark(ptr);
                    out.insert(k, v);
                }
            }
        }
    }
    Value::Object(out)
}

type Merged = (
    &'static ClassDef,
    Option<String>,
    Option<u64>,
    Option<usize>,
);

fn merged_records(res: &Value, model: &'static model::Model) -> Vec<Merged> {
    let mut out = Vec::new();
    for e in res
        .get("extension")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if e.get("url").and_then(Value::as_str) != Some(systems::MERGED_RECORD) {
            continue;
        }
        let sub = |k: &str, vk: &str| {
            e.get("extension")
                .and_then(Value::as_array)
                .and_then(|a| {
                    a.iter()
                        .find(|x| x.get("url").and_then(Value::as_str) == Some(k))
                })
                .and_then(|x| x.get(vk))
                .cloned()
        };
        let Some(class) =
            sub("class", "valueCode").and_then(|v| v.as_str().and_then(|c| model.class(c)))
        else {
            continue;
        };
        out.push((
            class,
            sub("record_uid", "valueString").and_then(|v| v.as_str().map(str::to_string)),
            sub("version_number", "valueInteger").and_then(|v| v.as_u64()),
            sub("position", "valueInteger")
                .and_then(|v| v.as_u64())
                .map(|p| p as usize),
        ));
    }
    out
}

fn merged_ptr(res: &Value, nth: usize) -> Option<String> {
    let exts = res.get("extension")?.as_array()?;
    let i = exts
        .iter()
        .enumerate()
        .filter(|(_, e)| e.get("url").and_then(Value::as_str) == Some(systems::MERGED_RECORD))
        .nth(nth)?
        .0;
    Some(format!("/extension/{}", escape(&i.to_string())))
}

/// A `Patient.contact` (how PDS and GP systems give next of kin and emergency contacts) as a
/// Personal contact record: read with Personal contact's mapping from the RelatedPerson the
/// contact amounts to; what it reads is marked read in the Patient.
fn contact_record(
    c: &Value,
    ci: usize,
    soc_uid: &str,
    model: &'static model::Model,
    resolver: &Resolver,
    consumed: &mut Consumed,
    problems: &mut Vec<Problem>,
) -> Option<Value> {
    let class = model.class("personal_contact")?;
    let o = c.as_object()?;
    let base = format!("/contact/{ci}");
    // the RelatedPerson: name and address become one-item arrays; ContactRank (a
    // Patient.contact extension) becomes the element extension of `contact_priority`
    let mut rp = Map::new();
    rp.insert("resourceType".into(), json!("RelatedPerson"));
    let mut moved: Vec<(String, String)> = Vec::new();
    for (k, v) in o {
        match k.as_str() {
            "name" | "address" => {
                rp.insert(k.clone(), json!([v]));
                moved.push((format!("/{k}/0"), format!("{base}/{k}")));
            }
            "extension" => {
                let mut exts = Vec::new();
                for (j, x) in v.as_array().into_iter().flatten().enumerate() {
                    let rank = x.get("url").and_then(Value::as_str) == Some(CONTACT_RANK);
                    match (rank, x.get("valuePositiveInt")) {
                        (true, Some(n)) => {
                            exts.push(json!({"url": systems::element_extension("personal_contact", "contact_priority"), "valueDecimal": n}));
                            moved
                                .push((format!("/extension/{j}"), format!("{base}/extension/{j}")));
                        }
                        _ => {
                            exts.push(x.clone());
                            moved
                                .push((format!("/extension/{j}"), format!("{base}/extension/{j}")));
                        }
                    }
                }
                rp.insert("extension".into(), Value::Array(exts));
            }
            _ => {
                rp.insert(k.clone(), v.clone());
                moved.push((format!("/{}", escape(k)), format!("{base}/{}", escape(k))));
            }
        }
    }
    let rp = Value::Object(rp);
    let mut inner = Consumed::default();
    let mut inner_problems = Vec::new();
    let read = read_elements(
        &rp,
        class,
        mapping().class("personal_contact"),
        resolver,
        &mut inner,
        &mut inner_problems,
    );
    // what was read, in the Patient's terms
    let translate = |p: &str| -> Option<String> {
        moved.iter().find_map(|(from, to)| {
            if p == from {
                Some(to.clone())
            } else {
                p.strip_prefix(&format!("{from}/")).map(|rest| {
                    if from.starts_with("/extension/") {
                        // a moved ContactRank is read whole
                        to.clone()
                    } else {
                        format!("{to}/{rest}")
                    }
                })
            }
        })
    };
    let mut leaves = Vec::new();
    collect_leaves(&rp, "", &mut leaves);
    for p in leaves {
        if inner.covers(&p) {
            if let Some(t) = translate(&p) {
                consumed.mark(t);
            }
        }
    }
    for mut pr in inner_problems {
        if let Some(t) = translate(&pr.pointer) {
            pr.pointer = t;
        }
        problems.push(pr);
    }
    let mut m = Map::new();
    m.insert(
        "record_uid".into(),
        json!(format!("{soc_uid}-contact-{}", ci + 1)),
    );
    m.insert("version_number".into(), json!(1));
    m.insert("subject_of_care".into(), json!(soc_uid));
    if let Value::Object(r) = read {
        m.extend(r);
    }
    Some(Value::Object(m))
}

const CONTACT_RANK: &str =
    "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-ContactRank";

fn collect_leaves(v: &Value, ptr: &str, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                collect_leaves(x, &format!("{ptr}/{}", escape(k)), out);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                collect_leaves(x, &format!("{ptr}/{i}"), out);
            }
        }
        _ => out.push(ptr.to_string()),
    }
}

/// A practitioner's register identifier (GMC, NMC, HCPC, GPhC): read (marked) always; it gives
/// the care worker's registration body and number when the record has none from its element
/// extensions (a Practitioner from another system).
fn register_from_identifier(res: &Value, inst: &mut Value, consumed: &mut Consumed) {
    let Some(ids) = res.get("identifier").and_then(Value::as_array) else {
        return;
    };
    for (i, id) in ids.iter().enumerate() {
        let system = id.get("system").and_then(Value::as_str);
        let Some((code, _)) = systems::REGISTERS.iter().find(|(_, s)| Some(*s) == system) else {
            continue;
        };
        let Some(number) = id.get("value").and_then(Value::as_str) else {
            continue;
        };
        let ptr = format!("/identifier/{i}");
        if consumed.covers_all(id, &ptr) {
            continue;
        }
        consumed.mark(ptr);
        if let Some(o) = inst.as_object_mut() {
            if !o.contains_key("registration_number") && !o.contains_key("registration_body") {
                o.insert("registration_number".into(), json!(number));
                o.insert("registration_body".into(), json!({ "code": code }));
            }
        }
    }
}

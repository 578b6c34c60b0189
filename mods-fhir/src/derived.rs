//! Derived resources: FHIR views of records whose MODS elements already travel, exactly, in
//! the record's own resource.
//!
//! A care worker's role, employer and work telephone are where a FHIR consumer looks for them
//! in a PractitionerRole; the people a worker cares for make a CareTeam; sexual orientation,
//! pregnancy and immigration status are Observations in UK Core. The record's own resource
//! (the Practitioner, the Patient) keeps every element exactly, so the round trip never
//! depends on these views: export writes them ([`resources`]), tagged in `meta.tag` with the
//! project's class code system and a code naming the view ([`ROLE_TAG`], [`CARE_TEAM_TAG`],
//! [`OBSERVATION_TAG`]), and import recognises them, works out the views the record it read
//! gives, and reads what agrees as the duplicate it is. Whatever differs (a view edited by
//! another system) is reported by FHIRPath, as every part no MODS element holds is.
//!
//! PractitionerRole and CareTeam resources of other systems (without the tag) are read into
//! the care workers they name: see [`crate::roles`].

use crate::convert::{Problem, Refs};
use crate::export::full_url_for;
use crate::path::{escape, Consumed};
use crate::report::FhirIssue;
use crate::systems;
use crate::ProfileSet;
use mods_core::Severity;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// `meta.tag` code (system [`systems::MODS_CLASS`]) of the PractitionerRole derived from a
/// care worker.
pub const ROLE_TAG: &str = "care_worker_role";
/// `meta.tag` code of a CareTeam derived from the care workers' `provides_care_for`.
pub const CARE_TEAM_TAG: &str = "care_team";
/// `meta.tag` code of an Observation derived from an element of Person demographics.
pub const OBSERVATION_TAG: &str = "demographic_observation";

/// The derived views, with the title of their section in a `document` Bundle.
const VIEWS: &[(&str, &str)] = &[
    (ROLE_TAG, "Care worker roles"),
    (CARE_TEAM_TAG, "Care team"),
    (OBSERVATION_TAG, "Demographic observations"),
];

/// The derived-view tag a resource carries, if any.
pub fn derived_tag(res: &Value) -> Option<&'static str> {
    let tags = res.pointer("/meta/tag")?.as_array()?;
    tags.iter()
        .filter(|t| t.get("system").and_then(Value::as_str) == Some(systems::MODS_CLASS))
        .find_map(|t| {
            let code = t.get("code").and_then(Value::as_str)?;
            VIEWS.iter().find(|(c, _)| *c == code).map(|(c, _)| *c)
        })
}

/// The section title of a derived view in a `document` Bundle's Composition.
pub fn section_title(tag: &str) -> Option<&'static str> {
    VIEWS.iter().find(|(c, _)| *c == tag).map(|(_, t)| *t)
}

/// The derived resources of a record, as (full URL, resource), in a stable order: the
/// PractitionerRoles (care worker order), the CareTeams, the demographic Observations.
pub fn resources(record: &Value, refs: &dyn Refs, profiles: ProfileSet) -> Vec<(String, Value)> {
    let mut out = crate::roles::resources(record, refs, profiles);
    out.extend(crate::observations::resources(record, refs, profiles));
    out
}

/// A derived resource's start: type, `meta` (profile, tag) and its identifier, under the full
/// URL of the view and its key (stable across exports, so a transaction's conditional create
/// finds it again).
pub(crate) fn skeleton(
    resource_type: &str,
    tag: &str,
    key: &str,
    profile: Option<&str>,
) -> (String, Map<String, Value>) {
    let url = full_url_for(tag, key);
    let id = url.trim_start_matches("urn:uuid:").to_string();
    let mut meta = Map::new();
    if let Some(p) = profile {
        meta.insert("profile".into(), json!([p]));
    }
    meta.insert(
        "tag".into(),
        json!([{"system": systems::MODS_CLASS, "code": tag}]),
    );
    let mut res = Map::new();
    res.insert("resourceType".into(), json!(resource_type));
    res.insert("meta".into(), Value::Object(meta));
    res.insert(
        "identifier".into(),
        json!([{"system": systems::DERIVED_RESOURCE, "value": id}]),
    );
    (url, res)
}

/// A FHIR `code`: no leading, trailing or doubled white space, not empty.
pub(crate) fn code_ok(s: &str) -> bool {
    !s.is_empty()
        && s.split(' ')
            .all(|w| !w.is_empty() && !w.chars().any(char::is_whitespace))
}

/// A MODS coded value as a plain FHIR Coding (the element's bound system when the value
/// leaves it out), or `None` when FHIR cannot carry it.
pub(crate) fn coding(el: &mods_core::model::ElementDef, v: &Value) -> Option<Value> {
    let o = v.as_object()?;
    let code = o.get("code")?.as_str().filter(|c| code_ok(c))?;
    let mut c = Map::new();
    let system = o
        .get("system")
        .and_then(Value::as_str)
        .or_else(|| crate::convert::default_system(el));
    if let Some(s) = system {
        if s.is_empty() || s.chars().any(char::is_whitespace) {
            return None;
        }
        c.insert("system".into(), json!(s));
    }
    c.insert("code".into(), json!(code));
    if let Some(d) = o.get("display").and_then(Value::as_str) {
        if crate::convert::string_ok(d) {
            c.insert("display".into(), json!(d));
        }
    }
    Some(Value::Object(c))
}

/// The element definition of `class.element` in the mapping's MODS version.
pub(crate) fn element(class: &str, element: &str) -> Option<&'static mods_core::model::ElementDef> {
    mods_core::model::model(&crate::mapping::mapping().table.mods_version)?
        .class(class)?
        .element(element)
}

/// One Bundle entry import set aside for this module: a derived view, or a PractitionerRole
/// or CareTeam of another system.
pub(crate) struct Later<'a> {
    /// Its index in the Bundle.
    pub index: usize,
    /// Its `fullUrl`.
    pub full_url: Option<&'a str>,
    /// The resource.
    pub resource: &'a Value,
}

/// Whether import sets this resource (of no MODS class) aside for [`read`]: a derived view,
/// or a PractitionerRole, CareTeam or MedicationRequest.
pub(crate) fn takes(res: &Value) -> bool {
    derived_tag(res).is_some()
        || matches!(
            res.get("resourceType").and_then(Value::as_str),
            Some("PractitionerRole" | "CareTeam" | "MedicationRequest")
        )
}

/// References by record uid to the full URLs an export of `record` gives its records.
struct RecordRefs {
    by_uid: BTreeMap<String, String>,
}

impl RecordRefs {
    fn of(record: &Map<String, Value>) -> RecordRefs {
        let mut by_uid = BTreeMap::new();
        let model = mods_core::model::model(&crate::mapping::mapping().table.mods_version);
        for (class, v) in record {
            // a Change log's `record_uid` names the record it changed
            if !model
                .and_then(|m| m.class(class))
                .is_some_and(|c| c.versioned)
            {
                continue;
            }
            let items: Vec<&Value> = match v {
                Value::Array(a) => a.iter().collect(),
                Value::Object(_) if class == "subject_of_care" => vec![v],
                _ => continue,
            };
            for item in items {
                if let Some(uid) = item.get("record_uid").and_then(Value::as_str) {
                    by_uid
                        .entry(uid.to_string())
                        .or_insert_with(|| full_url_for(class, uid));
                }
            }
        }
        RecordRefs { by_uid }
    }
}

impl Refs for RecordRefs {
    fn full_url(&self, uid: &str) -> Option<String> {
        self.by_uid.get(uid).cloned()
    }
    fn resolve(&self, _reference: &Value) -> Result<(String, String), String> {
        Err("not used".into())
    }
}

/// What import needs around the entries set aside.
pub(crate) struct Cx<'a> {
    /// Resolves references between entries.
    pub resolver: &'a dyn Refs,
    /// The subject of care's record uid.
    pub patient_uid: Option<&'a str>,
    /// Keep what no element holds in `fhir_unmapped`.
    pub keep_unmapped: bool,
    /// FHIRPath of a pointer in entry `i`.
    pub loc: &'a dyn Fn(usize, &str) -> String,
}

/// Read the entries set aside: derived views are matched against the views the record read
/// gives (what agrees is read; the rest reported); PractitionerRole and CareTeam resources of
/// other systems go into the care workers they name ([`crate::roles`]); a MedicationRequest
/// becomes a Medication ([`crate::flows::medication_request`]).
pub(crate) fn read(
    record: &mut Map<String, Value>,
    later: &[Later<'_>],
    cx: &Cx<'_>,
    issues: &mut Vec<FhirIssue>,
    unmapped: &mut Vec<Value>,
) {
    if later.is_empty() {
        return;
    }
    // the views the record read gives, by identifier (computed before foreign resources add
    // to the care workers: our views show the record as it was exported)
    let expected: BTreeMap<String, Value> =
        if later.iter().any(|l| derived_tag(l.resource).is_some()) {
            let refs = RecordRefs::of(record);
            // the record as a Value for the moment (moved, not copied)
            let whole = Value::Object(std::mem::take(record));
            let views = resources(&whole, &refs, ProfileSet::UkCoreCurrent);
            if let Value::Object(m) = whole {
                *record = m;
            }
            views
                .into_iter()
                .map(|(url, res)| (url.trim_start_matches("urn:uuid:").to_string(), res))
                .collect()
        } else {
            BTreeMap::new()
        };
    // where each entry set aside is found by reference: derived views by their canonical URL,
    // foreign PractitionerRoles by the care worker they are of
    let mut urls: BTreeMap<String, String> = BTreeMap::new();
    for l in later {
        let key = match derived_id(l.resource) {
            Some(id) if derived_tag(l.resource).is_some() => format!("urn:uuid:{id}"),
            _ => format!("#entry-{}", l.index),
        };
        if let Some(u) = l.full_url {
            urls.insert(u.to_string(), key.clone());
        }
        if let (Some(t), Some(id)) = (
            l.resource.get("resourceType").and_then(Value::as_str),
            l.resource.get("id").and_then(Value::as_str),
        ) {
            urls.insert(format!("{t}/{id}"), key);
        }
    }
    let mut role_workers: BTreeMap<String, String> = BTreeMap::new();
    // foreign PractitionerRoles first: a foreign CareTeam's members may name them
    let mut order: Vec<&Later<'_>> = later.iter().collect();
    order.sort_by_key(|l| {
        (
            derived_tag(l.resource).is_some(),
            l.resource.get("resourceType").and_then(Value::as_str) != Some("PractitionerRole"),
        )
    });
    let mut done: Vec<(usize, Consumed, Vec<Problem>, Option<String>)> = Vec::new();
    for l in order {
        let mut consumed = Consumed::default();
        crate::import::mark_envelope(&mut consumed);
        let mut problems = Vec::new();
        let outcome = if let Some(tag) = derived_tag(l.resource) {
            mark_tag(l.resource, &mut consumed);
            match derived_id(l.resource).and_then(|id| expected.get(id).map(|e| (id, e))) {
                Some((id, e)) => {
                    let ptr = identifier_ptr(l.resource, id);
                    if let Some(p) = ptr {
                        consumed.mark(p);
                    }
                    let norm = |r: &str| normalise(r, &urls, cx.resolver);
                    agree(l.resource, e, "", &mut consumed, &norm);
                    None
                }
                None => Some(format!(
                    "a {tag} view ({}) of no record the Bundle gives",
                    l.resource
                        .get("resourceType")
                        .and_then(Value::as_str)
                        .unwrap_or("resource")
                )),
            }
        } else {
            match l.resource.get("resourceType").and_then(Value::as_str) {
                Some("PractitionerRole") => {
                    match crate::roles::read_role(
                        record,
                        l.resource,
                        cx.resolver,
                        &mut consumed,
                        &mut problems,
                    ) {
                        Ok(worker) => {
                            role_workers.insert(format!("#entry-{}", l.index), worker);
                            None
                        }
                        Err(why) => Some(why.to_string()),
                    }
                }
                Some("MedicationRequest") => {
                    match crate::flows::medication_request::import_request(
                        record,
                        l,
                        cx,
                        &mut consumed,
                        &mut problems,
                    ) {
                        Ok(()) => None,
                        Err(why) => Some(why.to_string()),
                    }
                }
                _ => {
                    let member = |r: &Value| -> Option<String> {
                        let s = r.get("reference").and_then(Value::as_str)?;
                        role_workers.get(urls.get(s)?).cloned()
                    };
                    match crate::roles::read_team(
                        record,
                        l.resource,
                        cx.resolver,
                        cx.patient_uid,
                        &member,
                        &mut consumed,
                        &mut problems,
                    ) {
                        Ok(()) => None,
                        Err(why) => Some(why.to_string()),
                    }
                }
            }
        };
        done.push((l.index, consumed, problems, outcome));
    }
    done.sort_by_key(|(i, ..)| *i);
    for (i, consumed, problems, outcome) in done {
        let Some(l) = later.iter().find(|l| l.index == i) else {
            continue;
        };
        if let Some(why) = outcome {
            issues.push(FhirIssue::new(
                "fhir-resource-unmapped",
                Severity::Warning,
                (cx.loc)(i, ""),
                why,
            ));
            if cx.keep_unmapped {
                unmapped.push(json!({"entry": i, "path": (cx.loc)(i, ""), "value": l.resource}));
            }
            continue;
        }
        for p in problems {
            issues.push(FhirIssue::new(
                p.code,
                crate::import::severity_of(p.code),
                (cx.loc)(i, &p.pointer),
                p.message,
            ));
        }
        let rtype = l
            .resource
            .get("resourceType")
            .and_then(Value::as_str)
            .unwrap_or("?");
        let what = if derived_tag(l.resource).is_some() {
            format!("this part of a derived {rtype} differs from what the record read gives")
        } else {
            format!("no MODS element holds this {rtype} element")
        };
        let mut residue = Vec::new();
        consumed.residue(l.resource, "", &mut residue);
        for (ptr, v) in residue {
            issues.push(FhirIssue::new(
                "fhir-element-unmapped",
                Severity::Warning,
                (cx.loc)(i, &ptr),
                what.clone(),
            ));
            if cx.keep_unmapped {
                unmapped.push(json!({"entry": i, "path": (cx.loc)(i, &ptr), "value": v}));
            }
        }
    }
}

/// The value of a resource's derived-resource identifier.
fn derived_id(res: &Value) -> Option<&str> {
    res.get("identifier")?
        .as_array()?
        .iter()
        .find(|i| i.get("system").and_then(Value::as_str) == Some(systems::DERIVED_RESOURCE))?
        .get("value")?
        .as_str()
}

fn identifier_ptr(res: &Value, id: &str) -> Option<String> {
    let i = res.get("identifier")?.as_array()?.iter().position(|x| {
        x.get("system").and_then(Value::as_str) == Some(systems::DERIVED_RESOURCE)
            && x.get("value").and_then(Value::as_str) == Some(id)
    })?;
    Some(format!("/identifier/{i}"))
}

fn mark_tag(res: &Value, consumed: &mut Consumed) {
    for (i, t) in res
        .pointer("/meta/tag")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        if t.get("system").and_then(Value::as_str) == Some(systems::MODS_CLASS) {
            consumed.mark(format!("/meta/tag/{i}"));
        }
    }
}

/// A reference of the Bundle in the terms of an export: the full URL an export gives its
/// target (a record, or a derived view).
fn normalise(r: &str, urls: &BTreeMap<String, String>, resolver: &dyn Refs) -> Option<String> {
    if let Some(u) = urls.get(r) {
        return Some(u.clone());
    }
    let (uid, class) = resolver.resolve(&json!({ "reference": r })).ok()?;
    (!class.is_empty()).then(|| full_url_for(&class, &uid))
}

/// Mark what `actual` has exactly as `expected` has it (references compared by target).
fn agree(
    actual: &Value,
    expected: &Value,
    ptr: &str,
    consumed: &mut Consumed,
    norm: &dyn Fn(&str) -> Option<String>,
) {
    match (actual, expected) {
        (Value::Object(a), Value::Object(e)) => {
            for (k, av) in a {
                let p = format!("{ptr}/{}", escape(k));
                if k == "reference" {
                    if let (Some(r), Some(want)) =
                        (av.as_str(), e.get("reference").and_then(Value::as_str))
                    {
                        if r == want || norm(r).as_deref() == Some(want) {
                            consumed.mark(p);
                        }
                    }
                    continue;
                }
                if let Some(ev) = e.get(k) {
                    agree(av, ev, &p, consumed, norm);
                }
            }
        }
        (Value::Array(a), Value::Array(e)) => {
            for (i, (av, ev)) in a.iter().zip(e).enumerate() {
                agree(av, ev, &format!("{ptr}/{i}"), consumed, norm);
            }
        }
        (a, e) if a == e && !a.is_object() && !a.is_array() => consumed.mark(ptr.to_string()),
        _ => {}
    }
}

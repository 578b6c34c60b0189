//! Care workers as UK Core PractitionerRole and CareTeam, both ways.
//!
//! **Export** (derived views, see [`crate::derived`]): every care worker gets a
//! UKCore-PractitionerRole: `practitioner` its Practitioner, `organization` its employing
//! organisation, `code` its category, professional roles and job title (text only), and
//! `telecom` its work telephone. The people a care worker provides care for make CareTeams of
//! the subject of care, one per care team name (one unnamed team for the links without one):
//! `subject` the Patient, `name` the team name, a `participant` per link with `role` the role
//! in care, `member` the worker's PractitionerRole and `period` the link's start and end
//! dates. The Practitioner keeps every element exactly as before, so these are duplicates:
//! specialty (MAIN SPECIALTY CODE, where UK Core binds PractitionerRole.specialty to SNOMED CT
//! practice settings, extensible), registration, other contact details and the key worker
//! flag are on the Practitioner only.
//!
//! **Import** of PractitionerRole and CareTeam resources of other systems: a PractitionerRole
//! whose `practitioner` is a care worker of the Bundle gives that worker its employing
//! organisation, specialty, job title (a `code` with text only), professional roles (other
//! codes; one from the care worker category system is the category), work telephone and
//! email, where the worker has none (or the same); a CareTeam about the Patient gives each
//! participant that is a care worker (or a PractitionerRole of one) a `provides_care_for`
//! link. Everything else is reported by FHIRPath.

use crate::convert::{self, obj, In, Problem, Refs};
use crate::derived::{coding, element, skeleton, CARE_TEAM_TAG, ROLE_TAG};
use crate::mapping::Conv;
use crate::path::Consumed;
use crate::ProfileSet;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

const ROLE_PROFILE: &str = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-PractitionerRole";
/// UKCore-CareTeam is a draft of the current build; 2.0.2 has none.
const CARE_TEAM_PROFILE: &str = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-CareTeam";

fn worker_uid(w: &Value) -> Option<&str> {
    w.get("record_uid").and_then(Value::as_str)
}

/// The PractitionerRoles and CareTeams of a record.
pub(crate) fn resources(
    record: &Value,
    refs: &dyn Refs,
    profiles: ProfileSet,
) -> Vec<(String, Value)> {
    let workers: &[Value] = record
        .get("care_worker")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice);
    let mut out = Vec::new();
    let mut role_urls: BTreeMap<&str, String> = BTreeMap::new();
    for w in workers {
        let Some(uid) = worker_uid(w) else { continue };
        let Some(practitioner) = refs.full_url(uid) else {
            continue;
        };
        let (url, mut res) = skeleton("PractitionerRole", ROLE_TAG, uid, Some(ROLE_PROFILE));
        res.insert(
            "practitioner".into(),
            obj([("reference", Value::String(practitioner))]),
        );
        if let Some(org) = w.get("employing_organisation").and_then(Value::as_str) {
            res.insert("organization".into(), convert::reference_out(org, refs));
        }
        let mut codes = Vec::new();
        let category = element("care_worker", "care_worker_category");
        if let (Some(el), Some(v)) = (category, w.get("care_worker_category")) {
            if let Some(c) = coding(el, v) {
                codes.push(obj([("coding", Value::Array(vec![c]))]));
            }
        }
        let role = element("care_worker", "professional_role");
        for v in w
            .get("professional_role")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(c) = role.and_then(|el| coding(el, v)) {
                codes.push(obj([("coding", Value::Array(vec![c]))]));
            }
        }
        if let Some(t) = w
            .get("job_title")
            .and_then(Value::as_str)
            .filter(|t| convert::string_ok(t))
        {
            codes.push(json!({ "text": t }));
        }
        if !codes.is_empty() {
            res.insert("code".into(), Value::Array(codes));
        }
        if let Some(t) = w
            .pointer("/contact_details/work_telephone")
            .and_then(Value::as_str)
            .filter(|t| convert::string_ok(t))
        {
            res.insert(
                "telecom".into(),
                json!([{"system": "phone", "value": t, "use": "work"}]),
            );
        }
        role_urls.insert(uid, url.clone());
        out.push((url, Value::Object(res)));
    }
    out.extend(care_teams(record, workers, &role_urls, refs, profiles));
    out
}

/// One CareTeam per care team name, in order of first appearance.
fn care_teams(
    record: &Value,
    workers: &[Value],
    role_urls: &BTreeMap<&str, String>,
    refs: &dyn Refs,
    profiles: ProfileSet,
) -> Vec<(String, Value)> {
    let Some(soc_uid) = record
        .pointer("/subject_of_care/record_uid")
        .and_then(Value::as_str)
    else {
        return Vec::new();
    };
    let Some(patient) = refs.full_url(soc_uid) else {
        return Vec::new();
    };
    let role_el = element("provides_care_for", "role_in_care");
    let mut teams: Vec<(Option<&str>, Vec<Value>)> = Vec::new();
    for w in workers {
        let Some(member) = worker_uid(w).and_then(|u| role_urls.get(u)) else {
            continue;
        };
        for link in w
            .get("provides_care_for")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if link.get("subject_of_care").and_then(Value::as_str) != Some(soc_uid) {
                continue;
            }
            let mut p = Map::new();
            if let Some(c) = role_el.and_then(|el| coding(el, link.get("role_in_care")?)) {
                p.insert(
                    "role".into(),
                    Value::Array(vec![obj([("coding", Value::Array(vec![c]))])]),
                );
            }
            p.insert("member".into(), json!({ "reference": member }));
            let mut period = Map::new();
            for (k, fhir) in [("start_date", "start"), ("end_date", "end")] {
                if let Some(d) = link.get(k).and_then(Value::as_str).filter(|d| fhir_date(d)) {
                    period.insert(fhir.into(), json!(d));
                }
            }
            if !period.is_empty() {
                p.insert("period".into(), Value::Object(period));
            }
            let name = link
                .get("care_team_name")
                .and_then(Value::as_str)
                .filter(|n| convert::string_ok(n));
            match teams.iter_mut().find(|(n, _)| *n == name) {
                Some((_, ps)) => ps.push(Value::Object(p)),
                None => teams.push((name, vec![Value::Object(p)])),
            }
        }
    }
    let profile = match profiles {
        ProfileSet::UkCoreCurrent => Some(CARE_TEAM_PROFILE),
        ProfileSet::UkCoreStu2 => None,
    };
    teams
        .into_iter()
        .map(|(name, participants)| {
            let key = match name {
                Some(n) => format!("{soc_uid}|{n}"),
                None => soc_uid.to_string(),
            };
            let (url, mut res) = skeleton("CareTeam", CARE_TEAM_TAG, &key, profile);
            if let Some(n) = name {
                res.insert("name".into(), json!(n));
            }
            res.insert("subject".into(), json!({ "reference": patient }));
            res.insert("participant".into(), Value::Array(participants));
            (url, Value::Object(res))
        })
        .collect()
}

fn fhir_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        })
}

/// The position of the care worker `uid` in the record.
fn worker_index(record: &Map<String, Value>, uid: &str) -> Option<usize> {
    record
        .get("care_worker")?
        .as_array()?
        .iter()
        .position(|w| worker_uid(w) == Some(uid))
}

fn worker_mut(record: &mut Map<String, Value>, i: usize) -> Option<&mut Map<String, Value>> {
    record
        .get_mut("care_worker")?
        .as_array_mut()?
        .get_mut(i)?
        .as_object_mut()
}

/// Read one node with a converter into element `class.element`; what it read is marked only
/// when `keep` accepts the value (a value the care worker holds otherwise is left unread, so
/// it is reported).
#[allow(clippy::too_many_arguments)]
fn read_with(
    conv: Conv,
    class: &str,
    name: &str,
    node: &Value,
    ptr: &str,
    res: &Value,
    refs: &dyn Refs,
    consumed: &mut Consumed,
    problems: &mut Vec<Problem>,
    keep: &mut dyn FnMut(Value) -> bool,
) {
    let Some(el) = element(class, name) else {
        return;
    };
    let mut scratch = consumed.clone();
    let mut found = Vec::new();
    let mut cx = In {
        el,
        refs,
        consumed: &mut scratch,
        problems: &mut found,
    };
    let Some(v) = convert::import(conv, node, ptr, res, &BTreeMap::new(), &mut cx) else {
        // what could not be read is reported as the converter says (an unresolved reference)
        *consumed = scratch;
        problems.extend(found);
        return;
    };
    if keep(v) {
        *consumed = scratch;
        problems.extend(found);
    }
}

/// Put `v` at `name` of the object when it has none; `true` when it is there afterwards.
fn set_or_same(o: &mut Map<String, Value>, name: &str, v: Value) -> bool {
    match o.get(name) {
        Some(old) => *old == v,
        None => {
            o.insert(name.to_string(), v);
            true
        }
    }
}

/// Add `v` to the repeating `name` unless it is there; always `true`.
fn add_once(o: &mut Map<String, Value>, name: &str, v: Value) -> bool {
    let list = o.entry(name.to_string()).or_insert_with(|| json!([]));
    if let Some(a) = list.as_array_mut() {
        if !a.contains(&v) {
            a.push(v);
        }
        true
    } else {
        false
    }
}

/// Read a PractitionerRole of another system into the care worker it is of; the worker's
/// record uid, or why it is of none.
pub(crate) fn read_role(
    record: &mut Map<String, Value>,
    res: &Value,
    refs: &dyn Refs,
    consumed: &mut Consumed,
    problems: &mut Vec<Problem>,
) -> Result<String, &'static str> {
    const NO_WORKER: &str = "a PractitionerRole whose practitioner is no care worker of the Bundle";
    let practitioner = res.get("practitioner").ok_or(NO_WORKER)?;
    let (uid, class) = refs.resolve(practitioner).map_err(|_| NO_WORKER)?;
    if class != "care_worker" {
        return Err(NO_WORKER);
    }
    let wi = worker_index(record, &uid).ok_or(NO_WORKER)?;
    consumed.mark("/practitioner".into());
    let category_system =
        element("care_worker", "care_worker_category").and_then(convert::default_system);

    if let Some(org) = res.get("organization") {
        let w = worker_mut(record, wi).ok_or(NO_WORKER)?;
        read_with(
            Conv::Reference,
            "care_worker",
            "employing_organisation",
            org,
            "/organization",
            res,
            refs,
            consumed,
            problems,
            &mut |v| set_or_same(w, "employing_organisation", v),
        );
    }
    for (k, code) in res
        .get("code")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let w = worker_mut(record, wi).ok_or(NO_WORKER)?;
        let ptr = format!("/code/{k}");
        let has_coding = code
            .get("coding")
            .and_then(Value::as_array)
            .is_some_and(|a| !a.is_empty());
        if !has_coding {
            if let Some(t) = code.get("text").and_then(Value::as_str) {
                if set_or_same(w, "job_title", json!(t)) {
                    consumed.mark(format!("{ptr}/text"));
                }
            }
            continue;
        }
        let is_category = code
            .get("coding")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .any(|c| {
                category_system.is_some()
                    && c.get("system").and_then(Value::as_str) == category_system
            });
        if is_category {
            read_with(
                Conv::CodeableConcept,
                "care_worker",
                "care_worker_category",
                code,
                &ptr,
                res,
                refs,
                consumed,
                problems,
                &mut |v| set_or_same(w, "care_worker_category", v),
            );
        } else {
            read_with(
                Conv::CodeableConcept,
                "care_worker",
                "professional_role",
                code,
                &ptr,
                res,
                refs,
                consumed,
                problems,
                &mut |v| add_once(w, "professional_role", v),
            );
        }
    }
    if let Some(s) = res.pointer("/specialty/0") {
        let w = worker_mut(record, wi).ok_or(NO_WORKER)?;
        read_with(
            Conv::CodeableConcept,
            "care_worker",
            "specialty",
            s,
            "/specialty/0",
            res,
            refs,
            consumed,
            problems,
            &mut |v| set_or_same(w, "specialty", v),
        );
    }
    for (k, t) in res
        .get("telecom")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let system = t.get("system").and_then(Value::as_str);
        let use_ = t.get("use").and_then(Value::as_str);
        let Some(value) = t.get("value").and_then(Value::as_str) else {
            continue;
        };
        let w = worker_mut(record, wi).ok_or(NO_WORKER)?;
        let contact = w.entry("contact_details").or_insert_with(|| json!({}));
        let Some(c) = contact.as_object_mut() else {
            continue;
        };
        let ok = match (system, use_) {
            (Some("phone"), Some("work")) => set_or_same(c, "work_telephone", json!(value)),
            (Some("email"), _) => add_once(c, "email_address", json!(value)),
            _ => false,
        };
        if ok {
            for m in ["system", "value", "use"] {
                if t.get(m).is_some() {
                    consumed.mark(format!("/telecom/{k}/{m}"));
                }
            }
        }
        if c.is_empty() {
            w.remove("contact_details");
        }
    }
    Ok(uid)
}

/// Read a CareTeam of another system: a `provides_care_for` link for each participant that is
/// a care worker of the Bundle (or a PractitionerRole of one: `role_worker`).
pub(crate) fn read_team(
    record: &mut Map<String, Value>,
    res: &Value,
    refs: &dyn Refs,
    patient_uid: Option<&str>,
    role_worker: &dyn Fn(&Value) -> Option<String>,
    consumed: &mut Consumed,
    problems: &mut Vec<Problem>,
) -> Result<(), &'static str> {
    let soc = patient_uid.ok_or("a CareTeam in a Bundle without a Patient")?;
    match res.get("subject") {
        Some(s) => match refs.resolve(s) {
            Ok((u, _)) if u == soc => consumed.mark("/subject".into()),
            _ => return Err("a CareTeam about someone other than the Bundle's Patient"),
        },
        None => return Err("a CareTeam without a subject"),
    }
    let name = res
        .get("name")
        .and_then(Value::as_str)
        .filter(|n| convert::string_ok(n));
    let mut any = false;
    for (k, p) in res
        .get("participant")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let Some(member) = p.get("member") else {
            continue;
        };
        let uid = match role_worker(member) {
            Some(u) => Some(u),
            None => match refs.resolve(member) {
                Ok((u, c)) if c == "care_worker" => Some(u),
                _ => None,
            },
        };
        let Some(wi) = uid.and_then(|u| worker_index(record, &u)) else {
            continue;
        };
        let base = format!("/participant/{k}");
        let mut link = Map::new();
        link.insert("subject_of_care".into(), json!(soc));
        if let Some(r) = p.pointer("/role/0") {
            read_with(
                Conv::CodeableConcept,
                "provides_care_for",
                "role_in_care",
                r,
                &format!("{base}/role/0"),
                res,
                refs,
                consumed,
                problems,
                &mut |v| set_or_same(&mut link, "role_in_care", v),
            );
        }
        if let Some(n) = name {
            link.insert("care_team_name".into(), json!(n));
        }
        for (fhir, mods) in [("start", "start_date"), ("end", "end_date")] {
            if let Some(d) = p.pointer(&format!("/period/{fhir}")) {
                read_with(
                    Conv::Date,
                    "provides_care_for",
                    mods,
                    d,
                    &format!("{base}/period/{fhir}"),
                    res,
                    refs,
                    consumed,
                    problems,
                    &mut |v| set_or_same(&mut link, mods, v),
                );
            }
        }
        consumed.mark(format!("{base}/member"));
        if let Some(w) = worker_mut(record, wi) {
            add_once(w, "provides_care_for", Value::Object(link));
            any = true;
        }
    }
    if any && name.is_some() {
        consumed.mark("/name".into());
    }
    Ok(())
}

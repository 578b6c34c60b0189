//! Sexual orientation, pregnancy status and immigration status as UK Core Observations.
//!
//! UK Core Patient has no element for them; `../shared/fhir/mapping.md` (section 2.1) says to
//! use UKCore-Observation with `subject` the Patient. Export writes one Observation per value
//! of the Person demographics merged into the Patient (a derived view, see
//! [`crate::derived`]; the Patient keeps the values exactly in their element extensions):
//! `status` `final`, `category` `social-history`, `code` the project's element code
//! ([`systems::MODS_ELEMENT`], `person_demographics.<element>`) with its name as text, and for
//! pregnancy status also LOINC 82810-3 (the code the reference names); the value is
//! `valueCodeableConcept` (the MODS coding: NHS Data Dictionary PERSON STATED SEXUAL
//! ORIENTATION CODE, the project's pregnancy status codes) or `valueString` (immigration
//! status, which has no standard code set). No SNOMED CT concept for these observables is in
//! the reference material, so none is claimed.

use crate::convert::Refs;
use crate::derived::{coding, element, skeleton, OBSERVATION_TAG};
use crate::systems;
use crate::ProfileSet;
use serde_json::{json, Value};

const PROFILE: &str = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Observation";
const CATEGORY: &str = "http://terminology.hl7.org/CodeSystem/observation-category";
const LOINC: &str = "http://loinc.org";

/// The observed elements of Person demographics, with the other codes of their observable.
const OBSERVED: &[(&str, &[(&str, &str)])] = &[
    ("sexual_orientation", &[]),
    ("pregnancy_status", &[(LOINC, "82810-3")]),
    ("immigration_status", &[]),
];

/// The Observations of the Person demographics the subject of care references.
pub(crate) fn resources(
    record: &Value,
    refs: &dyn Refs,
    _profiles: ProfileSet,
) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    let Some(soc_uid) = record
        .pointer("/subject_of_care/record_uid")
        .and_then(Value::as_str)
    else {
        return out;
    };
    let Some(patient) = refs.full_url(soc_uid) else {
        return out;
    };
    let Some(pd_uid) = record
        .pointer("/subject_of_care/person_demographics")
        .and_then(Value::as_str)
    else {
        return out;
    };
    let Some(pd) = record
        .get("person_demographics")
        .and_then(Value::as_array)
        .and_then(|a| {
            a.iter()
                .find(|d| d.get("record_uid").and_then(Value::as_str) == Some(pd_uid))
        })
    else {
        return out;
    };
    for (name, others) in OBSERVED {
        let (Some(el), Some(v)) = (element("person_demographics", name), pd.get(*name)) else {
            continue;
        };
        let value = match v {
            Value::String(s) if crate::convert::string_ok(s) => ("valueString", json!(s)),
            Value::Object(_) => match coding(el, v) {
                Some(c) => (
                    "valueCodeableConcept",
                    crate::convert::obj([("coding", Value::Array(vec![c]))]),
                ),
                None => continue,
            },
            _ => continue,
        };
        let mut codings = vec![json!({
            "system": systems::MODS_ELEMENT,
            "code": format!("person_demographics.{name}"),
            "display": el.name,
        })];
        for (system, code) in *others {
            codings.push(json!({ "system": system, "code": code }));
        }
        let (url, mut res) = skeleton(
            "Observation",
            OBSERVATION_TAG,
            &format!("{pd_uid}|{name}"),
            Some(PROFILE),
        );
        res.insert("status".into(), json!("final"));
        res.insert(
            "category".into(),
            json!([{"coding": [{"system": CATEGORY, "code": "social-history", "display": "Social History"}]}]),
        );
        res.insert(
            "code".into(),
            crate::convert::obj([
                ("coding", Value::Array(codings)),
                ("text", Value::from(el.name)),
            ]),
        );
        res.insert("subject".into(), json!({ "reference": patient }));
        res.insert(value.0.into(), value.1);
        out.push((url, Value::Object(res)));
    }
    out
}

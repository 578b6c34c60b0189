//! `fhir_import`: any bytes as a FHIR Bundle (or one resource) for `mods_fhir::from_fhir`.
//!
//! Oracles: it never panics; it refuses (an error value) exactly the input that cannot be
//! read as JSON or is not a FHIR resource; every issue is located by a FHIRPath that starts
//! at the Bundle or at the resource's type; no issue's message or location carries the
//! person's data (the strings under person-like keys, rewritten with a marker, appear in
//! none); and a record read without error exports and reads back to itself.

use crate::{Check, Cx};
use mods_fhir::{from_fhir, to_fhir, ExportOptions, ImportOptions};
use serde_json::Value;

/// Keys whose strings hold the person's data in FHIR (names, identifiers' values, text,
/// addresses, telecom, narrative).
const PERSON_KEYS: &[&str] = &[
    "value",
    "family",
    "given",
    "prefix",
    "text",
    "display",
    "line",
    "city",
    "district",
    "postalCode",
    "valueString",
    "div",
    "birthDate",
    "description",
    "title",
    "name",
];

fn mark(v: &mut Value, m: char, key: Option<&str>) {
    match v {
        Value::String(s) if key.is_some_and(|k| PERSON_KEYS.contains(&k)) => s.push(m),
        Value::Array(a) => a.iter_mut().for_each(|x| mark(x, m, key)),
        Value::Object(o) => o.iter_mut().for_each(|(k, x)| mark(x, m, Some(k))),
        _ => {}
    }
}

pub(crate) fn run(cx: &mut Cx, data: &[u8]) -> Check {
    let opts = ImportOptions::default();
    let parsed = mods_core::parse_json(data, &opts.limits);
    let imported = from_fhir(data, &opts);
    let doc = match (parsed, imported) {
        (Err(_), Err(_)) => {
            cx.reached("fhir/unreadable-refused");
            return Ok(());
        }
        (Ok(doc), Err(_)) => {
            let is_resource = doc.get("resourceType").and_then(Value::as_str).is_some()
                && !(doc["resourceType"] == "Bundle"
                    && doc.get("entry").is_some_and(|e| !e.is_array()));
            return cx.check(
                "fhir/refuses-only-what-is-not-fhir",
                !is_resource,
                String::new,
            );
        }
        (Err(e), Ok(_)) => {
            return cx.check("fhir/refuses-only-what-is-not-fhir", false, || {
                format!("reads what the reader refuses: {e}")
            });
        }
        (Ok(doc), Ok(imp)) => {
            let rt = doc
                .get("resourceType")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            for i in &imp.report.issues {
                located(cx, i, &rt)?;
            }
            if !imp.report.has_errors() {
                let bundle = to_fhir(&imp.record, &ExportOptions::default());
                cx.check("fhir/read-record-exports", bundle.is_ok(), || {
                    format!("{:?}", bundle.as_ref().err())
                })?;
                if let Ok(b) = bundle {
                    let bytes = serde_json::to_vec(&b).unwrap_or_default();
                    let back = from_fhir(&bytes, &opts);
                    cx.check(
                        "fhir/round-trip",
                        back.as_ref().is_ok_and(|x| x.record == imp.record),
                        || "the record read does not come back from its own export".to_string(),
                    )?;
                }
            }
            doc
        }
    };
    // no leak: the person-like strings, marked, appear in no message or location
    let Some(m) = crate::marker::choose_for(&doc) else {
        return Ok(());
    };
    let mut marked = doc;
    mark(&mut marked, m, None);
    let Ok(bytes) = serde_json::to_vec(&marked) else {
        return Ok(());
    };
    let rt = marked
        .get("resourceType")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    if let Ok(imp) = from_fhir(&bytes, &opts) {
        for i in &imp.report.issues {
            located(cx, i, &rt)?;
            cx.check(
                "leak/value-in-fhir-import-report",
                !i.message.contains(m) && !i.location.contains(m),
                || format!("{} at {}", i.code, i.location),
            )?;
        }
    }
    Ok(())
}

/// An issue is located by a FHIRPath from the Bundle or the resource (type `rt`).
fn located(cx: &mut Cx, i: &mods_fhir::FhirIssue, rt: &str) -> Check {
    cx.check(
        "fhir/location-is-a-fhirpath",
        i.location.starts_with("Bundle") || i.location.starts_with(rt),
        || format!("{} at {:?}", i.code, i.location),
    )
}

//! Checks no offline FHIR validator makes (see `../shared/fhir/validators.md`): the NHS
//! number's Modulus 11 check digit, an NHS number identifier without its value, a code
//! outside a required UK Core value set inside an extension, and a coding from an unknown
//! system under an extensible UK Core binding. Run on every imported resource, and by the
//! tests on every exported one.

use crate::report::FhirIssue;
use crate::systems;
use mods_core::Severity;
use serde_json::Value;

/// A UK Core extension whose `valueCodeableConcept` is bound to a small value set.
struct Bound {
    url: &'static str,
    required: bool,
    /// (system, codes; empty = every code of the system)
    include: &'static [(&'static str, &'static [&'static str])],
}

const ENGLAND_VERIFICATION: &str =
    "https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusEngland";
const WALES_VERIFICATION: &str =
    "https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusWales";
const NULL_FLAVOR: &str = "http://terminology.hl7.org/CodeSystem/v3-NullFlavor";

/// The bindings checked, from the UK Core value sets (current build, see docs/fhir-mapping.md).
const BOUND: &[Bound] = &[
    Bound {
        url: "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-NHSNumberVerificationStatus",
        required: true,
        include: &[
            (ENGLAND_VERIFICATION, &["01", "02", "03", "04", "05", "06", "07", "08"]),
            (WALES_VERIFICATION, &["nn", "01", "02", "03", "04", "05", "06", "07", "08"]),
            (NULL_FLAVOR, &["NI"]),
        ],
    },
    Bound {
        url: "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-ResidentialStatus",
        required: false,
        include: &[("https://fhir.hl7.org.uk/CodeSystem/UKCore-ResidentialStatus", &["H", "O"])],
    },
    Bound {
        url: "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-EthnicCategory",
        required: false,
        include: &[
            (
                "https://fhir.hl7.org.uk/CodeSystem/UKCore-EthnicCategoryEngland",
                &["A", "B", "C", "D", "E", "F", "G", "H", "J", "K", "L", "M", "N", "P", "R", "S", "Z", "99"],
            ),
            (
                "https://fhir.hl7.org.uk/CodeSystem/UKCore-EthnicCategoryWales",
                &["A", "B", "D", "E", "F", "G", "H", "J", "K", "L", "M", "N", "P", "R", "S", "T", "Z"],
            ),
        ],
    },
    Bound {
        url: "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-NHSNumberUnavailableReason",
        required: false,
        include: &[(
            "https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberUnavailableReason",
            &["nhs-number-not-known", "overseas-patient", "devolved-nation"],
        )],
    },
];

/// Check one resource; `loc` turns a pointer inside it into a FHIRPath.
pub fn check_resource(res: &Value, loc: &dyn Fn(&str) -> String, issues: &mut Vec<FhirIssue>) {
    walk(res, &mut String::new(), loc, issues);
    if let Some(ids) = res.get("identifier").and_then(Value::as_array) {
        for (i, id) in ids.iter().enumerate() {
            if id.get("system").and_then(Value::as_str) != Some(systems::NHS_NUMBER) {
                continue;
            }
            match id.get("value").and_then(Value::as_str) {
                None => issues.push(FhirIssue::new(
                    "fhir-slice-value-missing",
                    Severity::Error,
                    loc(&format!("/identifier/{i}")),
                    "an NHS number identifier without its value (UK Core: value 1..1)".into(),
                )),
                Some(v) if mods_core::checks::check_nhs_number(v).is_err() => issues.push(FhirIssue::new(
                    "fhir-nhs-number-check-digit",
                    Severity::Error,
                    loc(&format!("/identifier/{i}/value")),
                    "not a valid NHS number: ten digits whose last is the Modulus 11 check digit".into(),
                )),
                Some(_) => {}
            }
        }
    }
}

fn walk(node: &Value, ptr: &mut String, loc: &dyn Fn(&str) -> String, issues: &mut Vec<FhirIssue>) {
    let len = ptr.len();
    match node {
        Value::Object(m) => {
            if let Some(url) = m.get("url").and_then(Value::as_str) {
                if let Some(b) = BOUND.iter().find(|b| b.url == url) {
                    check_bound(
                        b,
                        m.get("valueCodeableConcept"),
                        &format!("{ptr}/valueCodeableConcept"),
                        loc,
                        issues,
                    );
                }
            }
            for (k, v) in m {
                // only objects and arrays can hold an extension
                if v.is_object() || v.is_array() {
                    ptr.push('/');
                    ptr.push_str(&crate::path::escape(k));
                    walk(v, ptr, loc, issues);
                    ptr.truncate(len);
                }
            }
        }
        Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                if v.is_object() || v.is_array() {
                    use std::fmt::Write as _;
                    let _ = write!(ptr, "/{i}");
                    walk(v, ptr, loc, issues);
                    ptr.truncate(len);
                }
            }
        }
        _ => {}
    }
}

fn check_bound(
    b: &Bound,
    cc: Option<&Value>,
    ptr: &str,
    loc: &dyn Fn(&str) -> String,
    issues: &mut Vec<FhirIssue>,
) {
    let Some(codings) = cc.and_then(|c| c.get("coding")).and_then(Value::as_array) else {
        return;
    };
    for (i, c) in codings.iter().enumerate() {
        let system = c.get("system").and_then(Value::as_str).unwrap_or_default();
        let code = c.get("code").and_then(Value::as_str).unwrap_or_default();
        let cptr = format!("{ptr}/coding/{i}");
        match b.include.iter().find(|(s, _)| *s == system) {
            Some((_, codes)) if codes.is_empty() || codes.contains(&code) => {}
            Some(_) => issues.push(FhirIssue::new(
                if b.required { "fhir-code-not-in-required-value-set" } else { "fhir-code-not-in-value-set" },
                if b.required { Severity::Error } else { Severity::Warning },
                loc(&format!("{cptr}/code")),
                "the code is not in the code system the UK Core value set includes".into(),
            )),
            None if b.required => issues.push(FhirIssue::new(
                "fhir-code-not-in-required-value-set",
                Severity::Error,
                loc(&format!("{cptr}/system")),
                "a coding from a system the required UK Core value set does not include".into(),
            )),
            None => issues.push(FhirIssue::new(
                "fhir-unknown-system-extensible",
                Severity::Warning,
                loc(&format!("{cptr}/system")),
                "a coding from a system the extensible UK Core value set does not include: use the value set's own codes where one fits".into(),
            )),
        }
    }
}

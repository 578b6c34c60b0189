//! Import reports, and validation reports as FHIR OperationOutcome.

use mods_core::{Report, Severity};
use serde::Serialize;
use serde_json::{json, Value};

/// Something an import met, located by FHIRPath in the input.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FhirIssue {
    /// Stable code (see `docs/fhir-mapping.md`, "Import issues").
    pub code: &'static str,
    /// How serious it is.
    pub severity: Severity,
    /// FHIRPath of the part of the input, e.g. `Bundle.entry[2].resource.subject`.
    pub location: String,
    /// What is wrong, without the person's data.
    pub message: String,
}

impl FhirIssue {
    /// A new issue.
    pub fn new(code: &'static str, severity: Severity, location: String, message: String) -> Self {
        FhirIssue {
            code,
            severity,
            location,
            message,
        }
    }
}

/// The report of an import: what reading the FHIR met, and the MODS validation of the
/// record it gave.
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    /// Issues of the FHIR input, by FHIRPath.
    pub issues: Vec<FhirIssue>,
    /// Validation of the record read.
    pub validation: Report,
}

impl ImportReport {
    /// Whether anything is an error (in the input or in the record read).
    pub fn has_errors(&self) -> bool {
        !self.validation.valid || self.issues.iter().any(|i| i.severity == Severity::Error)
    }
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Information => "information",
    }
}

/// A JSON pointer into a MODS record as a FHIRPath-style expression over the record
/// (`/care_worker/0/person_name/given_name/1` is `care_worker[0].person_name.given_name[1]`).
pub fn pointer_to_fhirpath(pointer: &str) -> String {
    crate::import::fhirpath(None, pointer)
}

/// A MODS validation report as an OperationOutcome: one issue per report issue, with the
/// severity, a FHIR issue type, our code in `details.coding` and the place as `expression`.
pub fn operation_outcome(report: &Report) -> Value {
    let issues: Vec<Value> = report
        .issues
        .iter()
        .map(|i| {
            let code = serde_json::to_value(i.code).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
            json!({
                "severity": severity(i.severity),
                "code": issue_type(&code),
                "details": {
                    "coding": [{"system": crate::systems::MODS_ISSUE, "code": code}],
                    "text": i.message,
                },
                "expression": [if i.path.is_empty() { "Bundle".to_string() } else { pointer_to_fhirpath(&i.path) }],
            })
        })
        .collect();
    let issues = if issues.is_empty() {
        vec![
            json!({"severity": "information", "code": "informational", "details": {"text": "no issues"}}),
        ]
    } else {
        issues
    };
    json!({"resourceType": "OperationOutcome", "issue": issues})
}

/// An import report as an OperationOutcome (FHIR input issues, then validation issues).
pub fn import_outcome(report: &ImportReport) -> Value {
    let mut oo = operation_outcome(&report.validation);
    let mut issues: Vec<Value> = report
        .issues
        .iter()
        .map(|i| {
            json!({
                "severity": severity(i.severity),
                "code": issue_type(i.code),
                "details": {"coding": [{"system": crate::systems::MODS_ISSUE, "code": i.code}], "text": i.message},
                "expression": [i.location],
            })
        })
        .collect();
    if let Some(rest) = oo.get_mut("issue").and_then(Value::as_array_mut) {
        if !report.validation.issues.is_empty() || issues.is_empty() {
            issues.append(rest);
        }
    }
    oo["issue"] = Value::Array(issues);
    oo
}

/// The FHIR issue type (`IssueType`) for one of our codes.
fn issue_type(code: &str) -> &'static str {
    match code {
        c if c.contains("required") || c.contains("missing") => "required",
        c if c.contains("code") || c.contains("value-set") || c.contains("system") => {
            "code-invalid"
        }
        c if c.contains("unknown") || c.contains("unmapped") => "not-supported",
        c if c.contains("reference") => "not-found",
        c if c.contains("duplicate") => "duplicate",
        c if c.starts_with("input") => "structure",
        _ => "invalid",
    }
}

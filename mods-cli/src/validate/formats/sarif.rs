//! The SARIF 2.1.0 output, for code-scanning views: one run whose tool is `mods`, with one
//! rule per issue code that occurs (its title and explanation from the catalogue) and one
//! result per listed issue. Results are written as they come; the rules, the inputs that
//! could not be read (tool execution notifications) and the summary (the run's
//! `properties`) follow them, so memory stays flat.

use super::{json_to, position, ReportFormat, Summary};
use crate::validate::RecordResult;
use mods_core::{Issue, IssueCode, Severity};
use serde_json::{json, Map, Value};
use std::collections::BTreeSet;
use std::io::{self, Write};

/// The published JSON Schema of SARIF 2.1.0 (OASIS, errata 01).
pub const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// `--format sarif`.
#[derive(Default)]
pub struct Sarif {
    /// A result has been written (a comma before the next).
    any_result: bool,
    /// The codes of the results written, for the rules.
    codes: BTreeSet<&'static str>,
    /// Inputs that could not be read, as tool execution notifications.
    notifications: Vec<Value>,
}

/// The SARIF level of a severity.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Information => "note",
    }
}

/// An input's name as a URI reference: `/` separators, and every byte outside the
/// unreserved characters and `/` percent-encoded; stdin (`-`) stays `-`.
pub fn uri(name: &str) -> String {
    let name = name.replace('\\', "/");
    let mut out = String::with_capacity(name.len());
    if name.starts_with('/') {
        out.push_str("file://");
    }
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// One SARIF result.
fn result(name: &str, r: &RecordResult, issue: &Issue) -> Value {
    let pointer = if issue.path.is_empty() {
        "/"
    } else {
        &issue.path
    };
    let mut text = issue.message.clone();
    // Present only when the caller opted in with --include-values.
    if let Some(v) = issue.context.get("value") {
        text.push_str(&format!(" [value: {v}]"));
    }
    // The region: the record's line in an NDJSON input; the line and column of an input
    // error (within the line, for an NDJSON record).
    let mut region = Map::new();
    match position(r, issue) {
        Some((line, column)) if line > 0 => {
            region.insert("startLine".into(), json!(line));
            if column > 0 {
                region.insert("startColumn".into(), json!(column));
            }
        }
        _ => {
            if let Some(n) = r.line {
                region.insert("startLine".into(), json!(n));
            }
        }
    }
    let mut physical = json!({ "artifactLocation": { "uri": uri(name) } });
    if !region.is_empty() {
        physical["region"] = Value::Object(region);
    }
    let segment = pointer.rsplit('/').next().unwrap_or_default();
    let mut logical = json!({ "fullyQualifiedName": pointer });
    if !segment.is_empty() {
        logical["name"] = json!(segment.replace("~1", "/").replace("~0", "~"));
    }
    let mut properties = json!({ "pointer": pointer });
    if !issue.context.is_empty() {
        properties["context"] = Value::Object(issue.context.clone());
    }
    json!({
        "ruleId": issue.code.as_str(),
        "level": level(issue.severity),
        "message": { "text": text },
        "locations": [{
            "physicalLocation": physical,
            "logicalLocations": [logical],
        }],
        "properties": properties,
    })
}

/// The rule of an issue code: its title and explanation from the catalogue.
fn rule(code: IssueCode) -> Value {
    json!({
        "id": code.as_str(),
        "shortDescription": { "text": code.title() },
        "fullDescription": { "text": code.explanation() },
        "help": {
            "text": format!("{} Run `mods explain {}` for more.", code.explanation(), code.as_str())
        },
        "defaultConfiguration": { "level": level(code.default_severity()) },
    })
}

impl Sarif {
    fn notify(&mut self, name: &str, message: &str) {
        self.notifications.push(json!({
            "level": "error",
            "message": { "text": format!("{name}: {message}") },
            "locations": [{ "physicalLocation": { "artifactLocation": { "uri": uri(name) } } }],
        }));
    }
}

impl ReportFormat for Sarif {
    fn start(&mut self, buf: &mut Vec<u8>, _quiet: bool) -> io::Result<()> {
        buf.extend_from_slice(b"{\"$schema\":");
        json_to(buf, SCHEMA)?;
        buf.extend_from_slice(b",\"version\":\"2.1.0\",\"runs\":[{\"results\":[");
        Ok(())
    }

    fn record(
        &mut self,
        buf: &mut Vec<u8>,
        name: &str,
        r: &RecordResult,
        issues: &[&Issue],
    ) -> io::Result<()> {
        for issue in issues {
            if self.any_result {
                buf.push(b',');
            }
            self.any_result = true;
            self.codes.insert(issue.code.as_str());
            json_to(buf, &result(name, r, issue))?;
        }
        Ok(())
    }

    fn input_end(&mut self, _: &mut dyn Write, name: &str, error: Option<&str>) -> io::Result<()> {
        if let Some(message) = error {
            self.notify(name, message);
        }
        Ok(())
    }

    fn path_error(&mut self, _: &mut Vec<u8>, name: &str, message: &str) -> io::Result<()> {
        self.notify(name, message);
        Ok(())
    }

    fn finish(&mut self, buf: &mut Vec<u8>, summary: &Summary, _quiet: bool) -> io::Result<()> {
        let rules: Vec<Value> = IssueCode::ALL
            .iter()
            .filter(|c| self.codes.contains(c.as_str()))
            .map(|c| rule(*c))
            .collect();
        let rest = json!({
            "tool": { "driver": {
                "name": "mods",
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": env!("CARGO_PKG_REPOSITORY"),
                "rules": rules,
            } },
            "invocations": [{
                "executionSuccessful": summary.exit_code() != 2,
                "exitCode": summary.exit_code(),
                "toolExecutionNotifications": self.notifications,
            }],
            "properties": { "summary": summary },
        });
        buf.extend_from_slice(b"],");
        // the object's members after `results`, without its braces
        let rest = serde_json::to_vec(&rest).map_err(io::Error::other)?;
        buf.extend_from_slice(&rest[1..rest.len() - 1]);
        buf.extend_from_slice(b"}]}\n");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_uri_references() {
        assert_eq!(
            uri("examples/records/a b.json"),
            "examples/records/a%20b.json"
        );
        assert_eq!(uri("/tmp/x#1.json"), "file:///tmp/x%231.json");
        assert_eq!(uri("dir\\x.ndjson"), "dir/x.ndjson");
        assert_eq!(uri("-"), "-");
    }
}

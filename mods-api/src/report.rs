//! The report every binding returns: `valid`, `issues` (each with `code`, `severity`,
//! `path` as an array, `pointer`, `message`, `context`) and `omitted`.

use mods_core::{IssueCode, Severity};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::fmt;

/// One step of an issue's [`path`](Issue::path): an object key or an array index.
/// Serialised untagged: a string or a number.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum PathSegment {
    /// An array index.
    Index(usize),
    /// An object key.
    Key(String),
}

/// The segments of a JSON pointer (RFC 6901): `~1` and `~0` unescaped; a segment of
/// decimal digits without a leading zero (or `0` itself) is an index. `""` (the whole
/// document) has none.
pub fn pointer_segments(pointer: &str) -> Vec<PathSegment> {
    if pointer.is_empty() {
        return Vec::new();
    }
    pointer
        .split('/')
        .skip(1)
        .map(|seg| {
            let seg = if seg.contains('~') {
                seg.replace("~1", "/").replace("~0", "~")
            } else {
                seg.to_owned()
            };
            let is_index = !seg.is_empty()
                && seg.bytes().all(|b| b.is_ascii_digit())
                && (seg == "0" || !seg.starts_with('0'));
            match seg.parse::<usize>() {
                Ok(i) if is_index => PathSegment::Index(i),
                _ => PathSegment::Key(seg),
            }
        })
        .collect()
}

/// One problem found in a record, in the shape every binding gives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Issue {
    /// Stable code from the closed catalogue (`explain` documents it).
    pub code: IssueCode,
    /// `error`, `warning` or `information`.
    pub severity: Severity,
    /// Where, as keys and indexes; empty for the whole document.
    pub path: Vec<PathSegment>,
    /// Where, as a JSON pointer (RFC 6901); `""` for the whole document.
    pub pointer: String,
    /// A sentence for a person; never the record's data.
    pub message: String,
    /// Structured details; the offending value under `value` only when asked for with
    /// `include_values`. Always present (an empty object when there are none).
    #[serde(default)]
    pub context: Map<String, Value>,
}

impl From<mods_core::Issue> for Issue {
    fn from(i: mods_core::Issue) -> Self {
        Issue {
            code: i.code,
            severity: i.severity,
            path: pointer_segments(&i.path),
            pointer: i.path,
            message: i.message,
            context: i.context,
        }
    }
}

impl From<Issue> for mods_core::Issue {
    fn from(i: Issue) -> Self {
        mods_core::Issue {
            code: i.code,
            severity: i.severity,
            path: i.pointer,
            message: i.message,
            context: i.context,
        }
    }
}

/// `SEVERITY CODE POINTER: MESSAGE`, as the CLI prints an issue (never the context, so
/// never the person's data).
impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pointer = if self.pointer.is_empty() {
            "/"
        } else {
            &self.pointer
        };
        write!(
            f,
            "{} {} {}: {}",
            self.severity, self.code, pointer, self.message
        )
    }
}

/// The result of validating one record or instance.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Report {
    /// `true` when no issue has severity `error`.
    pub valid: bool,
    /// Every issue, in the order found.
    pub issues: Vec<Issue>,
    /// Issues found beyond `max_issues` and left out of `issues`.
    #[serde(default)]
    pub omitted: usize,
}

impl Report {
    /// Issues of severity `error`.
    pub fn errors(&self) -> impl Iterator<Item = &Issue> {
        self.issues.iter().filter(|i| i.severity == Severity::Error)
    }

    /// Issues of severity `warning`.
    pub fn warnings(&self) -> impl Iterator<Item = &Issue> {
        self.issues
            .iter()
            .filter(|i| i.severity == Severity::Warning)
    }

    /// The report as the core's [`mods_core::Report`] (each issue's path a JSON pointer).
    pub fn to_core(&self) -> mods_core::Report {
        mods_core::Report {
            valid: self.valid,
            issues: self.issues.iter().cloned().map(Into::into).collect(),
            omitted: self.omitted,
        }
    }

    /// [`to_core`](Self::to_core), consuming the report (no copies of its text).
    pub fn into_core(self) -> mods_core::Report {
        mods_core::Report {
            valid: self.valid,
            issues: self.issues.into_iter().map(Into::into).collect(),
            omitted: self.omitted,
        }
    }

    /// The report as JSON text in the core's format, the one of each record in
    /// `mods validate --format json`: each issue's `path` is a JSON pointer and there is
    /// no `pointer` member.
    pub fn to_core_json(&self) -> String {
        // A report is strings, numbers and JSON maps: writing it cannot fail.
        serde_json::to_string(&self.to_core()).unwrap_or_default()
    }
}

impl From<mods_core::Report> for Report {
    fn from(r: mods_core::Report) -> Self {
        Report {
            valid: r.valid,
            issues: r.issues.into_iter().map(Into::into).collect(),
            omitted: r.omitted,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_segments_unescape_and_type_indexes() {
        assert!(pointer_segments("").is_empty());
        assert_eq!(
            pointer_segments("/a~1b/0/07/10/~0"),
            vec![
                PathSegment::Key("a/b".into()),
                PathSegment::Index(0),
                PathSegment::Key("07".into()),
                PathSegment::Index(10),
                PathSegment::Key("~".into()),
            ]
        );
        assert_eq!(pointer_segments("/"), vec![PathSegment::Key(String::new())]);
        // an index beyond usize stays a key
        let big = format!("/{}", "9".repeat(40));
        assert!(matches!(pointer_segments(&big)[0], PathSegment::Key(_)));
    }

    #[test]
    fn issue_serialises_with_path_array_pointer_and_context() {
        let core = mods_core::Issue {
            code: IssueCode::NhsNumberCheckDigit,
            severity: Severity::Error,
            path: "/subject_of_care/nhs_number".into(),
            message: "m".into(),
            context: Map::new(),
        };
        let v = serde_json::to_value(Issue::from(core.clone())).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"code": "nhs-number-check-digit", "severity": "error",
                "path": ["subject_of_care", "nhs_number"],
                "pointer": "/subject_of_care/nhs_number", "message": "m", "context": {}})
        );
        let back: Issue = serde_json::from_value(v).unwrap();
        assert_eq!(mods_core::Issue::from(back), core);
    }

    #[test]
    fn core_json_has_pointer_paths() {
        let r = Report::from(mods_core::Report {
            valid: false,
            issues: vec![mods_core::Issue {
                code: IssueCode::InputSyntax,
                severity: Severity::Error,
                path: "/a/1".into(),
                message: "m".into(),
                context: Map::new(),
            }],
            omitted: 2,
        });
        let v: Value = serde_json::from_str(&r.to_core_json()).unwrap();
        assert_eq!(v["issues"][0]["path"], "/a/1");
        assert!(v["issues"][0].get("pointer").is_none());
        assert_eq!(v["omitted"], 2);
        assert_eq!(r.errors().count(), 1);
        assert_eq!(r.warnings().count(), 0);
        assert_eq!(r.clone().into_core(), r.to_core());
    }
}

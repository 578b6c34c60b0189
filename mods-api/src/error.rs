//! The one error type of the layer, with a stable code for each kind.
//!
//! A binding maps [`Error::code`] to its language's exception or error types (see
//! `docs/bindings.md`); the message ([`Error`]'s `Display`) is the text to show. No message
//! contains a record's data: input errors name a place (pointer, line, column, byte), a
//! panic names only where in the code it happened.

use mods_core::guard::Panicked;
use mods_core::{InputError, IssueCode};
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use serde_json::Value;
use std::fmt;

/// The stable code of an [`Error`]: what a binding switches on. Serialised in kebab case
/// (`"invalid-json"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// The input is not one JSON document (not JSON, not UTF-8, a duplicate key...).
    InvalidJson,
    /// The input is JSON beyond a limit (too large, too deep, too many values...).
    Limit,
    /// An option or a limit this API does not have.
    UnknownOption,
    /// An option with a value it cannot take.
    InvalidOption,
    /// A class that is not a record or component class of the model.
    UnknownClass,
    /// An element that is not in the class (a form field).
    UnknownElement,
    /// A MODS version this library does not support.
    UnknownVersion,
    /// A value set that is not embedded.
    UnknownValueSet,
    /// A term that is not in the glossary.
    UnknownTerm,
    /// A code that is not in the issue catalogue.
    UnknownIssueCode,
    /// A terminology resource that cannot be loaded (not a FHIR CodeSystem or ValueSet).
    InvalidTerminology,
    /// A record that cannot be migrated (no or unknown version, or data would be lost).
    MigrationRefused,
    /// Two records that cannot be compared (not records, or of different versions).
    DiffRefused,
    /// A record that cannot be exported to FHIR (invalid, another version, a bad timestamp).
    ExportRefused,
    /// JSON that is not a FHIR resource the import reads.
    ImportRefused,
    /// A Bundle that cannot be merged into the record (another person, not a Bundle...).
    MergeRefused,
    /// A bug in mods-sdk (a panic) stopped the call.
    InternalError,
}

impl ErrorCode {
    /// Every code, in documentation order.
    pub const ALL: &'static [ErrorCode] = &[
        ErrorCode::InvalidJson,
        ErrorCode::Limit,
        ErrorCode::UnknownOption,
        ErrorCode::InvalidOption,
        ErrorCode::UnknownClass,
        ErrorCode::UnknownElement,
        ErrorCode::UnknownVersion,
        ErrorCode::UnknownValueSet,
        ErrorCode::UnknownTerm,
        ErrorCode::UnknownIssueCode,
        ErrorCode::InvalidTerminology,
        ErrorCode::MigrationRefused,
        ErrorCode::DiffRefused,
        ErrorCode::ExportRefused,
        ErrorCode::ImportRefused,
        ErrorCode::MergeRefused,
        ErrorCode::InternalError,
    ];

    /// The code as text, e.g. `"invalid-json"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidJson => "invalid-json",
            ErrorCode::Limit => "limit",
            ErrorCode::UnknownOption => "unknown-option",
            ErrorCode::InvalidOption => "invalid-option",
            ErrorCode::UnknownClass => "unknown-class",
            ErrorCode::UnknownElement => "unknown-element",
            ErrorCode::UnknownVersion => "unknown-version",
            ErrorCode::UnknownValueSet => "unknown-value-set",
            ErrorCode::UnknownTerm => "unknown-term",
            ErrorCode::UnknownIssueCode => "unknown-issue-code",
            ErrorCode::InvalidTerminology => "invalid-terminology",
            ErrorCode::MigrationRefused => "migration-refused",
            ErrorCode::DiffRefused => "diff-refused",
            ErrorCode::ExportRefused => "export-refused",
            ErrorCode::ImportRefused => "import-refused",
            ErrorCode::MergeRefused => "merge-refused",
            ErrorCode::InternalError => "internal-error",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ErrorCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Why a call of this API gave no result. [`code`](Error::code) says which kind; `Display`
/// is the message; `Serialize` gives `{"code", "message", ...details}` (the details of each
/// kind are listed on its variant).
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// The input could not be read as one JSON document within the limits: code
    /// `invalid-json`, or `limit` for a limit. Details: `issue_code` (the `input-*` issue
    /// code), `pointer`, `line`, `column`, `offset` when known.
    Input(InputError),
    /// An option or limit that does not exist. Details: `option`, `known`.
    UnknownOption {
        /// The name given.
        option: String,
        /// What was expected: `"option"` or `"limit"`.
        kind: &'static str,
        /// The names there are.
        known: &'static [&'static str],
    },
    /// An option with a value it cannot take. Details: `option`.
    InvalidOption {
        /// The option (`limits.max_bytes` for a limit).
        option: String,
        /// What it must be.
        message: String,
    },
    /// Not a record or component class. Details: `class`, `version`.
    UnknownClass {
        /// The name given.
        class: String,
        /// The MODS version looked in.
        version: &'static str,
    },
    /// Not an element of the class. Details: `class`, `element`, `version`.
    UnknownElement {
        /// The class's technical name.
        class: String,
        /// The name given.
        element: String,
        /// The MODS version looked in.
        version: &'static str,
    },
    /// An unsupported MODS version. Details: `version`, `supported`.
    UnknownVersion {
        /// The version given.
        version: String,
    },
    /// No embedded value set of that id or URL. Details: `value_set`.
    UnknownValueSet {
        /// The id or URL given.
        value_set: String,
    },
    /// No glossary term of that id, term or synonym. Details: `term`.
    UnknownTerm {
        /// The text given.
        term: String,
    },
    /// Not a code of the issue catalogue. Details: `issue_code`.
    UnknownIssueCode {
        /// The text given.
        code: String,
    },
    /// A terminology resource that cannot be loaded. Details: `index`.
    InvalidTerminology {
        /// Position of the resource among those loaded (0-based).
        index: usize,
        /// Why, without the resource's content.
        message: String,
    },
    /// The record cannot be migrated. Details: `losses` (what the target cannot hold:
    /// `path`, `class`, `element`, `step`; empty when that is not why).
    MigrationRefused {
        /// Why.
        message: String,
        /// What would be lost.
        losses: Value,
    },
    /// The records cannot be compared.
    DiffRefused(String),
    /// The record cannot be exported (or summarised) as FHIR.
    ExportRefused(String),
    /// The JSON is not a FHIR resource the import reads.
    ImportRefused(String),
    /// The Bundle cannot be merged into the record.
    MergeRefused(String),
    /// A panic (a bug): fixed text and where it happened, never its payload. Details:
    /// `location` (`file:line`) when known.
    Internal(Panicked),
}

impl Error {
    /// The stable code.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Input(e) => {
                if is_limit(e.code) {
                    ErrorCode::Limit
                } else {
                    ErrorCode::InvalidJson
                }
            }
            Error::UnknownOption { .. } => ErrorCode::UnknownOption,
            Error::InvalidOption { .. } => ErrorCode::InvalidOption,
            Error::UnknownClass { .. } => ErrorCode::UnknownClass,
            Error::UnknownElement { .. } => ErrorCode::UnknownElement,
            Error::UnknownVersion { .. } => ErrorCode::UnknownVersion,
            Error::UnknownValueSet { .. } => ErrorCode::UnknownValueSet,
            Error::UnknownTerm { .. } => ErrorCode::UnknownTerm,
            Error::UnknownIssueCode { .. } => ErrorCode::UnknownIssueCode,
            Error::InvalidTerminology { .. } => ErrorCode::InvalidTerminology,
            Error::MigrationRefused { .. } => ErrorCode::MigrationRefused,
            Error::DiffRefused(_) => ErrorCode::DiffRefused,
            Error::ExportRefused(_) => ErrorCode::ExportRefused,
            Error::ImportRefused(_) => ErrorCode::ImportRefused,
            Error::MergeRefused(_) => ErrorCode::MergeRefused,
            Error::Internal(_) => ErrorCode::InternalError,
        }
    }

    /// `InvalidOption` for `option`.
    pub(crate) fn option(option: &str, message: impl Into<String>) -> Error {
        Error::InvalidOption {
            option: option.to_owned(),
            message: message.into(),
        }
    }
}

/// The `input-*` codes that are limits rather than malformed JSON.
fn is_limit(code: IssueCode) -> bool {
    matches!(
        code,
        IssueCode::InputTooDeep
            | IssueCode::InputTooLarge
            | IssueCode::InputStringTooLong
            | IssueCode::InputTooManyItems
            | IssueCode::InputTooManyMembers
            | IssueCode::InputTooManyNodes
    )
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Input(e) => f.write_str(&e.message),
            Error::UnknownOption {
                option,
                kind,
                known,
            } => write!(
                f,
                "unknown {kind} {option:?}; the {kind}s are {}",
                known.join(", ")
            ),
            Error::InvalidOption { message, .. } => f.write_str(message),
            Error::UnknownClass { class, version } => write!(
                f,
                "{class:?} is not a record or component class of MODS {version}"
            ),
            Error::UnknownElement {
                class,
                element,
                version,
            } => write!(
                f,
                "{element:?} is not an element of {class} in MODS {version}"
            ),
            Error::UnknownVersion { version } => write!(
                f,
                "MODS version {version:?} is not supported (supported: {})",
                mods_core::model::supported_versions()
            ),
            Error::UnknownValueSet { value_set } => {
                write!(f, "no embedded value set {value_set:?}")
            }
            Error::UnknownTerm { term } => write!(f, "no glossary term {term:?}"),
            Error::UnknownIssueCode { code } => write!(f, "{code:?} is not an issue code"),
            Error::InvalidTerminology { index, message } => {
                write!(f, "resources[{index}]: {message}")
            }
            Error::MigrationRefused { message, .. }
            | Error::DiffRefused(message)
            | Error::ExportRefused(message)
            | Error::ImportRefused(message)
            | Error::MergeRefused(message) => f.write_str(message),
            Error::Internal(p) => f.write_str(&p.message()),
        }
    }
}

impl std::error::Error for Error {}

impl From<InputError> for Error {
    fn from(e: InputError) -> Self {
        Error::Input(e)
    }
}

impl From<Panicked> for Error {
    fn from(p: Panicked) -> Self {
        Error::Internal(p)
    }
}

impl Serialize for Error {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("code", self.code().as_str())?;
        m.serialize_entry("message", &self.to_string())?;
        match self {
            Error::Input(e) => {
                m.serialize_entry("issue_code", e.code.as_str())?;
                m.serialize_entry("pointer", &e.path)?;
                m.serialize_entry("line", &e.line)?;
                m.serialize_entry("column", &e.column)?;
                m.serialize_entry("offset", &e.offset)?;
            }
            Error::UnknownOption { option, known, .. } => {
                m.serialize_entry("option", option)?;
                m.serialize_entry("known", known)?;
            }
            Error::InvalidOption { option, .. } => m.serialize_entry("option", option)?,
            Error::UnknownClass { class, version } => {
                m.serialize_entry("class", class)?;
                m.serialize_entry("version", version)?;
            }
            Error::UnknownElement {
                class,
                element,
                version,
            } => {
                m.serialize_entry("class", class)?;
                m.serialize_entry("element", element)?;
                m.serialize_entry("version", version)?;
            }
            Error::UnknownVersion { version } => {
                m.serialize_entry("version", version)?;
                m.serialize_entry("supported", &crate::versions())?;
            }
            Error::UnknownValueSet { value_set } => m.serialize_entry("value_set", value_set)?,
            Error::UnknownTerm { term } => m.serialize_entry("term", term)?,
            Error::UnknownIssueCode { code } => m.serialize_entry("issue_code", code)?,
            Error::InvalidTerminology { index, .. } => m.serialize_entry("index", index)?,
            Error::MigrationRefused { losses, .. } => m.serialize_entry("losses", losses)?,
            Error::Internal(p) => m.serialize_entry("location", &p.location())?,
            Error::DiffRefused(_)
            | Error::ExportRefused(_)
            | Error::ImportRefused(_)
            | Error::MergeRefused(_) => {}
        }
        m.end()
    }
}

/// Run `f`; a panic in it becomes [`Error::Internal`].
pub(crate) fn guarded<T>(f: impl FnOnce() -> Result<T, Error>) -> Result<T, Error> {
    mods_core::guard::catch(f).unwrap_or_else(|p| Err(Error::Internal(p)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_kebab_case_and_serialise_as_text() {
        let mut seen = std::collections::HashSet::new();
        for c in ErrorCode::ALL {
            assert!(seen.insert(c.as_str()), "{c} twice");
            assert!(c
                .as_str()
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b == b'-'));
            assert_eq!(serde_json::to_value(c).unwrap(), c.as_str());
        }
    }

    #[test]
    fn errors_serialise_with_code_message_and_details() {
        let e = Error::UnknownOption {
            option: "stict".into(),
            kind: "option",
            known: &["strict"],
        };
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            serde_json::json!({"code": "unknown-option",
                "message": "unknown option \"stict\"; the options are strict",
                "option": "stict", "known": ["strict"]})
        );
        let p = Error::Internal(Panicked::unlocated());
        let v = serde_json::to_value(&p).unwrap();
        assert_eq!(v["code"], "internal-error");
        assert!(v["location"].is_null());
        assert_eq!(v["message"], Panicked::unlocated().message());
        let m = Error::MigrationRefused {
            message: "m".into(),
            losses: serde_json::json!([{"path": "/a"}]),
        };
        assert_eq!(serde_json::to_value(&m).unwrap()["losses"][0]["path"], "/a");
    }

    #[test]
    fn input_errors_are_invalid_json_or_limit_by_their_issue_code() {
        let limits = mods_core::Limits::default().with_max_depth(1);
        let deep = mods_core::parse_json(b"[[1]]", &limits).unwrap_err();
        assert_eq!(Error::from(deep).code(), ErrorCode::Limit);
        let bad = mods_core::parse_json(b"[1,", &limits).unwrap_err();
        let e = Error::from(bad.clone());
        assert_eq!(e.code(), ErrorCode::InvalidJson);
        assert_eq!(e.to_string(), bad.message);
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v["issue_code"], "input-syntax");
        assert_eq!(v["line"], 1);
    }

    #[test]
    fn messages_name_no_function_of_one_language() {
        let errors = [
            Error::UnknownClass {
                class: "x".into(),
                version: "1.1",
            },
            Error::UnknownVersion {
                version: "9".into(),
            },
            Error::UnknownValueSet {
                value_set: "x".into(),
            },
            Error::UnknownTerm { term: "x".into() },
            Error::UnknownIssueCode { code: "x".into() },
        ];
        for e in errors {
            let m = e.to_string();
            assert!(!m.contains("mods.") && !m.contains("()"), "{m}");
        }
    }
}

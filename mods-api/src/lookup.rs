//! Look-ups that read no record: versions, classes, value sets and codes, the glossary,
//! the issue catalogue, JSON Schemas.

use crate::error::{guarded, Error};
use mods_core::glossary::{Glossary, Term};
use mods_core::model::{self, ClassDef, Model, ValueSetDef};
use mods_core::terminology::{CodeEntry, Terminology};
use mods_core::IssueCode;
use serde::Serialize;
use serde_json::Value;

/// The MODS versions this library supports, oldest first.
pub fn versions() -> Vec<&'static str> {
    model::models().iter().map(|m| m.mods_version).collect()
}

/// The MODS version in force (the default of every look-up).
pub fn latest_version() -> &'static str {
    model::latest().mods_version
}

/// The model of `version` (`None`: the version in force), or [`Error::UnknownVersion`].
pub fn model_for(version: Option<&str>) -> Result<&'static Model, Error> {
    match version {
        None => Ok(model::latest()),
        Some(v) => model::model(v).ok_or_else(|| Error::UnknownVersion {
            version: v.to_owned(),
        }),
    }
}

/// The classes of a MODS version (name, technical name, group, kind, elements,
/// provenance...).
pub fn classes(version: Option<&str>) -> Result<&'static [ClassDef], Error> {
    Ok(model_for(version)?.classes)
}

/// The embedded value sets of a MODS version.
pub fn value_sets(version: Option<&str>) -> Result<&'static [ValueSetDef], Error> {
    Ok(Terminology::new(model_for(version)?).value_sets())
}

/// A code of an embedded value set, as look-ups return it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Code {
    /// The value set's id.
    pub value_set: &'static str,
    /// The code system URI.
    pub system: &'static str,
    /// The code.
    pub code: &'static str,
    /// Its display.
    pub display: &'static str,
}

impl From<CodeEntry> for Code {
    fn from(e: CodeEntry) -> Self {
        Code {
            value_set: e.value_set,
            system: e.system,
            code: e.code,
            display: e.display,
        }
    }
}

/// The look-ups of `version`, with `value_set` (when given) known to exist.
fn terminology(version: Option<&str>, value_set: Option<&str>) -> Result<Terminology, Error> {
    let t = Terminology::new(model_for(version)?);
    match value_set {
        Some(vs) if t.value_set(vs).is_none() => Err(Error::UnknownValueSet {
            value_set: vs.to_owned(),
        }),
        _ => Ok(t),
    }
}

/// The codes of an embedded value set (id or canonical URL), in display order.
pub fn codes(value_set: &str, version: Option<&str>) -> Result<Vec<Code>, Error> {
    guarded(|| {
        let t = terminology(version, Some(value_set))?;
        Ok(t.codes(value_set).into_iter().map(Code::from).collect())
    })
}

/// The display of `code` in an embedded value set; `None` when the code is not in it.
pub fn display(
    value_set: &str,
    code: &str,
    version: Option<&str>,
) -> Result<Option<&'static str>, Error> {
    guarded(|| Ok(terminology(version, Some(value_set))?.display(value_set, code)))
}

/// Codes whose display contains `text` (case-insensitive), or whose code is `text`, in one
/// embedded value set or all of them.
pub fn search_codes(
    text: &str,
    value_set: Option<&str>,
    version: Option<&str>,
) -> Result<Vec<Code>, Error> {
    guarded(|| {
        let t = terminology(version, value_set)?;
        Ok(t.search(text, value_set)
            .into_iter()
            .map(Code::from)
            .collect())
    })
}

/// The whole glossary of agreed MODS terms.
pub fn glossary() -> &'static Glossary {
    mods_core::glossary::glossary()
}

/// One glossary term by id, preferred term or synonym (case-insensitive), or
/// [`Error::UnknownTerm`].
pub fn glossary_term(term: &str) -> Result<&'static Term, Error> {
    guarded(|| {
        mods_core::glossary::lookup(term).ok_or_else(|| Error::UnknownTerm {
            term: term.to_owned(),
        })
    })
}

/// Glossary terms whose term, synonyms or definition mention `text`.
pub fn search_glossary(text: &str) -> Result<Vec<&'static Term>, Error> {
    guarded(|| Ok(mods_core::glossary::search(text)))
}

/// What an issue code means.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Explanation {
    /// The code.
    pub code: &'static str,
    /// Its title.
    pub title: &'static str,
    /// Its severity (`error`, `warning` or `information`).
    pub severity: &'static str,
    /// What it means and what to do.
    pub explanation: &'static str,
}

/// What an issue code means, or [`Error::UnknownIssueCode`].
pub fn explain(code: &str) -> Result<Explanation, Error> {
    let c = IssueCode::from_code(code).ok_or_else(|| Error::UnknownIssueCode {
        code: code.to_owned(),
    })?;
    Ok(Explanation {
        code: c.as_str(),
        title: c.title(),
        severity: c.default_severity().as_str(),
        explanation: c.explanation(),
    })
}

/// Every issue code of the closed catalogue, in documentation order.
pub fn issue_codes() -> Vec<&'static str> {
    IssueCode::ALL.iter().map(|c| c.as_str()).collect()
}

/// The JSON Schema (draft 2020-12) of the record document of a MODS version, or of one of
/// its classes.
pub fn schema(version: Option<&str>, class: Option<&str>) -> Result<Value, Error> {
    guarded(|| {
        let v = model_for(version)?.mods_version;
        let s = match class {
            None => mods_core::schema::record_schema(v),
            Some(c) => mods_core::schema::class_schema(v, c),
        };
        s.ok_or_else(|| Error::UnknownClass {
            class: class.unwrap_or_default().to_owned(),
            version: v,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    #[test]
    fn versions_and_models() {
        let vs = versions();
        assert!(vs.contains(&"1.0") && vs.contains(&latest_version()));
        assert_eq!(model_for(None).unwrap().mods_version, latest_version());
        let e = model_for(Some("9.9")).unwrap_err();
        assert_eq!(e.code(), ErrorCode::UnknownVersion);
        assert!(e.to_string().contains("\"9.9\" is not supported"));
        assert!(!classes(Some("1.0")).unwrap().is_empty());
        assert!(!value_sets(None).unwrap().is_empty());
    }

    #[test]
    fn codes_display_and_search() {
        let vs = value_sets(None).unwrap();
        let id = vs
            .iter()
            .find(|v| {
                !mods_core::terminology::Terminology::new(model::latest())
                    .codes(v.id)
                    .is_empty()
            })
            .unwrap()
            .id;
        let cs = codes(id, None).unwrap();
        assert!(!cs.is_empty());
        assert_eq!(display(id, cs[0].code, None).unwrap(), Some(cs[0].display));
        assert_eq!(display(id, "no such code", None).unwrap(), None);
        assert!(search_codes(cs[0].display, Some(id), None)
            .unwrap()
            .contains(&cs[0]));
        for e in [
            codes("no-such-set", None).unwrap_err(),
            display("no-such-set", "x", None).unwrap_err(),
            search_codes("x", Some("no-such-set"), None).unwrap_err(),
        ] {
            assert_eq!(e.code(), ErrorCode::UnknownValueSet);
        }
        assert_eq!(
            codes(id, Some("0.0")).unwrap_err().code(),
            ErrorCode::UnknownVersion
        );
    }

    #[test]
    fn glossary_explain_and_schema() {
        let first = &glossary().terms[0];
        assert_eq!(glossary_term(first.id).unwrap().id, first.id);
        assert_eq!(
            glossary_term("no such term").unwrap_err().code(),
            ErrorCode::UnknownTerm
        );
        assert!(!search_glossary("care").unwrap().is_empty());
        let x = explain("nhs-number-check-digit").unwrap();
        assert_eq!((x.code, x.severity), ("nhs-number-check-digit", "error"));
        assert_eq!(
            explain("nope").unwrap_err().code(),
            ErrorCode::UnknownIssueCode
        );
        assert_eq!(issue_codes().len(), IssueCode::ALL.len());
        assert!(schema(None, None).unwrap().get("$schema").is_some());
        assert!(schema(Some("1.0"), Some("alert")).is_ok());
        let e = schema(None, Some("nope")).unwrap_err();
        assert_eq!(e.code(), ErrorCode::UnknownClass);
    }
}

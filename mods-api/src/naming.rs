//! Option names in camelCase, for bindings whose language spells names that way (Node,
//! WebAssembly): `includeValues` for `include_values`, `limits.maxDepth` for
//! `limits.max_depth`. Only the spelling changes: the same options, defaults and checks,
//! and errors that name the option as the caller spelled it (an unknown name lists the
//! camelCase names; a snake_case name is unknown, so one spelling holds per binding).

use crate::error::Error;
use crate::options::{FromJson, LIMIT_NAMES};
use serde_json::{Map, Value};
use std::sync::Mutex;

/// `include_values` as `includeValues` (a name without `_` is unchanged).
pub fn camel_case(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The camelCase spelling of each name of `known`, made once per list.
fn camel_names(known: &'static [&'static str]) -> &'static [&'static str] {
    type Cache = Vec<(usize, &'static [&'static str])>;
    static CACHE: Mutex<Cache> = Mutex::new(Vec::new());
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    let key = known.as_ptr() as usize;
    if let Some((_, names)) = cache.iter().find(|(k, _)| *k == key) {
        return names;
    }
    let names: Vec<&'static str> = known
        .iter()
        .map(|n| &*Box::leak(camel_case(n).into_boxed_str()))
        .collect();
    let names: &'static [&'static str] = Box::leak(names.into_boxed_slice());
    cache.push((key, names));
    names
}

/// An object whose camelCase names are turned into the names of `known`; any other name
/// is [`Error::UnknownOption`] of `kind`, listing the camelCase names.
fn rename(
    m: &Map<String, Value>,
    known: &'static [&'static str],
    kind: &'static str,
) -> Result<Map<String, Value>, Error> {
    let mut out = Map::new();
    for (k, v) in m {
        let Some(name) = known.iter().find(|n| camel_case(n) == *k) else {
            return Err(Error::UnknownOption {
                option: k.clone(),
                kind,
                known: camel_names(known),
            });
        };
        let v = match (*name, v) {
            ("limits", Value::Object(l)) => Value::Object(rename(l, LIMIT_NAMES, "limit")?),
            _ => v.clone(),
        };
        out.insert((*name).to_owned(), v);
    }
    Ok(out)
}

/// An error naming an option in snake_case (`as_of`, `chunk_rows`), as the same error
/// naming it in camelCase (`asOf`, `chunkRows`) in `option` and in the message: for a
/// binding that read its options with [`FromJson::from_camel_value`], whose caller spelt
/// them so, when the operation itself refuses an option's value. Other errors are
/// unchanged.
pub fn camel_error(e: Error) -> Error {
    respell(e)
}

/// An error of the snake_case reading, naming the option in camelCase.
fn respell(e: Error) -> Error {
    match e {
        Error::InvalidOption { option, message } => {
            let last = option.rsplit('.').next().unwrap_or(&option).to_owned();
            let camel: Vec<String> = option.split('.').map(camel_case).collect();
            Error::InvalidOption {
                option: camel.join("."),
                message: message.replace(&last, &camel_case(&last)),
            }
        }
        other => other,
    }
}

/// [`FromJson::from_value`] with the names in camelCase.
pub(crate) fn from_camel_value<T: FromJson>(v: &Value) -> Result<T, Error> {
    match v {
        Value::Object(m) => {
            T::from_value(&Value::Object(rename(m, T::KNOWN, "option")?)).map_err(respell)
        }
        other => T::from_value(other),
    }
}

#[cfg(test)]
mod tests {
    use crate::{ErrorCode, ExportOptions, FromJson, ValidateOptions};
    use serde_json::json;

    #[test]
    fn camel_names_read_the_same_options() {
        let o = ValidateOptions::from_camel_value(&json!({
            "includeValues": true, "maxIssues": 3, "limits": {"maxDepth": 4},
            "unavailableTerminology": ["http://snomed.info/sct"], "class": "alert"
        }))
        .unwrap();
        assert!(o.include_values);
        assert_eq!(o.max_issues, 3);
        assert_eq!(o.limits.max_depth, Some(4));
        assert_eq!(o.unavailable_terminology.len(), 1);
        assert_eq!(o.class.as_deref(), Some("alert"));
        let e = ExportOptions::from_camel_json(r#"{"type": "document", "allowInvalid": true}"#)
            .unwrap();
        assert_eq!(
            (e.bundle_type.as_str(), e.allow_invalid),
            ("document", true)
        );
        assert!(ValidateOptions::from_camel_json("").unwrap().max_issues > 0);
    }

    #[test]
    fn an_operations_error_is_respelt_in_camel_case() {
        let e = super::camel_error(crate::Error::option(
            "as_of",
            "as_of must be a date (YYYY-MM-DD)",
        ));
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v["option"], "asOf");
        assert_eq!(v["message"], "asOf must be a date (YYYY-MM-DD)");
        let other = super::camel_error(crate::Error::UnknownVersion {
            version: "9_9".into(),
        });
        assert_eq!(other.code(), ErrorCode::UnknownVersion);
        assert_eq!(serde_json::to_value(&other).unwrap()["version"], "9_9");
    }

    #[test]
    fn snake_names_are_unknown_and_errors_name_the_camel_spelling() {
        let e = ValidateOptions::from_camel_value(&json!({"include_values": true})).unwrap_err();
        assert_eq!(e.code(), ErrorCode::UnknownOption);
        let m = e.to_string();
        let listed = m.split("the options are ").nth(1).unwrap();
        assert!(
            listed.contains("includeValues") && !listed.contains("include_values"),
            "{m}"
        );
        let e =
            ValidateOptions::from_camel_value(&json!({"limits": {"max_depth": 1}})).unwrap_err();
        assert_eq!(e.code(), ErrorCode::UnknownOption);
        assert!(e.to_string().contains("maxDepth"), "{e}");
        let e = ValidateOptions::from_camel_value(&json!({"includeValues": 1})).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidOption);
        assert_eq!(e.to_string(), "includeValues must be true or false");
        assert_eq!(serde_json::to_value(&e).unwrap()["option"], "includeValues");
        let e =
            ValidateOptions::from_camel_value(&json!({"limits": {"maxBytes": -1}})).unwrap_err();
        assert_eq!(
            serde_json::to_value(&e).unwrap()["option"],
            "limits.maxBytes"
        );
        assert!(e.to_string().contains("maxBytes"), "{e}");
        let e = ValidateOptions::from_camel_value(&json!([1])).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidOption);
    }
}

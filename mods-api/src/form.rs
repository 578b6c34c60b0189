//! What a data-entry form needs: a class's fields with their input hints
//! ([`form_schema`]), one field's issues as it is typed ([`validate_field`]) and the whole
//! form's ([`validate_instance`]). The rules are the core's ([`mods_core::form`]).

use crate::error::{guarded, Error};
use crate::lookup::model_for;
use crate::options::ValidateOptions;
use crate::report::{Issue, Report};
use crate::validate::{validate, Input, Prepared};
use mods_core::form::{self, FormError};
pub use mods_core::form::{FormField, FormOption, FormSchema};

fn form_error(e: FormError) -> Error {
    match e {
        FormError::UnknownClass(class, version) => Error::UnknownClass { class, version },
        FormError::UnknownElement {
            class,
            element,
            version,
        } => Error::UnknownElement {
            class: class.to_owned(),
            element,
            version,
        },
        FormError::ContextNotObject => Error::option("context", e.to_string()),
    }
}

/// The fields of a record or component class of `version` (`None`: the version in
/// force), in the model's order, with label, description, type, occurrence, value-set
/// options and input hints.
///
/// Errors: [`Error::UnknownVersion`], [`Error::UnknownClass`].
pub fn form_schema(class: &str, version: Option<&str>) -> Result<FormSchema, Error> {
    let m = model_for(version)?;
    guarded(|| form::form_schema(m, class).map_err(form_error))
}

/// The issues of one field of a form of `class` (latest model): those that validating the
/// instance `context` (the form's other values, or `None`) with `element` set to `value`
/// gives at or under `element`, with the same codes, messages and paths. A JSON `null`
/// value is an empty field. Only `opts`' core options are used (not its class).
///
/// Errors: [`Error::UnknownClass`], [`Error::UnknownElement`], [`Error::Input`] for JSON
/// that cannot be read, [`Error::InvalidOption`] (`context`) for a context that is not an
/// object, [`Error::Internal`] for a bug.
pub fn validate_field<'a>(
    class: &str,
    element: &str,
    value: impl Into<Input<'a>>,
    context: Option<Input<'a>>,
    opts: &Prepared,
) -> Result<Vec<Issue>, Error> {
    let value = value.into();
    guarded(|| {
        let limits = opts.limits();
        let value = value.read(limits)?;
        let context = context.map(|c| c.read(limits)).transpose()?;
        let issues = form::validate_field(class, element, &value, context.as_deref(), opts.core())
            .map_err(form_error)?;
        Ok(issues.into_iter().map(Issue::from).collect())
    })
}

/// Validate a whole form: `instance` as one instance of `class` of the latest model, with
/// `opts` (whose own `class`, if any, is replaced by `class`).
///
/// Errors: as [`validate`], and [`Error::UnknownClass`].
pub fn validate_instance<'a>(
    class: &str,
    instance: impl Into<Input<'a>>,
    opts: &ValidateOptions,
) -> Result<Report, Error> {
    let prepared = ValidateOptions {
        class: Some(class.to_owned()),
        ..opts.clone()
    }
    .prepare()?;
    validate(instance, &prepared)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;
    use serde_json::json;

    fn prepared() -> Prepared {
        ValidateOptions::default().prepare().unwrap()
    }

    #[test]
    fn form_schema_serialises_fields_in_order() {
        let s = serde_json::to_value(form_schema("alert", None).unwrap()).unwrap();
        assert_eq!(s["class"], "alert");
        let status = s["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["element"] == "status")
            .unwrap();
        assert_eq!(status["input"], "select");
        assert_eq!(status["required"], true);
        assert!(status["options"][0]["code"].is_string());
        assert_eq!(
            form_schema("alert", Some("9.9")).unwrap_err().code(),
            ErrorCode::UnknownVersion
        );
        assert_eq!(
            form_schema("nope", None).unwrap_err().code(),
            ErrorCode::UnknownClass
        );
    }

    #[test]
    fn validate_field_gives_the_elements_issues_in_the_api_shape() {
        let issues = validate_field(
            "subject_of_care",
            "nhs_number",
            r#""9434765918""#,
            None,
            &prepared(),
        )
        .unwrap();
        let v = serde_json::to_value(&issues).unwrap();
        assert_eq!(v[0]["code"], "nhs-number-check-digit");
        assert_eq!(v[0]["path"], json!(["nhs_number"]));
        assert_eq!(v[0]["pointer"], "/nhs_number");
        let cx = json!({"nhs_number": "9434765919"});
        let ok = validate_field(
            "subject_of_care",
            "nhs_number",
            &cx["nhs_number"],
            Some(Input::Value(&cx)),
            &prepared(),
        )
        .unwrap();
        assert!(ok.is_empty());
    }

    #[test]
    fn validate_field_errors_have_codes() {
        let p = prepared();
        let e = validate_field("alert", "statu", "null", None, &p).unwrap_err();
        assert_eq!(e.code(), ErrorCode::UnknownElement);
        assert_eq!(serde_json::to_value(&e).unwrap()["element"], "statu");
        let e =
            validate_field("alert", "status", "null", Some(Input::Json(b"[1]")), &p).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidOption);
        let e = validate_field("alert", "status", "{", None, &p).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidJson);
    }

    #[test]
    fn validate_instance_is_the_class_validation() {
        let opts = ValidateOptions::default();
        let r = validate_instance("alert", r#"{"status": {"code": "active"}}"#, &opts).unwrap();
        assert!(r
            .issues
            .iter()
            .all(|i| i.code.as_str() != "code-not-in-value-set"));
        let r = validate_instance("alert", "{}", &opts).unwrap();
        assert!(!r.valid);
        assert_eq!(
            validate_instance("alrt", "{}", &opts).unwrap_err().code(),
            ErrorCode::UnknownClass
        );
    }
}

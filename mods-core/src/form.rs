//! What a data-entry form needs from the model: the fields of a class ([`form_schema`]) and
//! the issues of one field as it is typed ([`validate_field`]).
//!
//! Nothing here is a second copy of a rule. The input hints (`pattern`, `max_length`) are
//! the JSON Schema's own shared definitions ([`crate::schema`]); the issues of a field are
//! those whole-instance validation ([`crate::validate_instance`]) gives for that element,
//! with the same codes, messages and paths: the field's value is put into the instance
//! the form holds so far (or an empty one) and the issues at or under that element are
//! kept.

use crate::issue::Issue;
use crate::model::{self, ClassDef, ClassKind, ElementDef, ElementType, Lookup, Model, Strength};
use crate::validate::{validate_instance, InstanceError, ValidationOptions};
use serde::Serialize;
use serde_json::{Map, Value};

/// The fields of one class, in the model's order, for building a form.
#[derive(Debug, Clone, Serialize)]
pub struct FormSchema {
    /// The MODS version of the model the fields come from.
    pub mods_version: &'static str,
    /// The class's technical name (the key of its instances).
    pub class: &'static str,
    /// The class's published name.
    pub name: &'static str,
    /// One line about the class.
    pub description: &'static str,
    /// The class's elements, in order, inherited ones (record uid, date...) included.
    pub fields: Vec<FormField>,
}

/// One element of a class as a form field.
#[derive(Debug, Clone, Serialize)]
pub struct FormField {
    /// The element's technical name: the key of its value in an instance.
    pub element: &'static str,
    /// The element's published name, for the field's label.
    pub label: &'static str,
    /// One line about the element, for help text.
    pub description: &'static str,
    /// The MODS data type (`Text`, `Date`, `Lookup`...).
    #[serde(rename = "type")]
    pub ty: &'static str,
    /// The occurrence, `min..max` (`1..1`, `0..1`, `0..*`, `1..*`).
    pub occurs: &'static str,
    /// Whether a value must be given (the occurrence's minimum is 1).
    pub required: bool,
    /// Whether the element takes a list of values.
    pub repeats: bool,
    /// Whether the element comes from the class's parent (Event, Versioned record) rather
    /// than the class's own rows.
    pub inherited: bool,
    /// The control that suits the value: `text`, `number`, `date`, `time`, `datetime`,
    /// `checkbox`, `select` (a code from the listed `options`), `coding` (a code of a
    /// terminology that is not embedded), `reference` (the record uid of another record)
    /// or `group` (the nested `fields` of a component).
    pub input: &'static str,
    /// The identifier check the value must pass (`nhs_number`, `postcode`...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<&'static str>,
    /// A pattern (ECMA-262 with the `u` flag, and `regex` syntax) a value matches: the
    /// shape only; checks such as the NHS number's check digit are done by validation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// The most characters a value may have.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u64>,
    /// For a `Date`, the precisions accepted: `day` only, or also `month`, `year`,
    /// `century`, `month-day` and `month` of an unknown year (`--MM-DD`, `--MM`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_precision: Option<Vec<&'static str>>,
    /// For a `Date and Time`, whether the time may be left out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_optional: Option<bool>,
    /// For a `Number`, whether it must be a whole number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub integer: Option<bool>,
    /// For a `Number`, the smallest value allowed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minimum: Option<f64>,
    /// For a code, the embedded value set's id or the terminology's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_set: Option<&'static str>,
    /// For a code, the code system (the value set's, when it has only one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system: Option<&'static str>,
    /// For a code, how strictly it binds (`required`: only the `options`; `extensible`:
    /// others with a warning; `preferred`: not checked).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub strength: Option<Strength>,
    /// For a code of an embedded value set, its active codes in display order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub options: Option<Vec<FormOption>>,
    /// For a reference, the classes of the records it may name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub targets: Option<&'static [&'static str]>,
    /// For a group, the component's fields.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<Vec<FormField>>,
}

/// One choice of a value-set field.
#[derive(Debug, Clone, Serialize)]
pub struct FormOption {
    /// The code.
    pub code: &'static str,
    /// Its display text.
    pub display: &'static str,
    /// Its code system.
    pub system: &'static str,
}

/// Why a form could not be described or a field checked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormError {
    /// No record or component class of that name in the model.
    #[error("`{0}` is not a record or component class of MODS {1}")]
    UnknownClass(String, &'static str),
    /// No element of that name in the class.
    #[error("`{element}` is not an element of {class} in MODS {version}")]
    UnknownElement {
        /// The class's technical name.
        class: &'static str,
        /// The element asked for.
        element: String,
        /// The model's version.
        version: &'static str,
    },
    /// The context of a field (the rest of the form) is not a JSON object.
    #[error("the context of a field must be an object of the form's other values")]
    ContextNotObject,
}

/// The class of a form: a record or component class (not an abstract one) of `m`.
fn form_class(m: &'static Model, class: &str) -> Result<&'static ClassDef, FormError> {
    m.class(class)
        .filter(|c| c.kind != ClassKind::Abstract)
        .ok_or_else(|| FormError::UnknownClass(class.to_owned(), m.mods_version))
}

/// The fields of `class` in model `m`, for a form.
pub fn form_schema(m: &'static Model, class: &str) -> Result<FormSchema, FormError> {
    let c = form_class(m, class)?;
    Ok(FormSchema {
        mods_version: m.mods_version,
        class: c.technical_name,
        name: c.name,
        description: c.description,
        fields: fields(m, c, 0),
    })
}

/// Components nest (an address in contact details...); the model has no cycle, but a form
/// need not go deeper than this.
const MAX_NESTING: usize = 4;

fn fields(m: &'static Model, c: &'static ClassDef, depth: usize) -> Vec<FormField> {
    c.elements.iter().map(|e| field(m, e, depth)).collect()
}

fn field(m: &'static Model, e: &'static ElementDef, depth: usize) -> FormField {
    let mut f = FormField {
        element: e.technical_name,
        label: e.name,
        description: e.description,
        ty: e.ty.as_str(),
        occurs: e.occurs.as_str(),
        required: e.occurs.required(),
        repeats: e.occurs.repeats(),
        inherited: e.inherited,
        input: "text",
        format: None,
        pattern: None,
        max_length: None,
        date_precision: None,
        time_optional: None,
        integer: None,
        minimum: None,
        value_set: None,
        system: None,
        strength: None,
        options: None,
        targets: None,
        fields: None,
    };
    let shared = match e.ty {
        ElementType::Text => Some(e.format.map_or("Text", crate::schema::format_def)),
        ElementType::Date if e.partial => Some("PartialDate"),
        ElementType::Date => Some("Date"),
        ElementType::Time => Some("Time"),
        ElementType::DateTime if e.time_optional => Some("DateOrDateTime"),
        ElementType::DateTime => Some("DateTime"),
        _ => None,
    };
    if let Some(def) = shared.and_then(crate::schema::shared_def) {
        f.pattern = def["pattern"].as_str().map(str::to_owned);
        f.max_length = def["maxLength"].as_u64();
    }
    f.format = e.format.map(|x| x.as_str());
    match e.ty {
        ElementType::Text => {}
        ElementType::Number => {
            f.input = "number";
            f.integer = Some(e.integer);
            f.minimum = e.minimum.or(e.integer.then_some(0.0));
        }
        ElementType::Date => {
            f.input = "date";
            f.date_precision = Some(if e.partial {
                vec!["day", "month", "year", "century", "month-day", "month-only"]
            } else {
                vec!["day"]
            });
        }
        ElementType::Time => f.input = "time",
        ElementType::DateTime => {
            f.input = "datetime";
            f.time_optional = Some(e.time_optional);
        }
        ElementType::YesNo => f.input = "checkbox",
        ElementType::Lookup | ElementType::ReferenceCode => match &e.lookup {
            Lookup::ValueSet {
                value_set,
                strength,
            } => {
                f.input = "select";
                f.value_set = Some(value_set);
                f.strength = Some(*strength);
                if let Some(vs) = m.value_set(value_set) {
                    f.system = vs.single_system();
                    f.options = Some(
                        vs.codes()
                            .filter(|(_, c)| !c.inactive)
                            .map(|(inc, c)| FormOption {
                                code: c.code,
                                display: c.display,
                                system: inc.system,
                            })
                            .collect(),
                    );
                }
            }
            Lookup::External {
                system,
                name,
                strength,
                ..
            } => {
                f.input = "coding";
                f.value_set = Some(name);
                f.system = Some(system);
                f.strength = Some(*strength);
            }
            Lookup::Reference { accepts, .. } => {
                f.input = "reference";
                f.targets = Some(accepts);
                if let Some(def) = crate::schema::shared_def("RecordUid") {
                    f.pattern = def["pattern"].as_str().map(str::to_owned);
                }
            }
            Lookup::None => {}
        },
        ElementType::Group => {
            f.input = "group";
            if depth < MAX_NESTING {
                f.fields = e
                    .component
                    .and_then(|c| m.class(c))
                    .map(|c| fields(m, c, depth + 1));
            }
        }
    }
    f
}

/// The issues of one field of a form: those validating the instance `context` (the form's
/// other values so far, or `None`) with `element` set to `value` gives at or under that
/// element. A `null` value is an empty field (the element left out: a mandatory one is
/// then `required-element-missing`). Checked against the latest model, as
/// [`validate_instance`] is.
pub fn validate_field(
    class: &str,
    element: &str,
    value: &Value,
    context: Option<&Value>,
    opts: &ValidationOptions,
) -> Result<Vec<Issue>, FormError> {
    let m = model::latest();
    let c = form_class(m, class)?;
    let e = c
        .element(element)
        .ok_or_else(|| FormError::UnknownElement {
            class: c.technical_name,
            element: element.to_owned(),
            version: m.mods_version,
        })?;
    let mut instance = match context {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(o)) => o.clone(),
        Some(_) => return Err(FormError::ContextNotObject),
    };
    if value.is_null() {
        instance.remove(e.technical_name);
    } else {
        instance.insert(e.technical_name.to_owned(), value.clone());
    }
    let report = validate_instance(c.technical_name, &Value::Object(instance), opts).map_err(
        |err| match err {
            InstanceError::UnknownClass(name, v) => FormError::UnknownClass(name, v),
            // an in-memory value is not read, so it cannot fail as input
            InstanceError::Input(_) => FormError::ContextNotObject,
        },
    )?;
    // technical names are snake_case: no pointer escaping needed
    let at = e.technical_name;
    Ok(report
        .issues
        .into_iter()
        .filter(|i| {
            i.path
                .strip_prefix('/')
                .and_then(|p| p.strip_prefix(at))
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn latest_form(class: &str) -> FormSchema {
        form_schema(model::latest(), class).unwrap()
    }

    fn field_of<'a>(s: &'a FormSchema, element: &str) -> &'a FormField {
        s.fields.iter().find(|f| f.element == element).unwrap()
    }

    fn codes(issues: &[Issue]) -> Vec<&str> {
        issues.iter().map(|i| i.code.as_str()).collect()
    }

    #[test]
    fn schema_lists_the_elements_in_model_order_with_hints() {
        let s = latest_form("subject_of_care");
        let c = model::latest().class("subject_of_care").unwrap();
        let names: Vec<_> = s.fields.iter().map(|f| f.element).collect();
        let model_names: Vec<_> = c.elements.iter().map(|e| e.technical_name).collect();
        assert_eq!(names, model_names);
        let nhs = field_of(&s, "nhs_number");
        assert_eq!(nhs.label, "NHS number");
        assert_eq!(nhs.format, Some("nhs_number"));
        assert_eq!(nhs.pattern.as_deref(), Some("^[0-9]{10}$"));
        assert!(!nhs.required);
        let name = field_of(&s, "person_name");
        assert_eq!(
            (name.input, name.required, name.repeats),
            ("group", true, true)
        );
        assert!(name
            .fields
            .as_ref()
            .unwrap()
            .iter()
            .any(|f| f.element == "family_name"));
        let dob = field_of(&s, "date_of_birth");
        assert_eq!(dob.date_precision, Some(vec!["day"]));
        let dod = field_of(&s, "date_of_death");
        assert_eq!(dod.date_precision.as_ref().unwrap().len(), 6);
    }

    #[test]
    fn value_set_fields_list_their_active_codes() {
        let s = latest_form("medication_administration");
        let role = field_of(&s, "administered_by_role");
        assert_eq!(role.input, "select");
        assert_eq!(role.strength, Some(Strength::Required));
        let opts = role.options.as_ref().unwrap();
        assert!(opts.iter().any(|o| o.code == "care-worker"));
        let vs = model::latest().value_set("administered_by_role").unwrap();
        let active = vs.codes().filter(|(_, c)| !c.inactive).count();
        assert_eq!(opts.len(), active);
        let by = field_of(&s, "administered_by");
        assert_eq!(by.input, "reference");
        assert!(by.targets.unwrap().contains(&"unpaid_carer"));
    }

    #[test]
    fn schema_of_older_versions_and_unknown_classes() {
        let old = model::model("0.2.1").unwrap();
        assert_eq!(
            form_schema(old, "subject_of_care").unwrap().mods_version,
            "0.2.1"
        );
        let err = form_schema(model::latest(), "alrt").unwrap_err();
        assert!(matches!(err, FormError::UnknownClass(..)));
    }

    #[test]
    fn a_field_gets_the_issues_whole_instance_validation_gives_it() {
        let opts = ValidationOptions::default();
        let bad = json!("9434765918");
        let issues = validate_field("subject_of_care", "nhs_number", &bad, None, &opts).unwrap();
        assert_eq!(codes(&issues), ["nhs-number-check-digit"]);
        // the same issue, word for word, as validating the instance
        let whole =
            validate_instance("subject_of_care", &json!({"nhs_number": bad}), &opts).unwrap();
        let same: Vec<_> = whole
            .issues
            .iter()
            .filter(|i| i.path == "/nhs_number")
            .cloned()
            .collect();
        assert_eq!(issues, same);
        // other elements' issues (person_name missing...) are not this field's
        assert!(whole.issues.len() > issues.len());
        let good = json!("9434765919");
        assert!(
            validate_field("subject_of_care", "nhs_number", &good, None, &opts)
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn empty_mandatory_field_and_nested_issues() {
        let opts = ValidationOptions::default();
        let missing = validate_field("alert", "status", &Value::Null, None, &opts).unwrap();
        assert_eq!(codes(&missing), ["required-element-missing"]);
        let wrong = json!({"code": "sleeping"});
        let issues = validate_field("alert", "status", &wrong, None, &opts).unwrap();
        assert_eq!(issues.len(), 1);
        assert!(issues[0].path.starts_with("/status"));
        assert_eq!(issues[0].code.as_str(), "code-not-in-value-set");
    }

    #[test]
    fn context_gives_cross_field_rules() {
        let opts = ValidationOptions::default();
        let cx = json!({"alert_start_date": "2025-03-02T10:00:00Z"});
        let end = json!("2025-03-01T10:00:00Z");
        let issues = validate_field("alert", "alert_end_date", &end, Some(&cx), &opts).unwrap();
        let start = validate_field(
            "alert",
            "alert_start_date",
            &cx["alert_start_date"],
            Some(&json!({"alert_end_date": end})),
            &opts,
        )
        .unwrap();
        // the date-order issue sits on one of the two fields, the same one either way
        assert_eq!(issues.len() + start.len(), 1);
        assert!(matches!(
            validate_field("alert", "status", &end, Some(&json!([])), &opts),
            Err(FormError::ContextNotObject)
        ));
        assert!(matches!(
            validate_field("alert", "nope", &end, None, &opts),
            Err(FormError::UnknownElement { .. })
        ));
    }

    #[test]
    fn messages_never_quote_the_value() {
        let opts = ValidationOptions::default();
        let v = json!("Zebedee-4242");
        for (class, element) in [
            ("subject_of_care", "nhs_number"),
            ("subject_of_care", "date_of_birth"),
            ("alert", "status"),
        ] {
            for i in validate_field(class, element, &v, None, &opts).unwrap() {
                assert!(!i.message.contains("Zebedee"), "{}", i.message);
                assert!(!i
                    .context
                    .values()
                    .any(|c| c.to_string().contains("Zebedee")));
            }
        }
    }

    #[test]
    fn validate_field_is_fast() {
        let opts = ValidationOptions::default();
        let v = json!("9434765918");
        let n = 2_000;
        let t = std::time::Instant::now();
        for _ in 0..n {
            let issues = validate_field("subject_of_care", "nhs_number", &v, None, &opts).unwrap();
            assert_eq!(issues.len(), 1);
        }
        let per_call = t.elapsed() / n;
        // debug build, shared machine: a generous bound; release figures in the docs
        assert!(per_call.as_micros() < 1_000, "{per_call:?} per call");
    }
}

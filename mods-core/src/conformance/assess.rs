//! The rules: a record against the model's required elements and the profile's classes.

use super::profile::{profile, PersonClass};
use super::{Assessment, Basis, ClassResult, ConformanceError, Gap, GapCode, ValidationStatus};
use crate::model::{self, ClassDef, ClassKind, ElementDef, Model};
use crate::{validate_record, InputError, Severity, ValidationOptions};
use serde_json::Value;

/// Assess `record` against MODS `version` (the current version when `None`), validating it
/// with `opts` for the status the assessment shows.
///
/// Errors: [`ConformanceError::UnknownVersion`] when `version` is not a supported version.
/// Anything wrong with the record itself is in the assessment, never an error.
pub fn assess(
    record: &Value,
    version: Option<&str>,
    opts: &ValidationOptions,
) -> Result<Assessment, ConformanceError> {
    let (m, version) = target(version)?;
    let report = validate_record(record, opts);
    let count = |s: Severity| report.issues.iter().filter(|i| i.severity == s).count();
    let validation = ValidationStatus {
        valid: report.valid,
        errors: count(Severity::Error),
        warnings: count(Severity::Warning),
    };
    let stated = record
        .get("mods_version")
        .and_then(Value::as_str)
        .and_then(model::model)
        .map(|m| m.mods_version);
    let mut a = Assessment {
        mods_version: version.to_owned(),
        record_version: stated.map(str::to_owned),
        conformant: false,
        score: 0.0,
        validation,
        classes: Vec::new(),
        gaps: Vec::new(),
    };
    match stated {
        None => a.gaps.push(document_gap(
            GapCode::VersionUnsupported,
            "/mods_version",
            "the record states no MODS version this library supports, so it cannot be \
             assessed class by class"
                .into(),
        )),
        Some(v) if v != version => a.gaps.push(document_gap(
            GapCode::VersionMismatch,
            "/mods_version",
            format!(
                "the record is written to MODS {v}, not {version}; migrate it first \
                 (mods migrate --to {version}) to assess it against {version}"
            ),
        )),
        Some(_) => {
            a.classes = classes(record, m, version);
            let ratios: Vec<f64> = a.classes.iter().map(ratio).collect();
            if !ratios.is_empty() {
                a.score = floor4(ratios.iter().sum::<f64>() / ratios.len() as f64);
            }
            a.conformant = a.validation.valid
                && !a.classes.is_empty()
                && a.classes.iter().all(|c| c.gaps.is_empty());
        }
    }
    Ok(a)
}

/// The assessment of a document that could not be read (not JSON, over a limit): not
/// conformant, invalid, with one [`GapCode::Unreadable`] gap naming the `input-*` issue
/// code and where the reading stopped.
///
/// Errors: [`ConformanceError::UnknownVersion`] as [`assess`].
pub fn unreadable(
    version: Option<&str>,
    error: &InputError,
) -> Result<Assessment, ConformanceError> {
    let (_, version) = target(version)?;
    Ok(Assessment {
        mods_version: version.to_owned(),
        record_version: None,
        conformant: false,
        score: 0.0,
        validation: ValidationStatus {
            valid: false,
            errors: 1,
            warnings: 0,
        },
        classes: Vec::new(),
        gaps: vec![document_gap(
            GapCode::Unreadable,
            error.path.as_deref().unwrap_or(""),
            format!(
                "the document could not be read ({}): {}",
                error.code, error.message
            ),
        )],
    })
}

/// The model and profile version asked for.
fn target(version: Option<&str>) -> Result<(&'static Model, &'static str), ConformanceError> {
    let m = match version {
        None => model::latest(),
        Some(v) => model::model(v).ok_or_else(|| ConformanceError::UnknownVersion(v.into()))?,
    };
    if profile(m.mods_version).is_none() {
        return Err(ConformanceError::UnknownVersion(m.mods_version.into()));
    }
    Ok((m, m.mods_version))
}

fn document_gap(code: GapCode, path: &str, message: String) -> Gap {
    Gap {
        code,
        path: path.to_owned(),
        elements: Vec::new(),
        basis: Basis::Document,
        message,
    }
}

/// Every class assessed: the profile's classes that apply, then the other MODS record
/// classes the record holds that have requirements.
fn classes(record: &Value, m: &'static Model, version: &str) -> Vec<ClassResult> {
    let Some(p) = profile(version) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for pc in &p.person_classes {
        let applies = pc.when_present.is_empty()
            || pc
                .when_present
                .iter()
                .any(|w| !instances(record, w).is_empty());
        if let (true, Some(class)) = (applies, m.class(&pc.class)) {
            out.push(assess_class(record, m, class, Some(pc)));
        }
    }
    for class in m.record_classes() {
        if class.extension || out.iter().any(|c| c.class == class.technical_name) {
            continue;
        }
        if instances(record, class.technical_name).is_empty() {
            continue;
        }
        let result = assess_class(record, m, class, None);
        if result.requirements > 0 {
            out.push(result);
        }
    }
    out
}

/// The instances of a class in the record, with the pointer of each.
fn instances<'v>(record: &'v Value, class: &str) -> Vec<(String, &'v Value)> {
    match record.get(class) {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (format!("/{class}/{i}"), v))
            .collect(),
        // subject_of_care is one object; any other shape is the validator's to report
        Some(v) if class == "subject_of_care" => vec![(format!("/{class}"), v)],
        Some(_) => Vec::new(),
    }
}

/// The elements the standard marks as required on the class, without the Versioned record
/// elements.
fn required(m: &Model, class: &'static ClassDef) -> Vec<&'static ElementDef> {
    let versioned = m
        .class("versioned_record")
        .filter(|_| class.versioned)
        .map_or(&[][..], |v| v.elements);
    class
        .elements
        .iter()
        .filter(|e| {
            !(e.inherited
                && versioned
                    .iter()
                    .any(|v| v.technical_name == e.technical_name))
        })
        .filter(|e| {
            e.occurs.required()
                || e.published
                    .as_ref()
                    .and_then(|p| p.occurs)
                    .is_some_and(|o| o.starts_with("Must"))
        })
        .collect()
}

fn basis_of(e: &ElementDef) -> Basis {
    if e.published.is_some() {
        Basis::Published
    } else {
        Basis::Provisional
    }
}

/// Whether an instance holds the element: present, not `null`, not an empty array (as
/// `required-element-missing` reads it).
fn holds(instance: &Value, element: &str) -> bool {
    match instance.get(element) {
        None | Some(Value::Null) => false,
        Some(Value::Array(a)) => !a.is_empty(),
        Some(_) => true,
    }
}

fn assess_class(
    record: &Value,
    m: &'static Model,
    class: &'static ClassDef,
    person: Option<&PersonClass>,
) -> ClassResult {
    debug_assert!(class.kind == ClassKind::Record);
    let required = required(m, class);
    let expects = person.map_or(&[][..], |p| &p.expects[..]);
    let found = instances(record, class.technical_name);
    let mut r = ClassResult {
        class: class.technical_name.to_owned(),
        name: class.name.to_owned(),
        person_class: person.is_some(),
        instances: found.len(),
        requirements: 0,
        met: 0,
        score: 0.0,
        gaps: Vec::new(),
    };
    if person.is_some() {
        r.requirements += 1;
        if found.is_empty() {
            // counted as one instance holding nothing
            r.requirements += required.len() + expects.len();
            let names: Vec<&str> = required.iter().map(|e| e.name).collect();
            r.gaps.push(Gap {
                code: GapCode::ClassMissing,
                path: format!("/{}", class.technical_name),
                elements: required
                    .iter()
                    .map(|e| e.technical_name.to_owned())
                    .collect(),
                basis: Basis::Profile,
                message: if names.is_empty() {
                    format!("the record holds no {}", class.name)
                } else {
                    format!(
                        "the record holds no {}; one is needed, with {}",
                        class.name,
                        names.join(", ")
                    )
                },
            });
        } else {
            r.met += 1;
        }
    }
    for (path, instance) in &found {
        for e in &required {
            r.requirements += 1;
            if holds(instance, e.technical_name) {
                r.met += 1;
                continue;
            }
            let basis = basis_of(e);
            let why = match basis {
                Basis::Published => "the standard marks it \"Must occur once\"",
                _ => "required in this library's provisional model of the class",
            };
            r.gaps.push(Gap {
                code: GapCode::ElementMissing,
                path: format!("{path}/{}", e.technical_name),
                elements: vec![e.technical_name.to_owned()],
                basis,
                message: format!("{}: {} is missing ({why})", class.name, e.name),
            });
        }
        for x in expects {
            r.requirements += 1;
            if x.any_of.iter().any(|n| holds(instance, n)) {
                r.met += 1;
                continue;
            }
            let names: Vec<&str> = x
                .any_of
                .iter()
                .map(|n| class.element(n).map_or(n.as_str(), |e| e.name))
                .collect();
            let what = match names.as_slice() {
                [one] => format!("{one} is missing"),
                _ => format!("none of {} is recorded", names.join(", ")),
            };
            r.gaps.push(Gap {
                code: GapCode::ElementMissing,
                path: if x.any_of.len() == 1 {
                    format!("{path}/{}", x.any_of[0])
                } else {
                    path.clone()
                },
                elements: x.any_of.clone(),
                basis: Basis::Profile,
                message: format!(
                    "{}: {what} (expected of every record by the conformance profile)",
                    class.name
                ),
            });
        }
    }
    r.score = floor4(ratio(&r));
    r
}

fn ratio(c: &ClassResult) -> f64 {
    if c.requirements == 0 {
        1.0
    } else {
        c.met as f64 / c.requirements as f64
    }
}

/// Rounded down to four decimal places, so that only 1 is 1 (the small allowance keeps
/// 0.29 from becoming 0.2899 through binary fractions).
fn floor4(x: f64) -> f64 {
    ((x * 10_000.0) + 1e-9).floor() / 10_000.0
}

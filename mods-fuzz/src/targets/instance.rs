//! `validate_instance_json`: a class technical name, a newline, then any bytes.
//!
//! The class is written by name (not chosen by index) so that a saved input keeps its meaning
//! when classes are added to the model; the dictionary holds every class name followed by a
//! newline. Oracles: a name that is not a record or component class of the current model is
//! refused with `InstanceError::UnknownClass` whatever the bytes; for a class, the result is a
//! report or an `input-*` error, with every oracle of the record target
//! ([`crate::report`]), paths resolving into the instance.

use crate::report::{self, Subject};
use crate::targets::record::input_error;
use crate::{marker, Check, Cx};
use mods_core::model::{self, ClassKind};
use mods_core::Report;
use mods_core::{parse_json, validate_instance, validate_instance_json, InstanceError};

/// Split an input into the class name and the instance's bytes.
pub fn split(data: &[u8]) -> (String, &[u8]) {
    match data.iter().position(|&b| b == b'\n') {
        Some(i) => (
            String::from_utf8_lossy(&data[..i]).into_owned(),
            &data[i + 1..],
        ),
        None => (String::from_utf8_lossy(data).into_owned(), &[]),
    }
}

pub(crate) fn run(cx: &mut Cx, data: &[u8]) -> Check {
    let (class, bytes) = split(data);
    let opts = crate::options();
    let known = model::latest()
        .class(&class)
        .is_some_and(|c| c.kind != ClassKind::Abstract);
    let result = validate_instance_json(&class, bytes, &opts);
    if !known {
        return cx.check(
            "instance/unknown-class-refused",
            matches!(&result, Err(InstanceError::UnknownClass(..))),
            || format!("{class:?}: {result:?}"),
        );
    }
    match (result, parse_json(bytes, &opts.limits)) {
        (Err(InstanceError::Input(e)), Err(p)) => {
            cx.check("json/error-is-the-parse-error", e == p, || {
                format!("{e:?} vs {p:?}")
            })?;
            input_error(cx, bytes, &e, |b| {
                match validate_instance_json(&class, b, &crate::options()) {
                    Err(InstanceError::Input(e)) => Some(e),
                    _ => None,
                }
            })
        }
        (Ok(r), Ok(doc)) => {
            let direct = validate_instance(&class, &doc, &opts);
            cx.check(
                "json/same-as-parsed",
                direct.as_ref().ok() == Some(&r),
                || format!("{direct:?}"),
            )?;
            oracles(cx, &class, &doc, &r, marker::seed_of(data))
        }
        (r, p) => cx.check("instance/result-kind", false, || {
            format!("{class:?}: {:?}; parse_json: {:?}", r.err(), p.err())
        }),
    }
}

fn oracles(cx: &mut Cx, class: &str, doc: &serde_json::Value, r: &Report, seed: u64) -> Check {
    report::invariants(cx, doc, r, &crate::options())?;
    report::differentials(cx, Subject::Instance(class), doc, r, seed)?;
    report::no_leak(cx, Subject::Instance(class), doc, r, seed)
}

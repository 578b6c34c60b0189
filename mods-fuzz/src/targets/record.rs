//! `validate_record_json`: any bytes.
//!
//! Oracles: it never panics; it returns a report, or an `input-*` error when the bytes
//! cannot be read; the report keeps its invariants ([`crate::report::invariants`]: `valid`
//! iff no error is listed, issue accounting, every path a pointer into the document or to an
//! absent member of one of its objects, no `context.value` unless asked); the report is the
//! one `validate_record` gives the parsed document, the same again after writing the
//! document out and reading it back, and agrees with itself across options
//! ([`crate::report::differentials`]); and nothing of the person's data leaks
//! ([`crate::report::no_leak`], and for unreadable input [`input_error`]).

use crate::marker;
use crate::report::{self, Subject};
use crate::{Check, Cx};
use mods_core::{parse_json, validate_record, InputError, Report};
use serde_json::Value;

pub(crate) fn run(cx: &mut Cx, data: &[u8]) -> Check {
    let opts = crate::options();
    let parsed = parse_json(data, &opts.limits);
    match (mods_core::validate_record_json(data, &opts), parsed) {
        (Err(e), Err(p)) => {
            cx.check("json/error-is-the-parse-error", e == p, || {
                format!("{e:?} vs {p:?}")
            })?;
            input_error(cx, data, &e, |bytes| {
                mods_core::validate_record_json(bytes, &crate::options()).err()
            })
        }
        (Ok(r), Ok(doc)) => {
            cx.check(
                "json/same-as-parsed",
                r == validate_record(&doc, &opts),
                String::new,
            )?;
            reserialised(cx, &doc, &r)?;
            oracles(cx, &doc, &r, marker::seed_of(data))
        }
        (r, p) => cx.check("json/error-is-the-parse-error", false, || {
            format!(
                "validate_record_json: {:?}; parse_json: {:?}",
                r.err(),
                p.err()
            )
        }),
    }
}

/// Every report oracle on a parsed record document.
pub(crate) fn oracles(cx: &mut Cx, doc: &Value, r: &Report, seed: u64) -> Check {
    report::invariants(cx, doc, r, &crate::options())?;
    report::differentials(cx, Subject::Record, doc, r, seed)?;
    report::no_leak(cx, Subject::Record, doc, r, seed)
}

/// Written out and read back, the document gets the same issues (code, path, severity).
fn reserialised(cx: &mut Cx, doc: &Value, r: &Report) -> Check {
    let Ok(bytes) = serde_json::to_vec(doc) else {
        return Ok(());
    };
    let again = mods_core::validate_record_json(&bytes, &crate::options());
    let Ok(back) = parse_json(&bytes, &Default::default()) else {
        return cx.check("json/reserialised-reads-back", false, || {
            format!("{:?}", again.err())
        });
    };
    if &back != doc {
        // serde_json may round a float by one unit in the last place; not this library's
        return Ok(());
    }
    let key = |r: &Report| {
        let mut v: Vec<(String, String, String)> = r
            .issues
            .iter()
            .map(|i| {
                (
                    i.code.as_str().into(),
                    i.path.clone(),
                    i.severity.as_str().into(),
                )
            })
            .collect();
        v.sort();
        (r.valid, v)
    };
    cx.check(
        "json/reserialised-same-verdict",
        again.as_ref().is_ok_and(|a| key(a) == key(r)),
        || format!("{:?}\nvs {:?}", again.map(|a| key(&a)), key(r)),
    )
}

/// Oracles on an input error: an `input-*` code, a well-formed pointer and position, and a
/// message that quotes nothing of the input (checked by marking every string of the text).
pub(crate) fn input_error(
    cx: &mut Cx,
    data: &[u8],
    e: &InputError,
    rerun: impl Fn(&[u8]) -> Option<InputError>,
) -> Check {
    cx.check(
        "input-error/code",
        e.code.as_str().starts_with("input-"),
        || e.code.to_string(),
    )?;
    cx.check(
        "input-error/path",
        e.path
            .as_deref()
            .is_none_or(|p| crate::pointer::segments(p).is_some()),
        || format!("{:?}", e.path),
    )?;
    cx.check(
        "input-error/position",
        e.line.is_none_or(|l| l >= 1)
            && e.column.is_none_or(|c| c >= 1)
            && e.offset.is_none_or(|o| o <= data.len()),
        || format!("{e:?}"),
    )?;
    cx.check("input-error/message", !e.message.trim().is_empty(), || {
        format!("{e:?}")
    })?;
    let issue = e.to_issue();
    cx.check(
        "input-error/as-issue",
        issue.code == e.code && issue.severity == mods_core::Severity::Error,
        || format!("{issue:?}"),
    )?;
    let Some(m) = marker::choose(&String::from_utf8_lossy(data)) else {
        return Ok(());
    };
    if let Some(e2) = rerun(&marker::mark_bytes(data, m)) {
        cx.check(
            "leak/input-in-error-message",
            !e2.message.contains(m),
            || format!("{e2:?}"),
        )?;
    }
    Ok(())
}

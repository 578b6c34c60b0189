//! `diff_records`: bytes read as a record document `A` (input that cannot be read is skipped),
//! and `B`, a copy of `A` whose string values are rewritten by the marker oracle.
//!
//! Oracles: it never panics; it refuses exactly the documents that are not records of a
//! supported version; `diff(A, A)` has no change, with every option, and reports each
//! `record_uid` used twice once for each side (`issues`, every path pointing at a uid that
//! really is used before, at `context.first`); without `include_values` no change or issue
//! carries a value (`before`/`after` and `context.value` absent, and the marker in no field
//! but `record_uid`, which the diff reports by design); `include_values` only adds
//! `before`/`after` and `context.value`; every path points into `B` (additions, changes) or
//! `A` (removals).
//! On records whose collections are arrays of objects with distinct `record_uid`s: the diff
//! is symmetric (what is added from A to B is removed from B to A, as many changes each way)
//! and complete (every top-level key whose instances differ, in any order and empty
//! collections aside, has a change under it).

use crate::marker::{self, Scope};
use crate::pointer;
use crate::{Check, Cx};
use mods_core::history::{diff_records, DiffError, DiffOptions, RecordChangeKind, RecordDiff};
use mods_core::model::{self, ClassKind};
use mods_core::{parse_json, Issue, IssueCode};
use serde_json::{Map, Value};

pub(crate) fn run(cx: &mut Cx, data: &[u8]) -> Check {
    match parse_json(data, &Default::default()) {
        Ok(doc) => diffs(cx, &doc, marker::seed_of(data)),
        Err(_) => {
            cx.reached("diff/unreadable-input-skipped");
            Ok(())
        }
    }
}

/// The four combinations of the diff's options.
fn options() -> [DiffOptions; 4] {
    [(false, false), (true, false), (false, true), (true, true)].map(|(values, audit)| {
        DiffOptions::default()
            .with_include_values(values)
            .with_include_audit(audit)
    })
}

fn is_record(doc: &Value) -> bool {
    doc.get("mods_version")
        .and_then(Value::as_str)
        .and_then(model::model)
        .is_some()
}

/// Every diff oracle on a parsed document.
pub(crate) fn diffs(cx: &mut Cx, a: &Value, seed: u64) -> Check {
    let record = is_record(a);
    for opts in options() {
        let d = diff_records(a, a, &opts);
        cx.check(
            "diff/refuses-only-non-records",
            match &d {
                Ok(_) => record,
                Err(DiffError::NotARecord(_)) => !record,
                Err(_) => false,
            },
            || format!("{d:?}"),
        )?;
        let Ok(d) = d else { continue };
        cx.check("diff/self-is-empty", d.changes.is_empty(), || {
            format!("{:?}", d.changes)
        })?;
        self_issues(cx, a, &d.issues, opts.include_values)?;
    }
    if !record {
        return Ok(());
    }
    let Some(m) = marker::choose_for(a) else {
        return Ok(());
    };
    let b = marker::mark(a, m, seed, Scope::All);
    let plain = diff_records(a, &b, &options()[0]);
    let valued = diff_records(a, &b, &options()[1]);
    let (Ok(plain), Ok(valued)) = (plain, valued) else {
        return cx.check("diff/refuses-only-non-records", false, || {
            "a rewritten copy of a record was refused".into()
        });
    };
    for i in &plain.issues {
        cx.check(
            "diff/no-values-unless-asked",
            !i.context.contains_key("value"),
            || format!("{i:?}"),
        )?;
        let mut fields = i.context.clone();
        fields.insert("message".into(), i.message.clone().into());
        fields.insert("path".into(), i.path.clone().into());
        let leaks = marker::leaking_members(&fields, m, &[]);
        cx.check("leak/value-in-diff", leaks.is_empty(), || {
            format!("{leaks:?} in {i:?}")
        })?;
    }
    for c in &plain.changes {
        cx.check(
            "diff/no-values-unless-asked",
            c.before.is_none() && c.after.is_none(),
            || format!("{c:?}"),
        )?;
        let fields = serde_json::to_value(c)
            .ok()
            .and_then(|v| v.as_object().cloned())
            .unwrap_or_default();
        let leaks = marker::leaking_members(&fields, m, &["record_uid"]);
        cx.check("leak/value-in-diff", leaks.is_empty(), || {
            format!("{leaks:?} in {c:?}")
        })?;
        let (doc, what) = match c.kind {
            RecordChangeKind::Removed => (a, "A"),
            _ => (&b, "B"),
        };
        cx.check(
            "diff/path-resolves",
            pointer::resolves_or_absent_member(doc, &c.path),
            || format!("{:?} {} not in {what}", c.kind, c.path),
        )?;
    }
    let mut stripped = valued.clone();
    for c in &mut stripped.changes {
        c.before = None;
        c.after = None;
    }
    for i in &mut stripped.issues {
        i.context.remove("value");
    }
    cx.check(
        "diff/include-values-only-adds-values",
        stripped == plain,
        || {
            format!(
                "{:?} {:?}\nvs {:?} {:?}",
                stripped.changes, stripped.issues, plain.changes, plain.issues
            )
        },
    )?;
    if well_shaped(a) && well_shaped(&b) {
        symmetric_and_complete(cx, a, &b)?;
    }
    Ok(())
}

/// The issues of `diff(A, A)`: every one a `duplicate-record-uid` at a `record_uid` of `A`
/// whose value is the one at `context.first`, earlier in the document; the same for the
/// older and the newer side; `context.value` (the uid) only with `include_values`.
fn self_issues(cx: &mut Cx, a: &Value, issues: &[Issue], include_values: bool) -> Check {
    let side = |which: &str| -> Vec<(&str, Option<&Value>)> {
        issues
            .iter()
            .filter(|i| i.context.get("record").and_then(Value::as_str) == Some(which))
            .map(|i| (i.path.as_str(), i.context.get("first")))
            .collect()
    };
    let (old, new) = (side("old"), side("new"));
    cx.check(
        "diff/self-issues-on-both-sides",
        old == new && old.len() + new.len() == issues.len(),
        || format!("{issues:?}"),
    )?;
    for i in issues {
        let uid = a.pointer(&i.path).and_then(Value::as_str);
        let first = i
            .context
            .get("first")
            .and_then(Value::as_str)
            .and_then(|p| a.pointer(p))
            .and_then(Value::as_str);
        let earlier = i
            .context
            .get("first")
            .and_then(Value::as_str)
            .is_some_and(|p| p != i.path);
        cx.check(
            "diff/issue-is-a-shared-uid",
            i.code == IssueCode::DuplicateRecordUid
                && i.path.ends_with("/record_uid")
                && uid.is_some()
                && uid == first
                && earlier
                && !i.message.trim().is_empty()
                && i.context.contains_key("value") == include_values
                && (!include_values || i.context.get("value").and_then(Value::as_str) == uid),
            || format!("{i:?}"),
        )?;
    }
    Ok(())
}

/// Whether two instances of one collection of `doc` share a `record_uid`.
fn shares_record_uid(doc: &Value) -> bool {
    let Some(o) = doc.as_object() else {
        return false;
    };
    o.values().filter_map(Value::as_array).any(|items| {
        let mut uids: Vec<&str> = items
            .iter()
            .filter_map(|i| i.get("record_uid").and_then(Value::as_str))
            .collect();
        let n = uids.len();
        uids.sort_unstable();
        uids.dedup();
        uids.len() != n
    })
}

/// Collections are arrays of objects whose `record_uid`s, where given, are distinct; the
/// subject of care is an object.
fn well_shaped(doc: &Value) -> bool {
    let (Some(o), Some(m)) = (
        doc.as_object(),
        doc.get("mods_version")
            .and_then(Value::as_str)
            .and_then(model::model),
    ) else {
        return false;
    };
    !shares_record_uid(doc)
        && o.iter().all(
            |(k, v)| match m.class(k).filter(|c| c.kind == ClassKind::Record) {
                None => true,
                Some(_) if k == "subject_of_care" => v.is_object(),
                Some(_) => v
                    .as_array()
                    .is_some_and(|items| items.iter().all(Value::is_object)),
            },
        )
}

fn counts(d: &RecordDiff) -> [usize; 3] {
    let n = |k| d.changes.iter().filter(|c| c.kind == k).count();
    [
        n(RecordChangeKind::Added),
        n(RecordChangeKind::Removed),
        n(RecordChangeKind::Changed),
    ]
}

fn symmetric_and_complete(cx: &mut Cx, a: &Value, b: &Value) -> Check {
    let audit = options()[2];
    let (Ok(ab), Ok(ba)) = (diff_records(a, b, &audit), diff_records(b, a, &audit)) else {
        return Ok(());
    };
    let (x, y) = (counts(&ab), counts(&ba));
    cx.check(
        "diff/symmetric",
        x[0] == y[1] && x[1] == y[0] && x[2] == y[2],
        || format!("A->B added/removed/changed {x:?}, B->A {y:?}"),
    )?;
    // complete: every top-level key whose content differs (instances in any order, empty
    // collections aside) has at least one change under it
    let (na, nb) = (normalised(a), normalised(b));
    let empty = Map::new();
    let (oa, ob) = (
        na.as_object().unwrap_or(&empty),
        nb.as_object().unwrap_or(&empty),
    );
    for k in oa.keys().chain(ob.keys().filter(|k| !oa.contains_key(*k))) {
        if oa.get(k) == ob.get(k) {
            continue;
        }
        let at = format!("/{}", pointer::escape(k));
        let found = ab
            .changes
            .iter()
            .any(|c| c.path == at || c.path.starts_with(&format!("{at}/")));
        cx.check("diff/complete", found, || {
            format!(
                "{k:?} differs but no change is under {at}: {:?}",
                ab.changes
            )
        })?;
    }
    Ok(())
}

/// A record with empty collections left out and the instances of each collection sorted:
/// what a diff in MODS terms compares.
fn normalised(doc: &Value) -> Value {
    let Some(o) = doc.as_object() else {
        return doc.clone();
    };
    let mut out = Map::new();
    for (k, v) in o {
        match v {
            Value::Array(items) if items.is_empty() => {}
            Value::Array(items) => {
                let mut items: Vec<String> = items.iter().map(Value::to_string).collect();
                items.sort();
                out.insert(k.clone(), items.into());
            }
            other => {
                out.insert(k.clone(), other.clone());
            }
        }
    }
    Value::Object(out)
}

//! The extension slot, `mods_extensions.migration`: what a migration keeps there, and how a
//! later migration the other way restores it.
//!
//! Each entry names the migration that kept it (`from_version`, `to_version`), a JSON
//! pointer `path` and the `class` (and `element`, the path's last segment) concerned. An
//! entry without `kind` holds a `value` the target version could not hold, restored at
//! `path` before the steps of the migration back run. The other kinds are notes a step leaves for its own inverse:
//!
//! - `order`: the collection at `path` held the records `record_uids` in that order (an
//!   empty list: it was there, empty), applied after the step that merges `merged`;
//! - `origin`: the records `record_uids` of the collection at `path` were of class `class`,
//!   which the target merged into it;
//! - `display`: the coding at `path` had its display written as it is, not taken from its
//!   code, so a recode leaves it alone.
//!
//! The first entry a migration adds may carry `slot_before` (`no_migration`: the record had
//! `mods_extensions` without `migration`; `empty`: it had an empty `migration`), so that
//! restoring everything gives the slot back as it was.

use super::residual::Residual;
use super::steps::{self, Ctx, Pending, Run};
use super::{is_pointer, unescape, Change, ChangeKind, MigrateError};
use crate::model::Model;
use crate::validate::{validate_record, ValidationOptions};
use serde_json::{Map, Value};

const EXTENSIONS: &str = crate::validate::EXTENSIONS;
const MIGRATION: &str = "migration";

/// A note a step leaves for the same step the other way.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Note {
    /// After the step that merges `merged`, the collection at `path` holds these records in
    /// this order (none: it is there, empty).
    Order {
        /// The collection.
        path: String,
        /// Its class.
        class: String,
        /// The class whose merge step this note belongs to.
        merged: String,
        /// The record uids, in order.
        uids: Vec<String>,
    },
    /// These records of the collection at `path` were of class `class`.
    Origin {
        /// The collection they were merged into.
        path: String,
        /// The class they were.
        class: String,
        /// Their record uids, in their original order.
        uids: Vec<String>,
    },
    /// The display of the coding at `path` was written as it is.
    Display {
        /// The coding.
        path: String,
        /// Class of the instance.
        class: String,
        /// The coded element.
        element: String,
    },
}

impl Note {
    pub fn path(&self) -> &str {
        match self {
            Note::Order { path, .. } | Note::Origin { path, .. } | Note::Display { path, .. } => {
                path
            }
        }
    }

    pub fn class(&self) -> &str {
        match self {
            Note::Order { class, .. }
            | Note::Origin { class, .. }
            | Note::Display { class, .. } => class,
        }
    }

    pub fn element(&self) -> Option<String> {
        match self {
            Note::Display { element, .. } => Some(element.clone()),
            _ => None,
        }
    }

    /// What the note keeps, for a sentence.
    pub fn what(&self) -> String {
        match self {
            Note::Order { uids, .. } if uids.is_empty() => "the empty collection".into(),
            Note::Order { .. } => "the order of the collection".into(),
            Note::Origin { class, .. } => format!("which records were {class} records"),
            Note::Display { .. } => "the display as written".into(),
        }
    }

    fn to_entry(&self, from: &str, to: &str) -> Map<String, Value> {
        let mut e = Map::new();
        let kind = match self {
            Note::Order { .. } => "order",
            Note::Origin { .. } => "origin",
            Note::Display { .. } => "display",
        };
        e.insert("kind".into(), kind.into());
        e.insert("from_version".into(), from.into());
        e.insert("to_version".into(), to.into());
        e.insert("path".into(), self.path().into());
        e.insert("class".into(), self.class().into());
        match self {
            Note::Order { merged, uids, .. } => {
                e.insert("merged".into(), merged.clone().into());
                e.insert("record_uids".into(), uids.clone().into());
            }
            Note::Origin { uids, .. } => {
                e.insert("record_uids".into(), uids.clone().into());
            }
            Note::Display { element, .. } => {
                e.insert("element".into(), element.clone().into());
            }
        }
        e
    }

    fn from_entry(e: &Map<String, Value>) -> Option<Note> {
        let text = |k: &str| e.get(k).and_then(Value::as_str).map(str::to_owned);
        let uids = || -> Option<Vec<String>> {
            e.get("record_uids")?
                .as_array()?
                .iter()
                .map(|u| u.as_str().map(str::to_owned))
                .collect()
        };
        let (path, class) = (text("path").filter(|p| is_pointer(p))?, text("class")?);
        match e.get("kind")?.as_str()? {
            "order" => Some(Note::Order {
                path,
                class,
                merged: text("merged")?,
                uids: uids()?,
            }),
            "origin" => Some(Note::Origin {
                path,
                class,
                uids: uids()?,
            }),
            "display" => Some(Note::Display {
                path,
                class,
                element: text("element")?,
            }),
            _ => None,
        }
    }
}

/// A kept value.
struct ValueEntry {
    path: String,
    class: String,
    element: Option<String>,
    value: Value,
}

impl ValueEntry {
    /// Read a kept value, or say why it cannot be read. Its `path` must be a JSON pointer
    /// whose last segment is what the entry says it keeps: its `element`, a member of an
    /// instance (so at least two segments), or without one a whole collection (one
    /// segment). Otherwise the path names some other place, and restoring there would put
    /// the value under a name the entry does not give.
    fn read(e: &Map<String, Value>) -> Result<ValueEntry, &'static str> {
        let v = |k: &str| e.get(k).and_then(Value::as_str);
        let (Some(path), Some(value)) = (v("path"), e.get("value")) else {
            return Err("it has no path or no value");
        };
        if !is_pointer(path) {
            return Err("its path is not a JSON pointer");
        }
        let element = v("element");
        let segments = path.split('/').count() - 1;
        match (element, path.rsplit_once('/')) {
            (Some(el), Some((_, last))) if segments >= 2 && unescape(last) == el => {}
            (Some(_), _) => return Err("its path does not end at the element it names"),
            (None, _) if segments == 1 => {}
            (None, _) => return Err("it names no element, yet its path is not a whole collection"),
        }
        Ok(ValueEntry {
            path: path.to_owned(),
            class: v("class").unwrap_or("").to_owned(),
            element: element.map(str::to_owned),
            value: value.clone(),
        })
    }
}

/// The entries of the slot that a migration the other way left for this step, by their
/// index in the slot.
pub(super) struct Incoming {
    values: Vec<(usize, ValueEntry)>,
    notes: Vec<(usize, Note)>,
    /// Entries that cannot be read, with the reason.
    unreadable: Vec<(usize, &'static str)>,
}

impl Incoming {
    /// The entries kept by a migration from `to` to `from`.
    pub fn take(doc: &Value, from: &str, to: &str) -> Incoming {
        let mut inc = Incoming {
            values: Vec::new(),
            notes: Vec::new(),
            unreadable: Vec::new(),
        };
        let Some(entries) = slot(doc) else {
            return inc;
        };
        for (idx, e) in entries.iter().enumerate() {
            let Some(e) = e.as_object() else { continue };
            let v = |k: &str| e.get(k).and_then(Value::as_str);
            if v("from_version") != Some(to) || v("to_version") != Some(from) {
                continue;
            }
            match e.get("kind").filter(|k| k.as_str() != Some("value")) {
                None => match ValueEntry::read(e) {
                    Ok(ve) => inc.values.push((idx, ve)),
                    Err(why) => inc.unreadable.push((idx, why)),
                },
                Some(_) => match Note::from_entry(e) {
                    Some(n) => inc.notes.push((idx, n)),
                    // a path that is not a pointer names no place: the note cannot be read
                    None => inc.unreadable.push((
                        idx,
                        "its kind is unknown, a member is missing, or its path is not a JSON pointer",
                    )),
                },
            }
        }
        inc
    }
}

fn slot(doc: &Value) -> Option<&Vec<Value>> {
    doc.get(EXTENSIONS)?.get(MIGRATION)?.as_array()
}

/// Restore the kept values that fit, run the step, and apply the kept notes. A value is
/// restored only where its place exists and is free, only when the record at the target
/// version has no error with it that it has not without it, and only as an element the
/// target defines, wherever the step moves it.
/// Returns the run, the report of what was restored or not, and the slot indexes used.
pub(super) fn restore_and_run(
    doc: &Value,
    inc: &Incoming,
    cx: &Ctx,
) -> (Run, Vec<Change>, Vec<usize>) {
    let notes: Vec<Note> = inc.notes.iter().map(|(_, n)| n.clone()).collect();
    let mut report = Vec::new();
    for &(idx, why) in &inc.unreadable {
        report.push(cx.change(
            ChangeKind::NotRestored,
            format!("/{EXTENSIONS}/{MIGRATION}/{idx}"),
            None,
            "record",
            None,
            format!("an entry for this step that this library cannot read ({why}); it stays in mods_extensions.migration"),
        ));
    }
    let mut candidates = Vec::new();
    let mut claimed = std::collections::HashSet::new();
    for (k, (_, ve)) in inc.values.iter().enumerate() {
        match place(doc, &ve.path) {
            Ok(()) if claimed.insert(ve.path.as_str()) => candidates.push(k),
            Ok(()) => report.push(not_restored(cx, ve, "its place is taken")),
            Err(why) => report.push(not_restored(cx, ve, why)),
        }
    }
    let with = |set: &[usize]| {
        let mut d = doc.clone();
        for &k in set {
            let ve = &inc.values[k].1;
            insert_at(&mut d, &ve.path, ve.value.clone());
        }
        d
    };
    let mut cur = steps::run(doc.clone(), cx, &notes);
    let mut accepted: Vec<usize> = Vec::new();
    if !candidates.is_empty() {
        let Verdict {
            errors: mut cur_errs,
            unknown: mut cur_unknown,
        } = verdict(&cur.0.doc);
        let mut budget = 64u32;
        let mut groups = vec![candidates];
        while let Some(g) = groups.pop() {
            if budget == 0 {
                for &k in &g {
                    report.push(not_restored(
                        cx,
                        &inc.values[k].1,
                        "not checked, as too many kept values would make the record invalid",
                    ));
                }
                continue;
            }
            budget -= 1;
            let mut set = accepted.clone();
            set.extend(&g);
            let attempt = steps::run(with(&set), cx, &notes);
            let v = verdict(&attempt.0.doc);
            let mut new = new_errors(&v.errors, &cur_errs);
            // a value restored as an element the version does not define was never its
            // (elements it does not define inside a restored value are the record's own)
            let undefined = |ve: &ValueEntry| {
                v.unknown.contains(&ve.path)
                    || undefined_member(
                        &ve.value,
                        (&attempt.0.doc, &v.unknown),
                        (&cur.0.doc, &cur_unknown),
                    )
            };
            if g.iter().any(|&k| undefined(&inc.values[k].1))
                && !new.iter().any(|c| c == "unknown-element")
            {
                new.push("unknown-element".into());
            }
            if new.is_empty() {
                accepted = set;
                cur_errs = v.errors;
                cur_unknown = v.unknown;
                cur = attempt;
            } else if let [k] = g[..] {
                let why = format!(
                    "restoring it would make the record invalid at MODS {} ({})",
                    cx.to.mods_version,
                    new.join(", ")
                );
                report.push(not_restored(cx, &inc.values[k].1, &why));
            } else {
                let (l, r) = g.split_at(g.len() / 2);
                groups.push(r.to_vec());
                groups.push(l.to_vec());
            }
        }
    }
    accepted.sort_unstable();
    let mut consumed = Vec::new();
    for &k in &accepted {
        let (idx, ve) = &inc.values[k];
        consumed.push(*idx);
        report.push(cx.change(
            ChangeKind::Restored,
            ve.path.clone(),
            None,
            &ve.class,
            ve.element.as_deref(),
            "restored from mods_extensions.migration".into(),
        ));
    }
    let (run, applied) = cur;
    for (i, (idx, _)) in inc.notes.iter().enumerate() {
        if applied.get(i) == Some(&true) {
            consumed.push(*idx);
        }
    }
    (run, report, consumed)
}

fn not_restored(cx: &Ctx, ve: &ValueEntry, why: &str) -> Change {
    cx.change(
        ChangeKind::NotRestored,
        ve.path.clone(),
        None,
        &ve.class,
        ve.element.as_deref(),
        format!("not restored: {why}; it stays in mods_extensions.migration"),
    )
}

/// What validation says of a record: its errors as (code, path), sorted, and the paths of
/// elements the version does not define.
struct Verdict {
    errors: Vec<(&'static str, String)>,
    unknown: std::collections::HashSet<String>,
}

fn verdict(doc: &Value) -> Verdict {
    let opts = ValidationOptions {
        max_issues: usize::MAX,
        ..ValidationOptions::default()
    };
    let report = validate_record(doc, &opts);
    let mut errors: Vec<(&'static str, String)> = report
        .errors()
        .map(|i| (i.code.as_str(), i.path.clone()))
        .collect();
    errors.sort();
    let unknown = report
        .issues
        .iter()
        .filter(|i| i.code == crate::IssueCode::UnknownElement)
        .map(|i| i.path.clone())
        .collect();
    Verdict { errors, unknown }
}

/// Whether `value`, restored, ended up as a member the version does not define, wherever
/// the steps moved it (a merge moves an instance to another collection): `now` (a document
/// and its undefined members' paths) has an undefined member holding exactly `value` that
/// `before` (the same step without it) does not have. A member inside a restored value
/// holds a part of it, never the whole.
fn undefined_member(
    value: &Value,
    now: (&Value, &std::collections::HashSet<String>),
    before: (&Value, &std::collections::HashSet<String>),
) -> bool {
    now.1.iter().any(|p| {
        now.0.pointer(p) == Some(value)
            && !(before.1.contains(p) && before.0.pointer(p) == Some(value))
    })
}

/// The codes of the errors in `now` that are not in `before` (both sorted), once each.
fn new_errors(now: &[(&'static str, String)], before: &[(&'static str, String)]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut j = 0;
    for e in now {
        while j < before.len() && before[j] < *e {
            j += 1;
        }
        if j < before.len() && before[j] == *e {
            j += 1;
        } else if !out.iter().any(|c| c == e.0) {
            out.push(e.0.to_owned());
        }
    }
    out
}

/// Whether a value can be inserted at `pointer`: its parent is an object without that key.
fn place(doc: &Value, pointer: &str) -> Result<(), &'static str> {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return Err("its place no longer exists");
    };
    match doc.pointer(parent) {
        Some(Value::Object(o)) if o.contains_key(&unescape(last)) => Err("its place is taken"),
        Some(Value::Object(_)) => Ok(()),
        _ => Err("its place no longer exists"),
    }
}

/// Insert `value` at `pointer` when its parent exists and the place is free.
fn insert_at(doc: &mut Value, pointer: &str, value: Value) -> bool {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return false;
    };
    let key = unescape(last);
    match doc.pointer_mut(parent) {
        Some(Value::Object(o)) if !o.contains_key(&key) => {
            o.insert(key, value);
            true
        }
        _ => false,
    }
}

/// Remove and return the value at `pointer`, when its parent is an object.
pub(super) fn take_at(doc: &mut Value, pointer: &str) -> Option<Value> {
    let (parent, last) = pointer.rsplit_once('/')?;
    match doc.pointer_mut(parent) {
        Some(Value::Object(o)) => o.remove(&unescape(last)),
        _ => None,
    }
}

/// Remove the entries used by this step from the slot; when that empties it, give the slot
/// back its shape from before the migration that filled it.
pub(super) fn remove_consumed(doc: &mut Value, consumed: &[usize]) {
    if consumed.is_empty() {
        return;
    }
    let Some(Value::Object(ext)) = doc.get_mut(EXTENSIONS) else {
        return;
    };
    let Some(Value::Array(entries)) = ext.get_mut(MIGRATION) else {
        return;
    };
    let mut before: Vec<String> = Vec::new();
    let old = std::mem::take(entries);
    for (i, e) in old.into_iter().enumerate() {
        if consumed.contains(&i) {
            if let Some(s) = e.get("slot_before").and_then(Value::as_str) {
                before.push(s.to_owned());
            }
        } else {
            entries.push(e);
        }
    }
    if !entries.is_empty() || before.iter().any(|s| s == "empty") {
        return;
    }
    ext.remove(MIGRATION);
    if ext.is_empty() && !before.iter().any(|s| s == "no_migration") {
        if let Some(o) = doc.as_object_mut() {
            o.remove(EXTENSIONS);
        }
    }
}

/// Move what the target cannot hold into the slot: the values at the residual losses'
/// paths (deepest first, so paths stay valid) and the steps' notes.
pub(super) fn keep(
    doc: &mut Value,
    mut losses: Vec<Residual>,
    pending: Vec<Pending>,
    from: &Model,
    to: &Model,
    changes: &mut Vec<Change>,
) -> Result<(), MigrateError> {
    if losses.is_empty() && pending.is_empty() {
        return Ok(());
    }
    let bad = || MigrateError::BadExtensionSlot {
        to: to.mods_version.to_owned(),
    };
    let before = match doc.get(EXTENSIONS) {
        None => None,
        Some(Value::Object(o)) => match o.get(MIGRATION) {
            None => Some("no_migration"),
            Some(Value::Array(a)) if a.is_empty() => Some("empty"),
            Some(Value::Array(_)) => None,
            Some(_) => return Err(bad()),
        },
        Some(_) => return Err(bad()),
    };
    let step = format!("{} -> {}", from.mods_version, to.mods_version);
    let kept_change = |path: &str, class: &str, element: Option<&str>, detail: String| Change {
        kind: ChangeKind::KeptInExtension,
        step: step.clone(),
        path: format!("/{EXTENSIONS}/{MIGRATION}"),
        from_path: Some(path.to_owned()),
        class: class.to_owned(),
        element: element.map(str::to_owned),
        detail,
    };
    losses.sort_by(|a, b| b.loss.path.cmp(&a.loss.path));
    let mut kept = Vec::new();
    for l in losses {
        let l = l.loss;
        let Some(value) = take_at(doc, &l.path) else {
            continue;
        };
        let mut entry = Map::new();
        entry.insert("from_version".into(), from.mods_version.into());
        entry.insert("to_version".into(), to.mods_version.into());
        entry.insert("path".into(), l.path.clone().into());
        entry.insert("class".into(), l.class.clone().into());
        if let Some(e) = &l.element {
            entry.insert("element".into(), e.clone().into());
        }
        entry.insert("value".into(), value);
        kept.push(entry);
        changes.push(kept_change(
            &l.path,
            &l.class,
            l.element.as_deref(),
            format!(
                "MODS {} cannot hold this; kept in mods_extensions.migration",
                to.mods_version
            ),
        ));
    }
    kept.reverse();
    for p in pending {
        let Pending::Note { note, .. } = p;
        changes.push(kept_change(
            note.path(),
            note.class(),
            note.element().as_deref(),
            format!(
                "MODS {} cannot keep {}; kept in mods_extensions.migration",
                to.mods_version,
                note.what()
            ),
        ));
        kept.push(note.to_entry(from.mods_version, to.mods_version));
    }
    if let (Some(b), Some(first)) = (before, kept.first_mut()) {
        first.insert("slot_before".into(), b.into());
    }
    let Some(obj) = doc.as_object_mut() else {
        return Ok(());
    };
    let ext = obj
        .entry(EXTENSIONS)
        .or_insert_with(|| Value::Object(Map::new()));
    let Value::Object(ext) = ext else {
        return Err(bad());
    };
    let slot = ext
        .entry(MIGRATION)
        .or_insert_with(|| Value::Array(Vec::new()));
    let Value::Array(a) = slot else {
        return Err(bad());
    };
    a.extend(kept.into_iter().map(Value::Object));
    Ok(())
}

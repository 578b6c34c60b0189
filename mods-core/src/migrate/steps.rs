//! The operations of migration steps, applied forward or backward to a record document.
//!
//! Each operation is written so that the operation the other way undoes it exactly. Where
//! the target cannot say what the record said (which class a merged instance came from,
//! the order of a collection a step splits, an empty collection, a display that the way
//! back would rewrite), the operation leaves a [`Note`] for its inverse: kept in the
//! extension slot when the caller keeps lost data, reported as lost otherwise. Values the
//! target cannot hold are left where they are, for the residual check to find.

use super::slot::Note;
use super::{escape, Change, ChangeKind, MigrationDef, Step};
use crate::model::{ClassDef, ClassKind, ElementType, Lookup, Model, ValueSetDef};
use serde_json::{Map, Value};

/// One step between adjacent versions, as it runs.
pub(super) struct Ctx<'s> {
    /// Version the document is at.
    pub from: &'static Model,
    /// Version it moves to.
    pub to: &'static Model,
    /// `from -> to`, for the report.
    pub step: &'s str,
    /// The migration data between the two versions (written from the lower to the upper).
    pub def: Option<&'static MigrationDef>,
    /// Whether the step goes up (applies the data forward).
    pub forward: bool,
}

impl Ctx<'_> {
    /// The model of the upper of the two versions, where merged and defaulted elements live.
    pub fn upper(&self) -> &'static Model {
        if self.forward {
            self.to
        } else {
            self.from
        }
    }

    fn models(&self) -> [&'static Model; 2] {
        [self.from, self.to]
    }

    pub fn change(
        &self,
        kind: ChangeKind,
        path: String,
        from_path: Option<String>,
        class: &str,
        element: Option<&str>,
        detail: String,
    ) -> Change {
        Change {
            kind,
            step: self.step.to_owned(),
            path,
            from_path,
            class: class.to_owned(),
            element: element.map(str::to_owned),
            detail,
        }
    }

    /// The value a forward step writes on instances of `class` for `element`, when the
    /// data has one (a merge marker or a default), as the upper version writes it, with
    /// the class that holds it in the upper version.
    pub fn written(&self, class: &str, element: &str) -> Option<(Value, String)> {
        for s in self.def?.steps {
            match *s {
                Step::MergeClass {
                    from, into, set, ..
                } if from == class => {
                    if let Some((_, v)) = set.iter().find(|(k, _)| *k == element) {
                        let v = with_display(self.upper(), into, element, &parse_static(v));
                        return Some((v, into.to_owned()));
                    }
                }
                Step::DefaultElement {
                    class: c,
                    element: e,
                    value,
                    ..
                } if e == element && (c == class || c == "*") => {
                    let v = with_display(self.upper(), class, element, &parse_static(value));
                    return Some((v, class.to_owned()));
                }
                _ => {}
            }
        }
        None
    }
}

/// Something a step could not carry into the target as it was.
pub(super) enum Pending {
    /// Information for the same step the other way: kept in the extension slot under
    /// `KeepInExtension`; otherwise the `lost` changes are reported.
    Note {
        /// The note.
        note: Note,
        /// What is reported when it is not kept.
        lost: Vec<Change>,
    },
}

impl Pending {
    /// The changes reported when the note is not kept.
    pub fn into_lost(self) -> Vec<Change> {
        match self {
            Pending::Note { lost, .. } => lost,
        }
    }
}

/// The result of running a step on a document.
pub(super) struct Run {
    /// The document at the target version.
    pub doc: Value,
    /// What the step did, including notes from the slot applied or not.
    pub changes: Vec<Change>,
    /// What the step could not carry over.
    pub pending: Vec<Pending>,
}

/// Apply a step to `doc`, using the `notes` an earlier migration the other way left.
/// Returns the run and, for each note, whether it was applied.
pub(super) fn run(doc: Value, cx: &Ctx, notes: &[Note]) -> (Run, Vec<bool>) {
    let mut r = Runner {
        cx,
        notes,
        state: vec![None; notes.len()],
        changes: Vec::new(),
        pending: Vec::new(),
    };
    let mut doc = doc;
    if let Some(def) = cx.def {
        if cx.forward {
            for s in def.steps {
                r.forward(&mut doc, s);
            }
        } else {
            for s in def.steps.iter().rev() {
                r.backward(&mut doc, s);
            }
        }
    }
    for i in 0..notes.len() {
        if r.state[i].is_none() {
            r.note_done(i, Err("nothing in the record matches it any more"));
        }
    }
    if let Some(obj) = doc.as_object_mut() {
        obj.insert("mods_version".into(), cx.to.mods_version.into());
    }
    r.changes.push(cx.change(
        ChangeKind::VersionChanged,
        "/mods_version".into(),
        None,
        "record",
        Some("mods_version"),
        format!(
            "mods_version {} became {}",
            cx.from.mods_version, cx.to.mods_version
        ),
    ));
    let applied = r.state.iter().map(|s| *s == Some(true)).collect();
    (
        Run {
            doc,
            changes: r.changes,
            pending: r.pending,
        },
        applied,
    )
}

struct Runner<'r, 's> {
    cx: &'r Ctx<'s>,
    notes: &'r [Note],
    /// For each note: not used yet, applied, or not applicable.
    state: Vec<Option<bool>>,
    changes: Vec<Change>,
    pending: Vec<Pending>,
}

/// Call `f` on every instance of class `target` in the document (collections, the subject
/// of care, and components embedded at any depth), with its JSON pointer.
fn visit(
    doc: &mut Value,
    models: &[&Model],
    target: &str,
    f: &mut dyn FnMut(&mut Map<String, Value>, &str),
) {
    let class_of = |name: &str| models.iter().find_map(|m| m.class(name));
    let Some(obj) = doc.as_object_mut() else {
        return;
    };
    let keys: Vec<String> = obj.keys().cloned().collect();
    for k in keys {
        let Some(cls) = class_of(&k).filter(|c| c.kind == ClassKind::Record) else {
            continue;
        };
        let path = format!("/{}", escape(&k));
        match obj.get_mut(&k) {
            Some(Value::Object(inst)) if k == "subject_of_care" => {
                visit_instance(inst, cls, &path, models, target, f)
            }
            Some(Value::Array(items)) => {
                for (n, item) in items.iter_mut().enumerate() {
                    if let Value::Object(inst) = item {
                        visit_instance(inst, cls, &format!("{path}/{n}"), models, target, f);
                    }
                }
            }
            _ => {}
        }
    }
}

fn visit_instance(
    inst: &mut Map<String, Value>,
    cls: &'static ClassDef,
    path: &str,
    models: &[&Model],
    target: &str,
    f: &mut dyn FnMut(&mut Map<String, Value>, &str),
) {
    if cls.technical_name == target {
        f(inst, path);
    }
    for el in cls.elements.iter().filter(|e| e.ty == ElementType::Group) {
        let Some(comp) = el
            .component
            .and_then(|c| models.iter().find_map(|m| m.class(c)))
        else {
            continue;
        };
        let p = format!("{path}/{}", escape(el.technical_name));
        match inst.get_mut(el.technical_name) {
            Some(Value::Object(o)) => visit_instance(o, comp, &p, models, target, f),
            Some(Value::Array(items)) => {
                for (n, item) in items.iter_mut().enumerate() {
                    if let Value::Object(o) = item {
                        visit_instance(o, comp, &format!("{p}/{n}"), models, target, f);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Whether `actual` holds the value `marker`: equal, or for a coding the same code (and the
/// same system where both give one), whatever its display.
fn holds(actual: Option<&Value>, marker: &Value) -> bool {
    let Some(actual) = actual else { return false };
    if actual == marker {
        return true;
    }
    match (actual, marker.get("code")) {
        (Value::Object(a), Some(code)) => {
            let system_ok = match (a.get("system"), marker.get("system")) {
                (Some(x), Some(y)) => x == y,
                _ => true,
            };
            a.get("code") == Some(code)
                && system_ok
                && a.keys()
                    .all(|k| matches!(k.as_str(), "code" | "system" | "display"))
        }
        _ => false,
    }
}

/// Parse a JSON text of the migration data.
pub(super) fn parse_static(json: &str) -> Value {
    // The texts are written by the code generator from parsed JSON, so they parse.
    serde_json::from_str(json).unwrap_or(Value::Null)
}

/// The value set bound to `class.element` in `m`.
pub(super) fn value_set_of(m: &Model, class: &str, element: &str) -> Option<&'static ValueSetDef> {
    let el = m.class(class)?.element(element)?;
    let Lookup::ValueSet { value_set, .. } = &el.lookup else {
        return None;
    };
    m.value_set(value_set)
}

/// A coding written by a step gets the display its value set gives the code, as records
/// usually carry it.
pub(super) fn with_display(m: &Model, class: &str, element: &str, value: &Value) -> Value {
    let mut v = value.clone();
    let display = value
        .get("code")
        .and_then(Value::as_str)
        .and_then(|code| value_set_of(m, class, element)?.display(code));
    if let (Some(d), Value::Object(o)) = (display, &mut v) {
        o.entry("display").or_insert_with(|| d.into());
    }
    v
}

fn uid_of(v: &Value) -> Option<&str> {
    v.get("record_uid").and_then(Value::as_str)
}

/// The record uids of `items`, when each has one and no two share one.
fn unique_uids(items: &[Value]) -> Option<Vec<String>> {
    let mut out: Vec<String> = Vec::with_capacity(items.len());
    let mut seen = std::collections::HashSet::new();
    for item in items {
        let u = uid_of(item)?;
        if !seen.insert(u) {
            return None;
        }
        out.push(u.to_owned());
    }
    Some(out)
}

impl Runner<'_, '_> {
    fn push(
        &mut self,
        kind: ChangeKind,
        path: String,
        from_path: Option<String>,
        class: &str,
        element: Option<&str>,
        detail: String,
    ) {
        let c = self
            .cx
            .change(kind, path, from_path, class, element, detail);
        self.changes.push(c);
    }

    /// Leave a note for the inverse step; `lost` is what is reported if it is not kept.
    fn leave(&mut self, note: Note, lost: Vec<Change>) {
        self.pending.push(Pending::Note { note, lost });
    }

    fn lost(&self, path: String, from_path: Option<String>, class: &str, detail: String) -> Change {
        self.cx
            .change(ChangeKind::Lost, path, from_path, class, None, detail)
    }

    /// The first note not used yet that `pred` accepts.
    fn find_note(&self, pred: impl Fn(&Note) -> bool) -> Option<usize> {
        (0..self.notes.len()).find(|&i| self.state[i].is_none() && pred(&self.notes[i]))
    }

    /// Record that note `i` was applied, or why it could not be.
    fn note_done(&mut self, i: usize, result: Result<(), &str>) {
        self.state[i] = Some(result.is_ok());
        let n = &self.notes[i];
        let (kind, detail) = match result {
            Ok(()) => (
                ChangeKind::Restored,
                format!("{} restored from mods_extensions.migration", n.what()),
            ),
            Err(why) => (
                ChangeKind::NotRestored,
                format!(
                    "{} not restored: {why}; it stays in mods_extensions.migration",
                    n.what()
                ),
            ),
        };
        let (path, class, element) = (n.path().to_owned(), n.class().to_owned(), n.element());
        self.push(kind, path, None, &class, element.as_deref(), detail);
    }

    /// Apply one step forward.
    fn forward(&mut self, doc: &mut Value, step: &Step) {
        match *step {
            Step::RenameClass { from, to, .. } => self.rename_class(doc, from, to),
            Step::MergeClass {
                from, into, set, ..
            } => self.merge(doc, from, into, set),
            Step::DefaultElement {
                class,
                element,
                value,
                ..
            } => self.default_element(doc, class, element, &parse_static(value)),
            Step::RenameElement {
                class, from, to, ..
            } => self.rename_element(doc, class, from, to),
            Step::SplitElement {
                class,
                from,
                first,
                rest,
                ..
            } => self.split(doc, class, from, first, rest),
            Step::Recode {
                class,
                element,
                map,
                ..
            } => {
                let pairs: Vec<(&str, &str)> = map.to_vec();
                self.recode(doc, class, element, &pairs)
            }
        }
    }

    /// Apply the inverse of one step.
    fn backward(&mut self, doc: &mut Value, step: &Step) {
        match *step {
            Step::RenameClass { from, to, .. } => self.rename_class(doc, to, from),
            Step::MergeClass {
                from, into, set, ..
            } => self.unmerge(doc, from, into, set),
            Step::DefaultElement {
                class,
                element,
                value,
                ..
            } => self.drop_default(doc, class, element, &parse_static(value)),
            Step::RenameElement {
                class, from, to, ..
            } => self.rename_element(doc, class, to, from),
            Step::SplitElement {
                class,
                from,
                first,
                rest,
                ..
            } => self.join(doc, class, from, first, rest),
            Step::Recode {
                class,
                element,
                map,
                ..
            } => {
                let pairs: Vec<(&str, &str)> = map.iter().map(|&(a, b)| (b, a)).collect();
                self.recode(doc, class, element, &pairs)
            }
        }
    }

    fn rename_class(&mut self, doc: &mut Value, from: &str, to: &str) {
        let Some(obj) = doc.as_object_mut() else {
            return;
        };
        if obj.contains_key(to) {
            return; // the place is taken: left for the residual check
        }
        if let Some(v) = obj.remove(from) {
            obj.insert(to.to_owned(), v);
            self.push(
                ChangeKind::Renamed,
                format!("/{}", escape(to)),
                Some(format!("/{}", escape(from))),
                to,
                None,
                format!("class collection {from} renamed {to}"),
            );
        }
    }

    /// Instances of `from` join `into`, with the marker elements `set`.
    fn merge(&mut self, doc: &mut Value, from: &str, into: &str, set: &[(&str, &str)]) {
        let upper = self.cx.upper();
        let set: Vec<(&str, Value)> = set
            .iter()
            .map(|(k, v)| (*k, with_display(upper, into, k, &parse_static(v))))
            .collect();
        let (pf, pi) = (format!("/{}", escape(from)), format!("/{}", escape(into)));
        let Some(obj) = doc.as_object_mut() else {
            return;
        };
        // a collection that is not an array (an invalid record) stays for the residual check
        if !matches!(obj.get(from), Some(Value::Array(_)))
            || obj.get(into).is_some_and(|v| !v.is_array())
        {
            return;
        }
        let Some(Value::Array(items)) = obj.remove(from) else {
            return;
        };
        let to_v = self.cx.to.mods_version;
        if items.is_empty() {
            let lost = self.lost(
                pf.clone(),
                None,
                from,
                format!("an empty {from} collection: MODS {to_v} has no {from} class, so it is left out"),
            );
            self.leave(
                Note::Order {
                    path: pf,
                    class: from.to_owned(),
                    merged: from.to_owned(),
                    uids: Vec::new(),
                },
                vec![lost],
            );
            return;
        }
        let into_was_empty = matches!(obj.get(into), Some(Value::Array(a)) if a.is_empty());
        let dest = obj
            .entry(into.to_owned())
            .or_insert_with(|| Value::Array(Vec::new()));
        let Value::Array(dest) = dest else { return };
        let start = dest.len();
        let mut moved = Vec::new();
        let origin = unique_uids(&items);
        for (n, mut item) in items.into_iter().enumerate() {
            if let Value::Object(inst) = &mut item {
                for (k, v) in &set {
                    inst.entry((*k).to_owned()).or_insert_with(|| v.clone());
                }
            }
            dest.push(item);
            moved.push((format!("{pi}/{}", start + n), format!("{pf}/{n}")));
        }
        let origin = origin.filter(|_| unique_uids(dest).is_some());
        for (p, fp) in &moved {
            self.push(
                ChangeKind::Merged,
                p.clone(),
                Some(fp.clone()),
                into,
                None,
                format!("a {from} record became a {into} record"),
            );
        }
        if into_was_empty {
            let lost = self.lost(
                pi.clone(),
                None,
                into,
                format!(
                    "an empty {into} collection beside the {from} records: the migration back removes it"
                ),
            );
            self.leave(
                Note::Order {
                    path: pi.clone(),
                    class: into.to_owned(),
                    merged: from.to_owned(),
                    uids: Vec::new(),
                },
                vec![lost],
            );
        }
        if set.is_empty() {
            // nothing marks the merged instances: MODS `to` cannot say which they were
            let detail = format!(
                "a {from} record became a {into} record, and MODS {to_v} does not say which {into} records were {from} records: the migration back leaves it a {into} record"
            );
            let lost: Vec<Change> = moved
                .iter()
                .map(|(p, fp)| self.lost(p.clone(), Some(fp.clone()), from, detail.clone()))
                .collect();
            match origin {
                Some(uids) => self.leave(
                    Note::Origin {
                        path: pi.clone(),
                        class: from.to_owned(),
                        uids,
                    },
                    lost,
                ),
                // without a uid of its own, an instance cannot be named in a note
                None => self.changes.extend(lost),
            }
        }
        self.apply_order(doc, into, from);
    }

    /// Instances of `into` that were `from` instances go back (backward merge).
    fn unmerge(&mut self, doc: &mut Value, from: &str, into: &str, set: &[(&str, &str)]) {
        let upper = self.cx.upper();
        let markers: Vec<(&str, Value, Value)> = set
            .iter()
            .map(|(k, v)| {
                let m = parse_static(v);
                let canonical = with_display(upper, into, k, &m);
                (*k, m, canonical)
            })
            .collect();
        let pi = format!("/{}", escape(into));
        let origin = if set.is_empty() {
            self.find_note(
                |n| matches!(n, Note::Origin { path, class, .. } if *path == pi && class == from),
            )
        } else {
            None
        };
        let ready = doc.as_object().is_some_and(|o| {
            matches!(o.get(into), Some(Value::Array(_))) && o.get(from).is_none_or(Value::is_array)
        });
        if ready && (!set.is_empty() || origin.is_some()) {
            self.move_back(doc, from, into, &markers, origin);
        }
        // empty collections an earlier migration kept
        self.apply_order(doc, from, from);
        self.apply_order(doc, into, from);
    }

    fn move_back(
        &mut self,
        doc: &mut Value,
        from: &str,
        into: &str,
        markers: &[(&str, Value, Value)],
        origin: Option<usize>,
    ) {
        let (pf, pi) = (format!("/{}", escape(from)), format!("/{}", escape(into)));
        let Some(obj) = doc.as_object_mut() else {
            return;
        };
        let Some(Value::Array(items)) = obj.get_mut(into) else {
            return;
        };
        let back: Vec<usize> = match origin {
            None => (0..items.len())
                .filter(|&n| {
                    items[n]
                        .as_object()
                        .is_some_and(|o| markers.iter().all(|(k, m, _)| holds(o.get(*k), m)))
                })
                .collect(),
            Some(i) => {
                let Note::Origin { uids, .. } = &self.notes[i] else {
                    return;
                };
                // each instance the note names, once, in the note's order
                let found: Option<Vec<usize>> = uids
                    .iter()
                    .map(|u| {
                        let at: Vec<usize> = (0..items.len())
                            .filter(|&n| uid_of(&items[n]) == Some(u.as_str()))
                            .collect();
                        (at.len() == 1).then(|| at[0])
                    })
                    .collect();
                let unique = found.as_ref().is_some_and(|f| {
                    let mut s = f.clone();
                    s.sort_unstable();
                    s.dedup();
                    s.len() == f.len()
                });
                match found {
                    Some(f) if unique => {
                        self.note_done(i, Ok(()));
                        f
                    }
                    _ => {
                        self.note_done(
                            i,
                            Err("the records it names are not all in the collection, once each"),
                        );
                        return;
                    }
                }
            }
        };
        if back.is_empty() {
            return;
        }
        let Some(obj) = doc.as_object_mut() else {
            return;
        };
        let Some(Value::Array(items)) = obj.get_mut(into) else {
            return;
        };
        let original = std::mem::take(items);
        let original_uids = unique_uids(&original);
        let n_all = original.len();
        let mut slots: Vec<Option<Value>> = original.into_iter().map(Some).collect();
        let mut moving = Vec::new();
        for &n in &back {
            if let Some(mut item) = slots[n].take() {
                if let Value::Object(o) = &mut item {
                    for (k, _, canonical) in markers {
                        // a marker exactly as the forward step writes it goes; any other
                        // form stays, for the residual check
                        if o.get(*k) == Some(canonical) {
                            o.remove(*k);
                        }
                    }
                }
                moving.push((n, item));
            }
        }
        let kept_positions: Vec<usize> = (0..n_all).filter(|n| slots[*n].is_some()).collect();
        *items = slots.into_iter().flatten().collect();
        // the forward step puts the moved instances after the others, in this order
        let order_kept = kept_positions
            .iter()
            .chain(moving.iter().map(|(n, _)| n))
            .copied()
            .eq(0..n_all);
        if items.is_empty() {
            obj.remove(into);
        }
        let dest = obj
            .entry(from.to_owned())
            .or_insert_with(|| Value::Array(Vec::new()));
        let Value::Array(dest) = dest else { return };
        let mut moves = Vec::new();
        for (n, item) in moving {
            moves.push((format!("{pf}/{}", dest.len()), format!("{pi}/{n}")));
            dest.push(item);
        }
        for (p, fp) in moves {
            self.push(
                ChangeKind::Unmerged,
                p,
                Some(fp),
                from,
                None,
                format!("a {into} record went back to being a {from} record"),
            );
        }
        if !order_kept {
            let to_v = self.cx.to.mods_version;
            let lost = self.lost(
                pi.clone(),
                None,
                into,
                format!(
                    "the order of the {into} records: MODS {to_v} keeps {from} records apart, and the migration back puts them after the others"
                ),
            );
            match original_uids {
                Some(uids) => self.leave(
                    Note::Order {
                        path: pi,
                        class: into.to_owned(),
                        merged: from.to_owned(),
                        uids,
                    },
                    vec![lost],
                ),
                None => self.changes.push(lost),
            }
        }
    }

    /// Apply a note giving the order (and presence) of collection `key` after the step
    /// that merges `merged`, if there is one.
    fn apply_order(&mut self, doc: &mut Value, key: &str, merged: &str) {
        let path = format!("/{}", escape(key));
        let Some(i) = self.find_note(
            |n| matches!(n, Note::Order { path: p, merged: m, .. } if *p == path && m == merged),
        ) else {
            return;
        };
        let Note::Order { uids, .. } = &self.notes[i] else {
            return;
        };
        let Some(obj) = doc.as_object_mut() else {
            return;
        };
        let result = match obj.get_mut(key) {
            None if uids.is_empty() => {
                obj.insert(key.to_owned(), Value::Array(Vec::new()));
                Ok(())
            }
            Some(Value::Array(items)) => {
                let now = unique_uids(items);
                let same = now.as_ref().is_some_and(|now| {
                    let mut a: Vec<&String> = now.iter().collect();
                    let mut b: Vec<&String> = uids.iter().collect();
                    a.sort();
                    b.sort();
                    a == b
                });
                if same {
                    let mut taken: Vec<Value> = std::mem::take(items);
                    for u in uids {
                        if let Some(at) = taken.iter().position(|v| uid_of(v) == Some(u.as_str())) {
                            items.push(taken.swap_remove(at));
                        }
                    }
                    Ok(())
                } else {
                    Err("the collection no longer holds exactly the records it lists")
                }
            }
            _ => Err("the collection no longer holds exactly the records it lists"),
        };
        self.note_done(i, result);
    }

    fn classes_with<'c>(&self, class: &'c str, element: &str) -> Vec<&'c str> {
        if class != "*" {
            return vec![class];
        }
        let mut out = Vec::new();
        for m in self.cx.models() {
            for c in m.classes {
                if c.kind != ClassKind::Abstract
                    && c.element(element).is_some()
                    && !out.contains(&c.technical_name)
                {
                    out.push(c.technical_name);
                }
            }
        }
        out
    }

    fn default_element(&mut self, doc: &mut Value, class: &str, element: &str, value: &Value) {
        for cls in self.classes_with(class, element) {
            let value = &with_display(self.cx.upper(), cls, element, value);
            let mut paths = Vec::new();
            let models = self.cx.models();
            visit(doc, &models, cls, &mut |inst, path| {
                if !inst.contains_key(element) {
                    inst.insert(element.to_owned(), value.clone());
                    paths.push(format!("{path}/{}", escape(element)));
                }
            });
            for p in paths {
                self.push(
                    ChangeKind::Defaulted,
                    p,
                    None,
                    cls,
                    Some(element),
                    format!("{element} set to its default"),
                );
            }
        }
    }

    fn drop_default(&mut self, doc: &mut Value, class: &str, element: &str, value: &Value) {
        for cls in self.classes_with(class, element) {
            // only the value exactly as the forward step writes it goes without a trace
            let value = &with_display(self.cx.upper(), cls, element, value);
            let mut paths = Vec::new();
            let models = self.cx.models();
            visit(doc, &models, cls, &mut |inst, path| {
                if inst.get(element) == Some(value) {
                    inst.remove(element);
                    paths.push(format!("{path}/{}", escape(element)));
                }
            });
            for p in paths {
                self.push(
                    ChangeKind::Dropped,
                    p,
                    None,
                    cls,
                    Some(element),
                    format!("{element} removed; it held its default exactly, so nothing is lost"),
                );
            }
        }
    }

    fn rename_element(&mut self, doc: &mut Value, class: &str, from: &str, to: &str) {
        let mut moves = Vec::new();
        let models = self.cx.models();
        visit(doc, &models, class, &mut |inst, path| {
            if inst.contains_key(to) {
                return; // the place is taken: left for the residual check
            }
            if let Some(v) = inst.remove(from) {
                inst.insert(to.to_owned(), v);
                moves.push((
                    format!("{path}/{}", escape(to)),
                    format!("{path}/{}", escape(from)),
                ));
            }
        });
        for (p, fp) in moves {
            self.push(
                ChangeKind::Renamed,
                p,
                Some(fp),
                class,
                Some(to),
                format!("{class}.{from} renamed {to}"),
            );
        }
    }

    fn split(&mut self, doc: &mut Value, class: &str, from: &str, first: &str, rest: &str) {
        let mut paths = Vec::new();
        let models = self.cx.models();
        visit(doc, &models, class, &mut |inst, path| {
            let Some(Value::Array(values)) = inst.get(from) else {
                return;
            };
            // a place already taken is left alone (an empty or null `rest` restored from
            // the extension slot stays beside a single value)
            if values.is_empty()
                || (values.len() > 1 && inst.contains_key(rest))
                || (first != from && inst.contains_key(first))
            {
                return;
            }
            let Some(Value::Array(values)) = inst.remove(from) else {
                return;
            };
            let mut it = values.into_iter();
            let Some(head) = it.next() else { return };
            let tail: Vec<Value> = it.collect();
            inst.insert(first.to_owned(), head);
            if !tail.is_empty() {
                inst.insert(rest.to_owned(), Value::Array(tail));
            }
            paths.push(format!("{path}/{}", escape(first)));
        });
        for p in paths {
            self.push(
                ChangeKind::Split,
                p,
                None,
                class,
                Some(from),
                format!("{class}.{from} split into {first} and {rest}"),
            );
        }
    }

    fn join(&mut self, doc: &mut Value, class: &str, from: &str, first: &str, rest: &str) {
        let mut paths = Vec::new();
        let models = self.cx.models();
        visit(doc, &models, class, &mut |inst, path| {
            let head = match inst.get(first) {
                Some(v) if !v.is_array() && !v.is_null() => v.clone(),
                _ => return,
            };
            if first != from && inst.contains_key(from) {
                return;
            }
            let mut values = vec![head];
            match inst.get(rest) {
                None => {}
                Some(Value::Array(tail)) if !tail.is_empty() => {
                    values.extend(tail.iter().cloned());
                    inst.remove(rest);
                }
                // an empty or null one holds no value; it stays for the residual check
                Some(Value::Array(_) | Value::Null) => {}
                Some(_) => return,
            }
            inst.remove(first);
            inst.insert(from.to_owned(), Value::Array(values));
            paths.push(format!("{path}/{}", escape(from)));
        });
        for p in paths {
            self.push(
                ChangeKind::Joined,
                p,
                None,
                class,
                Some(from),
                format!("{class}.{first} and {rest} joined into {from}"),
            );
        }
    }

    /// Replace codes by the map. A display that is the old code's display becomes the new
    /// code's; any other display is kept as written, and when the way back would take it
    /// for the new code's own display, a note says to keep it.
    fn recode(&mut self, doc: &mut Value, class: &str, element: &str, map: &[(&str, &str)]) {
        let src = value_set_of(self.cx.from, class, element);
        let dst = value_set_of(self.cx.to, class, element);
        let verbatim: Vec<(usize, String)> = (0..self.notes.len())
            .filter(|&i| self.state[i].is_none())
            .filter_map(|i| match &self.notes[i] {
                Note::Display {
                    path,
                    class: c,
                    element: e,
                } if c == class && e == element => Some((i, path.clone())),
                _ => None,
            })
            .collect();
        let mut done: Vec<(String, Option<usize>, bool)> = Vec::new();
        let models = self.cx.models();
        visit(doc, &models, class, &mut |inst, path| {
            let base = format!("{path}/{}", escape(element));
            let mut fix = |coding: &mut Value, p: String| {
                let Value::Object(c) = coding else { return };
                let Some(code) = c.get("code").and_then(Value::as_str) else {
                    return;
                };
                let Some(&(old, new)) = map.iter().find(|(o, _)| *o == code) else {
                    return;
                };
                // a code of another code system is not this value set's code
                let system = c.get("system").cloned();
                if let Some(s) = &system {
                    if src.is_none_or(|v| !v.systems().any(|sys| s.as_str() == Some(sys))) {
                        return;
                    }
                }
                let note = verbatim.iter().find(|(_, np)| *np == p).map(|(i, _)| *i);
                let mut collision = false;
                if let Some(Value::String(d)) = c.get("display") {
                    let d_old = src.and_then(|v| v.display(old));
                    let d_new = dst.and_then(|v| v.display(new));
                    if note.is_none() {
                        if Some(d.as_str()) == d_old {
                            if let Some(n) = d_new {
                                c.insert("display".into(), n.into());
                            }
                        } else if Some(d.as_str()) == d_new {
                            collision = true;
                        }
                    }
                }
                c.insert("code".into(), new.into());
                if let (Some(_), Some(sys)) = (system, dst.and_then(|d| d.single_system())) {
                    c.insert("system".into(), sys.into());
                }
                done.push((p, note, collision));
            };
            match inst.get_mut(element) {
                Some(Value::Array(items)) => {
                    for (n, item) in items.iter_mut().enumerate() {
                        fix(item, format!("{base}/{n}"));
                    }
                }
                Some(v @ Value::Object(_)) => fix(v, base),
                _ => {}
            }
        });
        let to_v = self.cx.to.mods_version;
        for (p, note, collision) in done {
            self.push(
                ChangeKind::Recoded,
                format!("{p}/code"),
                None,
                class,
                Some(element),
                format!("a code of {class}.{element} was replaced"),
            );
            if let Some(i) = note {
                self.note_done(i, Ok(()));
            }
            if collision {
                let lost = self.cx.change(
                    ChangeKind::Lost,
                    format!("{p}/display"),
                    None,
                    class,
                    Some(element),
                    format!("the display is kept as written, but in MODS {to_v} it reads as the new code's own display, which the migration back replaces with the old code's"),
                );
                self.leave(
                    Note::Display {
                        path: p,
                        class: class.to_owned(),
                        element: element.to_owned(),
                    },
                    vec![lost],
                );
            }
        }
    }
}

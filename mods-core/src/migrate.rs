//! Moving records between MODS versions, with a report of every change.
//!
//! Every record states its `mods_version`. [`migrate`] moves a record up (and down, where
//! that loses nothing) one adjacent version at a time, applying the steps written as data in
//! `mods-core/spec/migrations/` (forward) or their inverses (backward), and returns the
//! migrated record with a [`Change`] for everything it did. Nothing is lost silently: data
//! the target version cannot hold either makes the migration fail with
//! [`MigrateError::Lossy`], or, when the caller chooses [`OnLoss::KeepInExtension`], is moved
//! into the record's documented extension slot (`mods_extensions.migration`), from which a
//! later migration back restores it.

use crate::model::{self, ClassDef, ClassKind, ElementType, Lookup, Model};
use serde::Serialize;
use serde_json::{Map, Value};
use std::fmt;

/// One migration between adjacent versions, as data.
#[derive(Debug, Serialize)]
pub struct MigrationDef {
    /// Version it starts from.
    pub from: &'static str,
    /// Version it leads to.
    pub to: &'static str,
    /// What changes, in a sentence or two.
    pub description: &'static str,
    /// The steps, in forward order.
    pub steps: &'static [Step],
}

/// One migration step, written in the forward direction; the backward direction applies the
/// inverse of each step in reverse order.
#[derive(Debug, Serialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Step {
    /// A class collection is renamed.
    RenameClass {
        /// Old technical name.
        from: &'static str,
        /// New technical name.
        to: &'static str,
        /// Why.
        note: &'static str,
    },
    /// The instances of one class join another class, with elements set to mark them
    /// (backward: instances carrying exactly those values go back).
    MergeClass {
        /// Class that disappears.
        from: &'static str,
        /// Class that receives its instances.
        into: &'static str,
        /// Elements set on the moved instances, as (technical name, JSON text).
        set: &'static [(&'static str, &'static str)],
        /// Why.
        note: &'static str,
    },
    /// An element is given a value where it is absent (backward: removed where it holds
    /// that value). `class` `*` means every class that has the element.
    DefaultElement {
        /// Class technical name, or `*`.
        class: &'static str,
        /// Element technical name.
        element: &'static str,
        /// The value, as JSON text.
        value: &'static str,
        /// Why.
        note: &'static str,
    },
    /// An element is renamed.
    RenameElement {
        /// Class technical name.
        class: &'static str,
        /// Old element name.
        from: &'static str,
        /// New element name.
        to: &'static str,
        /// Why.
        note: &'static str,
    },
    /// A repeating element is split into its first value and the rest (backward: joined).
    SplitElement {
        /// Class technical name.
        class: &'static str,
        /// The repeating element.
        from: &'static str,
        /// Element that receives the first value.
        first: &'static str,
        /// Element that receives the others.
        rest: &'static str,
        /// Why.
        note: &'static str,
    },
    /// Codes of a coded element are replaced (backward: the inverse map).
    Recode {
        /// Class technical name.
        class: &'static str,
        /// Element technical name.
        element: &'static str,
        /// (old code, new code) pairs.
        map: &'static [(&'static str, &'static str)],
        /// Why.
        note: &'static str,
    },
}

/// What to do with data the target version cannot hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OnLoss {
    /// Refuse: the migration fails with [`MigrateError::Lossy`] listing what would be lost.
    #[default]
    Fail,
    /// Move it into `mods_extensions.migration` of the record, reported as
    /// [`ChangeKind::KeptInExtension`]; a later migration back restores it.
    KeepInExtension,
}

/// Options for [`migrate`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MigrateOptions {
    /// What to do with data the target cannot hold.
    pub on_loss: OnLoss,
}

/// The kind of a change a migration made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// `mods_version` changed.
    VersionChanged,
    /// A class collection or an element was renamed.
    Renamed,
    /// An instance moved into another class.
    Merged,
    /// An instance moved back out of the class it had been merged into.
    Unmerged,
    /// A repeating element was split.
    Split,
    /// Split elements were joined.
    Joined,
    /// A code was replaced.
    Recoded,
    /// An absent element was given its default.
    Defaulted,
    /// An element holding its default was removed, losing nothing.
    Dropped,
    /// Data the target cannot hold was moved into the extension slot.
    KeptInExtension,
    /// Data was restored from the extension slot.
    Restored,
}

/// One change made by a migration. Paths are JSON pointers; values are never included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// What happened.
    pub kind: ChangeKind,
    /// The step of versions, e.g. `1.0 -> 1.1`.
    pub step: String,
    /// Where, in the record as it is after this step.
    pub path: String,
    /// Where it was before, when it moved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_path: Option<String>,
    /// Technical name of the class concerned.
    pub class: String,
    /// Technical name of the element concerned, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub element: Option<String>,
    /// A sentence for a person.
    pub detail: String,
}

/// Data the target version cannot hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Loss {
    /// The step of versions.
    pub step: String,
    /// Where the data is (in the record as the step leaves it).
    pub path: String,
    /// Class technical name.
    pub class: String,
    /// Element technical name, or `None` when a whole class collection is lost.
    pub element: Option<String>,
}

impl fmt::Display for Loss {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.element {
            Some(e) => write!(f, "{} ({}.{e}, {})", self.path, self.class, self.step),
            None => write!(f, "{} (class {}, {})", self.path, self.class, self.step),
        }
    }
}

/// A migration that could not be done.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MigrateError {
    /// The record is not a JSON object.
    #[error("a record document must be a JSON object")]
    NotAnObject,
    /// The record does not state its version.
    #[error("the record has no mods_version")]
    MissingVersion,
    /// The record's version is not supported (for example newer than this library).
    #[error("the record's mods_version is not supported by this library (supported: {supported})")]
    UnknownVersion {
        /// The supported versions.
        supported: String,
    },
    /// The target version is not supported.
    #[error("MODS version {target} is not supported by this library (supported: {supported})")]
    UnknownTarget {
        /// The requested version.
        target: String,
        /// The supported versions.
        supported: String,
    },
    /// The target cannot hold some of the data, and the caller chose to refuse.
    #[error("MODS {to} cannot hold {} value(s) of this record: {}", losses.len(), losses.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Lossy {
        /// The version that could not hold them.
        to: String,
        /// What would be lost.
        losses: Vec<Loss>,
    },
}

/// A migrated record and the report of every change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Migration {
    /// The version the record was at.
    pub from: String,
    /// The version it is at now.
    pub to: String,
    /// The migrated record.
    pub record: Value,
    /// Every change, in the order made.
    pub changes: Vec<Change>,
}

/// Every migration between adjacent supported versions.
pub fn migrations() -> &'static [MigrationDef] {
    crate::generated::migrations::MIGRATIONS
}

/// Move `record` to MODS version `to`, step by step, with a report of every change.
pub fn migrate(record: &Value, to: &str, opts: &MigrateOptions) -> Result<Migration, MigrateError> {
    let Value::Object(_) = record else {
        return Err(MigrateError::NotAnObject);
    };
    let from = record
        .get("mods_version")
        .ok_or(MigrateError::MissingVersion)?
        .as_str()
        .ok_or_else(|| MigrateError::UnknownVersion {
            supported: model::supported_versions(),
        })?;
    let models = model::models();
    let Some(start) = models.iter().position(|m| m.mods_version == from) else {
        return Err(MigrateError::UnknownVersion {
            supported: model::supported_versions(),
        });
    };
    let Some(end) = models.iter().position(|m| m.mods_version == to) else {
        return Err(MigrateError::UnknownTarget {
            target: to.to_owned(),
            supported: model::supported_versions(),
        });
    };
    let mut doc = record.clone();
    let mut changes = Vec::new();
    let mut i = start;
    while i != end {
        let j = if end > i { i + 1 } else { i - 1 };
        let (a, b) = (models[i], models[j]);
        let step = format!("{} -> {}", a.mods_version, b.mods_version);
        let mut cx = StepCx {
            from: a,
            to: b,
            step: &step,
            changes: &mut changes,
        };
        cx.restore(&mut doc);
        if j > i {
            let def = find_def(a.mods_version, b.mods_version);
            for s in def.into_iter().flat_map(|d| d.steps.iter()) {
                cx.forward(&mut doc, s);
            }
        } else {
            let def = find_def(b.mods_version, a.mods_version);
            for s in def.into_iter().flat_map(|d| d.steps.iter().rev()) {
                cx.backward(&mut doc, s);
            }
        }
        if let Some(obj) = doc.as_object_mut() {
            obj.insert("mods_version".into(), b.mods_version.into());
        }
        cx.changes.push(Change {
            kind: ChangeKind::VersionChanged,
            step: step.clone(),
            path: "/mods_version".into(),
            from_path: None,
            class: "record".into(),
            element: Some("mods_version".into()),
            detail: format!("mods_version {} became {}", a.mods_version, b.mods_version),
        });
        let losses = residual(&doc, a, b, &step);
        if !losses.is_empty() {
            match opts.on_loss {
                OnLoss::Fail => {
                    return Err(MigrateError::Lossy {
                        to: b.mods_version.to_owned(),
                        losses,
                    })
                }
                OnLoss::KeepInExtension => keep(&mut doc, losses, a, b, &mut changes),
            }
        }
        i = j;
    }
    Ok(Migration {
        from: from.to_owned(),
        to: to.to_owned(),
        record: doc,
        changes,
    })
}

fn find_def(from: &str, to: &str) -> Option<&'static MigrationDef> {
    migrations().iter().find(|m| m.from == from && m.to == to)
}

fn escape(seg: &str) -> String {
    let mut s = String::new();
    crate::parse::escape_segment(seg, &mut s);
    s
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

struct StepCx<'c> {
    from: &'static Model,
    to: &'static Model,
    step: &'c str,
    changes: &'c mut Vec<Change>,
}

/// Whether `actual` holds the value `marker`: equal, or for a coding the same code (and the
/// same system where both give one), whatever its display, which the code determines.
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

fn parse_static(json: &str) -> Value {
    // The texts are written by the code generator from parsed JSON, so they parse.
    serde_json::from_str(json).unwrap_or(Value::Null)
}

impl StepCx<'_> {
    fn models(&self) -> [&'static Model; 2] {
        [self.from, self.to]
    }

    fn change(
        &mut self,
        kind: ChangeKind,
        path: String,
        from_path: Option<String>,
        class: &str,
        element: Option<&str>,
        detail: String,
    ) {
        self.changes.push(Change {
            kind,
            step: self.step.to_owned(),
            path,
            from_path,
            class: class.to_owned(),
            element: element.map(str::to_owned),
            detail,
        });
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
        if let Some(v) = obj.remove(from) {
            obj.insert(to.to_owned(), v);
            self.change(
                ChangeKind::Renamed,
                format!("/{}", escape(to)),
                Some(format!("/{}", escape(from))),
                to,
                None,
                format!("class collection {from} renamed {to}"),
            );
        }
    }

    fn merge(&mut self, doc: &mut Value, from: &str, into: &str, set: &[(&str, &str)]) {
        let set: Vec<(&str, Value)> = set
            .iter()
            .map(|(k, v)| (*k, self.with_display(into, k, &parse_static(v))))
            .collect();
        let Some(obj) = doc.as_object_mut() else {
            return;
        };
        let Some(Value::Array(items)) = obj.remove(from) else {
            return;
        };
        let start = match obj.get(into) {
            Some(Value::Array(a)) => a.len(),
            _ => 0,
        };
        let dest = obj
            .entry(into.to_owned())
            .or_insert_with(|| Value::Array(Vec::new()));
        let Value::Array(dest) = dest else { return };
        let mut moved = Vec::new();
        for (n, mut item) in items.into_iter().enumerate() {
            if let Value::Object(inst) = &mut item {
                for (k, v) in &set {
                    inst.entry((*k).to_owned()).or_insert_with(|| v.clone());
                }
            }
            dest.push(item);
            moved.push((n, start + moved.len()));
        }
        for (n, m) in moved {
            self.change(
                ChangeKind::Merged,
                format!("/{into}/{m}"),
                Some(format!("/{from}/{n}")),
                into,
                None,
                format!("a {from} record became a {into} record"),
            );
        }
    }

    fn unmerge(&mut self, doc: &mut Value, from: &str, into: &str, set: &[(&str, &str)]) {
        if set.is_empty() {
            return; // merged without a marker: the instances stay where they are
        }
        let Some(obj) = doc.as_object_mut() else {
            return;
        };
        let Some(Value::Array(items)) = obj.get_mut(into) else {
            return;
        };
        let wanted: Vec<(&str, Value)> = set.iter().map(|(k, v)| (*k, parse_static(v))).collect();
        let mut keep = Vec::new();
        let mut back = Vec::new();
        for (n, item) in std::mem::take(items).into_iter().enumerate() {
            let matches = item
                .as_object()
                .is_some_and(|o| wanted.iter().all(|(k, v)| holds(o.get(*k), v)));
            if matches {
                let mut item = item;
                if let Value::Object(o) = &mut item {
                    for (k, _) in &wanted {
                        o.remove(*k);
                    }
                }
                back.push((n, item));
            } else {
                keep.push(item);
            }
        }
        *items = keep;
        if obj
            .get(into)
            .and_then(Value::as_array)
            .is_some_and(Vec::is_empty)
        {
            obj.remove(into);
        }
        if back.is_empty() {
            return;
        }
        let dest = obj
            .entry(from.to_owned())
            .or_insert_with(|| Value::Array(Vec::new()));
        let Value::Array(dest) = dest else { return };
        let mut moves = Vec::new();
        for (n, item) in back {
            moves.push((n, dest.len()));
            dest.push(item);
        }
        for (n, m) in moves {
            self.change(
                ChangeKind::Unmerged,
                format!("/{from}/{}", m),
                Some(format!("/{into}/{n}")),
                from,
                None,
                format!("a {into} record went back to being a {from} record"),
            );
        }
    }

    fn classes_with<'s>(&self, class: &'s str, element: &str) -> Vec<&'s str> {
        if class != "*" {
            return vec![class];
        }
        let mut out = Vec::new();
        for m in self.models() {
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

    /// A coding written by a step gets the display its value set gives the code, so that a
    /// record with displays goes down and up again unchanged.
    fn with_display(&self, class: &str, element: &str, value: &Value) -> Value {
        let mut v = value.clone();
        let display = (|| {
            let code = value.get("code")?.as_str()?;
            let el = self.to.class(class)?.element(element)?;
            let Lookup::ValueSet { value_set, .. } = &el.lookup else {
                return None;
            };
            self.to.value_set(value_set)?.display(code)
        })();
        if let (Some(d), Value::Object(o)) = (display, &mut v) {
            o.entry("display").or_insert_with(|| d.into());
        }
        v
    }

    fn default_element(&mut self, doc: &mut Value, class: &str, element: &str, value: &Value) {
        for cls in self.classes_with(class, element) {
            let value = &self.with_display(cls, element, value);
            let mut paths = Vec::new();
            let models = self.models();
            visit(doc, &models, cls, &mut |inst, path| {
                if !inst.contains_key(element) {
                    inst.insert(element.to_owned(), value.clone());
                    paths.push(format!("{path}/{}", escape(element)));
                }
            });
            for p in paths {
                self.change(
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
            let mut paths = Vec::new();
            let models = self.models();
            visit(doc, &models, cls, &mut |inst, path| {
                if holds(inst.get(element), value) {
                    inst.remove(element);
                    paths.push(format!("{path}/{}", escape(element)));
                }
            });
            for p in paths {
                self.change(
                    ChangeKind::Dropped,
                    p,
                    None,
                    cls,
                    Some(element),
                    format!("{element} removed; it held its default (a coding's display follows from its code), so nothing is lost"),
                );
            }
        }
    }

    fn rename_element(&mut self, doc: &mut Value, class: &str, from: &str, to: &str) {
        let mut moves = Vec::new();
        let models = self.models();
        visit(doc, &models, class, &mut |inst, path| {
            if let Some(v) = inst.remove(from) {
                inst.insert(to.to_owned(), v);
                moves.push((
                    format!("{path}/{}", escape(to)),
                    format!("{path}/{}", escape(from)),
                ));
            }
        });
        for (p, fp) in moves {
            self.change(
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
        let models = self.models();
        visit(doc, &models, class, &mut |inst, path| {
            let Some(Value::Array(values)) = inst.get(from).cloned() else {
                return;
            };
            let mut it = values.into_iter();
            let Some(head) = it.next() else { return };
            let tail: Vec<Value> = it.collect();
            inst.remove(from);
            inst.insert(first.to_owned(), head);
            if !tail.is_empty() {
                inst.insert(rest.to_owned(), Value::Array(tail));
            }
            paths.push(format!("{path}/{}", escape(first)));
        });
        for p in paths {
            self.change(
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
        let models = self.models();
        visit(doc, &models, class, &mut |inst, path| {
            let head = match inst.get(first) {
                Some(v) if !v.is_array() => v.clone(),
                _ => return,
            };
            let mut values = vec![head];
            match inst.remove(rest) {
                Some(Value::Array(tail)) => values.extend(tail),
                Some(other) => {
                    inst.insert(rest.to_owned(), other);
                    return;
                }
                None => {}
            }
            inst.remove(first);
            inst.insert(from.to_owned(), Value::Array(values));
            paths.push(format!("{path}/{}", escape(from)));
        });
        for p in paths {
            self.change(
                ChangeKind::Joined,
                p,
                None,
                class,
                Some(from),
                format!("{class}.{first} and {rest} joined into {from}"),
            );
        }
    }

    fn recode(&mut self, doc: &mut Value, class: &str, element: &str, map: &[(&str, &str)]) {
        // the display of the new code, from the value set the target binds
        let display_of = |code: &str| -> Option<&'static str> {
            let el = self.to.class(class)?.element(element)?;
            let Lookup::ValueSet { value_set, .. } = &el.lookup else {
                return None;
            };
            self.to.value_set(value_set)?.display(code)
        };
        let mut paths = Vec::new();
        let models = self.models();
        visit(doc, &models, class, &mut |inst, path| {
            let base = format!("{path}/{}", escape(element));
            let mut fix = |coding: &mut Value, p: String| {
                let Some(code) = coding.get("code").and_then(Value::as_str) else {
                    return;
                };
                let Some(&(_, new)) = map.iter().find(|(old, _)| *old == code) else {
                    return;
                };
                if let Value::Object(c) = coding {
                    c.insert("code".into(), new.into());
                    if c.contains_key("display") {
                        match display_of(new) {
                            Some(d) => {
                                c.insert("display".into(), d.into());
                            }
                            None => {
                                c.remove("display");
                            }
                        }
                    }
                }
                paths.push(p);
            };
            match inst.get_mut(element) {
                Some(Value::Array(items)) => {
                    for (n, item) in items.iter_mut().enumerate() {
                        fix(item, format!("{base}/{n}/code"));
                    }
                }
                Some(v @ Value::Object(_)) => fix(v, format!("{base}/code")),
                _ => {}
            }
        });
        for p in paths {
            self.change(
                ChangeKind::Recoded,
                p,
                None,
                class,
                Some(element),
                format!("a code of {class}.{element} was replaced"),
            );
        }
    }

    /// Restore data kept in the extension slot by an earlier migration from `to` to `from`.
    fn restore(&mut self, doc: &mut Value) {
        let Some(entries) = doc
            .pointer_mut("/mods_extensions/migration")
            .and_then(Value::as_array_mut)
            .map(std::mem::take)
        else {
            return;
        };
        let mut left = Vec::new();
        let mut restored = Vec::new();
        for e in entries {
            let from_v = e.get("from_version").and_then(Value::as_str);
            let to_v = e.get("to_version").and_then(Value::as_str);
            let path = e
                .get("path")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned();
            let mine = from_v == Some(self.to.mods_version) && to_v == Some(self.from.mods_version);
            if mine && insert_at(doc, &path, e.get("value").cloned().unwrap_or(Value::Null)) {
                restored.push((
                    path,
                    e.get("class")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_owned(),
                    e.get("element").and_then(Value::as_str).map(str::to_owned),
                ));
            } else {
                left.push(e);
            }
        }
        if let Some(slot) = doc.pointer_mut("/mods_extensions/migration") {
            *slot = Value::Array(left);
        }
        tidy_extensions(doc);
        for (p, class, element) in restored {
            self.change(
                ChangeKind::Restored,
                p,
                None,
                &class,
                element.as_deref(),
                "restored from mods_extensions.migration".into(),
            );
        }
    }
}

/// Insert `value` at `pointer` when its parent exists and the place is free.
fn insert_at(doc: &mut Value, pointer: &str, value: Value) -> bool {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return false;
    };
    let key = last.replace("~1", "/").replace("~0", "~");
    match doc.pointer_mut(parent) {
        Some(Value::Object(o)) if !o.contains_key(&key) => {
            o.insert(key, value);
            true
        }
        _ => false,
    }
}

fn tidy_extensions(doc: &mut Value) {
    let empty = doc
        .pointer("/mods_extensions/migration")
        .and_then(Value::as_array)
        .is_some_and(Vec::is_empty);
    if empty {
        if let Some(ext) = doc
            .get_mut("mods_extensions")
            .and_then(Value::as_object_mut)
        {
            ext.remove("migration");
            if ext.is_empty() {
                if let Some(o) = doc.as_object_mut() {
                    o.remove("mods_extensions");
                }
            }
        }
    }
}

/// What the document holds that `to` cannot, though `from` could.
fn residual(doc: &Value, from: &'static Model, to: &'static Model, step: &str) -> Vec<Loss> {
    let mut out = Vec::new();
    let Some(obj) = doc.as_object() else {
        return out;
    };
    for (k, v) in obj {
        let path = format!("/{}", escape(k));
        let src = from.class(k).filter(|c| c.kind == ClassKind::Record);
        let dst = to.class(k).filter(|c| c.kind == ClassKind::Record);
        match (src, dst) {
            (Some(_), None) => out.push(Loss {
                step: step.to_owned(),
                path,
                class: k.clone(),
                element: None,
            }),
            (_, Some(d)) => {
                let s = src.unwrap_or(d);
                match v {
                    Value::Object(inst) if k == "subject_of_care" => {
                        residual_instance(inst, s, d, &path, from, to, step, &mut out)
                    }
                    Value::Array(items) => {
                        for (n, item) in items.iter().enumerate() {
                            if let Value::Object(inst) = item {
                                residual_instance(
                                    inst,
                                    s,
                                    d,
                                    &format!("{path}/{n}"),
                                    from,
                                    to,
                                    step,
                                    &mut out,
                                );
                            }
                        }
                    }
                    _ => {}
                }
            }
            (None, None) => {}
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn residual_instance(
    inst: &Map<String, Value>,
    src: &'static ClassDef,
    dst: &'static ClassDef,
    path: &str,
    from: &'static Model,
    to: &'static Model,
    step: &str,
    out: &mut Vec<Loss>,
) {
    for (k, v) in inst {
        let p = format!("{path}/{}", escape(k));
        match (src.element(k), dst.element(k)) {
            (Some(_), None) => out.push(Loss {
                step: step.to_owned(),
                path: p,
                class: dst.technical_name.to_owned(),
                element: Some(k.clone()),
            }),
            (s, Some(d)) if d.ty == ElementType::Group => {
                let comp_d = d.component.and_then(|c| to.class(c));
                let comp_s = s
                    .and_then(|e| e.component)
                    .and_then(|c| from.class(c))
                    .or(comp_d);
                let (Some(cs), Some(cd)) = (comp_s, comp_d) else {
                    continue;
                };
                match v {
                    Value::Object(o) => residual_instance(o, cs, cd, &p, from, to, step, out),
                    Value::Array(items) => {
                        for (n, item) in items.iter().enumerate() {
                            if let Value::Object(o) = item {
                                residual_instance(
                                    o,
                                    cs,
                                    cd,
                                    &format!("{p}/{n}"),
                                    from,
                                    to,
                                    step,
                                    out,
                                );
                            }
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
}

/// Move the losses into `mods_extensions.migration`, deepest first so paths stay valid.
fn keep(
    doc: &mut Value,
    mut losses: Vec<Loss>,
    from: &Model,
    to: &Model,
    changes: &mut Vec<Change>,
) {
    losses.sort_by(|a, b| b.path.cmp(&a.path));
    let mut kept = Vec::new();
    for l in losses {
        let Some((parent, last)) = l.path.rsplit_once('/') else {
            continue;
        };
        let key = last.replace("~1", "/").replace("~0", "~");
        let Some(Value::Object(o)) = doc.pointer_mut(parent) else {
            continue;
        };
        let Some(value) = o.remove(&key) else {
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
        kept.push(Value::Object(entry));
        changes.push(Change {
            kind: ChangeKind::KeptInExtension,
            step: l.step.clone(),
            path: "/mods_extensions/migration".into(),
            from_path: Some(l.path.clone()),
            class: l.class.clone(),
            element: l.element.clone(),
            detail: format!(
                "MODS {} cannot hold this; kept in mods_extensions.migration",
                to.mods_version
            ),
        });
    }
    kept.reverse();
    let Some(obj) = doc.as_object_mut() else {
        return;
    };
    let ext = obj
        .entry("mods_extensions")
        .or_insert_with(|| Value::Object(Map::new()));
    if !ext.is_object() {
        *ext = Value::Object(Map::new());
    }
    let Some(ext) = ext.as_object_mut() else {
        return;
    };
    let slot = ext
        .entry("migration")
        .or_insert_with(|| Value::Array(Vec::new()));
    if let Value::Array(a) = slot {
        a.extend(kept);
    }
}

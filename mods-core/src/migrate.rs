//! Moving records between MODS versions, with a report of every change.
//!
//! Every record states its `mods_version`. [`migrate`] moves a record up (and down, where
//! that loses nothing) one adjacent version at a time, applying the steps written as data in
//! `mods-core/spec/migrations/` (forward) or their inverses (backward), and returns the
//! migrated record with a [`Change`] for everything it did.
//!
//! Nothing is lost silently, and a round trip gives the record back exactly:
//!
//! - A **value** the target version cannot hold (a class or element it does not have, a
//!   coding a step would write differently on the way back) either makes the migration fail
//!   with [`MigrateError::Lossy`], or, when the caller chooses [`OnLoss::KeepInExtension`],
//!   moves into the record's documented extension slot (`mods_extensions.migration`), from
//!   which a later migration back restores it.
//! - What the target cannot **arrange** as the record did, though every value is kept (which
//!   class a merged instance came from, the order of a collection a step splits, an empty
//!   collection or element), is kept in the slot the same way under
//!   [`OnLoss::KeepInExtension`], and otherwise reported as a [`ChangeKind::Lost`] change.
//! - Kept data is restored only where its place still exists and only when it leaves the
//!   record as valid as it is without it; otherwise it stays in the slot and is reported as
//!   [`ChangeKind::NotRestored`].

mod depends;
mod residual;
mod slot;
mod steps;

use crate::model::{self, Model};
use serde::Serialize;
use serde_json::Value;
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
///
/// New options may be added in any release: build the struct with `default()` and its
/// `with_*` methods (see docs/releasing.md).
#[non_exhaustive]
pub struct MigrateOptions {
    /// What to do with data the target cannot hold.
    pub on_loss: OnLoss,
}

crate::__option_setters!(MigrateOptions {
    with_on_loss(on_loss: OnLoss);
});

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
    /// Something the target cannot arrange as the record did was given up, though no value
    /// was: which class a merged instance came from, the order of a collection, an empty
    /// collection or element, a coding's display or system that the migration back writes
    /// from its code. A migration back does not give the record back exactly; with
    /// [`OnLoss::KeepInExtension`] it is kept instead.
    Lost,
    /// Data kept in the extension slot by an earlier migration was not restored (its place
    /// is gone or taken, or it would make the record invalid); it stays in the slot.
    NotRestored,
}

impl ChangeKind {
    /// Whether the record is not exactly what a round trip should give after a change of
    /// this kind: something was given up ([`ChangeKind::Lost`]) or kept data could not be
    /// put back ([`ChangeKind::NotRestored`]).
    pub fn is_loss(self) -> bool {
        matches!(self, ChangeKind::Lost | ChangeKind::NotRestored)
    }
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
    /// Data has to be kept, but the record's `mods_extensions` is not an object or its
    /// `migration` member is not an array, so it cannot be kept there.
    #[error("the record's mods_extensions.migration is not an array in an object, so the data MODS {to} cannot hold cannot be kept there")]
    BadExtensionSlot {
        /// The version that could not hold the data.
        to: String,
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

impl Migration {
    /// The changes after which the record is not exactly what a round trip should give
    /// (see [`ChangeKind::is_loss`]). When there are none, migrating the result back to
    /// [`Migration::from`] gives the original record back exactly, order included, with
    /// the data kept in its extension slot restored.
    pub fn losses(&self) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(|c| c.kind.is_loss())
    }
}

/// Every migration between adjacent supported versions.
pub fn migrations() -> &'static [MigrationDef] {
    crate::generated::migrations::MIGRATIONS
}

/// Move `record` to MODS version `to`, step by step, with a report of every change.
///
/// At each step, data kept in `mods_extensions.migration` by an earlier migration the other
/// way is restored first (where its place exists and the record stays as valid as it is
/// without it), then the step's operations run, then whatever the target cannot hold is
/// refused, kept or reported according to [`MigrateOptions::on_loss`].
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
        doc = one_step(doc, a, b, opts, &mut changes)?;
        i = j;
    }
    Ok(Migration {
        from: from.to_owned(),
        to: to.to_owned(),
        record: doc,
        changes,
    })
}

/// Move `doc` from `a` to the adjacent version `b`.
fn one_step(
    doc: Value,
    a: &'static Model,
    b: &'static Model,
    opts: &MigrateOptions,
    changes: &mut Vec<Change>,
) -> Result<Value, MigrateError> {
    let step = format!("{} -> {}", a.mods_version, b.mods_version);
    let forward = models_index(b) > models_index(a);
    let def = if forward {
        find_def(a.mods_version, b.mods_version)
    } else {
        find_def(b.mods_version, a.mods_version)
    };
    let cx = steps::Ctx {
        from: a,
        to: b,
        step: &step,
        def,
        forward,
    };
    let incoming = slot::Incoming::take(&doc, a.mods_version, b.mods_version);
    let (run, mut report, consumed) = slot::restore_and_run(&doc, &incoming, &cx);
    changes.append(&mut report);
    let steps::Run {
        doc: mut out,
        changes: mut step_changes,
        pending,
    } = run;
    changes.append(&mut step_changes);
    slot::remove_consumed(&mut out, &consumed);
    let losses = residual::residual(&out, &cx);
    match opts.on_loss {
        OnLoss::Fail => {
            let hard: Vec<Loss> = losses
                .iter()
                .filter(|l| l.soft.is_none())
                .map(|l| l.loss.clone())
                .collect();
            if !hard.is_empty() {
                return Err(MigrateError::Lossy {
                    to: b.mods_version.to_owned(),
                    losses: hard,
                });
            }
            for l in losses {
                slot::take_at(&mut out, &l.loss.path);
                changes.push(l.lost_change(b));
            }
            for p in pending {
                changes.extend(p.into_lost());
            }
        }
        OnLoss::KeepInExtension => {
            slot::keep(&mut out, losses, pending, a, b, changes)?;
        }
    }
    Ok(out)
}

fn models_index(m: &Model) -> usize {
    model::models()
        .iter()
        .position(|x| x.mods_version == m.mods_version)
        .unwrap_or(0)
}

fn find_def(from: &str, to: &str) -> Option<&'static MigrationDef> {
    migrations().iter().find(|m| m.from == from && m.to == to)
}

/// A JSON pointer segment for a key.
fn escape(seg: &str) -> String {
    let mut s = String::new();
    crate::parse::escape_segment(seg, &mut s);
    s
}

/// Whether `s` is a JSON pointer to a member (RFC 6901, not the whole document): it starts
/// with `/`, and every `~` is followed by `0` or `1`.
fn is_pointer(s: &str) -> bool {
    s.starts_with('/') && s.split('~').skip(1).all(|t| t.starts_with(['0', '1']))
}

/// The key a JSON pointer segment names.
fn unescape(seg: &str) -> String {
    seg.replace("~1", "/").replace("~0", "~")
}

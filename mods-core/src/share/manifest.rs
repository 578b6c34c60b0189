//! The manifest of a view: what was kept and what was withheld, with no person data.

use super::consent::ConsentRef;
use super::policy::Origin;
use serde::Serialize;
use std::collections::BTreeMap;

/// Why something was withheld. Serialised in kebab case (`not-in-policy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    /// The record is not part of the component asked for, nor named by one that is.
    NotInComponent,
    /// The policy has no rule for the record's class.
    NotInPolicy,
    /// The rule for the record's class does not share this element.
    ElementNotInPolicy,
    /// An element the model does not define (a supplier's own field): no policy names it.
    UnknownElement,
    /// A sharing consent covering the record was refused.
    ConsentRefused,
    /// A sharing consent covering the record was withdrawn.
    ConsentWithdrawn,
    /// A sharing consent covering the record has lapsed (`valid_until` before today).
    ConsentLapsed,
    /// The record must name a record that is withheld (a required reference, e.g. an
    /// administration's medicine), so it cannot stay.
    RequiresWithheldRecord,
    /// A Change log entry about a record that is not in the view.
    AuditsWithheldRecord,
    /// A reference (or a component holding one) to a record not in the view, removed from
    /// a record that stays, so that no reference is left dangling. `element` says which.
    ReferenceRemoved,
    /// An item of a collection that is not a JSON object (not a record).
    NotARecord,
}

/// One kind of thing withheld: `count` records of `class` (or, with `element`, that many
/// values of the element) for one `reason`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Withheld {
    /// The class's technical name.
    pub class: String,
    /// The element, for an element or a reference withheld from records that stay (a
    /// component's element as `group.element`); absent when whole records were withheld.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub element: Option<String>,
    /// How many records (or element values).
    pub count: usize,
    /// Why.
    pub reason: Reason,
    /// For `requires-withheld-record`: the required element that names a withheld record.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
    /// What caused it: `policy:<id>` (no rule for the class), `policy:<id>#<class>` (the
    /// rule, or the `withhold` entry, for the class), `component:<id>`; absent for a
    /// consent and for what follows from other withholdings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// The Consent record that caused it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consent: Option<ConsentRef>,
}

/// The records of one class in the input and in the view.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ClassCount {
    /// Records in the input.
    pub input: usize,
    /// Records in the view.
    pub kept: usize,
    /// Records withheld (`input - kept`; each is in exactly one entry of `withheld`
    /// without an `element`).
    pub withheld: usize,
}

/// The purpose a view was made for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PurposeRef {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Built in or a caller's file.
    pub origin: Origin,
}

/// The manifest of a view. It holds class and element names, counts, reasons, rule names
/// and pointers to Consent records: never a value of the record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Manifest {
    /// The record's MODS version.
    pub mods_version: String,
    /// The purpose, when the view was made by a policy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purpose: Option<PurposeRef>,
    /// The component's id, when one was extracted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub component: Option<String>,
    /// The date taken as today (for lapsed consents), `YYYY-MM-DD`.
    pub today: String,
    /// Records by class, for every class the input holds.
    pub classes: BTreeMap<String, ClassCount>,
    /// What was withheld, in a stable order (class, element, reason).
    pub withheld: Vec<Withheld>,
    /// Members of the input document that are not record collections (such as
    /// `mods_extensions`), withheld whole.
    pub members_withheld: Vec<String>,
}

impl Manifest {
    /// Records in the input (the subject of care included).
    pub fn records_in(&self) -> usize {
        self.classes.values().map(|c| c.input).sum()
    }

    /// Records in the view.
    pub fn records_kept(&self) -> usize {
        self.classes.values().map(|c| c.kept).sum()
    }
}

//! What the pass keeps of each record, and the rules that run after it over several records
//! at once: duplicate record uids, references, the date of birth, the dose rules.
//!
//! The pass keeps, for each record of the document, its place and the scalar values of its
//! own elements (strings borrowed from the input, numbers, the code and system of codings);
//! references are kept with their path and resolved once every record is known.

use super::cx::{ctx, pointer, Cx, Seg};
use crate::checks;
use crate::issue::IssueCode;
use crate::model::{ClassDef, ElementDef, Lookup};
use rustc_hash::FxHashMap;
use serde_json::{Number, Value};
use std::borrow::Cow;
use std::cell::OnceCell;
use std::ops::Range;

/// What reading one value gave its parent.
#[derive(Debug)]
pub(crate) enum Got<'de> {
    /// Null, an empty array (for an element that repeats), or nothing to keep.
    Absent,
    /// A value that counts as present but is not kept (an object, an array, a boolean).
    Present,
    Str(Cow<'de, str>),
    Num(Number),
    Coding(Coding<'de>),
    /// A value built in full (only when issues carry values).
    Value(Value),
}

impl Got<'_> {
    pub(super) fn present(&self) -> bool {
        !matches!(self, Got::Absent)
    }

    fn kept(&self) -> bool {
        matches!(self, Got::Str(_) | Got::Num(_) | Got::Coding(_))
    }

    /// The string, if the value was one.
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Got::Str(s) => Some(s),
            Got::Value(Value::String(s)) => Some(s),
            _ => None,
        }
    }
}

/// The members of a coding the rules read.
#[derive(Debug)]
pub(crate) struct Coding<'de> {
    pub(crate) code: Member<'de>,
    pub(crate) system: Member<'de>,
}

/// A member of a coding object.
#[derive(Debug)]
pub(crate) enum Member<'de> {
    Absent,
    Str(Cow<'de, str>),
    /// Present but not a string.
    Other,
}

impl Member<'_> {
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Member::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// The values kept by the pass, in one buffer for the whole document.
#[derive(Default)]
pub(crate) struct Kept<'de> {
    /// (element name, value) of the instances being read and of every record read.
    pub(super) fields: Vec<(&'static str, Got<'de>)>,
    /// The paths of pending references, one after another.
    pub(super) segs: Vec<Seg>,
}

impl<'de> Kept<'de> {
    /// Keep an element's value, if it is one the rules read (`wanted`: the element is one
    /// whose values the instance keeps; see `super::plan::Plan::kept`).
    pub(super) fn keep(&mut self, name: &'static str, wanted: bool, got: Got<'de>) {
        if wanted && got.kept() {
            self.fields.push((name, got));
        }
    }
}

/// The elements of a record the rules after the pass read (`register_uids`, the date of
/// birth, crate::dose_rules, super::envelope); a record keeps only these once read.
pub(super) fn read_after_pass(name: &str) -> bool {
    matches!(
        name,
        "record_uid"
            | "date_of_birth"
            | "person_demographics"
            | "administration_status"
            | "medication"
            | "date"
            | "time"
            | "medication_code"
            | "minimum_interval"
            | "dose_unit"
            | "dose_given"
            | "dose_quantity"
            | "maximum_dose_per_24_hours"
            | "planned_hours_per_week"
            | "funded_hours_per_week"
            | "weekly_cost"
    )
}

impl Kept<'_> {
    /// Keep, of the values from `from` on (a record's), only those the rules after the
    /// pass read.
    pub(super) fn for_after_pass(&mut self, from: usize) {
        let mut to = from;
        for i in from..self.fields.len() {
            if read_after_pass(self.fields[i].0) {
                self.fields.swap(to, i);
                to += 1;
            }
        }
        self.fields.truncate(to);
    }
}

/// A record of the document: its place and its kept values.
pub(crate) struct RecordAt {
    pub(super) class: &'static ClassDef,
    /// The collection key (or `subject_of_care`).
    pub(super) key: &'static str,
    /// The index in the collection (`None` for the subject of care).
    pub(super) index: Option<usize>,
    pub(super) fields: Range<usize>,
}

/// A reference read by the pass, resolved after it.
pub(crate) struct PendingRef<'de> {
    pub(super) uid: Cow<'de, str>,
    pub(super) element: &'static ElementDef,
    pub(super) segs: Range<usize>,
}

/// One record of the document, as the rules over several records see it.
pub(crate) struct RecordView<'r, 'de> {
    pub(crate) class: &'static ClassDef,
    at: &'r RecordAt,
    fields: &'r [(&'static str, Got<'de>)],
    path: OnceCell<String>,
}

impl<'r, 'de> RecordView<'r, 'de> {
    /// JSON pointer to the record.
    pub(crate) fn path(&self) -> &str {
        self.path.get_or_init(|| match self.at.index {
            Some(i) => pointer(&[Seg::Key(self.at.key), Seg::Index(i)]),
            None => pointer(&[Seg::Key(self.at.key)]),
        })
    }

    /// The kept value of the element `name`.
    pub(crate) fn get(&self, name: &str) -> Option<&Got<'de>> {
        debug_assert!(
            read_after_pass(name),
            "{name} is read after the pass: add it to read_after_pass"
        );
        self.fields.iter().find(|(n, _)| *n == name).map(|(_, g)| g)
    }

    /// The string value of the element `name`.
    pub(crate) fn str(&self, name: &str) -> Option<&str> {
        self.get(name).and_then(Got::as_str)
    }

    /// The number value of the element `name`.
    pub(crate) fn number(&self, name: &str) -> Option<f64> {
        match self.get(name)? {
            Got::Num(n) => n.as_f64(),
            _ => None,
        }
    }

    /// The coding value of the element `name`.
    pub(crate) fn coding(&self, name: &str) -> Option<&Coding<'de>> {
        match self.get(name)? {
            Got::Coding(c) => Some(c),
            _ => None,
        }
    }
}

impl Cx<'_, '_> {
    /// The rules over several records, once the pass has read them all.
    pub(super) fn after_pass(&mut self) {
        let kept = std::mem::take(&mut self.kept);
        let records = std::mem::take(&mut self.records);
        let refs = std::mem::take(&mut self.refs);
        let views: Vec<RecordView<'_, '_>> = records
            .iter()
            .map(|at| RecordView {
                class: at.class,
                at,
                fields: &kept.fields[at.fields.clone()],
                path: OnceCell::new(),
            })
            .collect();
        let uids = self.register_uids(&views);
        self.resolve_references(&views, &uids, &refs, &kept.segs);
        self.check_date_of_birth_agreement(&views, &uids);
        self.check_doses(&views, &uids);
        self.check_envelopes(&views, &uids, &refs, &kept.segs);
    }

    /// Record uids, first come first named; a later record with the same uid is an issue.
    fn register_uids<'r>(&mut self, views: &'r [RecordView<'_, '_>]) -> FxHashMap<&'r str, usize> {
        let mut uids = FxHashMap::default();
        uids.reserve(views.len());
        let uid_of = |r: &'r RecordView<'_, '_>| {
            r.class
                .versioned
                .then(|| r.str("record_uid").filter(|u| checks::is_uid(u)))
                .flatten()
        };
        let mut twice = false;
        for (i, r) in views.iter().enumerate() {
            if let Some(uid) = uid_of(r) {
                if uids.contains_key(uid) {
                    twice = true;
                    break;
                }
                uids.insert(uid, i);
            }
        }
        if !twice {
            return uids;
        }
        // A uid used twice. Which instance is reported (and which one a reference resolves
        // to) must not depend on the order the collections were written in: the members
        // of a JSON object have no order, and a `Value` walks them sorted by key. So the
        // records are taken in pointer order: by collection key, then by index.
        uids.clear();
        let mut order: Vec<usize> = (0..views.len()).collect();
        order.sort_by_key(|&i| (views[i].at.key, views[i].at.index));
        for i in order {
            let r = &views[i];
            let Some(uid) = uid_of(r) else {
                continue;
            };
            if uids.contains_key(uid) {
                let mut c = ctx(&[("class", r.class.technical_name.into())]);
                self.add_value(&mut c, || uid.into());
                let path = format!("{}/record_uid", r.path());
                let code = IssueCode::DuplicateRecordUid;
                self.push(
                    code,
                    code.default_severity(),
                    path,
                    "another record in this document has the same record_uid".into(),
                    c,
                );
            } else {
                uids.insert(uid, i);
            }
        }
        uids
    }

    fn resolve_references(
        &mut self,
        views: &[RecordView<'_, '_>],
        uids: &FxHashMap<&str, usize>,
        refs: &[PendingRef<'_>],
        segs: &[Seg],
    ) {
        for r in refs {
            let Lookup::Reference { targets, accepts } = &r.element.lookup else {
                continue;
            };
            let found = uids.get(r.uid.as_ref()).map(|&i| views[i].class);
            let problem = match found {
                None => Some((
                    IssueCode::DanglingReference,
                    format!(
                        "{} names a record that is not in this document",
                        r.element.name
                    ),
                    None,
                )),
                Some(c) if !accepts.contains(&c.technical_name) => Some((
                    IssueCode::ReferenceWrongClass,
                    format!(
                        "{} must name a record of class {}, not {}",
                        r.element.name,
                        targets.join(" or "),
                        c.name
                    ),
                    Some(c.technical_name),
                )),
                Some(_) => None,
            };
            if let Some((code, message, found_class)) = problem {
                let mut c = ctx(&[
                    ("element", r.element.technical_name.into()),
                    (
                        "targets",
                        Value::Array(targets.iter().map(|t| (*t).into()).collect()),
                    ),
                ]);
                if let Some(f) = found_class {
                    c.insert("found_class".into(), f.into());
                }
                self.add_value(&mut c, || r.uid.as_ref().into());
                let path = pointer(&segs[r.segs.clone()]);
                self.push(code, code.default_severity(), path, message, c);
            }
        }
    }

    /// `date-of-birth-mismatch`: the subject of care's date of birth is not the one in the
    /// Person demographics record it references. A reference that does not resolve to a
    /// Person demographics record, or a date that is not a valid full date, is reported by
    /// its own rule and skipped here.
    fn check_date_of_birth_agreement(
        &mut self,
        views: &[RecordView<'_, '_>],
        uids: &FxHashMap<&str, usize>,
    ) {
        const DOB: &str = "date_of_birth";
        let Some(soc) = views
            .iter()
            .find(|r| r.class.technical_name == "subject_of_care")
        else {
            return;
        };
        let date = |r: &RecordView<'_, '_>| r.str(DOB).and_then(checks::parse_date);
        let Some(own) = date(soc) else { return };
        let Some(uid) = soc.str("person_demographics") else {
            return;
        };
        let Some(pd) = uids.get(uid).map(|&i| &views[i]) else {
            return;
        };
        if pd.class.technical_name != "person_demographics" {
            return;
        }
        let Some(theirs) = date(pd) else { return };
        if own == theirs {
            return;
        }
        let path = format!("{}/{DOB}", soc.path());
        let other = format!("{}/{DOB}", pd.path());
        let mut c = ctx(&[
            ("class", "subject_of_care".into()),
            ("element", DOB.into()),
            ("other", other.into()),
        ]);
        if self.opts.include_values {
            c.insert("value".into(), soc.str(DOB).unwrap_or_default().into());
            c.insert("other_value".into(), pd.str(DOB).unwrap_or_default().into());
        }
        let code = IssueCode::DateOfBirthMismatch;
        self.push(
            code,
            code.default_severity(),
            path,
            "the subject of care's date of birth is not the date of birth in the Person demographics record it references".into(),
            c,
        );
    }

    /// The dose rules of use case 3 (crate::dose_rules), over the records kept.
    fn check_doses(&mut self, views: &[RecordView<'_, '_>], uids: &FxHashMap<&str, usize>) {
        let Some(model) = self.model else { return };
        let findings = match self.doses.as_mut() {
            None => crate::dose_rules::check(model, views, uids),
            Some(kept) => {
                let f = crate::dose_rules::check_with(model, views, uids, Some(&mut kept.shared));
                kept.findings.clone_from(&f);
                kept.ran = true;
                f
            }
        };
        for f in findings {
            let severity = f.code.default_severity();
            self.push(f.code, severity, f.path, f.message, f.context);
        }
    }

    /// `plan-exceeds-funded-envelope` (super::envelope): each care plan against the
    /// services its `services` element names (the references the pass kept).
    fn check_envelopes(
        &mut self,
        views: &[RecordView<'_, '_>],
        uids: &FxHashMap<&str, usize>,
        refs: &[PendingRef<'_>],
        segs: &[Seg],
    ) {
        use super::envelope::{self, figure};
        let mut plans: Vec<(usize, envelope::Plan<'_>)> = Vec::new();
        for (i, r) in views.iter().enumerate() {
            if r.class.technical_name == "care_plan" {
                plans.push((
                    i,
                    envelope::Plan {
                        path: r.path(),
                        planned_hours: figure(r.number("planned_hours_per_week")),
                        weekly_cost: figure(r.number("weekly_cost")),
                        services: Vec::new(),
                    },
                ));
            }
        }
        if plans.is_empty() {
            return;
        }
        let mut seen: FxHashMap<(usize, usize), ()> = FxHashMap::default();
        for r in refs {
            let [Seg::Key("care_plan"), Seg::Index(plan_index), Seg::Key("services"), ..] =
                &segs[r.segs.clone()]
            else {
                continue;
            };
            let Some(&target) = uids.get(r.uid.as_ref()) else {
                continue;
            };
            let service = &views[target];
            if service.class.technical_name != "service" {
                continue;
            }
            let Some((plan_at, plan)) = plans
                .iter_mut()
                .find(|(i, _)| views[*i].at.index == Some(*plan_index))
            else {
                continue;
            };
            if seen.insert((*plan_at, target), ()).is_some() {
                continue;
            }
            plan.services.push(envelope::Service {
                path: service.path(),
                funded_hours: figure(service.number("funded_hours_per_week")),
                weekly_cost: figure(service.number("weekly_cost")),
            });
        }
        let include_values = self.opts.include_values;
        for (_, plan) in &plans {
            for f in envelope::check(plan, include_values) {
                let severity = f.code.default_severity();
                self.push(f.code, severity, f.path, f.message, f.context);
            }
        }
    }
}

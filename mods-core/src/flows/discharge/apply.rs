//! Applying the discharge to the record: adding, versioning and logging instances, and
//! keeping what the home changed after the admission (three-way against a base record, or
//! from the Change log).

use super::derive::Plan;
use super::{
    brought_classes, Action, Conflict, ConflictReason, DischargeError, DischargeOptions,
    MergeChange, Note, NoteKind,
};
use crate::checks::{self, Moment, PartialDate};
use crate::history::{change_log_entry, changed_elements, update_instance, ChangeMeta};
use crate::model;
use crate::types::{DateTime, FixedOffset};
use serde_json::{json, Map, Value};
use std::collections::BTreeSet;

/// A merge in progress.
pub(super) struct Merge<'a> {
    pub record: Map<String, Value>,
    pub base: Option<&'a Map<String, Value>>,
    pub soc: String,
    pub dis_uid: String,
    pub discharged: DateTime<FixedOffset>,
    pub admission_uid: Option<String>,
    /// Changes at home are looked for after this instant (the admission).
    since: DateTime<FixedOffset>,
    opts: &'a DischargeOptions,
    /// Uids the discharge brought that the record did not hold.
    new_uids: BTreeSet<String>,
    unknown_history: BTreeSet<String>,
    pub changes: Vec<MergeChange>,
    pub conflicts: Vec<Conflict>,
    pub notes: Vec<Note>,
}

fn seg(key: &str) -> String {
    let mut s = String::new();
    crate::parse::escape_segment(key, &mut s);
    s
}

fn uid_of(v: &Value) -> Option<&str> {
    v.get("record_uid").and_then(Value::as_str)
}

fn class_name(class: &str) -> &'static str {
    model::latest().class(class).map_or("Record", |c| c.name)
}

impl<'a> Merge<'a> {
    pub fn new(
        record: Map<String, Value>,
        base: Option<&'a Map<String, Value>>,
        soc: String,
        dis_uid: String,
        discharged: DateTime<FixedOffset>,
        opts: &'a DischargeOptions,
    ) -> Self {
        Merge {
            record,
            base,
            soc,
            dis_uid,
            discharged,
            admission_uid: None,
            since: discharged,
            opts,
            new_uids: BTreeSet::new(),
            unknown_history: BTreeSet::new(),
            changes: Vec::new(),
            conflicts: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// The text every Change log entry of this merge carries.
    fn marker(&self) -> String {
        format!("(discharge details {})", self.dis_uid)
    }

    /// Where an instance of a versioned record class is: class, index.
    fn find(&self, uid: &str) -> Option<(String, usize)> {
        for class in brought_classes() {
            if let Some(items) = self.record.get(class).and_then(Value::as_array) {
                if let Some(i) = items.iter().position(|v| uid_of(v) == Some(uid)) {
                    return Some((class.to_owned(), i));
                }
            }
        }
        None
    }

    fn instance(&self, class: &str, i: usize) -> Option<&Value> {
        self.record.get(class)?.as_array()?.get(i)
    }

    fn base_instance(&self, class: &str, uid: &str) -> Option<&'a Map<String, Value>> {
        self.base?
            .get(class)?
            .as_array()?
            .iter()
            .find(|v| uid_of(v) == Some(uid))?
            .as_object()
    }

    /// The Change log entries about `uid`.
    fn history(&self, uid: &str) -> Vec<&Map<String, Value>> {
        self.record
            .get("change_log")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_object)
            .filter(|e| e.get("record_uid").and_then(Value::as_str) == Some(uid))
            .collect()
    }

    fn ours(&self, entry: &Map<String, Value>) -> bool {
        entry
            .get("description")
            .and_then(Value::as_str)
            .is_some_and(|d| d.contains(&self.marker()))
    }

    /// Whether a Change log entry is dated after the admission (a date without a time:
    /// on the admission day or later; an unreadable date: yes).
    fn after_admission(&self, entry: &Map<String, Value>) -> bool {
        let date = entry.get("date").and_then(Value::as_str).unwrap_or("");
        match checks::parse_date_or_date_time(date) {
            Some(Moment::DateTime(t)) => t > self.since,
            Some(Moment::Date(PartialDate::Date(d))) => d >= self.since.date_naive(),
            _ => true,
        }
    }

    /// Whether an earlier merge of this discharge logged a change to `uid`.
    fn merged_before(&self, uid: &str) -> bool {
        self.history(uid).iter().any(|e| self.ours(e))
    }

    /// Whether `element` of the instance changed at home after the admission.
    fn changed_at_home(&mut self, class: &str, i: usize, element: &str) -> bool {
        let Some(cur) = self.instance(class, i).cloned() else {
            return false;
        };
        let uid = uid_of(&cur).unwrap_or_default().to_owned();
        if let Some(b) = self.base_instance(class, &uid) {
            return b.get(element) != cur.get(element);
        }
        let entries = self.history(&uid);
        if entries
            .iter()
            .any(|e| self.after_admission(e) && !self.ours(e))
        {
            return true;
        }
        if entries.is_empty() {
            if self.base.is_some() {
                // not in the record as it was at admission, and no history: added since
                return true;
            }
            if self.unknown_history.insert(uid.clone()) {
                self.notes.push(Note {
                    kind: NoteKind::HistoryUnknown,
                    path: Some(format!("/{}/{i}", seg(class))),
                    message: format!(
                        "the {} has no Change log entry and no base record was given: \
                         a change at home after the admission cannot be seen",
                        class_name(class)
                    ),
                });
            }
        }
        false
    }

    fn meta(&self, description: String) -> ChangeMeta {
        ChangeMeta {
            date_time: self.opts.date_time.clone(),
            system_identifier: self.opts.system_identifier.clone(),
            committer: self.opts.committer.clone(),
            change_type: None,
            description: Some(description),
        }
    }

    /// Append a Change log entry; gives its JSON pointer.
    fn log(&mut self, entry: Value) -> String {
        let log = self
            .record
            .entry("change_log")
            .or_insert_with(|| Value::Array(Vec::new()));
        if !log.is_array() {
            *log = Value::Array(Vec::new());
        }
        match log.as_array_mut() {
            Some(a) => {
                a.push(entry);
                format!("/change_log/{}", a.len() - 1)
            }
            None => String::new(),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn conflict(
        &mut self,
        reason: ConflictReason,
        class: &str,
        uid: &str,
        element: Option<&str>,
        path: String,
        message: String,
        values: Option<(Option<&Value>, Option<&Value>)>,
    ) {
        let (home, discharge) = match values {
            Some((h, d)) if self.opts.include_values => (h.cloned(), d.cloned()),
            _ => (None, None),
        };
        self.conflicts.push(Conflict {
            reason,
            class: class.to_owned(),
            record_uid: uid.to_owned(),
            element: element.map(str::to_owned),
            path,
            message,
            home,
            discharge,
        });
    }

    /// Add an instance with a creation entry in the Change log.
    fn create(&mut self, class: &str, instance: Value) -> Result<(), DischargeError> {
        let desc = format!("{} added from {}.", class_name(class), self.from());
        let entry = change_log_entry(class, None, Some(&instance), &self.meta(desc.clone()))?;
        let uid = uid_of(&instance).unwrap_or_default().to_owned();
        let version = instance
            .get("version_number")
            .and_then(Value::as_u64)
            .unwrap_or(1);
        let items = self
            .record
            .entry(class)
            .or_insert_with(|| Value::Array(Vec::new()));
        if !items.is_array() {
            *items = Value::Array(Vec::new());
        }
        let Some(items) = items.as_array_mut() else {
            return Ok(());
        };
        items.push(instance);
        let path = format!("/{}/{}", seg(class), items.len() - 1);
        let change_log = self.log(entry);
        self.changes.push(MergeChange {
            action: Action::Created,
            class: class.to_owned(),
            record_uid: uid,
            version_number: version,
            path,
            elements: Vec::new(),
            change_log,
            description: desc,
        });
        Ok(())
    }

    /// Replace instance `i` of `class` with `next` as its next version, logged.
    fn update(&mut self, class: &str, i: usize, next: Value) -> Result<(), DischargeError> {
        let Some(prev) = self.instance(class, i).cloned() else {
            return Ok(());
        };
        let Some(cls) = model::latest().class(class) else {
            return Ok(());
        };
        let names = changed_elements(cls, &prev, &next);
        let elements: Vec<String> = cls
            .elements
            .iter()
            .filter(|e| !matches!(e.technical_name, "record_uid" | "version_number"))
            .filter(|e| prev.get(e.technical_name) != next.get(e.technical_name))
            .map(|e| e.technical_name.to_owned())
            .collect();
        let desc = format!(
            "{} changed from {}: {}.",
            cls.name,
            self.from(),
            names.join(", ")
        );
        let (next, entry) = update_instance(class, &prev, &next, &self.meta(desc.clone()))?;
        let version = next
            .get("version_number")
            .and_then(Value::as_u64)
            .unwrap_or(0);
        let uid = uid_of(&next).unwrap_or_default().to_owned();
        if let Some(slot) = self
            .record
            .get_mut(class)
            .and_then(Value::as_array_mut)
            .and_then(|a| a.get_mut(i))
        {
            *slot = next;
        }
        let change_log = self.log(entry);
        self.changes.push(MergeChange {
            action: Action::Updated,
            class: class.to_owned(),
            record_uid: uid,
            version_number: version,
            path: format!("/{}/{i}", seg(class)),
            elements,
            change_log,
            description: desc,
        });
        Ok(())
    }

    fn from(&self) -> String {
        format!("the hospital discharge {}", self.marker())
    }

    /// Whether `uid` is a record this discharge added: now, or in an earlier merge (its
    /// Change log says so).
    pub fn added_by_discharge(&self, uid: &str) -> bool {
        self.new_uids.contains(uid) || self.merged_before(uid)
    }

    /// A uid for an instance the merge creates: `<discharge uid>-<suffix>`, unless another
    /// class already uses it.
    pub fn derived_uid(&self, class: &str, suffix: &str) -> String {
        let stem: String = self.dis_uid.chars().take(100).collect();
        let mut n = 1;
        loop {
            let uid = if n == 1 {
                format!("{stem}-{suffix}")
            } else {
                format!("{stem}-{suffix}-{n}")
            };
            match self.find(&uid) {
                Some((c, _)) if c != class => n += 1,
                _ => return uid,
            }
        }
    }

    /// Add what the discharge brought: the Discharge details and, from a discharge
    /// document, its records of every other class.
    pub fn bring(
        &mut self,
        dis: &Map<String, Value>,
        doc: &Map<String, Value>,
    ) -> Result<(), DischargeError> {
        // the admission the discharge closes
        let admission = dis.get("admission").and_then(Value::as_str);
        let admitted = admission.and_then(|a| {
            self.record
                .get("admission_details")?
                .as_array()?
                .iter()
                .find(|v| uid_of(v) == Some(a))?
                .get("admission_date_and_time")?
                .as_str()
                .and_then(checks::parse_date_time)
        });
        match (admission, admitted) {
            (Some(a), Some(t)) => {
                self.admission_uid = Some(a.to_owned());
                self.since = t;
            }
            _ => self.notes.push(Note {
                kind: NoteKind::AdmissionNotFound,
                path: None,
                message: "the Discharge details name no admission of the record with a valid \
                          date and time: changes at home are looked for after the discharge"
                    .into(),
            }),
        }
        let mut items: Vec<(&'static str, &Value)> = Vec::new();
        let dis_value = Value::Object(dis.clone());
        items.push(("discharge_details", &dis_value));
        for class in brought_classes().filter(|c| *c != "discharge_details") {
            for v in doc
                .get(class)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                items.push((class, v));
            }
        }
        for (class, v) in items {
            self.bring_one(class, v)?;
        }
        Ok(())
    }

    fn bring_one(&mut self, class: &'static str, v: &Value) -> Result<(), DischargeError> {
        // a record without a version number is in its first version here
        let mut owned;
        let mut v = v;
        if v.is_object() && v.get("version_number").is_none() {
            owned = v.clone();
            if let Some(o) = owned.as_object_mut() {
                o.insert("version_number".into(), json!(1));
            }
            v = &owned;
        }
        let versioned = v.get("version_number").and_then(Value::as_u64).is_some();
        let uid = uid_of(v).filter(|u| checks::is_uid(u) && versioned);
        let Some(uid) = uid.map(str::to_owned) else {
            self.notes.push(Note {
                kind: NoteKind::BroughtNotVersioned,
                path: Some(format!("/{}", seg(class))),
                message: format!(
                    "a {} the discharge brings has no valid record_uid or version_number: \
                     it is not added",
                    class_name(class)
                ),
            });
            return Ok(());
        };
        match self.find(&uid) {
            Some((c, i)) if c == class => {
                let Some(cur) = self.instance(&c, i).cloned() else {
                    return Ok(());
                };
                if &cur == v {
                    return Ok(());
                }
                let (a, b) = (cur.as_object(), v.as_object());
                let mut keys: Vec<String> = b.into_iter().flat_map(|m| m.keys().cloned()).collect();
                for k in a.into_iter().flat_map(|m| m.keys()) {
                    if !keys.contains(k) {
                        keys.push(k.clone());
                    }
                }
                for k in keys {
                    let (h, d) = (cur.get(&k), v.get(&k));
                    if h != d {
                        self.conflict(
                            ConflictReason::RecordDiffers,
                            class,
                            &uid,
                            Some(&k),
                            format!("/{}/{i}/{}", seg(class), seg(&k)),
                            format!(
                                "the {} the discharge brings says otherwise than the record's \
                                 (same record_uid): the record's is kept",
                                class_name(class)
                            ),
                            Some((h, d)),
                        );
                    }
                }
            }
            Some((c, i)) => self.conflict(
                ConflictReason::RecordDiffers,
                class,
                &uid,
                None,
                format!("/{}/{i}", seg(&c)),
                format!(
                    "the record_uid of a {} the discharge brings is used by a {} of the record: \
                     it is not added",
                    class_name(class),
                    class_name(&c)
                ),
                None,
            ),
            None if self.merged_before(&uid) => self.conflict(
                ConflictReason::RemovedAtHome,
                class,
                &uid,
                None,
                format!("/{}", seg(class)),
                format!(
                    "an earlier merge of this discharge added this {}, and it has been removed \
                     since: it is not added again",
                    class_name(class)
                ),
                None,
            ),
            None => {
                self.new_uids.insert(uid);
                self.create(class, v.clone())?;
            }
        }
        Ok(())
    }

    /// Make the changes of the plan, keeping what changed at home.
    pub fn apply(&mut self, plan: Plan) -> Result<(), DischargeError> {
        if plan.instances.is_empty() && plan.additions.is_empty() && plan.review_by.is_none() {
            self.notes.push(Note {
                kind: NoteKind::NothingToMerge,
                path: None,
                message: "the Discharge details ask for no extra support, medication change, \
                          follow-up or review: the care plan is not changed"
                    .into(),
            });
        }
        if plan.undated {
            self.notes.push(Note {
                kind: NoteKind::ExtraSupportUndated,
                path: None,
                message: "the extra support has no valid start or end date: the need and the \
                          service have no period, and the alert no end"
                    .into(),
            });
        }
        for (class, uid, elements) in plan.instances {
            self.upsert(class, &uid, elements)?;
        }
        if plan.additions.is_empty() && plan.review_by.is_none() {
            return Ok(());
        }
        let Some(i) = self.care_plan() else {
            return Ok(());
        };
        self.change_plan(i, plan.additions, plan.review_by)
    }

    /// Create an instance the merge derives, or bring an existing one up to date.
    fn upsert(
        &mut self,
        class: &'static str,
        uid: &str,
        elements: Map<String, Value>,
    ) -> Result<(), DischargeError> {
        match self.find(uid) {
            Some((c, i)) if c == class => {
                let Some(cur) = self.instance(class, i).cloned() else {
                    return Ok(());
                };
                let mut next = cur.clone();
                for (k, v) in &elements {
                    if cur.get(k) == Some(v) {
                        continue;
                    }
                    if self.changed_at_home(class, i, k) {
                        self.conflict(
                            ConflictReason::ChangedAtHome,
                            class,
                            uid,
                            Some(k),
                            format!("/{}/{i}/{}", seg(class), seg(k)),
                            format!(
                                "the {}'s {} changed at home after the admission: the home \
                                 value is kept",
                                class_name(class),
                                element_name(class, k)
                            ),
                            Some((cur.get(k), Some(v))),
                        );
                    } else if let Some(o) = next.as_object_mut() {
                        o.insert(k.clone(), v.clone());
                    }
                }
                if next != cur {
                    self.update(class, i, next)?;
                }
                Ok(())
            }
            Some(_) => Ok(()), // derived_uid never gives a uid of another class
            None if self.merged_before(uid) => {
                self.conflict(
                    ConflictReason::RemovedAtHome,
                    class,
                    uid,
                    None,
                    format!("/{}", seg(class)),
                    format!(
                        "an earlier merge of this discharge added this {}, and it has been \
                         removed since: it is not added again",
                        class_name(class)
                    ),
                    None,
                );
                Ok(())
            }
            None => {
                let mut instance = Map::new();
                instance.insert("record_uid".into(), json!(uid));
                instance.insert("version_number".into(), json!(1));
                instance.extend(elements);
                self.create(class, Value::Object(instance))
            }
        }
    }

    /// The person's active care plan (the one that started last when there are several).
    fn care_plan(&mut self) -> Option<usize> {
        let plans: Vec<(usize, String)> = self
            .record
            .get("care_plan")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
            .filter(|(_, p)| p.get("subject_of_care").and_then(Value::as_str) == Some(&self.soc))
            .filter(|(_, p)| {
                p.pointer("/plan_status/code").and_then(Value::as_str) == Some("active")
            })
            .map(|(i, p)| {
                let start = p
                    .get("plan_start_date")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_owned();
                (i, start)
            })
            .collect();
        if plans.len() > 1 {
            self.notes.push(Note {
                kind: NoteKind::SeveralCarePlans,
                path: Some("/care_plan".into()),
                message: "the person has several active care plans: the one that started last \
                          is changed"
                    .into(),
            });
        }
        let chosen = plans
            .iter()
            .rev()
            .max_by(|a, b| a.1.cmp(&b.1))
            .map(|(i, _)| *i);
        if chosen.is_none() {
            self.notes.push(Note {
                kind: NoteKind::NoCarePlan,
                path: None,
                message: "the record has no active care plan for the person: the care plan's \
                          additions and review are not made"
                    .into(),
            });
        }
        chosen
    }

    fn change_plan(
        &mut self,
        i: usize,
        additions: Vec<(&'static str, Value)>,
        review_by: Option<String>,
    ) -> Result<(), DischargeError> {
        const CLASS: &str = "care_plan";
        let Some(cur) = self.instance(CLASS, i).cloned() else {
            return Ok(());
        };
        let uid = uid_of(&cur).unwrap_or_default().to_owned();
        let merged_before = self.merged_before(&uid);
        let mut next = cur.clone();
        for (element, item) in additions {
            let has = |v: &Value| {
                v.get(element)
                    .and_then(Value::as_array)
                    .is_some_and(|a| a.contains(&item))
            };
            if has(&next) {
                continue;
            }
            if merged_before && self.changed_at_home(CLASS, i, element) {
                self.conflict(
                    ConflictReason::RemovedAtHome,
                    CLASS,
                    &uid,
                    Some(element),
                    format!("/{CLASS}/{i}/{}", seg(element)),
                    format!(
                        "an earlier merge of this discharge changed the care plan, and its {} \
                         changed at home since: an item missing from it is not added again",
                        element_name(CLASS, element)
                    ),
                    Some((cur.get(element), Some(&item))),
                );
                continue;
            }
            if let Some(o) = next.as_object_mut() {
                let slot = o.entry(element).or_insert_with(|| Value::Array(Vec::new()));
                if !slot.is_array() {
                    *slot = Value::Array(Vec::new());
                }
                if let Some(a) = slot.as_array_mut() {
                    a.push(item);
                }
            }
        }
        if let Some(by) = review_by {
            let current = cur
                .get("review_date")
                .and_then(Value::as_str)
                .and_then(checks::parse_date);
            let target = checks::parse_date(&by);
            let later = match (current, target) {
                (Some(c), Some(t)) => c > t,
                (None, Some(_)) => true,
                _ => false,
            };
            if later {
                if self.changed_at_home(CLASS, i, "review_date") {
                    let by = json!(by);
                    self.conflict(
                        ConflictReason::ChangedAtHome,
                        CLASS,
                        &uid,
                        Some("review_date"),
                        format!("/{CLASS}/{i}/review_date"),
                        "the care plan's review date changed at home after the admission: \
                         the home value is kept, though the discharge asks for an earlier review"
                            .into(),
                        Some((cur.get("review_date"), Some(&by))),
                    );
                } else if let Some(o) = next.as_object_mut() {
                    o.insert("review_date".into(), json!(by));
                }
            }
        }
        if next != cur {
            self.update(CLASS, i, next)?;
        }
        Ok(())
    }
}

fn element_name(class: &str, element: &str) -> &'static str {
    model::latest()
        .class(class)
        .and_then(|c| c.element(element))
        .map_or("element", |e| e.name)
}

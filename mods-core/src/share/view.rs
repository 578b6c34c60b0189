//! Making a view: the records a purpose (and a component) keeps, with no reference left
//! dangling, and the manifest of what was withheld.

use super::component::Component;
use super::consent::{self, ConsentRef, Effect};
use super::manifest::{ClassCount, Manifest, PurposeRef, Reason, Withheld};
use super::policy::{Policy, PolicyError};
use super::refs::strip;
use crate::issue::Report;
use crate::model::{self, ClassDef, ClassKind};
use crate::validate::{validate_record, ValidationOptions};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The member of `mods_extensions` that says a document is a view.
pub const HEADER_KEY: &str = "share";

/// What to share.
#[derive(Debug, Clone)]
///
/// New options may be added in any release: build the struct with `new` and its
/// `with_*` methods (see docs/releasing.md).
#[non_exhaustive]
pub struct ShareOptions<'a> {
    /// The purpose's policy: which classes and elements the recipient may see.
    pub policy: Option<&'a Policy>,
    /// The component to extract.
    pub component: Option<&'a Component>,
    /// The date taken as today: a consent given until an earlier date has lapsed.
    pub today: NaiveDate,
    /// Options of the validation of the view.
    pub validation: ValidationOptions,
}

impl<'a> ShareOptions<'a> {
    /// Share the whole record (no policy, no component) as of `today`, with the default
    /// validation options; the `with_*` methods set the rest.
    pub fn new(today: NaiveDate) -> Self {
        ShareOptions {
            policy: None,
            component: None,
            today,
            validation: ValidationOptions::default(),
        }
    }

    /// Set [`policy`](Self::policy) to `Some(policy)` (builder style; see the struct).
    #[must_use]
    pub fn with_policy(mut self, policy: &'a Policy) -> Self {
        self.policy = Some(policy);
        self
    }

    /// Set [`component`](Self::component) to `Some(component)` (builder style; see the
    /// struct).
    #[must_use]
    pub fn with_component(mut self, component: &'a Component) -> Self {
        self.component = Some(component);
        self
    }

    /// Set [`validation`](Self::validation) (builder style; see the struct).
    #[must_use]
    pub fn with_validation(mut self, validation: ValidationOptions) -> Self {
        self.validation = validation;
        self
    }
}

/// Why no view could be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShareError {
    /// Neither a policy nor a component was given.
    #[error("say what to share: a purpose (or a policy), a component, or both")]
    NothingAsked,
    /// The record is not a record document of a supported MODS version.
    #[error("the record cannot be read: {0}")]
    Record(&'static str),
    /// The policy cannot be applied to the record's MODS version.
    #[error(transparent)]
    Policy(#[from] PolicyError),
}

/// What a view says about itself, in `mods_extensions.share`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Header {
    /// The purpose's id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
    /// The component's id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub component: Option<String>,
    /// Whether anything of the record was withheld (the view is not the whole record).
    pub partial: bool,
}

/// A view and its manifest.
#[derive(Debug, Clone)]
pub struct View {
    /// The view: a MODS record document with `mods_extensions.share`.
    pub document: Value,
    /// What was kept and withheld.
    pub manifest: Manifest,
    /// The view's validation report.
    pub validation: Report,
}

/// One record of the input.
struct Inst<'d> {
    class: &'static ClassDef,
    key: &'d str,
    index: Option<usize>,
    value: Option<&'d Map<String, Value>>,
}

impl Inst<'_> {
    fn uid(&self) -> Option<&str> {
        if !self.class.versioned {
            return None;
        }
        self.value?.get("record_uid")?.as_str()
    }
}

/// Why one record is withheld.
#[derive(Clone)]
struct Why {
    reason: Reason,
    element: Option<String>,
    rule: Option<String>,
    consent: Option<ConsentRef>,
}

impl Why {
    fn new(reason: Reason) -> Why {
        Why {
            reason,
            element: None,
            rule: None,
            consent: None,
        }
    }
}

/// Make a view of a record: the component's records and what they name (when a component
/// is given), of the classes and elements the policy shares (when a policy is given), less
/// what the person's sharing consents withhold; every reference to a record not in the
/// view is removed (or, when the reference is required, its record is withheld too), and
/// Change log entries go with the records they audit. `docs/share.md` gives the rules.
pub fn share(record: &Value, opts: &ShareOptions<'_>) -> Result<View, ShareError> {
    if opts.policy.is_none() && opts.component.is_none() {
        return Err(ShareError::NothingAsked);
    }
    let doc = record
        .as_object()
        .ok_or(ShareError::Record("it is not a JSON object"))?;
    let model = doc
        .get("mods_version")
        .and_then(Value::as_str)
        .and_then(model::model)
        .ok_or(ShareError::Record(
            "it does not state a MODS version this library supports",
        ))?;
    if let Some(p) = opts.policy {
        p.check(model)?;
    }

    // the records, and the members that are not record collections
    let mut insts: Vec<Inst<'_>> = Vec::new();
    let mut members_withheld = Vec::new();
    for (key, v) in doc {
        if key == "mods_version" {
            continue;
        }
        let class = model.class(key).filter(|c| c.kind == ClassKind::Record);
        match (class, v) {
            (Some(class), Value::Object(m)) if key == "subject_of_care" => insts.push(Inst {
                class,
                key,
                index: None,
                value: Some(m),
            }),
            (Some(class), Value::Array(items)) if key != "subject_of_care" => {
                for (i, item) in items.iter().enumerate() {
                    insts.push(Inst {
                        class,
                        key,
                        index: Some(i),
                        value: item.as_object(),
                    });
                }
            }
            _ => members_withheld.push(key.clone()),
        }
    }
    if !insts.iter().any(|r| r.index.is_none()) {
        return Err(ShareError::Record("it has no subject of care"));
    }
    let by_uid: HashMap<&str, usize> = {
        let mut m = HashMap::new();
        for (i, r) in insts.iter().enumerate() {
            if let Some(u) = r.uid() {
                m.entry(u).or_insert(i);
            }
        }
        m
    };

    // each record as the policy lets it be seen, and the elements that took away
    let mut pruned: Vec<Option<Map<String, Value>>> = Vec::with_capacity(insts.len());
    let mut element_cuts: Vec<Vec<(String, Reason, Option<String>)>> = Vec::new();
    for r in &insts {
        let mut cuts = Vec::new();
        let value = r.value.map(|m| match opts.policy {
            None => m.clone(),
            Some(p) => {
                let Some(rule) = p.rule(r.class.technical_name) else {
                    return m.clone();
                };
                let rule_name = Some(format!("policy:{}#{}", p.id, rule.class));
                let mut out = Map::new();
                for (k, v) in m {
                    if r.class.element(k).is_none() {
                        cuts.push((k.clone(), Reason::UnknownElement, rule_name.clone()));
                    } else if !rule.allows(k) {
                        cuts.push((k.clone(), Reason::ElementNotInPolicy, rule_name.clone()));
                    } else {
                        out.insert(k.clone(), v.clone());
                    }
                }
                out
            }
        });
        pruned.push(value);
        element_cuts.push(cuts);
    }

    // the policy and the consents
    let mut why: Vec<Option<Why>> = vec![None; insts.len()];
    let consents: Vec<(usize, &Map<String, Value>)> = insts
        .iter()
        .filter(|r| r.class.technical_name == "consent")
        .filter_map(|r| Some((r.index?, r.value?)))
        .collect();
    let default_purposes = [super::policy::DEFAULT_CONSENT_PURPOSE.to_owned()];
    let purposes = opts
        .policy
        .map_or(&default_purposes[..], |p| &p.consent_purposes[..]);
    let decisions = consent::decisions(&consents, purposes, opts.today);
    for (i, r) in insts.iter().enumerate() {
        let class = r.class.technical_name;
        if r.value.is_none() {
            why[i] = Some(Why::new(Reason::NotARecord));
            continue;
        }
        if let Some(p) = opts.policy {
            if p.rule(class).is_none() {
                let named = p.withhold.iter().any(|w| w.class == class);
                why[i] = Some(Why {
                    rule: Some(if named {
                        format!("policy:{}#{class}", p.id)
                    } else {
                        format!("policy:{}", p.id)
                    }),
                    ..Why::new(Reason::NotInPolicy)
                });
                continue;
            }
        }
        if let Some(d) = consent::withholding(&decisions, class, r.uid()) {
            why[i] = Some(Why {
                consent: Some(d.consent.clone()),
                ..Why::new(match d.effect {
                    Effect::Withdrawn => Reason::ConsentWithdrawn,
                    Effect::Lapsed => Reason::ConsentLapsed,
                    _ => Reason::ConsentRefused,
                })
            });
        }
    }

    // the component: its records and, repeatedly, what they name
    if let Some(c) = opts.component {
        let in_component = |r: &Inst<'_>| {
            r.index.is_none() || c.classes.iter().any(|k| k == r.class.technical_name)
        };
        let mut reached: BTreeSet<usize> = (0..insts.len())
            .filter(|&i| why[i].is_none() && in_component(&insts[i]))
            .collect();
        let mut todo: Vec<usize> = reached.iter().copied().collect();
        while let Some(i) = todo.pop() {
            let Some(m) = &pruned[i] else { continue };
            let named = std::cell::RefCell::new(Vec::new());
            let mut copy = m.clone();
            let _ = strip(
                model,
                insts[i].class,
                &mut copy,
                &|u| {
                    named.borrow_mut().push(u.to_owned());
                    true
                },
                &mut Vec::new(),
            );
            for u in named.into_inner() {
                if let Some(&j) = by_uid.get(u.as_str()) {
                    if why[j].is_none() && reached.insert(j) {
                        todo.push(j);
                    }
                }
            }
        }
        for (i, r) in insts.iter().enumerate() {
            if !reached.contains(&i) && !in_component(r) {
                why[i] = Some(Why {
                    rule: Some(format!("component:{}", c.id)),
                    ..Why::new(Reason::NotInComponent)
                });
            }
        }
    }

    // what follows: records that must name a withheld record, history of withheld records
    loop {
        let kept: BTreeSet<&str> = insts
            .iter()
            .enumerate()
            .filter(|(i, _)| why[*i].is_none())
            .filter_map(|(_, r)| r.uid())
            .collect();
        let mut changed = false;
        for i in 0..insts.len() {
            if why[i].is_some() {
                continue;
            }
            let Some(m) = &pruned[i] else { continue };
            if insts[i].class.technical_name == "change_log" {
                let audited = m.get("record_uid").and_then(Value::as_str);
                if !audited.is_some_and(|u| kept.contains(u)) {
                    why[i] = Some(Why::new(Reason::AuditsWithheldRecord));
                    changed = true;
                    continue;
                }
            }
            let mut copy = m.clone();
            if let Err(element) = strip(
                model,
                insts[i].class,
                &mut copy,
                &|u| kept.contains(u),
                &mut Vec::new(),
            ) {
                why[i] = Some(Why {
                    element: Some(element.to_owned()),
                    ..Why::new(Reason::RequiresWithheldRecord)
                });
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }

    // the view, in the input's order
    let kept_uids: BTreeSet<String> = insts
        .iter()
        .enumerate()
        .filter(|(i, _)| why[*i].is_none())
        .filter_map(|(_, r)| r.uid().map(str::to_owned))
        .collect();
    let mut tally: BTreeMap<Withheld, usize> = BTreeMap::new();
    let entry = |class: &str, element: Option<String>, reason: Reason| Withheld {
        class: class.to_owned(),
        element,
        count: 0,
        reason,
        via: None,
        rule: None,
        consent: None,
    };
    let mut classes: BTreeMap<String, ClassCount> = BTreeMap::new();
    let mut out = Map::new();
    out.insert("mods_version".into(), doc["mods_version"].clone());
    for (i, r) in insts.iter().enumerate() {
        let class = r.class.technical_name;
        let count = classes.entry(class.to_owned()).or_default();
        count.input += 1;
        if let Some(w) = &why[i] {
            count.withheld += 1;
            let key = Withheld {
                via: w.element.clone(),
                rule: w.rule.clone(),
                consent: w.consent.clone(),
                ..entry(class, None, w.reason)
            };
            *tally.entry(key).or_default() += 1;
            continue;
        }
        count.kept += 1;
        let Some(mut m) = pruned[i].take() else {
            continue;
        };
        for (e, reason, rule) in &element_cuts[i] {
            let key = Withheld {
                rule: rule.clone(),
                ..entry(class, Some(e.clone()), *reason)
            };
            *tally.entry(key).or_default() += 1;
        }
        let mut removed = Vec::new();
        // cannot fail: the loop above withheld every record that would
        let _ = strip(
            model,
            r.class,
            &mut m,
            &|u| kept_uids.contains(u),
            &mut removed,
        );
        for e in removed {
            *tally
                .entry(entry(class, Some(e), Reason::ReferenceRemoved))
                .or_default() += 1;
        }
        match r.index {
            None => {
                out.insert(r.key.to_owned(), Value::Object(m));
            }
            Some(_) => {
                if let Value::Array(a) = out
                    .entry(r.key.to_owned())
                    .or_insert_with(|| Value::Array(Vec::new()))
                {
                    a.push(Value::Object(m));
                }
            }
        }
    }
    let withheld: Vec<Withheld> = tally
        .into_iter()
        .map(|(w, count)| Withheld { count, ..w })
        .collect();
    let header = Header {
        purpose: opts.policy.map(|p| p.id.clone()),
        component: opts.component.map(|c| c.id.clone()),
        partial: !withheld.is_empty() || !members_withheld.is_empty(),
    };
    let mut ext = Map::new();
    ext.insert(
        HEADER_KEY.into(),
        serde_json::to_value(&header).unwrap_or(Value::Null),
    );
    out.insert("mods_extensions".into(), Value::Object(ext));
    let document = Value::Object(out);
    let validation = validate_record(&document, &opts.validation);
    let manifest = Manifest {
        mods_version: model.mods_version.to_owned(),
        purpose: opts.policy.map(|p| PurposeRef {
            id: p.id.clone(),
            title: p.title.clone(),
            origin: p.origin,
        }),
        component: opts.component.map(|c| c.id.clone()),
        today: opts.today.format("%Y-%m-%d").to_string(),
        classes,
        withheld,
        members_withheld,
    };
    Ok(View {
        document,
        manifest,
        validation,
    })
}

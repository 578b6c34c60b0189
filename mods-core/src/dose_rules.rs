//! The dose rules of use case 3: a second dose of the same product inside the minimum
//! interval, and more than the maximum dose in any 24 hours, across every Medication
//! record of the document (a medicine recorded by the care provider and again by the
//! family is one medicine).
//!
//! What is compared (docs/validation.md, "Medication doses", says the same for users):
//! - a dose is a Medication administration whose status is `given` or `self-administered`,
//!   with a full `date` and a `time`; other administrations are not doses;
//! - two doses are of the same medicine when their codes are equal: the administration's
//!   own `medication_code` if it has one, else its Medication record's (code and system; a
//!   coding without a system is in the bound system, SNOMED CT). Doses under one Medication
//!   record are always of the same medicine, whatever codes their administrations carry
//!   (so "the same medicine" is the connected groups of these two relations);
//! - `date` and `time` are UK civil time (crate::uk_time). A clock time that is ambiguous
//!   or does not exist (the hours the clocks change) is read both ways, and the reading
//!   that brings two doses closer is used, so a pair too close is never missed.

use crate::checks;
use crate::issue::IssueCode;
use crate::model::{Lookup, Model};
use crate::uk_time::{self, Kind};
use crate::validate::records::{Member, RecordView};
use chrono::NaiveDateTime;
use rustc_hash::{FxHashMap, FxHashSet};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, VecDeque};

/// A warning found by the dose rules, at the later dose.
#[derive(Clone, Debug)]
pub(crate) struct Finding {
    /// The record index of the dose the issue is about (document order).
    pub order: usize,
    pub code: IssueCode,
    pub path: String,
    pub message: String,
    pub context: Map<String, Value>,
}

/// One medicine as the dose rules see it (a group of [`same_medicine`]) whose doses are
/// under more than one Medication record: its doses, in clock order. Collected only when a
/// caller asks (the medication administration record view, crate::flows::mar);
/// validation reports such a medicine only through the two rules.
#[derive(Clone, Debug)]
pub(crate) struct SharedMedicine {
    /// Each dose's pointer and the uid of the Medication record it names.
    pub doses: Vec<(String, String)>,
}

/// A unit of measure (system, code), or none recorded.
type Unit<'a> = Option<(&'a str, &'a str)>;

struct Dose<'a> {
    /// Index in the document's records, for document order.
    order: usize,
    path: &'a str,
    /// The Medication record uid the administration names.
    record: &'a str,
    /// That Medication record's pointer, when it resolves to a Medication.
    record_path: Option<&'a str>,
    /// The product code (system, code), when one is found.
    product: Option<(&'a str, &'a str)>,
    /// The clock time as written; doses are put in this order.
    local: NaiveDateTime,
    earliest: i64,
    latest: i64,
    uncertain: bool,
    /// Minimum interval (hours) in force: the administration's, else its Medication's.
    interval: Option<f64>,
    /// Amount and unit: `dose_given` (unit: the administration's, else the Medication's),
    /// else the Medication's `dose_quantity` in its `dose_unit`.
    amount: Option<(f64, Unit<'a>)>,
}

/// Run both dose rules over the registered records of a document.
pub(crate) fn check(
    model: &Model,
    records: &[RecordView<'_, '_>],
    uids: &FxHashMap<&str, usize>,
) -> Vec<Finding> {
    check_with(model, records, uids, None)
}

/// [`check`], and, when `shared` is given, every medicine whose doses are under more than
/// one Medication record pushed onto it (what validation reports only as a clause of the
/// minimum-interval message, for a view that lists it on its own).
pub(crate) fn check_with(
    model: &Model,
    records: &[RecordView<'_, '_>],
    uids: &FxHashMap<&str, usize>,
    mut shared: Option<&mut Vec<SharedMedicine>>,
) -> Vec<Finding> {
    let (Some(admin_class), Some(med_class)) = (
        model.class("medication_administration"),
        model.class("medication"),
    ) else {
        return Vec::new();
    };
    let bound = |class: &crate::model::ClassDef, element: &str| -> &'static str {
        match class.element(element).map(|e| &e.lookup) {
            Some(Lookup::External { system, .. }) => system,
            _ => "",
        }
    };
    let (admin_code_system, med_code_system) = (
        bound(admin_class, "medication_code"),
        bound(med_class, "medication_code"),
    );
    let (admin_unit_system, med_unit_system) = (
        bound(admin_class, "dose_unit"),
        bound(med_class, "dose_unit"),
    );

    let mut doses: Vec<Dose<'_>> = Vec::new();
    for (order, r) in records.iter().enumerate() {
        if r.class.technical_name != "medication_administration" {
            continue;
        }
        let o = r;
        let given = o
            .coding("administration_status")
            .and_then(|s| s.code.as_str())
            .is_some_and(is_dose_status);
        let (Some(record), Some(date), Some(time)) = (
            o.str("medication"),
            o.str("date").and_then(checks::parse_date),
            o.str("time").and_then(checks::parse_time),
        ) else {
            continue;
        };
        if !given {
            continue;
        }
        let med = medication(records, uids, record);
        let product = coding(o, "medication_code", admin_code_system)
            .or_else(|| med.and_then(|m| coding(m, "medication_code", med_code_system)));
        let local = date.and_time(time);
        let reading = uk_time::to_utc(local);
        let interval = positive(o.number("minimum_interval"))
            .or_else(|| med.and_then(|m| positive(m.number("minimum_interval"))));
        let med_unit = med.and_then(|m| coding(m, "dose_unit", med_unit_system));
        let amount = match amount(o.number("dose_given")) {
            Some(a) => Some((a, coding(o, "dose_unit", admin_unit_system).or(med_unit))),
            None => med
                .and_then(|m| amount(m.number("dose_quantity")))
                .map(|a| (a, med_unit)),
        };
        doses.push(Dose {
            order,
            path: r.path(),
            record,
            record_path: med.map(|m| m.path()),
            product,
            local,
            earliest: reading.earliest,
            latest: reading.latest,
            uncertain: reading.kind != Kind::Unique,
            interval,
            amount,
        });
    }
    // Medication records stating a maximum, by product code
    let mut limited: FxHashMap<(&str, &str), Vec<usize>> = FxHashMap::default();
    for (i, m) in records.iter().enumerate() {
        if m.class.technical_name == "medication"
            && positive(m.number("maximum_dose_per_24_hours")).is_some()
        {
            if let Some(p) = coding(m, "medication_code", med_code_system) {
                limited.entry(p).or_default().push(i);
            }
        }
    }
    let mut found = Vec::new();
    for mut group in same_medicine(doses) {
        group.sort_by_key(|d| (d.local, d.order));
        if let Some(out) = shared.as_deref_mut() {
            if group.iter().any(|d| d.record != group[0].record) {
                out.push(SharedMedicine {
                    doses: group
                        .iter()
                        .map(|d| (d.path.to_owned(), d.record.to_owned()))
                        .collect(),
                });
            }
        }
        intervals(&group, &mut found);
        maximum(&group, records, uids, &limited, med_unit_system, &mut found);
    }
    found.sort_by_key(|f| (f.order, f.code));
    found
}

/// Whether an administration with this `administration_status` code is a dose (the rules
/// count only doses).
pub(crate) fn is_dose_status(code: &str) -> bool {
    code == "given" || code == "self-administered"
}

/// The Medication record a uid names, if it is one.
fn medication<'r, 'a>(
    records: &'r [RecordView<'a, 'a>],
    uids: &FxHashMap<&str, usize>,
    uid: &str,
) -> Option<&'r RecordView<'a, 'a>> {
    uids.get(uid)
        .map(|&i| &records[i])
        .filter(|m| m.class.technical_name == "medication")
}

/// Split doses into groups of the same medicine: doses with the same product code, or
/// under the same Medication record, are in one group (and so, transitively, are the
/// doses linked to them). Groups come in the order of their first dose.
fn same_medicine(doses: Vec<Dose<'_>>) -> Vec<Vec<Dose<'_>>> {
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut parent: Vec<usize> = (0..doses.len()).collect();
    let mut by_code: FxHashMap<(&str, &str), usize> = FxHashMap::default();
    let mut by_record: FxHashMap<&str, usize> = FxHashMap::default();
    for (i, d) in doses.iter().enumerate() {
        let mut join = |first: usize| {
            let (a, b) = (root(&mut parent, first), root(&mut parent, i));
            parent[a.max(b)] = a.min(b);
        };
        if let Some(p) = d.product {
            join(*by_code.entry(p).or_insert(i));
        }
        join(*by_record.entry(d.record).or_insert(i));
    }
    let mut slot: FxHashMap<usize, usize> = FxHashMap::default();
    let mut groups: Vec<Vec<Dose<'_>>> = Vec::new();
    for (i, d) in doses.into_iter().enumerate() {
        let r = root(&mut parent, i);
        let g = *slot.entry(r).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[g].push(d);
    }
    groups
}

/// The (system, code) of the coding element `name`; a missing system is the bound one.
fn coding<'a>(
    r: &'a RecordView<'_, '_>,
    name: &str,
    bound: &'static str,
) -> Option<(&'a str, &'a str)> {
    let c = r.coding(name)?;
    let code = c.code.as_str().filter(|c| !c.trim().is_empty())?;
    let system = match &c.system {
        Member::Absent => bound,
        Member::Str(s) => s,
        Member::Other => return None,
    };
    Some((system, code))
}

fn positive(v: Option<f64>) -> Option<f64> {
    v.filter(|h| h.is_finite() && *h > 0.0)
}

fn amount(v: Option<f64>) -> Option<f64> {
    v.filter(|a| a.is_finite() && *a >= 0.0)
}

/// The shortest gap, in hours, between `a` and `b`, `b` the later clock time. (The latest
/// reading of a clock time never decreases as the clock time increases, so the shortest
/// gap is from the latest reading of `a` to the earliest of `b`; it is zero when the
/// readings overlap, as they can in the hour the clocks change.)
fn gap_hours(a: &Dose<'_>, b: &Dose<'_>) -> f64 {
    (b.earliest - a.latest).max(0) as f64 / 3600.0
}

/// The minimum interval for a pair, `b` the later: under one Medication record, the later
/// dose's (what was in force when it was given); across two records, the larger of the
/// two, so that a record that states none, or a shorter one, does not hide the other.
fn pair_interval(a: &Dose<'_>, b: &Dose<'_>) -> Option<f64> {
    if a.record == b.record {
        b.interval
    } else {
        match (a.interval, b.interval) {
            (Some(x), Some(y)) => Some(x.max(y)),
            (x, y) => x.or(y),
        }
    }
}

fn round(x: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    let r = (x * f).round() / f;
    if r.is_finite() {
        r
    } else {
        x
    }
}

/// Each dose closer to an earlier dose of the same product than the pair's minimum
/// interval: one warning, at the later dose. Linear after sorting: an earlier dose under
/// any record is too close if the nearest one is (its interval is at least the later
/// dose's), and one under another record if its own interval reaches past this dose, so
/// only the nearest dose and the two furthest-reaching records need looking at.
fn intervals(doses: &[Dose<'_>], found: &mut Vec<Finding>) {
    struct Reach<'r> {
        until: f64,
        record: &'r str,
        index: usize,
    }
    let mut nearest: Option<usize> = None;
    let mut best: Option<Reach<'_>> = None;
    let mut second: Option<Reach<'_>> = None;
    for (j, d) in doses.iter().enumerate() {
        let mut hit = nearest.and_then(|p| {
            let h = pair_interval(&doses[p], d)?;
            let gap = gap_hours(&doses[p], d);
            (gap < h).then_some((p, h, gap))
        });
        if hit.is_none() {
            let other = match &best {
                Some(b) if b.record != d.record => Some(b),
                _ => second.as_ref(),
            };
            if let Some(r) = other.filter(|r| (d.earliest as f64) < r.until) {
                let p = r.index;
                let h = pair_interval(&doses[p], d).unwrap_or(0.0);
                hit = Some((p, h, gap_hours(&doses[p], d)));
            }
        }
        if let Some((p, hours, gap)) = hit {
            let prev = &doses[p];
            let mut c = Map::new();
            c.insert("previous".into(), prev.path.into());
            c.insert("minimum_interval_hours".into(), hours.into());
            c.insert("interval_hours".into(), round(gap, 1).into());
            // The figures are the person's medication history: they go in the context (which
            // callers treat as data), never in the message.
            let mut message = String::from(
                "this dose was given sooner after the previous dose of the same medicine than its minimum interval allows (context: interval_hours, minimum_interval_hours)",
            );
            if prev.record != d.record {
                if let Some(pm) = prev.record_path {
                    c.insert("previous_medication".into(), pm.into());
                }
                message.push_str(
                    "; the two doses are of one product, recorded under two Medication records",
                );
            }
            if prev.uncertain || d.uncertain {
                c.insert("time_uncertain".into(), true.into());
            }
            found.push(Finding {
                order: d.order,
                code: IssueCode::DoseWithinMinimumInterval,
                path: d.path.to_owned(),
                message,
                context: c,
            });
        }
        if nearest.is_none_or(|p| d.latest >= doses[p].latest) {
            nearest = Some(j);
        }
        if let Some(h) = d.interval {
            let r = Reach {
                until: d.latest as f64 + h * 3600.0,
                record: d.record,
                index: j,
            };
            match &best {
                Some(b) if b.record == r.record => {
                    if r.until > b.until {
                        best = Some(r);
                    }
                }
                Some(b) if r.until > b.until => second = best.replace(r),
                Some(_) => {
                    if second.as_ref().is_none_or(|s| r.until > s.until) {
                        second = Some(r);
                    }
                }
                None => best = Some(r),
            }
        }
    }
}

/// More than a Medication record's `maximum_dose_per_24_hours` given in any 24 hours
/// (a rolling window over the doses of the product, under every Medication record). The
/// maximum is in that record's `dose_unit`; doses in another unit, or of unknown amount,
/// are not added (they are counted in `not_summed`). The maxima are those of the Medication
/// records the doses are under and of any other Medication record with one of the doses'
/// codes; when several state a maximum in one unit, the smallest applies. One warning at
/// each dose that brings the total of the 24 hours up to it over the maximum.
fn maximum<'a>(
    doses: &[Dose<'a>],
    records: &'a [RecordView<'a, 'a>],
    uids: &FxHashMap<&str, usize>,
    limited: &FxHashMap<(&str, &str), Vec<usize>>,
    unit_system: &'static str,
    found: &mut Vec<Finding>,
) {
    const DAY: i64 = 24 * 3600;
    // the Medication records of the medicine: those the doses are under, and any other
    // with one of the doses' product codes
    let mut meds: FxHashSet<usize> = FxHashSet::default();
    let mut products: FxHashSet<(&str, &str)> = FxHashSet::default();
    for d in doses {
        if let Some(&i) = uids.get(d.record) {
            meds.insert(i);
        }
        if let Some(p) = d.product.filter(|&p| products.insert(p)) {
            meds.extend(limited.get(&p).into_iter().flatten());
        }
    }
    let mut meds: Vec<usize> = meds.into_iter().collect();
    meds.sort_unstable();
    // the limits: per unit, the smallest maximum and the Medication record stating it
    let mut limits: BTreeMap<Unit<'a>, (f64, &'a str)> = BTreeMap::new();
    for m in meds.into_iter().map(|i| &records[i]) {
        if m.class.technical_name != "medication" {
            continue;
        }
        let Some(max) = positive(m.number("maximum_dose_per_24_hours")) else {
            continue;
        };
        let unit = coding(m, "dose_unit", unit_system);
        let e = limits.entry(unit).or_insert((max, m.path()));
        if max < e.0 {
            *e = (max, m.path());
        }
    }
    if limits.is_empty() {
        return;
    }
    let clock: Vec<NaiveDateTime> = doses.iter().map(|d| d.local).collect();
    for (unit, (max, limit_path)) in limits {
        let counted: Vec<(&Dose<'a>, f64)> = doses
            .iter()
            .filter_map(|d| match d.amount {
                Some((a, u)) if u == unit => Some((d, a)),
                _ => None,
            })
            .collect();
        // running totals of the amounts, and of the doses whose time is uncertain
        let mut prefix = vec![(0.0, 0usize)];
        for (d, a) in &counted {
            let (t, u) = prefix[prefix.len() - 1];
            prefix.push((t + a, u + usize::from(d.uncertain)));
        }
        // The window counted[i..=j]: doses that can all lie within 24 hours, i.e. the
        // latest earliest reading is less than 24 hours after the earliest latest reading
        // (the latest readings rise with the clock time, so that is the first dose's).
        let mut i = 0;
        let mut highs: VecDeque<usize> = VecDeque::new();
        for (j, (d, _)) in counted.iter().enumerate() {
            while highs
                .back()
                .is_some_and(|&k| counted[k].0.earliest <= d.earliest)
            {
                highs.pop_back();
            }
            highs.push_back(j);
            while let Some(&k) = highs.front() {
                if counted[k].0.earliest - counted[i].0.latest < DAY {
                    break;
                }
                i += 1;
                if k < i {
                    highs.pop_front();
                }
            }
            let total = prefix[j + 1].0 - prefix[i].0;
            if total <= max + 1e-9 * max.max(1.0) {
                continue;
            }
            let first = counted[i].0;
            let in_range = clock.partition_point(|&t| t <= d.local)
                - clock.partition_point(|&t| t < first.local);
            let counted_in_range = counted.partition_point(|(c, _)| c.local <= d.local)
                - counted.partition_point(|(c, _)| c.local < first.local);
            let mut c = Map::new();
            c.insert("window_start".into(), first.path.into());
            c.insert("window_end".into(), d.path.into());
            c.insert("total".into(), round(total, 6).into());
            c.insert("maximum".into(), max.into());
            c.insert("doses".into(), (j + 1 - i).into());
            c.insert("maximum_from".into(), limit_path.into());
            let not_summed = in_range.saturating_sub(counted_in_range);
            if not_summed > 0 {
                c.insert("not_summed".into(), not_summed.into());
            }
            if prefix[j + 1].1 > prefix[i].1 {
                c.insert("time_uncertain".into(), true.into());
            }
            found.push(Finding {
                order: d.order,
                code: IssueCode::MaximumDosePer24HoursExceeded,
                path: d.path.to_owned(),
                // the figures are in the context only, as for the minimum interval
                message: "with this dose, more of the medicine was given in 24 hours than its maximum per 24 hours (context: total, maximum, in the dose unit of the Medication record)".to_owned(),
                context: c,
            });
        }
    }
}

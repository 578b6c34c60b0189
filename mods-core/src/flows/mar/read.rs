//! Building the view from the record document: the doses, the references resolved, the
//! warnings placed.

use super::resolve::{
    actor, coded, index, medicine, number, person_name, resolve, text, Found, Unresolved,
};
use super::{Dose, MarOptions, MarView, MarWarning, MarWarningCode, Period, Person};
use crate::checks;
use crate::issue::Report;
use crate::model::Model;
use crate::uk_time;
use crate::validate::Doses;
use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use rustc_hash::{FxHashMap, FxHashSet};
use serde_json::{Map, Value};

const ADMIN: &str = "medication_administration";
const DAY: i64 = 24 * 3600;

/// Where an administration falls.
#[derive(PartialEq)]
enum Place {
    InPeriod,
    Earlier,
    Elsewhere,
}

struct Admin<'a> {
    index: usize,
    value: &'a Value,
    date: Option<NaiveDate>,
    time: Option<NaiveTime>,
    place: Place,
}

pub(super) fn build(
    model: &'static Model,
    doc: &Value,
    opts: &MarOptions,
    validation: Report,
    doses: Doses,
) -> MarView {
    let uids = index(model, doc);
    let soc = doc.get("subject_of_care").filter(|s| s.is_object());
    let person = soc
        .map(|s| Person {
            record_uid: text(s, "record_uid"),
            name: person_name(s),
            nhs_number: text(s, "nhs_number"),
            date_of_birth: text(s, "date_of_birth"),
        })
        .unwrap_or_default();
    let start = uk_time::to_utc(opts.from.and_time(NaiveTime::MIN)).earliest;
    let look_back = start - DAY;
    let period = Period {
        from: opts.from.to_string(),
        to: opts.to.to_string(),
        look_back_from: local_clock(opts.from, look_back),
    };

    let mut warnings: Vec<(Option<usize>, MarWarning)> = Vec::new();
    let has_class = model.class(ADMIN).is_some();
    if !has_class {
        warnings.push((
            None,
            MarWarning {
                code: MarWarningCode::NoAdministrationClass,
                dose: None,
                message: "this MODS version has no Medication administration class; migrate the record to a later version to see its doses".into(),
                context: Map::new(),
            },
        ));
    }

    // the administrations, placed in time
    let items: &[Value] = match doc.get(ADMIN) {
        Some(Value::Array(a)) if has_class => a,
        _ => &[],
    };
    let mut admins: Vec<Admin<'_>> = Vec::new();
    for (index, value) in items.iter().enumerate() {
        if !value.is_object() {
            continue;
        }
        let date = value
            .get("date")
            .and_then(Value::as_str)
            .and_then(checks::parse_date);
        let time = value
            .get("time")
            .and_then(Value::as_str)
            .and_then(checks::parse_time);
        let place = match (date, time) {
            (Some(d), _) if d >= opts.from && d <= opts.to => Place::InPeriod,
            (Some(d), Some(t)) if d < opts.from => {
                if uk_time::to_utc(d.and_time(t)).latest >= look_back {
                    Place::Earlier
                } else {
                    Place::Elsewhere
                }
            }
            _ => Place::Elsewhere,
        };
        if date.is_none() {
            let mut c = Map::new();
            c.insert("administration".into(), pointer(index).into());
            warnings.push((
                None,
                MarWarning {
                    code: MarWarningCode::AdministrationDateMissing,
                    dose: None,
                    message: "this administration has no valid date, so it is in no day's view and the dose rules do not count it".into(),
                    context: c,
                },
            ));
        }
        admins.push(Admin {
            index,
            value,
            date,
            time,
            place,
        });
    }
    let in_period: FxHashSet<String> = admins
        .iter()
        .filter(|a| a.place == Place::InPeriod)
        .map(|a| pointer(a.index))
        .collect();

    // the dose rules' findings at the period's doses, and the earlier doses they point to
    let mut pointed: FxHashSet<String> = FxHashSet::default();
    for f in doses.findings {
        let Some(code) = MarWarningCode::of_issue(f.code) else {
            continue;
        };
        if !in_period.contains(&f.path) {
            continue;
        }
        for key in ["previous", "window_start"] {
            if let Some(p) = f.context.get(key).and_then(Value::as_str) {
                pointed.insert(p.to_owned());
            }
        }
        warnings.push((
            None,
            MarWarning {
                code,
                dose: Some(f.path),
                message: f.message,
                context: f.context,
            },
        ));
    }
    for a in &mut admins {
        if a.place == Place::Elsewhere && a.date.is_some() && pointed.contains(&pointer(a.index)) {
            a.place = Place::Earlier;
        }
    }
    // one medicine under two or more Medication records, among the doses shown
    let shown_at: FxHashSet<String> = admins
        .iter()
        .filter(|a| a.place != Place::Elsewhere)
        .map(|a| pointer(a.index))
        .collect();
    for shared in doses.shared {
        let seen: Vec<&(String, String)> = shared
            .doses
            .iter()
            .filter(|(d, _)| shown_at.contains(d))
            .collect();
        if !seen.iter().any(|(d, _)| in_period.contains(d)) {
            continue;
        }
        let mut distinct: FxHashSet<&str> = FxHashSet::default();
        let records: Vec<&str> = seen
            .iter()
            .map(|(_, r)| r.as_str())
            .filter(|r| distinct.insert(r))
            .collect();
        if records.len() < 2 {
            continue;
        }
        let mut c = Map::new();
        let meds: Vec<Value> = records
            .iter()
            .map(|uid| match uids.get(uid) {
                Some(f) => f.pointer.clone().into(),
                None => Value::Null,
            })
            .collect();
        c.insert("medications".into(), meds.into());
        let at: Vec<Value> = seen.iter().map(|(d, _)| Value::from(d.as_str())).collect();
        c.insert("doses".into(), at.into());
        warnings.push((
            None,
            MarWarning {
                code: MarWarningCode::MedicineUnderTwoRecords,
                dose: None,
                message: "one medicine (the same product code) has doses recorded under two or more Medication records; the dose rules count them together (context: medications, doses)".into(),
                context: c,
            },
        ));
    }

    // the doses
    let mut shown: Vec<(bool, OrderKey, Dose)> = Vec::new();
    for a in &admins {
        if a.place == Place::Elsewhere {
            continue;
        }
        let current = a.place == Place::InPeriod;
        let (dose, found) = dose(model, &uids, a);
        if current {
            for w in found {
                warnings.push((None, w));
            }
        }
        shown.push((current, (a.date, a.time.is_none(), a.time, a.index), dose));
    }
    shown.sort_by_key(|(_, key, _)| *key);
    let (current, earlier): (Vec<_>, Vec<_>) = shown.into_iter().partition(|(c, ..)| *c);
    let earlier: Vec<Dose> = earlier.into_iter().map(|(.., d)| d).collect();
    let mut current: Vec<Dose> = current.into_iter().map(|(.., d)| d).collect();

    // the warnings in the order of their doses
    let position: FxHashMap<String, usize> = current
        .iter()
        .enumerate()
        .map(|(i, d)| (d.pointer.clone(), i))
        .collect();
    for (at, w) in &mut warnings {
        *at = w.dose.as_ref().and_then(|p| position.get(p)).copied();
    }
    // stable: the dose rules' findings at one dose keep their order
    warnings.sort_by_key(|(at, w)| (at.unwrap_or(usize::MAX), w.code));
    let warnings: Vec<MarWarning> = warnings
        .into_iter()
        .enumerate()
        .map(|(i, (at, w))| {
            if let Some(p) = at {
                current[p].warnings.push(i);
            }
            w
        })
        .collect();
    let doses = current;
    MarView {
        mods_version: model.mods_version.to_owned(),
        person,
        period,
        doses,
        earlier_doses: earlier,
        warnings,
        validation,
    }
}

fn pointer(index: usize) -> String {
    format!("/{ADMIN}/{index}")
}

/// Clock order: date, then time (doses without a time last in their day), then place in
/// the document.
type OrderKey = (Option<NaiveDate>, bool, Option<NaiveTime>, usize);

/// The UK clock time of the instant `at` (24 hours before midnight at the start of `from`).
fn local_clock(from: NaiveDate, at: i64) -> String {
    let base = from.pred_opt().unwrap_or(from).and_time(NaiveTime::MIN);
    let candidates = [
        Some(base),
        base.checked_sub_signed(Duration::hours(1)),
        base.checked_add_signed(Duration::hours(1)),
    ];
    let local: NaiveDateTime = candidates
        .into_iter()
        .flatten()
        .find(|l| uk_time::to_utc(*l).earliest == at)
        .unwrap_or(base);
    local.format("%Y-%m-%dT%H:%M").to_string()
}

/// One administration as a dose of the view, with the warnings about it alone.
fn dose(
    model: &Model,
    uids: &FxHashMap<&str, Found<'_>>,
    a: &Admin<'_>,
) -> (Dose, Vec<MarWarning>) {
    let v = a.value;
    let at = pointer(a.index);
    let mut warnings = Vec::new();
    let mut unresolved = |element: &str, why: Unresolved| {
        let mut c = Map::new();
        c.insert("element".into(), element.into());
        let (reason, message) = match why {
            Unresolved::Missing => (
                "missing",
                format!("{element} is missing or not a record uid"),
            ),
            Unresolved::NotInRecord => (
                "not-in-record",
                format!("{element} names a record that is not in this document"),
            ),
            Unresolved::WrongClass(found) => {
                c.insert("found_class".into(), found.into());
                (
                    "wrong-class",
                    format!("{element} names a record of a class it cannot name"),
                )
            }
        };
        c.insert("reason".into(), reason.into());
        warnings.push(MarWarning {
            code: MarWarningCode::UnresolvedReference,
            dose: Some(at.clone()),
            message,
            context: c,
        });
    };
    let med = match resolve(model, uids, v, "medication") {
        Ok(m) => m.map(|(f, uid)| medicine(model, f, &uid)),
        Err(why) => {
            unresolved("medication", why);
            None
        }
    };
    let mut person = |element: &str| match resolve(model, uids, v, element) {
        Ok(p) => p.map(|(f, uid)| actor(model, f, &uid)),
        Err(why) => {
            unresolved(element, why);
            None
        }
    };
    let given_by = person("administered_by");
    let witnessed_by = person("witnessed_by");

    let status = coded(model, ADMIN, v, "administration_status");
    let counts_as_dose = status
        .as_ref()
        .and_then(|s| s.code.as_deref())
        .is_some_and(crate::dose_rules::is_dose_status);
    let has_medication = v.get("medication").and_then(Value::as_str).is_some();
    let counted = counts_as_dose && a.date.is_some() && a.time.is_some() && has_medication;
    if counts_as_dose && a.date.is_some() && a.time.is_none() {
        warnings.push(MarWarning {
            code: MarWarningCode::DoseTimeMissing,
            dose: Some(at.clone()),
            message: "this dose has no valid time, so the dose rules cannot check it against the other doses".into(),
            context: Map::new(),
        });
    }
    let source = coded(model, ADMIN, v, "information_source");
    let reliability = coded(model, ADMIN, v, "report_reliability");
    if source.as_ref().and_then(|s| s.code.as_deref()) == Some("reported-by-subject-of-care") {
        let mut c = Map::new();
        c.insert(
            "report_reliability".into(),
            reliability
                .as_ref()
                .and_then(|r| r.code.clone())
                .map_or(Value::Null, Value::from),
        );
        c.insert("counted".into(), counted.into());
        warnings.push(MarWarning {
            code: MarWarningCode::DoseReportedNotRecorded,
            dose: Some(at.clone()),
            message: "this dose is known only from the person's own report: nobody who gave or saw it recorded it (context: report_reliability)".into(),
            context: c,
        });
    }
    let unit = coded(model, ADMIN, v, "dose_unit")
        .or_else(|| med.as_ref().and_then(|m| m.dose_unit.clone()));
    let route = coded(model, ADMIN, v, "route").or_else(|| {
        let (f, _) = resolve(model, uids, v, "medication").ok().flatten()?;
        coded(model, "medication", f.value, "route")
    });
    let dose = Dose {
        pointer: at,
        record_uid: text(v, "record_uid"),
        date: text(v, "date"),
        time: text(v, "time"),
        status,
        counted,
        medicine: med,
        product: coded(model, ADMIN, v, "medication_code"),
        amount: number(v, "dose_given"),
        unit,
        route,
        given_by,
        given_by_role: coded(model, ADMIN, v, "administered_by_role"),
        witnessed_by,
        information_source: source,
        report_reliability: reliability,
        as_required: v.get("as_required_dose").and_then(Value::as_bool),
        reason_given: text(v, "as_required_reason_given"),
        reason_not_given: text(v, "reason_not_given"),
        warnings: Vec::new(),
    };
    (dose, warnings)
}

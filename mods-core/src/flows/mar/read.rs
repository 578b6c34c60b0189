//! Building the view from the record document: the doses, the references resolved, the
//! warnings placed.

use super::{
    Actor, Coded, Dose, MarOptions, MarView, MarWarning, MarWarningCode, Medicine, Period, Person,
};
use crate::checks;
use crate::issue::Report;
use crate::model::{ClassKind, Lookup, Model};
use crate::uk_time;
use crate::validate::Doses;
use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use rustc_hash::{FxHashMap, FxHashSet};
use serde_json::{Map, Value};

const ADMIN: &str = "medication_administration";
const DAY: i64 = 24 * 3600;

/// A record of the document, found by its uid.
struct Found<'a> {
    class: &'static str,
    pointer: String,
    value: &'a Value,
}

/// The records of the document by `record_uid`, the first of each uid (as validation names
/// them).
fn index<'a>(model: &Model, doc: &'a Value) -> FxHashMap<&'a str, Found<'a>> {
    let mut uids = FxHashMap::default();
    let Some(map) = doc.as_object() else {
        return uids;
    };
    for (key, v) in map {
        let Some(class) = model.class(key).filter(|c| c.kind == ClassKind::Record) else {
            continue;
        };
        if !class.versioned {
            continue;
        }
        let items: Vec<(Option<usize>, &Value)> = match v {
            Value::Array(a) if key != "subject_of_care" => {
                a.iter().enumerate().map(|(i, x)| (Some(i), x)).collect()
            }
            Value::Object(_) if key == "subject_of_care" => vec![(None, v)],
            _ => continue,
        };
        for (i, item) in items {
            let Some(uid) = item
                .get("record_uid")
                .and_then(Value::as_str)
                .filter(|u| checks::is_uid(u))
            else {
                continue;
            };
            uids.entry(uid).or_insert_with(|| Found {
                class: class.technical_name,
                // collection keys are class names: nothing to escape
                pointer: match i {
                    Some(i) => format!("/{key}/{i}"),
                    None => format!("/{key}"),
                },
                value: item,
            });
        }
    }
    uids
}

fn text(v: &Value, name: &str) -> Option<String> {
    v.get(name)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
        .map(str::to_owned)
}

fn number(v: &Value, name: &str) -> Option<f64> {
    v.get(name).and_then(Value::as_f64)
}

/// A coding element of an instance of `class`, with the value set's display when the record
/// gives none.
fn coded(model: &Model, class: &str, v: &Value, name: &str) -> Option<Coded> {
    coding_value(model, class, name, v.get(name)?)
}

fn coding_value(model: &Model, class: &str, name: &str, c: &Value) -> Option<Coded> {
    let c = c.as_object()?;
    let s = |k: &str| c.get(k).and_then(Value::as_str).map(str::to_owned);
    let (code, system, display) = (s("code"), s("system"), s("display"));
    if code.is_none() && display.is_none() {
        return None;
    }
    let display = display.or_else(|| {
        let element = model.class(class)?.element(name)?;
        let Lookup::ValueSet { value_set, .. } = &element.lookup else {
            return None;
        };
        let vs = model.value_set(value_set)?;
        vs.display(code.as_deref()?).map(str::to_owned)
    });
    Some(Coded {
        code,
        system,
        display,
    })
}

/// A person's name: the usual one of several (else the first), title and given names
/// before the family name.
fn person_name(v: &Value) -> Option<String> {
    let name = match v.get("person_name")? {
        Value::Array(names) => names
            .iter()
            .find(|n| n.pointer("/name_use/code").and_then(Value::as_str) == Some("usual"))
            .or_else(|| names.first())?,
        n => n,
    };
    let mut parts: Vec<&str> = Vec::new();
    parts.extend(name.get("title").and_then(Value::as_str));
    match name.get("given_name") {
        Some(Value::Array(g)) => parts.extend(g.iter().filter_map(Value::as_str)),
        Some(Value::String(g)) => parts.push(g),
        _ => {}
    }
    parts.extend(name.get("family_name").and_then(Value::as_str));
    let s = parts
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    (!s.is_empty()).then_some(s)
}

/// The role of an actor in plain words, and the relationship to the person if one is
/// recorded.
fn role(model: &Model, f: &Found<'_>) -> (String, Option<Coded>) {
    let v = f.value;
    let relationship = || {
        let r = v.get("relationship_to_subject_of_care")?;
        let first = match r {
            Value::Array(a) => a.first()?,
            one => one,
        };
        coding_value(model, f.class, "relationship_to_subject_of_care", first)
    };
    let with = |what: &str, rel: &Option<Coded>| match rel.as_ref().and_then(|r| r.display.clone())
    {
        Some(d) => format!("{what} ({d})"),
        None => what.to_owned(),
    };
    match f.class {
        "subject_of_care" => ("The person themself".to_owned(), None),
        "care_worker" => {
            let role = v
                .get("professional_role")
                .and_then(Value::as_array)
                .and_then(|a| a.first())
                .and_then(|r| coding_value(model, f.class, "professional_role", r))
                .or_else(|| coded(model, f.class, v, "care_worker_category"))
                .and_then(|c| c.display.or(c.code))
                .unwrap_or_else(|| "Care worker".to_owned());
            (role, None)
        }
        "unpaid_carer" => {
            let rel = relationship();
            (with("Unpaid carer", &rel), rel)
        }
        "personal_contact" => {
            let rel = relationship();
            (with("Personal contact", &rel), rel)
        }
        "proxy_for_subject_of_care" => {
            let rel = relationship();
            (with("Proxy", &rel), rel)
        }
        _ => ("Organisation".to_owned(), None),
    }
}

fn actor(model: &Model, f: &Found<'_>, uid: &str) -> Actor {
    let (role, relationship) = role(model, f);
    let name = match f.class {
        "care_worker"
        | "subject_of_care"
        | "unpaid_carer"
        | "personal_contact"
        | "proxy_for_subject_of_care" => person_name(f.value),
        _ => text(f.value, "organisation_name"),
    };
    Actor {
        pointer: f.pointer.clone(),
        record_uid: uid.to_owned(),
        class: f.class.to_owned(),
        name,
        role,
        relationship,
    }
}

fn medicine(model: &Model, f: &Found<'_>, uid: &str) -> Medicine {
    let v = f.value;
    let code = coded(model, "medication", v, "medication_code");
    Medicine {
        pointer: f.pointer.clone(),
        record_uid: uid.to_owned(),
        name: text(v, "medication_name").or_else(|| code.as_ref().and_then(|c| c.display.clone())),
        code,
        dose_instructions: text(v, "dose_instructions"),
        dose_quantity: number(v, "dose_quantity"),
        dose_unit: coded(model, "medication", v, "dose_unit"),
        frequency: text(v, "frequency"),
        as_required: v.get("as_required").and_then(Value::as_bool),
        minimum_interval_hours: number(v, "minimum_interval"),
        maximum_dose_per_24_hours: number(v, "maximum_dose_per_24_hours"),
    }
}

/// A reference of a dose that does not resolve: why, and the class found if any.
enum Unresolved {
    Missing,
    NotInRecord,
    WrongClass(&'static str),
}

/// Resolve the reference `element` of an administration to a record of a class it accepts.
fn resolve<'i, 'a>(
    model: &Model,
    uids: &'i FxHashMap<&'a str, Found<'a>>,
    v: &Value,
    element: &str,
) -> Result<Option<(&'i Found<'a>, String)>, Unresolved> {
    let required = model
        .class(ADMIN)
        .and_then(|c| c.element(element))
        .is_some_and(|e| e.occurs.required());
    let uid = match v.get(element) {
        Some(Value::String(s)) => s.as_str(),
        None | Some(Value::Null) if !required => return Ok(None),
        _ => return Err(Unresolved::Missing),
    };
    let accepts: &[&str] = match model
        .class(ADMIN)
        .and_then(|c| c.element(element))
        .map(|e| &e.lookup)
    {
        Some(Lookup::Reference { accepts, .. }) => accepts,
        _ => &[],
    };
    match uids.get(uid) {
        None => Err(Unresolved::NotInRecord),
        Some(f) if !accepts.contains(&f.class) => Err(Unresolved::WrongClass(f.class)),
        Some(f) => Ok(Some((f, uid.to_owned()))),
    }
}

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

//! The medicines taken on each side: the Medication administration records the notes
//! reference, and those dated on the side's days.

use super::doc::{coding_text, name_of, Unresolved};
use super::elements::dose_medicine;
use super::span::full_date;
use super::{Side, Verdict};
use serde::Serialize;
use serde_json::Value;

/// Administration statuses that mean the person took the dose.
const TAKEN: &[&str] = &["given", "self-administered"];

/// One dose (a Medication administration record) on a side.
#[derive(Debug, Clone, Serialize)]
pub struct Administration {
    /// Its `record_uid` (its JSON pointer when it has none).
    pub record_uid: String,
    /// Its date.
    pub date: Option<String>,
    /// Its time.
    pub time: Option<String>,
    /// The administration status code (`given`, `refused`, ...); `null` when not recorded.
    pub status: Option<String>,
    /// Whether it counts as taken (`given` or `self-administered`).
    pub taken: bool,
    /// The dose given and its unit, as a reader sees them (`2 Tablet`).
    pub dose: Option<String>,
    /// Who gave it (a name, or the reference when it does not resolve).
    pub administered_by: Option<String>,
    /// Whether a daily care note of the side references it (`false`: found by its date
    /// only, which the reader may want to check against the notes).
    pub in_notes: bool,
}

/// One medicine on one side.
#[derive(Debug, Clone, Serialize)]
pub struct MedicineSide {
    /// How many doses were taken.
    pub taken: u32,
    /// Every dose recorded, taken or not, in date and time order.
    pub administrations: Vec<Administration>,
}

/// One medicine on both sides.
#[derive(Debug, Clone, Serialize)]
pub struct MedicineComparison {
    /// The Medication record's `record_uid` the doses name, when they name one.
    pub medication: Option<String>,
    /// The medicine's name.
    pub name: String,
    /// The day's doses.
    pub day: MedicineSide,
    /// The other side's doses.
    pub against: MedicineSide,
    /// Compares the doses taken per day: `only_against` is a medicine taken on the other
    /// side and not on the day (missing), `only_day` the reverse; `changed` when both took
    /// it but not as many times per day; when neither side took it, `same` if the
    /// statuses recorded agree.
    pub verdict: Verdict,
}

/// A side's dose records with their pointers, and whether a note references each.
pub(crate) fn administrations<'a>(
    side: &Side<'_, 'a>,
    unresolved: &mut Vec<Unresolved>,
) -> Vec<(String, &'a Value, bool)> {
    let mut out: Vec<(String, &'a Value, bool)> = Vec::new();
    for n in &side.notes {
        let Some(Value::Array(refs)) = n.value.get("medication_administrations") else {
            continue;
        };
        for (i, r) in refs.iter().enumerate() {
            let Some(uid) = r.as_str() else { continue };
            let pointer = format!("{}/medication_administrations/{i}", n.pointer);
            if let Some((_, at, v)) =
                side.doc
                    .resolve(uid, &["medication_administration"], &pointer, unresolved)
            {
                if !out.iter().any(|(p, _, _)| p == at) {
                    out.push((at.to_owned(), v, true));
                }
            }
        }
    }
    for (at, v) in side.doc.collection("medication_administration") {
        let dated = v
            .get("date")
            .and_then(Value::as_str)
            .and_then(full_date)
            .is_some_and(|d| side.span.contains(d));
        if dated && !out.iter().any(|(p, _, _)| *p == at) {
            out.push((at, v, false));
        }
    }
    let key = |v: &Value| {
        (
            v.get("date")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned(),
            v.get("time")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned(),
        )
    };
    out.sort_by_key(|(_, v, _)| key(v));
    out
}

fn administration(side: &Side<'_, '_>, at: &str, v: &Value, in_notes: bool) -> Administration {
    let text = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
    let status = v
        .get("administration_status")
        .and_then(|s| s.get("code"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    let dose = v.get("dose_given").and_then(Value::as_number).map(|n| {
        match v.get("dose_unit").and_then(coding_text) {
            Some(u) => format!("{n} {u}"),
            None => n.to_string(),
        }
    });
    let by = v.get("administered_by").and_then(Value::as_str).map(|uid| {
        // Unresolved givers are reported by the helpers' pass, which sees every dose.
        let mut ignore = Vec::new();
        let accepts = super::care_actor_classes();
        side.doc
            .resolve(uid, accepts, &format!("{at}/administered_by"), &mut ignore)
            .and_then(|(_, _, p)| name_of(p))
            .unwrap_or_else(|| uid.to_owned())
    });
    Administration {
        record_uid: text("record_uid").unwrap_or_else(|| at.to_owned()),
        date: text("date"),
        time: text("time"),
        taken: status.as_deref().is_some_and(|s| TAKEN.contains(&s)),
        status,
        dose,
        administered_by: by,
        in_notes,
    }
}

/// Every medicine with a dose on either side, compared.
pub(crate) fn compare(
    day: &Side<'_, '_>,
    against: &Side<'_, '_>,
    unresolved: &mut Vec<Unresolved>,
) -> Vec<MedicineComparison> {
    // (key, medication uid, name) in the order first met, and each side's doses.
    let mut meds: Vec<(String, Option<String>, String)> = Vec::new();
    let mut doses: Vec<(usize, bool, Administration)> = Vec::new();
    for (is_day, side) in [(true, day), (false, against)] {
        for (at, v, in_notes) in administrations(side, unresolved) {
            let (key, name) = dose_medicine(side.doc, &at, v, unresolved);
            let i = match meds.iter().position(|(k, _, _)| *k == key) {
                Some(i) => i,
                None => {
                    let uid = v
                        .get("medication")
                        .and_then(Value::as_str)
                        .map(str::to_owned);
                    meds.push((key, uid, name));
                    meds.len() - 1
                }
            };
            doses.push((i, is_day, administration(side, &at, v, in_notes)));
        }
    }
    meds.into_iter()
        .enumerate()
        .map(|(i, (_, medication, name))| {
            let side_of = |want: bool| {
                let administrations: Vec<Administration> = doses
                    .iter()
                    .filter(|(j, d, _)| *j == i && *d == want)
                    .map(|(_, _, a)| a.clone())
                    .collect();
                MedicineSide {
                    taken: administrations.iter().filter(|a| a.taken).count() as u32,
                    administrations,
                }
            };
            let (d, a) = (side_of(true), side_of(false));
            let verdict = match (d.taken, a.taken) {
                (0, 0) => {
                    let statuses = |s: &MedicineSide| {
                        let mut v: Vec<_> =
                            s.administrations.iter().map(|x| x.status.clone()).collect();
                        v.sort();
                        v
                    };
                    match (d.administrations.is_empty(), a.administrations.is_empty()) {
                        (false, true) => Verdict::OnlyDay,
                        (true, false) => Verdict::OnlyAgainst,
                        _ if statuses(&d) == statuses(&a) => Verdict::Same,
                        _ => Verdict::Changed,
                    }
                }
                (_, 0) => Verdict::OnlyDay,
                (0, _) => Verdict::OnlyAgainst,
                (x, y) => {
                    let per_day =
                        |n: u32, s: &Side<'_, '_>| f64::from(n) / f64::from(s.span.days());
                    if (per_day(x, day) - per_day(y, against)).abs() < 1e-9 {
                        Verdict::Same
                    } else {
                        Verdict::Changed
                    }
                }
            };
            MedicineComparison {
                medication,
                name,
                day: d,
                against: a,
                verdict,
            }
        })
        .collect()
}

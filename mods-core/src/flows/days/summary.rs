//! The day as a whole on each side: fluid intake totals, the usual mood, who helped.

use super::doc::{name_of, role_of, Unresolved};
use super::elements::{code_display, mean_per_day, most_common};
use super::{num, Side, Verdict};
use crate::model::{ClassDef, Model};
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// One day's fluid intake.
#[derive(Debug, Clone, Serialize)]
pub struct DayTotal {
    /// The day.
    pub date: String,
    /// The sum of the day's notes' `fluid_intake` (millilitres).
    pub total_ml: Value,
    /// How many notes gave a value.
    pub notes: u32,
}

/// Fluid intake on one side.
#[derive(Debug, Clone, Serialize)]
pub struct FluidSide {
    /// Each day with a value.
    pub per_day: Vec<DayTotal>,
    /// The sum over the side.
    pub total_ml: Value,
    /// The mean per day over the days with a value (a day without one is unknown, not
    /// nothing); `null` when none has.
    pub usual_per_day_ml: Value,
}

/// Fluid intake on both sides.
#[derive(Debug, Clone, Serialize)]
pub struct FluidComparison {
    /// The day's side.
    pub day: FluidSide,
    /// The other side.
    pub against: FluidSide,
    /// The day's usual per day minus the other side's (for one day each: the difference
    /// of the days' totals); `null` unless both sides have values.
    pub difference_ml: Value,
    /// `null` when neither side has a value.
    pub verdict: Option<Verdict>,
}

fn fluid_side(side: &Side<'_, '_>) -> (FluidSide, Option<f64>) {
    let mut per_day: BTreeMap<String, (f64, u32)> = BTreeMap::new();
    let mut values = Vec::new();
    for n in &side.notes {
        if let Some(x) = n.value.get("fluid_intake").and_then(Value::as_f64) {
            let e = per_day.entry(n.date_text()).or_default();
            e.0 += x;
            e.1 += 1;
            values.push((n.date_text(), x));
        }
    }
    let usual = mean_per_day(&values);
    let total: f64 = per_day.values().map(|(x, _)| x).sum();
    let side = FluidSide {
        per_day: per_day
            .into_iter()
            .map(|(date, (x, notes))| DayTotal {
                date,
                total_ml: num(x),
                notes,
            })
            .collect(),
        total_ml: num(total),
        usual_per_day_ml: usual.map_or(Value::Null, num),
    };
    (side, usual)
}

/// Fluid intake totals per day and the usual day of each side.
pub(crate) fn fluid(day: &Side<'_, '_>, against: &Side<'_, '_>) -> FluidComparison {
    let (d, du) = fluid_side(day);
    let (a, au) = fluid_side(against);
    let (difference_ml, agree) = match (du, au) {
        (Some(x), Some(y)) => (num(x - y), (x - y).abs() < 1e-9),
        _ => (Value::Null, false),
    };
    FluidComparison {
        verdict: Verdict::of(du.is_some(), au.is_some(), || agree),
        day: d,
        against: a,
        difference_ml,
    }
}

/// How often a mood code was noted on a side.
#[derive(Debug, Clone, Serialize)]
pub struct MoodCount {
    /// The code.
    pub code: String,
    /// Its display.
    pub display: String,
    /// How many notes give it.
    pub count: u32,
}

/// The moods of one side.
#[derive(Debug, Clone, Serialize)]
pub struct MoodSide {
    /// Each code noted, most common first (then in the order first noted).
    pub counts: Vec<MoodCount>,
    /// The usual mood: the most common code, or every tied one.
    pub usual: Vec<String>,
}

/// Mood on both sides.
#[derive(Debug, Clone, Serialize)]
pub struct MoodComparison {
    /// The day's side.
    pub day: MoodSide,
    /// The other side.
    pub against: MoodSide,
    /// Compares the usual moods; `null` when neither side notes a mood.
    pub verdict: Option<Verdict>,
}

fn mood_side(model: &'static Model, class: &'static ClassDef, side: &Side<'_, '_>) -> MoodSide {
    let el = class.element("mood");
    let moods: Vec<(&str, String)> = side
        .notes
        .iter()
        .filter_map(|n| {
            let m = n.value.get("mood")?;
            Some((m.get("code")?.as_str()?, code_display(model, el, m)))
        })
        .collect();
    let usual: Vec<String> = most_common(moods.iter().map(|(c, _)| *c))
        .into_iter()
        .map(str::to_owned)
        .collect();
    let mut counts: Vec<MoodCount> = Vec::new();
    for (code, display) in moods {
        match counts.iter_mut().find(|c| c.code == code) {
            Some(c) => c.count += 1,
            None => counts.push(MoodCount {
                code: code.to_owned(),
                display,
                count: 1,
            }),
        }
    }
    counts.sort_by_key(|c| std::cmp::Reverse(c.count));
    MoodSide { counts, usual }
}

/// The moods of each side and the usual one.
pub(crate) fn mood(
    model: &'static Model,
    class: &'static ClassDef,
    day: &Side<'_, '_>,
    against: &Side<'_, '_>,
) -> MoodComparison {
    let (d, a) = (
        mood_side(model, class, day),
        mood_side(model, class, against),
    );
    let set = |m: &MoodSide| m.usual.iter().cloned().collect::<BTreeSet<_>>();
    MoodComparison {
        verdict: Verdict::of(!d.usual.is_empty(), !a.usual.is_empty(), || {
            set(&d) == set(&a)
        }),
        day: d,
        against: a,
    }
}

/// Someone who helped on a side.
#[derive(Debug, Clone, Serialize)]
pub struct Helper {
    /// The `record_uid` the notes or doses name.
    pub reference: String,
    /// Their name, when the reference resolves.
    pub name: Option<String>,
    /// Their class (`care_worker`, `personal_contact`, ...), when it resolves.
    pub class: Option<String>,
    /// Their role: a care worker's category, a contact's relationship, a job title.
    pub role: Option<String>,
    /// How many of the side's notes name them as care actor.
    pub notes: u32,
    /// How many of the side's doses they gave.
    pub doses: u32,
}

/// Who helped on each side.
#[derive(Debug, Clone, Serialize)]
pub struct HelperComparison {
    /// The day's helpers, in the order first named.
    pub day: Vec<Helper>,
    /// The other side's.
    pub against: Vec<Helper>,
    /// References that helped on the day only.
    pub only_day: Vec<String>,
    /// References that helped on the other side only.
    pub only_against: Vec<String>,
    /// `same` when the same people helped; `null` when neither side names anyone.
    pub verdict: Option<Verdict>,
}

fn helper_side(side: &Side<'_, '_>, unresolved: &mut Vec<Unresolved>) -> Vec<Helper> {
    let accepts = super::care_actor_classes();
    let mut out: Vec<Helper> = Vec::new();
    let mut add = |uid: &str, pointer: String, doses: bool, unresolved: &mut Vec<Unresolved>| {
        let found = side.doc.resolve(uid, accepts, &pointer, unresolved);
        let h = match out.iter_mut().find(|h| h.reference == uid) {
            Some(h) => h,
            None => {
                out.push(Helper {
                    reference: uid.to_owned(),
                    name: found.and_then(|(_, _, v)| name_of(v)),
                    class: found.map(|(c, _, _)| c.to_owned()),
                    role: found.and_then(|(_, _, v)| role_of(v)),
                    notes: 0,
                    doses: 0,
                });
                out.last_mut().expect("just pushed")
            }
        };
        if doses {
            h.doses += 1;
        } else {
            h.notes += 1;
        }
    };
    for n in &side.notes {
        if let Some(Value::Array(actors)) = n.value.get("care_actor") {
            let mut seen = BTreeSet::new();
            for (i, a) in actors.iter().enumerate() {
                if let Some(uid) = a.as_str().filter(|u| seen.insert(*u)) {
                    add(
                        uid,
                        format!("{}/care_actor/{i}", n.pointer),
                        false,
                        unresolved,
                    );
                }
            }
        }
    }
    for (at, admin, _) in super::medicines::administrations(side, unresolved) {
        if let Some(uid) = admin.get("administered_by").and_then(Value::as_str) {
            add(uid, format!("{at}/administered_by"), true, unresolved);
        }
    }
    out
}

/// Who helped on each side: the notes' care actors and the doses' givers.
pub(crate) fn helpers(
    day: &Side<'_, '_>,
    against: &Side<'_, '_>,
    unresolved: &mut Vec<Unresolved>,
) -> HelperComparison {
    let d = helper_side(day, unresolved);
    let a = helper_side(against, unresolved);
    let refs = |h: &[Helper]| {
        h.iter()
            .map(|x| x.reference.clone())
            .collect::<BTreeSet<_>>()
    };
    let (dr, ar) = (refs(&d), refs(&a));
    HelperComparison {
        only_day: d
            .iter()
            .filter(|h| !ar.contains(&h.reference))
            .map(|h| h.reference.clone())
            .collect(),
        only_against: a
            .iter()
            .filter(|h| !dr.contains(&h.reference))
            .map(|h| h.reference.clone())
            .collect(),
        verdict: Verdict::of(!d.is_empty(), !a.is_empty(), || dr == ar),
        day: d,
        against: a,
    }
}

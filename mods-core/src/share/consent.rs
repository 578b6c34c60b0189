//! The person's Consent records, read as decisions about sharing.
//!
//! MODS 1.0's Consent has no element naming a recipient, so a consent is matched to a view
//! by its purpose: a Consent whose `consent_purpose` code is one of the policy's
//! `consent_purposes` (by default `information-sharing`) governs every view made by that
//! policy. What it covers is what it `applies_to_*` (assessments, care plans, services),
//! or, when it names none, the whole record but the subject of care and the Consent
//! records themselves. Its free-text `scope_detail` is not read. For each record, the
//! latest decision that covers it (by `decision_date`; on the same day a refusal wins)
//! decides: refused or withdrawn withholds it, and so does a consent given with a
//! `valid_until` before today (it has lapsed). A refusal does not lapse: it stands until a
//! later decision gives consent. See `docs/share.md`.

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::BTreeSet;

/// A Consent record, as the manifest names it: where it is and what it says, without the
/// person's data.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ConsentRef {
    /// JSON pointer to the Consent record in the input (`/consent/0`).
    pub pointer: String,
    /// Its `consent_purpose` code.
    pub purpose: String,
    /// Its `decision` code (`given`, `refused`, `withdrawn`).
    pub decision: String,
    /// A given consent whose `valid_until` is before today.
    pub lapsed: bool,
}

/// How a decision bears on sharing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Effect {
    /// Given and in force: shares what the policy allows.
    Given,
    /// Refused: withholds.
    Refused,
    /// Withdrawn: withholds.
    Withdrawn,
    /// Given, but `valid_until` is before today: withholds.
    Lapsed,
}

/// One sharing decision.
pub(super) struct Decision {
    pub consent: ConsentRef,
    pub effect: Effect,
    date: NaiveDate,
    /// `None`: the whole record.
    covers: Option<BTreeSet<String>>,
}

fn code<'a>(m: &'a Map<String, Value>, element: &str) -> Option<&'a str> {
    m.get(element)?.get("code")?.as_str()
}

fn date(m: &Map<String, Value>, element: &str) -> Option<NaiveDate> {
    m.get(element)
        .and_then(Value::as_str)
        .and_then(crate::checks::parse_date)
}

/// The sharing decisions among the record's Consent records: `consents` are the Consent
/// instances with their position in the `consent` collection.
pub(super) fn decisions(
    consents: &[(usize, &Map<String, Value>)],
    purposes: &[String],
    today: NaiveDate,
) -> Vec<Decision> {
    let mut out = Vec::new();
    for &(i, m) in consents {
        let Some(purpose) = code(m, "consent_purpose") else {
            continue;
        };
        if !purposes.iter().any(|p| p == purpose) {
            continue;
        }
        let decision = code(m, "decision").unwrap_or_default();
        let lapsed = decision == "given" && date(m, "valid_until").is_some_and(|d| d < today);
        let effect = match decision {
            "given" if lapsed => Effect::Lapsed,
            "given" => Effect::Given,
            "withdrawn" => Effect::Withdrawn,
            // refused, and any decision that cannot be read: the careful reading
            _ => Effect::Refused,
        };
        let mut named = BTreeSet::new();
        for element in [
            "applies_to_assessment",
            "applies_to_care_plan",
            "applies_to_service",
        ] {
            match m.get(element) {
                Some(Value::Array(a)) => {
                    named.extend(a.iter().filter_map(Value::as_str).map(str::to_owned))
                }
                Some(Value::String(s)) => {
                    named.insert(s.clone());
                }
                _ => {}
            }
        }
        out.push(Decision {
            consent: ConsentRef {
                pointer: format!("/consent/{i}"),
                purpose: purpose.to_owned(),
                decision: decision.to_owned(),
                lapsed,
            },
            effect,
            date: date(m, "decision_date").unwrap_or(NaiveDate::MIN),
            covers: (!named.is_empty()).then_some(named),
        });
    }
    out
}

/// The decision that withholds a record of `class` with `uid`, if any: the latest decision
/// covering it, when that one is not a consent given and in force.
pub(super) fn withholding<'d>(
    decisions: &'d [Decision],
    class: &str,
    uid: Option<&str>,
) -> Option<&'d Decision> {
    if matches!(class, "subject_of_care" | "consent") {
        // the person the view is about, and the decisions themselves, are never covered
        // by the whole record; a consent names neither in applies_to_*
        return None;
    }
    let latest = decisions
        .iter()
        .filter(|d| match &d.covers {
            None => true,
            Some(uids) => uid.is_some_and(|u| uids.contains(u)),
        })
        .max_by_key(|d| (d.date, d.effect != Effect::Given))?;
    (latest.effect != Effect::Given).then_some(latest)
}

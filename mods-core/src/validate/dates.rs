//! Rules about what dates say, beyond their form: implausible dates (a birth or an event in
//! the future, a birth more than 125 years ago) and a date of birth that disagrees with
//! the person's demographics record.

use super::cx::Cx;
use crate::checks::{self, Moment, PartialDate};
use crate::issue::IssueCode;
use crate::model::{ClassDef, ElementDef, ElementType, Plausible};
use chrono::{Months, NaiveDate};

/// Days after today that a date may lie and still be plausible: one, for time zones (a
/// record made just after midnight in one zone is dated tomorrow in another) and entries
/// dated on the day they are planned for.
pub(super) const TOLERANCE_DAYS: u64 = 1;

/// Years before today beyond which a date of birth is implausible (the longest verified
/// human life is 122 years).
pub(super) const MAX_AGE_YEARS: u32 = 125;

/// Today's date from the system clock, in UTC; `None` where there is no clock
/// (`wasm32-unknown-unknown`, where asking for the time panics) or the clock is before
/// 1970.
pub(super) fn system_today() -> Option<NaiveDate> {
    #[cfg(all(target_family = "wasm", target_os = "unknown"))]
    {
        None
    }
    #[cfg(not(all(target_family = "wasm", target_os = "unknown")))]
    {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?
            .as_secs();
        let days = i64::try_from(secs / 86_400).ok()?;
        NaiveDate::from_ymd_opt(1970, 1, 1)?.checked_add_signed(chrono::TimeDelta::try_days(days)?)
    }
}

/// The moment an element's value names, in the forms that element accepts; `None` when the
/// value is not one of them (reported elsewhere as `invalid-date` or `invalid-date-time`).
pub(super) fn moment(el: &ElementDef, s: &str) -> Option<Moment> {
    match el.ty {
        ElementType::Date => checks::parse_partial_date(s)
            .filter(|d| el.partial || matches!(d, PartialDate::Date(_)))
            .map(Moment::Date),
        ElementType::DateTime if el.time_optional => checks::parse_date_or_date_time(s),
        ElementType::DateTime => checks::parse_date_time(s).map(Moment::DateTime),
        _ => None,
    }
}

/// Why a date is implausible.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Implausible {
    /// Every day the value covers is more than [`TOLERANCE_DAYS`] after today.
    Future,
    /// A date of birth whose every day is more than [`MAX_AGE_YEARS`] before today.
    TooOld,
}

impl Implausible {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Implausible::Future => "future",
            Implausible::TooOld => "too-old",
        }
    }
}

/// Judge a moment against today, at the precision it is known: the year 2027 is in the
/// future when today is in 2026, the century 20 is not; a date without a year is never
/// judged.
pub(super) fn judge(kind: Plausible, m: &Moment, today: NaiveDate) -> Option<Implausible> {
    let (first, last) = m.span()?;
    let latest = today.checked_add_days(chrono::Days::new(TOLERANCE_DAYS))?;
    if first > latest {
        return Some(Implausible::Future);
    }
    if kind == Plausible::Birth {
        let earliest = today.checked_sub_months(Months::new(MAX_AGE_YEARS * 12))?;
        if last < earliest {
            return Some(Implausible::TooOld);
        }
    }
    None
}

impl<'a> Cx<'a, '_> {
    /// `implausible-date` for an element the model marks `plausible`, when today is known.
    pub(super) fn plausible_date(&mut self, class: &ClassDef, el: &ElementDef, s: &str) {
        let (Some(kind), Some(today)) = (el.plausible, self.today) else {
            return;
        };
        let Some(found) = moment(el, s).and_then(|m| judge(kind, &m, today)) else {
            return;
        };
        let message = match (found, kind) {
            (Implausible::TooOld, _) => format!(
                "{} is more than {MAX_AGE_YEARS} years before today",
                el.name
            ),
            (Implausible::Future, Plausible::Birth) => {
                format!("{} is in the future", el.name)
            }
            (Implausible::Future, Plausible::Past) => format!(
                "{} records something that has happened, but is more than {TOLERANCE_DAYS} day after today",
                el.name
            ),
        };
        let mut c = Self::element_ctx(class, el);
        c.insert("reason".into(), found.as_str().into());
        c.insert("today".into(), today.format("%Y-%m-%d").to_string().into());
        self.add_value(&mut c, || s.into());
        self.issue(IssueCode::ImplausibleDate, None, message, c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Moment {
        checks::parse_partial_date(s)
            .map(Moment::Date)
            .or_else(|| checks::parse_date_time(s).map(Moment::DateTime))
            .unwrap()
    }

    #[test]
    fn judged_at_the_precision_known() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let past = |s| judge(Plausible::Past, &m(s), today);
        let birth = |s| judge(Plausible::Birth, &m(s), today);
        // one day of tolerance, then the future
        assert_eq!(past("2026-12-01"), None);
        assert_eq!(past("2026-12-02"), Some(Implausible::Future));
        assert_eq!(past("2026-12-01T23:59:00-11:00"), None);
        assert_eq!(past("2026-12-02T00:10:00+14:00"), Some(Implausible::Future));
        // partial dates: only when every day they cover is too late
        assert_eq!(past("2026-12"), None);
        assert_eq!(past("2027"), Some(Implausible::Future));
        assert_eq!(past("2026"), None);
        assert_eq!(past("20"), None);
        assert_eq!(past("21"), Some(Implausible::Future));
        assert_eq!(past("--12-25"), None);
        assert_eq!(past("--12"), None);
        // events long ago are fine; births are not
        assert_eq!(past("1850-01-01"), None);
        assert_eq!(birth("1901-11-30"), None);
        assert_eq!(birth("1901-11-29"), Some(Implausible::TooOld));
        assert_eq!(birth("18"), Some(Implausible::TooOld));
        assert_eq!(birth("19"), None);
        assert_eq!(birth("2026-12-01"), None);
        assert_eq!(birth("2026-12-02"), Some(Implausible::Future));
        // 29 February: 125 years before 2028-02-29 is 1903-02-28
        let leap = NaiveDate::from_ymd_opt(2028, 2, 29).unwrap();
        assert_eq!(judge(Plausible::Birth, &m("1903-02-28"), leap), None);
        assert_eq!(
            judge(Plausible::Birth, &m("1903-02-27"), leap),
            Some(Implausible::TooOld)
        );
        // the far ends of the calendar never overflow
        let end = NaiveDate::MAX;
        assert_eq!(judge(Plausible::Birth, &m("9999-12-31"), end), None);
        let start = NaiveDate::from_ymd_opt(1, 1, 1).unwrap();
        assert_eq!(judge(Plausible::Birth, &m("0001-01-01"), start), None);
    }

    #[test]
    fn issues_carry_context_and_values_only_when_asked() {
        use crate::{validate_record, ValidationOptions};
        let doc = serde_json::json!({
            "mods_version": "1.0",
            "subject_of_care": {
                "record_uid": "soc-1", "version_number": 1, "date_of_birth": "1899-05-02",
                "person_demographics": "pd-1",
                "person_name": [{"family_name": "Green", "given_name": ["Arthur"]}]
            },
            "person_demographics": [{
                "record_uid": "pd-1", "version_number": 1, "date_of_birth": "1938-05-02",
                "ethnicity": {"code": "A"}, "gender_identity": {"code": "1"},
                "sexual_orientation": {"code": "Z"}
            }]
        });
        let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let opts = ValidationOptions::default().with_today(today);
        let r = validate_record(&doc, &opts);
        assert!(!r.valid);
        let find = |r: &crate::Report, code: &str| {
            r.issues
                .iter()
                .find(|i| i.code.as_str() == code)
                .cloned()
                .unwrap_or_else(|| panic!("no {code} in {:?}", r.issues))
        };
        let old = find(&r, "implausible-date");
        assert_eq!(old.path, "/subject_of_care/date_of_birth");
        assert_eq!(old.context["reason"], "too-old");
        assert_eq!(old.context["today"], "2026-11-30");
        let mismatch = find(&r, "date-of-birth-mismatch");
        assert_eq!(mismatch.path, "/subject_of_care/date_of_birth");
        assert_eq!(
            mismatch.context["other"],
            "/person_demographics/0/date_of_birth"
        );
        for i in &r.issues {
            assert!(!i.message.contains("1899") && !i.message.contains("1938"));
            assert!(i.context.get("value").is_none() && i.context.get("other_value").is_none());
        }
        let with_values = ValidationOptions {
            include_values: true,
            ..opts
        };
        let r = validate_record(&doc, &with_values);
        let mismatch = find(&r, "date-of-birth-mismatch");
        assert_eq!(mismatch.context["value"], "1899-05-02");
        assert_eq!(mismatch.context["other_value"], "1938-05-02");
        assert_eq!(find(&r, "implausible-date").context["value"], "1899-05-02");
    }

    #[test]
    #[cfg(not(all(target_family = "wasm", target_os = "unknown")))]
    fn the_system_clock_gives_a_date() {
        let today = system_today().expect("a clock on this platform");
        assert!(today > NaiveDate::from_ymd_opt(2024, 1, 1).unwrap());
    }
}

//! Rules about what dates say, beyond their form: implausible dates (a birth or an event in
//! the future, a birth more than 125 years ago) and a date of birth that disagrees with
//! the person's demographics record.

use super::super::dates::{judge, moment, Implausible, MAX_AGE_YEARS, TOLERANCE_DAYS};
use super::{ctx, Cx};
use crate::checks;
use crate::issue::IssueCode;
use crate::model::{ClassDef, ElementDef, Plausible};
use serde_json::Value;

impl<'a> Cx<'a, '_> {
    /// `implausible-date` for an element the model marks `plausible`, when today is known.
    pub(super) fn plausible_date(&mut self, class: &ClassDef, el: &ElementDef, v: &Value) {
        let (Some(kind), Some(today), Some(s)) = (el.plausible, self.today, v.as_str()) else {
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
        self.add_value(&mut c, v);
        self.issue(IssueCode::ImplausibleDate, None, message, c);
    }

    /// `date-of-birth-mismatch`: the subject of care's date of birth is not the one in the
    /// Person demographics record it references. Runs after references are resolved; a
    /// reference that does not resolve to a Person demographics record, or a date that is
    /// not a valid full date, is reported by its own rule and skipped here.
    pub(super) fn check_date_of_birth_agreement(&mut self) {
        const DOB: &str = "date_of_birth";
        let Some(soc) = self
            .records
            .iter()
            .find(|r| r.class.technical_name == "subject_of_care")
        else {
            return;
        };
        let date = |o: &serde_json::Map<String, Value>| {
            o.get(DOB)
                .and_then(Value::as_str)
                .and_then(checks::parse_date)
        };
        let Some(own) = date(soc.value) else { return };
        let Some(uid) = soc.value.get("person_demographics").and_then(Value::as_str) else {
            return;
        };
        let Some(pd) = self.uids.get(uid).map(|&i| &self.records[i]) else {
            return;
        };
        if pd.class.technical_name != "person_demographics" {
            return;
        }
        let Some(theirs) = date(pd.value) else { return };
        if own == theirs {
            return;
        }
        let path = format!("{}/{DOB}", soc.path);
        let other = format!("{}/{DOB}", pd.path);
        let mut c = ctx(&[
            ("class", "subject_of_care".into()),
            ("element", DOB.into()),
            ("other", other.into()),
        ]);
        if self.opts.include_values {
            c.insert("value".into(), soc.value[DOB].clone());
            c.insert("other_value".into(), pd.value[DOB].clone());
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
}

//! Client-level extracts: one row per person and event, with a pseudonymised person id,
//! an age band instead of the date of birth, and only codes, yes/no and event dates.

use super::field::instances;
use super::person::{age, band_of, date_of_birth, person_key};
use super::profile::{Column, EventDef, Profile};
use super::pseudonym::Key;
use super::MiError;
use crate::checks::parse_date;
use crate::model::Model;
use chrono::NaiveDate;
use serde_json::Value;

/// Makes the rows of a profile's extract, one record at a time.
#[derive(Debug)]
pub struct Extractor {
    profile: Profile,
    header: Vec<String>,
    key: Key,
    as_of: NaiveDate,
    mods_codes: bool,
}

/// The rows of one record, and whether it named its person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordRows {
    /// One row per event (one row with empty event columns when there is none), each
    /// with one value per column of the header ("" for none).
    pub rows: Vec<Vec<String>>,
    /// `false` when the record has no NHS number nor Subject of care uid: its rows have
    /// an empty person id.
    pub identified: bool,
}

impl Extractor {
    /// An extractor of `profile`, pseudonyms keyed with `key`, ages of people without an
    /// event date taken on `as_of`.
    ///
    /// Errors: [`MiError::InvalidProfile`] when the profile does not fit `model`.
    pub fn new(
        model: &'static Model,
        profile: Profile,
        key: Key,
        as_of: NaiveDate,
    ) -> Result<Extractor, MiError> {
        profile
            .check(model)
            .map_err(|message| MiError::InvalidProfile {
                profile: profile.name.clone(),
                message,
            })?;
        Ok(Extractor {
            header: profile.header(),
            profile,
            key,
            as_of,
            mods_codes: false,
        })
    }

    /// Write MODS codes in every column, untranslated: for checking an extract against
    /// the records. By default a column with a code list gets the collection's values.
    pub fn keep_mods_codes(mut self, keep: bool) -> Extractor {
        self.mods_codes = keep;
        self
    }

    /// The column names.
    pub fn header(&self) -> &[String] {
        &self.header
    }

    /// The profile.
    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    /// The rows of one record.
    pub fn rows(&self, record: &Value) -> RecordRows {
        let person = person_key(record);
        let born = date_of_birth(record);
        let mut events: Vec<(&EventDef, &Value, Option<NaiveDate>)> = Vec::new();
        for def in &self.profile.events {
            for inst in instances(record, &def.class) {
                let start = date_at(inst, &def.start);
                events.push((def, inst, start));
            }
        }
        events.sort_by(|a, b| a.2.cmp(&b.2).then(a.0.event_type.cmp(&b.0.event_type)));
        let mut rows = Vec::new();
        if events.is_empty() {
            rows.push(self.person_row(record, person.as_deref(), born, None));
        }
        for (def, inst, start) in events {
            let mut row = self.person_row(record, person.as_deref(), born, start);
            let n = self.profile.person.len();
            row[n] = def.event_type.clone();
            row[n + 1] = start.map(|d| d.to_string()).unwrap_or_default();
            row[n + 2] = def
                .end
                .as_deref()
                .and_then(|e| date_at(inst, e))
                .map(|d| d.to_string())
                .unwrap_or_default();
            for c in &def.columns {
                if let Some(i) = self.header.iter().position(|h| *h == c.column) {
                    row[i] = self.translate(c, codes(inst.get(&c.from)));
                }
            }
            rows.push(row);
        }
        RecordRows {
            rows,
            identified: person.is_some(),
        }
    }

    fn person_row(
        &self,
        record: &Value,
        person: Option<&str>,
        born: Option<NaiveDate>,
        on: Option<NaiveDate>,
    ) -> Vec<String> {
        let mut row = vec![String::new(); self.header.len()];
        for (i, column) in self.profile.person.iter().enumerate() {
            row[i] = match column.from.as_str() {
                "pseudonym" => person.map(|p| self.key.pseudonym(p)).unwrap_or_default(),
                "age_band" => born
                    .and_then(|b| age(b, on.unwrap_or(self.as_of)))
                    .map(band_of)
                    .unwrap_or_default()
                    .to_owned(),
                path => {
                    let (class, element) = path.split_once('.').unwrap_or((path, ""));
                    // the current instance: the last listed
                    instances(record, class)
                        .into_iter()
                        .rev()
                        .find_map(|i| i.get(element))
                        .map(|v| self.translate(column, codes(Some(v))))
                        .unwrap_or_default()
                }
            };
        }
        row
    }
}

impl Extractor {
    /// `codes` (one, or several joined by `;`) in the column's code list, unless MODS
    /// codes are kept; a code the list does not have becomes its `unmapped` value.
    fn translate(&self, column: &Column, codes: String) -> String {
        let list = match &column.code_list {
            Some(name) if !self.mods_codes && !codes.is_empty() => {
                match self.profile.code_lists.get(name) {
                    Some(list) => list,
                    None => return codes,
                }
            }
            _ => return codes,
        };
        codes
            .split(';')
            .map(|c| list.values.get(c).unwrap_or(&list.unmapped).as_str())
            .collect::<Vec<_>>()
            .join(";")
    }
}

/// The date (the date part of a date and time) of an element.
fn date_at(instance: &Value, element: &str) -> Option<NaiveDate> {
    let s = instance.get(element)?.as_str()?;
    parse_date(s.get(..10)?)
}

/// A coded value as text: its code; several joined by `;`; yes/no as `Y`/`N`.
fn codes(v: Option<&Value>) -> String {
    match v {
        Some(Value::Object(m)) => m
            .get("code")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        Some(Value::Bool(b)) => if *b { "Y" } else { "N" }.to_owned(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| codes(Some(i)))
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(";"),
        // a bare string is not a coded value (and could be free text): left out
        _ => String::new(),
    }
}

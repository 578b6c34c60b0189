//! Counting people and records by coded categories, one record at a time.

use super::field::Field;
use super::person::person_key;
use super::suppress::Suppression;
use super::MiError;
use crate::model::Model;
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};

/// One category of one field in a row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Category {
    /// The field as asked for.
    pub field: String,
    /// The code (or `not-recorded`, or an age band).
    pub code: String,
    /// Its label from the value set; `None` for a code no embedded value set lists.
    pub label: Option<String>,
}

/// One row of the table: a combination of categories and its counts, as they may be
/// shown (`None` where suppressed).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// One category per field, in the order of `by`.
    pub categories: Vec<Category>,
    /// Distinct people in the row.
    pub people: Option<u64>,
    /// Record documents in the row.
    pub records: Option<u64>,
}

/// A field of the table, described.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldInfo {
    /// The field as asked for.
    pub field: String,
    /// The element it reads (`class.element`) or `age_band`.
    pub path: String,
    /// Its name in MODS.
    pub label: String,
    /// The glossary term defining it, when there is one.
    pub term: Option<String>,
}

/// A record that could not be read: where, and why (never its content).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unreadable {
    /// The input's name.
    pub input: String,
    /// Its line, in NDJSON.
    pub line: Option<usize>,
    /// Why (an `input-*` issue code's message, or an I/O error).
    pub reason: String,
}

/// The whole table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    /// The MODS version whose value sets label the codes.
    pub mods_version: &'static str,
    /// The date ages are taken on.
    pub as_of: String,
    /// The fields, in order.
    pub fields: Vec<FieldInfo>,
    /// The suppression applied.
    pub suppression: Suppression,
    /// The rows, ordered by their codes.
    pub rows: Vec<Row>,
    /// Distinct people counted, as it may be shown.
    pub total_people: Option<u64>,
    /// Records counted, as it may be shown.
    pub total_records: Option<u64>,
    /// Records that could not be read: always counted exactly (they disclose no one).
    pub unreadable: u64,
    /// The first of them (up to 100), for finding them.
    pub unreadable_examples: Vec<Unreadable>,
}

#[derive(Default)]
struct Cell {
    people: HashSet<u64>,
    records: u64,
}

/// Counts records one at a time. Memory holds one 8-byte hash per distinct person per
/// row (to count people, not records, when a person has several records), never a record.
pub struct Aggregator {
    model: &'static Model,
    fields: Vec<Field>,
    as_of: NaiveDate,
    suppression: Suppression,
    cells: BTreeMap<Vec<String>, Cell>,
    people: HashSet<u64>,
    records: u64,
    anonymous: u64,
    unreadable: u64,
    examples: Vec<Unreadable>,
}

/// How many unreadable records are listed by place.
const EXAMPLES: usize = 100;

impl Aggregator {
    /// An aggregator by `by` (each resolved by [`Field::resolve`]; at least one, no
    /// repeats), ages taken on `as_of`.
    ///
    /// Errors: [`MiError::NoFields`], [`MiError::UnknownField`], [`MiError::NotCoded`],
    /// [`MiError::RepeatedField`].
    pub fn new(
        model: &'static Model,
        by: &[String],
        as_of: NaiveDate,
        suppression: Suppression,
    ) -> Result<Aggregator, MiError> {
        let names: Vec<&str> = by
            .iter()
            .flat_map(|b| b.split(','))
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        if names.is_empty() {
            return Err(MiError::NoFields);
        }
        let mut fields: Vec<Field> = Vec::new();
        for name in names {
            let f = Field::resolve(name, model)?;
            if fields.iter().any(|g| g.path == f.path) {
                return Err(MiError::RepeatedField { field: f.name });
            }
            fields.push(f);
        }
        Ok(Aggregator {
            model,
            fields,
            as_of,
            suppression,
            cells: BTreeMap::new(),
            people: HashSet::new(),
            records: 0,
            anonymous: 0,
            unreadable: 0,
            examples: Vec::new(),
        })
    }

    /// Count one record document.
    pub fn add(&mut self, record: &Value) {
        self.records += 1;
        let person = match person_key(record) {
            Some(k) => hash(&k),
            None => {
                // a record naming no one is one more person
                self.anonymous += 1;
                hash(&format!("anonymous:{}", self.anonymous))
            }
        };
        self.people.insert(person);
        let sets: Vec<BTreeSet<String>> = self
            .fields
            .iter()
            .map(|f| f.codes(record, self.as_of))
            .collect();
        let mut combos: Vec<Vec<String>> = vec![Vec::new()];
        for set in &sets {
            combos = combos
                .into_iter()
                .flat_map(|c| {
                    set.iter().map(move |code| {
                        let mut c = c.clone();
                        c.push(code.clone());
                        c
                    })
                })
                .collect();
        }
        for combo in combos {
            let cell = self.cells.entry(combo).or_default();
            cell.people.insert(person);
            cell.records += 1;
        }
    }

    /// Count a record that could not be read.
    pub fn add_unreadable(&mut self, input: &str, line: Option<usize>, reason: &str) {
        self.unreadable += 1;
        if self.examples.len() < EXAMPLES {
            self.examples.push(Unreadable {
                input: input.to_owned(),
                line,
                reason: reason.to_owned(),
            });
        }
    }

    /// The table, counts suppressed as asked.
    pub fn finish(self) -> Table {
        let s = self.suppression;
        let rows = self
            .cells
            .into_iter()
            .map(|(codes, cell)| Row {
                categories: codes
                    .into_iter()
                    .zip(&self.fields)
                    .map(|(code, f)| Category {
                        field: f.name.clone(),
                        label: f.label_of(&code),
                        code,
                    })
                    .collect(),
                people: s.apply(cell.people.len() as u64),
                records: s.apply(cell.records),
            })
            .collect();
        Table {
            mods_version: self.model.mods_version,
            as_of: self.as_of.to_string(),
            fields: self
                .fields
                .iter()
                .map(|f| FieldInfo {
                    field: f.name.clone(),
                    path: f.path.clone(),
                    label: f.label.clone(),
                    term: f.term.map(str::to_owned),
                })
                .collect(),
            suppression: s,
            rows,
            total_people: s.apply(self.people.len() as u64),
            total_records: s.apply(self.records),
            unreadable: self.unreadable,
            unreadable_examples: self.examples,
        }
    }
}

fn hash(key: &str) -> u64 {
    let mut h = DefaultHasher::new();
    key.hash(&mut h);
    h.finish()
}

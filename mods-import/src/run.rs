//! The import run: read every input, group rows by person, build and validate each record,
//! and account for every source cell.

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

use mods_core::{validate_record, Severity, ValidationOptions};
use serde::Serialize;
use serde_json::Value;

use crate::build::{self, Attachment, ColumnRole};
use crate::codes::ImportCode;
use crate::group::Sorter;
use crate::mapping::Mapping;
use crate::source::{self, Columns, Input, Item, ReadFinding, Row};
use crate::Error;

/// Options of a run.
#[derive(Debug, Clone)]
///
/// New options may be added in any release: build the struct with `default()` and its
/// `with_*` methods (see docs/releasing.md).
#[non_exhaustive]
pub struct Options {
    /// Report only: build and validate, write nothing.
    pub dry_run: bool,
    /// Put the offending value in each report entry (off by default: values are personal data).
    pub include_values: bool,
    /// At most this many rows are held in memory before spilling to disk (default 50,000).
    pub chunk_rows: usize,
    /// The folder document paths are relative to.
    pub base_dir: PathBuf,
    /// The folder spill files go in (default: the system's temporary folder).
    pub spill_dir: PathBuf,
}

mods_core::__option_setters!(Options {
    with_dry_run(dry_run: bool);
    with_include_values(include_values: bool);
    with_chunk_rows(chunk_rows: usize);
    with_base_dir(base_dir: PathBuf);
    with_spill_dir(spill_dir: PathBuf);
});

impl Default for Options {
    fn default() -> Self {
        Options {
            dry_run: false,
            include_values: false,
            chunk_rows: 50_000,
            base_dir: PathBuf::from("."),
            // WebAssembly without WASI has no file system (and `temp_dir` would panic)
            spill_dir: if cfg!(all(target_family = "wasm", target_os = "unknown")) {
                PathBuf::from(".")
            } else {
                std::env::temp_dir()
            },
        }
    }
}

/// One entry of the report: a value, a cell, a row or a column that did not map or validate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    /// The input's name.
    pub source: String,
    /// The row number (CSV: the header is row 1); absent for a finding about a whole column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<u64>,
    /// The source column; absent for a finding about a whole row.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// The code: an import code, or a validation issue code.
    pub code: String,
    /// `error` or `warning`.
    pub severity: &'static str,
    /// A sentence; never the value.
    pub message: String,
    /// For a validation issue: the JSON pointer in the person's record.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    /// For a validation issue: the person's record uid.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record_uid: Option<String>,
    /// For `unmapped-column`: how many cells of the column held a value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cells: Option<u64>,
    /// The value, only with `include_values`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// Where each non-empty cell of one column went.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ColumnCount {
    /// `mapped`, `ignored` or `unmapped`.
    pub role: &'static str,
    /// Non-empty cells.
    pub cells: u64,
    /// Cells whose value is in a record.
    pub imported: u64,
    /// Cells of an ignored column.
    pub ignored: u64,
    /// Cells accounted to a report entry (their own, their row's or their column's).
    pub reported: u64,
}

/// The summary of a run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// Whether records were written.
    pub dry_run: bool,
    /// Rows read (CSV: without the header).
    pub rows: u64,
    /// Persons, i.e. records built.
    pub persons: u64,
    /// Records with at least one validation error.
    pub invalid_records: u64,
    /// Report entries by code.
    pub findings: BTreeMap<String, u64>,
    /// Errors among the report entries.
    pub errors: u64,
    /// Warnings among the report entries.
    pub warnings: u64,
    /// Per source column, where its cells went; every cell is imported, ignored or reported.
    pub columns: BTreeMap<String, ColumnCount>,
    /// Instances written, per class.
    pub classes: BTreeMap<String, u64>,
    /// Attached documents.
    pub attachments: Vec<Attachment>,
    /// Spill files used to group the rows (0 when the input fitted in memory or was grouped).
    pub spill_files: u64,
}

/// Where a run's output goes.
pub trait Sink {
    /// A person's record (not called on a dry run).
    fn record(&mut self, doc: &Value) -> Result<(), Error>;
    /// A report entry.
    fn entry(&mut self, entry: &Entry) -> Result<(), Error>;
    /// Rows read so far.
    fn progress(&mut self, _rows: u64) {}
}

struct State<'a> {
    mapping: &'a Mapping,
    opts: &'a Options,
    names: Vec<String>,
    summary: Summary,
    roles: Vec<ColumnRole>,
    sink: &'a mut dyn Sink,
    vopts: ValidationOptions,
}

impl State<'_> {
    fn role(&mut self, columns: &Columns) {
        while self.roles.len() < columns.names.len() {
            let name = &columns.names[self.roles.len()];
            let role = if let Some(i) = self.mapping.columns.iter().position(|c| &c.name == name) {
                ColumnRole::Mapped(i)
            } else if self.mapping.ignore.contains(name) {
                ColumnRole::Ignored
            } else {
                ColumnRole::Unmapped
            };
            self.summary.columns.insert(
                name.clone(),
                ColumnCount {
                    role: match role {
                        ColumnRole::Mapped(_) => "mapped",
                        ColumnRole::Ignored => "ignored",
                        ColumnRole::Unmapped => "unmapped",
                    },
                    ..Default::default()
                },
            );
            self.roles.push(role);
        }
    }

    fn count(&mut self, col: u32, f: impl Fn(&mut ColumnCount)) {
        let name = &self.names[col as usize];
        if let Some(c) = self.summary.columns.get_mut(name) {
            c.cells += 1;
            f(c);
        }
    }

    fn emit(&mut self, entry: Entry) -> Result<(), Error> {
        *self.summary.findings.entry(entry.code.clone()).or_default() += 1;
        if entry.severity == "error" {
            self.summary.errors += 1;
        } else {
            self.summary.warnings += 1;
        }
        self.sink.entry(&entry)
    }

    fn read_finding(
        &mut self,
        f: ReadFinding,
        rejected: Option<Row>,
        source: &str,
    ) -> Result<(), Error> {
        if let Some(row) = rejected {
            for (col, _) in &row.cells {
                self.count(*col, |c| c.reported += 1);
            }
        }
        if let (Some(col), false) = (f.column, f.rejects_row) {
            self.count(col, |c| c.reported += 1);
        }
        let entry = Entry {
            source: source.to_string(),
            row: Some(f.row),
            column: f.column.map(|c| self.names[c as usize].clone()),
            code: f.code.as_str().into(),
            severity: if f.code.is_warning() {
                "warning"
            } else {
                "error"
            },
            message: f.message,
            pointer: None,
            record_uid: None,
            cells: None,
            value: if self.opts.include_values {
                f.value
            } else {
                None
            },
        };
        self.emit(entry)
    }

    fn person(&mut self, key: String, rows: Vec<Row>, sources: &[String]) -> Result<(), Error> {
        let built = build::build(self.mapping, &self.roles, &key, &rows, &self.opts.base_dir);
        // accounting of this person's cells
        let mut reported: Vec<u32> = Vec::new();
        for f in &built.findings {
            if !f.finding.0.is_warning() {
                reported.push(f.column);
            }
        }
        for row in &rows {
            for (col, _) in &row.cells {
                match self.roles[*col as usize] {
                    ColumnRole::Ignored => self.count(*col, |c| c.ignored += 1),
                    ColumnRole::Unmapped => self.count(*col, |c| c.reported += 1),
                    ColumnRole::Mapped(_) => {}
                }
            }
        }
        for col in &built.mapped {
            self.count(*col, |c| c.imported += 1);
        }
        for col in reported {
            self.count(col, |c| c.reported += 1);
        }
        for f in built.findings {
            let entry = Entry {
                source: sources[f.source as usize].clone(),
                row: Some(f.row),
                column: Some(self.names[f.column as usize].clone()),
                code: f.finding.0.as_str().into(),
                severity: if f.finding.0.is_warning() {
                    "warning"
                } else {
                    "error"
                },
                message: f.finding.1,
                pointer: None,
                record_uid: None,
                cells: None,
                value: if self.opts.include_values {
                    Some(f.value)
                } else {
                    None
                },
            };
            self.emit(entry)?;
        }
        // validation of the record
        let report = validate_record(&built.doc, &self.vopts);
        let uid = built.doc["subject_of_care"]["record_uid"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let first = &rows[0];
        if report.issues.iter().any(|i| i.severity == Severity::Error) {
            self.summary.invalid_records += 1;
        }
        for issue in &report.issues {
            let origin = built
                .origins
                .iter()
                .filter(|(p, ..)| issue.path == *p || issue.path.starts_with(&format!("{p}/")))
                .max_by_key(|(p, ..)| p.len());
            let (source, row, column) = match origin {
                Some((_, s, r, c)) => (*s, *r, Some(self.names[*c as usize].clone())),
                // nothing landed there (a required element left empty): the column mapped
                // to that element, if any, on the person's first row
                None => (
                    first.source,
                    first.row,
                    column_of(self.mapping, &issue.path),
                ),
            };
            let entry = Entry {
                source: sources[source as usize].clone(),
                row: Some(row),
                column,
                code: issue.code.as_str().into(),
                severity: if issue.severity == Severity::Error {
                    "error"
                } else {
                    "warning"
                },
                message: issue.message.clone(),
                pointer: Some(issue.path.clone()),
                record_uid: Some(uid.clone()),
                cells: None,
                value: issue
                    .context
                    .get("value")
                    .and_then(|v| v.as_str())
                    .map(str::to_string),
            };
            self.emit(entry)?;
        }
        self.summary.persons += 1;
        if let Value::Object(doc) = &built.doc {
            for (k, v) in doc {
                match v {
                    Value::Array(a) => {
                        *self.summary.classes.entry(k.clone()).or_default() += a.len() as u64
                    }
                    Value::Object(_) => *self.summary.classes.entry(k.clone()).or_default() += 1,
                    _ => {}
                }
            }
        }
        self.summary.attachments.extend(built.attachments);
        if !self.opts.dry_run {
            self.sink.record(&built.doc)?;
        }
        Ok(())
    }
}

/// Run an import: every input is read, its rows grouped by the person column, one record
/// built and validated per person, and handed to `sink` with the report entries.
///
/// Mapping errors found against an input's header stop the run before any record is
/// written ([`Error::Mapping`]); everything about the data itself is a report entry.
pub fn run(
    mapping: &Mapping,
    inputs: &[Input],
    opts: &Options,
    sink: &mut dyn Sink,
) -> Result<Summary, Error> {
    let sources: Vec<String> = inputs.iter().map(Input::name).collect();
    let mut state = State {
        mapping,
        opts,
        names: Vec::new(),
        summary: Summary {
            dry_run: opts.dry_run,
            ..Default::default()
        },
        roles: Vec::new(),
        sink,
        vopts: ValidationOptions::default().with_include_values(opts.include_values),
    };
    let mut columns = Columns::default();
    let mut sorter = Sorter::new(opts.chunk_rows, &opts.spill_dir);
    // grouped input: the current person, and the persons already seen (a hash each)
    let mut current: Option<(String, Vec<Row>)> = None;
    let mut seen: HashSet<u64> = HashSet::new();
    for (i, input) in inputs.iter().enumerate() {
        source::read(input, i as u32, &mut columns, &mut |item, cols| {
            if state.names.len() != cols.names.len() {
                state.names.clone_from(&cols.names);
            }
            state.role(cols);
            let person_col = cols
                .names
                .iter()
                .position(|n| *n == mapping.person)
                .map(|p| p as u32);
            match item {
                Item::Finding(f, rejected) => state.read_finding(f, rejected, &sources[i]),
                Item::Row(row) => {
                    state.summary.rows += 1;
                    state.sink.progress(state.summary.rows);
                    let key = person_col
                        .and_then(|pc| row.cells.iter().find(|(c, _)| *c == pc))
                        .map(|(_, v)| v.trim().to_string())
                        .filter(|k| !k.is_empty());
                    let Some(key) = key else {
                        let f = ReadFinding {
                            source: row.source,
                            row: row.row,
                            column: person_col,
                            code: ImportCode::MissingPersonId,
                            message: "the person column is empty: the row cannot be placed in a record and is not imported".into(),
                            value: None,
                            rejects_row: true,
                        };
                        return state.read_finding(f, Some(row), &sources[i]);
                    };
                    if mapping.grouped {
                        match &mut current {
                            Some((k, rows)) if *k == key => {
                                rows.push(row);
                                Ok(())
                            }
                            _ => {
                                let h = {
                                    use std::hash::{Hash, Hasher};
                                    let mut s = std::collections::hash_map::DefaultHasher::new();
                                    key.hash(&mut s);
                                    s.finish()
                                };
                                if !seen.insert(h) {
                                    let f = ReadFinding {
                                        source: row.source,
                                        row: row.row,
                                        column: person_col,
                                        code: ImportCode::PersonNotGrouped,
                                        message: "the person's rows are not consecutive (the mapping says grouped = true); the row is not imported".into(),
                                        value: None,
                                        rejects_row: true,
                                    };
                                    return state.read_finding(f, Some(row), &sources[i]);
                                }
                                if let Some((k, rows)) = current.replace((key, vec![row])) {
                                    state.person(k, rows, &sources)?;
                                }
                                Ok(())
                            }
                        }
                    } else {
                        sorter.push(key, row)
                    }
                }
            }
        })?;
    }
    // Every column the mapping names must be in some input. Checked before any person is
    // built when the rows are sorted; with `grouped = true`, records may already be out.
    let errors = mapping.check_header(&columns.names);
    if !errors.is_empty() {
        return Err(Error::Mapping(errors));
    }
    if let Some((k, rows)) = current.take() {
        state.person(k, rows, &sources)?;
    }
    let spills = sorter.finish(&mut |(k, rows)| state.person(k, rows, &sources))?;
    state.summary.spill_files = spills as u64;
    // columns neither mapped nor ignored: one entry each
    let unmapped: Vec<(String, u64)> = state
        .summary
        .columns
        .iter()
        .filter(|(_, c)| c.role == "unmapped")
        .map(|(n, c)| (n.clone(), c.cells))
        .collect();
    for (name, cells) in unmapped {
        let entry = Entry {
            source: sources.join(", "),
            row: None,
            column: Some(name),
            code: ImportCode::UnmappedColumn.as_str().into(),
            severity: "error",
            message: "the column is neither mapped nor ignored by the mapping; its cells are not imported".into(),
            pointer: None,
            record_uid: None,
            cells: Some(cells),
            value: None,
        };
        state.emit(entry)?;
    }
    Ok(state.summary)
}

/// The mapped column whose element a validation issue's pointer names, if one does.
fn column_of(mapping: &Mapping, pointer: &str) -> Option<String> {
    let parts: Vec<&str> = pointer.split('/').skip(1).collect();
    let (class, element) = match parts.as_slice() {
        [class, index, element, ..] if index.parse::<usize>().is_ok() => (*class, *element),
        [class, element, ..] => (*class, *element),
        _ => return None,
    };
    mapping
        .columns
        .iter()
        .find(|c| {
            c.target.class.technical_name == class && c.target.element.technical_name == element
        })
        .map(|c| c.name.clone())
}

//! Reading the inputs: CSV (a header row, then one row per line), NDJSON (one JSON object
//! per line) or JSON (an array of objects), as rows of non-empty cells.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::codes::ImportCode;
use crate::Error;

/// The form of an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Comma-separated values with a header row.
    Csv,
    /// One JSON object per line.
    Ndjson,
    /// A JSON array of objects (read whole: use NDJSON for large exports).
    Json,
}

impl Format {
    /// The format named by `csv`, `ndjson`, `jsonl` or `json`.
    pub fn from_name(name: &str) -> Option<Format> {
        match name.to_ascii_lowercase().as_str() {
            "csv" => Some(Format::Csv),
            "ndjson" | "jsonl" => Some(Format::Ndjson),
            "json" => Some(Format::Json),
            _ => None,
        }
    }

    /// The format a file name's extension says.
    pub fn from_path(path: &Path) -> Option<Format> {
        path.extension()
            .and_then(|e| e.to_str())
            .and_then(Format::from_name)
    }
}

/// One input of an import.
pub enum Input {
    /// A file; its format from its extension.
    File(PathBuf),
    /// Bytes in memory, with the name reports give them.
    Bytes {
        /// The name in reports.
        name: String,
        /// The format.
        format: Format,
        /// The content.
        data: Vec<u8>,
    },
}

impl Input {
    /// The name reports give the input.
    pub fn name(&self) -> String {
        match self {
            Input::File(p) => p.display().to_string(),
            Input::Bytes { name, .. } => name.clone(),
        }
    }
}

/// A row: where it comes from and its non-empty cells (column index, text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    /// The index of the input.
    pub source: u32,
    /// The row number (CSV: the header is row 1; NDJSON: the line; JSON: the element, from 1).
    pub row: u64,
    /// Non-empty cells: index in the column table, text.
    pub cells: Vec<(u32, String)>,
}

/// A finding about a whole row (or a cell) made while reading.
#[derive(Debug, Clone)]
pub struct ReadFinding {
    /// The input.
    pub source: u32,
    /// The row.
    pub row: u64,
    /// The column, if the finding is about one cell.
    pub column: Option<u32>,
    /// The code.
    pub code: ImportCode,
    /// What is wrong.
    pub message: String,
    /// The offending text (only kept when values are included).
    pub value: Option<String>,
    /// `true` when the row is not imported: its cells are accounted to this finding.
    pub rejects_row: bool,
}

/// The names of the columns met so far, shared by every input.
#[derive(Debug, Default)]
pub struct Columns {
    /// Names in order of first appearance.
    pub names: Vec<String>,
}

impl Columns {
    /// The index of a column, adding it when new.
    pub fn index(&mut self, name: &str) -> u32 {
        match self.names.iter().position(|n| n == name) {
            Some(i) => i as u32,
            None => {
                self.names.push(name.to_string());
                (self.names.len() - 1) as u32
            }
        }
    }
}

/// What a reader hands on: a row (possibly rejected) and findings.
pub enum Item {
    /// A row to import.
    Row(Row),
    /// A finding; a rejected row comes with its cells for the accounting.
    Finding(ReadFinding, Option<Row>),
}

/// Read one input, handing each row to `f`. Returns the input's header (its columns).
pub fn read(
    input: &Input,
    source: u32,
    columns: &mut Columns,
    f: &mut dyn FnMut(Item, &Columns) -> Result<(), Error>,
) -> Result<Vec<String>, Error> {
    let unreadable = |e: String| Error::Input {
        input: input.name(),
        code: ImportCode::UnreadableInput,
        message: e,
    };
    let (format, reader): (Format, Box<dyn Read + '_>) = match input {
        Input::File(p) => {
            let format = Format::from_path(p).ok_or_else(|| {
                unreadable("the file name ends in none of .csv, .ndjson, .jsonl, .json".into())
            })?;
            let file = File::open(p)
                .map_err(|e| unreadable(format!("cannot open the file: {}", e.kind())))?;
            (format, Box::new(file))
        }
        Input::Bytes { format, data, .. } => (*format, Box::new(data.as_slice())),
    };
    match format {
        Format::Csv => read_csv(reader, source, columns, f, &unreadable),
        Format::Ndjson => {
            let mut header = Vec::new();
            for (i, line) in BufReader::new(reader).lines().enumerate() {
                let line = line
                    .map_err(|e| unreadable(format!("cannot read line {}: {}", i + 1, e.kind())))?;
                if line.trim().is_empty() {
                    continue;
                }
                let value: Value = serde_json::from_str(&line).map_err(|e| {
                    unreadable(format!(
                        "line {} is not JSON (column {})",
                        i + 1,
                        e.column()
                    ))
                })?;
                object_row(value, source, i as u64 + 1, columns, &mut header, f)?;
            }
            Ok(header)
        }
        Format::Json => {
            let value: Value = serde_json::from_reader(BufReader::new(reader)).map_err(|e| {
                unreadable(format!(
                    "not JSON (line {}, column {})",
                    e.line(),
                    e.column()
                ))
            })?;
            let Value::Array(items) = value else {
                return Err(unreadable(
                    "a .json input must be an array of objects".into(),
                ));
            };
            let mut header = Vec::new();
            for (i, v) in items.into_iter().enumerate() {
                object_row(v, source, i as u64 + 1, columns, &mut header, f)?;
            }
            Ok(header)
        }
    }
}

fn read_csv(
    reader: Box<dyn Read + '_>,
    source: u32,
    columns: &mut Columns,
    f: &mut dyn FnMut(Item, &Columns) -> Result<(), Error>,
    unreadable: &dyn Fn(String) -> Error,
) -> Result<Vec<String>, Error> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(reader);
    let header: Vec<String> = rdr
        .headers()
        .map_err(|e| unreadable(format!("cannot read the header: {}", csv_error(&e))))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    for (i, h) in header.iter().enumerate() {
        if h.is_empty() || header[..i].contains(h) {
            return Err(unreadable(format!(
                "header column {} is empty or repeats an earlier name",
                i + 1
            )));
        }
    }
    let index: Vec<u32> = header.iter().map(|h| columns.index(h)).collect();
    let mut record = csv::StringRecord::new();
    let mut n: u64 = 1;
    loop {
        match rdr.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(unreadable(format!("row {}: {}", n + 1, csv_error(&e)))),
        }
        n += 1;
        let mut cells = Vec::new();
        for (i, v) in record.iter().enumerate().take(index.len()) {
            if !v.trim().is_empty() {
                cells.push((index[i], v.to_string()));
            }
        }
        let row = Row {
            source,
            row: n,
            cells,
        };
        if record.len() > index.len() {
            let finding = ReadFinding {
                source,
                row: n,
                column: None,
                code: ImportCode::TooManyFields,
                message: format!(
                    "the row has {} fields where the header has {}; it is not imported",
                    record.len(),
                    index.len()
                ),
                value: None,
                rejects_row: true,
            };
            f(Item::Finding(finding, Some(row)), columns)?;
            continue;
        }
        if record.len() < index.len() {
            let finding = ReadFinding {
                source,
                row: n,
                column: None,
                code: ImportCode::TooFewFields,
                message: format!("the row has {} fields where the header has {}; the missing cells are taken as empty", record.len(), index.len()),
                value: None,
                rejects_row: false,
            };
            f(Item::Finding(finding, None), columns)?;
        }
        f(Item::Row(row), columns)?;
    }
    Ok(header)
}

fn csv_error(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "the text is not UTF-8".into(),
        csv::ErrorKind::Io(e) => format!("read error: {}", e.kind()),
        _ => "malformed CSV".into(),
    }
}

fn object_row(
    value: Value,
    source: u32,
    row: u64,
    columns: &mut Columns,
    header: &mut Vec<String>,
    f: &mut dyn FnMut(Item, &Columns) -> Result<(), Error>,
) -> Result<(), Error> {
    let Value::Object(map) = value else {
        let finding = ReadFinding {
            source,
            row,
            column: None,
            code: ImportCode::NestedValue,
            message: "the item is not a JSON object; it is not imported".into(),
            value: None,
            rejects_row: true,
        };
        return f(Item::Finding(finding, None), columns);
    };
    let mut cells = Vec::new();
    for (k, v) in map {
        if !header.contains(&k) {
            header.push(k.clone());
        }
        let col = columns.index(&k);
        let text = match v {
            Value::Null => continue,
            Value::String(s) => s,
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => n.to_string(),
            other => {
                let finding = ReadFinding {
                    source,
                    row,
                    column: Some(col),
                    code: ImportCode::NestedValue,
                    message: "an object or array where a single value is needed; the cell is not imported".into(),
                    value: Some(other.to_string()),
                    rejects_row: false,
                };
                f(Item::Finding(finding, None), columns)?;
                continue;
            }
        };
        if !text.trim().is_empty() {
            cells.push((col, text));
        }
    }
    f(Item::Row(Row { source, row, cells }), columns)
}

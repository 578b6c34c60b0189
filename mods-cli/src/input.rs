//! Finding the inputs of `mods validate` and reading them within the size limit.
//!
//! Every path argument becomes one or more [`Entry`]s, in argument order; a directory is
//! walked recursively and its `*.json`, `*.ndjson` and `*.jsonl` files are taken in sorted
//! order. Problems finding inputs (a missing file, an unreadable directory, a directory
//! without record files) become [`Entry::Error`]s at the place they occur, so the other
//! inputs are still validated.

use mods_core::{InputError, IssueCode};
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// How the bytes of an input hold documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One JSON document.
    Json,
    /// One JSON document per non-empty line.
    Ndjson,
}

/// Where an input's bytes come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Standard input (`-`).
    Stdin,
    /// A file.
    File(PathBuf),
}

/// One input to validate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// Where to read it.
    pub source: Source,
    /// The name shown in reports (`-` for stdin).
    pub name: String,
    /// JSON or NDJSON.
    pub format: Format,
}

/// A path that could not be turned into inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathError {
    /// The path, as shown in reports.
    pub path: String,
    /// What went wrong.
    pub message: String,
}

/// One item of the ordered list of inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// An input to validate.
    Input(Input),
    /// A path that could not be read.
    Error(PathError),
}

/// The format a file's name implies: `.ndjson` and `.jsonl` are NDJSON, `.json` JSON;
/// `None` for other names.
fn format_of(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "json" => Some(Format::Json),
        "ndjson" | "jsonl" => Some(Format::Ndjson),
        _ => None,
    }
}

/// Expand the path arguments into the ordered list of entries. `stdin_ndjson` makes `-`
/// NDJSON instead of JSON. A file named explicitly is taken whatever its extension
/// (NDJSON for `.ndjson`/`.jsonl`, JSON otherwise).
pub fn collect(paths: &[PathBuf], stdin_ndjson: bool) -> Vec<Entry> {
    let mut entries = Vec::new();
    for path in paths {
        let name = path.to_string_lossy().into_owned();
        if path.as_os_str() == "-" {
            let format = if stdin_ndjson {
                Format::Ndjson
            } else {
                Format::Json
            };
            entries.push(Entry::Input(Input {
                source: Source::Stdin,
                name,
                format,
            }));
            continue;
        }
        match std::fs::metadata(path) {
            Err(e) => entries.push(Entry::Error(PathError {
                path: name,
                message: io_message(&e),
            })),
            Ok(meta) if meta.is_dir() => walk(path, &name, &mut entries),
            Ok(_) => entries.push(Entry::Input(Input {
                source: Source::File(path.clone()),
                name,
                format: format_of(path).unwrap_or(Format::Json),
            })),
        }
    }
    entries
}

/// Walk a directory, adding its record files in sorted order.
fn walk(dir: &Path, name: &str, entries: &mut Vec<Entry>) {
    let before = entries.len();
    let mut found = 0usize;
    for item in walkdir::WalkDir::new(dir).sort_by_file_name() {
        match item {
            Err(e) => {
                let path = e
                    .path()
                    .map(|p| p.to_string_lossy().into_owned())
                    .unwrap_or_else(|| name.to_owned());
                let message = match e.io_error() {
                    Some(io) => io_message(io),
                    None => e.to_string(),
                };
                entries.push(Entry::Error(PathError { path, message }));
            }
            Ok(item) => {
                if !item.file_type().is_file() {
                    continue;
                }
                if let Some(format) = format_of(item.path()) {
                    found += 1;
                    entries.push(Entry::Input(Input {
                        source: Source::File(item.path().to_path_buf()),
                        name: item.path().to_string_lossy().into_owned(),
                        format,
                    }));
                }
            }
        }
    }
    if found == 0 && entries.len() == before {
        entries.push(Entry::Error(PathError {
            path: name.to_owned(),
            message: "no *.json, *.ndjson or *.jsonl files found in this directory".into(),
        }));
    }
}

/// An I/O error as a short sentence, without the `(os error N)` suffix.
pub fn io_message(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file or directory".into(),
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            let s = e.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_owned(),
                None => s,
            }
        }
    }
}

/// The `input-too-large` error for a document of `size` bytes (when known).
pub fn too_large(size: Option<u64>, max: usize, what: &str) -> InputError {
    let message = match size {
        Some(n) => format!("the {what} is {n} bytes, more than the limit of {max} bytes"),
        None => format!("the {what} is more than the limit of {max} bytes"),
    };
    InputError {
        code: IssueCode::InputTooLarge,
        message,
        path: None,
        line: None,
        column: None,
        offset: None,
    }
}

/// Read a whole document of at most `max` bytes. `Ok(Err(_))` is a document over the
/// limit; it is never read whole. `size_hint` is the file size when known.
pub fn read_document(
    mut reader: impl Read,
    size_hint: Option<u64>,
    max: usize,
) -> io::Result<Result<Vec<u8>, InputError>> {
    if let Some(n) = size_hint {
        if n > max as u64 {
            return Ok(Err(too_large(Some(n), max, "document")));
        }
    }
    let cap = size_hint.map_or(0, |n| n as usize);
    let mut bytes = Vec::with_capacity(cap);
    (&mut reader).take(max as u64 + 1).read_to_end(&mut bytes)?;
    if bytes.len() > max {
        return Ok(Err(too_large(None, max, "document")));
    }
    Ok(Ok(bytes))
}

/// One line of an NDJSON input.
#[derive(Debug)]
pub enum Line<'a> {
    /// The line's bytes, without the line ending.
    Document(&'a [u8]),
    /// The line was longer than the limit; only its length was kept.
    TooLong(u64),
}

/// Call `each(line_number, line)` for every non-empty line of `reader` (1-based numbers,
/// counting empty lines too). Lines are read with a bounded buffer: a line longer than
/// `max` bytes is skipped over, not held in memory.
pub fn for_each_line(
    mut reader: impl BufRead,
    max: usize,
    mut each: impl FnMut(usize, Line<'_>),
) -> io::Result<()> {
    let mut number = 0usize;
    let mut buf: Vec<u8> = Vec::new();
    let mut over: Option<u64> = None;
    let mut pending = false;
    let mut emit = |number: usize, buf: &mut Vec<u8>, over: &mut Option<u64>| {
        if let Some(n) = over.take() {
            each(number, Line::TooLong(n));
        } else {
            if buf.last() == Some(&b'\r') {
                buf.pop();
            }
            if !buf.iter().all(|b| b.is_ascii_whitespace()) {
                each(number, Line::Document(buf));
            }
        }
        buf.clear();
    };
    loop {
        let chunk = match reader.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            if pending {
                number += 1;
                emit(number, &mut buf, &mut over);
            }
            return Ok(());
        }
        let (part, used, end) = match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => (&chunk[..i], i + 1, true),
            None => (chunk, chunk.len(), false),
        };
        pending = true;
        match over.as_mut() {
            Some(n) => *n += part.len() as u64,
            None if buf.len() + part.len() > max => {
                over = Some((buf.len() + part.len()) as u64);
                buf = Vec::new();
            }
            None => buf.extend_from_slice(part),
        }
        reader.consume(used);
        if end {
            number += 1;
            emit(number, &mut buf, &mut over);
            pending = false;
        }
    }
}

/// Open a file for reading, with its size.
pub fn open(path: &Path) -> io::Result<(BufReader<File>, Option<u64>)> {
    let file = File::open(path)?;
    let size = file.metadata().ok().map(|m| m.len());
    Ok((BufReader::new(file), size))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8], max: usize) -> Vec<(usize, String)> {
        let mut out = Vec::new();
        for_each_line(input, max, |n, l| {
            let s = match l {
                Line::Document(b) => String::from_utf8_lossy(b).into_owned(),
                Line::TooLong(n) => format!("<{n}>"),
            };
            out.push((n, s));
        })
        .unwrap();
        out
    }

    #[test]
    fn ndjson_lines_are_numbered_and_bounded() {
        assert_eq!(
            lines(b"{}\n\n  \r\n{\"a\":1}\r\n[]", 100),
            vec![(1, "{}".into()), (4, "{\"a\":1}".into()), (5, "[]".into())]
        );
        assert_eq!(
            lines(b"{}\n0123456789\n{}\n", 5),
            vec![(1, "{}".into()), (2, "<10>".into()), (3, "{}".into())]
        );
        assert!(lines(b"", 5).is_empty());
    }

    #[test]
    fn documents_over_the_limit_are_not_read() {
        assert!(read_document(&b"12345"[..], None, 5).unwrap().is_ok());
        let e = read_document(&b"123456"[..], None, 5).unwrap().unwrap_err();
        assert_eq!(e.code, IssueCode::InputTooLarge);
        let e = read_document(&b""[..], Some(6), 5).unwrap().unwrap_err();
        assert!(e.message.contains("6 bytes"));
    }
}

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
use std::ops::Range;
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

/// One line of an NDJSON batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    /// A document: the bytes `Batch::bytes[range]`, without the line ending.
    Document(Range<usize>),
    /// The line was longer than the limit; only its length was kept.
    TooLong(u64),
}

/// Consecutive lines of an NDJSON input, read together and validated together.
#[derive(Debug, Default)]
pub struct Batch {
    /// The documents' bytes, one after the other.
    pub bytes: Vec<u8>,
    /// Every line that is not blank, with its 1-based line number (blank lines counted).
    pub lines: Vec<(usize, Line)>,
    /// Bytes of the input the batch covers, line endings and blank lines included.
    pub consumed: u64,
}

impl Batch {
    /// The bytes of a [`Line::Document`].
    pub fn document(&self, range: &Range<usize>) -> &[u8] {
        self.bytes.get(range.clone()).unwrap_or_default()
    }
}

/// Reads an NDJSON input in [`Batch`]es of whole lines, holding at most one batch and one
/// line of at most `max` bytes: a longer line is skipped over and kept as its length only
/// ([`Line::TooLong`]), so memory does not grow with the input, nor with a line.
pub struct NdjsonReader<R> {
    reader: R,
    max: usize,
    /// Lines read so far.
    number: usize,
    done: bool,
}

impl<R: BufRead> NdjsonReader<R> {
    /// A reader of `reader`'s lines, each document at most `max` bytes.
    pub fn new(reader: R, max: usize) -> Self {
        NdjsonReader {
            reader,
            max,
            number: 0,
            done: false,
        }
    }

    /// The next lines: whole lines until the batch holds `bytes` bytes of documents or
    /// `lines` documents, or the input ends. `None` once the input has ended.
    pub fn next_batch(&mut self, bytes: usize, lines: usize) -> io::Result<Option<Batch>> {
        let mut batch = Batch {
            // room for the batch and the line that closes it, in most cases
            bytes: Vec::with_capacity(bytes.min(4 << 20) + 64 * 1024),
            ..Batch::default()
        };
        while !self.done && batch.bytes.len() < bytes && batch.lines.len() < lines {
            self.done = !self.line(&mut batch)?;
        }
        Ok((batch.consumed > 0).then_some(batch))
    }

    /// Read one line into `batch`; `false` at the end of the input (nothing read).
    fn line(&mut self, batch: &mut Batch) -> io::Result<bool> {
        let start = batch.bytes.len();
        let mut over: Option<u64> = None;
        let mut read_any = false;
        loop {
            let chunk = match self.reader.fill_buf() {
                Ok(c) => c,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if chunk.is_empty() {
                if !read_any {
                    return Ok(false);
                }
                break; // the last line has no line ending
            }
            read_any = true;
            let (part, used, end) = match memchr::memchr(b'\n', chunk) {
                Some(i) => (&chunk[..i], i + 1, true),
                None => (chunk, chunk.len(), false),
            };
            let so_far = batch.bytes.len() - start;
            match over.as_mut() {
                Some(n) => *n += part.len() as u64,
                None if so_far + part.len() > self.max => {
                    over = Some((so_far + part.len()) as u64);
                    batch.bytes.truncate(start);
                }
                None => batch.bytes.extend_from_slice(part),
            }
            batch.consumed += used as u64;
            self.reader.consume(used);
            if end {
                break;
            }
        }
        self.number += 1;
        if let Some(n) = over {
            batch.lines.push((self.number, Line::TooLong(n)));
            return Ok(true);
        }
        if batch.bytes.len() > start && batch.bytes.last() == Some(&b'\r') {
            batch.bytes.pop();
        }
        if batch.bytes[start..].iter().all(u8::is_ascii_whitespace) {
            batch.bytes.truncate(start);
        } else {
            let end = batch.bytes.len();
            batch.lines.push((self.number, Line::Document(start..end)));
        }
        Ok(true)
    }
}

/// Bytes read from an input at a time: few system calls, and little memory.
pub const READ_BUFFER: usize = 256 * 1024;

/// Open a file for reading, with its size.
pub fn open(path: &Path) -> io::Result<(BufReader<File>, Option<u64>)> {
    let file = File::open(path)?;
    let size = file.metadata().ok().map(|m| m.len());
    Ok((BufReader::with_capacity(READ_BUFFER, file), size))
}

/// One whole document from a path, or from standard input when the path is `-`, within the
/// default size limit; the error is a message naming no content (the verbs that read one
/// document at a time: `fhir`, `merge-discharge`, `commission`, `share`).
pub fn read_whole(path: &std::path::Path) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let max = mods_core::Limits::default().max_bytes;
    if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .lock()
            .take(max as u64 + 1)
            .read_to_end(&mut buf)
            .map_err(|e| io_message(&e))?;
        if buf.len() > max {
            return Err(too_large(None, max, "document").to_string());
        }
        return Ok(buf);
    }
    let (reader, size) = open(path).map_err(|e| io_message(&e))?;
    read_document(reader, size, max)
        .map_err(|e| io_message(&e))?
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every line, read in batches of `per` documents, as (number, text or `<length>`),
    /// checking each batch's `consumed` adds up to the input.
    fn lines_by(input: &[u8], max: usize, per: usize) -> Vec<(usize, String)> {
        let mut out = Vec::new();
        let mut r = NdjsonReader::new(input, max);
        let mut consumed = 0;
        while let Some(b) = r.next_batch(usize::MAX, per).unwrap() {
            consumed += b.consumed;
            for (n, l) in &b.lines {
                let s = match l {
                    Line::Document(range) => {
                        String::from_utf8_lossy(b.document(range)).into_owned()
                    }
                    Line::TooLong(n) => format!("<{n}>"),
                };
                out.push((*n, s));
            }
        }
        assert_eq!(consumed, input.len() as u64);
        out
    }

    fn lines(input: &[u8], max: usize) -> Vec<(usize, String)> {
        let all = lines_by(input, max, usize::MAX);
        for per in 1..4 {
            assert_eq!(lines_by(input, max, per), all, "in batches of {per}");
        }
        all
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
        assert!(lines(b"\n\n", 5).is_empty());
        // a line of exactly the limit is read; one byte more is not
        assert_eq!(
            lines(b"12345\n123456", 5),
            vec![(1, "12345".into()), (2, "<6>".into())]
        );
    }

    #[test]
    fn batches_hold_whole_lines_up_to_their_size() {
        // lines longer than the reader's buffer are put together across reads
        let long = format!("{{\"a\":\"{}\"}}", "x".repeat(3 * READ_BUFFER));
        let input = format!("{long}\n{{}}\n\n{long}\n{{}}");
        let reader = BufReader::with_capacity(READ_BUFFER, input.as_bytes());
        let mut r = NdjsonReader::new(reader, 16 << 20);
        let mut got = Vec::new();
        while let Some(b) = r.next_batch(1000, 100).unwrap() {
            got.push(
                b.lines
                    .iter()
                    .map(|(n, l)| match l {
                        Line::Document(range) => (*n, range.len()),
                        Line::TooLong(_) => (*n, 0),
                    })
                    .collect::<Vec<_>>(),
            );
        }
        // a batch closes once it holds 1,000 bytes: after each long line
        assert_eq!(
            got,
            vec![
                vec![(1, long.len())],
                vec![(2, 2), (4, long.len())],
                vec![(5, 2)]
            ]
        );
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

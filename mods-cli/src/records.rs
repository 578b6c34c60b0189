//! Reading every record of the inputs one after the other, for the commands that count or
//! extract over many records (`mods aggregate`, `mods extract`): files, directories walked
//! in sorted order, NDJSON line by line in batches, so memory stays flat however many
//! records there are. A record that cannot be read is handed on as its reason, never
//! skipped.

use crate::input::{self, Entry, Format, Line, NdjsonReader, Source};
use serde_json::Value;
use std::io::{self, BufRead, BufReader};
use std::path::PathBuf;

/// What is handed on for each record.
pub enum Item<'a> {
    /// A record read as JSON.
    Record(&'a Value),
    /// A record that could not be read (not JSON, over a limit): why, never its content.
    Unreadable(&'a str),
    /// A path that could not be read at all.
    PathError(&'a str),
}

/// What was read for one record, before parsing.
enum Raw<'a> {
    Bytes(&'a [u8]),
    Unreadable(&'a str),
    PathError(&'a str),
}

/// Call `f(name, line, item)` for every record of `paths` (`line` for NDJSON).
pub fn each(
    paths: &[PathBuf],
    stdin_ndjson: bool,
    mut f: impl FnMut(&str, Option<usize>, Item<'_>) -> io::Result<()>,
) -> io::Result<()> {
    let limits = mods_core::Limits::default();
    let max = limits.max_bytes;
    let mut one = |name: &str, line: Option<usize>, raw: Raw<'_>| match raw {
        Raw::Bytes(bytes) => match mods_core::parse_json(bytes, &limits) {
            Ok(v) => f(name, line, Item::Record(&v)),
            Err(e) => f(name, line, Item::Unreadable(&e.message)),
        },
        Raw::Unreadable(why) => f(name, line, Item::Unreadable(why)),
        Raw::PathError(why) => f(name, line, Item::PathError(why)),
    };
    for entry in input::collect(paths, stdin_ndjson) {
        let i = match entry {
            Entry::Error(e) => {
                one(&e.path, None, Raw::PathError(&e.message))?;
                continue;
            }
            Entry::Input(i) => i,
        };
        if i.format == Format::Json {
            let read = match &i.source {
                Source::Stdin => input::read_document(io::stdin().lock(), None, max),
                Source::File(path) => input::open(path)
                    .and_then(|(reader, size)| input::read_document(reader, size, max)),
            };
            match read {
                Ok(Ok(bytes)) => one(&i.name, None, Raw::Bytes(&bytes))?,
                Ok(Err(e)) => one(&i.name, None, Raw::Unreadable(&e.message))?,
                Err(e) => one(&i.name, None, Raw::PathError(&input::io_message(&e)))?,
            }
            continue;
        }
        let reader: Box<dyn BufRead> = match &i.source {
            Source::Stdin => Box::new(BufReader::with_capacity(
                input::READ_BUFFER,
                io::stdin().lock(),
            )),
            Source::File(path) => match input::open(path) {
                Ok((reader, _)) => Box::new(reader),
                Err(e) => {
                    one(&i.name, None, Raw::PathError(&input::io_message(&e)))?;
                    continue;
                }
            },
        };
        let mut lines = NdjsonReader::new(reader, max);
        loop {
            let batch = match lines.next_batch(256 * 1024, 256) {
                Ok(Some(b)) => b,
                Ok(None) => break,
                Err(e) => {
                    one(&i.name, None, Raw::PathError(&input::io_message(&e)))?;
                    break;
                }
            };
            for (n, line) in &batch.lines {
                match line {
                    Line::Document(range) => {
                        one(&i.name, Some(*n), Raw::Bytes(batch.document(range)))?
                    }
                    Line::TooLong(len) => {
                        let e = input::too_large(Some(*len), max, "line");
                        one(&i.name, Some(*n), Raw::Unreadable(&e.message))?
                    }
                }
            }
        }
    }
    Ok(())
}

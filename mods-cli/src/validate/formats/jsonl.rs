//! The JSON Lines output: one object per record (`path`, `line`, `valid`, `issues`,
//! `omitted`), one per input that could not be read (`path`, `error`), in input order, and
//! a last line holding the summary (`{"summary": {...}}`).

use super::{json_to, RecordJson, ReportFormat, Summary};
use crate::validate::RecordResult;
use mods_core::Issue;
use std::io::{self, Write};

/// `--format jsonl`.
pub struct Jsonl;

/// `{"path":NAME,"error":MESSAGE}` and a newline.
fn error_line(buf: &mut Vec<u8>, name: &str, message: &str) -> io::Result<()> {
    buf.extend_from_slice(b"{\"path\":");
    json_to(buf, name)?;
    buf.extend_from_slice(b",\"error\":");
    json_to(buf, message)?;
    buf.extend_from_slice(b"}\n");
    Ok(())
}

impl ReportFormat for Jsonl {
    fn record(
        &mut self,
        buf: &mut Vec<u8>,
        name: &str,
        r: &RecordResult,
        issues: &[&Issue],
    ) -> io::Result<()> {
        json_to(buf, &RecordJson::new(Some(name), r, issues))?;
        buf.push(b'\n');
        Ok(())
    }

    fn input_end(
        &mut self,
        out: &mut dyn Write,
        name: &str,
        error: Option<&str>,
    ) -> io::Result<()> {
        if let Some(message) = error {
            let mut buf = Vec::new();
            error_line(&mut buf, name, message)?;
            out.write_all(&buf)?;
        }
        Ok(())
    }

    fn path_error(&mut self, buf: &mut Vec<u8>, name: &str, message: &str) -> io::Result<()> {
        error_line(buf, name, message)
    }

    fn finish(&mut self, buf: &mut Vec<u8>, summary: &Summary, _quiet: bool) -> io::Result<()> {
        buf.extend_from_slice(b"{\"summary\":");
        json_to(buf, summary)?;
        buf.extend_from_slice(b"}\n");
        Ok(())
    }
}

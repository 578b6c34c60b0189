//! The JSON output: one object, `{"files": [...], "summary": {...}}`, written piece by piece.

use super::{json_to, RecordJson, ReportFormat, Summary};
use crate::validate::RecordResult;
use mods_core::Issue;
use std::io::{self, Write};

/// `--format json`.
#[derive(Default)]
pub struct Json {
    /// An input has been written (a comma before the next).
    any_input: bool,
    /// A record of the open input has been written (a comma before the next).
    any_record: bool,
}

impl Json {
    /// `,{"path":NAME,` (the comma unless this is the first input).
    fn entry_start(&mut self, buf: &mut Vec<u8>, name: &str) -> io::Result<()> {
        if self.any_input {
            buf.push(b',');
        }
        self.any_input = true;
        buf.extend_from_slice(b"{\"path\":");
        json_to(buf, name)?;
        buf.push(b',');
        Ok(())
    }
}

impl ReportFormat for Json {
    fn start(&mut self, buf: &mut Vec<u8>, quiet: bool) -> io::Result<()> {
        if !quiet {
            buf.extend_from_slice(b"{\"files\":[");
        }
        Ok(())
    }

    fn input_start(&mut self, buf: &mut Vec<u8>, name: &str) -> io::Result<()> {
        self.entry_start(buf, name)?;
        buf.extend_from_slice(b"\"records\":[");
        self.any_record = false;
        Ok(())
    }

    fn record(
        &mut self,
        buf: &mut Vec<u8>,
        _: &str,
        r: &RecordResult,
        issues: &[&Issue],
    ) -> io::Result<()> {
        if self.any_record {
            buf.push(b',');
        }
        self.any_record = true;
        json_to(buf, &RecordJson::new(None, r, issues))
    }

    fn input_end(&mut self, out: &mut dyn Write, _: &str, error: Option<&str>) -> io::Result<()> {
        let mut buf = b"]".to_vec();
        if let Some(error) = error {
            buf.extend_from_slice(b",\"error\":");
            json_to(&mut buf, error)?;
        }
        buf.push(b'}');
        out.write_all(&buf)
    }

    fn path_error(&mut self, buf: &mut Vec<u8>, name: &str, message: &str) -> io::Result<()> {
        self.entry_start(buf, name)?;
        buf.extend_from_slice(b"\"error\":");
        json_to(buf, message)?;
        buf.push(b'}');
        Ok(())
    }

    fn finish(&mut self, buf: &mut Vec<u8>, summary: &Summary, quiet: bool) -> io::Result<()> {
        buf.extend_from_slice(if quiet { b"{" } else { b"]," });
        buf.extend_from_slice(b"\"summary\":");
        json_to(buf, summary)?;
        buf.extend_from_slice(b"}\n");
        Ok(())
    }
}

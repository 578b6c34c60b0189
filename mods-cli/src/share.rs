//! `mods share`: a component of a record, or the record as a purpose lets its recipient see
//! it (use case 7), through `mods_api`.

use crate::input;
use crate::output;
use clap::{Args, ValueEnum};
use mods_api::{share, share_components, share_purposes, Error, ShareOptions};
use mods_core::guard;
use mods_core::share::{Manifest, Withheld};
use serde_json::json;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

/// What `mods share --help` shows after the options.
pub const AFTER_HELP: &str = "\
Examples:
  mods share --list                                            (the purposes and components)
  mods share --purpose hospital-admission examples/records/james.json > for-the-ward.json
  mods share --purpose family-carer examples/records/james.json --manifest manifest.json
  mods share --component medication examples/records/james.json
  mods share --component medication --purpose gp examples/records/james.json
  mods share --policy my-policy.toml record.json           (a policy of your own, TOML)

The view (a MODS record document that validates on its own) goes to stdout; what was kept
and withheld goes to stderr, one line each, or as JSON to --manifest FILE (then stderr gets
the summary line only). The manifest never holds a value of the record.

Exit status:
  0  the view was written and is valid
  1  the view was written but has validation errors (the record itself has errors)
  2  nothing was written: the record or the policy could not be read, an unknown purpose
     or component, a policy naming an unknown class or element, or an internal error";

/// Format of `--list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// A table.
    Human,
    /// The purposes (with every rule and its rationale) and components as JSON.
    Json,
}

/// Options of `mods share`.
#[derive(Debug, Args)]
pub struct ShareArgs {
    /// The record file, or `-` for stdin.
    #[arg(value_name = "RECORD", required_unless_present = "list")]
    pub record: Option<PathBuf>,
    /// A built-in purpose (see --list).
    #[arg(long, value_name = "PURPOSE", conflicts_with = "policy")]
    pub purpose: Option<String>,
    /// A policy of your own, a TOML file (see docs/share.md).
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// A component to extract (see --list).
    #[arg(long, value_name = "COMPONENT")]
    pub component: Option<String>,
    /// Write the manifest as JSON to FILE.
    #[arg(long, value_name = "FILE")]
    pub manifest: Option<PathBuf>,
    /// The date taken as today, YYYY-MM-DD (default: today, UTC): a consent given until an
    /// earlier date has lapsed.
    #[arg(long, value_name = "DATE")]
    pub today: Option<String>,
    /// Put offending values in the view's validation issues (they hold the person's data).
    #[arg(long)]
    pub include_values: bool,
    /// List the built-in purposes and the components, and exit.
    #[arg(long, conflicts_with_all = ["purpose", "policy", "component", "manifest"])]
    pub list: bool,
    /// Format of --list.
    #[arg(long, value_enum, default_value_t = ListFormat::Human, requires = "list")]
    pub format: ListFormat,
}

/// A policy file is small: more than this is not a policy.
const MAX_POLICY_BYTES: u64 = 1 << 20;

fn read_policy(path: &Path) -> Result<String, String> {
    let (mut reader, _) = input::open(path).map_err(|e| input::io_message(&e))?;
    let mut buf = Vec::new();
    (&mut reader)
        .take(MAX_POLICY_BYTES + 1)
        .read_to_end(&mut buf)
        .map_err(|e| input::io_message(&e))?;
    if buf.len() as u64 > MAX_POLICY_BYTES {
        return Err(format!(
            "a policy file is at most {MAX_POLICY_BYTES} bytes; this one is larger"
        ));
    }
    String::from_utf8(buf).map_err(|_| "the policy file is not UTF-8 text".to_owned())
}

/// Run `mods share`; returns the exit code.
pub fn run(a: &ShareArgs) -> io::Result<u8> {
    if a.list {
        return list(a.format);
    }
    let Some(record) = &a.record else {
        return Ok(2);
    };
    let name = record.display().to_string();
    let bytes = match input::read_whole(record) {
        Ok(b) => b,
        Err(msg) => {
            output::error(&format!("{name}: {msg}"));
            return Ok(2);
        }
    };
    let policy = match &a.policy {
        None => None,
        Some(p) => match read_policy(p) {
            Ok(t) => Some(t),
            Err(msg) => {
                output::error(&format!("{}: {msg}", p.display()));
                return Ok(2);
            }
        },
    };
    let mut opts = ShareOptions::default().with_include_values(a.include_values);
    opts.purpose = a.purpose.clone();
    opts.policy = policy;
    opts.component = a.component.clone();
    opts.today = a.today.clone();
    let got = match guard::catch(|| share(&bytes, &opts)) {
        Err(_) => return Ok(2),
        Ok(Err(e)) => {
            let place = match &e {
                Error::InvalidOption { option, .. } if option == "policy" => a
                    .policy
                    .as_ref()
                    .map_or(name.clone(), |p| p.display().to_string()),
                Error::InvalidOption { option, .. } => format!("--{option}"),
                _ => name.clone(),
            };
            output::error(&format!("{place}: {e}"));
            return Ok(2);
        }
        Ok(Ok(g)) => g,
    };
    // the manifest first: when it cannot be written, nothing is
    if let Some(path) = &a.manifest {
        let text = serde_json::to_string_pretty(&got.manifest).map_err(io::Error::other)?;
        if let Err(e) = std::fs::write(path, text + "\n") {
            output::error(&format!("{}: {}", path.display(), input::io_message(&e)));
            return Ok(2);
        }
    }
    {
        let mut out = io::BufWriter::new(io::stdout().lock());
        serde_json::to_writer_pretty(&mut out, &got.view).map_err(io::Error::other)?;
        writeln!(out)?;
        out.flush()?;
    }
    let mut err = io::stderr().lock();
    if a.manifest.is_none() {
        manifest_lines(&mut err, &got.manifest)?;
        for i in &got.validation.issues {
            writeln!(
                err,
                "{}\t{}\t{}\t{}",
                i.severity.as_str(),
                i.code.as_str(),
                i.pointer,
                i.message
            )?;
        }
    }
    let m = &got.manifest;
    let what = match (&m.purpose, &m.component) {
        (Some(p), Some(c)) => format!("component {c} for {}", p.id),
        (Some(p), None) => format!("view for {}", p.id),
        (None, Some(c)) => format!("component {c}"),
        (None, None) => "view".to_owned(),
    };
    let valid = got.validation.valid;
    let values: usize = m
        .withheld
        .iter()
        .filter(|w| w.element.is_some())
        .map(|w| w.count)
        .sum();
    writeln!(
        err,
        "{name}: {what}: {} of {} kept, {} withheld; {} withheld from the records kept{}; view {}",
        m.records_kept(),
        output::plural(m.records_in(), "record", "records"),
        m.records_in() - m.records_kept(),
        output::plural(values, "element value", "element values"),
        if m.members_withheld.is_empty() {
            String::new()
        } else {
            format!(
                "; {} withheld",
                output::plural(m.members_withheld.len(), "other member", "other members")
            )
        },
        if valid { "valid" } else { "NOT valid" }
    )?;
    Ok(if valid { 0 } else { 1 })
}

/// One line per class kept and per kind of thing withheld.
fn manifest_lines(err: &mut impl Write, m: &Manifest) -> io::Result<()> {
    for (class, c) in &m.classes {
        if c.kept > 0 {
            writeln!(err, "kept\t{class}\t{}", c.kept)?;
        }
    }
    for w in &m.withheld {
        writeln!(err, "withheld\t{}\t{}", what(w), cause(w))?;
    }
    for k in &m.members_withheld {
        writeln!(err, "withheld\t{k}\t(not a record collection)")?;
    }
    Ok(())
}

fn what(w: &Withheld) -> String {
    match &w.element {
        Some(e) => format!("{}.{e}\t{}", w.class, w.count),
        None => format!("{}\t{}", w.class, w.count),
    }
}

fn cause(w: &Withheld) -> String {
    let reason = serde_json::to_value(w.reason)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    let mut s = reason;
    if let Some(v) = &w.via {
        s.push_str(&format!("\tvia {v}"));
    }
    if let Some(r) = &w.rule {
        s.push_str(&format!("\t{r}"));
    }
    if let Some(c) = &w.consent {
        s.push_str(&format!(
            "\tconsent {} ({}, {}{})",
            c.pointer,
            c.purpose,
            c.decision,
            if c.lapsed { ", lapsed" } else { "" }
        ));
    }
    s
}

fn list(format: ListFormat) -> io::Result<u8> {
    let purposes = share_purposes();
    let components = share_components();
    let mut out = io::BufWriter::new(io::stdout().lock());
    match format {
        ListFormat::Json => {
            serde_json::to_writer_pretty(
                &mut out,
                &json!({"purposes": purposes, "components": components}),
            )
            .map_err(io::Error::other)?;
            writeln!(out)?;
        }
        ListFormat::Human => {
            writeln!(out, "Purposes (--purpose):")?;
            for p in &purposes {
                writeln!(
                    out,
                    "  {:<24}{} ({} classes shared)",
                    p.id,
                    p.recipient,
                    p.rules.len()
                )?;
            }
            writeln!(out, "\nComponents (--component):")?;
            for c in &components {
                writeln!(out, "  {:<24}{}: {}", c.id, c.title, c.classes.join(", "))?;
            }
            writeln!(
                out,
                "\n`mods share --list --format json` gives every rule with its rationale."
            )?;
        }
    }
    out.flush()?;
    Ok(0)
}

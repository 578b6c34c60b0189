//! `mods migrate`, `mods diff-spec` and `mods diff`: records across MODS versions and over
//! time.

use crate::cli::{ClassesFormat, DiffArgs, DiffSpecArgs, MigrateArgs};
use crate::input::{self, Entry, Format, Source};
use crate::output::{self, Table};
use mods_core::history::{diff_records, DiffOptions, RecordChangeKind};
use mods_core::migrate::{migrate as core_migrate, MigrateError, MigrateOptions, OnLoss};
use mods_core::model::{ElementDef, Lookup, ValueSetDef};
use mods_core::spec_diff::{diff_spec as core_diff_spec, SpecChange};
use mods_core::{guard, parse_json, IssueCode, Limits};
use serde_json::{json, Value};
use std::io::{self, Read, Write};
use std::path::Path;

fn write_json(out: &mut impl Write, value: &impl serde::Serialize) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(io::Error::other)?;
    writeln!(out)
}

/// Read and parse one record document from a path (`-` for stdin).
fn read_record(source: &Source) -> Result<Value, String> {
    let limits = Limits::default();
    let bytes = match source {
        Source::Stdin => {
            let mut buf = Vec::new();
            io::stdin()
                .lock()
                .take(limits.max_bytes as u64 + 1)
                .read_to_end(&mut buf)
                .map_err(|e| input::io_message(&e))?;
            buf
        }
        Source::File(p) => {
            let (reader, size) = input::open(p).map_err(|e| input::io_message(&e))?;
            match input::read_document(reader, size, limits.max_bytes)
                .map_err(|e| input::io_message(&e))?
            {
                Ok(b) => b,
                Err(e) => return Err(e.to_string()),
            }
        }
    };
    parse_json(&bytes, &limits).map_err(|e| e.to_string())
}

pub(crate) fn read_path(path: &Path) -> Result<Value, String> {
    let source = if path.as_os_str() == "-" {
        Source::Stdin
    } else {
        Source::File(path.to_path_buf())
    };
    read_record(&source).map_err(|e| format!("{}: {e}", path.display()))
}

/// Run `mods migrate`; returns the exit code.
pub fn migrate(args: &MigrateArgs) -> io::Result<u8> {
    if mods_core::model::model(&args.to).is_none() {
        output::error(&format!(
            "MODS {} is not supported; supported versions: {}",
            args.to,
            mods_core::model::supported_versions()
        ));
        return Ok(2);
    }
    let entries = input::collect(&args.paths, false);
    let inputs: Vec<_> = entries
        .iter()
        .filter_map(|e| match e {
            Entry::Input(i) if i.format == Format::Json => Some(i),
            _ => None,
        })
        .collect();
    let mut code = 0u8;
    for e in &entries {
        match e {
            Entry::Error(pe) => {
                output::error(&format!("{}: {}", pe.path, pe.message));
                code = 2;
            }
            Entry::Input(i) if i.format != Format::Json => {
                output::error(&format!(
                    "{}: mods migrate takes JSON record documents, not NDJSON",
                    i.name
                ));
                code = 2;
            }
            _ => {}
        }
    }
    if args.out.is_none() && inputs.len() > 1 {
        output::error("several records need --out DIR to write them to");
        return Ok(2);
    }
    if let Some(dir) = &args.out {
        if let Err(e) = std::fs::create_dir_all(dir) {
            output::error(&format!(
                "cannot create {}: {}",
                dir.display(),
                input::io_message(&e)
            ));
            return Ok(2);
        }
    }
    let opts = MigrateOptions::default().with_on_loss(if args.keep_lost {
        OnLoss::KeepInExtension
    } else {
        OnLoss::Fail
    });
    let mut report = Vec::new();
    let stderr = io::stderr();
    for input in inputs {
        // Each record is guarded on its own: a panic (a bug) is reported for this record,
        // with its location only, and the next record is migrated.
        let outcome = guard::catch(|| {
            read_record(&input.source).map(|record| {
                core_migrate(&record, &args.to, &opts).map(|m| {
                    let text = serde_json::to_string_pretty(&m.record).map(|t| t + "\n");
                    (m, text)
                })
            })
        });
        let migrated = match outcome {
            Ok(Ok(m)) => m,
            Ok(Err(e)) => {
                output::error(&format!("{}: {e}", input.name));
                code = code.max(2);
                continue;
            }
            Err(p) => {
                output::error(&format!("{}: {}", input.name, p.message()));
                code = code.max(2);
                report.push(json!({
                    "path": input.name,
                    "error": p.message(),
                    "code": IssueCode::InternalError.as_str(),
                    "location": p.location(),
                }));
                continue;
            }
        };
        match migrated {
            Ok((m, text)) => {
                let text = text.map_err(io::Error::other)?;
                match &args.out {
                    Some(dir) => {
                        let name = match &input.source {
                            Source::File(p) => p.file_name().map(|n| n.to_os_string()),
                            Source::Stdin => None,
                        }
                        .unwrap_or_else(|| "stdin.json".into());
                        let path = dir.join(name);
                        if let Err(e) = std::fs::write(&path, text) {
                            output::error(&format!(
                                "cannot write {}: {}",
                                path.display(),
                                input::io_message(&e)
                            ));
                            code = code.max(2);
                        }
                    }
                    None => {
                        let mut out = io::stdout().lock();
                        out.write_all(text.as_bytes())?;
                        out.flush()?;
                    }
                }
                if args.report.is_none() {
                    let mut err = stderr.lock();
                    writeln!(
                        err,
                        "{}: MODS {} -> {}, {}",
                        input.name,
                        m.from,
                        m.to,
                        output::plural(m.changes.len(), "change", "changes")
                    )?;
                    for c in &m.changes {
                        writeln!(
                            err,
                            "  {:<18} {:<10} {}  ({})",
                            kind_word(&c.kind),
                            c.step,
                            c.path,
                            c.detail
                        )?;
                    }
                }
                report.push(
                    json!({"path": input.name, "from": m.from, "to": m.to, "changes": m.changes}),
                );
            }
            Err(e) => {
                code = code.max(1);
                output::error(&format!("{}: {e}", input.name));
                if let MigrateError::Lossy { .. } = e {
                    output::error(
                        "  use --keep-lost to keep that data in mods_extensions.migration instead",
                    );
                }
                report.push(json!({"path": input.name, "error": e.to_string()}));
            }
        }
    }
    if let Some(path) = &args.report {
        let text = serde_json::to_string_pretty(&report).map_err(io::Error::other)? + "\n";
        if let Err(e) = std::fs::write(path, text) {
            output::error(&format!(
                "cannot write {}: {}",
                path.display(),
                input::io_message(&e)
            ));
            code = code.max(2);
        }
    }
    Ok(code)
}

fn kind_word(k: &mods_core::migrate::ChangeKind) -> String {
    serde_json::to_value(k)
        .ok()
        .and_then(|v| v.as_str().map(|s| s.replace('_', " ")))
        .unwrap_or_default()
}

/// Run `mods diff-spec`; returns the exit code.
pub fn diff_spec(args: &DiffSpecArgs, out: &mut impl Write) -> io::Result<u8> {
    let Some(d) = core_diff_spec(&args.a, &args.b) else {
        output::error(&format!(
            "both versions must be supported MODS versions: {}",
            mods_core::model::supported_versions()
        ));
        return Ok(2);
    };
    if args.format == ClassesFormat::Json {
        write_json(out, &d)?;
        return Ok(0);
    }
    writeln!(out, "MODS {} -> {}", d.from, d.to)?;
    let mut table = Table::new(&["CHANGE", "WHAT", "DETAIL", "BREAKING", "MIGRATION STEP"]);
    for e in &d.entries {
        let (kind, what, detail) = match &e.change {
            SpecChange::ClassAdded { class } => ("class added", class.clone(), String::new()),
            SpecChange::ClassRemoved { class } => ("class removed", class.clone(), String::new()),
            SpecChange::ElementAdded {
                class,
                element,
                required,
            } => (
                "element added",
                format!("{class}.{element}"),
                if *required {
                    "required".into()
                } else {
                    "optional".into()
                },
            ),
            SpecChange::ElementRemoved { class, element } => (
                "element removed",
                format!("{class}.{element}"),
                String::new(),
            ),
            SpecChange::Retyped {
                class,
                element,
                from,
                to,
            } => (
                "retyped",
                format!("{class}.{element}"),
                format!("{from} -> {to}"),
            ),
            SpecChange::Reoccurred {
                class,
                element,
                from,
                to,
            } => (
                "occurrence",
                format!("{class}.{element}"),
                format!("{from} -> {to}"),
            ),
            SpecChange::Rebound {
                class,
                element,
                from,
                to,
            } => (
                "re-bound",
                format!("{class}.{element}"),
                format!("{from} -> {to}"),
            ),
            SpecChange::CodesRemoved { value_set, codes } => {
                ("codes removed", value_set.clone(), codes.join(", "))
            }
            SpecChange::CodesAdded { value_set, codes } => {
                ("codes added", value_set.clone(), codes.join(", "))
            }
        };
        table.row(vec![
            kind.into(),
            what,
            detail,
            if e.breaking { "yes" } else { "" }.into(),
            e.handled_by.clone().unwrap_or_default(),
        ]);
    }
    table.write(out)?;
    let breaking = d.entries.iter().filter(|e| e.breaking).count();
    writeln!(
        out,
        "\n{}, {breaking} breaking; `mods migrate --to {}` applies the migration steps.",
        output::plural(d.entries.len(), "difference", "differences"),
        d.to
    )?;
    Ok(0)
}

/// With `--include-values`, an instance added or removed is listed under its line, one
/// element a line by its MODS name in the model's order, inherited elements first
/// (`    Incident description: ...`),
/// so the diff of two days of a record reads as what happened. `record_uid` is on the line
/// above and not repeated. A coded value shows its display (from the value set when the
/// record has none, else its code), a list its items separated by `; `, a group its members
/// as `name: value`. Nothing is written when values are hidden (`instance` is `None`).
fn write_instance(
    out: &mut impl Write,
    version: &str,
    class: &str,
    instance: Option<&Value>,
) -> io::Result<()> {
    let Some(Value::Object(members)) = instance else {
        return Ok(());
    };
    let class = mods_core::model::model(version).and_then(|m| m.class(class));
    let model = mods_core::model::model(version);
    // the model's elements first, in its order, then any member it does not know
    // (the inherited ones first: date, time, who and where head the instance)
    let mut known: Vec<&ElementDef> = class
        .map(|c| c.elements.iter().collect())
        .unwrap_or_default();
    known.sort_by_key(|e| !e.inherited);
    let rows = known
        .iter()
        .filter_map(|e| members.get(e.technical_name).map(|v| (e.name, Some(*e), v)))
        .chain(
            members
                .iter()
                .filter(|(k, _)| !known.iter().any(|e| e.technical_name == k.as_str()))
                .map(|(k, v)| (k.as_str(), None, v)),
        );
    for (name, element, value) in rows {
        if element.is_some_and(|e| e.technical_name == "record_uid") {
            continue;
        }
        let value_set = element.and_then(|e| match e.lookup {
            Lookup::ValueSet { value_set, .. } => model.and_then(|m| m.value_set(value_set)),
            _ => None,
        });
        writeln!(out, "    {name}: {}", shown_value(value, value_set))?;
    }
    Ok(())
}

/// A value as a person reads it (see [`write_instance`]).
fn shown_value(v: &Value, value_set: Option<&ValueSetDef>) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Bool(true) => "yes".to_owned(),
        Value::Bool(false) => "no".to_owned(),
        Value::Null => "(null)".to_owned(),
        Value::Number(n) => n.to_string(),
        Value::Array(items) => items
            .iter()
            .map(|x| shown_value(x, value_set))
            .collect::<Vec<_>>()
            .join("; "),
        Value::Object(m) => match (m.get("code"), m.get("display")) {
            (Some(Value::String(_)), Some(Value::String(display))) => display.clone(),
            (Some(Value::String(code)), None) => value_set
                .and_then(|vs| vs.display(code))
                .unwrap_or(code)
                .to_owned(),
            _ => m
                .iter()
                .map(|(k, v)| format!("{}: {}", k.replace('_', " "), shown_value(v, None)))
                .collect::<Vec<_>>()
                .join(", "),
        },
    }
}

/// Run `mods diff`; returns the exit code.
pub fn diff(args: &DiffArgs, out: &mut impl Write) -> io::Result<u8> {
    let opts = DiffOptions::default()
        .with_include_values(args.include_values)
        .with_include_audit(args.include_audit);
    // A panic (a bug) while reading or comparing prints its location only, and nothing on
    // stdout, like any other failure of the comparison.
    let compared = guard::catch(|| match (read_path(&args.old), read_path(&args.new)) {
        (Ok(old), Ok(new)) => diff_records(&old, &new, &opts).map_err(|e| e.to_string()),
        (Err(e), _) | (_, Err(e)) => Err(e),
    });
    let d = match compared {
        Ok(Ok(d)) => d,
        Ok(Err(e)) => {
            output::error(&e);
            return Ok(2);
        }
        Err(p) => {
            output::error(&p.message());
            return Ok(2);
        }
    };
    // --exit-code: 1 when something changed, as `git diff --exit-code`
    let status = u8::from(args.exit_code && !d.changes.is_empty());
    if args.format == ClassesFormat::Json {
        write_json(out, &d)?;
        return Ok(status);
    }
    for i in &d.issues {
        let which = i
            .context
            .get("record")
            .and_then(Value::as_str)
            .unwrap_or("");
        writeln!(out, "! {which} record: {i}")?;
    }
    if d.changes.is_empty() {
        writeln!(out, "No changes.")?;
        return Ok(0);
    }
    for c in &d.changes {
        let uid = c
            .record_uid
            .as_deref()
            .map(|u| format!(" {u}"))
            .unwrap_or_default();
        match c.kind {
            RecordChangeKind::Added => {
                writeln!(out, "+ {}{uid} added  ({})", c.class_name, c.path)?;
                write_instance(out, &d.mods_version, &c.class, c.after.as_ref())?;
            }
            RecordChangeKind::Removed => {
                writeln!(out, "- {}{uid} removed  ({})", c.class_name, c.path)?;
                write_instance(out, &d.mods_version, &c.class, c.before.as_ref())?;
            }
            RecordChangeKind::Changed => {
                let el = c.element_name.as_deref().unwrap_or("");
                write!(out, "~ {}{uid}: {el} changed  ({})", c.class_name, c.path)?;
                if args.include_values {
                    let show = |v: &Option<Value>| {
                        v.as_ref().map_or("(absent)".to_owned(), |v| v.to_string())
                    };
                    write!(out, ": {} -> {}", show(&c.before), show(&c.after))?;
                }
                writeln!(out)?;
            }
        }
    }
    let count = |k| d.changes.iter().filter(|c| c.kind == k).count();
    writeln!(
        out,
        "\n{} added, {} removed, {} changed{}.",
        count(RecordChangeKind::Added),
        count(RecordChangeKind::Removed),
        count(RecordChangeKind::Changed),
        if args.include_values {
            ""
        } else {
            "; values hidden (--include-values shows them)"
        }
    )?;
    Ok(status)
}

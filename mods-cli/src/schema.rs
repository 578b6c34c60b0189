//! `mods schema`: the JSON Schema (draft 2020-12) of the record document and of each
//! class, for every supported MODS version (docs/json-schema.md).

use crate::cli::SchemaArgs;
use crate::output;
use mods_core::{model, schema};
use serde_json::Value;
use std::fs;
use std::io::{self, Write};
use std::path::Path;

/// A schema as committed: pretty-printed, two-space indent, with a trailing newline.
fn render(value: &Value) -> io::Result<String> {
    let mut s = serde_json::to_string_pretty(value).map_err(io::Error::other)?;
    s.push('\n');
    Ok(s)
}

/// Run `mods schema`; returns the exit code.
pub fn run(args: &SchemaArgs, out: &mut impl Write) -> io::Result<u8> {
    if let Some(v) = &args.mods_version {
        if model::model(v).is_none() {
            output::error(&format!(
                "MODS version `{v}` is not supported (supported: {})",
                model::supported_versions()
            ));
            return Ok(2);
        }
    }
    if let Some(dir) = &args.out {
        return match write_all(args, dir, out) {
            Ok(code) => Ok(code),
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Err(e),
            Err(e) => {
                output::error(&format!("cannot write to {}: {e}", dir.display()));
                Ok(2)
            }
        };
    }
    let version = args
        .mods_version
        .as_deref()
        .unwrap_or(model::latest().mods_version);
    let value = match &args.class {
        Some(c) => match schema::class_schema(version, c) {
            Some(v) => v,
            None => return Ok(unknown_class(version, c)),
        },
        None => match schema::record_schema(version) {
            Some(v) => v,
            None => return Ok(2),
        },
    };
    out.write_all(render(&value)?.as_bytes())?;
    Ok(0)
}

fn unknown_class(version: &str, class: &str) -> u8 {
    output::error(&format!(
        "`{class}` is not a record or component class of MODS {version} (`mods classes` lists them)"
    ));
    2
}

/// Write a file only when its content changes, creating its directory.
fn write_file(path: &Path, content: &str) -> io::Result<()> {
    if fs::read_to_string(path).is_ok_and(|old| old == content) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(path, content)
}

fn write_all(args: &SchemaArgs, dir: &Path, out: &mut impl Write) -> io::Result<u8> {
    let versions: Vec<&str> = match &args.mods_version {
        Some(v) => vec![v.as_str()],
        None => model::models().iter().map(|m| m.mods_version).collect(),
    };
    let mut written = 0usize;
    for &version in &versions {
        let vdir = dir.join(version);
        if let Some(c) = &args.class {
            let Some(value) = schema::class_schema(version, c) else {
                return Ok(unknown_class(version, c));
            };
            write_file(
                &vdir.join("classes").join(format!("{c}.schema.json")),
                &render(&value)?,
            )?;
            written += 1;
            continue;
        }
        let Some(record) = schema::record_schema(version) else {
            continue;
        };
        write_file(&vdir.join("record.schema.json"), &render(&record)?)?;
        written += 1;
        let classes = schema::schema_classes(version).unwrap_or_default();
        for c in &classes {
            if let Some(value) = schema::class_schema(version, c) {
                write_file(
                    &vdir.join("classes").join(format!("{c}.schema.json")),
                    &render(&value)?,
                )?;
                written += 1;
            }
        }
        // class schemas of classes the version no longer has
        if let Ok(entries) = fs::read_dir(vdir.join("classes")) {
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if let Some(c) = name.strip_suffix(".schema.json") {
                    if !classes.contains(&c) {
                        fs::remove_file(e.path())?;
                    }
                }
            }
        }
    }
    if args.mods_version.is_none() && args.class.is_none() {
        let index = serde_json::json!({
            "description": "JSON Schemas (draft 2020-12) of MODS record documents, one directory per MODS version; see docs/json-schema.md.",
            "current": model::latest().mods_version,
            "versions": model::models().iter().map(|m| serde_json::json!({
                "mods_version": m.mods_version,
                "status": m.status,
                "record": format!("{}/record.schema.json", m.mods_version),
                "$id": schema::record_schema_id(m.mods_version),
            })).collect::<Vec<_>>(),
        });
        write_file(&dir.join("index.json"), &render(&index)?)?;
    }
    writeln!(
        out,
        "wrote {} for MODS {} under {}",
        output::plural(written, "schema", "schemas"),
        versions.join(", "),
        dir.display()
    )?;
    Ok(0)
}

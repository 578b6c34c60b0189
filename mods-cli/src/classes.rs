//! `mods classes`: the classes of the latest MODS model, as a table or in detail.

use crate::cli::{ClassesArgs, ClassesFormat};
use crate::output::{self, Table};
use mods_core::model::{self, ClassDef, ClassKind, ElementDef, Lookup, Strength};
use serde::Serialize;
use std::io::{self, Write};

/// Run `mods classes`; returns the exit code.
pub fn run(args: &ClassesArgs, out: &mut impl Write) -> io::Result<u8> {
    let model = model::latest();
    match &args.class {
        None => {
            match args.format {
                ClassesFormat::Human => list_human(model, out)?,
                ClassesFormat::Json => {
                    let rows: Vec<ClassRow> = model.classes.iter().map(ClassRow::from).collect();
                    write_json(out, &rows)?;
                }
            }
            Ok(0)
        }
        Some(name) => {
            let Some(class) = model.class(name) else {
                output::error(&format!(
                    "`{name}` is not a class of MODS {}; run `mods classes` to list them",
                    model.mods_version
                ));
                return Ok(2);
            };
            match args.format {
                ClassesFormat::Human => detail_human(class, out)?,
                ClassesFormat::Json => write_json(out, class)?,
            }
            Ok(0)
        }
    }
}

fn write_json(out: &mut impl Write, value: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(io::Error::other)?;
    writeln!(out)
}

/// One row of the class list.
#[derive(Debug, Serialize)]
struct ClassRow {
    technical_name: &'static str,
    name: &'static str,
    group: &'static str,
    kind: &'static str,
    provenance: &'static str,
    own_elements: usize,
    extension: bool,
}

impl From<&'static ClassDef> for ClassRow {
    fn from(c: &'static ClassDef) -> Self {
        ClassRow {
            technical_name: c.technical_name,
            name: c.name,
            group: c.group,
            kind: kind_str(c.kind),
            provenance: c.provenance.status.as_str(),
            own_elements: c.own_elements().count(),
            extension: c.extension,
        }
    }
}

fn kind_str(kind: ClassKind) -> &'static str {
    match kind {
        ClassKind::Record => "record",
        ClassKind::Component => "component",
        ClassKind::Abstract => "abstract",
    }
}

fn strength_str(strength: Strength) -> &'static str {
    match strength {
        Strength::Required => "required",
        Strength::Extensible => "extensible",
        Strength::Preferred => "preferred",
    }
}

/// The table of every class.
fn list_human(model: &model::Model, out: &mut impl Write) -> io::Result<()> {
    let mut table = Table::new(&[
        "TECHNICAL NAME",
        "NAME",
        "GROUP",
        "KIND",
        "PROVENANCE",
        "ELEMENTS",
        "EXTENSION",
    ]);
    for c in model.classes {
        let row = ClassRow::from(c);
        table.row(vec![
            row.technical_name.into(),
            row.name.into(),
            row.group.into(),
            row.kind.into(),
            row.provenance.into(),
            row.own_elements.to_string(),
            if row.extension { "yes" } else { "" }.into(),
        ]);
    }
    table.write(out)?;
    writeln!(out)?;
    writeln!(
        out,
        "{} of MODS {}. ELEMENTS counts each class's own elements; \
         `mods classes CLASS` shows them.",
        output::plural(model.classes.len(), "class", "classes"),
        model.mods_version
    )?;
    Ok(())
}

/// What an element is bound to, in a few words.
fn binding(e: &ElementDef) -> String {
    let mut parts = Vec::new();
    match &e.lookup {
        Lookup::None => {}
        Lookup::ValueSet {
            value_set,
            strength,
        } => parts.push(format!(
            "value set {value_set} ({})",
            strength_str(*strength)
        )),
        Lookup::External { name, strength, .. } => {
            parts.push(format!("{name} ({})", strength_str(*strength)))
        }
        Lookup::Reference { targets, .. } => {
            parts.push(format!("reference to {}", targets.join(", ")))
        }
    }
    if let Some(c) = e.component {
        parts.push(format!("component {c}"));
    }
    if let Some(f) = e.format {
        parts.push(format!("format {}", f.as_str()));
    }
    if e.partial {
        parts.push("partial dates".into());
    }
    if e.integer {
        parts.push("whole number".into());
    }
    parts.join("; ")
}

/// One class in detail: its facts, then its elements, then the published rows.
fn detail_human(c: &'static ClassDef, out: &mut impl Write) -> io::Result<()> {
    writeln!(out, "{} ({})", c.technical_name, c.name)?;
    if !c.description.is_empty() {
        for line in output::wrap(c.description, 80, "  ") {
            writeln!(out, "{line}")?;
        }
    }
    writeln!(out)?;
    let mut facts = vec![
        ("group", c.group.to_owned()),
        (
            "kind",
            format!(
                "{}{}",
                kind_str(c.kind),
                if c.versioned { ", versioned" } else { "" }
            ),
        ),
        ("provenance", c.provenance.status.as_str().to_owned()),
    ];
    if let Some(p) = c.parent {
        facts.push(("parent", p.to_owned()));
    }
    if let Some(i) = c.inherits {
        facts.push(("inherits", i.to_owned()));
    }
    if c.extension {
        facts.push(("extension", "yes: an optional extension, not MODS".into()));
    }
    for s in c.provenance.sources {
        facts.push(("source", format!("{}: {}", s.kind, s.reference)));
    }
    for (k, v) in facts {
        writeln!(out, "  {:<11} {v}", format!("{k}:"))?;
    }
    writeln!(out)?;
    let mut table = Table::new(&[
        "TECHNICAL NAME",
        "NAME",
        "TYPE",
        "OCCURS",
        "BINDING",
        "FROM",
    ]);
    for e in c.elements {
        table.row(vec![
            e.technical_name.into(),
            e.name.into(),
            e.ty.as_str().into(),
            e.occurs.as_str().into(),
            binding(e),
            if e.inherited { "inherited" } else { "own" }.into(),
        ]);
    }
    table.write(out)?;

    let published: Vec<(&ElementDef, &model::PublishedRow)> = c
        .elements
        .iter()
        .filter_map(|e| e.published.as_ref().map(|p| (e, p)))
        .collect();
    if !published.is_empty() {
        writeln!(out)?;
        writeln!(out, "As published in the MODS data browser:")?;
        let mut table = Table::new(&["TECHNICAL NAME", "PUBLISHED TYPE", "PUBLISHED OCCURS"]);
        for (e, p) in published {
            table.row(vec![
                e.technical_name.into(),
                p.ty.unwrap_or("(not legible)").into(),
                p.occurs.unwrap_or("(not legible)").into(),
            ]);
        }
        table.write(out)?;
    }
    Ok(())
}

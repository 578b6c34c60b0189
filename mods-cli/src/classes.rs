//! `mods classes`: the classes of the latest MODS model, as a table or in detail.

use crate::cli::{ClassesArgs, ClassesFormat};
use crate::output::{self, Table};
use mods_core::model::{self, ClassDef, ClassKind, ElementDef, Lookup, Strength};
use serde::Serialize;
use std::io::{self, Write};

/// Run `mods classes`; returns the exit code.
pub fn run(args: &ClassesArgs, out: &mut impl Write) -> io::Result<u8> {
    let model = model::latest();
    if args.bindings {
        let rows = binding_rows(model);
        match args.format {
            ClassesFormat::Human => {
                let mut table = Table::new(&["ELEMENT", "TYPE", "BINDING", "STRENGTH", "TARGET"]);
                for r in &rows {
                    table.row(vec![
                        format!("{}.{}", r.class, r.element),
                        r.ty.into(),
                        r.binding.into(),
                        r.strength.into(),
                        r.target.clone(),
                    ]);
                }
                table.write(out)?;
                writeln!(out)?;
                let external = rows.iter().filter(|r| r.binding == "external").count();
                writeln!(
                    out,
                    "{}: {} bound to an embedded value set, {external} to an external terminology \
                     (`mods codes VALUE_SET` lists an embedded set's codes).",
                    output::plural(rows.len(), "coded element", "coded elements"),
                    rows.len() - external
                )?;
            }
            ClassesFormat::Json => write_json(out, &rows)?,
        }
        return Ok(0);
    }
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
                let names = model.classes.iter().map(|c| c.technical_name);
                output::error(&format!(
                    "`{name}` is not a class of MODS {}{}; run `mods classes` to list them",
                    model.mods_version,
                    crate::suggest::did_you_mean(name, names)
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

/// One coded element and its binding, for `mods classes --bindings`.
#[derive(Debug, Serialize)]
struct BindingRow {
    class: &'static str,
    element: &'static str,
    #[serde(rename = "type")]
    ty: &'static str,
    /// `value_set` or `external`.
    binding: &'static str,
    strength: &'static str,
    /// The value set id, or the external terminology's name and system.
    target: String,
}

/// Every coded element (Lookup to a code, Reference code) of every class, with its binding.
fn binding_rows(model: &model::Model) -> Vec<BindingRow> {
    let mut rows = Vec::new();
    for c in model.classes {
        for e in c.own_elements() {
            let (binding, strength, target) = match &e.lookup {
                Lookup::ValueSet {
                    value_set,
                    strength,
                } => ("value_set", *strength, (*value_set).to_owned()),
                Lookup::External {
                    system,
                    name,
                    strength,
                    ..
                } => ("external", *strength, format!("{name} <{system}>")),
                Lookup::None | Lookup::Reference { .. } => continue,
            };
            rows.push(BindingRow {
                class: c.technical_name,
                element: e.technical_name,
                ty: e.ty.as_str(),
                binding,
                strength: strength_str(strength),
                target,
            });
        }
    }
    rows
}

#[cfg(test)]
mod binding_tests {
    use super::*;
    use mods_core::model::ElementType;

    /// Every coded element of the model is bound, to an embedded set or an external one.
    #[test]
    fn every_coded_element_is_bound() {
        let model = model::latest();
        let coded = model
            .classes
            .iter()
            .flat_map(|c| c.own_elements())
            .filter(|e| {
                matches!(e.ty, ElementType::ReferenceCode)
                    || (e.ty == ElementType::Lookup
                        && !matches!(e.lookup, Lookup::Reference { .. }))
            })
            .count();
        assert!(coded > 50);
        assert_eq!(binding_rows(model).len(), coded);
    }
}

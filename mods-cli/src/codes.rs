//! `mods codes`: the embedded value sets, the codes of one, and search over displays.

use crate::cli::{ClassesFormat, CodesArgs};
use crate::output::{self, Table};
use mods_core::model::{self, Grammar, Strength};
use mods_core::terminology::Terminology;
use serde::Serialize;
use std::io::{self, Write};

/// One value set in the list.
#[derive(Debug, Serialize)]
struct SetRow {
    id: &'static str,
    title: &'static str,
    url: &'static str,
    provenance: &'static str,
    version: &'static str,
    licence: &'static str,
    /// The code systems the set draws on (several for a set such as UK Core Person
    /// Relationship Type).
    systems: Vec<&'static str>,
    /// Listed codes (a grammar-defined system such as BCP 47 adds every tag that follows
    /// the grammar).
    codes: usize,
    /// Grammars that define codes of the set beyond the listed ones (`bcp47`).
    grammars: Vec<&'static str>,
    bound_by: Vec<String>,
}

/// One code.
#[derive(Debug, Serialize)]
struct CodeRow {
    value_set: &'static str,
    system: &'static str,
    code: &'static str,
    display: &'static str,
    inactive: bool,
}

fn strength(s: Strength) -> &'static str {
    match s {
        Strength::Required => "required",
        Strength::Extensible => "extensible",
        Strength::Preferred => "preferred",
    }
}

fn write_json(out: &mut impl Write, value: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(io::Error::other)?;
    writeln!(out)
}

/// Run `mods codes`; returns the exit code.
pub fn run(args: &CodesArgs, out: &mut impl Write) -> io::Result<u8> {
    let model = model::latest();
    let terms = Terminology::new(model);
    if let Some(vs) = &args.value_set {
        if terms.value_set(vs).is_none() {
            let ids = terms.value_sets().iter().map(|v| v.id);
            output::error(&format!(
                "`{vs}` is not an embedded value set of MODS {}{}; run `mods codes` to list them",
                model.mods_version,
                crate::suggest::did_you_mean(vs, ids)
            ));
            return Ok(2);
        }
    }
    if args.value_set.is_none() && args.search.is_none() {
        let rows: Vec<SetRow> = terms
            .value_sets()
            .iter()
            .map(|v| SetRow {
                id: v.id,
                title: v.title,
                url: v.url,
                provenance: v.provenance.as_str(),
                version: v.version,
                licence: v.licence,
                systems: v.systems().collect(),
                codes: v.codes().count(),
                grammars: v
                    .includes
                    .iter()
                    .filter_map(|i| i.grammar.map(|g| g.as_str()))
                    .collect(),
                bound_by: terms
                    .bindings_of(v.id)
                    .iter()
                    .map(|b| format!("{}.{} ({})", b.class, b.element, strength(b.strength)))
                    .collect(),
            })
            .collect();
        match args.format {
            ClassesFormat::Json => write_json(out, &rows)?,
            ClassesFormat::Human => {
                let mut table = Table::new(&["VALUE SET", "CODES", "PROVENANCE", "TITLE"]);
                for r in &rows {
                    let codes = match r.grammars.is_empty() {
                        true => r.codes.to_string(),
                        false => format!("{} + {}", r.codes, r.grammars.join(", ")),
                    };
                    table.row(vec![
                        r.id.into(),
                        codes,
                        r.provenance.into(),
                        r.title.into(),
                    ]);
                }
                table.write(out)?;
                writeln!(out)?;
                writeln!(
                    out,
                    "{} embedded in MODS {}. `mods codes VALUE_SET` lists one set's codes, its \
                     source, version, licence and the elements that bind it.",
                    output::plural(rows.len(), "value set", "value sets"),
                    model.mods_version
                )?;
            }
        }
        return Ok(0);
    }
    let entries = match &args.search {
        Some(text) => terms.search(text, args.value_set.as_deref()),
        None => terms.codes(args.value_set.as_deref().unwrap_or_default()),
    };
    let rows: Vec<CodeRow> = entries
        .iter()
        .map(|e| CodeRow {
            value_set: e.value_set,
            system: e.system,
            code: e.code,
            display: e.display,
            inactive: terms
                .value_set(e.value_set)
                .and_then(|v| v.include(e.system))
                .and_then(|i| i.code(e.code))
                .is_some_and(|c| c.inactive),
        })
        .collect();
    match args.format {
        ClassesFormat::Json => write_json(out, &rows)?,
        ClassesFormat::Human => {
            if let (Some(id), None) = (&args.value_set, &args.search) {
                if let Some(v) = terms.value_set(id) {
                    writeln!(out, "{} ({})", v.title, v.id)?;
                    writeln!(out, "  url:        {}", v.url)?;
                    match v.single_system() {
                        Some(system) => writeln!(out, "  system:     {system}")?,
                        None => {
                            writeln!(out, "  systems:")?;
                            for i in v.includes {
                                write!(out, "    {}", i.system)?;
                                if let Some(t) = i.title {
                                    write!(out, "  {t}")?;
                                }
                                if let Some(ver) = i.version {
                                    write!(out, "; version {ver}")?;
                                }
                                if i.grammar == Some(Grammar::Bcp47) {
                                    write!(
                                        out,
                                        ": every well-formed BCP 47 language tag whose language is registered"
                                    )?;
                                }
                                writeln!(out)?;
                            }
                        }
                    }
                    writeln!(out, "  provenance: {}", v.provenance.as_str())?;
                    writeln!(out, "  version:    {}", v.version)?;
                    writeln!(out, "  licence:    {}", v.licence)?;
                    writeln!(out, "  source:     {}", v.source)?;
                    for b in terms.bindings_of(v.id) {
                        writeln!(
                            out,
                            "  bound by:   {}.{} ({})",
                            b.class,
                            b.element,
                            strength(b.strength)
                        )?;
                    }
                    writeln!(out)?;
                }
            }
            // a SYSTEM column only when the codes come from more than one code system
            let several = rows.iter().any(|r| r.system != rows[0].system);
            let mut headers = vec!["VALUE SET", "CODE", "DISPLAY", "INACTIVE"];
            if several {
                headers.insert(1, "SYSTEM");
            }
            let mut table = Table::new(&headers);
            for r in &rows {
                let mut row: Vec<String> = vec![
                    r.value_set.into(),
                    r.code.into(),
                    r.display.into(),
                    if r.inactive { "inactive" } else { "" }.into(),
                ];
                if several {
                    row.insert(1, r.system.into());
                }
                table.row(row);
            }
            table.write(out)?;
            if rows.is_empty() {
                writeln!(out, "(no codes match)")?;
            }
        }
    }
    Ok(0)
}

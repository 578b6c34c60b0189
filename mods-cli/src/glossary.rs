//! `mods glossary`: the agreed MODS terms.

use crate::cli::{ClassesFormat, GlossaryArgs};
use crate::output::{self, Table};
use mods_core::glossary::{self, Term};
use std::io::{self, Write};

fn write_json(out: &mut impl Write, value: &impl serde::Serialize) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(io::Error::other)?;
    writeln!(out)
}

/// Run `mods glossary`; returns the exit code.
pub fn run(args: &GlossaryArgs, out: &mut impl Write) -> io::Result<u8> {
    let g = glossary::glossary();
    let Some(text) = &args.term else {
        match args.format {
            ClassesFormat::Json => write_json(out, g)?,
            ClassesFormat::Human => {
                let mut table = Table::new(&["TERM", "CLASSES", "ALSO CALLED"]);
                for t in g.terms {
                    table.row(vec![
                        t.term.into(),
                        t.classes.join(", "),
                        t.synonyms
                            .iter()
                            .map(|s| s.term)
                            .collect::<Vec<_>>()
                            .join(", "),
                    ]);
                }
                table.write(out)?;
                writeln!(out)?;
                writeln!(
                    out,
                    "{} (glossary {}, MODS {}). `mods glossary TERM` shows one.",
                    output::plural(g.terms.len(), "term", "terms"),
                    g.glossary_version,
                    g.mods_version
                )?;
            }
        }
        return Ok(0);
    };
    let Some(term) = glossary::lookup(text) else {
        let near: Vec<&str> = glossary::search(text)
            .iter()
            .map(|t| t.term)
            .take(8)
            .collect();
        let names = g
            .terms
            .iter()
            .flat_map(|t| std::iter::once(t.term).chain(t.synonyms.iter().map(|s| s.term)));
        let typo = crate::suggest::did_you_mean(text, names);
        if !typo.is_empty() {
            output::error(&format!(
                "no glossary term `{text}`{typo}; run `mods glossary` to list them"
            ));
        } else if near.is_empty() {
            output::error(&format!(
                "no glossary term `{text}`; run `mods glossary` to list them"
            ));
        } else {
            output::error(&format!(
                "no glossary term `{text}`; terms that mention it: {}",
                near.join(", ")
            ));
        }
        return Ok(2);
    };
    match args.format {
        ClassesFormat::Json => write_json(out, term)?,
        ClassesFormat::Human => show(term, out)?,
    }
    Ok(0)
}

fn show(t: &Term, out: &mut impl Write) -> io::Result<()> {
    writeln!(out, "{} ({})", t.term, t.id)?;
    writeln!(out)?;
    for line in output::wrap(t.definition, 88, "  ") {
        writeln!(out, "{line}")?;
    }
    if !t.synonyms.is_empty() {
        writeln!(out)?;
        writeln!(out, "Also called:")?;
        for s in t.synonyms {
            let lines = output::wrap(&format!("{}: {}", s.term, s.note), 86, "    ");
            for (i, line) in lines.iter().enumerate() {
                if i == 0 {
                    writeln!(out, "  - {}", line.trim_start())?;
                } else {
                    writeln!(out, "{line}")?;
                }
            }
        }
    }
    let list = |label: &str, items: &[&str], out: &mut dyn Write| -> io::Result<()> {
        if !items.is_empty() {
            writeln!(out, "{label}{}", items.join(", "))?;
        }
        Ok(())
    };
    writeln!(out)?;
    list("Not to be confused with: ", t.not_to_be_confused_with, out)?;
    list("Classes:   ", t.classes, out)?;
    list("Elements:  ", t.elements, out)?;
    list("Use cases: ", t.use_cases, out)?;
    if !t.sources.is_empty() {
        writeln!(out, "Sources:")?;
        for s in t.sources {
            writeln!(out, "  - {} <{}>", s.title, s.url)?;
        }
    }
    Ok(())
}

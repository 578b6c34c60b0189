//! `mods compare-days`: one day's (or period's) daily care notes against another's, in
//! MODS terms (docs/flows/days.md).

use crate::cli::ClassesFormat;
use crate::history::read_path;
use crate::output;
use clap::Args;
use mods_api::{compare_days, CompareDaysOptions, DayComparison};
use mods_core::flows::days::{ElementComparison, Entry, Verdict};
use mods_core::guard;
use serde_json::Value;
use std::io::{self, Write};
use std::path::PathBuf;

/// The help's examples and exit codes.
pub const AFTER_HELP: &str = "\
Examples:
  mods compare-days examples/records/mr-green.json --day 2026-02-03 --against 2026-01-27
  mods compare-days record.json --day 2026-02-03 --against 2026-01-27..2026-02-02
  mods compare-days record.json --day 2026-02-03 --against 2026-01-31..2026-02-02 \\
      --against-record earlier-notes.json
  mods compare-days record.json --day 2026-02-03 --against 2026-01-27 --format json

The output holds the person's care notes, names and doses (what was asked for).

Exit status:
  0  compared
  1  compared, with something to check: a side has no notes, a reference does not
     resolve, a note has no full date, or a document has validation errors
  2  a document could not be read, a day is not a date or period, or the documents
     cannot be compared (not records, a MODS version without daily care notes,
     two different people)";

/// Options of `mods compare-days`.
#[derive(Debug, Args)]
pub struct CompareDaysArgs {
    /// The record document (`-` for stdin).
    #[arg(value_name = "RECORD")]
    pub record: PathBuf,
    /// The day looked at, `YYYY-MM-DD`, or a period `YYYY-MM-DD..YYYY-MM-DD`.
    #[arg(long, value_name = "DAY")]
    pub day: String,
    /// The day (or period) to compare it with.
    #[arg(long, value_name = "DAY")]
    pub against: String,
    /// Take the other side's notes from this document (the same person's) instead of RECORD.
    #[arg(long, value_name = "OTHER")]
    pub against_record: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ClassesFormat::Human)]
    pub format: ClassesFormat,
}

/// Run `mods compare-days`; returns the exit code.
pub fn run(args: &CompareDaysArgs, out: &mut impl Write) -> io::Result<u8> {
    let opts = CompareDaysOptions::default()
        .with_day(args.day.clone())
        .with_against(args.against.clone());
    let compared = guard::catch(|| {
        let record = read_path(&args.record)?;
        let other = match &args.against_record {
            Some(p) => Some(read_path(p)?),
            None => None,
        };
        compare_days(&record, &opts, other.as_ref().map(Into::into)).map_err(|e| e.to_string())
    });
    let c = match compared {
        Ok(Ok(c)) => c,
        Ok(Err(e)) => {
            output::error(&e);
            return Ok(2);
        }
        Err(p) => {
            output::error(&p.message());
            return Ok(2);
        }
    };
    if args.format == ClassesFormat::Json {
        serde_json::to_writer_pretty(&mut *out, &c).map_err(io::Error::other)?;
        writeln!(out)?;
    } else {
        human(&c, out)?;
    }
    Ok(u8::from(c.needs_attention()))
}

/// The two sides' labels: the day or period as given.
struct Labels {
    day: String,
    against: String,
}

impl Labels {
    fn verdict(&self, v: Option<Verdict>) -> String {
        match v {
            None => "not recorded".to_owned(),
            Some(Verdict::Same) => "same".to_owned(),
            Some(Verdict::Changed) => "changed".to_owned(),
            Some(Verdict::OnlyDay) => format!("only on {}", self.day),
            Some(Verdict::OnlyAgainst) => format!("only on {}", self.against),
        }
    }
}

fn number(v: &Value) -> String {
    match v {
        Value::Null => "none".to_owned(),
        Value::Number(n) if n.as_f64().is_some_and(|x| x > 0.0) => format!("+{n}"),
        other => other.to_string(),
    }
}

fn entries(out: &mut impl Write, side: &str, entries: &[Entry]) -> io::Result<()> {
    for e in entries {
        let head = format!("    {side:<8} {}  ", e.date);
        let indent = " ".repeat(head.chars().count());
        let lines = output::wrap(&e.shown, 100, &indent);
        for (i, l) in lines.iter().enumerate() {
            if i == 0 {
                writeln!(out, "{head}{}", l.trim_start())?;
            } else {
                writeln!(out, "{l}")?;
            }
        }
    }
    Ok(())
}

fn element(out: &mut impl Write, l: &Labels, e: &ElementComparison) -> io::Result<()> {
    let mut verdict = l.verdict(Some(e.verdict));
    if let Some(d) = &e.difference {
        let unit = if e.element == "fluid_intake" {
            " ml"
        } else {
            ""
        };
        verdict.push_str(&format!(" ({}{unit})", number(d)));
    }
    writeln!(out, "  {}: {verdict}", e.element_name)?;
    if e.verdict == Verdict::Same
        && e.day.len() == 1
        && e.against.len() == 1
        && e.day[0].shown == e.against[0].shown
    {
        // One value each, the same: say it once.
        for line in output::wrap(&e.day[0].shown, 100, "    ") {
            writeln!(out, "{line}")?;
        }
        return Ok(());
    }
    entries(out, "day", &e.day)?;
    entries(out, "against", &e.against)
}

fn human(c: &DayComparison, out: &mut impl Write) -> io::Result<()> {
    let l = Labels {
        day: c.day.span.to_string(),
        against: c.against.span.to_string(),
    };
    let count = |n: usize| output::plural(n, "note", "notes");
    writeln!(
        out,
        "Daily care notes of {} ({}) against {} ({}{})",
        l.day,
        count(c.day.notes.len()),
        l.against,
        count(c.against.notes.len()),
        if c.against.document == mods_core::flows::days::Document::AgainstRecord {
            ", from the other document"
        } else {
            ""
        }
    )?;
    writeln!(out, "  (day = {}, against = {})", l.day, l.against)?;
    for p in &c.periods {
        writeln!(out, "\n{}", p.period_name)?;
        for e in &p.elements {
            element(out, &l, e)?;
        }
    }
    writeln!(out, "\nOver the day")?;
    let f = &c.fluid_intake;
    let fluid = |s: &mods_core::flows::days::FluidSide| match &s.usual_per_day_ml {
        Value::Null => "none recorded".to_owned(),
        u if s.per_day.len() == 1 => format!("{u} ml"),
        u => format!(
            "{u} ml a day (usual: mean of {} days; {})",
            s.per_day.len(),
            s.per_day
                .iter()
                .map(|d| format!("{} {} ml", d.date, d.total_ml))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    writeln!(
        out,
        "  Fluid intake: {}{}",
        l.verdict(f.verdict),
        if f.difference_ml.is_null() {
            String::new()
        } else {
            format!(" ({} ml)", number(&f.difference_ml))
        }
    )?;
    writeln!(out, "    day      {}", fluid(&f.day))?;
    writeln!(out, "    against  {}", fluid(&f.against))?;
    let mood = |s: &mods_core::flows::days::MoodSide| {
        if s.counts.is_empty() {
            return "none recorded".to_owned();
        }
        let counts: Vec<String> = s
            .counts
            .iter()
            .map(|m| format!("{} x{}", m.display, m.count))
            .collect();
        let usual: Vec<&str> = s
            .usual
            .iter()
            .map(|u| {
                s.counts
                    .iter()
                    .find(|m| &m.code == u)
                    .map_or(u.as_str(), |m| m.display.as_str())
            })
            .collect();
        format!("usual {} ({})", usual.join(" / "), counts.join(", "))
    };
    writeln!(out, "  Mood: {}", l.verdict(c.mood.verdict))?;
    writeln!(out, "    day      {}", mood(&c.mood.day))?;
    writeln!(out, "    against  {}", mood(&c.mood.against))?;
    writeln!(out, "  Medicines taken:")?;
    if c.medicines.is_empty() {
        writeln!(out, "    none recorded")?;
    }
    for m in &c.medicines {
        writeln!(out, "    {}: {}", m.name, l.verdict(Some(m.verdict)))?;
        for (side, s) in [("day", &m.day), ("against", &m.against)] {
            let doses: Vec<String> = s
                .administrations
                .iter()
                .map(|a| {
                    let mut t = format!(
                        "{} {}",
                        a.date.as_deref().unwrap_or("?"),
                        a.time.as_deref().map_or("", |t| t.get(..5).unwrap_or(t))
                    );
                    if !a.taken {
                        t.push_str(&format!(
                            " {}",
                            a.status.as_deref().unwrap_or("status not recorded")
                        ));
                    }
                    if let Some(by) = &a.administered_by {
                        t.push_str(&format!(" by {by}"));
                    }
                    if !a.in_notes {
                        t.push_str(" (not in the notes)");
                    }
                    t
                })
                .collect();
            writeln!(
                out,
                "      {side:<8} {} taken{}",
                s.taken,
                if doses.is_empty() {
                    String::new()
                } else {
                    format!(": {}", doses.join("; "))
                }
            )?;
        }
    }
    writeln!(out, "  Who helped: {}", l.verdict(c.helpers.verdict))?;
    for (side, hs) in [("day", &c.helpers.day), ("against", &c.helpers.against)] {
        let list: Vec<String> = hs
            .iter()
            .map(|h| {
                let mut t = h
                    .name
                    .clone()
                    .unwrap_or_else(|| format!("{} (not found)", h.reference));
                let mut what = Vec::new();
                if let Some(r) = &h.role {
                    what.push(r.clone());
                }
                if h.notes > 0 {
                    what.push(count(h.notes as usize));
                }
                if h.doses > 0 {
                    what.push(output::plural(h.doses as usize, "dose", "doses"));
                }
                if !what.is_empty() {
                    t.push_str(&format!(" ({})", what.join(", ")));
                }
                t
            })
            .collect();
        let list = if list.is_empty() {
            "nobody recorded".to_owned()
        } else {
            list.join("; ")
        };
        writeln!(out, "    {side:<8} {list}")?;
    }
    if c.day.notes.is_empty() || c.against.notes.is_empty() {
        writeln!(out)?;
        for (label, s) in [(&l.day, &c.day), (&l.against, &c.against)] {
            if s.notes.is_empty() {
                writeln!(out, "! No daily care notes on {label}.")?;
            }
        }
    }
    if !c.unresolved.is_empty() {
        writeln!(out, "\nReferences that do not resolve:")?;
        for u in &c.unresolved {
            let found = match &u.found_class {
                Some(cl) => format!("names a {cl}, not a {}", u.expected.join(" or ")),
                None => "names no record in the document".to_owned(),
            };
            writeln!(
                out,
                "! {} {}: \"{}\" {found}",
                doc_name(u.document),
                u.pointer,
                u.reference
            )?;
        }
    }
    if !c.skipped_notes.is_empty() {
        writeln!(out, "\nNotes that cannot be placed on a day:")?;
        for s in &c.skipped_notes {
            let why = match s.reason {
                mods_core::flows::days::SkipReason::NotAnObject => "not an object",
                mods_core::flows::days::SkipReason::NoDate => "no date",
                mods_core::flows::days::SkipReason::NotAFullDate => "not a full date",
            };
            writeln!(out, "! {} {}: {why}", doc_name(s.document), s.pointer)?;
        }
    }
    let reports = [
        Some(&c.validation.record),
        c.validation.against_record.as_ref(),
    ];
    for (which, r) in [
        mods_core::flows::days::Document::Record,
        mods_core::flows::days::Document::AgainstRecord,
    ]
    .into_iter()
    .zip(reports)
    {
        if let Some(r) = r.filter(|r| !r.valid) {
            writeln!(
                out,
                "\n! The {} has {} (mods validate lists them); it was compared as it is.",
                doc_name(which),
                output::plural(r.error_count(), "validation error", "validation errors")
            )?;
        }
    }
    Ok(())
}

fn doc_name(d: mods_core::flows::days::Document) -> &'static str {
    match d {
        mods_core::flows::days::Document::Record => "record",
        mods_core::flows::days::Document::AgainstRecord => "against record",
    }
}

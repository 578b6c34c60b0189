//! An assessment as text for a person to read (`mods conformance --format human`).

use super::Assessment;
use std::fmt::Write;

/// The assessment as text: a verdict line, then each class with what it lacks. Ends with
/// a line break.
pub fn to_text(a: &Assessment) -> String {
    let mut out = String::new();
    let verdict = if a.conformant {
        "conformant"
    } else {
        "NOT conformant"
    };
    let validity = if a.validation.valid {
        format!("valid, {}", count(a.validation.warnings, "warning"))
    } else {
        format!("INVALID, {}", count(a.validation.errors, "error"))
    };
    let _ = writeln!(
        out,
        "{verdict} to MODS {}, score {} ({validity})",
        a.mods_version,
        percent(a.score)
    );
    for g in &a.gaps {
        let _ = writeln!(out, "  {}: {}", g.code.as_str(), g.message);
    }
    let width = a.classes.iter().map(|c| c.class.len()).max().unwrap_or(0);
    for c in &a.classes {
        let _ = writeln!(
            out,
            "  {:width$}  {:>4}  {} of {} met{}",
            c.class,
            percent(c.score),
            c.met,
            c.requirements,
            match c.instances {
                0 => String::from(", none held"),
                1 => String::from(", 1 instance"),
                n => format!(", {n} instances"),
            },
        );
        for g in &c.gaps {
            let _ = writeln!(out, "      {}  {}", g.path, g.message);
        }
    }
    out
}

/// A score as a whole percentage, rounded down (99.99 % is not 100 %).
fn percent(score: f64) -> String {
    format!("{}%", ((score * 100.0) + 1e-9).floor() as u32)
}

/// `no warnings`, `1 warning`, `2 warnings`.
fn count(n: usize, noun: &str) -> String {
    match n {
        0 => format!("no {noun}s"),
        1 => format!("1 {noun}"),
        _ => format!("{n} {noun}s"),
    }
}

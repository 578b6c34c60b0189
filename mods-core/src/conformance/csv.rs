//! An assessment as CSV rows: one row per class assessed (`mods conformance --format csv`).

use super::Assessment;

/// The header row of [`csv_rows`], with its line break.
pub const CSV_HEADER: &str = "input,line,mods_version,record_conformant,record_score,valid,errors,warnings,class,person_class,instances,requirements,met,class_score,missing\n";

/// The rows of one record: one per class assessed, or one with an empty `class` and the
/// record's gap codes in `missing` when no class could be assessed. `input` names the
/// document (a file name), `line` its line in an NDJSON input. `missing` lists the
/// technical names of the elements missing (`|` between the alternatives of one
/// expectation, `;` between gaps; a missing class adds its own name), without repeats.
pub fn csv_rows(input: &str, line: Option<usize>, a: &Assessment) -> String {
    let head = [
        field(input),
        line.map_or(String::new(), |n| n.to_string()),
        field(&a.mods_version),
        a.conformant.to_string(),
        a.score.to_string(),
        a.validation.valid.to_string(),
        a.validation.errors.to_string(),
        a.validation.warnings.to_string(),
    ]
    .join(",");
    let mut out = String::new();
    if a.classes.is_empty() {
        let codes: Vec<&str> = a.gaps.iter().map(|g| g.code.as_str()).collect();
        out.push_str(&format!("{head},,,,,,,{}\n", field(&codes.join(";"))));
        return out;
    }
    for c in &a.classes {
        let mut missing: Vec<String> = Vec::new();
        for g in &c.gaps {
            let item = match g.code {
                super::GapCode::ClassMissing => c.class.clone(),
                _ => g.elements.join("|"),
            };
            if !missing.contains(&item) {
                missing.push(item);
            }
        }
        out.push_str(&format!(
            "{head},{},{},{},{},{},{},{}\n",
            field(&c.class),
            c.person_class,
            c.instances,
            c.requirements,
            c.met,
            c.score,
            field(&missing.join(";"))
        ));
    }
    out
}

/// One field, quoted when it holds a comma, a quote or a line break (RFC 4180).
fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

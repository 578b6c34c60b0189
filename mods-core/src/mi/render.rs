//! A table as CSV, as text, and as an HTML report with bar charts drawn as SVG.
//!
//! The SVG is written directly rather than with a plotting crate: the charts are plain
//! horizontal bars with text labels, a few dozen lines here, and a plotting crate (with
//! its font handling) would add much to the build of every binding for that.

use super::aggregate::{Row, Table};

/// CSV of a table: for each field its code and label, then `people` and `records`
/// (`*` where suppressed). A total row closes it (codes `total`).
pub fn to_csv(table: &Table) -> String {
    let mut out = String::new();
    let mut header: Vec<String> = Vec::new();
    for f in &table.fields {
        header.push(f.field.clone());
        header.push(format!("{}_label", f.field));
    }
    header.push("people".into());
    header.push("records".into());
    line(&mut out, &header);
    for r in &table.rows {
        let mut cells: Vec<String> = Vec::new();
        for c in &r.categories {
            cells.push(c.code.clone());
            cells.push(c.label.clone().unwrap_or_default());
        }
        cells.push(count(r.people));
        cells.push(count(r.records));
        line(&mut out, &cells);
    }
    let mut total: Vec<String> = Vec::new();
    for _ in &table.fields {
        total.push("total".into());
        total.push("All".into());
    }
    total.push(count(table.total_people));
    total.push(count(table.total_records));
    line(&mut out, &total);
    out
}

/// A count as shown: the number, or `*` when suppressed.
pub fn count(n: Option<u64>) -> String {
    n.map_or_else(|| "*".to_owned(), |n| n.to_string())
}

fn line(out: &mut String, cells: &[String]) {
    let quoted: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
    out.push_str(&quoted.join(","));
    out.push('\n');
}

fn csv_cell(c: &str) -> String {
    // a leading = + - @ would be a formula in a spreadsheet
    let guarded = if c.starts_with(['=', '+', '-', '@']) {
        format!("'{c}")
    } else {
        c.to_owned()
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

/// The CSV of extract rows under `header`.
pub fn rows_csv(header: &[String], rows: &[Vec<String>]) -> String {
    let mut out = String::new();
    if !header.is_empty() {
        line(&mut out, header);
    }
    for r in rows {
        line(&mut out, r);
    }
    out
}

/// The categories of a row as one label: `White - British, 65-74`.
fn row_label(r: &Row) -> String {
    r.categories
        .iter()
        .map(|c| match &c.label {
            Some(l) => l.clone(),
            None => c.code.clone(),
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The table as text for a person to read.
pub fn to_text(table: &Table) -> String {
    let mut out = String::new();
    let names: Vec<&str> = table.fields.iter().map(|f| f.label.as_str()).collect();
    out.push_str(&format!("People and records by {}\n", names.join(", ")));
    let width = table
        .rows
        .iter()
        .map(|r| row_label(r).chars().count())
        .max()
        .unwrap_or(0)
        .max(5);
    out.push_str(&format!(
        "{:width$}  {:>8}  {:>8}\n",
        "", "people", "records"
    ));
    for r in &table.rows {
        out.push_str(&format!(
            "{:width$}  {:>8}  {:>8}\n",
            row_label(r),
            count(r.people),
            count(r.records)
        ));
    }
    out.push_str(&format!(
        "{:width$}  {:>8}  {:>8}\n",
        "Total",
        count(table.total_people),
        count(table.total_records)
    ));
    out.push_str(&suppression_note(table));
    out.push('\n');
    if table.unreadable > 0 {
        out.push_str(&format!(
            "{} record(s) could not be read and are not counted\n",
            table.unreadable
        ));
    }
    out
}

fn suppression_note(table: &Table) -> String {
    let s = table.suppression;
    if s.is_none() {
        "Counts are exact (no suppression).".to_owned()
    } else {
        format!(
            "Counts of 1 to {} are shown as *; others are rounded to the nearest {}.",
            s.threshold,
            s.round_to.max(1)
        )
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// One bar chart (people per row) as SVG.
pub fn to_svg(table: &Table) -> String {
    const BAR_H: usize = 22;
    const LABEL_W: usize = 320;
    const CHART_W: usize = 360;
    let max = table
        .rows
        .iter()
        .filter_map(|r| r.people)
        .max()
        .unwrap_or(0)
        .max(1);
    let height = BAR_H * table.rows.len() + 10;
    let width = LABEL_W + CHART_W + 70;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" \
         viewBox=\"0 0 {width} {height}\" role=\"img\" font-family=\"sans-serif\" font-size=\"13\">\n"
    );
    for (i, r) in table.rows.iter().enumerate() {
        let y = i * BAR_H + 5;
        let label = row_label(r);
        svg.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\n",
            LABEL_W - 8,
            y + 15,
            esc(&label)
        ));
        match r.people {
            Some(n) => {
                let w = (n as f64 / max as f64 * CHART_W as f64).round() as usize;
                svg.push_str(&format!(
                    "<rect x=\"{LABEL_W}\" y=\"{}\" width=\"{w}\" height=\"{}\" fill=\"#005eb8\">\
                     <title>{}: {n} people</title></rect>\n",
                    y + 2,
                    BAR_H - 6,
                    esc(&label)
                ));
                svg.push_str(&format!(
                    "<text x=\"{}\" y=\"{}\">{n}</text>\n",
                    LABEL_W + w + 6,
                    y + 15
                ));
            }
            None => svg.push_str(&format!(
                "<text x=\"{}\" y=\"{}\" fill=\"#555\">* (fewer than {})</text>\n",
                LABEL_W + 6,
                y + 15,
                table.suppression.threshold + 1
            )),
        }
    }
    svg.push_str("</svg>\n");
    svg
}

/// The table as an HTML page: a heading, the chart, the table, how counts were protected.
pub fn to_html(table: &Table) -> String {
    let names: Vec<String> = table.fields.iter().map(|f| esc(&f.label)).collect();
    let title = format!("People by {}", names.join(", "));
    let mut rows = String::new();
    for r in &table.rows {
        rows.push_str(&format!(
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n",
            esc(&row_label(r)),
            count(r.people),
            count(r.records)
        ));
    }
    let mut defs = String::new();
    for f in &table.fields {
        defs.push_str(&format!(
            "<li><b>{}</b> ({}){}</li>\n",
            esc(&f.label),
            esc(&f.path),
            f.term
                .as_deref()
                .map(|t| format!(", glossary term <code>{}</code>", esc(t)))
                .unwrap_or_default()
        ));
    }
    let unreadable = if table.unreadable > 0 {
        format!(
            "<p class=\"warn\">{} record(s) could not be read and are not counted.</p>\n",
            table.unreadable
        )
    } else {
        String::new()
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n\
<style>body{{font-family:sans-serif;margin:2em;max-width:60em}}table{{border-collapse:collapse}}\
td,th{{border:1px solid #ccc;padding:.2em .6em}}.n{{text-align:right}}.warn{{color:#a00}}</style>\n\
</head>\n<body>\n<h1>{title}</h1>\n<p>MODS {}; ages on {}. {}</p>\n{}<figure>\n{}</figure>\n\
<table>\n<tr><th>Category</th><th>People</th><th>Records</th></tr>\n{rows}\
<tr><th>Total</th><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n</table>\n\
<h2>Fields</h2>\n<ul>\n{defs}</ul>\n</body>\n</html>\n",
        table.mods_version,
        esc(&table.as_of),
        esc(&suppression_note(table)),
        unreadable,
        to_svg(table),
        count(table.total_people),
        count(table.total_records),
    )
}

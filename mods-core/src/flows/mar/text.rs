//! The view as text for a person to read (a crew taking the person to hospital): the person,
//! the day, each dose on its own lines, the warnings with their figures, the doses before.

use super::{Coded, Dose, MarView, MarWarning, MarWarningCode};
use rustc_hash::FxHashMap;
use serde_json::Value;
use std::fmt::Write;

/// The doses of the view (the period's and the earlier ones) and the names of their
/// medicines, by pointer.
struct Index<'v> {
    doses: FxHashMap<&'v str, &'v Dose>,
    medicines: FxHashMap<&'v str, &'v str>,
}

impl<'v> Index<'v> {
    fn new(view: &'v MarView) -> Self {
        let mut doses = FxHashMap::default();
        let mut medicines = FxHashMap::default();
        for d in view.doses.iter().chain(&view.earlier_doses) {
            doses.insert(d.pointer.as_str(), d);
            if let Some(m) = &d.medicine {
                if let Some(n) = &m.name {
                    medicines.insert(m.pointer.as_str(), n.as_str());
                }
            }
        }
        Index { doses, medicines }
    }
}

/// The view as plain text, one dose a few lines, warnings written out with their figures.
/// It holds the person's care information (names, doses, times): it is the view asked for.
pub fn to_text(view: &MarView) -> String {
    let mut out = String::new();
    let index = Index::new(view);
    let one_day = view.period.from == view.period.to;
    let name = view.person.name.as_deref().unwrap_or("(no name recorded)");
    let _ = writeln!(out, "Medication administration record: {name}");
    let mut about = Vec::new();
    if let Some(n) = &view.person.nhs_number {
        about.push(format!("NHS number {}", nhs(n)));
    }
    if let Some(d) = &view.person.date_of_birth {
        about.push(format!("born {d}"));
    }
    if !about.is_empty() {
        let _ = writeln!(out, "{}", about.join(", "));
    }
    let long = |d: &str| match crate::checks::parse_date(d) {
        Some(d) => d.format("%A %-d %B %Y").to_string(),
        None => d.to_owned(),
    };
    if one_day {
        let _ = writeln!(out, "Day: {} (UK time)", long(&view.period.from));
    } else {
        let _ = writeln!(
            out,
            "Days: {} to {} (UK time)",
            long(&view.period.from),
            long(&view.period.to)
        );
    }
    let _ = writeln!(out);

    let _ = writeln!(out, "Doses ({})", view.doses.len());
    if view.doses.is_empty() {
        let _ = writeln!(out, "  none recorded");
    }
    for d in &view.doses {
        dose(&mut out, d, !one_day, view);
    }

    let _ = writeln!(out);
    let _ = writeln!(out, "Warnings ({})", view.warnings.len());
    if view.warnings.is_empty() {
        let _ = writeln!(out, "  none");
    }
    for (i, w) in view.warnings.iter().enumerate() {
        let _ = writeln!(out, "  [{}] {}", i + 1, warning(w, &index));
    }

    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "Earlier doses: from {} (24 hours before), and any a warning refers to ({})",
        view.period.look_back_from.replace('T', " "),
        view.earlier_doses.len()
    );
    if view.earlier_doses.is_empty() {
        let _ = writeln!(out, "  none recorded");
    }
    for d in &view.earlier_doses {
        dose(&mut out, d, true, view);
    }

    let _ = writeln!(out);
    let errors = view.validation.errors().count();
    let warnings = view.validation.warnings().count();
    let _ = writeln!(
        out,
        "Record validation: {} ({}, {}; `mods validate` gives the full report)",
        if view.validation.valid {
            "valid"
        } else {
            "NOT VALID"
        },
        count(errors, "error"),
        count(warnings, "warning"),
    );
    out
}

fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

fn nhs(n: &str) -> String {
    if n.len() == 10 && n.bytes().all(|b| b.is_ascii_digit()) {
        format!("{} {} {}", &n[..3], &n[3..6], &n[6..])
    } else {
        n.to_owned()
    }
}

fn shown(c: &Option<Coded>) -> Option<String> {
    let c = c.as_ref()?;
    c.display.clone().or_else(|| c.code.clone())
}

/// `HH:MM` (and the date before it when asked), or what is recorded.
fn when(d: &Dose, with_date: bool) -> String {
    let time = match d.time.as_deref() {
        // a view read back from JSON may hold any text: cut at a character boundary only
        Some(t) => t.get(..5).unwrap_or(t),
        None => "--:--",
    };
    if with_date {
        format!("{} {time}", d.date.as_deref().unwrap_or("(no date)"))
    } else {
        time.to_owned()
    }
}

fn medicine_name(d: &Dose) -> String {
    d.medicine
        .as_ref()
        .and_then(|m| m.name.clone())
        .or_else(|| shown(&d.product))
        .unwrap_or_else(|| "(medicine not found)".to_owned())
}

fn figure(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// The headline of a warning, for the line under its dose.
fn headline(code: MarWarningCode) -> &'static str {
    match code {
        MarWarningCode::DoseWithinMinimumInterval => "TOO SOON",
        MarWarningCode::MaximumDosePer24HoursExceeded => "OVER THE 24-HOUR MAXIMUM",
        MarWarningCode::MedicineUnderTwoRecords => "ONE MEDICINE, TWO RECORDS",
        MarWarningCode::DoseReportedNotRecorded => "REPORTED BY THE PERSON ONLY",
        MarWarningCode::UnresolvedReference => "REFERENCE NOT FOUND",
        MarWarningCode::DoseTimeMissing => "NO TIME",
        MarWarningCode::AdministrationDateMissing => "NO DATE",
        MarWarningCode::NoAdministrationClass => "NO DOSES IN THIS VERSION",
    }
}

fn dose(out: &mut String, d: &Dose, with_date: bool, view: &MarView) {
    let when = when(d, with_date);
    let pad = " ".repeat(when.chars().count() + 4);
    let mut first = format!("  {when}  {}", medicine_name(d));
    let mut what = Vec::new();
    if let Some(a) = d.amount {
        let unit = shown(&d.unit).unwrap_or_default();
        what.push(format!("{} {unit}", figure(a)).trim_end().to_owned());
    }
    what.extend(shown(&d.route));
    if !what.is_empty() {
        let _ = write!(first, ", {}", what.join(", "));
    }
    let status = shown(&d.status).unwrap_or_else(|| "(no status)".to_owned());
    let _ = write!(first, ": {status}");
    if d.as_required == Some(true) {
        first.push_str(" (when required)");
    }
    let _ = writeln!(out, "{first}");
    let by = match &d.given_by {
        Some(a) => format!(
            "by {}, {}",
            a.name.as_deref().unwrap_or("(no name recorded)"),
            a.role
        ),
        None => match shown(&d.given_by_role) {
            Some(r) => format!("by ({r}; who is not found)"),
            None => "by (not recorded)".to_owned(),
        },
    };
    let mut second = vec![by];
    if let Some(w) = &d.witnessed_by {
        second.push(format!(
            "witnessed by {}",
            w.name.as_deref().unwrap_or("(no name recorded)")
        ));
    }
    if let Some(s) = shown(&d.information_source) {
        let mut s = s.to_lowercase();
        if let Some(r) = shown(&d.report_reliability) {
            let _ = write!(s, " ({})", r.to_lowercase());
        }
        second.push(s);
    }
    let _ = writeln!(out, "{pad}{}", second.join("; "));
    if let Some(r) = d.reason_given.as_deref().or(d.reason_not_given.as_deref()) {
        let _ = writeln!(out, "{pad}reason: {r}");
    }
    if let Some(i) = d
        .medicine
        .as_ref()
        .and_then(|m| m.dose_instructions.as_deref())
    {
        let _ = writeln!(out, "{pad}instructions: {i}");
    }
    for &w in &d.warnings {
        if let Some(code) = view.warnings.get(w).map(|w| w.code) {
            let _ = writeln!(out, "{pad}WARNING [{}] {}", w + 1, headline(code));
        }
    }
}

fn label(view: &Index<'_>, pointer: Option<&str>) -> String {
    match pointer.and_then(|p| view.doses.get(p)) {
        Some(d) => format!("{} {}", when(d, true), medicine_name(d)),
        None => pointer.unwrap_or("").to_owned(),
    }
}

fn num(w: &MarWarning, key: &str) -> String {
    w.context
        .get(key)
        .and_then(Value::as_f64)
        .map(figure)
        .unwrap_or_else(|| "?".to_owned())
}

fn ptr<'w>(w: &'w MarWarning, key: &str) -> Option<&'w str> {
    w.context.get(key).and_then(Value::as_str)
}

fn warning(w: &MarWarning, view: &Index<'_>) -> String {
    let at = label(view, w.dose.as_deref());
    let uncertain = if w.context.get("time_uncertain") == Some(&Value::Bool(true)) {
        " (a time falls in the hour the clocks change: the closer reading is used)"
    } else {
        ""
    };
    match w.code {
        MarWarningCode::DoseWithinMinimumInterval => {
            let two = if w.context.contains_key("previous_medication") {
                "; the two doses are under two Medication records of one product"
            } else {
                ""
            };
            format!(
                "TOO SOON: {at} was given {} hours after {}; the minimum interval is {} hours{two}{uncertain}",
                num(w, "interval_hours"),
                label(view, ptr(w, "previous")),
                num(w, "minimum_interval_hours"),
            )
        }
        MarWarningCode::MaximumDosePer24HoursExceeded => {
            let mut s = format!(
                "OVER THE 24-HOUR MAXIMUM: with {at}, {} given in 24 hours (from {}, {} doses); the maximum is {}",
                num(w, "total"),
                label(view, ptr(w, "window_start")),
                num(w, "doses"),
                num(w, "maximum"),
            );
            if let Some(n) = w.context.get("not_summed").and_then(Value::as_u64) {
                let _ = write!(
                    s,
                    "; {n} more doses of unknown amount or another unit not added"
                );
            }
            s + uncertain
        }
        MarWarningCode::MedicineUnderTwoRecords => {
            let names: Vec<String> = w
                .context
                .get("medications")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(|p| {
                            view.medicines
                                .get(p)
                                .map_or_else(|| p.to_owned(), |n| format!("\"{n}\""))
                        })
                        .collect()
                })
                .unwrap_or_default();
            format!(
                "ONE MEDICINE, TWO RECORDS: the same product is recorded as {}; its doses are counted together",
                names.join(" and ")
            )
        }
        MarWarningCode::DoseReportedNotRecorded => {
            let reliability = ptr(w, "report_reliability").unwrap_or("not stated");
            format!(
                "REPORTED BY THE PERSON ONLY: {at} is known only from the person's own report; nobody who gave it recorded it (reliability: {reliability})"
            )
        }
        MarWarningCode::UnresolvedReference => format!("{at}: {}", w.message),
        MarWarningCode::DoseTimeMissing | MarWarningCode::AdministrationDateMissing => {
            let at = if at.is_empty() {
                ptr(w, "administration").unwrap_or("").to_owned()
            } else {
                at
            };
            format!("{at}: {}", w.message)
        }
        MarWarningCode::NoAdministrationClass => w.message.clone(),
    }
}

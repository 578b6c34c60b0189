//! The figure CI holds the engine to, kept in `docs/performance.md` on one marked line:
//!
//! ```text
//! > **Gate**: `validate_record_json` ÷ `serde_json::Value`, instructions, on `mr-green`: **2.612**
//! ```
//!
//! `mods-bench count --gate docs/performance.md` (what `scripts/parse-floor --gate` runs)
//! counts that ratio on that record and fails when it is more than [`TOLERANCE`] above the
//! figure; `--update` writes the new figure into the line.

/// How far above the committed figure the ratio may go (3 %).
pub const TOLERANCE: f64 = 0.03;

/// How the gate line starts.
const PREFIX: &str = "> **Gate**: `validate_record_json` ÷ `serde_json::Value`, instructions, on `";

/// The gate line for `record` and `figure`.
pub fn line(record: &str, figure: f64) -> String {
    format!("{PREFIX}{record}`: **{figure:.3}**")
}

/// The record and figure of the gate line in `doc`; `Err` says what is wrong.
pub fn read(doc: &str) -> Result<(String, f64), String> {
    let mut found = doc.lines().filter(|l| l.starts_with(PREFIX));
    let Some(l) = found.next() else {
        return Err(format!("no line starting `{PREFIX}`"));
    };
    if found.next().is_some() {
        return Err("more than one gate line".into());
    }
    let rest = &l[PREFIX.len()..];
    let (record, rest) = rest
        .split_once("`: **")
        .ok_or("the gate line has no `RECORD`: **FIGURE**")?;
    let figure = rest
        .strip_suffix("**")
        .and_then(|f| f.trim().parse::<f64>().ok())
        .filter(|f| f.is_finite() && *f > 0.0)
        .ok_or("the gate line's figure is not a positive number")?;
    if record.is_empty() || record.contains(char::is_whitespace) {
        return Err("the gate line names no record".into());
    }
    Ok((record.to_owned(), figure))
}

/// `doc` with its gate line's figure set to `figure`.
pub fn update(doc: &str, figure: f64) -> Result<String, String> {
    let (record, _) = read(doc)?;
    let mut out: Vec<String> = Vec::new();
    for l in doc.split('\n') {
        if l.starts_with(PREFIX) {
            out.push(line(&record, figure));
        } else {
            out.push(l.to_owned());
        }
    }
    Ok(out.join("\n"))
}

/// The verdict on `measured` against the committed `figure`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// More than [`TOLERANCE`] above the figure: fail.
    Over,
    /// Within it.
    Within,
    /// More than twice [`TOLERANCE`] below: pass, and say to lower the figure.
    WellUnder,
}

/// Judge `measured` against `figure`.
pub fn judge(measured: f64, figure: f64) -> Verdict {
    let r = measured / figure;
    if r > 1.0 + TOLERANCE {
        Verdict::Over
    } else if r < 1.0 - 2.0 * TOLERANCE {
        Verdict::WellUnder
    } else {
        Verdict::Within
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_reads_back_and_updates_in_place() {
        let doc = format!("# Perf\n\ntext\n\n{}\n\nmore\n", line("mr-green", 2.6123));
        assert_eq!(read(&doc).unwrap(), ("mr-green".to_owned(), 2.612));
        let updated = update(&doc, 0.5).unwrap();
        assert_eq!(read(&updated).unwrap(), ("mr-green".to_owned(), 0.5));
        assert_eq!(updated.replace("0.500", "2.612"), doc);
    }

    #[test]
    fn a_missing_doubled_or_broken_line_is_an_error() {
        assert!(read("# Perf\n").is_err());
        let l = line("mr-green", 1.0);
        assert!(read(&format!("{l}\n{l}\n")).is_err());
        assert!(read(&l.replace("1.000", "x")).is_err());
        assert!(read(&l.replace("1.000", "-1")).is_err());
        assert!(read(&l.replace("mr-green", "")).is_err());
    }

    #[test]
    fn judged_with_three_percent_above_and_six_below() {
        assert_eq!(judge(1.029, 1.0), Verdict::Within);
        assert_eq!(judge(1.031, 1.0), Verdict::Over);
        assert_eq!(judge(0.95, 1.0), Verdict::Within);
        assert_eq!(judge(0.93, 1.0), Verdict::WellUnder);
    }
}

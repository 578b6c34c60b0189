//! Small output helpers shared by the subcommands: stderr messages, pluralisation,
//! durations, word wrapping and aligned tables.

use std::io::{self, Write};
use std::time::Duration;

/// Print `mods: MESSAGE` on stderr. Failure to write to stderr is ignored: there is
/// nowhere left to report it.
pub fn error(message: &str) {
    let mut err = io::stderr().lock();
    let _ = writeln!(err, "mods: {message}");
}

/// `1 error`, `2 errors`: the count with the noun in singular or plural.
pub fn plural(n: usize, singular: &str, plural: &str) -> String {
    if n == 1 {
        format!("{n} {singular}")
    } else {
        format!("{n} {plural}")
    }
}

/// A duration for a person: milliseconds with one decimal under a second
/// (`12.3 ms`), otherwise seconds with two decimals (`1.23 s`).
pub fn elapsed(d: Duration) -> String {
    let secs = d.as_secs_f64();
    if secs < 1.0 {
        format!("{:.1} ms", secs * 1000.0)
    } else {
        format!("{secs:.2} s")
    }
}

/// Wrap `text` into lines of at most `width` characters (longer words stay whole),
/// each prefixed with `indent`.
pub fn wrap(text: &str, width: usize, indent: &str) -> Vec<String> {
    let avail = width.saturating_sub(indent.chars().count()).max(20);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut len = 0;
    for word in text.split_whitespace() {
        let wlen = word.chars().count();
        if len > 0 && len + 1 + wlen > avail {
            lines.push(format!("{indent}{line}"));
            line.clear();
            len = 0;
        }
        if len > 0 {
            line.push(' ');
            len += 1;
        }
        line.push_str(word);
        len += wlen;
    }
    if len > 0 {
        lines.push(format!("{indent}{line}"));
    }
    lines
}

/// A plain-text table whose columns are padded to their widest cell.
#[derive(Debug, Default)]
pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these column headings.
    pub fn new(header: &[&str]) -> Self {
        Table {
            header: header.iter().map(|h| (*h).to_owned()).collect(),
            rows: Vec::new(),
        }
    }

    /// Add a row; missing cells are empty, extra cells are ignored.
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// Write the table, two spaces between columns, no trailing white space.
    pub fn write(&self, out: &mut impl Write) -> io::Result<()> {
        let cols = self.header.len();
        let mut widths: Vec<usize> = self.header.iter().map(|h| h.chars().count()).collect();
        for row in &self.rows {
            for (w, cell) in widths.iter_mut().zip(row.iter()) {
                *w = (*w).max(cell.chars().count());
            }
        }
        let empty = String::new();
        for row in std::iter::once(&self.header).chain(self.rows.iter()) {
            let mut line = String::new();
            for (i, w) in widths.iter().enumerate().take(cols) {
                let cell = row.get(i).unwrap_or(&empty);
                if i > 0 {
                    line.push_str("  ");
                }
                line.push_str(cell);
                if i + 1 < cols {
                    let pad = w.saturating_sub(cell.chars().count());
                    line.push_str(&" ".repeat(pad));
                }
            }
            writeln!(out, "{}", line.trim_end())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plural_and_elapsed() {
        assert_eq!(plural(1, "error", "errors"), "1 error");
        assert_eq!(plural(0, "error", "errors"), "0 errors");
        assert_eq!(elapsed(Duration::from_micros(12_345)), "12.3 ms");
        assert_eq!(elapsed(Duration::from_millis(1_234)), "1.23 s");
    }

    #[test]
    fn wrap_keeps_words_whole() {
        let lines = wrap("aaa bbb ccc ddd", 27, "  ");
        assert_eq!(lines, vec!["  aaa bbb ccc ddd"]);
        let long = "word ".repeat(30);
        for l in wrap(&long, 40, "  ") {
            assert!(l.chars().count() <= 40);
            assert!(l.starts_with("  word"));
        }
    }

    #[test]
    fn table_aligns() {
        let mut t = Table::new(&["A", "BB"]);
        t.row(vec!["long".into(), "x".into()]);
        let mut out = Vec::new();
        t.write(&mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "A     BB\nlong  x\n");
    }
}

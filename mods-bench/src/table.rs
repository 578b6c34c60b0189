//! Tables as plain text (columns padded) or Markdown.

/// A table: a title, a heading row and rows of cells; the first column is left-aligned,
/// the others right-aligned.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// Printed above the table.
    pub title: String,
    /// Printed under it, when not empty.
    pub note: String,
    /// Column headings.
    pub head: Vec<String>,
    /// Rows of cells, as many as headings.
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these headings and no rows.
    pub fn new(title: &str, head: &[&str]) -> Table {
        Table {
            title: title.to_owned(),
            head: head.iter().map(|s| (*s).to_owned()).collect(),
            ..Table::default()
        }
    }

    /// Add a row.
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// The table as text: Markdown (a `###` title, a pipe table) or padded columns.
    pub fn render(&self, markdown: bool) -> String {
        let mut out = String::new();
        if markdown {
            out.push_str(&format!("#### {}\n\n", self.title));
            out.push_str(&format!("| {} |\n", self.head.join(" | ")));
            let rule: Vec<&str> = (0..self.head.len())
                .map(|i| if i == 0 { "---" } else { "---:" })
                .collect();
            out.push_str(&format!("|{}|\n", rule.join("|")));
            for row in &self.rows {
                out.push_str(&format!("| {} |\n", row.join(" | ")));
            }
        } else {
            out.push_str(&format!("{}\n", self.title));
            // Markdown's bold marks are for the Markdown table only
            let plain: Vec<Vec<String>> = std::iter::once(&self.head)
                .chain(&self.rows)
                .map(|r| r.iter().map(|c| c.replace("**", "")).collect())
                .collect();
            let widths: Vec<usize> = (0..self.head.len())
                .map(|i| {
                    plain
                        .iter()
                        .filter_map(|r| r.get(i))
                        .map(|c| c.chars().count())
                        .max()
                        .unwrap_or(0)
                })
                .collect();
            for row in &plain {
                let cells: Vec<String> = row
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        let w = widths.get(i).copied().unwrap_or(0);
                        if i == 0 {
                            format!("{c:<w$}")
                        } else {
                            format!("{c:>w$}")
                        }
                    })
                    .collect();
                out.push_str(&format!("  {}\n", cells.join("  ").trim_end()));
            }
        }
        if !self.note.is_empty() {
            out.push_str(&format!("\n{}\n", self.note));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_markdown_and_text() {
        let mut t = Table::new("Costs", &["input", "µs"]);
        t.row(vec!["a".into(), "1.5".into()]);
        t.row(vec!["**bbb**".into(), "12.0".into()]);
        assert_eq!(
            t.render(true),
            "#### Costs\n\n| input | µs |\n|---|---:|\n| a | 1.5 |\n| **bbb** | 12.0 |\n"
        );
        assert_eq!(
            t.render(false),
            "Costs\n  input    µs\n  a       1.5\n  bbb    12.0\n"
        );
    }
}

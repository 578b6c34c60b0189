//! Measured costs, and the tables and targets computed from them.
//!
//! The same tables serve wall-clock times (`mods-bench time`) and instruction counts
//! (`mods-bench count`, under callgrind): only the unit of cost changes.

use crate::alloc::Usage;
use crate::contenders::{Contender, Verdict};
use crate::inputs::{Variant, SCALES};
use crate::table::Table;
use std::collections::HashMap;

/// The unit of a cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Seconds per call (printed in µs).
    Seconds,
    /// Instructions per call (printed in millions).
    Instructions,
}

/// What is known of one input.
#[derive(Debug, Clone)]
pub struct InputInfo {
    /// Its name (`mr-green`, `mr-green.invalid`, `mr-green.x4`).
    pub name: String,
    /// Its example record.
    pub record: String,
    /// Which copy.
    pub variant: Variant,
    /// Its size in bytes.
    pub bytes: usize,
}

/// Costs, allocations and verdicts of contenders on inputs.
#[derive(Debug, Clone)]
pub struct Results {
    /// The unit of [`Results::cost`].
    pub unit: Unit,
    /// The inputs, in the order measured.
    pub inputs: Vec<InputInfo>,
    /// Cost per call, by input name and contender.
    pub cost: HashMap<(String, Contender), f64>,
    /// Allocations of one call, by input name and contender (wall-clock runs only).
    pub usage: HashMap<(String, Contender), Usage>,
    /// What each contender concluded, by input name and contender.
    pub verdicts: HashMap<(String, Contender), Verdict>,
}

/// The performance targets (ratios in one run).
pub mod targets {
    /// `validate_record_json` ÷ `Value` + `jsonschema` `iter_errors`, geometric mean.
    pub const VS_ITER_ERRORS: f64 = 0.33;
    /// `validate_record_json` ÷ the `IgnoredAny` syntax scan, geometric mean.
    pub const VS_SCAN: f64 = 2.5;
    /// An invalid copy's cost ÷ its valid record's.
    pub const INVALID_OVER_VALID: f64 = 1.2;
    /// Peak heap during validation ÷ input size.
    pub const PEAK_OVER_INPUT: f64 = 1.5;
    /// Allocations per record ÷ the engine's before the parse-floor work.
    pub const ALLOCATIONS_OVER_BEFORE: f64 = 0.1;
    /// Cost per byte from 1x to 16x: largest departure from 1x.
    pub const LINEARITY: f64 = 0.10;
    /// Allocations per KiB of input of `validate_record_json` before the parse-floor work
    /// (mean over the example records, counted by `mods-bench time` at commit 1c36936,
    /// when the engine read into `serde_json::Value` and then validated the tree: 2,654 to
    /// 3,495 allocations per record). Counts do not depend on the machine.
    pub const BEFORE_ALLOCATIONS_PER_KIB: f64 = 89.6;
}

impl Results {
    /// Empty results in `unit`.
    pub fn new(unit: Unit) -> Results {
        Results {
            unit,
            inputs: Vec::new(),
            cost: HashMap::new(),
            usage: HashMap::new(),
            verdicts: HashMap::new(),
        }
    }

    /// Cost of `c` on input `name`.
    pub fn cost_of(&self, name: &str, c: Contender) -> Option<f64> {
        self.cost.get(&(name.to_owned(), c)).copied()
    }

    fn input(&self, record: &str, variant: Variant) -> Option<&InputInfo> {
        self.inputs
            .iter()
            .find(|i| i.record == record && i.variant == variant)
    }

    fn records(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for i in &self.inputs {
            if !out.contains(&i.record) {
                out.push(i.record.clone());
            }
        }
        out
    }

    /// The contenders measured on at least one input, in [`Contender::ALL`] order.
    pub fn contenders(&self) -> Vec<Contender> {
        Contender::ALL
            .into_iter()
            .filter(|c| self.cost.keys().any(|(_, k)| k == c))
            .collect()
    }

    /// The valid records and invalid copies, record by record.
    fn main_inputs(&self) -> Vec<&InputInfo> {
        let mut out = Vec::new();
        for record in self.records() {
            for v in [Variant::Valid, Variant::Invalid] {
                out.extend(self.input(&record, v));
            }
        }
        out
    }

    fn fmt_cost(&self, v: f64) -> String {
        match self.unit {
            Unit::Seconds => format!("{:.1}", v * 1e6),
            Unit::Instructions => format!("{:.2}", v / 1e6),
        }
    }

    fn per_byte_label(&self) -> &'static str {
        match self.unit {
            Unit::Seconds => "ns",
            Unit::Instructions => "instructions",
        }
    }

    /// Cost per record of every contender, and ours per byte.
    pub fn cost_table(&self) -> Table {
        let contenders = self.contenders();
        let mut head = vec!["input".to_owned(), "KiB".to_owned()];
        head.extend(contenders.iter().map(|c| c.label().to_owned()));
        head.push(match self.unit {
            Unit::Seconds => "ours MB/s".to_owned(),
            Unit::Instructions => "ours instr./byte".to_owned(),
        });
        let title = match self.unit {
            Unit::Seconds => "Time per record (µs; fastest of 15 interleaved rounds)",
            Unit::Instructions => {
                "Instructions per record (millions; callgrind, (count of 2N runs - count of N) / N)"
            }
        };
        let mut t = Table {
            title: title.to_owned(),
            head,
            ..Table::default()
        };
        for input in self.main_inputs() {
            let mut row = vec![input.name.clone(), format!("{:.1}", kib(input.bytes))];
            for &c in &contenders {
                row.push(
                    self.cost_of(&input.name, c)
                        .map_or("–".into(), |v| self.fmt_cost(v)),
                );
            }
            row.push(
                self.cost_of(&input.name, Contender::Mods)
                    .map_or("–".into(), |v| match self.unit {
                        Unit::Seconds => format!("{:.0}", input.bytes as f64 / v / 1e6),
                        Unit::Instructions => format!("{:.0}", v / input.bytes as f64),
                    }),
            );
            t.row(row);
        }
        t
    }

    /// MB/s of every contender (wall-clock results only).
    pub fn throughput_table(&self) -> Table {
        let contenders = self.contenders();
        let mut head = vec!["input"];
        head.extend(contenders.iter().map(|c| c.label()));
        let mut t = Table::new("Throughput (MB/s, 10^6 bytes a second)", &head);
        for input in self.main_inputs() {
            let mut row = vec![input.name.clone()];
            for &c in &contenders {
                row.push(self.cost_of(&input.name, c).map_or("–".into(), |v| {
                    format!("{:.0}", input.bytes as f64 / v / 1e6)
                }));
            }
            t.row(row);
        }
        t
    }

    /// Ours ÷ each contender, with geometric means over the valid records and over the
    /// invalid copies, and the targets.
    pub fn ratio_table(&self) -> Table {
        let others: Vec<Contender> = self
            .contenders()
            .into_iter()
            .filter(|&c| c != Contender::Mods)
            .collect();
        let mut head = vec!["input".to_owned()];
        head.extend(others.iter().map(|c| format!("ours ÷ {}", c.label())));
        let mut t = Table {
            title: format!(
                "validate_record_json ÷ each contender ({})",
                match self.unit {
                    Unit::Seconds => "time",
                    Unit::Instructions => "instructions",
                }
            ),
            head,
            ..Table::default()
        };
        for input in self.main_inputs() {
            let mut row = vec![input.name.clone()];
            for &c in &others {
                row.push(
                    self.ratio(&input.name, c)
                        .map_or("–".into(), |r| format!("{r:.2}")),
                );
            }
            t.row(row);
        }
        for (label, variant) in [
            ("geometric mean, valid", Variant::Valid),
            ("geometric mean, invalid copies", Variant::Invalid),
        ] {
            let means: Vec<Option<f64>> = others
                .iter()
                .map(|&c| self.geomean_ratio(c, variant))
                .collect();
            if means.iter().all(Option::is_none) {
                continue;
            }
            let mut row = vec![format!("**{label}**")];
            row.extend(
                means
                    .into_iter()
                    .map(|m| m.map_or("–".into(), |r| format!("**{r:.2}**"))),
            );
            t.row(row);
        }
        let mut row = vec!["target".to_owned()];
        for &c in &others {
            row.push(match c {
                Contender::Scan => format!("≤ {}", targets::VS_SCAN),
                Contender::SchemaIterErrors => format!("≤ {}", targets::VS_ITER_ERRORS),
                _ => String::new(),
            });
        }
        t.row(row);
        t
    }

    /// Ours ÷ `c` on input `name`.
    pub fn ratio(&self, name: &str, c: Contender) -> Option<f64> {
        Some(self.cost_of(name, Contender::Mods)? / self.cost_of(name, c)?)
    }

    /// Geometric mean over the records of ours ÷ `c` on their `variant` copies.
    pub fn geomean_ratio(&self, c: Contender, variant: Variant) -> Option<f64> {
        let ratios: Vec<f64> = self
            .inputs
            .iter()
            .filter(|i| i.variant == variant)
            .filter_map(|i| self.ratio(&i.name, c))
            .collect();
        geomean(&ratios)
    }

    /// Each record's invalid copy ÷ the same record written the same way (`x1`).
    pub fn invalid_table(&self) -> Table {
        let contenders = self.contenders();
        let mut head = vec!["record".to_owned(), "issues (ours)".to_owned()];
        head.extend(contenders.iter().map(|c| c.label().to_owned()));
        let mut t = Table {
            title: "Invalid copy ÷ valid record (same layout: the `.x1` copy)".to_owned(),
            head,
            ..Table::default()
        };
        for record in self.records() {
            let (Some(bad), Some(good)) = (
                self.input(&record, Variant::Invalid),
                self.input(&record, Variant::Scaled(1)),
            ) else {
                continue;
            };
            let issues = self
                .verdicts
                .get(&(bad.name.clone(), Contender::Mods))
                .map_or("–".into(), |v| v.findings.to_string());
            let mut row = vec![record.clone(), issues];
            for &c in &contenders {
                row.push(
                    self.cost_of(&bad.name, c)
                        .zip(self.cost_of(&good.name, c))
                        .map_or("–".into(), |(b, g)| format!("{:.2}", b / g)),
                );
            }
            t.row(row);
        }
        t.note = format!(
            "Target: ours at most {} (an invalid record with all its issues reported). \
             `typed` and `is_valid` stop at the first error.",
            targets::INVALID_OVER_VALID
        );
        t
    }

    /// Ours' invalid ÷ valid, largest over the records.
    pub fn worst_invalid_ratio(&self) -> Option<f64> {
        self.records()
            .iter()
            .filter_map(|r| {
                let bad = self.input(r, Variant::Invalid)?;
                let good = self.input(r, Variant::Scaled(1))?;
                Some(
                    self.cost_of(&bad.name, Contender::Mods)?
                        / self.cost_of(&good.name, Contender::Mods)?,
                )
            })
            .reduce(f64::max)
    }

    /// Cost per byte of the scaled copies, relative to 1x.
    pub fn linearity_table(&self) -> Table {
        let mut head = vec!["record".to_owned()];
        head.extend(SCALES.iter().map(|k| format!("ours x{k}")));
        head.push("ours: largest departure".to_owned());
        head.push("Value: largest departure".to_owned());
        head.push("IgnoredAny: largest departure".to_owned());
        let mut t = Table {
            title: format!(
                "Linearity: ours per byte at 1x to 16x the collections ({} per byte), and the largest departure from 1x",
                self.per_byte_label()
            ),
            head,
            ..Table::default()
        };
        for record in self.records() {
            let mut row = vec![record.clone()];
            let mut any = false;
            for k in SCALES {
                let cell = self
                    .input(&record, Variant::Scaled(k))
                    .and_then(|i| Some(self.cost_of(&i.name, Contender::Mods)? / i.bytes as f64));
                any |= cell.is_some();
                row.push(cell.map_or("–".into(), |v| match self.unit {
                    Unit::Seconds => format!("{:.2}", v * 1e9),
                    Unit::Instructions => format!("{v:.1}"),
                }));
            }
            if !any {
                continue;
            }
            for c in [Contender::Mods, Contender::Value, Contender::Scan] {
                row.push(
                    self.departure(&record, c)
                        .map_or("–".into(), |d| format!("{:+.1} %", d * 100.0)),
                );
            }
            t.row(row);
        }
        t.note = format!(
            "Target: ours within {:.0} % of its 1x cost per byte up to 16x.",
            targets::LINEARITY * 100.0
        );
        t
    }

    /// The largest departure (signed, by size) of `c`'s cost per byte on `record`'s scaled
    /// copies from its 1x cost per byte.
    pub fn departure(&self, record: &str, c: Contender) -> Option<f64> {
        let per_byte = |k: usize| -> Option<f64> {
            let i = self.input(record, Variant::Scaled(k))?;
            Some(self.cost_of(&i.name, c)? / i.bytes as f64)
        };
        let base = per_byte(1)?;
        SCALES[1..]
            .iter()
            .filter_map(|&k| per_byte(k))
            .map(|v| v / base - 1.0)
            .reduce(|a, b| if b.abs() > a.abs() { b } else { a })
    }

    /// Peak heap and allocations of one call, ours and `Value`'s.
    pub fn memory_table(&self) -> Table {
        let mut t = Table::new(
            "Memory per record (one call; peak = most heap bytes live at once)",
            &[
                "input",
                "KiB",
                "ours peak KiB",
                "ours peak ÷ input",
                "ours allocations",
                "Value peak KiB",
                "Value peak ÷ input",
                "Value allocations",
            ],
        );
        let mut inputs = self.main_inputs();
        inputs.extend(
            self.inputs
                .iter()
                .filter(|i| i.variant == Variant::Scaled(16)),
        );
        for input in inputs {
            let mut row = vec![input.name.clone(), format!("{:.1}", kib(input.bytes))];
            for c in [Contender::Mods, Contender::Value] {
                match self.usage.get(&(input.name.clone(), c)) {
                    Some(u) => {
                        row.push(format!("{:.1}", kib(u.peak_bytes)));
                        row.push(format!("{:.2}", u.peak_bytes as f64 / input.bytes as f64));
                        row.push(u.allocations.to_string());
                    }
                    None => row.extend(["–".into(), "–".into(), "–".into()]),
                }
            }
            t.row(row);
        }
        t.note = format!(
            "Targets: ours' peak at most {}x the input; allocations at most a tenth of the engine's before the parse-floor work.",
            targets::PEAK_OVER_INPUT
        );
        t
    }

    fn usage_over(&self, variant: Variant) -> Vec<(&InputInfo, Usage)> {
        self.inputs
            .iter()
            .filter(|i| i.variant == variant)
            .filter_map(|i| Some((i, *self.usage.get(&(i.name.clone(), Contender::Mods))?)))
            .collect()
    }

    /// Mean allocations per KiB of input of ours on the valid records.
    pub fn allocations_per_kib(&self) -> Option<f64> {
        let u = self.usage_over(Variant::Valid);
        (!u.is_empty()).then(|| {
            u.iter()
                .map(|(i, u)| u.allocations as f64 / kib(i.bytes))
                .sum::<f64>()
                / u.len() as f64
        })
    }

    /// Every performance target these results can tell, measured beside it.
    pub fn targets_table(&self) -> Table {
        let mut t = Table::new(
            "Performance targets",
            &["target", "bound", "measured", "met"],
        );
        let mut add = |name: &str, bound: String, value: Option<f64>, ok: &dyn Fn(f64) -> bool| {
            if let Some(v) = value {
                t.row(vec![
                    name.to_owned(),
                    bound,
                    format!("{v:.2}"),
                    if ok(v) { "yes" } else { "**no**" }.to_owned(),
                ]);
            }
        };
        for (variant, label) in [
            (Variant::Valid, "valid"),
            (Variant::Invalid, "invalid copies"),
        ] {
            add(
                &format!("ours ÷ Value+jsonschema iter_errors, geometric mean, {label}"),
                format!("≤ {}", targets::VS_ITER_ERRORS),
                self.geomean_ratio(Contender::SchemaIterErrors, variant),
                &|v| v <= targets::VS_ITER_ERRORS,
            );
            add(
                &format!("ours ÷ IgnoredAny, geometric mean, {label}"),
                format!("≤ {}", targets::VS_SCAN),
                self.geomean_ratio(Contender::Scan, variant),
                &|v| v <= targets::VS_SCAN,
            );
        }
        add(
            "invalid copy ÷ valid, largest",
            format!("≤ {}", targets::INVALID_OVER_VALID),
            self.worst_invalid_ratio(),
            &|v| v <= targets::INVALID_OVER_VALID,
        );
        let worst_peak = self
            .usage_over(Variant::Valid)
            .into_iter()
            .chain(self.usage_over(Variant::Invalid))
            .map(|(i, u)| u.peak_bytes as f64 / i.bytes as f64)
            .reduce(f64::max);
        add(
            "peak heap ÷ input, largest",
            format!("≤ {}", targets::PEAK_OVER_INPUT),
            worst_peak,
            &|v| v <= targets::PEAK_OVER_INPUT,
        );
        if targets::BEFORE_ALLOCATIONS_PER_KIB > 0.0 {
            add(
                "allocations ÷ the engine's before, mean per KiB",
                format!("≤ {}", targets::ALLOCATIONS_OVER_BEFORE),
                self.allocations_per_kib()
                    .map(|a| a / targets::BEFORE_ALLOCATIONS_PER_KIB),
                &|v| v <= targets::ALLOCATIONS_OVER_BEFORE,
            );
        }
        let worst_departure = self
            .records()
            .iter()
            .filter_map(|r| self.departure(r, Contender::Mods))
            .map(f64::abs)
            .reduce(f64::max);
        add(
            "cost per byte 1x..16x, largest departure from 1x",
            format!("≤ {}", targets::LINEARITY),
            worst_departure,
            &|v| v <= targets::LINEARITY,
        );
        t
    }
}

fn kib(bytes: usize) -> f64 {
    bytes as f64 / 1024.0
}

/// The geometric mean; `None` for no values.
pub fn geomean(values: &[f64]) -> Option<f64> {
    (!values.is_empty())
        .then(|| (values.iter().map(|v| v.ln()).sum::<f64>() / values.len() as f64).exp())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(record: &str, variant: Variant, bytes: usize) -> InputInfo {
        let name = match variant {
            Variant::Valid => record.to_owned(),
            Variant::Invalid => format!("{record}.invalid"),
            Variant::Scaled(k) => format!("{record}.x{k}"),
        };
        InputInfo {
            name,
            record: record.to_owned(),
            variant,
            bytes,
        }
    }

    #[test]
    fn geomean_of_ratios() {
        assert_eq!(geomean(&[]), None);
        let g = geomean(&[2.0, 8.0]).unwrap();
        assert!((g - 4.0).abs() < 1e-12);
    }

    #[test]
    fn ratios_departures_and_targets() {
        let mut r = Results::new(Unit::Instructions);
        for (record, ours, value) in [("a", 300.0, 100.0), ("b", 1200.0, 100.0)] {
            r.inputs.push(info(record, Variant::Valid, 1000));
            r.cost.insert((record.into(), Contender::Mods), ours);
            r.cost.insert((record.into(), Contender::Value), value);
        }
        // ratios 3 and 12: geometric mean 6
        let g = r.geomean_ratio(Contender::Value, Variant::Valid).unwrap();
        assert!((g - 6.0).abs() < 1e-9);
        // scaled copies of a: per byte 1.0, 1.05, 0.9 (departure -10 %)
        for (k, bytes, cost) in [(1, 1000, 1000.0), (2, 2000, 2100.0), (4, 4000, 3600.0)] {
            let i = info("a", Variant::Scaled(k), bytes);
            r.cost.insert((i.name.clone(), Contender::Mods), cost);
            r.inputs.push(i);
        }
        let d = r.departure("a", Contender::Mods).unwrap();
        assert!((d + 0.10).abs() < 1e-9, "{d}");
        // the invalid copy of a costs 1.3 times its x1
        let i = info("a", Variant::Invalid, 1000);
        r.cost.insert((i.name.clone(), Contender::Mods), 1300.0);
        r.inputs.push(i);
        assert!((r.worst_invalid_ratio().unwrap() - 1.3).abs() < 1e-9);
        let targets = r.targets_table();
        let row = |name: &str| {
            targets
                .rows
                .iter()
                .find(|row| row[0].starts_with(name))
                .map(|row| (row[2].clone(), row[3].clone()))
        };
        assert_eq!(
            row("invalid copy ÷ valid"),
            Some(("1.30".into(), "**no**".into()))
        );
        assert_eq!(row("cost per byte"), Some(("0.10".into(), "yes".into())));
        // geometric means of ratios to iter_errors: not measured, no row
        assert_eq!(row("ours ÷ Value+jsonschema"), None);
    }
}

//! The contenders: what each one does with a record's bytes.
//!
//! Every contender reads the bytes from the start and drops what it built before it
//! returns, so freeing is part of its cost.

use chrono::NaiveDate;
use mods_core::{is_valid_record_json, validate_record_json, ValidationOptions};
use serde::de::IgnoredAny;
use std::hint::black_box;
use std::path::Path;

/// One way to read (and maybe check) a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Contender {
    /// `serde_json::from_slice::<IgnoredAny>`: the JSON syntax scan, the floor.
    Scan,
    /// `serde_json::from_slice::<serde_json::Value>`: a heap tree.
    Value,
    /// `serde_json::from_slice` into the generated typed record
    /// (`mods_core::generated::latest::Record`); stops at the first mismatch.
    Typed,
    /// `serde_json::Value`, then the `jsonschema` crate's `is_valid` on the generated
    /// record schema (stops at the first error).
    SchemaIsValid,
    /// `serde_json::Value`, then `jsonschema`'s `iter_errors`, every error collected.
    SchemaIterErrors,
    /// `mods_core::validate_record_json`: our engine, every rule, every issue.
    Mods,
    /// `mods_core::is_valid_record_json`: our engine, the verdict alone (stops checking at
    /// the first error). Not in [`Contender::ALL`]: run by name (`mods-bench run`).
    ModsIsValid,
}

impl Contender {
    /// Every contender, cheapest first.
    pub const ALL: [Contender; 6] = [
        Contender::Scan,
        Contender::Value,
        Contender::Typed,
        Contender::SchemaIsValid,
        Contender::SchemaIterErrors,
        Contender::Mods,
    ];

    /// The contenders run only by name, not in the tables.
    pub const EXTRA: [Contender; 1] = [Contender::ModsIsValid];

    /// The name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Contender::Scan => "ignored-any",
            Contender::Value => "value",
            Contender::Typed => "typed",
            Contender::SchemaIsValid => "jsonschema-is-valid",
            Contender::SchemaIterErrors => "jsonschema-iter-errors",
            Contender::Mods => "mods",
            Contender::ModsIsValid => "mods-is-valid",
        }
    }

    /// The column heading in tables.
    pub fn label(self) -> &'static str {
        match self {
            Contender::Scan => "IgnoredAny",
            Contender::Value => "Value",
            Contender::Typed => "typed",
            Contender::SchemaIsValid => "Value+jsonschema is_valid",
            Contender::SchemaIterErrors => "Value+jsonschema iter_errors",
            Contender::Mods => "validate_record_json",
            Contender::ModsIsValid => "is_valid_record_json",
        }
    }

    /// The contender named `name` (see [`Contender::name`]).
    pub fn from_name(name: &str) -> Option<Contender> {
        Contender::ALL
            .into_iter()
            .chain(Contender::EXTRA)
            .find(|c| c.name() == name)
    }

    /// Whether it needs the JSON Schema validator.
    pub fn needs_schema(self) -> bool {
        matches!(self, Contender::SchemaIsValid | Contender::SchemaIterErrors)
    }
}

/// What a contender concluded about a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verdict {
    /// Read (and, for the validators, found valid).
    pub ok: bool,
    /// Errors or issues found: jsonschema errors, our report's issues (warnings
    /// included); 1 for a reader that failed.
    pub findings: usize,
}

/// The date every run of ours takes as today, so reports do not change with the day.
pub fn fixed_today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default()
}

/// The contenders, ready: our options and, when asked for, the schema validator, built
/// once.
pub struct Contenders {
    opts: ValidationOptions,
    schema: Option<jsonschema::Validator>,
}

impl Contenders {
    /// Ready the contenders; with `schema`, build the `jsonschema` validator from
    /// `<root>/schemas/1.0/record.schema.json` (its default options).
    pub fn new(root: &Path, schema: bool) -> Result<Contenders, String> {
        let opts = ValidationOptions::default().with_today(fixed_today());
        let schema = if schema {
            let path = root.join("schemas").join("1.0").join("record.schema.json");
            let text = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let value: serde_json::Value =
                serde_json::from_slice(&text).map_err(|e| format!("{}: {e}", path.display()))?;
            let validator = jsonschema::validator_for(&value)
                .map_err(|e| format!("{}: not a usable schema: {e}", path.display()))?;
            Some(validator)
        } else {
            None
        };
        Ok(Contenders { opts, schema })
    }

    /// Run `c` once on `bytes`.
    ///
    /// # Panics
    /// When `c` needs the schema validator and it was not built.
    pub fn run(&self, c: Contender, bytes: &[u8]) -> Verdict {
        match c {
            Contender::Scan => read_ok(serde_json::from_slice::<IgnoredAny>(bytes).is_ok()),
            Contender::Value => read_ok(
                serde_json::from_slice::<serde_json::Value>(bytes)
                    .map(|v| drop(black_box(v)))
                    .is_ok(),
            ),
            Contender::Typed => read_ok(
                serde_json::from_slice::<mods_core::generated::latest::Record>(bytes)
                    .map(|v| drop(black_box(v)))
                    .is_ok(),
            ),
            Contender::SchemaIsValid => {
                let Ok(value) = serde_json::from_slice::<serde_json::Value>(bytes) else {
                    return read_ok(false);
                };
                let ok = self.validator().is_valid(&value);
                Verdict {
                    ok,
                    findings: usize::from(!ok),
                }
            }
            Contender::SchemaIterErrors => {
                let Ok(value) = serde_json::from_slice::<serde_json::Value>(bytes) else {
                    return read_ok(false);
                };
                let errors: Vec<_> = self.validator().iter_errors(&value).collect();
                let findings = black_box(&errors).len();
                Verdict {
                    ok: findings == 0,
                    findings,
                }
            }
            Contender::Mods => match validate_record_json(bytes, &self.opts) {
                Ok(report) => Verdict {
                    ok: report.valid,
                    findings: report.issues.len() + report.omitted,
                },
                Err(_) => read_ok(false),
            },
            Contender::ModsIsValid => match is_valid_record_json(bytes, &self.opts) {
                Ok(valid) => Verdict {
                    ok: valid,
                    findings: usize::from(!valid),
                },
                Err(_) => read_ok(false),
            },
        }
    }

    fn validator(&self) -> &jsonschema::Validator {
        self.schema
            .as_ref()
            .expect("the schema validator is built for the jsonschema contenders")
    }
}

fn read_ok(ok: bool) -> Verdict {
    Verdict {
        ok,
        findings: usize::from(!ok),
    }
}

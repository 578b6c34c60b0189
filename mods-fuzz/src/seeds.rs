//! The seed corpus, built from the repository at run time (never copied into git): the
//! conformance cases, the example records and the migration fixtures, each given to the
//! targets that can read it. And the saved inputs under `fuzz/corpus/<target>/` and
//! `fuzz/regressions/<target>/`.

use crate::targets::Target;
use base64::Engine;
use serde_json::Value;
use std::io;
use std::path::{Path, PathBuf};

/// One seed input.
#[derive(Debug, Clone)]
pub struct Seed {
    /// The target it is for.
    pub target: Target,
    /// A file name, unique per target, saying where it comes from.
    pub name: String,
    /// The input.
    pub bytes: Vec<u8>,
}

/// The repository root, as this crate was built in it.
pub fn repository_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

const RECORD_TARGETS: [Target; 3] = [
    Target::ValidateRecordJson,
    Target::Migrate,
    Target::DiffRecords,
];

fn json_files(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d)? {
            let p = e?.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "json") {
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
}

fn stem(p: &Path) -> String {
    p.file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("seed")
        .to_owned()
}

/// The input of a conformance case as bytes.
fn case_input(case: &Value) -> Option<Vec<u8>> {
    if let Some(t) = case.get("input_text").and_then(Value::as_str) {
        return Some(t.as_bytes().to_vec());
    }
    if let Some(b) = case.get("input_base64").and_then(Value::as_str) {
        return base64::engine::general_purpose::STANDARD.decode(b).ok();
    }
    case.get("input")
        .and_then(|v| serde_json::to_vec_pretty(v).ok())
}

/// An instance-target input: the class name, a newline, the instance.
pub fn instance_input(class: &str, instance: &[u8]) -> Vec<u8> {
    let mut out = class.as_bytes().to_vec();
    out.push(b'\n');
    out.extend_from_slice(instance);
    out
}

fn for_records(out: &mut Vec<Seed>, name: &str, bytes: &[u8]) {
    for target in RECORD_TARGETS {
        out.push(Seed {
            target,
            name: name.to_owned(),
            bytes: bytes.to_vec(),
        });
    }
    // a record mods-fhir exports gives the FHIR import target a Bundle (its type by the
    // record's hash, so the three kinds all occur)
    let Ok(doc) = serde_json::from_slice::<Value>(bytes) else {
        return;
    };
    let kinds = [
        mods_fhir::BundleType::Collection,
        mods_fhir::BundleType::Transaction,
        mods_fhir::BundleType::Document,
    ];
    let opts = mods_fhir::ExportOptions::default()
        .with_bundle_type(kinds[(crate::marker::seed_of(bytes) % 3) as usize])
        .with_timestamp("2025-11-03T12:00:00Z");
    if let Ok(bundle) = mods_fhir::to_fhir(&doc, &opts) {
        out.push(Seed {
            target: Target::FhirImport,
            name: name.to_owned(),
            bytes: serde_json::to_vec_pretty(&bundle).unwrap_or_default(),
        });
    }
}

/// Every instance of a record document, as instance-target inputs.
fn instances_of(out: &mut Vec<Seed>, name: &str, doc: &Value) {
    let Some(o) = doc.as_object() else { return };
    for (class, v) in o {
        let items: Vec<&Value> = match v {
            Value::Array(a) => a.iter().collect(),
            Value::Object(_) if class == "subject_of_care" => vec![v],
            _ => continue,
        };
        for (i, item) in items.into_iter().enumerate() {
            if let Ok(b) = serde_json::to_vec_pretty(item) {
                out.push(Seed {
                    target: Target::ValidateInstanceJson,
                    name: format!("{name}-{class}-{i}"),
                    bytes: instance_input(class, &b),
                });
            }
        }
    }
}

/// Deterministic pseudo-random inputs for the generator target, of several lengths.
fn generator_seeds(out: &mut Vec<Seed>) {
    let mut z = 0x5eed_u64;
    for (n, len) in [0usize, 8, 32, 64, 128, 256, 512, 1024, 2048, 4096]
        .into_iter()
        .enumerate()
    {
        let bytes = (0..len)
            .map(|_| {
                z = z
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                (z >> 33) as u8
            })
            .collect();
        out.push(Seed {
            target: Target::GeneratedRecord,
            name: format!("random-{n}-{len}"),
            bytes,
        });
    }
}

/// The seed corpus of every target, from the repository at `root`.
pub fn seeds(root: &Path) -> io::Result<Vec<Seed>> {
    let mut out = Vec::new();
    for f in json_files(&root.join("tests/conformance/cases"))? {
        let case: Value = serde_json::from_slice(&std::fs::read(&f)?).map_err(|e| {
            io::Error::new(io::ErrorKind::InvalidData, format!("{}: {e}", f.display()))
        })?;
        let Some(bytes) = case_input(&case) else {
            continue;
        };
        let area = f
            .parent()
            .and_then(|p| p.file_name())
            .and_then(|s| s.to_str())
            .unwrap_or("case");
        let name = format!("case-{area}-{}", stem(&f));
        match case.pointer("/target/class").and_then(Value::as_str) {
            Some(class) => out.push(Seed {
                target: Target::ValidateInstanceJson,
                name,
                bytes: instance_input(class, &bytes),
            }),
            None => for_records(&mut out, &name, &bytes),
        }
    }
    for dir in ["examples/records", "examples/older"] {
        for f in json_files(&root.join(dir))? {
            let bytes = std::fs::read(&f)?;
            let name = format!("example-{}", stem(&f));
            for_records(&mut out, &name, &bytes);
            if let Ok(doc) = serde_json::from_slice::<Value>(&bytes) {
                instances_of(&mut out, &name, &doc);
            }
        }
    }
    for f in json_files(&root.join("tests/conformance/migrations"))? {
        let fixture: Value = serde_json::from_slice(&std::fs::read(&f)?).map_err(|e| {
            io::Error::new(io::ErrorKind::InvalidData, format!("{}: {e}", f.display()))
        })?;
        for (part, v) in [
            ("input", &fixture["input"]),
            ("output", &fixture["expect"]["output"]),
        ] {
            if v.is_object() {
                let bytes = serde_json::to_vec_pretty(v).unwrap_or_default();
                for_records(&mut out, &format!("migration-{}-{part}", stem(&f)), &bytes);
            }
        }
    }
    generator_seeds(&mut out);
    Ok(out)
}

/// Write the seeds under `dir/<target>/<name>`, replacing what was there.
pub fn write(seeds: &[Seed], dir: &Path) -> io::Result<()> {
    for t in Target::ALL {
        let d = dir.join(t.name());
        if d.exists() {
            std::fs::remove_dir_all(&d)?;
        }
        std::fs::create_dir_all(&d)?;
    }
    for s in seeds {
        std::fs::write(dir.join(s.target.name()).join(&s.name), &s.bytes)?;
    }
    Ok(())
}

/// The saved inputs of a target under `fuzz/<kind>/<target>/` (`kind` is `corpus` or
/// `regressions`), sorted by name: every regular file except `README*` and hidden files.
pub fn saved(root: &Path, kind: &str, target: Target) -> io::Result<Vec<(PathBuf, Vec<u8>)>> {
    let dir = root.join("fuzz").join(kind).join(target.name());
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for e in std::fs::read_dir(&dir)? {
        let p = e?.path();
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if p.is_file() && !name.starts_with('.') && !name.starts_with("README") {
            let bytes = std::fs::read(&p)?;
            out.push((p, bytes));
        }
    }
    out.sort();
    Ok(out)
}

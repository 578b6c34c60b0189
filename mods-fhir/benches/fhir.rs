//! `to_fhir` and `from_fhir` on the example records, beside the validation each includes
//! (export validates the record; import validates the record it reads).
//!
//! `cargo bench -p mods-fhir --bench fhir`. The comparison with a peer (fhir.resources) is
//! `bindings/python/bench/fhir_bench.py`; figures in docs/performance.md.

use criterion::{criterion_group, criterion_main, Criterion};
use mods_fhir::{from_fhir, to_fhir, ExportOptions, ImportOptions};
use std::hint::black_box;
use std::path::Path;

fn records() -> Vec<(String, serde_json::Value)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/records");
    let mut out: Vec<(String, serde_json::Value)> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .filter_map(|p| {
                    let name = p.file_stem()?.to_str()?.to_owned();
                    let v = serde_json::from_slice(&std::fs::read(&p).ok()?).ok()?;
                    Some((name, v))
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn bench(c: &mut Criterion) {
    let export = ExportOptions::default();
    let import = ImportOptions::default();
    for (name, record) in records() {
        let Ok(bundle) = to_fhir(&record, &export) else {
            continue;
        };
        let Ok(bytes) = serde_json::to_vec(&bundle) else {
            continue;
        };
        let mut g = c.benchmark_group(name);
        g.bench_function("validate_record (inside both)", |b| {
            b.iter(|| mods_core::validate_record(black_box(&record), &import.validation))
        });
        g.bench_function("to_fhir", |b| {
            b.iter(|| to_fhir(black_box(&record), &export))
        });
        g.bench_function("from_fhir (bytes)", |b| {
            b.iter(|| from_fhir(black_box(&bytes), &import))
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);

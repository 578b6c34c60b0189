//! Validating the example records, beside the cost of parsing the same bytes into
//! `serde_json::Value` (the parse floor) and of mods-core's own strict, bounded parse.
//!
//! `cargo bench -p mods-core --bench validate`. Criterion prints each group's three
//! timings together, so the ratio of validation to the parse floor reads off directly.
//!
//! The `form` group times `mods_core::form::validate_field`, the check a form runs on every
//! keystroke: it must stay well under a millisecond.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use mods_core::{parse_json, validate_record_json, Limits, ValidationOptions};
use std::hint::black_box;
use std::path::Path;

fn records() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/records");
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .filter_map(|p| {
                    let name = p.file_stem()?.to_str()?.to_owned();
                    Some((name, std::fs::read(&p).ok()?))
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

fn bench(c: &mut Criterion) {
    let opts = ValidationOptions::default();
    let limits = Limits::default();
    for (name, bytes) in records() {
        let mut g = c.benchmark_group(name);
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        g.bench_function("serde_json::Value (parse floor)", |b| {
            b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(&bytes)))
        });
        g.bench_function("mods parse_json (strict, bounded)", |b| {
            b.iter(|| parse_json(black_box(&bytes), &limits))
        });
        g.bench_function("mods validate_record_json", |b| {
            b.iter(|| validate_record_json(black_box(&bytes), &opts))
        });
        g.finish();
    }
    let mut g = c.benchmark_group("form");
    let context = serde_json::json!({"person_name": [{"given_name": "Ann", "family_name": "Green"}],
        "date_of_birth": "1938-05-02"});
    let bad = serde_json::json!("9434765918");
    g.bench_function("validate_field subject_of_care.nhs_number", |b| {
        b.iter(|| {
            mods_core::form::validate_field(
                "subject_of_care",
                "nhs_number",
                black_box(&bad),
                Some(&context),
                &opts,
            )
        })
    });
    let status = serde_json::json!({"code": "active"});
    g.bench_function("validate_field alert.status (empty context)", |b| {
        b.iter(|| {
            mods_core::form::validate_field("alert", "status", black_box(&status), None, &opts)
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

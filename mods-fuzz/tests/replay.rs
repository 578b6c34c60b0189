//! Every fuzz target replayed on stable Rust, so that a regression fails `cargo test` on any
//! machine, with or without nightly and libFuzzer:
//!
//! - the seed corpus built from the repository (conformance cases, example records,
//!   migration fixtures), which must also reach the deep oracles, not only parse errors;
//! - any committed corpus under `fuzz/corpus/<target>/`;
//! - every saved reproducer under `fuzz/regressions/<target>/`: it must pass, unless it is
//!   listed in [`KNOWN_FAILING`], in which case it must still fail with exactly its defect;
//! - records from the model-driven generator, most of them valid;
//! - and the dictionary must be fresh.

use mods_fuzz::{dict, seeds, Config, KnownDefect, Outcome, Target};
use std::path::Path;

/// Reproducers of defects that are known and being fixed: (target, file, defect). Each must
/// still fail with its defect when replayed without tolerance; when one passes, the defect
/// is fixed: remove its line here, and its variant and signature from
/// `mods-fuzz/src/known.rs`. The file stays in `fuzz/regressions/` as a plain regression.
const KNOWN_FAILING: &[(&str, &str, KnownDefect)] = &[];

fn root() -> std::path::PathBuf {
    seeds::repository_root()
}

fn replay(target: Target, inputs: &[(String, Vec<u8>)]) -> (Outcome, Vec<String>) {
    let mut total = Outcome::default();
    let mut failures = Vec::new();
    for (name, bytes) in inputs {
        match target.run(bytes, Config::FUZZING) {
            Ok(o) => total.merge(o),
            Err(f) => failures.push(format!("{} {name}: {f}", target.name())),
        }
    }
    (total, failures)
}

#[test]
fn the_seed_corpus_passes_every_oracle_and_reaches_the_deep_ones() {
    let all = seeds::seeds(&root()).expect("the repository's cases, examples and fixtures");
    let mut failures = Vec::new();
    for target in Target::ALL {
        let inputs: Vec<(String, Vec<u8>)> = all
            .iter()
            .filter(|s| s.target == target)
            .map(|s| (s.name.clone(), s.bytes.clone()))
            .collect();
        let minimum = match target {
            Target::GeneratedRecord => 10,
            Target::FhirImport => 100,
            _ => 250,
        };
        assert!(
            inputs.len() >= minimum,
            "{}: only {} seeds",
            target.name(),
            inputs.len()
        );
        let (o, f) = replay(target, &inputs);
        failures.extend(f);
        // the oracles that matter most were really checked, many times
        let deep: &[(&str, usize)] = match target {
            Target::ValidateRecordJson => &[
                ("report/path-resolves", 500),
                ("report/strict-only-raises-unknown-element", 200),
                ("leak/value-in-report", 500),
                ("leak/input-in-error-message", 10),
                ("json/reserialised-same-verdict", 200),
                ("report/today-only-moves-implausible-dates", 200),
            ],
            Target::ValidateInstanceJson => &[
                ("report/path-resolves", 200),
                ("leak/value-in-report", 200),
                ("instance/unknown-class-refused", 1),
            ],
            Target::Migrate => &[
                ("migrate/valid-input", 100),
                ("migrate/valid-stays-valid", 200),
                ("migrate/round-trip-lossless", 100),
                ("migrate/round-trip-kept", 50),
                ("migrate/steps-compose", 10),
                ("migrate/soft-losses-same-record-under-both-policies", 10),
                ("leak/value-in-migration-report", 100),
            ],
            Target::DiffRecords => &[
                ("diff/self-is-empty", 500),
                ("diff/symmetric", 100),
                ("diff/complete", 100),
                ("diff/issue-is-a-shared-uid", 5),
                ("diff/path-resolves", 500),
                ("leak/value-in-diff", 500),
            ],
            Target::GeneratedRecord => &[("migrate/valid-input", 5)],
            Target::FhirImport => &[
                ("fhir/round-trip", 100),
                ("fhir/location-is-a-fhirpath", 10),
                ("leak/value-in-fhir-import-report", 10),
            ],
        };
        for (oracle, at_least) in deep {
            assert!(
                o.count(oracle) >= *at_least,
                "{}: oracle {oracle} checked {} times, expected at least {at_least}",
                target.name(),
                o.count(oracle)
            );
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_committed_corpus_passes() {
    let mut failures = Vec::new();
    for target in Target::ALL {
        let saved = seeds::saved(&root(), "corpus", target).expect("readable corpus");
        let inputs: Vec<(String, Vec<u8>)> = saved
            .into_iter()
            .map(|(p, b)| (p.display().to_string(), b))
            .collect();
        failures.extend(replay(target, &inputs).1);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_saved_regression_passes_or_fails_as_its_known_defect() {
    let mut failures = Vec::new();
    let mut seen = Vec::new();
    for target in Target::ALL {
        for (path, bytes) in seeds::saved(&root(), "regressions", target).expect("readable") {
            let file = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_owned();
            let known = KNOWN_FAILING
                .iter()
                .find(|(t, f, _)| *t == target.name() && *f == file)
                .map(|(_, _, k)| *k);
            let strict = target.run(&bytes, Config::STRICT);
            let tolerant = target.run(&bytes, Config::FUZZING);
            match known {
                None => {
                    if let Err(f) = strict {
                        failures.push(format!("{}: {f}", path.display()));
                    }
                }
                Some(k) => {
                    seen.push((target.name(), file.clone()));
                    match strict {
                        Err(f) if f.known == Some(k) => {}
                        Err(f) => failures.push(format!(
                            "{}: listed as known defect {}, but fails otherwise: {f}",
                            path.display(),
                            k.id()
                        )),
                        Ok(_) => failures.push(format!(
                            "{}: known defect {} no longer reproduces, so it looks fixed: remove \
                             this file's line from KNOWN_FAILING in mods-fuzz/tests/replay.rs and \
                             the defect from mods-fuzz/src/known.rs (the file stays, as a \
                             regression that must pass)",
                            path.display(),
                            k.id()
                        )),
                    }
                    // tolerated precisely: with the tolerance on, it passes and counts the defect
                    match tolerant {
                        Ok(o) if o.tolerated.contains(&k) => {}
                        other => failures.push(format!(
                            "{}: not tolerated as {}: {other:?}",
                            path.display(),
                            k.id()
                        )),
                    }
                }
            }
        }
    }
    for (t, f, _) in KNOWN_FAILING {
        assert!(
            seen.contains(&(*t, (*f).to_owned())),
            "KNOWN_FAILING names fuzz/regressions/{t}/{f}, which does not exist"
        );
    }
    for k in KnownDefect::ALL {
        assert!(
            KNOWN_FAILING.iter().any(|(_, _, d)| *d == k),
            "known defect {} has no saved reproducer",
            k.id()
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A deterministic byte stream (an LCG), so the test is the same on every run.
fn bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut z = seed;
    (0..len)
        .map(|_| {
            z = z
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (z >> 33) as u8
        })
        .collect()
}

#[test]
fn generated_records_are_mostly_valid_and_pass_every_oracle() {
    let inputs: Vec<(String, Vec<u8>)> = (0..200u64)
        .map(|i| (format!("lcg-{i}"), bytes(i, 64 + (i as usize * 37) % 2000)))
        .collect();
    let (o, failures) = replay(Target::GeneratedRecord, &inputs);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let (valid, invalid) = (o.count("generated/valid"), o.count("generated/invalid"));
    assert_eq!(valid + invalid, inputs.len());
    assert!(
        valid * 2 >= inputs.len(),
        "only {valid} of {} generated records are valid",
        inputs.len()
    );
    assert!(o.count("migrate/round-trip-lossless") >= 100);
    assert!(o.count("migrate/round-trip-kept") >= 50);
    assert!(o.count("diff/symmetric") >= 100);
}

#[test]
fn the_dictionary_is_fresh() {
    let path = root().join("fuzz/mods.dict");
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == dict::dictionary(),
        "{} is stale: run `cargo run -p mods-fuzz -- dict`",
        path.display()
    );
    assert!(dict::tokens().len() > 500);
}

#[test]
fn every_target_has_a_libfuzzer_binary() {
    for t in Target::ALL {
        let bin = root().join(format!("fuzz/fuzz_targets/{}.rs", t.name()));
        let text = std::fs::read_to_string(&bin).unwrap_or_default();
        assert!(
            text.contains("fuzz_target!"),
            "{} is missing or is not a fuzz target",
            bin.display()
        );
        let manifest = std::fs::read_to_string(root().join("fuzz/Cargo.toml")).unwrap_or_default();
        assert!(
            manifest.contains(&format!("name = \"{}\"", t.name())),
            "fuzz/Cargo.toml has no [[bin]] {}",
            t.name()
        );
    }
    assert!(Path::new(&root().join("fuzz/mods.dict")).is_file());
}

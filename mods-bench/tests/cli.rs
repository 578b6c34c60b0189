//! The `mods-bench` program: the commands `scripts/parse-floor` relies on, and the gate line
//! of docs/performance.md that `--gate` reads.

use std::process::Command;

fn bench(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_mods-bench"))
        .args(args)
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn run_runs_each_contender_on_a_named_input() {
    for c in [
        "ignored-any",
        "value",
        "typed",
        "jsonschema-iter-errors",
        "mods",
    ] {
        for input in ["mr-green", "mr-green.invalid", "mr-green.x2"] {
            let (code, _, err) = bench(&["run", c, input, "1"]);
            assert_eq!(code, 0, "{c} on {input}: {err}");
        }
    }
}

#[test]
fn bad_arguments_are_refused_with_the_usage() {
    for args in [
        &["run", "nobody", "mr-green", "1"][..],
        &["run", "mods", "no-such-record", "1"],
        &["run", "mods", "mr-green", "many"],
        &["run", "mods"],
        &["count", "--frobnicate"],
        &["launch"],
    ] {
        let (code, _, err) = bench(args);
        assert_eq!(code, 2, "{args:?}");
        assert!(err.contains("usage: mods-bench"), "{args:?}: {err}");
    }
}

#[test]
fn inputs_lists_and_writes_every_copy() {
    let dir = std::env::temp_dir().join(format!("mods-bench-inputs-{}", std::process::id()));
    let (code, out, err) = bench(&[
        "inputs",
        "--records",
        "mr-green",
        "--write",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("mr-green.invalid"), "{out}");
    assert!(out.contains("ours: invalid, 11 issue(s)"), "{out}");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "mr-green.invalid.json",
            "mr-green.json",
            "mr-green.x1.json",
            "mr-green.x16.json",
            "mr-green.x2.json",
            "mr-green.x4.json",
            "mr-green.x8.json"
        ]
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_performance_page_has_one_gate_line_and_the_measured_block() {
    let doc = std::fs::read_to_string(mods_bench::inputs::repo_root().join("docs/performance.md"))
        .unwrap();
    let (record, figure) = mods_bench::gate::read(&doc).unwrap();
    assert_eq!(record, "mr-green");
    assert!(figure > 0.0);
    for marker in [
        "<!-- parse-floor tables: begin (scripts/parse-floor --doc writes what follows) -->",
        "<!-- parse-floor tables: end -->",
    ] {
        assert_eq!(doc.matches(marker).count(), 1, "{marker}");
    }
}

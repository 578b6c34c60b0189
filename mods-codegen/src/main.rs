//! `cargo run -p mods-codegen [-- --check]`
//!
//! Reads every `mods-core/spec/mods-*.json`, checks it, and writes the typed classes, the
//! model tables and the name matchers (object keys to elements, class names, value set ids,
//! codes: see `mods_codegen::keys`) into `mods-core/src/generated/`, formatted with rustfmt. With `--check` it
//! writes nothing and exits 1 if the committed files differ from what it would write.

use mods_codegen::{gen_classes, gen_mod, gen_model, module_name, parse_spec, resolve};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

fn rustfmt(code: &str) -> Result<String, String> {
    let mut child = Command::new("rustfmt")
        .args(["--edition", "2021", "--emit", "stdout", "--quiet"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run rustfmt: {e}"))?;
    let mut stdin = child.stdin.take().ok_or("no stdin for rustfmt")?;
    let input = code.to_owned();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child
        .wait_with_output()
        .map_err(|e| format!("rustfmt failed: {e}"))?;
    writer
        .join()
        .map_err(|_| "rustfmt writer thread failed".to_owned())?
        .map_err(|e| format!("cannot write to rustfmt: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "rustfmt rejected generated code:\n{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    String::from_utf8(out.stdout).map_err(|_| "rustfmt wrote non-UTF-8".to_owned())
}

fn version_key(v: &str) -> Vec<u64> {
    v.split('.').map(|p| p.parse().unwrap_or(0)).collect()
}

fn run(root: &Path, spec_dir: &Path, check: bool) -> Result<bool, String> {
    let spec_dir = spec_dir.to_path_buf();
    let out_dir = root.join("mods-core/src/generated");
    let mut specs = Vec::new();
    for entry in std::fs::read_dir(&spec_dir).map_err(|e| format!("{}: {e}", spec_dir.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with("mods-") && name.ends_with(".json") {
            let text = std::fs::read_to_string(&path).map_err(|e| format!("{name}: {e}"))?;
            let spec = parse_spec(&text).map_err(|e| format!("{name}: {e}"))?;
            specs.push((format!("mods-core/spec/{name}"), spec));
        }
    }
    if specs.is_empty() {
        return Err("no mods-core/spec/mods-*.json found".into());
    }
    specs.sort_by_key(|(_, s)| version_key(&s.mods_version));
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    let mut versions = Vec::new();
    for (file, spec) in &specs {
        let resolved = resolve(spec).map_err(|errs| format!("{file}:\n  {}", errs.join("\n  ")))?;
        let module = module_name(&spec.mods_version);
        files.push((
            out_dir.join(format!("{module}.rs")),
            gen_classes(&resolved, file),
        ));
        files.push((
            out_dir.join(format!("{module}_model.rs")),
            gen_model(&resolved, file),
        ));
        files.push((
            out_dir.join(format!("{module}_keys.rs")),
            mods_codegen::keys::gen_keys(&resolved, file),
        ));
        versions.push((spec.mods_version.clone(), module));
    }
    let glossary_path = spec_dir.join("glossary.json");
    if let Ok(text) = std::fs::read_to_string(&glossary_path) {
        let glossary: mods_codegen::spec::Glossary = serde_json::from_str(&text)
            .map_err(|e| format!("glossary.json does not follow docs/glossary.md: {e}"))?;
        let (file, spec) = specs
            .iter()
            .find(|(_, s)| s.mods_version == glossary.mods_version)
            .ok_or("glossary.json names a MODS version with no spec")?;
        let resolved = resolve(spec).map_err(|errs| format!("{file}:\n  {}", errs.join("\n  ")))?;
        mods_codegen::check_glossary(&glossary, &resolved)
            .map_err(|errs| format!("glossary.json:\n  {}", errs.join("\n  ")))?;
        files.push((
            out_dir.join("glossary.rs"),
            mods_codegen::gen_glossary(&glossary, "mods-core/spec/glossary.json"),
        ));
    } else {
        return Err("mods-core/spec/glossary.json is missing".into());
    }
    // migrations between adjacent versions
    let mig_dir = spec_dir.join("migrations");
    let mut migrations = Vec::new();
    if let Ok(entries) = std::fs::read_dir(&mig_dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("")
                .to_owned();
            if !name.ends_with(".json") {
                continue;
            }
            let text = std::fs::read_to_string(&path).map_err(|e| format!("{name}: {e}"))?;
            let m: mods_codegen::spec::Migration =
                serde_json::from_str(&text).map_err(|e| format!("migrations/{name}: {e}"))?;
            migrations.push((format!("mods-core/spec/migrations/{name}"), m));
        }
    }
    migrations.sort_by_key(|(_, m)| version_key(&m.from));
    for pair in specs.windows(2) {
        let (a, b) = (&pair[0].1, &pair[1].1);
        let m = migrations
            .iter()
            .find(|(_, m)| m.from == a.mods_version && m.to == b.mods_version)
            .ok_or_else(|| {
                format!(
                    "no migration from {} to {} in mods-core/spec/migrations/",
                    a.mods_version, b.mods_version
                )
            })?;
        let ra = resolve(a).map_err(|e| e.join("\n"))?;
        let rb = resolve(b).map_err(|e| e.join("\n"))?;
        mods_codegen::check_migration(&m.1, &ra, &rb).map_err(|e| e.join("\n"))?;
    }
    if migrations.len() != specs.len() - 1 {
        return Err("every migration must join two adjacent versions".into());
    }
    files.push((
        out_dir.join("migrations.rs"),
        mods_codegen::gen_migrations(&migrations),
    ));
    let current: Vec<&str> = specs
        .iter()
        .filter(|(_, s)| s.status == "current")
        .map(|(_, s)| s.mods_version.as_str())
        .collect();
    let [current] = current[..] else {
        return Err(format!(
            "exactly one spec must have status \"current\"; found {current:?}"
        ));
    };
    files.push((out_dir.join("mod.rs"), gen_mod(&versions, current)));
    let mut fresh = true;
    if !check {
        std::fs::create_dir_all(&out_dir).map_err(|e| e.to_string())?;
    }
    for (path, code) in files {
        let formatted = rustfmt(&code)?;
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if current != formatted {
            fresh = false;
            if check {
                eprintln!("stale: {}", path.display());
            } else {
                std::fs::write(&path, formatted).map_err(|e| format!("{}: {e}", path.display()))?;
                eprintln!("wrote {}", path.display());
            }
        }
    }
    Ok(fresh)
}

fn main() -> ExitCode {
    let check = std::env::args().any(|a| a == "--check");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    // `--spec-dir DIR` reads the spec data from elsewhere (for trying out changes).
    let args: Vec<String> = std::env::args().collect();
    let spec_dir = args
        .iter()
        .position(|a| a == "--spec-dir")
        .and_then(|i| args.get(i + 1))
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("mods-core/spec"));
    match run(&root, &spec_dir, check) {
        Ok(true) => {
            eprintln!("generated code is up to date");
            ExitCode::SUCCESS
        }
        Ok(false) if check => {
            eprintln!(
                "generated code is stale: run `cargo run -p mods-codegen` and commit the result"
            );
            ExitCode::FAILURE
        }
        Ok(false) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("mods-codegen: {e}");
            ExitCode::from(2)
        }
    }
}

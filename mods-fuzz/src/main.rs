//! `mods-fuzz`: the stable-Rust side of fuzzing (see docs/fuzzing.md).
//!
//! ```text
//! mods-fuzz dict [--check]                 write fuzz/mods.dict, or check it is fresh
//! mods-fuzz seeds DIR                      write the seed corpus under DIR/<target>/
//! mods-fuzz replay [--tolerate-known] [--stats] TARGET PATH...
//!                                          run a target's oracles on files or directories
//!                                          (--stats: how often each oracle was checked)
//! mods-fuzz list                           the target names
//! ```

use mods_fuzz::{dict, seeds, Config, Target};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str =
    "usage: mods-fuzz dict [--check] | seeds DIR | replay [--tolerate-known] TARGET PATH... | list";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["dict"] => write_dict(false),
        ["dict", "--check"] => write_dict(true),
        ["seeds", dir] => write_seeds(Path::new(dir)),
        ["replay", rest @ ..] => {
            let flags: Vec<&str> = rest
                .iter()
                .copied()
                .take_while(|a| a.starts_with("--"))
                .collect();
            let cfg = if flags.contains(&"--tolerate-known") {
                Config::FUZZING
            } else {
                Config::STRICT
            };
            let known_flags = flags
                .iter()
                .all(|f| ["--tolerate-known", "--stats"].contains(f));
            match &rest[flags.len()..] {
                [target, paths @ ..] if !paths.is_empty() && known_flags => {
                    replay(target, paths, cfg, flags.contains(&"--stats"))
                }
                _ => {
                    eprintln!("{USAGE}");
                    ExitCode::from(2)
                }
            }
        }
        ["list"] => {
            for t in Target::ALL {
                println!("{}", t.name());
            }
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn write_dict(check: bool) -> ExitCode {
    let path = seeds::repository_root().join("fuzz/mods.dict");
    let fresh = dict::dictionary();
    if check {
        return if std::fs::read_to_string(&path).ok().as_deref() == Some(fresh.as_str()) {
            ExitCode::SUCCESS
        } else {
            eprintln!(
                "{} is stale: run `cargo run -p mods-fuzz -- dict`",
                path.display()
            );
            ExitCode::FAILURE
        };
    }
    match std::fs::write(&path, fresh) {
        Ok(()) => {
            println!("wrote {} ({} tokens)", path.display(), dict::tokens().len());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{}: {e}", path.display());
            ExitCode::FAILURE
        }
    }
}

fn write_seeds(dir: &Path) -> ExitCode {
    let result = seeds::seeds(&seeds::repository_root()).and_then(|s| {
        seeds::write(&s, dir)?;
        Ok(s.len())
    });
    match result {
        Ok(n) => {
            println!("wrote {n} seeds under {}", dir.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("seeds: {e}");
            ExitCode::FAILURE
        }
    }
}

fn files(paths: &[&str]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        let p = Path::new(p);
        if p.is_dir() {
            if let Ok(rd) = std::fs::read_dir(p) {
                let mut v: Vec<PathBuf> = rd
                    .flatten()
                    .map(|e| e.path())
                    .filter(|p| p.is_file())
                    .collect();
                v.sort();
                out.extend(v);
            }
        } else {
            out.push(p.to_path_buf());
        }
    }
    out
}

fn replay(target: &str, paths: &[&str], cfg: Config, stats: bool) -> ExitCode {
    let Some(t) = Target::from_name(target) else {
        eprintln!(
            "no target {target:?}; targets: {}",
            Target::ALL.map(Target::name).join(", ")
        );
        return ExitCode::from(2);
    };
    let mut failed = 0;
    let mut total = mods_fuzz::Outcome::default();
    let list = files(paths);
    for f in &list {
        let bytes = match std::fs::read(f) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{}: {e}", f.display());
                failed += 1;
                continue;
            }
        };
        match t.run(&bytes, cfg) {
            Ok(o) => {
                if o.tolerated.is_empty() {
                    println!("ok      {}", f.display());
                } else {
                    let ids: Vec<&str> = o.tolerated.iter().map(|k| k.id()).collect();
                    println!(
                        "ok      {} (known defects tolerated: {})",
                        f.display(),
                        ids.join(", ")
                    );
                }
                total.merge(o);
            }
            Err(finding) => {
                failed += 1;
                println!("FINDING {}\n        {finding}", f.display());
            }
        }
    }
    if stats {
        for (oracle, n) in &total.checked {
            println!("{n:>9}  {oracle}");
        }
    }
    println!("replayed {} inputs, {failed} with a finding", list.len());
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

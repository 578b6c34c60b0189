//! `mods-bench`: the parse-floor benchmark (see the library's documentation and
//! `docs/performance.md`). Run it built with optimisations:
//! `cargo run --release -p mods-bench -- [COMMAND] [OPTIONS]`.

use mods_bench::alloc::{self, CountingAlloc};
use mods_bench::callgrind::{self, Job};
use mods_bench::contenders::{Contender, Contenders, Verdict};
use mods_bench::inputs::{self, Example, Input, Variant, SCALES};
use mods_bench::results::{InputInfo, Results, Unit};
use mods_bench::{gate, mutate, timing};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

const USAGE: &str = "\
usage: mods-bench [time] [--seconds S] [--records A,B] [--markdown]
         wall-clock time, MB/s, ratios, peak heap and allocations (S: seconds per
         contender and input, default 0.5)
       mods-bench count [--all] [--records A,B] [--n N] [--jobs J] [--markdown]
                        [--gate DOC | --update DOC]
         instructions under callgrind: (count of 2N runs - count of N) / N, N default 5.
         Without --all: one record (the gate's, else mr-green), valid, every contender.
         --gate DOC fails when ours ÷ serde_json::Value on the gate record is more than
         3 % above the figure on DOC's gate line; --update DOC writes the new figure there.
       mods-bench run CONTENDER INPUT N
         run one contender N times on one input (what `count` runs under callgrind)
       mods-bench inputs [--write DIR]
         list the inputs (and our verdicts); with --write, write each as DIR/NAME.json
contenders: ignored-any value typed jsonschema-is-valid jsonschema-iter-errors mods
            mods-is-valid (the verdict alone; `run` only)
inputs: RECORD (the example file), RECORD.invalid, RECORD.x1 .. RECORD.x16";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let r = match args.first().map(String::as_str) {
        None => time(&[]),
        Some("time") => time(&args[1..]),
        Some(a) if a.starts_with("--") && a != "--help" => time(&args),
        Some("count") => count(&args[1..]),
        Some("run") => run(&args[1..]),
        Some("inputs") => list_inputs(&args[1..]),
        Some("help" | "--help" | "-h") => {
            println!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        Some(other) => Err(format!("unknown command {other}")),
    };
    match r {
        Ok(code) => code,
        Err(e) => {
            eprintln!("mods-bench: {e}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// Options common to the commands.
#[derive(Default)]
struct Opts {
    seconds: Option<f64>,
    records: Option<Vec<String>>,
    markdown: bool,
    all: bool,
    n: Option<u64>,
    jobs: Option<usize>,
    gate: Option<PathBuf>,
    update: Option<PathBuf>,
    write: Option<PathBuf>,
}

fn parse_opts(args: &[String]) -> Result<Opts, String> {
    let mut o = Opts::default();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match a.as_str() {
            "--seconds" => {
                let s: f64 = value(a)?.parse().map_err(|_| "--seconds: a number")?;
                o.seconds = Some(s).filter(|s| *s > 0.0);
            }
            "--records" => {
                o.records = Some(value(a)?.split(',').map(str::to_owned).collect());
            }
            "--markdown" => o.markdown = true,
            "--all" => o.all = true,
            "--n" => o.n = Some(value(a)?.parse().map_err(|_| "--n: a whole number")?),
            "--jobs" => o.jobs = Some(value(a)?.parse().map_err(|_| "--jobs: a whole number")?),
            "--gate" => o.gate = Some(value(a)?.into()),
            "--update" => o.update = Some(value(a)?.into()),
            "--write" => o.write = Some(value(a)?.into()),
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(o)
}

fn examples(records: Option<&[String]>) -> Result<Vec<Example>, String> {
    let all = inputs::load_examples(&inputs::repo_root())?;
    let Some(wanted) = records else {
        return Ok(all);
    };
    for w in wanted {
        if !all.iter().any(|e| &e.name == w) {
            return Err(format!("no example record {w}"));
        }
    }
    Ok(all
        .into_iter()
        .filter(|e| wanted.contains(&e.name))
        .collect())
}

/// Which copies of each record a full run measures, and with which contenders.
fn plan() -> Vec<(Variant, Vec<Contender>)> {
    let mut out = vec![
        (Variant::Valid, Contender::ALL.to_vec()),
        (Variant::Invalid, Contender::ALL.to_vec()),
        (Variant::Scaled(1), Contender::ALL.to_vec()),
    ];
    for k in &SCALES[1..] {
        out.push((
            Variant::Scaled(*k),
            vec![Contender::Scan, Contender::Value, Contender::Mods],
        ));
    }
    out
}

fn info(input: &Input) -> InputInfo {
    InputInfo {
        name: input.name.clone(),
        record: input.record.clone(),
        variant: input.variant,
        bytes: input.bytes.len(),
    }
}

/// What each contender should conclude: a valid input is read and found valid by all;
/// ours finds the original's issues plus one per violation in the invalid copy, and
/// k times the original's in the k-times copy.
fn check(input: &Input, c: Contender, v: Verdict, base_issues: usize) -> Option<String> {
    let expected_ours = match input.variant {
        Variant::Valid => base_issues,
        Variant::Invalid => base_issues + mutate::VIOLATIONS.len(),
        Variant::Scaled(k) => base_issues * k,
    };
    let wrong = match (input.variant, c) {
        (Variant::Invalid, Contender::Mods) => v.ok || v.findings != expected_ours,
        (_, Contender::Mods) => !v.ok || v.findings != expected_ours,
        (Variant::Invalid, Contender::Scan | Contender::Value) => !v.ok,
        (Variant::Invalid, _) => v.ok,
        _ => !v.ok,
    };
    wrong.then(|| {
        format!(
            "warning: {} on {}: {} with {} finding(s), not what the benchmark assumes \
             (ours: {expected_ours} issues)",
            c.name(),
            input.name,
            if v.ok { "ok" } else { "not ok" },
            v.findings
        )
    })
}

fn time(args: &[String]) -> Result<ExitCode, String> {
    let o = parse_opts(args)?;
    let seconds = o.seconds.unwrap_or(0.5);
    let examples = examples(o.records.as_deref())?;
    let contenders = Contenders::new(&inputs::repo_root(), true)?;
    let counting = alloc::installed();
    let mut results = Results::new(Unit::Seconds);
    let mut warnings = Vec::new();
    for example in &examples {
        let base = contenders.run(Contender::Mods, &example.bytes).findings;
        for (variant, which) in plan() {
            let input = match inputs::build(example, variant) {
                Ok(i) => i,
                Err(e) => {
                    warnings.push(format!("warning: {e}"));
                    continue;
                }
            };
            for &c in &which {
                let v = contenders.run(c, &input.bytes); // also warms up
                warnings.extend(check(&input, c, v, base));
                results.verdicts.insert((input.name.clone(), c), v);
                if counting {
                    let (_, usage) = alloc::measure(|| contenders.run(c, &input.bytes));
                    results.usage.insert((input.name.clone(), c), usage);
                }
            }
            let times = timing::time_per_call(&contenders, &which, &input.bytes, seconds);
            for (&c, t) in which.iter().zip(times) {
                results.cost.insert((input.name.clone(), c), t);
            }
            eprintln!(
                "  {}: ours {:.1} µs",
                input.name,
                results
                    .cost_of(&input.name, Contender::Mods)
                    .unwrap_or(f64::NAN)
                    * 1e6
            );
            results.inputs.push(info(&input));
        }
    }
    for w in &warnings {
        eprintln!("{w}");
    }
    let md = o.markdown;
    let mut tables = vec![
        results.targets_table(),
        results.cost_table(),
        results.throughput_table(),
        results.ratio_table(),
        results.invalid_table(),
        results.linearity_table(),
    ];
    if counting {
        tables.push(results.memory_table());
    }
    for t in tables {
        println!("{}", t.render(md));
    }
    if let Some(a) = results.allocations_per_kib() {
        println!("ours: {a:.1} allocations per KiB of input (mean over the valid records)");
    }
    Ok(if warnings.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn count(args: &[String]) -> Result<ExitCode, String> {
    let o = parse_opts(args)?;
    let n = o.n.unwrap_or(5).max(1);
    let doc_path = o.gate.as_ref().or(o.update.as_ref());
    let doc = match doc_path {
        Some(p) => Some(std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?),
        None => None,
    };
    let gate_line = doc.as_deref().map(gate::read).transpose()?;
    let gate_record = gate_line
        .as_ref()
        .map_or("mr-green".to_owned(), |(r, _)| r.clone());
    let records = match (&o.records, o.all) {
        (Some(r), _) => Some(r.clone()),
        (None, true) => None,
        (None, false) => Some(vec![gate_record.clone()]),
    };
    let examples = examples(records.as_deref())?;
    let mut results = Results::new(Unit::Instructions);
    // our verdicts (issue counts) for the tables, found natively
    let ours = Contenders::new(&inputs::repo_root(), false)?;
    let mut jobs = Vec::new();
    for example in &examples {
        let plan = if o.all {
            plan()
        } else {
            vec![(Variant::Valid, Contender::ALL.to_vec())]
        };
        for (variant, which) in plan {
            let input = match inputs::build(example, variant) {
                Ok(i) => i,
                Err(e) => {
                    eprintln!("warning: {e}");
                    continue;
                }
            };
            results.verdicts.insert(
                (input.name.clone(), Contender::Mods),
                ours.run(Contender::Mods, &input.bytes),
            );
            for c in which {
                jobs.push(Job {
                    contender: c,
                    input: input.name.clone(),
                });
            }
            results.inputs.push(info(&input));
        }
    }
    let bin = std::env::current_exe().map_err(|e| format!("where is this program? {e}"))?;
    let parallel = o.jobs.unwrap_or_else(|| {
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    });
    eprintln!(
        "counting {} contender runs under callgrind ({parallel} at a time, N = {n})",
        jobs.len()
    );
    let done = |job: &Job, v: f64| {
        eprintln!(
            "  {} on {}: {:.3} M",
            job.contender.name(),
            job.input,
            v / 1e6
        )
    };
    let counts = callgrind::count(&bin, &jobs, n, parallel, &done)?;
    for (job, v) in jobs.iter().zip(counts) {
        results.cost.insert((job.input.clone(), job.contender), v);
    }
    let md = o.markdown;
    let mut tables = vec![results.cost_table(), results.ratio_table()];
    if o.all {
        tables.insert(0, results.targets_table());
        tables.push(results.invalid_table());
        tables.push(results.linearity_table());
    }
    for t in tables {
        println!("{}", t.render(md));
    }
    // in Markdown mode stdout holds the tables alone: the rest goes to stderr
    macro_rules! say {
        ($($t:tt)*) => {
            if md {
                eprintln!($($t)*)
            } else {
                println!($($t)*)
            }
        };
    }
    for e in &examples {
        let r = |c| {
            results
                .ratio(&e.name, c)
                .map_or("–".into(), |r| format!("{r:.3}"))
        };
        say!(
            "{}: ours ÷ Value+jsonschema iter_errors {}, ours ÷ IgnoredAny {}, ours ÷ Value {}",
            e.name,
            r(Contender::SchemaIterErrors),
            r(Contender::Scan),
            r(Contender::Value)
        );
    }
    let (Some(path), Some(doc), Some((record, figure))) = (doc_path, doc, gate_line) else {
        return Ok(ExitCode::SUCCESS);
    };
    let measured = results
        .ratio(&record, Contender::Value)
        .ok_or_else(|| format!("the gate record {record} was not counted"))?;
    if o.update.is_some() {
        let updated = gate::update(&doc, measured)?;
        std::fs::write(path, updated).map_err(|e| format!("{}: {e}", path.display()))?;
        say!(
            "gate: wrote {measured:.3} (was {figure:.3}) into {}",
            path.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let limit = figure * (1.0 + gate::TOLERANCE);
    match gate::judge(measured, figure) {
        gate::Verdict::Over => {
            say!(
                "gate: FAILED: ours ÷ serde_json::Value on {record} is {measured:.3}, over \
                 {limit:.3} ({figure:.3} in {} + {:.0} %). If the engine is dearer on purpose, \
                 raise the figure in the same commit: scripts/parse-floor --update",
                path.display(),
                gate::TOLERANCE * 100.0
            );
            Ok(ExitCode::FAILURE)
        }
        gate::Verdict::WellUnder => {
            say!(
                "gate: ok: {measured:.3} on {record}, well under {figure:.3}: lower the figure \
                 with scripts/parse-floor --update"
            );
            Ok(ExitCode::SUCCESS)
        }
        gate::Verdict::Within => {
            say!(
                "gate: ok: ours ÷ serde_json::Value on {record} is {measured:.3} (figure \
                 {figure:.3}, limit {limit:.3})"
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn run(args: &[String]) -> Result<ExitCode, String> {
    let [c, input, n] = args else {
        return Err("run needs CONTENDER INPUT N".into());
    };
    let c = Contender::from_name(c).ok_or_else(|| format!("unknown contender {c}"))?;
    let n: u64 = n.parse().map_err(|_| "N must be a whole number")?;
    let root = inputs::repo_root();
    let examples = inputs::load_examples(&root)?;
    let input = inputs::by_name(&examples, input)?;
    let contenders = Contenders::new(&root, c.needs_schema())?;
    black_box(contenders.run(c, &input.bytes));
    for _ in 0..n {
        black_box(contenders.run(c, black_box(&input.bytes)));
    }
    Ok(ExitCode::SUCCESS)
}

fn list_inputs(args: &[String]) -> Result<ExitCode, String> {
    let o = parse_opts(args)?;
    let examples = examples(o.records.as_deref())?;
    let contenders = Contenders::new(&inputs::repo_root(), false)?;
    if let Some(dir) = &o.write {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let mut n = 0;
    for example in &examples {
        for (variant, _) in plan() {
            let input = match inputs::build(example, variant) {
                Ok(i) => i,
                Err(e) => {
                    eprintln!("warning: {e}");
                    continue;
                }
            };
            let v = contenders.run(Contender::Mods, &input.bytes);
            println!(
                "{:32} {:>8} bytes  ours: {}, {} issue(s)",
                input.name,
                input.bytes.len(),
                if v.ok { "valid" } else { "invalid" },
                v.findings
            );
            if let Some(dir) = &o.write {
                write(dir, &input)?;
                n += 1;
            }
        }
    }
    if let Some(dir) = &o.write {
        println!("wrote {n} inputs to {}", dir.display());
    }
    Ok(ExitCode::SUCCESS)
}

fn write(dir: &Path, input: &Input) -> Result<(), String> {
    let path = dir.join(format!("{}.json", input.name));
    std::fs::write(&path, &input.bytes).map_err(|e| format!("{}: {e}", path.display()))
}

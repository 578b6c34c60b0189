//! Instruction counts under callgrind (valgrind): a cost the machine's load does not move.
//!
//! Each count runs this program's `run CONTENDER INPUT N` under
//! `valgrind --tool=callgrind` twice, with N and 2N repetitions; the difference divided by
//! N is the cost of one call, start-up, reading the input and building the schema
//! validator cancelling out.

use crate::contenders::Contender;
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// One count to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// Who runs.
    pub contender: Contender,
    /// On which input (a name `mods-bench inputs` lists).
    pub input: String,
}

/// Instructions per call of each job, counted with `n` and `2n` repetitions, `parallel`
/// valgrind processes at a time. `done` is told of each job as it ends.
pub fn count(
    bin: &Path,
    jobs: &[Job],
    n: u64,
    parallel: usize,
    done: &(dyn Fn(&Job, f64) + Sync),
) -> Result<Vec<f64>, String> {
    let next = AtomicUsize::new(0);
    let out: Mutex<Vec<Option<Result<f64, String>>>> = Mutex::new(vec![None; jobs.len()]);
    std::thread::scope(|s| {
        for _ in 0..parallel.max(1) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(job) = jobs.get(i) else { break };
                let r = per_call(bin, job, n);
                if let Ok(v) = r {
                    done(job, v);
                }
                if let Ok(mut out) = out.lock() {
                    out[i] = Some(r);
                }
            });
        }
    });
    let out = out.into_inner().map_err(|_| "a counting thread failed")?;
    out.into_iter()
        .map(|r| r.unwrap_or_else(|| Err("a count was not made".into())))
        .collect()
}

fn per_call(bin: &Path, job: &Job, n: u64) -> Result<f64, String> {
    let once = collected(bin, job, n)?;
    let twice = collected(bin, job, 2 * n)?;
    if twice <= once {
        return Err(format!(
            "{} on {}: {} runs counted no more than {n} ({twice} vs {once})",
            job.contender.name(),
            job.input,
            2 * n
        ));
    }
    Ok((twice - once) as f64 / n as f64)
}

/// The instructions callgrind collected for `bin run CONTENDER INPUT reps`.
fn collected(bin: &Path, job: &Job, reps: u64) -> Result<u64, String> {
    let out = Command::new("valgrind")
        .arg("--tool=callgrind")
        .arg("--callgrind-out-file=/dev/null")
        .arg(bin)
        .args(["run", job.contender.name(), &job.input, &reps.to_string()])
        .output()
        .map_err(|e| format!("cannot run valgrind ({e}): install it (apt-get install valgrind)"))?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        let tail: Vec<&str> = stderr.lines().rev().take(5).collect();
        return Err(format!(
            "{} on {} under callgrind failed: {}",
            job.contender.name(),
            job.input,
            tail.into_iter().rev().collect::<Vec<_>>().join(" / ")
        ));
    }
    parse_collected(&stderr).ok_or_else(|| {
        format!(
            "{} on {}: callgrind printed no `Collected :` count",
            job.contender.name(),
            job.input
        )
    })
}

/// The count in callgrind's `==PID== Collected : 123456` line.
pub fn parse_collected(stderr: &str) -> Option<u64> {
    stderr
        .lines()
        .find_map(|l| l.split_once("Collected :").map(|(_, n)| n.trim()))
        .and_then(|n| n.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_callgrinds_count() {
        let stderr = "==12== Callgrind, a call-graph generating cache profiler\n\
                      ==12== Events    : Ir\n==12== Collected : 123456789\n==12==\n";
        assert_eq!(parse_collected(stderr), Some(123_456_789));
        assert_eq!(parse_collected("==12== nothing\n"), None);
    }
}

//! Wall-clock time per call, the contenders interleaved.
//!
//! For one input, each contender is calibrated to a batch of calls lasting about
//! `seconds / ROUNDS`; then [`ROUNDS`] rounds each time one batch of every contender in
//! turn, so a change in the machine's load touches them alike. The figure kept is the
//! fastest round's time per call: on a shared machine the least disturbed one.

use crate::contenders::{Contender, Contenders};
use std::hint::black_box;
use std::time::{Duration, Instant};

/// Rounds per input.
pub const ROUNDS: usize = 15;

/// Seconds per call of each contender on `bytes`, in the order given; about `seconds`
/// spent on each contender.
pub fn time_per_call(
    contenders: &Contenders,
    which: &[Contender],
    bytes: &[u8],
    seconds: f64,
) -> Vec<f64> {
    let per_round = Duration::from_secs_f64((seconds / ROUNDS as f64).max(0.001));
    let batches: Vec<u64> = which
        .iter()
        .map(|&c| calibrate(per_round, |n| batch(contenders, c, bytes, n)))
        .collect();
    let mut best = vec![f64::INFINITY; which.len()];
    for _ in 0..ROUNDS {
        for (i, &c) in which.iter().enumerate() {
            let t = batch(contenders, c, bytes, batches[i]);
            best[i] = best[i].min(t.as_secs_f64() / batches[i] as f64);
        }
    }
    best
}

fn batch(contenders: &Contenders, c: Contender, bytes: &[u8], n: u64) -> Duration {
    let t0 = Instant::now();
    for _ in 0..n {
        black_box(contenders.run(c, black_box(bytes)));
    }
    t0.elapsed()
}

/// Calls per batch so that one batch lasts about `target`: doubling from one call until a
/// batch lasts a tenth of it, then scaled.
fn calibrate(target: Duration, mut run: impl FnMut(u64) -> Duration) -> u64 {
    let mut n = 1u64;
    loop {
        let t = run(n);
        if t >= target / 10 || n >= 1 << 30 {
            let per_call = t.as_secs_f64() / n as f64;
            return ((target.as_secs_f64() / per_call.max(1e-9)) as u64).max(1);
        }
        n *= 2;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calibration_scales_to_the_target() {
        // a call that "takes" 1 ms: a 100 ms target gives 100 calls
        let n = calibrate(Duration::from_millis(100), Duration::from_millis);
        assert_eq!(n, 100);
        // a call slower than the target: one call per batch
        assert_eq!(
            calibrate(Duration::from_millis(1), |_| Duration::from_secs(1)),
            1
        );
    }
}

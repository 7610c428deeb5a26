//! Timing: calibrated samples, medians.

use std::time::{Duration, Instant};

/// A timed call longer than this is taken as the round's only sample.
pub const LONG_CALL: Duration = Duration::from_secs(1);

/// Collects timing samples for one (case, system) pair in one round.
///
/// A case calls [`Bencher::iter`] exactly once, with the work of one iteration;
/// setup done before the call is not timed.
pub struct Bencher {
    /// Wall time to spend sampling in this round.
    budget: Duration,
    /// Nanoseconds per iteration, one entry per sample.
    pub(crate) samples: Vec<f64>,
    /// Iterations run in total (timed ones).
    pub(crate) iterations: u64,
    /// Run exactly this many timed iterations, in one sample, whatever they
    /// take (for instruction counts under callgrind: see `--iterations`).
    fixed: Option<u64>,
}

impl Bencher {
    /// A bencher that samples for about `budget`.
    pub fn new(budget: Duration) -> Self {
        Bencher {
            budget,
            samples: Vec::new(),
            iterations: 0,
            fixed: None,
        }
    }

    /// A bencher that runs exactly `n` timed iterations after the warm-up, in
    /// one sample: the work done depends on `n` alone, not on the clock.
    pub fn fixed(n: u64) -> Self {
        Bencher {
            fixed: Some(n),
            ..Bencher::new(Duration::ZERO)
        }
    }

    /// Whether this bencher runs a fixed number of iterations
    /// ([`Bencher::fixed`]): a case's own timed checks must then not decide
    /// what work is done.
    pub fn is_fixed(&self) -> bool {
        self.fixed.is_some()
    }

    /// Times `f`: one warm-up call, then samples of enough calls each to last
    /// at least 20 µs, until the budget is spent (at least 3 samples). A call
    /// that takes over [`LONG_CALL`] is its own one sample for the round: the
    /// rounds still give several, and three more calls of a peer that needs
    /// seconds per iteration would take a quarter of the report's time.
    pub fn iter(&mut self, mut f: impl FnMut()) {
        f(); // warm-up (and first-use costs)
        if let Some(n) = self.fixed {
            let t = Instant::now();
            for _ in 0..n {
                f();
            }
            self.record(t, n);
            return;
        }
        let start = Instant::now();
        f();
        let one = start.elapsed().max(Duration::from_nanos(1));
        if one > LONG_CALL {
            self.samples.push(one.as_nanos() as f64);
            self.iterations += 1;
            return;
        }
        let per_sample =
            ((Duration::from_micros(20).as_nanos() / one.as_nanos()) as u64).clamp(1, 1_000_000);
        let begin = Instant::now();
        while self.samples.len() < 3 || begin.elapsed() < self.budget {
            let t = Instant::now();
            for _ in 0..per_sample {
                f();
            }
            let ns = t.elapsed().as_nanos() as f64 / per_sample as f64;
            self.samples.push(ns);
            self.iterations += per_sample;
            if self.samples.len() >= 10_000 {
                break;
            }
        }
    }

    /// Times building values with `build`, not dropping them: like
    /// [`Bencher::iter`], but each sample's values are kept in a vector made
    /// before the clock starts and dropped after it stops.
    pub fn iter_build<T>(&mut self, mut build: impl FnMut() -> T) {
        drop(build()); // warm-up (and first-use costs)
        if let Some(n) = self.fixed {
            let mut kept: Vec<T> = Vec::with_capacity(n as usize);
            let t = Instant::now();
            for _ in 0..n {
                kept.push(build());
            }
            self.record(t, n);
            return;
        }
        let start = Instant::now();
        let one_value = build();
        let one = start.elapsed().max(Duration::from_nanos(1));
        drop(one_value);
        let per_sample =
            ((Duration::from_micros(20).as_nanos() / one.as_nanos()) as usize).clamp(1, 100_000);
        let mut kept: Vec<T> = Vec::with_capacity(per_sample);
        let begin = Instant::now();
        while self.samples.len() < 3 || begin.elapsed() < self.budget {
            let t = Instant::now();
            for _ in 0..per_sample {
                kept.push(build());
            }
            let ns = t.elapsed().as_nanos() as f64 / per_sample as f64;
            kept.clear();
            self.samples.push(ns);
            self.iterations += per_sample as u64;
            if self.samples.len() >= 10_000 {
                break;
            }
        }
    }
}

impl Bencher {
    /// Records one sample of `n` iterations started at `t`.
    fn record(&mut self, t: Instant, n: u64) {
        self.samples
            .push(t.elapsed().as_nanos() as f64 / n.max(1) as f64);
        self.iterations += n;
    }
}

/// The median of `xs` (NaN for none).
pub fn median(xs: &mut [f64]) -> f64 {
    if xs.is_empty() {
        return f64::NAN;
    }
    xs.sort_by(|a, b| a.total_cmp(b));
    let m = xs.len() / 2;
    if xs.len() % 2 == 1 {
        xs[m]
    } else {
        (xs[m - 1] + xs[m]) / 2.0
    }
}

//! Three rows of the S.js benchmark (`bench/bench.js` of S.js), as ported by
//! js-reactivity-benchmark (`src/benches/sBench.ts`, `COUNT = 1e5`):
//!
//! - `s.create_signals` is `createDataSignals(COUNT)`: 100 000 signals
//!   `0..COUNT` created per iteration.
//! - `s.create_computations` is `createComputations1to1(COUNT, COUNT)`:
//!   100 000 computeds, each reading its own signal (100 000 signals).
//! - `s.update_signals` is `updateComputations1to1(4 × COUNT, 1)`: one signal,
//!   one computed reading it, 400 000 writes per iteration.
//!
//! The other rows (`0to1`, `2to1`, `4to1`, `1000to1`, `1to2`..`1to1000`, and
//! the other `update*` rows) are not ported.
//!
//! Deviations, each because js-reactivity-benchmark's port measures something
//! else for lazy systems than S.js does:
//! - In S.js a computation runs when created and re-runs on every write; the
//!   js-reactivity-benchmark port never reads its computeds, so in a lazy
//!   system they never run (and the updates write to a signal no one reads).
//!   Here each computed is read once when created (`create_computations`),
//!   and after each write (`update_signals`): S.js's work, for lazy and
//!   eager systems alike.
//! - The creation rows create inside [`Framework::build`] and release with
//!   [`Framework::cleanup`] within the timed iteration (S.js keeps what it
//!   creates). `create_computations` creates its 100 000 source signals in the
//!   same iteration (cleanup releases them with the computeds); S.js creates
//!   them untimed. `create_computations` minus `create_signals` is the cost
//!   of the computeds alone.
//! - `update_signals`' signal starts at -1 (S.js: 0), so that its first write
//!   (0) is a change in every system.

use std::cell::Cell;
use std::hint::black_box;
use std::rc::Rc;

use super::kairo::Checks;
use super::{Bencher, CaseResult, SpeedCase};
use crate::framework::Framework;

/// S.js's `COUNT`.
const COUNT: usize = 100_000;
/// `updateComputations1to1`'s number of writes (`4 × COUNT`).
const WRITES: i64 = 4 * COUNT as i64;
/// `0 + 1 + … + (COUNT - 1)`: the sum of the values of the created signals.
const SUM: i64 = (COUNT as i64) * (COUNT as i64 - 1) / 2;

/// `s.create_signals`: `createDataSignals`, 100 000 signals per iteration.
/// Check: one more (untimed) round, reading every signal back: their sum.
pub struct CreateSignals;

impl SpeedCase for CreateSignals {
    const NAME: &'static str = "s.create_signals";
    const QUICK: bool = false;

    fn run<F: Framework>(b: &mut Bencher) -> CaseResult {
        // Allocated once: the iterations only push handles into it.
        let mut sources: Vec<F::Signal> = Vec::with_capacity(COUNT);
        b.iter(|| {
            F::build(|| {
                for i in 0..COUNT {
                    sources.push(F::signal(i as i64));
                }
            });
            F::cleanup();
            sources.clear();
        });
        let sum: i64 = F::build(|| {
            for i in 0..COUNT {
                sources.push(F::signal(i as i64));
            }
            sources.iter().map(F::get).sum()
        });
        let created = sources.len();
        F::cleanup();
        let checks = Checks::new();
        checks.eq("signals created", COUNT as i64, created as i64);
        checks.eq("sum of their values", SUM, sum);
        checks.result()
    }

    fn floor(b: &mut Bencher) -> CaseResult {
        // A signal without a reactive system is its value.
        let mut sources: Vec<i64> = Vec::with_capacity(COUNT);
        b.iter(|| {
            for i in 0..COUNT {
                sources.push(black_box(i as i64));
            }
            black_box(&mut sources);
            sources.clear();
        });
        sources.extend((0..COUNT).map(|i| i as i64));
        let checks = Checks::new();
        checks.eq("sum of their values", SUM, sources.iter().sum());
        checks.result()
    }
}

/// `s.create_computations`: `createComputations1to1`, 100 000 signals and
/// 100 000 computeds per iteration, each computed reading one signal, read
/// once when created. Check: the sum of the values read, every iteration.
pub struct CreateComputations;

impl SpeedCase for CreateComputations {
    const NAME: &'static str = "s.create_computations";
    const QUICK: bool = false;

    fn run<F: Framework>(b: &mut Bencher) -> CaseResult {
        // Allocated once: the iterations only push handles into them.
        let mut sources: Vec<F::Signal> = Vec::with_capacity(COUNT);
        let mut computations: Vec<F::Computed> = Vec::with_capacity(COUNT);
        let checks = Checks::new();
        b.iter(|| {
            let sum = F::build(|| {
                for i in 0..COUNT {
                    sources.push(F::signal(i as i64));
                }
                let mut sum = 0;
                for s in &sources {
                    let s = s.clone();
                    let c = F::computed(move || F::get(&s));
                    sum += F::read(&c);
                    computations.push(c);
                }
                sum
            });
            F::cleanup();
            sources.clear();
            computations.clear();
            checks.eq("sum of the computeds' values", SUM, sum);
        });
        checks.result()
    }

    fn floor(b: &mut Bencher) -> CaseResult {
        // A computation without a reactive system is its cached value.
        let mut sources: Vec<i64> = Vec::with_capacity(COUNT);
        let mut computations: Vec<i64> = Vec::with_capacity(COUNT);
        let checks = Checks::new();
        b.iter(|| {
            for i in 0..COUNT {
                sources.push(black_box(i as i64));
            }
            let mut sum = 0;
            for &s in &sources {
                computations.push(s);
                sum += s;
            }
            black_box(&mut computations);
            sources.clear();
            computations.clear();
            checks.eq("sum of the computeds' values", SUM, sum);
        });
        checks.result()
    }
}

/// `s.update_signals`: `updateComputations1to1`, one signal read by one
/// computed, 400 000 writes per iteration, the computed read after each.
/// Checks: the computed's value after each write, and one run per write.
pub struct UpdateSignals;

impl SpeedCase for UpdateSignals {
    const NAME: &'static str = "s.update_signals";
    const QUICK: bool = true;

    fn run<F: Framework>(b: &mut Bencher) -> CaseResult {
        let runs = Rc::new(Cell::new(0u64));
        let (source, computation) = F::build(|| {
            let source = F::signal(-1);
            let (s, runs) = (source.clone(), runs.clone());
            let computation = F::computed(move || {
                runs.set(runs.get() + 1);
                F::get(&s)
            });
            // S.js runs a computation when it is created.
            F::read(&computation);
            (source, computation)
        });
        let checks = Checks::new();
        b.iter(|| {
            runs.set(0);
            for i in 0..WRITES {
                F::set(&source, i);
                checks.eq_at("computed", i, i, F::read(&computation));
            }
            checks.eq("computed runs", WRITES, runs.get() as i64);
        });
        F::cleanup();
        checks.result()
    }

    fn floor(b: &mut Bencher) -> CaseResult {
        /// The signal, and the computation's cached value.
        struct G {
            source: i64,
            computation: i64,
            runs: u64,
        }
        let mut g = G {
            source: -1,
            computation: -1,
            runs: 0,
        };
        let checks = Checks::new();
        b.iter(|| {
            g.runs = 0;
            for i in 0..WRITES {
                let v = black_box(i);
                if v != g.source {
                    g.source = v;
                    g.computation = g.source;
                    g.runs += 1;
                }
                checks.eq_at("computed", i, i, g.computation);
            }
            checks.eq("computed runs", WRITES, g.runs as i64);
        });
        checks.result()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::systems::sapwood::Sapwood;

    /// Runs case `C` on Sapwood and on the floor with a tiny budget.
    fn check<C: SpeedCase>() {
        let mut b = Bencher::new(Duration::from_millis(1));
        assert_eq!(C::run::<Sapwood>(&mut b), Ok(()), "{} on sapwood", C::NAME);
        let mut b = Bencher::new(Duration::from_millis(1));
        assert_eq!(C::floor(&mut b), Ok(()), "{} floor", C::NAME);
    }

    #[test]
    fn create_signals() {
        check::<CreateSignals>();
    }
    #[test]
    fn create_computations() {
        check::<CreateComputations>();
    }
    #[test]
    fn update_signals() {
        check::<UpdateSignals>();
    }
}

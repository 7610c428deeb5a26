//! The mol case of js-reactivity-benchmark (`src/benches/molBench.ts`, after
//! $mol_wire's benchmark).
//!
//! Signals `A`, `B`; computeds
//! `C = A%2 + B%2`,
//! `D = [0..5].map(i => { x: i + A%2 - B%2 })` (a fresh array each run),
//! `E = hard(C + A + D[0].x)`,
//! `F = hard(D[2].x || B)`,
//! `G = C + (C || E%2) + D[4].x + F`;
//! effects `H` (pushes `hard(G)`), `I` (pushes `G`), `J` (pushes `hard(F)`),
//! where `hard(n) = n + fib(16)`. One [`Bencher::iter`] call is one call of the
//! original's `iter(i)` (it times 10 000 per sample, `i = 0..10 000`, and so
//! does the index here, cycling): clear `res`, batch `B = 1, A = 1 + 2i`,
//! batch `A = 2 + 2i, B = 2`.
//!
//! Addition: the original checks nothing. Here `res` is checked after each
//! call: each batch changes `G` (8 + F, then 5 + F) and leaves `F` unchanged,
//! so each batch must push `hard(G)` and `G` exactly once each (in either
//! order: the order of sibling effects is the system's choice); `J` may push
//! `hard(F)` at most once per batch (see [`check_res`]).
//!
//! Deviation: `D` returns an `i64`, so it returns its run number (new on
//! every run, like the original's fresh array) and leaves the `x` values in a
//! buffer its readers read after tracking `D`. `E`, `F`, `G` thus re-run on
//! every change of `D` exactly as in the original, without the allocation.

use std::cell::{Cell, RefCell};
use std::hint::black_box;
use std::rc::Rc;

use super::kairo::Checks;
use super::{Bencher, CaseResult, SpeedCase};
use crate::framework::Framework;

/// The original's `fib` (with `fib(0) = fib(1) = 1`).
fn fib(n: i64) -> i64 {
    if n < 2 {
        1
    } else {
        fib(n - 1) + fib(n - 2)
    }
}

/// The original's `hard`: the heavy user computation of this case.
/// `black_box` keeps `fib(16)` from being computed at compile time.
fn hard(n: i64) -> i64 {
    n + fib(black_box(16))
}

/// How many `i` the original's timed loop goes through.
const STEPS: i64 = 10_000;

/// What each call must push, computed once (so that checking adds no
/// `hard` to the timed work).
#[derive(Clone, Copy)]
struct Expected {
    /// `G` after each batch (pushed by `I`).
    g: [i64; 2],
    /// `hard(G)` after each batch (pushed by `H`).
    hard_g: [i64; 2],
    /// `hard(F)`, what `J` pushes if it re-runs.
    hard_f: i64,
}

impl Expected {
    /// The pushes, whatever `i`: in the first batch `C = 2` (both odd), so
    /// `G = 2 + 2 + D[4].x + F`; in the second `C = 0` and
    /// `E % 2 = (even A + odd fib(16)) % 2 = 1`, so `G = 0 + 1 + D[4].x + F`;
    /// `D[k].x = k` and `F = hard(2)` in both, so `J`'s input never changes.
    fn new() -> Self {
        let f = hard(2);
        let g = [2 + 2 + 4 + f, 1 + 4 + f];
        Expected {
            g,
            hard_g: g.map(hard),
            hard_f: hard(f),
        }
    }
}

/// Checks one call's `res`, batch by batch: `H` and `I` push `hard(G)` and
/// `G` once each, in either order (the order of sibling effects is the
/// system's choice). `J` may push `hard(F)` once per batch: `F` re-runs (`D`
/// changed) to an equal value, and a system without an equality check on
/// computeds re-runs its effect; that is extra work, not a wrong result (the
/// original checks nothing here).
fn check_res(checks: &Checks, res: &[i64], first_batch: usize, want: &Expected) {
    for (batch, pushed) in [&res[..first_batch], &res[first_batch..]]
        .into_iter()
        .enumerate()
    {
        let (mut n, mut lo, mut hi, mut j_runs) = (0, i64::MAX, i64::MIN, 0);
        for &v in pushed {
            if v == want.hard_f {
                j_runs += 1;
            } else {
                n += 1;
                lo = lo.min(v);
                hi = hi.max(v);
            }
        }
        let at = batch as i64 + 1;
        checks.eq_at("pushes of effects H and I, batch i", at, 2, n);
        checks.eq_at(
            "runs of effect J (at most one), batch i",
            at,
            j_runs.min(1),
            j_runs,
        );
        if n == 2 {
            checks.eq_at("G pushed by effect I, batch i", at, want.g[batch], lo);
            checks.eq_at(
                "hard(G) pushed by effect H, batch i",
                at,
                want.hard_g[batch],
                hi,
            );
        }
    }
}

/// `mol`: the $mol_wire graph above.
pub struct Mol;

impl SpeedCase for Mol {
    const NAME: &'static str = "mol";
    const QUICK: bool = false;

    fn run<F: Framework>(b: &mut Bencher) -> CaseResult {
        // Room for every push of a call, so pushing never allocates.
        let res = Rc::new(RefCell::new(Vec::with_capacity(16)));
        let (sig_a, sig_b) = F::build(|| {
            let a = F::signal(0);
            let b = F::signal(0);
            let (a_, b_) = (a.clone(), b.clone());
            let c = F::computed(move || F::get(&a_) % 2 + F::get(&b_) % 2);
            let xs = Rc::new(Cell::new([0i64; 5]));
            let runs = Rc::new(Cell::new(0i64));
            let d = {
                let (a, b, xs) = (a.clone(), b.clone(), xs.clone());
                F::computed(move || {
                    // The original reads A and B once per element.
                    xs.set(std::array::from_fn(|i| {
                        i as i64 + F::get(&a) % 2 - F::get(&b) % 2
                    }));
                    runs.set(runs.get() + 1);
                    runs.get()
                })
            };
            let e = {
                let (a, c, d, xs) = (a.clone(), c.clone(), d.clone(), xs.clone());
                F::computed(move || {
                    hard(
                        F::read(&c) + F::get(&a) + {
                            F::read(&d);
                            xs.get()[0]
                        },
                    )
                })
            };
            let f = {
                let (b, d, xs) = (b.clone(), d.clone(), xs.clone());
                F::computed(move || {
                    F::read(&d);
                    let x = xs.get()[2];
                    hard(if x != 0 { x } else { F::get(&b) })
                })
            };
            let g = {
                let f = f.clone();
                F::computed(move || {
                    let c1 = F::read(&c);
                    let c2 = F::read(&c);
                    let or = if c2 != 0 { c2 } else { F::read(&e) % 2 };
                    F::read(&d);
                    c1 + or + xs.get()[4] + F::read(&f)
                })
            };
            let (g_, res_) = (g.clone(), res.clone());
            F::effect(move || {
                let v = hard(F::read(&g_));
                res_.borrow_mut().push(v);
            });
            let res_ = res.clone();
            F::effect(move || {
                let v = F::read(&g);
                res_.borrow_mut().push(v);
            });
            let res_ = res.clone();
            F::effect(move || {
                let v = hard(F::read(&f));
                res_.borrow_mut().push(v);
            });
            (a, b)
        });
        let want = Expected::new();
        let checks = Checks::new();
        let mut i = 0;
        b.iter(|| {
            res.borrow_mut().clear();
            F::batch(|| {
                F::set(&sig_b, 1);
                F::set(&sig_a, 1 + i * 2);
            });
            let first_batch = res.borrow().len();
            F::batch(|| {
                F::set(&sig_a, 2 + i * 2);
                F::set(&sig_b, 2);
            });
            check_res(&checks, &res.borrow(), first_batch, &want);
            i = (i + 1) % STEPS;
        });
        F::cleanup();
        // Name what was pushed (by the last call) next to the first mismatch.
        checks.result().map_err(|e| {
            let expected = [want.hard_g[0], want.g[0], want.hard_g[1], want.g[1]];
            format!(
                "{e}; the last call pushed {:?}, expected {expected:?} (any order within a batch)",
                res.borrow()
            )
        })
    }

    fn floor(b: &mut Bencher) -> CaseResult {
        let mut g = Floor::new();
        let want = Expected::new();
        let checks = Checks::new();
        let mut res = Vec::with_capacity(16);
        let mut i = 0;
        b.iter(|| {
            res.clear();
            g.write(black_box(1 + i * 2), black_box(1), &mut res);
            let first_batch = res.len();
            g.write(black_box(2 + i * 2), black_box(2), &mut res);
            check_res(&checks, &res, first_batch, &want);
            i = (i + 1) % STEPS;
        });
        checks.result()
    }
}

/// The mol graph without a reactive system: cached values, and the one
/// piece of state laziness needs (whether `E` is stale: only `G` reads it,
/// and only while `C` is 0).
struct Floor {
    a: i64,
    b: i64,
    c: i64,
    d: [i64; 5],
    e: i64,
    /// One of `E`'s inputs changed since it last ran.
    e_stale: bool,
    f: i64,
    g: i64,
}

impl Floor {
    /// The graph after creation (the effects pulled everything, `E`
    /// included since `C` is 0).
    fn new() -> Self {
        let d = [0, 1, 2, 3, 4];
        let e = hard(0);
        let f = hard(d[2]);
        // C is 0: G = C + E % 2 + D[4].x + F.
        let g = (e % 2) + d[4] + f;
        Floor {
            a: 0,
            b: 0,
            c: 0,
            d,
            e,
            e_stale: false,
            f,
            g,
        }
    }

    /// One batch writing `A` and `B`: each value re-runs when an input it
    /// read changed (`D` is a new array on each run, so it always counts as
    /// changed); `E` only when `G` reads it; then the effects of what changed,
    /// in creation order.
    fn write(&mut self, a: i64, b: i64, res: &mut Vec<i64>) {
        if a == self.a && b == self.b {
            return;
        }
        self.a = a;
        self.b = b;
        let c = a % 2 + b % 2;
        self.c = c;
        self.d = std::array::from_fn(|i| i as i64 + a % 2 - b % 2);
        // E read C, A and D: A or B changed, so D re-ran.
        self.e_stale = true;
        let x = self.d[2];
        let f = hard(if x != 0 { x } else { b });
        let f_changed = f != self.f;
        self.f = f;
        let or = if c != 0 {
            c
        } else {
            if self.e_stale {
                self.e = hard(c + a + self.d[0]);
                self.e_stale = false;
            }
            self.e % 2
        };
        let g = c + or + self.d[4] + f;
        let g_changed = g != self.g;
        self.g = g;
        if g_changed {
            res.push(hard(g)); // H
            res.push(g); // I
        }
        if f_changed {
            res.push(hard(f)); // J
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::systems::sapwood::Sapwood;

    #[test]
    fn mol() {
        let mut b = Bencher::new(Duration::from_millis(1));
        assert_eq!(Mol::run::<Sapwood>(&mut b), Ok(()));
        let mut b = Bencher::new(Duration::from_millis(1));
        assert_eq!(Mol::floor(&mut b), Ok(()));
    }

    /// The expected pushes hold for every `i` of the original's loop, not just
    /// the ones a short run reaches.
    #[test]
    fn expected_pushes_do_not_depend_on_i() {
        let mut g = Floor::new();
        let checks = Checks::new();
        let mut res = Vec::new();
        for i in (0..STEPS).step_by(97) {
            res.clear();
            g.write(1 + i * 2, 1, &mut res);
            let first = res.len();
            g.write(2 + i * 2, 2, &mut res);
            check_res(&checks, &res, first, &Expected::new());
        }
        assert_eq!(checks.result(), Ok(()));
    }
}

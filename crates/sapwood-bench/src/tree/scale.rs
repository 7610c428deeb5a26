//! Cost per model as a tree grows: LargeRoot's contents repeated `k` times
//! (identifiers renamed per copy), instantiated from text by Sapwood and by
//! `serde_plain`: time (dropping not included) and bytes per model at 1x and
//! at 100x.

use std::hint::black_box;
use std::time::{Duration, Instant};

use sapwood::tree::Model;
use sapwood_fixtures::large_root::LargeRoot;
use sapwood_fixtures::{plain, scale};
use sapwood_meter::measure;

use crate::speed::median;
use crate::systems::System;

/// One measured scale.
#[derive(Debug, Clone)]
pub struct ScaleFigure {
    /// Sapwood or `serde_plain`.
    pub system: System,
    /// Copies of LargeRoot's contents.
    pub copies: usize,
    /// Models in the tree (root included).
    pub models: usize,
    /// Median instantiation time per model.
    pub ns_per_model: f64,
    /// Bytes retained per model.
    pub bytes_per_model: f64,
}

/// Each system's share of the time, in report budgets (`budget` each), per
/// tree size.
const PAIRED_BUDGETS: u32 = 30;

/// A sample lasts at least this long (several builds of a small tree).
const SAMPLE: Duration = Duration::from_millis(5);

/// Nanoseconds per build of each of two builders, timed in pairs of
/// samples, one of each, for about `total` each (at least 5 pairs): the two
/// take turns sample by sample (which goes first alternates), so that the
/// machine's slow phases, which last seconds here, land on both alike. (With
/// a block of samples per system in turn, one such phase once put Sapwood's
/// 100x tree at 1.45x its 1x time per model, against 0.89x for plain serde's
/// in the same rounds.) A sample keeps what it built until its clock stops.
fn paired_samples<A, B>(
    total: Duration,
    mut a: impl FnMut() -> A,
    mut b: impl FnMut() -> B,
) -> (Vec<f64>, Vec<f64>) {
    // Warm-up, and one timed build each to size the samples.
    drop((a(), b()));
    let per = |once: Duration| (SAMPLE.as_nanos() / once.as_nanos().max(1)).max(1) as usize;
    let t = Instant::now();
    drop(a());
    let per_a = per(t.elapsed());
    let t = Instant::now();
    drop(b());
    let per_b = per(t.elapsed());
    let (mut kept_a, mut kept_b) = (Vec::with_capacity(per_a), Vec::with_capacity(per_b));
    let (mut out_a, mut out_b) = (Vec::new(), Vec::new());
    let (mut spent_a, mut spent_b) = (Duration::ZERO, Duration::ZERO);
    let mut pair = 0;
    while pair < 5 || spent_a.min(spent_b) < total {
        for a_now in [pair % 2 == 0, pair % 2 != 0] {
            if a_now {
                spent_a += sample(&mut a, per_a, &mut kept_a, &mut out_a);
            } else {
                spent_b += sample(&mut b, per_b, &mut kept_b, &mut out_b);
            }
        }
        pair += 1;
    }
    (out_a, out_b)
}

/// One sample of [`paired_samples`]: `per` builds kept in `kept` until the
/// clock stops, their time per build pushed onto `out`. Returns the time.
fn sample<T>(
    build: &mut impl FnMut() -> T,
    per: usize,
    kept: &mut Vec<T>,
    out: &mut Vec<f64>,
) -> Duration {
    let t = Instant::now();
    for _ in 0..per {
        kept.push(build());
    }
    let took = t.elapsed();
    out.push(took.as_nanos() as f64 / per as f64);
    kept.clear();
    took
}

/// Measures both systems at each of `copies`, interleaved; `Err` if a tree
/// does not hold what it should.
pub fn measure_scales(copies: &[usize], budget: Duration) -> Result<Vec<ScaleFigure>, String> {
    let mut out = Vec::new();
    for &k in copies {
        let text = scale::large_root_times(k);
        let models = 1 + k * scale::MODELS_PER_COPY;
        // A first build sizes this thread's scratch table (kept for later
        // builds, not part of any tree).
        drop(LargeRoot::from_json_str(&text));
        let (tree, m) = measure(|| LargeRoot::from_json_str(&text));
        let tree = tree.map_err(|e| format!("{k}x: {e}"))?;
        if tree.cars.len() != 30 * k || tree.navigator().len() != models {
            return Err(format!("{k}x: the tree does not hold {models} models"));
        }
        let sapwood_bytes = m.bytes_retained as f64 + std::mem::size_of_val(&tree) as f64;
        drop(tree);
        let (p, m) = measure(|| serde_json::from_str::<plain::LargeRoot>(&text));
        let p = p.map_err(|e| format!("{k}x: {e}"))?;
        let plain_bytes = m.bytes_retained as f64 + std::mem::size_of_val(&p) as f64;
        drop(p);
        let (mut ours, mut theirs) = paired_samples(
            budget * PAIRED_BUDGETS,
            || LargeRoot::from_json_str(black_box(&text)).expect("valid"),
            || serde_json::from_str::<plain::LargeRoot>(black_box(&text)).expect("valid"),
        );
        out.push(ScaleFigure {
            system: System::Sapwood,
            copies: k,
            models,
            ns_per_model: median(&mut ours) / models as f64,
            bytes_per_model: sapwood_bytes / models as f64,
        });
        out.push(ScaleFigure {
            system: System::SerdePlain,
            copies: k,
            models,
            ns_per_model: median(&mut theirs) / models as f64,
            bytes_per_model: plain_bytes / models as f64,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;

    /// Both builders get the same number of samples, taken in turns whose
    /// first alternates, and each sample's builds are kept until it ends.
    #[test]
    fn paired_samples_alternate_and_match_in_number() {
        let log = RefCell::new(Vec::new());
        let slow = Duration::from_millis(6); // over `SAMPLE`: one build a sample
        let (a, b) = paired_samples(
            Duration::ZERO,
            || {
                std::thread::sleep(slow);
                log.borrow_mut().push('a');
            },
            || {
                std::thread::sleep(slow);
                log.borrow_mut().push('b');
            },
        );
        assert_eq!((a.len(), b.len()), (5, 5));
        assert!(a.iter().chain(&b).all(|ns| *ns >= slow.as_nanos() as f64));
        // Warm-up (a, b), sizing (a, b), then five pairs: ab, ba, ab, ba, ab.
        let got: String = log.borrow().iter().collect();
        assert_eq!(got, "abababbaabbaab");
    }
}

//! Cost per model as a tree grows: LargeRoot's contents repeated `k` times
//! (identifiers renamed per copy), instantiated from text by Sapwood and by
//! `serde_plain`: time (dropping not included) and bytes per model at 1x and
//! at 100x.

use std::hint::black_box;
use std::time::Duration;

use sapwood::tree::Model;
use sapwood_fixtures::large_root::LargeRoot;
use sapwood_fixtures::{plain, scale};
use sapwood_meter::measure;

use crate::speed::{median, Bencher};
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
        let (mut ours, mut theirs) = (Vec::new(), Vec::new());
        for round in 0..5 {
            let run = |sys: System| {
                let mut b = Bencher::new(budget);
                match sys {
                    System::Sapwood => {
                        b.iter_build(|| LargeRoot::from_json_str(black_box(&text)).expect("valid"))
                    }
                    _ => b.iter_build(|| {
                        serde_json::from_str::<plain::LargeRoot>(black_box(&text)).expect("valid")
                    }),
                }
                b.samples
            };
            if round % 2 == 0 {
                ours.extend(run(System::Sapwood));
                theirs.extend(run(System::SerdePlain));
            } else {
                theirs.extend(run(System::SerdePlain));
                ours.extend(run(System::Sapwood));
            }
        }
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

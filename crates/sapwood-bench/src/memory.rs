//! Memory per object: exact bytes and allocations from the counting allocator.
//!
//! Every row runs on a fresh thread (a fresh runtime for every system), so that
//! one row's leftovers cannot flatter or burden the next, and measures
//! `n` objects kept alive: requested bytes retained and allocations, divided
//! by `n`. Arena growth is included in the per-object figure; the cost of the
//! very first object on a fresh thread (runtime start-up, first chunk, first
//! use of a type) is reported apart as the one-time cost.

use std::rc::Rc;

use sapwood_meter::{measure, Measurement};

use crate::framework::Framework;

/// A memory row: the `object` name in the JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    /// A signal holding an `i64`.
    Signal,
    /// A computed reading one signal, after one read (one edge).
    Computed,
    /// An effect reading one signal.
    Effect,
    /// Each further dependency edge.
    Edge,
    /// Source, left, right, bottom, read once.
    Diamond,
    /// The cellx graph of 1000 layers (4 computeds a layer), per graph.
    Cellx1000,
    /// Allocations per propagating write through a diamond and its effect.
    WriteAllocs,
}

impl Row {
    /// All rows, in report order.
    pub const ALL: [Row; 7] = [
        Row::Signal,
        Row::Computed,
        Row::Effect,
        Row::Edge,
        Row::Diamond,
        Row::Cellx1000,
        Row::WriteAllocs,
    ];

    /// The `object` name in the JSON.
    pub fn name(self) -> &'static str {
        match self {
            Row::Signal => "signal",
            Row::Computed => "computed",
            Row::Effect => "effect",
            Row::Edge => "edge",
            Row::Diamond => "diamond",
            Row::Cellx1000 => "cellx1000",
            Row::WriteAllocs => "write_allocs",
        }
    }

    /// What the row measures, for the table.
    pub fn label(self) -> &'static str {
        match self {
            Row::Signal => "signal (i64)",
            Row::Computed => "computed, read once (1 edge)",
            Row::Effect => "effect (1 dependency)",
            Row::Edge => "each further edge",
            Row::Diamond => "diamond (4 nodes, 4 edges)",
            Row::Cellx1000 => "cellx graph, 1000 layers (whole graph)",
            Row::WriteAllocs => "steady-state write through diamond + effect",
        }
    }

    /// Unit of the row's figures.
    pub fn unit(self) -> &'static str {
        match self {
            Row::Cellx1000 => "per graph",
            Row::WriteAllocs => "per write",
            Row::Edge => "per edge",
            _ => "per object",
        }
    }
}

/// One measured cell of the memory table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Figure {
    /// Bytes per object (per write for `write_allocs`, per graph for `cellx1000`).
    pub bytes: f64,
    /// Allocations per object.
    pub allocs: f64,
    /// Bytes retained by the first object on a fresh thread (one-time costs
    /// included); `None` where a first object means nothing (edges, writes).
    pub first_bytes: Option<f64>,
}

fn per(m: &Measurement, n: usize) -> (f64, f64) {
    (
        m.bytes_retained as f64 / n as f64,
        m.allocations as f64 / n as f64,
    )
}

/// Measures `row` for system `F` with `n` objects (on the calling thread: call
/// it on a fresh one).
pub fn measure_row<F: Framework>(row: Row, n: usize) -> Figure {
    match row {
        Row::Signal => per_object(n, |_| make_signal::<F>()),
        Row::Computed => {
            let sigs: Vec<F::Signal> = (0..n + 1).map(|i| F::signal(i as i64)).collect();
            per_object(n, move |i| {
                let s = sigs[i].clone();
                let c = F::computed(move || F::get(&s) + 1);
                std::hint::black_box(F::read(&c));
                c
            })
        }
        Row::Effect => {
            let sigs: Vec<F::Signal> = (0..n + 1).map(|i| F::signal(i as i64)).collect();
            per_object(n, move |i| {
                let s = sigs[i].clone();
                F::effect(move || {
                    std::hint::black_box(F::get(&s));
                });
            })
        }
        Row::Edge => {
            let one = computeds_reading::<F>(1, n);
            let five = computeds_reading::<F>(5, n);
            let edges = (4 * n) as f64;
            Figure {
                bytes: (five.bytes_retained - one.bytes_retained) as f64 / edges,
                allocs: (five.allocations as f64 - one.allocations as f64) / edges,
                first_bytes: None,
            }
        }
        Row::Diamond => per_object(n, |i| {
            let source = F::signal(i as i64);
            let (s1, s2) = (source.clone(), source.clone());
            let left = F::computed(move || F::get(&s1) + 1);
            let right = F::computed(move || F::get(&s2) * 2);
            let bottom = F::computed(move || F::read(&left) + F::read(&right));
            std::hint::black_box(F::read(&bottom));
            (source, bottom)
        }),
        Row::Cellx1000 => {
            let (graph, m) = measure(|| F::build(|| cellx_graph::<F>(1000)));
            std::hint::black_box(&graph);
            let (bytes, allocs) = per(&m, 1);
            Figure {
                bytes,
                allocs,
                first_bytes: None,
            }
        }
        Row::WriteAllocs => {
            let source = F::signal(0);
            let (s1, s2) = (source.clone(), source.clone());
            let left = F::computed(move || F::get(&s1) + 1);
            let right = F::computed(move || F::get(&s2) * 2);
            let bottom = F::computed(move || F::read(&left) + F::read(&right));
            F::effect(move || {
                std::hint::black_box(F::read(&bottom));
            });
            for i in 1..=10 {
                F::set(&source, i);
            }
            let writes = 1000;
            let (_, m) = measure(|| {
                for i in 11..11 + writes {
                    F::set(&source, i);
                }
            });
            Figure {
                bytes: m.bytes_allocated as f64 / writes as f64,
                allocs: m.allocations as f64 / writes as f64,
                first_bytes: None,
            }
        }
    }
}

fn make_signal<F: Framework>() -> F::Signal {
    F::signal(7)
}

/// `n` objects made by `make`, kept alive; plus the first object's cost. The
/// first object is made before the `n` measured ones, on this (fresh) thread.
fn per_object<T>(n: usize, mut make: impl FnMut(usize) -> T) -> Figure {
    let mut keep: Vec<T> = Vec::with_capacity(n + 1);
    let (first, m1) = measure(|| make(n));
    keep.push(first);
    let (_, m) = measure(|| {
        for i in 0..n {
            keep.push(make(i));
        }
    });
    std::hint::black_box(&keep);
    let (bytes, allocs) = per(&m, n);
    // Keep everything alive until after the measurement; release with the thread.
    std::mem::forget(keep);
    Figure {
        bytes,
        allocs,
        first_bytes: Some(m1.bytes_retained as f64),
    }
}

/// `n` computeds each reading the first `k` of 8 shared signals. The closure
/// captures the same things whatever `k`, so two `k` differ by edges only.
fn computeds_reading<F: Framework>(k: usize, n: usize) -> Measurement {
    std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(move || {
            let sigs: Rc<[F::Signal]> = (0..8).map(F::signal).collect();
            let mut keep = Vec::with_capacity(n);
            let (_, m) = measure(|| {
                for _ in 0..n {
                    let sigs = sigs.clone();
                    let c = F::computed(move || sigs[..k].iter().map(F::get).sum());
                    std::hint::black_box(F::read(&c));
                    keep.push(c);
                }
            });
            std::mem::forget(keep);
            m
        })
        .expect("spawn")
        .join()
        .unwrap_or_else(|p| std::panic::resume_unwind(p))
}

/// A cell of the cellx graph: a starting signal or a computed of a layer.
enum Cell<F: Framework> {
    Source(F::Signal),
    Derived(F::Computed),
}

impl<F: Framework> Clone for Cell<F> {
    fn clone(&self) -> Self {
        match self {
            Cell::Source(s) => Cell::Source(s.clone()),
            Cell::Derived(c) => Cell::Derived(c.clone()),
        }
    }
}

impl<F: Framework> Cell<F> {
    fn read(&self) -> i64 {
        match self {
            Cell::Source(s) => F::get(s),
            Cell::Derived(c) => F::read(c),
        }
    }
}

/// The cellx graph of js-reactivity-benchmark: four starting signals, then
/// `layers` layers of four computeds over the previous layer
/// (`p1 = m2, p2 = m1 - m3, p3 = m2 + m4, p4 = m3`), an effect on every
/// computed, every computed read once. Returns what must be kept alive.
pub fn cellx_graph<F: Framework>(layers: usize) -> Vec<F::Computed> {
    let mut layer: [Cell<F>; 4] = [1, 2, 3, 4].map(|v| Cell::Source(F::signal(v)));
    let mut keep = Vec::with_capacity(4 * layers);
    for _ in 0..layers {
        let [m1, m2, m3, m4] = layer;
        let next = [
            F::computed({
                let m2 = m2.clone();
                move || m2.read()
            }),
            F::computed({
                let m3 = m3.clone();
                move || m1.read() - m3.read()
            }),
            F::computed(move || m2.read() + m4.read()),
            F::computed(move || m3.read()),
        ];
        for c in &next {
            let c2 = c.clone();
            F::effect(move || {
                std::hint::black_box(F::read(&c2));
            });
        }
        for c in &next {
            std::hint::black_box(F::read(c));
        }
        keep.extend(next.iter().cloned());
        layer = next.map(Cell::Derived);
    }
    keep
}

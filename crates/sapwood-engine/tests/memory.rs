//! Memory budgets, exact, with the counting allocator (issue 2's table).
//!
//! Each figure is measured on a fresh thread (a fresh runtime), over N = 100,000
//! objects kept alive, as bytes requested from the allocator, arena growth and
//! one-time costs included. The vector that holds the handles is allocated
//! before measuring, so it is not counted.
//!
//! Print the figures with:
//! `cargo test --release -p sapwood-engine --test memory -- --nocapture`

use sapwood_engine::{batch, stats, Computed, Effect, Scope, Signal};
use sapwood_meter::{measure, CountingAlloc, Measurement};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

const N: usize = 100_000;
/// Arena chunks for N records: the only allocations nodes and edges make.
const CHUNKS: u64 = N.div_ceil(1024) as u64;
/// Chunks of the payload slab (`cells.rs`) for N blocks of 16 bytes: a
/// computed's or an effect's cell comes from there, not from an allocation
/// of its own.
const CELL_CHUNKS: u64 = (N * 16).div_ceil(4096) as u64;
/// Allowance for the arena's chunk table growing (a `Vec` of chunk pointers,
/// doubling) and the runtime's one-time registries.
const TABLE_ALLOCS: u64 = 16;
/// Allowance for merging an arena's chunks into one block while it grows
/// (one allocation each time; see the engine's `arena.rs`): the block is
/// merged when the chunks added since reach a quarter of it, so growing to
/// N records merges about log(N / 1024) / log(1.25) ≈ 21 times per arena.
const MERGES: u64 = 2 * 24;

fn on_fresh_thread<R: Send + 'static>(f: impl FnOnce() -> R + Send + 'static) -> R {
    std::thread::spawn(f)
        .join()
        .expect("measurement thread panicked")
}

fn report(what: &str, m: &Measurement, objects: usize) {
    println!(
        "{what:<44} {:>8.2} B/object {:>8.4} allocations/object (retained {} B, {} allocations)",
        m.retained_per(objects),
        m.allocations_per(objects),
        m.bytes_retained,
        m.allocations
    );
}

#[test]
fn signal_i64_is_at_most_32_bytes_with_no_allocation_of_its_own() {
    let m = on_fresh_thread(|| {
        let mut keep = Vec::with_capacity(N);
        let (_, m) = measure(|| {
            for i in 0..N {
                keep.push(Signal::new(i as i64));
            }
        });
        assert_eq!(keep[N - 1].get(), (N - 1) as i64);
        m
    });
    report("Signal<i64>", &m, N);
    assert!(m.retained_per(N) <= 32.0, "{m:?}");
    // Exactly the node record plus partly used arena chunks.
    assert!(m.retained_per(N) <= 24.0 * 1.011 + 0.01, "{m:?}");
    // No allocation per signal: only arena chunks and the chunk table.
    assert!(m.allocations <= CHUNKS + TABLE_ALLOCS + MERGES, "{m:?}");
    // Merging frees what it copies: the chunks are given back.
    assert!(m.deallocations <= CHUNKS + TABLE_ALLOCS + MERGES, "{m:?}");
}

#[test]
fn computed_reading_one_signal_is_at_most_64_bytes_with_no_allocation_of_its_own() {
    let m = on_fresh_thread(|| {
        let signals: Vec<Signal<i64>> = (0..N as i64).map(Signal::new).collect();
        let mut keep = Vec::with_capacity(N);
        let (_, m) = measure(|| {
            for s in &signals {
                let s = *s;
                let c = Computed::new(move || s.get() + 1);
                assert_eq!(c.get(), s.get() + 1);
                keep.push(c);
            }
        });
        assert_eq!(stats().edges as usize, N);
        m
    });
    report("Computed<i64> reading 1 signal, read once", &m, N);
    assert!(m.retained_per(N) <= 64.0, "{m:?}");
    // Node 24 + edge 16 + one block of 16 (value 8, captured handle 8).
    assert!(m.retained_per(N) <= 56.0 * 1.011 + 0.01, "{m:?}");
    // Arena chunks and slab chunks only: no allocation per computed.
    assert!(
        m.allocations <= 2 * CHUNKS + CELL_CHUNKS + TABLE_ALLOCS + MERGES,
        "{m:?}"
    );
}

#[test]
fn effect_reading_one_signal_is_at_most_64_bytes_with_no_allocation_of_its_own() {
    let m = on_fresh_thread(|| {
        let signals: Vec<Signal<i64>> = (0..N as i64).map(Signal::new).collect();
        let mut keep = Vec::with_capacity(N);
        let (_, m) = measure(|| {
            for s in &signals {
                let s = *s;
                keep.push(Effect::new(move || {
                    std::hint::black_box(s.get());
                }));
            }
        });
        assert_eq!(stats().edges as usize, N);
        m
    });
    report("Effect reading 1 signal", &m, N);
    assert!(m.retained_per(N) <= 64.0, "{m:?}");
    // Node 24 + edge 16 + one block of 16 (sequence number 8, captured handle 8).
    assert!(m.retained_per(N) <= 56.0 * 1.011 + 0.01, "{m:?}");
    // Arena chunks and slab chunks only: no allocation per effect.
    assert!(
        m.allocations <= 2 * CHUNKS + CELL_CHUNKS + TABLE_ALLOCS + MERGES,
        "{m:?}"
    );
}

/// Computeds reading `k` of a shared set of signals; the closure captures the
/// same things whatever `k` is, so the difference between two `k` is edges only.
fn computeds_reading(k: usize) -> Measurement {
    on_fresh_thread(move || {
        let signals: &'static [Signal<i64>] = Vec::leak((0..8).map(Signal::new).collect());
        let mut keep = Vec::with_capacity(N);
        let (_, m) = measure(|| {
            for _ in 0..N {
                let c = Computed::new(move || signals[..k].iter().map(|s| s.get()).sum::<i64>());
                c.get();
                keep.push(c);
            }
        });
        assert_eq!(stats().edges as usize, N * k);
        m
    })
}

#[test]
fn each_further_edge_is_at_most_20_bytes() {
    let one = computeds_reading(1);
    let five = computeds_reading(5);
    let edges = 4 * N;
    let per_edge = (five.bytes_retained - one.bytes_retained) as f64 / edges as f64;
    println!("{:<44} {per_edge:>8.2} B/edge", "each further edge");
    assert!(per_edge <= 20.0, "{per_edge} B per edge");
    assert!(per_edge <= 16.0 * 1.011 + 0.01, "{per_edge} B per edge");
    // Edges are arena records: no allocation of their own.
    assert!(five.allocations - one.allocations <= 4 * CHUNKS + TABLE_ALLOCS + MERGES);
}

#[test]
fn a_whole_diamond_is_at_most_256_bytes() {
    let m = on_fresh_thread(|| {
        let mut keep = Vec::with_capacity(N);
        let (_, m) = measure(|| {
            for i in 0..N {
                let source = Signal::new(i as i64);
                let left = Computed::new(move || source.get() + 1);
                let right = Computed::new(move || source.get() * 2);
                let bottom = Computed::new(move || left.get() + right.get());
                assert_eq!(bottom.get(), 3 * i as i64 + 1);
                keep.push(bottom);
            }
        });
        m
    });
    report("diamond (source, left, right, bottom)", &m, N);
    assert!(m.retained_per(N) <= 256.0, "{m:?}");
    // 4 nodes (96) + 4 edges (64) + blocks 16 + 16 + 24.
    assert!(m.retained_per(N) <= 216.0 * 1.011 + 0.01, "{m:?}");
    // Chunks only: 4N nodes and 4N edges in the arenas, and in the slab 2N
    // blocks of 16 bytes and N of 24 (170 to a chunk); four times the records
    // of the other rows, so twice their allowance for merges and tables.
    let chunks_of_24 = N.div_ceil(4096 / 24) as u64;
    assert!(
        m.allocations <= 8 * CHUNKS + 2 * CELL_CHUNKS + chunks_of_24 + 2 * (TABLE_ALLOCS + MERGES),
        "{m:?}"
    );
}

#[test]
fn a_write_through_a_diamond_and_its_effect_allocates_nothing() {
    let (m, runs) = on_fresh_thread(|| {
        let source = Signal::new(0i64);
        let left = Computed::new(move || source.get() + 1);
        let right = Computed::new(move || source.get() * 2);
        let bottom = Computed::new(move || left.get() + right.get());
        let seen = std::rc::Rc::new(std::cell::Cell::new(0));
        let s = seen.clone();
        Effect::new(move || s.set(bottom.get()));
        // Warm up: the runtime's queues and stacks reach their working size.
        for i in 1..=10 {
            source.set(i);
        }
        let (_, m) = measure(|| {
            for i in 11..=1010 {
                source.set(i);
                assert_eq!(seen.get(), 3 * i + 1);
            }
            batch(|| {
                source.set(0);
                source.set(1010);
            });
        });
        (m, seen.get())
    });
    println!(
        "{:<44} {:>8} allocations in 1,001 writes",
        "steady-state write through diamond + effect", m.allocations
    );
    assert_eq!(runs, 3 * 1010 + 1);
    assert_eq!(m.allocations, 0, "{m:?}");
    assert_eq!(m.bytes_allocated, 0, "{m:?}");
}

fn build_mixed(n: usize) {
    for i in 0..n {
        let s = Signal::new(i as i64);
        let c = Computed::new(move || s.get() * 2);
        Effect::new(move || {
            std::hint::black_box(c.get());
        });
    }
}

#[test]
fn disposing_everything_and_building_it_again_does_not_grow() {
    let (first, second, slots) = on_fresh_thread(|| {
        let (_, first) = measure(|| Scope::new(|| build_mixed(10_000)).dispose());
        let after_first = stats();
        assert_eq!((after_first.nodes, after_first.edges), (0, 0));
        let (_, second) = measure(|| Scope::new(|| build_mixed(10_000)).dispose());
        let after_second = stats();
        assert_eq!((after_second.nodes, after_second.edges), (0, 0));
        assert_eq!(after_first.node_slots, after_second.node_slots);
        assert_eq!(after_first.edge_slots, after_second.edge_slots);
        // The second round's closures reuse the first round's cell blocks.
        assert!(after_first.cell_bytes >= 2 * 10_000 * 16);
        assert_eq!(after_first.cell_bytes, after_second.cell_bytes);
        (first, second, after_second.node_slots)
    });
    println!(
        "build + dispose 10,000 x (signal, computed, effect): first {first:?}, second {second:?}"
    );
    // The second round reuses every slot and every cell block: it keeps
    // nothing, and allocates only the scope's list of children.
    assert_eq!(second.bytes_retained, 0, "{second:?}");
    assert!(first.bytes_retained > 0);
    assert!(second.bytes_allocated < first.bytes_allocated);
    assert!(slots <= 30 * 1024 + 1024);
}

#[test]
fn a_scope_whose_children_come_and_go_keeps_a_short_list() {
    // A long-lived scope: 100,000 signals made in it and disposed one by one
    // through their handles, 8 alive at any time. Its list of children drops
    // the disposed ones before it grows, so it stays a few dozen keys long.
    let (m, live) = on_fresh_thread(|| {
        let scope = Scope::new(|| {});
        let mut alive: std::collections::VecDeque<Signal<i64>> =
            std::collections::VecDeque::with_capacity(16);
        let (_, m) = measure(|| {
            for i in 0..N {
                alive.push_back(scope.run(|| Signal::new(i as i64)));
                if alive.len() > 8 {
                    alive.pop_front().unwrap().dispose();
                }
            }
        });
        let live = alive.iter().filter(|s| !s.is_disposed()).count();
        scope.dispose();
        assert!(
            alive.iter().all(|s| s.is_disposed()),
            "the scope disposed the rest"
        );
        (m, live)
    });
    report("scope with 8 of 100,000 children alive", &m, N);
    assert_eq!(live, 8);
    // The slots are reused (the arena's first chunk was made with the scope):
    // what is kept is the list of children, at most 32 keys of 8 B. Without
    // the compaction it would hold all 100,000 (800 KB).
    assert!(m.bytes_retained <= 32 * 8, "{m:?}");
    assert!(m.peak <= 2 * 32 * 8, "{m:?}");
}

#[test]
fn unobserved_computeds_free_their_edges() {
    on_fresh_thread(|| {
        let base = stats().edges;
        let a = Signal::new(1);
        let chain: Vec<Computed<i64>> = {
            let mut v = vec![Computed::new(move || a.get())];
            for _ in 0..99 {
                let p = *v.last().unwrap();
                v.push(Computed::new(move || p.get() + 1));
            }
            v
        };
        let last = *chain.last().unwrap();
        let effect = Effect::new(move || {
            std::hint::black_box(last.get());
        });
        assert_eq!(stats().edges - base, 101);
        effect.dispose();
        // The observer's edge is gone; the chain, up to date, keeps its cache.
        assert_eq!(stats().edges - base, 100);
        assert_eq!(last.get(), 100);
        // The next write that reaches the unobserved chain releases every edge
        // instead of marking it.
        a.set(5);
        assert_eq!(stats().edges - base, 0);
        // Read again, it re-links and gives the right value.
        assert_eq!(last.get(), 104);
        assert_eq!(stats().edges - base, 100);
    });
}

#[test]
fn a_dependency_no_longer_read_frees_its_edge() {
    on_fresh_thread(|| {
        let flag = Signal::new(true);
        let a = Signal::new(1);
        let b = Signal::new(2);
        let c = Computed::new(move || if flag.get() { a.get() } else { b.get() });
        assert_eq!(c.get(), 1);
        let base = stats().edges;
        flag.set(false);
        assert_eq!(c.get(), 2);
        assert_eq!(stats().edges, base, "edge to `a` replaced by edge to `b`");
        let before = stats().edge_slots;
        for i in 0..10_000 {
            flag.set(i % 2 == 0);
            c.get();
        }
        assert_eq!(stats().edges, base);
        assert_eq!(stats().edge_slots, before, "freed edge slots are reused");
    });
}

//! A dirty check walks the graph with unchecked record lookups while every
//! record is in the arenas' main blocks. A computed it recomputes may create
//! nodes (or read new sources) and so grow an arena, putting records in a
//! tail chunk: the walk then stops and walks again from its root with checked
//! lookups. These tests make a recomputation grow the node arena at each place
//! a walk recomputes (on the way down, at a source known to have changed; on
//! the way back up, at a computed whose source changed) and check that the
//! check still decides right: every value, and every evaluation counted
//! exactly (each node at most once per write, effects only when what they
//! read changed). Debug builds also assert, at each unchecked lookup, that
//! the record is in the main block.

use std::cell::Cell;
use std::rc::Rc;

use sapwood_engine::testing::walks_stopped;
use sapwood_engine::{stats, Computed, Effect, Signal};

/// More nodes than one arena chunk holds (1024): creating them inside a run
/// always adds a tail chunk to the node arena.
const GROWTH: usize = 3000;

/// Creates `GROWTH` signals, owned by the running computed (disposed at its
/// next run), and reports whether the node arena has a tail chunk now.
fn grow_node_arena() -> bool {
    for i in 0..GROWTH {
        Signal::new(i);
    }
    stats().arena_blocks > 2
}

fn counter() -> Rc<Cell<u32>> {
    Rc::new(Cell::new(0))
}

/// A run on a fresh thread: each test starts with one-block arenas.
fn on_fresh_thread(f: impl FnOnce() + Send + 'static) {
    std::thread::spawn(f)
        .join()
        .expect("the test thread passed");
}

#[test]
fn growth_on_the_way_down_at_a_sole_subscribers_changed_source() {
    on_fresh_thread(|| {
        // effect -> b -> a -> s; `a` grows the arena whenever `s` is odd.
        let s = Signal::new(0i64);
        let (a_runs, b_runs, e_runs) = (counter(), counter(), counter());
        let grew = Rc::new(Cell::new(false));
        let (ar, g) = (a_runs.clone(), grew.clone());
        let a = Computed::new(move || {
            ar.set(ar.get() + 1);
            let v = s.get();
            if v % 2 != 0 {
                g.set(grow_node_arena());
            }
            v
        });
        let br = b_runs.clone();
        let b = Computed::new(move || {
            br.set(br.get() + 1);
            a.get() * 10
        });
        let seen = Rc::new(Cell::new(0));
        let (er, sn) = (e_runs.clone(), seen.clone());
        Effect::new(move || {
            er.set(er.get() + 1);
            sn.set(b.get());
        });
        assert_eq!((a_runs.get(), b_runs.get(), e_runs.get()), (1, 1, 1));
        assert_eq!(
            stats().arena_blocks,
            2,
            "one block per arena before the write"
        );
        let stopped = walks_stopped();

        s.set(1);
        assert!(grew.get(), "the recomputation added a tail chunk");
        assert_eq!(walks_stopped(), stopped + 1, "the walk stopped once");
        assert_eq!(seen.get(), 10);
        assert_eq!((a_runs.get(), b_runs.get(), e_runs.get()), (2, 2, 2));
        assert_eq!(b.get(), 10);
        assert_eq!(b_runs.get(), 2, "no evaluation more for the read");
    });
}

/// `effect -> c -> b -> a -> s`, every evaluation counted (`runs`, in that
/// order: a, b, c, the effect), with `b = b_body(a)`; `seen` is what the
/// effect last read (`c = b * 2`).
struct Chain {
    s: Signal<i64>,
    c: Computed<i64>,
    runs: Vec<Rc<Cell<u32>>>,
    seen: Rc<Cell<i64>>,
}

impl Chain {
    fn new(b_body: impl Fn(i64) -> i64 + 'static) -> Chain {
        let s = Signal::new(0i64);
        let runs: Vec<Rc<Cell<u32>>> = (0..4).map(|_| counter()).collect();
        let r = runs[0].clone();
        let a = Computed::new(move || {
            r.set(r.get() + 1);
            s.get()
        });
        let r = runs[1].clone();
        let b = Computed::new(move || {
            r.set(r.get() + 1);
            b_body(a.get())
        });
        let r = runs[2].clone();
        let c = Computed::new(move || {
            r.set(r.get() + 1);
            b.get() * 2
        });
        let seen = Rc::new(Cell::new(0));
        let (r, sn) = (runs[3].clone(), seen.clone());
        Effect::new(move || {
            r.set(r.get() + 1);
            sn.set(c.get());
        });
        Chain { s, c, runs, seen }
    }

    fn runs(&self) -> Vec<u32> {
        self.runs.iter().map(|r| r.get()).collect()
    }
}

#[test]
fn growth_on_the_way_up_at_a_computed_whose_source_changed() {
    on_fresh_thread(|| {
        // `b` grows the arena when `a` is odd.
        let grew = Rc::new(Cell::new(false));
        let g = grew.clone();
        let chain = Chain::new(move |a| {
            if a % 2 != 0 {
                g.set(grow_node_arena());
            }
            a + 100
        });
        assert_eq!(chain.runs(), [1, 1, 1, 1]);
        assert_eq!(stats().arena_blocks, 2);
        let stopped = walks_stopped();

        chain.s.set(1);
        assert!(grew.get());
        assert_eq!(walks_stopped(), stopped + 1);
        assert_eq!(chain.seen.get(), 202);
        assert_eq!(chain.runs(), [2, 2, 2, 2]);
        assert_eq!(chain.c.get(), 202);
        assert_eq!(chain.runs(), [2, 2, 2, 2]);
    });
}

#[test]
fn growth_in_a_recomputation_that_gives_the_same_value_stops_the_change() {
    on_fresh_thread(|| {
        // `b` grows the arena and returns the same value whatever `a` is:
        // `c` and the effect must not run.
        let grew = Rc::new(Cell::new(false));
        let g = grew.clone();
        let chain = Chain::new(move |a| {
            if a % 2 != 0 {
                g.set(grow_node_arena());
            }
            7
        });
        assert_eq!(chain.runs(), [1, 1, 1, 1]);
        assert_eq!(stats().arena_blocks, 2);
        let stopped = walks_stopped();

        chain.s.set(1);
        assert!(grew.get());
        assert_eq!(walks_stopped(), stopped + 1);
        assert_eq!(chain.runs(), [2, 2, 1, 1], "c and the effect saw no change");
        assert_eq!(chain.c.get(), 14);
    });
}

#[test]
fn growth_at_a_shared_source_marks_every_reader_once() {
    on_fresh_thread(|| {
        // Two effects, each through its own computed, on one source `a`
        // that grows the arena when it recomputes to an odd value.
        let s = Signal::new(0i64);
        let a_runs = counter();
        let grew = Rc::new(Cell::new(false));
        let (ar, g) = (a_runs.clone(), grew.clone());
        let a = Computed::new(move || {
            ar.set(ar.get() + 1);
            let v = s.get();
            if v % 2 != 0 {
                g.set(grow_node_arena());
            }
            v
        });
        let mut readers = Vec::new();
        for k in 1..=2i64 {
            let (runs, seen) = (counter(), Rc::new(Cell::new(0)));
            let (cr, er, sn) = (counter(), runs.clone(), seen.clone());
            let c = Computed::new(move || {
                cr.set(cr.get() + 1);
                a.get() * k
            });
            Effect::new(move || {
                er.set(er.get() + 1);
                sn.set(c.get());
            });
            readers.push((runs, seen));
        }
        let stopped = walks_stopped();

        s.set(3);
        assert!(grew.get());
        assert_eq!(
            walks_stopped(),
            stopped + 1,
            "only the first check recomputes `a`"
        );
        assert_eq!(a_runs.get(), 2);
        let got: Vec<(u32, i64)> = readers.iter().map(|(r, s)| (r.get(), s.get())).collect();
        assert_eq!(got, [(2, 3), (2, 6)]);
    });
}

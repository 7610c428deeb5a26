//! The arenas move: a write made from outside the engine merges the chunks an
//! arena grew by into one block (the old memory is freed), and a write made
//! from user code the engine is running (a function, a cleanup, a `with` or
//! `update` closure, a user `Clone`, `PartialEq` or `Drop` impl) never does,
//! since the engine may hold references into the arenas there.
//!
//! Most tests here turn on the engine's test mode that moves both arenas at
//! every write from outside and overwrites the old memory, so that a
//! reference kept across a move would read garbage; they check both that the
//! moves happen where they may and not where they may not, and that every
//! value and run count stays right.

mod common;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use common::*;
use sapwood_engine::testing::{relocate_at_every_safe_point, relocations};
use sapwood_engine::{batch, on_cleanup, stats, Computed, Effect, Scope, Signal};

/// Runs `f` on a fresh thread (a fresh runtime), with the arenas moved at
/// every write from outside the engine if `moving`.
fn on_fresh_thread(moving: bool, f: impl FnOnce() + Send + 'static) {
    std::thread::spawn(move || {
        relocate_at_every_safe_point(moving);
        f();
    })
    .join()
    .expect("test thread panicked");
}

/// Asserts that `f`, called from user code, moves nothing when it writes.
fn writes_in_place(what: &str, f: impl FnOnce()) {
    let before = relocations();
    f();
    assert_eq!(
        relocations(),
        before,
        "{what}: a write from user code moved the arenas"
    );
}

/// Runs `f` inside an effect's first run: what it creates there, the
/// arenas grow by without merging (user code is running).
fn built_inside_an_effect<R: 'static>(f: impl FnOnce() -> R + 'static) -> R {
    let out = Rc::new(RefCell::new(None));
    let (o, f) = (out.clone(), RefCell::new(Some(f)));
    Effect::new(move || {
        if let Some(f) = f.borrow_mut().take() {
            *o.borrow_mut() = Some(f());
        }
    });
    let r = out.borrow_mut().take().expect("the effect ran");
    r
}

#[test]
fn a_write_from_outside_merges_the_chunks_the_arenas_grew_by() {
    on_fresh_thread(false, || {
        let n = 3000;
        let (sources, doubled, total) = built_inside_an_effect(move || {
            let sources: Vec<Signal<i64>> = (0..n).map(Signal::new).collect();
            let doubled: Vec<Computed<i64>> = sources
                .iter()
                .map(|&s| Computed::new(move || s.get() * 2))
                .collect();
            let total = Rc::new(Cell::new(0));
            let (t, d) = (total.clone(), doubled.clone());
            Effect::new(move || t.set(d.iter().map(|c| c.get()).sum::<i64>()));
            (sources, doubled, total)
        });
        let grown = stats();
        // 6,000-odd nodes and 6,000 edges: several chunks each, added one by one.
        assert!(grown.arena_blocks > 2, "{grown:?}");
        assert_eq!(relocations(), 0);
        assert_eq!(total.get(), (0..n).sum::<i64>() * 2);

        sources[0].set(100);
        let merged = stats();
        assert_eq!(merged.arena_blocks, 2, "one block per arena");
        assert_eq!(relocations(), 1);
        // The same slots and bytes, in fewer allocations.
        assert_eq!(merged.node_slots, grown.node_slots);
        assert_eq!(merged.edge_slots, grown.edge_slots);
        assert_eq!(merged.arena_bytes, grown.arena_bytes);
        assert_eq!((merged.nodes, merged.edges), (grown.nodes, grown.edges));
        assert_eq!(total.get(), (0..n).sum::<i64>() * 2 + 200);

        // Every record came along: each computed reads its own source still.
        for (i, (s, c)) in sources.iter().zip(&doubled).enumerate().skip(1).step_by(97) {
            s.set(-(i as i64));
            assert_eq!(c.get(), -2 * i as i64);
        }
        // Nothing left to merge: later writes move nothing.
        assert_eq!(relocations(), 1);
    });
}

#[test]
fn a_graph_built_from_outside_is_merged_as_it_grows() {
    on_fresh_thread(false, || {
        // Created at top level: each creation may merge, as a write does.
        let signals: Vec<Signal<i64>> = (0..20 * 1024).map(Signal::new).collect();
        let s = stats();
        // The tail stays under a quarter of the main block, and the block
        // was copied a few times, not once per chunk.
        assert!(s.arena_blocks <= 1 + s.node_slots / 4 / 1024, "{s:?}");
        assert!(
            (2..=12).contains(&relocations()),
            "{} merges",
            relocations()
        );
        assert_eq!(signals[20 * 1024 - 1].get(), 20 * 1024 - 1);
    });
}

#[test]
fn a_small_tail_waits_until_the_arena_stops_growing() {
    on_fresh_thread(false, || {
        let first = built_inside_an_effect(|| (0..8 * 1024).map(Signal::new).collect::<Vec<_>>());
        first[0].set(1);
        // No edges: the node arena's one block.
        assert_eq!((relocations(), stats().arena_blocks), (1, 1));
        // One chunk more: under a quarter of the main block, not merged yet.
        let more = built_inside_an_effect(|| (0..1024).map(Signal::new).collect::<Vec<_>>());
        more[0].set(1);
        assert_eq!((relocations(), stats().arena_blocks), (1, 2));
        // Writes keep coming and the arena does not grow: merged once the
        // quiet writes would have paid for the copy (an eighth per slot).
        for i in 0..2000 {
            first[1].set(i);
        }
        assert_eq!((relocations(), stats().arena_blocks), (2, 1));
        assert_eq!(more[0].get(), 1);
        assert_eq!(first[1].get(), 1999);
    });
}

#[test]
fn writes_from_outside_move_the_arenas_and_values_survive() {
    on_fresh_thread(true, || {
        let a = Signal::new(1);
        let b = Signal::new(String::from("x"));
        let sum = Computed::new(move || a.get() * 10 + b.with(|s| s.len() as i64));
        let seen: Seen<i64> = Rc::default();
        let log = seen.clone();
        Effect::new(move || log.borrow_mut().push(sum.get()));
        let before = relocations();
        a.set(2);
        b.set(String::from("xyz"));
        a.update(|v| *v += 1);
        assert!(b.set_if_changed(String::from("ab")));
        assert!(!b.set_if_changed(String::from("ab")));
        assert_eq!(relocations(), before + 5, "every write from outside moves");
        assert_eq!(*seen.borrow(), [11, 21, 23, 33, 32]);
        assert_eq!(sum.get(), 32);
    });
}

#[test]
fn writes_from_functions_and_cleanups_move_nothing() {
    on_fresh_thread(true, || {
        let trigger = Signal::new(0);
        let side = Signal::new(0);
        let runs = Counter::default();
        let r = runs.clone();
        let scope = Scope::new(|| {
            Effect::new(move || {
                let t = trigger.get();
                writes_in_place("effect", || side.set(t * 2));
                on_cleanup(move || writes_in_place("cleanup", || side.set(-1)));
                r.hit();
            });
        });
        let doubled = Computed::new(move || {
            let t = trigger.get();
            // A computed's function writing a signal: allowed, if unusual.
            writes_in_place("computed", || side.set(t * 3));
            t * 2
        });
        trigger.set(1);
        assert_eq!((runs.get(), side.get()), (2, 2));
        assert_eq!(doubled.get(), 2);
        assert_eq!(side.get(), 3);
        batch(|| trigger.set(5));
        assert_eq!((runs.get(), side.get(), doubled.get()), (3, 10, 10));
        scope.dispose();
        assert_eq!(side.get(), -1, "the cleanup ran on disposal");
    });
}

#[test]
fn writes_from_with_and_update_closures_move_nothing() {
    on_fresh_thread(true, || {
        let text = Signal::new(String::from("abc"));
        let other = Signal::new(0);
        let len = Computed::new(move || text.with(|s| s.len()));
        let copy = Computed::new(move || text.get());
        assert_eq!(len.get(), 3);
        text.with(|s| writes_in_place("signal with", || other.set(s.len() as i64)));
        copy.with(|s| writes_in_place("computed with", || other.set(s.len() as i64 + 1)));
        text.update(|s| {
            writes_in_place("update", || other.set(7));
            s.push('d');
        });
        let counter = Signal::new(1i64);
        counter.update(|v| {
            writes_in_place("inline update", || other.set(8));
            *v += 1;
        });
        assert_eq!(
            (len.get(), copy.get(), other.get()),
            (4, "abcd".to_string(), 8)
        );
        assert_eq!(counter.get(), 2);
    });
}

/// A value whose `Clone`, `PartialEq` and `Drop` write a signal.
struct Noisy {
    value: i64,
    log: Signal<i64>,
    what: &'static str,
}

impl Clone for Noisy {
    fn clone(&self) -> Self {
        let (log, v) = (self.log, self.value);
        writes_in_place("Clone", || log.set(v));
        Noisy {
            value: self.value,
            log: self.log,
            what: "clone",
        }
    }
}

impl PartialEq for Noisy {
    fn eq(&self, other: &Self) -> bool {
        let log = self.log;
        writes_in_place("PartialEq", || log.set(100));
        self.value == other.value
    }
}

impl Drop for Noisy {
    fn drop(&mut self) {
        let (log, v) = (self.log, self.value);
        if self.what == "clone" {
            // A clone `get` returned, dropped by the test itself: a write from
            // outside, which may move the arenas.
            log.set(-v);
        } else {
            // Every other value here is dropped by the engine.
            writes_in_place("Drop", || log.set(-v));
        }
    }
}

#[test]
fn writes_from_user_clone_eq_and_drop_move_nothing() {
    on_fresh_thread(true, || {
        let log = Signal::new(0);
        let noisy = move |value| Noisy {
            value,
            log,
            what: "value",
        };
        let s = Signal::new(noisy(1));
        // `get` clones: the clone writes `log`.
        assert_eq!(s.get().value, 1);
        // `set` drops the old value: its drop writes `log`.
        s.set(noisy(2));
        assert_eq!(log.get(), -1);
        // `set_if_changed` compares: `eq` writes, then the old value drops.
        assert!(s.set_if_changed(noisy(3)));
        assert_eq!(log.get(), -2);
        assert!(
            !s.set_if_changed(noisy(3)),
            "equal: only the new value drops"
        );
        assert_eq!(log.get(), -3);
        // A computed's value compared on re-run, and its old value dropped.
        let c = Computed::new(move || noisy(s.with(|n| n.value) * 10));
        assert_eq!(c.with(|n| n.value), 30);
        s.set(noisy(4));
        assert_eq!(c.with(|n| n.value), 40);
        // Disposal drops the signal's value and the computed's.
        c.dispose();
        assert_eq!(log.get(), -40);
        s.dispose();
        assert_eq!(log.get(), -4);
        // Values saved by a batch for `set_if_changed` are compared and
        // dropped at its end.
        let t = Signal::new(noisy(5));
        batch(|| {
            t.set_if_changed(noisy(6));
            t.set_if_changed(noisy(5));
        });
        assert_eq!(t.with(|n| n.value), 5);
        t.dispose();
    });
}

#[test]
fn a_graph_rebuilt_at_every_write_keeps_its_values() {
    on_fresh_thread(true, || {
        // Growth and moves interleaved: new chunks come while older records
        // have moved, across several rounds of creation and disposal.
        let head = Signal::new(0i64);
        let mut chain = vec![Computed::new(move || head.get())];
        let total = Rc::new(RefCell::new(Vec::new()));
        for round in 0..6 {
            let scope = Scope::new(|| {
                for _ in 0..700 {
                    let prev = *chain.last().expect("non-empty");
                    chain.push(Computed::new(move || prev.get() + 1));
                }
                let end = *chain.last().expect("non-empty");
                let t = total.clone();
                Effect::new(move || t.borrow_mut().push(end.get()));
            });
            head.set(round * 1000);
            let len = chain.len() as i64 - 1;
            assert_eq!(chain.last().expect("non-empty").get(), round * 1000 + len);
            assert_eq!(
                total.borrow().last(),
                Some(&(round * 1000 + len)),
                "the newest effect saw it"
            );
            if round % 2 == 1 {
                scope.dispose();
                chain.truncate(1);
            }
        }
        assert!(relocations() >= 6);
    });
}

#[test]
fn an_emptied_edge_arena_starts_over_inside_its_merged_block() {
    on_fresh_thread(false, || {
        for round in 0..3i64 {
            let scope = Scope::new(|| {});
            let (sources, sums) = scope.run(|| {
                built_inside_an_effect(move || {
                    let sources: Vec<Signal<i64>> =
                        (0..1500).map(|i| Signal::new(i + round)).collect();
                    let sums: Vec<Computed<i64>> = sources
                        .windows(2)
                        .map(|w| {
                            let (a, b) = (w[0], w[1]);
                            Computed::new(move || a.get() + b.get())
                        })
                        .collect();
                    let s = sums.clone();
                    Effect::new(move || {
                        std::hint::black_box(s.iter().map(|c| c.get()).sum::<i64>());
                    });
                    (sources, sums)
                })
            });
            // A write from outside merges both arenas.
            sources[0].set(-1);
            assert_eq!(stats().arena_blocks, 2, "round {round}");
            // -1 (written) + source 1 (1 + round).
            assert_eq!(sums[0].get(), round);
            assert_eq!(sums[1498].get(), 1498 + 1499 + 2 * round);
            // Every edge freed: the edge arena starts over from slot 0, in
            // the block it was merged into.
            scope.dispose();
            assert_eq!(stats().edges, 0, "round {round}");
        }
    });
}

//! The blocks that hold computeds' and effects' functions and values come from
//! the runtime's slab (`cells.rs`): each is dropped exactly once, a freed block
//! is reused only once its destructors are done, and no two live blocks share
//! memory, whatever the sizes, alignments and destructors of what they hold.

use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::rc::Rc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use sapwood_engine::{Computed, Effect, Signal};

/// Counts its drops.
struct Counted(Rc<Cell<u32>>);

impl Drop for Counted {
    fn drop(&mut self) {
        self.0.set(self.0.get() + 1);
    }
}

#[test]
fn functions_and_values_are_dropped_exactly_once_on_disposal() {
    let drops = Rc::new(Cell::new(0));
    let s = Signal::new(1i64);
    // A computed never read (no value), one read (a `String` value), an effect.
    let (held, read_c) = (Counted(drops.clone()), Counted(drops.clone()));
    let unread = Computed::new(move || {
        let _ = &held;
        s.get()
    });
    let read = Computed::new(move || {
        let _ = &read_c;
        format!("v{}", s.get())
    });
    assert_eq!(read.get(), "v1");
    let by_effect = Counted(drops.clone());
    let effect = Effect::new(move || {
        let _ = &by_effect;
        s.get();
    });
    assert_eq!(drops.get(), 0);
    unread.dispose();
    read.dispose();
    effect.dispose();
    assert_eq!(drops.get(), 3);
    s.set(2);
    assert_eq!(drops.get(), 3, "nothing dropped twice");
}

/// A closure that captures `N` bytes and checks them when it runs.
fn computed_of<const N: usize>(seed: u8, s: Signal<i64>) -> Computed<i64> {
    let bytes = [seed; N];
    Computed::new(move || {
        assert!(bytes.iter().all(|b| *b == seed), "a cell was overwritten");
        s.get() + seed as i64 + N as i64
    })
}

#[test]
fn cells_of_every_size_come_and_go_without_touching_each_other() {
    let s = Signal::new(0i64);
    let mut live: Vec<(Computed<i64>, i64)> = Vec::new();
    for round in 0..40u8 {
        // Sizes in several classes, one past the largest class, and the
        // largest class itself (8 for the value plus the capture).
        let made = [
            (computed_of::<1>(round, s), 1),
            (computed_of::<24>(round, s), 24),
            (computed_of::<100>(round, s), 100),
            (computed_of::<248>(round, s), 248),
            (computed_of::<300>(round, s), 300),
        ];
        for (c, n) in made {
            live.push((c, round as i64 + n));
        }
        // Dispose every third, so that freed blocks are reused next round.
        let mut k = 0;
        live.retain(|(c, _)| {
            k += 1;
            if k % 3 == 0 {
                c.dispose();
                false
            } else {
                true
            }
        });
        s.set(round as i64);
        for (c, extra) in &live {
            assert_eq!(c.get(), round as i64 + extra);
        }
    }
}

/// Over-aligned captures get memory of their alignment.
#[repr(align(64))]
#[derive(Clone, Copy)]
struct Aligned(u8);

#[test]
fn over_aligned_functions_get_their_alignment() {
    let s = Signal::new(3i64);
    let cs: Vec<Computed<usize>> = (0..100u8)
        .map(|i| {
            let a = Aligned(i);
            Computed::new(move || {
                let addr = &a as *const Aligned as usize;
                assert_eq!(addr % 64, 0, "misaligned capture");
                a.0 as usize + s.get() as usize
            })
        })
        .collect();
    for (i, c) in cs.iter().enumerate() {
        assert_eq!(c.get(), i + 3);
    }
}

/// Disposes computeds it made when dropped: a destructor that re-enters the
/// engine while its own cell is being freed.
struct MakesMoreWhenDropped {
    s: Signal<i64>,
    log: Rc<Cell<i64>>,
}

impl Drop for MakesMoreWhenDropped {
    fn drop(&mut self) {
        let s = self.s;
        // Cells of the same size as the one being freed (the value, and three
        // words captured: as the outer computed's), so that a block given
        // back too early would be handed out here, under this destructor.
        let made: Vec<Computed<i64>> = (0..50)
            .map(|k| {
                let pad = [k as u8; 8];
                Computed::new(move || {
                    let _ = &pad;
                    s.get() * 1000 + k
                })
            })
            .collect();
        let sum: i64 = made.iter().map(|c| c.get()).sum();
        for c in made {
            c.dispose();
        }
        self.log.set(sum);
    }
}

#[test]
fn a_destructor_that_makes_and_frees_cells_while_its_own_is_freed() {
    let s = Signal::new(2i64);
    let log = Rc::new(Cell::new(0));
    let guard = MakesMoreWhenDropped {
        s,
        log: log.clone(),
    };
    // Captures the guard (two words) and `s` (one).
    let outer = Computed::new(move || {
        let _ = &guard;
        s.get()
    });
    let bystanders: Vec<Computed<i64>> = (0..20).map(|k| computed_of::<16>(k, s)).collect();
    assert_eq!(outer.get(), 2);
    outer.dispose();
    assert_eq!(log.get(), 50 * 2000 + (0..50).sum::<i64>());
    s.set(5);
    for (k, c) in bystanders.iter().enumerate() {
        assert_eq!(c.get(), 5 + k as i64 + 16);
    }
    // The freed blocks serve new computeds.
    let again: Vec<Computed<i64>> = (0..60)
        .map(|k| Computed::new(move || s.get() + k))
        .collect();
    for (k, c) in again.iter().enumerate() {
        assert_eq!(c.get(), 5 + k as i64);
    }
}

/// Panics when dropped.
struct PanicsWhenDropped;

impl Drop for PanicsWhenDropped {
    fn drop(&mut self) {
        panic!("destructor panicked");
    }
}

#[test]
fn a_destructor_that_panics_leaves_the_other_cells_intact() {
    let s = Signal::new(1i64);
    let bad = PanicsWhenDropped;
    let c = Computed::new(move || {
        let _ = &bad;
        s.get()
    });
    assert_eq!(c.get(), 1);
    let hit = catch_unwind(AssertUnwindSafe(|| c.dispose()));
    assert!(hit.is_err(), "the destructor's panic reaches the caller");
    assert!(c.is_disposed());
    // New cells of the same size work, and none is handed out twice.
    let next: Vec<Computed<i64>> = (0..10)
        .map(|k| Computed::new(move || s.get() + k))
        .collect();
    s.set(7);
    for (k, c) in next.iter().enumerate() {
        assert_eq!(c.get(), 7 + k as i64);
    }
}

/// Counts its drops across threads.
struct CountedSend(Arc<AtomicU32>);

impl Drop for CountedSend {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

#[test]
fn a_runtime_torn_down_drops_every_cell_once() {
    let drops = Arc::new(AtomicU32::new(0));
    let on_thread = drops.clone();
    std::thread::spawn(move || {
        let s = Signal::new(0i64);
        for _ in 0..1000 {
            let (a, b) = (
                CountedSend(on_thread.clone()),
                CountedSend(on_thread.clone()),
            );
            let c = Computed::new(move || {
                let _ = &a;
                s.get()
            });
            c.get();
            Effect::new(move || {
                let _ = &b;
                s.get();
            });
        }
        // Left alive: the runtime drops them with the thread.
        assert_eq!(on_thread.load(Ordering::SeqCst), 0);
    })
    .join()
    .expect("thread ran");
    assert_eq!(
        drops.load(Ordering::SeqCst),
        2000,
        "each function dropped once"
    );
}

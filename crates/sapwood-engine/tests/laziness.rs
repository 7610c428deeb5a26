//! Laziness and caching of computeds: a computed never runs until it is read,
//! and a second read without a change does not run it again.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use sapwood_engine::{Computed, Effect, Signal};

mod common;
use common::*;

#[test]
fn computed_does_not_run_on_creation() {
    let s = Signal::new(1i64);
    let evals = Counter::default();
    let _c = counted(&evals, move || s.get() + 1);
    assert_eq!(evals.get(), 0);
}

#[test]
fn computed_never_read_never_runs_even_after_writes() {
    let s = Signal::new(1i64);
    let evals = Counter::default();
    let _c = counted(&evals, move || s.get() + 1);
    s.set(2);
    s.set(3);
    s.update(|v| *v += 1);
    assert_eq!(evals.get(), 0);
}

#[test]
fn first_read_runs_computed_once() {
    let s = Signal::new(20i64);
    let evals = Counter::default();
    let c = counted(&evals, move || s.get() + 1);
    assert_eq!(c.get(), 21);
    assert_eq!(evals.get(), 1);
}

#[test]
fn repeated_reads_without_change_use_the_cache() {
    let s = Signal::new(20i64);
    let evals = Counter::default();
    let c = counted(&evals, move || s.get() * 3);
    assert_eq!(c.get(), 60);
    assert_eq!(c.get(), 60);
    assert_eq!(c.get_untracked(), 60);
    assert_eq!(c.with(|v| *v + 1), 61);
    assert_eq!(c.try_get(), Ok(60));
    assert_eq!(c.try_with(|v| *v), Ok(60));
    assert_eq!(evals.get(), 1);
}

#[test]
fn each_read_method_triggers_the_first_evaluation() {
    let s = Signal::new(4i64);
    let evals = Counter::default();

    let a = counted(&evals, move || s.get());
    assert_eq!(a.get_untracked(), 4);
    assert_eq!(evals.get(), 1);

    let b = counted(&evals, move || s.get());
    assert_eq!(b.with(|v| *v), 4);
    assert_eq!(evals.get(), 2);

    let c = counted(&evals, move || s.get());
    assert_eq!(c.try_get(), Ok(4));
    assert_eq!(evals.get(), 3);

    let d = counted(&evals, move || s.get());
    assert_eq!(d.try_with(|v| *v * 2), Ok(8));
    assert_eq!(evals.get(), 4);
}

#[test]
fn read_after_a_change_recomputes_once() {
    let s = Signal::new(1i64);
    let evals = Counter::default();
    let c = counted(&evals, move || s.get() * 10);
    assert_eq!(c.get(), 10);
    s.set(2);
    assert_eq!(c.get(), 20);
    assert_eq!(c.get(), 20);
    assert_eq!(evals.get(), 2);
}

#[test]
fn unobserved_computed_waits_for_a_read_after_many_writes() {
    let s = Signal::new(1i64);
    let evals = Counter::default();
    let c = counted(&evals, move || s.get() * 10);
    assert_eq!(c.get(), 10);

    for v in 2..=50 {
        s.set(v);
    }
    assert_eq!(evals.get(), 1);
    assert_eq!(c.get(), 500);
    assert_eq!(evals.get(), 2);
}

#[test]
fn change_to_an_unrelated_signal_keeps_the_cache() {
    let s = Signal::new(1i64);
    let other = Signal::new(0i64);
    let evals = Counter::default();
    let c = counted(&evals, move || s.get() + 1);
    assert_eq!(c.get(), 2);
    other.set(5);
    assert_eq!(c.get(), 2);
    assert_eq!(evals.get(), 1);
}

#[test]
fn reading_a_nested_computed_evaluates_its_dependencies_once() {
    let s = Signal::new(2i64);
    let (ni, no) = (Counter::default(), Counter::default());
    let inner = counted(&ni, move || s.get() * s.get());
    let outer = counted(&no, move || inner.get() + inner.get());
    assert_eq!((ni.get(), no.get()), (0, 0));

    assert_eq!(outer.get(), 8);
    assert_eq!((ni.get(), no.get()), (1, 1));

    // `inner` was computed as part of `outer`: reading it now is a cache hit.
    assert_eq!(inner.get(), 4);
    assert_eq!((ni.get(), no.get()), (1, 1));
}

#[test]
fn reading_the_inner_computed_does_not_evaluate_the_outer() {
    let s = Signal::new(2i64);
    let (ni, no) = (Counter::default(), Counter::default());
    let inner = counted(&ni, move || s.get() + 1);
    let outer = counted(&no, move || inner.get() * 2);

    assert_eq!(inner.get(), 3);
    assert_eq!((ni.get(), no.get()), (1, 0));
    s.set(5);
    assert_eq!(inner.get(), 6);
    assert_eq!((ni.get(), no.get()), (2, 0));
    assert_eq!(outer.get(), 12);
    assert_eq!((ni.get(), no.get()), (2, 1));
}

#[test]
fn computed_read_only_by_an_effect_runs_when_the_effect_runs() {
    let s = Signal::new(1i64);
    let evals = Counter::default();
    let c = counted(&evals, move || s.get() + 100);
    assert_eq!(evals.get(), 0);

    let seen = Rc::new(RefCell::new(Vec::new()));
    let _effect = Effect::new({
        let seen = seen.clone();
        move || seen.borrow_mut().push(c.get())
    });
    assert_eq!(evals.get(), 1);
    assert_eq!(*seen.borrow(), vec![101]);

    assert_eq!(c.get(), 101);
    assert_eq!(evals.get(), 1);

    s.set(2);
    assert_eq!(evals.get(), 2);
    assert_eq!(*seen.borrow(), vec![101, 102]);
    assert_eq!(c.get(), 102);
    assert_eq!(evals.get(), 2);
}

#[test]
fn computed_with_non_clone_value_is_read_by_reference() {
    struct NotClone(i64);
    impl PartialEq for NotClone {
        fn eq(&self, other: &Self) -> bool {
            self.0 == other.0
        }
    }

    let s = Signal::new(3i64);
    let evals = Counter::default();
    let c = counted(&evals, move || NotClone(s.get() * 2));
    assert_eq!(c.with(|v| v.0), 6);
    assert_eq!(c.with(|v| v.0 + 1), 7);
    assert_eq!(evals.get(), 1);
    s.set(4);
    assert_eq!(c.with(|v| v.0), 8);
    assert_eq!(evals.get(), 2);
}

#[test]
fn computed_without_dependencies_runs_once_forever() {
    let evals = Counter::default();
    let c = counted(&evals, || 42i64);
    let unrelated = Signal::new(0i64);
    assert_eq!(c.get(), 42);
    unrelated.set(1);
    assert_eq!(c.get(), 42);
    assert_eq!(evals.get(), 1);
}

/// A computed whose only observer goes away keeps its cached value: reading it
/// without a write in between does not run it again.
#[test]
fn a_computed_that_lost_its_observer_stays_cached() {
    let s = Signal::new(1i64);
    let switch = Signal::new(true);
    let evals = Rc::new(Cell::new(0));
    let e = evals.clone();
    let x = Computed::new(move || {
        e.set(e.get() + 1);
        s.get() * 10
    });
    let y = Computed::new(move || if switch.get() { x.get() } else { 0 });
    assert_eq!(y.get(), 10);
    switch.set(false);
    assert_eq!(y.get(), 0); // y no longer reads x
    assert_eq!(x.get(), 10);
    assert_eq!(evals.get(), 1, "no write since: x is still cached");
    s.set(2);
    assert_eq!(x.get(), 20);
    assert_eq!(evals.get(), 2);
}

//! Untracked reads: `untrack(|| ..)` and `get_untracked` read current values
//! without subscribing the running effect or computed.

use sapwood_engine::{untrack, Computed, Signal};

mod common;
use common::*;

#[test]
fn untrack_in_an_effect_does_not_subscribe() {
    let a = Signal::new(1i64);
    let seen = record(move || untrack(|| a.get()));
    a.set(2);
    a.set(3);
    assert_eq!(values(&seen), vec![1]);
}

#[test]
fn get_untracked_in_an_effect_does_not_subscribe() {
    let a = Signal::new(1i64);
    let seen = record(move || a.get_untracked());
    a.set(2);
    assert_eq!(values(&seen), vec![1]);
}

#[test]
fn untracked_reads_see_current_values_when_a_tracked_read_reruns_the_effect() {
    let tracked = Signal::new(0i64);
    let untracked = Signal::new(10i64);
    let seen = record(move || (tracked.get(), untracked.get_untracked()));

    untracked.set(11);
    assert_eq!(values(&seen), vec![(0, 10)]);
    tracked.set(1);
    assert_eq!(values(&seen), vec![(0, 10), (1, 11)]);
}

#[test]
fn tracking_resumes_after_untrack_returns() {
    let a = Signal::new(0i64);
    let b = Signal::new(0i64);
    let seen = record(move || {
        let x = untrack(|| a.get());
        let y = b.get();
        (x, y)
    });

    a.set(1);
    assert_eq!(values(&seen), vec![(0, 0)]);
    b.set(1);
    assert_eq!(values(&seen), vec![(0, 0), (1, 1)]);
}

#[test]
fn nested_untrack_does_not_subscribe_and_tracking_resumes_after() {
    let a = Signal::new(0i64);
    let b = Signal::new(0i64);
    let c = Signal::new(0i64);
    let seen = record(move || {
        let (x, y) = untrack(|| {
            let x = untrack(|| a.get());
            let y = b.get();
            (x, y)
        });
        (x, y, c.get())
    });

    a.set(1);
    b.set(1);
    assert_eq!(values(&seen), vec![(0, 0, 0)]);
    c.set(1);
    assert_eq!(values(&seen), vec![(0, 0, 0), (1, 1, 1)]);
}

#[test]
fn untrack_returns_the_closure_value_outside_any_effect() {
    let a = Signal::new(String::from("x"));
    let text = untrack(|| a.get() + "y");
    assert_eq!(text, "xy");
    assert_eq!(untrack(|| 5u32), 5);
}

#[test]
fn untracked_read_inside_a_computed_does_not_make_it_depend() {
    let a = Signal::new(1i64);
    let b = Signal::new(100i64);
    let evals = Counter::default();
    let sum = counted(&evals, move || a.get() + untrack(|| b.get()));
    assert_eq!(sum.get(), 101);

    // `sum` does not depend on `b`: the cached value is kept.
    b.set(200);
    assert_eq!(sum.get(), 101);
    assert_eq!(evals.get(), 1);

    // A change of `a` recomputes it, now reading b = 200.
    a.set(2);
    assert_eq!(sum.get(), 202);
    assert_eq!(evals.get(), 2);
}

#[test]
fn get_untracked_inside_a_computed_does_not_make_it_depend() {
    let a = Signal::new(1i64);
    let b = Signal::new(100i64);
    let evals = Counter::default();
    let sum = counted(&evals, move || a.get() + b.get_untracked());
    let seen = record(move || sum.get());

    b.set(200);
    assert_eq!((evals.get(), values(&seen)), (1, vec![101]));
    a.set(2);
    assert_eq!((evals.get(), values(&seen)), (2, vec![101, 202]));
}

#[test]
fn computed_get_untracked_in_an_effect_does_not_subscribe_to_it() {
    let a = Signal::new(1i64);
    let evals = Counter::default();
    let doubled = counted(&evals, move || a.get() * 2);
    let seen = record(move || doubled.get_untracked());
    assert_eq!(values(&seen), vec![2]);

    a.set(5);
    assert_eq!(values(&seen), vec![2]);
    // Still correct when pulled.
    assert_eq!(doubled.get_untracked(), 10);
    assert_eq!(doubled.get(), 10);
    assert_eq!(evals.get(), 2);
}

#[test]
fn computed_read_in_untrack_inside_an_effect_does_not_subscribe_to_it() {
    let a = Signal::new(1i64);
    let doubled = Computed::new(move || a.get() * 2);
    let seen = record(move || untrack(|| doubled.get()));
    a.set(2);
    assert_eq!(values(&seen), vec![2]);
    assert_eq!(doubled.get(), 4);
}

#[test]
fn untracked_computed_still_tracks_its_own_dependencies() {
    // Reading a computed without tracking must not stop the computed itself
    // from tracking what it reads.
    let a = Signal::new(1i64);
    let evals = Counter::default();
    let plus_one = counted(&evals, move || a.get() + 1);
    assert_eq!(untrack(|| plus_one.get()), 2);
    a.set(10);
    assert_eq!(plus_one.get_untracked(), 11);
    assert_eq!(evals.get(), 2);
    let seen = record(move || plus_one.get());
    a.set(20);
    assert_eq!(values(&seen), vec![11, 21]);
}

#[test]
fn with_is_a_tracked_read_for_signals_and_computeds() {
    let a = Signal::new(vec![1, 2, 3]);
    let len = Computed::new(move || a.with(|v| v.len()));
    let seen_signal = record(move || a.with(|v| v.iter().sum::<i32>()));
    let seen_computed = record(move || len.with(|n| *n));

    a.update(|v| v.push(4));
    assert_eq!(values(&seen_signal), vec![6, 10]);
    assert_eq!(values(&seen_computed), vec![3, 4]);
}

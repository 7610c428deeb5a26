//! Equality cut: a computed that recomputes to an equal value does not re-run
//! its dependents (computeds or effects). `set` and `update` always notify,
//! so an effect that reads the signal directly re-runs even for equal values.

use std::cell::Cell;
use std::rc::Rc;

use sapwood_engine::{batch, Computed, Effect, Signal};

mod common;
use common::*;

#[test]
fn equal_recomputation_does_not_rerun_effect() {
    let n = Signal::new(2i64);
    let evals = Counter::default();
    let is_even = counted(&evals, move || n.get() % 2 == 0);
    let seen = record(move || is_even.get());
    assert_eq!((evals.get(), values(&seen)), (1, vec![true]));

    n.set(4);
    assert_eq!((evals.get(), values(&seen)), (2, vec![true]));
    n.set(10);
    assert_eq!((evals.get(), values(&seen)), (3, vec![true]));

    n.set(7);
    assert_eq!((evals.get(), values(&seen)), (4, vec![true, false]));
    n.set(9);
    assert_eq!((evals.get(), values(&seen)), (5, vec![true, false]));
}

#[test]
fn equal_recomputation_does_not_recompute_downstream_computed() {
    let n = Signal::new(1i64);
    let (n_parity, n_label) = (Counter::default(), Counter::default());
    let parity = counted(&n_parity, move || n.get().rem_euclid(2));
    let label = counted(&n_label, move || format!("parity {}", parity.get()));
    let seen = record(move || label.get());

    n.set(3);
    n.set(-5);
    assert_eq!((n_parity.get(), n_label.get()), (3, 1));
    assert_eq!(values(&seen), vec![String::from("parity 1")]);

    n.set(6);
    assert_eq!((n_parity.get(), n_label.get()), (4, 2));
    assert_eq!(
        values(&seen),
        vec![String::from("parity 1"), String::from("parity 0")]
    );
}

#[test]
fn equality_cut_applies_when_pulling_an_unobserved_chain() {
    let n = Signal::new(1i64);
    let (n_parity, n_scaled) = (Counter::default(), Counter::default());
    let parity = counted(&n_parity, move || n.get() % 2);
    let scaled = counted(&n_scaled, move || parity.get() * 10);

    assert_eq!(scaled.get(), 10);
    n.set(3);
    assert_eq!(scaled.get(), 10);
    assert_eq!((n_parity.get(), n_scaled.get()), (2, 1));

    n.set(4);
    assert_eq!(scaled.get(), 0);
    assert_eq!((n_parity.get(), n_scaled.get()), (3, 2));
}

#[test]
fn diamond_with_one_cut_branch_reruns_join_once() {
    let a = Signal::new(1i64);
    let (nb, nc, nd) = (Counter::default(), Counter::default(), Counter::default());
    let tens = counted(&nb, move || a.get() / 10);
    let same = counted(&nc, move || a.get());
    let join = counted(&nd, move || tens.get() * 1000 + same.get());
    let seen = record(move || join.get());

    a.set(2);
    assert_eq!(values(&seen), vec![1, 2]);
    assert_eq!((nb.get(), nc.get(), nd.get()), (2, 2, 2));

    a.set(15);
    assert_eq!(values(&seen), vec![1, 2, 1015]);
    assert_eq!((nb.get(), nc.get(), nd.get()), (3, 3, 3));
}

#[test]
fn diamond_with_both_branches_cut_skips_join_and_effect() {
    let a = Signal::new(1i64);
    let (nb, nc, nd) = (Counter::default(), Counter::default(), Counter::default());
    let sign = counted(&nb, move || a.get().signum());
    let small = counted(&nc, move || a.get() < 100);
    let join = counted(&nd, move || (sign.get(), small.get()));
    let seen = record(move || join.get());

    a.set(5);
    a.set(50);
    assert_eq!(values(&seen), vec![(1, true)]);
    assert_eq!((nb.get(), nc.get(), nd.get()), (3, 3, 1));

    a.set(500);
    assert_eq!(values(&seen), vec![(1, true), (1, false)]);
    assert_eq!((nb.get(), nc.get(), nd.get()), (4, 4, 2));
}

#[test]
fn set_with_equal_value_reruns_effect_reading_signal_directly() {
    let s = Signal::new(7i64);
    let seen = record(move || s.get());
    s.set(7);
    assert_eq!(values(&seen), vec![7, 7]);
    s.set(7);
    assert_eq!(values(&seen), vec![7, 7, 7]);
}

#[test]
fn set_with_equal_value_recomputes_computed_but_cuts_before_its_effect() {
    let s = Signal::new(7i64);
    let evals = Counter::default();
    let doubled = counted(&evals, move || s.get() * 2);
    let through_computed = record(move || doubled.get());
    let direct = record(move || s.get());

    s.set(7);
    assert_eq!(values(&direct), vec![7, 7]);
    assert_eq!(values(&through_computed), vec![14]);
    assert_eq!(evals.get(), 2);
    assert_eq!(doubled.get(), 14);
}

#[test]
fn update_always_notifies_even_without_a_change() {
    let s = Signal::new(vec![1, 2, 3]);
    let seen = record(move || s.with(|v| v.len()));
    s.update(|_| {});
    assert_eq!(values(&seen), vec![3, 3]);
    s.update(|v| v.push(4));
    assert_eq!(values(&seen), vec![3, 3, 4]);
}

#[test]
fn cut_compares_values_with_partial_eq_for_non_copy_types() {
    let words = Signal::new(vec!["b", "a", "c"]);
    let evals = Counter::default();
    let sorted = counted(&evals, move || {
        let mut w = words.get();
        w.sort_unstable();
        w
    });
    let seen = record(move || sorted.get().join(","));

    words.set(vec!["c", "b", "a"]);
    words.set(vec!["a", "c", "b"]);
    assert_eq!(values(&seen), vec![String::from("a,b,c")]);
    assert_eq!(evals.get(), 3);

    words.update(|w| w.push("d"));
    assert_eq!(
        values(&seen),
        vec![String::from("a,b,c"), String::from("a,b,c,d")]
    );
}

#[test]
fn value_changing_and_changing_back_across_writes_is_seen_each_time() {
    let n = Signal::new(0i64);
    let positive = Computed::new(move || n.get() > 0);
    let seen = record(move || positive.get());

    for v in [1, 2, -1, -2, 3, 0] {
        n.set(v);
    }
    assert_eq!(values(&seen), vec![false, true, false, true, false]);
}

#[test]
fn effect_reading_cut_and_uncut_computeds_reruns_only_for_the_uncut_one() {
    let a = Signal::new(1i64);
    let b = Signal::new(1i64);
    let a_positive = Computed::new(move || a.get() > 0);
    let b_value = Computed::new(move || b.get());
    let seen = record(move || (a_positive.get(), b_value.get()));

    a.set(2);
    a.set(3);
    assert_eq!(values(&seen), vec![(true, 1)]);
    b.set(2);
    assert_eq!(values(&seen), vec![(true, 1), (true, 2)]);
}

/// Regression (found by the differential test): after a batch that reached an
/// effect both directly and through a computed, the computed's equality cut
/// must still hold at the next write.
#[test]
fn equality_cut_holds_after_a_batch_that_reached_the_effect_twice() {
    let a = Signal::new(0i64);
    let b = Signal::new(0i64);
    let c = Computed::new(move || a.get().min(1));
    let runs = Rc::new(Cell::new(0));
    let r = runs.clone();
    Effect::new(move || {
        c.get();
        b.get();
        r.set(r.get() + 1);
    });
    batch(|| {
        a.set(1);
        b.set(0);
    });
    assert_eq!(runs.get(), 2);
    a.set(2); // c is still 1
    assert_eq!(runs.get(), 2);
}

/// Regression (found by the differential test): an effect that re-ran because
/// of one source, and read another written source meanwhile, must not re-run
/// again for that write later.
#[test]
fn a_write_seen_during_a_rerun_is_not_announced_again() {
    let s0 = Signal::new(0i64);
    let s1 = Signal::new(0i64);
    let c = Computed::new(move || s0.get());
    let runs = Rc::new(Cell::new(0));
    let r = runs.clone();
    Effect::new(move || {
        c.get();
        s1.get();
        r.set(r.get() + 1);
    });
    batch(|| {
        s0.set(2);
        s1.set(1);
    });
    assert_eq!(runs.get(), 2);
    s0.set(2); // same value: c cuts; s1 was already seen
    assert_eq!(runs.get(), 2);
}

//! Batching: effects run once, at the end of the outermost `batch`, with the
//! final values; `batch` returns its closure's value; `set_if_changed`
//! notifies only for a real change (judged against the value before the
//! batch when inside one).

use sapwood_engine::{batch, Computed, Effect, Signal};

mod common;
use common::*;

#[test]
fn effect_runs_once_per_batch_with_final_values() {
    let a = Signal::new(0i64);
    let b = Signal::new(0i64);
    let seen = record(move || (a.get(), b.get()));

    batch(|| {
        a.set(1);
        b.set(2);
        a.set(3);
        b.update(|v| *v += 10);
    });
    assert_eq!(values(&seen), vec![(0, 0), (3, 12)]);
}

#[test]
fn effects_do_not_run_before_the_batch_ends() {
    let a = Signal::new(0i64);
    let seen = record(move || a.get());
    batch(|| {
        a.set(1);
        assert_eq!(values(&seen), vec![0]);
        a.set(2);
        assert_eq!(values(&seen), vec![0]);
    });
    assert_eq!(values(&seen), vec![0, 2]);
}

#[test]
fn nested_batches_flush_only_at_the_outermost_end() {
    let a = Signal::new(0i64);
    let seen = record(move || a.get());
    batch(|| {
        a.set(1);
        batch(|| {
            a.set(2);
            batch(|| a.set(3));
            assert_eq!(values(&seen), vec![0]);
        });
        assert_eq!(values(&seen), vec![0]);
        a.set(4);
    });
    assert_eq!(values(&seen), vec![0, 4]);
}

#[test]
fn batch_returns_the_closure_value() {
    let a = Signal::new(20i64);
    let result = batch(|| {
        a.set(21);
        a.get() * 2
    });
    assert_eq!(result, 42);
    let text: String = batch(|| String::from("done"));
    assert_eq!(text, "done");
    let nested = batch(|| batch(|| 7u8) + 1);
    assert_eq!(nested, 8);
}

#[test]
fn reads_inside_a_batch_see_the_latest_writes() {
    let a = Signal::new(1i64);
    let doubled = Computed::new(move || a.get() * 2);
    let seen = record(move || doubled.get());
    batch(|| {
        a.set(5);
        assert_eq!(a.get(), 5);
        assert_eq!(a.get_untracked(), 5);
        assert_eq!(doubled.get(), 10);
        a.set(6);
        assert_eq!(doubled.get(), 12);
    });
    assert_eq!(values(&seen), vec![2, 12]);
}

#[test]
fn batch_of_many_signals_runs_each_effect_once() {
    let signals: Vec<Signal<i64>> = (0..50).map(|_| Signal::new(0)).collect();
    let runs = Counter::default();
    for &s in &signals {
        let runs = runs.clone();
        let _effect = Effect::new(move || {
            let _ = s.get();
            runs.hit();
        });
    }
    let sum_runs = Counter::default();
    let sum = counted(&sum_runs, {
        let signals = signals.clone();
        move || signals.iter().map(|s| s.get()).sum::<i64>()
    });
    let seen_sum = record(move || sum.get());

    batch(|| {
        for (i, s) in signals.iter().enumerate() {
            s.set(i as i64);
            s.set(i as i64 + 1);
        }
    });
    assert_eq!(runs.get(), 100);
    assert_eq!(sum_runs.get(), 2);
    assert_eq!(values(&seen_sum), vec![0, 1275]);
}

#[test]
fn batch_that_changes_a_signal_and_back_does_not_rerun_effect_behind_a_computed() {
    let a = Signal::new(1i64);
    let evals = Counter::default();
    let doubled = counted(&evals, move || a.get() * 2);
    let through_computed = record(move || doubled.get());
    let direct = record(move || a.get());

    batch(|| {
        a.set(2);
        a.set(1);
    });
    assert_eq!(values(&through_computed), vec![2]);
    // `set` always notifies: the direct reader re-runs once, for the batch.
    assert_eq!(values(&direct), vec![1, 1]);
    // The computed recomputes (at most once) to an equal value.
    assert!(evals.get() <= 2, "computed evaluated {} times", evals.get());
    assert_eq!(doubled.get(), 2);
}

#[test]
fn batch_that_changes_a_signal_and_back_through_a_chain_cuts_every_effect() {
    let a = Signal::new(1i64);
    let b = Computed::new(move || a.get() + 1);
    let c = Computed::new(move || b.get() * 10);
    let first = record(move || c.get());
    let second = record(move || b.get());

    batch(|| {
        a.set(100);
        a.update(|v| *v = 50);
        a.set(1);
    });
    assert_eq!(values(&first), vec![20]);
    assert_eq!(values(&second), vec![2]);

    a.set(2);
    assert_eq!(values(&first), vec![20, 30]);
    assert_eq!(values(&second), vec![2, 3]);
}

#[test]
fn set_if_changed_in_a_batch_back_to_the_original_notifies_no_one() {
    let a = Signal::new(1i64);
    let evals = Counter::default();
    let doubled = counted(&evals, move || a.get() * 2);
    let direct = record(move || a.get());
    let through_computed = record(move || doubled.get());
    assert_eq!(evals.get(), 1);

    let (first, second) = batch(|| (a.set_if_changed(2), a.set_if_changed(1)));
    assert!(first, "1 -> 2 is a change");
    assert!(second, "2 -> 1 is a change");
    assert_eq!(values(&direct), vec![1]);
    assert_eq!(values(&through_computed), vec![2]);
    assert_eq!(evals.get(), 1);
    assert_eq!(a.get(), 1);
    assert_eq!(doubled.get(), 2);
    assert_eq!(evals.get(), 1);
}

#[test]
fn set_if_changed_in_a_batch_with_a_new_final_value_notifies_once() {
    let a = Signal::new(1i64);
    let direct = record(move || a.get());
    batch(|| {
        assert!(a.set_if_changed(2));
        assert!(!a.set_if_changed(2));
        assert!(a.set_if_changed(3));
    });
    assert_eq!(values(&direct), vec![1, 3]);
}

/// A plain `set` notifies whatever comes after it in the batch: a
/// `set_if_changed` back to the old value takes back only its own writes.
#[test]
fn a_plain_set_in_the_batch_notifies_even_when_the_value_ends_as_it_was() {
    for set_first in [false, true] {
        let a = Signal::new(1i64);
        let evals = Counter::default();
        let doubled = counted(&evals, move || a.get() * 2);
        let direct = record(move || a.get());
        let through_computed = record(move || doubled.get());
        batch(|| {
            if set_first {
                a.set(2);
                assert!(a.set_if_changed(1));
            } else {
                assert!(a.set_if_changed(2));
                a.set(1);
            }
        });
        assert_eq!(values(&direct), vec![1, 1], "set first: {set_first}");
        // The computed re-ran, and its equal value cut the effect behind it.
        assert_eq!(evals.get(), 2, "set first: {set_first}");
        assert_eq!(values(&through_computed), vec![2], "set first: {set_first}");
    }
}

#[test]
fn set_if_changed_outside_a_batch_with_an_equal_value_does_nothing() {
    let a = Signal::new(5i64);
    let evals = Counter::default();
    let plus_one = counted(&evals, move || a.get() + 1);
    let direct = record(move || a.get());
    let through_computed = record(move || plus_one.get());

    assert!(!a.set_if_changed(5));
    assert!(!a.set_if_changed(5));
    assert_eq!(values(&direct), vec![5]);
    assert_eq!(values(&through_computed), vec![6]);
    assert_eq!(evals.get(), 1);
    assert_eq!(a.get(), 5);
}

#[test]
fn set_if_changed_outside_a_batch_with_a_new_value_notifies() {
    let a = Signal::new(5i64);
    let direct = record(move || a.get());
    assert!(a.set_if_changed(6));
    assert_eq!(values(&direct), vec![5, 6]);
    assert_eq!(a.get(), 6);
}

#[test]
fn empty_batch_and_batch_of_reads_run_nothing() {
    let a = Signal::new(1i64);
    let direct = record(move || a.get());
    batch(|| {});
    let v = batch(|| a.get());
    assert_eq!(v, 1);
    assert_eq!(values(&direct), vec![1]);
}

#[test]
fn effects_run_immediately_again_after_a_batch_ends() {
    let a = Signal::new(0i64);
    let seen = record(move || a.get());
    batch(|| a.set(1));
    a.set(2);
    assert_eq!(values(&seen), vec![0, 1, 2]);
    a.set(3);
    assert_eq!(values(&seen), vec![0, 1, 2, 3]);
}

//! Effect lifecycle: an effect runs at once, re-runs synchronously after each
//! change of what it read, stops for good when disposed, and runs the
//! cleanups it registered with `on_cleanup` before its next run and on
//! disposal, outside any tracking.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use sapwood_engine::{on_cleanup, Computed, Effect, Scope, Signal};

mod common;
use common::*;

#[test]
fn effect_runs_once_at_creation() {
    let s = Signal::new(5i64);
    let runs = Counter::default();
    let seen = Rc::new(Cell::new(0i64));
    let _effect = Effect::new({
        let (runs, seen) = (runs.clone(), seen.clone());
        move || {
            runs.hit();
            seen.set(s.get());
        }
    });
    assert_eq!(runs.get(), 1);
    assert_eq!(seen.get(), 5);
}

#[test]
fn effect_without_reads_runs_once_and_never_again() {
    let s = Signal::new(0i64);
    let runs = Counter::default();
    let _effect = Effect::new({
        let runs = runs.clone();
        move || runs.hit()
    });
    s.set(1);
    assert_eq!(runs.get(), 1);
}

#[test]
fn effect_reruns_synchronously_after_each_change() {
    let s = Signal::new(1i64);
    let seen = Rc::new(RefCell::new(Vec::new()));
    let _effect = Effect::new({
        let seen = seen.clone();
        move || seen.borrow_mut().push(s.get())
    });
    s.set(2);
    assert_eq!(*seen.borrow(), vec![1, 2]);
    s.set(3);
    assert_eq!(*seen.borrow(), vec![1, 2, 3]);
    s.update(|v| *v *= 10);
    assert_eq!(*seen.borrow(), vec![1, 2, 3, 30]);
}

#[test]
fn effect_does_not_rerun_for_unread_signals() {
    let read = Signal::new(0i64);
    let unread = Signal::new(0i64);
    let runs = Counter::default();
    let _effect = Effect::new({
        let runs = runs.clone();
        move || {
            runs.hit();
            let _ = read.get();
        }
    });
    unread.set(1);
    unread.set(2);
    assert_eq!(runs.get(), 1);
    read.set(1);
    assert_eq!(runs.get(), 2);
}

#[test]
fn dispose_stops_the_effect() {
    let s = Signal::new(0i64);
    let runs = Counter::default();
    let effect = Effect::new({
        let runs = runs.clone();
        move || {
            runs.hit();
            let _ = s.get();
        }
    });
    s.set(1);
    assert_eq!(runs.get(), 2);
    assert!(!effect.is_disposed());

    effect.dispose();
    assert!(effect.is_disposed());
    s.set(2);
    s.set(3);
    assert_eq!(runs.get(), 2);
    // The signal itself is untouched by the effect's disposal.
    assert_eq!(s.get(), 3);
    assert!(!s.is_disposed());
}

#[test]
fn cleanup_runs_before_each_rerun() {
    let s = Signal::new(1i64);
    let log: Log = Rc::default();
    let _effect = Effect::new({
        let log = log.clone();
        move || {
            let v = s.get();
            push(&log, format!("run {v}"));
            let log = log.clone();
            on_cleanup(move || push(&log, format!("cleanup {v}")));
        }
    });
    assert_eq!(take(&log), ["run 1"]);
    s.set(2);
    assert_eq!(take(&log), ["cleanup 1", "run 2"]);
    s.set(3);
    assert_eq!(take(&log), ["cleanup 2", "run 3"]);
}

#[test]
fn cleanup_runs_once_on_dispose_and_never_again() {
    let s = Signal::new(1i64);
    let log: Log = Rc::default();
    let effect = Effect::new({
        let log = log.clone();
        move || {
            let v = s.get();
            push(&log, format!("run {v}"));
            let log = log.clone();
            on_cleanup(move || push(&log, format!("cleanup {v}")));
        }
    });
    s.set(2);
    assert_eq!(take(&log), ["run 1", "cleanup 1", "run 2"]);

    effect.dispose();
    assert_eq!(take(&log), ["cleanup 2"]);
    s.set(3);
    assert!(take(&log).is_empty());
}

#[test]
fn every_registered_cleanup_runs_exactly_once() {
    let s = Signal::new(0i64);
    let (runs, cleanups) = (Counter::default(), Counter::default());
    let effect = Effect::new({
        let (runs, cleanups) = (runs.clone(), cleanups.clone());
        move || {
            runs.hit();
            let _ = s.get();
            for _ in 0..3 {
                let cleanups = cleanups.clone();
                on_cleanup(move || cleanups.hit());
            }
        }
    });
    for v in 1..=4 {
        s.set(v);
    }
    assert_eq!((runs.get(), cleanups.get()), (5, 12));
    effect.dispose();
    assert_eq!((runs.get(), cleanups.get()), (5, 15));
}

#[test]
fn cleanup_reading_a_signal_before_a_rerun_does_not_subscribe() {
    let trigger = Signal::new(0i64);
    let read_in_cleanup = Signal::new(0i64);
    let runs = Counter::default();
    let cleanup_saw = Rc::new(RefCell::new(Vec::new()));
    let _effect = Effect::new({
        let (runs, cleanup_saw) = (runs.clone(), cleanup_saw.clone());
        move || {
            runs.hit();
            let _ = trigger.get();
            let cleanup_saw = cleanup_saw.clone();
            on_cleanup(move || cleanup_saw.borrow_mut().push(read_in_cleanup.get()));
        }
    });
    trigger.set(1);
    assert_eq!(runs.get(), 2);
    assert_eq!(*cleanup_saw.borrow(), vec![0]);

    read_in_cleanup.set(5);
    assert_eq!(runs.get(), 2);
    assert_eq!(*cleanup_saw.borrow(), vec![0]);

    trigger.set(2);
    assert_eq!(runs.get(), 3);
    assert_eq!(*cleanup_saw.borrow(), vec![0, 5]);
}

#[test]
fn cleanup_run_by_a_dispose_inside_another_effect_does_not_subscribe_it() {
    let read_in_cleanup = Signal::new(0i64);
    let victim = Effect::new(move || {
        on_cleanup(move || {
            let _ = read_in_cleanup.get();
        });
    });

    let kill = Signal::new(false);
    let runs = Counter::default();
    let _killer = Effect::new({
        let runs = runs.clone();
        move || {
            runs.hit();
            if kill.get() {
                victim.dispose();
            }
        }
    });
    kill.set(true);
    assert!(victim.is_disposed());
    assert_eq!(runs.get(), 2);

    read_in_cleanup.set(1);
    assert_eq!(runs.get(), 2);
}

#[test]
fn cleanup_of_an_inner_effect_disposed_by_outer_rerun_does_not_subscribe_outer() {
    let outer_source = Signal::new(0i64);
    let read_in_cleanup = Signal::new(0i64);
    let outer_runs = Counter::default();
    let inner_cleanups = Counter::default();
    let _outer = Effect::new({
        let (outer_runs, inner_cleanups) = (outer_runs.clone(), inner_cleanups.clone());
        move || {
            outer_runs.hit();
            let _ = outer_source.get();
            let inner_cleanups = inner_cleanups.clone();
            let _inner = Effect::new(move || {
                let inner_cleanups = inner_cleanups.clone();
                on_cleanup(move || {
                    inner_cleanups.hit();
                    let _ = read_in_cleanup.get();
                });
            });
        }
    });
    outer_source.set(1);
    assert_eq!((outer_runs.get(), inner_cleanups.get()), (2, 1));

    read_in_cleanup.set(1);
    assert_eq!((outer_runs.get(), inner_cleanups.get()), (2, 1));
}

#[test]
fn cleanup_may_read_signals_and_sees_current_values() {
    let s = Signal::new(1i64);
    let seen_in_cleanup = Rc::new(Cell::new(0i64));
    let effect = Effect::new({
        let seen_in_cleanup = seen_in_cleanup.clone();
        move || {
            let _ = s.get();
            let seen_in_cleanup = seen_in_cleanup.clone();
            on_cleanup(move || seen_in_cleanup.set(s.get()));
        }
    });
    s.set(2);
    assert_eq!(seen_in_cleanup.get(), 2);
    s.set(3);
    assert_eq!(seen_in_cleanup.get(), 3);
    effect.dispose();
    assert_eq!(seen_in_cleanup.get(), 3);
}

#[test]
fn on_cleanup_outside_any_owner_is_a_no_op() {
    let ran = Counter::default();
    {
        let ran = ran.clone();
        on_cleanup(move || ran.hit());
    }
    assert_eq!(ran.get(), 0);

    let s = Signal::new(0i64);
    let effect = Effect::new(move || {
        let _ = s.get();
    });
    s.set(1);
    effect.dispose();
    Scope::new(|| {}).dispose();
    assert_eq!(ran.get(), 0);
}

#[test]
fn computed_cleanup_runs_before_recompute_and_on_dispose() {
    let s = Signal::new(1i64);
    let log: Log = Rc::default();
    let c = Computed::new({
        let log = log.clone();
        move || {
            let v = s.get();
            push(&log, format!("eval {v}"));
            let log = log.clone();
            on_cleanup(move || push(&log, format!("cleanup {v}")));
            v * 2
        }
    });
    assert_eq!(c.get(), 2);
    assert_eq!(take(&log), ["eval 1"]);

    s.set(2);
    assert_eq!(c.get(), 4);
    assert_eq!(take(&log), ["cleanup 1", "eval 2"]);

    c.dispose();
    assert_eq!(take(&log), ["cleanup 2"]);
    assert!(c.is_disposed());
}

#[test]
fn effect_created_with_its_initial_value_then_reruns_for_computed_changes() {
    let s = Signal::new(1i64);
    let c = Computed::new(move || s.get() * 100);
    let seen = Rc::new(RefCell::new(Vec::new()));
    let effect = Effect::new({
        let seen = seen.clone();
        move || seen.borrow_mut().push(c.get())
    });
    s.set(2);
    effect.dispose();
    s.set(3);
    assert_eq!(*seen.borrow(), vec![100, 200]);
    assert_eq!(c.get(), 300);
}

//! Writes made while the engine is running a subscriber or checking one (a
//! computed or effect function that writes a signal): the subscribers decide
//! from the dependencies they have by then, and nothing is left marked that
//! no one will look at again.

use sapwood_engine::{Computed, Signal};

mod common;
use common::*;

/// A computed recomputed during an effect's dirty check writes a signal the
/// effect read: the check ends (the computed's value is equal), and the
/// effect must still hear later writes of that signal.
#[test]
fn an_effect_checked_while_a_computed_writes_its_signal_keeps_running() {
    let s = Signal::new(0i64);
    let t = Signal::new(0i64);
    let c = Computed::new(move || {
        s.set(t.get());
        0i64
    });
    let seen = record(move || (s.get(), c.get()));
    t.set(5);
    s.set(100);
    assert_eq!(s.get(), 100);
    assert_eq!(values(&seen).last(), Some(&(100, 0)), "{:?}", values(&seen));
    s.set(200);
    assert_eq!(values(&seen).last(), Some(&(200, 0)), "{:?}", values(&seen));
}

/// An effect whose run stops reading `s` and writes it instead: the write
/// reaches it through its previous run's edge, but it read no `s` in this
/// run, so it does not run again.
#[test]
fn an_effect_that_stops_reading_a_signal_and_writes_it_does_not_rerun() {
    let s = Signal::new(0i64);
    let writing = Signal::new(false);
    let runs = Counter::default();
    let r = runs.clone();
    let _seen = record(move || {
        r.hit();
        if writing.get() {
            s.set(1);
        } else {
            s.get();
        }
    });
    assert_eq!(runs.get(), 1);
    writing.set(true);
    assert_eq!(runs.get(), 2, "one run for the change of `writing`");
    s.set(2);
    assert_eq!(runs.get(), 2, "no longer a dependency");
}

/// The same with a computed: after the run that wrote `s`, it stays cached.
#[test]
fn a_computed_that_stops_reading_a_signal_and_writes_it_stays_cached() {
    let s = Signal::new(0i64);
    let writing = Signal::new(false);
    let evals = Counter::default();
    let c = counted(&evals, move || {
        if writing.get() {
            s.set(1);
        } else {
            s.get();
        }
        0i64
    });
    assert_eq!(c.get(), 0);
    assert_eq!(evals.get(), 1);
    writing.set(true);
    assert_eq!(c.get(), 0);
    assert_eq!(evals.get(), 2);
    assert_eq!(c.get(), 0);
    assert_eq!(
        evals.get(),
        2,
        "a second read without a change does not re-run"
    );
}

/// A computed read at top level writes a signal that an effect reads: the
/// effect runs once the computed is done, not in the middle of its run
/// (where reading the computed would look like a cycle).
#[test]
fn an_effect_reached_by_a_computed_s_write_runs_after_the_computed() {
    let s = Signal::new(0i64);
    let t = Signal::new(0i64);
    let c = Computed::new(move || {
        s.set(t.get());
        t.get() * 10
    });
    // Reads `c` only once `s` is positive: until then `c` is unobserved.
    let seen = record(move || {
        let v = s.get();
        (v, if v > 0 { c.get() } else { -1 })
    });
    t.set(3);
    assert_eq!(c.get(), 30);
    assert_eq!(s.get(), 3);
    assert_eq!(values(&seen), [(0, -1), (3, 30)]);
    // Observed now: a write of `t` re-runs `c` inside the flush.
    t.set(4);
    assert_eq!(values(&seen).last(), Some(&(4, 40)), "{:?}", values(&seen));
}

/// A computed whose run writes a signal it has already read in that run:
/// its subscribers still hear later changes.
#[test]
fn a_computed_that_writes_a_signal_it_read_still_propagates() {
    let s = Signal::new(1i64);
    let c = Computed::new(move || {
        let v = s.get();
        s.set(v);
        v
    });
    let d = Computed::new(move || s.get() + c.get());
    let seen = record(move || d.get());
    s.set(5);
    assert_eq!(d.get(), 10);
    s.set(7);
    assert_eq!(d.get(), 14);
    assert_eq!(values(&seen).last(), Some(&14), "{:?}", values(&seen));
}

/// An effect reads `w`, then a computed that writes `w` when it runs. A write
/// of the computed's source makes the effect's check run the computed, which
/// writes `w` after the check has passed it; the computed's own value is
/// unchanged, so only a second look at the effect's sources finds the new `w`.
#[test]
fn a_check_sees_a_write_made_by_a_computed_it_ran() {
    let t = Signal::new(0i64);
    let w = Signal::new(0i64);
    let c = Computed::new(move || {
        w.set(t.get());
        t.get() % 2
    });
    let seen = record(move || (w.get(), c.get()));
    t.set(1);
    assert_eq!(values(&seen).last(), Some(&(1, 1)));
    t.set(3);
    assert_eq!(
        values(&seen).last(),
        Some(&(3, 1)),
        "the effect must see the computed's write"
    );
}

/// A computed reads `t`, then a computed that writes `t` when it runs: the
/// reader's value comes out of its run stale (it read `t` before the write),
/// and the read that pulled it runs it again, so the effect sees the value
/// that holds once the write is in.
#[test]
fn a_read_reruns_a_computed_that_came_out_of_its_run_stale() {
    let s = Signal::new(0i64);
    let t = Signal::new(-1i64);
    let writer = Computed::new(move || {
        t.set(s.get());
        s.get()
    });
    let reader = Computed::new(move || t.get() + writer.get());
    let seen = record(move || reader.get());
    assert_eq!(values(&seen).last(), Some(&0), "{:?}", values(&seen));
    s.set(2);
    assert_eq!(values(&seen).last(), Some(&4), "{:?}", values(&seen));
    assert_eq!(reader.get(), 4);
}

/// A computed that writes a signal it read does not hear its own write: it
/// runs once per change of its source, not again for the write it made.
#[test]
fn a_computed_does_not_rerun_for_its_own_write() {
    let s = Signal::new(1i64);
    let runs = Counter::default();
    let c = counted(&runs, move || {
        let v = s.get();
        s.set(v);
        v
    });
    let seen = record(move || c.get());
    assert_eq!(runs.get(), 1);
    s.set(2);
    assert_eq!(runs.get(), 2);
    assert_eq!(values(&seen), vec![1, 2]);
    assert_eq!(c.get(), 2);
    assert_eq!(runs.get(), 2);
}

/// Writes that never settle: `a` reads `s` and writes `r = s + 1`, then
/// reads `b`, which reads `r` and writes `s = r`. `a` comes out of each run
/// stale (`s` moved on), so a read runs it again, a bounded number of times
/// (8), and then takes the value as it is, leaving the write announced: the
/// next read starts again from there.
#[test]
fn writes_that_never_settle_are_followed_a_bounded_number_of_times() {
    let s = Signal::new(0i64);
    let r = Signal::new(0i64);
    let b = Computed::new(move || {
        let v = r.get();
        s.set(v);
        v
    });
    let a_runs = Counter::default();
    let a = counted(&a_runs, move || {
        let v = s.get();
        r.set(v + 1);
        v + b.get()
    });
    let first = a.get();
    // The first run, then 8 more: each finds the write of the one before.
    assert_eq!(a_runs.get(), 9);
    // The ninth run read s = 8 and b = 9.
    assert_eq!(first, 17);
    assert_eq!(s.get(), 9);
    // The last write is still announced: the next read runs `a` again.
    let second = a.get();
    assert_eq!(a_runs.get(), 18);
    assert_eq!(second, 35);
}

/// A computed's own write still reaches it through another node it read:
/// `a` reads `b` (which reads `u`), then writes `u`. `b` is stale, so `a` is,
/// and the read runs `a` again, which now sees the new `b` and writes the
/// same `u` (no change): settled.
#[test]
fn a_computed_hears_its_own_write_through_a_node_it_read() {
    let u = Signal::new(0i64);
    let src = Signal::new(1i64);
    let b = Computed::new(move || u.get() * 10);
    let runs = Counter::default();
    let a = counted(&runs, move || {
        let v = b.get();
        u.set_if_changed(src.get());
        v
    });
    assert_eq!(a.get(), 10);
    assert_eq!(runs.get(), 2);
    src.set(2);
    assert_eq!(a.get(), 20);
    assert_eq!(runs.get(), 4);
}

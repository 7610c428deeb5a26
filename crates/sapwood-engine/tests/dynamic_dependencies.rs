//! Dynamic dependencies: a computed or effect depends on exactly what it read
//! in its latest run. Sources no longer read stop triggering it; sources read
//! for the first time start triggering it.

use sapwood_engine::{batch, Signal};

mod common;
use common::*;

#[test]
fn effect_with_conditional_read_follows_the_active_branch() {
    let use_a = Signal::new(true);
    let a = Signal::new(1i64);
    let b = Signal::new(100i64);
    let seen = record(move || if use_a.get() { a.get() } else { b.get() });
    assert_eq!(values(&seen), vec![1]);

    // Only `a` is read: writes to `b` are ignored.
    b.set(101);
    b.set(102);
    assert_eq!(values(&seen), vec![1]);
    a.set(2);
    assert_eq!(values(&seen), vec![1, 2]);

    // Switch branches: now only `b` is read.
    use_a.set(false);
    assert_eq!(values(&seen), vec![1, 2, 102]);
    a.set(3);
    a.set(4);
    assert_eq!(values(&seen), vec![1, 2, 102]);
    b.set(103);
    assert_eq!(values(&seen), vec![1, 2, 102, 103]);

    // And back.
    use_a.set(true);
    assert_eq!(values(&seen), vec![1, 2, 102, 103, 4]);
    b.set(104);
    assert_eq!(values(&seen), vec![1, 2, 102, 103, 4]);
}

#[test]
fn observed_computed_with_conditional_read_follows_the_active_branch() {
    let use_a = Signal::new(true);
    let a = Signal::new(1i64);
    let b = Signal::new(100i64);
    let evals = Counter::default();
    let pick = counted(&evals, move || if use_a.get() { a.get() } else { b.get() });
    let seen = record(move || pick.get());
    assert_eq!((evals.get(), values(&seen)), (1, vec![1]));

    b.set(101);
    assert_eq!((evals.get(), values(&seen)), (1, vec![1]));

    use_a.set(false);
    assert_eq!((evals.get(), values(&seen)), (2, vec![1, 101]));

    a.set(2);
    assert_eq!((evals.get(), values(&seen)), (2, vec![1, 101]));

    b.set(102);
    assert_eq!((evals.get(), values(&seen)), (3, vec![1, 101, 102]));
}

#[test]
fn unobserved_computed_is_not_recomputed_for_a_source_it_stopped_reading() {
    let use_a = Signal::new(true);
    let a = Signal::new(1i64);
    let b = Signal::new(100i64);
    let evals = Counter::default();
    let pick = counted(&evals, move || if use_a.get() { a.get() } else { b.get() });

    assert_eq!(pick.get(), 1);
    b.set(101);
    assert_eq!(pick.get(), 1);
    assert_eq!(evals.get(), 1);

    use_a.set(false);
    assert_eq!(pick.get(), 101);
    assert_eq!(evals.get(), 2);

    a.set(2);
    assert_eq!(pick.get(), 101);
    assert_eq!(evals.get(), 2);

    b.set(5);
    assert_eq!(pick.get(), 5);
    assert_eq!(evals.get(), 3);
}

#[test]
fn effect_that_stops_reading_a_computed_no_longer_evaluates_it() {
    let show = Signal::new(true);
    let source = Signal::new(1i64);
    let evals = Counter::default();
    let doubled = counted(&evals, move || source.get() * 2);
    let seen = record(move || if show.get() { doubled.get() } else { -1 });
    assert_eq!((evals.get(), values(&seen)), (1, vec![2]));

    source.set(2);
    assert_eq!((evals.get(), values(&seen)), (2, vec![2, 4]));

    show.set(false);
    assert_eq!(values(&seen), vec![2, 4, -1]);

    // Nobody reads `doubled` any more: writes to its source neither re-run
    // the effect nor evaluate the (now unobserved, lazy) computed.
    source.set(3);
    source.set(4);
    assert_eq!((evals.get(), values(&seen)), (2, vec![2, 4, -1]));

    show.set(true);
    assert_eq!((evals.get(), values(&seen)), (3, vec![2, 4, -1, 8]));
    source.set(5);
    assert_eq!((evals.get(), values(&seen)), (4, vec![2, 4, -1, 8, 10]));
}

#[test]
fn effect_starts_reacting_to_newly_read_sources() {
    let signals: Vec<Signal<i64>> = (1..=5).map(Signal::new).collect();
    let count = Signal::new(1usize);
    let seen = record({
        let signals = signals.clone();
        move || signals[..count.get()].iter().map(|s| s.get()).sum::<i64>()
    });
    assert_eq!(values(&seen), vec![1]);

    signals[3].set(40);
    assert_eq!(values(&seen), vec![1]);

    count.set(4);
    assert_eq!(values(&seen), vec![1, 1 + 2 + 3 + 40]);

    signals[3].set(4);
    assert_eq!(values(&seen), vec![1, 46, 10]);
    signals[1].set(20);
    assert_eq!(values(&seen), vec![1, 46, 10, 28]);

    // signals[4] is still not read.
    signals[4].set(500);
    assert_eq!(values(&seen), vec![1, 46, 10, 28]);

    count.set(2);
    assert_eq!(values(&seen), vec![1, 46, 10, 28, 21]);
    signals[2].set(300);
    signals[3].set(400);
    assert_eq!(values(&seen), vec![1, 46, 10, 28, 21]);
}

#[test]
fn computed_starts_reacting_to_newly_read_sources() {
    let enabled = Signal::new(false);
    let extra = Signal::new(10i64);
    let base = Signal::new(1i64);
    let evals = Counter::default();
    let total = counted(&evals, move || {
        if enabled.get() {
            base.get() + extra.get()
        } else {
            base.get()
        }
    });
    let seen = record(move || total.get());

    extra.set(20);
    assert_eq!((evals.get(), values(&seen)), (1, vec![1]));

    enabled.set(true);
    assert_eq!((evals.get(), values(&seen)), (2, vec![1, 21]));

    extra.set(30);
    assert_eq!((evals.get(), values(&seen)), (3, vec![1, 21, 31]));
}

#[test]
fn effect_switching_between_computeds_only_keeps_the_read_one_alive() {
    let left = Signal::new(true);
    let x = Signal::new(1i64);
    let y = Signal::new(2i64);
    let (nx, ny) = (Counter::default(), Counter::default());
    let cx = counted(&nx, move || x.get() * 10);
    let cy = counted(&ny, move || y.get() * 100);
    let seen = record(move || if left.get() { cx.get() } else { cy.get() });
    assert_eq!((nx.get(), ny.get()), (1, 0));

    y.set(3);
    assert_eq!((nx.get(), ny.get()), (1, 0));

    left.set(false);
    assert_eq!((nx.get(), ny.get()), (1, 1));
    assert_eq!(values(&seen), vec![10, 300]);

    x.set(5);
    assert_eq!((nx.get(), ny.get()), (1, 1));
    assert_eq!(values(&seen), vec![10, 300]);

    y.set(4);
    assert_eq!((nx.get(), ny.get()), (1, 2));
    assert_eq!(values(&seen), vec![10, 300, 400]);
}

#[test]
fn reading_the_same_signal_many_times_still_runs_once_per_change() {
    let a = Signal::new(2i64);
    let evals = Counter::default();
    let cube = counted(&evals, move || a.get() * a.get() * a.get());
    let seen = record(move || a.get() + a.get() + cube.get());

    a.set(3);
    assert_eq!(values(&seen), vec![12, 33]);
    assert_eq!(evals.get(), 2);
}

#[test]
fn dependencies_are_those_of_the_latest_run_even_when_read_order_changes() {
    let flip = Signal::new(false);
    let a = Signal::new(1i64);
    let b = Signal::new(2i64);
    let c = Signal::new(3i64);
    let seen = record(move || {
        if flip.get() {
            c.get() * 100 + a.get()
        } else {
            a.get() * 100 + b.get()
        }
    });
    assert_eq!(values(&seen), vec![102]);

    flip.set(true);
    assert_eq!(values(&seen), vec![102, 301]);
    b.set(9);
    assert_eq!(values(&seen), vec![102, 301]);
    a.set(4);
    c.set(5);
    assert_eq!(values(&seen), vec![102, 301, 304, 504]);

    flip.set(false);
    assert_eq!(values(&seen), vec![102, 301, 304, 504, 409]);
    c.set(6);
    assert_eq!(values(&seen), vec![102, 301, 304, 504, 409]);
}

#[test]
fn batch_changing_condition_and_both_branches_runs_once_with_new_branch() {
    let use_a = Signal::new(true);
    let a = Signal::new(1i64);
    let b = Signal::new(2i64);
    let seen = record(move || if use_a.get() { a.get() } else { b.get() });

    batch(|| {
        a.set(10);
        b.set(20);
        use_a.set(false);
    });
    assert_eq!(values(&seen), vec![1, 20]);
    a.set(11);
    assert_eq!(values(&seen), vec![1, 20]);
}

#[test]
fn alternating_reads_with_nested_runs_in_between_track_every_source_read() {
    // `x` reads `a` and `b` in turn, three times each, with a computed that
    // must recompute (a nested run, which tracks its own reads) between them;
    // which of `c` and `d` it reads depends on `pick`.
    let pick = Signal::new(true);
    let (a, b) = (Signal::new(1i64), Signal::new(10i64));
    let (c, d) = (Signal::new(100i64), Signal::new(1000i64));
    let inner = sapwood_engine::Computed::new(move || a.get() * 2);
    let seen = record(move || {
        let mut sum = 0;
        for _ in 0..3 {
            sum += a.get() + inner.get() + b.get();
            sum += if pick.get() { c.get() } else { d.get() };
        }
        sum
    });
    let expect = |a: i64, b: i64, cd: i64| 3 * (a + 2 * a + b + cd);
    assert_eq!(values(&seen), vec![expect(1, 10, 100)]);
    a.set(2);
    b.set(20);
    c.set(200);
    assert_eq!(
        values(&seen),
        vec![
            expect(1, 10, 100),
            expect(2, 10, 100),
            expect(2, 20, 100),
            expect(2, 20, 200)
        ]
    );
    // Switch to `d`: `c` is no longer a dependency, `d` is.
    pick.set(false);
    c.set(300);
    d.set(2000);
    a.set(3);
    assert_eq!(
        values(&seen)[4..],
        [
            expect(2, 20, 1000),
            expect(2, 20, 2000),
            expect(3, 20, 2000)
        ]
    );
}

//! Effect ordering: outer effects run before inner ones (and an inner effect
//! is disposed and recreated when its outer effect re-runs); sibling effects
//! run in creation order whatever path the change took to reach them.

use std::cell::RefCell;
use std::rc::Rc;

use sapwood_engine::{batch, on_cleanup, Computed, Effect, Scope, Signal};

type Log = Rc<RefCell<Vec<String>>>;

fn push(log: &Log, entry: impl Into<String>) {
    log.borrow_mut().push(entry.into());
}

fn take(log: &Log) -> Vec<String> {
    std::mem::take(&mut *log.borrow_mut())
}

/// An effect that logs `name` each time it runs, after calling `read`.
fn logging_effect(log: &Log, name: &'static str, mut read: impl FnMut() + 'static) -> Effect {
    let log = log.clone();
    Effect::new(move || {
        read();
        push(&log, name);
    })
}

#[test]
fn sibling_reading_through_a_computed_still_runs_first_when_created_first() {
    let s = Signal::new(0i64);
    let c = Computed::new(move || s.get() + 1);
    let log: Log = Rc::default();
    let _a = logging_effect(&log, "A", move || {
        let _ = c.get();
    });
    let _b = logging_effect(&log, "B", move || {
        let _ = s.get();
    });
    assert_eq!(take(&log), ["A", "B"]);

    s.set(1);
    assert_eq!(take(&log), ["A", "B"]);
    s.set(2);
    assert_eq!(take(&log), ["A", "B"]);
}

#[test]
fn sibling_reading_through_a_computed_runs_after_when_created_after() {
    let s = Signal::new(0i64);
    let c = Computed::new(move || s.get() + 1);
    let log: Log = Rc::default();
    let _a = logging_effect(&log, "A", move || {
        let _ = s.get();
    });
    let _b = logging_effect(&log, "B", move || {
        let _ = c.get();
    });
    take(&log);

    s.set(1);
    assert_eq!(take(&log), ["A", "B"]);
}

#[test]
fn siblings_run_in_creation_order_across_paths_of_different_depth() {
    let s = Signal::new(0i64);
    let mut deep = Computed::new(move || s.get());
    for _ in 0..5 {
        let prev = deep;
        deep = Computed::new(move || prev.get() + 1);
    }
    let shallow = Computed::new(move || s.get() * 2);
    let log: Log = Rc::default();
    let _a = logging_effect(&log, "A", move || {
        let _ = deep.get();
    });
    let _b = logging_effect(&log, "B", move || {
        let _ = s.get();
    });
    let _c = logging_effect(&log, "C", move || {
        let _ = shallow.get();
    });
    let _d = logging_effect(&log, "D", move || {
        let _ = s.get();
        let _ = deep.get();
    });
    take(&log);

    s.set(1);
    assert_eq!(take(&log), ["A", "B", "C", "D"]);
}

#[test]
fn siblings_run_in_creation_order_when_signals_change_in_reverse_order() {
    let x = Signal::new(0i64);
    let y = Signal::new(0i64);
    let z = Signal::new(0i64);
    let log: Log = Rc::default();
    let _a = logging_effect(&log, "A", move || {
        let _ = x.get();
    });
    let _b = logging_effect(&log, "B", move || {
        let _ = y.get();
    });
    let _c = logging_effect(&log, "C", move || {
        let _ = z.get();
    });
    take(&log);

    batch(|| {
        z.set(1);
        y.set(1);
        x.set(1);
    });
    assert_eq!(take(&log), ["A", "B", "C"]);
}

#[test]
fn siblings_subscribed_to_a_signal_in_reverse_order_run_in_creation_order() {
    // A subscribes to `s` after B once A re-runs because of `t`.
    let s = Signal::new(0i64);
    let t = Signal::new(0i64);
    let log: Log = Rc::default();
    let _a = logging_effect(&log, "A", move || {
        let _ = t.get();
        let _ = s.get();
    });
    let _b = logging_effect(&log, "B", move || {
        let _ = s.get();
    });
    take(&log);

    t.set(1);
    assert_eq!(take(&log), ["A"]);
    s.set(1);
    assert_eq!(take(&log), ["A", "B"]);
}

#[test]
fn sibling_that_started_reading_a_signal_late_still_runs_in_creation_order() {
    let s = Signal::new(0i64);
    let gate = Signal::new(false);
    let log: Log = Rc::default();
    let _a = logging_effect(&log, "A", move || {
        if gate.get() {
            let _ = s.get();
        }
    });
    let _b = logging_effect(&log, "B", move || {
        let _ = s.get();
    });
    gate.set(true);
    take(&log);

    s.set(1);
    assert_eq!(take(&log), ["A", "B"]);
}

#[test]
fn nested_effect_runs_after_its_outer_effect_at_creation() {
    let log: Log = Rc::default();
    let _outer = Effect::new({
        let log = log.clone();
        move || {
            push(&log, "outer start");
            let _inner = logging_effect(&log, "inner", || {});
            push(&log, "outer end");
        }
    });
    // The inner effect runs at once when created.
    assert_eq!(take(&log), ["outer start", "inner", "outer end"]);
}

#[test]
fn outer_rerun_disposes_and_recreates_inner_effect() {
    let s = Signal::new(0i64);
    let log: Log = Rc::default();
    let generation = Rc::new(std::cell::Cell::new(0));
    let _outer = Effect::new({
        let (log, generation) = (log.clone(), generation.clone());
        move || {
            let v = s.get();
            generation.set(generation.get() + 1);
            let g = generation.get();
            push(&log, format!("outer {v}"));
            let log = log.clone();
            let _inner = Effect::new(move || {
                let v = s.get();
                push(&log, format!("inner#{g} {v}"));
                let log = log.clone();
                on_cleanup(move || push(&log, format!("cleanup inner#{g}")));
            });
        }
    });
    assert_eq!(take(&log), ["outer 0", "inner#1 0"]);

    s.set(1);
    assert_eq!(
        take(&log),
        ["cleanup inner#1", "outer 1", "inner#2 1"],
        "the old inner must be disposed before the outer re-runs and must not run again"
    );

    s.set(2);
    assert_eq!(take(&log), ["cleanup inner#2", "outer 2", "inner#3 2"]);
}

#[test]
fn outer_reading_through_a_computed_still_runs_before_inner() {
    let s = Signal::new(0i64);
    let c = Computed::new(move || s.get() * 10);
    let log: Log = Rc::default();
    let _outer = Effect::new({
        let log = log.clone();
        move || {
            let v = c.get();
            push(&log, format!("outer {v}"));
            let log = log.clone();
            let _inner = Effect::new(move || {
                let v = s.get();
                push(&log, format!("inner {v}"));
            });
        }
    });
    take(&log);

    s.set(1);
    assert_eq!(take(&log), ["outer 10", "inner 1"]);
}

#[test]
fn inner_effect_reruns_alone_for_its_own_dependencies() {
    let outer_source = Signal::new(0i64);
    let inner_source = Signal::new(0i64);
    let log: Log = Rc::default();
    let _outer = Effect::new({
        let log = log.clone();
        move || {
            let v = outer_source.get();
            push(&log, format!("outer {v}"));
            let log = log.clone();
            let _inner = Effect::new(move || {
                let w = inner_source.get();
                push(&log, format!("inner {v}/{w}"));
            });
        }
    });
    take(&log);

    inner_source.set(1);
    assert_eq!(take(&log), ["inner 0/1"]);
    inner_source.set(2);
    assert_eq!(take(&log), ["inner 0/2"]);

    outer_source.set(1);
    assert_eq!(take(&log), ["outer 1", "inner 1/2"]);
}

#[test]
fn batch_changing_outer_and_inner_sources_runs_only_the_new_inner() {
    let outer_source = Signal::new(0i64);
    let inner_source = Signal::new(0i64);
    let log: Log = Rc::default();
    let _outer = Effect::new({
        let log = log.clone();
        move || {
            let v = outer_source.get();
            push(&log, format!("outer {v}"));
            let log = log.clone();
            let _inner = Effect::new(move || {
                let w = inner_source.get();
                push(&log, format!("inner {v}/{w}"));
            });
        }
    });
    take(&log);

    batch(|| {
        inner_source.set(5);
        outer_source.set(1);
    });
    assert_eq!(take(&log), ["outer 1", "inner 1/5"]);
}

#[test]
fn inner_siblings_run_in_creation_order() {
    let s = Signal::new(0i64);
    let c = Computed::new(move || s.get() + 1);
    let gate = Signal::new(0i64);
    let log: Log = Rc::default();
    let _outer = Effect::new({
        let log = log.clone();
        move || {
            let _ = gate.get();
            let _first = logging_effect(&log, "first", move || {
                let _ = c.get();
            });
            let _second = logging_effect(&log, "second", move || {
                let _ = s.get();
            });
        }
    });
    assert_eq!(take(&log), ["first", "second"]);
    s.set(1);
    assert_eq!(take(&log), ["first", "second"]);
}

#[test]
fn outer_effects_and_their_children_run_before_later_siblings() {
    let s = Signal::new(0i64);
    let log: Log = Rc::default();
    let _a = Effect::new({
        let log = log.clone();
        move || {
            let _ = s.get();
            push(&log, "A");
            let _a1 = logging_effect(&log, "A1", move || {
                let _ = s.get();
            });
        }
    });
    let _b = logging_effect(&log, "B", move || {
        let _ = s.get();
    });
    assert_eq!(take(&log), ["A", "A1", "B"]);
    s.set(1);
    assert_eq!(take(&log), ["A", "A1", "B"]);
}

#[test]
fn hundreds_of_siblings_reached_in_scrambled_order_run_in_creation_order() {
    // 300 sibling effects (a queue long enough to be sorted in bulk) with gaps
    // between their creation numbers (scopes made in between), reading seven
    // signals through chains of 0 to 3 computeds. A batch writing all seven
    // reaches them source by source, each source's subscribers newest first.
    let signals: Vec<Signal<i64>> = (0..7).map(Signal::new).collect();
    let log: Rc<RefCell<Vec<usize>>> = Rc::default();
    let mut effects = Vec::new();
    for i in 0..300 {
        for _ in 0..(i * 37) % 100 {
            Scope::new(|| {});
        }
        let source = signals[(i * 5) % 7];
        let mut read: Rc<dyn Fn() -> i64> = Rc::new(move || source.get());
        for _ in 0..i % 4 {
            let inner = read.clone();
            let c = Computed::new(move || inner() + 1);
            read = Rc::new(move || c.get());
        }
        let log = log.clone();
        effects.push(Effect::new(move || {
            read();
            log.borrow_mut().push(i);
        }));
    }
    let created: Vec<usize> = (0..300).collect();
    assert_eq!(std::mem::take(&mut *log.borrow_mut()), created);
    batch(|| {
        for s in &signals {
            s.set(s.get_untracked() + 1);
        }
    });
    assert_eq!(std::mem::take(&mut *log.borrow_mut()), created);
    // Disposing some of them leaves the others in order.
    for e in effects.iter().step_by(3) {
        e.dispose();
    }
    batch(|| {
        for s in signals.iter().rev() {
            s.set(s.get_untracked() + 1);
        }
    });
    let rest: Vec<usize> = (0..300).filter(|i| i % 3 != 0).collect();
    assert_eq!(std::mem::take(&mut *log.borrow_mut()), rest);
}

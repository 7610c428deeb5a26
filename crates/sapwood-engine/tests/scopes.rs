//! Scopes: a scope owns every node created inside it (signals, computeds,
//! effects, nested scopes); disposing it disposes them all, last-created
//! first, and runs their cleanups. `Scope::run` adds nodes to a scope.

use std::cell::{Cell, RefCell};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::rc::Rc;

use sapwood_engine::{on_cleanup, Computed, Effect, Error, NodeKind, Scope, Signal};

mod common;
use common::*;

/// An effect that only registers a cleanup logging `name`.
fn effect_with_cleanup(log: &Log, name: &'static str) -> Effect {
    let log = log.clone();
    Effect::new(move || {
        let log = log.clone();
        on_cleanup(move || push(&log, name));
    })
}

#[test]
fn scope_runs_its_closure_at_once() {
    let ran = Cell::new(false);
    let scope = Scope::new(|| ran.set(true));
    assert!(ran.get());
    assert!(!scope.is_disposed());
}

#[test]
fn dispose_disposes_every_kind_of_owned_node() {
    let outside = Signal::new(0i64);
    let mut owned = None;
    let scope = Scope::new(|| {
        let signal = Signal::new(1i64);
        let computed = Computed::new(move || signal.get() + outside.get());
        let effect = Effect::new(move || {
            let _ = computed.get();
        });
        let nested = Scope::new(|| {});
        owned = Some((signal, computed, effect, nested));
    });
    let (signal, computed, effect, nested) = owned.expect("scope closure ran");
    assert!(!signal.is_disposed());
    assert!(!computed.is_disposed());
    assert!(!effect.is_disposed());
    assert!(!nested.is_disposed());
    assert_eq!(computed.get(), 1);

    scope.dispose();
    assert!(scope.is_disposed());
    assert!(signal.is_disposed());
    assert!(computed.is_disposed());
    assert!(effect.is_disposed());
    assert!(nested.is_disposed());
    assert!(matches!(
        signal.try_get(),
        Err(Error::Disposed {
            kind: NodeKind::Signal,
            ..
        })
    ));
    assert!(matches!(
        computed.try_get(),
        Err(Error::Disposed {
            kind: NodeKind::Computed,
            ..
        })
    ));

    // Nodes created outside the scope are untouched.
    assert!(!outside.is_disposed());
    outside.set(5);
    assert_eq!(outside.get(), 5);
}

#[test]
fn disposed_effect_in_a_scope_never_runs_again() {
    let outside = Signal::new(0i64);
    let runs = Counter::default();
    let scope = Scope::new(|| {
        let runs = runs.clone();
        let _effect = Effect::new(move || {
            let _ = outside.get();
            runs.hit();
        });
    });
    outside.set(1);
    assert_eq!(runs.get(), 2);

    scope.dispose();
    outside.set(2);
    outside.set(3);
    assert_eq!(runs.get(), 2);
}

#[test]
fn dispose_runs_cleanups_of_owned_effects_and_computeds_once() {
    let outside = Signal::new(0i64);
    let log: Log = Rc::default();
    let mut computed = None;
    let scope = Scope::new(|| {
        let _effect = effect_with_cleanup(&log, "effect");
        let log = log.clone();
        let c = Computed::new(move || {
            let log = log.clone();
            on_cleanup(move || push(&log, "computed"));
            outside.get()
        });
        computed = Some(c);
    });
    let computed = computed.expect("scope closure ran");
    assert_eq!(computed.get(), 0);
    assert!(take(&log).is_empty());

    scope.dispose();
    let mut cleaned = take(&log);
    cleaned.sort();
    assert_eq!(cleaned, ["computed", "effect"]);
    outside.set(1);
    assert!(take(&log).is_empty());
}

#[test]
fn dispose_goes_last_created_first() {
    let log: Log = Rc::default();
    let scope = Scope::new(|| {
        let _a = effect_with_cleanup(&log, "a");
        let _b = effect_with_cleanup(&log, "b");
        let _c = effect_with_cleanup(&log, "c");
    });
    scope.dispose();
    assert_eq!(take(&log), ["c", "b", "a"]);
}

#[test]
fn dispose_goes_last_created_first_through_nested_scopes() {
    let log: Log = Rc::default();
    let scope = Scope::new(|| {
        let _a = effect_with_cleanup(&log, "a");
        let _inner = Scope::new(|| {
            let _b1 = effect_with_cleanup(&log, "b1");
            let _b2 = effect_with_cleanup(&log, "b2");
        });
        let _c = effect_with_cleanup(&log, "c");
    });
    assert!(take(&log).is_empty());
    scope.dispose();
    assert_eq!(take(&log), ["c", "b2", "b1", "a"]);
}

#[test]
fn dispose_goes_last_created_first_through_nested_effects() {
    let log: Log = Rc::default();
    let scope = Scope::new(|| {
        let _a = effect_with_cleanup(&log, "a");
        let _b = Effect::new({
            let log = log.clone();
            move || {
                {
                    let log = log.clone();
                    on_cleanup(move || push(&log, "b"));
                }
                let _b1 = effect_with_cleanup(&log, "b1");
                let _b2 = effect_with_cleanup(&log, "b2");
            }
        });
        let _c = effect_with_cleanup(&log, "c");
    });
    scope.dispose();
    // b1 and b2 were created after b (during its run): they go first.
    assert_eq!(take(&log), ["c", "b2", "b1", "b", "a"]);
}

#[test]
fn scope_on_cleanup_runs_on_dispose_only() {
    let ran = Counter::default();
    let s = Signal::new(0i64);
    let scope = Scope::new(|| {
        let ran = ran.clone();
        on_cleanup(move || ran.hit());
        let _ = s.get();
    });
    s.set(1);
    assert_eq!(ran.get(), 0);
    scope.dispose();
    assert_eq!(ran.get(), 1);
    s.set(2);
    assert_eq!(ran.get(), 1);
}

#[test]
fn scope_cleanup_reading_a_signal_does_not_subscribe_the_disposer() {
    let read_in_cleanup = Signal::new(0i64);
    let scope = Scope::new(|| {
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
                scope.dispose();
            }
        }
    });
    kill.set(true);
    assert!(scope.is_disposed());
    assert_eq!(runs.get(), 2);
    read_in_cleanup.set(1);
    assert_eq!(runs.get(), 2);
}

#[test]
fn run_adds_nodes_to_the_scope_and_returns_the_value() {
    let log: Log = Rc::default();
    let scope = Scope::new(|| {
        let _first = effect_with_cleanup(&log, "first");
    });
    let signal = scope.run(|| Signal::new(3i64));
    let doubled = scope.run(|| Computed::new(move || signal.get() * 2));
    let _later = scope.run(|| effect_with_cleanup(&log, "later"));
    let answer = scope.run(|| 42);
    assert_eq!(answer, 42);
    assert_eq!(doubled.get(), 6);

    scope.dispose();
    assert!(signal.is_disposed());
    assert!(doubled.is_disposed());
    assert_eq!(take(&log), ["later", "first"]);
}

#[test]
fn run_registers_cleanups_on_the_scope() {
    let ran = Counter::default();
    let scope = Scope::new(|| {});
    scope.run(|| {
        let ran = ran.clone();
        on_cleanup(move || ran.hit());
    });
    assert_eq!(ran.get(), 0);
    scope.dispose();
    assert_eq!(ran.get(), 1);
}

#[test]
fn run_on_a_disposed_scope_panics() {
    let scope = Scope::new(|| {});
    scope.dispose();
    let result = catch_unwind(AssertUnwindSafe(|| scope.run(|| 1)));
    assert!(result.is_err(), "run on a disposed scope must panic");
}

#[test]
fn nodes_created_after_run_returns_are_not_owned_by_the_scope() {
    let scope = Scope::new(|| {});
    let inside = scope.run(|| Signal::new(1i64));
    let outside = Signal::new(2i64);
    scope.dispose();
    assert!(inside.is_disposed());
    assert!(!outside.is_disposed());
    assert_eq!(outside.get(), 2);
}

#[test]
fn disposing_a_nested_scope_leaves_its_parent_alive() {
    let log: Log = Rc::default();
    let mut inner = None;
    let mut parent_signal = None;
    let outer = Scope::new(|| {
        parent_signal = Some(Signal::new(1i64));
        let _a = effect_with_cleanup(&log, "outer effect");
        inner = Some(Scope::new(|| {
            let _b = effect_with_cleanup(&log, "inner effect");
        }));
    });
    let (inner, parent_signal) = (inner.unwrap(), parent_signal.unwrap());

    inner.dispose();
    assert!(inner.is_disposed());
    assert!(!outer.is_disposed());
    assert!(!parent_signal.is_disposed());
    assert_eq!(take(&log), ["inner effect"]);

    outer.dispose();
    assert!(parent_signal.is_disposed());
    assert_eq!(take(&log), ["outer effect"]);
}

#[test]
fn effect_in_a_scope_reacts_normally_until_disposed() {
    let source = Signal::new(1i64);
    let seen = Rc::new(RefCell::new(Vec::new()));
    let scope = Scope::new(|| {
        let doubled = Computed::new(move || source.get() * 2);
        let seen = seen.clone();
        let _effect = Effect::new(move || seen.borrow_mut().push(doubled.get()));
    });
    source.set(2);
    source.set(3);
    scope.dispose();
    source.set(4);
    assert_eq!(*seen.borrow(), vec![2, 4, 6]);
}

#[test]
fn scopes_are_independent_of_each_other() {
    let (log_a, log_b): (Log, Log) = (Rc::default(), Rc::default());
    let a = Scope::new(|| {
        let _e = effect_with_cleanup(&log_a, "a");
    });
    let b = Scope::new(|| {
        let _e = effect_with_cleanup(&log_b, "b");
    });
    a.dispose();
    assert_eq!(take(&log_a), ["a"]);
    assert!(take(&log_b).is_empty());
    assert!(!b.is_disposed());
    b.dispose();
    assert_eq!(take(&log_b), ["b"]);
}

#[test]
fn scopes_filled_in_turn_each_dispose_only_their_own() {
    // Nodes and cleanups added to two scopes alternately, and to a third in
    // between: each scope's list must hold exactly its own, in order.
    let log: Log = Rc::default();
    let (a, b, c) = (Scope::new(|| {}), Scope::new(|| {}), Scope::new(|| {}));
    let mut signals = Vec::new();
    for i in 0..40 {
        let (scope, name) = match i % 5 {
            0 | 2 => (a, "a"),
            1 | 3 => (b, "b"),
            _ => (c, "c"),
        };
        signals.push((name, scope.run(|| Signal::new(i))));
        let (l, tag) = (log.clone(), format!("{name}{i}"));
        scope.run(|| on_cleanup(move || l.borrow_mut().push(tag)));
    }
    b.dispose();
    let b_cleanups: Vec<String> = (0..40)
        .rev()
        .filter(|i| matches!(i % 5, 1 | 3))
        .map(|i| format!("b{i}"))
        .collect();
    assert_eq!(*log.borrow(), b_cleanups, "b's cleanups, newest first");
    for (name, s) in &signals {
        assert_eq!(s.is_disposed(), *name == "b", "{name}");
    }
    log.borrow_mut().clear();
    // More for `a` after `b` is gone, then `a` and `c`.
    let late = a.run(|| Signal::new(99));
    a.dispose();
    assert!(late.is_disposed());
    assert_eq!(log.borrow().len(), 16);
    assert!(log.borrow().iter().all(|t| t.starts_with('a')));
    assert!(signals.iter().all(|(n, s)| s.is_disposed() == (*n != "c")));
    c.dispose();
    assert!(signals.iter().all(|(_, s)| s.is_disposed()));
    assert_eq!(log.borrow().len(), 24);
}

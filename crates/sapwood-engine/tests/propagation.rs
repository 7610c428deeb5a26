//! Propagation of changes through the graph: chains, diamonds, triangles,
//! wide fan-out and fan-in, and long runs of writes. Every node must be
//! evaluated at most once per change (glitch-free) and every value exact.

use std::cell::Cell;
use std::rc::Rc;

use sapwood_engine::{batch, Computed, Effect, Signal};

mod common;
use common::*;

#[test]
fn chain_of_computeds_propagates_each_write_to_effect() {
    let a = Signal::new(1i64);
    let (nb, nc, nd) = (Counter::default(), Counter::default(), Counter::default());
    let b = counted(&nb, move || a.get() + 1);
    let c = counted(&nc, move || b.get() * 10);
    let d = counted(&nd, move || c.get() - 3);
    let seen = record(move || d.get());

    assert_eq!(values(&seen), vec![17]);
    assert_eq!((nb.get(), nc.get(), nd.get()), (1, 1, 1));

    a.set(5);
    assert_eq!(values(&seen), vec![17, 57]);
    assert_eq!((nb.get(), nc.get(), nd.get()), (2, 2, 2));

    a.set(-1);
    assert_eq!(values(&seen), vec![17, 57, -3]);
    assert_eq!((nb.get(), nc.get(), nd.get()), (3, 3, 3));
}

#[test]
fn unobserved_chain_gives_fresh_value_on_read() {
    let a = Signal::new(2i64);
    let (nb, nc) = (Counter::default(), Counter::default());
    let b = counted(&nb, move || a.get() * a.get());
    let c = counted(&nc, move || b.get() + 1);

    assert_eq!(c.get(), 5);
    a.set(3);
    assert_eq!(c.get(), 10);
    assert_eq!((nb.get(), nc.get()), (2, 2));
    a.set(4);
    assert_eq!(b.get(), 16);
    assert_eq!(c.get(), 17);
    assert_eq!((nb.get(), nc.get()), (3, 3));
}

#[test]
fn diamond_evaluates_each_node_once_per_change() {
    let a = Signal::new(1i64);
    let (nb, nc, nd) = (Counter::default(), Counter::default(), Counter::default());
    let b = counted(&nb, move || a.get() * 2);
    let c = counted(&nc, move || a.get() * 3);
    let d = counted(&nd, move || b.get() + c.get());
    let seen = record(move || d.get());

    assert_eq!(values(&seen), vec![5]);
    assert_eq!((nb.get(), nc.get(), nd.get()), (1, 1, 1));

    a.set(2);
    assert_eq!(values(&seen), vec![5, 10]);
    assert_eq!((nb.get(), nc.get(), nd.get()), (2, 2, 2));

    a.set(10);
    assert_eq!(values(&seen), vec![5, 10, 50]);
    assert_eq!((nb.get(), nc.get(), nd.get()), (3, 3, 3));
}

#[test]
fn diamond_join_never_sees_inconsistent_inputs() {
    let a = Signal::new(1i64);
    let b = Computed::new(move || a.get() * 2);
    let c = Computed::new(move || a.get() * 3);
    let inputs: Seen<(i64, i64)> = Rc::default();
    let d = Computed::new({
        let inputs = inputs.clone();
        move || {
            let (x, y) = (b.get(), c.get());
            inputs.borrow_mut().push((x, y));
            x + y
        }
    });
    let seen = record(move || d.get());

    for v in [2, 7, -4, 0, 100] {
        a.set(v);
    }
    assert_eq!(values(&seen), vec![5, 10, 35, -20, 0, 500]);
    assert_eq!(
        values(&inputs),
        vec![(2, 3), (4, 6), (14, 21), (-8, -12), (0, 0), (200, 300)]
    );
}

#[test]
fn unobserved_diamond_evaluates_each_node_once_per_read_after_change() {
    let a = Signal::new(1i64);
    let (nb, nc, nd) = (Counter::default(), Counter::default(), Counter::default());
    let b = counted(&nb, move || a.get() + 1);
    let c = counted(&nc, move || a.get() + 2);
    let d = counted(&nd, move || b.get() * c.get());

    assert_eq!(d.get(), 6);
    assert_eq!((nb.get(), nc.get(), nd.get()), (1, 1, 1));
    a.set(3);
    assert_eq!(d.get(), 20);
    assert_eq!((nb.get(), nc.get(), nd.get()), (2, 2, 2));
}

#[test]
fn effect_reading_both_branches_of_a_diamond_runs_once_per_change() {
    let a = Signal::new(1i64);
    let b = Computed::new(move || a.get() + 100);
    let c = Computed::new(move || -a.get());
    let seen = record(move || (b.get(), c.get()));

    a.set(2);
    a.set(3);
    assert_eq!(values(&seen), vec![(101, -1), (102, -2), (103, -3)]);
}

#[test]
fn triangle_evaluates_each_node_once_per_change() {
    let a = Signal::new(1i64);
    let (nb, nc) = (Counter::default(), Counter::default());
    let b = counted(&nb, move || a.get() + 1);
    let inputs: Seen<(i64, i64)> = Rc::default();
    let c = counted(&nc, {
        let inputs = inputs.clone();
        move || {
            let (x, y) = (a.get(), b.get());
            inputs.borrow_mut().push((x, y));
            x + y
        }
    });
    let seen = record(move || c.get());

    assert_eq!(values(&seen), vec![3]);
    a.set(5);
    assert_eq!(values(&seen), vec![3, 11]);
    a.set(-2);
    assert_eq!(values(&seen), vec![3, 11, -3]);
    assert_eq!((nb.get(), nc.get()), (3, 3));
    assert_eq!(values(&inputs), vec![(1, 2), (5, 6), (-2, -1)]);
}

#[test]
fn effect_reading_signal_and_its_computed_runs_once_and_sees_both_fresh() {
    let a = Signal::new(1i64);
    let b = Computed::new(move || a.get() * 10);
    let seen = record(move || (a.get(), b.get()));

    a.set(2);
    a.set(3);
    assert_eq!(values(&seen), vec![(1, 10), (2, 20), (3, 30)]);
}

#[test]
fn layered_lattice_evaluates_every_node_once_per_change() {
    const WIDTH: usize = 4;
    const DEPTH: usize = 4;
    let a = Signal::new(1i64);
    let evals = Counter::default();

    let mut layer: Vec<Computed<i64>> = (0..WIDTH)
        .map(|_| counted(&evals, move || a.get()))
        .collect();
    for _ in 1..DEPTH {
        let prev = layer.clone();
        layer = (0..WIDTH)
            .map(|_| {
                let prev = prev.clone();
                counted(&evals, move || prev.iter().map(|c| c.get()).sum())
            })
            .collect();
    }
    let last = layer;
    let seen = record(move || last.iter().map(|c| c.get()).sum::<i64>());

    let per_change = WIDTH * DEPTH;
    assert_eq!(values(&seen), vec![256]);
    assert_eq!(evals.get(), per_change);

    a.set(2);
    assert_eq!(values(&seen), vec![256, 512]);
    assert_eq!(evals.get(), 2 * per_change);

    a.set(-1);
    assert_eq!(values(&seen), vec![256, 512, -256]);
    assert_eq!(evals.get(), 3 * per_change);
}

#[test]
fn wide_fan_out_through_computeds_evaluates_each_once() {
    const N: i64 = 1000;
    let a = Signal::new(1i64);
    let evals = Counter::default();
    let nodes: Vec<Computed<i64>> = (0..N)
        .map(|i| counted(&evals, move || a.get() * i))
        .collect();
    let seen = record(move || nodes.iter().map(|c| c.get()).sum::<i64>());

    let triangle = N * (N - 1) / 2;
    assert_eq!(values(&seen), vec![triangle]);
    assert_eq!(evals.get(), N as usize);

    a.set(3);
    assert_eq!(values(&seen), vec![triangle, 3 * triangle]);
    assert_eq!(evals.get(), 2 * N as usize);
}

#[test]
fn wide_fan_out_to_effects_runs_each_effect_once() {
    const N: usize = 500;
    let a = Signal::new(0usize);
    let runs = Counter::default();
    let total = Rc::new(Cell::new(0usize));
    for _ in 0..N {
        let runs = runs.clone();
        let total = total.clone();
        let _effect = Effect::new(move || {
            runs.hit();
            total.set(total.get() + a.get());
        });
    }
    assert_eq!(runs.get(), N);
    assert_eq!(total.get(), 0);

    a.set(2);
    assert_eq!(runs.get(), 2 * N);
    assert_eq!(total.get(), 2 * N);

    a.set(5);
    assert_eq!(runs.get(), 3 * N);
    assert_eq!(total.get(), 7 * N);
}

#[test]
fn fan_in_from_many_signals_evaluates_once_per_write() {
    let signals: Vec<Signal<i64>> = (0..100).map(Signal::new).collect();
    let evals = Counter::default();
    let sum = counted(&evals, {
        let signals = signals.clone();
        move || signals.iter().map(|s| s.get()).sum::<i64>()
    });
    let seen = record(move || sum.get());

    assert_eq!(values(&seen), vec![4950]);
    signals[42].set(0);
    assert_eq!(values(&seen), vec![4950, 4908]);
    assert_eq!(evals.get(), 2);

    batch(|| {
        for s in &signals {
            s.set(1);
        }
    });
    assert_eq!(values(&seen), vec![4950, 4908, 100]);
    assert_eq!(evals.get(), 3);
}

#[test]
fn computed_shared_by_two_effects_is_evaluated_once_per_change() {
    let a = Signal::new(1i64);
    let evals = Counter::default();
    let b = counted(&evals, move || a.get() * 7);
    let first = record(move || b.get());
    let second = record(move || b.get() + 1);

    assert_eq!(evals.get(), 1);
    a.set(2);
    assert_eq!(evals.get(), 2);
    assert_eq!(values(&first), vec![7, 14]);
    assert_eq!(values(&second), vec![8, 15]);
}

#[test]
fn observed_chain_stays_exact_over_many_writes() {
    const DEPTH: usize = 10;
    const WRITES: i64 = 1000;
    let a = Signal::new(0i64);
    let evals = Counter::default();
    let mut last = counted(&evals, move || a.get());
    for _ in 1..DEPTH {
        let prev = last;
        last = counted(&evals, move || prev.get() + 1);
    }
    let seen = record(move || last.get());

    for v in 1..=WRITES {
        a.set(v * 3);
        assert_eq!(
            seen.borrow().last().copied(),
            Some(v * 3 + DEPTH as i64 - 1)
        );
    }
    assert_eq!(seen.borrow().len(), WRITES as usize + 1);
    assert_eq!(evals.get(), DEPTH * (WRITES as usize + 1));
    assert_eq!(last.get(), WRITES * 3 + DEPTH as i64 - 1);
}

#[test]
fn unobserved_graph_stays_exact_over_many_writes() {
    let a = Signal::new(0i64);
    let b = Signal::new(0i64);
    let sum = Computed::new(move || a.get() + b.get());
    let product = Computed::new(move || a.get() * b.get());
    let both = Computed::new(move || sum.get() * 1000 + product.get());

    for i in 0..500i64 {
        if i % 2 == 0 {
            a.set(i);
        } else {
            b.set(-i);
        }
        let (x, y) = (a.get_untracked(), b.get_untracked());
        assert_eq!(both.get(), (x + y) * 1000 + x * y);
        assert_eq!(sum.get(), x + y);
    }
}

#[test]
fn computed_of_strings_propagates_exact_values() {
    let first = Signal::new(String::from("Ada"));
    let last = Signal::new(String::from("Lovelace"));
    let full = Computed::new(move || format!("{} {}", first.get(), last.get()));
    let shout = Computed::new(move || full.with(|s| s.to_uppercase()));
    let seen = record(move || shout.get());

    first.set(String::from("Grace"));
    last.update(|s| s.replace_range(.., "Hopper"));
    assert_eq!(
        values(&seen),
        vec![
            String::from("ADA LOVELACE"),
            String::from("GRACE LOVELACE"),
            String::from("GRACE HOPPER"),
        ]
    );
    assert_eq!(full.get(), "Grace Hopper");
}

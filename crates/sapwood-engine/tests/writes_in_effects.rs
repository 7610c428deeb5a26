//! Writes inside effects: an effect may write signals, and the effects those
//! writes reach run in the same flush, so that when the outer write (or
//! batch) returns, every effect has seen the final, consistent values.

use std::cell::RefCell;
use std::rc::Rc;

use sapwood_engine::{batch, Computed, Effect, Signal};

type Seen<T> = Rc<RefCell<Vec<T>>>;

fn record<T: 'static>(mut f: impl FnMut() -> T + 'static) -> Seen<T> {
    let seen: Seen<T> = Rc::default();
    let sink = seen.clone();
    let _effect = Effect::new(move || {
        let value = f();
        sink.borrow_mut().push(value);
    });
    seen
}

fn values<T: Clone>(seen: &Seen<T>) -> Vec<T> {
    seen.borrow().clone()
}

#[test]
fn effect_write_triggers_downstream_effect_created_later() {
    let a = Signal::new(1i64);
    let b = Signal::new(0i64);
    let _writer = Effect::new(move || b.set(a.get() * 2));
    let seen = record(move || b.get());
    assert_eq!(values(&seen), vec![2]);

    a.set(5);
    assert_eq!(values(&seen), vec![2, 10]);
    a.set(6);
    assert_eq!(values(&seen), vec![2, 10, 12]);
}

#[test]
fn effect_write_triggers_downstream_effect_created_earlier() {
    let a = Signal::new(1i64);
    let b = Signal::new(0i64);
    let seen = record(move || b.get());
    let _writer = Effect::new(move || b.set(a.get() * 2));
    // The writer's first run, inside Effect::new, already reached the reader.
    assert_eq!(values(&seen), vec![0, 2]);

    a.set(5);
    assert_eq!(values(&seen), vec![0, 2, 10]);
}

#[test]
fn chain_of_writing_effects_settles_within_one_write() {
    let a = Signal::new(1i64);
    let b = Signal::new(0i64);
    let c = Signal::new(0i64);
    let _ab = Effect::new(move || b.set(a.get() + 1));
    let _bc = Effect::new(move || c.set(b.get() * 10));
    let seen = record(move || (a.get(), b.get(), c.get()));
    assert_eq!(seen.borrow().last().copied(), Some((1, 2, 20)));

    let before = seen.borrow().len();
    a.set(4);
    assert_eq!(seen.borrow().last().copied(), Some((4, 5, 50)));
    for &(x, y, z) in &seen.borrow()[before..] {
        // Whatever intermediate runs happened, every signal read is a value
        // that was really written: no stale mixture survives the flush.
        assert!(x == 4 && (y == 2 || y == 5) && (z == 20 || z == 50));
    }
    assert_eq!((a.get(), b.get(), c.get()), (4, 5, 50));
}

#[test]
fn earlier_sibling_reruns_when_a_later_sibling_writes_what_it_read() {
    let x = Signal::new(0i64);
    let y = Signal::new(0i64);
    let seen = record(move || (x.get(), y.get()));
    let _writer = Effect::new(move || y.set(x.get() + 1));
    assert_eq!(values(&seen), vec![(0, 0), (0, 1)]);

    x.set(5);
    assert_eq!(values(&seen), vec![(0, 0), (0, 1), (5, 1), (5, 6)]);
}

#[test]
fn effect_write_reaches_effects_through_computeds() {
    let input = Signal::new(2i64);
    let mirrored = Signal::new(0i64);
    let squared = Computed::new(move || mirrored.get() * mirrored.get());
    let _mirror = Effect::new(move || mirrored.set(input.get()));
    let seen = record(move || (mirrored.get(), squared.get()));
    assert_eq!(values(&seen), vec![(2, 4)]);

    input.set(3);
    assert_eq!(values(&seen), vec![(2, 4), (3, 9)]);
    assert_eq!(squared.get(), 9);
}

#[test]
fn writes_in_effects_after_a_batch_are_flushed_before_batch_returns() {
    let a = Signal::new(0i64);
    let b = Signal::new(0i64);
    let total = Signal::new(0i64);
    let _sum = Effect::new(move || total.set(a.get() + b.get()));
    let seen = record(move || total.get());

    batch(|| {
        a.set(3);
        b.set(4);
        assert_eq!(values(&seen), vec![0]);
    });
    assert_eq!(values(&seen), vec![0, 7]);
    assert_eq!(total.get(), 7);
}

#[test]
fn effect_writing_an_equal_value_with_set_if_changed_notifies_no_one() {
    let n = Signal::new(1i64);
    let parity = Signal::new(1i64);
    let _writer = Effect::new(move || {
        let _changed = parity.set_if_changed(n.get() % 2);
    });
    let seen = record(move || parity.get());

    n.set(3);
    n.set(5);
    assert_eq!(values(&seen), vec![1]);
    n.set(6);
    assert_eq!(values(&seen), vec![1, 0]);
}

#[test]
fn effect_writing_several_signals_runs_their_readers_once_each() {
    let source = Signal::new(0i64);
    let left = Signal::new(0i64);
    let right = Signal::new(0i64);
    let _split = Effect::new(move || {
        let v = source.get();
        left.set(v - 1);
        right.set(v + 1);
    });
    let seen_left = record(move || left.get());
    let seen_right = record(move || right.get());
    let both = record(move || (left.get(), right.get()));

    source.set(10);
    assert_eq!(values(&seen_left), vec![-1, 9]);
    assert_eq!(values(&seen_right), vec![1, 11]);
    assert_eq!(both.borrow().first().copied(), Some((-1, 1)));
    assert_eq!(both.borrow().last().copied(), Some((9, 11)));
    assert!(
        both.borrow().len() >= 2,
        "the effect reading both must re-run"
    );
}

#[test]
fn effect_writing_inside_its_own_batch_triggers_readers_once() {
    let source = Signal::new(0i64);
    let left = Signal::new(0i64);
    let right = Signal::new(0i64);
    let _split = Effect::new(move || {
        let v = source.get();
        batch(|| {
            left.set(v - 1);
            right.set(v + 1);
        });
    });
    let seen = record(move || (left.get(), right.get()));

    source.set(10);
    assert_eq!(values(&seen), vec![(-1, 1), (9, 11)]);
}

//! Errors and panics: cycles are reported (never a hang or a stack
//! overflow), panics inside computeds and effects reach the caller and leave
//! the graph usable, disposed handles report what they were and where they
//! were created, and a chain of a million computeds does not recurse deeply.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::rc::Rc;

use sapwood_engine::{batch, Computed, Effect, Error, NodeKind, Signal};

mod common;
use common::*;

const THIS_FILE: &str = "errors_and_panics.rs";

/// The text of a panic payload (`panic!` gives a `&str` or a `String`).
fn panic_message(payload: Box<dyn Any + Send>) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        String::from("<non-string panic payload>")
    }
}

/// Runs `f`, expects it to panic, and returns the panic message.
fn expect_panic<R>(f: impl FnOnce() -> R) -> String {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(_) => panic!("expected a panic, but the call returned normally"),
        Err(payload) => panic_message(payload),
    }
}

fn assert_is_cycle<T: std::fmt::Debug>(result: Result<T, Error>) {
    match result {
        Err(Error::Cycle {
            type_name,
            created_at,
        }) => {
            assert!(type_name.contains("i64"), "type_name = {type_name:?}");
            assert!(
                created_at.file().ends_with(THIS_FILE),
                "created_at = {created_at}"
            );
        }
        other => panic!("expected Err(Error::Cycle {{ .. }}), got {other:?}"),
    }
}

fn assert_mentions_cycle(message: &str) {
    assert!(
        message.to_lowercase().contains("cycle"),
        "panic message does not mention a cycle: {message:?}"
    );
}

// ---------------------------------------------------------------- cycles

#[test]
fn self_cycle_try_get_returns_cycle_error() {
    let slot: Rc<Cell<Option<Computed<i64>>>> = Rc::default();
    let created_line = line!() + 1;
    let c = Computed::new({
        let slot = slot.clone();
        move || slot.get().expect("handle stored").get() + 1
    });
    slot.set(Some(c));

    match c.try_get() {
        Err(Error::Cycle {
            type_name,
            created_at,
        }) => {
            assert!(type_name.contains("i64"), "type_name = {type_name:?}");
            assert!(created_at.file().ends_with(THIS_FILE));
            assert_eq!(created_at.line(), created_line);
        }
        other => panic!("expected Err(Error::Cycle {{ .. }}), got {other:?}"),
    }
    // Asking again neither hangs nor changes the answer.
    assert_is_cycle(c.try_get());
}

#[test]
fn self_cycle_get_panics_with_cycle_in_the_message() {
    let slot: Rc<Cell<Option<Computed<i64>>>> = Rc::default();
    let c = Computed::new({
        let slot = slot.clone();
        move || slot.get().expect("handle stored").get() + 1
    });
    slot.set(Some(c));

    assert_mentions_cycle(&expect_panic(|| c.get()));
    assert_mentions_cycle(&expect_panic(|| c.get()));
}

#[test]
fn self_cycle_seen_from_inside_is_a_cycle_error() {
    let slot: Rc<Cell<Option<Computed<i64>>>> = Rc::default();
    let inner: Rc<RefCell<Vec<Result<i64, Error>>>> = Rc::default();
    let c = Computed::new({
        let (slot, inner) = (slot.clone(), inner.clone());
        move || {
            let me = slot.get().expect("handle stored");
            let result = me.try_get();
            let fallback = result.clone().unwrap_or(-1);
            inner.borrow_mut().push(result);
            fallback
        }
    });
    slot.set(Some(c));

    let _ = catch_unwind(AssertUnwindSafe(|| c.try_get()));
    let inner = inner.borrow();
    assert!(!inner.is_empty(), "the computed never ran");
    for result in inner.iter() {
        assert_is_cycle(result.clone());
    }
}

/// a -> c -> b -> a: three computeds reading each other in a ring.
fn ring_of_three() -> [Computed<i64>; 3] {
    let slot: Rc<Cell<Option<Computed<i64>>>> = Rc::default();
    let a = Computed::new({
        let slot = slot.clone();
        move || slot.get().expect("handle stored").get() + 1
    });
    let b = Computed::new(move || a.get() * 2);
    let c = Computed::new(move || b.get() - 3);
    slot.set(Some(c));
    [a, b, c]
}

#[test]
fn indirect_cycle_try_get_returns_cycle_error_from_every_member() {
    let [a, b, c] = ring_of_three();
    assert_is_cycle(a.try_get());
    assert_is_cycle(b.try_get());
    assert_is_cycle(c.try_get());
    assert_is_cycle(a.try_get());
}

#[test]
fn indirect_cycle_get_panics_with_cycle_in_the_message_from_every_member() {
    let [a, b, c] = ring_of_three();
    assert_mentions_cycle(&expect_panic(|| a.get()));
    assert_mentions_cycle(&expect_panic(|| b.get()));
    assert_mentions_cycle(&expect_panic(|| c.get()));
    assert_mentions_cycle(&expect_panic(|| a.get()));
}

#[test]
fn indirect_cycle_seen_from_inside_is_a_cycle_error() {
    let slot: Rc<Cell<Option<Computed<i64>>>> = Rc::default();
    let inner: Rc<RefCell<Vec<Result<i64, Error>>>> = Rc::default();
    let a = Computed::new({
        let (slot, inner) = (slot.clone(), inner.clone());
        move || {
            let result = slot.get().expect("handle stored").try_get();
            let fallback = result.clone().unwrap_or(-1);
            inner.borrow_mut().push(result);
            fallback
        }
    });
    let b = Computed::new(move || a.get() + 1);
    slot.set(Some(b));

    let _ = catch_unwind(AssertUnwindSafe(|| b.try_get()));
    let inner = inner.borrow();
    assert!(!inner.is_empty(), "the computed never ran");
    for result in inner.iter() {
        assert_is_cycle(result.clone());
    }
}

/// `b = a * 10`, and `a` reads `b` (a cycle) while `loop_back` is true, else
/// `base`.
fn conditional_ring() -> (Signal<bool>, Signal<i64>, Computed<i64>, Computed<i64>) {
    let loop_back = Signal::new(false);
    let base = Signal::new(5i64);
    let slot: Rc<Cell<Option<Computed<i64>>>> = Rc::default();
    let a = Computed::new({
        let slot = slot.clone();
        move || {
            if loop_back.get() {
                slot.get().expect("handle stored").get() + 1
            } else {
                base.get()
            }
        }
    });
    let b = Computed::new(move || a.get() * 10);
    slot.set(Some(b));
    (loop_back, base, a, b)
}

#[test]
fn cycle_formed_after_values_are_cached_makes_get_panic() {
    let (loop_back, _base, a, b) = conditional_ring();
    assert_eq!(b.get(), 50);

    loop_back.set(true);
    // Not 510: `a` must not be computed from `b`'s stale value.
    assert_mentions_cycle(&expect_panic(|| b.get()));
    assert_mentions_cycle(&expect_panic(|| a.get()));
}

#[test]
fn cycle_formed_after_values_are_cached_makes_try_get_return_cycle_error() {
    let (loop_back, _base, a, b) = conditional_ring();
    assert_eq!(b.get(), 50);

    loop_back.set(true);
    assert_is_cycle(b.try_get());
    assert_is_cycle(a.try_get());
}

#[test]
fn conditional_cycle_recovers_when_the_cycle_is_gone() {
    let (loop_back, base, a, b) = conditional_ring();
    assert_eq!(b.get(), 50);

    loop_back.set(true);
    let _ = catch_unwind(AssertUnwindSafe(|| b.get()));
    let _ = catch_unwind(AssertUnwindSafe(|| a.get()));

    loop_back.set(false);
    assert_eq!(b.try_get(), Ok(50));
    base.set(6);
    assert_eq!(a.get(), 6);
    assert_eq!(b.get(), 60);
}

#[test]
fn cycle_reached_from_an_effect_panics_out_of_effect_creation() {
    let slot: Rc<Cell<Option<Computed<i64>>>> = Rc::default();
    let c = Computed::new({
        let slot = slot.clone();
        move || slot.get().expect("handle stored").get() + 1
    });
    slot.set(Some(c));

    let message = expect_panic(|| {
        Effect::new(move || {
            let _ = c.get();
        })
    });
    assert_mentions_cycle(&message);

    // The runtime is still usable.
    let s = Signal::new(1i64);
    let seen = Rc::new(Cell::new(0i64));
    let _effect = Effect::new({
        let seen = seen.clone();
        move || seen.set(s.get())
    });
    s.set(2);
    assert_eq!(seen.get(), 2);
}

// ----------------------------------------------------- panics in computeds

#[test]
fn panic_in_a_computed_reaches_the_reader_and_the_graph_stays_usable() {
    let s = Signal::new(1i64);
    let evals = Counter::default();
    let c = Computed::new({
        let evals = evals.clone();
        move || {
            evals.hit();
            let v = s.get();
            if v < 0 {
                panic!("negative input {v}");
            }
            v * 2
        }
    });
    assert_eq!(c.get(), 2);

    s.set(-1);
    let message = expect_panic(|| c.get());
    assert!(
        message.contains("negative input -1"),
        "message = {message:?}"
    );
    assert_eq!(evals.get(), 2);

    s.set(4);
    assert_eq!(c.get(), 8);
    assert_eq!(evals.get(), 3);
    assert_eq!(c.get(), 8);
    assert_eq!(evals.get(), 3);
    s.set(5);
    assert_eq!(c.get(), 10);
}

#[test]
fn computed_that_panicked_recomputes_on_the_next_read() {
    let should_panic = Rc::new(Cell::new(true));
    let s = Signal::new(3i64);
    let evals = Counter::default();
    let c = Computed::new({
        let (should_panic, evals) = (should_panic.clone(), evals.clone());
        move || {
            evals.hit();
            let v = s.get();
            assert!(!should_panic.get(), "computed told to panic");
            v + 1
        }
    });

    let message = expect_panic(|| c.get());
    assert!(message.contains("computed told to panic"));
    assert_eq!(evals.get(), 1);

    // No signal changed, yet the failed evaluation is not cached.
    should_panic.set(false);
    assert_eq!(c.get(), 4);
    assert_eq!(evals.get(), 2);
    assert_eq!(c.get(), 4);
    assert_eq!(evals.get(), 2);
}

#[test]
fn panic_in_a_nested_computed_reaches_the_outer_reader() {
    let s = Signal::new(1i64);
    let inner = Computed::new(move || {
        let v = s.get();
        assert!(v != 13, "unlucky inner value");
        v
    });
    let outer = Computed::new(move || inner.get() + 100);
    assert_eq!(outer.get(), 101);

    s.set(13);
    let message = expect_panic(|| outer.get());
    assert!(message.contains("unlucky inner value"));
    let message = expect_panic(|| inner.get());
    assert!(message.contains("unlucky inner value"));

    s.set(14);
    assert_eq!(outer.get(), 114);
    assert_eq!(inner.get(), 14);
}

#[test]
fn panic_in_a_computed_read_by_an_effect_reaches_the_writer() {
    let s = Signal::new(1i64);
    let c = Computed::new(move || {
        let v = s.get();
        assert!(v >= 0, "negative in computed");
        v * 2
    });
    let seen = Rc::new(RefCell::new(Vec::new()));
    let _effect = Effect::new({
        let seen = seen.clone();
        move || {
            let direct = s.get();
            seen.borrow_mut().push((direct, c.get()));
        }
    });

    let message = expect_panic(|| s.set(-1));
    assert!(
        message.contains("negative in computed"),
        "message = {message:?}"
    );

    s.set(3);
    assert_eq!(seen.borrow().last().copied(), Some((3, 6)));
    assert_eq!(c.get(), 6);
}

#[test]
fn panic_in_a_computed_does_not_leave_a_tracking_context_behind() {
    let s = Signal::new(1i64);
    let unrelated = Signal::new(0i64);
    let c = Computed::new(move || {
        let v = s.get();
        assert!(v >= 0, "negative in computed");
        v
    });
    let runs = Counter::default();
    let _effect = Effect::new({
        let runs = runs.clone();
        move || {
            runs.hit();
            let _ = s.get();
            let _ = c.get();
        }
    });
    let _ = expect_panic(|| s.set(-1));
    let runs_after_panic = runs.get();

    // A read at top level must not subscribe the effect (or anything) that
    // was running when the panic unwound.
    assert_eq!(unrelated.get(), 0);
    unrelated.set(1);
    unrelated.set(2);
    assert_eq!(runs.get(), runs_after_panic);

    s.set(2);
    assert_eq!(runs.get(), runs_after_panic + 1);
}

// ------------------------------------------------------- panics in effects

#[test]
fn panic_in_an_effect_reaches_the_caller_of_set_and_later_writes_still_run_effects() {
    let s = Signal::new(0i64);
    let panicking_seen = Rc::new(RefCell::new(Vec::new()));
    let _panicking = Effect::new({
        let seen = panicking_seen.clone();
        move || {
            let v = s.get();
            seen.borrow_mut().push(v);
            assert!(v != 13, "effect refuses 13");
        }
    });
    let other_seen = Rc::new(Cell::new(-1i64));
    let _other = Effect::new({
        let seen = other_seen.clone();
        move || seen.set(s.get())
    });

    let message = expect_panic(|| s.set(13));
    assert!(
        message.contains("effect refuses 13"),
        "message = {message:?}"
    );

    s.set(14);
    assert_eq!(panicking_seen.borrow().last().copied(), Some(14));
    assert_eq!(other_seen.get(), 14);
    s.set(15);
    assert_eq!(panicking_seen.borrow().last().copied(), Some(15));
    assert_eq!(other_seen.get(), 15);
}

#[test]
fn panic_in_an_effect_reaches_the_caller_of_effect_new() {
    let message = expect_panic(|| Effect::new(|| panic!("effect failed at birth")));
    assert!(message.contains("effect failed at birth"));

    let s = Signal::new(0i64);
    let seen = Rc::new(Cell::new(0i64));
    let _effect = Effect::new({
        let seen = seen.clone();
        move || seen.set(s.get())
    });
    s.set(9);
    assert_eq!(seen.get(), 9);
}

#[test]
fn panic_in_an_effect_reaches_the_caller_of_batch() {
    let s = Signal::new(0i64);
    let _panicking = Effect::new(move || {
        assert!(s.get() != 7, "effect refuses 7");
    });
    let seen = Rc::new(RefCell::new(Vec::new()));
    let _recorder = Effect::new({
        let seen = seen.clone();
        move || seen.borrow_mut().push(s.get())
    });

    let message = expect_panic(|| batch(|| s.set(7)));
    assert!(message.contains("effect refuses 7"));

    // Not stuck inside a batch: the next write flushes at once.
    s.set(8);
    assert_eq!(seen.borrow().last().copied(), Some(8));
    batch(|| s.set(9));
    assert_eq!(seen.borrow().last().copied(), Some(9));
}

#[test]
fn panic_inside_a_batch_closure_does_not_leave_the_runtime_batching() {
    let s = Signal::new(0i64);
    let seen = Rc::new(RefCell::new(Vec::new()));
    let _recorder = Effect::new({
        let seen = seen.clone();
        move || seen.borrow_mut().push(s.get())
    });
    let _ = expect_panic(|| {
        batch(|| {
            s.set(1);
            panic!("batch body failed");
        })
    });
    s.set(2);
    assert_eq!(seen.borrow().last().copied(), Some(2));
}

// ------------------------------------------------------ disposed handles

#[test]
fn disposed_signal_try_get_reports_kind_type_and_creation_site() {
    let created_line = line!() + 1;
    let s = Signal::new(5i64);
    s.dispose();
    assert!(s.is_disposed());

    match s.try_get() {
        Err(Error::Disposed {
            kind,
            type_name,
            created_at,
        }) => {
            assert_eq!(kind, NodeKind::Signal);
            assert!(type_name.contains("i64"), "type_name = {type_name:?}");
            assert!(created_at.file().ends_with(THIS_FILE));
            assert_eq!(created_at.line(), created_line);
        }
        other => panic!("expected Err(Error::Disposed {{ .. }}), got {other:?}"),
    }
    assert!(matches!(s.try_with(|v| *v), Err(Error::Disposed { .. })));
    assert!(matches!(s.try_set(6), Err(Error::Disposed { .. })));
}

#[test]
fn disposed_signal_get_panics_naming_type_and_creation_site() {
    let created_line = line!() + 1;
    let s = Signal::new(5i64);
    s.dispose();

    let message = expect_panic(|| s.get());
    assert!(message.contains("Signal"), "message = {message:?}");
    assert!(message.contains("i64"), "message = {message:?}");
    assert!(message.contains(THIS_FILE), "message = {message:?}");
    assert!(
        message.contains(&format!("{THIS_FILE}:{created_line}")),
        "message = {message:?}"
    );
}

#[test]
fn disposed_computed_try_get_and_get_report_it() {
    let source = Signal::new(String::from("text"));
    let created_line = line!() + 1;
    let c = Computed::new(move || source.get().len() as u32);
    assert_eq!(c.get(), 4);
    c.dispose();
    assert!(c.is_disposed());
    assert!(!source.is_disposed());

    match c.try_get() {
        Err(Error::Disposed {
            kind,
            type_name,
            created_at,
        }) => {
            assert_eq!(kind, NodeKind::Computed);
            assert!(type_name.contains("u32"), "type_name = {type_name:?}");
            assert!(created_at.file().ends_with(THIS_FILE));
            assert_eq!(created_at.line(), created_line);
        }
        other => panic!("expected Err(Error::Disposed {{ .. }}), got {other:?}"),
    }
    assert!(matches!(c.try_with(|v| *v), Err(Error::Disposed { .. })));

    let message = expect_panic(|| c.get());
    assert!(message.contains("Computed"), "message = {message:?}");
    assert!(message.contains("u32"), "message = {message:?}");
    assert!(
        message.contains(&format!("{THIS_FILE}:{created_line}")),
        "message = {message:?}"
    );
}

#[test]
fn never_read_computed_disposed_reports_disposed() {
    let c = Computed::new(|| 1i64);
    c.dispose();
    assert!(matches!(
        c.try_get(),
        Err(Error::Disposed {
            kind: NodeKind::Computed,
            ..
        })
    ));
}

#[test]
fn error_values_are_comparable_cloneable_and_displayable() {
    let s = Signal::new(1i64);
    s.dispose();
    let first = s.try_get().expect_err("disposed");
    let second = s.try_get().expect_err("disposed");
    assert_eq!(first, second);
    assert_eq!(first.clone(), first);
    let as_std: &dyn std::error::Error = &first;
    assert!(!as_std.to_string().is_empty());
    assert!(!format!("{first:?}").is_empty());
}

// -------------------------------------------------- a million computeds

#[test]
fn million_computed_chain_does_not_overflow_the_default_thread_stack() {
    const N: i64 = 1_000_000;
    // Spawned without `stack_size`: the default 2 MiB stack.
    let worker = std::thread::Builder::new()
        .name("million-chain".into())
        .spawn(|| {
            let evals = Counter::default();
            let source = Signal::new(0i64);
            let mut last = Computed::new({
                let evals = evals.clone();
                move || {
                    let v = source.get();
                    evals.hit();
                    v
                }
            });
            for _ in 1..N {
                let prev = last;
                let evals = evals.clone();
                last = Computed::new(move || {
                    let v = prev.get() + 1;
                    // Counted once the evaluation completes.
                    evals.hit();
                    v
                });
            }
            assert_eq!(evals.get(), 0, "computeds must be lazy");

            let first = last.get();
            let evals_first = evals.get();
            source.set(10);
            let second = last.get();
            let evals_second = evals.get();
            (first, evals_first, second, evals_second)
        })
        .expect("spawn worker thread");
    let (first, evals_first, second, evals_second) =
        worker.join().expect("million-chain worker panicked");
    assert_eq!(first, N - 1);
    assert_eq!(evals_first, N as usize);
    assert_eq!(second, N - 1 + 10);
    assert_eq!(evals_second, 2 * N as usize);
}

#[test]
fn writing_a_signal_inside_its_own_with_panics_and_keeps_the_value() {
    let s = Signal::new(String::from("kept"));
    type Write = (&'static str, Box<dyn Fn()>);
    let writes: [Write; 3] = [
        ("set", Box::new(move || s.set("set".into()))),
        ("update", Box::new(move || s.update(|v| v.push('!')))),
        (
            "set_if_changed",
            Box::new(move || {
                s.set_if_changed("changed".into());
            }),
        ),
    ];
    for (what, write) in &writes {
        let message = expect_panic(|| s.with(|_| write()));
        assert!(
            message.contains("written while its value is borrowed"),
            "{what}: message = {message:?}"
        );
        assert!(message.contains("Signal"), "{what}: message = {message:?}");
        assert_eq!(s.get(), "kept", "{what} changed a borrowed value");
    }
    // Once the borrow is over, writes go through.
    s.set("after".into());
    assert_eq!(s.get(), "after");
    // A disposed signal's write is refused as disposed, not as borrowed.
    s.dispose();
    assert!(matches!(s.try_set("x".into()), Err(Error::Disposed { .. })));
}

//! Adapter for Leptos's `reactive_graph` 0.2.
//!
//! **API.** The handles a Leptos user reaches for by default: [`RwSignal`] and
//! [`Memo`] (arena-backed, `Copy`), and [`Effect::new`] for effects. The crate's
//! `effects` feature is on (without it `Effect::new` does nothing).
//!
//! **Synchronous effects.** `Effect::new` never runs inline: it spawns a task with
//! [`any_spawner::Executor::spawn_local`] that waits on a channel and runs on the
//! executor's next tick, after the writes that notified it. The adapter installs
//! any_spawner's own futures executor ([`Executor::init_futures_executor`]: a
//! thread-local `LocalPool`) and drives it with [`Executor::poll_local`] (the pool's
//! `run_until_stalled`) at the end of every write and batch, and after creating an
//! effect. So effects have run by the time `set`/`batch`/`effect` return, exactly
//! as they would at the next tick of a Leptos app; the cost of the scheduling (a
//! channel wake and a task poll per effect run) is part of what is measured, as it
//! is part of what a Leptos user pays.
//!
//! Rejected alternatives: `RenderEffect` and `Effect::new_sync` also rerun through
//! the executor (only `RenderEffect`'s first run is inline), so they change
//! nothing here. `ImmediateEffect` is synchronous, but its docs say it is for rare
//! cases (“you probably want `Effect`”); it runs inside the write's mark phase, so
//! in a diamond it runs once per path, the first time with a stale branch (a
//! glitch), and its `batch` is a process-wide static that would mix the effects
//! of concurrent test threads.
//!
//! **Batch.** `reactive_graph` 0.2 has no batch for `Effect` (its `batch` only
//! defers `ImmediateEffect`s) because effects are already deferred to the next
//! tick: `batch` runs `f` with polling suppressed, then polls once, so every
//! effect runs at most once for the whole batch.
//!
//! **Non-`Send` closures.** `Memo::new` takes a `Send + Sync` closure; the
//! benchmark's closures are not `Send` (they may hold `Rc`s), so they are wrapped
//! in [`SendWrapper`], as Leptos apps do for `!Send` data (a thread-id check per
//! evaluation). `Effect::new` (local storage) takes a non-`Send` closure as is.
//!
//! **Known limitation (the library's).** Marking is not memoised: a memo's
//! `mark_check` passes the mark on to all its subscribers even when it was
//! already marked, so one write walks every *path* below the signal, not every
//! node. On graphs with many paths this is exponential: in the cellx graph (each
//! layer reads two nodes of the one above) one batched write takes 29 ms at 20
//! layers and 0.45 s at 25 (≈1.7× per layer, measured), so `cellx.1000` cannot
//! finish. The effect-run counts stay exact.
//!
//! **Build/cleanup.** Each `build` runs `f` under a new [`Owner`]; `cleanup`
//! cleans up and drops every such owner (disposing their signals, memos and
//! effects), then polls the executor once so that the disposed effects' tasks see
//! their closed channels, finish and free their memory.

use std::cell::{Cell, RefCell};

use any_spawner::Executor;
use reactive_graph::computed::Memo;
use reactive_graph::effect::Effect;
use reactive_graph::owner::Owner;
use reactive_graph::prelude::*;
use reactive_graph::signal::RwSignal;
use send_wrapper::SendWrapper;

use crate::framework::Framework;

/// Crate and version measured.
pub const CRATE: &str = "reactive_graph 0.2.16";

/// The adapter.
pub struct ReactiveGraph;

thread_local! {
    static ROOTS: RefCell<Vec<Owner>> = const { RefCell::new(Vec::new()) };
    /// Depth of [`ReactiveGraph::batch`] calls on this thread.
    static BATCH_DEPTH: Cell<u32> = const { Cell::new(0) };
}

/// Installs any_spawner's futures executor once per process (its local pool is
/// per thread). A second install fails with `AlreadySet`, which is fine.
fn init_executor() {
    static INIT: std::sync::Once = std::sync::Once::new();
    INIT.call_once(|| {
        let _ = Executor::init_futures_executor();
    });
}

/// Runs every effect that is ready, unless inside a batch.
#[inline]
fn flush() {
    if BATCH_DEPTH.with(Cell::get) == 0 {
        Executor::poll_local();
    }
}

impl Framework for ReactiveGraph {
    const NAME: &'static str = "reactive_graph";
    type Signal = RwSignal<i64>;
    type Computed = Memo<i64>;

    fn signal(v: i64) -> Self::Signal {
        RwSignal::new(v)
    }
    fn get(s: &Self::Signal) -> i64 {
        s.get()
    }
    fn set(s: &Self::Signal, v: i64) {
        s.set(v);
        flush();
    }
    fn computed(f: impl Fn() -> i64 + 'static) -> Self::Computed {
        let f = SendWrapper::new(f);
        Memo::new(move |_| f())
    }
    fn read(c: &Self::Computed) -> i64 {
        c.get()
    }
    fn effect(f: impl Fn() + 'static) {
        init_executor();
        Effect::new(f);
        flush();
    }
    fn batch(f: impl FnOnce()) {
        /// Closes the batch even if `f` panics (the report goes on to the next case).
        struct Close;
        impl Drop for Close {
            fn drop(&mut self) {
                BATCH_DEPTH.with(|d| d.set(d.get() - 1));
            }
        }
        BATCH_DEPTH.with(|d| d.set(d.get() + 1));
        let close = Close;
        f();
        drop(close);
        flush();
    }
    fn build<R>(f: impl FnOnce() -> R) -> R {
        init_executor();
        let owner = Owner::new();
        let out = owner.with(f);
        ROOTS.with(|r| r.borrow_mut().push(owner));
        out
    }
    fn cleanup() {
        for owner in ROOTS.with(|r| std::mem::take(&mut *r.borrow_mut())) {
            owner.cleanup();
        }
        Executor::poll_local();
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::rc::Rc;

    use super::ReactiveGraph as F;
    use crate::framework::Framework;

    /// signal → two computeds → computed → effect.
    #[test]
    fn diamond() {
        let runs = Rc::new(Cell::new(0u32));
        let seen = Rc::new(Cell::new(0i64));
        let (s, d) = F::build(|| {
            let s = F::signal(1);
            let b = F::computed(move || F::get(&s) * 2);
            let c = F::computed(move || F::get(&s) + 10);
            let d = F::computed(move || F::read(&b) + F::read(&c));
            let (runs, seen) = (runs.clone(), seen.clone());
            F::effect(move || {
                seen.set(F::read(&d));
                runs.set(runs.get() + 1);
            });
            (s, d)
        });
        assert_eq!((seen.get(), runs.get()), (13, 1));

        F::set(&s, 2);
        assert_eq!((seen.get(), runs.get()), (16, 2));

        F::batch(|| {
            F::set(&s, 3);
            F::set(&s, 4);
        });
        assert_eq!((seen.get(), runs.get()), (22, 3));
        assert_eq!(F::read(&d), 22);

        // Writing the same value: `RwSignal::set` notifies anyway, but the memos
        // are unchanged, so the effect's check finds nothing to do.
        F::set(&s, 4);
        assert_eq!((seen.get(), runs.get()), (22, 3));

        F::cleanup();
        F::set(&s, 5);
        assert_eq!(runs.get(), 3, "a disposed effect does not run");
    }

    /// A panic inside `batch` does not leave the batch open for later writes.
    #[test]
    fn panic_in_batch_does_not_stick() {
        let runs = Rc::new(Cell::new(0u32));
        let s = F::build(|| {
            let s = F::signal(0);
            let r = runs.clone();
            F::effect(move || {
                F::get(&s);
                r.set(r.get() + 1);
            });
            s
        });
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            F::batch(|| {
                F::set(&s, 1);
                panic!("inside batch");
            })
        }));
        assert!(caught.is_err());
        let after = runs.get();
        F::set(&s, 2);
        assert_eq!(runs.get(), after + 1, "effects run again after the panic");
        F::cleanup();
    }
}

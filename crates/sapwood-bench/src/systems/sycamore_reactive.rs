//! Adapter for `sycamore-reactive` 0.9.
//!
//! **API.** `create_signal` ([`Signal`]), `create_selector` (a [`ReadSignal`])
//! and `create_effect`. Sycamore's memos are *eager*: a write re-runs every memo
//! and effect downstream of it, in topological order, before `set` returns.
//!
//! Computeds are made with `create_selector`, not `create_memo`: Sycamore has
//! both, and they differ only in that `create_memo` notifies its dependents after
//! every re-run even when its value did not change, while `create_selector`
//! compares with `PartialEq` and stops there, which is what a computed is in
//! every other system here (and in js-reactivity-benchmark, whose cases check
//! it: with `create_memo`, `mol` pushes 3 values in its first batch instead of
//! 2). The cost of that choice is one `i64` comparison per re-run. Note that
//! `Signal::set` itself does not compare: writing a signal's current value
//! still re-runs what reads it.
//!
//! **Synchronous effects.** Native: `create_effect` runs at once and again inside
//! every write (or at the end of the batch).
//!
//! **Batch.** The library's [`batch`]: propagation is queued until the outermost
//! batch ends, then runs once over all the written signals.
//!
//! **Roots and build/cleanup.** Sycamore wants one reactive root per app: each
//! `create_root` leaks its `Root` struct on purpose (it lives to the end of the
//! program) and every creation function must run while a root is current. So the
//! adapter makes one root per thread, lazily, and creates signals, memos and
//! effects inside it ([`RootHandle::run_in`]; reads and writes need no current
//! root). Each `build` runs `f` in a new child scope (`create_child_scope`, what
//! Sycamore components use); `cleanup` disposes those scopes, then disposes the
//! root itself ([`RootHandle::dispose`], which re-initialises it), so that the
//! node slot map is freed too and the next case starts from an empty root, as the
//! memory rows need.

use std::cell::RefCell;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};

use sycamore_reactive::{
    batch, create_child_scope, create_effect, create_root, create_selector, create_signal,
    NodeHandle, ReadSignal, RootHandle, Signal,
};

use crate::framework::Framework;

/// Crate and version measured.
pub const CRATE: &str = "sycamore-reactive 0.9.4";

/// The adapter.
pub struct SycamoreReactive;

thread_local! {
    /// This thread's reactive root (created on first use, never dropped: Sycamore
    /// leaks roots by design).
    static ROOT: RootHandle = create_root(|| {});
    static SCOPES: RefCell<Vec<NodeHandle>> = const { RefCell::new(Vec::new()) };
}

/// Runs `f` with this thread's root as the current root.
#[inline]
fn in_root<T>(f: impl FnOnce() -> T) -> T {
    ROOT.with(|root| root.run_in(f))
}

impl Framework for SycamoreReactive {
    const NAME: &'static str = "sycamore_reactive";
    type Signal = Signal<i64>;
    type Computed = ReadSignal<i64>;

    fn signal(v: i64) -> Self::Signal {
        in_root(|| create_signal(v))
    }
    fn get(s: &Self::Signal) -> i64 {
        s.get()
    }
    fn set(s: &Self::Signal, v: i64) {
        s.set(v)
    }
    fn computed(f: impl Fn() -> i64 + 'static) -> Self::Computed {
        in_root(|| create_selector(f))
    }
    fn read(c: &Self::Computed) -> i64 {
        c.get()
    }
    fn effect(f: impl Fn() + 'static) {
        in_root(|| create_effect(f))
    }
    fn batch(f: impl FnOnce()) {
        // A panic in `f` would leave the root's batch open (the library has no
        // unwind guard), spoiling the cases after it: catch it, let the batch
        // close, then resume it.
        let result = in_root(|| batch(|| catch_unwind(AssertUnwindSafe(f))));
        if let Err(panic) = result {
            resume_unwind(panic);
        }
    }
    fn build<R>(f: impl FnOnce() -> R) -> R {
        let mut out = None;
        let scope = in_root(|| create_child_scope(|| out = Some(f())));
        SCOPES.with(|s| s.borrow_mut().push(scope));
        out.expect("scope ran")
    }
    fn cleanup() {
        for scope in SCOPES.with(|s| std::mem::take(&mut *s.borrow_mut())) {
            scope.dispose();
        }
        ROOT.with(|root| root.dispose());
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::rc::Rc;

    use super::SycamoreReactive as F;
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

        // Writing the same value: `Signal::set` does not compare, so both
        // branches re-run, but their values are unchanged and `create_selector`
        // stops there: the effect does not run.
        F::set(&s, 4);
        assert_eq!((seen.get(), runs.get()), (22, 3));

        F::cleanup();
    }

    /// Signals made outside `build` work too, and cleanup leaves a usable root.
    #[test]
    fn outside_build_and_after_cleanup() {
        let s = F::signal(5);
        let c = F::computed(move || F::get(&s) * 3);
        assert_eq!(F::read(&c), 15);
        F::cleanup();
        let t = F::build(|| F::signal(7));
        F::set(&t, 8);
        assert_eq!(F::get(&t), 8);
        F::cleanup();
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

//! Adapter for `floem_reactive` 0.2 (the reactive core of the Floem UI library).
//!
//! **API.** `create_rw_signal` ([`RwSignal`]), `create_memo` ([`Memo`]) and
//! `create_effect`, read with `SignalGet::get` and written with
//! `SignalUpdate::set`. Floem's runtime is push-based and eager: a write runs every
//! subscribed effect at once, one subscriber at a time, and a memo is itself an
//! effect that writes an inner signal when its value changes. Memos therefore
//! compute at creation and on every upstream change (never lazily), and the order
//! of runs follows the subscribers' hash map, not the graph's topology: in a
//! diamond a downstream memo or effect can run once per path, and the first of
//! those runs can see one branch updated and the other not yet (a glitch). Values
//! settle to the right result once the write returns; the extra runs are counted
//! as what the library does (see the test).
//!
//! The extra runs compound with depth: in the cellx graph (each layer reads two
//! nodes of the one above) one batched write ran the effects 748 times at 10
//! layers and 1 028 452 times at 25 (≈1.6× per layer, measured, against 40 and
//! 100 for a glitch-free system), so `cellx.1000` cannot finish; the kairo cases
//! that check effect-run counts (diamond, triangle, unstable) and `mol` get more
//! runs than required and are reported as wrong.
//!
//! **Synchronous effects.** Native: `create_effect` runs at once and inside every
//! write that reaches it.
//!
//! **Batch.** The library's [`batch`]: writes inside it queue their subscribers
//! (each at most once), which run when the outermost batch ends. Runs they cause
//! in turn are immediate, as after any write.
//!
//! **Build/cleanup.** Each `build` runs `f` under a new [`Scope`] (`Scope::new`, a
//! scope with no parent) via [`with_scope`]; `cleanup` disposes those scopes,
//! which disposes their signals, memos and effects. Floem's runtime is a
//! thread-local that cannot be reset, so its id maps keep the capacity they grew
//! to.

use std::cell::RefCell;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};

use floem_reactive::{
    batch, create_effect, create_memo, create_rw_signal, with_scope, Memo, RwSignal, Scope,
    SignalGet, SignalUpdate,
};

use crate::framework::Framework;

/// Crate and version measured.
pub const CRATE: &str = "floem_reactive 0.2.0";

/// The adapter.
pub struct FloemReactive;

thread_local! {
    static SCOPES: RefCell<Vec<Scope>> = const { RefCell::new(Vec::new()) };
}

impl Framework for FloemReactive {
    const NAME: &'static str = "floem_reactive";
    type Signal = RwSignal<i64>;
    type Computed = Memo<i64>;

    fn signal(v: i64) -> Self::Signal {
        create_rw_signal(v)
    }
    fn get(s: &Self::Signal) -> i64 {
        s.get()
    }
    fn set(s: &Self::Signal, v: i64) {
        s.set(v)
    }
    fn computed(f: impl Fn() -> i64 + 'static) -> Self::Computed {
        create_memo(move |_| f())
    }
    fn read(c: &Self::Computed) -> i64 {
        c.get()
    }
    fn effect(f: impl Fn() + 'static) {
        create_effect(move |_: Option<()>| f())
    }
    fn batch(f: impl FnOnce()) {
        // A panic in `f` would leave the runtime batching for good on this thread
        // (the library has no unwind guard), spoiling the cases after it: catch
        // it, let the batch close, then resume it.
        let result = batch(|| catch_unwind(AssertUnwindSafe(f)));
        if let Err(panic) = result {
            resume_unwind(panic);
        }
    }
    fn build<R>(f: impl FnOnce() -> R) -> R {
        let scope = Scope::new();
        let mut out = None;
        with_scope(scope, || out = Some(f()));
        SCOPES.with(|s| s.borrow_mut().push(scope));
        out.expect("scope ran")
    }
    fn cleanup() {
        for scope in SCOPES.with(|s| std::mem::take(&mut *s.borrow_mut())) {
            scope.dispose();
        }
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::rc::Rc;

    use super::FloemReactive as F;
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

        // Observed: the effect runs twice per write, once per path of the
        // diamond (each memo that changes writes its inner signal, which runs its
        // subscribers at once); the first of the two runs sees one branch stale.
        // The path order follows a hash map, so only the count is checked.
        let log = Rc::new(std::cell::RefCell::new(Vec::new()));
        let l = log.clone();
        let s2 = F::build(|| {
            let s = F::signal(1);
            let b = F::computed(move || F::get(&s) * 2);
            let c = F::computed(move || F::get(&s) + 10);
            let d = F::computed(move || F::read(&b) + F::read(&c));
            F::effect(move || l.borrow_mut().push(F::read(&d)));
            s
        });
        F::set(&s2, 2);
        let v = log.borrow().clone();
        assert_eq!(v.len(), 3);
        assert!(
            v[1] == 14 || v[1] == 15,
            "a glitch: one branch new, the other old"
        );
        assert_eq!(v[2], 16);

        F::set(&s, 2);
        assert_eq!(F::read(&d), 16);
        assert_eq!((seen.get(), runs.get()), (16, 3));

        // A batch queues the signal's subscribers once; the effect still runs
        // once per path when they run at the end.
        F::batch(|| {
            F::set(&s, 3);
            F::set(&s, 4);
        });
        assert_eq!(F::read(&d), 22);
        assert_eq!((seen.get(), runs.get()), (22, 5));

        // Writing the same value: `set` does not compare, but the memos do, so
        // nothing changes downstream and the effect does not run.
        F::set(&s, 4);
        assert_eq!((seen.get(), runs.get()), (22, 5));

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

//! Adapter for `alien-signals` 0.1, the Rust port of the alien-signals JS library.
//!
//! **API.** The crate's own `signal`, `computed` and `effect` ([`Signal`],
//! [`Computed`], [`Effect`]): lazy, push-pull, glitch-free computeds; effects
//! queued during the write's propagation and flushed before `set` returns.
//!
//! **Synchronous effects.** Native: an effect runs at once when created and is
//! flushed at the end of every write (or of the outermost batch).
//!
//! **Batch.** The library's `start_batch`/`end_batch` (there is no closure form),
//! with a guard so a panic in `f` still ends the batch (the report catches a
//! panicking case and goes on to the next).
//!
//! **Build/cleanup.** Each `build` runs `f` inside a new [`EffectScope`]; its
//! effects link to the scope, and `cleanup` disposes every scope, which stops
//! them and unlinks them from their sources. `EffectScope::new` takes a `'static`
//! closure and `build`'s is not, so the adapter opens the scope with an empty
//! closure that records the scope's node (`get_active_sub`), then makes that node
//! the active subscriber around `f` with the public `set_active_sub`, which is
//! what `EffectScope::new` itself does around its closure.
//!
//! **What cannot be released.** The port allocates every node and every
//! dependency link from a global bump arena of 1024-slot chunks that never frees
//! nor reuses a slot (its `ChunkedArena` has no free list; disposing only
//! unlinks). Memory therefore grows with every node and every new link for the
//! life of the process, `cleanup` returns nothing to the allocator, and memory
//! rows see whole chunks (≈56 KiB of links, 48 KiB of nodes) allocated when one
//! fills, plus the boxed closure and value per node. That is the library's
//! behaviour and is measured as is.
//!
//! **One thread at a time.** The port keeps its whole state (arena, active
//! subscriber, batch depth, effect queue) in process-wide statics with no
//! synchronisation ("not thread-safe", its README says), so two threads using it
//! at once race. The adapter serialises it: a thread's first constructor call
//! (or `batch`/`build`) claims the library for that thread until its `cleanup` or
//! its end, and any other thread waits in its own first call until then (for at
//! most a minute, then it panics with an explanation instead of hanging). Handles
//! are `!Send`, so only their thread can use them; what a thread must not do is
//! keep using handles after its `cleanup` while another thread runs
//! alien-signals. The report runs one thread at a time (its memory rows run on
//! fresh threads, one after another), so there this costs one thread-local check
//! per constructor and never waits; it matters for parallel tests.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::{Condvar, Mutex};
use std::thread::ThreadId;
use std::time::{Duration, Instant};

use alien_signals::{
    end_batch, get_active_sub, set_active_sub, start_batch, Computed, Effect, EffectScope, Signal,
};

use crate::framework::Framework;

/// Crate and version measured.
pub const CRATE: &str = "alien-signals 0.1.4";

/// The adapter.
pub struct AlienSignalsRs;

/// The thread that may use alien-signals now, if any.
static OWNER: Mutex<Option<ThreadId>> = Mutex::new(None);
static RELEASED: Condvar = Condvar::new();
/// How long a thread waits for another to be done with the library before it
/// panics (rather than hang, say if the other thread waits for this one).
const WAIT_LIMIT: Duration = Duration::from_secs(60);

thread_local! {
    /// This thread holds the library.
    static HELD: Cell<bool> = const { Cell::new(false) };
    /// Releases the library when the thread ends.
    static AT_EXIT: ReleaseAtExit = const { ReleaseAtExit };
    static SCOPES: RefCell<Vec<EffectScope>> = const { RefCell::new(Vec::new()) };
}

struct ReleaseAtExit;

impl Drop for ReleaseAtExit {
    fn drop(&mut self) {
        release();
    }
}

/// Makes sure this thread holds the library (waits while another thread does).
#[inline]
fn claim() {
    if !HELD.with(Cell::get) {
        acquire();
    }
}

#[cold]
fn acquire() {
    let me = std::thread::current().id();
    let deadline = Instant::now() + WAIT_LIMIT;
    let mut owner = OWNER.lock().unwrap_or_else(|e| e.into_inner());
    while owner.is_some_and(|t| t != me) {
        let left = deadline.saturating_duration_since(Instant::now());
        assert!(
            !left.is_zero(),
            "alien-signals is not thread-safe and another thread has been using it \
             for {WAIT_LIMIT:?}; run its cases one thread at a time"
        );
        owner = RELEASED
            .wait_timeout(owner, left)
            .unwrap_or_else(|e| e.into_inner())
            .0;
    }
    *owner = Some(me);
    drop(owner);
    HELD.with(|h| h.set(true));
    AT_EXIT.with(|_| ());
    // A thread that ended inside a tracked scope (a panic) may have left its
    // subscriber active.
    set_active_sub(None);
}

/// Lets other threads use the library (at `cleanup` and at thread exit).
fn release() {
    if HELD.try_with(|h| h.replace(false)).unwrap_or(false) {
        *OWNER.lock().unwrap_or_else(|e| e.into_inner()) = None;
        RELEASED.notify_all();
    }
}

/// Runs its closure when dropped, so that a panic in the benchmark's closure
/// does not leave a batch open or a scope active for the cases that follow.
struct OnDrop<F: FnOnce()>(Option<F>);

impl<F: FnOnce()> Drop for OnDrop<F> {
    fn drop(&mut self) {
        if let Some(f) = self.0.take() {
            f();
        }
    }
}

impl Framework for AlienSignalsRs {
    const NAME: &'static str = "alien_signals_rs";
    type Signal = Signal<i64>;
    type Computed = Computed<i64>;

    fn signal(v: i64) -> Self::Signal {
        claim();
        Signal::new(v)
    }
    fn get(s: &Self::Signal) -> i64 {
        s.get()
    }
    fn set(s: &Self::Signal, v: i64) {
        s.set(v)
    }
    fn computed(f: impl Fn() -> i64 + 'static) -> Self::Computed {
        claim();
        Computed::new(move |_| f())
    }
    fn read(c: &Self::Computed) -> i64 {
        c.get()
    }
    fn effect(f: impl Fn() + 'static) {
        claim();
        // Dropping the handle does not stop the effect: it lives until its scope
        // is disposed.
        let _ = Effect::new(f);
    }
    fn batch(f: impl FnOnce()) {
        claim();
        start_batch();
        let _end = OnDrop(Some(end_batch));
        f();
    }
    fn build<R>(f: impl FnOnce() -> R) -> R {
        claim();
        let node = Rc::new(Cell::new(None));
        let scope = EffectScope::new({
            let node = node.clone();
            move || node.set(get_active_sub())
        });
        SCOPES.with(|s| s.borrow_mut().push(scope));
        let prev = set_active_sub(node.get());
        let _restore = OnDrop(Some(move || {
            set_active_sub(prev);
        }));
        f()
    }
    fn cleanup() {
        claim();
        for scope in SCOPES.with(|s| std::mem::take(&mut *s.borrow_mut())) {
            scope.dispose();
        }
        release();
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::rc::Rc;

    use super::AlienSignalsRs as F;
    use crate::framework::Framework;

    /// signal → two computeds → computed → effect.
    #[test]
    fn diamond() {
        let runs = Rc::new(Cell::new(0u32));
        let seen = Rc::new(Cell::new(0i64));
        let evals = Rc::new(Cell::new(0u32));
        let (s, d) = F::build(|| {
            let s = F::signal(1);
            let b = F::computed(move || F::get(&s) * 2);
            let c = F::computed(move || F::get(&s) + 10);
            let e = evals.clone();
            let d = F::computed(move || {
                e.set(e.get() + 1);
                F::read(&b) + F::read(&c)
            });
            let (runs, seen) = (runs.clone(), seen.clone());
            F::effect(move || {
                seen.set(F::read(&d));
                runs.set(runs.get() + 1);
            });
            (s, d)
        });
        assert_eq!((seen.get(), runs.get(), evals.get()), (13, 1, 1));

        F::set(&s, 2);
        assert_eq!((seen.get(), runs.get(), evals.get()), (16, 2, 2));

        F::batch(|| {
            F::set(&s, 3);
            F::set(&s, 4);
        });
        assert_eq!((seen.get(), runs.get(), evals.get()), (22, 3, 3));
        assert_eq!(F::read(&d), 22);

        // Writing the same value is a no-op (`Signal::set` compares).
        F::set(&s, 4);
        assert_eq!((seen.get(), runs.get(), evals.get()), (22, 3, 3));

        F::cleanup();
        // `cleanup` let other threads have the library; `batch` takes it back
        // before the write.
        F::batch(|| F::set(&s, 5));
        assert_eq!(runs.get(), 3, "a disposed effect does not run");
        F::cleanup();
    }

    /// Nested batches flush once, at the end of the outermost one.
    #[test]
    fn nested_batch() {
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
        F::batch(|| {
            F::set(&s, 1);
            F::batch(|| F::set(&s, 2));
            assert_eq!(runs.get(), 1);
        });
        assert_eq!(runs.get(), 2);
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

    /// Threads that use the library at the same time take turns.
    #[test]
    fn threads_take_turns() {
        let workers: Vec<_> = (0..4)
            .map(|t| {
                std::thread::spawn(move || {
                    let s = F::build(|| F::signal(t));
                    let d = F::build(|| {
                        let b = F::computed(move || F::get(&s) * 2);
                        let c = F::computed(move || F::get(&s) + 10);
                        F::computed(move || F::read(&b) + F::read(&c))
                    });
                    for i in 0..1000 {
                        F::set(&s, i);
                        assert_eq!(F::read(&d), 3 * i + 10);
                    }
                    F::cleanup();
                })
            })
            .collect();
        for w in workers {
            w.join().expect("worker");
        }
    }
}

//! A thread's runtime is torn down at thread exit, with the other
//! thread-locals. Handles that outlive it (held by a thread-local dropped
//! after it) must find it gone: the `try_*` methods return
//! `Error::RuntimeGone`, the others panic saying so (instead of reaching freed
//! records through the reads' fast paths), and disposal does nothing.

use std::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::{channel, Sender};

use sapwood_engine::{Computed, Error, NodeKind, Signal};

/// What the handles saw once the runtime was gone.
#[derive(Debug, PartialEq)]
struct Seen {
    signal_disposed: bool,
    computed_disposed: bool,
    /// The panic messages of `get` (`None`: it returned).
    signal_get: Option<String>,
    computed_get: Option<String>,
    signal_try_get: Result<i64, Error>,
    computed_try_get: Result<i64, Error>,
    signal_try_set: Result<(), Error>,
}

/// The message of the panic `f` raised, if it panicked.
fn panic_of(f: impl FnOnce() -> i64) -> Option<String> {
    let payload = catch_unwind(AssertUnwindSafe(f)).err()?;
    Some(match payload.downcast::<String>() {
        Ok(s) => *s,
        Err(p) => p
            .downcast::<&str>()
            .map(|s| s.to_string())
            .unwrap_or_default(),
    })
}

/// Holds handles past the runtime's teardown and reports, when dropped, what
/// using them did.
struct UsesWhenDropped {
    signal: Signal<i64>,
    computed: Computed<i64>,
    report: Sender<Seen>,
}

impl Drop for UsesWhenDropped {
    fn drop(&mut self) {
        let (signal, computed) = (self.signal, self.computed);
        let seen = Seen {
            signal_disposed: signal.is_disposed(),
            computed_disposed: computed.is_disposed(),
            signal_get: panic_of(|| signal.get()),
            computed_get: panic_of(|| computed.get()),
            signal_try_get: signal.try_get(),
            computed_try_get: computed.try_get(),
            signal_try_set: signal.try_set(5),
        };
        // Disposing after the teardown does nothing (and does not panic).
        signal.dispose();
        computed.dispose();
        let _ = self.report.send(seen);
    }
}

thread_local! {
    static HOLDER: RefCell<Option<UsesWhenDropped>> = const { RefCell::new(None) };
}

#[test]
fn handles_used_after_the_runtime_is_torn_down_find_it_gone() {
    let (report, seen) = channel();
    std::thread::spawn(move || {
        // The holder's destructor is registered before the runtime's (its
        // first use comes first), so it runs after the runtime's.
        HOLDER.with(|_| {});
        let signal = Signal::new(2);
        let s = signal;
        let computed = Computed::new(move || s.get() * 10);
        // Both are readable the fast way now: live, up to date, and the
        // runtime published to the fast paths.
        assert_eq!(signal.get(), 2);
        assert_eq!(computed.get(), 20);
        assert!(!signal.is_disposed());
        HOLDER.with(|h| {
            *h.borrow_mut() = Some(UsesWhenDropped {
                signal,
                computed,
                report,
            })
        });
    })
    .join()
    .expect("the thread ran");
    let seen = seen.recv().expect("the holder was dropped at thread exit");
    let gone = |kind| {
        Err(Error::RuntimeGone {
            kind,
            type_name: "i64",
        })
    };
    let says_gone = |message: &Option<String>| {
        message
            .as_deref()
            .is_some_and(|m| m.contains("runtime was torn down"))
    };
    assert!(says_gone(&seen.signal_get), "{seen:?}");
    assert!(says_gone(&seen.computed_get), "{seen:?}");
    assert_eq!(
        seen,
        Seen {
            signal_disposed: true,
            computed_disposed: true,
            signal_get: seen.signal_get.clone(),
            computed_get: seen.computed_get.clone(),
            signal_try_get: gone(NodeKind::Signal),
            computed_try_get: gone(NodeKind::Computed),
            signal_try_set: gone(NodeKind::Signal).map(|_: i64| ()),
        }
    );
}

#[test]
fn the_runtime_gone_error_names_the_handle() {
    let e = Error::RuntimeGone {
        kind: NodeKind::Computed,
        type_name: "i64",
    };
    let message = e.to_string();
    assert!(message.contains("Computed<i64>"), "{message}");
    assert!(message.contains("runtime was torn down"), "{message}");
}

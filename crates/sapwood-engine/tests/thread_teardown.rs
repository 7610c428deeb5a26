//! A thread's runtime is torn down at thread exit, with the other
//! thread-locals. Handles that outlive it (held by a thread-local dropped
//! after it) must find it gone: reads refuse, by a panic, instead of
//! reaching freed records through the reads' fast paths, and disposal does
//! nothing.

use std::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::{channel, Sender};

use sapwood_engine::{Computed, Signal};

/// What the handles saw once the runtime was gone.
#[derive(Debug, PartialEq)]
struct Seen {
    signal_disposed: bool,
    computed_disposed: bool,
    signal_read_refused: bool,
    computed_read_refused: bool,
}

/// Holds handles past the runtime's teardown and reports, when dropped, what
/// reading them did.
struct ReadsWhenDropped {
    signal: Signal<i64>,
    computed: Computed<i64>,
    report: Sender<Seen>,
}

impl Drop for ReadsWhenDropped {
    fn drop(&mut self) {
        let seen = Seen {
            signal_disposed: self.signal.is_disposed(),
            computed_disposed: self.computed.is_disposed(),
            signal_read_refused: catch_unwind(AssertUnwindSafe(|| self.signal.get())).is_err(),
            computed_read_refused: catch_unwind(AssertUnwindSafe(|| self.computed.get())).is_err(),
        };
        let _ = self.report.send(seen);
    }
}

thread_local! {
    static HOLDER: RefCell<Option<ReadsWhenDropped>> = const { RefCell::new(None) };
}

#[test]
fn handles_read_after_the_runtime_is_torn_down_find_it_gone() {
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
            *h.borrow_mut() = Some(ReadsWhenDropped {
                signal,
                computed,
                report,
            })
        });
    })
    .join()
    .expect("the thread ran");
    assert_eq!(
        seen.recv().expect("the holder was dropped at thread exit"),
        Seen {
            signal_disposed: true,
            computed_disposed: true,
            signal_read_refused: true,
            computed_read_refused: true,
        }
    );
}

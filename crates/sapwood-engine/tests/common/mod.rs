//! Helpers shared by the conformance tests: counters for evaluations and runs,
//! and logs of what effects saw.
//!
//! Each test file uses only some of them.
#![allow(dead_code)]

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use sapwood_engine::{Computed, Effect};

/// Counts evaluations or runs.
#[derive(Clone, Default)]
pub struct Counter(Rc<Cell<usize>>);

impl Counter {
    pub fn hit(&self) {
        self.0.set(self.0.get() + 1);
    }

    pub fn get(&self) -> usize {
        self.0.get()
    }
}

/// The values an effect recorded, one per run.
pub type Seen<T> = Rc<RefCell<Vec<T>>>;

/// A computed whose evaluations are counted by `counter`.
pub fn counted<T: PartialEq + 'static>(
    counter: &Counter,
    mut f: impl FnMut() -> T + 'static,
) -> Computed<T> {
    let counter = counter.clone();
    Computed::new(move || {
        counter.hit();
        f()
    })
}

/// An effect that records the value `f` returns on each run.
pub fn record<T: 'static>(mut f: impl FnMut() -> T + 'static) -> Seen<T> {
    let seen: Seen<T> = Rc::default();
    let sink = seen.clone();
    let _effect = Effect::new(move || {
        let value = f();
        sink.borrow_mut().push(value);
    });
    seen
}

/// What an effect recorded so far.
pub fn values<T: Clone>(seen: &Seen<T>) -> Vec<T> {
    seen.borrow().clone()
}

/// An ordered log of events.
pub type Log = Rc<RefCell<Vec<String>>>;

pub fn push(log: &Log, entry: impl Into<String>) {
    log.borrow_mut().push(entry.into());
}

/// The log's entries so far, emptying it.
pub fn take(log: &Log) -> Vec<String> {
    std::mem::take(&mut *log.borrow_mut())
}

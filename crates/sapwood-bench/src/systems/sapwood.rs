//! Sapwood's adapter.

use std::cell::RefCell;

use sapwood::{batch, Computed, Effect, Scope, Signal};

use crate::framework::Framework;

/// Sapwood, through its public API.
pub struct Sapwood;

thread_local! {
    static ROOTS: RefCell<Vec<Scope>> = const { RefCell::new(Vec::new()) };
}

impl Framework for Sapwood {
    const NAME: &'static str = "sapwood";
    type Signal = Signal<i64>;
    type Computed = Computed<i64>;

    fn signal(v: i64) -> Self::Signal {
        Signal::new(v)
    }
    fn get(s: &Self::Signal) -> i64 {
        s.get()
    }
    fn set(s: &Self::Signal, v: i64) {
        s.set(v)
    }
    fn computed(f: impl Fn() -> i64 + 'static) -> Self::Computed {
        Computed::new(f)
    }
    fn read(c: &Self::Computed) -> i64 {
        c.get()
    }
    fn effect(f: impl Fn() + 'static) {
        Effect::new(f);
    }
    fn batch(f: impl FnOnce()) {
        batch(f)
    }
    fn build<R>(f: impl FnOnce() -> R) -> R {
        let mut out = None;
        let scope = Scope::new(|| out = Some(f()));
        ROOTS.with(|r| r.borrow_mut().push(scope));
        out.expect("scope ran")
    }
    fn cleanup() {
        for scope in ROOTS.with(|r| std::mem::take(&mut *r.borrow_mut())) {
            scope.dispose();
        }
    }
}

//! Adapter for `sycamore_reactive` (placeholder until the adapter lands: every call panics).

use crate::framework::Framework;

/// Crate and version measured.
pub const CRATE: &str = "sycamore_reactive (not yet wired)";

/// The adapter.
pub struct SycamoreReactive;

impl Framework for SycamoreReactive {
    const NAME: &'static str = "sycamore_reactive";
    type Signal = ();
    type Computed = ();

    fn signal(_: i64) -> Self::Signal {
        unimplemented!("sycamore_reactive adapter")
    }
    fn get(_: &Self::Signal) -> i64 {
        unimplemented!("sycamore_reactive adapter")
    }
    fn set(_: &Self::Signal, _: i64) {
        unimplemented!("sycamore_reactive adapter")
    }
    fn computed(_: impl Fn() -> i64 + 'static) -> Self::Computed {
        unimplemented!("sycamore_reactive adapter")
    }
    fn read(_: &Self::Computed) -> i64 {
        unimplemented!("sycamore_reactive adapter")
    }
    fn effect(_: impl Fn() + 'static) {
        unimplemented!("sycamore_reactive adapter")
    }
    fn batch(_: impl FnOnce()) {
        unimplemented!("sycamore_reactive adapter")
    }
    fn build<R>(_: impl FnOnce() -> R) -> R {
        unimplemented!("sycamore_reactive adapter")
    }
    fn cleanup() {
        unimplemented!("sycamore_reactive adapter")
    }
}

//! Adapter for `floem_reactive` (placeholder until the adapter lands: every call panics).

use crate::framework::Framework;

/// Crate and version measured.
pub const CRATE: &str = "floem_reactive (not yet wired)";

/// The adapter.
pub struct FloemReactive;

impl Framework for FloemReactive {
    const NAME: &'static str = "floem_reactive";
    type Signal = ();
    type Computed = ();

    fn signal(_: i64) -> Self::Signal {
        unimplemented!("floem_reactive adapter")
    }
    fn get(_: &Self::Signal) -> i64 {
        unimplemented!("floem_reactive adapter")
    }
    fn set(_: &Self::Signal, _: i64) {
        unimplemented!("floem_reactive adapter")
    }
    fn computed(_: impl Fn() -> i64 + 'static) -> Self::Computed {
        unimplemented!("floem_reactive adapter")
    }
    fn read(_: &Self::Computed) -> i64 {
        unimplemented!("floem_reactive adapter")
    }
    fn effect(_: impl Fn() + 'static) {
        unimplemented!("floem_reactive adapter")
    }
    fn batch(_: impl FnOnce()) {
        unimplemented!("floem_reactive adapter")
    }
    fn build<R>(_: impl FnOnce() -> R) -> R {
        unimplemented!("floem_reactive adapter")
    }
    fn cleanup() {
        unimplemented!("floem_reactive adapter")
    }
}

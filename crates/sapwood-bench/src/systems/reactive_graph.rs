//! Adapter for `reactive_graph` (placeholder until the adapter lands: every call panics).

use crate::framework::Framework;

/// Crate and version measured.
pub const CRATE: &str = "reactive_graph (not yet wired)";

/// The adapter.
pub struct ReactiveGraph;

impl Framework for ReactiveGraph {
    const NAME: &'static str = "reactive_graph";
    type Signal = ();
    type Computed = ();

    fn signal(_: i64) -> Self::Signal {
        unimplemented!("reactive_graph adapter")
    }
    fn get(_: &Self::Signal) -> i64 {
        unimplemented!("reactive_graph adapter")
    }
    fn set(_: &Self::Signal, _: i64) {
        unimplemented!("reactive_graph adapter")
    }
    fn computed(_: impl Fn() -> i64 + 'static) -> Self::Computed {
        unimplemented!("reactive_graph adapter")
    }
    fn read(_: &Self::Computed) -> i64 {
        unimplemented!("reactive_graph adapter")
    }
    fn effect(_: impl Fn() + 'static) {
        unimplemented!("reactive_graph adapter")
    }
    fn batch(_: impl FnOnce()) {
        unimplemented!("reactive_graph adapter")
    }
    fn build<R>(_: impl FnOnce() -> R) -> R {
        unimplemented!("reactive_graph adapter")
    }
    fn cleanup() {
        unimplemented!("reactive_graph adapter")
    }
}

//! Adapter for `alien_signals_rs` (placeholder until the adapter lands: every call panics).

use crate::framework::Framework;

/// Crate and version measured.
pub const CRATE: &str = "alien_signals_rs (not yet wired)";

/// The adapter.
pub struct AlienSignalsRs;

impl Framework for AlienSignalsRs {
    const NAME: &'static str = "alien_signals_rs";
    type Signal = ();
    type Computed = ();

    fn signal(_: i64) -> Self::Signal {
        unimplemented!("alien_signals_rs adapter")
    }
    fn get(_: &Self::Signal) -> i64 {
        unimplemented!("alien_signals_rs adapter")
    }
    fn set(_: &Self::Signal, _: i64) {
        unimplemented!("alien_signals_rs adapter")
    }
    fn computed(_: impl Fn() -> i64 + 'static) -> Self::Computed {
        unimplemented!("alien_signals_rs adapter")
    }
    fn read(_: &Self::Computed) -> i64 {
        unimplemented!("alien_signals_rs adapter")
    }
    fn effect(_: impl Fn() + 'static) {
        unimplemented!("alien_signals_rs adapter")
    }
    fn batch(_: impl FnOnce()) {
        unimplemented!("alien_signals_rs adapter")
    }
    fn build<R>(_: impl FnOnce() -> R) -> R {
        unimplemented!("alien_signals_rs adapter")
    }
    fn cleanup() {
        unimplemented!("alien_signals_rs adapter")
    }
}

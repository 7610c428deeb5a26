//! The speed suites: the cases of js-reactivity-benchmark, written once over
//! [`Framework`], each with a hand-written non-reactive floor, each checking its
//! results so that no figure comes from wrong work.

mod bencher;
mod cellx;
mod dynamic;
mod kairo;
mod mol;
mod sbench;

pub use bencher::{median, Bencher};

use crate::framework::Framework;
use crate::systems::{run_case, System};

/// `Ok` when the case's checks passed, else what was wrong (expected vs got).
pub type CaseResult = Result<(), String>;

/// One speed case.
pub trait SpeedCase {
    /// The `case` name in the JSON (`kairo.deep`, `cellx.1000`, ...).
    const NAME: &'static str;
    /// Part of the reduced `--quick` set.
    const QUICK: bool;
    /// Builds the case for `F`, then calls `b.iter` once with one iteration's
    /// work, and checks the results (values, effect runs, evaluations).
    fn run<F: Framework>(b: &mut Bencher) -> CaseResult;
    /// The same work, hand-written without any reactive system: the floor.
    fn floor(b: &mut Bencher) -> CaseResult;
}

/// A registered case: its name and a runner for any system.
pub struct CaseEntry {
    /// The `case` name in the JSON.
    pub name: &'static str,
    /// Part of `--quick`.
    pub quick: bool,
    /// Runs it on a system (`None`: the system cannot run speed cases).
    pub run: fn(System, &mut Bencher) -> Option<CaseResult>,
}

/// The entry for case `C`.
pub const fn entry<C: SpeedCase>() -> CaseEntry {
    CaseEntry {
        name: C::NAME,
        quick: C::QUICK,
        run: run_case::<C>,
    }
}

/// Every case, in report order.
pub fn cases() -> Vec<CaseEntry> {
    vec![
        entry::<kairo::Avoidable>(),
        entry::<kairo::Broad>(),
        entry::<kairo::Deep>(),
        entry::<kairo::Diamond>(),
        entry::<kairo::Mux>(),
        entry::<kairo::Repeated>(),
        entry::<kairo::Triangle>(),
        entry::<kairo::Unstable>(),
        entry::<mol::Mol>(),
        entry::<cellx::Cellx1000>(),
        entry::<cellx::Cellx2500>(),
        entry::<sbench::CreateSignals>(),
        entry::<sbench::CreateComputations>(),
        entry::<sbench::UpdateSignals>(),
        entry::<dynamic::Dyn2x10x5>(),
        entry::<dynamic::Dyn6x10x10>(),
        entry::<dynamic::Dyn4x1000x12>(),
        entry::<dynamic::Dyn25x1000x5>(),
        entry::<dynamic::Dyn3x5x500>(),
        entry::<dynamic::Dyn6x100x15>(),
    ]
}

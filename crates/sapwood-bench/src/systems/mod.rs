//! The systems compared in the report: Sapwood, each Rust peer, and the floor.

use crate::framework::Framework;
use crate::speed::{Bencher, CaseResult, SpeedCase};

pub mod alien_signals_rs;
pub mod floem_reactive;
pub mod futures_signals;
pub mod reactive_graph;
pub mod sapwood;
pub mod sycamore_reactive;

/// A system in the report, by its JSON name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum System {
    /// This project.
    Sapwood,
    /// Leptos's `reactive_graph`.
    ReactiveGraph,
    /// `sycamore-reactive`.
    SycamoreReactive,
    /// `floem_reactive`.
    FloemReactive,
    /// `alien-signals`, the Rust port.
    AlienSignalsRs,
    /// `futures-signals` (memory rows only).
    FuturesSignals,
    /// The state-tree floor: the same data read by `serde_json` into plain
    /// structs, with no Sapwood at all (tree rows only).
    SerdePlain,
    /// The hand-written, non-reactive version of each case (speed only).
    Floor,
}

impl System {
    /// Every system with a [`Framework`] adapter, Sapwood first.
    pub const FRAMEWORKS: [System; 5] = [
        System::Sapwood,
        System::ReactiveGraph,
        System::SycamoreReactive,
        System::FloemReactive,
        System::AlienSignalsRs,
    ];

    /// The `system` field of the JSON.
    pub fn name(self) -> &'static str {
        match self {
            System::Sapwood => sapwood::Sapwood::NAME,
            System::ReactiveGraph => reactive_graph::ReactiveGraph::NAME,
            System::SycamoreReactive => sycamore_reactive::SycamoreReactive::NAME,
            System::FloemReactive => floem_reactive::FloemReactive::NAME,
            System::AlienSignalsRs => alien_signals_rs::AlienSignalsRs::NAME,
            System::FuturesSignals => "futures_signals",
            System::SerdePlain => "serde_plain",
            System::Floor => "floor",
        }
    }

    /// The crate and version, for the report's header.
    pub fn crate_version(self) -> &'static str {
        match self {
            System::Sapwood => concat!("sapwood ", env!("CARGO_PKG_VERSION")),
            System::ReactiveGraph => reactive_graph::CRATE,
            System::SycamoreReactive => sycamore_reactive::CRATE,
            System::FloemReactive => floem_reactive::CRATE,
            System::AlienSignalsRs => alien_signals_rs::CRATE,
            System::FuturesSignals => futures_signals::CRATE,
            System::SerdePlain => "serde_json 1 into plain serde structs (sapwood_fixtures::plain)",
            System::Floor => "hand-written, non-reactive",
        }
    }
}

/// Runs speed case `C` on `system` (the floor runs the case's hand-written version).
pub fn run_case<C: SpeedCase>(system: System, b: &mut Bencher) -> Option<CaseResult> {
    Some(match system {
        System::Sapwood => C::run::<sapwood::Sapwood>(b),
        System::ReactiveGraph => C::run::<reactive_graph::ReactiveGraph>(b),
        System::SycamoreReactive => C::run::<sycamore_reactive::SycamoreReactive>(b),
        System::FloemReactive => C::run::<floem_reactive::FloemReactive>(b),
        System::AlienSignalsRs => C::run::<alien_signals_rs::AlienSignalsRs>(b),
        System::FuturesSignals | System::SerdePlain => return None,
        System::Floor => C::floor(b),
    })
}

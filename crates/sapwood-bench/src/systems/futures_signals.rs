//! `futures-signals`: memory rows only (placeholder until the adapter lands).

/// Crate and version measured.
pub const CRATE: &str = "futures-signals (not yet wired)";

/// Bytes and allocations for `n` `Mutable<i64>` kept alive, or `None` if unavailable.
pub fn measure_signals(_n: usize) -> Option<sapwood_meter::Measurement> {
    None
}

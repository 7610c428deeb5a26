//! `futures-signals` 0.3: memory rows only.
//!
//! Its [`Mutable`] is a plain observable cell, comparable to a signal, so the
//! report gives its bytes and allocations per signal. It takes no part in the
//! speed cases or the computed/effect memory rows: a derived value is a `Signal`
//! *stream* (`mutable.signal().map(..)`) that computes only when a task polls it,
//! and an effect is a `for_each` future that needs an executor; neither has a
//! synchronous value or a synchronous run to compare with the other systems'
//! computeds and effects. Default features (`debug` logging, `serde`) are off;
//! neither changes `Mutable`'s layout.

use futures_signals::signal::Mutable;

/// Crate and version measured.
pub const CRATE: &str = "futures-signals 0.3.34";

/// Bytes and allocations for `n` `Mutable<i64>` kept alive.
///
/// The `Vec` that keeps them alive is allocated before the measured span, so
/// only the `Mutable`s themselves (one `Arc` each) are counted.
pub fn measure_signals(n: usize) -> Option<sapwood_meter::Measurement> {
    let mut kept: Vec<Mutable<i64>> = Vec::with_capacity(n);
    let ((), m) = sapwood_meter::measure(|| {
        for i in 0..n {
            kept.push(Mutable::new(i as i64));
        }
    });
    drop(kept);
    Some(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_allocation_per_mutable() {
        let m = measure_signals(1000).expect("measured");
        if sapwood_meter::is_counting() {
            // One `Arc` allocation per `Mutable`, nothing else.
            assert_eq!(m.allocations, 1000);
            assert!(m.bytes_retained > 0);
            assert_eq!(m.bytes_retained % 1000, 0);
        }
    }

    #[test]
    fn mutable_reads_and_writes() {
        let m = Mutable::new(1i64);
        m.set(2);
        assert_eq!(m.get(), 2);
    }
}

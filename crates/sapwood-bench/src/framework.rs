//! The interface every reactive system implements to take part in the report.
//!
//! Modelled on js-reactivity-benchmark's `ReactiveFramework`, with `i64` values
//! (every case of the suites computes with numbers). Methods are associated
//! functions: each system keeps its own per-thread runtime, as it does for its
//! users. An adapter uses the library's idiomatic, cheapest public API.

/// A reactive system under test.
pub trait Framework: 'static {
    /// The `system` name in the report and its JSON (`sapwood`, `reactive_graph`, ...).
    const NAME: &'static str;
    /// A writable source of `i64`.
    type Signal: Clone + 'static;
    /// A derived `i64`.
    type Computed: Clone + 'static;

    /// A new signal holding `v`.
    fn signal(v: i64) -> Self::Signal;
    /// Tracked read of a signal.
    fn get(s: &Self::Signal) -> i64;
    /// Write (notifies dependents).
    fn set(s: &Self::Signal, v: i64);
    /// A new computed (lazy where the system is lazy).
    fn computed(f: impl Fn() -> i64 + 'static) -> Self::Computed;
    /// Tracked read of a computed.
    fn read(c: &Self::Computed) -> i64;
    /// A new effect; it runs at once and after each change of what it read.
    /// Effects must run synchronously (by the end of the write or batch).
    fn effect(f: impl Fn() + 'static);
    /// Runs `f` as one batch of writes (effects run once, at the end).
    fn batch(f: impl FnOnce());
    /// Runs `f` inside a fresh owner (root/scope) so that what it creates can be
    /// released by [`Framework::cleanup`].
    fn build<R>(f: impl FnOnce() -> R) -> R;
    /// Releases everything created by the [`Framework::build`] calls so far.
    fn cleanup();
}

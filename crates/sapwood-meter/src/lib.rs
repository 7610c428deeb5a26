//! Exact allocation accounting for tests and benchmarks.
//!
//! [`CountingAlloc`] wraps the system allocator and counts, **per thread**, every
//! allocation, deallocation and reallocation together with the bytes requested.
//! Because the counters are thread-local, tests running in parallel do not disturb
//! each other's figures. [`measure`] runs a closure and reports what it allocated,
//! what it freed, what it kept and its peak.
//!
//! Install the allocator once in the binary or test crate that measures:
//!
//! ```
//! use sapwood_meter::{measure, CountingAlloc};
//!
//! #[global_allocator]
//! static ALLOC: CountingAlloc = CountingAlloc;
//!
//! let (kept, m) = measure(|| vec![0u64; 100]);
//! assert_eq!(m.bytes_retained, 800);
//! assert_eq!(m.allocations, 1);
//! drop(kept);
//! ```
//!
//! Figures are *requested* bytes (the `Layout` sizes asked of the allocator), not
//! the allocator's internal rounding: they are exact and the same on every run.
//! Without the allocator installed, every figure reads zero; [`is_counting`] tells.
#![warn(missing_docs)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

/// A global allocator that forwards to [`System`] and counts per thread.
///
/// A reallocation counts as one allocation of the new size and one deallocation of
/// the old size, so `bytes_retained` always equals the live bytes.
#[derive(Debug, Default, Clone, Copy)]
pub struct CountingAlloc;

#[derive(Clone, Copy)]
struct Counters {
    allocations: u64,
    deallocations: u64,
    bytes_allocated: u64,
    bytes_freed: u64,
    /// Live bytes allocated by this thread minus bytes freed by it (may go negative
    /// when a thread frees memory that another thread allocated).
    live: i64,
    /// Highest `live` seen since the last reset of the peak.
    peak: i64,
}

const ZERO: Counters = Counters {
    allocations: 0,
    deallocations: 0,
    bytes_allocated: 0,
    bytes_freed: 0,
    live: 0,
    peak: 0,
};

thread_local! {
    // `const` initialisation: reading it never allocates, which matters because it
    // is read from inside the allocator itself.
    static COUNTERS: Cell<Counters> = const { Cell::new(ZERO) };
}

fn on_alloc(size: usize) {
    // `try_with` fails only while the thread is being torn down; such late
    // allocations are not counted.
    let _ = COUNTERS.try_with(|c| {
        let mut v = c.get();
        v.allocations += 1;
        v.bytes_allocated += size as u64;
        v.live += size as i64;
        if v.live > v.peak {
            v.peak = v.live;
        }
        c.set(v);
    });
}

fn on_dealloc(size: usize) {
    let _ = COUNTERS.try_with(|c| {
        let mut v = c.get();
        v.deallocations += 1;
        v.bytes_freed += size as u64;
        v.live -= size as i64;
        c.set(v);
    });
}

// SAFETY: every method forwards to `System` with the caller's arguments unchanged,
// so `System`'s guarantees carry over; the counting only touches a thread-local
// `Cell` and never allocates.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded unchanged; the caller upholds `GlobalAlloc::alloc`'s contract.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            on_alloc(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            on_alloc(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `System` through this allocator with `layout`.
        unsafe { System.dealloc(ptr, layout) };
        on_dealloc(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded unchanged; the caller upholds `GlobalAlloc::realloc`'s contract.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            on_dealloc(layout.size());
            on_alloc(new_size);
        }
        p
    }
}

/// A snapshot of this thread's allocation counters since the thread started.
///
/// Subtract two snapshots (`later - earlier`) to get what happened in between;
/// [`measure`] does that for you.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Snapshot {
    /// Number of allocations (including reallocations).
    pub allocations: u64,
    /// Number of deallocations (including the old block of each reallocation).
    pub deallocations: u64,
    /// Bytes requested by those allocations.
    pub bytes_allocated: u64,
    /// Bytes released by those deallocations.
    pub bytes_freed: u64,
}

/// This thread's counters now.
pub fn snapshot() -> Snapshot {
    let v = COUNTERS.with(|c| c.get());
    Snapshot {
        allocations: v.allocations,
        deallocations: v.deallocations,
        bytes_allocated: v.bytes_allocated,
        bytes_freed: v.bytes_freed,
    }
}

/// What a measured closure did to the heap, on the calling thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Measurement {
    /// Bytes requested from the allocator (reallocations count their new size).
    pub bytes_allocated: u64,
    /// Bytes given back to the allocator.
    pub bytes_freed: u64,
    /// Bytes still held when the closure returned: `bytes_allocated - bytes_freed`.
    /// Negative when the closure freed more than it allocated.
    pub bytes_retained: i64,
    /// Number of allocations (a reallocation counts as one).
    pub allocations: u64,
    /// Number of deallocations.
    pub deallocations: u64,
    /// Highest number of bytes held at any moment during the closure, above the
    /// level at its start.
    pub peak: u64,
}

impl Measurement {
    /// Retained bytes divided by `n` objects, for per-object budgets.
    pub fn retained_per(&self, n: usize) -> f64 {
        self.bytes_retained as f64 / n as f64
    }

    /// Allocations divided by `n` objects.
    pub fn allocations_per(&self, n: usize) -> f64 {
        self.allocations as f64 / n as f64
    }
}

/// Runs `f` and reports what it did to this thread's heap, with `f`'s result.
///
/// The value `f` returns is handed back to you, not dropped, so that what it holds
/// counts as retained. Nested calls are allowed: each reports its own span.
///
/// ```
/// # use sapwood_meter::{measure, CountingAlloc};
/// # #[global_allocator]
/// # static ALLOC: CountingAlloc = CountingAlloc;
/// let (_, m) = measure(|| drop(String::from("temporary")));
/// assert_eq!(m.bytes_retained, 0);
/// assert_eq!(m.peak, 9);
/// ```
pub fn measure<R>(f: impl FnOnce() -> R) -> (R, Measurement) {
    let before = COUNTERS.with(|c| {
        let mut v = c.get();
        let saved_peak = v.peak;
        v.peak = v.live;
        c.set(v);
        (v, saved_peak)
    });
    let (start, saved_peak) = before;
    let result = f();
    let end = COUNTERS.with(|c| {
        let mut v = c.get();
        let here = v;
        // Restore the outer span's peak so nested measurements compose.
        v.peak = v.peak.max(saved_peak);
        c.set(v);
        here
    });
    let m = Measurement {
        bytes_allocated: end.bytes_allocated - start.bytes_allocated,
        bytes_freed: end.bytes_freed - start.bytes_freed,
        bytes_retained: (end.bytes_allocated - start.bytes_allocated) as i64
            - (end.bytes_freed - start.bytes_freed) as i64,
        allocations: end.allocations - start.allocations,
        deallocations: end.deallocations - start.deallocations,
        peak: (end.peak - start.live).max(0) as u64,
    };
    (result, m)
}

/// True when [`CountingAlloc`] is the global allocator of this program (it makes a
/// small allocation and checks that it was counted).
pub fn is_counting() -> bool {
    let before = snapshot().allocations;
    let b = std::hint::black_box(Box::new(0u8));
    drop(b);
    snapshot().allocations > before
}

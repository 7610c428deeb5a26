//! Sapwood's reactive engine: signals, computed values, effects and scopes.
//!
//! ```
//! use sapwood_engine::{batch, Computed, Effect, Signal};
//! use std::{cell::Cell, rc::Rc};
//!
//! let price = Signal::new(10);
//! let quantity = Signal::new(2);
//! let total = Computed::new(move || price.get() * quantity.get());
//! let shown = Rc::new(Cell::new(0));
//! let s = shown.clone();
//! Effect::new(move || s.set(total.get()));
//! assert_eq!(shown.get(), 20);
//! batch(|| {
//!     price.set(12);
//!     quantity.set(3);
//! }); // the effect runs once, here
//! assert_eq!(shown.get(), 36);
//! ```
//!
//! # Model
//!
//! Push-pull with two colours: a write marks what depends on it as possibly
//! changed and queues the effects it reaches; reading a computed (or running a
//! queued effect) checks its sources and recomputes only what really changed.
//! Computeds are lazy, cached, glitch-free and cut propagation when they
//! recompute an equal value. Dirty checking and propagation are iterative: a
//! chain of a million computeds neither overflows the stack nor recurses.
//!
//! # Memory
//!
//! Nodes are 24-byte records and dependency edges 16-byte records in chunked
//! arenas with free lists; handles are 8-byte `Copy` values (index and
//! generation). A `Signal<i64>` costs 24 bytes and no allocation, a computed or
//! effect one block for its closure (with a computed's value) from a per-thread
//! slab of size classes (no allocation of its own; the slab keeps freed blocks
//! for the next of their size), an edge 16 bytes.
//! A re-run that reads the same sources allocates nothing.
//!
//! # Ownership and disposal
//!
//! Every node belongs to the [`Scope`], effect or computed running when it was
//! created (or to no one at top level). Disposing an owner disposes what it owns,
//! last created first; an effect or computed disposes what its previous run
//! created before it runs again. Using a disposed handle never touches another
//! node: the `try_*` methods return [`Error::Disposed`], the others panic with a
//! message naming the node's type and where it was created.
//!
//! # Threads
//!
//! The runtime is per thread: handles are `!Send` and `!Sync`, and a program
//! that uses several threads runs one independent runtime on each. Nothing is
//! shared, so nothing is locked.
//!
//! A thread's runtime is torn down with its other thread-locals when the
//! thread exits, disposing every node. A handle that outlives it (kept by a
//! thread-local whose destructor runs later) finds it gone: the `try_*`
//! methods return [`Error::RuntimeGone`], the others panic saying so, and
//! `dispose` does nothing.
//!
//! # Limits
//!
//! At most 11,184,810 live nodes and 16,777,216 live edges per thread: edge
//! records pack indices into 25 bits, and an index counts 8-byte words (a node
//! is three, an edge two). Past that, creating one more panics.

#![warn(missing_docs)]

mod arena;
mod cells;
mod computed;
mod edge;
mod effect;
mod erased;
mod error;
mod graph;
mod node;
mod queue;
mod run;
mod runtime;
mod scope;
mod signal;
mod site;

/// Hooks for the engine's own tests; not part of the API.
#[doc(hidden)]
pub mod testing {
    use crate::runtime::with_rt;

    /// Makes every write on this thread that is a safe point (a write from
    /// outside the engine) move both arenas into new blocks and overwrite the
    /// old ones, so that a reference into an arena kept across user code
    /// reads garbage. The relocation tests run the engine this way.
    pub fn relocate_at_every_safe_point(on: bool) {
        with_rt(|rt| rt.relocate_always.set(on));
    }

    /// How many times this thread's arenas were consolidated (moved into one
    /// block each) so far.
    pub fn relocations() -> u64 {
        with_rt(|rt| rt.relocations.get())
    }

    /// How many dirty checks on this thread stopped a walk with unchecked
    /// lookups because a computed they recomputed grew an arena (and walked
    /// again with checked ones).
    pub fn walks_stopped() -> u64 {
        with_rt(|rt| rt.walks_stopped.get())
    }
}

pub use computed::Computed;
pub use effect::Effect;
pub use error::{Error, NodeKind};
pub use scope::Scope;
pub use signal::Signal;

use runtime::with_rt;

/// What this thread's runtime holds now: live nodes and edges, and the memory
/// its arenas have allocated. Exact, and cheap to read.
///
/// ```
/// use sapwood_engine::{stats, Computed, Signal};
///
/// let before = stats();
/// let a = Signal::new(1);
/// let b = Computed::new(move || a.get() + 1);
/// b.get();
/// let after = stats();
/// assert_eq!(after.nodes - before.nodes, 2);
/// assert_eq!(after.edges - before.edges, 1);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    /// Live signals, computeds, effects and scopes.
    pub nodes: u32,
    /// Live dependency edges.
    pub edges: u32,
    /// Node slots allocated (live, free for reuse, or retired).
    pub node_slots: usize,
    /// Edge slots allocated (live or free for reuse).
    pub edge_slots: usize,
    /// Bytes held by the node and edge arenas.
    pub arena_bytes: usize,
    /// Separate allocations holding the arenas' records: 2 once each arena is
    /// one block (a write from outside the engine merges the chunks an arena
    /// grew by, when that pays), more while they hold chunks added since.
    pub arena_blocks: usize,
    /// Bytes held by the slab that stores computeds' and effects' closures
    /// (with a computed's value): blocks in use, blocks freed and waiting for
    /// the next closure of their size, and the unused rest of each size's
    /// newest 4 KiB chunk. Like the arenas, it keeps what it grew to until
    /// the thread ends.
    pub cell_bytes: usize,
}

/// This thread's runtime [`Stats`].
pub fn stats() -> Stats {
    with_rt(|rt| {
        // The sentinel (slot 0) is the engine's own, not the user's.
        let sentinel = (rt.nodes.len() > 0) as u32;
        let node_slots = rt.nodes.capacity();
        let edge_slots = rt.edges.capacity();
        Stats {
            nodes: rt.nodes.live() - sentinel,
            edges: rt.edges.live(),
            node_slots,
            edge_slots,
            arena_bytes: node_slots * std::mem::size_of::<node::Node>()
                + edge_slots * std::mem::size_of::<edge::Edge>(),
            arena_blocks: rt.nodes.blocks() + rt.edges.blocks(),
            cell_bytes: rt.cells.chunk_bytes(),
        }
    })
}

/// Runs `f` as one change: effects that its writes trigger run once, when the
/// outermost batch ends, instead of after each write. Returns what `f` returns.
///
/// ```
/// use sapwood_engine::{batch, Effect, Signal};
/// use std::{cell::Cell, rc::Rc};
///
/// let a = Signal::new(1);
/// let runs = Rc::new(Cell::new(0));
/// let r = runs.clone();
/// Effect::new(move || { a.get(); r.set(r.get() + 1); });
/// let out = batch(|| { a.set(2); a.set(3); "done" });
/// assert_eq!((out, runs.get()), ("done", 2));
/// ```
pub fn batch<R>(f: impl FnOnce() -> R) -> R {
    with_rt(|rt| {
        let _batch = rt.open_batch();
        f()
    })
}

/// Runs `f` without subscribing the running computed or effect to what `f`
/// reads.
///
/// ```
/// use sapwood_engine::{untrack, Computed, Signal};
/// use std::{cell::Cell, rc::Rc};
///
/// let a = Signal::new(1);
/// let b = Signal::new(10);
/// let sum = Computed::new(move || a.get() + untrack(|| b.get()));
/// assert_eq!(sum.get(), 11);
/// b.set(20); // not a dependency
/// assert_eq!(sum.get(), 11);
/// a.set(2);
/// assert_eq!(sum.get(), 22);
/// ```
pub fn untrack<R>(f: impl FnOnce() -> R) -> R {
    with_rt(|rt| {
        let _guard = Untracked {
            rt,
            prev: rt.active_sub().replace(node::NONE),
        };
        f()
    })
}

struct Untracked<'a> {
    rt: &'a runtime::Runtime,
    prev: u32,
}

impl Drop for Untracked<'_> {
    fn drop(&mut self) {
        self.rt.active_sub().set(self.prev);
    }
}

/// Registers `f` with the running effect or computed, or the scope being built:
/// it runs before the owner's next run and when the owner is disposed, outside
/// tracking. At top level, with no owner, `f` is dropped without running.
///
/// ```
/// use sapwood_engine::{on_cleanup, Effect, Signal};
/// use std::{cell::RefCell, rc::Rc};
///
/// let id = Signal::new(1);
/// let log = Rc::new(RefCell::new(Vec::new()));
/// let l = log.clone();
/// let e = Effect::new(move || {
///     let current = id.get();
///     l.borrow_mut().push(format!("open {current}"));
///     let l = l.clone();
///     on_cleanup(move || l.borrow_mut().push(format!("close {current}")));
/// });
/// id.set(2);
/// e.dispose();
/// assert_eq!(*log.borrow(), ["open 1", "close 1", "open 2", "close 2"]);
/// ```
pub fn on_cleanup(f: impl FnOnce() + 'static) {
    with_rt(|rt| rt.add_cleanup(Box::new(f)));
}

//! The node record: one fixed-size slot per signal, computed, effect or scope.
//!
//! 24 bytes, the same for every kind:
//!
//! | field     | signal            | computed          | effect             | scope        |
//! |-----------|-------------------|-------------------|--------------------|--------------|
//! | `meta`    | generation, flags | generation, flags | generation, flags  | generation, flags |
//! | `subs`    | first subscriber  | first subscriber  | parent owner       | parent owner |
//! | `deps`    | –                 | first dependency  | first dependency   | –            |
//! | `site`    | site id           | site id           | site id            | site id      |
//! | `payload` | value or box      | cell (value + fn) | cell (seq + fn)    | creation seq |
//!
//! A cell is a block of the runtime's slab (`cells.rs`), a box a block of the
//! global allocator.
//!
//! A free slot keeps its generation, sets [`FREE`] and threads the free list
//! through `subs`.

use std::cell::{Cell, UnsafeCell};
use std::mem::MaybeUninit;

use crate::arena::Slot;

/// "No index": the end of a list, no owner, no dependency.
pub(crate) const NONE: u32 = (1 << 25) - 1;

// Flags: the low 16 bits of `meta`. The two kind bits first.
pub(crate) const KIND: u32 = 0b11;
pub(crate) const SIGNAL: u32 = 0;
pub(crate) const COMPUTED: u32 = 1;
pub(crate) const EFFECT: u32 = 2;
pub(crate) const SCOPE: u32 = 3;
/// The slot is on the free list (or retired).
pub(crate) const FREE: u32 = 1 << 2;
/// Signal: written since its subscribers last checked, by a write a batch may
/// take back or one made inside a run (other writes mark the direct
/// subscribers instead; see `Runtime::notify`). Computed/effect: a dependency
/// certainly changed; must re-run.
pub(crate) const DIRTY: u32 = 1 << 3;
/// A dependency may have changed; check before re-running.
pub(crate) const PENDING: u32 = 1 << 4;
/// Computed/effect: its function is running now.
pub(crate) const RUNNING: u32 = 1 << 5;
/// Effect: waiting in the run queue.
pub(crate) const QUEUED: u32 = 1 << 6;
/// Computed: the box holds an initialised value.
pub(crate) const VALUE_INIT: u32 = 1 << 7;
/// Computed/effect: must run before its value is used (never run, or its last run
/// panicked). Unlike `DIRTY` it does not stop propagation, so the node still
/// hears of later changes.
pub(crate) const STALE: u32 = 1 << 8;
/// The node owns children or cleanups (see `Extras`).
pub(crate) const HAS_EXTRAS: u32 = 1 << 9;
/// Computed/effect: flips at each run; a dependency edge whose parity bit equals
/// it was confirmed during the current run.
pub(crate) const PARITY: u32 = 1 << 10;
/// Signal/computed: its value is borrowed by `with` (writes would alias it).
pub(crate) const BORROWED: u32 = 1 << 11;
/// Signal: first written with `set_if_changed` in the current batch (an entry in
/// the revert list exists).
pub(crate) const WRITTEN: u32 = 1 << 12;
/// Computed (the same bit as `WRITTEN`, which only signals use): it lost its
/// last subscriber while up to date. It keeps its edges, and so its cache,
/// until the next write that reaches it, which frees them instead of marking it.
pub(crate) const UNOBSERVED: u32 = 1 << 12;
/// Signal: written only with `set_if_changed` in this batch and not read by a
/// subscriber since: if it ends equal to its old value, no one is notified.
pub(crate) const REVERTIBLE: u32 = 1 << 13;
/// Computed/effect (the same bit as `REVERTIBLE`, which only signals use):
/// pending, and reached by a write made while a dirty check was under way
/// (by a computed the check ran). The check may have passed the source that
/// write changed, so when it is done with this node's sources and found no
/// change, it looks at them again (see `Runtime::walk_deps`).
pub(crate) const RECHECK: u32 = 1 << 13;
/// Disposed while running or while a traversal was under way: the handle is
/// already invalid, the slot is freed once that is over.
pub(crate) const ZOMBIE: u32 = 1 << 14;
/// Signal: `update` holds a `&mut` to its boxed value; reads would alias it.
pub(crate) const MUT_BORROWED: u32 = 1 << 15;

const FLAG_MASK: u32 = 0xFFFF;
const GEN_SHIFT: u32 = 16;

#[repr(C)]
pub(crate) union Payload {
    /// A boxed value or closure cell.
    pub ptr: *mut u8,
    /// A small value stored inline (see `erased::is_inline`).
    pub bits: MaybeUninit<u64>,
    /// A scope's creation sequence number.
    pub seq: u64,
}

pub(crate) struct Node {
    meta: Cell<u32>,
    pub subs: Cell<u32>,
    pub deps: Cell<u32>,
    pub site: Cell<u32>,
    pub payload: UnsafeCell<Payload>,
}

impl Default for Node {
    fn default() -> Self {
        Node {
            meta: Cell::new(FREE),
            subs: Cell::new(NONE),
            deps: Cell::new(NONE),
            site: Cell::new(0),
            payload: UnsafeCell::new(Payload { seq: 0 }),
        }
    }
}

impl Slot for Node {
    fn next_free(&self) -> u32 {
        self.subs.get()
    }
    fn set_next_free(&self, next: u32) {
        self.subs.set(next)
    }
}

impl Node {
    #[inline]
    pub(crate) fn flags(&self) -> u32 {
        self.meta.get() & FLAG_MASK
    }
    #[inline]
    pub(crate) fn set_flags(&self, flags: u32) {
        debug_assert!(flags <= FLAG_MASK);
        self.meta.set((self.meta.get() & !FLAG_MASK) | flags)
    }
    #[inline]
    pub(crate) fn insert(&self, flags: u32) {
        self.meta.set(self.meta.get() | flags)
    }
    #[inline]
    pub(crate) fn remove(&self, flags: u32) {
        self.meta.set(self.meta.get() & !flags)
    }
    #[inline]
    pub(crate) fn kind(&self) -> u32 {
        self.meta.get() & KIND
    }
    /// Whether the node has generation `gen` and none of `flags`: one test
    /// for "this handle's node is live and in the expected state".
    #[inline]
    pub(crate) fn is(&self, gen: u16, none_of: u32) -> bool {
        (self.meta.get() ^ ((gen as u32) << GEN_SHIFT)) & (!FLAG_MASK | none_of) == 0
    }
    #[inline]
    pub(crate) fn generation(&self) -> u16 {
        (self.meta.get() >> GEN_SHIFT) as u16
    }
    /// Sets the generation, keeping the flags. Handles carry the generation they
    /// were made with; bumping it on disposal makes every outstanding handle fail.
    #[inline]
    pub(crate) fn set_generation(&self, gen: u16) {
        self.meta.set(((gen as u32) << GEN_SHIFT) | self.flags())
    }
    #[inline]
    pub(crate) fn ptr(&self) -> *mut u8 {
        // SAFETY: reading a `Copy` field of the union; callers only use it for
        // kinds whose payload is a pointer.
        unsafe { (*self.payload.get()).ptr }
    }
    #[inline]
    pub(crate) fn set_ptr(&self, ptr: *mut u8) {
        // SAFETY: plain write of a `Copy` field; no reference into the payload is live.
        unsafe { (*self.payload.get()).ptr = ptr }
    }
    pub(crate) fn seq(&self) -> u64 {
        // SAFETY: reading a `Copy` field; used for scopes only.
        unsafe { (*self.payload.get()).seq }
    }
    pub(crate) fn set_seq(&self, seq: u64) {
        // SAFETY: as in `set_ptr`.
        unsafe { (*self.payload.get()).seq = seq }
    }
}

/// A handle's identity: slot index, generation, and the creation site (for
/// messages about a node that is gone). Eight bytes, `Copy`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub(crate) struct Key {
    pub idx: u32,
    pub gen: u16,
    pub site: u16,
}

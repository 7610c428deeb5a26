//! Chunked arenas of fixed-size records, addressed by `u32` index.
//!
//! Records live in chunks of [`CHUNK`] slots that are allocated once and never
//! moved or freed while the arena lives. Two things follow, and the engine relies
//! on both:
//!
//! - a `&T` handed out by [`Arena::get`] stays valid while new chunks are added
//!   (records are mutated through their `Cell` fields, never through `&mut`);
//! - growth costs exactly one allocation of one chunk: bytes requested equal bytes
//!   retained, with no doubling and no copy, so the per-object memory figures are
//!   the record size plus at most one partly used chunk.
//!
//! Freed slots form a free list threaded through the records themselves
//! ([`Slot::next_free`]) and are reused last-freed first.

use std::cell::{Cell, UnsafeCell};
use std::ptr::NonNull;

/// log2 of the number of slots per chunk.
pub(crate) const CHUNK_BITS: u32 = 10;
/// Slots per chunk: 1024 nodes (24 KiB) or 1024 edges (16 KiB).
pub(crate) const CHUNK: usize = 1 << CHUNK_BITS;

/// A record that can sit on an arena's free list.
pub(crate) trait Slot: Default {
    /// The next free slot, when this one is free.
    fn next_free(&self) -> u32;
    /// Threads this (free) slot onto the free list.
    fn set_next_free(&self, next: u32);
}

pub(crate) struct Arena<T: Slot> {
    /// Owned chunk pointers (from `Box<[T]>` of length `CHUNK`). Raw pointers, not
    /// boxes, so that pushing onto this `Vec` never re-asserts uniqueness of chunk
    /// contents that shared references may point into.
    chunks: UnsafeCell<Vec<NonNull<T>>>,
    /// The first chunk again (null until it exists), where [`Arena::get`]
    /// finds it without the chunk table (see there).
    first: Cell<*const T>,
    /// Slots handed out at least once since the arena (re)started: the
    /// high-water mark.
    len: Cell<u32>,
    /// Head of the free list, or `limit` when empty (a value every record's
    /// link field can hold).
    free: Cell<u32>,
    /// Slots in use now.
    live: Cell<u32>,
    /// Largest index + 1 this arena may hand out (the edge record packs indices
    /// into 25 bits).
    limit: u32,
    /// Whether the arena starts over from slot 0 when its last record is freed
    /// (see [`Arena::free`]).
    restarts: bool,
    what: &'static str,
}

impl<T: Slot> Arena<T> {
    /// An empty arena. `restarts`: its records are referred to by no handle
    /// (so no generation must survive), and it may start over when empty.
    pub(crate) const fn new(limit: u32, restarts: bool, what: &'static str) -> Self {
        Arena {
            chunks: UnsafeCell::new(Vec::new()),
            first: Cell::new(std::ptr::null()),
            len: Cell::new(0),
            free: Cell::new(limit),
            live: Cell::new(0),
            limit,
            restarts,
            what,
        }
    }

    /// The record at `idx`, which [`Arena::alloc`] handed out (live, free or
    /// retired: slots are never given back to the allocator).
    ///
    /// Unchecked: this is the engine's innermost operation (several per node
    /// visited), and a bounds check here measured about a tenth of all
    /// instructions of a propagation. Every index the engine holds (in handles,
    /// node and edge records, stacks and queues) came from `alloc`, and `NONE`
    /// is tested before any use; the debug assertion checks it in every test.
    ///
    /// A record of the first chunk is reached from `first`, whose address does
    /// not depend on `idx`: walking the graph is a chain of loads (edge, then
    /// node, then edge...), and the chunk-table load otherwise sits in that
    /// chain at every step. For graphs that fit in a chunk (1,024 records)
    /// this measured a quarter off the time of kairo.avoidable and mux.
    #[inline]
    pub(crate) fn get(&self, idx: u32) -> &T {
        debug_assert!(
            idx < self.len.get(),
            "{} index {idx} out of range",
            self.what
        );
        if (idx as usize) < CHUNK {
            // SAFETY: `idx < len`, so the first chunk exists and `first`
            // points to it (see `grow`), and the offset is below `CHUNK`.
            return unsafe { &*self.first.get().add(idx as usize) };
        }
        // SAFETY: the only `&mut` to the vector is taken in `grow`, which does not
        // call out and ends before this function can run; no reference into the
        // vector itself escapes this function.
        let chunks = unsafe { &*self.chunks.get() };
        // SAFETY: `idx < len` (see above), and `grow` made a chunk for every
        // slot below `len`, so the chunk index is in bounds.
        let chunk = unsafe { *chunks.get_unchecked((idx >> CHUNK_BITS) as usize) };
        // SAFETY: `chunk` points to `CHUNK` initialised `T`s that live until the
        // arena is dropped (chunks are never freed or moved before), and the
        // offset is masked below `CHUNK`. Records are only mutated through `Cell`s.
        unsafe { &*chunk.as_ptr().add(idx as usize & (CHUNK - 1)) }
    }

    /// A free slot's index: a recycled one if any, else a fresh one.
    #[inline]
    pub(crate) fn alloc(&self) -> u32 {
        self.alloc_record().0
    }

    /// [`Arena::alloc`], with the slot's record: spares the caller looking
    /// it up again.
    #[inline]
    pub(crate) fn alloc_record(&self) -> (u32, &T) {
        self.live.set(self.live.get() + 1);
        let head = self.free.get();
        if head != self.limit {
            let record = self.get(head);
            self.free.set(record.next_free());
            return (head, record);
        }
        let idx = self.len.get();
        if idx >= self.limit {
            panic!(
                "sapwood: more than {} live {} on this thread (the engine's limit)",
                self.limit, self.what
            );
        }
        if idx as usize == self.capacity() {
            self.grow();
        }
        self.len.set(idx + 1);
        (idx, self.get(idx))
    }

    /// Returns `idx` to the free list. The caller has reset the record.
    ///
    /// A restarting arena whose last record this was forgets its free list
    /// and hands out slots from 0 again (its chunks stay): the next graph's
    /// records are laid out in the order they are made, not in the order the
    /// previous graph's were freed. Measured on the dynamic graphs run after
    /// others in one thread (as the report runs them), the scattered edges of
    /// a reused free list cost 60% more L1 misses than a fresh layout.
    ///
    /// `record` is `self.get(idx)`, which every caller holds already (looking
    /// it up again is a chain of loads the compiler cannot reuse: records are
    /// written through `Cell`s).
    #[inline]
    pub(crate) fn free(&self, idx: u32, record: &T) {
        debug_assert!(std::ptr::eq(record, self.get(idx)));
        let live = self.live.get() - 1;
        self.live.set(live);
        if live == 0 && self.restarts {
            self.free.set(self.limit);
            self.len.set(0);
            return;
        }
        record.set_next_free(self.free.get());
        self.free.set(idx);
    }

    /// Slots handed out at least once (since the last restart).
    pub(crate) fn len(&self) -> u32 {
        self.len.get()
    }

    /// Slots in use now.
    pub(crate) fn live(&self) -> u32 {
        self.live.get()
    }

    /// Slots allocated (in use, free, or retired).
    pub(crate) fn capacity(&self) -> usize {
        // SAFETY: as in `get`.
        unsafe { &*self.chunks.get() }.len() * CHUNK
    }

    #[cold]
    fn grow(&self) {
        let chunk: Box<[T]> = (0..CHUNK).map(|_| T::default()).collect();
        let ptr = NonNull::new(Box::into_raw(chunk).cast::<T>()).expect("box is non-null");
        if self.first.get().is_null() {
            self.first.set(ptr.as_ptr());
        }
        // SAFETY: no reference into the vector is alive (see `get`); pushing may
        // move the vector's buffer but not the chunks it points to.
        unsafe { &mut *self.chunks.get() }.push(ptr);
    }
}

impl<T: Slot> Drop for Arena<T> {
    fn drop(&mut self) {
        for chunk in self.chunks.get_mut().drain(..) {
            let slice = std::ptr::slice_from_raw_parts_mut(chunk.as_ptr(), CHUNK);
            // SAFETY: each pointer came from `Box::<[T]>::into_raw` of length
            // `CHUNK` in `grow` and is freed exactly once, here.
            drop(unsafe { Box::from_raw(slice) });
        }
    }
}

/// A `Vec` of `Copy` items behind a shared reference: the runtime's reusable
/// traversal stacks and queues.
///
/// Sound without a borrow flag because no method lets a reference to the vector
/// or its items escape, and no method calls code that could re-enter it (the
/// closures taken by the reordering and retaining methods must not touch the
/// same `VecCell`).
pub(crate) struct VecCell<T: Copy>(UnsafeCell<Vec<T>>);

impl<T: Copy> VecCell<T> {
    pub(crate) const fn new() -> Self {
        VecCell(UnsafeCell::new(Vec::new()))
    }

    /// Runs `f` on the vector. `f` must not re-enter this `VecCell`.
    #[inline]
    fn with<R>(&self, f: impl FnOnce(&mut Vec<T>) -> R) -> R {
        // SAFETY: see the type's documentation: the `&mut` lives only for `f`,
        // and every `f` below is a plain vector operation that cannot re-enter
        // (the closures it passes on are bound not to).
        f(unsafe { &mut *self.0.get() })
    }

    #[inline]
    pub(crate) fn push(&self, v: T) {
        self.with(|v2| v2.push(v))
    }
    #[inline]
    pub(crate) fn pop(&self) -> Option<T> {
        self.with(|v| v.pop())
    }
    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.with(|v| v.len())
    }
    #[inline]
    pub(crate) fn get(&self, i: usize) -> T {
        self.with(|v| v[i])
    }
    #[inline]
    pub(crate) fn set(&self, i: usize, item: T) {
        self.with(|v| v[i] = item)
    }
    pub(crate) fn truncate(&self, len: usize) {
        self.with(|v| v.truncate(len))
    }
    /// Sorts the items from `start` on, stably. `cmp` must not use this `VecCell`.
    pub(crate) fn sort_from(&self, start: usize, cmp: impl FnMut(&T, &T) -> std::cmp::Ordering) {
        self.with(|v| v[start..].sort_by(cmp))
    }
    /// Runs `f` on the items from `start` on (to reorder them). `f` must not
    /// use this `VecCell`.
    pub(crate) fn with_tail(&self, start: usize, f: impl FnOnce(&mut [T])) {
        self.with(|v| f(&mut v[start..]))
    }
    /// Keeps the items from `start` on for which `keep` returns true, in
    /// order. `keep` must not use this `VecCell`.
    pub(crate) fn retain_from(&self, start: usize, mut keep: impl FnMut(&T) -> bool) {
        self.with(|v| {
            let mut kept = start;
            for i in start..v.len() {
                let item = v[i];
                if keep(&item) {
                    v[kept] = item;
                    kept += 1;
                }
            }
            v.truncate(kept);
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edge::Edge;

    #[test]
    fn a_restarting_arena_lays_out_anew_once_empty_and_the_other_reuses_last_freed_first() {
        for restarts in [true, false] {
            let a: Arena<Edge> = Arena::new(1 << 20, restarts, "edges");
            let first: Vec<u32> = (0..5).map(|_| a.alloc()).collect();
            assert_eq!(first, [0, 1, 2, 3, 4]);
            a.free(1, a.get(1));
            a.free(3, a.get(3));
            // Not empty yet: last freed first.
            assert_eq!((a.alloc(), a.alloc(), a.alloc()), (3, 1, 5));
            for i in [0, 1, 2, 3, 4, 5] {
                a.free(i, a.get(i));
            }
            assert_eq!(a.live(), 0);
            let again: Vec<u32> = (0..3).map(|_| a.alloc()).collect();
            if restarts {
                assert_eq!(again, [0, 1, 2]);
                assert_eq!(a.len(), 3);
            } else {
                assert_eq!(again, [5, 4, 3]);
                assert_eq!(a.len(), 6);
            }
            assert_eq!(a.capacity(), CHUNK, "chunks are kept");
        }
    }
}

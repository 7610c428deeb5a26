//! Chunked arenas of fixed-size records, addressed by `u32` index.
//!
//! **Indices are scaled.** A record's index is its slot number times
//! [`Arena::STRIDE`], the record's size in 8-byte words (3 for a node, 2 for
//! an edge), so that index × 8 is its byte offset in the main block: the
//! address is one load with the index as a scaled operand, where a slot number
//! needs a multiply (by 24: two more operations) on the way to every record.
//! On a walk those operations are in the chain of dependent loads. Measured
//! against slot numbers (ratio to the alien-signals port in the same runs,
//! median of seven): kairo.avoidable 6%, deep 5%, mux 8% faster, the other
//! kairo cases 1-6%, the dynamic graphs unchanged; 3-5% fewer instructions
//! (kairo.deep 702,774 -> 681,493 per iteration). The price is range: the
//! 25-bit link fields hold a third as many nodes and half as many edges.
//!
//! Records live in one contiguous *main* block followed by *tail* chunks of
//! [`CHUNK`] slots. Growth adds a tail chunk and never moves a record, so the
//! engine may rely on this:
//!
//! - a `&T` handed out by [`Arena::get`] stays valid while the arena grows
//!   (records are mutated through their `Cell` fields, never through `&mut`);
//! - growth costs exactly one allocation of one chunk: bytes requested equal
//!   bytes retained, with no doubling, so the per-object memory figures are the
//!   record size plus at most one partly used chunk.
//!
//! At a *safe point*, when the runtime knows that no reference into the arena
//! is alive (see `Runtime::safe_point`: a write or a creation called from
//! outside the engine), [`Arena::consolidate`] copies the main block and the
//! tail into one new main block of exactly their size, and frees them: the
//! bytes retained stay the same, and while it copies the arena is held twice
//! (the peak). A growing arena is merged when its tail reaches a quarter of
//! its main block, so each record is copied a bounded number of times.
//!
//! It pays because walking the graph is a chain of loads (edge, node,
//! edge...): a record of the main block is found from the block's address,
//! which does not depend on the index, while a tail record needs the chunk
//! table first, one more load in the chain at every step. Measured on
//! dyn.4-1000x12 (12,000 nodes, 48,000 edges) in the report, same machine and
//! day: 105-110 ms per iteration before, 91-94 ms after.
//!
//! Telling main-block records from tail ones is a test on every lookup. An
//! arena with no tail has every record in its main block ([`Arena::all_in_main`]),
//! and the traversals (propagation, dirty walks), which allocate no record
//! between two recomputations, skip the test while that holds
//! ([`Arena::get_in_main`], used through `graph::Lookup`): 4-9% fewer
//! instructions on the kairo cases.
//!
//! Freed slots form a free list threaded through the records themselves
//! ([`Slot::next_free`]) and are reused last-freed first.

use std::cell::{Cell, UnsafeCell};
use std::mem::MaybeUninit;
use std::ptr::NonNull;

/// log2 of the number of slots per chunk.
pub(crate) const CHUNK_BITS: u32 = 10;
/// Slots per chunk: 1024 nodes (24 KiB) or 1024 edges (16 KiB).
pub(crate) const CHUNK: usize = 1 << CHUNK_BITS;

/// The byte size of an index step (see the module's documentation).
const WORD: usize = 8;

/// A record that can sit on an arena's free list.
pub(crate) trait Slot: Default {
    /// The next free slot, when this one is free.
    fn next_free(&self) -> u32;
    /// Threads this (free) slot onto the free list.
    fn set_next_free(&self, next: u32);
}

pub(crate) struct Arena<T: Slot> {
    /// Slots `0..main_len`, contiguous (from a `Box<[T]>` of that length;
    /// null until the arena first grows).
    main: Cell<*mut T>,
    /// Slots in the main block.
    main_len: Cell<u32>,
    /// The first index past the main block: `main_len * STRIDE`, kept for
    /// [`Arena::get_main`], the innermost operation.
    main_end: Cell<u32>,
    /// Where each run of `CHUNK` slots starts, in order: inside the main
    /// block for the first `main_len / CHUNK` (not owned: the block is), then
    /// the tail chunks (each owned, from a `Box<[T]>` of length `CHUNK`).
    /// Indexed by the slot's absolute chunk number, so that a tail lookup
    /// needs no subtraction. Raw pointers, not boxes, so that pushing onto
    /// this `Vec` never re-asserts uniqueness of chunk contents that shared
    /// references may point into.
    chunks: UnsafeCell<Vec<NonNull<T>>>,
    /// Tail chunks: those past the main block. Derivable from `chunks` and
    /// `main_len`, but read at every safe point (every write and creation),
    /// where deriving it measured 3% more instructions on s.create_signals.
    tail_chunks: Cell<u32>,
    /// Safe points passed since the arena last grew while it had a tail.
    quiet: Cell<u32>,
    /// The index of the next fresh slot (slots below it were handed out at
    /// least once since the arena (re)started: the high-water mark).
    next: Cell<u32>,
    /// Head of the free list (an index), or `limit` when empty (a value every
    /// record's link field can hold).
    free: Cell<u32>,
    /// Slots in use now.
    live: Cell<u32>,
    /// Every index this arena hands out is below it (the edge record packs
    /// indices into 25 bits), so it holds `max_records(limit)` records at most.
    limit: u32,
    /// Whether the arena starts over from slot 0 when its last record is freed
    /// (see [`Arena::free`]).
    restarts: bool,
    what: &'static str,
}

impl<T: Slot> Arena<T> {
    /// Index units per record: its size in 8-byte words (see the module's
    /// documentation).
    pub(crate) const STRIDE: u32 = {
        let size = std::mem::size_of::<T>();
        assert!(size.is_multiple_of(WORD) && size > 0 && std::mem::align_of::<T>() <= WORD);
        (size / WORD) as u32
    };

    /// An empty arena. `restarts`: its records are referred to by no handle
    /// (so no generation must survive), and it may start over when empty.
    pub(crate) const fn new(limit: u32, restarts: bool, what: &'static str) -> Self {
        Arena {
            main: Cell::new(std::ptr::null_mut()),
            main_len: Cell::new(0),
            main_end: Cell::new(0),
            chunks: UnsafeCell::new(Vec::new()),
            tail_chunks: Cell::new(0),
            quiet: Cell::new(0),
            next: Cell::new(0),
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
    /// A record of the main block is reached from the block's address, which
    /// does not depend on `idx` (see the module's documentation): for graphs
    /// that fit in it, this measured a quarter off the time of kairo.avoidable
    /// and mux, against a chunk-table load at every step.
    #[inline]
    pub(crate) fn get(&self, idx: u32) -> &T {
        self.debug_check(idx);
        match self.get_main(idx) {
            Some(record) => record,
            None => self.get_in_tail(idx),
        }
    }

    /// The record at `idx` if it is in the main block (`idx` as for
    /// [`Arena::get`]): the reads' fast paths, which leave any other record to
    /// their slow path.
    #[inline(always)]
    pub(crate) fn get_main(&self, idx: u32) -> Option<&T> {
        if idx < self.main_end.get() {
            self.debug_check(idx);
            // SAFETY: tested just above.
            Some(unsafe { self.main_record(idx) })
        } else {
            None
        }
    }

    /// The record at byte offset `idx * WORD` of the main block.
    ///
    /// # Safety
    /// `idx` is below `main_end`. (It is then a multiple of `STRIDE` below
    /// `main_end = main_len * STRIDE`, so the arena has grown at least once,
    /// `main` points to a live block of `main_len` records (see `grow` and
    /// `consolidate`), and `idx * WORD` is the byte offset of record
    /// `idx / STRIDE < main_len` in it.)
    #[inline(always)]
    unsafe fn main_record(&self, idx: u32) -> &T {
        // SAFETY: see the contract.
        unsafe {
            &*self
                .main
                .get()
                .cast::<u8>()
                .add(idx as usize * WORD)
                .cast::<T>()
        }
    }

    /// Whether every record is in the main block (the arena has no tail
    /// chunk). While it holds, every index the arena has handed out is below
    /// the main block's end: indices stay below the capacity, which is then
    /// the main block's length, and neither a restart nor freeing lowers
    /// the block's end. It stops holding only when [`Arena::grow`] adds a
    /// tail chunk (an allocation of a record) and holds again after
    /// [`Arena::consolidate`] (at a safe point).
    #[inline(always)]
    pub(crate) fn all_in_main(&self) -> bool {
        self.tail_chunks.get() == 0
    }

    /// The record at `idx` (as for [`Arena::get`]) without the test of
    /// whether it is in the main block: the traversals' lookups while
    /// [`Arena::all_in_main`] holds (see `graph::Lookup`). The test measured
    /// a tenth of the instructions of a propagation and of a dirty check.
    ///
    /// # Safety
    /// [`Arena::all_in_main`] holds (so `idx` is in the main block).
    #[inline(always)]
    pub(crate) unsafe fn get_in_main(&self, idx: u32) -> &T {
        self.debug_check(idx);
        debug_assert!(
            self.all_in_main() && idx < self.main_end.get(),
            "{} index {idx} looked up as in the main block, which it is not",
            self.what
        );
        // SAFETY: the caller's contract: `idx` is below `main_end` (see
        // `all_in_main`).
        unsafe { self.main_record(idx) }
    }

    /// In debug builds: `idx` is one [`Arena::alloc`] handed out.
    #[inline(always)]
    fn debug_check(&self, idx: u32) {
        debug_assert!(
            idx < self.next.get() && idx.is_multiple_of(Self::STRIDE),
            "{} index {idx} out of range",
            self.what
        );
    }

    /// [`Arena::get`] for a slot past the main block. Out of line: inline,
    /// the optimiser merges the two paths into one that loads the block's
    /// address through a pointer it selects, a load more in the main
    /// block's path (measured: 10% more instructions on kairo.deep).
    #[cold]
    #[inline(never)]
    fn get_in_tail(&self, idx: u32) -> &T {
        // SAFETY: the only `&mut` to the vector is taken in `grow` and
        // `consolidate`, which do not call out and end before this function
        // can run; no reference into the vector itself escapes this function.
        let chunks = unsafe { &*self.chunks.get() };
        let slot = (idx / Self::STRIDE) as usize;
        // SAFETY: the caller's `idx < next`, so `slot` is below the capacity,
        // and the table has an entry for every chunk of slots below it.
        let chunk = unsafe { *chunks.get_unchecked(slot >> CHUNK_BITS) };
        // SAFETY: `chunk` points to `CHUNK` initialised `T`s that live until
        // the arena is dropped or consolidated (neither can happen while a
        // reference returned here is alive), and the offset is masked below
        // `CHUNK`. Records are only mutated through `Cell`s.
        unsafe { &*chunk.as_ptr().add(slot & (CHUNK - 1)) }
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
        let head = self.free.get();
        if head != self.limit {
            self.live.set(self.live.get() + 1);
            let record = self.get(head);
            self.free.set(record.next_free());
            return (head, record);
        }
        let idx = self.next.get();
        if idx >= self.limit {
            // Before counting the slot: the panic may be caught.
            self.full();
        }
        self.live.set(self.live.get() + 1);
        if idx == self.capacity() as u32 * Self::STRIDE {
            self.grow();
        }
        self.next.set(idx + Self::STRIDE);
        (idx, self.get(idx))
    }

    /// Most records this arena can hold at once.
    pub(crate) const fn max_records(limit: u32) -> u32 {
        limit.div_ceil(Self::STRIDE)
    }

    #[cold]
    fn full(&self) -> ! {
        panic!(
            "sapwood: more than {} live {} on this thread (the engine's limit)",
            Self::max_records(self.limit),
            self.what
        );
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
            self.next.set(0);
            return;
        }
        record.set_next_free(self.free.get());
        self.free.set(idx);
    }

    /// Slots handed out at least once (since the last restart).
    pub(crate) fn len(&self) -> u32 {
        self.next.get() / Self::STRIDE
    }

    /// The indices of the slots handed out at least once, in order.
    pub(crate) fn indices(&self) -> impl Iterator<Item = u32> {
        (0..self.next.get()).step_by(Self::STRIDE as usize)
    }

    /// Slots in use now.
    pub(crate) fn live(&self) -> u32 {
        self.live.get()
    }

    /// Allocations holding the records: the main block and the tail chunks.
    pub(crate) fn blocks(&self) -> usize {
        (!self.main.get().is_null()) as usize + self.tail_chunks.get() as usize
    }

    /// Slots allocated (in use, free, or retired).
    pub(crate) fn capacity(&self) -> usize {
        self.main_len.get() as usize + self.tail_chunks.get() as usize * CHUNK
    }

    #[cold]
    fn grow(&self) {
        let chunk: Box<[T]> = (0..CHUNK).map(|_| T::default()).collect();
        let ptr = NonNull::new(Box::into_raw(chunk).cast::<T>()).expect("box is non-null");
        // SAFETY: no reference into the vector is alive (see `get`); pushing may
        // move the vector's buffer but not the chunks it points to.
        unsafe { &mut *self.chunks.get() }.push(ptr);
        if self.main.get().is_null() {
            self.main.set(ptr.as_ptr());
            self.set_main_len(CHUNK as u32);
        } else {
            self.tail_chunks.set(self.tail_chunks.get() + 1);
            self.quiet.set(0);
        }
    }

    /// Whether a safe point should [`consolidate`](Arena::consolidate): the
    /// tail holds a quarter of the main block or more (so that a growing arena
    /// is copied a bounded number of times per record: at most four, as a
    /// vector that grows by a quarter), or the arena has not grown for a
    /// number of safe points that pays for the copy (an eighth of a safe point
    /// per slot), and counts this safe point as quiet.
    #[inline]
    pub(crate) fn wants_consolidation(&self) -> bool {
        let tail = self.tail_chunks.get();
        if tail == 0 {
            return false;
        }
        let tail_len = tail as usize * CHUNK;
        let main_len = self.main_len.get() as usize;
        let quiet = self.quiet.get();
        self.quiet.set(quiet.saturating_add(1));
        tail_len * 4 >= main_len || quiet as usize >= main_len / 8
    }

    /// Moves every record into one new main block of exactly the arena's
    /// capacity and frees the old block and chunks. With `poison`, the old
    /// memory is overwritten first, so that a reference kept across a
    /// consolidation reads garbage (the engine's relocation tests rely on it).
    ///
    /// # Safety
    /// No reference returned by [`Arena::get`] is alive.
    pub(crate) unsafe fn consolidate(&self, poison: bool) {
        const {
            // Records are moved bitwise and the old copies freed undropped.
            assert!(!std::mem::needs_drop::<T>());
        }
        let old_main = self.main.get();
        if old_main.is_null() {
            return;
        }
        let old_len = self.main_len.get() as usize;
        let total = self.capacity();
        let mut block: Box<[MaybeUninit<T>]> = Box::new_uninit_slice(total);
        let dst = block.as_mut_ptr().cast::<T>();
        // SAFETY: no reference into the vector is alive (see `get`), and
        // none is taken while this one lives.
        let chunks = unsafe { &mut *self.chunks.get() };
        // SAFETY: no reference into the arena is alive (the caller's
        // contract); the main block holds `old_len` initialised records and
        // each tail chunk `CHUNK`, `block` (a new allocation) has room for all
        // of them, and each old block is freed once, after its copy.
        unsafe {
            std::ptr::copy_nonoverlapping(old_main, dst, old_len);
            for (i, chunk) in chunks[old_len / CHUNK..].iter().enumerate() {
                std::ptr::copy_nonoverlapping(chunk.as_ptr(), dst.add(old_len + i * CHUNK), CHUNK);
                free_block(chunk.as_ptr(), CHUNK, poison);
            }
            free_block(old_main, old_len, poison);
        }
        // Every slot of the block was just written.
        let main = Box::into_raw(block).cast::<T>();
        for (k, c) in chunks.iter_mut().enumerate() {
            // SAFETY: `k * CHUNK < total`: inside the new block.
            *c = unsafe { NonNull::new_unchecked(main.add(k * CHUNK)) };
        }
        self.main.set(main);
        self.set_main_len(total as u32);
        self.tail_chunks.set(0);
        self.quiet.set(0);
    }

    /// Sets the main block's length, in records, and the index past it.
    fn set_main_len(&self, records: u32) {
        self.main_len.set(records);
        self.main_end.set(records * Self::STRIDE);
    }
}

/// Frees a block of `len` records made as a `Box<[T]>`, without dropping them
/// (they were moved out), after overwriting it if `poison`.
///
/// # Safety
/// `ptr` came from `Box::<[T]>::into_raw` of length `len`, is not used again,
/// and no reference into it is alive.
unsafe fn free_block<T>(ptr: *mut T, len: usize, poison: bool) {
    if poison {
        // SAFETY: the block is `len` records long and unreferenced.
        unsafe { std::ptr::write_bytes(ptr.cast::<u8>(), 0xA5, len * std::mem::size_of::<T>()) };
    }
    let slice = std::ptr::slice_from_raw_parts_mut(ptr.cast::<MaybeUninit<T>>(), len);
    // SAFETY: same allocation and layout as the `Box<[T]>` it came from;
    // `MaybeUninit` drops nothing.
    drop(unsafe { Box::from_raw(slice) });
}

impl<T: Slot> Drop for Arena<T> {
    fn drop(&mut self) {
        let main_len = self.main_len.get() as usize;
        let chunks = self.chunks.get_mut();
        for chunk in chunks.drain(..).skip(main_len / CHUNK) {
            // SAFETY: each tail chunk came from `Box::<[T]>::into_raw` of
            // length `CHUNK` in `grow` and is freed exactly once, here.
            unsafe { free_block(chunk.as_ptr(), CHUNK, false) };
        }
        let main = self.main.get();
        if !main.is_null() {
            // SAFETY: the main block came from a `Box<[T]>` of `main_len`
            // records (`grow` or `consolidate`) and is freed exactly once.
            unsafe { free_block(main, main_len, false) };
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
            // Indices are slot numbers times the stride (2 for an edge).
            let at = |slot: u32| slot * Arena::<Edge>::STRIDE;
            let first: Vec<u32> = (0..5).map(|_| a.alloc()).collect();
            assert_eq!(first, [0, 1, 2, 3, 4].map(at));
            a.free(at(1), a.get(at(1)));
            a.free(at(3), a.get(at(3)));
            // Not empty yet: last freed first.
            assert_eq!((a.alloc(), a.alloc(), a.alloc()), (at(3), at(1), at(5)));
            for i in [0, 1, 2, 3, 4, 5].map(at) {
                a.free(i, a.get(i));
            }
            assert_eq!(a.live(), 0);
            let again: Vec<u32> = (0..3).map(|_| a.alloc()).collect();
            if restarts {
                assert_eq!(again, [0, 1, 2].map(at));
                assert_eq!(a.len(), 3);
            } else {
                assert_eq!(again, [5, 4, 3].map(at));
                assert_eq!(a.len(), 6);
            }
            assert_eq!(a.capacity(), CHUNK, "chunks are kept");
        }
    }

    /// Past its limit an arena refuses with a panic naming the limit, and
    /// counts nothing for the refused slot.
    #[test]
    fn a_full_arena_panics_and_leaves_its_count_alone() {
        let a: Arena<Edge> = Arena::new(6, false, "edges");
        assert_eq!(Arena::<Edge>::max_records(6), 3);
        let ids: Vec<u32> = (0..3).map(|_| a.alloc()).collect();
        assert_eq!(ids, [0, 2, 4]);
        let err = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| a.alloc()))
            .expect_err("a fourth edge is past the limit");
        let message = err.downcast_ref::<String>().expect("a formatted message");
        assert!(message.contains("more than 3 live edges"), "{message}");
        assert_eq!(a.live(), 3);
        a.free(2, a.get(2));
        assert_eq!(a.alloc(), 2, "a freed slot is still handed out");
    }

    /// Scaled indices reach each record, in the main block and in the tail,
    /// and still do once the tail is merged into the main block.
    #[test]
    fn every_index_reaches_its_own_record_before_and_after_a_merge() {
        use crate::node::Node;
        let a: Arena<Node> = Arena::new(crate::node::NONE, false, "nodes");
        assert_eq!(Arena::<Node>::STRIDE, 3);
        let n = 3 * CHUNK as u32 + 5;
        let ids: Vec<u32> = (0..n).map(|_| a.alloc()).collect();
        assert_eq!(ids, (0..n).map(|i| 3 * i).collect::<Vec<_>>());
        assert_eq!(a.indices().collect::<Vec<_>>(), ids);
        for (i, &id) in ids.iter().enumerate() {
            a.get(id).site.set(i as u32);
        }
        let check = |a: &Arena<Node>| {
            let mut seen = std::collections::HashSet::new();
            for (i, &id) in ids.iter().enumerate() {
                let record = a.get(id);
                assert_eq!(record.site.get(), i as u32, "index {id}");
                assert!(
                    seen.insert(record as *const Node),
                    "index {id} shares a record"
                );
            }
        };
        check(&a);
        assert_eq!(a.blocks(), 4, "a main block and three tail chunks");
        // SAFETY: no reference into the arena is alive.
        unsafe { a.consolidate(true) };
        assert_eq!(a.blocks(), 1);
        check(&a);
        assert_eq!(Arena::<Node>::max_records(crate::node::NONE), 11_184_811);
    }
}

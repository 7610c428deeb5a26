//! The runtime's slab for payload blocks: the cells of computeds (value and
//! function) and effects (creation number and function).
//!
//! Each computed and effect owns one such block. From the global allocator,
//! making and freeing one cost more instructions than everything else its
//! creation and disposal do (glibc, measured on s.create_computations:
//! about 390 of 1,380 instructions per signal and computed made and
//! disposed), and a block of 16 bytes there takes 32. Here a block is popped
//! off its size class's free list, or cut from the class's newest chunk, and
//! pushed back when freed: a handful of instructions each way, and exactly
//! the block's size, rounded up to 8 bytes.
//!
//! Invariants the `unsafe` code below relies on:
//!
//! - a class `k` block is `8 * (k + 1)` bytes, 8-aligned (chunks are
//!   allocated 8-aligned, and blocks are cut at multiples of their size);
//! - a free block's first 8 bytes hold the next free block of its class (or
//!   null): every block has at least 8;
//! - a block is on its class's free list, in the unused part of its chunk
//!   (past the class's bump pointer), or handed out, never two of these at
//!   once, so no two live blocks overlap;
//! - chunks are never freed or moved before the slab is dropped, so a
//!   block's address stays valid while it is handed out.
//!
//! Like the node and edge arenas, the slab keeps what it was given: freed
//! blocks wait for the next block of their size, and the chunks go back to
//! the allocator with the runtime.

use std::alloc::{self, Layout};
use std::cell::{Cell, UnsafeCell};
use std::ptr;

/// Block sizes served: 8, 16, ..., `8 * CLASSES` bytes.
const CLASSES: usize = 32;
/// The largest block served; larger layouts go to the global allocator.
const MAX_BLOCK: usize = 8 * CLASSES;
/// Alignment of every block (and the most a layout may ask for to be served).
const ALIGN: usize = 8;
/// A chunk holds as many blocks of its class as fit in this many bytes.
const CHUNK_BYTES: usize = 4096;

/// The size class of `layout`, if the slab serves it.
#[inline(always)]
const fn class_of(layout: Layout) -> Option<usize> {
    let size = layout.size();
    if size == 0 || size > MAX_BLOCK || layout.align() > ALIGN {
        None
    } else {
        Some((size - 1) / 8)
    }
}

/// The size of a class `k` block.
#[inline(always)]
const fn block_size(k: usize) -> usize {
    8 * (k + 1)
}

/// The slab: per size class, a free list and the unused rest of the newest
/// chunk (see the module's documentation).
pub(crate) struct Cells {
    /// Per class: the first free block, or null.
    free: [Cell<*mut u8>; CLASSES],
    /// Per class: the next unused block of the newest chunk, and the end of
    /// that chunk (both null before the class's first chunk).
    bump: [Cell<*mut u8>; CLASSES],
    end: [Cell<*mut u8>; CLASSES],
    /// Every chunk (address and layout), to free with the slab. Only touched
    /// when a chunk is added and when the slab is dropped.
    chunks: UnsafeCell<Vec<(*mut u8, Layout)>>,
}

impl Cells {
    /// An empty slab: it allocates nothing until its first block.
    pub(crate) const fn new() -> Self {
        Cells {
            free: [const { Cell::new(ptr::null_mut()) }; CLASSES],
            bump: [const { Cell::new(ptr::null_mut()) }; CLASSES],
            end: [const { Cell::new(ptr::null_mut()) }; CLASSES],
            chunks: UnsafeCell::new(Vec::new()),
        }
    }

    /// A block for a value of `layout`, uninitialised: from the slab if it
    /// serves the layout, else from the global allocator (a dangling,
    /// aligned pointer for a zero-sized one). Never null.
    #[inline(always)]
    pub(crate) fn alloc(&self, layout: Layout) -> *mut u8 {
        let Some(k) = class_of(layout) else {
            return alloc_outside(layout);
        };
        let head = self.free[k].get();
        if !head.is_null() {
            // SAFETY: a free block's first 8 bytes hold the next free block
            // (see the module's invariants); it is 8-aligned.
            self.free[k].set(unsafe { head.cast::<*mut u8>().read() });
            return head;
        }
        let next = self.bump[k].get();
        if next != self.end[k].get() {
            // SAFETY: `next` is below the chunk's end, which is a whole
            // number of blocks past its start: the block fits in the chunk.
            self.bump[k].set(unsafe { next.add(block_size(k)) });
            return next;
        }
        self.new_chunk(k)
    }

    /// Gives back a block that [`Cells::alloc`] handed out for `layout`.
    ///
    /// # Safety
    /// `p` came from `self.alloc(layout)` with this same `layout`, is not
    /// used after this call, and is given back once.
    #[inline(always)]
    pub(crate) unsafe fn free(&self, p: *mut u8, layout: Layout) {
        let Some(k) = class_of(layout) else {
            // SAFETY: the caller's contract: it came from `alloc_outside`.
            unsafe { free_outside(p, layout) };
            return;
        };
        // SAFETY: a class `k` block: at least 8 bytes, 8-aligned, and no
        // longer in use (the caller's contract), so it may hold the link.
        unsafe { p.cast::<*mut u8>().write(self.free[k].get()) };
        self.free[k].set(p);
    }

    /// Adds a chunk to class `k` and hands out its first block.
    #[cold]
    #[inline(never)]
    fn new_chunk(&self, k: usize) -> *mut u8 {
        let size = block_size(k);
        let bytes = CHUNK_BYTES / size * size;
        let layout = Layout::from_size_align(bytes, ALIGN).expect("a chunk's layout is valid");
        // SAFETY: `bytes` is not zero (a block is at most `CHUNK_BYTES`).
        let chunk = unsafe { alloc::alloc(layout) };
        if chunk.is_null() {
            alloc::handle_alloc_error(layout);
        }
        // SAFETY: only this function, `chunk_bytes` and `drop` touch the
        // list, and none is running anywhere else (the slab is not shared across threads,
        // and nothing here calls out).
        unsafe { &mut *self.chunks.get() }.push((chunk, layout));
        // SAFETY: inside the chunk, or one past its end.
        unsafe {
            self.bump[k].set(chunk.add(size));
            self.end[k].set(chunk.add(bytes));
        }
        chunk
    }

    /// Bytes held in chunks: blocks handed out, free for reuse, or not yet
    /// cut (see [`Stats::cell_bytes`](crate::Stats::cell_bytes)).
    pub(crate) fn chunk_bytes(&self) -> usize {
        // SAFETY: as in `new_chunk`: nothing else touches the list meanwhile.
        unsafe { &*self.chunks.get() }
            .iter()
            .map(|(_, layout)| layout.size())
            .sum()
    }
}

impl Drop for Cells {
    fn drop(&mut self) {
        for (chunk, layout) in self.chunks.get_mut().drain(..) {
            // SAFETY: allocated by `new_chunk` with this layout, freed once;
            // the runtime drops every payload before its slab.
            unsafe { alloc::dealloc(chunk, layout) };
        }
    }
}

/// A block the slab does not serve, from the global allocator.
#[cold]
#[inline(never)]
fn alloc_outside(layout: Layout) -> *mut u8 {
    if layout.size() == 0 {
        // A well-aligned dangling pointer, as `Box` uses for zero-sized values.
        return ptr::without_provenance_mut(layout.align());
    }
    // SAFETY: the size is not zero.
    let p = unsafe { alloc::alloc(layout) };
    if p.is_null() {
        alloc::handle_alloc_error(layout);
    }
    p
}

/// # Safety
/// `p` came from `alloc_outside(layout)` and is freed once.
#[cold]
#[inline(never)]
unsafe fn free_outside(p: *mut u8, layout: Layout) {
    if layout.size() != 0 {
        // SAFETY: see the contract.
        unsafe { alloc::dealloc(p, layout) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(size: usize, align: usize) -> Layout {
        Layout::from_size_align(size, align).unwrap()
    }

    /// Fills a block with a pattern of its own.
    unsafe fn fill(p: *mut u8, size: usize, tag: u8) {
        for i in 0..size {
            unsafe { p.add(i).write(tag ^ i as u8) };
        }
    }

    unsafe fn holds(p: *mut u8, size: usize, tag: u8) -> bool {
        (0..size).all(|i| unsafe { p.add(i).read() } == tag ^ i as u8)
    }

    #[test]
    fn classes_round_up_to_eight_bytes_and_refuse_what_they_do_not_serve() {
        assert_eq!(class_of(layout(1, 1)), Some(0));
        assert_eq!(class_of(layout(8, 8)), Some(0));
        assert_eq!(class_of(layout(9, 1)), Some(1));
        assert_eq!(class_of(layout(16, 8)), Some(1));
        assert_eq!(class_of(layout(MAX_BLOCK, 8)), Some(CLASSES - 1));
        assert_eq!(class_of(layout(MAX_BLOCK + 1, 1)), None);
        assert_eq!(class_of(layout(16, 16)), None);
        assert_eq!(class_of(layout(0, 1)), None);
    }

    #[test]
    fn live_blocks_never_overlap_and_freed_ones_are_reused_last_freed_first() {
        let cells = Cells::new();
        // Several classes, more blocks than one chunk holds, interleaved.
        let sizes = [8, 16, 24, 40, 200, 256];
        let mut live: Vec<(*mut u8, usize, u8)> = Vec::new();
        for round in 0..600usize {
            let size = sizes[round % sizes.len()];
            let p = cells.alloc(layout(size, 8));
            assert_eq!(p as usize % ALIGN, 0);
            let tag = round as u8;
            unsafe { fill(p, size, tag) };
            live.push((p, size, tag));
        }
        for &(p, size, tag) in &live {
            assert!(unsafe { holds(p, size, tag) }, "a block was overwritten");
        }
        // Free every other block, then allocate the same sizes again: each
        // class hands back its last freed block first.
        let mut kept = Vec::new();
        let mut freed = Vec::new();
        for (i, b) in live.into_iter().enumerate() {
            if i % 2 == 0 {
                unsafe { cells.free(b.0, layout(b.1, 8)) };
                freed.push(b);
            } else {
                kept.push(b);
            }
        }
        let last_freed_200 = freed.iter().rev().find(|b| b.1 == 200).unwrap().0;
        assert_eq!(cells.alloc(layout(200, 8)), last_freed_200);
        for (i, &(_, size, _)) in freed.iter().enumerate() {
            if size == 200 && i == freed.iter().rposition(|b| b.1 == 200).unwrap() {
                continue; // taken just above
            }
            let p = cells.alloc(layout(size, 8));
            unsafe { fill(p, size, 0xA5) };
            kept.push((p, size, 0xA5));
        }
        let before = cells.chunk_bytes();
        for &(p, size, tag) in &kept {
            assert!(unsafe { holds(p, size, tag) }, "a reused block overlapped");
        }
        // Reuse made no chunk.
        assert_eq!(cells.chunk_bytes(), before);
    }

    #[test]
    fn a_chunk_is_a_whole_number_of_blocks() {
        let cells = Cells::new();
        let size = 24; // 4096 / 24 = 170 blocks, 4080 bytes
        let first = cells.alloc(layout(size, 8));
        for i in 1..170 {
            let p = cells.alloc(layout(size, 8));
            assert_eq!(p as usize - first as usize, i * size, "cut in order");
        }
        assert_eq!(cells.chunk_bytes(), 170 * 24);
        let next = cells.alloc(layout(size, 8));
        assert_eq!(cells.chunk_bytes(), 2 * 170 * 24, "a second chunk");
        assert!(next < first || next as usize >= first as usize + 170 * 24);
    }

    #[test]
    fn large_over_aligned_and_empty_layouts_go_to_the_global_allocator() {
        let cells = Cells::new();
        for l in [layout(MAX_BLOCK + 8, 8), layout(32, 32), layout(0, 16)] {
            let p = cells.alloc(l);
            assert!(!p.is_null());
            assert_eq!(p as usize % l.align(), 0);
            unsafe {
                fill(p, l.size(), 7);
                assert!(holds(p, l.size(), 7));
                cells.free(p, l);
            }
        }
        assert_eq!(cells.chunk_bytes(), 0);
    }
}

//! Type-erased payloads: values and closures stored without a per-node vtable.
//!
//! A node is 24 bytes whatever its type. Its 8-byte payload holds either a small
//! value inline or a thin pointer to one block (a computed's or an effect's
//! from the runtime's slab, [`Cells`]; a signal's boxed value from the global
//! allocator); the functions that know the block's real type live in the
//! node's [`Site`](crate::site::Site). A fat
//! `Box<dyn Trait>` would need 16 bytes in every node (32-byte nodes), and a
//! vtable header in each block 8 more bytes per computed: measured, that is the
//! difference between meeting and missing the 32-byte signal and 64-byte computed
//! budgets. Every `unsafe` block below relies on one invariant:
//!
//! > A node's payload was written by the function of this module that matches
//! > the node's kind and the site's type parameters, and it is read or freed
//! > only through the same site's functions or the typed handle (`Signal<T>`,
//! > `Computed<T>`) whose `T` made it.
//!
//! The handles guarantee it: a `Key` is only ever wrapped in the handle type that
//! created it, and a slot's generation changes whenever its payload is freed.

use std::alloc::Layout;
use std::mem::{self, MaybeUninit};
use std::ptr;

use crate::cells::Cells;
use crate::node::Node;

/// Whether a signal of `T` stores its value in the node itself: small enough,
/// aligned enough, and with no drop glue (so a bitwise copy can never be freed
/// twice, and dropping the node needs no type information).
pub(crate) const fn is_inline<T>() -> bool {
    mem::size_of::<T>() <= 8 && mem::align_of::<T>() <= 8 && !mem::needs_drop::<T>()
}

/// Whether a computed's value of `T` is read through a bitwise copy instead of
/// a guarded borrow: no drop glue, and small enough that the copy is cheap.
pub(crate) const fn is_plain<T>() -> bool {
    mem::size_of::<T>() <= 32 && !mem::needs_drop::<T>()
}

/// Stores a fresh signal's value: inline or in its own box.
pub(crate) fn init_signal<T>(node: &Node, value: T) {
    if is_inline::<T>() {
        // SAFETY: `is_inline` checked that `T` fits the 8-byte, 8-aligned payload.
        unsafe { ptr::write(node.payload.get().cast::<T>(), value) }
    } else {
        node.set_ptr(Box::into_raw(Box::new(value)).cast());
    }
}

/// Where a signal's value lives. Valid while the node is live.
///
/// # Safety
/// `node` is a live signal created by `init_signal::<T>`.
#[inline]
pub(crate) unsafe fn signal_value<T>(node: &Node) -> *mut T {
    if is_inline::<T>() {
        node.payload.get().cast::<T>()
    } else {
        node.ptr().cast::<T>()
    }
}

/// Frees a boxed signal value (the site's drop function for non-inline `T`).
///
/// # Safety
/// `p` came from `init_signal::<T>`'s `Box::into_raw` and is freed once.
pub(crate) unsafe fn drop_boxed<T>(p: *mut u8, _: bool, _: &Cells) {
    // SAFETY: see the function's contract.
    drop(unsafe { Box::from_raw(p.cast::<T>()) })
}

/// A computed's cell: its cached value and its function, in one block.
/// `repr(C)` puts the value at offset 0 whatever `F` is, so readers that know
/// only `T` can find it.
#[repr(C)]
pub(crate) struct ComputedCell<T, F> {
    value: MaybeUninit<T>,
    f: F,
}

/// A new computed's cell, in a block of `cells`.
pub(crate) fn new_computed<T, F>(cells: &Cells, f: F) -> *mut u8 {
    let p = cells.alloc(Layout::new::<ComputedCell<T, F>>());
    // SAFETY: a block for this layout (size and alignment), not in use.
    unsafe {
        p.cast::<ComputedCell<T, F>>().write(ComputedCell {
            value: MaybeUninit::uninit(),
            f,
        })
    };
    p
}

/// Recomputes: calls the function, stores the result, reports whether it differs
/// from the previous value (always true for the first one).
///
/// # Safety
/// `p` is a live `ComputedCell<T, F>`; `has_value` says whether its value is
/// initialised; the node is marked running, so nothing else touches the cell
/// while `f` runs (a read of this computed from inside `f` is a cycle and is
/// refused before it reaches the cell).
pub(crate) unsafe fn run_computed<T: PartialEq, F: FnMut() -> T>(
    p: *mut u8,
    has_value: bool,
) -> bool {
    let cell = p.cast::<ComputedCell<T, F>>();
    // SAFETY: see the contract; the `&mut` to `f` lives only for the call.
    let new = unsafe { ((*cell).f)() };
    // SAFETY: the value is initialised iff `has_value`.
    unsafe {
        let slot = &mut *(*cell).value.as_mut_ptr();
        if has_value {
            if *slot == new {
                return false;
            }
            *slot = new;
        } else {
            ptr::write(slot, new);
        }
    }
    true
}

/// Drops a computed's cell and gives its block back to `cells`, after the
/// user's destructors have run (they may make and free other cells). If one
/// panics, the block is not reused (and the rest of the cell is leaked).
///
/// # Safety
/// `p` is a `ComputedCell<T, F>` from `new_computed` with these `cells`,
/// freed once.
pub(crate) unsafe fn drop_computed<T, F>(p: *mut u8, has_value: bool, cells: &Cells) {
    let cell = p.cast::<ComputedCell<T, F>>();
    // SAFETY: see the contract; the value is initialised iff `has_value`,
    // and each field is dropped once.
    unsafe {
        if has_value {
            (*cell).value.assume_init_drop();
        }
        ptr::drop_in_place(&raw mut (*cell).f);
        cells.free(p, Layout::new::<ComputedCell<T, F>>());
    }
}

/// A computed's cached value.
///
/// # Safety
/// `p` is a live `ComputedCell<T, _>` whose value is initialised.
#[inline]
pub(crate) unsafe fn computed_value<T>(p: *mut u8) -> *mut T {
    // `repr(C)`: the value is the first field.
    p.cast::<T>()
}

/// An effect's cell: its creation sequence number (for ordering) and its
/// function. `repr(C)` puts `seq` first for readers that do not know `F`.
#[repr(C)]
pub(crate) struct EffectCell<F> {
    seq: u64,
    f: F,
}

/// A new effect's cell, in a block of `cells`.
pub(crate) fn new_effect<F>(cells: &Cells, seq: u64, f: F) -> *mut u8 {
    let p = cells.alloc(Layout::new::<EffectCell<F>>());
    // SAFETY: a block for this layout, not in use.
    unsafe { p.cast::<EffectCell<F>>().write(EffectCell { seq, f }) };
    p
}

/// # Safety
/// `p` is a live `EffectCell<F>`, and the effect is marked running.
pub(crate) unsafe fn run_effect<F: FnMut()>(p: *mut u8, _: bool) -> bool {
    // SAFETY: see the contract.
    unsafe { ((*p.cast::<EffectCell<F>>()).f)() };
    true
}

/// Drops an effect's cell and gives its block back to `cells` (as
/// [`drop_computed`] does).
///
/// # Safety
/// `p` is an `EffectCell<F>` from `new_effect` with these `cells`, freed once.
pub(crate) unsafe fn drop_effect<F>(p: *mut u8, _: bool, cells: &Cells) {
    // SAFETY: see the contract.
    unsafe {
        ptr::drop_in_place(p.cast::<EffectCell<F>>());
        cells.free(p, Layout::new::<EffectCell<F>>());
    }
}

/// # Safety
/// `p` is a live `EffectCell<_>`.
#[inline]
pub(crate) unsafe fn effect_seq(p: *mut u8) -> u64 {
    // SAFETY: `repr(C)`, `seq` is the first field.
    unsafe { *p.cast::<u64>() }
}

/// A value saved by the first `set_if_changed` of a batch, to compare at its end.
#[derive(Clone, Copy)]
pub(crate) union Saved {
    pub bits: MaybeUninit<u64>,
    pub ptr: *mut u8,
}

/// Moves a signal's current value out into a [`Saved`], leaving the node's value
/// slot logically uninitialised (the caller writes a new value right away).
///
/// # Safety
/// `node` is a live signal of `T`.
pub(crate) unsafe fn save_signal<T>(node: &Node) -> Saved {
    if is_inline::<T>() {
        // SAFETY: the payload holds a `T` that fits in 8 bytes.
        let bits = unsafe { ptr::read(node.payload.get().cast::<MaybeUninit<u64>>()) };
        Saved { bits }
    } else {
        let p = node.ptr();
        node.set_ptr(ptr::null_mut());
        Saved { ptr: p }
    }
}

/// Writes a value into a signal whose slot was emptied by [`save_signal`].
///
/// # Safety
/// As for `save_signal`, right after it.
pub(crate) unsafe fn refill_signal<T>(node: &Node, value: T) {
    init_signal(node, value)
}

/// Whether the saved value equals the signal's current one.
///
/// # Safety
/// `saved` came from `save_signal::<T>` and `node` is a live signal of `T`.
pub(crate) unsafe fn saved_equals<T: PartialEq>(node: &Node, saved: Saved) -> bool {
    // SAFETY: see the contract: both hold a valid `T`.
    unsafe {
        let current = &*signal_value::<T>(node);
        if is_inline::<T>() {
            let old = saved.bits;
            let old: &T = &*(&old as *const MaybeUninit<u64>).cast::<T>();
            current == old
        } else {
            current == &*saved.ptr.cast::<T>()
        }
    }
}

/// Frees a saved value.
///
/// # Safety
/// `saved` came from `save_signal::<T>` and is freed once.
pub(crate) unsafe fn drop_saved<T>(saved: Saved) {
    if !is_inline::<T>() {
        // SAFETY: boxed by `init_signal::<T>`.
        drop(unsafe { Box::from_raw(saved.ptr.cast::<T>()) })
    }
}

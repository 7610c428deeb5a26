//! `Signal<T>`: a source value.

use std::any::type_name;
use std::fmt;
use std::marker::PhantomData;
use std::mem::ManuallyDrop;
use std::panic::Location;
use std::ptr;

use crate::erased::{self, is_inline};
use crate::error::{Error, NodeKind};
use crate::node::*;
use crate::runtime::{
    check_runtime_alive, try_with_rt, with_live_rt, with_rt, with_rt_for_reads, Runtime,
};
use crate::site::Site;

/// A reactive source value: computeds and effects that read it re-run when it
/// is written.
///
/// A `Signal` is a small `Copy` handle (8 bytes) to a node owned by the thread's
/// runtime, so closures capture it without cloning. Its node lives until it is
/// disposed, directly or with the [`Scope`](crate::Scope) or effect that was
/// running when it was created. A small value without destructor (an integer, a
/// float, a `bool`, a `&'static str`...) is stored inside the 24-byte node: a
/// `Signal<i64>` costs 24 bytes and no allocation of its own. Larger values are
/// boxed once.
///
/// ```
/// use sapwood_engine::{Effect, Signal};
/// use std::{cell::Cell, rc::Rc};
///
/// let count = Signal::new(1);
/// let seen = Rc::new(Cell::new(0));
/// let s = seen.clone();
/// Effect::new(move || s.set(count.get()));
/// count.set(5);
/// assert_eq!(seen.get(), 5);
/// ```
///
/// Handles are `!Send`: a runtime belongs to one thread (see the crate docs).
pub struct Signal<T: 'static> {
    key: Key,
    _marker: PhantomData<*const T>,
}

/// Site type for signals of `T` (distinct from `T` itself).
struct SignalOf<T>(PhantomData<T>);

impl<T: 'static> Clone for Signal<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T: 'static> Copy for Signal<T> {}

impl<T: 'static> PartialEq for Signal<T> {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}
impl<T: 'static> Eq for Signal<T> {}

impl<T: 'static> fmt::Debug for Signal<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Signal<{}>#{}v{}",
            type_name::<T>(),
            self.key.idx,
            self.key.gen
        )
    }
}

#[cold]
#[track_caller]
pub(crate) fn fail(e: Error) -> ! {
    panic!("sapwood: {e}")
}

impl<T: 'static> Signal<T> {
    /// Creates a signal holding `value`, owned by the current scope, effect or
    /// computed (or by no one at top level).
    #[track_caller]
    pub fn new(value: T) -> Self {
        let location = Location::caller();
        with_rt(|rt| {
            let site = rt.site::<SignalOf<T>>(location, || Site {
                kind: NodeKind::Signal,
                type_name: type_name::<T>(),
                location,
                run: None,
                drop: if is_inline::<T>() {
                    None
                } else {
                    Some(erased::drop_boxed::<T>)
                },
            });
            let key = rt.create(SIGNAL, site);
            erased::init_signal(rt.node(key.idx), value);
            Signal {
                key,
                _marker: PhantomData,
            }
        })
    }

    /// The current value, cloned; subscribes the running computed or effect.
    ///
    /// # Panics
    /// If the signal was disposed (the message names it and where it was made).
    #[track_caller]
    #[inline]
    pub fn get(&self) -> T
    where
        T: Clone,
    {
        if is_inline::<T>() {
            // The fast path (see `Computed::get`), for a signal not written in
            // a batch and whose change is not announced; else the slow path.
            let copy = with_live_rt(|rt| {
                let n = rt.fast_read(&self.key, REVERTIBLE | DIRTY)?;
                // SAFETY: a live inline signal of `T`: no drop glue, so the
                // bitwise copy is an independent value.
                Some(ManuallyDrop::new(unsafe {
                    ptr::read(erased::signal_value::<T>(n))
                }))
            });
            if let Some(copy) = copy {
                return T::clone(&copy);
            }
        }
        self.get_slow()
    }

    /// [`get`](Self::get) in full.
    #[track_caller]
    #[inline(never)]
    fn get_slow(&self) -> T
    where
        T: Clone,
    {
        match self.tracked(T::clone) {
            Some(value) => value,
            None => self.fail_disposed(),
        }
    }

    /// Like [`get`](Self::get), with an error instead of a panic.
    ///
    /// ```
    /// use sapwood_engine::{Error, NodeKind, Signal};
    ///
    /// let s = Signal::new(String::from("hi"));
    /// assert_eq!(s.try_get().as_deref(), Ok("hi"));
    /// s.dispose();
    /// assert!(matches!(s.try_get(), Err(Error::Disposed { kind: NodeKind::Signal, .. })));
    /// ```
    pub fn try_get(&self) -> Result<T, Error>
    where
        T: Clone,
    {
        self.try_with(T::clone)
    }

    /// The current value without subscribing to it.
    #[track_caller]
    pub fn get_untracked(&self) -> T
    where
        T: Clone,
    {
        with_rt(|rt| {
            rt.check(self.key, NodeKind::Signal)
                .unwrap_or_else(|e| fail(e));
            self.read(rt, T::clone)
        })
    }

    /// Calls `f` with a reference to the value; subscribes the running computed
    /// or effect. Writing this signal from inside `f` panics (it would change the
    /// value `f` is looking at).
    ///
    /// ```
    /// use sapwood_engine::Signal;
    ///
    /// let names = Signal::new(vec!["a".to_string(), "b".to_string()]);
    /// assert_eq!(names.with(|v| v.len()), 2); // no clone of the vector
    /// ```
    #[track_caller]
    pub fn with<R>(&self, f: impl FnOnce(&T) -> R) -> R {
        match self.tracked(f) {
            Some(r) => r,
            None => self.fail_disposed(),
        }
    }

    /// Like [`with`](Self::with), with an error instead of a panic.
    pub fn try_with<R>(&self, f: impl FnOnce(&T) -> R) -> Result<R, Error> {
        check_runtime_alive::<T>(NodeKind::Signal)?;
        self.tracked(f).ok_or_else(|| self.disposed_error())
    }

    /// The tracked read behind `get` and `with`: subscribes the running
    /// computed or effect, then calls `f` with the value; `None` if the signal
    /// was disposed. The node is looked up once (the engine's writes go
    /// through `Cell`s, so the compiler cannot reuse a lookup made before
    /// `link` after it), and the error is built only on the cold path.
    #[inline(always)]
    fn tracked<R>(&self, f: impl FnOnce(&T) -> R) -> Option<R> {
        with_rt_for_reads(|rt| {
            let idx = self.key.idx;
            let n = rt.node(idx);
            if !n.is(self.key.gen, FREE | ZOMBIE) {
                return None;
            }
            let sub = rt.active_sub().get();
            if sub != NONE {
                rt.link(idx, sub);
                if n.flags() & (REVERTIBLE | DIRTY) != 0 {
                    rt.signal_seen(n);
                }
            }
            Some(Self::read_node(rt, n, idx, f))
        })
    }

    #[cold]
    fn disposed_error(&self) -> Error {
        with_rt(|rt| rt.disposed_error(self.key, NodeKind::Signal))
    }

    #[cold]
    #[inline(never)]
    #[track_caller]
    fn fail_disposed(&self) -> ! {
        fail(self.disposed_error())
    }

    fn read<R>(&self, rt: &Runtime, f: impl FnOnce(&T) -> R) -> R {
        Self::read_node(rt, rt.node(self.key.idx), self.key.idx, f)
    }

    /// Calls `f` with the value of `n`, the record of live signal `idx`.
    #[inline(always)]
    fn read_node<R>(rt: &Runtime, n: &Node, idx: u32, f: impl FnOnce(&T) -> R) -> R {
        if is_inline::<T>() {
            // A bitwise copy of a type without drop glue is an independent
            // value: `f` may write the signal meanwhile without aliasing.
            // SAFETY: the node is a live signal of `T` (checked by the caller).
            let copy = ManuallyDrop::new(unsafe { ptr::read(erased::signal_value::<T>(n)) });
            // No guard for user code: `n` is not used after `f` (see
            // `Computed::read`).
            f(&copy)
        } else {
            if n.flags() & MUT_BORROWED != 0 {
                fail_borrow(rt, idx, "read while `update` is changing it");
            }
            let _borrow = Borrow::new(n);
            let _user = rt.user_code();
            // SAFETY: live signal of `T`; `BORROWED` refuses writes and disposal
            // until `f` returns, so the reference stays valid and unaliased.
            f(unsafe { &*erased::signal_value::<T>(n) })
        }
    }

    /// Replaces the value and notifies subscribers, even if the new value equals
    /// the old one.
    ///
    /// # Panics
    /// If the signal was disposed, or is borrowed by a running [`with`](Self::with).
    #[track_caller]
    pub fn set(&self, value: T) {
        self.write(value).unwrap_or_else(|e| fail(e))
    }

    /// Like [`set`](Self::set), with an error instead of a panic for a disposed signal.
    #[track_caller]
    pub fn try_set(&self, value: T) -> Result<(), Error> {
        check_runtime_alive::<T>(NodeKind::Signal)?;
        self.write(value)
    }

    /// [`set`](Self::set) and [`try_set`](Self::try_set): the write, or the
    /// error for a disposed signal (and the panic of `with_rt` once the
    /// runtime is gone, which `try_set` has ruled out).
    #[track_caller]
    #[inline]
    fn write(&self, value: T) -> Result<(), Error> {
        with_rt(|rt| {
            let n = self.writable(rt)?;
            // SAFETY: live signal of `T`, not borrowed.
            let old = unsafe { ptr::replace(erased::signal_value::<T>(n), value) };
            if std::mem::needs_drop::<T>() {
                let _user = rt.user_code();
                drop(old);
            }
            n.remove(REVERTIBLE);
            rt.notify(n);
            Ok(())
        })
    }

    /// Changes the value in place and notifies subscribers (always).
    ///
    /// ```
    /// use sapwood_engine::Signal;
    ///
    /// let list = Signal::new(vec![1, 2]);
    /// list.update(|v| v.push(3));
    /// assert_eq!(list.get(), [1, 2, 3]);
    /// ```
    #[track_caller]
    pub fn update(&self, f: impl FnOnce(&mut T)) {
        with_rt(|rt| {
            let n = self.writable(rt).unwrap_or_else(|e| fail(e));
            let user = rt.user_code();
            if is_inline::<T>() {
                // Change a copy and store it back: `f` may read the signal meanwhile.
                // SAFETY: live inline signal of `T`; no drop glue, so the copy is
                // independent and nothing is dropped twice.
                let mut copy = unsafe { ptr::read(erased::signal_value::<T>(n)) };
                f(&mut copy);
                // SAFETY: as above; the old bits need no drop.
                unsafe { ptr::write(erased::signal_value::<T>(n), copy) };
            } else {
                n.insert(BORROWED | MUT_BORROWED);
                let guard = MutBorrow(n);
                // SAFETY: live boxed signal of `T`; the flags refuse reads, writes
                // and disposal until `f` returns.
                f(unsafe { &mut *erased::signal_value::<T>(n) });
                drop(guard);
            }
            drop(user);
            n.remove(REVERTIBLE);
            rt.notify(n);
        })
    }

    /// Sets the value only if it differs from the current one; returns whether it
    /// did. Inside a [`batch`](crate::batch), a signal written only this way whose
    /// final value equals its value before the batch notifies no one.
    ///
    /// ```
    /// use sapwood_engine::{batch, Effect, Signal};
    /// use std::{cell::Cell, rc::Rc};
    ///
    /// let mode = Signal::new("view");
    /// let runs = Rc::new(Cell::new(0));
    /// let r = runs.clone();
    /// Effect::new(move || { mode.get(); r.set(r.get() + 1); });
    /// assert!(!mode.set_if_changed("view")); // equal: nothing happens
    /// batch(|| {
    ///     mode.set_if_changed("edit");
    ///     mode.set_if_changed("view"); // back where it started
    /// });
    /// assert_eq!(runs.get(), 1); // the effect never re-ran
    /// ```
    #[track_caller]
    pub fn set_if_changed(&self, value: T) -> bool
    where
        T: PartialEq,
    {
        with_rt(|rt| {
            let n = self.writable(rt).unwrap_or_else(|e| fail(e));
            // User `PartialEq` and `Drop` impls run below.
            let user = rt.user_code();
            let same = self.read(rt, |cur| *cur == value);
            if same {
                drop(value);
                return false;
            }
            if rt.batch_depth.get() > 0 && n.flags() & WRITTEN == 0 {
                // SAFETY: live signal of `T`; the slot emptied by the save is
                // refilled right away.
                unsafe {
                    rt.save_for_batch::<T>(self.key);
                    erased::refill_signal(n, value);
                }
            } else {
                // SAFETY: live signal of `T`, not borrowed.
                drop(unsafe { ptr::replace(erased::signal_value::<T>(n), value) });
            }
            drop(user);
            rt.notify(n);
            true
        })
    }

    /// The record of this signal, for a write: first the write's safe point
    /// (no record is held yet), then, in one test, that the signal is live
    /// (else the error) and that `with` is not borrowing its value (else the
    /// panic).
    #[inline]
    fn writable<'a>(&self, rt: &'a Runtime) -> Result<&'a Node, Error> {
        rt.safe_point();
        let n = rt.node(self.key.idx);
        if n.is(self.key.gen, FREE | ZOMBIE | BORROWED) {
            return Ok(n);
        }
        rt.check(self.key, NodeKind::Signal)?;
        fail_borrow(rt, self.key.idx, "written while its value is borrowed")
    }

    /// Disposes the signal: its value is dropped, its slot reused, and every
    /// handle to it fails from now on. Disposing twice does nothing.
    pub fn dispose(self) {
        dispose_key(self.key);
    }

    /// Whether the signal was disposed.
    pub fn is_disposed(&self) -> bool {
        is_disposed_key(self.key)
    }
}

pub(crate) fn dispose_key(key: Key) {
    try_with_rt(|rt| {
        if rt.is_live(key) {
            rt.disposed_singly.set(rt.disposed_singly.get() + 1);
            rt.dispose_idx(key.idx);
            rt.settle();
        }
    });
}

pub(crate) fn is_disposed_key(key: Key) -> bool {
    try_with_rt(|rt| !rt.is_live(key)).unwrap_or(true)
}

#[cold]
#[track_caller]
pub(crate) fn fail_borrow(rt: &Runtime, idx: u32, what: &str) -> ! {
    let site = rt.sites.get(rt.node(idx).site.get());
    panic!(
        "sapwood: {} created at {} {what}",
        site.describe(),
        site.location
    )
}

/// Marks a value borrowed (refusing writes and disposal) until dropped; nested
/// borrows keep the mark until the outermost ends.
pub(crate) struct Borrow<'a> {
    node: &'a Node,
    outer: bool,
}

impl<'a> Borrow<'a> {
    pub(crate) fn new(node: &'a Node) -> Self {
        let outer = node.flags() & BORROWED == 0;
        node.insert(BORROWED);
        Borrow { node, outer }
    }
}

impl Drop for Borrow<'_> {
    fn drop(&mut self) {
        if self.outer {
            self.node.remove(BORROWED);
        }
    }
}

struct MutBorrow<'a>(&'a Node);

impl Drop for MutBorrow<'_> {
    fn drop(&mut self) {
        self.0.remove(BORROWED | MUT_BORROWED);
    }
}

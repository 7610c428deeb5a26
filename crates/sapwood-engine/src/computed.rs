//! `Computed<T>`: a derived value, lazy, cached and glitch-free.

use std::any::type_name;
use std::fmt;
use std::marker::PhantomData;
use std::panic::Location;

use crate::erased::{self, is_plain, ComputedCell};
use crate::error::{Error, NodeKind};
use crate::node::*;
use crate::runtime::{check_runtime_alive, with_live_rt, with_rt, with_rt_for_reads};
use crate::signal::{dispose_key, fail, is_disposed_key, Borrow};
use crate::site::Site;

/// A value derived from signals and other computeds.
///
/// - **Lazy**: its function never runs until the value is read.
/// - **Cached**: read again without a change in between, it does not re-run.
/// - **Glitch-free**: after a change, each computed runs at most once, and only
///   after the computeds it reads are up to date.
/// - **Equality cut**: a re-run that gives a value equal (`PartialEq`) to the
///   previous one does not re-run what depends on it.
/// - **Dynamic**: dependencies are those read by the last run; a source it stops
///   reading no longer affects it.
/// - **Writes**: its function may write signals (unusual). What those writes
///   reach is brought up to date before anyone sees it (a check or a read that
///   a write overtook looks again), at the cost of running some computeds more
///   than once. Writing a signal it read itself does not make a computed
///   stale (it hears its own write only through other nodes it read). Writes
///   that never settle are followed 8 times per check or read, then left for
///   the next read.
///
/// ```
/// use sapwood_engine::{Computed, Signal};
///
/// let width = Signal::new(3);
/// let height = Signal::new(4);
/// let area = Computed::new(move || width.get() * height.get());
/// assert_eq!(area.get(), 12);
/// width.set(5);
/// assert_eq!(area.get(), 20);
/// ```
///
/// A `Computed<i64>` reading one signal costs 56 bytes once read (its node, one
/// edge, and one 16-byte block for the value and the closure together, from
/// the runtime's slab: no allocation of its own).
pub struct Computed<T: 'static> {
    key: Key,
    _marker: PhantomData<*const T>,
}

impl<T: 'static> Clone for Computed<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T: 'static> Copy for Computed<T> {}

impl<T: 'static> PartialEq for Computed<T> {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}
impl<T: 'static> Eq for Computed<T> {}

impl<T: 'static> fmt::Debug for Computed<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Computed<{}>#{}v{}",
            type_name::<T>(),
            self.key.idx,
            self.key.gen
        )
    }
}

impl<T: PartialEq + 'static> Computed<T> {
    /// Creates a computed value from `f`. `f` does not run until the value is
    /// first read. The computed is owned by the current scope, effect or computed.
    #[track_caller]
    pub fn new<F: FnMut() -> T + 'static>(f: F) -> Self {
        let location = Location::caller();
        with_rt(|rt| {
            let site = rt.site::<ComputedCell<T, F>>(location, || Site {
                kind: NodeKind::Computed,
                type_name: type_name::<T>(),
                location,
                run: Some(erased::run_computed::<T, F>),
                drop: Some(erased::drop_computed::<T, F>),
            });
            let key = rt.create(COMPUTED, site);
            let n = rt.node(key.idx);
            n.set_ptr(erased::new_computed::<T, F>(&rt.cells, f));
            n.insert(STALE);
            Computed {
                key,
                _marker: PhantomData,
            }
        })
    }
}

impl<T: 'static> Computed<T> {
    /// The current value, cloned, recomputed first if needed; subscribes the
    /// running computed or effect.
    ///
    /// # Panics
    /// If the computed was disposed, if it is read while it is being computed
    /// (a cycle), or if its function panics (the panic is passed on).
    #[track_caller]
    #[inline]
    pub fn get(&self) -> T
    where
        T: Clone,
    {
        if is_plain::<T>() {
            // The fast path (`Runtime::fast_read`), for an up-to-date value. It
            // changes nothing unless it succeeds, and anything else is the
            // slow path, called last so that the fast one saves no registers
            // for it.
            let copy = with_live_rt(|rt| {
                let n = rt.fast_read(&self.key, RUNNING | DIRTY | PENDING | STALE)?;
                // SAFETY: a live computed of `T` whose value is initialised
                // (up to date); `T` has no drop glue, so the bitwise copy is an
                // independent value and nothing is dropped twice.
                Some(std::mem::ManuallyDrop::new(unsafe {
                    std::ptr::read(erased::computed_value::<T>(n.ptr()))
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
        self.read(T::clone, false).unwrap_or_else(|e| fail(e))
    }

    /// Like [`get`](Self::get), with an error instead of a panic for a disposed
    /// computed or a cycle.
    ///
    /// ```
    /// use sapwood_engine::{Computed, Error};
    /// use std::{cell::Cell, rc::Rc};
    ///
    /// // A computed that reads itself.
    /// let me: Rc<Cell<Option<Computed<i32>>>> = Rc::default();
    /// let m = me.clone();
    /// let c = Computed::new(move || m.get().map_or(0, |c| c.get() + 1));
    /// me.set(Some(c));
    /// assert!(matches!(c.try_get(), Err(Error::Cycle { .. })));
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
        crate::untrack(|| self.get())
    }

    /// Calls `f` with a reference to the current value (recomputed first if
    /// needed); subscribes the running computed or effect.
    #[track_caller]
    pub fn with<R>(&self, f: impl FnOnce(&T) -> R) -> R {
        self.read(f, false).unwrap_or_else(|e| fail(e))
    }

    /// Like [`with`](Self::with), with an error instead of a panic for a
    /// disposed computed or a cycle (also a cycle closed by a panicking `get`
    /// somewhere below this computed).
    pub fn try_with<R>(&self, f: impl FnOnce(&T) -> R) -> Result<R, Error> {
        check_runtime_alive::<T>(NodeKind::Computed)?;
        self.read(f, true)
    }

    #[inline]
    fn read<R>(&self, f: impl FnOnce(&T) -> R, catch_cycles: bool) -> Result<R, Error> {
        with_rt_for_reads(|rt| {
            let idx = self.key.idx;
            let n = rt.node(idx);
            // One test for the common case: live, up to date, not being
            // computed.
            if !n.is(
                self.key.gen,
                FREE | ZOMBIE | RUNNING | DIRTY | PENDING | STALE,
            ) {
                rt.prepare_read(self.key, n, catch_cycles)?;
            }
            let sub = rt.active_sub().get();
            if sub != NONE {
                rt.link(idx, sub);
            }
            debug_assert!(n.flags() & VALUE_INIT != 0);
            // SAFETY: a live computed of `T` whose value is initialised (it just
            // ran or was up to date).
            let value = unsafe { erased::computed_value::<T>(n.ptr()) };
            if is_plain::<T>() {
                // A small value without drop glue: hand `f` a bitwise copy, so
                // that nothing `f` does to the graph can alias it.
                // SAFETY: as above; no drop glue, so the copy is an independent
                // value and nothing is dropped twice.
                let copy = std::mem::ManuallyDrop::new(unsafe { std::ptr::read(value) });
                // No guard for user code: nothing here touches the arenas
                // after `f`, and callers are outside the engine (or inside a
                // run, which has its guard).
                Ok(f(&copy))
            } else {
                let _borrow = Borrow::new(n);
                let _user = rt.user_code();
                // SAFETY: as above; `BORROWED` refuses recomputation and disposal
                // until `f` returns.
                Ok(f(unsafe { &*value }))
            }
        })
    }

    /// Disposes the computed: its value and function are dropped, its edges
    /// freed, and every handle to it fails from now on.
    pub fn dispose(self) {
        dispose_key(self.key);
    }

    /// Whether the computed was disposed.
    pub fn is_disposed(&self) -> bool {
        is_disposed_key(self.key)
    }
}

//! `Scope`: ownership of a group of nodes, disposed together.

use std::fmt;
use std::panic::Location;

use crate::error::NodeKind;
use crate::node::*;
use crate::runtime::with_rt;
use crate::signal::{dispose_key, fail, is_disposed_key};
use crate::site::Site;

/// Owns every node created inside it, nested scopes included, and disposes them
/// together.
///
/// ```
/// use sapwood_engine::{Computed, Scope, Signal};
///
/// let mut doubled = None;
/// let scope = Scope::new(|| {
///     let n = Signal::new(21);
///     doubled = Some(Computed::new(move || n.get() * 2));
/// });
/// let doubled = doubled.unwrap();
/// assert_eq!(doubled.get(), 42);
/// scope.dispose();
/// assert!(doubled.is_disposed());
/// ```
///
/// Disposal goes last created first: an owner's nodes are disposed before it,
/// and [`on_cleanup`](crate::on_cleanup) functions registered in the scope run
/// after its nodes are gone. The freed slots are reused by the next nodes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Scope {
    key: Key,
    _not_send: std::marker::PhantomData<*const ()>,
}

struct ScopeSite;

impl fmt::Debug for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Scope#{}v{}", self.key.idx, self.key.gen)
    }
}

impl Scope {
    /// Creates a scope (owned by the current one, if any) and runs `f` inside it.
    #[track_caller]
    pub fn new(f: impl FnOnce()) -> Scope {
        let location = Location::caller();
        let scope = with_rt(|rt| {
            let site = rt.site::<ScopeSite>(location, || Site {
                kind: NodeKind::Scope,
                type_name: "",
                location,
                run: None,
                drop: None,
            });
            let parent = rt.ordering_parent();
            let seq = rt.next_seq();
            let key = rt.create(SCOPE, site);
            let n = rt.node(key.idx);
            n.subs.set(parent);
            n.set_seq(seq);
            Scope {
                key,
                _not_send: std::marker::PhantomData,
            }
        });
        scope.run(f);
        scope
    }

    /// Runs `f` inside this scope: the nodes it creates belong to the scope.
    /// Reads inside `f` still subscribe the running computed or effect, if any.
    ///
    /// ```
    /// use sapwood_engine::{Scope, Signal};
    ///
    /// let scope = Scope::new(|| {});
    /// let later = scope.run(|| Signal::new(1));
    /// scope.dispose();
    /// assert!(later.is_disposed());
    /// ```
    ///
    /// # Panics
    /// If the scope was disposed.
    #[track_caller]
    pub fn run<R>(&self, f: impl FnOnce() -> R) -> R {
        with_rt(|rt| {
            rt.check(self.key, NodeKind::Scope)
                .unwrap_or_else(|e| fail(e));
            let _owner = OwnerGuard {
                rt,
                prev: rt.owner().replace(self.key.idx),
            };
            f()
        })
    }

    /// Disposes everything the scope owns, last created first, runs its
    /// cleanups, and frees the memory for reuse. Disposing twice does nothing.
    pub fn dispose(self) {
        dispose_key(self.key);
    }

    /// Whether the scope was disposed.
    pub fn is_disposed(&self) -> bool {
        is_disposed_key(self.key)
    }
}

struct OwnerGuard<'a> {
    rt: &'a crate::runtime::Runtime,
    prev: u32,
}

impl Drop for OwnerGuard<'_> {
    fn drop(&mut self) {
        self.rt.owner().set(self.prev);
    }
}

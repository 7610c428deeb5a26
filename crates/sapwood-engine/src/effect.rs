//! `Effect`: a side effect that re-runs when what it read changes.

use std::fmt;
use std::panic::Location;

use crate::erased::{self, EffectCell};
use crate::error::NodeKind;
use crate::node::*;
use crate::runtime::with_rt;
use crate::signal::{dispose_key, is_disposed_key};
use crate::site::Site;

/// A function that runs at once, and again after each change of what it read.
///
/// Effects run synchronously at the end of the write that changed their
/// sources, or of the outermost [`batch`](crate::batch). When several are due,
/// an effect runs before the effects created inside it, and sibling effects in
/// the order they were created, whatever path the change took to reach them.
/// Nodes created during a run (including inner effects) belong to the effect:
/// they are disposed, and [`on_cleanup`](crate::on_cleanup) functions run,
/// before the next run and when the effect is disposed.
///
/// ```
/// use sapwood_engine::{batch, Effect, Signal};
/// use std::{cell::RefCell, rc::Rc};
///
/// let first = Signal::new("Ada");
/// let last = Signal::new("Lovelace");
/// let log = Rc::new(RefCell::new(Vec::new()));
/// let l = log.clone();
/// Effect::new(move || l.borrow_mut().push(format!("{} {}", first.get(), last.get())));
/// batch(|| {
///     first.set("Grace");
///     last.set("Hopper");
/// });
/// assert_eq!(*log.borrow(), ["Ada Lovelace", "Grace Hopper"]);
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Effect {
    key: Key,
    _not_send: std::marker::PhantomData<*const ()>,
}

impl fmt::Debug for Effect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Effect#{}v{}", self.key.idx, self.key.gen)
    }
}

impl Effect {
    /// Creates an effect and runs it once, now (even inside a batch). It is
    /// owned by the current scope, effect or computed.
    ///
    /// A panic in `f` reaches the caller; the effect stays alive and runs again
    /// at the next change of what it read before panicking.
    #[track_caller]
    pub fn new<F: FnMut() + 'static>(f: F) -> Effect {
        let location = Location::caller();
        with_rt(|rt| {
            let site = rt.site::<EffectCell<F>>(location, || Site {
                kind: NodeKind::Effect,
                type_name: "",
                location,
                run: Some(erased::run_effect::<F>),
                drop: Some(erased::drop_effect::<F>),
            });
            let parent = rt.ordering_parent();
            let seq = rt.next_seq();
            let key = rt.create(EFFECT, site);
            let n = rt.node(key.idx);
            n.set_ptr(erased::new_effect(&rt.cells, seq, f));
            n.subs.set(parent);
            // Writes made by the first run take effect when it ends, as in a batch.
            let batch = rt.open_batch();
            rt.run_effect(key.idx, rt.node(key.idx));
            drop(batch);
            Effect {
                key,
                _not_send: std::marker::PhantomData,
            }
        })
    }

    /// Disposes the effect: its cleanups run, what it owns is disposed, and it
    /// never runs again. Disposing twice does nothing.
    pub fn dispose(self) {
        dispose_key(self.key);
    }

    /// Whether the effect was disposed.
    pub fn is_disposed(&self) -> bool {
        is_disposed_key(self.key)
    }
}

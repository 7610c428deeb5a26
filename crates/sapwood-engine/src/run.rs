//! Running computeds and effects: tracking context, cleanup of the previous run,
//! panic safety, and a bound on recursion.
//!
//! **Panic safety.** A run that unwinds (the user's function panicked) leaves its
//! node `STALE` with clean flags: it recomputes when next read, still hears of
//! later changes (a `DIRTY` node would stop propagation), and keeps the
//! dependencies it read before the panic.
//!
//! **Recursion bound.** Dirty checking and propagation are iterative, but the
//! *first* evaluation of a chain of computeds is recursive by nature: each
//! function reads the previous computed, which must run first. Past
//! [`DEPTH_STEP`] nested evaluations the engine sets a catch point; at twice that
//! depth it abandons the evaluation by unwinding back to the catch point with a
//! private payload (as salsa cancels queries), evaluates the computed that was
//! too deep from there, and retries. Computeds are pure, so re-running a
//! partially run one is invisible; effects are never unwound this way. The stack
//! used is bounded whatever the depth of the graph. With `panic = "abort"` there
//! is no unwinding, and evaluation simply recurses.

use std::panic::{self, AssertUnwindSafe};

use crate::graph::Busy;
use crate::node::*;
use crate::runtime::Runtime;

/// Nested computed evaluations between two catch points.
const DEPTH_STEP: u32 = 200;

/// The unwinding payload that abandons an evaluation that went too deep.
struct TooDeep;

/// Whether an unwinding payload is the engine's own depth bound (never a
/// user's panic, never to be caught by anyone but a catch point).
pub(crate) fn is_too_deep(payload: &(dyn std::any::Any + Send)) -> bool {
    payload.is::<TooDeep>()
}

impl Runtime {
    /// Recomputes computed `idx`; true if its value changed.
    pub(crate) fn update_computed(&self, idx: u32) -> bool {
        if cfg!(panic = "unwind") {
            let depth = self.eval_depth.get();
            if depth == DEPTH_STEP {
                return self.update_at_catch_point(idx);
            }
            if depth >= 2 * DEPTH_STEP {
                self.deferred.set(idx);
                panic::resume_unwind(Box::new(TooDeep));
            }
        }
        self.update_now(idx)
    }

    /// Evaluates `idx` here, and anything that proves too deep from here, until
    /// `idx` is done.
    #[cold]
    fn update_at_catch_point(&self, idx: u32) -> bool {
        let mut todo: Vec<u32> = Vec::new();
        loop {
            let target = todo.last().copied().unwrap_or(idx);
            let stack_len = self.check_stack.len();
            match panic::catch_unwind(AssertUnwindSafe(|| self.update_now(target))) {
                Ok(changed) => {
                    if todo.pop().is_none() {
                        return changed;
                    }
                    if changed {
                        self.shallow_propagate(self.node(target).subs.get());
                    }
                }
                Err(payload) if payload.is::<TooDeep>() => {
                    self.check_stack.truncate(stack_len);
                    todo.push(self.deferred.get());
                }
                Err(payload) => panic::resume_unwind(payload),
            }
        }
    }

    /// Runs a computed's function now and stores the result.
    fn update_now(&self, idx: u32) -> bool {
        let n = self.node(idx);
        if n.flags() & HAS_EXTRAS != 0 {
            self.clean_owner(idx);
        }
        let f = n.flags();
        if f & (ZOMBIE | FREE) != 0 {
            return false;
        }
        n.set_flags(((f & !(DIRTY | PENDING | STALE)) ^ PARITY) | RUNNING);
        self.busy.set(self.busy.get() + 1);
        self.eval_depth.set(self.eval_depth.get() + 1);
        let guard = RunGuard {
            rt: self,
            idx,
            ctx: Some(self.enter(idx, NONE, idx)),
        };
        let run = self.sites.run_fn(n.site.get());
        // SAFETY: the payload is this site's `ComputedCell` (see `erased`); the
        // node is marked RUNNING, so no other access reaches the cell meanwhile.
        let changed = unsafe { run(n.ptr(), f & VALUE_INIT != 0) };
        n.insert(VALUE_INIT);
        guard.finish();
        changed
    }

    /// Runs an effect's function now (re-tracking its dependencies).
    pub(crate) fn run_effect(&self, idx: u32) {
        let n = self.node(idx);
        if n.flags() & HAS_EXTRAS != 0 {
            self.clean_owner(idx);
        }
        let f = n.flags();
        if f & (ZOMBIE | FREE) != 0 {
            return;
        }
        n.set_flags(((f & !(DIRTY | PENDING | STALE)) ^ PARITY) | RUNNING);
        let guard = EffectGuard {
            rt: self,
            idx,
            ctx: Some(self.enter(idx, NONE, idx)),
        };
        let run = self.sites.run_fn(n.site.get());
        // SAFETY: the payload is this site's `EffectCell`; the node is RUNNING.
        unsafe { run(n.ptr(), false) };
        guard.finish();
    }

    /// Brings a computed up to date before it is read (the node is live and not
    /// running).
    pub(crate) fn refresh(&self, idx: u32) {
        if self.needs_run(idx) {
            let changed = self.update_computed(idx);
            if changed {
                self.shallow_propagate(self.node(idx).subs.get());
            }
            self.settle();
        }
    }
}

/// Ends a computed's run: restores the context, drops unconfirmed dependencies,
/// clears `RUNNING`; on unwinding also marks the node `STALE`.
struct RunGuard<'a> {
    rt: &'a Runtime,
    idx: u32,
    ctx: Option<crate::runtime::Context<'a>>,
}

impl RunGuard<'_> {
    fn finish(self) {
        // The work is in `drop`, shared with the unwinding path.
    }
}

impl Drop for RunGuard<'_> {
    fn drop(&mut self) {
        let rt = self.rt;
        let cursor = rt.cursor.get();
        drop(self.ctx.take());
        rt.eval_depth.set(rt.eval_depth.get() - 1);
        end_run(rt, self.idx, cursor);
        // Count the traversal as over only now, so that a node disposed during
        // the run is freed after it.
        drop(Busy(rt));
    }
}

/// Ends an effect's run, like `RunGuard`.
struct EffectGuard<'a> {
    rt: &'a Runtime,
    idx: u32,
    ctx: Option<crate::runtime::Context<'a>>,
}

impl EffectGuard<'_> {
    fn finish(self) {}
}

impl Drop for EffectGuard<'_> {
    fn drop(&mut self) {
        let rt = self.rt;
        let cursor = rt.cursor.get();
        drop(self.ctx.take());
        end_run(rt, self.idx, cursor);
        rt.after_run(self.idx);
    }
}

fn end_run(rt: &Runtime, idx: u32, cursor: u32) {
    let n = rt.node(idx);
    let f = n.flags();
    if f & ZOMBIE == 0 {
        rt.purge_deps(idx, cursor);
    }
    let mut f = n.flags() & !RUNNING;
    if std::thread::panicking() {
        f = (f & !(DIRTY | PENDING)) | STALE;
    }
    n.set_flags(f);
}

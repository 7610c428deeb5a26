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
    /// Recomputes computed `idx` (its record is `n`); true if its value
    /// changed.
    #[inline]
    pub(crate) fn update_computed(&self, idx: u32, n: &Node) -> bool {
        if cfg!(panic = "unwind") {
            let depth = self.eval_depth.get();
            if depth >= DEPTH_STEP {
                if depth == DEPTH_STEP {
                    return self.update_at_catch_point(idx);
                }
                if depth >= 2 * DEPTH_STEP {
                    self.deferred.set(idx);
                    panic::resume_unwind(Box::new(TooDeep));
                }
            }
        }
        self.update_now(idx, n)
    }

    /// Evaluates `idx` here, and anything that proves too deep from here, until
    /// `idx` is done.
    #[cold]
    fn update_at_catch_point(&self, idx: u32) -> bool {
        let mut todo: Vec<u32> = Vec::new();
        loop {
            let target = todo.last().copied().unwrap_or(idx);
            let stack_len = self.check_stack.len();
            let n = self.node(target);
            match panic::catch_unwind(AssertUnwindSafe(|| self.update_now(target, n))) {
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

    /// Runs a computed's function now (`n` is its record) and stores the
    /// result.
    #[inline]
    fn update_now(&self, idx: u32, n: &Node) -> bool {
        let Some(f) = self.start_run(idx, n) else {
            return false;
        };
        self.begin_traversal();
        self.eval_depth.set(self.eval_depth.get() + 1);
        let run = self.sites.run_fn(n.site.get());
        let guard = RunGuard::<true>::enter(self, n, idx);
        let user = self.user_code();
        // SAFETY: the payload is this site's `ComputedCell` (see `erased`); the
        // node is marked RUNNING, so no other access reaches the cell meanwhile.
        let changed = unsafe { run(n.ptr(), f & VALUE_INIT != 0) };
        drop(user);
        n.insert(VALUE_INIT);
        guard.finish(n, idx);
        changed
    }

    /// Runs an effect's function now (re-tracking its dependencies); `n` is
    /// its record.
    #[inline]
    pub(crate) fn run_effect(&self, idx: u32, n: &Node) {
        if self.start_run(idx, n).is_none() {
            return;
        }
        let run = self.sites.run_fn(n.site.get());
        let guard = RunGuard::<false>::enter(self, n, idx);
        let user = self.user_code();
        // SAFETY: the payload is this site's `EffectCell`; the node is RUNNING.
        unsafe { run(n.ptr(), false) };
        drop(user);
        guard.finish(n, idx);
    }

    /// The start of a run of `idx` (record `n`): runs the cleanups of its
    /// last run and drops what it owned, then, if it is still live, marks it
    /// running in a new parity and returns its flags from before. One test
    /// of the flags in the usual case (nothing owned, live).
    #[inline(always)]
    fn start_run(&self, idx: u32, n: &Node) -> Option<u32> {
        let mut f = n.flags();
        if f & (HAS_EXTRAS | ZOMBIE | FREE) != 0 {
            if f & HAS_EXTRAS != 0 {
                self.clean_owner(idx);
                f = n.flags();
            }
            if f & (ZOMBIE | FREE) != 0 {
                return None;
            }
        }
        n.set_flags(((f & !(DIRTY | PENDING | STALE | RECHECK)) ^ PARITY) | RUNNING);
        Some(f)
    }

    /// Brings computed `idx` (record `n`) up to date before it is read (the
    /// node is live and not running). Inline in the read's slow path, where
    /// it saved a call and a look-up of the record per recomputation that a
    /// read pulls (most of them on the dynamic graphs).
    #[inline(always)]
    pub(crate) fn refresh(&self, idx: u32, n: &Node) {
        if self.needs_run(idx, n) && self.update_computed(idx, n) {
            self.shallow_propagate(n.subs.get());
        }
    }
}

/// Ends a run: restores the context, drops unconfirmed dependencies, clears
/// `RUNNING`. [`RunGuard::finish`] ends a run that returned (inline: it is
/// half the cost of running a small computed); dropping the guard unfinished,
/// when the function unwinds, leaves the node `STALE`. `COMPUTED`: the run is
/// a computed's (else an effect's).
///
/// The guard holds only what the run replaced: the running node is the
/// tracking context's active subscriber until the guard ends (every change
/// of the context made during the run, by nested runs and untracked reads, is
/// undone by its own guard first, unwinding included), so an unwinding run
/// finds its node there, and a returning one passes it to `finish`. Fewer
/// fields to keep on the stack for the unwinding path: every run pays for
/// storing them.
struct RunGuard<'a, const COMPUTED: bool> {
    rt: &'a Runtime,
    saved: Saved,
}

/// The tracking and ownership context a run replaces (`Runtime::tracking`).
type Saved = [u32; 4];

impl<'a, const COMPUTED: bool> RunGuard<'a, COMPUTED> {
    /// Makes `idx` (record `node`) the running node (tracking its reads,
    /// owning what it creates).
    #[inline]
    fn enter(rt: &'a Runtime, node: &Node, idx: u32) -> Self {
        // Active subscriber, cursor, expected edge, owner.
        let saved = rt.tracking.replace([idx, NONE, node.deps.get(), idx]);
        // Not restored at the end: `link` checks whose edge it is.
        rt.recent.set(NONE);
        RunGuard { rt, saved }
    }

    /// Ends the run of `idx` (record `n`, the one `enter` was given), which
    /// returned.
    #[inline]
    fn finish(self, n: &Node, idx: u32) {
        let (rt, saved) = (self.rt, self.saved);
        debug_assert_eq!(
            rt.active_sub().get(),
            idx,
            "a guard left the run's context changed"
        );
        std::mem::forget(self);
        rt.end_run(n, idx, saved, COMPUTED, true);
    }
}

impl<const COMPUTED: bool> Drop for RunGuard<'_, COMPUTED> {
    fn drop(&mut self) {
        let rt = self.rt;
        let idx = rt.active_sub().get();
        rt.end_run(rt.node(idx), idx, self.saved, COMPUTED, false);
    }
}

impl Runtime {
    /// The end of a run of `idx`, whose record is `n` (`done`: it returned;
    /// else it is unwinding).
    #[inline(always)]
    fn end_run(&self, n: &Node, idx: u32, saved: Saved, computed: bool, done: bool) {
        let cursor = self.cursor().get();
        self.tracking.set(saved);
        if n.flags() & ZOMBIE == 0 {
            self.purge_deps(n, cursor);
        }
        let mut f = n.flags() & !RUNNING;
        if !done {
            f = (f & !(DIRTY | PENDING)) | STALE;
        }
        n.set_flags(f);
        if computed {
            self.eval_depth.set(self.eval_depth.get() - 1);
            // The traversal counts as over only now, so that a node disposed
            // during the run is freed after it.
            self.end_traversal();
            if done {
                self.settle();
            }
        } else {
            self.after_run(idx, n);
        }
    }
}

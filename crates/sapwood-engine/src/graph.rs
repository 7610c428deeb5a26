//! The reactive graph algorithm: push-pull with two colours.
//!
//! A write marks the signal's transitive subscribers `PENDING`
//! ([`Runtime::propagate`], iterative), queueing the effects it reaches, and its
//! direct subscribers `DIRTY`; a write that the batch's end may take back (a
//! `set_if_changed` back to the old value) marks the signal `DIRTY` instead,
//! and the first check that finds it passes it on. A read of
//! a pending node walks its dependencies ([`Runtime::check_dirty`], iterative)
//! and recomputes only what really changed, bottom-up; a recomputation that gives
//! an equal value stops there. Each node is evaluated at most once per change.
//!
//! Dependencies are tracked per run: a run confirms its previous edges in order
//! through a cursor ([`Runtime::link`]; the edge after it is kept at hand, as
//! the one the run expects to read next), inserts new ones after it, and drops
//! the unconfirmed rest when it ends ([`Runtime::purge_deps`]). A steady-state
//! re-run therefore allocates nothing.
//!
//! A write made by a computed that a check runs (an effect or computed may
//! write signals) can reach a source the check has already passed: the
//! pending nodes it reaches are marked `RECHECK`, and the check looks at their
//! sources again before it decides that nothing changed (a read whose
//! computed came out of its run stale that way runs it again; see
//! `Runtime::prepare_read`). A computed does not hear its own write through
//! its own edge to the signal.
//!
//! Invariant relied on throughout: a node that is `DIRTY` or `PENDING` has
//! already passed `PENDING` on to all of its subscribers (reads clean a node
//! before anyone can subscribe to it), so propagation may stop there.

use crate::edge::Edge;
use crate::node::*;
use crate::runtime::Runtime;

/// How many times the dirty checks of one outermost traversal (a check or a
/// recomputation, with all nested in it) look at a node's sources again
/// because a computed they ran wrote one of them (`RECHECK`), and how many
/// times one read runs a computed again that came out of its run stale (a
/// computed it read wrote a signal it had read before). A graph whose writes
/// never settle (a computed that, on every run, writes a signal read on the
/// path that leads to it) would make either go on forever: past this many,
/// the check or read decides from what it has, and the last write stays
/// announced for the next read to find. Writes that settle (the usual case: a
/// computed that mirrors a value into a signal) need one more look per writer
/// on the path.
pub(crate) const MAX_RECHECKS: u32 = 8;

/// The record lookups of one traversal (a propagation or a dirty walk).
/// With `MAIN`, every record is known to be in the arenas' main blocks, and
/// lookups skip the test of [`Arena::get`](crate::arena::Arena::get) for it
/// (a tenth of the instructions of a propagation or a dirty check, measured
/// on the kairo cases: 7-11% of all instructions).
///
/// That knowledge lasts only while no record is allocated: growth puts new
/// records in a tail chunk. A propagation allocates none; a walk allocates
/// only while it recomputes a computed (the user's function may create nodes,
/// and a run's new reads create edges), so it tests again after each
/// recomputation and, if the arenas grew, finishes with checked lookups (see
/// [`Runtime::check_dirty`]).
#[derive(Clone, Copy)]
struct Lookup<'a, const MAIN: bool> {
    rt: &'a Runtime,
}

impl<'a> Lookup<'a, false> {
    /// Checked lookups: always sound.
    #[inline(always)]
    fn checked(rt: &'a Runtime) -> Self {
        Lookup { rt }
    }
}

impl<'a> Lookup<'a, true> {
    /// Unchecked lookups, if every record is in the main blocks now.
    ///
    /// # Safety
    /// The caller uses the lookup only while no node or edge record has been
    /// allocated since this call (it stops at the first recomputation that
    /// grew an arena).
    #[inline(always)]
    unsafe fn in_main(rt: &'a Runtime) -> Option<Self> {
        rt.records_in_main().then_some(Lookup { rt })
    }
}

impl<'a, const MAIN: bool> Lookup<'a, MAIN> {
    #[inline(always)]
    fn edge(self, idx: u32) -> &'a Edge {
        if MAIN {
            // SAFETY: made by `in_main` while every record was in the main
            // blocks, and, by its contract, no record was allocated since:
            // `all_in_main` still holds.
            unsafe { self.rt.edges.get_in_main(idx) }
        } else {
            self.rt.edge(idx)
        }
    }

    #[inline(always)]
    fn node(self, idx: u32) -> &'a Node {
        if MAIN {
            // SAFETY: as in `edge`.
            unsafe { self.rt.nodes.get_in_main(idx) }
        } else {
            self.rt.node(idx)
        }
    }
}

impl Runtime {
    /// Whether every node and edge record is in its arena's main block (see
    /// [`Lookup`]).
    #[inline(always)]
    fn records_in_main(&self) -> bool {
        self.nodes.all_in_main() & self.edges.all_in_main()
    }

    /// Records that the running `sub` read `dep`. The common cases are inline
    /// ([`Runtime::link_known`]); the rest is [`Runtime::link_new`].
    #[inline(always)]
    pub(crate) fn link(&self, dep: u32, sub: u32) {
        if !self.link_known(dep, sub) {
            self.link_new(dep, sub, self.cursor().get(), self.expect().get());
        }
    }

    /// The common cases of [`Runtime::link`], which need no new edge: the
    /// previous run read the same source at this point (the edge the run
    /// expects next), the same source as the previous read, or as the last
    /// read found earlier in the run. Returns false, having changed nothing,
    /// for anything else.
    #[inline(always)]
    fn link_known(&self, dep: u32, sub: u32) -> bool {
        // Confirm the previous run's edge. Edges past the cursor are the
        // previous run's, so their parity is the one before this run's flip.
        let next = self.expect().get();
        if next != NONE {
            let e = self.edge(next);
            if e.dep() == dep {
                debug_assert_ne!(e.parity(), self.node(sub).flags() & PARITY != 0);
                e.flip_parity();
                self.cursor().set(next);
                self.expect().set(e.next_dep());
                return true;
            }
        }
        // The same source read twice in a row.
        let cursor = self.cursor().get();
        if cursor != NONE && self.edge(cursor).dep() == dep {
            return true;
        }
        // The source read earlier in this run that `link_new` found last:
        // reads that alternate between two sources (kairo.unstable, mol)
        // find both here or at the cursor. The edge may be another node's, of
        // a run nested in this one; an edge of this node is of this run (the
        // field is cleared when a run starts).
        let recent = self.recent.get();
        if recent != NONE {
            let r = self.edge(recent);
            if r.dep() == dep && r.sub() == sub {
                return true;
            }
        }
        false
    }

    /// [`Runtime::link_known`] for edges in the edge arena's main block, for
    /// the reads' fast paths: an edge elsewhere is left to their slow path.
    /// Written out again rather than shared with `link_known` through an edge
    /// lookup passed in: the shared form measured 3% more instructions on
    /// kairo.unstable (callgrind).
    #[inline(always)]
    pub(crate) fn link_known_in_main(&self, dep: u32, sub: u32) -> bool {
        let edges = &self.edges;
        let next = self.expect().get();
        if next != NONE {
            let Some(e) = edges.get_main(next) else {
                return false;
            };
            if e.dep() == dep {
                e.flip_parity();
                self.cursor().set(next);
                self.expect().set(e.next_dep());
                return true;
            }
        }
        let cursor = self.cursor().get();
        if cursor != NONE && edges.get_main(cursor).is_some_and(|e| e.dep() == dep) {
            return true;
        }
        let recent = self.recent.get();
        recent != NONE
            && edges
                .get_main(recent)
                .is_some_and(|r| r.dep() == dep && r.sub() == sub)
    }

    /// The record of `key` if the reads' fast paths may use it: in the node
    /// arena's main block, live, none of `none_of` set, and (when a run is
    /// tracking reads) its read confirmed by [`Runtime::link_known_in_main`].
    /// Changes nothing unless it returns the record.
    #[inline(always)]
    pub(crate) fn fast_read(&self, key: &Key, none_of: u32) -> Option<&Node> {
        let n = self.nodes.get_main(key.idx)?;
        if !n.is(key.gen, FREE | ZOMBIE | none_of) {
            return None;
        }
        let sub = self.active_sub().get();
        if sub != NONE && !self.link_known_in_main(key.idx, sub) {
            return None;
        }
        Some(n)
    }

    /// [`Runtime::link`] for a source this run has not confirmed at the cursor:
    /// read earlier in the run, or a new dependency (inserted between the
    /// cursor and `next`, the edge the run expects next).
    #[inline(never)]
    fn link_new(&self, dep: u32, sub: u32, cursor: u32, next: u32) {
        let sub_node = self.node(sub);
        let parity = sub_node.flags() & PARITY != 0;
        // Read earlier in this run already: its edge is the source's newest.
        let dep_node = self.node(dep);
        let head = dep_node.subs.get();
        if head != NONE {
            let h = self.edge(head);
            if h.sub() == sub && h.parity() == parity {
                self.recent.set(head);
                return;
            }
        }
        let (e, edge) = self.edges.alloc_record();
        edge.init(dep, sub, head, next, parity);
        if head != NONE {
            self.edge(head).set_prev_sub(e);
        } else if dep_node.kind() == COMPUTED {
            // Observed again: it listens to its sources as before.
            dep_node.remove(UNOBSERVED);
        }
        dep_node.subs.set(e);
        if cursor == NONE {
            sub_node.deps.set(e);
        } else {
            self.edge(cursor).set_next_dep(e);
        }
        self.cursor().set(e);
    }

    /// Ends a run's tracking: drops the dependencies of `sub` (its record)
    /// after `cursor` (those the run did not read again).
    #[inline]
    pub(crate) fn purge_deps(&self, sub: &Node, cursor: u32) {
        let first = if cursor == NONE {
            sub.deps.replace(NONE)
        } else {
            let e = self.edge(cursor);
            let next = e.next_dep();
            if next != NONE {
                e.set_next_dep(NONE);
            }
            next
        };
        if first != NONE {
            self.unlink_all(first);
        }
    }

    /// Unlinks and frees a chain of dependency edges, starting at `first`.
    pub(crate) fn unlink_all(&self, mut e: u32) {
        while e != NONE {
            let edge = self.edge(e);
            let next = edge.next_dep();
            self.unlink_from_dep(edge);
            self.edges.free(e, edge);
            e = next;
        }
        self.drain_unwatched();
    }

    /// Takes an edge out of its source's subscriber list, in O(1). A computed
    /// left with no subscriber is queued to release its own dependencies.
    fn unlink_from_dep(&self, edge: &Edge) {
        let (dep, prev, next) = (edge.dep(), edge.prev_sub(), edge.next_sub());
        if prev != NONE {
            self.edge(prev).set_next_sub(next);
        } else {
            self.node(dep).subs.set(next);
        }
        if next != NONE {
            self.edge(next).set_prev_sub(prev);
        }
        if prev == NONE && next == NONE {
            let n = self.node(dep);
            let f = n.flags();
            if f & KIND == COMPUTED {
                if f & (DIRTY | PENDING) != 0 {
                    // Out of date anyway: release its sources now.
                    self.unwatched.push(dep);
                } else {
                    // Up to date: keep the cache; the next write frees the edges.
                    n.insert(UNOBSERVED);
                }
            }
        }
    }

    /// Releases the dependencies of computeds that nobody observes and that a
    /// write made out of date: they recompute (re-linking their sources) when
    /// next read, and meanwhile hear of no write, so an unobserved subgraph
    /// costs neither edges nor propagation. Sources left without a subscriber
    /// follow (iteratively: a long chain unwinds without recursion) if they are
    /// out of date too, and are marked `UNOBSERVED` otherwise.
    pub(crate) fn drain_unwatched(&self) {
        while let Some(c) = self.unwatched.pop() {
            let n = self.node(c);
            let f = n.flags();
            if f & (FREE | RUNNING) != 0 || f & KIND != COMPUTED || n.subs.get() != NONE {
                continue;
            }
            let mut e = n.deps.replace(NONE);
            n.set_flags((f & !(DIRTY | PENDING | UNOBSERVED)) | STALE);
            while e != NONE {
                let edge = self.edge(e);
                let next = edge.next_dep();
                self.unlink_from_dep(edge);
                self.edges.free(e, edge);
                e = next;
            }
        }
    }

    /// Marks everything downstream of the subscriber list starting at `first`
    /// `PENDING` and queues the effects reached. Iterative, depth-first.
    pub(crate) fn propagate(&self, first: u32) {
        // SAFETY: a propagation allocates no record.
        match unsafe { Lookup::in_main(self) } {
            Some(look) => self.propagate_marking::<false, true>(look, first),
            None => self.propagate_marking::<false, false>(Lookup::checked(self), first),
        }
    }

    /// [`Runtime::propagate`]; `RECHECKS`: see [`Runtime::propagate_from_run`].
    #[inline(always)]
    fn propagate_marking<const RECHECKS: bool, const MAIN: bool>(
        &self,
        look: Lookup<'_, MAIN>,
        first: u32,
    ) {
        let stack = &self.prop_stack;
        let base = stack.len();
        let mut e = first;
        loop {
            let edge = look.edge(e);
            let next = edge.next_sub();
            let sub = edge.sub();
            let n = look.node(sub);
            let f = n.flags();
            if f & (DIRTY | PENDING) == 0 {
                let subs = self.reach(sub, n, f, 0);
                if subs != NONE {
                    if next != NONE {
                        stack.push(next);
                    }
                    e = subs;
                    continue;
                }
            } else if RECHECKS && f & (DIRTY | PENDING) == PENDING {
                n.set_flags(f | RECHECK);
            }
            if next != NONE {
                e = next;
                continue;
            }
            if stack.len() == base {
                break;
            }
            e = stack.pop().expect("non-empty");
        }
    }

    /// A propagation reached `sub` (record `n`, flags `f`, neither `DIRTY` nor
    /// `PENDING`): marks it `PENDING` and `mark`, queueing it if it is an
    /// effect. Returns the subscribers to go on to (`NONE` if none: an effect,
    /// or a computed nobody observes, which is released once the write is
    /// over).
    #[inline(always)]
    fn reach(&self, sub: u32, n: &Node, f: u32, mark: u32) -> u32 {
        match f & KIND {
            EFFECT => {
                self.enqueue_pending(sub, n, f);
                if mark != 0 {
                    n.insert(mark);
                }
                NONE
            }
            COMPUTED => {
                n.set_flags(f | PENDING | mark);
                if f & UNOBSERVED != 0 {
                    self.unwatched.push(sub);
                    NONE
                } else {
                    n.subs.get()
                }
            }
            _ => {
                n.set_flags(f | PENDING | mark);
                NONE
            }
        }
    }

    /// A write from outside the engine: [`Runtime::propagate`] then
    /// [`Runtime::shallow_propagate`] on the signal's subscriber list `first`,
    /// in one pass over it. The subscribers in it are marked `DIRTY` as well
    /// as `PENDING` (their source changed), what is downstream of them
    /// `PENDING`.
    pub(crate) fn propagate_dirty(&self, first: u32) {
        // SAFETY: a propagation allocates no record.
        match unsafe { Lookup::in_main(self) } {
            Some(look) => self.propagate_write::<false, true>(look, first, NONE),
            None => self.propagate_write::<false, false>(Lookup::checked(self), first, NONE),
        }
    }

    /// A write made while a computed runs or a dirty check is under way:
    /// [`Runtime::propagate`], and the pending nodes where it stops are marked
    /// `RECHECK` too, for a check may have passed the way the write came (a
    /// source it found unchanged before the write). `writer`, the running
    /// computed if the write is its own (else `NONE`), does not hear it
    /// through its own edge to the signal (see `Runtime::notify`).
    pub(crate) fn propagate_from_run(&self, first: u32, writer: u32) {
        // Rare (writes made during runs): checked lookups only, one copy of
        // the loop less.
        self.propagate_write::<true, false>(Lookup::checked(self), first, writer);
    }

    /// The two above: the written signal's subscriber list `first` here (all
    /// but `skip`), what is downstream of each by [`Runtime::propagate_marking`].
    /// A subscriber already pending is marked `DIRTY` for a write from outside
    /// (as `shallow_propagate` would), `RECHECK` for one from a run.
    #[inline(always)]
    fn propagate_write<const FROM_RUN: bool, const MAIN: bool>(
        &self,
        look: Lookup<'_, MAIN>,
        first: u32,
        skip: u32,
    ) {
        let (mark, pending_mark) = if FROM_RUN {
            (0, RECHECK)
        } else {
            (DIRTY, DIRTY)
        };
        let mut e = first;
        loop {
            let edge = look.edge(e);
            let next = edge.next_sub();
            let sub = edge.sub();
            if !(FROM_RUN && sub == skip) {
                let n = look.node(sub);
                let f = n.flags();
                if f & (DIRTY | PENDING) == 0 {
                    let subs = self.reach(sub, n, f, mark);
                    if subs != NONE {
                        self.propagate_marking::<FROM_RUN, MAIN>(look, subs);
                    }
                } else if f & DIRTY == 0 {
                    n.set_flags(f | pending_mark);
                }
            }
            if next == NONE {
                return;
            }
            e = next;
        }
    }

    /// Marks the pending subscribers in one list `DIRTY`: their source changed.
    pub(crate) fn shallow_propagate(&self, mut e: u32) {
        while e != NONE {
            let edge = self.edge(e);
            let sub = edge.sub();
            let n = self.node(sub);
            let f = n.flags();
            // A pending effect is already queued (or being checked right now):
            // marking it is enough.
            if f & (PENDING | DIRTY) == PENDING {
                n.set_flags(f | DIRTY);
            }
            e = edge.next_sub();
        }
    }

    /// A subscriber read the signal whose record is `n`, which a batch wrote
    /// (revertibly) or whose change is still announced.
    #[inline(never)]
    pub(crate) fn signal_seen(&self, n: &Node) {
        // A subscriber saw this batch's value: it must hear if it changes back.
        n.remove(REVERTIBLE);
        if n.flags() & DIRTY != 0 {
            // The reader sees the new value now; the change must not stay
            // announced, or the reader would re-run for it again. The other
            // subscribers learn it here.
            self.consume_signal(n);
        }
    }

    /// A written signal's change is acknowledged (`n` is its record): its
    /// subscribers learn it.
    pub(crate) fn consume_signal(&self, n: &Node) {
        n.remove(DIRTY);
        self.shallow_propagate(n.subs.get());
    }

    /// Counts a traversal (a dirty check or a recomputation) as under way.
    #[inline(always)]
    pub(crate) fn begin_traversal(&self) {
        self.busy.set(self.busy.get() + 1);
    }

    /// Counts a traversal as over; once none is under way, the next starts
    /// with a full budget of second looks.
    #[inline(always)]
    pub(crate) fn end_traversal(&self) {
        let busy = self.busy.get() - 1;
        self.busy.set(busy);
        if busy == 0 {
            self.rechecks_left.set(MAX_RECHECKS);
        }
    }

    /// Whether `sub` (pending) must re-run: walks its dependencies from `first`,
    /// descending into pending computeds and recomputing dirty ones bottom-up,
    /// and stops at the first real change. Iterative, with an explicit stack of
    /// the edges it descended through (but for edges that are their source's
    /// only subscriber, which climbing finds as the source's list).
    ///
    /// Cycles: the edges never form one (a read that would close one finds a
    /// running computed and fails), so the walk ends. A computed on the walk's
    /// path that is read while a dependency below it recomputes is found out
    /// the same way: it is pending, so the read checks it, and that check meets
    /// the running dependency.
    pub(crate) fn check_dirty(&self, first: u32, sub: u32) -> bool {
        let base = self.check_stack.len();
        // Walks pop what they push, and unwinding ones drop it (the guard).
        debug_assert!(base == 0 || self.busy.get() > 0);
        self.begin_traversal();
        let guard = CheckGuard { rt: self, base };
        // SAFETY: the walk with unchecked lookups stops (`None`) at the
        // first recomputation after which a record is outside the main
        // blocks, and recomputations are the only place it allocates.
        let walked =
            unsafe { Lookup::in_main(self) }.and_then(|look| self.walk_deps(look, first, sub));
        let dirty = match walked {
            Some(dirty) => dirty,
            None => {
                // Again from the root with checked lookups (or for the
                // first time, if records were outside the main blocks to
                // begin with): what the stopped walk found is in the marks.
                self.check_stack.truncate(base);
                self.walk_deps(Lookup::checked(self), first, sub)
                    .expect("a walk with checked lookups does not stop")
            }
        };
        guard.finish();
        dirty
    }

    /// The walk of [`Runtime::check_dirty`], from its root's dependency edge
    /// `first`. With unchecked lookups (`MAIN`), it stops, returning `None`,
    /// after a recomputation that allocated a record outside the arenas'
    /// main blocks; it first marks `DIRTY` what that recomputation's change
    /// reached and the walk had not marked (a source's only subscriber, whose
    /// change the walk keeps in `dirty` instead), so that a walk from the
    /// root again, over the marks, decides the same.
    #[inline(always)]
    fn walk_deps<const MAIN: bool>(
        &self,
        look: Lookup<'_, MAIN>,
        first: u32,
        root: u32,
    ) -> Option<bool> {
        let stack = &self.check_stack;
        let (mut link, mut sub) = (first, root);
        let mut sn = look.node(sub);
        'walk: loop {
            let edge = look.edge(link);
            let dep = edge.dep();
            let dn = look.node(dep);
            let df = dn.flags();
            let mut dirty = false;
            if sn.flags() & DIRTY != 0 {
                dirty = true;
            } else if df & KIND == SIGNAL {
                if df & DIRTY != 0 {
                    self.consume_signal(dn);
                    dirty = true;
                }
            } else if df & RUNNING != 0 {
                // A source that is being computed right now is being read by
                // something it depends on: a cycle.
                let key = Key {
                    idx: dep,
                    gen: dn.generation(),
                    site: dn.site.get().min(u16::MAX as u32) as u16,
                };
                crate::signal::fail(self.cycle_error(key));
            } else if df & (DIRTY | STALE) != 0 {
                let changed = self.update_computed(dep, dn);
                if changed {
                    // `sub` is the next to recompute (or, the root, to run)
                    // anyway: only other subscribers need the mark.
                    let subs = dn.subs.get();
                    if subs != link || edge.next_sub() != NONE {
                        self.shallow_propagate(subs);
                    }
                    dirty = true;
                }
                if MAIN && !self.records_in_main() {
                    return self.stop_walk(changed, dn);
                }
            } else if df & PENDING != 0 {
                let deps = dn.deps.get();
                if deps != NONE {
                    if dn.subs.get() != link || edge.next_sub() != NONE {
                        stack.push(link);
                    }
                    link = deps;
                    sub = dep;
                    sn = dn;
                    continue 'walk;
                }
                dn.remove(PENDING);
            }
            if !dirty {
                let next = edge.next_dep();
                if next != NONE {
                    link = next;
                    continue 'walk;
                }
            }
            // `sub`'s dependencies are done: climb back up.
            loop {
                if !dirty && sn.flags() & (DIRTY | RECHECK) != 0 {
                    match self.recheck(sn) {
                        Recheck::Changed => dirty = true,
                        Recheck::Again(deps) => {
                            link = deps;
                            continue 'walk;
                        }
                        Recheck::Unchanged => {}
                    }
                }
                if sub == root {
                    return Some(dirty);
                }
                // The edge we came down through: `sub`'s only subscriber, or
                // on the stack. Nothing subscribes to or leaves a pending
                // computed on the path meanwhile (that would be a cycle).
                let first_sub = sn.subs.get();
                let first_edge = look.edge(first_sub);
                let single = first_edge.next_sub() == NONE;
                let edge = if single {
                    first_edge
                } else {
                    look.edge(stack.pop().expect("a shared source's edge was pushed"))
                };
                debug_assert_eq!(edge.dep(), sub);
                if dirty {
                    let changed = self.update_computed(sub, sn);
                    if changed {
                        // A single subscriber is the next to recompute anyway.
                        if !single {
                            self.shallow_propagate(sn.subs.get());
                        }
                    } else {
                        dirty = false;
                    }
                    if MAIN && !self.records_in_main() {
                        return self.stop_walk(changed, sn);
                    }
                } else {
                    sn.remove(PENDING);
                }
                sub = edge.sub();
                sn = look.node(sub);
                if !dirty {
                    let next = edge.next_dep();
                    if next != NONE {
                        link = next;
                        continue 'walk;
                    }
                }
            }
        }
    }
}

impl Runtime {
    /// A walk with unchecked lookups stops: the computed it just recomputed
    /// (record `n`) allocated a record outside the main blocks. If its value
    /// `changed`, its pending subscribers are marked `DIRTY` (again, for
    /// those the walk marked already; the walk leaves a sole subscriber
    /// unmarked, keeping the change in `dirty`), so that the walk from the
    /// root that follows finds the change in the marks.
    #[cold]
    #[inline(never)]
    fn stop_walk(&self, changed: bool, n: &Node) -> Option<bool> {
        self.walks_stopped.set(self.walks_stopped.get() + 1);
        if changed {
            self.shallow_propagate(n.subs.get());
        }
        None
    }
}

/// What a dirty check's second look at a node marked `RECHECK` or `DIRTY`
/// found (see [`Runtime::recheck`]).
enum Recheck {
    /// A source changed: the node must re-run.
    Changed,
    /// Look at the node's sources again, from this dependency edge.
    Again(u32),
    /// Nothing more to look at: decide from what was seen.
    Unchanged,
}

impl Runtime {
    /// A walk is done with the sources of `sn` and found no change, but a run
    /// it started wrote since: either a source of `sn` changed (`DIRTY`), or
    /// the write reached `sn` through a source the walk may already have
    /// passed (`RECHECK`), which is looked at again while the outermost
    /// check's budget lasts. Out of line: only writes made by computeds a
    /// check ran get here.
    #[cold]
    #[inline(never)]
    fn recheck(&self, sn: &Node) -> Recheck {
        let f = sn.flags();
        if f & DIRTY != 0 {
            return Recheck::Changed;
        }
        sn.set_flags(f & !RECHECK);
        let deps = sn.deps.get();
        let left = self.rechecks_left.get();
        if deps != NONE && left != 0 {
            self.rechecks_left.set(left - 1);
            Recheck::Again(deps)
        } else {
            Recheck::Unchanged
        }
    }
}

/// Ends a dirty check: counts the traversal as over. [`CheckGuard::finish`]
/// ends a walk that returned (its stack popped already); dropping the guard,
/// when unwinding, also drops what the walk left on the stack.
struct CheckGuard<'a> {
    rt: &'a Runtime,
    base: usize,
}

impl CheckGuard<'_> {
    #[inline]
    fn finish(self) {
        let rt = self.rt;
        std::mem::forget(self);
        rt.end_traversal();
        rt.settle();
    }
}

impl Drop for CheckGuard<'_> {
    fn drop(&mut self) {
        let rt = self.rt;
        rt.check_stack.truncate(self.base);
        // Nodes disposed meanwhile are freed when the next traversal ends:
        // running their destructors while unwinding could abort the process.
        rt.end_traversal();
    }
}

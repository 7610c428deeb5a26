//! The per-thread runtime: the arenas, the tracking context, ownership, disposal,
//! batching and the effect queue. The propagation algorithm itself is in
//! `graph.rs`, running nodes in `run.rs`.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::panic::Location;

use crate::arena::{Arena, VecCell};
use crate::cells::Cells;
use crate::edge::Edge;
use crate::erased::{self, Saved};
use crate::error::{Error, NodeKind};
use crate::graph::MAX_RECHECKS;
use crate::node::*;
use crate::queue::{Queued, NO_OWNER_YET};
use crate::site::{IdBuild, Site, Sites};

thread_local! {
    static RUNTIME: Runtime = const { Runtime::new() };
    /// `RUNTIME`'s address once a read's slow path has published it
    /// ([`with_rt_for_reads`]), null before that and from the start of its
    /// teardown. It has no drop
    /// glue, so reading it needs no state check: the reads' fast paths
    /// ([`with_live_rt`]) test it for null instead of asking `RUNTIME` for
    /// its state, which would put a call (the destructor's registration) in
    /// the middle of every read.
    static LIVE: Cell<*const Runtime> = const { Cell::new(std::ptr::null()) };
}

/// Runs `f` with this thread's runtime.
///
/// `LocalKey::with(f)` is inlined only when `f` is small, and every read and
/// write is one `f`: left to itself, the compiler calls the key's accessor
/// through a function pointer and returns results through memory, a sixth of
/// the instructions of a tracked read. Asking the key only for the address
/// keeps that closure trivial, so the access compiles to a thread-pointer
/// offset and a state check.
///
/// # Panics
/// Once the thread's runtime has been torn down (at thread exit, for a handle
/// used by a thread-local destructor that runs after the runtime's), with a
/// message that says so; the `try_*` methods check [`check_runtime_alive`] first
/// and return [`Error::RuntimeGone`] instead.
#[inline(always)]
#[track_caller]
pub(crate) fn with_rt<R>(f: impl FnOnce(&Runtime) -> R) -> R {
    let Ok(rt) = RUNTIME.try_with(|rt| rt as *const Runtime) else {
        runtime_gone()
    };
    // SAFETY: `with` succeeded, so the runtime is alive, and it stays alive
    // until this thread's thread-local destructors run it down, which cannot
    // happen while `f`, called right here on this thread, is running. The
    // reference does not escape `f` (its lifetime is the call's).
    f(unsafe { &*rt })
}

/// [`with_rt`] for the reads' slow paths: also publishes the runtime's
/// address for the fast paths ([`with_live_rt`]), which find it null until a
/// read has taken a slow path once (a store per slow read, none per write or
/// creation).
#[inline(always)]
#[track_caller]
pub(crate) fn with_rt_for_reads<R>(f: impl FnOnce(&Runtime) -> R) -> R {
    with_rt(|rt| {
        // `with_rt` found the runtime alive: its teardown, which clears
        // `LIVE`, has not begun.
        LIVE.with(|live| live.set(rt));
        f(rt)
    })
}

/// The panic of [`with_rt`] once the runtime is gone.
#[cold]
#[inline(never)]
#[track_caller]
fn runtime_gone() -> ! {
    panic!(
        "sapwood: this thread's reactive runtime was torn down (the thread is exiting, and a \
         thread-local destructor that ran after the runtime's used a handle)"
    )
}

/// For the `try_*` methods of a handle of `kind` with values of `T`:
/// [`Error::RuntimeGone`] once this thread's runtime's teardown, at thread
/// exit, has begun.
pub(crate) fn check_runtime_alive<T>(kind: NodeKind) -> Result<(), Error> {
    match RUNTIME.try_with(|_| ()) {
        Ok(()) => Ok(()),
        Err(_) => Err(Error::RuntimeGone {
            kind,
            type_name: std::any::type_name::<T>(),
        }),
    }
}

/// The fast paths' access to this thread's runtime: `f`'s answer, or `None`
/// without calling it if no read has taken its slow path on this thread yet
/// or the runtime's teardown has begun (the caller then takes its slow path,
/// which goes through [`with_rt_for_reads`]). A null test on a thread-local pointer, where
/// [`with_rt`] tests the runtime's state and may register its destructor.
#[inline(always)]
pub(crate) fn with_live_rt<R>(f: impl FnOnce(&Runtime) -> Option<R>) -> Option<R> {
    let rt = LIVE.with(Cell::get);
    if rt.is_null() {
        return None;
    }
    // SAFETY: a non-null `LIVE` is the address of this thread's `RUNTIME`,
    // set by `with_rt_for_reads` while it was alive and cleared first thing in its
    // `Drop`, so the runtime is alive now, and stays so while `f`, called
    // right here on this thread, runs (as in `with_rt`). The reference does
    // not escape `f`.
    f(unsafe { &*rt })
}

/// Like [`with_rt`], but `None` once the thread's runtime has been torn down
/// (a value's destructor running at thread exit may still dispose handles).
pub(crate) fn try_with_rt<R>(f: impl FnOnce(&Runtime) -> R) -> Option<R> {
    RUNTIME.try_with(f).ok()
}

/// Slot 0: the stand-in source of edges whose real source was disposed. Their
/// subscribers drop them at their next run; the sentinel never changes.
pub(crate) const SENTINEL: u32 = 0;

/// What an owner holds besides its record: the nodes created inside it and its
/// cleanups. Kept off the node record because most nodes own nothing.
#[derive(Default)]
pub(crate) struct Extras {
    children: Vec<Key>,
    cleanups: Vec<Box<dyn FnOnce()>>,
    /// The runtime's `disposed_singly` when `children` was last rid of
    /// disposed keys.
    compacted_at: u64,
}

/// A signal's value saved at its first `set_if_changed` in a batch.
struct Revert {
    key: Key,
    saved: Saved,
    equals: unsafe fn(&Node, Saved) -> bool,
    drop: unsafe fn(Saved),
}

/// The runtime: one per thread.
///
/// `repr(C)`: the fields stay in the order written here, which was measured
/// fast. Left to rustc, the layout moved when a counter was added to the
/// payload slab (it put the slab's bytes ahead of the tracking context, from
/// offset 0xc0 to 0x3e0): kairo.deep, broad, diamond and triangle took
/// 30-40% more time for the same instructions (callgrind), back to their
/// times with this order; this machine's counters cannot say which effect of
/// the layout that was. Add fields at the end, and time the kairo cases when
/// changing the order.
#[repr(C)]
pub(crate) struct Runtime {
    pub(crate) nodes: Arena<Node>,
    pub(crate) edges: Arena<Edge>,
    pub(crate) sites: Sites,
    /// The tracking and ownership context, in one 16-byte word because every
    /// run saves, replaces and restores all of it (two moves each way, where
    /// four fields took eight): the running computed or effect, its cursor,
    /// the edge it is expected to read next, the owner of nodes created now
    /// (each `NONE` when there is none; see the accessors below).
    pub(crate) tracking: Cell<[u32; 4]>,
    /// An edge found as read earlier in the run of its subscriber (see
    /// `Runtime::link`), or `NONE`. Cleared when a run starts, not restored
    /// when it ends: it may belong to a run that has ended.
    pub(crate) recent: Cell<u32>,
    pub(crate) batch_depth: Cell<u32>,
    pub(crate) flushing: Cell<bool>,
    pub(crate) queue: VecCell<Queued>,
    pub(crate) queue_head: Cell<usize>,
    pub(crate) queue_sorted_to: Cell<usize>,
    /// The owner of every effect queued since the queue was last empty, or
    /// `NO_OWNER_YET`, or `MIXED_OWNERS` (see `queue.rs`).
    pub(crate) queue_owner: Cell<u32>,
    /// Room for sorting the queue (kept, so that sorting allocates only when
    /// the queue is longer than ever before).
    pub(crate) queue_scratch: RefCell<Vec<Queued>>,
    pub(crate) prop_stack: VecCell<u32>,
    pub(crate) check_stack: VecCell<u32>,
    pub(crate) unwatched: VecCell<u32>,
    /// Nodes disposed while a traversal was under way, freed once it is over.
    zombies: VecCell<u32>,
    /// Nesting of traversals (dirty checks and recomputations) under way.
    pub(crate) busy: Cell<u32>,
    /// How many more second looks (`RECHECK`) the dirty checks of the
    /// outermost traversal under way may take, all together (see
    /// [`MAX_RECHECKS`]); reset when the last traversal ends.
    pub(crate) rechecks_left: Cell<u32>,
    /// Nesting of computed evaluations (for the recursion limit).
    pub(crate) eval_depth: Cell<u32>,
    /// The computed whose evaluation hit the recursion limit.
    pub(crate) deferred: Cell<u32>,
    seq: Cell<u64>,
    /// Cycles detected so far, and the computed where the last one closed.
    cycles: Cell<u64>,
    last_cycle: Cell<Key>,
    extras: RefCell<HashMap<u32, Extras, IdBuild>>,
    /// The extras of the owner that last gained a child or a cleanup (`NONE`:
    /// none), kept out of `extras`: creating many nodes under one owner (a
    /// scope, a component's effect) then costs no hash lookup per node. The
    /// map holds every other owner's.
    current_extras: RefCell<(u32, Extras)>,
    /// Nodes disposed through their own handle (not with their owner): only
    /// these leave disposed keys in an owner's list of children.
    pub(crate) disposed_singly: Cell<u64>,
    reverts: RefCell<Vec<Revert>>,
    /// Nesting of user code the engine is running (functions, cleanups,
    /// `with` closures, user `Clone`, `PartialEq` and `Drop` impls) while it
    /// may hold references into the arenas. Zero at a call from outside the
    /// engine: the arenas may then move (see [`Runtime::safe_point`]).
    user_depth: Cell<u32>,
    /// Tests only: consolidate at every safe point, poisoning the old memory
    /// (see [`crate::testing`]).
    pub(crate) relocate_always: Cell<bool>,
    /// Consolidations so far (for the relocation tests).
    pub(crate) relocations: Cell<u64>,
    /// Dirty walks with unchecked lookups that stopped because a
    /// recomputation grew an arena (for the tests of that path; see
    /// `graph::Lookup`).
    pub(crate) walks_stopped: Cell<u64>,
    /// The blocks of computeds' and effects' payloads (see `cells`).
    pub(crate) cells: Cells,
}

impl Runtime {
    const fn new() -> Self {
        Runtime {
            // Handles carry node generations, so the node arena never restarts;
            // edges are the engine's own.
            nodes: Arena::new(NONE, false, "nodes"),
            edges: Arena::new(NONE, true, "edges"),
            sites: Sites::new(),
            cells: Cells::new(),
            tracking: Cell::new([NONE; 4]),
            recent: Cell::new(NONE),
            batch_depth: Cell::new(0),
            flushing: Cell::new(false),
            queue: VecCell::new(),
            queue_head: Cell::new(0),
            queue_sorted_to: Cell::new(0),
            queue_owner: Cell::new(NO_OWNER_YET),
            queue_scratch: RefCell::new(Vec::new()),
            prop_stack: VecCell::new(),
            check_stack: VecCell::new(),
            unwatched: VecCell::new(),
            zombies: VecCell::new(),
            busy: Cell::new(0),
            rechecks_left: Cell::new(MAX_RECHECKS),
            eval_depth: Cell::new(0),
            deferred: Cell::new(NONE),
            seq: Cell::new(0),
            cycles: Cell::new(0),
            last_cycle: Cell::new(Key {
                idx: 0,
                gen: 0,
                site: 0,
            }),
            extras: RefCell::new(HashMap::with_hasher(BuildHasherDefault::new())),
            current_extras: RefCell::new((
                NONE,
                Extras {
                    children: Vec::new(),
                    cleanups: Vec::new(),
                    compacted_at: 0,
                },
            )),
            disposed_singly: Cell::new(0),
            reverts: RefCell::new(Vec::new()),
            user_depth: Cell::new(0),
            relocate_always: Cell::new(false),
            relocations: Cell::new(0),
            walks_stopped: Cell::new(0),
        }
    }

    /// Marks user code as running until the guard drops (also when it
    /// unwinds): no safe point is taken meanwhile. Every call from the engine
    /// into code it does not control, made while the engine holds a
    /// reference into an arena, sits inside one of these.
    #[inline]
    pub(crate) fn user_code(&self) -> UserCode<'_> {
        self.user_depth.set(self.user_depth.get() + 1);
        UserCode { rt: self }
    }

    /// The first step of a write or a creation: if no engine frame is below
    /// this call (no user code is running under the engine), nothing holds a
    /// reference into the arenas, so they may be
    /// [consolidated](Arena::consolidate) into one block each when that pays
    /// (see `arena.rs`).
    #[inline]
    pub(crate) fn safe_point(&self) {
        if self.user_depth.get() == 0
            && (self.nodes.wants_consolidation()
                | self.edges.wants_consolidation()
                | self.relocate_always.get())
        {
            self.consolidate_arenas();
        }
    }

    #[cold]
    fn consolidate_arenas(&self) {
        self.relocations.set(self.relocations.get() + 1);
        let poison = self.relocate_always.get();
        // SAFETY: `user_depth` is 0, so this call came from outside the
        // engine: every engine function that holds an arena reference while
        // calling out does so inside a `UserCode` guard, and no reference
        // outlives the engine function that took it.
        unsafe {
            self.nodes.consolidate(poison);
            self.edges.consolidate(poison);
        }
    }

    #[inline]
    pub(crate) fn node(&self, idx: u32) -> &Node {
        self.nodes.get(idx)
    }

    #[inline]
    pub(crate) fn edge(&self, idx: u32) -> &Edge {
        self.edges.get(idx)
    }

    // ---- creation and validation -------------------------------------------

    /// A fresh node of `kind` at a site, owned by the current owner. The caller
    /// fills the payload.
    #[inline]
    pub(crate) fn create(&self, kind: u32, site: u32) -> Key {
        // Called first thing by the constructors, which hold no record yet: a
        // graph built and then only read (never written) gets its arenas
        // merged too.
        self.safe_point();
        if self.nodes.len() == 0 {
            self.init_sentinel();
        }
        let (idx, n) = self.nodes.alloc_record();
        n.set_flags(kind);
        n.subs.set(NONE);
        n.deps.set(NONE);
        n.site.set(site);
        let key = Key {
            idx,
            gen: n.generation(),
            site: site.min(u16::MAX as u32) as u16,
        };
        if self.owner().get() != NONE {
            self.adopt(key);
        }
        key
    }

    #[cold]
    fn init_sentinel(&self) {
        let site = self.sites.intern::<()>(Location::caller(), || Site {
            kind: NodeKind::Signal,
            type_name: "()",
            location: Location::caller(),
            run: None,
            drop: None,
        });
        let idx = self.nodes.alloc();
        debug_assert_eq!(idx, SENTINEL);
        let n = self.node(idx);
        n.set_flags(SIGNAL);
        n.site.set(site);
    }

    /// A site id for payload type `P` made at `location`.
    #[inline]
    pub(crate) fn site<P: 'static>(
        &self,
        location: &'static Location<'static>,
        make: impl FnOnce() -> Site,
    ) -> u32 {
        self.sites.intern::<P>(location, make)
    }

    /// The next creation sequence number (orders sibling effects and scopes).
    pub(crate) fn next_seq(&self) -> u64 {
        let s = self.seq.get() + 1;
        self.seq.set(s);
        s
    }

    /// Whether `key` still names a live node.
    #[inline]
    pub(crate) fn is_live(&self, key: Key) -> bool {
        self.node(key.idx).is(key.gen, FREE | ZOMBIE)
    }

    /// The error for a handle whose node is gone.
    #[cold]
    pub(crate) fn disposed_error(&self, key: Key, kind: NodeKind) -> Error {
        let (type_name, created_at) = self.site_of_key(key);
        Error::Disposed {
            kind,
            type_name,
            created_at,
        }
    }

    /// The error for a computed read during its own computation.
    #[cold]
    pub(crate) fn cycle_error(&self, key: Key) -> Error {
        self.cycles.set(self.cycles.get() + 1);
        self.last_cycle.set(key);
        let (type_name, created_at) = self.site_of_key(key);
        Error::Cycle {
            type_name,
            created_at,
        }
    }

    fn site_of_key(&self, key: Key) -> (&'static str, &'static Location<'static>) {
        if key.site == u16::MAX {
            // More sites than a handle can name: fall back on the caller.
            ("?", Location::caller())
        } else {
            let s = self.sites.get(key.site as u32);
            (s.type_name, s.location)
        }
    }

    /// Brings a computed up to date like [`Runtime::refresh`], but a cycle
    /// detected below (where a panicking `get` reported it) comes back as an
    /// error instead of a panic: the `try_*` reads promise an error for a cycle.
    pub(crate) fn refresh_or_cycle(&self, idx: u32) -> Result<(), Error> {
        let seen = self.cycles.get();
        let refresh = || self.refresh(idx, self.node(idx));
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(refresh)) {
            Ok(()) => Ok(()),
            Err(payload) if self.cycles.get() != seen && !crate::run::is_too_deep(&*payload) => {
                let key = self.last_cycle.get();
                let (type_name, created_at) = self.site_of_key(key);
                Err(Error::Cycle {
                    type_name,
                    created_at,
                })
            }
            Err(payload) => std::panic::resume_unwind(payload),
        }
    }

    /// Readies computed `key` (record `n`) for a read that found it not
    /// plainly up to date (the read's fast path tests all of this at once): the
    /// disposed or cycle error, or a recomputation and the effects it queued.
    /// `catch_cycles`: a cycle closed below comes back as an error (see
    /// [`Runtime::refresh_or_cycle`]).
    ///
    /// Inline, with [`Runtime::refresh`], in the read: a read that pulls a
    /// recomputation (most recomputations on the dynamic graphs) then makes
    /// one call, not three, and looks its record up once. Measured against
    /// both out of line: dyn.6-100x15 6% fewer instructions and 30% faster
    /// against the port, s.update_signals 12% fewer.
    #[inline(always)]
    pub(crate) fn prepare_read(&self, key: Key, n: &Node, catch_cycles: bool) -> Result<(), Error> {
        debug_assert!(std::ptr::eq(n, self.node(key.idx)));
        if !n.is(key.gen, FREE | ZOMBIE) {
            return Err(self.disposed_error(key, NodeKind::Computed));
        }
        let flags = n.flags();
        if flags & RUNNING != 0 {
            return Err(self.cycle_error(key));
        }
        if flags & (DIRTY | PENDING | STALE) != 0 {
            self.refresh_for_read(key, n, catch_cycles)?;
            if n.flags() & (DIRTY | PENDING) != 0 {
                return self.refresh_again(key, n, catch_cycles);
            }
        }
        Ok(())
    }

    /// The recomputation of [`Runtime::prepare_read`], and the effects it
    /// queued; the disposed error if the computed is gone after.
    #[inline(always)]
    fn refresh_for_read(&self, key: Key, n: &Node, catch_cycles: bool) -> Result<(), Error> {
        if catch_cycles {
            self.refresh_or_cycle(key.idx)?;
        } else {
            self.refresh(key.idx, n);
        }
        // A function that wrote signals queued effects: run them now
        // (`flush` waits if this read is inside another computed's run).
        self.flush();
        // Its own function, or those effects, may have disposed it.
        if !n.is(key.gen, FREE | ZOMBIE) {
            return Err(self.disposed_error(key, NodeKind::Computed));
        }
        Ok(())
    }

    /// A computed came out of its run stale: a computed it read wrote a
    /// signal it had read before. Runs it again (the write is seen then), up
    /// to [`MAX_RECHECKS`] times, beyond which the
    /// read takes the value as it is and the computed stays pending for the
    /// next read.
    #[cold]
    #[inline(never)]
    fn refresh_again(&self, key: Key, n: &Node, catch_cycles: bool) -> Result<(), Error> {
        for _ in 0..MAX_RECHECKS {
            self.refresh_for_read(key, n, catch_cycles)?;
            if n.flags() & (DIRTY | PENDING) == 0 {
                break;
            }
        }
        Ok(())
    }

    /// `Ok(())` if `key` is live, else the disposed error for a handle of `kind`.
    #[inline]
    pub(crate) fn check(&self, key: Key, kind: NodeKind) -> Result<(), Error> {
        if self.is_live(key) {
            Ok(())
        } else {
            Err(self.disposed_error(key, kind))
        }
    }

    // ---- ownership ------------------------------------------------------------

    /// Calls `f` with the extras of `owner` (made if it has none), after
    /// moving them to `current_extras` if another owner's are there.
    #[inline]
    fn with_extras<R>(&self, owner: u32, f: impl FnOnce(&mut Extras) -> R) -> R {
        let mut current = self.current_extras.borrow_mut();
        if current.0 != owner {
            self.switch_extras(&mut current, owner);
        }
        f(&mut current.1)
    }

    #[cold]
    fn switch_extras(&self, current: &mut (u32, Extras), owner: u32) {
        let mut map = self.extras.borrow_mut();
        let mine = map.remove(&owner).unwrap_or_default();
        let (previous, theirs) = std::mem::replace(current, (owner, mine));
        if previous != NONE {
            map.insert(previous, theirs);
        }
    }

    /// Records `key` as a child of the current owner.
    fn adopt(&self, key: Key) {
        let owner = self.owner().get();
        self.with_extras(owner, |ex| {
            let full = ex.children.len() == ex.children.capacity() && ex.children.len() >= 16;
            let singly = self.disposed_singly.get();
            if full && ex.compacted_at != singly {
                // Children disposed one by one leave stale keys; drop them
                // before growing, so the list stays within twice the live
                // children. (If no node was disposed that way since the last
                // time, there is none to drop.)
                ex.children.retain(|k| self.is_live(*k));
                ex.compacted_at = singly;
            }
            ex.children.push(key);
        });
        self.node(owner).insert(HAS_EXTRAS);
    }

    /// Registers a cleanup with the current owner (dropped unrun at top level).
    pub(crate) fn add_cleanup(&self, f: Box<dyn FnOnce()>) {
        let owner = self.owner().get();
        if owner == NONE {
            return;
        }
        self.with_extras(owner, |ex| ex.cleanups.push(f));
        self.node(owner).insert(HAS_EXTRAS);
    }

    /// Takes the extras of `owner` away (it is being cleaned).
    fn take_extras(&self, owner: u32) -> Option<Extras> {
        let mut current = self.current_extras.borrow_mut();
        if current.0 == owner {
            current.0 = NONE;
            Some(std::mem::take(&mut current.1))
        } else {
            self.extras.borrow_mut().remove(&owner)
        }
    }

    /// Disposes what `owner` owns (newest first) and runs its cleanups (newest
    /// first, untracked): before an effect or computed re-runs, and on disposal.
    pub(crate) fn clean_owner(&self, owner: u32) {
        // Disposing children drops their values and functions.
        let _user = self.user_code();
        let extras = self.take_extras(owner);
        self.node(owner).remove(HAS_EXTRAS);
        let Some(extras) = extras else { return };
        for key in extras.children.iter().rev() {
            if self.is_live(*key) {
                self.dispose_idx(key.idx);
            }
        }
        if !extras.cleanups.is_empty() {
            let _ctx = self.enter_top_level();
            for f in extras.cleanups.into_iter().rev() {
                f();
            }
        }
    }

    /// Runs as at top level: no tracking, no owner. The guard restores the
    /// old context, also when unwinding.
    pub(crate) fn enter_top_level(&self) -> Context<'_> {
        Context {
            rt: self,
            saved: self.tracking.replace([NONE; 4]),
        }
    }

    // ---- disposal -------------------------------------------------------------

    /// Disposes a live node: its owned nodes and cleanups first, then its edges,
    /// payload and slot. Handles to it fail from now on.
    pub(crate) fn dispose_idx(&self, idx: u32) {
        let n = self.node(idx);
        let f = n.flags();
        if f & (FREE | ZOMBIE) != 0 {
            return;
        }
        if f & BORROWED != 0 {
            panic!(
                "sapwood: cannot dispose {} while `with` borrows its value",
                self.sites.get(n.site.get()).describe()
            );
        }
        // Invalidate every handle now, even if the slot is freed later.
        let gen = n.generation().wrapping_add(1);
        n.set_generation(gen);
        n.insert(ZOMBIE);
        if f & HAS_EXTRAS != 0 {
            self.clean_owner(idx);
        }
        if n.flags() & RUNNING != 0 || self.busy.get() > 0 {
            // Its run, or a traversal that may hold its edges, is under way.
            self.zombies.push(idx);
        } else {
            self.finish_dispose(idx);
        }
    }

    /// Frees a disposed node's edges, payload and slot.
    pub(crate) fn finish_dispose(&self, idx: u32) {
        let n = self.node(idx);
        let f = n.flags();
        debug_assert!(f & ZOMBIE != 0 && f & (RUNNING | FREE) == 0);
        let kind = f & KIND;
        if kind == SIGNAL || kind == COMPUTED {
            self.orphan_subscribers(n);
        }
        if kind == COMPUTED || kind == EFFECT {
            let first = n.deps.replace(NONE);
            self.unlink_all(first);
        }
        let site = self.sites.get(n.site.get());
        if let Some(drop) = site.drop {
            let p = n.ptr();
            // Free the slot before running user destructors, which may re-enter.
            self.release_slot(idx, n);
            let _user = self.user_code();
            // SAFETY: the payload was made for this site (see `erased`), and the
            // slot no longer refers to it, so it is freed exactly once.
            unsafe { drop(p, f & VALUE_INIT != 0, &self.cells) };
        } else {
            self.release_slot(idx, n);
        }
    }

    /// Frees slot `idx`, whose record is `n`.
    fn release_slot(&self, idx: u32, n: &Node) {
        n.subs.set(NONE);
        n.deps.set(NONE);
        n.set_flags(FREE);
        // A generation that wrapped to 0 retires the slot for good.
        if n.generation() != 0 {
            self.nodes.free(idx, n);
        }
    }

    /// Moves a disposed source's subscriber edges (`n` is its record) onto the
    /// sentinel, so that the subscribers' dependency lists stay intact; they
    /// drop the edges at their next run.
    fn orphan_subscribers(&self, n: &Node) {
        let mut e = n.subs.replace(NONE);
        let sentinel = self.node(SENTINEL);
        while e != NONE {
            let edge = self.edge(e);
            let next = edge.next_sub();
            let head = sentinel.subs.get();
            edge.set_dep(SENTINEL);
            edge.set_prev_sub(NONE);
            edge.set_next_sub(head);
            if head != NONE {
                self.edge(head).set_prev_sub(e);
            }
            sentinel.subs.set(e);
            e = next;
        }
    }

    /// Frees nodes disposed during a traversal, once none is under way.
    #[inline]
    pub(crate) fn settle(&self) {
        if self.zombies.len() != 0 && self.busy.get() == 0 {
            self.settle_slow();
        }
    }

    #[cold]
    fn settle_slow(&self) {
        while let Some(idx) = self.zombies.pop() {
            let f = self.node(idx).flags();
            if f & ZOMBIE != 0 && f & (FREE | RUNNING) == 0 {
                self.finish_dispose(idx);
            }
        }
    }

    /// Called when a run of `idx` (record `n`) ends: finishes the node's
    /// disposal if it was disposed while running.
    #[inline]
    pub(crate) fn after_run(&self, idx: u32, n: &Node) {
        if n.flags() & ZOMBIE != 0 {
            if self.busy.get() == 0 {
                self.finish_dispose(idx);
            } else {
                self.zombies.push(idx);
            }
        }
    }

    // ---- writes, batches and the effect queue ------------------------------

    /// A signal was written (`n` is its record): mark it, tell its
    /// subscribers, run effects unless a batch is open.
    #[inline]
    pub(crate) fn notify(&self, n: &Node) {
        let first = n.subs.get();
        if first == NONE {
            return;
        }
        if n.flags() & (REVERTIBLE | DIRTY) == 0 && self.user_depth.get() == 0 {
            // No batch may take this write back, and it comes from outside
            // the engine, so no subscriber is running or being checked: the
            // direct subscribers are dirty now, and their checks need not
            // look at the signal (measured: 10% fewer instructions and 20%
            // less time on s.update_signals, a write and a read of one
            // computed). A write from inside a run announces on the signal
            // instead: a subscriber whose run or check is under way decides
            // from the dependencies it has by then (it may have stopped
            // reading the signal), and a mark made meanwhile would be left on
            // a node that nothing queues any more.
            self.propagate_dirty(first);
        } else {
            // Announced on the signal, for its readers' checks to find (and
            // for the batch's end to withdraw if the value is back).
            n.insert(DIRTY);
            if self.busy.get() > 0 {
                self.propagate_write_from_run(first);
            } else {
                self.propagate(first);
            }
        }
        if self.unwatched.len() != 0 {
            self.drain_unwatched();
        }
        self.flush();
    }

    /// Propagates a write made while a computed runs or a check is under way
    /// (see [`Runtime::propagate_from_run`]). The running computed, if the
    /// write is its own, does not hear it through its own edge to the signal:
    /// a computed that writes a signal it has read would otherwise be stale
    /// after every run and never settle (with `set`, even writing back the
    /// value it read counts as a change). It still hears the write through
    /// other nodes it read (they are stale).
    #[cold]
    fn propagate_write_from_run(&self, first: u32) {
        let sub = self.active_sub().get();
        let own = sub != NONE && self.node(sub).flags() & (KIND | RUNNING) == COMPUTED | RUNNING;
        self.propagate_from_run(first, if own { sub } else { NONE });
    }

    /// Saves a signal's value at its first `set_if_changed` of the batch, so that
    /// the batch's end can tell whether it really changed.
    ///
    /// # Safety
    /// `key` names a live signal of `T`.
    pub(crate) unsafe fn save_for_batch<T: PartialEq>(&self, key: Key) {
        let n = self.node(key.idx);
        if n.flags() & DIRTY != 0 {
            // An earlier write nobody has checked yet: hand it to the
            // subscribers now, so that clearing DIRTY later cannot lose it.
            self.consume_signal(n);
        }
        // SAFETY: the caller's contract.
        let saved = unsafe { erased::save_signal::<T>(n) };
        n.insert(WRITTEN | REVERTIBLE);
        self.reverts.borrow_mut().push(Revert {
            key,
            saved,
            equals: erased::saved_equals::<T>,
            drop: erased::drop_saved::<T>,
        });
    }

    /// Opens a batch; the guard closes it.
    pub(crate) fn open_batch(&self) -> BatchGuard<'_> {
        self.batch_depth.set(self.batch_depth.get() + 1);
        BatchGuard { rt: self }
    }

    /// At the end of the outermost batch: a signal written only with
    /// `set_if_changed` that ends equal to its old value notifies no one.
    #[inline]
    fn resolve_reverts(&self, compare: bool) {
        if !self.reverts.borrow().is_empty() {
            self.resolve_reverts_now(compare);
        }
    }

    #[cold]
    fn resolve_reverts_now(&self, compare: bool) {
        // User `PartialEq` and `Drop` impls run below.
        let _user = self.user_code();
        let mut list = std::mem::take(&mut *self.reverts.borrow_mut());
        for r in list.drain(..) {
            let n = self.node(r.key.idx);
            let live = self.is_live(r.key);
            if live {
                let f = n.flags();
                n.remove(WRITTEN | REVERTIBLE);
                // SAFETY: `saved` was made by `save_signal` for this live signal's
                // type (its generation is unchanged).
                if compare && f & REVERTIBLE != 0 && unsafe { (r.equals)(n, r.saved) } {
                    n.remove(DIRTY);
                }
            }
            // SAFETY: made by `save_signal` of the same type; freed once.
            unsafe { (r.drop)(r.saved) };
        }
        let mut slot = self.reverts.borrow_mut();
        if slot.capacity() < list.capacity() {
            *slot = list;
        }
    }

    /// Whether an effect or computed (`n` is its record) must run now
    /// (checking its sources if it is only pending); clears `PENDING` when it
    /// need not.
    #[inline]
    pub(crate) fn needs_run(&self, idx: u32, n: &Node) -> bool {
        let f = n.flags();
        if f & (DIRTY | STALE) != 0 {
            return true;
        }
        f & PENDING != 0 && self.check_pending(idx, n)
    }

    /// [`Runtime::needs_run`] for a pending node (record `n`): checks its
    /// sources.
    #[inline(never)]
    fn check_pending(&self, idx: u32, n: &Node) -> bool {
        let deps = n.deps.get();
        if deps != NONE && self.check_dirty(deps, idx) {
            return true;
        }
        n.remove(PENDING | RECHECK);
        false
    }
}

impl Drop for Runtime {
    fn drop(&mut self) {
        // From here on the fast paths take the slow ones, which find the
        // runtime gone. (`LIVE` has no destructor: it is never gone.)
        LIVE.with(|live| live.set(std::ptr::null()));
        for r in self.reverts.get_mut().drain(..) {
            // SAFETY: made by `save_signal`; freed once.
            unsafe { (r.drop)(r.saved) };
        }
        for idx in self.nodes.indices() {
            let n = self.node(idx);
            let f = n.flags();
            if f & FREE != 0 {
                continue;
            }
            let site = self.sites.get(n.site.get());
            if let Some(drop) = site.drop {
                n.set_flags(FREE);
                // SAFETY: a live node's payload matches its site; freed once.
                unsafe { drop(n.ptr(), f & VALUE_INIT != 0, &self.cells) };
            }
        }
    }
}

/// The fields of [`Runtime::tracking`].
impl Runtime {
    /// The computed or effect whose run records reads.
    #[inline(always)]
    pub(crate) fn active_sub(&self) -> &Cell<u32> {
        &self.tracking.as_array_of_cells()[0]
    }
    /// Its last dependency edge confirmed so far in this run.
    #[inline(always)]
    pub(crate) fn cursor(&self) -> &Cell<u32> {
        &self.tracking.as_array_of_cells()[1]
    }
    /// The edge after the cursor: the previous run's next read, expected to
    /// be read again now.
    #[inline(always)]
    pub(crate) fn expect(&self) -> &Cell<u32> {
        &self.tracking.as_array_of_cells()[2]
    }
    /// The owner of nodes created now.
    #[inline(always)]
    pub(crate) fn owner(&self) -> &Cell<u32> {
        &self.tracking.as_array_of_cells()[3]
    }
}

/// Ends a stretch of user code (see [`Runtime::user_code`]).
pub(crate) struct UserCode<'a> {
    rt: &'a Runtime,
}

impl Drop for UserCode<'_> {
    #[inline]
    fn drop(&mut self) {
        self.rt.user_depth.set(self.rt.user_depth.get() - 1);
    }
}

/// Restores the tracking and ownership context on drop.
pub(crate) struct Context<'a> {
    rt: &'a Runtime,
    saved: [u32; 4],
}

impl Drop for Context<'_> {
    fn drop(&mut self) {
        self.rt.tracking.set(self.saved);
    }
}

pub(crate) struct BatchGuard<'a> {
    rt: &'a Runtime,
}

impl Drop for BatchGuard<'_> {
    fn drop(&mut self) {
        let rt = self.rt;
        let depth = rt.batch_depth.get() - 1;
        rt.batch_depth.set(depth);
        if depth == 0 {
            if std::thread::panicking() {
                // Leave the queued effects for the next flush; running user code
                // while unwinding could abort the process.
                rt.resolve_reverts(false);
            } else {
                rt.resolve_reverts(true);
                rt.flush();
            }
        }
    }
}

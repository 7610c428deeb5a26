//! Creation sites: what a node is and where it was made, shared by every node
//! made at the same place.
//!
//! A node stores a 4-byte site id instead of a vtable pointer and a location:
//! the site holds the type-erased functions for the node's payload (run, drop),
//! the payload type's name and the `file:line` of the `new` call. Sites are
//! interned per (payload type, call site), so a program has as many as it has
//! creation sites in its source, whatever number of nodes it makes.

use std::any::TypeId;
use std::cell::{Cell, RefCell, UnsafeCell};
use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::panic::Location;

use crate::error::NodeKind;

/// Runs a payload: a computed recomputes and reports whether its value changed
/// (the flag says whether an old value exists); an effect runs its function.
pub(crate) type RunFn = unsafe fn(*mut u8, bool) -> bool;
/// Frees a payload (the flag says whether a computed's value is initialised),
/// giving its block back to the runtime's slab if it came from there.
pub(crate) type DropFn = unsafe fn(*mut u8, bool, &crate::cells::Cells);

#[derive(Clone, Copy)]
pub(crate) struct Site {
    pub kind: NodeKind,
    /// The value type (`T` of `Signal<T>` / `Computed<T>`); empty for effects and scopes.
    pub type_name: &'static str,
    pub location: &'static Location<'static>,
    pub run: Option<RunFn>,
    /// `None` when the payload needs no freeing (inline values, scopes).
    pub drop: Option<DropFn>,
}

impl Site {
    /// `Signal<i64>`, `Computed<String>`, `Effect`, `Scope`.
    pub(crate) fn describe(&self) -> String {
        describe(self.kind, self.type_name)
    }
}

pub(crate) fn describe(kind: NodeKind, type_name: &str) -> String {
    if type_name.is_empty() {
        format!("{kind:?}")
    } else {
        format!("{kind:?}<{type_name}>")
    }
}

/// The run function of a site that has none (signals, scopes): never
/// called, as only computeds and effects run.
///
/// # Safety
/// Never called.
unsafe fn no_run(_: *mut u8, _: bool) -> bool {
    unreachable!("sapwood: a signal or scope was run")
}

/// A tiny multiplicative hasher for the (type id, address) keys.
#[derive(Default)]
pub(crate) struct IdHasher(u64);

impl std::hash::Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut b = [0u8; 8];
            b[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(b));
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_u32(&mut self, n: u32) {
        self.write_u64(n as u64)
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64)
    }
}

pub(crate) type IdBuild = BuildHasherDefault<IdHasher>;

type SiteKey = (TypeId, usize);

pub(crate) struct Sites {
    /// Append-only; entries are `Copy` and read by value.
    list: UnsafeCell<Vec<Site>>,
    /// Each site's run function, apart (same ids, pushed with the site): a
    /// run finds it with one load, where a 48-byte `Site` took a multiply
    /// and an `Option` test. A site without one has [`no_run`].
    runs: UnsafeCell<Vec<RunFn>>,
    index: RefCell<HashMap<SiteKey, u32, IdBuild>>,
    /// The last site looked up: node creation in a loop hits it every time.
    last: Cell<Option<(SiteKey, u32)>>,
}

impl Sites {
    pub(crate) const fn new() -> Self {
        Sites {
            list: UnsafeCell::new(Vec::new()),
            runs: UnsafeCell::new(Vec::new()),
            index: RefCell::new(HashMap::with_hasher(BuildHasherDefault::new())),
            last: Cell::new(None),
        }
    }

    #[inline]
    pub(crate) fn get(&self, id: u32) -> Site {
        // SAFETY: no reference into the vector outlives a method of `Sites`, and
        // none of them calls out while holding one.
        let list = unsafe { &*self.list.get() };
        list[id as usize]
    }

    /// The run function of a computed's or effect's site. Unchecked, as
    /// [`Arena::get`](crate::arena::Arena::get) and for the same reason: it
    /// is on the path of every run, and `id` came from [`Sites::intern`]
    /// (debug-asserted).
    #[inline]
    pub(crate) fn run_fn(&self, id: u32) -> RunFn {
        // SAFETY: as in `get`.
        let runs = unsafe { &*self.runs.get() };
        debug_assert!((id as usize) < runs.len());
        debug_assert!(self.get(id).run.is_some());
        // SAFETY: site ids are indices into `runs`, which only grows, in
        // step with the list.
        unsafe { *runs.get_unchecked(id as usize) }
    }

    /// The id of the site for payload type `P` created at `location`, registering
    /// it on first use.
    #[inline]
    pub(crate) fn intern<P: 'static>(
        &self,
        location: &'static Location<'static>,
        make: impl FnOnce() -> Site,
    ) -> u32 {
        let key = (
            TypeId::of::<P>(),
            location as *const Location<'static> as usize,
        );
        if let Some((k, id)) = self.last.get() {
            if k == key {
                return id;
            }
        }
        self.intern_slow(key, make)
    }

    #[cold]
    fn intern_slow(&self, key: SiteKey, make: impl FnOnce() -> Site) -> u32 {
        let mut index = self.index.borrow_mut();
        let id = *index.entry(key).or_insert_with(|| {
            let site = make();
            // SAFETY (both): as in `get`; `make` ran before the vectors are
            // touched, and neither reference outlives this closure.
            let list = unsafe { &mut *self.list.get() };
            let runs = unsafe { &mut *self.runs.get() };
            runs.push(site.run.unwrap_or(no_run));
            list.push(site);
            (list.len() - 1) as u32
        });
        self.last.set(Some((key, id)));
        id
    }
}

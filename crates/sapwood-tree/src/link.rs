//! Linking a tree once it is built and in place: one walk over the parts that
//! may hold identified models or references records where each identified
//! model is and collects the references; then every reference is pointed at
//! its target. Only a tree with references is linked, and linking allocates
//! nothing (it reuses the build's scratch table).
//!
//! The identifier index is made on the first
//! [`Tree::resolve_identifier`](crate::Tree::resolve_identifier) instead
//! ([`collect_index`]), by another walk: a tree nobody looks up pays nothing
//! for it.

use std::any::TypeId;

use crate::error::{pointer, ErrorKind, OwnedSegment};
use crate::ids::IdTable;
use crate::index::{self, Index};
use crate::reference::Link;
use crate::value::{Identified, IdentifierValue, KeyBuf, Model, Segment, Walk};

/// What linking found wrong: the error and its path.
pub(crate) struct LinkError {
    pub(crate) path: String,
    pub(crate) kind: ErrorKind,
}

/// Records identified models' addresses and collects references.
struct Linker<'a> {
    table: &'a mut IdTable,
}

impl<'t> Walk<'t> for Linker<'_> {
    const LINKS_ONLY: bool = true;

    fn identified<M: Identified>(&mut self, node: &'t M) {
        let ty = self.table.type_index(TypeId::of::<M>(), M::NAME);
        let mut buf = KeyBuf::new();
        let key = node.identifier().key(&mut buf);
        let slot = self
            .table
            .find(ty, key)
            .expect("every identified model was defined while building");
        self.table.slots[slot as usize].addr = node as *const M as usize;
        self.table.types[ty as usize].key_of = Some(index::key_of::<M>);
    }

    fn reference(&mut self, link: &'t Link, safe: bool) {
        self.table.links.push((link, safe));
    }
}

/// Links the tree at `root` (which must not move or change afterwards), or
/// reports the first dangling required reference.
pub(crate) fn link<T: Model>(root: &T, table: &mut IdTable) -> Result<(), LinkError> {
    root.walk(&mut Linker { table });
    let mut dangling = None;
    for &(link, safe) in &table.links {
        // SAFETY: collected just now from the tree at `root`, borrowed here.
        let link = unsafe { &*link };
        // A `SafeRef` read from `null` was linked (to nothing) when built.
        let Some(slot) = link.slot() else { continue };
        let addr = table.slots[slot as usize].addr;
        if addr == 0 && !safe {
            dangling.get_or_insert(slot);
        } else {
            link.set(addr);
        }
    }
    table.links.clear();
    match dangling {
        Some(slot) => Err(dangling_error(root, table, slot)),
        None => Ok(()),
    }
}

/// The error for a required reference to `slot`, with the path of the first
/// such reference (found by a second walk: errors may cost time).
#[cold]
fn dangling_error<T: Model>(root: &T, table: &IdTable, slot: u32) -> LinkError {
    let mut finder = PathFinder {
        slot,
        path: Vec::new(),
        found: None,
    };
    root.walk(&mut finder);
    let s = &table.slots[slot as usize];
    LinkError {
        path: finder.found.unwrap_or_default(),
        kind: ErrorKind::DanglingReference {
            model: table.types[s.ty as usize].name,
            id: crate::error::truncate(table.key(slot)),
        },
    }
}

/// Finds the path of the first required reference still pointing at `slot`.
struct PathFinder<'t> {
    slot: u32,
    path: Vec<Segment<'t>>,
    found: Option<String>,
}

impl<'t> Walk<'t> for PathFinder<'t> {
    const LINKS_ONLY: bool = true;
    fn enter(&mut self, segment: Segment<'t>) {
        self.path.push(segment);
    }
    fn leave(&mut self) {
        self.path.pop();
    }
    fn reference(&mut self, link: &'t Link, safe: bool) {
        if !safe && self.found.is_none() && link.slot() == Some(self.slot) {
            let owned: Vec<OwnedSegment> = self.path.iter().map(|&s| s.into()).collect();
            self.found = Some(pointer(owned.iter()));
        }
    }
}

/// Collects the identified models of a tree.
struct Collector<'a> {
    table: &'a mut IdTable,
}

impl<'t> Walk<'t> for Collector<'_> {
    const LINKS_ONLY: bool = true;
    fn identified<M: Identified>(&mut self, node: &'t M) {
        let ty = self.table.type_index(TypeId::of::<M>(), M::NAME);
        self.table.types[ty as usize].key_of = Some(index::key_of::<M>);
        self.table.found.push((ty, node as *const M as usize));
    }
}

/// The index of the tree at `root` (which must not move or change while the
/// index lives).
pub(crate) fn collect_index<T: Model>(root: &T) -> Index {
    let mut table = IdTable::take();
    root.walk(&mut Collector { table: &mut table });
    let IdTable { types, found, .. } = &mut *table;
    // SAFETY: the addresses are the models of the tree at `root`, each under
    // its own type, whose key reader the walk set; the caller keeps the tree
    // in place.
    let index = unsafe { Index::new(types, found) };
    IdTable::give_back(table);
    index
}

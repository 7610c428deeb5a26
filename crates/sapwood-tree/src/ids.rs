//! The identifier table of one instantiation: every identifier defined or
//! referenced so far, by model type, in one slot each.
//!
//! References may point forward (most of LargeRoot's do), so a reference to an
//! identifier not yet seen takes a slot of its own, to be defined later; after
//! the build, slots still undefined are dangling references. Keys are copied
//! into one string (`keys`), so the table never points into values that are
//! still moving while the tree is being built. The table is temporary, and
//! reused by the next build on the same thread.

use std::any::TypeId;
use std::cell::Cell;
use std::hash::BuildHasher;

use hashbrown::HashTable;

use crate::index::KeyOf;
use crate::reference::Link;

/// One identifier of one model type.
pub(crate) struct Slot {
    hash: u64,
    start: u32,
    len: u32,
    pub(crate) ty: u16,
    /// A model with this identifier was built.
    pub(crate) defined: bool,
    /// Its address once the tree is in place (0 before).
    pub(crate) addr: usize,
}

/// A model type seen by a build.
pub(crate) struct TypeEntry {
    pub(crate) id: TypeId,
    pub(crate) name: &'static str,
    /// Reads the identifier of a model of this type (known once one is linked).
    pub(crate) key_of: Option<KeyOf>,
}

pub(crate) struct IdTable {
    /// Model types seen, by index.
    pub(crate) types: Vec<TypeEntry>,
    last_type: Option<(TypeId, u16)>,
    pub(crate) slots: Vec<Slot>,
    table: HashTable<u32>,
    keys: String,
    hasher: foldhash::fast::RandomState,
    /// Scratch of the linking walk: the references found, (link, safe).
    pub(crate) links: Vec<(*const Link, bool)>,
    /// Scratch of index making: (type index, model address).
    pub(crate) found: Vec<(u16, usize)>,
}

thread_local! {
    /// The table of the last build on this thread, emptied, kept for the next.
    static SPARE: Cell<Option<Box<IdTable>>> = const { Cell::new(None) };
}

/// A spare table bigger than this (in slots) is freed instead of kept.
const KEEP_SLOTS: usize = 4096;

impl IdTable {
    fn new() -> Self {
        IdTable {
            types: Vec::new(),
            last_type: None,
            slots: Vec::new(),
            table: HashTable::new(),
            keys: String::new(),
            hasher: foldhash::fast::RandomState::default(),
            links: Vec::new(),
            found: Vec::new(),
        }
    }

    /// An empty table: this thread's spare one, or a new one.
    pub(crate) fn take() -> Box<IdTable> {
        SPARE
            .try_with(|s| s.take())
            .ok()
            .flatten()
            .unwrap_or_else(|| Box::new(IdTable::new()))
    }

    /// Empties `table` and keeps it for the next build (unless it grew large).
    pub(crate) fn give_back(mut table: Box<IdTable>) {
        if table.slots.capacity() > KEEP_SLOTS {
            return;
        }
        table.types.clear();
        table.last_type = None;
        table.slots.clear();
        table.table.clear();
        table.keys.clear();
        table.links.clear();
        table.found.clear();
        let _ = SPARE.try_with(|s| s.set(Some(table)));
    }

    /// The index of model type `id` (registering it on first sight).
    #[inline]
    pub(crate) fn type_index(&mut self, id: TypeId, name: &'static str) -> u16 {
        if let Some((t, i)) = self.last_type {
            if t == id {
                return i;
            }
        }
        let i = match self.types.iter().position(|t| t.id == id) {
            Some(i) => i as u16,
            None => {
                self.types.push(TypeEntry {
                    id,
                    name,
                    key_of: None,
                });
                (self.types.len() - 1) as u16
            }
        };
        self.last_type = Some((id, i));
        i
    }

    #[inline]
    fn hash(&self, ty: u16, key: &str) -> u64 {
        self.hasher.hash_one((ty, key))
    }

    /// The slot of (`ty`, `key`), if any.
    #[inline]
    pub(crate) fn find(&self, ty: u16, key: &str) -> Option<u32> {
        let hash = self.hash(ty, key);
        self.table
            .find(hash, |&s| self.matches(s, ty, key))
            .copied()
    }

    #[inline]
    fn matches(&self, slot: u32, ty: u16, key: &str) -> bool {
        let s = &self.slots[slot as usize];
        s.ty == ty && &self.keys[s.start as usize..(s.start + s.len) as usize] == key
    }

    /// The slot of (`ty`, `key`), created if new.
    #[inline]
    fn slot(&mut self, ty: u16, key: &str) -> (u32, bool) {
        let hash = self.hash(ty, key);
        let IdTable {
            slots, table, keys, ..
        } = self;
        let found = table.find(hash, |&s| {
            let sl = &slots[s as usize];
            sl.ty == ty && &keys[sl.start as usize..(sl.start + sl.len) as usize] == key
        });
        if let Some(&s) = found {
            return (s, false);
        }
        let s = slots.len() as u32;
        let start = keys.len() as u32;
        keys.push_str(key);
        slots.push(Slot {
            hash,
            start,
            len: key.len() as u32,
            ty,
            defined: false,
            addr: 0,
        });
        table.insert_unique(hash, s, |&i| slots[i as usize].hash);
        (s, true)
    }

    /// Defines (`ty`, `key`); false if it was defined already.
    #[inline]
    pub(crate) fn define(&mut self, ty: u16, key: &str) -> bool {
        let (s, _) = self.slot(ty, key);
        let slot = &mut self.slots[s as usize];
        !std::mem::replace(&mut slot.defined, true)
    }

    /// The slot a reference to (`ty`, `key`) points at.
    #[inline]
    pub(crate) fn refer(&mut self, ty: u16, key: &str) -> u32 {
        self.slot(ty, key).0
    }

    /// A slot's identifier.
    pub(crate) fn key(&self, slot: u32) -> &str {
        let s = &self.slots[slot as usize];
        &self.keys[s.start as usize..(s.start + s.len) as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_scope_identifiers() {
        let mut t = IdTable::new();
        let a = t.type_index(TypeId::of::<u8>(), "A");
        let b = t.type_index(TypeId::of::<u16>(), "B");
        assert!(t.define(a, "x"));
        assert!(t.define(b, "x"), "another type may share the id");
        assert!(!t.define(a, "x"), "a duplicate of the same type");
        let fwd = t.refer(a, "later");
        assert!(!t.slots[fwd as usize].defined);
        assert!(t.define(a, "later"));
        assert_eq!(t.find(a, "later"), Some(fwd));
        assert_eq!(t.key(fwd), "later");
        assert_eq!(t.find(b, "later"), None);
    }
}

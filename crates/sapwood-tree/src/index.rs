//! The identifier index of a tree: for each identified model type, a table of
//! the addresses of its models, found by identifier in O(1).
//!
//! A table stores only node addresses (8 bytes each); a key is read from the
//! node itself through the type's `key_of` function. A type with at most
//! [`SMALL`] models has an exact-size list, scanned (a constant bound); larger
//! ones an open-addressing table at most 3/4 full, probed linearly. In those,
//! an entry keeps 16 bits of its key's hash in the address bits that user
//! space never uses (a 64-bit address is below 2^48), so that a probe reads a
//! model only when the fingerprint matches: about one model read per lookup.

use std::any::TypeId;
use std::hash::{BuildHasher, Hasher};

use crate::scratch::Scratch;
use crate::value::{Identified, IdentifierValue, KeyBuf};

/// Reads the identifier of the model at an address.
pub(crate) type KeyOf = for<'a> unsafe fn(usize, &'a mut KeyBuf) -> &'a str;

/// The [`KeyOf`] of model type `M`.
///
/// # Safety
/// `addr` is the address of a live `M`, which outlives the returned borrow.
pub(crate) unsafe fn key_of<M: Identified>(addr: usize, buf: &mut KeyBuf) -> &str {
    // SAFETY: the function's contract.
    unsafe { (*(addr as *const M)).identifier().key(buf) }
}

/// Types with at most this many models are scanned, not hashed.
const SMALL: usize = 8;

/// Address bits of a hashed table's entry; the bits above hold a fingerprint
/// of the key's hash (none on targets with narrower pointers).
const ADDR_BITS: u32 = if usize::BITS >= 64 { 48 } else { usize::BITS };
const ADDR_MASK: usize = if ADDR_BITS < usize::BITS {
    (1 << ADDR_BITS) - 1
} else {
    usize::MAX
};

/// The fingerprint bits of `hash`, in place above the address bits.
#[inline]
fn fingerprint(hash: u64) -> usize {
    if ADDR_BITS < usize::BITS {
        (hash as usize) & !ADDR_MASK
    } else {
        0
    }
}

/// A hashed table's entry and its address.
#[inline]
fn untag(entry: usize, tagged: bool) -> (usize, usize) {
    (entry, if tagged { entry & ADDR_MASK } else { entry })
}

struct TypeIndex {
    ty: TypeId,
    key_of: KeyOf,
    /// Small: addresses. Hashed: address | fingerprint, 0 for an empty bucket.
    slots: Box<[usize]>,
    /// A hashed table whose entries carry fingerprints (every address fitted
    /// below [`ADDR_BITS`]).
    tagged: bool,
}

pub(crate) struct Index {
    hasher: foldhash::fast::RandomState,
    tables: Box<[TypeIndex]>,
}

// SAFETY: the index holds addresses of models inside the tree that owns it,
// and only ever reads through them; the tree is `Send`/`Sync` only when its
// models are.
unsafe impl Send for Index {}
// SAFETY: as above.
unsafe impl Sync for Index {}

/// The hash of an identifier: its bytes, in one write (`str`'s own `Hash`
/// adds a terminator write). The build's table hashes the same way.
#[inline]
pub(crate) fn hash_key(hasher: &foldhash::fast::RandomState, key: &str) -> u64 {
    let mut h = hasher.build_hasher();
    h.write(key.as_bytes());
    h.finish()
}

/// The bucket of `hash` in a table of `len` buckets.
#[inline]
fn bucket(hash: u64, len: usize) -> usize {
    ((hash as u128 * len as u128) >> 64) as usize
}

impl Index {
    /// An index of the models registered in `scratch` (every slot with an
    /// address), hashed with the scratch's hasher and the hashes its slots
    /// keep: making it reads no model.
    ///
    /// # Safety
    /// Every registered address is a live model of its slot's type, with the
    /// slot's identifier, in the tree that will own the index, and stays so
    /// while the index lives; every type with registered models has its
    /// `key_of`.
    pub(crate) unsafe fn new(scratch: &Scratch) -> Index {
        /// What the first pass learns of a type: its number of models,
        /// whether their addresses leave room for a fingerprint, and (once
        /// known) its table's position.
        #[derive(Clone, Copy)]
        struct PerType {
            models: usize,
            fits: bool,
            table: usize,
        }
        const UNSEEN: PerType = PerType {
            models: 0,
            fits: true,
            table: usize::MAX,
        };
        // Two passes over the slots, whatever the number of types: one counts
        // each type's models, one puts each model in its type's table. (A tree
        // has few types: no allocation but the tables for up to 16.)
        let types = scratch.types.len();
        let (mut small, mut large);
        let per: &mut [PerType] = if types <= 16 {
            small = [UNSEEN; 16];
            &mut small[..types]
        } else {
            large = vec![UNSEEN; types];
            &mut large
        };
        for s in scratch.slots.iter().filter(|s| s.addr != 0) {
            let p = &mut per[s.ty as usize];
            p.models += 1;
            p.fits &= s.addr & !ADDR_MASK == 0;
        }
        let mut tables = Vec::with_capacity(per.iter().filter(|p| p.models > 0).count());
        for (entry, p) in scratch.types.iter().zip(per.iter_mut()) {
            let n = p.models;
            if n == 0 {
                continue;
            }
            p.table = tables.len();
            let len = if n <= SMALL { n } else { n + n / 3 + 1 };
            tables.push(TypeIndex {
                ty: entry.id,
                key_of: entry.key_of.expect("a registered type has its key reader"),
                slots: vec![0usize; len].into_boxed_slice(),
                tagged: n > SMALL && p.fits,
            });
        }
        for s in scratch.slots.iter().filter(|s| s.addr != 0) {
            let p = &mut per[s.ty as usize];
            let t = &mut tables[p.table];
            // A hashed table has more than `SMALL` buckets.
            if t.slots.len() <= SMALL {
                // A small table is filled from its end (the order of a
                // scanned list does not matter): the count counts down.
                p.models -= 1;
                t.slots[p.models] = s.addr;
                continue;
            }
            // The slot's hash covers its type too.
            let hash = s.hash ^ s.ty as u64;
            let fp = if t.tagged { fingerprint(hash) } else { 0 };
            let len = t.slots.len();
            let mut i = bucket(hash, len);
            while t.slots[i] != 0 {
                i = if i + 1 == len { 0 } else { i + 1 };
            }
            t.slots[i] = s.addr | fp;
        }
        Index {
            hasher: scratch.hasher,
            tables: tables.into_boxed_slice(),
        }
    }

    /// The position of type `ty`'s table, if the index has models of it.
    #[inline]
    pub(crate) fn table_of(&self, ty: TypeId) -> Option<usize> {
        self.tables.iter().position(|t| t.ty == ty)
    }

    /// The address of the model of type `ty` identified by `key`.
    pub(crate) fn get(&self, ty: TypeId, key: &str) -> Option<usize> {
        self.get_in(self.table_of(ty)?, key)
    }

    /// The address of the model identified by `key` in table `table`.
    #[inline]
    pub(crate) fn get_in(&self, table: usize, key: &str) -> Option<usize> {
        let t = &self.tables[table];
        let mut buf = KeyBuf::new();
        // SAFETY (every `key_of` call below): the addresses are live models
        // of type `t.ty` (see `new`), and the index is borrowed from their
        // tree.
        if t.slots.len() <= SMALL {
            return t
                .slots
                .iter()
                .copied()
                .find(|&a| unsafe { (t.key_of)(a, &mut buf) } == key);
        }
        let len = t.slots.len();
        let hash = hash_key(&self.hasher, key);
        let fp = if t.tagged { fingerprint(hash) } else { 0 };
        let mut i = bucket(hash, len);
        loop {
            let (s, addr) = untag(t.slots[i], t.tagged);
            if s == 0 {
                return None;
            }
            if (!t.tagged || s & !ADDR_MASK == fp) && unsafe { (t.key_of)(addr, &mut buf) } == key {
                return Some(addr);
            }
            i = if i + 1 == len { 0 } else { i + 1 };
        }
    }

    /// Models indexed, and bytes the index holds on the heap.
    pub(crate) fn footprint(&self) -> (usize, usize) {
        let models = self
            .tables
            .iter()
            .map(|t| t.slots.iter().filter(|&&a| a != 0).count())
            .sum();
        let bytes = self.tables.len() * std::mem::size_of::<TypeIndex>()
            + self
                .tables
                .iter()
                .map(|t| t.slots.len() * std::mem::size_of::<usize>())
                .sum::<usize>();
        (models, bytes)
    }
}

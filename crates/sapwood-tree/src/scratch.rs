//! The scratch state of one build, reused by the next build on the same
//! thread: the references read so far (each with its target's type and
//! identifier), and the records of the linking walk.
//!
//! References may point forward (most of LargeRoot's do), so nothing is
//! resolved while the snapshot is read: a reference only notes which
//! identifier of which type it names (copied into `keys`, since the parser's
//! text is gone by the time the tree is complete). Once the tree is in
//! place, linking walks it, indexes the identified models and resolves the
//! references through the index (`link.rs`).

use std::any::TypeId;
use std::cell::Cell;

use crate::index::KeyOf;
use crate::reference::Link;

/// A model type seen by a build.
pub(crate) struct TypeEntry {
    pub(crate) id: TypeId,
    pub(crate) name: &'static str,
    /// Reads the identifier of a model of this type (set once the walk meets one).
    pub(crate) key_of: Option<KeyOf>,
    /// Its table in the index being linked, if it has models.
    pub(crate) table: Option<usize>,
}

/// A reference read from the snapshot: its target's type and identifier.
pub(crate) struct PendingRef {
    pub(crate) ty: u16,
    start: u32,
    len: u32,
}

pub(crate) struct Scratch {
    /// Model types seen, by index.
    pub(crate) types: Vec<TypeEntry>,
    last_type: Option<(TypeId, u16)>,
    /// The identifiers references name, one after the other.
    keys: String,
    /// Every reference built, in order (a `Link` holds its position here).
    pub(crate) refs: Vec<PendingRef>,
    /// Linking: the identified models found, (type index, address).
    pub(crate) found: Vec<(u16, usize)>,
    /// Linking: the references found, (link, safe).
    pub(crate) links: Vec<(*const Link, bool)>,
}

thread_local! {
    /// The scratch of the last build on this thread, emptied, kept for the next.
    static SPARE: Cell<Option<Box<Scratch>>> = const { Cell::new(None) };
}

/// A spare scratch holding more references than this is freed, not kept.
const KEEP_REFS: usize = 8192;

impl Scratch {
    fn new() -> Self {
        Scratch {
            types: Vec::new(),
            last_type: None,
            keys: String::new(),
            refs: Vec::new(),
            found: Vec::new(),
            links: Vec::new(),
        }
    }

    /// An empty scratch: this thread's spare one, or a new one.
    pub(crate) fn take() -> Box<Scratch> {
        SPARE
            .try_with(|s| s.take())
            .ok()
            .flatten()
            .unwrap_or_else(|| Box::new(Scratch::new()))
    }

    /// Empties `scratch` and keeps it for the next build (unless it grew large).
    pub(crate) fn give_back(mut scratch: Box<Scratch>) {
        if scratch.refs.capacity() > KEEP_REFS || scratch.found.capacity() > KEEP_REFS {
            return;
        }
        scratch.types.clear();
        scratch.last_type = None;
        scratch.keys.clear();
        scratch.refs.clear();
        scratch.found.clear();
        scratch.links.clear();
        let _ = SPARE.try_with(|s| s.set(Some(scratch)));
    }

    /// The index of model type `id` (registered on first sight).
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
                    table: None,
                });
                (self.types.len() - 1) as u16
            }
        };
        self.last_type = Some((id, i));
        i
    }

    /// Notes a reference to the model of type `ty` identified by `key`;
    /// returns its number.
    #[inline]
    pub(crate) fn refer(&mut self, ty: u16, key: &str) -> u32 {
        let start = self.keys.len() as u32;
        self.keys.push_str(key);
        self.refs.push(PendingRef {
            ty,
            start,
            len: key.len() as u32,
        });
        (self.refs.len() - 1) as u32
    }

    /// The identifier a reference names.
    #[inline]
    pub(crate) fn key(&self, r: &PendingRef) -> &str {
        &self.keys[r.start as usize..(r.start + r.len) as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_keep_their_type_and_identifier() {
        let mut s = Scratch::new();
        let a = s.type_index(TypeId::of::<u8>(), "A");
        let b = s.type_index(TypeId::of::<u16>(), "B");
        assert_eq!(s.type_index(TypeId::of::<u8>(), "A"), a);
        let r0 = s.refer(a, "x");
        let r1 = s.refer(b, "later");
        assert_eq!((r0, r1), (0, 1));
        assert_eq!(s.key(&s.refs[1]), "later");
        assert_eq!(s.refs[1].ty, b);
        assert_eq!(s.types[a as usize].name, "A");
    }
}

//! Linking a tree once it is built and in place: one walk over the parts that
//! may hold identified models or references records where each identified
//! model is and collects the references; the identified models are indexed
//! by identifier (a duplicate of the same type is refused there), and every
//! reference is pointed at its target through the index. A tree without
//! identifiers or references is never linked.
//!
//! Errors cost a second walk, to find the path of what was wrong.

use std::any::TypeId;

use crate::error::{pointer, ErrorKind, OwnedSegment};
use crate::index::{self, Index};
use crate::reference::Link;
use crate::scratch::Scratch;
use crate::value::{Identified, IdentifierValue, KeyBuf, Model, Segment, Walk};

/// What linking found wrong: the error and its path.
pub(crate) struct LinkError {
    pub(crate) path: String,
    pub(crate) kind: ErrorKind,
}

/// Records identified models' addresses and collects references.
struct Linker<'a> {
    scratch: &'a mut Scratch,
}

impl<'t> Walk<'t> for Linker<'_> {
    const LINKS_ONLY: bool = true;

    fn identified<M: Identified>(&mut self, node: &'t M) {
        let ty = self.scratch.type_index(TypeId::of::<M>(), M::NAME);
        self.scratch.types[ty as usize].key_of = Some(index::key_of::<M>);
        self.scratch.found.push((ty, node as *const M as usize));
    }

    fn reference(&mut self, link: &'t Link, safe: bool) {
        self.scratch.links.push((link, safe));
    }
}

/// Links the tree at `root` (which must not move or change afterwards) and
/// returns its identifier index, or reports the first duplicate identifier
/// or dangling required reference.
pub(crate) fn link<T: Model>(root: &T, scratch: &mut Scratch) -> Result<Index, LinkError> {
    root.walk(&mut Linker {
        scratch: &mut *scratch,
    });
    // SAFETY: the addresses were just taken from the models of the tree at
    // `root`, which does not move or change while the index lives (the
    // caller's contract), each under its own type, whose key reader the walk
    // set.
    let index = match unsafe { Index::new(&scratch.types, &mut scratch.found) } {
        Ok(index) => index,
        Err((ty, addr)) => return Err(duplicate_error(root, scratch, ty, addr)),
    };
    for t in scratch.types.iter_mut() {
        t.table = index.table_of(t.id);
    }
    let mut dangling: Option<*const Link> = None;
    for &(link, safe) in &scratch.links {
        // SAFETY: collected just now from the tree at `root`, borrowed here.
        let link = unsafe { &*link };
        // A `SafeRef` read from `null` was linked (to nothing) when built.
        let Some(slot) = link.slot() else { continue };
        let r = &scratch.refs[slot as usize];
        let target = scratch.types[r.ty as usize]
            .table
            .and_then(|t| index.get_in(t, scratch.key(r)));
        match target {
            Some(addr) => link.set(addr),
            None if safe => link.set(0),
            None => {
                dangling.get_or_insert(link);
            }
        }
    }
    match dangling {
        None => Ok(index),
        Some(link) => Err(dangling_error(root, scratch, link)),
    }
}

/// The error for a required reference that names no model, with its path.
#[cold]
fn dangling_error<T: Model>(root: &T, scratch: &Scratch, link: *const Link) -> LinkError {
    let mut finder = PathFinder {
        target: Target::Link(link),
        path: Vec::new(),
        found: None,
        seen: false,
    };
    root.walk(&mut finder);
    // SAFETY: `link` is in the tree at `root`, borrowed here.
    let slot = unsafe { &*link }.slot().expect("not linked") as usize;
    let r = &scratch.refs[slot];
    LinkError {
        path: finder.found.unwrap_or_default(),
        kind: ErrorKind::DanglingReference {
            model: scratch.types[r.ty as usize].name,
            id: crate::error::truncate(scratch.key(r)),
        },
    }
}

/// The error for two models of one type with one identifier, with the path
/// of the second in walk order.
#[cold]
fn duplicate_error<T: Model>(root: &T, scratch: &Scratch, ty: u16, addr: usize) -> LinkError {
    let entry = &scratch.types[ty as usize];
    let key_of = entry.key_of.expect("a linked type has its key reader");
    let mut buf = KeyBuf::new();
    // SAFETY: `addr` is a model of this type in the tree at `root`.
    let id = unsafe { key_of(addr, &mut buf) }.to_string();
    let mut finder = PathFinder {
        target: Target::Identifier(entry.id, &id),
        path: Vec::new(),
        found: None,
        seen: false,
    };
    root.walk(&mut finder);
    LinkError {
        path: finder.found.unwrap_or_default(),
        kind: ErrorKind::DuplicateIdentifier {
            model: entry.name,
            id: crate::error::truncate(&id),
        },
    }
}

/// What a [`PathFinder`] looks for.
enum Target<'k> {
    /// A reference, by address.
    Link(*const Link),
    /// The second model of a type with an identifier.
    Identifier(TypeId, &'k str),
}

/// Finds the path of a reference, or of the second model with an identifier.
struct PathFinder<'t, 'k> {
    target: Target<'k>,
    path: Vec<Segment<'t>>,
    found: Option<String>,
    /// A first model with the identifier was seen.
    seen: bool,
}

impl PathFinder<'_, '_> {
    fn record(&mut self) {
        let owned: Vec<OwnedSegment> = self.path.iter().map(|&s| s.into()).collect();
        self.found = Some(pointer(owned.iter()));
    }
}

impl<'t> Walk<'t> for PathFinder<'t, '_> {
    const LINKS_ONLY: bool = true;
    fn enter(&mut self, segment: Segment<'t>) {
        self.path.push(segment);
    }
    fn leave(&mut self) {
        self.path.pop();
    }
    fn identified<M: Identified>(&mut self, node: &'t M) {
        if let Target::Identifier(ty, id) = self.target {
            let mut buf = KeyBuf::new();
            if self.found.is_none()
                && ty == TypeId::of::<M>()
                && node.identifier().key(&mut buf) == id
            {
                if self.seen {
                    self.record();
                }
                self.seen = true;
            }
        }
    }
    fn reference(&mut self, link: &'t Link, _: bool) {
        if let Target::Link(target) = self.target {
            if self.found.is_none() && std::ptr::eq(link, target) {
                self.record();
            }
        }
    }
}

//! Linking a tree while it is built: registering the identified models and
//! references of each value that reached its final address (see
//! `scratch.rs`), resolving each reference as soon as its target is
//! registered, and at the end the forward references and the identifier
//! index. A duplicate identifier of one type is refused when the second
//! model registers; a required reference whose target never came, at the end.

use std::any::TypeId;

use serde::de;

use crate::build::Build;
use crate::error::{pointer, ErrorKind, OwnedSegment};
use crate::index::{self, Index};
use crate::reference::Link;
use crate::scratch::Scratch;
use crate::value::{Identified, IdentifierValue, KeyBuf, Model, Segment, TreeValue, Walk};
use crate::Flag;

/// Registers what a value holds outside its containers (which registered
/// their own contents when they completed).
struct Registrar<'s> {
    scratch: &'s mut Scratch,
    /// A model whose identifier another of its type had: its type, its
    /// identifier and its address (its path is found afterwards, by
    /// [`DuplicateFinder`]: the walk keeps no path).
    duplicate: Option<(u16, String, (TypeId, usize))>,
}

impl<'t> Walk<'t> for Registrar<'_> {
    const LINKS_ONLY: bool = true;
    const CONTAINERS: bool = false;

    fn enter(&mut self, _: Segment<'t>) {}

    fn leave(&mut self) {}

    fn identified<M: Identified>(&mut self, node: &'t M) {
        let s = &mut *self.scratch;
        let ty = s.type_index(TypeId::of::<M>(), M::NAME);
        s.types[ty as usize].key_of = Some(index::key_of::<M>);
        let mut buf = KeyBuf::new();
        let key = node.identifier().key(&mut buf);
        let slot = s.slot(ty, key) as usize;
        if s.slots[slot].addr == 0 {
            s.slots[slot].addr = node as *const M as usize;
        } else if self.duplicate.is_none() {
            self.duplicate = Some((
                ty,
                key.to_string(),
                (TypeId::of::<M>(), node as *const M as usize),
            ));
        }
    }

    fn reference(&mut self, link: &'t Link, safe: bool) {
        // A `SafeRef` read from `null` was linked (to nothing) when built.
        let Some(slot) = link.slot() else { return };
        match self.scratch.slots[slot as usize].addr {
            0 => self.scratch.pending.push((link, safe)),
            addr => link.set(addr),
        }
    }
}

/// Registers `value`, which is at its final address, if the tree keeps links
/// and `value` may hold some; `segment` is where it is in its container. A
/// duplicate identifier fails the build here.
#[inline]
pub(crate) fn register<T: TreeValue, E: de::Error>(
    cx: &mut Build,
    value: &T,
    segment: Option<Segment<'_>>,
) -> Result<(), E> {
    if !<T::Links as Flag>::VALUE || !cx.links() {
        return Ok(());
    }
    let mut r = Registrar {
        scratch: cx.scratch(),
        duplicate: None,
    };
    value.walk(&mut r);
    match r.duplicate {
        None => Ok(()),
        Some(d) => Err(duplicate(cx, value, d, segment)),
    }
}

#[cold]
fn duplicate<T: TreeValue, E: de::Error>(
    cx: &mut Build,
    value: &T,
    (ty, id, target): (u16, String, (TypeId, usize)),
    segment: Option<Segment<'_>>,
) -> E {
    let mut finder = DuplicateFinder {
        target,
        fields: Vec::new(),
        found: None,
    };
    value.walk(&mut finder);
    let path: Vec<OwnedSegment> = finder.found.unwrap_or_default();
    let model = cx.scratch.as_ref().expect("registering").types[ty as usize].name;
    cx.path.extend(path);
    if let Some(s) = segment {
        cx.path.push(s.into());
    }
    cx.fail(ErrorKind::DuplicateIdentifier {
        model,
        id: crate::error::truncate(&id),
    })
}

/// What the end of linking found wrong: the error and its path.
pub(crate) struct LinkError {
    pub(crate) path: String,
    pub(crate) kind: ErrorKind,
}

/// Ends linking once the root is in place (and will not move or change):
/// registers the root's own fields, resolves the forward references, and
/// makes the identifier index (`None` if the tree has no identified model).
pub(crate) fn finish<T: Model>(root: &T, cx: &mut Build) -> Result<Option<Index>, LinkError> {
    if let Err(e) = register::<T, serde_json::Error>(cx, root, None) {
        drop(e);
        let path = pointer(cx.path.iter().rev());
        let kind = cx.error.take().expect("a registration error is recorded");
        return Err(LinkError { path, kind });
    }
    let Some(scratch) = cx.scratch.as_deref_mut() else {
        return Ok(None);
    };
    for &(link, safe) in &scratch.pending {
        // SAFETY: registered from the tree at `root`, borrowed here.
        let link = unsafe { &*link };
        let slot = link.slot().expect("pending references are not linked");
        match scratch.slots[slot as usize].addr {
            0 if safe => link.set(0),
            0 => return Err(dangling_error(root, scratch, link)),
            addr => link.set(addr),
        }
    }
    if scratch.slots.iter().all(|s| s.addr == 0) {
        return Ok(None);
    }
    // SAFETY: the registered addresses are the models of the tree at `root`,
    // each under its own type (whose key reader registration set), with the
    // identifier whose hash its slot holds; the tree does not move or change
    // while the index lives (the caller's contract).
    Ok(Some(unsafe { Index::new(scratch) }))
}

/// The error for a required reference that names no model, with its path
/// (found by a walk: errors may cost time).
#[cold]
fn dangling_error<T: Model>(root: &T, scratch: &Scratch, link: &Link) -> LinkError {
    let mut finder = PathFinder {
        target: link,
        path: Vec::new(),
        found: None,
    };
    root.walk(&mut finder);
    let slot = link.slot().expect("not linked");
    let s = &scratch.slots[slot as usize];
    LinkError {
        path: finder.found.unwrap_or_default(),
        kind: ErrorKind::DanglingReference {
            model: scratch.types[s.ty as usize].name,
            id: crate::error::truncate(scratch.key(slot)),
        },
    }
}

/// Finds the path, innermost field first, of the identified model at
/// `target` (its type and address) inside a value, walking as [`Registrar`] does (model fields, not
/// containers).
struct DuplicateFinder {
    /// The model's type (a model and its first field may share an address)
    /// and address.
    target: (TypeId, usize),
    fields: Vec<&'static str>,
    found: Option<Vec<OwnedSegment>>,
}

impl<'t> Walk<'t> for DuplicateFinder {
    const LINKS_ONLY: bool = true;
    const CONTAINERS: bool = false;

    fn enter(&mut self, segment: Segment<'t>) {
        if let Segment::Field(f) = segment {
            self.fields.push(f);
        }
    }

    fn leave(&mut self) {
        self.fields.pop();
    }

    fn identified<M: Identified>(&mut self, node: &'t M) {
        if self.found.is_none() && (TypeId::of::<M>(), node as *const M as usize) == self.target {
            let path = self.fields.iter().rev().map(|&f| OwnedSegment::Field(f));
            self.found = Some(path.collect());
        }
    }
}

/// Finds the path of a reference.
struct PathFinder<'t, 'l> {
    target: &'l Link,
    path: Vec<Segment<'t>>,
    found: Option<String>,
}

impl<'t> Walk<'t> for PathFinder<'t, '_> {
    const LINKS_ONLY: bool = true;
    fn enter(&mut self, segment: Segment<'t>) {
        self.path.push(segment);
    }
    fn leave(&mut self) {
        self.path.pop();
    }
    fn reference(&mut self, link: &'t Link, _: bool) {
        if self.found.is_none() && std::ptr::eq(link, self.target) {
            let owned: Vec<OwnedSegment> = self.path.iter().map(|&s| s.into()).collect();
            self.found = Some(pointer(owned.iter()));
        }
    }
}

//! [`Tree<T>`]: a read-only instance, built from a snapshot.
//!
//! How a tree stores itself depends on its root type, at compile time:
//!
//! - A root whose fields can hold no identified model and no reference
//!   (`T::RootLinks = False`) is stored as the bare struct, [`Plain<T>`]: a
//!   `Tree<T>` is exactly as big as `T`, with no context at all. Its only
//!   possible identifier is the root's own, which resolving checks directly.
//! - Any other root is stored in one heap block with the tree's identifier
//!   index, [`Linked<T>`], so that its address never changes: references are
//!   pointers into the tree, and the index holds model addresses. Both are
//!   made while the tree is read (`link.rs`).

use std::any::TypeId;
use std::fmt;
use std::marker::PhantomData;
use std::ptr::NonNull;

use crate::build::Build;
use crate::error::{pointer, Error, ErrorKind};
use crate::index::Index;
use crate::link;
use crate::navigate::Navigator;
use crate::snapshot::Snapshot;
use crate::value::{Flag, Identified, IdentifierValue, KeyBuf, Model};

/// A read-only instance of model `T`: plain immutable data, built from a JSON
/// snapshot with validation, identifiers and references resolved.
///
/// A tree dereferences to its root; nothing in it can change (getter views
/// are computed once, into their [`Memo`](crate::Memo) slots).
///
/// ```
/// use sapwood::tree::{Model, Tree};
///
/// #[derive(Model)]
/// struct Todo { title: String, done: bool }
///
/// let todo: Tree<Todo> = Todo::from_json_str(r#"{"title": "write", "done": false}"#).unwrap();
/// assert_eq!(todo.title, "write");
/// assert_eq!(todo.to_json(), r#"{"title":"write","done":false}"#);
/// ```
///
/// There is no way to change it: a tree hands out shared references only.
///
/// ```compile_fail
/// use sapwood::tree::Model;
///
/// #[derive(Model)]
/// struct Todo { title: String, done: bool }
///
/// let mut todo = Todo::from_json_str(r#"{"title": "write", "done": false}"#).unwrap();
/// todo.done = true; // error: cannot assign through a `Tree`
/// ```
pub struct Tree<T: Model> {
    repr: <T::RootLinks as Flag>::Repr<T>,
}

/// How a tree stores its root (see the module docs).
#[doc(hidden)]
pub trait Repr<T: Model>: Sized {
    /// Takes the built root; links its references.
    fn finish(root: T, cx: &mut Build) -> Result<Self, Error>;
    /// The root.
    fn root(&self) -> &T;
    /// The model of type `U` identified by `key`.
    fn resolve<U: Identified>(&self, key: &str) -> Option<&U>;
    /// Models in the identifier index and its heap bytes, if it exists.
    fn index_footprint(&self) -> Option<(usize, usize)>;
}

/// A tree that is its bare root.
#[doc(hidden)]
#[repr(transparent)]
pub struct Plain<T>(T);

impl<T: Model> Repr<T> for Plain<T> {
    fn finish(root: T, cx: &mut Build) -> Result<Self, Error> {
        debug_assert!(cx.scratch.is_none(), "no references without links");
        Ok(Plain(root))
    }

    #[inline]
    fn root(&self) -> &T {
        &self.0
    }

    fn resolve<U: Identified>(&self, key: &str) -> Option<&U> {
        let root = self.0.as_type(TypeId::of::<U>())?.downcast_ref::<U>()?;
        let mut buf = KeyBuf::new();
        (root.identifier().key(&mut buf) == key).then_some(root)
    }

    fn index_footprint(&self) -> Option<(usize, usize)> {
        None
    }
}

/// A tree whose root stays at one address, with its identifier index.
#[doc(hidden)]
pub struct Linked<T> {
    /// From `Box::into_raw`, freed in `drop`. A raw pointer, not a `Box`, so
    /// that moving the tree asserts nothing about the block that pointers
    /// into it (references, the index) may rely on.
    block: NonNull<Block<T>>,
    _owns: PhantomData<Block<T>>,
}

struct Block<T> {
    /// The identifier index, made when the tree is linked (`None` for a tree
    /// without identified models below its root).
    index: Option<Box<Index>>,
    root: T,
}

// SAFETY: a `Linked<T>` owns its block like a `Box` would; the raw pointers
// inside (references, the index) point into that same block, so sending or
// sharing the tree sends or shares nothing else.
unsafe impl<T: Send> Send for Linked<T> {}
// SAFETY: as above; shared access only ever reads.
unsafe impl<T: Sync> Sync for Linked<T> {}

impl<T> Linked<T> {
    #[inline]
    fn block(&self) -> &Block<T> {
        // SAFETY: `block` is the live allocation this value owns.
        unsafe { self.block.as_ref() }
    }
}

impl<T: Model> Repr<T> for Linked<T> {
    fn finish(root: T, cx: &mut Build) -> Result<Self, Error> {
        let block = Box::new(Block { index: None, root });
        let this = Linked {
            block: NonNull::from(Box::leak(block)),
            _owns: PhantomData,
        };
        match link::finish(&this.block().root, cx) {
            Ok(Some(index)) => {
                // SAFETY: the block is live and this tree has not been handed
                // out: no reference to its `index` field exists. The write
                // goes through the raw pointer to that field alone, so it
                // claims nothing about `root`, into which the index and the
                // references point.
                unsafe { (*this.block.as_ptr()).index = Some(Box::new(index)) };
            }
            Ok(None) => {}
            Err(e) => return Err(Error::new(e.path, e.kind, None)),
        }
        Ok(this)
    }

    #[inline]
    fn root(&self) -> &T {
        &self.block().root
    }

    fn resolve<U: Identified>(&self, key: &str) -> Option<&U> {
        let addr = self.block().index.as_deref()?.get(TypeId::of::<U>(), key)?;
        // SAFETY: the index holds addresses of live models of this tree,
        // under their own type (`U` here), and the tree is borrowed.
        Some(unsafe { &*(addr as *const U) })
    }

    fn index_footprint(&self) -> Option<(usize, usize)> {
        self.block().index.as_deref().map(Index::footprint)
    }
}

impl<T> Drop for Linked<T> {
    fn drop(&mut self) {
        // SAFETY: from `Box::leak` in `finish`, freed once, here.
        drop(unsafe { Box::from_raw(self.block.as_ptr()) });
    }
}

impl<T: Model> Tree<T> {
    fn build(
        links: bool,
        text: Option<usize>,
        run: impl FnOnce(&mut Build) -> Result<T, serde_json::Error>,
    ) -> Result<Self, Error> {
        let mut cx = Build::new(links);
        cx.input_len = text.unwrap_or(0);
        match run(&mut cx) {
            Ok(root) => {
                <T::RootLinks as Flag>::Repr::<T>::finish(root, &mut cx).map(|repr| Tree { repr })
            }
            Err(e) => Err(convert(e, &mut cx, text.is_some())),
        }
    }

    /// Builds a tree from JSON text: parsing, validation and reference
    /// resolution in one pass over the text, then one over the references.
    pub fn from_json_str(text: &str) -> Result<Self, Error> {
        Self::build(<T::RootLinks as Flag>::VALUE, Some(text.len()), |cx| {
            let mut de = serde_json::Deserializer::from_str(text);
            let root = T::build(&mut de, cx)?;
            de.end()?;
            Ok(root)
        })
    }

    /// Builds a tree from JSON bytes (UTF-8).
    pub fn from_json_slice(bytes: &[u8]) -> Result<Self, Error> {
        Self::build(<T::RootLinks as Flag>::VALUE, Some(bytes.len()), |cx| {
            let mut de = serde_json::Deserializer::from_slice(bytes);
            let root = T::build(&mut de, cx)?;
            de.end()?;
            Ok(root)
        })
    }

    /// Builds a tree from a parsed JSON value.
    pub fn from_json_value(value: &serde_json::Value) -> Result<Self, Error> {
        Self::build(<T::RootLinks as Flag>::VALUE, None, |cx| {
            T::build(value, cx)
        })
    }

    /// The root.
    #[inline]
    pub fn root(&self) -> &T {
        self.repr.root()
    }

    /// The model of type `U` whose identifier is `id`, in O(1). Identifiers
    /// are scoped by type: two types may share one.
    ///
    /// The index is made when the tree is built, as the references are
    /// resolved through it.
    pub fn resolve_identifier<U: Identified>(&self, id: &str) -> Option<&U> {
        self.repr.resolve(id)
    }

    /// The identifier index, if the tree has one (it has identified models
    /// below its root): models indexed and heap bytes held.
    pub fn identifier_index_footprint(&self) -> Option<(usize, usize)> {
        self.repr.index_footprint()
    }

    /// A navigator over the tree's models: parent, root and JSON path of each
    /// (made by one walk; keep it while you navigate).
    pub fn navigator(&self) -> Navigator<'_> {
        Navigator::new(self.root())
    }

    /// The snapshot, as a JSON value: defaults filled in, references written
    /// as their targets' identifiers.
    pub fn to_snapshot(&self) -> serde_json::Value {
        serde_json::to_value(Snapshot(self.root())).expect("a snapshot always serializes")
    }

    /// The snapshot as compact JSON text.
    pub fn to_json(&self) -> String {
        serde_json::to_string(&Snapshot(self.root())).expect("a snapshot always serializes")
    }

    /// The snapshot as indented JSON text.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(&Snapshot(self.root())).expect("a snapshot always serializes")
    }

    /// Writes the snapshot as compact JSON text to `w`.
    pub fn write_json<W: std::io::Write>(&self, w: W) -> std::io::Result<()> {
        serde_json::to_writer(w, &Snapshot(self.root())).map_err(std::io::Error::from)
    }
}

impl<T: Model> std::ops::Deref for Tree<T> {
    type Target = T;
    #[inline]
    fn deref(&self) -> &T {
        self.root()
    }
}

impl<T: Model + fmt::Debug> fmt::Debug for Tree<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Tree").field(self.root()).finish()
    }
}

impl<T: Model + PartialEq> PartialEq for Tree<T> {
    fn eq(&self, other: &Self) -> bool {
        self.root() == other.root()
    }
}

/// The typed error of a failed build.
#[cold]
fn convert(e: serde_json::Error, cx: &mut Build, text: bool) -> Error {
    let path = pointer(cx.path.iter().rev());
    let position = (text && e.line() > 0).then(|| (e.line(), e.column()));
    let kind = match cx.error.take() {
        Some(kind) => kind,
        None => {
            let message = e.to_string();
            let message = match message.rfind(" at line ") {
                Some(i) => message[..i].to_string(),
                None => message,
            };
            if message.contains("recursion limit exceeded") {
                ErrorKind::TooDeep {
                    limit: crate::build::DEPTH_LIMIT as usize,
                }
            } else {
                ErrorKind::Syntax { message }
            }
        }
    };
    Error::new(path, kind, position)
}

//! References: [`Ref<T>`] (required) and [`SafeRef<T>`] (absent when its
//! target is missing), each one pointer wide.
//!
//! While a tree is being built, its models move (into vectors that grow, up
//! the stack of the parser), so a reference first holds the number of the
//! build's slot for the type and identifier it names (`slot << 1 | 1`, see
//! `scratch.rs`). When the container holding it completes, and so no longer
//! moves, it becomes the address of its target if that is registered by then;
//! the others are resolved once the root is in place (`link.rs`). From then
//! on a reference is a plain pointer into the same tree, which nothing can
//! change: reading it costs one load.
//!
//! Every `unsafe` block below relies on this invariant:
//!
//! > A `Link` is only ever created by `TreeValue::build` inside a tree's build,
//! > lives inside that tree, and after the build holds the address of a live
//! > model of the reference's target type in the same tree (or 0 for a
//! > `SafeRef` whose target is missing).
//!
//! It holds because a `Link` has no public constructor and is neither `Clone`
//! nor `Default`, a [`Tree`](crate::Tree) hands out shared references only,
//! and a tree with references keeps its root in a heap block that does not move.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use serde::de::Deserializer;
use serde::ser::Serializer;

use crate::build::{scalar, Build, Scalar};
use crate::value::{Identified, IdentifierValue, KeyBuf, TreeValue, Walk};

/// The cell a reference keeps its target in. An atomic only so that it can be
/// rewritten through a shared borrow while the tree is being linked; after
/// that it is only read (a relaxed load is a plain load).
#[doc(hidden)]
pub struct Link(AtomicUsize);

impl Link {
    fn pending(slot: u32) -> Self {
        Link(AtomicUsize::new(((slot as usize) << 1) | 1))
    }

    /// A reference to nothing (a `SafeRef` whose snapshot is `null`): linked
    /// from the start.
    fn none() -> Self {
        Link(AtomicUsize::new(0))
    }

    /// The build's slot for the identifier it names, while it is not yet
    /// linked.
    pub(crate) fn slot(&self) -> Option<u32> {
        let bits = self.0.load(Relaxed);
        (bits & 1 == 1).then_some((bits >> 1) as u32)
    }

    /// Links the reference to the model at `addr` (0: none).
    pub(crate) fn set(&self, addr: usize) {
        debug_assert!(addr & 1 == 0, "models are at least 2-aligned");
        self.0.store(addr, Relaxed);
    }

    #[inline]
    fn addr(&self) -> usize {
        let a = self.0.load(Relaxed);
        debug_assert!(a & 1 == 0, "reference read before its tree was linked");
        a
    }
}

/// Reads the identifier of a reference (a string, or an integer for models
/// with integer identifiers) and takes its slot in the build's table; `null`
/// when `nullable` (a `SafeRef`, whose snapshot is `null` when its target is
/// missing) is a reference to nothing.
fn build_link<'de, T: Identified, D: Deserializer<'de>>(
    d: D,
    cx: &mut Build,
    nullable: bool,
) -> Result<Link, D::Error> {
    const {
        assert!(
            std::mem::align_of::<T>() >= 2,
            "a referenced model is at least 2-aligned"
        )
    };
    let mut buf = itoa::Buffer::new();
    let key: &str = match &scalar(d)? {
        Scalar::Str(s) => return Ok(Link::pending(cx.refer::<T>(s))),
        Scalar::U64(n) => buf.format(*n),
        Scalar::I64(n) => buf.format(*n),
        Scalar::Null if nullable => return Ok(Link::none()),
        other => {
            let found = other.found();
            return Err(cx.wrong_type(describe_ref::<T>(), found));
        }
    };
    Ok(Link::pending(cx.refer::<T>(key)))
}

fn describe_ref<T: Identified>() -> Cow<'static, str> {
    Cow::Owned(format!("identifier of a {}", T::NAME))
}

/// A required reference to the `T` with a given identifier in the same tree.
///
/// In a snapshot it is the target's identifier; a tree whose snapshot names an
/// identifier that no `T` has is refused with a
/// [`DanglingReference`](crate::ErrorKind::DanglingReference) error. It
/// dereferences to the target, whatever the order of the snapshot (most
/// references may point forward). One pointer wide.
///
/// ```
/// use sapwood::tree::{Map, Model, Ref};
///
/// #[derive(Model)]
/// struct Part { #[model(identifier)] key: String, cost: f64 }
///
/// #[derive(Model)]
/// struct Line { part: Ref<Part>, quantity: f64 }
///
/// #[derive(Model)]
/// struct Order { lines: Vec<Line>, parts: Map<Part> }
///
/// let order = Order::from_json_str(
///     r#"{"lines": [{"part": "p1", "quantity": 3}], "parts": {"p1": {"key": "p1", "cost": 2.5}}}"#,
/// ).unwrap();
/// let line = &order.lines[0];
/// assert_eq!(line.part.cost * line.quantity, 7.5);
/// ```
pub struct Ref<T: Identified> {
    link: Link,
    _target: PhantomData<T>,
}

impl<T: Identified> std::ops::Deref for Ref<T> {
    type Target = T;
    #[inline]
    fn deref(&self) -> &T {
        let addr = self.link.addr();
        debug_assert!(addr != 0, "a required reference is always linked");
        // SAFETY: the module's invariant: `addr` is a live `T` of the same
        // tree, which outlives the borrow of `self` (a part of it).
        unsafe { &*(addr as *const T) }
    }
}

impl<T: Identified> Ref<T> {
    /// The target.
    #[inline]
    pub fn get(&self) -> &T {
        self
    }
}

impl<T: Identified> PartialEq for Ref<T>
where
    T::Id: PartialEq,
{
    /// Two references are equal when their targets' identifiers are.
    fn eq(&self, other: &Self) -> bool {
        self.get().identifier() == other.get().identifier()
    }
}

impl<T: Identified> fmt::Debug for Ref<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut buf = KeyBuf::new();
        write!(
            f,
            "Ref<{}>({:?})",
            T::NAME,
            self.get().identifier().key(&mut buf)
        )
    }
}

// SAFETY: the module's invariant.
unsafe impl<T: Identified> TreeValue for Ref<T> {
    type Links = crate::True;
    const MODELS: bool = false;

    fn describe() -> Cow<'static, str> {
        describe_ref::<T>()
    }

    fn build<'de, D: Deserializer<'de>>(d: D, cx: &mut Build) -> Result<Self, D::Error> {
        Ok(Ref {
            link: build_link::<T, D>(d, cx, false)?,
            _target: PhantomData,
        })
    }

    fn write<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.get().identifier().write(s)
    }

    fn walk<'t, W: Walk<'t>>(&'t self, w: &mut W) {
        w.reference(&self.link, false);
    }
}

/// A reference that is absent (`None`) when no `T` in the tree has the
/// identifier its snapshot names, instead of failing the build.
///
/// Its snapshot is the identifier, or `null` when the target is missing (and
/// a snapshot may give `null`: no target).
pub struct SafeRef<T: Identified> {
    link: Link,
    _target: PhantomData<T>,
}

impl<T: Identified> SafeRef<T> {
    /// The target, if the tree has it.
    #[inline]
    pub fn get(&self) -> Option<&T> {
        let addr = self.link.addr();
        // SAFETY: the module's invariant: 0 or a live `T` of the same tree.
        (addr != 0).then(|| unsafe { &*(addr as *const T) })
    }
}

impl<T: Identified> PartialEq for SafeRef<T>
where
    T::Id: PartialEq,
{
    fn eq(&self, other: &Self) -> bool {
        self.get().map(Identified::identifier) == other.get().map(Identified::identifier)
    }
}

impl<T: Identified> fmt::Debug for SafeRef<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.get() {
            Some(t) => {
                let mut buf = KeyBuf::new();
                write!(
                    f,
                    "SafeRef<{}>({:?})",
                    T::NAME,
                    t.identifier().key(&mut buf)
                )
            }
            None => write!(f, "SafeRef<{}>(missing)", T::NAME),
        }
    }
}

// SAFETY: the module's invariant.
unsafe impl<T: Identified> TreeValue for SafeRef<T> {
    type Links = crate::True;
    const MODELS: bool = false;

    fn describe() -> Cow<'static, str> {
        describe_ref::<T>()
    }

    fn build<'de, D: Deserializer<'de>>(d: D, cx: &mut Build) -> Result<Self, D::Error> {
        Ok(SafeRef {
            link: build_link::<T, D>(d, cx, true)?,
            _target: PhantomData,
        })
    }

    fn write<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.get() {
            Some(t) => t.identifier().write(s),
            None => s.serialize_unit(),
        }
    }

    fn walk<'t, W: Walk<'t>>(&'t self, w: &mut W) {
        w.reference(&self.link, true);
    }
}

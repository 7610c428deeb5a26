//! The traits every part of a tree implements: [`TreeValue`] (anything a field
//! can hold), [`Model`] (a node: a struct or a union of structs) and
//! [`Identified`] (a model with an identifier field), plus the type-level flags
//! that let a tree without identifiers or references cost nothing extra.

use std::borrow::Cow;

use serde::de::{Deserializer, MapAccess};
use serde::ser::{SerializeMap, Serializer};

use crate::build::Build;
use crate::reference::Link;
use crate::tree::Repr;

/// A value that can be part of a tree: a field's type.
///
/// Implemented by `#[derive(Model)]` for structs and enums, and by this crate
/// for the supported field types: `String`, `bool`, the integers, `f32`/`f64`,
/// `Option<T>`, `Vec<T>`, `Box<T>`, [`Map<T>`](crate::Map),
/// [`Frozen`](crate::Frozen), [`Date`](crate::Date), [`Ref<T>`](crate::Ref),
/// [`SafeRef<T>`](crate::SafeRef) and the types made by
/// [`literal!`](crate::literal).
///
/// # Safety
///
/// The methods are the derive's and this crate's plumbing. An implementation
/// must build values only from the [`Build`] context it is given, must walk
/// every [`Ref`](crate::Ref) and identified model it holds (see [`Walk`]), and
/// must never keep a reference it built outside the value it returns: the tree
/// resolves references to pointers into itself after building. Use the derive.
pub unsafe trait TreeValue: Sized + 'static {
    /// [`True`] if a value of this type may hold identified models or
    /// references (its own, or below it).
    #[doc(hidden)]
    type Links: Flag;
    /// Whether a value of this type may hold models (for navigation).
    #[doc(hidden)]
    const MODELS: bool;

    /// How errors name this type: `string`, `integer`, `array of Part`...
    fn describe() -> Cow<'static, str>;

    /// The value of an absent field, if the type has one (`None` for
    /// `Option<T>`); `None` makes the field required.
    #[doc(hidden)]
    fn absent() -> Option<Self> {
        None
    }

    /// Builds a value from snapshot input.
    #[doc(hidden)]
    fn build<'de, D: Deserializer<'de>>(d: D, cx: &mut Build) -> Result<Self, D::Error>;

    /// Writes the value's snapshot.
    #[doc(hidden)]
    fn write<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error>;

    /// Visits the models, identified models and references this value holds.
    #[doc(hidden)]
    fn walk<'t, W: Walk<'t>>(&'t self, w: &mut W) {
        let _ = w;
    }
}

/// A node of a tree: a struct with `#[derive(Model)]`, or a union of such
/// structs told apart by a tag field.
///
/// A model can be the root of a [`Tree`](crate::Tree):
///
/// ```
/// use sapwood::tree::{Model, Tree};
///
/// #[derive(Model)]
/// struct Point {
///     x: f64,
///     y: f64,
/// }
///
/// let p: Tree<Point> = Point::from_json_str(r#"{"x": 1, "y": 2.5}"#).unwrap();
/// assert_eq!((p.x, p.y), (1.0, 2.5));
/// ```
pub trait Model: TreeValue {
    /// The model's name, as errors and navigation show it.
    const NAME: &'static str;

    /// [`True`] if a tree rooted here may hold identified models below the
    /// root, or references: such a tree keeps its root at a fixed address and
    /// has an identifier index. [`False`]: the tree is the bare struct.
    #[doc(hidden)]
    type RootLinks: Flag;

    /// Builds the model from the entries of a map (for a union: after its tag).
    #[doc(hidden)]
    fn build_fields<'de, A: MapAccess<'de>>(map: A, cx: &mut Build) -> Result<Self, A::Error>;

    /// Writes the model's entries into a map being serialized.
    #[doc(hidden)]
    fn write_fields<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error>;

    /// This model as a `&dyn Any` if it is of type `ty` (for a union: if its
    /// variant is).
    #[doc(hidden)]
    fn as_type(&self, ty: std::any::TypeId) -> Option<&dyn std::any::Any> {
        (std::any::TypeId::of::<Self>() == ty).then_some(self as &dyn std::any::Any)
    }

    /// Builds a tree from JSON text (parse, validation and reference
    /// resolution), or says what is wrong and where.
    fn from_json_str(text: &str) -> Result<crate::Tree<Self>, crate::Error> {
        crate::Tree::from_json_str(text)
    }

    /// Builds a tree from a parsed JSON value.
    fn from_json_value(value: &serde_json::Value) -> Result<crate::Tree<Self>, crate::Error> {
        crate::Tree::from_json_value(value)
    }
}

/// A model with an identifier field (`#[model(identifier)]`): it can be the
/// target of a [`Ref`](crate::Ref) and found with
/// [`Tree::resolve_identifier`](crate::Tree::resolve_identifier).
/// Identifiers are unique per model type within a tree.
pub trait Identified: Model {
    /// The identifier's type: `String` or an integer.
    type Id: IdentifierValue;
    /// The identifier.
    fn identifier(&self) -> &Self::Id;
}

/// A type an identifier can have: `String`, or an integer (written as a JSON
/// number; resolved by its decimal form, as references may name it either way).
pub trait IdentifierValue: TreeValue {
    /// The identifier as a string (integers are written into `buf`).
    fn key<'a>(&'a self, buf: &'a mut KeyBuf) -> &'a str;
}

/// Room for an integer identifier's decimal form.
#[derive(Default)]
pub struct KeyBuf(pub(crate) itoa::Buffer);

impl KeyBuf {
    /// An empty buffer.
    pub fn new() -> Self {
        KeyBuf(itoa::Buffer::new())
    }
}

/// One step of a path from the root: a field's snapshot key, a map key or an
/// array index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segment<'t> {
    /// A model's field, by its snapshot key.
    Field(&'static str),
    /// An entry of a [`Map`](crate::Map).
    Key(&'t str),
    /// An element of an array.
    Index(usize),
}

/// A visitor over what a tree holds, used to resolve references, build the
/// identifier index, navigate and report where a problem is.
#[doc(hidden)]
pub trait Walk<'t> {
    /// Only subtrees that may hold identified models or references are walked
    /// (else every subtree that may hold models).
    const LINKS_ONLY: bool;
    /// Containers (`Vec`, `Map`, `Box`) are walked into; a walk that
    /// registers a value as it reaches its final address stops at them.
    const CONTAINERS: bool = true;
    /// Descending into a field, map entry or array element.
    fn enter(&mut self, segment: Segment<'t>) {
        let _ = segment;
    }
    /// Back from the last [`Walk::enter`].
    fn leave(&mut self) {}
    /// A model node (before its fields).
    fn model<M: Model>(&mut self, node: &'t M) {
        let _ = node;
    }
    /// An identified model (after its fields).
    fn identified<M: Identified>(&mut self, node: &'t M) {
        let _ = node;
    }
    /// A reference (`safe`: a [`SafeRef`](crate::SafeRef)).
    fn reference(&mut self, link: &'t Link, safe: bool) {
        let _ = (link, safe);
    }
}

/// A type-level boolean: [`True`] or [`False`].
#[doc(hidden)]
pub trait Flag: 'static {
    /// The flag's value.
    const VALUE: bool;
    /// How a tree rooted at `T` stores itself when `T::RootLinks` is this flag.
    type Repr<T: Model>: Repr<T>;
}

/// The type-level `true`.
#[doc(hidden)]
pub enum True {}

/// The type-level `false`.
#[doc(hidden)]
pub enum False {}

/// Type-level or: `<A as Or<B>>::Out`.
#[doc(hidden)]
pub trait Or<B: Flag> {
    /// `A || B`.
    type Out: Flag;
}

impl Flag for True {
    const VALUE: bool = true;
    type Repr<T: Model> = crate::tree::Linked<T>;
}

impl Flag for False {
    const VALUE: bool = false;
    type Repr<T: Model> = crate::tree::Plain<T>;
}

impl<B: Flag> Or<B> for True {
    type Out = True;
}

impl<B: Flag> Or<B> for False {
    type Out = B;
}

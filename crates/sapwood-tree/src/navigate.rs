//! Navigation in a read-only tree: the parent, root and JSON path of a model.
//!
//! A read-only model stores no parent pointer (that would cost every node 8
//! bytes whether or not anyone navigates). A [`Navigator`] is made on demand
//! by one walk over the tree and answers in O(1) from then on.

use std::any::TypeId;
use std::collections::HashMap;
use std::fmt;

use crate::error::{pointer, OwnedSegment};
use crate::value::{Model, Segment, Walk};

struct Entry {
    addr: usize,
    ty: TypeId,
    name: &'static str,
    /// The enclosing model's entry (`u32::MAX` for the root).
    parent: u32,
    /// This model's segments after its parent's: `segments[start..start + len]`.
    start: u32,
    len: u32,
    /// It has an identifier.
    identified: bool,
}

/// The models of one tree, with their parents and paths.
///
/// Parents are models: a model held in a [`Map`](crate::Map) or an array has
/// the model holding that container as its parent, and the container's key or
/// index in its path. A union is not a model of its own: its variant is.
/// Models are found by address, so models without fields (zero-sized, all at
/// one address) cannot be told apart.
///
/// ```
/// use sapwood::tree::{Map, Model};
///
/// #[derive(Model)]
/// struct Wheel { size: u32 }
/// #[derive(Model)]
/// struct Car { wheels: Vec<Wheel> }
/// #[derive(Model)]
/// struct Garage { cars: Map<Car> }
///
/// let g = Garage::from_json_str(r#"{"cars": {"a/1": {"wheels": [{"size": 16}, {"size": 17}]}}}"#).unwrap();
/// let wheel = &g.cars["a/1"].wheels[1];
/// let nav = g.navigator();
/// assert_eq!(nav.path(wheel).as_deref(), Some("/cars/a~11/wheels/1"));
/// let car = nav.parent(wheel).unwrap();
/// assert_eq!(car.type_name(), "Car");
/// assert!(std::ptr::eq(car.downcast::<Car>().unwrap(), &g.cars["a/1"]));
/// assert_eq!(nav.root().path(), "");
/// ```
pub struct Navigator<'t> {
    entries: Vec<Entry>,
    segments: Vec<Segment<'t>>,
    by_addr: HashMap<(usize, TypeId), u32, foldhash::fast::RandomState>,
}

/// One model of a tree, as a [`Navigator`] knows it.
#[derive(Clone, Copy)]
pub struct NodeRef<'n, 't> {
    nav: &'n Navigator<'t>,
    idx: u32,
}

struct Recorder<'t> {
    nav: Navigator<'t>,
    path: Vec<Segment<'t>>,
    /// Models on the way down: (entry, path depth when entered).
    open: Vec<(u32, usize)>,
}

impl<'t> Walk<'t> for Recorder<'t> {
    const LINKS_ONLY: bool = false;
    fn enter(&mut self, segment: Segment<'t>) {
        self.path.push(segment);
    }
    fn leave(&mut self) {
        self.path.pop();
        // Models entered below this depth have ended: a later model at a
        // deeper path (`/array/0` after `/nested`) is not their child.
        let depth = self.path.len();
        while matches!(self.open.last(), Some(&(_, d)) if d > depth) {
            self.open.pop();
        }
    }
    fn model<M: Model>(&mut self, node: &'t M) {
        let depth = self.path.len();
        // A model entered at this depth or above has ended.
        while matches!(self.open.last(), Some(&(_, d)) if d >= depth) {
            self.open.pop();
        }
        let (parent, from) = match self.open.last() {
            Some(&(p, d)) => (p, d),
            None => (u32::MAX, 0),
        };
        let nav = &mut self.nav;
        let idx = nav.entries.len() as u32;
        let start = nav.segments.len() as u32;
        nav.segments.extend_from_slice(&self.path[from..]);
        let addr = node as *const M as usize;
        nav.entries.push(Entry {
            addr,
            ty: TypeId::of::<M>(),
            name: M::NAME,
            parent,
            start,
            len: (depth - from) as u32,
            identified: false,
        });
        nav.by_addr.insert((addr, TypeId::of::<M>()), idx);
        self.open.push((idx, depth));
    }
    fn identified<M: crate::value::Identified>(&mut self, node: &'t M) {
        let key = (node as *const M as usize, TypeId::of::<M>());
        if let Some(&idx) = self.nav.by_addr.get(&key) {
            self.nav.entries[idx as usize].identified = true;
        }
    }
}

impl<'t> Navigator<'t> {
    pub(crate) fn new<T: Model>(root: &'t T) -> Self {
        let mut r = Recorder {
            nav: Navigator {
                entries: Vec::new(),
                segments: Vec::new(),
                by_addr: HashMap::default(),
            },
            path: Vec::new(),
            open: Vec::new(),
        };
        root.walk(&mut r);
        r.nav
    }

    /// The root model.
    pub fn root(&self) -> NodeRef<'_, 't> {
        NodeRef { nav: self, idx: 0 }
    }

    /// `node`, if it is a model of this tree.
    pub fn node<M: Model>(&self, node: &M) -> Option<NodeRef<'_, 't>> {
        let key = (node as *const M as usize, TypeId::of::<M>());
        self.by_addr
            .get(&key)
            .map(|&idx| NodeRef { nav: self, idx })
    }

    /// The model that holds `node` (`None` for the root, or a model of
    /// another tree).
    pub fn parent<M: Model>(&self, node: &M) -> Option<NodeRef<'_, 't>> {
        self.node(node)?.parent()
    }

    /// `node`'s JSON pointer from the root (`""` for the root).
    pub fn path<M: Model>(&self, node: &M) -> Option<String> {
        self.node(node).map(|n| n.path())
    }

    /// The number of models in the tree.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the tree has no models (never: it has its root).
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Every model, in walk order (root first).
    pub fn iter(&self) -> impl Iterator<Item = NodeRef<'_, 't>> + '_ {
        (0..self.entries.len() as u32).map(move |idx| NodeRef { nav: self, idx })
    }
}

impl<'n, 't> NodeRef<'n, 't> {
    fn entry(&self) -> &'n Entry {
        &self.nav.entries[self.idx as usize]
    }

    /// The model's type name.
    pub fn type_name(&self) -> &'static str {
        self.entry().name
    }

    /// Whether the model has an identifier.
    pub fn is_identified(&self) -> bool {
        self.entry().identified
    }

    /// Whether the model is an `M`.
    pub fn is<M: Model>(&self) -> bool {
        self.entry().ty == TypeId::of::<M>()
    }

    /// The model, if it is an `M`.
    pub fn downcast<M: Model>(&self) -> Option<&'t M> {
        let e = self.entry();
        // SAFETY: the entry was recorded from a `&'t` model of the type with
        // this `TypeId`, in a tree borrowed for `'t`.
        (e.ty == TypeId::of::<M>()).then(|| unsafe { &*(e.addr as *const M) })
    }

    /// The model that holds this one.
    pub fn parent(&self) -> Option<NodeRef<'n, 't>> {
        let p = self.entry().parent;
        (p != u32::MAX).then_some(NodeRef {
            nav: self.nav,
            idx: p,
        })
    }

    /// The root model.
    pub fn root(&self) -> NodeRef<'n, 't> {
        self.nav.root()
    }

    /// The JSON pointer from the root (`""` for the root).
    pub fn path(&self) -> String {
        let mut chain = Vec::new();
        let mut idx = self.idx;
        while idx != u32::MAX {
            chain.push(idx);
            idx = self.nav.entries[idx as usize].parent;
        }
        let mut segs: Vec<OwnedSegment> = Vec::new();
        for &i in chain.iter().rev() {
            let e = &self.nav.entries[i as usize];
            let s = &self.nav.segments[e.start as usize..(e.start + e.len) as usize];
            segs.extend(s.iter().map(|&s| OwnedSegment::from(s)));
        }
        pointer(segs.iter())
    }
}

impl fmt::Debug for NodeRef<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {:?}", self.type_name(), self.path())
    }
}

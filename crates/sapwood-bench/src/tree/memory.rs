//! Memory per read-only instance: exact bytes and allocations, Sapwood beside
//! `serde_plain`.
//!
//! A figure is the heap bytes retained per instance, amortised over `n`
//! instances kept alive, **plus the instance's own size** (`size_of` of the
//! `Tree<T>` or of the plain struct): a tree's root lives in its handle or in
//! a heap block, a plain struct's in its owner, and both count. Allocations
//! are those made while building (temporaries included).

use sapwood::tree::Model;
use sapwood_fixtures::test_class_model::TestClassModel;
use sapwood_fixtures::{
    fruit_aisle, large_root, name_example, plain, state, test_class_model, FRUIT_AISLE_JSON,
    LARGE_ROOT_JSON,
};
use sapwood_meter::measure;

use crate::systems::System;

/// A tree memory row: the `object` name in the JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TreeRow {
    /// NameExample.
    NameExample,
    /// TestClassModel, small input.
    TestClassModel,
    /// TestClassModel, big input.
    TestClassModelBig,
    /// State, the hot-path input (4 nodes, 1 reference).
    State,
    /// LargeRoot (1,436 models).
    LargeRoot,
    /// FruitAisle (unions, no identifiers).
    FruitAisle,
    /// The per-tree context of a tree without identifiers.
    ContextEmpty,
    /// Allocations per repeated getter-view access.
    ViewAccess,
}

impl TreeRow {
    /// All rows, in report order.
    pub const ALL: [TreeRow; 8] = [
        TreeRow::NameExample,
        TreeRow::TestClassModel,
        TreeRow::TestClassModelBig,
        TreeRow::State,
        TreeRow::LargeRoot,
        TreeRow::FruitAisle,
        TreeRow::ContextEmpty,
        TreeRow::ViewAccess,
    ];

    /// The `object` name in the JSON.
    pub fn name(self) -> &'static str {
        match self {
            TreeRow::NameExample => "tree.name_example",
            TreeRow::TestClassModel => "tree.test_class_model",
            TreeRow::TestClassModelBig => "tree.test_class_model_big",
            TreeRow::State => "tree.state",
            TreeRow::LargeRoot => "tree.large_root",
            TreeRow::FruitAisle => "tree.fruit_aisle",
            TreeRow::ContextEmpty => "tree.context_empty",
            TreeRow::ViewAccess => "tree.view_access",
        }
    }

    /// What the row measures, for the table.
    pub fn label(self) -> &'static str {
        match self {
            TreeRow::NameExample => "NameExample",
            TreeRow::TestClassModel => "TestClassModel (small input)",
            TreeRow::TestClassModelBig => "TestClassModel (big input)",
            TreeRow::State => "State (4 nodes, 1 reference)",
            TreeRow::LargeRoot => "LargeRoot (1,436 models)",
            TreeRow::FruitAisle => "FruitAisle (unions)",
            TreeRow::ContextEmpty => "tree context, no identifiers",
            TreeRow::ViewAccess => "repeated getter-view access",
        }
    }

    /// mobx-quick-tree's read-only figure on Node 20, as given in
    /// `fixtures/README.md` (not measured by this run).
    pub fn mobx_quick_tree(self) -> Option<&'static str> {
        match self {
            TreeRow::NameExample => Some("704 B"),
            TreeRow::TestClassModelBig => Some("1,947 B"),
            TreeRow::State => Some("958 B"),
            TreeRow::LargeRoot => Some("393-413 KB"),
            _ => None,
        }
    }

    /// Whether the row has a per-instance budget (plain + 16 B per identified
    /// model).
    pub fn has_budget(self) -> bool {
        !matches!(self, TreeRow::ContextEmpty | TreeRow::ViewAccess)
    }
}

/// One measured cell of the tree memory table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TreeFigure {
    /// Bytes per instance (per tree, per access).
    pub bytes: f64,
    /// Allocations per instance (per tree, per access).
    pub allocs: f64,
    /// Identified models per instance (Sapwood's rows).
    pub identified: Option<usize>,
    /// Heap bytes of the identifier index, part of `bytes` (Sapwood's rows
    /// with identified models below the root).
    pub index_bytes: Option<usize>,
}

/// Heap bytes retained per instance plus the instance's size, and allocations
/// per instance, over `n` instances kept alive (after one warm-up instance).
fn per_instance<T>(n: usize, build: impl Fn() -> T) -> (f64, f64) {
    let first = build();
    let mut keep: Vec<T> = Vec::with_capacity(n);
    let (_, m) = measure(|| {
        for _ in 0..n {
            keep.push(build());
        }
    });
    std::hint::black_box(&keep);
    drop(keep);
    drop(first);
    (
        m.bytes_retained as f64 / n as f64 + std::mem::size_of::<T>() as f64,
        m.allocations as f64 / n as f64,
    )
}

fn tree_row<T: Model>(n: usize, json: &'static str) -> Result<TreeFigure, String> {
    let tree = T::from_json_str(json).map_err(|e| e.to_string())?;
    let identified = tree
        .navigator()
        .iter()
        .filter(|m| m.is_identified())
        .count();
    let index_bytes = tree.identifier_index_footprint().map(|(_, b)| b);
    let (bytes, allocs) = per_instance(n, || T::from_json_str(json).expect("the fixture is valid"));
    Ok(TreeFigure {
        bytes,
        allocs,
        identified: Some(identified),
        index_bytes,
    })
}

fn plain_row<T: serde::de::DeserializeOwned>(
    n: usize,
    json: &'static str,
) -> Result<TreeFigure, String> {
    serde_json::from_str::<T>(json).map_err(|e| e.to_string())?;
    let (bytes, allocs) = per_instance(n, || {
        serde_json::from_str::<T>(json).expect("the fixture is valid")
    });
    Ok(TreeFigure {
        bytes,
        allocs,
        identified: None,
        index_bytes: None,
    })
}

/// A fixture row: the Sapwood model `T` or the plain struct `P`.
fn fixture<T: Model, P: serde::de::DeserializeOwned>(
    system: System,
    n: usize,
    json: &'static str,
) -> Option<Result<TreeFigure, String>> {
    match system {
        System::Sapwood => Some(tree_row::<T>(n, json)),
        System::SerdePlain => Some(plain_row::<P>(n, json)),
        _ => None,
    }
}

/// A model without identifiers whose data needs no heap: a tree of it shows
/// whatever a tree context would cost.
#[derive(Model)]
struct Counter {
    count: i64,
}

/// Measures `row` for `system` with `n` instances (`None`: the system has no
/// such row). Call it on a fresh thread.
pub fn measure_tree_row(
    row: TreeRow,
    system: System,
    n: usize,
) -> Option<Result<TreeFigure, String>> {
    let big = (n / 50).max(2);
    Some(match (row, system) {
        (TreeRow::NameExample, s) => {
            fixture::<name_example::NameExample, plain::NameExample>(s, n, name_example::JSON)?
        }
        (TreeRow::TestClassModel, s) => {
            fixture::<TestClassModel, plain::TestClassModel>(s, n, test_class_model::SMALL_JSON)?
        }
        (TreeRow::TestClassModelBig, s) => {
            fixture::<TestClassModel, plain::TestClassModel>(s, n, test_class_model::BIG_JSON)?
        }
        (TreeRow::State, s) => fixture::<state::State, plain::State>(s, n, state::JSON)?,
        (TreeRow::LargeRoot, s) => {
            fixture::<large_root::LargeRoot, plain::LargeRoot>(s, big, LARGE_ROOT_JSON)?
        }
        (TreeRow::FruitAisle, s) => {
            fixture::<fruit_aisle::FruitAisle, plain::FruitAisle>(s, n, FRUIT_AISLE_JSON)?
        }
        (TreeRow::ContextEmpty, System::Sapwood) => context_empty(n),
        (TreeRow::ContextEmpty, System::SerdePlain) => plain_context_empty(n),
        (TreeRow::ViewAccess, System::Sapwood) => view_access(),
        (TreeRow::ViewAccess, System::SerdePlain) => plain_view_access(),
        _ => return None,
    })
}

/// Bytes and allocations a tree without identifiers adds to its data: a
/// `Tree<Counter>` minus the 8 bytes of its `i64`.
fn context_empty(n: usize) -> Result<TreeFigure, String> {
    let json = r#"{"count": 3}"#;
    let t = Counter::from_json_str(json).map_err(|e| e.to_string())?;
    if t.count != 3 {
        return Err(format!("count: expected 3, got {}", t.count));
    }
    let (bytes, allocs) = per_instance(n, || Counter::from_json_str(json).expect("valid"));
    Ok(TreeFigure {
        bytes: bytes - std::mem::size_of::<i64>() as f64,
        allocs,
        identified: Some(0),
        index_bytes: None,
    })
}

/// The same for plain serde: a `PlainCounter` minus its `i64` (nothing, by
/// construction: the baseline).
fn plain_context_empty(n: usize) -> Result<TreeFigure, String> {
    #[derive(serde::Deserialize)]
    struct PlainCounter {
        count: i64,
    }
    let json = r#"{"count": 3}"#;
    let (bytes, allocs) = per_instance(n, || {
        let c: PlainCounter = serde_json::from_str(json).expect("valid");
        std::hint::black_box(c.count);
        c
    });
    Ok(TreeFigure {
        bytes: bytes - std::mem::size_of::<i64>() as f64,
        allocs,
        identified: None,
        index_bytes: None,
    })
}

/// The same views on plain data, where a view is a function computed at
/// each access (plain structs have nowhere to memoize it).
fn plain_view_access() -> Result<TreeFigure, String> {
    let root: plain::LargeRoot =
        serde_json::from_str(LARGE_ROOT_JSON).map_err(|e| e.to_string())?;
    let access = |t: &plain::LargeRoot| -> usize {
        let mut n = t.cars.len() + t.parts.len() + t.dealerships.len();
        for s in t.salespeople.values() {
            n += format!("{} {}", s.first_name, s.last_name).len();
        }
        n
    };
    let rounds = 1000;
    let per_round = 3 + root.salespeople.len();
    let (sum, m) = measure(|| {
        (0..rounds)
            .map(|_| access(std::hint::black_box(&root)))
            .sum::<usize>()
    });
    std::hint::black_box(sum);
    let accesses = (rounds * per_round) as f64;
    Ok(TreeFigure {
        bytes: m.bytes_allocated as f64 / accesses,
        allocs: m.allocations as f64 / accesses,
        identified: None,
        index_bytes: None,
    })
}

/// Allocations and bytes per access of LargeRoot's getter views once
/// computed: `car_count`, `part_count`, `dealerships_count` and every
/// salesperson's `name`.
fn view_access() -> Result<TreeFigure, String> {
    let tree = large_root::LargeRoot::from_json_str(LARGE_ROOT_JSON).map_err(|e| e.to_string())?;
    let access = |t: &large_root::LargeRoot| -> usize {
        let mut n = t.car_count() + t.part_count() + t.dealerships_count();
        for s in t.salespeople.values() {
            n += s.name().len();
        }
        n
    };
    let expected = tree.cars.len()
        + tree.parts.len()
        + tree.dealerships.len()
        + tree
            .salespeople
            .values()
            .map(|s| s.first_name.len() + 1 + s.last_name.len())
            .sum::<usize>();
    let first = access(&tree);
    if first != expected {
        return Err(format!("views: expected {expected}, got {first}"));
    }
    let rounds = 1000;
    let per_round = 3 + tree.salespeople.len();
    let (sum, m) = measure(|| {
        (0..rounds)
            .map(|_| access(std::hint::black_box(&tree)))
            .sum::<usize>()
    });
    if sum != expected * rounds {
        return Err(format!(
            "views changed: expected {}, got {sum}",
            expected * rounds
        ));
    }
    let accesses = (rounds * per_round) as f64;
    Ok(TreeFigure {
        bytes: m.bytes_allocated as f64 / accesses,
        allocs: m.allocations as f64 / accesses,
        identified: None,
        index_bytes: None,
    })
}

/// The per-instance budget: plain bytes plus 16 per identified model.
pub fn budget(plain_bytes: f64, identified: usize) -> f64 {
    plain_bytes + 16.0 * identified as f64
}

//! Memory budgets of read-only trees, exact (counting allocator): a tree
//! costs at most what the plain serde structs of the same data cost plus 16
//! bytes per identified model, a tree without identifiers has no context at
//! all, references are one pointer, and dropping a tree gives everything back.
//!
//! Print the figures with
//! `cargo test --release -p sapwood-tree --test memory -- --nocapture`.

use std::mem::size_of;

use sapwood::tree::{Map, Model, Ref, SafeRef, Tree};
use sapwood_fixtures::{
    fruit_aisle::FruitAisle, large_root::LargeRoot, large_root::Part, name_example::NameExample,
    plain, state::State, test_class_model::TestClassModel, FRUIT_AISLE_JSON, LARGE_ROOT_JSON,
};
use sapwood_meter::{measure, CountingAlloc};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

/// Bytes per instance (heap retained, amortised, plus `size_of` of what is
/// kept) and allocations per instance, over `n` instances kept alive.
fn per_instance<T>(n: usize, build: impl Fn() -> T) -> (f64, f64) {
    let warm = build();
    let mut keep = Vec::with_capacity(n);
    let (_, m) = measure(|| {
        for _ in 0..n {
            keep.push(build());
        }
    });
    drop((warm, keep));
    (
        m.bytes_retained as f64 / n as f64 + size_of::<T>() as f64,
        m.allocations as f64 / n as f64,
    )
}

/// Identified models in a tree (its root included).
fn identified<T: Model>(tree: &Tree<T>) -> usize {
    tree.navigator()
        .iter()
        .filter(|m| m.is_identified())
        .count()
}

/// Checks the budget for one fixture and returns (sapwood, plain) bytes.
fn within_budget<T: Model, P: serde::de::DeserializeOwned>(
    name: &str,
    json: &str,
    n: usize,
) -> (f64, f64) {
    let tree = T::from_json_str(json).unwrap();
    let ids = identified(&tree);
    let (ours, _) = per_instance(n, || T::from_json_str(json).unwrap());
    let (plain, _) = per_instance(n, || serde_json::from_str::<P>(json).unwrap());
    let budget = plain + 16.0 * ids as f64;
    println!("{name:<22} sapwood {ours:>9.1} B  plain {plain:>9.1} B  ids {ids:>4}  budget {budget:>9.1} B");
    assert!(
        ours <= budget,
        "{name}: {ours} B per instance, over the budget of {budget} B (plain {plain} B + 16 B x {ids})"
    );
    (ours, plain)
}

#[test]
fn every_fixture_is_within_plain_bytes_plus_16_per_identified_model() {
    within_budget::<NameExample, plain::NameExample>(
        "NameExample",
        sapwood_fixtures::name_example::JSON,
        200,
    );
    within_budget::<TestClassModel, plain::TestClassModel>(
        "TestClassModel small",
        sapwood_fixtures::test_class_model::SMALL_JSON,
        200,
    );
    within_budget::<TestClassModel, plain::TestClassModel>(
        "TestClassModel big",
        sapwood_fixtures::test_class_model::BIG_JSON,
        200,
    );
    within_budget::<State, plain::State>("State", sapwood_fixtures::state::JSON, 200);
    within_budget::<State, plain::State>("State deep", sapwood_fixtures::state::DEEP_JSON, 100);
    within_budget::<FruitAisle, plain::FruitAisle>("FruitAisle", FRUIT_AISLE_JSON, 100);
    let (ours, plain) =
        within_budget::<LargeRoot, plain::LargeRoot>("LargeRoot", LARGE_ROOT_JSON, 4);
    // 1,183 references of one pointer each instead of a 40-byte string each.
    assert!(
        ours < 0.85 * plain,
        "LargeRoot: {ours} B vs plain {plain} B"
    );
}

#[test]
fn a_tree_without_identifiers_is_the_bare_struct() {
    assert_eq!(size_of::<Tree<FruitAisle>>(), size_of::<FruitAisle>());
    assert_eq!(size_of::<Tree<NameExample>>(), size_of::<NameExample>());
    // Same data, same bytes, to the byte.
    let (ours, _) = per_instance(100, || FruitAisle::from_json_str(FRUIT_AISLE_JSON).unwrap());
    let (plain, _) = per_instance(100, || {
        serde_json::from_str::<plain::FruitAisle>(FRUIT_AISLE_JSON).unwrap()
    });
    assert_eq!(ours, plain);

    #[derive(Model)]
    struct Counter {
        count: i64,
    }
    let _ = Counter::from_json_str(r#"{"count": 1}"#).unwrap();
    let (tree, m) = measure(|| Counter::from_json_str(r#"{"count": 1}"#).unwrap());
    assert_eq!((m.bytes_allocated, m.allocations), (0, 0), "no context");
    assert_eq!(size_of::<Tree<Counter>>(), size_of::<i64>());
    assert_eq!(tree.count, 1);
}

#[test]
fn a_tree_with_identifiers_keeps_its_root_behind_one_pointer() {
    assert_eq!(size_of::<Tree<LargeRoot>>(), size_of::<usize>());
    assert_eq!(size_of::<Tree<TestClassModel>>(), size_of::<usize>());
    assert_eq!(size_of::<Tree<State>>(), size_of::<usize>());
}

#[test]
fn references_are_one_pointer() {
    assert_eq!(size_of::<Ref<Part>>(), size_of::<usize>());
    assert_eq!(size_of::<SafeRef<Part>>(), size_of::<usize>());
    assert_eq!(size_of::<Vec<Ref<Part>>>(), size_of::<Vec<String>>());
}

#[test]
fn name_example_costs_its_strings_and_its_view_slot() {
    let _ = NameExample::from_json_str(sapwood_fixtures::name_example::JSON).unwrap();
    let (tree, m) =
        measure(|| NameExample::from_json_str(sapwood_fixtures::name_example::JSON).unwrap());
    // "test" and "test": two allocations of 4 bytes, nothing else.
    assert_eq!((m.bytes_retained, m.allocations), (8, 2));
    // Two strings and the 16-byte memo of `name_length`.
    assert_eq!(size_of::<Tree<NameExample>>(), 2 * size_of::<String>() + 16);
    assert_eq!(tree.name_length(), &4);
}

#[test]
fn arrays_hold_no_spare_capacity() {
    let tree = State::from_json_str(sapwood_fixtures::state::DEEP_JSON).unwrap();
    fn check(s: &State) {
        assert_eq!(s.child_states.capacity(), s.child_states.len(), "{}", s.id);
        s.child_states.iter().for_each(check);
    }
    check(&tree);
}

/// Builds, uses and drops trees of every fixture, and a refused snapshot.
fn build_use_and_drop() {
    let t = LargeRoot::from_json_str(LARGE_ROOT_JSON).unwrap();
    assert!(t
        .resolve_identifier::<Part>(t.parts.keys().next().unwrap())
        .is_some());
    let nav = t.navigator();
    assert_eq!(nav.len(), 1_436);
    drop(nav);
    drop(t);
    let t = TestClassModel::from_json_str(sapwood_fixtures::test_class_model::BIG_JSON).unwrap();
    assert_eq!(t.array_length(), &5);
    drop(t);
    drop(FruitAisle::from_json_str(FRUIT_AISLE_JSON).unwrap());
    let broken = LARGE_ROOT_JSON.replacen("\"cost\": 0", "\"cost\": \"zero\"", 1);
    assert!(LargeRoot::from_json_str(&broken).is_err());
}

#[test]
fn dropping_a_tree_gives_everything_back() {
    // The first round sizes the thread's scratch table, kept for later builds.
    build_use_and_drop();
    let (_, m) = measure(build_use_and_drop);
    assert_eq!(m.bytes_retained, 0, "{m:?}");
}

#[test]
fn the_identifier_index_costs_under_16_bytes_per_identified_model() {
    let tree = LargeRoot::from_json_str(LARGE_ROOT_JSON).unwrap();
    let (models, bytes) = tree
        .identifier_index_footprint()
        .expect("made while building");
    assert_eq!(models, identified(&tree));
    let per = bytes as f64 / models as f64;
    println!("identifier index: {bytes} B for {models} models ({per:.1} B each)");
    assert!(per < 16.0, "{per} B per identified model");
    // Looking up allocates nothing.
    let (_, m) = measure(|| {
        for k in tree.parts.keys() {
            assert!(tree.resolve_identifier::<Part>(k).is_some());
        }
    });
    assert_eq!(m.allocations, 0);
}

#[test]
fn a_map_costs_what_an_index_map_costs() {
    assert_eq!(
        size_of::<Map<u8>>(),
        size_of::<plain::PlainMap<u8>>(),
        "the same container as the floor's"
    );
}

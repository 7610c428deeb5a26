//! Navigation: `Tree::navigator()` gives the parent, root and JSON path of
//! every model, through maps, arrays, unions and nested models.

use std::collections::BTreeMap;
use std::ptr;

use sapwood::tree::{Map, Model, Tree};
use sapwood_fixtures::fruit_aisle::{Apple, Banana, BananaBunch, Fruit, FruitAisle, FruitBin};
use sapwood_fixtures::large_root::{
    Car, Component, LargeRoot, Order, OrderLineItem, Part, PartLine,
};
use sapwood_fixtures::state::{self, State};
use sapwood_fixtures::test_class_model::{self, NamedThing, TestClassModel};
use sapwood_fixtures::{FRUIT_AISLE_JSON, LARGE_ROOT_JSON};
use serde_json::Value;

fn large_root() -> Tree<LargeRoot> {
    LargeRoot::from_json_str(LARGE_ROOT_JSON).unwrap()
}

#[test]
fn the_root() {
    let t = large_root();
    let nav = t.navigator();
    let root = nav.root();
    assert_eq!(root.path(), "");
    assert!(root.parent().is_none());
    assert_eq!(root.type_name(), "LargeRoot");
    assert!(root.is::<LargeRoot>() && !root.is::<Car>());
    assert!(ptr::eq(root.downcast::<LargeRoot>().unwrap(), t.root()));
    assert!(root.downcast::<Car>().is_none());
    assert_eq!(nav.path(t.root()).as_deref(), Some(""));
    assert!(nav.parent(t.root()).is_none());
    let found = nav.node(t.root()).unwrap();
    assert!(ptr::eq(
        found.root().downcast::<LargeRoot>().unwrap(),
        t.root()
    ));
    // The root comes first.
    assert!(nav.iter().next().unwrap().is::<LargeRoot>());
}

#[test]
fn a_part_line_deep_in_large_root() {
    let t = large_root();
    let nav = t.navigator();
    let (car_key, car) = t.cars.get_index(3).unwrap();
    let (component_key, component) = car.components.get_index(0).unwrap();
    let (line_key, line) = component.parts.get_index(1).unwrap();

    let path = format!("/cars/{car_key}/components/{component_key}/parts/{line_key}");
    assert_eq!(nav.path(line).as_deref(), Some(path.as_str()));
    let node = nav.node(line).unwrap();
    assert_eq!(node.type_name(), "PartLine");
    assert_eq!(node.path(), path);
    assert!(ptr::eq(node.downcast::<PartLine>().unwrap(), line));

    let parent = nav.parent(line).unwrap();
    assert!(ptr::eq(parent.downcast::<Component>().unwrap(), component));
    assert_eq!(
        parent.path(),
        format!("/cars/{car_key}/components/{component_key}")
    );
    let grandparent = parent.parent().unwrap();
    assert!(ptr::eq(grandparent.downcast::<Car>().unwrap(), car));
    let root = grandparent.parent().unwrap();
    assert!(ptr::eq(root.downcast::<LargeRoot>().unwrap(), t.root()));
    assert!(root.parent().is_none());
    assert!(ptr::eq(
        node.root().downcast::<LargeRoot>().unwrap(),
        t.root()
    ));
    assert_eq!(
        format!("{node:?}"),
        format!("PartLine at {:?}", path.as_str())
    );
    // A reference is not a parent: the part a line refers to lives in /parts.
    assert_eq!(
        nav.path(line.part.get()).unwrap(),
        format!("/parts/{}", line.part.key)
    );
}

#[test]
fn models_in_arrays() {
    let t = large_root();
    let nav = t.navigator();
    let (order_key, order) = t
        .orders
        .iter()
        .find(|(_, o)| o.line_items.len() >= 2)
        .unwrap();
    let item = &order.line_items[1];
    assert_eq!(
        nav.path(item).unwrap(),
        format!("/orders/{order_key}/lineItems/1")
    );
    let parent = nav.parent(item).unwrap();
    assert!(ptr::eq(parent.downcast::<Order>().unwrap(), order));
    assert!(nav.node(item).unwrap().is::<OrderLineItem>());
}

#[test]
fn models_in_unions() {
    let t = FruitAisle::from_json_str(FRUIT_AISLE_JSON).unwrap();
    let nav = t.navigator();
    let bin = &t.bins["appleBin2"];
    let Fruit::Apple(apple) = &bin.fruit else {
        panic!("an apple")
    };
    // The variant's model is the node, at the union field's path.
    let node = nav.node(apple).unwrap();
    assert_eq!(node.type_name(), "Apple");
    assert_eq!(node.path(), "/bins/appleBin2/fruit");
    assert!(ptr::eq(node.downcast::<Apple>().unwrap(), apple));
    let parent = node.parent().unwrap();
    assert!(ptr::eq(parent.downcast::<FruitBin>().unwrap(), bin));
    assert_eq!(parent.path(), "/bins/appleBin2");

    let bunch_bin = &t.bins["bananaBunchBin1"];
    let Fruit::BananaBunch(bunch) = &bunch_bin.fruit else {
        panic!("a bunch")
    };
    let banana = &bunch.bananas[1];
    assert_eq!(
        nav.path(banana).as_deref(),
        Some("/bins/bananaBunchBin1/fruit/bananas/1")
    );
    let up = nav.parent(banana).unwrap();
    assert!(ptr::eq(up.downcast::<BananaBunch>().unwrap(), bunch));
    assert!(ptr::eq(
        up.parent().unwrap().downcast::<FruitBin>().unwrap(),
        bunch_bin
    ));
    assert!(nav.node(banana).unwrap().is::<Banana>());
}

/// Regression: a model reached after a nested model, at a deeper path, was
/// taken for that nested model's child (`/nested/0` instead of `/array/0`).
#[test]
fn models_after_a_nested_model() {
    let t = TestClassModel::from_json_str(test_class_model::BIG_JSON).unwrap();
    let nav = t.navigator();
    assert_eq!(nav.path(&t.nested).as_deref(), Some("/nested"));
    for (i, thing) in t.array.iter().enumerate() {
        assert_eq!(nav.path(thing), Some(format!("/array/{i}")));
        let parent = nav.parent(thing).unwrap();
        assert!(ptr::eq(
            parent.downcast::<TestClassModel>().unwrap(),
            t.root()
        ));
    }
    for (key, thing) in &t.map {
        assert_eq!(nav.path(thing), Some(format!("/map/{key}")));
        assert!(nav.parent(thing).unwrap().is::<TestClassModel>());
    }
    assert_eq!(nav.path(&t.map["d"]).as_deref(), Some("/map/d"));
}

#[derive(Model, Debug)]
struct Leaf {
    n: u32,
}

#[derive(Model, Debug)]
struct Branch {
    leaf: Leaf,
    #[model(default)]
    more: Vec<Leaf>,
}

#[derive(Model, Debug)]
struct Trunk {
    first: Branch,
    lone: Leaf,
    rest: Vec<Branch>,
    keyed: Map<Vec<Branch>>,
    last: Option<Box<Leaf>>,
}

#[test]
fn every_path_and_parent_in_a_mixed_tree() {
    let t = Trunk::from_json_str(
        r#"{"first": {"leaf": {"n": 1}, "more": [{"n": 2}]},
            "lone": {"n": 3},
            "rest": [{"leaf": {"n": 4}}, {"leaf": {"n": 5}, "more": [{"n": 6}, {"n": 7}]}],
            "keyed": {"k/~": [{"leaf": {"n": 8}}]},
            "last": {"n": 9}}"#,
    )
    .unwrap();
    let nav = t.navigator();
    let leaf = |l: &Leaf| (nav.path(l).unwrap(), nav.parent(l).unwrap().path());
    assert_eq!(leaf(&t.first.leaf), ("/first/leaf".into(), "/first".into()));
    assert_eq!(
        leaf(&t.first.more[0]),
        ("/first/more/0".into(), "/first".into())
    );
    assert_eq!(leaf(&t.lone), ("/lone".into(), "".into()));
    assert_eq!(
        leaf(&t.rest[0].leaf),
        ("/rest/0/leaf".into(), "/rest/0".into())
    );
    assert_eq!(
        leaf(&t.rest[1].more[1]),
        ("/rest/1/more/1".into(), "/rest/1".into())
    );
    assert_eq!(
        leaf(&t.keyed["k/~"][0].leaf),
        ("/keyed/k~1~0/0/leaf".into(), "/keyed/k~1~0/0".into())
    );
    assert_eq!(
        leaf(t.last.as_deref().unwrap()),
        ("/last".into(), "".into())
    );
    assert_eq!(nav.len(), 1 + 3 + 1 + 2 + 4 + 2 + 1);

    // Every path points, in the snapshot, at an object with this model's data.
    let snapshot = t.to_snapshot();
    for node in nav.iter() {
        let at = snapshot.pointer(&node.path()).unwrap();
        assert!(at.is_object(), "{node:?}");
        if let Some(l) = node.downcast::<Leaf>() {
            assert_eq!(at["n"], l.n);
        }
        if let Some(parent) = node.parent() {
            assert!(node.path().starts_with(&format!("{}/", parent.path())));
        }
    }
}

#[test]
fn paths_escape_keys() {
    let text = LARGE_ROOT_JSON.replacen("\"parts\": {", "\"parts\": {\"a/b~c\": {\"key\": \"x\", \"name\": \"n\", \"sku\": \"s\", \"cost\": 1, \"properties\": {}},", 1);
    let t = LargeRoot::from_json_str(&text).unwrap();
    let nav = t.navigator();
    assert_eq!(
        nav.path(&t.parts["a/b~c"]).as_deref(),
        Some("/parts/a~1b~0c")
    );
}

#[test]
fn recursive_paths() {
    let t = State::from_json_str(state::DEEP_JSON).unwrap();
    let nav = t.navigator();
    let b1x = &t.child_states[1].child_states[0].child_states[0];
    assert_eq!(b1x.id, "b1x");
    let node = nav.node(b1x).unwrap();
    assert_eq!(node.path(), "/childStates/1/childStates/0/childStates/0");
    let chain: Vec<&str> = std::iter::successors(Some(node), |n| n.parent())
        .map(|n| n.downcast::<State>().unwrap().id.as_str())
        .collect();
    assert_eq!(chain, ["b1x", "b1", "b", "root"]);
    assert_eq!(nav.len(), 17);
    // Siblings after a subtree have the root's child as parent again.
    let c = nav.node(&t.child_states[2]).unwrap();
    assert_eq!(c.path(), "/childStates/2");
    assert!(ptr::eq(
        c.parent().unwrap().downcast::<State>().unwrap(),
        t.root()
    ));
}

#[test]
fn a_model_of_another_tree_is_not_found() {
    let a = TestClassModel::from_json_str(test_class_model::SMALL_JSON).unwrap();
    let b = TestClassModel::from_json_str(test_class_model::SMALL_JSON).unwrap();
    let nav = a.navigator();
    assert!(nav.node(&b.nested).is_none());
    assert!(nav.path(&b.array[0]).is_none());
    assert!(nav.parent(&b.map["test_key"]).is_none());
    assert!(nav.node(b.root()).is_none());
    // Nor a model that is in no tree at all.
    let loose = NamedThing {
        key: "mixed_up".into(),
        name: "MiXeD CaSe".into(),
    };
    assert!(nav.node(&loose).is_none());
    assert!(nav.node(&a.nested).is_some());
}

#[test]
fn counts_of_models_in_large_root() {
    let t = large_root();
    let nav = t.navigator();
    assert_eq!(nav.len(), 1_436);
    assert!(!nav.is_empty());
    let mut by_type: BTreeMap<&str, usize> = BTreeMap::new();
    for node in nav.iter() {
        *by_type.entry(node.type_name()).or_default() += 1;
    }
    let expected: BTreeMap<&str, usize> = [
        ("LargeRoot", 1),
        ("Part", 30),
        ("Car", 30),
        ("Component", 182),
        ("PartLine", 943),
        ("Salesperson", 50),
        ("Dealership", 10),
        ("Customer", 50),
        ("Order", 50),
        ("OrderLineItem", 90),
    ]
    .into_iter()
    .collect();
    assert_eq!(by_type, expected);
    assert_eq!(nav.iter().filter(|n| n.is::<Part>()).count(), 30);
    // Every model but the root and the part lines has an identifier.
    assert_eq!(nav.iter().filter(|n| n.is_identified()).count(), 492);
}

#[test]
fn every_path_of_large_root_points_at_its_model_in_the_snapshot() {
    let t = large_root();
    let raw: Value = serde_json::from_str(LARGE_ROOT_JSON).unwrap();
    let nav = t.navigator();
    for node in nav.iter() {
        let path = node.path();
        let at = raw
            .pointer(&path)
            .unwrap_or_else(|| panic!("{path} is not in the snapshot"));
        assert_eq!(at["type"], node.type_name(), "{path}");
        if let Some(parent) = node.parent() {
            let parent_path = parent.path();
            assert!(path.starts_with(&format!("{parent_path}/")), "{path}");
            // The parent is the nearest enclosing model: here always a field
            // and a key or index away.
            let rest = path[parent_path.len() + 1..].split('/').count();
            assert_eq!(rest, 2, "{path} under {parent_path}");
        }
        // The navigator finds each model back from itself.
        let again = match node.type_name() {
            "PartLine" => nav.node(node.downcast::<PartLine>().unwrap()),
            "Car" => nav.node(node.downcast::<Car>().unwrap()),
            _ => Some(node),
        }
        .unwrap();
        assert_eq!(again.path(), path);
    }
}

#[test]
fn fruit_aisle_and_test_class_model_counts() {
    let t = FruitAisle::from_json_str(FRUIT_AISLE_JSON).unwrap();
    let nav = t.navigator();
    // The aisle, 11 bins, 11 fruits and the 2 bananas of the bunch.
    assert_eq!(nav.len(), 1 + 11 + 11 + 2);
    assert_eq!(nav.iter().filter(|n| n.is::<FruitBin>()).count(), 11);
    assert_eq!(nav.iter().filter(|n| n.type_name() == "Orange").count(), 3);
    let raw: Value = serde_json::from_str(FRUIT_AISLE_JSON).unwrap();
    for node in nav.iter() {
        let at = raw.pointer(&node.path()).unwrap();
        // The fixture writes every model's type, fruits' as their union tag.
        assert_eq!(at["type"], node.type_name(), "{node:?}");
    }
    let t = TestClassModel::from_json_str(test_class_model::BIG_JSON).unwrap();
    assert_eq!(t.navigator().len(), 1 + 1 + 5 + 5);
}

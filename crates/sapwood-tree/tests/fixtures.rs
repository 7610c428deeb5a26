//! The fixtures' real content: what `fixtures/README.md` says they hold,
//! checked on the built trees (and, for the values, against the raw JSON).

use std::collections::BTreeMap;

use sapwood::tree::{Model, Tree};
use sapwood_fixtures::fruit_aisle::{Fruit, FruitAisle, Size};
use sapwood_fixtures::large_root::{Component, LargeRoot};
use sapwood_fixtures::name_example::{self, NameExample};
use sapwood_fixtures::scale::{self, MODELS_PER_COPY};
use sapwood_fixtures::state::{self, State};
use sapwood_fixtures::test_class_model::{self, TestClassModel};
use sapwood_fixtures::{FRUIT_AISLE_JSON, LARGE_ROOT_JSON};
use serde_json::Value;

fn large_root() -> (Tree<LargeRoot>, Value) {
    (
        LargeRoot::from_json_str(LARGE_ROOT_JSON).unwrap(),
        serde_json::from_str(LARGE_ROOT_JSON).unwrap(),
    )
}

// ---------------------------------------------------------------------------
// LargeRoot

#[test]
fn large_root_holds_the_models_the_readme_lists() {
    let (t, _) = large_root();
    let nav = t.navigator();
    let mut by_type: BTreeMap<&str, usize> = BTreeMap::new();
    for node in nav.iter() {
        *by_type.entry(node.type_name()).or_default() += 1;
    }
    assert_eq!(nav.len(), 1_436);
    assert_eq!(
        by_type,
        BTreeMap::from([
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
        ])
    );
}

#[test]
fn large_root_has_218_maps_of_1345_entries_and_60_arrays() {
    let (t, _) = large_root();
    let top = [
        t.cars.len(),
        t.parts.len(),
        t.dealerships.len(),
        t.salespeople.len(),
        t.customers.len(),
        t.orders.len(),
    ];
    let components: Vec<&Component> = t
        .cars
        .values()
        .flat_map(|c| c.components.values())
        .collect();
    let maps = top.len() + t.cars.len() + components.len();
    let entries = top.iter().sum::<usize>()
        + components.len()
        + components.iter().map(|c| c.parts.len()).sum::<usize>();
    assert_eq!((maps, entries), (218, 1_345));
    let arrays = t.dealerships.len() + t.orders.len();
    assert_eq!(arrays, 60);
    // References: one per part line and per order line item, three per order,
    // and the dealerships' salespeople (none in this file).
    let lines: usize = components.iter().map(|c| c.parts.len()).sum();
    let items: usize = t.orders.values().map(|o| o.line_items.len()).sum();
    let salespeople: usize = t.dealerships.values().map(|d| d.salespeople.len()).sum();
    assert_eq!((lines, items, salespeople), (943, 90, 0));
    assert_eq!(lines + items + 3 * t.orders.len() + salespeople, 1_183);
}

#[test]
fn large_root_getter_views() {
    let (t, raw) = large_root();
    assert_eq!(*t.car_count(), 30);
    assert_eq!(*t.part_count(), 30);
    assert_eq!(*t.dealerships_count(), 10);
    let first_key = raw["cars"].as_object().unwrap().keys().next().unwrap();
    assert_eq!(&t.first_car().unwrap().key, first_key);
    assert_eq!(first_key, "1dbaafae6e39edab32f9fca8acec44c7f730f0cc");

    let first = t.salespeople.values().next().unwrap();
    assert_eq!(first.name(), "Dorris Johnston");
    for (key, raw_person) in raw["salespeople"].as_object().unwrap() {
        let expected = format!(
            "{} {}",
            raw_person["firstName"].as_str().unwrap(),
            raw_person["lastName"].as_str().unwrap()
        );
        assert_eq!(t.salespeople[key].name(), &expected);
    }
}

#[test]
fn large_root_method_views() {
    let (t, raw) = large_root();
    let car = t.first_car().unwrap();
    assert_eq!(car.descriptor(), "2015 Land Rover Silverado");
    let dealership = t.dealerships.values().next().unwrap();
    assert_eq!(dealership.descriptor(), "Stehr - Carter, Fort Lucinda");

    // The first component of the first car, by hand from the JSON:
    // parts costing 2, 15, 10, 23, 21, 10 and 3, in quantities 9, 2, 10, 2,
    // 7, 3 and 4.
    let component = car.components.values().next().unwrap();
    assert_eq!(component.name, "Refined Wooden Chair");
    assert_eq!(component.parts.len(), 7);
    assert_eq!(
        component.cost(),
        (2 * 9 + 15 * 2 + 10 * 10 + 23 * 2 + 21 * 7 + 10 * 3 + 3 * 4) as f64
    );
    assert_eq!(component.cost(), 383.0);
    let line = component.parts.values().next().unwrap();
    assert_eq!(
        (line.part.cost, line.quantity, line.cost()),
        (2.0, 9.0, 18.0)
    );

    // Every component's cost, from the raw JSON alone.
    let parts = raw["parts"].as_object().unwrap();
    let mut checked = 0;
    for (car_key, raw_car) in raw["cars"].as_object().unwrap() {
        for (key, raw_component) in raw_car["components"].as_object().unwrap() {
            let expected: f64 = raw_component["parts"]
                .as_object()
                .unwrap()
                .values()
                .map(|l| {
                    let cost = parts[l["part"].as_str().unwrap()]["cost"].as_f64().unwrap();
                    cost * l["quantity"].as_f64().unwrap_or(0.0)
                })
                .sum();
            assert_eq!(t.cars[car_key].components[key].cost(), expected, "{key}");
            checked += 1;
        }
    }
    assert_eq!(checked, 182);
}

#[test]
fn large_root_leaf_values_match_the_json() {
    let (t, raw) = large_root();
    for (key, raw_part) in raw["parts"].as_object().unwrap() {
        let part = &t.parts[key];
        assert_eq!(part.name, raw_part["name"].as_str().unwrap());
        assert_eq!(part.sku, raw_part["sku"].as_str().unwrap());
        assert_eq!(part.cost, raw_part["cost"].as_f64().unwrap());
        assert_eq!(part.properties.to_value(), raw_part["properties"]);
        assert_eq!(
            part.created_at.millis(),
            raw_part["createdAt"].as_i64().unwrap()
        );
    }
    for (key, raw_customer) in raw["customers"].as_object().unwrap() {
        let c = &t.customers[key];
        assert_eq!(c.email.as_deref(), raw_customer["email"].as_str());
        assert_eq!(
            c.phone_number.as_deref(),
            raw_customer["phoneNumber"].as_str()
        );
    }
    for (key, raw_order) in raw["orders"].as_object().unwrap() {
        let prices: Vec<f64> = raw_order["lineItems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["price"].as_f64().unwrap())
            .collect();
        let got: Vec<f64> = t.orders[key].line_items.iter().map(|i| i.price).collect();
        assert_eq!(got, prices);
    }
}

#[test]
fn scaled_large_roots_have_the_same_shape() {
    let text = scale::large_root_times(3);
    let t = LargeRoot::from_json_str(&text).unwrap();
    assert_eq!(t.navigator().len(), 3 * MODELS_PER_COPY + 1);
    assert_eq!((*t.car_count(), *t.part_count()), (90, 90));
    // Each copy's references stay within the copy.
    for (_, car) in t.cars.iter() {
        let copy = car.key.rsplit('-').next().unwrap();
        for line in car.components.values().flat_map(|c| c.parts.values()) {
            assert!(line.part.key.ends_with(&format!("-{copy}")));
        }
    }
}

// ---------------------------------------------------------------------------
// FruitAisle

#[test]
fn fruit_aisle_bins() {
    let t = FruitAisle::from_json_str(FRUIT_AISLE_JSON).unwrap();
    let keys: Vec<&str> = t.bins.keys().collect();
    assert_eq!(
        keys,
        [
            "appleBin1",
            "appleBin2",
            "bananaBunchBin1",
            "pearBin1",
            "pearBin2",
            "kiwiBin1",
            "orangeBin1",
            "orangeBin2",
            "orangeBin3",
            "passionfruitBin1",
            "passionfruitBin2"
        ]
    );
    let counts: Vec<i64> = t.bins.values().map(|b| b.count).collect();
    assert_eq!(counts, [50, 40, 35, 20, 30, 25, 45, 50, 30, 15, 20]);

    let fruit = |k: &str| &t.bins[k].fruit;
    assert!(matches!(fruit("appleBin1"), Fruit::Apple(a) if a.color == "red" && a.ripeness == 7));
    assert!(matches!(fruit("appleBin2"), Fruit::Apple(a) if a.color == "green" && a.ripeness == 5));
    let Fruit::BananaBunch(bunch) = fruit("bananaBunchBin1") else {
        panic!("a bunch")
    };
    assert_eq!(bunch.origin, "Ecuador");
    let bananas: Vec<(f64, f64)> = bunch
        .bananas
        .iter()
        .map(|b| (b.spots, b.ripeness))
        .collect();
    assert_eq!(bananas, [(3.0, 6.0), (5.0, 7.0)]);
    assert!(
        matches!(fruit("pearBin1"), Fruit::Pear(p) if p.color == "green" && p.breed == "Bartlett")
    );
    assert!(matches!(fruit("pearBin2"), Fruit::Pear(p) if p.color == "red" && p.breed == "Anjou"));
    assert!(matches!(fruit("kiwiBin1"), Fruit::Kiwi(k) if k.seed_count == 100.0));
    let sizes: Vec<Size> = ["orangeBin1", "orangeBin2", "orangeBin3"]
        .iter()
        .map(|k| match fruit(k) {
            Fruit::Orange(o) => o.size,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(sizes, [Size::Small, Size::Medium, Size::Large]);
    assert!(matches!(fruit("passionfruitBin1"), Fruit::Passionfruit(p) if p.color == "yellow"));
    assert!(matches!(fruit("passionfruitBin2"), Fruit::Passionfruit(p) if p.color == "purple"));
}

// ---------------------------------------------------------------------------
// State

#[test]
fn state_starts_in_its_second_child() {
    let t = State::from_json_str(state::JSON).unwrap();
    assert_eq!(t.id, "root");
    let ids: Vec<&str> = t.child_states.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["child1", "child2", "child3"]);
    let initial = t.initial_child_state.as_ref().unwrap();
    assert!(std::ptr::eq(&**initial, &t.child_states[1]));
    assert!(t
        .child_states
        .iter()
        .all(|c| c.initial_child_state.is_none()));
}

#[test]
fn deep_state_has_17_nodes_7_references_4_levels() {
    let t = State::from_json_str(state::DEEP_JSON).unwrap();
    fn walk(s: &State, depth: usize, nodes: &mut usize, refs: &mut usize, levels: &mut usize) {
        *nodes += 1;
        *levels = (*levels).max(depth);
        if let Some(initial) = &s.initial_child_state {
            *refs += 1;
            // Always one of the node's own children.
            assert!(
                s.child_states.iter().any(|c| std::ptr::eq(c, &**initial)),
                "{}",
                s.id
            );
        }
        for c in &s.child_states {
            walk(c, depth + 1, nodes, refs, levels);
        }
    }
    let (mut nodes, mut refs, mut levels) = (0, 0, 0);
    walk(&t, 1, &mut nodes, &mut refs, &mut levels);
    assert_eq!((nodes, refs, levels), (17, 7, 4));
}

// ---------------------------------------------------------------------------
// NameExample and TestClassModel

#[test]
fn name_example() {
    let t = NameExample::from_json_str(name_example::JSON).unwrap();
    assert_eq!((t.key.as_str(), t.name.as_str()), ("test", "test"));
    assert_eq!(t.slug(), "test");
    assert_eq!(*t.name_length(), 4);
    assert_eq!(t.volatile_prop(), "test");
    let spaced = NameExample::from_json_str(r#"{"key": "k", "name": "Hello Big World"}"#).unwrap();
    assert_eq!(spaced.slug(), "hello-big-world");
    assert_eq!(*spaced.name_length(), 15);
}

#[test]
fn test_class_model_inputs() {
    let small = TestClassModel::from_json_str(test_class_model::SMALL_JSON).unwrap();
    assert!(small.bool);
    assert!(!*small.not_bool());
    assert_eq!(*small.array_length(), 1);
    assert_eq!(small.frozen.json(), r#"{"test":"string"}"#);
    assert_eq!(small.nested.name, "MiXeD CaSe");
    assert_eq!(small.nested.lower_cased_name(), "mixed case");
    assert_eq!(small.nested.upper_cased_name(), "MIXED CASE");
    assert_eq!(small.map["test_key"].name, "Testy McTest");
    assert_eq!(small.array[0].key, "other_key");
    assert_eq!(small.optional, "value");
    assert_eq!(small.volatile(), "test");

    let big = TestClassModel::from_json_str(test_class_model::BIG_JSON).unwrap();
    assert_eq!(*big.array_length(), 5);
    let names: Vec<&str> = big.array.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Array Item 1",
            "Array Item 2",
            "Array Item 3",
            "Array Item 4",
            "Array Item 4"
        ]
    );
    let map: Vec<(&str, &str)> = big.map.iter().map(|(k, v)| (k, v.key.as_str())).collect();
    assert_eq!(
        map,
        [("a", "a"), ("b", "b"), ("c", "c"), ("d", "e"), ("f", "f")]
    );
}

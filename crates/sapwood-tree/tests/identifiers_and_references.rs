//! Identifiers and references: identifiers scoped by model type, references
//! resolved whatever the order of the snapshot, `resolve_identifier`, the
//! identifier index made while building, safe references, integer identifiers.

use std::ptr;

use sapwood::tree::{ErrorKind, Map, Model, Ref, SafeRef, Tree};
use sapwood_fixtures::large_root::{
    Car, Component, Customer, Dealership, LargeRoot, Order, OrderLineItem, Part, Salesperson,
};
use sapwood_fixtures::name_example::{self, NameExample};
use sapwood_fixtures::state::{self, State};
use sapwood_fixtures::test_class_model::{self, NamedThing, TestClassModel};
use sapwood_fixtures::LARGE_ROOT_JSON;
use serde_json::{json, Value};

fn large_root() -> (Tree<LargeRoot>, Value) {
    let tree = LargeRoot::from_json_str(LARGE_ROOT_JSON).unwrap();
    let raw = serde_json::from_str(LARGE_ROOT_JSON).unwrap();
    (tree, raw)
}

fn entries(v: &Value) -> impl Iterator<Item = (&String, &Value)> {
    v.as_object().expect("an object").iter()
}

fn id(v: &Value) -> &str {
    v.as_str().expect("an identifier string")
}

/// The only model in `models` whose identifier is `id` (found by scanning,
/// not through the index or the map's keys).
fn the_one<'a, T>(models: impl Iterator<Item = &'a T>, key: impl Fn(&T) -> &str, id: &str) -> &'a T
where
    T: 'a,
{
    let mut found = models.filter(|m| key(m) == id);
    let one = found.next().unwrap_or_else(|| panic!("no model {id}"));
    assert!(found.next().is_none(), "two models {id}");
    one
}

// ---------------------------------------------------------------------------
// References in LargeRoot.

#[test]
fn every_reference_of_large_root_resolves_to_its_target() {
    let (t, raw) = large_root();
    let mut checked = 0;

    for (car_key, raw_car) in entries(&raw["cars"]) {
        let car = &t.cars[car_key];
        for (component_key, raw_component) in entries(&raw_car["components"]) {
            let component = &car.components[component_key];
            for (line_key, raw_line) in entries(&raw_component["parts"]) {
                let line = &component.parts[line_key];
                let target = id(&raw_line["part"]);
                assert_eq!(line.part.key, target);
                let expected = the_one(t.parts.values(), |p| &p.key, target);
                assert!(ptr::eq(line.part.get(), expected), "{line_key}");
                checked += 1;
            }
        }
    }
    for (order_key, raw_order) in entries(&raw["orders"]) {
        let order = &t.orders[order_key];
        let d = id(&raw_order["dealership"]);
        assert!(ptr::eq(
            &*order.dealership,
            the_one(t.dealerships.values(), |x| &x.key, d)
        ));
        let s = id(&raw_order["salesperson"]);
        assert!(ptr::eq(
            &*order.salesperson,
            the_one(t.salespeople.values(), |x| &x.key, s)
        ));
        let c = id(&raw_order["customer"]);
        assert!(ptr::eq(
            &*order.customer,
            the_one(t.customers.values(), |x| &x.key, c)
        ));
        checked += 3;
        let raw_items = raw_order["lineItems"].as_array().unwrap();
        assert_eq!(order.line_items.len(), raw_items.len());
        for (item, raw_item) in order.line_items.iter().zip(raw_items) {
            let car = id(&raw_item["car"]);
            assert!(ptr::eq(
                &*item.car,
                the_one(t.cars.values(), |x| &x.key, car)
            ));
            checked += 1;
        }
    }
    for (dealership_key, raw_dealership) in entries(&raw["dealerships"]) {
        let dealership = &t.dealerships[dealership_key];
        let raw_people = raw_dealership["salespeople"].as_array().unwrap();
        assert_eq!(dealership.salespeople.len(), raw_people.len());
        for (person, raw_person) in dealership.salespeople.iter().zip(raw_people) {
            let s = id(raw_person);
            assert!(ptr::eq(
                &**person,
                the_one(t.salespeople.values(), |x| &x.key, s)
            ));
            checked += 1;
        }
    }
    assert_eq!(checked, 1_183, "the fixture's references");
}

#[test]
fn forward_references_resolve() {
    // The fixture lists parts first and orders last, so its references point
    // backward; written the other way round, every reference points forward.
    let (t, raw) = large_root();
    let mut reversed = serde_json::Map::new();
    reversed.insert("type".into(), raw["type"].clone());
    for field in [
        "orders",
        "customers",
        "salespeople",
        "dealerships",
        "cars",
        "parts",
    ] {
        reversed.insert(field.into(), raw[field].clone());
    }
    let text = Value::Object(reversed).to_string();
    assert!(text.find("\"orders\"").unwrap() < text.find("\"parts\"").unwrap());
    let forward = LargeRoot::from_json_str(&text).unwrap();
    assert_eq!(*forward, *t);
    let (car, line) = {
        let car = forward.cars.values().next().unwrap();
        let line = car
            .components
            .values()
            .next()
            .unwrap()
            .parts
            .values()
            .next()
            .unwrap();
        (car, line)
    };
    assert!(ptr::eq(
        &*line.part,
        forward.parts.get(&line.part.key).unwrap()
    ));
    assert_eq!(forward.to_snapshot(), t.to_snapshot());
    assert_eq!(car.kind.as_str(), "Car");
}

#[derive(Model, Debug, PartialEq)]
struct Node {
    #[model(identifier)]
    id: String,
    #[model(default)]
    children: Vec<Node>,
    next: Option<Ref<Node>>,
}

#[test]
fn references_to_self_ancestors_and_later_nodes() {
    let t = Node::from_json_str(
        r#"{"id": "root", "next": "root", "children": [
            {"id": "a", "next": "b"},
            {"id": "b", "next": "root", "children": [{"id": "b1", "next": "b1"}]}
        ]}"#,
    )
    .unwrap();
    let root: &Node = &t;
    assert!(ptr::eq(&**root.next.as_ref().unwrap(), root));
    let (a, b) = (&root.children[0], &root.children[1]);
    assert!(ptr::eq(&**a.next.as_ref().unwrap(), b));
    assert!(ptr::eq(&**b.next.as_ref().unwrap(), root));
    let b1 = &b.children[0];
    assert!(ptr::eq(&**b1.next.as_ref().unwrap(), b1));
    // Cycles through references neither loop comparisons nor printing.
    let again = Node::from_json_str(&t.to_json()).unwrap();
    assert_eq!(*again, *t);
    assert!(format!("{:?}", t.root()).contains(r#"next: Some(Ref<Node>("root"))"#));
}

// ---------------------------------------------------------------------------
// resolve_identifier.

#[test]
fn resolve_identifier_finds_every_identified_model_of_large_root() {
    let (t, raw) = large_root();
    let mut found = 0;

    macro_rules! check {
        ($ty:ty, $field:literal, $map:expr) => {
            for (key, raw_model) in entries(&raw[$field]) {
                let model = t.resolve_identifier::<$ty>(id(&raw_model["key"])).unwrap();
                assert!(ptr::eq(model, &$map[key]), "{} {key}", $field);
                found += 1;
            }
        };
    }
    check!(Part, "parts", t.parts);
    check!(Car, "cars", t.cars);
    check!(Salesperson, "salespeople", t.salespeople);
    check!(Dealership, "dealerships", t.dealerships);
    check!(Customer, "customers", t.customers);
    check!(Order, "orders", t.orders);

    for (car_key, raw_car) in entries(&raw["cars"]) {
        for (key, raw_component) in entries(&raw_car["components"]) {
            let c = t
                .resolve_identifier::<Component>(id(&raw_component["key"]))
                .unwrap();
            assert!(ptr::eq(c, &t.cars[car_key].components[key]));
            found += 1;
        }
    }
    for (order_key, raw_order) in entries(&raw["orders"]) {
        for (i, raw_item) in raw_order["lineItems"]
            .as_array()
            .unwrap()
            .iter()
            .enumerate()
        {
            let item = t
                .resolve_identifier::<OrderLineItem>(id(&raw_item["key"]))
                .unwrap();
            assert!(ptr::eq(item, &t.orders[order_key].line_items[i]));
            found += 1;
        }
    }
    assert_eq!(found, 492, "the fixture's identifiers");
    assert_eq!(
        t.identifier_index_footprint().map(|(models, _)| models),
        Some(492)
    );
}

#[test]
fn resolve_identifier_is_none_for_unknown_ids_and_other_types() {
    let (t, raw) = large_root();
    let part = id(&raw["parts"].as_object().unwrap().values().next().unwrap()["key"]).to_string();
    assert!(t.resolve_identifier::<Part>(&part).is_some());
    assert!(t.resolve_identifier::<Car>(&part).is_none());
    assert!(t.resolve_identifier::<Customer>(&part).is_none());
    // A type that has no model in this tree at all.
    assert!(t.resolve_identifier::<NamedThing>(&part).is_none());
    assert!(t.resolve_identifier::<Part>("").is_none());
    assert!(t.resolve_identifier::<Part>(&part[..39]).is_none());
    assert!(t.resolve_identifier::<Part>(&part.to_uppercase()).is_none());
    assert!(t.resolve_identifier::<Part>(&format!("{part} ")).is_none());
}

// ---------------------------------------------------------------------------
// Identifiers are scoped by type.

#[derive(Model, Debug, PartialEq)]
struct Wheel {
    #[model(identifier)]
    id: String,
    size: u32,
}

#[derive(Model, Debug, PartialEq)]
struct Door {
    #[model(identifier)]
    id: String,
    side: String,
}

#[derive(Model, Debug, PartialEq)]
struct Garage {
    wheels: Map<Wheel>,
    doors: Vec<Door>,
    spare: Ref<Wheel>,
    front: Ref<Door>,
}

/// Holds a wheel in a field, not in a container: the wheel shares its
/// holder's address.
#[derive(Model, Debug, PartialEq)]
struct Holder {
    inner: Wheel,
}

#[derive(Model, Debug, PartialEq)]
struct Pair {
    left: Holder,
    right: Holder,
}

/// An identified model whose first field (in memory) is another identified
/// model: both at one address.
#[derive(Model, Debug, PartialEq)]
#[repr(C)]
struct Axle {
    wheel: Wheel,
    #[model(identifier)]
    id: String,
}

#[derive(Model, Debug, PartialEq)]
struct Workshop {
    pairs: Map<Pair>,
    axles: Map<Axle>,
}

/// The path and the model type of the duplicate identifier `json` holds.
fn duplicate_in(json: &str) -> (String, &'static str) {
    let e = Workshop::from_json_str(json).unwrap_err();
    match e.kind() {
        ErrorKind::DuplicateIdentifier { model, .. } => (e.path().to_string(), *model),
        other => panic!("not a duplicate identifier: {other:?}"),
    }
}

#[test]
fn a_duplicate_identifier_deep_in_fields_is_named_by_its_whole_path() {
    let pairs = r#"{"axles": {}, "pairs": {"a": {
        "left": {"inner": {"id": "x", "size": 1}},
        "right": {"inner": {"id": "x", "size": 2}}}}}"#;
    assert_eq!(
        duplicate_in(pairs),
        ("/pairs/a/right/inner".into(), "Wheel")
    );
    // The duplicate is the axle, not the wheel at the same address...
    let axles = r#"{"pairs": {}, "axles": {
        "a": {"id": "o", "wheel": {"id": "w1", "size": 1}},
        "b": {"id": "o", "wheel": {"id": "w2", "size": 1}}}}"#;
    assert_eq!(duplicate_in(axles), ("/axles/b".into(), "Axle"));
    // ...and a wheel duplicated under an axle is the wheel.
    let wheels = r#"{"pairs": {}, "axles": {
        "a": {"id": "p", "wheel": {"id": "w", "size": 1}},
        "b": {"id": "q", "wheel": {"id": "w", "size": 1}}}}"#;
    assert_eq!(duplicate_in(wheels), ("/axles/b/wheel".into(), "Wheel"));
}

#[test]
fn two_types_may_share_an_identifier() {
    let t = Garage::from_json_str(
        r#"{"spare": "x", "front": "x",
            "wheels": {"w": {"id": "x", "size": 17}}, "doors": [{"id": "x", "side": "left"}]}"#,
    )
    .unwrap();
    assert_eq!(t.spare.size, 17);
    assert_eq!(t.front.side, "left");
    assert!(ptr::eq(
        t.resolve_identifier::<Wheel>("x").unwrap(),
        &t.wheels["w"]
    ));
    assert!(ptr::eq(
        t.resolve_identifier::<Door>("x").unwrap(),
        &t.doors[0]
    ));
    // The same type twice is an error.
    let e = Garage::from_json_str(
        r#"{"spare": "x", "front": "x",
            "wheels": {"w": {"id": "x", "size": 17}, "v": {"id": "x", "size": 1}}, "doors": []}"#,
    )
    .unwrap_err();
    assert_eq!(e.path(), "/wheels/v");
    assert_eq!(
        e.kind(),
        &ErrorKind::DuplicateIdentifier {
            model: "Wheel",
            id: "x".into()
        }
    );
}

#[test]
fn a_customer_and_a_car_sharing_an_identifier_in_large_root() {
    let (_, raw) = large_root();
    let car = id(&raw["cars"].as_object().unwrap().values().next().unwrap()["key"]).to_string();
    let customer = id(&raw["customers"]
        .as_object()
        .unwrap()
        .values()
        .nth(3)
        .unwrap()["key"])
    .to_string();
    // Identifiers are distinct 40-digit hex strings: renaming one everywhere
    // renames the customer, its map key and every reference to it.
    assert!(LARGE_ROOT_JSON.matches(&customer).count() >= 3);
    let text = LARGE_ROOT_JSON.replace(&customer, &car);
    let t = LargeRoot::from_json_str(&text).unwrap();
    let as_customer = t.resolve_identifier::<Customer>(&car).unwrap();
    let as_car = t.resolve_identifier::<Car>(&car).unwrap();
    assert!(ptr::eq(as_customer, &t.customers[&*car]));
    assert!(ptr::eq(as_car, &t.cars[&*car]));
    let orders: Vec<&Order> = t
        .orders
        .values()
        .filter(|o| o.customer.key == car)
        .collect();
    assert!(!orders.is_empty());
    for o in orders {
        assert!(ptr::eq(&*o.customer, as_customer));
    }
    assert!(t.resolve_identifier::<Customer>(&customer).is_none());
}

// ---------------------------------------------------------------------------
// The identifier index.

#[test]
fn a_tree_with_identifiers_below_its_root_has_its_index_from_the_start() {
    let t = TestClassModel::from_json_str(test_class_model::BIG_JSON).unwrap();
    let (models, bytes) = t.identifier_index_footprint().expect("made while building");
    assert_eq!(models, 1 + 5 + 5, "nested, array and map");
    assert!(bytes > 0);
    assert!(t.resolve_identifier::<NamedThing>("nobody").is_none());
    let nested = t.resolve_identifier::<NamedThing>("mixed_up").unwrap();
    assert!(ptr::eq(nested, &t.nested));
    for (i, thing) in t.array.iter().enumerate() {
        let found = t
            .resolve_identifier::<NamedThing>(&(i + 1).to_string())
            .unwrap();
        assert!(ptr::eq(found, thing));
    }
    for thing in t.map.values() {
        assert!(ptr::eq(
            t.resolve_identifier::<NamedThing>(&thing.key).unwrap(),
            thing
        ));
    }
    // Lookups change nothing: the same index answers.
    assert_eq!(t.identifier_index_footprint(), Some((models, bytes)));
}

#[test]
fn references_are_resolved_through_the_index_made_while_building() {
    let t = State::from_json_str(state::JSON).unwrap();
    assert_eq!(t.identifier_index_footprint().map(|f| f.0), Some(4));
    assert_eq!(t.initial_child_state.as_ref().unwrap().id, "child2");
    assert!(ptr::eq(
        t.resolve_identifier::<State>("child3").unwrap(),
        &t.child_states[2]
    ));

    let t = State::from_json_str(state::DEEP_JSON).unwrap();
    assert!(t.resolve_identifier::<State>("b1x").is_some());
    assert_eq!(t.identifier_index_footprint().map(|f| f.0), Some(17));

    let (t, _) = large_root();
    assert_eq!(t.identifier_index_footprint().map(|f| f.0), Some(492));
    assert!(t.resolve_identifier::<Car>("").is_none());
}

#[test]
fn a_tree_identified_only_at_its_root_has_no_index() {
    let t = NameExample::from_json_str(name_example::JSON).unwrap();
    assert_eq!(t.identifier_index_footprint(), None);
    assert!(ptr::eq(
        t.resolve_identifier::<NameExample>("test").unwrap(),
        t.root()
    ));
    assert!(t.resolve_identifier::<NameExample>("other").is_none());
    assert!(t.resolve_identifier::<NamedThing>("test").is_none());
    assert_eq!(t.identifier_index_footprint(), None, "still none");
}

#[test]
fn trees_are_independent() {
    let a = TestClassModel::from_json_str(test_class_model::SMALL_JSON).unwrap();
    let b = TestClassModel::from_json_str(test_class_model::BIG_JSON).unwrap();
    assert!(a.resolve_identifier::<NamedThing>("test_key").is_some());
    assert!(b.resolve_identifier::<NamedThing>("test_key").is_none());
    assert!(a.resolve_identifier::<NamedThing>("e").is_none());
    let nested_a = a.resolve_identifier::<NamedThing>("mixed_up").unwrap();
    let nested_b = b.resolve_identifier::<NamedThing>("mixed_up").unwrap();
    assert!(ptr::eq(nested_a, &a.nested) && ptr::eq(nested_b, &b.nested));
}

// ---------------------------------------------------------------------------
// Safe references.

#[derive(Model, Debug, PartialEq)]
struct Board {
    pins: Vec<Pin>,
    favourite: SafeRef<Pin>,
    recent: Vec<SafeRef<Pin>>,
    #[model(default)]
    pinned: Option<Ref<Pin>>,
}

#[derive(Model, Debug, PartialEq)]
struct Pin {
    #[model(identifier)]
    id: String,
}

#[test]
fn a_safe_reference_to_a_missing_target_is_none_and_writes_null() {
    let t = Board::from_json_str(
        r#"{"pins": [{"id": "a"}, {"id": "b"}], "favourite": "gone", "recent": ["b", "gone", "a"]}"#,
    )
    .unwrap();
    assert!(t.favourite.get().is_none());
    let recent: Vec<Option<&str>> = t
        .recent
        .iter()
        .map(|r| r.get().map(|p| p.id.as_str()))
        .collect();
    assert_eq!(recent, [Some("b"), None, Some("a")]);
    assert!(ptr::eq(t.recent[0].get().unwrap(), &t.pins[1]));
    assert_eq!(format!("{:?}", t.favourite), "SafeRef<Pin>(missing)");
    assert_eq!(format!("{:?}", t.recent[2]), r#"SafeRef<Pin>("a")"#);
    assert_eq!(
        t.to_snapshot(),
        json!({"pins": [{"id": "a"}, {"id": "b"}], "favourite": null, "recent": ["b", null, "a"], "pinned": null})
    );
}

/// Regression: a safe reference whose target was missing wrote `null`, and
/// instantiation refused `null` for it, so its snapshot did not round-trip.
#[test]
fn a_safe_reference_reads_null_as_no_target() {
    let t = Board::from_json_str(
        r#"{"pins": [{"id": "a"}], "favourite": "gone", "recent": [null, "a"]}"#,
    )
    .unwrap();
    let again = Board::from_json_str(&t.to_json()).unwrap();
    assert_eq!(*again, *t);
    assert!(again.favourite.get().is_none());
    assert!(again.recent[0].get().is_none());
    assert!(ptr::eq(again.recent[1].get().unwrap(), &again.pins[0]));
    let from_value = Board::from_json_value(&t.to_snapshot()).unwrap();
    assert_eq!(*from_value, *t);
    // Only null references: the identified pin is indexed all the same.
    let t = Board::from_json_str(r#"{"pins": [{"id": "a"}], "favourite": null, "recent": []}"#)
        .unwrap();
    assert!(t.favourite.get().is_none());
    assert_eq!(t.identifier_index_footprint().map(|f| f.0), Some(1));
    assert!(t.resolve_identifier::<Pin>("a").is_some());
    // A required reference still refuses null.
    let e = Board::from_json_str(r#"{"pins": [], "favourite": null, "recent": [], "pinned": "x"}"#)
        .unwrap_err();
    assert_eq!(e.path(), "/pinned");
    assert_eq!(
        e.kind(),
        &ErrorKind::DanglingReference {
            model: "Pin",
            id: "x".into()
        }
    );
}

#[test]
fn a_safe_and_a_required_reference_to_the_same_missing_id() {
    let e =
        Board::from_json_str(r#"{"pins": [], "favourite": "x", "recent": ["x"], "pinned": "x"}"#)
            .unwrap_err();
    assert_eq!(e.path(), "/pinned", "only the required one is an error");
}

// ---------------------------------------------------------------------------
// Integer identifiers.

#[derive(Model, Debug, PartialEq)]
struct Ticket {
    #[model(identifier)]
    number: u64,
    title: String,
}

#[derive(Model, Debug, PartialEq)]
struct Account {
    #[model(identifier)]
    id: i32,
}

#[derive(Model, Debug, PartialEq)]
struct Desk {
    tickets: Vec<Ticket>,
    accounts: Map<Account>,
    open: Vec<Ref<Ticket>>,
    owner: Ref<Account>,
    maybe: SafeRef<Ticket>,
}

#[test]
fn integer_identifiers_are_referenced_by_number_or_string() {
    let t = Desk::from_json_str(
        r#"{"open": [7, "7", 18446744073709551615, "18446744073709551615"], "owner": "-5", "maybe": 8,
            "tickets": [{"number": 7, "title": "seven"}, {"number": 18446744073709551615, "title": "max"}],
            "accounts": {"me": {"id": -5}}}"#,
    )
    .unwrap();
    assert!(ptr::eq(&*t.open[0], &t.tickets[0]));
    assert!(ptr::eq(&*t.open[1], &t.tickets[0]));
    assert!(ptr::eq(&*t.open[2], &t.tickets[1]));
    assert!(ptr::eq(&*t.open[3], &t.tickets[1]));
    assert!(ptr::eq(&*t.owner, &t.accounts["me"]));
    assert!(t.maybe.get().is_none());
    assert_eq!(
        t.resolve_identifier::<Ticket>("7")
            .map(|x| x.title.as_str()),
        Some("seven")
    );
    assert_eq!(
        t.resolve_identifier::<Account>("-5").map(|a| a.id),
        Some(-5)
    );
    assert!(t.resolve_identifier::<Ticket>("07").is_none());
    // Written back as numbers, whichever way they were given.
    assert_eq!(
        t.to_snapshot()["open"],
        json!([7, 7, 18446744073709551615u64, 18446744073709551615u64])
    );
    assert_eq!(t.to_snapshot()["owner"], json!(-5));
    assert_eq!(format!("{:?}", t.open[0]), r#"Ref<Ticket>("7")"#);
}

#[test]
fn integer_identifiers_match_by_decimal_form() {
    let e = Desk::from_json_str(
        r#"{"open": ["07"], "owner": -5, "maybe": null,
            "tickets": [{"number": 7, "title": "seven"}], "accounts": {"me": {"id": -5}}}"#,
    )
    .unwrap_err();
    assert_eq!(e.path(), "/open/0");
    assert_eq!(
        e.kind(),
        &ErrorKind::DanglingReference {
            model: "Ticket",
            id: "07".into()
        }
    );
    // The identifier itself must be an integer of its type.
    let e = Desk::from_json_str(
        r#"{"open": [], "owner": 1, "maybe": null, "tickets": [{"number": "7", "title": ""}], "accounts": {}}"#,
    )
    .unwrap_err();
    assert_eq!(e.path(), "/tickets/0/number");
    assert!(matches!(e.kind(), ErrorKind::WrongType { expected, .. } if expected == "integer"));
    // Two tickets numbered alike, one given as 7.0.
    let e = Desk::from_json_str(
        r#"{"open": [], "owner": 1, "maybe": null,
            "tickets": [{"number": 7, "title": ""}, {"number": 7.0, "title": ""}], "accounts": {"a": {"id": 1}}}"#,
    )
    .unwrap_err();
    assert_eq!(e.path(), "/tickets/1");
    assert_eq!(
        e.kind(),
        &ErrorKind::DuplicateIdentifier {
            model: "Ticket",
            id: "7".into()
        }
    );
}

// ---------------------------------------------------------------------------
// References as values.

#[test]
fn references_compare_by_their_targets_identifiers() {
    let a = State::from_json_str(state::JSON).unwrap();
    let b = State::from_json_str(state::JSON).unwrap();
    assert_eq!(a.initial_child_state, b.initial_child_state);
    let other = State::from_json_str(&state::JSON.replace(
        r#""initialChildState":"child2""#,
        r#""initialChildState":"child3""#,
    ))
    .unwrap();
    assert_ne!(a.initial_child_state, other.initial_child_state);
    assert_ne!(*a, *other);
    let target = a.initial_child_state.as_ref().unwrap();
    assert_eq!(format!("{target:?}"), r#"Ref<State>("child2")"#);
    assert!(ptr::eq(target.get(), &a.child_states[1]));
}

#[test]
fn a_union_root_resolves_its_variant_by_identifier() {
    #[derive(Model, Debug)]
    struct Cat {
        #[model(identifier)]
        id: String,
    }
    #[derive(Model, Debug)]
    struct Dog {
        #[model(identifier)]
        id: String,
    }
    #[derive(Model, Debug)]
    #[model(tag = "kind")]
    enum Pet {
        Cat(Cat),
        Dog(Dog),
    }
    let t = Pet::from_json_str(r#"{"kind": "Dog", "id": "rex"}"#).unwrap();
    let Pet::Dog(dog) = t.root() else {
        panic!("a dog")
    };
    assert!(ptr::eq(t.resolve_identifier::<Dog>("rex").unwrap(), dog));
    assert!(t.resolve_identifier::<Dog>("fido").is_none());
    assert!(t.resolve_identifier::<Cat>("rex").is_none());
}

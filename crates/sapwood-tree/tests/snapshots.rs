//! Snapshots out: every fixture round-trips (instance -> snapshot -> instance
//! gives equal data), defaults are filled in, references are written as
//! identifiers, numbers as JSON writes them; and a property test over
//! generated trees of every field type.

use std::fmt::Debug;

use proptest::prelude::*;
use sapwood::tree::{literal, Date, Frozen, Map, Model, Ref, SafeRef, Tree};
use sapwood_fixtures::fruit_aisle::{Fruit, FruitAisle};
use sapwood_fixtures::large_root::LargeRoot;
use sapwood_fixtures::name_example::{self, NameExample};
use sapwood_fixtures::state::{self, State};
use sapwood_fixtures::test_class_model::{self, TestClassModel};
use sapwood_fixtures::{FRUIT_AISLE_JSON, LARGE_ROOT_JSON};
use serde_json::{json, Value};

/// Instance -> snapshot -> instance, through the value and through the text:
/// equal data, equal snapshots. Returns the first instance.
fn round_trip<T: Model + PartialEq + Debug>(text: &str) -> Tree<T> {
    let first = T::from_json_str(text).unwrap();
    let snapshot = first.to_snapshot();
    let json = first.to_json();

    let from_value = T::from_json_value(&snapshot).unwrap();
    let from_text = T::from_json_str(&json).unwrap();
    assert_eq!(*from_value, *first, "through the snapshot value");
    assert_eq!(*from_text, *first, "through the snapshot text");
    assert_eq!(from_value.to_snapshot(), snapshot);
    assert_eq!(
        from_text.to_json(),
        json,
        "a snapshot of a snapshot is itself"
    );

    // The text forms agree with the value.
    let parsed: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(parsed, snapshot);
    let pretty: Value = serde_json::from_str(&first.to_json_pretty()).unwrap();
    assert_eq!(pretty, snapshot);
    let mut written = Vec::new();
    first.write_json(&mut written).unwrap();
    assert_eq!(String::from_utf8(written).unwrap(), json);
    first
}

#[test]
fn every_fixture_round_trips() {
    round_trip::<NameExample>(name_example::JSON);
    round_trip::<TestClassModel>(test_class_model::SMALL_JSON);
    round_trip::<TestClassModel>(test_class_model::BIG_JSON);
    round_trip::<State>(state::JSON);
    round_trip::<State>(state::DEEP_JSON);
    round_trip::<LargeRoot>(LARGE_ROOT_JSON);
    round_trip::<FruitAisle>(FRUIT_AISLE_JSON);
}

#[test]
fn large_roots_snapshot_is_the_fixture() {
    // The fixture gives every field, so its snapshot is the fixture itself,
    // references as their identifiers included.
    let t = round_trip::<LargeRoot>(LARGE_ROOT_JSON);
    let raw: Value = serde_json::from_str(LARGE_ROOT_JSON).unwrap();
    assert_eq!(t.to_snapshot(), raw);
    // In the model's field order, maps in the fixture's order.
    let snapshot = t.to_snapshot();
    let fields: Vec<&String> = snapshot.as_object().unwrap().keys().collect();
    assert_eq!(
        fields,
        [
            "type",
            "cars",
            "parts",
            "dealerships",
            "salespeople",
            "customers",
            "orders"
        ]
    );
    for field in ["cars", "parts", "orders"] {
        let out: Vec<&String> = snapshot[field].as_object().unwrap().keys().collect();
        let input: Vec<&String> = raw[field].as_object().unwrap().keys().collect();
        assert_eq!(out, input, "{field}");
    }
}

#[test]
fn references_are_written_as_identifiers() {
    let t = LargeRoot::from_json_str(LARGE_ROOT_JSON).unwrap();
    let snapshot = t.to_snapshot();
    let (order_key, order) = t.orders.get_index(0).unwrap();
    let out = &snapshot["orders"][order_key];
    assert_eq!(out["dealership"], json!(order.dealership.key));
    assert_eq!(out["salesperson"], json!(order.salesperson.key));
    assert_eq!(out["customer"], json!(order.customer.key));
    assert_eq!(
        out["lineItems"][0]["car"],
        json!(order.line_items[0].car.key)
    );
    let s = State::from_json_str(state::JSON).unwrap();
    assert_eq!(s.to_snapshot()["initialChildState"], "child2");
}

#[test]
fn the_text_is_the_value_written_compactly() {
    // Frozen JSON is written as it was read: with compact frozen text (or
    // none) the text is exactly the value's.
    for (text, exact) in [
        (to_json::<NameExample>(name_example::JSON), true),
        (to_json::<TestClassModel>(test_class_model::BIG_JSON), true),
        (to_json::<State>(state::DEEP_JSON), true),
        (to_json::<FruitAisle>(FRUIT_AISLE_JSON), true),
        (to_json::<LargeRoot>(LARGE_ROOT_JSON), false),
    ] {
        let (json, snapshot) = text;
        if exact {
            assert_eq!(json, snapshot.to_string());
        }
        assert_eq!(serde_json::from_str::<Value>(&json).unwrap(), snapshot);
    }
}

fn to_json<T: Model>(text: &str) -> (String, Value) {
    let t = T::from_json_str(text).unwrap();
    (t.to_json(), t.to_snapshot())
}

#[test]
fn integral_numbers_are_written_without_a_fraction() {
    let t = LargeRoot::from_json_str(LARGE_ROOT_JSON).unwrap();
    let json = t.to_json();
    let car = t.cars.values().next().unwrap();
    assert_eq!(car.year, 2015.0);
    assert!(json.contains(r#""year":2015,"#));
    assert!(!json.contains(".0,") && !json.contains(".0}"));
    #[derive(Model, Debug, PartialEq)]
    struct Numbers {
        values: Vec<f64>,
        single: f32,
    }
    let t = round_trip::<Numbers>(
        r#"{"values": [0, -0.0, 3.0, 2.5, -7, 1e21, 1.5e-7], "single": 4.0}"#,
    );
    assert_eq!(
        t.to_json(),
        r#"{"values":[0,0,3,2.5,-7,1e+21,1.5e-7],"single":4}"#
    );
}

/// Regression: serde_json's default float parsing is off by one unit in the
/// last place for about a third of all doubles, so an instance read back from
/// its own snapshot text could differ from it (sapwood-tree now enables
/// serde_json's `float_roundtrip`).
#[test]
fn floats_read_back_exactly() {
    #[derive(Model, Debug, PartialEq)]
    struct Reading {
        x: f64,
    }
    for text in [
        "1.0715660391465826e-75",
        "-1.674746997887835e-109",
        "-7.753925784445432e174",
        "0.30000000000000004",
        "5e-324",
        "1.7976931348623157e308",
    ] {
        let exact: f64 = text.parse().unwrap();
        let t = Reading::from_json_str(&format!(r#"{{"x": {text}}}"#)).unwrap();
        assert_eq!(t.x.to_bits(), exact.to_bits(), "{text}");
        let again = Reading::from_json_str(&t.to_json()).unwrap();
        assert_eq!(again.x.to_bits(), exact.to_bits(), "{text}");
    }
}

#[test]
fn defaults_are_filled_in() {
    let t = round_trip::<TestClassModel>(test_class_model::SMALL_JSON);
    assert!(!test_class_model::SMALL_JSON.contains("optional"));
    assert_eq!(t.to_snapshot()["optional"], "value");

    let s = round_trip::<State>(state::JSON);
    assert_eq!(
        s.to_snapshot(),
        json!({"id": "root", "childStates": [
            {"id": "child1", "childStates": [], "initialChildState": null},
            {"id": "child2", "childStates": [], "initialChildState": null},
            {"id": "child3", "childStates": [], "initialChildState": null}
        ], "initialChildState": "child2"})
    );

    let f = FruitAisle::from_json_str(
        r#"{"bins": {"a": {"count": 1, "fruit": {"type": "Apple", "ripeness": 2}},
                     "k": {"count": 2, "fruit": {"type": "Kiwi"}},
                     "p": {"count": 3, "fruit": {"type": "Pear"}},
                     "b": {"count": 4, "fruit": {"type": "Banana", "ripeness": 1}}}}"#,
    )
    .unwrap();
    assert_eq!(
        f.to_snapshot()["bins"],
        json!({
            "a": {"fruit": {"type": "Apple", "color": "red", "ripeness": 2}, "count": 1},
            "k": {"fruit": {"type": "Kiwi", "seedCount": 100}, "count": 2},
            "p": {"fruit": {"type": "Pear", "color": "green", "breed": "Bartlett"}, "count": 3},
            "b": {"fruit": {"type": "Banana", "spots": 0, "ripeness": 1}, "count": 4}
        })
    );
}

#[test]
fn absent_dates_and_literals_are_filled_in() {
    let mut raw: Value = serde_json::from_str(LARGE_ROOT_JSON).unwrap();
    let part = raw["parts"]
        .as_object()
        .unwrap()
        .keys()
        .next()
        .unwrap()
        .clone();
    let obj = raw["parts"][&part].as_object_mut().unwrap();
    obj.remove("createdAt");
    obj.remove("type");
    raw.as_object_mut().unwrap().remove("type");
    let before = Date::now().millis();
    let t = LargeRoot::from_json_value(&raw).unwrap();
    let after = Date::now().millis();
    let snapshot = t.to_snapshot();
    let created = snapshot["parts"][&part]["createdAt"].as_i64().unwrap();
    assert!(
        (before..=after).contains(&created),
        "{before} <= {created} <= {after}"
    );
    assert_eq!(snapshot["parts"][&part]["type"], "Part");
    assert_eq!(snapshot["type"], "LargeRoot");
    // With the defaults written, the snapshot reads back to equal data.
    assert_eq!(*LargeRoot::from_json_value(&snapshot).unwrap(), *t);
}

#[test]
fn unknown_fields_are_not_written() {
    // The fixture gives its aisle and bins a `type` the models do not have.
    let t = round_trip::<FruitAisle>(FRUIT_AISLE_JSON);
    let snapshot = t.to_snapshot();
    assert!(snapshot.get("type").is_none());
    assert!(snapshot["bins"]["appleBin1"].get("type").is_none());
    let mut raw: Value = serde_json::from_str(FRUIT_AISLE_JSON).unwrap();
    let raw_map = raw.as_object_mut().unwrap();
    raw_map.shift_remove("type");
    for bin in raw_map["bins"].as_object_mut().unwrap().values_mut() {
        bin.as_object_mut().unwrap().shift_remove("type");
        // Bananas in a bunch are not a union: their `type` is unknown too.
        if let Some(bananas) = bin["fruit"].get_mut("bananas") {
            for banana in bananas.as_array_mut().unwrap() {
                banana.as_object_mut().unwrap().shift_remove("type");
            }
        }
    }
    assert_eq!(snapshot, raw);
    assert_eq!(t.to_json(), raw.to_string(), "in the same order too");
    assert!(matches!(&t.bins["kiwiBin1"].fruit, Fruit::Kiwi(k) if k.seed_count == 100.0));
}

#[test]
fn views_and_volatiles_are_not_in_snapshots() {
    let t = NameExample::from_json_str(name_example::JSON).unwrap();
    assert_eq!(*t.name_length(), 4);
    assert_eq!(t.volatile_prop(), "test");
    assert_eq!(t.to_json(), r#"{"key":"test","name":"test"}"#);
}

// ---------------------------------------------------------------------------
// The property test: generated trees of every field type.

literal!(
    /// The `type` of a record.
    RecordKind = "record"
);

#[derive(Model, Debug, PartialEq, Clone, Copy)]
#[model(rename_all = "kebab-case")]
enum Mood {
    Calm,
    VeryAngry,
    #[model(rename = "ok?")]
    Fine,
}

const MOODS: [(&str, Mood); 3] = [
    ("calm", Mood::Calm),
    ("very-angry", Mood::VeryAngry),
    ("ok?", Mood::Fine),
];

#[derive(Model, Debug, PartialEq)]
#[model(rename_all = "camelCase")]
struct Item {
    #[model(identifier)]
    id: String,
    label: String,
    flag: bool,
    small: i8,
    count: u32,
    big: i64,
    huge: u64,
    ratio: f64,
    single: f32,
    maybe: Option<String>,
    tags: Vec<String>,
    attrs: Map<i32>,
    mood: Mood,
    #[model(default = Date::from_millis(42))]
    created_at: Date,
    extra: Frozen,
    #[model(default = "none".to_string())]
    note: String,
    #[model(rename = "type", default)]
    kind: RecordKind,
}

#[derive(Model, Debug, PartialEq)]
struct Node {
    #[model(identifier)]
    id: u32,
    children: Vec<Node>,
    favourite: Option<Ref<Item>>,
    watch: SafeRef<Item>,
    next: Option<Box<Node>>,
}

#[derive(Model, Debug, PartialEq)]
struct Circle {
    r: f64,
    labels: Map<String>,
}

#[derive(Model, Debug, PartialEq)]
struct Poly {
    points: Vec<Vec<f64>>,
    owner: Ref<Item>,
}

#[derive(Model, Debug, PartialEq)]
#[model(tag = "shape")]
enum Shape {
    Circle(Circle),
    Poly(Poly),
}

#[derive(Model, Debug, PartialEq)]
struct Scene {
    items: Map<Item>,
    nodes: Vec<Node>,
    shapes: Vec<Shape>,
    picks: Vec<Ref<Item>>,
    lookup: Map<Ref<Item>>,
}

/// What the generator made, before it is written as a snapshot.
#[derive(Debug, Clone)]
struct GenItem {
    prefix: String,
    label: String,
    flag: bool,
    small: i8,
    count: u32,
    big: i64,
    huge: u64,
    ratio: f64,
    single: f32,
    /// Absent, null, or a string.
    maybe: Option<Option<String>>,
    tags: Vec<String>,
    attrs: Vec<(String, i32)>,
    mood: usize,
    created_at: Option<i64>,
    extra: Value,
    note: Option<String>,
    kind: bool,
    unknown: Option<Value>,
    order: u64,
}

#[derive(Debug, Clone)]
enum Watch {
    Item(usize),
    Missing(String),
    Null,
}

#[derive(Debug, Clone)]
struct GenNode {
    children: Vec<GenNode>,
    favourite: Option<usize>,
    watch: Watch,
    next: Option<Box<GenNode>>,
    order: u64,
}

#[derive(Debug, Clone)]
enum GenShape {
    Circle {
        r: f64,
        labels: Vec<(String, String)>,
        order: u64,
    },
    Poly {
        points: Vec<Vec<f64>>,
        owner: usize,
        order: u64,
    },
}

#[derive(Debug, Clone)]
struct GenScene {
    items: Vec<(String, GenItem)>,
    nodes: Vec<GenNode>,
    shapes: Vec<GenShape>,
    picks: Vec<usize>,
    lookup: Vec<(String, usize)>,
    order: u64,
}

/// Short strings with the characters JSON escapes, and more.
fn text() -> impl Strategy<Value = String> {
    let special = prop::sample::select(vec![
        '"', '\\', '/', '~', '\n', '\t', '\u{0}', '\u{1f}', '\u{7f}', 'é', '🌲', '\u{2028}',
        '\u{feff}',
    ]);
    prop::collection::vec(prop_oneof![any::<char>(), special], 0..8)
        .prop_map(|chars| chars.into_iter().collect())
}

fn finite_f64() -> impl Strategy<Value = f64> {
    use proptest::num::f64::{NEGATIVE, NORMAL, POSITIVE, SUBNORMAL, ZERO};
    prop_oneof![
        POSITIVE | NEGATIVE | NORMAL | SUBNORMAL | ZERO,
        (-1_000_000i64..1_000_000).prop_map(|n| n as f64),
        (-1000i32..1000).prop_map(|n| n as f64 / 8.0),
    ]
}

fn finite_f32() -> impl Strategy<Value = f32> {
    use proptest::num::f32::{NEGATIVE, NORMAL, POSITIVE, SUBNORMAL, ZERO};
    prop_oneof![
        POSITIVE | NEGATIVE | NORMAL | SUBNORMAL | ZERO,
        (-1000i32..1000).prop_map(|n| n as f32),
    ]
}

/// Any JSON (for frozen fields and unknown keys).
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        finite_f64().prop_map(Value::from),
        text().prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((text(), inner), 0..4)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

fn gen_item() -> impl Strategy<Value = GenItem> {
    (
        (
            text().prop_map(|s| s.replace('#', "")),
            text(),
            any::<bool>(),
            any::<i8>(),
            any::<u32>(),
            any::<i64>(),
            any::<u64>(),
            finite_f64(),
            finite_f32(),
        ),
        (
            prop::option::of(prop::option::of(text())),
            prop::collection::vec(text(), 0..4),
            prop::collection::vec((text(), any::<i32>()), 0..4).prop_map(dedup),
            0..MOODS.len(),
            prop::option::of(any::<i64>()),
            any_json(),
            prop::option::of(text()),
            any::<bool>(),
            prop::option::of(any_json()),
            any::<u64>(),
        ),
    )
        .prop_map(
            |(
                (prefix, label, flag, small, count, big, huge, ratio, single),
                (maybe, tags, attrs, mood, created_at, extra, note, kind, unknown, order),
            )| GenItem {
                prefix,
                label,
                flag,
                small,
                count,
                big,
                huge,
                ratio,
                single,
                maybe,
                tags,
                attrs,
                mood,
                created_at,
                extra,
                note,
                kind,
                unknown,
                order,
            },
        )
}

fn gen_watch() -> impl Strategy<Value = Watch> {
    prop_oneof![
        any::<usize>().prop_map(Watch::Item),
        text().prop_map(|s| Watch::Missing(format!("missing#{s}"))),
        Just(Watch::Null),
    ]
}

fn gen_node() -> impl Strategy<Value = GenNode> {
    let leaf = (prop::option::of(any::<usize>()), gen_watch(), any::<u64>()).prop_map(
        |(favourite, watch, order)| GenNode {
            children: Vec::new(),
            favourite,
            watch,
            next: None,
            order,
        },
    );
    leaf.prop_recursive(3, 16, 3, |inner| {
        (
            prop::collection::vec(inner.clone(), 0..3),
            prop::option::of(any::<usize>()),
            gen_watch(),
            prop::option::of(inner.prop_map(Box::new)),
            any::<u64>(),
        )
            .prop_map(|(children, favourite, watch, next, order)| GenNode {
                children,
                favourite,
                watch,
                next,
                order,
            })
    })
}

fn gen_shape() -> impl Strategy<Value = GenShape> {
    prop_oneof![
        (
            finite_f64(),
            prop::collection::vec((text(), text()), 0..4).prop_map(dedup),
            any::<u64>()
        )
            .prop_map(|(r, labels, order)| GenShape::Circle { r, labels, order }),
        (
            prop::collection::vec(prop::collection::vec(finite_f64(), 0..3), 0..3),
            any::<usize>(),
            any::<u64>()
        )
            .prop_map(|(points, owner, order)| GenShape::Poly {
                points,
                owner,
                order
            }),
    ]
}

fn gen_scene() -> impl Strategy<Value = GenScene> {
    (
        prop::collection::vec((text(), gen_item()), 1..5),
        prop::collection::vec(gen_node(), 0..3),
        prop::collection::vec(gen_shape(), 0..4),
        prop::collection::vec(any::<usize>(), 0..5),
        prop::collection::vec((text(), any::<usize>()), 0..4),
        any::<u64>(),
    )
        .prop_map(|(items, nodes, shapes, picks, lookup, order)| GenScene {
            items: dedup(items),
            nodes,
            shapes,
            picks,
            lookup: dedup(lookup),
            order,
        })
}

/// Keeps the first entry of each key, in order.
fn dedup<T>(entries: Vec<(String, T)>) -> Vec<(String, T)> {
    let mut seen = std::collections::HashSet::new();
    entries
        .into_iter()
        .filter(|(k, _)| seen.insert(k.clone()))
        .collect()
}

/// An object of `fields` in an order shuffled by `seed` (a `Value` keeps its
/// insertion order: serde_json's `preserve_order`).
fn object(mut fields: Vec<(&str, Value)>, seed: u64) -> Value {
    let mut s = seed | 1;
    for i in (1..fields.len()).rev() {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        fields.swap(i, (s % (i as u64 + 1)) as usize);
    }
    Value::Object(
        fields
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
}

fn map_of<T: Clone + Into<Value>>(entries: &[(String, T)]) -> Value {
    Value::Object(
        entries
            .iter()
            .map(|(k, v)| (k.clone(), v.clone().into()))
            .collect(),
    )
}

impl GenScene {
    fn item_id(&self, i: usize) -> String {
        let i = i % self.items.len();
        format!("{}#{i}", self.items[i].1.prefix)
    }

    fn snapshot(&self) -> Value {
        let items = self
            .items
            .iter()
            .enumerate()
            .map(|(i, (key, item))| (key.clone(), self.item(i, item)))
            .collect();
        let mut next_id = 0;
        let nodes = self
            .nodes
            .iter()
            .map(|n| self.node(n, &mut next_id))
            .collect();
        let shapes = self.shapes.iter().map(|s| self.shape(s)).collect();
        let picks = self
            .picks
            .iter()
            .map(|&i| Value::from(self.item_id(i)))
            .collect();
        let lookup: Vec<(String, String)> = self
            .lookup
            .iter()
            .map(|(k, i)| (k.clone(), self.item_id(*i)))
            .collect();
        object(
            vec![
                ("items", Value::Object(items)),
                ("nodes", Value::Array(nodes)),
                ("shapes", Value::Array(shapes)),
                ("picks", Value::Array(picks)),
                ("lookup", map_of(&lookup)),
            ],
            self.order,
        )
    }

    fn item(&self, i: usize, g: &GenItem) -> Value {
        let mut fields = vec![
            ("id", Value::from(self.item_id(i))),
            ("label", Value::from(g.label.clone())),
            ("flag", Value::from(g.flag)),
            ("small", Value::from(g.small)),
            ("count", Value::from(g.count)),
            ("big", Value::from(g.big)),
            ("huge", Value::from(g.huge)),
            ("ratio", Value::from(g.ratio)),
            ("single", Value::from(g.single)),
            ("tags", Value::from(g.tags.clone())),
            ("attrs", map_of(&g.attrs)),
            ("mood", Value::from(MOODS[g.mood].0)),
            ("extra", g.extra.clone()),
        ];
        if let Some(maybe) = &g.maybe {
            fields.push(("maybe", maybe.clone().map_or(Value::Null, Value::from)));
        }
        if let Some(ms) = g.created_at {
            fields.push(("createdAt", Value::from(ms)));
        }
        if let Some(note) = &g.note {
            fields.push(("note", Value::from(note.clone())));
        }
        if g.kind {
            fields.push(("type", Value::from("record")));
        }
        if let Some(unknown) = &g.unknown {
            fields.push(("somethingElse", unknown.clone()));
        }
        object(fields, g.order)
    }

    fn node(&self, g: &GenNode, next_id: &mut u32) -> Value {
        let id = *next_id;
        *next_id += 1;
        let children = g.children.iter().map(|c| self.node(c, next_id)).collect();
        let next = g
            .next
            .as_ref()
            .map_or(Value::Null, |n| self.node(n, next_id));
        let watch = match &g.watch {
            Watch::Item(i) => Value::from(self.item_id(*i)),
            Watch::Missing(id) => Value::from(id.clone()),
            Watch::Null => Value::Null,
        };
        let mut fields = vec![
            ("id", Value::from(id)),
            ("children", Value::Array(children)),
            ("watch", watch),
            ("next", next),
        ];
        if let Some(f) = g.favourite {
            fields.push(("favourite", Value::from(self.item_id(f))));
        }
        object(fields, g.order)
    }

    fn shape(&self, g: &GenShape) -> Value {
        match g {
            GenShape::Circle { r, labels, order } => object(
                vec![
                    ("shape", Value::from("Circle")),
                    ("r", Value::from(*r)),
                    ("labels", map_of(labels)),
                ],
                *order,
            ),
            GenShape::Poly {
                points,
                owner,
                order,
            } => object(
                vec![
                    ("shape", Value::from("Poly")),
                    ("points", Value::from(points.clone())),
                    ("owner", Value::from(self.item_id(*owner))),
                ],
                *order,
            ),
        }
    }
}

/// Checks the instance against what was generated.
fn check_content(g: &GenScene, t: &Tree<Scene>) {
    let keys: Vec<&str> = g.items.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(t.items.keys().collect::<Vec<_>>(), keys);
    for (i, ((key, gi), item)) in g.items.iter().zip(t.items.values()).enumerate() {
        assert_eq!(item.id, g.item_id(i), "{key}");
        assert_eq!(item.label, gi.label);
        assert_eq!(
            (item.flag, item.small, item.count, item.big, item.huge),
            (gi.flag, gi.small, gi.count, gi.big, gi.huge)
        );
        assert_eq!(item.ratio, gi.ratio);
        assert_eq!(item.single, gi.single);
        assert_eq!(item.maybe, gi.maybe.clone().flatten());
        assert_eq!(item.tags, gi.tags);
        let attrs: Vec<(String, i32)> = item
            .attrs
            .iter()
            .map(|(k, v)| (k.to_string(), *v))
            .collect();
        assert_eq!(attrs, gi.attrs);
        assert_eq!(item.mood, MOODS[gi.mood].1);
        assert_eq!(item.created_at.millis(), gi.created_at.unwrap_or(42));
        assert_eq!(item.extra.to_value(), gi.extra);
        assert_eq!(item.note, gi.note.clone().unwrap_or_else(|| "none".into()));
        assert!(std::ptr::eq(
            t.resolve_identifier::<Item>(&item.id).unwrap(),
            item
        ));
    }
    let picks: Vec<String> = g.picks.iter().map(|&i| g.item_id(i)).collect();
    assert_eq!(
        t.picks.iter().map(|r| r.id.clone()).collect::<Vec<_>>(),
        picks
    );
    for ((key, i), (tk, target)) in g.lookup.iter().zip(t.lookup.iter()) {
        assert_eq!(key, tk);
        assert_eq!(target.id, g.item_id(*i));
    }
    assert_eq!(g.lookup.len(), t.lookup.len());
    for (gn, node) in g.nodes.iter().zip(&t.nodes) {
        check_node(g, gn, node);
    }
    assert_eq!(g.shapes.len(), t.shapes.len());
    for (gs, shape) in g.shapes.iter().zip(&t.shapes) {
        match (gs, shape) {
            (GenShape::Circle { r, labels, .. }, Shape::Circle(c)) => {
                assert_eq!(c.r, *r);
                let got: Vec<(String, String)> = c
                    .labels
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.clone()))
                    .collect();
                assert_eq!(&got, labels);
            }
            (GenShape::Poly { points, owner, .. }, Shape::Poly(p)) => {
                assert_eq!(&p.points, points);
                assert_eq!(p.owner.id, g.item_id(*owner));
            }
            (g, t) => panic!("{g:?} built as {t:?}"),
        }
    }
}

fn check_node(g: &GenScene, gn: &GenNode, node: &Node) {
    assert_eq!(
        node.favourite.as_ref().map(|r| r.id.clone()),
        gn.favourite.map(|i| g.item_id(i))
    );
    match &gn.watch {
        Watch::Item(i) => assert_eq!(node.watch.get().map(|x| x.id.clone()), Some(g.item_id(*i))),
        Watch::Missing(_) | Watch::Null => assert!(node.watch.get().is_none()),
    }
    assert_eq!(gn.children.len(), node.children.len());
    for (gc, c) in gn.children.iter().zip(&node.children) {
        check_node(g, gc, c);
    }
    match (&gn.next, &node.next) {
        (Some(gn), Some(n)) => check_node(g, gn, n),
        (None, None) => {}
        (a, b) => panic!("next: {a:?} vs {b:?}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn generated_trees_round_trip(g in gen_scene()) {
        let snapshot = g.snapshot();
        let text = snapshot.to_string();

        let from_text = Scene::from_json_str(&text).unwrap();
        let from_value = Scene::from_json_value(&snapshot).unwrap();
        prop_assert_eq!(&*from_text, &*from_value);
        check_content(&g, &from_text);

        // Instance -> snapshot -> instance, through the value and the text.
        let out = from_text.to_snapshot();
        let again = Scene::from_json_value(&out).unwrap();
        prop_assert_eq!(&*again, &*from_text);
        let json = from_text.to_json();
        let again_text = Scene::from_json_str(&json).unwrap();
        prop_assert_eq!(&*again_text, &*from_text);
        prop_assert_eq!(again.to_snapshot(), out.clone());
        prop_assert_eq!(again_text.to_json(), json.clone());
        prop_assert_eq!(serde_json::from_str::<Value>(&json).unwrap(), out.clone());

        // Defaults filled in, unknown fields dropped, the tag written first.
        for item in out["items"].as_object().unwrap().values() {
            prop_assert!(item.get("createdAt").is_some() && item.get("note").is_some());
            prop_assert_eq!(&item["type"], "record");
            prop_assert!(item.get("somethingElse").is_none());
            prop_assert!(item.get("maybe").is_some());
        }
        for shape in out["shapes"].as_array().unwrap() {
            prop_assert_eq!(shape.as_object().unwrap().keys().next().unwrap(), "shape");
        }
    }
}

//! Instantiation: every field type, from JSON text and from a
//! `serde_json::Value`, with the same result both ways.

use sapwood::tree::{literal, Date, ErrorKind, Frozen, Map, Model, Ref, SafeRef, Tree, MAX_QUOTED};
use sapwood_fixtures::fruit_aisle::{Fruit, FruitAisle, Size};
use sapwood_fixtures::state::{self, State};
use sapwood_fixtures::test_class_model::{self, TestClassModel};
use serde_json::{json, Value};

/// Builds `T` from `text` and from the same text parsed into a `Value`,
/// checks both trees are equal, and returns the one built from text.
fn both<T: Model + PartialEq + std::fmt::Debug>(text: &str) -> Tree<T> {
    let from_text = T::from_json_str(text).unwrap_or_else(|e| panic!("from text: {e}"));
    let value: Value = serde_json::from_str(text).expect("test JSON is valid");
    let from_value = T::from_json_value(&value).unwrap_or_else(|e| panic!("from value: {e}"));
    assert_eq!(
        *from_text, *from_value,
        "text and value disagree for {text}"
    );
    let from_slice = Tree::<T>::from_json_slice(text.as_bytes()).expect("from bytes");
    assert_eq!(*from_text, *from_slice, "text and bytes disagree");
    from_text
}

/// The error of `text`, which must be the same (path and kind) from a `Value`.
fn refused<T: Model + std::fmt::Debug>(text: &str) -> sapwood::tree::Error {
    let e = T::from_json_str(text).expect_err("the snapshot is refused");
    let value: Value = serde_json::from_str(text).expect("test JSON is valid");
    let v = T::from_json_value(&value).expect_err("the value is refused");
    assert_eq!((e.path(), e.kind()), (v.path(), v.kind()), "text vs value");
    e
}

// ---------------------------------------------------------------------------
// Leaves: strings, booleans, integers, floats.

#[derive(Model, Debug, PartialEq)]
struct Leaves {
    text: String,
    flag: bool,
    i8: i8,
    i16: i16,
    i32: i32,
    i64: i64,
    u8: u8,
    u16: u16,
    u32: u32,
    u64: u64,
    f32: f32,
    f64: f64,
}

#[test]
fn leaves_from_text_and_value() {
    let t = both::<Leaves>(
        r#"{"text": "h\u00e9llo \"w\" \\ 🌲\n", "flag": true,
            "i8": -128, "i16": 32767, "i32": -2147483648, "i64": -9223372036854775808,
            "u8": 255, "u16": 65535, "u32": 4294967295, "u64": 18446744073709551615,
            "f32": 1.5, "f64": -2.25e-3}"#,
    );
    assert_eq!(t.text, "héllo \"w\" \\ 🌲\n");
    assert!(t.flag);
    assert_eq!(
        (t.i8, t.i16, t.i32, t.i64),
        (i8::MIN, i16::MAX, i32::MIN, i64::MIN)
    );
    assert_eq!(
        (t.u8, t.u16, t.u32, t.u64),
        (u8::MAX, u16::MAX, u32::MAX, u64::MAX)
    );
    assert_eq!(t.f32, 1.5);
    assert_eq!(t.f64, -0.00225);
}

#[derive(Model, Debug, PartialEq)]
struct Floats {
    single: f32,
    double: f64,
}

#[test]
fn floats_accept_integers() {
    let t = both::<Floats>(r#"{"single": 3, "double": -7}"#);
    assert_eq!((t.single, t.double), (3.0, -7.0));
    let t = both::<Floats>(r#"{"single": 0, "double": 18446744073709551615}"#);
    assert_eq!((t.single, t.double), (0.0, 18446744073709551615.0));
    let t = both::<Floats>(r#"{"single": 1e3, "double": 1.7976931348623157e308}"#);
    assert_eq!((t.single, t.double), (1000.0, f64::MAX));
}

/// Regression: a number beyond `f32`'s range used to become infinite, which
/// a snapshot writes as `null`, which instantiation then refused.
#[test]
fn f32_out_of_range_is_refused_not_infinite() {
    for big in ["1e39", "-3.5e38"] {
        let e = refused::<Floats>(&format!(r#"{{"single": {big}, "double": 0}}"#));
        assert_eq!(e.path(), "/single");
        match e.kind() {
            ErrorKind::InvalidValue { expected, found } => {
                assert_eq!(expected, "number from -3.4028235e38 to 3.4028235e38");
                assert_eq!(found.parse::<f64>().unwrap(), big.parse::<f64>().unwrap());
            }
            other => panic!("expected InvalidValue, got {other:?}"),
        }
    }
    // The largest f32 itself is fine, and round-trips.
    let t = both::<Floats>(r#"{"single": 3.4028235e38, "double": 0}"#);
    assert_eq!(t.single, f32::MAX);
    assert_eq!(
        Floats::from_json_str(&t.to_json()).unwrap().single,
        f32::MAX
    );
}

#[derive(Model, Debug, PartialEq)]
struct Ints {
    i8: i8,
    i16: i16,
    i32: i32,
    i64: i64,
    u8: u8,
    u16: u16,
    u32: u32,
    u64: u64,
}

/// A snapshot of `Ints` with every field 0 but `field`, which is `value`.
fn ints_with(field: &str, value: &str) -> String {
    let mut parts = Vec::new();
    for f in ["i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64"] {
        let v = if f == field { value } else { "0" };
        parts.push(format!("\"{f}\": {v}"));
    }
    format!("{{{}}}", parts.join(", "))
}

#[test]
fn integers_out_of_range_are_invalid_values() {
    let cases: [(&str, i128, i128); 8] = [
        ("i8", i8::MIN as i128, i8::MAX as i128),
        ("i16", i16::MIN as i128, i16::MAX as i128),
        ("i32", i32::MIN as i128, i32::MAX as i128),
        ("i64", i64::MIN as i128, i64::MAX as i128),
        ("u8", 0, u8::MAX as i128),
        ("u16", 0, u16::MAX as i128),
        ("u32", 0, u32::MAX as i128),
        ("u64", 0, u64::MAX as i128),
    ];
    for (field, min, max) in cases {
        // The bounds themselves are accepted.
        for ok in [min, max] {
            let t = both::<Ints>(&ints_with(field, &ok.to_string()));
            let got = match field {
                "i8" => t.i8 as i128,
                "i16" => t.i16 as i128,
                "i32" => t.i32 as i128,
                "i64" => t.i64 as i128,
                "u8" => t.u8 as i128,
                "u16" => t.u16 as i128,
                "u32" => t.u32 as i128,
                _ => t.u64 as i128,
            };
            assert_eq!(got, ok, "{field}");
        }
        // One past either bound is refused, when JSON can say it exactly.
        let mut outside = vec![min - 1];
        if max < u64::MAX as i128 {
            outside.push(max + 1);
        }
        for bad in outside {
            if bad < i64::MIN as i128 {
                continue; // not an integer serde_json reads exactly
            }
            let e = refused::<Ints>(&ints_with(field, &bad.to_string()));
            assert_eq!(e.path(), format!("/{field}"));
            assert_eq!(
                e.kind(),
                &ErrorKind::InvalidValue {
                    expected: format!("integer from {min} to {max}"),
                    found: bad.to_string(),
                },
                "{field} = {bad}"
            );
        }
    }
}

#[test]
fn integers_accept_integral_numbers_and_refuse_fractions() {
    let t = both::<Ints>(&ints_with("u16", "5.0"));
    assert_eq!(t.u16, 5);
    let t = both::<Ints>(&ints_with("i32", "-1e3"));
    assert_eq!(t.i32, -1000);
    let e = refused::<Ints>(&ints_with("u8", "1.5"));
    assert_eq!(e.path(), "/u8");
    assert_eq!(
        e.kind(),
        &ErrorKind::WrongType {
            expected: "integer".into(),
            found: "1.5".into()
        }
    );
    let e = refused::<Ints>(&ints_with("i64", "\"7\""));
    assert_eq!(
        e.kind(),
        &ErrorKind::WrongType {
            expected: "integer".into(),
            found: "\"7\"".into()
        }
    );
}

// ---------------------------------------------------------------------------
// Options, defaults, arrays, boxes.

#[derive(Model, Debug, PartialEq)]
struct Inner {
    n: u32,
}

#[derive(Model, Debug, PartialEq)]
struct Optionals {
    text: Option<String>,
    number: Option<i64>,
    inner: Option<Inner>,
    list: Option<Vec<u8>>,
}

#[test]
fn options_are_none_when_absent_or_null() {
    let absent = both::<Optionals>("{}");
    let null = both::<Optionals>(r#"{"text": null, "number": null, "inner": null, "list": null}"#);
    for t in [&absent, &null] {
        assert_eq!(
            **t,
            Optionals {
                text: None,
                number: None,
                inner: None,
                list: None
            }
        );
    }
    let some = both::<Optionals>(r#"{"text": "", "number": 0, "inner": {"n": 4}, "list": []}"#);
    assert_eq!(some.text.as_deref(), Some(""));
    assert_eq!(some.number, Some(0));
    assert_eq!(some.inner, Some(Inner { n: 4 }));
    assert_eq!(some.list.as_deref(), Some(&[][..]));
}

fn seven() -> u32 {
    7
}

#[derive(Model, Debug, PartialEq)]
#[model(rename_all = "camelCase")]
struct Defaults {
    #[model(default)]
    count: u32,
    #[model(default)]
    label: String,
    #[model(default)]
    enabled: bool,
    #[model(default = 2.5)]
    ratio: f64,
    #[model(default = "value".to_string())]
    optional: String,
    #[model(default = seven())]
    by_function: u32,
    #[model(default = Date::from_millis(1_000))]
    created_at: Date,
    #[model(default = Some(3))]
    maybe: Option<u8>,
}

#[test]
fn defaults_fill_absent_fields_only() {
    let t = both::<Defaults>("{}");
    assert_eq!(t.count, 0);
    assert_eq!(t.label, "");
    assert!(!t.enabled);
    assert_eq!(t.ratio, 2.5);
    assert_eq!(t.optional, "value");
    assert_eq!(t.by_function, 7);
    assert_eq!(t.created_at, Date::from_millis(1_000));
    assert_eq!(t.maybe, Some(3));

    let t = both::<Defaults>(
        r#"{"count": 9, "label": "x", "enabled": true, "ratio": 0, "optional": "given",
            "byFunction": 1, "createdAt": 5, "maybe": null}"#,
    );
    assert_eq!(
        (t.count, t.label.as_str(), t.enabled, t.ratio),
        (9, "x", true, 0.0)
    );
    assert_eq!(
        (t.optional.as_str(), t.by_function, t.created_at.millis()),
        ("given", 1, 5)
    );
    assert_eq!(t.maybe, None, "an explicit null is not absent");
}

#[test]
fn a_field_without_default_is_required() {
    let e = refused::<Inner>("{}");
    assert_eq!(e.path(), "");
    assert_eq!(
        e.kind(),
        &ErrorKind::MissingField {
            model: "Inner",
            field: "n"
        }
    );
    // A default does not make null acceptable.
    let e = refused::<Defaults>(r#"{"count": null}"#);
    assert_eq!(e.path(), "/count");
    assert!(matches!(e.kind(), ErrorKind::WrongType { found, .. } if found == "null"));
}

#[derive(Model, Debug, PartialEq)]
struct Arrays {
    numbers: Vec<i32>,
    inners: Vec<Inner>,
    nested: Vec<Vec<String>>,
}

#[test]
fn arrays_keep_order_and_are_empty_when_absent() {
    let t = both::<Arrays>("{}");
    assert!(t.numbers.is_empty() && t.inners.is_empty() && t.nested.is_empty());
    let t = both::<Arrays>(
        r#"{"numbers": [3, -1, 2], "inners": [{"n": 2}, {"n": 1}], "nested": [[], ["a", "b"]]}"#,
    );
    assert_eq!(t.numbers, [3, -1, 2]);
    assert_eq!(t.inners, [Inner { n: 2 }, Inner { n: 1 }]);
    assert_eq!(t.nested, [vec![], vec!["a".to_string(), "b".to_string()]]);
}

#[derive(Model, Debug, PartialEq)]
struct Boxes {
    boxed: Box<Inner>,
    maybe: Option<Box<Inner>>,
    optional: Box<Option<Inner>>,
}

#[test]
fn boxes_hold_their_content() {
    let t = both::<Boxes>(r#"{"boxed": {"n": 1}, "maybe": {"n": 2}}"#);
    assert_eq!(t.boxed.n, 1);
    assert_eq!(t.maybe.as_ref().map(|b| b.n), Some(2));
    assert!(
        t.optional.is_none(),
        "a box takes its content's absent value"
    );
    let e = refused::<Boxes>(r#"{"maybe": null}"#);
    assert_eq!(
        e.kind(),
        &ErrorKind::MissingField {
            model: "Boxes",
            field: "boxed"
        }
    );
}

// ---------------------------------------------------------------------------
// Maps.

#[derive(Model, Debug, PartialEq)]
struct Shelf {
    items: Map<Inner>,
    counts: Map<u64>,
}

#[test]
fn maps_keep_snapshot_order() {
    let t = both::<Shelf>(
        r#"{"items": {"zeta": {"n": 1}, "alpha": {"n": 2}, "mid dle": {"n": 3}, "": {"n": 4}},
            "counts": {"b": 2, "a": 1, "c": 3}}"#,
    );
    assert_eq!(
        t.items.keys().collect::<Vec<_>>(),
        ["zeta", "alpha", "mid dle", ""]
    );
    assert_eq!(
        t.items.values().map(|i| i.n).collect::<Vec<_>>(),
        [1, 2, 3, 4]
    );
    assert_eq!(
        t.items.get_index(1).map(|(k, v)| (k, v.n)),
        Some(("alpha", 2))
    );
    assert_eq!(t.items.get_index(4).map(|(k, _)| k), None);
    assert_eq!(t.items["mid dle"].n, 3);
    assert_eq!(t.items.get("nope"), None);
    assert!(t.items.contains_key("") && !t.items.contains_key("ZETA"));
    assert_eq!((t.items.len(), t.items.is_empty()), (4, false));
    let pairs: Vec<(&str, u64)> = (&t.counts).into_iter().map(|(k, v)| (k, *v)).collect();
    assert_eq!(pairs, [("b", 2), ("a", 1), ("c", 3)]);
    assert_eq!(t.counts.iter().len(), 3);
}

#[test]
fn maps_are_empty_when_absent() {
    let t = both::<Shelf>("{}");
    assert!(t.items.is_empty() && t.counts.is_empty());
    assert_eq!(t.items.len(), 0);
}

#[test]
fn maps_built_from_a_value_keep_its_order() {
    // Built as a `Value` (not parsed): insertion order "z", "a", "m".
    let mut items = serde_json::Map::new();
    for (k, n) in [("z", 1), ("a", 2), ("m", 3)] {
        items.insert(k.to_string(), json!({ "n": n }));
    }
    let value = json!({ "items": Value::Object(items) });
    let t = Shelf::from_json_value(&value).unwrap();
    assert_eq!(t.items.keys().collect::<Vec<_>>(), ["z", "a", "m"]);
}

#[test]
fn a_map_key_need_not_equal_the_identifier() {
    let t = both::<TestClassModel>(test_class_model::BIG_JSON);
    assert_eq!(t.map.keys().collect::<Vec<_>>(), ["a", "b", "c", "d", "f"]);
    assert_eq!(t.map["d"].key, "e");
    assert_eq!(t.map["d"].name, "Map Item E");
    let e = t
        .resolve_identifier::<test_class_model::NamedThing>("e")
        .unwrap();
    assert!(std::ptr::eq(e, &t.map["d"]));
    assert!(t
        .resolve_identifier::<test_class_model::NamedThing>("d")
        .is_none());
}

// ---------------------------------------------------------------------------
// Nested models, enumerations, literals.

#[derive(Model, Debug, PartialEq)]
struct Outer {
    inner: Inner,
    deeper: Middle,
}

#[derive(Model, Debug, PartialEq)]
struct Middle {
    inner: Inner,
    label: String,
}

#[test]
fn nested_models() {
    let t = both::<Outer>(r#"{"inner": {"n": 1}, "deeper": {"label": "m", "inner": {"n": 2}}}"#);
    assert_eq!(t.inner, Inner { n: 1 });
    assert_eq!(t.deeper.inner.n, 2);
    assert_eq!(t.deeper.label, "m");
    let e = refused::<Outer>(r#"{"inner": {"n": 1}, "deeper": {"label": "m", "inner": {}}}"#);
    assert_eq!(e.path(), "/deeper/inner");
}

#[derive(Model, Debug, PartialEq, Clone, Copy)]
#[model(rename_all = "SCREAMING_SNAKE_CASE")]
enum Level {
    Low,
    VeryHigh,
    #[model(rename = "mid")]
    Medium,
}

#[derive(Model, Debug, PartialEq, Clone, Copy)]
enum Plain {
    First,
    Second,
}

#[derive(Model, Debug, PartialEq)]
struct Levels {
    levels: Vec<Level>,
    plain: Plain,
    size: Option<Size>,
}

#[test]
fn enumerations() {
    let t = both::<Levels>(
        r#"{"levels": ["LOW", "VERY_HIGH", "mid", "LOW"], "plain": "Second", "size": "large"}"#,
    );
    assert_eq!(
        t.levels,
        [Level::Low, Level::VeryHigh, Level::Medium, Level::Low]
    );
    assert_eq!(t.plain, Plain::Second);
    assert_eq!(t.size, Some(Size::Large));
    assert_eq!(
        t.to_snapshot(),
        json!({"levels": ["LOW", "VERY_HIGH", "mid", "LOW"], "plain": "Second", "size": "large"})
    );
    // The renamed variant answers only to its new name.
    let e = refused::<Levels>(r#"{"levels": ["MEDIUM"], "plain": "First"}"#);
    assert_eq!(e.path(), "/levels/0");
    assert_eq!(
        e.kind(),
        &ErrorKind::InvalidValue {
            expected: r#"one of "LOW", "VERY_HIGH", "mid""#.into(),
            found: r#""MEDIUM""#.into()
        }
    );
}

literal!(
    /// The `kind` of a widget.
    WidgetKind = "widget"
);

literal!(
    /// A version marker.
    VersionTwo = "v2"
);

#[derive(Model, Debug, PartialEq)]
struct Widget {
    #[model(default)]
    kind: WidgetKind,
    version: VersionTwo,
}

#[test]
fn literals() {
    let t = both::<Widget>(r#"{"version": "v2"}"#);
    assert_eq!(t.kind.as_str(), "widget");
    assert_eq!(WidgetKind::VALUE, "widget");
    assert_eq!(t.version, VersionTwo);
    let t = both::<Widget>(r#"{"kind": "widget", "version": "v2"}"#);
    assert_eq!(t.to_snapshot(), json!({"kind": "widget", "version": "v2"}));
    let e = refused::<Widget>(r#"{"kind": "gadget", "version": "v2"}"#);
    assert_eq!(e.path(), "/kind");
    assert_eq!(
        e.kind(),
        &ErrorKind::InvalidValue {
            expected: r#""widget""#.into(),
            found: r#""gadget""#.into()
        }
    );
    let e = refused::<Widget>(r#"{"version": 2}"#);
    assert_eq!(
        e.kind(),
        &ErrorKind::WrongType {
            expected: r#""v2""#.into(),
            found: "2".into()
        }
    );
    let e = refused::<Widget>("{}");
    assert_eq!(
        e.kind(),
        &ErrorKind::MissingField {
            model: "Widget",
            field: "version"
        }
    );
}

// ---------------------------------------------------------------------------
// Unions.

const FRUITS: &str = r#"{"bins": {
    "a": {"count": 1, "fruit": {"type": "Apple", "ripeness": 3}},
    "b": {"count": 2, "fruit": {"ripeness": 4, "color": "green", "type": "Apple"}},
    "c": {"count": 3, "fruit": {"origin": "Peru", "type": "BananaBunch",
                                "bananas": [{"ripeness": 1}, {"spots": 2, "ripeness": 2.5}]}},
    "d": {"count": 4, "fruit": {"type": "Pear", "breed": "Anjou"}},
    "e": {"count": 5, "fruit": {"type": "Kiwi"}},
    "f": {"count": 6, "fruit": {"size": "medium", "type": "Orange"}},
    "g": {"count": 7, "fruit": {"type": "Passionfruit", "color": "purple"}},
    "h": {"count": 8, "fruit": {"type": "Banana", "ripeness": 9}}
}}"#;

#[test]
fn unions_dispatch_on_their_tag_wherever_it_is() {
    let t = both::<FruitAisle>(FRUITS);
    let fruit = |k: &str| &t.bins[k].fruit;
    match fruit("a") {
        Fruit::Apple(a) => assert_eq!((a.color.as_str(), a.ripeness), ("red", 3)),
        other => panic!("{other:?}"),
    }
    match fruit("b") {
        Fruit::Apple(a) => assert_eq!((a.color.as_str(), a.ripeness), ("green", 4)),
        other => panic!("{other:?}"),
    }
    match fruit("c") {
        Fruit::BananaBunch(b) => {
            assert_eq!(b.origin, "Peru");
            let spots: Vec<(f64, f64)> = b.bananas.iter().map(|b| (b.spots, b.ripeness)).collect();
            assert_eq!(spots, [(0.0, 1.0), (2.0, 2.5)]);
        }
        other => panic!("{other:?}"),
    }
    match fruit("d") {
        Fruit::Pear(p) => assert_eq!((p.color.as_str(), p.breed.as_str()), ("green", "Anjou")),
        other => panic!("{other:?}"),
    }
    assert!(matches!(fruit("e"), Fruit::Kiwi(k) if k.seed_count == 100.0));
    assert!(matches!(fruit("f"), Fruit::Orange(o) if o.size == Size::Medium));
    assert!(matches!(fruit("g"), Fruit::Passionfruit(p) if p.color == "purple"));
    assert!(matches!(fruit("h"), Fruit::Banana(b) if b.ripeness == 9.0 && b.spots == 0.0));
}

#[test]
fn a_union_reads_the_same_with_its_tag_first_or_last() {
    let first = both::<FruitAisle>(
        r#"{"bins": {"x": {"count": 1, "fruit": {"type": "BananaBunch", "origin": "Peru", "bananas": [{"ripeness": 1}]}}}}"#,
    );
    let last = both::<FruitAisle>(
        r#"{"bins": {"x": {"count": 1, "fruit": {"origin": "Peru", "bananas": [{"ripeness": 1}], "type": "BananaBunch"}}}}"#,
    );
    assert_eq!(*first, *last);
    assert_eq!(first.to_json(), last.to_json());
}

#[derive(Model, Debug, PartialEq)]
struct Circle {
    radius: f64,
    labels: Map<String>,
}

#[derive(Model, Debug, PartialEq)]
struct Square {
    side: u32,
}

#[derive(Model, Debug, PartialEq)]
#[model(tag = "shape", rename_all = "lowercase")]
enum Shape {
    Circle(Circle),
    #[model(rename = "box")]
    Square(Square),
}

#[derive(Model, Debug, PartialEq)]
struct Drawing {
    shapes: Vec<Shape>,
}

#[test]
fn unions_with_another_tag_field_and_renamed_variants() {
    let t = both::<Drawing>(
        r#"{"shapes": [{"shape": "circle", "radius": 1.5}, {"side": 2, "shape": "box"}]}"#,
    );
    assert!(matches!(&t.shapes[0], Shape::Circle(c) if c.radius == 1.5 && c.labels.is_empty()));
    assert!(matches!(&t.shapes[1], Shape::Square(s) if s.side == 2));
    assert_eq!(
        t.to_json(),
        r#"{"shapes":[{"shape":"circle","radius":1.5,"labels":{}},{"shape":"box","side":2}]}"#
    );
    let e = refused::<Drawing>(r#"{"shapes": [{"shape": "square", "side": 2}]}"#);
    assert_eq!(e.path(), "/shapes/0/shape");
    assert_eq!(
        e.kind(),
        &ErrorKind::UnknownTag {
            union: "Shape",
            tag_field: "shape",
            found: r#""square""#.into(),
            expected: &["circle", "box"],
        }
    );
}

/// Regression: a union whose tag came after other keys was read through a
/// `serde_json::Value`, which lost the order of the maps inside it.
#[test]
fn a_union_with_its_tag_last_keeps_the_order_of_its_maps() {
    let t = Drawing::from_json_str(
        r#"{"shapes": [{"labels": {"z": "1", "a": "2", "m": "3"}, "radius": 1, "shape": "circle"}]}"#,
    )
    .unwrap();
    let Shape::Circle(c) = &t.shapes[0] else {
        panic!("a circle")
    };
    assert_eq!(c.labels.keys().collect::<Vec<_>>(), ["z", "a", "m"]);
    assert_eq!(
        t.to_json(),
        r#"{"shapes":[{"shape":"circle","radius":1,"labels":{"z":"1","a":"2","m":"3"}}]}"#
    );
}

// ---------------------------------------------------------------------------
// Frozen and dates.

#[derive(Model, Debug, PartialEq)]
struct Settings {
    extra: Frozen,
    maybe: Option<Frozen>,
}

#[test]
fn frozen_keeps_any_json_as_written() {
    let text = r#"{"extra": {"b": [1, 2.50, {"c": null}],  "a": "\u00e9"}, "maybe": null}"#;
    let t = Settings::from_json_str(text).unwrap();
    assert_eq!(
        t.extra.json(),
        r#"{"b": [1, 2.50, {"c": null}],  "a": "\u00e9"}"#
    );
    assert_eq!(
        t.extra.to_value(),
        json!({"b": [1, 2.5, {"c": null}], "a": "é"})
    );
    assert!(t.maybe.is_none());
    // Written back exactly as it was read.
    assert_eq!(
        t.to_json(),
        r#"{"extra":{"b": [1, 2.50, {"c": null}],  "a": "\u00e9"},"maybe":null}"#
    );
    // From a value: the same JSON, as compact text, in the value's order.
    let v: Value = serde_json::from_str(text).unwrap();
    let from_value = Settings::from_json_value(&v).unwrap();
    assert_eq!(
        from_value.extra.json(),
        r#"{"b":[1,2.5,{"c":null}],"a":"é"}"#
    );
    assert_eq!(*from_value, *t, "frozen values compare as JSON values");

    for any in ["0", "\"s\"", "[]", "true", "null", "-1.5e10"] {
        let t = Settings::from_json_str(&format!(r#"{{"extra": {any}, "maybe": {any}}}"#)).unwrap();
        assert_eq!(t.extra.json(), any);
        let parsed: Value = serde_json::from_str(any).unwrap();
        assert_eq!(t.extra.to_value(), parsed);
        // `Option<Frozen>` reads `null` as absent.
        assert_eq!(
            t.maybe.as_ref().map(Frozen::json),
            (any != "null").then_some(any)
        );
    }
}

#[test]
fn frozen_parses_into_types() {
    let t = Settings::from_json_str(r#"{"extra": {"x": 1, "y": [true]}}"#).unwrap();
    #[derive(serde::Deserialize, PartialEq, Debug)]
    struct Xy {
        x: u8,
        y: Vec<bool>,
    }
    assert_eq!(
        t.extra.parse::<Xy>().unwrap(),
        Xy {
            x: 1,
            y: vec![true]
        }
    );
    assert!(t.extra.parse::<Vec<u8>>().is_err());
}

#[derive(Model, Debug, PartialEq)]
#[model(rename_all = "camelCase")]
struct Stamped {
    created_at: Date,
    history: Vec<Date>,
}

#[test]
fn dates_are_epoch_milliseconds() {
    let t = both::<Stamped>(
        r#"{"createdAt": 1646823676261, "history": [0, -86400000, 1.9, 1e12, 9007199254740993]}"#,
    );
    assert_eq!(t.created_at, Date::from_millis(1_646_823_676_261));
    assert_eq!(t.created_at.millis(), 1_646_823_676_261);
    let ms: Vec<i64> = t.history.iter().map(|d| d.millis()).collect();
    assert_eq!(
        ms,
        [0, -86_400_000, 1, 1_000_000_000_000, 9_007_199_254_740_993]
    );
    assert!(t.history[1] < t.history[0]);
    assert_eq!(
        t.to_json(),
        r#"{"createdAt":1646823676261,"history":[0,-86400000,1,1000000000000,9007199254740993]}"#
    );
    let e = refused::<Stamped>(r#"{"createdAt": "2022-03-09"}"#);
    assert_eq!(e.path(), "/createdAt");
    assert_eq!(
        e.kind(),
        &ErrorKind::WrongType {
            expected: "date (epoch milliseconds)".into(),
            found: r#""2022-03-09""#.into()
        }
    );
    let before = Date::now();
    assert!(
        before.millis() > 1_600_000_000_000,
        "the clock is after 2020"
    );
}

// ---------------------------------------------------------------------------
// Identifiers and references (in depth in `identifiers_and_references.rs`).

#[derive(Model, Debug, PartialEq)]
struct Named {
    #[model(identifier)]
    key: String,
}

#[derive(Model, Debug, PartialEq)]
struct Numbered {
    #[model(identifier)]
    id: i64,
}

#[derive(Model, Debug, PartialEq)]
struct Links {
    named: Vec<Named>,
    numbered: Vec<Numbered>,
    to_named: Ref<Named>,
    to_numbered: Vec<Ref<Numbered>>,
    safe: SafeRef<Named>,
    maybe: Option<Ref<Named>>,
}

#[test]
fn identifiers_and_references() {
    let t = both::<Links>(
        r#"{"to_named": "b", "to_numbered": [-3, "12"], "safe": "nobody", "maybe": "a",
            "named": [{"key": "a"}, {"key": "b"}], "numbered": [{"id": 12}, {"id": -3}]}"#,
    );
    assert!(std::ptr::eq(t.to_named.get(), &t.named[1]));
    assert!(std::ptr::eq(&*t.to_numbered[0], &t.numbered[1]));
    assert!(std::ptr::eq(&*t.to_numbered[1], &t.numbered[0]));
    assert!(t.safe.get().is_none());
    assert_eq!(t.maybe.as_ref().map(|r| r.key.as_str()), Some("a"));
    assert_eq!(
        t.resolve_identifier::<Numbered>("-3").map(|n| n.id),
        Some(-3)
    );
    assert_eq!(
        t.resolve_identifier::<Named>("a").map(|n| n.key.as_str()),
        Some("a")
    );
}

// ---------------------------------------------------------------------------
// Recursive models.

#[test]
fn recursive_models() {
    let t = both::<State>(state::DEEP_JSON);
    assert_eq!(t.id, "root");
    assert_eq!(
        t.child_states
            .iter()
            .map(|c| c.id.as_str())
            .collect::<Vec<_>>(),
        ["a", "b", "c"]
    );
    let a1 = &t.child_states[0].child_states[0];
    assert_eq!(a1.id, "a1");
    assert_eq!(
        a1.child_states
            .iter()
            .map(|c| c.id.as_str())
            .collect::<Vec<_>>(),
        ["a1x", "a1y"]
    );
    assert!(a1.child_states[0].child_states.is_empty());
    let initial = t.initial_child_state.as_ref().unwrap();
    assert!(std::ptr::eq(&**initial, &t.child_states[1]));
    let b1 = initial.initial_child_state.as_ref().unwrap();
    assert_eq!(b1.id, "b1");
    assert_eq!(b1.initial_child_state.as_ref().unwrap().id, "b1x");
}

#[derive(Model, Debug, PartialEq)]
struct Expr {
    op: String,
    #[model(default)]
    args: Vec<Expr>,
    left: Option<Box<Expr>>,
}

#[test]
fn recursive_models_without_identifiers() {
    let t = both::<Expr>(
        r#"{"op": "+", "args": [{"op": "1"}, {"op": "*", "left": {"op": "2", "left": {"op": "3"}}}]}"#,
    );
    assert_eq!(t.args.len(), 2);
    let left = t.args[1].left.as_ref().unwrap();
    assert_eq!(left.op, "2");
    assert_eq!(left.left.as_ref().unwrap().op, "3");
    assert!(t.left.is_none());
    assert_eq!(t.identifier_index_footprint(), None);
}

// ---------------------------------------------------------------------------
// Unknown fields, renames.

#[test]
fn unknown_fields_are_ignored() {
    let t = both::<Inner>(
        r#"{"before": {"deep": [1, {"x": [null, "s"]}]}, "n": 3, "after": "x", "n2": 4, "N": 5}"#,
    );
    assert_eq!(t.n, 3);
    assert_eq!(t.to_json(), r#"{"n":3}"#);
    // Even a value of a type the model could not read.
    let t = both::<Named>(r#"{"key": "k", "id": {"not": "a key"}, "type": 5}"#);
    assert_eq!(t.key, "k");
}

#[derive(Model, Debug, PartialEq)]
#[model(rename_all = "kebab-case", name = "Renamed-Model")]
struct Renames {
    first_name: String,
    #[model(rename = "type")]
    kind: String,
    #[model(rename = "x_y")]
    two_words: u8,
    r#loop: bool,
}

#[test]
fn rename_and_rename_all() {
    let t = both::<Renames>(r#"{"first-name": "Ada", "type": "t", "x_y": 1, "loop": true}"#);
    assert_eq!(
        (
            t.first_name.as_str(),
            t.kind.as_str(),
            t.two_words,
            t.r#loop
        ),
        ("Ada", "t", 1, true)
    );
    assert_eq!(
        t.to_json(),
        r#"{"first-name":"Ada","type":"t","x_y":1,"loop":true}"#
    );
    // The Rust names are not snapshot keys; the model's name shows in errors.
    let e = refused::<Renames>(r#"{"first_name": "Ada", "type": "t", "x_y": 1, "loop": true}"#);
    assert_eq!(
        e.kind(),
        &ErrorKind::MissingField {
            model: "Renamed-Model",
            field: "first-name"
        }
    );
    let e = refused::<Renames>(r#"{"first-name": 1}"#);
    assert!(matches!(e.kind(), ErrorKind::WrongType { expected, .. } if expected == "string"));
}

#[derive(Model, Debug, PartialEq)]
struct HoldsRenamed {
    inner: Renames,
}

#[test]
fn a_models_name_is_what_wrong_types_expect() {
    let e = refused::<HoldsRenamed>(r#"{"inner": [1, 2]}"#);
    assert_eq!(e.path(), "/inner");
    assert_eq!(
        e.kind(),
        &ErrorKind::WrongType {
            expected: "Renamed-Model".into(),
            found: "[1,2]".into()
        }
    );
}

// ---------------------------------------------------------------------------
// Derive hygiene.

/// Regression: the derive's generated code named its type parameters `A`,
/// `D`, `M`, `S` and `W`, so models with those names did not compile.
mod single_letter_names {
    use sapwood::tree::{Map, Model};

    #[derive(Model, Debug, PartialEq)]
    pub struct A {
        pub d: Vec<D>,
    }
    #[derive(Model, Debug, PartialEq)]
    pub struct D {
        pub m: Option<M>,
    }
    #[derive(Model, Debug, PartialEq)]
    pub struct M {
        pub s: S,
    }
    #[derive(Model, Debug, PartialEq, Clone, Copy)]
    pub enum S {
        On,
        Off,
    }
    #[derive(Model, Debug, PartialEq)]
    #[model(tag = "t")]
    pub enum W {
        A(A),
        M(M),
    }
    #[derive(Model, Debug, PartialEq)]
    pub struct Root {
        pub w: Map<W>,
    }

    #[test]
    fn models_named_like_the_derives_type_parameters() {
        let t = Root::from_json_str(
            r#"{"w": {"x": {"t": "A", "d": [{"m": {"s": "On"}}, {}]}, "y": {"s": "Off", "t": "M"}}}"#,
        )
        .unwrap();
        match &t.w["x"] {
            W::A(a) => assert_eq!(a.d[0].m, Some(M { s: S::On })),
            other => panic!("{other:?}"),
        }
        assert_eq!(t.w["y"], W::M(M { s: S::Off }));
        assert_eq!(
            t.to_json(),
            r#"{"w":{"x":{"t":"A","d":[{"m":{"s":"On"}},{"m":null}]},"y":{"t":"M","s":"Off"}}}"#
        );
    }
}

// ---------------------------------------------------------------------------
// Large inputs.

#[test]
fn long_strings_and_arrays_are_read_whole() {
    let long = "é".repeat(10 * MAX_QUOTED);
    let t = both::<Arrays>(&format!(
        r#"{{"numbers": [{}], "nested": [["{long}"]]}}"#,
        vec!["1"; 10_000].join(",")
    ));
    assert_eq!(t.numbers.len(), 10_000);
    assert_eq!(t.nested[0][0], long);
}

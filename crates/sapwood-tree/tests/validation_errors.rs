//! Validation errors: each kind, with its exact JSON path (RFC 6901), what was
//! expected and the offending value (truncated), mostly on corrupted copies
//! of the LargeRoot and FruitAisle fixtures.

use sapwood::tree::{Error, ErrorKind, Frozen, Map, Model, Ref, DEPTH_LIMIT, MAX_QUOTED};
use sapwood_fixtures::fruit_aisle::FruitAisle;
use sapwood_fixtures::large_root::LargeRoot;
use sapwood_fixtures::{FRUIT_AISLE_JSON, LARGE_ROOT_JSON};
use serde_json::{json, Value};

const FRUIT_TAGS: &[&str] = &[
    "Apple",
    "Banana",
    "BananaBunch",
    "Pear",
    "Kiwi",
    "Orange",
    "Passionfruit",
];

fn large_root() -> Value {
    serde_json::from_str(LARGE_ROOT_JSON).unwrap()
}

fn fruit_aisle() -> Value {
    serde_json::from_str(FRUIT_AISLE_JSON).unwrap()
}

/// The `i`-th key of the object at `pointer` in `v`.
fn key_at(v: &Value, pointer: &str, i: usize) -> String {
    v.pointer(pointer)
        .and_then(Value::as_object)
        .and_then(|o| o.keys().nth(i))
        .unwrap_or_else(|| panic!("no key {i} at {pointer}"))
        .clone()
}

/// The error of `v`, which must be the same (path and kind) whether built from
/// the value or from its text; positions only from text.
fn refused<T: Model + std::fmt::Debug>(v: &Value) -> Error {
    let from_value = T::from_json_value(v).expect_err("the value is refused");
    let from_text = T::from_json_str(&v.to_string()).expect_err("the text is refused");
    assert_eq!(
        (from_text.path(), from_text.kind()),
        (from_value.path(), from_value.kind()),
        "text and value disagree"
    );
    assert_eq!(from_value.position(), None, "a value has no lines");
    // A dangling reference is found after parsing, once the whole tree is
    // in place: no position. (A duplicate identifier is found when the
    // container holding the second model completes: it has one.)
    let linking = matches!(from_text.kind(), ErrorKind::DanglingReference { .. });
    assert_eq!(from_text.position().is_some(), !linking, "{from_text:?}");
    from_text
}

fn refused_text<T: Model + std::fmt::Debug>(text: &str) -> Error {
    T::from_json_str(text).expect_err("the text is refused")
}

/// The key of the first order with at least two line items.
fn order_with_two_items(v: &Value) -> String {
    v["orders"]
        .as_object()
        .unwrap()
        .iter()
        .find(|(_, o)| o["lineItems"].as_array().unwrap().len() >= 2)
        .map(|(k, _)| k.clone())
        .expect("an order with two line items")
}

/// The first part line of the first component of the first car, and its keys.
struct Line {
    car: String,
    component: String,
    line: String,
}

fn first_line(v: &Value) -> Line {
    let car = key_at(v, "/cars", 0);
    let component = key_at(v, &format!("/cars/{car}/components"), 0);
    let line = key_at(v, &format!("/cars/{car}/components/{component}/parts"), 0);
    Line {
        car,
        component,
        line,
    }
}

// ---------------------------------------------------------------------------
// WrongType

#[test]
fn a_cost_given_as_a_string() {
    let mut v = large_root();
    let part = key_at(&v, "/parts", 7);
    v["parts"][&part]["cost"] = json!("cheap");
    let e = refused::<LargeRoot>(&v);
    assert_eq!(e.path(), format!("/parts/{part}/cost"));
    assert_eq!(
        e.kind(),
        &ErrorKind::WrongType {
            expected: "number".into(),
            found: r#""cheap""#.into()
        }
    );
    assert_eq!(
        e.to_string(),
        format!(r#"at /parts/{part}/cost: expected number, found "cheap""#)
    );
}

#[test]
fn wrong_types_name_models_maps_and_arrays() {
    let v0 = large_root();
    let Line { car, component, .. } = first_line(&v0);
    let order = order_with_two_items(&v0);

    let mut v = v0.clone();
    v["cars"][&car]["components"][&component] = json!(42);
    let e = refused::<LargeRoot>(&v);
    assert_eq!(e.path(), format!("/cars/{car}/components/{component}"));
    assert_eq!(
        e.kind(),
        &ErrorKind::WrongType {
            expected: "Component".into(),
            found: "42".into()
        }
    );

    let mut v = v0.clone();
    v["cars"][&car]["components"] = json!([1, "two"]);
    let e = refused::<LargeRoot>(&v);
    assert_eq!(e.path(), format!("/cars/{car}/components"));
    assert_eq!(
        e.kind(),
        &ErrorKind::WrongType {
            expected: "map of Component".into(),
            found: r#"[1,"two"]"#.into()
        }
    );

    let mut v = v0.clone();
    v["orders"][&order]["lineItems"] = json!({"a": null});
    let e = refused::<LargeRoot>(&v);
    assert_eq!(e.path(), format!("/orders/{order}/lineItems"));
    assert_eq!(
        e.kind(),
        &ErrorKind::WrongType {
            expected: "array of OrderLineItem".into(),
            found: r#"{"a":null}"#.into()
        }
    );

    let mut v = v0.clone();
    v["orders"][&order]["lineItems"][1]["price"] = json!(null);
    let e = refused::<LargeRoot>(&v);
    assert_eq!(e.path(), format!("/orders/{order}/lineItems/1/price"));
    assert_eq!(
        e.kind(),
        &ErrorKind::WrongType {
            expected: "number".into(),
            found: "null".into()
        }
    );
}

#[test]
fn a_reference_that_is_not_an_identifier() {
    let mut v = large_root();
    let Line {
        car,
        component,
        line,
    } = first_line(&v);
    v["cars"][&car]["components"][&component]["parts"][&line]["part"] = json!(true);
    let e = refused::<LargeRoot>(&v);
    assert_eq!(
        e.path(),
        format!("/cars/{car}/components/{component}/parts/{line}/part")
    );
    assert_eq!(
        e.kind(),
        &ErrorKind::WrongType {
            expected: "identifier of a Part".into(),
            found: "true".into()
        }
    );
}

#[test]
fn a_nullable_field_given_another_type() {
    let mut v = large_root();
    let person = key_at(&v, "/salespeople", 2);
    v["salespeople"][&person]["email"] = json!(["a@b.c"]);
    let e = refused::<LargeRoot>(&v);
    assert_eq!(e.path(), format!("/salespeople/{person}/email"));
    assert_eq!(
        e.kind(),
        &ErrorKind::WrongType {
            expected: "string".into(),
            found: r#"["a@b.c"]"#.into()
        }
    );
}

#[test]
fn the_root_given_something_else() {
    for (text, found) in [
        ("[]", "[]"),
        ("\"LargeRoot\"", "\"LargeRoot\""),
        ("null", "null"),
    ] {
        let e = refused::<LargeRoot>(&serde_json::from_str(text).unwrap());
        assert_eq!(e.path(), "");
        assert_eq!(
            e.kind(),
            &ErrorKind::WrongType {
                expected: "LargeRoot".into(),
                found: found.into()
            }
        );
        assert!(e.to_string().starts_with("at the root: expected LargeRoot"));
    }
}

// ---------------------------------------------------------------------------
// InvalidValue

#[test]
fn a_literal_with_another_value() {
    let mut v = large_root();
    let part = key_at(&v, "/parts", 0);
    v["parts"][&part]["type"] = json!("Car");
    let e = refused::<LargeRoot>(&v);
    assert_eq!(e.path(), format!("/parts/{part}/type"));
    assert_eq!(
        e.kind(),
        &ErrorKind::InvalidValue {
            expected: r#""Part""#.into(),
            found: r#""Car""#.into()
        }
    );
}

#[test]
fn an_enumeration_value_it_does_not_know() {
    let mut v = fruit_aisle();
    v["bins"]["orangeBin2"]["fruit"]["size"] = json!("huge");
    let e = refused::<FruitAisle>(&v);
    assert_eq!(e.path(), "/bins/orangeBin2/fruit/size");
    assert_eq!(
        e.kind(),
        &ErrorKind::InvalidValue {
            expected: r#"one of "small", "medium", "large""#.into(),
            found: r#""huge""#.into()
        }
    );
    v["bins"]["orangeBin2"]["fruit"]["size"] = json!(2);
    let e = refused::<FruitAisle>(&v);
    assert_eq!(
        e.kind(),
        &ErrorKind::WrongType {
            expected: r#"one of "small", "medium", "large""#.into(),
            found: "2".into()
        }
    );
}

#[test]
fn an_integer_out_of_range() {
    let text = FRUIT_AISLE_JSON.replacen("\"ripeness\": 7", "\"ripeness\": 9223372036854775808", 1);
    assert_ne!(text, FRUIT_AISLE_JSON);
    let e = refused::<FruitAisle>(&serde_json::from_str(&text).unwrap());
    assert_eq!(e.path(), "/bins/appleBin1/fruit/ripeness");
    assert_eq!(
        e.kind(),
        &ErrorKind::InvalidValue {
            expected: "integer from -9223372036854775808 to 9223372036854775807".into(),
            found: "9223372036854775808".into()
        }
    );
    let text = FRUIT_AISLE_JSON.replacen("\"count\": 50", "\"count\": 2.5", 1);
    let e = refused::<FruitAisle>(&serde_json::from_str(&text).unwrap());
    assert_eq!(e.path(), "/bins/appleBin1/count");
    assert_eq!(
        e.kind(),
        &ErrorKind::WrongType {
            expected: "integer".into(),
            found: "2.5".into()
        }
    );
}

// ---------------------------------------------------------------------------
// MissingField

#[test]
fn a_required_field_is_absent() {
    let mut v = large_root();
    let car = key_at(&v, "/cars", 4);
    v["cars"][&car].as_object_mut().unwrap().remove("make");
    let e = refused::<LargeRoot>(&v);
    assert_eq!(e.path(), format!("/cars/{car}"));
    assert_eq!(
        e.kind(),
        &ErrorKind::MissingField {
            model: "Car",
            field: "make"
        }
    );
    assert_eq!(
        e.to_string(),
        format!(r#"at /cars/{car}: missing field "make" of Car"#)
    );

    let mut v = large_root();
    let Line {
        car,
        component,
        line,
    } = first_line(&v);
    v["cars"][&car]["components"][&component]["parts"][&line]
        .as_object_mut()
        .unwrap()
        .remove("part");
    let e = refused::<LargeRoot>(&v);
    assert_eq!(
        e.path(),
        format!("/cars/{car}/components/{component}/parts/{line}")
    );
    assert_eq!(
        e.kind(),
        &ErrorKind::MissingField {
            model: "PartLine",
            field: "part"
        }
    );
}

#[test]
fn fields_with_defaults_may_be_absent() {
    let mut v = large_root();
    let Line {
        car,
        component,
        line,
    } = first_line(&v);
    let obj = v["cars"][&car]["components"][&component]["parts"][&line]
        .as_object_mut()
        .unwrap();
    for field in ["type", "quantity", "createdAt"] {
        obj.remove(field);
    }
    let t = LargeRoot::from_json_value(&v).unwrap();
    assert_eq!(
        t.cars[&*car].components[&*component].parts[&*line].quantity,
        0.0
    );
}

// ---------------------------------------------------------------------------
// UnknownTag

#[test]
fn a_fruit_the_union_does_not_know() {
    let mut v = fruit_aisle();
    v["bins"]["appleBin1"]["fruit"]["type"] = json!("Mango");
    let e = refused::<FruitAisle>(&v);
    assert_eq!(e.path(), "/bins/appleBin1/fruit/type");
    assert_eq!(
        e.kind(),
        &ErrorKind::UnknownTag {
            union: "Fruit",
            tag_field: "type",
            found: r#""Mango""#.into(),
            expected: FRUIT_TAGS,
        }
    );
    assert_eq!(
        e.to_string(),
        r#"at /bins/appleBin1/fruit/type: unknown "type" "Mango" for Fruit (expected one of "Apple", "Banana", "BananaBunch", "Pear", "Kiwi", "Orange", "Passionfruit")"#
    );
}

#[test]
fn an_unknown_tag_after_the_other_fields() {
    let text = r#"{"bins": {"x": {"count": 1, "fruit": {"color": "red", "ripeness": 1, "type": "apple"}}}}"#;
    let e = refused::<FruitAisle>(&serde_json::from_str(text).unwrap());
    assert_eq!(e.path(), "/bins/x/fruit/type");
    assert_eq!(
        e.kind(),
        &ErrorKind::UnknownTag {
            union: "Fruit",
            tag_field: "type",
            found: r#""apple""#.into(),
            expected: FRUIT_TAGS,
        }
    );
}

#[test]
fn a_missing_or_mistyped_tag() {
    let mut v = fruit_aisle();
    v["bins"]["kiwiBin1"]["fruit"]
        .as_object_mut()
        .unwrap()
        .remove("type");
    let e = refused::<FruitAisle>(&v);
    assert_eq!(e.path(), "/bins/kiwiBin1/fruit");
    assert_eq!(
        e.kind(),
        &ErrorKind::MissingField {
            model: "Fruit",
            field: "type"
        }
    );

    let e = refused::<FruitAisle>(&json!({"bins": {"b": {"count": 1, "fruit": {}}}}));
    assert_eq!(e.path(), "/bins/b/fruit");
    assert!(matches!(
        e.kind(),
        ErrorKind::MissingField {
            model: "Fruit",
            field: "type"
        }
    ));

    for fruit in [json!({"type": 7}), json!({"seedCount": 1, "type": 7})] {
        let e = refused::<FruitAisle>(&json!({"bins": {"b": {"count": 1, "fruit": fruit}}}));
        assert_eq!(e.path(), "/bins/b/fruit/type");
        assert_eq!(
            e.kind(),
            &ErrorKind::WrongType {
                expected: "tag string".into(),
                found: "7".into()
            }
        );
    }
}

#[test]
fn errors_inside_a_variant() {
    // Tag first, then tag last: the same path into the variant.
    for fruit in [
        json!({"type": "BananaBunch", "origin": "Peru", "bananas": [{"ripeness": 1}, {"spots": 1}]}),
        json!({"origin": "Peru", "bananas": [{"ripeness": 1}, {"spots": 1}], "type": "BananaBunch"}),
    ] {
        let e = refused::<FruitAisle>(&json!({"bins": {"b": {"count": 1, "fruit": fruit}}}));
        assert_eq!(e.path(), "/bins/b/fruit/bananas/1");
        assert_eq!(
            e.kind(),
            &ErrorKind::MissingField {
                model: "Banana",
                field: "ripeness"
            }
        );
    }
}

// ---------------------------------------------------------------------------
// DuplicateKey (text only: a `Value` cannot hold one)

#[test]
fn two_parts_under_the_same_key() {
    let v = large_root();
    let (first, second) = (key_at(&v, "/parts", 0), key_at(&v, "/parts", 1));
    let text =
        LARGE_ROOT_JSON.replacen(&format!("\"{second}\": {{"), &format!("\"{first}\": {{"), 1);
    assert_ne!(text, LARGE_ROOT_JSON);
    let e = refused_text::<LargeRoot>(&text);
    assert_eq!(e.path(), "/parts");
    assert_eq!(e.kind(), &ErrorKind::DuplicateKey { key: first.clone() });
    assert_eq!(
        e.to_string(),
        format!(r#"at /parts: duplicate key "{first}""#)
    );
    // What serde_json would have done: keep the last one, silently.
    let lossy: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(lossy["parts"].as_object().unwrap().len(), 29);
}

#[test]
fn a_field_given_twice() {
    let v = large_root();
    let car = key_at(&v, "/cars", 0);
    let make = v["cars"][&car]["make"].as_str().unwrap().to_string();
    let needle = format!("\"make\": \"{make}\",");
    let text = LARGE_ROOT_JSON.replacen(&needle, &format!("{needle} \"make\": \"Other\","), 1);
    assert_ne!(text, LARGE_ROOT_JSON);
    let e = refused_text::<LargeRoot>(&text);
    assert_eq!(e.path(), format!("/cars/{car}"));
    assert_eq!(e.kind(), &ErrorKind::DuplicateKey { key: "make".into() });
    // An optional field given twice, once null.
    let e = refused_text::<Pair>(r#"{"s": "a", "n": null, "n": 1}"#);
    assert_eq!(e.path(), "");
    assert_eq!(e.kind(), &ErrorKind::DuplicateKey { key: "n".into() });
    // In a union's variant.
    let e = refused_text::<FruitAisle>(
        r#"{"bins": {"x": {"fruit": {"type": "Kiwi", "seedCount": 1, "seedCount": 1}, "count": 1}}}"#,
    );
    assert_eq!(e.path(), "/bins/x/fruit");
    assert_eq!(
        e.kind(),
        &ErrorKind::DuplicateKey {
            key: "seedCount".into()
        }
    );
}

/// Regression: a union whose tag came after other keys was read through a
/// `serde_json::Value`, which dropped duplicate keys silently.
#[test]
fn duplicate_keys_in_a_union_with_its_tag_last() {
    let e = refused_text::<FruitAisle>(
        r#"{"bins": {"x": {"count": 1, "fruit": {"ripeness": 1, "ripeness": 2, "type": "Apple"}}}}"#,
    );
    assert_eq!(e.path(), "/bins/x/fruit");
    assert_eq!(
        e.kind(),
        &ErrorKind::DuplicateKey {
            key: "ripeness".into()
        }
    );
    let e = refused_text::<FruitAisle>(
        r#"{"bins": {"x": {"count": 1, "fruit": {"bananas": [{"ripeness": 1, "spots": 1, "spots": 2}], "origin": "", "type": "BananaBunch"}}}}"#,
    );
    assert_eq!(e.path(), "/bins/x/fruit/bananas/0");
    assert_eq!(
        e.kind(),
        &ErrorKind::DuplicateKey {
            key: "spots".into()
        }
    );
}

// ---------------------------------------------------------------------------
// DuplicateIdentifier

#[test]
fn two_parts_with_one_identifier() {
    let mut v = large_root();
    let (first, second) = (key_at(&v, "/parts", 0), key_at(&v, "/parts", 1));
    v["parts"][&second]["key"] = json!(first);
    let e = refused::<LargeRoot>(&v);
    assert_eq!(e.path(), format!("/parts/{second}"));
    assert_eq!(
        e.kind(),
        &ErrorKind::DuplicateIdentifier {
            model: "Part",
            id: first.clone()
        }
    );
    assert_eq!(
        e.to_string(),
        format!(r#"at /parts/{second}: duplicate identifier "{first}": another Part has it"#)
    );
}

#[test]
fn two_components_of_different_cars_with_one_identifier() {
    let mut v = large_root();
    let (car0, car1) = (key_at(&v, "/cars", 0), key_at(&v, "/cars", 1));
    let c0 = key_at(&v, &format!("/cars/{car0}/components"), 0);
    let c1 = key_at(&v, &format!("/cars/{car1}/components"), 0);
    v["cars"][&car1]["components"][&c1]["key"] = json!(c0);
    let e = refused::<LargeRoot>(&v);
    assert_eq!(e.path(), format!("/cars/{car1}/components/{c1}"));
    assert_eq!(
        e.kind(),
        &ErrorKind::DuplicateIdentifier {
            model: "Component",
            id: c0
        }
    );
}

#[test]
fn models_of_different_types_may_share_an_identifier() {
    let mut v = large_root();
    let car = key_at(&v, "/cars", 0);
    let part = key_at(&v, "/parts", 0);
    // A car whose identifier is a part's: not a duplicate (another type), and
    // every reference still finds its own target.
    let text = v.to_string().replace(&car, &part);
    v = serde_json::from_str(&text).unwrap();
    let t = LargeRoot::from_json_value(&v).unwrap();
    assert_eq!(t.cars[&*part].key, t.parts[&*part].key);
}

// ---------------------------------------------------------------------------
// DanglingReference

#[test]
fn a_part_line_naming_a_missing_part() {
    let mut v = large_root();
    let car = key_at(&v, "/cars", 5);
    let component = key_at(&v, &format!("/cars/{car}/components"), 1);
    let line = key_at(&v, &format!("/cars/{car}/components/{component}/parts"), 2);
    v["cars"][&car]["components"][&component]["parts"][&line]["part"] = json!("no-such-part");
    let e = refused::<LargeRoot>(&v);
    assert_eq!(
        e.path(),
        format!("/cars/{car}/components/{component}/parts/{line}/part")
    );
    assert_eq!(
        e.kind(),
        &ErrorKind::DanglingReference {
            model: "Part",
            id: "no-such-part".into()
        }
    );
    assert_eq!(
        e.to_string(),
        format!(
            r#"at /cars/{car}/components/{component}/parts/{line}/part: dangling reference: no Part with identifier "no-such-part""#
        )
    );
}

#[test]
fn dangling_references_of_every_kind_in_large_root() {
    let v0 = large_root();
    let order = order_with_two_items(&v0);
    let dealership = key_at(&v0, "/dealerships", 2);
    let some_car = key_at(&v0, "/cars", 0);
    let cases: Vec<(String, Value, &str)> = vec![
        (
            format!("/orders/{order}/customer"),
            json!("gone"),
            "Customer",
        ),
        (
            format!("/orders/{order}/salesperson"),
            json!("gone"),
            "Salesperson",
        ),
        (
            format!("/orders/{order}/dealership"),
            json!("gone"),
            "Dealership",
        ),
        (
            format!("/orders/{order}/lineItems/1/car"),
            json!("gone"),
            "Car",
        ),
        // A part's identifier does not name a car: identifiers are per type.
        (
            format!("/orders/{order}/lineItems/0/car"),
            json!(key_at(&v0, "/parts", 0)),
            "Car",
        ),
    ];
    for (path, id, model) in cases {
        let mut v = v0.clone();
        *v.pointer_mut(&path).unwrap() = id.clone();
        let e = refused::<LargeRoot>(&v);
        assert_eq!(e.path(), path);
        assert_eq!(
            e.kind(),
            &ErrorKind::DanglingReference {
                model,
                id: id.as_str().unwrap().into()
            }
        );
    }
    // In an array of references.
    let mut v = v0.clone();
    v["dealerships"][&dealership]["salespeople"] = json!([key_at(&v0, "/salespeople", 0), "gone"]);
    let e = refused::<LargeRoot>(&v);
    assert_eq!(e.path(), format!("/dealerships/{dealership}/salespeople/1"));
    assert_eq!(
        e.kind(),
        &ErrorKind::DanglingReference {
            model: "Salesperson",
            id: "gone".into()
        }
    );
    // Two dangling: the first in the model's order (cars before orders).
    let mut v = v0.clone();
    v["orders"][&order]["customer"] = json!("gone");
    let c = key_at(&v0, &format!("/cars/{some_car}/components"), 0);
    let l = key_at(&v0, &format!("/cars/{some_car}/components/{c}/parts"), 0);
    v["cars"][&some_car]["components"][&c]["parts"][&l]["part"] = json!("gone too");
    let e = refused::<LargeRoot>(&v);
    assert_eq!(
        e.path(),
        format!("/cars/{some_car}/components/{c}/parts/{l}/part")
    );
}

#[test]
fn paths_escape_tilde_and_slash() {
    let mut v = large_root();
    let cars = v["cars"].as_object_mut().unwrap();
    let car = cars.keys().next().unwrap().clone();
    let body = cars.shift_remove(&car).unwrap();
    cars.insert("a/b~c".into(), body);
    let component = key_at(&v, "/cars/a~1b~0c/components", 0);
    let line = key_at(
        &v,
        &format!("/cars/a~1b~0c/components/{component}/parts"),
        0,
    );
    v["cars"]["a/b~c"]["components"][&component]["parts"][&line]["part"] = json!("~/");
    let e = refused::<LargeRoot>(&v);
    assert_eq!(
        e.path(),
        format!("/cars/a~1b~0c/components/{component}/parts/{line}/part")
    );
    assert_eq!(
        e.kind(),
        &ErrorKind::DanglingReference {
            model: "Part",
            id: "~/".into()
        }
    );
    // The path is a JSON pointer into the snapshot.
    assert_eq!(v.pointer(e.path()), Some(&json!("~/")));
}

// ---------------------------------------------------------------------------
// TooDeep

#[derive(Model, Debug)]
struct Deep {
    #[model(default)]
    c: Vec<Deep>,
}

fn deep_text(levels: usize) -> String {
    format!("{}{}", r#"{"c":["#.repeat(levels), "]}".repeat(levels))
}

#[test]
fn snapshots_nested_too_deep() {
    let text = deep_text(200);
    let e = refused_text::<Deep>(&text);
    assert_eq!(
        e.kind(),
        &ErrorKind::TooDeep {
            limit: DEPTH_LIMIT as usize
        }
    );
    assert!(e.position().is_some());
    // The path goes down to where the limit was hit: the parser takes 127
    // nested objects and arrays, and they alternate, so the 128th is the
    // array of the 64th model.
    assert_eq!(e.path(), format!("{}/c", "/c/0".repeat(63)));
    assert!(e
        .to_string()
        .contains("nested deeper than 128 objects and arrays"));

    // A value has no parser limit of its own: the tree's applies.
    let mut v = json!({});
    for _ in 0..150 {
        v = json!({ "c": [v] });
    }
    let e = Deep::from_json_value(&v).unwrap_err();
    assert_eq!(
        e.kind(),
        &ErrorKind::TooDeep {
            limit: DEPTH_LIMIT as usize
        }
    );
    // Objects and arrays alternate: the 129th is the 65th model.
    assert_eq!(e.path(), "/c/0".repeat(64));

    // Just under the limits, both are fine.
    assert!(Deep::from_json_str(&deep_text(60)).is_ok());
    let mut v = json!({});
    for _ in 0..63 {
        v = json!({ "c": [v] });
    }
    assert!(Deep::from_json_value(&v).is_ok());
}

#[derive(Model, Debug)]
struct Holder {
    x: Frozen,
}

/// Regression: frozen JSON was kept whatever its nesting, and then
/// `Frozen::to_value` (and comparing two frozen values) panicked on it.
#[test]
fn frozen_json_nested_too_deep() {
    let nested = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
    for n in [128, 300] {
        let text = format!(r#"{{"x": {}}}"#, nested(n));
        let e = refused_text::<Holder>(&text);
        assert_eq!(e.path(), "/x");
        assert_eq!(
            e.kind(),
            &ErrorKind::TooDeep {
                limit: DEPTH_LIMIT as usize
            }
        );
    }
    // 127 levels inside the root object: 128 in all, the limit.
    let t = Holder::from_json_str(&format!(r#"{{"x": {}}}"#, nested(127))).unwrap();
    let value = t.x.to_value();
    assert_eq!(value.to_string(), nested(127));
    // Brackets in strings are not nesting.
    let text = format!(
        r#"{{"x": ["{}", "\"{}"]}}"#,
        "[".repeat(300),
        "{".repeat(300)
    );
    let t = Holder::from_json_str(&text).unwrap();
    assert_eq!(t.x.to_value()[0].as_str().unwrap().len(), 300);
    // From a value too.
    let mut deep = json!([]);
    for _ in 0..130 {
        deep = json!([deep]);
    }
    let e = Holder::from_json_value(&json!({ "x": deep })).unwrap_err();
    assert_eq!(e.path(), "/x");
    assert!(matches!(e.kind(), ErrorKind::TooDeep { .. }));
}

// ---------------------------------------------------------------------------
// Syntax

#[derive(Model, Debug)]
struct Pair {
    s: String,
    n: Option<u32>,
}

#[test]
fn syntax_errors_have_a_line_and_column() {
    let e = refused_text::<Pair>("{\"s\": \"a\",\n \"n\": }");
    assert!(matches!(e.kind(), ErrorKind::Syntax { message } if message == "expected value"));
    assert_eq!(e.position(), Some((2, 7)));
    assert_eq!(e.path(), "/n");
    assert_eq!(
        e.to_string(),
        "at /n: invalid JSON: expected value (line 2, column 7)"
    );

    let e = refused_text::<Pair>("{\"s\": \"a\"}\n\n  x");
    assert!(matches!(e.kind(), ErrorKind::Syntax { message } if message == "trailing characters"));
    assert_eq!(e.position(), Some((3, 3)));
    assert_eq!(e.path(), "");

    let e = refused_text::<Pair>("");
    assert!(
        matches!(e.kind(), ErrorKind::Syntax { message } if message.contains("EOF")),
        "{e}"
    );
    let e = refused_text::<Pair>("{\"s\": \"unterminated");
    assert!(matches!(e.kind(), ErrorKind::Syntax { .. }));
    assert_eq!(e.position().map(|p| p.0), Some(1));
    // Not JSON bytes at all.
    let e = sapwood::tree::Tree::<Pair>::from_json_slice(b"{\"s\": \"\xff\"}").unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Syntax { .. }));
}

#[test]
fn typed_errors_from_text_carry_a_position_too() {
    // Where the parser was when it refused the value: on it or just past it.
    let e = refused_text::<Pair>(r#"{"s": 1, "n": 2}"#);
    assert!(
        matches!(e.position(), Some((1, 7..=8))),
        "{:?}",
        e.position()
    );
    let e = refused_text::<Pair>("{\"s\": \"a\",\n\n  \"n\": true}");
    assert!(
        matches!(e.position(), Some((3, 11..=12))),
        "{:?}",
        e.position()
    );
    // `Display` shows positions only for syntax errors.
    assert_eq!(e.to_string(), "at /n: expected integer, found true");
}

// ---------------------------------------------------------------------------
// Truncation

fn assert_truncated(found: &str, starts: &str) {
    assert_eq!(found.chars().count(), MAX_QUOTED + 1, "{found}");
    assert!(found.ends_with('…'), "{found}");
    assert!(found.starts_with(starts), "{found}");
}

#[test]
fn a_megabyte_array_where_a_string_is_expected() {
    let big = format!("[{}]", vec!["0"; 500_000].join(","));
    assert!(big.len() > 1_000_000);
    let text = format!(r#"{{"s": {big}}}"#);
    let e = refused_text::<Pair>(&text);
    assert_eq!(e.path(), "/s");
    match e.kind() {
        ErrorKind::WrongType { expected, found } => {
            assert_eq!(expected, "string");
            assert_truncated(found, "[0,0,0");
        }
        other => panic!("{other:?}"),
    }
    assert!(e.to_string().len() < MAX_QUOTED + 100);
}

#[test]
fn the_whole_snapshot_is_never_quoted() {
    // LargeRoot where its map of cars should be: an array holding all of it.
    let text = format!(r#"{{"cars": [{LARGE_ROOT_JSON}]}}"#);
    let e = refused_text::<LargeRoot>(&text);
    assert_eq!(e.path(), "/cars");
    match e.kind() {
        ErrorKind::WrongType { expected, found } => {
            assert_eq!(expected, "map of Car");
            assert_truncated(found, r#"[{"type":"LargeRoot","parts":{"#);
        }
        other => panic!("{other:?}"),
    }
    // A long string where a number is expected: quoted, then cut.
    let mut v = large_root();
    let part = key_at(&v, "/parts", 0);
    v["parts"][&part]["cost"] = json!("x".repeat(5_000));
    let e = refused::<LargeRoot>(&v);
    match e.kind() {
        ErrorKind::WrongType { found, .. } => {
            assert_eq!(found, &format!("\"{}…\"", "x".repeat(MAX_QUOTED)));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn long_tags_keys_and_identifiers_are_cut() {
    let long = "é".repeat(1_000);
    let cut = format!("{}…", "é".repeat(MAX_QUOTED));

    let e = refused::<FruitAisle>(&json!({"bins": {"b": {"count": 1, "fruit": {"type": long}}}}));
    match e.kind() {
        ErrorKind::UnknownTag { found, .. } => assert_eq!(found, &format!("\"{cut}\"")),
        other => panic!("{other:?}"),
    }

    let e = refused_text::<Shelf>(&format!(r#"{{"items": {{"{long}": 1, "{long}": 2}}}}"#));
    assert_eq!(e.kind(), &ErrorKind::DuplicateKey { key: cut.clone() });

    let e = refused::<Catalog>(&json!({"parts": [{"key": long}, {"key": long}]}));
    assert_eq!(e.path(), "/parts/1");
    assert_eq!(
        e.kind(),
        &ErrorKind::DuplicateIdentifier {
            model: "Piece",
            id: cut.clone()
        }
    );

    let e = refused::<Catalog>(&json!({"parts": [], "picks": [long]}));
    assert_eq!(e.path(), "/picks/0");
    assert_eq!(
        e.kind(),
        &ErrorKind::DanglingReference {
            model: "Piece",
            id: cut
        }
    );
}

#[derive(Model, Debug)]
struct Shelf {
    items: Map<u8>,
}

#[derive(Model, Debug)]
#[model(name = "Piece")]
struct Part {
    #[model(identifier)]
    key: String,
}

#[derive(Model, Debug)]
struct Catalog {
    parts: Vec<Part>,
    #[model(default)]
    picks: Vec<Ref<Part>>,
}

// ---------------------------------------------------------------------------
// The error type itself.

#[test]
fn errors_are_std_errors_that_compare_and_clone() {
    fn is_error<E: std::error::Error + Clone + PartialEq + Send + Sync + 'static>(_: &E) {}
    let e = refused_text::<Pair>(r#"{"s": false}"#);
    is_error(&e);
    let boxed: Box<dyn std::error::Error> = Box::new(e.clone());
    assert_eq!(boxed.to_string(), "at /s: expected string, found false");
    assert_eq!(e, e.clone());
    assert_ne!(e, refused_text::<Pair>(r#"{"s": true}"#));
}

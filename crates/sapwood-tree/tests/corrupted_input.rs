//! Bad input never panics: fixtures corrupted at random, in their text (cut
//! short, bytes deleted or replaced) and in their values (a node replaced by
//! another type, by a copy of another node, or removed), are either refused
//! with a typed error that names an RFC 6901 path and stays short, or, when the
//! corruption happens to be valid data, accepted and round-tripped. Text and
//! value agree on every outcome.

use std::fmt::Debug;

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use sapwood::tree::{ErrorKind, Model, MAX_QUOTED};
use sapwood_fixtures::fruit_aisle::FruitAisle;
use sapwood_fixtures::large_root::LargeRoot;
use sapwood_fixtures::state::{self, State};
use sapwood_fixtures::test_class_model::{self, TestClassModel};
use sapwood_fixtures::{FRUIT_AISLE_JSON, LARGE_ROOT_JSON};
use serde_json::{json, Value};

/// An error message quotes at most a few values of at most `MAX_QUOTED`
/// characters each, and a path; never the input.
const MAX_MESSAGE: usize = 4 * MAX_QUOTED + 400;

/// What one corrupted input must satisfy, built from its text.
fn check_text<T: Model + PartialEq + Debug>(text: &str) -> Result<(), TestCaseError> {
    match T::from_json_str(text) {
        Ok(tree) => {
            // Valid after all: it must round-trip like any tree.
            match T::from_json_str(&tree.to_json()) {
                Ok(again) => prop_assert!(*again == *tree, "the round trip changed the data"),
                Err(e) => prop_assert!(false, "its own snapshot is refused: {e}"),
            }
        }
        Err(e) => {
            let path = e.path();
            prop_assert!(
                path.is_empty() || path.starts_with('/'),
                "not a JSON pointer: {path:?}"
            );
            let message = e.to_string();
            prop_assert!(
                message.chars().count() <= MAX_MESSAGE + path.len(),
                "message of {} characters: {message:.300}",
                message.len()
            );
        }
    }
    // Text that is valid JSON must give the same outcome as its value.
    if let Ok(value) = serde_json::from_str::<Value>(text) {
        check_value_agrees::<T>(text, &value)?;
    }
    Ok(())
}

/// The value and the text of the same JSON give the same outcome: equal trees,
/// or errors of the same kind at the same path.
fn check_value_agrees<T: Model + PartialEq + Debug>(
    text: &str,
    value: &Value,
) -> Result<(), TestCaseError> {
    match (T::from_json_str(text), T::from_json_value(value)) {
        (Ok(a), Ok(b)) => {
            // Two builds may differ in the defaults that read the clock.
            let (sa, sb) = (without_now(a.to_snapshot()), without_now(b.to_snapshot()));
            prop_assert!(sa == sb, "text and value built different trees");
        }
        (Err(a), Err(b)) => {
            prop_assert_eq!(a.path(), b.path());
            // A syntax error is the text's alone; everything else must agree.
            if !matches!(a.kind(), ErrorKind::Syntax { .. }) {
                prop_assert_eq!(a.kind(), b.kind());
            }
        }
        (a, b) => prop_assert!(
            false,
            "text and value disagree: {:?} / {:?}",
            a.map(|_| "ok"),
            b.map(|_| "ok")
        ),
    }
    Ok(())
}

/// The snapshot with every date of the last hour set to 0: the fixtures'
/// `createdAt` defaults to now when absent, which two builds read apart.
fn without_now(mut v: Value) -> Value {
    fn walk(v: &mut Value, now: i64) {
        match v {
            Value::Object(map) => {
                for (k, child) in map.iter_mut() {
                    let recent = child
                        .as_i64()
                        .is_some_and(|ms| (now - ms).abs() < 3_600_000);
                    if k == "createdAt" && recent {
                        *child = json!(0);
                    } else {
                        walk(child, now);
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|c| walk(c, now)),
            _ => {}
        }
    }
    walk(&mut v, sapwood::tree::Date::now().millis());
    v
}

/// One change to a text, at a fraction `at` (0..1) of its length.
#[derive(Debug, Clone)]
enum TextEdit {
    CutAt(f64),
    Delete(f64, usize),
    Replace(f64, char),
    Insert(f64, char),
}

fn text_edit() -> impl Strategy<Value = TextEdit> {
    let at = 0.0..1.0f64;
    let ch = prop::sample::select(vec![
        '{', '}', '[', ']', ',', ':', '"', '\\', '0', '9', '-', '.', 'e', 'n', 't', 'x', ' ',
    ]);
    prop_oneof![
        at.clone().prop_map(TextEdit::CutAt),
        (at.clone(), 1..8usize).prop_map(|(a, n)| TextEdit::Delete(a, n)),
        (at.clone(), ch.clone()).prop_map(|(a, c)| TextEdit::Replace(a, c)),
        (at, ch).prop_map(|(a, c)| TextEdit::Insert(a, c)),
    ]
}

/// The text with `edit` applied (on character boundaries).
fn apply_text(text: &str, edit: &TextEdit) -> String {
    let boundary = |at: f64| {
        let mut i = ((text.len() as f64) * at) as usize;
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let mut s = text.to_string();
    match *edit {
        TextEdit::CutAt(at) => s.truncate(boundary(at)),
        TextEdit::Delete(at, n) => {
            let i = boundary(at);
            let end = s[i..].char_indices().nth(n).map_or(s.len(), |(j, _)| i + j);
            s.replace_range(i..end, "");
        }
        TextEdit::Replace(at, c) => {
            let i = boundary(at);
            if let Some(old) = s[i..].chars().next() {
                s.replace_range(i..i + old.len_utf8(), &c.to_string());
            }
        }
        TextEdit::Insert(at, c) => s.insert(boundary(at), c),
    }
    s
}

/// One change to a value: the `node`-th node (pre-order, modulo the count)
/// replaced, or removed from its object or array.
#[derive(Debug, Clone)]
enum ValueEdit {
    Replace(usize, Value),
    /// Replaced by a copy of the `source`-th node.
    CopyFrom(usize, usize),
    Remove(usize),
}

fn value_edit() -> impl Strategy<Value = ValueEdit> {
    let node = any::<usize>();
    let replacement = prop::sample::select(vec![
        json!(null),
        json!(true),
        json!(0),
        json!(-1),
        json!(1.5),
        json!(1e300),
        json!(u64::MAX),
        json!(""),
        json!("x"),
        json!([]),
        json!({}),
        json!({"type": "Apple"}),
    ]);
    prop_oneof![
        (node, replacement).prop_map(|(n, v)| ValueEdit::Replace(n, v)),
        (node, any::<usize>()).prop_map(|(n, s)| ValueEdit::CopyFrom(n, s)),
        node.prop_map(ValueEdit::Remove),
    ]
}

/// Pre-order JSON pointers of every node below the root.
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    let escape = |k: &str| k.replace('~', "~0").replace('/', "~1");
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                let p = format!("{at}/{}", escape(k));
                out.push(p.clone());
                pointers(child, p, out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                let p = format!("{at}/{i}");
                out.push(p.clone());
                pointers(child, p, out);
            }
        }
        _ => {}
    }
}

/// The value with `edit` applied.
fn apply_value(value: &Value, edit: &ValueEdit) -> Value {
    let mut v = value.clone();
    let mut all = Vec::new();
    pointers(value, String::new(), &mut all);
    let pick = |n: usize| all[n % all.len()].as_str();
    match edit {
        ValueEdit::Replace(n, new) => *v.pointer_mut(pick(*n)).unwrap() = new.clone(),
        ValueEdit::CopyFrom(n, source) => {
            let copy = value.pointer(pick(*source)).unwrap().clone();
            *v.pointer_mut(pick(*n)).unwrap() = copy;
        }
        ValueEdit::Remove(n) => {
            let p = pick(*n);
            let (parent, last) = p.rsplit_once('/').unwrap();
            let last = last.replace("~1", "/").replace("~0", "~");
            match v.pointer_mut(parent).unwrap() {
                Value::Object(map) => {
                    map.shift_remove(&last);
                }
                Value::Array(items) => {
                    items.remove(last.parse::<usize>().unwrap());
                }
                _ => unreachable!("a parent is a container"),
            }
        }
    }
    v
}

fn check_edited_value<T: Model + PartialEq + Debug>(
    text: &str,
    edit: &ValueEdit,
) -> Result<(), TestCaseError> {
    let value: Value = serde_json::from_str(text).unwrap();
    let edited = apply_value(&value, edit);
    let edited_text = edited.to_string();
    check_text::<T>(&edited_text)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn large_root_text_corrupted(edit in text_edit()) {
        check_text::<LargeRoot>(&apply_text(LARGE_ROOT_JSON, &edit))?;
    }

    #[test]
    fn large_root_value_corrupted(edit in value_edit()) {
        check_edited_value::<LargeRoot>(LARGE_ROOT_JSON, &edit)?;
    }

    #[test]
    fn fruit_aisle_value_corrupted(edit in value_edit()) {
        check_edited_value::<FruitAisle>(FRUIT_AISLE_JSON, &edit)?;
    }

    #[test]
    fn fruit_aisle_text_corrupted(edit in text_edit()) {
        check_text::<FruitAisle>(&apply_text(FRUIT_AISLE_JSON, &edit))?;
    }

    #[test]
    fn small_models_corrupted(text_edit in text_edit(), value_edit in value_edit()) {
        check_text::<State>(&apply_text(state::DEEP_JSON, &text_edit))?;
        check_edited_value::<State>(state::DEEP_JSON, &value_edit)?;
        check_text::<TestClassModel>(&apply_text(test_class_model::BIG_JSON, &text_edit))?;
        check_edited_value::<TestClassModel>(test_class_model::BIG_JSON, &value_edit)?;
    }
}

/// The corruptions do reach the validator: most are refused, for several
/// different reasons (a generator that only ever produced syntax errors would
/// test little).
#[test]
fn corruptions_are_refused_for_many_reasons() {
    let value: Value = serde_json::from_str(LARGE_ROOT_JSON).unwrap();
    let mut all = Vec::new();
    pointers(&value, String::new(), &mut all);
    let mut kinds = std::collections::BTreeSet::new();
    let step = all.len() / 97;
    for (i, _) in all.iter().enumerate().step_by(step) {
        for edit in [
            ValueEdit::Replace(i, json!("x")),
            ValueEdit::Replace(i, json!(null)),
            ValueEdit::CopyFrom(i, i * 7 + 3),
            ValueEdit::Remove(i),
        ] {
            let edited = apply_value(&value, &edit);
            if let Err(e) = LargeRoot::from_json_value(&edited) {
                let kind = format!("{:?}", e.kind());
                kinds.insert(kind.split([' ', '{', '(']).next().unwrap().to_string());
            }
        }
    }
    for expected in ["WrongType", "MissingField", "DanglingReference"] {
        assert!(kinds.contains(expected), "no {expected} among {kinds:?}");
    }
}

//! Bigger LargeRoots: the fixture's contents repeated, with every identifier
//! renamed per copy, so that a tree `k` times the size has `k` times the
//! models, identifiers and references, and the same shape.

use indexmap::IndexMap;
use serde_json::value::RawValue;

use crate::LARGE_ROOT_JSON;

/// The models in one copy of LargeRoot's contents (the root not included):
/// 30 parts, 943 part lines, 182 components, 30 cars, 50 salespeople, 10
/// dealerships, 50 customers, 90 order line items and 50 orders.
pub const MODELS_PER_COPY: usize = 1_435;

/// A LargeRoot snapshot holding `k` renamed copies of the fixture's contents
/// (`k = 1`: the fixture's own data, with identifiers renamed).
pub fn large_root_times(k: usize) -> String {
    let top: IndexMap<String, &RawValue> =
        serde_json::from_str(LARGE_ROOT_JSON).expect("the fixture is valid JSON");
    let mut out = String::with_capacity(LARGE_ROOT_JSON.len() * k + 64);
    out.push('{');
    let mut first_field = true;
    for (field, raw) in &top {
        if !first_field {
            out.push(',');
        }
        first_field = false;
        out.push_str(&serde_json::to_string(field).expect("a key serializes"));
        out.push(':');
        if field == "type" {
            out.push_str(raw.get());
            continue;
        }
        let entries: IndexMap<String, &RawValue> =
            serde_json::from_str(raw.get()).expect("a collection of models");
        out.push('{');
        let mut first = true;
        for copy in 0..k {
            for (key, value) in &entries {
                if !first {
                    out.push(',');
                }
                first = false;
                out.push_str(&rename(&serde_json::to_string(key).expect("key"), copy));
                out.push(':');
                out.push_str(&rename(value.get(), copy));
            }
        }
        out.push('}');
    }
    out.push('}');
    out
}

/// `json` with every 40-hex-digit string (identifiers, references, map keys,
/// SKUs) suffixed with `-copy`.
fn rename(json: &str, copy: usize) -> String {
    let b = json.as_bytes();
    let suffix = format!("-{copy}");
    let mut out = String::with_capacity(json.len() + json.len() / 8);
    let mut last = 0;
    let mut i = 0;
    while i + 42 <= b.len() {
        if b[i] == b'"'
            && b[i + 41] == b'"'
            && b[i + 1..i + 41]
                .iter()
                .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(c))
        {
            out.push_str(&json[last..i + 41]);
            out.push_str(&suffix);
            last = i + 41;
            i += 42;
        } else {
            i += 1;
        }
    }
    out.push_str(&json[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renames_identifiers_only() {
        let id = "8be4abdd39321ad7d3fe01ffce404f4d6db0906b";
        let s = format!(r#"{{"key":"{id}","name":"x","n":"{id}"}}"#);
        assert_eq!(
            rename(&s, 3),
            format!(r#"{{"key":"{id}-3","name":"x","n":"{id}-3"}}"#)
        );
    }

    #[test]
    fn copies_scale_the_maps() {
        let one: serde_json::Value = serde_json::from_str(&large_root_times(1)).unwrap();
        let three: serde_json::Value = serde_json::from_str(&large_root_times(3)).unwrap();
        for field in [
            "cars",
            "parts",
            "dealerships",
            "salespeople",
            "customers",
            "orders",
        ] {
            let n1 = one[field].as_object().unwrap().len();
            assert_eq!(three[field].as_object().unwrap().len(), 3 * n1, "{field}");
        }
    }
}

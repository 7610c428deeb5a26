//! NamedThing and TestClassModel: the diverse model.

use sapwood::tree::{Frozen, Map, Memo, Model};

/// The small input.
pub const SMALL_JSON: &str = r#"{"bool":true,"frozen":{"test":"string"},"nested":{"key":"mixed_up","name":"MiXeD CaSe"},"map":{"test_key":{"key":"test_key","name":"Testy McTest"}},"array":[{"key":"other_key","name":"A test array element"}]}"#;

/// The big input (map key "d" holds identifier "e").
pub const BIG_JSON: &str = r#"{"bool":true,"frozen":{"test":"string"},"nested":{"key":"mixed_up","name":"MiXeD CaSe"},"array":[{"key":"1","name":"Array Item 1"},{"key":"2","name":"Array Item 2"},{"key":"3","name":"Array Item 3"},{"key":"4","name":"Array Item 4"},{"key":"5","name":"Array Item 4"}],"map":{"a":{"key":"a","name":"Map Item A"},"b":{"key":"b","name":"Map Item B"},"c":{"key":"c","name":"Map Item C"},"d":{"key":"e","name":"Map Item E"},"f":{"key":"f","name":"Map Item F"}}}"#;

/// A named thing with an identifier.
#[derive(Model, Debug, PartialEq)]
pub struct NamedThing {
    /// The identifier.
    #[model(identifier)]
    pub key: String,
    /// The name.
    pub name: String,
}

impl NamedThing {
    /// Method view.
    pub fn lower_cased_name(&self) -> String {
        self.name.to_lowercase()
    }

    /// Method view.
    pub fn upper_cased_name(&self) -> String {
        self.name.to_uppercase()
    }
}

/// A model with one field of each kind.
#[derive(Model, Debug, PartialEq)]
#[model(volatile(volatile: &'static str = "test"))]
pub struct TestClassModel {
    /// A boolean.
    pub bool: bool,
    /// Any JSON.
    pub frozen: Frozen,
    /// A nested model.
    pub nested: NamedThing,
    /// An array of models.
    pub array: Vec<NamedThing>,
    /// A map of models.
    pub map: Map<NamedThing>,
    /// An optional string, "value" when absent.
    #[model(default = "value".to_string())]
    pub optional: String,
    #[model(view = TestClassModel::compute_not_bool)]
    not_bool: Memo<bool>,
    #[model(view = TestClassModel::compute_array_length)]
    array_length: Memo<usize>,
}

impl TestClassModel {
    fn compute_not_bool(&self) -> bool {
        !self.bool
    }

    fn compute_array_length(&self) -> usize {
        self.array.len()
    }
}

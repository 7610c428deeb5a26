//! NameExample: the small model.

use sapwood::tree::{Memo, Model};

/// The input of the hot-path benchmarks.
pub const JSON: &str = r#"{"key":"test","name":"test"}"#;

/// A small model: an identifier, a name, a method view, a getter view and a
/// volatile.
#[derive(Model, Debug, PartialEq)]
#[model(volatile(volatile_prop: &'static str = "test"))]
pub struct NameExample {
    /// The identifier.
    #[model(identifier)]
    pub key: String,
    /// The name.
    pub name: String,
    #[model(view = NameExample::compute_name_length)]
    name_length: Memo<usize>,
}

impl NameExample {
    /// Method view: the name in lower case, spaces as dashes.
    pub fn slug(&self) -> String {
        self.name.to_lowercase().replace(' ', "-")
    }

    fn compute_name_length(&self) -> usize {
        self.name.chars().count()
    }
}

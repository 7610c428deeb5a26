//! State: the recursive, reference-heavy model.

use sapwood::tree::{Model, Ref};

/// The hot-path input: a root with three children, one reference.
pub const JSON: &str = r#"{"id":"root","childStates":[{"id":"child1"},{"id":"child2"},{"id":"child3"}],"initialChildState":"child2"}"#;

/// A deeper input: 17 nodes on 4 levels, 7 references, each
/// `initialChildState` pointing at one of that node's own children.
pub const DEEP_JSON: &str = r#"{"id":"root","initialChildState":"b","childStates":[
  {"id":"a","initialChildState":"a2","childStates":[
    {"id":"a1","initialChildState":"a1y","childStates":[{"id":"a1x"},{"id":"a1y"}]},
    {"id":"a2"},
    {"id":"a3","initialChildState":"a3x","childStates":[{"id":"a3x"},{"id":"a3y"}]}]},
  {"id":"b","initialChildState":"b1","childStates":[
    {"id":"b1","initialChildState":"b1x","childStates":[{"id":"b1x"}]},
    {"id":"b2"},
    {"id":"b3"}]},
  {"id":"c","initialChildState":"c2","childStates":[{"id":"c1"},{"id":"c2"}]}]}"#;

/// A state with child states, one of which is the initial one.
#[derive(Model, Debug, PartialEq)]
#[model(rename_all = "camelCase")]
pub struct State {
    /// The identifier.
    #[model(identifier)]
    pub id: String,
    /// The children (absent: none).
    pub child_states: Vec<State>,
    /// The child to start in.
    pub initial_child_state: Option<Ref<State>>,
}

//! The floor: the same data deserialized by `serde_json` into plain structs,
//! with no Sapwood at all (the `serde_plain` system of the report).
//!
//! Leaf types are the cheapest faithful ones a serde user would pick, and the
//! same as Sapwood's where Sapwood uses a plain serde type, so that the
//! comparison measures Sapwood's own costs: `Box<RawValue>` for frozen JSON,
//! an `IndexMap` with the same hasher for maps, `i64` milliseconds for dates.
//! References stay identifier strings; literal `type` fields are skipped (a
//! zero-sized literal costs nothing either way).

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

/// A string-keyed map in snapshot order.
pub type PlainMap<T> = IndexMap<String, T, foldhash::fast::RandomState>;

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// NameExample.
#[derive(Serialize, Deserialize)]
pub struct NameExample {
    /// The identifier.
    pub key: String,
    /// The name.
    pub name: String,
}

/// NamedThing.
#[derive(Serialize, Deserialize)]
pub struct NamedThing {
    /// The identifier.
    pub key: String,
    /// The name.
    pub name: String,
}

fn value() -> String {
    "value".to_string()
}

/// TestClassModel.
#[derive(Serialize, Deserialize)]
pub struct TestClassModel {
    /// A boolean.
    pub bool: bool,
    /// Any JSON.
    pub frozen: Box<RawValue>,
    /// A nested model.
    pub nested: NamedThing,
    /// An array of models.
    #[serde(default)]
    pub array: Vec<NamedThing>,
    /// A map of models.
    #[serde(default)]
    pub map: PlainMap<NamedThing>,
    /// "value" when absent.
    #[serde(default = "value")]
    pub optional: String,
}

/// State.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct State {
    /// The identifier.
    pub id: String,
    /// The children.
    #[serde(default)]
    pub child_states: Vec<State>,
    /// The initial child's identifier.
    #[serde(default)]
    pub initial_child_state: Option<String>,
}

/// Part.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Part {
    /// The identifier.
    pub key: String,
    /// Name.
    pub name: String,
    /// SKU.
    pub sku: String,
    /// Cost.
    pub cost: f64,
    /// Free-form properties.
    pub properties: Box<RawValue>,
    /// Created.
    #[serde(default = "now")]
    pub created_at: i64,
}

/// PartLine.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PartLine {
    /// The part's identifier.
    pub part: String,
    /// Quantity.
    #[serde(default)]
    pub quantity: f64,
    /// Created.
    #[serde(default = "now")]
    pub created_at: i64,
}

/// Component.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Component {
    /// The identifier.
    pub key: String,
    /// Name.
    pub name: String,
    /// Part lines.
    #[serde(default)]
    pub parts: PlainMap<PartLine>,
    /// Created.
    #[serde(default = "now")]
    pub created_at: i64,
}

/// Car.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Car {
    /// The identifier.
    pub key: String,
    /// Make.
    pub make: String,
    /// Model.
    pub model: String,
    /// Year.
    pub year: f64,
    /// Description.
    pub description: String,
    /// Components.
    #[serde(default)]
    pub components: PlainMap<Component>,
    /// Created.
    #[serde(default = "now")]
    pub created_at: i64,
}

/// Salesperson.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Salesperson {
    /// The identifier.
    pub key: String,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Email.
    pub email: Option<String>,
    /// Phone.
    pub phone_number: Option<String>,
    /// Created.
    #[serde(default = "now")]
    pub created_at: i64,
}

/// Dealership.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Dealership {
    /// The identifier.
    pub key: String,
    /// Name.
    pub name: String,
    /// Street address.
    pub street_address: String,
    /// City.
    pub city: String,
    /// Province.
    pub province: String,
    /// Postal code.
    pub postal_code: String,
    /// Country.
    pub country: String,
    /// Salespeople's identifiers.
    #[serde(default)]
    pub salespeople: Vec<String>,
    /// Created.
    #[serde(default = "now")]
    pub created_at: i64,
}

/// Customer.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Customer {
    /// The identifier.
    pub key: String,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Email.
    pub email: Option<String>,
    /// Phone.
    pub phone_number: Option<String>,
    /// Created.
    #[serde(default = "now")]
    pub created_at: i64,
}

/// OrderLineItem.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderLineItem {
    /// The identifier.
    pub key: String,
    /// The car's identifier.
    pub car: String,
    /// Price.
    pub price: f64,
    /// Created.
    #[serde(default = "now")]
    pub created_at: i64,
}

/// Order.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Order {
    /// The identifier.
    pub key: String,
    /// The dealership's identifier.
    pub dealership: String,
    /// The salesperson's identifier.
    pub salesperson: String,
    /// The customer's identifier.
    pub customer: String,
    /// Line items.
    #[serde(default)]
    pub line_items: Vec<OrderLineItem>,
    /// Created.
    #[serde(default = "now")]
    pub created_at: i64,
}

/// LargeRoot.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LargeRoot {
    /// Cars.
    #[serde(default)]
    pub cars: PlainMap<Car>,
    /// Parts.
    #[serde(default)]
    pub parts: PlainMap<Part>,
    /// Dealerships.
    #[serde(default)]
    pub dealerships: PlainMap<Dealership>,
    /// Salespeople.
    #[serde(default)]
    pub salespeople: PlainMap<Salesperson>,
    /// Customers.
    #[serde(default)]
    pub customers: PlainMap<Customer>,
    /// Orders.
    #[serde(default)]
    pub orders: PlainMap<Order>,
}

fn red() -> String {
    "red".into()
}
fn green() -> String {
    "green".into()
}
fn bartlett() -> String {
    "Bartlett".into()
}
fn yellow() -> String {
    "yellow".into()
}
fn hundred() -> f64 {
    100.0
}

/// Apple.
#[derive(Serialize, Deserialize)]
pub struct Apple {
    /// Colour.
    #[serde(default = "red")]
    pub color: String,
    /// Ripeness.
    pub ripeness: i64,
}

/// Banana.
#[derive(Serialize, Deserialize)]
pub struct Banana {
    /// Spots.
    #[serde(default)]
    pub spots: f64,
    /// Ripeness.
    pub ripeness: f64,
}

/// BananaBunch.
#[derive(Serialize, Deserialize)]
pub struct BananaBunch {
    /// Bananas.
    #[serde(default)]
    pub bananas: Vec<Banana>,
    /// Origin.
    pub origin: String,
}

/// Pear.
#[derive(Serialize, Deserialize)]
pub struct Pear {
    /// Colour.
    #[serde(default = "green")]
    pub color: String,
    /// Breed.
    #[serde(default = "bartlett")]
    pub breed: String,
}

/// Kiwi.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Kiwi {
    /// Seeds.
    #[serde(default = "hundred")]
    pub seed_count: f64,
}

/// Orange size.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Size {
    /// Small.
    Small,
    /// Medium.
    Medium,
    /// Large.
    Large,
}

/// Orange.
#[derive(Serialize, Deserialize)]
pub struct Orange {
    /// Size.
    pub size: Size,
}

/// Passionfruit.
#[derive(Serialize, Deserialize)]
pub struct Passionfruit {
    /// Colour.
    #[serde(default = "yellow")]
    pub color: String,
}

/// Fruit, internally tagged by `type`.
#[derive(Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum Fruit {
    /// Apple.
    Apple(Apple),
    /// Banana.
    Banana(Banana),
    /// BananaBunch.
    BananaBunch(BananaBunch),
    /// Pear.
    Pear(Pear),
    /// Kiwi.
    Kiwi(Kiwi),
    /// Orange.
    Orange(Orange),
    /// Passionfruit.
    Passionfruit(Passionfruit),
}

/// FruitBin.
#[derive(Serialize, Deserialize)]
pub struct FruitBin {
    /// The fruit.
    pub fruit: Fruit,
    /// Count.
    pub count: i64,
}

/// FruitAisle.
#[derive(Serialize, Deserialize)]
pub struct FruitAisle {
    /// Bins.
    #[serde(default)]
    pub bins: PlainMap<FruitBin>,
}

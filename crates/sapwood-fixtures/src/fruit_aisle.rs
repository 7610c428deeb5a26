//! FruitAisle: the union model (`fruit-aisle-snapshot.json`).

use sapwood::tree::{Map, Model};

/// An apple.
#[derive(Model, Debug, PartialEq)]
pub struct Apple {
    /// Colour, "red" when absent.
    #[model(default = "red".to_string())]
    pub color: String,
    /// Ripeness, an integer.
    pub ripeness: i64,
}

/// A banana.
#[derive(Model, Debug, PartialEq)]
pub struct Banana {
    /// Spots, 0 when absent.
    #[model(default)]
    pub spots: f64,
    /// Ripeness.
    pub ripeness: f64,
}

/// A bunch of bananas.
#[derive(Model, Debug, PartialEq)]
pub struct BananaBunch {
    /// The bananas.
    pub bananas: Vec<Banana>,
    /// Where they come from.
    pub origin: String,
}

/// A pear.
#[derive(Model, Debug, PartialEq)]
pub struct Pear {
    /// Colour, "green" when absent.
    #[model(default = "green".to_string())]
    pub color: String,
    /// Breed, "Bartlett" when absent.
    #[model(default = "Bartlett".to_string())]
    pub breed: String,
}

/// A kiwi.
#[derive(Model, Debug, PartialEq)]
#[model(rename_all = "camelCase")]
pub struct Kiwi {
    /// Seeds, 100 when absent.
    #[model(default = 100.0)]
    pub seed_count: f64,
}

/// An orange's size.
#[derive(Model, Debug, PartialEq, Clone, Copy)]
#[model(rename_all = "lowercase")]
pub enum Size {
    /// "small".
    Small,
    /// "medium".
    Medium,
    /// "large".
    Large,
}

/// An orange.
#[derive(Model, Debug, PartialEq)]
pub struct Orange {
    /// Its size.
    pub size: Size,
}

/// A passion fruit.
#[derive(Model, Debug, PartialEq)]
pub struct Passionfruit {
    /// Colour, "yellow" when absent.
    #[model(default = "yellow".to_string())]
    pub color: String,
}

/// Any fruit, told apart by its `type` field.
#[derive(Model, Debug, PartialEq)]
#[model(tag = "type")]
pub enum Fruit {
    /// "Apple".
    Apple(Apple),
    /// "Banana".
    Banana(Banana),
    /// "BananaBunch".
    BananaBunch(BananaBunch),
    /// "Pear".
    Pear(Pear),
    /// "Kiwi".
    Kiwi(Kiwi),
    /// "Orange".
    Orange(Orange),
    /// "Passionfruit".
    Passionfruit(Passionfruit),
}

/// A bin of one fruit.
#[derive(Model, Debug, PartialEq)]
pub struct FruitBin {
    /// The fruit.
    pub fruit: Fruit,
    /// How many.
    pub count: i64,
}

/// The aisle: bins by name.
#[derive(Model, Debug, PartialEq)]
pub struct FruitAisle {
    /// The bins.
    pub bins: Map<FruitBin>,
}

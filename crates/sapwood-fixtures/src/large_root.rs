//! LargeRoot: the large tree (`large-root-snapshot.json`).
//!
//! Every model has a `type` literal defaulting to its own name, and every model
//! but the root a `createdAt` date defaulting to now. Most references point
//! forward, to models later in the file.

use sapwood::tree::{literal, Date, Frozen, Map, Memo, Model, Ref};

literal!(
    /// `"Part"`.
    pub PartType = "Part"
);
literal!(
    /// `"PartLine"`.
    pub PartLineType = "PartLine"
);
literal!(
    /// `"Component"`.
    pub ComponentType = "Component"
);
literal!(
    /// `"Car"`.
    pub CarType = "Car"
);
literal!(
    /// `"Salesperson"`.
    pub SalespersonType = "Salesperson"
);
literal!(
    /// `"Dealership"`.
    pub DealershipType = "Dealership"
);
literal!(
    /// `"Customer"`.
    pub CustomerType = "Customer"
);
literal!(
    /// `"OrderLineItem"`.
    pub OrderLineItemType = "OrderLineItem"
);
literal!(
    /// `"Order"`.
    pub OrderType = "Order"
);
literal!(
    /// `"LargeRoot"`.
    pub LargeRootType = "LargeRoot"
);

/// A part.
#[derive(Model, Debug, PartialEq)]
#[model(rename_all = "camelCase")]
pub struct Part {
    /// `"Part"`.
    #[model(rename = "type", default)]
    pub kind: PartType,
    /// The identifier.
    #[model(identifier)]
    pub key: String,
    /// Name.
    pub name: String,
    /// Stock-keeping unit.
    pub sku: String,
    /// Cost.
    pub cost: f64,
    /// Free-form properties.
    pub properties: Frozen,
    /// Created, now when absent.
    #[model(default = Date::now())]
    pub created_at: Date,
}

/// A quantity of a part.
#[derive(Model, Debug, PartialEq)]
#[model(rename_all = "camelCase")]
pub struct PartLine {
    /// `"PartLine"`.
    #[model(rename = "type", default)]
    pub kind: PartLineType,
    /// The part.
    pub part: Ref<Part>,
    /// How many, 0 when absent.
    #[model(default)]
    pub quantity: f64,
    /// Created, now when absent.
    #[model(default = Date::now())]
    pub created_at: Date,
}

impl PartLine {
    /// Method view: the part's cost times the quantity.
    pub fn cost(&self) -> f64 {
        self.part.cost * self.quantity
    }
}

/// A component of a car: lines of parts.
#[derive(Model, Debug, PartialEq)]
#[model(rename_all = "camelCase")]
pub struct Component {
    /// `"Component"`.
    #[model(rename = "type", default)]
    pub kind: ComponentType,
    /// The identifier.
    #[model(identifier)]
    pub key: String,
    /// Name.
    pub name: String,
    /// Part lines.
    pub parts: Map<PartLine>,
    /// Created, now when absent.
    #[model(default = Date::now())]
    pub created_at: Date,
}

impl Component {
    /// Method view: the sum of the lines' costs.
    pub fn cost(&self) -> f64 {
        self.parts.values().map(PartLine::cost).sum()
    }
}

/// A car.
#[derive(Model, Debug, PartialEq)]
#[model(rename_all = "camelCase")]
pub struct Car {
    /// `"Car"`.
    #[model(rename = "type", default)]
    pub kind: CarType,
    /// The identifier.
    #[model(identifier)]
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
    pub components: Map<Component>,
    /// Created, now when absent.
    #[model(default = Date::now())]
    pub created_at: Date,
}

impl Car {
    /// Method view: "year make model".
    pub fn descriptor(&self) -> String {
        format!("{} {} {}", self.year, self.make, self.model)
    }
}

/// A salesperson.
#[derive(Model, Debug, PartialEq)]
#[model(rename_all = "camelCase")]
pub struct Salesperson {
    /// `"Salesperson"`.
    #[model(rename = "type", default)]
    pub kind: SalespersonType,
    /// The identifier.
    #[model(identifier)]
    pub key: String,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Email, or null.
    pub email: Option<String>,
    /// Phone number, or null.
    pub phone_number: Option<String>,
    /// Created, now when absent.
    #[model(default = Date::now())]
    pub created_at: Date,
    #[model(view = Salesperson::compute_name)]
    name: Memo<String>,
}

impl Salesperson {
    fn compute_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }
}

/// A dealership and its salespeople.
#[derive(Model, Debug, PartialEq)]
#[model(rename_all = "camelCase")]
pub struct Dealership {
    /// `"Dealership"`.
    #[model(rename = "type", default)]
    pub kind: DealershipType,
    /// The identifier.
    #[model(identifier)]
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
    /// Its salespeople.
    pub salespeople: Vec<Ref<Salesperson>>,
    /// Created, now when absent.
    #[model(default = Date::now())]
    pub created_at: Date,
}

impl Dealership {
    /// Method view: "name, city".
    pub fn descriptor(&self) -> String {
        format!("{}, {}", self.name, self.city)
    }
}

/// A customer.
#[derive(Model, Debug, PartialEq)]
#[model(rename_all = "camelCase")]
pub struct Customer {
    /// `"Customer"`.
    #[model(rename = "type", default)]
    pub kind: CustomerType,
    /// The identifier.
    #[model(identifier)]
    pub key: String,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Email, or null.
    pub email: Option<String>,
    /// Phone number, or null.
    pub phone_number: Option<String>,
    /// Created, now when absent.
    #[model(default = Date::now())]
    pub created_at: Date,
}

/// One car of an order.
#[derive(Model, Debug, PartialEq)]
#[model(rename_all = "camelCase")]
pub struct OrderLineItem {
    /// `"OrderLineItem"`.
    #[model(rename = "type", default)]
    pub kind: OrderLineItemType,
    /// The identifier.
    #[model(identifier)]
    pub key: String,
    /// The car.
    pub car: Ref<Car>,
    /// Price.
    pub price: f64,
    /// Created, now when absent.
    #[model(default = Date::now())]
    pub created_at: Date,
}

/// An order.
#[derive(Model, Debug, PartialEq)]
#[model(rename_all = "camelCase")]
pub struct Order {
    /// `"Order"`.
    #[model(rename = "type", default)]
    pub kind: OrderType,
    /// The identifier.
    #[model(identifier)]
    pub key: String,
    /// Where.
    pub dealership: Ref<Dealership>,
    /// Who sold.
    pub salesperson: Ref<Salesperson>,
    /// Who bought.
    pub customer: Ref<Customer>,
    /// What.
    pub line_items: Vec<OrderLineItem>,
    /// Created, now when absent.
    #[model(default = Date::now())]
    pub created_at: Date,
}

/// The root: everything by identifier.
#[derive(Model, Debug, PartialEq)]
#[model(rename_all = "camelCase")]
pub struct LargeRoot {
    /// `"LargeRoot"`.
    #[model(rename = "type", default)]
    pub kind: LargeRootType,
    /// Cars.
    pub cars: Map<Car>,
    /// Parts.
    pub parts: Map<Part>,
    /// Dealerships.
    pub dealerships: Map<Dealership>,
    /// Salespeople.
    pub salespeople: Map<Salesperson>,
    /// Customers.
    pub customers: Map<Customer>,
    /// Orders.
    pub orders: Map<Order>,
    #[model(view = LargeRoot::compute_car_count)]
    car_count: Memo<usize>,
    #[model(view = LargeRoot::compute_part_count)]
    part_count: Memo<usize>,
    #[model(view = LargeRoot::compute_dealerships_count)]
    dealerships_count: Memo<usize>,
}

impl LargeRoot {
    fn compute_car_count(&self) -> usize {
        self.cars.len()
    }

    fn compute_part_count(&self) -> usize {
        self.parts.len()
    }

    fn compute_dealerships_count(&self) -> usize {
        self.dealerships.len()
    }

    /// The first car (a method: a reference into the tree costs nothing to
    /// find, and a memo of it would refer to the tree itself).
    pub fn first_car(&self) -> Option<&Car> {
        self.cars.values().next()
    }
}

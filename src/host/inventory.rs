//! TODO
pub struct Inventory;

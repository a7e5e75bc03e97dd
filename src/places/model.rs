//! Regions and communes as sent to clients.

use serde::{Deserialize, Serialize};

/// One of the 18 official regions, by INSEE code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Region {
    pub code: String,
    pub name: String,
}

/// A commune, with what distinguishes it from its namesakes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct City {
    /// INSEE code, e.g. "69123" for Lyon.
    pub code: String,
    pub name: String,
    /// Département code, e.g. "69" or "2A".
    pub department: String,
    pub region: Region,
    /// The main postal code (the lowest), when the commune has one.
    pub postal_code: Option<String>,
}

impl City {
    /// "Lyon (69)": what autocomplete proposes and what the search form accepts back.
    pub fn label(&self) -> String {
        format!("{} ({})", self.name, self.department)
    }
}

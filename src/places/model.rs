//! Regions and communes as sent to clients.

use crate::error::AppError;
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

/// The error of a city `field` whose text (`typed`) names no commune, proposing the
/// `nearest` communes' labels, if any.
pub fn unknown_city(field: &str, typed: &str, nearest: &[City]) -> AppError {
    let typed = typed.trim();
    let labels: Vec<String> = nearest.iter().map(City::label).collect();
    let advice = match labels.as_slice() {
        [] => "Essayez son nom complet ou son code postal.".to_owned(),
        [only] => format!("Vouliez-vous dire {only}\u{a0}?"),
        [first @ .., last] => format!("Vouliez-vous dire {} ou {last}\u{a0}?", first.join(", ")),
    };
    AppError::invalid(
        field,
        format!("Nous ne trouvons pas de commune «\u{a0}{typed}\u{a0}». {advice}"),
    )
    .proposing(labels)
}

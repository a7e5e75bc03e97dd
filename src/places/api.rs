//! Server functions for reference data: the region list and city autocomplete.

use crate::{
    error::AppError,
    places::model::{City, Region},
};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{places::store, state::app_state};

/// The 18 French regions.
#[server(endpoint = "regions")]
pub async fn list_regions() -> Result<Vec<Region>, AppError> {
    store::regions(&app_state()?.db).await
}

/// Up to 10 communes starting with `query` (a name, accents optional, or a postal code),
/// larger towns first.
#[server(endpoint = "suggest_cities")]
pub async fn suggest_cities(query: String) -> Result<Vec<City>, AppError> {
    if query.chars().count() > 100 {
        return Ok(Vec::new());
    }
    store::suggest(&app_state()?.db, &query, 10).await
}

//! The host profile's rules, behind its server function: each field bounded and required,
//! the commune understood (or the communes it may mean).

use crate::{
    db::now_ms,
    error::AppError,
    hosts::{
        model::{HostForm, HostProfile, limits},
        store,
    },
    places::{self, model::unknown_city, store::CityMatch},
    state::AppState,
    text::bounded,
};

/// Saves `host`'s profile as the form sent it, and returns it as saved. Invalid input changes
/// nothing and names the faulty field.
pub async fn save(state: &AppState, host: i64, form: &HostForm) -> Result<HostProfile, AppError> {
    let name = bounded("host[name]", "Nom", &form.name, limits::NAME)?;
    if name.is_empty() {
        return Err(AppError::invalid(
            "host[name]",
            "Indiquez votre nom, ou celui de votre entreprise.",
        ));
    }
    let typed_city = bounded("host[city]", "Ville", &form.city, limits::CITY)?;
    let description = bounded(
        "host[description]",
        "Le lieu",
        &form.description,
        limits::DESCRIPTION,
    )?;
    if typed_city.is_empty() {
        return Err(AppError::invalid(
            "host[city]",
            "Indiquez la commune du lieu.",
        ));
    }
    let city = match places::store::lookup(&state.db, &typed_city).await? {
        CityMatch::Found { city, .. } => city,
        CityMatch::Unknown { nearest } => {
            return Err(unknown_city("host[city]", &typed_city, &nearest));
        }
    };
    store::save(&state.db, host, &name, &city.code, &description, now_ms()).await?;
    store::find_visible(&state.db, host, host)
        .await?
        .ok_or_else(|| AppError::internal("saving a host profile", "saved profile not found"))
}

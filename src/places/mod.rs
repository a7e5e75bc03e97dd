//! French regions and communes (official INSEE codes): what makes "search by city" answerable.

pub mod api;
pub mod components;
pub mod model;

#[cfg(feature = "ssr")]
pub mod store;

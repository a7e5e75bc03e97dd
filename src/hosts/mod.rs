//! Hosts: their confidential profile (name, city, the place they offer) and who may see it.

pub mod api;
pub mod model;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod profiles;
#[cfg(feature = "ssr")]
pub mod store;

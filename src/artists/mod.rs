//! Artists: public profiles and concert offers, the editor, public pages and search.

pub mod api;
pub mod model;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod editing;
#[cfg(feature = "ssr")]
pub mod finding;
#[cfg(feature = "ssr")]
pub mod photo;
#[cfg(feature = "ssr")]
pub mod profile;
#[cfg(feature = "ssr")]
pub mod seo;
#[cfg(feature = "ssr")]
pub mod store;

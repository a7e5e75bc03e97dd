//! The account as a whole, across features: the account page (`/profil`), which gathers each
//! feature's editor; the copy of a member's data ("Mes données") and the removal of an
//! account, which reach every feature's data through its own store.

pub mod api;
pub mod model;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod removal;

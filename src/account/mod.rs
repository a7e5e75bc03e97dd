//! The account as a whole, across features: the account page (`/profil`), which gathers each
//! feature's editor, and the removal of an account, which reaches every feature's data
//! through its own store.

pub mod api;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod removal;

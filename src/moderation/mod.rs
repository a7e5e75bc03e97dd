//! Trust between strangers: members report messages, conversations and profiles; the
//! moderators (a role granted on the server, never through the site) handle the cases at
//! `/moderation`, and every action they take is written to an audit log.

pub mod api;
pub mod model;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod cases;
#[cfg(feature = "ssr")]
pub mod emails;
#[cfg(feature = "ssr")]
pub mod flags;
#[cfg(feature = "ssr")]
pub mod roles;
#[cfg(feature = "ssr")]
pub mod store;

//! The messenger between hosts and artists: conversations, messages, unread counts, archive;
//! the inbox and thread pages.

pub mod api;
pub mod model;
pub mod pages;
pub mod signals;

#[cfg(feature = "ssr")]
pub mod bookings;
#[cfg(feature = "ssr")]
pub mod conversations;
#[cfg(feature = "ssr")]
pub mod emails;
#[cfg(feature = "ssr")]
pub mod events;
#[cfg(feature = "ssr")]
pub mod store;

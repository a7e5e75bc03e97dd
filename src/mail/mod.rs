//! Messages by e-mail, for those who ask: their settings, the outbox written with each
//! message, the worker that sends it (SMTP, or `.eml` files without a server), and the
//! one-click unsubscribe link.

pub mod api;
pub mod model;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod templates;
#[cfg(feature = "ssr")]
pub mod token;
#[cfg(feature = "ssr")]
pub mod transport;
#[cfg(feature = "ssr")]
pub mod worker;

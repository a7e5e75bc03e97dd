//! E-mail: the outbox (account e-mails, and messages for those who ask), the worker that
//! sends it (SMTP, or `.eml` files without a server), the signed unsubscribe links, and the
//! settings' store. Its server functions and pages are the account's (`account/`).

pub mod model;

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

//! Live updates: the server pushes events (`GET /events`, Server-Sent Events) to every open
//! page of the user concerned; in the browser they feed the signals behind the unread badge,
//! the tab title, the favicon and the open conversation.

pub mod model;
pub mod signals;

#[cfg(feature = "ssr")]
pub mod bus;
#[cfg(feature = "hydrate")]
mod connection;
#[cfg(feature = "ssr")]
pub mod hub;
#[cfg(feature = "ssr")]
pub mod listener;
#[cfg(feature = "ssr")]
mod store;
#[cfg(feature = "ssr")]
pub mod stream;

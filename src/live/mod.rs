//! Live updates, as a transport that knows no feature: the server pushes events
//! (`GET /events`, Server-Sent Events) to every open page of the user concerned, carries
//! notices between servers (PostgreSQL `NOTIFY`/`LISTEN`) and ends the streams of a session
//! that ends. Features register what they keep live (`bus::Topic`) on the server, and what
//! they do with its events (`signals::LiveStream::on_event`) in the browser.

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

//! Concert requests inside a conversation: a host proposes a date, a formule, guests and a
//! fee; the other side accepts, declines or counter-proposes; either side may call off an
//! accepted concert before its date. Each step is also a message of the conversation, which
//! the messenger stores and delivers (`messaging::bookings`).

pub mod model;

#[cfg(feature = "ssr")]
pub mod calendar;
#[cfg(feature = "ssr")]
pub mod requests;
#[cfg(feature = "ssr")]
pub mod store;

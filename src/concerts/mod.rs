//! Concert requests inside a conversation: a host proposes a date, a formule, guests and a
//! fee; the other side accepts, declines or counter-proposes; either side may call off an
//! accepted concert before its date. Each step is also a message of the conversation, which
//! the messenger stores and delivers (`messaging::bookings`). Once a concert has taken place,
//! each side may review the other (`reviews`).

pub mod api;
pub mod model;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod calendar;
#[cfg(feature = "ssr")]
pub mod requests;
#[cfg(feature = "ssr")]
pub mod reviews;
#[cfg(feature = "ssr")]
pub mod store;

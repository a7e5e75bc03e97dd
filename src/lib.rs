//! Concerts dans mon salon: one crate, built twice by cargo-leptos — `ssr` for the server
//! binary, `hydrate` for the WebAssembly that brings the server's pages to life.

pub mod account;
pub mod app;
pub mod artists;
pub mod auth;
pub mod concerts;
pub mod error;
pub mod form_refusals;
pub mod hosts;
pub mod layout;
pub mod live;
pub mod mail;
pub mod messaging;
pub mod moderation;
pub mod pages;
pub mod paths;
pub mod places;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod clock;
#[cfg(feature = "ssr")]
pub mod config;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod page_cache;
#[cfg(feature = "ssr")]
pub mod rate_limit;
#[cfg(feature = "ssr")]
pub mod rationed;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod signing;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod static_files;
#[cfg(feature = "ssr")]
pub mod telemetry;
#[cfg(feature = "ssr")]
pub mod text;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    form_refusals::clean_address_bar();
    // Pages render on the server; only their islands (the live badge, the inbox, the open
    // conversation, the editors…) run here, sharing the page's one live stream.
    leptos::mount::hydrate_islands();
    messaging::signals::LiveMessages::provide(live::signals::LiveStream::provide());
    // A marker for end-to-end tests (and CSS): clicks before this land on inert HTML.
    if let Some(body) = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.body())
    {
        let _ = body.dataset().set("hydrated", "true");
    }
}

//! Shared components that know no feature: form fields, loading and error views, the 404
//! page, times, and whether the page hydrates.

pub mod forms;
pub mod hydration;
pub mod loading;
pub mod not_found;
pub mod time;

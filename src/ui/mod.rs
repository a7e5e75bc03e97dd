//! Shared components that know no feature: form fields, loading and error views, the 404
//! page, and times.

pub mod forms;
pub mod loading;
pub mod not_found;
pub mod time;

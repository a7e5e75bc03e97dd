//! Shared components: page layout, form fields, and loading and error views.

pub mod forms;
pub mod layout;
pub mod loading;
pub mod time;

//! Shared components: page layout and form fields.

pub mod forms;
pub mod layout;
pub mod time;

//! A host's profile as clients send and receive it.

use crate::places::model::City;
use serde::{Deserialize, Serialize};

pub mod limits {
    pub const NAME: usize = 80;
    pub const CITY: usize = 100;
    pub const DESCRIPTION: usize = 5000;
}

/// The host editor's form as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct HostForm {
    pub name: String,
    /// A commune name, "Name (département)" or postal code.
    pub city: String,
    /// The place offered: kind of place, capacity, access, instruments, anything.
    pub description: String,
}

/// A host's profile: seen by the host, and by the artists this host wrote to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostProfile {
    /// The host's account id, which addresses the profile (`/hotes/{id}`).
    pub id: i64,
    pub name: String,
    pub city: Option<City>,
    pub description: String,
    /// Milliseconds since the Unix epoch.
    pub updated_at: i64,
}

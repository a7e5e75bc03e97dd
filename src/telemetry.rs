//! Structured logs through `tracing`: human-readable by default, JSON with `LOG_JSON=true`.

use crate::config::Config;
use tracing_subscriber::{EnvFilter, fmt};

pub fn init(config: &Config) {
    let filter = EnvFilter::try_new(&config.log_level).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = fmt().with_env_filter(filter).with_target(true);
    let result = if config.log_json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
    if let Err(error) = result {
        eprintln!("logging was already set up: {error}");
    }
}

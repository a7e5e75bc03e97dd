//! The integration tests: the real application, started on a random port against a fresh
//! database (a SQLite file, or a PostgreSQL database when `TEST_POSTGRES_URL` names a
//! server), driven over HTTP. One binary, so the app is linked once, as zero2prod's
//! `tests/api/` does; a module per area.

mod common;

mod account;
mod api_shapes;
mod artists;
mod auth;
mod binary;
mod blocks;
mod concerts;
mod crowd;
mod faults;
mod hostile;
mod hosts;
mod live;
mod mail;
mod messaging;
mod migrations;
mod moderation;
mod my_data;
mod pages;
mod scale_out;

//! The Tianping server: configuration, the router (Leptos pages and server functions plus the
//! non-Leptos routes), telemetry and admin subcommands. `main.rs` is only the command line.
pub mod assets;
pub mod bench;
pub mod bench_signalling;
pub mod config;
pub mod routes;
pub mod serve;
pub mod telemetry;

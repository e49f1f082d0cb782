//! The terminal UI: `zcon` with no subcommand.

pub mod app;
pub mod config;
pub mod detail;
pub mod draw;
pub mod filter;
pub mod form;
pub mod input;
pub mod list;
pub mod panes;
pub mod run;
pub mod sessions;
pub mod terminal;
pub mod tree;
pub mod wizard;

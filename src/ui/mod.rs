//! The terminal UI.

pub mod config;

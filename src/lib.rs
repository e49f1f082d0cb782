//! zcon: a terminal console for illumos / OmniOS hypervisor hosts.
//!
//! Layers look only down: `sys` (pure argv builders and parsers) → `host` (running commands,
//! the inventory) → `cli`. `sim` is the simulated illumos host that stands beside them.

pub mod cli;
pub mod console;
pub mod exec;
pub mod host;
pub mod ops;
pub mod sim;
pub mod sys;
pub mod termdrive;
pub mod ui;
pub mod views;

//! Host access: where the host's commands and files are (sys path, sys root), running
//! commands (elevation, audit log), and the inventory snapshot.

pub mod audit;
pub mod config;
pub mod inventory;
pub mod runner;
pub mod stream;

pub use config::{Elevation, HostConfig};
pub use inventory::Inventory;
pub use runner::{CmdOutput, HostError, Runner};

//! The console's settings: `config.toml`, the theme and the keymap, each embedded by default
//! and overridden from the user's config directory.

pub mod key;
pub mod keymap;
pub mod keymap_file;
pub mod load;
mod source;
pub mod theme;
pub mod theme_file;

use std::time::Duration;

pub use key::Key;
pub use keymap::{Action, Binding, Context, Keymap, Lookup};
pub use load::{config_dir, effective_toml, load, load_theme, theme_names};
pub use theme::{Slot, Theme};

/// `config.toml`.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Built-in or user theme to start with.
    pub theme: String,
    /// Built-in keymap to start from (`default` or `arrows`).
    pub keymap: String,
    /// How often the inventory is read again; zero turns the timer off (`R` still works).
    pub refresh: Duration,
    pub mouse: bool,
    pub read_only: bool,
    /// `[tasks]`: how the worker runs tasks, and lifecycle timeouts.
    pub tasks: TaskConfig,
    /// `[console]`: lines of scrollback each embedded console keeps.
    pub scrollback: usize,
}

/// Lines an embedded console keeps after they scroll off its top, unless configured.
pub const DEFAULT_SCROLLBACK: usize = 10_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskConfig {
    /// Tasks that run at once.
    pub concurrency: usize,
    /// Finished tasks kept in the journal.
    pub history: usize,
    /// Seconds a graceful shutdown may take before the task stops it (and halt is offered).
    pub shutdown_timeout: u64,
}

impl Default for TaskConfig {
    fn default() -> Self {
        let worker = crate::exec::worker::WorkerSettings::default();
        TaskConfig {
            concurrency: worker.concurrency,
            history: worker.history,
            shutdown_timeout: crate::ops::zone::DEFAULT_SHUTDOWN_TIMEOUT_S,
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            theme: "default".to_string(),
            keymap: "default".to_string(),
            refresh: Duration::from_secs(2),
            mouse: false,
            read_only: false,
            tasks: TaskConfig::default(),
            scrollback: DEFAULT_SCROLLBACK,
        }
    }
}

/// Everything the console was configured with, and what was wrong in the user's files.
#[derive(Debug, Clone)]
pub struct Settings {
    pub config: Config,
    pub theme: Theme,
    pub keymap: Keymap,
    pub warnings: Vec<Warning>,
}

impl Settings {
    /// The embedded defaults alone (tests, snapshots, benchmarks).
    pub fn builtin() -> Settings {
        Settings {
            config: Config::default(),
            theme: Theme::builtin(),
            keymap: Keymap::builtin(),
            warnings: Vec::new(),
        }
    }
}

/// Something in a user file that was ignored; the default stays in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub file: String,
    pub line: Option<usize>,
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.file, line, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

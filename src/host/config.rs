//! Where zcon finds the host's commands and files, and how it gains privilege.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The default command search path on an illumos host.
pub const DEFAULT_SYS_PATH: &str = "/usr/sbin:/usr/bin:/sbin:/bin";

/// How mutating commands gain privilege when zcon is not running as root.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Elevation {
    /// `pfexec CMD …` (RBAC profiles: the illumos way).
    #[default]
    Pfexec,
    /// `sudo -n CMD …` (never prompts: a missing rule fails instead of hanging a task).
    Sudo,
    /// Run commands as they are.
    None,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HostConfig {
    /// Directories searched, in order, for the host's commands.
    pub sys_path: Vec<PathBuf>,
    /// The host's `/`: host files (/etc/zones/…) are read beneath it.
    pub sys_root: PathBuf,
    pub elevation: Elevation,
    /// Whether zcon runs as root (then nothing is elevated).
    pub is_root: bool,
    /// zcon's own state: the audit log (and later the task journal).
    pub state_dir: PathBuf,
}

impl HostConfig {
    /// The real host, with the given overrides.
    pub fn real(sys_path: Option<&str>, sys_root: Option<&Path>, state_dir: PathBuf) -> Self {
        HostConfig {
            sys_path: std::env::split_paths(sys_path.unwrap_or(DEFAULT_SYS_PATH)).collect(),
            sys_root: sys_root.map_or_else(|| PathBuf::from("/"), Path::to_path_buf),
            elevation: Elevation::default(),
            is_root: rustix::process::geteuid().is_root(),
            state_dir,
        }
    }

    /// A sim host at `dir`: its bin/ and root/, zcon's state inside it.
    pub fn sim(dir: &Path) -> Self {
        HostConfig {
            sys_path: vec![dir.join("bin")],
            sys_root: dir.join("root"),
            elevation: Elevation::default(),
            is_root: rustix::process::geteuid().is_root(),
            state_dir: dir.join("zcon-state"),
        }
    }

    /// A host path (`/etc/zones/index`) beneath the sys root.
    pub fn host_path(&self, abs: &str) -> PathBuf {
        self.sys_root.join(abs.trim_start_matches('/'))
    }
}

/// zcon's state directory on the real host (XDG state dir, e.g. ~/.local/state/zcon).
pub fn default_state_dir() -> PathBuf {
    directories::ProjectDirs::from("", "", "zcon")
        .map(|d| {
            d.state_dir()
                .map_or_else(|| d.data_local_dir().to_path_buf(), Path::to_path_buf)
        })
        .unwrap_or_else(|| std::env::temp_dir().join("zcon-state"))
}

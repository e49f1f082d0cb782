//! Which host the CLI talks to, and the Runner for it.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use crate::host::config::default_state_dir;
use crate::host::{Elevation, HostConfig, Runner};
use crate::sim;

/// Which host zcon talks to, and how.
#[derive(Debug, Clone, Args)]
pub struct Target {
    /// Use the embedded demo host (a simulated illumos host, created on first use).
    #[arg(long, global = true, conflicts_with = "sim")]
    pub demo: bool,
    /// Use (or create) the simulated illumos host at DIR.
    #[arg(long, global = true, value_name = "DIR")]
    pub sim: Option<PathBuf>,
    /// Where the host's commands are (colon-separated).
    #[arg(long, global = true, env = "ZCON_SYS_PATH", value_name = "PATH")]
    pub sys_path: Option<String>,
    /// The host's root directory: host files are read beneath it.
    #[arg(long, global = true, env = "ZCON_SYS_ROOT", value_name = "DIR")]
    pub sys_root: Option<PathBuf>,
    /// zcon's state directory (audit log).
    #[arg(long, global = true, env = "ZCON_STATE_DIR", value_name = "DIR")]
    pub state_dir: Option<PathBuf>,
    /// How mutating commands gain privilege when zcon is not root.
    #[arg(long, global = true, env = "ZCON_ELEVATE", value_enum)]
    pub elevate: Option<Elevation>,
}

impl Target {
    /// The sim host directory, if a sim host is targeted (created on first use).
    pub fn sim_dir(&self) -> anyhow::Result<Option<PathBuf>> {
        let dir = match (&self.sim, self.demo) {
            (Some(dir), _) => dir.clone(),
            (None, true) => sim::init::demo_dir()?,
            (None, false) => return Ok(None),
        };
        let host = sim::init::open_or_create(&dir)
            .with_context(|| format!("cannot open the sim host at {}", dir.display()))?;
        Ok(Some(host.dir().to_path_buf()))
    }

    pub fn host_config(&self) -> anyhow::Result<HostConfig> {
        let mut config = match self.sim_dir()? {
            Some(dir) => HostConfig::sim(&dir),
            None => HostConfig::real(None, None, default_state_dir()),
        };
        if let Some(path) = &self.sys_path {
            config.sys_path = std::env::split_paths(path).collect();
        }
        if let Some(root) = &self.sys_root {
            config.sys_root = root.clone();
        }
        if let Some(dir) = &self.state_dir {
            config.state_dir = dir.clone();
        }
        if let Some(elevation) = self.elevate {
            config.elevation = elevation;
        }
        Ok(config)
    }

    pub fn runner(&self) -> anyhow::Result<Runner> {
        let config = self.host_config()?;
        let state_dir = config.state_dir.clone();
        Runner::new(config)
            .with_context(|| format!("cannot open the audit log in {}", state_dir.display()))
    }
}

//! One snapshot of the host: zones with their full configuration, datasets, pools, links,
//! addresses, NAT, forwarding, DHCP and the SMF states zcon cares about.
//!
//! A refresh runs its sources concurrently and parses off the async threads. One failing
//! source does not sink the snapshot: its error is kept in `problems` and the rest is shown.

mod zones;

use std::time::{Duration, Instant};

use serde::Serialize;

pub use zones::Zone;

use super::Runner;

/// Which parts of the host to read (the CLI reads only what it prints).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sources {
    pub zones: bool,
}

impl Sources {
    pub const ALL: Sources = Sources { zones: true };
    pub const NONE: Sources = Sources { zones: false };
}

/// Something the refresh could not read, shown to the operator instead of silently missing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// What was being read, e.g. `zones` or `zone web01`.
    pub source: String,
    pub message: String,
    /// The whole source is missing from the snapshot (not just one object's detail).
    pub fatal: bool,
}

impl Problem {
    pub fn fatal(source: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            source: source.into(),
            message: message.into(),
            fatal: true,
        }
    }

    pub fn detail(source: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            source: source.into(),
            message: message.into(),
            fatal: false,
        }
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Inventory {
    /// Non-global zones, sorted by name.
    pub zones: Vec<Zone>,
    pub problems: Vec<Problem>,
    #[serde(skip)]
    pub duration: Duration,
}

impl Inventory {
    /// Read the chosen parts of the host.
    pub async fn refresh(runner: &Runner, sources: Sources) -> Inventory {
        let started = Instant::now();
        let mut inv = Inventory::default();
        let zones = async {
            if sources.zones {
                Some(zones::load(runner).await)
            } else {
                None
            }
        };
        let (zones,) = tokio::join!(zones);
        if let Some((zones, problems)) = zones {
            inv.zones = zones;
            inv.problems.extend(problems);
        }
        inv.duration = started.elapsed();
        inv
    }

    pub fn zone(&self, name: &str) -> Option<&Zone> {
        self.zones.iter().find(|z| z.name == name)
    }
}

/// Run CPU-bound parsing on the blocking pool so async threads (and the UI) stay free.
async fn off_thread<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    tokio::task::spawn_blocking(f)
        .await
        .expect("parser thread panicked")
}

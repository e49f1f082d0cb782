//! Zone state shared by the sim's zonecfg, zoneadm and zlogin: the index and XML files under
//! the sim root (what libzonecfg keeps on disk) and the kernel's view of active zones
//! (`state/zones.json`: ids and the states beyond `installed`).
//!
//! These functions do no locking: the command calling them holds the state lock.

use std::collections::BTreeMap;
use std::fs;
use std::io;

use serde::{Deserialize, Serialize};

use super::SimHost;
use crate::sys::zoneadm::ZoneState;
use crate::sys::zonecfg::ZoneConfig;
use crate::sys::zoneindex::{self, Index, IndexEntry, IndexState};
use crate::sys::zonexml;

pub fn load_index(host: &SimHost) -> io::Result<Index> {
    let path = host.host_path(zoneindex::PATH);
    match fs::read_to_string(&path) {
        Ok(text) => {
            zoneindex::parse(&text).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Index::new()),
        Err(e) => Err(e),
    }
}

pub fn save_index(host: &SimHost, index: &Index) -> io::Result<()> {
    super::host::write_atomic(
        &host.host_path(zoneindex::PATH),
        zoneindex::render(index).as_bytes(),
    )
}

/// The zone's configuration, or None when it has no XML file.
pub fn load_config(host: &SimHost, zone: &str) -> io::Result<Option<ZoneConfig>> {
    let path = zonexml::path_for(zone);
    match fs::read_to_string(host.host_path(&path)) {
        Ok(text) => zonexml::parse(&text, &path)
            .map(Some)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

pub fn save_config(host: &SimHost, cfg: &ZoneConfig) -> io::Result<()> {
    let path = host.host_path(&zonexml::path_for(&cfg.name));
    super::host::write_atomic(&path, zonexml::render(cfg).as_bytes())
}

pub fn remove_config(host: &SimHost, zone: &str) -> io::Result<()> {
    match fs::remove_file(host.host_path(&zonexml::path_for(zone))) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// The kernel's view of the zones that are ready, running, shutting down …
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Runtime {
    /// The id the next booted zone gets (the global zone is 0).
    pub next_id: u64,
    pub zones: BTreeMap<String, ActiveZone>,
    /// Boots since install, per zone; kept across halts (the first boot after an install
    /// is the one where SMF imports its manifests).
    #[serde(default)]
    pub boots: BTreeMap<String, u64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ActiveZone {
    /// One of the active states (ready, running, shutting_down, down, mounted).
    pub state: ZoneState,
    pub id: u64,
    /// Unix time of the last boot (0 while only ready).
    pub booted_at: i64,
    /// The zone's boots since install (see [`Runtime::boots`]), so a console can tell a new
    /// boot from the one it has shown.
    pub boot_count: u64,
}

impl Runtime {
    /// Allocate the next zone id (ids start at 1 and are not reused until wrap-around).
    pub fn allocate_id(&mut self) -> u64 {
        self.next_id = self.next_id.max(1);
        let id = self.next_id;
        self.next_id += 1;
        id
    }
}

pub fn load_runtime(host: &SimHost) -> io::Result<Runtime> {
    host.load_json("zones")
}

pub fn save_runtime(host: &SimHost, runtime: &Runtime) -> io::Result<()> {
    host.save_json("zones", runtime)
}

/// A zone's state as zoneadm reports it: the kernel's if active, else the index's.
pub fn state_of(entry: &IndexEntry, runtime: &Runtime) -> ZoneState {
    if let Some(active) = runtime.zones.get(&entry.name) {
        return active.state;
    }
    match entry.state {
        IndexState::Configured => ZoneState::Configured,
        IndexState::Incomplete => ZoneState::Incomplete,
        IndexState::Installed => ZoneState::Installed,
    }
}

/// The zone's current state, or None if no such zone is configured.
pub fn current_state(host: &SimHost, zone: &str) -> io::Result<Option<ZoneState>> {
    let index = load_index(host)?;
    let runtime = load_runtime(host)?;
    Ok(index.get(zone).map(|e| state_of(e, &runtime)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runtime_state_overrides_the_index() {
        let entry = IndexEntry {
            name: "web".into(),
            state: IndexState::Installed,
            zonepath: "/zones/web".into(),
            uuid: "u".into(),
        };
        let mut runtime = Runtime::default();
        assert_eq!(state_of(&entry, &runtime), ZoneState::Installed);
        let id = runtime.allocate_id();
        assert_eq!(id, 1);
        runtime.zones.insert(
            "web".into(),
            ActiveZone {
                state: ZoneState::Running,
                id,
                booted_at: 1,
                boot_count: 1,
            },
        );
        assert_eq!(state_of(&entry, &runtime), ZoneState::Running);
        assert_eq!(runtime.allocate_id(), 2);
    }
}

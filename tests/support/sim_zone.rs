//! A sim host with one running zone, for driving its `zlogin` as a real process.

use std::path::PathBuf;

use zcon::sim::SimHost;
use zcon::sim::init::{InitOptions, init};
use zcon::sim::zones::{self, ActiveZone};
use zcon::sys::zoneadm::ZoneState;
use zcon::sys::zonecfg::ZoneConfig;
use zcon::sys::zoneindex::{IndexEntry, IndexState};

/// A fresh sim host (the zcon binary as its commands) where `name`, an ipkg zone, runs.
pub fn running_zone(name: &str) -> (tempfile::TempDir, SimHost) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let opts = InitOptions {
        exe: Some(PathBuf::from(env!("CARGO_BIN_EXE_zcon"))),
        ..Default::default()
    };
    let host = init(&dir.path().join("h"), &opts).expect("sim host");
    let _lock = host.lock_exclusive().expect("sim lock");
    let mut index = zones::load_index(&host).expect("zone index");
    index.entries.push(IndexEntry {
        name: name.into(),
        state: IndexState::Installed,
        zonepath: format!("/zones/{name}"),
        uuid: "6a1c1d5e-1b7a-4c57-9d1e-0c5a3f0e8e11".into(),
    });
    zones::save_index(&host, &index).expect("saving the index");
    let cfg = ZoneConfig {
        name: name.into(),
        zonepath: format!("/zones/{name}"),
        brand: "ipkg".into(),
        ..Default::default()
    };
    zones::save_config(&host, &cfg).expect("saving the zone's configuration");
    let mut rt = zones::load_runtime(&host).expect("zone runtime");
    let id = rt.allocate_id();
    rt.zones.insert(
        name.into(),
        ActiveZone {
            state: ZoneState::Running,
            id,
            booted_at: 1_700_000_000,
            boot_count: 1,
        },
    );
    zones::save_runtime(&host, &rt).expect("saving the runtime");
    drop(_lock);
    (dir, host)
}

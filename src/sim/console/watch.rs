//! Following a zone's state from the console: the index and the kernel's runtime file are
//! re-read (under the shared lock) only when one of them changed on disk, so polling every
//! ~150 ms costs two stat(2) calls on a host with thousands of zones.

use std::fs;
use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::sim::{SimHost, zones};
use crate::sys::zoneadm::ZoneState;
use crate::sys::zoneindex::{self, IndexState};

/// What the console needs to know of its zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    /// Still installed (index state installed); false once uninstalled or deleted.
    pub installed: bool,
    /// The kernel state and boot count while the zone is ready, running, shutting down …
    pub active: Option<(ZoneState, u64)>,
}

/// Identity of a file's content as far as stat tells: files are replaced by rename.
type Stamp = Option<(u64, u64, u64, i64, i64)>;

fn stamp(path: &PathBuf) -> Stamp {
    let m = fs::metadata(path).ok()?;
    Some((m.dev(), m.ino(), m.len(), m.mtime_nsec(), m.ctime_nsec()))
}

pub struct Watch {
    zone: String,
    files: [PathBuf; 2],
    stamps: Option<[Stamp; 2]>,
    /// Timestamps can be coarse: re-read now and then even when nothing seems changed.
    reread_at: Instant,
    last: Option<Snapshot>,
}

const REREAD: Duration = Duration::from_secs(2);

impl Watch {
    pub fn new(host: &SimHost, zone: &str) -> Watch {
        Watch {
            zone: zone.to_string(),
            files: [
                host.host_path(zoneindex::PATH),
                host.state_dir().join("zones.json"),
            ],
            stamps: None,
            reread_at: Instant::now() + REREAD,
            last: None,
        }
    }

    /// The zone's state now (read from disk).
    pub fn read(&mut self, host: &SimHost) -> io::Result<Snapshot> {
        let stamps = [stamp(&self.files[0]), stamp(&self.files[1])];
        let snap = {
            let _lock = host.lock_shared()?;
            let index = zones::load_index(host)?;
            let runtime = zones::load_runtime(host)?;
            let installed = index
                .get(&self.zone)
                .is_some_and(|e| e.state == IndexState::Installed);
            let active = runtime
                .zones
                .get(&self.zone)
                .map(|a| (a.state, a.boot_count));
            Snapshot { installed, active }
        };
        self.stamps = Some(stamps);
        self.reread_at = Instant::now() + REREAD;
        self.last = Some(snap.clone());
        Ok(snap)
    }

    /// The zone's state when it differs from what the last call returned.
    pub fn changed(&mut self, host: &SimHost) -> io::Result<Option<Snapshot>> {
        let stamps = [stamp(&self.files[0]), stamp(&self.files[1])];
        if self.stamps == Some(stamps) && Instant::now() < self.reread_at {
            return Ok(None);
        }
        let before = self.last.clone();
        let snap = self.read(host)?;
        Ok((before.as_ref() != Some(&snap)).then_some(snap))
    }
}

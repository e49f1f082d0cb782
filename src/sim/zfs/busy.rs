//! Datasets an active zone holds: a real host refuses to unmount a filesystem below a
//! running zone's zonepath ("Device busy") and to destroy a zvol a bhyve zone has open or a
//! dataset delegated to a zone ("dataset is busy").

use std::collections::HashSet;

use super::{Kind, ZfsStore, is_below};
use crate::sim::{SimHost, zones};
use crate::sys::zoneadm::ZoneState;

/// What the active zones (ready, mounted, running, shutting down) hold.
#[derive(Debug, Default)]
pub(crate) struct InUse {
    zonepaths: Vec<String>,
    /// zvols named by bootdisk/diskN attrs or `device match=/dev/zvol/…`.
    zvols: HashSet<String>,
    delegated: Vec<String>,
}

impl InUse {
    /// Read the zones' state. Zone configurations (XML) are only read when `configs` is
    /// set: zonepaths come from the index, disks and delegated datasets need the XML.
    pub(crate) fn load(host: &SimHost, configs: bool) -> InUse {
        let mut out = InUse::default();
        let (Ok(index), Ok(runtime)) = (zones::load_index(host), zones::load_runtime(host)) else {
            return out;
        };
        for (zone, active) in &runtime.zones {
            if !matches!(
                active.state,
                ZoneState::Ready
                    | ZoneState::Mounted
                    | ZoneState::Running
                    | ZoneState::ShuttingDown
            ) {
                continue;
            }
            if let Some(entry) = index.get(zone) {
                out.zonepaths
                    .push(entry.zonepath.trim_end_matches('/').to_string());
            }
            if !configs {
                continue;
            }
            let Ok(Some(cfg)) = zones::load_config(host, zone) else {
                continue;
            };
            for disk in crate::sys::bhyve::disks(&cfg) {
                out.zvols.insert(disk.dataset);
            }
            for dev in &cfg.devices {
                let m = dev.match_path.as_str();
                if let Some(vol) = m
                    .strip_prefix("/dev/zvol/rdsk/")
                    .or_else(|| m.strip_prefix("/dev/zvol/dsk/"))
                {
                    out.zvols.insert(vol.to_string());
                }
            }
            out.delegated
                .extend(cfg.datasets.iter().map(|d| d.name.clone()));
        }
        out
    }

    /// Why zfs cannot destroy (or unmount) `name` now, as zfs prints it.
    pub(crate) fn refusal(&self, store: &ZfsStore, name: &str) -> Option<String> {
        let node = store.datasets.get(name)?;
        if self
            .delegated
            .iter()
            .any(|d| d == name || is_below(name, d))
        {
            return Some(format!("cannot destroy '{name}': dataset is busy"));
        }
        match node.kind {
            Kind::Volume if self.zvols.contains(name) => {
                Some(format!("cannot destroy '{name}': dataset is busy"))
            }
            Kind::Volume => None,
            Kind::Filesystem => {
                if !store.is_mounted(name) {
                    return None;
                }
                let mp = store.mountpoint(name)?;
                self.zonepaths
                    .iter()
                    .any(|zp| mp == *zp || is_below(&mp, zp))
                    .then(|| format!("cannot unmount '{mp}': Device busy"))
            }
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.zonepaths.is_empty() && self.zvols.is_empty() && self.delegated.is_empty()
    }
}

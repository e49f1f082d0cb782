//! What prctl and rcapadm change in a running zone (`state/rctls.json`), and the zones they
//! can address.
//!
//! The kernel forgets such changes when the zone halts: entries are keyed by zone name and
//! zone id, and every boot takes a fresh id, so a booted zone starts again from its
//! configuration. Entries of zones that left the kernel are dropped on the next save.
//! Only zones changed live have an entry, so the file stays small on a host of thousands.
//! No locking here: the calling command holds the state lock.

use std::collections::BTreeMap;
use std::io;

use serde::{Deserialize, Serialize};

use crate::sim::SimHost;
use crate::sim::zones::Runtime;
use crate::sys::zoneadm::ZoneState;

/// A privileged value of a control (zone controls take no basic values).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Value {
    pub value: u64,
    /// `none`, `deny`, `signal=…`.
    pub action: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ZoneLive {
    /// Control name → its privileged values (lowest first) since prctl changed them.
    #[serde(default)]
    pub rctls: BTreeMap<String, Vec<Value>>,
    /// The physical memory cap `rcapadm -z` set, in bytes (0: no cap).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phys_mcap: Option<u64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct LiveCaps {
    /// `zone:id` → the zone's live changes in that boot.
    #[serde(default)]
    pub zones: BTreeMap<String, ZoneLive>,
}

const FILE: &str = "rctls";

pub fn key(zone: &str, id: u64) -> String {
    format!("{zone}:{id}")
}

impl LiveCaps {
    pub fn load(host: &SimHost) -> io::Result<LiveCaps> {
        host.load_json(FILE)
    }

    /// Save, dropping the entries of zones no longer in the kernel under that id.
    pub fn save(&mut self, host: &SimHost, runtime: &Runtime) -> io::Result<()> {
        self.zones.retain(|k, _| {
            k.rsplit_once(':').is_some_and(|(name, id)| {
                name == "global" && id == "0"
                    || runtime
                        .zones
                        .get(name)
                        .is_some_and(|z| z.id.to_string() == id)
            })
        });
        host.save_json(FILE, self)
    }

    pub fn zone(&self, target: &Target) -> Option<&ZoneLive> {
        self.zones.get(&key(&target.name, target.id))
    }

    pub fn zone_mut(&mut self, target: &Target) -> &mut ZoneLive {
        self.zones.entry(key(&target.name, target.id)).or_default()
    }
}

/// A zone in the kernel, as zone_get_id() finds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub name: String,
    pub id: u64,
    pub state: ZoneState,
    /// Unix time of the zone's boot (0 while only ready; the host's boot for the global
    /// zone is not needed: its init is pid 1).
    pub booted_at: i64,
}

impl Target {
    /// Whether the zone has processes to act through (prctl grabs one of them).
    pub fn has_processes(&self) -> bool {
        matches!(self.state, ZoneState::Running | ZoneState::ShuttingDown)
    }

    pub fn init_pid(&self) -> u32 {
        init_pid(self.id, self.booted_at)
    }
}

/// The active zone named `operand`, else the one whose id it is (the global zone is
/// always there, id 0).
pub fn find_zone(runtime: &Runtime, operand: &str) -> Option<Target> {
    let global = || Target {
        name: "global".into(),
        id: 0,
        state: ZoneState::Running,
        booted_at: 0,
    };
    let of = |(name, z): (&String, &crate::sim::zones::ActiveZone)| Target {
        name: name.clone(),
        id: z.id,
        state: z.state,
        booted_at: z.booted_at,
    };
    if operand == "global" {
        return Some(global());
    }
    if let Some(found) = runtime.zones.get_key_value(operand) {
        return Some(of(found));
    }
    let id: u64 = operand.parse().ok()?;
    if id == 0 {
        return Some(global());
    }
    runtime.zones.iter().find(|(_, z)| z.id == id).map(of)
}

/// The pid of a zone's init in this boot (the global zone's is 1). Stable for a boot.
pub fn init_pid(zone_id: u64, booted_at: i64) -> u32 {
    if zone_id == 0 {
        return 1;
    }
    let mix = zone_id
        .wrapping_mul(0x9E37_79B9)
        .wrapping_add(booted_at as u64);
    1000 + (mix % 89_000) as u32
}

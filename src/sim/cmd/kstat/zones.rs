//! The `zones` kstats (usr/src/uts/common/os/zone.c, zone_misc_kstat_create()): one per
//! zone in the kernel, from the moment it is readied until it halts, the global zone
//! included as instance 0. The kstat name is the zone name cut to KSTAT_STRLEN - 1
//! characters; the `zonename` statistic holds the whole name.

use crate::sim::cmd::prctl::live::init_pid;
use crate::sim::zones::Runtime;
use crate::sys::zoneadm::ZoneState;

pub(super) const MODULE: &str = "zones";
pub(super) const CLASS: &str = "zone_misc";

/// Statistics of a zone_misc kstat in the order kstat prints them (sorted by name,
/// ignoring case). `class` exists only in the parseable forms.
pub(super) const ZONE_MISC: &[&str] = &[
    "avenrun_15min",
    "avenrun_1min",
    "avenrun_5min",
    "boot_time",
    "class",
    "crtime",
    "forkfail_cap",
    "forkfail_misc",
    "forkfail_nomem",
    "forkfail_noproc",
    "init_pid",
    "mapfail_seglim",
    "nested_interp",
    "nsec_sys",
    "nsec_user",
    "nsec_waitrq",
    "snaptime",
    "zonename",
];

/// KSTAT_STRLEN less its terminating NUL.
const KSTAT_NAME_MAX: usize = 30;

/// A zone as its zone_misc kstat shows it.
#[derive(Debug, Clone)]
pub(super) struct ZoneKstat {
    pub name: String,
    pub id: u64,
    pub state: ZoneState,
    /// Unix time of the boot (0 while only ready).
    pub booted_at: i64,
    /// Unix time the host booted.
    pub host_boot: i64,
}

/// The global zone and every zone in the kernel (a mounted zone's kernel zone is a
/// scratch zone of another name, left out), by id.
pub(super) fn in_kernel(runtime: &Runtime, host_boot: i64) -> Vec<ZoneKstat> {
    let global = ZoneKstat {
        name: "global".into(),
        id: 0,
        state: ZoneState::Running,
        booted_at: host_boot,
        host_boot,
    };
    let mut out: Vec<ZoneKstat> = std::iter::once(global)
        .chain(
            runtime
                .zones
                .iter()
                .filter(|(_, z)| z.state != ZoneState::Mounted)
                .map(|(name, z)| ZoneKstat {
                    name: name.clone(),
                    id: z.id,
                    state: z.state,
                    booted_at: z.booted_at,
                    host_boot,
                }),
        )
        .collect();
    out.sort_by_key(|z| z.id);
    out
}

impl ZoneKstat {
    pub fn kstat_name(&self) -> &str {
        // Zone names are ASCII.
        &self.name[..self.name.len().min(KSTAT_NAME_MAX)]
    }

    /// Nanoseconds the zone has run (since the host's boot for the global zone).
    fn run_ns(&self, uptime_ns: u64) -> u64 {
        if self.booted_at == 0 {
            return 0;
        }
        let since_boot = u64::try_from(self.booted_at - self.host_boot).unwrap_or(0);
        uptime_ns.saturating_sub(since_boot.saturating_mul(1_000_000_000))
    }

    /// A steady share of the zone's run time (`per_mille` of it).
    fn share(&self, uptime_ns: u64, per_mille: u64) -> u64 {
        let spread = 1000 + self.id.wrapping_mul(2_654_435_761) % 500;
        (u128::from(self.run_ns(uptime_ns)) * u128::from(per_mille) * u128::from(spread)
            / 1_000_000) as u64
    }

    /// Load average in FSCALE (256) fixed point: a little while the zone runs.
    fn avenrun(&self, damping: f64) -> u64 {
        let load = match (self.id, self.state) {
            (0, _) => 0.08,
            (_, ZoneState::Running) => 0.06,
            _ => 0.0,
        };
        (load * damping * 256.0).round() as u64
    }

    pub fn value(&self, stat: &str, uptime_ns: u64) -> String {
        let run_ns = self.run_ns(uptime_ns);
        match stat {
            "avenrun_1min" => self.avenrun(1.0).to_string(),
            "avenrun_5min" => self.avenrun(0.9).to_string(),
            "avenrun_15min" => self.avenrun(0.8).to_string(),
            "boot_time" => self.booted_at.max(0).to_string(),
            "class" => CLASS.to_string(),
            // The kstat is made when the zone enters the kernel: early in the host's boot
            // for the global zone, at the boot for the others (a zone only readied has no
            // boot to date it by: as new as the snapshot).
            "crtime" if self.id == 0 => super::hrtime(1_532_871_409),
            "crtime" if self.booted_at == 0 => super::hrtime(uptime_ns),
            "crtime" => super::hrtime(uptime_ns - run_ns),
            "forkfail_cap" | "forkfail_misc" | "forkfail_nomem" | "forkfail_noproc"
            | "mapfail_seglim" | "nested_interp" => "0".to_string(),
            // zone_proc_initpid is -1 until init runs, in a uint32.
            "init_pid" if self.booted_at == 0 => u32::MAX.to_string(),
            "init_pid" => init_pid(self.id, self.booted_at).to_string(),
            "nsec_sys" => self
                .share(uptime_ns, if self.id == 0 { 30 } else { 4 })
                .to_string(),
            "nsec_user" => self
                .share(uptime_ns, if self.id == 0 { 12 } else { 9 })
                .to_string(),
            "nsec_waitrq" => self.share(uptime_ns, 1).to_string(),
            "snaptime" => super::hrtime(uptime_ns),
            "zonename" => self.name.clone(),
            other => unreachable!("zone_misc has no {other}"),
        }
    }
}

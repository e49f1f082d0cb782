//! The host: `zcon show host`.

use serde::Serialize;

use crate::host::Inventory;
use crate::host::inventory::{SystemInfo, uptime_text};
use crate::sys::zpool::Pool;

/// The stable JSON of `zcon show host --json`.
#[derive(Debug, Serialize)]
pub struct HostJson<'a> {
    pub hostname: &'a str,
    /// The first line of /etc/release (empty when unreadable).
    pub os_release: &'a str,
    /// `uname -r`.
    pub kernel_release: &'a str,
    /// `uname -v`.
    pub kernel_version: &'a str,
    /// Seconds since the epoch; null when unknown.
    pub boot_time: Option<i64>,
    pub uptime_seconds: Option<i64>,
    /// e.g. `37d 4h`.
    pub uptime: Option<String>,
    pub pools: &'a [Pool],
}

pub fn json<'a>(sys: &'a SystemInfo, inv: &'a Inventory, now: i64) -> HostJson<'a> {
    HostJson {
        hostname: &sys.hostname,
        os_release: &sys.os_release,
        kernel_release: &sys.kernel_release,
        kernel_version: &sys.kernel_version,
        boot_time: sys.boot_time,
        uptime_seconds: sys.boot_time.map(|b| now.saturating_sub(b).max(0)),
        uptime: sys.boot_time.map(|b| uptime_text(b, now)),
        pools: &inv.pools,
    }
}

/// Boot time in the local time zone.
fn local_time(secs: i64) -> String {
    jiff::Timestamp::from_second(secs).map_or_else(
        |_| secs.to_string(),
        |ts| {
            ts.to_zoned(jiff::tz::TimeZone::system())
                .strftime("%Y-%m-%d %H:%M:%S %Z")
                .to_string()
        },
    )
}

pub fn detail(sys: &SystemInfo, inv: &Inventory, now: i64) -> String {
    let mut out = format!("host {}\n", sys.hostname);
    let mut kv = |k: &str, v: &str| out.push_str(&format!("  {k:<12}{v}\n"));
    kv(
        "os",
        if sys.os_release.is_empty() {
            "-"
        } else {
            &sys.os_release
        },
    );
    kv(
        "kernel",
        &format!("SunOS {} {}", sys.kernel_release, sys.kernel_version),
    );
    match sys.boot_time {
        Some(boot) => {
            kv("uptime", &uptime_text(boot, now));
            kv("booted", &local_time(boot));
        }
        None => kv("uptime", "-"),
    }
    if !inv.pools.is_empty() {
        out.push_str("pools:\n");
        for line in super::storage::pools_table(inv).lines() {
            out.push_str(&format!("  {line}\n"));
        }
    }
    out
}

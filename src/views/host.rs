//! The host: `zcon show host`.

use serde::Serialize;

use super::detail::Detail;
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

/// The host's page; its pools are a table of their own (`storage::pools_table`).
pub fn detail(sys: &SystemInfo, now: i64) -> Detail {
    let mut page = Detail::new(format!("host {}", sys.hostname));
    let s = page.section("");
    let os = if sys.os_release.is_empty() {
        "-"
    } else {
        &sys.os_release
    };
    s.field("os", os.to_string());
    s.field(
        "kernel",
        format!("SunOS {} {}", sys.kernel_release, sys.kernel_version),
    );
    match sys.boot_time {
        Some(boot) => {
            s.field("uptime", uptime_text(boot, now));
            s.field("booted", local_time(boot));
        }
        None => s.field("uptime", "-".into()),
    }
    page
}

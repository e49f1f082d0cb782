//! The host itself: node name, OS release, kernel and boot time (the header of the terminal
//! UI). `uname -nrv` gives the identity in one spawn, `kstat -p` the boot time and
//! `/etc/release` the distribution's release line.

use serde::Serialize;

use super::Problem;
use super::fetch::{Fetch, Fetched};
use crate::sys::{kstat, release, uname};

const SOURCE: &str = "system";

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SystemInfo {
    /// `uname -n`.
    pub hostname: String,
    /// The first line of /etc/release, e.g. `OmniOS v11 r151054d`; empty when it could
    /// not be read (see the problems).
    pub os_release: String,
    /// `uname -r`, e.g. `5.11`.
    pub kernel_release: String,
    /// `uname -v`, e.g. `omnios-r151054-b0fca7aa1c`.
    pub kernel_version: String,
    /// Seconds since the epoch; None when kstat could not tell (see the problems).
    pub boot_time: Option<i64>,
}

pub(super) fn fetches() -> Vec<Fetch> {
    vec![
        Fetch::Run(uname::node_release_version()),
        Fetch::Run(kstat::boot_time()),
        Fetch::File(release::PATH),
    ]
}

/// Without uname there is no host to describe (a fatal problem); a missing boot time or
/// release line leaves the rest useful (a detail problem each).
pub(super) fn parse(fetched: Vec<Fetched>) -> (Option<SystemInfo>, Vec<Problem>) {
    let mut it = fetched.into_iter();
    let (Some(uname), Some(kstat), Some(release)) = (it.next(), it.next(), it.next()) else {
        unreachable!("system fetch order")
    };
    let uname = match uname
        .stdout()
        .map_err(|e| e.to_string())
        .and_then(|t| uname::parse_nrv(&t).map_err(|e| e.to_string()))
    {
        Ok(u) => u,
        Err(message) => return (None, vec![Problem::fatal(SOURCE, message)]),
    };
    let mut problems = Vec::new();
    let boot_time = kstat
        .stdout()
        .map_err(|e| e.to_string())
        .and_then(|t| kstat::parse_boot_time(&t).map_err(|e| e.to_string()))
        .map_err(|message| problems.push(Problem::detail(SOURCE, message)))
        .ok();
    let os_release = match release.file() {
        Ok(Some(text)) => release::parse(&text).map_err(|e| e.to_string()),
        Ok(None) => Err(format!("{}: no such file", release::PATH)),
        Err(e) => Err(e.to_string()),
    }
    .unwrap_or_else(|message| {
        problems.push(Problem::detail(SOURCE, message));
        String::new()
    });
    let info = SystemInfo {
        hostname: uname.nodename,
        os_release,
        kernel_release: uname.release,
        kernel_version: uname.version,
        boot_time,
    };
    (Some(info), problems)
}

/// How long the host has been up, in the two largest units: `37d 4h`, `5h 12m`, `3m`
/// (`0m` in the first minute, or when the clock says the boot is in the future).
pub fn uptime_text(boot_time: i64, now: i64) -> String {
    let secs = now.saturating_sub(boot_time).max(0);
    let (days, hours, mins) = (secs / 86_400, secs % 86_400 / 3600, secs % 3600 / 60);
    if days > 0 {
        format!("{days}d {hours}h")
    } else if hours > 0 {
        format!("{hours}h {mins}m")
    } else {
        format!("{mins}m")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::{CmdOutput, HostError};

    fn ran(status: i32, stdout: &str) -> Fetched {
        Fetched::Run(Ok(CmdOutput {
            argv: vec!["uname".into()],
            status: Some(status),
            stdout: stdout.as_bytes().to_vec(),
            stderr: String::new(),
            duration: std::time::Duration::ZERO,
        }))
    }

    const RELEASE: &str = "  OmniOS v11 r151054d\n  Copyright (c) 2012-2017 OmniTI Computer \
                           Consulting, Inc.\n";

    #[test]
    fn all_three_parts() {
        let (info, problems) = parse(vec![
            ran(0, "hv-01 5.11 omnios-r151054-b0fca7aa1c\n"),
            ran(0, "unix:0:system_misc:boot_time\t1748269213\n"),
            Fetched::File(Ok(Some(RELEASE.into()))),
        ]);
        assert_eq!(problems, []);
        assert_eq!(
            info.unwrap(),
            SystemInfo {
                hostname: "hv-01".into(),
                os_release: "OmniOS v11 r151054d".into(),
                kernel_release: "5.11".into(),
                kernel_version: "omnios-r151054-b0fca7aa1c".into(),
                boot_time: Some(1748269213),
            }
        );
    }

    #[test]
    fn a_missing_boot_time_or_release_is_a_detail() {
        let (info, problems) = parse(vec![
            ran(0, "hv-01 5.11 v\n"),
            ran(1, ""),
            Fetched::File(Ok(None)),
        ]);
        let info = info.unwrap();
        assert_eq!((info.boot_time, info.os_release.as_str()), (None, ""));
        assert_eq!(problems.len(), 2);
        assert!(problems.iter().all(|p| !p.fatal && p.source == "system"));
        assert!(problems[1].message.contains("/etc/release"), "{problems:?}");
    }

    #[test]
    fn without_uname_there_is_no_system() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "no such file");
        let (info, problems) = parse(vec![
            Fetched::Run(Err(HostError::Spawn {
                argv: vec!["uname".into(), "-nrv".into()],
                source: io,
            })),
            ran(0, "unix:0:system_misc:boot_time\t1\n"),
            Fetched::File(Ok(Some(RELEASE.into()))),
        ]);
        assert_eq!(info, None);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].fatal);
        let (info, problems) = parse(vec![
            ran(0, "garbage\n"),
            ran(0, "unix:0:system_misc:boot_time\t1\n"),
            Fetched::File(Ok(Some(RELEASE.into()))),
        ]);
        assert_eq!(info, None);
        assert!(problems[0].message.contains("uname -nrv"), "{problems:?}");
    }

    #[test]
    fn the_source_brings_the_pools_and_reads_them_once() {
        use super::super::{Kind, Sources};
        let system = Sources {
            system: true,
            ..Sources::default()
        };
        assert_eq!(system.kinds(), [Kind::System, Kind::Pools]);
        let all = Sources::ALL.kinds();
        assert_eq!(all.iter().filter(|k| **k == Kind::Pools).count(), 1);
        assert!(all.contains(&Kind::System));
    }

    #[test]
    fn uptime_in_two_units() {
        let boot = 1_700_000_000;
        let at = |d: i64, h: i64, m: i64, s: i64| boot + d * 86_400 + h * 3600 + m * 60 + s;
        assert_eq!(uptime_text(boot, at(37, 4, 17, 5)), "37d 4h");
        assert_eq!(uptime_text(boot, at(1, 0, 59, 0)), "1d 0h");
        assert_eq!(uptime_text(boot, at(0, 5, 12, 59)), "5h 12m");
        assert_eq!(uptime_text(boot, at(0, 1, 0, 0)), "1h 0m");
        assert_eq!(uptime_text(boot, at(0, 0, 3, 30)), "3m");
        assert_eq!(uptime_text(boot, at(0, 0, 0, 59)), "0m");
        assert_eq!(uptime_text(boot, boot - 100), "0m");
        // No overflow at the extremes.
        assert!(uptime_text(i64::MIN, i64::MAX).starts_with(&format!("{}d ", i64::MAX / 86_400)));
    }
}

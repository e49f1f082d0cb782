//! What the zone's console shows: the boot log, the shutdown messages, the login prompt and
//! the lines after a login. A native zone's console shows illumos booting inside the zone; a
//! bhyve zone's console is the guest's serial port (com1), so it shows the firmware (UEFI, or
//! the CSM's legacy BIOS path), the guest's boot loader and its kernel: which guest is guessed
//! from the zone's attributes (`type`, bootdisk/disk/cdrom names, the zone name).

mod boot;

use std::time::Duration;

use crate::sim::host::HostInfo;
use crate::sys::zonecfg::ZoneConfig;

/// One piece of console output and how long the guest takes before printing it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub delay: Duration,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Firmware {
    Uefi,
    /// `bootrom` ending in `_CSM`: legacy BIOS boot.
    Csm,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum System {
    OmniOs,
    Debian,
    Ubuntu,
    FreeBsd,
    OpenBsd,
    Windows,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// ipkg, lipkg, sparse, pkgsrc …: illumos itself boots in the zone.
    Native,
    Bhyve {
        firmware: Firmware,
        os: System,
        vcpus: u32,
        ram_mb: u64,
        /// The boot disk's device as the firmware names it.
        disk_label: String,
    },
}

#[derive(Debug, Clone)]
pub struct Guest {
    pub zone: String,
    pub kind: Kind,
    /// illumos release and version (`uname -r`, `uname -v`).
    release: String,
    version: String,
    /// For numbers that differ from guest to guest but stay the same across boots.
    seed: u64,
}

fn attr<'a>(cfg: &'a ZoneConfig, name: &str) -> Option<&'a str> {
    cfg.attrs
        .iter()
        .find(|a| a.name == name)
        .map(|a| a.value.as_str())
}

fn name_seed(name: &str) -> u64 {
    // FNV-1a: stable across builds, unlike the std hasher.
    name.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

impl Guest {
    pub fn new(cfg: &ZoneConfig, info: &HostInfo) -> Guest {
        let seed = name_seed(&cfg.name);
        let kind = if cfg.brand == "bhyve" {
            bhyve_kind(cfg, seed)
        } else {
            Kind::Native
        };
        Guest {
            zone: cfg.name.clone(),
            kind,
            release: info.release.clone(),
            version: info.version.clone(),
            seed,
        }
    }

    /// The operating system the console talks to.
    fn os(&self) -> System {
        match self.kind {
            Kind::Native => System::OmniOs,
            Kind::Bhyve { os, .. } => os,
        }
    }

    /// Whether the console ever offers a login (a Windows guest prints nothing on com1).
    pub fn has_login(&self) -> bool {
        self.os() != System::Windows
    }

    pub fn login_prompt(&self) -> String {
        let z = &self.zone;
        match self.os() {
            System::OmniOs => format!("{z} console login: "),
            System::Debian | System::Ubuntu => format!("{z} login: "),
            System::FreeBsd | System::OpenBsd | System::Windows => "login: ".into(),
        }
    }

    pub fn password_prompt(&self) -> &'static str {
        match self.os() {
            System::FreeBsd | System::OpenBsd => "Password:",
            _ => "Password: ",
        }
    }

    /// The terminal line a login on this console is recorded on.
    pub fn console_line(&self) -> &'static str {
        match self.os() {
            System::OmniOs | System::Windows => "console",
            System::Debian | System::Ubuntu => "ttyS0",
            System::FreeBsd => "ttyu0",
            System::OpenBsd => "tty00",
        }
    }

    /// The lines a login prints before the shell's prompt. `last` is the previous login's
    /// time, already formatted by [`format_last_login`]; `line` the terminal it was on.
    pub fn welcome(&self, user: &str, last: Option<&str>, line: &str, now: i64) -> String {
        let mut out = String::new();
        let last_line = |out: &mut String| {
            if let Some(t) = last {
                out.push_str(&format!("Last login: {t} on {line}\r\n"));
            }
        };
        match self.os() {
            System::OmniOs | System::Windows => {
                last_line(&mut out);
                if user == "root" && line == "console" {
                    out.push_str(&format!(
                        "{} {} login: [ID 644210 auth.notice] ROOT LOGIN /dev/console\r\n",
                        syslog_time(now),
                        self.zone
                    ));
                }
                out.push_str(&format!(
                    "OmniOS {}     {}       {}\r\n",
                    self.release,
                    self.version,
                    release_month(&self.version)
                ));
            }
            System::Debian => {
                out.push_str(&format!(
                    "Linux {} 6.1.0-28-cloud-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.119-1 \
                     (2024-11-22) x86_64\r\n\r\n",
                    self.zone
                ));
                out.push_str(
                    "The programs included with the Debian GNU/Linux system are free software;\r\n\
                     the exact distribution terms for each program are described in the\r\n\
                     individual files in /usr/share/doc/*/copyright.\r\n\r\n\
                     Debian GNU/Linux comes with ABSOLUTELY NO WARRANTY, to the extent\r\n\
                     permitted by applicable law.\r\n",
                );
                last_line(&mut out);
            }
            System::Ubuntu => {
                out.push_str(
                    "Welcome to Ubuntu 24.04.1 LTS (GNU/Linux 6.8.0-51-generic x86_64)\r\n\r\n \
                     * Documentation:  https://help.ubuntu.com\r\n \
                     * Management:     https://landscape.canonical.com\r\n \
                     * Support:        https://ubuntu.com/pro\r\n\r\n",
                );
                last_line(&mut out);
            }
            System::FreeBsd => {
                last_line(&mut out);
                out.push_str(
                    "FreeBSD 14.2-RELEASE (GENERIC) releng/14.2-n269506-c8918d6c7412\r\n\r\n\
                     Welcome to FreeBSD!\r\n\r\n",
                );
            }
            System::OpenBsd => {
                last_line(&mut out);
                out.push_str(
                    "OpenBSD 7.6 (GENERIC.MP) #338: Mon Sep 30 08:55:35 MDT 2024\r\n\r\n\
                     Welcome to OpenBSD: The proactively secure Unix-like operating system.\r\n\r\n",
                );
            }
        }
        out
    }

    /// How a previous login's time reads in this guest's `Last login:` line.
    pub fn format_last_login(&self, when: i64) -> String {
        let Ok(ts) = jiff::Timestamp::from_second(when) else {
            return String::new();
        };
        let zoned = ts.to_zoned(jiff::tz::TimeZone::system());
        match self.os() {
            System::Debian | System::Ubuntu | System::FreeBsd | System::OpenBsd => {
                zoned.strftime("%a %b %e %H:%M:%S %Z %Y").to_string()
            }
            _ => zoned.strftime("%a %b %e %H:%M:%S %Y").to_string(),
        }
    }
}

/// The motd's "Month Year": OmniOS stable releases (even numbers) come out every May and
/// November; r151054 is May 2025.
fn release_month(version: &str) -> String {
    let rel: i64 = version
        .strip_prefix("omnios-r")
        .and_then(|r| r.get(..6))
        .and_then(|r| r.parse().ok())
        .unwrap_or(151054);
    // Half-years since May 2025 (odd, bloody releases count as the next stable one).
    let halves = (rel + rel % 2 - 151054) / 2;
    let months = 2025 * 12 + 4 + halves * 6;
    let name = if months % 12 == 4 { "May" } else { "November" };
    format!("{name} {}", months / 12)
}

fn syslog_time(now: i64) -> String {
    jiff::Timestamp::from_second(now)
        .map(|t| {
            t.to_zoned(jiff::tz::TimeZone::system())
                .strftime("%b %e %H:%M:%S")
                .to_string()
        })
        .unwrap_or_default()
}

fn bhyve_kind(cfg: &ZoneConfig, seed: u64) -> Kind {
    let bootrom = attr(cfg, "bootrom").unwrap_or("BHYVE_RELEASE_CSM");
    let firmware = if bootrom.to_ascii_uppercase().contains("CSM") {
        Firmware::Csm
    } else {
        Firmware::Uefi
    };
    let hints: String = cfg
        .attrs
        .iter()
        .filter(|a| {
            ["bootdisk", "disk", "cdrom"]
                .iter()
                .any(|p| a.name.starts_with(p))
        })
        .map(|a| a.value.to_ascii_lowercase())
        .chain([cfg.name.to_ascii_lowercase()])
        .collect::<Vec<_>>()
        .join(" ");
    let has = |words: &[&str]| words.iter().any(|w| hints.contains(w));
    let os = match attr(cfg, "type") {
        Some("windows") => System::Windows,
        Some("openbsd") => System::OpenBsd,
        _ if has(&["windows", "win2", "win1"]) => System::Windows,
        _ if has(&["openbsd"]) => System::OpenBsd,
        _ if has(&["freebsd"]) => System::FreeBsd,
        _ if has(&["ubuntu", "noble", "jammy"]) => System::Ubuntu,
        _ if has(&["debian", "bookworm", "trixie"]) => System::Debian,
        _ if has(&["omnios", "illumos", "openindiana", "tribblix", "smartos"]) => System::OmniOs,
        _ => [System::Debian, System::Ubuntu, System::OmniOs][(seed % 3) as usize],
    };
    let vcpus = attr(cfg, "vcpus").map_or(1, parse_vcpus);
    let ram_mb = attr(cfg, "ram")
        .and_then(|r| crate::sys::size::parse_size(r).ok())
        .map_or(1024, |b| (b >> 20).max(1));
    let serial = format!(
        "BHYVE-{:04X}-{:04X}-{:04X}",
        seed & 0xffff,
        (seed >> 16) & 0xffff,
        (seed >> 32) & 0xffff
    );
    let disk_label = match attr(cfg, "diskif").unwrap_or("virtio-blk") {
        "ahci" | "ahci-hd" | "sata" => format!(
            "\"UEFI BHYVE SATA DISK {serial}\" from PciRoot(0x0)/Pci(0x4,0x0)/Sata(0x0,0xFFFF,0x0)"
        ),
        "nvme" => format!(
            "\"UEFI NVMe: bhyve-NVMe {serial}\" from PciRoot(0x0)/Pci(0x4,0x0)/NVMe(0x1,00-00-00-00-00-00-00-00)"
        ),
        _ => "\"UEFI Misc Device\" from PciRoot(0x0)/Pci(0x4,0x0)".to_string(),
    };
    Kind::Bhyve {
        firmware,
        os,
        vcpus,
        ram_mb,
        disk_label,
    }
}

/// `vcpus`: `n`, `cpus=n,…` or a topology whose product is the count.
fn parse_vcpus(value: &str) -> u32 {
    let mut cpus = None;
    let mut product = 1u32;
    for part in value.split(',') {
        match part.split_once('=') {
            None => cpus = part.trim().parse().ok(),
            Some(("cpus", n)) => cpus = n.parse().ok(),
            Some((_, n)) => product = product.saturating_mul(n.parse().unwrap_or(1)),
        }
    }
    cpus.unwrap_or(product).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sys::zonecfg::{Attr, AttrType};

    fn info() -> HostInfo {
        HostInfo {
            hostname: "hv".into(),
            release: "5.11".into(),
            version: "omnios-r151054-b0fca7aa1c".into(),
            os_name: "OmniOS v11 r151054d".into(),
            ncpus: 4,
            physmem_bytes: 1 << 34,
            boot_time: 0,
            seed: 0,
        }
    }

    fn zone(name: &str, brand: &str, attrs: &[(&str, &str)]) -> ZoneConfig {
        ZoneConfig {
            name: name.into(),
            brand: brand.into(),
            attrs: attrs
                .iter()
                .map(|(n, v)| Attr {
                    name: n.to_string(),
                    attr_type: AttrType::String,
                    value: v.to_string(),
                })
                .collect(),
            ..Default::default()
        }
    }

    fn text(steps: &[Step]) -> String {
        steps.iter().map(|s| s.text.as_str()).collect()
    }

    #[test]
    fn native_zone_boots_illumos_and_offers_the_console_login() {
        let g = Guest::new(&zone("web01", "ipkg", &[]), &info());
        let first = text(&g.boot(true));
        assert!(first.contains("SunOS Release 5.11 Version omnios-r151054-b0fca7aa1c 64-bit\r\n"));
        assert!(first.contains("Loading smf(7) service descriptions"));
        assert!(
            first.ends_with("Hostname: web01\r\n\r\nweb01 console login: "),
            "{first}"
        );
        assert!(!text(&g.boot(false)).contains("smf(7)"));
        assert!(text(&g.shutdown()).contains("The system is coming down"));
    }

    #[test]
    fn bhyve_guest_follows_firmware_and_attributes() {
        let csm = Guest::new(
            &zone("vm1", "bhyve", &[("bootdisk", "rpool/vm1/omnios-disk")]),
            &info(),
        );
        let log = text(&csm.boot(false));
        assert!(log.starts_with("/boot/config: -h\r\n"), "{log}");
        assert!(log.contains("Consoles: serial port a\r\n"));
        assert!(!log.contains("BdsDxe"));
        assert!(log.ends_with("vm1 console login: "));

        let uefi = Guest::new(
            &zone(
                "deb",
                "bhyve",
                &[
                    ("bootrom", "BHYVE_RELEASE"),
                    ("bootdisk", "rpool/deb/debian-12"),
                    ("vcpus", "sockets=1,cores=2,threads=2"),
                    ("ram", "2G"),
                ],
            ),
            &info(),
        );
        let log = text(&uefi.boot(false));
        assert!(
            log.starts_with("BdsDxe: loading Boot0001 \"UEFI Misc Device\""),
            "{log}"
        );
        assert!(log.contains("smpboot: Allowing 4 CPUs"));
        assert!(log.contains("K/2097152K available"));
        assert!(log.contains("Debian GNU/Linux 12 deb ttyS0\r\n"));
        assert!(log.ends_with("\r\ndeb login: "));

        let win = Guest::new(&zone("w", "bhyve", &[("type", "windows")]), &info());
        assert!(!win.has_login());
        assert!(!text(&win.boot(false)).contains("login"));
    }

    #[test]
    fn welcome_lines() {
        let g = Guest::new(&zone("web01", "ipkg", &[]), &info());
        let w = g.welcome("root", Some("Mon Jan  6 10:00:00 2025"), "console", 0);
        assert!(
            w.starts_with("Last login: Mon Jan  6 10:00:00 2025 on console\r\n"),
            "{w}"
        );
        assert!(w.contains("ROOT LOGIN /dev/console"));
        assert!(w.ends_with("OmniOS 5.11     omnios-r151054-b0fca7aa1c       May 2025\r\n"));
        let w = g.welcome("admin", None, "pts/3", 0);
        assert!(
            !w.contains("Last login") && !w.contains("ROOT LOGIN"),
            "{w}"
        );
    }

    #[test]
    fn motd_month_follows_the_release() {
        assert_eq!(release_month("omnios-r151054-b0fca7aa1c"), "May 2025");
        assert_eq!(release_month("omnios-r151052-1a2b3c"), "November 2024");
        assert_eq!(release_month("omnios-r151046-1a2b3c"), "May 2023");
        assert_eq!(release_month("omnios-r151055-1a2b3c"), "November 2025");
    }

    #[test]
    fn vcpus_forms() {
        assert_eq!(parse_vcpus("4"), 4);
        assert_eq!(parse_vcpus("cpus=8,sockets=2"), 8);
        assert_eq!(parse_vcpus("sockets=2,cores=4,threads=2"), 16);
        assert_eq!(parse_vcpus("junk"), 1);
    }
}

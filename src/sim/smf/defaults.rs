//! What an OmniOS host's repository holds for the services the sim knows: which are
//! enabled out of the box, their descriptions and property groups, and how long their
//! methods take.

use std::collections::BTreeMap;
use std::time::Duration;

use super::{Pg, Pgs, Prop};
use crate::sys::smf::{DHCP_SERVER, IPFILTER, IPV4_FORWARDING, RCAP, ZONES};

/// The standard instances and whether they are enabled on a fresh host.
pub const STANDARD: [(&str, bool); 16] = [
    ("svc:/system/svc/restarter:default", true),
    ("svc:/system/filesystem/root:default", true),
    ("svc:/system/filesystem/local:default", true),
    ("svc:/network/loopback:default", true),
    ("svc:/network/physical:default", true),
    ("svc:/network/routing-setup:default", true),
    ("svc:/network/ssh:default", true),
    ("svc:/system/cron:default", true),
    ("svc:/system/system-log:default", true),
    ("svc:/milestone/multi-user:default", true),
    ("svc:/milestone/multi-user-server:default", true),
    (ZONES, true),
    (IPFILTER, false),
    (DHCP_SERVER, false),
    (IPV4_FORWARDING, false),
    (RCAP, false),
];

pub fn description(fmri: &str) -> &'static str {
    match fmri {
        IPFILTER => "IP Filter",
        DHCP_SERVER => "ISC DHCP Server",
        ZONES => "Zones autoboot",
        IPV4_FORWARDING => "IPv4 forwarding",
        RCAP => "Resource capping daemon",
        "svc:/network/ssh:default" => "SSH server",
        "svc:/system/svc/restarter:default" => "Service configuration repository",
        "svc:/system/filesystem/root:default" => "root file system mount",
        "svc:/system/filesystem/local:default" => "local file system mounts",
        "svc:/network/loopback:default" => "loopback network interface",
        "svc:/network/physical:default" => "physical network interfaces",
        "svc:/network/routing-setup:default" => "Initial routing-related configuration.",
        "svc:/system/cron:default" => "clock daemon (cron)",
        "svc:/system/system-log:default" => "system log",
        "svc:/milestone/multi-user:default" => "multi-user milestone",
        "svc:/milestone/multi-user-server:default" => "multi-user plus exports milestone",
        _ => "",
    }
}

/// The manual page svcs -x points to.
pub fn manpage(fmri: &str) -> Option<&'static str> {
    Some(match fmri {
        IPFILTER => "ipfilter(5)",
        DHCP_SERVER => "dhcpd(8)",
        ZONES => "zones(7)",
        IPV4_FORWARDING => "routeadm(8)",
        RCAP => "rcapd(8)",
        "svc:/network/ssh:default" => "sshd(8)",
        _ => return None,
    })
}

fn prop(ty: &str, values: &[&str]) -> Prop {
    Prop {
        ty: ty.into(),
        values: values.iter().map(|v| v.to_string()).collect(),
    }
}

fn pg(ty: &str, props: &[(&str, Prop)]) -> Pg {
    Pg {
        ty: ty.into(),
        props: props
            .iter()
            .map(|(n, p)| (n.to_string(), p.clone()))
            .collect(),
    }
}

/// The instance's own property groups besides `general`.
pub fn pgs(fmri: &str) -> Pgs {
    let mut out = BTreeMap::new();
    match fmri {
        DHCP_SERVER => {
            out.insert(
                "config".into(),
                pg(
                    "application",
                    &[
                        ("listen_ifnames", prop("astring", &[])),
                        ("config_file", prop("astring", &["/etc/dhcpd.conf"])),
                        ("lease_file", prop("astring", &["/var/db/dhcpd.leases"])),
                    ],
                ),
            );
        }
        IPFILTER => {
            out.insert(
                "firewall_config_default".into(),
                pg(
                    "com.sun,fw_configuration",
                    &[
                        ("policy", prop("astring", &["none"])),
                        ("block_policy", prop("astring", &["use_global"])),
                    ],
                ),
            );
        }
        ZONES => {
            out.insert(
                "config".into(),
                pg(
                    "application",
                    &[("parallel_boot", prop("boolean", &["true"]))],
                ),
            );
        }
        _ => {}
    }
    out
}

/// A stable contract id for an instance with processes.
pub fn ctid(fmri: &str) -> u64 {
    let h = fmri
        .bytes()
        .fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)));
    60 + h % 900
}

/// How long the method leading to `to` takes on a real host.
pub fn method_time(fmri: &str, to: &str) -> Duration {
    let ms = match (fmri, to) {
        (IPFILTER, "online") => 1500,
        (DHCP_SERVER, "online") => 1000,
        (ZONES, "online") => 800,
        (_, "online") => 500,
        _ => 300,
    };
    Duration::from_millis(ms)
}

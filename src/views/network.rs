//! Links, VNICs, etherstubs, addresses, NAT, DHCP hosts, forwarding and services.

use serde::Serialize;

use super::{Column, Table, joined_or_dash, or_dash};
use crate::host::Inventory;
use crate::sys::ipnat::{self, NatRule};

pub fn links_table(inv: &Inventory) -> Table {
    let columns = vec![
        Column::text("LINK"),
        Column::text("CLASS"),
        Column::number("MTU"),
        Column::text("STATE"),
        Column::text("BRIDGE").wide(),
        Column::text("OVER"),
    ];
    let rows = inv
        .links
        .iter()
        .map(|l| {
            vec![
                l.link.clone(),
                l.class.as_str().to_string(),
                or_dash(l.mtu),
                or_dash(l.state.map(|s| s.as_str())),
                or_dash(l.bridge.as_ref()),
                joined_or_dash(&l.over),
            ]
        })
        .collect();
    Table::new(columns, rows)
}

pub fn phys_table(inv: &Inventory) -> Table {
    let columns = vec![
        Column::text("LINK"),
        Column::text("MEDIA"),
        Column::text("STATE"),
        Column::number("SPEED"),
        Column::text("DUPLEX"),
        Column::text("DEVICE"),
    ];
    let rows = inv
        .phys
        .iter()
        .map(|p| {
            vec![
                p.link.clone(),
                p.media.clone(),
                p.state.as_str().to_string(),
                p.speed.to_string(),
                p.duplex.clone(),
                p.device.clone(),
            ]
        })
        .collect();
    Table::new(columns, rows)
}

pub fn vnics_table(inv: &Inventory) -> Table {
    let columns = vec![
        Column::text("LINK"),
        Column::text("OVER"),
        Column::number("SPEED").wide(),
        Column::text("MACADDRESS"),
        Column::text("MACADDRTYPE").wide(),
        Column::number("VID"),
        Column::text("ZONE"),
    ];
    let rows = inv
        .vnics
        .iter()
        .map(|v| {
            vec![
                v.link.clone(),
                v.over.clone(),
                v.speed.to_string(),
                v.mac.clone(),
                v.mac_type.to_string(),
                or_dash(v.vid),
                or_dash(v.zone.as_ref()),
            ]
        })
        .collect();
    Table::new(columns, rows)
}

/// An etherstub and the VNICs over it.
#[derive(Debug, Serialize)]
pub struct EtherstubJson<'a> {
    pub link: &'a str,
    pub vnics: Vec<&'a str>,
}

pub fn etherstubs_json(inv: &Inventory) -> Vec<EtherstubJson<'_>> {
    inv.etherstubs
        .iter()
        .map(|e| EtherstubJson {
            link: &e.link,
            vnics: inv
                .vnics
                .iter()
                .filter(|v| v.over == e.link)
                .map(|v| v.link.as_str())
                .collect(),
        })
        .collect()
}

pub fn etherstubs_table(inv: &Inventory) -> Table {
    let columns = vec![Column::text("LINK"), Column::text("VNICS")];
    let rows = etherstubs_json(inv)
        .into_iter()
        .map(|e| vec![e.link.to_string(), joined_or_dash(&e.vnics)])
        .collect();
    Table::new(columns, rows)
}

pub fn addresses_table(inv: &Inventory) -> Table {
    let columns = vec![
        Column::text("ADDROBJ"),
        Column::text("TYPE"),
        Column::text("STATE"),
        Column::text("ADDR"),
    ];
    let rows = inv
        .addresses
        .iter()
        .map(|a| {
            vec![
                a.addrobj.clone(),
                a.kind.as_str().to_string(),
                a.state.as_str().to_string(),
                a.addr.clone().unwrap_or_else(|| "?".into()),
            ]
        })
        .collect();
    Table::new(columns, rows)
}

/// A rule of ipnat.conf and whether the kernel holds it now.
#[derive(Debug, Serialize)]
pub struct NatJson<'a> {
    #[serde(flatten)]
    pub rule: &'a NatRule,
    /// None when the active rules could not be read.
    pub active: Option<bool>,
}

pub fn nat_json(inv: &Inventory) -> Vec<NatJson<'_>> {
    inv.nat
        .configured
        .iter()
        .map(|rule| NatJson {
            rule,
            active: inv.nat.active.as_ref().map(|active| {
                // ipnat -l prints rules normalised; compare in that form.
                let printed =
                    ipnat::conf::check_rule(&rule.rule).unwrap_or_else(|_| rule.rule.clone());
                active.iter().any(|a| a.rule == printed)
            }),
        })
        .collect()
}

/// Shown under the NAT rules when the kernel's active rules could not be read.
pub fn nat_note(inv: &Inventory) -> Option<String> {
    inv.nat.active_error.as_ref().map(|why| {
        format!(
            "(active rules unknown: {})",
            why.lines().last().unwrap_or(why)
        )
    })
}

pub fn nat_table(inv: &Inventory) -> Table {
    let columns = vec![
        Column::number("ID"),
        Column::text("TYPE"),
        Column::text("INTERFACE"),
        Column::text("SUBNET"),
        Column::text("ACTIVE"),
        Column::text("RULE"),
    ];
    let rows = nat_json(inv)
        .into_iter()
        .map(|n| {
            vec![
                n.rule.rule_id.to_string(),
                n.rule.kind.as_str().to_string(),
                n.rule.interface.clone(),
                n.rule.subnet.clone(),
                n.active
                    .map_or("?", |a| if a { "yes" } else { "no" })
                    .to_string(),
                n.rule.rule.clone(),
            ]
        })
        .collect();
    Table::new(columns, rows)
}

pub fn dhcp_hosts_table(inv: &Inventory) -> Table {
    let columns = vec![
        Column::text("HOSTNAME"),
        Column::text("MAC"),
        Column::text("IP"),
    ];
    let hosts = inv
        .dhcp
        .as_ref()
        .map(|d| d.hosts.as_slice())
        .unwrap_or_default();
    let rows = hosts
        .iter()
        .map(|h| vec![h.hostname.clone(), h.mac.clone(), h.ip.clone()])
        .collect();
    Table::new(columns, rows)
}

fn enabled(on: bool) -> String {
    if on { "enabled" } else { "disabled" }.to_string()
}

/// routeadm's options; None when routeadm could not be read.
pub fn routing_table(inv: &Inventory) -> Option<Table> {
    let report = inv.forwarding.routing.as_ref()?;
    let columns = vec![
        Column::text("OPTION"),
        Column::text("PERSISTENT"),
        Column::text("CURRENT"),
    ];
    let rows = report
        .options
        .iter()
        .map(|o| {
            vec![
                o.option.as_str().to_string(),
                enabled(o.persistent),
                enabled(o.current),
            ]
        })
        .collect();
    Some(Table::new(columns, rows))
}

pub fn interface_forwarding_table(inv: &Inventory) -> Table {
    let columns = vec![
        Column::text("IFNAME"),
        Column::text("PROTO"),
        Column::text("FORWARDING"),
    ];
    let rows = inv
        .forwarding
        .interfaces
        .iter()
        .map(|p| {
            vec![
                p.ifname.clone(),
                p.proto.clone(),
                or_dash(p.current.as_ref()),
            ]
        })
        .collect();
    Table::new(columns, rows)
}

/// Host-wide options (routeadm) and per-interface forwarding in one list, for the console.
pub fn forwarding_overview(inv: &Inventory) -> Table {
    let columns = vec![
        Column::text("NAME"),
        Column::text("SCOPE"),
        Column::text("PERSISTENT"),
        Column::text("CURRENT"),
    ];
    let mut rows: Vec<Vec<String>> = routing_table(inv)
        .map(|t| {
            t.rows
                .into_iter()
                .map(|mut r| {
                    r.insert(1, "host".into());
                    r
                })
                .collect()
        })
        .unwrap_or_default();
    rows.extend(inv.forwarding.interfaces.iter().map(|p| {
        vec![
            p.ifname.clone(),
            p.proto.clone(),
            "-".into(),
            or_dash(p.current.as_ref()),
        ]
    }));
    Table::new(columns, rows)
}

pub fn services_table(inv: &Inventory) -> Table {
    let columns = vec![Column::text("STATE"), Column::text("FMRI")];
    let rows = inv
        .services
        .iter()
        .map(|s| {
            let star = if s.transitioning { "*" } else { "" };
            vec![format!("{}{star}", s.state.as_str()), s.fmri.clone()]
        })
        .collect();
    Table::new(columns, rows)
}

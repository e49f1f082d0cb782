//! Links, VNICs, etherstubs, addresses, NAT, DHCP hosts, forwarding and services.

use serde::Serialize;

use crate::cli::table::{self, Align};
use crate::host::Inventory;
use crate::sys::ipnat::{self, NatRule};

pub fn links_table(inv: &Inventory) -> String {
    let headers = [
        ("LINK", Align::Left),
        ("CLASS", Align::Left),
        ("MTU", Align::Right),
        ("STATE", Align::Left),
        ("BRIDGE", Align::Left),
        ("OVER", Align::Left),
    ];
    let rows: Vec<Vec<String>> = inv
        .links
        .iter()
        .map(|l| {
            vec![
                l.link.clone(),
                l.class.as_str().to_string(),
                table::or_dash(l.mtu),
                table::or_dash(l.state.map(|s| s.as_str())),
                table::or_dash(l.bridge.as_ref()),
                if l.over.is_empty() {
                    "-".into()
                } else {
                    l.over.join(",")
                },
            ]
        })
        .collect();
    table::render(&headers, &rows)
}

pub fn phys_table(inv: &Inventory) -> String {
    let headers = [
        ("LINK", Align::Left),
        ("MEDIA", Align::Left),
        ("STATE", Align::Left),
        ("SPEED", Align::Right),
        ("DUPLEX", Align::Left),
        ("DEVICE", Align::Left),
    ];
    let rows: Vec<Vec<String>> = inv
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
    table::render(&headers, &rows)
}

pub fn vnics_table(inv: &Inventory) -> String {
    let headers = [
        ("LINK", Align::Left),
        ("OVER", Align::Left),
        ("SPEED", Align::Right),
        ("MACADDRESS", Align::Left),
        ("MACADDRTYPE", Align::Left),
        ("VID", Align::Right),
        ("ZONE", Align::Left),
    ];
    let rows: Vec<Vec<String>> = inv
        .vnics
        .iter()
        .map(|v| {
            vec![
                v.link.clone(),
                v.over.clone(),
                v.speed.to_string(),
                v.mac.clone(),
                v.mac_type.to_string(),
                table::or_dash(v.vid),
                table::or_dash(v.zone.as_ref()),
            ]
        })
        .collect();
    table::render(&headers, &rows)
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

pub fn etherstubs_table(inv: &Inventory) -> String {
    let headers = [("LINK", Align::Left), ("VNICS", Align::Left)];
    let rows: Vec<Vec<String>> = etherstubs_json(inv)
        .into_iter()
        .map(|e| {
            vec![
                e.link.to_string(),
                if e.vnics.is_empty() {
                    "-".into()
                } else {
                    e.vnics.join(",")
                },
            ]
        })
        .collect();
    table::render(&headers, &rows)
}

pub fn addresses_table(inv: &Inventory) -> String {
    let headers = [
        ("ADDROBJ", Align::Left),
        ("TYPE", Align::Left),
        ("STATE", Align::Left),
        ("ADDR", Align::Left),
    ];
    let rows: Vec<Vec<String>> = inv
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
    table::render(&headers, &rows)
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

pub fn nat_table(inv: &Inventory) -> String {
    let headers = [
        ("ID", Align::Right),
        ("TYPE", Align::Left),
        ("INTERFACE", Align::Left),
        ("SUBNET", Align::Left),
        ("ACTIVE", Align::Left),
        ("RULE", Align::Left),
    ];
    let rows: Vec<Vec<String>> = nat_json(inv)
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
    let mut out = table::render(&headers, &rows);
    if let Some(why) = &inv.nat.active_error {
        out.push_str(&format!(
            "(active rules unknown: {})\n",
            why.lines().last().unwrap_or(why)
        ));
    }
    out
}

pub fn dhcp_hosts_table(inv: &Inventory) -> String {
    let headers = [
        ("HOSTNAME", Align::Left),
        ("MAC", Align::Left),
        ("IP", Align::Left),
    ];
    let hosts = inv
        .dhcp
        .as_ref()
        .map(|d| d.hosts.as_slice())
        .unwrap_or_default();
    let rows: Vec<Vec<String>> = hosts
        .iter()
        .map(|h| vec![h.hostname.clone(), h.mac.clone(), h.ip.clone()])
        .collect();
    table::render(&headers, &rows)
}

pub fn forwarding_table(inv: &Inventory) -> String {
    let mut out = String::new();
    if let Some(report) = &inv.forwarding.routing {
        let headers = [
            ("OPTION", Align::Left),
            ("PERSISTENT", Align::Left),
            ("CURRENT", Align::Left),
        ];
        let onoff = |b: bool| if b { "enabled" } else { "disabled" }.to_string();
        let rows: Vec<Vec<String>> = report
            .options
            .iter()
            .map(|o| {
                vec![
                    o.option.as_str().to_string(),
                    onoff(o.persistent),
                    onoff(o.current),
                ]
            })
            .collect();
        out.push_str(&table::render(&headers, &rows));
        out.push('\n');
    }
    let headers = [
        ("IFNAME", Align::Left),
        ("PROTO", Align::Left),
        ("FORWARDING", Align::Left),
    ];
    let rows: Vec<Vec<String>> = inv
        .forwarding
        .interfaces
        .iter()
        .map(|p| {
            vec![
                p.ifname.clone(),
                p.proto.clone(),
                table::or_dash(p.current.as_ref()),
            ]
        })
        .collect();
    out.push_str(&table::render(&headers, &rows));
    out
}

pub fn services_table(inv: &Inventory) -> String {
    let headers = [("STATE", Align::Left), ("FMRI", Align::Left)];
    let rows: Vec<Vec<String>> = inv
        .services
        .iter()
        .map(|s| {
            let star = if s.transitioning { "*" } else { "" };
            vec![format!("{}{star}", s.state.as_str()), s.fmri.clone()]
        })
        .collect();
    table::render(&headers, &rows)
}

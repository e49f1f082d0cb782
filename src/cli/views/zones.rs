//! Zones: `zcon list zones` and `zcon show zone NAME`.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::cli::table::{self, Align};
use crate::host::inventory::Zone;
use crate::sys::bhyve;
use crate::sys::size::format_size;
use crate::sys::zfs::Dataset;
use crate::sys::zonecfg::{Net, ZoneConfig};

/// The stable JSON of one zone in `zcon list zones --json`.
#[derive(Debug, Serialize)]
pub struct ZoneJson<'a> {
    pub name: &'a str,
    pub id: Option<u64>,
    pub state: &'a str,
    pub brand: &'a str,
    /// `excl` or `shared`, as zoneadm prints it.
    pub ip_type: &'a str,
    pub zonepath: &'a str,
    pub uuid: &'a str,
    /// None when the configuration could not be read.
    pub autoboot: Option<bool>,
    pub debugid: Option<i64>,
    pub attrs: BTreeMap<&'a str, &'a str>,
    pub nics: Vec<NicJson<'a>>,
    pub disks: Vec<bhyve::Disk>,
    pub cdroms: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct NicJson<'a> {
    pub physical: Option<&'a str>,
    pub global_nic: Option<&'a str>,
    pub mac_addr: Option<&'a str>,
    pub vlan_id: Option<u16>,
    pub allowed_address: Option<&'a str>,
    pub defrouter: Option<&'a str>,
}

impl<'a> NicJson<'a> {
    fn new(net: &'a Net) -> Self {
        NicJson {
            physical: net.physical.as_deref(),
            global_nic: net.global_nic.as_deref(),
            mac_addr: net.mac_addr.as_deref(),
            vlan_id: net.vlan_id,
            allowed_address: net.allowed_address.as_deref(),
            defrouter: net.defrouter.as_deref(),
        }
    }
}

pub fn json(zone: &Zone) -> ZoneJson<'_> {
    let cfg = zone.config.as_ref();
    ZoneJson {
        name: &zone.name,
        id: zone.id,
        state: zone.state.as_str(),
        brand: &zone.brand,
        ip_type: zone.ip_type.as_zoneadm(),
        zonepath: &zone.zonepath,
        uuid: &zone.uuid,
        autoboot: cfg.map(|c| c.autoboot),
        debugid: zone.debugid,
        attrs: cfg
            .map(|c| {
                c.attrs
                    .iter()
                    .map(|a| (a.name.as_str(), a.value.as_str()))
                    .collect()
            })
            .unwrap_or_default(),
        nics: cfg
            .map(|c| c.nets.iter().map(NicJson::new).collect())
            .unwrap_or_default(),
        disks: cfg.map(bhyve::disks).unwrap_or_default(),
        cdroms: cfg.map(bhyve::cdroms).unwrap_or_default(),
    }
}

/// `zcon show zone NAME --json`: the list object, the whole configuration and the
/// datasets the zone uses.
#[derive(Debug, Serialize)]
pub struct ZoneDetailJson<'a> {
    #[serde(flatten)]
    pub summary: ZoneJson<'a>,
    pub config: Option<&'a ZoneConfig>,
    pub datasets: &'a [&'a Dataset],
}

pub fn detail_json<'a>(zone: &'a Zone, datasets: &'a [&'a Dataset]) -> ZoneDetailJson<'a> {
    ZoneDetailJson {
        summary: json(zone),
        config: zone.config.as_ref(),
        datasets,
    }
}

/// Memory of a zone: the bhyve `ram` attr, else the capped-memory cap.
pub fn ram(cfg: &ZoneConfig) -> Option<String> {
    cfg.attr("ram")
        .map(str::to_string)
        .or_else(|| cfg.physical_cap.map(format_size))
}

/// CPUs of a zone: the bhyve `vcpus` attr, else dedicated-cpu, else capped-cpu.
pub fn vcpus(cfg: &ZoneConfig) -> Option<String> {
    if let Some(v) = cfg.attr("vcpus") {
        return Some(v.to_string());
    }
    if let Some(dc) = &cfg.dedicated_cpu {
        return Some(if dc.ncpu_min == dc.ncpu_max {
            dc.ncpu_min.clone()
        } else {
            format!("{}-{}", dc.ncpu_min, dc.ncpu_max)
        });
    }
    cfg.capped_cpu().map(|c| format!("{c}"))
}

pub fn table(zones: &[Zone]) -> String {
    let headers = [
        ("NAME", Align::Left),
        ("STATE", Align::Left),
        ("ID", Align::Right),
        ("BRAND", Align::Left),
        ("IP", Align::Left),
        ("RAM", Align::Right),
        ("VCPUS", Align::Right),
        ("AUTOBOOT", Align::Left),
        ("NICS", Align::Left),
        ("ZONEPATH", Align::Left),
    ];
    let rows: Vec<Vec<String>> = zones
        .iter()
        .map(|z| {
            let cfg = z.config.as_ref();
            let nics: Vec<&str> = cfg
                .map(|c| {
                    c.nets
                        .iter()
                        .filter_map(|n| n.physical.as_deref())
                        .collect()
                })
                .unwrap_or_default();
            vec![
                z.name.clone(),
                z.state.to_string(),
                table::or_dash(z.id),
                z.brand.clone(),
                z.ip_type.as_zoneadm().to_string(),
                table::or_dash(cfg.and_then(ram)),
                table::or_dash(cfg.and_then(vcpus)),
                table::or_dash(cfg.map(|c| c.autoboot)),
                if nics.is_empty() {
                    "-".into()
                } else {
                    nics.join(",")
                },
                z.zonepath.clone(),
            ]
        })
        .collect();
    table::render(&headers, &rows)
}

/// The human form of `zcon show zone NAME`: properties, then each resource group.
pub fn detail(zone: &Zone) -> String {
    let mut out = format!("zone {}\n", zone.name);
    let mut kv = |k: &str, v: String| out.push_str(&format!("  {k:<12}{v}\n"));
    kv("state", zone.state.to_string());
    kv("id", table::or_dash(zone.id));
    kv("brand", zone.brand.clone());
    kv("ip-type", zone.ip_type.as_zoneadm().to_string());
    kv("zonepath", zone.zonepath.clone());
    kv(
        "uuid",
        if zone.uuid.is_empty() {
            "-".into()
        } else {
            zone.uuid.clone()
        },
    );
    let Some(cfg) = &zone.config else {
        out.push_str("  (configuration unreadable: see the problems above)\n");
        return out;
    };
    kv("autoboot", cfg.autoboot.to_string());
    for (key, value) in [
        ("bootargs", &cfg.bootargs),
        ("pool", &cfg.pool),
        ("limitpriv", &cfg.limitpriv),
        ("sched-class", &cfg.scheduling_class),
        ("hostid", &cfg.hostid),
        ("fs-allowed", &cfg.fs_allowed),
    ] {
        if let Some(v) = value {
            kv(key, v.clone());
        }
    }
    if let Some(cap) = cfg.physical_cap {
        kv("mem cap", format_size(cap));
    }
    if let Some(cpu) = cfg.capped_cpu() {
        kv("cpu cap", cpu.to_string());
    }
    section(
        &mut out,
        "attrs",
        cfg.attrs
            .iter()
            .map(|a| format!("{:<12}{}", a.name, a.value)),
    );
    section(
        &mut out,
        "nets",
        cfg.nets.iter().map(|n| {
            let mut parts = vec![n.physical.clone().unwrap_or_else(|| "(no physical)".into())];
            let fields = [
                ("address", &n.address),
                ("allowed-address", &n.allowed_address),
                ("defrouter", &n.defrouter),
                ("global-nic", &n.global_nic),
                ("mac-addr", &n.mac_addr),
            ];
            parts.extend(
                fields
                    .iter()
                    .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}={v}"))),
            );
            if let Some(vid) = n.vlan_id {
                parts.push(format!("vlan-id={vid}"));
            }
            parts.join("  ")
        }),
    );
    section(
        &mut out,
        "disks",
        bhyve::disks(cfg)
            .into_iter()
            .map(|d| format!("{:<12}{}", d.name, d.dataset)),
    );
    section(&mut out, "cdroms", bhyve::cdroms(cfg).into_iter());
    section(
        &mut out,
        "devices",
        cfg.devices.iter().map(|d| d.match_path.clone()),
    );
    section(
        &mut out,
        "filesystems",
        cfg.fs.iter().map(|f| {
            let opts = if f.options.is_empty() {
                String::new()
            } else {
                format!(" ({})", f.options.join(","))
            };
            format!("{} <- {} [{}]{opts}", f.dir, f.special, f.fs_type)
        }),
    );
    section(
        &mut out,
        "datasets",
        cfg.datasets.iter().map(|d| d.name.clone()),
    );
    section(
        &mut out,
        "rctls",
        cfg.rctls.iter().flat_map(|r| {
            r.values
                .iter()
                .map(move |v| format!("{:<24}{} {} {}", r.name, v.privilege, v.limit, v.action))
        }),
    );
    out
}

fn section(out: &mut String, title: &str, lines: impl Iterator<Item = String>) {
    let lines: Vec<String> = lines.collect();
    if lines.is_empty() {
        return;
    }
    out.push_str(&format!("{title}:\n"));
    for line in lines {
        out.push_str(&format!("  {line}\n"));
    }
}

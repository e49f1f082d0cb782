//! Zones: `zcon list zones` and `zcon show zone NAME`.

use std::collections::BTreeMap;

use serde::Serialize;

use super::detail::{Detail, Target};
use super::{Column, Table, joined_or_dash, or_dash, storage};
use crate::host::inventory::Zone;
use crate::sys::bhyve;
use crate::sys::dladm::Vnic;
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

/// The addresses a zone's NICs carry: `allowed-address` (exclusive-IP) or `address` (shared-IP).
pub fn addresses(cfg: &ZoneConfig) -> Vec<&str> {
    cfg.nets
        .iter()
        .filter_map(|n| n.allowed_address.as_deref().or(n.address.as_deref()))
        .collect()
}

pub fn nics(cfg: &ZoneConfig) -> Vec<&str> {
    cfg.nets
        .iter()
        .filter_map(|n| n.physical.as_deref())
        .collect()
}

pub fn table(zones: &[Zone]) -> Table {
    let columns = vec![
        Column::text("NAME"),
        Column::text("STATE"),
        Column::number("ID").wide(),
        Column::text("BRAND"),
        Column::text("IP").wide(),
        Column::size("RAM"),
        Column::number("VCPUS"),
        Column::text("AUTOBOOT"),
        Column::text("NICS"),
        Column::text("ADDRESSES"),
        Column::text("ZONEPATH").wide(),
    ];
    let rows = zones
        .iter()
        .map(|z| {
            let cfg = z.config.as_ref();
            vec![
                z.name.clone(),
                z.state.to_string(),
                or_dash(z.id),
                z.brand.clone(),
                z.ip_type.as_zoneadm().to_string(),
                or_dash(cfg.and_then(ram)),
                or_dash(cfg.and_then(vcpus)),
                or_dash(cfg.map(|c| c.autoboot)),
                joined_or_dash(&cfg.map(nics).unwrap_or_default()),
                joined_or_dash(&cfg.map(addresses).unwrap_or_default()),
                z.zonepath.clone(),
            ]
        })
        .collect();
    Table::new(columns, rows)
}

/// A zone's page: its state, then its configuration grouped as zonecfg's resources, then
/// the datasets and VNICs it uses (linked, so the console can jump to them).
pub fn detail(zone: &Zone, datasets: &[&Dataset], vnics: &[&Vnic]) -> Detail {
    let mut d = Detail::new(format!("zone {}", zone.name));
    let s = d.section("");
    s.field("state", zone.state.to_string());
    s.field("id", or_dash(zone.id));
    s.field("brand", zone.brand.clone());
    s.field("ip-type", zone.ip_type.as_zoneadm().to_string());
    s.field("zonepath", zone.zonepath.clone());
    s.field(
        "uuid",
        if zone.uuid.is_empty() {
            "-".into()
        } else {
            zone.uuid.clone()
        },
    );
    let Some(cfg) = &zone.config else {
        s.note("(configuration unreadable: see the problems above)");
        return d;
    };
    s.field("autoboot", cfg.autoboot.to_string());
    for (key, value) in [
        ("bootargs", &cfg.bootargs),
        ("pool", &cfg.pool),
        ("limitpriv", &cfg.limitpriv),
        ("sched-class", &cfg.scheduling_class),
        ("hostid", &cfg.hostid),
        ("fs-allowed", &cfg.fs_allowed),
    ] {
        if let Some(v) = value {
            s.field(key, v.clone());
        }
    }
    if let Some(cap) = cfg.physical_cap {
        d.section("capped-memory")
            .field("physical", format_size(cap));
    }
    if let Some(cpu) = cfg.capped_cpu() {
        d.section("capped-cpu").field("ncpus", cpu.to_string());
    }
    if let Some(dc) = &cfg.dedicated_cpu {
        let s = d.section("dedicated-cpu");
        s.field(
            "ncpus",
            if dc.ncpu_min == dc.ncpu_max {
                dc.ncpu_min.clone()
            } else {
                format!("{}-{}", dc.ncpu_min, dc.ncpu_max)
            },
        );
        if let Some(i) = &dc.importance {
            s.field("importance", i.clone());
        }
    }
    let s = d.section("attrs");
    for a in &cfg.attrs {
        s.field(&a.name, a.value.clone());
    }
    let s = d.section("nets");
    for n in &cfg.nets {
        let mut parts = Vec::new();
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
        match &n.physical {
            Some(link) => s.linked(link, parts.join("  "), Target::Link(link.clone())),
            None => s.field("(no physical)", parts.join("  ")),
        }
    }
    let s = d.section("disks");
    for disk in bhyve::disks(cfg) {
        let dataset = disk.dataset.clone();
        s.linked(&disk.name, disk.dataset, Target::Dataset(dataset));
    }
    let s = d.section("cdroms");
    for iso in bhyve::cdroms(cfg) {
        s.note(&iso);
    }
    let s = d.section("devices");
    for dev in &cfg.devices {
        s.note(&dev.match_path);
    }
    let s = d.section("filesystems");
    for f in &cfg.fs {
        let opts = if f.options.is_empty() {
            String::new()
        } else {
            format!(" ({})", f.options.join(","))
        };
        s.note(&format!("{} <- {} [{}]{opts}", f.dir, f.special, f.fs_type));
    }
    let s = d.section("datasets");
    for ds in &cfg.datasets {
        s.linked(&ds.name, String::new(), Target::Dataset(ds.name.clone()));
    }
    let s = d.section("rctls");
    for r in &cfg.rctls {
        for v in &r.values {
            s.field(&r.name, format!("{} {} {}", v.privilege, v.limit, v.action));
        }
    }
    let s = d.section("admins");
    for a in &cfg.admins {
        s.field(&a.user, a.auths.clone());
    }
    let s = d.section("vnics in use");
    for v in vnics {
        s.linked(
            &v.link,
            format!("over {}  {}", v.over, v.mac),
            Target::Link(v.link.clone()),
        );
    }
    let s = d.section("datasets used");
    for ds in datasets {
        let what = format!("{}  used {}", ds.kind.as_str(), storage::size(ds.used));
        s.linked(&ds.name, what, Target::Dataset(ds.name.clone()));
    }
    d.drop_empty();
    d
}

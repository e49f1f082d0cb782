//! A scale host for benchmarks: thousands of zones and a hundred thousand datasets, built
//! through the stores in one pass (running one command per object would reload and rewrite
//! every store each time). The mix follows the demo host: every brand, every state, VNICs
//! for the running zones, and datasets that are mostly snapshots, as on a real hypervisor
//! with automatic snapshots.

use std::io;

use super::{hardware, run};
use crate::sim::net::{NetStore, VnicRequest};
use crate::sim::zfs::ZfsStore;
use crate::sim::zones::{self, ActiveZone};
use crate::sim::{SimHost, host::now};
use crate::sys::dladm::MacSpec;
use crate::sys::zoneadm::ZoneState;
use crate::sys::zonecfg::{Attr, AttrType, Device, IpType, Net, ZoneConfig};
use crate::sys::zoneindex::{IndexEntry, IndexState};

const GIB: u64 = 1 << 30;

fn brand(i: usize) -> (&'static str, &'static str) {
    match i % 20 {
        0..=7 => ("bhyve", "vm"),
        8..=11 => ("lipkg", "lz"),
        12..=14 => ("sparse", "sz"),
        15..=16 => ("ipkg", "iz"),
        17..=18 => ("lx", "lx"),
        _ => ("pkgsrc", "pz"),
    }
}

fn target_state(i: usize) -> ZoneState {
    match (i * 7) % 20 {
        0..=11 => ZoneState::Running,
        12..=16 => ZoneState::Installed,
        17..=18 => ZoneState::Configured,
        _ => ZoneState::Incomplete,
    }
}

fn other(e: impl ToString) -> io::Error {
    io::Error::other(e.to_string())
}

pub(super) fn populate(host: &SimHost, zones: usize, datasets: usize, seed: u64) -> io::Result<()> {
    hardware::install(
        host,
        &[("rpool", 3_500 * GIB), ("data", 58_000 * GIB)],
        &[
            ("igb0", 1000, "0:25:90:a1:b2:10", true),
            ("igb1", 1000, "0:25:90:a1:b2:11", true),
            ("ixgbe0", 10000, "0:1b:21:c4:d5:e0", true),
            ("ixgbe1", 10000, "0:1b:21:c4:d5:e1", true),
        ],
    )?;
    run(
        host,
        "zfs",
        &["create", "-o", "mountpoint=/zones", "rpool/zones"],
    )?;
    run(host, "zfs", &["create", "data/archive"])?;

    let _lock = host.lock_exclusive()?;
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut zfs = ZfsStore::load(host)?;
    let mut net = NetStore::load(host)?;
    let mut index = zones::load_index(host)?;
    let mut runtime = zones::load_runtime(host)?;
    // rpool, data, rpool/zones, data/archive
    let mut count = 4usize;
    let mut zone_datasets = Vec::new();

    for i in 0..zones {
        let (brand, prefix) = brand(i);
        let state = target_state(i);
        let name = format!("{prefix}{i:04}");
        let cfg = zone_config(&name, brand, i, &mut rng);
        zones::save_config(host, &cfg)?;
        let index_state = match state {
            ZoneState::Configured => IndexState::Configured,
            ZoneState::Incomplete => IndexState::Incomplete,
            _ => IndexState::Installed,
        };
        let uuid = if index_state == IndexState::Configured {
            String::new()
        } else {
            uuid::Builder::from_random_bytes(rng.u128(..).to_le_bytes())
                .into_uuid()
                .to_string()
        };
        index.entries.push(IndexEntry {
            name: name.clone(),
            state: index_state,
            zonepath: cfg.zonepath.clone(),
            uuid,
        });
        if state == ZoneState::Configured {
            continue;
        }
        let zonepath = format!("rpool/zones/{name}");
        zfs.create_filesystem(host, &zonepath, &[]).map_err(other)?;
        zone_datasets.push(zonepath.clone());
        count += 1;
        if brand == "bhyve" {
            let disk = format!("{zonepath}/root");
            zfs.create_volume(&disk, 20 * GIB, true, &[])
                .map_err(other)?;
            zfs.set_written(&disk, rng.u64(2..18) * GIB);
            zone_datasets.push(disk);
            count += 1;
        } else {
            let root = format!("{zonepath}/ROOT");
            zfs.create_filesystem(host, &root, &[("mountpoint", "legacy"), ("zoned", "on")])
                .map_err(other)?;
            let be = format!("{root}/zbe");
            zfs.create_filesystem(host, &be, &[("canmount", "noauto")])
                .map_err(other)?;
            zfs.set_written(&be, rng.u64(300..900) << 20);
            zone_datasets.push(be);
            count += 2;
        }
        if state == ZoneState::Running {
            let vnic = VnicRequest {
                name: format!("{name}_0"),
                over: cfg.nets[0].global_nic.clone().unwrap_or_default(),
                mac: MacSpec::Auto,
                vid: 0,
                temporary: true,
                mac_prefix: None,
            };
            net.create_vnic_with(&vnic).map_err(other)?;
            net.set_vnic_zone(&vnic.name, Some(&name)).map_err(other)?;
            let id = runtime.allocate_id();
            runtime.boots.insert(name.clone(), 1);
            let booted_at = now() - rng.i64(600..30 * 86_400);
            runtime.zones.insert(
                name,
                ActiveZone {
                    state: ZoneState::Running,
                    id,
                    booted_at,
                    boot_count: 1,
                },
            );
        }
    }

    // The rest are automatic snapshots of the zones' datasets (most of a real host's
    // datasets) and archive filesystems, until the count is reached.
    let remaining = datasets.saturating_sub(count);
    let snapshots = if zone_datasets.is_empty() {
        0
    } else {
        remaining * 7 / 10
    };
    for n in 0..snapshots {
        let ds = &zone_datasets[n % zone_datasets.len()];
        let round = n / zone_datasets.len();
        let snap = format!("{ds}@auto-{:04}", round);
        zfs.snapshot(&snap).map_err(other)?;
        count += 1;
    }
    let mut group = 0;
    while count < datasets {
        let parent = format!("data/archive/g{group:03}");
        zfs.create_filesystem(host, &parent, &[]).map_err(other)?;
        count += 1;
        let mut n = 0;
        while count < datasets && n < 100 {
            let fs = format!("{parent}/set{n:03}");
            zfs.create_filesystem(host, &fs, &[]).map_err(other)?;
            zfs.set_written(&fs, rng.u64(1..500) << 20);
            count += 1;
            if count < datasets && n % 2 == 0 {
                zfs.snapshot(&format!("{fs}@weekly")).map_err(other)?;
                count += 1;
            }
            n += 1;
        }
        group += 1;
    }

    zfs.save(host)?;
    net.save(host)?;
    zones::save_index(host, &index)?;
    zones::save_runtime(host, &runtime)?;
    Ok(())
}

fn attr(name: &str, value: &str) -> Attr {
    Attr {
        name: name.into(),
        attr_type: AttrType::String,
        value: value.into(),
    }
}

fn zone_config(name: &str, brand: &str, i: usize, rng: &mut fastrand::Rng) -> ZoneConfig {
    let mut cfg = ZoneConfig::blank(name);
    cfg.zonepath = format!("/zones/{name}");
    cfg.brand = brand.into();
    cfg.ip_type = IpType::Exclusive;
    cfg.autoboot = target_state(i) == ZoneState::Running;
    cfg.debugid = Some(i as u32 + 1);
    cfg.nets.push(Net {
        physical: Some(format!("{name}_0")),
        global_nic: Some(
            if i.is_multiple_of(2) {
                "igb0"
            } else {
                "ixgbe0"
            }
            .into(),
        ),
        allowed_address: (brand != "bhyve").then(|| {
            format!(
                "10.{}.{}.{}/16",
                100 + i / 65_000,
                (i / 250) % 256,
                i % 250 + 2
            )
        }),
        ..Default::default()
    });
    if brand == "bhyve" {
        let disk = format!("rpool/zones/{name}/root");
        cfg.devices.push(Device {
            match_path: format!("/dev/zvol/rdsk/{disk}"),
            properties: Vec::new(),
        });
        cfg.attrs.push(attr("bootdisk", &disk));
        cfg.attrs
            .push(attr("ram", ["1G", "2G", "4G", "8G", "16G"][rng.usize(..5)]));
        cfg.attrs
            .push(attr("vcpus", ["1", "2", "4", "8"][rng.usize(..4)]));
        if i.is_multiple_of(3) {
            cfg.attrs.push(attr("cloud-init", "on"));
        }
    } else if i.is_multiple_of(2) {
        cfg.physical_cap = Some(rng.u64(1..8) * GIB);
        cfg.set_rctl("zone.max-lwps", "5000", "deny");
    }
    cfg
}

#[cfg(test)]
mod tests {
    use crate::sim::init::{InitOptions, init};
    use crate::sim::net::NetStore;
    use crate::sim::seed::Contents;
    use crate::sim::zfs::ZfsStore;
    use crate::sim::zones;
    use crate::sys::zoneadm::ZoneState;

    #[test]
    fn makes_exactly_the_sizes_asked_with_every_brand_and_state() {
        let dir = tempfile::tempdir().unwrap();
        let opts = InitOptions {
            contents: Contents::Scale {
                zones: 40,
                datasets: 900,
            },
            ..Default::default()
        };
        let host = init(&dir.path().join("h"), &opts).unwrap();
        assert_eq!(ZfsStore::load(&host).unwrap().list().len(), 900);
        let index = zones::load_index(&host).unwrap();
        let runtime = zones::load_runtime(&host).unwrap();
        assert_eq!(index.non_global().count(), 40);
        let states: Vec<ZoneState> = index
            .non_global()
            .map(|e| zones::state_of(e, &runtime))
            .collect();
        for s in [
            ZoneState::Running,
            ZoneState::Installed,
            ZoneState::Configured,
            ZoneState::Incomplete,
        ] {
            assert!(states.contains(&s), "no {s} zone");
        }
        let net = NetStore::load(&host).unwrap();
        for (name, active) in &runtime.zones {
            assert_eq!(
                net.vnic_zone(&format!("{name}_0")).as_deref(),
                Some(name.as_str())
            );
            assert_eq!(active.state, ZoneState::Running);
        }
        for brand in ["bhyve", "lipkg", "sparse", "ipkg", "lx", "pkgsrc"] {
            let found = index
                .non_global()
                .any(|e| zones::load_config(&host, &e.name).unwrap().unwrap().brand == brand);
            assert!(found, "no {brand} zone");
        }
    }
}

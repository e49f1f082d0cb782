//! What a zone's lifecycle does to the rest of the host: its zonepath (a ZFS dataset when the
//! parent directory is a ZFS filesystem), its network links at boot and halt, and the checks
//! the brand makes before boot. Called with the state lock held.

use crate::sim::SimHost;
use crate::sim::net::{NetStore, VnicRequest};
use crate::sim::zfs::ZfsStore;
use crate::sys::bhyve;
use crate::sys::dladm::MacSpec;
use crate::sys::zonecfg::{IpType, ZoneConfig};

fn zfs_store(host: &SimHost) -> Result<ZfsStore, String> {
    ZfsStore::load(host).map_err(|e| format!("could not read ZFS state: {e}"))
}

fn save_zfs(host: &SimHost, zfs: &ZfsStore) -> Result<(), String> {
    zfs.save(host)
        .map_err(|e| format!("could not save ZFS state: {e}"))
}

/// The dataset a zonepath is (or would be) when its parent directory is a ZFS filesystem.
fn zonepath_dataset(zfs: &ZfsStore, zonepath: &str) -> Option<String> {
    let (parent, base) = zonepath.trim_end_matches('/').rsplit_once('/')?;
    let parent_ds = zfs.dataset_mounted_at(if parent.is_empty() { "/" } else { parent })?;
    Some(format!("{parent_ds}/{base}"))
}

fn net_store(host: &SimHost) -> Result<NetStore, String> {
    NetStore::load(host).map_err(|e| format!("could not read datalink state: {e}"))
}

/// Warnings verify prints (the configuration is still valid), or the error that fails it.
pub(super) fn verify(host: &SimHost, cfg: &ZoneConfig) -> Result<Vec<String>, String> {
    let net = net_store(host)?;
    let mut warnings = Vec::new();
    for n in &cfg.nets {
        let Some(physical) = &n.physical else {
            return Err("net: physical not specified".into());
        };
        // A net with a global-nic gets its VNIC at boot; any other link must exist already.
        let link = n.global_nic.as_ref().unwrap_or(physical);
        if !net.link_exists(link) {
            warnings.push(format!(
                "WARNING: skipping network interface '{link}' which may not be present/plumbed in the global zone."
            ));
        }
    }
    Ok(warnings)
}

/// The brand's pre-boot checks: a bhyve guest's disks and CD-ROM images must exist.
pub(super) fn check_boot(host: &SimHost, cfg: &ZoneConfig) -> Result<(), String> {
    if cfg.brand != "bhyve" {
        return Ok(());
    }
    let zfs = zfs_store(host)?;
    for disk in bhyve::disks(cfg) {
        if !zfs.exists(&disk.dataset) {
            return Err(format!(
                "{}: could not open disk {}: No such file or directory",
                disk.name, disk.dataset
            ));
        }
    }
    for iso in bhyve::cdroms(cfg) {
        if !host.host_path(&iso).is_file() {
            return Err(format!(
                "cdrom: could not open {iso}: No such file or directory"
            ));
        }
    }
    Ok(())
}

/// Plumb an exclusive-IP zone's links: create the VNIC of each net with a global-nic (a
/// temporary link, gone at halt, as OmniOS does) and hand every link to the zone. On a
/// failure nothing is saved, so the host is left as it was.
pub(super) fn attach_network(host: &SimHost, cfg: &ZoneConfig) -> Result<(), String> {
    if cfg.ip_type != IpType::Exclusive {
        return Ok(());
    }
    let mut net = net_store(host)?;
    for n in &cfg.nets {
        let Some(physical) = &n.physical else {
            continue;
        };
        if let Some(global_nic) = &n.global_nic {
            let mac = match &n.mac_addr {
                Some(m) => MacSpec::Fixed(crate::sys::dladm::parse_mac(m)?),
                None => MacSpec::Auto,
            };
            let request = VnicRequest {
                name: physical.clone(),
                over: global_nic.clone(),
                mac,
                vid: n.vlan_id.unwrap_or(0),
                temporary: true,
                mac_prefix: None,
            };
            if let Err(e) = net.create_vnic_with(&request) {
                return Err(format!(
                    "failed to create VNIC {physical} over {global_nic}: {e}"
                ));
            }
        } else if !net.link_exists(physical) {
            return Err(format!(
                "failed to add network device {physical}: object not found"
            ));
        }
        if let Err(e) = net.set_vnic_zone(physical, Some(&cfg.name)) {
            return Err(format!("failed to add network device {physical}: {e}"));
        }
    }
    net.save(host)
        .map_err(|e| format!("could not save datalink state: {e}"))
}

/// Undo attach_network: take the links back, delete the VNICs made at boot.
pub(super) fn detach_network(host: &SimHost, cfg: &ZoneConfig) -> Result<(), String> {
    if cfg.ip_type != IpType::Exclusive {
        return Ok(());
    }
    let mut net = net_store(host)?;
    for n in &cfg.nets {
        let Some(physical) = &n.physical else {
            continue;
        };
        if net.vnic_zone(physical).as_deref() != Some(cfg.name.as_str()) {
            continue;
        }
        let _ = net.set_vnic_zone(physical, None);
        if n.global_nic.is_some() {
            let _ = net.delete_vnic(physical);
        }
    }
    net.save(host)
        .map_err(|e| format!("could not save datalink state: {e}"))
}

/// Create the zonepath: a ZFS filesystem (with a boot environment for native brands) when
/// its parent directory is one, else a directory. Returns the lines install prints.
pub(super) fn create_zonepath(host: &SimHost, cfg: &ZoneConfig) -> Result<Vec<String>, String> {
    let mut zfs = zfs_store(host)?;
    let Some(ds) = zonepath_dataset(&zfs, &cfg.zonepath) else {
        std::fs::create_dir_all(host.host_path(&cfg.zonepath).join("root"))
            .map_err(|e| format!("{}: {e}", cfg.zonepath))?;
        return Ok(Vec::new());
    };
    if !zfs.exists(&ds) {
        zfs.create_filesystem(host, &ds, &[])?;
    }
    if cfg.brand != "bhyve" {
        let root = format!("{ds}/ROOT");
        zfs.create_filesystem(host, &root, &[("mountpoint", "legacy"), ("zoned", "on")])?;
        zfs.create_filesystem(host, &format!("{root}/zbe"), &[("canmount", "noauto")])?;
        zfs.set_written(&format!("{root}/zbe"), native_install_size(&cfg.brand));
    }
    save_zfs(host, &zfs)?;
    std::fs::create_dir_all(host.host_path(&cfg.zonepath).join("root"))
        .map_err(|e| format!("{}: {e}", cfg.zonepath))?;
    Ok(vec![
        "A ZFS file system has been created for this zone.".into(),
    ])
}

/// What a fresh install of a native brand occupies.
fn native_install_size(brand: &str) -> u64 {
    match brand {
        "sparse" => 48 << 20,
        "pkgsrc" => 410 << 20,
        "lx" => 720 << 20,
        _ => 620 << 20,
    }
}

/// Destroy the zonepath dataset and everything below it (a bhyve zone's disks inside it
/// included), or the directory when it is not a dataset.
pub(super) fn destroy_zonepath(host: &SimHost, cfg: &ZoneConfig) -> Result<(), String> {
    let mut zfs = zfs_store(host)?;
    match zonepath_dataset(&zfs, &cfg.zonepath).filter(|ds| zfs.exists(ds)) {
        Some(ds) => {
            zfs.destroy(&ds, true)?;
            save_zfs(host, &zfs)?;
        }
        None => {
            let _ = std::fs::remove_dir_all(host.host_path(&cfg.zonepath));
        }
    }
    Ok(())
}

/// Give the new zone a copy of the source's installation. A native zone's boot environment
/// (`ROOT/zbe`) is cloned from a snapshot (taken now, `SUNWzoneN`, unless one is named);
/// with `copy`, or outside ZFS, the new zone gets an installation of its own.
pub(super) fn clone_zonepath(
    host: &SimHost,
    source: &ZoneConfig,
    cfg: &ZoneConfig,
    snapshot: Option<&str>,
    copy: bool,
) -> Result<Vec<String>, String> {
    let zfs = zfs_store(host)?;
    let source_be = zonepath_dataset(&zfs, &source.zonepath)
        .map(|ds| format!("{ds}/ROOT/zbe"))
        .filter(|be| zfs.exists(be));
    let target = zonepath_dataset(&zfs, &cfg.zonepath);
    let (Some(source_be), Some(target), false) = (source_be, target, copy) else {
        let lines = create_zonepath(host, cfg)?;
        return Ok(std::iter::once(format!("Copying {}...", source.zonepath))
            .chain(lines)
            .collect());
    };
    let mut zfs = zfs;
    let snap = match snapshot {
        Some(s) => {
            let full = format!("{source_be}@{s}");
            if !zfs.exists(&full) {
                return Err(format!("snapshot {full} does not exist"));
            }
            full
        }
        None => {
            let n = (1..)
                .find(|n| !zfs.exists(&format!("{source_be}@SUNWzone{n}")))
                .unwrap_or(1);
            let full = format!("{source_be}@SUNWzone{n}");
            zfs.snapshot(&full)?;
            full
        }
    };
    if !zfs.exists(&target) {
        zfs.create_filesystem(host, &target, &[])?;
    }
    let root = format!("{target}/ROOT");
    zfs.create_filesystem(host, &root, &[("mountpoint", "legacy"), ("zoned", "on")])?;
    zfs.clone_snapshot(
        host,
        &snap,
        &format!("{root}/zbe"),
        &[("canmount", "noauto")],
    )?;
    save_zfs(host, &zfs)?;
    std::fs::create_dir_all(host.host_path(&cfg.zonepath).join("root"))
        .map_err(|e| format!("{}: {e}", cfg.zonepath))?;
    Ok(vec![
        format!("Cloning snapshot {snap}"),
        "Instead of copying, a ZFS clone has been created for this zone.".into(),
    ])
}

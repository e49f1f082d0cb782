//! What a zone's lifecycle does to the rest of the host: its zonepath (a ZFS dataset when the
//! parent directory is a ZFS filesystem), its network links at boot and halt, and the checks
//! the brand makes before boot. Called with the state lock held.

use crate::sim::SimHost;
use crate::sim::net::{NetStore, VnicRequest};
use crate::sys::dladm::MacSpec;
use crate::sys::zonecfg::{IpType, ZoneConfig};

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

/// The brand's pre-boot checks.
pub(super) fn check_boot(_host: &SimHost, _cfg: &ZoneConfig) -> Result<(), String> {
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

/// Create the zonepath; returns the lines install prints about it.
pub(super) fn create_zonepath(host: &SimHost, cfg: &ZoneConfig) -> Result<Vec<String>, String> {
    std::fs::create_dir_all(host.host_path(&cfg.zonepath).join("root"))
        .map_err(|e| format!("{}: {e}", cfg.zonepath))?;
    Ok(Vec::new())
}

pub(super) fn destroy_zonepath(host: &SimHost, cfg: &ZoneConfig) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(host.host_path(&cfg.zonepath));
    Ok(())
}

pub(super) fn clone_zonepath(
    host: &SimHost,
    _source: &ZoneConfig,
    cfg: &ZoneConfig,
    _snapshot: Option<&str>,
    _copy: bool,
) -> Result<Vec<String>, String> {
    create_zonepath(host, cfg)
}

//! What a zone's lifecycle does to the rest of the host: its zonepath (a ZFS dataset when the
//! parent directory is a ZFS filesystem), its network links at boot and halt, and the checks
//! the brand makes before boot. Called with the state lock held.

use crate::sim::SimHost;
use crate::sys::zonecfg::ZoneConfig;

/// Warnings verify prints (the configuration is still valid), or the error that fails it.
pub(super) fn verify(_host: &SimHost, _cfg: &ZoneConfig) -> Result<Vec<String>, String> {
    Ok(Vec::new())
}

/// The brand's pre-boot checks.
pub(super) fn check_boot(_host: &SimHost, _cfg: &ZoneConfig) -> Result<(), String> {
    Ok(())
}

/// Plumb the zone's links: create the VNICs of nets with a global-nic, hand links to the zone.
pub(super) fn attach_network(_host: &SimHost, _cfg: &ZoneConfig) -> Result<(), String> {
    Ok(())
}

/// Undo attach_network.
pub(super) fn detach_network(_host: &SimHost, _cfg: &ZoneConfig) -> Result<(), String> {
    Ok(())
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

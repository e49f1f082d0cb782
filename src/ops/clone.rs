//! A new zone from a halted one: its configuration copied under the new name, `zoneadm
//! clone`, and ZFS clones of a bhyve zone's volumes. The new zone gets VNICs of its own, no
//! fixed MAC and no allowed-address (the source's would clash).

use super::spec::zonecfg_step;
use super::storage::destroy_if_there;
use super::{Action, Condition, Plan, Step, dataset_object, zone_object};
use crate::host::inventory::Zone;
use crate::sys::bhyve;
use crate::sys::zfs;
use crate::sys::zoneadm::{self, ZoneState};
use crate::sys::zonecfg::ZoneConfig;
use crate::sys::zonecfg::script as generate;

#[derive(Debug, Clone)]
pub struct Cloning {
    pub plan: Plan,
    /// What the new zone gets that differs from the source, for the dialog.
    pub notes: Vec<String>,
}

/// The new zone's name for a resource named after the source (`web01_0` → `web02_0`), or
/// `fallback`.
fn renamed(value: &str, source: &str, new: &str, fallback: String) -> String {
    if value.contains(source) {
        value.replace(source, new)
    } else {
        fallback
    }
}

/// A link name for the new zone's `index`th VNIC: letters, digits and `_`, ending in a
/// digit, at most 31 characters.
fn vnic_name(new: &str, index: usize) -> String {
    let stem: String = new
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let stem = stem.trim_start_matches(|c: char| c.is_ascii_digit() || c == '_');
    let suffix = format!("_{index}");
    let keep = 31 - suffix.len();
    let stem: String = stem.chars().take(keep).collect();
    format!("{}{suffix}", if stem.is_empty() { "vnic" } else { &stem })
}

/// The new zone's configuration and its volumes (source dataset, new dataset).
pub fn cloned_config(
    source: &ZoneConfig,
    new: &str,
) -> (ZoneConfig, Vec<(String, String)>, Vec<String>) {
    let old = source.name.as_str();
    let mut cfg = source.clone();
    cfg.name = new.to_string();
    cfg.zonepath = match source.zonepath.rsplit_once('/') {
        Some((parent, last)) if last == old => format!("{parent}/{new}"),
        _ => format!("/zones/{new}"),
    };
    cfg.debugid = None;
    let mut notes = vec![format!("zonepath {}", cfg.zonepath)];
    for (i, net) in cfg.nets.iter_mut().enumerate() {
        let before = net.physical.clone().unwrap_or_default();
        let after = renamed(&before, old, new, vnic_name(new, i));
        let after = if crate::sys::zonecfg::check::valid_linkname(&after) {
            after
        } else {
            vnic_name(new, i)
        };
        notes.push(format!("NIC {before} → {after}"));
        net.physical = Some(after);
        if net.mac_addr.take().is_some() {
            notes.push("  its fixed MAC is dropped (a new one is chosen)".into());
        }
        if net.allowed_address.take().is_some() {
            notes.push("  its allowed-address is dropped (the source's would clash)".into());
        }
    }
    let mut volumes = Vec::new();
    for disk in bhyve::disks(source) {
        let target = renamed(&disk.dataset, old, new, format!("{}-{new}", disk.dataset));
        notes.push(format!("{} {} → clone {target}", disk.name, disk.dataset));
        if let Some(attr) = cfg.attrs.iter_mut().find(|a| a.name == disk.name) {
            attr.value = attr.value.replacen(&disk.dataset, &target, 1);
        }
        let (old_dev, new_dev) = (
            bhyve::zvol_device(&disk.dataset),
            bhyve::zvol_device(&target),
        );
        for device in cfg.devices.iter_mut().filter(|d| d.match_path == old_dev) {
            device.match_path = new_dev.clone();
        }
        volumes.push((disk.dataset, target));
    }
    (cfg, volumes, notes)
}

/// Whether `source` can be cloned now: zoneadm clones only a halted, installed zone.
pub fn check_source(source: &Zone) -> Result<(), String> {
    let old = source.name.as_str();
    if source.state != ZoneState::Installed {
        return Err(format!(
            "{old} is {}: zoneadm clones only a halted, installed zone{}",
            source.state.as_str(),
            if source.state == ZoneState::Running {
                " (halt or shut it down first)"
            } else {
                ""
            }
        ));
    }
    Ok(())
}

/// The plan that clones the halted zone `source` as `new`.
pub fn clone_plan(source: &Zone, new: &str, existing: &[&str]) -> Result<Cloning, String> {
    super::validate::zone_name(new, existing)?;
    check_source(source)?;
    let old = source.name.as_str();
    let Some(src_cfg) = &source.config else {
        return Err(format!("{old}'s configuration could not be read"));
    };
    let (cfg, volumes, notes) = cloned_config(src_cfg, new);
    // OmniOS's zonecfg reads `create -t web01` as the brand template OMNIweb01: the copy
    // of another zone's configuration is written out whole instead.
    let script = generate::create_script(&cfg)?;
    let mut plan = Plan::new("clone", new)
        .object(zone_object(new))
        .object(zone_object(old));
    plan = plan.step(
        zonecfg_step("Applying zone configuration", 30, new, script)
            .undo(Action::run(crate::sys::zonecfg::delete(new))),
    );
    let cleanup = Action::When {
        condition: Condition::ZoneIn {
            zone: new.to_string(),
            states: vec![ZoneState::Installed, ZoneState::Incomplete],
        },
        then: Box::new(Action::run(zoneadm::uninstall(new))),
    };
    plan = plan.step(
        Step::new(
            "Cloning zone",
            60,
            Action::run(zoneadm::clone(new, old, false, None)),
        )
        .undo(cleanup)
        .even_if_failed(),
    );
    // The volumes come after the clone: zoneadm clone makes the zonepath dataset they
    // usually live in.
    let snap_name = format!("zcon-clone-{new}");
    for (from, to) in volumes {
        let snapshot = format!("{from}@{snap_name}");
        plan = plan
            .object(dataset_object(&to))
            .step(
                Step::new(
                    "Cloning volumes",
                    80,
                    Action::run(zfs::snapshot(&snapshot, false)),
                )
                .undo(destroy_if_there(&snapshot)),
            )
            .step(
                Step::new(
                    "Cloning volumes",
                    90,
                    Action::run(zfs::clone(
                        &snapshot,
                        &to,
                        true,
                        &[(super::delete::ZONE_TAG, new)],
                    )),
                )
                .undo(destroy_if_there(&to)),
            );
    }
    Ok(Cloning { plan, notes })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vnic_names_follow_the_link_name_rules() {
        assert_eq!(vnic_name("web02", 0), "web02_0");
        assert_eq!(vnic_name("2fast.example", 3), "fast_example_3");
        let long = vnic_name(&"a".repeat(64), 12);
        assert_eq!(long.len(), 31);
        assert!(crate::sys::zonecfg::check::valid_linkname(&long));
    }
}

//! Changing a zone's configuration from a spec: only the differences become commands, each
//! change says whether it waits for the zone's next boot, and caps can reach a running zone
//! at once (prctl, rcapadm).

use super::spec::{Caps, Volume, ZoneSpec, zonecfg_step};
use super::storage::volume_steps;
use super::{Action, Plan, Step, dataset_object, zone_object};
use crate::sys::bhyve;
use crate::sys::zoneadm::ZoneState;
use crate::sys::zonecfg::script as generate;
use crate::sys::zonecfg::{Net, ZoneConfig};

/// One change, as the review shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub text: String,
    /// The zone runs and takes this up only when it boots again.
    pub at_next_boot: bool,
}

#[derive(Debug, Clone)]
pub struct Modification {
    pub plan: Plan,
    pub changes: Vec<Change>,
}

impl Modification {
    pub fn needs_reboot(&self) -> bool {
        self.changes.iter().any(|c| c.at_next_boot)
    }
}

/// Whether a zone in `state` has a kernel side that reads its configuration only at boot.
pub fn is_active(state: ZoneState) -> bool {
    matches!(
        state,
        ZoneState::Ready | ZoneState::Running | ZoneState::ShuttingDown | ZoneState::Down
    )
}

/// The plan that turns the zone configured as `current` (now in `state`) into `desired`.
/// New volumes are made first (and destroyed again if a later step fails), then one zonecfg
/// script applies every difference; with `live_caps`, changed caps also reach the running
/// zone at once.
pub fn modify_plan(
    current: &ZoneConfig,
    desired: &ZoneSpec,
    state: ZoneState,
    live_caps: bool,
    exists: &dyn Fn(&str) -> bool,
) -> Result<Modification, String> {
    let name = current.name.as_str();
    if desired.name != name {
        return Err(format!(
            "the spec is for {}, not {name}: a zone is not renamed by modify",
            desired.name
        ));
    }
    if desired.brand != current.brand {
        return Err(format!(
            "{name} is a {} zone: its brand cannot become {}",
            current.brand, desired.brand
        ));
    }
    if desired.zonepath() != current.zonepath && state != ZoneState::Configured {
        return Err(format!(
            "{name} is installed at {}: the zonepath of an installed zone cannot change",
            current.zonepath
        ));
    }
    let target = target_config(current, desired);
    let active = is_active(state);
    let live = live_caps && state == ZoneState::Running;
    let changes = describe(current, &target, active, live);
    let attached: Vec<String> = bhyve::disks(current)
        .into_iter()
        .map(|d| d.dataset)
        .collect();
    let new_volumes: Vec<&Volume> = desired
        .boot_volume
        .iter()
        .chain(&desired.disks)
        .filter(|v| !attached.iter().any(|a| a == v.dataset()))
        .collect();
    if changes.is_empty() && new_volumes.is_empty() {
        return Err(format!(
            "nothing to change: the spec matches {name}'s configuration"
        ));
    }
    let mut plan = Plan::new("modify", name).object(zone_object(name));
    for secret in desired.secrets() {
        plan = plan.secret(&secret);
    }
    let mut made = Vec::new();
    for volume in new_volumes {
        plan = plan.object(dataset_object(volume.dataset()));
        for step in volume_steps(volume, name, exists, &mut made)? {
            plan = plan.step(step);
        }
    }
    // Caps reach the running zone before the configuration keeps them: a refused value
    // stops the task before anything is stored.
    if live {
        for step in live_cap_steps(name, &Caps::of(current), &desired.caps) {
            plan = plan.step(step);
        }
    }
    if target != *current {
        let forward = generate::modify_script(current, &target)?;
        let back = generate::modify_script(&target, current)?;
        plan = plan.step(
            zonecfg_step("Applying zone configuration", 60, name, forward).undo(Action::Run {
                command: crate::sys::Command::mutating("zonecfg").args(["-z", name, "-f", "-"]),
                stdin: Some(back),
                timeout_s: None,
            }),
        );
    }
    plan.pending_reboot = changes.iter().any(|c| c.at_next_boot);
    Ok(Modification { plan, changes })
}

/// Steps that set the caps that changed on the running zone; each undo restores the old
/// value. A cap that is removed is not lifted live (it lapses at the next boot).
fn live_cap_steps(zone: &str, old: &Caps, new: &Caps) -> Vec<Step> {
    use crate::sys::size::parse_size;
    let bytes = |v: &Option<String>| v.as_deref().and_then(|s| parse_size(s).ok());
    let mut steps = Vec::new();
    let stage = "Applying caps to the running zone";
    if new.physical_memory != old.physical_memory
        && let Some(cap) = bytes(&new.physical_memory)
    {
        let step = Step::new(
            stage,
            40,
            Action::run(crate::sys::rcapadm::set_zone_cap(zone, cap)),
        );
        steps.push(match bytes(&old.physical_memory) {
            Some(before) => step.undo(Action::run(crate::sys::rcapadm::set_zone_cap(zone, before))),
            None => step.undo(Action::run(crate::sys::rcapadm::set_zone_cap(zone, 0))),
        });
    }
    let rctls = [
        ("zone.max-swap", bytes(&old.swap), bytes(&new.swap)),
        (
            "zone.max-locked-memory",
            bytes(&old.locked_memory),
            bytes(&new.locked_memory),
        ),
        ("zone.cpu-cap", old.cpu_percent(), new.cpu_percent()),
        ("zone.max-lwps", old.max_lwps, new.max_lwps),
    ];
    for (rctl, before, after) in rctls {
        if before == after {
            continue;
        }
        let Some(value) = after else { continue };
        // `prctl -r` replaces a value the zone was booted with; a cap it was booted without
        // is added (`-s`), and lapses at its next boot if the configuration drops it again.
        steps.push(match before {
            Some(b) => Step::new(
                stage,
                40,
                Action::run(crate::sys::prctl::set_zone(zone, rctl, value)),
            )
            .undo(Action::run(crate::sys::prctl::set_zone(zone, rctl, b))),
            None => Step::new(
                stage,
                40,
                Action::run(crate::sys::prctl::add_zone(zone, rctl, value)),
            ),
        });
    }
    steps
}

/// `current` with what the spec governs replaced by `desired`; everything the spec does not
/// model (ip-type, rctls other than caps, datasets, admins, a NIC's address, a disk's
/// `,serial=` options, attribute types) is kept as it is.
pub fn target_config(current: &ZoneConfig, desired: &ZoneSpec) -> ZoneConfig {
    let mut spec = desired.clone();
    // A spec leaves the cloud-init password out (export does): absent means unchanged.
    if let (Some(ci), Some(password)) = (&mut spec.cloud_init, current.attr("password"))
        && ci.password.is_none()
    {
        ci.password = Some(password.to_string());
    }
    let wanted = spec.config();
    let mut t = current.clone();
    t.autoboot = wanted.autoboot;
    t.zonepath = wanted.zonepath.clone();
    let old_disks = bhyve::disks(current);
    let mut wanted_attrs = wanted.attrs.clone();
    keep_disk_names(&mut wanted_attrs, &old_disks);
    t.attrs = wanted_attrs
        .iter()
        .map(|a| {
            let same_disk = old_disks
                .iter()
                .any(|d| d.name == a.name && d.dataset == a.value);
            current
                .attrs
                .iter()
                .find(|c| c.name == a.name && (c.value == a.value || same_disk))
                .cloned()
                .unwrap_or_else(|| a.clone())
        })
        .collect();
    let old_disk_devices: Vec<String> = old_disks
        .iter()
        .map(|d| bhyve::zvol_device(&d.dataset))
        .collect();
    t.devices = current
        .devices
        .iter()
        .filter(|d| !old_disk_devices.contains(&d.match_path))
        .cloned()
        .collect();
    for device in &wanted.devices {
        if !t.devices.iter().any(|d| d.match_path == device.match_path) {
            let kept = current
                .devices
                .iter()
                .find(|d| d.match_path == device.match_path);
            t.devices
                .push(kept.cloned().unwrap_or_else(|| device.clone()));
        }
    }
    t.fs = wanted
        .fs
        .iter()
        .map(|f| {
            current
                .fs
                .iter()
                .find(|c| {
                    c.dir == f.dir
                        && c.special == f.special
                        && c.fs_type == f.fs_type
                        && c.options == f.options
                })
                .cloned()
                .unwrap_or_else(|| f.clone())
        })
        .collect();
    t.nets = wanted
        .nets
        .iter()
        .map(
            |n| match current.nets.iter().find(|c| c.physical == n.physical) {
                Some(c) => Net {
                    global_nic: n.global_nic.clone(),
                    mac_addr: n.mac_addr.clone(),
                    vlan_id: n.vlan_id,
                    allowed_address: n.allowed_address.clone(),
                    defrouter: n.defrouter.clone(),
                    ..c.clone()
                },
                None => n.clone(),
            },
        )
        .collect();
    desired.caps.apply(&mut t);
    t
}

/// A spec numbers its disks by position (disk0, disk1 …); a zone may have others (disk1 and
/// disk3). A disk the zone has keeps its name; a new one takes the first free `diskN`.
fn keep_disk_names(attrs: &mut [crate::sys::zonecfg::Attr], old: &[bhyve::Disk]) {
    let is_disk = |name: &str| {
        name.strip_prefix("disk")
            .is_some_and(|n| n.is_empty() || n.parse::<u32>().is_ok())
    };
    let dataset = |value: &str| value.split(',').next().unwrap_or("").to_string();
    let mut taken: Vec<String> = Vec::new();
    let mut fresh = Vec::new();
    for (i, a) in attrs.iter_mut().enumerate() {
        if !is_disk(&a.name) {
            continue;
        }
        match old
            .iter()
            .find(|d| d.name != "bootdisk" && d.dataset == dataset(&a.value))
        {
            Some(d) => {
                a.name = d.name.clone();
                taken.push(d.name.clone());
            }
            None => fresh.push(i),
        }
    }
    let mut n = 0;
    for i in fresh {
        while taken.contains(&format!("disk{n}")) {
            n += 1;
        }
        attrs[i].name = format!("disk{n}");
        taken.push(attrs[i].name.clone());
    }
}

/// What differs between the two configurations, in the operator's words. On an `active`
/// zone everything but autoboot (read when the host boots) and caps applied `live` waits
/// for the next boot.
fn describe(old: &ZoneConfig, new: &ZoneConfig, active: bool, live: bool) -> Vec<Change> {
    let mut out = Vec::new();
    let mut push = |text: String, at_next_boot: bool| out.push(Change { text, at_next_boot });
    if old.autoboot != new.autoboot {
        push(
            format!("autoboot: {} → {}", old.autoboot, new.autoboot),
            false,
        );
    }
    if old.zonepath != new.zonepath {
        push(
            format!("zonepath: {} → {}", old.zonepath, new.zonepath),
            false,
        );
    }
    let shown = |name: &str, value: &str| {
        if name == "password" {
            "********".to_string()
        } else {
            value.to_string()
        }
    };
    for a in &new.attrs {
        match old.attrs.iter().find(|o| o.name == a.name) {
            None => push(
                format!("{}: {} (new)", a.name, shown(&a.name, &a.value)),
                active,
            ),
            Some(o) if o.value != a.value => push(
                format!(
                    "{}: {} → {}",
                    a.name,
                    shown(&a.name, &o.value),
                    shown(&a.name, &a.value)
                ),
                active,
            ),
            Some(_) => {}
        }
    }
    for o in &old.attrs {
        if !new.attrs.iter().any(|a| a.name == o.name) {
            push(format!("{}: removed", o.name), active);
        }
    }
    for n in &new.nets {
        let label = n.physical.as_deref().unwrap_or("?");
        match old.nets.iter().find(|o| o.physical == n.physical) {
            None => {
                let over = n
                    .global_nic
                    .as_deref()
                    .map(|g| format!(" over {g}"))
                    .unwrap_or_default();
                push(format!("add NIC {label}{over}"), active);
            }
            Some(o) if o != n => push(format!("change NIC {label}"), active),
            Some(_) => {}
        }
    }
    for o in &old.nets {
        if !new.nets.iter().any(|n| n.physical == o.physical) {
            let label = o.physical.as_deref().unwrap_or("?");
            push(format!("remove NIC {label}"), active);
        }
    }
    for f in &new.fs {
        if !old.fs.iter().any(|o| o.dir == f.dir) {
            push(format!("mount {} at {}", f.special, f.dir), active);
        } else if !old.fs.contains(f) {
            push(format!("change the mount at {}", f.dir), active);
        }
    }
    for o in &old.fs {
        if !new.fs.iter().any(|f| f.dir == o.dir) {
            push(format!("unmount {}", o.dir), active);
        }
    }
    let (old_caps, new_caps) = (Caps::of(old), Caps::of(new));
    let caps = [
        (
            "capped-memory physical",
            &old_caps.physical_memory,
            &new_caps.physical_memory,
        ),
        ("capped-memory swap", &old_caps.swap, &new_caps.swap),
        (
            "capped-memory locked",
            &old_caps.locked_memory,
            &new_caps.locked_memory,
        ),
        ("capped-cpu ncpus", &old_caps.cpu, &new_caps.cpu),
    ];
    let none = || "none".to_string();
    for (label, before, after) in caps {
        if before != after {
            let lifted = after.is_none();
            push(
                format!(
                    "{label}: {} → {}",
                    before.clone().unwrap_or_else(none),
                    after.clone().unwrap_or_else(none)
                ),
                active && (!live || lifted),
            );
        }
    }
    if old_caps.max_lwps != new_caps.max_lwps {
        let text = |v: Option<u64>| v.map_or_else(none, |n| n.to_string());
        push(
            format!(
                "max-lwps: {} → {}",
                text(old_caps.max_lwps),
                text(new_caps.max_lwps)
            ),
            active && (!live || new_caps.max_lwps.is_none()),
        );
    }
    out
}

#[cfg(test)]
#[path = "modify_tests.rs"]
mod tests;

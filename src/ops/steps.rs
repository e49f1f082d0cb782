//! Steps that create something, each with the undo that removes exactly it. Plans that build
//! zones (create, clone) are made of these; their stage names and percentages follow the zone
//! guide's progress table.

use super::{Action, Step};
use crate::sys::zfs::{self, DestroyOptions, VolumeOptions};
use crate::sys::{Command, dladm, zoneadm, zonecfg};

/// `zfs create -V SIZE DATASET`; undone by destroying that volume (never recursively: only
/// what this step made).
pub fn create_volume(dataset: &str, volsize: u64, sparse: bool) -> Step {
    let opts = VolumeOptions {
        sparse,
        ..Default::default()
    };
    Step::new(
        "Preparing storage (ZFS volumes)",
        10,
        Action::run(zfs::create_volume(dataset, volsize, opts, &[])),
    )
    .undo(Action::run(zfs::destroy(
        dataset,
        DestroyOptions::default(),
    )))
}

/// `zonecfg -z ZONE -f -` fed `script`; undone by deleting the configuration.
pub fn configure_zone(zone: &str, script: &str) -> Step {
    Step::new(
        "Applying zone configuration",
        40,
        Action::Run {
            command: Command::mutating("zonecfg").args(["-z", zone, "-f", "-"]),
            stdin: Some(script.to_string()),
            timeout_s: None,
        },
    )
    .undo(Action::run(zonecfg::delete(zone)))
}

/// `dladm create-vnic -l OVER NAME`; undone by deleting that VNIC.
pub fn create_vnic(name: &str, over: &str) -> Step {
    Step::new(
        "Configuring network interfaces",
        75,
        Action::run(dladm::create_vnic(&dladm::VnicSpec::new(name, over))),
    )
    .undo(Action::run(dladm::delete_vnic(name)))
}

/// `zoneadm -z ZONE install`; undone by uninstalling.
pub fn install_zone(zone: &str, brand_args: &[String]) -> Step {
    Step::new(
        "Installing zone",
        90,
        Action::run(zoneadm::install(zone, brand_args)),
    )
    .undo(Action::run(zoneadm::uninstall(zone)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_step_undoes_only_what_it_made() {
        let vol = create_volume("rpool/vm/a/root", 1 << 30, true);
        assert_eq!(
            vol.action.commands()[0].display(),
            "zfs create -s -V 1G rpool/vm/a/root"
        );
        assert_eq!(
            vol.undo.as_ref().unwrap().describe(),
            "zfs destroy rpool/vm/a/root"
        );
        let vnic = create_vnic("a0", "igb0");
        assert_eq!(vnic.undo.unwrap().describe(), "dladm delete-vnic a0");
        let cfg = configure_zone("a", "create -b\n");
        assert_eq!(cfg.undo.unwrap().describe(), "zonecfg -z a delete -F");
        assert_eq!(cfg.progress, 40);
    }
}

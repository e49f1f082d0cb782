use super::*;
use crate::sys::zonecfg::{Attr, AttrType};

fn zone() -> ZoneConfig {
    let mut cfg = ZoneConfig::blank("vm");
    cfg.brand = "bhyve".into();
    cfg.zonepath = "/zones/vm".into();
    cfg.attrs = vec![
        Attr {
            name: "ram".into(),
            attr_type: AttrType::String,
            value: "2G".into(),
        },
        Attr {
            name: "bootdisk".into(),
            attr_type: AttrType::String,
            value: "rpool/zones/vm/root,serial=BOOT1".into(),
        },
        Attr {
            name: "disk3".into(),
            attr_type: AttrType::String,
            value: "data/vm-data".into(),
        },
    ];
    for ds in ["rpool/zones/vm/root", "data/vm-data"] {
        cfg.devices.push(crate::sys::zonecfg::Device {
            match_path: crate::sys::bhyve::zvol_device(ds),
            properties: Vec::new(),
        });
    }
    cfg.set_rctl("zone.max-processes", "4000", "deny");
    cfg
}

#[test]
fn an_unchanged_spec_changes_nothing_it_does_not_model() {
    let cfg = zone();
    let spec = ZoneSpec::from_config(&cfg);
    // Disk options, a disk's own name and other rctls survive the round trip.
    assert_eq!(target_config(&cfg, &spec), cfg);
    let err = modify_plan(&cfg, &spec, ZoneState::Installed, false, &|_| true).unwrap_err();
    assert!(err.contains("nothing to change"), "{err}");
}

#[test]
fn a_new_disk_takes_a_free_name_and_changes_wait_for_a_running_zone() {
    let cfg = zone();
    let mut spec = ZoneSpec::from_config(&cfg);
    spec.attrs.insert("ram".into(), "4G".into());
    spec.autoboot = true;
    spec.disks.push(Volume::New {
        dataset: "data/vm-more".into(),
        size: "1G".into(),
        sparse: false,
    });
    let m = modify_plan(&cfg, &spec, ZoneState::Running, false, &|_| true).unwrap();
    let t = target_config(&cfg, &spec);
    assert_eq!(t.attr("disk3"), Some("data/vm-data"));
    assert_eq!(t.attr("disk0"), Some("data/vm-more"));
    let texts: Vec<(&str, bool)> = m
        .changes
        .iter()
        .map(|c| (c.text.as_str(), c.at_next_boot))
        .collect();
    assert!(
        texts.contains(&("autoboot: false → true", false)),
        "{texts:?}"
    );
    assert!(texts.contains(&("ram: 2G → 4G", true)), "{texts:?}");
    assert!(m.plan.pending_reboot);
    // Halted, nothing waits.
    let m = modify_plan(&cfg, &spec, ZoneState::Installed, false, &|_| true).unwrap();
    assert!(!m.needs_reboot() && !m.plan.pending_reboot);
}

#[test]
fn live_caps_reach_the_running_zone_and_do_not_wait() {
    let cfg = zone();
    let mut spec = ZoneSpec::from_config(&cfg);
    spec.caps.max_lwps = Some(2000);
    spec.caps.cpu = Some("1.5".into());
    let m = modify_plan(&cfg, &spec, ZoneState::Running, true, &|_| true).unwrap();
    let commands = m.plan.commands();
    assert!(
        commands
            .iter()
            .any(|c| c.contains("prctl -n zone.cpu-cap -t privileged -v 150 -s -i zone vm")),
        "{commands:?}"
    );
    assert!(
        commands.iter().any(|c| c.contains("zone.max-lwps")),
        "{commands:?}"
    );
    assert!(!m.needs_reboot(), "{:?}", m.changes);
    let m = modify_plan(&cfg, &spec, ZoneState::Running, false, &|_| true).unwrap();
    assert!(m.needs_reboot());
}

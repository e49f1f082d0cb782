use super::*;
use crate::sim::zones::{self, ActiveZone};
use crate::sys::zoneadm::ZoneState;
use crate::sys::zonecfg::{DatasetResource, Device, ZoneConfig};
use crate::sys::zoneindex::{IndexEntry, IndexState};

/// A bhyve zone `vm` (zonepath /zones/vm, boot disk rpool/zones/vm/root, a second disk
/// named only by its device) and a native zone `web` with a delegated dataset.
fn zones(h: &SimHost, state: ZoneState) {
    ok(h, &["create", "-o", "mountpoint=/zones", "rpool/zones"]);
    ok(h, &["create", "rpool/zones/vm"]);
    ok(h, &["create", "-V", "1G", "rpool/zones/vm/root"]);
    ok(h, &["create", "-V", "1G", "rpool/zones/vm/data"]);
    ok(h, &["create", "-V", "1G", "rpool/zones/vm/spare"]);
    ok(h, &["create", "rpool/zones/web"]);
    ok(h, &["create", "-p", "rpool/delegated/web"]);
    ok(h, &["create", "rpool/free"]);
    let mut index = zones::load_index(h).unwrap();
    for (name, path) in [("vm", "/zones/vm"), ("web", "/zones/web")] {
        index.entries.push(IndexEntry {
            name: name.into(),
            state: IndexState::Installed,
            zonepath: path.into(),
            uuid: String::new(),
        });
    }
    zones::save_index(h, &index).unwrap();
    let mut vm = ZoneConfig::blank("vm");
    vm.zonepath = "/zones/vm".into();
    vm.brand = "bhyve".into();
    vm.set_attr("bootdisk", "rpool/zones/vm/root,serial=X1");
    vm.devices.push(Device {
        match_path: "/dev/zvol/rdsk/rpool/zones/vm/data".into(),
        properties: Vec::new(),
    });
    zones::save_config(h, &vm).unwrap();
    let mut web = ZoneConfig::blank("web");
    web.zonepath = "/zones/web".into();
    web.brand = "ipkg".into();
    web.datasets.push(DatasetResource {
        name: "rpool/delegated/web".into(),
    });
    zones::save_config(h, &web).unwrap();
    ok(h, &["set", "zoned=on", "rpool/delegated/web"]);
    let mut rt = zones::load_runtime(h).unwrap();
    for name in ["vm", "web"] {
        let id = rt.allocate_id();
        rt.zones.insert(
            name.into(),
            ActiveZone {
                state,
                id,
                booted_at: 1,
                boot_count: 1,
            },
        );
    }
    zones::save_runtime(h, &rt).unwrap();
}

#[test]
fn a_running_zone_holds_its_disks_zonepath_and_datasets() {
    let (_d, h) = host();
    zones(&h, ZoneState::Running);
    assert_eq!(
        err(&h, &["destroy", "rpool/zones/vm/root"], 1),
        "cannot destroy 'rpool/zones/vm/root': dataset is busy\n"
    );
    assert_eq!(
        err(&h, &["destroy", "rpool/zones/vm/data"], 1),
        "cannot destroy 'rpool/zones/vm/data': dataset is busy\n"
    );
    ok(&h, &["destroy", "rpool/zones/vm/spare"]);
    assert_eq!(
        err(&h, &["destroy", "rpool/zones/web"], 1),
        "cannot unmount '/zones/web': Device busy\n"
    );
    assert_eq!(
        err(&h, &["destroy", "rpool/delegated/web"], 1),
        "cannot destroy 'rpool/delegated/web': dataset is busy\n"
    );
    assert_eq!(
        err(&h, &["rename", "rpool/zones/web", "rpool/zones/web2"], 1),
        "cannot unmount '/zones/web': Device busy\n"
    );
    ok(&h, &["snapshot", "rpool/zones/vm/root@pre"]);
    assert_eq!(
        err(&h, &["rollback", "rpool/zones/vm/root@pre"], 1),
        "cannot rollback 'rpool/zones/vm/root': dataset is busy\n"
    );
    ok(&h, &["destroy", "rpool/zones/vm/root@pre"]);
    ok(&h, &["destroy", "rpool/free"]);
    // -r goes child by child and stops at the first busy one, as zfs does.
    assert_eq!(
        err(&h, &["destroy", "-r", "rpool/zones/vm"], 1),
        "cannot destroy 'rpool/zones/vm/data': dataset is busy\n"
    );
    assert!(names(&h).contains(&"rpool/zones/vm/root".to_string()));
}

#[test]
fn an_installed_zone_holds_nothing() {
    let (_d, h) = host();
    zones(&h, ZoneState::Down);
    ok(&h, &["destroy", "-r", "rpool/zones"]);
    ok(&h, &["destroy", "-r", "rpool/delegated"]);
    assert_eq!(names(&h), ["rpool", "rpool/free"]);
}

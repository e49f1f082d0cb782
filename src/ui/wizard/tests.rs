//! The wizard's forms against a made-up host: each step's fields mapped to the spec, the
//! derived defaults, the checks as typed, and an edit's round trip.

use std::path::PathBuf;
use std::sync::Arc;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::host::inventory::Zone;
use crate::ops::spec::{CloudInit, FsSpec, NicSpec, Volume, ZoneSpec};
use crate::sys::dladm::{Link, LinkClass, MacAddrType, Vnic};
use crate::sys::zfs::{Dataset, DatasetType};
use crate::sys::zonecfg::IpType;
use crate::sys::zpool;
use crate::ui::app::Level;
use crate::ui::config::Action;
use crate::ui::form::Widget;

const G: u64 = 1 << 30;

fn ds(name: &str, kind: DatasetType, mountpoint: Option<&str>, avail: Option<u64>) -> Dataset {
    Dataset {
        name: name.into(),
        kind,
        used: Some(G),
        avail,
        refer: Some(G),
        mountpoint: mountpoint.map(str::to_string),
        volsize: (kind == DatasetType::Volume).then_some(10 * G),
        origin: None,
        creation: None,
    }
}

fn pool(name: &str) -> zpool::Pool {
    zpool::Pool {
        name: name.into(),
        size: 1000 * G,
        alloc: 0,
        free: 1000 * G,
        frag: None,
        cap: 0,
        dedup: None,
        health: "ONLINE".into(),
        altroot: None,
    }
}

fn link(name: &str, class: LinkClass) -> Link {
    Link {
        link: name.into(),
        class,
        mtu: Some(1500),
        state: None,
        bridge: None,
        over: Vec::new(),
    }
}

/// A zone made from a spec, as the inventory shows it.
pub(super) fn zone_of(spec: &ZoneSpec, state: ZoneState) -> Zone {
    Zone {
        name: spec.name.clone(),
        id: None,
        state,
        brand: spec.brand.clone(),
        ip_type: IpType::Exclusive,
        zonepath: spec.zonepath(),
        uuid: String::new(),
        debugid: None,
        config: Some(spec.config()),
    }
}

pub(super) fn web_spec() -> ZoneSpec {
    ZoneSpec {
        name: "web".into(),
        brand: "bhyve".into(),
        boot_volume: Some(Volume::Existing {
            dataset: "data/zones/web/root".into(),
            force: false,
        }),
        nics: vec![NicSpec {
            physical: "web_0".into(),
            global_nic: Some("igb0".into()),
            ..NicSpec::default()
        }],
        ..ZoneSpec::default()
    }
}

/// A host with two pools, a template, a spare volume, one used by zone `web`, links, a free
/// VNIC, and ISOs in data/iso (files beneath the returned root).
pub(super) fn host() -> (tempfile::TempDir, Arc<Inventory>) {
    use DatasetType::*;
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(root.path().join("data/iso")).unwrap();
    for iso in ["omnios.iso", "debian.iso", "notes.txt"] {
        std::fs::write(root.path().join("data/iso").join(iso), b"").unwrap();
    }
    let inv = Inventory {
        zones: vec![zone_of(&web_spec(), ZoneState::Installed)],
        datasets: vec![
            ds("data", Filesystem, Some("/data"), Some(900 * G)),
            ds("data/iso", Filesystem, Some("/data/iso"), Some(900 * G)),
            ds("data/vols", Filesystem, Some("/data/vols"), Some(900 * G)),
            ds("data/vols/spare", Volume, None, Some(900 * G)),
            ds("data/zones", Filesystem, Some("/data/zones"), Some(900 * G)),
            ds(
                "data/zones/web",
                Filesystem,
                Some("/data/zones/web"),
                Some(900 * G),
            ),
            ds("data/zones/web/root", Volume, None, Some(900 * G)),
            ds("rpool", Filesystem, Some("/rpool"), Some(50 * G)),
            ds(
                "rpool/templates",
                Filesystem,
                Some("/templates"),
                Some(50 * G),
            ),
            ds("rpool/templates/deb", Volume, None, Some(50 * G)),
            ds("rpool/templates/deb@base", Snapshot, None, None),
        ],
        pools: vec![pool("data"), pool("rpool")],
        links: vec![
            link("igb0", LinkClass::Phys),
            link("stub0", LinkClass::Etherstub),
            link("vnic7", LinkClass::Vnic),
        ],
        vnics: vec![Vnic {
            link: "vnic7".into(),
            over: "igb0".into(),
            speed: 1000,
            mac: "2:8:20:a:b:c".into(),
            mac_type: MacAddrType::Random,
            vid: None,
            zone: None,
        }],
        ..Inventory::default()
    };
    (root, Arc::new(inv))
}

pub(super) fn new_wizard(inv: &Arc<Inventory>, root: &tempfile::TempDir) -> Wizard {
    Wizard::create(None, inv.clone(), root.path().to_path_buf())
}

/// Set a text field as if typed (marked touched), and refresh.
pub(super) fn set(w: &mut Wizard, step: Step, key: &str, value: &str) {
    let form = w.form_mut(step);
    form.set_text(key, value);
    form.get_mut(key)
        .unwrap_or_else(|| panic!("no field {key}"))
        .touched = true;
    w.refresh();
}

pub(super) fn pick(w: &mut Wizard, step: Step, key: &str, value: &str) {
    let form = w.form_mut(step);
    assert!(
        form.choice_mut(key)
            .unwrap_or_else(|| panic!("no choice {key}"))
            .select(value),
        "{key} does not offer {value}"
    );
    w.refresh();
}

fn flip(w: &mut Wizard, step: Step, key: &str) {
    let on = w.form(step).toggle(key);
    w.form_mut(step).set_toggle(key, !on);
    w.refresh();
}

fn error(w: &Wizard, step: Step, key: &str) -> Option<String> {
    w.form(step).get(key).and_then(|f| f.error.clone())
}

fn add(w: &mut Wizard, step: Step) {
    w.step = step;
    assert_eq!(w.action(Action::AddItem), Outcome::Done);
}

#[test]
fn a_fresh_bhyve_zone_with_a_new_boot_volume() {
    let (root, inv) = host();
    let mut w = new_wizard(&inv, &root);
    assert!(!w.changed());
    set(&mut w, Step::Basics, "name", "vm1");
    assert!(w.changed());
    set(&mut w, Step::Resources, "ram", "2G");
    set(&mut w, Step::Resources, "vcpus", "2");
    pick(&mut w, Step::Resources, "attr.diskif", "nvme");
    let spec = w.spec();
    assert_eq!(spec.name, "vm1");
    assert_eq!(spec.brand, "bhyve");
    assert_eq!(spec.zonepath, None, "the default zonepath is not written");
    assert_eq!(spec.attrs["ram"], "2G");
    assert_eq!(spec.attrs["vcpus"], "2");
    assert_eq!(spec.attrs["diskif"], "nvme");
    assert!(
        !spec.attrs.contains_key("bootrom"),
        "a default choice is left to the brand"
    );
    // The parent follows the pool and the name until it is typed in.
    assert_eq!(
        spec.boot_volume,
        Some(Volume::New {
            dataset: "data/zones/vm1/root".into(),
            size: "20G".into(),
            sparse: false
        })
    );
    pick(&mut w, Step::BootVolume, "boot.pool", "rpool");
    set(&mut w, Step::BootVolume, "boot.size", "30G");
    flip(&mut w, Step::BootVolume, "boot.sparse");
    assert_eq!(
        w.spec().boot_volume,
        Some(Volume::New {
            dataset: "rpool/zones/vm1/root".into(),
            size: "30G".into(),
            sparse: true
        })
    );
    set(&mut w, Step::BootVolume, "boot.parent", "rpool/vms");
    set(&mut w, Step::Basics, "name", "vm2");
    assert_eq!(
        w.spec().boot_volume.unwrap().dataset(),
        "rpool/vms/root",
        "a typed parent stays"
    );
}

#[test]
fn a_boot_volume_that_does_not_fit_or_exists_is_refused_at_its_field() {
    let (root, inv) = host();
    let mut w = new_wizard(&inv, &root);
    set(&mut w, Step::Basics, "name", "web");
    assert!(
        error(&w, Step::Basics, "name")
            .unwrap()
            .contains("already exists")
    );
    set(&mut w, Step::Basics, "name", "vm1");
    pick(&mut w, Step::BootVolume, "boot.pool", "rpool");
    set(&mut w, Step::BootVolume, "boot.size", "60G");
    let e = error(&w, Step::BootVolume, "boot.size").unwrap();
    assert!(e.contains("does not fit") && e.contains("rpool"), "{e}");
    flip(&mut w, Step::BootVolume, "boot.sparse");
    assert_eq!(error(&w, Step::BootVolume, "boot.size"), None, "sparse");
    set(&mut w, Step::BootVolume, "boot.parent", "data/zones/web");
    let e = error(&w, Step::BootVolume, "boot.volname").unwrap();
    assert!(e.contains("data/zones/web/root already exists"), "{e}");
}

#[test]
fn an_existing_volume_in_use_needs_force() {
    let (root, inv) = host();
    let mut w = new_wizard(&inv, &root);
    set(&mut w, Step::Basics, "name", "vm1");
    pick(&mut w, Step::BootVolume, "boot.kind", "existing");
    let f = w.form(Step::BootVolume);
    assert!(f.get("boot.pool").unwrap().hidden);
    let Widget::Choice(c) = &f.get("boot.existing").unwrap().widget else {
        panic!()
    };
    let used = c
        .options
        .iter()
        .find(|o| o.value == "data/zones/web/root")
        .unwrap();
    assert!(used.note.contains("used by web"), "{}", used.note);
    pick(
        &mut w,
        Step::BootVolume,
        "boot.existing",
        "data/zones/web/root",
    );
    let e = error(&w, Step::BootVolume, "boot.existing").unwrap();
    assert!(e.contains("used by web") && e.contains("Force"), "{e}");
    flip(&mut w, Step::BootVolume, "boot.force");
    assert_eq!(error(&w, Step::BootVolume, "boot.existing"), None);
    assert_eq!(
        w.spec().boot_volume,
        Some(Volume::Existing {
            dataset: "data/zones/web/root".into(),
            force: true
        })
    );
    pick(&mut w, Step::BootVolume, "boot.existing", "data/vols/spare");
    flip(&mut w, Step::BootVolume, "boot.force");
    assert_eq!(error(&w, Step::BootVolume, "boot.existing"), None);
}

#[test]
fn a_template_is_cloned_into_its_own_pool_and_none_means_no_boot_disk() {
    let (root, inv) = host();
    let mut w = new_wizard(&inv, &root);
    set(&mut w, Step::Basics, "name", "vm1");
    pick(&mut w, Step::BootVolume, "boot.kind", "template");
    assert_eq!(
        w.spec().boot_volume,
        Some(Volume::Template {
            snapshot: "rpool/templates/deb@base".into(),
            dataset: "rpool/zones/vm1/root".into()
        }),
        "the parent follows the snapshot's pool"
    );
    let Widget::Choice(method) = &w.form(Step::BootVolume).get("boot.method").unwrap().widget
    else {
        panic!()
    };
    assert_eq!(
        method.options.len(),
        1,
        "only clone until the spec has a copy"
    );
    set(&mut w, Step::BootVolume, "boot.parent", "data/zones/vm1");
    let e = error(&w, Step::BootVolume, "boot.parent").unwrap();
    assert!(e.contains("rpool/"), "{e}");
    pick(&mut w, Step::BootVolume, "boot.kind", "none");
    assert_eq!(w.spec().boot_volume, None);
}

#[test]
fn disks_are_added_removed_and_default_beside_the_boot_volume() {
    let (root, inv) = host();
    let mut w = new_wizard(&inv, &root);
    set(&mut w, Step::Basics, "name", "vm1");
    add(&mut w, Step::Disks);
    add(&mut w, Step::Disks);
    add(&mut w, Step::Disks);
    set(&mut w, Step::Disks, "disks.1.size", "5G");
    pick(&mut w, Step::Disks, "disks.2.kind", "existing");
    pick(&mut w, Step::Disks, "disks.2.existing", "data/vols/spare");
    let disks = w.spec().disks;
    assert_eq!(
        disks,
        [
            Volume::New {
                dataset: "data/zones/vm1/disk0".into(),
                size: "10G".into(),
                sparse: false
            },
            Volume::New {
                dataset: "data/zones/vm1/disk1".into(),
                size: "5G".into(),
                sparse: false
            },
            Volume::Existing {
                dataset: "data/vols/spare".into(),
                force: false
            },
        ]
    );
    // Remove the first: the others move up, and an untyped default follows its new place.
    w.form_mut(Step::Disks).focus_key("disks.0.size");
    assert!(matches!(w.action(Action::RemoveItem), Outcome::Say(..)));
    let disks = w.spec().disks;
    assert_eq!(disks.len(), 2);
    assert_eq!(
        disks[0],
        Volume::New {
            dataset: "data/zones/vm1/disk0".into(),
            size: "5G".into(),
            sparse: false
        }
    );
    // The same existing volume twice is refused at the second.
    add(&mut w, Step::Disks);
    pick(&mut w, Step::Disks, "disks.2.kind", "existing");
    pick(&mut w, Step::Disks, "disks.2.existing", "data/vols/spare");
    let e = error(&w, Step::Disks, "disks.2.existing").unwrap();
    assert!(e.contains("already a disk"), "{e}");
}

#[test]
fn nics_over_a_link_or_an_existing_vnic() {
    let (root, inv) = host();
    let mut w = new_wizard(&inv, &root);
    set(&mut w, Step::Basics, "name", "web-2");
    add(&mut w, Step::Network);
    add(&mut w, Step::Network);
    assert_eq!(w.form(Step::Network).text("nics.0.physical"), "web_2_0");
    pick(&mut w, Step::Network, "nics.0.over", "stub0");
    set(&mut w, Step::Network, "nics.0.mac", "02:08:20:0A:0B:0C");
    set(&mut w, Step::Network, "nics.0.vlan", "12");
    set(&mut w, Step::Network, "nics.0.allowed", "192.168.1.10/24");
    set(&mut w, Step::Network, "nics.0.defrouter", "192.168.1.1");
    pick(&mut w, Step::Network, "nics.1.kind", "existing");
    assert!(w.form(Step::Network).get("nics.1.mac").unwrap().hidden);
    assert_eq!(
        w.spec().nics,
        [
            NicSpec {
                physical: "web_2_0".into(),
                global_nic: Some("stub0".into()),
                mac: Some("02:08:20:0A:0B:0C".into()),
                vlan: Some(12),
                allowed_address: Some("192.168.1.10/24".into()),
                defrouter: Some("192.168.1.1".into()),
            },
            NicSpec {
                physical: "vnic7".into(),
                ..NicSpec::default()
            }
        ]
    );
    for (key, bad) in [
        ("nics.0.mac", "2:8:20:a:b"),
        ("nics.0.vlan", "5000"),
        ("nics.0.allowed", "300.1.1.1/24"),
        ("nics.0.physical", "vnic7"),
    ] {
        set(&mut w, Step::Network, key, bad);
        assert!(error(&w, Step::Network, key).is_some(), "{key}={bad}");
    }
}

#[test]
fn cdroms_from_the_iso_dataset_or_a_typed_path() {
    let (root, inv) = host();
    let mut w = new_wizard(&inv, &root);
    assert_eq!(
        w.facts.isos,
        ["/data/iso/debian.iso", "/data/iso/omnios.iso"],
        "only .iso files"
    );
    add(&mut w, Step::Cdroms);
    add(&mut w, Step::Cdroms);
    pick(&mut w, Step::Cdroms, "cdroms.1.iso", steps::OTHER_PATH);
    assert!(!w.form(Step::Cdroms).get("cdroms.1.path").unwrap().hidden);
    set(
        &mut w,
        Step::Cdroms,
        "cdroms.1.path",
        "/data/iso/missing.iso",
    );
    let e = error(&w, Step::Cdroms, "cdroms.1.path").unwrap();
    assert!(e.contains("no file"), "{e}");
    set(
        &mut w,
        Step::Cdroms,
        "cdroms.1.path",
        "/data/iso/omnios.iso",
    );
    assert_eq!(error(&w, Step::Cdroms, "cdroms.1.path"), None);
    assert_eq!(
        w.spec().cdroms,
        ["/data/iso/debian.iso", "/data/iso/omnios.iso"]
    );
}

#[test]
fn cloud_init_settings_and_a_key_read_from_a_file_when_the_field_is_left() {
    let (root, inv) = host();
    let mut w = new_wizard(&inv, &root);
    assert_eq!(w.spec().cloud_init, None, "off adds nothing");
    pick(&mut w, Step::CloudInit, "ci.enabled", "on");
    set(&mut w, Step::CloudInit, "ci.dns_domain", "example.com");
    set(&mut w, Step::CloudInit, "ci.password", "s3cret");
    set(&mut w, Step::CloudInit, "ci.resolvers", "1.1.1.1 9.9.9.9");
    assert!(error(&w, Step::CloudInit, "ci.resolvers").is_some());
    set(&mut w, Step::CloudInit, "ci.resolvers", "1.1.1.1,9.9.9.9");
    let key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl op@laptop";
    let file = root.path().join("id_ed25519.pub");
    std::fs::write(&file, format!("{key}\n")).unwrap();
    w.step = Step::CloudInit;
    w.form_mut(Step::CloudInit).focus_key("ci.sshkey");
    set(&mut w, Step::CloudInit, "ci.sshkey", file.to_str().unwrap());
    assert!(
        error(&w, Step::CloudInit, "ci.sshkey").is_some(),
        "not yet read"
    );
    let said = w.action(Action::NextField);
    assert!(matches!(said, Outcome::Say(Level::Info, ref m) if m.contains("read the SSH key")));
    assert_eq!(error(&w, Step::CloudInit, "ci.sshkey"), None);
    assert_eq!(
        w.spec().cloud_init,
        Some(CloudInit {
            enabled: "on".into(),
            dns_domain: Some("example.com".into()),
            password: Some("s3cret".into()),
            resolvers: Some("1.1.1.1,9.9.9.9".into()),
            sshkey: Some(key.into()),
        })
    );
    // The review never shows the password.
    w.step = Step::Review;
    w.build_review();
    let review = w.review.clone().unwrap();
    let all = review.spec.join("\n") + &review.commands.join("\n");
    assert!(!all.contains("s3cret"), "{all}");
    assert!(all.contains(crate::ops::REDACTED));
}

#[test]
fn caps_on_the_options_step() {
    let (root, inv) = host();
    let mut w = new_wizard(&inv, &root);
    set(&mut w, Step::Options, "caps.physical", "4G");
    set(&mut w, Step::Options, "caps.cpu", "1.5");
    set(&mut w, Step::Options, "caps.lwps", "2000");
    let caps = w.spec().caps;
    assert_eq!(caps.physical_memory.as_deref(), Some("4G"));
    assert_eq!(caps.cpu.as_deref(), Some("1.5"));
    assert_eq!(caps.max_lwps, Some(2000));
    assert_eq!(caps.swap, None);
    set(&mut w, Step::Options, "caps.lwps", "50");
    assert!(
        error(&w, Step::Options, "caps.lwps")
            .unwrap()
            .contains("100")
    );
    set(&mut w, Step::Options, "caps.cpu", "lots");
    assert!(error(&w, Step::Options, "caps.cpu").is_some());
    flip(&mut w, Step::Options, "autoboot");
    flip(&mut w, Step::Options, "start");
    let spec = w.spec();
    assert!(spec.autoboot && spec.start_after_create);
}

#[test]
fn a_native_zone_skips_the_bhyve_steps() {
    let (root, inv) = host();
    let mut w = new_wizard(&inv, &root);
    pick(&mut w, Step::Basics, "brand", "sparse");
    set(&mut w, Step::Basics, "name", "ns1");
    assert_eq!(
        w.steps(),
        [
            Step::Basics,
            Step::Resources,
            Step::Network,
            Step::Filesystems,
            Step::Options,
            Step::Review
        ]
    );
    assert!(w.form(Step::Resources).get("ram").unwrap().hidden);
    assert_eq!(w.form(Step::Resources).text("zonepath"), "/zones/ns1");
    set(&mut w, Step::Resources, "zonepath", "/data/zones/ns1");
    add(&mut w, Step::Network);
    set(&mut w, Step::Network, "nics.0.allowed", "10.0.0.5/24");
    add(&mut w, Step::Filesystems);
    set(&mut w, Step::Filesystems, "fs.0.dir", "/export");
    set(&mut w, Step::Filesystems, "fs.0.special", "/data/export");
    set(&mut w, Step::Filesystems, "fs.0.options", "ro,nodevices");
    let spec = w.spec();
    assert_eq!(spec.zonepath.as_deref(), Some("/data/zones/ns1"));
    assert!(spec.attrs.is_empty() && spec.boot_volume.is_none());
    assert_eq!(spec.nics[0].allowed_address.as_deref(), Some("10.0.0.5/24"));
    assert_eq!(
        spec.filesystems,
        [FsSpec {
            dir: "/export".into(),
            special: "/data/export".into(),
            fs_type: "lofs".into(),
            options: vec!["ro".into(), "nodevices".into()],
        }]
    );
    // lx asks for its image.
    pick(&mut w, Step::Basics, "brand", "lx");
    assert!(error(&w, Step::Resources, "image").is_some());
    std::fs::write(root.path().join("data/ubuntu.tar.gz"), b"").unwrap();
    set(&mut w, Step::Resources, "image", "/data/ubuntu.tar.gz");
    assert_eq!(error(&w, Step::Resources, "image"), None);
    assert_eq!(w.spec().image.as_deref(), Some("/data/ubuntu.tar.gz"));
}

#[test]
fn enter_stays_on_a_step_with_a_wrong_field_and_says_why() {
    let (root, inv) = host();
    let mut w = new_wizard(&inv, &root);
    assert!(
        w.form(Step::Basics)
            .shown_error(w.form(Step::Basics).get("name").unwrap())
            .is_none(),
        "an empty name is not called wrong before an attempt"
    );
    let said = w.action(Action::Submit);
    assert!(
        matches!(&said, Outcome::Say(Level::Warning, m) if m.starts_with("Zone name: ")),
        "{said:?}"
    );
    assert_eq!(w.step, Step::Basics);
    assert_eq!(w.current().focused_key(), Some("name"));
    set(&mut w, Step::Basics, "name", "vm1");
    assert_eq!(w.action(Action::Submit), Outcome::Done);
    assert_eq!(w.step, Step::Resources);
    // Esc goes back; on the first step, a changed form asks first.
    assert_eq!(w.action(Action::Back), Outcome::Done);
    assert_eq!(w.action(Action::Back), Outcome::Done);
    assert!(matches!(w.overlay, Some(Overlay::Discard(false))));
    assert_eq!(w.action(Action::Confirm), Outcome::Done, "Keep editing");
    assert!(w.overlay.is_none());
    w.action(Action::Back);
    w.action(Action::NextField);
    assert!(matches!(w.action(Action::Confirm), Outcome::Close(Some(_))));
    // An untouched form closes at once.
    let mut fresh = new_wizard(&inv, &root);
    assert_eq!(fresh.action(Action::Back), Outcome::Close(None));
}

#[test]
fn the_review_queues_the_create_and_the_boot_after_it() {
    let (root, inv) = host();
    let mut w = new_wizard(&inv, &root);
    set(&mut w, Step::Basics, "name", "vm1");
    flip(&mut w, Step::Options, "start");
    let steps = w.steps();
    for _ in 1..steps.len() {
        assert_eq!(w.action(Action::Submit), Outcome::Done, "{:?}", w.step);
    }
    assert_eq!(w.step, Step::Review);
    let review = w.review.clone().unwrap();
    assert_eq!(review.problems, Vec::<String>::new());
    assert!(
        review
            .commands
            .iter()
            .any(|c| c.starts_with("zfs create") && c.ends_with("-V 20G data/zones/vm1/root"))
    );
    assert!(
        review
            .commands
            .iter()
            .any(|c| c == "zoneadm -z vm1 install")
    );
    let Outcome::Submit { what, tasks } = w.action(Action::Submit) else {
        panic!("not submitted")
    };
    assert_eq!(what, "create vm1");
    assert_eq!(tasks.len(), 2);
    assert_eq!(tasks[1].plan.operation, "boot");
    assert_eq!(
        tasks[1].after,
        [crate::exec::engine::Dependency::Earlier(0)]
    );
}

#[test]
fn the_review_lists_problems_the_host_has_now() {
    let (root, inv) = host();
    let mut w = new_wizard(&inv, &root);
    set(&mut w, Step::Basics, "name", "vm1");
    w.step = Step::Review;
    // Meanwhile another console made a zone of that name.
    let mut later = (*inv).clone();
    later.zones.push(zone_of(
        &ZoneSpec {
            name: "vm1".into(),
            brand: "ipkg".into(),
            ..ZoneSpec::default()
        },
        ZoneState::Configured,
    ));
    w.set_inventory(Arc::new(later));
    let said = w.action(Action::Submit);
    assert!(matches!(said, Outcome::Say(Level::Error, _)), "{said:?}");
    let problems = &w.review.as_ref().unwrap().problems;
    assert!(
        problems.iter().any(|p| p.starts_with("name:")),
        "{problems:?}"
    );
}

#[test]
fn save_writes_the_spec_without_the_password() {
    let (root, inv) = host();
    let mut w = new_wizard(&inv, &root);
    set(&mut w, Step::Basics, "name", "vm1");
    pick(&mut w, Step::CloudInit, "ci.enabled", "on");
    set(&mut w, Step::CloudInit, "ci.password", "s3cret");
    w.step = Step::Review;
    assert_eq!(w.action(Action::Save), Outcome::Done);
    let Some(Overlay::Save(input)) = &w.overlay else {
        panic!("no save prompt")
    };
    assert_eq!(input.text(), "./vm1.json");
    let path = root.path().join("vm1.json");
    w.overlay = Some(Overlay::Save(crate::ui::form::TextInput::new(
        path.to_str().unwrap(),
    )));
    let said = w.action(Action::Accept);
    assert!(matches!(said, Outcome::Say(Level::Info, ref m) if m.contains("without the password")));
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(!text.contains("s3cret"));
    let saved: ZoneSpec = serde_json::from_str(&text).unwrap();
    let mut expect = w.spec();
    expect.cloud_init.as_mut().unwrap().password = None;
    assert_eq!(saved, expect);
    // And it reads back into the wizard as the same spec.
    let again = Wizard::create(Some(saved.clone()), inv.clone(), PathBuf::from(root.path()));
    assert_eq!(again.spec(), saved);
}

#[test]
fn edit_fills_the_forms_from_the_zone_and_gives_its_spec_back() {
    let (root, inv) = host();
    let mut spec = web_spec();
    spec.attrs.insert("ram".into(), "4G".into());
    spec.attrs.insert("acpi".into(), "on".into()); // a default, said explicitly
    spec.attrs.insert("bootorder".into(), "cd,path0".into()); // not a wizard field
    spec.disks = vec![Volume::Existing {
        dataset: "data/vols/spare".into(),
        force: false,
    }];
    spec.cdroms = vec!["/data/iso/omnios.iso".into(), "/elsewhere/x.iso".into()];
    spec.cloud_init = Some(CloudInit {
        enabled: "on".into(),
        password: Some("hunter2".into()),
        sshkey: Some("/root/keys".into()),
        ..CloudInit::default()
    });
    spec.autoboot = true;
    spec.caps.physical_memory = Some("4G".into());
    let zone = zone_of(&spec, ZoneState::Running);
    let w = Wizard::edit(&zone, inv.clone(), root.path().to_path_buf()).unwrap();
    assert_eq!(w.step, Step::Resources);
    let basics = w.form(Step::Basics);
    assert!(
        basics.fields.iter().all(|f| !f.focusable()),
        "name and brand are fixed"
    );
    assert!(!w.changed());
    // The password is not shown, nor put in the spec: modify leaves it as it is.
    assert_eq!(
        w.spec(),
        ZoneSpec::from_config(&zone.config.clone().unwrap())
    );
    assert_eq!(w.form(Step::CloudInit).text("ci.password"), "");
    assert!(!w.form(Step::Review).get("live_caps").unwrap().hidden);
    assert_eq!(
        w.form(Step::Network).choice("nics.0.over"),
        "igb0",
        "a NIC made at boot over igb0"
    );
    // Its own boot volume is not "used by another zone".
    assert_eq!(error(&w, Step::BootVolume, "boot.existing"), None);
}

#[test]
fn typing_keys_reach_the_focused_field() {
    let (root, inv) = host();
    let mut w = new_wizard(&inv, &root);
    w.form_mut(Step::Basics).focus_key("name");
    for c in "db-01".chars() {
        w.edit_key(&KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }
    assert_eq!(w.name(), "db-01");
    assert!(w.typing());
    w.form_mut(Step::Basics).focus_key("brand");
    assert!(!w.typing());
    assert_eq!(w.action(Action::ChoiceNext), Outcome::Done);
    assert_eq!(w.brand(), "ipkg");
    assert_eq!(w.action(Action::Up), Outcome::Done, "Up picks on a choice");
    assert_eq!(w.brand(), "bhyve");
}

#[test]
fn an_edit_reviews_the_changes_of_a_running_zone_and_queues_a_modify() {
    let (root, inv) = host();
    let mut spec = web_spec();
    spec.attrs.insert("ram".into(), "2G".into());
    let zone = zone_of(&spec, ZoneState::Running);
    let mut running = (*inv).clone();
    running.zones = vec![zone.clone()];
    let inv = Arc::new(running);
    let mut w = Wizard::edit(&zone, inv.clone(), root.path().to_path_buf()).unwrap();
    assert!(
        w.form(Step::Resources).get("zonepath").unwrap().read_only,
        "an installed zone keeps its zonepath"
    );
    // Nothing changed: the review says so and queues nothing.
    w.step = Step::Review;
    w.build_review();
    let review = w.review.clone().unwrap();
    assert!(
        review.problems[0].contains("nothing to change"),
        "{review:?}"
    );
    assert!(matches!(
        w.action(Action::Submit),
        Outcome::Say(Level::Error, _)
    ));
    set(&mut w, Step::Resources, "ram", "4G");
    set(&mut w, Step::Options, "caps.physical", "3G");
    w.build_review();
    let review = w.review.clone().unwrap();
    assert_eq!(review.problems, Vec::<String>::new());
    assert!(
        review
            .changes
            .iter()
            .any(|(t, at_boot)| t.contains("ram") && *at_boot),
        "{:?}",
        review.changes
    );
    assert!(!review.commands.iter().any(|c| c.starts_with("rcapadm")));
    // Apply caps now: the cap reaches the running zone too, and the review follows.
    w.form_mut(Step::Review).focus_key("live_caps");
    assert_eq!(w.action(Action::Toggle), Outcome::Done);
    let review = w.review.clone().unwrap();
    assert!(
        review.commands.iter().any(|c| c.starts_with("rcapadm")),
        "{:?}",
        review.commands
    );
    let caps_now = review
        .changes
        .iter()
        .find(|(t, _)| t.contains("physical") || t.contains("memory"))
        .unwrap();
    assert!(!caps_now.1, "a cap applied now does not wait for a boot");
    w.form_mut(Step::Review).focus_key("review.submit");
    let Outcome::Submit { what, tasks } = w.action(Action::Submit) else {
        panic!("not submitted")
    };
    assert_eq!(what, "modify web");
    assert_eq!(tasks.len(), 1);
    assert_eq!(tasks[0].plan.operation, "modify");
}

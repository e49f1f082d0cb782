//! The wizard's forms against a made-up host: each step's fields mapped to the spec, the
//! derived defaults, the checks as typed, Enter and Esc.

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

pub(super) fn flip(w: &mut Wizard, step: Step, key: &str) {
    let on = w.form(step).toggle(key);
    w.form_mut(step).set_toggle(key, !on);
    w.refresh();
}

pub(super) fn error(w: &Wizard, step: Step, key: &str) -> Option<String> {
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
            dataset: "rpool/zones/vm1/root".into(),
            copy: false,
        }),
        "the parent follows the snapshot's pool"
    );
    assert!(w.form(Step::BootVolume).get("boot.pool").unwrap().hidden);
    set(&mut w, Step::BootVolume, "boot.parent", "data/zones/vm1");
    let e = error(&w, Step::BootVolume, "boot.parent").unwrap();
    assert!(e.contains("rpool/"), "{e}");
    // A copy may go to any pool: the pool is offered again and the parent is accepted.
    pick(&mut w, Step::BootVolume, "boot.method", "copy");
    assert!(!w.form(Step::BootVolume).get("boot.pool").unwrap().hidden);
    assert_eq!(error(&w, Step::BootVolume, "boot.parent"), None);
    assert_eq!(
        w.spec().boot_volume,
        Some(Volume::Template {
            snapshot: "rpool/templates/deb@base".into(),
            dataset: "data/zones/vm1/root".into(),
            copy: true,
        }),
    );
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

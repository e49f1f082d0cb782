use crate::sim::init::init;
use crate::sim::net::NetStore;
use crate::sim::{SimHost, run, zones};
use crate::sys::zoneadm::ZoneState;
use crate::sys::zonecfg::{IpType, Net, ZoneConfig};
use crate::sys::zoneindex::{IndexEntry, IndexState};

const USAGE_START: &str = "Usage: bhyvectl --vm=<vmname>\n       [--cpu=<vcpu_number>]\n";

fn host_with(fail: Option<&str>) -> (tempfile::TempDir, SimHost) {
    let dir = tempfile::tempdir().unwrap();
    let host = init(&dir.path().join("h"), &Default::default())
        .unwrap()
        .with_speed(0.0)
        .with_fail(fail);
    {
        let mut net = NetStore::load(&host).unwrap();
        net.add_phys("igb0", 1000, "0:25:90:a1:b2:10").unwrap();
        net.create_vnic("vm_1", "igb0", None, None).unwrap();
        net.save(&host).unwrap();
    }
    (dir, host)
}

/// Configure, install and boot a zone: "vm" (bhyve) gets a boot-time VNIC over igb0 and the
/// persistent VNIC vm_1.
fn boot_zone(host: &SimHost, name: &str, brand: &str, nets: Vec<Net>) {
    let mut cfg = ZoneConfig::blank(name);
    cfg.zonepath = format!("/zones/{name}");
    cfg.brand = brand.into();
    cfg.ip_type = IpType::Exclusive;
    cfg.nets = nets;
    zones::save_config(host, &cfg).unwrap();
    let mut index = zones::load_index(host).unwrap();
    index.entries.push(IndexEntry {
        name: name.into(),
        state: IndexState::Configured,
        zonepath: cfg.zonepath.clone(),
        uuid: String::new(),
    });
    zones::save_index(host, &index).unwrap();
    assert_eq!(run(host, "zoneadm", &["-z", name, "install"]).code, 0);
    let out = run(host, "zoneadm", &["-z", name, "boot"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
}

fn boot_vm(host: &SimHost) {
    let nets = vec![
        Net {
            physical: Some("vm_0".into()),
            global_nic: Some("igb0".into()),
            ..Default::default()
        },
        Net {
            physical: Some("vm_1".into()),
            ..Default::default()
        },
    ];
    boot_zone(host, "vm", "bhyve", nets);
}

fn state(host: &SimHost, name: &str) -> ZoneState {
    zones::current_state(host, name).unwrap().unwrap()
}

/// (zone id, boot count) of an active zone.
fn active(host: &SimHost, name: &str) -> (u64, u64) {
    let runtime = zones::load_runtime(host).unwrap();
    let a = &runtime.zones[name];
    (a.id, a.boot_count)
}

fn vm_open_error(name: &str) -> String {
    format!("vm_open: {name} could not be opened: No such file or directory\n")
}

#[test]
fn poweroff_halts_the_zone_and_unplumbs_its_links() {
    let (_d, host) = host_with(None);
    boot_vm(&host);
    assert_eq!(
        NetStore::load(&host).unwrap().vnic_zone("vm_1").as_deref(),
        Some("vm")
    );
    let out = run(&host, "bhyvectl", &["--vm=vm", "--force-poweroff"]);
    assert_eq!(
        (out.code, out.stdout.as_str(), out.stderr.as_str()),
        (0, "", "")
    );
    assert_eq!(state(&host, "vm"), ZoneState::Installed);
    let net = NetStore::load(&host).unwrap();
    assert!(
        !net.link_exists("vm_0"),
        "the boot-time VNIC goes with the zone"
    );
    assert!(
        net.link_exists("vm_1") && net.vnic_zone("vm_1").is_none(),
        "a persistent VNIC stays, freed"
    );

    // The VM is gone with the zone; the zone boots again as usual.
    let again = run(&host, "bhyvectl", &["--vm", "vm", "--force-poweroff"]);
    assert_eq!((again.code, again.stderr), (1, vm_open_error("vm")));
    assert_eq!(run(&host, "zoneadm", &["-z", "vm", "boot"]).code, 0);
    assert_eq!(active(&host, "vm").1, 2);
}

#[test]
fn poweroff_ends_a_graceful_shutdown_under_way() {
    let (_d, host) = host_with(None);
    boot_vm(&host);
    // What `zoneadm shutdown` leaves while the guest takes its time.
    crate::sim::cmd::zoneadm::lifecycle::set_state(&host, "vm", ZoneState::ShuttingDown).unwrap();
    assert_eq!(
        run(&host, "bhyvectl", &["--vm=vm", "--force-poweroff"]).code,
        0
    );
    assert_eq!(state(&host, "vm"), ZoneState::Installed);
}

#[test]
fn only_a_running_bhyve_zone_has_a_vm() {
    let (_d, host) = host_with(None);
    boot_vm(&host);
    boot_zone(&host, "db", "lipkg", Vec::new());
    assert_eq!(run(&host, "zoneadm", &["-z", "vm", "halt"]).code, 0);
    assert_eq!(run(&host, "zoneadm", &["-z", "vm", "ready"]).code, 0);
    // A ready zone has not started its init (bhyve) yet; a native zone never has a VM.
    for name in ["vm", "db", "nosuch"] {
        let out = run(
            &host,
            "bhyvectl",
            &[&format!("--vm={name}"), "--force-reset"],
        );
        assert_eq!(
            (out.code, out.stdout.as_str(), out.stderr),
            (1, "", vm_open_error(name)),
            "{name}"
        );
    }
    assert_eq!(state(&host, "vm"), ZoneState::Ready);
    assert_eq!(state(&host, "db"), ZoneState::Running);
}

#[test]
fn without_a_vm_or_with_a_bad_option_it_prints_its_usage() {
    let (_d, host) = host_with(None);
    let out = run(&host, "bhyvectl", &["--force-poweroff"]);
    assert_eq!((out.code, out.stdout.as_str()), (1, ""));
    assert!(out.stderr.starts_with(USAGE_START), "{}", out.stderr);
    assert!(out.stderr.contains("       [--force-poweroff]\n"));
    assert!(
        out.stderr
            .ends_with("       [--get-vmcs-interruptibility]\n")
    );

    let out = run(&host, "bhyvectl", &["--vm=vm", "--force"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.starts_with(&format!(
            "bhyvectl: ambiguous option -- force\n{USAGE_START}"
        )),
        "{}",
        out.stderr
    );
}

#[test]
fn an_injected_failure_changes_nothing() {
    let (_d, host) = host_with(Some("bhyvectl --force-poweroff"));
    boot_vm(&host);
    let before = active(&host, "vm");
    let out = run(&host, "bhyvectl", &["--vm=vm", "--force-poweroff"]);
    assert_eq!(
        (out.code, out.stdout.as_str(), out.stderr.as_str()),
        (255, "errno = 149\n", "")
    );
    assert_eq!(state(&host, "vm"), ZoneState::Running);
    assert_eq!(active(&host, "vm"), before);
    let net = NetStore::load(&host).unwrap();
    assert_eq!(net.vnic_zone("vm_0").as_deref(), Some("vm"));
    // Only the first matching invocation fails.
    assert_eq!(
        run(&host, "bhyvectl", &["--vm=vm", "--force-poweroff"]).code,
        0
    );
    assert_eq!(state(&host, "vm"), ZoneState::Installed);
}

#[test]
fn reset_boots_the_zone_again() {
    let (_d, host) = host_with(None);
    boot_vm(&host);
    let (id, boots) = active(&host, "vm");
    let out = run(&host, "bhyvectl", &["--vm=vm", "--force-reset"]);
    assert_eq!(
        (out.code, out.stdout.as_str(), out.stderr.as_str()),
        (0, "", "")
    );
    assert_eq!(state(&host, "vm"), ZoneState::Running);
    let (new_id, new_boots) = active(&host, "vm");
    assert_eq!(new_boots, boots + 1, "a fresh boot for the console to show");
    assert_ne!(new_id, id, "zoneadmd booted the zone anew");
    let net = NetStore::load(&host).unwrap();
    assert_eq!(net.vnic_zone("vm_0").as_deref(), Some("vm"));
    assert_eq!(net.vnic_zone("vm_1").as_deref(), Some("vm"));

    // Reset and poweroff together: the reset's suspend wins, the poweroff's is refused.
    let out = run(
        &host,
        "bhyvectl",
        &["--vm=vm", "--force-poweroff", "--force-reset"],
    );
    assert_eq!((out.code, out.stdout.as_str()), (255, "errno = 149\n"));
    assert_eq!(state(&host, "vm"), ZoneState::Running);
    assert_eq!(active(&host, "vm").1, boots + 2);
}

#[test]
fn an_nmi_changes_no_state() {
    let (_d, host) = host_with(None);
    boot_vm(&host);
    let before = active(&host, "vm");
    let out = run(&host, "bhyvectl", &["--vm=vm", "--inject-nmi"]);
    assert_eq!(
        (out.code, out.stdout.as_str(), out.stderr.as_str()),
        (0, "", "")
    );
    assert_eq!(state(&host, "vm"), ZoneState::Running);
    assert_eq!(active(&host, "vm"), before);
}

use crate::sim::init::init;
use crate::sim::{SimHost, run, zones};
use crate::sys::zoneadm::{ZoneState, parse_list};
use crate::sys::zonecfg::{IpType, ZoneConfig};
use crate::sys::zoneindex::{IndexEntry, IndexState};

fn host() -> (tempfile::TempDir, SimHost) {
    let dir = tempfile::tempdir().unwrap();
    let host = init(&dir.path().join("h"), &Default::default())
        .unwrap()
        .with_speed(0.0);
    (dir, host)
}

/// Configure a zone the way zonecfg would leave it.
fn configure(host: &SimHost, name: &str, brand: &str) {
    let mut cfg = ZoneConfig::blank(name);
    cfg.zonepath = format!("/zones/{name}");
    cfg.brand = brand.into();
    cfg.ip_type = IpType::Exclusive;
    cfg.debugid = Some(7);
    zones::save_config(host, &cfg).unwrap();
    let mut index = zones::load_index(host).unwrap();
    index.entries.push(IndexEntry {
        name: name.into(),
        state: IndexState::Configured,
        zonepath: cfg.zonepath.clone(),
        uuid: String::new(),
    });
    zones::save_index(host, &index).unwrap();
}

fn state(host: &SimHost, name: &str) -> ZoneState {
    zones::current_state(host, name).unwrap().unwrap()
}

#[test]
fn install_boot_halt_uninstall_walks_the_states() {
    let (_d, host) = host();
    configure(&host, "web01", "bhyve");
    assert_eq!(state(&host, "web01"), ZoneState::Configured);

    let out = run(&host, "zoneadm", &["-z", "web01", "install"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(state(&host, "web01"), ZoneState::Installed);
    let uuid = zones::load_index(&host)
        .unwrap()
        .get("web01")
        .unwrap()
        .uuid
        .clone();
    assert_eq!(uuid.len(), 36);

    assert_eq!(run(&host, "zoneadm", &["-z", "web01", "boot"]).code, 0);
    assert_eq!(state(&host, "web01"), ZoneState::Running);
    let listed = parse_list(&run(&host, "zoneadm", &["list", "-cp"]).stdout).unwrap();
    let web = listed.iter().find(|e| e.name == "web01").unwrap();
    assert_eq!(web.id, Some(1));
    assert_eq!(
        (web.brand.as_str(), web.ip_type, web.debugid),
        ("bhyve", IpType::Exclusive, Some(7))
    );
    assert_eq!(web.uuid, uuid);

    assert_eq!(run(&host, "zoneadm", &["-z", "web01", "halt"]).code, 0);
    assert_eq!(state(&host, "web01"), ZoneState::Installed);
    assert_eq!(run(&host, "zoneadm", &["-z", "web01", "boot"]).code, 0);
    assert_eq!(run(&host, "zoneadm", &["-z", "web01", "reboot"]).code, 0);
    let runtime = zones::load_runtime(&host).unwrap();
    assert_eq!(
        runtime.zones["web01"].boot_count, 3,
        "boots count across halts and reboots"
    );
    assert_eq!(
        runtime.zones["web01"].id, 3,
        "every boot gets a new zone id"
    );
    assert_eq!(run(&host, "zoneadm", &["-z", "web01", "shutdown"]).code, 0);
    assert_eq!(state(&host, "web01"), ZoneState::Installed);
    assert_eq!(
        run(&host, "zoneadm", &["-z", "web01", "uninstall", "-F"]).code,
        0
    );
    assert_eq!(state(&host, "web01"), ZoneState::Configured);
    assert_eq!(
        zones::load_index(&host).unwrap().get("web01").unwrap().uuid,
        ""
    );
}

#[test]
fn state_rules_give_the_real_messages() {
    let (_d, host) = host();
    configure(&host, "db", "lipkg");
    let boot = run(&host, "zoneadm", &["-z", "db", "boot"]);
    assert_eq!(
        (boot.code, boot.stderr.as_str()),
        (1, "zoneadm: zone 'db': must be installed before boot.\n")
    );
    let halt = run(&host, "zoneadm", &["-z", "db", "shutdown"]);
    assert_eq!(halt.stderr, "zoneadm: zone 'db': not running\n");
    let un = run(&host, "zoneadm", &["-z", "db", "uninstall", "-F"]);
    assert_eq!(
        un.stderr,
        "zoneadm: zone 'db': is already in state 'configured'.\n"
    );

    assert_eq!(run(&host, "zoneadm", &["-z", "db", "install"]).code, 0);
    let again = run(&host, "zoneadm", &["-z", "db", "install"]);
    assert_eq!(again.stderr, "zoneadm: zone 'db': is already installed.\n");
    assert_eq!(run(&host, "zoneadm", &["-z", "db", "boot"]).code, 0);
    let twice = run(&host, "zoneadm", &["-z", "db", "boot"]);
    assert_eq!(
        twice.stderr,
        "zoneadm: zone 'db': boot operation is invalid for running zones.\n"
    );
    let uninstall = run(&host, "zoneadm", &["-z", "db", "uninstall", "-F"]);
    assert_eq!(
        uninstall.stderr,
        "zoneadm: zone 'db': uninstall operation is invalid for running zones.\n"
    );
    assert_eq!(run(&host, "zoneadm", &["-z", "db", "halt"]).code, 0);
    let halted = run(&host, "zoneadm", &["-z", "db", "halt"]);
    assert_eq!(
        (halted.code, halted.stderr.as_str()),
        (0, "zoneadm: zone 'db': zone is already halted\n")
    );

    let missing = run(&host, "zoneadm", &["-z", "nope", "boot"]);
    assert_eq!(
        (missing.code, missing.stderr.as_str()),
        (1, "zoneadm: nope: No such zone configured\n")
    );
    assert_eq!(run(&host, "zoneadm", &["-z", "db", "frobnicate"]).code, 2);
    assert!(
        run(&host, "zoneadm", &[])
            .stderr
            .starts_with("usage:\tzoneadm help\n")
    );
}

#[test]
fn incomplete_zones_need_uninstall_and_mark_sets_it() {
    let (_d, host) = host();
    configure(&host, "z", "sparse");
    assert_eq!(run(&host, "zoneadm", &["-z", "z", "install"]).code, 0);
    assert_eq!(
        run(&host, "zoneadm", &["-z", "z", "mark", "incomplete"]).code,
        0
    );
    assert_eq!(state(&host, "z"), ZoneState::Incomplete);
    let boot = run(&host, "zoneadm", &["-z", "z", "boot"]);
    assert_eq!(
        boot.stderr,
        "zoneadm: zone 'z': must be installed before boot.\n"
    );
    let install = run(&host, "zoneadm", &["-z", "z", "install"]);
    assert_eq!(
        install.stderr,
        "zoneadm: zone 'z': zone is incomplete; uninstall required.\n"
    );
    assert_eq!(
        run(&host, "zoneadm", &["-z", "z", "uninstall", "-F"]).code,
        0
    );
    assert_eq!(state(&host, "z"), ZoneState::Configured);
}

#[test]
fn listing_puts_running_zones_first_and_filters_by_state() {
    let (_d, host) = host();
    for (name, brand) in [("a", "ipkg"), ("b", "bhyve"), ("c", "lx")] {
        configure(&host, name, brand);
    }
    run(&host, "zoneadm", &["-z", "b", "install"]);
    run(&host, "zoneadm", &["-z", "a", "install"]);
    run(&host, "zoneadm", &["-z", "b", "boot"]);
    let names = |args: &[&str]| -> Vec<String> {
        run(&host, "zoneadm", args)
            .stdout
            .lines()
            .map(str::to_string)
            .collect()
    };
    assert_eq!(names(&["list"]), ["global", "b"]);
    assert_eq!(names(&["list", "-i"]), ["global", "b", "a"]);
    assert_eq!(names(&["list", "-c"]), ["global", "b", "a", "c"]);
    assert_eq!(names(&["-z", "c", "list"]), ["c"]);
    let verbose = run(&host, "zoneadm", &["list", "-cv"]).stdout;
    let lines: Vec<&str> = verbose.lines().collect();
    assert_eq!(
        lines[0],
        "  ID NAME             STATUS     PATH                           BRAND    IP    "
    );
    assert_eq!(
        lines[1],
        "   0 global           running    /                              ipkg     shared"
    );
    assert!(lines[2].starts_with("   1 b                running    /zones/b"));
    assert!(lines[3].starts_with("   - a                installed"));
}

#[test]
fn lx_install_needs_an_image_and_failures_can_be_injected() {
    let (_d, host) = host();
    configure(&host, "lx1", "lx");
    let out = run(&host, "zoneadm", &["-z", "lx1", "install"]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("-s option"));
    assert_eq!(state(&host, "lx1"), ZoneState::Configured);
    let ok = run(
        &host,
        "zoneadm",
        &["-z", "lx1", "install", "-s", "/data/iso/ubuntu.tar.gz"],
    );
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    assert!(ok.stdout.contains("Installation complete."));

    let failing = host.clone().with_fail(Some("zoneadm -z lx1 boot"));
    let out = run(&failing, "zoneadm", &["-z", "lx1", "boot"]);
    assert_eq!(
        (out.code, out.stderr.as_str()),
        (1, "zoneadm: zone 'lx1': call to zoneadmd failed\n")
    );
    assert_eq!(
        state(&host, "lx1"),
        ZoneState::Installed,
        "a failed boot changes nothing"
    );
    assert_eq!(
        run(&failing, "zoneadm", &["-z", "lx1", "boot"]).code,
        0,
        "only the first fails"
    );
}

#[test]
fn clone_copies_an_installed_zone() {
    let (_d, host) = host();
    configure(&host, "tmpl", "lipkg");
    configure(&host, "new", "lipkg");
    configure(&host, "vm", "bhyve");
    let not_installed = run(&host, "zoneadm", &["-z", "new", "clone", "tmpl"]);
    assert_eq!(
        not_installed.stderr,
        "zoneadm: zone tmpl is configured; installed is required.\n"
    );
    run(&host, "zoneadm", &["-z", "tmpl", "install"]);
    let brand = run(&host, "zoneadm", &["-z", "vm", "clone", "tmpl"]);
    assert!(
        brand.stderr.contains("cannot clone to a bhyve zone"),
        "{}",
        brand.stderr
    );
    assert_eq!(
        run(&host, "zoneadm", &["-z", "new", "clone", "tmpl"]).code,
        0
    );
    assert_eq!(state(&host, "new"), ZoneState::Installed);
}

#[test]
fn boot_plumbs_the_zones_links_and_halt_takes_them_back() {
    use crate::sim::net::NetStore;
    let (_d, host) = host();
    {
        let mut net = NetStore::load(&host).unwrap();
        net.add_phys("igb0", 1000, "0:25:90:a1:b2:10").unwrap();
        net.create_vnic("db_0", "igb0", None, None).unwrap();
        net.save(&host).unwrap();
    }
    configure(&host, "vm", "bhyve");
    configure(&host, "db", "lipkg");
    let mut vm = zones::load_config(&host, "vm").unwrap().unwrap();
    vm.nets.push(crate::sys::zonecfg::Net {
        physical: Some("vm_0".into()),
        global_nic: Some("igb0".into()),
        mac_addr: Some("2:8:20:aa:bb:1".into()),
        vlan_id: Some(12),
        ..Default::default()
    });
    zones::save_config(&host, &vm).unwrap();
    let mut db = zones::load_config(&host, "db").unwrap().unwrap();
    db.nets.push(crate::sys::zonecfg::Net {
        physical: Some("db_0".into()),
        ..Default::default()
    });
    zones::save_config(&host, &db).unwrap();
    for z in ["vm", "db"] {
        assert_eq!(run(&host, "zoneadm", &["-z", z, "install"]).code, 0);
        let out = run(&host, "zoneadm", &["-z", z, "boot"]);
        assert_eq!(out.code, 0, "{}", out.stderr);
    }
    let vnics = crate::sys::dladm::parse_show_vnic(
        &run(
            &host,
            "dladm",
            &["show-vnic", "-p", "-o", crate::sys::dladm::VNIC_FIELDS],
        )
        .stdout,
    )
    .unwrap();
    let vm0 = vnics
        .iter()
        .find(|v| v.link == "vm_0")
        .expect("the global-nic VNIC exists");
    assert_eq!(
        (vm0.over.as_str(), vm0.vid, vm0.zone.as_deref()),
        ("igb0", Some(12), Some("vm"))
    );
    assert_eq!(vm0.mac.to_string(), "2:8:20:aa:bb:1");
    assert_eq!(
        vnics
            .iter()
            .find(|v| v.link == "db_0")
            .unwrap()
            .zone
            .as_deref(),
        Some("db")
    );

    assert_eq!(run(&host, "zoneadm", &["-z", "vm", "halt"]).code, 0);
    assert_eq!(run(&host, "zoneadm", &["-z", "db", "halt"]).code, 0);
    let net = NetStore::load(&host).unwrap();
    assert!(
        !net.link_exists("vm_0"),
        "the boot-time VNIC goes with the zone"
    );
    assert!(
        net.link_exists("db_0") && net.vnic_zone("db_0").is_none(),
        "a persistent VNIC stays, freed"
    );

    // A net over a link that does not exist stops the boot and leaves nothing behind.
    let mut bad = zones::load_config(&host, "vm").unwrap().unwrap();
    bad.nets.push(crate::sys::zonecfg::Net {
        physical: Some("vm_1".into()),
        global_nic: Some("igb9".into()),
        ..Default::default()
    });
    zones::save_config(&host, &bad).unwrap();
    let out = run(&host, "zoneadm", &["-z", "vm", "boot"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("failed to create VNIC vm_1 over igb9"),
        "{}",
        out.stderr
    );
    assert_eq!(state(&host, "vm"), ZoneState::Installed);
    assert!(!NetStore::load(&host).unwrap().link_exists("vm_0"));
}

/// A host with a pool and /zones as a ZFS filesystem, like every OmniOS hypervisor.
fn zfs_host() -> (tempfile::TempDir, SimHost) {
    let (d, host) = host();
    let mut zfs = crate::sim::zfs::ZfsStore::load(&host).unwrap();
    zfs.add_pool(&host, "rpool", 100 << 30).unwrap();
    zfs.create_filesystem(&host, "rpool/zones", &[("mountpoint", "/zones")])
        .unwrap();
    zfs.save(&host).unwrap();
    (d, host)
}

fn datasets(host: &SimHost) -> Vec<String> {
    let out = run(
        host,
        "zfs",
        &["list", "-H", "-o", "name", "-t", "all", "-r", "rpool/zones"],
    );
    out.stdout.lines().map(str::to_string).collect()
}

#[test]
fn install_makes_the_zonepath_a_dataset_and_uninstall_destroys_it() {
    let (_d, host) = zfs_host();
    configure(&host, "web", "lipkg");
    let out = run(&host, "zoneadm", &["-z", "web", "install"]);
    assert!(
        out.stdout
            .starts_with("A ZFS file system has been created for this zone.\n"),
        "{}",
        out.stdout
    );
    assert_eq!(
        datasets(&host),
        [
            "rpool/zones",
            "rpool/zones/web",
            "rpool/zones/web/ROOT",
            "rpool/zones/web/ROOT/zbe"
        ]
    );
    assert!(host.host_path("/zones/web/root").is_dir());

    configure(&host, "copy", "lipkg");
    let out = run(&host, "zoneadm", &["-z", "copy", "clone", "web"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("Cloning snapshot rpool/zones/web/ROOT/zbe@SUNWzone1"),
        "{}",
        out.stdout
    );
    let origin = run(
        &host,
        "zfs",
        &[
            "get",
            "-H",
            "-o",
            "value",
            "origin",
            "rpool/zones/copy/ROOT/zbe",
        ],
    );
    assert_eq!(origin.stdout, "rpool/zones/web/ROOT/zbe@SUNWzone1\n");

    // The source's snapshot has a dependent clone: uninstalling the source is refused by ZFS.
    let refused = run(&host, "zoneadm", &["-z", "web", "uninstall", "-F"]);
    assert_eq!(refused.code, 1);
    assert!(
        refused.stderr.contains("dependent clones"),
        "{}",
        refused.stderr
    );
    assert_eq!(
        run(&host, "zoneadm", &["-z", "copy", "uninstall", "-F"]).code,
        0
    );
    assert_eq!(
        run(&host, "zoneadm", &["-z", "web", "uninstall", "-F"]).code,
        0
    );
    assert_eq!(datasets(&host), ["rpool/zones"]);
}

#[test]
fn a_bhyve_zone_boots_only_with_its_disks() {
    let (_d, host) = zfs_host();
    configure(&host, "vm", "bhyve");
    let mut cfg = zones::load_config(&host, "vm").unwrap().unwrap();
    cfg.set_attr("bootdisk", "rpool/zones/vm/root,serial=X1");
    zones::save_config(&host, &cfg).unwrap();
    assert_eq!(run(&host, "zoneadm", &["-z", "vm", "install"]).code, 0);
    assert_eq!(
        datasets(&host),
        ["rpool/zones", "rpool/zones/vm"],
        "bhyve zones get no boot environment"
    );
    let out = run(&host, "zoneadm", &["-z", "vm", "boot"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .contains("bootdisk: could not open disk rpool/zones/vm/root"),
        "{}",
        out.stderr
    );
    assert_eq!(
        run(&host, "zfs", &["create", "-V", "1G", "rpool/zones/vm/root"]).code,
        0
    );
    assert_eq!(run(&host, "zoneadm", &["-z", "vm", "boot"]).code, 0);
    let busy = run(&host, "zfs", &["destroy", "rpool/zones/vm/root"]);
    assert!(
        busy.stderr.contains("dataset is busy"),
        "a running guest holds its disk: {}",
        busy.stderr
    );
}

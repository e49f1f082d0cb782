use crate::sim::net::NetStore;
use crate::sim::{Output, SimHost, run};
use crate::sys::dladm;

fn host() -> (tempfile::TempDir, SimHost) {
    let dir = tempfile::tempdir().unwrap();
    let host = crate::sim::init::init(&dir.path().join("h"), &Default::default())
        .unwrap()
        .with_speed(0.0);
    let mut store = NetStore::load(&host).unwrap();
    store.add_phys("igb0", 1000, "0:1b:21:aa:bb:c0").unwrap();
    store.add_phys("igb1", 10000, "0:1b:21:aa:bb:c1").unwrap();
    store.set_phys_up("igb1", false).unwrap();
    store.save(&host).unwrap();
    (dir, host)
}

fn ok(out: Output) -> String {
    assert_eq!(out.code, 0, "stderr: {}", out.stderr);
    assert_eq!(out.stderr, "");
    out.stdout
}

fn fails(out: Output) -> String {
    assert_eq!(out.code, 1, "stdout: {}", out.stdout);
    out.stderr
}

#[test]
fn create_vnic_round_trips_through_the_sys_parser() {
    let (_d, host) = host();
    ok(run(&host, "dladm", &["create-etherstub", "stub0"]));
    ok(run(
        &host,
        "dladm",
        &["create-vnic", "-l", "stub0", "web01_net0"],
    ));
    ok(run(
        &host,
        "dladm",
        &[
            "create-vnic",
            "-l",
            "igb0",
            "-m",
            "02:08:20:AB:CD:01",
            "-v",
            "12",
            "vlan12a0",
        ],
    ));
    let text = ok(run(
        &host,
        "dladm",
        &dladm::show_vnic()
            .args
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    ));
    let vnics = dladm::parse_show_vnic(&text).unwrap();
    assert_eq!(vnics.len(), 2);
    let store = NetStore::load(&host).unwrap();
    let web = &vnics[0];
    assert_eq!(web.link, "web01_net0");
    assert_eq!(
        web.mac,
        store.link("web01_net0").unwrap().vnic().unwrap().mac
    );
    assert!(web.mac.starts_with("2:8:20:"));
    assert_eq!((web.vid, web.zone.as_deref()), (None, None));
    assert_eq!(vnics[1].mac, "2:8:20:ab:cd:1");
    assert_eq!(vnics[1].mac_type, dladm::MacAddrType::Fixed);
    assert_eq!((vnics[1].vid, vnics[1].speed), (Some(12), 1000));
    assert!(text.contains("2\\:8\\:20\\:ab\\:cd\\:1"), "{text}");

    let links = dladm::parse_show_link(&ok(run(
        &host,
        "dladm",
        &["show-link", "-p", "-o", dladm::LINK_FIELDS],
    )))
    .unwrap();
    let names: Vec<&str> = links.iter().map(|l| l.link.as_str()).collect();
    assert_eq!(names, ["igb0", "igb1", "stub0", "web01_net0", "vlan12a0"]);
    assert_eq!(links[3].mtu, Some(9000));
    assert_eq!(links[3].over, ["stub0"]);
    let stubs =
        dladm::parse_show_etherstub(&ok(run(&host, "dladm", &["show-etherstub", "-p"]))).unwrap();
    assert_eq!(
        stubs,
        [dladm::Etherstub {
            link: "stub0".into()
        }]
    );
    let phys = dladm::parse_show_phys(&ok(run(
        &host,
        "dladm",
        &["show-phys", "-p", "-o", dladm::PHYS_FIELDS],
    )))
    .unwrap();
    assert_eq!((phys[1].speed, phys[1].duplex.as_str()), (0, "unknown"));
}

#[test]
fn human_output_is_aligned_like_dladm() {
    let (_d, host) = host();
    ok(run(&host, "dladm", &["create-etherstub", "stub0"]));
    ok(run(
        &host,
        "dladm",
        &["create-vnic", "-l", "stub0", "-m", "2:8:20:1:2:3", "v0"],
    ));
    assert_eq!(
        ok(run(&host, "dladm", &["show-link"])),
        "LINK        CLASS     MTU    STATE    BRIDGE     OVER\n\
         igb0        phys      1500   up       --         --\n\
         igb1        phys      1500   down     --         --\n\
         stub0       etherstub 9000   unknown  --         --\n\
         v0          vnic      9000   up       --         stub0\n"
    );
    assert_eq!(
        ok(run(&host, "dladm", &["show-vnic"])),
        "LINK         OVER       SPEED MACADDRESS        MACADDRTYPE VID  ZONE\n\
         v0           stub0      0     2:8:20:1:2:3      fixed       0    --\n"
    );
    assert_eq!(
        ok(run(&host, "dladm", &["show-phys"])),
        "LINK         MEDIA                STATE      SPEED  DUPLEX    DEVICE\n\
         igb0         Ethernet             up         1000   full      igb0\n\
         igb1         Ethernet             down       0      unknown   igb1\n"
    );
    assert_eq!(
        ok(run(&host, "dladm", &["show-etherstub"])),
        "LINK\nstub0\n"
    );
    // With one field nothing is escaped.
    assert_eq!(
        ok(run(
            &host,
            "dladm",
            &["show-vnic", "-p", "-o", "macaddress"]
        )),
        "2:8:20:1:2:3\n"
    );
}

#[test]
fn creation_errors_are_dladms() {
    let (_d, host) = host();
    let e = fails(run(
        &host,
        "dladm",
        &["create-vnic", "-l", "igb0", "bad-name"],
    ));
    assert_eq!(e, "dladm: invalid link name 'bad-name'\n");
    let long = "v".repeat(31) + "0";
    let e = fails(run(&host, "dladm", &["create-etherstub", &long]));
    assert_eq!(e, format!("dladm: link name too long '{long}'\n"));
    let e = fails(run(&host, "dladm", &["create-vnic", "-l", "nope0", "v0"]));
    assert_eq!(e, "dladm: invalid link name 'nope0'\n");
    ok(run(&host, "dladm", &["create-vnic", "-l", "igb0", "v0"]));
    let e = fails(run(&host, "dladm", &["create-vnic", "-l", "igb0", "v0"]));
    assert_eq!(
        e,
        "dladm: vnic creation over igb0 failed: object already exists\n"
    );
    let e = fails(run(&host, "dladm", &["create-vnic", "-l", "v0", "v1"]));
    assert_eq!(e, "dladm: vnic creation over v0 failed: invalid argument\n");
    let e = fails(run(
        &host,
        "dladm",
        &["create-vnic", "-l", "igb0", "-v", "4095", "v1"],
    ));
    assert_eq!(e, "dladm: invalid VLAN identifier '4095'\n");
    let e = fails(run(
        &host,
        "dladm",
        &["create-vnic", "-l", "igb0", "-m", "zz:1", "v1"],
    ));
    assert_eq!(e, "dladm: invalid MAC address\n");
    let e = fails(run(
        &host,
        "dladm",
        &["create-vnic", "-l", "igb0", "-m", "1:2:3:4:5:6", "v1"],
    ));
    assert_eq!(
        e,
        "dladm: vnic creation over igb0 failed: invalid MAC address value\n"
    );
    let e = fails(run(
        &host,
        "dladm",
        &["create-vnic", "-l", "igb0", "-m", "fixed", "v1"],
    ));
    assert_eq!(e, "dladm: 'fixed' is not a valid MAC address\n");
    let e = fails(run(&host, "dladm", &["create-vnic", "-l"]));
    assert!(
        e.starts_with("dladm: option '-l' requires a value\nusage:     create-vnic "),
        "{e}"
    );
    let e = fails(run(&host, "dladm", &["create-vnic", "v1"]));
    assert!(
        e.starts_with("usage:  dladm <subcommand> <args> ...\n"),
        "{e}"
    );
    let e = fails(run(&host, "dladm", &["bogus"]));
    assert!(
        e.starts_with("dladm: unknown subcommand 'bogus'\nusage:"),
        "{e}"
    );
}

#[test]
fn busy_links_are_refused() {
    let (_d, host) = host();
    ok(run(&host, "dladm", &["create-etherstub", "stub0"]));
    ok(run(&host, "dladm", &["create-vnic", "-l", "stub0", "v0"]));
    let e = fails(run(&host, "dladm", &["delete-etherstub", "stub0"]));
    assert_eq!(e, "dladm: vnic deletion failed: link busy\n");
    let e = fails(run(&host, "dladm", &["delete-vnic", "stub0"]));
    assert_eq!(e, "dladm: 'stub0' is not a vnic\n");
    let e = fails(run(&host, "dladm", &["delete-etherstub", "v0"]));
    assert_eq!(e, "dladm: 'v0' is not an etherstub\n");
    let e = fails(run(&host, "dladm", &["delete-vnic", "v9"]));
    assert_eq!(e, "dladm: invalid link name 'v9'\n");

    let mut store = NetStore::load(&host).unwrap();
    store.set_vnic_zone("v0", Some("web01")).unwrap();
    store.save(&host).unwrap();
    let shown = ok(run(&host, "dladm", &["show-vnic", "-p", "-o", "link,zone"]));
    assert_eq!(shown, "v0:web01\n");
    let e = fails(run(&host, "dladm", &["delete-vnic", "v0"]));
    assert_eq!(e, "dladm: vnic deletion failed: link busy\n");

    let mut store = NetStore::load(&host).unwrap();
    store.set_vnic_zone("v0", None).unwrap();
    store.create_ip("v0").unwrap();
    store.save(&host).unwrap();
    let e = fails(run(&host, "dladm", &["delete-vnic", "v0"]));
    assert_eq!(e, "dladm: vnic deletion failed: link busy\n");
    ok(run(&host, "ipadm", &["delete-ip", "v0"]));
    ok(run(&host, "dladm", &["delete-vnic", "v0"]));
    ok(run(&host, "dladm", &["delete-etherstub", "stub0"]));
    assert_eq!(ok(run(&host, "dladm", &["show-etherstub"])), "");
}

#[test]
fn show_errors_and_field_checks() {
    let (_d, host) = host();
    let e = fails(run(&host, "dladm", &["show-link", "igb7"]));
    assert_eq!(e, "dladm: link igb7 is not valid: object not found\n");
    let e = fails(run(&host, "dladm", &["show-link", "-p"]));
    assert_eq!(e, "dladm: -p requires -o\n");
    let e = fails(run(&host, "dladm", &["show-vnic", "-p"]));
    assert_eq!(
        e,
        "dladm: output fields must be specified in parsable mode\n"
    );
    let e = fails(run(
        &host,
        "dladm",
        &["show-vnic", "-p", "-o", "link,color"],
    ));
    assert_eq!(e, "dladm: unknown output field: `color'\n");
    let out = run(&host, "dladm", &["show-link", "-o", "link,color"]);
    assert_eq!(out.code, 0);
    assert_eq!(
        out.stderr,
        "dladm: warning: ignoring unknown output field: `color'\n"
    );
    assert_eq!(out.stdout, "LINK\nigb0\nigb1\n");
    let e = fails(run(&host, "dladm", &["show-vnic", "v3"]));
    assert_eq!(e, "dladm: invalid vnic name 'v3': object not found\n");
    let e = fails(run(&host, "dladm", &["show-etherstub", "-l", "igb0"]));
    assert_eq!(e, "dladm: option not supported for this command\n");
}

#[test]
fn injected_faults_change_nothing() {
    let (_d, host) = host();
    let failing = host
        .clone()
        .with_fail(Some("dladm create-vnic; dladm create-etherstub"));
    let e = fails(run(&failing, "dladm", &["create-vnic", "-l", "igb0", "v0"]));
    assert_eq!(
        e,
        "dladm: vnic creation over igb0 failed: try again later\n"
    );
    let e = fails(run(&failing, "dladm", &["create-etherstub", "stub0"]));
    assert_eq!(e, "dladm: etherstub creation failed: try again later\n");
    assert_eq!(ok(run(&host, "dladm", &["show-vnic"])), "");
    assert!(!NetStore::load(&host).unwrap().link_exists("stub0"));
}

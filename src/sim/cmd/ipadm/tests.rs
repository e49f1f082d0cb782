use crate::sim::net::NetStore;
use crate::sim::{Output, SimHost, run};
use crate::sys::ipadm;

fn host() -> (tempfile::TempDir, SimHost) {
    let dir = tempfile::tempdir().unwrap();
    let host = crate::sim::init::init(&dir.path().join("h"), &Default::default())
        .unwrap()
        .with_speed(0.0);
    let mut store = NetStore::load(&host).unwrap();
    store.add_phys("igb0", 1000, "0:1b:21:aa:bb:c0").unwrap();
    store.create_etherstub("stub0").unwrap();
    store
        .create_vnic("v0", "stub0", Some("2:8:20:0:0:1"), None)
        .unwrap();
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

fn argv(cmd: &crate::sys::Command) -> Vec<&str> {
    cmd.args.iter().map(String::as_str).collect()
}

#[test]
fn create_addr_round_trips_through_the_sys_parser() {
    let (_d, host) = host();
    ok(run(&host, "ipadm", &argv(&ipadm::create_ip("igb0"))));
    let cidr = ipadm::parse_cidr("10.0.0.5/24").unwrap();
    ok(run(
        &host,
        "ipadm",
        &argv(&ipadm::create_static_addr("igb0/v4", &cidr)),
    ));
    ok(run(
        &host,
        "ipadm",
        &argv(&ipadm::create_addrconf_addr("igb0/v6")),
    ));
    ok(run(
        &host,
        "ipadm",
        &[
            "create-addr",
            "-T",
            "static",
            "-a",
            "local=2001:db8::5/64",
            "igb0/v6s",
        ],
    ));
    let text = ok(run(&host, "ipadm", &argv(&ipadm::show_addr())));
    assert!(text.contains("lo0/v6:static:ok:\\:\\:1/128\n"), "{text}");
    let addrs = ipadm::parse_show_addr(&text).unwrap();
    let list: Vec<(&str, Option<&str>)> = addrs
        .iter()
        .map(|a| (a.addrobj.as_str(), a.addr.as_deref()))
        .collect();
    assert_eq!(
        list,
        [
            ("lo0/v4", Some("127.0.0.1/8")),
            ("igb0/v4", Some("10.0.0.5/24")),
            ("lo0/v6", Some("::1/128")),
            ("igb0/v6", Some("fe80::21b:21ff:feaa:bbc0/10")),
            ("igb0/v6s", Some("2001:db8::5/64")),
        ]
    );
    assert_eq!(addrs[3].kind, ipadm::AddrType::Addrconf);
    let ifs = ipadm::parse_show_if(&ok(run(&host, "ipadm", &argv(&ipadm::show_if())))).unwrap();
    assert_eq!(ifs.len(), 2);
    assert_eq!(ifs[0].class, ipadm::IfClass::Loopback);
    assert_eq!(
        (ifs[1].ifname.as_str(), ifs[1].state),
        ("igb0", ipadm::IfState::Ok)
    );
    assert_eq!(ifs[1].current, "bm46--------");
    assert_eq!(ifs[1].persistent, "46--");

    ok(run(&host, "ipadm", &argv(&ipadm::delete_addr("igb0/v6s"))));
    let one = ok(run(
        &host,
        "ipadm",
        &["show-addr", "-p", "-o", "addr", "igb0/v4"],
    ));
    assert_eq!(one, "10.0.0.5/24\n");
    let e = fails(run(&host, "ipadm", &["show-addr", "igb0/v6s"]));
    assert_eq!(e, "ipadm: address object not found\n");
    ok(run(&host, "ipadm", &argv(&ipadm::delete_ip("igb0"))));
    assert_eq!(
        ok(run(
            &host,
            "ipadm",
            &["show-addr", "-p", "-o", "addrobj", "igb0/"]
        )),
        ""
    );
}

#[test]
fn human_output_is_aligned_like_ipadm() {
    let (_d, host) = host();
    ok(run(&host, "ipadm", &["create-ip", "igb0"]));
    ok(run(
        &host,
        "ipadm",
        &[
            "create-addr",
            "-T",
            "static",
            "-a",
            "10.0.0.5/24",
            "igb0/v4",
        ],
    ));
    assert_eq!(
        ok(run(&host, "ipadm", &["show-addr"])),
        "ADDROBJ           TYPE     STATE        ADDR\n\
         lo0/v4            static   ok           127.0.0.1/8\n\
         igb0/v4           static   ok           10.0.0.5/24\n\
         lo0/v6            static   ok           ::1/128\n"
    );
    assert_eq!(
        ok(run(&host, "ipadm", &["show-if"])),
        "IFNAME     CLASS    STATE    ACTIVE OVER\n\
         lo0        loopback ok       yes    --\n\
         igb0       ip       ok       yes    --\n"
    );
    assert_eq!(
        ok(run(
            &host,
            "ipadm",
            &["show-ifprop", "-p", "forwarding", "-m", "ipv4", "igb0"]
        )),
        "IFNAME      PROPERTY        PROTO PERM CURRENT    PERSISTENT DEFAULT    POSSIBLE\n\
         igb0        forwarding      ipv4  rw   off        --         off        on,off\n"
    );
}

#[test]
fn address_errors_are_ipadms() {
    let (_d, host) = host();
    let static_addr = |a: &str, obj: &str| {
        run(
            &host,
            "ipadm",
            &["create-addr", "-T", "static", "-a", a, obj],
        )
    };
    let e = fails(static_addr("10.0.0.5/24", "igb0/v4"));
    assert_eq!(
        e,
        "ipadm: cannot create address: Interface does not exist\n"
    );
    ok(run(&host, "ipadm", &["create-ip", "igb0"]));
    ok(static_addr("10.0.0.5/24", "igb0/v4"));
    let e = fails(static_addr("10.0.0.6/24", "igb0/v4"));
    assert_eq!(
        e,
        "ipadm: cannot create address: Address object already exists\n"
    );
    let e = fails(static_addr("10.0.0.999/24", "igb0/a2"));
    assert_eq!(e, "ipadm: cannot set local address: Invalid address\n");
    let e = fails(static_addr("10.0.0.9/24", "igb0/2a"));
    assert_eq!(
        e,
        "ipadm: cannot create address object: Invalid argument provided\n"
    );
    let e = fails(static_addr("10.0.0.9/24", "igb0"));
    assert!(
        e.starts_with("ipadm: invalid address object name: igb0\nusage: \tcreate-addr"),
        "{e}"
    );
    let e = fails(run(&host, "ipadm", &["create-addr", "igb0/x"]));
    assert!(e.starts_with("ipadm: invalid arguments\nusage: "), "{e}");
    let e = fails(run(
        &host,
        "ipadm",
        &["create-addr", "-T", "dhcp", "-a", "1.2.3.4/8", "igb0/x"],
    ));
    assert!(
        e.starts_with("ipadm: invalid arguments for type dhcp\nusage: "),
        "{e}"
    );
    let e = fails(run(
        &host,
        "ipadm",
        &["create-addr", "-T", "magic", "igb0/x"],
    ));
    assert_eq!(e, "ipadm: invalid address type magic\n");
    let e = fails(run(&host, "ipadm", &["delete-addr", "igb0/zz"]));
    assert_eq!(e, "ipadm: cannot delete address: Object not found\n");
    let e = fails(run(&host, "ipadm", &["create-ip", "igb0"]));
    assert_eq!(
        e,
        "ipadm: cannot create interface igb0: Interface already exists\n"
    );
    let e = fails(run(&host, "ipadm", &["create-ip", "igb9"]));
    assert_eq!(
        e,
        "ipadm: cannot create interface igb9: Datalink does not exist\n"
    );
    let e = fails(run(&host, "ipadm", &["delete-ip", "igb9"]));
    assert_eq!(
        e,
        "ipadm: cannot delete interface igb9: Interface does not exist\n"
    );
    let e = fails(run(&host, "ipadm", &["delete-ip", "-t", "igb0"]));
    assert_eq!(e, "ipadm: usage: \tdelete-ip\t<IP-interface>\n");
    let e = fails(run(&host, "ipadm", &["show-addr", "-p"]));
    assert_eq!(e, "ipadm: -p requires -o\n");
    let e = fails(run(&host, "ipadm", &["frob"]));
    assert!(
        e.starts_with("ipadm: unknown subcommand 'frob'\nusage:  ipadm <subcommand>"),
        "{e}"
    );
    // The older name of create-ip still works.
    ok(run(&host, "ipadm", &["create-if", "v0"]));
}

#[test]
fn dhcp_leases_on_the_lan_and_times_out_elsewhere() {
    let (_d, host) = host();
    ok(run(&host, "ipadm", &["create-ip", "igb0"]));
    ok(run(&host, "ipadm", &["create-ip", "v0"]));
    ok(run(
        &host,
        "ipadm",
        &argv(&ipadm::create_dhcp_addr("igb0/dhcp")),
    ));
    let out = run(
        &host,
        "ipadm",
        &["create-addr", "-T", "dhcp", "-w", "5", "v0/dhcp"],
    );
    assert_eq!(out.code, 0);
    assert_eq!(
        out.stderr,
        "ipadm: warning: : Communication with dhcpagent timed out\n"
    );
    let text = ok(run(
        &host,
        "ipadm",
        &["show-addr", "-p", "-o", "addrobj,type,state,addr"],
    ));
    let addrs = ipadm::parse_show_addr(&text).unwrap();
    let dhcp: Vec<_> = addrs
        .iter()
        .filter(|a| a.kind == ipadm::AddrType::Dhcp)
        .collect();
    assert_eq!(dhcp[0].addr.as_deref(), Some("192.168.1.100/24"));
    assert_eq!(
        (dhcp[1].addr.as_deref(), dhcp[1].state),
        (None, ipadm::AddrState::Down)
    );
    let e = fails(run(
        &host,
        "ipadm",
        &["create-addr", "-T", "dhcp", "-w", "soon", "v0/d2"],
    ));
    assert_eq!(e, "ipadm: invalid argument\n");
}

#[test]
fn interface_properties_round_trip() {
    let (_d, host) = host();
    ok(run(&host, "ipadm", &["create-ip", "igb0"]));
    let show = ipadm::show_ifprop("forwarding", Some(ipadm::Proto::Ipv4), Some("igb0"));
    let props = ipadm::parse_show_ifprop(&ok(run(&host, "ipadm", &argv(&show)))).unwrap();
    assert_eq!(props[0].current.as_deref(), Some("off"));
    assert_eq!(props[0].persistent, None);
    ok(run(
        &host,
        "ipadm",
        &argv(&ipadm::set_ifprop(
            "igb0",
            ipadm::Proto::Ipv4,
            "forwarding",
            "on",
        )),
    ));
    let props = ipadm::parse_show_ifprop(&ok(run(&host, "ipadm", &argv(&show)))).unwrap();
    assert_eq!(props[0].current.as_deref(), Some("on"));
    assert_eq!(props[0].persistent.as_deref(), Some("on"));
    assert_eq!(props[0].possible, ["on", "off"]);
    ok(run(
        &host,
        "ipadm",
        &argv(&ipadm::reset_ifprop(
            "igb0",
            ipadm::Proto::Ipv4,
            "forwarding",
        )),
    ));
    let props = ipadm::parse_show_ifprop(&ok(run(&host, "ipadm", &argv(&show)))).unwrap();
    assert_eq!(props[0].current.as_deref(), Some("off"));
    // Without -m both families' forwarding is listed.
    let both = ok(run(
        &host,
        "ipadm",
        &[
            "show-ifprop",
            "-c",
            "-o",
            "proto",
            "-p",
            "forwarding",
            "igb0",
        ],
    ));
    assert_eq!(both, "ipv4\nipv6\n");

    let e = fails(run(
        &host,
        "ipadm",
        &["set-ifprop", "-p", "forwarding=maybe", "-m", "ipv4", "igb0"],
    ));
    assert_eq!(
        e,
        "ipadm: set-ifprop: forwarding: Invalid argument provided\n"
    );
    let e = fails(run(
        &host,
        "ipadm",
        &["set-ifprop", "-p", "forwarding", "-m", "ipv4", "igb0"],
    ));
    assert!(
        e.starts_with("ipadm: please specify the value to be set.\n\tset-ifprop"),
        "{e}"
    );
    let e = fails(run(
        &host,
        "ipadm",
        &["set-ifprop", "-p", "forwarding=on", "-m", "ipx", "igb0"],
    ));
    assert_eq!(e, "ipadm: invalid protocol 'ipx' specified\n");
    let e = fails(run(
        &host,
        "ipadm",
        &["set-ifprop", "-p", "forwarding=on", "-m", "ipv4", "igb7"],
    ));
    assert_eq!(
        e,
        "ipadm: set-ifprop: forwarding: Interface does not exist\n"
    );
    let e = fails(run(
        &host,
        "ipadm",
        &["reset-ifprop", "-p", "forwarding=on", "-m", "ipv4", "igb0"],
    ));
    assert!(
        e.starts_with("ipadm: incorrect syntax used for -p.\n"),
        "{e}"
    );
    let e = fails(run(&host, "ipadm", &["show-ifprop", "igb7"]));
    assert_eq!(
        e,
        "ipadm: no such object 'igb7': Interface does not exist\n"
    );
    let out = run(
        &host,
        "ipadm",
        &[
            "show-ifprop",
            "-c",
            "-o",
            "ifname,current",
            "-p",
            "colour",
            "igb0",
        ],
    );
    assert_eq!(out.code, 1);
    assert_eq!(out.stdout, "igb0:?\n");
    assert_eq!(
        out.stderr,
        "ipadm: warning: cannot get property 'colour' for 'igb0': Unknown property\n"
    );
}

#[test]
fn injected_faults_change_nothing() {
    let (_d, host) = host();
    let failing = host
        .clone()
        .with_fail(Some("ipadm create-ip; ipadm create-addr@*"));
    let e = fails(run(&failing, "ipadm", &["create-ip", "igb0"]));
    assert_eq!(
        e,
        "ipadm: cannot create interface igb0: Could not communicate with ipmgmtd\n"
    );
    ok(run(&failing, "ipadm", &["create-ip", "igb0"]));
    let e = fails(run(
        &failing,
        "ipadm",
        &[
            "create-addr",
            "-T",
            "static",
            "-a",
            "10.0.0.5/24",
            "igb0/v4",
        ],
    ));
    assert_eq!(
        e,
        "ipadm: cannot create address: Duplicate address detected\n"
    );
    assert!(NetStore::load(&host).unwrap().address("igb0/v4").is_none());
}

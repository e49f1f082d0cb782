use super::*;
use crate::sys::dladm::parse_mac;
use crate::sys::routeadm::RouteOption;

fn host() -> (tempfile::TempDir, SimHost) {
    let dir = tempfile::tempdir().unwrap();
    let host = crate::sim::init::init(&dir.path().join("h"), &Default::default())
        .unwrap()
        .with_speed(0.0);
    (dir, host)
}

fn lan() -> NetStore {
    let mut s = NetStore::default();
    s.add_phys("igb0", 1000, "0:1b:21:aa:bb:c0").unwrap();
    s.create_etherstub("stub0").unwrap();
    s
}

#[test]
fn a_fresh_host_has_only_the_loopback() {
    let (_d, host) = host();
    let s = NetStore::load(&host).unwrap();
    assert!(s.links().is_empty());
    let names: Vec<&str> = s.interfaces().iter().map(|(n, _)| *n).collect();
    assert_eq!(names, ["lo0"]);
    let addrs: Vec<String> = s
        .addresses()
        .iter()
        .map(|(n, a)| format!("{n} {}", a.addr_text()))
        .collect();
    assert_eq!(addrs, ["lo0/v4 127.0.0.1/8", "lo0/v6 ::1/128"]);
}

#[test]
fn random_macs_use_the_illumos_prefix_and_are_unique_and_seeded() {
    let mut a = lan();
    let mut b = lan();
    let mut seen = std::collections::HashSet::new();
    for i in 0..50 {
        let name = format!("v{i}");
        let mac = a.create_vnic(&name, "stub0", None, None).unwrap();
        assert!(mac.starts_with("2:8:20:"), "{mac}");
        assert!(parse_mac(&mac).is_ok());
        assert!(seen.insert(mac.clone()), "duplicate {mac}");
        assert_eq!(b.create_vnic(&name, "stub0", None, None).unwrap(), mac);
    }
    let v = a.link("v0").unwrap().vnic().unwrap();
    assert_eq!(v.mac_kind, MacKind::Random);
}

#[test]
fn vnic_creation_follows_libdladm_rules() {
    let mut s = lan();
    assert_eq!(
        s.create_vnic("v0", "igb9", None, None).unwrap_err(),
        status::NOTFOUND
    );
    s.create_vnic("v0", "igb0", Some("02:08:20:AB:CD:01"), Some(7))
        .unwrap();
    let v = s.link("v0").unwrap().vnic().unwrap();
    assert_eq!(
        (v.mac.as_str(), v.vid, v.mac_kind),
        ("2:8:20:ab:cd:1", 7, MacKind::Fixed)
    );
    assert_eq!(
        s.create_vnic("v0", "igb0", None, None).unwrap_err(),
        status::EXIST
    );
    assert_eq!(
        s.create_vnic("v1", "v0", None, None).unwrap_err(),
        status::BADARG
    );
    assert_eq!(
        s.create_vnic("v1", "igb0", Some("2:8:20:ab:cd:1"), None)
            .unwrap_err(),
        status::MACADDR_INUSE
    );
    assert_eq!(
        s.create_vnic("v1", "igb0", Some("0:1b:21:aa:bb:c0"), None)
            .unwrap_err(),
        status::MACADDR_NIC
    );
    assert!(
        s.create_vnic("bad-name", "igb0", None, None)
            .unwrap_err()
            .contains("invalid link name")
    );
    let req = VnicRequest {
        name: "v2".into(),
        over: "igb0".into(),
        mac: MacSpec::Factory(None),
        vid: 0,
        temporary: false,
        mac_prefix: None,
    };
    assert_eq!(
        s.create_vnic_with(&req).unwrap_err(),
        status::MAC_FACTORY_NOTSUP
    );
    assert_eq!(s.link_mtu("v0"), Some(1500));
    assert_eq!(s.link_speed("v0"), Some(1000));
    assert_eq!(s.link_class("stub0"), Some(LinkClass::Etherstub));
}

#[test]
fn busy_links_cannot_be_deleted() {
    let mut s = lan();
    s.create_vnic("web01_net0", "stub0", None, None).unwrap();
    assert_eq!(s.delete_etherstub("stub0").unwrap_err(), status::LINKBUSY);
    s.set_vnic_zone("web01_net0", Some("web01")).unwrap();
    assert_eq!(s.vnic_zone("web01_net0").as_deref(), Some("web01"));
    assert_eq!(s.delete_vnic("web01_net0").unwrap_err(), status::LINKBUSY);
    assert_eq!(
        s.set_vnic_zone("web01_net0", Some("db01")).unwrap_err(),
        status::LINKBUSY
    );
    s.set_vnic_zone("web01_net0", None).unwrap();
    s.create_ip("web01_net0").unwrap();
    assert_eq!(s.delete_vnic("web01_net0").unwrap_err(), status::LINKBUSY);
    assert_eq!(
        s.set_vnic_zone("web01_net0", Some("web01")).unwrap_err(),
        status::LINKBUSY
    );
    s.delete_ip("web01_net0").unwrap();
    s.delete_vnic("web01_net0").unwrap();
    s.delete_etherstub("stub0").unwrap();
    assert!(!s.link_exists("stub0"));
    assert_eq!(s.delete_vnic("igb0").unwrap_err(), status::BADARG);
}

#[test]
fn ip_interfaces_need_a_plumbable_link() {
    let mut s = lan();
    assert_eq!(s.create_ip("igb7").unwrap_err(), ip::status::DLPI_NOLINK);
    assert_eq!(s.create_ip("stub0").unwrap_err(), ip::status::DLPI_FAILURE);
    s.create_ip("igb0").unwrap();
    assert_eq!(s.create_ip("igb0").unwrap_err(), ip::status::IF_EXISTS);
    assert_eq!(s.delete_ip("igb5").unwrap_err(), ip::status::NOSUCH_IF);
}

#[test]
fn addresses_follow_libipadm_rules_and_order() {
    let mut s = lan();
    assert_eq!(
        s.create_addr("igb0/v4", "static", Some("10.0.0.5/24"))
            .unwrap_err(),
        ip::status::NOSUCH_IF
    );
    s.create_ip("igb0").unwrap();
    s.create_addr("igb0/v4", "static", Some("10.0.0.5/24"))
        .unwrap();
    assert_eq!(
        s.create_addr("igb0/v4", "static", Some("10.0.0.6/24"))
            .unwrap_err(),
        ip::status::ADDROBJ_EXISTS
    );
    assert_eq!(
        s.create_addr("igb0/x", "static", Some("10.0.0.300/24"))
            .unwrap_err(),
        ip::status::BAD_ADDR
    );
    assert_eq!(
        s.create_addr("igb0/x", "static", Some("10.0.0.3/40"))
            .unwrap_err(),
        ip::status::INVALID_ARG
    );
    assert_eq!(
        s.create_addr("igb0/1x", "static", Some("10.0.0.3/24"))
            .unwrap_err(),
        ip::status::INVALID_ARG
    );
    s.create_addr("igb0/v6", "addrconf", None).unwrap();
    assert_eq!(
        s.create_addr("igb0/v6b", "addrconf", None).unwrap_err(),
        ip::status::ADDRCONF_EXISTS
    );
    s.create_addr("igb0/old", "static", Some("172.16.0.1"))
        .unwrap();
    s.create_addr("igb0/dhcp", "dhcp", None).unwrap();
    let listed: Vec<String> = s
        .addresses()
        .iter()
        .map(|(n, a)| format!("{n}={}", a.addr_text()))
        .collect();
    assert_eq!(
        listed,
        [
            "lo0/v4=127.0.0.1/8",
            "igb0/v4=10.0.0.5/24",
            "igb0/old=172.16.0.1/16",
            "igb0/dhcp=192.168.1.100/24",
            "lo0/v6=::1/128",
            "igb0/v6=fe80::21b:21ff:feaa:bbc0/10",
        ]
    );
    assert_eq!(
        s.delete_addr("igb0/nope").unwrap_err(),
        ip::status::NOTFOUND
    );
    s.delete_ip("igb0").unwrap();
    assert_eq!(s.addresses().len(), 2);
}

#[test]
fn forwarding_follows_routeadm_and_interface_settings() {
    let mut s = lan();
    s.create_ip("igb0").unwrap();
    let fwd = |s: &NetStore, i: &str| s.ifprop(i, Some(Proto::Ipv4), "forwarding").unwrap();
    assert_eq!(fwd(&s, "igb0").current, "off");
    s.set_route_persistent(RouteOption::Ipv4Forwarding, true);
    assert_eq!(fwd(&s, "igb0").current, "off", "-e alone waits for -u");
    s.apply_routing();
    assert!(s.routing().current(RouteOption::Ipv4Forwarding));
    assert_eq!(fwd(&s, "igb0").current, "on");
    s.create_vnic("v0", "igb0", None, None).unwrap();
    s.create_ip("v0").unwrap();
    assert_eq!(
        fwd(&s, "v0").current,
        "on",
        "new interfaces inherit IFF_ROUTER"
    );
    s.set_forwarding("v0", "ipv4", false).unwrap();
    let v = fwd(&s, "v0");
    assert_eq!((v.current.as_str(), v.persistent.as_str()), ("off", "off"));
    assert_eq!(
        s.set_forwarding("v9", "ipv4", true).unwrap_err(),
        ip::status::NOSUCH_IF
    );
    assert_eq!(
        s.set_ifprop("v0", "ipv4", "bogus", Some("1"), false)
            .unwrap_err(),
        ip::status::PROP_UNKNOWN
    );
    assert_eq!(
        s.set_ifprop("v0", "ipv4", "forwarding", Some("yes"), false)
            .unwrap_err(),
        ip::status::INVALID_ARG
    );
    assert_eq!(
        s.set_ifprop("v0", "ipv4", "mtu", Some("9000"), false)
            .unwrap_err(),
        ip::status::ERANGE
    );
    s.revert_route(RouteOption::Ipv4Forwarding);
    s.apply_routing();
    assert_eq!(fwd(&s, "igb0").current, "off");
}

#[test]
fn state_survives_save_and_load() {
    let (_d, host) = host();
    let mut s = NetStore::load(&host).unwrap();
    s.add_phys("igb0", 1000, "0:1b:21:aa:bb:c0").unwrap();
    let mac = s.create_vnic("v0", "igb0", None, Some(5)).unwrap();
    s.create_ip("v0").unwrap();
    s.create_addr("v0/v4", "static", Some("10.1.0.2/16"))
        .unwrap();
    s.set_route_persistent(RouteOption::Ipv6Forwarding, true);
    s.save(&host).unwrap();
    let mut t = NetStore::load(&host).unwrap();
    assert_eq!(t.link("v0").unwrap().vnic().unwrap().mac, mac);
    assert_eq!(t.address("v0/v4").unwrap().addr_text(), "10.1.0.2/16");
    assert!(t.routing().get(RouteOption::Ipv6Forwarding).persistent);
    // The generator state was saved too: the next MAC differs from the first.
    assert_ne!(t.create_vnic("v1", "igb0", None, None).unwrap(), mac);
}

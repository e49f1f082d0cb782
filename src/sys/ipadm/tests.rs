use std::net::IpAddr;

use super::*;

#[test]
fn show_addr_unescapes_ipv6_and_reads_all_types() {
    let text = "lo0/v4:static:ok:127.0.0.1/8\n\
                igb0/v4:static:ok:192.168.1.10/24\n\
                igb1/dhcp:dhcp:down:?\n\
                lo0/v6:static:ok:\\:\\:1/128\n\
                igb0/v6:addrconf:ok:fe80\\:\\:8\\:20ff\\:fe9b\\:1234/10\n\
                net0/?:from-gz:ok:10.0.0.5/24\n";
    let addrs = parse_show_addr(text).unwrap();
    assert_eq!(addrs.len(), 6);
    assert_eq!(addrs[0].ifname, "lo0");
    assert_eq!(addrs[0].prefix_len, Some(8));
    assert_eq!(addrs[2].kind, AddrType::Dhcp);
    assert_eq!(addrs[2].addr, None);
    assert_eq!(addrs[3].addr.as_deref(), Some("::1/128"));
    assert_eq!(addrs[3].ip, Some("::1".parse::<IpAddr>().unwrap()));
    assert_eq!(addrs[4].kind, AddrType::Addrconf);
    assert_eq!(addrs[4].prefix_len, Some(10));
    assert_eq!(addrs[5].kind, AddrType::FromGz);
    assert_eq!(addrs[5].ifname, "net0");
    let json = serde_json::to_value(&addrs[5]).unwrap();
    assert_eq!(json["type"], "from-gz");
}

#[test]
fn show_addr_reports_what_is_wrong() {
    let err = parse_show_addr("igb0/v4:static:ok\n").unwrap_err();
    assert!(err.message.contains("expected 4"), "{err}");
    let err = parse_show_addr("lo0/v4:static:ok:1/8\nigb0:static:ok:1.2.3.4/8\n").unwrap_err();
    assert_eq!(err.line, 2);
    assert!(err.message.contains("no '/'"), "{err}");
    let err = parse_show_addr("igb0/v4:magic:ok:1.2.3.4/8").unwrap_err();
    assert!(err.message.contains("address type 'magic'"), "{err}");
    // A point-to-point address keeps its text; the local side is the ip.
    let a = &parse_show_addr("ip.tun0/v4:static:ok:10.1.1.1->10.1.1.2").unwrap()[0];
    assert_eq!(a.ip, Some("10.1.1.1".parse().unwrap()));
    assert_eq!(a.prefix_len, None);
}

#[test]
fn show_if_reads_flags() {
    let text = "lo0:loopback:ok:-m46-v------:46--\n\
                igb0:ip:ok:bm4---------:4---\n\
                vnic9:ip:down:bm46--------:46--\n";
    let ifs = parse_show_if(text).unwrap();
    assert_eq!(ifs[0].class, IfClass::Loopback);
    assert!(ifs[0].ipv4 && ifs[0].ipv6);
    assert!(ifs[1].ipv4 && !ifs[1].ipv6);
    assert_eq!(ifs[2].state, IfState::Down);
    assert!(parse_show_if("lo0:wormhole:ok:x:y").is_err());
}

#[test]
fn show_ifprop_reads_empty_and_possible_values() {
    let text = "igb0:forwarding:ipv4:rw:on:on:off:on,off\n\
                igb1:forwarding:ipv4:rw:off::off:on,off\n\
                igb1:mtu:ipv4:rw:1500::1500:68-1500\n";
    let props = parse_show_ifprop(text).unwrap();
    assert_eq!(props[0].current.as_deref(), Some("on"));
    assert_eq!(props[0].persistent.as_deref(), Some("on"));
    assert_eq!(props[1].persistent, None);
    assert_eq!(props[1].possible, ["on", "off"]);
    assert_eq!(props[2].possible, ["68-1500"]);
}

#[test]
fn builders_produce_argv() {
    let cidr = parse_cidr("10.0.0.5/24").unwrap();
    assert_eq!(
        create_static_addr("igb0/v4", &cidr).argv(),
        [
            "ipadm",
            "create-addr",
            "-T",
            "static",
            "-a",
            "10.0.0.5/24",
            "igb0/v4"
        ]
    );
    assert_eq!(create_ip("vnic0").argv(), ["ipadm", "create-ip", "vnic0"]);
    assert_eq!(delete_ip("vnic0").argv(), ["ipadm", "delete-ip", "vnic0"]);
    assert_eq!(
        create_dhcp_addr("igb0/dhcp").argv(),
        ["ipadm", "create-addr", "-T", "dhcp", "igb0/dhcp"]
    );
    assert_eq!(
        create_addrconf_addr("igb0/v6").argv(),
        ["ipadm", "create-addr", "-T", "addrconf", "igb0/v6"]
    );
    assert_eq!(
        delete_addr("igb0/v4").argv(),
        ["ipadm", "delete-addr", "igb0/v4"]
    );
    assert_eq!(
        set_ifprop("igb0", Proto::Ipv4, "forwarding", "on").argv(),
        [
            "ipadm",
            "set-ifprop",
            "-p",
            "forwarding=on",
            "-m",
            "ipv4",
            "igb0"
        ]
    );
    assert_eq!(
        reset_ifprop("igb0", Proto::Ipv4, "forwarding").argv(),
        [
            "ipadm",
            "reset-ifprop",
            "-p",
            "forwarding",
            "-m",
            "ipv4",
            "igb0"
        ]
    );
    assert_eq!(
        show_ifprop("forwarding", Some(Proto::Ipv4), Some("igb0")).argv(),
        [
            "ipadm",
            "show-ifprop",
            "-c",
            "-o",
            IFPROP_FIELDS,
            "-p",
            "forwarding",
            "-m",
            "ipv4",
            "igb0"
        ]
    );
    assert!(!show_addr().privileged);
    assert!(set_ifprop("igb0", Proto::Ipv4, "forwarding", "on").privileged);
}

#[test]
fn cidrs_parse_and_compute_networks() {
    let c = parse_cidr("10.0.0.5/24").unwrap();
    assert_eq!(c.network().to_string(), "10.0.0.0/24");
    assert_eq!(c.netmask().unwrap().to_string(), "255.255.255.0");
    assert!(c.contains(&"10.0.0.200".parse().unwrap()));
    assert!(!c.contains(&"10.0.1.1".parse().unwrap()));
    assert!(!c.contains(&"::1".parse().unwrap()));
    let v6 = parse_cidr("2001:db8::1/64").unwrap();
    assert!(v6.is_ipv6());
    assert_eq!(v6.network().to_string(), "2001:db8::/64");
    assert_eq!(parse_cidr("0.0.0.0/0").unwrap().network().prefix, 0);
    assert!(parse_cidr("10.0.0.5").unwrap_err().contains("no prefix"));
    assert!(
        parse_cidr("10.0.0.5/33")
            .unwrap_err()
            .contains("at most /32")
    );
    assert!(parse_cidr("::1/129").unwrap_err().contains("at most /128"));
    assert!(
        parse_cidr("10.0.0.5/x")
            .unwrap_err()
            .contains("not a number")
    );
    assert!(parse_cidr("10.0.0.256/24").unwrap_err().contains("IPv4"));
    assert!(parse_cidr("fe80::zz/64").unwrap_err().contains("IPv6"));
    assert!(parse_ip("").unwrap_err().contains("empty"));
}

#[test]
fn addrobj_names_follow_libipadm() {
    assert_eq!(validate_addrobj("igb0/v4"), Ok(()));
    assert_eq!(validate_addrobj("web01_net0/a1"), Ok(()));
    assert!(
        validate_addrobj("igb0")
            .unwrap_err()
            .contains("interface/name")
    );
    assert!(validate_addrobj("igb0/").unwrap_err().contains("no name"));
    assert!(
        validate_addrobj("igb/v4")
            .unwrap_err()
            .contains("end with a digit")
    );
    assert!(
        validate_addrobj("igb0/4v")
            .unwrap_err()
            .contains("start with a letter")
    );
    assert!(validate_addrobj("igb0/v_4").unwrap_err().contains("'_'"));
    let long = format!("igb0/{}", "a".repeat(32));
    assert!(validate_addrobj(&long).unwrap_err().contains("at most 31"));
    assert_eq!(split_addrobj("igb0/"), Some(("igb0", None)));
    assert_eq!(split_addrobj("igb0/v4"), Some(("igb0", Some("v4"))));
}

use super::*;

const CONF: &str = "\
# dhcpd.conf -- managed in part by zcon
ddns-update-style none;
default-lease-time 3600;   # one hour
option domain-name \"example.org\";
authoritative;

subnet 10.190.190.0 netmask 255.255.255.0 {
  range 10.190.190.10 10.190.190.254;
  option routers 10.190.190.1;
  option domain-name-servers 8.8.8.8, 8.8.4.4;
  # reservation for the web server
  host web-01 {
    hardware ethernet 02:08:20:ab:cd:01;
    fixed-address 10.190.190.10;
  }
  pool { failover peer \"x\"; range 10.190.190.200 10.190.190.210; }
}

on commit { set clip = binary-to-ascii(10, 8, \".\", leased-address); }

host db-01 {
  hardware ethernet 2:8:20:ab:cd:2;
  fixed-address 10.190.190.11;
}
";

fn conf() -> DhcpdConf {
    DhcpdConf::parse(CONF).unwrap()
}

#[test]
fn reads_globals_subnets_and_hosts_anywhere() {
    let c = conf();
    assert_eq!(c.render(), CONF);
    let g = c.globals();
    assert_eq!(g.len(), 4);
    assert_eq!(g[1].keyword, "default-lease-time");
    assert_eq!(g[1].value, "3600");
    assert_eq!(g[2].keyword, "option domain-name");
    assert_eq!(g[2].value, "example.org");
    assert_eq!(g[3].keyword, "authoritative");
    let s = c.subnets();
    assert_eq!(s.len(), 1);
    assert_eq!(
        s[0],
        Subnet {
            subnet: "10.190.190.0".into(),
            netmask: "255.255.255.0".into(),
            router: Some("10.190.190.1".into()),
            range_start: Some("10.190.190.10".into()),
            range_end: Some("10.190.190.254".into()),
            dns: vec!["8.8.8.8".into(), "8.8.4.4".into()],
        }
    );
    let h = c.hosts();
    assert_eq!(h.len(), 2);
    assert_eq!(h[0].hostname, "web-01");
    assert_eq!(h[1].mac, "2:8:20:ab:cd:2");
    assert_eq!(h[1].ip, "10.190.190.11");
}

#[test]
fn parse_errors_name_the_line() {
    let e = DhcpdConf::parse("subnet 10.0.0.0 {\n}\n").unwrap_err();
    assert_eq!(e.line, 1);
    assert!(e.message.contains("netmask"));
    let e =
        DhcpdConf::parse("\n\nhost a {\n  hardware ethernet 02:08:zz:00:00:01;\n}\n").unwrap_err();
    assert_eq!(e.line, 4);
    assert!(e.message.contains("host a"));
    assert!(DhcpdConf::parse("subnet 10.0.0.300 netmask 255.0.0.0 { }").is_err());
}

#[test]
fn add_host_appends_after_the_last_top_level_host() {
    let mut c = conf();
    c.add_host(&DhcpHost {
        hostname: "app-01".into(),
        mac: "2:8:20:AB:CD:3".into(),
        ip: "10.190.190.12".into(),
    })
    .unwrap();
    let text = c.render();
    assert!(text.starts_with(&CONF[..CONF.len() - 1]));
    assert!(text.ends_with(
        "}\n\nhost app-01 {\n  hardware ethernet 02:08:20:ab:cd:03;\n  fixed-address 10.190.190.12;\n}\n"
    ));
    assert_eq!(c.hosts().len(), 3);
    assert_eq!(DhcpdConf::parse(&text).unwrap().hosts(), c.hosts());
}

#[test]
fn add_host_refuses_duplicates_and_bad_values() {
    let mut c = conf();
    let host = |n: &str, m: &str, i: &str| DhcpHost {
        hostname: n.into(),
        mac: m.into(),
        ip: i.into(),
    };
    assert_eq!(
        c.add_host(&host("WEB-01", "02:08:20:00:00:09", "10.190.190.99")),
        Err(DhcpError::DuplicateHostname("web-01".into()))
    );
    assert_eq!(
        c.add_host(&host("x", "02:08:20:ab:cd:02", "10.190.190.99")),
        Err(DhcpError::DuplicateMac {
            mac: "02:08:20:ab:cd:02".into(),
            host: "db-01".into()
        })
    );
    assert!(matches!(
        c.add_host(&host("x", "02:08:20:00:00:09", "10.190.190.10")),
        Err(DhcpError::DuplicateIp { .. })
    ));
    assert!(matches!(
        c.add_host(&host("x", "02:08:20:00:00:09", "10.1.1.1")),
        Err(DhcpError::OutsideSubnets { .. })
    ));
    assert!(matches!(
        c.add_host(&host("x", "02:08:20:00:09", "10.190.190.50")),
        Err(DhcpError::InvalidMac(_))
    ));
    assert!(matches!(
        c.add_host(&host("x", "02:08:20:00:00:09", "10.190.190.500")),
        Err(DhcpError::InvalidIp(_))
    ));
    assert!(matches!(
        c.add_host(&host("x;y", "02:08:20:00:00:09", "10.190.190.50")),
        Err(DhcpError::InvalidHostname(_))
    ));
    assert_eq!(c.render(), CONF);
}

#[test]
fn remove_host_keeps_comments_and_other_text() {
    let mut c = conf();
    let removed = c.remove_host("web-01").unwrap();
    assert_eq!(removed.ip, "10.190.190.10");
    let text = c.render();
    assert!(!text.contains("host web-01"));
    assert!(text.contains(
        "  option domain-name-servers 8.8.8.8, 8.8.4.4;\n  # reservation for the web server\n  pool {"
    ));
    c.remove_host("db-01").unwrap();
    assert!(c.render().ends_with("leased-address); }\n"));
    assert_eq!(
        c.remove_host("nope"),
        Err(DhcpError::NoSuchHost("nope".into()))
    );
}

#[test]
fn set_subnet_updates_statements_in_place() {
    let mut c = conf();
    let mut s = c.subnets().remove(0);
    s.range_start = Some("10.190.190.20".into());
    s.router = Some("10.190.190.2".into());
    s.dns = vec!["1.1.1.1".into()];
    c.set_subnet(&s).unwrap();
    let text = c.render();
    let expected = CONF
        .replace(
            "range 10.190.190.10 10.190.190.254",
            "range 10.190.190.20 10.190.190.254",
        )
        .replace("routers 10.190.190.1;", "routers 10.190.190.2;")
        .replace("8.8.8.8, 8.8.4.4", "1.1.1.1");
    assert_eq!(text, expected);
    s.dns.clear();
    s.router = None;
    c.set_subnet(&s).unwrap();
    let text = c.render();
    assert!(!text.contains("option routers"));
    assert!(!text.contains("domain-name-servers"));
    assert!(text.contains("  range 10.190.190.20 10.190.190.254;\n  # reservation"));
}

#[test]
fn set_subnet_moves_the_only_subnet_or_creates_one() {
    let mut c = conf();
    let s = Subnet {
        subnet: "10.200.0.0".into(),
        netmask: "255.255.0.0".into(),
        router: Some("10.200.0.1".into()),
        range_start: Some("10.200.0.10".into()),
        range_end: Some("10.200.0.200".into()),
        dns: vec![],
    };
    c.set_subnet(&s).unwrap();
    assert!(
        c.render()
            .contains("subnet 10.200.0.0 netmask 255.255.0.0 {\n  range 10.200.0.10")
    );
    assert_eq!(c.subnets().len(), 1);

    let mut empty = DhcpdConf::parse("").unwrap();
    empty.set_subnet(&s).unwrap();
    assert_eq!(
        empty.render(),
        "subnet 10.200.0.0 netmask 255.255.0.0 {\n  range 10.200.0.10 10.200.0.200;\n  \
         option routers 10.200.0.1;\n}\n"
    );
    let bare = "subnet 10.1.0.0 netmask 255.255.0.0 {\n}\n";
    let mut c = DhcpdConf::parse(bare).unwrap();
    let mut s2 = s.clone();
    s2.subnet = "10.1.0.0".into();
    s2.router = Some("10.1.0.1".into());
    s2.range_start = None;
    s2.range_end = None;
    c.set_subnet(&s2).unwrap();
    assert_eq!(
        c.render(),
        "subnet 10.1.0.0 netmask 255.255.0.0 {\n  option routers 10.1.0.1;\n}\n"
    );
}

#[test]
fn set_subnet_validates() {
    let mut c = conf();
    let base = c.subnets().remove(0);
    let mut s = base.clone();
    s.subnet = "10.190.190.5".into();
    assert!(matches!(
        c.set_subnet(&s),
        Err(DhcpError::NotNetworkAddress { .. })
    ));
    let mut s = base.clone();
    s.netmask = "255.0.255.0".into();
    assert!(matches!(
        c.set_subnet(&s),
        Err(DhcpError::InvalidNetmask(_))
    ));
    let mut s = base.clone();
    s.router = Some("10.1.1.1".into());
    assert!(matches!(
        c.set_subnet(&s),
        Err(DhcpError::OutsideSubnet { what: "router", .. })
    ));
    let mut s = base.clone();
    s.range_end = None;
    assert_eq!(c.set_subnet(&s), Err(DhcpError::HalfRange));
    let mut s = base.clone();
    s.range_start = Some("10.190.190.250".into());
    s.range_end = Some("10.190.190.20".into());
    assert!(matches!(
        c.set_subnet(&s),
        Err(DhcpError::RangeReversed { .. })
    ));
    let mut s = base;
    s.dns = vec!["dns.example".into()];
    assert!(matches!(c.set_subnet(&s), Err(DhcpError::InvalidIp(_))));
    assert_eq!(c.render(), CONF);
}

#[test]
fn globals_can_be_set_and_removed() {
    let mut c = conf();
    c.set_global("default-lease-time", Some("600"));
    c.set_global("option domain-name", None);
    c.set_global("max-lease-time", Some("7200"));
    let text = c.render();
    assert!(text.contains(
        "default-lease-time 600;   # one hour\nauthoritative;\nmax-lease-time 7200;\n\nsubnet"
    ));
    assert!(!text.contains("example.org"));
}

#[test]
fn macs_normalise() {
    assert_eq!(normalize_mac("2:8:20:A:b:c").unwrap(), "02:08:20:0a:0b:0c");
    assert!(normalize_mac("02-08-20-0a-0b-0c").is_err());
    assert!(normalize_mac("002:08:20:0a:0b:0c").is_err());
}

use std::fs;

use super::*;
use crate::sim::run;
use crate::sys::smf::{DHCP_SERVER, IPFILTER};

/// A sim host (speed 0) with the standard services; keep the TempDir alive.
pub(crate) fn test_host() -> (tempfile::TempDir, SimHost) {
    let dir = tempfile::tempdir().unwrap();
    let host = crate::sim::init::init(&dir.path().join("h"), &Default::default())
        .unwrap()
        .with_speed(0.0);
    {
        let _l = host.lock_exclusive().unwrap();
        let mut s = SmfStore::load(&host).unwrap();
        s.add_defaults();
        s.save(&host).unwrap();
    }
    (dir, host)
}

pub(crate) fn write_ipnat_conf(host: &SimHost, text: &str) {
    fs::write(host.host_path("/etc/ipf/ipnat.conf"), text).unwrap();
}

fn load(host: &SimHost) -> SmfStore {
    SmfStore::load_for_reading(host).unwrap()
}

#[test]
fn enabling_ipfilter_loads_ipnat_conf_into_the_nat_table() {
    let (_d, host) = test_host();
    write_ipnat_conf(
        &host,
        "# provisioning\nmap igb0 10.190.190.0/24 -> 0/32 portmap tcp/udp auto\n\
         rdr igb0 192.168.1.10 port 8080 -> 10.190.190.10 port 80\n",
    );
    assert!(!load(&host).nat.running);
    let out = run(&host, "svcadm", &["enable", "-s", "ipfilter"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let s = load(&host);
    assert_eq!(s.state(IPFILTER).as_deref(), Some("online"));
    assert_eq!(
        s.nat.rules,
        [
            "map igb0 10.190.190.0/24 -> 0.0.0.0/32 portmap tcp/udp auto",
            "rdr igb0 192.168.1.10/32 port 8080 -> 10.190.190.10 port 80 tcp"
        ]
    );
    let log =
        fs::read_to_string(host.host_path("/var/svc/log/network-ipfilter:default.log")).unwrap();
    assert!(log.contains("Executing start method"), "{log}");
    // Disabling stops ipf: the table is gone.
    assert_eq!(run(&host, "svcadm", &["disable", "-s", IPFILTER]).code, 0);
    let s = load(&host);
    assert_eq!(s.state(IPFILTER).as_deref(), Some("disabled"));
    assert!(s.nat.rules.is_empty() && !s.nat.running);
}

#[test]
fn a_bad_rule_puts_ipfilter_into_maintenance_and_clear_recovers() {
    let (_d, host) = test_host();
    write_ipnat_conf(
        &host,
        "map igb0 10.0.0.0/24 -> 0/32\nmap igb0 10.1.0.0/24 0/32\n",
    );
    let out = run(&host, "svcadm", &["enable", "-s", IPFILTER]);
    assert_eq!(out.code, 3);
    assert_eq!(
        out.stderr,
        "svcadm: Instance \"svc:/network/ipfilter:default\" is in maintenance state.\n"
    );
    let s = load(&host);
    assert_eq!(s.state(IPFILTER).as_deref(), Some("maintenance"));
    // The rules before the bad one were loaded, as ipnat -f does.
    assert_eq!(s.nat.rules, ["map igb0 10.0.0.0/24 -> 0.0.0.0/32"]);
    let log = fs::read_to_string(host.host_path(&methods::log_path(IPFILTER))).unwrap();
    assert!(log.contains("syntax error error at \"0\", line 2"), "{log}");

    write_ipnat_conf(&host, "map igb0 10.1.0.0/24 -> 0/32\n");
    assert_eq!(run(&host, "svcadm", &["clear", IPFILTER]).code, 0);
    let s = load(&host);
    assert_eq!(s.state(IPFILTER).as_deref(), Some("online"));
    assert_eq!(s.nat.rules, ["map igb0 10.1.0.0/24 -> 0.0.0.0/32"]);
}

#[test]
fn refresh_reloads_and_a_bad_refresh_is_maintenance() {
    let (_d, host) = test_host();
    write_ipnat_conf(&host, "map igb0 10.0.0.0/24 -> 0/32\n");
    run(&host, "svcadm", &["enable", IPFILTER]);
    write_ipnat_conf(
        &host,
        "map igb0 10.0.0.0/24 -> 0/32\nbimap igb0 10.0.0.5 -> 1.2.3.4\n",
    );
    assert_eq!(
        run(&host, "svcadm", &["refresh", "network/ipfilter"]).code,
        0
    );
    assert_eq!(load(&host).nat.rules.len(), 2);
    write_ipnat_conf(&host, "bimap igb0 10.0.0.5 -> \n");
    assert_eq!(run(&host, "svcadm", &["refresh", "ipfilter"]).code, 0);
    assert_eq!(load(&host).state(IPFILTER).as_deref(), Some("maintenance"));
}

#[test]
fn transitions_take_time_and_show_a_star_meanwhile() {
    let (_d, host) = test_host();
    let host = host.with_speed(1.0);
    assert_eq!(run(&host, "svcadm", &["enable", DHCP_SERVER]).code, 0);
    fs::write(
        host.host_path("/etc/dhcpd.conf"),
        "subnet 10.0.0.0 netmask 255.255.255.0 { range 10.0.0.10 10.0.0.20; }\n",
    )
    .unwrap();
    let out = run(&host, "svcs", &["-H", "-o", "state,fmri", "dhcp/server"]);
    assert_eq!(out.stdout, format!("offline*        {DHCP_SERVER}\n"));
    let parsed = crate::sys::smf::parse_svcs(&out.stdout).unwrap();
    assert!(parsed[0].transitioning);
    let mut s = load(&host);
    s.set_property(
        DHCP_SERVER,
        "config/listen_ifnames",
        "astring",
        &["vnic0", "vnic1"],
    );
    let until = s.instances[DHCP_SERVER].pending_until_ms.unwrap();
    s.settle(&host, until);
    assert_eq!(s.state(DHCP_SERVER).as_deref(), Some("online"));
    s.save(&host).unwrap();
    let log = fs::read_to_string(host.host_path(&methods::log_path(DHCP_SERVER))).unwrap();
    assert!(
        log.contains(
            "/usr/sbin/dhcpd -q -cf /etc/dhcpd.conf -lf /var/db/dhcpd.leases vnic0 vnic1 ]"
        ),
        "{log}"
    );
}

#[test]
fn dhcp_server_without_a_config_goes_to_maintenance() {
    let (_d, host) = test_host();
    let out = run(&host, "svcadm", &["enable", "-s", DHCP_SERVER]);
    assert_eq!(out.code, 3);
    let s = load(&host);
    assert_eq!(s.state(DHCP_SERVER).as_deref(), Some("maintenance"));
    assert_eq!(
        s.instances[DHCP_SERVER].reason.as_deref(),
        Some("Start method failed repeatedly, last exited with status 1.")
    );
}

#[test]
fn store_api_for_other_sim_parts() {
    let dir = tempfile::tempdir().unwrap();
    let host = crate::sim::init::init(&dir.path().join("h"), &Default::default())
        .unwrap()
        .with_speed(0.0);
    let mut s = SmfStore::load(&host).unwrap();
    assert!(s.instances.is_empty());
    s.add_service("svc:/system/zones:default", true);
    s.add_service(DHCP_SERVER, false);
    s.set_property(DHCP_SERVER, "config/listen_ifnames", "astring", &["vnic0"]);
    assert_eq!(
        s.state("svc:/system/zones:default").as_deref(),
        Some("online")
    );
    assert_eq!(
        s.property(DHCP_SERVER, "config/listen_ifnames")
            .unwrap()
            .values,
        ["vnic0"]
    );
    write_ipnat_conf(&host, "map igb0 10.0.0.0/8 -> 0/32\n");
    s.reload_ipnat(&host).unwrap();
    assert_eq!(s.nat.rules.len(), 1);
    write_ipnat_conf(&host, "map igb0\n");
    assert_eq!(
        s.reload_ipnat(&host).unwrap_err(),
        "syntax error error at \"\", line 1"
    );
    s.save(&host).unwrap();
    assert_eq!(SmfStore::load(&host).unwrap().instances.len(), 2);
}

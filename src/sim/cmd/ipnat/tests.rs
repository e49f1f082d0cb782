use crate::sim::run;
use crate::sim::smf::tests::{test_host, write_ipnat_conf};
use crate::sys::ipnat::parse_list;
use crate::sys::smf::IPFILTER;

#[test]
fn list_needs_ipfilter_online() {
    let (_d, host) = test_host();
    let out = run(&host, "ipnat", &["-l"]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        "ioctl(SIOCGETFS): I/O error\nUser/kernel version check failed\n"
    );
}

#[test]
fn flush_and_load_then_list() {
    let (_d, host) = test_host();
    write_ipnat_conf(&host, "map igb0 10.0.0.0/24 -> 0/32 portmap tcp/udp auto\n");
    assert_eq!(run(&host, "svcadm", &["enable", IPFILTER]).code, 0);
    let out = run(&host, "ipnat", &["-l"]);
    assert_eq!(
        out.stdout,
        "List of active MAP/Redirect filters:\n\
         map igb0 10.0.0.0/24 -> 0.0.0.0/32 portmap tcp/udp auto\n\
         \n\
         List of active sessions:\n"
    );
    std::fs::create_dir_all(host.host_path("/tmp")).unwrap();
    std::fs::write(
        host.host_path("/tmp/new.conf"),
        "# two rules\nbimap igb0 10.0.0.5 -> 192.168.1.5\nrdr igb0 192.168.1.5 port 443 -> 10.0.0.5 port 8443\n",
    )
    .unwrap();
    let out = run(&host, "ipnat", &["-CF", "-f", "/tmp/new.conf"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "0 entries flushed from NAT table\n1 entries flushed from NAT list\n"
    );
    let list = parse_list(&run(&host, "ipnat", &["-l"]).stdout).unwrap();
    let rules: Vec<&str> = list.rules.iter().map(|r| r.rule.as_str()).collect();
    assert_eq!(
        rules,
        [
            "bimap igb0 10.0.0.5/32 -> 192.168.1.5/32",
            "rdr igb0 192.168.1.5/32 port 443 -> 10.0.0.5 port 8443 tcp"
        ]
    );
    // Loading the same rules again: the kernel refuses duplicates, ipnat carries on.
    let out = run(&host, "ipnat", &["-f", "/tmp/new.conf"]);
    assert_eq!(out.code, 0);
    assert_eq!(
        out.stderr,
        "2:ioctl(add/insert nat rule): File exists\n3:ioctl(add/insert nat rule): File exists\n"
    );
    // -r removes them.
    assert_eq!(run(&host, "ipnat", &["-r", "-f", "/tmp/new.conf"]).code, 0);
    assert!(
        parse_list(&run(&host, "ipnat", &["-l"]).stdout)
            .unwrap()
            .rules
            .is_empty()
    );
}

#[test]
fn a_bad_rule_is_a_syntax_error_with_status_1() {
    let (_d, host) = test_host();
    run(&host, "svcadm", &["enable", IPFILTER]);
    std::fs::create_dir_all(host.host_path("/tmp")).unwrap();
    std::fs::write(
        host.host_path("/tmp/bad.conf"),
        "map igb0 10.0.0.0/24 -> 0/32\nrdr igb0 1.2.3.4 port 80 -> 10.0.0.1 port 99999\nmap igb0 10.9.0.0/16 -> 0/32\n",
    )
    .unwrap();
    let out = run(&host, "ipnat", &["-f", "/tmp/bad.conf"]);
    assert_eq!(out.code, 1);
    assert_eq!(out.stderr, "invalid port number error at \"map\", line 3\n");
    // The rule before the error was loaded.
    let list = parse_list(&run(&host, "ipnat", &["-l"]).stdout).unwrap();
    assert_eq!(list.rules.len(), 1);
    // -n only checks.
    let out = run(&host, "ipnat", &["-n", "-f", "/tmp/bad.conf"]);
    assert_eq!(out.code, 1);
    let out = run(&host, "ipnat", &["-f", "/tmp/missing.conf"]);
    assert_eq!(out.code, 0);
    assert_eq!(
        out.stderr,
        "fopen(/tmp/missing.conf) failed: No such file or directory\n"
    );
}

#[test]
fn usage_and_fault_injection() {
    let (_d, host) = test_host();
    let out = run(&host, "ipnat", &["-x"]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        "ipnat: illegal option -- x\nUsage: ipnat [-CdFhlnrRsv] [-f filename]\n"
    );
    write_ipnat_conf(&host, "map igb0 10.0.0.0/24 -> 0/32\n");
    run(&host, "svcadm", &["enable", IPFILTER]);
    let host = host.with_fail(Some("ipnat -f"));
    let out = run(&host, "ipnat", &["-CF", "-f", "/etc/ipf/ipnat.conf"]);
    assert_eq!(out.code, 1);
    assert_eq!(out.stderr, "/dev/ipnat: open: Device busy\n");
    assert!(
        parse_list(&run(&host, "ipnat", &["-l"]).stdout)
            .unwrap()
            .rules
            .len()
            == 1
    );
}

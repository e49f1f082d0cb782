use crate::sim::run;
use crate::sim::smf::tests::test_host;
use crate::sys::smf::{IPFILTER, SvcState, parse_svcs};

#[test]
fn parseable_listing_of_the_watched_services() {
    let (_d, host) = test_host();
    let out = run(
        &host,
        "svcs",
        &[
            "-H",
            "-o",
            "state,fmri",
            "ipfilter",
            "network/dhcp/server:ipv4",
            "zones",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "disabled        svc:/network/ipfilter:default\n\
         disabled        svc:/network/dhcp/server:ipv4\n\
         online          svc:/system/zones:default\n"
    );
    let states = parse_svcs(&out.stdout).unwrap();
    assert_eq!(states[2].state, SvcState::Online);
}

#[test]
fn unknown_patterns_are_reported_and_the_rest_listed() {
    let (_d, host) = test_host();
    let out = run(&host, "svcs", &["-H", "-o", "fmri", "nosuch", "ssh"]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        "svcs: Pattern 'nosuch' doesn't match any instances\n"
    );
    assert_eq!(out.stdout, "svc:/network/ssh:default\n");
}

#[test]
fn default_listing_shows_enabled_instances_with_a_header() {
    let (_d, host) = test_host();
    let out = run(&host, "svcs", &[]);
    let mut lines = out.stdout.lines();
    assert_eq!(lines.next(), Some("STATE          STIME    FMRI"));
    let rest: Vec<&str> = lines.collect();
    assert!(rest.iter().all(|l| l.starts_with("online ")));
    assert!(!out.stdout.contains("ipfilter"));
    let all = run(&host, "svcs", &["-a", "-H", "-o", "state,fmri"]);
    let states = parse_svcs(&all.stdout).unwrap();
    // Sorted? -o without -s keeps repository order; with -s state disabled comes first.
    assert!(states.iter().any(|s| s.fmri == IPFILTER));
    let sorted = run(
        &host,
        "svcs",
        &["-a", "-H", "-o", "state,fmri", "-s", "state"],
    );
    assert!(sorted.stdout.starts_with("disabled"));
    let rev = run(
        &host,
        "svcs",
        &["-a", "-H", "-o", "sta,svc,inst", "-S", "state"],
    );
    assert!(rev.stdout.starts_with("ON   "), "{}", rev.stdout);
}

#[test]
fn usage_and_bad_columns() {
    let (_d, host) = test_host();
    let out = run(&host, "svcs", &["-k"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .starts_with("svcs: illegal option -- k\nUsage: svcs [-aHpv]")
    );
    let out = run(&host, "svcs", &["-o", "state,bogus"]);
    assert_eq!(out.code, 1);
    assert_eq!(out.stderr, "svcs: Unknown column \"bogus\".\n");
    let out = run(&host, "svcs", &["-l"]);
    assert_eq!(out.code, 2);
}

#[test]
fn explain_and_long_listing() {
    let (_d, host) = test_host();
    run(&host, "svcadm", &["enable", "dhcp/server:ipv4"]);
    let out = run(&host, "svcs", &["-x"]);
    assert!(out.stdout.starts_with(
        "svc:/network/dhcp/server:ipv4 (ISC DHCP Server)\n State: maintenance since "
    ));
    assert!(out.stdout.contains(
        "Reason: Start method failed repeatedly, last exited with status 1.\n   \
         See: http://illumos.org/msg/SMF-8000-KS\n"
    ));
    assert!(
        out.stdout
            .ends_with("Impact: This service is not running.\n")
    );
    let out = run(&host, "svcs", &["-l", "ssh"]);
    assert!(out.stdout.starts_with(
        "fmri         svc:/network/ssh:default\nname         SSH server\nenabled      true\n\
         state        online\nnext_state   none\n"
    ));
}

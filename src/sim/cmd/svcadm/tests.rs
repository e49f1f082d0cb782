use crate::sim::run;
use crate::sim::smf::tests::test_host;

#[test]
fn patterns_must_name_one_instance() {
    let (_d, host) = test_host();
    let out = run(&host, "svcadm", &["enable", "nosuch"]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        "svcadm: Pattern 'nosuch' doesn't match any instances\n"
    );
    let out = run(&host, "svcadm", &["restart", "milestone/*"]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        "svcadm: Pattern 'milestone/*' matches multiple instances:\n\
         svcadm:     svc:/milestone/multi-user-server:default\n\
         svcadm:     svc:/milestone/multi-user:default\n"
    );
}

#[test]
fn clear_needs_maintenance_and_usage_is_status_2() {
    let (_d, host) = test_host();
    let out = run(&host, "svcadm", &["clear", "ssh"]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        "svcadm: Instance \"svc:/network/ssh:default\" is not in a maintenance or degraded state.\n"
    );
    assert_eq!(run(&host, "svcadm", &[]).code, 2);
    assert_eq!(run(&host, "svcadm", &["enable"]).code, 2);
    assert_eq!(run(&host, "svcadm", &["frob", "ssh"]).code, 2);
}

#[test]
fn temporary_disable_verbose_and_mark() {
    let (_d, host) = test_host();
    let out = run(&host, "svcadm", &["-v", "disable", "-t", "ssh"]);
    assert_eq!(
        out.stdout,
        "svc:/network/ssh:default temporarily disabled.\n"
    );
    let out = run(&host, "svcs", &["-l", "ssh"]);
    assert!(
        out.stdout
            .contains("enabled      false (temporary)\nstate        disabled\n")
    );
    run(&host, "svcadm", &["enable", "ssh"]);
    assert_eq!(
        run(&host, "svcadm", &["mark", "maintenance", "ssh"]).code,
        0
    );
    let out = run(&host, "svcs", &["-H", "-o", "state", "ssh"]);
    assert_eq!(out.stdout, "maintenance\n");
    assert_eq!(run(&host, "svcadm", &["clear", "ssh"]).code, 0);
    let out = run(&host, "svcs", &["-H", "-o", "state", "ssh"]);
    assert_eq!(out.stdout, "online\n");
}

#[test]
fn fault_injection_changes_nothing() {
    let (_d, host) = test_host();
    let host = host.with_fail(Some("svcadm disable"));
    let out = run(&host, "svcadm", &["disable", "ssh"]);
    assert_eq!(out.code, 1);
    assert_eq!(out.stderr, "svcadm: ssh: Repository read-only.\n");
    let out = run(&host, "svcs", &["-H", "-o", "state", "ssh"]);
    assert_eq!(out.stdout, "online\n");
}

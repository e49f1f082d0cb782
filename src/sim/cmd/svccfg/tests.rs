use crate::sim::run;
use crate::sim::smf::SmfStore;
use crate::sim::smf::tests::test_host;
use crate::sys::smf::{DHCP_SERVER, parse_listprop, svccfg_listprop, svccfg_setprop};

fn argv(c: crate::sys::Command) -> Vec<String> {
    c.args
}

#[test]
fn setprop_then_listprop_and_refresh_for_the_service() {
    let (_d, host) = test_host();
    let set = svccfg_setprop(
        "dhcp/server:ipv4",
        "config/listen_ifnames",
        "astring",
        &["provision_interconnect0"],
    )
    .unwrap();
    let a = argv(set);
    let a: Vec<&str> = a.iter().map(String::as_str).collect();
    let out = run(&host, "svccfg", &a);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let a = argv(svccfg_listprop(DHCP_SERVER, "config/listen_ifnames"));
    let a: Vec<&str> = a.iter().map(String::as_str).collect();
    let out = run(&host, "svccfg", &a);
    assert_eq!(
        out.stdout,
        "config/listen_ifnames  astring  provision_interconnect0\n"
    );
    assert_eq!(
        parse_listprop(&out.stdout).unwrap()[0].values,
        ["provision_interconnect0"]
    );
    // The service sees the change only after a refresh.
    let s = SmfStore::load(&host).unwrap();
    assert!(
        s.property(DHCP_SERVER, "config/listen_ifnames")
            .unwrap()
            .values
            .is_empty()
    );
    assert_eq!(
        run(&host, "svccfg", &["-s", DHCP_SERVER, "refresh"]).code,
        0
    );
    let s = SmfStore::load(&host).unwrap();
    assert_eq!(
        s.property(DHCP_SERVER, "config/listen_ifnames")
            .unwrap()
            .values,
        ["provision_interconnect0"]
    );
}

#[test]
fn lists_quoted_values_and_reports_errors() {
    let (_d, host) = test_host();
    let s = DHCP_SERVER;
    let ok = |args: &[&str]| {
        let out = run(&host, "svccfg", args);
        assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
    };
    ok(&[
        "-s",
        s,
        "setprop",
        "config/listen_ifnames",
        "=",
        "astring:",
        r#"("a b" "c")"#,
    ]);
    let out = run(
        &host,
        "svccfg",
        &["-s", s, "listprop", "config/listen_ifnames"],
    );
    assert_eq!(
        out.stdout,
        "config/listen_ifnames  astring  \"a b\" \"c\"\n"
    );
    let err = |args: &[&str], msg: &str| {
        let out = run(&host, "svccfg", args);
        assert_eq!((out.code, out.stderr.as_str()), (1, msg), "{args:?}");
    };
    err(
        &["-s", "nosuch", "listprop"],
        "svccfg: Pattern 'nosuch' doesn't match any instances or services\n",
    );
    err(
        &["-s", s, "setprop", "nopg/x", "=", "astring:", "v"],
        "svccfg: No such property group \"nopg\".\n",
    );
    err(
        &["-s", s, "setprop", "config/new", "=", "v"],
        "svccfg: Type required for new properties.\n",
    );
    err(
        &["-s", s, "setprop", "config/x", "=", "astring:", "(a)"],
        "svccfg: Multiple string values or string values with spaces must be quoted with '\"'.\n",
    );
    err(
        &["-s", s, "delprop", "config/nope"],
        "svccfg: No such property config/nope.\n",
    );
    err(&["-s", s, "frobnicate"], "svccfg: Syntax error.\n");
    err(&["listprop"], "svccfg: An entity is not selected.\n");
    ok(&["-s", s, "delprop", "config/listen_ifnames"]);
    let out = run(
        &host,
        "svccfg",
        &["-s", s, "listprop", "config/listen_ifnames"],
    );
    assert_eq!(out.stdout, "");
}

#[test]
fn service_selection_and_scripts() {
    let (_d, host) = test_host();
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("cmds");
    std::fs::write(
        &script,
        "select network/dhcp/server\naddpg config application\n\
         setprop config/x = count: 5\nlistpg\nsetprop config/x = count: nope\nlistpg\n",
    )
    .unwrap();
    let out = run(&host, "svccfg", &["-f", script.to_str().unwrap()]);
    assert_eq!(out.code, 1);
    assert_eq!(out.stdout, "config  application\n");
    assert!(
        out.stderr
            .ends_with(", line 5): Invalid \"count\" value \"nope\".\n"),
        "{}",
        out.stderr
    );
    // The changes before the error stay.
    let s = SmfStore::load(&host).unwrap();
    assert_eq!(
        s.services["svc:/network/dhcp/server"]["config"].props["x"].values,
        ["5"]
    );
    let host = host.with_fail(Some("svccfg setprop"));
    let out = run(
        &host,
        "svccfg",
        &[
            "-s",
            DHCP_SERVER,
            "setprop",
            "config/y",
            "=",
            "astring:",
            "z",
        ],
    );
    assert_eq!(
        (out.code, out.stderr.as_str()),
        (1, "svccfg: Permission denied.\n")
    );
}

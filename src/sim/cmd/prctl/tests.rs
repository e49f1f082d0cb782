use crate::sim::zones::{self, ActiveZone};
use crate::sim::{SimHost, run};
use crate::sys::prctl::{self, Privilege};
use crate::sys::zoneadm::ZoneState;
use crate::sys::zonecfg::ZoneConfig;

fn host() -> (tempfile::TempDir, SimHost) {
    let dir = tempfile::tempdir().unwrap();
    let host = crate::sim::init::init(&dir.path().join("h"), &Default::default())
        .unwrap()
        .with_speed(0.0);
    (dir, host)
}

/// A zone configured with max-lwps 2000 and capped-cpu 1.5, in the kernel in `state`.
fn zone(host: &SimHost, name: &str, state: Option<ZoneState>) {
    let mut cfg = ZoneConfig::blank(name);
    cfg.zonepath = format!("/zones/{name}");
    cfg.brand = "sparse".into();
    cfg.set_rctl("zone.max-lwps", "2000", "deny");
    cfg.set_rctl("zone.cpu-cap", "150", "deny");
    zones::save_config(host, &cfg).unwrap();
    if let Some(state) = state {
        boot(host, name, state);
    }
}

/// Enter the zone into the kernel with a fresh id (what every boot does).
fn boot(host: &SimHost, name: &str, state: ZoneState) -> u64 {
    let mut rt = zones::load_runtime(host).unwrap();
    let id = rt.allocate_id();
    rt.zones.insert(
        name.into(),
        ActiveZone {
            state,
            id,
            booted_at: crate::sim::host::now(),
            boot_count: 1,
        },
    );
    zones::save_runtime(host, &rt).unwrap();
    id
}

fn get(host: &SimHost, rctl: &str) -> Vec<prctl::RctlValue> {
    let argv = prctl::get_zone("web01", rctl).args;
    let args: Vec<&str> = argv.iter().map(String::as_str).collect();
    let out = run(host, "prctl", &args);
    assert_eq!(out.code, 0, "{}", out.stderr);
    prctl::parse(&out.stdout).unwrap()
}

fn run_cmd(host: &SimHost, cmd: &crate::sys::Command) -> crate::sim::Output {
    let args: Vec<&str> = cmd.args.iter().map(String::as_str).collect();
    run(host, &cmd.program, &args)
}

#[test]
fn the_human_table() {
    let (_d, host) = host();
    zone(&host, "web01", Some(ZoneState::Running));
    let out = run(
        &host,
        "prctl",
        &["-n", "zone.max-lwps", "-i", "zone", "web01"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let usage = prctl::usage(&get(&host, "zone.max-lwps"), "zone.max-lwps").unwrap();
    assert_eq!(
        out.stdout,
        format!(
            "zone: 1: web01\n\
             NAME    PRIVILEGE       VALUE    FLAG   ACTION                       RECIPIENT\n\
             zone.max-lwps\n        usage           {usage:>5}    \n        \
             privileged      2.00K       -   deny                                 -\n        \
             system          2.15G     max   deny                                 -\n"
        )
    );
    // Bytes scale by 1024 with a unit; cpu-cap's system value is infinite.
    let out = run(
        &host,
        "prctl",
        &["-n", "zone.max-swap", "-i", "zone", "web01"],
    );
    assert!(
        out.stdout
            .contains("        system          16.0EB    max   deny ")
    );
    let out = run(&host, "prctl", &["-n", "zone.cpu-cap", "-i", "zone", "1"]);
    assert!(out.stdout.contains("privileged        150       -   deny"));
    assert!(out.stdout.contains("system          4.29G     inf   deny"));
}

#[test]
fn every_zone_control_and_the_privilege_filter() {
    let (_d, host) = host();
    zone(&host, "web01", Some(ZoneState::Running));
    let out = run(&host, "prctl", &["-P", "-i", "zone", "web01"]);
    let values = prctl::parse(&out.stdout).unwrap();
    let names: std::collections::BTreeSet<&str> = values.iter().map(|v| v.rctl.as_str()).collect();
    assert_eq!(names.len(), 13);
    for name in [
        "zone.max-lwps",
        "zone.cpu-cap",
        "zone.max-swap",
        "zone.max-locked-memory",
        "zone.cpu-shares",
        "zone.max-processes",
    ] {
        assert!(names.contains(name), "{name}");
    }
    // The kernel's default: one cpu share.
    assert_eq!(prctl::privileged_limit(&values, "zone.cpu-shares"), Some(1));
    // -t keeps the matching values (and the usage of controls with one); nothing matched
    // prints nothing, not even the header.
    let out = run(
        &host,
        "prctl",
        &["-P", "-t", "privileged", "-i", "zone", "web01"],
    );
    let values = prctl::parse(&out.stdout).unwrap();
    let (usage, limits): (Vec<_>, Vec<_>) =
        values.iter().partition(|v| v.privilege == Privilege::Usage);
    assert!(limits.iter().all(|v| v.privilege == Privilege::Privileged));
    let limited: Vec<&str> = limits.iter().map(|v| v.rctl.as_str()).collect();
    assert_eq!(
        limited,
        ["zone.max-lwps", "zone.cpu-cap", "zone.cpu-shares"]
    );
    assert_eq!(usage.len(), 3);
    let out = run(
        &host,
        "prctl",
        &[
            "-t",
            "privileged",
            "-n",
            "zone.max-swap",
            "-i",
            "zone",
            "web01",
        ],
    );
    assert_eq!((out.code, out.stdout.as_str()), (0, ""));
}

#[test]
fn set_and_get_round_trip() {
    let (_d, host) = host();
    zone(&host, "web01", Some(ZoneState::Running));
    // A configured control is replaced.
    let out = run_cmd(&host, &prctl::set_zone("web01", "zone.max-lwps", 500));
    assert_eq!(
        (out.code, out.stdout.as_str(), out.stderr.as_str()),
        (0, "", "")
    );
    let values = get(&host, "zone.max-lwps");
    assert_eq!(prctl::privileged_limit(&values, "zone.max-lwps"), Some(500));
    assert_eq!(values[1].action.as_deref(), Some("deny"));
    // An unconfigured one has no privileged value to replace: -r fails, -s adds one.
    let values = get(&host, "zone.max-locked-memory");
    let cmd = prctl::set_zone("web01", "zone.max-locked-memory", 1 << 30);
    let out = run_cmd(&host, &cmd);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .ends_with(":\t/sbin/init\nprctl: no matching resource control to replace\n"),
        "{}",
        out.stderr
    );
    let cmd = prctl::set_zone_live("web01", "zone.max-locked-memory", 1 << 30, &values);
    assert_eq!(run_cmd(&host, &cmd).code, 0);
    let values = get(&host, "zone.max-locked-memory");
    assert_eq!(
        prctl::privileged_limit(&values, "zone.max-locked-memory"),
        Some(1 << 30)
    );
    // Memory controls always deny.
    assert_eq!(values[1].action.as_deref(), Some("deny"));
    // Scaled input, and a second identical value is refused.
    let args = [
        "-n",
        "zone.cpu-shares",
        "-t",
        "privileged",
        "-v",
        "2K",
        "-r",
        "-i",
        "zone",
        "web01",
    ];
    assert_eq!(run(&host, "prctl", &args).code, 0);
    assert_eq!(
        prctl::privileged_limit(&get(&host, "zone.cpu-shares"), "zone.cpu-shares"),
        Some(2000)
    );
    let args = [
        "-n",
        "zone.max-lwps",
        "-t",
        "privileged",
        "-v",
        "500",
        "-s",
        "-i",
        "zone",
        "web01",
    ];
    let out = run(&host, "prctl", &args);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .ends_with("prctl: resource control already exists\n")
    );
    // -x deletes a value; the system value stays.
    let args = [
        "-n",
        "zone.max-lwps",
        "-t",
        "privileged",
        "-v",
        "500",
        "-x",
        "-i",
        "zone",
        "web01",
    ];
    assert_eq!(run(&host, "prctl", &args).code, 0);
    let values = get(&host, "zone.max-lwps");
    assert_eq!(prctl::privileged_limit(&values, "zone.max-lwps"), None);
    assert_eq!(values.last().unwrap().privilege, Privilege::System);
}

#[test]
fn a_reboot_starts_from_the_configuration() {
    let (_d, host) = host();
    zone(&host, "web01", Some(ZoneState::Running));
    assert_eq!(
        run_cmd(&host, &prctl::set_zone("web01", "zone.cpu-cap", 300)).code,
        0
    );
    let cap = |host: &SimHost| prctl::privileged_limit(&get(host, "zone.cpu-cap"), "zone.cpu-cap");
    assert_eq!(cap(&host), Some(300));
    // Halt and boot: a new zone id.
    let id = boot(&host, "web01", ZoneState::Running);
    assert_eq!(id, 2);
    assert_eq!(cap(&host), Some(150));
    // The old boot's entry goes with the next change.
    assert_eq!(
        run_cmd(&host, &prctl::set_zone("web01", "zone.cpu-cap", 200)).code,
        0
    );
    let state = std::fs::read_to_string(host.state_dir().join("rctls.json")).unwrap();
    assert!(
        state.contains("\"web01:2\"") && !state.contains("\"web01:1\""),
        "{state}"
    );
}

#[test]
fn zones_that_cannot_be_reached() {
    let (_d, host) = host();
    zone(&host, "web01", None);
    zone(&host, "db01", Some(ZoneState::Ready));
    let out = run(
        &host,
        "prctl",
        &["-n", "zone.max-lwps", "-i", "zone", "web01"],
    );
    assert_eq!(
        (out.code, out.stdout.as_str(), out.stderr.as_str()),
        (1, "", "prctl: web01: unknown zone\n")
    );
    let out = run_cmd(&host, &prctl::set_zone("db01", "zone.max-lwps", 10));
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        "prctl: db01: No controllable process found in task, project, or zone.\n"
    );
    let out = run(&host, "prctl", &["-i", "zone", "nosuch"]);
    assert_eq!(
        (out.code, out.stderr.as_str()),
        (1, "prctl: nosuch: unknown zone\n")
    );
    // The last operand decides the status; output of several is separated by a blank line.
    zone(&host, "app01", Some(ZoneState::Running));
    let out = run(
        &host,
        "prctl",
        &[
            "-P",
            "-n",
            "zone.cpu-cap",
            "-i",
            "zone",
            "nosuch",
            "app01",
            "global",
        ],
    );
    assert_eq!(out.code, 0);
    assert!(
        out.stdout.contains("-\n\nzone: 0: global\n"),
        "{}",
        out.stdout
    );
    let values = prctl::parse(&out.stdout).unwrap();
    assert_eq!(values[0].zone, "app01");
    assert_eq!(values.last().unwrap().zone_id, 0);
}

#[test]
fn bad_usage_says_why() {
    let (_d, host) = host();
    zone(&host, "web01", Some(ZoneState::Running));
    let cases: &[(&[&str], &str)] = &[
        (&["-n", "zone.max-lwps"], "prctl: no arguments specified\n"),
        (
            &["-v", "5", "-i", "zone", "web01"],
            "prctl: -n is required with -s, -r, -x, -e, or -d\n",
        ),
        (
            &["-n", "zone.max-lwps", "-r", "-i", "zone", "web01"],
            "prctl: option -r requires use of option -v\n",
        ),
        (
            &[
                "-n",
                "zone.max-lwps",
                "-s",
                "-r",
                "-v",
                "1",
                "-i",
                "zone",
                "web01",
            ],
            "prctl: options -s, -r, and -x are exclusive\n",
        ),
        (
            &[
                "-P",
                "-n",
                "zone.max-lwps",
                "-t",
                "privileged",
                "-v",
                "1",
                "-r",
                "-i",
                "zone",
                "web01",
            ],
            "prctl: -P not valid when manipulating resource control values\n",
        ),
        (
            &[
                "-n",
                "zone.nosuch",
                "-t",
                "privileged",
                "-v",
                "1",
                "-r",
                "-i",
                "zone",
                "web01",
            ],
            "prctl: failed to get resource control for zone.nosuch: Invalid argument: Invalid argument\n",
        ),
        (
            &[
                "-n",
                "zone.cpu-cap",
                "-t",
                "privileged",
                "-v",
                "1.5",
                "-r",
                "-i",
                "zone",
                "web01",
            ],
            "prctl: invalid -v value 1.5\n",
        ),
        (
            &[
                "-n",
                "zone.cpu-shares",
                "-t",
                "privileged",
                "-v",
                "70000",
                "-r",
                "-i",
                "zone",
                "web01",
            ],
            "prctl: -v value 70000 exceeds system limit for resource control: zone.cpu-shares\n",
        ),
        (
            &[
                "-n",
                "zone.max-lwps",
                "-t",
                "system",
                "-v",
                "1",
                "-r",
                "-i",
                "zone",
                "web01",
            ],
            "prctl: cannot modify system values\n",
        ),
        (
            &[
                "-n",
                "zone.max-lwps",
                "-t",
                "basic",
                "-v",
                "1",
                "-s",
                "-i",
                "zone",
                "web01",
            ],
            "prctl: basic values not allowed on rctl zone.max-lwps\n",
        ),
        (
            &["-n", "zone.max-lwps", "-v", "1", "-i", "zone", "web01"],
            "prctl: -p pid required when setting or replacing task or project rctl\n",
        ),
        (
            &["-t", "owner", "-i", "zone", "web01"],
            "prctl: unknown privilege owner\n",
        ),
        (&["-i", "host", "web01"], "prctl: unknown idtype host\n"),
        (
            &["-q", "-i", "zone", "web01"],
            "prctl: illegal option -- q\nprctl: unknown option\n",
        ),
    ];
    for (args, message) in cases {
        let out = run(&host, "prctl", args);
        assert_eq!(out.code, 2, "{args:?}");
        assert!(
            out.stderr.starts_with(&format!("{message}usage:\n")),
            "{args:?}: {}",
            out.stderr
        );
        assert_eq!(out.stdout, "", "{args:?}");
    }
    // Listing an unknown control fails per zone.
    let out = run(
        &host,
        "prctl",
        &["-n", "zone.nosuch", "-i", "zone", "web01"],
    );
    assert_eq!(
        (out.code, out.stderr.as_str()),
        (
            1,
            "prctl: failed to get resource control for zone.nosuch: Invalid argument\n"
        )
    );
    // Processes, tasks and projects are not emulated.
    for args in [
        &["1"][..],
        &["-i", "project", "default"],
        &[
            "-n",
            "zone.max-lwps",
            "-t",
            "privileged",
            "-e",
            "deny",
            "-i",
            "zone",
            "web01",
        ],
    ] {
        let out = run(&host, "prctl", args);
        assert_eq!(out.code, 2, "{args:?}");
        assert!(out.stderr.starts_with("usage:\n"), "{args:?}");
    }
}

#[test]
fn an_injected_failure_changes_nothing() {
    let (_d, host) = host();
    zone(&host, "web01", Some(ZoneState::Running));
    let failing = host.clone().with_fail(Some("prctl -r"));
    let out = run_cmd(&failing, &prctl::set_zone("web01", "zone.cpu-cap", 400));
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        "prctl: web01: No controllable process found in task, project, or zone.\n"
    );
    assert_eq!(
        prctl::privileged_limit(&get(&host, "zone.cpu-cap"), "zone.cpu-cap"),
        Some(150)
    );
    // The rule fails the first matching invocation only.
    assert_eq!(
        run_cmd(&failing, &prctl::set_zone("web01", "zone.cpu-cap", 400)).code,
        0
    );
}

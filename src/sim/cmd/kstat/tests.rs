use crate::sim::zones::{self, ActiveZone};
use crate::sim::{SimHost, run};
use crate::sys::kstat::{parse_boot_time, parse_p, parse_zone_boot_times, zone_boot_times};
use crate::sys::zoneadm::ZoneState;

fn host() -> (tempfile::TempDir, SimHost) {
    let dir = tempfile::tempdir().unwrap();
    let host = crate::sim::init::init(&dir.path().join("h"), &Default::default())
        .unwrap()
        .with_speed(0.0);
    (dir, host)
}

#[test]
fn boot_time_comes_from_the_host() {
    let (_d, host) = host();
    let boot = host.info().unwrap().boot_time;
    let out = run(&host, "kstat", &["-p", "unix:0:system_misc:boot_time"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        format!("unix:0:system_misc:boot_time\t{boot}\n")
    );
    assert_eq!(out.stderr, "");
    assert_eq!(parse_boot_time(&out.stdout), Ok(boot));
}

#[test]
fn a_partial_selector_lists_the_whole_kstat_sorted() {
    let (_d, host) = host();
    let info = host.info().unwrap();
    let out = run(&host, "kstat", &["-p", "unix:0:system_misc:"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let stats = parse_p(&out.stdout).unwrap();
    let names: Vec<&str> = stats.iter().map(|s| s.statistic.as_str()).collect();
    assert_eq!(
        names,
        [
            "avenrun_15min",
            "avenrun_1min",
            "avenrun_5min",
            "boot_time",
            "class",
            "clk_intr",
            "crtime",
            "deficit",
            "lbolt",
            "ncpus",
            "nproc",
            "snaptime",
            "vac"
        ]
    );
    let value = |name: &str| {
        stats
            .iter()
            .find(|s| s.statistic == name)
            .map(|s| s.value.clone())
            .unwrap()
    };
    assert_eq!(value("ncpus"), info.ncpus.to_string());
    assert_eq!(value("class"), "misc");
    assert_eq!(value("crtime"), "0");
    // snaptime is the uptime as an hrtime in seconds with nine decimals; lbolt counts
    // 100 Hz ticks over the same time.
    let snaptime = value("snaptime");
    let (secs, frac) = snaptime.split_once('.').unwrap();
    assert_eq!(frac.len(), 9);
    let uptime = crate::sim::host::now() - info.boot_time;
    assert!(
        (secs.parse::<i64>().unwrap() - uptime).abs() <= 2,
        "{snaptime}"
    );
    let lbolt: i64 = value("lbolt").parse().unwrap();
    assert!((lbolt / 100 - uptime).abs() <= 2, "{lbolt}");
    // Every other way of naming the same kstat gives the same statistics.
    for args in [
        &["-p", "unix:0:system_misc"][..],
        &["-p", "-m", "unix", "-n", "system_misc"],
        &["-p", "unix::system_misc"],
        &["-p", "-c", "misc"],
        &["-p", "unix:"],
    ] {
        let out = run(&host, "kstat", args);
        assert_eq!(parse_p(&out.stdout).unwrap().len(), 13, "{args:?}");
    }
    // Everything: system_misc and the global zone's zone_misc.
    let out = run(&host, "kstat", &["-p"]);
    assert_eq!(parse_p(&out.stdout).unwrap().len(), 13 + 18);
}

#[test]
fn globs_names_only_colons_and_quiet() {
    let (_d, host) = host();
    // The host's load averages and the global zone's.
    let out = run(&host, "kstat", &["-p", "-s", "avenrun_*"]);
    assert_eq!(out.stdout.lines().count(), 6);
    assert!(out.stdout.starts_with("unix:0:system_misc:avenrun_15min\t"));
    assert!(out.stdout.contains("\nzones:0:global:avenrun_15min\t"));
    let out = run(&host, "kstat", &["-l", "unix:0:system_misc:n?[a-z]*"]);
    assert_eq!(
        out.stdout,
        "unix:0:system_misc:ncpus\nunix:0:system_misc:nproc\n"
    );
    let out = run(&host, "kstat", &["-C", "unix:0:system_misc:ncpus"]);
    assert_eq!(out.stdout, "unix:0:system_misc:ncpus:16\n");
    let out = run(&host, "kstat", &["-q", "unix:0:system_misc:ncpus"]);
    assert_eq!((out.code, out.stdout.as_str()), (0, ""));
    // Two selectors print what each picks, duplicates included.
    let out = run(
        &host,
        "kstat",
        &["-p", "unix:0:system_misc:ncpus", "unix:*:*:ncpus"],
    );
    assert_eq!(out.stdout.lines().count(), 2);
}

#[test]
fn the_human_form() {
    let (_d, host) = host();
    let out = run(&host, "kstat", &["unix:0:system_misc:ncpus"]);
    assert_eq!(out.code, 0);
    assert_eq!(
        out.stdout,
        "module: unix                            instance: 0     \n\
         name:   system_misc                     class:    misc\n\
         \tncpus                           16\n\
         \n"
    );
    // No `class` statistic outside the parseable forms.
    let out = run(&host, "kstat", &["-m", "unix"]);
    assert_eq!(out.stdout.lines().count(), 2 + 12 + 1);
    assert!(!out.stdout.contains("\tclass"));
}

#[test]
fn nothing_matched_prints_nothing_and_fails() {
    let (_d, host) = host();
    for args in [
        &["-p", "unix:0:system_misc:nosuch"][..],
        &["-p", "nfs:"],
        &["-p", "unix:1:system_misc"],
        &["-p", "-c", "net"],
        &["-q", "zfs:0:arcstats:size"],
        // Options after the first operand are operands: `-c` and `misc` select modules.
        &["-p", "nosuch:", "-c", "misc"],
    ] {
        let out = run(&host, "kstat", args);
        assert_eq!(
            (out.code, out.stdout.as_str(), out.stderr.as_str()),
            (1, "", ""),
            "{args:?}"
        );
    }
}

#[test]
fn the_running_zones_count_in_nproc() {
    let (_d, host) = host();
    let nproc = |host: &SimHost| {
        run(host, "kstat", &["-p", "unix:0:system_misc:nproc"])
            .stdout
            .trim_end()
            .rsplit_once('\t')
            .unwrap()
            .1
            .parse::<u64>()
            .unwrap()
    };
    let before = nproc(&host);
    let mut rt = zones::load_runtime(&host).unwrap();
    rt.zones.insert(
        "web01".into(),
        ActiveZone {
            state: ZoneState::Running,
            id: 1,
            booted_at: crate::sim::host::now(),
            boot_count: 1,
        },
    );
    zones::save_runtime(&host, &rt).unwrap();
    assert!(nproc(&host) > before);
}

#[test]
fn bad_usage_and_what_is_not_emulated() {
    let (_d, host) = host();
    let usage = "Usage:\nkstat [ -Cjlpq ] [ -T d|u ] [ -c class ]\n";
    let out = run(&host, "kstat", &["-q", "-p"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .starts_with(&format!("-q and -lpj are mutually exclusive\n{usage}"))
    );
    let out = run(&host, "kstat", &["-p", "a:b:c:d:e"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.starts_with(usage));
    let out = run(&host, "kstat", &["-m", "unix", "unix:0"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.starts_with(
        "[module[:instance[:name[:statistic]]]] and -m -i -n -s are mutually exclusiveUsage:\n"
    ));
    // A bad option goes the way of -h: usage, status 0.
    let out = run(&host, "kstat", &["-x"]);
    assert_eq!(out.code, 0);
    assert!(
        out.stderr
            .starts_with(&format!("kstat: illegal option -- x\n{usage}"))
    );
    for args in [
        &["-j"][..],
        &["-p", "unix:", "5"],
        &["-T", "u"],
        &["-p", "/unix/:"],
    ] {
        let out = run(&host, "kstat", args);
        assert_eq!(out.code, 2, "{args:?}");
        assert!(out.stderr.starts_with(usage), "{args:?}");
        assert_eq!(out.stdout, "");
    }
}

/// Put zones in the kernel: (name, state, booted_at).
fn in_kernel(host: &SimHost, zones_: &[(&str, ZoneState, i64)]) {
    let mut rt = zones::load_runtime(host).unwrap();
    for (name, state, booted_at) in zones_ {
        let id = rt.allocate_id();
        rt.zones.insert(
            name.to_string(),
            ActiveZone {
                state: *state,
                id,
                booted_at: *booted_at,
                boot_count: 1,
            },
        );
    }
    zones::save_runtime(host, &rt).unwrap();
}

#[test]
fn zone_boot_times_one_line_per_zone_in_the_kernel() {
    let (_d, host) = host();
    let boot = host.info().unwrap().boot_time;
    let long = "build-runner-0001.example.internal";
    in_kernel(
        &host,
        &[
            ("web01", ZoneState::Running, boot + 100),
            ("db01", ZoneState::Ready, 0),
            (long, ZoneState::Running, boot + 300),
            ("scratch", ZoneState::Mounted, 0),
        ],
    );
    let out = run(&host, "kstat", &["-p", "zones:::boot_time"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        format!(
            "zones:0:global:boot_time\t{boot}\n\
             zones:1:web01:boot_time\t{}\n\
             zones:2:db01:boot_time\t0\n\
             zones:3:build-runner-0001.example.inte:boot_time\t{}\n",
            boot + 100,
            boot + 300
        )
    );
    let out2 = run(&host, "kstat", &["-p", "-m", "zones", "-s", "boot_time"]);
    assert_eq!(out2.stdout, out.stdout);
    // zcon's command: the full names come from the zonename statistic.
    let cmd = zone_boot_times();
    let args: Vec<&str> = cmd.args.iter().map(String::as_str).collect();
    let out = run(&host, "kstat", &args);
    let times = parse_zone_boot_times(&out.stdout).unwrap();
    assert_eq!(times.len(), 4);
    assert_eq!(times["global"], boot);
    assert_eq!(times["web01"], boot + 100);
    assert_eq!(times["db01"], 0);
    assert_eq!(times[long], boot + 300);
}

#[test]
fn a_zone_misc_kstat_whole() {
    let (_d, host) = host();
    let boot = host.info().unwrap().boot_time;
    in_kernel(&host, &[("web01", ZoneState::Running, boot + 60)]);
    let out = run(&host, "kstat", &["-p", "zones:1:web01:"]);
    let stats = parse_p(&out.stdout).unwrap();
    let names: Vec<&str> = stats.iter().map(|s| s.statistic.as_str()).collect();
    assert_eq!(
        names,
        [
            "avenrun_15min",
            "avenrun_1min",
            "avenrun_5min",
            "boot_time",
            "class",
            "crtime",
            "forkfail_cap",
            "forkfail_misc",
            "forkfail_nomem",
            "forkfail_noproc",
            "init_pid",
            "mapfail_seglim",
            "nested_interp",
            "nsec_sys",
            "nsec_user",
            "nsec_waitrq",
            "snaptime",
            "zonename"
        ]
    );
    let value = |name: &str| &stats.iter().find(|s| s.statistic == name).unwrap().value;
    assert_eq!(value("class"), "zone_misc");
    assert_eq!(value("zonename"), "web01");
    let pid: u32 = value("init_pid").parse().unwrap();
    assert!(pid > 1);
    // Created at the boot, a minute into the host's uptime.
    let crtime: f64 = value("crtime").parse().unwrap();
    assert!((crtime - 60.0).abs() < 1.0, "{crtime}");
    let user: u64 = value("nsec_user").parse().unwrap();
    assert!(user > 0);
    // The same kstat by class, and in the human form (no class statistic there).
    let out = run(&host, "kstat", &["-p", "-c", "zone_misc", "-i", "1"]);
    assert_eq!(parse_p(&out.stdout).unwrap().len(), 18);
    let out = run(&host, "kstat", &["zones:1::zonename"]);
    assert_eq!(
        out.stdout,
        "module: zones                           instance: 1     \n\
         name:   web01                           class:    zone_misc\n\
         \tzonename                        web01\n\
         \n"
    );
    // A zone that is only ready has not booted and has no init yet.
    in_kernel(&host, &[("db01", ZoneState::Ready, 0)]);
    let out = run(&host, "kstat", &["-p", "zones:2::init_pid"]);
    assert_eq!(out.stdout, "zones:2:db01:init_pid\t4294967295\n");
}

#[test]
fn thousands_of_zones_in_one_read() {
    let (_d, host) = host();
    let boot = host.info().unwrap().boot_time;
    let names: Vec<String> = (0..2000).map(|i| format!("z{i:04}")).collect();
    let zones_: Vec<(&str, ZoneState, i64)> = names
        .iter()
        .map(|n| (n.as_str(), ZoneState::Running, boot + 10))
        .collect();
    in_kernel(&host, &zones_);
    let cmd = zone_boot_times();
    let args: Vec<&str> = cmd.args.iter().map(String::as_str).collect();
    let out = run(&host, "kstat", &args);
    assert_eq!(out.stdout.lines().count(), 2 * 2001);
    let times = parse_zone_boot_times(&out.stdout).unwrap();
    assert_eq!(times.len(), 2001);
    assert_eq!(times["z1999"], boot + 10);
    // The unix kstat alone does not read the zones' names.
    let out = run(&host, "kstat", &["-p", "unix:0:system_misc:nproc"]);
    assert_eq!(
        out.stdout,
        format!("unix:0:system_misc:nproc\t{}\n", 64 + 31 * 2000)
    );
}

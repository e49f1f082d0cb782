use crate::sim::smf::SmfStore;
use crate::sim::zones::{self, ActiveZone};
use crate::sim::{SimHost, run};
use crate::sys::rcapadm::set_zone_cap;
use crate::sys::smf::RCAP;
use crate::sys::zoneadm::ZoneState;

use super::super::prctl::live::LiveCaps;
use super::str_to_bytes;

/// A host with rcapd installed (disabled, as OmniOS ships it) and `web01` running.
fn host() -> (tempfile::TempDir, SimHost) {
    let dir = tempfile::tempdir().unwrap();
    let host = crate::sim::init::init(&dir.path().join("h"), &Default::default())
        .unwrap()
        .with_speed(0.0);
    let mut smf = SmfStore::load(&host).unwrap();
    smf.add_service(RCAP, false);
    smf.save(&host).unwrap();
    let mut rt = zones::load_runtime(&host).unwrap();
    let id = rt.allocate_id();
    rt.zones.insert(
        "web01".into(),
        ActiveZone {
            state: ZoneState::Running,
            id,
            booted_at: crate::sim::host::now(),
            boot_count: 1,
        },
    );
    zones::save_runtime(&host, &rt).unwrap();
    (dir, host)
}

fn cap(host: &SimHost) -> Option<u64> {
    let live = LiveCaps::load(host).unwrap();
    live.zones.get("web01:1").and_then(|z| z.phys_mcap)
}

fn set(host: &SimHost, zone: &str, size: &str) -> crate::sim::Output {
    run(host, "rcapadm", &["-z", zone, "-m", size])
}

#[test]
fn sets_and_removes_a_running_zones_cap() {
    let (_d, host) = host();
    let cmd = set_zone_cap("web01", 512 << 20);
    let args: Vec<&str> = cmd.args.iter().map(String::as_str).collect();
    let out = run(&host, "rcapadm", &args);
    assert_eq!(
        (out.code, out.stdout.as_str(), out.stderr.as_str()),
        (0, "", "")
    );
    assert_eq!(cap(&host), Some(512 << 20));
    assert_eq!(set(&host, "web01", "1.5g").code, 0);
    assert_eq!(cap(&host), Some(3 << 29));
    assert_eq!(set(&host, "web01", "0").code, 0);
    assert_eq!(cap(&host), None);
}

#[test]
fn the_cap_goes_with_the_boot() {
    let (_d, host) = host();
    assert_eq!(set(&host, "web01", "2G").code, 0);
    let mut rt = zones::load_runtime(&host).unwrap();
    rt.zones.get_mut("web01").unwrap().id = rt.allocate_id();
    zones::save_runtime(&host, &rt).unwrap();
    assert_eq!(set(&host, "web01", "1G").code, 0);
    let live = LiveCaps::load(&host).unwrap();
    let keys: Vec<&String> = live.zones.keys().collect();
    assert_eq!(keys, ["web01:2"]);
    assert_eq!(live.zones["web01:2"].phys_mcap, Some(1 << 30));
}

#[test]
fn zone_not_running_and_bad_sizes() {
    let (_d, host) = host();
    let out = set(&host, "db01", "1G");
    assert_eq!(
        (out.code, out.stderr.as_str()),
        (1, "zone 'db01' must be running\n")
    );
    // The zone is checked before the size.
    let out = set(&host, "db01", "lots");
    assert_eq!(out.stderr, "zone 'db01' must be running\n");
    for bad in ["lots", "2GB", "1X", "-1G"] {
        let out = set(&host, "web01", bad);
        assert_eq!(
            (out.code, out.stderr.as_str()),
            (1, "invalid max-rss value\n"),
            "{bad}"
        );
    }
    assert_eq!(cap(&host), None);
}

#[test]
fn sizes_read_like_libzonecfg() {
    assert_eq!(str_to_bytes("512M"), Some(512 << 20));
    assert_eq!(str_to_bytes("2 g"), Some(2 << 30));
    assert_eq!(str_to_bytes("1.5T"), Some(3 << 39));
    assert_eq!(str_to_bytes("4096"), Some(4096));
    assert_eq!(str_to_bytes("0"), Some(0));
    // strtold reads no number as 0.
    assert_eq!(str_to_bytes("G"), Some(0));
    assert_eq!(str_to_bytes(""), Some(0));
    assert_eq!(str_to_bytes("2GB"), None);
}

#[test]
fn status_enable_and_configuration() {
    let (_d, host) = host();
    let out = run(&host, "rcapadm", &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "                                      state: disabled\n           \
         memory cap enforcement threshold: 0%\n                    \
         process scan rate (sec): 15\n                 \
         reconfiguration rate (sec): 60\n                          \
         report rate (sec): 5\n                    \
         RSS sampling rate (sec): 5\n"
    );
    let out = run(
        &host,
        "rcapadm",
        &["-E", "-c", "80", "-i", "scan=30,report=0"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .starts_with(&format!("{}state: enabled\n", " ".repeat(38)))
    );
    assert!(out.stdout.contains("threshold: 80%\n"));
    assert!(out.stdout.contains("process scan rate (sec): 30\n"));
    assert!(out.stdout.contains("report rate (sec): 0\n"));
    assert!(SmfStore::load(&host).unwrap().instances[RCAP].enabled);
}

#[test]
fn bad_usage_and_injected_failures() {
    let (_d, host) = host();
    for args in [
        &["-z", "web01"][..],
        &["-m", "1G"],
        &["-z", "web01", "-m", "1G", "-c", "50"],
        &["-c", "101"],
        &["-i", "scan=0"],
        &["-i", "often=5"],
        &["extra"],
        &["-x"],
        &["-n", "-E"],
    ] {
        let out = run(&host, "rcapadm", args);
        assert_eq!(out.code, 2, "{args:?}");
        assert!(out.stderr.contains("usage: rcapadm\n"), "{args:?}");
    }
    let failing = host.clone().with_fail(Some("rcapadm -z"));
    let out = set(&failing, "web01", "1G");
    assert_eq!(
        (out.code, out.stderr.as_str()),
        (1, "could not set memory cap for zone 'web01'\n")
    );
    assert_eq!(cap(&host), None);
    // Without rcapd's service there is no configuration to read.
    let mut smf = SmfStore::load(&host).unwrap();
    smf.instances.remove(RCAP);
    smf.save(&host).unwrap();
    let out = run(&host, "rcapadm", &[]);
    assert_eq!(
        (out.code, out.stderr.as_str()),
        (1, "rcapadm: resource caps not configured\n")
    );
}

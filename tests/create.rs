//! `zcon zone create --spec` and `zcon zone export` through the real binary on a sim host.

use std::process::Output;

#[path = "support/cli_host.rs"]
mod cli_host;
use cli_host::{Host, host, zcon};

fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const SPEC: &str = r#"{
  "name": "vm7",
  "brand": "bhyve",
  "attrs": {"ram": "2G", "vcpus": "2"},
  "boot_volume": {"kind": "new", "dataset": "rpool/zones/vm7/root", "size": "20G", "sparse": true},
  "nics": [{"physical": "vm7_0", "global_nic": "igb0"}],
  "cdroms": ["/data/iso/debian-12.8.0-amd64-netinst.iso"],
  "cloud_init": {"enabled": "on", "password": "Tr0ub4dor&3", "sshkey": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4f ops@hv-01"},
  "start_after_create": true
}"#;

fn write_spec(h: &Host, name: &str, body: &str) -> String {
    let path = h.dir.path().join(name);
    std::fs::write(&path, body).unwrap();
    path.to_str().unwrap().to_string()
}

fn zone_line(h: &Host, zone: &str) -> Option<String> {
    let (out, _) = text(&zcon(&h.sim, &["list", "zones"]));
    out.lines()
        .find(|l| l.split_whitespace().next() == Some(zone))
        .map(str::to_string)
}

#[test]
fn dry_run_shows_the_stages_and_scripts_without_the_password() {
    let h = host();
    let spec = write_spec(&h, "vm7.json", SPEC);
    let out = zcon(&h.sim, &["zone", "create", "--spec", &spec, "--dry-run"]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    for line in [
        "# 10% Preparing storage (ZFS volumes)",
        "zfs create rpool/zones/vm7",
        "zfs create -s -o zcon:zone=vm7 -V 20G rpool/zones/vm7/root",
        "# 40% Applying zone configuration",
        "# 70% Configuring CD-ROMs",
        "# 80% Configuring cloud-init",
        "zoneadm -z vm7 install",
        "# boot vm7: 1 step(s)",
    ] {
        assert!(stdout.contains(line), "{line:?} missing:\n{stdout}");
    }
    assert!(!stdout.contains("Tr0ub4dor"), "{stdout}");
    assert!(stdout.contains("set value=\"********\""), "{stdout}");
    assert!(zone_line(&h, "vm7").is_none(), "nothing was created");
}

#[test]
fn a_bad_spec_names_every_problem_and_changes_nothing() {
    let h = host();
    let bad = SPEC
        .replace("\"vm7\"", "\"web01\"")
        .replace("20G", "20X")
        .replace("\"vm7_0\"", "\"vm7-nic\"")
        .replace("debian-12.8.0-amd64-netinst.iso", "missing.iso");
    let spec = write_spec(&h, "bad.json", &bad);
    let out = zcon(&h.sim, &["zone", "create", "--spec", &spec]);
    let (_, stderr) = text(&out);
    assert!(!out.status.success());
    for fragment in [
        "name: a zone named 'web01' already exists",
        "boot_volume.size:",
        "nics[0].physical: 'vm7-nic' contains '-'",
        "cdroms[0]: there is no file /data/iso/missing.iso",
        "nothing was changed",
    ] {
        assert!(stderr.contains(fragment), "{fragment:?} missing:\n{stderr}");
    }
    let typo = write_spec(
        &h,
        "typo.json",
        r#"{"name":"x1","brand":"bhyve","rma":"2G"}"#,
    );
    let (_, stderr) = text(&zcon(&h.sim, &["zone", "create", "--spec", &typo]));
    assert!(stderr.contains("unknown field `rma`"), "{stderr}");
    assert!(!h.sim.join("zcon-state/tasks.jsonl").exists());
}

#[test]
fn create_then_boot_and_export_round_trips() {
    let h = host();
    let spec = write_spec(&h, "vm7.json", SPEC);
    let out = zcon(&h.sim, &["zone", "create", "--spec", &spec, "--wait"]);
    let (_, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    let line = zone_line(&h, "vm7").expect("vm7 exists");
    assert!(line.contains(" running "), "{line}");
    let out = zcon(&h.sim, &["zone", "export", "vm7"]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("password of vm7 is not exported"),
        "{stderr}"
    );
    let exported: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(exported["attrs"]["ram"], "2G");
    assert_eq!(exported["boot_volume"]["kind"], "existing");
    assert_eq!(exported["boot_volume"]["dataset"], "rpool/zones/vm7/root");
    assert_eq!(exported["nics"][0]["global_nic"], "igb0");
    assert!(exported["cloud_init"].get("password").is_none());
    assert!(!stdout.contains("Tr0ub4dor"));
    for file in ["tasks.jsonl", "audit.log"] {
        let log = std::fs::read_to_string(h.sim.join("zcon-state").join(file)).unwrap();
        assert!(!log.contains("Tr0ub4dor"), "{file}");
    }
}

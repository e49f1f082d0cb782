//! `zcon zone create|modify|delete|clone` through the real binary on a sim host: the plans
//! (snapshots of `--dry-run`), what they do to the host, and what they refuse.

use std::process::Command;

#[path = "support/cli_host.rs"]
mod cli_host;
use cli_host::{Host, host, zcon};

/// Run and expect success; stdout and stderr.
fn ok(h: &Host, args: &[&str]) -> (String, String) {
    let out = zcon(&h.sim, args);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    assert!(out.status.success(), "zcon {args:?}: {stderr}");
    (stdout, stderr)
}

/// Run and expect failure; stderr.
fn fails(h: &Host, args: &[&str]) -> String {
    let out = zcon(&h.sim, args);
    assert!(!out.status.success(), "zcon {args:?} should fail");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn spec(h: &Host, name: &str, body: &str) -> String {
    let path = h.dir.path().join(name);
    std::fs::write(&path, body).unwrap();
    path.to_str().unwrap().to_string()
}

fn export(h: &Host, zone: &str) -> serde_json::Value {
    let (out, _) = ok(h, &["zone", "export", zone]);
    serde_json::from_str(&out).unwrap()
}

fn datasets(h: &Host) -> String {
    ok(h, &["list", "datasets"]).0
}

fn has_dataset(h: &Host, name: &str) -> bool {
    datasets(h)
        .lines()
        .any(|l| l.split_whitespace().next() == Some(name))
}

fn dry_run(h: &Host, args: &[&str]) -> String {
    let mut all = args.to_vec();
    all.push("--dry-run");
    ok(h, &all).0
}

#[test]
fn create_plans_for_each_boot_volume_kind() {
    let h = host();
    let variants = [
        (
            "new",
            r#"{"name": "vm1", "brand": "bhyve", "ram": "2G", "vcpus": "2",
                "boot_volume": {"create_new": true, "pool": "rpool", "dataset": "zones",
                                "volume_name": "root", "size": "30G", "sparse": true},
                "nics": [{"physical": "vm1_0", "global_nic": "igb0"}],
                "cdroms": [{"path": "/data/iso/debian-12.8.0-amd64-netinst.iso"}]}"#,
        ),
        (
            "existing",
            r#"{"name": "vm1", "brand": "bhyve", "ram": "4G",
                "boot_volume": {"create_new": false, "existing_dataset": "rpool/templates/debian-12"}}"#,
        ),
        (
            "template",
            r#"{"name": "vm1", "brand": "bhyve",
                "source": {"type": "template", "template_dataset": "rpool/templates/omnios-r151054",
                           "clone_strategy": "clone"},
                "boot_volume": {"pool": "rpool", "dataset": "zones", "volume_name": "root"}}"#,
        ),
        (
            "template_copy",
            r#"{"name": "vm1", "brand": "bhyve",
                "source": {"type": "template", "template_dataset": "rpool/templates/omnios-r151054",
                           "clone_strategy": "copy"},
                "boot_volume": {"pool": "data", "dataset": "vms", "volume_name": "root"}}"#,
        ),
        (
            "none",
            r#"{"name": "vm1", "brand": "bhyve", "ram": "2G", "start_after_create": true}"#,
        ),
    ];
    for (kind, body) in variants {
        let file = spec(&h, &format!("{kind}.json"), body);
        let plan = dry_run(&h, &["zone", "create", "--spec", &file]);
        insta::assert_snapshot!(format!("create_{kind}"), plan);
    }
}

fn zfs_list(h: &Host, args: &[&str]) -> String {
    let out = Command::new(h.sim.join("bin/zfs"))
        .arg("list")
        .args(args)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_template_copy_stands_alone_in_any_pool_and_goes_with_cleanup() {
    let h = host();
    let body = |strategy: &str| {
        format!(
            r#"{{"name": "vm6", "brand": "bhyve", "ram": "1G",
                "source": {{"type": "template", "template_dataset": "rpool/templates/debian-12",
                           "clone_strategy": "{strategy}"}},
                "boot_volume": {{"pool": "data", "dataset": "vms", "volume_name": "root"}}}}"#
        )
    };
    // A clone cannot leave its snapshot's pool; the error offers the copy.
    let clone = spec(&h, "clone.json", &body("clone"));
    let err = fails(&h, &["zone", "create", "--spec", &clone, "--dry-run"]);
    assert!(
        err.contains("a clone stays in its snapshot's pool"),
        "{err}"
    );
    assert!(err.contains("or copy the template"), "{err}");

    let copy = spec(&h, "copy.json", &body("copy"));
    ok(&h, &["zone", "create", "--spec", &copy, "--wait"]);
    let root = "data/vms/vm6/root";
    assert_eq!(
        zfs_list(
            &h,
            &["-Hp", "-t", "all", "-o", "name,origin,volsize", "-r", root]
        ),
        format!(
            "{root}\t-\t{}\n{root}@base\t-\t{}\n",
            10u64 << 30,
            10u64 << 30
        ),
        "an independent volume (no origin) with the template's snapshot"
    );
    assert_eq!(
        zfs_list(&h, &["-H", "-o", "zcon:zone", root]),
        "vm6\n",
        "tagged as the zone's, for cleanup"
    );
    assert_eq!(export(&h, "vm6")["boot_volume"]["dataset"], root);
    ok(
        &h,
        &[
            "zone",
            "delete",
            "vm6",
            "--cleanup-datasets",
            "--yes",
            "--wait",
        ],
    );
    assert_eq!(
        zfs_list(&h, &["-H", "-t", "all", "-o", "name", "-r", root]),
        ""
    );
    assert!(has_dataset(&h, "rpool/templates/debian-12"));
}

#[test]
fn modify_changes_only_what_differs_and_marks_what_waits_for_a_boot() {
    let h = host();
    let file = spec(
        &h,
        "m.json",
        r#"{"vcpus": "4", "vnc": "off",
            "add_nics": [{"physical": "web01_1", "global_nic": "igb0"}],
            "add_disks": [{"create_new": true, "volume_name": "data", "size": "5G"}],
            "caps": {"max_lwps": 3000}}"#,
    );
    let plan = dry_run(&h, &["zone", "modify", "web01", "--spec", &file]);
    insta::assert_snapshot!("modify_web01", plan);
    let (_, stderr) = ok(&h, &["zone", "modify", "web01", "--spec", &file, "--wait"]);
    assert!(
        stderr.contains("vcpus: 2 → 4  (at the next boot)"),
        "{stderr}"
    );
    assert!(stderr.contains("web01 is running"), "{stderr}");
    let spec = export(&h, "web01");
    assert_eq!(spec["attrs"]["vcpus"], "4");
    assert_eq!(spec["attrs"]["vnc"], "off");
    assert_eq!(spec["attrs"]["ram"], "4G", "ram was not asked to change");
    assert_eq!(spec["caps"]["max_lwps"], 3000);
    let nics: Vec<&str> = spec["nics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["physical"].as_str().unwrap())
        .collect();
    assert_eq!(nics, ["web01_0", "web01_1"]);
    assert!(has_dataset(&h, "rpool/zones/web01/data"));
    // The same spec again changes nothing more: it is refused as such.
    let again = spec_file_for_same(&h);
    let err = fails(&h, &["zone", "modify", "web01", "--spec", &again]);
    assert!(err.contains("nothing to change"), "{err}");
}

fn spec_file_for_same(h: &Host) -> String {
    spec(h, "same.json", r#"{"vcpus": "4"}"#)
}

#[test]
fn modify_removes_nics_and_disks_by_name_and_keeps_the_volume() {
    let h = host();
    // db01 has a boot disk and data disks; remove one disk and its NIC.
    let before = export(&h, "db01");
    let disks = before["disks"].as_array().unwrap().len();
    assert!(disks >= 1, "{before}");
    let removed = before["disks"][0]["dataset"].as_str().unwrap().to_string();
    let file = spec(
        &h,
        "rm.json",
        r#"{"remove_disks": ["disk0"], "remove_nics": ["db01_0"]}"#,
    );
    ok(&h, &["zone", "modify", "db01", "--spec", &file, "--wait"]);
    let after = export(&h, "db01");
    assert!(after.get("nics").is_none(), "{after}");
    let left = after["disks"].as_array().map_or(0, |d| d.len());
    assert_eq!(left, disks - 1);
    assert!(has_dataset(&h, &removed), "a detached disk's volume stays");
}

#[test]
fn modify_refuses_bad_values_and_renames() {
    let h = host();
    let bad = spec(
        &h,
        "bad.json",
        r#"{"ram": "lots", "add_nics": [{"physical": "bad;name", "mac": "zz"}]}"#,
    );
    let err = fails(&h, &["zone", "modify", "web01", "--spec", &bad]);
    assert!(err.contains("attrs.ram"), "{err}");
    assert!(err.contains("nics[1].physical"), "{err}");
    assert!(err.contains("nics[1].mac"), "{err}");
    assert!(err.contains("nothing was changed"), "{err}");
    let rename = spec(&h, "rename.json", r#"{"name": "web99"}"#);
    let err = fails(&h, &["zone", "modify", "web01", "--spec", &rename]);
    assert!(err.contains("not renamed"), "{err}");
    let unknown = spec(&h, "unknown.json", r#"{"ramm": "2G"}"#);
    let err = fails(&h, &["zone", "modify", "web01", "--spec", &unknown]);
    assert!(err.contains("unknown field `ramm`"), "{err}");
}

#[test]
fn delete_needs_yes_and_lists_what_goes_and_what_stays() {
    let h = host();
    let plan = dry_run(&h, &["zone", "delete", "web01"]);
    insta::assert_snapshot!("delete_web01", plan);
    let err = fails(&h, &["zone", "delete", "web01"]);
    assert!(err.contains("--yes"), "{err}");
    assert!(
        err.contains("destroyed by the uninstall: rpool/zones/web01/root"),
        "{err}"
    );
    assert!(
        ok(&h, &["list", "zones"]).0.contains("web01"),
        "nothing was deleted"
    );
    ok(&h, &["zone", "delete", "web01", "--yes", "--wait"]);
    assert!(!ok(&h, &["list", "zones"]).0.contains("web01 "));
}

#[test]
fn cleanup_destroys_only_the_volumes_zcon_made_for_the_zone() {
    let h = host();
    // A volume outside the zonepath made for the zone, and an existing one attached.
    let file = spec(
        &h,
        "vm.json",
        r#"{"name": "vm5", "brand": "bhyve", "ram": "1G",
            "boot_volume": {"kind": "new", "dataset": "data/vms/vm5/root", "size": "1G"},
            "disks": [{"kind": "existing", "dataset": "rpool/templates/debian-12"}]}"#,
    );
    ok(&h, &["zone", "create", "--spec", &file, "--wait"]);
    assert!(has_dataset(&h, "data/vms/vm5/root"));
    // Without cleanup, both stay.
    let plan = dry_run(&h, &["zone", "delete", "vm5"]);
    assert!(!plan.contains("zfs destroy"), "{plan}");
    let (_, stderr) = ok(
        &h,
        &["zone", "delete", "vm5", "--cleanup-datasets", "--dry-run"],
    );
    assert!(
        stderr.contains("destroyed (cleanup): data/vms/vm5/root"),
        "{stderr}"
    );
    assert!(
        stderr.contains("kept: rpool/templates/debian-12"),
        "{stderr}"
    );
    ok(
        &h,
        &[
            "zone",
            "delete",
            "vm5",
            "--cleanup-datasets",
            "--yes",
            "--wait",
        ],
    );
    assert!(!has_dataset(&h, "data/vms/vm5/root"));
    assert!(
        has_dataset(&h, "rpool/templates/debian-12"),
        "an attached volume stays"
    );
    // The parent zcon made for the volume stays too: it was not the zone's.
    assert!(has_dataset(&h, "data/vms/vm5"));
}

#[test]
fn clone_copies_a_halted_zone_with_its_own_vnics_and_volumes() {
    let h = host();
    let err = fails(&h, &["zone", "clone", "web01", "web09"]);
    assert!(err.contains("halt or shut it down first"), "{err}");
    let plan = dry_run(&h, &["zone", "clone", "obsd01", "obsd02"]);
    insta::assert_snapshot!("clone_obsd01", plan);
    ok(&h, &["zone", "clone", "obsd01", "obsd02", "--wait"]);
    let spec = export(&h, "obsd02");
    assert_eq!(spec["nics"][0]["physical"], "obsd02_0");
    assert_eq!(spec["boot_volume"]["dataset"], "rpool/zones/obsd02/root");
    assert_eq!(spec["attrs"], export(&h, "obsd01")["attrs"]);
    ok(&h, &["zone", "boot", "obsd02", "--wait"]);
    ok(
        &h,
        &[
            "zone",
            "delete",
            "obsd02",
            "--cleanup-datasets",
            "--yes",
            "--wait",
        ],
    );
    assert!(
        !datasets(&h).contains("zcon-clone-obsd02"),
        "the clone's origin snapshot goes too"
    );
    assert!(has_dataset(&h, "rpool/zones/obsd01/root"));
}

#[test]
fn hostile_text_is_refused_or_passed_as_one_literal_argument() {
    let h = host();
    let hostile = [
        "a;reboot",
        "$(reboot)",
        "`reboot`",
        "a\nreboot",
        "a\"b",
        "a'b",
    ];
    for text in hostile {
        let json = serde_json::json!({
            "name": format!("vm{}", text), "brand": "bhyve",
            "attrs": {"ram": text, "bootrom": text},
            "boot_volume": {"kind": "new", "dataset": format!("rpool/zones/{text}"), "size": text},
            "nics": [{"physical": text, "global_nic": text, "allowed_address": text}],
            "cdroms": [text],
            "cloud_init": {"enabled": text, "dns_domain": text, "resolvers": text, "sshkey": text}
        });
        let file = spec(&h, "hostile.json", &json.to_string());
        let err = fails(&h, &["zone", "create", "--spec", &file, "--dry-run"]);
        for field in [
            "name",
            "attrs.ram",
            "attrs.bootrom",
            "boot_volume.dataset",
            "nics[0].physical",
            "nics[0].allowed_address",
            "cdroms[0]",
            "cloud_init.dns_domain",
        ] {
            assert!(
                err.contains(&format!("{field}:")),
                "{text:?} in {field}: {err}"
            );
        }
    }
    // A password may hold shell syntax: it reaches zonecfg as one quoted value, and is never
    // shown. (A double quote, which no zonecfg value can hold, is refused at the field.)
    let json = serde_json::json!({
        "name": "vm8", "brand": "bhyve",
        "cloud_init": {"enabled": "on", "password": "p;$(reboot)`x`'"}
    });
    let file = spec(&h, "pw.json", &json.to_string());
    let plan = dry_run(&h, &["zone", "create", "--spec", &file]);
    assert!(plan.contains("set value=\"********\""), "{plan}");
    assert!(!plan.contains("reboot"), "{plan}");
    ok(&h, &["zone", "create", "--spec", &file, "--wait"]);
    let info = Command::new(h.sim.join("bin/zonecfg"))
        .args(["-z", "vm8", "info", "attr", "name=password"])
        .output()
        .unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(info.contains("p;$(reboot)`x`'"), "stored literally: {info}");
}

//! The headless CLI against a freshly seeded sim host: the stable JSON shapes, the tables,
//! and errors for bad input.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn zcon(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zcon"))
        .args(args)
        .env_remove("ZCON_SIM_FAIL")
        .output()
        .unwrap()
}

/// A demo host created through the CLI, as an operator would.
fn demo_host() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let host = dir.path().join("hv");
    let out = zcon(&["sim", "init", host.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (dir, host)
}

fn json(host: &Path, args: &[&str]) -> Value {
    let mut full = vec!["--sim", host.to_str().unwrap()];
    full.extend_from_slice(args);
    full.push("--json");
    let out = zcon(&full);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn text(host: &Path, args: &[&str]) -> String {
    let mut full = vec!["--sim", host.to_str().unwrap()];
    full.extend_from_slice(args);
    let out = zcon(&full);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn zone<'a>(zones: &'a Value, name: &str) -> &'a Value {
    zones
        .as_array()
        .unwrap()
        .iter()
        .find(|z| z["name"] == name)
        .unwrap_or_else(|| panic!("no zone {name}"))
}

#[test]
fn zones_json_has_the_documented_shape() {
    let (_d, host) = demo_host();
    let zones = json(&host, &["list", "zones"]);
    let all = zones.as_array().unwrap();
    assert!(all.len() >= 12);
    for brand in ["bhyve", "ipkg", "lipkg", "sparse", "pkgsrc", "lx"] {
        assert!(all.iter().any(|z| z["brand"] == brand), "no {brand} zone");
    }
    for state in ["running", "installed", "configured", "incomplete"] {
        assert!(all.iter().any(|z| z["state"] == state), "no {state} zone");
    }
    assert!(all.iter().all(|z| z["name"] != "global"));

    let web = zone(&zones, "web01");
    assert!(web["id"].is_u64());
    assert_eq!(web["state"], "running");
    assert_eq!(web["ip_type"], "excl");
    assert_eq!(web["zonepath"], "/zones/web01");
    assert_eq!(web["uuid"].as_str().unwrap().len(), 36);
    assert_eq!(web["autoboot"], true);
    assert_eq!(web["attrs"]["ram"], "4G");
    assert_eq!(web["attrs"]["vcpus"], "2");
    let nic = &web["nics"][0];
    assert_eq!(nic["physical"], "web01_0");
    assert_eq!(nic["global_nic"], "igb0");
    assert_eq!(nic["mac_addr"], "2:8:20:a1:b2:c3");
    assert!(
        nic["vlan_id"].is_null() && nic["allowed_address"].is_null() && nic["defrouter"].is_null()
    );
    assert_eq!(
        web["disks"][0],
        serde_json::json!({"name": "bootdisk", "dataset": "rpool/zones/web01/root"})
    );

    let db = zone(&zones, "db01");
    assert_eq!(
        db["disks"][1],
        serde_json::json!({"name": "disk0", "dataset": "data/db01/data"})
    );
    assert_eq!(
        db["disks"][0]["dataset"], "rpool/zones/db01/root",
        "options after ',' are not the dataset"
    );
    let win = zone(&zones, "win2022");
    assert!(win["id"].is_null());
    assert_eq!(
        win["cdroms"],
        serde_json::json!(["/data/iso/SERVER_EVAL_x64FRE_en-us.iso"])
    );
    let dns = zone(&zones, "dns01");
    assert_eq!(dns["nics"][0]["allowed_address"], "192.168.1.53/24");
    assert_eq!(dns["nics"][0]["defrouter"], "192.168.1.1");
    assert_eq!(zone(&zones, "legacy01")["ip_type"], "shared");
    assert_eq!(zone(&zones, "pxe01")["uuid"], "", "never installed");
}

#[test]
fn network_json_shapes() {
    let (_d, host) = demo_host();
    let vnics = json(&host, &["list", "vnics"]);
    let web = vnics
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["link"] == "web01_0")
        .unwrap();
    assert_eq!(web["over"], "igb0");
    assert_eq!(web["mac"], "2:8:20:a1:b2:c3", "unescaped");
    assert_eq!(web["zone"], "web01");
    assert_eq!(web["speed"], 1000);
    let storage = vnics
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["link"] == "storage0")
        .unwrap();
    assert_eq!(storage["vid"], 100);
    assert!(storage["zone"].is_null());

    let nat = json(&host, &["list", "nat"]);
    assert_eq!(nat[0]["rule_id"], 0);
    assert_eq!(
        nat[0]["rule"],
        "map igb0 10.190.190.0/24 -> 0/32 portmap tcp/udp auto"
    );
    assert_eq!(nat[0]["type"], "map");
    assert_eq!(nat[0]["interface"], "igb0");
    assert_eq!(nat[0]["subnet"], "10.190.190.0/24");
    assert_eq!(nat[2]["type"], "rdr");

    let hosts = json(&host, &["list", "dhcp-hosts"]);
    assert_eq!(
        hosts[0],
        serde_json::json!({"hostname": "web01", "mac": "02:08:20:a1:b2:c3", "ip": "10.190.190.10"})
    );

    let stubs = json(&host, &["list", "etherstubs"]);
    let prov = stubs
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["link"] == "estub_prov0")
        .unwrap();
    assert!(
        prov["vnics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|v| v == "provision_interconnect0")
    );
    let addrs = json(&host, &["list", "addresses"]);
    assert!(
        addrs
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["addrobj"] == "igb0/v4" && a["addr"] == "192.168.1.10/24")
    );
    assert!(
        addrs
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["addr"] == "::1/128"),
        "IPv6 colons unescaped"
    );
}

#[test]
fn tables_are_aligned_and_show_zone_prints_the_configuration() {
    let (_d, host) = demo_host();
    let table = text(&host, &["list", "zones"]);
    let lines: Vec<&str> = table.lines().collect();
    assert!(
        lines[0].starts_with("NAME ")
            && lines[0].contains("STATE")
            && lines[0].contains("ZONEPATH")
    );
    let col = lines[0].find("STATE").unwrap();
    assert!(
        lines[1..].iter().all(|l| l[col - 2..col].trim().is_empty()),
        "STATE is one column:\n{table}"
    );
    let detail = text(&host, &["show", "zone", "db01"]);
    assert!(detail.contains("disk0       data/db01/data"), "{detail}");
    assert!(detail.contains("nets:\n  db01_0"), "{detail}");
    let full = json(&host, &["show", "zone", "db01"]);
    assert_eq!(full["config"]["brand"], "bhyve");
    assert_eq!(full["config"]["nets"][0]["physical"], "db01_0");
}

#[test]
fn bad_input_fails_cleanly() {
    let (_d, host) = demo_host();
    let h = host.to_str().unwrap();
    let out = zcon(&["--sim", h, "show", "zone", "nope"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "zcon: no zone named 'nope' on this host\n"
    );
    let out = zcon(&["--sim", h, "list", "frobs"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid value 'frobs'"));
    let out = zcon(&["sim", "init", h]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already holds a sim host"));
    let out = zcon(&["--sim", h, "--demo", "list", "zones"]);
    assert_eq!(out.status.code(), Some(2), "--sim and --demo conflict");

    // A host whose zoneadm fails: the listing says so and exits non-zero.
    let out = Command::new(env!("CARGO_BIN_EXE_zcon"))
        .args(["--sim", h, "list", "zones"])
        .env("ZCON_SIM_FAIL", "zoneadm list@*")
        .output()
        .unwrap();
    // zoneadm list has no injectable failure: it is read-only and must keep working.
    assert!(out.status.success());

    // A zone whose XML is broken: zoneadm skips it and says why; zcon passes that on.
    std::fs::write(host.join("root/etc/zones/web01.xml"), "<zone name=").unwrap();
    let out = zcon(&["--sim", h, "list", "zones", "--json"]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr,
        "zcon: warning: zones: zoneadm: web01: could not get brand name: Invalid document\n"
    );
    let zones: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        zones
            .as_array()
            .unwrap()
            .iter()
            .all(|z| z["name"] != "web01")
    );
}

#[test]
fn demo_uses_a_host_under_the_data_dir_created_on_first_use() {
    let home = tempfile::tempdir().unwrap();
    let run = || {
        Command::new(env!("CARGO_BIN_EXE_zcon"))
            .args(["--demo", "list", "zones"])
            .env("HOME", home.path())
            .env("XDG_DATA_HOME", home.path().join("data"))
            .env("XDG_STATE_HOME", home.path().join("state"))
            .output()
            .unwrap()
    };
    let first = run();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let listing = String::from_utf8(first.stdout).unwrap();
    assert!(
        listing.contains("web01") && listing.contains("win2022"),
        "{listing}"
    );
    assert!(
        home.path()
            .join("data/zcon/demo-host/state/host.json")
            .is_file()
    );
    let second = run();
    assert_eq!(
        String::from_utf8(second.stdout).unwrap(),
        listing,
        "the same host the second time"
    );
}

#[test]
fn configs_come_from_zonecfg_export_when_the_xml_cannot_be_read() {
    let (_d, host) = demo_host();
    let fast = json(&host, &["list", "zones"]);
    let empty_root = tempfile::tempdir().unwrap();
    let slow = json(
        &host,
        &[
            "--sys-root",
            empty_root.path().to_str().unwrap(),
            "list",
            "zones",
        ],
    );
    assert_eq!(
        slow, fast,
        "every configuration arrives through zonecfg export instead"
    );
}

#[test]
fn datasets_and_pools_json_and_a_zones_datasets() {
    let (_d, host) = demo_host();
    let datasets = json(&host, &["list", "datasets"]);
    let find = |name: &str| {
        datasets
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["name"] == name)
            .cloned()
            .unwrap()
    };
    let fs = find("rpool/zones/web01");
    assert_eq!(fs["type"], "filesystem");
    assert!(fs["used"].is_u64() && fs["avail"].is_u64() && fs["refer"].is_u64());
    assert_eq!(fs["mountpoint"], "/zones/web01");
    assert!(fs["volsize"].is_null() && fs["origin"].is_null());
    let vol = find("rpool/zones/web02/root");
    assert_eq!(vol["type"], "volume");
    assert!(vol["mountpoint"].is_null(), "a volume has no mountpoint");
    assert_eq!(vol["volsize"], 10u64 << 30);
    assert_eq!(vol["origin"], "rpool/templates/debian-12@base");
    let snap = find("rpool/templates/debian-12@base");
    assert_eq!(snap["type"], "snapshot");
    assert!(snap["avail"].is_null(), "a snapshot has no avail");
    let root = find("rpool/zones/dns01/ROOT");
    assert_eq!(root["mountpoint"], "legacy");

    let pools = json(&host, &["list", "pools"]);
    let names: Vec<&str> = pools
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["data", "rpool"]);
    assert_eq!(pools[1]["health"], "ONLINE");

    let db = json(&host, &["show", "zone", "db01"]);
    let used: Vec<&str> = db["datasets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        used,
        [
            "data/db01/data",
            "data/db01/data@nightly-2026-11-22",
            "rpool/zones/db01",
            "rpool/zones/db01/root",
            "rpool/zones/db01/root@nightly-2026-11-22",
        ]
    );
}

#[test]
fn show_host_reads_the_identity_uptime_and_pools() {
    let (_d, host) = demo_host();
    let h = json(&host, &["show", "host"]);
    assert_eq!(h["hostname"], "hv-01");
    assert_eq!(h["os_release"], "OmniOS v11 r151054d");
    assert_eq!(h["kernel_release"], "5.11");
    assert!(
        h["kernel_version"]
            .as_str()
            .unwrap()
            .starts_with("omnios-r")
    );
    // A fresh sim host has been up 37 days, 4 hours and 17 minutes.
    let boot = h["boot_time"].as_i64().unwrap();
    let up = h["uptime_seconds"].as_i64().unwrap();
    let seeded = 37 * 86_400 + 4 * 3600 + 17 * 60;
    assert!((up - seeded).abs() < 60, "{up}");
    assert!((boot + up - jiff::Timestamp::now().as_second()).abs() < 60);
    assert_eq!(h["uptime"], "37d 4h");
    let pools = h["pools"].as_array().unwrap();
    assert!(pools.iter().any(|p| p["name"] == "rpool"));
    assert!(
        pools
            .iter()
            .all(|p| p["cap"].is_u64() && p["size"].is_u64())
    );

    let detail = text(&host, &["show", "host"]);
    assert!(detail.starts_with("host hv-01\n"), "{detail}");
    assert!(detail.contains("  uptime      37d 4h\n"), "{detail}");
    assert!(detail.contains("pools:\n  NAME "), "{detail}");

    // Read from the host, not made up: a new node name shows; a missing /etc/release is a
    // warning and the rest still shows.
    let out = Command::new(host.join("bin/hostname"))
        .arg("hv-02")
        .output()
        .unwrap();
    assert!(out.status.success());
    std::fs::remove_file(host.join("root/etc/release")).unwrap();
    let out = zcon(&["--sim", host.to_str().unwrap(), "show", "host", "--json"]);
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "zcon: warning: system: /etc/release: no such file\n"
    );
    let h: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (h["hostname"].as_str(), h["os_release"].as_str()),
        (Some("hv-02"), Some(""))
    );
    assert!(h["boot_time"].is_i64());
}

use super::*;
use crate::sys::zfs::{self as sys, DatasetType};

fn tree(h: &SimHost) {
    ok(h, &["create", "-o", "mountpoint=/zones", "rpool/zones"]);
    ok(h, &["create", "rpool/zones/web"]);
    ok(h, &["create", "rpool/zones/web-2"]);
    ok(h, &["create", "-V", "10G", "rpool/zones/web/disk0"]);
    ok(h, &["snapshot", "-r", "rpool/zones@daily"]);
    ok(h, &["clone", "rpool/zones/web@daily", "rpool/copy"]);
}

#[test]
fn the_refresh_listing_parses_with_sys() {
    let (_d, h) = host();
    tree(&h);
    let out = ok(
        &h,
        &sys::list_all().args[..]
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    );
    let ds = sys::parse_list(&out).unwrap();
    let names: Vec<&str> = ds.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "rpool",
            "rpool/copy",
            "rpool/zones",
            "rpool/zones@daily",
            "rpool/zones/web",
            "rpool/zones/web@daily",
            "rpool/zones/web-2",
            "rpool/zones/web-2@daily",
            "rpool/zones/web/disk0",
            "rpool/zones/web/disk0@daily",
        ]
    );
    let find = |n: &str| ds.iter().find(|d| d.name == n).unwrap();
    let vol = find("rpool/zones/web/disk0");
    assert_eq!(vol.kind, DatasetType::Volume);
    assert_eq!(vol.volsize, Some(10 * G));
    assert_eq!(vol.mountpoint, None);
    assert!(vol.used.unwrap() > 10 * G);
    let snap = find("rpool/zones/web/disk0@daily");
    assert_eq!(
        (snap.avail, snap.used, snap.volsize),
        (None, Some(0), Some(10 * G))
    );
    let web = find("rpool/zones/web");
    assert_eq!(web.mountpoint.as_deref(), Some("/zones/web"));
    assert_eq!(web.used, Some(24576 + vol.used.unwrap()));
    assert_eq!(
        find("rpool/copy").origin.as_deref(),
        Some("rpool/zones/web@daily")
    );
    assert!(find("rpool").creation.unwrap() > 1_600_000_000);
    let zones = find("rpool/zones");
    assert_eq!(zones.avail, web.avail);
}

#[test]
fn recursion_depth_types_and_operands() {
    let (_d, h) = host();
    tree(&h);
    let list = |args: &[&str]| -> Vec<String> {
        let mut a = vec!["list", "-H", "-o", "name"];
        a.extend_from_slice(args);
        ok(&h, &a).lines().map(str::to_string).collect()
    };
    assert_eq!(list(&["rpool/zones"]), ["rpool/zones"]);
    assert_eq!(
        list(&["-r", "rpool/zones"]),
        [
            "rpool/zones",
            "rpool/zones/web",
            "rpool/zones/web-2",
            "rpool/zones/web/disk0"
        ]
    );
    assert_eq!(
        list(&["-d", "1", "rpool/zones"]),
        ["rpool/zones", "rpool/zones/web", "rpool/zones/web-2"]
    );
    assert_eq!(list(&["-d", "0"]), ["rpool"]);
    assert_eq!(
        list(&["-t", "snapshot", "-d", "1", "rpool/zones"]),
        ["rpool/zones@daily"]
    );
    assert_eq!(
        list(&["-t", "snapshot", "-d", "2", "rpool/zones"]),
        [
            "rpool/zones@daily",
            "rpool/zones/web@daily",
            "rpool/zones/web-2@daily"
        ]
    );
    assert_eq!(list(&["-t", "volume"]), ["rpool/zones/web/disk0"]);
    assert_eq!(list(&["rpool/zones@daily"]), ["rpool/zones@daily"]);
    assert_eq!(
        list(&["-r", "rpool/zones", "rpool/zones/web"]).len(),
        4,
        "no duplicates"
    );
    assert_eq!(list(&["/zones/web"]), ["rpool/zones/web"]);
    let o = zfs(
        &h,
        &["list", "-H", "-o", "name", "rpool/nope", "rpool/zones"],
    );
    assert_eq!(o.code, 1);
    assert_eq!(o.stdout, "rpool/zones\n");
    assert_eq!(
        o.stderr,
        "cannot open 'rpool/nope': dataset does not exist\n"
    );
    let e = err(&h, &["list", "-t", "snapshot", "rpool/zones"], 1);
    assert_eq!(
        e,
        "cannot open 'rpool/zones': operation not applicable to datasets of this type\n"
    );
    let e = err(&h, &["list", "rpool/bad name"], 1);
    assert_eq!(e, "cannot open 'rpool/bad name': invalid dataset name\n");
    let e = err(&h, &["list", "/nowhere"], 1);
    assert_eq!(e, "/nowhere: No such file or directory\n");
}

#[test]
fn sorting_user_properties_and_human_layout() {
    let (_d, h) = host();
    tree(&h);
    ok(&h, &["set", "zcon:owner=alice", "rpool/zones"]);
    ok(&h, &["set", "zcon:owner=bob", "rpool/zones/web-2"]);
    let out = ok(
        &h,
        &[
            "list",
            "-H",
            "-r",
            "-o",
            "name,zcon:owner",
            "-S",
            "used",
            "rpool/zones",
        ],
    );
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "rpool/zones\talice");
    assert_eq!(lines[1], "rpool/zones/web\talice");
    assert_eq!(lines[2], "rpool/zones/web/disk0\talice");
    assert_eq!(lines[3], "rpool/zones/web-2\tbob");
    let out = ok(
        &h,
        &[
            "list",
            "-H",
            "-o",
            "name",
            "-s",
            "name",
            "-t",
            "all",
            "-r",
            "rpool/zones/web",
        ],
    );
    assert_eq!(out.lines().next(), Some("rpool/zones/web"));
    let human = ok(&h, &["list", "-r", "rpool/zones"]);
    let mut lines = human.lines();
    assert_eq!(
        lines.next(),
        Some("NAME                    USED  AVAIL  REFER  MOUNTPOINT")
    );
    assert_eq!(
        lines.next(),
        Some("rpool/zones            10.3G  86.6G    24K  /zones")
    );
    assert_eq!(
        lines.next(),
        Some("rpool/zones/web        10.3G  86.6G    24K  /zones/web")
    );
    assert_eq!(
        lines.next(),
        Some("rpool/zones/web-2        24K  86.6G    24K  /zones/web-2")
    );
    assert_eq!(
        lines.next(),
        Some("rpool/zones/web/disk0  10.3G  96.9G    12K  -")
    );
    let out = ok(&h, &["list", "-o", "name,zcon:owner", "rpool"]);
    assert_eq!(out, "NAME   ZCON:OWNER\nrpool  -\n");
    let e = err(&h, &["list", "-o", "name,bogus"], 2);
    assert!(
        e.starts_with("bad property list: invalid property 'bogus'\nusage:\n\tlist [-Hp]"),
        "{e}"
    );
    assert!(e.contains("The following properties are supported:"), "{e}");
    let e = err(&h, &["list", "-s", "nope"], 2);
    assert!(e.starts_with("invalid property 'nope'\nusage:"), "{e}");
    let e = err(&h, &["list", "-t", "zvol"], 2);
    assert!(e.starts_with("invalid type 'zvol'\n"), "{e}");
    let e = err(&h, &["list", "-d", "x"], 2);
    assert!(e.starts_with("x is not an integer\n"), "{e}");
}

#[test]
fn an_empty_host_has_no_datasets() {
    let dir = tempfile::tempdir().unwrap();
    let h = crate::sim::init::init(&dir.path().join("h"), &Default::default())
        .unwrap()
        .with_speed(0.0);
    assert_eq!(ok(&h, &["list"]), "no datasets available\n");
    assert_eq!(ok(&h, &["list", "-H"]), "");
}

#[test]
fn get_reports_values_and_sources() {
    let (_d, h) = host();
    tree(&h);
    ok(
        &h,
        &["set", "compression=lz4", "zcon:note=a b", "rpool/zones"],
    );
    let out = ok(
        &h,
        &[
            "get",
            "-Hp",
            "-o",
            "name,property,value,source",
            "compression,mountpoint,zcon:note,zcon:none,used,volsize",
            "rpool/zones/web",
        ],
    );
    let vals = sys::parse_get(&out).unwrap();
    let get = |p: &str| vals.iter().find(|v| v.property == p).unwrap();
    assert_eq!(get("compression").value.as_deref(), Some("lz4"));
    assert_eq!(
        get("compression").source.as_deref(),
        Some("inherited from rpool/zones")
    );
    assert_eq!(get("mountpoint").value.as_deref(), Some("/zones/web"));
    assert_eq!(
        get("mountpoint").source.as_deref(),
        Some("inherited from rpool/zones")
    );
    assert_eq!(get("zcon:note").value.as_deref(), Some("a b"));
    assert_eq!(
        (
            get("zcon:none").value.clone(),
            get("zcon:none").source.clone()
        ),
        (None, None)
    );
    assert_eq!(get("used").source, None);
    assert_eq!(get("volsize").value, None);
    assert_eq!(prop(&h, "rpool/zones", "compression"), "lz4");
    assert_eq!(
        ok(
            &h,
            &[
                "get",
                "-H",
                "-o",
                "source",
                "mountpoint",
                "rpool/zones",
                "rpool"
            ]
        ),
        "default\nlocal\n",
        "rows come out in name order, whatever the operand order"
    );
    let snap = ok(
        &h,
        &[
            "get",
            "-H",
            "-o",
            "value,source",
            "exec,type,available",
            "rpool/zones@daily",
        ],
    );
    assert_eq!(snap, "on\tdefault\nsnapshot\t-\n-\t-\n");
    let local = ok(
        &h,
        &[
            "get",
            "-r",
            "-H",
            "-s",
            "local",
            "-o",
            "name,property",
            "all",
            "rpool",
        ],
    );
    assert_eq!(
        local
            .lines()
            .filter(|l| l.starts_with("rpool/zones\t"))
            .count(),
        3
    );
    assert!(
        local.contains("rpool/zones/web/disk0\trefreservation"),
        "{local}"
    );
    let all = ok(&h, &["get", "all", "rpool/zones/web"]);
    let first: Vec<&str> = all.lines().take(3).collect();
    assert_eq!(
        first[0],
        "NAME             PROPERTY              VALUE                  SOURCE"
    );
    assert!(
        first[1].starts_with("rpool/zones/web  type                  filesystem"),
        "{all}"
    );
    assert!(all.contains("zcon:note             a b"), "{all}");
    assert!(!all.contains(" origin "), "no origin on a non-clone: {all}");
    let e = err(&h, &["get", "bogus", "rpool"], 2);
    assert!(
        e.starts_with("bad property list: invalid property 'bogus'\n"),
        "{e}"
    );
    let e = err(&h, &["get"], 2);
    assert!(
        e.starts_with("missing property argument\nusage:\n\tget [-rHp]"),
        "{e}"
    );
    let e = err(&h, &["get", "-o", "name,colour", "used"], 2);
    assert!(e.starts_with("invalid column name 'colour'\n"), "{e}");
}

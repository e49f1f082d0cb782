use super::*;

#[test]
fn the_guides_create_body_becomes_a_spec() {
    let doc = parse(
        r#"{"name": "web-server-01", "brand": "bhyve", "ram": "2G", "vcpus": "2",
            "diskif": "virtio", "netif": "virtio", "vnc": "on", "os_type": "generic",
            "boot_volume": {"create_new": true, "pool": "rpool", "dataset": "zones",
                            "volume_name": "root", "size": "30G", "sparse": true},
            "nics": [{"physical": "vnic0", "global_nic": "igb0"}],
            "cdroms": [{"path": "/iso/omnios-r151050.iso"}],
            "start_after_create": true}"#,
    )
    .unwrap();
    let spec = doc.into_create().unwrap();
    assert_eq!(spec.attrs["ram"], "2G");
    assert_eq!(spec.attrs["type"], "generic");
    assert_eq!(
        spec.boot_volume,
        Some(Volume::New {
            dataset: "rpool/zones/web-server-01/root".into(),
            size: "30G".into(),
            sparse: true
        })
    );
    assert_eq!(spec.cdroms, ["/iso/omnios-r151050.iso"]);
    assert!(spec.start_after_create);
}

#[test]
fn modify_bodies_change_only_what_they_name() {
    let mut cfg = ZoneConfig::blank("vm");
    cfg.brand = "bhyve".into();
    cfg.set_attr("ram", "2G");
    cfg.set_attr("disk0", "data/a");
    cfg.set_attr("disk1", "data/b");
    let doc =
        parse(r#"{"vcpus": "4", "remove_disks": ["disk0"], "attrs": {"ram": null}}"#).unwrap();
    let spec = doc.into_modify(&cfg).unwrap();
    assert_eq!(spec.attrs.get("vcpus").map(String::as_str), Some("4"));
    assert!(!spec.attrs.contains_key("ram"));
    assert_eq!(spec.disks.len(), 1);
    assert_eq!(spec.disks[0].dataset(), "data/b");
    let err = parse(r#"{"remove_nics": ["nope0"]}"#)
        .unwrap()
        .into_modify(&cfg)
        .unwrap_err();
    assert!(err.contains("no NIC nope0"), "{err}");
    let err = parse(r#"{"add_nics": []}"#)
        .unwrap()
        .into_create()
        .unwrap_err();
    assert!(err.contains("zcon zone modify"), "{err}");
}

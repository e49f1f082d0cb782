use super::*;

fn bhyve() -> ZoneSpec {
    ZoneSpec {
        name: "vm9".into(),
        brand: "bhyve".into(),
        attrs: [("ram", "2G"), ("vcpus", "2")]
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .into(),
        boot_volume: Some(Volume::New {
            dataset: "rpool/zones/vm9/root".into(),
            size: "20G".into(),
            sparse: true,
        }),
        disks: vec![Volume::Existing {
            dataset: "data/vm9-data".into(),
            force: false,
        }],
        nics: vec![NicSpec {
            physical: "vm9_0".into(),
            global_nic: Some("igb0".into()),
            ..NicSpec::default()
        }],
        cdroms: vec!["/data/iso/debian-12.iso".into()],
        cloud_init: Some(CloudInit {
            enabled: "on".into(),
            password: Some("s3cret pass".into()),
            ..CloudInit::default()
        }),
        ..ZoneSpec::default()
    }
}

fn exists(name: &str) -> bool {
    ["rpool", "rpool/zones", "data", "data/vm9-data"].contains(&name)
}

#[test]
fn the_create_plan_follows_the_guides_stages() {
    let plan = create_plan(&bhyve(), &exists).unwrap();
    let stages: Vec<(&str, u8)> = plan
        .steps
        .iter()
        .map(|s| (s.stage.as_str(), s.progress))
        .collect();
    assert_eq!(
        stages,
        [
            ("Preparing storage (ZFS volumes)", 10),
            ("Preparing storage (ZFS volumes)", 10),
            ("Applying zone configuration", 40),
            ("Configuring boot disk", 50),
            ("Configuring additional disks", 60),
            ("Configuring CD-ROMs", 70),
            ("Configuring network interfaces", 75),
            ("Configuring cloud-init", 80),
            ("Installing zone", 90),
        ]
    );
    // Only what the task makes is undone: the new volume, the configuration, the install;
    // the existing data disk has no undo.
    let undos: Vec<String> = plan
        .steps
        .iter()
        .filter_map(|s| s.undo.as_ref().map(|u| u.describe()))
        .collect();
    assert_eq!(
        undos,
        [
            "zfs destroy rpool/zones/vm9   # if rpool/zones/vm9 exists",
            "zfs destroy rpool/zones/vm9/root   # if rpool/zones/vm9/root exists",
            "zonecfg -z vm9 delete -F",
            "zoneadm -z vm9 uninstall -F   # if zone vm9 is installed or incomplete",
        ]
    );
    assert!(plan.steps.last().unwrap().undo_on_failure);
    assert_eq!(
        plan.objects,
        [
            "zone:vm9",
            "dataset:rpool/zones/vm9/root",
            "dataset:data/vm9-data"
        ]
    );
}

#[test]
fn the_password_never_shows() {
    let plan = create_plan(&bhyve(), &exists).unwrap();
    let stdin: String = plan
        .steps
        .iter()
        .filter_map(|s| match &s.action {
            Action::Run { stdin, .. } => stdin.clone(),
            _ => None,
        })
        .collect();
    assert!(stdin.contains("s3cret pass"), "the task itself needs it");
    let stored = serde_json::to_string(&plan.redacted()).unwrap();
    assert!(!stored.contains("s3cret"), "{stored}");
    assert!(plan.describe().iter().all(|l| !l.contains("s3cret")));
}

#[test]
fn the_configuration_has_every_resource() {
    let cfg = bhyve().config();
    assert_eq!(cfg.zonepath, "/zones/vm9");
    assert_eq!(cfg.ip_type, IpType::Exclusive);
    assert_eq!(cfg.attr("bootdisk"), Some("rpool/zones/vm9/root"));
    assert_eq!(cfg.attr("disk0"), Some("data/vm9-data"));
    assert_eq!(cfg.attr("cdrom"), Some("/data/iso/debian-12.iso"));
    assert_eq!(cfg.attr("password"), Some("s3cret pass"));
    assert_eq!(cfg.devices.len(), 2);
    assert_eq!(cfg.fs[0].options, ["ro", "nodevices"]);
    assert_eq!(cfg.nets[0].global_nic.as_deref(), Some("igb0"));
}

#[test]
fn specs_read_from_json_reject_unknown_fields() {
    let json =
        r#"{"name":"a","brand":"bhyve","boot_volume":{"kind":"existing","dataset":"rpool/x"}}"#;
    let spec: ZoneSpec = serde_json::from_str(json).unwrap();
    assert_eq!(spec.boot_volume.unwrap().dataset(), "rpool/x");
    let err =
        serde_json::from_str::<ZoneSpec>(r#"{"name":"a","brand":"bhyve","rma":"2G"}"#).unwrap_err();
    assert!(err.to_string().contains("unknown field `rma`"), "{err}");
}

#[test]
fn an_exported_spec_recreates_the_configuration_without_the_password() {
    let spec = bhyve();
    let exported = ZoneSpec::from_config(&spec.config());
    assert_eq!(exported.attrs, spec.attrs);
    assert_eq!(exported.cdroms, spec.cdroms);
    assert_eq!(exported.nics, spec.nics);
    assert_eq!(
        exported.boot_volume,
        Some(Volume::Existing {
            dataset: "rpool/zones/vm9/root".into(),
            force: false
        })
    );
    assert!(
        exported.filesystems.is_empty(),
        "the ISO mounts belong to the CD-ROMs"
    );
    assert_eq!(exported.cloud_init.as_ref().unwrap().password, None);
    let mut again = exported.clone();
    again.cloud_init = spec.cloud_init.clone();
    assert_eq!(again.config(), spec.config());
}

use super::*;
use crate::sys::zonecfg::{
    Admin, Attr, AttrType, DatasetResource, DedicatedCpu, Device, Fs, IpType, Net, Property, Rctl,
    RctlValue,
};

/// `zonecfg -z web01 export` of an OmniOS bhyve zone.
const BHYVE_EXPORT: &str = "\
create -b
set zonepath=/zones/web01
set brand=bhyve
set autoboot=true
set ip-type=exclusive
add fs
set dir=\"/rpool/iso/debian-12.iso\"
set special=\"/rpool/iso/debian-12.iso\"
set type=\"lofs\"
add options ro
add options nodevices
end
add net
set allowed-address=\"10.0.0.5/24\"
set physical=\"web01_0\"
set mac-addr=\"2:8:20:ab:cd:1\"
set vlan-id=\"12\"
set global-nic=\"igb0\"
set defrouter=\"10.0.0.1\"
add property (name=mtu,value=\"9000\")
end
add device
set match=\"/dev/zvol/rdsk/rpool/zones/web01/root\"
end
add rctl
set name=\"zone.cpu-cap\"
add value (priv=privileged,limit=200,action=deny)
end
add rctl
set name=\"zone.max-physical-memory\"
add value (priv=privileged,limit=2147483648,action=deny)
end
add attr
set name=\"bootdisk\"
set type=\"string\"
set value=\"rpool/zones/web01/root,serial=A1\"
end
add attr
set name=\"password\"
set type=\"string\"
set value=\"p; end\"q\"
end
";

/// A native (sparse) zone with the remaining resource types.
const NATIVE_EXPORT: &str = "\
create -b
set zonepath=/zones/db
set brand=sparse
set autoboot=false
set bootargs=-m verbose
set limitpriv=default,dtrace_proc
set scheduling-class=FSS
set ip-type=shared
set hostid=1a2b3c4d
set fs-allowed=ufs,pcfs
add fs
set dir=\"/data\"
set special=\"/dev/dsk/c1t0d0s0\"
set raw=\"/dev/rdsk/c1t0d0s0\"
set type=\"ufs\"
add options \"retry=5\"
end
add net
set address=\"192.168.1.10/24\"
set physical=\"e1000g0\"
set defrouter=\"192.168.1.1\"
end
add device
set match=\"/dev/tun\"
add property (name=mode,value=\"rw x\")
end
add rctl
set name=\"zone.max-lwps\"
add value (priv=privileged,limit=2000,action=deny)
end
add rctl
set name=\"zone.max-swap\"
add value (priv=privileged,limit=4294967296,action=deny)
add value (priv=privileged,limit=8589934592,action=signal=SIGTERM)
end
add dataset
set name=\"tank/db\"
end
add dedicated-cpu
set ncpus=1-4
set importance=2
end
add admin
set user=\"alice\"
set auths=\"login,manage\"
end
";

#[test]
fn reads_a_bhyve_export() {
    let cfg = parse_export(BHYVE_EXPORT).unwrap();
    assert_eq!(cfg.zonepath, "/zones/web01");
    assert_eq!(cfg.brand, "bhyve");
    assert!(cfg.autoboot);
    assert_eq!(cfg.ip_type, IpType::Exclusive);
    assert_eq!(cfg.fs[0].options, ["ro", "nodevices"]);
    let n = &cfg.nets[0];
    assert_eq!(n.physical.as_deref(), Some("web01_0"));
    assert_eq!(n.global_nic.as_deref(), Some("igb0"));
    assert_eq!(n.vlan_id, Some(12));
    assert_eq!(n.properties, [prop("mtu", "9000")]);
    assert_eq!(cfg.capped_cpu(), Some(2.0));
    // capped-memory physical is the rctl zone.max-physical-memory.
    assert_eq!(cfg.physical_cap, Some(2 << 30));
    assert!(
        cfg.rctls
            .iter()
            .all(|r| r.name != "zone.max-physical-memory")
    );
    assert_eq!(
        cfg.attr("bootdisk"),
        Some("rpool/zones/web01/root,serial=A1")
    );
    // export does not escape a quote; the line still reads back as data.
    assert_eq!(cfg.attr("password"), Some("p; end\"q"));
}

#[test]
fn reads_a_native_export_with_every_other_resource() {
    let cfg = parse_export(NATIVE_EXPORT).unwrap();
    assert_eq!(cfg.bootargs.as_deref(), Some("-m verbose"));
    assert_eq!(cfg.pool, None);
    assert_eq!(cfg.limitpriv.as_deref(), Some("default,dtrace_proc"));
    assert_eq!(cfg.hostid.as_deref(), Some("1a2b3c4d"));
    assert_eq!(cfg.fs[0].raw.as_deref(), Some("/dev/rdsk/c1t0d0s0"));
    assert_eq!(cfg.fs[0].options, ["retry=5"]);
    assert_eq!(cfg.nets[0].address.as_deref(), Some("192.168.1.10/24"));
    assert_eq!(cfg.devices[0].properties, [prop("mode", "rw x")]);
    let swap = cfg
        .rctls
        .iter()
        .find(|r| r.name == "zone.max-swap")
        .unwrap();
    assert_eq!(swap.values[1].action, "signal=SIGTERM");
    assert_eq!(cfg.rctl_limit("zone.max-lwps"), Some("2000"));
    assert_eq!(cfg.datasets[0].name, "tank/db");
    let dc = cfg.dedicated_cpu.as_ref().unwrap();
    assert_eq!((dc.ncpu_min.as_str(), dc.ncpu_max.as_str()), ("1", "4"));
    assert_eq!(cfg.admins[0].auths, "login,manage");
    // What we read renders back to the same text.
    assert_eq!(render_export(&cfg), NATIVE_EXPORT);
}

#[test]
fn export_renders_a_bhyve_zone_as_zonecfg_does() {
    let mut cfg = parse_export(BHYVE_EXPORT).unwrap();
    cfg.name = "web01".into();
    assert_eq!(render_export(&cfg), BHYVE_EXPORT);
    assert!(parse_export("set zonepath=/x\n").is_err());
    let err = parse_export("create -b\nadd net\nset bogus=1\nend\n").unwrap_err();
    assert_eq!((err.source_name.as_str(), err.line), ("zonecfg export", 3));
}

#[test]
fn syntax_errors_name_the_line_and_token() {
    let err = parse("create -b\nset zonepath=/zones/a b\ncommit\n").unwrap_err();
    assert_eq!(err.line, 2);
    assert_eq!(err.message, "syntax error at 'b'");
    let err = parse("add net\nset physical=x\nend\nadd\n").unwrap_err();
    assert_eq!(err.line, 4);
    assert!(
        err.message
            .starts_with("bad use of 'add': usage: add <resource-type>")
    );
    let err = parse("set pool").unwrap_err();
    assert!(err.message.contains("no terminating newline"), "{err}");
    let err = parse("frobnicate\n").unwrap_err();
    assert_eq!(err.message, "syntax error at 'f'");
    assert_eq!(parse("# only a comment\n\n;;\n").unwrap(), []);
}

#[test]
fn apply_runs_zonecfg_rules() {
    let run = |text: &str| {
        let mut cfg = ZoneConfig::blank("z");
        apply(&mut cfg, &parse(text).unwrap()).map(|_| cfg)
    };
    let cfg = run(
        "create -b\nset brand=bhyve\nset ip-type=exclusive\nadd net\nset physical=vnic0\nend\n\
         add capped-memory\nset physical=1.5G\nset swap=2G\nend\nset max-lwps=500\n\
         add capped-cpu\nset ncpus=1.5\nend\n",
    )
    .unwrap();
    assert_eq!(cfg.physical_cap, Some(3 << 29));
    assert_eq!(cfg.rctl_limit("zone.max-swap"), Some("2147483648"));
    assert_eq!(cfg.rctl_limit("zone.max-lwps"), Some("500"));
    assert_eq!(cfg.capped_cpu(), Some(1.5));
    let msg = |text: &str| run(text).unwrap_err().message;
    assert_eq!(msg("add net\nend\n"), "physical not specified");
    assert_eq!(
        msg(
            "add attr\nset name=a\nset type=string\nset value=1\nend\nadd attr\nset name=a\nset type=string\nset value=2\nend\n"
        ),
        "An attr resource with the name 'a' already exists."
    );
    assert_eq!(
        msg("set ip-type=exclusive\nadd net\nset physical=net0:1\nend\n"),
        "net0:1: physical interface name required; logical interface name not allowed"
    );
    assert_eq!(
        msg("select net physical=x\n"),
        "select net: No such resource with that id"
    );
    assert_eq!(
        msg("add dataset\nset name=a\nend\nadd dataset\nset name=b\nend\nremove dataset\n"),
        "There are multiple instances of this resource.  Either qualify the resource to\n\
         remove a single instance or use the -F option to remove all instances."
    );
    assert_eq!(
        msg("set physical=x\n"),
        "Cannot set a resource-specific property from the global scope."
    );
    assert_eq!(
        msg("end\n"),
        "The end command only makes sense in the resource scope."
    );
    assert_eq!(
        msg("set max-lwps=10\n"),
        "max-lwps property is out of range."
    );
    assert_eq!(
        msg("clear zonepath\n"),
        "zonepath: Clearing this property is not allowed"
    );
    assert_eq!(
        msg("add capped-memory\nset swap=10M\nend\n"),
        "swap value is too small.  It must be at least 50M."
    );
    assert_eq!(
        msg("set autoboot=yes\n"),
        "autoboot value must be 'true' or 'false'."
    );
    assert!(
        run("add net\nset physical=vnic0\n")
            .unwrap_err()
            .message
            .contains("missing 'end'")
    );
    // `remove -F` takes them all; a select … end moves the resource to the end.
    let cfg = run(
        "add dataset\nset name=a\nend\nadd dataset\nset name=b\nend\nremove -F dataset\n\
         add attr\nset name=x\nset type=string\nset value=1\nend\n\
         add attr\nset name=y\nset type=string\nset value=2\nend\n\
         select attr name=x\nset value=3\nend\n",
    )
    .unwrap();
    assert!(cfg.datasets.is_empty());
    assert_eq!(cfg.attrs[1].name, "x");
    assert_eq!(cfg.attr("x"), Some("3"));
}

fn prop(name: &str, value: &str) -> Property {
    Property {
        name: name.into(),
        value: value.into(),
    }
}

fn rv(limit: &str, action: &str) -> RctlValue {
    RctlValue {
        privilege: "privileged".into(),
        limit: limit.into(),
        action: action.into(),
    }
}

/// Strings with what a zonecfg script must not take as syntax.
const NASTY: &[&str] = &[
    "plain",
    "with space",
    "semi;colon",
    "end",
    "a;end;delete -F;#x",
    "#hash",
    "eq=uals",
    "paren(s)",
    "[brackets]",
    "net",
    "comma,separated",
    "  padded  ",
    "quote\"inside",
];

fn pick<'a>(rng: &mut fastrand::Rng, pool: &[&'a str]) -> &'a str {
    pool[rng.usize(..pool.len())]
}

/// A varied configuration (no newlines; quotes only where the format can carry them).
fn varied(rng: &mut fastrand::Rng, quotes: bool) -> ZoneConfig {
    let nasty: Vec<&str> = NASTY
        .iter()
        .copied()
        .filter(|s| quotes || !s.contains('"'))
        .collect();
    let word =
        |rng: &mut fastrand::Rng| format!("{}{}", pick(rng, &["a", "b", "net", "x-y"]), rng.u8(..));
    let mut cfg = ZoneConfig::blank(&format!("z{}", rng.u16(..)));
    cfg.zonepath = format!("/zones/{}", pick(rng, &["a", "b c", "d;e"]));
    cfg.brand = pick(rng, &["bhyve", "lipkg", "sparse", "ipkg"]).into();
    cfg.autoboot = rng.bool();
    cfg.ip_type = if rng.bool() {
        IpType::Exclusive
    } else {
        IpType::Shared
    };
    let maybe = |rng: &mut fastrand::Rng, v: &str| rng.bool().then(|| v.to_string());
    cfg.bootargs = maybe(rng, "-m verbose; x");
    cfg.pool = maybe(rng, "pool1");
    cfg.limitpriv = maybe(rng, "default,dtrace_proc");
    cfg.scheduling_class = maybe(rng, "FSS");
    cfg.hostid = maybe(rng, "1a2b3c");
    cfg.fs_allowed = maybe(rng, "ufs,pcfs");
    for i in 0..rng.usize(..3) {
        cfg.fs.push(Fs {
            dir: format!("/mnt/{i}{}", pick(rng, &nasty)),
            special: pick(rng, &nasty).into(),
            raw: maybe(rng, "/dev/rdsk/x"),
            fs_type: pick(rng, &["lofs", "zfs"]).into(),
            options: (0..rng.usize(..3))
                .map(|_| pick(rng, &["ro", "nodevices", "retry=5", "uid=0,gid=0"]).into())
                .collect(),
        });
    }
    for i in 0..rng.usize(..3) {
        cfg.nets.push(Net {
            address: maybe(rng, "10.0.0.1/24"),
            allowed_address: maybe(rng, "10.1.0.1/16"),
            physical: Some(format!("vnic{i}")),
            defrouter: maybe(rng, "10.0.0.254"),
            global_nic: maybe(rng, "igb0"),
            mac_addr: maybe(rng, "2:8:20:a:b:c"),
            vlan_id: rng.bool().then(|| rng.u16(1..4095)),
            properties: (0..rng.usize(..2))
                .map(|j| prop(&format!("p{j}"), pick(rng, &nasty)))
                .collect(),
        });
    }
    for i in 0..rng.usize(..3) {
        cfg.devices.push(Device {
            match_path: format!("/dev/zvol/rdsk/rpool/d{i}"),
            properties: (0..rng.usize(..2))
                .map(|j| prop(&format!("q{j}"), pick(rng, &nasty)))
                .collect(),
        });
    }
    let rctl_names = [
        "zone.max-lwps",
        "zone.cpu-shares",
        "zone.max-swap",
        "zone.cpu-cap",
    ];
    for name in rctl_names {
        if rng.bool() {
            continue;
        }
        let values = (0..rng.usize(1..3))
            .map(|_| {
                rv(
                    &rng.u32(100..100000).to_string(),
                    pick(rng, &["deny", "none", "signal=SIGTERM"]),
                )
            })
            .collect();
        cfg.rctls.push(Rctl {
            name: name.into(),
            values,
        });
    }
    cfg.physical_cap = rng.bool().then(|| rng.u64(1..64) << 28);
    for i in 0..rng.usize(..5) {
        let t = pick(rng, &["string", "int", "boolean", "uint"]);
        cfg.attrs.push(Attr {
            name: format!("attr{i}"),
            attr_type: AttrType::parse(t).unwrap(),
            value: pick(rng, &nasty).into(),
        });
    }
    for _ in 0..rng.usize(..3) {
        let name = format!("tank/{}", word(rng));
        if !cfg.datasets.iter().any(|d| d.name == name) {
            cfg.datasets.push(DatasetResource { name });
        }
    }
    // dedicated-cpu excludes a pool and a cpu-cap (zonecfg refuses the combination).
    if rng.bool() && cfg.pool.is_none() && cfg.rctl_limit("zone.cpu-cap").is_none() {
        let lo = rng.u8(1..4);
        cfg.dedicated_cpu = Some(DedicatedCpu {
            ncpu_min: lo.to_string(),
            ncpu_max: (lo + rng.u8(..3)).to_string(),
            importance: maybe(rng, "3"),
        });
    }
    if rng.bool() {
        cfg.admins.push(Admin {
            user: "alice".into(),
            auths: pick(rng, &["login", "login,manage"]).into(),
        });
    }
    cfg
}

#[test]
fn export_round_trips_every_varied_config() {
    let mut rng = fastrand::Rng::with_seed(7);
    for _ in 0..400 {
        let cfg = varied(&mut rng, true);
        let text = render_export(&cfg);
        let mut back = parse_export(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        back.name = cfg.name.clone();
        assert_eq!(back, cfg, "{text}");
    }
}

/// Resources sorted by their keys: zonecfg appends a modified resource to its list.
fn sorted(mut c: ZoneConfig) -> ZoneConfig {
    c.nets.sort_by(|a, b| a.physical.cmp(&b.physical));
    c.fs.sort_by(|a, b| a.dir.cmp(&b.dir));
    c.devices.sort_by(|a, b| a.match_path.cmp(&b.match_path));
    c.rctls.sort_by(|a, b| a.name.cmp(&b.name));
    c.attrs.sort_by(|a, b| a.name.cmp(&b.name));
    c.datasets.sort_by(|a, b| a.name.cmp(&b.name));
    c
}

fn run_script(start: ZoneConfig, script: &str) -> ZoneConfig {
    let stmts = parse_lines(script, "test").unwrap_or_else(|e| panic!("{e}\n{script}"));
    let mut cfg = start;
    let cx = EditContext {
        lenient: true,
        ..Default::default()
    };
    apply_lines(&mut cfg, &stmts, &cx, "test").unwrap_or_else(|e| panic!("{e}\n{script}"));
    cfg
}

#[test]
fn generated_scripts_rebuild_and_transform_varied_configs() {
    let mut rng = fastrand::Rng::with_seed(11);
    for _ in 0..300 {
        let old = varied(&mut rng, false);
        let script = create_script(&old).unwrap();
        assert!(script.starts_with("create -b\n") && script.ends_with("commit\n"));
        let built = run_script(ZoneConfig::blank(&old.name), &script);
        assert_eq!(built, old, "{script}");

        let mut new = varied(&mut rng, false);
        new.name = old.name.clone();
        if new.zonepath.is_empty() {
            new.zonepath = old.zonepath.clone();
        }
        let script = modify_script(&old, &new).unwrap();
        assert_eq!(
            sorted(run_script(old.clone(), &script)),
            sorted(new.clone()),
            "{script}"
        );
        assert_eq!(modify_script(&new, &new).unwrap(), "commit\n");
    }
}

#[test]
fn values_stay_data_and_unquotable_values_are_refused() {
    let mut cfg = ZoneConfig::blank("vm1");
    cfg.brand = "bhyve".into();
    cfg.zonepath = "/zones/vm1".into();
    cfg.ip_type = IpType::Exclusive;
    cfg.set_attr("password", "a;end;delete -F;#x");
    cfg.set_attr("note", "commit\nx");
    assert!(create_script(&cfg).unwrap_err().contains("cannot carry"));
    cfg.remove_attr("note");
    let script = create_script(&cfg).unwrap();
    assert!(
        script.contains("set value=\"a;end;delete -F;#x\"\n"),
        "{script}"
    );
    let stmts = parse(&script).unwrap();
    // The value did not turn into commands: one create, one commit, no delete.
    assert_eq!(
        stmts
            .iter()
            .filter(|s| matches!(s, Stmt::Delete { .. }))
            .count(),
        0
    );
    let mut built = ZoneConfig::blank("vm1");
    apply(&mut built, &stmts).unwrap();
    assert_eq!(built.attr("password"), Some("a;end;delete -F;#x"));

    let mut evil = cfg.clone();
    evil.set_attr("password", "a\";end;delete -F;\"");
    let err = modify_script(&cfg, &evil).unwrap_err();
    assert!(err.contains("cannot carry"), "{err}");
    let mut long = cfg.clone();
    long.set_attr("sshkey", &"k".repeat(300));
    assert!(create_script(&long).unwrap_err().contains("at most 255"));
}

#[test]
fn modify_script_writes_only_the_differences() {
    let mut old = parse_export(BHYVE_EXPORT).unwrap();
    old.name = "web01".into();
    let mut new = old.clone();
    new.autoboot = false;
    new.set_attr("ram", "4G");
    new.set_attr("bootdisk", "rpool/zones/web01/root");
    new.nets[0].defrouter = None;
    new.nets[0].allowed_address = Some("10.0.0.6/24".into());
    new.physical_cap = Some(4 << 30);
    new.fs.clear();
    assert_eq!(
        modify_script(&old, &new).unwrap(),
        "remove fs dir=\"/rpool/iso/debian-12.iso\"\n\
         set autoboot=\"false\"\n\
         select net physical=\"web01_0\" allowed-address=\"10.0.0.5/24\"\n\
         set allowed-address=\"10.0.0.6/24\"\n\
         clear defrouter\n\
         end\n\
         select rctl name=\"zone.max-physical-memory\"\n\
         set value=(priv=privileged,limit=4294967296,action=deny)\n\
         end\n\
         select attr name=\"bootdisk\"\n\
         set value=\"rpool/zones/web01/root\"\n\
         end\n\
         add attr\n\
         set name=\"ram\"\n\
         set type=\"string\"\n\
         set value=\"4G\"\n\
         end\n\
         commit\n"
    );
}

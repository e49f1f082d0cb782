use super::*;
use crate::sys::zonecfg::script::parse_export;

/// `zonecfg -z web01 info` of a bhyve zone (tabs, trailing blanks after empty values).
const BHYVE_INFO: &str = "zonename: web01
zonepath: /zones/web01
brand: bhyve
autoboot: true
bootargs: 
pool: 
limitpriv: 
scheduling-class: 
ip-type: exclusive
hostid: 
fs-allowed: 
[max-lwps: 2000]
[cpu-shares: 10]
fs:
\tdir: /rpool/iso/debian.iso
\tspecial: /rpool/iso/debian.iso
\traw not specified
\ttype: lofs
\toptions: [ro,nodevices]
net:
\taddress not specified
\tallowed-address: 10.0.0.5/24
\tdefrouter: 10.0.0.1
\tglobal-nic: igb0
\tmac-addr not specified
\tphysical: web01_0
\tvlan-id not specified
\tproperty: (name=mtu,value=\"9000\")
device:
\tmatch: /dev/zvol/rdsk/rpool/zones/web01/root
capped-cpu:
\t[ncpus: 2.00]
capped-memory:
\t[physical: 2G]
attr:
\tname: bootdisk
\ttype: string
\tvalue: rpool/zones/web01/root
attr:
\tname: note
\ttype: string
\tvalue: \"two words\"
rctl:
\tname: zone.max-lwps
\tvalue: (priv=privileged,limit=2000,action=deny)
rctl:
\tname: zone.cpu-shares
\tvalue: (priv=privileged,limit=10,action=none)
rctl:
\tname: zone.cpu-cap
\tvalue: (priv=privileged,limit=200,action=deny)
rctl:
\tname: zone.max-physical-memory
\tvalue: (priv=privileged,limit=2147483648,action=deny)
";

const NATIVE_INFO: &str = "zonename: db
zonepath: /zones/db
brand: sparse
autoboot: false
bootargs: -m verbose
pool: 
limitpriv: default,dtrace_proc
scheduling-class: FSS
ip-type: shared
hostid: 1a2b3c4d
fs-allowed: ufs
[max-shm-memory: 1.5G]
fs:
\tdir: /data
\tspecial: /dev/dsk/c1t0d0s0
\traw: /dev/rdsk/c1t0d0s0
\ttype: ufs
\toptions: [\"retry=5\",logging]
net:
\taddress: 192.168.1.10/24
\tallowed-address not specified
\tdefrouter not specified
\tglobal-nic not specified
\tmac-addr not specified
\tphysical: e1000g0
\tvlan-id not specified
dedicated-cpu:
\tncpus: 1-4
\timportance: 2
capped-memory:
\t[swap: 4G]
dataset:
\tname: tank/db
admin:
\tuser: alice
\tauths: login,manage
rctl:
\tname: zone.max-shm-memory
\tvalue: (priv=privileged,limit=1610612736,action=deny)
rctl:
\tname: zone.max-swap
\tvalue: (priv=privileged,limit=4294967296,action=deny)
";

#[test]
fn reads_bhyve_info_with_not_specified_members_and_aliases() {
    let cfg = parse_info(BHYVE_INFO).unwrap();
    assert_eq!(cfg.name, "web01");
    assert_eq!(cfg.brand, "bhyve");
    assert_eq!(cfg.bootargs, None, "an empty value is unset");
    assert_eq!(cfg.hostid, None);
    let n = &cfg.nets[0];
    assert_eq!(n.address, None);
    assert_eq!(n.allowed_address.as_deref(), Some("10.0.0.5/24"));
    assert_eq!(n.properties[0].value, "9000");
    assert_eq!(cfg.fs[0].raw, None);
    assert_eq!(cfg.fs[0].options, ["ro", "nodevices"]);
    assert_eq!(cfg.attr("note"), Some("two words"));
    assert_eq!(cfg.capped_cpu(), Some(2.0));
    assert_eq!(cfg.physical_cap, Some(2 << 30));
    assert_eq!(cfg.rctl_limit("zone.cpu-shares"), Some("10"));
    assert_eq!(render_info(&cfg), BHYVE_INFO);
}

#[test]
fn reads_native_info_and_renders_it_back() {
    let cfg = parse_info(NATIVE_INFO).unwrap();
    assert_eq!(cfg.bootargs.as_deref(), Some("-m verbose"));
    assert_eq!(cfg.fs[0].options, ["retry=5", "logging"]);
    let dc = cfg.dedicated_cpu.as_ref().unwrap();
    assert_eq!((dc.ncpu_min.as_str(), dc.ncpu_max.as_str()), ("1", "4"));
    assert_eq!(cfg.admins[0].user, "alice");
    assert_eq!(cfg.rctl_limit("zone.max-shm-memory"), Some("1610612736"));
    assert_eq!(render_info(&cfg), NATIVE_INFO);
}

#[test]
fn bracketed_views_fill_in_rctls_info_did_not_list() {
    let text = "zonename: z\nzonepath: /z\nbrand: lipkg\nautoboot: false\n\
                [max-lwps: 3000]\ncapped-cpu:\n\t[ncpus: 0.50]\ncapped-memory:\n\t[physical: 512M]\n";
    let cfg = parse_info(text).unwrap();
    assert_eq!(cfg.rctl_limit("zone.max-lwps"), Some("3000"));
    assert_eq!(cfg.capped_cpu(), Some(0.5));
    assert_eq!(cfg.physical_cap, Some(512 << 20));
}

#[test]
fn unknown_lines_are_errors_with_their_line() {
    let err = parse_info("zonename: z\nflavour: mint\n").unwrap_err();
    assert_eq!(
        (err.line, err.message.as_str()),
        (2, "unknown property 'flavour'")
    );
    let err = parse_info("zonename: z\n\tdir: /x\n").unwrap_err();
    assert_eq!(err.line, 2);
    let err = parse_info("net:\n\tcolour: red\n").unwrap_err();
    assert_eq!(err.message, "unknown member 'colour'");
    let err = parse_info("autoboot: maybe\n").unwrap_err();
    assert!(err.message.contains("autoboot"));
}

#[test]
fn info_and_export_agree() {
    let cfg = parse_info(BHYVE_INFO).unwrap();
    let mut back = parse_export(&crate::sys::zonecfg::script::render_export(&cfg)).unwrap();
    back.name = cfg.name.clone();
    assert_eq!(back, cfg);
}

#[test]
fn filtered_info() {
    let cfg = to_rctl_form(parse_info(BHYVE_INFO).unwrap());
    let net = |phys: &str| {
        render_what(
            &cfg,
            &InfoWhat::Res(
                ResType::Net,
                vec![(Prop::Physical, Value::Simple(phys.into()))],
            ),
            false,
        )
    };
    assert!(net("web01_0").starts_with("net:\n\taddress not specified\n"));
    assert_eq!(net("nope"), "No such net resource.\n");
    assert_eq!(
        render_what(&cfg, &InfoWhat::Prop(Prop::MaxLwps), false),
        "[max-lwps: 2000]\n"
    );
    assert_eq!(
        render_what(&cfg, &InfoWhat::Prop(Prop::Pool), false),
        "pool: \n"
    );
    assert_eq!(
        render_what(&cfg, &InfoWhat::Res(ResType::CappedCpu, vec![]), false),
        "capped-cpu:\n\t[ncpus: 2.00]\n"
    );
    let gz = render_what(&cfg, &InfoWhat::All, true);
    assert!(
        gz.starts_with("zonename: web01\npool: \n[max-lwps: 2000]\n"),
        "{gz}"
    );
    assert!(!gz.contains("net:"));
}

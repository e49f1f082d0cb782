use crate::sim::{Ctx, Output, SimHost, run, zones};
use crate::sys::zoneadm::ZoneState;
use crate::sys::zonecfg::{IpType, ZoneConfig, info::render_info};
use crate::sys::zoneindex::IndexState;

fn host() -> (tempfile::TempDir, SimHost) {
    let dir = tempfile::tempdir().unwrap();
    let host = crate::sim::init::init(&dir.path().join("h"), &Default::default())
        .unwrap()
        .with_speed(0.0);
    (dir, host)
}

fn zc(host: &SimHost, args: &[&str]) -> Output {
    run(host, "zonecfg", args)
}

/// zonecfg with commands on stdin.
fn zc_stdin(host: &SimHost, args: &[&str], stdin: &str) -> Output {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let code = super::run_cli(
        &mut Ctx {
            host,
            out: &mut out,
            err: &mut err,
        },
        &args,
        Some(stdin),
    );
    Output {
        code,
        stdout: String::from_utf8_lossy(&out).into_owned(),
        stderr: String::from_utf8_lossy(&err).into_owned(),
    }
}

const BHYVE: &str = "create -b; set zonepath=/zones/web01; set brand=bhyve; set ip-type=exclusive; \
    add net; set physical=web01_0; set global-nic=igb0; end; \
    add attr; set name=ram; set type=string; set value=2G; end; commit";

fn make_web01(host: &SimHost) {
    let o = zc(host, &["-z", "web01", BHYVE]);
    assert_eq!((o.code, o.stderr.as_str()), (0, ""), "{o:?}");
}

fn set_state(host: &SimHost, zone: &str, state: IndexState) {
    let mut index = zones::load_index(host).unwrap();
    index.get_mut(zone).unwrap().state = state;
    zones::save_index(host, &index).unwrap();
}

#[test]
fn create_and_commit_write_the_xml_and_a_configured_index_entry() {
    let (_d, host) = host();
    make_web01(&host);
    let cfg = zones::load_config(&host, "web01").unwrap().unwrap();
    assert_eq!(cfg.brand, "bhyve");
    assert_eq!(cfg.ip_type, IpType::Exclusive);
    assert_eq!(cfg.nets[0].global_nic.as_deref(), Some("igb0"));
    assert_eq!(cfg.attr("ram"), Some("2G"));
    assert_eq!(cfg.debugid, Some(1));
    let index = zones::load_index(&host).unwrap();
    let e = index.get("web01").unwrap();
    assert_eq!(
        (e.state, e.zonepath.as_str(), e.uuid.as_str()),
        (IndexState::Configured, "/zones/web01", "")
    );
    // The words of one command may also come as separate arguments, as zadm passes them.
    let o = zc(
        &host,
        &["-z", "db", "create", "-b", ";", "set", "zonepath=/zones/db"],
    );
    assert_eq!(o.code, 0, "{o:?}");
    assert_eq!(
        zones::load_config(&host, "db").unwrap().unwrap().debugid,
        Some(2)
    );
    // info and export print through the sys renderers.
    let o = zc(&host, &["-z", "web01", "info"]);
    assert_eq!(o.stdout, render_info(&cfg));
    let o = zc(&host, &["-z", "web01", "export"]);
    assert!(
        o.stdout
            .starts_with("create -b\nset zonepath=/zones/web01\nset brand=bhyve\n"),
        "{}",
        o.stdout
    );
    assert!(
        o.stdout
            .contains("add net\nset physical=\"web01_0\"\nset global-nic=\"igb0\"\nend\n")
    );
}

#[test]
fn unknown_zone_bad_names_and_usage() {
    let (_d, host) = host();
    let o = zc(&host, &["-z", "nope", "info"]);
    assert_eq!(
        (o.code, o.stderr.as_str()),
        (1, "nope: No such zone configured\n")
    );
    let o = zc(&host, &["-z", "bad name", "info"]);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr
            .starts_with("bad name: Bogus zone name\n\n<zone> := [A-Za-z0-9][A-Za-z0-9_.-]*\n"),
        "{}",
        o.stderr
    );
    let o = zc(&host, &[]);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.starts_with("usage:\tzonecfg help\n")
            && o.stderr.contains("Commands:\n\nadd <resource-type>")
    );
    let o = zc(&host, &["-x"]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.starts_with("zonecfg: illegal option -- x\n"));
    let o = zc(&host, &["-z", "SUNWx", "create"]);
    assert_eq!(
        (o.code, o.stderr.as_str()),
        (1, "SUNWx: zones beginning with SUNW are read-only.\n")
    );
}

#[test]
fn incomplete_config_is_not_committed() {
    let (_d, host) = host();
    let o = zc(&host, &["-z", "new1", "create -b; commit"]);
    let once =
        "zonepath cannot be empty.\nZone new1 failed to verify\nnew1: Required resource missing\n";
    // The explicit commit fails, then zonecfg tries again at the end of input.
    assert_eq!(o.stderr, format!("{once}{once}Configuration not saved.\n"));
    assert_eq!(o.code, 1);
    assert!(zones::load_config(&host, "new1").unwrap().is_none());
    assert!(zones::load_index(&host).unwrap().get("new1").is_none());
}

#[test]
fn command_files_stop_at_the_first_error_and_commit_what_came_before() {
    let (d, host) = host();
    let path = d.path().join("cmds");
    std::fs::write(
        &path,
        "create -b\nset zonepath=/zones/f1\nset bootargs=-v -m verbose\nset autoboot=true\n",
    )
    .unwrap();
    let p = path.to_string_lossy().into_owned();
    let o = zc(&host, &["-z", "f1", "-f", &p]);
    assert_eq!(o.code, 1);
    assert!(
        o.stderr
            .starts_with("syntax error on line 3 at '-m'\nCommands:\n\n"),
        "{}",
        o.stderr
    );
    // zonecfg commits the changes made before the error at the end of the file.
    let cfg = zones::load_config(&host, "f1").unwrap().unwrap();
    assert_eq!((cfg.zonepath.as_str(), cfg.autoboot), ("/zones/f1", false));

    std::fs::write(
        &path,
        "create -b\nset zonepath=/zones/f2\nadd net\nend\nset autoboot=true\n",
    )
    .unwrap();
    let o = zc(&host, &["-z", "f2", "-f", &p]);
    assert_eq!(o.code, 1);
    assert!(
        o.stderr
            .starts_with(&format!("On line 4 of {p}:\nphysical not specified\n")),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr
            .contains("resource specification incomplete\nZone f2 failed to verify\n")
    );
    assert!(zones::load_config(&host, "f2").unwrap().is_none());

    let o = zc(&host, &["-z", "f3", "-f", "/no/such/file"]);
    assert_eq!(
        (o.code, o.stderr.as_str()),
        (
            1,
            "could not open file /no/such/file: No such file or directory\n"
        )
    );
}

#[test]
fn existing_zones_need_force_to_be_recreated() {
    let (_d, host) = host();
    make_web01(&host);
    let o = zc(&host, &["-z", "web01", "create -b"]);
    assert_eq!(o.code, 1);
    assert_eq!(
        o.stderr,
        "Zone exists, input not from terminal and -F not specified:\ncreate command ignored, exiting.\n"
    );
    let o = zc(
        &host,
        &[
            "-z",
            "web01",
            "create -F -b; set zonepath=/zones/w2; commit",
        ],
    );
    assert_eq!(
        (o.code, o.stdout.as_str()),
        (0, "Zone web01 already exists; overwriting.\n"),
        "{o:?}"
    );
    let cfg = zones::load_config(&host, "web01").unwrap().unwrap();
    assert!(cfg.nets.is_empty());
    assert_eq!(
        zones::load_index(&host)
            .unwrap()
            .get("web01")
            .unwrap()
            .zonepath,
        "/zones/w2"
    );
}

#[test]
fn installed_zones_keep_their_zonepath_and_brand() {
    let (_d, host) = host();
    make_web01(&host);
    set_state(&host, "web01", IndexState::Installed);
    let o = zc(
        &host,
        &["-z", "web01", "set zonepath=/elsewhere; set brand=lipkg"],
    );
    assert_eq!(
        o.stderr,
        "Zone web01 already installed; set zonepath not allowed.\nZone web01 already installed; set brand not allowed.\n"
    );
    assert_eq!(
        zones::load_config(&host, "web01")
            .unwrap()
            .unwrap()
            .zonepath,
        "/zones/web01"
    );
    let o = zc(&host, &["-z", "web01", "create -F -b"]);
    assert_eq!(
        o.stderr,
        "Zone web01 already installed; create not allowed.\n"
    );
    // Other properties may change.
    let o = zc(&host, &["-z", "web01", "set autoboot=true"]);
    assert_eq!(o.code, 0);
    assert!(
        zones::load_config(&host, "web01")
            .unwrap()
            .unwrap()
            .autoboot
    );
    let o = zc(&host, &["-z", "web01", "delete"]);
    assert_eq!(
        (o.code, o.stderr.as_str()),
        (
            1,
            "Input not from terminal and -F not specified:\ndelete command ignored, exiting.\n"
        )
    );
}

#[test]
fn delete_removes_the_zone_unless_it_is_running() {
    let (_d, host) = host();
    make_web01(&host);
    let mut runtime = zones::load_runtime(&host).unwrap();
    let id = runtime.allocate_id();
    runtime.zones.insert(
        "web01".into(),
        zones::ActiveZone {
            state: ZoneState::Running,
            id,
            booted_at: 1,
            boot_count: 1,
        },
    );
    zones::save_runtime(&host, &runtime).unwrap();
    let o = zc(&host, &["-z", "web01", "delete", "-F"]);
    assert_eq!(
        (o.code, o.stderr.as_str()),
        (
            1,
            "web01: Zone state is invalid for the requested operation\n"
        )
    );
    zones::save_runtime(&host, &zones::Runtime::default()).unwrap();
    set_state(&host, "web01", IndexState::Installed);
    let o = zc(&host, &["-z", "web01", "delete", "-F"]);
    assert_eq!((o.code, o.stderr.as_str()), (0, ""));
    assert!(zones::load_config(&host, "web01").unwrap().is_none());
    assert!(zones::load_index(&host).unwrap().get("web01").is_none());
    let o = zc(&host, &["-z", "web01", "delete -F"]);
    assert_eq!(
        o.stderr,
        "web01: No such zone configured\nweb01: No such zone configured\n"
    );
}

#[test]
fn resource_rules_and_their_messages() {
    let (_d, host) = host();
    make_web01(&host);
    let o = zc(
        &host,
        &[
            "-z",
            "web01",
            "add net; set physical=web01_0; set global-nic=igb0; end",
        ],
    );
    // The resource stays open, so input ends inside it and nothing is committed.
    assert_eq!(
        o.stderr,
        "A net resource with the physical 'web01_0', and allowed-address '' already exists.\n\
         Resource incomplete.\n"
    );
    assert_eq!(o.code, 1);
    let o = zc(
        &host,
        &[
            "-z",
            "web01",
            "add net; set physical=web01_1; end; remove net",
        ],
    );
    assert!(
        o.stderr
            .starts_with("There are multiple instances of this resource."),
        "{}",
        o.stderr
    );
    let o = zc(
        &host,
        &[
            "-z",
            "web01",
            "remove -F net; add net; set allowed-address=10.0.0.9/24; set physical=vnic9; end",
        ],
    );
    assert_eq!((o.code, o.stderr.as_str()), (0, ""));
    let cfg = zones::load_config(&host, "web01").unwrap().unwrap();
    assert_eq!(cfg.nets.len(), 1);
    let o = zc(&host, &["-z", "web01", "select net physical=nope"]);
    assert_eq!(o.stderr, "select net: No such resource with that id\n");
    let o = zc(&host, &["-z", "web01", "info net physical=nope"]);
    assert_eq!((o.code, o.stdout.as_str()), (0, "No such net resource.\n"));
    // Shared-IP rules are checked by verify.
    let o = zc(
        &host,
        &[
            "-z",
            "web01",
            "set brand=lipkg; set ip-type=shared; add net; set physical=e1000g0; end; verify",
        ],
    );
    assert!(
        o.stderr.contains("net: address not specified\n"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr
            .contains("net: allowed-address cannot be specified for a shared IP type\n")
    );
}

#[test]
fn bhyve_needs_exclusive_ip() {
    let (_d, host) = host();
    let o = zc(
        &host,
        &[
            "-z",
            "vm",
            "create -b; set brand=bhyve; set zonepath=/zones/vm; commit",
        ],
    );
    assert_eq!(o.code, 1);
    assert!(
        o.stderr.contains("vm: Brand-specific error\n"),
        "{}",
        o.stderr
    );
    let o = zc(
        &host,
        &["-z", "vm", "create -t bhyve; set zonepath=/zones/vm"],
    );
    assert_eq!((o.code, o.stderr.as_str()), (0, ""));
    let cfg = zones::load_config(&host, "vm").unwrap().unwrap();
    assert_eq!(
        (cfg.brand.as_str(), cfg.ip_type),
        ("bhyve", IpType::Exclusive)
    );
    let o = zc(&host, &["-z", "vm2", "create -t vm"]);
    assert_eq!(o.stderr, "OMNIvm: No such zone configured\n");
}

#[test]
fn stdin_commands_rename_and_fault_injection() {
    let (_d, host) = host();
    let o = zc_stdin(
        &host,
        &["-z", "s1"],
        "create -b\nset zonepath=/zones/s1\nexit\n",
    );
    assert_eq!(o.stderr, "s1: No such zone configured\n");
    assert_eq!(o.stdout, "Use 'create' to begin configuring a new zone.\n");
    assert_eq!(o.code, 0);
    assert!(zones::load_config(&host, "s1").unwrap().is_some());

    let o = zc(&host, &["-z", "s1", "set zonename=s2"]);
    assert_eq!((o.code, o.stderr.as_str()), (0, ""));
    let index = zones::load_index(&host).unwrap();
    assert!(index.get("s1").is_none() && index.get("s2").is_some());
    assert!(zones::load_config(&host, "s1").unwrap().is_none());
    assert_eq!(zones::load_config(&host, "s2").unwrap().unwrap().name, "s2");

    let failing = host.clone().with_fail(Some("zonecfg -z s2"));
    let o = zc(&failing, &["-z", "s2", "set autoboot=true"]);
    assert_eq!(
        (o.code, o.stderr.as_str()),
        (1, "s2: Problem saving file\nConfiguration not saved.\n")
    );
    assert!(!zones::load_config(&host, "s2").unwrap().unwrap().autoboot);
    // Reading is never failed.
    assert_eq!(
        zc(&failing, &["-z", "s2", "info", "zonepath"]).stdout,
        "zonepath: /zones/s1\n"
    );
}

#[test]
fn templates_qualified_removes_and_help() {
    let (_d, host) = host();
    // OmniOS: a template name starting upper-case is used as is (a zone or SUNW…).
    let o = zc(
        &host,
        &[
            "-z",
            "Tmpl",
            "create -t bhyve; set zonepath=/zones/tmpl; add attr; set name=ram; set type=string; set value=4G; end",
        ],
    );
    assert_eq!((o.code, o.stderr.as_str()), (0, ""));
    let o = zc(
        &host,
        &["-z", "copy", "create -t Tmpl; set zonepath=/zones/copy"],
    );
    assert_eq!((o.code, o.stderr.as_str()), (0, ""));
    let copy = zones::load_config(&host, "copy").unwrap().unwrap();
    assert_eq!((copy.name.as_str(), copy.brand.as_str()), ("copy", "bhyve"));
    assert_eq!(copy.attr("ram"), Some("4G"));
    let o = zc(&host, &["-z", "dflt", "create; set zonepath=/zones/dflt"]);
    assert_eq!(o.code, 0);
    assert_eq!(
        zones::load_config(&host, "dflt").unwrap().unwrap().brand,
        "ipkg"
    );

    let o = zc(
        &host,
        &[
            "-z",
            "copy",
            "add net; set physical=a0; set allowed-address=10.0.0.1/24; end; \
        add net; set physical=a0; set allowed-address=10.0.0.2/24; end; remove net physical=a0",
        ],
    );
    assert!(
        o.stderr
            .ends_with("remove net: Insufficient specification\n"),
        "{}",
        o.stderr
    );
    let o = zc(
        &host,
        &[
            "-z",
            "copy",
            "remove net physical=a0 allowed-address=10.0.0.2/24",
        ],
    );
    assert_eq!((o.code, o.stderr.as_str()), (0, ""));
    assert_eq!(
        zones::load_config(&host, "copy")
            .unwrap()
            .unwrap()
            .nets
            .len(),
        1
    );
    let o = zc(&host, &["-z", "copy", "remove dataset name=tank/x"]);
    assert_eq!(o.stderr, "remove dataset: No such resource with that id\n");

    let o = zc(&host, &["help", "set"]);
    assert!(
        o.stdout
            .starts_with("usage:\nset <property-name>=<property-value>\n\tSets property values.\n")
    );
    assert!(o.stdout.contains("\tnet\t\taddress, allowed-address, global-nic, mac-addr, physical, property, vlan-id defrouter\n"));
    let o = zc(&host, &["-z", "copy", "help bogus"]);
    assert!(
        o.stderr
            .starts_with("Unknown help subject bogus.  More help is available")
    );
}

#[test]
fn a_template_script_starts_from_the_brand_template() {
    use crate::sys::zonecfg::script::template_script;
    let (_d, host) = host();
    // OmniOS's brand templates: an exclusive-IP zone of the brand.
    let template = ZoneConfig {
        brand: "sparse".into(),
        ip_type: IpType::Exclusive,
        ..ZoneConfig::blank("")
    };
    let mut wanted = template.clone();
    wanted.name = "dns02".into();
    wanted.zonepath = "/zones/dns02".into();
    wanted.autoboot = true;
    wanted.set_attr("resolvers", "192.168.12.1,192.168.13.1");
    let script = template_script("sparse", &template, &wanted).unwrap();
    assert!(script.starts_with("create -t \"sparse\"\n"), "{script}");
    assert!(
        !script.contains("zonename"),
        "the name comes from -z: {script}"
    );
    let out = zc_stdin(&host, &["-z", "dns02"], &script);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let made = zones::load_config(&host, "dns02").unwrap().unwrap();
    assert_eq!(
        ZoneConfig {
            debugid: None,
            ..made
        },
        wanted
    );
}

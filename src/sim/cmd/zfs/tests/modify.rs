use super::*;

#[test]
fn create_rules_and_usage() {
    let (_d, h) = host();
    assert_eq!(
        err(&h, &["create", "rpool/a/b"], 1),
        "cannot create 'rpool/a/b': parent does not exist\n"
    );
    ok(&h, &["create", "-p", "-o", "zcon:x=1", "rpool/a/b"]);
    assert!(h.host_path("/rpool/a/b").is_dir());
    assert_eq!(prop(&h, "rpool/a/b", "zcon:x"), "1");
    assert_eq!(
        prop(&h, "rpool/a", "zcon:x"),
        "-",
        "-p parents get no -o properties"
    );
    ok(&h, &["create", "-p", "rpool/a/b"]);
    assert_eq!(
        err(&h, &["create", "rpool/a/b"], 1),
        "cannot create 'rpool/a/b': dataset already exists\n"
    );
    ok(
        &h,
        &["create", "-s", "-b", "16K", "-V", "1G", "rpool/a/vol"],
    );
    assert_eq!(prop(&h, "rpool/a/vol", "volblocksize"), "16384");
    assert_eq!(prop(&h, "rpool/a/vol", "refreservation"), "0");
    assert_eq!(
        err(&h, &["create", "-V", "1000", "rpool/a/v2"], 1),
        "cannot create 'rpool/a/v2': volume size must be a multiple of volume block size\n"
    );
    assert_eq!(
        err(&h, &["create", "-V", "200G", "rpool/a/v3"], 1),
        "cannot create 'rpool/a/v3': out of space\n"
    );
    ok(&h, &["create", "-s", "-V", "200G", "rpool/a/sparse"]);
    assert_eq!(
        err(&h, &["create", "-V", "lots", "rpool/x"], 1),
        "bad volume size 'lots': bad numeric value 'lots'\n"
    );
    let e = err(&h, &["create", "-s", "rpool/x"], 2);
    assert!(
        e.starts_with(
            "'-s' and '-b' can only be used when creating a volume\nusage:\n\tcreate [-p]"
        ),
        "{e}"
    );
    let e = err(&h, &["create"], 2);
    assert!(e.starts_with("missing filesystem argument\n"), "{e}");
    assert!(
        e.ends_with("For the delegated permission list, run: zfs allow|unallow\n"),
        "{e}"
    );
    assert!(err(&h, &["create", "-V"], 2).starts_with("missing size argument\n"));
    assert!(err(&h, &["create", "-x", "rpool/y"], 2).starts_with("invalid option 'x'\n"));
    assert!(err(&h, &["create", "rpool/y", "rpool/z"], 2).starts_with("too many arguments\n"));
    assert_eq!(
        err(&h, &["create", "-o", "compression=fast", "rpool/y"], 1),
        "cannot create 'rpool/y': 'compression' must be one of \
         'on | off | lzjb | gzip | gzip-[1-9] | zle | lz4'\n"
    );
    assert_eq!(
        err(&h, &["create", "-o", "quota", "rpool/y"], 1),
        "missing '=' for property=value argument\n"
    );
}

#[test]
fn destroy_messages_and_dry_run() {
    let (_d, h) = host();
    ok(&h, &["create", "-p", "rpool/a/b/c"]);
    ok(&h, &["snapshot", "-r", "rpool/a@s"]);
    assert_eq!(
        err(&h, &["destroy", "rpool/a"], 1),
        "cannot destroy 'rpool/a': filesystem has children\n\
         use '-r' to destroy the following datasets:\n\
         rpool/a/b/c@s\nrpool/a/b/c\nrpool/a/b@s\nrpool/a/b\nrpool/a@s\n"
    );
    let out = ok(&h, &["destroy", "-nv", "-r", "rpool/a/b"]);
    assert_eq!(
        out,
        "would destroy rpool/a/b/c@s\nwould destroy rpool/a/b/c\nwould destroy rpool/a/b@s\n\
         would destroy rpool/a/b\n"
    );
    assert!(names(&h).contains(&"rpool/a/b".to_string()));
    ok(&h, &["clone", "rpool/a/b@s", "rpool/clone"]);
    assert_eq!(
        err(&h, &["destroy", "-r", "rpool/a/b"], 1),
        "cannot destroy 'rpool/a/b': filesystem has dependent clones\n\
         use '-R' to destroy the following datasets:\nrpool/clone\n"
    );
    assert_eq!(
        err(&h, &["destroy", "rpool/a/b@s"], 1),
        "cannot destroy 'rpool/a/b@s': snapshot has dependent clones\n\
         use '-R' to destroy the following datasets:\nrpool/clone\n"
    );
    assert_eq!(
        err(&h, &["destroy", "rpool/a@nope"], 1),
        "could not find any snapshots to destroy; check snapshot names.\n"
    );
    let e = err(&h, &["destroy", "rpool"], 1);
    assert!(
        e.starts_with("cannot destroy 'rpool': operation does not apply to pools\n"),
        "{e}"
    );
    assert_eq!(
        ok(&h, &["destroy", "-Rp", "rpool/a/b"]),
        "destroy\trpool/a/b/c@s\ndestroy\trpool/a/b/c\ndestroy\trpool/clone\ndestroy\trpool/a/b@s\n\
         destroy\trpool/a/b\n"
    );
    assert_eq!(names(&h), ["rpool", "rpool/a", "rpool/a@s"]);
    assert!(!h.host_path("/rpool/a/b").exists());
    ok(&h, &["destroy", "rpool/a@s"]);
    assert_eq!(names(&h), ["rpool", "rpool/a"]);
    assert_eq!(
        err(&h, &["destroy", "rpool/zz"], 1),
        "cannot open 'rpool/zz': dataset does not exist\n"
    );
    assert!(err(&h, &["destroy"], 2).starts_with("missing dataset argument\n"));
}

#[test]
fn snapshots_and_rollback() {
    let (_d, h) = host();
    ok(&h, &["create", "-p", "rpool/a/b"]);
    ok(&h, &["snapshot", "-r", "rpool/a@one"]);
    ok(&h, &["snapshot", "rpool/a@two", "rpool/a/b@two"]);
    assert_eq!(
        err(&h, &["snapshot", "-r", "rpool/a@two"], 1),
        "cannot create snapshot 'rpool/a@two': dataset already exists\nno snapshots were created\n"
    );
    assert_eq!(
        err(&h, &["snapshot", "rpool/a@bad name"], 1),
        "cannot create snapshot 'rpool/a@bad name': invalid character ' ' in name\n"
    );
    let e = err(&h, &["snapshot", "rpool/none@x"], 2);
    assert!(
        e.starts_with("cannot open 'rpool/none': dataset does not exist\nusage:\n"),
        "{e}"
    );
    assert!(err(&h, &["snapshot", "rpool/a"], 2).starts_with("usage:\n\tsnapshot"));
    assert_eq!(
        err(&h, &["rollback", "rpool/a@one"], 1),
        "cannot rollback to 'rpool/a@one': more recent snapshots or bookmarks exist\n\
         use '-r' to force deletion of the following snapshots and bookmarks:\nrpool/a@two\n"
    );
    ok(&h, &["clone", "rpool/a@two", "rpool/c"]);
    assert_eq!(
        err(&h, &["rollback", "-r", "rpool/a@one"], 1),
        "cannot rollback to 'rpool/a@one': clones of previous snapshots exist\n\
         use '-R' to force deletion of the following clones and dependents:\nrpool/c\n"
    );
    ok(&h, &["rollback", "-R", "rpool/a@one"]);
    assert!(!names(&h).contains(&"rpool/c".to_string()));
    assert!(!names(&h).contains(&"rpool/a@two".to_string()));
    assert!(names(&h).contains(&"rpool/a/b@two".to_string()));
    assert_eq!(
        err(&h, &["rollback", "rpool/a"], 1),
        "cannot open 'rpool/a': operation not applicable to datasets of this type\n"
    );
    assert_eq!(
        err(&h, &["rollback", "rpool/a@zz"], 1),
        "cannot open 'rpool/a@zz': dataset does not exist\n"
    );
}

#[test]
fn clone_promote_rename() {
    let (_d, h) = host();
    ok(&h, &["create", "-o", "mountpoint=/zones", "rpool/zones"]);
    ok(&h, &["create", "rpool/zones/tpl"]);
    ok(&h, &["snapshot", "rpool/zones/tpl@gold"]);
    ok(
        &h,
        &["clone", "-p", "rpool/zones/tpl@gold", "rpool/zones/vms/web"],
    );
    assert!(h.host_path("/zones/vms/web").is_dir());
    assert_eq!(
        prop(&h, "rpool/zones/vms/web", "origin"),
        "rpool/zones/tpl@gold"
    );
    assert_eq!(
        prop(&h, "rpool/zones/tpl@gold", "clones"),
        "rpool/zones/vms/web"
    );
    assert_eq!(
        err(&h, &["clone", "rpool/zones/tpl", "rpool/x"], 1),
        "cannot open 'rpool/zones/tpl': operation not applicable to datasets of this type\n"
    );
    ok(&h, &["promote", "rpool/zones/vms/web"]);
    assert_eq!(
        prop(&h, "rpool/zones/tpl", "origin"),
        "rpool/zones/vms/web@gold"
    );
    assert_eq!(prop(&h, "rpool/zones/vms/web", "origin"), "-");
    ok(&h, &["rename", "rpool/zones/vms", "rpool/zones/machines"]);
    assert!(h.host_path("/zones/machines/web").is_dir());
    assert_eq!(
        prop(&h, "rpool/zones/tpl", "origin"),
        "rpool/zones/machines/web@gold"
    );
    ok(&h, &["snapshot", "-r", "rpool/zones@old"]);
    ok(&h, &["rename", "-r", "rpool/zones@old", "@new"]);
    assert!(names(&h).contains(&"rpool/zones/machines/web@new".to_string()));
    assert!(!names(&h).iter().any(|n| n.ends_with("@old")));
    ok(&h, &["rename", "rpool/zones/machines/web@gold", "@golden"]);
    assert_eq!(
        prop(&h, "rpool/zones/tpl", "origin"),
        "rpool/zones/machines/web@golden"
    );
    assert_eq!(
        err(&h, &["rename", "rpool/zones/tpl", "rpool/nope/tpl"], 1),
        "cannot create 'rpool/nope/tpl': parent does not exist\n"
    );
    ok(&h, &["rename", "-p", "rpool/zones/tpl", "rpool/nope/tpl"]);
    let e = err(&h, &["rename", "-r", "rpool/nope", "rpool/x"], 2);
    assert!(
        e.starts_with("source dataset for recursive rename must be a snapshot\n"),
        "{e}"
    );
}

#[test]
fn set_and_inherit() {
    let (_d, h) = host();
    ok(&h, &["create", "-p", "rpool/a/b"]);
    ok(&h, &["set", "mountpoint=/srv", "quota=10G", "rpool/a"]);
    assert_eq!(prop(&h, "rpool/a/b", "mountpoint"), "/srv/b");
    assert!(h.host_path("/srv/b").is_dir());
    assert_eq!(prop(&h, "rpool/a", "quota"), (10 * G).to_string());
    assert_eq!(
        ok(&h, &["get", "-H", "-o", "value", "quota", "rpool/a"]),
        "10G\n"
    );
    ok(&h, &["inherit", "mountpoint", "rpool/a"]);
    assert_eq!(prop(&h, "rpool/a/b", "mountpoint"), "/rpool/a/b");
    assert_eq!(
        err(&h, &["set", "used=5", "rpool/a"], 1),
        "cannot set property for 'rpool/a': 'used' is readonly\n"
    );
    assert_eq!(
        err(&h, &["set", "colour=blue", "rpool/a"], 1),
        "cannot set property for 'rpool/a': invalid property 'colour'\n"
    );
    assert_eq!(
        err(&h, &["set", "volsize=1G", "rpool/a"], 1),
        "cannot set property for 'rpool/a': 'volsize' does not apply to datasets of this type\n"
    );
    ok(&h, &["create", "-V", "1G", "rpool/v"]);
    ok(&h, &["set", "volsize=2G", "rpool/v"]);
    assert_eq!(
        prop(&h, "rpool/v", "refreservation"),
        crate::sim::zfs::volsize_to_reservation(2 * G, 8192, 1).to_string()
    );
    assert_eq!(
        err(&h, &["set", "refreservation=500G", "rpool/v"], 1),
        "cannot set property for 'rpool/v': size is greater than available space\n"
    );
    assert_eq!(
        err(&h, &["set", "quota=1M", "rpool"], 1),
        "cannot set property for 'rpool': size is less than current used or reserved space\n"
    );
    assert_eq!(
        err(&h, &["set", "compression=lz4", "rpool/a@nope"], 1),
        "cannot open 'rpool/a@nope': dataset does not exist\n"
    );
    assert!(err(&h, &["set", "rpool/a", "quota=1G"], 2).starts_with("invalid argument order\n"));
    assert!(err(&h, &["set", "quota=1G"], 2).starts_with("missing dataset name(s)\n"));
    assert_eq!(
        err(&h, &["inherit", "used", "rpool/a"], 1),
        "used property is read-only\n"
    );
    assert_eq!(
        err(&h, &["inherit", "quota", "rpool/a"], 1),
        "'quota' property cannot be inherited\nuse 'zfs set quota=none' to clear\n\
         use 'zfs inherit -S quota' to revert to received value\n"
    );
    ok(&h, &["set", "zcon:tag=x", "rpool/a"]);
    ok(&h, &["set", "zcon:tag=y", "rpool/a/b"]);
    ok(&h, &["inherit", "-r", "zcon:tag", "rpool/a"]);
    assert_eq!(prop(&h, "rpool/a/b", "zcon:tag"), "-");
    // `zfs prop=value ds` is `zfs set`.
    ok(&h, &["atime=off", "rpool/a"]);
    assert_eq!(prop(&h, "rpool/a", "atime"), "off");
}

#[test]
fn injected_faults_change_nothing() {
    let (_d, h) = host();
    let h = h.with_fail(Some("zfs create@1"));
    assert_eq!(
        err(&h, &["create", "rpool/a"], 1),
        "cannot create 'rpool/a': out of space\n"
    );
    assert_eq!(names(&h), ["rpool"]);
    ok(&h, &["create", "rpool/a"]);
    let h = h.with_fail(Some("zfs destroy@*"));
    assert_eq!(
        err(&h, &["destroy", "rpool/a"], 1),
        "cannot destroy 'rpool/a': dataset is busy\n"
    );
    assert_eq!(names(&h), ["rpool", "rpool/a"]);
}

#[test]
fn general_usage() {
    let (_d, h) = host();
    let e = err(&h, &[], 2);
    assert!(
        e.starts_with(
            "usage: zfs command args ...\nwhere 'command' is one of the following:\n\n\tcreate [-p]"
        ),
        "{e}"
    );
    assert!(e.contains("\nEach dataset is of the form: pool/[dataset/]*dataset[@name]\n"));
    let o = zfs(&h, &["-?"]);
    assert_eq!(o.code, 0);
    assert!(o.stdout.starts_with("usage: zfs command args ..."));
    let o = zfs(&h, &["get", "-?"]);
    assert_eq!(o.code, 0);
    assert!(o.stdout.starts_with("usage:\n\tget [-rHp]"));
    assert!(
        o.stdout
            .contains("\tcompression     YES      YES   on | off | lzjb"),
        "{}",
        o.stdout
    );
    assert!(err(&h, &["frobnicate"], 2).starts_with("unrecognized command 'frobnicate'\n"));
}

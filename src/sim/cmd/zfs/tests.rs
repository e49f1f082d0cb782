use crate::sim::zfs::ZfsStore;
use crate::sim::{Output, SimHost};

pub(crate) fn host() -> (tempfile::TempDir, SimHost) {
    let dir = tempfile::tempdir().unwrap();
    let host = crate::sim::init::init(&dir.path().join("h"), &Default::default())
        .unwrap()
        .with_speed(0.0);
    let mut store = ZfsStore::load(&host).unwrap();
    store.add_pool(&host, "rpool", 100 << 30).unwrap();
    store.save(&host).unwrap();
    (dir, host)
}

pub(crate) fn zfs(host: &SimHost, args: &[&str]) -> Output {
    crate::sim::run(host, "zfs", args)
}

#[test]
fn smoke() {
    let (_d, h) = host();
    for args in [
        &["create", "rpool/zones"][..],
        &["create", "-o", "mountpoint=/zones", "rpool/zones2"],
        &["create", "-V", "10G", "rpool/vol"],
        &["snapshot", "-r", "rpool@now"],
        &["list"],
        &[
            "list",
            "-t",
            "all",
            "-o",
            "name,type,used,avail,refer,mountpoint,volsize,origin,creation",
        ],
        &[
            "list",
            "-Hp",
            "-t",
            "all",
            "-o",
            "name,type,used,avail,refer,mountpoint,volsize,origin,creation",
        ],
        &["get", "all", "rpool/vol"],
        &[
            "get",
            "-Hp",
            "-o",
            "name,property,value,source",
            "mountpoint,used,zcon:x",
            "rpool/zones",
        ],
        &["destroy", "rpool"],
        &["create", "rpool/a b"],
        &["bogus"],
    ] {
        let o = zfs(&h, args);
        println!(
            "$ zfs {}\n[{}]\n{}{}",
            args.join(" "),
            o.code,
            o.stdout,
            o.stderr
        );
    }
    let o = crate::sim::run(&h, "zpool", &["list"]);
    println!("{}{}", o.stdout, o.stderr);
    let o = crate::sim::run(
        &h,
        "zpool",
        &[
            "list",
            "-Hp",
            "-o",
            "name,size,alloc,free,frag,cap,dedup,health,altroot",
        ],
    );
    println!("{}{}", o.stdout, o.stderr);
}

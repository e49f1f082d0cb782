use super::*;
use crate::sys::zpool;

fn zpool_run(h: &SimHost, args: &[&str]) -> crate::sim::Output {
    crate::sim::run(h, "zpool", args)
}

#[test]
fn zpool_list_parses_with_sys() {
    let (_d, h) = host();
    ok(&h, &["create", "-V", "10G", "rpool/vol"]);
    let cmd = zpool::list();
    let args: Vec<&str> = cmd.args.iter().map(String::as_str).collect();
    let o = zpool_run(&h, &args);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let pools = zpool::parse_list(&o.stdout).unwrap();
    assert_eq!(pools.len(), 1);
    let p = &pools[0];
    assert_eq!(p.name, "rpool");
    assert_eq!(p.size, 100 * G);
    let root_used: u64 = prop(&h, "rpool", "used").parse().unwrap();
    assert_eq!(p.alloc, root_used);
    assert_eq!(p.alloc + p.free, p.size);
    assert_eq!(p.cap, 10);
    assert_eq!((p.frag, p.dedup), (Some(0), Some(1.0)));
    assert!(p.is_healthy());
    assert_eq!(p.altroot, None);
}

#[test]
fn zpool_human_output_get_and_errors() {
    let (_d, h) = host();
    let o = zpool_run(&h, &["list"]);
    assert_eq!(
        o.stdout,
        "NAME    SIZE  ALLOC   FREE  CKPOINT  EXPANDSZ   FRAG    CAP  DEDUP    HEALTH  ALTROOT\n\
         rpool   100G    24K   100G        -         -     0%     0%  1.00x    ONLINE  -\n"
    );
    let o = zpool_run(
        &h,
        &[
            "get",
            "-H",
            "-o",
            "name,property,value,source",
            "health,size,altroot",
            "rpool",
        ],
    );
    assert_eq!(
        o.stdout,
        "rpool\thealth\tONLINE\t-\nrpool\tsize\t100G\t-\nrpool\taltroot\t-\tdefault\n"
    );
    let o = zpool_run(&h, &["get", "-Hp", "-o", "value", "size", "rpool"]);
    assert_eq!(o.stdout, format!("{}\n", 100 * G));
    let o = zpool_run(&h, &["list", "tank"]);
    assert_eq!(
        (o.code, o.stderr.as_str()),
        (1, "cannot open 'tank': no such pool\n")
    );
    let o = zpool_run(&h, &["list", "-o", "name,colour"]);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr
            .starts_with("bad property list: invalid property 'colour'\nusage:\n\tlist"),
        "{}",
        o.stderr
    );
    let o = zpool_run(&h, &["frobnicate"]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.starts_with("unrecognized command 'frobnicate'\n"));
}

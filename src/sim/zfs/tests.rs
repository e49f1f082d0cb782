use super::props::Source;
use super::*;
use crate::sim::SimHost;

const G: u64 = 1 << 30;

fn host() -> (tempfile::TempDir, SimHost) {
    let dir = tempfile::tempdir().unwrap();
    let host = crate::sim::init::init(&dir.path().join("h"), &Default::default())
        .unwrap()
        .with_speed(0.0);
    (dir, host)
}

fn store(host: &SimHost, size: u64) -> ZfsStore {
    let mut s = ZfsStore::load(host).unwrap();
    s.add_pool(host, "rpool", size).unwrap();
    s
}

fn usage(s: &ZfsStore, name: &str) -> space::Usage {
    s.usage_of(name)
}

#[test]
fn state_file_round_trips() {
    let (_d, h) = host();
    let mut s = store(&h, 100 * G);
    s.create_filesystem(
        &h,
        "rpool/a",
        &[("zcon:note", "tab\there\nnew\\line"), ("quota", "5G")],
    )
    .unwrap();
    s.create_volume("rpool/v", 2 * G, false, &[("volblocksize", "16K")])
        .unwrap();
    s.snapshot("rpool/a@s1").unwrap();
    s.set_written("rpool/a", 3 << 20);
    s.clone_snapshot(&h, "rpool/a@s1", "rpool/c", &[]).unwrap();
    s.datasets.get_mut("rpool/c").unwrap().unmounted = true;
    s.set_property(&h, "rpool/a@s1", "zcon:snap", "x y")
        .unwrap();
    s.save(&h).unwrap();
    let back = ZfsStore::load(&h).unwrap();
    assert_eq!(persist::render(&back), persist::render(&s));
    let a = &back.datasets["rpool/a"];
    assert_eq!(a.local("zcon:note").unwrap().value, "tab\there\nnew\\line");
    assert_eq!(a.num("quota"), 5 * G);
    assert!(a.modified);
    assert_eq!(a.snaps[0].props[0].value, "x y");
    assert_eq!(
        back.datasets["rpool/c"].origin.as_deref(),
        Some("rpool/a@s1")
    );
    assert!(back.datasets["rpool/c"].unmounted);
    assert_eq!(back.datasets["rpool/v"].num("volblocksize"), 16384);
    assert_eq!(back.pools["rpool"].size, 100 * G);
    let err = persist::parse("zcon-zfs 1\nds\trpool\tq\n").unwrap_err();
    assert_eq!(err.0, 2);
    assert!(err.1.contains("unknown dataset kind 'q'"), "{err:?}");
    assert!(persist::parse("garbage").is_err());
}

#[test]
fn thick_volumes_reserve_like_illumos() {
    // zvol_volsize_to_reservation(10G, 8K blocks, 1 copy): 1290 metadata blocks, twice.
    assert_eq!(
        volsize_to_reservation(10 * G, 8192, 1),
        10 * G + 2580 * 131072
    );
    let (_d, h) = host();
    let mut s = store(&h, 100 * G);
    s.create_volume("rpool/thick", 10 * G, false, &[]).unwrap();
    s.create_volume("rpool/thin", 10 * G, true, &[]).unwrap();
    assert_eq!(
        s.datasets["rpool/thick"].num("refreservation"),
        volsize_to_reservation(10 * G, 8192, 1)
    );
    assert_eq!(s.datasets["rpool/thin"].local("refreservation"), None);
    let thick = usage(&s, "rpool/thick");
    assert_eq!(
        thick.by_refreservation,
        volsize_to_reservation(10 * G, 8192, 1) - 12288
    );
    assert_eq!(thick.used, volsize_to_reservation(10 * G, 8192, 1));
    assert_eq!(usage(&s, "rpool/thin").used, 12288);
}

#[test]
fn creation_follows_libzfs_rules() {
    let (_d, h) = host();
    let mut s = store(&h, 20 * G);
    let e = |r: Result<(), String>| r.unwrap_err();
    assert_eq!(
        e(s.create_filesystem(&h, "rpool/x/y", &[])),
        "cannot create 'rpool/x/y': parent does not exist"
    );
    assert_eq!(
        e(s.create_filesystem(&h, "tank/x", &[])),
        "cannot create 'tank/x': no such pool 'tank'"
    );
    assert_eq!(
        e(s.create_filesystem(&h, "rpool", &[])),
        "cannot create 'rpool': missing dataset name"
    );
    s.create_filesystem(&h, "rpool/x", &[]).unwrap();
    assert_eq!(
        e(s.create_filesystem(&h, "rpool/x", &[])),
        "cannot create 'rpool/x': dataset already exists"
    );
    assert_eq!(
        e(s.create_filesystem(&h, "rpool/x$", &[])),
        "cannot create 'rpool/x$': invalid character '$' in name"
    );
    assert_eq!(
        e(s.create_filesystem(&h, "rpool/x", &[("bogus", "1")])),
        "cannot create 'rpool/x': dataset already exists"
    );
    assert_eq!(
        e(s.create_filesystem(&h, "rpool/y", &[("bogus", "1")])),
        "cannot create 'rpool/y': invalid property 'bogus'"
    );
    assert_eq!(
        e(s.create_filesystem(&h, "rpool/y", &[("volsize", "1G")])),
        "cannot create 'rpool/y': 'volsize' does not apply to datasets of this type"
    );
    assert_eq!(
        e(s.create_volume("rpool/v", 1000, true, &[])),
        "cannot create 'rpool/v': volume size must be a multiple of volume block size"
    );
    assert_eq!(
        e(s.create_volume("rpool/v", 0, true, &[])),
        "cannot create 'rpool/v': volume size cannot be zero"
    );
    assert_eq!(
        e(s.create_volume("rpool/v", 30 * G, false, &[])),
        "cannot create 'rpool/v': out of space"
    );
    s.create_volume("rpool/x/v", 8 * G, false, &[]).unwrap();
    assert_eq!(
        e(s.create_filesystem(&h, "rpool/x/v/f", &[])),
        "cannot create 'rpool/x/v/f': parent is not a filesystem"
    );
    s.create_ancestors(&h, "rpool/p/q/r").unwrap();
    assert!(s.exists("rpool/p/q") && !s.exists("rpool/p/q/r"));
    assert!(h.host_path("/rpool/p/q").is_dir());
}

#[test]
fn used_and_avail_add_up() {
    let (_d, h) = host();
    let mut s = store(&h, 100 * G);
    s.create_filesystem(&h, "rpool/a", &[]).unwrap();
    s.create_filesystem(&h, "rpool/a/b", &[]).unwrap();
    s.create_filesystem(&h, "rpool/c", &[]).unwrap();
    s.set_written("rpool/a", G);
    s.set_written("rpool/a/b", 2 * G);
    let (a, b, root) = (
        usage(&s, "rpool/a"),
        usage(&s, "rpool/a/b"),
        usage(&s, "rpool"),
    );
    assert_eq!(b.used, 2 * G);
    assert_eq!(a.by_children, b.used);
    assert_eq!(a.used, G + 2 * G);
    assert_eq!(
        root.used,
        root.by_dataset + a.used + usage(&s, "rpool/c").used
    );
    assert_eq!(root.avail, space::usable(100 * G) - root.used);
    assert_eq!((a.avail, b.avail), (root.avail, root.avail));
    s.set_property(&h, "rpool/a", "quota", "5G").unwrap();
    let (a, b) = (usage(&s, "rpool/a"), usage(&s, "rpool/a/b"));
    assert_eq!(a.avail, 5 * G - a.used);
    assert_eq!(b.avail, a.avail);
    s.set_property(&h, "rpool/c", "reservation", "10G").unwrap();
    let c = usage(&s, "rpool/c");
    assert_eq!(c.used, 10 * G);
    assert_eq!(c.avail, usage(&s, "rpool").avail + 10 * G - 24576);
    // Data the head drops while a snapshot holds it becomes the snapshot's.
    s.snapshot("rpool/a/b@s").unwrap();
    s.set_written("rpool/a/b", G);
    let b = usage(&s, "rpool/a/b");
    assert_eq!((b.by_dataset, b.by_snapshots, b.used), (G, G, 2 * G));
}

#[test]
fn the_space_cache_follows_creates_and_writes() {
    let (_d, h) = host();
    let mut s = store(&h, 1 << 40);
    s.create_filesystem(&h, "rpool/z", &[]).unwrap();
    s.create_volume("rpool/z/v0", G, false, &[]).unwrap();
    assert!(s.space.is_some(), "a thick volume create checks space");
    for i in 0..5 {
        s.create_filesystem(&h, &format!("rpool/z/f{i}"), &[])
            .unwrap();
        s.create_volume(&format!("rpool/z/f{i}/v"), G, false, &[])
            .unwrap();
        s.set_written(&format!("rpool/z/f{i}/v"), G / 2);
    }
    let fresh = s.usage_all();
    for ((name, _), u) in s.datasets.iter().zip(&fresh) {
        assert_eq!(s.cached_used(name), Some(u.used), "{name}");
    }
    assert_eq!(s.avail_below("rpool/z"), usage(&s, "rpool/z").avail);
}

#[test]
fn mountpoints_inherit_and_exist_on_disk() {
    let (_d, h) = host();
    let mut s = store(&h, 100 * G);
    s.create_filesystem(&h, "rpool/zones", &[("mountpoint", "/zones")])
        .unwrap();
    s.create_filesystem(&h, "rpool/zones/web", &[]).unwrap();
    s.create_filesystem(&h, "rpool/hidden", &[("mountpoint", "none")])
        .unwrap();
    s.create_filesystem(&h, "rpool/hidden/x", &[]).unwrap();
    s.create_filesystem(&h, "rpool/off", &[("canmount", "off")])
        .unwrap();
    assert_eq!(
        s.mountpoint("rpool/zones/web").as_deref(),
        Some("/zones/web")
    );
    assert_eq!(
        s.mountpoint_with_source("rpool/zones/web").1,
        Source::Inherited("rpool/zones".into())
    );
    assert_eq!(s.mountpoint_with_source("rpool").1, Source::Default);
    assert_eq!(s.mountpoint("rpool/hidden/x"), None);
    assert_eq!(s.mountpoint_with_source("rpool/hidden/x").0, "none");
    assert!(h.host_path("/zones/web").is_dir());
    assert!(!h.host_path("/rpool/off").exists());
    assert_eq!(
        s.dataset_mounted_at("/zones/web/").as_deref(),
        Some("rpool/zones/web")
    );
    assert_eq!(s.dataset_mounted_at("/rpool").as_deref(), Some("rpool"));
    assert_eq!(s.dataset_mounted_at("/rpool/off"), None);
    let parents = s.parent_index();
    let all = s.mountpoints_with(&parents);
    for ((name, _), (path, _)) in s.datasets.iter().zip(&all) {
        assert_eq!(*path, s.mountpoint_with_source(name).0, "{name}");
    }
    s.set_property(&h, "rpool/zones", "mountpoint", "/export/zones/")
        .unwrap();
    assert_eq!(
        s.mountpoint("rpool/zones/web").as_deref(),
        Some("/export/zones/web")
    );
    assert!(h.host_path("/export/zones/web").is_dir());
}

#[test]
fn destroy_refuses_children_and_clones_then_removes_the_tree() {
    let (_d, h) = host();
    let mut s = store(&h, 100 * G);
    s.create_filesystem(&h, "rpool/a", &[]).unwrap();
    s.create_filesystem(&h, "rpool/a/b", &[]).unwrap();
    s.snapshot("rpool/a@s").unwrap();
    assert_eq!(
        s.destroy("rpool/a", false).unwrap_err(),
        "cannot destroy 'rpool/a': filesystem has children\n\
         use '-r' to destroy the following datasets:\nrpool/a/b\nrpool/a@s"
    );
    s.clone_snapshot(&h, "rpool/a@s", "rpool/c", &[]).unwrap();
    assert_eq!(
        s.destroy("rpool/a", true).unwrap_err(),
        "cannot destroy 'rpool/a': filesystem has dependent clones\n\
         use '-R' to destroy the following datasets:\nrpool/c"
    );
    assert_eq!(
        s.destroy("rpool/a@s", false).unwrap_err(),
        "cannot destroy 'rpool/a@s': snapshot has dependent clones\n\
         use '-R' to destroy the following datasets:\nrpool/c"
    );
    assert_eq!(
        s.plan_destroy("rpool/a", true, true).unwrap(),
        ["rpool/a/b", "rpool/c", "rpool/a@s", "rpool/a"]
    );
    s.destroy("rpool/c", false).unwrap();
    assert!(h.host_path("/rpool/a/b").is_dir());
    s.destroy("rpool/a", true).unwrap();
    assert!(!s.exists("rpool/a") && !s.exists("rpool/a/b") && !s.exists("rpool/a@s"));
    assert!(!h.host_path("/rpool/a").exists());
    assert_eq!(
        s.destroy("rpool/nope", false).unwrap_err(),
        "cannot open 'rpool/nope': dataset does not exist"
    );
}

#[test]
fn clone_promote_and_rename_keep_origins_straight() {
    let (_d, h) = host();
    let mut s = store(&h, 100 * G);
    s.create_filesystem(&h, "rpool/base", &[]).unwrap();
    s.set_written("rpool/base", G);
    s.snapshot("rpool/base@one").unwrap();
    s.snapshot("rpool/base@two").unwrap();
    s.clone_snapshot(&h, "rpool/base@one", "rpool/work", &[])
        .unwrap();
    assert_eq!(usage(&s, "rpool/work").by_dataset, 0);
    assert_eq!(s.datasets["rpool/work"].refer, G);
    s.promote("rpool/work").unwrap();
    assert_eq!(s.datasets["rpool/work"].origin, None);
    assert_eq!(
        s.datasets["rpool/base"].origin.as_deref(),
        Some("rpool/work@one")
    );
    assert!(s.exists("rpool/work@one") && s.exists("rpool/base@two"));
    assert!(!s.exists("rpool/base@one"));
    assert_eq!(
        s.promote("rpool/work").unwrap_err(),
        "cannot promote 'rpool/work': not a cloned filesystem"
    );
    s.rename(&h, "rpool/work", "rpool/renamed", false).unwrap();
    assert_eq!(
        s.datasets["rpool/base"].origin.as_deref(),
        Some("rpool/renamed@one")
    );
    s.rename(&h, "rpool/renamed@one", "first", false).unwrap();
    assert_eq!(
        s.datasets["rpool/base"].origin.as_deref(),
        Some("rpool/renamed@first")
    );
    assert!(h.host_path("/rpool/renamed").is_dir());
    assert_eq!(
        s.rename(&h, "rpool/renamed", "rpool/renamed/sub", false)
            .unwrap_err(),
        "cannot rename to 'rpool/renamed/sub': New dataset name cannot be a descendant of \
         current dataset name"
    );
    assert_eq!(
        s.rename(&h, "rpool/renamed", "rpool/base", false)
            .unwrap_err(),
        "cannot rename 'rpool/renamed': dataset already exists"
    );
}

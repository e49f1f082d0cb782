//! Command tests: run the sim's zfs/zpool in-process on a fresh host with one pool.

mod busy;
mod list;
mod modify;
mod sendrecv;
mod zpool;

use crate::sim::zfs::ZfsStore;
use crate::sim::{Output, SimHost};

pub(super) const G: u64 = 1 << 30;

/// A host with pool `rpool` of 100G.
pub(super) fn host() -> (tempfile::TempDir, SimHost) {
    let dir = tempfile::tempdir().unwrap();
    let host = crate::sim::init::init(&dir.path().join("h"), &Default::default())
        .unwrap()
        .with_speed(0.0);
    let mut store = ZfsStore::load(&host).unwrap();
    store.add_pool(&host, "rpool", 100 * G).unwrap();
    store.save(&host).unwrap();
    (dir, host)
}

pub(super) fn zfs(host: &SimHost, args: &[&str]) -> Output {
    crate::sim::run(host, "zfs", args)
}

/// Run and insist on success, returning stdout.
pub(super) fn ok(host: &SimHost, args: &[&str]) -> String {
    let o = zfs(host, args);
    assert_eq!(o.code, 0, "zfs {}: {}", args.join(" "), o.stderr);
    o.stdout
}

/// Run and insist on failure with `code`, returning stderr.
pub(super) fn err(host: &SimHost, args: &[&str], code: i32) -> String {
    let o = zfs(host, args);
    assert_eq!(
        o.code,
        code,
        "zfs {}: {}{}",
        args.join(" "),
        o.stdout,
        o.stderr
    );
    o.stderr
}

/// Names `zfs list -H -o name -t all` shows.
pub(super) fn names(host: &SimHost) -> Vec<String> {
    ok(host, &["list", "-H", "-o", "name", "-t", "all"])
        .lines()
        .map(str::to_string)
        .collect()
}

pub(super) fn prop(host: &SimHost, name: &str, prop: &str) -> String {
    ok(host, &["get", "-Hp", "-o", "value", prop, name])
        .trim_end()
        .to_string()
}

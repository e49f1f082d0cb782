use super::super::sendrecv::{receive_from, send_to};
use super::*;
use crate::sim::Ctx;

fn recv(h: &SimHost, args: &[&str], input: &[u8]) -> (i32, String, String) {
    let (mut out, mut errb) = (Vec::new(), Vec::new());
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let mut input = input;
    let code = receive_from(
        &mut Ctx {
            host: h,
            out: &mut out,
            err: &mut errb,
        },
        &args,
        &mut input,
        false,
    );
    (
        code,
        String::from_utf8_lossy(&out).into_owned(),
        String::from_utf8_lossy(&errb).into_owned(),
    )
}

fn send(h: &SimHost, args: &[&str]) -> Vec<u8> {
    let mut a = vec!["send"];
    a.extend_from_slice(args);
    ok(h, &a).into_bytes()
}

fn source(h: &SimHost) {
    ok(h, &["create", "-p", "-o", "zcon:role=web", "rpool/src/web"]);
    ok(h, &["create", "-V", "2G", "rpool/src/web/disk0"]);
    ok(h, &["snapshot", "-r", "rpool/src@one"]);
    ok(h, &["create", "rpool/backup"]);
}

#[test]
fn a_replication_stream_copies_a_tree() {
    let (_d, h) = host();
    source(&h);
    let stream = send(&h, &["-R", "rpool/src/web@one"]);
    let (code, _, e) = recv(&h, &["-u", "rpool/backup/web"], &stream);
    assert_eq!(code, 0, "{e}");
    let all = names(&h);
    for n in [
        "rpool/backup/web",
        "rpool/backup/web@one",
        "rpool/backup/web/disk0",
        "rpool/backup/web/disk0@one",
    ] {
        assert!(all.contains(&n.to_string()), "{n} missing from {all:?}");
    }
    assert_eq!(prop(&h, "rpool/backup/web", "zcon:role"), "web");
    assert_eq!(
        ok(
            &h,
            &["get", "-H", "-o", "source", "zcon:role", "rpool/backup/web"]
        ),
        "received\n"
    );
    assert_eq!(
        prop(&h, "rpool/backup/web/disk0", "volsize"),
        (2 * G).to_string()
    );
    assert_eq!(
        prop(&h, "rpool/backup/web@one", "guid"),
        prop(&h, "rpool/src/web@one", "guid")
    );
    assert_eq!(prop(&h, "rpool/backup/web", "mounted"), "no");
    let (code, _, e) = recv(&h, &["rpool/backup/web"], &stream);
    assert_eq!(code, 1);
    assert_eq!(
        e,
        "cannot receive new filesystem stream: destination 'rpool/backup/web' exists\n\
         must specify -F to overwrite it\n"
    );
    let (code, _, e) = recv(&h, &["-F", "rpool/backup/web"], &stream);
    assert_eq!(code, 1);
    assert_eq!(
        e,
        "cannot receive new filesystem stream: destination has snapshots \
         (eg. rpool/backup/web@one)\nmust destroy them to overwrite it\n"
    );
}

#[test]
fn incremental_streams_need_the_base_and_an_unmodified_target() {
    let (_d, h) = host();
    source(&h);
    let full = send(&h, &["rpool/src/web@one"]);
    assert_eq!(recv(&h, &["rpool/backup/copy"], &full).0, 0);
    assert!(h.host_path("/rpool/backup/copy").is_dir());
    ok(&h, &["snapshot", "rpool/src/web@two"]);
    ok(&h, &["snapshot", "rpool/src/web@three"]);
    let inc = send(&h, &["-I", "@one", "rpool/src/web@three"]);
    let (code, out, e) = recv(&h, &["-v", "rpool/backup/copy"], &inc);
    assert_eq!(code, 0, "{e}");
    assert!(
        out.starts_with(
            "receiving incremental stream of rpool/src/web@three into rpool/backup/copy@three\n"
        ),
        "{out}"
    );
    let all = names(&h);
    assert!(all.contains(&"rpool/backup/copy@two".to_string()));
    assert!(all.contains(&"rpool/backup/copy@three".to_string()));
    let again = send(&h, &["-i", "rpool/src/web@one", "rpool/src/web@two"]);
    let (code, _, e) = recv(&h, &["rpool/backup/copy"], &again);
    assert_eq!(code, 1);
    assert_eq!(
        e,
        "cannot receive incremental stream: most recent snapshot of rpool/backup/copy does not\n\
         match incremental source\n"
    );
    let (code, _, e) = recv(&h, &["rpool/backup/none"], &again);
    assert_eq!(
        (code, e.as_str()),
        (
            1,
            "cannot receive incremental stream: destination 'rpool/backup/none' does not exist\n"
        )
    );
    let mut store = ZfsStore::load(&h).unwrap();
    store.set_written("rpool/backup/copy", 1 << 20);
    store.save(&h).unwrap();
    ok(&h, &["snapshot", "rpool/src/web@four"]);
    let next = send(&h, &["-i", "@three", "rpool/src/web@four"]);
    let (code, _, e) = recv(&h, &["rpool/backup/copy"], &next);
    assert_eq!(code, 1);
    assert_eq!(
        e,
        "cannot receive incremental stream: destination rpool/backup/copy has been modified\n\
         since most recent snapshot\n"
    );
    assert_eq!(recv(&h, &["-F", "rpool/backup/copy"], &next).0, 0);
    assert!(names(&h).contains(&"rpool/backup/copy@four".to_string()));
}

#[test]
fn naming_options_and_bad_input() {
    let (_d, h) = host();
    source(&h);
    let full = send(&h, &["rpool/src/web@one"]);
    assert_eq!(recv(&h, &["-d", "rpool/backup"], &full).0, 0);
    assert!(
        names(&h).contains(&"rpool/backup/src/web@one".to_string()),
        "{:?}",
        names(&h)
    );
    assert_eq!(recv(&h, &["-e", "rpool/backup"], &full).0, 0);
    assert!(names(&h).contains(&"rpool/backup/web@one".to_string()));
    assert_eq!(recv(&h, &["rpool/backup/renamed@first"], &full).0, 0);
    assert!(names(&h).contains(&"rpool/backup/renamed@first".to_string()));
    let (code, _, e) = recv(&h, &["rpool/nope/x"], &full);
    assert_eq!(
        (code, e.as_str()),
        (
            1,
            "cannot receive new filesystem stream: dataset does not exist\n"
        )
    );
    assert_eq!(
        recv(&h, &["rpool/backup/x"], b"").2,
        "cannot receive: failed to read from stream\n"
    );
    assert_eq!(
        err(&h, &["receive", "rpool/backup/x"], 1),
        "cannot receive: failed to read from stream\n",
        "in-process runs read no stdin"
    );
    assert_eq!(
        recv(&h, &["rpool/backup/x"], b"\x00\x11binary").2,
        "cannot receive: invalid stream (bad magic number)\n"
    );
    let (mut out, mut errb) = (Vec::new(), Vec::new());
    let args = vec!["rpool/x".to_string()];
    let code = receive_from(
        &mut Ctx {
            host: &h,
            out: &mut out,
            err: &mut errb,
        },
        &args,
        &mut &b""[..],
        true,
    );
    assert_eq!(code, 1);
    assert_eq!(
        String::from_utf8_lossy(&errb),
        "Error: Backup stream can not be read from a terminal.\nYou must redirect standard input.\n"
    );
}

#[test]
fn send_refuses_terminals_and_explains_estimates() {
    let (_d, h) = host();
    source(&h);
    let (mut out, mut errb) = (Vec::new(), Vec::new());
    let args = vec!["rpool/src/web@one".to_string()];
    let code = send_to(
        &mut Ctx {
            host: &h,
            out: &mut out,
            err: &mut errb,
        },
        &args,
        true,
    );
    assert_eq!(code, 1);
    assert!(out.is_empty());
    assert_eq!(
        String::from_utf8_lossy(&errb),
        "Error: Stream can not be written to a terminal.\nYou must redirect standard output.\n"
    );
    let dry = ok(&h, &["send", "-nv", "rpool/src/web@one"]);
    assert_eq!(
        dry,
        "full send of rpool/src/web@one estimated size is 24K\ntotal estimated size is 24K\n"
    );
    assert_eq!(
        err(&h, &["send", "rpool/src/web@none"], 1),
        "cannot open 'rpool/src/web@none': dataset does not exist\n"
    );
    assert_eq!(
        err(&h, &["send", "-i", "@one", "rpool/src/web@one"], 1),
        "cannot send 'rpool/src/web@one': not an earlier snapshot from the same fs\n"
    );
    let e = err(
        &h,
        &["send", "-i", "rpool/other@one", "rpool/src/web@one"],
        2,
    );
    assert!(
        e.starts_with("incremental source must be in same filesystem\nusage:\n"),
        "{e}"
    );
    assert_eq!(
        err(&h, &["send", "-R", "rpool/src/web"], 1),
        "Error: Unsupported flag with filesystem or bookmark.\n"
    );
}

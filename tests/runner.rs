//! The Runner against a real sim host: spawned processes, elevation, failures, audit log.

use std::path::PathBuf;

use zcon::host::{Elevation, HostConfig, HostError, Runner};
use zcon::sim::init::{InitOptions, init};
use zcon::sys::Command;

fn sim_runner(is_root: bool) -> (tempfile::TempDir, Runner) {
    let dir = tempfile::tempdir().unwrap();
    let opts = InitOptions {
        exe: Some(PathBuf::from(env!("CARGO_BIN_EXE_zcon"))),
        ..Default::default()
    };
    let host = init(&dir.path().join("h"), &opts).unwrap();
    let mut config = HostConfig::sim(host.dir());
    config.is_root = is_root;
    config.elevation = Elevation::Pfexec;
    (dir, Runner::new(config).unwrap())
}

#[tokio::test]
async fn failures_carry_argv_and_stderr_and_everything_is_audited() {
    let (_d, runner) = sim_runner(false);
    let ok = runner.run(&Command::read("uname").arg("-n")).await.unwrap();
    assert_eq!(ok.stdout_text(), "hv-01\n");

    let err = runner
        .run(&Command::mutating("uname").arg("-Q"))
        .await
        .unwrap_err();
    let HostError::Failed {
        argv,
        status,
        stderr,
    } = &err
    else {
        panic!("{err}")
    };
    assert!(
        argv[0].ends_with("/pfexec") && argv[1].ends_with("/uname"),
        "{argv:?}"
    );
    assert_eq!(*status, Some(1));
    assert!(stderr.contains("uname: illegal option -- Q"));
    assert!(
        err.to_string().contains("uname: illegal option -- Q"),
        "{err}"
    );

    let log = std::fs::read_to_string(runner.audit_log().path()).unwrap();
    assert_eq!(log.lines().count(), 2);
    assert!(log.lines().nth(1).unwrap().contains("\"-Q\""));
}

#[tokio::test]
async fn host_files_are_read_beneath_the_sys_root() {
    let (_d, runner) = sim_runner(true);
    let index = runner.read_file("/etc/zones/index").await.unwrap();
    assert!(index.contains("global:installed:/"));
    let err = runner.read_file("/etc/nonexistent").await.unwrap_err();
    assert!(err.to_string().starts_with("/etc/nonexistent: "), "{err}");
}

#[tokio::test]
async fn long_output_arrives_in_chunks_of_whole_lines() {
    let dir = tempfile::tempdir().unwrap();
    let opts = InitOptions {
        exe: Some(PathBuf::from(env!("CARGO_BIN_EXE_zcon"))),
        contents: zcon::sim::seed::Contents::Scale {
            zones: 20,
            datasets: 4000,
        },
        ..Default::default()
    };
    let host = init(&dir.path().join("h"), &opts).unwrap();
    let runner = Runner::new(HostConfig::sim(host.dir())).unwrap();
    let (out, (chunks, lines, whole)) = runner
        .run_lines(&zcon::sys::zfs::list_all(), (0, 0, true), |acc, chunk| {
            acc.0 += 1;
            acc.1 += chunk.lines().count();
            acc.2 &= chunk.ends_with('\n');
        })
        .await
        .unwrap();
    assert!(out.success(), "{}", out.stderr);
    assert_eq!(lines, 4000);
    assert!(chunks > 1, "a 300 KB listing comes in several chunks");
    assert!(whole, "no line is cut between chunks");
    let audit = std::fs::read_to_string(runner.audit_log().path()).unwrap();
    assert!(
        audit.contains("\"list\""),
        "streamed commands are audited too"
    );
}

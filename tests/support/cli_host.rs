//! A fresh sim host and the real `zcon` binary pointed at it, for the CLI's zone tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct Host {
    pub dir: tempfile::TempDir,
    pub sim: PathBuf,
}

pub fn host() -> Host {
    let dir = tempfile::tempdir().unwrap();
    let sim = dir.path().join("hv");
    let out = zcon(&sim, &["sim", "init", sim.to_str().unwrap()]);
    assert!(out.status.success());
    std::fs::write(sim.join("state/speed"), "0.01").unwrap();
    Host { dir, sim }
}

pub fn zcon(sim: &Path, args: &[&str]) -> Output {
    let config = sim.with_file_name("config");
    let _ = std::fs::create_dir_all(&config);
    Command::new(env!("CARGO_BIN_EXE_zcon"))
        .arg("--sim")
        .arg(sim)
        .arg("--config-dir")
        .arg(&config)
        .args(args)
        .env("ZCON_WORKER_IDLE", "1")
        .env_remove("ZCON_SIM_FAIL")
        .env_remove("ZCON_SIM_SPEED")
        .output()
        .unwrap()
}

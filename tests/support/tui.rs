//! The real console on a fresh sim host in a pseudo-terminal, for end-to-end tests: every
//! wait is for screen text, with a timeout. Each test crate uses some of it.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use portable_pty::CommandBuilder;
use zcon::termdrive::{Session, screen_text};

pub const TIMEOUT: Duration = Duration::from_secs(30);

pub struct Host {
    _dir: tempfile::TempDir,
    pub sim: PathBuf,
    pub config: PathBuf,
}

/// A demo host at `speed` (the sim's time scale), and a config dir that refreshes often.
pub fn host(speed: &str) -> Host {
    let dir = tempfile::tempdir().unwrap();
    let sim = dir.path().join("hv");
    let out = Command::new(env!("CARGO_BIN_EXE_zcon"))
        .args(["sim", "init"])
        .arg(&sim)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::write(sim.join("state/speed"), speed).unwrap();
    let config = dir.path().join("config");
    std::fs::create_dir(&config).unwrap();
    // Refresh often: a zone's new state shows soon after its task ends.
    std::fs::write(config.join("config.toml"), "refresh = 0.5\n").unwrap();
    Host {
        _dir: dir,
        sim,
        config,
    }
}

/// `zcon --sim HOST` at this size, once it lists the zones.
pub fn console(host: &Host, cols: u16, rows: u16) -> Session {
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_zcon"));
    cmd.arg("--sim");
    cmd.arg(&host.sim);
    cmd.arg("--config-dir");
    cmd.arg(&host.config);
    cmd.env("ZCON_WORKER_IDLE", "2");
    cmd.env_remove("ZCON_SIM_FAIL");
    cmd.env_remove("ZCON_SIM_SPEED");
    let s = Session::spawn(cmd, cols, rows).unwrap();
    s.wait_for("win2022", TIMEOUT).unwrap();
    s
}

/// Wait for a row that starts with `first` and shows `also` as a word.
pub fn wait_line(s: &Session, first: &str, also: &str) {
    let (first, also) = (first.to_string(), format!(" {also} "));
    s.wait_until(TIMEOUT, move |screen| {
        screen_text(screen).lines().any(|l| {
            let row = l.trim_start_matches(['│', ' ']);
            row.split_whitespace().next() == Some(first.as_str()) && l.contains(&also)
        })
    })
    .unwrap_or_else(|e| panic!("{e}"));
}

/// Filter the Zones pane down to `zone` and put the cursor on it.
pub fn select_zone(s: &mut Session, zone: &str, state: &str) {
    // Ctrl-U drops a filter left from before.
    s.send_keys("/").unwrap();
    s.send_key("<C-u>").unwrap();
    s.send_keys(zone).unwrap();
    s.wait_for(&format!("/{zone}"), TIMEOUT).unwrap();
    s.send_key("<Enter>").unwrap();
    s.send_keys("gg").unwrap();
    wait_line(s, zone, state);
}

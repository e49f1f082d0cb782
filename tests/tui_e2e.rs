//! The real binary's console in a pseudo-terminal against a fresh sim host: switching panes,
//! filtering, details, the palette, help, the mouse, resize, quitting and signals. Every wait
//! is for screen text, with a timeout.

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use portable_pty::CommandBuilder;
use zcon::termdrive::Session;

const TIMEOUT: Duration = Duration::from_secs(20);

struct Host {
    _dir: tempfile::TempDir,
    sim: PathBuf,
    config: PathBuf,
}

fn host() -> Host {
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
    let config = dir.path().join("config");
    std::fs::create_dir(&config).unwrap();
    Host {
        _dir: dir,
        sim,
        config,
    }
}

fn console(host: &Host, extra: &[&str], cols: u16, rows: u16) -> Session {
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_zcon"));
    cmd.arg("--sim");
    cmd.arg(&host.sim);
    cmd.arg("--config-dir");
    cmd.arg(&host.config);
    cmd.args(extra);
    let s = Session::spawn(cmd, cols, rows).unwrap();
    s.wait_for("win2022", TIMEOUT).unwrap();
    s
}

fn quit(mut s: Session) {
    s.send_key("q").unwrap();
    let status = s.wait_exit(TIMEOUT).unwrap();
    assert!(status.success(), "{status:?}");
    assert!(!s.screen().alternate_screen(), "the terminal is given back");
}

#[test]
fn panes_filter_details_palette_and_quit() {
    let host = host();
    let mut s = console(&host, &[], 100, 30);
    s.wait_for("hv-01", TIMEOUT).unwrap();
    s.wait_for("Zones (15)", TIMEOUT).unwrap();

    s.send_key("3").unwrap();
    s.wait_for("Datasets (59)", TIMEOUT).unwrap();
    s.wait_for("▾ rpool", TIMEOUT).unwrap();
    s.send_key("4").unwrap();
    s.wait_for("Network · Links", TIMEOUT).unwrap();
    s.send_key("]").unwrap();
    s.wait_for("Network · VNICs", TIMEOUT).unwrap();
    s.send_key("<Tab>").unwrap();
    s.wait_for("Zones (15)", TIMEOUT).unwrap();

    s.send_keys("/db01").unwrap();
    s.wait_for("/db01", TIMEOUT).unwrap();
    s.send_key("<Enter>").unwrap();
    s.send_key("<Enter>").unwrap();
    s.wait_for("zone db01", TIMEOUT).unwrap();
    s.wait_for("attrs", TIMEOUT).unwrap();
    s.send_key("<Esc>").unwrap();
    s.wait_gone("zone db01", TIMEOUT).unwrap();
    s.send_key("<Esc>").unwrap();
    s.wait_for("Zones (15)", TIMEOUT).unwrap();

    s.send_keys(":data").unwrap();
    s.wait_for("Show the Datasets pane", TIMEOUT).unwrap();
    s.send_key("<Tab>").unwrap();
    s.send_key("<Enter>").unwrap();
    s.wait_for("Datasets (59)", TIMEOUT).unwrap();

    s.send_keys(":network nat<Enter>").unwrap();
    s.wait_for("Network · NAT", TIMEOUT).unwrap();

    s.send_key("?").unwrap();
    s.wait_for("Help: keys here", TIMEOUT).unwrap();
    s.wait_for("Previous view", TIMEOUT).unwrap();
    s.send_key("<Esc>").unwrap();
    s.wait_gone("Help: keys here", TIMEOUT).unwrap();
    quit(s);
}

#[test]
fn resize_is_immediate_and_narrow_layout_keeps_the_state_column() {
    let host = host();
    let mut s = console(&host, &[], 160, 45);
    // A large terminal shows the selected zone's page beside the list.
    s.wait_for("zonepath    /zones/alpine01", TIMEOUT).unwrap();
    s.resize(80, 24).unwrap();
    s.wait_gone("zonepath", TIMEOUT).unwrap();
    s.wait_until(TIMEOUT, |screen| {
        let text = zcon::termdrive::screen_text(screen);
        text.lines()
            .any(|l| l.contains("legacy01") && l.contains("incomplete"))
    })
    .unwrap();
    s.resize(200, 50).unwrap();
    s.wait_for("zonepath    /zones/alpine01", TIMEOUT).unwrap();
    quit(s);
}

#[test]
fn mouse_clicks_select_and_the_wheel_scrolls() {
    let host = host();
    let mut s = console(&host, &["--mouse"], 100, 30);
    // Rows start under the header, tabs, border and column titles: screen row 5 (1-based)
    // is the first zone; click the fourth (db01).
    s.send(b"\x1b[<0;5;8M\x1b[<0;5;8m").unwrap();
    s.send_key("<Enter>").unwrap();
    s.wait_for("zone db01", TIMEOUT).unwrap();
    s.send_key("<Esc>").unwrap();
    s.wait_for("Zones (15)", TIMEOUT).unwrap();
    // A click on the third tab.
    s.send(b"\x1b[<0;30;2M\x1b[<0;30;2m").unwrap();
    s.wait_for("Datasets (59)", TIMEOUT).unwrap();
    s.send_key("1").unwrap();
    s.wait_for("Zones (15)", TIMEOUT).unwrap();
    // The wheel moves the selection three rows: db01 → mail01.
    s.send(b"\x1b[<65;5;8M").unwrap();
    s.send_key("<Enter>").unwrap();
    s.wait_for("zone mail01", TIMEOUT).unwrap();
    quit(s);
}

#[test]
fn bad_user_keymap_warns_with_file_and_line_and_defaults_stay() {
    let host = host();
    std::fs::write(
        host.config.join("keymap.toml"),
        "[global]\nprepend_keymap = [\n  { on = [\"x\"], run = \"explode\" },\n  { on = [\"<F9>\"], run = \"pane_tasks\", desc = \"Tasks\" },\n]\n",
    )
    .unwrap();
    let mut s = console(&host, &["--read-only"], 120, 30);
    s.wait_for("keymap.toml:3", TIMEOUT).unwrap();
    s.wait_for("READ-ONLY", TIMEOUT).unwrap();
    s.send_key("<F9>").unwrap();
    s.wait_for("No tasks yet.", TIMEOUT).unwrap();
    s.send_key("1").unwrap();
    s.wait_for("Zones (15)", TIMEOUT).unwrap();
    quit(s);
}

#[test]
fn sigterm_and_sighup_restore_the_terminal() {
    let host = host();
    for (signal, code) in [(libc::SIGTERM, 143), (libc::SIGHUP, 129)] {
        let s = console(&host, &[], 100, 30);
        let pid = s.pid().unwrap() as i32;
        assert_eq!(unsafe { libc::kill(pid, signal) }, 0);
        let status = s.wait_exit(TIMEOUT).unwrap();
        assert_eq!(status.exit_code(), code, "{status:?}");
        assert!(!s.screen().alternate_screen());
        assert!(!s.screen().hide_cursor());
    }
}

#[test]
fn print_config_shows_the_effective_settings() {
    let host = host();
    std::fs::write(
        host.config.join("config.toml"),
        "theme = \"light\"\nrefresh = 5\nmouse = \"yes\"\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_zcon"))
        .arg("--config-dir")
        .arg(&host.config)
        .arg("--print-config")
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let doc: toml::Table = text.parse().unwrap();
    assert_eq!(
        doc["refresh"]
            .as_float()
            .or(doc["refresh"].as_integer().map(|i| i as f64)),
        Some(5.0)
    );
    assert_eq!(doc["theme"]["name"].as_str(), Some("light"));
    assert!(doc["keymap"]["global"].is_table() || doc["keymap"]["global"].is_array());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("config.toml:3"), "{err}");
}

//! Tasks from the console, end to end: the real binary in a pseudo-terminal on a sim host,
//! its tasks run by the detached worker. Every wait is for screen text (or the CLI's view of
//! the journal), with a timeout.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use portable_pty::CommandBuilder;
use zcon::termdrive::Session;

#[path = "support/tui.rs"]
mod tui;
use tui::{Host, TIMEOUT, console, host, select_zone, wait_line};

fn zone_state(host: &Path, zone: &str) -> String {
    let out = Command::new(host.join("bin/zoneadm"))
        .args(["-z", zone, "list", "-p"])
        .env_remove("ZCON_SIM_SPEED")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.split(':').nth(2).unwrap_or("").to_string()
}

/// `zcon task show ID --json` until it has ended.
fn cli_task(host: &Host, id: u64) -> serde_json::Value {
    let start = Instant::now();
    loop {
        let out = Command::new(env!("CARGO_BIN_EXE_zcon"))
            .args(["--sim", host.sim.to_str().unwrap(), "--config-dir"])
            .arg(&host.config)
            .args(["task", "show", &id.to_string(), "--json"])
            .env("ZCON_WORKER_IDLE", "2")
            .output()
            .unwrap();
        if out.status.success() {
            let task: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            let status = task["status"].as_str().unwrap_or("").to_string();
            if !["queued", "running", "rolling_back"].contains(&status.as_str()) {
                return task;
            }
        }
        assert!(start.elapsed() < TIMEOUT, "task #{id} did not end");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn boot_from_the_console_and_watch_the_zone_reach_running() {
    let host = host("0.05");
    let mut s = console(&host, 140, 35);
    select_zone(&mut s, "ci01", "installed");
    s.send_key("b").unwrap();
    // The dialog shows the exact command; boot is not destructive, so Run is focused.
    s.wait_for("zoneadm -z ci01 boot", TIMEOUT).unwrap();
    s.wait_for("[ boot ]", TIMEOUT).unwrap();
    s.send_key("<Enter>").unwrap();
    s.wait_for("task #1 queued", TIMEOUT).unwrap();
    wait_line(&s, "ci01", "running");
    assert_eq!(zone_state(&host.sim, "ci01"), "running");
    s.send_key("2").unwrap();
    wait_line(&s, "1", "succeeded");
    s.send_key("<Enter>").unwrap();
    s.wait_for("task #1 boot ci01", TIMEOUT).unwrap();
    s.wait_for("✓ done", TIMEOUT).unwrap();
    s.send_key("q").unwrap();
    s.wait_exit(TIMEOUT).unwrap();
}

#[test]
fn actions_that_do_not_apply_say_why_and_read_only_refuses() {
    let host = host("0.05");
    let mut s = console(&host, 140, 35);
    select_zone(&mut s, "web01", "running");
    s.send_key("b").unwrap();
    s.wait_for("cannot boot: web01 is already running", TIMEOUT)
        .unwrap();
    s.send_key("q").unwrap();
    s.wait_exit(TIMEOUT).unwrap();

    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_zcon"));
    cmd.args([
        "--sim",
        host.sim.to_str().unwrap(),
        "--read-only",
        "--config-dir",
    ]);
    cmd.arg(&host.config);
    let mut s = Session::spawn(cmd, 140, 35).unwrap();
    s.wait_for("win2022", TIMEOUT).unwrap();
    select_zone(&mut s, "web01", "running");
    s.send_key("H").unwrap();
    s.wait_for("read-only mode: halt web01 refused", TIMEOUT)
        .unwrap();
    s.send_key("q").unwrap();
    s.wait_exit(TIMEOUT).unwrap();
    assert!(
        !host.sim.join("zcon-state/tasks.jsonl").exists(),
        "nothing was queued"
    );
}

#[test]
fn a_task_started_from_the_console_finishes_after_the_console_is_killed() {
    // A bhyve guest takes 8 s to shut down; at this speed, 2.4 s.
    let host = host("0.3");
    let mut s = console(&host, 140, 35);
    wait_line(&s, "web02", "running");
    // From the palette, naming the zone.
    let ask = |s: &mut Session| {
        s.send_key(":").unwrap();
        s.wait_for("Commands", TIMEOUT).unwrap();
        s.type_text("shutdown web02").unwrap();
        s.send_key("<Enter>").unwrap();
        s.wait_for("zoneadm -z web02 shutdown", TIMEOUT).unwrap();
        s.wait_for("[ Cancel ]", TIMEOUT).unwrap();
    };
    ask(&mut s);
    // Destructive: Cancel has the focus, so Enter alone closes the dialog and runs nothing.
    s.send_key("<Enter>").unwrap();
    s.wait_gone("[ Cancel ]", TIMEOUT).unwrap();
    ask(&mut s);
    s.send_key("<Tab>").unwrap();
    s.send_key("<Enter>").unwrap();
    s.wait_for("task #1 queued", TIMEOUT).unwrap();
    s.wait_for("1 running", TIMEOUT).unwrap();
    s.kill().unwrap();
    s.wait_exit(TIMEOUT).unwrap();
    assert_eq!(zone_state(&host.sim, "web02"), "shutting_down");
    let task = cli_task(&host, 1);
    assert_eq!(task["status"], "succeeded", "{task}");
    assert_eq!(task["origin"], "console");
    assert_eq!(zone_state(&host.sim, "web02"), "installed");
}

#[test]
fn exec_output_lands_in_the_task_log_and_x_cancels_a_running_task() {
    let host = host("0.05");
    let mut s = console(&host, 140, 40);
    select_zone(&mut s, "web01", "running");
    s.send_key("x").unwrap();
    s.wait_for("run in web01 as root:", TIMEOUT).unwrap();
    s.type_text("sh -c 'echo hello from web01; sleep 60'")
        .unwrap();
    s.send_key("<Enter>").unwrap();
    s.wait_for("zlogin web01", TIMEOUT).unwrap();
    s.send_key("<Tab>").unwrap();
    s.send_key("<Enter>").unwrap();
    s.wait_for("task #1 queued", TIMEOUT).unwrap();
    s.send_key("2").unwrap();
    wait_line(&s, "1", "running");
    s.send_key("<Enter>").unwrap();
    s.wait_for("hello from web01", TIMEOUT).unwrap();
    s.send_key("X").unwrap();
    s.wait_for("cancel task #1 exec web01?", TIMEOUT).unwrap();
    s.send_key("<Tab>").unwrap();
    s.send_key("<Enter>").unwrap();
    s.wait_for("task #1 exec web01 cancelled", TIMEOUT).unwrap();
    s.wait_for("stopped by cancel", TIMEOUT).unwrap();
    s.send_key("q").unwrap();
    s.wait_exit(TIMEOUT).unwrap();
}

#[test]
fn a_task_queued_from_the_cli_shows_in_a_running_console() {
    let host = host("0.05");
    let mut s = console(&host, 140, 35);
    s.send_key("2").unwrap();
    s.wait_for("No tasks yet.", TIMEOUT).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_zcon"))
        .args(["--sim", host.sim.to_str().unwrap(), "--config-dir"])
        .arg(&host.config)
        .args(["zone", "halt", "db01", "--wait"])
        .env("ZCON_WORKER_IDLE", "2")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    wait_line(&s, "1", "succeeded");
    s.wait_for("db01", TIMEOUT).unwrap();
    // A task from elsewhere that succeeds is not announced; its zone's new state shows.
    s.send_key("1").unwrap();
    wait_line(&s, "db01", "installed");
    s.send_key("q").unwrap();
    s.wait_exit(TIMEOUT).unwrap();
}

#[test]
fn clone_then_delete_from_the_console_with_the_name_typed() {
    let host = host("0.02");
    let mut s = console(&host, 140, 40);
    // A running zone cannot be cloned: the reason is shown, nothing is asked.
    select_zone(&mut s, "web01", "running");
    s.send_key("C").unwrap();
    s.wait_for("halt or shut it down first", TIMEOUT).unwrap();
    select_zone(&mut s, "obsd01", "installed");
    s.send_key("C").unwrap();
    s.wait_for("clone obsd01 as:", TIMEOUT).unwrap();
    s.type_text("obsd02").unwrap();
    s.send_key("<Enter>").unwrap();
    s.wait_for("NIC obsd01_0 → obsd02_0", TIMEOUT).unwrap();
    s.wait_for("zoneadm -z obsd02 clone obsd01", TIMEOUT)
        .unwrap();
    s.send_key("<Enter>").unwrap();
    s.wait_for("clone obsd02: task", TIMEOUT).unwrap();
    select_zone(&mut s, "obsd02", "installed");
    s.send_key("D").unwrap();
    // The dialog lists what the uninstall destroys; Cancel has the focus.
    s.wait_for("delete obsd02?", TIMEOUT).unwrap();
    s.wait_for("  rpool/zones/obsd02/root", TIMEOUT).unwrap();
    s.send_key("<Enter>").unwrap();
    s.wait_gone("delete obsd02?", TIMEOUT).unwrap();
    assert_eq!(
        zone_state(&host.sim, "obsd02"),
        "installed",
        "Cancel deletes nothing"
    );
    // A wrong name deletes nothing either.
    s.send_key("D").unwrap();
    s.wait_for("delete obsd02?", TIMEOUT).unwrap();
    s.send_key("<Tab>").unwrap();
    s.send_key("<Enter>").unwrap();
    s.wait_for("type obsd02 to delete it:", TIMEOUT).unwrap();
    s.type_text("obsd01").unwrap();
    s.send_key("<Enter>").unwrap();
    s.wait_for("that is not obsd02: nothing was deleted", TIMEOUT)
        .unwrap();
    s.send_key("D").unwrap();
    s.wait_for("delete obsd02?", TIMEOUT).unwrap();
    s.send_key("<Tab>").unwrap();
    s.send_key("<Enter>").unwrap();
    s.wait_for("type obsd02 to delete it:", TIMEOUT).unwrap();
    s.type_text("obsd02").unwrap();
    s.send_key("<Enter>").unwrap();
    s.wait_for("delete obsd02: task", TIMEOUT).unwrap();
    let start = Instant::now();
    while !zone_state(&host.sim, "obsd02").is_empty() {
        assert!(start.elapsed() < TIMEOUT, "obsd02 was not deleted");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(zone_state(&host.sim, "obsd01"), "installed");
    s.send_key("q").unwrap();
    s.wait_exit(TIMEOUT).unwrap();
}

#[test]
fn a_change_waiting_for_a_boot_flags_the_zone_until_it_boots_again() {
    let host = host("0.01");
    let mut s = console(&host, 120, 30);
    // More memory for a running zone: stored now, taken up at its next boot.
    let spec = host.config.join("ram.json");
    std::fs::write(&spec, r#"{"ram": "3G"}"#).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_zcon"))
        .args(["--sim", host.sim.to_str().unwrap(), "--config-dir"])
        .arg(&host.config)
        .args(["zone", "modify", "web01", "--spec"])
        .arg(&spec)
        .arg("--wait")
        .env("ZCON_WORKER_IDLE", "2")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    select_zone(&mut s, "web01", "running ↻");
    s.send_key("<Enter>").unwrap();
    s.wait_for("reboot: changes of task #1", TIMEOUT).unwrap();
    s.send_key("<Esc>").unwrap();
    // A reboot made outside zcon: the zone's boot time, not the journal, clears the flag.
    let out = Command::new(host.sim.join("bin/zoneadm"))
        .args(["-z", "web01", "reboot"])
        .env_remove("ZCON_SIM_SPEED")
        .output()
        .unwrap();
    assert!(out.status.success());
    s.wait_gone("↻", TIMEOUT).unwrap();
    wait_line(&s, "web01", "running");
    s.send_key("q").unwrap();
    s.wait_exit(TIMEOUT).unwrap();
}

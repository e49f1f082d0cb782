//! The embedded console end to end: the real binary in a pseudo-terminal on a fresh sim host
//! attaches to a bhyve zone's serial console, sees it boot, logs in, detaches and comes back
//! to a live session; opens a shell with `l`; and meets the one-client rule.

use portable_pty::CommandBuilder;
use zcon::termdrive::{Session, screen_text};

#[path = "support/tui.rs"]
mod tui;
use tui::{TIMEOUT, console, host, select_zone, wait_line};

/// Wait for a line of the screen that contains `text`, and say which lines were there.
fn wait_text(s: &Session, text: &str) {
    s.wait_for(text, TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn console_boot_login_detach_and_reattach() {
    let host = host("0.01");
    let mut s = console(&host, 140, 40);
    select_zone(&mut s, "obsd01", "installed");
    // An installed zone's console can be held before it boots: the boot is seen from the
    // start.
    s.send_key("a").unwrap();
    wait_text(&s, "[Connected to zone 'obsd01' console]");
    wait_text(&s, "obsd01 console · #1");
    // Every key goes to the console now: `b` is typed into it, not a boot.
    s.send_key("<C-]>").unwrap();
    wait_text(&s, "Detached from obsd01 console");
    s.send_key("b").unwrap();
    wait_text(&s, "boot obsd01?");
    s.send_key("<Enter>").unwrap();
    // The guest's boot log and its login prompt, in the pane beside the list.
    wait_text(&s, "OpenBSD");
    wait_text(&s, "login:");
    s.send_key("a").unwrap();
    wait_text(&s, "<C-]> detaches");
    s.type_text("root\r").unwrap();
    wait_text(&s, "Password:");
    s.type_text("secret\r").unwrap();
    s.type_text("echo zcon-$((6*7))\r").unwrap();
    wait_text(&s, "zcon-42");
    // Detached, the session keeps running; `a` finds the same one alive.
    s.send_key("<C-]>").unwrap();
    wait_text(&s, "a attaches · v copies lines");
    s.send_key("a").unwrap();
    wait_text(&s, "<C-]> detaches");
    assert!(s.screen_text().contains("obsd01 console · #1"));
    s.type_text("echo still-$((2+3))\r").unwrap();
    wait_text(&s, "still-5");
    // Ctrl-] as the byte some terminals send for Ctrl-5 detaches too.
    s.send(&[0x1d]).unwrap();
    wait_text(&s, "Detached from obsd01 console");
    s.send_key("q").unwrap();
    s.wait_exit(TIMEOUT).unwrap();
}

#[test]
fn a_login_shell_runs_a_command_and_ends_with_exit() {
    let host = host("0.01");
    let mut s = console(&host, 100, 30);
    select_zone(&mut s, "web02", "running");
    s.send_key("l").unwrap();
    wait_text(&s, "[Connected to zone 'web02' pts/");
    wait_text(&s, "web02 login · #1");
    s.type_text("echo hi-$((1+1))\r").unwrap();
    wait_text(&s, "hi-2");
    s.type_text("exit\r").unwrap();
    wait_text(&s, "ended: exit status 0");
    // The app stays responsive: the pane goes with :close, the list takes the keys again.
    s.type_text(":close\r").unwrap();
    s.wait_gone("web02 login · #1", TIMEOUT).unwrap();
    wait_line(&s, "web02", "running");
    s.send_key("q").unwrap();
    s.wait_exit(TIMEOUT).unwrap();
}

#[test]
fn a_console_held_elsewhere_says_by_whom() {
    let host = host("0.01");
    // Another operator's zlogin -C holds web01's console.
    let mut holder = CommandBuilder::new(host.sim.join("bin/zlogin"));
    holder.args(["-C", "web01"]);
    holder.env_remove("ZCON_SIM_SPEED");
    let other = Session::spawn(holder, 80, 24).unwrap();
    other
        .wait_for("[Connected to zone 'web01' console]", TIMEOUT)
        .unwrap();
    let pid = other.pid().expect("the holder's pid");

    let mut s = console(&host, 120, 30);
    select_zone(&mut s, "web01", "running");
    s.send_key("a").unwrap();
    wait_text(&s, &format!("console already in use by process ID {pid}"));
    // The app stays responsive, and the holder keeps the console.
    s.send_key("q").unwrap();
    s.wait_exit(TIMEOUT).unwrap();
    assert!(screen_text(&other.screen()).contains("[Connected to zone 'web01' console]"));
    other.kill().unwrap();
}

//! termdrive against real processes on real pseudo-terminals.

use std::io;
use std::time::{Duration, Instant};

use portable_pty::CommandBuilder;
use zcon::termdrive::{ANSI, Session, svg};

const TIMEOUT: Duration = Duration::from_secs(10);

fn sh(script: &str) -> Session {
    sh_sized(script, 80, 24)
}

fn sh_sized(script: &str, cols: u16, rows: u16) -> Session {
    let mut cmd = CommandBuilder::new("sh");
    cmd.args(["-c", script]);
    Session::spawn(cmd, cols, rows).expect("spawn sh")
}

#[test]
fn wait_for_sees_output_across_rows() {
    let s = sh("printf 'hello\\nworld\\n'");
    s.wait_for("world", TIMEOUT).unwrap();
    s.wait_for("hello\nworld", TIMEOUT).unwrap();
    assert!(s.screen_text().starts_with("hello\nworld\n"));
    assert_eq!(s.screen_text().split('\n').count(), 24);
}

#[test]
fn wait_for_timeout_reports_the_screen() {
    let s = sh("printf 'just this'; exec sleep 30");
    let start = Instant::now();
    let err = s
        .wait_for("never", Duration::from_millis(300))
        .unwrap_err()
        .to_string();
    let waited = start.elapsed();
    assert!(waited >= Duration::from_millis(300), "{waited:?}");
    assert!(waited < Duration::from_secs(5), "{waited:?}");
    assert!(err.contains("timed out"), "{err}");
    assert!(err.contains("\"never\""), "{err}");
    assert!(err.contains("just this"), "{err}");
    assert!(err.contains("screen 80x24"), "{err}");
}

#[test]
fn waiting_on_a_finished_program_fails_at_once() {
    let s = sh("printf done");
    let start = Instant::now();
    let err = s.wait_for("never", TIMEOUT).unwrap_err().to_string();
    assert!(start.elapsed() < Duration::from_secs(5));
    assert!(err.contains("ended"), "{err}");
    assert!(err.contains("done"), "{err}");
}

#[test]
fn wait_gone_and_wait_until() {
    let mut s = sh("stty -echo; printf '\\033[1mbusy\\033[0m'; read x; printf '\\r\\033[Kidle'");
    s.wait_until(TIMEOUT, |screen| {
        screen
            .cell(0, 0)
            .is_some_and(|c| c.contents() == "b" && c.bold())
    })
    .unwrap();
    s.send_key("<Enter>").unwrap();
    s.wait_gone("busy", TIMEOUT).unwrap();
    s.wait_for("idle", TIMEOUT).unwrap();
}

#[test]
fn keys_arrive_as_xterm_sends_them() {
    let mut s = sh("stty raw -echo; printf 'ready\\r\\n'; exec cat -v");
    s.wait_for("ready", TIMEOUT).unwrap();
    for key in [
        "<Up>",
        "<BackTab>",
        "<C-c>",
        "<F5>",
        "<PageDown>",
        "<Enter>",
        "q",
    ] {
        s.send_key(key).unwrap();
    }
    s.type_text("<Up>").unwrap();
    s.wait_for("^[[A^[[Z^C^[[15~^[[6~^Mq<Up>", TIMEOUT).unwrap();
}

#[test]
fn cursor_keys_follow_application_cursor_mode() {
    let mut s = sh("stty raw -echo; printf '\\033[?1hready\\r\\n'; exec cat -v");
    s.wait_for("ready", TIMEOUT).unwrap();
    s.send_keys("<Up>x<Left>").unwrap();
    s.wait_for("^[OAx^[OD", TIMEOUT).unwrap();
}

#[test]
fn unknown_keys_are_refused() {
    let mut s = sh("exec sleep 30");
    let err = s.send_key("<Nope>").unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
    assert!(err.to_string().contains("<Nope>"), "{err}");
}

#[test]
fn resize_reaches_the_program_and_the_emulator() {
    let mut s = sh("stty size; read x; stty size; read y");
    s.wait_for("24 80", TIMEOUT).unwrap();
    s.resize(100, 30).unwrap();
    assert_eq!(s.screen().size(), (30, 100));
    s.send_key("<Enter>").unwrap();
    s.wait_for("30 100", TIMEOUT).unwrap();
}

#[test]
fn colours_and_escaping_reach_the_svg() {
    let s = sh_sized("printf '\\033[31mERR\\033[0m <b>&amp;</b>'", 40, 3);
    s.wait_for("ERR <b>&amp;</b>", TIMEOUT).unwrap();
    let image = svg(&s.screen(), "sh & co");
    assert!(
        image.contains(&format!(r#"fill="{}">ERR</text>"#, ANSI[1].hex())),
        "{image}"
    );
    assert!(
        image.contains(">&lt;b&gt;&amp;amp;&lt;/b&gt;</text>"),
        "{image}"
    );
    assert!(image.contains(">sh &amp; co</text>"), "{image}");
    assert!(image.starts_with("<svg "));
    assert_eq!(image, svg(&s.screen(), "sh & co"));
}

#[test]
fn wait_exit_reports_status_and_final_output() {
    let s = sh("printf abc; exit 3");
    let status = s.wait_exit(TIMEOUT).unwrap();
    assert_eq!(status.exit_code(), 3);
    assert!(!status.success());
    assert_eq!(s.bytes_received(), 3);
    assert!(s.screen_text().starts_with("abc\n"));

    let s = sh("kill -TERM $$");
    let status = s.wait_exit(TIMEOUT).unwrap();
    assert!(status.signal().is_some(), "{status:?}");

    let s = sh("exec sleep 30");
    let err = s.wait_exit(Duration::from_millis(200)).unwrap_err();
    assert!(err.to_string().contains("timed out"), "{err}");
}

#[test]
fn environment_and_directory() {
    let s = sh("printf '%s|' \"$TERM\" \"${COLUMNS-unset}\"; pwd");
    s.wait_exit(TIMEOUT).unwrap();
    let cwd = std::env::current_dir().unwrap();
    let expected = format!("xterm-256color|unset|{}", cwd.display());
    assert!(
        s.screen_text().starts_with(&expected),
        "{}",
        s.screen_text()
    );
}

#[test]
fn dropping_the_session_kills_the_program() {
    let s = sh("exec sleep 30");
    let pid = rustix::process::Pid::from_raw(s.pid().unwrap() as i32).unwrap();
    drop(s);
    // The session's waiter thread reaps the killed child; poll until it has.
    let deadline = Instant::now() + TIMEOUT;
    while rustix::process::test_kill_process(pid).is_ok() {
        assert!(
            Instant::now() < deadline,
            "sleep still running after the drop"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn a_missing_program_is_an_error() {
    let err = Session::spawn(CommandBuilder::new("/nonexistent/prog"), 80, 24)
        .err()
        .expect("spawn should fail");
    assert!(err.to_string().contains("/nonexistent/prog"), "{err:#}");
    assert!(Session::spawn(CommandBuilder::new("true"), 0, 24).is_err());
}

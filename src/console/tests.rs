//! Sessions running real programs on real pseudo-terminals.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;

const TIMEOUT: Duration = Duration::from_secs(10);

struct Probe {
    session: Session,
    changes: Arc<(Mutex<usize>, Condvar)>,
    notified: Arc<AtomicUsize>,
}

fn start(argv: &[&str], cols: u16, rows: u16) -> Probe {
    let changes = Arc::new((Mutex::new(0usize), Condvar::new()));
    let notified = Arc::new(AtomicUsize::new(0));
    let (c, n) = (Arc::clone(&changes), Arc::clone(&notified));
    let notify = Box::new(move || {
        n.fetch_add(1, Ordering::SeqCst);
        *c.0.lock().unwrap() += 1;
        c.1.notify_all();
    });
    let argv: Vec<String> = argv.iter().map(|s| s.to_string()).collect();
    let env = [("PS1".to_string(), "$ ".to_string())];
    let opts = SessionOptions {
        cols,
        rows,
        scrollback: 1000,
    };
    let session = Session::spawn(&argv, &env, opts, notify).expect("spawn");
    Probe {
        session,
        changes,
        notified,
    }
}

fn sh(script: &str) -> Probe {
    start(&["/bin/sh", "-c", script], 80, 24)
}

impl Probe {
    fn screen(&self) -> String {
        self.session.view_lines(0, 200).join("\n")
    }

    /// Wait until `pred` holds, woken by the session's notifications (taking them, as the
    /// app does when it draws).
    fn wait(&self, what: &str, pred: impl Fn(&Session) -> bool) {
        let deadline = Instant::now() + TIMEOUT;
        let (count, cv) = &*self.changes;
        let mut seen = count.lock().unwrap();
        loop {
            self.session.take_dirty();
            if pred(&self.session) {
                return;
            }
            let now = Instant::now();
            assert!(
                now < deadline,
                "timed out waiting for {what}\n{}",
                self.screen()
            );
            seen = cv.wait_timeout(seen, deadline - now).unwrap().0;
        }
    }

    fn wait_text(&self, needle: &str) {
        self.wait(needle, |s| s.view_lines(0, 200).join("\n").contains(needle));
    }

    fn wait_end(&self) -> SessionState {
        self.wait("the end", |s| s.state() != SessionState::Running);
        self.session.state()
    }
}

#[test]
fn a_shell_echoes_and_its_exit_status_is_kept() {
    let p = start(&["/bin/sh"], 80, 24);
    p.wait_text("$");
    p.session.write(b"echo hi\r").unwrap();
    p.wait("the output line", |s| {
        s.view_lines(0, 23).iter().any(|l| l == "hi")
    });
    p.session.write(b"exit 3\r").unwrap();
    assert_eq!(
        p.wait_end(),
        SessionState::Ended {
            code: Some(3),
            reason: None
        }
    );
    assert!(p.session.pid().is_some());
    assert!(p.session.write(b"x").is_err(), "nothing reads any more");
}

#[test]
fn zlogins_refusal_is_the_reason() {
    let p = sh("printf 'zlogin: Zone is already in use by process ID 42.\\n' >&2; exit 1");
    assert_eq!(
        p.wait_end(),
        SessionState::Ended {
            code: Some(1),
            reason: Some("console already in use by process ID 42".into())
        }
    );
    // Output that merely mentions a refusal earlier on, of a program that ends well, is none.
    let p = sh("echo 'zlogin: zone '\\''x'\\'' unknown'; echo done");
    assert_eq!(
        p.wait_end(),
        SessionState::Ended {
            code: Some(0),
            reason: None
        }
    );
}

#[test]
fn a_signal_ends_it_without_a_code() {
    let p = sh("kill -TERM $$; sleep 5");
    match p.wait_end() {
        SessionState::Ended { code: None, reason } => {
            assert!(reason.is_some_and(|r| r.starts_with("ended by signal")));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn scrollback_and_transcript() {
    let p = sh("seq 1 500");
    p.wait_end();
    assert_eq!(p.session.scroll_offset(), 0);
    assert_eq!(p.session.view_lines(22, 22), ["500"]);
    p.session.scroll(10);
    assert_eq!(p.session.view_lines(0, 0), ["468"]);
    p.session.scroll(100_000);
    // 501 rows were written (the last one empty) on 24: 477 went up.
    assert_eq!(p.session.scroll_offset(), 477);
    assert_eq!(p.session.view_lines(0, 1), ["1", "2"]);
    p.session.scroll(-100_000);
    assert_eq!(p.session.scroll_offset(), 0);
    let want: String = (1..=500).map(|i| format!("{i}\n")).collect();
    assert_eq!(p.session.transcript(), want);
}

#[test]
fn paste_is_bracketed_only_when_the_program_asks() {
    let script =
        "stty -echo; printf \"$0READY\\n\"; IFS= read -r line; printf '%s' \"$line\" | od -An -tx1";
    let p = start(&["/bin/sh", "-c", script, "\x1b[?2004h"], 80, 24);
    p.wait_text("READY");
    p.session.paste("a\nb").unwrap();
    // CR became NL at the terminal: the line is what came before it.
    p.wait_text("1b 5b 32 30 30 7e 61");
    let p = start(&["/bin/sh", "-c", script, ""], 80, 24);
    p.wait_text("READY");
    p.session.paste("a\nb").unwrap();
    p.wait("the plain paste", |s| {
        s.view_lines(0, 5).iter().any(|l| l.trim() == "61")
    });
}

#[test]
fn keys_follow_the_cursor_mode_and_queries_are_answered() {
    let script = "stty -icanon -echo; printf '\\033[?1h\\033[6n'; \
                  dd bs=6 count=1 2>/dev/null | od -An -tx1; echo READY; \
                  dd bs=3 count=1 2>/dev/null | od -An -tx1";
    let p = sh(script);
    // The cursor report: ESC [ 1 ; 1 R.
    p.wait_text("1b 5b 31 3b 31 52");
    p.wait_text("READY");
    p.session
        .send_key(KeyEvent::new(KeyCode::Up, KeyModifiers::NONE))
        .unwrap();
    // Up in application cursor mode: SS3 A.
    p.wait_text("1b 4f 41");
}

#[test]
fn resizes_reach_the_program_and_skip_zero_and_same_sizes() {
    let p = sh("stty size; read x; stty size; read x");
    p.wait_text("24 80");
    p.session.take_dirty();
    p.session.resize(80, 24);
    p.session.resize(0, 30);
    p.session.resize(100, 0);
    assert!(!p.session.take_dirty(), "nothing changed");
    assert_eq!(p.session.with_screen(|s| s.size()), (24, 80));
    p.session.resize(100, 30);
    assert!(p.session.take_dirty());
    assert_eq!(p.session.with_screen(|s| s.size()), (30, 100));
    p.session.write(b"\r").unwrap();
    p.wait_text("30 100");
}

#[test]
fn notifications_are_coalesced_until_taken() {
    let p = sh("for i in 1 2 3 4 5; do printf $i; sleep 0.02; done");
    let deadline = Instant::now() + TIMEOUT;
    // Not taking the changes: however much happens, one notification.
    while p.session.state() == SessionState::Running {
        assert!(Instant::now() < deadline);
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(p.notified.load(Ordering::SeqCst), 1);
    assert!(p.session.take_dirty());
    assert!(!p.session.take_dirty());
    assert_eq!(p.session.bytes_read(), 5);
    assert_eq!(p.screen().lines().next(), Some("12345"));
}

#[test]
fn kill_hangs_up_the_program() {
    let p = sh("trap '' TERM; echo started; sleep 30");
    p.wait_text("started");
    p.session.kill();
    match p.wait_end() {
        SessionState::Ended { code: None, .. } => {}
        other => panic!("{other:?}"),
    }
    assert!(p.session.write(b"x").is_err());
}

#[test]
fn cursor_shape_from_the_program() {
    let p = sh("printf '\\033[5 qshaped'; sleep 5");
    p.wait_text("shaped");
    assert_eq!(p.session.cursor_shape(), CursorShape::BlinkingBar);
}

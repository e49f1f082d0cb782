//! The same program run in a zcon console session and in tmux, fed the same input, their
//! screens compared cell by cell: text, colours and attributes.

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};
use ratatui::widgets::Widget;
use zcon::console::{Session, SessionOptions, TermView, Terminal, buffer_lines};

pub const COLS: u16 = 80;
pub const ROWS: u16 = 24;
const DEADLINE: Duration = Duration::from_secs(10);

/// The path of `tool`; panics (the comparison cannot be made without it, and CI installs it)
/// naming the package to install.
pub fn require(tool: &str, package: &str) -> String {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(tool))
            .find(|p| p.is_file())
    });
    let found: PathBuf = found.unwrap_or_else(|| {
        panic!(
            "{tool} is not installed; the console fidelity tests compare against it: \
             apt-get install -y {package}"
        )
    });
    found.to_string_lossy().into_owned()
}

/// A program in tmux on a server of its own (socket), 80x24 without a status line, TERM as
/// zcon sets it.
pub struct Tmux {
    socket: String,
    conf: tempfile::NamedTempFile,
}

impl Tmux {
    pub fn start(argv: &[&str], env: &[(&str, &str)]) -> Tmux {
        static N: AtomicUsize = AtomicUsize::new(0);
        let socket = format!(
            "zcon-fidelity-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        );
        let conf = tempfile::NamedTempFile::new().expect("tmux config file");
        std::fs::write(
            conf.path(),
            "set -g status off\nset -g default-terminal xterm-256color\nset -g escape-time 0\n",
        )
        .expect("writing the tmux config");
        let tmux = Tmux { socket, conf };
        let (cols, rows) = (COLS.to_string(), ROWS.to_string());
        let cwd = std::env::current_dir().expect("current directory");
        let mut args = vec!["new-session", "-d", "-x", &cols, "-y", &rows];
        args.extend(["-c", cwd.to_str().expect("UTF-8 directory")]);
        let env: Vec<String> = env.iter().map(|(k, v)| format!("{k}={v}")).collect();
        for var in &env {
            args.extend(["-e", var]);
        }
        args.push("--");
        args.extend_from_slice(argv);
        tmux.run(&args);
        tmux
    }

    fn run(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket, "-f"])
            .arg(self.conf.path())
            .args(args)
            .env_remove("TMUX")
            .output()
            .expect("running tmux");
        assert!(
            out.status.success(),
            "tmux {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Send raw bytes to the program, as typed.
    pub fn send(&self, bytes: &[u8]) {
        if bytes.is_empty() {
            return;
        }
        let hex: Vec<String> = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let mut args = vec!["send-keys", "-H"];
        args.extend(hex.iter().map(String::as_str));
        self.run(&args);
    }

    /// The visible screen as tmux holds it, drawn by the same widget: `capture-pane -e`
    /// writes it with the escape sequences that reproduce its attributes (SO/SI around DEC
    /// line drawing, which assumes G1 holds it), and a fresh terminal replays them.
    pub fn capture(&self) -> Buffer {
        let text = self.capture_raw();
        let mut replay = b"\x1b)0".to_vec();
        for (i, line) in text.lines().take(usize::from(ROWS)).enumerate() {
            if i > 0 {
                replay.extend_from_slice(b"\r\n");
            }
            replay.extend_from_slice(line.as_bytes());
        }
        let mut term = Terminal::new(COLS, ROWS, 0);
        term.process(&replay);
        draw(term.screen())
    }
}

impl Tmux {
    /// What `capture-pane -e` wrote, for the failure message.
    pub fn capture_raw(&self) -> String {
        self.run(&["capture-pane", "-p", "-e", "-N"])
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .output();
    }
}

fn draw(screen: &vt100::Screen) -> Buffer {
    let area = Rect::new(0, 0, COLS, ROWS);
    let mut buf = Buffer::empty(area);
    TermView::new(screen).render(area, &mut buf);
    buf
}

/// A zcon console session whose screen changes can be waited on.
pub struct Pane {
    pub session: Session,
    changed: Arc<(Mutex<u64>, Condvar)>,
}

impl Pane {
    pub fn start(argv: &[&str], env: &[(&str, &str)]) -> Pane {
        let changed = Arc::new((Mutex::new(0u64), Condvar::new()));
        let signal = Arc::clone(&changed);
        let argv: Vec<String> = argv.iter().map(|s| s.to_string()).collect();
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let opts = SessionOptions {
            cols: COLS,
            rows: ROWS,
            scrollback: 1000,
        };
        let notify = Box::new(move || {
            *signal.0.lock().unwrap() += 1;
            signal.1.notify_all();
        });
        let session = Session::spawn(&argv, &env, opts, notify).expect("starting the session");
        Pane { session, changed }
    }

    /// The screen as the widget draws it into an 80x24 buffer.
    pub fn render(&self) -> Buffer {
        self.session.with_screen(draw)
    }

    /// Wait up to `timeout` for the screen to change (at once if it changed since the last
    /// wait).
    pub fn wait_change(&self, timeout: Duration) {
        let (count, cv) = &*self.changed;
        let seen = count.lock().unwrap();
        let was = *seen;
        if self.session.take_dirty() {
            return;
        }
        let _ = cv.wait_timeout_while(seen, timeout, |n| *n == was).unwrap();
    }
}

impl Pane {
    /// Wait until the screen text (rows joined by newlines) contains `needle`.
    pub fn wait_for(&self, needle: &str) {
        let deadline = Instant::now() + DEADLINE;
        loop {
            let text = self.session.view_lines(0, ROWS - 1).join("\n");
            if text.contains(needle) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {needle:?}\n{text}"
            );
            self.wait_change(Duration::from_millis(50));
        }
    }

    /// Wait until the program has ended.
    pub fn wait_end(&self) {
        let deadline = Instant::now() + DEADLINE;
        while self.session.state() == zcon::console::SessionState::Running {
            assert!(Instant::now() < deadline, "the program did not end");
            self.wait_change(Duration::from_millis(50));
        }
    }
}

/// A program run in both.
pub struct Pair {
    pub pane: Pane,
    pub tmux: Tmux,
}

impl Pair {
    pub fn start(argv: &[&str], env: &[(&str, &str)]) -> Pair {
        Pair {
            pane: Pane::start(argv, env),
            tmux: Tmux::start(argv, env),
        }
    }

    pub fn send(&self, keys: &str) {
        self.send_each(keys, keys);
    }

    /// Different keys to each, where the program itself behaves differently with each (it
    /// asked the terminal who it is).
    pub fn send_each(&self, zcon: &str, tmux: &str) {
        self.pane.session.write(zcon.as_bytes()).expect("typing");
        // tmux is told separately; both programs read their input when they are ready.
        self.tmux.send(tmux.as_bytes());
    }

    /// Wait until both screens show `needle` (`^text`: a row starting with it), then until
    /// they agree; panic with the differences at the deadline.
    pub fn expect_same(&self, needle: &str, what: &str) {
        self.expect_same_except(needle, what, &[]);
    }

    /// The same, rows `except` left out of the comparison (where the two legitimately
    /// differ; the caller says why and checks them itself).
    pub fn expect_same_except(&self, needle: &str, what: &str, except: &[u16]) {
        let deadline = Instant::now() + DEADLINE;
        loop {
            let ours = self.pane.render();
            let theirs = self.tmux.capture();
            let found = shows(&ours, needle) && shows(&theirs, needle);
            let differences = differences(&ours, &theirs, except);
            if found && differences.is_empty() {
                return;
            }
            if Instant::now() >= deadline {
                let waited = if found {
                    String::new()
                } else {
                    format!(" (waiting for {needle:?})")
                };
                let raw: Vec<String> = self
                    .tmux
                    .capture_raw()
                    .lines()
                    .map(|l| l.escape_debug().to_string())
                    .collect();
                panic!(
                    "{what}: zcon and tmux differ{waited}\n{}{}\ntmux's capture:\n{}",
                    rows_diff(&ours, &theirs),
                    differences.join("\n"),
                    raw.join("\n")
                );
            }
            self.pane.wait_change(Duration::from_millis(25));
        }
    }
}

pub fn shows(buf: &Buffer, needle: &str) -> bool {
    let lines = buffer_lines(buf);
    match needle.strip_prefix('^') {
        Some(start) => lines.iter().any(|l| l.starts_with(start)),
        None => lines.iter().any(|l| l.contains(needle)),
    }
}

/// What can be seen of a cell. A blank shows no foreground, nor bold or italic; and where
/// tmux reports a blank with the default background, its capture may simply not know: it
/// writes cells erased in a colour (ED, EL, ECH with BCE) beyond a line's text as plain
/// blanks, so that background is not compared.
fn visible_difference(ours: &Cell, theirs: &Cell) -> bool {
    if ours.symbol() != theirs.symbol() {
        return true;
    }
    let lines = Modifier::REVERSED | Modifier::UNDERLINED;
    let blank = ours.symbol() == " " && !(ours.modifier | theirs.modifier).intersects(lines);
    if !blank {
        return ours.fg != theirs.fg || ours.bg != theirs.bg || ours.modifier != theirs.modifier;
    }
    theirs.bg != Color::Reset && ours.bg != theirs.bg
}

fn differences(ours: &Buffer, theirs: &Buffer, except: &[u16]) -> Vec<String> {
    let mut out = Vec::new();
    for y in (0..ROWS).filter(|y| !except.contains(y)) {
        for x in 0..COLS {
            let (a, b) = (&ours[(x, y)], &theirs[(x, y)]);
            if visible_difference(a, b) {
                out.push(format!(
                    "cell ({x},{y}): zcon {:?} {:?} tmux {:?} {:?}",
                    a.symbol(),
                    a.style(),
                    b.symbol(),
                    b.style()
                ));
            }
        }
    }
    out.truncate(12);
    out
}

/// Both screens, the rows that differ in text shown twice.
pub fn rows_diff(ours: &Buffer, theirs: &Buffer) -> String {
    let (a, b) = (buffer_lines(ours), buffer_lines(theirs));
    let mut out = String::new();
    for (i, (a, b)) in a.iter().zip(&b).enumerate() {
        if a == b {
            out.push_str(&format!("     {i:2} |{a}\n"));
        } else {
            out.push_str(&format!("zcon {i:2} |{a}\ntmux {i:2} |{b}\n"));
        }
    }
    out
}

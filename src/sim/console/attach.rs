//! `zlogin -C`: the zone console. On a real host zoneadmd serves the console socket and sends
//! its notices (`[NOTICE: Zone booting up]` …); the zone's console device carries what runs
//! inside. Here the client process plays all three: it follows the zone's state from the sim
//! state files, prints zoneadmd's notices and the guest's boot log, runs the login prompt and
//! then a real shell on a pty in the zone's root.

use std::collections::VecDeque;
use std::io::Write;
use std::path::PathBuf;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use portable_pty::PtySize;

use super::escape::{ControlChars, EscapeFilter};
use super::guest::{Guest, Step};
use super::pty::{Shell, Spec};
use super::watch::{Snapshot, Watch};
use super::{Event, holder, login_env, read_stdin, record_login, tty, zone_root};
use crate::sim::{Ctx, SimHost, zones};
use crate::sys::zoneadm::ZoneState;
use crate::sys::zonecfg::ZoneConfig;

/// How often the zone's state is looked at.
const POLL: Duration = Duration::from_millis(150);

pub struct ConsoleRequest<'a> {
    pub zone: &'a str,
    /// None with `-E`.
    pub escape: Option<u8>,
    /// `-d`.
    pub disconnect_on_halt: bool,
    /// `-Q`: no banners.
    pub quiet: bool,
    /// `-I`: the banners of the standalone-process console.
    pub standalone: bool,
}

/// Attach to the zone's console until the operator disconnects (or `-d` and the zone halts).
/// The caller has checked that the zone is installed.
pub fn attach(ctx: &mut Ctx, req: &ConsoleRequest) -> i32 {
    let host = ctx.host;
    let _holder = match holder::acquire(host, req.zone) {
        Ok(Ok(h)) => h,
        Ok(Err(pid)) => {
            let _ = writeln!(
                ctx.err,
                "zlogin: Zone is already in use by process ID {pid}."
            );
            return 1;
        }
        Err(e) => {
            let _ = writeln!(ctx.err, "zlogin: Could not connect to zone: {e}");
            return 1;
        }
    };
    // The state is taken before the banner: whatever changes after "Connected" is shown.
    let mut watch = Watch::new(host, req.zone);
    let attached = watch.read(host).ok();
    let what = if req.standalone {
        "interactively"
    } else {
        "console"
    };
    if !req.quiet {
        let _ = writeln!(ctx.out, "[Connected to zone '{}' {what}]", req.zone);
        let _ = ctx.out.flush();
    }
    let is_tty = tty::stdin_is_tty();
    let raw = if is_tty {
        match tty::RawMode::enter() {
            Ok(raw) => Some(raw),
            Err(e) => {
                let _ = writeln!(ctx.err, "zlogin: failed to set stdin pty to raw mode: {e}");
                return 1;
            }
        }
    } else {
        None
    };
    let chars = raw
        .as_ref()
        .map_or_else(ControlChars::default, |r| r.control_chars());
    if is_tty {
        tty::watch_winch();
    }
    let (tx, rx) = mpsc::channel();
    read_stdin(tx.clone());
    let filter = EscapeFilter::new(req.escape, chars);
    let mut console = Console::new(host, req, watch, filter, tx, is_tty);
    console.run(ctx.out, &rx, attached);
    drop(raw);
    if !req.quiet {
        let closed = if req.standalone {
            format!("\n[Interactive connection to zone '{}' closed]", req.zone)
        } else {
            format!("\n[Connection to zone '{}' console closed]", req.zone)
        };
        let _ = writeln!(ctx.out, "{closed}");
        let _ = ctx.out.flush();
    }
    0
}

/// What the far side of the console is doing.
enum Side {
    /// Not running: nothing reads the console.
    Off,
    /// Printing its boot log (or shutdown messages): input is ignored.
    Busy,
    /// Running, printing nothing on this console (a Windows guest).
    Silent,
    /// The login prompt reading a user name.
    Login(Vec<u8>),
    Password(String),
    /// Password accepted, the shell about to start: input is kept for it.
    Starting(Vec<u8>),
    Shell,
}

/// What happens once the queued output has been printed.
enum Then {
    Nothing,
    Prompt,
    Silent,
    Shell(String),
}

struct Console<'h> {
    host: &'h SimHost,
    zone: String,
    disconnect_on_halt: bool,
    filter: EscapeFilter,
    watch: Watch,
    guest: Option<Guest>,
    state: Side,
    zonepath: String,
    bootargs: Option<String>,
    /// The zone has been seen running since it last halted.
    up: bool,
    /// boot_count of the boot whose log has been shown (or that was under way at attach).
    shown_boot: Option<u64>,
    /// The last state seen was running (a boot is a change to running or a new boot count).
    was_running: bool,
    shutdown_shown: bool,
    queue: VecDeque<Step>,
    due: Instant,
    then: Then,
    shell: Option<Shell>,
    shell_ids: u64,
    events: Sender<Event>,
    is_tty: bool,
    last_was_cr: bool,
    out: Vec<u8>,
    done: bool,
}

impl<'h> Console<'h> {
    fn new(
        host: &'h SimHost,
        req: &ConsoleRequest,
        watch: Watch,
        filter: EscapeFilter,
        events: Sender<Event>,
        is_tty: bool,
    ) -> Self {
        Console {
            host,
            zone: req.zone.to_string(),
            disconnect_on_halt: req.disconnect_on_halt,
            filter,
            watch,
            guest: None,
            state: Side::Off,
            zonepath: String::new(),
            bootargs: None,
            up: false,
            shown_boot: None,
            was_running: false,
            shutdown_shown: false,
            queue: VecDeque::new(),
            due: Instant::now(),
            then: Then::Nothing,
            shell: None,
            shell_ids: 0,
            events,
            is_tty,
            last_was_cr: false,
            out: Vec::new(),
            done: false,
        }
    }

    fn run(
        &mut self,
        out: &mut dyn Write,
        events: &mpsc::Receiver<Event>,
        attached: Option<Snapshot>,
    ) {
        // Attaching shows nothing of the current state: a running zone's login prompt was
        // printed before we came; Enter brings a fresh one.
        if let Some(snap) = attached {
            self.adopt(&snap);
        }
        let mut next_poll = Instant::now() + POLL;
        loop {
            self.play_due();
            if self.is_tty
                && tty::take_winch()
                && let (Some(shell), Some(size)) = (&self.shell, tty::window_size())
            {
                shell.resize(size);
            }
            if Instant::now() >= next_poll {
                if let Ok(Some(snap)) = self.watch.changed(self.host) {
                    self.on_state(&snap);
                }
                next_poll = Instant::now() + POLL;
            }
            if !self.out.is_empty() {
                let failed = out.write_all(&self.out).and_then(|()| out.flush()).is_err();
                self.out.clear();
                if failed {
                    self.done = true;
                }
            }
            if self.done {
                break;
            }
            let mut wake = next_poll;
            if !self.queue.is_empty() {
                wake = wake.min(self.due);
            }
            match events.recv_timeout(wake.saturating_duration_since(Instant::now())) {
                Ok(Event::Input(bytes)) => self.input(&bytes),
                // zlogin closes its side on EOF, and the closed socket ends the session.
                Ok(Event::InputEnd) => self.done = true,
                Ok(Event::Output(id, bytes)) if self.shell_is(id) => self.out.extend(bytes),
                Ok(Event::OutputEnd(id)) if self.shell_is(id) => self.shell_ended(),
                Ok(_) | Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        if let Some(shell) = self.shell.take() {
            shell.end(libc::SIGHUP);
        }
    }

    fn shell_is(&self, id: u64) -> bool {
        self.shell.as_ref().is_some_and(|s| s.id() == id)
    }

    /// Take the state found at attach as already shown.
    fn adopt(&mut self, snap: &Snapshot) {
        match snap.active {
            Some((ZoneState::Running, count)) => {
                self.up = true;
                self.was_running = true;
                self.shown_boot = Some(count);
                self.load_guest();
                self.state = if self.guest.as_ref().is_some_and(Guest::has_login) {
                    Side::Login(Vec::new())
                } else {
                    Side::Silent
                };
            }
            Some((ZoneState::ShuttingDown | ZoneState::Down, count)) => {
                self.up = true;
                self.shown_boot = Some(count);
                self.shutdown_shown = true;
            }
            _ => {}
        }
    }

    fn load_guest(&mut self) {
        let cfg = {
            let Ok(_lock) = self.host.lock_shared() else {
                return;
            };
            zones::load_config(self.host, &self.zone).ok().flatten()
        };
        let cfg = cfg.unwrap_or_else(|| ZoneConfig {
            name: self.zone.clone(),
            ..Default::default()
        });
        if let Ok(info) = self.host.info() {
            self.bootargs = cfg.bootargs.clone().filter(|a| !a.is_empty());
            self.zonepath = cfg.zonepath.clone();
            self.guest = Some(Guest::new(&cfg, &info));
        }
    }
}

impl Console<'_> {
    /// React to a change of the zone's state.
    fn on_state(&mut self, snap: &Snapshot) {
        if !snap.installed && snap.active.is_none() {
            self.notice("NOTICE: Zone is being uninstalled.  Disconnecting...");
            self.done = true;
            return;
        }
        let was_running = std::mem::replace(
            &mut self.was_running,
            matches!(snap.active, Some((ZoneState::Running, _))),
        );
        match snap.active {
            None if self.up => self.halted(),
            Some((ZoneState::Running, count)) if !was_running || self.shown_boot != Some(count) => {
                self.booted(count)
            }
            Some((ZoneState::ShuttingDown, _)) if self.up && !self.shutdown_shown => {
                self.stop_guest(libc::SIGHUP);
                self.shutdown_shown = true;
                if let Some(guest) = &self.guest {
                    let steps = guest.shutdown();
                    self.enqueue(steps, Then::Nothing);
                }
                self.state = Side::Busy;
            }
            _ => {}
        }
    }

    /// zoneadmd's notices: `\r\n[TEXT]\r\n`.
    fn notice(&mut self, text: &str) {
        self.out.extend(format!("\r\n[{text}]\r\n").as_bytes());
    }

    fn booted(&mut self, count: u64) {
        let rebooting = self.up;
        self.stop_guest(libc::SIGKILL);
        self.load_guest();
        match (&self.bootargs, rebooting) {
            (None, false) => self.notice("NOTICE: Zone booting up"),
            (None, true) => self.notice("NOTICE: Zone rebooting"),
            (Some(args), false) => {
                self.notice(&format!("NOTICE: Zone booting up with arguments: {args}"))
            }
            (Some(args), true) => {
                self.notice(&format!("NOTICE: Zone rebooting with arguments: {args}"))
            }
        }
        self.up = true;
        self.shown_boot = Some(count);
        self.shutdown_shown = false;
        self.state = Side::Busy;
        if let Some(guest) = &self.guest {
            let then = if guest.has_login() {
                Then::Prompt
            } else {
                Then::Silent
            };
            let steps = guest.boot(count <= 1);
            self.enqueue(steps, then);
        }
    }

    fn halted(&mut self) {
        self.stop_guest(libc::SIGKILL);
        self.up = false;
        self.shown_boot = None;
        self.shutdown_shown = false;
        self.state = Side::Off;
        if self.disconnect_on_halt {
            self.notice("NOTICE: Zone halted.  Disconnecting...");
            self.done = true;
        } else {
            self.notice("NOTICE: Zone halted");
        }
    }

    /// Everything running in the zone stops: queued output is dropped, the shell killed.
    fn stop_guest(&mut self, signal: libc::c_int) {
        self.queue.clear();
        self.then = Then::Nothing;
        if let Some(shell) = self.shell.take() {
            shell.end(signal);
        }
    }

    fn enqueue(&mut self, steps: Vec<Step>, then: Then) {
        self.queue.extend(steps);
        self.then = then;
        self.due = Instant::now() + self.scaled(self.queue.front().map(|s| s.delay));
        if self.queue.is_empty() {
            self.finish_queue();
        }
    }

    fn scaled(&self, delay: Option<Duration>) -> Duration {
        delay.unwrap_or_default().mul_f64(self.host.speed())
    }

    /// Print the queued output that is due, at the pace of the simulated guest.
    fn play_due(&mut self) {
        while !self.queue.is_empty() && Instant::now() >= self.due {
            if let Some(step) = self.queue.pop_front() {
                self.out.extend(step.text.as_bytes());
            }
            self.due = Instant::now() + self.scaled(self.queue.front().map(|s| s.delay));
            if self.queue.is_empty() {
                self.finish_queue();
            }
        }
    }

    fn finish_queue(&mut self) {
        match std::mem::replace(&mut self.then, Then::Nothing) {
            Then::Nothing => {}
            Then::Prompt => self.state = Side::Login(Vec::new()),
            Then::Silent => self.state = Side::Silent,
            Then::Shell(user) => self.start_shell(&user),
        }
    }

    /// Operator input: the escape sequence first, the rest to whatever reads the console.
    fn input(&mut self, bytes: &[u8]) {
        let filtered = self.filter.feed(bytes);
        self.feed_guest(&filtered.forward);
        if let Some(echo) = filtered.disconnect {
            self.out.extend(echo);
            self.done = true;
        }
    }

    fn feed_guest(&mut self, bytes: &[u8]) {
        for (i, &b) in bytes.iter().enumerate() {
            let after_cr = std::mem::replace(&mut self.last_was_cr, b == b'\r');
            match &mut self.state {
                Side::Shell => {
                    let rest = &bytes[i..];
                    if let Some(shell) = &mut self.shell
                        && shell.write(rest).is_err()
                    {
                        self.shell_ended();
                    }
                    return;
                }
                Side::Starting(typeahead) => {
                    typeahead.extend_from_slice(&bytes[i..]);
                    return;
                }
                Side::Off | Side::Busy | Side::Silent => return,
                // A terminal sends CR for Enter, a pipe LF; CR LF is one Enter.
                Side::Login(_) | Side::Password(_) if b == b'\n' && after_cr => {}
                Side::Login(name) => match b {
                    b'\r' | b'\n' => {
                        let user = String::from_utf8_lossy(name).trim().to_string();
                        let guest = self.guest.as_ref();
                        if user.is_empty() {
                            let prompt = guest.map(Guest::login_prompt).unwrap_or_default();
                            self.out.extend(format!("\r\n{prompt}").as_bytes());
                        } else {
                            let prompt = guest.map_or("Password: ", Guest::password_prompt);
                            self.out.extend(format!("\r\n{prompt}").as_bytes());
                            self.state = Side::Password(user);
                        }
                    }
                    0x08 | 0x7f if !name.is_empty() => {
                        name.pop();
                        self.out.extend(b"\x08 \x08");
                    }
                    0x15 => {
                        for _ in name.drain(..) {
                            self.out.extend(b"\x08 \x08");
                        }
                    }
                    b if b >= 0x20 => {
                        name.push(b);
                        self.out.push(b);
                    }
                    _ => {}
                },
                // Any password is accepted; nothing typed is echoed.
                Side::Password(user) => {
                    if b == b'\r' || b == b'\n' {
                        let user = std::mem::take(user);
                        self.out.extend(b"\r\n");
                        self.logged_in(user);
                    }
                }
            }
        }
    }

    /// The password was accepted: login prints its lines, then the user's shell starts.
    fn logged_in(&mut self, user: String) {
        self.state = Side::Starting(Vec::new());
        let Some(guest) = &self.guest else { return };
        let line = guest.console_line();
        let last = record_login(self.host, &self.zone, &user, line)
            .map(|(time, line)| (guest.format_last_login(time), line));
        let text = guest.welcome(
            &user,
            last.as_ref().map(|(t, _)| t.as_str()),
            last.as_ref().map_or(line, |(_, l)| l.as_str()),
            crate::sim::host::now(),
        );
        let step = Step {
            delay: Duration::from_millis(600),
            text,
        };
        self.enqueue(vec![step], Then::Shell(user));
    }

    fn start_shell(&mut self, user: &str) {
        let typeahead = match std::mem::replace(&mut self.state, Side::Shell) {
            Side::Starting(t) => t,
            _ => Vec::new(),
        };
        let size = (if self.is_tty {
            tty::window_size()
        } else {
            None
        })
        .unwrap_or(PtySize {
            rows: 24,
            cols: 80,
            pixel_width: 0,
            pixel_height: 0,
        });
        let started = zone_root(self.host, &self.zonepath).and_then(|root: PathBuf| {
            let spec = Spec {
                program: "/bin/sh".into(),
                args: Vec::new(),
                env: login_env(&self.zone, user, &root),
                cwd: root,
            };
            self.shell_ids += 1;
            Shell::spawn(&spec, size, self.shell_ids, self.events.clone())
        });
        match started {
            Ok(mut shell) => {
                if !typeahead.is_empty() && shell.write(&typeahead).is_err() {
                    self.shell = Some(shell);
                    return self.shell_ended();
                }
                self.shell = Some(shell);
            }
            Err(_) => {
                self.out.extend(b"Login incorrect\r\n");
                self.shell_ended();
            }
        }
    }

    /// The shell logged out: the console offers the login prompt again.
    fn shell_ended(&mut self) {
        if let Some(shell) = self.shell.take() {
            shell.end(libc::SIGHUP);
        }
        if self.up {
            let prompt = self
                .guest
                .as_ref()
                .map(Guest::login_prompt)
                .unwrap_or_default();
            self.out.extend(format!("\r\n{prompt}").as_bytes());
            self.state = Side::Login(Vec::new());
        }
    }
}

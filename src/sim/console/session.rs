//! `zlogin ZONE` on a terminal (a login on a new pty, relayed like zlogin's `doio`, the
//! escape sequence included) and `zlogin ZONE CMD` or a login without a terminal (pipes).

use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use portable_pty::PtySize;

use super::escape::EscapeFilter;
use super::guest::Guest;
use super::pty::{Shell, Spec};
use super::{Event, read_stdin, record_login, tty};
use crate::sim::Ctx;
use crate::sys::zonecfg::ZoneConfig;

/// illumos errno values zlogin returns as its status.
const ECHILD: i32 = 10;
const EPIPE: i32 = 32;

pub struct LoginRequest<'a> {
    pub zone: &'a str,
    pub user: &'a str,
    /// What runs on the pty (a login shell, or the `-i` command).
    pub spec: Spec,
    /// Print login's `Last login:` and motd lines first (not for `-i` commands).
    pub greet: Option<&'a ZoneConfig>,
    pub escape: Option<u8>,
    pub quiet: bool,
}

/// An interactive session on a new pty; stdin is a terminal. Returns zlogin's status: the
/// shell's exit status, or ECHILD when the operator disconnected with the shell still alive.
pub fn login(ctx: &mut Ctx, req: LoginRequest) -> i32 {
    let size = tty::window_size().unwrap_or(PtySize {
        rows: 24,
        cols: 80,
        pixel_width: 0,
        pixel_height: 0,
    });
    let (tx, rx) = mpsc::channel();
    let mut shell = match Shell::spawn(&req.spec, size, 1, tx.clone()) {
        Ok(shell) => shell,
        Err(e) => {
            let _ = writeln!(ctx.err, "zlogin: could not setup master pty device: {e}");
            return 1;
        }
    };
    let pts = shell.tty_short_name();
    if !req.quiet {
        let _ = writeln!(ctx.out, "[Connected to zone '{}' {pts}]", req.zone);
    }
    // stdio flushes a line on a terminal at its newline, before zlogin turns output
    // processing off: the banner's newline still returns the carriage.
    let _ = ctx.out.flush();
    let raw = match tty::RawMode::enter() {
        Ok(raw) => raw,
        Err(e) => {
            shell.end(libc::SIGHUP);
            let _ = writeln!(ctx.err, "zlogin: failed to set stdin pty to raw mode: {e}");
            return 1;
        }
    };
    if let Some(cfg) = req.greet
        && let Ok(info) = ctx.host.info()
    {
        let guest = Guest::new(cfg, &info);
        let last = record_login(ctx.host, req.zone, req.user, &pts);
        let text = guest.welcome(
            req.user,
            last.as_ref()
                .map(|(t, _)| guest.format_last_login(*t))
                .as_deref(),
            last.as_ref().map_or(pts.as_str(), |(_, l)| l.as_str()),
            crate::sim::host::now(),
        );
        let _ = ctx.out.write_all(text.as_bytes());
    }
    let _ = ctx.out.flush();
    tty::watch_winch();
    read_stdin(tx);
    let mut filter = EscapeFilter::new(req.escape, raw.control_chars());
    let mut ended = false;
    let mut stdin_closed = false;
    loop {
        if tty::take_winch()
            && let Some(size) = tty::window_size()
        {
            shell.resize(size);
        }
        match rx.recv_timeout(Duration::from_millis(150)) {
            Ok(Event::Input(bytes)) => {
                let f = filter.feed(&bytes);
                if !f.forward.is_empty() && shell.write(&f.forward).is_err() {
                    ended = true;
                    break;
                }
                if let Some(echo) = f.disconnect {
                    let _ = ctx.out.write_all(&echo);
                    break;
                }
            }
            Ok(Event::InputEnd) => {
                stdin_closed = true;
                break;
            }
            Ok(Event::Output(_, bytes)) => {
                let _ = ctx.out.write_all(&bytes);
                let _ = ctx.out.flush();
            }
            Ok(Event::OutputEnd(_)) => {
                ended = true;
                break;
            }
            Err(RecvTimeoutError::Timeout) => {
                if shell.try_status().is_some() {
                    ended = true;
                    break;
                }
            }
            Err(RecvTimeoutError::Disconnected) => break,
        }
    }
    let _ = ctx.out.flush();
    let status = if ended {
        shell.wait_status()
    } else {
        shell.end(libc::SIGHUP);
        ECHILD
    };
    drop(raw);
    if !req.quiet {
        let _ = writeln!(
            ctx.err,
            "\n[Connection to zone '{}' {pts} closed]",
            req.zone
        );
    }
    if stdin_closed {
        // zlogin closes the pty on EOF and its poll then fails on the closed descriptor.
        let _ = writeln!(
            ctx.err,
            "Error: connection closed due to unexpected pollevents=0x20."
        );
        return EPIPE;
    }
    status
}

/// Run `spec` with pipes: stdin passes through (or /dev/null), its stdout and stderr are
/// copied to ours as they come; the status is the command's (128+N when killed by signal N,
/// as the zone's shell reports it).
pub fn run_piped(ctx: &mut Ctx, spec: &Spec, null_stdin: bool) -> i32 {
    let mut child = match std::process::Command::new(&spec.program)
        .args(&spec.args)
        .current_dir(&spec.cwd)
        .env_clear()
        .envs(spec.env.iter().map(|(k, v)| (k, v)))
        .stdin(if null_stdin {
            Stdio::null()
        } else {
            Stdio::inherit()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(e) => {
            let _ = writeln!(ctx.err, "zlogin: exec failure: {e}");
            return 1;
        }
    };
    let (tx, rx) = mpsc::channel::<(bool, Option<Vec<u8>>)>();
    let pipes: [(bool, Option<Box<dyn Read + Send>>); 2] = [
        (
            false,
            child
                .stdout
                .take()
                .map(|p| Box::new(p) as Box<dyn Read + Send>),
        ),
        (
            true,
            child
                .stderr
                .take()
                .map(|p| Box::new(p) as Box<dyn Read + Send>),
        ),
    ];
    for (is_err, pipe) in pipes {
        let Some(mut pipe) = pipe else { continue };
        let tx = tx.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
                match pipe.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => {
                        let _ = tx.send((is_err, Some(buf[..n].to_vec())));
                    }
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(_) => break,
                }
            }
            let _ = tx.send((is_err, None));
        });
    }
    drop(tx);
    while let Ok((is_err, chunk)) = rx.recv() {
        let Some(bytes) = chunk else { continue };
        let sink: &mut dyn Write = if is_err { ctx.err } else { ctx.out };
        let _ = sink.write_all(&bytes);
        let _ = sink.flush();
    }
    match child.wait() {
        Ok(status) => {
            use std::os::unix::process::ExitStatusExt;
            status
                .code()
                .or_else(|| status.signal().map(|s| 128 + s))
                .unwrap_or(1)
        }
        Err(_) => 1,
    }
}

/// The spec of a shell running `command` (or reading stdin when None) in the zone root.
pub fn shell_spec(zone: &str, user: &str, root: PathBuf, command: Option<String>) -> Spec {
    Spec {
        program: "/bin/sh".into(),
        args: command
            .map(|c| vec!["-c".to_string(), c])
            .unwrap_or_default(),
        env: super::login_env(zone, user, &root),
        cwd: root,
    }
}

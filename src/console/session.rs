//! A program on a pseudo-terminal, its output read by a thread into a [`Terminal`].
//!
//! Three threads serve a session, none of them ever waited on by the caller: the reader feeds
//! the pty's output to the emulator (one lock per read, never per byte) and tells the app the
//! screen changed; the writer writes keys, pastes and query replies to the pty, so neither the
//! app nor the reader blocks when the program stops reading its input; the waiter reaps the
//! program and records how it ended.

use std::io::{self, Write};
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use anyhow::{Context, bail};
use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};
use ratatui::crossterm::event::KeyEvent;
use rustix::event::{PollFd, PollFlags, poll};
use rustix::process::{Pid, Signal, WaitId, WaitIdOptions, kill_process_group, waitid};

use super::keys::encode_key;
use super::{CursorShape, SessionOptions, SessionState, Terminal, end_reason};

/// The pty is read in chunks of up to this much (Linux hands out at most a few KiB a read;
/// other systems more).
const CHUNK: usize = 64 * 1024;

/// A program running on a pseudo-terminal, shown through a terminal emulator.
///
/// Dropping it hangs up the program (as [`Session::kill`]).
pub struct Session {
    shared: Arc<Shared>,
    /// To the writer thread; None once killed.
    input: Mutex<Option<Sender<Vec<u8>>>>,
    /// Kept for resizing; closed (with the other ends) by kill, which hangs up the terminal.
    master: Mutex<Option<Box<dyn MasterPty + Send>>>,
    /// Dropping it wakes the reader out of its poll, to close its end of the pty.
    stop_reader: Mutex<Option<OwnedFd>>,
    pid: Option<u32>,
}

struct Shared {
    term: Mutex<Terminal>,
    /// The size last set, `cols << 16 | rows`: resize's no-op check without the term lock.
    size: AtomicU32,
    dirty: AtomicBool,
    notify: Box<dyn Fn() + Send + Sync>,
    bytes: AtomicU64,
    life: Mutex<Life>,
}

#[derive(Default)]
struct Life {
    exit: Option<ExitStatus>,
    output_ended: bool,
    killed: bool,
    ended: Option<SessionState>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Shared {
    /// Tell the app once per batch of changes: only when it has taken the previous one.
    fn mark_dirty(&self) {
        if !self.dirty.swap(true, Ordering::AcqRel) {
            (self.notify)();
        }
    }

    /// Once the program has exited and its output is drained (or it was killed, when nothing
    /// more is wanted from it), record how it ended.
    fn settle(&self) {
        let status = {
            let life = lock(&self.life);
            match &life.exit {
                Some(status) if life.ended.is_none() && (life.output_ended || life.killed) => {
                    status.clone()
                }
                _ => return,
            }
        };
        let reason = end_reason(&mut lock(&self.term), &status);
        let code = status.signal().is_none().then(|| status.exit_code());
        lock(&self.life)
            .ended
            .get_or_insert(SessionState::Ended { code, reason });
        self.mark_dirty();
    }
}

impl Session {
    /// Start `argv` (argv[0] already resolved by the caller) with `env` added to this
    /// process's environment, on a new pty of the given size. `TERM` is `xterm-256color` unless
    /// `env` sets it; `COLUMNS`/`LINES` are removed (they would override the pty's size).
    ///
    /// `notify` is called from the reader thread when the screen changed and the app had not
    /// been told since its last [`Session::take_dirty`]; it must not block.
    pub fn spawn(
        argv: &[String],
        env: &[(String, String)],
        opts: SessionOptions,
        notify: Box<dyn Fn() + Send + Sync>,
    ) -> anyhow::Result<Session> {
        let Some(program) = argv.first() else {
            bail!("no program to run");
        };
        if opts.cols == 0 || opts.rows == 0 {
            bail!(
                "terminal size {}x{}: both must be at least 1",
                opts.cols,
                opts.rows
            );
        }
        let mut cmd = CommandBuilder::new(program);
        cmd.args(&argv[1..]);
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("COLUMNS");
        cmd.env_remove("LINES");
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.cwd(std::env::current_dir().context("current directory")?);

        let pair = native_pty_system()
            .openpty(pty_size(opts.cols, opts.rows))
            .context("opening a pseudo-terminal")?;
        let writer = pair.master.take_writer()?;
        let raw = pair
            .master
            .as_raw_fd()
            .context("the pseudo-terminal has no file descriptor")?;
        // SAFETY: `raw` is the master's descriptor, open for as long as `pair.master` lives,
        // which outlives this borrow; the duplicate is the reader's own.
        let master_fd = unsafe { BorrowedFd::borrow_raw(raw) };
        let read_fd = rustix::io::fcntl_dupfd_cloexec(master_fd, 0)?;
        let (stop_rx, stop_tx) = rustix::pipe::pipe_with(rustix::pipe::PipeFlags::CLOEXEC)?;
        let child = pair
            .slave
            .spawn_command(cmd)
            .with_context(|| format!("starting {}", argv.join(" ")))?;
        // Only the child may hold the slave side, so that its end reads as EOF here.
        drop(pair.slave);
        let pid = child.process_id();

        let shared = Arc::new(Shared {
            term: Mutex::new(Terminal::new(opts.cols, opts.rows, opts.scrollback)),
            size: AtomicU32::new(pack(opts.cols, opts.rows)),
            dirty: AtomicBool::new(false),
            notify,
            bytes: AtomicU64::new(0),
            life: Mutex::new(Life::default()),
        });
        let (input, queue) = mpsc::channel();
        let replies = input.clone();
        spawn_thread("console-write", move || write_input(writer, &queue))?;
        let for_reader = Arc::clone(&shared);
        spawn_thread("console-read", move || {
            read_output(&read_fd, &stop_rx, &for_reader, &replies);
        })?;
        let for_waiter = Arc::clone(&shared);
        spawn_thread("console-wait", move || wait_child(child, &for_waiter))?;
        Ok(Session {
            shared,
            input: Mutex::new(Some(input)),
            master: Mutex::new(Some(pair.master)),
            stop_reader: Mutex::new(Some(stop_tx)),
            pid,
        })
    }

    /// Whether the screen changed since the last call (the app calls it when it draws).
    pub fn take_dirty(&self) -> bool {
        self.shared.dirty.swap(false, Ordering::AcqRel)
    }

    /// Queue bytes for the program's terminal input; never blocks. An error once the session
    /// was killed or its terminal closed.
    pub fn write(&self, bytes: &[u8]) -> io::Result<()> {
        if bytes.is_empty() {
            return Ok(());
        }
        if self.state() != SessionState::Running {
            return Err(ended());
        }
        match &*lock(&self.input) {
            Some(tx) if tx.send(bytes.to_vec()).is_ok() => Ok(()),
            _ => Err(ended()),
        }
    }

    /// Send a key as xterm would in the program's current modes (application cursor keys).
    pub fn send_key(&self, key: KeyEvent) -> io::Result<()> {
        let app_cursor = self.with_screen(vt100::Screen::application_cursor);
        match encode_key(key, app_cursor) {
            Some(bytes) => self.write(&bytes),
            None => Ok(()),
        }
    }

    /// Paste text as a terminal does: line ends sent as CR, and bracketed
    /// (`ESC[200~ … ESC[201~`) when the program turned that mode on.
    pub fn paste(&self, text: &str) -> io::Result<()> {
        let bracketed = self.with_screen(vt100::Screen::bracketed_paste);
        self.write(&paste_bytes(text, bracketed))
    }

    /// Resize the emulator, then the pty (whose SIGWINCH makes the program redraw on a screen
    /// of the new size). Zero sizes are ignored; the same size costs nothing.
    pub fn resize(&self, cols: u16, rows: u16) {
        if cols == 0 || rows == 0 || self.shared.size.load(Ordering::Acquire) == pack(cols, rows) {
            return;
        }
        self.shared.size.store(pack(cols, rows), Ordering::Release);
        lock(&self.shared.term).set_size(cols, rows);
        if let Some(master) = &*lock(&self.master) {
            let _ = master.resize(pty_size(cols, rows));
        }
        self.shared.mark_dirty();
    }

    /// Running, or how it ended once the program exited and its output was drained.
    pub fn state(&self) -> SessionState {
        lock(&self.shared.life)
            .ended
            .clone()
            .unwrap_or(SessionState::Running)
    }

    /// The program's process id (its process group and session too).
    pub fn pid(&self) -> Option<u32> {
        self.pid
    }

    /// End the session: SIGHUP and SIGTERM to the program's process group, and close this
    /// side of the pty — a hangup that reaches the program even where our signals cannot (a
    /// privileged zlogin). The waiter thread reaps it. Returns at once.
    pub fn kill(&self) {
        {
            let mut life = lock(&self.shared.life);
            // Under the lock the waiter cannot reap meanwhile, so the pid is still ours.
            if life.exit.is_none()
                && !life.killed
                && let Some(pid) = self.pid.and_then(|p| Pid::from_raw(p as i32))
            {
                let _ = kill_process_group(pid, Signal::HUP);
                let _ = kill_process_group(pid, Signal::TERM);
            }
            life.killed = true;
        }
        lock(&self.input).take();
        lock(&self.master).take();
        lock(&self.stop_reader).take();
        self.shared.settle();
    }

    /// Scroll the view `delta` lines back into the scrollback (negative: toward the live
    /// screen), clamped to what is kept.
    pub fn scroll(&self, delta: isize) {
        let mut term = lock(&self.shared.term);
        let before = term.scroll_offset();
        term.scroll(delta);
        if term.scroll_offset() != before {
            drop(term);
            self.shared.mark_dirty();
        }
    }

    /// How many lines the view is scrolled back; 0 is the live screen.
    pub fn scroll_offset(&self) -> usize {
        lock(&self.shared.term).scroll_offset()
    }

    /// Plain text of everything kept (scrollback and screen), for saving a transcript.
    pub fn transcript(&self) -> String {
        lock(&self.shared.term).transcript()
    }

    /// The text of rows `from..=to` of the current view (scrolled back or live).
    pub fn view_lines(&self, from: u16, to: u16) -> Vec<String> {
        lock(&self.shared.term).view_lines(from, to)
    }

    /// Bytes the program has written to the terminal so far.
    pub fn bytes_read(&self) -> u64 {
        self.shared.bytes.load(Ordering::Relaxed)
    }

    /// Run `f` with the emulator's screen (to draw it, with [`super::TermView`]).
    pub fn with_screen<R>(&self, f: impl FnOnce(&vt100::Screen) -> R) -> R {
        f(lock(&self.shared.term).screen())
    }

    /// The cursor shape the program asked for (DECSCUSR).
    pub fn cursor_shape(&self) -> CursorShape {
        lock(&self.shared.term).cursor_shape()
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if self.state() == SessionState::Running {
            self.kill();
        }
    }
}

/// What a terminal sends for pasted text. Line ends become CR, as typed Enter keys. In
/// bracketed mode the end marker is removed from the text, so the paste cannot end the
/// bracket early and have the rest taken as typed commands.
pub fn paste_bytes(text: &str, bracketed: bool) -> Vec<u8> {
    let text = text.replace("\r\n", "\r").replace('\n', "\r");
    if !bracketed {
        return text.into_bytes();
    }
    let mut out = b"\x1b[200~".to_vec();
    out.extend_from_slice(text.replace("\x1b[201~", "").as_bytes());
    out.extend_from_slice(b"\x1b[201~");
    out
}

fn ended() -> io::Error {
    io::Error::new(io::ErrorKind::BrokenPipe, "the console session has ended")
}

fn pack(cols: u16, rows: u16) -> u32 {
    u32::from(cols) << 16 | u32::from(rows)
}

fn pty_size(cols: u16, rows: u16) -> PtySize {
    PtySize {
        rows,
        cols,
        pixel_width: 0,
        pixel_height: 0,
    }
}

fn spawn_thread(name: &str, f: impl FnOnce() + Send + 'static) -> io::Result<()> {
    std::thread::Builder::new()
        .name(name.into())
        .spawn(f)
        .map(drop)
}

fn write_input(mut writer: Box<dyn Write + Send>, queue: &Receiver<Vec<u8>>) {
    while let Ok(bytes) = queue.recv() {
        if writer
            .write_all(&bytes)
            .and_then(|()| writer.flush())
            .is_err()
        {
            break;
        }
    }
}

fn read_output(fd: &OwnedFd, stop: &OwnedFd, shared: &Shared, replies: &Sender<Vec<u8>>) {
    let mut buf = vec![0u8; CHUNK];
    let mut answer = Vec::new();
    loop {
        let mut fds = [
            PollFd::new(fd, PollFlags::IN),
            PollFd::new(stop, PollFlags::IN),
        ];
        match poll(&mut fds, None) {
            Ok(_) => {}
            Err(rustix::io::Errno::INTR) => continue,
            Err(_) => break,
        }
        if !fds[1].revents().is_empty() {
            break;
        }
        let n = match rustix::io::read(fd.as_fd(), &mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(rustix::io::Errno::INTR | rustix::io::Errno::AGAIN) => continue,
            // Linux reports the slave side's last close as EIO rather than EOF.
            Err(_) => break,
        };
        {
            let mut term = lock(&shared.term);
            term.process(&buf[..n]);
            term.take_replies(&mut answer);
        }
        shared.bytes.fetch_add(n as u64, Ordering::Relaxed);
        if !answer.is_empty() {
            let _ = replies.send(std::mem::take(&mut answer));
        }
        shared.mark_dirty();
    }
    lock(&shared.life).output_ended = true;
    shared.settle();
}

fn wait_child(mut child: Box<dyn Child + Send + Sync>, shared: &Shared) {
    let status = |child: &mut Box<dyn Child + Send + Sync>| {
        child
            .wait()
            .unwrap_or_else(|_| ExitStatus::with_signal("unknown"))
    };
    match child.process_id().and_then(|p| Pid::from_raw(p as i32)) {
        Some(pid) => {
            // Wait without reaping, then reap under the lock kill() signals under, so that
            // kill() never signals a pid that has been freed for reuse.
            while let Err(rustix::io::Errno::INTR) = waitid(
                WaitId::Pid(pid),
                WaitIdOptions::EXITED | WaitIdOptions::NOWAIT,
            ) {}
            let mut life = lock(&shared.life);
            life.exit = Some(status(&mut child));
        }
        None => {
            let exit = status(&mut child);
            lock(&shared.life).exit = Some(exit);
        }
    }
    shared.settle();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paste_sends_cr_and_brackets_when_asked() {
        assert_eq!(paste_bytes("a\nb\r\nc", false), b"a\rb\rc");
        assert_eq!(paste_bytes("x\n", true), b"\x1b[200~x\r\x1b[201~");
        assert_eq!(
            paste_bytes("a\x1b[201~rm -rf /\n", true),
            b"\x1b[200~arm -rf /\r\x1b[201~"
        );
    }

    #[test]
    fn session_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Session>();
    }
}

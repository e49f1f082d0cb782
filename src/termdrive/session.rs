//! A program running on a pseudo-terminal, its output fed to a terminal emulator.
//!
//! Two threads serve each session: one reads the pty and feeds the emulator, waking waiters
//! through a condition variable; one waits for the child's exit. Waits therefore return as
//! soon as the screen changes, never after a fixed sleep.

use std::io::{self, Read, Write};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};
use rustix::process::{
    Pid, Signal, WaitId, WaitIdOptions, kill_process, kill_process_group, waitid,
};

use super::keys::{encode_key, encode_keys};
use super::replies::Replies;

/// A running program on a pty of a fixed size (until [`Session::resize`]).
///
/// Dropping it kills the program's process group if the program is still running.
pub struct Session {
    shared: Arc<Shared>,
    // The master's mutex only makes the session Sync; the writer's is shared with the reader,
    // which answers the program's terminal queries.
    master: Mutex<Box<dyn MasterPty + Send>>,
    writer: Arc<Mutex<Box<dyn Write + Send>>>,
    pid: Option<u32>,
    program: String,
}

struct Shared {
    state: Mutex<State>,
    changed: Condvar,
}

struct State {
    parser: vt100::Parser<Replies>,
    bytes: u64,
    /// The pty reported EOF or EIO: every process holding the terminal has gone.
    output_ended: bool,
    exit: Option<Result<ExitStatus, String>>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn update(&self, f: impl FnOnce(&mut State)) {
        f(&mut self.lock());
        self.changed.notify_all();
    }
}

impl Session {
    /// Start `cmd` on a new pty of `cols`×`rows`.
    ///
    /// Unless `cmd` sets them: `TERM` is `xterm-256color` (what the emulator understands),
    /// `COLUMNS` and `LINES` are removed (they would override the pty's size), and the working
    /// directory is this process's (portable-pty would otherwise use `$HOME`).
    pub fn spawn(mut cmd: CommandBuilder, cols: u16, rows: u16) -> anyhow::Result<Session> {
        if cols == 0 || rows == 0 {
            bail!("terminal size {cols}x{rows}: both must be at least 1");
        }
        prepare(&mut cmd)?;
        let program = cmd
            .get_argv()
            .iter()
            .map(|a| a.to_string_lossy())
            .collect::<Vec<_>>()
            .join(" ");
        let pair = native_pty_system()
            .openpty(pty_size(cols, rows))
            .context("opening a pseudo-terminal")?;
        let reader = pair.master.try_clone_reader()?;
        let writer = pair.master.take_writer()?;
        let child = pair
            .slave
            .spawn_command(cmd)
            .with_context(|| format!("starting {program}"))?;
        // Only the child may hold the slave side, so that its end reads as EOF here.
        drop(pair.slave);
        let pid = child.process_id();

        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                parser: vt100::Parser::new_with_callbacks(rows, cols, 0, Replies::default()),
                bytes: 0,
                output_ended: false,
                exit: None,
            }),
            changed: Condvar::new(),
        });
        let for_reader = Arc::clone(&shared);
        let writer = Arc::new(Mutex::new(writer));
        let answer = Arc::clone(&writer);
        std::thread::Builder::new()
            .name("termdrive-read".into())
            .spawn(move || read_output(reader, &for_reader, &answer))?;
        let for_waiter = Arc::clone(&shared);
        std::thread::Builder::new()
            .name("termdrive-wait".into())
            .spawn(move || wait_child(child, &for_waiter))?;
        Ok(Session {
            shared,
            master: Mutex::new(pair.master),
            writer,
            pid,
            program,
        })
    }

    /// Write raw bytes to the program's terminal input.
    pub fn send(&mut self, bytes: &[u8]) -> io::Result<()> {
        let mut writer = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        writer.write_all(bytes)?;
        writer.flush()
    }

    /// Press one key, named as in [`encode_key`](super::encode_key): `"q"`, `"<Enter>"`,
    /// `"<C-c>"`, `"<S-Up>"` … Cursor keys follow the application-cursor mode the program
    /// has set, as xterm's do. An unknown name is an `InvalidInput` error.
    pub fn send_key(&mut self, key: &str) -> io::Result<()> {
        let bytes = encode_key(key, self.app_cursor()).map_err(invalid_input)?;
        self.send(&bytes)
    }

    /// Press a sequence of keys such as `"/web<Enter>"` (see [`encode_keys`](super::encode_keys)).
    pub fn send_keys(&mut self, keys: &str) -> io::Result<()> {
        let bytes = encode_keys(keys, self.app_cursor()).map_err(invalid_input)?;
        self.send(&bytes)
    }

    /// Type `text` literally (no key names).
    pub fn type_text(&mut self, text: &str) -> io::Result<()> {
        self.send(text.as_bytes())
    }

    /// Resize the terminal: the emulator first, then the pty (which signals SIGWINCH), so
    /// the program's redraw lands on a screen of the new size.
    pub fn resize(&mut self, cols: u16, rows: u16) -> anyhow::Result<()> {
        if cols == 0 || rows == 0 {
            bail!("terminal size {cols}x{rows}: both must be at least 1");
        }
        self.shared
            .update(|st| st.parser.screen_mut().set_size(rows, cols));
        let master = self
            .master
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner);
        master
            .resize(pty_size(cols, rows))
            .context("resizing the pseudo-terminal")
    }

    /// The screen as text: rows joined by `\n`, trailing spaces of each row trimmed.
    pub fn screen_text(&self) -> String {
        screen_text(self.shared.lock().parser.screen())
    }

    /// A copy of the emulator's screen (contents, colours, attributes, cursor, modes).
    pub fn screen(&self) -> vt100::Screen {
        self.shared.lock().parser.screen().clone()
    }

    /// Total bytes the program has written to the terminal so far.
    pub fn bytes_received(&self) -> u64 {
        self.shared.lock().bytes
    }

    /// The program's process id (also its process group and session id).
    pub fn pid(&self) -> Option<u32> {
        self.pid
    }

    /// Wait until the screen text contains `needle` (which may span rows joined by `\n`).
    pub fn wait_for(&self, needle: &str, timeout: Duration) -> anyhow::Result<()> {
        self.wait_screen(timeout, &format!("the screen to show {needle:?}"), |s| {
            screen_text(s).contains(needle)
        })
    }

    /// Wait until the screen text no longer contains `needle`.
    pub fn wait_gone(&self, needle: &str, timeout: Duration) -> anyhow::Result<()> {
        self.wait_screen(timeout, &format!("{needle:?} to leave the screen"), |s| {
            !screen_text(s).contains(needle)
        })
    }

    /// Wait until `pred` holds for the screen; it is checked now and after each output chunk.
    pub fn wait_until(
        &self,
        timeout: Duration,
        pred: impl Fn(&vt100::Screen) -> bool,
    ) -> anyhow::Result<()> {
        self.wait_screen(timeout, "the screen to satisfy a condition", pred)
    }

    /// Wait for the program to exit and its output to end (so that the screen is final),
    /// returning its status. If the status is known at the deadline but something it left
    /// behind still holds the terminal open, the status is returned anyway.
    pub fn wait_exit(&self, timeout: Duration) -> anyhow::Result<ExitStatus> {
        let deadline = Instant::now() + timeout;
        let mut st = self.shared.lock();
        loop {
            let now = Instant::now();
            match &st.exit {
                Some(exit) if st.output_ended || now >= deadline => {
                    return exit
                        .clone()
                        .map_err(|e| anyhow::anyhow!("waiting for {}: {e}", self.program));
                }
                None if now >= deadline => {
                    bail!(
                        "timed out after {timeout:?} waiting for {} to exit\n{}",
                        self.program,
                        describe(&st)
                    );
                }
                _ => {}
            }
            st = self.wait_changed(st, deadline - now);
        }
    }

    /// Kill the program's process group (SIGKILL) if the program has not exited yet.
    pub fn kill(&self) -> io::Result<()> {
        // Holding the lock keeps the waiter thread from reaping the child meanwhile, so the
        // pid cannot have been reused by an unrelated process.
        let st = self.shared.lock();
        let Some(pid) = self.pid.and_then(|p| Pid::from_raw(p as i32)) else {
            return Ok(());
        };
        if st.exit.is_some() {
            return Ok(());
        }
        // The child leads its own session, so its pid names its process group; the group
        // may already be gone if only the (zombie) leader remains.
        let _ = kill_process_group(pid, Signal::KILL);
        match kill_process(pid, Signal::KILL) {
            Ok(()) | Err(rustix::io::Errno::SRCH) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    fn app_cursor(&self) -> bool {
        self.shared.lock().parser.screen().application_cursor()
    }

    fn wait_changed<'a>(
        &'a self,
        st: MutexGuard<'a, State>,
        timeout: Duration,
    ) -> MutexGuard<'a, State> {
        self.shared
            .changed
            .wait_timeout(st, timeout)
            .unwrap_or_else(PoisonError::into_inner)
            .0
    }

    fn wait_screen(
        &self,
        timeout: Duration,
        what: &str,
        pred: impl Fn(&vt100::Screen) -> bool,
    ) -> anyhow::Result<()> {
        let deadline = Instant::now() + timeout;
        let mut st = self.shared.lock();
        loop {
            if pred(st.parser.screen()) {
                return Ok(());
            }
            if st.output_ended {
                // Nothing more can arrive, so waiting on would only burn the timeout.
                bail!(
                    "the output of {} ended before {what}\n{}",
                    self.program,
                    describe(&st)
                );
            }
            let now = Instant::now();
            if now >= deadline {
                bail!(
                    "timed out after {timeout:?} waiting for {what}\n{}",
                    describe(&st)
                );
            }
            st = self.wait_changed(st, deadline - now);
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.kill();
    }
}

/// `screen`'s text: rows joined by `\n`, trailing spaces of each row trimmed.
pub fn screen_text(screen: &vt100::Screen) -> String {
    let (_, cols) = screen.size();
    let rows: Vec<String> = screen
        .rows(0, cols)
        .map(|r| r.trim_end().to_string())
        .collect();
    rows.join("\n")
}

/// The screen for an error message, framed, without its trailing empty rows.
fn describe(st: &State) -> String {
    let screen = st.parser.screen();
    let (rows, cols) = screen.size();
    let (crow, ccol) = screen.cursor_position();
    let text = screen_text(screen);
    let exit = match &st.exit {
        Some(Ok(status)) => format!(", program ended: {status}"),
        Some(Err(e)) => format!(", program ended: {e}"),
        None => String::new(),
    };
    format!(
        "--- screen {cols}x{rows}, cursor at row {crow} col {ccol}{exit} ---\n{}\n--- end of screen ---",
        text.trim_end_matches('\n')
    )
}

fn prepare(cmd: &mut CommandBuilder) -> anyhow::Result<()> {
    let explicit: Vec<String> = cmd
        .iter_extra_env_as_str()
        .map(|(k, _)| k.to_string())
        .collect();
    let set = |name: &str| explicit.iter().any(|k| k == name);
    if !set("TERM") {
        cmd.env("TERM", "xterm-256color");
    }
    for var in ["COLUMNS", "LINES"] {
        if !set(var) {
            cmd.env_remove(var);
        }
    }
    if cmd.get_cwd().is_none() {
        cmd.cwd(std::env::current_dir().context("current directory")?);
    }
    Ok(())
}

fn pty_size(cols: u16, rows: u16) -> PtySize {
    PtySize {
        rows,
        cols,
        pixel_width: 0,
        pixel_height: 0,
    }
}

fn invalid_input(e: super::KeyError) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, e)
}

fn read_output(
    mut reader: Box<dyn Read + Send>,
    shared: &Shared,
    answer: &Mutex<Box<dyn Write + Send>>,
) {
    let mut buf = [0u8; 16 * 1024];
    loop {
        match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                let mut replies = Vec::new();
                shared.update(|st| {
                    st.parser.process(&buf[..n]);
                    st.bytes += n as u64;
                    replies = std::mem::take(&mut st.parser.callbacks_mut().pending);
                });
                if !replies.is_empty() {
                    let mut w = answer.lock().unwrap_or_else(PoisonError::into_inner);
                    let _ = w.write_all(&replies).and_then(|()| w.flush());
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            // Linux reports the slave side's last close as EIO rather than EOF.
            Err(_) => break,
        }
    }
    shared.update(|st| st.output_ended = true);
}

fn wait_child(mut child: Box<dyn Child + Send + Sync>, shared: &Shared) {
    let exited = child
        .process_id()
        .and_then(|p| Pid::from_raw(p as i32))
        .is_some_and(wait_without_reaping);
    let status = |child: &mut Box<dyn Child + Send + Sync>| {
        child.wait().map_err(|e| format!("wait failed: {e}"))
    };
    if exited {
        // Reap under the lock so that kill() never signals a pid that has been freed.
        shared.update(|st| st.exit = Some(status(&mut child)));
    } else {
        let exit = status(&mut child);
        shared.update(|st| st.exit = Some(exit));
    }
}

/// Block until `pid` has exited, leaving it a zombie (`WNOWAIT`); false if that fails.
fn wait_without_reaping(pid: Pid) -> bool {
    loop {
        match waitid(
            WaitId::Pid(pid),
            WaitIdOptions::EXITED | WaitIdOptions::NOWAIT,
        ) {
            Ok(_) => return true,
            Err(rustix::io::Errno::INTR) => {}
            Err(_) => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn session_can_move_between_threads() {
        assert_send_sync::<Session>();
    }

    #[test]
    fn screen_text_trims_row_ends() {
        let mut p = vt100::Parser::new(3, 10, 0);
        p.process(b"ab  \r\n\x1b[31m  c \x1b[0m");
        assert_eq!(screen_text(p.screen()), "ab\n  c\n");
    }
}

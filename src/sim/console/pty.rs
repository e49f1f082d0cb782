//! A shell on a pseudo-terminal inside the zone's root, its output read by a thread and
//! delivered as [`Event`]s to the session loop.

use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::sync::mpsc::Sender;

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

use super::Event;

/// What to run: program, argv after it, working directory and the complete environment.
#[derive(Debug, Clone)]
pub struct Spec {
    pub program: String,
    pub args: Vec<String>,
    pub cwd: PathBuf,
    pub env: Vec<(String, String)>,
}

pub struct Shell {
    id: u64,
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
}

impl Shell {
    /// Start `spec` on a new pty of `size`; its output arrives as `Event::Output(id, …)`
    /// and its end as `Event::OutputEnd(id)`.
    pub fn spawn(spec: &Spec, size: PtySize, id: u64, events: Sender<Event>) -> io::Result<Shell> {
        let pair = native_pty_system()
            .openpty(size)
            .map_err(io::Error::other)?;
        let mut cmd = CommandBuilder::new(&spec.program);
        cmd.args(&spec.args);
        cmd.cwd(&spec.cwd);
        cmd.env_clear();
        for (k, v) in &spec.env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).map_err(io::Error::other)?;
        // Only the child may hold the slave, so that its exit reads as EOF here.
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().map_err(io::Error::other)?;
        let writer = pair.master.take_writer().map_err(io::Error::other)?;
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => {
                        if events.send(Event::Output(id, buf[..n].to_vec())).is_err() {
                            return;
                        }
                    }
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(_) => break,
                }
            }
            let _ = events.send(Event::OutputEnd(id));
        });
        Ok(Shell {
            id,
            master: pair.master,
            writer,
            child,
        })
    }

    pub fn id(&self) -> u64 {
        self.id
    }

    /// The pty's name as zlogin prints it (`pts/3`).
    pub fn tty_short_name(&self) -> String {
        let name = self
            .master
            .tty_name()
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_else(|| "pts/0".into());
        name.strip_prefix("/dev/").unwrap_or(&name).to_string()
    }

    pub fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.writer.write_all(bytes)?;
        self.writer.flush()
    }

    pub fn resize(&self, size: PtySize) {
        let _ = self.master.resize(size);
    }

    /// The exit status once the shell has ended (zlogin's `si_status`), else None.
    pub fn try_status(&mut self) -> Option<i32> {
        let status = self.child.try_wait().ok()??;
        Some(if status.signal().is_some() {
            // Killed by a signal: zlogin reports ECONNABORTED (illumos errno 130).
            130
        } else {
            status.exit_code() as i32
        })
    }

    /// Wait for the exit status (after the output has ended).
    pub fn wait_status(&mut self) -> i32 {
        for _ in 0..200 {
            if let Some(code) = self.try_status() {
                return code;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        130
    }

    /// End the session: signal the shell's process group (it leads its own session) and reap
    /// it in the background.
    pub fn end(mut self, signal: libc::c_int) {
        if let Some(pid) = self.child.process_id() {
            // SAFETY: kill(2) with a negative pid signals that process group; no memory use.
            unsafe {
                libc::kill(-(pid as libc::pid_t), signal);
            }
        }
        drop(self.writer);
        drop(self.master);
        std::thread::spawn(move || {
            let _ = self.child.wait();
        });
    }
}

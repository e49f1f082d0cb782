//! The worker process (`zcon worker`, started on demand by a client): it owns the journal,
//! runs the engine, and serves requests on `<state dir>/worker.sock` (JSON lines). It lives in
//! its own session, so a closed terminal or ssh connection does not stop a task, and exits
//! once it has been idle for a while. One worker per state dir (a lock file decides).

use std::fs::{self, File, OpenOptions};
use std::io;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{UnixListener, UnixStream};

use super::engine::{Engine, Submission};
use super::journal::{self, Journal};
use super::model::{Entry, Event, StepStatus, TaskId, TaskStatus};
use crate::host::{HostConfig, Runner};

/// The environment variable carrying the worker's [`Launch`] as JSON.
pub const LAUNCH_ENV: &str = "ZCON_WORKER";

pub fn socket_path(state_dir: &Path) -> PathBuf {
    state_dir.join("worker.sock")
}

pub fn lock_path(state_dir: &Path) -> PathBuf {
    state_dir.join("worker.lock")
}

pub fn log_path(state_dir: &Path) -> PathBuf {
    state_dir.join("worker.log")
}

/// How the worker runs tasks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkerSettings {
    /// Tasks that may run at once.
    pub concurrency: usize,
    /// Finished tasks kept in the journal.
    pub history: usize,
    /// Seconds without tasks before the worker exits.
    pub idle_s: u64,
}

impl Default for WorkerSettings {
    fn default() -> Self {
        WorkerSettings {
            concurrency: 4,
            history: 500,
            idle_s: 30,
        }
    }
}

/// What a client hands the worker it starts.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Launch {
    pub host: HostConfig,
    pub settings: WorkerSettings,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Request {
    Submit {
        tasks: Vec<Submission>,
        origin: String,
    },
    Cancel {
        id: TaskId,
    },
    Ping,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Response {
    Submitted { ids: Vec<TaskId> },
    Done { message: String },
    Error { message: String },
}

/// Mark what a dead worker left unfinished as interrupted: its running steps did an unknown
/// part of their work, and nothing was undone.
fn interrupt_leftovers(journal: &mut Journal, state_dir: &Path) -> io::Result<usize> {
    let book = journal::load(state_dir)?;
    let mut count = 0;
    let now = journal::now_ms();
    for task in book.tasks.values().filter(|t| !t.status.is_final()) {
        count += 1;
        for (i, step) in task.steps.iter().enumerate() {
            let status = match step.status {
                StepStatus::Running => StepStatus::Interrupted,
                StepStatus::Pending => StepStatus::Skipped,
                _ => continue,
            };
            let event = Event::StepEnded {
                step: i,
                status,
                exit: None,
                error: None,
            };
            journal.append(
                &Entry {
                    at: now,
                    task: task.id,
                    event,
                },
                false,
            )?;
        }
        let undone = task.not_undone();
        let mut error = match task.status {
            TaskStatus::Queued => "the worker stopped before this task started".to_string(),
            _ => "the worker stopped (crash, kill or power loss) while this task ran".to_string(),
        };
        if !undone.is_empty() {
            let steps: Vec<String> = undone.iter().map(|i| format!("{}", i + 1)).collect();
            error.push_str(&format!(
                "; not undone: what step {} created",
                steps.join(", ")
            ));
        }
        let event = Event::Ended {
            status: TaskStatus::Interrupted,
            error: Some(error),
        };
        journal.append(
            &Entry {
                at: now,
                task: task.id,
                event,
            },
            true,
        )?;
    }
    Ok(count)
}

/// Run the worker until it has been idle for `settings.idle_s`. Returns at once when another
/// worker already serves this state dir.
pub async fn serve(launch: Launch) -> io::Result<()> {
    let state_dir = launch.host.state_dir.clone();
    fs::create_dir_all(&state_dir)?;
    let lock = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .mode(0o600)
        .open(lock_path(&state_dir))?;
    if lock.try_lock().is_err() {
        return Ok(());
    }
    // Who holds the lock, for an operator wondering what runs the tasks.
    {
        use std::io::Write;
        let mut lock = &lock;
        lock.set_len(0)?;
        writeln!(lock, "{}", std::process::id())?;
    }
    let mut journal = Journal::open(&state_dir)?;
    interrupt_leftovers(&mut journal, &state_dir)?;
    drop(journal);
    // Keep at least the newest finished task: ids continue from the highest in the journal,
    // and an empty journal would hand out #1 again.
    journal::trim(&state_dir, launch.settings.history.max(1))?;
    let journal = Journal::open(&state_dir)?;
    let book = journal::load(&state_dir)?;
    let runner = Runner::new(launch.host.clone())?.auditing_changes_only();
    let engine = Engine::new(runner, journal, book, launch.settings.concurrency);

    let socket = socket_path(&state_dir);
    let _ = fs::remove_file(&socket);
    let listener = UnixListener::bind(&socket)?;
    fs::set_permissions(&socket, fs::Permissions::from_mode(0o600))?;
    let idle = Duration::from_secs(launch.settings.idle_s);
    loop {
        let changed = engine.changed.notified();
        tokio::select! {
            accepted = listener.accept() => {
                if let Ok((stream, _)) = accepted {
                    let engine = Arc::clone(&engine);
                    tokio::spawn(async move {
                        let _ = handle(stream, engine).await;
                    });
                }
            }
            () = changed => {}
            () = tokio::time::sleep(idle) => {
                if engine.is_idle() {
                    break;
                }
            }
        }
    }
    // Whoever connects from now on starts a new worker.
    let _ = fs::remove_file(&socket);
    drop(lock);
    Ok(())
}

async fn handle(stream: UnixStream, engine: Arc<Engine>) -> io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read).lines();
    while let Some(line) = lines.next_line().await? {
        let response = match serde_json::from_str::<Request>(&line) {
            Ok(Request::Submit { tasks, origin }) => match engine.submit(tasks, &origin) {
                Ok(ids) => Response::Submitted { ids },
                Err(message) => Response::Error { message },
            },
            Ok(Request::Cancel { id }) => match engine.cancel(id) {
                Ok(message) => Response::Done { message },
                Err(message) => Response::Error { message },
            },
            Ok(Request::Ping) => Response::Done {
                message: "pong".into(),
            },
            Err(e) => Response::Error {
                message: format!("bad request: {e}"),
            },
        };
        let mut bytes = serde_json::to_vec(&response).map_err(io::Error::other)?;
        bytes.push(b'\n');
        write.write_all(&bytes).await?;
    }
    Ok(())
}

/// `zcon worker`: the launch comes from the environment; output goes to the worker log.
pub fn main() -> io::Result<()> {
    let launch: Launch = std::env::var(LAUNCH_ENV)
        .ok()
        .and_then(|json| serde_json::from_str(&json).ok())
        .ok_or_else(|| io::Error::other(format!("{LAUNCH_ENV} is not set to a launch")))?;
    // A hangup of whatever terminal started us is not ours to act on.
    unsafe {
        libc::signal(libc::SIGHUP, libc::SIG_IGN);
        libc::signal(libc::SIGPIPE, libc::SIG_IGN);
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(serve(launch))
}

/// Open (create) the worker log for the worker's stderr.
pub fn open_log(state_dir: &Path) -> io::Result<File> {
    fs::create_dir_all(state_dir)?;
    OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(log_path(state_dir))
}

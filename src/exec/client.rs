//! How the console and the CLI reach the worker: submit and cancel over its socket, starting
//! it when nobody answers; read and follow tasks through the journal.

use std::io::{self, BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use super::engine::Submission;
use super::journal::{self, Follower};
use super::model::{Change, TaskBook, TaskId, TaskView};
use super::worker::{self, LAUNCH_ENV, Launch, Request, Response};

/// How long a freshly started worker gets to open its socket.
const START_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("the task worker could not be reached: {0}")]
    Unreachable(String),
    #[error("{0}")]
    Refused(String),
}

#[derive(Debug, Clone)]
pub struct Client {
    launch: Launch,
    /// The zcon binary that serves as the worker.
    exe: PathBuf,
}

impl Client {
    pub fn new(launch: Launch, exe: PathBuf) -> Client {
        Client { launch, exe }
    }

    pub fn state_dir(&self) -> &std::path::Path {
        &self.launch.host.state_dir
    }

    fn exchange(stream: &mut UnixStream, request: &Request) -> io::Result<Response> {
        let mut bytes = serde_json::to_vec(request).map_err(io::Error::other)?;
        bytes.push(b'\n');
        stream.write_all(&bytes)?;
        let mut line = String::new();
        BufReader::new(&*stream).read_line(&mut line)?;
        serde_json::from_str(&line).map_err(io::Error::other)
    }

    fn start_worker(&self) -> io::Result<()> {
        let launch = serde_json::to_string(&self.launch).map_err(io::Error::other)?;
        let log = worker::open_log(self.state_dir())?;
        let mut cmd = std::process::Command::new(&self.exe);
        cmd.arg("worker")
            .env(LAUNCH_ENV, launch)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log);
        // Its own session: no controlling terminal, so no hangup when ours goes away.
        unsafe {
            cmd.pre_exec(|| {
                libc::setsid();
                Ok(())
            });
        }
        let mut child = cmd.spawn()?;
        // Reap it when it exits, so a long-lived console does not collect zombies.
        std::thread::spawn(move || child.wait());
        Ok(())
    }

    /// Send one request, starting the worker when none answers. A worker that is just
    /// exiting (idle) drops the connection unanswered; a new one is started then.
    pub fn request(&self, request: &Request) -> Result<Response, ClientError> {
        let socket = worker::socket_path(self.state_dir());
        if let Ok(mut stream) = UnixStream::connect(&socket)
            && let Ok(response) = Self::exchange(&mut stream, request)
        {
            return Ok(response);
        }
        let started = Instant::now();
        let mut last_start: Option<Instant> = None;
        loop {
            // One start per second: a start that loses to an exiting worker's lock ends at once.
            if last_start.is_none_or(|t| t.elapsed() > Duration::from_secs(1)) {
                self.start_worker().map_err(|e| {
                    ClientError::Unreachable(format!(
                        "cannot start `{} worker`: {e}",
                        self.exe.display()
                    ))
                })?;
                last_start = Some(Instant::now());
            }
            let attempt = UnixStream::connect(&socket)
                .and_then(|mut stream| Self::exchange(&mut stream, request));
            match attempt {
                Ok(response) => return Ok(response),
                Err(e) if started.elapsed() > START_TIMEOUT => {
                    return Err(ClientError::Unreachable(format!(
                        "the worker did not answer on {} ({e}); see {}",
                        socket.display(),
                        worker::log_path(self.state_dir()).display()
                    )));
                }
                Err(_) => std::thread::sleep(Duration::from_millis(20)),
            }
        }
    }

    pub fn submit(&self, tasks: Vec<Submission>, origin: &str) -> Result<Vec<TaskId>, ClientError> {
        let request = Request::Submit {
            tasks,
            origin: origin.to_string(),
        };
        match self.request(&request)? {
            Response::Submitted { ids } => Ok(ids),
            Response::Error { message } => Err(ClientError::Refused(message)),
            Response::Done { message } => Err(ClientError::Unreachable(format!(
                "unexpected answer: {message}"
            ))),
        }
    }

    /// Cancel a task; the message says what happens.
    pub fn cancel(&self, id: TaskId) -> Result<String, ClientError> {
        let book = self.tasks()?;
        match book.get(id) {
            None => return Err(ClientError::Refused(format!("no task #{id}"))),
            Some(t) if t.status.is_final() => {
                return Err(ClientError::Refused(format!(
                    "task #{id} has already ended ({})",
                    t.status
                )));
            }
            Some(_) => {}
        }
        match self.request(&Request::Cancel { id })? {
            Response::Done { message } => Ok(message),
            Response::Error { message } => Err(ClientError::Refused(message)),
            Response::Submitted { .. } => Err(ClientError::Unreachable("unexpected answer".into())),
        }
    }

    /// Whether a worker answers on the socket now.
    pub fn worker_alive(&self) -> bool {
        UnixStream::connect(worker::socket_path(self.state_dir())).is_ok()
    }

    /// Every task in the journal. A task the journal shows unfinished while no worker runs
    /// was interrupted: a worker is started to record it so before the journal is read.
    pub fn tasks(&self) -> Result<TaskBook, ClientError> {
        let unreadable = |e: io::Error| {
            ClientError::Unreachable(format!(
                "cannot read the task journal {}: {e}",
                journal::path(self.state_dir()).display()
            ))
        };
        let book = journal::load(self.state_dir()).map_err(unreadable)?;
        let unfinished = book.tasks.values().any(|t| !t.status.is_final());
        if !unfinished || self.worker_alive() {
            return Ok(book);
        }
        self.request(&Request::Ping)?;
        journal::load(self.state_dir()).map_err(unreadable)
    }

    /// Follow task `id` until it ends, calling `on_change` with it after every change.
    pub fn wait(
        &self,
        id: TaskId,
        mut on_change: impl FnMut(&TaskView),
    ) -> Result<TaskView, ClientError> {
        let mut follower = Follower::new(self.state_dir());
        let mut book = TaskBook::default();
        let mut last_ping = Instant::now();
        loop {
            let polled = follower
                .poll()
                .map_err(|e| ClientError::Unreachable(e.to_string()))?;
            if polled.reset {
                book = TaskBook::default();
            }
            let mut touched = false;
            let mut finished = false;
            for entry in &polled.entries {
                match book.apply(entry) {
                    Change::Updated(t) if t == id => touched = true,
                    Change::Finished(t, _) if t == id => {
                        touched = true;
                        finished = true;
                    }
                    _ => {}
                }
            }
            if touched && let Some(task) = book.get(id) {
                on_change(task);
            }
            if finished {
                return Ok(book
                    .get(id)
                    .cloned()
                    .expect("finished tasks are in the book"));
            }
            // A worker that died leaves the task unfinished: asking (and so starting a new
            // worker) records it as interrupted.
            if last_ping.elapsed() > Duration::from_secs(2) {
                last_ping = Instant::now();
                self.request(&Request::Ping)?;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

//! Running one command of a task: output handed over line by line as it comes, and the
//! process (its whole process group) stopped on cancel or timeout.

use std::process::Stdio;
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWriteExt, BufReader};
use tokio::sync::{mpsc, watch};

use super::runner::{HostError, Runner};
use crate::sys::Command;

/// How long a stopped command gets to exit after SIGTERM before SIGKILL.
const GRACE: Duration = Duration::from_secs(5);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// How a streamed command ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ending {
    /// It exited (None: killed by a signal we did not send).
    Exited(Option<i32>),
    Cancelled,
    TimedOut,
}

/// Everything needed to run one task command, or a pipeline of them.
pub struct StreamRequest<'a> {
    /// One command, or several with each one's stdout fed to the next one's stdin (`zfs send
    /// … | zfs receive …`). The last one's stdout and everyone's stderr are handed over.
    pub commands: &'a [Command],
    /// Fed to the first command's stdin.
    pub stdin: Option<&'a [u8]>,
    pub timeout: Option<Duration>,
    /// Replaced in the audit log's argv.
    pub secrets: &'a [String],
}

async fn pump<R: AsyncRead + Unpin>(reader: R, stream: Stream, tx: mpsc::Sender<(Stream, String)>) {
    let mut reader = BufReader::new(reader);
    let mut line = Vec::new();
    loop {
        line.clear();
        match reader.read_until(b'\n', &mut line).await {
            Ok(0) | Err(_) => break,
            Ok(_) => {
                while line.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
                    line.pop();
                }
                let text = String::from_utf8_lossy(&line).into_owned();
                if tx.send((stream, text)).await.is_err() {
                    break;
                }
            }
        }
    }
}

fn signal_group(group: Option<u32>, signal: i32) {
    if let Some(pid) = group {
        // The command leads its own process group: its children (a brand's install script)
        // stop with it.
        unsafe {
            libc::kill(-(pid as i32), signal);
        }
    }
}

/// A started command of a pipeline, for the audit log once it ends.
struct Started<'a> {
    command: &'a Command,
    audit_argv: Vec<String>,
    child: tokio::process::Child,
}

impl Runner {
    /// Run a task's command (or pipeline), calling `on_line` for each line of output as it
    /// arrives. A `true` on `cancel` or the timeout stops it: SIGTERM to its process group,
    /// SIGKILL after a grace period. A pipeline fails as with `set -o pipefail`: the
    /// rightmost command that failed gives the status.
    pub async fn run_streaming(
        &self,
        req: StreamRequest<'_>,
        cancel: &mut watch::Receiver<bool>,
        mut on_line: impl FnMut(Stream, String),
    ) -> Result<Ending, HostError> {
        let started_at = Instant::now();
        let (tx, mut rx) = mpsc::channel(256);
        let mut readers = Vec::new();
        let mut started: Vec<Started> = Vec::new();
        // The first command leads a process group that the others join: a stop reaches all.
        let mut group: Option<u32> = None;
        let mut feed: Option<Stdio> = None;
        for (i, command) in req.commands.iter().enumerate() {
            let argv = self.argv_for(command)?;
            let audit_argv: Vec<String> = argv
                .iter()
                .map(|a| crate::sys::command::redact(a, req.secrets))
                .collect();
            let stdin = match feed.take() {
                Some(previous) => previous,
                None if req.stdin.is_some() => Stdio::piped(),
                None => Stdio::null(),
            };
            let spawned = tokio::process::Command::new(&argv[0])
                .args(&argv[1..])
                .stdin(stdin)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .process_group(group.map_or(0, |g| g as i32))
                .kill_on_drop(true)
                .spawn();
            let mut child = match spawned {
                Ok(child) => child,
                Err(source) => {
                    // The commands already started are killed as `started` drops.
                    self.record(command, &audit_argv, None, started_at.elapsed());
                    return Err(HostError::Spawn { argv, source });
                }
            };
            group = group.or(child.id());
            if let (Some(input), Some(mut pipe)) =
                (req.stdin.filter(|_| i == 0), child.stdin.take())
            {
                let input = input.to_vec();
                tokio::spawn(async move {
                    let _ = pipe.write_all(&input).await;
                });
            }
            let stdout = child.stdout.take().expect("piped");
            if i + 1 < req.commands.len() {
                feed = Some(stdout.try_into().map_err(|source| HostError::Spawn {
                    argv: argv.clone(),
                    source,
                })?);
            } else {
                readers.push(tokio::spawn(pump(stdout, Stream::Stdout, tx.clone())));
            }
            readers.push(tokio::spawn(pump(
                child.stderr.take().expect("piped"),
                Stream::Stderr,
                tx.clone(),
            )));
            started.push(Started {
                command,
                audit_argv,
                child,
            });
        }
        drop(tx);
        let deadline = req.timeout.map(|t| tokio::time::Instant::now() + t);
        let mut stopping: Option<(Ending, tokio::time::Instant)> = None;
        let mut output_open = true;
        let statuses = {
            let mut waiting = std::pin::pin!(async {
                let mut statuses = Vec::with_capacity(started.len());
                for s in started.iter_mut() {
                    statuses.push(s.child.wait().await);
                }
                statuses
            });
            loop {
                let kill_at = stopping.as_ref().map(|(_, at)| *at);
                tokio::select! {
                    statuses = &mut waiting => break statuses,
                    line = rx.recv(), if output_open => match line {
                        Some((stream, text)) => on_line(stream, text),
                        None => output_open = false,
                    },
                    changed = cancel.changed(), if stopping.is_none() => {
                        if changed.is_err() || *cancel.borrow() {
                            signal_group(group, libc::SIGTERM);
                            stopping = Some((Ending::Cancelled, tokio::time::Instant::now() + GRACE));
                        }
                    }
                    () = sleep_until(deadline), if stopping.is_none() && deadline.is_some() => {
                        signal_group(group, libc::SIGTERM);
                        stopping = Some((Ending::TimedOut, tokio::time::Instant::now() + GRACE));
                    }
                    () = sleep_until(kill_at), if kill_at.is_some() => {
                        signal_group(group, libc::SIGKILL);
                        if let Some((_, at)) = stopping.as_mut() {
                            *at = tokio::time::Instant::now() + Duration::from_secs(3600);
                        }
                    }
                }
            }
        };
        // The rest of the output: the readers end when the pipes close. A background child
        // that keeps a pipe open does not hold the step past a grace period.
        let drained_by = tokio::time::Instant::now() + GRACE;
        loop {
            tokio::select! {
                line = rx.recv() => match line {
                    Some((stream, text)) => on_line(stream, text),
                    None => break,
                },
                () = tokio::time::sleep_until(drained_by) => {
                    readers.iter().for_each(|r| r.abort());
                    break;
                }
            }
        }
        while let Ok((stream, text)) = rx.try_recv() {
            on_line(stream, text);
        }
        let mut code = Some(0);
        for (s, status) in started.iter().zip(statuses) {
            let status = status.map_err(|source| HostError::Spawn {
                argv: s.audit_argv.clone(),
                source,
            })?;
            self.record(
                s.command,
                &s.audit_argv,
                status.code(),
                started_at.elapsed(),
            );
            if status.code() != Some(0) {
                code = status.code();
            }
        }
        Ok(match stopping {
            Some((ending, _)) => ending,
            None => Ending::Exited(code),
        })
    }
}

async fn sleep_until(at: Option<tokio::time::Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

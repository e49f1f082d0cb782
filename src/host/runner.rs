//! Running the host's commands: resolve on the sys path, elevate when needed, capture output,
//! audit every invocation. A failed command's error carries its argv and stderr verbatim.

use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::audit::AuditLog;
use super::config::{Elevation, HostConfig};
use crate::sys::Command;
use crate::sys::command::display_argv;

#[derive(Debug, thiserror::Error)]
pub enum HostError {
    #[error("{program}: command not found on the sys path ({path})")]
    NotFound { program: String, path: String },
    #[error("{}: cannot run: {source}", display_argv(argv))]
    Spawn {
        argv: Vec<String>,
        source: std::io::Error,
    },
    #[error("{} failed ({}){}", display_argv(argv), describe_status(*status), stderr_suffix(stderr))]
    Failed {
        argv: Vec<String>,
        status: Option<i32>,
        stderr: String,
    },
    #[error("{path}: {source}")]
    File {
        path: String,
        source: std::io::Error,
    },
}

fn describe_status(status: Option<i32>) -> String {
    status.map_or_else(
        || "killed by a signal".into(),
        |s| format!("exit status {s}"),
    )
}

fn stderr_suffix(stderr: &str) -> String {
    let trimmed = stderr.trim_end();
    if trimmed.is_empty() {
        String::new()
    } else {
        format!(":\n{trimmed}")
    }
}

impl HostError {
    /// The command's stderr, when it ran and failed.
    pub fn stderr(&self) -> Option<&str> {
        match self {
            HostError::Failed { stderr, .. } => Some(stderr),
            _ => None,
        }
    }
}

/// What a finished command printed.
#[derive(Debug, Clone)]
pub struct CmdOutput {
    /// The argv actually run (resolved, elevated).
    pub argv: Vec<String>,
    /// None when killed by a signal.
    pub status: Option<i32>,
    pub stdout: Vec<u8>,
    pub stderr: String,
    pub duration: Duration,
}

impl CmdOutput {
    pub fn success(&self) -> bool {
        self.status == Some(0)
    }

    pub fn stdout_text(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    /// This output, or the error carrying argv and stderr when the command failed.
    pub fn checked(self) -> Result<CmdOutput, HostError> {
        if self.success() {
            Ok(self)
        } else {
            Err(HostError::Failed {
                argv: self.argv,
                status: self.status,
                stderr: self.stderr,
            })
        }
    }

    /// The stdout as text without copying it (megabytes for a big `zfs list`).
    pub fn into_stdout_text(self) -> String {
        String::from_utf8(self.stdout)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }
}

/// Runs commands on one host. Cheap to clone.
#[derive(Clone)]
pub struct Runner {
    config: Arc<HostConfig>,
    audit: Arc<AuditLog>,
    audit_reads: bool,
}

impl Runner {
    pub fn new(config: HostConfig) -> std::io::Result<Runner> {
        let audit = AuditLog::open(&config.state_dir)?;
        Ok(Runner {
            config: Arc::new(config),
            audit: Arc::new(audit),
            audit_reads: true,
        })
    }

    /// A runner that audits only commands that change the host. The console reads the host
    /// every few seconds; recording each read would bury the changes in the log.
    pub fn auditing_changes_only(mut self) -> Runner {
        self.audit_reads = false;
        self
    }

    /// Audit `argv` (as it should appear: secrets already replaced) for `cmd`.
    pub(super) fn record(
        &self,
        cmd: &Command,
        argv: &[String],
        status: Option<i32>,
        took: Duration,
    ) {
        if self.audit_reads || cmd.privileged {
            let _ = self.audit.record(argv, status, took);
        }
    }

    pub fn config(&self) -> &HostConfig {
        &self.config
    }

    pub fn audit_log(&self) -> &AuditLog {
        &self.audit
    }

    /// Find `program` on the sys path.
    pub fn resolve(&self, program: &str) -> Result<PathBuf, HostError> {
        if program.contains('/') {
            return Ok(PathBuf::from(program));
        }
        self.config
            .sys_path
            .iter()
            .map(|dir| dir.join(program))
            .find(|p| p.is_file())
            .ok_or_else(|| HostError::NotFound {
                program: program.to_string(),
                path: std::env::join_paths(&self.config.sys_path)
                    .map(|p| p.to_string_lossy().into_owned())
                    .unwrap_or_default(),
            })
    }

    /// The argv that running `cmd` executes: resolved, and behind pfexec/sudo when the
    /// command needs privilege and zcon is not root.
    pub fn argv_for(&self, cmd: &Command) -> Result<Vec<String>, HostError> {
        let program = self.resolve(&cmd.program)?.to_string_lossy().into_owned();
        let mut argv = Vec::with_capacity(cmd.args.len() + 3);
        if cmd.privileged && !self.config.is_root {
            match self.config.elevation {
                Elevation::Pfexec => {
                    argv.push(self.resolve("pfexec")?.to_string_lossy().into_owned())
                }
                Elevation::Sudo => {
                    argv.push(self.resolve("sudo")?.to_string_lossy().into_owned());
                    argv.push("-n".into());
                }
                Elevation::None => {}
            }
        }
        argv.push(program);
        argv.extend(cmd.args.iter().cloned());
        Ok(argv)
    }

    /// Run `cmd` to completion; a non-zero exit is an error carrying argv and stderr.
    pub async fn run(&self, cmd: &Command) -> Result<CmdOutput, HostError> {
        self.run_unchecked(cmd, None).await?.checked()
    }

    /// Run `cmd` with `stdin` fed to it, failing on a non-zero exit.
    pub async fn run_with_input(
        &self,
        cmd: &Command,
        stdin: &[u8],
    ) -> Result<CmdOutput, HostError> {
        self.run_unchecked(cmd, Some(stdin)).await?.checked()
    }

    /// Start `cmd` (resolved, elevated) with stdout and stderr piped; a command that cannot
    /// start is audited too.
    fn spawn(
        &self,
        cmd: &Command,
        stdin: bool,
    ) -> Result<(Vec<String>, Instant, tokio::process::Child), HostError> {
        let argv = self.argv_for(cmd)?;
        let started = Instant::now();
        let child = tokio::process::Command::new(&argv[0])
            .args(&argv[1..])
            .stdin(if stdin { Stdio::piped() } else { Stdio::null() })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn();
        match child {
            Ok(child) => Ok((argv, started, child)),
            Err(source) => {
                self.record(cmd, &argv, None, started.elapsed());
                Err(HostError::Spawn { argv, source })
            }
        }
    }

    /// Run `cmd` and return its output whatever its exit status.
    pub async fn run_unchecked(
        &self,
        cmd: &Command,
        stdin: Option<&[u8]>,
    ) -> Result<CmdOutput, HostError> {
        let (argv, started, mut child) = self.spawn(cmd, stdin.is_some())?;
        if let (Some(input), Some(mut pipe)) = (stdin, child.stdin.take()) {
            // A command that exits without reading all its input is not our error.
            let _ = pipe.write_all(input).await;
        }
        let output = child
            .wait_with_output()
            .await
            .map_err(|source| HostError::Spawn {
                argv: argv.clone(),
                source,
            })?;
        let duration = started.elapsed();
        let status = output.status.code();
        self.record(cmd, &argv, status, duration);
        Ok(CmdOutput {
            argv,
            status,
            stdout: output.stdout,
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            duration,
        })
    }

    /// Run `cmd`, handing its stdout to `consume` in chunks of whole lines as they arrive
    /// (on a blocking thread), so that parsing a long listing overlaps the command's
    /// printing. Returns the command's output (without stdout) and what `consume` built.
    pub async fn run_lines<T, F>(
        &self,
        cmd: &Command,
        init: T,
        mut consume: F,
    ) -> Result<(CmdOutput, T), HostError>
    where
        T: Send + 'static,
        F: FnMut(&mut T, &str) + Send + 'static,
    {
        let (argv, started, mut child) = self.spawn(cmd, false)?;
        let (tx, rx) = std::sync::mpsc::channel::<String>();
        let consumer = tokio::task::spawn_blocking(move || {
            let mut acc = init;
            for chunk in rx {
                consume(&mut acc, &chunk);
            }
            acc
        });
        let mut stdout = child.stdout.take().expect("stdout is piped");
        let mut stderr = child.stderr.take().expect("stderr is piped");
        let read_stdout = async move {
            let mut pending: Vec<u8> = Vec::with_capacity(256 << 10);
            loop {
                let n = stdout.read_buf(&mut pending).await?;
                if n == 0 {
                    break;
                }
                if let Some(last) = pending.iter().rposition(|&b| b == b'\n') {
                    let rest = pending.split_off(last + 1);
                    let _ = tx.send(String::from_utf8_lossy(&pending).into_owned());
                    pending = rest;
                    pending.reserve(256 << 10);
                }
            }
            if !pending.is_empty() {
                let _ = tx.send(String::from_utf8_lossy(&pending).into_owned());
            }
            std::io::Result::Ok(())
        };
        let read_stderr = async move {
            let mut text = Vec::new();
            stderr.read_to_end(&mut text).await.map(|_| text)
        };
        let (out_result, err_result) = tokio::join!(read_stdout, read_stderr);
        let status = child.wait().await;
        let duration = started.elapsed();
        let acc = consumer.await.expect("line consumer panicked");
        let io_error = |source| HostError::Spawn {
            argv: argv.clone(),
            source,
        };
        out_result.map_err(io_error)?;
        let stderr = err_result.map_err(io_error)?;
        let status = status.map_err(io_error)?.code();
        self.record(cmd, &argv, status, duration);
        let output = CmdOutput {
            argv,
            status,
            stdout: Vec::new(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
            duration,
        };
        Ok((output, acc))
    }

    /// Read a host file beneath the sys root.
    pub async fn read_file(&self, abs: &str) -> Result<String, HostError> {
        let path = self.config.host_path(abs);
        tokio::fs::read_to_string(&path)
            .await
            .map_err(|source| HostError::File {
                path: abs.to_string(),
                source,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sim_runner(is_root: bool, elevation: Elevation) -> (tempfile::TempDir, Runner) {
        let dir = tempfile::tempdir().unwrap();
        let host = crate::sim::init::init(&dir.path().join("h"), &Default::default()).unwrap();
        let mut config = HostConfig::sim(host.dir());
        config.is_root = is_root;
        config.elevation = elevation;
        (dir, Runner::new(config).unwrap())
    }

    #[test]
    fn privileged_commands_are_elevated_only_when_not_root() {
        let (_d, runner) = sim_runner(false, Elevation::Pfexec);
        let bin = runner.config().sys_path[0].clone();
        let argv = runner
            .argv_for(&Command::mutating("zfs").arg("create"))
            .unwrap();
        assert_eq!(
            argv,
            [
                bin.join("pfexec").display().to_string(),
                bin.join("zfs").display().to_string(),
                "create".into()
            ]
        );
        let argv = runner.argv_for(&Command::read("zfs").arg("list")).unwrap();
        assert_eq!(argv[0], bin.join("zfs").display().to_string());

        let (_d, root) = sim_runner(true, Elevation::Pfexec);
        assert_eq!(root.argv_for(&Command::mutating("zfs")).unwrap().len(), 1);
        let (_d, none) = sim_runner(false, Elevation::None);
        assert_eq!(none.argv_for(&Command::mutating("zfs")).unwrap().len(), 1);
    }

    #[test]
    fn unknown_programs_name_the_sys_path() {
        let (_d, runner) = sim_runner(true, Elevation::None);
        let err = runner.argv_for(&Command::read("no-such-tool")).unwrap_err();
        assert!(
            err.to_string()
                .contains("no-such-tool: command not found on the sys path"),
            "{err}"
        );
    }
}

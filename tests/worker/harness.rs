//! What the worker tests stand on: a sim host driven through the `zcon` binary, polling
//! with a deadline, and a look at the host's processes through /proc.

use std::io::Read;
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde_json::Value;

/// Upper bound for anything the tests wait for; on a quiet machine all of it takes well
/// under a second.
pub const TIMEOUT: Duration = Duration::from_secs(30);

/// A demo sim host created through the CLI, with a config dir of its own.
pub struct Host {
    _dir: tempfile::TempDir,
    pub root: PathBuf,
    config: PathBuf,
}

impl Host {
    pub fn new() -> Host {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("h");
        let config = dir.path().join("config");
        std::fs::create_dir(&config).unwrap();
        let host = Host {
            _dir: dir,
            root,
            config,
        };
        let out = host
            .command()
            .args(["sim", "init", host.root.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(out.status.success(), "sim init: {}", text(&out.stderr));
        std::fs::write(host.root.join("state/speed"), "0.01").unwrap();
        host
    }

    fn command(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_zcon"));
        cmd.env("ZCON_WORKER_IDLE", "1")
            .env("ZCON_CONFIG_DIR", &self.config)
            .env_remove("ZCON_SIM_FAIL")
            .env_remove("ZCON_SIM_SPEED")
            .stdin(Stdio::null());
        cmd
    }

    /// `zcon --sim HOST ARGS…`, not run yet.
    pub fn zcon(&self, args: &[&str]) -> Command {
        let mut cmd = self.command();
        cmd.arg("--sim").arg(&self.root).args(args);
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.zcon(args).output().unwrap()
    }

    pub fn ok(&self, args: &[&str]) -> Output {
        let out = self.run(args);
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        out
    }

    pub fn json(&self, args: &[&str]) -> Value {
        let out = self.ok(args);
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{args:?} printed no JSON ({e}): {}", text(&out.stdout)))
    }

    /// Queue a task without waiting: the id is the one line on stdout.
    pub fn submit(&self, args: &[&str]) -> u64 {
        let out = self.ok(args);
        let stdout = text(&out.stdout);
        stdout
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{args:?} printed {stdout:?}, not a task id"))
    }

    pub fn task(&self, id: u64) -> Value {
        self.json(&["task", "show", &id.to_string(), "--json"])
    }

    pub fn tasks(&self) -> Vec<Value> {
        self.json(&["task", "list", "--json"])
            .as_array()
            .expect("task list --json is an array")
            .clone()
    }

    /// Poll task `id` until `done` holds for it.
    pub fn wait_task(&self, id: u64, what: &str, done: impl Fn(&Value) -> bool) -> Value {
        wait_until(&format!("task #{id} {what}"), || {
            let task = self.task(id);
            done(&task).then_some(task)
        })
    }

    pub fn wait_status(&self, id: u64, status: &str) -> Value {
        self.wait_task(id, status, |t| t["status"] == status)
    }

    pub fn state_dir(&self) -> PathBuf {
        self.root.join("zcon-state")
    }

    pub fn socket(&self) -> PathBuf {
        self.state_dir().join("worker.sock")
    }

    pub fn journal(&self) -> PathBuf {
        self.state_dir().join("tasks.jsonl")
    }

    /// The host's own `zoneadm list -cp`, bypassing zcon.
    pub fn zones(&self) -> String {
        let out = Command::new(self.root.join("bin/zoneadm"))
            .args(["list", "-cp"])
            .env_remove("ZCON_SIM_FAIL")
            .env_remove("ZCON_SIM_SPEED")
            .output()
            .unwrap();
        assert!(out.status.success(), "zoneadm list: {}", text(&out.stderr));
        text(&out.stdout)
    }

    pub fn zone_state(&self, zone: &str) -> String {
        self.zones()
            .lines()
            .map(|l| l.split(':').collect::<Vec<_>>())
            .find(|f| f.get(1) == Some(&zone))
            .and_then(|f| f.get(2).map(|s| s.to_string()))
            .unwrap_or_else(|| panic!("zoneadm does not list {zone}"))
    }

    /// Replace the injected faults (the worker's commands read them from the host's
    /// state/fail) and restart their counts.
    pub fn fail(&self, rules: &str) {
        let state = self.root.join("state");
        let _ = std::fs::remove_file(state.join("fail-counts.json"));
        std::fs::write(state.join("fail"), rules).unwrap();
    }

    pub fn set_config(&self, toml: &str) {
        std::fs::write(self.config.join("config.toml"), toml).unwrap();
    }

    /// Live processes that carry this host's worker launch in their environment: workers and
    /// the zone commands they started (zlogin clears the environment of what it runs).
    fn processes(&self) -> Vec<Proc> {
        let needle = format!("{}/", self.root.display());
        procs()
            .into_iter()
            .filter(|p| p.state != 'Z')
            .filter(|p| {
                std::fs::read(format!("/proc/{}/environ", p.pid)).is_ok_and(|env| {
                    env.split(|&b| b == 0).any(|var| {
                        var.starts_with(b"ZCON_WORKER=")
                            && var.windows(needle.len()).any(|w| w == needle.as_bytes())
                    })
                })
            })
            .collect()
    }

    /// The workers serving or starting for this host.
    pub fn workers(&self) -> Vec<i32> {
        self.processes()
            .into_iter()
            .filter(|p| cmdline(p.pid).get(1).map(String::as_str) == Some("worker"))
            .map(|p| p.pid)
            .collect()
    }

    /// The pid in `worker.lock`, checked to be this host's live worker.
    pub fn worker_pid(&self) -> i32 {
        let lock = std::fs::read_to_string(self.state_dir().join("worker.lock")).unwrap();
        let pid: i32 = lock.trim().parse().expect("worker.lock holds a pid");
        assert!(
            self.workers().contains(&pid),
            "pid {pid} of worker.lock is not a live worker of this host"
        );
        pid
    }

    /// The process groups of the commands worker `pid` runs now (each leads its own).
    pub fn step_groups(&self, pid: i32) -> Vec<i32> {
        procs()
            .into_iter()
            .filter(|p| p.ppid == pid && p.pgid == p.pid && p.state != 'Z')
            .map(|p| p.pid)
            .collect()
    }
}

impl Drop for Host {
    /// A test that failed half-way (or killed a worker on purpose) must not leave workers or
    /// their zone commands behind: stop what was started for this host.
    fn drop(&mut self) {
        for p in self.processes() {
            let target = if p.pgid == p.pid { -p.pid } else { p.pid };
            unsafe {
                libc::kill(target, libc::SIGKILL);
            }
        }
    }
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Poll `check` until it yields a value; panic naming `what` after [`TIMEOUT`].
pub fn wait_until<T>(what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(value) = check() {
            return value;
        }
        assert!(start.elapsed() < TIMEOUT, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(25));
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Proc {
    pub pid: i32,
    pub ppid: i32,
    pub pgid: i32,
    pub state: char,
}

pub fn procs() -> Vec<Proc> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse::<i32>().ok())
        .filter_map(|pid| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses.
            let rest = &stat[stat.rfind(')')? + 2..];
            let mut fields = rest.split(' ');
            let state = fields.next()?.chars().next()?;
            let ppid = fields.next()?.parse().ok()?;
            let pgid = fields.next()?.parse().ok()?;
            Some(Proc {
                pid,
                ppid,
                pgid,
                state,
            })
        })
        .collect()
}

pub fn cmdline(pid: i32) -> Vec<String> {
    std::fs::read(format!("/proc/{pid}/cmdline"))
        .map(|raw| {
            raw.split(|&b| b == 0)
                .filter(|a| !a.is_empty())
                .map(text)
                .collect()
        })
        .unwrap_or_default()
}

pub fn alive(pid: i32) -> bool {
    procs().iter().any(|p| p.pid == pid && p.state != 'Z')
}

/// A zcon process running in the background, its output collected as it comes (so a
/// chatty one never blocks on a full pipe). Killed if dropped unfinished.
pub struct Running {
    child: Child,
    /// The readers of stdout and stderr.
    output: Option<[JoinHandle<Vec<u8>>; 2]>,
}

fn collect(mut pipe: impl Read + Send + 'static) -> JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        bytes
    })
}

impl Running {
    pub fn start(mut cmd: Command) -> Running {
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = collect(child.stdout.take().unwrap());
        let stderr = collect(child.stderr.take().unwrap());
        Running {
            child,
            output: Some([stdout, stderr]),
        }
    }

    /// Its output once it exits; `None` (and the process killed) if it takes longer than
    /// `limit`.
    pub fn finish(mut self, limit: Duration) -> Option<Output> {
        let start = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break Some(status);
            }
            if start.elapsed() > limit {
                self.stop();
                break None;
            }
            std::thread::sleep(Duration::from_millis(25));
        };
        let [stdout, stderr] = self.output.take().expect("finished once");
        let stdout = stdout.join().unwrap();
        let stderr = stderr.join().unwrap();
        status.map(|status| Output {
            status,
            stdout,
            stderr,
        })
    }

    fn stop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.stop();
    }
}

pub fn has_output(task: &Value, line: &str) -> bool {
    task["log"].as_array().is_some_and(|log| {
        log.iter()
            .any(|l| l["kind"] == "stdout" && l["text"] == line)
    })
}

pub fn ids(tasks: &[Value]) -> Vec<u64> {
    tasks.iter().map(|t| t["id"].as_u64().unwrap()).collect()
}

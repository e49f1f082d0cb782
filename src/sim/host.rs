//! A sim host directory: paths, the state lock, state files, host identity and timing.

use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// Identity and kernel facts of the simulated host (`state/host.json`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HostInfo {
    pub hostname: String,
    /// `uname -r`
    pub release: String,
    /// `uname -v`
    pub version: String,
    /// First line of /etc/release, e.g. "OmniOS v11 r151054d".
    pub os_name: String,
    pub ncpus: u32,
    pub physmem_bytes: u64,
    /// Unix time the host "booted".
    pub boot_time: i64,
    pub seed: u64,
}

#[derive(Debug, Clone)]
pub struct SimHost {
    dir: PathBuf,
    /// Factor on realistic durations (`ZCON_SIM_SPEED`).
    speed: f64,
    /// Fault injection rules (`ZCON_SIM_FAIL`), see [`super::fail`].
    fail_spec: Option<String>,
}

/// Find the sim host a command belongs to: `<dir>/bin/<cmd>` from argv[0], else
/// `ZCON_SIM_DIR`, else the first `<cmd>` on PATH that sits in a sim host's bin/.
pub fn locate(argv0: &str) -> io::Result<PathBuf> {
    let from_bin = |bin: &Path| -> Option<PathBuf> {
        let dir = bin.parent()?;
        (bin.file_name()? == "bin" && dir.join("state/host.json").is_file())
            .then(|| dir.to_path_buf())
    };
    let path = Path::new(argv0);
    if argv0.contains('/') {
        let abs = if path.is_absolute() {
            path.to_path_buf()
        } else {
            std::env::current_dir()?.join(path)
        };
        if let Some(dir) = abs.parent().and_then(from_bin) {
            return Ok(dir);
        }
    }
    if let Some(dir) = std::env::var_os("ZCON_SIM_DIR").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    if let Some(paths) = std::env::var_os("PATH") {
        for p in std::env::split_paths(&paths) {
            if p.join(argv0).exists()
                && let Some(dir) = from_bin(&p)
            {
                return Ok(dir);
            }
        }
    }
    Err(io::Error::new(
        io::ErrorKind::NotFound,
        "cannot find the sim host: run the command as DIR/bin/NAME or set ZCON_SIM_DIR",
    ))
}

/// Held while reading (shared) or changing (exclusive) the sim state. Dropping releases it.
pub struct StateLock {
    _file: File,
}

impl SimHost {
    /// Open an existing sim host.
    pub fn open(dir: &Path) -> io::Result<SimHost> {
        let dir = if dir.is_absolute() {
            dir.to_path_buf()
        } else {
            std::env::current_dir()?.join(dir)
        };
        if !dir.join("state/host.json").is_file() {
            return Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!("{} is not a sim host (no state/host.json)", dir.display()),
            ));
        }
        Ok(SimHost::new_unchecked(dir))
    }

    /// A handle on a directory being created by `init`; state files may not exist yet.
    pub(crate) fn new_unchecked(dir: PathBuf) -> SimHost {
        // The environment wins; else the host's own files (`state/fail`, `state/speed`), which
        // reach every process that runs the host's commands, whoever spawned it.
        let setting = |var: &str, file: &str| {
            std::env::var(var)
                .ok()
                .or_else(|| fs::read_to_string(dir.join("state").join(file)).ok())
                .filter(|s| !s.trim().is_empty())
        };
        let fail_spec = setting("ZCON_SIM_FAIL", "fail");
        let speed = setting("ZCON_SIM_SPEED", "speed");
        SimHost {
            dir,
            speed: parse_speed(speed.as_deref()),
            fail_spec,
        }
    }

    /// This handle with another speed factor (tests run commands in-process with 0).
    pub fn with_speed(mut self, speed: f64) -> SimHost {
        self.speed = speed;
        self
    }

    /// This handle with other fault injection rules (in-process tests).
    pub fn with_fail(mut self, spec: Option<&str>) -> SimHost {
        self.fail_spec = spec.map(str::to_string);
        self
    }

    pub fn speed(&self) -> f64 {
        self.speed
    }

    pub fn fail_spec(&self) -> Option<&str> {
        self.fail_spec.as_deref()
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn bin_dir(&self) -> PathBuf {
        self.dir.join("bin")
    }

    /// The host's `/`.
    pub fn root_dir(&self) -> PathBuf {
        self.dir.join("root")
    }

    pub fn state_dir(&self) -> PathBuf {
        self.dir.join("state")
    }

    /// A host path (`/etc/zones/index`) as a path under the sim root.
    pub fn host_path(&self, abs: &str) -> PathBuf {
        self.root_dir().join(abs.trim_start_matches('/'))
    }

    fn lock_file(&self) -> io::Result<File> {
        fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(self.state_dir().join("lock"))
    }

    pub fn lock_shared(&self) -> io::Result<StateLock> {
        let file = self.lock_file()?;
        file.lock_shared()?;
        Ok(StateLock { _file: file })
    }

    pub fn lock_exclusive(&self) -> io::Result<StateLock> {
        let file = self.lock_file()?;
        file.lock()?;
        Ok(StateLock { _file: file })
    }

    /// Read `state/<name>.json`, or the default when it does not exist yet.
    pub fn load_json<T: DeserializeOwned + Default>(&self, name: &str) -> io::Result<T> {
        let path = self.state_dir().join(format!("{name}.json"));
        match fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("{}: {e}", path.display()),
                )
            }),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(T::default()),
            Err(e) => Err(e),
        }
    }

    /// Write `state/<name>.json` atomically.
    pub fn save_json<T: Serialize>(&self, name: &str, value: &T) -> io::Result<()> {
        let bytes = serde_json::to_vec_pretty(value).map_err(io::Error::other)?;
        write_atomic(&self.state_dir().join(format!("{name}.json")), &bytes)
    }

    pub fn info(&self) -> io::Result<HostInfo> {
        let bytes = fs::read(self.state_dir().join("host.json"))?;
        serde_json::from_slice(&bytes).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
    }

    /// Wait as long as the real operation would, scaled by `ZCON_SIM_SPEED` (a factor on
    /// real time: 1 = realistic, 0.1 = ten times faster, 0 = instant). Never call this while
    /// holding the state lock.
    pub fn sleep(&self, realistic: Duration) {
        let scaled = realistic.mul_f64(self.speed);
        if !scaled.is_zero() {
            std::thread::sleep(scaled);
        }
    }
}

/// The `ZCON_SIM_SPEED` factor (default 1).
fn parse_speed(text: Option<&str>) -> f64 {
    text.and_then(|s| s.trim().parse::<f64>().ok())
        .filter(|f| f.is_finite() && *f >= 0.0)
        .unwrap_or(1.0)
}

/// Write a file by writing a temporary sibling and renaming it over the target.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path
        .parent()
        .ok_or_else(|| io::Error::other("path has no parent"))?;
    fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    fs::write(&tmp, bytes)?;
    fs::rename(&tmp, path)
}

/// Seconds since the epoch.
pub fn now() -> i64 {
    jiff::Timestamp::now().as_second()
}

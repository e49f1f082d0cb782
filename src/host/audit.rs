//! The audit log: one JSON line per command zcon runs (time, argv, exit status, duration),
//! appended to `<state dir>/audit.log`, rotated at 10 MiB (three old files kept).

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use serde::Serialize;

const ROTATE_AT: u64 = 10 << 20;
const KEEP: usize = 3;

pub struct AuditLog {
    path: PathBuf,
    file: Mutex<Option<File>>,
}

#[derive(Serialize)]
struct Record<'a> {
    time: String,
    argv: &'a [String],
    /// None when the command could not be started or was killed by a signal.
    status: Option<i32>,
    duration_ms: f64,
}

impl AuditLog {
    pub fn open(state_dir: &Path) -> io::Result<AuditLog> {
        fs::create_dir_all(state_dir)?;
        let path = state_dir.join("audit.log");
        let file = OpenOptions::new().create(true).append(true).open(&path)?;
        Ok(AuditLog {
            path,
            file: Mutex::new(Some(file)),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Append one record. Failing to audit never fails the command; it is reported on stderr
    /// once per failure kind by the caller if it cares.
    pub fn record(
        &self,
        argv: &[String],
        status: Option<i32>,
        duration: Duration,
    ) -> io::Result<()> {
        let record = Record {
            time: jiff::Timestamp::now().to_string(),
            argv,
            status,
            duration_ms: (duration.as_secs_f64() * 1e6).round() / 1e3,
        };
        let mut line = serde_json::to_vec(&record).map_err(io::Error::other)?;
        line.push(b'\n');
        let mut guard = self.file.lock().unwrap_or_else(|e| e.into_inner());
        if guard
            .as_ref()
            .and_then(|f| f.metadata().ok())
            .is_some_and(|m| m.len() >= ROTATE_AT)
        {
            *guard = None;
            self.rotate()?;
        }
        if guard.is_none() {
            *guard = Some(
                OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(&self.path)?,
            );
        }
        // One write per record: O_APPEND keeps concurrent writers' lines whole.
        guard.as_mut().map_or(Ok(()), |f| f.write_all(&line))
    }

    fn rotate(&self) -> io::Result<()> {
        let numbered = |n: usize| PathBuf::from(format!("{}.{n}", self.path.display()));
        for n in (1..KEEP).rev() {
            if numbered(n).exists() {
                fs::rename(numbered(n), numbered(n + 1))?;
            }
        }
        fs::rename(&self.path, numbered(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_json_lines() {
        let dir = tempfile::tempdir().unwrap();
        let log = AuditLog::open(dir.path()).unwrap();
        let argv = vec!["/usr/sbin/zfs".to_string(), "create".into(), "a b".into()];
        log.record(&argv, Some(1), Duration::from_micros(12_345))
            .unwrap();
        log.record(&argv[..1], None, Duration::ZERO).unwrap();
        let text = fs::read_to_string(log.path()).unwrap();
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["argv"][2], "a b");
        assert_eq!(lines[0]["status"], 1);
        assert_eq!(lines[0]["duration_ms"], 12.345);
        assert!(lines[1]["status"].is_null());
        assert!(lines[0]["time"].as_str().unwrap().ends_with('Z'));
    }

    #[test]
    fn rotates_when_large() {
        let dir = tempfile::tempdir().unwrap();
        let log = AuditLog::open(dir.path()).unwrap();
        fs::write(log.path(), vec![b'x'; ROTATE_AT as usize]).unwrap();
        log.record(&["a".to_string()], Some(0), Duration::ZERO)
            .unwrap();
        let rotated = fs::metadata(dir.path().join("audit.log.1")).unwrap();
        assert_eq!(rotated.len(), ROTATE_AT);
        assert!(fs::read_to_string(log.path()).unwrap().contains("\"a\""));
    }
}

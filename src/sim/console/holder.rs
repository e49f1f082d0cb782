//! One console client at a time. zoneadmd refuses a second client with the first one's pid;
//! here the client holds an exclusive lock on `state/console/<zone>.pid` holding its pid. The
//! lock dies with its process, so a pid left behind by a dead client does not count.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{self, Read, Seek, Write};
use std::time::Duration;

use crate::sim::SimHost;

/// The console of one zone, held until dropped.
pub struct Holder {
    file: File,
}

/// Take the zone's console, or learn the pid of the client holding it.
pub fn acquire(host: &SimHost, zone: &str) -> io::Result<Result<Holder, u32>> {
    let dir = host.state_dir().join("console");
    fs::create_dir_all(&dir)?;
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(dir.join(format!("{zone}.pid")))?;
    match file.try_lock() {
        Ok(()) => {
            file.set_len(0)?;
            file.rewind()?;
            writeln!(file, "{}", std::process::id())?;
            Ok(Ok(Holder { file }))
        }
        Err(TryLockError::WouldBlock) => {
            // The holder writes its pid right after locking: give it a moment.
            for _ in 0..100 {
                let mut text = String::new();
                file.rewind()?;
                file.read_to_string(&mut text)?;
                if let Ok(pid) = text.trim().parse() {
                    return Ok(Err(pid));
                }
                std::thread::sleep(Duration::from_millis(5));
            }
            Ok(Err(0))
        }
        Err(TryLockError::Error(e)) => Err(e),
    }
}

impl Drop for Holder {
    fn drop(&mut self) {
        // Emptied, not removed: a client that opened this file meanwhile must lock the same
        // file as the next one.
        let _ = self.file.set_len(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_holder_learns_the_first_ones_pid_and_stale_pids_do_not_count() {
        let dir = tempfile::tempdir().unwrap();
        let host = crate::sim::init::init(&dir.path().join("h"), &Default::default()).unwrap();
        let path = host.state_dir().join("console/z1.pid");
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, "999999\n").unwrap();
        let first = acquire(&host, "z1")
            .unwrap()
            .expect("stale pid file is free");
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            format!("{}\n", std::process::id())
        );
        // A second open file description conflicts even within one process.
        assert_eq!(
            acquire(&host, "z1").unwrap().err(),
            Some(std::process::id())
        );
        assert!(acquire(&host, "z2").unwrap().is_ok());
        drop(first);
        assert!(acquire(&host, "z1").unwrap().is_ok());
    }
}

//! The task journal: one JSON line per event in `<state dir>/tasks.jsonl`, appended by the
//! worker (fsync'd at step boundaries) and read back by every client. A crash can leave a
//! torn last line; readers skip it. History is trimmed only when the worker starts, by
//! rewriting the file whole and renaming it into place; followers notice the new file and
//! read it from the start.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use super::model::{Entry, TaskBook, TaskId};

pub const FILE: &str = "tasks.jsonl";

pub fn path(state_dir: &Path) -> PathBuf {
    state_dir.join(FILE)
}

pub fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

/// The worker's handle for appending.
pub struct Journal {
    file: File,
}

impl Journal {
    pub fn open(state_dir: &Path) -> io::Result<Journal> {
        fs::create_dir_all(state_dir)?;
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .mode(0o600)
            .open(path(state_dir))?;
        Ok(Journal { file })
    }

    /// Append one entry in a single write (so readers never see half a line from us);
    /// `sync` waits until it is on disk.
    pub fn append(&mut self, entry: &Entry, sync: bool) -> io::Result<()> {
        let mut line = serde_json::to_vec(entry).map_err(io::Error::other)?;
        line.push(b'\n');
        self.file.write_all(&line)?;
        if sync {
            self.file.sync_data()?;
        }
        Ok(())
    }
}

/// Every entry of the journal at `path`, skipping lines that do not parse (a torn write).
pub fn read_all(path: &Path) -> io::Result<Vec<Entry>> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut entries = Vec::new();
    for line in BufReader::new(file).split(b'\n') {
        if let Ok(entry) = serde_json::from_slice::<Entry>(&line?) {
            entries.push(entry);
        }
    }
    Ok(entries)
}

/// The tasks of the journal in `state_dir`.
pub fn load(state_dir: &Path) -> io::Result<TaskBook> {
    let mut book = TaskBook::default();
    for entry in read_all(&path(state_dir))? {
        book.apply(&entry);
    }
    Ok(book)
}

/// Rewrite the journal keeping only the last `keep` finished tasks and every unfinished one.
/// Returns how many tasks were dropped.
pub fn trim(state_dir: &Path, keep: usize) -> io::Result<usize> {
    let file = path(state_dir);
    let entries = read_all(&file)?;
    let mut book = TaskBook::default();
    for entry in &entries {
        book.apply(entry);
    }
    let finished: Vec<TaskId> = book
        .tasks
        .values()
        .filter(|t| t.status.is_final())
        .map(|t| t.id)
        .collect();
    if finished.len() <= keep {
        return Ok(0);
    }
    let dropped: std::collections::HashSet<TaskId> =
        finished[..finished.len() - keep].iter().copied().collect();
    let tmp = state_dir.join(format!("{FILE}.tmp"));
    {
        let mut out = io::BufWriter::new(
            OpenOptions::new()
                .create(true)
                .write(true)
                .truncate(true)
                .mode(0o600)
                .open(&tmp)?,
        );
        for entry in entries.iter().filter(|e| !dropped.contains(&e.task)) {
            serde_json::to_writer(&mut out, entry).map_err(io::Error::other)?;
            out.write_all(b"\n")?;
        }
        out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    }
    fs::rename(&tmp, &file)?;
    Ok(dropped.len())
}

/// Reads what was appended to the journal since the last call.
pub struct Follower {
    path: PathBuf,
    file: Option<File>,
    inode: u64,
    offset: u64,
    partial: Vec<u8>,
}

/// New entries; `reset` when the journal was replaced and these are all of it.
#[derive(Debug, Default)]
pub struct Polled {
    pub reset: bool,
    pub entries: Vec<Entry>,
}

impl Follower {
    pub fn new(state_dir: &Path) -> Follower {
        Follower {
            path: path(state_dir),
            file: None,
            inode: 0,
            offset: 0,
            partial: Vec::new(),
        }
    }

    pub fn poll(&mut self) -> io::Result<Polled> {
        let meta = match fs::metadata(&self.path) {
            Ok(m) => m,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Polled::default()),
            Err(e) => return Err(e),
        };
        let mut polled = Polled::default();
        if self.file.is_none() || meta.ino() != self.inode || meta.len() < self.offset {
            polled.reset = self.file.is_some();
            self.file = Some(File::open(&self.path)?);
            self.inode = meta.ino();
            self.offset = 0;
            self.partial.clear();
        }
        if meta.len() == self.offset {
            return Ok(polled);
        }
        let file = self.file.as_mut().expect("opened above");
        file.seek(SeekFrom::Start(self.offset))?;
        let mut bytes = Vec::new();
        let read = file.read_to_end(&mut bytes)?;
        self.offset += read as u64;
        self.partial.extend_from_slice(&bytes);
        let Some(last) = self.partial.iter().rposition(|&b| b == b'\n') else {
            return Ok(polled);
        };
        let rest = self.partial.split_off(last + 1);
        for line in self.partial.split(|&b| b == b'\n') {
            if let Ok(entry) = serde_json::from_slice::<Entry>(line) {
                polled.entries.push(entry);
            }
        }
        self.partial = rest;
        Ok(polled)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exec::model::{Event, TaskStatus};
    use crate::ops::Plan;

    fn queued(task: TaskId) -> Entry {
        Entry {
            at: 1,
            task,
            event: Event::Queued {
                plan: Plan::new("boot", "z"),
                depends_on: vec![],
                origin: "cli".into(),
            },
        }
    }

    fn ended(task: TaskId) -> Entry {
        Entry {
            at: 2,
            task,
            event: Event::Ended {
                status: TaskStatus::Succeeded,
                error: None,
            },
        }
    }

    #[test]
    fn followers_see_appends_and_skip_torn_lines() {
        let dir = tempfile::tempdir().unwrap();
        let mut journal = Journal::open(dir.path()).unwrap();
        let mut follower = Follower::new(dir.path());
        journal.append(&queued(1), true).unwrap();
        let polled = follower.poll().unwrap();
        assert_eq!(polled.entries, [queued(1)]);
        assert!(!polled.reset);
        // Half a line (a writer killed mid-write) waits for its end; a garbled line is skipped.
        let mut raw = OpenOptions::new()
            .append(true)
            .open(path(dir.path()))
            .unwrap();
        raw.write_all(b"{\"at\":1,\"ta").unwrap();
        assert!(follower.poll().unwrap().entries.is_empty());
        raw.write_all(b"\n").unwrap();
        journal.append(&ended(1), false).unwrap();
        assert_eq!(follower.poll().unwrap().entries, [ended(1)]);
        assert_eq!(read_all(&path(dir.path())).unwrap().len(), 2);
    }

    #[test]
    fn trimming_keeps_recent_and_unfinished_tasks() {
        let dir = tempfile::tempdir().unwrap();
        let mut journal = Journal::open(dir.path()).unwrap();
        for id in 1..=5 {
            journal.append(&queued(id), false).unwrap();
            if id != 2 {
                journal.append(&ended(id), false).unwrap();
            }
        }
        let mut follower = Follower::new(dir.path());
        assert_eq!(follower.poll().unwrap().entries.len(), 9);
        assert_eq!(trim(dir.path(), 2).unwrap(), 2);
        let book = load(dir.path()).unwrap();
        assert_eq!(book.tasks.keys().copied().collect::<Vec<_>>(), [2, 4, 5]);
        let polled = follower.poll().unwrap();
        assert!(polled.reset);
        assert_eq!(polled.entries.len(), 5);
        assert_eq!(trim(dir.path(), 2).unwrap(), 0);
    }
}

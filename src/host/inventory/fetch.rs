//! What a refresh reads from the host: commands to run and files to read. The benchmark's
//! floor runs exactly these and nothing else.

use crate::host::{CmdOutput, HostError, Runner};
use crate::sys::Command;

/// One thing to read from the host.
#[derive(Debug, Clone)]
pub enum Fetch {
    Run(Command),
    /// A host file beneath the sys root; a missing file is not an error (None).
    File(&'static str),
    /// Every `/etc/zones/<name>.xml` (templates named `SUNW*` excluded), read in parallel.
    ZoneXml,
}

/// What a fetch brought back.
#[derive(Debug)]
pub enum Fetched {
    /// The command's output whatever its exit status (the parse step decides what a
    /// non-zero status means); Err when it could not run at all.
    Run(Result<CmdOutput, HostError>),
    File(Result<Option<String>, HostError>),
    /// (zone name, file text or the read error)
    ZoneXml(Vec<(String, Result<String, String>)>),
}

pub async fn fetch(runner: &Runner, what: &Fetch) -> Fetched {
    match what {
        Fetch::Run(cmd) => Fetched::Run(runner.run_unchecked(cmd, None).await),
        Fetch::File(path) => Fetched::File(match runner.read_file(path).await {
            Ok(text) => Ok(Some(text)),
            Err(HostError::File { source, .. })
                if source.kind() == std::io::ErrorKind::NotFound =>
            {
                Ok(None)
            }
            Err(e) => Err(e),
        }),
        Fetch::ZoneXml => {
            let dir = runner.config().host_path("/etc/zones");
            Fetched::ZoneXml(
                tokio::task::spawn_blocking(move || read_zone_xml(&dir))
                    .await
                    .unwrap_or_default(),
            )
        }
    }
}

/// Read the zone XML files with a few threads: thousands of small files.
fn read_zone_xml(dir: &std::path::Path) -> Vec<(String, Result<String, String>)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let files: Vec<(String, std::path::PathBuf)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let zone = name.strip_suffix(".xml")?.to_string();
            (!zone.starts_with("SUNW")).then(|| (zone, e.path()))
        })
        .collect();
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(8);
    let chunk = files.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = files
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|(zone, path)| {
                            (
                                zone.clone(),
                                std::fs::read_to_string(path).map_err(|e| e.to_string()),
                            )
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    })
}

impl Fetched {
    /// A command's stdout, or the error (with argv and stderr) when it failed.
    pub fn stdout(self) -> Result<String, HostError> {
        match self {
            Fetched::Run(Ok(out)) => out.checked().map(CmdOutput::into_stdout_text),
            Fetched::Run(Err(e)) => Err(e),
            other => unreachable!("stdout() of a non-command fetch: {other:?}"),
        }
    }

    /// A file's text (None when the host has no such file).
    pub fn file(self) -> Result<Option<String>, HostError> {
        match self {
            Fetched::File(result) => result,
            other => unreachable!("file() of a non-file fetch: {other:?}"),
        }
    }
}

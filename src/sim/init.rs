//! `zcon sim init DIR`: create a sim host directory.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::host::{HostInfo, write_atomic};
use super::seed::{self, Contents};
use super::{SimHost, zones};

#[derive(Debug, Clone, Default)]
pub struct InitOptions {
    pub contents: Contents,
    pub seed: u64,
    /// Replace an existing sim host at DIR.
    pub force: bool,
    /// The zcon binary bin/ links to (default: this executable; tests name the built binary).
    pub exe: Option<PathBuf>,
}

/// Create a sim host at `dir` and populate it.
pub fn init(dir: &Path, opts: &InitOptions) -> io::Result<SimHost> {
    let dir = if dir.is_absolute() {
        dir.to_path_buf()
    } else {
        std::env::current_dir()?.join(dir)
    };
    if dir.join("state/host.json").exists() {
        if !opts.force {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!(
                    "{} already holds a sim host (use --force to replace it)",
                    dir.display()
                ),
            ));
        }
        for sub in ["bin", "root", "state"] {
            let p = dir.join(sub);
            if p.exists() {
                fs::remove_dir_all(&p)?;
            }
        }
    } else if dir.exists() && fs::read_dir(&dir)?.next().is_some() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!(
                "{} exists and is not empty; choose a new directory",
                dir.display()
            ),
        ));
    }
    for sub in ["bin", "root/etc/zones", "root/etc/ipf", "state"] {
        fs::create_dir_all(dir.join(sub))?;
    }
    let host = SimHost::new_unchecked(dir.clone());
    let seed_hostname = match opts.contents {
        Contents::Scale { .. } => "hv-scale",
        _ => "hv-01",
    };
    let info = HostInfo {
        hostname: seed_hostname.into(),
        release: "5.11".into(),
        version: "omnios-r151054-b0fca7aa1c".into(),
        os_name: "OmniOS v11 r151054d".into(),
        ncpus: 16,
        physmem_bytes: 128 << 30,
        boot_time: super::host::now() - 37 * 86_400 - 4 * 3600 - 17 * 60,
        seed: opts.seed,
    };
    let bytes = serde_json::to_vec_pretty(&info).map_err(io::Error::other)?;
    write_atomic(&dir.join("state/host.json"), &bytes)?;
    write_atomic(
        &host.host_path("/etc/release"),
        release_file(&info).as_bytes(),
    )?;
    zones::save_index(&host, &crate::sys::zoneindex::Index::new())?;
    let exe = match &opts.exe {
        Some(exe) => exe.clone(),
        None => std::env::current_exe()?,
    };
    ensure_bin_links(&host, &exe)?;
    seed::populate(&host, opts.contents, opts.seed)?;
    Ok(host)
}

fn release_file(info: &HostInfo) -> String {
    format!(
        "  {}\n  Copyright (c) 2012-2017 OmniTI Computer Consulting, Inc.\n  \
         Copyright (c) 2017-2025 OmniOS Community Edition (OmniOSce) Association.\n  \
         All rights reserved. Use is subject to licence terms.\n",
        info.os_name
    )
}

/// Point every command in bin/ at the zcon binary `exe` (re-done when it has moved).
pub fn ensure_bin_links(host: &SimHost, exe: &Path) -> io::Result<()> {
    let bin = host.bin_dir();
    fs::create_dir_all(&bin)?;
    for (name, _) in super::cmd::COMMANDS {
        let link = bin.join(name);
        if fs::read_link(&link).ok().as_deref() == Some(exe) {
            continue;
        }
        match fs::remove_file(&link) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
        std::os::unix::fs::symlink(exe, &link)?;
    }
    Ok(())
}

/// The embedded demo host's directory under the user data dir.
pub fn demo_dir() -> io::Result<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "zcon")
        .ok_or_else(|| io::Error::other("cannot determine the user data directory (no HOME?)"))?;
    Ok(dirs.data_dir().join("demo-host"))
}

/// Open the sim host at `dir`, creating a demo host there first if there is none.
pub fn open_or_create(dir: &Path) -> io::Result<SimHost> {
    let host = if dir.join("state/host.json").is_file() {
        SimHost::open(dir)?
    } else {
        init(
            dir,
            &InitOptions {
                contents: Contents::Demo,
                ..Default::default()
            },
        )?
    };
    ensure_bin_links(&host, &std::env::current_exe()?)?;
    Ok(host)
}

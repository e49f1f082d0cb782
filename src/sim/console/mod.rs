//! The sim's zone sessions behind `zlogin`: the zone console (`zlogin -C`, what zoneadmd and
//! the zone's console device give a real host, simulated in the client process: boot log,
//! login prompt, a shell), interactive logins on a pty, and commands run in a zone.
//!
//! A zone's `/` is `<zonepath>/root` under the sim root; its shells are the machine's real
//! `/bin/sh`, started there with the zone's name in the prompt.

mod attach;
mod escape;
mod guest;
mod holder;
mod pty;
mod session;
mod tty;
mod watch;

use std::collections::BTreeMap;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;

use serde::{Deserialize, Serialize};

pub use attach::{ConsoleRequest, attach};
pub use pty::Spec;
pub use session::{LoginRequest, login, run_piped, shell_spec};
pub use tty::stdin_is_tty;

use super::SimHost;

/// What the session loops wait for.
pub(crate) enum Event {
    /// Bytes the operator typed (stdin).
    Input(Vec<u8>),
    /// stdin reached its end.
    InputEnd,
    /// Output of the shell with this id.
    Output(u64, Vec<u8>),
    /// The shell with this id closed its terminal.
    OutputEnd(u64),
}

/// Read stdin on a thread for as long as the process lives.
pub(crate) fn read_stdin(events: Sender<Event>) {
    std::thread::spawn(move || {
        let mut buf = [0u8; 1024];
        let mut stdin = io::stdin();
        loop {
            match stdin.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    if events.send(Event::Input(buf[..n].to_vec())).is_err() {
                        return;
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => break,
            }
        }
        let _ = events.send(Event::InputEnd);
    });
}

/// The zone's `/` under the sim root (created when missing, as install would have).
pub fn zone_root(host: &SimHost, zonepath: &str) -> io::Result<PathBuf> {
    let root = host.host_path(zonepath).join("root");
    std::fs::create_dir_all(&root)?;
    Ok(root)
}

/// The environment of a login to `zone` as `user`: zlogin passes PATH and TERM, login/su add
/// the user's.
pub fn login_env(zone: &str, user: &str, home: &Path) -> Vec<(String, String)> {
    let prompt = if user == "root" { '#' } else { '$' };
    let mut env = vec![
        ("PATH".to_string(), "/usr/sbin:/usr/bin".to_string()),
        ("HOME".to_string(), home.to_string_lossy().into_owned()),
        ("LOGNAME".to_string(), user.to_string()),
        ("USER".to_string(), user.to_string()),
        ("SHELL".to_string(), "/bin/sh".to_string()),
        ("MAIL".to_string(), format!("/var/mail/{user}")),
        ("PS1".to_string(), format!("{user}@{zone}:~{prompt} ")),
    ];
    for keep in ["TERM", "TZ"] {
        if let Ok(v) = std::env::var(keep) {
            env.push((keep.to_string(), v));
        }
    }
    env
}

/// Logins recorded per zone (`state/console/<zone>.lastlog.json`), for `Last login:`.
#[derive(Debug, Default, Serialize, Deserialize)]
struct LastLog {
    users: BTreeMap<String, LastLogin>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct LastLogin {
    time: i64,
    line: String,
}

/// Record a login of `user` on `line` now; returns the previous one (time, line).
fn record_login(host: &SimHost, zone: &str, user: &str, line: &str) -> Option<(i64, String)> {
    let name = format!("console/{zone}.lastlog");
    let _lock = host.lock_exclusive().ok()?;
    let mut log: LastLog = host.load_json(&name).unwrap_or_default();
    let previous = log.users.insert(
        user.to_string(),
        LastLogin {
            time: super::host::now(),
            line: line.to_string(),
        },
    );
    let _ = host.save_json(&name, &log);
    previous.map(|p| (p.time, p.line))
}

//! The embedded terminal: a program (`zlogin -C ZONE`, `zlogin ZONE`) on a pseudo-terminal,
//! its output interpreted by a terminal emulator, keys encoded as xterm sends them, and a
//! ratatui widget that draws the emulator's screen. Nothing here knows the app: the UI holds
//! a [`Session`], feeds it keys and draws it with [`TermView`].
//!
//! ```no_run
//! # fn main() -> anyhow::Result<()> {
//! use zcon::console::{Session, SessionOptions};
//!
//! let argv = ["pfexec", "zlogin", "-C", "-E", "web01"].map(String::from);
//! let opts = SessionOptions { cols: 80, rows: 24, scrollback: 5000 };
//! let session = Session::spawn(&argv, &[], opts, Box::new(|| { /* wake the UI loop */ }))?;
//! session.write(b"\r")?;
//! # Ok(()) }
//! ```

mod ext;
mod keys;
mod session;
mod term;
mod view;

use serde::Serialize;

use crate::sys::zlogin::{self, Refusal};

pub use keys::encode_key;
pub use session::{Session, paste_bytes};
pub use term::{CursorShape, Terminal};
pub use view::{TermView, buffer_lines};

/// The terminal a session starts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionOptions {
    pub cols: u16,
    pub rows: u16,
    /// Lines kept after they scroll off the top.
    pub scrollback: usize,
}

impl Default for SessionOptions {
    fn default() -> Self {
        SessionOptions {
            cols: 80,
            rows: 24,
            scrollback: 10_000,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum SessionState {
    Running,
    Ended {
        /// The exit status; None when a signal ended the program.
        code: Option<u32>,
        /// Why, when that can be told: zlogin's refusal ("console already in use by process
        /// ID 1234"), or the signal.
        reason: Option<String>,
    },
}

/// Why a session ended, for the pane to show: zlogin's refusal when its last lines hold one
/// (it prints it and exits at once, so nothing follows it), else the signal that ended it.
fn end_reason(term: &mut Terminal, status: &portable_pty::ExitStatus) -> Option<String> {
    if status.success() {
        return None;
    }
    let text = term.transcript();
    let tail: Vec<&str> = text.lines().rev().take(4).collect();
    let tail: String = tail.into_iter().rev().map(|l| format!("{l}\n")).collect();
    if let Ok(Some(refusal)) = zlogin::parse_refusal(&tail) {
        return Some(describe_refusal(&refusal));
    }
    status
        .signal()
        .map(|signal| format!("ended by signal: {signal}"))
}

/// A refusal in a sentence for the pane.
pub fn describe_refusal(refusal: &Refusal) -> String {
    match refusal {
        Refusal::ConsoleInUse { pid } => format!("console already in use by process ID {pid}"),
        Refusal::NotRunning { zone, state } => {
            format!("zone {zone} is {state}: logins need a running zone")
        }
        Refusal::NotInstalled { state } => {
            format!("the zone is {state}: it has no console before it is installed")
        }
        Refusal::UnknownZone { zone } => format!("there is no zone named {zone}"),
        Refusal::GlobalZone => "not applicable to the global zone".to_string(),
    }
}

#[cfg(test)]
mod tests;

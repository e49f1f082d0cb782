//! One module per host command: typed argv builders and parsers of its machine-readable
//! output, plus readers/writers of the host files zcon uses. Pure: no I/O, no tokio.

pub mod bhyve;
pub mod bhyvectl;
pub mod command;
pub mod dhcpd;
pub mod dladm;
pub mod fields;
pub mod ipadm;
pub mod ipnat;
pub mod kstat;
pub mod prctl;
pub mod rcapadm;
pub mod release;
pub mod routeadm;
pub mod size;
pub mod smf;
pub mod uname;
pub mod zfs;
pub mod zlogin;
pub mod zoneadm;
pub mod zonecfg;
pub mod zoneindex;
pub mod zonename;
pub mod zonexml;
pub mod zpool;

pub use command::Command;

/// A parser's complaint about output it could not read, naming the source and the line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{source_name}: line {line}: {message}")]
pub struct ParseError {
    /// The command or file the text came from, e.g. `zoneadm list -cp`.
    pub source_name: String,
    /// 1-based line number (0 when the problem is not tied to one line).
    pub line: usize,
    pub message: String,
}

impl ParseError {
    pub fn new(source_name: impl Into<String>, line: usize, message: impl Into<String>) -> Self {
        ParseError {
            source_name: source_name.into(),
            line,
            message: message.into(),
        }
    }
}

//! Driving a real terminal program for end-to-end tests, benchmarks and screenshots.
//!
//! A [`Session`] runs a command on a pseudo-terminal of a given size, sends it keys as xterm
//! would, and reads its output through a VT100/xterm emulator (`vt100`), whose screen can be
//! waited on (condition-variable woken, with a timeout) and rendered with [`svg`].
//!
//! ```no_run
//! # fn main() -> anyhow::Result<()> {
//! use std::time::Duration;
//! use zcon::termdrive::{Session, svg};
//!
//! let mut cmd = portable_pty::CommandBuilder::new("zcon");
//! cmd.arg("--demo");
//! let mut s = Session::spawn(cmd, 120, 40)?;
//! s.wait_for("zones", Duration::from_secs(10))?;
//! s.send_key("<Down>")?;
//! std::fs::write("shot.svg", svg(&s.screen(), "zcon --demo"))?;
//! s.send_key("q")?;
//! s.wait_exit(Duration::from_secs(5))?;
//! # Ok(()) }
//! ```
//!
//! The emulator answers the queries crossterm and shells make (cursor position, device status
//! and attributes), as xterm does; other queries go unanswered.

mod keys;
mod palette;
pub(crate) mod replies;
mod session;
mod svg;

pub use keys::{KeyError, encode_key, encode_keys};
pub use palette::{ANSI, DEFAULT_BG, DEFAULT_FG, Rgb, rgb, xterm256};
pub use session::{Session, screen_text};
pub use svg::svg;

//! The operator's terminal: raw mode like zlogin's `set_tty_rawmode` (restored on drop), its
//! control characters and size, and SIGWINCH.

use std::io;
use std::sync::atomic::{AtomicBool, Ordering};

use portable_pty::PtySize;
use rustix::termios::{
    self, InputModes, LocalModes, OptionalActions, OutputModes, SpecialCodeIndex, Termios,
};

use super::escape::ControlChars;

pub fn stdin_is_tty() -> bool {
    termios::isatty(io::stdin())
}

/// The terminal in raw mode; dropping it puts back the settings it had.
pub struct RawMode {
    saved: Termios,
}

impl RawMode {
    /// Raw mode as zlogin sets it: no input translation or flow control, no output
    /// post-processing, no canonical mode, signals, echo or extensions; byte at a time.
    pub fn enter() -> io::Result<RawMode> {
        let stdin = io::stdin();
        let saved = termios::tcgetattr(&stdin)?;
        let mut raw = saved.clone();
        raw.input_modes -= InputModes::ISTRIP
            | InputModes::IXON
            | InputModes::IXANY
            | InputModes::INLCR
            | InputModes::ICRNL
            | InputModes::IGNCR
            | InputModes::IUCLC;
        raw.output_modes -= OutputModes::OPOST;
        raw.local_modes -=
            LocalModes::ICANON | LocalModes::ISIG | LocalModes::ECHO | LocalModes::IEXTEN;
        raw.special_codes[SpecialCodeIndex::VMIN] = 1;
        raw.special_codes[SpecialCodeIndex::VTIME] = 0;
        termios::tcsetattr(&stdin, OptionalActions::Flush, &raw)?;
        Ok(RawMode { saved })
    }

    /// The control characters as they were before raw mode (VMIN overlays VEOF on some
    /// systems, so they are read from the saved settings).
    pub fn control_chars(&self) -> ControlChars {
        let cc = &self.saved.special_codes;
        ControlChars {
            eof: cc[SpecialCodeIndex::VEOF],
            kill: cc[SpecialCodeIndex::VKILL],
            eol: cc[SpecialCodeIndex::VEOL],
            susp: cc[SpecialCodeIndex::VSUSP],
            intr: cc[SpecialCodeIndex::VINTR],
        }
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        let _ = termios::tcsetattr(io::stdin(), OptionalActions::Drain, &self.saved);
    }
}

/// The size of the terminal on stdin, if it is one.
pub fn window_size() -> Option<PtySize> {
    let ws = termios::tcgetwinsize(io::stdin()).ok()?;
    (ws.ws_row > 0 && ws.ws_col > 0).then_some(PtySize {
        rows: ws.ws_row,
        cols: ws.ws_col,
        pixel_width: ws.ws_xpixel,
        pixel_height: ws.ws_ypixel,
    })
}

static WINCH: AtomicBool = AtomicBool::new(false);

extern "C" fn on_winch(_: libc::c_int) {
    WINCH.store(true, Ordering::Relaxed);
}

/// Note SIGWINCH from now on; [`take_winch`] tells whether one arrived.
pub fn watch_winch() {
    // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = on_winch as *const () as usize;
        action.sa_flags = libc::SA_RESTART;
        libc::sigemptyset(&mut action.sa_mask);
        libc::sigaction(libc::SIGWINCH, &action, std::ptr::null_mut());
    }
}

pub fn take_winch() -> bool {
    WINCH.swap(false, Ordering::Relaxed)
}

//! The client side's escape sequence, as zlogin's `process_user_input` handles it: the escape
//! character (default `~`) typed at the beginning of a line is held back; `.` or the
//! terminal's EOF character after it disconnects (echoing e.g. `~.` or `~^D` locally); any
//! other character is sent on and the escape character is dropped, so `~~` sends one `~`.
//! A line begins after CR, NL and the kill, end-of-line, suspend and interrupt characters.

/// The terminal control characters the escape logic looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ControlChars {
    pub eof: u8,
    pub kill: u8,
    pub eol: u8,
    pub susp: u8,
    pub intr: u8,
}

impl Default for ControlChars {
    /// The defaults of a fresh terminal, used when stdin is a pipe.
    fn default() -> Self {
        ControlChars {
            eof: 0x04,
            kill: 0x15,
            eol: 0,
            susp: 0x1a,
            intr: 0x03,
        }
    }
}

#[derive(Debug, Clone)]
pub struct EscapeFilter {
    /// None with `-E`.
    cmdchar: Option<u8>,
    chars: ControlChars,
    beginning_of_line: bool,
    escape_pending: bool,
}

/// What one chunk of input amounts to.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Filtered {
    /// Bytes for the other side.
    pub forward: Vec<u8>,
    /// Set when the chunk asked to disconnect: what to echo locally (e.g. `~.`).
    pub disconnect: Option<Vec<u8>>,
}

impl EscapeFilter {
    pub fn new(cmdchar: Option<u8>, chars: ControlChars) -> Self {
        EscapeFilter {
            cmdchar,
            chars,
            beginning_of_line: true,
            escape_pending: false,
        }
    }

    /// Run a chunk of input through the filter. Input after a disconnect request is dropped.
    pub fn feed(&mut self, input: &[u8]) -> Filtered {
        let mut out = Filtered::default();
        for &c in input {
            if self.beginning_of_line && self.cmdchar.is_some() {
                self.beginning_of_line = false;
                if Some(c) == self.cmdchar {
                    self.escape_pending = true;
                    continue;
                }
            } else if self.escape_pending {
                self.escape_pending = false;
                if c == b'.' || c == self.chars.eof {
                    let mut echo = vec![self.cmdchar.unwrap_or(b'~')];
                    echo.extend(canonify(c));
                    out.disconnect = Some(echo);
                    return out;
                }
            }
            out.forward.push(c);
            let ch = self.chars;
            self.beginning_of_line = c == b'\r'
                || c == b'\n'
                || c == ch.kill
                || c == ch.eol
                || c == ch.susp
                || c == ch.intr;
        }
        out
    }
}

/// A character as zlogin echoes it: itself if printable, `^X` for control characters,
/// else `\ooo`.
fn canonify(c: u8) -> Vec<u8> {
    match c {
        0x20..=0x7e => vec![c],
        0..=31 => vec![b'^', c + b'@'],
        _ => format!("\\{c:03o}").into_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(cmdchar: Option<u8>) -> EscapeFilter {
        EscapeFilter::new(cmdchar, ControlChars::default())
    }

    #[test]
    fn tilde_dot_at_line_start_disconnects() {
        let mut f = filter(Some(b'~'));
        let r = f.feed(b"echo a~.b\n~.rest");
        assert_eq!(r.forward, b"echo a~.b\n");
        assert_eq!(r.disconnect.as_deref(), Some(&b"~."[..]));
        // At the very start too, and split across reads.
        let mut f = filter(Some(b'~'));
        assert_eq!(f.feed(b"~"), Filtered::default());
        assert_eq!(f.feed(b"\x04").disconnect.as_deref(), Some(&b"~^D"[..]));
    }

    #[test]
    fn escape_char_is_dropped_before_other_chars() {
        let mut f = filter(Some(b'~'));
        assert_eq!(f.feed(b"~~x\r~y\x03~.").forward, b"~x\ry\x03");
        let mut f = filter(Some(b'~'));
        let r = f.feed(b"ls\x15~.");
        assert_eq!(r.forward, b"ls\x15");
        assert!(r.disconnect.is_some(), "^U starts a line");
    }

    #[test]
    fn custom_and_disabled_escape() {
        let mut f = filter(Some(b'#'));
        let r = f.feed(b"~.\n#.");
        assert_eq!(r.forward, b"~.\n");
        assert_eq!(r.disconnect.as_deref(), Some(&b"#."[..]));
        let mut f = filter(None);
        assert_eq!(
            f.feed(b"~.\n~.\n"),
            Filtered {
                forward: b"~.\n~.\n".to_vec(),
                disconnect: None
            }
        );
    }

    #[test]
    fn canonify_matches_zlogin() {
        assert_eq!(canonify(b'.'), b".");
        assert_eq!(canonify(0x04), b"^D");
        assert_eq!(canonify(0x7f), b"\\177");
    }
}

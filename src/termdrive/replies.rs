//! The answers a terminal gives to a program's queries, as xterm gives them: cursor position
//! (crossterm asks for it when ratatui starts), device status and device attributes.

use vt100::{Callbacks, Screen};

/// Collects the replies to queries found in the output; the reader writes them back.
#[derive(Debug, Default)]
pub struct Replies {
    pub pending: Vec<u8>,
}

impl Callbacks for Replies {
    fn unhandled_csi(
        &mut self,
        screen: &mut Screen,
        i1: Option<u8>,
        _i2: Option<u8>,
        params: &[&[u16]],
        c: char,
    ) {
        let first = params.first().and_then(|p| p.first()).copied().unwrap_or(0);
        match (i1, c, first) {
            // DSR 6: cursor position report, 1-based.
            (None, 'n', 6) => {
                let (row, col) = screen.cursor_position();
                self.pending
                    .extend_from_slice(format!("\x1b[{};{}R", row + 1, col + 1).as_bytes());
            }
            // DSR 5: "terminal OK".
            (None, 'n', 5) => self.pending.extend_from_slice(b"\x1b[0n"),
            // Primary device attributes: a VT220 with ANSI colour, like xterm's basic answer.
            (None, 'c', 0) => self.pending.extend_from_slice(b"\x1b[?62;22c"),
            // Secondary device attributes.
            (Some(b'>'), 'c', 0) => self.pending.extend_from_slice(b"\x1b[>0;276;0c"),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_cursor_position_and_attributes() {
        let mut parser = vt100::Parser::new_with_callbacks(24, 80, 0, Replies::default());
        parser.process(b"ab\r\ncd\x1b[6n\x1b[c\x1b[>c\x1b[5n\x1b[2J");
        assert_eq!(
            String::from_utf8_lossy(&parser.callbacks().pending),
            "\x1b[2;3R\x1b[?62;22c\x1b[>0;276;0c\x1b[0n"
        );
    }
}

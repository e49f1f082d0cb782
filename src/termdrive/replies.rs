//! The answers a terminal gives to a program's queries, as xterm (configured as a VT220, its
//! `decTerminalID` default) gives them: cursor position (crossterm asks for it when ratatui
//! starts), device status, device attributes and terminal parameters. The embedded console
//! (`crate::console`) answers through the same functions.

use vt100::{Callbacks, Screen};

/// Primary device attributes: a VT220 with ANSI colour, like xterm's basic answer.
const DA1: &[u8] = b"\x1b[?62;22c";

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
        answer_csi(screen, i1, params, c, &mut self.pending);
    }

    fn unhandled_escape(&mut self, _: &mut Screen, i1: Option<u8>, _i2: Option<u8>, b: u8) {
        answer_escape(i1, b, &mut self.pending);
    }
}

/// Append xterm's reply to the query `CSI i1 params c` to `out`; false when it is no query
/// xterm answers (or no query at all).
pub(crate) fn answer_csi(
    screen: &Screen,
    i1: Option<u8>,
    params: &[&[u16]],
    c: char,
    out: &mut Vec<u8>,
) -> bool {
    let first = params.first().and_then(|p| p.first()).copied().unwrap_or(0);
    let reply: &[u8] = match (i1, c, first) {
        // DSR 6: cursor position report, 1-based (DECXCPR with '?').
        (None | Some(b'?'), 'n', 6) => {
            let (row, col) = screen.cursor_position();
            let mark = if i1.is_some() { "?" } else { "" };
            out.extend_from_slice(format!("\x1b[{mark}{};{}R", row + 1, col + 1).as_bytes());
            return true;
        }
        // DSR 5: "terminal OK".
        (None, 'n', 5) => b"\x1b[0n",
        // DEC-specific status: no printer, user-defined keys unlocked, North American keyboard.
        (Some(b'?'), 'n', 15) => b"\x1b[?13n",
        (Some(b'?'), 'n', 25) => b"\x1b[?20n",
        (Some(b'?'), 'n', 26) => b"\x1b[?27;1;0;0n",
        (None, 'c', 0) => DA1,
        // Secondary device attributes.
        (Some(b'>'), 'c', 0) => b"\x1b[>0;276;0c",
        // DECREQTPARM: unsolicited reports allowed (0) or not (1); no parity, 8 bits, 19200
        // baud both ways, clock multiplier 1, no flags.
        (None, 'x', 0) => b"\x1b[2;1;1;128;128;1;0x",
        (None, 'x', 1) => b"\x1b[3;1;1;128;128;1;0x",
        _ => return false,
    };
    out.extend_from_slice(reply);
    true
}

/// Append xterm's reply to the query `ESC i1 b` (DECID, `ESC Z`, answered as DA1) to `out`.
pub(crate) fn answer_escape(i1: Option<u8>, b: u8, out: &mut Vec<u8>) -> bool {
    if (i1, b) == (None, b'Z') {
        out.extend_from_slice(DA1);
        return true;
    }
    false
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

    #[test]
    fn answers_dec_reports() {
        let mut parser = vt100::Parser::new_with_callbacks(24, 80, 0, Replies::default());
        parser.process(b"\x1b[3;7H\x1b[?6n\x1bZ\x1b[x\x1b[1x\x1b[?15n\x1b[?25n\x1b[?26n");
        assert_eq!(
            String::from_utf8_lossy(&parser.callbacks().pending),
            "\x1b[?3;7R\x1b[?62;22c\x1b[2;1;1;128;128;1;0x\x1b[3;1;1;128;128;1;0x\
             \x1b[?13n\x1b[?20n\x1b[?27;1;0;0n"
        );
        // Sequences that are no queries get no answer.
        parser.callbacks_mut().pending.clear();
        parser.process(b"\x1b[2x\x1b[?99n\x1b[>1c\x1bY");
        assert!(parser.callbacks().pending.is_empty());
    }
}

//! Key names (`"q"`, `"<Enter>"`, `"<C-c>"`, `"<S-Up>"`) to the bytes xterm sends for them.
//!
//! Names are vim-like: a single character stands for itself; anything else is written in
//! angle brackets, optionally with modifiers `C-` (Ctrl), `S-` (Shift) and `M-`/`A-` (Alt).
//! Names are case-insensitive apart from the character of a plain key (`<M-X>` sends ESC X).

use std::fmt;

/// A key name that is not understood, or a modifier that xterm cannot express with the key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyError {
    pub key: String,
    pub reason: &'static str,
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "key {:?}: {}", self.key, self.reason)
    }
}

impl std::error::Error for KeyError {}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    Char(char),
    Enter,
    Esc,
    Tab,
    BackTab,
    Backspace,
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    Insert,
    Delete,
    PageUp,
    PageDown,
    F(u8),
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Mods {
    ctrl: bool,
    shift: bool,
    alt: bool,
}

impl Mods {
    fn any(self) -> bool {
        self.ctrl || self.shift || self.alt
    }

    /// xterm's modifier parameter in `CSI 1 ; m X` and `CSI n ; m ~`.
    fn xterm_param(self) -> u8 {
        1 + u8::from(self.shift) + 2 * u8::from(self.alt) + 4 * u8::from(self.ctrl)
    }
}

/// The bytes xterm sends for `key`. `app_cursor` is the terminal's DECCKM mode (set by
/// programs such as vim or less): unmodified cursor keys, Home and End then use SS3
/// (`ESC O A`) instead of CSI (`ESC [ A`).
pub fn encode_key(key: &str, app_cursor: bool) -> Result<Vec<u8>, KeyError> {
    let err = |reason| KeyError {
        key: key.to_string(),
        reason,
    };
    let mut chars = key.chars();
    let (k, mods) = match (chars.next(), chars.next()) {
        (None, _) => return Err(err("empty key name")),
        (Some(c), None) => (Key::Char(c), Mods::default()),
        _ => {
            let inner = key
                .strip_prefix('<')
                .and_then(|k| k.strip_suffix('>'))
                .ok_or_else(|| err("more than one character: write <Name> or use type_text"))?;
            parse_name(inner).ok_or_else(|| err("unknown key name"))?
        }
    };
    encode(k, mods, app_cursor).ok_or_else(|| err("xterm sends nothing distinct for this"))
}

/// Encode a sequence such as `"ihello<Esc>:wq<Enter>"`: `<…>` is a key name, other characters
/// stand for themselves, `<lt>` is a literal `<`.
pub fn encode_keys(keys: &str, app_cursor: bool) -> Result<Vec<u8>, KeyError> {
    let mut out = Vec::new();
    let mut rest = keys;
    while let Some(c) = rest.chars().next() {
        let len = if c == '<' {
            match rest.find('>') {
                Some(end) => end + 1,
                None => {
                    return Err(KeyError {
                        key: rest.to_string(),
                        reason: "'<' without a closing '>' (write <lt> for a literal '<')",
                    });
                }
            }
        } else {
            c.len_utf8()
        };
        out.extend(encode_key(&rest[..len], app_cursor)?);
        rest = &rest[len..];
    }
    Ok(out)
}

fn parse_name(inner: &str) -> Option<(Key, Mods)> {
    let mut mods = Mods::default();
    let mut name = inner;
    // A modifier prefix is one letter and '-'; "<->" or "<C-->" name the '-' key itself.
    while name.len() > 2 && name.as_bytes()[1] == b'-' {
        match name.as_bytes()[0].to_ascii_lowercase() {
            b'c' => mods.ctrl = true,
            b's' => mods.shift = true,
            b'm' | b'a' => mods.alt = true,
            _ => return None,
        }
        name = &name[2..];
    }
    let mut chars = name.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        return Some((Key::Char(c), mods));
    }
    let key = match name.to_ascii_lowercase().as_str() {
        "enter" | "cr" | "return" => Key::Enter,
        "esc" | "escape" => Key::Esc,
        "tab" => Key::Tab,
        "backtab" => Key::BackTab,
        "backspace" | "bs" => Key::Backspace,
        "space" => Key::Char(' '),
        "lt" => Key::Char('<'),
        "gt" => Key::Char('>'),
        "up" => Key::Up,
        "down" => Key::Down,
        "left" => Key::Left,
        "right" => Key::Right,
        "home" => Key::Home,
        "end" => Key::End,
        "insert" | "ins" => Key::Insert,
        "delete" | "del" => Key::Delete,
        "pageup" | "pgup" => Key::PageUp,
        "pagedown" | "pgdn" => Key::PageDown,
        f => {
            let n: u8 = f.strip_prefix('f')?.parse().ok()?;
            if !(1..=12).contains(&n) {
                return None;
            }
            Key::F(n)
        }
    };
    Some((key, mods))
}

fn encode(key: Key, mods: Mods, app_cursor: bool) -> Option<Vec<u8>> {
    let alt_prefixed = |mut bytes: Vec<u8>| {
        if mods.alt {
            bytes.insert(0, 0x1b);
        }
        bytes
    };
    Some(match key {
        Key::Char(c) => {
            let c = if mods.shift { shifted(c)? } else { c };
            let bytes = if mods.ctrl {
                vec![control_code(c)?]
            } else {
                c.to_string().into_bytes()
            };
            alt_prefixed(bytes)
        }
        Key::Enter => alt_prefixed(vec![b'\r']),
        Key::Esc => alt_prefixed(vec![0x1b]),
        Key::Tab if mods.shift => alt_prefixed(b"\x1b[Z".to_vec()),
        Key::Tab => alt_prefixed(vec![b'\t']),
        Key::BackTab => alt_prefixed(b"\x1b[Z".to_vec()),
        // xterm's default: Backspace sends DEL; Ctrl-Backspace sends BS.
        Key::Backspace => alt_prefixed(vec![if mods.ctrl { 0x08 } else { 0x7f }]),
        Key::Up => cursor(b'A', mods, app_cursor),
        Key::Down => cursor(b'B', mods, app_cursor),
        Key::Right => cursor(b'C', mods, app_cursor),
        Key::Left => cursor(b'D', mods, app_cursor),
        Key::Home => cursor(b'H', mods, app_cursor),
        Key::End => cursor(b'F', mods, app_cursor),
        Key::Insert => tilde(2, mods),
        Key::Delete => tilde(3, mods),
        Key::PageUp => tilde(5, mods),
        Key::PageDown => tilde(6, mods),
        // F1–F4 are SS3 P–S; with modifiers xterm sends CSI 1 ; m P.
        Key::F(n @ 1..=4) => {
            let c = b"PQRS"[usize::from(n - 1)];
            if mods.any() {
                format!("\x1b[1;{}{}", mods.xterm_param(), c as char).into_bytes()
            } else {
                vec![0x1b, b'O', c]
            }
        }
        Key::F(n) => {
            // The gaps (16, 22) are where VT220 had keys xterm lacks.
            const CODES: [u8; 8] = [15, 17, 18, 19, 20, 21, 23, 24];
            tilde(*CODES.get(usize::from(n).checked_sub(5)?)?, mods)
        }
    })
}

fn cursor(c: u8, mods: Mods, app_cursor: bool) -> Vec<u8> {
    if mods.any() {
        format!("\x1b[1;{}{}", mods.xterm_param(), c as char).into_bytes()
    } else if app_cursor {
        vec![0x1b, b'O', c]
    } else {
        vec![0x1b, b'[', c]
    }
}

fn tilde(n: u8, mods: Mods) -> Vec<u8> {
    if mods.any() {
        format!("\x1b[{n};{}~", mods.xterm_param()).into_bytes()
    } else {
        format!("\x1b[{n}~").into_bytes()
    }
}

fn shifted(c: char) -> Option<char> {
    if c.is_ascii_lowercase() {
        Some(c.to_ascii_uppercase())
    } else if c.is_ascii_uppercase() || c == ' ' {
        Some(c)
    } else {
        // Shift of a punctuation key depends on the keyboard layout: name the result instead.
        None
    }
}

/// The C0 code Ctrl+`c` produces (Ctrl-A = 1 … Ctrl-Z = 26, Ctrl-] = 29, Ctrl-Space = NUL).
fn control_code(c: char) -> Option<u8> {
    let b = u8::try_from(c).ok()?;
    match b.to_ascii_uppercase() {
        b' ' | b'2' => Some(0),
        b @ b'@'..=b'_' => Some(b - b'@'),
        b'?' | b'8' => Some(0x7f),
        b @ b'3'..=b'7' => Some(b - b'3' + 0x1b),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(key: &str) -> Vec<u8> {
        encode_key(key, false).unwrap()
    }

    #[test]
    fn plain_characters_are_themselves() {
        assert_eq!(k("q"), b"q");
        assert_eq!(k("<"), b"<");
        assert_eq!(k("é"), "é".as_bytes());
        assert_eq!(k("<Space>"), b" ");
        assert_eq!(k("<lt>"), b"<");
    }

    #[test]
    fn editing_keys() {
        assert_eq!(k("<Enter>"), b"\r");
        assert_eq!(k("<CR>"), b"\r");
        assert_eq!(k("<Esc>"), b"\x1b");
        assert_eq!(k("<Tab>"), b"\t");
        assert_eq!(k("<BackTab>"), b"\x1b[Z");
        assert_eq!(k("<S-Tab>"), b"\x1b[Z");
        assert_eq!(k("<Backspace>"), b"\x7f");
        assert_eq!(k("<C-Backspace>"), b"\x08");
        assert_eq!(k("<Insert>"), b"\x1b[2~");
        assert_eq!(k("<Del>"), b"\x1b[3~");
    }

    #[test]
    fn cursor_keys_follow_decckm() {
        assert_eq!(k("<Up>"), b"\x1b[A");
        assert_eq!(k("<Down>"), b"\x1b[B");
        assert_eq!(k("<Right>"), b"\x1b[C");
        assert_eq!(k("<Left>"), b"\x1b[D");
        assert_eq!(k("<Home>"), b"\x1b[H");
        assert_eq!(k("<End>"), b"\x1b[F");
        assert_eq!(encode_key("<Up>", true).unwrap(), b"\x1bOA");
        assert_eq!(encode_key("<End>", true).unwrap(), b"\x1bOF");
        // Modified cursor keys are CSI whatever the mode.
        assert_eq!(encode_key("<S-Up>", true).unwrap(), b"\x1b[1;2A");
        assert_eq!(k("<C-Left>"), b"\x1b[1;5D");
        assert_eq!(k("<M-Right>"), b"\x1b[1;3C");
        assert_eq!(k("<C-S-Home>"), b"\x1b[1;6H");
    }

    #[test]
    fn paging_and_function_keys() {
        assert_eq!(k("<PageUp>"), b"\x1b[5~");
        assert_eq!(k("<PageDown>"), b"\x1b[6~");
        assert_eq!(k("<C-PageDown>"), b"\x1b[6;5~");
        assert_eq!(k("<F1>"), b"\x1bOP");
        assert_eq!(k("<F4>"), b"\x1bOS");
        assert_eq!(k("<S-F1>"), b"\x1b[1;2P");
        assert_eq!(k("<F5>"), b"\x1b[15~");
        assert_eq!(k("<F6>"), b"\x1b[17~");
        assert_eq!(k("<F10>"), b"\x1b[21~");
        assert_eq!(k("<F11>"), b"\x1b[23~");
        assert_eq!(k("<F12>"), b"\x1b[24~");
        assert_eq!(k("<S-F12>"), b"\x1b[24;2~");
    }

    #[test]
    fn control_and_alt() {
        assert_eq!(k("<C-c>"), b"\x03");
        assert_eq!(k("<C-C>"), b"\x03");
        assert_eq!(k("<c-a>"), b"\x01");
        assert_eq!(k("<C-]>"), b"\x1d");
        assert_eq!(k("<C-[>"), b"\x1b");
        assert_eq!(k("<C-Space>"), b"\x00");
        assert_eq!(k("<C-?>"), b"\x7f");
        assert_eq!(k("<M-x>"), b"\x1bx");
        assert_eq!(k("<A-X>"), b"\x1bX");
        assert_eq!(k("<M-C-c>"), b"\x1b\x03");
        assert_eq!(k("<S-a>"), b"A");
        assert_eq!(k("<M-Enter>"), b"\x1b\r");
        assert_eq!(k("<->"), b"-");
        assert!(encode_key("<C-->", false).is_err());
    }

    #[test]
    fn bad_names_are_errors() {
        for bad in [
            "", "abc", "<Nope>", "<F13>", "<F0>", "<C-é>", "<S-1>", "<X-a>", "<Up",
        ] {
            assert!(encode_key(bad, false).is_err(), "{bad:?} should be refused");
        }
        let e = encode_key("<Nope>", false).unwrap_err();
        assert_eq!(e.to_string(), "key \"<Nope>\": unknown key name");
    }

    #[test]
    fn sequences() {
        assert_eq!(
            encode_keys("ihi<Esc>:wq<Enter>", false).unwrap(),
            b"ihi\x1b:wq\r"
        );
        assert_eq!(encode_keys("a<lt>b", false).unwrap(), b"a<b");
        assert_eq!(encode_keys("<Up><Up>", true).unwrap(), b"\x1bOA\x1bOA");
        assert!(encode_keys("a<b", false).is_err());
        assert!(encode_keys("<Bogus>", false).is_err());
        assert_eq!(encode_keys("", false).unwrap(), b"");
    }
}

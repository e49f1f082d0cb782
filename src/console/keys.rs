//! crossterm key events to the bytes xterm sends for them (xterm's defaults: `metaSendsEscape`,
//! Backspace as DEL, no `modifyOtherKeys`), as `infocmp xterm-256color` and ctlseqs describe.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// The bytes xterm sends for `key`, or None for keys that send nothing (releases, lone
/// modifiers, media keys). `app_cursor` is DECCKM: unmodified cursor keys, Home and End then
/// use SS3 (`ESC O A`) instead of CSI (`ESC [ A`).
pub fn encode_key(key: KeyEvent, app_cursor: bool) -> Option<Vec<u8>> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    let m = key.modifiers;
    let ctrl = m.contains(KeyModifiers::CONTROL);
    let alt = m.intersects(KeyModifiers::ALT | KeyModifiers::META);
    let shift = m.contains(KeyModifiers::SHIFT);
    // xterm's modifier parameter in `CSI 1 ; m X` and `CSI n ; m ~`.
    let param = 1 + u8::from(shift) + 2 * u8::from(alt) + 4 * u8::from(ctrl);
    let esc_if_alt = |mut bytes: Vec<u8>| {
        if alt {
            bytes.insert(0, 0x1b);
        }
        bytes
    };
    Some(match key.code {
        KeyCode::Char(c) => {
            // crossterm reports the shifted character itself ('A', '!'); a few terminals
            // report a lower-case letter with SHIFT instead.
            let c = if shift { c.to_ascii_uppercase() } else { c };
            let bytes = match control_code(c) {
                Some(code) if ctrl => vec![code],
                // Ctrl with a key that has no control code (Ctrl-1, Ctrl-é): xterm sends the
                // key itself.
                _ => c.to_string().into_bytes(),
            };
            esc_if_alt(bytes)
        }
        KeyCode::Null => esc_if_alt(vec![0]),
        KeyCode::Enter => esc_if_alt(vec![b'\r']),
        KeyCode::Esc => esc_if_alt(vec![0x1b]),
        KeyCode::Tab if shift => esc_if_alt(b"\x1b[Z".to_vec()),
        KeyCode::Tab => esc_if_alt(vec![b'\t']),
        KeyCode::BackTab => esc_if_alt(b"\x1b[Z".to_vec()),
        // Backspace sends DEL; Ctrl-Backspace sends BS.
        KeyCode::Backspace => esc_if_alt(vec![if ctrl { 0x08 } else { 0x7f }]),
        KeyCode::Up => cursor(b'A', param, app_cursor),
        KeyCode::Down => cursor(b'B', param, app_cursor),
        KeyCode::Right => cursor(b'C', param, app_cursor),
        KeyCode::Left => cursor(b'D', param, app_cursor),
        KeyCode::Home => cursor(b'H', param, app_cursor),
        KeyCode::End => cursor(b'F', param, app_cursor),
        KeyCode::Insert => tilde(2, param),
        KeyCode::Delete => tilde(3, param),
        KeyCode::PageUp => tilde(5, param),
        KeyCode::PageDown => tilde(6, param),
        // Some terminals report Shift-F1 … Shift-F12 as F13 … F24; xterm sends the same for both.
        KeyCode::F(n @ 13..=24) => function(n - 12, param + u8::from(!shift)),
        KeyCode::F(n) => function(n, param),
        _ => return None,
    })
}

fn function(n: u8, param: u8) -> Vec<u8> {
    match n {
        // F1–F4 are SS3 P–S; modified, CSI 1 ; m P.
        1..=4 => {
            let c = char::from(b"PQRS"[usize::from(n - 1)]);
            if param > 1 {
                format!("\x1b[1;{param}{c}").into_bytes()
            } else {
                format!("\x1bO{c}").into_bytes()
            }
        }
        // The gaps (16, 22) are where the VT220 had keys xterm lacks.
        5..=12 => {
            const CODES: [u8; 8] = [15, 17, 18, 19, 20, 21, 23, 24];
            tilde(CODES[usize::from(n - 5)], param)
        }
        _ => Vec::new(),
    }
}

fn cursor(c: u8, param: u8, app_cursor: bool) -> Vec<u8> {
    let c = char::from(c);
    if param > 1 {
        format!("\x1b[1;{param}{c}").into_bytes()
    } else if app_cursor {
        format!("\x1bO{c}").into_bytes()
    } else {
        format!("\x1b[{c}").into_bytes()
    }
}

fn tilde(n: u8, param: u8) -> Vec<u8> {
    if param > 1 {
        format!("\x1b[{n};{param}~").into_bytes()
    } else {
        format!("\x1b[{n}~").into_bytes()
    }
}

/// The C0 code Ctrl+`c` sends. Besides the letters and `@[\]^_`, the VT220 layout xterm
/// follows puts NUL on Ctrl-Space and Ctrl-2, ESC … US on Ctrl-3 … Ctrl-7 (terminals report
/// Ctrl-] as Ctrl-5 and Ctrl-\ as Ctrl-4 through this), DEL on Ctrl-8 and Ctrl-?, US on Ctrl-/.
fn control_code(c: char) -> Option<u8> {
    let b = u8::try_from(c).ok()?;
    match b.to_ascii_uppercase() {
        b' ' | b'2' => Some(0),
        b @ b'@'..=b'_' => Some(b - b'@'),
        b @ b'3'..=b'7' => Some(b - b'3' + 0x1b),
        b'8' | b'?' => Some(0x7f),
        b'/' => Some(0x1f),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use KeyCode::*;

    const NONE: KeyModifiers = KeyModifiers::NONE;
    const C: KeyModifiers = KeyModifiers::CONTROL;
    const S: KeyModifiers = KeyModifiers::SHIFT;
    const A: KeyModifiers = KeyModifiers::ALT;

    fn enc(code: KeyCode, mods: KeyModifiers) -> Vec<u8> {
        encode_key(KeyEvent::new(code, mods), false).unwrap_or_else(|| panic!("{code:?} sends"))
    }

    fn check(table: &[(KeyCode, KeyModifiers, &[u8])]) {
        for &(code, mods, want) in table {
            assert_eq!(
                enc(code, mods).escape_ascii().to_string(),
                want.escape_ascii().to_string(),
                "{mods:?} {code:?}"
            );
        }
    }

    #[test]
    fn printable_and_editing_keys() {
        check(&[
            (Char('q'), NONE, b"q"),
            (Char('Q'), S, b"Q"),
            (Char('q'), S, b"Q"),
            (Char('!'), S, b"!"),
            (Char('é'), NONE, "é".as_bytes()),
            (Char('€'), NONE, "€".as_bytes()),
            (Char(' '), NONE, b" "),
            (Enter, NONE, b"\r"),
            (Tab, NONE, b"\t"),
            (Tab, S, b"\x1b[Z"),
            (BackTab, S, b"\x1b[Z"),
            (Backspace, NONE, b"\x7f"),
            (Backspace, C, b"\x08"),
            (Esc, NONE, b"\x1b"),
            (Insert, NONE, b"\x1b[2~"),
            (Delete, NONE, b"\x1b[3~"),
            (PageUp, NONE, b"\x1b[5~"),
            (PageDown, NONE, b"\x1b[6~"),
            (PageUp, S, b"\x1b[5;2~"),
            (PageDown, C, b"\x1b[6;5~"),
            (Delete, A, b"\x1b[3;3~"),
        ]);
    }

    #[test]
    fn cursor_keys_follow_decckm_unless_modified() {
        check(&[
            (Up, NONE, b"\x1b[A"),
            (Down, NONE, b"\x1b[B"),
            (Right, NONE, b"\x1b[C"),
            (Left, NONE, b"\x1b[D"),
            (Home, NONE, b"\x1b[H"),
            (End, NONE, b"\x1b[F"),
            (Up, S, b"\x1b[1;2A"),
            (Left, A, b"\x1b[1;3D"),
            (Right, C, b"\x1b[1;5C"),
            (Home, C | S, b"\x1b[1;6H"),
            (End, C | A | S, b"\x1b[1;8F"),
        ]);
        let app = |code, mods| encode_key(KeyEvent::new(code, mods), true).unwrap();
        assert_eq!(app(Up, NONE), b"\x1bOA");
        assert_eq!(app(Down, NONE), b"\x1bOB");
        assert_eq!(app(Right, NONE), b"\x1bOC");
        assert_eq!(app(Left, NONE), b"\x1bOD");
        assert_eq!(app(Home, NONE), b"\x1bOH");
        assert_eq!(app(End, NONE), b"\x1bOF");
        assert_eq!(app(Up, C), b"\x1b[1;5A");
        // Application cursor mode does not touch the editing keypad.
        assert_eq!(app(PageUp, NONE), b"\x1b[5~");
    }

    #[test]
    fn function_keys() {
        check(&[
            (F(1), NONE, b"\x1bOP"),
            (F(2), NONE, b"\x1bOQ"),
            (F(3), NONE, b"\x1bOR"),
            (F(4), NONE, b"\x1bOS"),
            (F(1), S, b"\x1b[1;2P"),
            (F(4), C, b"\x1b[1;5S"),
            (F(5), NONE, b"\x1b[15~"),
            (F(6), NONE, b"\x1b[17~"),
            (F(7), NONE, b"\x1b[18~"),
            (F(8), NONE, b"\x1b[19~"),
            (F(9), NONE, b"\x1b[20~"),
            (F(10), NONE, b"\x1b[21~"),
            (F(11), NONE, b"\x1b[23~"),
            (F(12), NONE, b"\x1b[24~"),
            (F(5), S, b"\x1b[15;2~"),
            (F(12), C | S, b"\x1b[24;6~"),
            (F(13), NONE, b"\x1b[1;2P"),
            (F(24), NONE, b"\x1b[24;2~"),
            (F(17), C, b"\x1b[15;6~"),
        ]);
        assert_eq!(encode_key(KeyEvent::new(F(25), NONE), false), Some(vec![]));
    }

    #[test]
    fn control_characters() {
        let mut table: Vec<(KeyCode, KeyModifiers, &[u8])> = vec![
            (Char(' '), C, b"\x00"),
            (Char('@'), C, b"\x00"),
            (Char('2'), C, b"\x00"),
            (Null, NONE, b"\x00"),
            (Char('['), C, b"\x1b"),
            (Char('\\'), C, b"\x1c"),
            (Char(']'), C, b"\x1d"),
            (Char('^'), C, b"\x1e"),
            (Char('_'), C, b"\x1f"),
            (Char('/'), C, b"\x1f"),
            // crossterm's names for the same keys on many terminals.
            (Char('3'), C, b"\x1b"),
            (Char('4'), C, b"\x1c"),
            (Char('5'), C, b"\x1d"),
            (Char('6'), C, b"\x1e"),
            (Char('7'), C, b"\x1f"),
            (Char('8'), C, b"\x7f"),
            (Char('?'), C, b"\x7f"),
            (Char('1'), C, b"1"),
            (Char('A'), C | S, b"\x01"),
        ];
        let letters: Vec<(char, [u8; 1])> = ('a'..='z').zip(1u8..).map(|(c, b)| (c, [b])).collect();
        for (c, b) in &letters {
            table.push((Char(*c), C, b));
        }
        check(&table);
        assert_eq!(letters.last().unwrap().1, [0x1a]);
    }

    #[test]
    fn alt_prefixes_escape() {
        check(&[
            (Char('x'), A, b"\x1bx"),
            (Char('X'), A | S, b"\x1bX"),
            (Char('c'), A | C, b"\x1b\x03"),
            (Enter, A, b"\x1b\r"),
            (Backspace, A, b"\x1b\x7f"),
            (Esc, A, b"\x1b\x1b"),
            (Char('x'), KeyModifiers::META, b"\x1bx"),
        ]);
    }

    #[test]
    fn releases_and_modifier_keys_send_nothing() {
        let mut release = KeyEvent::new(Char('a'), NONE);
        release.kind = KeyEventKind::Release;
        assert_eq!(encode_key(release, false), None);
        let mut repeat = KeyEvent::new(Char('a'), NONE);
        repeat.kind = KeyEventKind::Repeat;
        assert_eq!(encode_key(repeat, false), Some(b"a".to_vec()));
        assert_eq!(encode_key(KeyEvent::new(CapsLock, NONE), false), None);
    }

    /// The app's encoder and the test driver's (key names) must send the same bytes.
    #[test]
    fn agrees_with_the_test_driver() {
        let cases: &[(KeyCode, KeyModifiers, &str)] = &[
            (Char('a'), C, "<C-a>"),
            (Char(']'), C, "<C-]>"),
            (Char('x'), A, "<M-x>"),
            (Char('c'), A | C, "<M-C-c>"),
            (Up, NONE, "<Up>"),
            (Left, C, "<C-Left>"),
            (Home, C | S, "<C-S-Home>"),
            (PageDown, C, "<C-PageDown>"),
            (F(1), S, "<S-F1>"),
            (F(11), NONE, "<F11>"),
            (F(12), S, "<S-F12>"),
            (Backspace, C, "<C-Backspace>"),
            (BackTab, S, "<BackTab>"),
            (Enter, A, "<M-Enter>"),
        ];
        for app_cursor in [false, true] {
            for &(code, mods, name) in cases {
                assert_eq!(
                    encode_key(KeyEvent::new(code, mods), app_cursor),
                    Some(crate::termdrive::encode_key(name, app_cursor).unwrap()),
                    "{name} (app cursor {app_cursor})"
                );
            }
        }
    }
}

//! Keys as the keymap files spell them: `g`, `G`, `?`, `<Enter>`, `<C-c>`, `<S-PageUp>`, `<F5>`.

use std::fmt;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    /// Only CONTROL, ALT and SHIFT; SHIFT is never set for a character key (`G` is the key).
    pub mods: KeyModifiers,
}

const NAMED: &[(&str, KeyCode)] = &[
    ("Enter", KeyCode::Enter),
    ("Esc", KeyCode::Esc),
    ("Tab", KeyCode::Tab),
    ("BackTab", KeyCode::BackTab),
    ("Backspace", KeyCode::Backspace),
    ("Space", KeyCode::Char(' ')),
    ("Up", KeyCode::Up),
    ("Down", KeyCode::Down),
    ("Left", KeyCode::Left),
    ("Right", KeyCode::Right),
    ("PageUp", KeyCode::PageUp),
    ("PageDown", KeyCode::PageDown),
    ("Home", KeyCode::Home),
    ("End", KeyCode::End),
    ("Insert", KeyCode::Insert),
    ("Delete", KeyCode::Delete),
    ("Lt", KeyCode::Char('<')),
];

impl Key {
    pub const fn plain(code: KeyCode) -> Key {
        Key {
            code,
            mods: KeyModifiers::NONE,
        }
    }

    pub const fn ch(c: char) -> Key {
        Key::plain(KeyCode::Char(c))
    }

    pub const fn ctrl(c: char) -> Key {
        Key {
            code: KeyCode::Char(c),
            mods: KeyModifiers::CONTROL,
        }
    }

    /// The key of a terminal event, normalised so it compares equal to the parsed spelling.
    pub fn from_event(event: &KeyEvent) -> Key {
        let mut mods =
            event.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match event.code {
            KeyCode::Char(c) => {
                mods.remove(KeyModifiers::SHIFT);
                // Many terminals send Ctrl-] as the byte crossterm reports as Ctrl-5.
                if c == '5' && mods.contains(KeyModifiers::CONTROL) {
                    KeyCode::Char(']')
                } else if mods.contains(KeyModifiers::CONTROL) {
                    KeyCode::Char(c.to_ascii_lowercase())
                } else {
                    KeyCode::Char(c)
                }
            }
            KeyCode::BackTab => {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            other => other,
        };
        Key { code, mods }
    }

    pub fn parse(text: &str) -> Result<Key, String> {
        let mut chars = text.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) if c != '<' && !c.is_control() => return Ok(Key::ch(c)),
            (Some('<'), Some(_)) if text.ends_with('>') => {}
            _ => {
                return Err(format!(
                    "unknown key {text:?}: write one character, or a name in angle brackets such as <Enter> or <C-c>"
                ));
            }
        }
        let inner = &text[1..text.len() - 1];
        let mut mods = KeyModifiers::NONE;
        let mut rest = inner;
        while let Some((prefix, tail)) = rest.split_once('-').filter(|(_, t)| !t.is_empty()) {
            let m = match prefix {
                "C" => KeyModifiers::CONTROL,
                "A" => KeyModifiers::ALT,
                "S" => KeyModifiers::SHIFT,
                _ => break,
            };
            mods |= m;
            rest = tail;
        }
        let code = if let Some((_, code)) = NAMED.iter().find(|(n, _)| *n == rest) {
            *code
        } else if let Some(n) = rest.strip_prefix('F').and_then(|n| n.parse::<u8>().ok()) {
            if !(1..=12).contains(&n) {
                return Err(format!(
                    "unknown key {text:?}: function keys are <F1> to <F12>"
                ));
            }
            KeyCode::F(n)
        } else {
            let mut cs = rest.chars();
            match (cs.next(), cs.next()) {
                (Some(c), None) => KeyCode::Char(c),
                _ => return Err(format!("unknown key {text:?}")),
            }
        };
        if let KeyCode::Char(c) = code {
            if mods.contains(KeyModifiers::SHIFT) {
                return Err(format!(
                    "unknown key {text:?}: write the shifted character itself (e.g. G, not <S-g>)"
                ));
            }
            if mods.contains(KeyModifiers::CONTROL) && c.is_ascii_uppercase() {
                return Ok(Key {
                    code: KeyCode::Char(c.to_ascii_lowercase()),
                    mods,
                });
            }
        }
        Ok(Key { code, mods })
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = NAMED.iter().find(|(_, c)| *c == self.code).map(|(n, _)| *n);
        let plain_char = match self.code {
            KeyCode::Char(c) if name.is_none() => Some(c),
            _ => None,
        };
        if self.mods.is_empty()
            && let Some(c) = plain_char
        {
            return write!(f, "{c}");
        }
        f.write_str("<")?;
        for (m, p) in [
            (KeyModifiers::CONTROL, "C-"),
            (KeyModifiers::ALT, "A-"),
            (KeyModifiers::SHIFT, "S-"),
        ] {
            if self.mods.contains(m) {
                f.write_str(p)?;
            }
        }
        match (name, self.code) {
            (Some(n), _) => f.write_str(n)?,
            (None, KeyCode::F(n)) => write!(f, "F{n}")?,
            (None, KeyCode::Char(c)) => write!(f, "{c}")?,
            (None, other) => write!(f, "{other:?}")?,
        }
        f.write_str(">")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyEventKind;

    #[test]
    fn spellings_round_trip() {
        for s in [
            "g",
            "G",
            "?",
            "<Enter>",
            "<C-c>",
            "<S-PageUp>",
            "<F5>",
            "<A-x>",
            "<C-]>",
            "<Space>",
            "<Lt>",
            "<BackTab>",
        ] {
            assert_eq!(Key::parse(s).unwrap().to_string(), s, "{s}");
        }
    }

    #[test]
    fn bad_spellings_are_refused() {
        for s in ["", "gg", "<Foo>", "<F13>", "<S-g>", "<Enter"] {
            assert!(Key::parse(s).is_err(), "{s}");
        }
    }

    #[test]
    fn events_normalise_to_spellings() {
        let ev = |code, mods| KeyEvent::new_with_kind(code, mods, KeyEventKind::Press);
        assert_eq!(
            Key::from_event(&ev(KeyCode::Char('G'), KeyModifiers::SHIFT)),
            Key::parse("G").unwrap()
        );
        assert_eq!(
            Key::from_event(&ev(KeyCode::Char('5'), KeyModifiers::CONTROL)),
            Key::parse("<C-]>").unwrap()
        );
        assert_eq!(
            Key::from_event(&ev(KeyCode::Char(']'), KeyModifiers::CONTROL)),
            Key::parse("<C-]>").unwrap()
        );
        assert_eq!(
            Key::from_event(&ev(KeyCode::BackTab, KeyModifiers::SHIFT)),
            Key::parse("<BackTab>").unwrap()
        );
        assert_eq!(
            Key::from_event(&ev(KeyCode::PageUp, KeyModifiers::SHIFT)),
            Key::parse("<S-PageUp>").unwrap()
        );
    }
}

//! A one-line text input on `ratatui-textarea`, optionally masked (a password).

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::style::Style;
use ratatui_textarea::TextArea;

/// What a masked input shows for each character.
pub const MASK: char = '•';

#[derive(Debug, Clone)]
pub struct TextInput {
    /// Boxed: a text area is large, and forms hold many inputs.
    area: Box<TextArea<'static>>,
    secret: bool,
}

impl Default for TextInput {
    fn default() -> Self {
        TextInput::new("")
    }
}

impl PartialEq for TextInput {
    fn eq(&self, other: &Self) -> bool {
        self.secret == other.secret && self.area.lines() == other.area.lines()
    }
}

impl TextInput {
    pub fn new(value: &str) -> TextInput {
        let mut input = TextInput {
            area: Box::default(),
            secret: false,
        };
        input.set(value);
        input
    }

    /// A masked input: the value is never drawn.
    pub fn secret(value: &str) -> TextInput {
        let mut input = TextInput::new(value);
        input.secret = true;
        input.area.set_mask_char(MASK);
        input
    }

    pub fn is_secret(&self) -> bool {
        self.secret
    }

    /// The value. A pasted line break is kept (as `\n`), so the caller's validator can say
    /// what is wrong with it instead of the input silently joining lines.
    pub fn text(&self) -> String {
        self.area.lines().join("\n")
    }

    /// Replace the value; the cursor goes to its end.
    pub fn set(&mut self, value: &str) {
        let lines: Vec<String> = value.split('\n').map(str::to_string).collect();
        let mut area = TextArea::new(lines);
        if self.secret {
            area.set_mask_char(MASK);
        }
        area.set_cursor_line_style(Style::new());
        area.move_cursor(ratatui_textarea::CursorMove::Bottom);
        area.move_cursor(ratatui_textarea::CursorMove::End);
        *self.area = area;
    }

    /// Edit with a key; true when the value changed. Keys that would break the line
    /// (Enter, Ctrl-M) or insert a tab are not taken: a form binds them to moving on.
    pub fn input(&mut self, key: &KeyEvent) -> bool {
        if key.kind == KeyEventKind::Release {
            return false;
        }
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Enter | KeyCode::Tab | KeyCode::BackTab | KeyCode::Esc => false,
            KeyCode::Char('m' | 'j') if ctrl => false,
            KeyCode::Char('\n' | '\r') => false,
            _ => self.area.input(*key),
        }
    }

    /// Insert text at the cursor, as typed (line breaks included).
    pub fn paste(&mut self, text: &str) -> bool {
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        self.area.insert_str(text)
    }

    /// The cursor's column on its line, in characters.
    pub fn cursor(&self) -> (usize, usize) {
        let c = self.area.cursor();
        (c.0, c.1)
    }

    /// How the value is shown when not being edited: masked, and a line break as `⏎`.
    pub fn display(&self) -> String {
        let text = self.text();
        if self.secret {
            return text.chars().map(|_| MASK).collect();
        }
        text.replace('\n', "⏎")
    }

    /// The editor to draw for the focused field, styled.
    pub fn editor(&self, style: Style, cursor: Style) -> TextArea<'static> {
        let mut area = (*self.area).clone();
        area.set_style(style);
        area.set_cursor_style(cursor);
        area.set_cursor_line_style(Style::new());
        area
    }
}

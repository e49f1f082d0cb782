//! Keyboard forms: text and secret inputs, choices, toggles, buttons and the headings of
//! list-section items, with focus, visibility and each field's error. A form knows nothing
//! of what it edits: its owner validates values and sets the errors shown under fields.

mod choice;
mod list;
mod text;

pub use choice::{Choice, Opt};
pub use text::{MASK, TextInput};

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[derive(Debug, Clone, PartialEq)]
pub enum Widget {
    Text(TextInput),
    Choice(Choice),
    Toggle(bool),
    /// Pressed with Enter or Space; its key says what it does.
    Button,
    /// The title of a list item (not focusable).
    Heading,
    /// A line of text (not focusable).
    Note,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Identifies the field: `ram`, `nics.0.mac` (a list item's fields start with the
    /// section and the item's index).
    pub key: String,
    pub label: String,
    pub widget: Widget,
    /// What is wrong with the value, shown under the field.
    pub error: Option<String>,
    /// Dim text after the value: the default, a unit, what the field is for.
    pub note: String,
    pub hidden: bool,
    /// Shown but not editable (a zone's name when editing it).
    pub read_only: bool,
    /// The operator changed the value: a default derived from other fields stops following.
    pub touched: bool,
}

impl Field {
    fn new(key: &str, label: &str, widget: Widget) -> Field {
        Field {
            key: key.to_string(),
            label: label.to_string(),
            widget,
            error: None,
            note: String::new(),
            hidden: false,
            read_only: false,
            touched: false,
        }
    }

    pub fn text(key: &str, label: &str, value: &str) -> Field {
        Field::new(key, label, Widget::Text(TextInput::new(value)))
    }

    pub fn secret(key: &str, label: &str, value: &str) -> Field {
        Field::new(key, label, Widget::Text(TextInput::secret(value)))
    }

    pub fn choice(key: &str, label: &str, options: Vec<Opt>) -> Field {
        Field::new(key, label, Widget::Choice(Choice::new(options)))
    }

    pub fn toggle(key: &str, label: &str, on: bool) -> Field {
        Field::new(key, label, Widget::Toggle(on))
    }

    pub fn button(key: &str, label: &str) -> Field {
        Field::new(key, label, Widget::Button)
    }

    pub fn heading(key: &str, label: &str) -> Field {
        Field::new(key, label, Widget::Heading)
    }

    pub fn note_line(key: &str, text: &str) -> Field {
        Field::new(key, text, Widget::Note)
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Field {
        self.note = note.into();
        self
    }

    pub fn focusable(&self) -> bool {
        !self.hidden && !self.read_only && !matches!(self.widget, Widget::Heading | Widget::Note)
    }

    pub fn is_text(&self) -> bool {
        matches!(self.widget, Widget::Text(_))
    }

    /// The value as text: a text's contents, a choice's value, `on`/`off` for a toggle.
    pub fn value(&self) -> String {
        match &self.widget {
            Widget::Text(t) => t.text(),
            Widget::Choice(c) => c.value().to_string(),
            Widget::Toggle(on) => if *on { "on" } else { "off" }.to_string(),
            Widget::Button | Widget::Heading | Widget::Note => String::new(),
        }
    }
}

/// Fields in order, one of them focused.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Form {
    pub fields: Vec<Field>,
    pub focus: usize,
    /// Show the errors of empty fields not yet typed in too (after an attempt to go on).
    pub show_errors: bool,
}

impl Form {
    pub fn new(fields: Vec<Field>) -> Form {
        let mut form = Form {
            fields,
            focus: 0,
            show_errors: false,
        };
        form.fix_focus();
        form
    }

    pub fn focused(&self) -> Option<&Field> {
        self.fields.get(self.focus).filter(|f| f.focusable())
    }

    pub fn focused_mut(&mut self) -> Option<&mut Field> {
        self.fields.get_mut(self.focus).filter(|f| f.focusable())
    }

    pub fn focused_key(&self) -> Option<&str> {
        self.focused().map(|f| f.key.as_str())
    }

    /// Move the focus to the next (or previous) focusable field, wrapping around; false
    /// when no other field can take it.
    pub fn move_focus(&mut self, forward: bool) -> bool {
        let n = self.fields.len();
        for step in 1..n {
            let i = if forward {
                (self.focus + step) % n
            } else {
                (self.focus + n - step) % n
            };
            if self.fields[i].focusable() {
                self.focus = i;
                return true;
            }
        }
        false
    }

    /// Keep the focus on a field that can take it (after fields were hidden or removed).
    pub fn fix_focus(&mut self) {
        if self.fields.get(self.focus).is_some_and(Field::focusable) {
            return;
        }
        self.focus = self.focus.min(self.fields.len().saturating_sub(1));
        let after = (self.focus..self.fields.len()).find(|&i| self.fields[i].focusable());
        let before = (0..self.focus).rev().find(|&i| self.fields[i].focusable());
        if let Some(i) = after.or(before) {
            self.focus = i;
        }
    }

    pub fn focus_key(&mut self, key: &str) -> bool {
        match self.position(key) {
            Some(i) if self.fields[i].focusable() => {
                self.focus = i;
                true
            }
            _ => false,
        }
    }

    pub fn position(&self, key: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.key == key)
    }

    pub fn get(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.key == key)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Field> {
        self.fields.iter_mut().find(|f| f.key == key)
    }

    /// A text field's value (empty when there is no such field).
    pub fn text(&self, key: &str) -> String {
        match self.get(key).map(|f| &f.widget) {
            Some(Widget::Text(t)) => t.text(),
            _ => String::new(),
        }
    }

    /// A choice's selected value (empty when there is no such field).
    pub fn choice(&self, key: &str) -> &str {
        match self.get(key).map(|f| &f.widget) {
            Some(Widget::Choice(c)) => c.value(),
            _ => "",
        }
    }

    pub fn choice_mut(&mut self, key: &str) -> Option<&mut Choice> {
        match self.get_mut(key).map(|f| &mut f.widget) {
            Some(Widget::Choice(c)) => Some(c),
            _ => None,
        }
    }

    pub fn toggle(&self, key: &str) -> bool {
        matches!(self.get(key).map(|f| &f.widget), Some(Widget::Toggle(true)))
    }

    /// Set a text field's value (as the program, not the operator: `touched` stays).
    pub fn set_text(&mut self, key: &str, value: &str) {
        if let Some(Widget::Text(t)) = self.get_mut(key).map(|f| &mut f.widget)
            && t.text() != value
        {
            t.set(value);
        }
    }

    pub fn set_toggle(&mut self, key: &str, on: bool) {
        if let Some(Widget::Toggle(v)) = self.get_mut(key).map(|f| &mut f.widget) {
            *v = on;
        }
    }

    pub fn set_choice(&mut self, key: &str, value: &str) {
        if let Some(c) = self.choice_mut(key) {
            c.select_or_add(value);
        }
    }

    pub fn set_hidden(&mut self, key: &str, hidden: bool) {
        if let Some(f) = self.get_mut(key) {
            f.hidden = hidden;
        }
    }

    pub fn set_error(&mut self, key: &str, error: Option<String>) {
        if let Some(f) = self.get_mut(key) {
            f.error = error;
        }
    }

    /// The error to show under a field: an empty text the operator has not typed in yet is
    /// not called wrong until they try to go on.
    pub fn shown_error<'a>(&self, field: &'a Field) -> Option<&'a str> {
        let untouched_empty =
            matches!(&field.widget, Widget::Text(t) if t.text().is_empty()) && !field.touched;
        if untouched_empty && !self.show_errors {
            return None;
        }
        field.error.as_deref()
    }

    /// The first shown field with an error.
    pub fn first_error(&self) -> Option<&Field> {
        self.fields.iter().find(|f| !f.hidden && f.error.is_some())
    }

    /// A key that edits the focused field: typing into a text, searching a choice.
    /// True when the value changed.
    pub fn input(&mut self, key: &KeyEvent) -> bool {
        let Some(field) = self.focused_mut() else {
            return false;
        };
        let changed = match &mut field.widget {
            Widget::Text(t) => t.input(key),
            Widget::Choice(c) => {
                let plain = !key
                    .modifiers
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
                match key.code {
                    KeyCode::Char(ch) if plain => c.search(Some(ch)),
                    KeyCode::Backspace => c.search(None),
                    _ => false,
                }
            }
            _ => false,
        };
        if changed {
            field.touched = true;
        }
        changed
    }

    /// Paste into the focused text field.
    pub fn paste(&mut self, text: &str) -> bool {
        match self.focused_mut() {
            Some(field) => {
                let changed = match &mut field.widget {
                    Widget::Text(t) => t.paste(text),
                    _ => false,
                };
                field.touched |= changed;
                changed
            }
            None => false,
        }
    }

    /// Pick the next or previous value of the focused choice, or flip a toggle.
    pub fn choose(&mut self, forward: bool) -> bool {
        let Some(field) = self.focused_mut() else {
            return false;
        };
        let changed = match &mut field.widget {
            Widget::Choice(c) => c.step(forward),
            Widget::Toggle(on) => {
                *on = !*on;
                true
            }
            _ => false,
        };
        field.touched |= changed;
        changed
    }

    /// Flip the focused toggle.
    pub fn flip(&mut self) -> bool {
        match self.focused().map(|f| &f.widget) {
            Some(Widget::Toggle(_)) => self.choose(true),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests;

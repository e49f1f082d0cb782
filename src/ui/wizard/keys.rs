//! What the `[form]` actions do in the wizard, and in its popups (help, the question before
//! discarding changes, the path to save the spec to).

use super::check::is_local_key_path;
use super::steps::{self, Step};
use super::{Overlay, Wizard};
use crate::exec::engine::Submission;
use crate::ui::app::Level;
use crate::ui::config::{Action, Context};
use crate::ui::form::{TextInput, Widget};

/// What the app must do after an action.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The action does not apply here (its key may type instead).
    Ignored,
    Done,
    Say(Level, String),
    /// Show the keys of the form.
    Help,
    /// Close the wizard, with a message.
    Close(Option<(Level, String)>),
    /// Queue these tasks and close.
    Submit {
        what: String,
        tasks: Vec<Submission>,
    },
}

const REVIEW_PAGE: isize = 10;

/// `~/x` on the operator's machine.
fn expand_home(path: &str) -> std::path::PathBuf {
    match path.strip_prefix("~/") {
        Some(rest) => std::env::var_os("HOME").map_or_else(
            || path.into(),
            |home| std::path::Path::new(&home).join(rest),
        ),
        None => path.into(),
    }
}

impl Wizard {
    /// The keymap contexts that see a key now.
    pub fn contexts(&self) -> Vec<Context> {
        match &self.overlay {
            None => vec![Context::Form],
            Some(Overlay::Help(_) | Overlay::Discard(_)) => vec![Context::Dialog],
            Some(Overlay::Save(_)) => vec![Context::Filter],
        }
    }

    /// A printable key types into the focused text field (or the save path) rather than
    /// run what it is bound to.
    pub fn typing(&self) -> bool {
        match &self.overlay {
            None => self.current().focused().is_some_and(|f| f.is_text()),
            Some(Overlay::Save(_)) => true,
            Some(_) => false,
        }
    }

    pub fn applies(&self, action: Action) -> bool {
        match &self.overlay {
            Some(Overlay::Help(_)) => matches!(
                action,
                Action::Up
                    | Action::Down
                    | Action::PageUp
                    | Action::PageDown
                    | Action::Confirm
                    | Action::Cancel
                    | Action::Help
            ),
            Some(Overlay::Discard(_)) => matches!(
                action,
                Action::NextField | Action::PrevField | Action::Confirm | Action::Cancel
            ),
            Some(Overlay::Save(_)) => matches!(action, Action::Accept | Action::Clear),
            None => {
                let form = self.current();
                let widget = form.focused().map(|f| &f.widget);
                let review = self.step == Step::Review;
                match action {
                    Action::NextField
                    | Action::PrevField
                    | Action::Submit
                    | Action::Back
                    | Action::Up
                    | Action::Down
                    | Action::Help => true,
                    Action::PageUp | Action::PageDown | Action::Save => review,
                    Action::ChoicePrev | Action::ChoiceNext => {
                        matches!(widget, Some(Widget::Choice(_) | Widget::Toggle(_)))
                    }
                    Action::Toggle => matches!(widget, Some(Widget::Toggle(_) | Widget::Button)),
                    Action::AddItem => self.step.section().is_some(),
                    Action::RemoveItem => self
                        .step
                        .section()
                        .is_some_and(|(s, _)| form.focused_item(s).is_some()),
                    _ => false,
                }
            }
        }
    }

    /// Do an action.
    pub fn action(&mut self, action: Action) -> Outcome {
        if !self.applies(action) {
            return Outcome::Ignored;
        }
        match self.overlay.take() {
            Some(Overlay::Help(mut help)) => {
                let len = help.lines.len();
                match action {
                    Action::Up => help.cursor.move_by(-1, len),
                    Action::Down => help.cursor.move_by(1, len),
                    Action::PageUp => help.cursor.move_by(-REVIEW_PAGE, len),
                    Action::PageDown => help.cursor.move_by(REVIEW_PAGE, len),
                    _ => return Outcome::Done,
                }
                self.overlay = Some(Overlay::Help(help));
                Outcome::Done
            }
            Some(Overlay::Discard(on_discard)) => match action {
                Action::NextField | Action::PrevField => {
                    self.overlay = Some(Overlay::Discard(!on_discard));
                    Outcome::Done
                }
                Action::Confirm if on_discard => Outcome::Close(Some((
                    Level::Info,
                    format!("{}: changes discarded", self.title()),
                ))),
                _ => Outcome::Done,
            },
            Some(Overlay::Save(input)) => match action {
                Action::Accept => match self.save(&input.text()) {
                    Ok(message) => Outcome::Say(Level::Info, message),
                    Err(e) => {
                        self.overlay = Some(Overlay::Save(input));
                        Outcome::Say(Level::Error, e)
                    }
                },
                _ => Outcome::Done,
            },
            None => self.form_action(action),
        }
    }

    fn form_action(&mut self, action: Action) -> Outcome {
        let review = self.step == Step::Review;
        let widget = self.current().focused().map(|f| f.widget.clone());
        match action {
            Action::NextField | Action::PrevField => self.move_focus(action == Action::NextField),
            Action::Up | Action::Down if review => {
                self.scroll_review(if action == Action::Down { 1 } else { -1 })
            }
            Action::PageUp | Action::PageDown => {
                self.scroll_review(if action == Action::PageDown {
                    REVIEW_PAGE
                } else {
                    -REVIEW_PAGE
                })
            }
            Action::Up | Action::Down => match widget {
                Some(Widget::Choice(_)) => self.choose(action == Action::Down),
                _ => self.move_focus(action == Action::Down),
            },
            Action::ChoicePrev | Action::ChoiceNext => self.choose(action == Action::ChoiceNext),
            Action::Toggle => match widget {
                Some(Widget::Button) => self.press(),
                _ => {
                    self.form_mut(self.step).flip();
                    self.refresh();
                    Outcome::Done
                }
            },
            // Enter moves on (a step's add button is pressed with Space); on the review it
            // presses the focused button.
            Action::Submit => match widget {
                Some(Widget::Button) if review => self.press(),
                _ if review => self.submit(),
                _ => self.next_step(),
            },
            Action::Back => self.back(),
            Action::AddItem => self.add_item(),
            Action::RemoveItem => self.remove_item(),
            Action::Save => self.ask_save(),
            Action::Help => Outcome::Help,
            _ => Outcome::Ignored,
        }
    }

    fn scroll_review(&mut self, by: isize) -> Outcome {
        self.review_scroll = self.review_scroll.saturating_add_signed(by);
        Outcome::Done
    }

    fn choose(&mut self, forward: bool) -> Outcome {
        if self.form_mut(self.step).choose(forward) {
            self.refresh();
        }
        Outcome::Done
    }

    fn move_focus(&mut self, forward: bool) -> Outcome {
        let said = self.leave();
        self.form_mut(self.step).move_focus(forward);
        said
    }

    /// The focus leaves a field: an ssh key given as a file on this machine is read now.
    fn leave(&mut self) -> Outcome {
        let step = self.step;
        let form = self.form(step);
        if form.focused_key() != Some("ci.sshkey") {
            return Outcome::Done;
        }
        let path = form.text("ci.sshkey");
        if !is_local_key_path(&path) {
            return Outcome::Done;
        }
        match std::fs::read_to_string(expand_home(&path)) {
            Ok(content) => {
                let form = self.form_mut(step);
                form.set_text("ci.sshkey", content.trim());
                self.refresh();
                Outcome::Say(Level::Info, format!("read the SSH key from {path}"))
            }
            Err(e) => Outcome::Say(Level::Error, format!("cannot read {path}: {e}")),
        }
    }

    fn go_to(&mut self, step: Step) {
        self.step = step;
        self.scroll = 0;
        self.review_scroll = 0;
        if step == Step::Review {
            self.build_review();
        }
    }

    /// Enter: on to the next step, unless a field of this one is wrong (the focus goes
    /// there, and the message says what is wrong).
    fn next_step(&mut self) -> Outcome {
        let said = self.leave();
        self.refresh();
        if let Some(field) = self.current().first_error() {
            let (key, label) = (field.key.clone(), field.label.clone());
            let error = field.error.clone().unwrap_or_default();
            let form = self.form_mut(self.step);
            form.focus_key(&key);
            form.show_errors = true;
            return Outcome::Say(Level::Warning, format!("{label}: {error}"));
        }
        let steps = self.steps();
        if let Some(next) = steps.iter().skip_while(|s| **s != self.step).nth(1) {
            self.go_to(*next);
        }
        said
    }

    /// Esc: back a step; on the first, close (asking first when something changed).
    fn back(&mut self) -> Outcome {
        let steps = self.steps();
        let at = steps.iter().position(|s| *s == self.step).unwrap_or(0);
        if at == 0 {
            if self.changed() {
                self.overlay = Some(Overlay::Discard(false));
                return Outcome::Done;
            }
            return Outcome::Close(None);
        }
        let said = self.leave();
        self.go_to(steps[at - 1]);
        said
    }

    /// Enter on the review: check the whole spec on the host as it is now, then queue.
    fn submit(&mut self) -> Outcome {
        self.build_review();
        let problems = self.review.as_ref().map_or(0, |r| r.problems.len());
        if problems > 0 {
            return Outcome::Say(
                Level::Error,
                format!("{problems} problem(s), listed on this page: nothing was queued"),
            );
        }
        match self.submission() {
            Some((what, tasks)) => Outcome::Submit { what, tasks },
            None => Outcome::Say(Level::Error, "there is nothing to queue".into()),
        }
    }

    fn press(&mut self) -> Outcome {
        let Some(key) = self.current().focused_key().map(str::to_string) else {
            return Outcome::Done;
        };
        match key.as_str() {
            "review.submit" => self.submit(),
            "review.save" => self.ask_save(),
            k if k.ends_with(".add") => self.add_item(),
            _ => Outcome::Done,
        }
    }

    fn ask_save(&mut self) -> Outcome {
        let name = self.name();
        let name = if name.is_empty() { "zone" } else { &name };
        self.overlay = Some(Overlay::Save(TextInput::new(&format!("./{name}.json"))));
        Outcome::Done
    }

    fn add_item(&mut self) -> Outcome {
        let Some((section, noun)) = self.step.section() else {
            return Outcome::Ignored;
        };
        let fields = match section {
            "disks" => steps::disk_item(&self.facts),
            "nics" => steps::nic_item(&self.facts),
            "cdroms" => steps::cdrom_item(&self.facts),
            _ => steps::fs_item(),
        };
        self.form_mut(self.step).add_item(section, noun, fields);
        self.refresh();
        Outcome::Done
    }

    fn remove_item(&mut self) -> Outcome {
        let Some((section, noun)) = self.step.section() else {
            return Outcome::Ignored;
        };
        let form = self.form_mut(self.step);
        let Some(i) = form.focused_item(section) else {
            return Outcome::Ignored;
        };
        form.remove_item(section, noun, i);
        self.refresh();
        Outcome::Say(Level::Info, format!("{noun} {} removed", i + 1))
    }

    /// A key no binding took: it edits the focused field (or the save path).
    pub fn edit_key(&mut self, event: &ratatui::crossterm::event::KeyEvent) -> bool {
        match &mut self.overlay {
            Some(Overlay::Save(input)) => input.input(event),
            Some(_) => false,
            None => {
                let changed = self.form_mut(self.step).input(event);
                if changed {
                    self.refresh();
                }
                changed
            }
        }
    }

    pub fn paste(&mut self, text: &str) -> bool {
        match &mut self.overlay {
            Some(Overlay::Save(input)) => input.paste(text),
            Some(_) => false,
            None => {
                let changed = self.form_mut(self.step).paste(text);
                if changed {
                    self.refresh();
                }
                changed
            }
        }
    }
}

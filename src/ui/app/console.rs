//! The embedded consoles: attaching (`a`, `l`), the locked keyboard while a console has the
//! focus, detaching, scrollback, copy mode, and the palette's session commands.

use ratatui::crossterm::event::KeyEvent;

use super::{App, Confirm, Effect, Level, Mode, Then};
use crate::sys::zoneadm::ZoneState;
use crate::ui::config::{Action, Context, Key, Lookup};
use crate::ui::panes::PaneId;
use crate::ui::sessions::{CopyMode, SessionKind};

impl App {
    /// A console has the keyboard: every key but the detach key goes to it.
    /// An ended session gives the keyboard back.
    pub fn console_locked(&self) -> bool {
        self.sessions.focused
            && matches!(self.mode, Mode::Normal)
            && self.sessions.shown().is_some_and(|s| s.ended().is_none())
    }

    /// The detach key as the pane's title shows it.
    pub fn detach_label(&self) -> String {
        self.settings
            .keymap
            .keys_for(&[Context::Console], Action::Detach)
            .first()
            .map(|b| b.keys_label())
            .unwrap_or_else(|| "(unbound)".into())
    }

    /// While a console is locked: its own bindings (detach, scrollback), else the key goes to
    /// the program. False when no console has the keyboard.
    pub(super) fn console_key(&mut self, event: &KeyEvent) -> bool {
        if !self.console_locked() {
            return false;
        }
        self.pending.push(Key::from_event(event));
        match self
            .settings
            .keymap
            .lookup(&[Context::Console], &self.pending)
        {
            Lookup::Pending => return true,
            Lookup::Actions(actions) => {
                self.pending.clear();
                for action in actions {
                    if self.console_action(action) {
                        return true;
                    }
                }
            }
            Lookup::None => self.pending.clear(),
        }
        self.sessions.typed = true;
        let Some(shown) = self.sessions.shown() else {
            return true;
        };
        // Typing goes to the live screen, as in a terminal.
        let back = shown.session.scroll_offset();
        if back > 0 {
            shown.session.scroll(-(back as isize));
        }
        if shown.session.send_key(*event).is_err() {
            let title = shown.title();
            self.notify(
                Level::Warning,
                format!("{title} has ended: :close removes it, a or l opens a new one"),
            );
        }
        true
    }

    pub(super) fn console_paste(&mut self, text: &str) -> bool {
        if !self.console_locked() {
            return false;
        }
        self.sessions.typed = true;
        if let Some(shown) = self.sessions.shown() {
            let _ = shown.session.paste(text);
        }
        true
    }

    /// The console's own actions; false when the action is not one of them.
    fn console_action(&mut self, action: Action) -> bool {
        let Some(shown) = self.sessions.shown() else {
            return false;
        };
        let page = self.sessions.rows.max(2) as isize - 1;
        match action {
            Action::Detach => {
                let title = shown.title();
                self.sessions.focused = false;
                self.notify(
                    Level::Info,
                    format!("Detached from {title}: it keeps running (a attaches again)"),
                );
            }
            Action::ScrollUp => shown.session.scroll(page),
            Action::ScrollDown => shown.session.scroll(-page),
            _ => return false,
        }
        true
    }

    /// `a` / `l` (`:console ZONE`, `:login ZONE`): focus the zone's open session of that
    /// kind, or open one.
    pub fn attach(&mut self, kind: SessionKind, name: Option<&str>) {
        let Some(zone) = self.target_zone(name) else {
            return;
        };
        let Some(state) = self.inventory.zone(&zone).map(|z| z.state) else {
            return;
        };
        if let Some(i) = self.sessions.find(&zone, kind) {
            self.focus = PaneId::Zones;
            self.sessions.focus(i);
            return;
        }
        let refusal = match kind {
            SessionKind::Login if state != ZoneState::Running => Some(format!(
                "{zone} is {state}: a login needs a running zone (a attaches to its console)"
            )),
            SessionKind::Console
                if matches!(state, ZoneState::Configured | ZoneState::Incomplete) =>
            {
                Some(format!(
                    "{zone} is {state}: it has no console until it is installed"
                ))
            }
            _ => None,
        };
        if let Some(why) = refusal {
            self.notify(Level::Warning, why);
            return;
        }
        self.effects.push(Effect::OpenSession { zone, kind });
    }

    /// A session the event loop started: shown beside the zone list, with the keyboard.
    pub fn add_session(&mut self, zone: &str, kind: SessionKind, session: crate::console::Session) {
        let i = self.sessions.add(zone, kind, session);
        self.focus = PaneId::Zones;
        self.details[PaneId::Zones.index()] = None;
        self.sessions.focus(i);
        let detach = self.detach_label();
        self.notify(
            Level::Info,
            format!("{zone} {}: {detach} detaches", kind.word()),
        );
    }

    pub(super) fn toggle_fullscreen(&mut self) -> bool {
        if self.sessions.shown().is_none() {
            return false;
        }
        self.sessions.full = !self.sessions.full;
        self.focus = PaneId::Zones;
        true
    }

    /// `v`: copy mode over the shown console, the cursor on its last row.
    pub(super) fn start_copy(&mut self) -> bool {
        if self.sessions.shown().is_none() {
            return false;
        }
        self.sessions.focused = false;
        self.mode = Mode::Copy(CopyMode {
            cursor: self.sessions.rows.saturating_sub(1),
            mark: None,
        });
        true
    }

    /// The keys of copy mode: the cursor moves over the view and scrolls it at the edges.
    pub(super) fn copy_action(&mut self, action: Action) -> bool {
        let Mode::Copy(mut copy) = self.mode else {
            return false;
        };
        let Some(shown) = self.sessions.shown() else {
            self.mode = Mode::Normal;
            return true;
        };
        let session = &shown.session;
        let last = self.sessions.rows.saturating_sub(1);
        let page = i32::from(last.max(1));
        let mut move_by = |delta: i32| {
            let to = i32::from(copy.cursor) + delta;
            if to < 0 {
                let before = session.scroll_offset();
                session.scroll(-to as isize);
                let scrolled = (session.scroll_offset() - before) as i32;
                copy.mark = copy
                    .mark
                    .map(|m| (i32::from(m) + scrolled).min(i32::from(last)) as u16);
                copy.cursor = 0;
            } else if to > i32::from(last) {
                let before = session.scroll_offset();
                session.scroll(-((to - i32::from(last)) as isize));
                let scrolled = (before - session.scroll_offset()) as i32;
                copy.mark = copy.mark.map(|m| (i32::from(m) - scrolled).max(0) as u16);
                copy.cursor = last;
            } else {
                copy.cursor = to as u16;
            }
        };
        match action {
            Action::Up => move_by(-1),
            Action::Down => move_by(1),
            Action::PageUp => move_by(-page),
            Action::PageDown => move_by(page),
            Action::Top => move_by(-(i32::MAX / 2)),
            Action::Bottom => move_by(i32::MAX / 2),
            Action::Select => {
                copy.mark = match copy.mark {
                    Some(_) => None,
                    None => Some(copy.cursor),
                }
            }
            Action::Copy => {
                let (from, to) = copy.rows();
                let lines = session.view_lines(from, to);
                let text = lines.join("\n") + "\n";
                self.effects.push(Effect::Copy(text));
                let n = lines.len();
                self.mode = Mode::Normal;
                self.notify(
                    Level::Info,
                    format!("{n} line(s) copied to the terminal's clipboard (OSC 52)"),
                );
                return true;
            }
            Action::Back => {
                self.mode = Mode::Normal;
                return true;
            }
            _ => return false,
        }
        self.mode = Mode::Copy(copy);
        true
    }

    /// `:sessions`: the open sessions, to attach to one.
    pub(super) fn list_sessions(&mut self) {
        if self.sessions.list.is_empty() {
            self.notify(
                Level::Info,
                "No sessions: a attaches to a zone's console, l logs in",
            );
            return;
        }
        self.mode = Mode::Sessions(self.sessions.shown.unwrap_or(0));
    }

    pub(super) fn sessions_action(&mut self, action: Action) -> bool {
        let Mode::Sessions(selected) = self.mode else {
            return false;
        };
        let n = self.sessions.list.len();
        match action {
            Action::Down => self.mode = Mode::Sessions((selected + 1).min(n.saturating_sub(1))),
            Action::Up => self.mode = Mode::Sessions(selected.saturating_sub(1)),
            Action::Confirm if selected < n => {
                self.mode = Mode::Normal;
                self.focus = PaneId::Zones;
                self.details[PaneId::Zones.index()] = None;
                self.sessions.focus(selected);
            }
            Action::Confirm | Action::Cancel => self.mode = Mode::Normal,
            _ => return false,
        }
        true
    }

    /// `:close [N]`: end a session; one still running is asked about first.
    pub(super) fn close_session(&mut self, number: Option<usize>) {
        let index = match number {
            Some(n) => self.sessions.by_number(n),
            None => self.sessions.shown,
        };
        let Some(i) = index else {
            let which = number.map_or("shown".to_string(), |n| format!("numbered {n}"));
            self.notify(
                Level::Error,
                format!("no session {which} (:sessions lists them)"),
            );
            return;
        };
        let s = &self.sessions.list[i];
        if s.ended().is_some() {
            self.sessions.close(i);
            return;
        }
        let effect = match s.kind {
            SessionKind::Console => "zlogin -C is ended; the zone and its console go on",
            SessionKind::Login => "zlogin is hung up: the shell and what runs in it get SIGHUP",
        };
        self.mode = Mode::Confirm(Confirm {
            title: format!("Close {} (session {})?", s.title(), s.number),
            lines: vec![effect.to_string()],
            run_label: "Close".into(),
            on_run: s.kind == SessionKind::Console,
            then: Then::CloseSession(s.number),
        });
    }

    pub(super) fn close_session_now(&mut self, number: usize) {
        if let Some(i) = self.sessions.by_number(number) {
            let gone = self.sessions.close(i);
            self.notify(Level::Info, format!("{} closed", gone.title()));
        }
    }

    /// `:transcript FILE`: the shown session's scrollback and screen as plain text. An
    /// existing file is not overwritten.
    pub(super) fn save_transcript(&mut self, path: &str) {
        let Some(shown) = self.sessions.shown() else {
            self.notify(Level::Error, "no console is shown: a or l opens one");
            return;
        };
        if path.is_empty() {
            self.notify(Level::Error, "transcript FILE");
            return;
        }
        let text = shown.session.transcript();
        let title = shown.title();
        let written = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()));
        match written {
            Ok(()) => self.notify(
                Level::Info,
                format!("{title}: {} line(s) saved to {path}", text.lines().count()),
            ),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                self.notify(Level::Error, format!("{path} exists: name a new file"))
            }
            Err(e) => self.notify(Level::Error, format!("cannot write {path}: {e}")),
        }
    }
}

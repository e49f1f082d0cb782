//! The embedded consoles the operator has open: which zone each belongs to, which one is
//! shown beside the zone list, whether it has the keyboard, and the line selection of copy
//! mode. The sessions themselves (pty, emulator) are `crate::console::Session`s.

use crate::console::{Session, SessionState};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionKind {
    /// `zlogin -C`: the zone console (a bhyve guest's serial console).
    Console,
    /// `zlogin ZONE`: a shell in the zone.
    Login,
}

impl SessionKind {
    pub fn word(self) -> &'static str {
        match self {
            SessionKind::Console => "console",
            SessionKind::Login => "login",
        }
    }
}

pub struct ZoneSession {
    /// Numbers start at 1 and are not reused while zcon runs (`:close 2`).
    pub number: usize,
    pub zone: String,
    pub kind: SessionKind,
    pub session: Session,
}

impl ZoneSession {
    /// `web01 console`.
    pub fn title(&self) -> String {
        format!("{} {}", self.zone, self.kind.word())
    }

    pub fn ended(&self) -> Option<String> {
        match self.session.state() {
            SessionState::Running => None,
            SessionState::Ended {
                reason: Some(r), ..
            } => Some(r),
            SessionState::Ended { code: Some(c), .. } => Some(format!("exit status {c}")),
            SessionState::Ended { .. } => Some("ended".into()),
        }
    }
}

/// Copy mode: a line cursor over the shown session's view and an optional mark; the lines
/// between them are copied. Rows are counted from the top of the view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CopyMode {
    pub cursor: u16,
    pub mark: Option<u16>,
}

impl CopyMode {
    /// The rows copied: from the mark to the cursor, or the cursor's row alone.
    pub fn rows(&self) -> (u16, u16) {
        let mark = self.mark.unwrap_or(self.cursor);
        (mark.min(self.cursor), mark.max(self.cursor))
    }
}

#[derive(Default)]
pub struct Sessions {
    pub list: Vec<ZoneSession>,
    /// Index of the session drawn beside the zone list (or full screen).
    pub shown: Option<usize>,
    /// The shown session has the keyboard: every key but the detach key goes to it.
    pub focused: bool,
    /// The shown session takes the whole body.
    pub full: bool,
    /// Rows of the shown session's pane, as last drawn (copy mode moves within them).
    pub rows: u16,
    /// A key went to the shown console since the last frame: its echo is drawn at once,
    /// not paced as streamed output is.
    pub typed: bool,
    /// The cursor shape the shown console wants, when it was drawn with the keyboard.
    pub cursor: Option<crate::console::CursorShape>,
    next_number: usize,
}

impl Sessions {
    pub fn add(&mut self, zone: &str, kind: SessionKind, session: Session) -> usize {
        self.next_number += 1;
        self.list.push(ZoneSession {
            number: self.next_number,
            zone: zone.to_string(),
            kind,
            session,
        });
        self.list.len() - 1
    }

    /// The open session of this zone and kind, if any (ended ones are not reused).
    pub fn find(&self, zone: &str, kind: SessionKind) -> Option<usize> {
        self.list
            .iter()
            .position(|s| s.zone == zone && s.kind == kind && s.ended().is_none())
    }

    pub fn by_number(&self, number: usize) -> Option<usize> {
        self.list.iter().position(|s| s.number == number)
    }

    pub fn shown(&self) -> Option<&ZoneSession> {
        self.list.get(self.shown?)
    }

    /// Show session `i`, with the keyboard.
    pub fn focus(&mut self, i: usize) {
        self.shown = Some(i);
        self.focused = true;
    }

    /// End session `i` (its zlogin hung up) and forget it.
    pub fn close(&mut self, i: usize) -> ZoneSession {
        let gone = self.list.remove(i);
        gone.session.kill();
        self.shown = match self.shown {
            Some(s) if s == i => None,
            Some(s) if s > i => Some(s - 1),
            other => other,
        };
        if self.shown.is_none() {
            self.focused = false;
            self.full = false;
        }
        gone
    }

    /// Whether a session changed since it was last drawn; the hidden ones are looked at too,
    /// so that each notifies again when it next changes.
    pub fn take_dirty(&self) -> bool {
        let mut shown_changed = false;
        for (i, s) in self.list.iter().enumerate() {
            if s.session.take_dirty() && Some(i) == self.shown {
                shown_changed = true;
            }
        }
        shown_changed
    }
}

//! Keys and mouse → actions → state changes. A key goes to the most specific context first
//! (filter, palette or help; then the list; then global); chords wait for their next key.

use ratatui::crossterm::event::{KeyEvent, KeyEventKind, MouseButton, MouseEvent, MouseEventKind};

use super::{App, Effect, HelpLine, HelpView, Level, Mode, Palette};
use crate::ops::zone::Lifecycle;
use crate::ui::config::{Action, Context, Key, Lookup};
use crate::ui::input::LineInput;
use crate::ui::list::Cursor;
use crate::ui::panes::{NetView, PaneId};
use crate::ui::sessions::SessionKind;

impl App {
    /// The contexts that see a key now, most specific first.
    pub fn contexts(&self) -> Vec<Context> {
        match &self.mode {
            Mode::Wizard(wizard) => wizard.contexts(),
            Mode::Filter(_) => vec![Context::Filter],
            Mode::Palette(_) => vec![Context::Palette],
            Mode::Help(_) => vec![Context::Dialog, Context::Global],
            // A question waits for its answer: no pane or global key gets past it.
            Mode::Confirm(_) => vec![Context::Dialog],
            Mode::Prompt(_) => vec![Context::Filter],
            Mode::Copy(_) => vec![Context::Copy],
            Mode::Sessions(_) => vec![Context::Dialog],
            Mode::Normal if self.console_locked() => vec![Context::Console],
            Mode::Normal => vec![Context::List, Context::Global],
        }
    }

    pub fn on_key(&mut self, event: KeyEvent) {
        if event.kind == KeyEventKind::Release || self.console_key(&event) {
            return;
        }
        let key = Key::from_event(&event);
        // In a wizard's text field a printable key types, whatever it is bound to.
        let printable = matches!(key.code, ratatui::crossterm::event::KeyCode::Char(_))
            && !key.mods.intersects(
                ratatui::crossterm::event::KeyModifiers::CONTROL
                    | ratatui::crossterm::event::KeyModifiers::ALT,
            );
        if printable && self.wizard().is_some_and(|w| w.typing()) {
            self.pending.clear();
            self.wizard_key(&event);
            return;
        }
        self.pending.push(key);
        let contexts = self.contexts();
        let mut lookup = self.settings.keymap.lookup(&contexts, &self.pending);
        if lookup == Lookup::None && self.pending.len() > 1 {
            // A broken chord: the last key starts afresh.
            self.pending = vec![key];
            lookup = self.settings.keymap.lookup(&contexts, &self.pending);
        }
        match lookup {
            Lookup::Pending => return,
            Lookup::Actions(actions) => {
                self.pending.clear();
                if actions.into_iter().any(|a| self.run_action(a)) {
                    return;
                }
            }
            Lookup::None => self.pending.clear(),
        }
        self.edit_text(&event);
    }

    /// Keys no binding took edit the filter or the palette's command line.
    fn edit_text(&mut self, event: &KeyEvent) {
        match &mut self.mode {
            Mode::Filter(input) => {
                if !input.edit(event) {
                    return;
                }
                let text = input.text().to_string();
                self.set_filter(&text);
            }
            Mode::Palette(palette) => {
                let edited = palette.input.edit(event);
                palette.selected = if edited { 0 } else { palette.selected };
            }
            Mode::Prompt(prompt) => {
                prompt.input.edit(event);
            }
            Mode::Wizard(_) => self.wizard_key(event),
            _ => {}
        }
    }

    pub fn on_paste(&mut self, text: &str) {
        if self.console_paste(text) {
            return;
        }
        match &mut self.mode {
            Mode::Filter(input) => {
                input.insert_str(text);
                let text = input.text().to_string();
                self.set_filter(&text);
            }
            Mode::Palette(palette) => palette.input.insert_str(text),
            Mode::Prompt(prompt) => prompt.input.insert_str(text),
            Mode::Wizard(_) => self.wizard_paste(text),
            _ => {}
        }
    }

    pub fn on_mouse(&mut self, event: MouseEvent) {
        if !matches!(self.mode, Mode::Normal) {
            return;
        }
        let (x, y) = (event.column, event.row);
        let rows = self.hits.rows;
        let inside =
            |r: ratatui::layout::Rect| x >= r.x && x < r.right() && y >= r.y && y < r.bottom();
        match event.kind {
            MouseEventKind::ScrollDown => {
                self.move_cursor(|c, len| c.move_by(3, len));
            }
            MouseEventKind::ScrollUp => {
                self.move_cursor(|c, len| c.move_by(-3, len));
            }
            MouseEventKind::Down(MouseButton::Left) if inside(self.hits.tabs) => {
                // Tabs are drawn in pane order, each as wide as its label.
                let mut left = self.hits.tabs.x;
                for pane in PaneId::ALL {
                    let width = crate::ui::draw::tab_label(self, pane).chars().count() as u16;
                    if x >= left && x < left + width {
                        self.focus_pane(pane);
                        return;
                    }
                    left += width;
                }
            }
            MouseEventKind::Down(MouseButton::Left) if inside(rows) => {
                let row = (y - rows.y) as usize;
                self.move_cursor(|c, len| {
                    let target = c.offset + row;
                    if target < len {
                        c.selected = target;
                    }
                });
            }
            _ => {}
        }
    }

    fn move_cursor(&mut self, f: impl FnOnce(&mut Cursor, usize)) -> bool {
        match self.focused_cursor() {
            Some((cursor, len)) if len > 0 => {
                f(cursor, len);
                true
            }
            _ => false,
        }
    }

    fn focus_pane(&mut self, pane: PaneId) {
        self.focus = pane;
    }

    /// Whether an action means something where the focus is now.
    pub fn applies(&self, action: Action) -> bool {
        if let Mode::Wizard(wizard) = &self.mode {
            return wizard.applies(action);
        }
        let detail = self.detail().is_some();
        let help = matches!(self.mode, Mode::Help(_));
        let dialog = matches!(self.mode, Mode::Confirm(_));
        let prompt = matches!(self.mode, Mode::Prompt(_));
        let list_pane = !dialog && !prompt;
        let normal = matches!(self.mode, Mode::Normal);
        let task_page = self.focus == PaneId::Tasks && detail;
        match action {
            Action::Filter => list_pane && !help && (!detail || task_page),
            Action::SortNext | Action::SortReverse => list_pane && !detail && !help,
            Action::Collapse | Action::Expand => self.focus == PaneId::Datasets && !detail && !help,
            Action::ViewPrev | Action::ViewNext => {
                self.focus == PaneId::Network && !detail && !help
            }
            Action::Open => list_pane && !help,
            Action::Back => detail || !self.filter_text().is_empty(),
            Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::Top
            | Action::Bottom => help || list_pane,
            Action::Accept | Action::Clear => matches!(self.mode, Mode::Filter(_)) || prompt,
            Action::Run | Action::Close | Action::Complete | Action::CompletePrev => {
                matches!(self.mode, Mode::Palette(_))
            }
            Action::Confirm | Action::Cancel => help || dialog,
            Action::NextField | Action::PrevField => dialog,
            // The form actions are the wizard's (answered above); the console's come later.
            Action::Submit
            | Action::ChoicePrev
            | Action::ChoiceNext
            | Action::Toggle
            | Action::AddItem
            | Action::RemoveItem
            | Action::Save => false,
            // Answered by the locked console and copy mode before this.
            Action::Detach | Action::ScrollUp | Action::ScrollDown => false,
            Action::Attach | Action::Login => normal && self.focus == PaneId::Zones,
            Action::Fullscreen | Action::Select => normal && self.sessions.shown().is_some(),
            Action::Boot
            | Action::Shutdown
            | Action::Halt
            | Action::Reboot
            | Action::Restart
            | Action::Poweroff
            | Action::Exec
            | Action::Edit
            | Action::CloneZone
            | Action::Delete => normal && self.focus == PaneId::Zones,
            Action::Create => normal && matches!(self.focus, PaneId::Zones | PaneId::Tasks),
            Action::CancelTask | Action::Copy => normal && self.focus == PaneId::Tasks,
            Action::Follow => normal && task_page,
            Action::Quit
            | Action::Help
            | Action::Palette
            | Action::Refresh
            | Action::PaneNext
            | Action::PanePrev
            | Action::PaneZones
            | Action::PaneTasks
            | Action::PaneDatasets
            | Action::PaneNetwork => true,
        }
    }

    /// Do an action; false when it does not apply here (the next candidate is tried).
    pub fn run_action(&mut self, action: Action) -> bool {
        if matches!(self.mode, Mode::Palette(_)) && matches!(action, Action::Up | Action::Down) {
            self.palette_move(action == Action::Down);
            return true;
        }
        if matches!(self.mode, Mode::Wizard(_)) {
            return self.wizard_action(action);
        }
        if matches!(self.mode, Mode::Copy(_)) {
            return self.copy_action(action);
        }
        if matches!(self.mode, Mode::Sessions(_)) {
            return self.sessions_action(action);
        }
        if !self.applies(action) {
            return false;
        }
        let page = self.page.max(1) as isize;
        match action {
            Action::Quit => self.effects.push(Effect::Quit),
            Action::Help => self.toggle_help(),
            Action::Palette => self.mode = Mode::Palette(Palette::default()),
            Action::Refresh => {
                self.effects.push(Effect::Refresh);
                self.refresh_asked = true;
                self.notify(Level::Info, "Refreshing…");
            }
            Action::PaneNext => self.focus_pane(self.focus.cycle(true)),
            Action::PanePrev => self.focus_pane(self.focus.cycle(false)),
            Action::PaneZones => self.focus_pane(PaneId::Zones),
            Action::PaneTasks => self.focus_pane(PaneId::Tasks),
            Action::PaneDatasets => self.focus_pane(PaneId::Datasets),
            Action::PaneNetwork => self.focus_pane(PaneId::Network),
            Action::Up => return self.move_cursor(|c, len| c.move_by(-1, len)),
            Action::Down => return self.move_cursor(|c, len| c.move_by(1, len)),
            Action::PageUp => return self.move_cursor(|c, len| c.move_by(-page, len)),
            Action::PageDown => return self.move_cursor(|c, len| c.move_by(page, len)),
            Action::Top => return self.move_cursor(|c, _| c.to_top()),
            Action::Bottom => return self.move_cursor(|c, len| c.to_bottom(len)),
            Action::Open => self.open(),
            Action::Back => {
                if self.detail().is_some() {
                    self.details[self.focus.index()] = None;
                } else {
                    self.set_filter("");
                }
            }
            Action::Filter => {
                let mut input = LineInput::default();
                input.set(self.filter_text());
                self.mode = Mode::Filter(input);
            }
            Action::SortNext | Action::SortReverse => {
                let next = action == Action::SortNext;
                match self.focus {
                    PaneId::Zones if next => self.zones.sort_next(),
                    PaneId::Zones => self.zones.sort_reverse(),
                    PaneId::Datasets if next => self.datasets.sort_next(),
                    PaneId::Datasets => self.datasets.sort_reverse(),
                    PaneId::Network if next => self.net_list_mut().sort_next(),
                    PaneId::Network => self.net_list_mut().sort_reverse(),
                    PaneId::Tasks if next => self.task_list.sort_next(),
                    PaneId::Tasks => self.task_list.sort_reverse(),
                }
            }
            Action::Collapse => return self.datasets.collapse(),
            Action::Expand => return self.datasets.expand(),
            Action::ViewPrev | Action::ViewNext => {
                let n = NetView::ALL.len();
                let step = if action == Action::ViewNext { 1 } else { n - 1 };
                self.net_view = NetView::ALL[(self.net_view.index() + step) % n];
            }
            Action::Accept if matches!(self.mode, Mode::Prompt(_)) => self.prompt_accept(),
            Action::Clear if matches!(self.mode, Mode::Prompt(_)) => self.mode = Mode::Normal,
            Action::Accept => self.mode = Mode::Normal,
            Action::Clear => {
                self.set_filter("");
                self.mode = Mode::Normal;
            }
            Action::Run => self.run_palette(),
            Action::Close => self.mode = Mode::Normal,
            Action::Complete => self.complete(true),
            Action::CompletePrev => self.complete(false),
            Action::Confirm if matches!(self.mode, Mode::Confirm(_)) => self.confirm_press(),
            Action::Confirm | Action::Cancel => self.mode = Mode::Normal,
            Action::NextField | Action::PrevField => {
                if let Mode::Confirm(confirm) = &mut self.mode {
                    confirm.on_run = !confirm.on_run;
                }
            }
            Action::Boot => self.zone_action(Lifecycle::Boot, None),
            Action::Shutdown => self.zone_action(Lifecycle::Shutdown, None),
            Action::Halt => self.zone_action(Lifecycle::Halt, None),
            Action::Reboot => self.zone_action(Lifecycle::Reboot, None),
            Action::Restart => self.zone_action(Lifecycle::Restart, None),
            Action::Poweroff => self.zone_action(Lifecycle::Poweroff, None),
            Action::Exec => self.exec_prompt(None),
            Action::CancelTask => self.cancel_task(),
            Action::Copy => self.copy_task(),
            Action::Follow => self.toggle_follow(),
            Action::Create => self.open_create_wizard(None),
            Action::Edit => self.open_edit_wizard(None),
            Action::CloneZone => self.clone_prompt(None),
            Action::Delete => self.delete_dialog(None),
            Action::Attach => self.attach(SessionKind::Console, None),
            Action::Login => self.attach(SessionKind::Login, None),
            Action::Fullscreen => return self.toggle_fullscreen(),
            Action::Select => return self.start_copy(),
            Action::Submit
            | Action::ChoicePrev
            | Action::ChoiceNext
            | Action::Toggle
            | Action::AddItem
            | Action::RemoveItem
            | Action::Save
            | Action::Detach
            | Action::ScrollUp
            | Action::ScrollDown => {
                return false;
            }
        }
        true
    }

    fn toggle_help(&mut self) {
        if matches!(self.mode, Mode::Help(_)) {
            self.mode = Mode::Normal;
            return;
        }
        self.mode = Mode::Normal;
        let focused = self.contexts();
        let mut lines = Vec::new();
        let heading = |lines: &mut Vec<HelpLine>, text: String| {
            if !lines.is_empty() {
                lines.push(HelpLine::Blank);
            }
            lines.push(HelpLine::Heading(text));
        };
        let binding = |b: &crate::ui::config::Binding| HelpLine::Binding {
            keys: b.keys_label(),
            desc: format!("{}  ({})", b.desc, b.run.name()),
        };
        for context in &focused {
            heading(
                &mut lines,
                format!("{} — {}", self.focus.title(), context.name()),
            );
            let section = self.settings.keymap.section(*context);
            lines.extend(section.iter().filter(|b| self.applies(b.run)).map(binding));
        }
        for context in Context::ALL.iter().filter(|c| !focused.contains(c)) {
            let section = self.settings.keymap.section(*context);
            if !section.is_empty() {
                heading(&mut lines, format!("elsewhere — {}", context.name()));
                lines.extend(section.iter().map(binding));
            }
        }
        self.mode = Mode::Help(HelpView {
            lines,
            cursor: Cursor::default(),
        });
    }
}

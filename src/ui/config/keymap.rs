//! What each key does, per context: the code's default keymap and chord lookup.
//! Loading keymap files is in `keymap_file`.

use super::key::Key;

/// The sections of a keymap file; an input goes to the most specific context first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Context {
    Global,
    List,
    Filter,
    Palette,
    Dialog,
    Form,
    Console,
    /// Copy mode over a console's lines.
    Copy,
}

impl Context {
    pub const ALL: [Context; 8] = [
        Context::Global,
        Context::List,
        Context::Filter,
        Context::Palette,
        Context::Dialog,
        Context::Form,
        Context::Console,
        Context::Copy,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::List => "list",
            Context::Filter => "filter",
            Context::Palette => "palette",
            Context::Dialog => "dialog",
            Context::Form => "form",
            Context::Console => "console",
            Context::Copy => "copy",
        }
    }

    pub fn from_name(name: &str) -> Option<Context> {
        Context::ALL.into_iter().find(|c| c.name() == name)
    }
}

macro_rules! actions {
    ($($variant:ident = $name:literal,)*) => {
        /// Everything a key can be bound to (`run = "…"` in a keymap file).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Action { $($variant,)* }

        impl Action {
            pub const ALL: &[Action] = &[$(Action::$variant,)*];

            pub fn name(self) -> &'static str {
                match self { $(Action::$variant => $name,)* }
            }
        }
    };
}

actions! {
    Quit = "quit",
    Help = "help",
    Palette = "palette",
    Refresh = "refresh",
    PaneNext = "pane_next",
    PanePrev = "pane_prev",
    PaneZones = "pane_zones",
    PaneTasks = "pane_tasks",
    PaneDatasets = "pane_datasets",
    PaneNetwork = "pane_network",
    Up = "up",
    Down = "down",
    PageUp = "page_up",
    PageDown = "page_down",
    Top = "top",
    Bottom = "bottom",
    Open = "open",
    Back = "back",
    Filter = "filter",
    SortNext = "sort_next",
    SortReverse = "sort_reverse",
    Collapse = "collapse",
    Expand = "expand",
    ViewPrev = "view_prev",
    ViewNext = "view_next",
    Accept = "accept",
    Clear = "clear",
    Run = "run",
    Close = "close",
    Complete = "complete",
    CompletePrev = "complete_prev",
    Confirm = "confirm",
    Cancel = "cancel",
    NextField = "next_field",
    PrevField = "prev_field",
    Submit = "submit",
    ChoicePrev = "choice_prev",
    ChoiceNext = "choice_next",
    Toggle = "toggle",
    AddItem = "add_item",
    RemoveItem = "remove_item",
    Save = "save",
    Detach = "detach",
    Attach = "console",
    Login = "login",
    Fullscreen = "fullscreen",
    Select = "select",
    ScrollUp = "scroll_up",
    ScrollDown = "scroll_down",
    Boot = "boot",
    Shutdown = "shutdown",
    Halt = "halt",
    Reboot = "reboot",
    Restart = "restart",
    Poweroff = "poweroff",
    Exec = "exec",
    Create = "create",
    Edit = "edit",
    CloneZone = "clone",
    Delete = "delete",
    CancelTask = "cancel_task",
    Copy = "copy",
    Follow = "follow",
}

impl Action {
    pub fn from_name(name: &str) -> Option<Action> {
        Action::ALL.iter().copied().find(|a| a.name() == name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub on: Vec<Key>,
    pub run: Action,
    pub desc: String,
}

impl Binding {
    pub fn new(on: &[Key], run: Action, desc: &str) -> Binding {
        Binding {
            on: on.to_vec(),
            run,
            desc: desc.to_string(),
        }
    }

    /// `g g`, `<C-c>`: how help and the footer show the keys.
    pub fn keys_label(&self) -> String {
        let keys: Vec<String> = self.on.iter().map(Key::to_string).collect();
        keys.join(" ")
    }
}

/// The result of the keys pressed so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// Candidate actions, most specific context first; the first one that applies is taken.
    Actions(Vec<Action>),
    /// The keys begin a longer chord: wait for the next key.
    Pending,
    None,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Keymap {
    /// Indexed by `Context as usize`.
    sections: [Vec<Binding>; 8],
}

impl Keymap {
    pub fn empty() -> Keymap {
        Keymap::default()
    }

    pub fn section(&self, context: Context) -> &[Binding] {
        &self.sections[context as usize]
    }

    pub fn section_mut(&mut self, context: Context) -> &mut Vec<Binding> {
        &mut self.sections[context as usize]
    }

    /// `contexts` from the most specific (e.g. filter) to the least (global).
    pub fn lookup(&self, contexts: &[Context], pressed: &[Key]) -> Lookup {
        let mut actions = Vec::new();
        let mut pending = false;
        for &context in contexts {
            for b in self.section(context) {
                if b.on.as_slice() == pressed {
                    if !actions.contains(&b.run) {
                        actions.push(b.run);
                    }
                } else if b.on.len() > pressed.len() && b.on.starts_with(pressed) {
                    pending = true;
                }
            }
        }
        match (pending, actions.is_empty()) {
            // A chord's prefix that is also bound alone waits: the chord was written on purpose.
            (true, _) => Lookup::Pending,
            (false, false) => Lookup::Actions(actions),
            (false, true) => Lookup::None,
        }
    }

    /// The bindings of an action in the given contexts, for footers and menus.
    pub fn keys_for(&self, contexts: &[Context], action: Action) -> Vec<&Binding> {
        contexts
            .iter()
            .flat_map(|c| self.section(*c))
            .filter(|b| b.run == action)
            .collect()
    }

    /// The code's default keymap; `keymaps/default.toml` must say the same.
    pub fn builtin() -> Keymap {
        use ratatui::crossterm::event::KeyCode as K;
        let ch = Key::ch;
        let k = Key::plain;
        let b = Binding::new;
        let mut map = Keymap::empty();
        *map.section_mut(Context::Global) = vec![
            b(&[ch('q')], Action::Quit, "Quit"),
            b(&[Key::ctrl('c')], Action::Quit, "Quit"),
            b(&[ch('?')], Action::Help, "Help for this context"),
            b(&[ch(':')], Action::Palette, "Command palette"),
            b(&[ch('R')], Action::Refresh, "Refresh now"),
            b(&[k(K::Tab)], Action::PaneNext, "Next pane"),
            b(&[k(K::BackTab)], Action::PanePrev, "Previous pane"),
            b(&[ch('1')], Action::PaneZones, "Zones pane"),
            b(&[ch('2')], Action::PaneTasks, "Tasks pane"),
            b(&[ch('3')], Action::PaneDatasets, "Datasets pane"),
            b(&[ch('4')], Action::PaneNetwork, "Network pane"),
        ];
        *map.section_mut(Context::List) = vec![
            b(&[ch('j')], Action::Down, "Move down"),
            b(&[k(K::Down)], Action::Down, "Move down"),
            b(&[ch('k')], Action::Up, "Move up"),
            b(&[k(K::Up)], Action::Up, "Move up"),
            b(&[k(K::PageDown)], Action::PageDown, "Page down"),
            b(&[k(K::PageUp)], Action::PageUp, "Page up"),
            b(&[ch('g'), ch('g')], Action::Top, "Go to top"),
            b(&[k(K::Home)], Action::Top, "Go to top"),
            b(&[ch('G')], Action::Bottom, "Go to bottom"),
            b(&[k(K::End)], Action::Bottom, "Go to bottom"),
            b(&[k(K::Enter)], Action::Open, "Open details"),
            b(&[k(K::Esc)], Action::Back, "Back"),
            b(&[ch('/')], Action::Filter, "Filter the list"),
            b(&[ch('o')], Action::SortNext, "Sort by the next column"),
            b(&[ch('O')], Action::SortReverse, "Reverse the sort"),
            b(&[ch('h')], Action::Collapse, "Collapse"),
            b(&[k(K::Left)], Action::Collapse, "Collapse"),
            b(&[ch('l')], Action::Expand, "Expand"),
            b(&[k(K::Right)], Action::Expand, "Expand"),
            b(&[ch('[')], Action::ViewPrev, "Previous view"),
            b(&[k(K::Left)], Action::ViewPrev, "Previous view"),
            b(&[ch(']')], Action::ViewNext, "Next view"),
            b(&[k(K::Right)], Action::ViewNext, "Next view"),
            b(&[ch('b')], Action::Boot, "Boot the zone"),
            b(&[ch('s')], Action::Shutdown, "Shut the zone down"),
            b(&[ch('H')], Action::Halt, "Halt the zone"),
            b(&[ch('r')], Action::Reboot, "Reboot the zone"),
            b(&[ch('x')], Action::Exec, "Run a command in the zone"),
            b(&[ch('c')], Action::Create, "Create a zone"),
            b(&[ch('e')], Action::Edit, "Edit the zone's configuration"),
            b(&[ch('C')], Action::CloneZone, "Clone the zone"),
            b(&[ch('D')], Action::Delete, "Delete the zone"),
            b(&[ch('a')], Action::Attach, "Attach to the zone's console"),
            b(&[ch('l')], Action::Login, "Log into the zone (a shell)"),
            b(
                &[ch('F')],
                Action::Fullscreen,
                "Console full screen, or beside the list",
            ),
            b(&[ch('v')], Action::Select, "Copy lines of the console"),
            b(&[ch('X')], Action::CancelTask, "Cancel the task"),
            b(&[ch('y')], Action::Copy, "Copy the task's commands"),
            b(&[ch('f')], Action::Follow, "Follow the log"),
        ];
        *map.section_mut(Context::Filter) = vec![
            b(&[k(K::Enter)], Action::Accept, "Keep the filter"),
            b(&[k(K::Esc)], Action::Clear, "Clear the filter"),
        ];
        *map.section_mut(Context::Palette) = vec![
            b(&[k(K::Enter)], Action::Run, "Run the command"),
            b(&[k(K::Esc)], Action::Close, "Close"),
            b(&[k(K::Tab)], Action::Complete, "Complete"),
            b(
                &[k(K::BackTab)],
                Action::CompletePrev,
                "Previous completion",
            ),
            b(&[k(K::Down)], Action::Down, "Next suggestion"),
            b(&[k(K::Up)], Action::Up, "Previous suggestion"),
        ];
        *map.section_mut(Context::Dialog) = vec![
            b(&[k(K::Enter)], Action::Confirm, "Press the chosen button"),
            b(&[k(K::Tab)], Action::NextField, "Next button"),
            b(&[k(K::BackTab)], Action::PrevField, "Previous button"),
            b(&[k(K::Right)], Action::NextField, "Next button"),
            b(&[k(K::Left)], Action::PrevField, "Previous button"),
            b(&[k(K::Esc)], Action::Cancel, "Cancel"),
            b(&[ch('q')], Action::Cancel, "Cancel"),
            b(&[ch('j')], Action::Down, "Scroll down"),
            b(&[k(K::Down)], Action::Down, "Scroll down"),
            b(&[ch('k')], Action::Up, "Scroll up"),
            b(&[k(K::Up)], Action::Up, "Scroll up"),
            b(&[k(K::PageDown)], Action::PageDown, "Page down"),
            b(&[k(K::PageUp)], Action::PageUp, "Page up"),
        ];
        *map.section_mut(Context::Form) = vec![
            b(&[k(K::Tab)], Action::NextField, "Next field"),
            b(&[k(K::BackTab)], Action::PrevField, "Previous field"),
            b(&[k(K::Enter)], Action::Submit, "Next step"),
            b(&[k(K::Esc)], Action::Back, "Back"),
            b(&[k(K::Down)], Action::Down, "Next field, or next choice"),
            b(
                &[k(K::Up)],
                Action::Up,
                "Previous field, or previous choice",
            ),
            b(&[k(K::Right)], Action::ChoiceNext, "Next choice"),
            b(&[k(K::Left)], Action::ChoicePrev, "Previous choice"),
            b(&[ch(' ')], Action::Toggle, "Toggle, or press the button"),
            b(&[Key::ctrl('n')], Action::AddItem, "Add an item"),
            b(&[Key::ctrl('x')], Action::RemoveItem, "Remove the item"),
            b(
                &[k(K::PageDown)],
                Action::PageDown,
                "Scroll the review down",
            ),
            b(&[k(K::PageUp)], Action::PageUp, "Scroll the review up"),
            b(&[ch('s')], Action::Save, "Save the spec to a file"),
            b(&[k(K::F(1))], Action::Help, "Keys of the form"),
            b(&[ch('?')], Action::Help, "Keys of the form"),
        ];
        *map.section_mut(Context::Console) = vec![
            b(&[Key::ctrl(']')], Action::Detach, "Detach from the console"),
            b(
                &[Key {
                    code: K::PageUp,
                    mods: ratatui::crossterm::event::KeyModifiers::SHIFT,
                }],
                Action::ScrollUp,
                "Scroll back",
            ),
            b(
                &[Key {
                    code: K::PageDown,
                    mods: ratatui::crossterm::event::KeyModifiers::SHIFT,
                }],
                Action::ScrollDown,
                "Scroll forward",
            ),
        ];
        *map.section_mut(Context::Copy) = vec![
            b(&[ch('j')], Action::Down, "Next line"),
            b(&[k(K::Down)], Action::Down, "Next line"),
            b(&[ch('k')], Action::Up, "Previous line"),
            b(&[k(K::Up)], Action::Up, "Previous line"),
            b(&[k(K::PageDown)], Action::PageDown, "Page down"),
            b(&[k(K::PageUp)], Action::PageUp, "Page up"),
            b(&[ch('g')], Action::Top, "Oldest line kept"),
            b(&[ch('G')], Action::Bottom, "Live screen"),
            b(&[ch('v')], Action::Select, "Mark the line (again: unmark)"),
            b(&[ch(' ')], Action::Select, "Mark the line (again: unmark)"),
            b(&[ch('y')], Action::Copy, "Copy the marked lines"),
            b(&[k(K::Enter)], Action::Copy, "Copy the marked lines"),
            b(&[k(K::Esc)], Action::Back, "Leave copy mode"),
            b(&[ch('q')], Action::Back, "Leave copy mode"),
        ];
        map
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn action_names_are_unique_and_round_trip() {
        for a in Action::ALL {
            assert_eq!(Action::from_name(a.name()), Some(*a));
        }
    }

    #[test]
    fn chords_wait_for_their_second_key() {
        let map = Keymap::builtin();
        let ctx = [Context::List, Context::Global];
        assert_eq!(map.lookup(&ctx, &[Key::ch('g')]), Lookup::Pending);
        assert_eq!(
            map.lookup(&ctx, &[Key::ch('g'), Key::ch('g')]),
            Lookup::Actions(vec![Action::Top])
        );
        assert_eq!(
            map.lookup(&ctx, &[Key::ch('g'), Key::ch('x')]),
            Lookup::None
        );
    }

    #[test]
    fn specific_context_comes_first() {
        let map = Keymap::builtin();
        let left = Key::plain(ratatui::crossterm::event::KeyCode::Left);
        assert_eq!(
            map.lookup(&[Context::List, Context::Global], &[left]),
            Lookup::Actions(vec![Action::Collapse, Action::ViewPrev])
        );
        let esc = Key::plain(ratatui::crossterm::event::KeyCode::Esc);
        assert_eq!(
            map.lookup(&[Context::Filter, Context::List], &[esc]),
            Lookup::Actions(vec![Action::Clear, Action::Back])
        );
    }
}

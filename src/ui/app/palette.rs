//! The command palette (`:`): commands and every bound action, with completion.

use super::{App, Effect, Level, Mode};
use crate::ops::zone::{Lifecycle, ZoneFacts};
use crate::ui::config::{Action, Context};
use crate::ui::input::LineInput;
use crate::ui::panes::{NetView, PaneId};
use crate::ui::sessions::SessionKind;

#[derive(Debug, Default)]
pub struct Palette {
    pub input: LineInput,
    /// The highlighted suggestion.
    pub selected: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// What completion puts on the command line.
    pub text: String,
    pub desc: String,
    /// The keys bound to it, if any.
    pub keys: String,
    /// Why it does not apply now (shown greyed out with this reason).
    pub unavailable: Option<String>,
}

/// Commands that take words after them, or that no key is bound to by default.
const COMMANDS: &[(&str, &str)] = &[
    ("zones", "Show the Zones pane"),
    ("tasks", "Show the Tasks pane"),
    ("datasets", "Show the Datasets pane"),
    (
        "network",
        "Show the Network pane: network [links|vnics|etherstubs|addresses|nat|dhcp|forwarding]",
    ),
    ("restart", "Halt the zone, then boot it: restart [ZONE]"),
    ("poweroff", "Power a bhyve VM off at once: poweroff [ZONE]"),
    (
        "autoboot",
        "Boot the zone with the host: autoboot on|off [ZONE]",
    ),
    ("clone", "Clone a halted zone: clone [ZONE]"),
    ("delete", "Delete a zone: delete [ZONE] [cleanup]"),
    ("cancel", "Cancel a task: cancel ID"),
    (
        "create",
        "Create a zone: create, or create FILE.json to start from a spec file",
    ),
    ("edit", "Edit a zone's configuration: edit [ZONE]"),
    (
        "console",
        "Attach to a zone's console (zlogin -C): console [ZONE]",
    ),
    (
        "login",
        "Open a shell in a running zone (zlogin): login [ZONE]",
    ),
    ("sessions", "List the open consoles, to attach to one"),
    ("close", "End a console session: close [N] (the shown one)"),
    (
        "transcript",
        "Save the shown console's scrollback and screen: transcript FILE",
    ),
    ("theme", "Switch the theme: theme NAME"),
    ("filter", "Filter the focused list: filter TEXT"),
    ("refresh", "Read the host again now"),
    ("help", "Keys of the focused context"),
    ("quit", "Quit zcon"),
];

impl App {
    /// What the palette offers for the text typed so far.
    pub fn palette_candidates(&self) -> Vec<Candidate> {
        let Mode::Palette(palette) = &self.mode else {
            return Vec::new();
        };
        let typed = palette.input.text();
        if let Some((command, arg)) = typed.split_once(' ') {
            let zones = || {
                self.inventory
                    .zones
                    .iter()
                    .map(|z| z.name.clone())
                    .collect()
            };
            let words: Vec<String> = match command {
                "theme" => crate::ui::config::theme_names(self.config_dir.as_deref()),
                "network" => NetView::ALL.iter().map(|v| v.name().to_string()).collect(),
                "exec" | "clone" | "delete" | "edit" | "console" | "login" => zones(),
                "close" => self
                    .sessions
                    .list
                    .iter()
                    .map(|s| s.number.to_string())
                    .collect(),
                "create" => spec_files(),
                c if Lifecycle::parse(c).is_some() => zones(),
                "autoboot" if !arg.contains(' ') => vec!["on".into(), "off".into()],
                "autoboot" => {
                    let (state, _) = arg.split_once(' ').unwrap_or((arg, ""));
                    let names: Vec<String> = zones();
                    names.into_iter().map(|z| format!("{state} {z}")).collect()
                }
                "cancel" => self
                    .tasks
                    .tasks
                    .values()
                    .filter(|t| !t.status.is_final())
                    .map(|t| t.id.to_string())
                    .collect(),
                _ => Vec::new(),
            };
            let arg = arg.trim_start();
            return words
                .into_iter()
                .filter(|w| w.starts_with(arg))
                .map(|w| Candidate {
                    unavailable: Lifecycle::parse(command).and_then(|l| {
                        let zone = self.inventory.zone(&w)?;
                        crate::ops::zone::check(l, &ZoneFacts::of(zone)).err()
                    }),
                    text: format!("{command} {w}"),
                    desc: String::new(),
                    keys: String::new(),
                })
                .collect();
        }
        let keymap = &self.settings.keymap;
        let contexts = [Context::Global, Context::List];
        let keys_of = |name: &str| {
            Action::from_name(name)
                .map(|a| {
                    let keys: Vec<String> = keymap
                        .keys_for(&contexts, a)
                        .iter()
                        .map(|b| b.keys_label())
                        .collect();
                    keys.join(", ")
                })
                .unwrap_or_default()
        };
        let mut out: Vec<Candidate> = COMMANDS
            .iter()
            .map(|(name, desc)| Candidate {
                text: name.to_string(),
                desc: desc.to_string(),
                keys: keys_of(name),
                unavailable: self.unavailable(name),
            })
            .collect();
        for context in contexts {
            for b in keymap.section(context) {
                let name = b.run.name();
                if out.iter().any(|c| c.text == name) || !self.applies_anywhere(b.run) {
                    continue;
                }
                out.push(Candidate {
                    text: name.to_string(),
                    desc: b.desc.clone(),
                    keys: keys_of(name),
                    unavailable: self.unavailable(name),
                });
            }
        }
        out.retain(|c| c.text.starts_with(typed) || (!typed.is_empty() && c.text.contains(typed)));
        out
    }

    /// Why a zone action would not apply to the focused zone now.
    fn unavailable(&self, name: &str) -> Option<String> {
        let action = Lifecycle::parse(name)?;
        if self.focus != PaneId::Zones {
            return Some(format!("give a zone: {name} ZONE"));
        }
        self.zone_action_state(action).err()
    }

    /// Actions the palette can run: those of panes and lists, not of popups or forms.
    fn applies_anywhere(&self, action: Action) -> bool {
        !matches!(
            action,
            Action::Accept
                | Action::Clear
                | Action::Run
                | Action::Close
                | Action::Complete
                | Action::CompletePrev
                | Action::Confirm
                | Action::Cancel
                | Action::NextField
                | Action::PrevField
                | Action::Submit
                | Action::ChoicePrev
                | Action::ChoiceNext
                | Action::Toggle
                | Action::AddItem
                | Action::RemoveItem
                | Action::Save
                | Action::Detach
                | Action::ScrollUp
                | Action::ScrollDown
                | Action::Palette
        )
    }

    pub(super) fn complete(&mut self, forward: bool) {
        let candidates = self.palette_candidates();
        let Mode::Palette(palette) = &mut self.mode else {
            return;
        };
        if candidates.is_empty() {
            return;
        }
        let n = candidates.len();
        // The first Tab takes the highlighted suggestion; the next ones cycle.
        if candidates[palette.selected.min(n - 1)].text == palette.input.text() {
            palette.selected = if forward {
                (palette.selected + 1) % n
            } else {
                (palette.selected + n - 1) % n
            };
        }
        let pick = &candidates[palette.selected.min(n - 1)].text;
        let takes_argument = matches!(
            pick.as_str(),
            "theme"
                | "network"
                | "filter"
                | "exec"
                | "autoboot"
                | "cancel"
                | "clone"
                | "delete"
                | "create"
                | "edit"
                | "console"
                | "login"
                | "close"
                | "transcript"
        );
        palette.input.set(&if takes_argument {
            format!("{pick} ")
        } else {
            pick.clone()
        });
    }

    pub fn palette_move(&mut self, down: bool) {
        let n = self.palette_candidates().len();
        if let Mode::Palette(palette) = &mut self.mode
            && n > 0
        {
            palette.selected = if down {
                (palette.selected + 1).min(n - 1)
            } else {
                palette.selected.saturating_sub(1)
            };
        }
    }

    pub(super) fn run_palette(&mut self) {
        let Mode::Palette(palette) = std::mem::replace(&mut self.mode, Mode::Normal) else {
            return;
        };
        let line = palette.input.text().trim().to_string();
        let (command, arg) = match line.split_once(' ') {
            Some((c, a)) => (c, a.trim()),
            None => (line.as_str(), ""),
        };
        if command.is_empty() {
            return;
        }
        if let Some(pane) = PaneId::ALL.into_iter().find(|p| p.command() == command) {
            self.focus = pane;
            if pane == PaneId::Network && !arg.is_empty() {
                match NetView::from_name(arg) {
                    Some(view) => self.net_view = view,
                    None => self.notify(
                        Level::Error,
                        format!("no network view '{arg}': links, vnics, etherstubs, addresses, nat, dhcp or forwarding"),
                    ),
                }
            }
            return;
        }
        if let Some(action) = Lifecycle::parse(command) {
            let name = (!arg.is_empty()).then_some(arg);
            self.zone_action(action, name);
            return;
        }
        match command {
            "exec" => self.exec_prompt((!arg.is_empty()).then_some(arg)),
            "create" if arg.is_empty() => self.open_create_wizard(None),
            "create" => self.open_create_from_file(arg),
            "edit" => self.open_edit_wizard((!arg.is_empty()).then_some(arg)),
            "clone" => self.clone_prompt((!arg.is_empty()).then_some(arg)),
            "delete" => {
                let (zone, cleanup) = match arg.split_once(' ') {
                    Some((z, "cleanup")) => (z, true),
                    Some(_) => {
                        self.notify(Level::Error, "delete [ZONE] [cleanup]");
                        return;
                    }
                    None => (arg, false),
                };
                self.delete_dialog_with((!zone.is_empty()).then_some(zone), cleanup);
            }
            "autoboot" => {
                let (state, zone) = arg.split_once(' ').unwrap_or((arg, ""));
                let zone = (!zone.trim().is_empty()).then_some(zone.trim());
                match state {
                    "on" => self.autoboot(zone, true),
                    "off" => self.autoboot(zone, false),
                    _ => self.notify(Level::Error, "autoboot on|off [ZONE]"),
                }
            }
            "cancel" => match arg.trim_start_matches('#').parse::<u64>() {
                Ok(id) => {
                    self.focus = PaneId::Tasks;
                    self.task_list.set_filter("");
                    self.task_list.select_key(&id.to_string());
                    self.details[PaneId::Tasks.index()] = None;
                    self.cancel_task();
                }
                Err(_) => self.notify(Level::Error, "cancel ID (the task's number)"),
            },
            "theme" => self.switch_theme(arg),
            "filter" => {
                self.details[self.focus.index()] = None;
                self.set_filter(arg);
            }
            "console" => self.attach(SessionKind::Console, (!arg.is_empty()).then_some(arg)),
            "login" => self.attach(SessionKind::Login, (!arg.is_empty()).then_some(arg)),
            "sessions" => self.list_sessions(),
            "close" if arg.is_empty() => self.close_session(None),
            "close" => match arg.trim_start_matches('#').parse() {
                Ok(n) => self.close_session(Some(n)),
                Err(_) => self.notify(Level::Error, "close [N]: N is the session's number"),
            },
            "transcript" => self.save_transcript(arg),
            "quit" => self.effects.push(Effect::Quit),
            _ => match Action::from_name(command) {
                Some(action) if self.applies_anywhere(action) => {
                    if !self.run_action(action) {
                        self.notify(Level::Warning, format!("'{command}' does not apply here"));
                    }
                }
                _ => self.notify(
                    Level::Error,
                    format!("unknown command '{command}' (Tab lists the commands)"),
                ),
            },
        }
    }

    fn switch_theme(&mut self, name: &str) {
        if name.is_empty() {
            let names = crate::ui::config::theme_names(self.config_dir.as_deref()).join(", ");
            self.notify(Level::Error, format!("theme NAME: one of {names}"));
            return;
        }
        let mut warnings = Vec::new();
        match crate::ui::config::load_theme(name, self.config_dir.as_deref(), &mut warnings) {
            Some(theme) => {
                self.settings.theme = theme;
                match warnings.first() {
                    Some(w) => self.notify(Level::Warning, w.to_string()),
                    None => self.notify(Level::Info, format!("theme {name}")),
                }
            }
            None => {
                let names = crate::ui::config::theme_names(self.config_dir.as_deref()).join(", ");
                self.notify(Level::Error, format!("no theme '{name}': one of {names}"));
            }
        }
    }
}

/// The JSON files in the current directory, for `:create FILE.json`.
fn spec_files() -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(".") else {
        return Vec::new();
    };
    let mut files: Vec<String> = entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    files.sort();
    files
}

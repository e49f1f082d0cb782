//! The console's state and what the operator's input does to it. Drawing is in `draw`; the
//! event loop (terminal, refresh, signals) in `run`.

mod console;
mod keys;
mod lifecycle;
mod open;
pub mod palette;
pub mod tasks;
mod wizard;

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::config::{Key, Settings};
use super::detail::DetailView;
use super::input::LineInput;
use super::list::{Cursor, TableList};
use super::panes::{self, NetView, PaneId};
use super::sessions::{CopyMode, SessionKind, Sessions};
use super::tree::DatasetTree;
use crate::exec::engine::Submission;
use crate::exec::model::{TaskBook, TaskId};
use crate::host::Inventory;
use crate::sys::zfs::PropertyValue;
pub use palette::Palette;
pub use tasks::{Confirm, Prompt, PromptFor, Then};

/// What the event loop must do for the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Refresh,
    /// `zfs get all` of a dataset, for its detail page.
    LoadDatasetProps(String),
    /// Hand tasks to the worker; `what` names them in messages.
    Submit {
        what: String,
        tasks: Vec<Submission>,
    },
    CancelTask(TaskId),
    /// Read the `zcon:zone` tags of a zone's datasets, then open its delete dialog.
    LoadZoneTags {
        zone: String,
        cleanup: bool,
    },
    /// Put text on the terminal's clipboard (OSC 52).
    Copy(String),
    /// Start `zlogin -C` or `zlogin` for a zone on a pseudo-terminal.
    OpenSession {
        zone: String,
        kind: SessionKind,
    },
    Quit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Info,
    Warning,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub level: Level,
    pub until: Instant,
}

/// What has the keyboard besides the focused pane.
#[derive(Debug)]
pub enum Mode {
    Normal,
    /// Typing the focused list's filter.
    Filter(LineInput),
    Palette(Palette),
    Help(HelpView),
    /// A confirmation with the exact commands.
    Confirm(Confirm),
    /// A line of input for an action.
    Prompt(Prompt),
    /// The create or edit wizard.
    Wizard(Box<crate::ui::wizard::Wizard>),
    /// Copy mode over the shown console's lines.
    Copy(CopyMode),
    /// `:sessions`: the open consoles, the highlighted one's index.
    Sessions(usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HelpLine {
    Heading(String),
    Binding { keys: String, desc: String },
    Blank,
}

/// The help popup: bindings of the focused context first, then every other binding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpView {
    pub lines: Vec<HelpLine>,
    pub cursor: Cursor,
}

/// Screen areas of the last frame, for the mouse.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Hits {
    pub tabs: ratatui::layout::Rect,
    /// Where the first visible row of the focused list is drawn, and how many rows fit.
    pub rows: ratatui::layout::Rect,
}

pub struct App {
    pub settings: Settings,
    pub config_dir: Option<PathBuf>,
    pub read_only: bool,
    /// The host's `/` (a sim's root directory): the wizards look for ISOs beneath it.
    pub host_root: PathBuf,
    pub inventory: Arc<Inventory>,
    /// The first refresh has arrived.
    pub loaded: bool,
    pub focus: PaneId,
    pub zones: TableList,
    pub datasets: DatasetTree,
    pub net_view: NetView,
    pub net: Vec<TableList>,
    /// An open detail page per pane.
    pub details: [Option<DetailView>; 4],
    /// Properties from `zfs get all` for the dataset page, by dataset name.
    pub dataset_props: Option<(String, Vec<PropertyValue>)>,
    pub mode: Mode,
    pub pending: Vec<Key>,
    pub message: Option<Message>,
    pub effects: Vec<Effect>,
    /// The operator asked for a refresh (`R`); the next snapshot says how long it took.
    pub refresh_asked: bool,
    /// Unix seconds, for the uptime in the header.
    pub now: i64,
    /// Rows of the focused list on screen (set when drawing; page moves use it).
    pub page: usize,
    pub hits: Hits,
    /// Every task of the journal, and the Tasks pane's list of them.
    pub tasks: TaskBook,
    pub task_list: TableList,
    /// The journal has been read once (later endings are announced).
    pub tasks_loaded: bool,
    /// Tasks this console submitted (their success is announced too).
    pub submitted: HashSet<TaskId>,
    /// The embedded consoles.
    pub sessions: Sessions,
    /// Running zones whose changes wait for their next boot (see `panes::pending_reboots`).
    pub pending_reboots: BTreeMap<String, (TaskId, i64)>,
    /// A task page keeps its last log line in view.
    pub follow: bool,
    /// What `/` looks for on a task page.
    pub page_search: String,
}

impl App {
    pub fn new(settings: Settings, config_dir: Option<PathBuf>, read_only: bool) -> App {
        let read_only = read_only || settings.config.read_only;
        let mut app = App {
            settings,
            config_dir,
            read_only,
            host_root: PathBuf::from("/"),
            inventory: Arc::new(Inventory::default()),
            loaded: false,
            focus: PaneId::Zones,
            zones: TableList::new(panes::zones_table(&Inventory::default(), &BTreeMap::new())),
            datasets: DatasetTree::default(),
            net_view: NetView::Links,
            net: NetView::ALL
                .iter()
                .map(|v| TableList::new(v.table(&Inventory::default())))
                .collect(),
            details: [None, None, None, None],
            dataset_props: None,
            mode: Mode::Normal,
            pending: Vec::new(),
            message: None,
            effects: Vec::new(),
            refresh_asked: false,
            now: jiff::Timestamp::now().as_second(),
            page: 10,
            hits: Hits::default(),
            tasks: TaskBook::default(),
            task_list: tasks::tasks_list(),
            tasks_loaded: false,
            pending_reboots: BTreeMap::new(),
            sessions: Sessions::default(),
            submitted: HashSet::new(),
            follow: true,
            page_search: String::new(),
        };
        if let Some(first) = app.settings.warnings.first() {
            let more = app.settings.warnings.len() - 1;
            let text = if more > 0 {
                format!("{first} (and {more} more: zcon --print-config)")
            } else {
                first.to_string()
            };
            app.notify(Level::Warning, text);
        }
        app
    }

    pub fn notify(&mut self, level: Level, text: impl Into<String>) {
        let seconds = match level {
            Level::Info => 4,
            Level::Warning | Level::Error => 10,
        };
        self.message = Some(Message {
            text: text.into(),
            level,
            until: Instant::now() + Duration::from_secs(seconds),
        });
    }

    /// Drop an expired message; true when the screen changes.
    pub fn expire_message(&mut self, now: Instant) -> bool {
        if self.message.as_ref().is_some_and(|m| m.until <= now) {
            self.message = None;
            return true;
        }
        false
    }

    /// The uptime the header shows, if the host told its boot time.
    pub fn uptime(&self) -> Option<String> {
        let boot = self.inventory.system.as_ref()?.boot_time?;
        Some(crate::host::inventory::uptime_text(boot, self.now))
    }

    pub fn take_effects(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.effects)
    }

    /// A new snapshot of the host. False when it shows nothing new (no redraw needed).
    pub fn set_inventory(&mut self, inv: Inventory) -> bool {
        let first = !self.loaded;
        self.loaded = true;
        let asked = std::mem::take(&mut self.refresh_asked);
        if asked {
            let took = inv.duration.as_millis();
            self.notify(Level::Info, format!("Refreshed in {took} ms"));
        }
        if !first && same_contents(&self.inventory, &inv) {
            return asked;
        }
        let fatal: Vec<String> = inv
            .problems
            .iter()
            .filter(|p| p.fatal)
            .map(|p| format!("{}: {}", p.source, p.message.lines().last().unwrap_or("")))
            .collect();
        if let Some(first) = fatal.first() {
            self.notify(Level::Error, first.clone());
        }
        let inv = Arc::new(inv);
        self.datasets.set_inventory(inv.clone());
        for (view, list) in NetView::ALL.iter().zip(&mut self.net) {
            list.set_table(view.table(&inv));
        }
        self.inventory = inv;
        self.rebuild_zones();
        self.refresh_details();
        true
    }

    /// The Zones list from the inventory and the journal (which zones await a reboot).
    pub(crate) fn rebuild_zones(&mut self) {
        self.pending_reboots = panes::pending_reboots(&self.inventory, &self.tasks);
        self.zones
            .set_table(panes::zones_table(&self.inventory, &self.pending_reboots));
    }

    pub fn set_dataset_props(&mut self, name: String, props: Vec<PropertyValue>) {
        self.dataset_props = Some((name, props));
        self.refresh_details();
    }

    /// The focused pane's detail page, if open.
    pub fn detail(&self) -> Option<&DetailView> {
        self.details[self.focus.index()].as_ref()
    }

    pub fn detail_mut(&mut self) -> Option<&mut DetailView> {
        self.details[self.focus.index()].as_mut()
    }

    pub fn net_list(&self) -> &TableList {
        &self.net[self.net_view.index()]
    }

    pub fn net_list_mut(&mut self) -> &mut TableList {
        &mut self.net[self.net_view.index()]
    }

    /// The filter text of the focused list.
    pub fn filter_text(&self) -> &str {
        match self.focus {
            PaneId::Zones => self.zones.filter.text(),
            PaneId::Datasets => self.datasets.filter.text(),
            PaneId::Network => self.net_list().filter.text(),
            PaneId::Tasks if self.detail().is_some() => &self.page_search,
            PaneId::Tasks => self.task_list.filter.text(),
        }
    }

    fn set_filter(&mut self, text: &str) {
        match self.focus {
            PaneId::Zones => self.zones.set_filter(text),
            PaneId::Datasets => self.datasets.set_filter(text),
            PaneId::Network => self.net_list_mut().set_filter(text),
            PaneId::Tasks if self.detail().is_some() => self.search_page(text),
            PaneId::Tasks => self.task_list.set_filter(text),
        }
    }

    /// Move a page's cursor to the first line that contains `text` (any case), searching
    /// from the top; the search stays for `n`-like repeats through `/` Enter.
    fn search_page(&mut self, text: &str) {
        self.page_search = text.to_string();
        let needle = text.to_lowercase();
        let Some(view) = self.detail_mut() else {
            return;
        };
        if needle.is_empty() {
            return;
        }
        let hit = view.lines.iter().position(|line| match line {
            super::detail::PageLine::Field(l) => {
                l.value.to_lowercase().contains(&needle) || l.key.to_lowercase().contains(&needle)
            }
            super::detail::PageLine::Heading(h) => h.to_lowercase().contains(&needle),
            super::detail::PageLine::Blank => false,
        });
        match hit {
            Some(i) => {
                view.cursor.selected = i;
                self.follow = false;
            }
            None => self.notify(Level::Info, format!("{text:?} is not on this page")),
        }
    }

    /// The cursor and length of whatever list has focus (a detail page, help, or a pane).
    fn focused_cursor(&mut self) -> Option<(&mut Cursor, usize)> {
        if let Mode::Help(help) = &mut self.mode {
            let len = help.lines.len();
            return Some((&mut help.cursor, len));
        }
        let pane = self.focus.index();
        if let Some(detail) = self.details[pane].as_mut() {
            let len = detail.len();
            return Some((&mut detail.cursor, len));
        }
        match self.focus {
            PaneId::Zones => {
                let len = self.zones.len();
                Some((&mut self.zones.cursor, len))
            }
            PaneId::Datasets => {
                let len = self.datasets.len();
                Some((&mut self.datasets.cursor, len))
            }
            PaneId::Network => {
                let list = &mut self.net[self.net_view.index()];
                let len = list.len();
                Some((&mut list.cursor, len))
            }
            PaneId::Tasks => {
                let len = self.task_list.len();
                Some((&mut self.task_list.cursor, len))
            }
        }
    }
}

/// Whether two snapshots show the same (ignoring how long they took to read).
fn same_contents(a: &Inventory, b: &Inventory) -> bool {
    a.zones == b.zones
        && a.datasets == b.datasets
        && a.pools == b.pools
        && a.links == b.links
        && a.phys == b.phys
        && a.vnics == b.vnics
        && a.etherstubs == b.etherstubs
        && a.addresses == b.addresses
        && a.nat == b.nat
        && a.forwarding == b.forwarding
        && a.dhcp == b.dhcp
        && a.services == b.services
        && a.problems == b.problems
        && a.system == b.system
}

//! Tasks in the console: the journal followed into the Tasks pane, zone actions confirmed and
//! submitted, cancel, copy and the log's follow mode.

use super::{App, Effect, Level, Mode};
use crate::exec::engine::Submission;
use crate::exec::journal::Polled;
use crate::exec::model::{Change, TaskBook, TaskId, TaskStatus};
use crate::host::inventory::Zone;
use crate::ops::Plan;
use crate::ops::zone::{self as zone_ops, Lifecycle, ZoneFacts};
use crate::ui::config::Action;
use crate::ui::input::LineInput;
use crate::ui::list::{Sort, TableList};
use crate::ui::panes::{self, PaneId};
use crate::views::detail::Detail;
use crate::views::tasks as task_views;

/// What a confirmed dialog does.
#[derive(Debug, Clone)]
pub enum Then {
    Submit(Plan),
    CancelTask(TaskId),
    /// Ask for the zone's name to be typed, then submit (delete).
    TypeName(Plan),
    /// End the embedded console session with this number.
    CloseSession(usize),
}

/// A question with the exact commands, and Run / Cancel buttons.
#[derive(Debug, Clone)]
pub struct Confirm {
    pub title: String,
    pub lines: Vec<String>,
    pub run_label: String,
    /// The focused button is Run (else Cancel). Destructive actions start on Cancel.
    pub on_run: bool,
    pub then: Then,
}

/// A line of input for an action (the command `x` runs in a zone).
#[derive(Debug, Clone)]
pub struct Prompt {
    pub title: String,
    pub input: LineInput,
    pub zone: String,
    pub purpose: PromptFor,
}

/// What the prompt's line is for.
#[derive(Debug, Clone)]
pub enum PromptFor {
    /// The command `x` runs in the zone.
    Exec,
    /// The name of the zone `C` makes.
    CloneName,
    /// The zone's name typed to confirm its deletion.
    DeleteName(Box<Plan>),
}

pub fn tasks_list() -> TableList {
    let mut list = TableList::new(panes::tasks_table(&TaskBook::default(), 0));
    list.sort = Some(Sort {
        column: 0,
        reverse: true,
    });
    list
}

impl App {
    /// New journal entries; true when the screen changes.
    pub fn apply_journal(&mut self, polled: Polled) -> bool {
        if polled.reset {
            self.tasks = TaskBook::default();
        }
        if polled.entries.is_empty() && !polled.reset {
            return false;
        }
        let mut finished = Vec::new();
        for entry in &polled.entries {
            if let Change::Finished(id, status) = self.tasks.apply(entry) {
                finished.push((id, status));
            }
        }
        // The journal's first reading or an ended task may change which zones await a boot.
        if !self.tasks_loaded || !finished.is_empty() {
            self.rebuild_zones();
        }
        // Entries replayed at start describe the past: announce only what ends from now on.
        if self.tasks_loaded && !finished.is_empty() {
            for (id, status) in finished {
                self.announce(id, status);
            }
            // A finished task changed the host: read it again now (not on every output line).
            self.effects.push(Effect::Refresh);
        }
        self.tasks_loaded = true;
        self.refresh_task_views();
        true
    }

    pub(crate) fn refresh_task_views(&mut self) {
        let now = crate::exec::journal::now_ms();
        self.task_list
            .set_table(panes::tasks_table(&self.tasks, now));
        if self.details[PaneId::Tasks.index()].is_some() {
            self.refresh_task_page();
        }
    }

    fn refresh_task_page(&mut self) {
        let Some(key) = self.details[PaneId::Tasks.index()]
            .as_ref()
            .map(|d| d.key.clone())
        else {
            return;
        };
        let Some(page) = self.page_for(PaneId::Tasks, &key) else {
            return;
        };
        let follow = self.follow;
        if let Some(view) = self.details[PaneId::Tasks.index()].as_mut() {
            view.replace(page);
            if follow {
                view.cursor.to_bottom(view.len());
            }
        }
    }

    fn announce(&mut self, id: TaskId, status: TaskStatus) {
        let Some(task) = self.tasks.get(id) else {
            return;
        };
        let what = format!("task #{id} {} {}", task.operation, task.target);
        let error = task.error.clone().unwrap_or_default();
        match status {
            TaskStatus::Succeeded if self.submitted.contains(&id) => {
                self.notify(Level::Info, format!("{what} succeeded"));
            }
            TaskStatus::Failed | TaskStatus::Interrupted => {
                let mut text = format!("{what} {status}: {error}");
                if task.operation == "shutdown" {
                    let halt = self.key_label(Action::Halt);
                    text.push_str(&format!(" — {halt} halts it at once"));
                }
                self.notify(Level::Error, text);
            }
            TaskStatus::Cancelled => self.notify(Level::Warning, format!("{what} cancelled")),
            _ => {}
        }
    }

    /// The first key bound to an action in the list context, for messages.
    fn key_label(&self, action: Action) -> String {
        let contexts = [crate::ui::config::Context::List];
        self.settings
            .keymap
            .keys_for(&contexts, action)
            .first()
            .map_or_else(|| format!(":{}", action.name()), |b| b.keys_label())
    }

    /// The worker took (or refused) what was submitted.
    pub fn submitted(&mut self, what: &str, result: Result<Vec<TaskId>, String>) {
        match result {
            Ok(ids) => {
                let list: Vec<String> = ids.iter().map(|i| format!("#{i}")).collect();
                self.submitted.extend(ids);
                self.notify(
                    Level::Info,
                    format!("{what}: task {} queued (2 shows tasks)", list.join(", ")),
                );
            }
            Err(e) => self.notify(Level::Error, format!("{what}: {e}")),
        }
    }

    /// The zone the focus is on: the Zones pane's selection or its open page.
    pub fn focused_zone(&self) -> Option<&Zone> {
        if self.focus != PaneId::Zones {
            return None;
        }
        let name = match self.detail() {
            Some(page) => page.key.as_str(),
            None => self.zones.selected_key()?,
        };
        self.inventory.zone(name)
    }

    /// The task the focus is on: the Tasks pane's selection or its open page.
    pub fn focused_task(&self) -> Option<TaskId> {
        if self.focus != PaneId::Tasks {
            return None;
        }
        let key = match self.detail() {
            Some(page) => page.key.as_str(),
            None => self.task_list.selected_key()?,
        };
        key.parse().ok()
    }

    /// Whether a zone action can run on the focused zone; the error says why not.
    pub fn zone_action_state(&self, action: Lifecycle) -> Result<(), String> {
        let Some(zone) = self.focused_zone() else {
            return Err("select a zone first".into());
        };
        zone_ops::check(action, &ZoneFacts::of(zone))
    }

    pub(super) fn refuse_read_only(&mut self, what: &str) -> bool {
        if self.read_only {
            self.notify(
                Level::Error,
                format!(
                    "read-only mode: {what} refused (started with --read-only or read_only = true)"
                ),
            );
        }
        self.read_only
    }

    /// Ask to run a lifecycle action on the focused zone (or on `name`).
    /// The zone a command names, or the focused one; None (said to the operator) when there
    /// is no such zone.
    pub(super) fn target_zone(&mut self, name: Option<&str>) -> Option<String> {
        let zone = match name {
            Some(n) => self.inventory.zone(n),
            None => self.focused_zone(),
        };
        if let Some(zone) = zone {
            return Some(zone.name.clone());
        }
        let text = name.map_or("select a zone first".to_string(), |n| {
            format!("no zone named {n} on this host")
        });
        self.notify(Level::Warning, text);
        None
    }

    pub fn zone_action(&mut self, action: Lifecycle, name: Option<&str>) {
        let Some(name) = self.target_zone(name) else {
            return;
        };
        let inventory = self.inventory.clone();
        let Some(zone) = inventory.zone(&name) else {
            return;
        };
        let facts = ZoneFacts::of(zone);
        let timeout = self.settings.config.tasks.shutdown_timeout;
        let plan = match zone_ops::lifecycle(action, &facts, timeout) {
            Ok(plan) => plan,
            Err(reason) => {
                self.notify(Level::Warning, format!("cannot {action}: {reason}"));
                return;
            }
        };
        if self.refuse_read_only(&format!("{action} {}", facts.name)) {
            return;
        }
        self.confirm_plan(plan, action.summary(), action.is_destructive());
    }

    /// Turn autoboot on or off for a zone.
    pub fn autoboot(&mut self, name: Option<&str>, on: bool) {
        let zone = match name {
            Some(n) => self.inventory.zone(n),
            None => self.focused_zone(),
        };
        let Some(zone) = zone else {
            self.notify(
                Level::Warning,
                "select a zone first (or :autoboot on|off NAME)",
            );
            return;
        };
        match zone_ops::set_autoboot(&ZoneFacts::of(zone), on) {
            Ok(plan) => {
                if !self.refuse_read_only(&format!("autoboot {}", plan.target)) {
                    self.confirm_plan(plan, "Change whether the zone boots with the host", false);
                }
            }
            Err(reason) => self.notify(Level::Warning, reason),
        }
    }

    fn confirm_plan(&mut self, plan: Plan, summary: &str, destructive: bool) {
        let mut lines = vec![summary.to_string(), String::new()];
        lines.extend(plan.describe());
        self.mode = Mode::Confirm(Confirm {
            title: format!("{} {}?", plan.operation, plan.target),
            lines,
            run_label: plan.operation.clone(),
            on_run: !destructive,
            then: Then::Submit(plan),
        });
    }

    /// `x`: ask for the command to run in the focused zone.
    pub fn exec_prompt(&mut self, name: Option<&str>) {
        let zone = match name {
            Some(n) => self.inventory.zone(n),
            None => self.focused_zone(),
        };
        let Some(zone) = zone else {
            self.notify(Level::Warning, "select a zone first");
            return;
        };
        let facts = ZoneFacts::of(zone);
        if let Err(reason) = zone_ops::check_exec(&facts) {
            self.notify(Level::Warning, format!("cannot run a command: {reason}"));
            return;
        }
        if self.refuse_read_only(&format!("exec in {}", facts.name)) {
            return;
        }
        self.mode = Mode::Prompt(Prompt {
            title: format!("run in {} as root: ", facts.name),
            input: LineInput::default(),
            zone: facts.name,
            purpose: PromptFor::Exec,
        });
    }

    /// Enter in the prompt: split the line into words (no shell runs it) and confirm.
    pub(super) fn prompt_accept(&mut self) {
        let Mode::Prompt(prompt) = std::mem::replace(&mut self.mode, Mode::Normal) else {
            return;
        };
        match prompt.purpose.clone() {
            PromptFor::Exec => {}
            PromptFor::CloneName => return self.clone_accept(prompt),
            PromptFor::DeleteName(plan) => return self.delete_accept(prompt, *plan),
        }
        let words = match shell_words::split(prompt.input.text()) {
            Ok(words) if !words.is_empty() => words,
            Ok(_) => return,
            Err(e) => {
                self.notify(Level::Warning, format!("cannot split the command: {e}"));
                self.mode = Mode::Prompt(prompt);
                return;
            }
        };
        let Some(zone) = self.inventory.zone(&prompt.zone) else {
            self.notify(
                Level::Warning,
                format!("{} is gone from the host", prompt.zone),
            );
            return;
        };
        match zone_ops::exec(&ZoneFacts::of(zone), &words) {
            Ok(plan) => self.confirm_plan(
                plan,
                "Run this command in the zone as root; its output goes to the task's log",
                true,
            ),
            Err(reason) => self.notify(Level::Warning, reason),
        }
    }

    /// `X`: ask to cancel the focused task.
    pub fn cancel_task(&mut self) {
        let Some(id) = self.focused_task() else {
            return;
        };
        let Some(task) = self.tasks.get(id).cloned() else {
            return;
        };
        if task.status.is_final() {
            self.notify(
                Level::Warning,
                format!("task #{id} has already ended ({})", task.status),
            );
            return;
        }
        if self.refuse_read_only(&format!("cancel of task #{id}")) {
            return;
        }
        let mut lines = vec![
            "The running step's command is stopped, the remaining steps are skipped,".to_string(),
            "and what the task created is undone:".to_string(),
            String::new(),
        ];
        lines.extend(task.steps.iter().filter_map(|s| s.undo.clone()));
        self.mode = Mode::Confirm(Confirm {
            title: format!("cancel task #{id} {} {}?", task.operation, task.target),
            lines,
            run_label: "cancel task".into(),
            on_run: false,
            then: Then::CancelTask(id),
        });
    }

    /// Enter in a dialog: press the focused button.
    pub(super) fn confirm_press(&mut self) {
        let Mode::Confirm(confirm) = std::mem::replace(&mut self.mode, Mode::Normal) else {
            return;
        };
        if !confirm.on_run {
            return;
        }
        match confirm.then {
            Then::Submit(plan) => {
                let what = format!("{} {}", plan.operation, plan.target);
                self.effects.push(Effect::Submit {
                    what,
                    tasks: vec![Submission {
                        plan,
                        after: vec![],
                    }],
                });
            }
            Then::CancelTask(id) => self.effects.push(Effect::CancelTask(id)),
            Then::TypeName(plan) => self.ask_zone_name(plan),
            Then::CloseSession(number) => self.close_session_now(number),
        }
    }

    /// `y`: the focused task's commands to the clipboard (OSC 52).
    pub fn copy_task(&mut self) {
        let Some(task) = self.focused_task().and_then(|id| self.tasks.get(id)) else {
            return;
        };
        let text = task.commands().join("\n") + "\n";
        let n = task.steps.len();
        self.effects.push(Effect::Copy(text));
        self.notify(
            Level::Info,
            format!("copied {n} command(s) of task #{}", task.id),
        );
    }

    pub fn toggle_follow(&mut self) {
        self.follow = !self.follow;
        if self.follow
            && let Some(view) = self.detail_mut()
        {
            view.cursor.to_bottom(view.len());
        }
        let state = if self.follow { "on" } else { "off" };
        self.notify(Level::Info, format!("follow the log: {state}"));
    }

    /// The task's page: its steps and commands, then the log.
    pub(super) fn task_page(&self, key: &str) -> Option<Detail> {
        let id: TaskId = key.parse().ok()?;
        let task = self.tasks.get(id)?;
        let now = crate::exec::journal::now_ms();
        let mut page = task_views::detail(task, now);
        let log = page.section("log");
        for (_, line) in task_views::log_lines(task) {
            log.field("", line);
        }
        if task.log.is_empty() {
            log.note("(nothing yet)");
        }
        Some(page)
    }
}

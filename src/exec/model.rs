//! What the journal records about tasks, and the state of each task rebuilt from it. The
//! worker writes these events; every client (console, CLI) reads them back the same way.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ops::Plan;
use crate::ops::zone::Lifecycle;

pub type TaskId = u64;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    Queued,
    Running,
    /// A step failed or the task was cancelled: undoing what it created.
    RollingBack,
    Succeeded,
    Failed,
    Cancelled,
    /// The worker stopped (crash, kill -9, power loss) while the task was queued or running.
    Interrupted,
}

impl TaskStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TaskStatus::Queued => "queued",
            TaskStatus::Running => "running",
            TaskStatus::RollingBack => "rolling back",
            TaskStatus::Succeeded => "succeeded",
            TaskStatus::Failed => "failed",
            TaskStatus::Cancelled => "cancelled",
            TaskStatus::Interrupted => "interrupted",
        }
    }

    pub fn is_final(self) -> bool {
        !matches!(
            self,
            TaskStatus::Queued | TaskStatus::Running | TaskStatus::RollingBack
        )
    }

    /// Running or rolling back: a process of the task may be at work on the host.
    pub fn is_active(self) -> bool {
        matches!(self, TaskStatus::Running | TaskStatus::RollingBack)
    }
}

impl std::fmt::Display for TaskStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepStatus {
    Pending,
    Running,
    Done,
    Failed,
    /// Stopped by a cancel.
    Cancelled,
    /// Not run: an earlier step failed or the task was cancelled.
    Skipped,
    /// Was running when the worker stopped: what it did is unknown.
    Interrupted,
}

impl StepStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            StepStatus::Pending => "pending",
            StepStatus::Running => "running",
            StepStatus::Done => "done",
            StepStatus::Failed => "failed",
            StepStatus::Cancelled => "cancelled",
            StepStatus::Skipped => "skipped",
            StepStatus::Interrupted => "interrupted",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stream {
    Stdout,
    Stderr,
}

/// One journal line: something that happened to a task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// Unix time in milliseconds.
    pub at: i64,
    pub task: TaskId,
    #[serde(flatten)]
    pub event: Event,
}

/// Step numbers count the plan's steps first, then the rollback steps in the order they ran.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "ev", rename_all = "snake_case")]
pub enum Event {
    /// Submitted. The plan is stored with its secrets replaced.
    Queued {
        plan: Plan,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        depends_on: Vec<TaskId>,
        /// Who asked: "console", "cli".
        origin: String,
    },
    Started,
    StepStarted {
        step: usize,
    },
    Output {
        step: usize,
        stream: Stream,
        text: String,
    },
    StepEnded {
        step: usize,
        status: StepStatus,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        exit: Option<i32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        error: Option<String>,
    },
    CancelRequested,
    /// Undoing what the task created; the undo of plan step `of` is step `step`.
    UndoStarted {
        step: usize,
        of: usize,
    },
    Ended {
        status: TaskStatus,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        error: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepView {
    pub stage: String,
    /// The task's progress when this step is done (0 for rollback steps).
    pub progress: u8,
    /// The command line (or what is waited for).
    pub command: String,
    /// For a rollback step: the plan step it undoes.
    pub undo_of: Option<usize>,
    /// For a plan step: the command that undoes it.
    pub undo: Option<String>,
    pub status: StepStatus,
    pub exit: Option<i32>,
    pub error: Option<String>,
    pub started_at: Option<i64>,
    pub ended_at: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LogKind {
    Stdout,
    Stderr,
    /// Written by zcon: a step starting or ending.
    Note,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LogLine {
    pub at: i64,
    pub step: Option<usize>,
    pub kind: LogKind,
    pub text: String,
}

/// A task as the journal describes it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskView {
    pub id: TaskId,
    pub operation: String,
    pub target: String,
    pub origin: String,
    pub depends_on: Vec<TaskId>,
    pub status: TaskStatus,
    pub queued_at: i64,
    pub started_at: Option<i64>,
    pub ended_at: Option<i64>,
    pub cancel_requested: bool,
    pub error: Option<String>,
    pub steps: Vec<StepView>,
    /// Plan steps, the rest being rollback steps.
    pub plan_steps: usize,
    /// Done, it leaves changes that the zone takes up at its next boot.
    pub pending_reboot: bool,
    /// The zone's id when the task was planned (see [`Plan::zone_id`]).
    pub zone_id: Option<u64>,
    #[serde(skip)]
    pub log: Vec<LogLine>,
}

impl TaskView {
    fn new(id: TaskId, at: i64, plan: &Plan, depends_on: &[TaskId], origin: &str) -> TaskView {
        let steps = plan
            .steps
            .iter()
            .map(|s| StepView {
                stage: s.stage.clone(),
                progress: s.progress,
                command: s.action.describe(),
                undo_of: None,
                undo: s.undo.as_ref().map(|u| u.describe()),
                status: StepStatus::Pending,
                exit: None,
                error: None,
                started_at: None,
                ended_at: None,
            })
            .collect();
        TaskView {
            id,
            operation: plan.operation.clone(),
            target: plan.target.clone(),
            origin: origin.to_string(),
            depends_on: depends_on.to_vec(),
            status: TaskStatus::Queued,
            queued_at: at,
            started_at: None,
            ended_at: None,
            cancel_requested: false,
            error: None,
            steps,
            plan_steps: plan.steps.len(),
            pending_reboot: plan.pending_reboot,
            zone_id: plan.zone_id,
            log: Vec::new(),
        }
    }

    /// Percent done: the progress of the last plan step that finished.
    pub fn progress(&self) -> u8 {
        if self.status == TaskStatus::Succeeded {
            return 100;
        }
        self.steps[..self.plan_steps]
            .iter()
            .filter(|s| s.status == StepStatus::Done)
            .map(|s| s.progress)
            .max()
            .unwrap_or(0)
    }

    /// The step at work now, if any.
    pub fn current_step(&self) -> Option<(usize, &StepView)> {
        self.steps
            .iter()
            .enumerate()
            .rfind(|(_, s)| s.status == StepStatus::Running)
    }

    /// What the task is doing, in a few words.
    pub fn stage(&self) -> String {
        match self.current_step() {
            Some((i, s)) if s.undo_of.is_some() => format!("Rollback {}", i + 1),
            Some((_, s)) => s.stage.clone(),
            None if self.status == TaskStatus::Queued && !self.depends_on.is_empty() => {
                let ids: Vec<String> = self.depends_on.iter().map(|d| format!("#{d}")).collect();
                format!("after {}", ids.join(", "))
            }
            None => self.status.as_str().to_string(),
        }
    }

    /// Milliseconds it ran, up to `now` while it still runs.
    pub fn duration_ms(&self, now_ms: i64) -> Option<i64> {
        let start = self.started_at?;
        Some(self.ended_at.unwrap_or(now_ms).max(start) - start)
    }

    /// Plan steps that created something and whose undo has not run successfully.
    pub fn not_undone(&self) -> Vec<usize> {
        (0..self.plan_steps)
            .filter(|&i| {
                let s = &self.steps[i];
                s.undo.is_some()
                    && matches!(s.status, StepStatus::Done | StepStatus::Interrupted)
                    && !self.steps[self.plan_steps..]
                        .iter()
                        .any(|u| u.undo_of == Some(i) && u.status == StepStatus::Done)
            })
            .collect()
    }

    /// Plan steps whose undo ran successfully.
    pub fn undone(&self) -> Vec<usize> {
        self.steps[self.plan_steps..]
            .iter()
            .filter(|u| u.status == StepStatus::Done)
            .filter_map(|u| u.undo_of)
            .collect()
    }

    /// Every command the task ran or will run, in order (for copying).
    pub fn commands(&self) -> Vec<String> {
        self.steps.iter().map(|s| s.command.clone()).collect()
    }

    fn note(&mut self, at: i64, step: Option<usize>, text: String) {
        self.log.push(LogLine {
            at,
            step,
            kind: LogKind::Note,
            text,
        });
    }
}

/// What applying an entry changed that a client may want to announce.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    Nothing,
    Updated(TaskId),
    /// The task reached a final status.
    Finished(TaskId, TaskStatus),
}

/// Every task the journal knows, by id.
#[derive(Debug, Clone, Default)]
pub struct TaskBook {
    pub tasks: BTreeMap<TaskId, TaskView>,
}

impl TaskBook {
    pub fn get(&self, id: TaskId) -> Option<&TaskView> {
        self.tasks.get(&id)
    }

    pub fn running(&self) -> usize {
        self.tasks.values().filter(|t| t.status.is_active()).count()
    }

    pub fn queued(&self) -> usize {
        self.tasks
            .values()
            .filter(|t| t.status == TaskStatus::Queued)
            .count()
    }

    /// The zones with changes waiting for their next boot, each with the newest task that
    /// left such changes. A later boot, reboot or halt of the zone through zcon takes it
    /// off; boots made outside zcon show in the zone's id, which the console compares with
    /// the task's [`TaskView::zone_id`].
    pub fn awaiting_boot(&self) -> BTreeMap<String, &TaskView> {
        let mut done: Vec<&TaskView> = self
            .tasks
            .values()
            .filter(|t| t.status == TaskStatus::Succeeded && t.ended_at.is_some())
            .collect();
        done.sort_by_key(|t| t.ended_at);
        let mut out = BTreeMap::new();
        for task in done {
            if task.pending_reboot {
                out.insert(task.target.clone(), task);
            } else if Lifecycle::parse(&task.operation).is_some()
                || ["create", "delete"].contains(&task.operation.as_str())
            {
                out.remove(&task.target);
            }
        }
        out
    }

    pub fn next_id(&self) -> TaskId {
        self.tasks.keys().next_back().map_or(1, |last| last + 1)
    }

    pub fn apply(&mut self, entry: &Entry) -> Change {
        let at = entry.at;
        if let Event::Queued {
            plan,
            depends_on,
            origin,
        } = &entry.event
        {
            let task = TaskView::new(entry.task, at, plan, depends_on, origin);
            self.tasks.insert(entry.task, task);
            return Change::Updated(entry.task);
        }
        let Some(task) = self.tasks.get_mut(&entry.task) else {
            // Events of a task dropped from the history.
            return Change::Nothing;
        };
        match &entry.event {
            Event::Queued { .. } => unreachable!("handled above"),
            Event::Started => {
                task.status = TaskStatus::Running;
                task.started_at = Some(at);
            }
            Event::StepStarted { step } => {
                if let Some(s) = task.steps.get_mut(*step) {
                    s.status = StepStatus::Running;
                    s.started_at = Some(at);
                    let text = format!("▶ {}: {}", s.stage, s.command);
                    task.note(at, Some(*step), text);
                }
            }
            Event::Output { step, stream, text } => task.log.push(LogLine {
                at,
                step: Some(*step),
                kind: match stream {
                    Stream::Stdout => LogKind::Stdout,
                    Stream::Stderr => LogKind::Stderr,
                },
                text: text.clone(),
            }),
            Event::StepEnded {
                step,
                status,
                exit,
                error,
            } => {
                if let Some(s) = task.steps.get_mut(*step) {
                    let ran = s.status == StepStatus::Running;
                    s.status = *status;
                    s.exit = *exit;
                    s.error = error.clone();
                    s.ended_at = Some(at);
                    if ran {
                        // Only a step that completed gets the check mark: a worker that
                        // died records its running step as interrupted with no error.
                        let text = match (error, status) {
                            (Some(e), _) => format!("✗ {}: {e}", status.as_str()),
                            (None, StepStatus::Done) => "✓ done".to_string(),
                            (None, StepStatus::Interrupted) => "? interrupted".to_string(),
                            (None, other) => format!("✗ {}", other.as_str()),
                        };
                        task.note(at, Some(*step), text);
                    }
                }
            }
            Event::CancelRequested => {
                task.cancel_requested = true;
                task.note(at, None, "cancel requested".into());
            }
            Event::UndoStarted { step, of } => {
                task.status = TaskStatus::RollingBack;
                let Some(done) = task.steps.get(*of) else {
                    return Change::Nothing;
                };
                let rollback = StepView {
                    stage: format!("Undo: {}", done.stage),
                    progress: 0,
                    command: done.undo.clone().unwrap_or_default(),
                    undo_of: Some(*of),
                    undo: None,
                    status: StepStatus::Running,
                    exit: None,
                    error: None,
                    started_at: Some(at),
                    ended_at: None,
                };
                let text = format!("↶ {}: {}", rollback.stage, rollback.command);
                // Rollback steps are numbered in the order the worker started them.
                task.steps.truncate(*step);
                task.steps.push(rollback);
                task.note(at, Some(*step), text);
            }
            Event::Ended { status, error } => {
                task.status = *status;
                task.error = error.clone();
                task.ended_at = Some(at);
                if let Some(e) = error {
                    task.note(at, None, format!("{}: {e}", status.as_str()));
                } else {
                    task.note(at, None, status.as_str().to_string());
                }
                return Change::Finished(entry.task, *status);
            }
        }
        Change::Updated(entry.task)
    }
}

#[cfg(test)]
#[path = "model_tests.rs"]
mod tests;

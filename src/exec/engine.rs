//! The scheduler and step runner inside the worker: a queue in submission order, a pool of
//! task slots, per-object locks, dependencies, cancel and rollback. Every state change is an
//! entry in the journal (and in the engine's own book, which answers dependency questions).

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::sync::{Notify, watch};

use super::journal::{self, Journal};
use super::model::{Entry, Event, StepStatus, Stream, TaskBook, TaskId, TaskStatus};
use crate::host::Runner;
use crate::host::stream::{self, Ending, StreamRequest};
use crate::ops::{Action, Condition, Plan};
use crate::sys::{Command, zfs, zoneadm};

/// How often a wait step looks at the zone.
const POLL: Duration = Duration::from_millis(500);
/// How many stderr lines of a failed command its error quotes.
const ERROR_LINES: usize = 6;

/// One task to submit; `after` names tasks it waits for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Submission {
    pub plan: Plan,
    #[serde(default)]
    pub after: Vec<Dependency>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dependency {
    /// A task already known to the worker.
    Task(TaskId),
    /// An earlier submission of the same request, by position.
    Earlier(usize),
}

struct Queued {
    id: TaskId,
    plan: Plan,
    depends_on: Vec<TaskId>,
}

struct Running {
    objects: Vec<String>,
    cancel: watch::Sender<bool>,
}

struct State {
    journal: Journal,
    book: TaskBook,
    queue: Vec<Queued>,
    running: HashMap<TaskId, Running>,
}

pub struct Engine {
    runner: Runner,
    concurrency: usize,
    state: Mutex<State>,
    /// Signalled whenever a task ends (the worker's idle clock listens).
    pub changed: Notify,
}

/// Why a step did not complete.
struct StepFailure {
    status: StepStatus,
    exit: Option<i32>,
    message: String,
}

impl Engine {
    /// An engine appending to `journal`, whose existing tasks are `book`.
    pub fn new(
        runner: Runner,
        journal: Journal,
        book: TaskBook,
        concurrency: usize,
    ) -> Arc<Engine> {
        Arc::new(Engine {
            runner,
            concurrency: concurrency.max(1),
            state: Mutex::new(State {
                journal,
                book,
                queue: Vec::new(),
                running: HashMap::new(),
            }),
            changed: Notify::new(),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Journal an event (on disk before returning when `sync`) and apply it to the book.
    fn record(&self, task: TaskId, event: Event, sync: bool) {
        let mut state = self.lock();
        record_locked(&mut state, task, event, sync);
    }

    /// The task as the journal has it now.
    pub fn task(&self, id: TaskId) -> Option<super::model::TaskView> {
        self.lock().book.get(id).cloned()
    }

    pub fn is_idle(&self) -> bool {
        let state = self.lock();
        state.queue.is_empty() && state.running.is_empty()
    }

    /// Queue tasks; returns their ids in order.
    pub fn submit(
        self: &Arc<Self>,
        submissions: Vec<Submission>,
        origin: &str,
    ) -> Result<Vec<TaskId>, String> {
        let mut ids = Vec::with_capacity(submissions.len());
        {
            let mut state = self.lock();
            let first = state.book.next_id();
            for (i, sub) in submissions.iter().enumerate() {
                for dep in &sub.after {
                    match *dep {
                        Dependency::Task(id) if state.book.get(id).is_none() => {
                            return Err(format!("no task #{id} to wait for"));
                        }
                        Dependency::Earlier(k) if k >= i => {
                            return Err(format!(
                                "submission {i} waits for submission {k}, which does not come before it"
                            ));
                        }
                        _ => {}
                    }
                }
            }
            for (i, sub) in submissions.into_iter().enumerate() {
                let id = first + i as TaskId;
                let depends_on: Vec<TaskId> = sub
                    .after
                    .iter()
                    .map(|d| match *d {
                        Dependency::Task(id) => id,
                        Dependency::Earlier(k) => first + k as TaskId,
                    })
                    .collect();
                let event = Event::Queued {
                    plan: sub.plan.redacted(),
                    depends_on: depends_on.clone(),
                    origin: origin.to_string(),
                };
                record_locked(&mut state, id, event, true);
                state.queue.push(Queued {
                    id,
                    plan: sub.plan,
                    depends_on,
                });
                ids.push(id);
            }
        }
        self.schedule();
        Ok(ids)
    }

    /// Cancel a task: a queued one never starts; a running one has its step stopped, the
    /// rest skipped, and what it created undone.
    pub fn cancel(self: &Arc<Self>, id: TaskId) -> Result<String, String> {
        let mut state = self.lock();
        let Some(task) = state.book.get(id) else {
            return Err(format!("no task #{id}"));
        };
        if task.status.is_final() {
            return Err(format!(
                "task #{id} has already {}",
                ended_word(task.status)
            ));
        }
        if let Some(pos) = state.queue.iter().position(|q| q.id == id) {
            state.queue.remove(pos);
            record_locked(&mut state, id, Event::CancelRequested, false);
            let ended = Event::Ended {
                status: TaskStatus::Cancelled,
                error: Some("cancelled before it started".into()),
            };
            record_locked(&mut state, id, ended, true);
            drop(state);
            self.schedule();
            self.changed.notify_waiters();
            return Ok(format!("task #{id} cancelled before it started"));
        }
        if task.cancel_requested {
            return Ok(format!("task #{id} is already being cancelled"));
        }
        record_locked(&mut state, id, Event::CancelRequested, true);
        if let Some(running) = state.running.get(&id) {
            let _ = running.cancel.send(true);
        }
        Ok(format!(
            "cancelling task #{id}: its current step is being stopped, then what it created is undone"
        ))
    }

    /// Start every queued task that may run now. Order is kept per object: a task waits
    /// while an earlier queued task claims one of its objects.
    fn schedule(self: &Arc<Self>) {
        let mut starts = Vec::new();
        {
            let mut state = self.lock();
            let mut claimed: HashSet<String> = state
                .running
                .values()
                .flat_map(|r| r.objects.iter().cloned())
                .collect();
            let mut i = 0;
            while i < state.queue.len() {
                let q = &state.queue[i];
                let failed_dep = q.depends_on.iter().find_map(|d| {
                    let status = state.book.get(*d).map(|t| t.status);
                    match status {
                        Some(s) if s.is_final() && s != TaskStatus::Succeeded => Some((*d, s)),
                        None => Some((*d, TaskStatus::Interrupted)),
                        _ => None,
                    }
                });
                if let Some((dep, status)) = failed_dep {
                    let q = state.queue.remove(i);
                    let ended = Event::Ended {
                        status: TaskStatus::Cancelled,
                        error: Some(format!(
                            "not started: task #{dep}, which it waited for, has {}",
                            ended_word(status)
                        )),
                    };
                    record_locked(&mut state, q.id, ended, true);
                    continue;
                }
                let waiting = q.depends_on.iter().any(|d| {
                    state
                        .book
                        .get(*d)
                        .is_some_and(|t| t.status != TaskStatus::Succeeded)
                });
                let busy = q.plan.objects.iter().any(|o| claimed.contains(o));
                let full = state.running.len() + starts.len() >= self.concurrency;
                if waiting || busy || full {
                    claimed.extend(q.plan.objects.iter().cloned());
                    i += 1;
                    continue;
                }
                let q = state.queue.remove(i);
                claimed.extend(q.plan.objects.iter().cloned());
                let (tx, rx) = watch::channel(false);
                state.running.insert(
                    q.id,
                    Running {
                        objects: q.plan.objects.clone(),
                        cancel: tx,
                    },
                );
                starts.push((q, rx));
            }
        }
        for (q, rx) in starts {
            let engine = Arc::clone(self);
            tokio::spawn(async move {
                engine.run_task(q.id, &q.plan, rx).await;
                engine.lock().running.remove(&q.id);
                engine.schedule();
                engine.changed.notify_waiters();
            });
        }
    }

    async fn run_task(&self, id: TaskId, plan: &Plan, mut cancel: watch::Receiver<bool>) {
        self.record(id, Event::Started, true);
        let mut created = Vec::new();
        let mut failure: Option<(usize, StepFailure)> = None;
        for (i, step) in plan.steps.iter().enumerate() {
            if *cancel.borrow() {
                failure = Some((
                    i,
                    StepFailure {
                        status: StepStatus::Skipped,
                        exit: None,
                        message: format!("cancelled before step {} ({})", i + 1, step.stage),
                    },
                ));
                break;
            }
            self.record(id, Event::StepStarted { step: i }, true);
            match self
                .run_action(id, i, &step.action, plan, &mut cancel)
                .await
            {
                Ok(exit) => {
                    self.record(id, step_ended(i, StepStatus::Done, exit, None), true);
                    if step.undo.is_some() {
                        created.push(i);
                    }
                }
                Err(f) => {
                    let event = step_ended(i, f.status, f.exit, Some(f.message.clone()));
                    self.record(id, event, true);
                    if step.undo.is_some() && step.undo_on_failure {
                        created.push(i);
                    }
                    failure = Some((i + 1, f));
                    break;
                }
            }
        }
        let Some((rest, failure)) = failure else {
            let ended = Event::Ended {
                status: TaskStatus::Succeeded,
                error: None,
            };
            self.record(id, ended, true);
            return;
        };
        for i in rest..plan.steps.len() {
            self.record(id, step_ended(i, StepStatus::Skipped, None, None), false);
        }
        let cancelled = matches!(failure.status, StepStatus::Cancelled | StepStatus::Skipped);
        let mut undo_failures = Vec::new();
        // Rollback is not cancellable: a second cancel must not leave half-undone state.
        let (_keep, mut never) = watch::channel(false);
        for (k, &i) in created.iter().rev().enumerate() {
            let step = plan.steps.len() + k;
            self.record(id, Event::UndoStarted { step, of: i }, true);
            let undo = plan.steps[i]
                .undo
                .as_ref()
                .expect("only steps with an undo");
            match self.run_action(id, step, undo, plan, &mut never).await {
                Ok(exit) => self.record(id, step_ended(step, StepStatus::Done, exit, None), true),
                Err(f) => {
                    undo_failures.push(format!("step {} ({})", i + 1, plan.steps[i].stage));
                    let event = step_ended(step, StepStatus::Failed, f.exit, Some(f.message));
                    self.record(id, event, true);
                }
            }
        }
        let mut error = failure.message;
        if !created.is_empty() {
            if undo_failures.is_empty() {
                error.push_str("; rolled back");
            } else {
                error.push_str(&format!(
                    "; rollback incomplete: undo of {} failed",
                    undo_failures.join(", ")
                ));
            }
        }
        let ended = Event::Ended {
            status: if cancelled {
                TaskStatus::Cancelled
            } else {
                TaskStatus::Failed
            },
            error: Some(error),
        };
        self.record(id, ended, true);
    }

    /// Run one action; Ok carries the command's exit status.
    async fn run_action(
        &self,
        id: TaskId,
        step: usize,
        action: &Action,
        plan: &Plan,
        cancel: &mut watch::Receiver<bool>,
    ) -> Result<Option<i32>, StepFailure> {
        match action {
            Action::Run {
                command,
                stdin,
                timeout_s,
            } => {
                let commands = std::slice::from_ref(command);
                let stdin = stdin.as_deref().map(str::as_bytes);
                self.run_commands(id, step, commands, stdin, *timeout_s, plan, cancel)
                    .await
            }
            Action::Pipe {
                commands,
                timeout_s,
            } => {
                self.run_commands(id, step, commands, None, *timeout_s, plan, cancel)
                    .await
            }
            Action::WaitZone {
                zone,
                until,
                timeout_s,
            } => self.wait_zone(zone, until, *timeout_s, cancel).await,
            Action::When { condition, then } => match self.holds(condition).await {
                Ok(()) => Box::pin(self.run_action(id, step, then, plan, cancel)).await,
                Err(why) => {
                    let text = format!("{why}: nothing to do");
                    let event = Event::Output {
                        step,
                        stream: Stream::Stdout,
                        text,
                    };
                    self.record(id, event, false);
                    Ok(None)
                }
            },
        }
    }

    /// Run a command or pipeline, its output going to the task's log.
    #[allow(clippy::too_many_arguments)]
    async fn run_commands(
        &self,
        id: TaskId,
        step: usize,
        commands: &[Command],
        stdin: Option<&[u8]>,
        timeout_s: Option<u64>,
        plan: &Plan,
        cancel: &mut watch::Receiver<bool>,
    ) -> Result<Option<i32>, StepFailure> {
        let mut stderr_tail: Vec<String> = Vec::new();
        let req = StreamRequest {
            commands,
            stdin,
            timeout: timeout_s.map(Duration::from_secs),
            secrets: &plan.secrets,
        };
        let ending = self
            .runner
            .run_streaming(req, cancel, |stream, text| {
                let text = plan.redact(&text);
                let stream = match stream {
                    stream::Stream::Stdout => Stream::Stdout,
                    stream::Stream::Stderr => {
                        stderr_tail.push(text.clone());
                        if stderr_tail.len() > ERROR_LINES {
                            stderr_tail.remove(0);
                        }
                        Stream::Stderr
                    }
                };
                self.record(id, Event::Output { step, stream, text }, false);
            })
            .await;
        let shown: Vec<String> = commands.iter().map(Command::display).collect();
        let shown = plan.redact(&shown.join(" | "));
        match ending {
            Ok(Ending::Exited(Some(0))) => Ok(Some(0)),
            Ok(Ending::Exited(code)) => {
                let how = code.map_or("killed by a signal".to_string(), |c| {
                    format!("exit status {c}")
                });
                let mut message = format!("{shown} failed ({how})");
                if !stderr_tail.is_empty() {
                    message.push_str(": ");
                    message.push_str(&stderr_tail.join(" / "));
                }
                Err(StepFailure {
                    status: StepStatus::Failed,
                    exit: code,
                    message,
                })
            }
            Ok(Ending::Cancelled) => Err(StepFailure {
                status: StepStatus::Cancelled,
                exit: None,
                message: format!("{shown} stopped by cancel"),
            }),
            Ok(Ending::TimedOut) => Err(StepFailure {
                status: StepStatus::Failed,
                exit: None,
                message: format!(
                    "{shown} did not finish within {} s and was stopped",
                    timeout_s.unwrap_or_default()
                ),
            }),
            Err(e) => Err(StepFailure {
                status: StepStatus::Failed,
                exit: None,
                message: plan.redact(&e.to_string()),
            }),
        }
    }

    /// Whether a condition holds on the host now; the error says what was found instead.
    async fn holds(&self, condition: &Condition) -> Result<(), String> {
        match condition {
            Condition::ZoneIn { zone, states } => match self.zone_state(zone).await {
                Ok(state) if states.contains(&state) => Ok(()),
                Ok(state) => Err(format!("zone {zone} is {state}")),
                Err(_) => Err(format!("zone {zone} is not configured")),
            },
            Condition::DatasetExists { dataset } => {
                let cmd = zfs::list_one(dataset);
                match self.runner.run(&cmd).await {
                    Ok(_) => Ok(()),
                    Err(_) => Err(format!("{dataset} does not exist")),
                }
            }
        }
    }

    /// The zone's state now; the error is zoneadm's (an unknown zone among them).
    async fn zone_state(&self, zone: &str) -> Result<zoneadm::ZoneState, String> {
        let out = self
            .runner
            .run(&zoneadm::list_zone(zone))
            .await
            .map_err(|e| e.to_string())?;
        zoneadm::parse_list(&out.stdout_text())
            .map_err(|e| e.to_string())?
            .into_iter()
            .find(|e| e.name == zone)
            .map(|e| e.state)
            .ok_or_else(|| format!("zoneadm did not list zone {zone}"))
    }

    async fn wait_zone(
        &self,
        zone: &str,
        until: &[zoneadm::ZoneState],
        timeout_s: u64,
        cancel: &mut watch::Receiver<bool>,
    ) -> Result<Option<i32>, StepFailure> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(timeout_s);
        let fail = |message: String| StepFailure {
            status: StepStatus::Failed,
            exit: None,
            message,
        };
        loop {
            let state = self.zone_state(zone).await.map_err(fail)?;
            if until.contains(&state) {
                return Ok(None);
            }
            if tokio::time::Instant::now() >= deadline {
                return Err(fail(format!(
                    "zone {zone} is still {state} after {timeout_s} s"
                )));
            }
            tokio::select! {
                () = tokio::time::sleep(POLL) => {}
                _ = cancel.changed() => {
                    if *cancel.borrow() {
                        return Err(StepFailure {
                            status: StepStatus::Cancelled,
                            exit: None,
                            message: format!("stopped waiting for zone {zone} (cancel)"),
                        });
                    }
                }
            }
        }
    }
}

fn record_locked(state: &mut State, task: TaskId, event: Event, sync: bool) {
    let entry = Entry {
        at: journal::now_ms(),
        task,
        event,
    };
    // A journal that cannot be written must not stop the host work under way; the worker's
    // log says why, and the task's end is retried as the next entry.
    if let Err(e) = state.journal.append(&entry, sync) {
        eprintln!("zcon worker: cannot write the task journal: {e}");
    }
    state.book.apply(&entry);
}

fn step_ended(step: usize, status: StepStatus, exit: Option<i32>, error: Option<String>) -> Event {
    Event::StepEnded {
        step,
        status,
        exit,
        error,
    }
}

/// "succeeded", "failed", … as in "task #3 has already failed".
fn ended_word(status: TaskStatus) -> &'static str {
    match status {
        TaskStatus::Succeeded => "succeeded",
        TaskStatus::Failed => "failed",
        TaskStatus::Cancelled => "been cancelled",
        TaskStatus::Interrupted => "been interrupted",
        TaskStatus::Queued | TaskStatus::Running | TaskStatus::RollingBack => "not ended",
    }
}

//! Tasks as the CLI and the console show them: the list, one task's page, and times.

use super::detail::{Detail, Target};
use super::{Column, Table};
use crate::exec::model::{LogKind, StepStatus, TaskBook, TaskView};

pub const COLUMNS: [Column; 8] = [
    Column::number("ID"),
    Column::text("OPERATION"),
    Column::text("TARGET"),
    Column::text("STATUS"),
    Column::number("PROGRESS"),
    // What a task is doing matters more on a narrow terminal than when it started.
    Column::text("STAGE"),
    Column::text("STARTED").wide(),
    Column::text("DURATION"),
];

/// "4s", "3m05s", "2h01m".
pub fn duration_text(ms: i64) -> String {
    let s = ms.max(0) / 1000;
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m{:02}s", s / 60, s % 60),
        _ => format!("{}h{:02}m", s / 3600, s % 3600 / 60),
    }
}

/// When something happened: the time of day if today, else the date too (local time).
pub fn time_text(at_ms: i64, now_ms: i64) -> String {
    let tz = jiff::tz::TimeZone::system();
    let zoned = |ms: i64| {
        jiff::Timestamp::from_millisecond(ms)
            .ok()
            .map(|t| t.to_zoned(tz.clone()))
    };
    match (zoned(at_ms), zoned(now_ms)) {
        (Some(at), Some(now)) if at.date() == now.date() => at.strftime("%H:%M:%S").to_string(),
        (Some(at), _) => at.strftime("%b %d %H:%M").to_string(),
        _ => "-".into(),
    }
}

pub fn row(task: &TaskView, now_ms: i64) -> Vec<String> {
    vec![
        task.id.to_string(),
        task.operation.clone(),
        task.target.clone(),
        task.status.to_string(),
        format!("{}%", task.progress()),
        task.stage(),
        task.started_at
            .map_or_else(|| "-".into(), |at| time_text(at, now_ms)),
        task.duration_ms(now_ms)
            .map_or_else(|| "-".into(), duration_text),
    ]
}

/// Newest first.
pub fn table(book: &TaskBook, now_ms: i64) -> Table {
    let rows = book.tasks.values().rev().map(|t| row(t, now_ms)).collect();
    Table::new(COLUMNS.to_vec(), rows)
}

fn step_mark(status: StepStatus) -> &'static str {
    match status {
        StepStatus::Pending => "·",
        StepStatus::Running => "▶",
        StepStatus::Done => "✓",
        StepStatus::Failed => "✗",
        StepStatus::Cancelled => "■",
        StepStatus::Skipped => "-",
        StepStatus::Interrupted => "?",
    }
}

/// The task's page: what, status, steps with their commands, and what is (not) undone.
pub fn detail(task: &TaskView, now_ms: i64) -> Detail {
    let mut d = Detail::new(format!(
        "task #{} {} {}",
        task.id, task.operation, task.target
    ));
    let s = d.section("");
    s.field("operation", task.operation.clone());
    s.linked(
        "target",
        task.target.clone(),
        Target::Zone(task.target.clone()),
    );
    s.field(
        "status",
        if task.cancel_requested && !task.status.is_final() {
            format!("{} (cancel requested)", task.status)
        } else {
            task.status.to_string()
        },
    );
    s.field(
        "progress",
        format!("{}% — {}", task.progress(), task.stage()),
    );
    s.field("origin", task.origin.clone());
    s.field("queued", time_text(task.queued_at, now_ms));
    if let Some(at) = task.started_at {
        s.field("started", time_text(at, now_ms));
    }
    if let Some(ms) = task.duration_ms(now_ms) {
        s.field("duration", duration_text(ms));
    }
    if !task.depends_on.is_empty() {
        let ids: Vec<String> = task.depends_on.iter().map(|d| format!("#{d}")).collect();
        s.field("after", ids.join(", "));
    }
    if let Some(e) = &task.error {
        s.field("error", e.clone());
    }
    let steps = d.section("steps");
    for (i, step) in task.steps.iter().enumerate() {
        let exit = step
            .exit
            .map(|c| format!(" (exit {c})"))
            .unwrap_or_default();
        steps.field(
            &format!("{} {}", step_mark(step.status), i + 1),
            format!("{} [{}{exit}]", step.stage, step.status.as_str()),
        );
        steps.field("", format!("  {}", step.command));
        if let Some(e) = &step.error {
            steps.field("", format!("  {e}"));
        }
    }
    let not_undone = task.not_undone();
    if task.status.is_final() && !not_undone.is_empty() {
        let s = d.section("not undone");
        for i in not_undone {
            let step = &task.steps[i];
            s.field(
                &format!("step {}", i + 1),
                format!(
                    "{} — undo: {}",
                    step.stage,
                    step.undo.clone().unwrap_or_default()
                ),
            );
        }
    }
    d
}

/// The log as text lines: zcon's notes, then each output line under its step.
pub fn log_lines(task: &TaskView) -> Vec<(LogKind, String)> {
    task.log
        .iter()
        .map(|l| {
            let text = match l.kind {
                LogKind::Note => l.text.clone(),
                _ => format!("  {}", l.text),
            };
            (l.kind, text)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_at_a_glance() {
        assert_eq!(duration_text(999), "0s");
        assert_eq!(duration_text(65_000), "1m05s");
        assert_eq!(duration_text(3_725_000), "1h02m");
    }
}

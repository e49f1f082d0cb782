use super::*;
use crate::ops::{Action, Step};
use crate::sys::Command;

fn plan() -> Plan {
    let run = |s: &str| Action::run(Command::mutating("true").arg(s));
    Plan::new("create", "web01")
        .step(Step::new("one", 30, run("1")).undo(run("undo1")))
        .step(Step::new("two", 60, run("2")))
        .step(Step::new("three", 100, run("3")).undo(run("undo3")))
}

fn entry(task: TaskId, event: Event) -> Entry {
    Entry { at: 1, task, event }
}

fn ended(step: usize, status: StepStatus) -> Event {
    Event::StepEnded {
        step,
        status,
        exit: None,
        error: None,
    }
}

#[test]
fn a_failed_task_shows_its_rollback_and_what_stays_undone() {
    let mut book = TaskBook::default();
    let queued = Event::Queued {
        plan: plan(),
        depends_on: vec![],
        origin: "cli".into(),
    };
    for event in [
        queued,
        Event::Started,
        Event::StepStarted { step: 0 },
        ended(0, StepStatus::Done),
        Event::StepStarted { step: 1 },
        ended(1, StepStatus::Done),
        Event::StepStarted { step: 2 },
        ended(2, StepStatus::Failed),
        Event::UndoStarted { step: 3, of: 0 },
    ] {
        book.apply(&entry(7, event));
    }
    let task = book.get(7).unwrap();
    assert_eq!(task.status, TaskStatus::RollingBack);
    assert_eq!(task.progress(), 60);
    assert_eq!(task.stage(), "Rollback 4");
    assert_eq!(task.steps[3].command, "true undo1");
    assert_eq!(task.not_undone(), [0]);
    book.apply(&entry(7, ended(3, StepStatus::Done)));
    let change = book.apply(&entry(
        7,
        Event::Ended {
            status: TaskStatus::Failed,
            error: Some("three failed".into()),
        },
    ));
    assert_eq!(change, Change::Finished(7, TaskStatus::Failed));
    let task = book.get(7).unwrap();
    assert!(task.not_undone().is_empty());
    assert_eq!(task.undone(), [0]);
    assert_eq!(book.next_id(), 8);
    // Events of unknown tasks are ignored.
    assert_eq!(book.apply(&entry(3, Event::Started)), Change::Nothing);
}

#[test]
fn entries_are_flat_json_lines() {
    let e = entry(
        4,
        Event::Output {
            step: 1,
            stream: Stream::Stderr,
            text: "x".into(),
        },
    );
    let line = serde_json::to_string(&e).unwrap();
    assert_eq!(
        line,
        r#"{"at":1,"task":4,"ev":"output","step":1,"stream":"stderr","text":"x"}"#
    );
    assert_eq!(serde_json::from_str::<Entry>(&line).unwrap(), e);
}

#[test]
fn a_change_awaits_the_zones_next_boot_through_zcon() {
    let mut book = TaskBook::default();
    let mut run = |id: TaskId, at: i64, operation: &str, zone: &str, status: TaskStatus| {
        let mut plan = Plan::new(operation, zone);
        plan.pending_reboot = operation == "modify";
        let queued = Event::Queued {
            plan,
            depends_on: vec![],
            origin: "cli".into(),
        };
        let end = Event::Ended {
            status,
            error: None,
        };
        for event in [queued, Event::Started, end] {
            book.apply(&Entry {
                at,
                task: id,
                event,
            });
        }
    };
    run(1, 10, "modify", "web01", TaskStatus::Succeeded);
    run(2, 20, "modify", "web02", TaskStatus::Succeeded);
    run(3, 30, "reboot", "web01", TaskStatus::Failed);
    run(4, 40, "halt", "web02", TaskStatus::Succeeded);
    run(5, 50, "modify", "web01", TaskStatus::Succeeded);
    run(6, 60, "modify", "db01", TaskStatus::Failed);
    let waiting = book.awaiting_boot();
    let waiting: Vec<(&str, TaskId)> = waiting.iter().map(|(z, t)| (z.as_str(), t.id)).collect();
    assert_eq!(
        waiting,
        [("web01", 5)],
        "a failed reboot takes nothing off; a halt does; a failed modify changes nothing"
    );
}

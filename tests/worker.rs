//! The task worker end to end, through the real `zcon` binary: dry runs and refusals, tasks
//! queued and followed, exec output and exit status, a worker killed mid-task, cancel, the
//! idle exit and history trimming, poweroff, and clients racing to start the worker.

#[path = "worker/harness.rs"]
mod harness;

use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::Value;

use harness::{Host, Running, TIMEOUT, alive, has_output, ids, procs, text, wait_until};

#[test]
fn dry_runs_and_refusals_change_nothing_and_queue_nothing() {
    let host = Host::new();
    let before = host.zones();

    let out = host.ok(&["zone", "halt", "web01", "--dry-run"]);
    assert!(
        text(&out.stdout)
            .lines()
            .any(|l| l == "zoneadm -z web01 halt"),
        "{}",
        text(&out.stdout)
    );
    let out = host.ok(&["zone", "poweroff", "web01", "--dry-run"]);
    assert!(text(&out.stdout).contains("bhyvectl --vm=web01 --force-poweroff"));
    let out = host.ok(&["zone", "shutdown", "web01", "--timeout", "7", "--dry-run"]);
    let plan = text(&out.stdout);
    assert!(
        plan.lines()
            .any(|l| l.starts_with("zoneadm -z web01 shutdown") && l.contains("7 s")),
        "{plan}"
    );
    let out = host.ok(&["zone", "exec", "web01", "--dry-run", "--", "uname", "-a"]);
    assert!(text(&out.stdout).contains("zlogin web01"));
    host.set_config("[tasks]\nshutdown_timeout = 9\n");
    let out = host.ok(&["zone", "shutdown", "web01", "--dry-run"]);
    assert!(text(&out.stdout).contains("9 s"), "{}", text(&out.stdout));

    // An action the zone's state rules out says why.
    let out = host.run(&["zone", "boot", "web01"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("web01 is already running"),
        "{}",
        text(&out.stderr)
    );
    assert!(out.stdout.is_empty(), "no task id: {}", text(&out.stdout));

    for args in [
        &["--read-only", "zone", "halt", "web01"][..],
        &["--read-only", "zone", "exec", "web01", "--", "true"],
        &["--read-only", "zone", "boot", "ci01", "--wait"],
    ] {
        let out = host.run(args);
        assert!(!out.status.success(), "{args:?} ran in read-only mode");
        assert!(
            text(&out.stderr).contains("read-only"),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
    host.set_config("read_only = true\n");
    let out = host.run(&["zone", "halt", "web01"]);
    assert!(!out.status.success(), "read_only in config.toml is ignored");
    assert!(
        text(&out.stderr).contains("read-only"),
        "{}",
        text(&out.stderr)
    );

    assert_eq!(host.zones(), before);
    assert!(!host.journal().exists(), "a task was queued");
    assert!(!host.socket().exists(), "a worker was started");
}

#[test]
fn tasks_run_queued_or_followed_and_failures_quote_the_command() {
    let host = Host::new();
    let id = host.submit(&["zone", "halt", "web01"]);
    let task = host.wait_status(id, "succeeded");
    assert_eq!(task["operation"], "halt");
    assert_eq!(task["steps"][0]["command"], "zoneadm -z web01 halt");
    assert_eq!(host.zone_state("web01"), "installed");

    let out = host.ok(&["zone", "boot", "web01", "--wait"]);
    let progress = text(&out.stderr);
    assert!(
        progress
            .lines()
            .any(|l| l.starts_with("task #") && l.contains("% ")),
        "no progress lines: {progress}"
    );
    assert!(progress.contains("succeeded"), "{progress}");
    assert_eq!(host.zone_state("web01"), "running");

    // The error the failing command prints is what the task reports.
    host.fail("zoneadm -z ci01 boot@*");
    let direct = Command::new(host.root.join("bin/zoneadm"))
        .args(["-z", "ci01", "boot"])
        .env_remove("ZCON_SIM_FAIL")
        .output()
        .unwrap();
    assert!(!direct.status.success(), "the fault was not injected");
    let reason = text(&direct.stderr).trim().to_string();
    assert!(!reason.is_empty());
    let out = host.run(&["zone", "boot", "ci01", "--wait"]);
    assert!(!out.status.success(), "a failed task exited 0");
    let stderr = text(&out.stderr);
    assert!(stderr.contains("zoneadm -z ci01 boot"), "{stderr}");
    assert!(
        stderr.contains(&reason),
        "{reason:?} not quoted in {stderr}"
    );
    assert_eq!(host.zone_state("ci01"), "installed");
    let failed = &host.tasks()[0];
    assert_eq!(failed["status"], "failed");
    assert!(failed["error"].as_str().unwrap().contains(&reason));
}

#[test]
fn exec_prints_the_output_and_passes_the_exit_status_on() {
    let host = Host::new();
    let out = host.run(&["zone", "exec", "web01", "--", "sh", "-c", "echo hi; exit 3"]);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "hi\n");

    let script = "echo out; echo err >&2; printf 'a  b\\n'";
    let out = host.ok(&["zone", "exec", "web01", "--", "sh", "-c", script]);
    assert_eq!(text(&out.stdout), "out\na  b\n");
    assert!(text(&out.stderr).contains("err"), "{}", text(&out.stderr));

    let out = host.run(&["zone", "exec", "ci01", "--", "true"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("not running"),
        "{}",
        text(&out.stderr)
    );
}

/// A command that writes more than the worker's output channel holds and then exits at
/// once: every line must arrive and the task must end.
#[test]
fn exec_of_a_command_with_much_output_ends_with_all_of_it() {
    let host = Host::new();
    let run = Running::start(host.zcon(&["zone", "exec", "web01", "--", "seq", "1", "30000"]));
    let out = run.finish(Duration::from_secs(15)).unwrap_or_else(|| {
        let stuck = host.task(1);
        panic!(
            "exec of `seq 1 30000` never ended: task {} is {} with {} log lines",
            stuck["id"],
            stuck["status"],
            stuck["log"].as_array().map_or(0, Vec::len)
        )
    });
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert_eq!(stdout.lines().count(), 30000);
    assert_eq!(stdout.lines().last(), Some("30000"));
}

#[test]
fn a_killed_worker_leaves_its_tasks_interrupted_with_their_log() {
    let host = Host::new();
    let detached = ["zone", "exec", "web01", "--detach", "--"];
    let id = host.submit(&[&detached[..], &["sh", "-c", "echo started; sleep 30"]].concat());
    // A client following a task of the worker that dies.
    let follower = Running::start(host.zcon(&[
        "zone",
        "exec",
        "web02",
        "--",
        "sh",
        "-c",
        "echo started; sleep 30",
    ]));
    host.wait_task(id, "started", |t| has_output(t, "started"));
    let followed = wait_until("the followed task to be queued", || {
        host.tasks()
            .iter()
            .find(|t| t["target"] == "web02")
            .and_then(|t| t["id"].as_u64())
    });
    host.wait_task(followed, "started", |t| has_output(t, "started"));

    let pid = host.worker_pid();
    unsafe {
        libc::kill(pid, libc::SIGKILL);
    }
    wait_until("the worker to die", || (!alive(pid)).then_some(()));

    let tasks = host.tasks();
    for id in [id, followed] {
        let listed = tasks.iter().find(|t| t["id"] == id).expect("task listed");
        assert_eq!(listed["status"], "interrupted", "{listed:#}");
        let task = host.task(id);
        assert_eq!(task["status"], "interrupted");
        let error = task["error"].as_str().unwrap_or_default();
        assert!(error.contains("worker stopped"), "{error}");
        assert!(has_output(&task, "started"), "log lost: {task:#}");
        assert_eq!(task["steps"][0]["status"], "interrupted");
        // The log must not claim the interrupted step completed.
        let notes: Vec<&str> = task["log"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| l["kind"] == "note" && l["step"] == 0)
            .filter_map(|l| l["text"].as_str())
            .collect();
        assert!(
            !notes.iter().any(|n| n.starts_with('✓')),
            "interrupted step logged as done: {notes:?}"
        );
    }
    let out = follower
        .finish(TIMEOUT)
        .expect("the following client noticed the worker's death");
    assert!(!out.status.success());
    assert_eq!(text(&out.stdout), "started\n");
    assert!(
        text(&out.stderr).contains("interrupted"),
        "{}",
        text(&out.stderr)
    );

    // A new worker takes over.
    let out = host.ok(&["zone", "exec", "web01", "--", "echo", "again"]);
    assert_eq!(text(&out.stdout), "again\n");
}

#[test]
fn cancel_stops_a_running_command_and_a_queued_task() {
    let host = Host::new();
    // One task at a time: the exec keeps the halt queued.
    host.set_config("[tasks]\nconcurrency = 1\n");
    let detached = ["zone", "exec", "web01", "--detach", "--"];
    let id = host.submit(&[&detached[..], &["sh", "-c", "echo ready; sleep 30"]].concat());
    host.wait_task(id, "running its command", |t| has_output(t, "ready"));
    let groups = host.step_groups(host.worker_pid());
    assert_eq!(groups.len(), 1, "one command runs: {groups:?}");

    let halt = host.submit(&["zone", "halt", "web02"]);
    assert_eq!(host.task(halt)["status"], "queued");
    host.ok(&["task", "cancel", &halt.to_string()]);
    let task = host.wait_status(halt, "cancelled");
    assert!(
        task["error"]
            .as_str()
            .unwrap()
            .contains("before it started")
    );

    let asked = Instant::now();
    let out = host.ok(&["task", "cancel", &id.to_string(), "--json"]);
    let answer: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(answer["id"], id);
    assert!(answer["message"].is_string());
    let task = host.wait_status(id, "cancelled");
    assert!(
        asked.elapsed() < Duration::from_secs(4),
        "cancel took {:?}",
        asked.elapsed()
    );
    assert_eq!(task["steps"][0]["status"], "cancelled");
    wait_until("the cancelled command to stop", || {
        (!procs()
            .iter()
            .any(|p| p.pgid == groups[0] && p.state != 'Z'))
        .then_some(())
    });
    assert_eq!(
        host.zone_state("web02"),
        "running",
        "the cancelled halt ran"
    );

    let again = host.run(&["task", "cancel", &id.to_string()]);
    assert!(!again.status.success());
    assert!(
        text(&again.stderr).contains("already ended"),
        "{}",
        text(&again.stderr)
    );
    let missing = host.run(&["task", "cancel", "999"]);
    assert!(!missing.status.success());
    assert!(text(&missing.stderr).contains("no task #999"));
}

/// Run `echo WORD` in web01 and wait for it.
fn echo(host: &Host, word: &str) {
    let out = host.ok(&["zone", "exec", "web01", "--", "echo", word]);
    assert_eq!(text(&out.stdout), format!("{word}\n"));
}

fn wait_worker_gone(host: &Host) {
    wait_until("the idle worker to exit", || {
        (!host.socket().exists() && host.workers().is_empty()).then_some(())
    });
}

#[test]
fn the_idle_worker_exits_and_history_survives_and_is_trimmed() {
    let host = Host::new();
    for word in ["one", "two", "three"] {
        echo(&host, word);
    }
    wait_worker_gone(&host);
    let lock = std::fs::File::open(host.state_dir().join("worker.lock")).unwrap();
    assert!(lock.try_lock().is_ok(), "worker.lock still held");
    drop(lock);

    let tasks = host.tasks();
    assert_eq!(ids(&tasks), [3, 2, 1]);
    assert!(tasks.iter().all(|t| t["status"] == "succeeded"));
    assert!(
        !host.socket().exists(),
        "listing finished tasks started a worker"
    );

    host.set_config("[tasks]\nhistory = 2\n");
    echo(&host, "four");
    assert_eq!(ids(&host.tasks()), [4, 3, 2]);
}

/// An operator who saw "task #1" must never find another task under that number, even when
/// the history keeps no finished task.
#[test]
fn task_ids_are_not_reused_after_the_history_is_trimmed() {
    let host = Host::new();
    host.set_config("[tasks]\nhistory = 0\n");
    echo(&host, "one");
    wait_worker_gone(&host);
    let id = host.submit(&["zone", "exec", "web01", "--detach", "--", "echo", "two"]);
    assert_eq!(id, 2, "task id 1 was handed out twice");
}

#[test]
fn poweroff_stops_a_bhyve_vm_and_is_refused_for_native_zones() {
    let host = Host::new();
    host.ok(&["zone", "poweroff", "web01", "--wait"]);
    assert_eq!(host.zone_state("web01"), "installed");
    let task = &host.tasks()[0];
    assert_eq!(task["status"], "succeeded");
    assert_eq!(
        task["steps"][0]["command"],
        "bhyvectl --vm=web01 --force-poweroff"
    );

    let out = host.run(&["zone", "poweroff", "build01", "--wait"]);
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("bhyve") && stderr.contains("build01"),
        "{stderr}"
    );
    assert_eq!(host.tasks().len(), 1, "a refused poweroff was queued");
    assert_eq!(host.zone_state("build01"), "running");
}

#[test]
fn clients_racing_to_start_the_worker_share_one() {
    let host = Host::new();
    let start = |zone: &str, word: &str| {
        let script = format!("echo {word}; sleep 2");
        Running::start(host.zcon(&["zone", "exec", zone, "--", "sh", "-c", &script]))
    };
    let first = start("web01", "one");
    let second = start("db01", "two");
    let running = wait_until("both tasks to start", || {
        let tasks = host.tasks();
        (tasks.len() == 2 && tasks.iter().all(|t| t["status"] == "running")).then_some(tasks)
    });
    // A worker that lost the race for the lock exits at once; one serves both tasks.
    wait_until("a single worker", || {
        (host.workers().len() == 1).then_some(())
    });
    assert!(
        host.tasks().iter().all(|t| t["status"] == "running"),
        "the tasks ended before the extra workers did"
    );

    for (run, word) in [(first, "one"), (second, "two")] {
        let out = run.finish(TIMEOUT).expect("the client finished");
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert_eq!(text(&out.stdout), format!("{word}\n"));
    }
    let mut seen = ids(&running);
    seen.sort();
    assert_eq!(seen, [1, 2]);
    let tasks = host.tasks();
    assert_eq!(tasks.len(), 2);
    assert!(tasks.iter().all(|t| t["status"] == "succeeded"));
}

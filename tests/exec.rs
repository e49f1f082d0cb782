//! The executor against a sim host: rollback after each step's failure, cancel, dependencies,
//! per-object ordering and secrets — through the engine itself, running the host's commands.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use zcon::exec::engine::{Dependency, Engine, Submission};
use zcon::exec::journal::{self, Journal};
use zcon::exec::model::{StepStatus, TaskId, TaskStatus, TaskView};
use zcon::host::{HostConfig, Runner};
use zcon::ops::{Action, Plan, Step, steps, zone_object};

const TIMEOUT: Duration = Duration::from_secs(60);

fn demo_host() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let host = dir.path().join("hv");
    let out = Command::new(env!("CARGO_BIN_EXE_zcon"))
        .args(["sim", "init", host.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::write(host.join("state/speed"), "0.01").unwrap();
    (dir, host)
}

fn engine(host: &Path, concurrency: usize) -> Arc<Engine> {
    let config = HostConfig::sim(host);
    let state = config.state_dir.clone();
    let runner = Runner::new(config).unwrap();
    let journal = Journal::open(&state).unwrap();
    let book = journal::load(&state).unwrap();
    Engine::new(runner, journal, book, concurrency)
}

fn sh(host: &Path, program: &str, args: &[&str]) -> String {
    let out = Command::new(host.join("bin").join(program))
        .args(args)
        .env_remove("ZCON_SIM_FAIL")
        .env_remove("ZCON_SIM_SPEED")
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// What a task could have changed: zones, datasets, VNICs and zone configurations.
fn host_state(host: &Path) -> String {
    let mut configs: Vec<String> = std::fs::read_dir(host.join("root/etc/zones"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    configs.sort();
    format!(
        "{}\n{}\n{}\n{}",
        sh(host, "zoneadm", &["list", "-cp"]),
        sh(host, "zfs", &["list", "-Hp", "-o", "name,volsize"]),
        sh(host, "dladm", &["show-vnic", "-p", "-o", "link,over"]),
        configs.join(" ")
    )
}

async fn finished(engine: &Engine, id: TaskId) -> TaskView {
    let start = Instant::now();
    loop {
        let task = engine.task(id).expect("submitted task");
        if task.status.is_final() {
            return task;
        }
        assert!(
            start.elapsed() < TIMEOUT,
            "task #{id} still {:?}",
            task.status
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn create_plan() -> Plan {
    let script =
        "create\nset zonepath=/zones/t1\nset ip-type=exclusive\nadd net\nset physical=t1_0\nend\n";
    Plan::new("create", "t1")
        .object(zone_object("t1"))
        .step(steps::create_volume("rpool/zones/t1disk", 1 << 30, true))
        .step(steps::configure_zone("t1", script))
        .step(steps::create_vnic("t1_0", "igb0"))
        .step(steps::install_zone("t1", &[]))
}

fn submit(engine: &Arc<Engine>, plan: Plan) -> TaskId {
    engine
        .submit(
            vec![Submission {
                plan,
                after: vec![],
            }],
            "test",
        )
        .unwrap()[0]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_step_failing_once_leaves_the_host_as_it_was() {
    let (_d, host) = demo_host();
    let before = host_state(&host);
    let engine = engine(&host, 4);
    let rules = [
        "zfs create",
        "zonecfg -z t1 -f",
        "dladm create-vnic",
        "zoneadm -z t1 install",
    ];
    for (k, rule) in rules.iter().enumerate() {
        std::fs::write(host.join("state/fail"), rule).unwrap();
        let _ = std::fs::remove_file(host.join("state/fail-counts.json"));
        let task = finished(&engine, submit(&engine, create_plan())).await;
        assert_eq!(task.status, TaskStatus::Failed, "failing {rule}");
        assert_eq!(task.steps[k].status, StepStatus::Failed, "{rule}");
        assert!(
            task.steps[k + 1..4]
                .iter()
                .all(|s| s.status == StepStatus::Skipped),
            "{rule}: {:?}",
            task.steps
        );
        // The undos ran newest first, one per step that had succeeded, and all succeeded.
        let undone: Vec<usize> = task.steps[4..].iter().filter_map(|s| s.undo_of).collect();
        assert_eq!(undone, (0..k).rev().collect::<Vec<_>>(), "{rule}");
        assert!(task.not_undone().is_empty(), "{rule}: {:?}", task.steps);
        assert_eq!(host_state(&host), before, "after failing {rule}");
    }
    std::fs::remove_file(host.join("state/fail")).unwrap();
    let task = finished(&engine, submit(&engine, create_plan())).await;
    assert_eq!(task.status, TaskStatus::Succeeded, "{:?}", task.error);
    assert_eq!(task.progress(), 100);
    let after = host_state(&host);
    assert!(after.contains(":t1:installed:"), "{after}");
    assert!(after.contains("rpool/zones/t1disk"), "{after}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_undo_is_reported_and_the_rest_still_undone() {
    let (_d, host) = demo_host();
    let engine = engine(&host, 4);
    std::fs::write(
        host.join("state/fail"),
        "zoneadm -z t1 install; dladm delete-vnic",
    )
    .unwrap();
    let task = finished(&engine, submit(&engine, create_plan())).await;
    assert_eq!(task.status, TaskStatus::Failed);
    let error = task.error.clone().unwrap();
    assert!(error.contains("rollback incomplete"), "{error}");
    assert_eq!(task.not_undone(), [2]);
    assert_eq!(task.undone(), [1, 0]);
    let state = host_state(&host);
    assert!(
        state.contains("t1_0"),
        "the VNIC whose delete failed stays: {state}"
    );
    assert!(!state.contains("t1disk"), "{state}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_stops_the_running_step_skips_the_rest_and_rolls_back() {
    let (_d, host) = demo_host();
    let before = host_state(&host);
    let engine = engine(&host, 4);
    let plan = Plan::new("slow", "t1")
        .step(steps::create_volume("rpool/zones/t1disk", 1 << 30, true))
        .step(steps::create_vnic("t1_0", "igb0"))
        .step(Step::new(
            "Waiting",
            90,
            Action::run(zcon::sys::Command::mutating("sleep").arg("30")),
        ))
        .step(steps::create_vnic("t1_1", "igb0"));
    // `sleep` is not a host command: give the sim's bin a real one.
    std::os::unix::fs::symlink(which("sleep"), host.join("bin/sleep")).unwrap();
    let id = submit(&engine, plan);
    let start = Instant::now();
    while engine.task(id).unwrap().current_step().map(|(i, _)| i) != Some(2) {
        assert!(start.elapsed() < TIMEOUT);
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let message = engine.cancel(id).unwrap();
    assert!(message.contains("cancelling"), "{message}");
    let task = finished(&engine, id).await;
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "the sleep was stopped"
    );
    assert_eq!(task.status, TaskStatus::Cancelled);
    assert_eq!(task.steps[2].status, StepStatus::Cancelled);
    assert_eq!(task.steps[3].status, StepStatus::Skipped);
    assert_eq!(task.undone(), [1, 0]);
    assert_eq!(host_state(&host), before);
    assert!(engine.cancel(id).unwrap_err().contains("already"));
}

fn which(program: &str) -> PathBuf {
    std::env::split_paths(&std::env::var_os("PATH").unwrap())
        .map(|d| d.join(program))
        .find(|p| p.is_file())
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tasks_on_one_object_run_in_order_and_dependencies_chain() {
    let (_d, host) = demo_host();
    std::os::unix::fs::symlink(which("sleep"), host.join("bin/sleep")).unwrap();
    let engine = engine(&host, 4);
    let sleepy = |name: &str, object: &str| {
        Plan::new("sleep", name)
            .object(object.into())
            .step(Step::new(
                "Sleeping",
                100,
                Action::run(zcon::sys::Command::mutating("sleep").arg("0.3")),
            ))
    };
    let ids = engine
        .submit(
            vec![
                Submission {
                    plan: sleepy("a", "zone:x"),
                    after: vec![],
                },
                Submission {
                    plan: sleepy("b", "zone:x"),
                    after: vec![],
                },
                Submission {
                    plan: sleepy("c", "zone:y"),
                    after: vec![],
                },
                Submission {
                    plan: sleepy("d", "zone:z"),
                    after: vec![Dependency::Earlier(2)],
                },
            ],
            "test",
        )
        .unwrap();
    let mut tasks = Vec::new();
    for id in &ids {
        tasks.push(finished(&engine, *id).await);
    }
    assert!(tasks.iter().all(|t| t.status == TaskStatus::Succeeded));
    let (a, b, c, d) = (&tasks[0], &tasks[1], &tasks[2], &tasks[3]);
    // Same object: one after the other. Independent objects: side by side.
    assert!(b.started_at.unwrap() >= a.ended_at.unwrap());
    assert!(c.started_at.unwrap() < a.ended_at.unwrap());
    // A dependency: after it succeeded.
    assert!(d.started_at.unwrap() >= c.ended_at.unwrap());
    assert_eq!(d.depends_on, [ids[2]]);

    // A task after a failed one never starts.
    std::fs::write(host.join("state/fail"), "zfs create@*").unwrap();
    let failing = Plan::new("create", "v").step(steps::create_volume("rpool/v", 1 << 20, true));
    let ids = engine
        .submit(
            vec![
                Submission {
                    plan: failing,
                    after: vec![],
                },
                Submission {
                    plan: sleepy("e", "zone:e"),
                    after: vec![Dependency::Earlier(0)],
                },
            ],
            "test",
        )
        .unwrap();
    let e = finished(&engine, ids[1]).await;
    assert_eq!(e.status, TaskStatus::Cancelled);
    assert!(e.started_at.is_none());
    assert!(e.error.unwrap().contains("has failed"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_stay_out_of_the_journal_the_log_and_the_audit() {
    let (_d, host) = demo_host();
    let engine = engine(&host, 4);
    let secret = "hunter2-Secret";
    let plan = Plan::new("configure", "t1")
        .step(steps::configure_zone(
            "t1",
            &format!(
                "create\nset zonepath=/zones/t1\nadd attr\nset name=password\nset type=string\nset value={secret}\nend\n"
            ),
        ))
        // Prints the configuration (with the secret) and fails quoting it.
        .step(Step::new(
            "Show",
            100,
            Action::run(zcon::sys::Command::mutating("zonecfg").args(["-z", "t1", "info", "attr", secret])),
        ))
        .secret(secret);
    let task = finished(&engine, submit(&engine, plan)).await;
    assert_eq!(task.status, TaskStatus::Failed);
    for file in ["tasks.jsonl", "audit.log"] {
        let text = std::fs::read_to_string(host.join("zcon-state").join(file)).unwrap();
        assert!(!text.contains(secret), "{file}: {text}");
        assert!(text.contains("********"), "{file}: {text}");
    }
    let log: Vec<&str> = task.log.iter().map(|l| l.text.as_str()).collect();
    assert!(!log.join("\n").contains(secret), "{log:?}");
    assert!(!task.error.unwrap().contains(secret));
}

/// Run `plan` once per rule, the sim failing the command `rules[k]` names: step k fails,
/// nothing stays un-undone and the host is as `before`. The failed tasks, in rule order.
async fn fail_each_step(
    engine: &Arc<Engine>,
    host: &Path,
    plan: &Plan,
    rules: &[&str],
    before: &str,
) -> Vec<TaskView> {
    let mut tasks = Vec::new();
    for (k, rule) in rules.iter().enumerate() {
        std::fs::write(host.join("state/fail"), rule).unwrap();
        let _ = std::fs::remove_file(host.join("state/fail-counts.json"));
        let task = finished(engine, submit(engine, plan.clone())).await;
        assert_eq!(task.status, TaskStatus::Failed, "failing {rule}");
        assert_eq!(task.steps[k].status, StepStatus::Failed, "{rule}");
        assert!(task.not_undone().is_empty(), "{rule}: {:?}", task.steps);
        assert_eq!(host_state(host), before, "after failing {rule}");
        tasks.push(task);
    }
    tasks
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_zone_create_failing_at_each_stage_leaves_the_host_as_it_was() {
    use zcon::ops::spec::{NicSpec, Volume, ZoneSpec, create_plan};
    let (_d, host) = demo_host();
    let before = host_state(&host);
    let engine = engine(&host, 4);
    let spec = ZoneSpec {
        name: "t5".into(),
        brand: "bhyve".into(),
        boot_volume: Some(Volume::New {
            dataset: "rpool/zones/t5/root".into(),
            size: "8G".into(),
            sparse: true,
        }),
        nics: vec![NicSpec {
            physical: "t5_0".into(),
            global_nic: Some("igb0".into()),
            ..NicSpec::default()
        }],
        ..ZoneSpec::default()
    };
    let exists = |name: &str| ["rpool", "rpool/zones"].contains(&name);
    let plan = create_plan(&spec, &exists).unwrap();
    assert_eq!(plan.steps.len(), 6, "{:?}", plan.describe());
    let rules = [
        "zfs create rpool/zones/t5",
        "zfs create -s",
        "zonecfg -z t5 -f@1",
        "zonecfg -z t5 -f@2",
        "zonecfg -z t5 -f@3",
        "zoneadm -z t5 install",
    ];
    let tasks = fail_each_step(&engine, &host, &plan, &rules, &before).await;
    for (k, (task, rule)) in tasks.iter().zip(rules).enumerate() {
        assert!(
            task.error.as_ref().unwrap().ends_with("; rolled back") || k == 0,
            "{rule}: {:?}",
            task.error
        );
    }
    // An install cut off half way (the zone left incomplete) is uninstalled by the rollback.
    std::fs::write(host.join("state/speed"), "1").unwrap();
    let id = submit(&engine, plan.clone());
    let start = Instant::now();
    while engine.task(id).unwrap().current_step().map(|(i, _)| i) != Some(5) {
        assert!(start.elapsed() < TIMEOUT);
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    engine.cancel(id).unwrap();
    let task = finished(&engine, id).await;
    assert_eq!(task.status, TaskStatus::Cancelled);
    assert!(task.not_undone().is_empty(), "{:?}", task.steps);
    let uninstall = task
        .steps
        .iter()
        .position(|s| s.undo_of == Some(5))
        .unwrap();
    assert_eq!(task.steps[uninstall].status, StepStatus::Done);
    assert!(
        !task
            .log
            .iter()
            .any(|l| l.step == Some(uninstall) && l.text.contains("nothing to do")),
        "the incomplete zone was uninstalled: {:?}",
        task.log
    );
    assert_eq!(host_state(&host), before, "after cancelling the install");
    std::fs::write(host.join("state/speed"), "0.01").unwrap();
    std::fs::remove_file(host.join("state/fail")).unwrap();
    let task = finished(&engine, submit(&engine, plan)).await;
    assert_eq!(task.status, TaskStatus::Succeeded, "{:?}", task.error);
    let after = host_state(&host);
    assert!(after.contains(":t5:installed:"), "{after}");
}

fn copy_step(snapshot: &str, target: &str) -> Step {
    use zcon::sys::zfs;
    Step::new(
        "Importing template",
        30,
        Action::pipe(
            zfs::send(snapshot, false, None),
            zfs::receive(target, false, false),
        ),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pipe_feeds_each_command_into_the_next_and_fails_as_pipefail_would() {
    let (_d, host) = demo_host();
    let engine = engine(&host, 4);
    let copy = "rpool/zones/copy";
    let id = submit(
        &engine,
        Plan::new("copy", copy).step(copy_step("rpool/templates/debian-12@base", copy)),
    );
    let task = finished(&engine, id).await;
    assert_eq!(task.status, TaskStatus::Succeeded, "{:?}", task.error);
    let listed = sh(
        &host,
        "zfs",
        &["list", "-Hp", "-t", "all", "-o", "name,volsize", "-r", copy],
    );
    assert_eq!(
        listed,
        format!("{copy}\t{}\n{copy}@base\t{}\n", 10u64 << 30, 10u64 << 30)
    );

    // The receiving end refuses: its message reaches the task's error.
    let id = submit(
        &engine,
        Plan::new("copy", copy).step(copy_step("rpool/templates/debian-12@base", copy)),
    );
    let task = finished(&engine, id).await;
    assert_eq!(task.status, TaskStatus::Failed);
    let error = task.error.unwrap();
    assert!(
        error.contains(&format!(
            "zfs send rpool/templates/debian-12@base | zfs receive {copy} failed"
        )),
        "{error}"
    );
    assert!(
        error.contains("destination 'rpool/zones/copy' exists"),
        "{error}"
    );

    // The sending end fails: the pipeline fails even though nothing was received wrongly.
    let id = submit(
        &engine,
        Plan::new("copy", "other").step(copy_step("rpool/templates/none@base", "rpool/zones/o")),
    );
    let task = finished(&engine, id).await;
    assert_eq!(task.status, TaskStatus::Failed);
    let error = task.error.unwrap();
    assert!(error.contains("rpool/templates/none"), "{error}");
    assert!(!sh(&host, "zfs", &["list", "-H", "-o", "name"]).contains("rpool/zones/o\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_stops_every_command_of_a_pipe() {
    let (_d, host) = demo_host();
    let engine = engine(&host, 4);
    for program in ["sleep", "cat"] {
        std::os::unix::fs::symlink(which(program), host.join("bin").join(program)).unwrap();
    }
    let plan = Plan::new("slow", "pipe").step(Step::new(
        "Waiting",
        90,
        // The first ends at once: the stop must still reach the second, in its group.
        Action::pipe(
            zcon::sys::Command::mutating("cat"),
            zcon::sys::Command::mutating("sleep").arg("30"),
        ),
    ));
    let id = submit(&engine, plan);
    let start = Instant::now();
    while engine.task(id).unwrap().current_step().is_none() {
        assert!(start.elapsed() < TIMEOUT);
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    engine.cancel(id).unwrap();
    let task = finished(&engine, id).await;
    assert_eq!(task.status, TaskStatus::Cancelled);
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "both ends were stopped"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_template_copy_failing_at_each_step_leaves_the_host_as_it_was() {
    use zcon::ops::spec::{Volume, ZoneSpec, create_plan};
    let (_d, host) = demo_host();
    let before = host_state(&host);
    let engine = engine(&host, 4);
    let spec = ZoneSpec {
        name: "t6".into(),
        brand: "bhyve".into(),
        boot_volume: Some(Volume::Template {
            snapshot: "rpool/templates/debian-12@base".into(),
            dataset: "data/t6/root".into(),
            copy: true,
        }),
        ..ZoneSpec::default()
    };
    let exists = |name: &str| ["rpool", "data"].contains(&name);
    let plan = create_plan(&spec, &exists).unwrap();
    // data/t6, the copy, its tag, the configuration and the boot disk, install.
    let rules = [
        "zfs create data/t6",
        "zfs receive",
        "zfs set",
        "zonecfg -z t6 -f@1",
        "zonecfg -z t6 -f@2",
        "zoneadm -z t6 install",
    ];
    assert_eq!(plan.steps.len(), rules.len(), "{:?}", plan.describe());
    fail_each_step(&engine, &host, &plan, &rules, &before).await;
}

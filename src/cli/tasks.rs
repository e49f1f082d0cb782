//! `zcon zone boot|shutdown|…|exec` and `zcon task list|show|cancel`: every change goes to the
//! worker as a task; `--dry-run` prints the plan, `--wait` follows the task to its end.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{Args, Subcommand, ValueEnum};

use super::{ConsoleArgs, Target, print_json, snapshot, table};
use crate::exec::client::Client;
use crate::exec::engine::Submission;
use crate::exec::model::{LogKind, TaskStatus, TaskView};
use crate::exec::worker::{Launch, WorkerSettings};
use crate::host::inventory::Sources;
use crate::ops::Plan;
use crate::ops::zone::{self as zone_ops, Lifecycle, ZoneFacts};
use crate::ui::config::{Config, TaskConfig};
use crate::views::tasks as task_views;

/// Seconds a worker without tasks waits before it exits (`ZCON_WORKER_IDLE` overrides).
const IDLE_ENV: &str = "ZCON_WORKER_IDLE";

#[derive(Debug, Clone, Args)]
pub struct Act {
    /// The zone.
    pub name: String,
    /// Print the commands the task would run, change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Follow the task to its end (progress on stderr); exit non-zero if it fails.
    #[arg(long)]
    pub wait: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OnOff {
    On,
    Off,
}

#[derive(Debug, Subcommand)]
pub enum ZoneCmd {
    /// Boot an installed zone.
    Boot(Act),
    /// Shut a running zone down gracefully (halt it if that takes too long).
    Shutdown {
        #[command(flatten)]
        act: Act,
        /// Seconds before the shutdown is stopped (default: [tasks] shutdown_timeout).
        #[arg(long, value_name = "SECS")]
        timeout: Option<u64>,
    },
    /// Halt a zone at once (no shutdown scripts).
    Halt(Act),
    /// Reboot a running zone.
    Reboot(Act),
    /// Halt a zone, then boot it.
    Restart(Act),
    /// Power a bhyve VM off at once (bhyvectl --force-poweroff).
    Poweroff(Act),
    /// Turn booting with the host on or off.
    Autoboot {
        #[command(flatten)]
        act: Act,
        #[arg(value_enum)]
        state: OnOff,
    },
    /// Create a zone from a spec file (JSON; `zcon zone export` prints one).
    Create {
        /// The spec file.
        #[arg(long, value_name = "FILE.json")]
        spec: std::path::PathBuf,
        /// Print the plan (commands and zonecfg scripts), change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Follow the task (and the boot after it) to its end.
        #[arg(long)]
        wait: bool,
    },
    /// Change a zone's configuration from a spec file: zcon's form (as export prints it)
    /// or the zone guide's (ram, vcpus, add_nics, remove_disks …); absent fields stay.
    Modify {
        /// The zone.
        name: String,
        /// The spec file.
        #[arg(long, value_name = "FILE.json")]
        spec: std::path::PathBuf,
        /// Apply changed caps to the running zone at once too (prctl, rcapadm).
        #[arg(long)]
        live: bool,
        /// Print the plan, change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Follow the task to its end.
        #[arg(long)]
        wait: bool,
    },
    /// Delete a zone: halt it if it runs, uninstall it, delete its configuration.
    Delete {
        /// The zone.
        name: String,
        /// Also destroy the volumes zcon made for the zone (never attached ones).
        #[arg(long)]
        cleanup_datasets: bool,
        /// Go ahead (deleting cannot be undone).
        #[arg(long)]
        yes: bool,
        /// Print the plan, change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Follow the task to its end.
        #[arg(long)]
        wait: bool,
    },
    /// Make a new zone from a halted one (zonecfg create -t, zoneadm clone, zvol clones).
    Clone {
        /// The zone to copy.
        source: String,
        /// The new zone's name.
        new: String,
        /// Print the plan, change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Follow the task to its end.
        #[arg(long)]
        wait: bool,
    },
    /// Print a zone's configuration as a spec (its storage as existing volumes).
    Export {
        /// The zone.
        name: String,
    },
    /// Run a command in a running zone as root (zlogin) and print its output.
    Exec {
        /// The zone.
        name: String,
        /// Print the command, change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Queue the task and print its id instead of waiting for the output.
        #[arg(long)]
        detach: bool,
        /// The command and its arguments (after `--`).
        #[arg(last = true, required = true, value_name = "CMD")]
        command: Vec<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum TaskCmd {
    /// Every task in the journal, newest first.
    List {
        #[arg(long)]
        json: bool,
    },
    /// One task: its steps, the commands they ran, and its log.
    Show {
        id: u64,
        #[arg(long)]
        json: bool,
    },
    /// Cancel a task: stop its running step, skip the rest, undo what it created.
    Cancel {
        id: u64,
        #[arg(long)]
        json: bool,
    },
}

/// The worker client for the targeted host, with the `[tasks]` settings of config.toml.
pub fn client(target: &Target, tasks: &TaskConfig) -> anyhow::Result<Client> {
    let host = target.host_config()?;
    let idle_s = std::env::var(IDLE_ENV)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(WorkerSettings::default().idle_s);
    let settings = WorkerSettings {
        concurrency: tasks.concurrency,
        history: tasks.history,
        idle_s,
    };
    let exe = std::env::current_exe().context("cannot find the zcon binary to start the worker")?;
    Ok(Client::new(Launch { host, settings }, exe))
}

/// config.toml, read once per command.
pub(super) fn load_config(args: &ConsoleArgs) -> Config {
    let dir: Option<PathBuf> = args
        .config_dir
        .clone()
        .or_else(crate::ui::config::config_dir);
    crate::ui::config::load(dir.as_deref()).config
}

fn zone_facts(target: &Target, name: &str) -> anyhow::Result<ZoneFacts> {
    let inv = snapshot(
        target,
        Sources {
            zones: true,
            ..Sources::default()
        },
    )?;
    super::report(&inv.problems)?;
    match inv.zone(name) {
        Some(zone) => Ok(ZoneFacts::of(zone)),
        None => bail!("no zone named '{name}' on this host"),
    }
}

pub fn zone(target: &Target, args: &ConsoleArgs, cmd: ZoneCmd) -> anyhow::Result<ExitCode> {
    let config = load_config(args);
    let (act, plan) = match cmd {
        ZoneCmd::Exec {
            name,
            dry_run,
            detach,
            command,
        } => {
            let facts = zone_facts(target, &name)?;
            let plan = zone_ops::exec(&facts, &command).map_err(anyhow::Error::msg)?;
            return exec(target, args, &config, plan, dry_run, detach);
        }
        ZoneCmd::Create {
            spec,
            dry_run,
            wait,
        } => return super::create::create(target, args, &config, &spec, dry_run, wait),
        ZoneCmd::Export { name } => return super::create::export(target, &name),
        ZoneCmd::Modify {
            name,
            spec,
            live,
            dry_run,
            wait,
        } => {
            let m = super::edit::ModifyArgs {
                name: &name,
                spec: &spec,
                live,
                dry_run,
                wait,
            };
            return super::edit::modify(target, args, &config, m);
        }
        ZoneCmd::Delete {
            name,
            cleanup_datasets,
            yes,
            dry_run,
            wait,
        } => {
            let d = super::edit::DeleteArgs {
                name: &name,
                cleanup: cleanup_datasets,
                yes,
                dry_run,
                wait,
            };
            return super::edit::delete(target, args, &config, d);
        }
        ZoneCmd::Clone {
            source,
            new,
            dry_run,
            wait,
        } => return super::edit::clone(target, args, &config, &source, &new, dry_run, wait),
        ZoneCmd::Shutdown { act, timeout: t } => {
            let facts = zone_facts(target, &act.name)?;
            let t = t.unwrap_or(config.tasks.shutdown_timeout);
            (act, zone_ops::lifecycle(Lifecycle::Shutdown, &facts, t))
        }
        ZoneCmd::Autoboot { act, state } => {
            let facts = zone_facts(target, &act.name)?;
            (act, zone_ops::set_autoboot(&facts, state == OnOff::On))
        }
        ZoneCmd::Boot(act)
        | ZoneCmd::Halt(act)
        | ZoneCmd::Reboot(act)
        | ZoneCmd::Restart(act)
        | ZoneCmd::Poweroff(act) => unreachable!("{act:?} is split below"),
    };
    let plan = plan.map_err(anyhow::Error::msg)?;
    submit(target, args, &config, plan, &act)
}

/// `zcon zone boot|halt|reboot|restart|poweroff NAME`.
pub fn lifecycle(
    target: &Target,
    args: &ConsoleArgs,
    action: Lifecycle,
    act: Act,
) -> anyhow::Result<ExitCode> {
    let config = load_config(args);
    let facts = zone_facts(target, &act.name)?;
    let plan = zone_ops::lifecycle(action, &facts, config.tasks.shutdown_timeout)
        .map_err(anyhow::Error::msg)?;
    submit(target, args, &config, plan, &act)
}

pub(super) fn refuse_if_read_only(
    args: &ConsoleArgs,
    config: &Config,
    plan: &Plan,
) -> anyhow::Result<()> {
    if args.read_only || config.read_only {
        bail!(
            "read-only mode: {} {} was not started (read-only is set by --read-only or read_only = true in config.toml)",
            plan.operation,
            plan.target
        );
    }
    Ok(())
}

fn print_plan(plan: &Plan) {
    println!(
        "# {} {}: {} step(s)",
        plan.operation,
        plan.target,
        plan.steps.len()
    );
    for line in plan.describe() {
        println!("{line}");
    }
}

fn submit(
    target: &Target,
    args: &ConsoleArgs,
    config: &Config,
    plan: Plan,
    act: &Act,
) -> anyhow::Result<ExitCode> {
    if act.dry_run {
        print_plan(&plan);
        return Ok(ExitCode::SUCCESS);
    }
    refuse_if_read_only(args, config, &plan)?;
    let client = client(target, &config.tasks)?;
    let what = format!("{} {}", plan.operation, plan.target);
    let ids = client.submit(
        vec![Submission {
            plan,
            after: vec![],
        }],
        "cli",
    )?;
    let id = ids[0];
    if !act.wait {
        println!("{id}");
        eprintln!("task #{id} queued: {what} (follow it with `zcon task show {id}`)");
        return Ok(ExitCode::SUCCESS);
    }
    let task = follow(&client, id, false)?;
    Ok(exit_for(&task))
}

pub(super) fn exit_for(task: &TaskView) -> ExitCode {
    if task.status == TaskStatus::Succeeded {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Follow a task, printing progress (and with `output`, its command output) as it comes.
pub(super) fn follow(client: &Client, id: u64, output: bool) -> anyhow::Result<TaskView> {
    let mut shown_log = 0;
    let mut last_stage = String::new();
    let task = client.wait(id, |task| {
        let stage = format!("{}% {}", task.progress(), task.stage());
        if !output && stage != last_stage {
            eprintln!("task #{id}: {stage}");
            last_stage = stage;
        }
        for line in &task.log[shown_log.min(task.log.len())..] {
            match (output, line.kind) {
                (true, LogKind::Stdout) => {
                    println!("{}", line.text);
                    let _ = std::io::stdout().flush();
                }
                (true, LogKind::Stderr) => eprintln!("{}", line.text),
                (false, LogKind::Stdout | LogKind::Stderr) => eprintln!("  {}", line.text),
                (_, LogKind::Note) => {}
            }
        }
        shown_log = task.log.len();
    })?;
    match (&task.error, task.status) {
        (_, TaskStatus::Succeeded) if !output => eprintln!("task #{id}: succeeded"),
        (_, TaskStatus::Succeeded) => {}
        (Some(e), status) => eprintln!("task #{id} {status}: {e}"),
        (None, status) => eprintln!("task #{id} {status}"),
    }
    Ok(task)
}

fn exec(
    target: &Target,
    args: &ConsoleArgs,
    config: &Config,
    plan: Plan,
    dry_run: bool,
    detach: bool,
) -> anyhow::Result<ExitCode> {
    if dry_run {
        print_plan(&plan);
        return Ok(ExitCode::SUCCESS);
    }
    refuse_if_read_only(args, config, &plan)?;
    let client = client(target, &config.tasks)?;
    let id = client.submit(
        vec![Submission {
            plan,
            after: vec![],
        }],
        "cli",
    )?[0];
    if detach {
        println!("{id}");
        return Ok(ExitCode::SUCCESS);
    }
    let task = follow(&client, id, true)?;
    // The zone command's own exit status, as zlogin passes it on.
    let code = task.steps.first().and_then(|s| s.exit);
    Ok(match (task.status, code) {
        (TaskStatus::Succeeded, _) => ExitCode::SUCCESS,
        (_, Some(c)) if (1..=255).contains(&c) => ExitCode::from(c as u8),
        _ => ExitCode::FAILURE,
    })
}

pub fn task(target: &Target, args: &ConsoleArgs, cmd: TaskCmd) -> anyhow::Result<ExitCode> {
    let client = client(target, &load_config(args).tasks)?;
    let now = crate::exec::journal::now_ms();
    match cmd {
        TaskCmd::List { json } => {
            let book = client.tasks()?;
            if json {
                print_json(&book.tasks.values().rev().collect::<Vec<_>>())?;
            } else {
                print!("{}", table::render(&task_views::table(&book, now)));
            }
        }
        TaskCmd::Show { id, json } => {
            let book = client.tasks()?;
            let Some(task) = book.get(id) else {
                bail!("no task #{id} (see `zcon task list`)");
            };
            if json {
                let mut value = serde_json::to_value(task)?;
                value["log"] = serde_json::to_value(&task.log)?;
                print_json(&value)?;
            } else {
                print!("{}", task_views::detail(task, now).to_text());
                println!("log:");
                for (_, line) in task_views::log_lines(task) {
                    println!("  {line}");
                }
            }
        }
        TaskCmd::Cancel { id, json } => {
            let message = client.cancel(id)?;
            if json {
                print_json(&serde_json::json!({ "id": id, "message": message }))?;
            } else {
                println!("{message}");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

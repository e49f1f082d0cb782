//! `zcon zone create --spec FILE.json` and `zcon zone export NAME`: zones as spec files.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, bail};

use super::tasks::{client, exit_for, follow, refuse_if_read_only};
use super::{ConsoleArgs, Target, report, snapshot};
use crate::exec::engine::{Dependency, Submission};
use crate::host::inventory::Sources;
use crate::ops::spec::{Volume, ZoneSpec, create_plan, start_plan};
use crate::ops::spec_check;
use crate::ops::spec_file::{self, SpecDocument};
use crate::ui::config::Config;

pub(super) fn inventory(target: &Target) -> anyhow::Result<crate::host::Inventory> {
    let inv = snapshot(
        target,
        Sources {
            zones: true,
            storage: true,
            links: true,
            ..Sources::default()
        },
    )?;
    report(&inv.problems)?;
    inv.prepare_index();
    Ok(inv)
}

/// Read a spec file (zcon's form or the zone guide's request body).
pub(super) fn read_spec(path: &Path) -> anyhow::Result<SpecDocument> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    spec_file::parse(&text)
        .map_err(|e| anyhow::anyhow!("{} is not a zone spec: {e}", path.display()))
}

/// A template named without a snapshot (`rpool/templates/debian`, as the guide's
/// `template_dataset`) means its newest snapshot.
pub(super) fn resolve_templates(spec: &mut ZoneSpec, inv: &crate::host::Inventory) {
    for volume in spec.boot_volume.iter_mut().chain(spec.disks.iter_mut()) {
        if let Volume::Template { snapshot, .. } = volume
            && !snapshot.contains('@')
        {
            let prefix = format!("{snapshot}@");
            let newest = inv
                .datasets
                .iter()
                .filter(|d| d.name.starts_with(&prefix))
                .max_by_key(|d| d.creation);
            if let Some(d) = newest {
                *snapshot = d.name.clone();
            }
        }
    }
}

/// Print the problems of a spec and fail, or go on.
pub(super) fn refuse_problems(problems: &[spec_check::Problem], file: &Path) -> anyhow::Result<()> {
    if problems.is_empty() {
        return Ok(());
    }
    for p in problems {
        eprintln!("zcon: {}: {p}", file.display());
    }
    bail!(
        "{} problem(s) in {}: nothing was changed",
        problems.len(),
        file.display()
    )
}

pub fn create(
    target: &Target,
    args: &ConsoleArgs,
    config: &Config,
    spec_file: &Path,
    dry_run: bool,
    wait: bool,
) -> anyhow::Result<ExitCode> {
    let mut spec = read_spec(spec_file)?
        .into_create()
        .map_err(|e| anyhow::anyhow!("{}: {e}", spec_file.display()))?;
    let inv = inventory(target)?;
    resolve_templates(&mut spec, &inv);
    let host = target.host_config()?;
    let is_file = |path: &str| host.host_path(path).is_file();
    refuse_problems(&spec_check::check(&spec, &inv, &is_file), spec_file)?;
    let exists = |name: &str| inv.datasets.iter().any(|d| d.name == name);
    let plan = create_plan(&spec, &exists).map_err(anyhow::Error::msg)?;
    let mut tasks = vec![Submission {
        plan,
        after: vec![],
    }];
    if spec.start_after_create {
        tasks.push(Submission {
            plan: start_plan(&spec),
            after: vec![Dependency::Earlier(0)],
        });
    }
    run_tasks(target, args, config, tasks, dry_run, wait)
}

/// Print the plans (`--dry-run`), or queue them and print their ids, or follow them to
/// their end (`--wait`).
pub(super) fn run_tasks(
    target: &Target,
    args: &ConsoleArgs,
    config: &Config,
    tasks: Vec<Submission>,
    dry_run: bool,
    wait: bool,
) -> anyhow::Result<ExitCode> {
    if dry_run {
        for task in &tasks {
            print_plan(&task.plan);
        }
        return Ok(ExitCode::SUCCESS);
    }
    refuse_if_read_only(args, config, &tasks[0].plan)?;
    let what = format!("{} {}", tasks[0].plan.operation, tasks[0].plan.target);
    let client = client(target, &config.tasks)?;
    let ids = client.submit(tasks, "cli")?;
    if !wait {
        for id in &ids {
            println!("{id}");
        }
        eprintln!("task #{} queued: {what}", ids[0]);
        return Ok(ExitCode::SUCCESS);
    }
    let mut last = None;
    for id in ids {
        let task = follow(&client, id, false)?;
        let failed = task.status != crate::exec::model::TaskStatus::Succeeded;
        last = Some(task);
        if failed {
            break;
        }
    }
    Ok(last.as_ref().map_or(ExitCode::FAILURE, exit_for))
}

/// A plan as `--dry-run` prints it: each stage, its command and any script it is given,
/// secrets replaced.
pub fn print_plan(plan: &crate::ops::Plan) {
    println!(
        "# {} {}: {} step(s)",
        plan.operation,
        plan.target,
        plan.steps.len()
    );
    for (step, line) in plan.steps.iter().zip(plan.describe()) {
        println!("# {}% {}", step.progress, step.stage);
        println!("{line}");
        if let crate::ops::Action::Run {
            stdin: Some(input), ..
        } = &step.action
        {
            for l in plan.redact(input).lines() {
                println!("    {l}");
            }
        }
    }
}

pub fn export(target: &Target, name: &str) -> anyhow::Result<ExitCode> {
    let inv = inventory(target)?;
    let Some(zone) = inv.zone(name) else {
        bail!("no zone named '{name}' on this host");
    };
    let Some(cfg) = &zone.config else {
        bail!("the configuration of {name} could not be read");
    };
    let spec = ZoneSpec::from_config(cfg);
    if cfg.attr("password").is_some() {
        eprintln!("zcon: the cloud-init password of {name} is not exported (a secret)");
    }
    println!("{}", serde_json::to_string_pretty(&spec)?);
    Ok(ExitCode::SUCCESS)
}

//! `zcon zone create --spec FILE.json` and `zcon zone export NAME`: zones as spec files.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};

use super::tasks::{client, exit_for, follow, refuse_if_read_only};
use super::{ConsoleArgs, Target, report, snapshot};
use crate::exec::engine::{Dependency, Submission};
use crate::host::inventory::Sources;
use crate::ops::spec::{ZoneSpec, create_plan, start_plan};
use crate::ops::spec_check;
use crate::ui::config::Config;

fn inventory(target: &Target) -> anyhow::Result<crate::host::Inventory> {
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

pub fn create(
    target: &Target,
    args: &ConsoleArgs,
    config: &Config,
    spec_file: &PathBuf,
    dry_run: bool,
    wait: bool,
) -> anyhow::Result<ExitCode> {
    let text = std::fs::read_to_string(spec_file)
        .with_context(|| format!("cannot read {}", spec_file.display()))?;
    let spec: ZoneSpec = serde_json::from_str(&text)
        .with_context(|| format!("{} is not a zone spec", spec_file.display()))?;
    let inv = inventory(target)?;
    let host = target.host_config()?;
    let is_file = |path: &str| host.host_path(path).is_file();
    let problems = spec_check::check(&spec, &inv, &is_file);
    if !problems.is_empty() {
        for p in &problems {
            eprintln!("zcon: {}: {p}", spec_file.display());
        }
        bail!(
            "{} problem(s) in {}: nothing was changed",
            problems.len(),
            spec_file.display()
        );
    }
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
    if dry_run {
        for task in &tasks {
            println!(
                "# {} {}: {} step(s)",
                task.plan.operation,
                task.plan.target,
                task.plan.steps.len()
            );
            for (step, line) in task.plan.steps.iter().zip(task.plan.describe()) {
                println!("# {}% {}", step.progress, step.stage);
                println!("{line}");
                if let crate::ops::Action::Run {
                    stdin: Some(input), ..
                } = &step.action
                {
                    for l in task.plan.redact(input).lines() {
                        println!("    {l}");
                    }
                }
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    refuse_if_read_only(args, config, &tasks[0].plan)?;
    let client = client(target, &config.tasks)?;
    let ids = client.submit(tasks, "cli")?;
    if !wait {
        for id in &ids {
            println!("{id}");
        }
        eprintln!("task #{} queued: create {}", ids[0], spec.name);
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

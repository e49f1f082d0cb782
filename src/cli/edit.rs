//! `zcon zone modify NAME --spec FILE`, `zone delete NAME`, `zone clone SRC NEW`.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;

use anyhow::bail;

use super::create::{inventory, read_spec, refuse_problems, run_tasks};
use super::{ConsoleArgs, Target};
use crate::exec::engine::Submission;
use crate::host::Inventory;
use crate::host::inventory::Zone;
use crate::ops::spec::ZoneSpec;
use crate::ops::{clone, delete, modify, spec_check};
use crate::ui::config::Config;

fn zone<'a>(inv: &'a Inventory, name: &str) -> anyhow::Result<&'a Zone> {
    match inv.zone(name) {
        Some(z) => Ok(z),
        None => bail!("no zone named '{name}' on this host"),
    }
}

fn one(plan: crate::ops::Plan) -> Vec<Submission> {
    vec![Submission {
        plan,
        after: vec![],
    }]
}

pub struct ModifyArgs<'a> {
    pub name: &'a str,
    pub spec: &'a Path,
    pub live: bool,
    pub dry_run: bool,
    pub wait: bool,
}

pub fn modify(
    target: &Target,
    args: &ConsoleArgs,
    config: &Config,
    m: ModifyArgs,
) -> anyhow::Result<ExitCode> {
    let doc = read_spec(m.spec)?;
    let inv = inventory(target)?;
    let z = zone(&inv, m.name)?;
    let Some(cfg) = &z.config else {
        bail!("the configuration of {} could not be read", m.name);
    };
    let mut desired = doc
        .into_modify(cfg)
        .map_err(|e| anyhow::anyhow!("{}: {e}", m.spec.display()))?;
    super::create::resolve_templates(&mut desired, &inv);
    let host = target.host_config()?;
    let is_file = |path: &str| host.host_path(path).is_file();
    let current = ZoneSpec::from_config(cfg);
    refuse_problems(
        &spec_check::check_modify(&current, &desired, &inv, &is_file),
        m.spec,
    )?;
    let exists = |name: &str| inv.datasets.iter().any(|d| d.name == name);
    let mut change =
        modify::modify_plan(cfg, &desired, z.state, m.live, &exists).map_err(anyhow::Error::msg)?;
    change.plan.zone_id = z.id;
    for c in &change.changes {
        let when = if c.at_next_boot {
            "  (at the next boot)"
        } else {
            ""
        };
        eprintln!("zcon: {}: {}{when}", m.name, c.text);
    }
    if change.needs_reboot() {
        eprintln!(
            "zcon: {} is {}: the changes marked take effect when it boots again",
            m.name,
            z.state.as_str()
        );
    }
    run_tasks(target, args, config, one(change.plan), m.dry_run, m.wait)
}

/// The `zcon:zone` tags of the datasets a zone uses.
pub fn zone_tags(
    target: &Target,
    inv: &Inventory,
    z: &Zone,
) -> anyhow::Result<BTreeMap<String, String>> {
    let Some(cmd) = delete::tag_query(inv, z) else {
        return Ok(BTreeMap::new());
    };
    let runner = target.runner()?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let out = rt.block_on(runner.run(&cmd))?;
    Ok(delete::parse_tags(&String::from_utf8_lossy(&out.stdout))?)
}

pub struct DeleteArgs<'a> {
    pub name: &'a str,
    pub cleanup: bool,
    pub yes: bool,
    pub dry_run: bool,
    pub wait: bool,
}

pub fn delete(
    target: &Target,
    args: &ConsoleArgs,
    config: &Config,
    d: DeleteArgs,
) -> anyhow::Result<ExitCode> {
    let inv = inventory(target)?;
    let z = zone(&inv, d.name)?;
    let tags = zone_tags(target, &inv, z)?;
    let deletion = delete::delete_plan(&inv, z, &tags, d.cleanup).map_err(anyhow::Error::msg)?;
    let list = |what: &str, names: &[String]| {
        for n in names {
            eprintln!("zcon: {what}: {n}");
        }
    };
    list("destroyed by the uninstall", &deletion.with_zone);
    list("destroyed (cleanup)", &deletion.cleaned);
    list("kept", &deletion.kept);
    if !d.yes && !d.dry_run {
        bail!(
            "deleting {} cannot be undone: run again with --yes to go ahead",
            d.name
        );
    }
    run_tasks(target, args, config, one(deletion.plan), d.dry_run, d.wait)
}

pub fn clone(
    target: &Target,
    args: &ConsoleArgs,
    config: &Config,
    source: &str,
    new: &str,
    dry_run: bool,
    wait: bool,
) -> anyhow::Result<ExitCode> {
    let inv = inventory(target)?;
    let z = zone(&inv, source)?;
    let names: Vec<&str> = inv.zones.iter().map(|z| z.name.as_str()).collect();
    let cloning = clone::clone_plan(z, new, &names).map_err(anyhow::Error::msg)?;
    for note in &cloning.notes {
        eprintln!("zcon: {new}: {note}");
    }
    run_tasks(target, args, config, one(cloning.plan), dry_run, wait)
}

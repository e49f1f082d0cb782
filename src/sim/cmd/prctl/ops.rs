//! prctl's work per operand: find the zone, read its values (what changed live, else what
//! it booted with), list them or change them.
//!
//! As in prctl.c, each operand starts with a clean status and the last one decides the
//! exit status; an error while changing a zone (reported after the pid and arguments of
//! the zone process prctl acted through) stops at that operand.

use std::io;

use super::live::{LiveCaps, Target, Value, find_zone};
use super::print::{self, Block, Entry};
use super::rctls::{self, Def, ZONE_RCTLS};
use super::{Op, Priv, Request, warn};
use crate::sim::zones::{self, Runtime};
use crate::sim::{Ctx, SimHost};
use crate::sys::zonecfg::ZoneConfig;

pub(super) fn run(ctx: &mut Ctx, req: &Request) -> io::Result<i32> {
    match req.op {
        None => list(ctx, req),
        Some(op) => change(ctx, req, op),
    }
}

/// The zone `operand` names, when prctl can act through one of its processes; else the
/// message prctl prints.
fn reachable(ctx: &mut Ctx, runtime: &Runtime, operand: &str) -> Option<Target> {
    let Some(target) = find_zone(runtime, operand) else {
        warn(ctx, &format!("{operand}: unknown zone"));
        return None;
    };
    if !target.has_processes() {
        warn(
            ctx,
            &format!("{operand}: No controllable process found in task, project, or zone."),
        );
        return None;
    }
    Some(target)
}

fn config_of(host: &SimHost, target: &Target) -> io::Result<Option<ZoneConfig>> {
    if target.id == 0 {
        return Ok(None);
    }
    zones::load_config(host, &target.name)
}

/// The zone's privileged values of `def`, lowest first.
fn current(live: &LiveCaps, target: &Target, cfg: Option<&ZoneConfig>, def: &Def) -> Vec<Value> {
    live.zone(target)
        .and_then(|z| z.rctls.get(def.name))
        .cloned()
        .unwrap_or_else(|| rctls::boot_values(cfg, def))
}

/// The privileged values followed by the system value, as the kernel lists them.
fn entries(def: &Def, values: &[Value]) -> Vec<Entry> {
    values
        .iter()
        .map(|v| Entry {
            privilege: Priv::Privileged,
            value: v.value,
            flag: "-",
            action: v.action.clone(),
        })
        .chain(std::iter::once(Entry {
            privilege: Priv::System,
            value: def.max,
            flag: def.system_flag(),
            action: def.system_action().to_string(),
        }))
        .collect()
}

fn list(ctx: &mut Ctx, req: &Request) -> io::Result<i32> {
    let _lock = ctx.host.lock_shared()?;
    let runtime = zones::load_runtime(ctx.host)?;
    let live = LiveCaps::load(ctx.host)?;
    let defs: Vec<&'static Def> = match req.def {
        Some(def) => vec![def],
        None => ZONE_RCTLS.iter().collect(),
    };
    let mut status = 0;
    let mut printed = false;
    for operand in &req.operands {
        let Some(target) = reachable(ctx, &runtime, operand) else {
            status = 1;
            continue;
        };
        // Blank lines between the operands' output.
        if printed {
            writeln!(ctx.out)?;
        }
        if let (Some(name), None) = (&req.name, req.def) {
            warn(
                ctx,
                &format!("failed to get resource control for {name}: Invalid argument"),
            );
            return Ok(1);
        }
        let cfg = config_of(ctx.host, &target)?;
        let blocks: Vec<Block> = defs
            .iter()
            .filter_map(|&def| {
                let values = current(&live, &target, cfg.as_ref(), def);
                let entries: Vec<Entry> = entries(def, &values)
                    .into_iter()
                    .filter(|e| req.privilege.is_none_or(|p| p == e.privilege))
                    .collect();
                (!entries.is_empty()).then(|| Block {
                    def,
                    usage: rctls::usage(def, target.id, &values),
                    entries,
                })
            })
            .collect();
        print::zone(ctx.out, &target, &blocks, req.parseable)?;
        printed = true;
        status = 0;
    }
    Ok(status)
}

fn change(ctx: &mut Ctx, req: &Request, op: Op) -> io::Result<i32> {
    let def = req.def.expect("checked: changes need a known -n");
    let _lock = ctx.host.lock_exclusive()?;
    let runtime = zones::load_runtime(ctx.host)?;
    let mut live = LiveCaps::load(ctx.host)?;
    let mut status = 0;
    let mut changed = false;
    for operand in &req.operands {
        let Some(target) = reachable(ctx, &runtime, operand) else {
            status = 1;
            continue;
        };
        status = 0;
        let cfg = config_of(ctx.host, &target)?;
        let mut values = current(&live, &target, cfg.as_ref(), def);
        match apply(op, def, &mut values, req) {
            Ok(()) => {
                live.zone_mut(&target)
                    .rctls
                    .insert(def.name.to_string(), values);
                changed = true;
            }
            Err(msg) => {
                writeln!(ctx.err, "{}:\t{}", target.init_pid(), psargs(cfg.as_ref()))?;
                warn(ctx, msg);
                status = 1;
                break;
            }
        }
    }
    if changed {
        live.save(ctx.host, &runtime)?;
    }
    Ok(status)
}

/// The arguments of the zone process prctl grabs: the zone's init, or a bhyve VM's bhyve.
fn psargs(cfg: Option<&ZoneConfig>) -> &'static str {
    match cfg {
        Some(cfg) if cfg.brand == "bhyve" => "/usr/sbin/bhyve",
        _ => "/sbin/init",
    }
}

/// An action with deny added (RCTL_GLOBAL_DENY_ALWAYS controls always deny).
fn with_deny(action: &str) -> String {
    match action {
        "none" | "" => "deny".into(),
        a if a.starts_with("deny") => a.into(),
        a => format!("deny,{a}"),
    }
}

/// One change to the zone's privileged values (the system value is never changed).
fn apply(op: Op, def: &Def, values: &mut Vec<Value>, req: &Request) -> Result<(), &'static str> {
    let typed = req.value;
    // Without -t the first value of any privilege matches: the lowest privileged value,
    // or the system value when there is none.
    let any = req.privilege.is_none();
    match op {
        Op::Set => {
            let v = typed.expect("checked: -s needs -v");
            if values.iter().any(|x| x.value == v) {
                return Err("resource control already exists");
            }
            values.push(Value {
                value: v,
                action: def.new_value_action().to_string(),
            });
        }
        Op::Replace => {
            let v = typed.expect("checked: -r needs -v");
            let replaced = match values.first() {
                Some(first) => first.value,
                None if any => def.max,
                None => return Err("no matching resource control to replace"),
            };
            let exists = values.iter().any(|x| x.value == v) || (any && v == def.max);
            if exists && v != replaced {
                return Err("replacement resource control already exists");
            }
            let Some(first) = values.first_mut() else {
                return Err("cannot modify system values");
            };
            first.value = v;
            if def.deny_always {
                first.action = with_deny(&first.action);
            }
        }
        Op::Delete => {
            let found = values
                .iter()
                .position(|x| typed.is_none_or(|v| x.value == v));
            match found {
                Some(i) => {
                    values.remove(i);
                }
                None if any && typed.is_none_or(|v| v == def.max) => {
                    return Err("cannot modify system values");
                }
                None => return Err("no matching resource control found for deletion"),
            }
        }
    }
    values.sort_by_key(|x| x.value);
    Ok(())
}

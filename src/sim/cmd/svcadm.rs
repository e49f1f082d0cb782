//! The sim host's `svcadm`: enable/disable (`-s` waits for the outcome, `-t` until
//! reboot), restart, refresh, clear and mark, on FMRIs, abbreviations or globs that must
//! each designate a single instance.

use std::time::Duration;

use super::svcs::getopt::getopt;
use crate::sim::Ctx;
use crate::sim::smf::{Action, SmfStore, resolve};

const USAGE_EXIT: i32 = 2;
/// Exit statuses of `enable -s` / `disable -s`.
const EXIT_SVC_FAILURE: i32 = 3;

fn usage(ctx: &mut Ctx) -> i32 {
    let p = "svcadm";
    let _ = write!(
        ctx.err,
        "Usage: {p} [-v] [cmd [args ... ]]\n\n\
         \t{p} enable [-rst] <service> ...\t- enable and online service(s)\n\
         \t{p} disable [-st] <service> ...\t- disable and offline service(s)\n\
         \t{p} restart <service> ...\t\t- restart specified service(s)\n\
         \t{p} refresh <service> ...\t\t- re-read service configuration\n\
         \t{p} mark [-It] <state> <service> ...\t- set maintenance state\n\
         \t{p} clear <service> ...\t\t- clear maintenance state\n\
         \t{p} milestone [-d] <milestone>\t- advance to a service milestone\n\n\t\
         Services can be specified using an FMRI, abbreviation, or fnmatch(5)\n\t\
         pattern, as shown in these examples for svc:/network/smtp:sendmail\n\n\
         \t{p} <cmd> svc:/network/smtp:sendmail\n\
         \t{p} <cmd> network/smtp:sendmail\n\
         \t{p} <cmd> network/*mail\n\
         \t{p} <cmd> network/smtp\n\
         \t{p} <cmd> smtp:sendmail\n\
         \t{p} <cmd> smtp\n\
         \t{p} <cmd> sendmail\n"
    );
    USAGE_EXIT
}

#[derive(Clone, Copy, PartialEq)]
enum Op {
    Switch { enable: bool, temporary: bool },
    Restart,
    Refresh,
    Clear,
    Mark { maintenance: bool },
}

pub fn main(ctx: &mut Ctx, args: &[String]) -> i32 {
    let Ok(global) = getopt(args, "v") else {
        return usage(ctx);
    };
    let verbose = !global.opts.is_empty();
    let Some((cmd, rest)) = global.operands.split_first() else {
        return usage(ctx);
    };
    let optstring = match cmd.as_str() {
        "enable" => "rst",
        "disable" => "st",
        "mark" => "It",
        "restart" | "refresh" | "clear" => "",
        "milestone" => "d",
        _ => return usage(ctx),
    };
    let Ok(sub) = getopt(rest, optstring) else {
        return usage(ctx);
    };
    let has = |c: char| sub.opts.iter().any(|(o, _)| *o == c);
    let mut operands = sub.operands.clone();
    let op = match cmd.as_str() {
        "enable" | "disable" => Op::Switch {
            enable: cmd == "enable",
            temporary: has('t'),
        },
        "restart" => Op::Restart,
        "refresh" => Op::Refresh,
        "clear" => Op::Clear,
        "mark" => {
            if operands.len() < 2 {
                return usage(ctx);
            }
            let state = operands.remove(0);
            match state.as_str() {
                "maintenance" => Op::Mark { maintenance: true },
                "degraded" if has('t') => {
                    let _ = writeln!(ctx.err, "svcadm: -t may not be used with degraded.");
                    return USAGE_EXIT;
                }
                "degraded" => Op::Mark { maintenance: false },
                _ => return usage(ctx),
            }
        }
        // Milestones are not modelled; the host is always at multi-user-server.
        _ => return if operands.len() == 1 { 0 } else { usage(ctx) },
    };
    if operands.is_empty() {
        return usage(ctx);
    }
    if crate::sim::fail::injected(ctx.host, "svcadm", args) {
        let _ = writeln!(ctx.err, "svcadm: {}: Repository read-only.", operands[0]);
        return 1;
    }
    let (mut status, targets, wait) = match apply(ctx, &operands, op, verbose) {
        Ok(r) => r,
        Err(e) => {
            let _ = writeln!(
                ctx.err,
                "svcadm: Connection to repository server broken.  Exiting. ({e})"
            );
            return 1;
        }
    };
    if let Op::Switch { enable, .. } = op
        && has('s')
        && status == 0
    {
        status = wait_for(ctx, &targets, enable, wait);
    }
    status
}

/// Resolve the operands and carry out the request under the lock. Returns the status,
/// the instances acted on and how long their transitions take.
fn apply(
    ctx: &mut Ctx,
    operands: &[String],
    op: Op,
    verbose: bool,
) -> std::io::Result<(i32, Vec<String>, Duration)> {
    let _lock = ctx.host.lock_exclusive()?;
    let mut store = SmfStore::load(ctx.host)?;
    let mut status = 0;
    let mut targets = Vec::new();
    let mut wait = Duration::ZERO;
    for pattern in operands {
        let found = resolve(&store, pattern).instances;
        let fmri = match found.as_slice() {
            [] => {
                let _ = writeln!(
                    ctx.err,
                    "svcadm: Pattern '{pattern}' doesn't match any instances"
                );
                status = 1;
                continue;
            }
            [one] => one.clone(),
            many => {
                let _ = writeln!(
                    ctx.err,
                    "svcadm: Pattern '{pattern}' matches multiple instances:"
                );
                for f in many {
                    let _ = writeln!(ctx.err, "svcadm:     {f}");
                }
                status = 1;
                continue;
            }
        };
        let state = store.state(&fmri).unwrap_or_default();
        let action = match op {
            Op::Switch { enable, temporary } => {
                if verbose {
                    let how = if temporary { "temporarily " } else { "" };
                    let what = if enable { "enabled" } else { "disabled" };
                    let _ = writeln!(ctx.out, "{fmri} {how}{what}.");
                }
                if enable {
                    Action::Enable { temporary }
                } else {
                    Action::Disable { temporary }
                }
            }
            Op::Restart => Action::Restart,
            Op::Refresh => Action::Refresh,
            Op::Clear if state == "maintenance" || state == "degraded" => Action::Clear,
            Op::Clear => {
                let _ = writeln!(
                    ctx.err,
                    "svcadm: Instance \"{fmri}\" is not in a maintenance or degraded state."
                );
                status = 1;
                continue;
            }
            Op::Mark { maintenance: true } => {
                store.to_maintenance(&fmri, "Maintenance requested by an administrator.");
                continue;
            }
            Op::Mark { maintenance: false } => {
                if state != "online" {
                    let _ = writeln!(ctx.err, "svcadm: Instance \"{fmri}\" is not online.");
                    status = 1;
                } else if let Some(i) = store.instances.get_mut(&fmri) {
                    i.state = "degraded".into();
                    i.state_time = crate::sim::host::now();
                }
                continue;
            }
        };
        if verbose && !matches!(op, Op::Switch { .. }) {
            let name = match op {
                Op::Restart => "restart",
                Op::Refresh => "refresh",
                _ => "maint_off",
            };
            let _ = writeln!(ctx.out, "Action {name} set for {fmri}.");
        }
        wait = wait.max(store.request(ctx.host, &fmri, action));
        targets.push(fmri);
    }
    store.save(ctx.host)?;
    Ok((status, targets, wait))
}

/// `-s`: wait (without the lock) until each instance got where it was sent, or could not.
fn wait_for(ctx: &mut Ctx, targets: &[String], enable: bool, wait: Duration) -> i32 {
    ctx.host.sleep(wait);
    let mut status = 0;
    let mut pending: Vec<&String> = targets.iter().collect();
    // Bounded, as a real restarter eventually gives up on a method (timeout).
    for _ in 0..600 {
        let Ok(store) = SmfStore::load_for_reading(ctx.host) else {
            return 1;
        };
        pending.retain(|fmri| {
            let Some(i) = store.instances.get(*fmri) else {
                return false;
            };
            let problem = match (enable, i.state.as_str()) {
                (_, "maintenance") => Some("is in maintenance state"),
                (true, _) if !i.effective_enabled() => Some("has been disabled by another entity"),
                (false, _) if i.effective_enabled() => Some("has been enabled by another entity"),
                (true, "online" | "degraded") | (false, "disabled") => return false,
                _ => None,
            };
            match problem {
                Some(p) => {
                    let _ = writeln!(ctx.err, "svcadm: Instance \"{fmri}\" {p}.");
                    status = EXIT_SVC_FAILURE;
                    false
                }
                None => true,
            }
        });
        if pending.is_empty() {
            return status;
        }
        ctx.host.sleep(Duration::from_millis(100));
        if ctx.host.speed() == 0.0 {
            std::thread::sleep(Duration::from_millis(5));
        }
    }
    EXIT_SVC_FAILURE
}

#[cfg(test)]
mod tests;

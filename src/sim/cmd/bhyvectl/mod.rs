//! The sim host's bhyvectl(8), for the guest-level actions zadm takes on a bhyve zone:
//! `--force-poweroff`, `--force-reset`, `--inject-nmi` (usr/src/cmd/bhyvectl/bhyvectl.c).
//!
//! A bhyve zone's VM is named after the zone and lives as long as the zone's init — the
//! bhyve process — runs: in the `running` and `shutting_down` states. A forced poweroff or
//! reset suspends the VM; bhyve exits, and zoneadmd halts the zone (poweroff) or boots it
//! again (reset, through the brand's restart-on-init-exit). The sim does zoneadmd's part
//! before returning, so the next listing sees its result.

mod getopt;

use std::time::Duration;

use super::zoneadm::lifecycle::{self, StepError};
use crate::sim::{Ctx, SimHost, zones};
use crate::sys::zoneadm::ZoneState;
use crate::sys::zonecfg::ZoneConfig;

const PROGRAM: &str = "bhyvectl";

/// Its own usage text (bhyvectl.c `usage()`, as printed on an Intel host).
const USAGE: &str = include_str!("usage.txt");

/// illumos errno values bhyvectl reports. EIO stands for the sim failing to write its own
/// state while zoneadmd's part of the action runs.
const EINVAL: i32 = 22;
const EALREADY: i32 = 149;
const EIO: i32 = 5;

/// From the suspend to the zone out of the kernel: bhyve exits, zoneadmd halts the zone.
const TEARDOWN_TIME: Duration = Duration::from_millis(300);

fn usage(ctx: &mut Ctx) -> i32 {
    let _ = ctx.err.write_all(USAGE.as_bytes());
    1
}

/// bhyvectl's report of a failed VM ioctl: `errno = N` on stdout, then `exit(-1)`.
fn ioctl_failed(ctx: &mut Ctx, errno: i32) -> i32 {
    let _ = writeln!(ctx.out, "errno = {errno}");
    255
}

pub fn main(ctx: &mut Ctx, args: &[String]) -> i32 {
    let req = match getopt::parse(PROGRAM, args) {
        Ok(req) => req,
        Err(msg) => {
            let _ = writeln!(ctx.err, "{msg}");
            return usage(ctx);
        }
    };
    let Some(vm) = req.vm.clone() else {
        return usage(ctx);
    };
    let cfg = match open_vm(ctx.host, &vm) {
        Ok(Some(cfg)) => cfg,
        Ok(None) => {
            let _ = writeln!(
                ctx.err,
                "vm_open: {vm} could not be opened: No such file or directory"
            );
            return 1;
        }
        Err(e) => {
            let _ = writeln!(ctx.err, "vm_open: {vm} could not be opened: {e}");
            return 1;
        }
    };
    let acts = req.inject_nmi || req.force_reset || req.force_poweroff;
    if acts && crate::sim::fail::injected(ctx.host, PROGRAM, args) {
        // The first ioctl fails: an NMI for a vCPU the VM refuses, or a suspend racing
        // another one already under way. Nothing changes.
        let errno = if req.inject_nmi { EINVAL } else { EALREADY };
        return ioctl_failed(ctx, errno);
    }
    // In bhyvectl's order: NMI, reset, poweroff.
    if req.force_reset {
        if reset(ctx.host, &cfg).is_err() {
            return ioctl_failed(ctx, EIO);
        }
        if req.force_poweroff {
            // The VM is already suspended for the reset: the second suspend is refused.
            return ioctl_failed(ctx, EALREADY);
        }
    } else if req.force_poweroff && poweroff(ctx.host, &cfg).is_err() {
        return ioctl_failed(ctx, EIO);
    }
    0
}

/// vm_open(): the zone's configuration when NAME is a bhyve zone whose VM exists now.
fn open_vm(host: &SimHost, vm: &str) -> std::io::Result<Option<ZoneConfig>> {
    let _lock = host.lock_shared()?;
    let running = matches!(
        zones::current_state(host, vm)?,
        Some(ZoneState::Running | ZoneState::ShuttingDown)
    );
    if !running {
        return Ok(None);
    }
    Ok(zones::load_config(host, vm)?.filter(|cfg| cfg.brand == "bhyve"))
}

/// The zone halts as after `zoneadm halt`: down, then out of the kernel, its boot-time
/// VNICs deleted and its links handed back.
fn poweroff(host: &SimHost, cfg: &ZoneConfig) -> Result<(), StepError> {
    lifecycle::set_state(host, &cfg.name, ZoneState::Down)?;
    host.sleep(TEARDOWN_TIME);
    lifecycle::leave_kernel(host, cfg)
}

/// The zone halts and boots again (a new zone id and boot count) with no graceful
/// shutdown. A boot that fails (a disk gone meanwhile) leaves the zone installed; only
/// zoneadmd's log would say why, bhyvectl's suspend itself succeeded.
fn reset(host: &SimHost, cfg: &ZoneConfig) -> Result<(), StepError> {
    poweroff(host, cfg)?;
    match lifecycle::boot_zone(host, cfg) {
        Err(StepError::Zone(_)) => Ok(()),
        other => other,
    }
}

#[cfg(test)]
mod tests;

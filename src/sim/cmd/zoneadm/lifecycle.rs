//! boot, halt, ready, shutdown, reboot. State changes happen under the exclusive state lock;
//! the time a zone takes to come up or go down passes with the lock released.

use std::time::Duration;

use super::{Begun, Check, Zoneadm, begin, resources, sub_usage};
use crate::sim::SimHost;
use crate::sim::host::now;
use crate::sim::zones::{self, ActiveZone};
use crate::sys::zoneadm::ZoneState;
use crate::sys::zonecfg::ZoneConfig;

/// How long the kernel side of a boot takes before zoneadm returns (the guest or the zone's
/// services keep starting afterwards).
fn boot_time(brand: &str) -> Duration {
    match brand {
        "bhyve" => Duration::from_millis(1200),
        "lx" => Duration::from_millis(2000),
        _ => Duration::from_millis(2500),
    }
}

/// A graceful shutdown: the guest's or the zone's services stopping.
fn shutdown_time(brand: &str) -> Duration {
    match brand {
        "bhyve" => Duration::from_secs(8),
        _ => Duration::from_secs(5),
    }
}

const HALT_TIME: Duration = Duration::from_millis(600);

/// Boot arguments: `[--] args…` (getopt stops at `--`; `-X` is zoneadm's debug flag).
fn boot_args(za: &mut Zoneadm, cmd: &str, args: &[String]) -> Result<Vec<String>, i32> {
    let mut rest = args;
    while let Some(first) = rest.first() {
        match first.as_str() {
            "--" => {
                rest = &rest[1..];
                break;
            }
            "-X" => rest = &rest[1..],
            a if a.starts_with('-') => return Err(sub_usage(za, cmd)),
            _ => break,
        }
    }
    Ok(rest.to_vec())
}

/// Why a lifecycle step failed: a message zoneadm prints after its "zone 'Z': " prefix, or
/// an I/O error on the sim's own state.
pub(crate) enum StepError {
    Zone(String),
    Io(std::io::Error),
}

impl From<std::io::Error> for StepError {
    fn from(e: std::io::Error) -> Self {
        StepError::Io(e)
    }
}

impl Zoneadm<'_, '_> {
    fn step_error(&mut self, e: StepError) -> i32 {
        match e {
            StepError::Zone(msg) => self.zerror(&msg),
            StepError::Io(e) => self.io_error(e),
        }
    }
}

/// Put the zone in the kernel as `ready` with a fresh id and its network plumbed. Takes the
/// state lock itself.
pub(crate) fn enter_kernel(host: &SimHost, cfg: &ZoneConfig) -> Result<(), StepError> {
    let _lock = host.lock_exclusive()?;
    resources::attach_network(host, cfg).map_err(StepError::Zone)?;
    let mut runtime = zones::load_runtime(host)?;
    let id = runtime.allocate_id();
    let boot_count = runtime.boots.get(&cfg.name).copied().unwrap_or(0);
    runtime.zones.insert(
        cfg.name.clone(),
        ActiveZone {
            state: ZoneState::Ready,
            id,
            booted_at: 0,
            boot_count,
        },
    );
    zones::save_runtime(host, &runtime)?;
    Ok(())
}

/// Set the state of an active zone (and, on reaching running, count the boot). Takes the
/// state lock itself.
pub(crate) fn set_state(host: &SimHost, zone: &str, state: ZoneState) -> std::io::Result<()> {
    let _lock = host.lock_exclusive()?;
    let mut runtime = zones::load_runtime(host)?;
    let boots = if state == ZoneState::Running {
        let n = runtime.boots.entry(zone.to_string()).or_insert(0);
        *n += 1;
        Some(*n)
    } else {
        None
    };
    if let Some(active) = runtime.zones.get_mut(zone) {
        active.state = state;
        if let Some(n) = boots {
            active.booted_at = now();
            active.boot_count = n;
        }
    }
    zones::save_runtime(host, &runtime)
}

/// Take the zone out of the kernel: back to `installed`, its network unplumbed. Takes the
/// state lock itself; harmless when the zone has already left.
pub(crate) fn leave_kernel(host: &SimHost, cfg: &ZoneConfig) -> Result<(), StepError> {
    let _lock = host.lock_exclusive()?;
    let mut runtime = zones::load_runtime(host)?;
    runtime.zones.remove(&cfg.name);
    zones::save_runtime(host, &runtime)?;
    resources::detach_network(host, cfg).map_err(StepError::Zone)
}

/// Boot an installed zone: the brand's checks, into the kernel as ready, the time the
/// kernel side takes (state lock released), then running.
pub(crate) fn boot_zone(host: &SimHost, cfg: &ZoneConfig) -> Result<(), StepError> {
    resources::check_boot(host, cfg).map_err(StepError::Zone)?;
    enter_kernel(host, cfg)?;
    host.sleep(boot_time(&cfg.brand));
    set_state(host, &cfg.name, ZoneState::Running)?;
    Ok(())
}

fn make_ready(za: &mut Zoneadm, cfg: &ZoneConfig) -> Result<(), i32> {
    let host = za.host().clone();
    enter_kernel(&host, cfg).map_err(|e| za.step_error(e))
}

fn set_active_state(za: &mut Zoneadm, state: ZoneState) -> Result<(), i32> {
    let host = za.host().clone();
    let zone = za.target().to_string();
    set_state(&host, &zone, state).map_err(|e| za.io_error(e))
}

fn remove_from_kernel(za: &mut Zoneadm, cfg: &ZoneConfig) -> Result<(), i32> {
    let host = za.host().clone();
    leave_kernel(&host, cfg).map_err(|e| za.step_error(e))
}

fn do_boot(za: &mut Zoneadm, cfg: &ZoneConfig) -> Result<(), i32> {
    let host = za.host().clone();
    boot_zone(&host, cfg).map_err(|e| za.step_error(e))
}

fn status(result: Result<(), i32>) -> i32 {
    result.err().unwrap_or(0)
}

pub(super) fn boot(za: &mut Zoneadm, args: &[String]) -> i32 {
    if let Err(code) = boot_args(za, "boot", args) {
        return code;
    }
    if za.injected() {
        return za.zerror("call to zoneadmd failed");
    }
    let check = Check {
        cmd: "boot",
        running: false,
        unsafe_when_running: true,
    };
    let Begun { _lock, state, cfg } = match begin(za, check) {
        Ok(b) => b,
        Err(code) => return code,
    };
    if state == ZoneState::Ready {
        // Booting a ready zone only starts it.
        za.host().sleep(boot_time(&cfg.brand));
        return status(set_active_state(za, ZoneState::Running));
    }
    status(do_boot(za, &cfg))
}

pub(super) fn ready(za: &mut Zoneadm, args: &[String]) -> i32 {
    if args.iter().any(|a| a != "-X") {
        return sub_usage(za, "ready");
    }
    if za.injected() {
        return za.zerror("call to zoneadmd failed");
    }
    let check = Check {
        cmd: "ready",
        running: false,
        unsafe_when_running: true,
    };
    let Begun { _lock, cfg, .. } = match begin(za, check) {
        Ok(b) => b,
        Err(code) => return code,
    };
    status(make_ready(za, &cfg))
}

pub(super) fn halt(za: &mut Zoneadm, args: &[String]) -> i32 {
    if args.iter().any(|a| a != "-X") {
        return sub_usage(za, "halt");
    }
    if za.injected() {
        return za.zerror("call to zoneadmd failed");
    }
    let check = Check {
        cmd: "halt",
        running: false,
        unsafe_when_running: false,
    };
    let Begun { _lock, state, cfg } = match begin(za, check) {
        Ok(b) => b,
        Err(code) => return code,
    };
    if !state.is_active() {
        // zoneadmd: a second client racing to halt loses, but does not fail.
        za.zerror("zone is already halted");
        return 0;
    }
    if let Err(code) = set_active_state(za, ZoneState::Down) {
        return code;
    }
    za.host().sleep(HALT_TIME);
    status(remove_from_kernel(za, &cfg))
}

pub(super) fn shutdown(za: &mut Zoneadm, args: &[String]) -> i32 {
    let mut reboot = false;
    let mut rest = args;
    while let Some(first) = rest.first() {
        match first.as_str() {
            "-r" => reboot = true,
            "--" => {
                rest = &rest[1..];
                break;
            }
            a if a.starts_with('-') => return sub_usage(za, "shutdown"),
            _ => break,
        }
        rest = &rest[1..];
    }
    if !rest.is_empty() && !reboot {
        return sub_usage(za, "shutdown");
    }
    if za.injected() {
        return za.zerror("call to zoneadmd failed");
    }
    let check = Check {
        cmd: "shutdown",
        running: true,
        unsafe_when_running: false,
    };
    let Begun { _lock, cfg, .. } = match begin(za, check) {
        Ok(b) => b,
        Err(code) => return code,
    };
    if let Err(code) = set_active_state(za, ZoneState::ShuttingDown) {
        return code;
    }
    za.host().sleep(shutdown_time(&cfg.brand));
    if let Err(code) = remove_from_kernel(za, &cfg) {
        return code;
    }
    if reboot {
        return status(do_boot(za, &cfg));
    }
    0
}

pub(super) fn reboot(za: &mut Zoneadm, args: &[String]) -> i32 {
    if let Err(code) = boot_args(za, "reboot", args) {
        return code;
    }
    if za.injected() {
        return za.zerror("call to zoneadmd failed");
    }
    let check = Check {
        cmd: "reboot",
        running: true,
        unsafe_when_running: false,
    };
    let Begun { _lock, cfg, .. } = match begin(za, check) {
        Ok(b) => b,
        Err(code) => return code,
    };
    if let Err(code) = set_active_state(za, ZoneState::Down) {
        return code;
    }
    za.host().sleep(HALT_TIME);
    if let Err(code) = remove_from_kernel(za, &cfg) {
        return code;
    }
    status(do_boot(za, &cfg))
}

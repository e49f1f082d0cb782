//! The sim host's `rcapadm` (usr/src/cmd/rcap/rcapadm/rcapadm.c): `-z ZONE -m SIZE` sets
//! a zone's physical memory cap until it halts (kept beside prctl's live values); `-E`/`-D`
//! enable or disable rcapd, `-c`/`-i` set its configuration (SMF properties of
//! svc:/system/rcap:default), and every form but `-z` ends by printing that state.
//!
//! Not emulated (usage text and status 2 instead): `-n` (change only at the next boot).

use super::prctl::live::{LiveCaps, find_zone};
use super::prctl::rctls::float_prefix;
use super::svcs::getopt::getopt;
use crate::sim::Ctx;
use crate::sim::smf::{Action, SmfStore};
use crate::sim::zones;
use crate::sys::smf::RCAP;

const USAGE: &str = "usage: rcapadm
               [-E|-D]                                # enable/disable rcapd
               [-n]                                   # don't start/stop rcapd
               [-i <scan|sample|report|config>=value] # set intervals
               [-c <percent>]                         # set memory cap
                                                      # enforcement threshold
               [-z <zonename> -m <max-rss>]               # update zone memory cap
";

const E_ERROR: i32 = 1;
const E_USAGE: i32 = 2;

/// rcapd's configuration properties: what `-i` calls them, their name in the `config`
/// property group, what print_state() calls them, and the manifest's defaults.
const INTERVALS: [(&str, &str, u32); 4] = [
    ("scan", "walk_interval", 15),
    ("config", "reconfig_interval", 60),
    ("report", "report_interval", 5),
    ("sample", "rss_sample_interval", 5),
];

fn usage(ctx: &mut Ctx) -> i32 {
    let _ = write!(ctx.err, "{USAGE}");
    E_USAGE
}

fn die(ctx: &mut Ctx, msg: &str) -> i32 {
    let _ = writeln!(ctx.err, "rcapadm: {msg}");
    E_ERROR
}

#[derive(Default)]
struct Opts {
    enable: Option<bool>,
    pressure: Option<u32>,
    /// Property name → value, from `-i`.
    intervals: Vec<(&'static str, u32)>,
    zone: Option<(String, String)>,
}

pub fn main(ctx: &mut Ctx, args: &[String]) -> i32 {
    let opts = match parse_args(ctx, args) {
        Ok(o) => o,
        Err(status) => return status,
    };
    let mutating = opts.enable.is_some()
        || opts.pressure.is_some()
        || !opts.intervals.is_empty()
        || opts.zone.is_some();
    if mutating && crate::sim::fail::injected(ctx.host, "rcapadm", args) {
        return match (&opts.zone, opts.enable) {
            (Some((zone, _)), _) => {
                let _ = writeln!(ctx.err, "could not set memory cap for zone '{zone}'");
                E_ERROR
            }
            (None, Some(true)) => die(ctx, "cannot enable service: Permission denied"),
            (None, Some(false)) => die(ctx, "cannot disable service: Permission denied"),
            (None, None) => die(ctx, "Error updating repository "),
        };
    }
    match run(ctx, &opts, mutating) {
        Ok(status) => status,
        Err(e) => die(ctx, &format!("zcon sim: {e}")),
    }
}

fn parse_args(ctx: &mut Ctx, args: &[String]) -> Result<Opts, i32> {
    let parsed = match getopt(args, "DEc:i:m:nz:") {
        Ok(p) => p,
        Err(msg) => {
            let _ = writeln!(ctx.err, "rcapadm: {msg}");
            return Err(usage(ctx));
        }
    };
    let mut opts = Opts::default();
    let (mut zone, mut maxrss, mut no_start_stop, mut modified) = (None, None, false, false);
    for (opt, arg) in parsed.opts {
        let arg = arg.unwrap_or_default();
        match opt {
            'n' => no_start_stop = true,
            'c' => match arg.parse::<u32>() {
                Ok(p) if p <= 100 => {
                    opts.pressure = Some(p);
                    modified = true;
                }
                _ => return Err(usage(ctx)),
            },
            'E' => opts.enable = Some(true),
            'D' => opts.enable = Some(false),
            'i' => {
                for sub in arg.split(',') {
                    let (key, value) = sub.split_once('=').ok_or_else(|| usage(ctx))?;
                    let (_, prop, _) = INTERVALS
                        .iter()
                        .find(|(k, ..)| *k == key)
                        .ok_or_else(|| usage(ctx))?;
                    // scan and sample must be positive, report and config may be 0.
                    let least = u32::from(matches!(key, "scan" | "sample"));
                    match value.parse::<u32>() {
                        Ok(v) if v >= least => opts.intervals.push((prop, v)),
                        _ => return Err(usage(ctx)),
                    }
                }
                modified = true;
            }
            'm' => maxrss = Some(arg),
            _ => zone = Some(arg),
        }
    }
    // -z and -m go together, without -n or configuration changes.
    if !parsed.operands.is_empty() || zone.is_some() != maxrss.is_some() {
        return Err(usage(ctx));
    }
    if zone.is_some() && (no_start_stop || modified) {
        return Err(usage(ctx));
    }
    if no_start_stop {
        // Valid, but not emulated: see the module comment.
        return Err(usage(ctx));
    }
    opts.zone = zone.zip(maxrss);
    Ok(opts)
}

fn run(ctx: &mut Ctx, opts: &Opts, mutating: bool) -> std::io::Result<i32> {
    let host = ctx.host;
    if !mutating {
        let store = SmfStore::load_for_reading(host)?;
        if !store.instances.contains_key(RCAP) {
            return Ok(die(ctx, "resource caps not configured"));
        }
        print_state(ctx, &store)?;
        return Ok(0);
    }
    let _lock = host.lock_exclusive()?;
    let mut store = SmfStore::load(host)?;
    if !store.instances.contains_key(RCAP) {
        return Ok(die(ctx, "resource caps not configured"));
    }
    // Enabling and disabling come before anything can fail on the configuration.
    if let Some(on) = opts.enable {
        let action = if on {
            Action::Enable { temporary: false }
        } else {
            Action::Disable { temporary: false }
        };
        store.request(host, RCAP, action);
    }
    if let Some(p) = opts.pressure {
        store.set_property(RCAP, "config/pressure", "integer", &[&p.to_string()]);
    }
    for (prop, value) in &opts.intervals {
        let pg_prop = format!("config/{prop}");
        store.set_property(RCAP, &pg_prop, "integer", &[&value.to_string()]);
    }
    store.save(host)?;
    if let Some((zone, maxrss)) = &opts.zone {
        return update_zone_mcap(ctx, zone, maxrss);
    }
    print_state(ctx, &store)?;
    Ok(0)
}

fn update_zone_mcap(ctx: &mut Ctx, zone: &str, maxrss: &str) -> std::io::Result<i32> {
    let host = ctx.host;
    let runtime = zones::load_runtime(host)?;
    // getzoneidbyname(): any zone in the kernel, ready ones included.
    let Some(target) = find_zone(&runtime, zone).filter(|t| t.name == zone) else {
        writeln!(ctx.err, "zone '{zone}' must be running")?;
        return Ok(E_ERROR);
    };
    let Some(bytes) = str_to_bytes(maxrss) else {
        writeln!(ctx.err, "invalid max-rss value")?;
        return Ok(E_ERROR);
    };
    let mut live = LiveCaps::load(host)?;
    live.zone_mut(&target).phys_mcap = (bytes != 0).then_some(bytes);
    live.save(host, &runtime)?;
    Ok(0)
}

/// libzonecfg's zonecfg_str_to_bytes(): strtold, blanks, then nothing or one of K M G T
/// (either case, powers of 1024). A missing number reads as 0 (strtold's quirk).
fn str_to_bytes(text: &str) -> Option<u64> {
    let trimmed = text.trim_start();
    if trimmed.starts_with('-') && float_prefix(&trimmed[1..]) > 0 {
        return None;
    }
    let len = float_prefix(text);
    let value: f64 = if len == 0 {
        0.0
    } else {
        text[..len].trim_start().parse().ok()?
    };
    let unit = text[len..].trim_start();
    let scale: u64 = match unit.to_ascii_uppercase().as_str() {
        "" => 1,
        "K" => 1 << 10,
        "M" => 1 << 20,
        "G" => 1 << 30,
        "T" => 1 << 40,
        _ => return None,
    };
    Some((value * scale as f64) as u64)
}

/// print_state(): rcapd's enabled state (and what it will be at the next boot when
/// enabled or disabled only temporarily), then its configuration.
fn print_state(ctx: &mut Ctx, store: &SmfStore) -> std::io::Result<()> {
    let inst = &store.instances[RCAP];
    let word = |on: bool| if on { "enabled" } else { "disabled" };
    let pad = " ".repeat(38);
    match inst.enabled_temp {
        Some(temp) if temp != inst.enabled => writeln!(
            ctx.out,
            "{pad}state: {} ({} at next boot)",
            word(temp),
            word(inst.enabled)
        )?,
        _ => writeln!(ctx.out, "{pad}state: {}", word(inst.enabled))?,
    }
    let number = |prop: &str, default: u32| {
        store
            .property(RCAP, &format!("config/{prop}"))
            .and_then(|p| p.values.first()?.parse::<u32>().ok())
            .unwrap_or(default)
    };
    let rate = |key: &str| {
        let (_, prop, default) = INTERVALS.iter().find(|(k, ..)| *k == key).expect("known");
        number(prop, *default)
    };
    writeln!(
        ctx.out,
        "           memory cap enforcement threshold: {}%",
        number("pressure", 0)
    )?;
    writeln!(
        ctx.out,
        "                    process scan rate (sec): {}",
        rate("scan")
    )?;
    writeln!(
        ctx.out,
        "                 reconfiguration rate (sec): {}",
        rate("config")
    )?;
    writeln!(
        ctx.out,
        "                          report rate (sec): {}",
        rate("report")
    )?;
    writeln!(
        ctx.out,
        "                    RSS sampling rate (sec): {}",
        rate("sample")
    )?;
    Ok(())
}

#[cfg(test)]
mod tests;

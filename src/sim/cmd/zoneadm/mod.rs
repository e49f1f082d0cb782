//! The sim host's zoneadm(8): listing, and the lifecycle run through the same sanity checks,
//! messages and exit statuses as illumos zoneadm (zoneadm.c: `zerror` prefixes
//! "zoneadm: zone 'Z': ", `zperror` "zoneadm: Z: "; Z_ERR = 1, Z_USAGE = 2).

pub(super) mod lifecycle;
mod list;
mod provision;
mod resources;

use crate::sim::{Ctx, SimHost, zones};
use crate::sys::zoneadm::ZoneState;
use crate::sys::zonecfg::ZoneConfig;

pub(crate) const Z_ERR: i32 = 1;
pub(crate) const Z_USAGE: i32 = 2;

/// One zoneadm invocation's context: the command, its target zone, where to write.
pub(crate) struct Zoneadm<'c, 'a> {
    pub ctx: &'c mut Ctx<'a>,
    pub zone: Option<String>,
    /// The whole argv after the program name (fault injection matches against it).
    pub argv: Vec<String>,
}

impl Zoneadm<'_, '_> {
    pub fn host(&self) -> &SimHost {
        self.ctx.host
    }

    /// `zerror()`: "zoneadm: zone 'Z': message".
    pub fn zerror(&mut self, msg: &str) -> i32 {
        let prefix = self
            .zone
            .as_ref()
            .map(|z| format!("zone '{z}': "))
            .unwrap_or_default();
        let _ = writeln!(self.ctx.err, "zoneadm: {prefix}{msg}");
        Z_ERR
    }

    pub fn out(&mut self, line: &str) {
        let _ = writeln!(self.ctx.out, "{line}");
    }

    pub fn io_error(&mut self, e: std::io::Error) -> i32 {
        self.zerror(&format!("internal error: {e}"))
    }

    pub fn target(&self) -> &str {
        self.zone.as_deref().unwrap_or("")
    }

    /// Should this run fail by fault injection (ZCON_SIM_FAIL)?
    pub fn injected(&self) -> bool {
        crate::sim::fail::injected(self.ctx.host, "zoneadm", &self.argv)
    }
}

const SHORT_USAGE: &[(&str, &str)] = &[
    ("help", "help"),
    ("boot", "boot [-- boot_arguments]"),
    ("halt", "halt"),
    ("ready", "ready"),
    ("shutdown", "shutdown [-r [-- boot_arguments]]"),
    ("reboot", "reboot [-- boot_arguments]"),
    ("list", "list [-cipv]"),
    ("verify", "verify"),
    ("install", "install [brand-specific args]"),
    ("uninstall", "uninstall [-F] [brand-specific args]"),
    (
        "clone",
        "clone [-m method] [-s <ZFS snapshot>] [brand-specific args] zonename",
    ),
    ("move", "move zonepath"),
    ("detach", "detach [-n] [brand-specific args]"),
    ("attach", "attach [-F] [-n <path>] [brand-specific args]"),
    ("mark", "mark incomplete"),
];

fn usage(ctx: &mut Ctx) -> i32 {
    let mut text = String::from(
        "usage:\tzoneadm help\n\tzoneadm [-z <zone>] [-u <uuid-match>] list\n\
         \tzoneadm {-z <zone>|-u <uuid-match>} <subcommand>\n\nSubcommands:\n\n",
    );
    for (_, short) in SHORT_USAGE {
        text.push_str(short);
        text.push('\n');
    }
    text.push('\n');
    let _ = ctx.err.write_all(text.as_bytes());
    Z_USAGE
}

/// `sub_usage()`: the subcommand's usage line on stderr.
pub(crate) fn sub_usage(za: &mut Zoneadm, cmd: &str) -> i32 {
    let short = SHORT_USAGE
        .iter()
        .find(|(c, _)| *c == cmd)
        .map_or(cmd, |(_, s)| s);
    let _ = writeln!(za.ctx.err, "usage:\t{short}");
    Z_USAGE
}

pub fn main(ctx: &mut Ctx, args: &[String]) -> i32 {
    let mut zone = None;
    let mut uuid = None;
    let mut i = 0;
    while i < args.len() && args[i].starts_with('-') && args[i] != "--" {
        match args[i].as_str() {
            "-z" | "-u" | "-R" if i + 1 < args.len() => {
                match args[i].as_str() {
                    "-z" => zone = Some(args[i + 1].clone()),
                    "-u" => uuid = Some(args[i + 1].clone()),
                    _ => {}
                }
                i += 2;
            }
            opt if opt.len() > 2 && (opt.starts_with("-z") || opt.starts_with("-u")) => {
                let value = opt[2..].to_string();
                if opt.starts_with("-z") {
                    zone = Some(value)
                } else {
                    uuid = Some(value)
                }
                i += 1;
            }
            _ => return usage(ctx),
        }
    }
    let Some(sub) = args.get(i).cloned() else {
        return usage(ctx);
    };
    let rest = &args[i + 1..];

    if zone.is_none()
        && let Some(u) = uuid
    {
        match lookup_uuid(ctx.host, &u) {
            Ok(Some(name)) => zone = Some(name),
            Ok(None) => {}
            Err(e) => {
                let _ = writeln!(ctx.err, "zoneadm: {e}");
                return Z_ERR;
            }
        }
    }

    // main(): an unknown target zone fails before the subcommand runs.
    if let Some(z) = &zone
        && z != "global"
    {
        match zone_exists(ctx.host, z) {
            Ok(true) => {}
            Ok(false) => {
                let _ = writeln!(ctx.err, "zoneadm: {z}: No such zone configured");
                return Z_ERR;
            }
            Err(e) => {
                let _ = writeln!(ctx.err, "zoneadm: {z}: {e}");
                return Z_ERR;
            }
        }
    }

    let mut za = Zoneadm {
        ctx,
        zone,
        argv: args.to_vec(),
    };
    match sub.as_str() {
        "help" => {
            let _ = za.ctx.out.write_all(b"usage:\tzoneadm help\n");
            0
        }
        "list" => list::list(&mut za, rest),
        "boot" => lifecycle::boot(&mut za, rest),
        "halt" => lifecycle::halt(&mut za, rest),
        "ready" => lifecycle::ready(&mut za, rest),
        "shutdown" => lifecycle::shutdown(&mut za, rest),
        "reboot" => lifecycle::reboot(&mut za, rest),
        "verify" => provision::verify(&mut za, rest),
        "install" => provision::install(&mut za, rest),
        "uninstall" => provision::uninstall(&mut za, rest),
        "clone" => provision::clone(&mut za, rest),
        "mark" => provision::mark(&mut za, rest),
        _ => usage(za.ctx),
    }
}

fn zone_exists(host: &SimHost, zone: &str) -> std::io::Result<bool> {
    let _lock = host.lock_shared()?;
    Ok(zones::load_index(host)?.get(zone).is_some())
}

fn lookup_uuid(host: &SimHost, uuid: &str) -> std::io::Result<Option<String>> {
    let _lock = host.lock_shared()?;
    Ok(zones::load_index(host)?
        .entries
        .into_iter()
        .find(|e| e.uuid == uuid)
        .map(|e| e.name))
}

/// What sanity_check() needs to know about the command.
#[derive(Clone, Copy)]
pub(crate) struct Check {
    pub cmd: &'static str,
    /// The zone must be running (ready counts) for this command.
    pub running: bool,
    /// The command is refused while the zone is ready or running.
    pub unsafe_when_running: bool,
}

/// sanity_check(): the state rules every lifecycle command goes through. Returns the zone's
/// current state, or the exit status after printing the real message.
pub(crate) fn sanity_check(za: &mut Zoneadm, check: Check) -> Result<ZoneState, i32> {
    let Some(zone) = za.zone.clone() else {
        return Err(za.zerror("no zone specified"));
    };
    if zone == "global" {
        return Err(za.zerror(&format!(
            "{} operation is invalid for the global zone.",
            check.cmd
        )));
    }
    if zone.starts_with("SUNW") {
        return Err(za.zerror(&format!(
            "{} operation is invalid for zones starting with SUNW.",
            check.cmd
        )));
    }
    let state = {
        let lock = za.host().lock_shared();
        let state = lock.and_then(|_l| zones::current_state(za.host(), &zone));
        match state {
            Ok(Some(s)) => s,
            Ok(None) => {
                let _ = writeln!(za.ctx.err, "zoneadm: {zone}: No such zone configured");
                return Err(Z_ERR);
            }
            Err(e) => return Err(za.io_error(e)),
        }
    };
    let active = state.is_active();
    if check.running {
        if !active {
            return Err(za.zerror("not running"));
        }
        return Ok(state);
    }
    if check.unsafe_when_running && active {
        return Err(za.zerror(&format!(
            "{} operation is invalid for {state} zones.",
            check.cmd
        )));
    }
    let err = match (check.cmd, state) {
        ("uninstall", ZoneState::Configured) => {
            Some("is already in state 'configured'.".to_string())
        }
        ("install" | "clone", ZoneState::Installed) => Some("is already installed.".to_string()),
        ("install" | "clone" | "verify", ZoneState::Incomplete) => {
            Some("zone is incomplete; uninstall required.".to_string())
        }
        ("ready" | "boot", s) if s < ZoneState::Installed => {
            Some(format!("must be installed before {}.", check.cmd))
        }
        _ => None,
    };
    match err {
        Some(msg) => Err(za.zerror(&msg)),
        None => Ok(state),
    }
}

/// What a zone command holds while it works: the zone's lock, its state and configuration.
pub(crate) struct Begun {
    pub _lock: ZoneLock,
    pub state: ZoneState,
    pub cfg: ZoneConfig,
}

/// The start every zone command shares: take the zone's lock (a second zoneadm on the
/// same zone waits), pass sanity_check(), read the configuration.
pub(crate) fn begin(za: &mut Zoneadm, check: Check) -> Result<Begun, i32> {
    let Ok(lock) = lock_zone(za.host(), za.target()) else {
        return Err(za.zerror("could not lock zone"));
    };
    let state = sanity_check(za, check)?;
    let zone = za.target().to_string();
    let cfg = zone_config(za, &zone)?;
    Ok(Begun {
        _lock: lock,
        state,
        cfg,
    })
}

/// A zone's configuration, or the exit status after zoneadm's message.
pub(crate) fn zone_config(za: &mut Zoneadm, zone: &str) -> Result<ZoneConfig, i32> {
    let loaded = za
        .host()
        .lock_shared()
        .and_then(|_l| zones::load_config(za.host(), zone));
    match loaded {
        Ok(Some(cfg)) => Ok(cfg),
        Ok(None) => {
            let _ = writeln!(za.ctx.err, "zoneadm: {zone}: No such zone configured");
            Err(Z_ERR)
        }
        Err(e) => Err(za.io_error(e)),
    }
}

/// Serialises zoneadm runs on one zone, as zoneadm's per-zone lock file does: a second
/// zoneadm on the same zone waits for the first.
pub(crate) struct ZoneLock {
    _file: std::fs::File,
}

pub(crate) fn lock_zone(host: &SimHost, zone: &str) -> std::io::Result<ZoneLock> {
    let dir = host.state_dir().join("zonelocks");
    std::fs::create_dir_all(&dir)?;
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join(format!("{zone}.zoneadm.lock")))?;
    file.lock()?;
    Ok(ZoneLock { _file: file })
}

#[cfg(test)]
mod tests;

//! `zoneadm list [-cipv]`: running zones first (in zone id order, as the kernel lists them),
//! then the other zones in index order.

use super::{Z_ERR, Zoneadm, sub_usage};
use crate::sim::zones;
use crate::sys::zoneadm::{ListEntry, ZoneState, format_list_line};
use crate::sys::zonecfg::IpType;

pub(super) fn list(za: &mut Zoneadm, args: &[String]) -> i32 {
    let (mut configured, mut installed, mut parsable, mut verbose) = (false, false, false, false);
    for arg in args {
        let Some(flags) = arg.strip_prefix('-').filter(|f| !f.is_empty()) else {
            return sub_usage(za, "list");
        };
        for f in flags.chars() {
            match f {
                'c' => configured = true,
                'i' => installed = true,
                'p' => parsable = true,
                'v' => verbose = true,
                _ => return sub_usage(za, "list"),
            }
        }
    }
    if parsable && verbose {
        let _ = writeln!(
            za.ctx.err,
            "zoneadm: -p and -v are mutually exclusive; -p ignored."
        );
        parsable = false;
    }
    if za.zone.is_some() && (configured || installed) {
        return sub_usage(za, "list");
    }
    let min_state = if configured {
        ZoneState::Configured
    } else if installed {
        ZoneState::Installed
    } else {
        ZoneState::Running
    };
    let (entries, skipped) = match collect(za) {
        Ok(e) => e,
        Err(e) => return za.io_error(e),
    };
    // lookup_zone_info() reports a zone it cannot read and goes on; the listing still
    // succeeds without it.
    for (zone, why) in skipped {
        let _ = writeln!(
            za.ctx.err,
            "zoneadm: {zone}: could not get brand name: {why}"
        );
    }
    let mut out = String::new();
    if verbose {
        out.push_str(&format!(
            "{:>4} {:<16} {:<10} {:<30} {:<8} {:<6}\n",
            "ID", "NAME", "STATUS", "PATH", "BRAND", "IP"
        ));
    }
    let only = za.zone.clone();
    for e in entries.iter().filter(|e| match &only {
        Some(z) => &e.name == z,
        None => e.state >= min_state || (min_state == ZoneState::Running && e.state.is_active()),
    }) {
        if parsable {
            out.push_str(&format_list_line(e));
            out.push('\n');
        } else if verbose {
            let id = e.id.map_or_else(|| "-".to_string(), |i| i.to_string());
            out.push_str(&format!(
                "{id:>4} {:<16} {:<10} {:<30} {:<8} {:<6}\n",
                e.name,
                e.state.as_str(),
                e.zonepath,
                e.brand,
                e.ip_type.as_zoneadm()
            ));
        } else {
            out.push_str(&e.name);
            out.push('\n');
        }
    }
    if za.ctx.out.write_all(out.as_bytes()).is_err() {
        return Z_ERR;
    }
    0
}

/// A zone lookup_zone_info() could not read, and libzonecfg's reason.
type Skipped = (String, &'static str);

/// Every zone as zoneadm would print it, in zoneadm's order, and the zones it had to skip.
fn collect(za: &Zoneadm) -> std::io::Result<(Vec<ListEntry>, Vec<Skipped>)> {
    let host = za.host();
    let _lock = host.lock_shared()?;
    let index = zones::load_index(host)?;
    let runtime = zones::load_runtime(host)?;
    let mut running = vec![ListEntry {
        id: Some(0),
        name: "global".into(),
        state: ZoneState::Running,
        zonepath: "/".into(),
        uuid: String::new(),
        brand: "ipkg".into(),
        ip_type: IpType::Shared,
        debugid: Some(0),
    }];
    let mut others = Vec::new();
    let mut skipped = Vec::new();
    for entry in index.non_global() {
        // The brand and ip-type come from the zone's XML, as lookup_zone_info() reads them.
        let cfg = match zones::load_config(host, &entry.name) {
            Ok(Some(cfg)) => cfg,
            Ok(None) => {
                skipped.push((entry.name.clone(), "No such zone configured"));
                continue;
            }
            Err(_) => {
                skipped.push((entry.name.clone(), "Invalid document"));
                continue;
            }
        };
        let state = zones::state_of(entry, &runtime);
        let active = runtime.zones.get(&entry.name);
        let item = ListEntry {
            id: active.map(|a| a.id),
            name: entry.name.clone(),
            state,
            zonepath: entry.zonepath.clone(),
            uuid: entry.uuid.clone(),
            brand: cfg.brand,
            ip_type: cfg.ip_type,
            debugid: cfg.debugid.map(i64::from),
        };
        if active.is_some() {
            running.push(item)
        } else {
            others.push(item)
        }
    }
    running[1..].sort_by_key(|e| e.id);
    running.extend(others);
    Ok((running, skipped))
}

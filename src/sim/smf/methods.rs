//! What the services' methods do to the rest of the sim host: ipfilter loads
//! `/etc/ipf/ipnat.conf` into the kernel's NAT table (and empties it when stopped); the DHCP
//! server refuses to start without a readable `/etc/dhcpd.conf`. A failing method puts the
//! instance into maintenance and leaves its message in the service's log file.

use std::fs;
use std::io::Write;

use super::{SmfStore, service_of};
use crate::sim::SimHost;
use crate::sys::dhcpd::DhcpdConf;
use crate::sys::ipnat::CONF_PATH as IPNAT_CONF;
use crate::sys::ipnat::grammar::parse_text;
use crate::sys::ipnat::print::printnat;
use crate::sys::smf::{DHCP_SERVER, IPFILTER};

const START_FAILED: &str = "Start method failed repeatedly, last exited with status 1.";
const REFRESH_FAILED: &str = "Refresh method exited with status 1.";

/// `/var/svc/log/network-ipfilter:default.log` for `svc:/network/ipfilter:default`.
pub fn log_path(fmri: &str) -> String {
    let name = fmri.trim_start_matches("svc:/").replace('/', "-");
    format!("/var/svc/log/{name}.log")
}

/// Queue a log line; [`SmfStore::save`] writes it.
fn log(store: &mut SmfStore, fmri: &str, line: &str) {
    let stamp = jiff::Zoned::now().strftime("%b %e %H:%M:%S");
    store
        .logs
        .push((fmri.to_string(), format!("[ {stamp} {line} ]")));
}

pub fn write_log(host: &SimHost, fmri: &str, line: &str) {
    let path = host.host_path(&log_path(fmri));
    if let Some(dir) = path.parent() {
        let _ = fs::create_dir_all(dir);
    }
    if let Ok(mut f) = fs::OpenOptions::new().create(true).append(true).open(path) {
        let _ = writeln!(f, "{line}");
    }
}

fn method_name(fmri: &str) -> String {
    let svc = service_of(fmri).trim_start_matches("svc:/");
    format!("/lib/svc/method/{}", svc.rsplit('/').next().unwrap_or(svc))
}

/// The instance reached online: run what its start method does.
pub fn start(store: &mut SmfStore, host: &SimHost, fmri: &str) {
    log(
        store,
        fmri,
        &format!("Executing start method (\"{} start\").", method_name(fmri)),
    );
    if let Err(e) = configure(store, host, fmri) {
        log(store, fmri, &e);
        log(store, fmri, "Method \"start\" exited with status 1.");
        store.to_maintenance(fmri, START_FAILED);
    } else {
        log(store, fmri, "Method \"start\" exited with status 0.");
    }
}

/// The instance was stopped (disabled or taken offline).
pub fn stop(store: &mut SmfStore, fmri: &str) {
    log(
        store,
        fmri,
        &format!("Executing stop method (\"{} stop\").", method_name(fmri)),
    );
    if fmri == IPFILTER {
        store.nat.running = false;
        store.nat.rules.clear();
    }
}

/// An online instance was refreshed.
pub fn refresh(store: &mut SmfStore, host: &SimHost, fmri: &str) {
    if fmri != IPFILTER && fmri != DHCP_SERVER {
        return;
    }
    log(
        store,
        fmri,
        &format!(
            "Executing refresh method (\"{} refresh\").",
            method_name(fmri)
        ),
    );
    if let Err(e) = configure(store, host, fmri) {
        log(store, fmri, &e);
        store.to_maintenance(fmri, REFRESH_FAILED);
    }
}

/// Apply the service's configuration files; Err carries the method's error output.
fn configure(store: &mut SmfStore, host: &SimHost, fmri: &str) -> Result<(), String> {
    match fmri {
        IPFILTER => {
            store.nat.running = true;
            load_ipnat_conf(store, host)
        }
        DHCP_SERVER => {
            let cmdline = check_dhcpd(store, host)?;
            log(store, fmri, &cmdline);
            Ok(())
        }
        _ => Ok(()),
    }
}

/// `ipnat -CF -f /etc/ipf/ipnat.conf`: the rules up to the first bad one end up loaded.
pub fn load_ipnat_conf(store: &mut SmfStore, host: &SimHost) -> Result<(), String> {
    store.nat.rules.clear();
    let text = match fs::read_to_string(host.host_path(IPNAT_CONF)) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(format!("fopen({IPNAT_CONF}) failed: {e}")),
    };
    let parsed = parse_text(&text);
    for (nat, _) in &parsed.rules {
        let line = printnat(nat);
        if !store.nat.rules.contains(&line) {
            store.nat.rules.push(line);
        }
    }
    match parsed.error {
        Some(e) => Err(e.to_string()),
        None => Ok(()),
    }
}

/// What the dhcpd method checks and runs: the configuration must read, and the daemon
/// serves the interfaces of `config/listen_ifnames` (all when empty). Returns the daemon's
/// command line.
fn check_dhcpd(store: &SmfStore, host: &SimHost) -> Result<String, String> {
    let first = |pg_prop: &str, default: &str| {
        store
            .property(DHCP_SERVER, pg_prop)
            .and_then(|p| p.values.first().cloned())
            .unwrap_or_else(|| default.to_string())
    };
    let file = first("config/config_file", crate::sys::dhcpd::CONF_PATH);
    let leases = first("config/lease_file", "/var/db/dhcpd.leases");
    let text = fs::read_to_string(host.host_path(&file))
        .map_err(|e| format!("Can't open {file}: {}", os_error(&e)))?;
    DhcpdConf::parse(&text)
        .map_err(|e| format!("{e}\nConfiguration file errors encountered -- exiting"))?;
    let ifnames = store
        .property(DHCP_SERVER, "config/listen_ifnames")
        .map(|p| p.values.join(" "))
        .unwrap_or_default();
    Ok(
        format!("/usr/sbin/dhcpd -q -cf {file} -lf {leases} {ifnames}")
            .trim_end()
            .to_string(),
    )
}

fn os_error(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "No such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "Permission denied".into(),
        _ => e.to_string(),
    }
}

//! verify, install, uninstall, clone and mark: the commands that change what is on disk.
//! Install and clone pass through `incomplete` (a run cut off half way leaves the zone there,
//! as on a real host); uninstall passes through it too.

use std::io::BufRead;
use std::time::Duration;

use super::{Begun, Check, Z_ERR, Zoneadm, begin, resources, sub_usage, zone_config};
use crate::sim::zones;
use crate::sys::zoneadm::ZoneState;
use crate::sys::zonecfg::ZoneConfig;
use crate::sys::zoneindex::IndexState;

/// Set a zone's index state (and its uuid: new when installed, cleared when configured).
fn set_index_state(za: &mut Zoneadm, zone: &str, state: IndexState) -> Result<(), i32> {
    let host = za.host().clone();
    let result = (|| -> std::io::Result<()> {
        let _lock = host.lock_exclusive()?;
        let mut index = zones::load_index(&host)?;
        if let Some(entry) = index.get_mut(zone) {
            entry.state = state;
            if state == IndexState::Configured {
                entry.uuid.clear();
            } else if entry.uuid.is_empty() {
                entry.uuid = uuid::Uuid::new_v4().to_string();
            }
        }
        zones::save_index(&host, &index)
    })();
    result.map_err(|e| za.io_error(e))
}

pub(super) fn verify(za: &mut Zoneadm, args: &[String]) -> i32 {
    if !args.is_empty() {
        return sub_usage(za, "verify");
    }
    let check = Check {
        cmd: "verify",
        running: false,
        unsafe_when_running: true,
    };
    match begin(za, check) {
        Ok(Begun { cfg, .. }) => verify_config(za, &cfg),
        Err(code) => code,
    }
}

/// What verify_details() checks of the configuration itself.
fn verify_config(za: &mut Zoneadm, cfg: &ZoneConfig) -> i32 {
    if cfg.zonepath.is_empty() {
        return za.zerror("verify: zonepath not specified");
    }
    if !cfg.zonepath.starts_with('/') {
        let _ = writeln!(za.ctx.err, "{} is not an absolute path.", cfg.zonepath);
        return Z_ERR;
    }
    let warnings = match resources::verify(za.host(), cfg) {
        Ok(w) => w,
        Err(msg) => return za.zerror(&msg),
    };
    for w in warnings {
        let _ = writeln!(za.ctx.err, "{w}");
    }
    0
}

/// The brand's installer: its options, the lines it prints and how long it takes.
struct Installer {
    lines: Vec<String>,
    duration: Duration,
}

fn installer(za: &mut Zoneadm, cfg: &ZoneConfig, args: &[String]) -> Result<Installer, i32> {
    let zonepath = &cfg.zonepath;
    let mut image = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            // ipkg/lipkg/sparse: publisher, certificate/key, extra packages
            "-p" | "-c" | "-k" | "-e" | "-P" if cfg.brand != "lx" && cfg.brand != "bhyve" => {
                if it.next().is_none() {
                    return Err(sub_usage(za, "install"));
                }
            }
            "-s" | "-t" | "-i" if cfg.brand == "lx" => image = it.next().cloned(),
            "-x" if cfg.brand == "bhyve" => {
                it.next();
            }
            _ => {
                let _ = writeln!(za.ctx.err, "ERROR: an illegal option was specified: {arg}");
                return Err(Z_ERR);
            }
        }
    }
    let pkg_install = |packages: u32, files: u32, seconds: f64| {
        vec![
            format!("       Image: Preparing at {zonepath}/root."),
            String::new(),
            "   Publisher: Using omnios (https://pkg.omnios.org/r151054/core/).".into(),
            "   Publisher: Using extra.omnios (https://pkg.omnios.org/r151054/extra/).".into(),
            "       Cache: Using /var/pkg/publisher.".into(),
            "  Installing: Packages (output follows)".into(),
            format!("Packages to install: {packages:>4}"),
            "Mediators to change:    5".into(),
            " Services to change:    6".into(),
            String::new(),
            "DOWNLOAD                                PKGS         FILES    XFER (MB)   SPEED"
                .into(),
            format!(
                "Completed                            {packages}/{packages}   {files}/{files}  188.4/188.4      0B/s"
            ),
            String::new(),
            "PHASE                                          ITEMS".into(),
            format!(
                "Installing new actions                   {0}/{0}",
                files + files / 2
            ),
            "Updating package state database                 Done".into(),
            "Updating package cache                           0/0".into(),
            "Updating image state                            Done".into(),
            "Creating fast lookup database                   Done".into(),
            String::new(),
            "        Note: Man pages can be obtained by installing pkg:/system/manual".into(),
            " Postinstall: Copying SMF seed repository ... done.".into(),
            format!("        Done: Installation completed in {seconds:.3} seconds."),
        ]
    };
    let (lines, seconds) = match cfg.brand.as_str() {
        "bhyve" => (Vec::new(), 1.0),
        "ipkg" | "lipkg" => (pkg_install(214, 36915, 41.277), 41.0),
        "sparse" => (pkg_install(12, 1840, 6.118), 6.0),
        "pkgsrc" => {
            let mut lines = pkg_install(12, 1840, 7.904);
            lines.push(
                "        pkgsrc: Bootstrapping pkgsrc 2025Q3 into /opt/local ... done.".into(),
            );
            (lines, 14.0)
        }
        "lx" => {
            let Some(image) = image else {
                let _ = writeln!(
                    za.ctx.err,
                    "ERROR: the -s option (source image) is required"
                );
                return Err(Z_ERR);
            };
            let lines = vec![
                format!("Installing zone from image {image} ..."),
                "Extracting image ... done.".into(),
                "Installation complete.".into(),
            ];
            (lines, 12.0)
        }
        other => {
            let _ = writeln!(
                za.ctx.err,
                "zoneadm: zone '{}': missing or invalid brand '{other}'",
                cfg.name
            );
            return Err(Z_ERR);
        }
    };
    Ok(Installer {
        lines,
        duration: Duration::from_secs_f64(seconds),
    })
}

pub(super) fn install(za: &mut Zoneadm, args: &[String]) -> i32 {
    if args.iter().any(|a| a == "-?") {
        return sub_usage(za, "install");
    }
    let check = Check {
        cmd: "install",
        running: false,
        unsafe_when_running: true,
    };
    let Begun { _lock, cfg, .. } = match begin(za, check) {
        Ok(b) => b,
        Err(code) => return code,
    };
    let zone = za.target().to_string();
    let code = verify_config(za, &cfg);
    if code != 0 {
        return code;
    }
    let plan = match installer(za, &cfg, args) {
        Ok(p) => p,
        Err(code) => return code,
    };
    if za.injected() {
        let _ = writeln!(
            za.ctx.err,
            "ERROR: failed to create zone root dataset: out of space"
        );
        return Z_ERR;
    }
    if let Err(code) = set_index_state(za, &zone, IndexState::Incomplete) {
        return code;
    }
    let created = {
        let host = za.host().clone();
        let result = host
            .lock_exclusive()
            .map(|_l| resources::create_zonepath(&host, &cfg));
        match result {
            Ok(Ok(msgs)) => msgs,
            Ok(Err(msg)) => return za.zerror(&msg),
            Err(e) => return za.io_error(e),
        }
    };
    for line in created {
        za.out(&line);
    }
    let step = plan.duration.div_f64(plan.lines.len().max(1) as f64);
    for line in &plan.lines {
        za.host().sleep(step);
        za.out(line);
    }
    if plan.lines.is_empty() {
        za.host().sleep(plan.duration);
    }
    match set_index_state(za, &zone, IndexState::Installed) {
        Ok(()) => 0,
        Err(code) => code,
    }
}

pub(super) fn uninstall(za: &mut Zoneadm, args: &[String]) -> i32 {
    let mut force = false;
    for arg in args {
        match arg.as_str() {
            "-F" => force = true,
            "-n" => {}
            _ => return sub_usage(za, "uninstall"),
        }
    }
    let check = Check {
        cmd: "uninstall",
        running: false,
        unsafe_when_running: true,
    };
    let Begun { _lock, cfg, .. } = match begin(za, check) {
        Ok(b) => b,
        Err(code) => return code,
    };
    let zone = za.target().to_string();
    if !force {
        let _ = write!(
            za.ctx.out,
            "Are you sure you want to uninstall zone {zone} (y/[n])? "
        );
        let _ = za.ctx.out.flush();
        let mut answer = String::new();
        let _ = std::io::stdin().lock().read_line(&mut answer);
        if !answer.trim_start().starts_with(['y', 'Y']) {
            return 0;
        }
    }
    if za.injected() {
        let _ = writeln!(
            za.ctx.err,
            "ERROR: Unable to unmount {}/root.",
            cfg.zonepath
        );
        return Z_ERR;
    }
    if let Err(code) = set_index_state(za, &zone, IndexState::Incomplete) {
        return code;
    }
    za.host().sleep(Duration::from_millis(1500));
    let host = za.host().clone();
    match host
        .lock_exclusive()
        .map(|_l| resources::destroy_zonepath(&host, &cfg))
    {
        Ok(Ok(())) => {}
        Ok(Err(msg)) => return za.zerror(&msg),
        Err(e) => return za.io_error(e),
    }
    let forget_boots = host.lock_exclusive().and_then(|_l| {
        let mut runtime = zones::load_runtime(&host)?;
        runtime.boots.remove(&zone);
        zones::save_runtime(&host, &runtime)
    });
    if let Err(e) = forget_boots {
        return za.io_error(e);
    }
    match set_index_state(za, &zone, IndexState::Configured) {
        Ok(()) => 0,
        Err(code) => code,
    }
}

pub(super) fn clone(za: &mut Zoneadm, args: &[String]) -> i32 {
    let (mut copy, mut snapshot, mut source) = (false, None, None);
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "-m" => match it.next().map(String::as_str) {
                Some("copy") => copy = true,
                _ => return sub_usage(za, "clone"),
            },
            "-s" => match it.next() {
                Some(s) => snapshot = Some(s.clone()),
                None => return sub_usage(za, "clone"),
            },
            a if a.starts_with('-') => return sub_usage(za, "clone"),
            a if source.is_none() => source = Some(a.to_string()),
            _ => return sub_usage(za, "clone"),
        }
    }
    let Some(source) = source else {
        return sub_usage(za, "clone");
    };
    let check = Check {
        cmd: "clone",
        running: false,
        unsafe_when_running: true,
    };
    let Begun { _lock, cfg, .. } = match begin(za, check) {
        Ok(b) => b,
        Err(code) => return code,
    };
    let zone = za.target().to_string();
    let source_state = za
        .host()
        .lock_shared()
        .and_then(|_l| zones::current_state(za.host(), &source));
    match source_state {
        Ok(Some(ZoneState::Installed)) => {}
        Ok(Some(state)) => {
            let _ = writeln!(
                za.ctx.err,
                "zoneadm: zone {source} is {state}; installed is required."
            );
            return Z_ERR;
        }
        Ok(None) => {
            let _ = writeln!(za.ctx.err, "zoneadm: {source}: No such zone configured");
            return Z_ERR;
        }
        Err(e) => return za.io_error(e),
    }
    let src_cfg = match zone_config(za, &source) {
        Ok(c) => c,
        Err(code) => return code,
    };
    if src_cfg.brand != cfg.brand {
        let _ = writeln!(
            za.ctx.err,
            "zoneadm: zone '{zone}': source zone {source} is a {} zone; cannot clone to a {} zone.",
            src_cfg.brand, cfg.brand
        );
        return Z_ERR;
    }
    let code = verify_config(za, &cfg);
    if code != 0 {
        return code;
    }
    if za.injected() {
        let _ = writeln!(
            za.ctx.err,
            "zoneadm: zone '{zone}': cannot clone: out of space"
        );
        return Z_ERR;
    }
    if let Err(code) = set_index_state(za, &zone, IndexState::Incomplete) {
        return code;
    }
    let host = za.host().clone();
    let msgs = match host
        .lock_exclusive()
        .map(|_l| resources::clone_zonepath(&host, &src_cfg, &cfg, snapshot.as_deref(), copy))
    {
        Ok(Ok(msgs)) => msgs,
        Ok(Err(msg)) => return za.zerror(&msg),
        Err(e) => return za.io_error(e),
    };
    for line in msgs {
        za.out(&line);
    }
    za.host().sleep(if copy {
        Duration::from_secs(20)
    } else {
        Duration::from_secs(2)
    });
    match set_index_state(za, &zone, IndexState::Installed) {
        Ok(()) => 0,
        Err(code) => code,
    }
}

pub(super) fn mark(za: &mut Zoneadm, args: &[String]) -> i32 {
    if args.len() != 1 || args[0] != "incomplete" {
        return sub_usage(za, "mark");
    }
    let check = Check {
        cmd: "mark",
        running: false,
        unsafe_when_running: true,
    };
    let Begun { _lock, .. } = match begin(za, check) {
        Ok(b) => b,
        Err(code) => return code,
    };
    let zone = za.target().to_string();
    match set_index_state(za, &zone, IndexState::Incomplete) {
        Ok(()) => 0,
        Err(code) => code,
    }
}

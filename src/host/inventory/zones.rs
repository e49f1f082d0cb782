//! Zones: `zoneadm list -cp` for states, `/etc/zones/<zone>.xml` for configurations, read in
//! one pass; `zonecfg -z Z export` only for a zone whose file cannot be read.

use std::collections::HashMap;
use std::path::PathBuf;

use serde::Serialize;

use super::{Problem, off_thread};
use crate::host::Runner;
use crate::sys::zoneadm::{self, ZoneState};
use crate::sys::zonecfg::{self, IpType, ZoneConfig};
use crate::sys::zonexml;

/// How many `zonecfg export` fallbacks run at once.
const FALLBACK_CONCURRENCY: usize = 8;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Zone {
    pub name: String,
    pub id: Option<u64>,
    pub state: ZoneState,
    pub brand: String,
    pub ip_type: IpType,
    pub zonepath: String,
    pub uuid: String,
    pub debugid: Option<i64>,
    /// None when neither the XML nor `zonecfg export` could be read (see the problems).
    pub config: Option<ZoneConfig>,
}

pub(super) async fn load(runner: &Runner) -> (Vec<Zone>, Vec<Problem>) {
    let mut problems = Vec::new();
    let zones_dir = runner.config().host_path("/etc/zones");
    let list_cmd = zoneadm::list();
    let (listing, mut configs) = tokio::join!(
        runner.run(&list_cmd),
        off_thread(move || read_all_xml(zones_dir))
    );
    let listing = match listing {
        Ok(out) => out.stdout_text(),
        Err(e) => {
            problems.push(Problem::fatal("zones", e.to_string()));
            return (Vec::new(), problems);
        }
    };
    let entries = match off_thread(move || zoneadm::parse_list(&listing)).await {
        Ok(entries) => entries,
        Err(e) => {
            problems.push(Problem::fatal("zones", e.to_string()));
            return (Vec::new(), problems);
        }
    };

    let mut zones = Vec::with_capacity(entries.len());
    let mut fallbacks = Vec::new();
    for entry in entries.into_iter().filter(|e| e.name != "global") {
        let config = match configs.remove(&entry.name) {
            Some(Ok(cfg)) if cfg.name == entry.name => Some(cfg),
            Some(Ok(cfg)) => {
                let message = format!(
                    "{} names zone '{}' instead",
                    zonexml::path_for(&entry.name),
                    cfg.name
                );
                problems.push(Problem::detail(format!("zone {}", entry.name), message));
                fallbacks.push(zones.len());
                None
            }
            Some(Err(message)) => {
                problems.push(Problem::detail(format!("zone {}", entry.name), message));
                fallbacks.push(zones.len());
                None
            }
            None => {
                fallbacks.push(zones.len());
                None
            }
        };
        zones.push(Zone {
            name: entry.name,
            id: entry.id,
            state: entry.state,
            brand: entry.brand,
            ip_type: entry.ip_type,
            zonepath: entry.zonepath,
            uuid: entry.uuid,
            debugid: entry.debugid,
            config,
        });
    }

    let limit = std::sync::Arc::new(tokio::sync::Semaphore::new(FALLBACK_CONCURRENCY));
    let mut exports = tokio::task::JoinSet::new();
    for i in fallbacks {
        let (runner, zone, limit) = (runner.clone(), zones[i].name.clone(), limit.clone());
        exports.spawn(async move {
            let _permit = limit.acquire_owned().await;
            (i, export_config(&runner, zone).await)
        });
    }
    while let Some(joined) = exports.join_next().await {
        match joined.expect("zonecfg export task panicked") {
            (i, Ok(cfg)) => zones[i].config = Some(cfg),
            (_, Err(problem)) => problems.push(problem),
        }
    }
    zones.sort_by(|a, b| a.name.cmp(&b.name));
    (zones, problems)
}

async fn export_config(runner: &Runner, zone: String) -> Result<ZoneConfig, Problem> {
    let cmd = zonecfg::export(&zone);
    let source = format!("zone {zone}");
    let out = runner
        .run(&cmd)
        .await
        .map_err(|e| Problem::detail(source.clone(), e.to_string()))?;
    let text = out.stdout_text();
    off_thread(move || zonecfg::script::parse_export(&text))
        .await
        .map(|mut cfg| {
            cfg.name = zone;
            cfg
        })
        .map_err(|e| Problem::detail(source, e.to_string()))
}

/// Read and parse every `<name>.xml` in the zones directory, in parallel. Files that are not
/// zone configurations (templates) are parsed too and simply never matched.
fn read_all_xml(dir: PathBuf) -> HashMap<String, Result<ZoneConfig, String>> {
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return HashMap::new();
    };
    let files: Vec<(String, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let zone = name.strip_suffix(".xml")?.to_string();
            (!zone.starts_with("SUNW")).then(|| (zone, e.path()))
        })
        .collect();
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(8);
    let chunk = files.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = files
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|(zone, path)| {
                            let source = zonexml::path_for(zone);
                            let parsed = std::fs::read_to_string(path)
                                .map_err(|e| e.to_string())
                                .and_then(|text| {
                                    zonexml::parse(&text, &source).map_err(|e| e.to_string())
                                });
                            (zone.clone(), parsed)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    })
}

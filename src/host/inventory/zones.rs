//! Zones: `zoneadm list -cp` for states, `/etc/zones/<zone>.xml` for configurations, read in
//! one pass; `zonecfg -z Z export` only for a zone whose file cannot be read.

use std::collections::HashMap;

use serde::Serialize;

use super::Problem;
use super::fetch::{Fetch, Fetched};
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

pub(super) fn fetches() -> Vec<Fetch> {
    vec![Fetch::Run(zoneadm::list()), Fetch::ZoneXml]
}

/// Zones whose configuration must come from `zonecfg export` instead.
pub(super) struct Parsed {
    pub zones: Vec<Zone>,
    pub problems: Vec<Problem>,
    pub fallback: Vec<usize>,
}

pub(super) fn parse(fetched: Vec<Fetched>) -> Parsed {
    let mut it = fetched.into_iter();
    let (Some(listing), Some(Fetched::ZoneXml(files))) = (it.next(), it.next()) else {
        unreachable!("zones fetch order")
    };
    let mut problems = Vec::new();
    // zoneadm skips a zone it cannot read, says why on stderr, and still succeeds.
    if let Fetched::Run(Ok(out)) = &listing
        && out.success()
    {
        let complaints = out.stderr.lines().filter(|l| !l.trim().is_empty());
        problems.extend(complaints.map(|l| Problem::detail("zones", l.to_string())));
    }
    let entries = match listing
        .stdout()
        .map_err(|e| e.to_string())
        .and_then(|text| zoneadm::parse_list(&text).map_err(|e| e.to_string()))
    {
        Ok(entries) => entries,
        Err(message) => {
            return Parsed {
                zones: Vec::new(),
                problems: vec![Problem::fatal("zones", message)],
                fallback: Vec::new(),
            };
        }
    };
    // A file's error already names the file.
    let mut configs: HashMap<String, Result<ZoneConfig, String>> = files
        .into_iter()
        .map(|(zone, text)| {
            let source = zonexml::path_for(&zone);
            let parsed = match text {
                Ok(text) => zonexml::parse(&text, &source).map_err(|e| e.to_string()),
                Err(message) => Err(format!("{source}: {message}")),
            };
            (zone, parsed)
        })
        .collect();
    let mut zones = Vec::with_capacity(entries.len());
    for entry in entries.into_iter().filter(|e| e.name != "global") {
        let config = match configs.remove(&entry.name) {
            Some(Ok(cfg)) if cfg.name == entry.name => Some(cfg),
            Some(Ok(cfg)) => {
                let source = zonexml::path_for(&entry.name);
                let message = format!("{source} names zone '{}' instead", cfg.name);
                problems.push(Problem::detail(format!("zone {}", entry.name), message));
                None
            }
            Some(Err(message)) => {
                problems.push(Problem::detail(format!("zone {}", entry.name), message));
                None
            }
            None => None,
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
    zones.sort_by(|a, b| a.name.cmp(&b.name));
    let fallback = zones
        .iter()
        .enumerate()
        .filter(|(_, z)| z.config.is_none())
        .map(|(i, _)| i)
        .collect();
    Parsed {
        zones,
        problems,
        fallback,
    }
}

/// Fill in the configurations the XML could not give, with `zonecfg -z Z export`.
pub(super) async fn export_fallbacks(runner: &Runner, parsed: &mut Parsed) {
    let limit = std::sync::Arc::new(tokio::sync::Semaphore::new(FALLBACK_CONCURRENCY));
    let mut exports = tokio::task::JoinSet::new();
    for &i in &parsed.fallback {
        let (runner, zone, limit) = (runner.clone(), parsed.zones[i].name.clone(), limit.clone());
        exports.spawn(async move {
            let _permit = limit.acquire_owned().await;
            (i, export_config(&runner, zone).await)
        });
    }
    while let Some(joined) = exports.join_next().await {
        match joined.expect("zonecfg export task panicked") {
            (i, Ok(cfg)) => parsed.zones[i].config = Some(cfg),
            (_, Err(problem)) => parsed.problems.push(problem),
        }
    }
}

async fn export_config(runner: &Runner, zone: String) -> Result<ZoneConfig, Problem> {
    let source = format!("zone {zone}");
    let out = runner
        .run(&zonecfg::export(&zone))
        .await
        .map_err(|e| Problem::detail(source.clone(), e.to_string()))?;
    let text = out.stdout_text();
    tokio::task::spawn_blocking(move || zonecfg::script::parse_export(&text))
        .await
        .expect("parser thread panicked")
        .map(|mut cfg| {
            cfg.name = zone;
            cfg
        })
        .map_err(|e| Problem::detail(source, e.to_string()))
}

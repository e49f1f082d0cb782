//! `zcon bench refresh`: the full inventory refresh on a scale sim host, measured against the
//! floor (the same commands and files, nothing parsed) and against reading every zone's
//! configuration with one `zonecfg -z Z export` each, as naive tools do.

use std::time::{Duration, Instant};

use clap::Args;

use super::{median, summary};
use crate::host::inventory::{Inventory, Sources};
use crate::host::{HostConfig, Runner};
use crate::sys::{zoneadm, zonecfg};

#[derive(Debug, Args)]
pub struct RefreshBench {
    #[command(flatten)]
    pub host: super::ScaleHost,
    /// Measured runs of the refresh and of the floor.
    #[arg(long, default_value_t = 15)]
    pub runs: usize,
}

pub fn refresh(args: &RefreshBench) -> anyhow::Result<()> {
    let temp = tempfile::tempdir()?;
    let dir = args.host.open_or_create(temp.path())?;
    let runner = Runner::new(HostConfig::sim(&dir))?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;

    let inv = rt.block_on(Inventory::refresh(&runner, Sources::ALL));
    anyhow::ensure!(
        inv.problems.is_empty(),
        "the refresh reported problems: {:?}",
        inv.problems
    );
    println!(
        "zcon bench refresh: scale sim host, {} zones, {} datasets ({})",
        inv.zones.len(),
        inv.datasets.len(),
        dir.display()
    );
    rt.block_on(Inventory::fetch_only(&runner, Sources::ALL));

    let mut full = Vec::new();
    let mut floor = Vec::new();
    for _ in 0..args.runs.max(1) {
        full.push(
            rt.block_on(Inventory::refresh(&runner, Sources::ALL))
                .duration,
        );
        floor.push(rt.block_on(Inventory::fetch_only(&runner, Sources::ALL)));
    }
    let naive = rt.block_on(per_zone_zonecfg(&runner))?;

    // Each refresh is paired with the floor run right after it, so a burst of load on the
    // machine weighs on both sides of a ratio.
    let mut ratios: Vec<f64> = full
        .iter()
        .zip(&floor)
        .map(|(f, b)| f.as_secs_f64() / b.as_secs_f64())
        .collect();
    ratios.sort_by(f64::total_cmp);
    let over_floor = ratios[ratios.len() / 2];
    let (full_m, floor_m) = (median(&mut full), median(&mut floor));
    println!("  full inventory refresh       {}", summary(&full, full_m));
    println!(
        "  floor (raw commands only)    {}",
        summary(&floor, floor_m)
    );
    println!(
        "  one zonecfg per zone         {:>8.2} s  (1 run)",
        naive.as_secs_f64()
    );
    let speedup = naive.as_secs_f64() / full_m.as_secs_f64();
    println!(
        "  refresh / floor              {over_floor:>8.2}×  (median of paired runs; goal ≤ 1.25×)"
    );
    println!("  per-zone zonecfg / refresh   {speedup:>8.1}×  (goal ≥ 20×)");
    Ok(())
}

/// The same snapshot, with each zone's configuration read by its own `zonecfg -z Z export`,
/// one after another, while the other sources are read as usual.
async fn per_zone_zonecfg(runner: &Runner) -> anyhow::Result<Duration> {
    let started = Instant::now();
    let others = Sources {
        zones: false,
        ..Sources::ALL
    };
    let zones = async {
        let listing = runner.run(&zoneadm::list()).await?.stdout_text();
        let mut configs = Vec::new();
        for entry in zoneadm::parse_list(&listing)?
            .into_iter()
            .filter(|e| e.name != "global")
        {
            let text = runner
                .run(&zonecfg::export(&entry.name))
                .await?
                .stdout_text();
            configs.push(zonecfg::script::parse_export(&text)?);
        }
        anyhow::Ok(configs)
    };
    let (configs, _) = tokio::join!(zones, Inventory::refresh(runner, others));
    anyhow::ensure!(!configs?.is_empty(), "no zones exported");
    Ok(started.elapsed())
}

//! `zcon bench …`: measurements on sim hosts, reported as figures (never asserted).

pub mod refresh;
pub mod tui;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Context;

pub use refresh::{RefreshBench, refresh};
pub use tui::{TuiBench, tui};

use crate::sim;

/// The scale host at `dir`, or a new one under `temp`; created when absent.
fn scale_host(
    dir: Option<&Path>,
    temp: &Path,
    zones: usize,
    datasets: usize,
) -> anyhow::Result<PathBuf> {
    let dir = dir.map_or_else(|| temp.join("scale-host"), Path::to_path_buf);
    if !dir.join("state/host.json").is_file() {
        let started = Instant::now();
        let contents = sim::seed::Contents::Scale { zones, datasets };
        let opts = sim::init::InitOptions {
            contents,
            ..Default::default()
        };
        sim::init::init(&dir, &opts)
            .with_context(|| format!("creating the scale host at {}", dir.display()))?;
        eprintln!(
            "created the scale host in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
    Ok(dir)
}

fn median(samples: &mut [Duration]) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn summary(samples: &[Duration], median: Duration) -> String {
    let ms = |d: &Duration| d.as_secs_f64() * 1e3;
    format!(
        "{:>8.2} ms median  (min {:.2}, max {:.2}; {} runs)",
        ms(&median),
        ms(samples.iter().min().unwrap_or(&median)),
        ms(samples.iter().max().unwrap_or(&median)),
        samples.len()
    )
}

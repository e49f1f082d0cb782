//! `zcon bench …`: measurements on sim hosts, reported as figures (never asserted).

pub mod console;
pub mod refresh;
pub mod tui;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Context;

pub use console::{ConsoleBench, console};
pub use refresh::{RefreshBench, refresh};
pub use tui::{TuiBench, tui};

use crate::sim;

/// The scale host a benchmark runs on.
#[derive(Debug, clap::Args)]
pub struct ScaleHost {
    /// The scale host to use (created there if absent). Default: a fresh temporary one.
    #[arg(long)]
    pub dir: Option<PathBuf>,
    #[arg(long, default_value_t = 2000)]
    pub zones: usize,
    #[arg(long, default_value_t = 100_000)]
    pub datasets: usize,
}

impl ScaleHost {
    /// The host at `--dir`, or a new one under `temp`; created when absent.
    fn open_or_create(&self, temp: &Path) -> anyhow::Result<PathBuf> {
        let dir = self.dir.clone().unwrap_or_else(|| temp.join("scale-host"));
        if !dir.join("state/host.json").is_file() {
            let started = Instant::now();
            let contents = sim::seed::Contents::Scale {
                zones: self.zones,
                datasets: self.datasets,
            };
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

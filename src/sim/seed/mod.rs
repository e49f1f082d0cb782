//! Populating a new sim host: the realistic demo host, or a scale host for benchmarks.

mod demo;
mod hardware;
mod scale;

use std::io;

use super::SimHost;

/// Sizes for a scale host; None of both means the demo host.
#[derive(Debug, Clone, Copy, Default)]
pub struct Sizes {
    pub zones: Option<usize>,
    pub datasets: Option<usize>,
}

impl Sizes {
    pub fn is_scale(&self) -> bool {
        self.zones.is_some() || self.datasets.is_some()
    }
}

pub fn populate(host: &SimHost, sizes: Sizes, seed: u64) -> io::Result<()> {
    // Seeding runs the sim's own commands in this process: no pacing, no injected faults.
    let host = host.clone().with_speed(0.0).with_fail(None);
    if sizes.is_scale() {
        scale::populate(
            &host,
            sizes.zones.unwrap_or(0),
            sizes.datasets.unwrap_or(0),
            seed,
        )
    } else {
        demo::populate(&host)
    }
}

/// Run a sim command in-process; a failure is a bug in the seed (or the sim) and says so.
fn run(host: &SimHost, program: &str, args: &[&str]) -> io::Result<String> {
    let out = super::run(host, program, args);
    if out.code != 0 {
        return Err(io::Error::other(format!(
            "seeding: `{}` failed ({}): {}",
            crate::sys::command::display_argv(
                &std::iter::once(program)
                    .chain(args.iter().copied())
                    .collect::<Vec<_>>()
            ),
            out.code,
            out.stderr.trim_end()
        )));
    }
    Ok(out.stdout)
}

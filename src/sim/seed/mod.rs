//! Populating a new sim host: the realistic demo host, or a scale host for benchmarks.

mod demo;
mod hardware;
mod scale;

use std::io;

use super::SimHost;

/// What a new sim host holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Contents {
    /// Only the global zone: no pools, links or services (tests build what they need).
    #[default]
    Empty,
    /// The realistic demo host.
    Demo,
    /// A host of this many zones and datasets, for benchmarks.
    Scale { zones: usize, datasets: usize },
}

pub fn populate(host: &SimHost, contents: Contents, seed: u64) -> io::Result<()> {
    // Seeding runs the sim's own commands in this process: no pacing, no injected faults.
    let host = host.clone().with_speed(0.0).with_fail(None);
    match contents {
        Contents::Empty => Ok(()),
        Contents::Demo => demo::populate(&host),
        Contents::Scale { zones, datasets } => scale::populate(&host, zones, datasets, seed),
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

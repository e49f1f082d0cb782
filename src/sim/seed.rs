//! Populating a new sim host: the realistic demo host, or a scale host for benchmarks.

use std::io;

use super::SimHost;

/// Sizes for a scale host; None of both means the demo host.
#[derive(Debug, Clone, Copy, Default)]
pub struct Sizes {
    pub zones: Option<usize>,
    pub datasets: Option<usize>,
}

pub fn populate(_host: &SimHost, _sizes: Sizes, _seed: u64) -> io::Result<()> {
    Ok(())
}

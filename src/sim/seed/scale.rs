//! A scale host for benchmarks: thousands of zones, a hundred thousand datasets.

use std::io;

use crate::sim::SimHost;

pub(super) fn populate(
    _host: &SimHost,
    _zones: usize,
    _datasets: usize,
    _seed: u64,
) -> io::Result<()> {
    Err(io::Error::other("scale hosts are not available yet"))
}

//! Datasets and pools.

use crate::cli::table::{self, Align};
use crate::host::Inventory;
use crate::sys::size::format_size;
use crate::sys::zfs::Dataset;

fn size(bytes: Option<u64>) -> String {
    bytes.map_or_else(|| "-".to_string(), format_size)
}

pub fn datasets_table<'a>(datasets: impl IntoIterator<Item = &'a Dataset>) -> String {
    let headers = [
        ("NAME", Align::Left),
        ("TYPE", Align::Left),
        ("USED", Align::Right),
        ("AVAIL", Align::Right),
        ("REFER", Align::Right),
        ("VOLSIZE", Align::Right),
        ("MOUNTPOINT", Align::Left),
        ("ORIGIN", Align::Left),
    ];
    let rows: Vec<Vec<String>> = datasets
        .into_iter()
        .map(|d| {
            vec![
                d.name.clone(),
                d.kind.as_str().to_string(),
                size(d.used),
                size(d.avail),
                size(d.refer),
                size(d.volsize),
                table::or_dash(d.mountpoint.as_ref()),
                table::or_dash(d.origin.as_ref()),
            ]
        })
        .collect();
    table::render(&headers, &rows)
}

pub fn pools_table(inv: &Inventory) -> String {
    let headers = [
        ("NAME", Align::Left),
        ("SIZE", Align::Right),
        ("ALLOC", Align::Right),
        ("FREE", Align::Right),
        ("CAP", Align::Right),
        ("HEALTH", Align::Left),
    ];
    let rows: Vec<Vec<String>> = inv
        .pools
        .iter()
        .map(|p| {
            vec![
                p.name.clone(),
                format_size(p.size),
                format_size(p.alloc),
                format_size(p.free),
                format!("{}%", p.cap),
                p.health.clone(),
            ]
        })
        .collect();
    table::render(&headers, &rows)
}

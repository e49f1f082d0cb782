//! Datasets and pools.

use super::{Column, Table, or_dash};
use crate::host::Inventory;
use crate::sys::size::format_size;
use crate::sys::zfs::Dataset;

/// A size cell: zfs's human form, `-` when the property does not apply.
pub fn size(bytes: Option<u64>) -> String {
    bytes.map_or_else(|| "-".to_string(), format_size)
}

pub fn datasets_table<'a>(datasets: impl IntoIterator<Item = &'a Dataset>) -> Table {
    let columns = vec![
        Column::text("NAME"),
        Column::text("TYPE"),
        Column::size("USED"),
        Column::size("AVAIL"),
        Column::size("REFER"),
        Column::size("VOLSIZE"),
        Column::text("MOUNTPOINT"),
        Column::text("ORIGIN"),
    ];
    let rows = datasets
        .into_iter()
        .map(|d| {
            vec![
                d.name.clone(),
                d.kind.as_str().to_string(),
                size(d.used),
                size(d.avail),
                size(d.refer),
                size(d.volsize),
                or_dash(d.mountpoint.as_ref()),
                or_dash(d.origin.as_ref()),
            ]
        })
        .collect();
    Table::new(columns, rows)
}

pub fn pools_table(inv: &Inventory) -> Table {
    let columns = vec![
        Column::text("NAME"),
        Column::size("SIZE"),
        Column::size("ALLOC"),
        Column::size("FREE"),
        Column::number("CAP"),
        Column::text("HEALTH"),
    ];
    let rows = inv
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
    Table::new(columns, rows)
}

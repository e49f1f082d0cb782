//! What zcon shows of each kind of object, shared by the CLI (`zcon list`, `zcon show`) and the
//! terminal UI: stable JSON shapes, tables (columns and cell text) and detail pages.

pub mod detail;
pub mod host;
pub mod network;
pub mod storage;
pub mod tasks;
pub mod zones;

use std::cmp::Ordering;

use crate::sys::size::parse_size;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// How a column's cells compare when the list is sorted by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortAs {
    Text,
    /// Integers; `-` sorts first.
    Number,
    /// Human sizes (`512M`, `2G`); `-` sorts first.
    Size,
}

impl SortAs {
    pub fn compare(self, a: &str, b: &str) -> Ordering {
        match self {
            SortAs::Text => a.cmp(b),
            SortAs::Number => {
                // The leading number: "42", "42%", "42% ████░" (a gauge after it).
                let n = |s: &str| {
                    let word = s.split_whitespace().next().unwrap_or("");
                    word.trim_end_matches('%').parse::<f64>().ok()
                };
                n(a).partial_cmp(&n(b))
                    .unwrap_or(Ordering::Equal)
                    .then(a.cmp(b))
            }
            SortAs::Size => parse_size(a).ok().cmp(&parse_size(b).ok()).then(a.cmp(b)),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub title: &'static str,
    pub align: Align,
    pub sort: SortAs,
    /// Shown only when the terminal is wide (the narrow layout drops it).
    pub wide_only: bool,
}

impl Column {
    pub const fn text(title: &'static str) -> Column {
        Column {
            title,
            align: Align::Left,
            sort: SortAs::Text,
            wide_only: false,
        }
    }

    pub const fn number(title: &'static str) -> Column {
        Column {
            title,
            align: Align::Right,
            sort: SortAs::Number,
            wide_only: false,
        }
    }

    pub const fn size(title: &'static str) -> Column {
        Column {
            title,
            align: Align::Right,
            sort: SortAs::Size,
            wide_only: false,
        }
    }

    pub const fn wide(self) -> Column {
        Column {
            wide_only: true,
            ..self
        }
    }
}

/// Rows of cell text under columns; every row has one cell per column.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(columns: Vec<Column>, rows: Vec<Vec<String>>) -> Table {
        debug_assert!(rows.iter().all(|r| r.len() == columns.len()));
        Table { columns, rows }
    }
}

/// A cell for an optional value: `-` when absent.
pub fn or_dash(value: Option<impl ToString>) -> String {
    value.map_or_else(|| "-".to_string(), |v| v.to_string())
}

/// A list cell: the items joined by commas, `-` when there are none.
pub fn joined_or_dash<S: AsRef<str>>(items: &[S]) -> String {
    if items.is_empty() {
        return "-".into();
    }
    let parts: Vec<&str> = items.iter().map(AsRef::as_ref).collect();
    parts.join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_sizes_and_numbers_by_value() {
        assert_eq!(SortAs::Size.compare("512M", "2G"), Ordering::Less);
        assert_eq!(SortAs::Size.compare("-", "1K"), Ordering::Less);
        assert_eq!(SortAs::Number.compare("9", "10"), Ordering::Less);
        assert_eq!(SortAs::Text.compare("9", "10"), Ordering::Greater);
    }
}

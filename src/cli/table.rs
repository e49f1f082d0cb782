//! Aligned plain-text tables for the human output of `zcon list …`.

use crate::views::{Align, Table};

/// Columns separated by two spaces; the last column is not padded.
pub fn render(table: &Table) -> String {
    let mut widths: Vec<usize> = table
        .columns
        .iter()
        .map(|c| c.title.chars().count())
        .collect();
    for row in &table.rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let header_cells: Vec<String> = table.columns.iter().map(|c| c.title.to_string()).collect();
    for row in std::iter::once(&header_cells).chain(&table.rows) {
        let mut line = String::new();
        for (i, ((cell, column), width)) in row.iter().zip(&table.columns).zip(&widths).enumerate()
        {
            let last = i + 1 == table.columns.len();
            let pad = width - cell.chars().count();
            if i > 0 {
                line.push_str("  ");
            }
            match column.align {
                Align::Right => {
                    line.push_str(&" ".repeat(pad));
                    line.push_str(cell);
                }
                Align::Left => {
                    line.push_str(cell);
                    if !last {
                        line.push_str(&" ".repeat(pad));
                    }
                }
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::{Column, or_dash};

    #[test]
    fn aligns_columns() {
        let table = Table::new(
            vec![
                Column::text("NAME"),
                Column::size("SIZE"),
                Column::text("PATH"),
            ],
            vec![
                vec!["web01".to_string(), "2G".into(), "/zones/web01".into()],
                vec!["a".to_string(), "512M".into(), "-".into()],
            ],
        );
        assert_eq!(
            render(&table),
            "NAME   SIZE  PATH\nweb01    2G  /zones/web01\na      512M  -\n"
        );
        assert_eq!(or_dash(None::<u32>), "-");
        assert_eq!(or_dash(Some(3)), "3");
    }
}

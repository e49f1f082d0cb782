//! Aligned plain-text tables for the human output of `zcon list …`.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// Render rows under headers, columns separated by two spaces; the last column is not padded.
pub fn render(headers: &[(&str, Align)], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|(h, _)| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let header_cells: Vec<String> = headers.iter().map(|(h, _)| h.to_string()).collect();
    for row in std::iter::once(&header_cells).chain(rows) {
        let mut line = String::new();
        for (i, ((cell, (_, align)), width)) in row.iter().zip(headers).zip(&widths).enumerate() {
            let last = i + 1 == headers.len();
            let pad = width - cell.chars().count();
            if i > 0 {
                line.push_str("  ");
            }
            match align {
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

/// A cell for an optional value: `-` when absent.
pub fn or_dash(value: Option<impl ToString>) -> String {
    value.map_or_else(|| "-".to_string(), |v| v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_columns() {
        let headers = [
            ("NAME", Align::Left),
            ("SIZE", Align::Right),
            ("PATH", Align::Left),
        ];
        let rows = vec![
            vec!["web01".to_string(), "2G".into(), "/zones/web01".into()],
            vec!["a".to_string(), "512M".into(), "-".into()],
        ];
        assert_eq!(
            render(&headers, &rows),
            "NAME   SIZE  PATH\nweb01    2G  /zones/web01\na      512M  -\n"
        );
        assert_eq!(or_dash(None::<u32>), "-");
        assert_eq!(or_dash(Some(3)), "3");
    }
}

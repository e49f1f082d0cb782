//! Drawing a window of a long list as a table: only the rows on screen are built.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row, Table, TableState};

use crate::ui::config::{Slot, Theme};
use crate::ui::list::{Cursor, Sort};
use crate::views::{Align, Column};

/// Widest a column gets before its cells are cut (the last column takes what is left).
const MAX_WIDTH: usize = 48;

/// The columns to show at this width: the narrow layout drops `wide_only` ones.
pub fn shown(columns: &[Column], area_width: u16) -> Vec<usize> {
    let wide = area_width >= 120;
    (0..columns.len())
        .filter(|&i| wide || !columns[i].wide_only)
        .collect()
}

pub struct TableSpec<'a> {
    pub columns: &'a [Column],
    pub widths: &'a [usize],
    pub sort: Option<Sort>,
}

/// Draw rows `cursor.offset..` that fit; `cells(i)` gives row i's styled cells.
pub fn draw<'a>(
    frame: &mut Frame,
    area: Rect,
    spec: &TableSpec,
    cursor: &mut Cursor,
    len: usize,
    theme: &Theme,
    mut cells: impl FnMut(usize) -> Vec<Line<'a>>,
) -> Rect {
    let body_height = area.height.saturating_sub(1) as usize;
    cursor.clamp(len);
    cursor.scroll_into_view(body_height);
    let picks = shown(spec.columns, area.width);
    let header = Row::new(picks.iter().map(|&i| {
        let c = &spec.columns[i];
        let mark = match spec.sort {
            Some(s) if s.column == i && s.reverse => " ▼",
            Some(s) if s.column == i && i != 0 => " ▲",
            _ => "",
        };
        let title = format!("{}{mark}", c.title);
        Cell::from(aligned(Line::from(title), c.align))
    }))
    .style(theme.get(Slot::TableHeader));
    let end = (cursor.offset + body_height).min(len);
    let rows: Vec<Row> = (cursor.offset..end)
        .map(|i| {
            let row = cells(i);
            Row::new(
                picks
                    .iter()
                    .map(|&c| Cell::from(aligned(row[c].clone(), spec.columns[c].align))),
            )
        })
        .collect();
    let last = picks.len().saturating_sub(1);
    let wanted: Vec<usize> = picks
        .iter()
        .map(|&i| spec.widths.get(i).copied().unwrap_or(8).min(MAX_WIDTH))
        .collect();
    let widths = fit(wanted, area.width as usize);
    let constraints: Vec<Constraint> = picks
        .iter()
        .enumerate()
        .map(|(n, &i)| {
            let w = widths[n] as u16;
            let fills = n == last && spec.columns[i].align == Align::Left;
            if fills {
                Constraint::Min(w)
            } else {
                Constraint::Length(w)
            }
        })
        .collect();
    let table = Table::new(rows, constraints)
        .header(header)
        .column_spacing(2)
        .flex(Flex::Start)
        .style(theme.get(Slot::Text))
        .row_highlight_style(theme.get(Slot::Selection));
    let mut state = TableState::default();
    if len > 0 {
        state.select(Some(cursor.selected - cursor.offset));
    }
    frame.render_stateful_widget(table, area, &mut state);
    Rect {
        y: area.y + 1,
        height: area.height.saturating_sub(1),
        ..area
    }
}

/// Shrink the widest columns first until the row fits, so short columns such as a state
/// stay whole.
fn fit(mut widths: Vec<usize>, room: usize) -> Vec<usize> {
    const MIN: usize = 6;
    let spacing = 2 * widths.len().saturating_sub(1);
    let mut total: usize = widths.iter().sum::<usize>() + spacing;
    while total > room {
        let Some((i, &w)) = widths.iter().enumerate().max_by_key(|(_, w)| **w) else {
            break;
        };
        if w <= MIN {
            break;
        }
        widths[i] -= 1;
        total -= 1;
    }
    widths
}

fn aligned(line: Line<'_>, align: Align) -> Line<'_> {
    match align {
        Align::Left => line,
        Align::Right => line.right_aligned(),
    }
}

/// A cell with the filter's matched characters highlighted.
pub fn highlighted<'a>(text: &str, positions: &[u32], base: Style, hit: Style) -> Line<'a> {
    if positions.is_empty() {
        return Line::from(Span::styled(text.to_string(), base));
    }
    let spans: Vec<Span> = text
        .chars()
        .enumerate()
        .map(|(i, c)| {
            let style = if positions.binary_search(&(i as u32)).is_ok() {
                base.patch(hit)
            } else {
                base
            };
            Span::styled(c.to_string(), style)
        })
        .collect();
    Line::from(spans)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_widest_columns_give_way() {
        let fitted = super::fit(vec![9, 10, 19, 15], 50);
        assert_eq!(&fitted[..2], [9, 10], "short columns stay whole");
        assert_eq!(fitted.iter().sum::<usize>() + 6, 50);
        assert!(fitted[2].abs_diff(fitted[3]) <= 1, "{fitted:?}");
        assert_eq!(super::fit(vec![9, 10], 80), vec![9, 10]);
    }
}

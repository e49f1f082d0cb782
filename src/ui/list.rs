//! A sortable, filterable table whose selection survives a refresh of its rows.

use super::filter::Filter;
use crate::views::Table;

/// Which row is selected and which row is at the top of the visible window.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cursor {
    pub selected: usize,
    pub offset: usize,
}

impl Cursor {
    pub fn clamp(&mut self, len: usize) {
        self.selected = self.selected.min(len.saturating_sub(1));
        self.offset = self.offset.min(self.selected);
    }

    pub fn move_by(&mut self, delta: isize, len: usize) {
        let target = self.selected as isize + delta;
        self.selected = target.clamp(0, len.saturating_sub(1) as isize) as usize;
    }

    pub fn to_top(&mut self) {
        self.selected = 0;
    }

    pub fn to_bottom(&mut self, len: usize) {
        self.selected = len.saturating_sub(1);
    }

    /// Scroll as little as possible so the selection is inside a window of `height` rows.
    pub fn scroll_into_view(&mut self, height: usize) {
        let height = height.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub column: usize,
    pub reverse: bool,
}

/// A table and what the operator did to it: filter, sort, selection.
#[derive(Debug, Default)]
pub struct TableList {
    pub table: Table,
    /// Indices into `table.rows`, filtered and sorted.
    pub view: Vec<usize>,
    pub cursor: Cursor,
    pub sort: Option<Sort>,
    pub filter: Filter,
    /// The widest cell of each column (in chars), header included.
    pub widths: Vec<usize>,
}

impl TableList {
    pub fn new(table: Table) -> TableList {
        let mut list = TableList {
            sort: Some(Sort {
                column: 0,
                reverse: false,
            }),
            ..TableList::default()
        };
        list.set_table(table);
        list
    }

    /// The row's identity: its first cell (names are unique in every list zcon shows).
    fn key(row: &[String]) -> &str {
        row.first().map(String::as_str).unwrap_or("")
    }

    pub fn selected_key(&self) -> Option<&str> {
        self.selected_row().map(Self::key)
    }

    pub fn selected_row(&self) -> Option<&[String]> {
        let index = *self.view.get(self.cursor.selected)?;
        Some(&self.table.rows[index])
    }

    /// New rows; the same object stays selected (or the same position when it is gone).
    pub fn set_table(&mut self, table: Table) {
        let previous = self.selected_key().map(str::to_string);
        self.widths = table
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                table
                    .rows
                    .iter()
                    .map(|r| r[i].chars().count())
                    .max()
                    .unwrap_or(0)
                    .max(c.title.chars().count())
            })
            .collect();
        self.table = table;
        self.rebuild_view();
        if let Some(key) = previous {
            self.select_key(&key);
        }
    }

    pub fn select_key(&mut self, key: &str) -> bool {
        let rows = &self.table.rows;
        match self.view.iter().position(|&i| Self::key(&rows[i]) == key) {
            Some(pos) => {
                self.cursor.selected = pos;
                true
            }
            None => false,
        }
    }

    pub fn set_filter(&mut self, text: &str) {
        let previous = self.selected_key().map(str::to_string);
        self.filter.set(text);
        self.rebuild_view();
        match previous {
            Some(key) if self.select_key(&key) => {}
            _ => self.cursor = Cursor::default(),
        }
    }

    pub fn sort_next(&mut self) {
        let columns = self.table.columns.len().max(1);
        self.sort = Some(match self.sort {
            Some(s) => Sort {
                column: (s.column + 1) % columns,
                reverse: false,
            },
            None => Sort {
                column: 0,
                reverse: false,
            },
        });
        self.resort();
    }

    pub fn sort_reverse(&mut self) {
        let mut sort = self.sort.unwrap_or(Sort {
            column: 0,
            reverse: false,
        });
        sort.reverse = !sort.reverse;
        self.sort = Some(sort);
        self.resort();
    }

    fn resort(&mut self) {
        let previous = self.selected_key().map(str::to_string);
        self.rebuild_view();
        if let Some(key) = previous {
            self.select_key(&key);
        }
    }

    /// Filter, then sort by the sort column; while filtering, the best matches come first
    /// (ties keep the column order), as in fzf.
    fn rebuild_view(&mut self) {
        let filter = &mut self.filter;
        let mut line = String::new();
        let mut scored: Vec<(usize, u32)> = Vec::with_capacity(self.table.rows.len());
        for (i, row) in self.table.rows.iter().enumerate() {
            if filter.is_empty() {
                scored.push((i, 0));
                continue;
            }
            line.clear();
            for cell in row {
                line.push_str(cell);
                line.push(' ');
            }
            if let Some(score) = filter.score(&line) {
                scored.push((i, score));
            }
        }
        if let Some(sort) = self.sort
            && let Some(column) = self.table.columns.get(sort.column)
        {
            let rows = &self.table.rows;
            scored.sort_by(|&(a, _), &(b, _)| {
                let ord = column
                    .sort
                    .compare(&rows[a][sort.column], &rows[b][sort.column]);
                if sort.reverse { ord.reverse() } else { ord }
            });
        }
        scored.sort_by_key(|&(_, score)| std::cmp::Reverse(score));
        self.view = scored.into_iter().map(|(i, _)| i).collect();
        self.cursor.clamp(self.view.len());
    }

    pub fn len(&self) -> usize {
        self.view.len()
    }

    pub fn is_empty(&self) -> bool {
        self.view.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::Column;

    fn table(rows: &[(&str, &str)]) -> Table {
        Table::new(
            vec![Column::text("NAME"), Column::size("RAM")],
            rows.iter()
                .map(|(a, b)| vec![a.to_string(), b.to_string()])
                .collect(),
        )
    }

    #[test]
    fn selection_follows_the_object_across_refreshes() {
        let mut list = TableList::new(table(&[("a", "1G"), ("b", "2G"), ("c", "512M")]));
        list.cursor.selected = 1;
        list.set_table(table(&[
            ("0", "1G"),
            ("a", "1G"),
            ("b", "2G"),
            ("c", "512M"),
        ]));
        assert_eq!(list.selected_key(), Some("b"));
        list.set_table(table(&[("a", "1G"), ("c", "512M")]));
        assert_eq!(list.selected_key(), Some("c"), "gone: the same position");
    }

    #[test]
    fn sorts_by_value_and_reverses() {
        let mut list = TableList::new(table(&[("a", "1G"), ("b", "2G"), ("c", "512M")]));
        list.sort_next();
        let names: Vec<&str> = list
            .view
            .iter()
            .map(|&i| list.table.rows[i][0].as_str())
            .collect();
        assert_eq!(names, ["c", "a", "b"]);
        list.sort_reverse();
        let names: Vec<&str> = list
            .view
            .iter()
            .map(|&i| list.table.rows[i][0].as_str())
            .collect();
        assert_eq!(names, ["b", "a", "c"]);
    }

    #[test]
    fn filter_keeps_the_selection_when_it_still_matches() {
        let mut list = TableList::new(table(&[("web01", "1G"), ("web02", "2G"), ("db01", "512M")]));
        assert!(list.select_key("web02"));
        list.set_filter("web");
        assert_eq!(list.len(), 2);
        assert_eq!(list.selected_key(), Some("web02"));
        list.set_filter("db");
        assert_eq!(list.selected_key(), Some("db01"));

        list.set_filter("");
        assert_eq!(list.len(), 3);
        let mut list = TableList::new(table(&[("d-x-b-01", "1G"), ("db01", "2G")]));
        list.set_filter("db01");
        let first = &list.table.rows[list.view[0]][0];
        assert_eq!(first, "db01", "the best match comes first");
    }

    #[test]
    fn cursor_scrolls_minimally() {
        let mut c = Cursor::default();
        c.move_by(15, 100);
        c.scroll_into_view(10);
        assert_eq!((c.selected, c.offset), (15, 6));
        c.move_by(-3, 100);
        c.scroll_into_view(10);
        assert_eq!(c.offset, 6);
        c.move_by(-100, 100);
        c.scroll_into_view(10);
        assert_eq!((c.selected, c.offset), (0, 0));
    }
}

//! What the sequences the scan stops at do beyond vt100, fed to vt100 as sequences it knows.

use std::fmt::Write as _;

use super::super::term::CursorShape;
use super::seq::Action;
use super::{Ext, Modes, Parser, Region};

impl Ext {
    /// Apply `action`, whose sequence vt100 has just been given; `before` is the cursor
    /// before it.
    pub(super) fn apply(&mut self, parser: &mut Parser, action: Action, before: (u16, u16)) {
        let (rows, cols) = parser.screen().size();
        let (row, col) = before;
        let bce = self.modes.bce;
        let region = self.region(parser);
        let in_region = (region.top..=region.bottom).contains(&row);
        match action {
            Action::Designate(g, charset) => self.modes.charsets.g[g] = charset,
            // vt100's LF is an index: down a row, scrolling at the bottom margin.
            Action::Index | Action::NextLine => {
                let nl = if action == Action::Index {
                    "\n"
                } else {
                    "\r\n"
                };
                parser.process(nl.as_bytes());
                self.erase_scrolled_in(parser, row, false);
            }
            Action::ReverseIndex => self.erase_scrolled_in(parser, row, true),
            Action::TabSet => {
                let col = col.min(cols.saturating_sub(1));
                let tabs = self.modes.tabs.get_or_insert_with(|| default_tabs(cols));
                if let Err(at) = tabs.binary_search(&col) {
                    tabs.insert(at, col);
                }
                self.normalize_tabs(cols);
            }
            Action::TabClear(0) => {
                let tabs = self.modes.tabs.get_or_insert_with(|| default_tabs(cols));
                tabs.retain(|&s| s != col);
                self.normalize_tabs(cols);
            }
            Action::TabClear(3) => self.modes.tabs = Some(Vec::new()),
            Action::TabClear(_) => {}
            Action::Align => {
                // DECALN: margins reset, the screen filled with 'E', the cursor home.
                let mut fill = b"\x1b[r".to_vec();
                for row in 1..=rows {
                    fill.extend_from_slice(format!("\x1b[{row};1H").as_bytes());
                    fill.extend(std::iter::repeat_n(b'E', usize::from(cols)));
                }
                fill.extend_from_slice(b"\x1b[H");
                parser.process(&fill);
                let r = self.region_mut(parser);
                (r.top, r.bottom) = (0, rows.saturating_sub(1));
            }
            Action::SaveCursor | Action::ScoSave => {
                if action == Action::ScoSave {
                    parser.process(b"\x1b7");
                }
                self.saved = Some(self.modes.charsets);
                let r = self.region_mut(parser);
                r.saved_origin = r.origin;
            }
            Action::RestoreCursor | Action::ScoRestore => {
                if action == Action::ScoRestore {
                    parser.process(b"\x1b8");
                }
                self.modes.charsets = self.saved.unwrap_or_default();
                let r = self.region_mut(parser);
                r.origin = r.saved_origin;
            }
            Action::Reset => {
                *self = Ext::new(rows);
                parser.callbacks_mut().cursor_shape = CursorShape::Default;
            }
            Action::SoftReset => {
                // DECSTR: modes, margins and rendition back to their defaults; the cursor
                // stays (vt100's margin reset would home it).
                self.modes = Modes {
                    tabs: self.modes.tabs.take(),
                    ..Modes::default()
                };
                self.saved = None;
                let back = format!(
                    "\x1b[?6l\x1b[r\x1b[m\x1b[?25h\x1b[{}d\x1b[{}G",
                    row + 1,
                    col + 1
                );
                parser.process(back.as_bytes());
                *self.region_mut(parser) = Region::full(rows);
            }
            Action::Position(row, col) => {
                parser.process(format!("\x1b[{row};{col}H").as_bytes());
            }
            Action::Column(col) => parser.process(format!("\x1b[{col}G").as_bytes()),
            Action::Forward(n) => parser.process(format!("\x1b[{n}C").as_bytes()),
            Action::Down(n) => parser.process(format!("\x1b[{n}B").as_bytes()),
            Action::Repeat(n) => self.repeat(parser, n.max(1)),
            Action::Margins(top, bottom) => {
                // As vt100 takes them (an empty or inverted region is the whole screen)…
                let top = top.max(1) - 1;
                let bottom = if bottom == 0 { rows } else { bottom } - 1;
                let bottom = bottom.min(rows.saturating_sub(1));
                let r = self.region_mut(parser);
                (r.top, r.bottom) = if top < bottom {
                    (top, bottom)
                } else {
                    (0, rows.saturating_sub(1))
                };
                // … but the cursor goes home, to the region only in origin mode (vt100 puts
                // it at the region's top regardless).
                if !r.origin {
                    parser.process(b"\x1b[1d");
                }
            }
            Action::InsertChars(n) if bce => {
                parser.process(format!("\x1b[{n}X").as_bytes());
            }
            Action::DeleteChars(n) if bce && col < cols => {
                let n = n.min(cols - col);
                self.erase_cells(parser, before, row, cols - n, n);
            }
            Action::InsertLines(n) if bce && in_region => {
                let n = n.min(region.bottom - row + 1);
                self.erase_rows(parser, before, row, row + n - 1);
            }
            Action::DeleteLines(n) if bce && in_region => {
                let n = n.min(region.bottom - row + 1);
                self.erase_rows(parser, before, region.bottom + 1 - n, region.bottom);
            }
            Action::ScrollUp(n) if bce => {
                let n = n.min(region.bottom - region.top + 1);
                self.erase_rows(parser, before, region.bottom + 1 - n, region.bottom);
            }
            Action::ScrollDown(n) if bce => {
                let n = n.min(region.bottom - region.top + 1);
                self.erase_rows(parser, before, region.top, region.top + n - 1);
            }
            Action::InsertChars(_)
            | Action::DeleteChars(_)
            | Action::InsertLines(_)
            | Action::DeleteLines(_)
            | Action::ScrollUp(_)
            | Action::ScrollDown(_)
            | Action::Sgr => {}
            Action::Modes {
                private,
                set,
                params,
                count,
            } => {
                for &p in &params[..count] {
                    match (private, p) {
                        // DECCOLM: the column count stays (as in tmux), the screen is cleared.
                        (true, 3) => parser.process(b"\x1b[H\x1b[2J"),
                        (true, 6) => self.region_mut(parser).origin = set,
                        (true, 7) => self.modes.autowrap = set,
                        // The main screen's cursor is saved and restored, the alternate one
                        // starts afresh.
                        (true, 1049) if set => {
                            self.regions[0].saved_origin = self.regions[0].origin;
                            self.regions[1] = Region::full(rows);
                        }
                        (true, 1049) => self.regions[0].origin = self.regions[0].saved_origin,
                        (false, 4) => self.modes.insert = set,
                        (false, 20) => self.modes.newline = set,
                        _ => {}
                    }
                }
            }
        }
    }

    /// Erase `n` cells of `row` from `col` in the current colours, then put the cursor back.
    fn erase_cells(&self, parser: &mut Parser, back: (u16, u16), row: u16, col: u16, n: u16) {
        let mut seq = format!("\x1b[{}d\x1b[{}G\x1b[{n}X", row + 1, col + 1);
        restore(&mut seq, back);
        parser.process(seq.as_bytes());
    }

    /// Erase rows `from..=to` in the current colours, then put the cursor back.
    fn erase_rows(&self, parser: &mut Parser, back: (u16, u16), from: u16, to: u16) {
        let mut seq = String::new();
        for row in from..=to {
            let _ = write!(seq, "\x1b[{}d\x1b[2K", row + 1);
        }
        restore(&mut seq, back);
        parser.process(seq.as_bytes());
    }

    /// REP repeats the last character printed: the one the cursor has just passed (the
    /// cursor waits on the last column after printing there).
    fn repeat(&mut self, parser: &mut Parser, n: u16) {
        let screen = parser.screen();
        let (row, col) = screen.cursor_position();
        let (rows, cols) = screen.size();
        let before = if col >= cols {
            Some(cols - 1)
        } else {
            col.checked_sub(1)
        };
        let Some(cell) = before.and_then(|c| screen.cell(row, c)) else {
            return;
        };
        let mut c = cell.contents().to_string();
        if c.is_empty() {
            // The right half of a wide character: the character is one cell further left.
            let Some(wide) = before
                .and_then(|c| c.checked_sub(1))
                .and_then(|c| screen.cell(row, c))
                .filter(|cell| cell.is_wide())
            else {
                return;
            };
            c = wide.contents().to_string();
        }
        // A screenful at most: more could only overwrite itself.
        let n = usize::from(n).min(usize::from(rows) * usize::from(cols));
        let mut run = std::mem::take(&mut self.run);
        run.clear();
        run.extend(std::iter::repeat_n(c.as_str(), n));
        self.print(parser, &mut run);
        self.run = run;
    }

    /// Stops every 8 columns are what vt100 does by itself: no need to step in.
    fn normalize_tabs(&mut self, cols: u16) {
        if self.modes.tabs.as_ref() == Some(&default_tabs(cols)) {
            self.modes.tabs = None;
        }
    }
}

/// Append the moves back to `(row, col)`: VPA and CHA, which vt100 takes as absolute whatever
/// the origin mode.
fn restore(seq: &mut String, (row, col): (u16, u16)) {
    let _ = write!(seq, "\x1b[{}d\x1b[{}G", row + 1, col + 1);
}

fn default_tabs(cols: u16) -> Vec<u16> {
    (8..cols).step_by(8).collect()
}

//! What xterm (and tmux) do that the vt100 crate does not: character sets (the DEC line
//! drawing set that curses programs, installers and BIOS-style menus draw boxes with), IND,
//! NEL, HVP, HPA, REP, SCOSC/SCORC, tab stops (HTS, TBC), DECALN, DECCOLM's clear, DECAWM
//! (no autowrap), IRM (insert mode), LNM (newline mode), DECSTR, background colour erase for
//! the blanks that inserting, deleting and scrolling bring in (the `bce` that
//! `xterm-256color` promises curses), and the home position after DECSTBM.
//!
//! The output is scanned ahead of the parser only far enough to find escape sequences (the
//! text between them is skipped with memchr), and split where one of these takes effect: the
//! sequence itself still goes to vt100 (which ignores what it lacks), then its effect is made
//! by feeding vt100 sequences it does understand. Text is looked at character by character
//! only while a mode that changes how it prints is on.
//!
//! vt100 does not expose its scrolling region or origin mode, so they are followed here
//! alongside it (per screen, as vt100 keeps them), from the same sequences.

mod apply;
mod charset;
mod seq;

use memchr::{memchr, memchr2, memchr3};
use unicode_width::UnicodeWidthChar;

use super::term::Hooks;
use charset::Charsets;
use seq::{ESC, MAX_HELD, Scan, scan_escape};

type Parser = vt100::Parser<Hooks>;

const SO: u8 = 0x0e;
const SI: u8 = 0x0f;
const BEL: u8 = 0x07;

#[derive(Debug, Clone, PartialEq, Eq)]
struct Modes {
    charsets: Charsets,
    autowrap: bool,
    insert: bool,
    newline: bool,
    /// Columns with a tab stop, ascending; None while they are vt100's own (every 8).
    tabs: Option<Vec<u16>>,
    /// The background colour is not the default: blanks brought in must take it.
    bce: bool,
}

impl Default for Modes {
    fn default() -> Self {
        Modes {
            charsets: Charsets::default(),
            autowrap: true,
            insert: false,
            newline: false,
            tabs: None,
            bce: false,
        }
    }
}

impl Modes {
    /// Text goes to vt100 as it is.
    fn plain(&self) -> bool {
        self.charsets.active() == charset::Charset::Ascii
            && self.autowrap
            && !self.insert
            && !self.newline
            && self.tabs.is_none()
            && !self.bce
    }

    /// Characters must go one at a time, the cursor checked between them.
    fn per_char(&self) -> bool {
        self.insert || !self.autowrap
    }
}

/// A screen's scrolling region and origin mode, as vt100 keeps them for each screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Region {
    top: u16,
    bottom: u16,
    origin: bool,
    saved_origin: bool,
}

impl Region {
    fn full(rows: u16) -> Region {
        Region {
            top: 0,
            bottom: rows.saturating_sub(1),
            origin: false,
            saved_origin: false,
        }
    }
}

/// The state the scan keeps between chunks of output.
#[derive(Debug)]
pub(crate) struct Ext {
    modes: Modes,
    saved: Option<Charsets>,
    /// The main screen's and the alternate screen's.
    regions: [Region; 2],
    rows: u16,
    /// The start of a sequence (or character) the previous chunk ended in.
    held: Vec<u8>,
    joined: Vec<u8>,
    in_string: bool,
    run: String,
}

impl Ext {
    pub(crate) fn new(rows: u16) -> Ext {
        Ext {
            modes: Modes::default(),
            saved: None,
            regions: [Region::full(rows); 2],
            rows,
            held: Vec::new(),
            joined: Vec::new(),
            in_string: false,
            run: String::new(),
        }
    }

    /// Follow vt100's resize of both screens' regions.
    pub(crate) fn resize(&mut self, rows: u16) {
        for r in &mut self.regions {
            if r.bottom == self.rows.saturating_sub(1) || r.bottom >= rows {
                r.bottom = rows.saturating_sub(1);
            }
            if r.bottom < r.top {
                r.top = 0;
            }
        }
        self.rows = rows;
    }

    pub(crate) fn process(&mut self, parser: &mut Parser, input: &[u8]) {
        if self.held.is_empty() {
            self.scan(parser, input);
        } else {
            let mut joined = std::mem::take(&mut self.joined);
            joined.clear();
            joined.append(&mut self.held);
            joined.extend_from_slice(input);
            self.scan(parser, &joined);
            self.joined = joined;
        }
    }

    fn scan(&mut self, parser: &mut Parser, data: &[u8]) {
        let mut i = 0;
        // data[..done] has gone to the parser.
        let mut done = 0;
        while i < data.len() {
            if self.in_string {
                match memchr2(BEL, ESC, &data[i..]) {
                    Some(k) => {
                        i += k + usize::from(data[i + k] == BEL);
                        self.in_string = false;
                    }
                    None => i = data.len(),
                }
                continue;
            }
            if self.modes.plain() {
                match memchr3(ESC, SO, SI, &data[i..]) {
                    Some(k) => i += k,
                    None => break,
                }
            } else {
                let end = memchr(ESC, &data[i..]).map_or(data.len(), |k| i + k);
                parser.process(&data[done..i]);
                i += self.text(parser, &data[i..end]);
                done = i;
                if i < end {
                    // An unfinished UTF-8 character ends the output.
                    self.held.extend_from_slice(&data[i..]);
                    return;
                }
                if i == data.len() {
                    break;
                }
            }
            match data[i] {
                SO | SI => {
                    self.modes.charsets.shifted_out = data[i] == SO;
                    i += 1;
                }
                _ => match scan_escape(&data[i..]) {
                    Scan::Incomplete if data.len() - i <= MAX_HELD => {
                        parser.process(&data[done..i]);
                        self.held.extend_from_slice(&data[i..]);
                        return;
                    }
                    Scan::Incomplete => i = data.len(),
                    Scan::StringStart(len) => {
                        i += len;
                        self.in_string = true;
                    }
                    Scan::Sequence(len, None) => i += len,
                    Scan::Sequence(len, Some(action)) => {
                        parser.process(&data[done..i]);
                        let before = parser.screen().cursor_position();
                        parser.process(&data[i..i + len]);
                        i += len;
                        done = i;
                        self.apply(parser, action, before);
                        self.modes.bce = parser.screen().bgcolor() != vt100::Color::Default;
                    }
                },
            }
        }
        parser.process(&data[done..]);
    }

    /// Print `text` (no ESC in it) in the current modes; returns how much was used (all but
    /// an unfinished UTF-8 character at its end).
    fn text(&mut self, parser: &mut Parser, text: &[u8]) -> usize {
        let mut run = std::mem::take(&mut self.run);
        let mut used = 0;
        for chunk in text.utf8_chunks() {
            for c in chunk.valid().chars() {
                if !c.is_control() {
                    run.push(self.modes.charsets.active().map(c));
                    continue;
                }
                self.print(parser, &mut run);
                match c {
                    '\n' | '\x0b' | '\x0c' => {
                        let (row, _) = parser.screen().cursor_position();
                        let nl = if self.modes.newline { "\r\n" } else { "\n" };
                        parser.process(nl.as_bytes());
                        self.erase_scrolled_in(parser, row, false);
                    }
                    '\t' if self.modes.tabs.is_some() => self.tab(parser),
                    '\x0e' | '\x0f' => self.modes.charsets.shifted_out = c == '\x0e',
                    c => {
                        let mut b = [0; 4];
                        parser.process(c.encode_utf8(&mut b).as_bytes());
                    }
                }
            }
            self.print(parser, &mut run);
            used += chunk.valid().len();
            let invalid = chunk.invalid();
            // At the end, possibly the start of a character the next chunk completes.
            let at_end = used + invalid.len() == text.len();
            if at_end && invalid.len() < 4 && invalid.first().is_some_and(|b| b & 0xc0 == 0xc0) {
                break;
            }
            parser.process(invalid);
            used += invalid.len();
        }
        self.run = run;
        used
    }

    fn print(&self, parser: &mut Parser, run: &mut String) {
        if run.is_empty() {
            return;
        }
        if self.modes.per_char() {
            self.print_each(parser, run);
        } else if self.modes.bce {
            self.print_wrapping(parser, run);
        } else {
            parser.process(run.as_bytes());
        }
        run.clear();
    }

    /// In insert mode or without autowrap: one character at a time.
    fn print_each(&self, parser: &mut Parser, run: &str) {
        let (_, cols) = parser.screen().size();
        let mut b = [0; 4];
        for c in run.chars() {
            let width = c.width().unwrap_or(0) as u16;
            if self.modes.insert && width > 0 {
                parser.process(format!("\x1b[{width}@").as_bytes());
                if self.modes.bce {
                    parser.process(format!("\x1b[{width}X").as_bytes());
                }
            }
            if !self.modes.autowrap && cursor_col(parser) + width > cols {
                // Without autowrap, what passes the margin overwrites the last column.
                parser.process(format!("\x1b[{}G", cols + 1 - width.min(cols)).as_bytes());
            }
            parser.process(c.encode_utf8(&mut b).as_bytes());
        }
        if !self.modes.autowrap && cursor_col(parser) >= cols {
            // vt100 waits past the margin to wrap; without autowrap xterm stays on it.
            parser.process(format!("\x1b[{cols}G").as_bytes());
        }
    }

    /// With a background colour: text that wraps off the region's last row scrolls in a
    /// line, whose rest takes the colour.
    fn print_wrapping(&self, parser: &mut Parser, run: &str) {
        let (_, cols) = parser.screen().size();
        let mut col = cursor_col(parser);
        let mut start = 0;
        for (i, c) in run.char_indices() {
            let width = c.width().unwrap_or(0) as u16;
            if width == 0 || col + width <= cols {
                col += width;
                continue;
            }
            parser.process(&run.as_bytes()[start..i]);
            let (row, _) = parser.screen().cursor_position();
            start = i + c.len_utf8();
            parser.process(&run.as_bytes()[i..start]);
            if row == self.region(parser).bottom {
                parser.process(b"\x1b[K");
            }
            col = width;
        }
        parser.process(&run.as_bytes()[start..]);
    }

    /// After a line feed (or `reverse`: a reverse index) from `row`: if that scrolled a
    /// blank line in and a background colour is set, the line takes it.
    fn erase_scrolled_in(&self, parser: &mut Parser, row: u16, reverse: bool) {
        if !self.modes.bce {
            return;
        }
        let region = self.region(parser);
        if row == if reverse { region.top } else { region.bottom } {
            parser.process(b"\x1b[2K");
        }
    }

    /// HT with tab stops set by the program: to the next stop, else the last column.
    fn tab(&self, parser: &mut Parser) {
        let (_, cols) = parser.screen().size();
        let col = cursor_col(parser).min(cols.saturating_sub(1));
        let stops = self.modes.tabs.as_deref().unwrap_or_default();
        let next = stops
            .iter()
            .copied()
            .find(|&s| s > col && s < cols)
            .unwrap_or(cols.saturating_sub(1));
        parser.process(format!("\x1b[{}G", next + 1).as_bytes());
    }

    fn region(&self, parser: &Parser) -> Region {
        self.regions[usize::from(parser.screen().alternate_screen())]
    }

    fn region_mut(&mut self, parser: &Parser) -> &mut Region {
        &mut self.regions[usize::from(parser.screen().alternate_screen())]
    }
}

fn cursor_col(parser: &Parser) -> u16 {
    parser.screen().cursor_position().1
}

#[cfg(test)]
mod tests;

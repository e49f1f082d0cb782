//! The terminal emulator a session's output goes through: vt100's parser, the query replies
//! and cursor shape it collects, and the text views of its screen and scrollback.

use vt100::{Callbacks, Screen};

use super::ext::Ext;
use crate::termdrive::replies;

/// The cursor's shape as set by DECSCUSR (`CSI Ps SP q`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub enum CursorShape {
    /// Ps 0, and until the program asks: whatever the operator's terminal uses.
    #[default]
    Default,
    BlinkingBlock,
    SteadyBlock,
    BlinkingUnderline,
    SteadyUnderline,
    BlinkingBar,
    SteadyBar,
}

impl CursorShape {
    fn from_decscusr(ps: u16) -> Option<CursorShape> {
        Some(match ps {
            0 => CursorShape::Default,
            1 => CursorShape::BlinkingBlock,
            2 => CursorShape::SteadyBlock,
            3 => CursorShape::BlinkingUnderline,
            4 => CursorShape::SteadyUnderline,
            5 => CursorShape::BlinkingBar,
            6 => CursorShape::SteadyBar,
            _ => return None,
        })
    }

    /// The crossterm command that gives the operator's terminal this cursor.
    pub fn to_crossterm(self) -> ratatui::crossterm::cursor::SetCursorStyle {
        use ratatui::crossterm::cursor::SetCursorStyle as S;
        match self {
            CursorShape::Default => S::DefaultUserShape,
            CursorShape::BlinkingBlock => S::BlinkingBlock,
            CursorShape::SteadyBlock => S::SteadyBlock,
            CursorShape::BlinkingUnderline => S::BlinkingUnderScore,
            CursorShape::SteadyUnderline => S::SteadyUnderScore,
            CursorShape::BlinkingBar => S::BlinkingBar,
            CursorShape::SteadyBar => S::SteadyBar,
        }
    }
}

/// What the parser reports besides the screen: replies to write back, the cursor shape.
#[derive(Debug, Default)]
pub(crate) struct Hooks {
    pub(crate) replies: Vec<u8>,
    pub(crate) cursor_shape: CursorShape,
}

impl Callbacks for Hooks {
    fn unhandled_csi(
        &mut self,
        screen: &mut Screen,
        i1: Option<u8>,
        _i2: Option<u8>,
        params: &[&[u16]],
        c: char,
    ) {
        if (i1, c) == (Some(b' '), 'q') {
            let ps = params.first().and_then(|p| p.first()).copied().unwrap_or(0);
            if let Some(shape) = CursorShape::from_decscusr(ps) {
                self.cursor_shape = shape;
            }
            return;
        }
        replies::answer_csi(screen, i1, params, c, &mut self.replies);
    }

    fn unhandled_escape(&mut self, _: &mut Screen, i1: Option<u8>, _i2: Option<u8>, b: u8) {
        replies::answer_escape(i1, b, &mut self.replies);
    }
}

/// A terminal: feed it a program's output with [`Terminal::process`], read its screen.
pub struct Terminal {
    parser: vt100::Parser<Hooks>,
    ext: Ext,
}

impl Terminal {
    /// A `cols`×`rows` terminal keeping `scrollback` lines that scrolled off the top.
    pub fn new(cols: u16, rows: u16, scrollback: usize) -> Terminal {
        Terminal {
            parser: vt100::Parser::new_with_callbacks(rows, cols, scrollback, Hooks::default()),
            ext: Ext::new(rows),
        }
    }

    /// Interpret a chunk of the program's output.
    pub fn process(&mut self, bytes: &[u8]) {
        self.ext.process(&mut self.parser, bytes);
    }

    /// Move the replies to the program's queries (to be written to its input) into `out`.
    pub fn take_replies(&mut self, out: &mut Vec<u8>) {
        out.append(&mut self.parser.callbacks_mut().replies);
    }

    pub fn screen(&self) -> &Screen {
        self.parser.screen()
    }

    /// (cols, rows).
    pub fn size(&self) -> (u16, u16) {
        let (rows, cols) = self.screen().size();
        (cols, rows)
    }

    pub fn set_size(&mut self, cols: u16, rows: u16) {
        self.parser.screen_mut().set_size(rows, cols);
        self.ext.resize(rows);
    }

    pub fn cursor_shape(&self) -> CursorShape {
        self.parser.callbacks().cursor_shape
    }

    /// Scroll the view `delta` lines back into the scrollback (negative: toward the live
    /// screen), clamped to what is kept.
    pub fn scroll(&mut self, delta: isize) {
        let offset = self.scroll_offset().saturating_add_signed(delta);
        self.parser.screen_mut().set_scrollback(offset);
    }

    /// How many lines the view is scrolled back; 0 is the live screen.
    pub fn scroll_offset(&self) -> usize {
        self.screen().scrollback()
    }

    /// The text of rows `from..=to` of the current view, trailing blanks trimmed.
    pub fn view_lines(&self, from: u16, to: u16) -> Vec<String> {
        if from > to {
            return Vec::new();
        }
        let (_, cols) = self.screen().size();
        self.screen()
            .rows(0, cols)
            .skip(usize::from(from))
            .take(usize::from(to - from) + 1)
            .map(|row| row.trim_end().to_string())
            .collect()
    }

    /// Everything kept, scrollback then screen, as plain text: one line per logical line
    /// (rows the program's text wrapped across are joined), trailing blanks and trailing
    /// empty lines dropped.
    pub fn transcript(&mut self) -> String {
        let screen = self.parser.screen_mut();
        let saved = screen.scrollback();
        screen.set_scrollback(usize::MAX);
        let kept = screen.scrollback();
        let (rows, cols) = screen.size();
        let mut text = String::new();
        // The view at offset o starts with the o-th newest scrollback line; step a page at a
        // time so every line is read exactly once.
        let mut offset = kept;
        loop {
            screen.set_scrollback(offset);
            let take = if offset == 0 {
                usize::from(rows)
            } else {
                offset.min(usize::from(rows))
            };
            for (i, row) in screen.rows(0, cols).take(take).enumerate() {
                text.push_str(&row);
                let wrapped = u16::try_from(i).is_ok_and(|i| screen.row_wrapped(i));
                if !wrapped {
                    let end = text.trim_end_matches(' ').len();
                    text.truncate(end);
                    text.push('\n');
                }
            }
            if offset == 0 {
                break;
            }
            offset -= take;
        }
        screen.set_scrollback(saved);
        let end = text.trim_end_matches(['\n', ' ']).len();
        text.truncate(end);
        if !text.is_empty() {
            text.push('\n');
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(cols: u16, rows: u16, scrollback: usize, input: &str) -> Terminal {
        let mut t = Terminal::new(cols, rows, scrollback);
        t.process(input.as_bytes());
        t
    }

    #[test]
    fn cursor_shape_follows_decscusr_and_reset() {
        let mut t = term(10, 3, 0, "");
        assert_eq!(t.cursor_shape(), CursorShape::Default);
        for (seq, want) in [
            ("\x1b[2 q", CursorShape::SteadyBlock),
            ("\x1b[5 q", CursorShape::BlinkingBar),
            ("\x1b[ q", CursorShape::Default),
            ("\x1b[4 q", CursorShape::SteadyUnderline),
            ("\x1b[9 q", CursorShape::SteadyUnderline),
            // RIS is vt100's; the shape it resets is ours.
            ("\x1bc", CursorShape::Default),
        ] {
            t.process(seq.as_bytes());
            assert_eq!(t.cursor_shape(), want, "{seq:?}");
        }
    }

    #[test]
    fn replies_are_collected_for_the_writer() {
        let mut t = term(10, 3, 0, "ab\x1b[6n\x1b[c");
        let mut out = Vec::new();
        t.take_replies(&mut out);
        assert_eq!(out, b"\x1b[1;3R\x1b[?62;22c");
        t.take_replies(&mut out);
        assert_eq!(out.len(), 15, "taken once");
    }

    #[test]
    fn scrolling_is_clamped_to_the_scrollback() {
        let lines: String = (1..=10).map(|i| format!("{i}\r\n")).collect();
        let mut t = term(10, 3, 4, &lines);
        // 11 rows were written (the last empty) on a 3-row screen: 8 scrolled off, 4 kept.
        assert_eq!(t.view_lines(0, 2), ["9", "10", ""].map(String::from));
        t.scroll(2);
        assert_eq!(t.scroll_offset(), 2);
        assert_eq!(t.view_lines(0, 2), ["7", "8", "9"].map(String::from));
        t.scroll(100);
        assert_eq!(t.scroll_offset(), 4);
        assert_eq!(t.view_lines(0, 0), ["5"]);
        t.scroll(-100);
        assert_eq!(t.scroll_offset(), 0);
        assert_eq!(t.view_lines(2, 1), Vec::<String>::new());
        assert_eq!(t.view_lines(1, 9), ["10", ""].map(String::from));
    }

    #[test]
    fn transcript_joins_wrapped_rows_and_keeps_the_view() {
        let mut t = term(5, 3, 100, "one\r\ntwo  \r\nabcdefgh\r\n\r\nlast line\r\n");
        t.scroll(2);
        let before = t.view_lines(0, 2);
        assert_eq!(t.transcript(), "one\ntwo\nabcdefgh\n\nlast line\n");
        assert_eq!(t.scroll_offset(), 2);
        assert_eq!(t.view_lines(0, 2), before);
        assert_eq!(term(5, 3, 0, "").transcript(), "");
        // More scrollback than a page, and less than one.
        let many: String = (1..=12).map(|i| format!("{i}\r\n")).collect();
        let want: String = (1..=12).map(|i| format!("{i}\n")).collect();
        assert_eq!(term(5, 3, 100, &many).transcript(), want);
        assert_eq!(
            term(5, 5, 100, "a\r\nb\r\nc\r\nd\r\ne\r\nf").transcript(),
            "a\nb\nc\nd\ne\nf\n"
        );
    }
}

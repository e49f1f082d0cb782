//! A ratatui widget drawing a terminal screen: colours, attributes, wide characters, the
//! scrollback view, a selected row range.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::widgets::Widget;

/// Draws `screen` (at its current scrollback offset) into an area, top-left aligned; parts of
/// the area the screen does not cover (while a resize is on its way) are blanked, parts of the
/// screen outside the area are cut.
///
/// ```no_run
/// # fn draw(frame: &mut ratatui::Frame, session: &zcon::console::Session, area: ratatui::layout::Rect) {
/// use zcon::console::TermView;
/// session.with_screen(|screen| {
///     let view = TermView::new(screen);
///     if let Some(cursor) = view.cursor(area) {
///         frame.set_cursor_position(cursor);
///     }
///     frame.render_widget(view, area);
/// });
/// # }
/// ```
#[derive(Clone, Copy)]
pub struct TermView<'a> {
    screen: &'a vt100::Screen,
    selection: Option<(u16, u16)>,
}

impl<'a> TermView<'a> {
    pub fn new(screen: &'a vt100::Screen) -> TermView<'a> {
        TermView {
            screen,
            selection: None,
        }
    }

    /// Show rows `from..=to` of the view (in either order) as selected: inverted.
    pub fn selection(mut self, rows: Option<(u16, u16)>) -> TermView<'a> {
        self.selection = rows.map(|(a, b)| (a.min(b), a.max(b)));
        self
    }

    /// Where to put the terminal's cursor when the view is drawn at `area`: None when the
    /// program hid it, the view is scrolled back, or it falls outside the area.
    pub fn cursor(&self, area: Rect) -> Option<Position> {
        if self.screen.hide_cursor() || self.screen.scrollback() > 0 {
            return None;
        }
        let (rows, cols) = self.screen.size();
        let (row, col) = self.screen.cursor_position();
        // After writing the last column the cursor waits there for the next character.
        let col = col.min(cols.saturating_sub(1));
        (row < rows.min(area.height) && col < area.width).then(|| Position {
            x: area.x + col,
            y: area.y + row,
        })
    }
}

impl Widget for TermView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let area = area.intersection(buf.area);
        let (rows, cols) = self.screen.size();
        for y in 0..area.height {
            let selected = self
                .selection
                .is_some_and(|(from, to)| (from..=to).contains(&y));
            let mut x = 0;
            while x < area.width {
                let pos = (area.x + x, area.y + y);
                let cell = (y < rows && x < cols)
                    .then(|| self.screen.cell(y, x))
                    .flatten();
                let Some(cell) = cell else {
                    buf[pos].reset();
                    if selected {
                        buf[pos].set_style(Style::new().add_modifier(Modifier::REVERSED));
                    }
                    x += 1;
                    continue;
                };
                let mut style = cell_style(cell);
                if selected {
                    // Selected inverse text shows as normal, as in xterm.
                    style = if cell.inverse() {
                        style.remove_modifier(Modifier::REVERSED)
                    } else {
                        style.add_modifier(Modifier::REVERSED)
                    };
                }
                let out = &mut buf[pos];
                out.reset();
                out.set_style(style);
                let wide = cell.is_wide();
                if wide && x + 1 >= area.width {
                    // Half a wide character does not fit: xterm shows nothing there either.
                    out.set_symbol(" ");
                } else if cell.has_contents() {
                    out.set_symbol(cell.contents());
                } else {
                    out.set_symbol(" ");
                }
                if wide && x + 1 < area.width {
                    // The glyph covers the next cell; ratatui skips it when it diffs the
                    // buffer only if that cell holds nothing of its own.
                    let next = &mut buf[(pos.0 + 1, pos.1)];
                    next.reset();
                    next.set_style(style);
                    x += 2;
                } else {
                    x += 1;
                }
            }
        }
    }
}

fn cell_style(cell: &vt100::Cell) -> Style {
    let mut m = Modifier::empty();
    m.set(Modifier::BOLD, cell.bold());
    m.set(Modifier::DIM, cell.dim());
    m.set(Modifier::ITALIC, cell.italic());
    m.set(Modifier::UNDERLINED, cell.underline());
    m.set(Modifier::REVERSED, cell.inverse());
    Style::new()
        .fg(color(cell.fgcolor()))
        .bg(color(cell.bgcolor()))
        .add_modifier(m)
}

/// The 16 ANSI colours by name (so a 16-colour terminal shows them as the program meant),
/// the rest of the 256 by index, true colour as is.
fn color(c: vt100::Color) -> Color {
    const ANSI: [Color; 16] = [
        Color::Black,
        Color::Red,
        Color::Green,
        Color::Yellow,
        Color::Blue,
        Color::Magenta,
        Color::Cyan,
        Color::Gray,
        Color::DarkGray,
        Color::LightRed,
        Color::LightGreen,
        Color::LightYellow,
        Color::LightBlue,
        Color::LightMagenta,
        Color::LightCyan,
        Color::White,
    ];
    match c {
        vt100::Color::Default => Color::Reset,
        vt100::Color::Idx(i) => ANSI
            .get(usize::from(i))
            .copied()
            .unwrap_or(Color::Indexed(i)),
        vt100::Color::Rgb(r, g, b) => Color::Rgb(r, g, b),
    }
}

/// The text of a buffer's rows as a terminal shows it: the cell a wide character covers is
/// not repeated, trailing blanks are trimmed.
pub fn buffer_lines(buf: &Buffer) -> Vec<String> {
    let area = buf.area;
    (area.top()..area.bottom())
        .map(|y| {
            let mut line = String::new();
            let mut skip = 0;
            for x in area.left()..area.right() {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                let symbol = buf[(x, y)].symbol();
                skip = ratatui::text::Span::raw(symbol).width().saturating_sub(1);
                line.push_str(symbol);
            }
            line.trim_end().to_string()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::Terminal;

    fn render(input: &str, cols: u16, rows: u16, area: Rect) -> (Terminal, Buffer) {
        let mut t = Terminal::new(cols, rows, 100);
        t.process(input.as_bytes());
        let mut buf = Buffer::empty(area);
        TermView::new(t.screen()).render(area, &mut buf);
        (t, buf)
    }

    #[test]
    fn colours_and_attributes() {
        let input = "\x1b[31mr\x1b[0m\x1b[1;4mb\x1b[0m\x1b[3;7mi\x1b[0m\x1b[2md\x1b[0m\
                     \x1b[38;5;208mo\x1b[48;2;1;2;3mt\x1b[0m\x1b[93;44my";
        let (_, buf) = render(input, 10, 2, Rect::new(0, 0, 10, 2));
        let style = |x: u16| buf[(x, 0)].style();
        assert_eq!(style(0).fg, Some(Color::Red));
        assert_eq!(style(0).bg, Some(Color::Reset));
        assert!(
            style(1)
                .add_modifier
                .contains(Modifier::BOLD | Modifier::UNDERLINED)
        );
        assert!(
            style(2)
                .add_modifier
                .contains(Modifier::ITALIC | Modifier::REVERSED)
        );
        assert!(style(3).add_modifier.contains(Modifier::DIM));
        assert_eq!(style(4).fg, Some(Color::Indexed(208)));
        assert_eq!(style(5).bg, Some(Color::Rgb(1, 2, 3)));
        assert_eq!(style(6).fg, Some(Color::LightYellow));
        assert_eq!(style(6).bg, Some(Color::Blue));
        assert_eq!(
            style(7).fg,
            Some(Color::Reset),
            "blank cells have default colours"
        );
        assert_eq!(buffer_lines(&buf), ["rbidoty", ""]);
    }

    #[test]
    fn wide_characters_take_two_cells() {
        let (_, buf) = render("a漢b字\r\n12345漢", 7, 2, Rect::new(0, 0, 7, 2));
        assert_eq!(buf[(1, 0)].symbol(), "漢");
        assert_eq!(buf[(2, 0)].symbol(), " ");
        assert_eq!(buf[(3, 0)].symbol(), "b");
        assert_eq!(buf[(4, 0)].symbol(), "字");
        assert_eq!(buffer_lines(&buf), ["a漢b字", "12345漢"]);
        // Cut in half by a narrower area: not drawn.
        let (_, buf) = render("12345漢", 7, 1, Rect::new(0, 0, 6, 1));
        assert_eq!(buffer_lines(&buf), ["12345"]);
    }

    #[test]
    fn area_offset_cut_and_blanked() {
        let area = Rect::new(2, 1, 4, 3);
        let mut buf = Buffer::filled(Rect::new(0, 0, 8, 5), ratatui::buffer::Cell::new("x"));
        let mut t = Terminal::new(6, 2, 0);
        t.process(b"abcdef\r\ngh");
        TermView::new(t.screen()).render(area, &mut buf);
        assert_eq!(
            buffer_lines(&buf),
            ["xxxxxxxx", "xxabcdxx", "xxgh  xx", "xx    xx", "xxxxxxxx"]
        );
    }

    #[test]
    fn scrolled_view_and_selection() {
        let lines: String = (1..=6).map(|i| format!("line {i}\r\n")).collect();
        let area = Rect::new(0, 0, 8, 3);
        let mut t = Terminal::new(8, 3, 100);
        t.process(lines.as_bytes());
        t.process(b"\x1b[7mrev");
        t.scroll(2);
        let mut buf = Buffer::empty(area);
        TermView::new(t.screen())
            .selection(Some((1, 0)))
            .render(area, &mut buf);
        assert_eq!(buffer_lines(&buf), ["line 3", "line 4", "line 5"]);
        assert!(buf[(0, 0)].modifier.contains(Modifier::REVERSED));
        assert!(buf[(7, 1)].modifier.contains(Modifier::REVERSED));
        assert!(!buf[(0, 2)].modifier.contains(Modifier::REVERSED));
        assert_eq!(
            TermView::new(t.screen()).cursor(area),
            None,
            "scrolled back"
        );

        t.scroll(-2);
        let mut buf = Buffer::empty(area);
        TermView::new(t.screen())
            .selection(Some((2, 2)))
            .render(area, &mut buf);
        assert_eq!(buffer_lines(&buf), ["line 5", "line 6", "rev"]);
        // Selected inverse text shows normal; the rest of the selected row inverted.
        assert!(!buf[(0, 2)].modifier.contains(Modifier::REVERSED));
        assert!(buf[(5, 2)].modifier.contains(Modifier::REVERSED));
    }

    #[test]
    fn cursor_position_and_visibility() {
        let (t, _) = render("ab\r\ncd", 10, 3, Rect::new(0, 0, 10, 3));
        let view = TermView::new(t.screen());
        assert_eq!(
            view.cursor(Rect::new(5, 7, 10, 3)),
            Some(Position::new(7, 8))
        );
        assert_eq!(view.cursor(Rect::new(0, 0, 2, 3)), None, "outside the area");
        let (t, _) = render("ab\x1b[?25l", 10, 3, Rect::new(0, 0, 10, 3));
        assert_eq!(
            TermView::new(t.screen()).cursor(Rect::new(0, 0, 10, 3)),
            None
        );
        // Pending wrap after the last column: shown on the last column.
        let (t, _) = render("abcd", 4, 2, Rect::new(0, 0, 4, 2));
        assert_eq!(
            TermView::new(t.screen()).cursor(Rect::new(0, 0, 4, 2)),
            Some(Position::new(3, 0))
        );
    }
}

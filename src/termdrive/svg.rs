//! A terminal screen as a self-contained SVG image in a window-like frame.
//!
//! Every coordinate is derived from the cell grid, and each text run carries its width in
//! `textLength`, so that a fallback font with other advances (wide characters usually come
//! from one) still lines up with the grid. Underlines are drawn as rectangles rather than
//! `text-decoration`, which renderers place differently and which would vanish under blanks.

use std::fmt::Write as _;

use super::palette::{DEFAULT_BG, DEFAULT_FG, Rgb, rgb};

const FONT_SIZE: f64 = 14.0;
const CELL_W: f64 = 8.4;
const CELL_H: f64 = 18.0;
/// Baseline of a text row below the row's top.
const BASELINE: f64 = 14.0;
const PAD: f64 = 12.0;
const TITLE_H: f64 = 32.0;
const FRAME: Rgb = Rgb(0x2e, 0x34, 0x40);
const TITLE_FG: Rgb = Rgb(0x9a, 0xa3, 0xb2);
const FONTS: &str =
    "ui-monospace, 'SF Mono', Menlo, 'DejaVu Sans Mono', 'Liberation Mono', Consolas, monospace";

/// How a cell's glyph is drawn (the background is drawn separately, so it is not part of it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Pen {
    fg: Rgb,
    bold: bool,
    italic: bool,
}

/// One visible cell: a wide character's cell has `width` 2 and its continuation is skipped.
#[derive(Debug, Clone, PartialEq)]
struct Cell {
    col: u16,
    width: u16,
    text: String,
    pen: Pen,
    bg: Rgb,
    underline: bool,
}

/// A `<text>` element: cells of one pen and one width class, blanks at either end trimmed.
#[derive(Debug, Clone, PartialEq)]
struct Run {
    col: u16,
    cols: u16,
    text: String,
    pen: Pen,
}

/// Render `screen` as an SVG document with `title` in the frame's title bar.
pub fn svg(screen: &vt100::Screen, title: &str) -> String {
    let (rows, cols) = screen.size();
    let term_w = f64::from(cols) * CELL_W;
    let term_h = f64::from(rows) * CELL_H;
    let width = term_w + 2.0 * PAD;
    let height = TITLE_H + term_h + PAD;

    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}">"#,
        w = num(width),
        h = num(height),
    );
    let _ = writeln!(
        out,
        r#"<rect width="{}" height="{}" rx="8" fill="{}"/>"#,
        num(width),
        num(height),
        FRAME.hex()
    );
    for (i, light) in ["#ff5f57", "#febc2e", "#28c840"].iter().enumerate() {
        let _ = writeln!(
            out,
            r#"<circle cx="{}" cy="{}" r="6" fill="{light}"/>"#,
            num(PAD + 6.0 + 20.0 * i as f64),
            num(TITLE_H / 2.0),
        );
    }
    let _ = writeln!(
        out,
        r#"<text x="{}" y="{}" text-anchor="middle" font-family="{FONTS}" font-size="13" fill="{}">{}</text>"#,
        num(width / 2.0),
        num(TITLE_H / 2.0 + 4.5),
        TITLE_FG.hex(),
        escape(title)
    );
    let _ = writeln!(
        out,
        r#"<g transform="translate({},{})">"#,
        num(PAD),
        num(TITLE_H)
    );
    let _ = writeln!(
        out,
        r#"<rect width="{}" height="{}" fill="{}"/>"#,
        num(term_w),
        num(term_h),
        DEFAULT_BG.hex()
    );

    let grid: Vec<Vec<Cell>> = (0..rows).map(|row| cells(screen, row)).collect();
    for (row, cells) in grid.iter().enumerate() {
        let y = row as f64 * CELL_H;
        for (col, n, bg) in segments(cells, |c| (c.bg != DEFAULT_BG).then_some(c.bg)) {
            let _ = writeln!(
                out,
                r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>"#,
                num(f64::from(col) * CELL_W),
                num(y),
                num(f64::from(n) * CELL_W),
                num(CELL_H),
                bg.hex()
            );
        }
    }

    let _ = writeln!(
        out,
        r#"<g font-family="{FONTS}" font-size="{}" xml:space="preserve" style="white-space:pre">"#,
        num(FONT_SIZE)
    );
    for (row, cells) in grid.iter().enumerate() {
        let y = row as f64 * CELL_H;
        for run in runs(cells) {
            let mut attrs = format!(r#" fill="{}""#, run.pen.fg.hex());
            if run.pen.bold {
                attrs.push_str(r#" font-weight="bold""#);
            }
            if run.pen.italic {
                attrs.push_str(r#" font-style="italic""#);
            }
            let _ = writeln!(
                out,
                r#"<text x="{}" y="{}" textLength="{}"{attrs}>{}</text>"#,
                num(f64::from(run.col) * CELL_W),
                num(y + BASELINE),
                num(f64::from(run.cols) * CELL_W),
                escape(&run.text)
            );
        }
        for (col, n, fg) in segments(cells, |c| c.underline.then_some(c.pen.fg)) {
            let _ = writeln!(
                out,
                r#"<rect x="{}" y="{}" width="{}" height="1" fill="{}"/>"#,
                num(f64::from(col) * CELL_W),
                num(y + BASELINE + 2.0),
                num(f64::from(n) * CELL_W),
                fg.hex()
            );
        }
    }
    out.push_str("</g>\n");

    if !screen.hide_cursor() {
        let (row, col) = screen.cursor_position();
        let _ = writeln!(
            out,
            r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{}" fill-opacity="0.5"/>"#,
            num(f64::from(col) * CELL_W),
            num(f64::from(row) * CELL_H),
            num(CELL_W),
            num(CELL_H),
            DEFAULT_FG.hex()
        );
    }
    out.push_str("</g>\n</svg>\n");
    out
}

/// The visible cells of `row` with their colours resolved (inverse and dim applied).
fn cells(screen: &vt100::Screen, row: u16) -> Vec<Cell> {
    let (_, cols) = screen.size();
    let mut out = Vec::with_capacity(usize::from(cols));
    for col in 0..cols {
        let Some(cell) = screen.cell(row, col) else {
            continue;
        };
        if cell.is_wide_continuation() {
            continue;
        }
        let mut fg = rgb(cell.fgcolor(), DEFAULT_FG);
        let mut bg = rgb(cell.bgcolor(), DEFAULT_BG);
        if cell.inverse() {
            std::mem::swap(&mut fg, &mut bg);
        }
        if cell.dim() {
            fg = fg.dimmed(bg);
        }
        let text = if cell.has_contents() {
            cell.contents().to_string()
        } else {
            " ".to_string()
        };
        out.push(Cell {
            col,
            // A wide character in the last column has no room for its second half.
            width: if cell.is_wide() && col + 1 < cols {
                2
            } else {
                1
            },
            text,
            pen: Pen {
                fg,
                bold: cell.bold(),
                italic: cell.italic(),
            },
            bg,
            underline: cell.underline(),
        });
    }
    out
}

/// Maximal stretches of adjacent cells for which `key` gives the same `Some` value, as
/// (first column, columns, value).
fn segments<T: PartialEq + Copy>(
    cells: &[Cell],
    key: impl Fn(&Cell) -> Option<T>,
) -> Vec<(u16, u16, T)> {
    let mut out: Vec<(u16, u16, T)> = Vec::new();
    for cell in cells {
        let Some(value) = key(cell) else { continue };
        match out.last_mut() {
            Some((col, n, v)) if *v == value && *col + *n == cell.col => *n += cell.width,
            _ => out.push((cell.col, cell.width, value)),
        }
    }
    out
}

/// A narrow cell that shows nothing of its own (its background and underline are drawn apart).
fn is_blank(cell: &Cell) -> bool {
    cell.width == 1 && cell.text.chars().all(char::is_whitespace)
}

/// The text runs of one row: cells grouped by pen and width class, blanks at either end of a
/// run left out, runs of blanks alone dropped. Blanks inside a run of narrow cells stay in it
/// (whatever their pen: they draw nothing); a run of wide cells stops at a blank, because
/// `textLength` spreads its slack evenly and a narrow blank among wide glyphs would skew them.
fn runs(cells: &[Cell]) -> Vec<Run> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < cells.len() {
        let first = &cells[i];
        if is_blank(first) {
            i += 1;
            continue;
        }
        let mut last_ink = i;
        for (j, c) in cells.iter().enumerate().skip(i + 1) {
            if is_blank(c) {
                if first.width == 1 {
                    continue;
                }
                break;
            }
            if c.pen != first.pen || c.width != first.width {
                break;
            }
            last_ink = j;
        }
        let span = &cells[i..=last_ink];
        out.push(Run {
            col: first.col,
            cols: span.iter().map(|c| c.width).sum(),
            text: span.iter().map(|c| c.text.as_str()).collect(),
            pen: first.pen,
        });
        i = last_ink + 1;
    }
    out
}

/// A coordinate with at most two decimals and no trailing zeros (deterministic output).
fn num(v: f64) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

/// Text content or attribute value escaped for XML; characters XML 1.0 forbids become U+FFFD.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c < ' ' || c == '\u{fffe}' || c == '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests;

use super::*;

fn screen(rows: u16, cols: u16, bytes: &[u8]) -> vt100::Screen {
    let mut parser = vt100::Parser::new(rows, cols, 0);
    parser.process(bytes);
    parser.screen().clone()
}

fn row_runs(bytes: &[u8]) -> Vec<(u16, u16, String)> {
    runs(&cells(&screen(1, 20, bytes), 0))
        .into_iter()
        .map(|r| (r.col, r.cols, r.text))
        .collect()
}

fn run(col: u16, cols: u16, text: &str) -> (u16, u16, String) {
    (col, cols, text.to_string())
}

#[test]
fn runs_group_cells_of_one_pen_and_trim_blanks() {
    assert_eq!(row_runs(b"ab cd"), [run(0, 5, "ab cd")]);
    assert_eq!(row_runs(b"  x  "), [run(2, 1, "x")]);
    assert_eq!(row_runs(b""), []);
    assert_eq!(
        row_runs(b"\x1b[31mERR\x1b[0m ok"),
        [run(0, 3, "ERR"), run(4, 2, "ok")]
    );
    assert_eq!(
        row_runs(b"a\x1b[1mb\x1b[0mc"),
        [run(0, 1, "a"), run(1, 1, "b"), run(2, 1, "c")]
    );
    // Blanks of another pen draw nothing, so they do not split a run.
    assert_eq!(row_runs(b"a\x1b[1;32m \x1b[0mb"), [run(0, 3, "a b")]);
    // A background change alone does not split a run either: backgrounds are rects.
    assert_eq!(row_runs(b"a\x1b[44mb\x1b[0mc"), [run(0, 3, "abc")]);
}

#[test]
fn wide_characters_take_two_cells_in_runs_of_their_own() {
    assert_eq!(
        row_runs("中文x".as_bytes()),
        [run(0, 4, "中文"), run(4, 1, "x")]
    );
    assert_eq!(
        row_runs("x中 文".as_bytes()),
        [run(0, 1, "x"), run(1, 2, "中"), run(4, 2, "文")]
    );
}

#[test]
fn backgrounds_and_underlines_are_segments() {
    let s = screen(1, 10, b"\x1b[44m  \x1b[0m\x1b[4m u\x1b[0m");
    let cells = cells(&s, 0);
    let bgs = segments(&cells, |c| (c.bg != DEFAULT_BG).then_some(c.bg));
    assert_eq!(bgs, [(0, 2, Rgb(0, 0, 0xee))]);
    let lines = segments(&cells, |c| c.underline.then_some(c.pen.fg));
    assert_eq!(lines, [(2, 2, DEFAULT_FG)]);
    let out = svg(&s, "t");
    assert!(out.contains(r##"<rect x="0" y="0" width="16.8" height="18" fill="#0000ee"/>"##));
    assert!(out.contains(r##"<rect x="16.8" y="16" width="16.8" height="1" fill="#d8dee9"/>"##));
}

#[test]
fn inverse_swaps_and_dim_fades() {
    let s = screen(1, 4, b"\x1b[7mX\x1b[0m\x1b[2mY");
    let out = svg(&s, "t");
    assert!(out.contains(r##"<rect x="0" y="0" width="8.4" height="18" fill="#d8dee9"/>"##));
    assert!(out.contains(r##"fill="#1d222b">X</text>"##));
    assert!(out.contains(&format!(
        r#"fill="{}">Y</text>"#,
        DEFAULT_FG.dimmed(DEFAULT_BG).hex()
    )));
}

#[test]
fn colours_bold_and_italic() {
    let s = screen(
        1,
        30,
        b"\x1b[1;31mA\x1b[0m \x1b[3;38;5;196mB\x1b[0m \x1b[38;2;1;2;3mC\x1b[0m \x1b[91mD",
    );
    let out = svg(&s, "t");
    assert!(out.contains(r##"fill="#cd0000" font-weight="bold">A</text>"##));
    assert!(out.contains(r##"fill="#ff0000" font-style="italic">B</text>"##));
    assert!(out.contains(r##"fill="#010203">C</text>"##));
    assert!(out.contains(r##"fill="#ff0000">D</text>"##));
}

#[test]
fn text_and_title_are_escaped() {
    let out = svg(&screen(1, 20, b"<a href=\"x\">&'"), "a & <b>");
    assert!(out.contains(">&lt;a href=&quot;x&quot;&gt;&amp;&apos;</text>"));
    assert!(out.contains(">a &amp; &lt;b&gt;</text>"));
    assert_eq!(escape("ok\u{1}"), "ok\u{fffd}");
}

#[test]
fn cursor_only_when_visible() {
    let visible = svg(&screen(1, 4, b"ab"), "t");
    assert!(visible.contains(
        r##"<rect x="16.8" y="0" width="8.4" height="18" fill="#d8dee9" fill-opacity="0.5"/>"##
    ));
    let hidden = svg(&screen(1, 4, b"ab\x1b[?25l"), "t");
    assert!(!hidden.contains("fill-opacity"));
}

#[test]
fn whole_document_is_stable() {
    let s = screen(2, 6, b"\x1b[?25lhi \x1b[32mok\r\n\x1b[41m!\x1b[0m");
    let expected = r##"<svg xmlns="http://www.w3.org/2000/svg" width="74.4" height="80" viewBox="0 0 74.4 80">
<rect width="74.4" height="80" rx="8" fill="#2e3440"/>
<circle cx="18" cy="16" r="6" fill="#ff5f57"/>
<circle cx="38" cy="16" r="6" fill="#febc2e"/>
<circle cx="58" cy="16" r="6" fill="#28c840"/>
<text x="37.2" y="20.5" text-anchor="middle" font-family="FONTS" font-size="13" fill="#9aa3b2">demo</text>
<g transform="translate(12,32)">
<rect width="50.4" height="36" fill="#1d222b"/>
<rect x="0" y="18" width="8.4" height="18" fill="#cd0000"/>
<g font-family="FONTS" font-size="14" xml:space="preserve" style="white-space:pre">
<text x="0" y="14" textLength="16.8" fill="#d8dee9">hi</text>
<text x="25.2" y="14" textLength="16.8" fill="#00cd00">ok</text>
<text x="0" y="32" textLength="8.4" fill="#00cd00">!</text>
</g>
</g>
</svg>
"##
    .replace("FONTS", FONTS);
    assert_eq!(svg(&s, "demo"), expected);
}

#[test]
fn numbers_are_short_and_deterministic() {
    assert_eq!(num(3.0 * 8.4), "25.2");
    assert_eq!(num(18.0), "18");
    assert_eq!(num(0.5), "0.5");
    assert_eq!(num(-0.0), "0");
}

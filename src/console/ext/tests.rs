use crate::console::Terminal;

/// The screen's rows after `input`, trailing blanks trimmed.
fn rows(cols: u16, rows: u16, input: &[u8]) -> Vec<String> {
    let mut t = Terminal::new(cols, rows, 0);
    t.process(input);
    t.view_lines(0, rows - 1)
}

/// The same, the input fed one byte at a time: sequences split across reads.
fn rows_bytewise(cols: u16, rows: u16, input: &[u8]) -> Vec<String> {
    let mut t = Terminal::new(cols, rows, 0);
    for b in input {
        t.process(std::slice::from_ref(b));
    }
    t.view_lines(0, rows - 1)
}

fn both(cols: u16, n: u16, input: &[u8]) -> Vec<String> {
    let whole = rows(cols, n, input);
    assert_eq!(
        rows_bytewise(cols, n, input),
        whole,
        "byte by byte differs for {:?}",
        input.escape_ascii().to_string()
    );
    whole
}

#[test]
fn dec_line_drawing_through_g0_and_g1() {
    assert_eq!(
        both(
            12,
            3,
            b"\x1b(0lqqk\x1b(B ok\r\nx\x1b(0x\x1b(Bx\r\n\x1b)0a\x0eqnq\x0fq"
        ),
        ["┌──┐ ok", "x│x", "a─┼─q"]
    );
    // Escape sequences while the set is in use are not translated.
    assert_eq!(
        both(10, 2, b"\x1b(0\x1b[1mq\x1b[0mq\x1b[2;3Hj\x1b(B"),
        ["──", "  ┘"]
    );
    assert_eq!(both(10, 1, b"\x1b(A#\x1b(B#"), ["£#"]);
}

#[test]
fn charsets_are_saved_with_the_cursor_and_reset() {
    assert_eq!(
        both(10, 1, b"\x1b(0\x1b7\x1b(Bq\x1b8q\x1bc\x1b(0\x1b[!pq"),
        ["q"],
        "RIS clears, DECSTR resets the set"
    );
    assert_eq!(
        both(10, 1, b"\x1b(0\x1b7\x1b(Bq\x1b8\x1b[3Gq"),
        ["q ─"],
        "DECRC brings back the set DECSC saw"
    );
}

#[test]
fn utf8_split_across_reads_while_translating() {
    assert_eq!(both(10, 1, "\x1b(0q€q".as_bytes()), ["─€─"]);
}

#[test]
fn index_next_line_and_alignment() {
    assert_eq!(both(5, 3, b"ab\x1bDc\x1bEd"), ["ab", "  c", "d"]);
    assert_eq!(
        both(5, 2, b"a\r\nb\x1bDc"),
        ["b", " c"],
        "IND scrolls at the bottom"
    );
    assert_eq!(
        both(4, 3, b"\x1b[2;3r\x1b#8x"),
        ["xEEE", "EEEE", "EEEE"],
        "DECALN fills, homes the cursor, resets the margins"
    );
}

#[test]
fn tab_stops() {
    // Cleared, then set at columns 3 and 6.
    assert_eq!(
        both(12, 2, b"\x1b[3g   \x1bH   \x1bH\ra\tb\tc\td\r\n\te"),
        ["a  b  c    d", "   e"]
    );
    // One stop cleared among the default ones.
    assert_eq!(
        both(20, 1, b"\x1b[9G\x1b[g\ra\tb"),
        [format!("a{}b", " ".repeat(15))]
    );
    // Setting the default stops again goes back to vt100's own.
    assert_eq!(
        both(20, 1, b"\x1b[3g\x1b[9G\x1bH\x1b[17G\x1bH\ra\tb\tc"),
        ["a       b       c"]
    );
}

#[test]
fn deccolm_clears_the_screen() {
    assert_eq!(both(5, 2, b"abc\r\nde\x1b[?3hx"), ["x", ""]);
}

#[test]
fn autowrap_off_overwrites_the_last_column() {
    assert_eq!(
        both(5, 3, b"\x1b[?7labcdefg\x08X\x1b[?7h\r\nabcdefg"),
        ["abcXg", "abcde", "fg"],
        "nothing wraps; BS from the margin moves off it"
    );
}

#[test]
fn insert_mode_shifts_the_line() {
    assert_eq!(both(8, 1, b"abcdef\r\x1b[4hXY\x1b[4lZ"), ["XYZbcdef"]);
    assert_eq!(both(4, 1, "ab\r\x1b[4h漢".as_bytes()), ["漢ab"]);
}

#[test]
fn newline_mode_returns_the_carriage() {
    assert_eq!(
        both(6, 3, b"\x1b[20hab\ncd\x1b[20l\nef"),
        ["ab", "cd", "  ef"]
    );
}

#[test]
fn strings_and_aborted_sequences_pass_untouched() {
    // SO inside an OSC title or a DCS string shifts nothing; CAN aborts a CSI.
    assert_eq!(
        both(10, 1, b"\x1b)0\x1b]0;a\x0eb\x07q\x1bPq\x0e\x1b\\q"),
        ["qq"]
    );
    assert_eq!(both(10, 1, b"ab\r\x1b[4\x18hX"), ["hX"]);
    // A control inside a sequence is executed, the sequence still applies.
    assert_eq!(both(10, 2, b"ab\x1b[4\rhX"), ["Xab", ""]);
}

#[test]
fn modes_persist_across_reads() {
    let mut t = Terminal::new(10, 1, 0);
    t.process(b"\x1b(");
    t.process(b"0q");
    t.process(b"q\x1b");
    t.process(b"(Bq");
    assert_eq!(t.view_lines(0, 0), ["──q"]);
}

#[test]
fn mode_lists() {
    // Several modes in one sequence, the ones that matter after others.
    assert_eq!(
        both(6, 2, b"\x1b[?25;7lab\x1b[?1;7habcdefg"),
        ["ababcd", "efg"]
    );
    assert_eq!(
        both(6, 2, b"\x1b[?25;7labcdefg\x1b[;4hXY\x1b[4;l"),
        ["abcdeY", ""]
    );
}

#[test]
fn positioning_vt100_lacks() {
    assert_eq!(
        both(10, 3, b"\x1b[2;3fa\x1b[;f\x1b[5`b\x1b[2ac\x1b[2ed"),
        ["    b  c", "  a", "        d"]
    );
    assert_eq!(
        both(10, 2, b"ab\x1b[s\x1b[2;5Hx\x1b[uc"),
        ["abc", "    x"],
        "SCOSC/SCORC save and restore the cursor"
    );
}

#[test]
fn repeat_the_last_character() {
    assert_eq!(both(10, 1, b"a\x1b[3b"), ["aaaa"]);
    assert_eq!(both(10, 1, b"\x1b(0q\x1b[4b\x1b(B"), ["─────"]);
    assert_eq!(both(6, 1, "漢\x1b[b".as_bytes()), ["漢漢"]);
    assert_eq!(
        both(6, 2, b"\x1b[bx\x1b[6Gy\x1b[2b"),
        ["x    y", "yy"],
        "nothing before: nothing"
    );
}

/// Each row's background colours, `.` for the default, `b` for blue.
fn backgrounds(cols: u16, rows: u16, input: &[u8]) -> Vec<String> {
    let mut t = Terminal::new(cols, rows, 0);
    t.process(input);
    (0..rows)
        .map(|y| {
            (0..cols)
                .map(|x| match t.screen().cell(y, x).unwrap().bgcolor() {
                    vt100::Color::Default => '.',
                    vt100::Color::Idx(4) => 'b',
                    _ => '?',
                })
                .collect()
        })
        .collect()
}

#[test]
fn blanks_brought_in_take_the_background_colour() {
    // DCH: the cells that come in at the line's end; ICH: the inserted ones.
    assert_eq!(
        backgrounds(6, 1, b"abcdef\x1b[44m\x1b[1;2H\x1b[2P"),
        ["....bb"]
    );
    assert_eq!(
        backgrounds(6, 1, b"abcdef\x1b[44m\x1b[1;2H\x1b[2@"),
        [".bb..."]
    );
    // IL and DL inside a region, SU and SD.
    assert_eq!(
        backgrounds(2, 4, b"\x1b[2;3r\x1b[44m\x1b[2;1H\x1b[L"),
        ["..", "bb", "..", ".."]
    );
    assert_eq!(
        backgrounds(2, 4, b"\x1b[2;3r\x1b[44m\x1b[2;1H\x1b[M"),
        ["..", "..", "bb", ".."]
    );
    assert_eq!(backgrounds(2, 3, b"\x1b[44m\x1b[S"), ["..", "..", "bb"]);
    assert_eq!(backgrounds(2, 3, b"\x1b[44m\x1b[2T"), ["bb", "bb", ".."]);
    // Scrolling by line feed, index and reverse index; a plain move scrolls nothing.
    assert_eq!(backgrounds(2, 2, b"\x1b[44m\n\n"), ["..", "bb"]);
    assert_eq!(backgrounds(2, 2, b"\x1b[44m\n"), ["..", ".."]);
    assert_eq!(backgrounds(2, 2, b"\x1b[2;1H\x1b[44m\x1bD"), ["..", "bb"]);
    assert_eq!(backgrounds(2, 2, b"\x1b[44m\x1bM"), ["bb", ".."]);
    // Text wrapping off the last row.
    assert_eq!(
        backgrounds(4, 2, b"\x1b[2;1H\x1b[44mabcde"),
        ["bbbb", "bbbb"]
    );
    // Nothing of the sort without a colour.
    assert_eq!(backgrounds(2, 2, b"\x1b[44m\x1b[m\n\n\x1b[L"), ["..", ".."]);
}

#[test]
fn margins_home_the_cursor_as_xterm_does() {
    // Outside origin mode to the screen's top-left (vt100 alone goes to the region's top).
    assert_eq!(both(4, 4, b"\x1b[4;1Hx\x1b[2;3ry"), ["y", "", "", "x"]);
    // In origin mode to the region's.
    assert_eq!(both(4, 4, b"\x1b[?6h\x1b[2;3ry"), ["", "y", "", ""]);
    // DECSTR leaves the cursor, resets the margins, origin mode and rendition.
    assert_eq!(
        both(4, 4, b"\x1b[2;3r\x1b[?6h\x1b[2;2H\x1b[1m\x1b[!pa\x1b[1;1Hb"),
        ["b", "", " a", ""]
    );
}

//! The embedded console (`zcon::console`) renders what tmux renders for the same program and
//! the same keys: vttest's screens, vi and less, compared cell by cell (text, colours,
//! attributes) through the widget the app draws with. See `support/fidelity.rs` for how.
//!
//! Where the two legitimately differ, the rows are left out of the comparison and checked
//! against what vttest itself says should be seen:
//! - Identity: zcon answers device attributes as xterm does (DA1 `?62;22c`, a VT220 with
//!   colour; DA2 `>0;276;0c`), tmux as itself (`?1;2c`, `>84;0;0c`). vttest shows the
//!   answers, and offers a VT220 its character-set menu where a VT100 gets the test at once.
//! - tmux 3.3 lacks the United Kingdom character set (`ESC ( A`): it shows '#' where the
//!   VT100 and xterm show '£'.
//! - tmux 3.3 homes the cursor to the screen's top-left after DECSTBM even in origin mode,
//!   where the VT100 and xterm go to the top of the scrolling region.
//! - tmux's capture cannot show the background of cells erased in a colour beyond a line's
//!   text (vttest's BCE tests): such blanks are compared by text only (see `fidelity.rs`).

#[path = "support/fidelity.rs"]
mod fidelity;

use fidelity::{Pair, require, rows_diff, shows};
use ratatui::buffer::Buffer;
use zcon::console::{SessionState, buffer_lines};

fn vttest() -> Pair {
    let vttest = require("vttest", "vttest");
    require("tmux", "tmux");
    let pair = Pair::start(&[&vttest], &[]);
    pair.expect_same("Enter choice number (0 - 12)", "vttest's main menu");
    pair
}

/// Walk screens: keys, then a text the next screen shows (`^` anchors it at a row's start).
fn walk(pair: &Pair, steps: &[(&str, &str)]) {
    for (keys, needle) in steps {
        pair.send(keys);
        pair.expect_same(needle, needle);
    }
}

fn row(buf: &Buffer, y: usize) -> String {
    buffer_lines(buf)[y].clone()
}

#[test]
fn vttest_cursor_movements() {
    let p = vttest();
    walk(
        &p,
        &[
            // DECALN's frame of E's inside a border drawn with IND, RI, NEL, HVP …: in 80
            // columns, then again for 132 (neither switches width, both draw it wrapped).
            ("1\r", "free position around it"),
            ("\r", "^exactly in the"),
            (
                "\r",
                "Test of autowrap, mixing control and print characters.",
            ),
            (
                "\r",
                "Test of autowrap, mixing control and print characters.",
            ),
            (
                "\r",
                "Test of cursor-control characters inside ESC sequences.",
            ),
            ("\r", "Test of leading zeros in ESC sequences."),
            ("\r", "Enter choice number (0 - 12)"),
        ],
    );
}

#[test]
fn vttest_screen_features() {
    let p = vttest();
    walk(
        &p,
        &[
            ("2\r", "Test of WRAP AROUND mode setting."),
            ("\r", "Test of TAB setting/resetting."),
            ("\r", "This is 132 column mode, light background."),
            ("\r", "This is 80 column mode, light background."),
            ("\r", "This is 132 column mode, dark background."),
            ("\r", "This is 80 column mode, dark background."),
            ("\r", "^Soft scroll down region [12..13] size 2 Line 29"),
            ("\r", "^Soft scroll down region [1..24] size 24 Line 29"),
            ("\r", "^Jump scroll down region [12..13] size 2 Line 29"),
            ("\r", "^Jump scroll down region [1..24] size 24 Line 29"),
        ],
    );
    // Origin mode, relative: tmux homes to the screen after DECSTBM (see the module doc).
    p.send("\r");
    p.expect_same_except(
        "This line should be the one above the bottom",
        "origin mode, relative",
        &[1, 23],
    );
    let ours = p.pane.render();
    assert!(
        row(&ours, 23).starts_with("Origin mode test. This line should be at the bottom"),
        "the region's top is where DECSTBM puts the cursor\n{}",
        rows_diff(&ours, &p.tmux.capture())
    );
    walk(
        &p,
        &[
            ("\r", "This line should be at the top of the screen."),
            // SGR: bold, underline, blink, inverse and their mixes; then with DECSCNM.
            ("\r", "^Dark background."),
            ("\r", "^Light background."),
            // DECSC/DECRC with attributes and the line drawing set.
            ("\r", "Test of the SAVE/RESTORE CURSOR feature."),
            ("\r", "Enter choice number (0 - 12)"),
        ],
    );
}

#[test]
fn vttest_character_sets() {
    let p = vttest();
    // Told it is a VT220, vttest offers its character-set menu; item 8 is the VT100 test
    // that tmux (a VT100 by its answer) gets at once.
    p.send_each("3\r", "");
    let menu = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !shows(&p.pane.render(), "Test VT100 Character Sets") {
        assert!(std::time::Instant::now() < menu, "no character-set menu");
        p.pane.wait_change(std::time::Duration::from_millis(50));
    }
    p.send_each("8\r", "3\r");
    // Row 7 is the United Kingdom set: '£' in place of '#' but in tmux.
    p.expect_same_except(
        "These are the installed character sets.",
        "character sets",
        &[7],
    );
    let ours = row(&p.pane.render(), 7);
    assert_eq!(
        ours.matches('£').count(),
        2,
        "G0 and G1 show the UK set: {ours}"
    );
    assert_eq!(ours.replace('£', "#"), row(&p.tmux.capture(), 7));
}

#[test]
fn vttest_insert_delete() {
    let p = vttest();
    walk(
        &p,
        &[
            ("8\r", "Screen accordion test (Insert & Delete Line)."),
            (
                "\r",
                "Top line: A's, bottom line: X's, this line, nothing more.",
            ),
            ("\r", "Test of 'Insert Mode'."),
            ("\r", "Test of 'Delete Character'."),
            ("\r", "The right column should be staggered"),
            ("\r", "The right column should be staggered"),
            (
                "\r",
                "If your terminal has the ANSI 'Insert Character' function",
            ),
        ],
    );
}

#[test]
fn vttest_terminal_reports() {
    let p = vttest();
    walk(
        &p,
        &[
            ("6\r", "Menu 6: Terminal Reports/Responses"),
            // ENQ: no answerback, as in xterm's default.
            ("1\r", "current answerback message"),
            ("\r", "Push <RETURN>"),
            ("\r", "Menu 6: Terminal Reports/Responses"),
            // Device status and cursor position reports: the same answers.
            ("3\r", "Report is: <27> [ 5 ; 1 R  -- OK"),
            ("", "Push <RETURN>"),
            ("\r", "Menu 6: Terminal Reports/Responses"),
        ],
    );
    // Secondary device attributes: each answers as itself (see the module doc).
    p.send("5\r");
    p.expect_same_except(
        "ROM cartridge registration number",
        "secondary device attributes",
        &[2, 3, 4],
    );
    let ours = p.pane.render();
    assert_eq!(row(&ours, 2).trim(), "<27> [ > 0 ; 2 7 6 ; 0 c");
    assert_eq!(row(&ours, 4).trim(), "Pv=276, firmware version 27.6");
}

#[test]
fn vttest_colours() {
    let p = vttest();
    walk(
        &p,
        &[
            ("11\r", "Menu 11: Non-VT100 Tests"),
            ("6\r", "Menu 11.6: ISO 6429 colors"),
            ("2\r", "Push <RETURN>"),
            ("\r", "Menu 11.6: ISO 6429 colors"),
            ("3\r", "Push <RETURN>"),
            ("\r", "Menu 11.6: ISO 6429 colors"),
            // Background colour erase: ED and EL, then ECH and scrolling.
            ("4\r", "The screen background should be blue"),
            ("\r", "The screen background should be black"),
            ("\r", "Menu 11.6: ISO 6429 colors"),
            ("5\r", "The screen background should be blue"),
            ("\r", "The screen background should be black"),
            ("\r", "Menu 11.6: ISO 6429 colors"),
            // Screen features in colour: scrolling regions, renditions.
            ("8\r", "^Soft scroll down region [12..13] size 2 Line 29"),
            ("\r", "^Soft scroll down region [1..24] size 24 Line 29"),
            ("\r", "^Jump scroll down region [12..13] size 2 Line 29"),
            ("\r", "^Jump scroll down region [1..24] size 24 Line 29"),
            ("\r", "^Dark background."),
            ("\r", "^Light background."),
            ("\r", "Menu 11.6: ISO 6429 colors"),
            // The ISO 6429 SGR 22–27 resets.
            ("9\r", "^Dark background."),
            ("\r", "^Light background."),
            ("\r", "^Dark background."),
            ("\r", "Menu 11.6: ISO 6429 colors"),
        ],
    );
}

/// A file whose lines say where they are, for the full-screen programs.
fn numbered_file(dir: &tempfile::TempDir, lines: usize) -> String {
    let path = dir.path().join("numbers.txt");
    let text: String = (1..=lines)
        .map(|i| format!("line {i:03}: {}\n", "lorem ipsum dolor ".repeat(i % 4 + 1)))
        .collect();
    std::fs::write(&path, text).expect("writing the file");
    path.to_string_lossy().into_owned()
}

#[test]
fn vi_edits_a_file() {
    require("tmux", "tmux");
    let vi = require("vi", "vim");
    let dir = tempfile::tempdir().unwrap();
    let file = numbered_file(&dir, 60);
    // No vimrc, no viminfo, no swap file: the same start in both.
    let p = Pair::start(&[&vi, "-u", "NONE", "-i", "NONE", "-n", &file], &[]);
    p.expect_same("line 001", "vi opened the file");
    walk(
        &p,
        &[
            ("30G", "line 030"),
            ("ihello \x1b", "hello line 030"),
            ("3jAend\x1b", "end"),
            ("\x06", "line 050"),
            ("gg", "line 001"),
            ("/ipsum dolor lorem\r", "line 002"),
            ("ddp", "line 003"),
        ],
    );
    p.send(":q!\r");
    p.pane.wait_end();
    assert_eq!(
        p.pane.session.state(),
        SessionState::Ended {
            code: Some(0),
            reason: None
        }
    );
}

#[test]
fn less_pages_and_searches() {
    require("tmux", "tmux");
    let less = require("less", "less");
    let dir = tempfile::tempdir().unwrap();
    let file = numbered_file(&dir, 200);
    let env = [("LESSHISTFILE", "-"), ("LESS", "")];
    let p = Pair::start(&[&less, &file], &env);
    p.expect_same("line 001", "less opened the file");
    walk(
        &p,
        &[
            (" ", "line 024"),
            (" ", "line 047"),
            ("G", "(END)"),
            ("g", "line 001"),
            // The matches are shown inverted: attributes compared too.
            ("/dolor lorem ipsum dolor lorem\r", "line 003"),
            ("n", "line 007"),
            ("50%", "line 1"),
            ("\x1b[A\x1b[A", "line 1"),
        ],
    );
    p.send("q");
}

// The zone console, as the app will run it: the sim's `zlogin -C -E` in a session.

#[path = "support/sim_zone.rs"]
mod sim_zone;

#[test]
fn zone_console_session_refusal_and_hangup() {
    let (_dir, host) = sim_zone::running_zone("web01");
    let zlogin = host.bin_dir().join("zlogin").to_string_lossy().into_owned();
    let argv = [zlogin.as_str(), "-C", "-E", "web01"];
    let env = [("ZCON_SIM_SPEED", "0")];
    let first = fidelity::Pane::start(&argv, &env);
    first.wait_for("[Connected to zone 'web01' console]");
    first.session.write(b"\r").unwrap();
    first.wait_for("web01 console login:");
    first.session.write(b"root\r").unwrap();
    first.wait_for("Password:");
    first.session.write(b"secret\r").unwrap();
    first.wait_for("root@web01:~#");
    first.session.write(b"echo hel''lo\r").unwrap();
    first.wait_for("\nhello\n");

    // A second client is refused, and says by whom.
    let second = fidelity::Pane::start(&argv, &env);
    second.wait_end();
    let holder = first.session.pid().expect("a pid");
    match second.session.state() {
        SessionState::Ended {
            reason: Some(reason),
            code: Some(code),
        } => {
            assert_ne!(code, 0);
            assert_eq!(
                reason,
                format!("console already in use by process ID {holder}")
            );
        }
        other => panic!("{other:?}"),
    }

    // Killing the session hangs up zlogin, which lets the console go.
    first.session.kill();
    first.wait_end();
    let third = fidelity::Pane::start(&argv, &env);
    third.wait_for("[Connected to zone 'web01' console]");
}

/// `top` watching one process that does nothing, refreshed once an hour: its process row,
/// the inverse column header and everything below agree cell by cell. The summary rows
/// above them (clock, uptime, load, task and memory counts) are left out: each `top`
/// reads them at its own moment, and the two tops are themselves among the tasks counted.
#[test]
fn top_watching_one_process() {
    require("tmux", "tmux");
    let top = require("top", "procps");
    let mut idle = std::process::Command::new("sleep")
        .arg("600")
        .spawn()
        .unwrap();
    let pid = idle.id().to_string();
    let home = tempfile::tempdir().unwrap();
    // No toprc: the default layout in both.
    let env = [("HOME", home.path().to_str().unwrap()), ("LC_ALL", "C")];
    let p = Pair::start(&[&top, "-d", "3600", "-p", &pid], &env);
    let summary: Vec<u16> = (0..6).collect();
    p.expect_same_except("PID USER", "top's screen", &summary);
    let ours = p.pane.render();
    assert!(row(&ours, 0).starts_with("top - "), "{}", row(&ours, 0));
    assert!(
        buffer_lines(&ours)
            .iter()
            .any(|l| l.contains(&pid) && l.contains("sleep")),
        "the process row"
    );
    p.send("q");
    p.pane.wait_end();
    let _ = idle.kill();
    let _ = idle.wait();
}

use std::collections::HashSet;

use super::*;
use crate::ui::config::load_theme;

/// A theme with every slot unstyled, to see what a file sets by itself.
fn blank() -> Theme {
    let mut theme = Theme::builtin();
    for slot in Slot::ALL {
        theme.set(*slot, Style::new());
    }
    theme
}

/// The built-in default theme with `text` applied as the user's theme.toml.
fn user(text: &str) -> (Theme, Vec<Warning>) {
    let mut warnings = Vec::new();
    let file = ThemeFile::parse(text, "theme.toml", &mut warnings);
    let mut theme = Theme::builtin();
    file.apply(&mut theme, &mut warnings);
    (theme, warnings)
}

const ZONE_STATES: [Slot; 5] = [
    Slot::ZoneRunning,
    Slot::ZoneInstalled,
    Slot::ZoneConfigured,
    Slot::ZoneIncomplete,
    Slot::ZoneTransition,
];

#[test]
fn shipped_default_is_the_code_default() {
    let mut warnings = Vec::new();
    let file = ThemeFile::parse(
        builtin_source("default").unwrap(),
        "default.toml",
        &mut warnings,
    );
    assert_eq!(file.inherits, None);
    let mut theme = blank();
    file.apply(&mut theme, &mut warnings);
    assert_eq!(warnings, []);
    for slot in Slot::ALL {
        assert_eq!(
            theme.get(*slot),
            Theme::builtin().get(*slot),
            "{}",
            slot.name()
        );
    }
    assert_eq!(theme, Theme::builtin());
}

#[test]
fn every_shipped_theme_resolves_cleanly_with_distinct_zone_states() {
    for name in builtin_names() {
        let mut warnings = Vec::new();
        let theme = load_theme(name, None, &mut warnings).unwrap();
        assert_eq!(warnings, [], "{name}");
        assert_eq!(theme.name, name);
        let fgs: HashSet<_> = ZONE_STATES.iter().map(|s| theme.get(*s).fg).collect();
        assert_eq!(
            fgs.len(),
            ZONE_STATES.len(),
            "{name}: zone states share a colour"
        );
        assert!(
            !fgs.contains(&None),
            "{name}: a zone state without a colour"
        );
    }
    assert_eq!(
        load_theme("default", None, &mut Vec::new()),
        Some(Theme::builtin())
    );
}

#[test]
fn shipped_themes_other_than_default_set_every_slot() {
    // A slot left to `default` would show its dark-theme colours in a light or basic theme.
    for name in builtin_names().filter(|n| *n != "default") {
        let mut warnings = Vec::new();
        let file = ThemeFile::parse(builtin_source(name).unwrap(), name, &mut warnings);
        let slots: HashSet<_> = file.styles.iter().map(|e| e.slot).collect();
        for slot in Slot::ALL {
            assert!(
                slots.contains(slot),
                "{name} does not style {}",
                slot.name()
            );
        }
    }
}

#[test]
fn basic_uses_only_the_sixteen_ansi_colours() {
    let theme = load_theme("basic", None, &mut Vec::new()).unwrap();
    for slot in Slot::ALL {
        let style = theme.get(*slot);
        for colour in [style.fg, style.bg].into_iter().flatten() {
            let ok = match colour {
                Color::Rgb(..) => false,
                Color::Indexed(i) => i < 16,
                _ => true,
            };
            assert!(ok, "basic: {} uses {colour:?}", slot.name());
        }
    }
}

#[test]
fn high_contrast_selection_is_reversed_and_bold() {
    let theme = load_theme("high-contrast", None, &mut Vec::new()).unwrap();
    let sel = theme.get(Slot::Selection).add_modifier;
    assert!(sel.contains(Modifier::REVERSED | Modifier::BOLD));
}

#[test]
fn written_themes_read_back_the_same() {
    for name in builtin_names() {
        let theme = load_theme(name, None, &mut Vec::new()).unwrap();
        let text = styles_to_toml(&theme, "styles");
        let (mut back, mut warnings) = (blank(), Vec::new());
        ThemeFile::parse(&text, "x", &mut warnings).apply(&mut back, &mut warnings);
        back.name = theme.name.clone();
        assert_eq!(warnings, []);
        assert_eq!(back, theme, "{name}");
    }
}

#[test]
fn a_style_replaces_the_whole_slot() {
    let (theme, warnings) =
        user("[styles]\n\"ui.selection\" = \"red\"\n\"ui.text\" = { modifiers = [\"italic\"] }\n");
    assert_eq!(warnings, []);
    assert_eq!(theme.get(Slot::Selection), Style::new().fg(Color::Red));
    assert_eq!(
        theme.get(Slot::Text),
        Style::new().add_modifier(Modifier::ITALIC)
    );
    assert_eq!(theme.get(Slot::Border), Theme::builtin().get(Slot::Border));
}

#[test]
fn colour_spellings() {
    let (theme, warnings) = user(
        r##"
[palette]
red = "#010203"
brand = "#A0b0C0"
[styles]
"ui.text" = "red"
"ui.text.dim" = { fg = "brand", bg = "lightblue" }
"ui.border" = { fg = "208", bg = "reset" }
"ui.tab" = "#102030"
"##,
    );
    assert_eq!(warnings, []);
    // Palette names come before the ANSI names they shadow.
    assert_eq!(theme.get(Slot::Text).fg, Some(Color::Rgb(1, 2, 3)));
    assert_eq!(
        theme.get(Slot::TextDim),
        Style::new()
            .fg(Color::Rgb(0xa0, 0xb0, 0xc0))
            .bg(Color::LightBlue)
    );
    assert_eq!(
        theme.get(Slot::Border),
        Style::new().fg(Color::Indexed(208)).bg(Color::Reset)
    );
    assert_eq!(theme.get(Slot::Tab).fg, Some(Color::Rgb(0x10, 0x20, 0x30)));
}

#[test]
fn bad_colour_slot_and_modifier_warn_with_their_lines() {
    let (theme, warnings) = user(
        r##"[palette]
sea = "#12345"

[styles]
"zone.running" = "grene"
"ui.sidebar" = "red"
"ui.selection" = { bg = "red", modifiers = ["bold", "blink"] }
"ui.text" = { fg = "sea" }
"ui.border" = { fg = "red", colour = "blue" }
"ui.tab" = 3
"##,
    );
    let mut got: Vec<(Option<usize>, &str)> = warnings
        .iter()
        .map(|w| (w.line, w.message.as_str()))
        .collect();
    got.sort();
    assert_eq!(got.len(), 7, "{warnings:#?}");
    let expect = [
        (2, "\"#12345\""),
        (5, "\"grene\""),
        (6, "\"ui.sidebar\""),
        (7, "\"blink\""),
        (8, "\"sea\""),
        (9, "\"colour\""),
        (10, "integer"),
    ];
    for ((line, message), (want_line, needle)) in got.iter().zip(expect) {
        assert_eq!(*line, Some(want_line), "{message}");
        assert!(message.contains(needle), "line {want_line}: {message}");
    }
    assert!(warnings.iter().all(|w| w.file == "theme.toml"));
    // Every slot named in a bad entry keeps its inherited style.
    assert_eq!(theme, Theme::builtin());
}

#[test]
fn top_level_shape_is_checked() {
    let mut warnings = Vec::new();
    let file = ThemeFile::parse(
        "inherits = 1\nstyles = 2\npalette = 3\ncolours = {}\n",
        "t",
        &mut warnings,
    );
    let lines: Vec<_> = warnings.iter().map(|w| w.line).collect();
    assert_eq!(lines, [Some(1), Some(2), Some(3), Some(4)], "{warnings:#?}");
    assert_eq!(file.inherits, None);
}

#[test]
fn colour_names_parse_back() {
    for c in [
        Color::Reset,
        Color::DarkGray,
        Color::LightRed,
        Color::White,
        Color::Gray,
        Color::Indexed(17),
        Color::Rgb(0, 0xab, 0xff),
    ] {
        assert_eq!(Color::from_str(&colour_name(c)).ok(), Some(c), "{c:?}");
    }
}

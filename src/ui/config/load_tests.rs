use std::fs;

use ratatui::style::{Color, Style};

use super::*;
use crate::ui::config::{Action, Context, Key, Lookup, Slot};

fn dir_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    dir
}

fn builtin_theme(name: &str) -> Theme {
    load_theme(name, None, &mut Vec::new()).unwrap()
}

#[test]
fn no_files_give_the_builtin_settings() {
    let empty = tempfile::tempdir().unwrap();
    for dir in [None, Some(empty.path())] {
        let s = load(dir);
        assert_eq!(s.warnings, []);
        assert_eq!(s.config, Config::default());
        assert_eq!(s.theme, Theme::builtin());
        assert_eq!(s.keymap, Keymap::builtin());
    }
}

#[test]
fn config_toml_chooses_theme_keymap_and_settings() {
    let dir = dir_with(&[(
        "config.toml",
        "theme = \"light\"\nkeymap = \"arrows\"\nrefresh = 0.5\nmouse = true\nread_only = true\n",
    )]);
    let s = load(Some(dir.path()));
    assert_eq!(s.warnings, []);
    assert_eq!(s.config.theme, "light");
    assert_eq!(s.config.keymap, "arrows");
    assert_eq!(s.config.refresh, Duration::from_millis(500));
    assert!(s.config.mouse && s.config.read_only);
    assert_eq!(s.theme, builtin_theme("light"));
    assert_eq!(
        s.keymap,
        keymap_file::builtin("arrows", &mut Vec::new()).unwrap()
    );

    let off = dir_with(&[("config.toml", "refresh = 0\n")]);
    assert_eq!(load(Some(off.path())).config.refresh, Duration::ZERO);
}

#[test]
fn bad_config_values_warn_with_their_lines_and_keep_the_defaults() {
    let dir = dir_with(&[(
        "config.toml",
        "theme = \"solarized\"\nkeymap = \"emacs\"\nrefresh = \"fast\"\nmouse = 1\nread_only = \"yes\"\ncolour = true\nrefresh_ms = -1\n",
    )]);
    let s = load(Some(dir.path()));
    let lines: Vec<_> = s.warnings.iter().map(|w| w.line).collect();
    assert_eq!(
        lines,
        (1..=7).map(Some).collect::<Vec<_>>(),
        "{:#?}",
        s.warnings
    );
    assert!(s.warnings.iter().all(|w| w.file.ends_with("config.toml")));
    assert!(s.warnings[0].message.contains("\"solarized\""));
    assert!(s.warnings[1].message.contains("\"emacs\""));
    assert!(s.warnings[2].message.contains("default stays in force"));
    assert!(s.warnings[5].message.contains("\"colour\""));
    assert_eq!(s.config, Config::default());
    assert_eq!(s.theme, Theme::builtin());
    assert_eq!(s.keymap, Keymap::builtin());

    for bad in [
        "refresh = -1.0",
        "refresh = inf",
        "refresh = nan",
        "refresh = 1e300",
    ] {
        let dir = dir_with(&[("config.toml", bad)]);
        let s = load(Some(dir.path()));
        assert_eq!(s.warnings.len(), 1, "{bad}");
        assert_eq!(s.config.refresh, Config::default().refresh, "{bad}");
    }
}

#[test]
fn console_scrollback_is_set_or_warned_about() {
    let dir = dir_with(&[("config.toml", "[console]\nscrollback = 500\n")]);
    let s = load(Some(dir.path()));
    assert_eq!(s.warnings, []);
    assert_eq!(s.config.scrollback, 500);
    let dir = dir_with(&[("config.toml", "[console]\nscrollback = -3\nhistory = 4\n")]);
    let s = load(Some(dir.path()));
    let texts: Vec<(Option<usize>, &str)> = s
        .warnings
        .iter()
        .map(|w| (w.line, w.message.as_str()))
        .collect();
    assert_eq!(texts.len(), 2, "{texts:?}");
    assert_eq!(texts[0].0, Some(2));
    assert!(
        texts[0]
            .1
            .contains("console.scrollback must be a whole number")
    );
    assert!(texts[1].1.contains("unknown key \"history\" in [console]"));
    assert_eq!(s.config.scrollback, crate::ui::config::DEFAULT_SCROLLBACK);
}

#[test]
fn keymap_toml_applies_over_the_chosen_keymap() {
    let dir = dir_with(&[
        ("config.toml", "keymap = \"arrows\"\n"),
        (
            "keymap.toml",
            "[global]\nprepend_keymap = [\n  { on = \"<F4>\", run = \"quit\" },\n  { on = \"<F3>\", run = \"nope\" },\n]\n",
        ),
    ]);
    let s = load(Some(dir.path()));
    assert_eq!(s.warnings.len(), 1, "{:?}", s.warnings);
    assert!(s.warnings[0].file.ends_with("keymap.toml"));
    assert_eq!(s.warnings[0].line, Some(4));
    let f4 = Key::parse("<F4>").unwrap();
    assert_eq!(
        s.keymap.lookup(&[Context::List, Context::Global], &[f4]),
        Lookup::Actions(vec![Action::SortNext, Action::Quit])
    );
    let f10 = Key::parse("<F10>").unwrap();
    assert_eq!(
        s.keymap.lookup(&[Context::Global], &[f10]),
        Lookup::Actions(vec![Action::Quit])
    );
}

#[test]
fn theme_toml_applies_over_the_configured_theme() {
    let dir = dir_with(&[
        ("config.toml", "theme = \"light\"\n"),
        (
            "theme.toml",
            "[styles]\n\"zone.running\" = \"lightgreen\"\n",
        ),
    ]);
    let s = load(Some(dir.path()));
    assert_eq!(s.warnings, []);
    let light = builtin_theme("light");
    assert_eq!(s.theme.name, "light");
    assert_eq!(
        s.theme.get(Slot::ZoneRunning),
        Style::new().fg(Color::LightGreen)
    );
    assert_eq!(s.theme.get(Slot::Text), light.get(Slot::Text));
}

#[test]
fn theme_toml_inherits_replaces_the_configured_base() {
    let dir = dir_with(&[
        ("config.toml", "theme = \"light\"\n"),
        (
            "theme.toml",
            "inherits = \"basic\"\n[styles]\n\"ui.text\" = \"yellow\"\n",
        ),
    ]);
    let s = load(Some(dir.path()));
    assert_eq!(s.warnings, []);
    let basic = builtin_theme("basic");
    assert_eq!(s.theme.name, "basic");
    assert_eq!(s.theme.get(Slot::Text).fg, Some(Color::Yellow));
    assert_eq!(s.theme.get(Slot::Header), basic.get(Slot::Header));
}

#[test]
fn user_themes_inherit_in_a_chain() {
    let dir = dir_with(&[
        ("config.toml", "theme = \"mine\"\n"),
        (
            "themes/base.toml",
            "inherits = \"high-contrast\"\n[palette]\nbrand = \"#123456\"\n[styles]\n\"ui.border\" = \"brand\"\n",
        ),
        (
            "themes/mine.toml",
            "inherits = \"base\"\n[styles]\n\"ui.text\" = { bg = \"#654321\" }\n",
        ),
        ("themes/notes.txt", "not a theme"),
    ]);
    let s = load(Some(dir.path()));
    assert_eq!(s.warnings, []);
    let brand = Color::Rgb(0x12, 0x34, 0x56);
    assert_eq!(s.theme.name, "mine");
    assert_eq!(s.theme.get(Slot::Border), Style::new().fg(brand));
    assert_eq!(
        s.theme.get(Slot::Text),
        Style::new().bg(Color::Rgb(0x65, 0x43, 0x21))
    );
    let hc = builtin_theme("high-contrast");
    assert_eq!(s.theme.get(Slot::Selection), hc.get(Slot::Selection));
    assert_eq!(
        theme_names(Some(dir.path())),
        ["default", "light", "high-contrast", "basic", "base", "mine"]
    );
    // Without inherits a user theme starts from the default theme.
    let plain = dir_with(&[("themes/plain.toml", "[styles]\n\"ui.text\" = \"red\"\n")]);
    let theme = load_theme("plain", Some(plain.path()), &mut Vec::new()).unwrap();
    assert_eq!(theme.get(Slot::Border), Theme::builtin().get(Slot::Border));
    assert_eq!(theme.get(Slot::Text), Style::new().fg(Color::Red));
}

#[test]
fn inherits_cycles_and_unknown_parents_fall_back_to_default() {
    let dir = dir_with(&[
        (
            "themes/a.toml",
            "inherits = \"b\"\n[styles]\n\"ui.text\" = \"red\"\n",
        ),
        ("themes/b.toml", "# b\ninherits = \"a\"\n"),
        ("themes/orphan.toml", "inherits = \"nord\"\n"),
    ]);
    let mut warnings = Vec::new();
    let a = load_theme("a", Some(dir.path()), &mut warnings).unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].file.ends_with("b.toml"));
    assert_eq!(warnings[0].line, Some(2));
    assert!(
        warnings[0].message.contains("inherits from itself"),
        "{}",
        warnings[0]
    );
    assert_eq!(a.get(Slot::Text), Style::new().fg(Color::Red));
    assert_eq!(a.get(Slot::Border), Theme::builtin().get(Slot::Border));

    let mut warnings = Vec::new();
    let orphan = load_theme("orphan", Some(dir.path()), &mut warnings).unwrap();
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].line, Some(1));
    assert!(warnings[0].message.contains("unknown theme \"nord\""));
    assert_eq!(orphan.get(Slot::Text), Theme::builtin().get(Slot::Text));

    assert_eq!(load_theme("nord", Some(dir.path()), &mut Vec::new()), None);
    assert_eq!(load_theme("../a", Some(dir.path()), &mut Vec::new()), None);

    let bad = dir_with(&[("theme.toml", "inherits = \"nord\"\n")]);
    let s = load(Some(bad.path()));
    assert_eq!(s.warnings.len(), 1);
    assert!(s.warnings[0].file.ends_with("theme.toml"));
    assert_eq!(s.theme, Theme::builtin());
}

#[test]
fn a_user_theme_may_shadow_and_extend_the_builtin_of_its_name() {
    let dir = dir_with(&[(
        "themes/light.toml",
        "inherits = \"light\"\n[styles]\n\"ui.border\" = \"red\"\n",
    )]);
    let mut warnings = Vec::new();
    let theme = load_theme("light", Some(dir.path()), &mut warnings).unwrap();
    assert_eq!(warnings, []);
    let light = builtin_theme("light");
    assert_eq!(theme.get(Slot::Border), Style::new().fg(Color::Red));
    assert_eq!(theme.get(Slot::Text), light.get(Slot::Text));
    assert_eq!(
        theme_names(Some(dir.path())),
        ["default", "light", "high-contrast", "basic"]
    );
}

#[test]
fn unparseable_and_unreadable_files_are_ignored_with_one_warning() {
    let dir = dir_with(&[
        ("config.toml", "refresh = 5\nmouse = tru\n"),
        ("theme.toml", "[styles\n"),
    ]);
    fs::create_dir(dir.path().join("keymap.toml")).unwrap();
    let s = load(Some(dir.path()));
    assert_eq!(s.warnings.len(), 3, "{:#?}", s.warnings);
    let config = s
        .warnings
        .iter()
        .find(|w| w.file.ends_with("config.toml"))
        .unwrap();
    assert_eq!(config.line, Some(2));
    let theme = s
        .warnings
        .iter()
        .find(|w| w.file.ends_with("theme.toml"))
        .unwrap();
    assert_eq!(theme.line, Some(1));
    let keymap = s
        .warnings
        .iter()
        .find(|w| w.file.ends_with("keymap.toml"))
        .unwrap();
    assert_eq!(keymap.line, None);
    // The whole unparseable config.toml is ignored, including its valid refresh.
    assert_eq!(s.config, Config::default());
    assert_eq!(s.theme, Theme::builtin());
    assert_eq!(s.keymap, Keymap::builtin());
}

#[test]
fn effective_toml_is_valid_and_complete() {
    let dir = dir_with(&[
        (
            "config.toml",
            "theme = \"basic\"\nkeymap = \"arrows\"\nrefresh = 1.5\nmouse = true\n",
        ),
        (
            "keymap.toml",
            "[console]\nappend_keymap = [{ on = \"<C-\\\\>\", run = \"detach\", desc = \"Say \\\"bye\\\"\" }]\n",
        ),
    ]);
    let s = load(Some(dir.path()));
    assert_eq!(s.warnings, []);
    let text = effective_toml(&s);
    let doc: toml::Table = toml::from_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(doc["refresh"].as_float(), Some(1.5));
    assert_eq!(doc["mouse"].as_bool(), Some(true));
    assert_eq!(doc["read_only"].as_bool(), Some(false));
    assert_eq!(doc["theme"]["name"].as_str(), Some("basic"));
    assert_eq!(
        doc["theme"]["styles"].as_table().unwrap().len(),
        Slot::ALL.len()
    );
    assert_eq!(
        doc["theme"]["styles"]["zone.running"]["fg"].as_str(),
        Some("green")
    );
    assert_eq!(doc["keymap"]["name"].as_str(), Some("arrows"));
    for context in Context::ALL {
        let section = doc["keymap"][context.name()]["keymap"].as_array().unwrap();
        assert_eq!(
            section.len(),
            s.keymap.section(context).len(),
            "{context:?}"
        );
    }
    let last = doc["keymap"]["console"]["keymap"]
        .as_array()
        .unwrap()
        .last()
        .unwrap();
    assert_eq!(last["desc"].as_str(), Some("Say \"bye\""));
    assert_eq!(last["on"][0].as_str(), Some("<C-\\>"));

    // The default settings print as well, refresh as a float.
    let text = effective_toml(&Settings::builtin());
    let doc: toml::Table = toml::from_str(&text).unwrap();
    assert_eq!(doc["refresh"].as_float(), Some(2.0));
    assert_eq!(
        doc["theme"]["styles"]["ui.background"]["bg"].as_str(),
        Some("#1d222b")
    );
}

#[test]
fn config_dir_is_named_after_zcon() {
    if let Some(dir) = config_dir() {
        assert!(dir.ends_with("zcon"), "{}", dir.display());
    }
}

#[test]
fn a_palette_serves_only_its_own_file() {
    let dir = dir_with(&[
        (
            "themes/base.toml",
            "[palette]\nbrand = \"#123456\"\nred = \"#ff0000\"\n",
        ),
        (
            "themes/child.toml",
            "inherits = \"base\"\n[styles]\n\"ui.text\" = \"brand\"\n\"ui.border\" = \"red\"\n",
        ),
    ]);
    let mut warnings = Vec::new();
    let child = load_theme("child", Some(dir.path()), &mut warnings).unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].line, Some(3));
    assert!(warnings[0].message.contains("\"brand\""));
    assert_eq!(child.get(Slot::Text), Theme::builtin().get(Slot::Text));
    // `red` is the ANSI colour, not the parent's palette entry.
    assert_eq!(child.get(Slot::Border), Style::new().fg(Color::Red));
}

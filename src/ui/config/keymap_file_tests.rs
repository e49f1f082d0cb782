use ratatui::crossterm::event::{KeyCode, KeyModifiers};

use super::*;
use crate::ui::config::Lookup;

fn shipped(name: &str) -> &'static str {
    BUILTIN.iter().find(|(n, _)| *n == name).unwrap().1
}

/// The built-in default keymap with `text` applied as the user's keymap.toml.
fn user(text: &str) -> (Keymap, Vec<Warning>) {
    let mut map = Keymap::builtin();
    let mut warnings = Vec::new();
    apply(text, "keymap.toml", &mut map, &mut warnings);
    (map, warnings)
}

fn key(s: &str) -> Key {
    Key::parse(s).unwrap()
}

const LIST: [Context; 2] = [Context::List, Context::Global];

#[test]
fn shipped_default_is_the_code_default() {
    let mut map = Keymap::empty();
    let mut warnings = Vec::new();
    apply(shipped("default"), "default.toml", &mut map, &mut warnings);
    assert_eq!(warnings, []);
    for context in Context::ALL {
        assert_eq!(
            map.section(context),
            Keymap::builtin().section(context),
            "{context:?}"
        );
    }
    assert_eq!(map, Keymap::builtin());
}

#[test]
fn every_shipped_keymap_loads_without_warnings() {
    for name in builtin_names() {
        let mut warnings = Vec::new();
        let map = builtin(name, &mut warnings).unwrap();
        assert_eq!(warnings, [], "{name}");
        assert!(!map.section(Context::Global).is_empty(), "{name}");
    }
    assert!(builtin("emacs", &mut Vec::new()).is_none());
}

#[test]
fn arrows_binds_every_default_action_without_printable_keys() {
    let mut warnings = Vec::new();
    let arrows = builtin("arrows", &mut warnings).unwrap();
    let default = Keymap::builtin();
    for context in Context::ALL {
        for b in default.section(context) {
            assert!(
                arrows.section(context).iter().any(|a| a.run == b.run),
                "arrows.toml does not bind {} in [{}]",
                b.run.name(),
                context.name()
            );
        }
        for b in arrows.section(context) {
            for k in &b.on {
                let printable =
                    matches!(k.code, KeyCode::Char(_)) && !k.mods.contains(KeyModifiers::CONTROL);
                assert!(!printable, "arrows.toml binds {k} in [{}]", context.name());
            }
        }
    }
}

#[test]
fn written_keymaps_read_back_the_same() {
    for name in builtin_names() {
        let map = builtin(name, &mut Vec::new()).unwrap();
        let mut back = Keymap::empty();
        let mut warnings = Vec::new();
        apply(&to_toml(&map, ""), "x", &mut back, &mut warnings);
        assert_eq!(warnings, []);
        assert_eq!(back, map, "{name}");
    }
}

#[test]
fn prepended_binding_wins_and_the_default_follows() {
    let (map, warnings) = user(
        r#"
[list]
prepend_keymap = [
  { on = "j", run = "bottom", desc = "Jump to the end" },
]
"#,
    );
    assert_eq!(warnings, []);
    let list = map.section(Context::List);
    assert_eq!(
        list[0],
        Binding::new(&[key("j")], Action::Bottom, "Jump to the end")
    );
    assert_eq!(
        list.len(),
        Keymap::builtin().section(Context::List).len() + 1
    );
    assert_eq!(
        map.lookup(&LIST, &[key("j")]),
        Lookup::Actions(vec![Action::Bottom, Action::Down])
    );
}

#[test]
fn appended_binding_comes_last() {
    let (map, warnings) = user(
        r#"
[dialog]
append_keymap = [{ on = ["y"], run = "confirm" }]
"#,
    );
    assert_eq!(warnings, []);
    let dialog = map.section(Context::Dialog);
    assert_eq!(dialog.last().unwrap().on, [key("y")]);
    assert_eq!(
        dialog.last().unwrap().desc,
        "confirm",
        "desc defaults to the action"
    );
    assert_eq!(
        &dialog[..dialog.len() - 1],
        Keymap::builtin().section(Context::Dialog)
    );
}

#[test]
fn keymap_replaces_only_its_section() {
    let (map, warnings) = user(
        r#"
[filter]
keymap = [
  { on = "<C-a>", run = "accept", desc = "Keep" },
]
"#,
    );
    assert_eq!(warnings, []);
    assert_eq!(
        map.section(Context::Filter),
        [Binding::new(&[Key::ctrl('a')], Action::Accept, "Keep")]
    );
    assert_eq!(
        map.section(Context::List),
        Keymap::builtin().section(Context::List)
    );
}

#[test]
fn chords_from_a_user_file() {
    let (map, warnings) = user(
        r#"
[list]
prepend_keymap = [
  { on = ["g", "z"], run = "pane_zones", desc = "Zones" },
  { on = ["<Space>", "<C-x>", "<F5>"], run = "refresh", desc = "Three keys" },
]
"#,
    );
    assert_eq!(warnings, []);
    assert_eq!(map.lookup(&LIST, &[key("g")]), Lookup::Pending);
    assert_eq!(
        map.lookup(&LIST, &[key("g"), key("z")]),
        Lookup::Actions(vec![Action::PaneZones])
    );
    assert_eq!(
        map.lookup(&LIST, &[key("g"), key("g")]),
        Lookup::Actions(vec![Action::Top])
    );
    let three = [key("<Space>"), key("<C-x>"), key("<F5>")];
    assert_eq!(map.lookup(&LIST, &three[..2]), Lookup::Pending);
    assert_eq!(
        map.lookup(&LIST, &three),
        Lookup::Actions(vec![Action::Refresh])
    );
}

#[test]
fn unknown_action_warns_with_its_line_and_the_default_stays() {
    let (map, warnings) = user(
        r#"[global]
prepend_keymap = [
  { on = "z", run = "refresh" },
  { on = "q", run = "qiut" },
]
"#,
    );
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    let w = &warnings[0];
    assert_eq!((w.file.as_str(), w.line), ("keymap.toml", Some(4)));
    assert!(w.message.contains("\"qiut\""), "{w}");
    assert!(w.message.contains("default stays in force"), "{w}");
    assert_eq!(
        map.lookup(&LIST, &[key("q")]),
        Lookup::Actions(vec![Action::Quit])
    );
    assert_eq!(
        map.lookup(&LIST, &[key("z")]),
        Lookup::Actions(vec![Action::Refresh])
    );
}

#[test]
fn a_bad_entry_in_a_replaced_section_keeps_its_keys_bindings() {
    let (map, warnings) = user(
        r#"[filter]
keymap = [
  { on = "<Enter>", run = "acept" },
  { on = "<C-g>", run = "clear" },
]
"#,
    );
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].line, Some(3));
    let enter = key("<Enter>");
    assert_eq!(
        map.lookup(&[Context::Filter], &[enter]),
        Lookup::Actions(vec![Action::Accept])
    );
    assert_eq!(
        map.lookup(&[Context::Filter], &[key("<C-g>")]),
        Lookup::Actions(vec![Action::Clear])
    );
    assert_eq!(
        map.lookup(&[Context::Filter], &[key("<Esc>")]),
        Lookup::None
    );
}

#[test]
fn unparseable_key_warns_and_skips_the_entry() {
    let (map, warnings) = user(
        "[list]\nprepend_keymap = [\n  { on = [\"g\", \"<Hyper-x>\"], run = \"top\" },\n  { on = \"\", run = \"top\" },\n  { on = [], run = \"top\" },\n]\n",
    );
    let lines: Vec<_> = warnings.iter().map(|w| w.line).collect();
    assert_eq!(lines, [Some(3), Some(4), Some(5)], "{warnings:?}");
    assert!(warnings[0].message.contains("<Hyper-x>"), "{}", warnings[0]);
    assert_eq!(map, Keymap::builtin());
}

#[test]
fn unknown_section_and_keys_warn_with_their_lines() {
    let (map, warnings) = user(
        r#"[global]
prepend_keymap = [{ on = "x", run = "quit", dsec = "typo" }]
replace = []

[zones]
keymap = [{ on = "x", run = "quit" }]
"#,
    );
    let got: Vec<_> = warnings
        .iter()
        .map(|w| (w.line, w.message.as_str()))
        .collect();
    assert_eq!(got.len(), 3, "{warnings:?}");
    assert_eq!(got[0].0, Some(2));
    assert!(got[0].1.contains("\"dsec\""));
    assert_eq!(got[1].0, Some(3));
    assert!(got[1].1.contains("\"replace\""));
    assert_eq!(got[2].0, Some(5));
    assert!(got[2].1.contains("[zones]"));
    // The binding with the unknown field still applies.
    assert_eq!(map.section(Context::Global)[0].run, Action::Quit);
    assert_eq!(map.section(Context::Global)[0].on, [key("x")]);
}

#[test]
fn wrong_types_warn() {
    let (map, warnings) = user(
        "global = 1\n[list]\nkeymap = \"j\"\nprepend_keymap = [\"j\", { on = 1, run = \"top\" }, { on = \"j\", run = [\"top\"] }]\n",
    );
    assert_eq!(warnings.len(), 5, "{warnings:?}");
    assert_eq!(warnings[0].line, Some(1));
    assert_eq!(warnings[1].line, Some(3));
    assert!(warnings[2..].iter().all(|w| w.line == Some(4)));
    assert_eq!(map, Keymap::builtin());
}

#[test]
fn a_file_that_is_not_toml_changes_nothing() {
    let (map, warnings) = user("[list]\nkeymap = [\n  { on = \"j\", run = \"down\" \n]\n");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].file, "keymap.toml");
    assert!(warnings[0].line.is_some());
    assert_eq!(map, Keymap::builtin());
}

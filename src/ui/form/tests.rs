use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn type_in(form: &mut Form, text: &str) {
    for c in text.chars() {
        form.input(&key(KeyCode::Char(c)));
    }
}

fn sample() -> Form {
    Form::new(vec![
        Field::heading("title", "Basics"),
        Field::text("name", "Name", ""),
        Field::choice(
            "brand",
            "Brand",
            vec![
                Opt::new("bhyve").note("default"),
                Opt::new("ipkg"),
                Opt::new("lx"),
            ],
        ),
        Field::toggle("autoboot", "Autoboot", false),
        Field::secret("password", "Password", ""),
    ])
}

#[test]
fn focus_skips_headings_and_hidden_fields_and_wraps() {
    let mut form = sample();
    assert_eq!(form.focused_key(), Some("name"));
    form.set_hidden("brand", true);
    assert!(form.move_focus(true));
    assert_eq!(form.focused_key(), Some("autoboot"));
    form.move_focus(true);
    form.move_focus(true);
    assert_eq!(form.focused_key(), Some("name"), "wraps past the heading");
    form.move_focus(false);
    assert_eq!(form.focused_key(), Some("password"));
    // A field hidden under the focus gives it to the next one.
    form.set_hidden("password", true);
    form.fix_focus();
    assert_eq!(form.focused_key(), Some("autoboot"));
}

#[test]
fn typing_edits_the_text_and_marks_it_touched() {
    let mut form = sample();
    type_in(&mut form, "web1");
    form.input(&key(KeyCode::Backspace));
    type_in(&mut form, "01");
    assert_eq!(form.text("name"), "web01");
    assert!(form.get("name").unwrap().touched);
    // Enter never breaks the line of a one-line input.
    assert!(!form.input(&key(KeyCode::Enter)));
    assert_eq!(form.text("name"), "web01");
    // A pasted line break is kept for the validator to refuse.
    form.paste("\nx");
    assert_eq!(form.text("name"), "web01\nx");
    assert_eq!(
        match &form.get("name").unwrap().widget {
            Widget::Text(t) => t.display(),
            _ => unreachable!(),
        },
        "web01⏎x"
    );
}

#[test]
fn a_secret_is_kept_but_never_displayed() {
    let mut form = sample();
    form.focus_key("password");
    type_in(&mut form, "s3cr3t");
    assert_eq!(form.text("password"), "s3cr3t");
    let Widget::Text(t) = &form.get("password").unwrap().widget else {
        unreachable!()
    };
    assert!(t.is_secret());
    assert_eq!(t.display(), "••••••");
}

#[test]
fn choices_step_wrap_and_search() {
    let mut form = sample();
    form.focus_key("brand");
    assert_eq!(form.choice("brand"), "bhyve");
    assert!(form.choose(true));
    assert_eq!(form.choice("brand"), "ipkg");
    form.choose(false);
    form.choose(false);
    assert_eq!(form.choice("brand"), "lx", "wraps to the last");
    // Typing searches the labels.
    type_in(&mut form, "ip");
    assert_eq!(form.choice("brand"), "ipkg");
    form.input(&key(KeyCode::Backspace));
    form.input(&key(KeyCode::Backspace));
    type_in(&mut form, "x");
    assert_eq!(
        form.choice("brand"),
        "lx",
        "contains, when nothing starts with it"
    );
    // A value the list does not offer is added as configured.
    form.set_choice("brand", "pkgsrc");
    assert_eq!(form.choice("brand"), "pkgsrc");
    assert_eq!(
        form.choice_mut("brand")
            .unwrap()
            .selected_opt()
            .unwrap()
            .note,
        "as configured"
    );
}

#[test]
fn toggles_flip_with_space_or_a_step() {
    let mut form = sample();
    form.focus_key("autoboot");
    assert!(form.flip());
    assert!(form.toggle("autoboot"));
    assert!(form.choose(false));
    assert!(!form.toggle("autoboot"));
    form.focus_key("name");
    assert!(!form.flip(), "Space flips only a toggle");
}

#[test]
fn list_items_are_added_before_the_button_and_renumbered_on_removal() {
    let mut form = Form::new(vec![
        Field::text("top", "Top", ""),
        Field::button("nics.add", "Add a NIC"),
        Field::toggle("after", "After", false),
    ]);
    let item = || {
        vec![
            Field::text("physical", "Name", ""),
            Field::text("mac", "MAC", ""),
        ]
    };
    for _ in 0..3 {
        form.add_item("nics", "NIC", item());
    }
    assert_eq!(form.item_count("nics"), 3);
    assert_eq!(form.focused_key(), Some("nics.2.physical"));
    form.set_text("nics.2.physical", "third0");
    form.set_text("nics.1.physical", "second0");
    let keys: Vec<&str> = form.fields.iter().map(|f| f.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "top",
            "nics.0",
            "nics.0.physical",
            "nics.0.mac",
            "nics.1",
            "nics.1.physical",
            "nics.1.mac",
            "nics.2",
            "nics.2.physical",
            "nics.2.mac",
            "nics.add",
            "after"
        ]
    );
    // Removing the first keeps the focus on the third (now second) NIC's field.
    form.remove_item("nics", "NIC", 0);
    assert_eq!(form.item_count("nics"), 2);
    assert_eq!(form.focused_key(), Some("nics.1.physical"));
    assert_eq!(form.text("nics.1.physical"), "third0");
    assert_eq!(form.text("nics.0.physical"), "second0");
    assert_eq!(form.get("nics.1").unwrap().label, "NIC 2");
    // Removing the focused item moves the focus to what took its place.
    form.remove_item("nics", "NIC", 1);
    assert_eq!(form.focused_key(), Some("nics.add"));
    assert_eq!(form.focused_item("nics"), None);
    form.focus_key("nics.0.mac");
    assert_eq!(form.focused_item("nics"), Some(0));
}

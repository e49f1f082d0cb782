//! Hostile input in every text field: `;`, `$(reboot)`, a newline, quotes and backticks are
//! refused at the field with a message, or reach the plan as data: one literal argv element,
//! or a quoted zonecfg value that reads back as exactly what was typed.

use std::sync::Arc;

use super::tests::{host, new_wizard, pick, set};
use super::*;
use crate::ops::Action as PlanAction;
use crate::ops::spec::create_plan;
use crate::sys::zonecfg::script;
use crate::ui::config::Action;
use crate::ui::form::Widget;

const HOSTILE: [&str; 8] = [
    ";",
    "$(reboot)",
    "a\nb",
    "'q'",
    "\"q\"",
    "`reboot`",
    "x; reboot",
    "a b",
];

/// A bhyve wizard with every bhyve step in use, and a native one with a filesystem; lx so
/// that its image field shows too.
fn wizards(inv: &Arc<Inventory>, root: &tempfile::TempDir) -> Vec<Wizard> {
    let mut bhyve = new_wizard(inv, root);
    set(&mut bhyve, Step::Basics, "name", "vm1");
    for step in [Step::Disks, Step::Network, Step::Cdroms] {
        bhyve.step = step;
        bhyve.action(Action::AddItem);
    }
    pick(&mut bhyve, Step::Cdroms, "cdroms.0.iso", steps::OTHER_PATH);
    set(
        &mut bhyve,
        Step::Cdroms,
        "cdroms.0.path",
        "/data/iso/omnios.iso",
    );
    pick(&mut bhyve, Step::CloudInit, "ci.enabled", "on");
    let mut native = new_wizard(inv, root);
    pick(&mut native, Step::Basics, "brand", "lx");
    set(&mut native, Step::Basics, "name", "lx1");
    std::fs::write(root.path().join("data/ubuntu.tar.gz"), b"").unwrap();
    set(&mut native, Step::Resources, "image", "/data/ubuntu.tar.gz");
    for step in [Step::Network, Step::Filesystems] {
        native.step = step;
        native.action(Action::AddItem);
    }
    set(&mut native, Step::Filesystems, "fs.0.dir", "/export");
    set(
        &mut native,
        Step::Filesystems,
        "fs.0.special",
        "/data/export",
    );
    vec![bhyve, native]
}

/// Every shown text field of every step the wizard's brand has.
fn text_fields(w: &Wizard) -> Vec<(Step, String)> {
    w.steps()
        .into_iter()
        .flat_map(|step| {
            w.form(step)
                .fields
                .iter()
                .filter(|f| !f.hidden && !f.read_only && matches!(f.widget, Widget::Text(_)))
                .map(move |f| (step, f.key.clone()))
        })
        .collect()
}

/// The value went through: the plan carries it as data. Every zonecfg script reads back
/// into exactly the configuration the spec describes, and a value that reaches a
/// command's argv is inside one element.
fn assert_carried(w: &Wizard, field: &str, value: &str) {
    let spec = w.spec();
    let exists = |name: &str| w.inv.datasets.iter().any(|d| d.name == name);
    let plan = create_plan(&spec, &exists)
        .unwrap_or_else(|e| panic!("{field}={value:?} was accepted, but no plan: {e}"));
    let mut cfg = crate::sys::zonecfg::ZoneConfig::blank(&spec.name);
    let mut in_script = false;
    let mut in_argv = false;
    for step in &plan.steps {
        let PlanAction::Run { command, stdin, .. } = &step.action else {
            continue;
        };
        let argv = command.argv();
        in_argv |= argv.iter().any(|a| a.contains(value));
        if let Some(text) = stdin {
            in_script |= text.contains(value);
            let stmts = script::parse(text)
                .unwrap_or_else(|e| panic!("{field}={value:?}: the script does not parse: {e}"));
            script::apply(&mut cfg, &stmts)
                .unwrap_or_else(|e| panic!("{field}={value:?}: zonecfg refuses: {e}"));
        }
    }
    assert_eq!(
        cfg,
        spec.config(),
        "{field}={value:?} changed the configuration"
    );
    assert!(
        in_script || in_argv,
        "{field}={value:?} was accepted but is nowhere in the plan"
    );
}

#[test]
fn hostile_text_is_refused_at_the_field_or_carried_as_data() {
    let (root, inv) = host();
    let mut refused = 0;
    let mut carried = 0;
    for base in wizards(&inv, &root) {
        for (step, key) in text_fields(&base) {
            let valid = base.form(step).text(&key);
            for hostile in HOSTILE {
                for value in [hostile.to_string(), format!("{valid}{hostile}")] {
                    let mut w = base.clone();
                    set(&mut w, step, &key, &value);
                    let field = w.form(step).get(&key).unwrap();
                    if field.hidden {
                        continue;
                    }
                    match &field.error {
                        Some(message) => {
                            assert!(!message.is_empty(), "{key}={value:?}");
                            refused += 1;
                        }
                        None => {
                            assert_carried(&w, &key, &value);
                            carried += 1;
                        }
                    }
                }
            }
        }
    }
    // Both outcomes happen: most fields refuse, free text (a path, a password) is carried.
    assert!(
        refused > 100 && carried > 5,
        "{refused} refused, {carried} carried"
    );
}

#[test]
fn a_hostile_file_name_is_one_argv_element() {
    let (root, inv) = host();
    let name = "/data/img$(reboot); `id` 'x'.tar.gz";
    std::fs::write(root.path().join(name.trim_start_matches('/')), b"").unwrap();
    let mut w = new_wizard(&inv, &root);
    pick(&mut w, Step::Basics, "brand", "lx");
    set(&mut w, Step::Basics, "name", "lx1");
    set(&mut w, Step::Resources, "image", name);
    assert_eq!(w.form(Step::Resources).get("image").unwrap().error, None);
    let spec = w.spec();
    let plan = create_plan(&spec, &|_: &str| true).unwrap();
    let install = plan
        .steps
        .iter()
        .flat_map(|s| s.action.commands())
        .find(|c| c.argv().iter().any(|a| a == "install"))
        .unwrap();
    let argv = install.argv();
    let at = argv.iter().position(|a| a == "-s").unwrap();
    assert_eq!(argv[at + 1], name);
    assert_eq!(argv.len(), at + 2);
}

//! Cloning and deleting zones from the console. Delete lists what goes and what stays, and
//! asks for the zone's name to be typed; clone asks for the new name.

use std::collections::BTreeMap;

use super::tasks::{Confirm, Prompt, PromptFor, Then};
use super::{App, Effect, Level, Mode};
use crate::ops::{clone, delete};
use crate::ui::input::LineInput;

impl App {
    fn zone_named(&self, name: Option<&str>) -> Option<String> {
        let zone = match name {
            Some(n) => self.inventory.zone(n),
            None => self.focused_zone(),
        };
        zone.map(|z| z.name.clone())
    }

    /// `C`: ask for the new zone's name.
    pub fn clone_prompt(&mut self, name: Option<&str>) {
        let Some(source) = self.zone_named(name) else {
            self.notify(Level::Warning, "select a zone first");
            return;
        };
        if self.refuse_read_only(&format!("clone {source}")) {
            return;
        }
        let zone = self.inventory.zone(&source).expect("just found");
        // Refuse early what zoneadm would refuse (a running source) before asking anything.
        if let Err(reason) = clone::check_source(zone) {
            self.notify(Level::Warning, format!("cannot clone: {reason}"));
            return;
        }
        self.mode = Mode::Prompt(Prompt {
            title: format!("clone {source} as: "),
            input: LineInput::default(),
            zone: source,
            purpose: PromptFor::CloneName,
        });
    }

    pub(super) fn clone_accept(&mut self, prompt: Prompt) {
        let new = prompt.input.text().trim().to_string();
        if new.is_empty() {
            return;
        }
        let Some(zone) = self.inventory.zone(&prompt.zone) else {
            self.notify(
                Level::Warning,
                format!("{} is gone from the host", prompt.zone),
            );
            return;
        };
        let names: Vec<&str> = self
            .inventory
            .zones
            .iter()
            .map(|z| z.name.as_str())
            .collect();
        match clone::clone_plan(zone, &new, &names) {
            Ok(cloning) => {
                let mut lines = vec![
                    format!("A new zone {new} from {}:", prompt.zone),
                    String::new(),
                ];
                lines.extend(cloning.notes.iter().map(|n| format!("  {n}")));
                lines.push(String::new());
                lines.extend(cloning.plan.describe());
                self.mode = Mode::Confirm(Confirm {
                    title: format!("clone {} as {new}?", prompt.zone),
                    lines,
                    run_label: "clone".into(),
                    on_run: true,
                    then: Then::Submit(cloning.plan),
                });
            }
            Err(reason) => {
                // Keep what was typed: the operator fixes the name.
                self.notify(Level::Warning, reason);
                self.mode = Mode::Prompt(prompt);
            }
        }
    }

    /// `D`: read which of the zone's datasets zcon made for it, then show the dialog.
    pub fn delete_dialog(&mut self, name: Option<&str>) {
        self.delete_dialog_with(name, false);
    }

    /// `:delete NAME cleanup` asks for the volumes zcon made to be destroyed too.
    pub fn delete_dialog_with(&mut self, name: Option<&str>, cleanup: bool) {
        let Some(zone) = self.zone_named(name) else {
            self.notify(Level::Warning, "select a zone first");
            return;
        };
        if self.refuse_read_only(&format!("delete {zone}")) {
            return;
        }
        self.effects.push(Effect::LoadZoneTags { zone, cleanup });
    }

    /// The tags have been read: the dialog lists exactly what goes and what stays.
    pub fn open_delete_dialog(
        &mut self,
        name: &str,
        cleanup: bool,
        tags: Result<BTreeMap<String, String>, String>,
    ) {
        let tags = match tags {
            Ok(t) => t,
            Err(e) => {
                self.notify(Level::Error, format!("cannot read {name}'s datasets: {e}"));
                return;
            }
        };
        let Some(zone) = self.inventory.zone(name) else {
            self.notify(Level::Warning, format!("{name} is gone from the host"));
            return;
        };
        let deletion = match delete::delete_plan(&self.inventory, zone, &tags, cleanup) {
            Ok(d) => d,
            Err(reason) => {
                self.notify(Level::Warning, format!("cannot delete: {reason}"));
                return;
            }
        };
        let state = zone.state.as_str();
        let mut lines = vec![
            format!(
                "{name} is {state}. It is halted if it runs, uninstalled and its configuration deleted."
            ),
            "This cannot be undone.".into(),
        ];
        let mut section = |title: &str, names: &[String]| {
            if !names.is_empty() {
                lines.push(String::new());
                lines.push(title.to_string());
                lines.extend(names.iter().map(|n| format!("  {n}")));
            }
        };
        section(
            "Destroyed by the uninstall (the zonepath dataset and all in it):",
            &deletion.with_zone,
        );
        section(
            "Destroyed by the cleanup (made by zcon for this zone):",
            &deletion.cleaned,
        );
        section("Kept:", &deletion.kept);
        let made_for_it = deletion
            .kept
            .iter()
            .any(|ds| tags.get(ds).map(String::as_str) == Some(name));
        if made_for_it && !cleanup {
            lines.push(String::new());
            lines.push(format!(
                "`:delete {name} cleanup` also destroys the volumes zcon made for it."
            ));
        }
        lines.push(String::new());
        lines.extend(deletion.plan.describe());
        self.mode = Mode::Confirm(Confirm {
            title: format!("delete {name}?"),
            lines,
            run_label: "delete".into(),
            on_run: false,
            then: Then::TypeName(deletion.plan),
        });
    }

    /// Run pressed on the delete dialog: the name must be typed.
    pub(super) fn ask_zone_name(&mut self, plan: crate::ops::Plan) {
        let zone = plan.target.clone();
        self.mode = Mode::Prompt(Prompt {
            title: format!("type {zone} to delete it: "),
            input: LineInput::default(),
            zone,
            purpose: PromptFor::DeleteName(Box::new(plan)),
        });
    }

    pub(super) fn delete_accept(&mut self, prompt: Prompt, plan: crate::ops::Plan) {
        if prompt.input.text().trim() != prompt.zone {
            self.notify(
                Level::Warning,
                format!("that is not {}: nothing was deleted", prompt.zone),
            );
            return;
        }
        let what = format!("delete {}", prompt.zone);
        self.effects.push(Effect::Submit {
            what,
            tasks: vec![crate::exec::engine::Submission {
                plan,
                after: vec![],
            }],
        });
    }
}

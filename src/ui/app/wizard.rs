//! The create and edit wizards in the console: opening them (`c`, `e`, `:create [FILE]`,
//! `:edit NAME`), routing keys to them and doing what they ask (queue tasks, close).

use ratatui::crossterm::event::KeyEvent;

use super::{App, Effect, HelpLine, HelpView, Level, Mode};
use crate::ops::spec::ZoneSpec;
use crate::ui::config::Context;
use crate::ui::list::Cursor;
use crate::ui::wizard::{Outcome, Overlay, Wizard};

impl App {
    fn refuse_wizard(&mut self, which: &str) -> bool {
        if self.read_only {
            self.notify(
                Level::Error,
                format!(
                    "read-only mode: the {which} wizard is not available (started with --read-only or read_only = true)"
                ),
            );
        }
        self.read_only
    }

    /// Open the create wizard, empty or filled from a spec.
    pub fn open_create_wizard(&mut self, from: Option<ZoneSpec>) {
        if self.refuse_wizard("create") {
            return;
        }
        let wizard = Wizard::create(from, self.inventory.clone(), self.host_root.clone());
        self.mode = Mode::Wizard(Box::new(wizard));
    }

    /// `:create FILE.json`: the create wizard filled from a spec file (zcon's form or the
    /// zone guide's request body, as `zcon zone create --spec` reads it).
    pub fn open_create_from_file(&mut self, path: &str) {
        let spec = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {path}: {e}"))
            .and_then(|text| {
                crate::ops::spec_file::parse(&text)
                    .and_then(|doc| doc.into_create())
                    .map_err(|e| format!("{path} is not a zone spec: {e}"))
            });
        match spec {
            Ok(mut spec) => {
                newest_snapshots(&mut spec, &self.inventory);
                self.open_create_wizard(Some(spec));
            }
            Err(e) => self.notify(Level::Error, e),
        }
    }

    /// Open the edit wizard on the focused zone (or on `zone`).
    pub fn open_edit_wizard(&mut self, zone: Option<&str>) {
        if self.refuse_wizard("edit") {
            return;
        }
        let found = match zone {
            Some(name) => self.inventory.zone(name),
            None => self.focused_zone(),
        };
        let Some(found) = found else {
            let text = zone.map_or("select a zone first (or :edit NAME)".to_string(), |n| {
                format!("no zone named {n} on this host")
            });
            self.notify(Level::Warning, text);
            return;
        };
        match Wizard::edit(found, self.inventory.clone(), self.host_root.clone()) {
            Ok(wizard) => self.mode = Mode::Wizard(Box::new(wizard)),
            Err(e) => self.notify(Level::Error, e),
        }
    }

    /// An action while a wizard is open; false when it does not apply (its key may type).
    pub(super) fn wizard_action(&mut self, action: crate::ui::config::Action) -> bool {
        let inventory = self.inventory.clone();
        let Mode::Wizard(wizard) = &mut self.mode else {
            return false;
        };
        wizard.set_inventory(inventory);
        match wizard.action(action) {
            Outcome::Ignored => return false,
            Outcome::Done => {}
            Outcome::Say(level, text) => self.notify(level, text),
            Outcome::Help => {
                let lines = self.form_help();
                if let Mode::Wizard(wizard) = &mut self.mode {
                    wizard.overlay = Some(Overlay::Help(HelpView {
                        lines,
                        cursor: Cursor::default(),
                    }));
                }
            }
            Outcome::Close(message) => {
                self.mode = Mode::Normal;
                if let Some((level, text)) = message {
                    self.notify(level, text);
                }
            }
            Outcome::Submit { what, tasks } => {
                self.mode = Mode::Normal;
                self.effects.push(Effect::Submit { what, tasks });
            }
        }
        true
    }

    /// The `[form]` bindings (and the popups'), for the wizard's help.
    fn form_help(&self) -> Vec<HelpLine> {
        let mut lines = Vec::new();
        let sections = [
            (Context::Form, "the wizard's forms"),
            (Context::Dialog, "its questions"),
        ];
        for (context, title) in sections {
            if !lines.is_empty() {
                lines.push(HelpLine::Blank);
            }
            lines.push(HelpLine::Heading(format!("{} — {title}", context.name())));
            lines.extend(
                self.settings
                    .keymap
                    .section(context)
                    .iter()
                    .map(|b| HelpLine::Binding {
                        keys: b.keys_label(),
                        desc: format!("{}  ({})", b.desc, b.run.name()),
                    }),
            );
        }
        lines
    }

    pub(super) fn wizard_key(&mut self, event: &KeyEvent) {
        if let Mode::Wizard(wizard) = &mut self.mode {
            wizard.edit_key(event);
        }
    }

    pub(super) fn wizard_paste(&mut self, text: &str) {
        if let Mode::Wizard(wizard) = &mut self.mode {
            wizard.paste(text);
        }
    }

    /// The open wizard.
    pub fn wizard(&self) -> Option<&Wizard> {
        match &self.mode {
            Mode::Wizard(w) => Some(w),
            _ => None,
        }
    }
}

/// A template named without its snapshot (`rpool/templates/debian`, as the zone guide
/// writes it) means its newest snapshot.
fn newest_snapshots(spec: &mut ZoneSpec, inv: &crate::host::Inventory) {
    for volume in spec.boot_volume.iter_mut().chain(spec.disks.iter_mut()) {
        if let crate::ops::spec::Volume::Template { snapshot, .. } = volume
            && !snapshot.contains('@')
        {
            let prefix = format!("{snapshot}@");
            let newest = inv
                .datasets
                .iter()
                .filter(|d| d.name.starts_with(&prefix))
                .max_by_key(|d| d.creation);
            if let Some(d) = newest {
                *snapshot = d.name.clone();
            }
        }
    }
}

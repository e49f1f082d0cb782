//! The session commands: create, delete, commit/verify (and saving), revert, exit,
//! export, a rename by `set zonename`, and help.

use std::io::Write;

use super::super::help;
use super::{Exit, Flow, Session};
use crate::sim::zones;
use crate::sys::zoneadm::ZoneState;
use crate::sys::zonecfg::ZoneConfig;
use crate::sys::zonecfg::script::{
    Cmd, CreateFrom, Editor, Sink, Value, builtin_template, render_export, zonename_problem,
};
use crate::sys::zonecfg::verify::{DEFAULT_BRAND, Verdict, ZErr};
use crate::sys::zoneindex::{IndexEntry, IndexState};

impl Session<'_, '_> {
    pub(super) fn help(&mut self, arg: Option<&str>) {
        let text = match arg {
            None => match self.editor.as_ref().and_then(Editor::resource_scope) {
                Some(res) => help::resource_scope(res),
                None => help::subcommands(true),
            },
            Some("usage") => help::usage_lines(),
            Some("commands") => help::subcommands(true),
            Some("syntax") => help::syntax(true) + &help::resources() + &help::props(),
            Some("-?") => help::long_usage(Cmd::Help),
            Some(word) => match Cmd::ALL.iter().find(|c| c.as_str() == word) {
                Some(&cmd) => {
                    let mut t = help::long_usage(cmd);
                    match cmd {
                        Cmd::Add | Cmd::Info | Cmd::Remove | Cmd::Select => {
                            t.push('\n');
                            t.push_str(&(help::resources() + &help::props()));
                        }
                        Cmd::Clear | Cmd::Set => t.push_str(&format!("\n{}", help::props())),
                        _ => {}
                    }
                    t
                }
                None => {
                    let t = format!("Unknown help subject {word}.  {}", help::meta());
                    return self.stderr(&t);
                }
            },
        };
        self.stdout(&text);
    }

    pub(super) fn create(&mut self, force: bool, from: &CreateFrom) -> Flow {
        if self.read_only() {
            return Ok(());
        }
        let zone = self.zone.clone();
        let existing = zones::load_config(self.ctx.host, &zone).ok().flatten();
        if existing.is_some() {
            if self.installed() {
                self.zerr(&format!(
                    "Zone {zone} already installed; create not allowed."
                ));
                return Ok(());
            }
            if force {
                self.stdout(&format!("Zone {zone} already exists; overwriting.\n"));
            } else {
                match self.ask(&format!("Zone {zone} already exists; create anyway")) {
                    None => {
                        self.zerr(
                            "Zone exists, input not from terminal and -F not specified:\n\
                             create command ignored, exiting.",
                        );
                        return Err(Exit(1));
                    }
                    Some(false) => return Ok(()),
                    Some(true) => {}
                }
            }
        }
        let Some(template) = from.template_name() else {
            self.stderr("invalid path to detached zone\n");
            return Ok(());
        };
        // A template is an XML file in /etc/zones; zonecfg's own are built in here.
        let cfg = match zones::load_config(self.ctx.host, &template).ok().flatten() {
            Some(t) => Some(ZoneConfig {
                name: zone.clone(),
                ..t
            }),
            None => builtin_template(from, &zone).map(|mut c| {
                if c.brand.is_empty() {
                    c.brand = DEFAULT_BRAND.into();
                }
                c
            }),
        };
        let Some(cfg) = cfg else {
            self.perror(&template, ZErr::NoZone);
            return Ok(());
        };
        let mut editor = Editor::new(cfg);
        editor.dirty = true;
        self.editor = Some(editor);
        self.got_handle = true;
        self.is_new = true;
        self.delete_name = None;
        Ok(())
    }

    pub(super) fn delete(&mut self, force: bool) -> Flow {
        if self.read_only() {
            return Ok(());
        }
        let zone = self.zone.clone();
        if !force {
            if !self.initialize(true)? {
                return Ok(());
            }
            match self.ask(&format!("Are you sure you want to delete zone {zone}")) {
                None => {
                    self.zerr(
                        "Input not from terminal and -F not specified:\ndelete command ignored, exiting.",
                    );
                    return Err(Exit(1));
                }
                Some(false) => return Ok(()),
                Some(true) => {}
            }
        }
        self.initialize(true)?;
        match self.destroy(force) {
            Ok(()) => {}
            Err(ZErr::BadZoneState) if !force => self.zerr(&format!(
                "Zone {zone} not in configured state; delete not allowed.  Use -F to force delete."
            )),
            Err(e) => self.perror(&zone, e),
        }
        if force && self.editor.is_none() && self.interactive() {
            self.stdout("Use 'create' to begin configuring a new zone.\n");
        }
        self.editor = None;
        self.got_handle = false;
        Ok(())
    }

    /// zonecfg_destroy(): the index entry and the XML go; only up to installed.
    pub(super) fn destroy(&mut self, force: bool) -> Result<(), ZErr> {
        let host = self.ctx.host;
        let xml = host
            .host_path(&crate::sys::zonexml::path_for(&self.zone))
            .exists();
        let state = self.state_of(&self.zone);
        if state.is_none() && !xml {
            return Err(ZErr::NoZone);
        }
        let state = state.unwrap_or(ZoneState::Configured);
        if state > ZoneState::Installed || (!force && state > ZoneState::Configured) {
            return Err(ZErr::BadZoneState);
        }
        let mut index = zones::load_index(host).map_err(|_| ZErr::UpdatingIndex)?;
        index.remove(&self.zone);
        zones::save_index(host, &index).map_err(|_| ZErr::UpdatingIndex)?;
        self.states_changed();
        zones::remove_config(host, &self.zone).map_err(|_| ZErr::SavingFile)
    }

    /// verify_func(); with `save`, what commit does.
    pub(super) fn verify(&mut self, save: bool) {
        let cx = self.cx();
        let Some(editor) = self.editor.as_ref() else {
            return;
        };
        let (lines, verdict) = editor.verify(&cx);
        self.print(Sink {
            lines,
            saw_error: false,
        });
        let zone = self.zone.clone();
        match verdict {
            Verdict::Aborted => self.saw_error = true,
            Verdict::Ok if save => match self.save() {
                Ok(()) => {
                    if let Some(e) = self.editor.as_mut() {
                        e.dirty = false;
                    }
                    self.is_new = false;
                    self.delete_name = None;
                    self.revert_zone = zone;
                }
                Err(e) => self.perror(&zone, e),
            },
            Verdict::Ok => {}
            Verdict::Failed(code) => {
                if save {
                    self.zerr(&format!("Zone {zone} failed to verify"));
                }
                self.perror(&zone, code);
            }
        }
    }

    /// zonecfg_save(): the XML, then the index (a new zone enters it as configured with
    /// no uuid; a rename moves the entry; otherwise only the zonepath is refreshed).
    pub(super) fn save(&mut self) -> Result<(), ZErr> {
        if self.global_zone {
            return Ok(());
        }
        let host = self.ctx.host;
        let editor = self.editor.as_mut().ok_or(ZErr::Inval)?;
        if editor.cfg.debugid.is_none() {
            editor.cfg.debugid = Some(next_debugid(host));
        }
        let cfg = editor.config();
        let mut index = zones::load_index(host).map_err(|_| ZErr::UpdatingIndex)?;
        let from = match (&self.delete_name, self.is_new) {
            (Some(old), false) => old.clone(),
            _ => cfg.name.clone(),
        };
        match index.get_mut(&from) {
            Some(e) => {
                e.name = cfg.name.clone();
                e.zonepath = cfg.zonepath.clone();
                if self.is_new {
                    e.state = IndexState::Configured;
                }
            }
            None => index.entries.push(IndexEntry {
                name: cfg.name.clone(),
                state: IndexState::Configured,
                zonepath: cfg.zonepath.clone(),
                uuid: String::new(),
            }),
        }
        zones::save_config(host, &cfg).map_err(|_| ZErr::SavingFile)?;
        zones::save_index(host, &index).map_err(|_| ZErr::UpdatingIndex)?;
        self.states_changed();
        if from != cfg.name {
            zones::remove_config(host, &from).map_err(|_| ZErr::SavingFile)?;
        }
        Ok(())
    }

    pub(super) fn revert(&mut self, force: bool) -> Flow {
        if self.read_only() {
            return Ok(());
        }
        if self.resource_scope().is_some() {
            self.error(
                "You can only use revert in the global scope.\nUse 'cancel' to cancel changes to a resource specification.",
            );
            return Ok(());
        }
        let Some(dirty) = self.editor.as_ref().map(|e| e.dirty) else {
            self.error("No changes to revert.");
            return Ok(());
        };
        if !force {
            match self.ask("Are you sure you want to revert") {
                None => {
                    self.zerr(
                        "Input not from terminal and -F not specified:\nrevert command ignored, exiting.",
                    );
                    return Err(Exit(1));
                }
                Some(false) => return Ok(()),
                Some(true) => {}
            }
        }
        let target = self.revert_zone.clone();
        match zones::load_config(self.ctx.host, &target) {
            Ok(Some(cfg)) => {
                let mut editor = Editor::new(cfg);
                editor.dirty = dirty;
                self.editor = Some(editor);
                self.is_new = false;
            }
            _ => {
                self.editor = None;
                self.got_handle = false;
                self.error(&format!("{target}: no such saved zone to revert to."));
            }
        }
        self.zone = target;
        self.delete_name = None;
        Ok(())
    }

    pub(super) fn exit(&mut self, force: bool) -> Flow {
        self.force_exit |= force;
        if self.resource_scope().is_none() || force {
            self.time_to_exit = true;
            return Ok(());
        }
        match self.ask("Resource incomplete; really quit") {
            None => {
                self.zerr(
                    "Resource incomplete, input not from terminal and -F not specified:\n\
                     exit command ignored, but exiting anyway.",
                );
                Err(Exit(1))
            }
            Some(yes) => {
                self.time_to_exit = yes;
                Ok(())
            }
        }
    }

    pub(super) fn export(&mut self, file: Option<&str>) -> Flow {
        let mut target = None;
        if let Some(f) = file {
            match std::fs::File::create(super::super::host_file(self.ctx.host, f)) {
                Ok(fh) => target = Some(fh),
                Err(e) => {
                    self.zerr(&format!("opening file {f}: {}", super::super::strerror(&e)));
                    return Ok(());
                }
            }
        }
        if !self.initialize(true)? {
            return Ok(());
        }
        let Some(editor) = self.editor.as_ref() else {
            return Ok(());
        };
        let mut text = render_export(&editor.config());
        // The brand line comes from the saved configuration (zone_get_brand()).
        let saved = zones::load_config(self.ctx.host, &self.zone).ok().flatten();
        let brand_line = text
            .lines()
            .find(|l| l.starts_with("set brand="))
            .map(str::to_string);
        if let Some(line) = brand_line {
            let replacement = match saved {
                Some(s) => format!(
                    "set brand={}\n",
                    if s.brand.is_empty() {
                        DEFAULT_BRAND
                    } else {
                        &s.brand
                    }
                ),
                None => String::new(),
            };
            text = text.replacen(&format!("{line}\n"), &replacement, 1);
        }
        match target {
            Some(mut fh) => {
                let _ = fh.write_all(text.as_bytes());
            }
            None => self.stdout(&text),
        }
        Ok(())
    }

    /// `set zonename=…` in the global scope: before the zone exists it only changes the
    /// zone being configured; afterwards it renames at commit.
    pub(super) fn rename(&mut self, value: &Value) -> Flow {
        if self.read_only() {
            return Ok(());
        }
        let Some(name) = value.simple().map(str::to_string) else {
            self.error("A simple value was expected here.");
            return Ok(());
        };
        let bogus = |s: &mut Self| {
            s.perror(&name, ZErr::BogusZoneName);
            s.stderr(crate::sys::zonecfg::script::SYNTAX_HELP);
        };
        if self.editor.is_none() && !self.got_handle && self.state_of(&self.zone).is_none() {
            match zonename_problem(&name) {
                Some(_) => bogus(self),
                None => self.zone = name,
            }
            return Ok(());
        }
        if !self.initialize(true)? {
            return Ok(());
        }
        let current = self
            .editor
            .as_ref()
            .map(|e| e.name().to_string())
            .unwrap_or_default();
        if name == current {
            return Ok(());
        }
        if zonename_problem(&name).is_some() {
            bogus(self);
            return Ok(());
        }
        if self.delete_name.as_deref() != Some(name.as_str()) {
            if self.state_of(&name).is_some() {
                self.perror(&name, ZErr::NameInUse);
                return Ok(());
            }
            let old = self.delete_name.clone().unwrap_or(current.clone());
            if !self.is_new
                && self
                    .state_of(&old)
                    .is_some_and(|s| s > ZoneState::Installed)
            {
                self.perror(&name, ZErr::BadZoneState);
                return Ok(());
            }
            if !self.is_new {
                self.delete_name = Some(old);
            }
        } else {
            self.delete_name = None;
        }
        if let Some(e) = self.editor.as_mut() {
            e.set_name(&name);
        }
        self.zone = name;
        Ok(())
    }
}

/// The debug id a new zone gets: one more than the highest any zone has.
fn next_debugid(host: &crate::sim::SimHost) -> u32 {
    let dir = host.host_path("/etc/zones");
    let max = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".xml"))
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .filter_map(|text| {
            let at = text.find("debugid=\"")? + 9;
            let end = text[at..].find('"')? + at;
            text[at..end].parse::<u32>().ok()
        })
        .max()
        .unwrap_or(0);
    max + 1
}

//! One zonecfg run against the sim host: the handle (the zone's configuration being
//! edited), how each command is dispatched, zonecfg's output rules (line numbers in command
//! files, questions it cannot ask) and its end-of-input commit, with zonecfg.c's messages
//! and exit statuses. The session commands themselves are in `commands.rs`.

#[path = "commands.rs"]
mod commands;

use super::help;
use crate::sim::{Ctx, zones};
use crate::sys::zoneadm::ZoneState;
use crate::sys::zonecfg::ZoneConfig;
use crate::sys::zonecfg::grammar::{Item, ItemKind, UsageExtra};
use crate::sys::zonecfg::script::{EditContext, Editor, Out, Prop, Sink, Stmt, short_usage};
use crate::sys::zonecfg::verify::{DEFAULT_BRAND, OMNIOS_BRANDS, ZErr};

/// How the commands reach zonecfg.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// `zonecfg -z Z cmd …`: every command runs, even after errors.
    Args,
    /// `-f FILE` (`-` is stdin): stop at the first error; messages name the line.
    File(String),
    /// Commands on stdin without `-f`.
    Stdin,
}

/// Stop now with this exit status (zonecfg's exit() in the middle of a command).
pub struct Exit(pub i32);

type Flow = Result<(), Exit>;

pub struct Session<'s, 'c> {
    pub ctx: &'s mut Ctx<'c>,
    pub zone: String,
    revert_zone: String,
    global_zone: bool,
    editor: Option<Editor>,
    got_handle: bool,
    /// The handle comes from `create` and was never saved.
    is_new: bool,
    /// A rename in progress: the name the zone is saved under.
    delete_name: Option<String>,
    mode: Mode,
    /// Reads an answer to a question; None when there is no terminal to ask.
    pub reader: Option<Box<dyn FnMut() -> Option<String> + 's>>,
    pub saw_error: bool,
    pub time_to_exit: bool,
    force_exit: bool,
    lineno: usize,
    last_lineno: usize,
    /// Zone states read this run: the lock keeps them still except for our own saves.
    states: std::cell::RefCell<std::collections::HashMap<String, Option<ZoneState>>>,
}

impl<'s, 'c> Session<'s, 'c> {
    pub fn new(ctx: &'s mut Ctx<'c>, zone: &str, global_zone: bool, mode: Mode) -> Self {
        Session {
            ctx,
            zone: zone.to_string(),
            revert_zone: zone.to_string(),
            global_zone,
            editor: None,
            got_handle: false,
            is_new: false,
            delete_name: None,
            mode,
            reader: None,
            saw_error: false,
            time_to_exit: false,
            force_exit: false,
            lineno: 1,
            last_lineno: 0,
            states: Default::default(),
        }
    }

    fn interactive(&self) -> bool {
        matches!(self.mode, Mode::Stdin) || self.mode == Mode::File("-".into())
    }

    pub fn resource_scope(&self) -> Option<&'static str> {
        self.editor
            .as_ref()
            .and_then(Editor::resource_scope)
            .map(|r| r.as_str())
    }

    fn stdout(&mut self, text: &str) {
        let _ = self.ctx.out.write_all(text.as_bytes());
    }

    fn stderr(&mut self, text: &str) {
        let _ = self.ctx.err.write_all(text.as_bytes());
    }

    /// zerr(): in command-file mode the first message of a line names the line (zonecfg
    /// prints lex_lineno - 1, which is the previous line after a `;`).
    fn zerr(&mut self, msg: &str) {
        if let Mode::File(name) = &self.mode
            && self.lineno > self.last_lineno
        {
            let at = if name == "-" {
                format!("On line {}:\n", self.lineno - 1)
            } else {
                format!("On line {} of {name}:\n", self.lineno - 1)
            };
            self.stderr(&at);
            self.last_lineno = self.lineno;
        }
        self.stderr(&format!("{msg}\n"));
    }

    fn error(&mut self, msg: &str) {
        self.zerr(msg);
        self.saw_error = true;
    }

    fn perror(&mut self, prefix: &str, err: ZErr) {
        self.error(&format!("{prefix}: {}", err.text()));
    }

    fn print(&mut self, sink: Sink) {
        for line in sink.lines {
            match line {
                Out::Zerr(m) => self.zerr(&m),
                Out::Stderr(t) => self.stderr(&t),
                Out::Stdout(t) => self.stdout(&t),
                Out::Usage { cmd, long, extra } => {
                    let mut text = if long {
                        help::long_usage(cmd)
                    } else {
                        format!("usage:\n{}\n", short_usage(cmd))
                    };
                    match extra {
                        UsageExtra::ResProps => {
                            text.push_str(&(help::resources() + &help::props()))
                        }
                        UsageExtra::Props => text.push_str(&help::props()),
                        UsageExtra::None => {}
                    }
                    self.stderr(&text);
                }
            }
        }
        self.saw_error |= sink.saw_error;
    }

    /// ask_yesno() with "no" as the default; None when it cannot ask.
    fn ask(&mut self, question: &str) -> Option<bool> {
        if self.reader.is_none() {
            self.saw_error = true;
            return None;
        }
        loop {
            self.stdout(&format!("{question} (y/[n])? "));
            let line = (self.reader.as_mut()?)()?;
            match line.trim_start().chars().next() {
                None => return Some(false),
                Some('y' | 'Y') => return Some(true),
                Some('n' | 'N') => return Some(false),
                _ => {}
            }
        }
    }

    fn state_of(&self, zone: &str) -> Option<ZoneState> {
        let host = self.ctx.host;
        *self
            .states
            .borrow_mut()
            .entry(zone.to_string())
            .or_insert_with(|| zones::current_state(host, zone).ok().flatten())
    }

    /// Forget cached states after the index changed.
    fn states_changed(&self) {
        self.states.borrow_mut().clear();
    }

    fn installed(&self) -> bool {
        self.state_of(&self.zone)
            .is_some_and(|s| s >= ZoneState::Installed)
    }

    fn cx(&self) -> EditContext {
        EditContext {
            installed: self.installed(),
            global_zone: self.global_zone,
            lenient: false,
            interactive: self.interactive(),
            check_brand: true,
        }
    }

    /// zone_is_read_only().
    fn read_only(&mut self) -> bool {
        if self.zone.starts_with("SUNW") {
            let m = format!("{}: zones beginning with SUNW are read-only.", self.zone);
            self.error(&m);
            return true;
        }
        false
    }

    /// initialize(): load the zone's configuration into the handle if it is not there.
    fn initialize(&mut self, expected: bool) -> Result<bool, Exit> {
        if self.editor.is_some() {
            return Ok(true);
        }
        let loaded = zones::load_config(self.ctx.host, &self.zone);
        let cfg = match loaded {
            Ok(Some(cfg)) => cfg,
            Ok(None) if self.global_zone => ZoneConfig::blank("global"),
            Ok(None) => {
                let msg = format!("{}: {}", self.zone, ZErr::NoZone.text());
                if expected || self.got_handle {
                    self.error(&msg);
                } else {
                    self.zerr(&msg);
                }
                if self.interactive() {
                    self.stdout("Use 'create' to begin configuring a new zone.\n");
                }
                return Ok(false);
            }
            Err(_) => {
                let zone = self.zone.clone();
                self.perror(&zone, ZErr::InvalidDocument);
                return Ok(false);
            }
        };
        let brand = if cfg.brand.is_empty() {
            DEFAULT_BRAND
        } else {
            &cfg.brand
        };
        if !self.global_zone && !OMNIOS_BRANDS.contains(&brand) {
            let m = format!(
                "Zone {} uses non-existent brand \"{brand}\".  Unable to continue",
                self.zone
            );
            self.zerr(&m);
            return Err(Exit(1));
        }
        self.editor = Some(Editor::new(cfg));
        self.got_handle = true;
        Ok(true)
    }

    /// What zonecfg does first when it reads commands from stdin: load the zone and, if
    /// there is none, suggest `create`.
    pub fn greet(&mut self) -> Flow {
        self.initialize(false).map(|_| ())
    }

    /// Run parsed commands in order.
    pub fn feed(&mut self, items: Vec<Item>) -> Flow {
        for item in items {
            self.lineno = item.lineno_after;
            match item.kind {
                ItemKind::Syntax { at_eof: true, .. } => {}
                ItemKind::Syntax { near, line, .. } => {
                    self.saw_error = true;
                    let near = crate::sys::zonecfg::script::display_near(&near).to_string();
                    let msg = match self.mode {
                        Mode::File(_) => format!("syntax error on line {line} at '{near}'\n"),
                        _ => format!("syntax error at '{near}'\n"),
                    };
                    self.stderr(&(msg + &help::subcommands(false)));
                }
                ItemKind::Usage { cmd, extra, lineno } => {
                    self.saw_error = true;
                    let mut text = match &self.mode {
                        Mode::File(n) if n == "-" => {
                            format!("syntax error on line {}\n", lineno - 1)
                        }
                        Mode::File(n) => format!("syntax error on line {} of {n}\n", lineno - 1),
                        _ => String::new(),
                    };
                    text.push_str(&format!("usage:\n{}\n", short_usage(cmd)));
                    match extra {
                        UsageExtra::ResProps => {
                            text.push('\n');
                            text.push_str(&(help::resources() + &help::props()));
                        }
                        UsageExtra::Props => text.push_str(&format!("\n{}", help::props())),
                        UsageExtra::None => {}
                    }
                    self.stderr(&text);
                }
                ItemKind::Stmt(stmt) => self.exec(&stmt)?,
            }
            // Bail out on an error in command-file mode.
            if self.saw_error && matches!(self.mode, Mode::File(_)) && !self.interactive() {
                self.time_to_exit = true;
            }
            // Commands given as arguments all run, even after `exit`.
            if self.time_to_exit && self.mode != Mode::Args {
                break;
            }
        }
        Ok(())
    }

    fn exec(&mut self, stmt: &Stmt) -> Flow {
        let in_scope = self.resource_scope().is_some();
        match stmt {
            Stmt::Help(arg) => self.help(arg.as_deref()),
            Stmt::Create { force, from } => return self.create(*force, from),
            Stmt::Delete { force } => return self.delete(*force),
            Stmt::Commit | Stmt::Verify => {
                if !self.read_only() && self.initialize(true)? {
                    self.verify(*stmt == Stmt::Commit);
                }
            }
            Stmt::Revert { force } => return self.revert(*force),
            Stmt::Exit { force } => return self.exit(*force),
            Stmt::Export { file } => return self.export(file.as_deref()),
            Stmt::Info(_) => {
                if self.initialize(true)? {
                    self.edit(stmt);
                }
            }
            Stmt::Set {
                prop: Prop::Zonename,
                value,
                ..
            } if !in_scope => return self.rename(value),
            Stmt::Cancel | Stmt::End if self.editor.is_none() => {
                let name = if *stmt == Stmt::End { "end" } else { "cancel" };
                self.error(&format!(
                    "The {name} command only makes sense in the resource scope."
                ));
            }
            Stmt::Cancel | Stmt::End => self.edit(stmt),
            _ => {
                if !self.read_only() && self.initialize(true)? {
                    self.edit(stmt);
                }
            }
        }
        Ok(())
    }

    fn edit(&mut self, stmt: &Stmt) {
        let cx = self.cx();
        let mut sink = Sink::default();
        if let Some(editor) = self.editor.as_mut() {
            editor.exec(stmt, &cx, &mut sink);
        }
        self.print(sink);
    }

    /// cleanup(): what happens at the end of input: an open resource is an error, and
    /// uncommitted changes are committed.
    pub fn finish(&mut self) -> i32 {
        if self.mode == Mode::Args {
            self.reader = None;
        }
        if self.resource_scope().is_some() {
            if self.time_to_exit {
                self.saw_error = true;
            } else if self.ask("Resource incomplete; really quit").is_none() {
                self.zerr("Resource incomplete.");
                return 1;
            }
        }
        if self.editor.as_ref().is_some_and(|e| e.dirty) {
            if !self.read_only() {
                self.verify(true);
            }
            if self.editor.as_ref().is_some_and(|e| e.dirty) {
                if self.force_exit || self.ask("Configuration not saved; really quit").is_none() {
                    self.zerr("Configuration not saved.");
                }
                return 1;
            }
        }
        i32::from(self.saw_error)
    }
}

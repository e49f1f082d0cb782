//! The sim host's `svccfg`: `-s FMRI` selects a service or instance; the command comes
//! from the arguments (joined with spaces and lexed, as svccfg does), from `-f FILE` or
//! from standard input. Commands: select, unselect, setprop, addpropvalue,
//! delpropvalue, delprop, addpg, delpg, listprop, listpg, refresh.
//!
//! Property changes go to the editing view; the service sees them after a refresh.

mod lex;
mod props;

use std::io::{IsTerminal, Read};

use lex::T;

use super::svcs::getopt::getopt;
use crate::sim::Ctx;
use crate::sim::SimHost;
use crate::sim::smf::{Action, Pgs, SmfStore, resolve, service_of};

const MUTATING: [&str; 8] = [
    "setprop",
    "addpropvalue",
    "delpropvalue",
    "delprop",
    "addpg",
    "delpg",
    "refresh",
    "delete",
];

fn usage(ctx: &mut Ctx) -> i32 {
    let _ = write!(
        ctx.err,
        "Usage:\tsvccfg [-v] [-s FMRI] [-f file]\n\tsvccfg [-v] [-s FMRI] <command> [args]\n"
    );
    2
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Entity {
    Instance(String),
    Service(String),
}

enum Source {
    Args,
    File(String),
}

struct Engine<'a> {
    host: &'a SimHost,
    store: SmfStore,
    selected: Option<Entity>,
    out: String,
}

pub fn main(ctx: &mut Ctx, args: &[String]) -> i32 {
    let Ok(parsed) = getopt(args, "vf:s:") else {
        return usage(ctx);
    };
    let opt = |c: char| {
        parsed
            .opts
            .iter()
            .rev()
            .find(|(o, _)| *o == c)
            .and_then(|(_, v)| v.clone())
    };
    let (source, statements) = if let Some(file) = opt('f') {
        let text = if file == "-" {
            read_stdin()
        } else {
            std::fs::read_to_string(&file)
        };
        match text {
            Ok(t) => (Source::File(file), t.lines().map(str::to_string).collect()),
            Err(e) => {
                let _ = writeln!(ctx.err, "svccfg: Could not open \"{file}\": {e}.");
                return 1;
            }
        }
    } else if !parsed.operands.is_empty() {
        (
            Source::Args,
            vec![format!("{} ", parsed.operands.join(" "))],
        )
    } else if std::io::stdin().is_terminal() {
        let _ = writeln!(
            ctx.err,
            "svccfg: interactive mode is not available on this sim host"
        );
        return 1;
    } else {
        match read_stdin() {
            Ok(t) => (
                Source::File("-".into()),
                t.lines().map(str::to_string).collect(),
            ),
            Err(e) => {
                let _ = writeln!(ctx.err, "svccfg: {e}");
                return 1;
            }
        }
    };
    let mutating = statements.iter().any(|s| {
        s.split_whitespace()
            .next()
            .is_some_and(|w| MUTATING.contains(&w))
    });
    if mutating && crate::sim::fail::injected(ctx.host, "svccfg", args) {
        let _ = writeln!(ctx.err, "svccfg: Permission denied.");
        return 1;
    }
    let Ok(_lock) = ctx.host.lock_exclusive() else {
        return 1;
    };
    let store = match SmfStore::load(ctx.host) {
        Ok(s) => s,
        Err(e) => {
            let _ = writeln!(ctx.err, "svccfg: Could not bind to repository server: {e}.");
            return 1;
        }
    };
    let mut engine = Engine {
        host: ctx.host,
        store,
        selected: None,
        out: String::new(),
    };
    let mut status = 0;
    if let Some(fmri) = opt('s') {
        match engine.select(&fmri) {
            Ok(()) => {}
            Err(msg) => {
                let _ = writeln!(ctx.err, "svccfg: {msg}");
                return 1;
            }
        }
    }
    for (n, statement) in statements.iter().enumerate() {
        let result = match lex::lex(statement) {
            Ok(tokens) if tokens.is_empty() => Ok(true),
            Ok(tokens) => engine.exec(&tokens),
            Err(()) => Err("Syntax error.".to_string()),
        };
        match result {
            Ok(true) => {}
            Ok(false) => break,
            Err(msg) => {
                match &source {
                    Source::Args => {
                        let _ = writeln!(ctx.err, "svccfg: {msg}");
                    }
                    Source::File(f) => {
                        let _ = writeln!(ctx.err, "svccfg ({f}, line {}): {msg}", n + 1);
                    }
                }
                status = 1;
                break;
            }
        }
    }
    let _ = write!(ctx.out, "{}", engine.out);
    if mutating && let Err(e) = engine.store.save(ctx.host) {
        let _ = writeln!(ctx.err, "svccfg: {e}");
        return 1;
    }
    status
}

fn read_stdin() -> std::io::Result<String> {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s)?;
    Ok(s)
}

fn syntax<T>() -> Result<T, String> {
    Err("Syntax error.".to_string())
}

fn word(t: Option<&T>) -> Option<&str> {
    match t {
        Some(T::Word(w)) => Some(w),
        _ => None,
    }
}

impl Engine<'_> {
    fn select(&mut self, pattern: &str) -> Result<(), String> {
        let r = resolve(&self.store, pattern);
        let names_instance = pattern.trim_start_matches("svc:/").contains(':');
        self.selected = Some(match (r.service, r.instances.as_slice()) {
            (Some(svc), _) if !names_instance => Entity::Service(svc),
            (_, [one]) => Entity::Instance(one.clone()),
            (_, []) => {
                return Err(format!(
                    "Pattern '{pattern}' doesn't match any instances or services"
                ));
            }
            _ => return Err(format!("Pattern '{pattern}' matches multiple instances:")),
        });
        Ok(())
    }

    fn pgs_mut(&mut self) -> Result<(&mut Pgs, Option<Pgs>), String> {
        match &self.selected {
            Some(Entity::Instance(f)) => {
                let inherited = self.store.services.get(service_of(f)).cloned();
                let inst = self
                    .store
                    .instances
                    .get_mut(f)
                    .ok_or("Current selection has been deleted.")?;
                Ok((&mut inst.pgs, inherited))
            }
            Some(Entity::Service(s)) => {
                Ok((self.store.services.entry(s.clone()).or_default(), None))
            }
            None => Err("An entity is not selected.".into()),
        }
    }

    fn pgs(&self) -> Result<Pgs, String> {
        match &self.selected {
            Some(Entity::Instance(f)) => Ok(self
                .store
                .instances
                .get(f)
                .map(|i| i.pgs.clone())
                .unwrap_or_default()),
            Some(Entity::Service(s)) => Ok(self.store.services.get(s).cloned().unwrap_or_default()),
            None => Err("An entity is not selected.".into()),
        }
    }

    /// Run one statement; Ok(false) ends the script.
    fn exec(&mut self, t: &[T]) -> Result<bool, String> {
        let Some(cmd) = word(t.first()) else {
            return syntax();
        };
        let args = &t[1..];
        match (cmd, args) {
            ("exit" | "quit", []) => return Ok(false),
            ("select", [T::Word(p)]) => self.select(p)?,
            ("unselect", []) => {
                self.selected = match self.selected.take() {
                    Some(Entity::Instance(f)) => Some(Entity::Service(service_of(&f).to_string())),
                    _ => None,
                }
            }
            ("setprop", [T::Word(name), T::Eq, rest @ ..]) => self.setprop(name, rest)?,
            ("addpropvalue", [T::Word(name), rest @ ..]) => {
                let (ty, value) = match rest {
                    [v] => (None, v.value()),
                    [T::Word(ty), v] => (Some(ty.as_str()), v.value()),
                    _ => return syntax(),
                };
                let value = value.ok_or("Syntax error.")?;
                props::addpropvalue(self.pgs_mut()?.0, name, ty, value)?;
            }
            ("delpropvalue", [T::Word(name), v]) => {
                let (glob, _) = v.value().ok_or("Syntax error.")?;
                props::delpropvalue(self.pgs_mut()?.0, name, glob)?;
            }
            ("delprop", [T::Word(name)]) => props::delprop(self.pgs_mut()?.0, name)?,
            ("delpg", [T::Word(name)]) => {
                if name.contains('/') {
                    return Err(format!("Invalid property group name \"{name}\"."));
                }
                props::delprop(self.pgs_mut()?.0, name)?;
            }
            ("addpg", [T::Word(name), T::Word(ty), flags @ ..]) if flags.len() <= 1 => {
                let flags = word(flags.first());
                props::addpg(self.pgs_mut()?.0, name, ty, flags)?;
            }
            ("listprop" | "listpg", [] | [T::Word(_)]) => {
                let pattern = word(args.first());
                let pgs = self.pgs()?;
                self.out
                    .push_str(&props::listprop(&pgs, pattern, cmd == "listpg"));
            }
            ("refresh", []) => self.refresh()?,
            _ => return syntax(),
        }
        Ok(true)
    }

    fn setprop(&mut self, name: &str, rest: &[T]) -> Result<(), String> {
        let (ty, rest) = match rest {
            [T::Word(ty), tail @ ..] if !tail.is_empty() => (Some(ty.as_str()), tail),
            _ => (None, rest),
        };
        let (one, list): (Option<props::Value>, Option<Vec<props::Value>>) = match rest {
            [v] => (Some(v.value().ok_or("Syntax error.")?), None),
            [T::Open, inner @ .., T::Close] => {
                let values: Option<Vec<_>> = inner.iter().map(T::value).collect();
                (None, Some(values.ok_or("Syntax error.")?))
            }
            _ => return syntax(),
        };
        let (pgs, inherited) = self.pgs_mut()?;
        props::setprop(pgs, inherited.as_ref(), name, ty, one, list.as_deref())
    }

    fn refresh(&mut self) -> Result<(), String> {
        let targets: Vec<String> = match &self.selected {
            Some(Entity::Instance(f)) => vec![f.clone()],
            Some(Entity::Service(s)) => self
                .store
                .instances
                .keys()
                .filter(|f| service_of(f) == s)
                .cloned()
                .collect(),
            None => return Err("An entity is not selected.".into()),
        };
        for f in targets {
            self.store.request(self.host, &f, Action::Refresh);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;

//! The sim host's zonecfg(8): `zonecfg -z ZONE [-f FILE | command …]`, or commands on
//! stdin. It parses with `sys::zonecfg`'s grammar, edits with its [`Editor`], and keeps
//! the configuration where libzonecfg does (`/etc/zones/ZONE.xml` and the index).
//!
//! [`Editor`]: crate::sys::zonecfg::script::Editor

mod help;
mod session;
#[cfg(test)]
mod tests;

use std::io::{IsTerminal, Read};
use std::path::PathBuf;

use session::{Exit, Mode, Session};

use super::{Ctx, SimHost, fail};
use crate::sys::zonecfg::grammar::{ItemKind, getopt, parse_items};
use crate::sys::zonecfg::script::Stmt;

/// A host path for a file zonecfg reads: the one under the sim root when it exists there,
/// else the path as given (zcon writes its command files on the machine it runs on).
pub(crate) fn read_path(host: &SimHost, path: &str) -> PathBuf {
    let inside = host.host_path(path);
    if path.starts_with('/') && inside.exists() {
        inside
    } else {
        PathBuf::from(path)
    }
}

/// Where `export -f FILE` writes: under the sim root when that directory exists there.
pub(crate) fn host_file(host: &SimHost, path: &str) -> PathBuf {
    let inside = host.host_path(path);
    if path.starts_with('/') && inside.parent().is_some_and(|p| p.is_dir()) {
        inside
    } else {
        PathBuf::from(path)
    }
}

/// strerror() for an I/O error.
pub(crate) fn strerror(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "No such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "Permission denied".into(),
        _ => e.to_string(),
    }
}

/// zonecfg_validate_zonename(), which lets SUNW names through (they are read-only later).
fn bogus_zone_name(name: &str) -> bool {
    let mut chars = name.chars();
    name.len() >= 64
        || !chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        || !chars.all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
}

fn err(ctx: &mut Ctx, text: &str) {
    let _ = ctx.err.write_all(text.as_bytes());
}

/// Run zonecfg with `args`; `stdin` stands in for standard input (tests), else the
/// process's stdin is read when the commands come from it.
pub fn run_cli(ctx: &mut Ctx, args: &[String], stdin: Option<&str>) -> i32 {
    if args.is_empty() {
        err(ctx, &(help::usage_lines() + &help::subcommands(false)));
        return 2;
    }
    if args[0] == "help" {
        let items = parse_items(&(args.join(" ") + "\n"));
        let _ = Session::new(ctx, "", false, Mode::Args).feed(items);
        return 0;
    }
    let (opts, rest) = match getopt(args, "?f:R:z:") {
        Ok(parsed) => parsed,
        Err(c) => {
            let why = if "fRz".contains(c) {
                "option requires an argument"
            } else {
                "illegal option"
            };
            err(
                ctx,
                &format!("zonecfg: {why} -- {c}\n{}", help::usage_lines()),
            );
            return 2;
        }
    };
    let (mut zone, mut file) = (None, None);
    for (c, arg) in opts {
        let arg = arg.unwrap_or_default();
        match c {
            'f' => file = Some(arg),
            'z' => zone = Some(arg),
            'R' if !arg.starts_with('/') => {
                err(ctx, &format!("root path must be absolute: {arg}\n"));
                return 2;
            }
            'R' if !ctx.host.host_path(&arg).is_dir() => {
                err(ctx, &format!("root path must be a directory: {arg}\n"));
                return 2;
            }
            'R' => {}
            _ => {
                let _ = ctx
                    .out
                    .write_all((help::usage_lines() + &help::subcommands(true)).as_bytes());
                return 2;
            }
        }
    }
    let Some(zone) = zone.filter(|z| !z.is_empty()) else {
        err(ctx, &help::usage_lines());
        return 2;
    };
    let global = zone == "global";
    if !global && bogus_zone_name(&zone) {
        err(
            ctx,
            &format!("{zone}: Bogus zone name\n{}", help::syntax(false)),
        );
        return 2;
    }
    let (mode, text, tty) = if !rest.is_empty() {
        (Mode::Args, rest.join(" ") + "\n", false)
    } else if let Some(f) = file {
        if f == "-" {
            (Mode::File(f), read_stdin(stdin), false)
        } else {
            let path = read_path(ctx.host, &f);
            match std::fs::metadata(&path).and_then(|m| {
                if m.is_file() {
                    std::fs::read_to_string(&path)
                } else {
                    Err(std::io::Error::other("not a regular file"))
                }
            }) {
                Ok(text) => (Mode::File(f), text, false),
                Err(e) if e.kind() == std::io::ErrorKind::Other => {
                    err(ctx, &format!("{f} is not a regular file.\n"));
                    return 1;
                }
                Err(e) => {
                    err(ctx, &format!("could not open file {f}: {}\n", strerror(&e)));
                    return 1;
                }
            }
        }
    } else if stdin.is_none() && std::io::stdin().is_terminal() {
        (Mode::Stdin, String::new(), true)
    } else {
        (Mode::Stdin, read_stdin(stdin), false)
    };
    let items = parse_items(&text);
    let deletes = items
        .iter()
        .any(|i| matches!(i.kind, ItemKind::Stmt(Stmt::Delete { .. })));
    let mutating = tty
        || items
            .iter()
            .any(|i| matches!(&i.kind, ItemKind::Stmt(s) if s.is_mutating()));
    if mutating && fail::injected(ctx.host, "zonecfg", args) {
        let what = if deletes {
            "Problem updating index file"
        } else {
            "Problem saving file"
        };
        err(ctx, &format!("{zone}: {what}\nConfiguration not saved.\n"));
        return 1;
    }
    let host = ctx.host;
    let lock = if mutating {
        host.lock_exclusive()
    } else {
        host.lock_shared()
    };
    let _lock = match lock {
        Ok(l) => l,
        Err(e) => {
            err(
                ctx,
                &format!("zonecfg: Could not access zone configuration store: {e}\n"),
            );
            return 1;
        }
    };
    let mut session = Session::new(ctx, &zone, global, mode.clone());
    if tty {
        return interactive(session);
    }
    if mode == Mode::Stdin
        && let Err(Exit(code)) = session.greet()
    {
        return code;
    }
    match session.feed(items) {
        Ok(()) => session.finish(),
        Err(Exit(code)) => code,
    }
}

fn read_stdin(given: Option<&str>) -> String {
    match given {
        Some(t) => t.to_string(),
        None => {
            let mut s = String::new();
            let _ = std::io::stdin().read_to_string(&mut s);
            s
        }
    }
}

fn read_line() -> Option<String> {
    let mut s = String::new();
    match std::io::stdin().read_line(&mut s) {
        Ok(n) if n > 0 => Some(s),
        _ => None,
    }
}

/// zonecfg on a terminal: a prompt per command, and questions it can ask.
fn interactive(mut session: Session) -> i32 {
    session.reader = Some(Box::new(read_line));
    if let Err(Exit(code)) = session.greet() {
        return code;
    }
    loop {
        let prompt = match session.resource_scope() {
            Some(res) => format!("zonecfg:{}:{res}> ", session.zone),
            None => format!("zonecfg:{}> ", session.zone),
        };
        let _ = session.ctx.out.write_all(prompt.as_bytes());
        let _ = session.ctx.out.flush();
        let Some(line) = read_line() else {
            break;
        };
        if let Err(Exit(code)) = session.feed(parse_items(&line)) {
            return code;
        }
        if session.time_to_exit {
            break;
        }
    }
    session.finish()
}

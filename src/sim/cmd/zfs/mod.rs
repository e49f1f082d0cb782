//! The sim host's `zfs`: the subcommands, usage texts and exit codes of illumos zfs(8).

mod get;
pub(crate) mod getopt;
mod list;
mod modify;
mod rename;
mod select;
mod sendrecv;
mod setprop;
mod usage;

#[cfg(test)]
mod tests;

use std::time::Duration;

use crate::sim::zfs::ZfsStore;
use crate::sim::{Ctx, host::StateLock};

type Handler = fn(&mut Ctx, &[String]) -> i32;

/// The command table in the order `zfs` prints its usage (None: a blank line).
const COMMANDS: &[Option<(&str, Handler)>] = &[
    Some(("create", modify::create)),
    Some(("destroy", modify::destroy)),
    None,
    Some(("snapshot", modify::snapshot)),
    Some(("rollback", modify::rollback)),
    Some(("clone", rename::clone)),
    Some(("promote", rename::promote)),
    Some(("rename", rename::rename)),
    Some(("bookmark", unsupported)),
    Some(("program", unsupported)),
    None,
    Some(("list", list::list)),
    None,
    Some(("set", setprop::set)),
    Some(("get", get::get)),
    Some(("inherit", setprop::inherit)),
    Some(("upgrade", unsupported)),
    Some(("userspace", unsupported)),
    Some(("groupspace", unsupported)),
    None,
    Some(("mount", unsupported)),
    Some(("unmount", unsupported)),
    Some(("share", unsupported)),
    Some(("unshare", unsupported)),
    None,
    Some(("send", sendrecv::send)),
    Some(("receive", sendrecv::receive)),
    None,
    Some(("allow", unsupported)),
    None,
    Some(("unallow", unsupported)),
    None,
    Some(("hold", unsupported)),
    Some(("holds", unsupported)),
    Some(("release", unsupported)),
    Some(("diff", unsupported)),
    Some(("remap", unsupported)),
];

pub fn main(ctx: &mut Ctx, args: &[String]) -> i32 {
    let Some(first) = args.first() else {
        usage::general(ctx, false);
        return 2;
    };
    if first == "-?" {
        usage::general(ctx, true);
        return 0;
    }
    let name = match first.as_str() {
        "recv" => "receive",
        "umount" => "unmount",
        "snap" => "snapshot",
        n => n,
    };
    if let Some((name, handler)) = COMMANDS.iter().flatten().find(|(n, _)| *n == name) {
        let rest = &args[1..];
        if rest.first().is_some_and(|a| a == "-?") {
            usage::print(ctx, name, true);
            return 0;
        }
        return handler(ctx, rest);
    }
    if first.contains('=') {
        return setprop::set(ctx, args);
    }
    let _ = writeln!(ctx.err, "unrecognized command '{first}'");
    usage::general(ctx, false);
    2
}

/// Subcommands the sim host does not emulate: say so the way a missing feature would.
fn unsupported(ctx: &mut Ctx, _args: &[String]) -> i32 {
    let _ = writeln!(
        ctx.err,
        "internal error: operation not supported on this sim host"
    );
    1
}

/// Print an error line (or several) to stderr and return 1.
pub(super) fn fail(ctx: &mut Ctx, msg: &str) -> i32 {
    let _ = writeln!(ctx.err, "{msg}");
    1
}

/// Print `msg`, then the subcommand's usage; exit status 2.
pub(super) fn bad_usage(ctx: &mut Ctx, cmd: &str, msg: &str) -> i32 {
    if !msg.is_empty() {
        let _ = writeln!(ctx.err, "{msg}");
    }
    usage::print(ctx, cmd, false);
    2
}

/// Take the state lock and load the store, reporting failures as zfs would die.
pub(super) fn open_store(ctx: &mut Ctx, exclusive: bool) -> Result<(StateLock, ZfsStore), i32> {
    let lock = if exclusive {
        ctx.host.lock_exclusive()
    } else {
        ctx.host.lock_shared()
    };
    let lock = match lock {
        Ok(l) => l,
        Err(e) => return Err(fail(ctx, &format!("internal error: {e}"))),
    };
    match ZfsStore::load(ctx.host) {
        Ok(store) => Ok((lock, store)),
        Err(e) => Err(fail(ctx, &format!("internal error: {e}"))),
    }
}

/// Write the store back; a failure is reported like an I/O error.
pub(super) fn save_store(ctx: &mut Ctx, store: &ZfsStore) -> i32 {
    match store.save(ctx.host) {
        Ok(()) => 0,
        Err(e) => fail(ctx, &format!("internal error: {e}")),
    }
}

/// Fault injection for subcommand `sub` (the rules see the whole argv after `zfs`).
pub(super) fn injected(ctx: &Ctx, sub: &str, args: &[String]) -> bool {
    let mut full = Vec::with_capacity(args.len() + 1);
    full.push(sub.to_string());
    full.extend_from_slice(args);
    crate::sim::fail::injected(ctx.host, "zfs", &full)
}

/// The pause of a quick metadata operation (one txg sync), taken before the lock.
pub(super) fn quick_pause(ctx: &Ctx) {
    ctx.host.sleep(Duration::from_millis(30));
}

/// Drop a large value, or, in the `zfs` process itself, let the exit reclaim it: freeing
/// a 100,000-dataset store costs more than listing a third of it.
pub(super) fn release<T>(value: T) {
    if is_own_process() {
        std::mem::forget(value);
    }
}

/// True when this process is the sim's `zfs` command itself (not a test or another tool
/// running it in-process), so that its stdin/stdout are the command's own.
pub(super) fn is_own_process() -> bool {
    std::env::args_os()
        .next()
        .map(std::path::PathBuf::from)
        .is_some_and(|p| p.file_name().is_some_and(|n| n == "zfs"))
}

/// A getopt failure the way zfs reports it: getopt's own line (unless the spec starts
/// with ':'), zfs' line, then the usage; exit status 2.
pub(super) fn opt_error(ctx: &mut Ctx, cmd: &str, spec: &str, opt: &getopt::Opt) -> i32 {
    use getopt::Opt;
    let silent = spec.starts_with(':');
    let msg = match opt {
        Opt::Missing(c) if silent => format!("missing argument for '{c}' option"),
        Opt::Missing(c) => {
            format!("{cmd}: option requires an argument -- {c}\ninvalid option '{c}'")
        }
        Opt::Unknown(c) if silent => format!("invalid option '{c}'"),
        Opt::Unknown(c) => format!("{cmd}: illegal option -- {c}\ninvalid option '{c}'"),
        Opt::Flag(c) | Opt::Arg(c, _) => format!("invalid option '{c}'"),
    };
    bad_usage(ctx, cmd, &msg)
}

/// parseprop(): add a `name=value` argument; false (after printing why) when malformed.
pub(super) fn parse_prop(ctx: &mut Ctx, arg: &str, props: &mut Vec<(String, String)>) -> bool {
    let Some((name, value)) = arg.split_once('=') else {
        let _ = writeln!(ctx.err, "missing '=' for property=value argument");
        return false;
    };
    if props.iter().any(|(n, _)| n == name) {
        let _ = writeln!(ctx.err, "property '{name}' specified multiple times");
        return false;
    }
    props.push((name.to_string(), value.to_string()));
    true
}

//! `zfs send` and `zfs receive`. The stream is the sim's own format (see
//! `sim::zfs::stream`); both ends take as long as moving the data would, so a piped pair
//! takes that time once.

use std::io::{IsTerminal, Read, Write};
use std::time::{Duration, Instant};

use super::getopt::{Getopt, Opt};
use super::{bad_usage, fail, injected, is_own_process, open_store, opt_error, save_store};
use crate::sim::Ctx;
use crate::sim::zfs::props::nicenum;
use crate::sim::zfs::split_snap;
use crate::sim::zfs::stream::{Naming, SendSpec, Stream};

/// What a send or receive moves per second on a real host (sustained pool throughput).
const BYTES_PER_SEC: f64 = 400.0 * 1024.0 * 1024.0;

fn transfer_time(bytes: u64) -> Duration {
    Duration::from_secs_f64(bytes as f64 / BYTES_PER_SEC)
}

pub(super) fn send(ctx: &mut Ctx, args: &[String]) -> i32 {
    let tty = is_own_process() && std::io::stdout().is_terminal();
    send_to(ctx, args, tty)
}

/// `zfs send` with the caller telling whether stdout is a terminal.
pub(crate) fn send_to(ctx: &mut Ctx, args: &[String], stdout_is_tty: bool) -> i32 {
    const SPEC: &str = ":i:I:RbDpvnPLet:c";
    let mut spec = SendSpec::default();
    let (mut dryrun, mut verbose, mut parsable, mut dedup) = (false, false, false, false);
    let mut g = Getopt::new(args, SPEC);
    for opt in g.by_ref() {
        match opt {
            Opt::Arg(c @ ('i' | 'I'), v) => {
                if spec.from.is_some() {
                    return bad_usage(ctx, "send", "");
                }
                spec.from = Some(v);
                spec.intermediates = c == 'I';
            }
            Opt::Flag('R') => spec.replicate = true,
            Opt::Flag('p') => spec.props = true,
            Opt::Flag('P') => {
                parsable = true;
                verbose = true;
            }
            Opt::Flag('v') => verbose = true,
            Opt::Flag('n') => dryrun = true,
            Opt::Flag('D') => dedup = true,
            Opt::Flag('b' | 'L' | 'e' | 'c') => {}
            Opt::Arg('t', _) => {
                return fail(ctx, "cannot resume send: 'receive_resume_token' is invalid");
            }
            other => return opt_error(ctx, "send", SPEC, &other),
        }
    }
    let target = match g.operands() {
        [] => return bad_usage(ctx, "send", "missing snapshot argument"),
        [t] => t.clone(),
        _ => return bad_usage(ctx, "send", "too many arguments"),
    };
    if !dryrun && stdout_is_tty {
        return fail(
            ctx,
            "Error: Stream can not be written to a terminal.\nYou must redirect standard output.",
        );
    }
    let (ds, snap) = split_snap(&target);
    if snap.is_none()
        && (spec.replicate || spec.intermediates || spec.props || dedup || dryrun || verbose)
    {
        return fail(ctx, "Error: Unsupported flag with filesystem or bookmark.");
    }
    if let Some(f) = spec.from.as_deref()
        && let Some((fds, fsnap)) = f.split_once('@')
    {
        if !fds.is_empty() && fds != ds {
            return bad_usage(ctx, "send", "incremental source must be in same filesystem");
        }
        if fsnap.contains('@') || fsnap.contains('/') {
            return bad_usage(ctx, "send", "invalid incremental source");
        }
    }
    if injected(ctx, "send", args) {
        return fail(ctx, &format!("warning: cannot send '{target}': I/O error"));
    }
    spec.target = target.clone();
    let stream = {
        let Ok((_lock, store)) = open_store(ctx, false) else {
            return 1;
        };
        if !store.datasets.contains_key(ds) {
            return fail(ctx, &format!("cannot open '{ds}': dataset does not exist"));
        }
        match store.build_stream(&spec) {
            Ok(s) => s,
            Err(e) => return fail(ctx, &e),
        }
    };
    if verbose {
        let mut text = String::new();
        for d in &stream.datasets {
            let name = format!(
                "{}{}@{}",
                stream.top,
                d.rel,
                stream.snap.as_deref().unwrap_or("")
            );
            let size: u64 = d.snaps.iter().map(|s| s.refer).max().unwrap_or(0);
            match (&d.base, parsable) {
                (None, true) => text.push_str(&format!("full\t{name}\t{size}\n")),
                (None, false) => text.push_str(&format!(
                    "full send of {name} estimated size is {}\n",
                    nicenum(size)
                )),
                (Some((b, _)), true) => {
                    text.push_str(&format!("incremental\t{b}\t{name}\t{size}\n"))
                }
                (Some((b, _)), false) => text.push_str(&format!(
                    "send from @{b} to {name} estimated size is {}\n",
                    nicenum(size)
                )),
            }
        }
        if parsable {
            text.push_str(&format!("size\t{}\n", stream.bytes));
        } else {
            text.push_str(&format!(
                "total estimated size is {}\n",
                nicenum(stream.bytes)
            ));
        }
        let w: &mut dyn Write = if dryrun { &mut *ctx.out } else { &mut *ctx.err };
        let _ = w.write_all(text.as_bytes());
    }
    if dryrun {
        return 0;
    }
    if ctx.out.write_all(stream.render().as_bytes()).is_err() {
        return fail(
            ctx,
            &format!("warning: cannot send '{target}': Broken pipe"),
        );
    }
    let _ = ctx.out.flush();
    ctx.host.sleep(transfer_time(stream.bytes));
    0
}

pub(super) fn receive(ctx: &mut Ctx, args: &[String]) -> i32 {
    if !is_own_process() {
        // Run in-process (sim::run) there is no stdin of ours to read: an empty stream.
        return receive_from(ctx, args, &mut std::io::empty(), false);
    }
    let tty = std::io::stdin().is_terminal();
    let mut stdin = std::io::stdin().lock();
    receive_from(ctx, args, &mut stdin, tty)
}

/// `zfs receive` reading the stream from `input`.
pub(crate) fn receive_from(
    ctx: &mut Ctx,
    args: &[String],
    input: &mut dyn Read,
    stdin_is_tty: bool,
) -> i32 {
    const SPEC: &str = ":o:denuvFsA";
    let (mut naming, mut dryrun, mut no_mount) = (Naming::Exact, false, false);
    let (mut verbose, mut force, mut abort) = (false, false, false);
    let mut g = Getopt::new(args, SPEC);
    for opt in g.by_ref() {
        match opt {
            Opt::Arg('o', v) if v.starts_with("origin=") => {}
            Opt::Arg('o', _) => return bad_usage(ctx, "receive", "invalid option"),
            Opt::Flag('d') => naming = Naming::Prefix,
            Opt::Flag('e') => naming = Naming::Tail,
            Opt::Flag('n') => dryrun = true,
            Opt::Flag('u') => no_mount = true,
            Opt::Flag('v') => verbose = true,
            Opt::Flag('s') => {}
            Opt::Flag('F') => force = true,
            Opt::Flag('A') => abort = true,
            other => return opt_error(ctx, "receive", SPEC, &other),
        }
    }
    let target = match g.operands() {
        [] => return bad_usage(ctx, "receive", "missing snapshot argument"),
        [t] => t.clone(),
        _ => return bad_usage(ctx, "receive", "too many arguments"),
    };
    if abort {
        return fail(
            ctx,
            &format!("'{target}' does not have any resumable receive state to abort"),
        );
    }
    if stdin_is_tty {
        return fail(
            ctx,
            "Error: Backup stream can not be read from a terminal.\n\
             You must redirect standard input.",
        );
    }
    if !dryrun && injected(ctx, "receive", args) {
        return fail(ctx, "cannot receive new filesystem stream: out of space");
    }
    let started = Instant::now();
    let mut bytes = Vec::new();
    if let Err(e) = input.read_to_end(&mut bytes) {
        return fail(
            ctx,
            &format!("cannot receive: failed to read from stream: {e}"),
        );
    }
    let stream = match Stream::parse(&bytes) {
        Ok(s) => s,
        Err(e) => return fail(ctx, &e),
    };
    {
        let Ok((_lock, store)) = open_store(ctx, false) else {
            return 1;
        };
        let mut trial = store.clone();
        if let Err(e) = trial.receive_stream(ctx.host, &stream, &target, naming, force, no_mount) {
            return fail(ctx, &e);
        }
    }
    if dryrun {
        if verbose {
            let _ = writeln!(ctx.out, "would receive {}", describe(&stream, &target));
        }
        return 0;
    }
    if verbose {
        let _ = writeln!(ctx.out, "receiving {}", describe(&stream, &target));
    }
    // A piped send has already taken its time while we waited for the stream.
    let speed = ctx.host.speed();
    if speed > 0.0 {
        let total = transfer_time(stream.bytes).mul_f64(speed);
        if let Some(rest) = total.checked_sub(started.elapsed()) {
            ctx.host.sleep(rest.div_f64(speed));
        }
    }
    let Ok((_lock, mut store)) = open_store(ctx, true) else {
        return 1;
    };
    let created = match store.receive_stream(ctx.host, &stream, &target, naming, force, no_mount) {
        Ok(c) => c,
        Err(e) => return fail(ctx, &e),
    };
    if !no_mount {
        let mut roots: Vec<&str> = created.iter().map(|s| split_snap(s).0).collect();
        roots.dedup();
        for r in roots {
            store.make_mountpoints(ctx.host, r);
        }
    }
    if verbose {
        let secs = started.elapsed().as_secs().max(1);
        let _ = writeln!(
            ctx.out,
            "received {} stream in {secs} seconds ({}/sec)",
            nicenum(stream.bytes),
            nicenum(stream.bytes / secs)
        );
    }
    save_store(ctx, &store)
}

fn describe(stream: &Stream, target: &str) -> String {
    let kind = if stream.datasets.iter().any(|d| d.base.is_some()) {
        "incremental"
    } else {
        "full"
    };
    let snap = stream.snap.as_deref().unwrap_or("");
    let dest = if target.contains('@') {
        target.to_string()
    } else {
        format!("{target}@{snap}")
    };
    format!("{kind} stream of {}@{snap} into {dest}", stream.top)
}

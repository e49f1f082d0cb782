//! The sim host's `ipnat`: `-l` lists the kernel's NAT rules (as printnat prints them) and
//! sessions, `-F` flushes sessions, `-C` the rules, `-f FILE` loads rules from a file under
//! the sim root (`-r` removes them instead, `-n` only parses), `-s` statistics, `-v`
//! verbose. The NAT device answers only while ipfilter is online.

use super::svcs::getopt::getopt;
use crate::sim::Ctx;
use crate::sim::smf::SmfStore;
use crate::sys::ipnat::grammar::parse_text;
use crate::sys::ipnat::list::{HOSTMAP_HEADER, format_list};
use crate::sys::ipnat::print::printnat;

fn usage(ctx: &mut Ctx) -> i32 {
    let _ = writeln!(ctx.err, "Usage: ipnat [-CdFhlnrRsv] [-f filename]");
    1
}

struct Flags {
    clear: bool,
    flush: bool,
    list: bool,
    stats: bool,
    nothing: bool,
    remove: bool,
    verbose: bool,
    hits: bool,
    file: Option<String>,
}

pub fn main(ctx: &mut Ctx, args: &[String]) -> i32 {
    let parsed = match getopt(args, "CdFf:hlM:N:nrRsv") {
        Ok(p) => p,
        Err(msg) => {
            let _ = writeln!(ctx.err, "ipnat: {msg}");
            return usage(ctx);
        }
    };
    let mut f = Flags {
        clear: false,
        flush: false,
        list: false,
        stats: false,
        nothing: false,
        remove: false,
        verbose: false,
        hits: false,
        file: None,
    };
    for (c, arg) in parsed.opts {
        match c {
            'C' => f.clear = true,
            'F' => f.flush = true,
            'l' => f.list = true,
            's' => f.stats = true,
            'n' => f.nothing = true,
            'r' => f.remove = true,
            'v' => f.verbose = true,
            'h' => f.hits = true,
            'f' => f.file = arg,
            'M' | 'N' => {
                let _ = writeln!(
                    ctx.err,
                    "ipnat: kernel and core files are not available on this sim host"
                );
                return 1;
            }
            _ => {}
        }
    }
    let mutating = !f.nothing && (f.clear || f.flush || f.file.is_some());
    if mutating && crate::sim::fail::injected(ctx.host, "ipnat", args) {
        let _ = writeln!(ctx.err, "/dev/ipnat: open: Device busy");
        return 1;
    }
    if mutating {
        let Ok(_lock) = ctx.host.lock_exclusive() else {
            return 1;
        };
        let Ok(mut store) = SmfStore::load(ctx.host) else {
            return 1;
        };
        let status = run(ctx, &mut store, &f);
        if store.save(ctx.host).is_err() {
            return 1;
        }
        status
    } else {
        let Ok(mut store) = SmfStore::load_for_reading(ctx.host) else {
            return 1;
        };
        run(ctx, &mut store, &f)
    }
}

fn run(ctx: &mut Ctx, store: &mut SmfStore, f: &Flags) -> i32 {
    if !f.nothing && !store.nat.running {
        // ipf is disabled: the version check's ioctl is refused.
        let _ = writeln!(ctx.err, "ioctl(SIOCGETFS): I/O error");
        let _ = writeln!(ctx.err, "User/kernel version check failed");
        return 1;
    }
    let mut added = 0;
    if f.flush {
        let _ = writeln!(ctx.out, "0 entries flushed from NAT table");
    }
    if f.clear {
        // With -n the ioctl is skipped and its argument (1 = rules) is printed as is.
        let n = if f.nothing { 1 } else { store.nat.rules.len() };
        if !f.nothing {
            store.nat.rules.clear();
        }
        let _ = writeln!(ctx.out, "{n} entries flushed from NAT list");
    }
    if let Some(file) = &f.file {
        let text = match std::fs::read_to_string(ctx.host.host_path(file)) {
            Ok(t) => t,
            Err(e) => {
                let _ = writeln!(ctx.err, "fopen({file}) failed: {}", os_error(&e));
                String::new()
            }
        };
        let parsed = parse_text(&text);
        for (nat, line) in &parsed.rules {
            let rule = printnat(nat);
            if f.verbose {
                let _ = writeln!(ctx.out, "{rule}");
            }
            if f.nothing {
                continue;
            }
            let at = store.nat.rules.iter().position(|r| *r == rule);
            match (f.remove, at) {
                (true, Some(i)) => {
                    store.nat.rules.remove(i);
                }
                (true, None) => {
                    let _ = writeln!(ctx.err, "{line}:ioctl(delete nat rule): No such process");
                }
                (false, Some(_)) => {
                    let _ = writeln!(ctx.err, "{line}:ioctl(add/insert nat rule): File exists");
                }
                (false, None) => {
                    store.nat.rules.push(rule);
                    added += 1;
                }
            }
        }
        if let Some(e) = parsed.error {
            let _ = writeln!(ctx.err, "{e}");
            return 1;
        }
    }
    let rules: Vec<String> = if f.nothing {
        Vec::new()
    } else if f.hits {
        store.nat.rules.iter().map(|r| format!("0 {r}")).collect()
    } else {
        store.nat.rules.clone()
    };
    if f.stats {
        let _ = write!(
            ctx.out,
            "mapped\tin\t0\tout\t0\nadded\t{added}\texpired\t0\nno memory\t0\tbad nat\t0\n\
             inuse\t0\nrules\t{}\nwilds\t0\n",
            rules.len()
        );
    }
    if f.list {
        let _ = write!(ctx.out, "{}", format_list(&rules, &[]));
        if f.verbose {
            let _ = writeln!(ctx.out, "\n{HOSTMAP_HEADER}");
        }
    }
    0
}

/// strerror()'s text for an I/O error.
fn os_error(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "No such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "Permission denied".into(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests;

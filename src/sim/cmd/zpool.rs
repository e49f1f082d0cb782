//! The sim host's `zpool`: `list` and `get`, with illumos' formats.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::zfs::getopt::{Getopt, Opt};
use crate::sim::Ctx;
use crate::sim::zfs::ZfsStore;
use crate::sim::zfs::props::nicenum;
use crate::sys::zpool::Pool;

const LIST_USAGE: &str =
    "\tlist [-gHLpPv] [-o property[,...]] [-T d|u] [pool] ... [interval [count]]\n";
const GET_USAGE: &str =
    "\tget [-Hp] [-o \"all\" | field[,...]] <\"all\" | property[,...]> <pool> ...\n";

/// Pool properties: name, column, right-aligned.
const PROPS: &[(&str, &str, bool)] = &[
    ("name", "NAME", false),
    ("size", "SIZE", true),
    ("allocated", "ALLOC", true),
    ("free", "FREE", true),
    ("checkpoint", "CKPOINT", true),
    ("expandsize", "EXPANDSZ", true),
    ("fragmentation", "FRAG", true),
    ("capacity", "CAP", true),
    ("dedupratio", "DEDUP", true),
    ("health", "HEALTH", true),
    ("altroot", "ALTROOT", false),
    ("guid", "GUID", true),
    ("version", "VERSION", true),
    ("bootfs", "BOOTFS", false),
    ("delegation", "DELEGATION", false),
    ("autoreplace", "REPLACE", false),
    ("cachefile", "CACHEFILE", false),
    ("failmode", "FAILMODE", false),
    ("listsnapshots", "LISTSNAPS", false),
    ("autoexpand", "EXPAND", false),
    ("readonly", "RO", false),
    ("comment", "COMMENT", false),
    ("freeing", "FREEING", true),
    ("leaked", "LEAKED", true),
];

const ALIASES: &[(&str, &str)] = &[
    ("alloc", "allocated"),
    ("frag", "fragmentation"),
    ("cap", "capacity"),
    ("dedup", "dedupratio"),
    ("expandsz", "expandsize"),
];

fn lookup(name: &str) -> Option<&'static (&'static str, &'static str, bool)> {
    let name = ALIASES
        .iter()
        .find(|(a, _)| *a == name)
        .map_or(name, |(_, f)| f);
    PROPS.iter().find(|p| p.0 == name)
}

/// (value, source) of a pool property.
fn value(pool: &Pool, guid: u64, prop: &str, literal: bool) -> (String, &'static str) {
    let bytes = |n: u64| if literal { n.to_string() } else { nicenum(n) };
    let ro = |s: String| (s, "-");
    let def = |s: &str| (s.to_string(), "default");
    match prop {
        "name" => ro(pool.name.clone()),
        "size" => ro(bytes(pool.size)),
        "allocated" => ro(bytes(pool.alloc)),
        "free" => ro(bytes(pool.free)),
        "checkpoint" | "expandsize" => ro("-".into()),
        "fragmentation" => ro(match pool.frag {
            Some(f) if literal => f.to_string(),
            Some(f) => format!("{f}%"),
            None => "-".into(),
        }),
        "capacity" if literal => ro(pool.cap.to_string()),
        "capacity" => ro(format!("{}%", pool.cap)),
        "dedupratio" if literal => ro("1.00".into()),
        "dedupratio" => ro("1.00x".into()),
        "health" => ro(pool.health.clone()),
        "altroot" => match &pool.altroot {
            Some(a) => (a.clone(), "local"),
            None => def("-"),
        },
        "guid" => ro(guid.to_string()),
        "version" | "bootfs" => def("-"),
        "delegation" => def("on"),
        "autoreplace" | "listsnapshots" | "autoexpand" => def("off"),
        "cachefile" | "comment" => def("-"),
        "failmode" => def("wait"),
        "readonly" => ro("off".into()),
        _ => ro("0".into()),
    }
}

fn usage(ctx: &mut Ctx, text: &str, msg: &str) -> i32 {
    if !msg.is_empty() {
        let _ = writeln!(ctx.err, "{msg}");
    }
    let _ = write!(ctx.err, "usage:\n{text}");
    2
}

/// The pools and their guids.
fn load(ctx: &mut Ctx) -> Result<(Vec<Pool>, BTreeMap<String, u64>), i32> {
    let lock = ctx.host.lock_shared();
    let summary = lock.and_then(|_l| ZfsStore::load_pool_summary(ctx.host));
    match summary {
        Ok(s) => Ok((
            s.iter().map(|p| p.pool.clone()).collect(),
            s.into_iter().map(|p| (p.pool.name, p.guid)).collect(),
        )),
        Err(e) => {
            let _ = writeln!(ctx.err, "internal error: {e}");
            Err(1)
        }
    }
}

/// The pools named (all when none), reporting unknown ones.
fn select<'p>(ctx: &mut Ctx, pools: &'p [Pool], names: &[String]) -> (Vec<&'p Pool>, bool) {
    if names.is_empty() {
        return (pools.iter().collect(), false);
    }
    let mut failed = false;
    let mut out = Vec::new();
    for n in names {
        match pools.iter().find(|p| &p.name == n) {
            Some(p) => out.push(p),
            None => {
                let _ = writeln!(ctx.err, "cannot open '{n}': no such pool");
                failed = true;
            }
        }
    }
    (out, failed)
}

pub fn main(ctx: &mut Ctx, args: &[String]) -> i32 {
    match args.first().map(String::as_str) {
        Some("list") => list(ctx, &args[1..]),
        Some("get") => get(ctx, &args[1..]),
        Some("-?") => {
            let _ = write!(
                ctx.out,
                "usage: zpool command args ...\nwhere 'command' is one of the following:\n\n{LIST_USAGE}\n{GET_USAGE}"
            );
            0
        }
        Some(other) if !other.is_empty() => {
            let _ = writeln!(ctx.err, "unrecognized command '{other}'");
            let _ = write!(
                ctx.err,
                "usage: zpool command args ...\nwhere 'command' is one of the following:\n\n{LIST_USAGE}\n{GET_USAGE}"
            );
            2
        }
        _ => {
            let _ = write!(
                ctx.err,
                "usage: zpool command args ...\nwhere 'command' is one of the following:\n\n{LIST_USAGE}\n{GET_USAGE}"
            );
            2
        }
    }
}

fn list(ctx: &mut Ctx, args: &[String]) -> i32 {
    const SPEC: &str = ":gHLo:pPT:v";
    let (mut scripted, mut literal) = (false, false);
    let mut fields = "name,size,allocated,free,checkpoint,expandsize,fragmentation,capacity,\
                      dedupratio,health,altroot"
        .to_string();
    let mut g = Getopt::new(args, SPEC);
    for opt in g.by_ref() {
        match opt {
            Opt::Flag('H') => scripted = true,
            Opt::Flag('p') => literal = true,
            Opt::Flag('g' | 'L' | 'P' | 'v') | Opt::Arg('T', _) => {}
            Opt::Arg('o', v) => fields = v,
            Opt::Missing(c) => {
                return usage(
                    ctx,
                    LIST_USAGE,
                    &format!("missing argument for '{c}' option"),
                );
            }
            Opt::Unknown(c) | Opt::Flag(c) | Opt::Arg(c, _) => {
                return usage(ctx, LIST_USAGE, &format!("invalid option '{c}'"));
            }
        }
    }
    let mut cols = Vec::new();
    for f in fields.split(',') {
        match lookup(f) {
            Some(p) => cols.push(p),
            None => {
                return usage(
                    ctx,
                    LIST_USAGE,
                    &format!("bad property list: invalid property '{f}'"),
                );
            }
        }
    }
    let Ok((pools, guids)) = load(ctx) else {
        return 1;
    };
    let (selected, failed) = select(ctx, &pools, g.operands());
    let rows: Vec<Vec<String>> = selected
        .iter()
        .map(|p| {
            let guid = guids.get(&p.name).copied().unwrap_or(0);
            cols.iter()
                .map(|c| value(p, guid, c.0, literal).0)
                .collect()
        })
        .collect();
    let mut out = String::new();
    if rows.is_empty() && g.operands().is_empty() {
        out.push_str("no pools available\n");
    } else if scripted {
        for r in &rows {
            let _ = writeln!(out, "{}", r.join("\t"));
        }
    } else if !rows.is_empty() {
        let widths: Vec<usize> = cols
            .iter()
            .enumerate()
            .map(|(k, (name, col, right))| {
                let base = match (*name, *right) {
                    ("health", _) => 8,
                    (_, true) => col.len().max(5),
                    (_, false) => col.len(),
                };
                let grows = !right || literal || *name == "guid";
                let widest = rows.iter().map(|r| r[k].len()).max().unwrap_or(0);
                if grows { base.max(widest) } else { base }
            })
            .collect();
        let header: Vec<String> = cols.iter().map(|c| c.1.to_string()).collect();
        for r in std::iter::once(&header).chain(&rows) {
            for (k, (_, _, right)) in cols.iter().enumerate() {
                if k > 0 {
                    out.push_str("  ");
                }
                let w = widths[k];
                let _ = match (*right, k + 1 == cols.len()) {
                    (true, _) => write!(out, "{:>w$}", r[k]),
                    (false, true) => write!(out, "{}", r[k]),
                    (false, false) => write!(out, "{:<w$}", r[k]),
                };
            }
            out.push('\n');
        }
    }
    let _ = ctx.out.write_all(out.as_bytes());
    i32::from(failed)
}

fn get(ctx: &mut Ctx, args: &[String]) -> i32 {
    const SPEC: &str = ":Hpo:";
    let (mut scripted, mut literal) = (false, false);
    let mut columns = vec!["name", "property", "value", "source"];
    let mut g = Getopt::new(args, SPEC);
    for opt in g.by_ref() {
        match opt {
            Opt::Flag('H') => scripted = true,
            Opt::Flag('p') => literal = true,
            Opt::Arg('o', v) => {
                columns.clear();
                for c in v.split(',') {
                    match c {
                        "name" => columns.push("name"),
                        "property" => columns.push("property"),
                        "value" => columns.push("value"),
                        "source" => columns.push("source"),
                        "all" => columns = vec!["name", "property", "value", "source"],
                        _ => {
                            return usage(ctx, GET_USAGE, &format!("invalid column name '{c}'"));
                        }
                    }
                }
            }
            Opt::Missing(c) => {
                return usage(
                    ctx,
                    GET_USAGE,
                    &format!("missing argument for '{c}' option"),
                );
            }
            Opt::Unknown(c) | Opt::Flag(c) | Opt::Arg(c, _) => {
                return usage(ctx, GET_USAGE, &format!("invalid option '{c}'"));
            }
        }
    }
    let Some((props_arg, names)) = g.operands().split_first() else {
        return usage(ctx, GET_USAGE, "missing property argument");
    };
    let props: Vec<&str> = if props_arg == "all" {
        PROPS.iter().skip(1).map(|p| p.0).collect()
    } else {
        let mut v = Vec::new();
        for p in props_arg.split(',') {
            match lookup(p) {
                Some(d) => v.push(d.0),
                None => {
                    return usage(
                        ctx,
                        GET_USAGE,
                        &format!("bad property list: invalid property '{p}'"),
                    );
                }
            }
        }
        v
    };
    let Ok((pools, guids)) = load(ctx) else {
        return 1;
    };
    let (selected, failed) = select(ctx, &pools, names);
    let mut rows: Vec<[String; 4]> = Vec::new();
    for p in selected {
        let guid = guids.get(&p.name).copied().unwrap_or(0);
        for prop in &props {
            let (v, src) = value(p, guid, prop, literal);
            rows.push([p.name.clone(), prop.to_string(), v, src.to_string()]);
        }
    }
    let idx = |c: &str| {
        ["name", "property", "value", "source"]
            .iter()
            .position(|x| *x == c)
            .unwrap_or(0)
    };
    let mut out = String::new();
    if !rows.is_empty() {
        let width = |i: usize, h: &str| {
            rows.iter()
                .map(|r| r[i].len())
                .max()
                .unwrap_or(0)
                .max(h.len())
        };
        let widths = [
            width(0, "NAME"),
            width(1, "PROPERTY"),
            width(2, "VALUE"),
            width(3, "SOURCE"),
        ];
        let header = ["NAME", "PROPERTY", "VALUE", "SOURCE"].map(str::to_string);
        let lines: Vec<&[String; 4]> = if scripted {
            rows.iter().collect()
        } else {
            std::iter::once(&header).chain(&rows).collect()
        };
        for r in lines {
            for (k, c) in columns.iter().enumerate() {
                let i = idx(c);
                let last = k + 1 == columns.len();
                let _ = match (last, scripted) {
                    (true, _) => write!(out, "{}", r[i]),
                    (false, true) => write!(out, "{}\t", r[i]),
                    (false, false) => write!(out, "{:<w$}  ", r[i], w = widths[i]),
                };
            }
            out.push('\n');
        }
    }
    let _ = ctx.out.write_all(out.as_bytes());
    i32::from(failed)
}

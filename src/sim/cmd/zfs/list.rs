//! `zfs list` and `zfs get`.

use std::cmp::Ordering;
use std::fmt::Write as _;

use super::getopt::{Getopt, Opt};
use super::select::{Entry, Selection, positions};
use super::{bad_usage, open_store, opt_error, release};
use crate::sim::Ctx;
use crate::sim::zfs::props::{self, FS, PROPS, PType, PropDef, SNAP, Source, VOL, View};
use crate::sim::zfs::space::Usage;
use crate::sim::zfs::{Kind, MpSrc, Node, ZfsStore};

/// A `-o` column.
pub(super) enum Col {
    Name,
    Native(&'static PropDef),
    User(String),
}

impl Col {
    fn header(&self) -> String {
        match self {
            Col::Name => "NAME".into(),
            Col::Native(d) => d.column.into(),
            Col::User(u) => u.to_uppercase(),
        }
    }

    fn right(&self) -> bool {
        matches!(self, Col::Native(d) if !matches!(d.ptype, PType::Index(_) | PType::Str))
    }

    /// zprop_width(): the starting width, and whether values may widen it.
    fn base_width(&self, literal: bool) -> (usize, bool) {
        let h = self.header().len();
        match self {
            Col::Native(d) => match d.ptype {
                PType::Date | PType::Str => (h, true),
                PType::Index(words) => {
                    let w = words.iter().map(|w| w.len()).max().unwrap_or(0);
                    (h.max(w), literal)
                }
                _ => (h.max(5), literal),
            },
            _ => (h, true),
        }
    }
}

/// Parse a property list (`-o` of list, the first operand of get).
pub(super) fn parse_columns(spec: &str, allow_all: bool) -> Result<Vec<Col>, String> {
    if spec == "all" && allow_all {
        let mut cols = vec![Col::Name];
        cols.extend(PROPS.iter().map(Col::Native));
        return Ok(cols);
    }
    if spec.is_empty() {
        return Err("no properties specified".into());
    }
    let mut cols = Vec::new();
    for p in spec.split(',') {
        match p {
            "" => return Err("empty property name".into()),
            "name" => cols.push(Col::Name),
            "space" => {
                cols.push(Col::Name);
                for s in [
                    "available",
                    "used",
                    "usedbysnapshots",
                    "usedbydataset",
                    "usedbyrefreservation",
                    "usedbychildren",
                ] {
                    cols.push(Col::Native(props::lookup(s).expect("known")));
                }
            }
            p => match props::lookup(p) {
                Some(d) => cols.push(Col::Native(d)),
                None if props::is_user_prop(p) => cols.push(Col::User(p.to_string())),
                None => return Err(format!("invalid property '{p}'")),
            },
        }
    }
    Ok(cols)
}

/// What the columns need computed for the whole store.
pub(super) struct Table<'a> {
    store: &'a ZfsStore,
    pub(super) all: Vec<(&'a String, &'a Node)>,
    usage: Vec<Usage>,
    mountpoints: Vec<(String, MpSrc)>,
}

impl<'a> Table<'a> {
    pub(super) fn new(store: &'a ZfsStore, space: bool, mountpoints: bool) -> Table<'a> {
        let parents = if space || mountpoints {
            store.parent_index()
        } else {
            Vec::new()
        };
        Table {
            store,
            all: positions(store),
            usage: if space {
                store.usage_with(&parents)
            } else {
                Vec::new()
            },
            mountpoints: if mountpoints {
                store.mountpoints_with(&parents)
            } else {
                Vec::new()
            },
        }
    }

    pub(super) fn name(&self, (i, s): Entry) -> String {
        let (ds, node) = self.all[i];
        match s {
            0 => ds.clone(),
            s => format!("{ds}@{}", node.snaps[s - 1].name),
        }
    }

    pub(super) fn view<'b>(&'b self, (i, s): Entry, name: &'b str) -> View<'b> {
        let (ds, node) = self.all[i];
        View {
            name,
            ds,
            node,
            snap: s.checked_sub(1).map(|k| &node.snaps[k]),
            // Computed for the whole store when a column needs it (see `needs`).
            usage: if s == 0 {
                self.usage.get(i).copied().unwrap_or_default()
            } else {
                Usage::default()
            },
            mountpoint: self.mountpoints.get(i).map(|(path, src)| {
                let src = match *src {
                    MpSrc::Default => Source::Default,
                    MpSrc::Local => Source::Local,
                    MpSrc::Received => Source::Received,
                    MpSrc::Inherited(k) => Source::Inherited(self.all[k].0.clone()),
                };
                (path.clone(), src)
            }),
        }
    }

    /// Write the common `zfs list` columns straight into the output (the refresh path runs
    /// over every dataset); false for anything else.
    fn fast_cell(&self, out: &mut String, (i, s): Entry, col: &Col, literal: bool) -> bool {
        let (ds, node) = self.all[i];
        let snap = s.checked_sub(1).map(|k| &node.snaps[k]);
        let num = |out: &mut String, n: u64| {
            if literal {
                push_u64(out, n);
            } else {
                out.push_str(&props::nicenum(n));
            }
        };
        let name = match col {
            Col::Name => {
                out.push_str(ds);
                if let Some(sn) = snap {
                    out.push('@');
                    out.push_str(&sn.name);
                }
                return true;
            }
            Col::Native(d) => d.name,
            Col::User(_) => return false,
        };
        match (name, snap) {
            ("type", None) => out.push_str(match node.kind {
                Kind::Filesystem => "filesystem",
                Kind::Volume => "volume",
            }),
            ("type", Some(_)) => out.push_str("snapshot"),
            ("used", None) if !self.usage.is_empty() => num(out, self.usage[i].used),
            ("used", Some(sn)) => num(out, sn.used),
            ("available", None) if !self.usage.is_empty() => num(out, self.usage[i].avail),
            ("available", Some(_)) => out.push('-'),
            ("referenced", None) => num(out, node.refer),
            ("referenced", Some(sn)) => num(out, sn.refer),
            ("mountpoint", None)
                if node.kind == Kind::Filesystem && !self.mountpoints.is_empty() =>
            {
                out.push_str(&self.mountpoints[i].0)
            }
            ("mountpoint", _) => out.push('-'),
            ("volsize", _) if node.kind != Kind::Volume => out.push('-'),
            ("volsize", None) => num(out, node.volsize),
            ("volsize", Some(sn)) => num(out, sn.volsize),
            ("origin", None) => out.push_str(node.origin.as_deref().unwrap_or("-")),
            ("origin", Some(_)) => out.push('-'),
            ("creation", _) if literal => {
                let t = snap.map_or(node.creation, |sn| sn.creation);
                if t < 0 {
                    out.push('-');
                }
                push_u64(out, t.unsigned_abs());
            }
            _ => return false,
        }
        true
    }
}

/// How much scripted output is written at a time.
const STREAM_CHUNK: usize = 64 << 10;

/// Decimal digits of `n` without the formatting machinery (half a million per refresh).
fn push_u64(out: &mut String, n: u64) {
    out.push_str(itoa::Buffer::new().format(n));
}

pub(super) fn needs(cols: &[Col]) -> (bool, bool) {
    let space = cols.iter().any(|c| {
        matches!(c, Col::Native(d) if matches!(d.name, "used" | "available" | "usedbysnapshots"
            | "usedbydataset" | "usedbychildren" | "usedbyrefreservation" | "logicalused"))
    });
    let mp = cols
        .iter()
        .any(|c| matches!(c, Col::Native(d) if matches!(d.name, "mountpoint" | "mounted")));
    (space, mp)
}

pub(super) fn parse_types(ctx: &mut Ctx, cmd: &str, spec: &str) -> Result<u8, i32> {
    let mut types = 0;
    for t in spec.split(',') {
        types |= match t {
            "filesystem" => FS,
            "volume" => VOL,
            "snapshot" | "snap" if cmd == "list" || t == "snapshot" => SNAP,
            "bookmark" => 0,
            "all" => FS | VOL | SNAP,
            _ => return Err(bad_usage(ctx, cmd, &format!("invalid type '{t}'"))),
        };
    }
    Ok(types)
}

pub(super) fn parse_depth(ctx: &mut Ctx, cmd: &str, v: &str) -> Result<usize, i32> {
    match v.parse::<i64>() {
        Ok(d) if d < 0 => Err(bad_usage(ctx, cmd, "Depth can not be negative.")),
        Ok(d) => Ok(d as usize),
        Err(_) => Err(bad_usage(ctx, cmd, &format!("{v} is not an integer"))),
    }
}

/// A sort key's value: numbers compare numerically, text as strcmp; missing sorts last.
fn sort_value(table: &Table, e: Entry, col: &Col) -> Option<(u64, String)> {
    let name = table.name(e);
    let v = table.view(e, &name);
    let value = match col {
        Col::Name => return Some((0, name.clone())),
        Col::Native(d) => props::native(table.store, &v, d)?.0,
        Col::User(u) => props::user(table.store, &v, u)?.0,
    };
    Some((value.parse().unwrap_or(0), value))
}

pub(super) fn list(ctx: &mut Ctx, args: &[String]) -> i32 {
    const SPEC: &str = "HS:d:o:prs:t:";
    let (mut scripted, mut literal, mut recurse) = (false, false, false);
    let mut depth = None;
    let mut fields = "name,used,available,referenced,mountpoint".to_string();
    let mut types = FS | VOL | SNAP;
    let mut types_given = false;
    let mut sort: Vec<(String, bool)> = Vec::new();
    let mut g = Getopt::new(args, SPEC);
    for opt in g.by_ref() {
        match opt {
            Opt::Flag('H') => scripted = true,
            Opt::Flag('p') => literal = true,
            Opt::Flag('r') => recurse = true,
            Opt::Arg('o', v) => fields = v,
            Opt::Arg('d', v) => match parse_depth(ctx, "list", &v) {
                Ok(d) => {
                    depth = Some(d);
                    recurse = true;
                }
                Err(code) => return code,
            },
            Opt::Arg(c @ ('s' | 'S'), v) => {
                let valid = v == "name" || props::lookup(&v).is_some() || props::is_user_prop(&v);
                if !valid {
                    return bad_usage(ctx, "list", &format!("invalid property '{v}'"));
                }
                sort.push((v, c == 'S'));
            }
            Opt::Arg('t', v) => match parse_types(ctx, "list", &v) {
                Ok(t) => {
                    types = t;
                    types_given = true;
                }
                Err(code) => return code,
            },
            other => return opt_error(ctx, "list", SPEC, &other),
        }
    }
    let operands = g.operands();
    if fields == "space" && !types_given {
        types &= !SNAP;
    }
    let cols = match parse_columns(&fields, true) {
        Ok(c) => c,
        Err(why) => return bad_usage(ctx, "list", &format!("bad property list: {why}")),
    };
    let sort_cols: Vec<(Col, bool)> = sort
        .iter()
        .filter_map(|(s, rev)| parse_columns(s, false).ok()?.pop().map(|c| (c, *rev)))
        .collect();
    let Ok((_lock, store)) = open_store(ctx, false) else {
        return 1;
    };
    let (space, mp) = needs(&cols);
    let sort_only: Vec<Col> = sort
        .iter()
        .filter_map(|(s, _)| parse_columns(s, false).ok()?.pop())
        .collect();
    let (sort_space, sort_mp) = needs(&sort_only);
    let table = Table::new(&store, space || sort_space, mp || sort_mp);
    let sel = Selection {
        types,
        recurse,
        depth,
        include_snaps: types_given && types & SNAP != 0,
    };
    let (entries, failed) = sel.collect(ctx, &store, &table.all, operands);
    let entries = sorted(&table, entries, &sort_cols);
    let mut out = String::with_capacity(STREAM_CHUNK + 1024);
    if scripted {
        // Rows go out as they are formatted, as zfs's buffered printf sends them: a reader
        // sees the first rows while the last are still being written.
        for &e in &entries {
            for (k, c) in cols.iter().enumerate() {
                if k > 0 {
                    out.push('\t');
                }
                if !table.fast_cell(&mut out, e, c, literal) {
                    let name = table.name(e);
                    let view = table.view(e, &name);
                    out.push_str(&cell(&table, &view, c, literal));
                }
            }
            out.push('\n');
            if out.len() >= STREAM_CHUNK {
                let _ = ctx.out.write_all(out.as_bytes());
                let _ = ctx.out.flush();
                out.clear();
            }
        }
    } else if !entries.is_empty() {
        let rows: Vec<Vec<String>> = entries
            .iter()
            .map(|&e| {
                let name = table.name(e);
                let view = table.view(e, &name);
                cols.iter()
                    .map(|c| cell(&table, &view, c, literal))
                    .collect()
            })
            .collect();
        render_columns(&mut out, &cols, &rows, literal);
    } else if !failed {
        out.push_str("no datasets available\n");
    }
    let _ = ctx.out.write_all(out.as_bytes());
    release(table);
    release(store);
    i32::from(failed)
}

fn sorted(table: &Table, mut v: Vec<Entry>, sort: &[(Col, bool)]) -> Vec<Entry> {
    if sort.is_empty() {
        return v;
    }
    let keys: Vec<Vec<Option<(u64, String)>>> = v
        .iter()
        .map(|&e| sort.iter().map(|(c, _)| sort_value(table, e, c)).collect())
        .collect();
    let mut order: Vec<usize> = (0..v.len()).collect();
    order.sort_by(|&a, &b| {
        for (k, (col, rev)) in sort.iter().enumerate() {
            let numeric =
                matches!(col, Col::Native(d) if !matches!(d.ptype, PType::Index(_) | PType::Str));
            let ord = match (&keys[a][k], &keys[b][k]) {
                (Some(x), Some(y)) if numeric => x.0.cmp(&y.0),
                (Some(x), Some(y)) => x.1.cmp(&y.1),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            };
            if ord != Ordering::Equal {
                return if *rev { ord.reverse() } else { ord };
            }
        }
        v[a].cmp(&v[b])
    });
    let sorted_v = order.iter().map(|&i| v[i]).collect();
    v.clear();
    sorted_v
}

pub(super) fn cell(table: &Table, view: &View, col: &Col, literal: bool) -> String {
    match col {
        Col::Name => view.name.to_string(),
        Col::Native(d) => match props::native(table.store, view, d) {
            Some((v, _)) => props::display(d, &v, literal),
            None => "-".into(),
        },
        Col::User(u) => props::user(table.store, view, u).map_or_else(|| "-".into(), |v| v.0),
    }
}

/// The human layout of `zfs list`: two spaces between columns, numbers right-aligned, a
/// left-aligned last column unpadded.
fn render_columns(out: &mut String, cols: &[Col], rows: &[Vec<String>], literal: bool) {
    let widths: Vec<usize> = cols
        .iter()
        .enumerate()
        .map(|(k, c)| {
            let (base, grows) = c.base_width(literal);
            if grows {
                rows.iter().map(|r| r[k].len()).max().unwrap_or(0).max(base)
            } else {
                base
            }
        })
        .collect();
    let headers: Vec<String> = cols.iter().map(Col::header).collect();
    for line in std::iter::once(&headers).chain(rows) {
        for (k, c) in cols.iter().enumerate() {
            if k > 0 {
                out.push_str("  ");
            }
            let w = widths[k];
            let last = k + 1 == cols.len();
            let _ = match (c.right(), last) {
                (true, _) => write!(out, "{:>w$}", line[k]),
                (false, true) => write!(out, "{}", line[k]),
                (false, false) => write!(out, "{:<w$}", line[k]),
            };
        }
        out.push('\n');
    }
}

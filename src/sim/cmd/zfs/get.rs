//! `zfs get`.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::getopt::{Getopt, Opt};
use super::list::{Col, Table, needs, parse_columns, parse_depth, parse_types};
use super::select::Selection;
use super::{bad_usage, open_store, opt_error, release};
use crate::sim::Ctx;
use crate::sim::zfs::ZfsStore;
use crate::sim::zfs::props::{self, FS, PROPS, SNAP, Source, VOL, View};

pub(super) fn get(ctx: &mut Ctx, args: &[String]) -> i32 {
    const SPEC: &str = ":d:o:s:rt:Hp";
    let (mut scripted, mut literal, mut recurse) = (false, false, false);
    let mut depth = None;
    let mut columns = vec!["name", "property", "value", "source"];
    let mut sources: Option<Vec<String>> = None;
    let mut types = FS | VOL | SNAP;
    let mut g = Getopt::new(args, SPEC);
    for opt in g.by_ref() {
        match opt {
            Opt::Flag('p') => literal = true,
            Opt::Flag('H') => scripted = true,
            Opt::Flag('r') => recurse = true,
            Opt::Arg('d', v) => match parse_depth(ctx, "get", &v) {
                Ok(d) => {
                    depth = Some(d);
                    recurse = true;
                }
                Err(code) => return code,
            },
            Opt::Arg('o', v) => {
                columns.clear();
                for c in v.split(',') {
                    match c {
                        "name" | "property" | "value" | "received" | "source" => columns.push(
                            ["name", "property", "value", "received", "source"]
                                .into_iter()
                                .find(|x| *x == c)
                                .expect("matched"),
                        ),
                        "all" if columns.is_empty() => {
                            columns = vec!["name", "property", "value", "received", "source"];
                        }
                        "all" => {
                            return bad_usage(
                                ctx,
                                "get",
                                "\"all\" conflicts with specific fields given to -o option",
                            );
                        }
                        _ => return bad_usage(ctx, "get", &format!("invalid column name '{c}'")),
                    }
                    if columns.len() > 5 {
                        return bad_usage(ctx, "get", "too many fields given to -o option");
                    }
                }
            }
            Opt::Arg('s', v) => {
                let mut set = Vec::new();
                for s in v.split(',') {
                    if ![
                        "local",
                        "default",
                        "inherited",
                        "received",
                        "temporary",
                        "none",
                    ]
                    .contains(&s)
                    {
                        return bad_usage(ctx, "get", &format!("invalid source '{s}'"));
                    }
                    set.push(s.to_string());
                }
                sources = Some(set);
            }
            Opt::Arg('t', v) => match parse_types(ctx, "get", &v) {
                Ok(t) => types = t,
                Err(code) => return code,
            },
            other => return opt_error(ctx, "get", SPEC, &other),
        }
    }
    let operands = g.operands();
    let Some((props_arg, operands)) = operands.split_first() else {
        return bad_usage(ctx, "get", "missing property argument");
    };
    let all_props = props_arg == "all";
    let cols = if all_props {
        Vec::new()
    } else {
        match parse_columns(props_arg, false) {
            Ok(c) => c,
            Err(why) => return bad_usage(ctx, "get", &format!("bad property list: {why}")),
        }
    };
    let Ok((_lock, store)) = open_store(ctx, false) else {
        return 1;
    };
    let (space, mp) = if all_props {
        (true, true)
    } else {
        needs(&cols)
    };
    let table = Table::new(&store, space, mp);
    let sel = Selection {
        types,
        recurse,
        depth,
        include_snaps: true,
    };
    let (entries, failed) = sel.collect(ctx, &store, &table.all, operands);
    let mut rows: Vec<[String; 5]> = Vec::new();
    for e in entries {
        let name = table.name(e);
        let view = table.view(e, &name);
        let mut emit = |prop: &str, value: String, src: Source, received: bool| {
            if sources
                .as_ref()
                .is_some_and(|s| !s.iter().any(|x| x == src.category()))
            {
                return;
            }
            let recvd = if received { value.clone() } else { "-".into() };
            rows.push([name.clone(), prop.to_string(), value, recvd, src.render()]);
        };
        let is_received = |prop: &str| {
            let node = table.all[e.0].1;
            e.1 == 0 && node.local(prop).is_some_and(|p| p.received)
        };
        if all_props {
            for d in PROPS {
                if let Some((v, src)) = props::native(&store, &view, d) {
                    emit(
                        d.name,
                        props::display(d, &v, literal),
                        src,
                        is_received(d.name),
                    );
                }
            }
            for u in user_props_of(&store, &view) {
                if let Some((v, src)) = props::user(&store, &view, &u) {
                    let r = is_received(&u);
                    emit(&u, v, src, r);
                }
            }
            continue;
        }
        for c in &cols {
            match c {
                Col::Name => emit("name", name.clone(), Source::None, false),
                Col::Native(d) => match props::native(&store, &view, d) {
                    Some((v, src)) => emit(
                        d.name,
                        props::display(d, &v, literal),
                        src,
                        is_received(d.name),
                    ),
                    None => emit(d.name, "-".into(), Source::None, false),
                },
                Col::User(u) => match props::user(&store, &view, u) {
                    Some((v, src)) => emit(u, v, src, is_received(u)),
                    None => emit(u, "-".into(), Source::None, false),
                },
            }
        }
    }
    let mut out = String::new();
    render_get(&mut out, &columns, &rows, scripted);
    let _ = ctx.out.write_all(out.as_bytes());
    release(table);
    release(store);
    i32::from(failed)
}

/// The user properties visible on a dataset (set on it or inherited), sorted.
fn user_props_of(store: &ZfsStore, view: &View) -> Vec<String> {
    let mut names = BTreeSet::new();
    if let Some(s) = view.snap {
        names.extend(s.props.iter().map(|p| p.name.clone()));
    }
    let mut cur = Some(view.ds);
    while let Some(c) = cur {
        if let Some(n) = store.datasets.get(c) {
            names.extend(
                n.props
                    .iter()
                    .filter(|p| props::is_user_prop(&p.name))
                    .map(|p| p.name.clone()),
            );
        }
        cur = c.rsplit_once('/').map(|(p, _)| p);
    }
    names.into_iter().collect()
}

fn render_get(out: &mut String, columns: &[&str], rows: &[[String; 5]], scripted: bool) {
    let idx = |c: &str| match c {
        "name" => 0,
        "property" => 1,
        "value" => 2,
        "received" => 3,
        _ => 4,
    };
    if rows.is_empty() {
        return;
    }
    if scripted {
        for r in rows {
            let line: Vec<&str> = columns.iter().map(|c| r[idx(c)].as_str()).collect();
            let _ = writeln!(out, "{}", line.join("\t"));
        }
        return;
    }
    let max = |i: usize, min: usize| rows.iter().map(|r| r[i].len()).max().unwrap_or(0).max(min);
    let name_w = max(0, 4);
    let widths = [
        name_w,
        max(1, 8),
        max(2, 5),
        max(3, 8),
        name_w + "inherited from".len(),
    ];
    let headers = ["NAME", "PROPERTY", "VALUE", "RECEIVED", "SOURCE"];
    let head: [String; 5] = headers.map(str::to_string);
    for r in std::iter::once(&head).chain(rows) {
        for (k, c) in columns.iter().enumerate() {
            let i = idx(c);
            if k + 1 == columns.len() {
                out.push_str(&r[i]);
            } else {
                let _ = write!(out, "{:<w$}  ", r[i], w = widths[i]);
            }
        }
        out.push('\n');
    }
}

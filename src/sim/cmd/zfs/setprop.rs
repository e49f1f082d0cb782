//! `zfs set` and `zfs inherit`.

use super::getopt::{Getopt, Opt};
use super::modify::{ANY, open};
use super::{
    bad_usage, fail, injected, open_store, opt_error, parse_prop, quick_pause, save_store,
};
use crate::sim::Ctx;
use crate::sim::zfs::{ZfsStore, props, split_snap};

pub(super) fn set(ctx: &mut Ctx, args: &[String]) -> i32 {
    if let Some(a) = args.first().filter(|a| a.starts_with('-')) {
        let c = a.chars().nth(1).unwrap_or(' ');
        return bad_usage(ctx, "set", &format!("invalid option '{c}'"));
    }
    match args.len() {
        0 => return bad_usage(ctx, "set", "missing arguments"),
        1 if !args[0].contains('=') => {
            return bad_usage(ctx, "set", "missing property=value argument(s)");
        }
        1 => return bad_usage(ctx, "set", "missing dataset name(s)"),
        _ => {}
    }
    let Some(ds_start) = args.iter().position(|a| !a.contains('=')) else {
        return bad_usage(ctx, "set", "missing dataset name(s)");
    };
    if args[ds_start..].iter().any(|a| a.contains('=')) {
        return bad_usage(ctx, "set", "invalid argument order");
    }
    let mut props: Vec<(String, String)> = Vec::new();
    for a in &args[..ds_start] {
        if !parse_prop(ctx, a, &mut props) {
            return 255;
        }
    }
    let datasets = &args[ds_start..];
    if injected(ctx, "set", args) {
        return fail(
            ctx,
            &format!("cannot set property for '{}': out of space", datasets[0]),
        );
    }
    quick_pause(ctx);
    let Ok((_lock, mut store)) = open_store(ctx, true) else {
        return 1;
    };
    let mut code = 0;
    for ds in datasets {
        if !open(ctx, &store, ds, ANY) {
            code = 1;
            continue;
        }
        let mut work = store.clone();
        let mut ok = true;
        for (k, v) in &props {
            if let Err(e) = work.set_property(ctx.host, ds, k, v) {
                let _ = writeln!(ctx.err, "{e}");
                ok = false;
                break;
            }
        }
        if ok {
            store = work;
        } else {
            code = 1;
        }
    }
    let saved = save_store(ctx, &store);
    if code != 0 { code } else { saved }
}

pub(super) fn inherit(ctx: &mut Ctx, args: &[String]) -> i32 {
    const SPEC: &str = "rS";
    let (mut recursive, mut received) = (false, false);
    let mut g = Getopt::new(args, SPEC);
    for opt in g.by_ref() {
        match opt {
            Opt::Flag('r') => recursive = true,
            Opt::Flag('S') => received = true,
            other => return opt_error(ctx, "inherit", SPEC, &other),
        }
    }
    let (prop, datasets) = match g.operands() {
        [] => return bad_usage(ctx, "inherit", "missing property argument"),
        [_] => return bad_usage(ctx, "inherit", "missing dataset argument"),
        [p, rest @ ..] => (p.clone(), rest),
    };
    if let Some(def) = props::lookup(&prop) {
        if def.readonly || def.setonce {
            return fail(ctx, &format!("{prop} property is read-only"));
        }
        if !def.inherit && !received {
            let mut msg = format!("'{prop}' property cannot be inherited");
            if matches!(
                def.name,
                "quota" | "reservation" | "refquota" | "refreservation"
            ) {
                msg.push_str(&format!(
                    "\nuse 'zfs set {prop}=none' to clear\n\
                     use 'zfs inherit -S {prop}' to revert to received value"
                ));
            }
            return fail(ctx, &msg);
        }
        if received && matches!(def.name, "volsize" | "version") {
            return fail(
                ctx,
                &format!("'{prop}' property cannot be reverted to a received value"),
            );
        }
    } else if !props::is_user_prop(&prop) {
        return bad_usage(ctx, "inherit", &format!("invalid property '{prop}'"));
    }
    if injected(ctx, "inherit", args) {
        return fail(
            ctx,
            &format!(
                "cannot inherit {prop} for '{}': dataset is busy",
                datasets[0]
            ),
        );
    }
    quick_pause(ctx);
    let Ok((_lock, mut store)) = open_store(ctx, true) else {
        return 1;
    };
    let mut code = 0;
    for ds in datasets {
        if !open(ctx, &store, ds, ANY) {
            code = 1;
            continue;
        }
        let mut targets = vec![ds.clone()];
        if recursive && !ds.contains('@') {
            targets = store
                .subtree(ds)
                .flat_map(|(n, node)| {
                    std::iter::once(n.clone())
                        .chain(node.snaps.iter().map(move |s| format!("{n}@{}", s.name)))
                })
                .collect();
        }
        for t in targets {
            let def = props::lookup(&prop);
            if recursive && def.is_some_and(|d| !applies(&store, &t, d)) {
                continue;
            }
            if let Err(e) = store.inherit_property(ctx.host, &t, &prop) {
                let _ = writeln!(ctx.err, "{e}");
                code = 1;
            }
        }
    }
    let saved = save_store(ctx, &store);
    if code != 0 { code } else { saved }
}

fn applies(store: &ZfsStore, name: &str, def: &props::PropDef) -> bool {
    let (ds, snap) = split_snap(name);
    store
        .datasets
        .get(ds)
        .is_some_and(|n| def.types & props::type_bit(n.kind, snap.is_some()) != 0)
}

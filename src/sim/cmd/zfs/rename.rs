//! `zfs clone`, `zfs promote` and `zfs rename`.

use super::getopt::{Getopt, Opt};
use super::modify::{ANY, FS_VOL, as_refs, open};
use super::{
    bad_usage, fail, injected, open_store, opt_error, parse_prop, quick_pause, save_store,
};
use crate::sim::Ctx;
use crate::sim::zfs::busy::InUse;
use crate::sim::zfs::name_error;
use crate::sys::zfs::DatasetType;

pub(super) fn clone(ctx: &mut Ctx, args: &[String]) -> i32 {
    const SPEC: &str = "o:p";
    let mut parents = false;
    let mut props: Vec<(String, String)> = Vec::new();
    let mut g = Getopt::new(args, SPEC);
    for opt in g.by_ref() {
        match opt {
            Opt::Flag('p') => parents = true,
            Opt::Arg('o', v) => {
                if !parse_prop(ctx, &v, &mut props) {
                    return 1;
                }
            }
            other => return opt_error(ctx, "clone", SPEC, &other),
        }
    }
    let (src, target) = match g.operands() {
        [] => return bad_usage(ctx, "clone", "missing source dataset argument"),
        [_] => return bad_usage(ctx, "clone", "missing target dataset argument"),
        [s, t] => (s.clone(), t.clone()),
        _ => return bad_usage(ctx, "clone", "too many arguments"),
    };
    if injected(ctx, "clone", args) {
        return fail(ctx, &format!("cannot create '{target}': out of space"));
    }
    quick_pause(ctx);
    let Ok((_lock, mut store)) = open_store(ctx, true) else {
        return 1;
    };
    if !open(ctx, &store, &src, &[DatasetType::Snapshot]) {
        return 1;
    }
    if parents && name_error(&target, false, false).is_none() {
        if store.datasets.contains_key(&target) {
            return 0;
        }
        if let Err(e) = store.create_ancestors(ctx.host, &target) {
            let _ = save_store(ctx, &store);
            return fail(ctx, &e);
        }
    }
    let res = store.clone_snapshot(ctx.host, &src, &target, &as_refs(&props));
    let code = save_store(ctx, &store);
    match res {
        Ok(()) => code,
        Err(e) => fail(ctx, &e),
    }
}

pub(super) fn promote(ctx: &mut Ctx, args: &[String]) -> i32 {
    if let Some(a) = args.first().filter(|a| a.starts_with('-')) {
        let c = a.chars().nth(1).unwrap_or(' ');
        return bad_usage(ctx, "promote", &format!("invalid option '{c}'"));
    }
    let name = match args {
        [] => return bad_usage(ctx, "promote", "missing clone filesystem argument"),
        [n] => n.clone(),
        _ => return bad_usage(ctx, "promote", "too many arguments"),
    };
    if injected(ctx, "promote", args) {
        return fail(ctx, &format!("cannot promote '{name}': dataset is busy"));
    }
    quick_pause(ctx);
    let Ok((_lock, mut store)) = open_store(ctx, true) else {
        return 1;
    };
    if !open(ctx, &store, &name, FS_VOL) {
        return 1;
    }
    match store.promote(&name) {
        Ok(()) => save_store(ctx, &store),
        Err(e) => fail(ctx, &e),
    }
}

pub(super) fn rename(ctx: &mut Ctx, args: &[String]) -> i32 {
    const SPEC: &str = "prf";
    let (mut parents, mut recursive) = (false, false);
    let mut g = Getopt::new(args, SPEC);
    for opt in g.by_ref() {
        match opt {
            Opt::Flag('p') => parents = true,
            Opt::Flag('r') => recursive = true,
            Opt::Flag('f') => {}
            other => return opt_error(ctx, "rename", SPEC, &other),
        }
    }
    let (from, to) = match g.operands() {
        [] => return bad_usage(ctx, "rename", "missing source dataset argument"),
        [_] => return bad_usage(ctx, "rename", "missing target dataset argument"),
        [f, t] => (f.clone(), t.clone()),
        _ => return bad_usage(ctx, "rename", "too many arguments"),
    };
    if recursive && parents {
        return bad_usage(ctx, "rename", "-p and -r options are mutually exclusive");
    }
    if recursive && !from.contains('@') {
        return bad_usage(
            ctx,
            "rename",
            "source dataset for recursive rename must be a snapshot",
        );
    }
    if injected(ctx, "rename", args) {
        return fail(ctx, &format!("cannot rename '{from}': dataset is busy"));
    }
    quick_pause(ctx);
    let Ok((_lock, mut store)) = open_store(ctx, true) else {
        return 1;
    };
    if !open(ctx, &store, &from, if parents { FS_VOL } else { ANY }) {
        return 1;
    }
    if !from.contains('@') {
        let in_use = InUse::load(ctx.host, store.kind_of(&from) == Some(DatasetType::Volume));
        let moved: Vec<String> = store.subtree(&from).map(|(n, _)| n.clone()).collect();
        for m in moved {
            if let Some(refusal) = in_use.refusal(&store, &m) {
                let msg = if refusal.starts_with("cannot unmount") {
                    refusal
                } else {
                    format!("cannot rename '{from}': dataset is busy")
                };
                return fail(ctx, &msg);
            }
        }
    }
    if parents
        && name_error(&to, from.contains('@'), false).is_none()
        && let Err(e) = store.create_ancestors(ctx.host, &to)
    {
        let _ = save_store(ctx, &store);
        return fail(ctx, &e);
    }
    let res = store.rename(ctx.host, &from, &to, recursive);
    let code = save_store(ctx, &store);
    match res {
        Ok(()) => code,
        Err(e) => fail(ctx, &e),
    }
}

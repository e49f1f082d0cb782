//! The subcommands that change datasets: create, destroy, snapshot, rollback, clone,
//! promote, rename, set, inherit.

use super::getopt::{Getopt, Opt};
use super::{
    bad_usage, fail, injected, open_store, opt_error, parse_prop, quick_pause, save_store,
};
use crate::sim::Ctx;
use crate::sim::zfs::busy::InUse;
use crate::sim::zfs::props;
use crate::sim::zfs::{Kind, ZfsStore, name_error, split_snap};
use crate::sys::zfs::DatasetType;

fn as_refs(props: &[(String, String)]) -> Vec<(&str, &str)> {
    props
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

/// zfs_open() with a mask of acceptable types; prints zfs' complaint when it fails.
fn open(ctx: &mut Ctx, store: &ZfsStore, name: &str, types: &[DatasetType]) -> bool {
    let why = if name_error(name, name.contains('@'), false).is_some() {
        "invalid dataset name"
    } else {
        match store.kind_of(name) {
            None => "dataset does not exist",
            Some(t) if !types.contains(&t) => "operation not applicable to datasets of this type",
            Some(_) => return true,
        }
    };
    let _ = writeln!(ctx.err, "cannot open '{name}': {why}");
    false
}

const FS_VOL: &[DatasetType] = &[DatasetType::Filesystem, DatasetType::Volume];
const ANY: &[DatasetType] = &[
    DatasetType::Filesystem,
    DatasetType::Volume,
    DatasetType::Snapshot,
];

pub(super) fn create(ctx: &mut Ctx, args: &[String]) -> i32 {
    const SPEC: &str = ":V:b:so:p";
    let (mut volsize, mut blocksize) = (None, None);
    let (mut sparse, mut parents) = (false, false);
    let mut props: Vec<(String, String)> = Vec::new();
    let mut g = Getopt::new(args, SPEC);
    for opt in g.by_ref() {
        match opt {
            Opt::Arg('V', v) => match props::parse_num(&v) {
                Ok(n) => volsize = Some(n),
                Err(why) => return fail(ctx, &format!("bad volume size '{v}': {why}")),
            },
            Opt::Arg('b', v) => match props::parse_num(&v) {
                Ok(n) => blocksize = Some(n),
                Err(why) => return fail(ctx, &format!("bad volume block size '{v}': {why}")),
            },
            Opt::Arg('o', v) => {
                if !parse_prop(ctx, &v, &mut props) {
                    return 1;
                }
            }
            Opt::Flag('s') => sparse = true,
            Opt::Flag('p') => parents = true,
            // zfs_do_create() says this for any option missing its argument.
            Opt::Missing(_) => return bad_usage(ctx, "create", "missing size argument"),
            other => return opt_error(ctx, "create", SPEC, &other),
        }
    }
    if (blocksize.is_some() || sparse) && volsize.is_none() {
        return bad_usage(
            ctx,
            "create",
            "'-s' and '-b' can only be used when creating a volume",
        );
    }
    let operands = g.operands();
    let kind = if volsize.is_some() {
        "volume"
    } else {
        "filesystem"
    };
    let name = match operands {
        [] => return bad_usage(ctx, "create", &format!("missing {kind} argument")),
        [n] => n.as_str(),
        _ => return bad_usage(ctx, "create", "too many arguments"),
    };
    if let Some(b) = blocksize {
        props.retain(|(k, _)| k != "volblocksize");
        props.push(("volblocksize".into(), b.to_string()));
    }
    if injected(ctx, "create", args) {
        return fail(ctx, &format!("cannot create '{name}': out of space"));
    }
    quick_pause(ctx);
    let Ok((_lock, mut store)) = open_store(ctx, true) else {
        return 1;
    };
    if volsize.is_some() && !sparse {
        let pool = crate::sim::zfs::pool_of(name);
        if !store.pools.contains_key(pool) {
            return fail(ctx, &format!("cannot open '{pool}': no such pool"));
        }
    }
    if parents && name_error(name, false, true).is_none() {
        if store.exists(name) {
            return 0;
        }
        if let Err(e) = store.create_ancestors(ctx.host, name) {
            let _ = save_store(ctx, &store);
            return fail(ctx, &e);
        }
    }
    let refs = as_refs(&props);
    let res = match volsize {
        Some(size) => store.create_volume(name, size, sparse, &refs),
        None => store.create_filesystem(ctx.host, name, &refs),
    };
    if let Err(e) = res {
        let _ = save_store(ctx, &store);
        return fail(ctx, &e);
    }
    save_store(ctx, &store)
}

pub(super) fn destroy(ctx: &mut Ctx, args: &[String]) -> i32 {
    const SPEC: &str = "vpndfrR";
    let (mut verbose, mut parsable, mut dryrun, mut defer) = (false, false, false, false);
    let (mut recursive, mut dependents) = (false, false);
    let mut g = Getopt::new(args, SPEC);
    for opt in g.by_ref() {
        match opt {
            Opt::Flag('v') => verbose = true,
            Opt::Flag('p') => {
                verbose = true;
                parsable = true;
            }
            Opt::Flag('n') => dryrun = true,
            Opt::Flag('d') => defer = true,
            Opt::Flag('f') => {}
            Opt::Flag('r') => recursive = true,
            Opt::Flag('R') => {
                recursive = true;
                dependents = true;
            }
            other => return opt_error(ctx, "destroy", SPEC, &other),
        }
    }
    let name = match g.operands() {
        [] => return bad_usage(ctx, "destroy", "missing dataset argument"),
        [n] => n.clone(),
        _ => return bad_usage(ctx, "destroy", "too many arguments"),
    };
    if name.contains('#') {
        return fail(ctx, &format!("bookmark '{name}' does not exist."));
    }
    if !dryrun && injected(ctx, "destroy", args) {
        return fail(ctx, &format!("cannot destroy '{name}': dataset is busy"));
    }
    if !dryrun {
        quick_pause(ctx);
    }
    let Ok((_lock, mut store)) = open_store(ctx, !dryrun) else {
        return 1;
    };
    let plan = if name.contains('@') {
        store.plan_destroy_snapshots(&name, recursive, dependents, defer)
    } else {
        store.plan_destroy(&name, recursive, dependents)
    };
    let victims = match plan {
        Ok(v) => v,
        Err(e) => return fail(ctx, &e),
    };
    if verbose {
        for v in &victims {
            let _ = match (parsable, dryrun) {
                (true, _) => writeln!(ctx.out, "destroy\t{v}"),
                (false, true) => writeln!(ctx.out, "would destroy {v}"),
                (false, false) => writeln!(ctx.out, "will destroy {v}"),
            };
        }
        if name.contains('@') {
            let reclaim: u64 = victims
                .iter()
                .filter_map(|v| {
                    let (ds, s) = split_snap(v);
                    store.datasets.get(ds)?.snap(s?).map(|s| s.used)
                })
                .sum();
            let _ = match (parsable, dryrun) {
                (true, _) => writeln!(ctx.out, "reclaim\t{reclaim}"),
                (false, true) => writeln!(ctx.out, "would reclaim {}", props::nicenum(reclaim)),
                (false, false) => writeln!(ctx.out, "will reclaim {}", props::nicenum(reclaim)),
            };
        }
    }
    if dryrun {
        return 0;
    }
    let zoned = |s: &ZfsStore, v: &String| {
        s.resolve(v, None, "zoned", true, "off").0 == "on"
            || s.datasets
                .get(v.as_str())
                .is_some_and(|n| n.kind == Kind::Volume)
    };
    let configs = victims.iter().any(|v| !v.contains('@') && zoned(&store, v));
    let in_use = InUse::load(ctx.host, configs);
    for v in &victims {
        if !in_use.is_empty()
            && let Some(refusal) = in_use.refusal(&store, v)
        {
            let _ = save_store(ctx, &store);
            return fail(ctx, &refusal);
        }
        store.destroy_one(ctx.host, v);
    }
    save_store(ctx, &store)
}

pub(super) fn snapshot(ctx: &mut Ctx, args: &[String]) -> i32 {
    const SPEC: &str = "ro:";
    let mut recursive = false;
    let mut props: Vec<(String, String)> = Vec::new();
    let mut g = Getopt::new(args, SPEC);
    for opt in g.by_ref() {
        match opt {
            Opt::Flag('r') => recursive = true,
            Opt::Arg('o', v) => {
                if !parse_prop(ctx, &v, &mut props) {
                    return 1;
                }
            }
            other => return opt_error(ctx, "snapshot", SPEC, &other),
        }
    }
    let names = g.operands();
    if names.is_empty() {
        return bad_usage(ctx, "snapshot", "missing snapshot argument");
    }
    let multiple = recursive || names.len() > 1;
    if injected(ctx, "snapshot", args) {
        let _ = writeln!(
            ctx.err,
            "cannot create snapshot '{}': out of space",
            names[0]
        );
        if multiple {
            let _ = writeln!(ctx.err, "no snapshots were created");
        }
        return 1;
    }
    quick_pause(ctx);
    let Ok((_lock, store)) = open_store(ctx, true) else {
        return 1;
    };
    for n in names {
        let Some((ds, _)) = n.split_once('@') else {
            return bad_usage(ctx, "snapshot", "");
        };
        if !open(ctx, &store, ds, FS_VOL) {
            return bad_usage(ctx, "snapshot", "");
        }
    }
    let mut work = store.clone();
    for n in names {
        let mut result = work.snapshot(n, recursive);
        if result.is_ok() {
            for (k, v) in &props {
                if props::lookup(k).is_some() || !props::is_user_prop(k) {
                    result = Err(
                        "cannot create snapshots : this property can not be modified for snapshots"
                            .to_string(),
                    );
                    break;
                }
                let (ds, s) = split_snap(n);
                if let Some(snap) = work
                    .datasets
                    .get_mut(ds)
                    .and_then(|d| d.snaps.iter_mut().find(|x| Some(x.name.as_str()) == s))
                {
                    snap.props.push(crate::sim::zfs::Prop {
                        name: k.clone(),
                        value: v.clone(),
                        received: false,
                    });
                }
            }
        }
        if let Err(e) = result {
            let _ = writeln!(ctx.err, "{e}");
            if multiple {
                let _ = writeln!(ctx.err, "no snapshots were created");
            }
            return 1;
        }
    }
    save_store(ctx, &work)
}

pub(super) fn rollback(ctx: &mut Ctx, args: &[String]) -> i32 {
    const SPEC: &str = "rRf";
    let (mut recursive, mut clones) = (false, false);
    let mut g = Getopt::new(args, SPEC);
    for opt in g.by_ref() {
        match opt {
            Opt::Flag('r') => recursive = true,
            Opt::Flag('R') => {
                recursive = true;
                clones = true;
            }
            Opt::Flag('f') => {}
            other => return opt_error(ctx, "rollback", SPEC, &other),
        }
    }
    let snap = match g.operands() {
        [] => return bad_usage(ctx, "rollback", "missing dataset argument"),
        [s] => s.clone(),
        _ => return bad_usage(ctx, "rollback", "too many arguments"),
    };
    if injected(ctx, "rollback", args) {
        let ds = split_snap(&snap).0;
        return fail(ctx, &format!("cannot rollback '{ds}': dataset is busy"));
    }
    quick_pause(ctx);
    let Ok((_lock, mut store)) = open_store(ctx, true) else {
        return 1;
    };
    if !open(ctx, &store, &snap, &[DatasetType::Snapshot]) {
        return 1;
    }
    match store.rollback(ctx.host, &snap, recursive, clones) {
        Ok(()) => save_store(ctx, &store),
        Err(e) => fail(ctx, &e),
    }
}

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
        let moved: Vec<String> = store
            .datasets
            .keys()
            .filter(|n| *n == &from || crate::sim::zfs::is_below(n, &from))
            .cloned()
            .collect();
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
                .datasets
                .iter()
                .filter(|(n, _)| *n == ds || crate::sim::zfs::is_below(n, ds))
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

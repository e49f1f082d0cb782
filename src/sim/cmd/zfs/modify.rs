//! The subcommands that create and remove datasets: create, destroy, snapshot, rollback.

use super::getopt::{Getopt, Opt};
use super::{
    bad_usage, fail, injected, open_store, opt_error, parse_prop, quick_pause, save_store,
};
use crate::sim::Ctx;
use crate::sim::zfs::busy::InUse;
use crate::sim::zfs::props;
use crate::sim::zfs::{Kind, ZfsStore, name_error, split_snap};
use crate::sys::zfs::DatasetType;

pub(super) fn as_refs(props: &[(String, String)]) -> Vec<(&str, &str)> {
    props
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

/// zfs_open() with a mask of acceptable types; prints zfs' complaint when it fails.
pub(super) fn open(ctx: &mut Ctx, store: &ZfsStore, name: &str, types: &[DatasetType]) -> bool {
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

pub(super) const FS_VOL: &[DatasetType] = &[DatasetType::Filesystem, DatasetType::Volume];
pub(super) const ANY: &[DatasetType] = &[
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
        store.destroy_one(v);
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
        let mut result = if recursive {
            work.snapshot_recursive(n)
        } else {
            work.snapshot(n)
        };
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
    // A zvol a running bhyve zone has open cannot be rolled back under it.
    let ds = split_snap(&snap).0;
    if store.kind_of(ds) == Some(DatasetType::Volume)
        && InUse::load(ctx.host, true).refusal(&store, ds).is_some()
    {
        return fail(ctx, &format!("cannot rollback '{ds}': dataset is busy"));
    }
    match store.rollback(&snap, recursive, clones) {
        Ok(()) => save_store(ctx, &store),
        Err(e) => fail(ctx, &e),
    }
}

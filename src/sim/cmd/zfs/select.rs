//! zfs_for_each(): which datasets and snapshots a `list`/`get` covers, in zfs' default order
//! (by name, a dataset before its snapshots, snapshots by creation).

use crate::sim::Ctx;
use crate::sim::zfs::props::{FS, SNAP, VOL};
use crate::sim::zfs::space::FastMap;
use crate::sim::zfs::{Kind, Node, ZfsStore, name_error};

/// One row: the dataset's position in the store's order and, for a snapshot, its index + 1
/// among the dataset's snapshots. Tuple order is zfs' default listing order.
pub(super) type Entry = (usize, usize);

pub(super) struct Selection {
    /// FS | VOL | SNAP bits of what is printed.
    pub types: u8,
    pub recurse: bool,
    /// `-d`: levels below each operand.
    pub depth: Option<usize>,
    /// Snapshots are reached by recursion (`-t snapshot`, or always for `get`).
    pub include_snaps: bool,
}

/// The store's datasets as a slice, for positions and binary search by name.
pub(super) fn positions(store: &ZfsStore) -> Vec<(&String, &Node)> {
    store.datasets.iter().collect()
}

fn bit(node: &Node) -> u8 {
    match node.kind {
        Kind::Filesystem => FS,
        Kind::Volume => VOL,
    }
}

impl Selection {
    /// Add `i` and what recursion reaches below it (`level` = its depth below the operand).
    fn add_tree(&self, all: &[(&String, &Node)], i: usize, out: &mut Vec<Entry>) {
        let (name, node) = all[i];
        self.add_one(i, node, 0, out);
        if !self.recurse {
            return;
        }
        let prefix = format!("{name}/");
        let start = all.partition_point(|(n, _)| n.as_str() < prefix.as_str());
        for (j, (n, child)) in all.iter().enumerate().skip(start) {
            if !n.starts_with(&prefix) {
                break;
            }
            let level = match self.depth {
                Some(d) => {
                    let level = 1 + n[prefix.len()..].bytes().filter(|&b| b == b'/').count();
                    if level > d {
                        continue;
                    }
                    level
                }
                None => 1,
            };
            self.add_one(j, child, level, out);
        }
    }

    fn add_one(&self, i: usize, node: &Node, level: usize, out: &mut Vec<Entry>) {
        if self.types & bit(node) != 0 {
            out.push((i, 0));
        }
        let may_descend = self.recurse && self.depth.is_none_or(|d| level < d);
        if self.include_snaps && self.types & SNAP != 0 && may_descend {
            out.extend((1..=node.snaps.len()).map(|s| (i, s)));
        }
    }

    /// Resolve the operands (every pool when there are none) into rows. Operands that
    /// cannot be opened are reported; the bool says whether any failed.
    pub(super) fn collect(
        &self,
        ctx: &mut Ctx,
        store: &ZfsStore,
        all: &[(&String, &Node)],
        operands: &[String],
    ) -> (Vec<Entry>, bool) {
        let mut out = Vec::new();
        if operands.is_empty() {
            let whole = Selection {
                recurse: true,
                ..*self
            };
            for (i, (name, _)) in all.iter().enumerate() {
                if !name.contains('/') {
                    whole.add_tree(all, i, &mut out);
                }
            }
            // Generated in order already; sorting sorted data is a linear check.
            out.sort_unstable();
            return (out, false);
        }
        let index: FastMap<&str, usize> = all
            .iter()
            .enumerate()
            .map(|(i, (n, _))| (n.as_str(), i))
            .collect();
        let mut failed = false;
        let mut argtype = self.types;
        if self.recurse {
            argtype |= FS;
            if self.types & SNAP != 0 {
                argtype |= VOL;
            }
        }
        for op in operands {
            let name = match resolve_path(ctx, store, op) {
                Ok(n) => n,
                Err(()) => {
                    failed = true;
                    continue;
                }
            };
            let cannot = |why: &str| format!("cannot open '{name}': {why}");
            if name_error(&name, name.contains('@'), false).is_some() {
                let _ = writeln!(ctx.err, "{}", cannot("invalid dataset name"));
                failed = true;
                continue;
            }
            let (ds, snap) = match name.split_once('@') {
                Some((d, s)) => (d, Some(s)),
                None => (name.as_str(), None),
            };
            let Some(&i) = index.get(ds) else {
                let _ = writeln!(ctx.err, "{}", cannot("dataset does not exist"));
                failed = true;
                continue;
            };
            let node = all[i].1;
            let (kind_bit, snap_idx) = match snap {
                Some(s) => match node.snaps.iter().position(|x| x.name == s) {
                    Some(k) => (SNAP, k + 1),
                    None => {
                        let _ = writeln!(ctx.err, "{}", cannot("dataset does not exist"));
                        failed = true;
                        continue;
                    }
                },
                None => (bit(node), 0),
            };
            if argtype & kind_bit == 0 {
                let _ = writeln!(
                    ctx.err,
                    "{}",
                    cannot("operation not applicable to datasets of this type")
                );
                failed = true;
                continue;
            }
            if snap_idx > 0 {
                out.push((i, snap_idx));
            } else {
                self.add_tree(all, i, &mut out);
            }
        }
        out.sort_unstable();
        out.dedup();
        (out, failed)
    }
}

/// An operand that is a path (`/zones/web`, `./x`) names the filesystem mounted there.
fn resolve_path(ctx: &mut Ctx, store: &ZfsStore, op: &str) -> Result<String, ()> {
    if !op.starts_with('/') && !op.starts_with("./") {
        return Ok(op.to_string());
    }
    let abs = if let Some(rel) = op.strip_prefix("./") {
        format!("/{rel}")
    } else {
        op.to_string()
    };
    if !ctx.host.host_path(&abs).exists() {
        let _ = writeln!(ctx.err, "{op}: No such file or directory");
        return Err(());
    }
    let mut cur = abs.trim_end_matches('/').to_string();
    loop {
        let probe = if cur.is_empty() { "/" } else { cur.as_str() };
        if let Some(ds) = store.dataset_mounted_at(probe) {
            return Ok(ds);
        }
        match cur.rfind('/') {
            Some(p) if !cur.is_empty() => cur.truncate(p),
            _ => break,
        }
    }
    let _ = writeln!(ctx.err, "'{op}': not a ZFS filesystem");
    Err(())
}

//! Read-side questions about the store: mountpoints, inheritance, listing.

use std::collections::BTreeMap;

use super::props::Source;

/// Where a listed mountpoint comes from; `Inherited` holds the setter's position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MpSrc {
    Default,
    Local,
    Received,
    Inherited(usize),
}
use super::{Kind, Node, SimHost, Snap, ZfsStore, is_below, parent_of, pool_of};
use crate::sys::zfs::{Dataset, DatasetType};
use crate::sys::zpool::Pool;

impl ZfsStore {
    /// The dataset's mountpoint when it is a path (not `none`/`legacy`, not a volume).
    pub fn mountpoint(&self, name: &str) -> Option<String> {
        let node = self.datasets.get(name)?;
        if node.kind != Kind::Filesystem {
            return None;
        }
        let (mp, _) = self.mountpoint_with_source(name);
        mp.starts_with('/').then_some(mp)
    }

    /// The effective `mountpoint` property (with altroot) and where it comes from.
    pub(crate) fn mountpoint_with_source(&self, ds: &str) -> (String, Source) {
        let mut suffix: Vec<&str> = Vec::new();
        let mut cur = ds;
        loop {
            if let Some(p) = self.datasets.get(cur).and_then(|n| n.local("mountpoint")) {
                let src = match (cur == ds, p.received) {
                    (true, false) => Source::Local,
                    (true, true) => Source::Received,
                    (false, _) => Source::Inherited(cur.to_string()),
                };
                if !p.value.starts_with('/') {
                    return (p.value.clone(), src);
                }
                let mut path = self.with_altroot(ds, &p.value);
                for s in suffix.iter().rev() {
                    if !path.ends_with('/') {
                        path.push('/');
                    }
                    path.push_str(s);
                }
                return (path, src);
            }
            match cur.rsplit_once('/') {
                Some((parent, last)) => {
                    suffix.push(last);
                    cur = parent;
                }
                None => break,
            }
        }
        (self.with_altroot(ds, &format!("/{ds}")), Source::Default)
    }

    fn with_altroot(&self, ds: &str, path: &str) -> String {
        match self
            .pools
            .get(pool_of(ds))
            .and_then(|p| p.altroot.as_deref())
        {
            Some(root) if path == "/" => root.to_string(),
            Some(root) => format!("{}{path}", root.trim_end_matches('/')),
            None => path.to_string(),
        }
    }

    /// The effective mountpoint and its source of every dataset (in `datasets` order),
    /// computed top-down in one pass for listings.
    pub(crate) fn mountpoints_with(&self, parent: &[Option<usize>]) -> Vec<(String, MpSrc)> {
        let mut out: Vec<(String, MpSrc)> = Vec::with_capacity(parent.len());
        for (i, (name, node)) in self.datasets.iter().enumerate() {
            let entry = if let Some(p) = node.local("mountpoint") {
                let src = if p.received {
                    MpSrc::Received
                } else {
                    MpSrc::Local
                };
                if p.value.starts_with('/') {
                    (self.with_altroot(name, &p.value), src)
                } else {
                    (p.value.clone(), src)
                }
            } else if let Some(pi) = parent[i] {
                let (pv, psrc) = &out[pi];
                let src = match psrc {
                    MpSrc::Local | MpSrc::Received => MpSrc::Inherited(pi),
                    other => *other,
                };
                let last = name.rsplit('/').next().unwrap_or(name);
                if pv.starts_with('/') {
                    let sep = if pv.ends_with('/') { "" } else { "/" };
                    (format!("{pv}{sep}{last}"), src)
                } else {
                    (pv.clone(), src)
                }
            } else {
                (self.with_altroot(name, &format!("/{name}")), MpSrc::Default)
            };
            out.push(entry);
        }
        out
    }

    /// Is the filesystem mounted: canmount=on, a path mountpoint, not zoned, not received
    /// with -u.
    pub(crate) fn is_mounted(&self, ds: &str) -> bool {
        let Some(node) = self.datasets.get(ds) else {
            return false;
        };
        node.kind == Kind::Filesystem
            && !node.unmounted
            && node.local("canmount").is_none_or(|p| p.value == "on")
            && self.resolve(ds, None, "zoned", true, "off").0 == "off"
            && self.mountpoint(ds).is_some()
    }

    /// Which filesystem is mounted exactly at `path`. Only names that could inherit that
    /// path are looked at: the default `/pool/…` one and those below a dataset whose own
    /// mountpoint is a prefix of it.
    pub fn dataset_mounted_at(&self, path: &str) -> Option<String> {
        let path = match path.trim_end_matches('/') {
            "" => "/",
            p => p,
        };
        let mut candidates: Vec<String> = Vec::new();
        let rel = path.trim_start_matches('/');
        if !rel.is_empty() {
            candidates.push(rel.to_string());
        }
        for (name, node) in &self.datasets {
            if node.props.is_empty() {
                continue;
            }
            let Some(p) = node
                .local("mountpoint")
                .filter(|p| p.value.starts_with('/'))
            else {
                continue;
            };
            let base = self.with_altroot(name, &p.value);
            let base = base.trim_end_matches('/');
            if base == path {
                candidates.push(name.clone());
            } else if let Some(rest) = path.strip_prefix(base).and_then(|r| r.strip_prefix('/')) {
                candidates.push(format!("{name}/{rest}"));
            }
        }
        candidates.into_iter().find(|ds| {
            self.datasets.contains_key(ds)
                && self.is_mounted(ds)
                && self.mountpoint(ds).as_deref() == Some(path)
        })
    }

    /// `ds` and every filesystem and volume below it, in name order, without scanning the
    /// rest of the store (names sharing a prefix are contiguous in byte order).
    pub(crate) fn subtree<'a>(
        &'a self,
        ds: &'a str,
    ) -> impl Iterator<Item = (&'a String, &'a Node)> {
        self.datasets
            .range::<str, _>((std::ops::Bound::Included(ds), std::ops::Bound::Unbounded))
            .take_while(move |(n, _)| n.starts_with(ds))
            .filter(move |(n, _)| *n == ds || is_below(n, ds))
    }

    /// Create the mountpoint directories of `ds` and of every filesystem below it that is
    /// mounted (what mounting does on a real host).
    pub(crate) fn make_mountpoints(&self, host: &SimHost, ds: &str) {
        let below: Vec<&String> = self.subtree(ds).map(|(n, _)| n).collect();
        for name in below {
            if self.is_mounted(name)
                && let Some(mp) = self.mountpoint(name)
            {
                let _ = std::fs::create_dir_all(host.host_path(&mp));
            }
        }
    }

    /// A property's value and source as inheritance resolves it: set on the snapshot, on
    /// the dataset, inherited from an ancestor, or the default.
    pub(crate) fn resolve(
        &self,
        ds: &str,
        snap: Option<&Snap>,
        name: &str,
        inherit: bool,
        default: &str,
    ) -> (String, Source) {
        if let Some(p) = snap.and_then(|s| s.props.iter().find(|p| p.name == name)) {
            let src = if p.received {
                Source::Received
            } else {
                Source::Local
            };
            return (p.value.clone(), src);
        }
        let mut cur = Some(ds);
        while let Some(c) = cur {
            if let Some(p) = self.datasets.get(c).and_then(|n| n.local(name)) {
                let src = match (c == ds && snap.is_none(), p.received) {
                    (true, false) => Source::Local,
                    (true, true) => Source::Received,
                    (false, _) => Source::Inherited(c.to_string()),
                };
                return (p.value.clone(), src);
            }
            if !inherit {
                break;
            }
            cur = parent_of(c);
        }
        (default.to_string(), Source::Default)
    }

    /// Names of the datasets cloned from snapshot `snap`.
    pub(crate) fn clones_of(&self, snap: &str) -> Vec<String> {
        self.datasets
            .iter()
            .filter(|(_, n)| n.origin.as_deref() == Some(snap))
            .map(|(k, _)| k.clone())
            .collect()
    }

    /// The `written` property of a head: data not in its latest snapshot.
    pub(crate) fn head_written(&self, node: &Node) -> u64 {
        match node.snaps.last() {
            Some(_) if !node.modified => 0,
            Some(s) => node.refer.abs_diff(s.refer).max(4096),
            None => node.refer,
        }
    }

    /// The `written` property of a snapshot: what changed since the one before it.
    pub(crate) fn snapshot_written(&self, ds: &str, snap: &Snap) -> u64 {
        let Some(node) = self.datasets.get(ds) else {
            return 0;
        };
        let prev = node.snaps.iter().take_while(|s| s.txg < snap.txg).last();
        match prev {
            Some(p) => snap.refer.abs_diff(p.refer),
            None => snap.refer,
        }
    }

    /// filesystem_count / snapshot_count: what lies below `ds`.
    pub(crate) fn count_below(&self, ds: &str, snapshots: bool) -> u64 {
        self.subtree(ds)
            .map(|(n, node)| {
                if snapshots {
                    node.snaps.len() as u64
                } else {
                    u64::from(n != ds)
                }
            })
            .sum()
    }

    /// Every dataset and snapshot as `zfs list -Hp -t all -o name,type,used,avail,refer,
    /// mountpoint,volsize,origin,creation` reports it.
    pub fn list(&self) -> Vec<Dataset> {
        let usage = self.usage_all();
        let mut out = Vec::new();
        for ((name, node), u) in self.datasets.iter().zip(usage) {
            let kind = match node.kind {
                Kind::Filesystem => DatasetType::Filesystem,
                Kind::Volume => DatasetType::Volume,
            };
            let mountpoint = match node.kind {
                Kind::Filesystem => {
                    Some(self.mountpoint_with_source(name).0).filter(|m| m != "none")
                }
                Kind::Volume => None,
            };
            out.push(Dataset {
                name: name.clone(),
                kind,
                used: Some(u.used),
                avail: Some(u.avail),
                refer: Some(node.refer),
                mountpoint,
                volsize: (node.kind == Kind::Volume).then_some(node.volsize),
                origin: node.origin.clone(),
                creation: Some(node.creation),
            });
            for s in &node.snaps {
                out.push(Dataset {
                    name: format!("{name}@{}", s.name),
                    kind: DatasetType::Snapshot,
                    used: Some(s.used),
                    avail: None,
                    refer: Some(s.refer),
                    mountpoint: None,
                    volsize: (node.kind == Kind::Volume).then_some(s.volsize),
                    origin: None,
                    creation: Some(s.creation),
                });
            }
        }
        out
    }

    /// The pools as `zpool list -Hp` reports them.
    pub fn pools(&self) -> Vec<Pool> {
        let usage = self.usage_all();
        let roots: BTreeMap<&str, u64> = self
            .datasets
            .keys()
            .zip(&usage)
            .filter(|(n, _)| !n.contains('/'))
            .map(|(n, u)| (n.as_str(), u.used))
            .collect();
        self.pools
            .iter()
            .map(|(name, p)| {
                let alloc = roots.get(name.as_str()).copied().unwrap_or(0).min(p.size);
                Pool {
                    name: name.clone(),
                    size: p.size,
                    alloc,
                    free: p.size - alloc,
                    frag: Some(p.frag),
                    cap: (alloc.saturating_mul(100) / p.size.max(1)) as u32,
                    dedup: Some(1.0),
                    health: p.health.clone(),
                    altroot: p.altroot.clone(),
                }
            })
            .collect()
    }
}

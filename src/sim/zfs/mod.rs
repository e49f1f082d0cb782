//! The sim host's ZFS: pools, filesystems, volumes and snapshots with their properties, kept
//! in `state/zfs.state` (a line-per-dataset text format that loads 100,000 datasets in a few
//! tens of milliseconds). Space (used/avail) is derived when listed, never stored.
//!
//! Store functions never lock: the command calling them holds the state lock. Errors are the
//! exact text zfs prints (`cannot create 'x': dataset already exists`).

pub(crate) mod busy;
mod destroy;
mod names;
mod ops;
mod persist;
pub(crate) mod props;
mod query;
pub(crate) use query::MpSrc;
pub(crate) mod space;
pub(crate) mod stream;

use std::collections::BTreeMap;
use std::io;

use serde::{Deserialize, Serialize};

use super::SimHost;
use crate::sys::zfs::DatasetType;
pub(crate) use names::name_error;

/// A new filesystem references this much (its empty root directory and metadata).
const FS_INITIAL: u64 = 24 << 10;
/// A new volume references this much.
const VOL_INITIAL: u64 = 12 << 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Filesystem,
    Volume,
}

/// A property set on a dataset: locally (`zfs set`, `create -o`) or by `zfs receive`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Prop {
    pub name: String,
    /// The literal form (bytes for sizes).
    pub value: String,
    pub received: bool,
}

/// A filesystem or volume.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub kind: Kind,
    pub creation: i64,
    pub txg: u64,
    pub guid: u64,
    /// Bytes the head references.
    pub refer: u64,
    /// Of those, bytes still shared with the origin snapshot (clones).
    pub shared: u64,
    /// Volumes only.
    pub volsize: u64,
    pub origin: Option<String>,
    pub props: Vec<Prop>,
    /// In creation order.
    pub snaps: Vec<Snap>,
    /// Written since the latest snapshot (an incremental receive refuses without -F).
    pub modified: bool,
    /// Received with `-u`: not mounted although it could be.
    pub unmounted: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct Snap {
    /// The part after `@`.
    pub name: String,
    pub creation: i64,
    pub txg: u64,
    pub guid: u64,
    pub refer: u64,
    /// Bytes only this snapshot holds.
    pub used: u64,
    pub volsize: u64,
    /// User properties set on the snapshot itself.
    pub props: Vec<Prop>,
}

impl Node {
    fn new(kind: Kind, txg: u64) -> Node {
        Node {
            kind,
            creation: super::host::now(),
            txg,
            guid: new_guid(),
            refer: if kind == Kind::Volume {
                VOL_INITIAL
            } else {
                FS_INITIAL
            },
            shared: 0,
            volsize: 0,
            origin: None,
            props: Vec::new(),
            snaps: Vec::new(),
            modified: false,
            unmounted: false,
        }
    }

    pub(crate) fn local(&self, name: &str) -> Option<&Prop> {
        self.props.iter().find(|p| p.name == name)
    }

    /// A locally set numeric property, 0 when unset.
    pub(crate) fn num(&self, name: &str) -> u64 {
        if self.props.is_empty() {
            return 0;
        }
        self.local(name)
            .and_then(|p| p.value.parse().ok())
            .unwrap_or(0)
    }

    pub(crate) fn set_prop(&mut self, name: &str, value: &str, received: bool) {
        match self.props.iter_mut().find(|p| p.name == name) {
            Some(p) => {
                p.value = value.to_string();
                p.received = received;
            }
            None => self.props.push(Prop {
                name: name.to_string(),
                value: value.to_string(),
                received,
            }),
        }
    }

    pub(crate) fn remove_prop(&mut self, name: &str) -> bool {
        let before = self.props.len();
        self.props.retain(|p| p.name != name);
        before != self.props.len()
    }

    pub(crate) fn snap(&self, name: &str) -> Option<&Snap> {
        self.snaps.iter().find(|s| s.name == name)
    }
}

#[derive(Debug, Clone)]
pub(crate) struct PoolState {
    pub size: u64,
    pub health: String,
    pub altroot: Option<String>,
    pub guid: u64,
    /// Percent of free space fragmented.
    pub frag: u32,
    pub creation: i64,
}

pub(crate) fn new_guid() -> u64 {
    fastrand::u64(1 << 48..u64::MAX)
}

/// The sim's pools and datasets.
#[derive(Debug, Clone, Default)]
pub struct ZfsStore {
    pub(crate) pools: BTreeMap<String, PoolState>,
    /// Filesystems and volumes by full name; byte order is the order `zfs list` prints.
    pub(crate) datasets: BTreeMap<String, Node>,
    pub(crate) next_txg: u64,
    pub(crate) space: Option<space::SpaceCache>,
    /// The sim root (`DIR/root`) of the host the store was loaded from, where mountpoint
    /// directories are removed on destroy; None for a store not loaded from a host.
    pub(crate) root: Option<std::path::PathBuf>,
}

/// Split `pool/a@s` into (`pool/a`, Some(`s`)).
pub(crate) fn split_snap(name: &str) -> (&str, Option<&str>) {
    match name.split_once('@') {
        Some((d, s)) => (d, Some(s)),
        None => (name, None),
    }
}

pub(crate) fn parent_of(name: &str) -> Option<&str> {
    name.rsplit_once('/').map(|(p, _)| p)
}

pub(crate) fn pool_of(name: &str) -> &str {
    name.split(['/', '@']).next().unwrap_or(name)
}

/// Is `name` strictly below `ancestor` (`a/b` below `a`, not `ab`)?
pub(crate) fn is_below(name: &str, ancestor: &str) -> bool {
    name.len() > ancestor.len()
        && name.starts_with(ancestor)
        && name.as_bytes()[ancestor.len()] == b'/'
}

/// The pools as `zpool list` reports them, written beside the store on every save.
const POOL_SUMMARY: &str = "zfs-pools";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PoolSummary {
    pub pool: crate::sys::zpool::Pool,
    pub guid: u64,
}

impl ZfsStore {
    /// Read `state/zfs.state` (an empty store when there is none yet).
    pub fn load(host: &SimHost) -> io::Result<ZfsStore> {
        let mut store = persist::load(&host.state_dir().join(persist::FILE))?;
        store.root = Some(host.root_dir());
        Ok(store)
    }

    /// Write `state/zfs.state` atomically, and the pools' summary beside it.
    pub fn save(&self, host: &SimHost) -> io::Result<()> {
        persist::save(self, &host.state_dir().join(persist::FILE))?;
        host.save_json(POOL_SUMMARY, &self.pool_summary())
    }

    fn pool_summary(&self) -> Vec<PoolSummary> {
        let pools = self.pools();
        pools
            .into_iter()
            .map(|pool| PoolSummary {
                guid: self.pools.get(&pool.name).map_or(0, |p| p.guid),
                pool,
            })
            .collect()
    }

    /// What `zpool` shows, without reading every dataset: the summary the last save wrote
    /// (or, on a host from before summaries, the whole store).
    pub fn load_pool_summary(host: &SimHost) -> io::Result<Vec<PoolSummary>> {
        if host
            .state_dir()
            .join(format!("{POOL_SUMMARY}.json"))
            .is_file()
        {
            return host.load_json(POOL_SUMMARY);
        }
        Ok(ZfsStore::load(host)?.pool_summary())
    }

    pub(crate) fn txg(&mut self) -> u64 {
        self.next_txg = self.next_txg.max(4) + 1;
        self.next_txg
    }

    /// Create a pool of `size` bytes with its root filesystem mounted at `/name`.
    pub fn add_pool(&mut self, host: &SimHost, name: &str, size: u64) -> Result<(), String> {
        if let Some(why) = names::pool_error(name) {
            return Err(format!("cannot create '{name}': {why}"));
        }
        if self.pools.contains_key(name) {
            return Err(format!("cannot create '{name}': pool already exists"));
        }
        self.pools.insert(
            name.to_string(),
            PoolState {
                size,
                health: "ONLINE".into(),
                altroot: None,
                guid: new_guid(),
                frag: 0,
                creation: super::host::now(),
            },
        );
        let txg = self.txg();
        self.datasets
            .insert(name.to_string(), Node::new(Kind::Filesystem, txg));
        self.space = None;
        self.make_mountpoints(host, name);
        Ok(())
    }

    /// Does a filesystem, volume or snapshot of that name exist?
    pub fn exists(&self, name: &str) -> bool {
        match split_snap(name) {
            (ds, Some(s)) => self.datasets.get(ds).is_some_and(|n| n.snap(s).is_some()),
            (ds, None) => self.datasets.contains_key(ds),
        }
    }

    /// The type of an existing dataset.
    pub fn kind_of(&self, name: &str) -> Option<DatasetType> {
        match split_snap(name) {
            (ds, Some(s)) => self
                .datasets
                .get(ds)
                .and_then(|n| n.snap(s))
                .map(|_| DatasetType::Snapshot),
            (ds, None) => self.datasets.get(ds).map(|n| match n.kind {
                Kind::Filesystem => DatasetType::Filesystem,
                Kind::Volume => DatasetType::Volume,
            }),
        }
    }

    /// The checks zfs_create() makes before creating `name`: a valid name, an existing
    /// pool and parent filesystem, no dataset of that name.
    fn check_new(&self, name: &str, errbuf: &str) -> Result<(), String> {
        if let Some(why) = name_error(name, false, true) {
            return Err(format!("{errbuf}: {why}"));
        }
        let Some(parent) = parent_of(name) else {
            return Err(format!("{errbuf}: missing dataset name"));
        };
        let pool = pool_of(name);
        if !self.pools.contains_key(pool) {
            return Err(format!("{errbuf}: no such pool '{pool}'"));
        }
        match self.datasets.get(parent) {
            None => return Err(format!("{errbuf}: parent does not exist")),
            Some(p) if p.kind != Kind::Filesystem => {
                return Err(format!("{errbuf}: parent is not a filesystem"));
            }
            _ => {}
        }
        if self.datasets.contains_key(name) {
            return Err(format!("{errbuf}: dataset already exists"));
        }
        Ok(())
    }

    /// Validate `-o` properties for a new dataset of `kind`; returns them in literal form.
    fn creation_props(
        kind: Kind,
        props: &[(&str, &str)],
        errbuf: &str,
    ) -> Result<Vec<Prop>, String> {
        let bit = props::type_bit(kind, false);
        let mut out: Vec<Prop> = Vec::new();
        for (k, v) in props {
            let (name, value) = match props::lookup(k) {
                Some(def) => {
                    if def.types & bit == 0 {
                        return Err(format!(
                            "{errbuf}: '{k}' does not apply to datasets of this type"
                        ));
                    }
                    if def.readonly || (def.name == "volsize") {
                        return Err(format!("{errbuf}: '{k}' is readonly"));
                    }
                    let value =
                        props::normalize(def, v).map_err(|why| format!("{errbuf}: {why}"))?;
                    (def.name.to_string(), value)
                }
                None if props::is_user_prop(k) => (k.to_string(), v.to_string()),
                None => return Err(format!("{errbuf}: invalid property '{k}'")),
            };
            out.retain(|p| p.name != name);
            out.push(Prop {
                name,
                value,
                received: false,
            });
        }
        Ok(out)
    }

    /// `zfs create -o …` of a filesystem; creates its mountpoint directory when mounted.
    pub fn create_filesystem(
        &mut self,
        host: &SimHost,
        name: &str,
        props: &[(&str, &str)],
    ) -> Result<(), String> {
        let errbuf = format!("cannot create '{name}'");
        self.check_new(name, &errbuf)?;
        let props = Self::creation_props(Kind::Filesystem, props, &errbuf)?;
        let txg = self.txg();
        let mut node = Node::new(Kind::Filesystem, txg);
        node.props = props;
        let reserve = node.num("reservation").max(node.num("refreservation"));
        if reserve > 0 && reserve > self.avail_below(parent_of(name).unwrap_or(name)) {
            return Err(format!("{errbuf}: out of space"));
        }
        self.datasets.insert(name.to_string(), node);
        self.space_changed(name, None);
        self.make_mountpoints(host, name);
        Ok(())
    }

    /// `zfs create -V volsize [-s] -o …`. A non-sparse volume gets the refreservation
    /// zvol_volsize_to_reservation() computes unless one is given.
    pub fn create_volume(
        &mut self,
        name: &str,
        volsize: u64,
        sparse: bool,
        props: &[(&str, &str)],
    ) -> Result<(), String> {
        let errbuf = format!("cannot create '{name}'");
        self.check_new(name, &errbuf)?;
        let props = Self::creation_props(Kind::Volume, props, &errbuf)?;
        let txg = self.txg();
        let mut node = Node::new(Kind::Volume, txg);
        node.props = props;
        let blocksize = match node.num("volblocksize") {
            0 => 8192,
            b => b,
        };
        if volsize == 0 {
            return Err(format!("{errbuf}: volume size cannot be zero"));
        }
        if !volsize.is_multiple_of(blocksize) {
            return Err(format!(
                "{errbuf}: volume size must be a multiple of volume block size"
            ));
        }
        node.volsize = volsize;
        if !sparse && node.local("refreservation").is_none() {
            let copies = node.num("copies").max(1);
            let resv = volsize_to_reservation(volsize, blocksize, copies);
            node.set_prop("refreservation", &resv.to_string(), false);
        }
        let reserve = node.num("reservation").max(node.num("refreservation"));
        if reserve > 0 && reserve > self.avail_below(parent_of(name).unwrap_or(name)) {
            return Err(format!("{errbuf}: out of space"));
        }
        self.datasets.insert(name.to_string(), node);
        self.space_changed(name, None);
        Ok(())
    }

    /// What `-p` does: create every missing ancestor filesystem of `name`.
    pub fn create_ancestors(&mut self, host: &SimHost, name: &str) -> Result<(), String> {
        let errbuf = format!("cannot create '{name}'");
        let pool = pool_of(name);
        if !self.pools.contains_key(pool) {
            return Err(format!("{errbuf}: no such pool '{pool}'"));
        }
        let (path, _) = split_snap(name);
        let mut ancestors: Vec<&str> = Vec::new();
        let mut cur = parent_of(path);
        while let Some(a) = cur {
            ancestors.push(a);
            cur = parent_of(a);
        }
        for a in ancestors.into_iter().rev() {
            match self.datasets.get(a) {
                Some(n) if n.kind != Kind::Filesystem => {
                    return Err(format!("{errbuf}: parent is not a filesystem"));
                }
                Some(_) => {}
                None => self
                    .create_filesystem(host, a, &[])
                    .map_err(|e| format!("{e}\n{errbuf}: failed to create ancestor '{a}'"))?,
            }
        }
        Ok(())
    }

    /// `zfs snapshot ds@snap`.
    pub fn snapshot(&mut self, snap: &str) -> Result<(), String> {
        self.take_snapshots(snap, false)
    }

    /// `zfs snapshot -r ds@snap`: the dataset and everything below it.
    pub fn snapshot_recursive(&mut self, snap: &str) -> Result<(), String> {
        self.take_snapshots(snap, true)
    }

    /// Every snapshot is taken or none (the first conflict is reported as zfs does).
    fn take_snapshots(&mut self, snap: &str, recursive: bool) -> Result<(), String> {
        let errbuf = format!("cannot create snapshot '{snap}'");
        if let Some(why) = name_error(snap, true, true) {
            return Err(format!("{errbuf}: {why}"));
        }
        let (ds, Some(short)) = split_snap(snap) else {
            return Err(format!("{errbuf}: missing '@' delimiter in snapshot name"));
        };
        if !self.datasets.contains_key(ds) {
            return Err(format!("cannot open '{ds}': dataset does not exist"));
        }
        let targets: Vec<String> = if recursive {
            self.subtree(ds).map(|(n, _)| n.clone()).collect()
        } else {
            vec![ds.to_string()]
        };
        if let Some(t) = targets
            .iter()
            .find(|t| self.datasets[t.as_str()].snap(short).is_some())
        {
            return Err(format!(
                "cannot create snapshot '{t}@{short}': dataset already exists"
            ));
        }
        let txg = self.txg();
        let now = super::host::now();
        for t in targets {
            let node = self.datasets.get_mut(&t).expect("listed above");
            let s = Snap {
                name: short.to_string(),
                creation: now,
                txg,
                guid: new_guid(),
                refer: node.refer,
                used: 0,
                volsize: node.volsize,
                props: Vec::new(),
            };
            node.snaps.push(s);
            node.modified = false;
        }
        Ok(())
    }

    /// Seeding and simulated guests: the dataset now holds `bytes` of data. Data a
    /// snapshot still references becomes that snapshot's own when the head drops it.
    pub fn set_written(&mut self, name: &str, bytes: u64) {
        let old = self.own_charge(name);
        let Some(node) = self.datasets.get_mut(name) else {
            return;
        };
        if bytes < node.refer
            && let Some(last) = node.snaps.last_mut()
        {
            let freed = node.refer - bytes;
            let in_snap = last.refer.saturating_sub(last.used);
            last.used += freed.min(in_snap);
        }
        node.refer = bytes;
        node.shared = node.shared.min(bytes);
        node.modified = true;
        self.space_changed(name, old);
    }
}

/// zvol_volsize_to_reservation(): the volume plus room for its metadata (indirect blocks
/// up to the top-level dnode, each stored copies+1 times, at most 3).
pub(crate) fn volsize_to_reservation(volsize: u64, blocksize: u64, copies: u64) -> u64 {
    const DNODES_PER_LEVEL: u64 = 1024;
    const INDBLK: u64 = 1 << 17;
    let mut nblocks = volsize / blocksize.max(512);
    let mut numdb: u64 = 7;
    while nblocks > 1 {
        nblocks = nblocks.div_ceil(DNODES_PER_LEVEL);
        numdb += nblocks;
    }
    numdb *= (copies + 1).min(3);
    volsize * copies + numdb * INDBLK
}

#[cfg(test)]
mod tests;

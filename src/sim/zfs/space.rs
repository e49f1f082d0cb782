//! Space accounting, derived at listing time the way the DSL reports it:
//! used = usedbydataset + usedbysnapshots + usedbychildren + usedbyrefreservation (at least
//! the reservation), avail = the pool's free space less the slop, limited by quotas, plus
//! the dataset's own unused reservation and refreservation.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::{Node, ZfsStore};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Usage {
    pub used: u64,
    pub avail: u64,
    pub by_dataset: u64,
    pub by_snapshots: u64,
    pub by_children: u64,
    pub by_refreservation: u64,
}

/// The slop ZFS keeps back from datasets: 1/32 of the pool, at least 128M (at most half).
pub(crate) fn usable(size: u64) -> u64 {
    let slop = (size >> 5).max(128 << 20).min(size / 2);
    size - slop
}

/// A dataset's own charges: (usedbydataset, usedbysnapshots, usedbyrefreservation).
pub(crate) fn own(node: &Node) -> (u64, u64, u64) {
    let by_dataset = node.refer.saturating_sub(node.shared);
    let by_snapshots = node.snaps.iter().map(|s| s.used).sum();
    let by_refres = node.num("refreservation").saturating_sub(by_dataset);
    (by_dataset, by_snapshots, by_refres)
}

fn own_total(node: &Node) -> u64 {
    let (a, b, c) = own(node);
    a + b + c
}

fn parent_of(name: &str) -> Option<&str> {
    name.rsplit_once('/').map(|(p, _)| p)
}

/// FNV-1a: dataset names are short and trusted, and SipHash dominated the listing time.
#[derive(Default)]
pub(crate) struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<Fnv>>;

/// Incrementally maintained sums (own + children's used) and used per dataset, so that a
/// run of creates (seeding a host) checks space in O(depth) instead of O(datasets).
#[derive(Debug, Clone, Default)]
pub(crate) struct SpaceCache {
    /// name → (sum, used)
    sums: FastMap<String, (u64, u64)>,
}

impl ZfsStore {
    /// For each filesystem and volume (in `datasets` order) the position of its parent.
    pub(crate) fn parent_index(&self) -> Vec<Option<usize>> {
        let mut index: FastMap<&str, usize> =
            FastMap::with_capacity_and_hasher(self.datasets.len(), Default::default());
        for (i, name) in self.datasets.keys().enumerate() {
            index.insert(name, i);
        }
        self.datasets
            .keys()
            .map(|n| parent_of(n).and_then(|p| index.get(p).copied()))
            .collect()
    }

    /// Usage of every filesystem and volume, in `datasets` order.
    pub(crate) fn usage_all(&self) -> Vec<Usage> {
        self.usage_with(&self.parent_index())
    }

    /// [`Self::usage_all`] with the parent index at hand.
    pub(crate) fn usage_with(&self, parent: &[Option<usize>]) -> Vec<Usage> {
        let n = self.datasets.len();
        let names: Vec<&str> = self.datasets.keys().map(String::as_str).collect();
        let nodes: Vec<&Node> = self.datasets.values().collect();
        let mut usage = vec![Usage::default(); n];
        let mut sum = vec![0u64; n];
        for i in 0..n {
            let (d, s, r) = own(nodes[i]);
            usage[i].by_dataset = d;
            usage[i].by_snapshots = s;
            usage[i].by_refreservation = r;
            sum[i] = d + s + r;
        }
        // A parent's name is a prefix of its children's, so it sorts before them: walking
        // backwards visits every child before its parent.
        for i in (0..n).rev() {
            let used = sum[i].max(nodes[i].num("reservation"));
            usage[i].used = used;
            if let Some(p) = parent[i] {
                sum[p] += used;
                usage[p].by_children += used;
            }
        }
        let mut avail_dir = vec![0u64; n];
        for i in 0..n {
            let node = nodes[i];
            let unused_res = node.num("reservation").saturating_sub(sum[i]);
            let mut a = match parent[i] {
                Some(p) => avail_dir[p] + unused_res,
                None => {
                    let size = self.pool_size(names[i]);
                    usable(size).saturating_sub(usage[i].used) + unused_res
                }
            };
            let quota = node.num("quota");
            if quota > 0 {
                a = a.min(quota.saturating_sub(usage[i].used));
            }
            avail_dir[i] = a;
            usage[i].avail = head_avail(node, a, usage[i].by_dataset);
        }
        usage
    }

    fn pool_size(&self, ds: &str) -> u64 {
        let pool = ds.split('/').next().unwrap_or(ds);
        self.pools.get(pool).map_or(0, |p| p.size)
    }

    fn cache(&mut self) -> &mut SpaceCache {
        if self.space.is_none() {
            let usage = self.usage_all();
            let mut sums = FastMap::with_capacity_and_hasher(usage.len(), Default::default());
            for (name, u) in self.datasets.keys().zip(&usage) {
                let own = u.by_dataset + u.by_snapshots + u.by_refreservation;
                sums.insert(name.clone(), (own + u.by_children, u.used));
            }
            self.space = Some(SpaceCache { sums });
        }
        self.space.as_mut().expect("just built")
    }

    /// The space available to a new child of `parent` (what a reservation must fit in).
    pub(crate) fn avail_below(&mut self, parent: &str) -> u64 {
        let mut chain: Vec<String> = Vec::new();
        let mut cur = Some(parent);
        while let Some(c) = cur {
            chain.push(c.to_string());
            cur = parent_of(c);
        }
        chain.reverse();
        let size = self.pool_size(parent);
        let sums: Vec<(u64, u64)> = {
            let cache = self.cache();
            chain
                .iter()
                .map(|n| cache.sums.get(n).copied().unwrap_or_default())
                .collect()
        };
        let mut avail = 0;
        for (i, name) in chain.iter().enumerate() {
            let Some(node) = self.datasets.get(name) else {
                return 0;
            };
            let (sum, used) = sums[i];
            let unused_res = node.num("reservation").saturating_sub(sum);
            avail = if i == 0 {
                usable(size).saturating_sub(used) + unused_res
            } else {
                avail + unused_res
            };
            let quota = node.num("quota");
            if quota > 0 {
                avail = avail.min(quota.saturating_sub(used));
            }
        }
        avail
    }

    /// Record that `name`'s own charge changed from `old` to its current value (or that it
    /// was just added, with `old` None), updating the cached sums of its ancestors.
    pub(crate) fn space_changed(&mut self, name: &str, old: Option<u64>) {
        let Some(cache) = self.space.as_mut() else {
            return;
        };
        let Some(node) = self.datasets.get(name) else {
            self.space = None;
            return;
        };
        let new_own = own_total(node);
        let (mut old_used, mut new_used) = match cache.sums.get_mut(name) {
            Some(e) if old.is_some() => {
                let before = e.1;
                e.0 = e.0.saturating_sub(old.unwrap_or(0)) + new_own;
                e.1 = e.0.max(node.num("reservation"));
                (before, e.1)
            }
            _ => {
                let used = new_own.max(node.num("reservation"));
                cache.sums.insert(name.to_string(), (new_own, used));
                (0, used)
            }
        };
        let mut cur = parent_of(name);
        while let Some(p) = cur {
            if old_used == new_used {
                break;
            }
            let res = self.datasets.get(p).map_or(0, |n| n.num("reservation"));
            let Some(e) = cache.sums.get_mut(p) else {
                self.space = None;
                return;
            };
            let before = e.1;
            e.0 = e.0.saturating_sub(old_used) + new_used;
            e.1 = e.0.max(res);
            (old_used, new_used) = (before, e.1);
            cur = parent_of(p);
        }
    }

    /// A dataset's own charge, to pass to [`Self::space_changed`] after changing it.
    pub(crate) fn own_charge(&self, name: &str) -> Option<u64> {
        self.datasets.get(name).map(own_total)
    }
}

/// What the head dataset can use: its directory's space plus its unused refreservation,
/// limited by refquota.
fn head_avail(node: &Node, dir_avail: u64, by_dataset: u64) -> u64 {
    let mut a = dir_avail + node.num("refreservation").saturating_sub(by_dataset);
    let refquota = node.num("refquota");
    if refquota > 0 {
        a = a.min(refquota.saturating_sub(node.refer));
    }
    a
}

#[cfg(test)]
impl ZfsStore {
    /// What the incremental cache says a dataset uses (None without a cache).
    pub(crate) fn cached_used(&self, name: &str) -> Option<u64> {
        self.space.as_ref()?.sums.get(name).map(|e| e.1)
    }
}

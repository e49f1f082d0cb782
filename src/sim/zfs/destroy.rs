//! Destroy and rollback, with the dependency rules and messages of zfs_main.c / libzfs.

use std::collections::{HashMap, HashSet};

use super::{Kind, ZfsStore, is_below, split_snap};

/// zfs_type_to_name() of a dataset.
fn type_name(store: &ZfsStore, name: &str) -> &'static str {
    match split_snap(name) {
        (_, Some(_)) => "snapshot",
        (ds, None) => match store.datasets.get(ds).map(|n| n.kind) {
            Some(Kind::Volume) => "volume",
            _ => "filesystem",
        },
    }
}

impl ZfsStore {
    fn origin_index(&self) -> HashMap<&str, Vec<&str>> {
        let mut idx: HashMap<&str, Vec<&str>> = HashMap::new();
        for (name, node) in &self.datasets {
            if let Some(o) = &node.origin {
                idx.entry(o.as_str()).or_default().push(name);
            }
        }
        idx
    }

    /// Everything that depends on `name` (children, snapshots, clones of those snapshots and
    /// their own dependents), each after its own dependents: a valid destroy order.
    pub(crate) fn dependents(&self, name: &str) -> Vec<String> {
        let origins = self.origin_index();
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        self.visit(name, &origins, &mut seen, &mut out);
        out.pop();
        out
    }

    fn visit(
        &self,
        name: &str,
        origins: &HashMap<&str, Vec<&str>>,
        seen: &mut HashSet<String>,
        out: &mut Vec<String>,
    ) {
        if !seen.insert(name.to_string()) {
            return;
        }
        match split_snap(name) {
            (_, Some(_)) => {
                for clone in origins.get(name).into_iter().flatten() {
                    self.visit(clone, origins, seen, out);
                }
            }
            (ds, None) => {
                let children: Vec<&String> = self
                    .datasets
                    .range(format!("{ds}/")..format!("{ds}0"))
                    .map(|(k, _)| k)
                    .filter(|k| !k[ds.len() + 1..].contains('/'))
                    .collect();
                for c in children {
                    self.visit(c, origins, seen, out);
                }
                if let Some(node) = self.datasets.get(ds) {
                    for s in node.snaps.iter().rev() {
                        self.visit(&format!("{ds}@{}", s.name), origins, seen, out);
                    }
                }
            }
        }
        out.push(name.to_string());
    }

    /// What `zfs destroy [-r] [-R] FS|VOL` would destroy, in order, or zfs' refusal.
    pub(crate) fn plan_destroy(
        &self,
        name: &str,
        recursive: bool,
        dependents: bool,
    ) -> Result<Vec<String>, String> {
        if !self.datasets.contains_key(name) {
            return Err(format!("cannot open '{name}': dataset does not exist"));
        }
        if !recursive && !name.contains('/') {
            return Err(format!(
                "cannot destroy '{name}': operation does not apply to pools\n\
                 use 'zfs destroy -r {name}' to destroy all datasets in the pool\n\
                 use 'zpool destroy {name}' to destroy the pool itself"
            ));
        }
        let deps = self.dependents(name);
        if !dependents {
            let direct = |d: &String| is_below(d, name) || d.starts_with(&format!("{name}@"));
            let kind = type_name(self, name);
            if !recursive && deps.iter().any(direct) {
                let list: Vec<&String> = deps.iter().filter(|d| direct(d)).collect();
                return Err(format!(
                    "cannot destroy '{name}': {kind} has children\n\
                     use '-r' to destroy the following datasets:\n{}",
                    join(&list)
                ));
            }
            if recursive && deps.iter().any(|d| !direct(d)) {
                let list: Vec<&String> = deps.iter().filter(|d| !direct(d)).collect();
                return Err(format!(
                    "cannot destroy '{name}': {kind} has dependent clones\n\
                     use '-R' to destroy the following datasets:\n{}",
                    join(&list)
                ));
            }
        }
        let mut victims = deps;
        victims.push(name.to_string());
        Ok(victims)
    }

    /// What `zfs destroy [-r] [-R] [-d] DS@SNAPS` would destroy. SNAPS may be a comma list
    /// of names and `first%last` ranges.
    pub(crate) fn plan_destroy_snapshots(
        &self,
        target: &str,
        recursive: bool,
        dependents: bool,
        defer: bool,
    ) -> Result<Vec<String>, String> {
        let (ds, spec) = split_snap(target);
        let spec = spec.unwrap_or("");
        if !self.datasets.contains_key(ds) {
            return Err(format!("cannot open '{ds}': dataset does not exist"));
        }
        let scope: Vec<&String> = self
            .subtree(ds)
            .map(|(n, _)| n)
            .filter(|n| recursive || *n == ds)
            .collect();
        let mut snaps: Vec<String> = Vec::new();
        for d in scope {
            let node = &self.datasets[d.as_str()];
            for item in spec.split(',') {
                let matches: Vec<&str> = match item.split_once('%') {
                    Some((first, last)) => {
                        let lo = node.snaps.iter().position(|s| s.name == first);
                        let hi = node.snaps.iter().position(|s| s.name == last);
                        let lo = if first.is_empty() { Some(0) } else { lo };
                        let hi = if last.is_empty() {
                            node.snaps.len().checked_sub(1)
                        } else {
                            hi
                        };
                        match (lo, hi) {
                            (Some(l), Some(h)) if l <= h => {
                                node.snaps[l..=h].iter().map(|s| s.name.as_str()).collect()
                            }
                            _ => Vec::new(),
                        }
                    }
                    None => node
                        .snap(item)
                        .map(|s| s.name.as_str())
                        .into_iter()
                        .collect(),
                };
                for m in matches {
                    let full = format!("{d}@{m}");
                    if !snaps.contains(&full) {
                        snaps.push(full);
                    }
                }
            }
        }
        if snaps.is_empty() {
            return Err("could not find any snapshots to destroy; check snapshot names.".into());
        }
        let mut victims = Vec::new();
        let mut refusals = Vec::new();
        for s in &snaps {
            let deps = self.dependents(s);
            if deps.is_empty() {
                victims.push(s.clone());
            } else if dependents {
                for d in deps {
                    if !victims.contains(&d) {
                        victims.push(d);
                    }
                }
                victims.push(s.clone());
            } else if !defer {
                refusals.push(format!(
                    "cannot destroy '{s}': snapshot has dependent clones\n\
                     use '-R' to destroy the following datasets:\n{}",
                    join(&deps)
                ));
            }
        }
        if !refusals.is_empty() {
            return Err(refusals.join("\n"));
        }
        Ok(victims)
    }

    /// Remove one dataset (whose dependents are gone) or snapshot; a filesystem's empty
    /// mountpoint directory goes with it, as remove_mountpoint() does.
    pub(crate) fn destroy_one(&mut self, name: &str) {
        self.space = None;
        match split_snap(name) {
            (ds, Some(snap)) => {
                if let Some(node) = self.datasets.get_mut(ds) {
                    node.snaps.retain(|s| s.name != snap);
                }
            }
            (ds, None) => {
                let mp = self.is_mounted(ds).then(|| self.mountpoint(ds)).flatten();
                self.datasets.remove(ds);
                if let (Some(mp), Some(root)) = (mp, &self.root) {
                    let _ = std::fs::remove_dir(root.join(mp.trim_start_matches('/')));
                }
            }
        }
    }

    /// `zfs destroy [-r] NAME` for other sim parts (zoneadm uninstall …): the same rules and
    /// messages as the command, without the in-use check.
    pub fn destroy(&mut self, name: &str, recursive: bool) -> Result<(), String> {
        let victims = if name.contains('@') {
            self.plan_destroy_snapshots(name, recursive, false, false)?
        } else {
            self.plan_destroy(name, recursive, false)?
        };
        for v in victims {
            self.destroy_one(&v);
        }
        Ok(())
    }

    /// `zfs rollback [-r] [-R] DS@SNAP`.
    pub fn rollback(&mut self, snap: &str, recursive: bool, clones: bool) -> Result<(), String> {
        let (ds, Some(short)) = split_snap(snap) else {
            return Err(format!(
                "cannot open '{snap}': operation not applicable to datasets of this type"
            ));
        };
        let Some(node) = self.datasets.get(ds) else {
            return Err(format!("cannot open '{snap}': dataset does not exist"));
        };
        let Some(target) = node.snap(short) else {
            return Err(format!("cannot open '{snap}': dataset does not exist"));
        };
        let later: Vec<String> = node
            .snaps
            .iter()
            .filter(|s| s.txg > target.txg)
            .map(|s| format!("{ds}@{}", s.name))
            .collect();
        if !recursive && !later.is_empty() {
            return Err(format!(
                "cannot rollback to '{snap}': more recent snapshots or bookmarks exist\n\
                 use '-r' to force deletion of the following snapshots and bookmarks:\n{}",
                join(&later)
            ));
        }
        let mut victims = Vec::new();
        let mut dependents = Vec::new();
        for l in &later {
            let deps = self.dependents(l);
            dependents.extend(deps.iter().cloned());
            victims.extend(deps);
            victims.push(l.clone());
        }
        if !clones && !dependents.is_empty() {
            return Err(format!(
                "cannot rollback to '{snap}': clones of previous snapshots exist\n\
                 use '-R' to force deletion of the following clones and dependents:\n{}",
                join(&dependents)
            ));
        }
        for v in &victims {
            self.destroy_one(v);
        }
        let node = self.datasets.get_mut(ds).expect("checked above");
        let idx = node
            .snaps
            .iter()
            .position(|s| s.name == short)
            .expect("kept");
        let (refer, volsize) = (node.snaps[idx].refer, node.snaps[idx].volsize);
        node.snaps[idx].used = 0;
        node.refer = refer;
        node.shared = node.shared.min(refer);
        if node.kind == Kind::Volume {
            node.volsize = volsize;
        }
        node.modified = false;
        self.space = None;
        Ok(())
    }
}

fn join<S: AsRef<str>>(items: &[S]) -> String {
    items
        .iter()
        .map(|s| s.as_ref())
        .collect::<Vec<_>>()
        .join("\n")
}

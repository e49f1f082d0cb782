//! Clone, rename, promote, set and inherit, with the rules and messages of libzfs.

use super::props::{self, PType};
use super::{
    Kind, Node, SimHost, ZfsStore, is_below, name_error, parent_of, pool_of, split_snap,
    volsize_to_reservation,
};

impl ZfsStore {
    /// `zfs clone [-o …] SNAP TARGET`: a filesystem or volume sharing the snapshot's data.
    pub fn clone_snapshot(
        &mut self,
        host: &SimHost,
        snap: &str,
        target: &str,
        props: &[(&str, &str)],
    ) -> Result<(), String> {
        let (ds, short) = split_snap(snap);
        let Some(origin) = self.datasets.get(ds) else {
            return Err(format!("cannot open '{snap}': dataset does not exist"));
        };
        let Some(s) = short.and_then(|s| origin.snap(s)) else {
            return Err(match short {
                None => format!(
                    "cannot open '{snap}': operation not applicable to datasets of this type"
                ),
                Some(_) => format!("cannot open '{snap}': dataset does not exist"),
            });
        };
        let errbuf = format!("cannot create '{target}'");
        if let Some(why) = name_error(target, false, true) {
            return Err(format!("{errbuf}: {why}"));
        }
        self.check_new(target, &errbuf)?;
        if pool_of(target) != pool_of(ds) {
            return Err(format!("{errbuf}: source and target pools differ"));
        }
        let kind = origin.kind;
        let (refer, volsize) = (s.refer, s.volsize);
        let props = Self::creation_props(kind, props, &errbuf)?;
        let txg = self.txg();
        let mut node = Node::new(kind, txg);
        node.refer = refer;
        node.shared = refer;
        node.volsize = volsize;
        node.origin = Some(snap.to_string());
        node.props = props;
        self.datasets.insert(target.to_string(), node);
        self.space_changed(target, None);
        self.make_mountpoints(host, target);
        Ok(())
    }

    /// `zfs rename [-r] FROM TO` (parents are created by the caller for `-p`).
    pub fn rename(
        &mut self,
        host: &SimHost,
        from: &str,
        to: &str,
        recursive: bool,
    ) -> Result<(), String> {
        if from == to {
            return Ok(());
        }
        let errbuf = format!("cannot rename to '{to}'");
        if let (ds, Some(old)) = split_snap(from) {
            let target = match to.split_once('@') {
                None => format!("{ds}@{to}"),
                Some(("", s)) => format!("{ds}@{s}"),
                Some((tds, _)) if tds != ds => {
                    return Err(format!("{errbuf}: snapshots must be part of same dataset"));
                }
                Some(_) => to.to_string(),
            };
            if let Some(why) = name_error(&target, true, true) {
                return Err(format!("cannot rename to '{target}': {why}"));
            }
            let new = split_snap(&target).1.unwrap_or("").to_string();
            let scope: Vec<String> = self
                .subtree(ds)
                .filter(|(n, node)| (recursive || *n == ds) && node.snap(old).is_some())
                .map(|(n, _)| n.clone())
                .collect();
            if let Some(clash) = scope
                .iter()
                .find(|d| self.datasets[d.as_str()].snap(&new).is_some())
            {
                return Err(format!(
                    "cannot rename '{clash}@{old}': dataset already exists"
                ));
            }
            for d in scope {
                if let Some(s) = self
                    .datasets
                    .get_mut(&d)
                    .and_then(|n| n.snaps.iter_mut().find(|s| s.name == old))
                {
                    s.name = new.clone();
                }
                let (old_full, new_full) = (format!("{d}@{old}"), format!("{d}@{new}"));
                for node in self.datasets.values_mut() {
                    if node.origin.as_deref() == Some(old_full.as_str()) {
                        node.origin = Some(new_full.clone());
                    }
                }
            }
            return Ok(());
        }
        if recursive {
            return Err(format!("{errbuf}: recursive rename must be a snapshot"));
        }
        if let Some(why) = name_error(to, false, true) {
            return Err(format!("{errbuf}: {why}"));
        }
        let create_errbuf = format!("cannot create '{to}'");
        let Some(parent) = parent_of(to) else {
            return Err(format!("{create_errbuf}: missing dataset name"));
        };
        if !self.pools.contains_key(pool_of(to)) {
            return Err(format!("{create_errbuf}: no such pool '{}'", pool_of(to)));
        }
        match self.datasets.get(parent) {
            None => return Err(format!("{create_errbuf}: parent does not exist")),
            Some(p) if p.kind != Kind::Filesystem => {
                return Err(format!("{create_errbuf}: parent is not a filesystem"));
            }
            _ => {}
        }
        if pool_of(to) != pool_of(from) {
            return Err(format!("{errbuf}: datasets must be within same pool"));
        }
        if is_below(to, from) {
            return Err(format!(
                "{errbuf}: New dataset name cannot be a descendant of current dataset name"
            ));
        }
        if self.datasets.contains_key(to) {
            return Err(format!("cannot rename '{from}': dataset already exists"));
        }
        let moved: Vec<String> = self.subtree(from).map(|(n, _)| n.clone()).collect();
        let rename = |n: &str| format!("{to}{}", &n[from.len()..]);
        for old in &moved {
            if let Some(node) = self.datasets.remove(old) {
                self.datasets.insert(rename(old), node);
            }
        }
        for node in self.datasets.values_mut() {
            if let Some(o) = &node.origin {
                let (ods, _) = split_snap(o);
                if ods == from || is_below(ods, from) {
                    node.origin = Some(rename(o));
                }
            }
        }
        self.space = None;
        self.make_mountpoints(host, to);
        Ok(())
    }

    /// `zfs promote CLONE`: the clone takes over its origin's snapshots up to the origin
    /// snapshot, and the former parent becomes its clone.
    pub fn promote(&mut self, name: &str) -> Result<(), String> {
        let errbuf = format!("cannot promote '{name}'");
        if name.contains('@') {
            return Err(format!("{errbuf}: snapshots can not be promoted"));
        }
        let Some(node) = self.datasets.get(name) else {
            return Err(format!("cannot open '{name}': dataset does not exist"));
        };
        let Some(origin) = node.origin.clone() else {
            return Err(format!("{errbuf}: not a cloned filesystem"));
        };
        let (ods, Some(osnap)) = split_snap(&origin) else {
            return Err(format!("{errbuf}: not a cloned filesystem"));
        };
        let ods = ods.to_string();
        let Some(parent) = self.datasets.get(&ods) else {
            return Err(format!("{errbuf}: not a cloned filesystem"));
        };
        let Some(cut) = parent.snap(osnap).map(|s| s.txg) else {
            return Err(format!("{errbuf}: not a cloned filesystem"));
        };
        let moving: Vec<String> = parent
            .snaps
            .iter()
            .filter(|s| s.txg <= cut)
            .map(|s| s.name.clone())
            .collect();
        if let Some(clash) = moving.iter().find(|m| node.snap(m).is_some()) {
            return Err(format!(
                "{errbuf}: conflicting snapshot '{clash}' from parent '{origin}'"
            ));
        }
        let parent = self.datasets.get_mut(&ods).expect("checked");
        let (taken, kept): (Vec<_>, Vec<_>) = parent.snaps.drain(..).partition(|s| s.txg <= cut);
        parent.snaps = kept;
        let grand_origin = parent.origin.take();
        let cut_refer = taken.last().map_or(0, |s| s.refer);
        parent.origin = Some(format!("{name}@{osnap}"));
        parent.shared = parent.refer.min(cut_refer);
        let clone = self.datasets.get_mut(name).expect("checked");
        let mut snaps = taken;
        snaps.append(&mut clone.snaps);
        clone.snaps = snaps;
        clone.origin = grand_origin;
        clone.shared = 0;
        for m in &moving {
            let (old, new) = (format!("{ods}@{m}"), format!("{name}@{m}"));
            for (n, other) in self.datasets.iter_mut() {
                if n != &ods && other.origin.as_deref() == Some(old.as_str()) {
                    other.origin = Some(new.clone());
                }
            }
        }
        self.space = None;
        Ok(())
    }

    /// `zfs set PROP=VALUE NAME` for one dataset or snapshot.
    pub fn set_property(
        &mut self,
        host: &SimHost,
        name: &str,
        prop: &str,
        value: &str,
    ) -> Result<(), String> {
        let errbuf = format!("cannot set property for '{name}'");
        let (ds, snap) = split_snap(name);
        let Some(node) = self.datasets.get(ds) else {
            return Err(format!("cannot open '{name}': dataset does not exist"));
        };
        if snap.is_some_and(|s| node.snap(s).is_none()) {
            return Err(format!("cannot open '{name}': dataset does not exist"));
        }
        let Some(def) = props::lookup(prop) else {
            if !props::is_user_prop(prop) {
                return Err(format!("{errbuf}: invalid property '{prop}'"));
            }
            if prop.len() >= 256 {
                return Err(format!("{errbuf}: property name '{prop}' is too long"));
            }
            if value.len() >= 8192 {
                return Err(format!("{errbuf}: '{prop}' is too long"));
            }
            let node = self.datasets.get_mut(ds).expect("checked");
            match snap {
                Some(s) => {
                    let snap = node
                        .snaps
                        .iter_mut()
                        .find(|x| x.name == s)
                        .expect("checked");
                    snap.props.retain(|p| p.name != prop);
                    snap.props.push(super::Prop {
                        name: prop.to_string(),
                        value: value.to_string(),
                        received: false,
                    });
                }
                None => node.set_prop(prop, value, false),
            }
            return Ok(());
        };
        if snap.is_some() {
            return Err(format!(
                "{errbuf}: this property can not be modified for snapshots"
            ));
        }
        if def.types & props::type_bit(node.kind, false) == 0 {
            return Err(format!(
                "{errbuf}: '{}' does not apply to datasets of this type",
                def.name
            ));
        }
        if def.readonly || def.setonce {
            return Err(format!("{errbuf}: '{}' is readonly", def.name));
        }
        let literal = props::normalize(def, value).map_err(|why| format!("{errbuf}: {why}"))?;
        let n: u64 = literal.parse().unwrap_or(0);
        let usage = self.usage_of(ds);
        match def.name {
            "volsize" => {
                let bs = match node.num("volblocksize") {
                    0 => 8192,
                    b => b,
                };
                if n == 0 {
                    return Err(format!("{errbuf}: volume size cannot be zero"));
                }
                if !n.is_multiple_of(bs) {
                    return Err(format!(
                        "{errbuf}: volsize must be a multiple of volume block size"
                    ));
                }
                let copies = node.num("copies").max(1);
                let old_resv = volsize_to_reservation(node.volsize, bs, copies);
                let thick = node.num("refreservation") == old_resv;
                let new_resv = volsize_to_reservation(n, bs, copies);
                if thick && new_resv > old_resv && new_resv - old_resv > usage.avail {
                    return Err(format!("{errbuf}: out of space"));
                }
                let node = self.datasets.get_mut(ds).expect("checked");
                node.volsize = n;
                if thick {
                    node.set_prop("refreservation", &new_resv.to_string(), false);
                }
                self.space = None;
                return Ok(());
            }
            "quota" | "refquota" if n != 0 => {
                let in_use = if def.name == "quota" {
                    usage.used
                } else {
                    node.refer
                };
                if n < in_use {
                    return Err(format!(
                        "{errbuf}: size is less than current used or reserved space"
                    ));
                }
            }
            "reservation" | "refreservation" if n != 0 => {
                let current = node.num(def.name);
                let charged = if def.name == "reservation" {
                    usage.used.max(current)
                } else {
                    usage.by_dataset.max(current)
                };
                if n > charged && n - charged > usage.avail {
                    return Err(format!("{errbuf}: size is greater than available space"));
                }
            }
            _ => {}
        }
        if def.ptype == PType::Str && def.name == "mountpoint" && value.starts_with('/') {
            let clean = literal.trim_end_matches('/');
            let literal = if clean.is_empty() { "/" } else { clean };
            self.datasets
                .get_mut(ds)
                .expect("checked")
                .set_prop("mountpoint", literal, false);
        } else {
            self.datasets
                .get_mut(ds)
                .expect("checked")
                .set_prop(def.name, &literal, false);
        }
        self.space = None;
        self.make_mountpoints(host, ds);
        Ok(())
    }

    /// `zfs inherit PROP NAME`: drop the local value (with `received`, only a local value
    /// that overrides a received one).
    pub fn inherit_property(
        &mut self,
        host: &SimHost,
        name: &str,
        prop: &str,
    ) -> Result<(), String> {
        let (ds, snap) = split_snap(name);
        let Some(node) = self.datasets.get_mut(ds) else {
            return Err(format!("cannot open '{name}': dataset does not exist"));
        };
        let full = props::lookup(prop).map_or(prop, |d| d.name);
        match snap {
            Some(s) => match node.snaps.iter_mut().find(|x| x.name == s) {
                Some(snap) => snap.props.retain(|p| p.name != full),
                None => return Err(format!("cannot open '{name}': dataset does not exist")),
            },
            None => {
                node.remove_prop(full);
            }
        }
        self.space = None;
        if full == "mountpoint" || full == "zoned" || full == "canmount" {
            self.make_mountpoints(host, ds);
        }
        Ok(())
    }

    /// Space accounting of one filesystem or volume.
    pub(crate) fn usage_of(&self, ds: &str) -> super::space::Usage {
        let usage = self.usage_all();
        self.datasets
            .keys()
            .position(|k| k == ds)
            .map(|i| usage[i])
            .unwrap_or_default()
    }
}

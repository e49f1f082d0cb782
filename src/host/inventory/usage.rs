//! Which datasets a zone uses, and which zones use a dataset: quick on 100,000 datasets,
//! through an index built once per snapshot.

use std::collections::HashMap;

use super::{Inventory, Zone};
use crate::sys::zfs::{Dataset, DatasetType};

/// Dataset positions by mountpoint and in name order.
#[derive(Debug, Clone, Default)]
pub struct DatasetIndex {
    by_mountpoint: HashMap<String, usize>,
    by_name: Vec<usize>,
}

impl DatasetIndex {
    fn build(datasets: &[Dataset]) -> DatasetIndex {
        let by_mountpoint = datasets
            .iter()
            .enumerate()
            .filter(|(_, d)| d.kind == DatasetType::Filesystem)
            .filter_map(|(i, d)| Some((d.mountpoint.clone()?, i)))
            .collect();
        let mut by_name: Vec<usize> = (0..datasets.len()).collect();
        by_name.sort_unstable_by(|&a, &b| datasets[a].name.cmp(&datasets[b].name));
        DatasetIndex {
            by_mountpoint,
            by_name,
        }
    }
}

/// `name` is `root` or lies beneath it (a child or a snapshot).
fn under(name: &str, root: &str) -> bool {
    name.strip_prefix(root)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/') || rest.starts_with('@'))
}

impl Inventory {
    /// Build the index now (off the UI thread) rather than at the first lookup.
    pub fn prepare_index(&self) {
        self.index();
    }

    fn index(&self) -> &DatasetIndex {
        self.dataset_index
            .get_or_init(|| DatasetIndex::build(&self.datasets))
    }

    /// The datasets a zone's storage starts from: its zonepath dataset, bhyve disks and
    /// delegated datasets.
    fn zone_roots<'a>(&'a self, zone: &'a Zone) -> Vec<&'a str> {
        let index = self.index();
        let mut roots: Vec<&str> = index
            .by_mountpoint
            .get(&zone.zonepath)
            .map(|&i| self.datasets[i].name.as_str())
            .into_iter()
            .collect();
        if let Some(cfg) = &zone.config {
            for disk in crate::sys::bhyve::disks(cfg) {
                if let Some(i) = self.find(&index.by_name, &disk.dataset) {
                    roots.push(self.datasets[i].name.as_str());
                }
            }
            roots.extend(cfg.datasets.iter().map(|d| d.name.as_str()));
        }
        roots
    }

    fn find(&self, by_name: &[usize], name: &str) -> Option<usize> {
        by_name
            .binary_search_by(|&i| self.datasets[i].name.as_str().cmp(name))
            .ok()
            .map(|at| by_name[at])
    }

    /// Every dataset a zone uses (its roots and everything beneath them), in name order.
    pub fn zone_datasets(&self, zone: &Zone) -> Vec<&Dataset> {
        let index = self.index();
        // Positions in name order, so one sort both orders and de-duplicates.
        let mut positions: Vec<usize> = Vec::new();
        for root in self.zone_roots(zone) {
            let start = index
                .by_name
                .partition_point(|&i| self.datasets[i].name.as_str() < root);
            // Names that merely start with the root (web01-old after web01) are skipped,
            // not an end: they sort among the root's children.
            positions.extend(
                (start..index.by_name.len())
                    .take_while(|&p| self.datasets[index.by_name[p]].name.starts_with(root))
                    .filter(|&p| under(&self.datasets[index.by_name[p]].name, root)),
            );
        }
        positions.sort_unstable();
        positions.dedup();
        positions
            .into_iter()
            .map(|p| &self.datasets[index.by_name[p]])
            .collect()
    }

    /// The zones that use a dataset: it lies under one of their roots.
    pub fn zones_using(&self, dataset: &str) -> Vec<&Zone> {
        self.zones
            .iter()
            .filter(|z| self.zone_roots(z).iter().any(|root| under(dataset, root)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ds(name: &str, mountpoint: Option<&str>) -> Dataset {
        Dataset {
            name: name.into(),
            kind: if name.contains('@') {
                DatasetType::Snapshot
            } else {
                DatasetType::Filesystem
            },
            used: None,
            avail: None,
            refer: None,
            mountpoint: mountpoint.map(str::to_string),
            volsize: None,
            origin: None,
            creation: None,
        }
    }

    #[test]
    fn a_zone_uses_its_zonepath_tree_and_not_a_lookalike() {
        let inv = Inventory {
            datasets: vec![
                ds("rpool/zones/web01", Some("/zones/web01")),
                ds("rpool/zones/web01-old", Some("/zones/web01-old")),
                ds("rpool/zones/web01/ROOT", None),
                ds("rpool/zones/web01@snap", None),
            ],
            zones: vec![Zone {
                name: "web01".into(),
                id: None,
                state: crate::sys::zoneadm::ZoneState::Installed,
                brand: "sparse".into(),
                ip_type: crate::sys::zonecfg::IpType::Exclusive,
                zonepath: "/zones/web01".into(),
                uuid: String::new(),
                debugid: None,
                config: None,
            }],
            ..Inventory::default()
        };
        let names: Vec<&str> = inv
            .zone_datasets(&inv.zones[0])
            .iter()
            .map(|d| d.name.as_str())
            .collect();
        assert_eq!(
            names,
            [
                "rpool/zones/web01",
                "rpool/zones/web01/ROOT",
                "rpool/zones/web01@snap"
            ]
        );
        assert_eq!(inv.zones_using("rpool/zones/web01/ROOT").len(), 1);
        assert!(inv.zones_using("rpool/zones/web01-old").is_empty());
    }
}

//! What the wizard offers from the host: pools, volumes (and which zones use them),
//! template snapshots, links to create VNICs over, free VNICs and ISO files.

use std::collections::HashMap;
use std::path::Path;

use crate::host::Inventory;
use crate::sys::dladm::LinkClass;
use crate::sys::size::format_size;
use crate::sys::zfs::DatasetType;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pool {
    pub name: String,
    /// Bytes a new volume can take: the pool's top dataset's `avail` (the pool's free
    /// space when the dataset is not listed).
    pub avail: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HostVolume {
    pub name: String,
    pub volsize: Option<u64>,
    /// The zones that use it (as a disk, or under their zonepath).
    pub users: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HostFacts {
    pub zones: Vec<String>,
    pub pools: Vec<Pool>,
    pub volumes: Vec<HostVolume>,
    /// Snapshots of datasets under a dataset named `templates` (rpool/templates/x@base).
    pub templates: Vec<String>,
    /// Links a VNIC can be created over: physical links, aggregations and etherstubs, with
    /// their class.
    pub links: Vec<(String, &'static str)>,
    /// VNICs no zone has or names in its configuration, with the link each is over.
    pub free_vnics: Vec<(String, String)>,
    /// ISO files (host paths) in the datasets named `…/iso`, by name.
    pub isos: Vec<String>,
    /// Where ISOs were looked for (the mountpoints of those datasets).
    pub iso_dirs: Vec<String>,
    /// Positions of the inventory's datasets in name order: a name is looked up as it is
    /// typed, on hosts with a hundred thousand datasets.
    by_name: Vec<u32>,
}

/// A dataset under a `templates` dataset: `rpool/templates/debian-12@base`.
fn is_template(name: &str) -> bool {
    let (dataset, _) = name.split_once('@').unwrap_or((name, ""));
    dataset
        .rsplit_once('/')
        .is_some_and(|(parent, _)| parent == "templates" || parent.ends_with("/templates"))
}

impl HostFacts {
    /// Read what the wizard needs from a snapshot of the host; ISO directories are listed
    /// beneath `host_root` (the host's `/`, a sim's root directory).
    pub fn gather(inv: &Inventory, host_root: &Path) -> HostFacts {
        let mut users: HashMap<&str, Vec<String>> = HashMap::new();
        for zone in &inv.zones {
            for d in inv.zone_datasets(zone) {
                if d.kind == DatasetType::Volume {
                    users.entry(&d.name).or_default().push(zone.name.clone());
                }
            }
        }
        let avail_of = |pool: &str| {
            inv.datasets
                .iter()
                .find(|d| d.name == pool)
                .and_then(|d| d.avail)
        };
        let pools = inv
            .pools
            .iter()
            .map(|p| Pool {
                name: p.name.clone(),
                avail: avail_of(&p.name).unwrap_or(p.free),
            })
            .collect();
        let mut volumes: Vec<HostVolume> = inv
            .datasets
            .iter()
            .filter(|d| d.kind == DatasetType::Volume)
            .map(|d| HostVolume {
                name: d.name.clone(),
                volsize: d.volsize,
                users: users.remove(d.name.as_str()).unwrap_or_default(),
            })
            .collect();
        volumes.sort_by(|a, b| a.name.cmp(&b.name));
        let mut templates: Vec<String> = inv
            .datasets
            .iter()
            .filter(|d| d.kind == DatasetType::Snapshot && is_template(&d.name))
            .map(|d| d.name.clone())
            .collect();
        templates.sort();
        let links = inv
            .links
            .iter()
            .filter_map(|l| {
                let class = match l.class {
                    LinkClass::Phys => "physical",
                    LinkClass::Aggr => "aggregation",
                    LinkClass::Etherstub => "etherstub",
                    _ => return None,
                };
                Some((l.link.clone(), class))
            })
            .collect();
        let named: Vec<&str> = inv
            .zones
            .iter()
            .filter_map(|z| z.config.as_ref())
            .flat_map(|c| &c.nets)
            .filter_map(|n| n.physical.as_deref())
            .collect();
        let free_vnics = inv
            .vnics
            .iter()
            .filter(|v| v.zone.is_none() && !named.contains(&v.link.as_str()))
            .map(|v| (v.link.clone(), v.over.clone()))
            .collect();
        let (isos, iso_dirs) = isos(inv, host_root);
        let mut by_name: Vec<u32> = (0..inv.datasets.len() as u32).collect();
        by_name.sort_unstable_by(|&a, &b| {
            inv.datasets[a as usize]
                .name
                .cmp(&inv.datasets[b as usize].name)
        });
        HostFacts {
            by_name,
            zones: inv.zones.iter().map(|z| z.name.clone()).collect(),
            pools,
            volumes,
            templates,
            links,
            free_vnics,
            isos,
            iso_dirs,
        }
    }

    pub fn pool(&self, name: &str) -> Option<&Pool> {
        self.pools.iter().find(|p| p.name == name)
    }

    pub fn volume(&self, name: &str) -> Option<&HostVolume> {
        let at = self
            .volumes
            .binary_search_by(|v| v.name.as_str().cmp(name))
            .ok()?;
        Some(&self.volumes[at])
    }

    /// Whether the host has a dataset of this name (`inv` is the snapshot these facts were
    /// gathered from).
    pub fn dataset_exists(&self, inv: &Inventory, name: &str) -> bool {
        self.by_name
            .binary_search_by(|&i| inv.datasets[i as usize].name.as_str().cmp(name))
            .is_ok()
    }

    /// "10G, used by web01" for a volume choice.
    pub fn volume_note(v: &HostVolume) -> String {
        let mut parts = Vec::new();
        if let Some(size) = v.volsize {
            parts.push(format_size(size));
        }
        if !v.users.is_empty() {
            parts.push(format!("used by {}", v.users.join(", ")));
        }
        parts.join(", ")
    }
}

/// The `.iso` files in the mountpoints of datasets named `…/iso`.
fn isos(inv: &Inventory, host_root: &Path) -> (Vec<String>, Vec<String>) {
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    for d in &inv.datasets {
        if d.kind != DatasetType::Filesystem || !d.name.ends_with("/iso") {
            continue;
        }
        let Some(mp) = d.mountpoint.as_deref().filter(|m| m.starts_with('/')) else {
            continue;
        };
        dirs.push(mp.to_string());
        let Ok(entries) = std::fs::read_dir(host_root.join(mp.trim_start_matches('/'))) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let is_iso = name.to_ascii_lowercase().ends_with(".iso");
            if is_iso && entry.file_type().is_ok_and(|t| t.is_file()) {
                files.push(format!("{}/{name}", mp.trim_end_matches('/')));
            }
        }
    }
    files.sort();
    (files, dirs)
}

#[cfg(test)]
mod tests {
    use super::is_template;

    #[test]
    fn templates_are_snapshots_under_a_templates_dataset() {
        assert!(is_template("rpool/templates/debian-12@base"));
        assert!(is_template("data/vm/templates/x@1"));
        assert!(is_template("templates/x@1"));
        assert!(!is_template("rpool/mytemplates/x@1"));
        assert!(!is_template("rpool/templates/a/b@1"));
    }
}

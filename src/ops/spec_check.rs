//! Checking a zone spec against the rules and the host before anything runs: every problem,
//! each naming its field, what is wrong and what would be right.

use super::spec::{NATIVE_BRANDS, Volume, ZoneSpec};
use crate::host::Inventory;
use crate::sys::zfs::DatasetType;
use crate::sys::{size::parse_size, zonename};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where in the spec: `name`, `boot_volume.size`, `nics[0].physical` …
    pub field: String,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// Every problem of `spec` on the host `inv` (empty when it can be created); `is_file` says
/// whether a host path (an ISO, an lx image) is a file.
pub fn check(spec: &ZoneSpec, inv: &Inventory, is_file: &dyn Fn(&str) -> bool) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut add = |field: &str, message: String| {
        out.push(Problem {
            field: field.to_string(),
            message,
        })
    };
    if let Err(e) = zonename::validate(&spec.name) {
        add("name", e);
    } else if inv.zone(&spec.name).is_some() {
        add(
            "name",
            format!(
                "a zone named {} already exists: choose another name",
                spec.name
            ),
        );
    }
    if !spec.is_bhyve() && !NATIVE_BRANDS.contains(&spec.brand.as_str()) {
        add(
            "brand",
            format!(
                "unknown brand {:?}: one of bhyve, {}",
                spec.brand,
                NATIVE_BRANDS.join(", ")
            ),
        );
    }
    if !spec.is_bhyve() {
        let bhyve_only = [
            ("boot_volume", spec.boot_volume.is_some()),
            ("disks", !spec.disks.is_empty()),
            ("cdroms", !spec.cdroms.is_empty()),
            ("cloud_init", spec.cloud_init.is_some()),
        ];
        for (field, used) in bhyve_only {
            if used {
                add(
                    field,
                    format!(
                        "only bhyve zones have {field}; this is a {} zone",
                        spec.brand
                    ),
                );
            }
        }
    }
    if spec.brand == "lx" && spec.image.is_none() {
        add(
            "image",
            "an lx zone is installed from an image: give its path".into(),
        );
    }
    let volumes = spec
        .boot_volume
        .iter()
        .map(|v| ("boot_volume".to_string(), v))
        .chain(
            spec.disks
                .iter()
                .enumerate()
                .map(|(i, v)| (format!("disks[{i}]"), v)),
        );
    let mut seen: Vec<&str> = Vec::new();
    for (field, volume) in volumes {
        let dataset = volume.dataset();
        if seen.contains(&dataset) {
            add(&field, format!("{dataset} is used twice in this spec"));
        }
        seen.push(dataset);
        let found = inv.datasets.iter().find(|d| d.name == dataset);
        match volume {
            Volume::New { size, .. } => {
                if let Err(e) = parse_size(size) {
                    add(&format!("{field}.size"), e);
                }
                if found.is_some() {
                    add(
                        &format!("{field}.dataset"),
                        format!(
                            "{dataset} already exists: choose a new name, or attach it as an existing volume"
                        ),
                    );
                }
            }
            Volume::Existing { force, .. } => match found {
                None => add(
                    &format!("{field}.dataset"),
                    format!("there is no volume {dataset} on this host"),
                ),
                Some(d) if d.kind != DatasetType::Volume => add(
                    &format!("{field}.dataset"),
                    format!("{dataset} is a {}, not a volume", d.kind.as_str()),
                ),
                Some(_) if !force => {
                    let users: Vec<String> = inv
                        .zones_using(dataset)
                        .iter()
                        .map(|z| z.name.clone())
                        .collect();
                    if !users.is_empty() {
                        add(
                            &format!("{field}.dataset"),
                            format!(
                                "{dataset} is used by {}: pick another, or set force to share it",
                                users.join(", ")
                            ),
                        );
                    }
                }
                Some(_) => {}
            },
            Volume::Template { snapshot, .. } => {
                if !inv.datasets.iter().any(|d| d.name == *snapshot) {
                    add(
                        &format!("{field}.snapshot"),
                        format!(
                            "there is no snapshot {snapshot} on this host (templates are snapshots such as rpool/templates/debian-12@base)"
                        ),
                    );
                }
                if found.is_some() {
                    add(
                        &format!("{field}.dataset"),
                        format!("{dataset} already exists"),
                    );
                }
            }
        }
    }
    for (i, nic) in spec.nics.iter().enumerate() {
        let field = format!("nics[{i}]");
        if !crate::sys::zonecfg::check::valid_linkname(&nic.physical) {
            add(
                &format!("{field}.physical"),
                format!(
                    "{:?} is not a link name: letters, digits and '_', ending in a digit, at most 31 characters (e.g. {}0)",
                    nic.physical,
                    spec.name.replace(['-', '.'], "_")
                ),
            );
        }
        if spec.nics[..i].iter().any(|n| n.physical == nic.physical) {
            add(
                &format!("{field}.physical"),
                format!("{} is used twice in this spec", nic.physical),
            );
        }
        match &nic.global_nic {
            Some(over) => {
                let link_exists = inv.links.iter().any(|l| l.link == *over);
                if !link_exists {
                    add(
                        &format!("{field}.global_nic"),
                        format!("there is no link {over} on this host to create the VNIC over"),
                    );
                }
                if inv.links.iter().any(|l| l.link == nic.physical) {
                    add(
                        &format!("{field}.physical"),
                        format!(
                            "a link named {} already exists: the zone's VNIC needs a new name",
                            nic.physical
                        ),
                    );
                }
            }
            None => {
                if !inv.vnics.iter().any(|v| v.link == nic.physical) {
                    add(
                        &format!("{field}.physical"),
                        format!(
                            "there is no VNIC {} on this host: create it, or give global_nic to have one made at boot",
                            nic.physical
                        ),
                    );
                }
            }
        }
    }
    for (i, iso) in spec.cdroms.iter().enumerate() {
        if !iso.starts_with('/') {
            add(
                &format!("cdroms[{i}]"),
                format!("{iso:?} is not an absolute path"),
            );
        } else if !is_file(iso) {
            add(
                &format!("cdroms[{i}]"),
                format!(
                    "there is no file {iso} on this host (ISOs usually live in a dataset such as /data/iso)"
                ),
            );
        }
    }
    if let Some(image) = &spec.image
        && !is_file(image)
    {
        add("image", format!("there is no file {image} on this host"));
    }
    out
}

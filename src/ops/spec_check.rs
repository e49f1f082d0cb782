//! Checking a zone spec against the rules and the host before anything runs: every problem,
//! each naming its field, what is wrong and what would be right.

use super::spec::{NATIVE_BRANDS, Volume, ZoneSpec};
use super::validate;
use crate::host::Inventory;
use crate::sys::zfs::DatasetType;

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
    check_against(spec, None, inv, is_file)
}

/// Every problem of `desired` as the new configuration of the zone whose configuration is
/// `current` now: what the zone already has (its name, its volumes, its VNICs) is not a
/// conflict with itself.
pub fn check_modify(
    current: &ZoneSpec,
    desired: &ZoneSpec,
    inv: &Inventory,
    is_file: &dyn Fn(&str) -> bool,
) -> Vec<Problem> {
    let mut out = Vec::new();
    if desired.name != current.name {
        out.push(Problem {
            field: "name".into(),
            message: format!(
                "the zone is {}: a zone is not renamed by modify (clone it under the new name)",
                current.name
            ),
        });
    }
    if desired.brand != current.brand {
        out.push(Problem {
            field: "brand".into(),
            message: format!(
                "the zone's brand is {}: a brand cannot be changed (create a new zone)",
                current.brand
            ),
        });
    }
    out.extend(check_against(desired, Some(current), inv, is_file));
    out
}

fn check_against(
    spec: &ZoneSpec,
    current: Option<&ZoneSpec>,
    inv: &Inventory,
    is_file: &dyn Fn(&str) -> bool,
) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut add = |field: &str, message: String| {
        out.push(Problem {
            field: field.to_string(),
            message,
        })
    };
    let names: Vec<&str> = inv
        .zones
        .iter()
        .map(|z| z.name.as_str())
        .filter(|n| current.is_none_or(|c| c.name != *n))
        .collect();
    if let Err(e) = validate::zone_name(&spec.name, &names) {
        add("name", e);
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
    if spec.is_bhyve() {
        for (name, value) in &spec.attrs {
            if let Err(e) = validate::bhyve_attr(name, value) {
                add(&format!("attrs.{name}"), e);
            }
        }
    }
    if let Some(ci) = &spec.cloud_init {
        let fields = [
            ("cloud-init", "enabled", Some(&ci.enabled)),
            ("dns-domain", "dns_domain", ci.dns_domain.as_ref()),
            ("password", "password", ci.password.as_ref()),
            ("resolvers", "resolvers", ci.resolvers.as_ref()),
            ("sshkey", "sshkey", ci.sshkey.as_ref()),
        ];
        for (attr, field, value) in fields {
            if let Some(v) = value
                && let Err(e) = validate::bhyve_attr(attr, v)
            {
                add(&format!("cloud_init.{field}"), e);
            }
        }
    }
    for (field, message) in spec.caps.problems() {
        add(&format!("caps.{field}"), message);
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
    let attached: Vec<&str> = current
        .iter()
        .flat_map(|c| c.boot_volume.iter().chain(&c.disks))
        .map(Volume::dataset)
        .collect();
    let mut seen: Vec<&str> = Vec::new();
    let mut reserved = Reserved::default();
    for (field, volume) in volumes {
        let dataset = volume.dataset();
        if let Err(e) = validate::dataset_name(dataset) {
            add(&format!("{field}.dataset"), e);
            continue;
        }
        if seen.contains(&dataset) {
            add(&field, format!("{dataset} is used twice in this spec"));
        }
        seen.push(dataset);
        let found = inv.datasets.iter().find(|d| d.name == dataset);
        match volume {
            Volume::New { size, sparse, .. } => {
                match validate::size(size) {
                    Err(e) => add(&format!("{field}.size"), e),
                    Ok(bytes) if !sparse => {
                        if let Err(e) = reserve(&mut reserved, inv, dataset, bytes) {
                            add(
                                &format!("{field}.size"),
                                format!("{e}; make it smaller or sparse"),
                            );
                        }
                    }
                    Ok(_) => {}
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
                Some(_) if !force && !attached.contains(&dataset) => {
                    let users: Vec<String> = inv
                        .zones_using(dataset)
                        .iter()
                        .map(|z| z.name.clone())
                        .filter(|n| current.is_none_or(|c| c.name != *n))
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
            Volume::Template { snapshot, copy, .. } => {
                let pool = dataset.split('/').next().unwrap_or(dataset);
                let snap_pool = snapshot.split('/').next().unwrap_or(snapshot);
                match inv.datasets.iter().find(|d| d.name == *snapshot) {
                    None => add(
                        &format!("{field}.snapshot"),
                        format!(
                            "there is no snapshot {snapshot} on this host (templates are snapshots such as rpool/templates/debian-12@base)"
                        ),
                    ),
                    Some(_) if !copy && pool != snap_pool => add(
                        &format!("{field}.dataset"),
                        format!(
                            "a clone stays in its snapshot's pool: put {dataset} under {snap_pool}/, or copy the template"
                        ),
                    ),
                    // A full copy writes what the snapshot refers to.
                    Some(snap) if *copy => {
                        let bytes = snap.refer.unwrap_or(0);
                        if let Err(e) = reserve(&mut reserved, inv, dataset, bytes) {
                            add(
                                &format!("{field}.dataset"),
                                format!(
                                    "a copy of {snapshot}: {e}; pick a pool with room, or clone it in its own pool"
                                ),
                            );
                        }
                    }
                    Some(_) => {}
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
        if let Err(e) = validate::link_name(&nic.physical) {
            add(&format!("{field}.physical"), e);
        }
        if let Some(mac) = &nic.mac
            && let Err(e) = validate::mac(mac)
        {
            add(&format!("{field}.mac"), e);
        }
        if let Some(vlan) = nic.vlan
            && let Err(e) = validate::vlan(&vlan.to_string())
        {
            add(&format!("{field}.vlan"), e);
        }
        if let Some(a) = &nic.allowed_address
            && let Err(e) = validate::allowed_address(a)
        {
            add(&format!("{field}.allowed_address"), e);
        }
        if let Some(r) = &nic.defrouter
            && let Err(e) = validate::ip(r)
        {
            add(&format!("{field}.defrouter"), e);
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
                let has_it =
                    current.is_some_and(|c| c.nics.iter().any(|n| n.physical == nic.physical));
                if !has_it && inv.links.iter().any(|l| l.link == nic.physical) {
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

/// Bytes the spec's new volumes take so far, per pool.
type Reserved = std::collections::BTreeMap<String, u64>;

/// Count `bytes` more in `dataset`'s pool; an error when the spec's volumes there no longer
/// fit in the space its nearest existing ancestor has.
fn reserve(
    reserved: &mut Reserved,
    inv: &Inventory,
    dataset: &str,
    bytes: u64,
) -> Result<(), String> {
    let pool = dataset.split('/').next().unwrap_or(dataset);
    let total = reserved.entry(pool.to_string()).or_default();
    *total += bytes;
    match space_above(inv, dataset) {
        Some((parent, avail)) => validate::fits(*total, avail, &parent),
        None => Ok(()),
    }
}

/// The space available to a new dataset: that of its nearest existing ancestor.
fn space_above(inv: &Inventory, dataset: &str) -> Option<(String, u64)> {
    let mut at = dataset;
    while let Some((parent, _)) = at.rsplit_once('/') {
        if let Some(d) = inv.datasets.iter().find(|d| d.name == parent) {
            return Some((parent.to_string(), d.avail?));
        }
        at = parent;
    }
    inv.datasets
        .iter()
        .find(|d| d.name == at)
        .and_then(|d| Some((at.to_string(), d.avail?)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sys::zfs::Dataset;

    fn dataset(name: &str, kind: DatasetType, avail: u64, refer: u64) -> Dataset {
        Dataset {
            name: name.into(),
            kind,
            used: Some(refer),
            avail: Some(avail),
            refer: Some(refer),
            mountpoint: None,
            volsize: None,
            origin: None,
            creation: Some(0),
        }
    }

    /// rpool with a 2G template snapshot; a small second pool with 3G free.
    fn host() -> Inventory {
        Inventory {
            datasets: vec![
                dataset("rpool", DatasetType::Filesystem, 100 << 30, 0),
                dataset(
                    "rpool/templates/deb",
                    DatasetType::Volume,
                    100 << 30,
                    2 << 30,
                ),
                dataset(
                    "rpool/templates/deb@base",
                    DatasetType::Snapshot,
                    0,
                    2 << 30,
                ),
                dataset("small", DatasetType::Filesystem, 3 << 30, 0),
            ],
            ..Inventory::default()
        }
    }

    fn template(dataset: &str, copy: bool) -> Volume {
        Volume::Template {
            snapshot: "rpool/templates/deb@base".into(),
            dataset: dataset.into(),
            copy,
        }
    }

    fn problems(boot: Volume, disks: Vec<Volume>) -> Vec<String> {
        let spec = ZoneSpec {
            name: "vm1".into(),
            brand: "bhyve".into(),
            boot_volume: Some(boot),
            disks,
            ..ZoneSpec::default()
        };
        check(&spec, &host(), &|_: &str| false)
            .iter()
            .map(Problem::to_string)
            .collect()
    }

    #[test]
    fn a_clone_stays_in_its_pool_and_a_copy_needs_room() {
        assert!(problems(template("rpool/zones/vm1/root", false), vec![]).is_empty());
        assert_eq!(
            problems(template("small/vm1/root", false), vec![]),
            [
                "boot_volume.dataset: a clone stays in its snapshot's pool: put small/vm1/root under rpool/, or copy the template"
            ]
        );
        assert!(problems(template("small/vm1/root", true), vec![]).is_empty());
        // Two copies of the 2G template do not fit in 3G.
        assert_eq!(
            problems(
                template("small/vm1/root", true),
                vec![template("small/vm1/data", true)]
            ),
            [
                "disks[0].dataset: a copy of rpool/templates/deb@base: 4G does not fit: small has 3G available; pick a pool with room, or clone it in its own pool"
            ]
        );
    }
}

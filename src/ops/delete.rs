//! Deleting a zone: halt it if it runs, uninstall it, delete its configuration and, when the
//! operator asks, destroy the volumes zcon made for it. What happens to each dataset the
//! zone uses is worked out before anything runs, so the dialog can list it.

use std::collections::BTreeMap;

use super::{Action, Plan, Step, dataset_object, zone_object};
use crate::host::Inventory;
use crate::host::inventory::Zone;
use crate::sys::zfs::{self, DatasetType, DestroyOptions};
use crate::sys::zoneadm::{self, ZoneState};

/// The user property zcon sets on the volumes it makes for a zone (`zcon:zone=NAME`): only
/// those are destroyed by a cleanup, never a volume that was attached as existing.
pub const ZONE_TAG: &str = "zcon:zone";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deletion {
    pub plan: Plan,
    /// Destroyed by `zoneadm uninstall`: the zonepath dataset and everything in it.
    pub with_zone: Vec<String>,
    /// Destroyed because the operator asked for cleanup: made by zcon for this zone.
    pub cleaned: Vec<String>,
    /// Left as they are.
    pub kept: Vec<String>,
}

/// `zfs get -H -p -o name,property,value,source zcon:zone` of the datasets the zone uses,
/// for [`delete_plan`]'s `tags`.
pub fn tag_query(inv: &Inventory, zone: &Zone) -> Option<crate::sys::Command> {
    let names: Vec<&str> = inv
        .zone_datasets(zone)
        .into_iter()
        .filter(|d| d.kind != DatasetType::Snapshot)
        .map(|d| d.name.as_str())
        .collect();
    (!names.is_empty()).then(|| zfs::get(&[ZONE_TAG], &names))
}

/// The output of [`tag_query`]: dataset → the zone it was made for.
pub fn parse_tags(text: &str) -> Result<BTreeMap<String, String>, crate::sys::ParseError> {
    Ok(zfs::parse_get(text)?
        .into_iter()
        .filter_map(|v| Some((v.dataset, v.value?)))
        .collect())
}

/// The plan that deletes `zone`. `tags` maps datasets to their `zcon:zone` value.
pub fn delete_plan(
    inv: &Inventory,
    zone: &Zone,
    tags: &BTreeMap<String, String>,
    cleanup: bool,
) -> Result<Deletion, String> {
    let name = zone.name.as_str();
    let state = zone.state;
    if matches!(state, ZoneState::ShuttingDown | ZoneState::Mounted) {
        return Err(format!(
            "{name} is {}: wait until it is halted or running",
            state.as_str()
        ));
    }
    let used: Vec<&str> = inv
        .zone_datasets(zone)
        .into_iter()
        .filter(|d| d.kind != DatasetType::Snapshot)
        .map(|d| d.name.as_str())
        .collect();
    let zonepath_ds = inv
        .datasets
        .iter()
        .find(|d| {
            d.kind == DatasetType::Filesystem && d.mountpoint.as_deref() == Some(&zone.zonepath)
        })
        .map(|d| d.name.as_str());
    let installed = state != ZoneState::Configured;
    let inside = |ds: &str, root: &str| ds == root || ds.starts_with(&format!("{root}/"));
    let (mut with_zone, mut cleaned, mut kept) = (Vec::new(), Vec::new(), Vec::new());
    for ds in used {
        if installed && zonepath_ds.is_some_and(|z| inside(ds, z)) {
            with_zone.push(ds.to_string());
        } else if tags.get(ds).map(String::as_str) == Some(name) && cleanup {
            cleaned.push(ds.to_string());
        } else {
            kept.push(ds.to_string());
        }
    }
    // A dataset inside one being destroyed goes with it.
    let roots: Vec<String> = cleaned
        .iter()
        .filter(|ds| {
            !cleaned
                .iter()
                .any(|other| other != *ds && inside(ds, other))
        })
        .cloned()
        .collect();
    let mut plan = Plan::new("delete", name).object(zone_object(name));
    if matches!(
        state,
        ZoneState::Running | ZoneState::Ready | ZoneState::Down
    ) {
        plan = plan.step(Step::new(
            "Halting zone",
            20,
            Action::run(zoneadm::halt(name)),
        ));
    }
    if installed {
        plan = plan.step(Step::new(
            "Uninstalling zone",
            60,
            Action::run(zoneadm::uninstall(name)),
        ));
    }
    plan = plan.step(Step::new(
        "Deleting zone configuration",
        80,
        Action::run(crate::sys::zonecfg::delete(name)),
    ));
    for root in roots {
        plan = plan.object(dataset_object(&root)).step(Step::new(
            "Destroying the zone's volumes",
            95,
            Action::run(zfs::destroy(
                &root,
                DestroyOptions {
                    recursive: true,
                    ..Default::default()
                },
            )),
        ));
    }
    // The snapshots a clone of this zone's volumes was made from (`zone clone` names them
    // @zcon-clone-NAME) have no other use once the clones are gone.
    if cleanup {
        let gone: Vec<String> = with_zone.iter().chain(&cleaned).cloned().collect();
        let suffix = format!("@zcon-clone-{name}");
        for d in inv.zone_datasets(zone) {
            if let Some(origin) = d.origin.as_deref()
                && gone.contains(&d.name)
                && origin.ends_with(&suffix)
            {
                cleaned.push(origin.to_string());
                plan = plan.step(Step::new(
                    "Destroying the zone's volumes",
                    98,
                    Action::run(zfs::destroy(origin, DestroyOptions::default())),
                ));
            }
        }
    }
    Ok(Deletion {
        plan,
        with_zone,
        cleaned,
        kept,
    })
}

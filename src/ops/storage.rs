//! The storage steps of a zone's plan: the volumes it makes (new, a template's clone or
//! copy), the parent filesystems they need, and the undo of each, which destroys only what
//! is still there.

use super::delete::ZONE_TAG;
use super::spec::Volume;
use super::{Action, Condition, Step};
use crate::sys::Command;
use crate::sys::size::parse_size;
use crate::sys::zfs::{self, VolumeOptions};

/// Destroy a dataset the task made, if it is still there (an uninstall takes the zonepath
/// dataset and everything below it along).
pub(super) fn destroy_if_there(dataset: &str) -> Action {
    when_there(dataset, zfs::destroy(dataset, Default::default()))
}

/// Destroy a dataset the task made, with its snapshots, if it is still there.
fn destroy_with_snapshots_if_there(dataset: &str) -> Action {
    let opts = zfs::DestroyOptions {
        recursive: true,
        ..Default::default()
    };
    when_there(dataset, zfs::destroy(dataset, opts))
}

fn when_there(dataset: &str, command: Command) -> Action {
    Action::When {
        condition: Condition::DatasetExists {
            dataset: dataset.to_string(),
        },
        then: Box::new(Action::run(command)),
    }
}

/// The filesystems missing above `dataset`, outermost first, each made by a step of its own
/// so that the rollback destroys exactly those (`zfs create -p` would leave them behind).
fn parent_steps(dataset: &str, exists: &dyn Fn(&str) -> bool, made: &mut Vec<String>) -> Vec<Step> {
    let mut missing = Vec::new();
    let mut at = dataset;
    while let Some((parent, _)) = at.rsplit_once('/') {
        if exists(parent) || made.iter().any(|m| m == parent) {
            break;
        }
        missing.push(parent.to_string());
        at = parent;
    }
    missing
        .into_iter()
        .rev()
        .map(|parent| {
            made.push(parent.clone());
            Step::new(
                "Preparing storage (ZFS volumes)",
                10,
                Action::run(zfs::create_filesystem(&parent, false, &[])),
            )
            .undo(destroy_if_there(&parent))
        })
        .collect()
}

/// The storage steps of a volume: its missing parents, then the volume made or cloned.
pub(super) fn volume_steps(
    volume: &Volume,
    zone: &str,
    exists: &dyn Fn(&str) -> bool,
    made: &mut Vec<String>,
) -> Result<Vec<Step>, String> {
    let dataset = volume.dataset();
    let step = match volume {
        Volume::Existing { .. } => return Ok(Vec::new()),
        Volume::New { size, sparse, .. } => {
            let bytes = parse_size(size).map_err(|e| format!("{dataset}: {e}"))?;
            let opts = VolumeOptions {
                sparse: *sparse,
                ..Default::default()
            };
            Step::new(
                "Preparing storage (ZFS volumes)",
                10,
                Action::run(zfs::create_volume(
                    dataset,
                    bytes,
                    opts,
                    &[(ZONE_TAG, zone)],
                )),
            )
        }
        Volume::Template {
            snapshot,
            copy: false,
            ..
        } => Step::new(
            "Importing template",
            30,
            Action::run(zfs::clone(snapshot, dataset, false, &[(ZONE_TAG, zone)])),
        ),
        Volume::Template {
            snapshot,
            copy: true,
            ..
        } => {
            // The copy arrives with the template's snapshot, so its undo takes that too.
            // zfs receive on illumos sets no properties (-o is for origin only): the tag
            // follows in a step of its own.
            let mut steps = parent_steps(dataset, exists, made);
            steps.push(
                Step::new(
                    "Importing template",
                    30,
                    Action::pipe(
                        zfs::send(snapshot, false, None),
                        zfs::receive(dataset, false, false),
                    ),
                )
                .undo(destroy_with_snapshots_if_there(dataset)),
            );
            steps.push(Step::new(
                "Importing template",
                30,
                Action::run(zfs::set(dataset, ZONE_TAG, zone)),
            ));
            return Ok(steps);
        }
    };
    let mut steps = parent_steps(dataset, exists, made);
    steps.push(step.undo(destroy_if_there(dataset)));
    Ok(steps)
}

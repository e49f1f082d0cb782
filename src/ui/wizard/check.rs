//! Each field checked as it is typed, with the validators of `ops::validate` and what the
//! host has: the message says what is wrong and what would be right.

use super::Wizard;
use super::mapping::join;
use super::steps::Step;
use crate::ops::spec::Volume;
use crate::ops::validate;
use crate::ui::form::Field;

/// `disks.0.size` → ("disks", 0, "size").
fn split_item(key: &str) -> Option<(&str, usize, &str)> {
    let mut parts = key.splitn(3, '.');
    let section = parts.next()?;
    let index = parts.next()?.parse().ok()?;
    Some((section, index, parts.next()?))
}

/// A value written verbatim into the zone's configuration: one line, no `"` (zonecfg's
/// language cannot carry them), no blanks around it.
fn plain(v: &str) -> Result<(), String> {
    if v.trim() != v {
        return Err("the value has blanks around it: remove them".into());
    }
    if v.contains(['\n', '\r']) {
        return Err("the value has a line break: a zonecfg value holds one line".into());
    }
    if v.contains('"') {
        return Err("the value contains '\"', which a zonecfg value cannot hold: remove it".into());
    }
    if let Some(c) = v.chars().find(|c| c.is_control()) {
        return Err(format!(
            "the value contains the control character U+{:04X}: remove it",
            c as u32
        ));
    }
    Ok(())
}

/// An absolute path of one line.
fn abs_path(v: &str, example: &str) -> Result<(), String> {
    if v.is_empty() {
        return Err(format!(
            "no path given: type an absolute path such as {example}"
        ));
    }
    plain(v)?;
    if !v.starts_with('/') {
        return Err(format!(
            "'{v}' is not an absolute path: start it with '/', e.g. {example}"
        ));
    }
    if v.chars().all(|c| c == '/') {
        return Err(format!(
            "'/' is not allowed here: give a path such as {example}"
        ));
    }
    Ok(())
}

/// A file on the host for bhyve's options (an ISO): bhyve splits its options on ','.
fn host_file(v: &str, example: &str) -> Result<(), String> {
    abs_path(v, example)?;
    if v.contains(',') {
        return Err(format!(
            "'{v}' contains ',', which bhyve's device options cannot carry: rename the file"
        ));
    }
    Ok(())
}

/// Whether an ssh key field holds the path of a key file to read on leaving it: `~/…`,
/// a relative path, or an absolute `….pub` that exists here (the console runs on the host,
/// so this is the operator's own file; any other absolute path is left to the brand, which
/// reads an `sshkey` that is a path itself).
pub fn is_local_key_path(v: &str) -> bool {
    v.starts_with("~/")
        || v.starts_with("./")
        || v.starts_with("../")
        || (v.starts_with('/') && v.ends_with(".pub") && std::path::Path::new(v).is_file())
}

impl Wizard {
    /// Set the error of every field of every step.
    pub(super) fn validate(&mut self) {
        let mut errors = Vec::new();
        for step in Step::ALL {
            for field in &self.form(step).fields {
                errors.push((step, field.key.clone(), self.field_error(step, field)));
            }
        }
        for (step, key, error) in errors {
            self.form_mut(step).set_error(&key, error);
        }
    }

    fn field_error(&self, step: Step, field: &Field) -> Option<String> {
        if field.hidden || field.read_only {
            return None;
        }
        let v = field.value();
        let key = field.key.as_str();
        let result = match step {
            Step::Basics => self.basics_error(key, &v),
            Step::Resources => self.resources_error(key, &v),
            Step::BootVolume => self.boot_error(key, &v),
            Step::Disks => self.disk_error(key, &v),
            Step::Network => self.nic_error(key, &v),
            Step::Cdroms => match split_item(key) {
                Some((_, _, "path")) => host_file(&v, "/data/iso/omnios.iso").and_then(|()| {
                    if self.is_file(&v) {
                        Ok(())
                    } else {
                        Err(format!("there is no file {v} on this host"))
                    }
                }),
                _ => Ok(()),
            },
            Step::CloudInit => self.cloud_init_error(key, &v),
            Step::Filesystems => fs_error(key, &v),
            Step::Options => self.caps_error(key, &v),
            Step::Review => Ok(()),
        };
        result.err()
    }

    fn basics_error(&self, key: &str, v: &str) -> Result<(), String> {
        match key {
            "name" if !self.is_edit() => {
                let names: Vec<&str> = self.facts.zones.iter().map(String::as_str).collect();
                validate::zone_name(v, &names)
            }
            _ => Ok(()),
        }
    }

    fn resources_error(&self, key: &str, v: &str) -> Result<(), String> {
        match key {
            "zonepath" => abs_path(v, "/zones/web01"),
            "image" if v.is_empty() => {
                Err("an lx zone is installed from an image: give its path on the host".into())
            }
            "image" => abs_path(v, "/data/images/ubuntu.tar.gz").and_then(|()| {
                if self.is_file(v) {
                    Ok(())
                } else {
                    Err(format!("there is no file {v} on this host"))
                }
            }),
            // Left empty when editing: the zone keeps the brand's default.
            "ram" | "vcpus" if v.is_empty() && self.is_edit() => Ok(()),
            "ram" | "vcpus" => validate::bhyve_attr(key, v),
            _ => match key.strip_prefix("attr.") {
                Some(attr) => validate::bhyve_attr(attr, v),
                None => Ok(()),
            },
        }
    }

    fn dataset_exists(&self, name: &str) -> bool {
        self.facts.dataset_exists(&self.inv, name)
    }

    /// A volume the zone being edited already has is not "used by another zone".
    fn other_users(&self, volume: &str) -> Vec<String> {
        let me = self.name();
        self.facts
            .volume(volume)
            .map(|v| v.users.iter().filter(|u| **u != me).cloned().collect())
            .unwrap_or_default()
    }

    fn existing_volume(&self, v: &str, force: bool) -> Result<(), String> {
        if v.is_empty() {
            return Err("there are no volumes on this host: create a new one instead".into());
        }
        let users = self.other_users(v);
        if !users.is_empty() && !force {
            return Err(format!(
                "{v} is used by {}: pick another, or turn on Force to share it",
                users.join(", ")
            ));
        }
        Ok(())
    }

    /// A volume the wizard would make: a name that is free and used once.
    fn new_volume(&self, dataset: &str, position: usize) -> Result<(), String> {
        validate::dataset_name(dataset)?;
        let pool = dataset.split('/').next().unwrap_or_default();
        if self.facts.pool(pool).is_none() {
            let pools: Vec<&str> = self.facts.pools.iter().map(|p| p.name.as_str()).collect();
            return Err(format!(
                "there is no pool {pool} on this host: use one of {}",
                pools.join(", ")
            ));
        }
        if self.dataset_exists(dataset) {
            return Err(format!(
                "{dataset} already exists: choose another name, or attach it as an existing volume"
            ));
        }
        let spec = self.spec();
        let earlier = spec
            .boot_volume
            .iter()
            .chain(&spec.disks)
            .take(position)
            .any(|v| v.dataset() == dataset);
        if earlier {
            return Err(format!(
                "{dataset} is already a disk of this zone: give another name"
            ));
        }
        Ok(())
    }

    fn size_fits(&self, size: &str, dataset: &str, sparse: bool) -> Result<(), String> {
        let bytes = validate::size(size)?;
        let pool = dataset.split('/').next().unwrap_or_default();
        match self.facts.pool(pool) {
            Some(p) if !sparse => validate::fits(bytes, p.avail, pool)
                .map_err(|e| format!("{e}: make it smaller, or sparse")),
            _ => Ok(()),
        }
    }

    fn boot_error(&self, key: &str, v: &str) -> Result<(), String> {
        let f = self.form(Step::BootVolume);
        let kind = f.choice("boot.kind");
        let dataset = join(&f.text("boot.parent"), &f.text("boot.volname"));
        match key {
            "boot.pool" if v.is_empty() => Err("there are no pools on this host".into()),
            "boot.parent" => {
                validate::dataset_name(v)?;
                let snapshot = f.choice("boot.template");
                let snap_pool = snapshot.split('/').next().unwrap_or_default();
                let pool = v.split('/').next().unwrap_or_default();
                if kind == "template" && f.choice("boot.method") == "clone" && pool != snap_pool {
                    return Err(format!(
                        "a clone stays in its snapshot's pool: put it under {snap_pool}/, e.g. {snap_pool}/zones/{}",
                        self.name()
                    ));
                }
                Ok(())
            }
            "boot.volname" if v.is_empty() || v.contains('/') => {
                Err("give one name for the volume (no '/'), e.g. root".into())
            }
            "boot.volname" => self.new_volume(&dataset, 0),
            "boot.size" => self.size_fits(v, &dataset, f.toggle("boot.sparse")),
            "boot.existing" => self.existing_volume(v, f.toggle("boot.force")),
            "boot.template" if v.is_empty() => Err(
                "there are no templates on this host: a template is a snapshot of a volume under a dataset named templates (rpool/templates/debian-12@base)".into(),
            ),
            _ => Ok(()),
        }
    }

    fn disk_error(&self, key: &str, v: &str) -> Result<(), String> {
        let Some(("disks", i, name)) = split_item(key) else {
            return Ok(());
        };
        let f = self.form(Step::Disks);
        let k = |n: &str| format!("disks.{i}.{n}");
        let boot = usize::from(self.spec().boot_volume.is_some());
        match name {
            "dataset" => self.new_volume(v, boot + i),
            "size" => self.size_fits(v, &f.text(&k("dataset")), f.toggle(&k("sparse"))),
            "existing" => {
                self.existing_volume(v, f.toggle(&k("force")))?;
                let spec = self.spec();
                let before = spec.boot_volume.iter().chain(&spec.disks).take(boot + i);
                if before.map(Volume::dataset).any(|d| d == v) {
                    return Err(format!("{v} is already a disk of this zone"));
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    fn nic_error(&self, key: &str, v: &str) -> Result<(), String> {
        let Some(("nics", i, name)) = split_item(key) else {
            return Ok(());
        };
        let f = self.form(Step::Network);
        let optional = |check: &dyn Fn(&str) -> Result<(), String>| {
            if v.is_empty() { Ok(()) } else { check(v) }
        };
        match name {
            "physical" | "vnic" => {
                if name == "vnic" && v.is_empty() {
                    return Err("there is no free VNIC on this host: make one (dladm create-vnic), or choose a new VNIC".into());
                }
                if name == "physical" {
                    validate::link_name(v)?;
                    let mine = self
                        .current_config()
                        .is_some_and(|c| c.nets.iter().any(|n| n.physical.as_deref() == Some(v)));
                    if !mine && self.inv.links.iter().any(|l| l.link == v) {
                        return Err(format!(
                            "a link named {v} already exists: the zone's VNIC needs a new name"
                        ));
                    }
                }
                if self.spec().nics[..i].iter().any(|n| n.physical == v) {
                    return Err(format!("{v} is already a NIC of this zone"));
                }
                Ok(())
            }
            "over" if v.is_empty() => {
                Err("there are no links on this host to create a VNIC over".into())
            }
            "mac" => optional(&|v| validate::mac(v).map(drop)),
            "vlan" => optional(&|v| validate::vlan(v).map(drop)),
            "allowed" => optional(&validate::allowed_address),
            "defrouter" => optional(&|v| {
                validate::ip(v)?;
                if f.text(&format!("nics.{i}.allowed")).is_empty() {
                    return Err(
                        "a default router goes with an allowed address: set that too".into(),
                    );
                }
                Ok(())
            }),
            _ => Ok(()),
        }
    }

    fn cloud_init_error(&self, key: &str, v: &str) -> Result<(), String> {
        let attr = match key {
            "ci.enabled" => "cloud-init",
            "ci.dns_domain" => "dns-domain",
            "ci.password" => "password",
            "ci.resolvers" => "resolvers",
            "ci.sshkey" if is_local_key_path(v) => {
                return Err(format!(
                    "{v} is a file on this machine: it is read when you leave the field"
                ));
            }
            "ci.sshkey" => "sshkey",
            _ => return Ok(()),
        };
        if v.is_empty() {
            return Ok(());
        }
        validate::bhyve_attr(attr, v)
    }

    fn caps_error(&self, key: &str, v: &str) -> Result<(), String> {
        if v.is_empty() {
            return Ok(());
        }
        let field = match key {
            "caps.physical" => "physical_memory",
            "caps.swap" => "swap",
            "caps.locked" => "locked_memory",
            "caps.cpu" => "cpu",
            "caps.lwps" => {
                if v.parse::<u64>().is_err() {
                    return Err(format!(
                        "'{v}' is not a whole number: max-lwps counts threads, 100 or more"
                    ));
                }
                "max_lwps"
            }
            _ => return Ok(()),
        };
        plain(v)?;
        match self
            .spec()
            .caps
            .problems()
            .into_iter()
            .find(|(f, _)| *f == field)
        {
            Some((_, message)) => Err(message),
            None => Ok(()),
        }
    }
}

fn fs_error(key: &str, v: &str) -> Result<(), String> {
    match split_item(key) {
        Some(("fs", _, "dir")) => abs_path(v, "/data"),
        Some(("fs", _, "special")) if v.is_empty() => {
            Err("no source given: the host path (lofs) or device mounted there".into())
        }
        Some(("fs", _, "special")) => plain(v),
        Some(("fs", _, "type")) => {
            if v.is_empty() || !v.chars().all(|c| c.is_ascii_alphanumeric()) {
                Err(format!(
                    "'{v}' is not a filesystem type: e.g. lofs, zfs, tmpfs"
                ))
            } else {
                Ok(())
            }
        }
        Some(("fs", _, "options")) => {
            plain(v)?;
            match v
                .chars()
                .find(|c| !(c.is_ascii_alphanumeric() || "=,_-./".contains(*c)))
            {
                Some(c) => Err(format!(
                    "'{c}' is not allowed in mount options: write them as ro,nodevices or size=1g"
                )),
                None => Ok(()),
            }
        }
        _ => Ok(()),
    }
}

//! The forms as a [`ZoneSpec`], and a spec put into the forms (a spec file, a zone being
//! edited). Values the forms do not show (attributes the wizard does not know, a bhyve
//! zone's own filesystems) are carried over from the spec the wizard started from.

use std::collections::BTreeMap;

use super::Wizard;
use super::steps::{self, CHOICE_ATTRS, OTHER_PATH, Step, attr_key};
use crate::ops::spec::{Caps, CloudInit, FsSpec, NicSpec, Volume, ZoneSpec};
use crate::ops::validate::bhyve_choices;
use crate::ui::form::{Form, Widget};

pub fn item_key(section: &str, index: usize, name: &str) -> String {
    format!("{section}.{index}.{name}")
}

/// An optional value: empty means not given. Text is taken as typed (validators refuse
/// blanks around it rather than have them trimmed away unseen).
fn opt(text: String) -> Option<String> {
    (!text.is_empty()).then_some(text)
}

/// `parent/name`.
pub fn join(parent: &str, name: &str) -> String {
    format!("{}/{name}", parent.trim_end_matches('/'))
}

/// Attributes the wizard has fields for.
fn known_attr(name: &str) -> bool {
    name == "ram" || name == "vcpus" || CHOICE_ATTRS.contains(&name)
}

impl Wizard {
    pub fn name(&self) -> String {
        self.form(Step::Basics).text("name")
    }

    pub fn brand(&self) -> String {
        self.form(Step::Basics).choice("brand").to_string()
    }

    /// The zone the forms describe.
    pub fn spec(&self) -> ZoneSpec {
        let name = self.name();
        let brand = self.brand();
        let r = self.form(Step::Resources);
        let o = self.form(Step::Options);
        let zonepath = r.text("zonepath");
        let same_brand = self.base.brand == brand;
        let mut spec = ZoneSpec {
            zonepath: opt(zonepath).filter(|p| *p != format!("/zones/{name}")),
            autoboot: o.toggle("autoboot"),
            start_after_create: !self.is_edit() && o.toggle("start"),
            nics: self.nics(),
            caps: self.caps(),
            name,
            brand,
            ..ZoneSpec::default()
        };
        if spec.is_bhyve() {
            let mut attrs: BTreeMap<String, String> = BTreeMap::new();
            if same_brand {
                attrs.extend(
                    self.base
                        .attrs
                        .iter()
                        .filter(|(k, _)| !known_attr(k))
                        .map(|(k, v)| (k.clone(), v.clone())),
                );
            }
            for attr in ["ram", "vcpus"] {
                if let Some(v) = opt(r.text(attr)) {
                    attrs.insert(attr.to_string(), v);
                }
            }
            for attr in CHOICE_ATTRS {
                let value = r.choice(&attr_key(attr));
                let default = bhyve_choices(attr).and_then(|c| c.first().copied());
                // A default is written only when the configuration already said it.
                let explicit = same_brand && self.base.attrs.contains_key(attr);
                if !value.is_empty() && (Some(value) != default || explicit) {
                    attrs.insert(attr.to_string(), value.to_string());
                }
            }
            spec.attrs = attrs;
            spec.boot_volume = self.boot_volume();
            spec.disks = self.disks();
            spec.cdroms = self.cdroms();
            spec.cloud_init = self.cloud_init();
            if same_brand {
                spec.filesystems = self.base.filesystems.clone();
            }
        } else {
            if same_brand {
                spec.attrs = self.base.attrs.clone();
            }
            spec.filesystems = self.filesystems();
            if spec.brand == "lx" {
                spec.image = opt(r.text("image"));
            }
        }
        spec
    }

    fn boot_volume(&self) -> Option<Volume> {
        let f = self.form(Step::BootVolume);
        let dataset = || join(&f.text("boot.parent"), &f.text("boot.volname"));
        match f.choice("boot.kind") {
            "new" => Some(Volume::New {
                dataset: dataset(),
                size: f.text("boot.size"),
                sparse: f.toggle("boot.sparse"),
            }),
            "existing" => Some(Volume::Existing {
                dataset: f.choice("boot.existing").to_string(),
                force: f.toggle("boot.force"),
            }),
            "template" => Some(Volume::Template {
                snapshot: f.choice("boot.template").to_string(),
                dataset: dataset(),
                copy: f.choice("boot.method") == "copy",
            }),
            _ => None,
        }
    }

    fn disks(&self) -> Vec<Volume> {
        let f = self.form(Step::Disks);
        (0..f.item_count("disks"))
            .map(|i| {
                let k = |name: &str| item_key("disks", i, name);
                match f.choice(&k("kind")) {
                    "existing" => Volume::Existing {
                        dataset: f.choice(&k("existing")).to_string(),
                        force: f.toggle(&k("force")),
                    },
                    _ => Volume::New {
                        dataset: f.text(&k("dataset")),
                        size: f.text(&k("size")),
                        sparse: f.toggle(&k("sparse")),
                    },
                }
            })
            .collect()
    }

    fn nics(&self) -> Vec<NicSpec> {
        let f = self.form(Step::Network);
        (0..f.item_count("nics"))
            .map(|i| {
                let k = |name: &str| item_key("nics", i, name);
                let common = NicSpec {
                    allowed_address: opt(f.text(&k("allowed"))),
                    defrouter: opt(f.text(&k("defrouter"))),
                    ..NicSpec::default()
                };
                match f.choice(&k("kind")) {
                    "existing" => NicSpec {
                        physical: f.choice(&k("vnic")).to_string(),
                        ..common
                    },
                    _ => NicSpec {
                        physical: f.text(&k("physical")),
                        global_nic: opt(f.choice(&k("over")).to_string()),
                        mac: opt(f.text(&k("mac"))),
                        vlan: f.text(&k("vlan")).parse().ok(),
                        ..common
                    },
                }
            })
            .collect()
    }

    fn cdroms(&self) -> Vec<String> {
        let f = self.form(Step::Cdroms);
        (0..f.item_count("cdroms"))
            .filter_map(|i| match f.choice(&item_key("cdroms", i, "iso")) {
                OTHER_PATH | "" => opt(f.text(&item_key("cdroms", i, "path"))),
                iso => Some(iso.to_string()),
            })
            .collect()
    }

    fn cloud_init(&self) -> Option<CloudInit> {
        let f = self.form(Step::CloudInit);
        let enabled = f.choice("ci.enabled").to_string();
        if enabled == "off" {
            // Turned off: the settings go with it.
            return self.base.cloud_init.as_ref().map(|_| CloudInit {
                enabled,
                ..CloudInit::default()
            });
        }
        Some(CloudInit {
            enabled,
            dns_domain: opt(f.text("ci.dns_domain")),
            // Empty when editing: the zone keeps its password (modify leaves it).
            password: opt(f.text("ci.password")),
            resolvers: opt(f.text("ci.resolvers")),
            sshkey: opt(f.text("ci.sshkey")),
        })
    }

    fn filesystems(&self) -> Vec<FsSpec> {
        let f = self.form(Step::Filesystems);
        (0..f.item_count("fs"))
            .map(|i| {
                let k = |name: &str| item_key("fs", i, name);
                let fs_type = f.text(&k("type"));
                FsSpec {
                    dir: f.text(&k("dir")),
                    special: f.text(&k("special")),
                    fs_type: if fs_type.is_empty() {
                        "lofs".into()
                    } else {
                        fs_type
                    },
                    options: f
                        .text(&k("options"))
                        .split(',')
                        .filter(|o| !o.is_empty())
                        .map(str::to_string)
                        .collect(),
                }
            })
            .collect()
    }

    fn caps(&self) -> Caps {
        let f = self.form(Step::Options);
        Caps {
            physical_memory: opt(f.text("caps.physical")),
            swap: opt(f.text("caps.swap")),
            locked_memory: opt(f.text("caps.locked")),
            cpu: opt(f.text("caps.cpu")),
            max_lwps: f.text("caps.lwps").parse().ok(),
        }
    }

    /// Put a spec into the forms. Every value it gives counts as the operator's own
    /// (defaults derived from the name no longer replace it).
    pub(super) fn fill(&mut self, spec: &ZoneSpec) {
        let facts = self.facts.clone();
        let b = self.form_mut(Step::Basics);
        b.set_choice("brand", &spec.brand);
        b.set_text("name", &spec.name);
        let r = self.form_mut(Step::Resources);
        r.set_text("zonepath", &spec.zonepath());
        r.set_text("image", spec.image.as_deref().unwrap_or(""));
        if spec.is_bhyve() {
            for attr in ["ram", "vcpus"] {
                r.set_text(attr, spec.attrs.get(attr).map_or("", String::as_str));
            }
        }
        for attr in CHOICE_ATTRS {
            if let Some(v) = spec.attrs.get(attr) {
                r.set_choice(&attr_key(attr), v);
            }
        }
        let f = self.form_mut(Step::BootVolume);
        let split = |dataset: &str| {
            let (parent, name) = dataset.rsplit_once('/').unwrap_or((dataset, ""));
            (parent.to_string(), name.to_string())
        };
        match &spec.boot_volume {
            None => f.set_choice("boot.kind", "none"),
            Some(Volume::New {
                dataset,
                size,
                sparse,
            }) => {
                f.set_choice("boot.kind", "new");
                let (parent, name) = split(dataset);
                f.set_choice("boot.pool", parent.split('/').next().unwrap_or(""));
                f.set_text("boot.parent", &parent);
                f.set_text("boot.volname", &name);
                f.set_text("boot.size", size);
                f.set_toggle("boot.sparse", *sparse);
            }
            Some(Volume::Existing { dataset, force }) => {
                f.set_choice("boot.kind", "existing");
                f.set_choice("boot.existing", dataset);
                f.set_toggle("boot.force", *force);
            }
            Some(Volume::Template {
                snapshot,
                dataset,
                copy,
            }) => {
                f.set_choice("boot.kind", "template");
                f.set_choice("boot.template", snapshot);
                f.set_choice("boot.method", if *copy { "copy" } else { "clone" });
                let (parent, name) = split(dataset);
                f.set_text("boot.parent", &parent);
                f.set_text("boot.volname", &name);
            }
        }
        let f = self.form_mut(Step::Disks);
        for disk in &spec.disks {
            let i = f.add_item("disks", "Disk", steps::disk_item(&facts));
            let k = |name: &str| item_key("disks", i, name);
            match disk {
                Volume::Existing { dataset, force } => {
                    f.set_choice(&k("kind"), "existing");
                    f.set_choice(&k("existing"), dataset);
                    f.set_toggle(&k("force"), *force);
                }
                // A template clone as an extra disk: shown as the volume it makes.
                Volume::New { dataset, .. } | Volume::Template { dataset, .. } => {
                    f.set_choice(&k("kind"), "new");
                    f.set_text(&k("dataset"), dataset);
                    if let Volume::New { size, sparse, .. } = disk {
                        f.set_text(&k("size"), size);
                        f.set_toggle(&k("sparse"), *sparse);
                    }
                }
            }
        }
        let f = self.form_mut(Step::Network);
        for nic in &spec.nics {
            let i = f.add_item("nics", "NIC", steps::nic_item(&facts));
            let k = |name: &str| item_key("nics", i, name);
            match &nic.global_nic {
                Some(over) => {
                    f.set_choice(&k("kind"), "new");
                    f.set_text(&k("physical"), &nic.physical);
                    f.set_choice(&k("over"), over);
                }
                None => {
                    f.set_choice(&k("kind"), "existing");
                    f.set_choice(&k("vnic"), &nic.physical);
                }
            }
            f.set_text(&k("mac"), nic.mac.as_deref().unwrap_or(""));
            f.set_text(
                &k("vlan"),
                &nic.vlan.map(|v| v.to_string()).unwrap_or_default(),
            );
            f.set_text(&k("allowed"), nic.allowed_address.as_deref().unwrap_or(""));
            f.set_text(&k("defrouter"), nic.defrouter.as_deref().unwrap_or(""));
        }
        let f = self.form_mut(Step::Cdroms);
        for iso in &spec.cdroms {
            let i = f.add_item("cdroms", "CD-ROM", steps::cdrom_item(&facts));
            if !f
                .choice_mut(&item_key("cdroms", i, "iso"))
                .is_some_and(|c| c.select(iso))
            {
                f.set_choice(&item_key("cdroms", i, "iso"), OTHER_PATH);
                f.set_text(&item_key("cdroms", i, "path"), iso);
            }
        }
        let f = self.form_mut(Step::CloudInit);
        if let Some(ci) = &spec.cloud_init {
            f.set_choice("ci.enabled", &ci.enabled);
            f.set_text("ci.dns_domain", ci.dns_domain.as_deref().unwrap_or(""));
            f.set_text("ci.password", ci.password.as_deref().unwrap_or(""));
            f.set_text("ci.resolvers", ci.resolvers.as_deref().unwrap_or(""));
            f.set_text("ci.sshkey", ci.sshkey.as_deref().unwrap_or(""));
        }
        let f = self.form_mut(Step::Filesystems);
        for fs in &spec.filesystems {
            let i = f.add_item("fs", "Filesystem", steps::fs_item());
            let k = |name: &str| item_key("fs", i, name);
            f.set_text(&k("dir"), &fs.dir);
            f.set_text(&k("special"), &fs.special);
            f.set_text(&k("type"), &fs.fs_type);
            f.set_text(&k("options"), &fs.options.join(","));
        }
        let f = self.form_mut(Step::Options);
        f.set_toggle("autoboot", spec.autoboot);
        f.set_toggle("start", spec.start_after_create);
        let caps = &spec.caps;
        f.set_text(
            "caps.physical",
            caps.physical_memory.as_deref().unwrap_or(""),
        );
        f.set_text("caps.swap", caps.swap.as_deref().unwrap_or(""));
        f.set_text("caps.locked", caps.locked_memory.as_deref().unwrap_or(""));
        f.set_text("caps.cpu", caps.cpu.as_deref().unwrap_or(""));
        f.set_text(
            "caps.lwps",
            &caps.max_lwps.map(|n| n.to_string()).unwrap_or_default(),
        );
        for step in Step::ALL {
            let form = self.form_mut(step);
            touch_all(form);
            form.focus = 0;
            form.fix_focus();
        }
    }
}

fn touch_all(form: &mut Form) {
    for f in &mut form.fields {
        if let Widget::Text(t) = &f.widget {
            f.touched = !t.text().is_empty();
        }
    }
}

//! The create and edit zone wizards: steps of forms (brand and name, resources, boot
//! volume, disks, network, CD-ROMs, cloud-init, filesystems, options, review) mapped to a
//! [`ZoneSpec`], checked as they are typed, and reviewed as the exact plan before it is
//! queued. Steps that do not apply to the brand are skipped.

mod check;
pub mod host;
mod keys;
pub mod mapping;
pub mod review;
pub mod steps;

use std::path::PathBuf;
use std::sync::Arc;

pub use self::host::HostFacts;
pub use self::keys::Outcome;
pub use self::review::Review;
pub use self::steps::Step;
use crate::exec::engine::Submission;
use crate::host::Inventory;
use crate::host::inventory::Zone;
use crate::ops::spec::ZoneSpec;
use crate::sys::zoneadm::ZoneState;
use crate::sys::zonecfg::ZoneConfig;
use crate::ui::app::HelpView;
use crate::ui::form::{Form, TextInput};

#[derive(Debug, Clone)]
pub enum Kind {
    Create,
    /// Changing a zone that exists: its configuration and state when the wizard opened.
    Edit {
        config: Box<ZoneConfig>,
        state: ZoneState,
    },
}

/// A popup over the wizard.
#[derive(Debug, Clone)]
pub enum Overlay {
    /// The `[form]` keys.
    Help(HelpView),
    /// Close and lose the changes? True when the Discard button is focused.
    Discard(bool),
    /// Where to save the spec.
    Save(TextInput),
}

#[derive(Debug, Clone)]
pub struct Wizard {
    pub kind: Kind,
    pub step: Step,
    /// One per [`Step`], in order.
    forms: Vec<Form>,
    pub facts: HostFacts,
    inv: Arc<Inventory>,
    /// The host's `/` (a sim's root directory): ISOs and images are looked for beneath it.
    host_root: PathBuf,
    /// The spec the wizard started from.
    base: ZoneSpec,
    /// The spec when the wizard opened: Esc asks before losing changes to it.
    initial: ZoneSpec,
    pub overlay: Option<Overlay>,
    /// The review step's contents, made when it is entered.
    pub review: Option<Review>,
    pub review_scroll: usize,
    /// The first row of the step's form on screen (drawing keeps the focus in view).
    pub scroll: usize,
}

impl Wizard {
    /// The create wizard, empty or filled from a spec (a file).
    pub fn create(from: Option<ZoneSpec>, inv: Arc<Inventory>, host_root: PathBuf) -> Wizard {
        let mut w = Wizard::new(Kind::Create, inv, host_root);
        if let Some(spec) = from {
            w.base = spec.clone();
            w.fill(&spec);
        }
        w.refresh();
        w.initial = w.spec();
        w
    }

    /// The edit wizard of a zone: its configuration in the same forms, name and brand
    /// fixed.
    pub fn edit(zone: &Zone, inv: Arc<Inventory>, host_root: PathBuf) -> Result<Wizard, String> {
        let Some(config) = zone.config.clone() else {
            return Err(format!(
                "the configuration of {} could not be read (see the zone's page)",
                zone.name
            ));
        };
        let spec = ZoneSpec::from_config(&config);
        let kind = Kind::Edit {
            config: Box::new(config),
            state: zone.state,
        };
        let mut w = Wizard::new(kind, inv, host_root);
        w.base = spec.clone();
        w.fill(&spec);
        for key in ["brand", "name"] {
            if let Some(f) = w.form_mut(Step::Basics).get_mut(key) {
                f.read_only = true;
            }
        }
        // zonecfg keeps the zonepath of a zone that is installed.
        if zone.state != ZoneState::Configured
            && let Some(f) = w.form_mut(Step::Resources).get_mut("zonepath")
        {
            f.read_only = true;
            f.note = "fixed once the zone is installed".into();
        }
        w.step = Step::Resources;
        w.refresh();
        w.initial = w.spec();
        Ok(w)
    }

    fn new(kind: Kind, inv: Arc<Inventory>, host_root: PathBuf) -> Wizard {
        let facts = HostFacts::gather(&inv, &host_root);
        let forms = Step::ALL
            .iter()
            .map(|s| match s {
                Step::Basics => steps::basics(),
                Step::Resources => steps::resources(),
                Step::BootVolume => steps::boot_volume(&facts),
                Step::Disks => steps::disks(),
                Step::Network => steps::network(),
                Step::Cdroms => steps::cdroms(),
                Step::CloudInit => steps::cloud_init(),
                Step::Filesystems => steps::filesystems(),
                Step::Options => steps::options(),
                Step::Review => steps::review(),
            })
            .collect();
        Wizard {
            kind,
            step: Step::Basics,
            forms,
            facts,
            inv,
            host_root,
            base: ZoneSpec::default(),
            initial: ZoneSpec::default(),
            overlay: None,
            review: None,
            review_scroll: 0,
            scroll: 0,
        }
    }

    pub fn is_edit(&self) -> bool {
        matches!(self.kind, Kind::Edit { .. })
    }

    pub fn current_config(&self) -> Option<&ZoneConfig> {
        match &self.kind {
            Kind::Edit { config, .. } => Some(config),
            Kind::Create => None,
        }
    }

    pub fn title(&self) -> String {
        match &self.kind {
            Kind::Create => "Create a zone".to_string(),
            Kind::Edit { .. } => format!("Edit zone {}", self.base.name),
        }
    }

    pub fn form(&self, step: Step) -> &Form {
        &self.forms[step.index()]
    }

    pub fn form_mut(&mut self, step: Step) -> &mut Form {
        &mut self.forms[step.index()]
    }

    pub fn current(&self) -> &Form {
        self.form(self.step)
    }

    pub fn is_bhyve(&self) -> bool {
        self.brand() == "bhyve"
    }

    /// The steps this zone's brand has, in order. An edit starts at the resources: its
    /// name and brand are fixed (the title names the zone).
    pub fn steps(&self) -> Vec<Step> {
        let bhyve = self.is_bhyve();
        let edit = self.is_edit();
        Step::ALL
            .into_iter()
            .filter(|s| s.applies(bhyve) && !(edit && *s == Step::Basics))
            .collect()
    }

    /// The forms say something else than when the wizard opened.
    pub fn changed(&self) -> bool {
        self.spec() != self.initial
    }

    /// A newer snapshot of the host: the choices it offers are read again.
    pub fn set_inventory(&mut self, inv: Arc<Inventory>) {
        if Arc::ptr_eq(&inv, &self.inv) {
            return;
        }
        self.inv = inv;
        self.facts = HostFacts::gather(&self.inv, &self.host_root);
        let facts = self.facts.clone();
        let options = [
            (Step::BootVolume, "boot.pool", steps::pool_options(&facts)),
            (
                Step::BootVolume,
                "boot.existing",
                steps::volume_options(&facts),
            ),
            (
                Step::BootVolume,
                "boot.template",
                steps::template_options(&facts),
            ),
        ];
        for (step, key, opts) in options {
            if let Some(c) = self.form_mut(step).choice_mut(key) {
                c.set_options(opts);
            }
        }
        let items = [
            (
                Step::Disks,
                "disks",
                "existing",
                steps::volume_options(&facts),
            ),
            (Step::Network, "nics", "over", steps::link_options(&facts)),
            (Step::Network, "nics", "vnic", steps::vnic_options(&facts)),
            (Step::Cdroms, "cdroms", "iso", steps::iso_options(&facts)),
        ];
        for (step, section, name, opts) in items {
            let form = self.form_mut(step);
            for i in 0..form.item_count(section) {
                if let Some(c) = form.choice_mut(&mapping::item_key(section, i, name)) {
                    c.set_options(opts.clone());
                }
            }
        }
        self.refresh();
    }

    /// Whether a host path is a file (beneath the host's root).
    fn is_file(&self, path: &str) -> bool {
        self.host_root.join(path.trim_start_matches('/')).is_file()
    }

    /// Defaults that follow other fields, which fields show, and every field's error.
    pub(super) fn refresh(&mut self) {
        let name = self.name();
        let brand = self.brand();
        let bhyve = brand == "bhyve";
        let edit = self.is_edit();
        let r = self.form_mut(Step::Resources);
        derive(r, "zonepath", &format!("/zones/{name}"));
        r.set_hidden("image", brand != "lx");
        for i in 0..r.fields.len() {
            let key = r.fields[i].key.clone();
            if key == "ram" || key == "vcpus" || key.starts_with("attr.") {
                r.fields[i].hidden = !bhyve;
            }
        }
        let f = self.form_mut(Step::BootVolume);
        let kind = f.choice("boot.kind").to_string();
        let clone = kind == "template" && f.choice("boot.method") == "clone";
        let pool = if clone {
            f.choice("boot.template").split('/').next().unwrap_or("")
        } else {
            f.choice("boot.pool")
        }
        .to_string();
        let parent_default = format!("{pool}/zones/{name}");
        derive(f, "boot.parent", &parent_default);
        let shown = |key: &str| match key {
            "boot.pool" => kind == "new" || (kind == "template" && !clone),
            "boot.size" | "boot.sparse" => kind == "new",
            "boot.parent" | "boot.volname" => kind == "new" || kind == "template",
            "boot.existing" | "boot.force" => kind == "existing",
            "boot.template" | "boot.method" => kind == "template",
            _ => true,
        };
        for field in &mut f.fields {
            field.hidden = !shown(&field.key);
        }
        let boot_dataset = mapping::join(&f.text("boot.parent"), &f.text("boot.volname"));
        if let Some(v) = f.get_mut("boot.volname") {
            v.note = format!("→ {boot_dataset}");
        }
        let disk_parent = if matches!(kind.as_str(), "new" | "template") {
            f.text("boot.parent")
        } else {
            let first = self
                .facts
                .pools
                .first()
                .map_or("rpool", |p| p.name.as_str());
            format!("{first}/zones/{name}")
        };
        let f = self.form_mut(Step::Disks);
        let n = f.item_count("disks");
        f.set_hidden("disks.none", n > 0);
        for i in 0..n {
            let k = |s: &str| mapping::item_key("disks", i, s);
            derive(
                f,
                &k("dataset"),
                &mapping::join(&disk_parent, &format!("disk{i}")),
            );
            let new = f.choice(&k("kind")) != "existing";
            for (name, when_new) in [
                ("dataset", true),
                ("size", true),
                ("sparse", true),
                ("existing", false),
                ("force", false),
            ] {
                f.set_hidden(&k(name), new != when_new);
            }
        }
        let f = self.form_mut(Step::Network);
        let n = f.item_count("nics");
        f.set_hidden("nics.none", n > 0);
        for i in 0..n {
            let k = |s: &str| mapping::item_key("nics", i, s);
            derive(f, &k("physical"), &steps::vnic_name(&name, i));
            let new = f.choice(&k("kind")) != "existing";
            for (name, when_new) in [
                ("physical", true),
                ("over", true),
                ("mac", true),
                ("vlan", true),
                ("vnic", false),
            ] {
                f.set_hidden(&k(name), new != when_new);
            }
        }
        let f = self.form_mut(Step::Cdroms);
        let n = f.item_count("cdroms");
        f.set_hidden("cdroms.none", n > 0);
        for i in 0..n {
            let other = f.choice(&mapping::item_key("cdroms", i, "iso")) == steps::OTHER_PATH;
            f.set_hidden(&mapping::item_key("cdroms", i, "path"), !other);
        }
        let f = self.form_mut(Step::CloudInit);
        let off = f.choice("ci.enabled") == "off";
        for key in ["ci.dns_domain", "ci.password", "ci.resolvers", "ci.sshkey"] {
            f.set_hidden(key, off);
        }
        if edit && let Some(p) = f.get_mut("ci.password") {
            p.note = "empty: the zone keeps its password".into();
        }
        let f = self.form_mut(Step::Filesystems);
        let n = f.item_count("fs");
        f.set_hidden("fs.none", n > 0);
        self.form_mut(Step::Options).set_hidden("start", edit);
        let running = matches!(
            self.kind,
            Kind::Edit {
                state: ZoneState::Running,
                ..
            }
        );
        let f = self.form_mut(Step::Review);
        f.set_hidden("live_caps", !running);
        if let Some(b) = f.get_mut("review.submit") {
            b.label = if edit {
                "Apply the changes"
            } else {
                "Create the zone"
            }
            .into();
        }
        for form in &mut self.forms {
            form.fix_focus();
        }
        self.validate();
        // The review follows what changes on it (apply caps now).
        if self.step == Step::Review && self.review.is_some() {
            self.build_review();
        }
    }

    /// The tasks to queue for the reviewed spec (None until the review found no problem).
    pub fn submission(&self) -> Option<(String, Vec<Submission>)> {
        let review = self.review.as_ref()?;
        let tasks = review.tasks.clone()?;
        let what = match self.kind {
            Kind::Create => format!("create {}", self.name()),
            Kind::Edit { .. } => format!("modify {}", self.name()),
        };
        Some((what, tasks))
    }
}

/// Set a field to a default that follows other fields, until the operator changes it.
fn derive(form: &mut Form, key: &str, value: &str) {
    if form.get(key).is_some_and(|f| !f.touched) {
        form.set_text(key, value);
    }
}

#[cfg(test)]
mod hostile_tests;
#[cfg(test)]
mod review_tests;
#[cfg(test)]
mod tests;

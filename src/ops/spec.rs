//! A zone as the operator asks for it (`zcon zone create --spec FILE.json`, the create
//! wizard), the zonecfg configuration it becomes, and the plan that creates it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::storage::volume_steps;
use super::{Action, Condition, Plan, Step, dataset_object, zone_object};
use crate::sys::bhyve;
use crate::sys::zoneadm::{self, ZoneState};
use crate::sys::zonecfg::check::bytes_to_units;
use crate::sys::zonecfg::script as generate;
use crate::sys::zonecfg::{Attr, AttrType, Device, Fs, IpType, Net, ZoneConfig};
use crate::sys::{Command, size::parse_size};

/// Native brands zcon creates, besides bhyve.
pub const NATIVE_BRANDS: [&str; 5] = ["ipkg", "lipkg", "sparse", "pkgsrc", "lx"];

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ZoneSpec {
    pub name: String,
    pub brand: String,
    /// Default `/zones/NAME`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zonepath: Option<String>,
    #[serde(default)]
    pub autoboot: bool,
    /// bhyve attributes by name (ram, vcpus, bootrom, hostbridge, diskif, netif, type, vnc,
    /// acpi, xhci, uefivars …), as zonecfg stores them.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attrs: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub boot_volume: Option<Volume>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub disks: Vec<Volume>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nics: Vec<NicSpec>,
    /// ISO paths.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cdroms: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud_init: Option<CloudInit>,
    /// Native zones: filesystems mounted into the zone.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub filesystems: Vec<FsSpec>,
    /// lx: the image the zone is installed from (`zoneadm install -s IMAGE`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// Resource caps (capped-memory, capped-cpu, max-lwps).
    #[serde(default, skip_serializing_if = "Caps::is_empty")]
    pub caps: Caps,
    /// Boot the zone once it is created (a second task, after this one).
    #[serde(default)]
    pub start_after_create: bool,
}

/// Resource caps as zonecfg names them; sizes as `512M`, `2G`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Caps {
    /// capped-memory `physical`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub physical_memory: Option<String>,
    /// capped-memory `swap` (zone.max-swap).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub swap: Option<String>,
    /// capped-memory `locked` (zone.max-locked-memory).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locked_memory: Option<String>,
    /// capped-cpu `ncpus` (`1.5` is one and a half CPUs; zone.cpu-cap 150).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<String>,
    /// max-lwps (zone.max-lwps).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_lwps: Option<u64>,
}

/// The rctls behind the caps zonecfg sets by alias.
pub const CAP_RCTLS: [&str; 4] = [
    "zone.max-swap",
    "zone.max-locked-memory",
    "zone.cpu-cap",
    "zone.max-lwps",
];

impl Caps {
    pub fn is_empty(&self) -> bool {
        *self == Caps::default()
    }

    /// The caps of a configuration.
    pub fn of(cfg: &ZoneConfig) -> Caps {
        let size = |rctl: &str| {
            cfg.rctl_limit(rctl)
                .and_then(|l| l.parse::<u64>().ok())
                .map(bytes_to_units)
        };
        Caps {
            physical_memory: cfg.physical_cap.map(bytes_to_units),
            swap: size("zone.max-swap"),
            locked_memory: size("zone.max-locked-memory"),
            cpu: cfg.capped_cpu().map(|c| c.to_string()),
            max_lwps: cfg.rctl_limit("zone.max-lwps").and_then(|l| l.parse().ok()),
        }
    }

    /// Set these caps on `cfg` (a cap that is None is removed). Values are checked by
    /// [`Caps::problems`] first; one that does not parse is left out.
    pub fn apply(&self, cfg: &mut ZoneConfig) {
        let bytes = |v: &Option<String>| v.as_deref().and_then(|s| parse_size(s).ok());
        cfg.physical_cap = bytes(&self.physical_memory);
        let values = [
            ("zone.max-swap", bytes(&self.swap)),
            ("zone.max-locked-memory", bytes(&self.locked_memory)),
            ("zone.cpu-cap", self.cpu_percent()),
            ("zone.max-lwps", self.max_lwps),
        ];
        for (rctl, value) in values {
            match value {
                Some(v) => cfg.set_rctl(rctl, &v.to_string(), "deny"),
                None => {
                    cfg.remove_rctl(rctl);
                }
            }
        }
    }

    /// capped-cpu as zone.cpu-cap: percent of one CPU.
    pub fn cpu_percent(&self) -> Option<u64> {
        let ncpus: f64 = self.cpu.as_deref()?.parse().ok()?;
        Some((ncpus * 100.0).round() as u64)
    }

    /// What is wrong with each cap, by field.
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        let sizes = [
            ("physical_memory", &self.physical_memory),
            ("swap", &self.swap),
            ("locked_memory", &self.locked_memory),
        ];
        for (field, value) in sizes {
            if let Some(v) = value
                && let Err(e) = parse_size(v)
            {
                out.push((
                    field,
                    format!("{v:?} is not a size ({e}); write it as 512M, 2G or 1T"),
                ));
            }
        }
        if let Some(cpu) = &self.cpu {
            match cpu.parse::<f64>() {
                Ok(n) if n > 0.0 && n.is_finite() && (n * 100.0).fract().abs() < 1e-9 => {}
                _ => out.push((
                    "cpu",
                    format!("{cpu:?} is not a number of CPUs: write it as 1, 1.5 or 0.25"),
                )),
            }
        }
        if let Some(lwps) = self.max_lwps
            && lwps < 100
        {
            out.push((
                "max_lwps",
                format!("{lwps} is too low: max-lwps must be 100 or more"),
            ));
        }
        out
    }
}

/// A zvol for a bhyve zone: made by the task, or one that exists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Volume {
    New {
        dataset: String,
        size: String,
        #[serde(default)]
        sparse: bool,
    },
    Existing {
        dataset: String,
        /// Attach even if another zone uses it.
        #[serde(default)]
        force: bool,
    },
    /// Made from a template volume's snapshot: a thin clone (`zfs clone`, sharing its blocks
    /// and tied to it), or with `copy` an independent full copy (`zfs send | zfs receive`).
    Template {
        snapshot: String,
        dataset: String,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        copy: bool,
    },
}

impl Volume {
    pub fn dataset(&self) -> &str {
        match self {
            Volume::New { dataset, .. }
            | Volume::Existing { dataset, .. }
            | Volume::Template { dataset, .. } => dataset,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NicSpec {
    /// The VNIC's name in the zone.
    pub physical: String,
    /// The link the VNIC is created over at boot; None for an existing VNIC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub global_nic: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mac: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vlan: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub defrouter: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CloudInit {
    /// `on`, `off`, a file or a URL.
    pub enabled: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dns_domain: Option<String>,
    /// A secret: never shown or stored in clear.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolvers: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sshkey: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FsSpec {
    pub dir: String,
    pub special: String,
    #[serde(rename = "type", default = "lofs")]
    pub fs_type: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
}

fn lofs() -> String {
    "lofs".into()
}

fn attr(name: &str, value: &str) -> Attr {
    Attr {
        name: name.to_string(),
        attr_type: AttrType::String,
        value: value.to_string(),
    }
}

impl ZoneSpec {
    pub fn is_bhyve(&self) -> bool {
        self.brand == "bhyve"
    }

    pub fn zonepath(&self) -> String {
        self.zonepath
            .clone()
            .unwrap_or_else(|| format!("/zones/{}", self.name))
    }

    /// The values that must never be shown: the cloud-init password.
    pub fn secrets(&self) -> Vec<String> {
        self.cloud_init
            .as_ref()
            .and_then(|c| c.password.clone())
            .into_iter()
            .collect()
    }

    /// The configuration as it stands after each stage of the create plan: the base
    /// (brand, zonepath, attributes), then with the boot disk, the other disks, the CD-ROMs,
    /// the NICs and cloud-init. The last one is the whole configuration.
    pub fn stages(&self) -> Vec<(&'static str, u8, ZoneConfig)> {
        let mut cfg = ZoneConfig {
            brand: self.brand.clone(),
            zonepath: self.zonepath(),
            autoboot: self.autoboot,
            ip_type: IpType::Exclusive,
            ..ZoneConfig::blank(&self.name)
        };
        for (name, value) in &self.attrs {
            cfg.attrs.push(attr(name, value));
        }
        self.caps.apply(&mut cfg);
        cfg.fs.extend(self.filesystems.iter().map(|f| Fs {
            dir: f.dir.clone(),
            special: f.special.clone(),
            raw: None,
            fs_type: f.fs_type.clone(),
            options: f.options.clone(),
        }));
        let mut out = vec![("Applying zone configuration", 40, cfg.clone())];
        let add_disk = |cfg: &mut ZoneConfig, name: &str, dataset: &str| {
            cfg.attrs.push(attr(name, dataset));
            cfg.devices.push(Device {
                match_path: bhyve::zvol_device(dataset),
                properties: Vec::new(),
            });
        };
        if let Some(boot) = &self.boot_volume {
            add_disk(&mut cfg, "bootdisk", boot.dataset());
            out.push(("Configuring boot disk", 50, cfg.clone()));
        }
        if !self.disks.is_empty() {
            for (i, disk) in self.disks.iter().enumerate() {
                add_disk(&mut cfg, &format!("disk{i}"), disk.dataset());
            }
            out.push(("Configuring additional disks", 60, cfg.clone()));
        }
        if !self.cdroms.is_empty() {
            for (i, iso) in self.cdroms.iter().enumerate() {
                let name = if i == 0 {
                    "cdrom".to_string()
                } else {
                    format!("cdrom{i}")
                };
                cfg.attrs.push(attr(&name, iso));
                // The brand opens the ISO from inside the zone: it is mounted there read-only.
                cfg.fs.push(Fs {
                    dir: iso.clone(),
                    special: iso.clone(),
                    raw: None,
                    fs_type: "lofs".into(),
                    options: vec!["ro".into(), "nodevices".into()],
                });
            }
            out.push(("Configuring CD-ROMs", 70, cfg.clone()));
        }
        if !self.nics.is_empty() {
            cfg.nets.extend(self.nics.iter().map(|n| Net {
                physical: Some(n.physical.clone()),
                global_nic: n.global_nic.clone(),
                mac_addr: n.mac.clone(),
                vlan_id: n.vlan,
                allowed_address: n.allowed_address.clone(),
                defrouter: n.defrouter.clone(),
                ..Net::default()
            }));
            out.push(("Configuring network interfaces", 75, cfg.clone()));
        }
        if let Some(ci) = &self.cloud_init {
            cfg.attrs.push(attr("cloud-init", &ci.enabled));
            let optional = [
                ("dns-domain", &ci.dns_domain),
                ("password", &ci.password),
                ("resolvers", &ci.resolvers),
                ("sshkey", &ci.sshkey),
            ];
            for (name, value) in optional {
                if let Some(v) = value {
                    cfg.attrs.push(attr(name, v));
                }
            }
            out.push(("Configuring cloud-init", 80, cfg.clone()));
        }
        out
    }

    /// The whole configuration the zone gets.
    pub fn config(&self) -> ZoneConfig {
        self.stages().pop().map(|(_, _, c)| c).unwrap_or_default()
    }
}

impl ZoneSpec {
    /// The spec that would create this configuration, with its storage taken as existing
    /// (`zcon zone export`). The cloud-init password is left out: it is a secret.
    pub fn from_config(cfg: &ZoneConfig) -> ZoneSpec {
        let disks = bhyve::disks(cfg);
        let cdroms = bhyve::cdroms(cfg);
        let existing = |dataset: &str| Volume::Existing {
            dataset: dataset.to_string(),
            force: false,
        };
        let cloud = [
            "cloud-init",
            "dns-domain",
            "password",
            "resolvers",
            "sshkey",
        ];
        let get = |name: &str| cfg.attr(name).map(str::to_string);
        let cloud_init = get("cloud-init").map(|enabled| CloudInit {
            enabled,
            dns_domain: get("dns-domain"),
            password: None,
            resolvers: get("resolvers"),
            sshkey: get("sshkey"),
        });
        let is_disk = |name: &str| disks.iter().any(|d| d.name == name);
        let is_cdrom = |name: &str| name == "cdrom" || name.starts_with("cdrom");
        ZoneSpec {
            name: cfg.name.clone(),
            brand: cfg.brand.clone(),
            zonepath: Some(cfg.zonepath.clone()).filter(|p| *p != format!("/zones/{}", cfg.name)),
            autoboot: cfg.autoboot,
            attrs: cfg
                .attrs
                .iter()
                .filter(|a| {
                    !is_disk(&a.name) && !is_cdrom(&a.name) && !cloud.contains(&a.name.as_str())
                })
                .map(|a| (a.name.clone(), a.value.clone()))
                .collect(),
            boot_volume: disks
                .iter()
                .find(|d| d.name == "bootdisk")
                .map(|d| existing(&d.dataset)),
            disks: disks
                .iter()
                .filter(|d| d.name != "bootdisk")
                .map(|d| existing(&d.dataset))
                .collect(),
            nics: cfg
                .nets
                .iter()
                .filter_map(|n| {
                    Some(NicSpec {
                        physical: n.physical.clone()?,
                        global_nic: n.global_nic.clone(),
                        mac: n.mac_addr.clone(),
                        vlan: n.vlan_id,
                        allowed_address: n.allowed_address.clone(),
                        defrouter: n.defrouter.clone(),
                    })
                })
                .collect(),
            filesystems: cfg
                .fs
                .iter()
                .filter(|f| !cdroms.contains(&f.special))
                .map(|f| FsSpec {
                    dir: f.dir.clone(),
                    special: f.special.clone(),
                    fs_type: f.fs_type.clone(),
                    options: f.options.clone(),
                })
                .collect(),
            cdroms,
            cloud_init,
            image: None,
            caps: Caps::of(cfg),
            start_after_create: false,
        }
    }
}

pub(super) fn zonecfg_step(stage: &str, progress: u8, zone: &str, script: String) -> Step {
    Step::new(
        stage,
        progress,
        Action::Run {
            command: Command::mutating("zonecfg").args(["-z", zone, "-f", "-"]),
            stdin: Some(script),
            timeout_s: None,
        },
    )
}

/// The plan that creates the zone: storage, the configuration in stages, install. A failure
/// or a cancel undoes what was made, newest first. `exists` says which datasets the host
/// has (parents that are missing are made, and undone, by the plan).
pub fn create_plan(spec: &ZoneSpec, exists: &dyn Fn(&str) -> bool) -> Result<Plan, String> {
    let name = spec.name.as_str();
    let mut plan = Plan::new("create", name).object(zone_object(name));
    for secret in spec.secrets() {
        plan = plan.secret(&secret);
    }
    let volumes = spec.boot_volume.iter().chain(&spec.disks);
    let mut made = Vec::new();
    for volume in volumes {
        plan = plan.object(dataset_object(volume.dataset()));
        for step in volume_steps(volume, name, exists, &mut made)? {
            plan = plan.step(step);
        }
    }
    let mut previous: Option<ZoneConfig> = None;
    for (stage, progress, cfg) in spec.stages() {
        let step = match &previous {
            None => zonecfg_step(stage, progress, name, generate::create_script(&cfg)?)
                .undo(Action::run(crate::sys::zonecfg::delete(name))),
            Some(before) => zonecfg_step(
                stage,
                progress,
                name,
                generate::modify_script(before, &cfg)?,
            ),
        };
        plan = plan.step(step);
        previous = Some(cfg);
    }
    let brand_args: Vec<String> = match &spec.image {
        Some(image) if spec.brand == "lx" => vec!["-s".into(), image.clone()],
        _ => Vec::new(),
    };
    // An install cut off half way leaves the zone incomplete: uninstall it then too.
    let cleanup = Action::When {
        condition: Condition::ZoneIn {
            zone: name.to_string(),
            states: vec![ZoneState::Installed, ZoneState::Incomplete],
        },
        then: Box::new(Action::run(zoneadm::uninstall(name))),
    };
    plan = plan.step(
        Step::new(
            "Installing zone",
            90,
            Action::run(zoneadm::install(name, &brand_args)),
        )
        .undo(cleanup)
        .even_if_failed(),
    );
    Ok(plan)
}

/// The boot that follows a create when the spec asks for it.
pub fn start_plan(spec: &ZoneSpec) -> Plan {
    Plan::new("boot", &spec.name)
        .object(zone_object(&spec.name))
        .step(Step::new(
            "Booting zone",
            100,
            Action::run(zoneadm::boot(&spec.name)),
        ))
}

#[cfg(test)]
#[path = "spec_tests.rs"]
mod tests;

//! Spec files as operators write them: zcon's own form (what `zcon zone export` prints) and
//! the request bodies of the zone guide (`ram`, `vcpus`, `boot_volume{create_new, pool,
//! dataset, volume_name …}`, `source{template_dataset}`, `add_nics`, `remove_disks` …), in
//! one document. For a modify, a field that is absent is left as the zone has it.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::spec::{Caps, CloudInit, FsSpec, NicSpec, Volume, ZoneSpec};
use crate::sys::bhyve;
use crate::sys::zonecfg::ZoneConfig;

/// bhyve attributes the guide sets at the top level, by JSON key and attribute name.
const FLAT_ATTRS: [(&str, &str); 11] = [
    ("ram", "ram"),
    ("vcpus", "vcpus"),
    ("bootrom", "bootrom"),
    ("hostbridge", "hostbridge"),
    ("diskif", "diskif"),
    ("netif", "netif"),
    ("os_type", "type"),
    ("vnc", "vnc"),
    ("acpi", "acpi"),
    ("xhci", "xhci"),
    ("uefivars", "uefivars"),
];

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpecDocument {
    name: Option<String>,
    brand: Option<String>,
    zonepath: Option<String>,
    autoboot: Option<bool>,
    /// `null` removes an attribute.
    attrs: Option<BTreeMap<String, Option<String>>>,
    ram: Option<String>,
    vcpus: Option<String>,
    bootrom: Option<String>,
    hostbridge: Option<String>,
    diskif: Option<String>,
    netif: Option<String>,
    os_type: Option<String>,
    vnc: Option<String>,
    acpi: Option<String>,
    xhci: Option<String>,
    uefivars: Option<String>,
    boot_volume: Option<VolumeDoc>,
    disks: Option<Vec<VolumeDoc>>,
    nics: Option<Vec<NicSpec>>,
    cdroms: Option<Vec<CdromDoc>>,
    cloud_init: Option<CloudInit>,
    filesystems: Option<Vec<FsSpec>>,
    image: Option<String>,
    caps: Option<Caps>,
    source: Option<Source>,
    start_after_create: Option<bool>,
    /// Attach volumes even if another zone uses them.
    force: Option<bool>,
    add_nics: Option<Vec<NicSpec>>,
    remove_nics: Option<Vec<String>>,
    add_disks: Option<Vec<VolumeDoc>>,
    /// Disk names as the zone has them (`disk0`) or datasets.
    remove_disks: Option<Vec<String>>,
    add_cdroms: Option<Vec<CdromDoc>>,
    remove_cdroms: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum VolumeDoc {
    Zcon(Volume),
    Guide(GuideVolume),
}

/// The guide's form: `create_new` with pool/dataset/volume_name/size, or
/// `existing_dataset`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GuideVolume {
    create_new: Option<bool>,
    pool: Option<String>,
    dataset: Option<String>,
    volume_name: Option<String>,
    size: Option<String>,
    sparse: Option<bool>,
    existing_dataset: Option<String>,
    force: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum CdromDoc {
    Path(String),
    Object { path: String },
}

impl CdromDoc {
    fn path(self) -> String {
        match self {
            CdromDoc::Path(p) | CdromDoc::Object { path: p } => p,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Source {
    #[serde(rename = "type")]
    kind: String,
    template_dataset: String,
    clone_strategy: Option<String>,
}

/// Parse a spec file's text.
pub fn parse(text: &str) -> Result<SpecDocument, String> {
    serde_json::from_str(text).map_err(|e| e.to_string())
}

impl GuideVolume {
    /// `what` names the volume in messages; `default_name` is its volume_name if none.
    fn into_volume(
        self,
        zone: &str,
        default_name: &str,
        template: Option<(&str, bool)>,
        what: &str,
    ) -> Result<Volume, String> {
        if let Some(dataset) = self.existing_dataset {
            if self.create_new == Some(true) {
                return Err(format!(
                    "{what}: create_new and existing_dataset exclude each other"
                ));
            }
            return Ok(Volume::Existing {
                dataset,
                force: self.force.unwrap_or(false),
            });
        }
        let dataset = format!(
            "{}/{}/{zone}/{}",
            self.pool.as_deref().unwrap_or("rpool"),
            self.dataset.as_deref().unwrap_or("zones"),
            self.volume_name.as_deref().unwrap_or(default_name)
        );
        if let Some((snapshot, copy)) = template {
            return Ok(Volume::Template {
                snapshot: snapshot.to_string(),
                dataset,
                copy,
            });
        }
        if self.create_new == Some(false) {
            return Err(format!(
                "{what}: create_new is false but no existing_dataset is given"
            ));
        }
        let Some(size) = self.size else {
            return Err(format!("{what}: a new volume needs a size such as \"30G\""));
        };
        Ok(Volume::New {
            dataset,
            size,
            sparse: self.sparse.unwrap_or(false),
        })
    }
}

fn volume(
    doc: VolumeDoc,
    zone: &str,
    default_name: &str,
    template: Option<(&str, bool)>,
    what: &str,
) -> Result<Volume, String> {
    match doc {
        VolumeDoc::Zcon(v) => Ok(v),
        VolumeDoc::Guide(g) => g.into_volume(zone, default_name, template, what),
    }
}

impl SpecDocument {
    /// The spec of a new zone.
    pub fn into_create(self) -> Result<ZoneSpec, String> {
        for (field, used) in [
            ("add_nics", self.add_nics.is_some()),
            ("remove_nics", self.remove_nics.is_some()),
            ("add_disks", self.add_disks.is_some()),
            ("remove_disks", self.remove_disks.is_some()),
            ("add_cdroms", self.add_cdroms.is_some()),
            ("remove_cdroms", self.remove_cdroms.is_some()),
        ] {
            if used {
                return Err(format!(
                    "{field} is for modifying a zone (zcon zone modify); a create lists nics, disks and cdroms"
                ));
            }
        }
        let Some(name) = self.name.clone() else {
            return Err("a zone spec needs a name".into());
        };
        let Some(brand) = self.brand.clone() else {
            return Err(
                "a zone spec needs a brand (bhyve, ipkg, lipkg, sparse, pkgsrc or lx)".into(),
            );
        };
        let base = ZoneSpec {
            name,
            brand,
            ..ZoneSpec::default()
        };
        self.apply(base, None)
    }

    /// The zone configured as `current`, changed as this document says.
    pub fn into_modify(self, current: &ZoneConfig) -> Result<ZoneSpec, String> {
        if let Some(name) = &self.name
            && *name != current.name
        {
            return Err(format!(
                "the spec names {name}, not {}: a zone is not renamed by modify",
                current.name
            ));
        }
        if self.start_after_create.is_some() || self.source.is_some() {
            return Err("start_after_create and source are for creating a zone".into());
        }
        let base = ZoneSpec::from_config(current);
        self.apply(base, Some(current))
    }

    fn apply(self, mut spec: ZoneSpec, current: Option<&ZoneConfig>) -> Result<ZoneSpec, String> {
        let zone = spec.name.clone();
        if let Some(brand) = self.brand {
            spec.brand = brand;
        }
        if let Some(z) = self.zonepath {
            spec.zonepath = Some(z);
        }
        if let Some(a) = self.autoboot {
            spec.autoboot = a;
        }
        for (key, value) in self.attrs.into_iter().flatten() {
            match value {
                Some(v) => spec.attrs.insert(key, v),
                None => spec.attrs.remove(&key),
            };
        }
        let flat = [
            &self.ram,
            &self.vcpus,
            &self.bootrom,
            &self.hostbridge,
            &self.diskif,
            &self.netif,
            &self.os_type,
            &self.vnc,
            &self.acpi,
            &self.xhci,
            &self.uefivars,
        ];
        for ((_, attr), value) in FLAT_ATTRS.iter().zip(flat) {
            if let Some(v) = value {
                spec.attrs.insert(attr.to_string(), v.clone());
            }
        }
        let template = match &self.source {
            None => None,
            Some(s) if s.kind != "template" => {
                return Err(format!(
                    "source type {:?} is not known: the one source is \"template\"",
                    s.kind
                ));
            }
            Some(s) => {
                let copy = match s.clone_strategy.as_deref() {
                    None | Some("clone") => false,
                    Some("copy") => true,
                    Some(other) => {
                        return Err(format!(
                            "clone_strategy {other:?} is not known: clone or copy"
                        ));
                    }
                };
                Some((s.template_dataset.clone(), copy))
            }
        };
        match self.boot_volume {
            Some(doc) => {
                spec.boot_volume = Some(volume(
                    doc,
                    &zone,
                    "root",
                    template.as_ref().map(|(t, copy)| (t.as_str(), *copy)),
                    "boot_volume",
                )?)
            }
            None if template.is_some() => {
                return Err("source needs a boot_volume to clone the template into".into());
            }
            None => {}
        }
        if let Some(disks) = self.disks {
            spec.disks = disks
                .into_iter()
                .enumerate()
                .map(|(i, d)| volume(d, &zone, &format!("disk{i}"), None, &format!("disks[{i}]")))
                .collect::<Result<_, _>>()?;
        }
        for name in self.remove_disks.into_iter().flatten() {
            let by_name = current.and_then(|cfg| {
                bhyve::disks(cfg)
                    .into_iter()
                    .find(|d| d.name == name)
                    .map(|d| d.dataset)
            });
            let dataset = by_name.unwrap_or_else(|| name.clone());
            let before = spec.disks.len();
            spec.disks.retain(|d| d.dataset() != dataset);
            if spec.disks.len() == before {
                return Err(format!("remove_disks: the zone has no disk {name}"));
            }
        }
        for (i, doc) in self.add_disks.into_iter().flatten().enumerate() {
            let n = spec.disks.len();
            spec.disks.push(volume(
                doc,
                &zone,
                &format!("disk{n}"),
                None,
                &format!("add_disks[{i}]"),
            )?);
        }
        if let Some(nics) = self.nics {
            spec.nics = nics;
        }
        for name in self.remove_nics.into_iter().flatten() {
            let before = spec.nics.len();
            spec.nics.retain(|n| n.physical != name);
            if spec.nics.len() == before {
                return Err(format!("remove_nics: the zone has no NIC {name}"));
            }
        }
        spec.nics.extend(self.add_nics.into_iter().flatten());
        if let Some(cdroms) = self.cdroms {
            spec.cdroms = cdroms.into_iter().map(CdromDoc::path).collect();
        }
        for path in self.remove_cdroms.into_iter().flatten() {
            let before = spec.cdroms.len();
            spec.cdroms.retain(|c| *c != path);
            if spec.cdroms.len() == before {
                return Err(format!("remove_cdroms: the zone has no CD-ROM {path}"));
            }
        }
        spec.cdroms
            .extend(self.add_cdroms.into_iter().flatten().map(CdromDoc::path));
        if let Some(ci) = self.cloud_init {
            spec.cloud_init = Some(ci);
        }
        if let Some(fs) = self.filesystems {
            spec.filesystems = fs;
        }
        if let Some(image) = self.image {
            spec.image = Some(image);
        }
        if let Some(caps) = self.caps {
            spec.caps = caps;
        }
        if let Some(s) = self.start_after_create {
            spec.start_after_create = s;
        }
        if self.force == Some(true) {
            for v in spec.boot_volume.iter_mut().chain(spec.disks.iter_mut()) {
                if let Volume::Existing { force, .. } = v {
                    *force = true;
                }
            }
        }
        Ok(spec)
    }
}

#[cfg(test)]
#[path = "spec_file_tests.rs"]
mod tests;

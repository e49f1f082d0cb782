//! A zone's configuration as zonecfg(8) knows it, and the three forms it travels in:
//! the zonecfg command language (`script`: parse `export` output and command files, generate
//! scripts), `zonecfg info` output (`info`), and `/etc/zones/<zone>.xml` (`crate::sys::zonexml`).
//!
//! Unset properties are `None`; zonecfg and the XML write them as empty strings.

pub mod check;
mod edit;
mod end;
mod export;
mod generate;
pub(crate) mod grammar;
pub mod info;
mod info_parse;
mod lex;
mod lookup;
mod resource;
pub mod script;
pub mod verify;

use serde::{Deserialize, Serialize};

use crate::sys::Command;

/// One zone's persistent configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZoneConfig {
    pub name: String,
    /// Empty until set; a zone cannot be installed without one.
    pub zonepath: String,
    pub brand: String,
    pub autoboot: bool,
    pub ip_type: IpType,
    pub bootargs: Option<String>,
    pub pool: Option<String>,
    pub limitpriv: Option<String>,
    pub scheduling_class: Option<String>,
    pub hostid: Option<String>,
    pub fs_allowed: Option<String>,
    /// OmniOS writes a per-zone debug id into the XML; `zoneadm list -p` prints it.
    pub debugid: Option<u32>,
    pub nets: Vec<Net>,
    pub devices: Vec<Device>,
    pub attrs: Vec<Attr>,
    pub fs: Vec<Fs>,
    pub datasets: Vec<DatasetResource>,
    /// Resource controls, including those zonecfg exposes under aliases (max-lwps,
    /// cpu-shares, capped-cpu's zone.cpu-cap, capped-memory's zone.max-swap …).
    pub rctls: Vec<Rctl>,
    /// capped-memory `physical`, in bytes (the rctl zone.max-physical-memory; older hosts
    /// wrote `<mcap physcap=…>`).
    pub physical_cap: Option<u64>,
    /// dedicated-cpu (`<pset>` + `<tmp_pool importance=…>`).
    pub dedicated_cpu: Option<DedicatedCpu>,
    pub admins: Vec<Admin>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IpType {
    #[default]
    Shared,
    Exclusive,
}

impl IpType {
    /// As zonecfg and the XML write it.
    pub fn as_zonecfg(self) -> &'static str {
        match self {
            IpType::Shared => "shared",
            IpType::Exclusive => "exclusive",
        }
    }

    /// As `zoneadm list -p` prints it.
    pub fn as_zoneadm(self) -> &'static str {
        match self {
            IpType::Shared => "shared",
            IpType::Exclusive => "excl",
        }
    }

    /// Accepts both spellings.
    pub fn parse(text: &str) -> Option<IpType> {
        match text {
            "shared" => Some(IpType::Shared),
            "exclusive" | "excl" => Some(IpType::Exclusive),
            _ => None,
        }
    }
}

/// A `net` resource.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Net {
    pub address: Option<String>,
    pub allowed_address: Option<String>,
    pub physical: Option<String>,
    pub defrouter: Option<String>,
    /// OmniOS: the link over which the zone's VNIC named `physical` is created at boot.
    pub global_nic: Option<String>,
    pub mac_addr: Option<String>,
    pub vlan_id: Option<u16>,
    /// `property` entries (`<net-attr name= value=>`).
    pub properties: Vec<Property>,
}

/// A `(name=…,value=…)` pair of a net or device resource.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Property {
    pub name: String,
    pub value: String,
}

/// A `device` resource.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Device {
    #[serde(rename = "match")]
    pub match_path: String,
    pub properties: Vec<Property>,
}

/// An `attr` resource.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attr {
    pub name: String,
    pub attr_type: AttrType,
    pub value: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AttrType {
    #[default]
    String,
    Int,
    Uint,
    Boolean,
}

impl AttrType {
    pub fn as_str(self) -> &'static str {
        match self {
            AttrType::String => "string",
            AttrType::Int => "int",
            AttrType::Uint => "uint",
            AttrType::Boolean => "boolean",
        }
    }

    pub fn parse(text: &str) -> Option<AttrType> {
        match text {
            "string" => Some(AttrType::String),
            "int" => Some(AttrType::Int),
            "uint" => Some(AttrType::Uint),
            "boolean" => Some(AttrType::Boolean),
            _ => None,
        }
    }
}

/// An `fs` resource (`<filesystem>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fs {
    pub dir: String,
    pub special: String,
    pub raw: Option<String>,
    pub fs_type: String,
    pub options: Vec<String>,
}

/// A `dataset` resource: a ZFS dataset delegated to the zone.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatasetResource {
    pub name: String,
}

/// An `rctl` resource.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rctl {
    pub name: String,
    pub values: Vec<RctlValue>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RctlValue {
    /// `privileged`, `basic` or `system`.
    pub privilege: String,
    pub limit: String,
    /// `none`, `deny` or `signal=…`.
    pub action: String,
}

/// The `dedicated-cpu` resource.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DedicatedCpu {
    /// `ncpus`: a number or a range such as `1-4` (stored as ncpu_min / ncpu_max).
    pub ncpu_min: String,
    pub ncpu_max: String,
    pub importance: Option<String>,
}

/// An `admin` resource.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Admin {
    pub user: String,
    pub auths: String,
}

/// The zonecfg global properties that are aliases of a zone-wide rctl, with the rctl's
/// privilege and action as zonecfg fills them in.
pub const RCTL_ALIASES: &[(&str, &str, &str)] = &[
    ("max-lwps", "zone.max-lwps", "deny"),
    ("max-processes", "zone.max-processes", "deny"),
    ("max-shm-memory", "zone.max-shm-memory", "deny"),
    ("max-shm-ids", "zone.max-shm-ids", "deny"),
    ("max-msg-ids", "zone.max-msg-ids", "deny"),
    ("max-sem-ids", "zone.max-sem-ids", "deny"),
    ("max-locked-memory", "zone.max-locked-memory", "deny"),
    ("max-swap", "zone.max-swap", "deny"),
    ("cpu-shares", "zone.cpu-shares", "none"),
];

impl ZoneConfig {
    /// A new configuration as `create -b` leaves it (no resources, shared IP, no autoboot).
    pub fn blank(name: &str) -> Self {
        ZoneConfig {
            name: name.to_string(),
            ..Default::default()
        }
    }

    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| a.name == name)
            .map(|a| a.value.as_str())
    }

    /// Set a string attr, replacing an existing attr of that name.
    pub fn set_attr(&mut self, name: &str, value: &str) {
        match self.attrs.iter_mut().find(|a| a.name == name) {
            Some(a) => a.value = value.to_string(),
            None => self.attrs.push(Attr {
                name: name.to_string(),
                attr_type: AttrType::String,
                value: value.to_string(),
            }),
        }
    }

    pub fn remove_attr(&mut self, name: &str) -> bool {
        let before = self.attrs.len();
        self.attrs.retain(|a| a.name != name);
        self.attrs.len() != before
    }

    /// The limit of the first privileged value of rctl `name` (e.g. `zone.max-lwps`).
    pub fn rctl_limit(&self, name: &str) -> Option<&str> {
        let rctl = self.rctls.iter().find(|r| r.name == name)?;
        rctl.values
            .iter()
            .find(|v| v.privilege == "privileged")
            .or(rctl.values.first())
            .map(|v| v.limit.as_str())
    }

    /// Set rctl `name` to one privileged value with `action` (how zonecfg's aliases do it).
    pub fn set_rctl(&mut self, name: &str, limit: &str, action: &str) {
        let value = RctlValue {
            privilege: "privileged".into(),
            limit: limit.to_string(),
            action: action.to_string(),
        };
        match self.rctls.iter_mut().find(|r| r.name == name) {
            Some(r) => r.values = vec![value],
            None => self.rctls.push(Rctl {
                name: name.to_string(),
                values: vec![value],
            }),
        }
    }

    pub fn remove_rctl(&mut self, name: &str) -> bool {
        let before = self.rctls.len();
        self.rctls.retain(|r| r.name != name);
        self.rctls.len() != before
    }

    /// capped-cpu `ncpus` (zone.cpu-cap is in percent of one CPU).
    pub fn capped_cpu(&self) -> Option<f64> {
        self.rctl_limit("zone.cpu-cap")?
            .parse::<f64>()
            .ok()
            .map(|pct| pct / 100.0)
    }

    pub fn net_by_physical(&self, physical: &str) -> Option<&Net> {
        self.nets
            .iter()
            .find(|n| n.physical.as_deref() == Some(physical))
    }
}

/// `zonecfg -z ZONE -f FILE`: apply a command file (see [`script`] to write one).
pub fn apply_file(zone: &str, path: &str) -> Command {
    Command::mutating("zonecfg").args(["-z", zone, "-f", path])
}

/// `zonecfg -z ZONE export`: the slow path for one zone whose XML cannot be read.
pub fn export(zone: &str) -> Command {
    Command::read("zonecfg").args(["-z", zone, "export"])
}

/// `zonecfg -z ZONE info`.
pub fn info(zone: &str) -> Command {
    Command::read("zonecfg").args(["-z", zone, "info"])
}

/// `zonecfg -z ZONE delete -F`.
pub fn delete(zone: &str) -> Command {
    Command::mutating("zonecfg").args(["-z", zone, "delete", "-F"])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attrs_are_set_replaced_and_removed_by_name() {
        let mut cfg = ZoneConfig::blank("web01");
        cfg.set_attr("ram", "1G");
        cfg.set_attr("vcpus", "2");
        cfg.set_attr("ram", "4G");
        assert_eq!(cfg.attr("ram"), Some("4G"));
        assert_eq!(cfg.attrs.len(), 2);
        assert!(cfg.remove_attr("ram"));
        assert!(!cfg.remove_attr("ram"));
        assert_eq!(cfg.attr("ram"), None);
    }

    #[test]
    fn rctl_aliases_read_back() {
        let mut cfg = ZoneConfig::blank("z");
        cfg.set_rctl("zone.cpu-cap", "150", "deny");
        cfg.set_rctl("zone.max-lwps", "2000", "deny");
        cfg.set_rctl("zone.max-lwps", "3000", "deny");
        assert_eq!(cfg.capped_cpu(), Some(1.5));
        assert_eq!(cfg.rctl_limit("zone.max-lwps"), Some("3000"));
        assert_eq!(cfg.rctls.len(), 2);
    }

    #[test]
    fn ip_type_spellings() {
        assert_eq!(IpType::parse("excl"), Some(IpType::Exclusive));
        assert_eq!(
            IpType::parse("exclusive").map(IpType::as_zoneadm),
            Some("excl")
        );
        assert_eq!(IpType::Shared.as_zonecfg(), "shared");
        assert_eq!(IpType::parse("both"), None);
    }
}

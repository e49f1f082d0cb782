//! The sim host's network state: what dlmgmtd and the kernel hold about datalinks
//! (physical links, etherstubs, VNICs), what ipmgmtd and IP hold about interfaces,
//! addresses and their properties, and routeadm's options. One file, `state/net.json`.
//!
//! Like the other stores, nothing here locks: the command calling it holds the state lock.
//! Errors are the libdladm/libipadm status texts ("object already exists", "link busy",
//! "Address object already exists"); the commands put their own prefix before them.

pub mod getopt;
mod ifprop;
mod ip;
pub mod ofmt;
mod route;

use std::collections::BTreeMap;
use std::io;

use serde::{Deserialize, Serialize};

use super::SimHost;
use crate::sys::dladm::{LinkClass, LinkState, MacAddr, MacSpec, parse_mac, validate_link_name};

pub use ifprop::{IF_PROPS, IfPropView, PropDef};
pub use ip::status as ip_status;
pub use ip::{AddrKind, AddrObj, IfPropVal, IpIf, Proto, parse_local_addr};
pub use route::{OptState, Routing, VARIABLES as ROUTE_VARIABLES};

/// libdladm status texts the sim returns.
pub mod status {
    pub const EXIST: &str = "object already exists";
    pub const NOTFOUND: &str = "object not found";
    pub const BADARG: &str = "invalid argument";
    pub const LINKBUSY: &str = "link busy";
    pub const VIDINVAL: &str = "invalid VLAN identifier";
    pub const MACADDR_VALUE: &str = "invalid MAC address value";
    pub const MACADDR_NIC: &str = "MAC address reserved for use by underlying data-link";
    pub const MACADDR_INUSE: &str = "MAC address is already in use";
    pub const MAC_FACTORY_NOTSUP: &str = "factory MAC address slots not supported";
    pub const MAC_PREFIX: &str = "Invalid MAC address prefix value";
}

/// The illumos prefix of random VNIC MAC addresses (Sun's OUI 0:8:20 with the
/// locally-administered bit set).
pub const RANDOM_MAC_PREFIX: [u8; 3] = [0x02, 0x08, 0x20];

const STATE_FILE: &str = "net";

/// A physical NIC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Phys {
    /// The driver instance (`igb0`); the link has the same name unless renamed.
    pub device: String,
    pub media: String,
    pub up: bool,
    pub speed_mbps: u64,
    pub duplex: String,
    pub mac: String,
    pub mtu: u32,
}

/// How a VNIC's MAC address was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MacKind {
    Random,
    Fixed,
    Factory(u32),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VnicLink {
    pub over: String,
    pub mac: String,
    pub mac_kind: MacKind,
    /// 0: untagged.
    pub vid: u16,
    /// The zone holding it while that zone runs (the `zone` link property).
    pub zone: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "class", rename_all = "lowercase")]
pub enum LinkKind {
    Phys(Phys),
    Etherstub,
    Vnic(VnicLink),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Datalink {
    /// dlmgmtd's link id: links are listed in this order.
    pub id: u32,
    #[serde(flatten)]
    pub kind: LinkKind,
    /// Created with `-t`: not in the persistent configuration.
    #[serde(default)]
    pub temporary: bool,
}

impl Datalink {
    pub fn class(&self) -> LinkClass {
        match self.kind {
            LinkKind::Phys(_) => LinkClass::Phys,
            LinkKind::Etherstub => LinkClass::Etherstub,
            LinkKind::Vnic(_) => LinkClass::Vnic,
        }
    }

    pub fn vnic(&self) -> Option<&VnicLink> {
        match &self.kind {
            LinkKind::Vnic(v) => Some(v),
            _ => None,
        }
    }
}

/// What `dladm create-vnic` asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VnicRequest {
    pub name: String,
    pub over: String,
    pub mac: MacSpec,
    pub vid: u16,
    pub temporary: bool,
    /// `-r PREFIX` for a random address (default [`RANDOM_MAC_PREFIX`]).
    pub mac_prefix: Option<Vec<u8>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NetStore {
    next_linkid: u32,
    next_seq: u64,
    /// State of the generator of random MAC addresses (seeded from the host seed).
    rng: u64,
    links: BTreeMap<String, Datalink>,
    ifs: BTreeMap<String, IpIf>,
    addrs: BTreeMap<String, AddrObj>,
    routing: Routing,
}

impl Default for NetStore {
    /// A host with no datalinks: only the loopback interface with its two addresses.
    fn default() -> NetStore {
        let mut store = NetStore {
            next_linkid: 1,
            next_seq: 0,
            rng: 0,
            links: BTreeMap::new(),
            ifs: BTreeMap::new(),
            addrs: BTreeMap::new(),
            routing: Routing::default(),
        };
        store.plumb_loopback();
        store
    }
}

impl NetStore {
    pub fn load(host: &SimHost) -> io::Result<NetStore> {
        if host.state_dir().join(format!("{STATE_FILE}.json")).exists() {
            return host.load_json(STATE_FILE);
        }
        let mut store = NetStore::default();
        let seed = host.info().map(|i| i.seed).unwrap_or(0);
        store.rng = seed ^ 0x9e37_79b9_7f4a_7c15;
        Ok(store)
    }

    pub fn save(&self, host: &SimHost) -> io::Result<()> {
        host.save_json(STATE_FILE, self)
    }

    fn next_seq(&mut self) -> u64 {
        self.next_seq += 1;
        self.next_seq
    }

    fn insert_link(&mut self, name: &str, kind: LinkKind, temporary: bool) {
        let id = self.next_linkid;
        self.next_linkid += 1;
        self.links.insert(
            name.to_string(),
            Datalink {
                id,
                kind,
                temporary,
            },
        );
    }

    /// Add a physical Ethernet NIC (up, full duplex, MTU 1500) named after its device.
    pub fn add_phys(&mut self, name: &str, speed_mbps: u64, mac: &str) -> Result<(), String> {
        validate_link_name(name).map_err(|_| format!("invalid link name '{name}'"))?;
        let mac = parse_mac(mac)?;
        if self.links.contains_key(name) {
            return Err(status::EXIST.into());
        }
        let phys = Phys {
            device: name.to_string(),
            media: "Ethernet".into(),
            up: true,
            speed_mbps,
            duplex: "full".into(),
            mac: mac.to_string(),
            mtu: 1500,
        };
        self.insert_link(name, LinkKind::Phys(phys), false);
        Ok(())
    }

    /// Plug or unplug a NIC's cable.
    pub fn set_phys_up(&mut self, name: &str, up: bool) -> Result<(), String> {
        match self.links.get_mut(name).map(|l| &mut l.kind) {
            Some(LinkKind::Phys(p)) => {
                p.up = up;
                Ok(())
            }
            Some(_) => Err(status::BADARG.into()),
            None => Err(status::NOTFOUND.into()),
        }
    }

    pub fn create_etherstub(&mut self, name: &str) -> Result<(), String> {
        self.create_etherstub_with(name, false)
    }

    pub fn create_etherstub_with(&mut self, name: &str, temporary: bool) -> Result<(), String> {
        validate_link_name(name).map_err(|_| format!("invalid link name '{name}'"))?;
        if self.links.contains_key(name) {
            return Err(status::EXIST.into());
        }
        self.insert_link(name, LinkKind::Etherstub, temporary);
        Ok(())
    }

    /// Delete an etherstub; refused while VNICs sit on it.
    pub fn delete_etherstub(&mut self, name: &str) -> Result<(), String> {
        match self.links.get(name).map(|l| &l.kind) {
            Some(LinkKind::Etherstub) => {}
            Some(_) => return Err(status::BADARG.into()),
            None => return Err(status::NOTFOUND.into()),
        }
        if self.vnics_over(name).next().is_some() {
            return Err(status::LINKBUSY.into());
        }
        self.links.remove(name);
        Ok(())
    }

    /// Create a VNIC over a physical link or an etherstub and return its MAC address in
    /// dladm's form. `mac`: None for a random address (what `create-vnic` without `-m`
    /// gives on NICs without factory slots), or a fixed unicast address.
    pub fn create_vnic(
        &mut self,
        name: &str,
        over: &str,
        mac: Option<&str>,
        vid: Option<u16>,
    ) -> Result<String, String> {
        let mac = match mac {
            Some(m) => MacSpec::Fixed(parse_mac(m)?),
            None => MacSpec::Auto,
        };
        self.create_vnic_with(&VnicRequest {
            name: name.to_string(),
            over: over.to_string(),
            mac,
            vid: vid.unwrap_or(0),
            temporary: false,
            mac_prefix: None,
        })
    }

    /// `dladm create-vnic` with every option, checked in libdladm's and the kernel's order.
    pub fn create_vnic_with(&mut self, req: &VnicRequest) -> Result<String, String> {
        validate_link_name(&req.name).map_err(|_| format!("invalid link name '{}'", req.name))?;
        if req.vid > 4094 {
            return Err(status::VIDINVAL.into());
        }
        let lower = self.links.get(&req.over).ok_or(status::NOTFOUND)?;
        if !lower.class().can_carry_vnic() {
            return Err(status::BADARG.into());
        }
        let lower_mac = match &lower.kind {
            LinkKind::Phys(p) => Some(p.mac.clone()),
            _ => None,
        };
        if self.links.contains_key(&req.name) {
            return Err(status::EXIST.into());
        }
        let (mac, kind) = match &req.mac {
            MacSpec::Auto | MacSpec::Random => {
                let prefix = req.mac_prefix.as_deref().unwrap_or(&RANDOM_MAC_PREFIX);
                if prefix.is_empty() || prefix.len() >= 6 || prefix[0] & 1 == 1 {
                    return Err(status::MAC_PREFIX.into());
                }
                (self.random_mac(prefix), MacKind::Random)
            }
            MacSpec::Factory(_) => return Err(status::MAC_FACTORY_NOTSUP.into()),
            MacSpec::Fixed(m) => {
                if m.is_multicast() || m.0 == [0; 6] {
                    return Err(status::MACADDR_VALUE.into());
                }
                let text = m.to_string();
                if lower_mac.as_deref() == Some(text.as_str()) {
                    return Err(status::MACADDR_NIC.into());
                }
                if self.vnics_over(&req.over).any(|(_, v)| v.mac == text) {
                    return Err(status::MACADDR_INUSE.into());
                }
                (*m, MacKind::Fixed)
            }
        };
        let vnic = VnicLink {
            over: req.over.clone(),
            mac: mac.to_string(),
            mac_kind: kind,
            vid: req.vid,
            zone: None,
        };
        self.insert_link(&req.name, LinkKind::Vnic(vnic), req.temporary);
        Ok(mac.to_string())
    }

    /// A random unicast address after `prefix`, unique on this host.
    fn random_mac(&mut self, prefix: &[u8]) -> MacAddr {
        loop {
            let mut rng = fastrand::Rng::with_seed(self.rng);
            let mut octets = [0u8; 6];
            octets[..prefix.len()].copy_from_slice(prefix);
            for o in &mut octets[prefix.len()..] {
                *o = rng.u8(..);
            }
            self.rng = rng.u64(..);
            let text = MacAddr(octets).to_string();
            if !self.links.values().any(|l| match &l.kind {
                LinkKind::Vnic(v) => v.mac == text,
                LinkKind::Phys(p) => p.mac == text,
                LinkKind::Etherstub => false,
            }) {
                return MacAddr(octets);
            }
        }
    }

    /// Delete a VNIC; refused (link busy) while a running zone holds it or an IP
    /// interface is plumbed on it.
    pub fn delete_vnic(&mut self, name: &str) -> Result<(), String> {
        let Some(link) = self.links.get(name) else {
            return Err(status::NOTFOUND.into());
        };
        let Some(vnic) = link.vnic() else {
            return Err(status::BADARG.into());
        };
        if vnic.zone.is_some() || self.ifs.contains_key(name) {
            return Err(status::LINKBUSY.into());
        }
        self.links.remove(name);
        Ok(())
    }

    pub fn link_exists(&self, name: &str) -> bool {
        self.links.contains_key(name)
    }

    pub fn link(&self, name: &str) -> Option<&Datalink> {
        self.links.get(name)
    }

    pub fn link_class(&self, name: &str) -> Option<LinkClass> {
        self.links.get(name).map(Datalink::class)
    }

    /// Every datalink in dlmgmtd's order (by link id).
    pub fn links(&self) -> Vec<(&str, &Datalink)> {
        let mut all: Vec<(&str, &Datalink)> =
            self.links.iter().map(|(n, l)| (n.as_str(), l)).collect();
        all.sort_by_key(|(_, l)| l.id);
        all
    }

    /// The VNICs whose lower link is `over`.
    pub fn vnics_over<'a>(
        &'a self,
        over: &'a str,
    ) -> impl Iterator<Item = (&'a str, &'a VnicLink)> {
        self.links.iter().filter_map(move |(n, l)| match &l.kind {
            LinkKind::Vnic(v) if v.over == over => Some((n.as_str(), v)),
            _ => None,
        })
    }

    /// The zone holding the VNIC, if any.
    pub fn vnic_zone(&self, name: &str) -> Option<String> {
        self.links.get(name)?.vnic()?.zone.clone()
    }

    /// Hand a VNIC to a zone as it boots (Some) or take it back as it halts (None).
    pub fn set_vnic_zone(&mut self, name: &str, zone: Option<&str>) -> Result<(), String> {
        let plumbed = self.ifs.contains_key(name);
        let Some(link) = self.links.get_mut(name) else {
            return Err(status::NOTFOUND.into());
        };
        let LinkKind::Vnic(vnic) = &mut link.kind else {
            return Err(status::BADARG.into());
        };
        if let Some(zone) = zone
            && (plumbed || vnic.zone.as_deref().is_some_and(|z| z != zone))
        {
            return Err(status::LINKBUSY.into());
        }
        vnic.zone = zone.map(str::to_string);
        Ok(())
    }

    /// The link's MTU: 1500 for Ethernet NICs, 9000 for etherstubs, a VNIC's lower link's.
    pub fn link_mtu(&self, name: &str) -> Option<u32> {
        match &self.links.get(name)?.kind {
            LinkKind::Phys(p) => Some(p.mtu),
            LinkKind::Etherstub => Some(9000),
            LinkKind::Vnic(v) => self.link_mtu(&v.over),
        }
    }

    /// The link state: a NIC's cable, `unknown` for etherstubs, a VNIC follows its NIC
    /// (and is up over an etherstub).
    pub fn link_state(&self, name: &str) -> Option<LinkState> {
        match &self.links.get(name)?.kind {
            LinkKind::Phys(p) => Some(if p.up { LinkState::Up } else { LinkState::Down }),
            LinkKind::Etherstub => Some(LinkState::Unknown),
            LinkKind::Vnic(v) => match self.link_state(&v.over)? {
                LinkState::Unknown => Some(LinkState::Up),
                s => Some(s),
            },
        }
    }

    /// The link speed in Mbit/s (0 for a NIC that is down and for etherstub VNICs).
    pub fn link_speed(&self, name: &str) -> Option<u64> {
        match &self.links.get(name)?.kind {
            LinkKind::Phys(p) => Some(if p.up { p.speed_mbps } else { 0 }),
            LinkKind::Etherstub => Some(0),
            LinkKind::Vnic(v) => self.link_speed(&v.over),
        }
    }
}

#[cfg(test)]
mod tests;

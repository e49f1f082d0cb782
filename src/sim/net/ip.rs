//! IP interfaces, address objects and interface properties (what ipmgmtd and the IP
//! module hold).

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use serde::{Deserialize, Serialize};

use super::ifprop::prop_key;
use super::{LinkKind, NetStore};
use crate::sys::dladm::{parse_mac, validate_link_name};
use crate::sys::ipadm::{Cidr, parse_ip, split_addrobj, validate_addrobj};
use crate::sys::routeadm::RouteOption;

/// libipadm status texts the sim returns.
pub mod status {
    pub const BAD_ADDR: &str = "Invalid address";
    pub const IF_EXISTS: &str = "Interface already exists";
    pub const ADDROBJ_EXISTS: &str = "Address object already exists";
    pub const ADDRCONF_EXISTS: &str = "Addrconf already in progress";
    pub const EXISTS: &str = "Already exists";
    pub const NOSUCH_IF: &str = "Interface does not exist";
    pub const INVALID_ARG: &str = "Invalid argument provided";
    pub const DLPI_FAILURE: &str = "Could not open DLPI link";
    pub const DLPI_NOLINK: &str = "Datalink does not exist";
    pub const PROP_UNKNOWN: &str = "Unknown property";
    pub const ERANGE: &str = "Value is outside the allowed range";
    pub const NOTFOUND: &str = "Object not found";
    pub const NOTSUP: &str = "Operation not supported";
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Proto {
    Ipv4,
    Ipv6,
}

impl Proto {
    pub fn parse(text: &str) -> Option<Proto> {
        match text {
            "ipv4" => Some(Proto::Ipv4),
            "ipv6" => Some(Proto::Ipv6),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Proto::Ipv4 => "ipv4",
            Proto::Ipv6 => "ipv6",
        }
    }

    fn forwarding_option(self) -> RouteOption {
        match self {
            Proto::Ipv4 => RouteOption::Ipv4Forwarding,
            Proto::Ipv6 => RouteOption::Ipv6Forwarding,
        }
    }
}

/// An interface property's values. `current` None means the default.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct IfPropVal {
    pub current: Option<String>,
    pub persistent: Option<String>,
}

/// An IP interface (IPv4 and/or IPv6 plumbed on a datalink, or the loopback).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IpIf {
    /// Plumbing order: interfaces and their addresses are listed in it.
    pub seq: u64,
    pub loopback: bool,
    pub v4: bool,
    pub v6: bool,
    pub temporary: bool,
    /// Keyed `ipv4/forwarding`.
    pub props: BTreeMap<String, IfPropVal>,
}

impl IpIf {
    /// `CURRENT` flags: b m 4 6 p v s l i V a Z.
    pub fn current_flags(&self) -> String {
        let flag = |on: bool, c: char| if on { c } else { '-' };
        let mut s = String::new();
        s.push(flag(self.v4 && !self.loopback, 'b'));
        s.push('m');
        s.push(flag(self.v4, '4'));
        s.push(flag(self.v6, '6'));
        s.push('-');
        s.push(flag(self.loopback, 'v'));
        s.push_str("------");
        s
    }

    /// `PERSISTENT` flags: 4 6 s l.
    pub fn persistent_flags(&self) -> String {
        let flag = |on: bool, c: char| if on && !self.temporary { c } else { '-' };
        format!("{}{}--", flag(self.v4, '4'), flag(self.v6, '6'))
    }

    pub fn has(&self, proto: Proto) -> bool {
        match proto {
            Proto::Ipv4 => self.v4,
            Proto::Ipv6 => self.v6,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AddrKind {
    Static,
    Dhcp,
    Addrconf,
}

impl AddrKind {
    pub fn parse(text: &str) -> Option<AddrKind> {
        match text {
            "static" => Some(AddrKind::Static),
            "dhcp" => Some(AddrKind::Dhcp),
            "addrconf" => Some(AddrKind::Addrconf),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AddrKind::Static => "static",
            AddrKind::Dhcp => "dhcp",
            AddrKind::Addrconf => "addrconf",
        }
    }
}

/// An address object, `igb0/v4`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddrObj {
    pub seq: u64,
    pub ifname: String,
    pub kind: AddrKind,
    pub v6: bool,
    /// None while a DHCP lease is pending.
    pub addr: Option<IpAddr>,
    pub prefix: u8,
    pub up: bool,
    pub temporary: bool,
}

impl AddrObj {
    /// The ADDR column: `10.0.0.5/24`, or `?` for a DHCP address without a lease.
    pub fn addr_text(&self) -> String {
        match self.addr {
            Some(a) if self.prefix > 0 => format!("{a}/{}", self.prefix),
            Some(a) => a.to_string(),
            None => "?".into(),
        }
    }

    pub fn proto(&self) -> Proto {
        if self.v6 { Proto::Ipv6 } else { Proto::Ipv4 }
    }
}

impl NetStore {
    pub(super) fn plumb_loopback(&mut self) {
        let seq = self.next_seq();
        self.ifs.insert(
            "lo0".into(),
            IpIf {
                seq,
                loopback: true,
                v4: true,
                v6: true,
                temporary: false,
                props: BTreeMap::new(),
            },
        );
        for (name, addr, prefix) in [
            ("lo0/v4", IpAddr::V4(Ipv4Addr::LOCALHOST), 8),
            ("lo0/v6", IpAddr::V6(Ipv6Addr::LOCALHOST), 128),
        ] {
            let seq = self.next_seq();
            self.addrs.insert(
                name.into(),
                AddrObj {
                    seq,
                    ifname: "lo0".into(),
                    kind: AddrKind::Static,
                    v6: addr.is_ipv6(),
                    addr: Some(addr),
                    prefix,
                    up: true,
                    temporary: false,
                },
            );
        }
    }

    /// `ipadm create-ip IF`: plumb IPv4 and IPv6 on a datalink.
    pub fn create_ip(&mut self, ifname: &str) -> Result<(), String> {
        self.create_ip_with(ifname, false)
    }

    pub fn create_ip_with(&mut self, ifname: &str, temporary: bool) -> Result<(), String> {
        if validate_link_name(ifname).is_err() {
            return Err(status::INVALID_ARG.into());
        }
        if self.ifs.contains_key(ifname) {
            return Err(status::IF_EXISTS.into());
        }
        match self.links.get(ifname).map(|l| &l.kind) {
            None => return Err(status::DLPI_NOLINK.into()),
            // An etherstub has no DLPI device, and a link a zone holds is not the global
            // zone's to open.
            Some(LinkKind::Etherstub) => return Err(status::DLPI_FAILURE.into()),
            Some(LinkKind::Vnic(v)) if v.zone.is_some() => {
                return Err(status::DLPI_FAILURE.into());
            }
            Some(_) => {}
        }
        let mut props = BTreeMap::new();
        for proto in [Proto::Ipv4, Proto::Ipv6] {
            // New interfaces inherit the global forwarding setting (IFF_ROUTER).
            if self.routing.current(proto.forwarding_option()) {
                props.insert(
                    prop_key(Some(proto), "forwarding"),
                    IfPropVal {
                        current: Some("on".into()),
                        persistent: None,
                    },
                );
            }
        }
        let seq = self.next_seq();
        self.ifs.insert(
            ifname.to_string(),
            IpIf {
                seq,
                loopback: false,
                v4: true,
                v6: true,
                temporary,
                props,
            },
        );
        Ok(())
    }

    /// `ipadm delete-ip IF`: unplumb it with its addresses.
    pub fn delete_ip(&mut self, ifname: &str) -> Result<(), String> {
        if self.ifs.remove(ifname).is_none() {
            return Err(status::NOSUCH_IF.into());
        }
        self.addrs.retain(|_, a| a.ifname != ifname);
        Ok(())
    }

    pub fn ip_interface(&self, ifname: &str) -> Option<&IpIf> {
        self.ifs.get(ifname)
    }

    /// IP interfaces in plumbing order (lo0 first).
    pub fn interfaces(&self) -> Vec<(&str, &IpIf)> {
        let mut all: Vec<(&str, &IpIf)> = self.ifs.iter().map(|(n, i)| (n.as_str(), i)).collect();
        all.sort_by_key(|(_, i)| i.seq);
        all
    }

    /// An interface is `ok` with an address up on it, else `down`.
    pub fn interface_up(&self, ifname: &str) -> bool {
        self.addrs.values().any(|a| a.ifname == ifname && a.up)
    }

    /// Address objects as `ipadm show-addr` lists them: all IPv4 ones, then all IPv6 ones,
    /// each in interface plumbing order.
    pub fn addresses(&self) -> Vec<(&str, &AddrObj)> {
        let mut all: Vec<(&str, &AddrObj)> =
            self.addrs.iter().map(|(n, a)| (n.as_str(), a)).collect();
        all.sort_by_key(|(_, a)| {
            let if_seq = self.ifs.get(&a.ifname).map_or(u64::MAX, |i| i.seq);
            (a.v6, if_seq, a.seq)
        });
        all
    }

    pub fn address(&self, addrobj: &str) -> Option<&AddrObj> {
        self.addrs.get(addrobj)
    }

    /// `ipadm create-addr`: `kind` is static, dhcp or addrconf; `addr` the static
    /// `ADDR[/PREFIX]` (an IPv4 address without a prefix gets its classful netmask, IPv6
    /// /64).
    pub fn create_addr(
        &mut self,
        addrobj: &str,
        kind: &str,
        addr: Option<&str>,
    ) -> Result<(), String> {
        let kind = AddrKind::parse(kind).ok_or(status::INVALID_ARG)?;
        let cidr = match (kind, addr) {
            (AddrKind::Static, Some(a)) => Some(parse_local_addr(a)?),
            (AddrKind::Static, None) => return Err(status::BAD_ADDR.into()),
            _ => None,
        };
        self.create_addr_with(addrobj, kind, cidr, false)
    }

    /// Create an address object; for DHCP the lease comes from [`NetStore::dhcp_lease`].
    pub fn create_addr_with(
        &mut self,
        addrobj: &str,
        kind: AddrKind,
        cidr: Option<Cidr>,
        temporary: bool,
    ) -> Result<(), String> {
        validate_addrobj(addrobj).map_err(|_| status::INVALID_ARG)?;
        let (ifname, _) = split_addrobj(addrobj).expect("validated");
        let Some(intf) = self.ifs.get(ifname) else {
            return Err(status::NOSUCH_IF.into());
        };
        if self.addrs.contains_key(addrobj) {
            return Err(status::ADDROBJ_EXISTS.into());
        }
        let same_kind_on_if = |v6: bool| {
            self.addrs
                .values()
                .any(|a| a.ifname == ifname && a.kind == kind && a.v6 == v6)
        };
        let (v6, addr, prefix, up) = match kind {
            AddrKind::Static => {
                let c = cidr.ok_or(status::BAD_ADDR)?;
                if !intf.has(if c.is_ipv6() {
                    Proto::Ipv6
                } else {
                    Proto::Ipv4
                }) {
                    return Err(status::NOSUCH_IF.into());
                }
                (c.is_ipv6(), Some(c.addr), c.prefix, true)
            }
            AddrKind::Dhcp => {
                if same_kind_on_if(false) {
                    return Err(status::EXISTS.into());
                }
                match self.dhcp_lease(ifname) {
                    Some(c) => (false, Some(c.addr), c.prefix, true),
                    None => (false, None, 0, false),
                }
            }
            AddrKind::Addrconf => {
                if !intf.v6 || intf.loopback {
                    return Err(status::NOTSUP.into());
                }
                if same_kind_on_if(true) {
                    return Err(status::ADDRCONF_EXISTS.into());
                }
                let ll = self.link_mac(ifname).map(|m| m.link_local());
                (true, ll.map(IpAddr::V6), 10, true)
            }
        };
        let seq = self.next_seq();
        self.addrs.insert(
            addrobj.to_string(),
            AddrObj {
                seq,
                ifname: ifname.to_string(),
                kind,
                v6,
                addr,
                prefix,
                up,
                temporary,
            },
        );
        Ok(())
    }

    fn link_mac(&self, name: &str) -> Option<crate::sys::dladm::MacAddr> {
        let text = match &self.links.get(name)?.kind {
            LinkKind::Phys(p) => &p.mac,
            LinkKind::Vnic(v) => &v.mac,
            LinkKind::Etherstub => return None,
        };
        parse_mac(text).ok()
    }

    /// The lease the sim's LAN DHCP server hands out: physical NICs are on 192.168.1.0/24
    /// (addresses from .100 on, one per interface); nothing answers on other links.
    pub fn dhcp_lease(&self, ifname: &str) -> Option<Cidr> {
        match self.links.get(ifname)?.kind {
            LinkKind::Phys(_) => {}
            _ => return None,
        }
        let taken: Vec<IpAddr> = self.addrs.values().filter_map(|a| a.addr).collect();
        (100u8..=250)
            .map(|n| IpAddr::V4(Ipv4Addr::new(192, 168, 1, n)))
            .find(|a| !taken.contains(a))
            .map(|addr| Cidr { addr, prefix: 24 })
    }

    /// Mark an address up or down (`create-addr -d` leaves it down).
    pub fn set_addr_up(&mut self, addrobj: &str, up: bool) -> Result<(), String> {
        let a = self.addrs.get_mut(addrobj).ok_or(status::NOTFOUND)?;
        a.up = up && a.addr.is_some();
        Ok(())
    }

    /// `ipadm delete-addr IF/NAME`
    pub fn delete_addr(&mut self, addrobj: &str) -> Result<(), String> {
        self.addrs
            .remove(addrobj)
            .map(|_| ())
            .ok_or_else(|| status::NOTFOUND.to_string())
    }
}

/// Parse ipadm's `-a` address: `ADDR[/PREFIX]`. Without a prefix an IPv4 address gets its
/// classful mask (what the netmasks database falls back to) and IPv6 /64.
pub fn parse_local_addr(text: &str) -> Result<Cidr, String> {
    let (addr, prefix) = match text.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (text, None),
    };
    let addr = parse_ip(addr).map_err(|_| status::BAD_ADDR)?;
    let max = if addr.is_ipv6() { 128 } else { 32 };
    let prefix = match prefix {
        Some(p) => match p.parse::<u8>() {
            Ok(n) if n <= max => n,
            _ => return Err(status::INVALID_ARG.into()),
        },
        None => match addr {
            IpAddr::V4(a) => match a.octets()[0] {
                0..=127 => 8,
                128..=191 => 16,
                _ => 24,
            },
            IpAddr::V6(_) => 64,
        },
    };
    Ok(Cidr { addr, prefix })
}

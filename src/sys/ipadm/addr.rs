//! Addresses, prefixes and address object names as ipadm accepts them.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use serde::Serialize;

use crate::sys::dladm::validate_link_name;

/// The longest user part of an address object name (IPADM_AOBJ_USTRSIZ is 32 with NUL).
pub const MAX_ADDROBJ_NAME: usize = 31;

/// An address with its prefix length, `10.0.0.5/24` or `2001:db8::1/64`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(into = "String")]
pub struct Cidr {
    pub addr: IpAddr,
    pub prefix: u8,
}

impl Cidr {
    pub fn is_ipv6(&self) -> bool {
        self.addr.is_ipv6()
    }

    /// The network this address is in (host bits cleared), e.g. 10.0.0.0/24.
    pub fn network(&self) -> Cidr {
        let addr = match self.addr {
            IpAddr::V4(a) => IpAddr::V4(Ipv4Addr::from(u32::from(a) & mask32(self.prefix))),
            IpAddr::V6(a) => IpAddr::V6(Ipv6Addr::from(u128::from(a) & mask128(self.prefix))),
        };
        Cidr {
            addr,
            prefix: self.prefix,
        }
    }

    /// The IPv4 netmask (`255.255.255.0` for /24); None for IPv6.
    pub fn netmask(&self) -> Option<Ipv4Addr> {
        match self.addr {
            IpAddr::V4(_) => Some(Ipv4Addr::from(mask32(self.prefix))),
            IpAddr::V6(_) => None,
        }
    }

    /// Whether `ip` lies in this network.
    pub fn contains(&self, ip: &IpAddr) -> bool {
        match (self.addr, ip) {
            (IpAddr::V4(n), IpAddr::V4(a)) => {
                let m = mask32(self.prefix);
                u32::from(n) & m == u32::from(*a) & m
            }
            (IpAddr::V6(n), IpAddr::V6(a)) => {
                let m = mask128(self.prefix);
                u128::from(n) & m == u128::from(*a) & m
            }
            _ => false,
        }
    }
}

fn mask32(prefix: u8) -> u32 {
    if prefix == 0 {
        0
    } else {
        u32::MAX << (32 - u32::from(prefix.min(32)))
    }
}

fn mask128(prefix: u8) -> u128 {
    if prefix == 0 {
        0
    } else {
        u128::MAX << (128 - u32::from(prefix.min(128)))
    }
}

impl std::fmt::Display for Cidr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

impl From<Cidr> for String {
    fn from(c: Cidr) -> String {
        c.to_string()
    }
}

impl std::str::FromStr for Cidr {
    type Err = String;
    fn from_str(s: &str) -> Result<Cidr, String> {
        parse_cidr(s)
    }
}

/// Parse an IPv4 or IPv6 address (no prefix, no hostname).
pub fn parse_ip(text: &str) -> Result<IpAddr, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("IP address is empty".into());
    }
    t.parse().map_err(|_| {
        if t.contains(':') {
            format!("'{t}' is not a valid IPv6 address")
        } else {
            format!(
                "'{t}' is not a valid IPv4 address (expected four numbers 0-255, e.g. 10.0.0.5)"
            )
        }
    })
}

/// Parse `ADDR/PREFIX` (the prefix is required: /0–32 for IPv4, /0–128 for IPv6).
pub fn parse_cidr(text: &str) -> Result<Cidr, String> {
    let t = text.trim();
    let Some((addr, prefix)) = t.split_once('/') else {
        return Err(format!(
            "'{t}' has no prefix length: write it as address/prefix, e.g. 10.0.0.5/24"
        ));
    };
    let addr = parse_ip(addr)?;
    let max = if addr.is_ipv6() { 128 } else { 32 };
    let prefix: u8 = match prefix.parse::<u32>() {
        Ok(p) if p <= max => p as u8,
        Ok(p) => {
            return Err(format!(
                "prefix length /{p} is too long for {addr} (at most /{max})"
            ));
        }
        Err(_) => return Err(format!("prefix length '{prefix}' in '{t}' is not a number")),
    };
    Ok(Cidr { addr, prefix })
}

/// Split `IF/NAME` into the interface and the name (None for a bare `IF/`).
pub fn split_addrobj(addrobj: &str) -> Option<(&str, Option<&str>)> {
    let (ifname, name) = addrobj.split_once('/')?;
    Some((ifname, (!name.is_empty()).then_some(name)))
}

/// Check an address object name, `IF/NAME`: a valid interface name, and a name of at most
/// 31 letters and digits starting with a letter (libipadm's rules).
pub fn validate_addrobj(addrobj: &str) -> Result<(), String> {
    let Some((ifname, name)) = split_addrobj(addrobj) else {
        return Err(format!(
            "address object '{addrobj}' must be interface/name, e.g. igb0/v4"
        ));
    };
    validate_link_name(ifname).map_err(|e| format!("address object '{addrobj}': {e}"))?;
    let Some(name) = name else {
        return Err(format!(
            "address object '{addrobj}' has no name after '/', e.g. {ifname}/v4"
        ));
    };
    if name.len() > MAX_ADDROBJ_NAME {
        return Err(format!(
            "address object name '{name}' is too long ({} characters, at most {MAX_ADDROBJ_NAME})",
            name.len()
        ));
    }
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Err(format!(
            "address object name '{name}' must start with a letter"
        ));
    }
    if let Some(c) = name.chars().find(|c| !c.is_ascii_alphanumeric()) {
        return Err(format!(
            "address object name '{name}' contains {c:?}: only letters and digits are allowed"
        ));
    }
    Ok(())
}

//! ipadm(8): IP interfaces, address objects and interface properties. Parsers of
//! `show-addr -p -o …`, `show-if -p -o …` and `show-ifprop -c -o …`, argv builders, and
//! validators for addresses, prefixes and address object names.

mod addr;

use serde::Serialize;

pub use addr::{Cidr, parse_cidr, parse_ip, split_addrobj, validate_addrobj};

use super::fields::split_escaped;
use super::{Command, ParseError};

/// The fields [`show_addr`] asks for, in order.
pub const ADDR_FIELDS: &str = "addrobj,type,state,addr";
/// The fields [`show_if`] asks for, in order.
pub const IF_FIELDS: &str = "ifname,class,state,current,persistent";
/// The fields [`show_ifprop`] asks for, in order.
pub const IFPROP_FIELDS: &str = "ifname,property,proto,perm,current,persistent,default,possible";

/// How an address was configured (`TYPE`). `from-gz` appears inside a non-global zone for
/// addresses the global zone set (allowed-address).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AddrType {
    Static,
    Dhcp,
    Addrconf,
    FromGz,
}

impl AddrType {
    pub fn parse(text: &str) -> Option<AddrType> {
        match text {
            "static" => Some(AddrType::Static),
            "dhcp" => Some(AddrType::Dhcp),
            "addrconf" => Some(AddrType::Addrconf),
            "from-gz" => Some(AddrType::FromGz),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AddrType::Static => "static",
            AddrType::Dhcp => "dhcp",
            AddrType::Addrconf => "addrconf",
            AddrType::FromGz => "from-gz",
        }
    }
}

/// An address object's state (`STATE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AddrState {
    Ok,
    Tentative,
    Duplicate,
    Down,
    Disabled,
    Inaccessible,
}

impl AddrState {
    pub fn parse(text: &str) -> Option<AddrState> {
        match text {
            "ok" => Some(AddrState::Ok),
            "tentative" => Some(AddrState::Tentative),
            "duplicate" => Some(AddrState::Duplicate),
            "down" => Some(AddrState::Down),
            "disabled" => Some(AddrState::Disabled),
            "inaccessible" => Some(AddrState::Inaccessible),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AddrState::Ok => "ok",
            AddrState::Tentative => "tentative",
            AddrState::Duplicate => "duplicate",
            AddrState::Down => "down",
            AddrState::Disabled => "disabled",
            AddrState::Inaccessible => "inaccessible",
        }
    }
}

/// One line of `ipadm show-addr -p -o addrobj,type,state,addr`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Addr {
    /// `igb0/v4`; `igb0/?` for an address without an object name.
    pub addrobj: String,
    /// The interface part of `addrobj`.
    pub ifname: String,
    #[serde(rename = "type")]
    pub kind: AddrType,
    pub state: AddrState,
    /// As ipadm prints it (`10.0.0.5/24`, `::1/128`, `a->b` for point-to-point); None for
    /// `?` (a DHCP address not yet leased).
    pub addr: Option<String>,
    /// The local address, when `addr` is an address (not a hostname of a disabled object).
    pub ip: Option<std::net::IpAddr>,
    /// The prefix length, when ipadm printed one.
    pub prefix_len: Option<u8>,
}

/// An IP interface's class (`CLASS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum IfClass {
    Loopback,
    Ip,
    Ipmp,
    Vni,
}

impl IfClass {
    pub fn parse(text: &str) -> Option<IfClass> {
        match text {
            "loopback" => Some(IfClass::Loopback),
            "ip" => Some(IfClass::Ip),
            "ipmp" => Some(IfClass::Ipmp),
            "vni" => Some(IfClass::Vni),
            _ => None,
        }
    }
}

/// An IP interface's state (`STATE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum IfState {
    Ok,
    Down,
    Disabled,
    Failed,
    Offline,
}

impl IfState {
    pub fn parse(text: &str) -> Option<IfState> {
        match text {
            "ok" => Some(IfState::Ok),
            "down" => Some(IfState::Down),
            "disabled" => Some(IfState::Disabled),
            "failed" => Some(IfState::Failed),
            "offline" => Some(IfState::Offline),
            _ => None,
        }
    }
}

/// One line of `ipadm show-if -p -o ifname,class,state,current,persistent`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Interface {
    pub ifname: String,
    pub class: IfClass,
    pub state: IfState,
    /// The active flags, one position each (`bm46--------`: broadcast, multicast, IPv4, IPv6,
    /// point-to-point, virtual, standby, underlying, inactive, VRRP, no-accept, L3 protect).
    pub current: String,
    /// The persistent flags (`46--`: IPv4, IPv6, standby, underlying).
    pub persistent: String,
    /// IPv4 is plumbed.
    pub ipv4: bool,
    /// IPv6 is plumbed.
    pub ipv6: bool,
}

/// One line of `ipadm show-ifprop -c -o ifname,property,proto,perm,current,persistent,
/// default,possible`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IfProp {
    pub ifname: String,
    pub property: String,
    pub proto: String,
    /// `rw`, `r-`.
    pub perm: String,
    pub current: Option<String>,
    /// None when not set persistently.
    pub persistent: Option<String>,
    pub default: Option<String>,
    /// The values ipadm lists as possible (`on,off`), or a range such as `68-9000`.
    pub possible: Vec<String>,
}

/// The protocol an interface property belongs to (`-m`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Proto {
    Ip,
    Ipv4,
    Ipv6,
}

impl Proto {
    pub fn as_str(self) -> &'static str {
        match self {
            Proto::Ip => "ip",
            Proto::Ipv4 => "ipv4",
            Proto::Ipv6 => "ipv6",
        }
    }
}

/// `ipadm show-addr -p -o addrobj,type,state,addr`
pub fn show_addr() -> Command {
    Command::read("ipadm").args(["show-addr", "-p", "-o", ADDR_FIELDS])
}

/// `ipadm show-if -p -o ifname,class,state,current,persistent`
pub fn show_if() -> Command {
    Command::read("ipadm").args(["show-if", "-p", "-o", IF_FIELDS])
}

/// `ipadm show-ifprop -c -o … -p PROP [-m PROTO] [IF]`
pub fn show_ifprop(prop: &str, proto: Option<Proto>, ifname: Option<&str>) -> Command {
    let mut cmd =
        Command::read("ipadm").args(["show-ifprop", "-c", "-o", IFPROP_FIELDS, "-p", prop]);
    if let Some(proto) = proto {
        cmd = cmd.args(["-m", proto.as_str()]);
    }
    if let Some(ifname) = ifname {
        cmd = cmd.arg(ifname);
    }
    cmd
}

/// `ipadm create-ip IF` (IPv4 and IPv6). Older releases call it `create-if`; the OmniOS
/// releases zcon supports have `create-ip`.
pub fn create_ip(ifname: &str) -> Command {
    Command::mutating("ipadm").args(["create-ip", ifname])
}

/// `ipadm delete-ip IF` (removes its addresses too).
pub fn delete_ip(ifname: &str) -> Command {
    Command::mutating("ipadm").args(["delete-ip", ifname])
}

/// `ipadm create-addr -T static -a ADDR/PREFIX IF/NAME`
pub fn create_static_addr(addrobj: &str, cidr: &Cidr) -> Command {
    Command::mutating("ipadm").args([
        "create-addr".to_string(),
        "-T".into(),
        "static".into(),
        "-a".into(),
        cidr.to_string(),
        addrobj.to_string(),
    ])
}

/// `ipadm create-addr -T dhcp IF/NAME`
pub fn create_dhcp_addr(addrobj: &str) -> Command {
    Command::mutating("ipadm").args(["create-addr", "-T", "dhcp", addrobj])
}

/// `ipadm create-addr -T addrconf IF/NAME` (IPv6 link-local and autoconfiguration).
pub fn create_addrconf_addr(addrobj: &str) -> Command {
    Command::mutating("ipadm").args(["create-addr", "-T", "addrconf", addrobj])
}

/// `ipadm delete-addr IF/NAME`
pub fn delete_addr(addrobj: &str) -> Command {
    Command::mutating("ipadm").args(["delete-addr", addrobj])
}

/// `ipadm set-ifprop -p PROP=VALUE -m PROTO IF`, e.g. forwarding=on for ipv4.
pub fn set_ifprop(ifname: &str, proto: Proto, prop: &str, value: &str) -> Command {
    Command::mutating("ipadm").args([
        "set-ifprop".to_string(),
        "-p".into(),
        format!("{prop}={value}"),
        "-m".into(),
        proto.as_str().into(),
        ifname.into(),
    ])
}

/// `ipadm reset-ifprop -p PROP -m PROTO IF`
pub fn reset_ifprop(ifname: &str, proto: Proto, prop: &str) -> Command {
    Command::mutating("ipadm").args(["reset-ifprop", "-p", prop, "-m", proto.as_str(), ifname])
}

fn records<'a>(
    text: &'a str,
    source: &'a str,
    n: usize,
) -> impl Iterator<Item = Result<(usize, Vec<String>), ParseError>> + 'a {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.is_empty())
        .map(move |(i, line)| {
            let f = split_escaped(line, ':');
            if f.len() != n {
                return Err(ParseError::new(
                    source,
                    i + 1,
                    format!("expected {n} ':'-separated fields, found {}", f.len()),
                ));
            }
            Ok((i + 1, f))
        })
}

fn known<T>(
    parsed: Option<T>,
    source: &str,
    line: usize,
    what: &str,
    text: &str,
) -> Result<T, ParseError> {
    parsed.ok_or_else(|| ParseError::new(source, line, format!("unknown {what} '{text}'")))
}

/// Parse `ipadm show-addr -p -o addrobj,type,state,addr`.
pub fn parse_show_addr(text: &str) -> Result<Vec<Addr>, ParseError> {
    const SOURCE: &str = "ipadm show-addr";
    records(text, SOURCE, 4)
        .map(|r| {
            let (line, f) = r?;
            let Some((ifname, _)) = f[0].split_once('/') else {
                return Err(ParseError::new(
                    SOURCE,
                    line,
                    format!("address object '{}' has no '/'", f[0]),
                ));
            };
            let kind = known(AddrType::parse(&f[1]), SOURCE, line, "address type", &f[1])?;
            let state = known(
                AddrState::parse(&f[2]),
                SOURCE,
                line,
                "address state",
                &f[2],
            )?;
            let addr = (f[3] != "?" && !f[3].is_empty()).then(|| f[3].clone());
            let (ip, prefix_len) = match &addr {
                Some(a) if !a.contains("->") => {
                    let (ip, plen) = match a.split_once('/') {
                        Some((ip, plen)) => (ip, plen.parse::<u8>().ok()),
                        None => (a.as_str(), None),
                    };
                    (ip.parse().ok(), plen)
                }
                Some(a) => (a.split("->").next().and_then(|s| s.parse().ok()), None),
                None => (None, None),
            };
            Ok(Addr {
                addrobj: f[0].clone(),
                ifname: ifname.to_string(),
                kind,
                state,
                addr,
                ip,
                prefix_len,
            })
        })
        .collect()
}

/// Parse `ipadm show-if -p -o ifname,class,state,current,persistent`.
pub fn parse_show_if(text: &str) -> Result<Vec<Interface>, ParseError> {
    const SOURCE: &str = "ipadm show-if";
    records(text, SOURCE, 5)
        .map(|r| {
            let (line, f) = r?;
            let class = known(
                IfClass::parse(&f[1]),
                SOURCE,
                line,
                "interface class",
                &f[1],
            )?;
            let state = known(
                IfState::parse(&f[2]),
                SOURCE,
                line,
                "interface state",
                &f[2],
            )?;
            Ok(Interface {
                ifname: f[0].clone(),
                class,
                state,
                ipv4: f[3].contains('4'),
                ipv6: f[3].contains('6'),
                current: f[3].clone(),
                persistent: f[4].clone(),
            })
        })
        .collect()
}

/// Parse `ipadm show-ifprop -c -o ifname,property,proto,perm,current,persistent,default,
/// possible`. An unset value is empty.
pub fn parse_show_ifprop(text: &str) -> Result<Vec<IfProp>, ParseError> {
    let opt = |s: &String| (!s.is_empty() && s != "--").then(|| s.clone());
    records(text, "ipadm show-ifprop", 8)
        .map(|r| {
            let (_, f) = r?;
            Ok(IfProp {
                ifname: f[0].clone(),
                property: f[1].clone(),
                proto: f[2].clone(),
                perm: f[3].clone(),
                current: opt(&f[4]),
                persistent: opt(&f[5]),
                default: opt(&f[6]),
                possible: f[7]
                    .split(',')
                    .filter(|s| !s.is_empty() && *s != "--")
                    .map(str::to_string)
                    .collect(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests;

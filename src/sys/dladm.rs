//! dladm(8): datalinks. Parsers of `show-link`, `show-phys`, `show-vnic` and `show-etherstub`
//! in parseable form (`-p -o …`, libinetutil ofmt: `:`-separated, with more than one field a
//! literal `:` or `\` inside a value gets a backslash), argv builders for VNICs and etherstubs,
//! and validators for link names, MAC addresses and VLAN ids.

mod validate;

use serde::Serialize;

pub use validate::{MacAddr, parse_mac, parse_vid, validate_link_name};

use super::fields::split_escaped;
use super::{Command, ParseError};

/// The fields [`show_link`] asks for, in order.
pub const LINK_FIELDS: &str = "link,class,mtu,state,bridge,over";
/// The fields [`show_phys`] asks for, in order.
pub const PHYS_FIELDS: &str = "link,media,state,speed,duplex,device";
/// The fields [`show_vnic`] asks for, in order. `zone` exists since illumos added it for
/// OmniOS/SmartOS-style zone-owned VNICs.
pub const VNIC_FIELDS: &str = "link,over,speed,macaddress,macaddrtype,vid,zone";

/// A datalink's class, as `dladm show-link` names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(into = "String")]
pub enum LinkClass {
    Phys,
    Vlan,
    Aggr,
    Vnic,
    Etherstub,
    Iptun,
    Simnet,
    Bridge,
    Part,
    Overlay,
    /// A class this parser does not know (newer illumos); kept verbatim.
    Other(String),
}

impl LinkClass {
    pub fn parse(text: &str) -> LinkClass {
        match text {
            "phys" => LinkClass::Phys,
            "vlan" => LinkClass::Vlan,
            "aggr" => LinkClass::Aggr,
            "vnic" => LinkClass::Vnic,
            "etherstub" => LinkClass::Etherstub,
            "iptun" => LinkClass::Iptun,
            "simnet" => LinkClass::Simnet,
            "bridge" => LinkClass::Bridge,
            "part" => LinkClass::Part,
            "overlay" => LinkClass::Overlay,
            other => LinkClass::Other(other.to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            LinkClass::Phys => "phys",
            LinkClass::Vlan => "vlan",
            LinkClass::Aggr => "aggr",
            LinkClass::Vnic => "vnic",
            LinkClass::Etherstub => "etherstub",
            LinkClass::Iptun => "iptun",
            LinkClass::Simnet => "simnet",
            LinkClass::Bridge => "bridge",
            LinkClass::Part => "part",
            LinkClass::Overlay => "overlay",
            LinkClass::Other(s) => s,
        }
    }

    /// Whether a VNIC may be created over a link of this class (libdladm refuses VNICs over
    /// VNICs and VLANs).
    pub fn can_carry_vnic(&self) -> bool {
        !matches!(self, LinkClass::Vnic | LinkClass::Vlan)
    }
}

impl From<LinkClass> for String {
    fn from(c: LinkClass) -> String {
        c.as_str().to_string()
    }
}

/// A link's state (`get_linkstate`: up, down or unknown — etherstubs are `unknown`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkState {
    Up,
    Down,
    Unknown,
}

impl LinkState {
    pub fn parse(text: &str) -> Option<LinkState> {
        match text {
            "up" => Some(LinkState::Up),
            "down" => Some(LinkState::Down),
            "unknown" => Some(LinkState::Unknown),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            LinkState::Up => "up",
            LinkState::Down => "down",
            LinkState::Unknown => "unknown",
        }
    }
}

/// One line of `dladm show-link -p -o link,class,mtu,state,bridge,over`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    pub link: String,
    pub class: LinkClass,
    /// None when dladm prints nothing (persistent-only links).
    pub mtu: Option<u32>,
    pub state: Option<LinkState>,
    pub bridge: Option<String>,
    /// The links this one sits on: one for a VNIC or VLAN, the ports of an aggregation
    /// (dladm joins them with `,`), none for physical links and etherstubs.
    pub over: Vec<String>,
}

/// One line of `dladm show-phys -p -o link,media,state,speed,duplex,device`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PhysLink {
    pub link: String,
    /// e.g. `Ethernet`.
    pub media: String,
    pub state: LinkState,
    /// Mbit/s (0 while the link is down).
    pub speed: u64,
    /// `full`, `half` or `unknown`.
    pub duplex: String,
    /// The driver instance, e.g. `igb0`.
    pub device: String,
}

/// How a VNIC got its MAC address (`MACADDRTYPE`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(into = "String")]
pub enum MacAddrType {
    Fixed,
    Random,
    /// A factory address of the underlying NIC (`factory, slot N`).
    Factory(u32),
    /// A VRRP virtual router address (`vrrp, VRID/inet`).
    Vrrp(String),
}

impl MacAddrType {
    pub fn parse(text: &str) -> Option<MacAddrType> {
        match text {
            "fixed" => Some(MacAddrType::Fixed),
            "random" => Some(MacAddrType::Random),
            t => {
                if let Some(slot) = t.strip_prefix("factory, slot ") {
                    return slot.parse().ok().map(MacAddrType::Factory);
                }
                t.strip_prefix("vrrp, ")
                    .map(|v| MacAddrType::Vrrp(v.to_string()))
            }
        }
    }
}

impl std::fmt::Display for MacAddrType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MacAddrType::Fixed => f.write_str("fixed"),
            MacAddrType::Random => f.write_str("random"),
            MacAddrType::Factory(slot) => write!(f, "factory, slot {slot}"),
            MacAddrType::Vrrp(v) => write!(f, "vrrp, {v}"),
        }
    }
}

impl From<MacAddrType> for String {
    fn from(t: MacAddrType) -> String {
        t.to_string()
    }
}

/// One line of `dladm show-vnic -p -o link,over,speed,macaddress,macaddrtype,vid,zone`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Vnic {
    pub link: String,
    pub over: String,
    /// Mbit/s.
    pub speed: u64,
    /// In dladm's form (`2:8:20:a:b:c`), unescaped.
    pub mac: String,
    pub mac_type: MacAddrType,
    /// None for an untagged VNIC (dladm prints VID 0).
    pub vid: Option<u16>,
    /// The zone that holds the VNIC while it runs (dladm prints `--` otherwise, even in
    /// parseable mode).
    pub zone: Option<String>,
}

/// One line of `dladm show-etherstub -p` (the only field is the link name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Etherstub {
    pub link: String,
}

/// `dladm show-link -p -o link,class,mtu,state,bridge,over`
pub fn show_link() -> Command {
    Command::read("dladm").args(["show-link", "-p", "-o", LINK_FIELDS])
}

/// `dladm show-phys -p -o link,media,state,speed,duplex,device`
pub fn show_phys() -> Command {
    Command::read("dladm").args(["show-phys", "-p", "-o", PHYS_FIELDS])
}

/// `dladm show-vnic -p -o link,over,speed,macaddress,macaddrtype,vid,zone`
pub fn show_vnic() -> Command {
    Command::read("dladm").args(["show-vnic", "-p", "-o", VNIC_FIELDS])
}

/// `dladm show-etherstub -p` (its only field, `link`, is also its default).
pub fn show_etherstub() -> Command {
    Command::read("dladm").args(["show-etherstub", "-p"])
}

/// Where a new VNIC's MAC address comes from (`create-vnic -m`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MacSpec {
    /// No `-m`: a factory address if the NIC has a free one, else a random one.
    Auto,
    /// `-m random`: the illumos prefix 2:8:20 and random octets.
    Random,
    /// `-m factory [-n SLOT]`.
    Factory(Option<u32>),
    /// `-m MAC`.
    Fixed(MacAddr),
}

/// What `dladm create-vnic` is asked to make.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VnicSpec {
    pub name: String,
    pub over: String,
    pub mac: MacSpec,
    pub vid: Option<u16>,
    /// Link properties set at creation (`-p name=value,…`), e.g. `maxbw=100M`.
    pub props: Vec<(String, String)>,
    /// `-t`: gone at the next reboot.
    pub temporary: bool,
}

impl VnicSpec {
    pub fn new(name: &str, over: &str) -> VnicSpec {
        VnicSpec {
            name: name.to_string(),
            over: over.to_string(),
            mac: MacSpec::Auto,
            vid: None,
            props: Vec::new(),
            temporary: false,
        }
    }
}

/// `dladm create-vnic [-t] -l OVER [-m …] [-v VID] [-p prop=v,…] NAME`. The caller
/// validates the names first ([`validate_link_name`]).
pub fn create_vnic(spec: &VnicSpec) -> Command {
    let mut cmd = Command::mutating("dladm").arg("create-vnic");
    if spec.temporary {
        cmd = cmd.arg("-t");
    }
    cmd = cmd.args(["-l", spec.over.as_str()]);
    match &spec.mac {
        MacSpec::Auto => {}
        MacSpec::Random => cmd = cmd.args(["-m", "random"]),
        MacSpec::Factory(slot) => {
            cmd = cmd.args(["-m", "factory"]);
            if let Some(slot) = slot {
                cmd = cmd.args(["-n".to_string(), slot.to_string()]);
            }
        }
        MacSpec::Fixed(mac) => cmd = cmd.args(["-m".to_string(), mac.to_string()]),
    }
    if let Some(vid) = spec.vid {
        cmd = cmd.args(["-v".to_string(), vid.to_string()]);
    }
    if !spec.props.is_empty() {
        let props: Vec<String> = spec.props.iter().map(|(k, v)| format!("{k}={v}")).collect();
        cmd = cmd.args(["-p".to_string(), props.join(",")]);
    }
    cmd.arg(spec.name.as_str())
}

/// `dladm delete-vnic NAME`
pub fn delete_vnic(name: &str) -> Command {
    Command::mutating("dladm").args(["delete-vnic", name])
}

/// `dladm create-etherstub NAME`
pub fn create_etherstub(name: &str) -> Command {
    Command::mutating("dladm").args(["create-etherstub", name])
}

/// `dladm delete-etherstub NAME`
pub fn delete_etherstub(name: &str) -> Command {
    Command::mutating("dladm").args(["delete-etherstub", name])
}

/// Split parseable output into lines of exactly `n` fields.
fn records<'a>(
    text: &'a str,
    source: &'a str,
    n: usize,
) -> impl Iterator<Item = Result<(usize, Vec<String>), ParseError>> + 'a {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.is_empty())
        .map(move |(i, line)| {
            let f = if n == 1 {
                vec![line.to_string()]
            } else {
                split_escaped(line, ':')
            };
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

fn opt(s: &str) -> Option<String> {
    (!s.is_empty() && s != "--").then(|| s.to_string())
}

fn number<T: std::str::FromStr>(
    source: &str,
    line: usize,
    what: &str,
    s: &str,
) -> Result<T, ParseError> {
    s.parse()
        .map_err(|_| ParseError::new(source, line, format!("{what} '{s}' is not a number")))
}

/// Parse `dladm show-link -p -o link,class,mtu,state,bridge,over`.
pub fn parse_show_link(text: &str) -> Result<Vec<Link>, ParseError> {
    const SOURCE: &str = "dladm show-link";
    records(text, SOURCE, 6)
        .map(|r| {
            let (line, f) = r?;
            let mtu = match f[2].as_str() {
                "" => None,
                s => Some(number(SOURCE, line, "MTU", s)?),
            };
            let state = match f[3].as_str() {
                "" => None,
                s => Some(LinkState::parse(s).ok_or_else(|| {
                    ParseError::new(SOURCE, line, format!("unknown link state '{s}'"))
                })?),
            };
            Ok(Link {
                link: nonempty(SOURCE, line, "link name", &f[0])?,
                class: LinkClass::parse(&f[1]),
                mtu,
                state,
                bridge: opt(&f[4]),
                over: f[5]
                    .split([',', ' '])
                    .filter(|s| !s.is_empty() && *s != "--")
                    .map(str::to_string)
                    .collect(),
            })
        })
        .collect()
}

fn nonempty(source: &str, line: usize, what: &str, s: &str) -> Result<String, ParseError> {
    if s.is_empty() {
        return Err(ParseError::new(source, line, format!("empty {what}")));
    }
    Ok(s.to_string())
}

/// Parse `dladm show-phys -p -o link,media,state,speed,duplex,device`.
pub fn parse_show_phys(text: &str) -> Result<Vec<PhysLink>, ParseError> {
    const SOURCE: &str = "dladm show-phys";
    records(text, SOURCE, 6)
        .map(|r| {
            let (line, f) = r?;
            Ok(PhysLink {
                link: nonempty(SOURCE, line, "link name", &f[0])?,
                media: f[1].clone(),
                state: LinkState::parse(&f[2]).ok_or_else(|| {
                    ParseError::new(SOURCE, line, format!("unknown link state '{}'", f[2]))
                })?,
                speed: number(SOURCE, line, "speed", &f[3])?,
                duplex: f[4].clone(),
                device: f[5].clone(),
            })
        })
        .collect()
}

/// Parse `dladm show-vnic -p -o link,over,speed,macaddress,macaddrtype,vid,zone`.
pub fn parse_show_vnic(text: &str) -> Result<Vec<Vnic>, ParseError> {
    const SOURCE: &str = "dladm show-vnic";
    records(text, SOURCE, 7)
        .map(|r| {
            let (line, f) = r?;
            let mac_type = MacAddrType::parse(&f[4]).ok_or_else(|| {
                ParseError::new(SOURCE, line, format!("unknown MAC address type '{}'", f[4]))
            })?;
            let vid: u16 = number(SOURCE, line, "VID", &f[5])?;
            Ok(Vnic {
                link: nonempty(SOURCE, line, "link name", &f[0])?,
                over: f[1].clone(),
                speed: number(SOURCE, line, "speed", &f[2])?,
                mac: f[3].clone(),
                mac_type,
                vid: (vid != 0).then_some(vid),
                zone: opt(&f[6]),
            })
        })
        .collect()
}

/// Parse `dladm show-etherstub -p` (one field: nothing is escaped).
pub fn parse_show_etherstub(text: &str) -> Result<Vec<Etherstub>, ParseError> {
    records(text, "dladm show-etherstub", 1)
        .map(|r| {
            let (_, mut f) = r?;
            Ok(Etherstub { link: f.remove(0) })
        })
        .collect()
}

#[cfg(test)]
mod tests;

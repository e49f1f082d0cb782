//! Datalinks, IP addresses, NAT, IP forwarding and DHCP.

use serde::Serialize;

use crate::sys::dhcpd::{DhcpHost, DhcpdConf, Subnet};
use crate::sys::ipadm::{self, Addr, IfProp, Proto};
use crate::sys::ipnat::list::ActiveRule;
use crate::sys::ipnat::{self, IpnatConf, NatRule};
use crate::sys::routeadm;

/// Where ipfilter's NAT rules are kept.
pub const IPNAT_CONF: &str = "/etc/ipf/ipnat.conf";

/// NAT: what ipnat.conf says, and what the kernel holds.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Nat {
    /// The rules of /etc/ipf/ipnat.conf (applied when ipfilter starts or refreshes).
    pub configured: Vec<NatRule>,
    /// The rules active in the kernel (`ipnat -l`); None when they could not be read.
    pub active: Option<Vec<ActiveRule>>,
    /// Why the active rules could not be read (e.g. ipfilter is not running).
    pub active_error: Option<String>,
}

/// IP forwarding: routeadm's global switches and the per-interface property.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Forwarding {
    pub routing: Option<routeadm::Report>,
    /// `forwarding` of every interface, IPv4 and IPv6.
    pub interfaces: Vec<IfProp>,
}

/// The ISC DHCP server's configuration.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Dhcp {
    pub subnets: Vec<Subnet>,
    pub hosts: Vec<DhcpHost>,
}

pub fn parse_addresses(text: &str) -> Result<Vec<Addr>, String> {
    ipadm::parse_show_addr(text).map_err(|e| e.to_string())
}

pub fn forwarding_props() -> crate::sys::Command {
    ipadm::show_ifprop("forwarding", None::<Proto>, None)
}

pub fn parse_nat_conf(text: Option<String>) -> Result<Vec<NatRule>, String> {
    match text {
        Some(text) => IpnatConf::parse(&text)
            .map(|c| c.rules())
            .map_err(|e| e.to_string()),
        None => Ok(Vec::new()),
    }
}

pub fn parse_nat_active(text: &str) -> Result<Vec<ActiveRule>, String> {
    ipnat::list::parse_list(text)
        .map(|l| l.rules)
        .map_err(|e| e.to_string())
}

pub fn parse_dhcp(text: Option<String>) -> Result<Option<Dhcp>, String> {
    let Some(text) = text else { return Ok(None) };
    let conf = DhcpdConf::parse(&text).map_err(|e| e.to_string())?;
    Ok(Some(Dhcp {
        subnets: conf.subnets(),
        hosts: conf.hosts(),
    }))
}

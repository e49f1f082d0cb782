//! IP Filter NAT: `/etc/ipf/ipnat.conf` (read, edit, write back), ipnat's rule grammar (to
//! validate a rule before it reaches the file, and to print rules as the kernel lists
//! them), `ipnat -l` parsing and the ipnat commands.

pub mod conf;
pub mod grammar;
pub mod lex;
pub mod list;
pub mod print;

use serde::{Deserialize, Serialize};

use super::Command;

pub use conf::{IpnatConf, NatError, check_rule, rule_fields};
pub use list::{ActiveRule, NatList, Session, parse_list};

/// Where the NAT rules live.
pub const CONF_PATH: &str = "/etc/ipf/ipnat.conf";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum NatKind {
    #[serde(rename = "map")]
    Map,
    #[serde(rename = "bimap")]
    Bimap,
    #[serde(rename = "rdr")]
    Rdr,
    #[serde(rename = "map-block")]
    MapBlock,
}

impl NatKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NatKind::Map => "map",
            NatKind::Bimap => "bimap",
            NatKind::Rdr => "rdr",
            NatKind::MapBlock => "map-block",
        }
    }
}

/// A rule of ipnat.conf.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NatRule {
    /// 0-based index among the file's rules.
    pub rule_id: usize,
    /// The rule as written (without a trailing comment).
    pub rule: String,
    #[serde(rename = "type")]
    pub kind: NatKind,
    pub interface: String,
    /// map/bimap/map-block: the source network; rdr: the destination address.
    pub subnet: String,
}

/// `ipnat -l`: the active rules and sessions.
pub fn list() -> Command {
    Command::mutating("ipnat").arg("-l")
}

/// `ipnat -f FILE`: add the file's rules to the active ones.
pub fn load(file: &str) -> Command {
    Command::mutating("ipnat").args(["-f", file])
}

/// `ipnat -CF -f FILE`: flush the active sessions (`-F`) and rules (`-C`), then load FILE.
pub fn reload(file: &str) -> Command {
    Command::mutating("ipnat").args(["-CF", "-f", file])
}

/// `ipnat -r -f FILE`: remove the file's rules from the active ones.
pub fn unload(file: &str) -> Command {
    Command::mutating("ipnat").args(["-r", "-f", file])
}

fn checked(rule: String) -> Result<String, NatError> {
    check_rule(&rule)?;
    Ok(rule)
}

/// A source NAT rule: `map IFACE SUBNET -> TARGET portmap PROTOCOL auto` (the usual one for
/// giving a private network access through IFACE), or without the portmap when
/// `protocol` is None. `target` is typically `0/32` (the interface's own address).
pub fn map_rule(
    interface: &str,
    subnet: &str,
    target: &str,
    protocol: Option<&str>,
) -> Result<String, NatError> {
    checked(match protocol {
        Some(p) => format!("map {interface} {subnet} -> {target} portmap {p} auto"),
        None => format!("map {interface} {subnet} -> {target}"),
    })
}

/// A 1:1 translation: `bimap IFACE INTERNAL -> EXTERNAL`.
pub fn bimap_rule(interface: &str, internal: &str, external: &str) -> Result<String, NatError> {
    checked(format!("bimap {interface} {internal} -> {external}"))
}

/// Port forwarding: `rdr IFACE EXT_IP port EXT_PORT -> INT_IP port INT_PORT PROTOCOL`.
pub fn rdr_rule(
    interface: &str,
    external_ip: &str,
    external_port: u16,
    internal_ip: &str,
    internal_port: u16,
    protocol: &str,
) -> Result<String, NatError> {
    checked(format!(
        "rdr {interface} {external_ip} port {external_port} -> {internal_ip} port {internal_port} {protocol}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builders_make_rules_ipnat_accepts() {
        assert_eq!(
            map_rule("igb0", "10.190.190.0/24", "0/32", Some("tcp/udp")).unwrap(),
            "map igb0 10.190.190.0/24 -> 0/32 portmap tcp/udp auto"
        );
        assert_eq!(
            rdr_rule("igb0", "192.168.1.10", 8080, "10.190.190.10", 80, "tcp").unwrap(),
            "rdr igb0 192.168.1.10 port 8080 -> 10.190.190.10 port 80 tcp"
        );
        assert!(bimap_rule("igb0", "10.0.0.300", "1.2.3.4").is_err());
        assert!(map_rule("igb0", "10.0.0.0/24;", "0/32", None).is_err());
        assert_eq!(
            reload(CONF_PATH).argv(),
            ["ipnat", "-CF", "-f", "/etc/ipf/ipnat.conf"]
        );
        assert_eq!(list().argv(), ["ipnat", "-l"]);
    }
}

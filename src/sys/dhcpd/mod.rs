//! ISC dhcpd's `/etc/dhcpd.conf`: the subnet declarations and fixed-address hosts zcon
//! manages, edited in place. Everything the model does not cover (comments, other
//! parameters and options, pools, groups, unknown statements) is kept verbatim.

mod tree;

use std::net::Ipv4Addr;

use serde::Serialize;

use super::ParseError;
use tree::{Body, Doc, Node};

/// Where ISC dhcpd reads its configuration on OmniOS.
pub const CONF_PATH: &str = "/etc/dhcpd.conf";

/// A `subnet … netmask … { … }` declaration, as far as zcon models it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Subnet {
    pub subnet: String,
    pub netmask: String,
    /// `option routers` (the first router).
    pub router: Option<String>,
    /// `range START END;`
    pub range_start: Option<String>,
    pub range_end: Option<String>,
    /// `option domain-name-servers A, B;`
    pub dns: Vec<String>,
}

/// A `host NAME { hardware ethernet MAC; fixed-address IP; }` declaration. A host that
/// identifies its client otherwise (client-identifier) has an empty `mac`; one without
/// a fixed address an empty `ip`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DhcpHost {
    pub hostname: String,
    pub mac: String,
    pub ip: String,
}

/// A top-level statement: `keyword` is its first word (`option NAME` for options) and
/// `value` the rest as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Statement {
    pub keyword: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
pub enum DhcpError {
    #[error("invalid MAC address {0:?}: expected six hex octets separated by \":\"")]
    InvalidMac(String),
    #[error("invalid IPv4 address {0:?}")]
    InvalidIp(String),
    #[error("invalid netmask {0:?}: the bits must be contiguous")]
    InvalidNetmask(String),
    #[error("invalid host name {0:?}: use letters, digits, \"-\", \"_\" and \".\"")]
    InvalidHostname(String),
    #[error("a host named {0:?} already exists")]
    DuplicateHostname(String),
    #[error("MAC address {mac} is already assigned to host {host:?}")]
    DuplicateMac { mac: String, host: String },
    #[error("IP address {ip} is already assigned to host {host:?}")]
    DuplicateIp { ip: String, host: String },
    #[error("{ip} is not inside any subnet declared in dhcpd.conf")]
    OutsideSubnets { ip: String },
    #[error("{what} {ip} is not inside subnet {subnet}/{netmask}")]
    OutsideSubnet {
        what: &'static str,
        ip: String,
        subnet: String,
        netmask: String,
    },
    #[error("{subnet} is not the network address of {subnet}/{netmask} (that is {network})")]
    NotNetworkAddress {
        subnet: String,
        netmask: String,
        network: String,
    },
    #[error("range start {start} comes after range end {end}")]
    RangeReversed { start: String, end: String },
    #[error("a range needs both a start and an end")]
    HalfRange,
    #[error("no host named {0:?}")]
    NoSuchHost(String),
}

pub fn parse_ip(s: &str) -> Result<Ipv4Addr, DhcpError> {
    s.parse().map_err(|_| DhcpError::InvalidIp(s.to_string()))
}

/// A MAC as dhcpd reads it: six octets of one or two hex digits. Returns the canonical
/// lower-case, two-digit form (`2:8:20:a:b:c` → `02:08:20:0a:0b:0c`).
pub fn normalize_mac(s: &str) -> Result<String, DhcpError> {
    let bad = || DhcpError::InvalidMac(s.to_string());
    let octets: Vec<&str> = s.split(':').collect();
    if octets.len() != 6 {
        return Err(bad());
    }
    let mut out = Vec::with_capacity(6);
    for o in octets {
        if o.is_empty() || o.len() > 2 || !o.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(bad());
        }
        out.push(format!(
            "{:02x}",
            u8::from_str_radix(o, 16).map_err(|_| bad())?
        ));
    }
    Ok(out.join(":"))
}

fn check_hostname(name: &str) -> Result<(), DhcpError> {
    let ok = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        && name.len() <= 253;
    if ok {
        Ok(())
    } else {
        Err(DhcpError::InvalidHostname(name.to_string()))
    }
}

fn prefix_of(mask: Ipv4Addr) -> Option<u32> {
    let m = u32::from(mask);
    let ones = m.leading_ones();
    (m.checked_shl(ones).unwrap_or(0) == 0).then_some(ones)
}

fn contains(net: Ipv4Addr, mask: Ipv4Addr, ip: Ipv4Addr) -> bool {
    u32::from(ip) & u32::from(mask) == u32::from(net) & u32::from(mask)
}

/// The parsed file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DhcpdConf {
    doc: Doc,
}

const SRC: &str = "/etc/dhcpd.conf";

/// Visit every node, depth first, with its path of indices.
fn walk<'a>(nodes: &'a [Node], path: &mut Vec<usize>, f: &mut dyn FnMut(&[usize], &'a Node)) {
    for (i, n) in nodes.iter().enumerate() {
        path.push(i);
        f(path, n);
        walk(n.children(), path, f);
        path.pop();
    }
}

fn is_host(n: &Node) -> bool {
    n.is_block() && n.words().first().is_some_and(|w| w == "host")
}

fn is_subnet(n: &Node) -> bool {
    n.is_block() && n.words().first().is_some_and(|w| w == "subnet")
}

fn stmt_words(n: &Node, first: &[&str]) -> Option<Vec<String>> {
    let w = n.words();
    (!n.is_block() && w.len() >= first.len() && w.iter().zip(first).all(|(a, b)| a == b))
        .then(|| w[first.len()..].to_vec())
}

/// Comma-separated values (`A, B, C`) without the commas.
fn list_values(words: Vec<String>) -> Vec<String> {
    words.into_iter().filter(|w| w != ",").collect()
}

fn read_subnet(n: &Node) -> Result<Subnet, ParseError> {
    let w = n.words();
    if w.len() != 4 || w[2] != "netmask" {
        return Err(ParseError::new(
            SRC,
            n.line,
            format!(
                "expected \"subnet ADDRESS netmask MASK {{\", got {:?}",
                w.join(" ")
            ),
        ));
    }
    for (what, v) in [("subnet address", &w[1]), ("netmask", &w[3])] {
        if v.parse::<Ipv4Addr>().is_err() {
            return Err(ParseError::new(
                SRC,
                n.line,
                format!("invalid {what} {v:?}"),
            ));
        }
    }
    let mut s = Subnet {
        subnet: w[1].clone(),
        netmask: w[3].clone(),
        router: None,
        range_start: None,
        range_end: None,
        dns: Vec::new(),
    };
    for c in n.children() {
        if let Some(v) = stmt_words(c, &["range"]) {
            let v: Vec<String> = v.into_iter().filter(|w| w != "dynamic-bootp").collect();
            s.range_start = v.first().cloned();
            s.range_end = v.get(1).or(v.first()).cloned();
        } else if let Some(v) = stmt_words(c, &["option", "routers"]) {
            s.router = list_values(v).into_iter().next();
        } else if let Some(v) = stmt_words(c, &["option", "domain-name-servers"]) {
            s.dns = list_values(v);
        }
    }
    Ok(s)
}

fn read_host(n: &Node) -> Result<DhcpHost, ParseError> {
    let w = n.words();
    let [_, name] = w.as_slice() else {
        return Err(ParseError::new(
            SRC,
            n.line,
            format!("expected \"host NAME {{\", got {:?}", w.join(" ")),
        ));
    };
    let mut host = DhcpHost {
        hostname: name.clone(),
        mac: String::new(),
        ip: String::new(),
    };
    for c in n.children() {
        if let Some(v) = stmt_words(c, &["hardware", "ethernet"]) {
            let mac = v.first().cloned().unwrap_or_default();
            normalize_mac(&mac)
                .map_err(|e| ParseError::new(SRC, c.line, format!("host {name}: {e}")))?;
            host.mac = mac;
        } else if let Some(v) = stmt_words(c, &["fixed-address"]) {
            host.ip = list_values(v).into_iter().next().unwrap_or_default();
        }
    }
    Ok(host)
}

/// Parse a generated fragment into its one node.
fn fragment(text: &str) -> Node {
    let mut doc = tree::parse(text, "generated").expect("generated dhcpd text parses");
    doc.nodes.remove(0)
}

fn host_text(h: &DhcpHost, indent: &str) -> String {
    format!(
        "host {} {{\n{indent}  hardware ethernet {};\n{indent}  fixed-address {};\n{indent}}}",
        h.hostname, h.mac, h.ip
    )
}

impl DhcpdConf {
    pub fn parse(text: &str) -> Result<DhcpdConf, ParseError> {
        let conf = DhcpdConf {
            doc: tree::parse(text, SRC)?,
        };
        let mut err = None;
        walk(&conf.doc.nodes, &mut Vec::new(), &mut |_, n| {
            let r = if is_subnet(n) {
                read_subnet(n).map(drop)
            } else if is_host(n) {
                read_host(n).map(drop)
            } else {
                Ok(())
            };
            if let (Err(e), None) = (r, &err) {
                err = Some(e);
            }
        });
        match err {
            Some(e) => Err(e),
            None => Ok(conf),
        }
    }

    pub fn render(&self) -> String {
        self.doc.render()
    }

    /// Top-level statements (global parameters and options), in file order.
    pub fn globals(&self) -> Vec<Statement> {
        self.doc
            .nodes
            .iter()
            .filter(|n| !n.is_block())
            .filter_map(|n| {
                let w = n.words();
                let n_key = if w.first().is_some_and(|k| k == "option") {
                    2
                } else {
                    1
                };
                (w.len() >= n_key).then(|| Statement {
                    keyword: w[..n_key].join(" "),
                    value: w[n_key..].join(" ").replace(" ,", ","),
                })
            })
            .collect()
    }

    /// Set (or with None remove) the top-level statement `keyword value;`
    /// (e.g. `default-lease-time`, `option domain-name`).
    pub fn set_global(&mut self, keyword: &str, value: Option<&str>) {
        let key: Vec<&str> = keyword.split_whitespace().collect();
        let nodes = &mut self.doc.nodes;
        let found = nodes.iter().position(|n| stmt_words(n, &key).is_some());
        match (found, value) {
            (Some(i), Some(v)) => nodes[i].body = Body::Stmt(format!("{keyword} {v};")),
            (Some(i), None) => remove_node(nodes, &mut self.doc.tail, i),
            (None, Some(v)) => {
                let at = nodes.iter().position(Node::is_block).unwrap_or(nodes.len());
                let mut node = fragment(&format!("{keyword} {v};"));
                node.lead = if at == 0 { String::new() } else { "\n".into() };
                if at == 0 && !nodes.is_empty() {
                    nodes[0].lead.insert(0, '\n');
                }
                nodes.insert(at, node);
                self.ensure_final_newline();
            }
            (None, None) => {}
        }
    }

    pub fn subnets(&self) -> Vec<Subnet> {
        let mut out = Vec::new();
        walk(&self.doc.nodes, &mut Vec::new(), &mut |_, n| {
            if is_subnet(n)
                && let Ok(s) = read_subnet(n)
            {
                out.push(s);
            }
        });
        out
    }

    /// Every host declaration, wherever it is (top level, in a subnet, group …).
    pub fn hosts(&self) -> Vec<DhcpHost> {
        let mut out = Vec::new();
        walk(&self.doc.nodes, &mut Vec::new(), &mut |_, n| {
            if is_host(n)
                && let Ok(h) = read_host(n)
            {
                out.push(h);
            }
        });
        out
    }

    fn find_paths(&self, pred: &dyn Fn(&Node) -> bool) -> Vec<Vec<usize>> {
        let mut out = Vec::new();
        walk(&self.doc.nodes, &mut Vec::new(), &mut |path, n| {
            if pred(n) {
                out.push(path.to_vec());
            }
        });
        out
    }

    /// The node list and closing blank text of the top level (empty path) or of the block
    /// at `path`.
    fn container_mut(&mut self, path: &[usize]) -> (&mut Vec<Node>, &mut String) {
        let Some((&first, rest)) = path.split_first() else {
            return (&mut self.doc.nodes, &mut self.doc.tail);
        };
        let mut node = &mut self.doc.nodes[first];
        for &i in rest {
            node = &mut node.children_mut().expect("path goes through blocks")[i];
        }
        match &mut node.body {
            Body::Block { children, tail, .. } => (children, tail),
            Body::Stmt(_) => panic!("container path ends at a statement"),
        }
    }

    fn ensure_final_newline(&mut self) {
        if !self.doc.tail.contains('\n') {
            self.doc.tail.push('\n');
        }
    }
}

/// Remove node `i` of a container, keeping the comments of its lead in place (they then
/// precede the next node, or the container's end).
fn remove_node(nodes: &mut Vec<Node>, tail: &mut String, i: usize) {
    let kept = nodes[i].lead_comments().to_string();
    nodes.remove(i);
    match nodes.get_mut(i) {
        Some(next) => next.lead.insert_str(0, &kept),
        None => tail.insert_str(0, &kept),
    }
}

mod edit;
#[cfg(test)]
mod tests;

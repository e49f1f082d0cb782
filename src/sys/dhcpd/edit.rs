//! The edits zcon makes to dhcpd.conf: set a subnet's configuration, add and remove hosts.

use std::net::Ipv4Addr;

use super::tree::{Body, Node};
use super::{
    DhcpError, DhcpHost, DhcpdConf, Subnet, check_hostname, contains, fragment, host_text, is_host,
    is_subnet, normalize_mac, parse_ip, prefix_of, read_subnet, remove_node, stmt_words,
};

/// A blank lead for a new node placed like `sibling`, without copying its comments.
fn lead_like(sibling: &Node) -> String {
    if sibling.lead.contains('#') {
        format!("\n{}", sibling.indent())
    } else {
        sibling.lead.clone()
    }
}

/// Set, replace or (with None) remove the statement starting with `key` in a block.
fn set_stmt(
    children: &mut Vec<Node>,
    tail: &mut String,
    indent: &str,
    key: &[&str],
    text: Option<String>,
) {
    let found = children.iter().position(|n| stmt_words(n, key).is_some());
    match (found, text) {
        (Some(i), Some(t)) => children[i].body = Body::Stmt(t),
        (Some(i), None) => remove_node(children, tail, i),
        (None, Some(t)) => {
            let at = children
                .iter()
                .position(Node::is_block)
                .unwrap_or(children.len());
            let lead = match children[..at].iter().rev().find(|n| !n.is_block()) {
                Some(sibling) => lead_like(sibling),
                None => format!("\n{indent}  "),
            };
            let mut node = fragment(&t);
            node.lead = lead;
            children.insert(at, node);
            if at == children.len() - 1 && !tail.contains('\n') {
                *tail = format!("\n{indent}");
            }
        }
        (None, None) => {}
    }
}

struct Checked {
    net: Ipv4Addr,
    range: Option<String>,
    router: Option<String>,
    dns: Option<String>,
}

fn check_subnet(cfg: &Subnet) -> Result<Checked, DhcpError> {
    let net = parse_ip(&cfg.subnet)?;
    let mask = parse_ip(&cfg.netmask)?;
    if prefix_of(mask).is_none() {
        return Err(DhcpError::InvalidNetmask(cfg.netmask.clone()));
    }
    let network = Ipv4Addr::from(u32::from(net) & u32::from(mask));
    if network != net {
        return Err(DhcpError::NotNetworkAddress {
            subnet: cfg.subnet.clone(),
            netmask: cfg.netmask.clone(),
            network: network.to_string(),
        });
    }
    let inside = |what: &'static str, ip: &str| -> Result<Ipv4Addr, DhcpError> {
        let a = parse_ip(ip)?;
        if contains(net, mask, a) {
            Ok(a)
        } else {
            Err(DhcpError::OutsideSubnet {
                what,
                ip: ip.to_string(),
                subnet: cfg.subnet.clone(),
                netmask: cfg.netmask.clone(),
            })
        }
    };
    let router = match &cfg.router {
        Some(r) => Some(inside("router", r)?.to_string()),
        None => None,
    };
    let range = match (&cfg.range_start, &cfg.range_end) {
        (Some(s), Some(e)) => {
            let (a, b) = (inside("range start", s)?, inside("range end", e)?);
            if a > b {
                return Err(DhcpError::RangeReversed {
                    start: s.clone(),
                    end: e.clone(),
                });
            }
            Some(format!("{a} {b}"))
        }
        (None, None) => None,
        _ => return Err(DhcpError::HalfRange),
    };
    let dns: Vec<String> = cfg
        .dns
        .iter()
        .map(|d| parse_ip(d).map(|a| a.to_string()))
        .collect::<Result<_, _>>()?;
    Ok(Checked {
        net,
        range,
        router,
        dns: (!dns.is_empty()).then(|| dns.join(", ")),
    })
}

impl DhcpdConf {
    /// Configure a subnet: the declaration for the same network, else the only subnet
    /// declaration there is (moved to the new network), else a new declaration at the end.
    /// Sets `range`, `option routers` and `option domain-name-servers` (removing those
    /// given as None/empty); the block's other statements and hosts stay as they were.
    pub fn set_subnet(&mut self, cfg: &Subnet) -> Result<(), DhcpError> {
        let c = check_subnet(cfg)?;
        let paths = self.find_paths(&|n| is_subnet(n));
        let same = paths.iter().find(|p| {
            read_subnet(self.node_at(p))
                .ok()
                .and_then(|s| s.subnet.parse::<Ipv4Addr>().ok())
                == Some(c.net)
        });
        let target = same.or(if paths.len() == 1 {
            paths.first()
        } else {
            None
        });
        let Some(path) = target.cloned() else {
            let mut text = format!("subnet {} netmask {} {{\n", cfg.subnet, cfg.netmask);
            if let Some(r) = &c.range {
                text.push_str(&format!("  range {r};\n"));
            }
            if let Some(r) = &c.router {
                text.push_str(&format!("  option routers {r};\n"));
            }
            if let Some(d) = &c.dns {
                text.push_str(&format!("  option domain-name-servers {d};\n"));
            }
            text.push('}');
            let mut node = fragment(&text);
            node.lead = if self.doc.nodes.is_empty() {
                String::new()
            } else {
                "\n\n".into()
            };
            self.doc.nodes.push(node);
            self.ensure_final_newline();
            return Ok(());
        };
        let (parent, index) = path.split_at(path.len() - 1);
        let (siblings, _) = self.container_mut(parent);
        let node = &mut siblings[index[0]];
        let indent = node.indent().to_string();
        let Body::Block {
            head,
            children,
            tail,
        } = &mut node.body
        else {
            unreachable!("subnet paths lead to blocks");
        };
        let current = super::tree::words(head);
        if current.get(1) != Some(&cfg.subnet) || current.get(3) != Some(&cfg.netmask) {
            *head = format!("subnet {} netmask {} {{", cfg.subnet, cfg.netmask);
        }
        let stmts = [
            (&["range"][..], c.range.map(|r| format!("range {r};"))),
            (
                &["option", "routers"][..],
                c.router.map(|r| format!("option routers {r};")),
            ),
            (
                &["option", "domain-name-servers"][..],
                c.dns.map(|d| format!("option domain-name-servers {d};")),
            ),
        ];
        for (key, text) in stmts {
            set_stmt(children, tail, &indent, key, text);
        }
        Ok(())
    }

    /// Add `host NAME { hardware ethernet MAC; fixed-address IP; }` after the last host at
    /// the top level (or at the end). Refuses a name, MAC or IP that another host has, and
    /// an IP outside every declared subnet.
    pub fn add_host(&mut self, host: &DhcpHost) -> Result<(), DhcpError> {
        check_hostname(&host.hostname)?;
        let mac = normalize_mac(&host.mac)?;
        let ip = parse_ip(&host.ip)?;
        for h in self.hosts() {
            if h.hostname.eq_ignore_ascii_case(&host.hostname) {
                return Err(DhcpError::DuplicateHostname(h.hostname));
            }
            if normalize_mac(&h.mac).is_ok_and(|m| m == mac) {
                return Err(DhcpError::DuplicateMac {
                    mac,
                    host: h.hostname,
                });
            }
            if h.ip.parse::<Ipv4Addr>().is_ok_and(|a| a == ip) {
                return Err(DhcpError::DuplicateIp {
                    ip: ip.to_string(),
                    host: h.hostname,
                });
            }
        }
        let subnets = self.subnets();
        let inside_any = subnets
            .iter()
            .any(|s| match (s.subnet.parse(), s.netmask.parse()) {
                (Ok(n), Ok(m)) => contains(n, m, ip),
                _ => false,
            });
        if !subnets.is_empty() && !inside_any {
            return Err(DhcpError::OutsideSubnets { ip: ip.to_string() });
        }
        let new = DhcpHost {
            hostname: host.hostname.clone(),
            mac,
            ip: ip.to_string(),
        };
        let nodes = &mut self.doc.nodes;
        match nodes.iter().rposition(is_host) {
            Some(last) => {
                let mut node = fragment(&host_text(&new, nodes[last].indent()));
                node.lead = lead_like(&nodes[last]);
                nodes.insert(last + 1, node);
            }
            None => {
                let mut node = fragment(&host_text(&new, ""));
                node.lead = if nodes.is_empty() {
                    String::new()
                } else {
                    "\n\n".into()
                };
                nodes.push(node);
            }
        }
        self.ensure_final_newline();
        Ok(())
    }

    /// Remove the host declaration named `hostname` (wherever it is); comments before it
    /// stay.
    pub fn remove_host(&mut self, hostname: &str) -> Result<DhcpHost, DhcpError> {
        let found = self
            .hosts()
            .into_iter()
            .find(|h| h.hostname == hostname)
            .ok_or_else(|| DhcpError::NoSuchHost(hostname.to_string()))?;
        let path = self
            .find_paths(&|n| is_host(n) && n.words().get(1).is_some_and(|w| w == hostname))
            .into_iter()
            .next()
            .ok_or_else(|| DhcpError::NoSuchHost(hostname.to_string()))?;
        let (parent, index) = path.split_at(path.len() - 1);
        let (nodes, tail) = self.container_mut(parent);
        remove_node(nodes, tail, index[0]);
        Ok(found)
    }

    fn node_at(&self, path: &[usize]) -> &Node {
        let mut node = &self.doc.nodes[path[0]];
        for &i in &path[1..] {
            node = &node.children()[i];
        }
        node
    }
}

//! A loaded rule as `ipnat -l` prints it (ipf's printnat()): addresses in dotted form with
//! a `/bits` mask (`0/32` becomes `0.0.0.0/32`), hosts ANDed with their mask, the protocol
//! the rule ended up with, and options in a fixed order.

use std::fmt::Write;
use std::net::Ipv4Addr;

use super::grammar::{Nat, PROTOCOLS, PortCmp, Redir};

fn ip(a: u32) -> Ipv4Addr {
    Ipv4Addr::from(a)
}

/// ipf's printmask(): `/bits` for a contiguous mask, else `/a.b.c.d`.
fn mask(m: u32) -> String {
    let ones = m.leading_ones();
    if m.checked_shl(ones).unwrap_or(0) == 0 {
        format!("/{ones}")
    } else {
        format!("/{}", ip(m))
    }
}

fn hostmask(am: [u32; 2]) -> String {
    if am == [0, 0] {
        "any".to_string()
    } else {
        format!("{}{}", ip(am[0]), mask(am[1]))
    }
}

fn portcmp(c: &PortCmp) -> String {
    if c.op == "<>" || c.op == "><" {
        format!(" port {} {} {}", c.port, c.op, c.top)
    } else {
        format!(" port {} {}", c.op, c.port)
    }
}

fn proto(n: &Nat) -> String {
    if n.tcp && n.udp {
        "tcp/udp".into()
    } else if n.tcp {
        "tcp".into()
    } else if n.udp {
        "udp".into()
    } else if n.icmpquery {
        "icmp".into()
    } else {
        PROTOCOLS
            .iter()
            .find(|(_, p)| *p == n.p)
            .map(|(name, _)| name.to_string())
            .unwrap_or_else(|| n.p.to_string())
    }
}

/// One rule line of `ipnat -l` (without the newline).
pub fn printnat(n: &Nat) -> String {
    let redir = n.redir.unwrap_or(Redir::Map);
    let mut s = String::from(match redir {
        Redir::Rdr => "rdr",
        Redir::Map => "map",
        Redir::MapBlock => "map-block",
        Redir::Bimap => "bimap",
    });
    let _ = write!(s, " {}", n.ifnames[0]);
    if !n.ifnames[1].is_empty() && n.ifnames[1] != n.ifnames[0] {
        // printnat's own quirk: the second name is followed by a space before the one
        // every rule gets, so such rules show two spaces.
        let _ = write!(s, ",{} ", n.ifnames[1]);
    }
    s.push(' ');
    let tcpudp = n.tcp || n.udp;
    if n.filter {
        if n.notsrc {
            s.push_str("! ");
        }
        s.push_str("from ");
        if redir == Redir::Rdr {
            s.push_str(&hostmask(n.in_src));
        } else {
            s.push_str(&hostmask(n.in_in));
        }
        if let Some(c) = &n.scmp {
            s.push_str(&portcmp(c));
        }
        if n.notdst {
            s.push_str(" !");
        }
        s.push_str(" to ");
        if redir == Redir::Rdr {
            s.push_str(&hostmask(n.in_out));
        } else {
            s.push_str(&hostmask(n.in_src));
        }
        if let Some(c) = &n.dcmp {
            s.push_str(&portcmp(c));
        }
    }
    if redir == Redir::Rdr {
        if !n.filter {
            let _ = write!(s, "{}{}", ip(n.in_out[0]), mask(n.in_out[1]));
            if tcpudp {
                let _ = write!(s, " port {}", n.pmin);
                if n.pmax != n.pmin {
                    let _ = write!(s, "-{}", n.pmax);
                }
            }
        }
        let _ = write!(s, " -> {}", ip(n.in_in[0]));
        if n.split {
            let _ = write!(s, ",{}", ip(n.in_in[1]));
        }
        if n.in_in[0] == 0 {
            s.push_str(&mask(n.in_in[1]));
        }
        if tcpudp {
            if n.fixeddport {
                let _ = write!(s, " port = {}", n.pnext);
            } else {
                let _ = write!(s, " port {}", n.pnext);
            }
        }
        let _ = write!(s, " {}", proto(n));
        if n.roundrobin {
            s.push_str(" round-robin");
        }
        if n.frag {
            s.push_str(" frag");
        }
        if n.age != (0, 0) {
            let _ = write!(s, " age {}/{}", n.age.0, n.age.1);
        }
        if n.sticky {
            s.push_str(" sticky");
        }
        if n.mssclamp != 0 {
            let _ = write!(s, " mssclamp {}", n.mssclamp);
        }
        if !n.tag.is_empty() {
            let _ = write!(s, " tag {}", n.tag);
        }
        return s;
    }
    if !n.filter {
        let _ = write!(s, "{}{}", ip(n.in_in[0]), mask(n.in_in[1]));
    }
    s.push_str(" -> ");
    if n.iprange {
        let _ = write!(s, "range {}-{}", ip(n.in_out[0]), ip(n.in_out[1]));
    } else {
        let _ = write!(s, "{}{}", ip(n.in_out[0]), mask(n.in_out[1]));
    }
    if redir == Redir::MapBlock {
        if n.pmin == 0 && n.autoportmap {
            s.push_str(" ports auto");
        } else {
            let _ = write!(s, " ports {}", n.pmin);
        }
    } else if n.pmin != 0 || n.pmax != 0 {
        s.push_str(if n.icmpquery {
            " icmpidmap "
        } else {
            " portmap "
        });
        s.push_str(&proto(n));
        if n.autoportmap {
            s.push_str(" auto");
        } else {
            let _ = write!(s, " {}:{}", n.pmin, n.pmax);
        }
    } else if tcpudp || n.p != 0 {
        let _ = write!(s, " {}", proto(n));
    }
    if n.frag {
        s.push_str(" frag");
    }
    if n.age != (0, 0) {
        let _ = write!(s, " age {}/{}", n.age.0, n.age.1);
    }
    if n.mssclamp != 0 {
        let _ = write!(s, " mssclamp {}", n.mssclamp);
    }
    if !n.tag.is_empty() {
        let _ = write!(s, " tag {}", n.tag);
    }
    if n.sequential {
        s.push_str(" sequential");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::super::grammar::{parse_rule, parse_text};
    use super::*;

    fn canon(rule: &str) -> String {
        printnat(&parse_rule(rule).unwrap_or_else(|e| panic!("{rule}: {e}")))
    }

    #[test]
    fn the_operator_shapes_print_as_ipnat_lists_them() {
        assert_eq!(
            canon("map igb0 10.190.190.0/24 -> 0/32 portmap tcp/udp auto"),
            "map igb0 10.190.190.0/24 -> 0.0.0.0/32 portmap tcp/udp auto"
        );
        assert_eq!(
            canon("map igb0 10.190.190.0/24 -> 0/32"),
            "map igb0 10.190.190.0/24 -> 0.0.0.0/32"
        );
        assert_eq!(
            canon("bimap igb0 10.190.190.10 -> 192.168.1.100"),
            "bimap igb0 10.190.190.10/32 -> 192.168.1.100/32"
        );
        assert_eq!(
            canon("rdr igb0 192.168.1.10 port 8080 -> 10.190.190.10 port 80"),
            "rdr igb0 192.168.1.10/32 port 8080 -> 10.190.190.10 port 80 tcp"
        );
        assert_eq!(
            canon("rdr igb0 192.168.1.10/32 port 53 -> 10.0.0.5 port 53 udp"),
            "rdr igb0 192.168.1.10/32 port 53 -> 10.0.0.5 port 53 udp"
        );
        assert_eq!(
            canon("map-block e1000g0 10.1.0.0/16 -> 203.0.113.0/24 ports auto"),
            "map-block e1000g0 10.1.0.0/16 -> 203.0.113.0/24 ports auto"
        );
    }

    #[test]
    fn normalises_masks_hosts_and_options() {
        assert_eq!(
            canon("map igb0 10.0.0.7/255.255.255.0 -> 1.2.3.4/32 portmap tcp 10000:20000"),
            "map igb0 10.0.0.0/24 -> 1.2.3.4/32 portmap tcp 10000:20000"
        );
        assert_eq!(
            canon("map igb0 10.0.0.0 netmask 0xffff0000 -> 1.2.3.4/32 udp"),
            "map igb0 10.0.0.0/16 -> 1.2.3.4/32 udp"
        );
        assert_eq!(
            canon("map igb0 10.0.0.0/8 -> range 1.2.3.4-1.2.3.9"),
            "map igb0 10.0.0.0/8 -> range 1.2.3.4-1.2.3.9"
        );
        assert_eq!(
            canon("map igb0 from 10.0.0.0/8 to any -> 1.2.3.4/32"),
            "map igb0 from 10.0.0.0/8 to any -> 1.2.3.4/32"
        );
        assert_eq!(
            canon("rdr igb0,igb1 1.2.3.4 port 80 -> 10.0.0.1,10.0.0.2 port 8080 round-robin"),
            "rdr igb0,igb1  1.2.3.4/32 port 80 -> 10.0.0.1,10.0.0.2 port 8080 tcp round-robin"
        );
        assert_eq!(
            canon("rdr igb0 1.2.3.4 -> 10.0.0.1"),
            "rdr igb0 1.2.3.4/32 -> 10.0.0.1 ip"
        );
        // A portmap without a protocol is dropped by ipnat itself.
        assert_eq!(
            canon("map igb0 10.0.0.0/8 -> 0/32 portmap auto"),
            "map igb0 10.0.0.0/8 -> 0.0.0.0/32"
        );
    }

    #[test]
    fn errors_name_the_token_and_line() {
        let e = parse_rule("map igb0 10.0.0.0/24 0/32").unwrap_err();
        assert_eq!(e.to_string(), "syntax error error at \"0\", line 1");
        let e = parse_text("map igb0 10.0.0.0/24 -> 0/32\nmap igb0 10.1.0.0/24 ->\n")
            .error
            .unwrap();
        // The lexer resets its line count at end of file.
        assert_eq!(e.to_string(), "syntax error error at \"\", line 1");
        let p = parse_text(
            "map igb0 10.0.0.0/24 -> 0/32\nrdr igb0 300.1.1.1 port 80 -> 10.0.0.1 port 80\n",
        );
        assert_eq!(p.rules.len(), 1);
        let e = p.error.unwrap();
        assert!(e.message.contains("Invalid octet"), "{e}");
        assert_eq!(e.line, 2);
        let e = parse_rule("map igb0 0/24 -> 0/32").unwrap_err();
        assert!(e.to_string().starts_with("invalid mask error at"));
        let e = parse_rule("rdr igb0 1.2.3.4 port 80 -> 10.0.0.1").unwrap_err();
        assert_eq!(e.to_string(), "syntax error error at \"\", line 1");
        assert!(parse_rule("map igb0 10.0.0.0/24 -> 0/32 portmap tcp/udp auto tcp").is_err());
        assert!(parse_rule("garbage").is_err());
    }
}

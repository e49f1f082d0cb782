//! The smaller productions of ipnat's grammar: ports, protocols, options, addresses.

use super::super::lex::Tok;
use super::{PROTOCOLS, Parser, PortCmp, R, Redir};

const SERVICES: [(&str, u16); 12] = [
    ("ftp", 21),
    ("ssh", 22),
    ("telnet", 23),
    ("smtp", 25),
    ("domain", 53),
    ("tftp", 69),
    ("http", 80),
    ("pop3", 110),
    ("ntp", 123),
    ("imap", 143),
    ("https", 443),
    ("submission", 587),
];

impl Parser {
    pub(super) fn portstuff(&mut self) -> R<PortCmp> {
        if let Tok::Cmp(op) = self.peek().tok {
            self.pos += 1;
            let port = self.portspec()?;
            return Ok(PortCmp { op, port, top: 0 });
        }
        if self.eat(&Tok::Sym('=')) {
            let port = self.portspec()?;
            return Ok(PortCmp {
                op: "=",
                port,
                top: 0,
            });
        }
        let port = self.portspec()?;
        let Tok::Range(op) = self.peek().tok else {
            return self.syntax();
        };
        self.pos += 1;
        let top = self.portspec()?;
        Ok(PortCmp { op, port, top })
    }

    pub(super) fn portspec(&mut self) -> R<u16> {
        match self.peek().tok.clone() {
            Tok::Num(n) => {
                self.pos += 1;
                u16::try_from(n).map_err(|_| self.err_at("invalid port number"))
            }
            Tok::Str(s) => {
                self.pos += 1;
                SERVICES
                    .iter()
                    .find(|(name, _)| *name == s)
                    .map(|(_, p)| *p)
                    .ok_or_else(|| self.err_at("invalid port number"))
            }
            _ => self.syntax(),
        }
    }

    /// `portmap PROTO lo:hi|auto [sequential]`, `icmpidmap icmp lo:hi`; false when absent.
    pub(super) fn mapport(&mut self) -> R<bool> {
        if self.key("portmap") {
            if self.key("tcp") {
                if self.eat(&Tok::Sym('/')) {
                    if !self.key("udp") {
                        return self.syntax();
                    }
                    self.set_tcpudp();
                } else {
                    self.setnatproto(6);
                }
            } else if self.key("udp") {
                self.setnatproto(17);
            } else if self.key("tcpudp") {
                self.set_tcpudp();
            }
            if self.key("auto") {
                self.nat.autoportmap = true;
                self.nat.pmin = 1024;
                self.nat.pmax = 65535;
            } else {
                let lo = self.portspec()?;
                self.expect(&Tok::Sym(':'))?;
                let hi = self.portspec()?;
                self.nat.pmin = lo.into();
                self.nat.pmax = hi.into();
            }
            if self.key("sequential") {
                self.nat.sequential = true;
            }
            return Ok(true);
        }
        if self.key("icmpidmap") {
            match self.next().tok {
                Tok::Str(s) if s == "icmp" => {}
                _ => return Err(self.err_at("icmpidmap not followed by icmp")),
            }
            let lo = self.number()?;
            self.expect(&Tok::Sym(':'))?;
            let hi = self.number()?;
            if lo > 65535 || hi > 65535 {
                return Err(self.err_at("invalid ICMP Id number"));
            }
            self.nat.icmpquery = true;
            self.nat.tcp = false;
            self.nat.udp = false;
            self.nat.pmin = lo as u32;
            self.nat.pmax = hi as u32;
            return Ok(true);
        }
        Ok(false)
    }

    pub(super) fn set_tcpudp(&mut self) {
        self.nat.tcp = true;
        self.nat.udp = true;
        self.nat.p = 0;
    }

    pub(super) fn common_options(&mut self) -> R<()> {
        if self.key("round-robin") {
            self.nat.roundrobin = true;
        }
        if self.key("frag") {
            self.nat.frag = true;
        }
        if self.key("age") {
            let a = self.number()?;
            let b = if self.eat(&Tok::Sym('/')) {
                self.number()?
            } else {
                a
            };
            self.nat.age = (a, b);
        }
        Ok(())
    }

    pub(super) fn mssclamp_and_tag(&mut self) -> R<()> {
        if self.key("mssclamp") {
            self.nat.mssclamp = self.number()?;
        }
        if self.key("tag") {
            match self.next().tok {
                Tok::Str(s) => self.nat.tag = s,
                _ => {
                    self.pos -= 1;
                    return self.syntax();
                }
            }
        }
        Ok(())
    }

    pub(super) fn mapoptions(&mut self) -> R<()> {
        self.common_options()?;
        self.mssclamp_and_tag()?;
        self.setproto()
    }

    pub(super) fn rdroptions(&mut self) -> R<()> {
        self.common_options()?;
        if self.key("sticky") {
            // ipnat only warns when sticky comes without round-robin or a split address.
            self.nat.sticky = self.nat.roundrobin || self.nat.split;
        }
        self.mssclamp_and_tag()
    }

    pub(super) fn setproto(&mut self) -> R<()> {
        let proto = match self.peek().tok.clone() {
            Tok::Key("tcp") => {
                self.pos += 1;
                if self.eat(&Tok::Sym('/')) {
                    if !self.key("udp") {
                        return self.syntax();
                    }
                    None
                } else {
                    Some(6)
                }
            }
            Tok::Key("udp") => {
                self.pos += 1;
                Some(17)
            }
            Tok::Key("tcpudp") => {
                self.pos += 1;
                None
            }
            Tok::Num(n) => {
                self.pos += 1;
                Some(n as u8)
            }
            Tok::Str(s) => match PROTOCOLS.iter().find(|(name, _)| *name == s) {
                Some((_, n)) => {
                    self.pos += 1;
                    Some(*n)
                }
                None => return Ok(()),
            },
            _ => return Ok(()),
        };
        if self.nat.p != 0 || self.nat.tcp || self.nat.udp {
            return Err(self.err_at("protocol set twice"));
        }
        match proto {
            Some(p) => self.setnatproto(p),
            None => self.set_tcpudp(),
        }
        Ok(())
    }

    /// ipnat's `setnatproto()`: the protocol decides which port fields survive.
    pub(super) fn setnatproto(&mut self, p: u8) {
        let n = &mut self.nat;
        n.p = p;
        match p {
            6 => {
                n.tcp = true;
                n.udp = false;
            }
            17 => {
                n.udp = true;
                n.tcp = false;
            }
            1 => {
                n.tcp = false;
                n.udp = false;
                if !n.icmpquery {
                    n.dcmp = None;
                    n.scmp = None;
                    n.pmin = 0;
                    n.pmax = 0;
                    n.pnext = 0;
                }
            }
            _ if n.redir != Some(Redir::MapBlock) => {
                n.pmin = 0;
                n.pmax = 0;
                n.pnext = 0;
                n.tcp = false;
                n.udp = false;
            }
            _ => {}
        }
        if !(n.tcp || n.udp) {
            n.fixeddport = false;
        }
    }

    pub(super) fn rhaddr(&mut self) -> R<[u32; 2]> {
        if self.key("range") {
            let a = self.hostname()?;
            self.expect(&Tok::Sym('-'))?;
            let b = self.hostname()?;
            self.nat.iprange = true;
            return Ok([a, b]);
        }
        self.addr()
    }

    pub(super) fn dip(&mut self) -> R<()> {
        let a = self.hostname()?;
        if self.eat(&Tok::Sym('/')) {
            let bits = self.number()?;
            if a != 0 || (bits != 0 && bits != 32) {
                return Err(self.err_at("Invalid mask for dip"));
            }
            self.nat.v = 4;
            self.nat.in_in = [a, ntomask(bits as u32)];
        } else if self.eat(&Tok::Sym(',')) {
            let b = self.hostname()?;
            self.nat.split = true;
            self.nat.in_in = [a, b];
        } else {
            self.nat.in_in = [a, u32::MAX];
        }
        Ok(())
    }

    /// `any`, `HOST`, `HOST/BITS`, `HOST/MASK`, `HOST/0xMASK`, `HOST mask|netmask MASK`.
    pub(super) fn addr(&mut self) -> R<[u32; 2]> {
        if self.key("any") {
            return Ok([0, 0]);
        }
        let a = self.hostname()?;
        let mask = if self.eat(&Tok::Sym('/')) {
            match self.peek().tok {
                Tok::Hex(m) => {
                    self.pos += 1;
                    m as u32
                }
                Tok::Num(_)
                    if self.toks.get(self.pos + 1).map(|t| &t.tok) == Some(&Tok::Sym('.')) =>
                {
                    self.ipv4()?
                }
                Tok::Num(bits) => {
                    self.pos += 1;
                    if self.nat.v == 0 {
                        if a != 0 {
                            return Err(self.err_at("invalid addr"));
                        }
                        if bits != 0 && bits != 32 {
                            return Err(self.err_at("invalid mask"));
                        }
                        self.nat.v = 4;
                    }
                    if bits > 32 {
                        return Err(self.err_at("invalid mask"));
                    }
                    ntomask(bits as u32)
                }
                _ => return self.syntax(),
            }
        } else if self.key("mask") || self.key("netmask") {
            match self.peek().tok {
                Tok::Hex(m) => {
                    self.pos += 1;
                    m as u32
                }
                _ => self.ipv4()?,
            }
        } else {
            u32::MAX
        };
        Ok([a & mask, mask])
    }

    pub(super) fn hostname(&mut self) -> R<u32> {
        match self.peek().tok.clone() {
            Tok::Num(_) if self.toks.get(self.pos + 1).map(|t| &t.tok) == Some(&Tok::Sym('.')) => {
                let a = self.ipv4()?;
                self.nat.v = 4;
                Ok(a)
            }
            Tok::Num(n) => {
                self.pos += 1;
                let a = n as u32;
                if a != 0 {
                    self.nat.v = 4;
                }
                Ok(a)
            }
            Tok::Str(_) => {
                self.pos += 1;
                Err(self.err_at("Unknown hostname"))
            }
            _ => self.syntax(),
        }
    }

    pub(super) fn ipv4(&mut self) -> R<u32> {
        let mut octets = [0u64; 4];
        for (i, o) in octets.iter_mut().enumerate() {
            if i > 0 {
                self.expect(&Tok::Sym('.'))?;
            }
            *o = self.number()?;
        }
        if octets.iter().any(|o| *o > 255) {
            return Err(self.err_at("Invalid octet string for IP address"));
        }
        Ok(octets.iter().fold(0u32, |acc, o| (acc << 8) | *o as u32))
    }
}

pub fn ntomask(bits: u32) -> u32 {
    if bits == 0 {
        0
    } else {
        u32::MAX << (32 - bits.min(32))
    }
}

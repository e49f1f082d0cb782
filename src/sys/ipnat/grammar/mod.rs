//! ipnat's rule grammar (ipnat_y.y) for IPv4: `map`, `bimap`, `map-block` and `rdr` with
//! their address, port, protocol and option forms, parsed into the fields of the kernel's
//! `ipnat_t` so that [`super::print`] can print them the way `ipnat -l` does.
//! Not modelled: IPv6, `proxy`, variables (`$name`), host-name lookup.

use super::lex::{Tok, Token, tokenize};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Redir {
    Map,
    Bimap,
    MapBlock,
    Rdr,
}

/// A port comparison from `from … port OP N` (op as printed, e.g. `=`, `<>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortCmp {
    pub op: &'static str,
    pub port: u16,
    pub top: u16,
}

/// The parts of an `ipnat_t` that printnat shows. Addresses and masks are host-order IPv4.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Nat {
    pub redir: Option<Redir>,
    pub ifnames: [String; 2],
    pub filter: bool,
    pub notsrc: bool,
    pub notdst: bool,
    /// [addr, mask] triples as in ipnat_t: in (inside), out (outside), src (filter).
    pub in_in: [u32; 2],
    pub in_out: [u32; 2],
    pub in_src: [u32; 2],
    pub scmp: Option<PortCmp>,
    pub dcmp: Option<PortCmp>,
    pub pmin: u32,
    pub pmax: u32,
    pub pnext: u32,
    /// IP protocol number (0 = none given).
    pub p: u8,
    pub tcp: bool,
    pub udp: bool,
    pub autoportmap: bool,
    pub iprange: bool,
    pub split: bool,
    pub fixeddport: bool,
    pub icmpquery: bool,
    pub sequential: bool,
    pub roundrobin: bool,
    pub frag: bool,
    pub sticky: bool,
    pub age: (u64, u64),
    pub mssclamp: u64,
    pub tag: String,
    /// Address family seen so far (0 unknown, 4).
    v: u8,
}

/// A complaint in ipnat's own words: `MSG error at "TOKEN", line N`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub message: String,
    pub token: String,
    pub line: usize,
}

impl std::fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} error at \"{}\", line {}",
            self.message, self.token, self.line
        )
    }
}

/// Rules parsed (each with the line it started on), up to the first error.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    pub rules: Vec<(Nat, usize)>,
    pub error: Option<SyntaxError>,
}

/// Parse a whole ipnat.conf the way `ipnat -f` does: rules are loaded one by one, and the
/// first error stops the parse (the rules before it stay loaded).
pub fn parse_text(text: &str) -> Parsed {
    let mut p = Parser {
        toks: tokenize(text),
        pos: 0,
        nat: Nat::default(),
    };
    let mut parsed = Parsed::default();
    loop {
        match p.peek().tok.clone() {
            Tok::Eof => break,
            Tok::Comment | Tok::Sym(';') => p.pos += 1,
            Tok::Str(_) => {
                if let Err(e) = p.assignment() {
                    parsed.error = Some(e);
                    break;
                }
            }
            _ => {
                let line = p.peek().line;
                p.nat = Nat::default();
                match p.rule() {
                    Ok(()) => {
                        let mut nat = std::mem::take(&mut p.nat);
                        if nat.v == 0 {
                            nat.v = 4;
                        }
                        parsed.rules.push((nat, line));
                        if p.peek().tok == Tok::Sym(';') {
                            p.pos += 1;
                        }
                    }
                    Err(e) => {
                        parsed.error = Some(e);
                        break;
                    }
                }
            }
        }
    }
    parsed
}

/// Parse one rule (as `ipnat -f` would parse a file holding just it).
pub fn parse_rule(rule: &str) -> Result<Nat, SyntaxError> {
    let parsed = parse_text(rule);
    if let Some(e) = parsed.error {
        return Err(e);
    }
    let mut rules = parsed.rules.into_iter();
    match (rules.next(), rules.next()) {
        (Some((nat, _)), None) => Ok(nat),
        (None, _) => Err(SyntaxError {
            message: "no rule".into(),
            token: String::new(),
            line: 1,
        }),
        (Some(_), Some((_, line))) => Err(SyntaxError {
            message: "more than one rule".into(),
            token: String::new(),
            line,
        }),
    }
}

/// Protocols from /etc/protocols that a NAT rule may name.
pub const PROTOCOLS: [(&str, u8); 8] = [
    ("ip", 0),
    ("icmp", 1),
    ("tcp", 6),
    ("udp", 17),
    ("gre", 47),
    ("esp", 50),
    ("ah", 51),
    ("sctp", 132),
];

struct Parser {
    toks: Vec<Token>,
    pos: usize,
    nat: Nat,
}

type R<T> = Result<T, SyntaxError>;

impl Parser {
    fn peek(&self) -> &Token {
        &self.toks[self.pos.min(self.toks.len() - 1)]
    }

    fn next(&mut self) -> Token {
        let t = self.peek().clone();
        if self.pos < self.toks.len() - 1 {
            self.pos += 1;
        }
        t
    }

    fn err_at(&self, message: &str) -> SyntaxError {
        let t = self.peek();
        let token = match t.tok {
            Tok::Comment => "<unknown>".to_string(),
            _ => t.text.clone(),
        };
        SyntaxError {
            message: message.into(),
            token,
            line: t.line,
        }
    }

    fn syntax<T>(&self) -> R<T> {
        Err(self.err_at("syntax error"))
    }

    fn eat(&mut self, tok: &Tok) -> bool {
        if &self.peek().tok == tok {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, tok: &Tok) -> R<()> {
        if self.eat(tok) { Ok(()) } else { self.syntax() }
    }

    fn key(&mut self, k: &str) -> bool {
        matches!(self.peek().tok, Tok::Key(x) if x == k) && {
            self.pos += 1;
            true
        }
    }

    fn number(&mut self) -> R<u64> {
        match self.peek().tok {
            Tok::Num(n) => {
                self.pos += 1;
                Ok(n)
            }
            _ => self.syntax(),
        }
    }

    /// `name = value ;` — accepted and ignored (variables are not substituted).
    fn assignment(&mut self) -> R<()> {
        self.pos += 1;
        self.expect(&Tok::Sym('='))?;
        match self.peek().tok {
            Tok::Str(_) => self.pos += 1,
            _ => return self.syntax(),
        }
        self.expect(&Tok::Sym(';'))
    }

    fn rule(&mut self) -> R<()> {
        let redir = match self.peek().tok {
            Tok::Key("map") => Redir::Map,
            Tok::Key("bimap") => Redir::Bimap,
            Tok::Key("map-block") => Redir::MapBlock,
            Tok::Key("rdr") => Redir::Rdr,
            _ => return self.syntax(),
        };
        self.pos += 1;
        self.nat.redir = Some(redir);
        self.ifnames()?;
        match redir {
            Redir::Rdr => self.rdr(),
            Redir::MapBlock => self.mapblock(),
            _ => self.map(),
        }
    }

    fn ifnames(&mut self) -> R<()> {
        let Tok::Str(name) = self.peek().tok.clone() else {
            return self.syntax();
        };
        self.pos += 1;
        self.nat.ifnames[0] = name;
        if self.eat(&Tok::Sym(',')) {
            let Tok::Str(other) = self.peek().tok.clone() else {
                return self.syntax();
            };
            self.pos += 1;
            self.nat.ifnames[1] = other;
        }
        Ok(())
    }

    fn default_second_ifname(&mut self) {
        if self.nat.ifnames[1].is_empty() {
            self.nat.ifnames[1] = self.nat.ifnames[0].clone();
        }
    }

    fn map(&mut self) -> R<()> {
        if self.key("from") {
            self.nat.filter = true;
            self.filter_objects(false)?;
        } else {
            self.nat.in_in = self.addr()?;
        }
        if !self.key("->") {
            return self.syntax();
        }
        self.nat.in_out = self.rhaddr()?;
        let mapport = self.mapport()?;
        self.mapoptions()?;
        self.default_second_ifname();
        let has_proto = if mapport {
            self.nat.tcp || self.nat.udp || self.nat.icmpquery
        } else {
            self.nat.tcp || self.nat.udp
        };
        if !has_proto {
            self.setnatproto(self.nat.p);
        }
        Ok(())
    }

    fn mapblock(&mut self) -> R<()> {
        self.nat.in_in = self.addr()?;
        if !self.key("->") {
            return self.syntax();
        }
        self.nat.in_out = self.addr()?;
        if self.key("ports") {
            if self.key("auto") {
                self.nat.autoportmap = true;
            } else {
                self.nat.pmin = self.number()? as u32;
            }
        }
        self.mapoptions()?;
        self.default_second_ifname();
        if !(self.nat.tcp || self.nat.udp) {
            self.setnatproto(self.nat.p);
        }
        Ok(())
    }

    fn rdr(&mut self) -> R<()> {
        let filtered = matches!(self.peek().tok, Tok::Key("from") | Tok::Sym('!'));
        let mut needs_nport = filtered;
        if filtered {
            self.nat.notsrc = self.eat(&Tok::Sym('!'));
            if !self.key("from") {
                return self.syntax();
            }
            self.nat.filter = true;
            self.filter_objects(true)?;
        } else {
            self.nat.in_out = self.addr()?;
            if self.key("port") {
                let lo = self.portspec()?;
                let hi = if self.eat(&Tok::Sym('-')) || self.eat(&Tok::Sym(':')) {
                    self.portspec()?
                } else {
                    lo
                };
                self.nat.pmin = lo.into();
                self.nat.pmax = hi.into();
                needs_nport = true;
            }
        }
        if !self.key("->") {
            return self.syntax();
        }
        self.dip()?;
        let has_nport = needs_nport || matches!(self.peek().tok, Tok::Key("port"));
        if has_nport {
            if !self.key("port") {
                return self.syntax();
            }
            if self.eat(&Tok::Sym('=')) {
                self.nat.fixeddport = true;
            }
            self.nat.pnext = self.portspec()?.into();
        }
        self.setproto()?;
        self.rdroptions()?;
        if has_nport {
            let n = &self.nat;
            if n.p == 0 && !(n.tcp || n.udp) && (n.pmin != 0 || n.pmax != 0 || n.pnext != 0) {
                self.setnatproto(6);
            }
        }
        self.default_second_ifname();
        Ok(())
    }

    /// `from SRC [port …] [!] to DST [port …]` (map) / `… to …` (rdr).
    fn filter_objects(&mut self, rdr: bool) -> R<()> {
        let src = self.addr()?;
        if self.key("port") {
            self.nat.scmp = Some(self.portstuff()?);
        }
        if !rdr && self.eat(&Tok::Sym('!')) {
            self.nat.notdst = true;
        }
        if !self.key("to") {
            return self.syntax();
        }
        let dst = self.addr()?;
        if self.key("port") {
            let cmp = self.portstuff()?;
            if rdr {
                self.nat.pmin = cmp.port.into();
            }
            self.nat.dcmp = Some(cmp);
        }
        if rdr {
            self.nat.in_src = src;
            self.nat.in_out = dst;
        } else {
            self.nat.in_in = src;
            self.nat.in_src = dst;
        }
        Ok(())
    }
}

mod parts;
pub use parts::ntomask;

//! `state/zfs.state`: one line per pool, dataset and snapshot (snapshots follow their
//! dataset), fields separated by tabs (shown as spaces below). Text keeps it inspectable; the line format keeps 100,000
//! datasets loading in tens of milliseconds.
//!
//! ```text
//! zcon-zfs 1
//! txg <next txg>
//! pool <name> <size> <health> <altroot|-> <guid> <frag> <creation>
//! ds <name> <f|v> <creation> <txg> <guid> <refer> <shared> <volsize> <origin|-> <flags> <prop>…
//! snap <name> <creation> <txg> <guid> <refer> <used> <volsize> <prop>…
//! ```
//! A prop is `L<name>=<value>` (local) or `R<name>=<value>` (received); `\`, tab and newline
//! in values are written `\\`, `\t`, `\n`. Flags: `m` modified since the last snapshot,
//! `u` not mounted, `-` none.

use std::fmt::Write as _;
use std::io;
use std::path::Path;

use super::{Kind, Node, PoolState, Prop, Snap, ZfsStore};

pub(crate) const FILE: &str = "zfs.state";
const MAGIC: &str = "zcon-zfs 1";

pub(crate) fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
}

pub(crate) fn unescape(s: &str) -> String {
    if !s.contains('\\') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('t') => out.push('\t'),
                Some('n') => out.push('\n'),
                Some(o) => out.push(o),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn write_props(out: &mut String, props: &[Prop]) {
    for p in props {
        out.push('\t');
        out.push(if p.received { 'R' } else { 'L' });
        out.push_str(&p.name);
        out.push('=');
        escape_into(out, &p.value);
    }
}

pub(crate) fn render(store: &ZfsStore) -> String {
    let mut out = String::with_capacity(64 + store.datasets.len() * 128);
    let _ = writeln!(out, "{MAGIC}\ntxg\t{}", store.next_txg);
    for (name, p) in &store.pools {
        let _ = write!(out, "pool\t{name}\t{}\t{}\t", p.size, p.health);
        match &p.altroot {
            Some(a) => escape_into(&mut out, a),
            None => out.push('-'),
        }
        let _ = writeln!(out, "\t{}\t{}\t{}", p.guid, p.frag, p.creation);
    }
    for (name, n) in &store.datasets {
        let kind = if n.kind == Kind::Volume { 'v' } else { 'f' };
        let flags = match (n.modified, n.unmounted) {
            (false, false) => "-",
            (true, false) => "m",
            (false, true) => "u",
            (true, true) => "mu",
        };
        let _ = write!(
            out,
            "ds\t{name}\t{kind}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{flags}",
            n.creation,
            n.txg,
            n.guid,
            n.refer,
            n.shared,
            n.volsize,
            n.origin.as_deref().unwrap_or("-"),
        );
        write_props(&mut out, &n.props);
        out.push('\n');
        for s in &n.snaps {
            let _ = write!(
                out,
                "snap\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                s.name, s.creation, s.txg, s.guid, s.refer, s.used, s.volsize
            );
            write_props(&mut out, &s.props);
            out.push('\n');
        }
    }
    out
}

pub(crate) fn save(store: &ZfsStore, path: &Path) -> io::Result<()> {
    crate::sim::host::write_atomic(path, render(store).as_bytes())
}

pub(crate) fn load(path: &Path) -> io::Result<ZfsStore> {
    match std::fs::read_to_string(path) {
        Ok(text) => parse(&text).map_err(|(line, msg)| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{}: line {line}: {msg}", path.display()),
            )
        }),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(ZfsStore::default()),
        Err(e) => Err(e),
    }
}

fn parse_props(fields: &mut Fields<'_>) -> Result<Vec<Prop>, String> {
    let mut props = Vec::new();
    for f in fields {
        let received = match f.as_bytes().first() {
            Some(b'L') => false,
            Some(b'R') => true,
            _ => return Err(format!("bad property field '{f}'")),
        };
        let (name, value) = f[1..]
            .split_once('=')
            .ok_or_else(|| format!("property field '{f}' has no '='"))?;
        props.push(Prop {
            name: name.to_string(),
            value: unescape(value),
            received,
        });
    }
    Ok(props)
}

fn num<T: std::str::FromStr>(f: Option<&str>, what: &str) -> Result<T, String> {
    let f = f.ok_or_else(|| format!("missing {what}"))?;
    f.parse()
        .map_err(|_| format!("{what} '{f}' is not a number"))
}

/// Unsigned decimal, the common case of [`num`], without `FromStr`'s generality.
fn unum(f: Option<&str>, what: &str) -> Result<u64, String> {
    let f = f.ok_or_else(|| format!("missing {what}"))?;
    let bad = || format!("{what} '{f}' is not a number");
    if f.is_empty() || f.len() > 20 {
        return Err(bad());
    }
    let mut n: u64 = 0;
    for b in f.bytes() {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            return Err(bad());
        }
        n = n
            .checked_mul(10)
            .and_then(|n| n.checked_add(u64::from(d)))
            .ok_or_else(bad)?;
    }
    Ok(n)
}

fn text<'a>(f: Option<&'a str>, what: &str) -> Result<&'a str, String> {
    f.ok_or_else(|| format!("missing {what}"))
}

/// Tab-separated fields. Most are a few bytes long, where a plain byte loop beats the
/// memchr set-up of `str::split` (this parse is most of a 100,000-dataset listing).
struct Fields<'a>(Option<&'a str>);

impl<'a> Iterator for Fields<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = self.0?;
        match rest.bytes().position(|b| b == b'\t') {
            Some(i) => {
                self.0 = Some(&rest[i + 1..]);
                Some(&rest[..i])
            }
            None => {
                self.0 = None;
                Some(rest)
            }
        }
    }
}

pub(crate) fn parse(text_in: &str) -> Result<ZfsStore, (usize, String)> {
    let mut store = ZfsStore::default();
    let mut lines = text_in.split('\n').enumerate();
    match lines.next() {
        Some((_, MAGIC)) => {}
        _ => return Err((1, format!("not a zcon zfs state file (expected '{MAGIC}')"))),
    }
    // The file is written in name order: collecting and bulk-building the map is much
    // cheaper than 100,000 ordered inserts.
    let mut datasets: Vec<(String, Node)> = Vec::with_capacity(text_in.len() / 100);
    let mut current: Option<(String, Node)> = None;
    for (i, line) in lines {
        if line.is_empty() {
            continue;
        }
        let mut f = Fields(Some(line));
        let res: Result<(), String> = (|| {
            match f.next() {
                Some("txg") => store.next_txg = unum(f.next(), "txg")?,
                Some("pool") => {
                    let name = text(f.next(), "pool name")?.to_string();
                    let size = unum(f.next(), "size")?;
                    let health = text(f.next(), "health")?.to_string();
                    let altroot = match text(f.next(), "altroot")? {
                        "-" => None,
                        a => Some(unescape(a)),
                    };
                    let pool = PoolState {
                        size,
                        health,
                        altroot,
                        guid: unum(f.next(), "guid")?,
                        frag: num(f.next(), "frag")?,
                        creation: num(f.next(), "creation")?,
                    };
                    store.pools.insert(name, pool);
                }
                Some("ds") => {
                    if let Some((name, node)) = current.take() {
                        datasets.push((name, node));
                    }
                    let name = text(f.next(), "dataset name")?.to_string();
                    let kind = match text(f.next(), "kind")? {
                        "f" => Kind::Filesystem,
                        "v" => Kind::Volume,
                        k => return Err(format!("unknown dataset kind '{k}'")),
                    };
                    let creation = num(f.next(), "creation")?;
                    let txg = unum(f.next(), "txg")?;
                    let guid = unum(f.next(), "guid")?;
                    let refer = unum(f.next(), "refer")?;
                    let shared = unum(f.next(), "shared")?;
                    let volsize = unum(f.next(), "volsize")?;
                    let origin = match text(f.next(), "origin")? {
                        "-" => None,
                        o => Some(o.to_string()),
                    };
                    let flags = text(f.next(), "flags")?;
                    let node = Node {
                        kind,
                        creation,
                        txg,
                        guid,
                        refer,
                        shared,
                        volsize,
                        origin,
                        props: parse_props(&mut f)?,
                        snaps: Vec::new(),
                        modified: flags.contains('m'),
                        unmounted: flags.contains('u'),
                    };
                    current = Some((name, node));
                }
                Some("snap") => {
                    let Some((_, node)) = current.as_mut() else {
                        return Err("snapshot line before any dataset".into());
                    };
                    let snap = Snap {
                        name: text(f.next(), "snapshot name")?.to_string(),
                        creation: num(f.next(), "creation")?,
                        txg: unum(f.next(), "txg")?,
                        guid: unum(f.next(), "guid")?,
                        refer: unum(f.next(), "refer")?,
                        used: unum(f.next(), "used")?,
                        volsize: unum(f.next(), "volsize")?,
                        props: parse_props(&mut f)?,
                    };
                    node.snaps.push(snap);
                }
                Some(other) => return Err(format!("unknown record '{other}'")),
                None => {}
            }
            Ok(())
        })();
        res.map_err(|msg| (i + 1, msg))?;
    }
    if let Some((name, node)) = current {
        datasets.push((name, node));
    }
    store.datasets = datasets.into_iter().collect();
    Ok(store)
}

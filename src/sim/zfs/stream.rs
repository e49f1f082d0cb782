//! `zfs send` / `zfs receive`: a stream format of the sim's own (datasets, snapshots with
//! their guids and sizes, properties), built from the store and applied to it with
//! libzfs' receive rules and messages. The data itself is not carried: its size is, so the
//! commands can take as long as the transfer would. Fields are tab-separated (shown as
//! spaces below).
//!
//! ```text
//! ZCONZFS 1
//! top <sent dataset> <sent snapshot|->
//! ds <relative name|.> <f|v> <volsize> <base guid|0> <base snapshot|-> <name=value>…
//! snap <name> <creation> <guid> <refer> <volsize>
//! end <bytes>
//! ```

use std::fmt::Write as _;

use super::persist::{escape_into, unescape};
use super::{Kind, Node, Prop, Snap, ZfsStore, parent_of, split_snap};

const MAGIC: &str = "ZCONZFS 1";

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StreamSnap {
    pub name: String,
    pub creation: i64,
    pub guid: u64,
    pub refer: u64,
    pub volsize: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StreamDs {
    /// "" for the sent dataset, "/child/…" below it.
    pub rel: String,
    pub kind: Kind,
    pub volsize: u64,
    /// Incremental base: (snapshot name, guid).
    pub base: Option<(String, u64)>,
    pub props: Vec<(String, String)>,
    pub snaps: Vec<StreamSnap>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Stream {
    /// The sent dataset and snapshot (`pool/a`, `s`).
    pub top: String,
    pub snap: Option<String>,
    pub datasets: Vec<StreamDs>,
    pub bytes: u64,
}

/// How `zfs send` was asked to build the stream.
#[derive(Debug, Clone, Default)]
pub(crate) struct SendSpec {
    /// `pool/a@s` (or `pool/a` for the current state of a filesystem).
    pub target: String,
    /// `-i`/`-I` base (short name or full `ds@snap`).
    pub from: Option<String>,
    /// `-I`: every snapshot between base and target.
    pub intermediates: bool,
    pub replicate: bool,
    pub props: bool,
}

impl Stream {
    pub(crate) fn render(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{MAGIC}\ntop\t{}\t{}",
            self.top,
            self.snap.as_deref().unwrap_or("-")
        );
        for d in &self.datasets {
            let rel = if d.rel.is_empty() { "." } else { &d.rel };
            let kind = if d.kind == Kind::Volume { 'v' } else { 'f' };
            let (bname, bguid) = d.base.as_ref().map_or(("-", 0), |(n, g)| (n.as_str(), *g));
            let _ = write!(out, "ds\t{rel}\t{kind}\t{}\t{bguid}\t{bname}", d.volsize);
            for (k, v) in &d.props {
                out.push('\t');
                out.push_str(k);
                out.push('=');
                escape_into(&mut out, v);
            }
            out.push('\n');
            for s in &d.snaps {
                let _ = writeln!(
                    out,
                    "snap\t{}\t{}\t{}\t{}\t{}",
                    s.name, s.creation, s.guid, s.refer, s.volsize
                );
            }
        }
        let _ = writeln!(out, "end\t{}", self.bytes);
        out
    }

    /// Parse a stream; the error is what `zfs receive` prints.
    pub(crate) fn parse(input: &[u8]) -> Result<Stream, String> {
        if input.is_empty() {
            return Err("cannot receive: failed to read from stream".into());
        }
        let bad = || "cannot receive: invalid stream (bad magic number)".to_string();
        let text = std::str::from_utf8(input).map_err(|_| bad())?;
        let mut lines = text.lines();
        if lines.next() != Some(MAGIC) {
            return Err(bad());
        }
        let mut stream = Stream {
            top: String::new(),
            snap: None,
            datasets: Vec::new(),
            bytes: 0,
        };
        let mut ended = false;
        let num = |s: Option<&str>| -> Result<u64, String> {
            s.and_then(|v| v.parse().ok()).ok_or_else(bad)
        };
        for line in lines {
            let mut f = line.split('\t');
            match f.next() {
                Some("top") => {
                    stream.top = f.next().ok_or_else(bad)?.to_string();
                    stream.snap = f.next().filter(|s| *s != "-").map(str::to_string);
                }
                Some("ds") => {
                    let rel = match f.next().ok_or_else(bad)? {
                        "." => String::new(),
                        r => r.to_string(),
                    };
                    let kind = match f.next() {
                        Some("v") => Kind::Volume,
                        Some("f") => Kind::Filesystem,
                        _ => return Err(bad()),
                    };
                    let volsize = num(f.next())?;
                    let bguid = num(f.next())?;
                    let bname = f.next().ok_or_else(bad)?;
                    let props = f
                        .map(|p| {
                            p.split_once('=')
                                .map(|(k, v)| (k.to_string(), unescape(v)))
                                .ok_or_else(bad)
                        })
                        .collect::<Result<Vec<_>, _>>()?;
                    stream.datasets.push(StreamDs {
                        rel,
                        kind,
                        volsize,
                        base: (bguid != 0).then(|| (bname.to_string(), bguid)),
                        props,
                        snaps: Vec::new(),
                    });
                }
                Some("snap") => {
                    let d = stream.datasets.last_mut().ok_or_else(bad)?;
                    d.snaps.push(StreamSnap {
                        name: f.next().ok_or_else(bad)?.to_string(),
                        creation: num(f.next())? as i64,
                        guid: num(f.next())?,
                        refer: num(f.next())?,
                        volsize: num(f.next())?,
                    });
                }
                Some("end") => {
                    stream.bytes = num(f.next())?;
                    ended = true;
                }
                _ => return Err(bad()),
            }
        }
        if !ended || stream.top.is_empty() {
            return Err("cannot receive: failed to read from stream".into());
        }
        Ok(stream)
    }
}

impl ZfsStore {
    /// Build what `zfs send` writes; the error is its message.
    pub(crate) fn build_stream(&self, spec: &SendSpec) -> Result<Stream, String> {
        let (ds, snap) = split_snap(&spec.target);
        let Some(node) = self.datasets.get(ds) else {
            return Err(format!("cannot open '{ds}': dataset does not exist"));
        };
        let Some(snap) = snap else {
            // The current state of a filesystem, without a snapshot.
            return Ok(Stream {
                top: ds.to_string(),
                snap: None,
                bytes: node.refer,
                datasets: vec![StreamDs {
                    rel: String::new(),
                    kind: node.kind,
                    volsize: node.volsize,
                    base: None,
                    props: Vec::new(),
                    snaps: Vec::new(),
                }],
            });
        };
        if node.snap(snap).is_none() {
            return Err(format!(
                "cannot open '{}': dataset does not exist",
                spec.target
            ));
        }
        let from = match spec.from.as_deref() {
            None => None,
            Some(f) => {
                let short = match f.split_once('@') {
                    Some(("", s)) => s,
                    Some((fds, s)) if fds == ds => s,
                    Some(_) => return Err("incremental source must be in same filesystem".into()),
                    None => f,
                };
                if short.contains('@') || short.contains('/') {
                    return Err("invalid incremental source".into());
                }
                Some(short.to_string())
            }
        };
        let members: Vec<&String> = if spec.replicate {
            self.subtree(ds)
                .filter(|(_, node)| node.snap(snap).is_some())
                .map(|(n, _)| n)
                .collect()
        } else {
            vec![self.datasets.get_key_value(ds).expect("checked").0]
        };
        let mut stream = Stream {
            top: ds.to_string(),
            snap: Some(snap.to_string()),
            datasets: Vec::new(),
            bytes: 0,
        };
        for name in members {
            let node = &self.datasets[name.as_str()];
            let end = node
                .snaps
                .iter()
                .position(|s| s.name == snap)
                .expect("filtered");
            let (start, base) = match &from {
                None if spec.replicate => (0, None),
                None => (end, None),
                Some(f) => {
                    let Some(b) = node.snaps.iter().position(|s| &s.name == f) else {
                        return Err(format!(
                            "cannot send '{name}@{snap}': incremental source ({name}@{f}) does not exist"
                        ));
                    };
                    if b >= end {
                        return Err(format!(
                            "cannot send '{name}@{snap}': not an earlier snapshot from the same fs"
                        ));
                    }
                    let start = if spec.intermediates { b + 1 } else { end };
                    (start, Some((f.clone(), node.snaps[b].guid)))
                }
            };
            let mut prev = base
                .as_ref()
                .and_then(|(f, _)| node.snap(f))
                .map(|s| s.refer);
            let mut snaps = Vec::new();
            for s in &node.snaps[start..=end] {
                stream.bytes += match prev {
                    Some(p) => s.refer.abs_diff(p),
                    None => s.refer,
                };
                prev = Some(s.refer);
                snaps.push(StreamSnap {
                    name: s.name.clone(),
                    creation: s.creation,
                    guid: s.guid,
                    refer: s.refer,
                    volsize: s.volsize,
                });
            }
            let props = if spec.replicate || spec.props {
                node.props
                    .iter()
                    .map(|p| (p.name.clone(), p.value.clone()))
                    .collect()
            } else {
                Vec::new()
            };
            stream.datasets.push(StreamDs {
                rel: name[ds.len()..].to_string(),
                kind: node.kind,
                volsize: node.volsize,
                base,
                props,
                snaps,
            });
        }
        Ok(stream)
    }

    /// Apply a received stream at `target` (`-d`: `prefix`, `-e`: `tail` naming). Returns
    /// the snapshots received (full names). Errors are zfs receive's messages.
    pub(crate) fn receive_stream(
        &mut self,
        host: &super::SimHost,
        stream: &Stream,
        target: &str,
        naming: Naming,
        force: bool,
        no_mount: bool,
    ) -> Result<Vec<String>, String> {
        let (tds, tsnap) = split_snap(target);
        let base = match naming {
            Naming::Exact => tds.to_string(),
            Naming::Prefix => match stream.top.split_once('/') {
                Some((_, rest)) => format!("{tds}/{rest}"),
                None => tds.to_string(),
            },
            Naming::Tail => {
                let last = stream.top.rsplit('/').next().unwrap_or(&stream.top);
                format!("{tds}/{last}")
            }
        };
        if naming == Naming::Prefix {
            // -d creates the missing filesystems between the target and the received one.
            if !self.datasets.contains_key(tds) {
                return Err(format!("cannot open '{tds}': dataset does not exist"));
            }
            if !self.datasets.contains_key(&base) {
                self.create_ancestors(host, &base)?;
            }
        }
        let mut received = Vec::new();
        for d in &stream.datasets {
            let dest = format!("{base}{}", d.rel);
            let single_rename = d.rel.is_empty() && stream.datasets.len() == 1;
            let rename_snap = tsnap.filter(|_| single_rename);
            match &d.base {
                None => self.receive_full(d, &dest, rename_snap, force, no_mount)?,
                Some(b) => self.receive_incremental(d, b, &dest, rename_snap, force)?,
            }
            let names = d.snaps.iter().enumerate().map(|(i, s)| {
                let short = match rename_snap {
                    Some(r) if i + 1 == d.snaps.len() => r,
                    _ => s.name.as_str(),
                };
                format!("{dest}@{short}")
            });
            received.extend(names);
        }
        self.space = None;
        Ok(received)
    }

    fn receive_full(
        &mut self,
        d: &StreamDs,
        dest: &str,
        rename_snap: Option<&str>,
        force: bool,
        no_mount: bool,
    ) -> Result<(), String> {
        let errbuf = "cannot receive new filesystem stream";
        if let Some(existing) = self.datasets.get(dest) {
            if !force {
                return Err(format!(
                    "{errbuf}: destination '{dest}' exists\nmust specify -F to overwrite it"
                ));
            }
            if let Some(s) = existing.snaps.first() {
                return Err(format!(
                    "{errbuf}: destination has snapshots (eg. {dest}@{})\n\
                     must destroy them to overwrite it",
                    s.name
                ));
            }
            if existing.origin.is_some() {
                return Err(format!(
                    "{errbuf}: destination '{dest}' is a clone\nmust destroy it to overwrite it"
                ));
            }
        } else {
            if let Some(why) = super::name_error(dest, false, true) {
                return Err(format!("{errbuf}: {why}"));
            }
            match parent_of(dest).and_then(|p| self.datasets.get(p)) {
                Some(p) if p.kind == Kind::Filesystem => {}
                Some(_) => return Err(format!("{errbuf}: parent of '{dest}' is not a filesystem")),
                None => return Err(format!("{errbuf}: dataset does not exist")),
            }
        }
        let resv = d
            .props
            .iter()
            .filter(|(k, _)| k == "refreservation" || k == "reservation")
            .filter_map(|(_, v)| v.parse::<u64>().ok())
            .max()
            .unwrap_or(0);
        let bytes = d.snaps.last().map_or(0, |s| s.refer).max(resv);
        if bytes > self.avail_below(parent_of(dest).unwrap_or(dest)) {
            return Err(format!("{errbuf}: out of space"));
        }
        let txg = self.txg();
        let mut node = Node::new(d.kind, txg);
        node.volsize = d.volsize;
        node.unmounted = no_mount;
        node.props = d
            .props
            .iter()
            .map(|(k, v)| Prop {
                name: k.clone(),
                value: v.clone(),
                received: true,
            })
            .collect();
        append_received_snaps(&mut node, d, rename_snap, txg);
        if let Some(last) = d.snaps.last() {
            node.refer = last.refer;
        }
        if let Some(old) = self.datasets.get(dest) {
            node.creation = old.creation;
        }
        self.datasets.insert(dest.to_string(), node);
        Ok(())
    }

    fn receive_incremental(
        &mut self,
        d: &StreamDs,
        (_, bguid): &(String, u64),
        dest: &str,
        rename_snap: Option<&str>,
        force: bool,
    ) -> Result<(), String> {
        let errbuf = "cannot receive incremental stream";
        let Some(node) = self.datasets.get(dest) else {
            return Err(format!("{errbuf}: destination '{dest}' does not exist"));
        };
        let Some(pos) = node.snaps.iter().position(|s| s.guid == *bguid) else {
            return Err(format!(
                "{errbuf}: most recent snapshot of {dest} does not\nmatch incremental source"
            ));
        };
        let latest = pos + 1 == node.snaps.len();
        if !latest && !force {
            return Err(format!(
                "{errbuf}: most recent snapshot of {dest} does not\nmatch incremental source"
            ));
        }
        if latest && node.modified && !force {
            return Err(format!(
                "{errbuf}: destination {dest} has been modified\nsince most recent snapshot"
            ));
        }
        let n = d.snaps.len();
        for (i, s) in d.snaps.iter().enumerate() {
            let name = match rename_snap {
                Some(r) if i + 1 == n => r,
                _ => s.name.as_str(),
            };
            if node.snaps[..=pos].iter().any(|x| x.name == name) {
                return Err(format!("{errbuf}: destination '{dest}@{name}' exists"));
            }
        }
        let txg = self.txg();
        let node = self.datasets.get_mut(dest).expect("checked");
        // -F: roll back to the base first, dropping later snapshots and changes.
        node.snaps.truncate(pos + 1);
        append_received_snaps(node, d, rename_snap, txg);
        if let Some(last) = d.snaps.last() {
            node.refer = last.refer;
            if node.kind == Kind::Volume {
                node.volsize = last.volsize;
            }
        }
        node.modified = false;
        for (k, v) in &d.props {
            node.set_prop(k, v, true);
        }
        Ok(())
    }
}

/// How `zfs receive` names what it creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Naming {
    /// The target is the dataset to create.
    Exact,
    /// `-d`: the sent name without its pool, below the target.
    Prefix,
    /// `-e`: the last component of the sent name, below the target.
    Tail,
}

/// Add a stream's snapshots to the receiving dataset; `rename` names the last one (a
/// receive into `fs@snap`).
fn append_received_snaps(node: &mut Node, d: &StreamDs, rename: Option<&str>, txg: u64) {
    let n = d.snaps.len();
    for (i, s) in d.snaps.iter().enumerate() {
        let name = match rename {
            Some(r) if i + 1 == n => r.to_string(),
            _ => s.name.clone(),
        };
        node.snaps.push(Snap {
            name,
            creation: s.creation,
            txg,
            guid: s.guid,
            refer: s.refer,
            used: 0,
            volsize: s.volsize,
            props: Vec::new(),
        });
    }
}

//! The dataset property table (what `zfs get all` shows, in illumos' order), validation of
//! `zfs set`/`create -o` values, and how values and sources are printed.

use super::space::Usage;
use super::{Kind, Node, Snap, ZfsStore};

pub(crate) const FS: u8 = 1;
pub(crate) const VOL: u8 = 2;
pub(crate) const SNAP: u8 = 4;
const ALL: u8 = FS | VOL | SNAP;

/// How a property's value is stored and printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PType {
    /// Bytes: `10G` in human form, exact with `-p`.
    Bytes,
    /// Bytes where 0 means `none` (quota, reservation …).
    BytesOrNone,
    /// A plain count (createtxg, guid, copies …).
    Count,
    /// A count where u64::MAX means `none` (filesystem_limit …).
    CountOrNone,
    /// Seconds since the epoch, printed as a date.
    Date,
    /// A ratio printed `1.00x` (`1.00` with -p).
    Ratio,
    /// One of a fixed set of words.
    Index(&'static [&'static str]),
    /// Free text.
    Str,
}

#[derive(Debug)]
pub(crate) struct PropDef {
    pub name: &'static str,
    /// The `zfs list` column header.
    pub column: &'static str,
    pub ptype: PType,
    pub types: u8,
    pub readonly: bool,
    pub inherit: bool,
    /// Only settable at creation (volblocksize, casesensitivity …).
    pub setonce: bool,
    /// Literal default value ("" for computed properties).
    pub default: &'static str,
    /// What zfs lists as the valid values in error messages.
    pub values: &'static str,
}

const ON_OFF: &[&str] = &["on", "off"];

macro_rules! p {
    ($name:literal, $col:literal, $pt:expr, $types:expr, ro) => {
        PropDef {
            name: $name,
            column: $col,
            ptype: $pt,
            types: $types,
            readonly: true,
            inherit: false,
            setonce: false,
            default: "",
            values: "",
        }
    };
    ($name:literal, $col:literal, $pt:expr, $types:expr, once, $def:literal, $vals:literal) => {
        PropDef {
            name: $name,
            column: $col,
            ptype: $pt,
            types: $types,
            readonly: false,
            inherit: false,
            setonce: true,
            default: $def,
            values: $vals,
        }
    };
    ($name:literal, $col:literal, $pt:expr, $types:expr, $inh:literal, $def:literal, $vals:literal) => {
        PropDef {
            name: $name,
            column: $col,
            ptype: $pt,
            types: $types,
            readonly: false,
            inherit: $inh,
            setonce: false,
            default: $def,
            values: $vals,
        }
    };
}

/// Every native property, in the order illumos prints `zfs get all`.
#[rustfmt::skip]
pub(crate) static PROPS: &[PropDef] = &[
    p!("type", "TYPE", PType::Str, ALL, ro),
    p!("creation", "CREATION", PType::Date, ALL, ro),
    p!("used", "USED", PType::Bytes, ALL, ro),
    p!("available", "AVAIL", PType::Bytes, FS | VOL, ro),
    p!("referenced", "REFER", PType::Bytes, ALL, ro),
    p!("compressratio", "RATIO", PType::Ratio, ALL, ro),
    p!("mounted", "MOUNTED", PType::Index(&["yes", "no"]), FS, ro),
    p!("origin", "ORIGIN", PType::Str, FS | VOL, ro),
    p!("quota", "QUOTA", PType::BytesOrNone, FS, false, "0", "<size> | none"),
    p!("reservation", "RESERV", PType::BytesOrNone, FS | VOL, false, "0", "<size> | none"),
    p!("volsize", "VOLSIZE", PType::Bytes, VOL | SNAP, false, "", "<size>"),
    p!("volblocksize", "VOLBLOCK", PType::Bytes, VOL, once, "8192", "512 to 128k, power of 2"),
    p!("recordsize", "RECSIZE", PType::Bytes, FS, true, "131072", "512 to 1M, power of 2"),
    p!("mountpoint", "MOUNTPOINT", PType::Str, FS, true, "", "<path> | legacy | none"),
    p!("sharenfs", "SHARENFS", PType::Str, FS, true, "off", "on | off | share(1M) options"),
    p!("checksum", "CHECKSUM", PType::Index(&["on", "off", "fletcher2", "fletcher4", "sha256", "noparity", "sha512", "skein", "edonr"]),
        FS | VOL, true, "on", "on | off | fletcher2 | fletcher4 | sha256 | sha512 | skein | edonr"),
    p!("compression", "COMPRESS", PType::Index(&["on", "off", "lzjb", "gzip", "gzip-1", "gzip-2", "gzip-3", "gzip-4", "gzip-5", "gzip-6", "gzip-7", "gzip-8", "gzip-9", "zle", "lz4"]),
        FS | VOL, true, "off", "on | off | lzjb | gzip | gzip-[1-9] | zle | lz4"),
    p!("atime", "ATIME", PType::Index(ON_OFF), FS, true, "on", "on | off"),
    p!("devices", "DEVICES", PType::Index(ON_OFF), FS | SNAP, true, "on", "on | off"),
    p!("exec", "EXEC", PType::Index(ON_OFF), FS | SNAP, true, "on", "on | off"),
    p!("setuid", "SETUID", PType::Index(ON_OFF), FS | SNAP, true, "on", "on | off"),
    p!("readonly", "RDONLY", PType::Index(ON_OFF), FS | VOL, true, "off", "on | off"),
    p!("zoned", "ZONED", PType::Index(ON_OFF), FS, true, "off", "on | off"),
    p!("snapdir", "SNAPDIR", PType::Index(&["hidden", "visible"]), FS, true, "hidden", "hidden | visible"),
    p!("aclmode", "ACLMODE", PType::Index(&["discard", "groupmask", "passthrough", "restricted"]),
        FS, true, "discard", "discard | groupmask | passthrough | restricted"),
    p!("aclinherit", "ACLINHERIT", PType::Index(&["discard", "noallow", "restricted", "passthrough", "passthrough-x"]),
        FS, true, "restricted", "discard | noallow | restricted | passthrough | passthrough-x"),
    p!("createtxg", "CREATETXG", PType::Count, ALL, ro),
    p!("canmount", "CANMOUNT", PType::Index(&["on", "off", "noauto"]), FS, false, "on", "on | off | noauto"),
    p!("xattr", "XATTR", PType::Index(ON_OFF), FS | SNAP, true, "on", "on | off"),
    p!("copies", "COPIES", PType::Index(&["1", "2", "3"]), FS | VOL, true, "1", "1 | 2 | 3"),
    p!("version", "VERSION", PType::Count, FS | SNAP, ro),
    p!("utf8only", "UTF8ONLY", PType::Index(ON_OFF), FS | SNAP, once, "off", "on | off"),
    p!("normalization", "NORMALIZATION", PType::Index(&["none", "formC", "formD", "formKC", "formKD"]),
        FS | SNAP, once, "none", "none | formC | formD | formKC | formKD"),
    p!("casesensitivity", "CASE", PType::Index(&["sensitive", "insensitive", "mixed"]),
        FS | SNAP, once, "sensitive", "sensitive | insensitive | mixed"),
    p!("vscan", "VSCAN", PType::Index(ON_OFF), FS, true, "off", "on | off"),
    p!("nbmand", "NBMAND", PType::Index(ON_OFF), FS | SNAP, true, "off", "on | off"),
    p!("sharesmb", "SHARESMB", PType::Str, FS, true, "off", "on | off | sharemgr(1M) options"),
    p!("refquota", "REFQUOTA", PType::BytesOrNone, FS, false, "0", "<size> | none"),
    p!("refreservation", "REFRESERV", PType::BytesOrNone, FS | VOL, false, "0", "<size> | none"),
    p!("guid", "GUID", PType::Count, ALL, ro),
    p!("primarycache", "PRIMARYCACHE", PType::Index(&["all", "none", "metadata"]), ALL, true, "all", "all | none | metadata"),
    p!("secondarycache", "SECONDARYCACHE", PType::Index(&["all", "none", "metadata"]), ALL, true, "all", "all | none | metadata"),
    p!("usedbysnapshots", "USEDSNAP", PType::Bytes, FS | VOL, ro),
    p!("usedbydataset", "USEDDS", PType::Bytes, FS | VOL, ro),
    p!("usedbychildren", "USEDCHILD", PType::Bytes, FS | VOL, ro),
    p!("usedbyrefreservation", "USEDREFRESERV", PType::Bytes, FS | VOL, ro),
    p!("defer_destroy", "DEFER_DESTROY", PType::Index(ON_OFF), SNAP, ro),
    p!("userrefs", "USERREFS", PType::Count, SNAP, ro),
    p!("logbias", "LOGBIAS", PType::Index(&["latency", "throughput"]), FS | VOL, true, "latency", "latency | throughput"),
    p!("dedup", "DEDUP", PType::Index(&["on", "off", "verify", "sha256", "sha256,verify"]),
        FS | VOL, true, "off", "on | off | verify | sha256[,verify]"),
    p!("mlslabel", "MLSLABEL", PType::Str, ALL, true, "none", "<sensitivity label>"),
    p!("sync", "SYNC", PType::Index(&["standard", "always", "disabled"]), FS | VOL, true, "standard", "standard | always | disabled"),
    p!("refcompressratio", "REFRATIO", PType::Ratio, ALL, ro),
    p!("written", "WRITTEN", PType::Bytes, ALL, ro),
    p!("clones", "CLONES", PType::Str, SNAP, ro),
    p!("logicalused", "LUSED", PType::Bytes, FS | VOL, ro),
    p!("logicalreferenced", "LREFER", PType::Bytes, ALL, ro),
    p!("filesystem_limit", "FSLIMIT", PType::CountOrNone, FS, false, "18446744073709551615", "<count> | none"),
    p!("snapshot_limit", "SSLIMIT", PType::CountOrNone, FS | VOL, false, "18446744073709551615", "<count> | none"),
    p!("filesystem_count", "FSCOUNT", PType::Count, FS, ro),
    p!("snapshot_count", "SSCOUNT", PType::Count, FS | VOL, ro),
    p!("redundant_metadata", "REDUND_MD", PType::Index(&["all", "most"]), FS | VOL, true, "all", "all | most"),
];

/// Short names zfs accepts for some properties (`zfs list -o avail,refer`).
const ALIASES: &[(&str, &str)] = &[
    ("avail", "available"),
    ("refer", "referenced"),
    ("ratio", "compressratio"),
    ("reserv", "reservation"),
    ("refreserv", "refreservation"),
    ("volblock", "volblocksize"),
    ("recsize", "recordsize"),
    ("compress", "compression"),
    ("rdonly", "readonly"),
    ("usedsnap", "usedbysnapshots"),
    ("usedds", "usedbydataset"),
    ("usedchild", "usedbychildren"),
    ("usedrefreserv", "usedbyrefreservation"),
    ("refratio", "refcompressratio"),
    ("lused", "logicalused"),
    ("lrefer", "logicalreferenced"),
];

/// The native property a name (or alias) denotes.
pub(crate) fn lookup(name: &str) -> Option<&'static PropDef> {
    let name = ALIASES
        .iter()
        .find(|(a, _)| *a == name)
        .map_or(name, |(_, full)| full);
    PROPS.iter().find(|p| p.name == name)
}

/// zfs_prop_user(): lowercase letters, digits, `-_.:`, and at least one `:`.
pub(crate) fn is_user_prop(name: &str) -> bool {
    name.contains(':')
        && name.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.' | b':')
        })
}

/// The type bit of a dataset.
pub(crate) fn type_bit(kind: Kind, snapshot: bool) -> u8 {
    match (snapshot, kind) {
        (true, _) => SNAP,
        (false, Kind::Filesystem) => FS,
        (false, Kind::Volume) => VOL,
    }
}

/// Parse a size the way zfs_nicestrtonum() does; the error is the aux message zfs prints.
pub(crate) fn parse_num(value: &str) -> Result<u64, String> {
    if !value.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        return Err(format!("bad numeric value '{value}'"));
    }
    let split = value
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(value.len());
    let (num, suffix) = value.split_at(split);
    let shift = match suffix.to_ascii_uppercase().as_str() {
        "" | "B" => 0,
        "K" | "KB" => 10,
        "M" | "MB" => 20,
        "G" | "GB" => 30,
        "T" | "TB" => 40,
        "P" | "PB" => 50,
        "E" | "EB" => 60,
        _ => return Err(format!("invalid numeric suffix '{suffix}'")),
    };
    if num.contains('.') {
        let f: f64 = num
            .parse()
            .map_err(|_| format!("bad numeric value '{value}'"))?;
        let v = f * (1u64 << shift) as f64;
        if v >= u64::MAX as f64 {
            return Err("numeric value is too large".into());
        }
        return Ok(v as u64);
    }
    let n: u64 = num
        .parse()
        .map_err(|_| "numeric value is too large".to_string())?;
    n.checked_mul(1u64 << shift)
        .ok_or_else(|| "numeric value is too large".to_string())
}

/// Check a value for `zfs set` / `create -o` and return it in its stored (literal) form.
/// The error is zfs' aux message (printed after "cannot set property for 'X': ").
pub(crate) fn normalize(def: &PropDef, value: &str) -> Result<String, String> {
    let name = def.name;
    match def.ptype {
        PType::BytesOrNone if value == "none" => Ok("0".into()),
        PType::CountOrNone if value == "none" => Ok(u64::MAX.to_string()),
        PType::Bytes | PType::BytesOrNone | PType::Count | PType::CountOrNone => {
            let n = parse_num(value)?;
            if n == 0 && matches!(name, "quota" | "refquota") {
                return Err("use 'none' to disable quota/refquota".into());
            }
            if name == "recordsize" && (!n.is_power_of_two() || !(512..=1 << 20).contains(&n)) {
                return Err(format!("'{name}' must be power of 2 from 512B to 1024KB"));
            }
            if name == "volblocksize" && (!n.is_power_of_two() || !(512..=128 << 10).contains(&n)) {
                return Err(format!("'{name}' must be power of 2 from 512B to 128KB"));
            }
            Ok(n.to_string())
        }
        PType::Index(words) => {
            if words.contains(&value) {
                Ok(value.to_string())
            } else {
                Err(format!("'{name}' must be one of '{}'", def.values))
            }
        }
        PType::Str if name == "mountpoint" => {
            if value == "none" || value == "legacy" || value.starts_with('/') {
                Ok(value.to_string())
            } else {
                Err(format!(
                    "'{name}' must be an absolute path, 'none', or 'legacy'"
                ))
            }
        }
        _ => {
            if value.len() >= 8192 {
                return Err(format!("'{name}' is too long"));
            }
            Ok(value.to_string())
        }
    }
}

/// Where a value comes from, as the SOURCE column prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Source {
    None,
    Default,
    Local,
    Received,
    Inherited(String),
}

impl Source {
    pub(crate) fn render(&self) -> String {
        match self {
            Source::None => "-".into(),
            Source::Default => "default".into(),
            Source::Local => "local".into(),
            Source::Received => "received".into(),
            Source::Inherited(from) => format!("inherited from {from}"),
        }
    }

    /// The `-s` category.
    pub(crate) fn category(&self) -> &'static str {
        match self {
            Source::None => "none",
            Source::Default => "default",
            Source::Local => "local",
            Source::Received => "received",
            Source::Inherited(_) => "inherited",
        }
    }
}

/// zfs_nicenum(): at most five characters, no unit for bytes ("512", "24.5K", "10G").
pub(crate) fn nicenum(num: u64) -> String {
    const UNITS: &[u8] = b" KMGTPE";
    let mut n = num;
    let mut index = 0;
    while n >= 1024 && index < 6 {
        n /= 1024;
        index += 1;
    }
    if index == 0 {
        return n.to_string();
    }
    let u = UNITS[index] as char;
    if num & ((1u64 << (10 * index)) - 1) == 0 {
        return format!("{n}{u}");
    }
    let v = num as f64 / (1u64 << (10 * index)) as f64;
    for prec in (0..=2).rev() {
        let s = format!("{v:.prec$}{u}");
        if s.len() <= 5 {
            return s;
        }
    }
    format!("{v:.0}{u}")
}

/// A creation time as `zfs get creation` prints it: `Mon Jan 15 10:22 2024`, local time.
pub(crate) fn format_date(secs: i64) -> String {
    let Ok(ts) = jiff::Timestamp::from_second(secs) else {
        return secs.to_string();
    };
    ts.to_zoned(jiff::tz::TimeZone::system())
        .strftime("%a %b %e %k:%M %Y")
        .to_string()
}

/// Render a stored literal value of a property for output.
pub(crate) fn display(def: &PropDef, literal_value: &str, literal: bool) -> String {
    if literal {
        return literal_value.to_string();
    }
    let n = || literal_value.parse::<u64>().ok();
    match def.ptype {
        PType::Bytes => n().map_or_else(|| literal_value.to_string(), nicenum),
        PType::BytesOrNone => match n() {
            Some(0) => "none".into(),
            Some(v) => nicenum(v),
            None => literal_value.to_string(),
        },
        PType::CountOrNone => match n() {
            Some(u64::MAX) => "none".into(),
            _ => literal_value.to_string(),
        },
        PType::Date => literal_value
            .parse::<i64>()
            .map_or_else(|_| literal_value.to_string(), format_date),
        PType::Ratio => format!("{literal_value}x"),
        _ => literal_value.to_string(),
    }
}

/// One dataset or snapshot as the property code sees it.
pub(crate) struct View<'a> {
    /// Full name (`pool/a` or `pool/a@s`).
    pub name: &'a str,
    /// The filesystem or volume (the snapshot's parent for snapshots).
    pub ds: &'a str,
    pub node: &'a Node,
    pub snap: Option<&'a Snap>,
    /// Space accounting of the head dataset (unused for snapshots).
    pub usage: Usage,
    /// The mountpoint when a listing computed all of them at once.
    pub mountpoint: Option<(String, Source)>,
}

impl View<'_> {
    fn bit(&self) -> u8 {
        type_bit(self.node.kind, self.snap.is_some())
    }

    pub(crate) fn applies(&self, def: &PropDef) -> bool {
        def.types & self.bit() != 0
    }
}

/// The literal value and source of a native property, or None when it does not apply to
/// this dataset (zfs prints `-` then, or skips it under `all`).
pub(crate) fn native(store: &ZfsStore, v: &View, def: &PropDef) -> Option<(String, Source)> {
    if !v.applies(def) {
        return None;
    }
    let ro = |s: String| Some((s, Source::None));
    let node = v.node;
    let u = &v.usage;
    if let Some(snap) = v.snap {
        match def.name {
            "type" => return ro("snapshot".into()),
            "creation" => return ro(snap.creation.to_string()),
            "used" => return ro(snap.used.to_string()),
            "referenced" | "logicalreferenced" => return ro(snap.refer.to_string()),
            "compressratio" | "refcompressratio" => return ro("1.00".into()),
            "createtxg" => return ro(snap.txg.to_string()),
            "guid" => return ro(snap.guid.to_string()),
            "version" => return ro("5".into()),
            "defer_destroy" => return ro("off".into()),
            "userrefs" => return ro("0".into()),
            "volsize" if node.kind == Kind::Volume => return ro(snap.volsize.to_string()),
            "volsize" => return None,
            "written" => return ro(store.snapshot_written(v.ds, snap).to_string()),
            "clones" => return ro(store.clones_of(v.name).join(",")),
            _ => {}
        }
    } else {
        match def.name {
            "type" => {
                return ro(match node.kind {
                    Kind::Filesystem => "filesystem".into(),
                    Kind::Volume => "volume".into(),
                });
            }
            "creation" => return ro(node.creation.to_string()),
            "used" | "logicalused" => return ro(u.used.to_string()),
            "available" => return ro(u.avail.to_string()),
            "referenced" | "logicalreferenced" => return ro(node.refer.to_string()),
            "compressratio" | "refcompressratio" => return ro("1.00".into()),
            "mounted" => {
                return ro(if store.is_mounted(v.ds) { "yes" } else { "no" }.into());
            }
            "origin" => return node.origin.clone().map(|o| (o, Source::None)),
            "volsize" => return Some((node.volsize.to_string(), Source::Local)),
            "createtxg" => return ro(node.txg.to_string()),
            "guid" => return ro(node.guid.to_string()),
            "version" => return ro("5".into()),
            "usedbysnapshots" => return ro(u.by_snapshots.to_string()),
            "usedbydataset" => return ro(u.by_dataset.to_string()),
            "usedbychildren" => return ro(u.by_children.to_string()),
            "usedbyrefreservation" => return ro(u.by_refreservation.to_string()),
            "written" => return ro(store.head_written(node).to_string()),
            "filesystem_count" => return ro(store.count_below(v.ds, false).to_string()),
            "snapshot_count" => return ro(store.count_below(v.ds, true).to_string()),
            "mountpoint" => {
                return Some(match &v.mountpoint {
                    Some(mp) => mp.clone(),
                    None => store.mountpoint_with_source(v.ds),
                });
            }
            _ => {}
        }
    }
    if def.readonly {
        return None;
    }
    if def.setonce {
        // Set-once properties read "-" as their source when given at creation.
        return Some(match node.local(def.name) {
            Some(p) => (p.value.clone(), Source::None),
            None => (def.default.to_string(), Source::Default),
        });
    }
    Some(store.resolve(v.ds, v.snap, def.name, def.inherit, def.default))
}

/// A user property's value and source, or None when it is set nowhere.
pub(crate) fn user(store: &ZfsStore, v: &View, name: &str) -> Option<(String, Source)> {
    let (value, src) = store.resolve(v.ds, v.snap, name, true, "");
    (src != Source::Default).then_some((value, src))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nicenum_matches_illumos() {
        assert_eq!(nicenum(0), "0");
        assert_eq!(nicenum(1000), "1000");
        assert_eq!(nicenum(24576), "24K");
        assert_eq!(nicenum(25088), "24.5K");
        assert_eq!(nicenum(10 << 30), "10G");
        assert_eq!(nicenum(11083186176), "10.3G");
        assert_eq!(nicenum(10239), "10.0K");
        assert_eq!(nicenum(912680550400), "850G");
    }

    #[test]
    fn values_are_normalized_or_refused_like_zfs() {
        let q = lookup("quota").unwrap();
        assert_eq!(normalize(q, "10G").unwrap(), "10737418240");
        assert_eq!(normalize(q, "none").unwrap(), "0");
        assert!(normalize(q, "0").unwrap_err().contains("use 'none'"));
        assert!(
            normalize(q, "ten")
                .unwrap_err()
                .contains("bad numeric value 'ten'")
        );
        assert!(
            normalize(q, "10X")
                .unwrap_err()
                .contains("invalid numeric suffix 'X'")
        );
        let c = lookup("compress").unwrap();
        assert_eq!(c.name, "compression");
        assert!(
            normalize(c, "zstd")
                .unwrap_err()
                .contains("must be one of 'on | off | lzjb")
        );
        let m = lookup("mountpoint").unwrap();
        assert!(normalize(m, "zones").unwrap_err().contains("absolute path"));
        let b = lookup("volblocksize").unwrap();
        assert!(normalize(b, "3000").unwrap_err().contains("power of 2"));
        assert_eq!(normalize(b, "16K").unwrap(), "16384");
        assert!(is_user_prop("zcon:owner"));
        assert!(!is_user_prop("Zcon:owner"));
        assert!(!is_user_prop("owner"));
    }

    #[test]
    fn display_forms() {
        let q = lookup("quota").unwrap();
        assert_eq!(display(q, "0", false), "none");
        assert_eq!(display(q, "0", true), "0");
        assert_eq!(display(lookup("used").unwrap(), "1536", false), "1.50K");
        assert_eq!(
            display(lookup("compressratio").unwrap(), "1.00", false),
            "1.00x"
        );
        let d = display(lookup("creation").unwrap(), "1700000000", false);
        assert!(d.ends_with(" 2023") && d.len() >= 20, "{d}");
    }
}

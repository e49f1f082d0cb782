//! zfs(8): the dataset listing zcon refreshes (`zfs list -Hp -t all -o …`), `zfs get -Hp`,
//! the argv of every dataset operation, and the dataset name rules.

use serde::Serialize;

use super::{Command, ParseError};

mod build;
mod names;

pub use build::*;
pub use names::*;

/// What `zfs list -o type` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DatasetType {
    Filesystem,
    Volume,
    Snapshot,
    Bookmark,
}

impl DatasetType {
    pub fn as_str(self) -> &'static str {
        match self {
            DatasetType::Filesystem => "filesystem",
            DatasetType::Volume => "volume",
            DatasetType::Snapshot => "snapshot",
            DatasetType::Bookmark => "bookmark",
        }
    }

    pub fn parse(text: &str) -> Option<DatasetType> {
        match text {
            "filesystem" => Some(DatasetType::Filesystem),
            "volume" => Some(DatasetType::Volume),
            "snapshot" => Some(DatasetType::Snapshot),
            "bookmark" => Some(DatasetType::Bookmark),
            _ => None,
        }
    }
}

/// One line of [`list_all`]. Fields zfs prints as `-` (not applicable) are None.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dataset {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: DatasetType,
    pub used: Option<u64>,
    pub avail: Option<u64>,
    pub refer: Option<u64>,
    /// None for `-` (volumes, snapshots) and for `none`; `legacy` is kept as a string.
    pub mountpoint: Option<String>,
    pub volsize: Option<u64>,
    /// The snapshot a clone was created from.
    pub origin: Option<String>,
    /// Unix time.
    pub creation: Option<i64>,
}

/// The columns [`list_all`] asks for, in order.
pub const LIST_FIELDS: &str = "name,type,used,avail,refer,mountpoint,volsize,origin,creation";
const LIST_SOURCE: &str = "zfs list -Hp";

/// `zfs list -Hp -t all -o name,type,used,avail,refer,mountpoint,volsize,origin,creation`:
/// every dataset, snapshot and bookmark on the host.
pub fn list_all() -> Command {
    Command::read("zfs").args(["list", "-Hp", "-t", "all", "-o", LIST_FIELDS])
}

/// The same columns for one dataset and everything below it.
pub fn list_tree(root: &str) -> Command {
    Command::read("zfs").args(["list", "-Hp", "-r", "-t", "all", "-o", LIST_FIELDS, root])
}

/// `zfs list -H -o name NAME`: succeeds only if the dataset exists.
pub fn list_one(name: &str) -> Command {
    Command::read("zfs").args(["list", "-H", "-o", "name", name])
}

/// Decimal digits to u64 without the generic machinery of `str::parse` (hot path).
fn digits(field: &str) -> Option<u64> {
    if field.is_empty() || field.len() > 20 {
        return None;
    }
    let mut n: u64 = 0;
    for b in field.bytes() {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        n = n.checked_mul(10)?.checked_add(u64::from(d))?;
    }
    Some(n)
}

fn opt_u64(field: &str, what: &str, line: usize) -> Result<Option<u64>, ParseError> {
    if field == "-" {
        return Ok(None);
    }
    digits(field).map(Some).ok_or_else(|| {
        ParseError::new(
            LIST_SOURCE,
            line,
            format!("{what} '{field}' is not a number of bytes"),
        )
    })
}

/// The lines of `text` (a SIMD search for the newlines; the last line needs no newline).
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', text.as_bytes()).chain(std::iter::once(text.len()));
    ends.map(move |end| {
        let line = &text[start..end];
        start = (end + 1).min(text.len());
        line
    })
}

/// Split a line into exactly `out.len()` tab-separated fields, or say how many it has.
fn split_fields<'a>(line: &'a str, out: &mut [&'a str]) -> Result<(), usize> {
    let mut k = 0;
    let mut start = 0;
    for i in memchr::memchr_iter(b'\t', line.as_bytes()) {
        if k + 1 == out.len() {
            return Err(out.len()
                + 1
                + memchr::memchr_iter(b'\t', &line.as_bytes()[i + 1..]).count());
        }
        out[k] = &line[start..i];
        k += 1;
        start = i + 1;
    }
    if k + 1 != out.len() {
        return Err(k + 1);
    }
    out[k] = &line[start..];
    Ok(())
}

/// Parse the output of [`list_all`] / [`list_tree`]: nine tab-separated columns per line,
/// exact integers. Runs on 100,000 lines at every refresh, so it allocates only the strings
/// it keeps.
pub fn parse_list(text: &str) -> Result<Vec<Dataset>, ParseError> {
    // Lines are about 90 bytes; a close guess saves regrowing a 17 MB vector.
    let mut out = Vec::with_capacity(text.len() / 80 + 1);
    for (i, line) in lines(text).enumerate() {
        let n = i + 1;
        if line.is_empty() {
            continue;
        }
        let mut f = [""; 9];
        split_fields(line, &mut f).map_err(|found| {
            ParseError::new(
                LIST_SOURCE,
                n,
                format!("expected 9 tab-separated fields ({LIST_FIELDS}), found {found}"),
            )
        })?;
        let [
            name,
            kind,
            used,
            avail,
            refer,
            mountpoint,
            volsize,
            origin,
            creation,
        ] = f;
        if name.is_empty() {
            return Err(ParseError::new(LIST_SOURCE, n, "empty dataset name"));
        }
        let kind = DatasetType::parse(kind).ok_or_else(|| {
            ParseError::new(
                LIST_SOURCE,
                n,
                format!("dataset '{name}' has unknown type '{kind}'"),
            )
        })?;
        let creation = match creation {
            "-" => None,
            c => Some(c.parse::<i64>().map_err(|_| {
                ParseError::new(
                    LIST_SOURCE,
                    n,
                    format!("creation time '{c}' of '{name}' is not a number of seconds"),
                )
            })?),
        };
        out.push(Dataset {
            kind,
            used: opt_u64(used, "used", n)?,
            avail: opt_u64(avail, "avail", n)?,
            refer: opt_u64(refer, "refer", n)?,
            mountpoint: match mountpoint {
                "-" | "none" | "" => None,
                m => Some(m.to_string()),
            },
            volsize: opt_u64(volsize, "volsize", n)?,
            origin: match origin {
                "-" | "" => None,
                o => Some(o.to_string()),
            },
            creation,
            name: name.to_string(),
        });
    }
    Ok(out)
}

/// One line of `zfs get -Hp -o name,property,value,source`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PropertyValue {
    pub dataset: String,
    pub property: String,
    /// None when zfs prints `-` (not applicable / unset user property).
    pub value: Option<String>,
    /// `local`, `default`, `inherited from X`, `temporary`, `received`; None for `-`.
    pub source: Option<String>,
}

/// `zfs get -Hp -o name,property,value,source PROPS DATASET…` (`all` for every property).
pub fn get(props: &[&str], datasets: &[&str]) -> Command {
    Command::read("zfs")
        .args(["get", "-Hp", "-o", "name,property,value,source"])
        .arg(props.join(","))
        .args(datasets.iter().copied())
}

/// Parse the output of [`get`]. A value may contain spaces (and, for user properties, even
/// tabs are not escaped by zfs): the first two and the last field are split off, whatever
/// lies between is the value.
pub fn parse_get(text: &str) -> Result<Vec<PropertyValue>, ParseError> {
    const SOURCE: &str = "zfs get -Hp";
    let mut out = Vec::new();
    for (i, line) in lines(text).enumerate() {
        if line.is_empty() {
            continue;
        }
        let err = |msg: String| ParseError::new(SOURCE, i + 1, msg);
        let (dataset, rest) = line.split_once('\t').ok_or_else(|| {
            err("expected 4 tab-separated fields (name,property,value,source)".into())
        })?;
        let (property, rest) = rest.split_once('\t').ok_or_else(|| {
            err(format!(
                "expected 4 tab-separated fields (name,property,value,source) for '{dataset}'"
            ))
        })?;
        let (value, source) = rest.rsplit_once('\t').ok_or_else(|| {
            err(format!(
                "property '{property}' of '{dataset}' has no source field"
            ))
        })?;
        if dataset.is_empty() || property.is_empty() {
            return Err(err("empty dataset or property name".into()));
        }
        let dash = |s: &str| (s != "-").then(|| s.to_string());
        out.push(PropertyValue {
            dataset: dataset.to_string(),
            property: property.to_string(),
            value: dash(value),
            source: dash(source),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIST: &str = "rpool\tfilesystem\t48318382080\t912680550400\t98304\t/rpool\t-\t-\t1700000000\n\
rpool/zones/web 01\tfilesystem\t1024\t912680550400\t1024\t/zones/my web\t-\t-\t1700000100\n\
rpool/vm/disk0\tvolume\t11083186176\t923741978624\t12288\t-\t10737418240\t-\t1700000200\n\
rpool/vm/disk0@base\tsnapshot\t0\t-\t12288\t-\t10737418240\t-\t1700000300\n\
rpool/clone\tfilesystem\t8192\t912680550400\t98304\tlegacy\t-\trpool@now\t1700000400\n\
rpool/hidden\tfilesystem\t8192\t912680550400\t98304\tnone\t-\t-\t1700000500\n\
rpool/vm#mark\tbookmark\t-\t-\t-\t-\t-\t-\t1700000600\n\
tank/huge\tfilesystem\t18446744073709551615\t0\t18446744073709551614\t/tank/huge\t-\t-\t1700000700\n";

    #[test]
    fn parses_every_kind_of_line() {
        let ds = parse_list(LIST).unwrap();
        assert_eq!(ds.len(), 8);
        assert_eq!(ds[0].name, "rpool");
        assert_eq!(ds[0].kind, DatasetType::Filesystem);
        assert_eq!(ds[0].used, Some(48318382080));
        assert_eq!(ds[0].mountpoint.as_deref(), Some("/rpool"));
        assert_eq!(ds[0].volsize, None);
        assert_eq!(ds[0].creation, Some(1700000000));
        assert_eq!(ds[1].mountpoint.as_deref(), Some("/zones/my web"));
        assert_eq!(ds[2].kind, DatasetType::Volume);
        assert_eq!(ds[2].mountpoint, None);
        assert_eq!(ds[2].volsize, Some(10 << 30));
        assert_eq!(ds[3].kind, DatasetType::Snapshot);
        assert_eq!(ds[3].avail, None);
        assert_eq!(ds[3].used, Some(0));
        assert_eq!(ds[4].mountpoint.as_deref(), Some("legacy"));
        assert_eq!(ds[4].origin.as_deref(), Some("rpool@now"));
        assert_eq!(ds[5].mountpoint, None);
        assert_eq!(ds[6].kind, DatasetType::Bookmark);
        assert_eq!((ds[6].used, ds[6].refer), (None, None));
        assert_eq!(ds[7].used, Some(u64::MAX));
    }

    #[test]
    fn long_names_survive_whole() {
        // ZFS allows names up to 255 characters; every component of one must come back.
        let name = format!("rpool/{}/{}", "a".repeat(120), "b".repeat(120));
        let snap = format!("{name}@{}", "s".repeat(10));
        let text = format!(
            "{name}\tfilesystem\t1\t2\t3\t/{}\t-\t-\t1\n{snap}\tsnapshot\t0\t-\t3\t-\t-\t-\t2\n",
            "m".repeat(200)
        );
        let ds = parse_list(&text).unwrap();
        assert_eq!(
            (ds[0].name.as_str(), ds[1].name.as_str()),
            (name.as_str(), snap.as_str())
        );
        assert_eq!(ds[0].mountpoint.as_ref().map(String::len), Some(201));
    }

    #[test]
    fn rejects_bad_lines_with_their_number() {
        let e = parse_list("rpool\tfilesystem\t1\n").unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.message.contains("found 3"), "{e}");
        let e = parse_list("a\tb\t1\t2\t3\t4\t5\t6\t7\t8\n").unwrap_err();
        assert!(e.message.contains("found 10"), "{e}");
        let e = parse_list("ok\tfilesystem\t1\t1\t1\t/ok\t-\t-\t1\nx\tzvol\t1\t1\t1\t-\t-\t-\t1\n")
            .unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.contains("unknown type 'zvol'"), "{e}");
        let e = parse_list("x\tfilesystem\t1.5G\t1\t1\t/x\t-\t-\t1\n").unwrap_err();
        assert!(e.message.contains("used '1.5G'"), "{e}");
        let e = parse_list("x\tfilesystem\t1\t1\t1\t/x\t-\t-\tyesterday\n").unwrap_err();
        assert!(e.message.contains("creation time 'yesterday'"), "{e}");
        assert!(parse_list("").unwrap().is_empty());
    }

    #[test]
    fn get_output_keeps_spaces_and_dashes() {
        let text = "rpool/web\tmountpoint\t/zones/a b\tlocal\n\
rpool/web\tused\t123\t-\n\
rpool/web\tzcon:note\ttwo\twords\tlocal\n\
rpool/web\tzcon:missing\t-\t-\n\
rpool/web/x\tcompression\tlz4\tinherited from rpool/web\n";
        let v = parse_get(text).unwrap();
        assert_eq!(v.len(), 5);
        assert_eq!(v[0].value.as_deref(), Some("/zones/a b"));
        assert_eq!(v[0].source.as_deref(), Some("local"));
        assert_eq!(v[1].source, None);
        assert_eq!(v[2].value.as_deref(), Some("two\twords"));
        assert_eq!((v[3].value.clone(), v[3].source.clone()), (None, None));
        assert_eq!(v[4].source.as_deref(), Some("inherited from rpool/web"));
        assert!(
            parse_get("rpool\tused\t5\n")
                .unwrap_err()
                .message
                .contains("no source")
        );
    }
}

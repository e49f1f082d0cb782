//! zfs(8): the dataset listing zcon refreshes (`zfs list -Hp -t all -o …`), `zfs get -Hp`,
//! the argv of every dataset operation, and the dataset name rules.

use serde::Serialize;

use super::{Command, ParseError};

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

/// Parse the output of [`list_all`] / [`list_tree`]: nine tab-separated columns per line,
/// exact integers. Runs on 100,000 lines at every refresh, so it allocates only the strings
/// it keeps.
pub fn parse_list(text: &str) -> Result<Vec<Dataset>, ParseError> {
    // Lines are about 90 bytes; a close guess saves regrowing a 17 MB vector.
    let mut out = Vec::with_capacity(text.len() / 80 + 1);
    for (i, line) in text.split('\n').enumerate() {
        let n = i + 1;
        if line.is_empty() {
            continue;
        }
        let mut cols = line.split('\t');
        let mut f = [""; 9];
        for (k, slot) in f.iter_mut().enumerate() {
            *slot = cols.next().ok_or_else(|| {
                ParseError::new(
                    LIST_SOURCE,
                    n,
                    format!("expected 9 tab-separated fields ({LIST_FIELDS}), found {k}"),
                )
            })?;
        }
        if cols.next().is_some() {
            let found = 10 + cols.count();
            return Err(ParseError::new(
                LIST_SOURCE,
                n,
                format!("expected 9 tab-separated fields ({LIST_FIELDS}), found {found}"),
            ));
        }
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
    for (i, line) in text.split('\n').enumerate() {
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

/// A size as an argument zfs accepts: an exact suffix form ("10G", "1536M") when there is
/// one, else plain bytes.
pub fn size_arg(bytes: u64) -> String {
    for (shift, suffix) in [(50, 'P'), (40, 'T'), (30, 'G'), (20, 'M'), (10, 'K')] {
        if bytes != 0 && bytes.is_multiple_of(1u64 << shift) {
            return format!("{}{suffix}", bytes >> shift);
        }
    }
    bytes.to_string()
}

fn prop_args(cmd: Command, props: &[(&str, &str)]) -> Command {
    props
        .iter()
        .fold(cmd, |c, (k, v)| c.arg("-o").arg(format!("{k}={v}")))
}

/// `zfs create [-p] [-o k=v]… NAME`.
pub fn create_filesystem(name: &str, parents: bool, props: &[(&str, &str)]) -> Command {
    let mut cmd = Command::mutating("zfs").arg("create");
    if parents {
        cmd = cmd.arg("-p");
    }
    prop_args(cmd, props).arg(name)
}

/// How a volume is created.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct VolumeOptions {
    /// `-s`: no refreservation (thin provisioned).
    pub sparse: bool,
    /// `-b`: volblocksize in bytes.
    pub blocksize: Option<u64>,
    /// `-p`: create missing parents.
    pub parents: bool,
}

/// `zfs create [-p] [-s] [-b SIZE] [-o k=v]… -V SIZE NAME`.
pub fn create_volume(
    name: &str,
    volsize: u64,
    opts: VolumeOptions,
    props: &[(&str, &str)],
) -> Command {
    let mut cmd = Command::mutating("zfs").arg("create");
    if opts.parents {
        cmd = cmd.arg("-p");
    }
    if opts.sparse {
        cmd = cmd.arg("-s");
    }
    if let Some(b) = opts.blocksize {
        cmd = cmd.args(["-b".to_string(), size_arg(b)]);
    }
    prop_args(cmd, props)
        .args(["-V".to_string(), size_arg(volsize)])
        .arg(name)
}

/// Flags of `zfs destroy`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct DestroyOptions {
    /// `-r`: children and snapshots too.
    pub recursive: bool,
    /// `-R`: all dependents, clones elsewhere included.
    pub dependents: bool,
    /// `-f`: force unmount.
    pub force: bool,
}

/// `zfs destroy [-r] [-R] [-f] NAME`.
pub fn destroy(name: &str, opts: DestroyOptions) -> Command {
    let mut cmd = Command::mutating("zfs").arg("destroy");
    if opts.recursive {
        cmd = cmd.arg("-r");
    }
    if opts.dependents {
        cmd = cmd.arg("-R");
    }
    if opts.force {
        cmd = cmd.arg("-f");
    }
    cmd.arg(name)
}

/// `zfs snapshot [-r] DATASET@SNAP`.
pub fn snapshot(snap: &str, recursive: bool) -> Command {
    let mut cmd = Command::mutating("zfs").arg("snapshot");
    if recursive {
        cmd = cmd.arg("-r");
    }
    cmd.arg(snap)
}

/// `zfs rollback [-r] DATASET@SNAP` (`-r` destroys later snapshots).
pub fn rollback(snap: &str, destroy_later: bool) -> Command {
    let mut cmd = Command::mutating("zfs").arg("rollback");
    if destroy_later {
        cmd = cmd.arg("-r");
    }
    cmd.arg(snap)
}

/// `zfs clone [-p] [-o k=v]… SNAP TARGET`.
pub fn clone(snap: &str, target: &str, parents: bool, props: &[(&str, &str)]) -> Command {
    let mut cmd = Command::mutating("zfs").arg("clone");
    if parents {
        cmd = cmd.arg("-p");
    }
    prop_args(cmd, props).arg(snap).arg(target)
}

/// `zfs rename FROM TO`.
pub fn rename(from: &str, to: &str) -> Command {
    Command::mutating("zfs").args(["rename", from, to])
}

/// `zfs set PROP=VALUE DATASET`.
pub fn set(dataset: &str, prop: &str, value: &str) -> Command {
    Command::mutating("zfs")
        .arg("set")
        .arg(format!("{prop}={value}"))
        .arg(dataset)
}

/// `zfs inherit PROP DATASET`.
pub fn inherit(dataset: &str, prop: &str) -> Command {
    Command::mutating("zfs").args(["inherit", prop, dataset])
}

/// `zfs promote CLONE`.
pub fn promote(clone: &str) -> Command {
    Command::mutating("zfs").args(["promote", clone])
}

/// The incremental base of a send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Incremental {
    /// `-i FROM`: only the difference between FROM and the sent snapshot.
    From(String),
    /// `-I FROM`: FROM and every snapshot in between.
    FromWithIntermediates(String),
}

/// `zfs send [-R] [-i|-I FROM] SNAP`: the stream goes to stdout, which the host layer pipes
/// into [`receive`].
pub fn send(snap: &str, replicate: bool, incremental: Option<&Incremental>) -> Command {
    let mut cmd = Command::mutating("zfs").arg("send");
    if replicate {
        cmd = cmd.arg("-R");
    }
    match incremental {
        Some(Incremental::From(f)) => cmd = cmd.args(["-i", f]),
        Some(Incremental::FromWithIntermediates(f)) => cmd = cmd.args(["-I", f]),
        None => {}
    }
    cmd.arg(snap)
}

/// `zfs receive [-F] [-u] TARGET`, reading the stream from stdin.
pub fn receive(target: &str, force: bool, no_mount: bool) -> Command {
    let mut cmd = Command::mutating("zfs").arg("receive");
    if force {
        cmd = cmd.arg("-F");
    }
    if no_mount {
        cmd = cmd.arg("-u");
    }
    cmd.arg(target)
}

/// Which kind of name [`validate_name`] checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameKind {
    /// A filesystem or volume: `pool/a/b`.
    Dataset,
    /// `pool/a@snap`.
    Snapshot,
}

/// The longest dataset name ZFS accepts (MAXNAMELEN - 1).
pub const MAX_NAME_LEN: usize = 255;

/// Check a dataset or snapshot name against the ZFS rules: components of letters, digits
/// and `_ - : .` separated by `/`, no empty component, a pool name starting with a letter,
/// `@` exactly once and only in snapshot names, at most 255 characters.
pub fn validate_name(name: &str, kind: NameKind) -> Result<(), String> {
    if name.is_empty() {
        return Err("the dataset name is empty".into());
    }
    if name.len() > MAX_NAME_LEN {
        return Err(format!(
            "the name is {} characters long; ZFS allows at most {MAX_NAME_LEN}",
            name.len()
        ));
    }
    if name.starts_with('/') {
        return Err(format!(
            "'{name}' starts with '/': a dataset name begins with its pool, e.g. rpool/data"
        ));
    }
    let (path, snap) = match name.split_once('@') {
        Some((p, s)) => (p, Some(s)),
        None => (name, None),
    };
    match (kind, snap) {
        (NameKind::Dataset, Some(_)) => {
            return Err(format!(
                "'{name}' contains '@', which only snapshot names may contain"
            ));
        }
        (NameKind::Snapshot, None) => {
            return Err(format!(
                "'{name}' has no '@': a snapshot name is dataset@snapshot"
            ));
        }
        _ => {}
    }
    if path.ends_with('/') {
        return Err(format!("'{name}' ends with '/'"));
    }
    for comp in path.split('/') {
        check_component(name, comp)?;
    }
    if let Some(snap) = snap {
        if snap.contains('@') {
            return Err(format!("'{name}' contains more than one '@'"));
        }
        if snap.contains('/') {
            return Err(format!(
                "the snapshot part of '{name}' contains '/', which is not allowed after '@'"
            ));
        }
        check_component(name, snap)?;
    }
    let pool = path.split('/').next().unwrap_or("");
    if !pool.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Err(format!(
            "the pool name '{pool}' in '{name}' must begin with a letter"
        ));
    }
    Ok(())
}

fn check_component(name: &str, comp: &str) -> Result<(), String> {
    if comp.is_empty() {
        return Err(format!("'{name}' has an empty component (e.g. '//')"));
    }
    if let Some(c) = comp
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ':' | '.')))
    {
        return Err(format!(
            "invalid character {c:?} in '{name}': use letters, digits and _ - : ."
        ));
    }
    Ok(())
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

    #[test]
    fn builders_produce_the_real_argv() {
        assert_eq!(
            list_all().argv(),
            [
                "zfs",
                "list",
                "-Hp",
                "-t",
                "all",
                "-o",
                "name,type,used,avail,refer,mountpoint,volsize,origin,creation"
            ]
        );
        assert!(!list_all().privileged);
        assert_eq!(
            create_filesystem("rpool/zones/web", true, &[("mountpoint", "/zones/web")]).argv(),
            [
                "zfs",
                "create",
                "-p",
                "-o",
                "mountpoint=/zones/web",
                "rpool/zones/web"
            ]
        );
        let vol = create_volume(
            "rpool/vm/disk0",
            20 << 30,
            VolumeOptions {
                sparse: true,
                blocksize: Some(16384),
                parents: false,
            },
            &[("zcon:owner", "vm")],
        );
        assert_eq!(
            vol.argv(),
            [
                "zfs",
                "create",
                "-s",
                "-b",
                "16K",
                "-o",
                "zcon:owner=vm",
                "-V",
                "20G",
                "rpool/vm/disk0"
            ]
        );
        assert!(vol.privileged);
        let d = DestroyOptions {
            recursive: true,
            dependents: false,
            force: true,
        };
        assert_eq!(
            destroy("rpool/a", d).argv(),
            ["zfs", "destroy", "-r", "-f", "rpool/a"]
        );
        assert_eq!(
            snapshot("rpool/a@s", true).argv(),
            ["zfs", "snapshot", "-r", "rpool/a@s"]
        );
        assert_eq!(
            rollback("rpool/a@s", true).argv(),
            ["zfs", "rollback", "-r", "rpool/a@s"]
        );
        assert_eq!(
            clone("rpool/a@s", "rpool/b", true, &[]).argv(),
            ["zfs", "clone", "-p", "rpool/a@s", "rpool/b"]
        );
        assert_eq!(
            rename("rpool/a", "rpool/b").argv(),
            ["zfs", "rename", "rpool/a", "rpool/b"]
        );
        assert_eq!(
            set("rpool/a", "quota", "10G").argv(),
            ["zfs", "set", "quota=10G", "rpool/a"]
        );
        assert_eq!(
            inherit("rpool/a", "compression").argv(),
            ["zfs", "inherit", "compression", "rpool/a"]
        );
        let inc = Incremental::FromWithIntermediates("@a".into());
        assert_eq!(
            send("rpool/a@b", true, Some(&inc)).argv(),
            ["zfs", "send", "-R", "-I", "@a", "rpool/a@b"]
        );
        assert_eq!(
            send(
                "rpool/a@b",
                false,
                Some(&Incremental::From("rpool/a@a".into()))
            )
            .argv(),
            ["zfs", "send", "-i", "rpool/a@a", "rpool/a@b"]
        );
        assert_eq!(
            receive("tank/a", true, true).argv(),
            ["zfs", "receive", "-F", "-u", "tank/a"]
        );
        assert_eq!(
            get(&["used", "zcon:note"], &["rpool", "tank"]).argv(),
            [
                "zfs",
                "get",
                "-Hp",
                "-o",
                "name,property,value,source",
                "used,zcon:note",
                "rpool",
                "tank"
            ]
        );
    }

    #[test]
    fn sizes_are_written_exactly() {
        assert_eq!(size_arg(10 << 30), "10G");
        assert_eq!(size_arg(1536 << 20), "1536M");
        assert_eq!(size_arg(8192), "8K");
        assert_eq!(size_arg(1000), "1000");
        assert_eq!(size_arg(0), "0");
        assert_eq!(size_arg(3 << 40), "3T");
    }

    #[test]
    fn names_follow_zfs_rules() {
        use NameKind::*;
        assert!(validate_name("rpool/zones/web-01_a:b.c", Dataset).is_ok());
        assert!(validate_name("rpool/a@daily-2024", Snapshot).is_ok());
        let e = |n: &str, k| validate_name(n, k).unwrap_err();
        assert!(e("", Dataset).contains("empty"));
        assert!(e("rpool//a", Dataset).contains("empty component"));
        assert!(e("rpool/a/", Dataset).contains("ends with '/'"));
        assert!(e("/rpool/a", Dataset).contains("starts with '/'"));
        assert!(e("rpool/a b", Dataset).contains("invalid character ' '"));
        assert!(e("rpool/a;rm", Dataset).contains("invalid character ';'"));
        assert!(e("rpool/a@s", Dataset).contains("only snapshot names"));
        assert!(e("rpool/a", Snapshot).contains("no '@'"));
        assert!(e("rpool/a@s@t", Snapshot).contains("more than one '@'"));
        assert!(e("rpool/a@", Snapshot).contains("empty component"));
        assert!(e("1pool/a", Dataset).contains("must begin with a letter"));
        let long = format!("rpool/{}", "x".repeat(250));
        assert!(e(&long, Dataset).contains("at most 255"));
        assert!(validate_name(&long[..255], Dataset).is_ok());
    }
}

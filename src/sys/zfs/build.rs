//! Argv builders for the zfs operations zcon runs.

use serde::Serialize;

use crate::sys::Command;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sys::zfs::{get, list_all};

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
}

//! zfs(8) usage texts (zfs_main.c get_usage()), printed to stderr on bad usage (exit 2)
//! or to stdout when asked for with `-?`.

use std::io::Write;

use super::COMMANDS;
use crate::sim::Ctx;
use crate::sim::zfs::props::{PROPS, PType};

fn text(cmd: &str) -> &'static str {
    match cmd {
        "clone" => "\tclone [-p] [-o property=value] ... <snapshot> <filesystem|volume>\n",
        "create" => {
            "\tcreate [-p] [-o property=value] ... <filesystem>\n\
             \tcreate [-ps] [-b blocksize] [-o property=value] ... -V <size> <volume>\n"
        }
        "destroy" => {
            "\tdestroy [-fnpRrv] <filesystem|volume>\n\
             \tdestroy [-dnpRrv] <filesystem|volume>@<snap>[%<snap>][,...]\n\
             \tdestroy <filesystem|volume>#<bookmark>\n"
        }
        "get" => {
            "\tget [-rHp] [-d max] [-o \"all\" | field[,...]]\n\
             \t    [-t type[,...]] [-s source[,...]]\n\
             \t    <\"all\" | property[,...]> [filesystem|volume|snapshot|bookmark] ...\n"
        }
        "inherit" => "\tinherit [-rS] <property> <filesystem|volume|snapshot> ...\n",
        "upgrade" => "\tupgrade [-v]\n\tupgrade [-r] [-V version] <-a | filesystem ...>\n",
        "list" => {
            "\tlist [-Hp] [-r|-d max] [-o property[,...]] [-s property]...\n\
             \t    [-S property]... [-t type[,...]] [filesystem|volume|snapshot] ...\n"
        }
        "mount" => "\tmount\n\tmount [-vO] [-o opts] <-a | filesystem>\n",
        "promote" => "\tpromote <clone-filesystem>\n",
        "receive" => {
            "\treceive [-vnsFu] <filesystem|volume|snapshot>\n\
             \treceive [-vnsFu] [-o origin=<snapshot>] [-d | -e] <filesystem>\n\
             \treceive -A <filesystem|volume>\n"
        }
        "rename" => {
            "\trename [-f] <filesystem|volume|snapshot> <filesystem|volume|snapshot>\n\
             \trename [-f] -p <filesystem|volume> <filesystem|volume>\n\
             \trename -r <snapshot> <snapshot>\n"
        }
        "rollback" => "\trollback [-rRf] <snapshot>\n",
        "send" => {
            "\tsend [-DnPpRvLec] [-[iI] snapshot] <snapshot>\n\
             \tsend [-Le] [-i snapshot|bookmark] <filesystem|volume|snapshot>\n\
             \tsend [-nvPe] -t <receive_resume_token>\n"
        }
        "set" => "\tset <property=value> ... <filesystem|volume|snapshot> ...\n",
        "share" => "\tshare <-a | filesystem>\n",
        "snapshot" => "\tsnapshot [-r] [-o property=value] ... <filesystem|volume>@<snap> ...\n",
        "unmount" => "\tunmount [-f] <-a | filesystem|mountpoint>\n",
        "unshare" => "\tunshare <-a | filesystem|mountpoint>\n",
        "allow" => {
            "\tallow <filesystem|volume>\n\
             \tallow [-ldug] <\"everyone\"|user|group>[,...] <perm|@setname>[,...]\n\
             \t    <filesystem|volume>\n\
             \tallow [-ld] -e <perm|@setname>[,...] <filesystem|volume>\n\
             \tallow -c <perm|@setname>[,...] <filesystem|volume>\n\
             \tallow -s @setname <perm|@setname>[,...] <filesystem|volume>\n"
        }
        "unallow" => {
            "\tunallow [-rldug] <\"everyone\"|user|group>[,...]\n\
             \t    [<perm|@setname>[,...]] <filesystem|volume>\n\
             \tunallow [-rld] -e [<perm|@setname>[,...]] <filesystem|volume>\n\
             \tunallow [-r] -c [<perm|@setname>[,...]] <filesystem|volume>\n\
             \tunallow [-r] -s @setname [<perm|@setname>[,...]] <filesystem|volume>\n"
        }
        "userspace" => {
            "\tuserspace [-Hinp] [-o field[,...]] [-s field] ...\n\
             \t    [-S field] ... [-t type[,...]] <filesystem|snapshot>\n"
        }
        "groupspace" => {
            "\tgroupspace [-Hinp] [-o field[,...]] [-s field] ...\n\
             \t    [-S field] ... [-t type[,...]] <filesystem|snapshot>\n"
        }
        "hold" => "\thold [-r] <tag> <snapshot> ...\n",
        "holds" => "\tholds [-r] <snapshot> ...\n",
        "release" => "\trelease [-r] <tag> <snapshot> ...\n",
        "diff" => "\tdiff [-FHt] <snapshot> [snapshot|filesystem]\n",
        "remap" => "\tremap <filesystem | volume>\n",
        "bookmark" => "\tbookmark <snapshot> <bookmark>\n",
        "program" => {
            "\tprogram [-n] [-t <instruction limit>] [-m <memory limit (b)>] <pool> \
             <program file> [lua args...]\n"
        }
        _ => "",
    }
}

fn values_of(ptype: PType, values: &'static str, readonly: bool) -> &'static str {
    if !values.is_empty() {
        return values;
    }
    match (ptype, readonly) {
        (PType::Bytes, _) => "<size>",
        (PType::Date, _) => "<date>",
        (PType::Ratio, _) => "<1.00x or higher if compressed>",
        (PType::Index(&["yes", "no"]), _) => "yes | no",
        (PType::Index(&["on", "off"]), true) => "on | off",
        _ => "-",
    }
}

fn write_usage(w: &mut dyn Write, cmd: Option<&str>) {
    match cmd {
        None => {
            let _ = write!(
                w,
                "usage: zfs command args ...\nwhere 'command' is one of the following:\n\n"
            );
            for entry in COMMANDS {
                match entry {
                    None => {
                        let _ = writeln!(w);
                    }
                    Some((name, _)) => {
                        let _ = write!(w, "{}", text(name));
                    }
                }
            }
            let _ = write!(
                w,
                "\nEach dataset is of the form: pool/[dataset/]*dataset[@name]\n"
            );
        }
        Some(c) => {
            let _ = write!(w, "usage:\n{}", text(c));
        }
    }
    if matches!(cmd, Some("set" | "get" | "inherit" | "list")) {
        let _ = write!(
            w,
            "\nThe following properties are supported:\n\n\t{:<14} EDIT  INHERIT   VALUES\n\n",
            "PROPERTY"
        );
        for p in PROPS {
            let edit = if p.readonly || p.setonce {
                " NO    "
            } else {
                "YES    "
            };
            let inherit = if p.inherit { "  YES   " } else { "   NO   " };
            let _ = writeln!(
                w,
                "\t{:<15} {edit}{inherit}{}",
                p.name,
                values_of(p.ptype, p.values, p.readonly)
            );
        }
        for (name, edit, vals) in [
            ("userused@...", " NO       NO   ", "<size>"),
            ("groupused@...", " NO       NO   ", "<size>"),
            ("userquota@...", "YES       NO   ", "<size> | none"),
            ("groupquota@...", "YES       NO   ", "<size> | none"),
            ("written@<snap>", " NO       NO   ", "<size>"),
        ] {
            let _ = writeln!(w, "\t{name:<15} {edit}{vals}");
        }
        let _ = write!(
            w,
            "\nSizes are specified in bytes with standard units such as K, M, G, etc.\n\
             \nUser-defined properties can be specified by using a name containing a colon (:).\n\
             \nThe {{user|group}}{{used|quota}}@ properties must be appended with\n\
             a user or group specifier of one of these forms:\n\
             \x20   POSIX name      (eg: \"matt\")\n\
             \x20   POSIX id        (eg: \"126829\")\n\
             \x20   SMB name@domain (eg: \"matt@sun\")\n\
             \x20   SMB SID         (eg: \"S-1-234-567-89\")\n"
        );
    } else {
        let _ = write!(
            w,
            "\nFor the property list, run: zfs set|get\n\
             \nFor the delegated permission list, run: zfs allow|unallow\n"
        );
    }
}

/// The usage of one subcommand: to stdout when requested, else to stderr.
pub(super) fn print(ctx: &mut Ctx, cmd: &str, requested: bool) {
    let w: &mut dyn Write = if requested { ctx.out } else { ctx.err };
    write_usage(w, Some(cmd));
}

/// The usage of every subcommand.
pub(super) fn general(ctx: &mut Ctx, requested: bool) {
    let w: &mut dyn Write = if requested { ctx.out } else { ctx.err };
    write_usage(w, None);
}

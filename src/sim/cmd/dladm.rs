//! The sim host's `dladm`: show-link, show-phys, show-vnic, show-etherstub and the VNIC and
//! etherstub lifecycle, with dladm.c's option handling, messages and exit statuses.

mod show;
mod usage;

use crate::sim::Ctx;
use crate::sim::net::getopt::{Getopt, OptError};
use crate::sim::net::{NetStore, VnicRequest, status};
use crate::sys::dladm::{MacAddr, MacSpec, validate_link_name};
use usage::USAGE;

/// `lopts` in dladm.c: the long options of the create/delete subcommands.
const LOPTS: &[(&str, char)] = &[
    ("vlan-id", 'v'),
    ("output", 'o'),
    ("dev", 'd'),
    ("temporary", 't'),
    ("root-dir", 'R'),
    ("link", 'l'),
    ("forcible", 'f'),
    ("mac-address", 'm'),
    ("slot", 'n'),
];

/// `vnic_lopts` in dladm.c.
const VNIC_LOPTS: &[(&str, char)] = &[
    ("temporary", 't'),
    ("root-dir", 'R'),
    ("dev", 'd'),
    ("mac-address", 'm'),
    ("cpus", 'c'),
    ("bw-limit", 'b'),
    ("slot", 'n'),
    ("mac-prefix", 'r'),
    ("vrid", 'V'),
    ("address-family", 'A'),
];

/// DLADM_STRSIZE: the longest `-p` property list.
const STRSIZE: usize = 256;

pub fn main(ctx: &mut Ctx, args: &[String]) -> i32 {
    let Some(sub) = args.first() else {
        return usage(ctx);
    };
    let rest = &args[1..];
    match sub.as_str() {
        "show-link" => show::link(ctx, rest),
        "show-phys" => show::phys(ctx, rest),
        "show-vnic" => show::vnic(ctx, rest, false),
        "show-etherstub" => show::vnic(ctx, rest, true),
        "create-vnic" => create_vnic(ctx, rest),
        "delete-vnic" => delete_vnic(ctx, rest, false),
        "create-etherstub" => create_etherstub(ctx, rest),
        "delete-etherstub" => delete_vnic(ctx, rest, true),
        s if USAGE.iter().any(|(n, _)| *n == s) => {
            die(ctx, &format!("{s}: not supported by the zcon sim host"))
        }
        s => {
            let _ = writeln!(ctx.err, "dladm: unknown subcommand '{s}'");
            usage(ctx)
        }
    }
}

/// usage(): every subcommand's usage, exit status 1.
fn usage(ctx: &mut Ctx) -> i32 {
    let _ = writeln!(ctx.err, "usage:  dladm <subcommand> <args> ...");
    for (_, u) in USAGE {
        if let Some(u) = u {
            let _ = writeln!(ctx.err, "{u}");
        }
    }
    1
}

fn sub_usage(sub: &str) -> &'static str {
    USAGE
        .iter()
        .find(|(n, _)| *n == sub)
        .and_then(|(_, u)| *u)
        .unwrap_or("")
}

fn die(ctx: &mut Ctx, msg: &str) -> i32 {
    let _ = writeln!(ctx.err, "dladm: {msg}");
    1
}

/// die_dlerr(): the message, then `: ` and the libdladm status text.
fn die_dlerr(ctx: &mut Ctx, status: &str, msg: &str) -> i32 {
    die(ctx, &format!("{msg}: {status}"))
}

fn die_opterr(ctx: &mut Ctx, err: &OptError, sub: &str) -> i32 {
    die(
        ctx,
        &format!("{}\nusage: {}", err.message(), sub_usage(sub)),
    )
}

fn die_optdup(ctx: &mut Ctx, opt: char) -> i32 {
    die(
        ctx,
        &format!("the option -{opt} cannot be specified more than once"),
    )
}

fn io_fail(ctx: &mut Ctx, e: std::io::Error) -> i32 {
    die(ctx, &format!("zcon sim host: {e}"))
}

/// libinetutil's `_link_aton`: `:`-separated hex octets of one or two digits.
fn link_aton(text: &str) -> Option<Vec<u8>> {
    text.split(':')
        .map(|o| {
            if o.is_empty() || o.len() > 2 {
                return None;
            }
            u8::from_str_radix(o, 16).ok()
        })
        .collect()
}

/// The MAC address types `dladm_vnic_str2macaddrtype` knows (matched by prefix).
fn mac_type(text: &str) -> Option<&'static str> {
    ["fixed", "random", "factory", "auto", "vrrp"]
        .into_iter()
        .find(|t| text.starts_with(t))
}

fn create_vnic(ctx: &mut Ctx, args: &[String]) -> i32 {
    const SUB: &str = "create-vnic";
    let mut temporary = false;
    let mut over: Option<String> = None;
    let mut mtype: Option<&str> = None;
    let mut mac: Option<Vec<u8>> = None;
    let mut slot: Option<u32> = None;
    let mut prefix: Option<Vec<u8>> = None;
    let mut props = String::new();
    let mut vid: u16 = 0;
    let mut force = false;
    let mut vrrp = false;
    let mut g = Getopt::new(args, ":tfR:l:m:n:p:r:v:V:A:H", VNIC_LOPTS);
    for opt in g.by_ref() {
        let (c, val) = match opt {
            Ok(o) => o,
            Err(e) => return die_opterr(ctx, &e, SUB),
        };
        let val = val.unwrap_or_default();
        match c {
            't' => temporary = true,
            'R' => {
                return die(
                    ctx,
                    "-R: alternate roots are not supported by the zcon sim host",
                );
            }
            'l' => {
                if val.len() >= 32 {
                    return die(ctx, "link name too long");
                }
                over = Some(val);
            }
            'm' => {
                if mtype.is_some() {
                    return die(ctx, "cannot specify -m option twice");
                }
                if val == "fixed" {
                    return die(ctx, "'fixed' is not a valid MAC address");
                }
                match mac_type(&val) {
                    Some(t) => mtype = Some(t),
                    None => match link_aton(&val) {
                        Some(m) => {
                            mtype = Some("fixed");
                            mac = Some(m);
                        }
                        None => return die(ctx, "invalid MAC address"),
                    },
                }
            }
            'n' => match val.parse() {
                Ok(n) => slot = Some(n),
                Err(_) => return die(ctx, "invalid slot number"),
            },
            'p' => {
                props.push_str(&val);
                props.push(',');
                if props.len() >= STRSIZE {
                    return die(ctx, &format!("property list too long '{props}'"));
                }
            }
            'r' => match link_aton(&val) {
                Some(p) => prefix = Some(p),
                None => return die(ctx, "invalid MAC address"),
            },
            'v' => {
                if vid != 0 {
                    return die_optdup(ctx, 'v');
                }
                match val.parse::<u16>() {
                    Ok(v @ 1..=4094) => vid = v,
                    _ => return die(ctx, &format!("invalid VLAN identifier '{val}'")),
                }
            }
            'V' | 'A' => vrrp = true,
            'f' => force = true,
            _ => {}
        }
    }
    let mtype = mtype.unwrap_or("auto");
    if force && vid == 0 {
        return die(ctx, "-f option can only be used with -v");
    }
    if (prefix.is_some() && !matches!(mtype, "random" | "fixed"))
        || (vrrp != (mtype == "vrrp"))
        || (slot.is_some() && mtype != "factory")
    {
        return usage(ctx);
    }
    let (Some(over), [name]) = (over, g.operands()) else {
        return usage(ctx);
    };
    if name.len() >= 32 {
        return die(ctx, &format!("link name too long '{name}'"));
    }
    if validate_link_name(name).is_err() {
        return die(ctx, &format!("invalid link name '{name}'"));
    }
    if props.split(',').filter(|p| !p.is_empty()).any(|p| {
        p.split_once('=')
            .is_none_or(|(k, v)| k.is_empty() || v.is_empty())
    }) {
        return die(ctx, "invalid vnic property");
    }
    let failed = format!("vnic creation over {over} failed");
    let mac = match mtype {
        "fixed" => match mac.as_deref().map(<[u8; 6]>::try_from) {
            Some(Ok(m)) => MacSpec::Fixed(MacAddr(m)),
            _ => return die_dlerr(ctx, "invalid MAC address length", &failed),
        },
        "factory" => MacSpec::Factory(slot),
        "vrrp" => return die_dlerr(ctx, "operation not supported", &failed),
        _ => MacSpec::Random,
    };
    if crate::sim::fail::injected(ctx.host, "dladm", &prepend(SUB, args)) {
        return die_dlerr(ctx, "try again later", &failed);
    }
    let Ok(_lock) = ctx.host.lock_exclusive() else {
        return die(ctx, "could not open /dev/dld: I/O error");
    };
    let mut store = match NetStore::load(ctx.host) {
        Ok(s) => s,
        Err(e) => return io_fail(ctx, e),
    };
    if !store.link_exists(&over) {
        return die(ctx, &format!("invalid link name '{over}'"));
    }
    let req = VnicRequest {
        name: name.clone(),
        over: over.clone(),
        mac,
        vid,
        temporary,
        mac_prefix: prefix,
    };
    match store.create_vnic_with(&req) {
        Ok(_) => {}
        Err(e) if e == status::LINKBUSY => {
            return die(
                ctx,
                &format!("VLAN over '{over}' may not use default_tag ID (see dladm(1M))"),
            );
        }
        Err(e) => return die_dlerr(ctx, &e, &failed),
    }
    match store.save(ctx.host) {
        Ok(()) => 0,
        Err(e) => io_fail(ctx, e),
    }
}

/// The args with the subcommand in front, for fault-injection rules like `dladm create-vnic`.
fn prepend(sub: &str, args: &[String]) -> Vec<String> {
    std::iter::once(sub.to_string())
        .chain(args.iter().cloned())
        .collect()
}

/// do_delete_vnic_common(): delete-vnic and delete-etherstub.
fn delete_vnic(ctx: &mut Ctx, args: &[String], etherstub: bool) -> i32 {
    let sub = if etherstub {
        "delete-etherstub"
    } else {
        "delete-vnic"
    };
    let mut zone: Option<String> = None;
    let mut g = Getopt::new(args, ":R:tz:", LOPTS);
    for opt in g.by_ref() {
        match opt {
            Ok(('R', _)) => {
                return die(
                    ctx,
                    "-R: alternate roots are not supported by the zcon sim host",
                );
            }
            Ok(('z', v)) => zone = v,
            Ok(_) => {}
            Err(e) => return die_opterr(ctx, &e, sub),
        }
    }
    let [name] = g.operands() else {
        return usage(ctx);
    };
    if crate::sim::fail::injected(ctx.host, "dladm", &prepend(sub, args)) {
        return die_dlerr(ctx, status::LINKBUSY, "vnic deletion failed");
    }
    let Ok(_lock) = ctx.host.lock_exclusive() else {
        return die(ctx, "could not open /dev/dld: I/O error");
    };
    let mut store = match NetStore::load(ctx.host) {
        Ok(s) => s,
        Err(e) => return io_fail(ctx, e),
    };
    let Some(link) = store.link(name) else {
        return die(ctx, &format!("invalid link name '{name}'"));
    };
    // With -z the link is looked up among the links that zone holds.
    if zone.is_some() && store.vnic_zone(name) != zone {
        return die(ctx, &format!("invalid link name '{name}'"));
    }
    let class = link.class();
    let is_stub = class == crate::sys::dladm::LinkClass::Etherstub;
    if matches!(
        class,
        crate::sys::dladm::LinkClass::Vnic | crate::sys::dladm::LinkClass::Etherstub
    ) && is_stub != etherstub
    {
        let what = if is_stub { "a vnic" } else { "an etherstub" };
        return die(ctx, &format!("'{name}' is not {what}"));
    }
    let result = if is_stub {
        store.delete_etherstub(name)
    } else {
        store.delete_vnic(name)
    };
    if let Err(e) = result {
        return die_dlerr(ctx, &e, "vnic deletion failed");
    }
    match store.save(ctx.host) {
        Ok(()) => 0,
        Err(e) => io_fail(ctx, e),
    }
}

fn create_etherstub(ctx: &mut Ctx, args: &[String]) -> i32 {
    const SUB: &str = "create-etherstub";
    let mut temporary = false;
    // No leading ':': a missing -R value is reported as an unrecognized option.
    let mut g = Getopt::new(args, "tR:", &[("temporary", 't'), ("root-dir", 'R')]);
    for opt in g.by_ref() {
        match opt {
            Ok(('t', _)) => temporary = true,
            Ok(_) => {
                return die(
                    ctx,
                    "-R: alternate roots are not supported by the zcon sim host",
                );
            }
            Err(e) => return die_opterr(ctx, &e, SUB),
        }
    }
    let [name] = g.operands() else {
        return usage(ctx);
    };
    if name.len() >= 32 {
        return die(ctx, &format!("link name too long '{name}'"));
    }
    if validate_link_name(name).is_err() {
        return die(ctx, &format!("invalid link name '{name}'"));
    }
    if crate::sim::fail::injected(ctx.host, "dladm", &prepend(SUB, args)) {
        return die_dlerr(ctx, "try again later", "etherstub creation failed");
    }
    let Ok(_lock) = ctx.host.lock_exclusive() else {
        return die(ctx, "could not open /dev/dld: I/O error");
    };
    let mut store = match NetStore::load(ctx.host) {
        Ok(s) => s,
        Err(e) => return io_fail(ctx, e),
    };
    if let Err(e) = store.create_etherstub_with(name, temporary) {
        return die_dlerr(ctx, &e, "etherstub creation failed");
    }
    match store.save(ctx.host) {
        Ok(()) => 0,
        Err(e) => io_fail(ctx, e),
    }
}

#[cfg(test)]
mod tests;

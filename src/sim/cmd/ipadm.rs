//! The sim host's `ipadm`: IP interfaces, address objects and interface properties, with
//! ipadm.c's option handling, messages and exit statuses (the release with `create-ip`;
//! `create-if`/`delete-if` of older releases are accepted too).

mod props;
mod show;

use std::time::Duration;

use crate::sim::Ctx;
use crate::sim::net::getopt::{Getopt, OptError};
use crate::sim::net::{AddrKind, NetStore, parse_local_addr};
use crate::sys::ipadm::validate_addrobj;

/// ipadm.c's subcommand table.
const USAGE: &[(&str, &str)] = &[
    ("create-ip", "\tcreate-ip\t[-t] <IP-interface>"),
    ("delete-ip", "\tdelete-ip\t<IP-interface>"),
    ("create-vni", "\tcreate-vni\t[-t] <VNI-interface>"),
    ("delete-vni", "\tdelete-vni\t<VNI-interface>"),
    (
        "create-ipmp",
        "\tcreate-ipmp\t[-t] [-i <under-interface>[,...]] ... <IPMP-interface>",
    ),
    ("delete-ipmp", "\tdelete-ipmp\t[-f] <IPMP-interface>"),
    (
        "add-ipmp",
        "\tadd-ipmp\t[-t] -i <under-interface>[,...] [-i interface,[...] ...] <IPMP-interface>",
    ),
    (
        "remove-ipmp",
        "\tremove-ipmp\t[-t] -i <under-interface>[,...] [-i interface,[...] ...] <IPMP-interface>",
    ),
    ("disable-if", "\tdisable-if\t-t <interface>"),
    ("enable-if", "\tenable-if\t-t <interface>"),
    (
        "show-if",
        "\tshow-if\t\t[[-p] -o <field>,...] [<interface>]\n",
    ),
    (
        "set-ifprop",
        "\tset-ifprop\t[-t] -p <prop>=<value[,...]> -m <protocol> <interface>",
    ),
    (
        "reset-ifprop",
        "\treset-ifprop\t[-t] -p <prop> -m <protocol> <interface>",
    ),
    (
        "show-ifprop",
        "\tshow-ifprop\t[[-c] -o <field>,...] [-p <prop>,...]\n\t\t\t[-m <protocol>] [<interface>]\n",
    ),
    (
        "create-addr",
        "\tcreate-addr\t[-t] -T static [-d] -a {local|remote}=addr[/prefixlen]\n\t\t\t\t<addrobj>\n\tcreate-addr\t[-t] -T dhcp [-w <seconds> | forever] [-h <hostname>]\n\t\t\t\t<addrobj>\n\tcreate-addr\t[-t] -T addrconf [-i {local|remote}=interface-id]\n\t\t\t\t[-p {stateful|stateless}={yes|no}] <addrobj>",
    ),
    ("down-addr", "\tdown-addr\t[-t] <addrobj>"),
    ("up-addr", "\tup-addr\t\t[-t] <addrobj>"),
    ("disable-addr", "\tdisable-addr\t-t <addrobj>"),
    ("enable-addr", "\tenable-addr\t-t <addrobj>"),
    ("refresh-addr", "\trefresh-addr\t[-i] <addrobj>"),
    ("delete-addr", "\tdelete-addr\t[-r] <addrobj>"),
    (
        "show-addr",
        "\tshow-addr\t[[-p] -o <field>,...] [<addrobj>]\n",
    ),
    (
        "set-addrprop",
        "\tset-addrprop\t[-t] -p <prop>=<value[,...]> <addrobj>",
    ),
    (
        "reset-addrprop",
        "\treset-addrprop\t[-t] -p <prop> <addrobj>",
    ),
    (
        "show-addrprop",
        "\tshow-addrprop\t[[-c] -o <field>,...] [-p <prop>,...] [<addrobj>]\n",
    ),
    (
        "set-prop",
        "\tset-prop\t[-t] -p <prop>[+|-]=<value[,...]> <protocol>",
    ),
    ("reset-prop", "\treset-prop\t[-t] -p <prop> <protocol>"),
    (
        "show-prop",
        "\tshow-prop\t[[-c] -o <field>,...]\n\t\t\t[-p <prop>,... <protocol> | <protocol>]",
    ),
];

/// `if_longopts`
const IF_LOPTS: &[(&str, char)] = &[("interface", 'i'), ("force", 'f'), ("temporary", 't')];

/// `addr_longopts`
const ADDR_LOPTS: &[(&str, char)] = &[
    ("address", 'a'),
    ("down", 'd'),
    ("hostname", 'h'),
    ("interface-id", 'i'),
    ("prop", 'p'),
    ("temporary", 't'),
    ("type", 'T'),
    ("wait", 'w'),
];

/// How long a DHCP client takes to get a lease on the sim's LAN, and how long ipadm waits
/// for one by default.
const DHCP_LEASE_TIME: Duration = Duration::from_millis(1800);
const DHCP_DEFAULT_WAIT: u64 = 30;

pub fn main(ctx: &mut Ctx, args: &[String]) -> i32 {
    let Some(sub) = args.first() else {
        return usage(ctx);
    };
    let rest = &args[1..];
    match sub.as_str() {
        "show-addr" => show::addr(ctx, rest),
        "show-if" => show::interfaces(ctx, rest),
        "show-ifprop" => props::show(ctx, rest),
        "set-ifprop" => props::set(ctx, rest, false),
        "reset-ifprop" => props::set(ctx, rest, true),
        "create-ip" | "create-if" => create_ip(ctx, rest),
        "delete-ip" | "delete-if" => delete_ip(ctx, rest),
        "create-addr" => create_addr(ctx, rest),
        "delete-addr" => delete_addr(ctx, rest),
        s if USAGE.iter().any(|(n, _)| *n == s) => {
            die(ctx, &format!("{s}: not supported by the zcon sim host"))
        }
        s => {
            let _ = writeln!(ctx.err, "ipadm: unknown subcommand '{s}'");
            usage(ctx)
        }
    }
}

fn usage(ctx: &mut Ctx) -> i32 {
    let _ = writeln!(ctx.err, "usage:  ipadm <subcommand> <args> ...");
    for (_, u) in USAGE {
        let _ = writeln!(ctx.err, "{u}");
    }
    1
}

fn sub_usage(sub: &str) -> &'static str {
    USAGE
        .iter()
        .find(|(n, _)| *n == sub)
        .map_or("", |(_, u)| *u)
}

fn die(ctx: &mut Ctx, msg: &str) -> i32 {
    let _ = writeln!(ctx.err, "ipadm: {msg}");
    1
}

fn die_usage(ctx: &mut Ctx, sub: &str) -> i32 {
    die(ctx, &format!("usage: {}", sub_usage(sub)))
}

fn die_opterr(ctx: &mut Ctx, err: &OptError, sub: &str) -> i32 {
    die(
        ctx,
        &format!("{}\nusage: {}", err.message(), sub_usage(sub)),
    )
}

fn io_fail(ctx: &mut Ctx, e: std::io::Error) -> i32 {
    die(ctx, &format!("zcon sim host: {e}"))
}

fn injected(ctx: &Ctx, sub: &str, args: &[String]) -> bool {
    let argv: Vec<String> = std::iter::once(sub.to_string())
        .chain(args.iter().cloned())
        .collect();
    crate::sim::fail::injected(ctx.host, "ipadm", &argv)
}

/// Load, change and save the store under the exclusive lock. `change` returns the exit
/// status; the store is saved only on 0.
fn with_store(ctx: &mut Ctx, change: impl FnOnce(&mut Ctx, &mut NetStore) -> i32) -> i32 {
    let Ok(_lock) = ctx.host.lock_exclusive() else {
        return die(
            ctx,
            "cannot open handle to library - Could not communicate with ipmgmtd",
        );
    };
    let mut store = match NetStore::load(ctx.host) {
        Ok(s) => s,
        Err(e) => return io_fail(ctx, e),
    };
    let code = change(ctx, &mut store);
    if code != 0 {
        return code;
    }
    match store.save(ctx.host) {
        Ok(()) => 0,
        Err(e) => io_fail(ctx, e),
    }
}

/// do_create_ip()
fn create_ip(ctx: &mut Ctx, args: &[String]) -> i32 {
    const SUB: &str = "create-ip";
    let mut temporary = false;
    let mut g = Getopt::new(args, ":t", IF_LOPTS);
    for opt in g.by_ref() {
        match opt {
            Ok(_) => temporary = true,
            Err(e) => return die_opterr(ctx, &e, SUB),
        }
    }
    let [ifname] = g.operands() else {
        return die_usage(ctx, SUB);
    };
    if injected(ctx, SUB, args) {
        return die(
            ctx,
            &format!("cannot create interface {ifname}: Could not communicate with ipmgmtd"),
        );
    }
    with_store(ctx, |ctx, store| {
        match store.create_ip_with(ifname, temporary) {
            Ok(()) => 0,
            Err(e) => die(ctx, &format!("cannot create interface {ifname}: {e}")),
        }
    })
}

/// do_delete_ip(): no options, exactly one operand.
fn delete_ip(ctx: &mut Ctx, args: &[String]) -> i32 {
    const SUB: &str = "delete-ip";
    let [ifname] = args else {
        return die_usage(ctx, SUB);
    };
    if injected(ctx, SUB, args) {
        return die(
            ctx,
            &format!("cannot delete interface {ifname}: Interface already in use"),
        );
    }
    with_store(ctx, |ctx, store| match store.delete_ip(ifname) {
        Ok(()) => 0,
        Err(e) => die(ctx, &format!("cannot delete interface {ifname}: {e}")),
    })
}

/// do_create_addr()
fn create_addr(ctx: &mut Ctx, args: &[String]) -> i32 {
    const SUB: &str = "create-addr";
    let use_ = sub_usage(SUB);
    let (mut atype, mut static_arg, mut wait) = (None, None, None);
    let (mut s_opt, mut auto_opt, mut dhcp_opt) = (false, false, false);
    let (mut down, mut temporary) = (false, false);
    let mut addrconf_arg: Option<String> = None;
    let mut g = Getopt::new(args, ":T:a:dh:i:p:w:t", ADDR_LOPTS);
    for opt in g.by_ref() {
        let (c, v) = match opt {
            Ok(o) => o,
            Err(e) => return die_opterr(ctx, &e, SUB),
        };
        match c {
            'T' => atype = v,
            'a' => (static_arg, s_opt) = (v, true),
            'd' => (down, s_opt) = (true, true),
            'h' => dhcp_opt = true,
            'i' => auto_opt = true,
            'p' => (addrconf_arg, auto_opt) = (v, true),
            'w' => (wait, dhcp_opt) = (v, true),
            _ => temporary = true,
        }
    }
    let (Some(atype), [aobj]) = (atype, g.operands()) else {
        return die(ctx, &format!("invalid arguments\nusage: {use_}"));
    };
    if aobj.split_once('/').is_none_or(|(_, n)| n.is_empty()) {
        return die(
            ctx,
            &format!("invalid address object name: {aobj}\nusage: {use_}"),
        );
    }
    let bad_args = |ctx: &mut Ctx| {
        die(
            ctx,
            &format!("invalid arguments for type {atype}\nusage: {use_}"),
        )
    };
    let kind = match atype.as_str() {
        "static" if static_arg.is_none() || auto_opt || dhcp_opt => return bad_args(ctx),
        "dhcp" if auto_opt || s_opt => return bad_args(ctx),
        "addrconf" if dhcp_opt || s_opt => return bad_args(ctx),
        t => match AddrKind::parse(t) {
            Some(k) => k,
            None => return die(ctx, &format!("invalid address type {t}")),
        },
    };
    if validate_addrobj(aobj).is_err() {
        return die(
            ctx,
            "cannot create address object: Invalid argument provided",
        );
    }
    let mut cidr = None;
    if let Some(arg) = &static_arg {
        // `-a local=ADDR[,remote=ADDR]` or just the local address.
        let local = arg
            .split(',')
            .find_map(|p| p.strip_prefix("local="))
            .unwrap_or(arg.as_str());
        match parse_local_addr(local) {
            Ok(c) => cidr = Some(c),
            Err(e) => return die(ctx, &format!("cannot set local address: {e}")),
        }
    }
    if let Some(p) = &addrconf_arg
        && let Err(msg) = check_addrconf_prop(p)
    {
        return die(ctx, msg);
    }
    let wait_secs = match wait.as_deref() {
        None => DHCP_DEFAULT_WAIT,
        Some("forever") => 4 * DHCP_DEFAULT_WAIT,
        Some(w) => match w.parse::<u64>() {
            Ok(n) => n,
            Err(_) => return die(ctx, "invalid argument"),
        },
    };
    if injected(ctx, SUB, args) {
        return die(ctx, "cannot create address: Duplicate address detected");
    }
    if kind == AddrKind::Dhcp {
        return create_dhcp(ctx, aobj, temporary, wait_secs);
    }
    with_store(ctx, |ctx, store| {
        match store.create_addr_with(aobj, kind, cidr, temporary) {
            Ok(()) if down => store.set_addr_up(aobj, false).map_or(1, |_| 0),
            Ok(()) => 0,
            Err(e) => die(ctx, &format!("cannot create address: {e}")),
        }
    })
}

/// `-p {stateful|stateless}={yes|no},…` for addrconf.
fn check_addrconf_prop(arg: &str) -> Result<(), &'static str> {
    let mut seen = Vec::new();
    for part in arg.split(',').filter(|p| !p.is_empty()) {
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        if !matches!(k, "stateful" | "stateless") {
            return Err("invalid arguments for option -p");
        }
        if seen.contains(&k) {
            return Err("duplicate option");
        }
        if !matches!(v, "yes" | "no") {
            return Err("invalid argument");
        }
        seen.push(k);
    }
    if seen.is_empty() {
        return Err("invalid arguments for option -p");
    }
    Ok(())
}

/// A DHCP address: check it could be created, wait for the lease (or ipadm's wait time when
/// nothing answers) without holding the lock, then create it. A lease that never comes is
/// only a warning: the address object exists, waiting.
fn create_dhcp(ctx: &mut Ctx, aobj: &str, temporary: bool, wait_secs: u64) -> i32 {
    let probe = {
        let Ok(_lock) = ctx.host.lock_shared() else {
            return die(
                ctx,
                "cannot create address: Could not communicate with ipmgmtd",
            );
        };
        let mut store = match NetStore::load(ctx.host) {
            Ok(s) => s,
            Err(e) => return io_fail(ctx, e),
        };
        store
            .create_addr_with(aobj, AddrKind::Dhcp, None, temporary)
            .map(|()| store.address(aobj).and_then(|a| a.addr).is_some())
    };
    let leased = match probe {
        Ok(l) => l,
        Err(e) => return die(ctx, &format!("cannot create address: {e}")),
    };
    if leased {
        ctx.host.sleep(DHCP_LEASE_TIME);
    } else {
        ctx.host.sleep(Duration::from_secs(wait_secs));
    }
    let code = with_store(ctx, |ctx, store| {
        match store.create_addr_with(aobj, AddrKind::Dhcp, None, temporary) {
            Ok(()) => 0,
            Err(e) => die(ctx, &format!("cannot create address: {e}")),
        }
    });
    if code == 0 && !leased {
        // warn_ipadmerr(status, ""): an empty message before the colon.
        let _ = writeln!(
            ctx.err,
            "ipadm: warning: : Communication with dhcpagent timed out"
        );
    }
    code
}

/// do_delete_addr()
fn delete_addr(ctx: &mut Ctx, args: &[String]) -> i32 {
    const SUB: &str = "delete-addr";
    let misc = [("inform", 'i'), ("release", 'r'), ("temporary", 't')];
    let mut g = Getopt::new(args, ":r", &misc);
    for opt in g.by_ref() {
        if let Err(e) = opt {
            return die_opterr(ctx, &e, SUB);
        }
    }
    let [aobj] = g.operands() else {
        return die_usage(ctx, SUB);
    };
    if injected(ctx, SUB, args) {
        return die(
            ctx,
            "cannot delete address: Could not communicate with ipmgmtd",
        );
    }
    with_store(ctx, |ctx, store| match store.delete_addr(aobj) {
        Ok(()) => 0,
        Err(e) => die(ctx, &format!("cannot delete address: {e}")),
    })
}

#[cfg(test)]
mod tests;

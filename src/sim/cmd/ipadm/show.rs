//! `ipadm show-addr` and `ipadm show-if`.

use super::{die, die_opterr, die_usage, io_fail};
use crate::sim::Ctx;
use crate::sim::net::getopt::Getopt;
use crate::sim::net::ofmt::{self, Field, Ofmt, field};
use crate::sim::net::{NetStore, ip_status};

const ADDR_FIELDS: &[Field] = &[
    field("ADDROBJ", 18),
    field("TYPE", 9),
    field("STATE", 13),
    field("CURRENT", 8),
    field("PERSISTENT", 11),
    field("ADDR", 46),
    field("CID-TYPE", 9),
    field("CID-VALUE", 35),
    field("BEGIN", 25),
    field("EXPIRE", 25),
    field("RENEW", 25),
];

const IF_FIELDS: &[Field] = &[
    field("IFNAME", 11),
    field("CLASS", 9),
    field("STATE", 9),
    field("ACTIVE", 7),
    field("CURRENT", 14),
    field("PERSISTENT", 11),
    field("OVER", 44),
];

pub(super) fn load(ctx: &mut Ctx) -> Result<NetStore, i32> {
    let _lock = ctx.host.lock_shared().map_err(|_| {
        die(
            ctx,
            "cannot open handle to library - Could not communicate with ipmgmtd",
        )
    })?;
    NetStore::load(ctx.host).map_err(|e| io_fail(ctx, e))
}

pub(super) fn open(
    ctx: &mut Ctx,
    spec: Option<&str>,
    template: &'static [Field],
    parsable: bool,
) -> Result<Ofmt, i32> {
    ofmt::open_checked(&mut *ctx.err, "ipadm", spec, template, parsable)
}

/// do_show_addr()
pub fn addr(ctx: &mut Ctx, args: &[String]) -> i32 {
    const SUB: &str = "show-addr";
    let (mut dhcp, mut parsable) = (false, false);
    let mut fields: Option<String> = None;
    let long = [("dhcp", 'd'), ("parsable", 'p'), ("output", 'o')];
    // No leading ':' in ipadm's option string here.
    let mut g = Getopt::new(args, "dpo:", &long);
    let mut o_arg = false;
    for opt in g.by_ref() {
        match opt {
            Ok(('d', _)) => {
                dhcp = true;
                fields = Some("addrobj,state,addr,cid-type,cid-value,begin,expire,renew".into());
            }
            Ok(('p', _)) => parsable = true,
            Ok((_, v)) => (fields, o_arg) = (v, true),
            Err(e) => return die_opterr(ctx, &e, SUB),
        }
    }
    if parsable && fields.is_none() {
        return die(ctx, "-p requires -o");
    }
    if dhcp && parsable {
        return die(ctx, "-p cannot be used with -d");
    }
    if dhcp && o_arg {
        return die(ctx, "-d cannot be used with -o");
    }
    let (mut aname, mut ifname) = (None, None);
    match g.operands() {
        [] => {}
        [a] => match a.split_once('/') {
            None => return die(ctx, "invalid address object name provided"),
            Some((i, "")) => ifname = Some(i.to_string()),
            Some(_) => aname = Some(a.clone()),
        },
        _ => return die_usage(ctx, SUB),
    }
    let spec = fields.as_deref().unwrap_or("addrobj,type,state,addr");
    let mut fmt = match open(ctx, Some(spec), ADDR_FIELDS, parsable) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let store = match load(ctx) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let mut found = false;
    for (name, a) in store.addresses() {
        if ifname.as_deref().is_some_and(|i| i != a.ifname) {
            continue;
        }
        if let Some(n) = &aname {
            if n != name {
                continue;
            }
            found = true;
        }
        // -d lists the addresses dhcpagent manages; the sim keeps no lease times.
        if dhcp && a.kind != crate::sim::net::AddrKind::Dhcp {
            continue;
        }
        let up = if a.up { 'U' } else { '-' };
        let current = format!("{up}----");
        let persistent = if a.temporary {
            "---".to_string()
        } else {
            format!("{up}--")
        };
        let state = if a.up { "ok" } else { "down" };
        let cid = if dhcp { "default" } else { "" };
        fmt.print(
            ctx.out,
            &[
                name,
                a.kind.as_str(),
                state,
                &current,
                &persistent,
                &a.addr_text(),
                cid,
                "",
                "",
                "",
                "",
            ],
        );
    }
    if aname.is_some() && !found {
        return die(ctx, "address object not found");
    }
    0
}

/// do_show_if()
pub fn interfaces(ctx: &mut Ctx, args: &[String]) -> i32 {
    const SUB: &str = "show-if";
    let mut parsable = false;
    let mut fields: Option<String> = None;
    let mut g = Getopt::new(args, "po:", &[("parsable", 'p'), ("output", 'o')]);
    for opt in g.by_ref() {
        match opt {
            Ok(('p', _)) => parsable = true,
            Ok((_, v)) => fields = v,
            Err(e) => return die_opterr(ctx, &e, SUB),
        }
    }
    if parsable && fields.is_none() {
        return die(ctx, "-p requires -o");
    }
    let ifname = match g.operands() {
        [] => None,
        [i] => Some(i.clone()),
        _ => return die_usage(ctx, SUB),
    };
    let spec = fields
        .as_deref()
        .unwrap_or("ifname,class,state,active,over");
    let mut fmt = match open(ctx, Some(spec), IF_FIELDS, parsable) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let store = match load(ctx) {
        Ok(s) => s,
        Err(code) => return code,
    };
    if let Some(i) = &ifname
        && store.ip_interface(i).is_none()
    {
        return die(
            ctx,
            &format!(
                "cannot get information for interface(s): {}",
                ip_status::NOSUCH_IF
            ),
        );
    }
    for (name, intf) in store.interfaces() {
        if ifname.as_deref().is_some_and(|i| i != name) {
            continue;
        }
        let class = if intf.loopback { "loopback" } else { "ip" };
        let state = if store.interface_up(name) {
            "ok"
        } else {
            "down"
        };
        fmt.print(
            ctx.out,
            &[
                name,
                class,
                state,
                "yes",
                &intf.current_flags(),
                &intf.persistent_flags(),
                "",
            ],
        );
    }
    0
}

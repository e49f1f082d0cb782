//! `ipadm show-ifprop`, `set-ifprop` and `reset-ifprop`.

use super::show::{load, open};
use super::{die, die_opterr, injected, sub_usage, with_store};
use crate::sim::Ctx;
use crate::sim::net::getopt::Getopt;
use crate::sim::net::ofmt::{Field, field};
use crate::sim::net::{IF_PROPS, Proto, ip_status};

const IFPROP_FIELDS: &[Field] = &[
    field("IFNAME", 12),
    field("PROPERTY", 16),
    field("PROTO", 6),
    field("PERM", 5),
    field("CURRENT", 11),
    field("PERSISTENT", 11),
    field("DEFAULT", 11),
    field("POSSIBLE", 16),
];

/// The protocols `ipadm_str2proto` knows.
const PROTOCOLS: &[&str] = &["ip", "ipv4", "ipv6", "icmp", "tcp", "udp", "sctp"];

/// The interface properties of protocol `proto` named `name` (any name if None), in
/// table order; `ip` selects those of ipv4 and ipv6 too.
fn matching(proto: &str, name: Option<&str>) -> Vec<(String, Option<Proto>)> {
    IF_PROPS
        .iter()
        .filter(|d| name.is_none_or(|n| n == d.name))
        .filter(|d| match proto {
            "ip" => true,
            p => d.proto.is_some_and(|dp| dp.as_str() == p),
        })
        .map(|d| (d.name.to_string(), d.proto))
        .collect()
}

/// do_show_ifprop()
pub fn show(ctx: &mut Ctx, args: &[String]) -> i32 {
    const SUB: &str = "show-ifprop";
    let mut parsable = false;
    let mut fields: Option<String> = None;
    let mut names: Option<Vec<String>> = None;
    let mut proto: Option<String> = None;
    let long = [
        ("module", 'm'),
        ("parsable", 'c'),
        ("prop", 'p'),
        ("output", 'o'),
    ];
    let mut g = Getopt::new(args, ":p:m:co:", &long);
    for opt in g.by_ref() {
        let (c, v) = match opt {
            Ok(o) => o,
            Err(e) => return die_opterr(ctx, &e, SUB),
        };
        let v = v.unwrap_or_default();
        match c {
            'p' => {
                let list: Vec<String> = v.split(',').map(str::to_string).collect();
                if list.iter().any(|n| n.is_empty() || n.contains('=')) {
                    return die(ctx, "invalid interface properties specified");
                }
                names = Some(list);
            }
            'c' => parsable = true,
            'o' => fields = Some(v),
            _ if proto.is_some() => return die(ctx, "cannot specify more than one -m"),
            _ => proto = Some(v),
        }
    }
    let ifname = match g.operands() {
        [] => None,
        [i] => Some(i.clone()),
        _ => return die(ctx, &format!("usage: {}", sub_usage(SUB))),
    };
    let proto = proto.unwrap_or_else(|| "ip".into());
    if !PROTOCOLS.contains(&proto.as_str()) {
        return die(ctx, &format!("invalid protocol '{proto}' specified"));
    }
    let mut fmt = match open(ctx, fields.as_deref(), IFPROP_FIELDS, parsable) {
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
            &format!("no such object '{i}': {}", ip_status::NOSUCH_IF),
        );
    }
    let mut failed = false;
    for (name, _) in store.interfaces() {
        if ifname.as_deref().is_some_and(|i| i != name) {
            continue;
        }
        // (name, protocol); protocol None when ipadm has no such property.
        let wanted: Vec<(String, Option<Option<Proto>>)> = match &names {
            None => matching(&proto, None)
                .into_iter()
                .map(|(n, p)| (n, Some(p)))
                .collect(),
            Some(list) => list
                .iter()
                .flat_map(|n| {
                    let found = matching(&proto, Some(n));
                    if found.is_empty() {
                        vec![(n.clone(), None)]
                    } else {
                        found.into_iter().map(|(n, p)| (n, Some(p))).collect()
                    }
                })
                .collect(),
        };
        for (pname, pproto) in wanted {
            let Some(pproto) = pproto else {
                // An unknown property: ipadm warns and prints "?" for every value.
                let _ = writeln!(
                    ctx.err,
                    "ipadm: warning: cannot get property '{pname}' for '{name}': {}",
                    ip_status::PROP_UNKNOWN
                );
                failed = true;
                fmt.print(ctx.out, &[name, &pname, &proto, "?", "?", "?", "?", "?"]);
                continue;
            };
            let view = store
                .ifprop(name, pproto, &pname)
                .expect("a known property of a known interface");
            let proto_text = pproto.map_or("ip", Proto::as_str);
            fmt.print(
                ctx.out,
                &[
                    name,
                    &pname,
                    proto_text,
                    &view.perm,
                    &view.current,
                    &view.persistent,
                    &view.default,
                    &view.possible,
                ],
            );
        }
    }
    i32::from(failed)
}

/// set_ifprop(): set-ifprop and reset-ifprop.
pub fn set(ctx: &mut Ctx, args: &[String], reset: bool) -> i32 {
    let sub = if reset { "reset-ifprop" } else { "set-ifprop" };
    let use_ = sub_usage(sub);
    let mut temporary = false;
    let mut prop: Option<String> = None;
    let mut proto: Option<String> = None;
    let long = [("module", 'm'), ("prop", 'p'), ("temporary", 't')];
    let mut g = Getopt::new(args, ":m:p:t", &long);
    for opt in g.by_ref() {
        let (c, v) = match opt {
            Ok(o) => o,
            Err(e) => return die_opterr(ctx, &e, sub),
        };
        let v = v.unwrap_or_default();
        match c {
            'p' if prop.is_some() => return die(ctx, "-p must be specified once only"),
            'p' => {
                if let Err(msg) = check_propstr(&v, reset) {
                    return die(ctx, &format!("{msg}\n{use_}"));
                }
                prop = Some(v);
            }
            'm' if proto.is_some() => return die(ctx, "-m must be specified once only"),
            'm' => proto = Some(v),
            _ => temporary = true,
        }
    }
    let (Some(prop), Some(proto), [ifname]) = (prop, proto, g.operands()) else {
        return die(ctx, &format!("usage: {use_}"));
    };
    let (name, value) = match prop.split_once('=') {
        Some((n, v)) => (n.to_string(), Some(v.to_string())),
        None => (prop.clone(), None),
    };
    if !PROTOCOLS.contains(&proto.as_str()) {
        return die(ctx, &format!("invalid protocol '{proto}' specified"));
    }
    if injected(ctx, sub, args) {
        return die(
            ctx,
            &format!("{sub}: {name}: Could not communicate with ipmgmtd"),
        );
    }
    with_store(ctx, |ctx, store| {
        match store.set_ifprop(ifname, &proto, &name, value.as_deref(), temporary) {
            Ok(()) => 0,
            Err(e) => die(ctx, &format!("{sub}: {name}: {e}")),
        }
    })
}

/// ipadm_check_propstr(): `prop=value` to set, a bare `prop` to reset.
fn check_propstr(pstr: &str, reset: bool) -> Result<(), &'static str> {
    match (reset, pstr.split_once('=')) {
        (true, Some(_)) => Err("incorrect syntax used for -p."),
        (true, None) => Ok(()),
        (false, None) | (false, Some((_, ""))) => Err("please specify the value to be set."),
        (false, Some((_, v))) if v.contains('=') => {
            Err("cannot specify more than one prop=val at a time.")
        }
        (false, Some(_)) => Ok(()),
    }
}

//! `dladm show-link`, `show-phys`, `show-vnic` and `show-etherstub`.

use super::{die, die_dlerr, die_optdup, die_opterr, io_fail, usage};
use crate::sim::Ctx;
use crate::sim::net::getopt::Getopt;
use crate::sim::net::ofmt::{self, Field, Ofmt, field};
use crate::sim::net::{LinkKind, MacKind, NetStore, status};
use crate::sys::dladm::LinkState;

/// `show_lopts` in dladm.c.
const SHOW_LOPTS: &[(&str, char)] = &[
    ("statistics", 's'),
    ("continuous", 'S'),
    ("interval", 'i'),
    ("parsable", 'p'),
    ("parseable", 'p'),
    ("extended", 'x'),
    ("output", 'o'),
    ("persistent", 'P'),
    ("lacp", 'L'),
];

const LINK_FIELDS: &[Field] = &[
    field("LINK", 12),
    field("CLASS", 10),
    field("MTU", 7),
    field("STATE", 9),
    field("BRIDGE", 11),
    field("OVER", 32),
];

const PHYS_FIELDS: &[Field] = &[
    field("LINK", 13),
    field("MEDIA", 21),
    field("STATE", 11),
    field("SPEED", 7),
    field("DUPLEX", 10),
    field("DEVICE", 13),
    field("FLAGS", 7),
];

const VNIC_FIELDS: &[Field] = &[
    field("LINK", 13),
    field("OVER", 11),
    field("SPEED", 6),
    field("MACADDRESS", 18),
    field("MACADDRTYPE", 12),
    field("VID", 5),
    field("ZONE", 20),
];

/// The common flags of show-link and show-phys.
struct ShowOpts {
    parsable: bool,
    persistent: bool,
    fields: Option<String>,
    operand: Option<String>,
}

/// Read the options; Err is the exit status after a message.
fn show_opts(
    ctx: &mut Ctx,
    args: &[String],
    sub: &str,
    optstring: &str,
    extra: &mut dyn FnMut(char) -> Option<&'static str>,
) -> Result<ShowOpts, i32> {
    let mut o = ShowOpts {
        parsable: false,
        persistent: false,
        fields: None,
        operand: None,
    };
    let mut g = Getopt::new(args, optstring, SHOW_LOPTS);
    for opt in g.by_ref() {
        match opt {
            Ok(('p', _)) if o.parsable => return Err(die_optdup(ctx, 'p')),
            Ok(('p', _)) => o.parsable = true,
            Ok(('P', _)) if o.persistent => return Err(die_optdup(ctx, 'P')),
            Ok(('P', _)) => o.persistent = true,
            Ok(('o', v)) => o.fields = v,
            Ok((c, _)) => {
                if let Some(msg) = extra(c) {
                    return Err(die(ctx, msg));
                }
            }
            Err(e) => return Err(die_opterr(ctx, &e, sub)),
        }
    }
    match g.operands() {
        [] => {}
        [name] => o.operand = Some(name.clone()),
        _ => return Err(usage(ctx)),
    }
    if o.parsable && o.fields.is_none() {
        return Err(die(ctx, "-p requires -o"));
    }
    if o.parsable
        && o.fields
            .as_deref()
            .is_some_and(|f| f.eq_ignore_ascii_case("all"))
    {
        return Err(die(ctx, "\"-o all\" is invalid with -p"));
    }
    Ok(o)
}

fn load(ctx: &mut Ctx) -> Result<NetStore, i32> {
    let _lock = ctx
        .host
        .lock_shared()
        .map_err(|_| die(ctx, "could not open /dev/dld: I/O error"))?;
    NetStore::load(ctx.host).map_err(|e| io_fail(ctx, e))
}

fn open(
    ctx: &mut Ctx,
    spec: Option<&str>,
    template: &'static [Field],
    parsable: bool,
) -> Result<Ofmt, i32> {
    ofmt::open_checked(&mut *ctx.err, "dladm", spec, template, parsable)
}

fn not_supported(what: &'static str) -> impl FnMut(char) -> Option<&'static str> {
    move |c| match c {
        's' | 'i' | 'S' | 'm' | 'H' | 'x' | 'L' => Some(what),
        _ => None,
    }
}

fn state_text(s: Option<LinkState>) -> String {
    s.map(|s| s.as_str().to_string()).unwrap_or_default()
}

/// do_show_link()
pub fn link(ctx: &mut Ctx, args: &[String]) -> i32 {
    let mut extra = not_supported("link statistics are not supported by the zcon sim host");
    let o = match show_opts(ctx, args, "show-link", ":pPo:si:", &mut extra) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let store = match load(ctx) {
        Ok(s) => s,
        Err(code) => return code,
    };
    if let Some(name) = &o.operand
        && !store.link_exists(name)
    {
        return die_dlerr(ctx, status::NOTFOUND, &format!("link {name} is not valid"));
    }
    let spec = match o.fields.as_deref() {
        None | Some("all") if o.persistent => "link,class,over",
        None | Some("all") => "link,class,mtu,state,bridge,over",
        Some(f) => f,
    };
    let mut fmt = match open(ctx, Some(spec), LINK_FIELDS, o.parsable) {
        Ok(f) => f,
        Err(code) => return code,
    };
    for (name, link) in store.links() {
        if o.operand.as_deref().is_some_and(|n| n != name) || (o.persistent && link.temporary) {
            continue;
        }
        let over = link.vnic().map(|v| v.over.clone()).unwrap_or_default();
        let (mtu, state) = if o.persistent {
            (String::new(), String::new())
        } else {
            (
                store
                    .link_mtu(name)
                    .map(|m| m.to_string())
                    .unwrap_or_default(),
                state_text(store.link_state(name)),
            )
        };
        let class = link.class();
        fmt.print(ctx.out, &[name, class.as_str(), &mtu, &state, "", &over]);
    }
    0
}

/// do_show_phys()
pub fn phys(ctx: &mut Ctx, args: &[String]) -> i32 {
    let mut extra =
        not_supported("MAC address slots and ring groups are not shown by the zcon sim host");
    let o = match show_opts(ctx, args, "show-phys", ":pPo:mH", &mut extra) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let store = match load(ctx) {
        Ok(s) => s,
        Err(code) => return code,
    };
    if let Some(name) = &o.operand {
        match store.link(name).map(|l| &l.kind) {
            None => {
                return die_dlerr(ctx, status::NOTFOUND, &format!("link {name} is not valid"));
            }
            Some(LinkKind::Phys(_)) => {}
            Some(_) => {
                return die_dlerr(
                    ctx,
                    status::BADARG,
                    &format!("failed to show physical link {name}"),
                );
            }
        }
    }
    let spec = match o.fields.as_deref() {
        None | Some("all") if o.persistent => "link,device,media,flags",
        None | Some("all") => "link,media,state,speed,duplex,device",
        Some(f) => f,
    };
    let mut fmt = match open(ctx, Some(spec), PHYS_FIELDS, o.parsable) {
        Ok(f) => f,
        Err(code) => return code,
    };
    for (name, link) in store.links() {
        let LinkKind::Phys(p) = &link.kind else {
            continue;
        };
        if o.operand.as_deref().is_some_and(|n| n != name) {
            continue;
        }
        let (state, speed, duplex) = if o.persistent {
            (String::new(), String::new(), String::new())
        } else if p.up {
            ("up".into(), p.speed_mbps.to_string(), p.duplex.clone())
        } else {
            ("down".into(), "0".into(), "unknown".into())
        };
        fmt.print(
            ctx.out,
            &[name, &p.media, &state, &speed, &duplex, &p.device, ""],
        );
    }
    0
}

/// do_show_vnic_common(): show-vnic and show-etherstub.
pub fn vnic(ctx: &mut Ctx, args: &[String], etherstub: bool) -> i32 {
    let sub = if etherstub {
        "show-etherstub"
    } else {
        "show-vnic"
    };
    let (mut parsable, mut persistent, mut stats, mut interval) = (false, false, false, false);
    let mut fields: Option<String> = None;
    let mut over: Option<String> = None;
    let mut zone: Option<String> = None;
    let mut g = Getopt::new(args, ":pPl:si:o:z:", super::LOPTS);
    for opt in g.by_ref() {
        let (c, v) = match opt {
            Ok(o) => o,
            Err(e) => return die_opterr(ctx, &e, sub),
        };
        let v = v.unwrap_or_default();
        match c {
            'p' => parsable = true,
            'P' => persistent = true,
            'l' if etherstub => return die(ctx, "option not supported for this command"),
            'l' if v.len() >= 32 => return die(ctx, "link name too long"),
            'l' => over = Some(v),
            's' if stats => return die(ctx, "the option -s cannot be specified more than once"),
            's' => stats = true,
            'i' if interval => {
                return die(ctx, "the option -i cannot be specified more than once");
            }
            'i' if v.parse::<u32>().map_or(true, |n| n == 0) => {
                return die(ctx, &format!("invalid interval value '{v}'"));
            }
            'i' => interval = true,
            'o' => fields = Some(v),
            'z' => zone = Some(v),
            _ => {}
        }
    }
    if interval && !stats {
        return die(ctx, "the option -i can be used only with -s");
    }
    let operand = match g.operands() {
        [] => None,
        [name] => Some(name.clone()),
        _ => return usage(ctx),
    };
    let store = match load(ctx) {
        Ok(s) => s,
        Err(code) => return code,
    };
    if let Some(name) = &operand
        && !store.link_exists(name)
    {
        return die_dlerr(
            ctx,
            status::NOTFOUND,
            &format!("invalid vnic name '{name}'"),
        );
    }
    if let Some(l) = &over
        && !store.link_exists(l)
    {
        return die_dlerr(ctx, status::NOTFOUND, &format!("invalid link name '{l}'"));
    }
    let spec = match fields.as_deref() {
        None | Some("all") if etherstub => Some("link"),
        f => f,
    };
    let mut fmt = match open(ctx, spec, VNIC_FIELDS, parsable) {
        Ok(f) => f,
        Err(code) => return code,
    };
    if stats {
        return die(
            ctx,
            "VNIC statistics are not supported by the zcon sim host",
        );
    }
    if let Some(name) = &operand
        && matches!(store.link(name).map(|l| &l.kind), Some(LinkKind::Phys(_)))
    {
        return die_dlerr(
            ctx,
            status::BADARG,
            &format!("failed to show vnic '{name}'"),
        );
    }
    for (name, link) in store.links() {
        if operand.as_deref().is_some_and(|n| n != name) || (persistent && link.temporary) {
            continue;
        }
        let row: [String; 7] = match &link.kind {
            LinkKind::Etherstub if etherstub => Default::default(),
            LinkKind::Vnic(v) if !etherstub => {
                if over.as_deref().is_some_and(|l| l != v.over)
                    || zone.as_ref().is_some_and(|z| Some(z) != v.zone.as_ref())
                {
                    continue;
                }
                let mac_type = match v.mac_kind {
                    MacKind::Random => "random".to_string(),
                    MacKind::Fixed => "fixed".to_string(),
                    MacKind::Factory(slot) => format!("factory, slot {slot}"),
                };
                [
                    String::new(),
                    v.over.clone(),
                    store.link_speed(name).unwrap_or(0).to_string(),
                    v.mac.clone(),
                    mac_type,
                    v.vid.to_string(),
                    // dladm writes "--" itself, so it appears in parseable output too.
                    v.zone.clone().unwrap_or_else(|| "--".into()),
                ]
            }
            _ => continue,
        };
        let mut row = row;
        row[0] = name.to_string();
        fmt.print(ctx.out, &row);
    }
    0
}

//! `zonecfg -z ZONE info`: the renderer (for the sim) and a parser.
//!
//! Global properties print as `key: value` (an empty value leaves `key: `), the rctl
//! aliases as `[max-lwps: 2000]`, then each resource as `type:` followed by tab-indented
//! members; an unset member prints `\t<member> not specified`, and a value containing a
//! space is wrapped in double quotes. capped-cpu and capped-memory show their values in
//! brackets (`\t[ncpus: 1.50]`, `\t[physical: 2G]`): they are views of rctls, which the
//! `rctl:` entries list again with exact limits.

use super::edit::{Tab, to_rctl_form};
pub use super::info_parse::parse_info;
use super::script::{InfoWhat, Prop, ResType, Value};
use super::verify::{self, AliasState, DEFAULT_BRAND, alias_by_short, alias_state};
use super::{Admin, Attr, DedicatedCpu, Device, Fs, Net, Property, Rctl, ZoneConfig};

pub(crate) const SOURCE: &str = "zonecfg info";

/// The global properties info shows as `[alias: N]`, in zonecfg's order.
pub(crate) const INFO_ALIASES: &[&str] = &[
    "max-lwps",
    "max-processes",
    "max-shm-memory",
    "max-shm-ids",
    "max-msg-ids",
    "max-sem-ids",
    "cpu-shares",
    "zfs-io-priority",
];

/// `zonecfg -z ZONE info` for a zone.
pub fn render_info(cfg: &ZoneConfig) -> String {
    render_what(&to_rctl_form(cfg.clone()), &InfoWhat::All, false)
}

/// quoteit(): values with a space are printed in double quotes.
fn quoteit(v: &str) -> String {
    if v.contains(' ') {
        format!("\"{v}\"")
    } else {
        v.to_string()
    }
}

pub(crate) fn unquote(v: &str) -> &str {
    match v.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
        Some(inner) if v.contains(' ') => inner,
        _ => v,
    }
}

fn prop(out: &mut String, name: &str, value: &str) {
    if value.is_empty() {
        out.push_str(&format!("\t{name} not specified\n"));
    } else {
        out.push_str(&format!("\t{name}: {}\n", quoteit(value)));
    }
}

fn opt(v: &Option<String>) -> &str {
    v.as_deref().unwrap_or("")
}

fn properties(out: &mut String, props: &[Property]) {
    for p in props {
        out.push_str(&format!(
            "\tproperty: (name={},value=\"{}\")\n",
            p.name, p.value
        ));
    }
}

fn render_fs(out: &mut String, f: &Fs) {
    out.push_str("fs:\n");
    prop(out, "dir", &f.dir);
    prop(out, "special", &f.special);
    prop(out, "raw", opt(&f.raw));
    prop(out, "type", &f.fs_type);
    let opts: Vec<String> = f
        .options
        .iter()
        .map(|o| {
            if o.contains('=') {
                format!("\"{o}\"")
            } else {
                o.clone()
            }
        })
        .collect();
    out.push_str(&format!("\toptions: [{}]\n", opts.join(",")));
}

fn render_net(out: &mut String, n: &Net) {
    out.push_str("net:\n");
    prop(out, "address", opt(&n.address));
    prop(out, "allowed-address", opt(&n.allowed_address));
    prop(out, "defrouter", opt(&n.defrouter));
    prop(out, "global-nic", opt(&n.global_nic));
    prop(out, "mac-addr", opt(&n.mac_addr));
    prop(out, "physical", opt(&n.physical));
    let vlan = n.vlan_id.map(|v| v.to_string()).unwrap_or_default();
    prop(out, "vlan-id", &vlan);
    properties(out, &n.properties);
}

fn render_device(out: &mut String, d: &Device) {
    out.push_str("device:\n");
    prop(out, "match", &d.match_path);
    properties(out, &d.properties);
}

fn render_rctl(out: &mut String, r: &Rctl) {
    out.push_str("rctl:\n");
    prop(out, "name", &r.name);
    for v in &r.values {
        out.push_str(&format!(
            "\tvalue: (priv={},limit={},action={})\n",
            v.privilege, v.limit, v.action
        ));
    }
}

fn render_attr(out: &mut String, a: &Attr, typed: bool) {
    out.push_str("attr:\n");
    prop(out, "name", &a.name);
    prop(out, "type", if typed { a.attr_type.as_str() } else { "" });
    prop(out, "value", &a.value);
}

fn render_pset(out: &mut String, p: &DedicatedCpu) {
    out.push_str("dedicated-cpu:\n");
    if p.ncpu_min == p.ncpu_max {
        out.push_str(&format!("\tncpus: {}\n", p.ncpu_max));
    } else {
        out.push_str(&format!("\tncpus: {}-{}\n", p.ncpu_min, p.ncpu_max));
    }
    if let Some(i) = &p.importance {
        out.push_str(&format!("\timportance: {i}\n"));
    }
}

fn render_pcap(out: &mut String, cfg: &ZoneConfig) {
    if let AliasState::Set(cap) = alias_state(cfg, alias_by_short("cpu-cap").expect("alias")) {
        out.push_str(&format!(
            "capped-cpu:\n\t[ncpus: {:.2}]\n",
            cap as f32 / 100.0
        ));
    }
}

fn render_mcap(out: &mut String, cfg: &ZoneConfig, always: bool) {
    let get = |short| match alias_state(cfg, alias_by_short(short).expect("alias")) {
        AliasState::Set(n) => Some(verify::bytes_to_units(n)),
        _ => None,
    };
    let vals = [
        ("physical", get("max-physical-memory")),
        ("swap", get("max-swap")),
        ("locked", get("max-locked-memory")),
    ];
    if !always && vals.iter().all(|(_, v)| v.is_none()) {
        return;
    }
    out.push_str("capped-memory:\n");
    for (name, v) in vals {
        if let Some(v) = v {
            out.push_str(&format!("\t[{name}: {v}]\n"));
        }
    }
}

fn render_admin(out: &mut String, a: &Admin) {
    out.push_str("admin:\n");
    prop(out, "user", &a.user);
    prop(out, "auths", &a.auths);
}

/// `info` inside a resource scope: the resource being edited.
pub(crate) fn render_tab(cfg: &ZoneConfig, tab: &Tab) -> String {
    let mut out = String::new();
    match tab {
        Tab::Fs(f) => render_fs(&mut out, f),
        Tab::Net(n) => render_net(&mut out, n),
        Tab::Device(d) => render_device(&mut out, d),
        Tab::Rctl(r) => render_rctl(&mut out, r),
        Tab::Attr(a, typed) => render_attr(&mut out, a, *typed),
        Tab::Dataset(d) => {
            out.push_str("dataset:\n");
            prop(&mut out, "name", &d.name);
        }
        Tab::Admin(a) => render_admin(&mut out, a),
        Tab::Pset(p) => render_pset(&mut out, p),
        Tab::CappedCpu => render_pcap(&mut out, cfg),
        Tab::CappedMemory => render_mcap(&mut out, cfg, true),
        Tab::SecFlags => {
            out.push_str("security-flags:\n");
            for name in ["default", "lower", "upper"] {
                prop(&mut out, name, "");
            }
        }
    }
    out
}

fn global_line(out: &mut String, cfg: &ZoneConfig, p: Prop) {
    let line = match p {
        Prop::Zonename => format!("zonename: {}", cfg.name),
        Prop::Zonepath => format!("zonepath: {}", cfg.zonepath),
        Prop::Brand if cfg.brand.is_empty() => format!("brand: {DEFAULT_BRAND}"),
        Prop::Brand => format!("brand: {}", cfg.brand),
        Prop::Autoboot => format!("autoboot: {}", cfg.autoboot),
        Prop::Bootargs => format!("bootargs: {}", opt(&cfg.bootargs)),
        Prop::Pool => format!("pool: {}", opt(&cfg.pool)),
        Prop::Limitpriv => format!("limitpriv: {}", opt(&cfg.limitpriv)),
        Prop::SchedulingClass => format!("scheduling-class: {}", opt(&cfg.scheduling_class)),
        Prop::IpType => format!("ip-type: {}", cfg.ip_type.as_zonecfg()),
        Prop::Hostid => format!("hostid: {}", opt(&cfg.hostid)),
        Prop::FsAllowed => format!("fs-allowed: {}", opt(&cfg.fs_allowed)),
        _ => {
            let a = alias_by_short(p.as_str()).expect("info props are aliases");
            match alias_state(cfg, a) {
                AliasState::Set(n) if p == Prop::MaxShmMemory => {
                    format!("[{}: {}]", a.short, verify::bytes_to_units(n))
                }
                AliasState::Set(n) => format!("[{}: {n}]", a.short),
                _ => return,
            }
        }
    };
    out.push_str(&line);
    out.push('\n');
}

/// The resources of one type that `info TYPE prop=value …` shows.
fn filtered(cfg: &ZoneConfig, res: ResType, filter: &[(Prop, Value)]) -> String {
    let mut out = String::new();
    let want: Vec<(Prop, &str)> = filter
        .iter()
        .filter_map(|(p, v)| v.simple().map(|s| (*p, s)))
        .collect();
    // info matches on fewer properties than select does.
    let keep = |p: Prop| match res {
        ResType::Fs => matches!(p, Prop::Dir | Prop::Special | Prop::Type),
        ResType::Net => matches!(p, Prop::Physical | Prop::Address),
        ResType::Admin => p == Prop::User,
        _ => true,
    };
    let want: Vec<(Prop, String)> = want
        .into_iter()
        .filter(|(p, _)| keep(*p))
        .map(|(p, s)| (p, s.to_string()))
        .collect();
    let hit = |t: &Tab| super::lookup::tab_matches(t, &want);
    match res {
        ResType::Fs => cfg
            .fs
            .iter()
            .filter(|f| hit(&Tab::Fs((*f).clone())))
            .for_each(|f| render_fs(&mut out, f)),
        ResType::Net => cfg
            .nets
            .iter()
            .filter(|n| hit(&Tab::Net((*n).clone())))
            .for_each(|n| render_net(&mut out, n)),
        ResType::Device => cfg
            .devices
            .iter()
            .filter(|d| hit(&Tab::Device((*d).clone())))
            .for_each(|d| render_device(&mut out, d)),
        ResType::Rctl => cfg
            .rctls
            .iter()
            .filter(|r| hit(&Tab::Rctl((*r).clone())))
            .for_each(|r| render_rctl(&mut out, r)),
        ResType::Attr => cfg
            .attrs
            .iter()
            .filter(|a| hit(&Tab::Attr((*a).clone(), true)))
            .for_each(|a| render_attr(&mut out, a, true)),
        ResType::Dataset => cfg
            .datasets
            .iter()
            .filter(|d| hit(&Tab::Dataset((*d).clone())))
            .for_each(|d| {
                out.push_str("dataset:\n");
                prop(&mut out, "name", &d.name);
            }),
        ResType::Admin => cfg
            .admins
            .iter()
            .filter(|a| hit(&Tab::Admin((*a).clone())))
            .for_each(|a| render_admin(&mut out, a)),
        ResType::DedicatedCpu => {
            if let Some(p) = &cfg.dedicated_cpu {
                render_pset(&mut out, p);
            }
        }
        ResType::CappedCpu => render_pcap(&mut out, cfg),
        ResType::CappedMemory => render_mcap(&mut out, cfg, false),
        ResType::SecurityFlags => {}
    }
    if out.is_empty() && !filter.is_empty() && !res.is_singleton() {
        out = format!("No such {} resource.\n", res.as_str());
    }
    out
}

/// What `info`, `info PROP` or `info RES …` prints, from the rctl form of a config.
pub(crate) fn render_what(cfg: &ZoneConfig, what: &InfoWhat, global_zone: bool) -> String {
    let mut out = String::new();
    match what {
        InfoWhat::Prop(p) => global_line(&mut out, cfg, *p),
        InfoWhat::Res(res, filter) => out = filtered(cfg, *res, filter),
        InfoWhat::All => {
            global_line(&mut out, cfg, Prop::Zonename);
            let before_pool: &[Prop] =
                &[Prop::Zonepath, Prop::Brand, Prop::Autoboot, Prop::Bootargs];
            let after_pool: &[Prop] = &[
                Prop::Limitpriv,
                Prop::SchedulingClass,
                Prop::IpType,
                Prop::Hostid,
                Prop::FsAllowed,
            ];
            if !global_zone {
                before_pool
                    .iter()
                    .for_each(|p| global_line(&mut out, cfg, *p));
            }
            global_line(&mut out, cfg, Prop::Pool);
            if !global_zone {
                after_pool
                    .iter()
                    .for_each(|p| global_line(&mut out, cfg, *p));
            }
            for a in INFO_ALIASES {
                global_line(&mut out, cfg, Prop::from_keyword(a).expect("alias prop"));
            }
            if !global_zone {
                cfg.fs.iter().for_each(|f| render_fs(&mut out, f));
                cfg.nets.iter().for_each(|n| render_net(&mut out, n));
                cfg.devices.iter().for_each(|d| render_device(&mut out, d));
            }
            if let Some(p) = &cfg.dedicated_cpu {
                render_pset(&mut out, p);
            }
            render_pcap(&mut out, cfg);
            render_mcap(&mut out, cfg, false);
            if !global_zone {
                cfg.attrs
                    .iter()
                    .for_each(|a| render_attr(&mut out, a, true));
                for d in &cfg.datasets {
                    out.push_str("dataset:\n");
                    prop(&mut out, "name", &d.name);
                }
                cfg.admins.iter().for_each(|a| render_admin(&mut out, a));
            }
            cfg.rctls.iter().for_each(|r| render_rctl(&mut out, r));
        }
    }
    out
}

#[cfg(test)]
#[path = "info_tests.rs"]
mod tests;

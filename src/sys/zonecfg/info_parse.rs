//! Reading `zonecfg -z ZONE info` output back into a [`ZoneConfig`] (see [`super::info`]
//! for the format).

use super::edit::from_rctl_form;
use super::info::{INFO_ALIASES, SOURCE, unquote};
use super::script::ResType;
use super::verify::{self, alias_by_short};
use super::{
    Admin, Attr, AttrType, DatasetResource, DedicatedCpu, Device, Fs, IpType, Net, Property, Rctl,
    RctlValue, ZoneConfig,
};
use crate::sys::ParseError;

/// A resource being read from info output.
enum Cur {
    Fs(Fs),
    Net(Net),
    Device(Device),
    Rctl(Rctl),
    Attr(Attr),
    Dataset(DatasetResource),
    Pset(DedicatedCpu),
    Admin(Admin),
    /// capped-cpu, capped-memory and security-flags: views or nothing to keep.
    View(ResType),
}

/// Parse `zonecfg -z ZONE info` output. Exact limits come from the `rctl:` entries; the
/// bracketed alias and capped-cpu/memory lines are used only for rctls not listed there.
pub fn parse_info(text: &str) -> Result<ZoneConfig, ParseError> {
    let mut cfg = ZoneConfig::default();
    let mut cur: Option<Cur> = None;
    // Bracketed views, applied at the end when the rctl is not listed.
    let mut views: Vec<(&'static str, String)> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        let err = |msg: String| ParseError::new(SOURCE, n, msg);
        if line.trim().is_empty() {
            continue;
        }
        if let Some(member) = line.strip_prefix('\t') {
            let Some(c) = cur.as_mut() else {
                return Err(err(format!("member line outside a resource: '{line}'")));
            };
            member_line(c, member, &mut views).map_err(err)?;
            continue;
        }
        if let Some(inner) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            let (k, v) = inner
                .split_once(": ")
                .ok_or_else(|| err(format!("bad alias line '{line}'")))?;
            let a = INFO_ALIASES
                .iter()
                .find(|a| **a == k)
                .and_then(|a| alias_by_short(a))
                .ok_or_else(|| err(format!("unknown property '{k}'")))?;
            views.push((a.rctl, v.to_string()));
            continue;
        }
        if let Some(res) = line.strip_suffix(':').and_then(ResType::from_keyword) {
            finish(&mut cfg, cur.take());
            cur = Some(match res {
                ResType::Fs => Cur::Fs(Fs::default()),
                ResType::Net => Cur::Net(Net::default()),
                ResType::Device => Cur::Device(Device::default()),
                ResType::Rctl => Cur::Rctl(Rctl::default()),
                ResType::Attr => Cur::Attr(Attr::default()),
                ResType::Dataset => Cur::Dataset(DatasetResource::default()),
                ResType::DedicatedCpu => Cur::Pset(DedicatedCpu::default()),
                ResType::Admin => Cur::Admin(Admin::default()),
                other => Cur::View(other),
            });
            continue;
        }
        finish(&mut cfg, cur.take());
        if let Some(k) = line.strip_suffix(" not specified") {
            if !matches!(k, "zonename" | "zonepath" | "brand") {
                return Err(err(format!("unexpected line '{line}'")));
            }
            continue;
        }
        let (k, v) = line
            .split_once(": ")
            .or_else(|| line.strip_suffix(':').map(|k| (k, "")))
            .ok_or_else(|| err(format!("unexpected line '{line}'")))?;
        global(&mut cfg, k, v).map_err(err)?;
    }
    finish(&mut cfg, cur);
    for (rctl, v) in views {
        if cfg.rctls.iter().any(|r| r.name == rctl) {
            continue;
        }
        let a = verify::alias_by_rctl(rctl).expect("views are aliases");
        let limit = match rctl {
            "zone.cpu-cap" => v
                .parse::<f64>()
                .map(|c| ((c * 100.0) + 0.5) as u64)
                .map_err(|_| ParseError::new(SOURCE, 0, format!("bad ncpus '{v}'")))?,
            _ => verify::str_to_bytes(&v)
                .ok_or_else(|| ParseError::new(SOURCE, 0, format!("bad value '{v}' for {rctl}")))?,
        };
        cfg.set_rctl(rctl, &limit.to_string(), a.action);
    }
    Ok(from_rctl_form(cfg))
}

fn global(cfg: &mut ZoneConfig, k: &str, v: &str) -> Result<(), String> {
    let o = (!v.is_empty()).then(|| v.to_string());
    match k {
        "zonename" => cfg.name = v.into(),
        "zonepath" => cfg.zonepath = v.into(),
        "brand" => cfg.brand = v.into(),
        "autoboot" => {
            cfg.autoboot = match v {
                "true" => true,
                "false" => false,
                _ => return Err(format!("autoboot '{v}' is not true or false")),
            }
        }
        "bootargs" => cfg.bootargs = o,
        "pool" => cfg.pool = o,
        "limitpriv" => cfg.limitpriv = o,
        "scheduling-class" => cfg.scheduling_class = o,
        "ip-type" => {
            cfg.ip_type = IpType::parse(v).ok_or_else(|| format!("unknown ip-type '{v}'"))?;
        }
        "hostid" => cfg.hostid = o,
        "fs-allowed" => cfg.fs_allowed = o,
        // Newer OmniOS releases print these; the model does not keep them.
        "autoshutdown" => {}
        _ => return Err(format!("unknown property '{k}'")),
    }
    Ok(())
}

fn member_line(
    c: &mut Cur,
    member: &str,
    views: &mut Vec<(&'static str, String)>,
) -> Result<(), String> {
    if let Some(inner) = member.strip_prefix('[').and_then(|m| m.strip_suffix(']')) {
        let (k, v) = inner
            .split_once(": ")
            .ok_or(format!("bad line '{member}'"))?;
        let rctl = match (c, k) {
            (Cur::View(ResType::CappedCpu), "ncpus") => "zone.cpu-cap",
            (Cur::View(ResType::CappedMemory), "physical") => "zone.max-physical-memory",
            (Cur::View(ResType::CappedMemory), "swap") => "zone.max-swap",
            (Cur::View(ResType::CappedMemory), "locked") => "zone.max-locked-memory",
            _ => return Err(format!("unexpected '[{k}: …]'")),
        };
        views.push((rctl, v.to_string()));
        return Ok(());
    }
    let (k, v) = match member.strip_suffix(" not specified") {
        Some(k) => (k, None),
        None => {
            let (k, v) = member
                .split_once(": ")
                .or_else(|| member.strip_suffix(':').map(|k| (k, "")))
                .ok_or(format!("bad line '{member}'"))?;
            (k, Some(unquote(v).to_string()))
        }
    };
    let unknown = || format!("unknown member '{k}'");
    let Some(v) = v else {
        // Unset: check the member exists.
        let known = match c {
            Cur::Fs(_) => ["dir", "special", "raw", "type"].contains(&k),
            Cur::Net(_) => [
                "address",
                "allowed-address",
                "defrouter",
                "global-nic",
                "mac-addr",
                "physical",
                "vlan-id",
            ]
            .contains(&k),
            Cur::Device(_) => k == "match",
            Cur::Rctl(_) | Cur::Dataset(_) => k == "name",
            Cur::Attr(_) => ["name", "type", "value"].contains(&k),
            Cur::Admin(_) => ["user", "auths"].contains(&k),
            Cur::View(ResType::SecurityFlags) => ["default", "lower", "upper"].contains(&k),
            _ => false,
        };
        return if known { Ok(()) } else { Err(unknown()) };
    };
    let some = || Some(v.clone());
    match (c, k) {
        (Cur::Fs(f), "dir") => f.dir = v,
        (Cur::Fs(f), "special") => f.special = v,
        (Cur::Fs(f), "raw") => f.raw = some(),
        (Cur::Fs(f), "type") => f.fs_type = v,
        (Cur::Fs(f), "options") => f.options = parse_options(&v)?,
        (Cur::Net(n), "address") => n.address = some(),
        (Cur::Net(n), "allowed-address") => n.allowed_address = some(),
        (Cur::Net(n), "defrouter") => n.defrouter = some(),
        (Cur::Net(n), "global-nic") => n.global_nic = some(),
        (Cur::Net(n), "mac-addr") => n.mac_addr = some(),
        (Cur::Net(n), "physical") => n.physical = some(),
        (Cur::Net(n), "vlan-id") => {
            n.vlan_id = Some(
                v.parse()
                    .map_err(|_| format!("vlan-id '{v}' is not a number"))?,
            )
        }
        (Cur::Net(n), "property") => n.properties.push(parse_property(member)?),
        (Cur::Device(d), "match") => d.match_path = v,
        (Cur::Device(d), "property") => d.properties.push(parse_property(member)?),
        (Cur::Rctl(r), "name") => r.name = v,
        (Cur::Rctl(r), "value") => r.values.push(parse_rctl_value(&v)?),
        (Cur::Attr(a), "name") => a.name = v,
        (Cur::Attr(a), "type") => {
            a.attr_type = AttrType::parse(&v).ok_or(format!("unknown attr type '{v}'"))?
        }
        (Cur::Attr(a), "value") => a.value = v,
        (Cur::Dataset(d), "name") => d.name = v,
        (Cur::Admin(a), "user") => a.user = v,
        (Cur::Admin(a), "auths") => a.auths = v,
        (Cur::Pset(p), "ncpus") => {
            let (lo, hi) = v.split_once('-').unwrap_or((&v, &v));
            p.ncpu_min = lo.into();
            p.ncpu_max = hi.into();
        }
        (Cur::Pset(p), "importance") => p.importance = some(),
        (Cur::View(ResType::SecurityFlags), "default" | "lower" | "upper") => {}
        _ => return Err(unknown()),
    }
    Ok(())
}

/// `[ro,"a=b",nodevices]`: options containing `=` are quoted.
fn parse_options(v: &str) -> Result<Vec<String>, String> {
    let inner = v
        .strip_prefix('[')
        .and_then(|s| s.strip_suffix(']'))
        .ok_or(format!("options '{v}' are not in brackets"))?;
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in inner.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    if !cur.is_empty() || !out.is_empty() {
        out.push(cur);
    }
    Ok(out)
}

/// `property: (name=N,value="V")` (V may contain anything but a newline).
fn parse_property(member: &str) -> Result<Property, String> {
    let body = member
        .strip_prefix("property: (name=")
        .and_then(|s| s.strip_suffix("\")"))
        .ok_or(format!("bad property line '{member}'"))?;
    let (name, value) = body
        .split_once(",value=\"")
        .ok_or(format!("bad property line '{member}'"))?;
    Ok(Property {
        name: name.into(),
        value: value.into(),
    })
}

/// `(priv=privileged,limit=100,action=deny)`; the action may itself hold `=`.
pub(crate) fn parse_rctl_value(v: &str) -> Result<RctlValue, String> {
    let body = v
        .strip_prefix('(')
        .and_then(|s| s.strip_suffix(')'))
        .ok_or(format!("bad rctl value '{v}'"))?;
    let mut val = RctlValue::default();
    for piece in body.split(',') {
        let (k, x) = piece
            .split_once('=')
            .ok_or(format!("bad rctl value '{v}'"))?;
        match k {
            "priv" => val.privilege = x.into(),
            "limit" => val.limit = x.into(),
            "action" => val.action = x.into(),
            _ => return Err(format!("bad rctl value '{v}'")),
        }
    }
    Ok(val)
}

fn finish(cfg: &mut ZoneConfig, cur: Option<Cur>) {
    match cur {
        Some(Cur::Fs(f)) => cfg.fs.push(f),
        Some(Cur::Net(n)) => cfg.nets.push(n),
        Some(Cur::Device(d)) => cfg.devices.push(d),
        Some(Cur::Rctl(r)) => cfg.rctls.push(r),
        Some(Cur::Attr(a)) => cfg.attrs.push(a),
        Some(Cur::Dataset(d)) => cfg.datasets.push(d),
        Some(Cur::Pset(p)) => cfg.dedicated_cpu = Some(p),
        Some(Cur::Admin(a)) => cfg.admins.push(a),
        Some(Cur::View(_)) | None => {}
    }
}

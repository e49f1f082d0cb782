//! Command files for zcon's own changes: [`create_script`] writes a whole zone,
//! [`modify_script`] only the differences between two configurations.
//!
//! Every user value is written in double quotes, where zonecfg's lexer takes `;`, `#`,
//! `=`, brackets, blanks and words such as `end` as data. The lexer has no escape, so a
//! value holding `"` or a newline cannot be written at all: these functions refuse it
//! rather than emit a script that would run something else.

use std::fmt::Write;

use super::edit::to_rctl_form;
use super::script::Prop;
use super::verify::ATTR_STRING_MAX;
use super::{
    Admin, Attr, AttrType, DedicatedCpu, Device, Fs, IpType, Net, Property, Rctl, ZoneConfig,
};

/// A value as a quoted zonecfg token, or why it cannot be one.
pub fn quote(value: &str) -> Result<String, String> {
    if let Some(bad) = value
        .chars()
        .find(|c| matches!(c, '"' | '\n' | '\r' | '\0'))
    {
        return Err(format!(
            "the value {value:?} contains {bad:?}, which zonecfg's command language cannot carry"
        ));
    }
    Ok(format!("\"{value}\""))
}

/// A value inside `( … )`: bare when it is a plain word (as export writes rctl values),
/// else quoted.
fn cvalue(value: &str) -> Result<String, String> {
    let plain = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
        && Prop::from_keyword(value).is_none();
    if plain {
        Ok(value.to_string())
    } else {
        quote(value)
    }
}

type Out = Result<(), String>;

fn set(s: &mut String, prop: &str, value: &str) -> Out {
    writeln!(s, "set {prop}={}", quote(value)?).map_err(|e| e.to_string())
}

fn line(s: &mut String, text: &str) {
    s.push_str(text);
    s.push('\n');
}

fn check_attr(a: &Attr) -> Out {
    if a.attr_type == AttrType::String && a.value.len() > ATTR_STRING_MAX {
        return Err(format!(
            "attr '{}': the value is {} bytes long; zonecfg accepts at most {ATTR_STRING_MAX}",
            a.name,
            a.value.len()
        ));
    }
    Ok(())
}

fn property_cmds(s: &mut String, verb: &str, props: &[Property]) -> Out {
    for p in props {
        writeln!(
            s,
            "{verb} property (name={},value={})",
            cvalue(&p.name)?,
            quote(&p.value)?
        )
        .map_err(|e| e.to_string())?;
    }
    Ok(())
}

fn rctl_values(s: &mut String, r: &Rctl, first_verb: &str) -> Out {
    for (i, v) in r.values.iter().enumerate() {
        let verb = if i == 0 { first_verb } else { "add value " };
        writeln!(
            s,
            "{verb}(priv={},limit={},action={})",
            cvalue(&v.privilege)?,
            cvalue(&v.limit)?,
            cvalue(&v.action)?
        )
        .map_err(|e| e.to_string())?;
    }
    Ok(())
}

fn net_fields(s: &mut String, n: &Net) -> Out {
    let fields = [
        ("address", &n.address),
        ("allowed-address", &n.allowed_address),
        ("physical", &n.physical),
        ("mac-addr", &n.mac_addr),
        ("global-nic", &n.global_nic),
        ("defrouter", &n.defrouter),
    ];
    for (p, v) in fields {
        if let Some(v) = v {
            set(s, p, v)?;
        }
    }
    if let Some(v) = n.vlan_id {
        set(s, "vlan-id", &v.to_string())?;
    }
    Ok(())
}

fn add_fs(s: &mut String, f: &Fs) -> Out {
    line(s, "add fs");
    set(s, "dir", &f.dir)?;
    set(s, "special", &f.special)?;
    if let Some(raw) = &f.raw {
        set(s, "raw", raw)?;
    }
    set(s, "type", &f.fs_type)?;
    for o in &f.options {
        writeln!(s, "add options {}", quote(o)?).map_err(|e| e.to_string())?;
    }
    line(s, "end");
    Ok(())
}

fn add_net(s: &mut String, n: &Net) -> Out {
    line(s, "add net");
    net_fields(s, n)?;
    property_cmds(s, "add", &n.properties)?;
    line(s, "end");
    Ok(())
}

fn add_device(s: &mut String, d: &Device) -> Out {
    line(s, "add device");
    set(s, "match", &d.match_path)?;
    property_cmds(s, "add", &d.properties)?;
    line(s, "end");
    Ok(())
}

fn add_rctl(s: &mut String, r: &Rctl) -> Out {
    line(s, "add rctl");
    set(s, "name", &r.name)?;
    rctl_values(s, r, "add value ")?;
    line(s, "end");
    Ok(())
}

fn add_attr(s: &mut String, a: &Attr) -> Out {
    check_attr(a)?;
    line(s, "add attr");
    set(s, "name", &a.name)?;
    set(s, "type", a.attr_type.as_str())?;
    set(s, "value", &a.value)?;
    line(s, "end");
    Ok(())
}

fn add_pset(s: &mut String, p: &DedicatedCpu) -> Out {
    line(s, "add dedicated-cpu");
    pset_fields(s, p, None)?;
    line(s, "end");
    Ok(())
}

fn pset_fields(s: &mut String, p: &DedicatedCpu, old: Option<&DedicatedCpu>) -> Out {
    let ncpus = if p.ncpu_min == p.ncpu_max {
        p.ncpu_max.clone()
    } else {
        format!("{}-{}", p.ncpu_min, p.ncpu_max)
    };
    if old.is_none_or(|o| (&o.ncpu_min, &o.ncpu_max) != (&p.ncpu_min, &p.ncpu_max)) {
        set(s, "ncpus", &ncpus)?;
    }
    match (&p.importance, old.and_then(|o| o.importance.as_ref())) {
        (Some(i), o) if o != Some(i) => set(s, "importance", i)?,
        (None, Some(_)) => line(s, "clear importance"),
        _ => {}
    }
    Ok(())
}

fn add_admin(s: &mut String, a: &Admin) -> Out {
    line(s, "add admin");
    set(s, "user", &a.user)?;
    set(s, "auths", &a.auths)?;
    line(s, "end");
    Ok(())
}

/// The global properties that differ, as set/clear commands.
fn globals(s: &mut String, old: &ZoneConfig, new: &ZoneConfig) -> Out {
    if new.name != old.name && !old.name.is_empty() {
        set(s, "zonename", &new.name)?;
    }
    if new.brand != old.brand && !new.brand.is_empty() {
        set(s, "brand", &new.brand)?;
    }
    if new.zonepath != old.zonepath {
        if new.zonepath.is_empty() {
            return Err("zonecfg cannot clear a zonepath once it is set".into());
        }
        set(s, "zonepath", &new.zonepath)?;
    }
    if new.autoboot != old.autoboot {
        set(s, "autoboot", if new.autoboot { "true" } else { "false" })?;
    }
    if new.ip_type != old.ip_type {
        set(s, "ip-type", new.ip_type.as_zonecfg())?;
    }
    let optional = [
        ("bootargs", &old.bootargs, &new.bootargs),
        ("pool", &old.pool, &new.pool),
        ("limitpriv", &old.limitpriv, &new.limitpriv),
        (
            "scheduling-class",
            &old.scheduling_class,
            &new.scheduling_class,
        ),
        ("hostid", &old.hostid, &new.hostid),
        ("fs-allowed", &old.fs_allowed, &new.fs_allowed),
    ];
    for (p, o, n) in optional {
        match n {
            Some(v) if o.as_ref() != Some(v) => set(s, p, v)?,
            None if o.is_some() => line(s, &format!("clear {p}")),
            _ => {}
        }
    }
    Ok(())
}

/// A `create -b` script that builds `cfg`, ending in `commit`. The zone name is not in
/// it: it is the `-z` argument.
pub fn create_script(cfg: &ZoneConfig) -> Result<String, String> {
    let blank = ZoneConfig {
        ip_type: IpType::Shared,
        ..ZoneConfig::blank("")
    };
    let named = ZoneConfig {
        name: String::new(),
        ..cfg.clone()
    };
    let mut s = String::from("create -b\n");
    globals(&mut s, &blank, &named)?;
    resources(&mut s, &to_rctl_form(blank), &to_rctl_form(named))?;
    line(&mut s, "commit");
    Ok(s)
}

/// A `create -t TEMPLATE` script: the zone starts as a copy of the template's configuration
/// (`template_cfg`) and only the differences to `cfg` follow, then `commit`. On OmniOS the
/// templates are the brands' (`create -t sparse` reads OMNIsparse); a copy of another zone's
/// configuration is a [`create_script`] of it instead.
pub fn template_script(
    template: &str,
    template_cfg: &ZoneConfig,
    cfg: &ZoneConfig,
) -> Result<String, String> {
    // The copy takes the name of the zone being configured (the -z argument).
    let start = ZoneConfig {
        name: cfg.name.clone(),
        ..template_cfg.clone()
    };
    Ok(format!(
        "create -t {}\n{}",
        quote(template)?,
        modify_script(&start, cfg)?
    ))
}

/// A script that turns `old` into `new` with only the differences, ending in `commit`.
/// Resources are matched by their keys (nets by physical, devices by match, attrs, rctls
/// and datasets by name, fs by dir, admins by user); a changed one is edited with
/// `select … end`, which zonecfg stores at the end of its list.
pub fn modify_script(old: &ZoneConfig, new: &ZoneConfig) -> Result<String, String> {
    let (old_r, new_r) = (to_rctl_form(old.clone()), to_rctl_form(new.clone()));
    let mut s = String::new();
    // Removals first (a persistent pool and dedicated-cpu exclude each other), then the
    // global properties (ip-type decides what a net's physical may be), then the rest.
    removals(&mut s, &old_r, &new_r)?;
    globals(&mut s, old, new)?;
    resources(&mut s, &old_r, &new_r)?;
    line(&mut s, "commit");
    Ok(s)
}

/// Pair old and new resources by key: (old, new) with either side missing.
fn pair<'a, T, K: PartialEq>(
    old: &'a [T],
    new: &'a [T],
    key: impl Fn(&T) -> K,
) -> Vec<(Option<&'a T>, Option<&'a T>)> {
    let mut used = vec![false; new.len()];
    let mut out = Vec::new();
    for o in old {
        let k = key(o);
        match (0..new.len()).find(|&i| !used[i] && key(&new[i]) == k) {
            Some(i) => {
                used[i] = true;
                out.push((Some(o), Some(&new[i])));
            }
            None => out.push((Some(o), None)),
        }
    }
    out.extend(
        new.iter()
            .zip(&used)
            .filter(|(_, u)| !**u)
            .map(|(n, _)| (None, Some(n))),
    );
    out
}

/// `prop="value" …` naming one net (physical plus its addresses).
fn net_filter(n: &Net, all: &[Net]) -> Result<String, String> {
    let same = all
        .iter()
        .filter(|x| {
            x.physical == n.physical
                && x.address == n.address
                && x.allowed_address == n.allowed_address
        })
        .count();
    if same > 1 {
        return Err(format!(
            "several nets have physical {:?} and the same addresses: zonecfg cannot tell them apart",
            n.physical.as_deref().unwrap_or("")
        ));
    }
    let mut f = format!("physical={}", quote(n.physical.as_deref().unwrap_or(""))?);
    if let Some(a) = &n.address {
        write!(f, " address={}", quote(a)?).map_err(|e| e.to_string())?;
    }
    if let Some(a) = &n.allowed_address {
        write!(f, " allowed-address={}", quote(a)?).map_err(|e| e.to_string())?;
    }
    Ok(f)
}

fn removals(s: &mut String, old: &ZoneConfig, new: &ZoneConfig) -> Out {
    let rm = |s: &mut String, res: &str, filter: String| line(s, &format!("remove {res} {filter}"));
    for (o, n) in pair(&old.nets, &new.nets, |n| n.physical.clone()) {
        if let (Some(o), None) = (o, n) {
            rm(s, "net", net_filter(o, &old.nets)?);
        }
    }
    for (o, n) in pair(&old.fs, &new.fs, |f| f.dir.clone()) {
        if let (Some(o), None) = (o, n) {
            rm(s, "fs", format!("dir={}", quote(&o.dir)?));
        }
    }
    for (o, n) in pair(&old.devices, &new.devices, |d| d.match_path.clone()) {
        if let (Some(o), None) = (o, n) {
            rm(s, "device", format!("match={}", quote(&o.match_path)?));
        }
    }
    for (o, n) in pair(&old.rctls, &new.rctls, |r| r.name.clone()) {
        if let (Some(o), None) = (o, n) {
            rm(s, "rctl", format!("name={}", quote(&o.name)?));
        }
    }
    for (o, n) in pair(&old.attrs, &new.attrs, |a| a.name.clone()) {
        if let (Some(o), None) = (o, n) {
            rm(s, "attr", format!("name={}", quote(&o.name)?));
        }
    }
    for (o, n) in pair(&old.datasets, &new.datasets, |d| d.name.clone()) {
        if let (Some(o), None) = (o, n) {
            rm(s, "dataset", format!("name={}", quote(&o.name)?));
        }
    }
    for (o, n) in pair(&old.admins, &new.admins, |a| a.user.clone()) {
        if let (Some(o), None) = (o, n) {
            rm(s, "admin", format!("user={}", quote(&o.user)?));
        }
    }
    if old.dedicated_cpu.is_some() && new.dedicated_cpu.is_none() {
        line(s, "remove dedicated-cpu");
    }
    Ok(())
}

/// Changed resources (select … end) and added ones (add … end).
fn resources(s: &mut String, old: &ZoneConfig, new: &ZoneConfig) -> Out {
    for (o, n) in pair(&old.fs, &new.fs, |f| f.dir.clone()) {
        match (o, n) {
            (None, Some(n)) => add_fs(s, n)?,
            (Some(o), Some(n)) if o != n => {
                line(s, &format!("select fs dir={}", quote(&o.dir)?));
                if n.special != o.special {
                    set(s, "special", &n.special)?;
                }
                match &n.raw {
                    Some(r) if o.raw.as_ref() != Some(r) => set(s, "raw", r)?,
                    None if o.raw.is_some() => line(s, "clear raw"),
                    _ => {}
                }
                if n.fs_type != o.fs_type {
                    set(s, "type", &n.fs_type)?;
                }
                if n.options != o.options {
                    let opts: Result<Vec<String>, String> =
                        n.options.iter().map(|x| quote(x)).collect();
                    line(s, &format!("set options=[{}]", opts?.join(",")));
                }
                line(s, "end");
            }
            _ => {}
        }
    }
    for (o, n) in pair(&old.nets, &new.nets, |n| n.physical.clone()) {
        match (o, n) {
            (None, Some(n)) => add_net(s, n)?,
            // zonecfg cannot clear an address: replace the net.
            (Some(o), Some(n)) if o != n && o.address.is_some() && n.address.is_none() => {
                line(s, &format!("remove net {}", net_filter(o, &old.nets)?));
                add_net(s, n)?;
            }
            (Some(o), Some(n)) if o != n => {
                line(s, &format!("select net {}", net_filter(o, &old.nets)?));
                let changed = |a: &Option<String>, b: &Option<String>| a != b;
                let fields = [
                    ("address", &o.address, &n.address),
                    ("allowed-address", &o.allowed_address, &n.allowed_address),
                    ("mac-addr", &o.mac_addr, &n.mac_addr),
                    ("global-nic", &o.global_nic, &n.global_nic),
                    ("defrouter", &o.defrouter, &n.defrouter),
                ];
                for (p, ov, nv) in fields {
                    match nv {
                        Some(v) if changed(ov, nv) => set(s, p, v)?,
                        None if ov.is_some() => line(s, &format!("clear {p}")),
                        _ => {}
                    }
                }
                match n.vlan_id {
                    Some(v) if o.vlan_id != Some(v) => set(s, "vlan-id", &v.to_string())?,
                    None if o.vlan_id.is_some() => line(s, "clear vlan-id"),
                    _ => {}
                }
                if o.properties != n.properties {
                    property_cmds(s, "remove", &o.properties)?;
                    property_cmds(s, "add", &n.properties)?;
                }
                line(s, "end");
            }
            _ => {}
        }
    }
    for (o, n) in pair(&old.devices, &new.devices, |d| d.match_path.clone()) {
        match (o, n) {
            (None, Some(n)) => add_device(s, n)?,
            (Some(o), Some(n)) if o != n => {
                line(s, &format!("select device match={}", quote(&o.match_path)?));
                property_cmds(s, "remove", &o.properties)?;
                property_cmds(s, "add", &n.properties)?;
                line(s, "end");
            }
            _ => {}
        }
    }
    for (o, n) in pair(&old.rctls, &new.rctls, |r| r.name.clone()) {
        match (o, n) {
            (None, Some(n)) => add_rctl(s, n)?,
            (Some(o), Some(n)) if o != n => {
                line(s, &format!("select rctl name={}", quote(&o.name)?));
                rctl_values(s, n, "set value=")?;
                line(s, "end");
            }
            _ => {}
        }
    }
    for (o, n) in pair(&old.attrs, &new.attrs, |a| a.name.clone()) {
        match (o, n) {
            (None, Some(n)) => add_attr(s, n)?,
            (Some(o), Some(n)) if o != n => {
                check_attr(n)?;
                line(s, &format!("select attr name={}", quote(&o.name)?));
                if n.attr_type != o.attr_type {
                    set(s, "type", n.attr_type.as_str())?;
                }
                if n.value != o.value {
                    set(s, "value", &n.value)?;
                }
                line(s, "end");
            }
            _ => {}
        }
    }
    for (o, n) in pair(&old.datasets, &new.datasets, |d| d.name.clone()) {
        if let (None, Some(n)) = (o, n) {
            line(s, "add dataset");
            set(s, "name", &n.name)?;
            line(s, "end");
        }
    }
    match (&old.dedicated_cpu, &new.dedicated_cpu) {
        (None, Some(n)) => add_pset(s, n)?,
        (Some(o), Some(n)) if o != n => {
            line(s, "select dedicated-cpu");
            pset_fields(s, n, Some(o))?;
            line(s, "end");
        }
        _ => {}
    }
    for (o, n) in pair(&old.admins, &new.admins, |a| a.user.clone()) {
        match (o, n) {
            (None, Some(n)) => add_admin(s, n)?,
            (Some(o), Some(n)) if o != n => {
                line(s, &format!("select admin user={}", quote(&o.user)?));
                set(s, "auths", &n.auths)?;
                line(s, "end");
            }
            _ => {}
        }
    }
    Ok(())
}

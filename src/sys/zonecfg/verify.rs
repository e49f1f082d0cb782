//! zonecfg's `verify` (what `commit` runs before saving), libzonecfg's error codes and
//! texts, the brands, and the rctl aliases.

use super::check::valid_hostid;
pub use super::check::{
    ATTR_STRING_MAX, NETADDR_HELP, attr_name_problem, attr_value_problem, bytes_to_units,
    check_net_address, normalize_zonepath, physical_problem, str_to_bytes, valid_dataset_name,
    valid_fs_type, valid_linkname, valid_rctl_name, valid_rctl_value, valid_uint, zonepath_problem,
};
use super::edit::{EditContext, Out};
use super::{IpType, ZoneConfig};

/// libzonecfg error codes zonecfg reports, with zonecfg_strerror()'s texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZErr {
    NoZone,
    NoResourceType,
    NoResourceId,
    NoPropertyType,
    NoPropertyId,
    NoEntry,
    InsufficientSpec,
    ReqdResourceMissing,
    ReqdPropertyMissing,
    BogusZoneName,
    BadZoneState,
    NameInUse,
    ClearDisallow,
    AliasDisallow,
    InvalidDocument,
    Inval,
    Incompatible,
    BadProperty,
    BrandError,
    SavingFile,
    UpdatingIndex,
    InvalidProperty,
}

impl ZErr {
    pub fn text(self) -> &'static str {
        match self {
            ZErr::NoZone => "No such zone configured",
            ZErr::NoResourceType => "No such resource type",
            ZErr::NoResourceId => "No such resource with that id",
            ZErr::NoPropertyType => "No such property type",
            ZErr::NoPropertyId => "No such property with that id",
            ZErr::NoEntry => "No such entry",
            ZErr::InsufficientSpec => "Insufficient specification",
            ZErr::ReqdResourceMissing => "Required resource missing",
            ZErr::ReqdPropertyMissing => "Required property missing",
            ZErr::BogusZoneName => "Bogus zone name",
            ZErr::BadZoneState => "Zone state is invalid for the requested operation",
            ZErr::NameInUse => "Zone name already in use",
            ZErr::ClearDisallow => "Clearing this property is not allowed",
            ZErr::AliasDisallow => "An incompatible rctl already exists for this property",
            ZErr::InvalidDocument => "Invalid document",
            ZErr::Inval => "Invalid argument",
            ZErr::Incompatible => "Incompatible settings",
            ZErr::BadProperty => "Bad property value",
            ZErr::BrandError => "Brand-specific error",
            ZErr::SavingFile => "Problem saving file",
            ZErr::UpdatingIndex => "Problem updating index file",
            ZErr::InvalidProperty => "Specified property is invalid",
        }
    }
}

/// The brands an OmniOS host has (`/usr/lib/brand/*`).
pub const OMNIOS_BRANDS: &[&str] = &[
    "ipkg", "lipkg", "sparse", "pkgsrc", "lx", "bhyve", "kvm", "emu", "illumos",
];

/// The brand a zone without one gets (`SUNWdefault.xml` on OmniOS).
pub const DEFAULT_BRAND: &str = "ipkg";

/// A zone-wide rctl zonecfg exposes under a short name, with its privilege/action and the
/// lowest limit it accepts (libzonecfg's alias table, OmniOS edition).
#[derive(Debug, Clone, Copy)]
pub struct Alias {
    pub short: &'static str,
    pub rctl: &'static str,
    pub action: &'static str,
    pub low: u64,
}

pub const ALIASES: &[Alias] = &[
    alias("max-lwps", "zone.max-lwps", "deny", 100),
    alias("max-shm-memory", "zone.max-shm-memory", "deny", 0),
    alias("max-shm-ids", "zone.max-shm-ids", "deny", 0),
    alias("max-msg-ids", "zone.max-msg-ids", "deny", 0),
    alias("max-sem-ids", "zone.max-sem-ids", "deny", 0),
    alias("max-locked-memory", "zone.max-locked-memory", "deny", 0),
    alias("max-swap", "zone.max-swap", "deny", 0),
    alias(
        "max-physical-memory",
        "zone.max-physical-memory",
        "deny",
        1 << 20,
    ),
    alias("cpu-shares", "zone.cpu-shares", "none", 0),
    alias("cpu-cap", "zone.cpu-cap", "deny", 0),
    alias("max-processes", "zone.max-processes", "deny", 100),
    alias("zfs-io-priority", "zone.zfs-io-priority", "none", 1),
];

const fn alias(short: &'static str, rctl: &'static str, action: &'static str, low: u64) -> Alias {
    Alias {
        short,
        rctl,
        action,
        low,
    }
}

pub fn alias_by_short(short: &str) -> Option<&'static Alias> {
    ALIASES.iter().find(|a| a.short == short)
}

pub fn alias_by_rctl(rctl: &str) -> Option<&'static Alias> {
    ALIASES.iter().find(|a| a.rctl == rctl)
}

/// How an aliased rctl stands in a configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AliasState {
    Absent,
    /// One privileged value with the alias's action: the alias reads as this limit.
    Set(u64),
    /// Present in another form; the alias cannot be used.
    Other,
}

pub fn alias_state(cfg: &ZoneConfig, a: &Alias) -> AliasState {
    let Some(r) = cfg.rctls.iter().find(|r| r.name == a.rctl) else {
        return AliasState::Absent;
    };
    match r.values.as_slice() {
        [v] if v.privilege == "privileged" && v.action == a.action => {
            v.limit.parse().map_or(AliasState::Other, AliasState::Set)
        }
        [] => AliasState::Absent,
        _ => AliasState::Other,
    }
}

/// What `verify` concluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Ok,
    /// Problems were found; the code is what zonecfg reports after them.
    Failed(ZErr),
    /// zonecfg gave up early after printing (unknown brand, bad hostid): nothing more is
    /// printed and nothing is saved.
    Aborted,
}

/// verify_func()'s checks. `zone` names the zone in messages.
pub fn verify(cfg: &ZoneConfig, cx: &EditContext, in_resource_scope: bool) -> (Vec<Out>, Verdict) {
    let mut out = Vec::new();
    let mut ret: Option<ZErr> = None;
    let zone = cfg.name.as_str();
    let fail = |out: &mut Vec<Out>, msg: String, code: ZErr, ret: &mut Option<ZErr>| {
        out.push(Out::Zerr(msg));
        ret.get_or_insert(code);
    };
    if !cx.global_zone && cfg.zonepath.is_empty() {
        out.push(Out::Zerr("zonepath cannot be empty.".into()));
        ret = Some(ZErr::ReqdResourceMissing);
    }
    if cx.check_brand {
        let brand = if cfg.brand.is_empty() {
            DEFAULT_BRAND
        } else {
            cfg.brand.as_str()
        };
        if !OMNIOS_BRANDS.contains(&brand) {
            out.push(Out::Zerr(format!("{zone}: unknown brand.\n")));
            out.push(Out::Zerr(format!(
                "{zone}: {}",
                ZErr::InvalidDocument.text()
            )));
            return (out, Verdict::Aborted);
        }
        // The bhyve brand's verify hook: a VM's VNICs belong to the zone.
        if brand == "bhyve" && cfg.ip_type != IpType::Exclusive {
            out.push(Out::Stderr(
                "bhyve zones must have ip-type set to exclusive\n".into(),
            ));
            out.push(Out::Zerr(format!("{zone}: {}", ZErr::BrandError.text())));
            return (out, Verdict::Aborted);
        }
    }
    if let Some(h) = cfg.hostid.as_deref().filter(|h| !valid_hostid(h)) {
        out.push(Out::Zerr(format!("{zone}: invalid hostid: {h}")));
        return (out, Verdict::Aborted);
    }
    for fs in &cfg.fs {
        for (v, p) in [
            (&fs.dir, "dir"),
            (&fs.special, "special"),
            (&fs.fs_type, "type"),
        ] {
            if v.is_empty() {
                let m = format!("fs: {p} not specified");
                fail(&mut out, m, ZErr::ReqdPropertyMissing, &mut ret);
            }
        }
    }
    // Exclusive-IP interfaces: (physical, has allowed-address, has defrouter).
    let mut xif: Vec<(String, bool, bool)> = Vec::new();
    for net in &cfg.nets {
        let physical = net.physical.as_deref().unwrap_or("");
        if physical.is_empty() {
            let m = "net: physical not specified".to_string();
            fail(&mut out, m, ZErr::ReqdPropertyMissing, &mut ret);
        }
        if let Some(m) = physical_problem(physical, cfg.ip_type) {
            fail(&mut out, m, ZErr::Inval, &mut ret);
        }
        match cfg.ip_type {
            IpType::Shared => {
                if net.address.is_none() {
                    let m = "net: address not specified".to_string();
                    fail(&mut out, m, ZErr::ReqdPropertyMissing, &mut ret);
                }
                if net.allowed_address.is_some() {
                    let m = "net: allowed-address cannot be specified for a shared IP type";
                    fail(&mut out, m.into(), ZErr::Inval, &mut ret);
                }
            }
            IpType::Exclusive if net.address.is_some() => {
                let m = "net: address cannot be specified for an exclusive IP type";
                fail(&mut out, m.into(), ZErr::Inval, &mut ret);
            }
            IpType::Exclusive => {
                let (addr, router) = (net.allowed_address.is_some(), net.defrouter.is_some());
                match xif.iter_mut().find(|x| x.0 == physical) {
                    Some(x) => {
                        x.1 |= addr;
                        x.2 |= router;
                    }
                    None => xif.insert(0, (physical.to_string(), addr, router)),
                }
            }
        }
    }
    for (name, _, _) in xif.iter().filter(|x| !x.1 && x.2) {
        out.push(Out::Zerr(format!(
            "net: defrouter for {name} cannot be specified without allowed-address for an exclusive IP type"
        )));
        ret = Some(ZErr::Inval);
    }
    let mut shares = false;
    let mut cap = false;
    for rctl in &cfg.rctls {
        if rctl.name.is_empty() {
            let m = "rctl: name not specified".to_string();
            fail(&mut out, m, ZErr::ReqdPropertyMissing, &mut ret);
        }
        shares |= rctl.name == "zone.cpu-shares";
        cap |= rctl.name == "zone.cpu-cap";
        if rctl.values.is_empty() {
            let m = "rctl: no value specified".to_string();
            fail(&mut out, m, ZErr::ReqdPropertyMissing, &mut ret);
        }
    }
    let pset = cfg.dedicated_cpu.is_some();
    if pset && shares {
        let m = "rctl zone.cpu-shares and dedicated-cpu are incompatible.";
        fail(&mut out, m.into(), ZErr::Incompatible, &mut ret);
    }
    if let Some(s) = cfg
        .scheduling_class
        .as_deref()
        .filter(|s| shares && *s != "FSS")
    {
        let m = format!("WARNING: rctl zone.cpu-shares and scheduling-class={s} are incompatible");
        fail(&mut out, m, ZErr::Incompatible, &mut ret);
    }
    if pset && cap {
        let m = "rctl zone.cpu-cap and the dedicated-cpu are incompatible.";
        fail(&mut out, m.into(), ZErr::Incompatible, &mut ret);
    }
    for a in &cfg.attrs {
        for (v, p) in [(&a.name, "name"), (&a.value, "value")] {
            if v.is_empty() {
                let m = format!("attr: {p} not specified");
                fail(&mut out, m, ZErr::ReqdPropertyMissing, &mut ret);
            }
        }
    }
    for ds in &cfg.datasets {
        if ds.name.is_empty() {
            let m = "dataset: name not specified".to_string();
            fail(&mut out, m, ZErr::ReqdPropertyMissing, &mut ret);
        } else if !valid_dataset_name(&ds.name) {
            let m = "dataset: name invalid".to_string();
            fail(&mut out, m, ZErr::BadProperty, &mut ret);
        }
    }
    for ad in &cfg.admins {
        for (v, p) in [(&ad.user, "user"), (&ad.auths, "auths")] {
            if v.is_empty() {
                let m = format!("admin: {p} not specified");
                fail(&mut out, m, ZErr::ReqdPropertyMissing, &mut ret);
            }
        }
    }
    if in_resource_scope {
        let m = "resource specification incomplete".to_string();
        fail(&mut out, m, ZErr::InsufficientSpec, &mut ret);
    }
    match ret {
        None => (out, Verdict::Ok),
        Some(code) => (out, Verdict::Failed(code)),
    }
}

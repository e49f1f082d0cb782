//! Whole resources in the global scope: `add RES` (with zonecfg's refusals for the
//! singleton resources), `select` and `remove`, and the matching rules of libzonecfg's
//! zonecfg_lookup_*() functions that name one resource by some of its properties.

use super::edit::{EditContext, Editor, Scope, Sink, Tab};
use super::script::{Prop, ResType, Value};
use super::verify::{Alias, AliasState, ZErr, alias_by_short, alias_state};
use super::{Admin, Attr, DatasetResource, DedicatedCpu, Device, Fs, Net, Rctl};

impl Editor {
    pub(crate) fn add_resource(&mut self, res: ResType, cx: &EditContext, sink: &mut Sink) {
        if cx.global_zone && gz_invalid_resource(res) {
            return sink.error(format!(
                "Cannot add a {} resource to the global zone.",
                res.as_str()
            ));
        }
        let cap = alias_state(&self.cfg, alias_by_short("cpu-cap").expect("alias"));
        let tab = match res {
            ResType::Fs => Tab::Fs(Fs::default()),
            ResType::Net => Tab::Net(Net::default()),
            ResType::Device => Tab::Device(Device::default()),
            ResType::Rctl => Tab::Rctl(Rctl::default()),
            ResType::Attr => Tab::Attr(Attr::default(), false),
            ResType::Dataset => Tab::Dataset(DatasetResource::default()),
            ResType::Admin => Tab::Admin(Admin::default()),
            ResType::SecurityFlags => Tab::SecFlags,
            ResType::DedicatedCpu => {
                if self.cfg.dedicated_cpu.is_some() {
                    return sink.note("The dedicated-cpu resource already exists.");
                }
                if cap != AliasState::Absent {
                    return sink.note("The capped-cpu resource already exists.");
                }
                if self.cfg.pool.is_some() {
                    return sink.note(
                        "The pool property is already set.  A persistent pool is incompatible with\n\
                         the dedicated-cpu resource.",
                    );
                }
                Tab::Pset(DedicatedCpu::default())
            }
            ResType::CappedCpu => {
                if self.cfg.dedicated_cpu.is_some() {
                    return sink.note("The dedicated-cpu resource already exists.");
                }
                match cap {
                    AliasState::Other => {
                        return sink.note(format!("capped-cpu: {}", ZErr::AliasDisallow.text()));
                    }
                    AliasState::Set(_) => {
                        return sink.note("The capped-cpu resource already exists.");
                    }
                    AliasState::Absent => Tab::CappedCpu,
                }
            }
            ResType::CappedMemory => {
                if mcap_aliases().any(|a| matches!(alias_state(&self.cfg, a), AliasState::Set(_))) {
                    return sink.note(
                        "The capped-memory resource or a related resource control already exists.",
                    );
                }
                Tab::CappedMemory
            }
        };
        self.scope = Some(Scope {
            res,
            tab,
            old: None,
        });
    }

    /// The `prop=value` pairs of select/remove as fill_in_*tab() reads them; None after
    /// printing why they cannot identify a resource.
    fn simple_filter(
        res: ResType,
        filter: &[(Prop, Value)],
        sink: &mut Sink,
    ) -> Option<Vec<(Prop, String)>> {
        let mut out = Vec::new();
        for (p, v) in filter {
            let Some(v) = v.simple() else {
                sink.error("A simple value was expected here.");
                return None;
            };
            if !filter_props(res).contains(p) {
                sink.perror(p.as_str(), ZErr::NoPropertyType);
                return None;
            }
            out.push((*p, v.to_string()));
        }
        Some(out)
    }

    /// zonecfg_lookup_*(): the one resource the filter matches.
    fn lookup(&self, res: ResType, filter: &[(Prop, String)]) -> Result<usize, ZErr> {
        let found: Vec<usize> = self
            .tabs(res)
            .iter()
            .enumerate()
            .filter(|(_, t)| tab_matches(t, filter))
            .map(|(i, _)| i)
            .collect();
        match found.as_slice() {
            [i] => Ok(*i),
            [] => Err(ZErr::NoResourceId),
            _ => Err(ZErr::InsufficientSpec),
        }
    }

    pub(crate) fn select(&mut self, res: ResType, filter: &[(Prop, Value)], sink: &mut Sink) {
        let fail = |sink: &mut Sink, err: ZErr| {
            sink.error(format!("select {}: {}", res.as_str(), err.text()));
        };
        let tab = match res {
            ResType::DedicatedCpu => match &self.cfg.dedicated_cpu {
                Some(p) => Tab::Pset(p.clone()),
                None => return fail(sink, ZErr::NoEntry),
            },
            ResType::CappedCpu => {
                match alias_state(&self.cfg, alias_by_short("cpu-cap").expect("alias")) {
                    AliasState::Set(_) => Tab::CappedCpu,
                    AliasState::Absent => return fail(sink, ZErr::NoEntry),
                    AliasState::Other => return fail(sink, ZErr::AliasDisallow),
                }
            }
            ResType::CappedMemory => {
                if !mcap_aliases().any(|a| matches!(alias_state(&self.cfg, a), AliasState::Set(_)))
                {
                    return fail(sink, ZErr::NoResourceType);
                }
                Tab::CappedMemory
            }
            ResType::SecurityFlags => return fail(sink, ZErr::NoResourceId),
            _ => {
                let Some(filter) = Self::simple_filter(res, filter, sink) else {
                    return fail(sink, ZErr::InsufficientSpec);
                };
                match self.lookup(res, &filter) {
                    Ok(i) => self.tabs(res).swap_remove(i),
                    Err(e) => return fail(sink, e),
                }
            }
        };
        self.scope = Some(Scope {
            res,
            old: Some(tab.clone()),
            tab,
        });
    }

    pub(crate) fn remove_resource(
        &mut self,
        force: bool,
        res: ResType,
        filter: &[(Prop, Value)],
        cx: &EditContext,
        sink: &mut Sink,
    ) {
        if cx.global_zone && gz_invalid_resource(res) {
            return sink.error(format!(
                "{} is not a valid resource for the global zone.",
                res.as_str()
            ));
        }
        let fail = |sink: &mut Sink, err: ZErr| {
            sink.error(format!("remove {}: {}", res.as_str(), err.text()));
        };
        match res {
            ResType::DedicatedCpu if self.cfg.dedicated_cpu.is_none() => {
                return fail(sink, ZErr::NoEntry);
            }
            ResType::DedicatedCpu => self.cfg.dedicated_cpu = None,
            ResType::CappedCpu => {
                let a = alias_by_short("cpu-cap").expect("alias");
                if !matches!(alias_state(&self.cfg, a), AliasState::Set(_)) {
                    return fail(sink, ZErr::NoResourceType);
                }
                self.cfg.remove_rctl(a.rctl);
            }
            ResType::CappedMemory => {
                let set: Vec<&Alias> = mcap_aliases()
                    .filter(|a| matches!(alias_state(&self.cfg, a), AliasState::Set(_)))
                    .collect();
                if set.is_empty() {
                    return fail(sink, ZErr::NoResourceType);
                }
                for a in set {
                    self.cfg.remove_rctl(a.rctl);
                }
            }
            ResType::SecurityFlags => {
                return sink.note(format!(
                    "remove security-flags: {}",
                    ZErr::NoResourceType.text()
                ));
            }
            _ if !filter.is_empty() => {
                let Some(filter) = Self::simple_filter(res, filter, sink) else {
                    return fail(sink, ZErr::InsufficientSpec);
                };
                match self.lookup(res, &filter) {
                    Ok(i) => {
                        self.remove_at(res, i);
                    }
                    Err(e) => return fail(sink, e),
                }
            }
            _ => {
                let n = self.tabs(res).len();
                if n == 0 {
                    return fail(sink, ZErr::NoEntry);
                }
                if n > 1 && !force {
                    if cx.interactive {
                        // ask_yesno() cannot prompt without a terminal.
                        sink.error("Resource incomplete.");
                    } else {
                        sink.error(
                            "There are multiple instances of this resource.  Either qualify the resource to\n\
                             remove a single instance or use the -F option to remove all instances.",
                        );
                    }
                    return;
                }
                for _ in 0..n {
                    self.remove_at(res, 0);
                }
            }
        }
        self.dirty = true;
    }
}

fn gz_invalid_resource(r: ResType) -> bool {
    matches!(
        r,
        ResType::Fs | ResType::Net | ResType::Device | ResType::Attr | ResType::Dataset
    )
}

/// The aliases behind capped-memory's physical, swap and locked.
pub(crate) fn mcap_aliases() -> impl Iterator<Item = &'static Alias> {
    ["max-physical-memory", "max-swap", "max-locked-memory"]
        .into_iter()
        .filter_map(alias_by_short)
}

/// The properties select/remove/info can name for each resource type.
fn filter_props(res: ResType) -> &'static [Prop] {
    use Prop::*;
    match res {
        ResType::Fs => &[Dir, Special, Raw, Type],
        ResType::Net => &[
            Address,
            AllowedAddress,
            Physical,
            MacAddr,
            VlanId,
            GlobalNic,
            Defrouter,
        ],
        ResType::Device => &[Match],
        ResType::Rctl | ResType::Dataset => &[Name],
        ResType::Attr => &[Name, Type, Value],
        ResType::Admin => &[User, Auths],
        _ => &[],
    }
}

/// zonecfg_same_net_address(): equal, or equal but for a prefix length on one side.
pub(crate) fn same_net_address(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    match (a.split_once('/'), b.split_once('/')) {
        (Some((x, _)), None) => x == b,
        (None, Some((y, _))) => a == y,
        _ => false,
    }
}

/// Whether a resource has every filter value (empty values match anything, as in
/// libzonecfg's lookups).
pub(crate) fn tab_matches(tab: &Tab, filter: &[(Prop, String)]) -> bool {
    filter.iter().filter(|(_, v)| !v.is_empty()).all(|(p, v)| {
        let o = |x: &Option<String>| x.as_deref() == Some(v.as_str());
        match (tab, p) {
            (Tab::Fs(f), Prop::Dir) => f.dir == *v,
            (Tab::Fs(f), Prop::Special) => f.special == *v,
            (Tab::Fs(f), Prop::Raw) => o(&f.raw),
            (Tab::Fs(f), Prop::Type) => f.fs_type == *v,
            (Tab::Net(n), Prop::Address) => {
                n.address.as_deref().is_some_and(|a| same_net_address(v, a))
            }
            (Tab::Net(n), Prop::AllowedAddress) => o(&n.allowed_address),
            (Tab::Net(n), Prop::Physical) => o(&n.physical),
            (Tab::Net(n), Prop::MacAddr) => o(&n.mac_addr),
            (Tab::Net(n), Prop::VlanId) => n.vlan_id.map(|x| x.to_string()) == Some(v.clone()),
            (Tab::Net(n), Prop::GlobalNic) => o(&n.global_nic),
            (Tab::Net(n), Prop::Defrouter) => o(&n.defrouter),
            (Tab::Device(d), Prop::Match) => d.match_path == *v,
            (Tab::Rctl(r), Prop::Name) => r.name == *v,
            (Tab::Attr(a, _), Prop::Name) => a.name == *v,
            (Tab::Attr(a, _), Prop::Type) => a.attr_type.as_str() == v,
            (Tab::Attr(a, _), Prop::Value) => a.value == *v,
            (Tab::Dataset(d), Prop::Name) => d.name == *v,
            (Tab::Admin(a), Prop::User) => a.user == *v,
            (Tab::Admin(a), Prop::Auths) => a.auths == *v,
            _ => false,
        }
    })
}

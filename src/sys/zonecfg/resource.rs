//! The resource scope of [`Editor`]: set, add, remove and clear of the properties of the
//! resource being added or selected (`end` is in `end.rs`).

use super::edit::EditContext;
use super::edit::{Editor, Sink, Tab, rctl_value};
use super::grammar::UsageExtra;
use super::script::{Cmd, Prop, ResType, Value};
use super::verify::{self, AliasState, ZErr, alias_by_short, alias_state};
use super::{AttrType, Property, RctlValue};

const ONE_MB: u64 = 1 << 20;

impl Editor {
    /// The resources of one type, as pending-resource tabs.
    pub(crate) fn tabs(&self, res: ResType) -> Vec<Tab> {
        let c = &self.cfg;
        match res {
            ResType::Fs => c.fs.iter().cloned().map(Tab::Fs).collect(),
            ResType::Net => c.nets.iter().cloned().map(Tab::Net).collect(),
            ResType::Device => c.devices.iter().cloned().map(Tab::Device).collect(),
            ResType::Rctl => c.rctls.iter().cloned().map(Tab::Rctl).collect(),
            ResType::Attr => c
                .attrs
                .iter()
                .cloned()
                .map(|a| Tab::Attr(a, true))
                .collect(),
            ResType::Dataset => c.datasets.iter().cloned().map(Tab::Dataset).collect(),
            ResType::Admin => c.admins.iter().cloned().map(Tab::Admin).collect(),
            _ => Vec::new(),
        }
    }

    pub(crate) fn remove_at(&mut self, res: ResType, i: usize) {
        let c = &mut self.cfg;
        match res {
            ResType::Fs => drop(c.fs.remove(i)),
            ResType::Net => drop(c.nets.remove(i)),
            ResType::Device => drop(c.devices.remove(i)),
            ResType::Rctl => drop(c.rctls.remove(i)),
            ResType::Attr => drop(c.attrs.remove(i)),
            ResType::Dataset => drop(c.datasets.remove(i)),
            ResType::Admin => drop(c.admins.remove(i)),
            _ => {}
        }
    }

    pub(crate) fn store(&mut self, res: ResType, tab: Tab, old: Option<Tab>) {
        if let Some(i) = old.and_then(|o| self.tabs(res).iter().position(|t| *t == o)) {
            self.remove_at(res, i);
        }
        let c = &mut self.cfg;
        match tab {
            Tab::Fs(f) => c.fs.push(f),
            Tab::Net(n) => c.nets.push(n),
            Tab::Device(d) => c.devices.push(d),
            Tab::Rctl(r) => c.rctls.push(r),
            Tab::Attr(a, _) => c.attrs.push(a),
            Tab::Dataset(d) => c.datasets.push(d),
            Tab::Admin(a) => c.admins.push(a),
            Tab::Pset(p) => c.dedicated_cpu = Some(p),
            Tab::CappedCpu | Tab::CappedMemory | Tab::SecFlags => {}
        }
    }

    pub(crate) fn set_property(
        &mut self,
        res: ResType,
        prop: Prop,
        value: &Value,
        cx: &EditContext,
        sink: &mut Sink,
    ) {
        let complex_ok = matches!(
            (res, prop),
            (ResType::Fs, Prop::Options)
                | (ResType::Rctl, Prop::Value)
                | (ResType::Net, Prop::Property)
        );
        let v = value.simple().unwrap_or_default().to_string();
        if !complex_ok && value.simple().is_none() {
            return sink.error("A simple value was expected here.");
        }
        let opt = (!v.is_empty()).then(|| v.clone());
        let ip_type = self.cfg.ip_type;
        let lenient = cx.lenient;
        let Some(scope) = self.scope.as_mut() else {
            return;
        };
        match (&mut scope.tab, prop) {
            (Tab::Fs(f), Prop::Dir) => f.dir = v,
            (Tab::Fs(f), Prop::Special) => f.special = v,
            (Tab::Fs(f), Prop::Raw) => f.raw = opt,
            (Tab::Fs(_), Prop::Type) if !lenient && !verify::valid_fs_type(&v) => {
                sink.error(format!("\"{v}\" is not a valid type."))
            }
            (Tab::Fs(f), Prop::Type) => f.fs_type = v,
            (Tab::Fs(f), Prop::Options) => match value {
                Value::Complex(_) => sink.error("A simple or list value was expected here."),
                _ => {
                    f.options.clear();
                    push_options(&mut f.options, value);
                }
            },
            (Tab::Net(n), Prop::Address | Prop::AllowedAddress) => {
                if !lenient {
                    match verify::check_net_address(&v, false) {
                        Ok(lines) => sink.extend(lines),
                        Err(lines) => {
                            sink.extend(lines);
                            sink.saw_error = true;
                            return;
                        }
                    }
                }
                if prop == Prop::Address {
                    n.address = opt;
                } else {
                    n.allowed_address = opt;
                }
            }
            (Tab::Net(n), Prop::Physical) => match verify::physical_problem(&v, ip_type) {
                Some(m) if !lenient => sink.error(m),
                _ => n.physical = opt,
            },
            (Tab::Net(n), Prop::MacAddr) => n.mac_addr = opt,
            (Tab::Net(n), Prop::VlanId) => match v.parse::<u16>() {
                Ok(id) => n.vlan_id = Some(id),
                Err(_) if v.is_empty() => n.vlan_id = None,
                Err(_) => sink.perror(prop.as_str(), ZErr::InvalidProperty),
            },
            (Tab::Net(n), Prop::GlobalNic) => n.global_nic = opt,
            (Tab::Net(n), Prop::Defrouter) => {
                if !lenient {
                    match verify::check_net_address(&v, true) {
                        Ok(lines) => sink.extend(lines),
                        Err(lines) => {
                            sink.extend(lines);
                            sink.saw_error = true;
                            return;
                        }
                    }
                }
                n.defrouter = opt;
            }
            (Tab::Net(n), Prop::Property) => match value {
                Value::Complex(pieces) => {
                    n.properties.clear();
                    if let Some(p) = res_attr(pieces, sink) {
                        n.properties.push(p);
                    }
                }
                _ => sink.error("A complex value was expected here."),
            },
            (Tab::Device(d), Prop::Match) => d.match_path = v,
            (Tab::Device(_), Prop::Property) => sink.error("A complex value was expected here."),
            (Tab::Rctl(_), Prop::Name) if !lenient && !verify::valid_rctl_name(&v) => {
                sink.note(format!("'{v}' is not a valid zone rctl name."))
            }
            (Tab::Rctl(r), Prop::Name) => r.name = v,
            (Tab::Rctl(r), Prop::Value) => match value {
                Value::Simple(_) => sink.error("A complex or list value was expected here."),
                _ => {
                    r.values.clear();
                    add_rctl_values(&mut r.values, value, lenient, sink);
                }
            },
            (Tab::Attr(a, _), Prop::Name) => a.name = v,
            (Tab::Attr(a, typed), Prop::Type) => match AttrType::parse(&v) {
                Some(t) => {
                    a.attr_type = t;
                    *typed = true;
                }
                None => sink.error(format!("invalid attr type '{v}'")),
            },
            (Tab::Attr(a, _), Prop::Value) => a.value = v,
            (Tab::Dataset(d), Prop::Name) => d.name = v,
            (Tab::Admin(a), Prop::User) => a.user = v,
            (Tab::Admin(a), Prop::Auths) => a.auths = v,
            (Tab::Pset(p), Prop::Ncpus) => {
                let (low, high) = v.split_once('-').unwrap_or((&v, &v));
                let ok = matches!(
                    (verify::valid_uint(low), verify::valid_uint(high)),
                    (Some(l), Some(h)) if l >= 1 && l <= h
                );
                if ok || lenient {
                    p.ncpu_min = low.to_string();
                    p.ncpu_max = high.to_string();
                } else {
                    sink.error("ncpus property is out of range.");
                }
            }
            (Tab::Pset(p), Prop::Importance) => match verify::valid_uint(&v) {
                Some(_) => p.importance = Some(v),
                None => sink.error("importance property is out of range."),
            },
            (Tab::CappedCpu, Prop::Ncpus) => {
                let cap = v
                    .parse::<f64>()
                    .ok()
                    .filter(|c| *c > 0.0 && c * 100.0 >= 1.0);
                match cap {
                    Some(cap) => {
                        let pct = ((cap * 100.0) + 0.5) as u32;
                        self.cfg.set_rctl("zone.cpu-cap", &pct.to_string(), "deny");
                        self.dirty = true;
                    }
                    None => sink.error("ncpus property is out of range."),
                }
            }
            (Tab::CappedMemory, Prop::Physical | Prop::Swap | Prop::Locked) => {
                self.set_mcap(prop, &v, sink)
            }
            (Tab::SecFlags, Prop::Default | Prop::Lower | Prop::Upper) => {}
            _ => {
                sink.perror(prop.as_str(), ZErr::NoPropertyType);
                sink.usage(Cmd::Set, true, UsageExtra::Props);
            }
        }
    }

    /// capped-memory's physical, swap and locked set their rctls at once.
    fn set_mcap(&mut self, prop: Prop, v: &str, sink: &mut Sink) {
        let (short, blocked_by) = match prop {
            // zonecfg names "locked" when physical is blocked: a slip in its source.
            Prop::Physical => ("max-physical-memory", "locked"),
            Prop::Swap => ("max-swap", "max-swap"),
            _ => ("max-locked-memory", "locked"),
        };
        let a = alias_by_short(short).expect("alias table has capped-memory");
        if alias_state(&self.cfg, a) == AliasState::Other {
            sink.note(format!("{blocked_by}: {}", ZErr::AliasDisallow.text()));
            sink.saw_error = true;
            return;
        }
        let Some(bytes) = verify::str_to_bytes(v) else {
            return sink.error(if prop == Prop::Swap {
                "A positive number with a required scale suffix (K, M, G or T) was expected here."
            } else {
                "A non-negative number with a required scale suffix (K, M, G or T) was expected\nhere."
            });
        };
        if prop == Prop::Swap && bytes < 50 * ONE_MB {
            return sink.error("swap value is too small.  It must be at least 50M.");
        }
        self.cfg.set_rctl(a.rctl, &bytes.to_string(), a.action);
        self.dirty = true;
    }

    pub(crate) fn add_property(
        &mut self,
        prop: Prop,
        value: &Value,
        cx: &EditContext,
        sink: &mut Sink,
    ) {
        let Some(scope) = self.scope.as_mut() else {
            return;
        };
        match (&mut scope.tab, prop) {
            (Tab::Fs(f), Prop::Options) => match value {
                Value::Complex(_) => sink.error("A simple or list value was expected here."),
                _ => push_options(&mut f.options, value),
            },
            (Tab::Net(_) | Tab::Device(_), Prop::Property) => {
                let Value::Complex(pieces) = value else {
                    return sink.error("A complex value was expected here.");
                };
                let Some(p) = res_attr(pieces, sink) else {
                    return;
                };
                match &mut scope.tab {
                    Tab::Net(n) => n.properties.push(p),
                    Tab::Device(d) => d.properties.push(p),
                    _ => {}
                }
            }
            (Tab::Rctl(r), Prop::Value) => match value {
                Value::Simple(_) => sink.error("A complex or list value was expected here."),
                _ => add_rctl_values(&mut r.values, value, cx.lenient, sink),
            },
            (Tab::Fs(_) | Tab::Net(_) | Tab::Device(_) | Tab::Rctl(_), _) => {
                sink.perror(prop.as_str(), ZErr::NoPropertyType);
                sink.usage(Cmd::Add, true, UsageExtra::Props);
            }
            _ => {
                sink.perror(scope.res.as_str(), ZErr::NoResourceType);
                sink.usage(Cmd::Add, true, UsageExtra::ResProps);
            }
        }
    }

    pub(crate) fn remove_property(&mut self, prop: Prop, value: &Value, sink: &mut Sink) {
        let Some(scope) = self.scope.as_mut() else {
            return;
        };
        let gone = |sink: &mut Sink| sink.perror(prop.as_str(), ZErr::NoPropertyId);
        match (&mut scope.tab, prop) {
            (Tab::Fs(f), Prop::Options) => {
                let items: Vec<&str> = match value {
                    Value::Simple(s) => vec![s.as_str()],
                    Value::List(l) => l.iter().map_while(Value::simple).collect(),
                    Value::Complex(_) => {
                        return sink.error("A simple or list value was expected here.");
                    }
                };
                for item in items {
                    match f.options.iter().position(|o| o == item) {
                        Some(i) => drop(f.options.remove(i)),
                        None => gone(sink),
                    }
                }
            }
            (Tab::Net(_) | Tab::Device(_), Prop::Property) => {
                let Value::Complex(pieces) = value else {
                    return sink.error("A complex value was expected here.");
                };
                let mut want = Property::default();
                for (p, v) in pieces {
                    match p {
                        Prop::Name => want.name = v.clone(),
                        Prop::Value => want.value = v.clone(),
                        _ => {
                            sink.perror(prop.as_str(), ZErr::NoPropertyType);
                            return sink.usage(Cmd::Remove, true, UsageExtra::Props);
                        }
                    }
                }
                let props = match &mut scope.tab {
                    Tab::Net(n) => &mut n.properties,
                    Tab::Device(d) => &mut d.properties,
                    _ => return,
                };
                match props.iter().position(|p| *p == want) {
                    Some(i) => drop(props.remove(i)),
                    None => gone(sink),
                }
            }
            (Tab::Rctl(r), Prop::Value) => {
                let Value::Complex(pieces) = value else {
                    return sink.error("A complex value was expected here.");
                };
                let mut want = rctl_value("", "", "");
                for (p, v) in pieces {
                    match p {
                        Prop::Priv => want.privilege = v.clone(),
                        Prop::Limit => want.limit = v.clone(),
                        Prop::Action => want.action = v.clone(),
                        _ => {
                            sink.perror(prop.as_str(), ZErr::NoPropertyType);
                            return sink.usage(Cmd::Add, true, UsageExtra::Props);
                        }
                    }
                }
                match r.values.iter().position(|x| *x == want) {
                    Some(i) => drop(r.values.remove(i)),
                    None => gone(sink),
                }
            }
            (Tab::Fs(_) | Tab::Net(_) | Tab::Device(_) | Tab::Rctl(_), _) => {
                sink.perror(prop.as_str(), ZErr::NoPropertyType);
                sink.usage(Cmd::Remove, true, UsageExtra::Props);
            }
            _ => {
                sink.perror(scope.res.as_str(), ZErr::NoResourceType);
                sink.usage(Cmd::Remove, true, UsageExtra::ResProps);
            }
        }
    }

    pub(crate) fn clear_property(&mut self, prop: Prop, sink: &mut Sink) {
        let Some(scope) = self.scope.as_mut() else {
            return;
        };
        match (&mut scope.tab, prop) {
            (Tab::Fs(f), Prop::Raw) => f.raw = None,
            (Tab::Pset(p), Prop::Importance) => p.importance = None,
            (Tab::Net(n), Prop::AllowedAddress) => n.allowed_address = None,
            (Tab::Net(n), Prop::Defrouter) => n.defrouter = None,
            (Tab::Net(n), Prop::GlobalNic) => n.global_nic = None,
            (Tab::Net(n), Prop::MacAddr) => n.mac_addr = None,
            (Tab::Net(n), Prop::VlanId) => n.vlan_id = None,
            (Tab::SecFlags, Prop::Default | Prop::Lower | Prop::Upper) => {}
            (Tab::CappedMemory, Prop::Physical | Prop::Swap | Prop::Locked) => {
                let short = match prop {
                    Prop::Physical => "max-physical-memory",
                    Prop::Swap => "max-swap",
                    _ => "max-locked-memory",
                };
                let a = alias_by_short(short).expect("alias table has capped-memory");
                match alias_state(&self.cfg, a) {
                    AliasState::Set(_) => drop(self.cfg.remove_rctl(a.rctl)),
                    state => {
                        let err = if state == AliasState::Absent {
                            ZErr::NoEntry
                        } else {
                            ZErr::AliasDisallow
                        };
                        return sink.error(format!("clear {}: {}", prop.as_str(), err.text()));
                    }
                }
            }
            _ => return sink.perror(prop.as_str(), ZErr::ClearDisallow),
        }
        self.dirty = true;
    }
}

/// Options from `add options x` / `[x,y]` (a list stops at a complex item, as in zonecfg).
fn push_options(options: &mut Vec<String>, value: &Value) {
    match value {
        Value::Simple(s) => options.push(s.clone()),
        Value::List(items) => {
            options.extend(items.iter().map_while(Value::simple).map(String::from))
        }
        Value::Complex(_) => {}
    }
}

/// do_res_attr(): a net/device `property` from `(name=…,value=…)`.
fn res_attr(pieces: &[(Prop, String)], sink: &mut Sink) -> Option<Property> {
    let (mut name, mut value) = (None, None);
    for (p, v) in pieces {
        let slot = match p {
            Prop::Name => &mut name,
            Prop::Value => &mut value,
            _ => {
                sink.perror("property", ZErr::NoPropertyType);
                sink.usage(Cmd::Add, true, UsageExtra::Props);
                return None;
            }
        };
        if slot.is_some() {
            sink.note(format!("{} already specified", p.as_str()));
            return None;
        }
        *slot = Some(v.clone());
    }
    if name.is_none() {
        sink.note("name not specified");
    }
    if value.is_none() {
        sink.note("value not specified");
    }
    Some(Property {
        name: name?,
        value: value?,
    })
}

/// do_complex_rctl_val() for each `(priv=…,limit=…,action=…)` of a value or list.
fn add_rctl_values(values: &mut Vec<RctlValue>, value: &Value, lenient: bool, sink: &mut Sink) {
    let items: Vec<&[(Prop, String)]> = match value {
        Value::Complex(c) => vec![c.as_slice()],
        Value::List(l) => l
            .iter()
            .map(|v| match v {
                Value::Complex(c) => c.as_slice(),
                _ => &[],
            })
            .collect(),
        Value::Simple(_) => return,
    };
    'items: for pieces in items {
        let mut got: [Option<&str>; 3] = [None; 3];
        for (p, v) in pieces {
            let i = match p {
                Prop::Priv => 0,
                Prop::Limit => 1,
                Prop::Action => 2,
                _ => {
                    sink.perror("value", ZErr::NoPropertyType);
                    sink.usage(Cmd::Add, true, UsageExtra::Props);
                    return;
                }
            };
            if got[i].is_some() {
                sink.note(format!("{} already specified", p.as_str()));
                continue 'items;
            }
            got[i] = Some(v);
        }
        let names = ["priv", "limit", "action"];
        for (g, n) in got.iter().zip(names) {
            if g.is_none() {
                sink.note(format!("{n} not specified"));
            }
        }
        let [Some(p), Some(l), Some(a)] = got else {
            continue;
        };
        if !lenient && !verify::valid_rctl_value(p, l, a) {
            sink.note("Invalid rctl value specification");
            continue;
        }
        values.push(rctl_value(p, l, a));
    }
}

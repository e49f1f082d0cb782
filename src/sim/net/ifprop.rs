//! Interface properties (`ipadm set-ifprop`/`show-ifprop`): the per-protocol table ipadm
//! knows, per-interface values, and forwarding as the kernel keeps it (IFF_ROUTER).

use super::ip::status;
use super::{NetStore, Proto};

/// An interface property ipadm knows: name, protocol, default, possible values.
pub struct PropDef {
    pub name: &'static str,
    /// None for the `ip` protocol properties (IPMP group, standby).
    pub proto: Option<Proto>,
    pub default: &'static str,
    pub possible: &'static str,
}

/// Interface properties in ipadm's table order.
pub const IF_PROPS: &[PropDef] = &[
    PropDef {
        name: "arp",
        proto: Some(Proto::Ipv4),
        default: "on",
        possible: "on,off",
    },
    PropDef {
        name: "forwarding",
        proto: Some(Proto::Ipv4),
        default: "off",
        possible: "on,off",
    },
    PropDef {
        name: "metric",
        proto: Some(Proto::Ipv4),
        default: "0",
        possible: "",
    },
    PropDef {
        name: "mtu",
        proto: Some(Proto::Ipv4),
        default: "",
        possible: "",
    },
    PropDef {
        name: "exchange_routes",
        proto: Some(Proto::Ipv4),
        default: "on",
        possible: "on,off",
    },
    PropDef {
        name: "usesrc",
        proto: Some(Proto::Ipv4),
        default: "none",
        possible: "",
    },
    PropDef {
        name: "forwarding",
        proto: Some(Proto::Ipv6),
        default: "off",
        possible: "on,off",
    },
    PropDef {
        name: "metric",
        proto: Some(Proto::Ipv6),
        default: "0",
        possible: "",
    },
    PropDef {
        name: "mtu",
        proto: Some(Proto::Ipv6),
        default: "",
        possible: "",
    },
    PropDef {
        name: "nud",
        proto: Some(Proto::Ipv6),
        default: "on",
        possible: "on,off",
    },
    PropDef {
        name: "exchange_routes",
        proto: Some(Proto::Ipv6),
        default: "on",
        possible: "on,off",
    },
    PropDef {
        name: "usesrc",
        proto: Some(Proto::Ipv6),
        default: "none",
        possible: "",
    },
    PropDef {
        name: "group",
        proto: None,
        default: "",
        possible: "",
    },
    PropDef {
        name: "standby",
        proto: None,
        default: "off",
        possible: "on,off",
    },
];

pub(super) fn prop_key(proto: Option<Proto>, name: &str) -> String {
    format!("{}/{name}", proto.map_or("ip", Proto::as_str))
}

/// One property of one interface as `show-ifprop` reports it (empty = unset).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IfPropView {
    pub perm: String,
    pub current: String,
    pub persistent: String,
    pub default: String,
    pub possible: String,
}

impl NetStore {
    /// `ipadm set-ifprop -p forwarding=on|off -m PROTO IF`
    pub fn set_forwarding(&mut self, ifname: &str, proto: &str, on: bool) -> Result<(), String> {
        let value = if on { "on" } else { "off" };
        self.set_ifprop(ifname, proto, "forwarding", Some(value), false)
    }

    /// Set (`value` Some) or reset (None) an interface property; persistent unless
    /// `temporary`.
    pub fn set_ifprop(
        &mut self,
        ifname: &str,
        proto: &str,
        prop: &str,
        value: Option<&str>,
        temporary: bool,
    ) -> Result<(), String> {
        // Interface properties exist for ip, ipv4 and ipv6 only (not tcp, udp …).
        let proto = match proto {
            "ip" => None,
            p => Some(Proto::parse(p).ok_or(status::PROP_UNKNOWN)?),
        };
        let def = IF_PROPS
            .iter()
            .find(|d| d.name == prop && d.proto == proto)
            .ok_or(status::PROP_UNKNOWN)?;
        let mtu_limit = self.link_mtu(ifname).unwrap_or(8232);
        let intf = self.ifs.get_mut(ifname).ok_or(status::NOSUCH_IF)?;
        if proto.is_some_and(|p| !intf.has(p)) {
            return Err(status::NOSUCH_IF.into());
        }
        if let Some(v) = value {
            if !def.possible.is_empty() && !def.possible.split(',').any(|p| p == v) {
                return Err(status::INVALID_ARG.into());
            }
            if def.name == "mtu" {
                let min = if proto == Some(Proto::Ipv6) { 1280 } else { 68 };
                let n: u32 = v.parse().map_err(|_| status::INVALID_ARG)?;
                if n < min || n > mtu_limit {
                    return Err(status::ERANGE.into());
                }
            }
            if def.name == "metric" && v.parse::<u32>().is_err() {
                return Err(status::INVALID_ARG.into());
            }
        }
        let entry = intf.props.entry(prop_key(proto, prop)).or_default();
        entry.current = value.map(str::to_string);
        if value.is_none() || !temporary {
            entry.persistent = value.map(str::to_string);
        }
        Ok(())
    }

    /// One property of one interface, or None when ipadm has no such property.
    pub fn ifprop(&self, ifname: &str, proto: Option<Proto>, prop: &str) -> Option<IfPropView> {
        let def = IF_PROPS
            .iter()
            .find(|d| d.name == prop && d.proto == proto)?;
        let intf = self.ifs.get(ifname)?;
        let link_mtu = if intf.loopback {
            8232
        } else {
            self.link_mtu(ifname).unwrap_or(1500)
        };
        let default = match def.name {
            "mtu" => link_mtu.to_string(),
            _ => def.default.to_string(),
        };
        let possible = match (def.name, proto) {
            ("mtu", Some(Proto::Ipv6)) => format!("1280-{link_mtu}"),
            ("mtu", _) => format!("68-{link_mtu}"),
            _ => def.possible.to_string(),
        };
        // A protocol that is not plumbed has no values (ipadm prints them empty).
        if proto.is_some_and(|p| !intf.has(p)) {
            return Some(IfPropView {
                perm: String::new(),
                current: String::new(),
                persistent: String::new(),
                default: String::new(),
                possible: String::new(),
            });
        }
        let val = intf.props.get(&prop_key(proto, prop));
        Some(IfPropView {
            perm: "rw".into(),
            current: val
                .and_then(|v| v.current.clone())
                .unwrap_or_else(|| default.clone()),
            persistent: val.and_then(|v| v.persistent.clone()).unwrap_or_default(),
            default,
            possible,
        })
    }

    /// The kernel sets or clears IFF_ROUTER on every interface when global forwarding
    /// changes (`routeadm -u`).
    pub(super) fn apply_forwarding(&mut self, proto: Proto, on: bool) {
        let key = prop_key(Some(proto), "forwarding");
        for intf in self.ifs.values_mut().filter(|i| i.has(proto)) {
            intf.props.entry(key.clone()).or_default().current =
                Some(if on { "on" } else { "off" }.into());
        }
    }
}

//! routeadm's options: IPv4/IPv6 routing and forwarding, each persistent (next boot),
//! current (running system) and default.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{NetStore, Proto};
use crate::sys::routeadm::RouteOption;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct OptState {
    pub persistent: bool,
    pub current: bool,
    pub default: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Routing {
    pub options: BTreeMap<RouteOption, OptState>,
    /// The variables' persistent values (`routing-svcs`, `ipv4-routing-daemon` …).
    pub variables: BTreeMap<String, String>,
}

/// The routing daemon instances routeadm lists, in the repository's order.
const DAEMONS: &[(&str, Option<RouteOption>)] = &[
    (
        "svc:/network/routing/ripng:default",
        Some(RouteOption::Ipv6Routing),
    ),
    ("svc:/network/routing/legacy-routing:ipv4", None),
    ("svc:/network/routing/legacy-routing:ipv6", None),
    ("svc:/network/routing/ndp:default", None),
    ("svc:/network/routing/rdisc:default", None),
    (
        "svc:/network/routing/route:default",
        Some(RouteOption::Ipv4Routing),
    ),
];

/// routeadm's variables in report order, with their display names and defaults.
pub const VARIABLES: &[(&str, &str, &str)] = &[
    ("ipv4-routing-daemon", "IPv4 routing daemon", ""),
    ("ipv4-routing-daemon-args", "IPv4 routing daemon args", ""),
    ("ipv4-routing-stop-cmd", "IPv4 routing daemon stop", ""),
    ("ipv6-routing-daemon", "IPv6 routing daemon", ""),
    ("ipv6-routing-daemon-args", "IPv6 routing daemon args", ""),
    ("ipv6-routing-stop-cmd", "IPv6 routing daemon stop", ""),
    (
        "routing-svcs",
        "Routing services",
        "route:default ripng:default",
    ),
];

impl Default for Routing {
    fn default() -> Routing {
        Routing {
            options: RouteOption::ALL
                .into_iter()
                .map(|o| (o, OptState::default()))
                .collect(),
            variables: VARIABLES
                .iter()
                .map(|(n, _, d)| (n.to_string(), d.to_string()))
                .collect(),
        }
    }
}

impl Routing {
    pub fn get(&self, option: RouteOption) -> OptState {
        self.options.get(&option).copied().unwrap_or_default()
    }

    pub fn current(&self, option: RouteOption) -> bool {
        self.get(option).current
    }

    /// A variable's persistent value ("" when unset).
    pub fn variable(&self, name: &str) -> &str {
        self.variables.get(name).map_or("", String::as_str)
    }

    /// The routing daemons with their SMF state (`online` while the routing option that
    /// starts them is on).
    pub fn daemons(&self) -> Vec<(&'static str, &'static str)> {
        DAEMONS
            .iter()
            .map(|(fmri, opt)| {
                let on = opt.is_some_and(|o| self.current(o));
                (if on { "online" } else { "disabled" }, *fmri)
            })
            .collect()
    }
}

impl NetStore {
    pub fn routing(&self) -> &Routing {
        &self.routing
    }

    /// `routeadm -e/-d OPTION`: the setting for the next boot (or `routeadm -u`).
    pub fn set_route_persistent(&mut self, option: RouteOption, enabled: bool) {
        self.routing.options.entry(option).or_default().persistent = enabled;
    }

    /// `routeadm -r OPTION`: back to the default for the next boot.
    pub fn revert_route(&mut self, option: RouteOption) {
        let o = self.routing.options.entry(option).or_default();
        o.persistent = o.default;
    }

    /// `routeadm -s VAR=VALUE`; false for an unknown variable.
    pub fn set_route_variable(&mut self, name: &str, value: &str) -> bool {
        if !VARIABLES.iter().any(|(n, _, _)| *n == name) {
            return false;
        }
        self.routing.variables.insert(name.into(), value.into());
        true
    }

    /// `routeadm -r VAR`: back to the default.
    pub fn revert_route_variable(&mut self, name: &str) -> bool {
        match VARIABLES.iter().find(|(n, _, _)| *n == name) {
            Some((_, _, default)) => {
                self.routing
                    .variables
                    .insert(name.into(), default.to_string());
                true
            }
            None => false,
        }
    }

    /// `routeadm -u`: make the persistent settings current. Turning forwarding on or off
    /// sets or clears it on every interface, as the kernel does.
    pub fn apply_routing(&mut self) {
        for option in RouteOption::ALL {
            let o = self.routing.options.entry(option).or_default();
            let changed = o.current != o.persistent;
            o.current = o.persistent;
            let on = o.current;
            if !changed {
                continue;
            }
            match option {
                RouteOption::Ipv4Forwarding => self.apply_forwarding(Proto::Ipv4, on),
                RouteOption::Ipv6Forwarding => self.apply_forwarding(Proto::Ipv6, on),
                _ => {}
            }
        }
    }
}

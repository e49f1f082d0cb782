//! The sim host's service configuration repository and restarter (`state/smf.json`):
//! service instances with their state, pending transition, enabled flag and property
//! groups (the editing view and the `running` snapshot a refresh takes), service-level
//! property groups, and the kernel NAT table that ipfilter's methods load.
//!
//! Transitions take a moment like on a real host: an enable shows `offline*` until the
//! start method is done. Rather than sleeping, an instance records when its transition
//! completes; [`SmfStore::load`] settles every transition whose time has come (running
//! the method's effects), so whoever looks next sees the outcome. Store functions do no
//! locking: the command calling them holds the state lock.

pub mod defaults;
pub mod methods;
pub mod pattern;

use std::collections::BTreeMap;
use std::io;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::SimHost;

pub use pattern::{Resolved, resolve};

/// A property: type and values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prop {
    pub ty: String,
    pub values: Vec<String>,
}

/// A property group: type and properties.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Pg {
    pub ty: String,
    pub props: BTreeMap<String, Prop>,
}

pub type Pgs = BTreeMap<String, Pg>;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instance {
    /// general/enabled.
    pub enabled: bool,
    /// general_ovr/enabled (`svcadm enable -t` / `disable -t`).
    #[serde(default)]
    pub enabled_temp: Option<bool>,
    pub state: String,
    /// The state a pending transition leads to.
    #[serde(default)]
    pub next_state: Option<String>,
    /// Unix milliseconds when the pending transition completes.
    #[serde(default)]
    pub pending_until_ms: Option<i64>,
    /// Unix seconds of the last state change (svcs STIME).
    pub state_time: i64,
    /// Why the instance is in maintenance (svcs -x).
    #[serde(default)]
    pub reason: Option<String>,
    /// tm_common_name (svcs DESC, svcs -x).
    #[serde(default)]
    pub description: String,
    /// Property groups as svccfg edits them.
    #[serde(default)]
    pub pgs: Pgs,
    /// The `running` snapshot: what the service's methods see (refresh updates it).
    #[serde(default)]
    pub running: Pgs,
    /// Contract id while the service has processes (svcs CTID).
    #[serde(default)]
    pub ctid: Option<u64>,
}

impl Instance {
    pub fn effective_enabled(&self) -> bool {
        self.enabled_temp.unwrap_or(self.enabled)
    }

    pub fn transitioning(&self) -> bool {
        self.next_state.is_some()
    }
}

/// The NAT rules the kernel holds, as `ipnat -l` prints them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct NatTable {
    /// ipf is enabled (ipfilter online); when false the NAT device refuses requests.
    pub running: bool,
    pub rules: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct SmfStore {
    pub instances: BTreeMap<String, Instance>,
    /// Property groups set on services (svc:/a/b), which instances inherit.
    #[serde(default)]
    pub services: BTreeMap<String, Pgs>,
    #[serde(default)]
    pub nat: NatTable,
    /// A transition completed while loading: the repository should be saved.
    #[serde(skip)]
    pub settled: bool,
    /// Method log lines (`fmri`, line) written to the services' log files on save, so
    /// that a reader settling transitions in memory logs nothing twice.
    #[serde(skip)]
    pub logs: Vec<(String, String)>,
}

/// What svcadm asks of an instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Enable {
        temporary: bool,
    },
    Disable {
        temporary: bool,
    },
    Restart,
    Refresh,
    /// Leave maintenance (or degraded).
    Clear,
}

pub(crate) fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

/// `svc:/network/ssh:default` → `svc:/network/ssh`.
pub fn service_of(fmri: &str) -> &str {
    fmri.rsplit_once(':')
        .filter(|(s, _)| s.starts_with("svc:/"))
        .map_or(fmri, |(s, _)| s)
}

impl SmfStore {
    /// Read the repository and settle the transitions whose time has come.
    pub fn load(host: &SimHost) -> io::Result<SmfStore> {
        let mut store: SmfStore = host.load_json("smf")?;
        store.settle(host, now_ms());
        Ok(store)
    }

    pub fn save(&mut self, host: &SimHost) -> io::Result<()> {
        host.save_json("smf", self)?;
        for (fmri, line) in self.logs.drain(..) {
            methods::write_log(host, &fmri, &line);
        }
        self.settled = false;
        Ok(())
    }

    /// For readers: load under a shared lock, and when transitions completed meanwhile,
    /// record them (taking the exclusive lock just for that). Call without holding a lock.
    pub fn load_for_reading(host: &SimHost) -> io::Result<SmfStore> {
        let store = {
            let _lock = host.lock_shared()?;
            SmfStore::load(host)?
        };
        if !store.settled {
            return Ok(store);
        }
        let _lock = host.lock_exclusive()?;
        let mut store = SmfStore::load(host)?;
        store.save(host)?;
        Ok(store)
    }

    /// Add an instance (and its service) in its settled state: online when enabled,
    /// disabled otherwise. Methods do not run: seeding an enabled ipfilter should be
    /// followed by [`SmfStore::reload_ipnat`].
    pub fn add_service(&mut self, fmri: &str, enabled: bool) {
        let now = super::host::now();
        let inst = self
            .instances
            .entry(fmri.to_string())
            .or_insert_with(|| Instance {
                enabled,
                enabled_temp: None,
                state: String::new(),
                next_state: None,
                pending_until_ms: None,
                state_time: now,
                reason: None,
                description: defaults::description(fmri).to_string(),
                pgs: defaults::pgs(fmri),
                running: Pgs::new(),
                ctid: None,
            });
        inst.enabled = enabled;
        inst.state = if enabled { "online" } else { "disabled" }.to_string();
        inst.ctid = enabled.then(|| defaults::ctid(fmri));
        set_general_enabled(inst);
        inst.running = inst.pgs.clone();
        self.services
            .entry(service_of(fmri).to_string())
            .or_default();
    }

    /// The instance's state (without the `*` of a pending transition).
    pub fn state(&self, fmri: &str) -> Option<String> {
        self.instances.get(fmri).map(|i| i.state.clone())
    }

    pub fn is_online(&self, fmri: &str) -> bool {
        self.state(fmri)
            .is_some_and(|s| s == "online" || s == "degraded")
    }

    /// Set a property in both the editing view and the running snapshot (as if refreshed),
    /// creating its property group (type `application`) when needed.
    pub fn set_property(&mut self, fmri: &str, pg_prop: &str, ty: &str, values: &[&str]) {
        let Some(inst) = self.instances.get_mut(fmri) else {
            return;
        };
        let Some((pg, prop)) = pg_prop.split_once('/') else {
            return;
        };
        let value = Prop {
            ty: ty.to_string(),
            values: values.iter().map(|v| v.to_string()).collect(),
        };
        for view in [&mut inst.pgs, &mut inst.running] {
            view.entry(pg.to_string())
                .or_insert_with(|| Pg {
                    ty: "application".into(),
                    props: BTreeMap::new(),
                })
                .props
                .insert(prop.to_string(), value.clone());
        }
    }

    /// A property as the service's methods see it: the instance's running snapshot, else
    /// the service's property groups.
    pub fn property(&self, fmri: &str, pg_prop: &str) -> Option<&Prop> {
        let (pg, prop) = pg_prop.split_once('/')?;
        let inst = self.instances.get(fmri)?;
        inst.running
            .get(pg)
            .and_then(|g| g.props.get(prop))
            .or_else(|| {
                self.services
                    .get(service_of(fmri))?
                    .get(pg)?
                    .props
                    .get(prop)
            })
    }

    /// Carry out an svcadm request on one instance. Transitions complete after the
    /// service's realistic start/stop time (scaled by the host's speed); the returned
    /// duration is that realistic time, for `svcadm -s` to wait.
    pub fn request(&mut self, host: &SimHost, fmri: &str, action: Action) -> Duration {
        let now = now_ms();
        let Some(inst) = self.instances.get_mut(fmri) else {
            return Duration::ZERO;
        };
        let was = inst.effective_enabled();
        let state = inst.state.clone();
        let running = state == "online" || state == "degraded";
        let target: Option<(String, &str)> = match action {
            Action::Enable { temporary } | Action::Disable { temporary } => {
                let on = matches!(action, Action::Enable { .. });
                if temporary {
                    inst.enabled_temp = Some(on);
                } else {
                    inst.enabled = on;
                    inst.enabled_temp = None;
                }
                set_general_enabled(inst);
                match (was, on) {
                    (false, true) if state == "disabled" || state == "uninitialized" => {
                        Some(("offline".into(), "online"))
                    }
                    // The stop method runs while the state still reads online (`online*`).
                    (true, false) => Some((state, "disabled")),
                    _ => None,
                }
            }
            Action::Restart if running => Some(("offline".into(), "online")),
            Action::Clear if state == "maintenance" => {
                Some(("offline".into(), if was { "online" } else { "disabled" }))
            }
            Action::Clear if state == "degraded" => Some(("online".into(), "online")),
            Action::Refresh => {
                self.refresh(host, fmri);
                return Duration::ZERO;
            }
            _ => None,
        };
        let Some((from, to)) = target else {
            return Duration::ZERO;
        };
        let inst = self
            .instances
            .get_mut(fmri)
            .expect("instance checked above");
        if to == "online" {
            inst.running = compose(self.services.get(service_of(fmri)), &inst.pgs);
        }
        let realistic = defaults::method_time(fmri, to);
        inst.state = from;
        inst.state_time = now / 1000;
        inst.reason = None;
        inst.next_state = Some(to.to_string());
        let wait = realistic.mul_f64(host.speed());
        inst.pending_until_ms = Some(now + wait.as_millis() as i64);
        if wait.is_zero() {
            self.settle(host, now);
        }
        realistic
    }

    /// Take the running snapshot from the editing view and run the refresh method.
    fn refresh(&mut self, host: &SimHost, fmri: &str) {
        let service = self.services.get(service_of(fmri)).cloned();
        let Some(inst) = self.instances.get_mut(fmri) else {
            return;
        };
        inst.running = compose(service.as_ref(), &inst.pgs);
        if inst.state == "online" || inst.state == "degraded" {
            methods::refresh(self, host, fmri);
        }
    }

    /// Complete every transition due by `now_ms`, running the start/stop effects.
    pub fn settle(&mut self, host: &SimHost, now_ms: i64) {
        let due: Vec<String> = self
            .instances
            .iter()
            .filter(|(_, i)| i.pending_until_ms.is_some_and(|t| t <= now_ms))
            .map(|(f, _)| f.clone())
            .collect();
        self.settled |= !due.is_empty();
        for fmri in due {
            let inst = self.instances.get_mut(&fmri).expect("due instances exist");
            let until = inst.pending_until_ms.take().unwrap_or(now_ms);
            let to = inst.next_state.take().unwrap_or_else(|| inst.state.clone());
            inst.state_time = until / 1000;
            match to.as_str() {
                "online" => {
                    inst.state = "online".into();
                    inst.ctid = Some(defaults::ctid(&fmri));
                    methods::start(self, host, &fmri);
                }
                other => {
                    inst.state = other.to_string();
                    inst.ctid = None;
                    methods::stop(self, &fmri);
                }
            }
        }
    }

    /// Put an instance into maintenance, as a failing method does.
    pub fn to_maintenance(&mut self, fmri: &str, reason: &str) {
        if let Some(inst) = self.instances.get_mut(fmri) {
            inst.state = "maintenance".into();
            inst.next_state = None;
            inst.pending_until_ms = None;
            inst.ctid = None;
            inst.reason = Some(reason.to_string());
            inst.state_time = super::host::now();
        }
    }

    /// What ipfilter's start and refresh methods do with `/etc/ipf/ipnat.conf`: replace
    /// the kernel's NAT rules with the file's. On a rule ipnat rejects, returns ipnat's
    /// error (the rules before it are loaded, as with `ipnat -CF -f`).
    pub fn reload_ipnat(&mut self, host: &SimHost) -> Result<(), String> {
        methods::load_ipnat_conf(self, host)
    }

    /// The standard services of an OmniOS host (see [`defaults::STANDARD`]).
    pub fn add_defaults(&mut self) {
        for (fmri, enabled) in defaults::STANDARD {
            if !self.instances.contains_key(fmri) {
                self.add_service(fmri, enabled);
            }
        }
    }
}

fn set_general_enabled(inst: &mut Instance) {
    let pg = inst.pgs.entry("general".into()).or_insert_with(|| Pg {
        ty: "framework".into(),
        props: BTreeMap::new(),
    });
    pg.props.insert(
        "enabled".into(),
        Prop {
            ty: "boolean".into(),
            values: vec![inst.enabled.to_string()],
        },
    );
}

/// The composed view a snapshot records: instance groups over the service's.
fn compose(service: Option<&Pgs>, instance: &Pgs) -> Pgs {
    let mut out = service.cloned().unwrap_or_default();
    for (name, pg) in instance {
        let merged = out.entry(name.clone()).or_insert_with(|| Pg {
            ty: pg.ty.clone(),
            props: BTreeMap::new(),
        });
        merged.ty = pg.ty.clone();
        merged
            .props
            .extend(pg.props.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    out
}

#[cfg(test)]
pub(crate) mod tests;

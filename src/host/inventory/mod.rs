//! One snapshot of the host: zones with their full configuration, datasets, pools, links,
//! addresses, NAT, forwarding, DHCP, the SMF states zcon cares about and the host's identity.
//!
//! A refresh runs every source's fetches concurrently and parses each source on the blocking
//! pool as soon as its own fetches are in, so parsing overlaps the slower commands and never
//! runs on an async (UI) thread. One failing source does not sink the snapshot: its error is
//! kept in `problems` and the rest is shown.

pub mod fetch;
pub mod network;
pub mod system;
mod usage;
mod zones;

use std::time::{Duration, Instant};

use serde::Serialize;

use self::fetch::{Fetch, Fetched};
pub use self::network::{Dhcp, Forwarding, Nat};
pub use self::system::{SystemInfo, uptime_text};
pub use self::zones::Zone;
use super::Runner;
use crate::sys::dladm::{self, Etherstub, Link, PhysLink, Vnic};
use crate::sys::ipadm::{self, Addr};
use crate::sys::smf::{self, ServiceState};
use crate::sys::zfs::{self, Dataset};
use crate::sys::zpool::{self, Pool};
use crate::sys::{dhcpd, ipnat, routeadm};

/// Which parts of the host to read (the CLI reads only what it prints).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sources {
    pub zones: bool,
    /// Datasets (all types, snapshots included) and pools.
    pub storage: bool,
    pub links: bool,
    pub addresses: bool,
    pub nat: bool,
    pub forwarding: bool,
    pub dhcp: bool,
    pub services: bool,
    /// The host's name, release, kernel and boot time, with the pools (the UI's header).
    pub system: bool,
}

impl Sources {
    pub const ALL: Sources = Sources {
        zones: true,
        storage: true,
        links: true,
        addresses: true,
        nat: true,
        forwarding: true,
        dhcp: true,
        services: true,
        system: true,
    };

    fn kinds(&self) -> Vec<Kind> {
        let mut kinds = Vec::new();
        let mut add = |on: bool, k: &[Kind]| {
            if on {
                kinds.extend_from_slice(k);
            }
        };
        add(self.zones, &[Kind::Zones]);
        add(self.storage, &[Kind::Datasets, Kind::Pools]);
        add(
            self.links,
            &[Kind::Links, Kind::Phys, Kind::Vnics, Kind::Etherstubs],
        );
        add(self.addresses, &[Kind::Addresses]);
        add(self.nat, &[Kind::NatConfig, Kind::NatActive]);
        add(self.forwarding, &[Kind::Routeadm, Kind::IfForwarding]);
        add(self.dhcp, &[Kind::Dhcp]);
        add(self.services, &[Kind::Services]);
        add(self.system, &[Kind::System, Kind::Pools]);
        // Pools come with storage and with system: read once.
        let mut seen = Vec::with_capacity(kinds.len());
        kinds.retain(|k| {
            let first = !seen.contains(k);
            seen.push(*k);
            first
        });
        kinds
    }
}

/// Something the refresh could not read, shown to the operator instead of silently missing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// What was being read, e.g. `zones` or `zone web01`.
    pub source: String,
    pub message: String,
    /// The whole source is missing from the snapshot (not just one object's detail).
    pub fatal: bool,
}

impl Problem {
    pub fn fatal(source: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            source: source.into(),
            message: message.into(),
            fatal: true,
        }
    }

    pub fn detail(source: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            source: source.into(),
            message: message.into(),
            fatal: false,
        }
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Inventory {
    /// Non-global zones, sorted by name.
    pub zones: Vec<Zone>,
    /// Every dataset, snapshots included, in `zfs list` order (a snapshot follows its dataset).
    pub datasets: Vec<Dataset>,
    pub pools: Vec<Pool>,
    pub links: Vec<Link>,
    pub phys: Vec<PhysLink>,
    pub vnics: Vec<Vnic>,
    pub etherstubs: Vec<Etherstub>,
    pub addresses: Vec<Addr>,
    pub nat: Nat,
    pub forwarding: Forwarding,
    /// None when the host has no /etc/dhcpd.conf.
    pub dhcp: Option<Dhcp>,
    /// The states of the services zcon watches ([`smf::WATCHED`]) that exist on the host.
    pub services: Vec<ServiceState>,
    /// None when `uname` could not be read (see the problems).
    pub system: Option<SystemInfo>,
    pub problems: Vec<Problem>,
    #[serde(skip)]
    pub duration: Duration,
    #[serde(skip)]
    pub(crate) dataset_index: std::sync::OnceLock<usage::DatasetIndex>,
}

/// One source of the snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Zones,
    Datasets,
    Pools,
    Links,
    Phys,
    Vnics,
    Etherstubs,
    Addresses,
    NatConfig,
    NatActive,
    Routeadm,
    IfForwarding,
    Dhcp,
    Services,
    System,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Zones => "zones",
            Kind::Datasets => "datasets",
            Kind::Pools => "pools",
            Kind::Links => "links",
            Kind::Phys => "physical links",
            Kind::Vnics => "VNICs",
            Kind::Etherstubs => "etherstubs",
            Kind::Addresses => "IP addresses",
            Kind::NatConfig => "NAT configuration",
            Kind::NatActive => "active NAT rules",
            Kind::Routeadm => "IP forwarding",
            Kind::IfForwarding => "interface forwarding",
            Kind::Dhcp => "DHCP configuration",
            Kind::Services => "services",
            Kind::System => "system",
        }
    }

    fn fetches(self) -> Vec<Fetch> {
        match self {
            Kind::Zones => zones::fetches(),
            Kind::Datasets => vec![Fetch::Run(zfs::list_all())],
            Kind::Pools => vec![Fetch::Run(zpool::list())],
            Kind::Links => vec![Fetch::Run(dladm::show_link())],
            Kind::Phys => vec![Fetch::Run(dladm::show_phys())],
            Kind::Vnics => vec![Fetch::Run(dladm::show_vnic())],
            Kind::Etherstubs => vec![Fetch::Run(dladm::show_etherstub())],
            Kind::Addresses => vec![Fetch::Run(ipadm::show_addr())],
            Kind::NatConfig => vec![Fetch::File(network::IPNAT_CONF)],
            Kind::NatActive => vec![Fetch::Run(ipnat::list())],
            Kind::Routeadm => vec![Fetch::Run(routeadm::report())],
            Kind::IfForwarding => vec![Fetch::Run(network::forwarding_props())],
            Kind::Dhcp => vec![Fetch::File(dhcpd::CONF_PATH)],
            Kind::Services => vec![Fetch::Run(smf::svcs(&smf::WATCHED))],
            Kind::System => system::fetches(),
        }
    }
}

/// One source's parsed contribution.
enum Part {
    Zones(zones::Parsed),
    Datasets(Vec<Dataset>),
    Pools(Vec<Pool>),
    Links(Vec<Link>),
    Phys(Vec<PhysLink>),
    Vnics(Vec<Vnic>),
    Etherstubs(Vec<Etherstub>),
    Addresses(Vec<Addr>),
    NatConfig(Vec<crate::sys::ipnat::NatRule>),
    NatActive(Result<Vec<crate::sys::ipnat::list::ActiveRule>, String>),
    Routeadm(routeadm::Report),
    IfForwarding(Vec<crate::sys::ipadm::IfProp>),
    Dhcp(Option<Dhcp>),
    Services(Vec<ServiceState>, Vec<Problem>),
    System(Option<SystemInfo>, Vec<Problem>),
    Failed(Problem),
}

fn stdout_of(fetched: Vec<Fetched>) -> Result<String, String> {
    let first = fetched.into_iter().next().expect("one fetch");
    first.stdout().map_err(|e| e.to_string())
}

fn file_of(fetched: Vec<Fetched>) -> Result<Option<String>, String> {
    let first = fetched.into_iter().next().expect("one fetch");
    first.file().map_err(|e| e.to_string())
}

fn parse(kind: Kind, fetched: Vec<Fetched>) -> Part {
    let fail = |message: String| Part::Failed(Problem::fatal(kind.name(), message));
    let parsed = |result: Result<Part, String>| result.unwrap_or_else(fail);
    match kind {
        Kind::Zones => Part::Zones(zones::parse(fetched)),
        Kind::Datasets => parsed(stdout_of(fetched).and_then(|t| {
            zfs::parse_list(&t)
                .map(Part::Datasets)
                .map_err(|e| e.to_string())
        })),
        Kind::Pools => parsed(stdout_of(fetched).and_then(|t| {
            zpool::parse_list(&t)
                .map(Part::Pools)
                .map_err(|e| e.to_string())
        })),
        Kind::Links => parsed(stdout_of(fetched).and_then(|t| {
            dladm::parse_show_link(&t)
                .map(Part::Links)
                .map_err(|e| e.to_string())
        })),
        Kind::Phys => parsed(stdout_of(fetched).and_then(|t| {
            dladm::parse_show_phys(&t)
                .map(Part::Phys)
                .map_err(|e| e.to_string())
        })),
        Kind::Vnics => parsed(stdout_of(fetched).and_then(|t| {
            dladm::parse_show_vnic(&t)
                .map(Part::Vnics)
                .map_err(|e| e.to_string())
        })),
        Kind::Etherstubs => parsed(stdout_of(fetched).and_then(|t| {
            dladm::parse_show_etherstub(&t)
                .map(Part::Etherstubs)
                .map_err(|e| e.to_string())
        })),
        Kind::Addresses => parsed(
            stdout_of(fetched).and_then(|t| network::parse_addresses(&t).map(Part::Addresses)),
        ),
        Kind::NatConfig => {
            parsed(file_of(fetched).and_then(|t| network::parse_nat_conf(t).map(Part::NatConfig)))
        }
        // Reading the kernel's rules needs ipfilter running (and privilege): not a problem
        // of the snapshot, just something the NAT view says.
        Kind::NatActive => {
            Part::NatActive(stdout_of(fetched).and_then(|t| network::parse_nat_active(&t)))
        }
        Kind::Routeadm => parsed(stdout_of(fetched).and_then(|t| {
            routeadm::parse(&t)
                .map(Part::Routeadm)
                .map_err(|e| e.to_string())
        })),
        Kind::IfForwarding => parsed(stdout_of(fetched).and_then(|t| {
            ipadm::parse_show_ifprop(&t)
                .map(Part::IfForwarding)
                .map_err(|e| e.to_string())
        })),
        Kind::Dhcp => parsed(file_of(fetched).and_then(|t| network::parse_dhcp(t).map(Part::Dhcp))),
        Kind::Services => parse_services(fetched),
        Kind::System => {
            let (info, problems) = system::parse(fetched);
            Part::System(info, problems)
        }
    }
}

/// svcs prints the instances that exist and complains (status 1) about the rest: a service
/// that is not installed on this host is not a problem.
fn parse_services(fetched: Vec<Fetched>) -> Part {
    let first = fetched.into_iter().next().expect("one fetch");
    let out = match first {
        Fetched::Run(Ok(out)) => out,
        Fetched::Run(Err(e)) => return Part::Failed(Problem::fatal("services", e.to_string())),
        other => unreachable!("services fetch: {other:?}"),
    };
    let states = match smf::parse_svcs(&out.stdout_text()) {
        Ok(s) => s,
        Err(e) => return Part::Failed(Problem::fatal("services", e.to_string())),
    };
    let problems = out
        .stderr
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.contains("doesn't match any instances"))
        .map(|l| Problem::detail("services", l.to_string()))
        .collect();
    Part::Services(states, problems)
}

impl Inventory {
    /// Read the chosen parts of the host.
    pub async fn refresh(runner: &Runner, sources: Sources) -> Inventory {
        let started = Instant::now();
        let mut tasks = tokio::task::JoinSet::new();
        for kind in sources.kinds() {
            let runner = runner.clone();
            tasks.spawn(async move {
                if kind == Kind::Datasets {
                    return stream_datasets(&runner).await;
                }
                let fetched = fetch_all(&runner, kind).await;
                tokio::task::spawn_blocking(move || parse(kind, fetched))
                    .await
                    .expect("parser panicked")
            });
        }
        let mut inv = Inventory::default();
        let mut zones = None;
        while let Some(part) = tasks.join_next().await {
            match part.expect("refresh task panicked") {
                Part::Zones(parsed) => zones = Some(parsed),
                part => inv.absorb(part),
            }
        }
        if let Some(mut parsed) = zones {
            zones::export_fallbacks(runner, &mut parsed).await;
            inv.zones = parsed.zones;
            inv.problems.extend(parsed.problems);
        }
        inv.duration = started.elapsed();
        inv
    }

    /// Run the refresh's fetches and nothing else (the benchmark's floor).
    pub async fn fetch_only(runner: &Runner, sources: Sources) -> Duration {
        let started = Instant::now();
        let mut tasks = tokio::task::JoinSet::new();
        for kind in sources.kinds() {
            let runner = runner.clone();
            tasks.spawn(async move { drop(fetch_all(&runner, kind).await) });
        }
        while tasks.join_next().await.is_some() {}
        started.elapsed()
    }

    fn absorb(&mut self, part: Part) {
        match part {
            Part::Zones(_) => unreachable!("zones are merged after their fallbacks"),
            Part::Datasets(v) => self.datasets = v,
            Part::Pools(v) => self.pools = v,
            Part::Links(v) => self.links = v,
            Part::Phys(v) => self.phys = v,
            Part::Vnics(v) => self.vnics = v,
            Part::Etherstubs(v) => self.etherstubs = v,
            Part::Addresses(v) => self.addresses = v,
            Part::NatConfig(v) => self.nat.configured = v,
            Part::NatActive(Ok(v)) => self.nat.active = Some(v),
            Part::NatActive(Err(e)) => self.nat.active_error = Some(e),
            Part::Routeadm(r) => self.forwarding.routing = Some(r),
            Part::IfForwarding(v) => self.forwarding.interfaces = v,
            Part::Dhcp(d) => self.dhcp = d,
            Part::Services(states, problems) => {
                self.services = states;
                self.problems.extend(problems);
            }
            Part::System(info, problems) => {
                self.system = info;
                self.problems.extend(problems);
            }
            Part::Failed(problem) => self.problems.push(problem),
        }
    }

    pub fn zone(&self, name: &str) -> Option<&Zone> {
        self.zones.iter().find(|z| z.name == name)
    }

    /// The datasets a zone uses: its zonepath's hierarchy, its bhyve disks and its
    /// delegated datasets, each with what lies below it (snapshots included).
    /// The VNICs a zone uses: assigned to it now, or named as one of its NICs.
    pub fn zone_vnics(&self, zone: &Zone) -> Vec<&Vnic> {
        let nics: Vec<&str> = zone
            .config
            .iter()
            .flat_map(|c| &c.nets)
            .filter_map(|n| n.physical.as_deref())
            .collect();
        self.vnics
            .iter()
            .filter(|v| {
                v.zone.as_deref() == Some(zone.name.as_str()) || nics.contains(&v.link.as_str())
            })
            .collect()
    }
}

/// The datasets, parsed a chunk of lines at a time while `zfs list` is still printing:
/// on a host with a hundred thousand datasets this is the longest part of a refresh.
async fn stream_datasets(runner: &Runner) -> Part {
    #[derive(Default)]
    struct Acc {
        datasets: Vec<Dataset>,
        lines: usize,
        error: Option<crate::sys::ParseError>,
    }
    let result = runner
        .run_lines(&zfs::list_all(), Acc::default(), |acc, chunk| {
            if acc.error.is_some() {
                return;
            }
            match zfs::parse_list(chunk) {
                Ok(v) => acc.datasets.extend(v),
                Err(mut e) => {
                    e.line += acc.lines;
                    acc.error = Some(e);
                }
            }
            acc.lines += memchr::memchr_iter(b'\n', chunk.as_bytes()).count();
        })
        .await;
    let fail = |message: String| Part::Failed(Problem::fatal(Kind::Datasets.name(), message));
    match result {
        Err(e) => fail(e.to_string()),
        Ok((out, acc)) => match (out.checked(), acc.error) {
            (Err(failed), _) => fail(failed.to_string()),
            (Ok(_), Some(e)) => fail(e.to_string()),
            (Ok(_), None) => Part::Datasets(acc.datasets),
        },
    }
}

/// Run a source's fetches concurrently (zones: the listing and the XML files).
async fn fetch_all(runner: &Runner, kind: Kind) -> Vec<Fetched> {
    let handles: Vec<_> = kind
        .fetches()
        .into_iter()
        .map(|f| {
            let runner = runner.clone();
            tokio::spawn(async move { fetch::fetch(&runner, &f).await })
        })
        .collect();
    let mut out = Vec::with_capacity(handles.len());
    for h in handles {
        out.push(h.await.expect("fetch task panicked"));
    }
    out
}

//! The sim host's commands, each a `main(ctx, args) -> exit status`.

mod bhyvectl;
mod dladm;
mod ipadm;
mod ipnat;
mod kstat;
mod misc;
mod prctl;
mod rcapadm;
mod routeadm;
mod svcadm;
mod svccfg;
mod svcs;
mod zfs;
mod zlogin;
mod zoneadm;
mod zonecfg;
mod zpool;

use super::Ctx;

pub type Main = fn(&mut Ctx, &[String]) -> i32;

/// Every command a sim host's bin/ provides.
pub const COMMANDS: &[(&str, Main)] = &[
    ("zoneadm", zoneadm::main),
    ("zonecfg", zonecfg::main),
    ("zfs", zfs::main),
    ("zpool", zpool::main),
    ("dladm", dladm::main),
    ("ipadm", ipadm::main),
    ("routeadm", routeadm::main),
    ("svcs", svcs::main),
    ("svcadm", svcadm::main),
    ("svccfg", svccfg::main),
    ("ipnat", ipnat::main),
    ("zlogin", zlogin::main),
    ("pfexec", misc::pfexec),
    ("uname", misc::uname),
    ("hostname", misc::hostname),
    ("kstat", kstat::main),
    ("bhyvectl", bhyvectl::main),
    ("prctl", prctl::main),
    ("rcapadm", rcapadm::main),
];

pub fn lookup(name: &str) -> Option<Main> {
    COMMANDS.iter().find(|(n, _)| *n == name).map(|(_, m)| *m)
}

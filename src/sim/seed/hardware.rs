//! What no command creates on a real host either: the pools, the physical NICs and the
//! services the OS ships; and data written into datasets.

use std::io;

use crate::sim::SimHost;
use crate::sim::net::NetStore;
use crate::sim::smf::SmfStore;
use crate::sim::zfs::ZfsStore;

/// A physical NIC: name, speed in Mbit/s, factory MAC, link up.
pub(super) type Nic<'a> = (&'a str, u64, &'a str, bool);

pub(super) fn install(host: &SimHost, pools: &[(&str, u64)], nics: &[Nic]) -> io::Result<()> {
    let _lock = host.lock_exclusive()?;
    let mut zfs = ZfsStore::load(host)?;
    for (name, size) in pools {
        zfs.add_pool(host, name, *size).map_err(io::Error::other)?;
    }
    zfs.save(host)?;
    let mut net = NetStore::load(host)?;
    for (name, speed, mac, up) in nics {
        net.add_phys(name, *speed, mac).map_err(io::Error::other)?;
        if !up {
            net.set_phys_up(name, false).map_err(io::Error::other)?;
        }
    }
    net.save(host)?;
    let mut smf = SmfStore::load(host)?;
    smf.add_defaults();
    smf.save(host)
}

/// The dataset now holds `bytes` of data.
pub(super) fn written(host: &SimHost, name: &str, bytes: u64) -> io::Result<()> {
    let _lock = host.lock_exclusive()?;
    let mut zfs = ZfsStore::load(host)?;
    if !zfs.exists(name) {
        return Err(io::Error::other(format!("seeding: no dataset {name}")));
    }
    zfs.set_written(name, bytes);
    zfs.save(host)
}

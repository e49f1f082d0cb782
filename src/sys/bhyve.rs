//! What the bhyve brand reads from a zone's `attr` resources: its disks and CD-ROMs.

use serde::Serialize;

use super::zonecfg::ZoneConfig;

/// One disk of a bhyve zone: the attr that names it (`bootdisk`, `disk`, `disk0` … `disk15`)
/// and the zvol (`pool/vol`, without options such as `,serial=…`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Disk {
    pub name: String,
    pub dataset: String,
}

fn is_indexed(name: &str, stem: &str, max: u32) -> bool {
    name == stem
        || name
            .strip_prefix(stem)
            .and_then(|n| n.parse::<u32>().ok())
            .is_some_and(|n| n <= max)
}

/// The zone's disks, boot disk first, then in attr order.
pub fn disks(cfg: &ZoneConfig) -> Vec<Disk> {
    let mut out: Vec<Disk> = cfg
        .attrs
        .iter()
        .filter(|a| a.name == "bootdisk" || is_indexed(&a.name, "disk", 15))
        .map(|a| Disk {
            name: a.name.clone(),
            dataset: a.value.split(',').next().unwrap_or("").to_string(),
        })
        .collect();
    out.sort_by_key(|d| d.name != "bootdisk");
    out
}

/// The ISO paths of the zone's `cdrom` / `cdromN` attrs.
pub fn cdroms(cfg: &ZoneConfig) -> Vec<String> {
    cfg.attrs
        .iter()
        .filter(|a| is_indexed(&a.name, "cdrom", u32::MAX))
        .map(|a| a.value.clone())
        .collect()
}

/// The raw device path the brand needs a `device` resource for, for a zvol.
pub fn zvol_device(dataset: &str) -> String {
    format!("/dev/zvol/rdsk/{dataset}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disks_and_cdroms_come_from_attrs() {
        let mut cfg = ZoneConfig::blank("vm");
        cfg.set_attr("disk1", "rpool/vm/data1");
        cfg.set_attr("cdrom", "/iso/omnios.iso");
        cfg.set_attr("bootdisk", "rpool/vm/root,serial=ABC,sectorsize=4096");
        cfg.set_attr("diskif", "virtio");
        cfg.set_attr("disk", "rpool/vm/data0");
        cfg.set_attr("cdrom1", "/iso/tools.iso");
        cfg.set_attr("disk16", "not/a/disk");
        let disks = disks(&cfg);
        let names: Vec<_> = disks.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["bootdisk", "disk1", "disk"]);
        assert_eq!(disks[0].dataset, "rpool/vm/root");
        assert_eq!(cdroms(&cfg), ["/iso/omnios.iso", "/iso/tools.iso"]);
        assert_eq!(zvol_device("rpool/vm/root"), "/dev/zvol/rdsk/rpool/vm/root");
    }
}

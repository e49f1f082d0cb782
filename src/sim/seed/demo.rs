//! The demo host `hv-01`: an OmniOS hypervisor with bhyve VMs and native zones of every brand
//! in every state, datasets with snapshots and templates, ISOs, a physical and a virtual
//! network, NAT, forwarding and DHCP for a provisioning network.

use std::io;

use super::{hardware, run};
use crate::sim::SimHost;

const GIB: u64 = 1 << 30;

pub(super) fn populate(host: &SimHost) -> io::Result<()> {
    hardware::install(
        host,
        &[("rpool", 894 * GIB), ("data", 7450 * GIB)],
        &[
            ("igb0", 1000, "0:25:90:a1:b2:10", true),
            ("igb1", 1000, "0:25:90:a1:b2:11", true),
            ("ixgbe0", 10000, "0:1b:21:c4:d5:e0", true),
            ("ixgbe1", 10000, "0:1b:21:c4:d5:e1", false),
        ],
    )?;
    datasets(host)?;
    network(host)?;
    for zone in ZONES {
        zone.create(host)?;
    }
    // What the guests have written to their disks.
    for (disk, bytes) in [
        ("rpool/zones/web01/root", 6_870 << 20),
        ("rpool/zones/db01/root", 18 * GIB),
        ("rpool/zones/win2022/root", 23_100 << 20),
        ("rpool/zones/obsd01/root", 1_870 << 20),
    ] {
        hardware::written(host, disk, bytes)?;
    }
    services(host)
}

fn zfs(host: &SimHost, args: &[&str]) -> io::Result<()> {
    run(host, "zfs", args).map(drop)
}

fn datasets(host: &SimHost) -> io::Result<()> {
    for args in [
        &["create", "-o", "mountpoint=/export", "rpool/export"][..],
        &["create", "rpool/export/home"],
        &["create", "rpool/export/src"],
        &["create", "-o", "mountpoint=/zones", "rpool/zones"],
        &["create", "-o", "mountpoint=/templates", "rpool/templates"],
        &["create", "-V", "10G", "rpool/templates/debian-12"],
        &["create", "-V", "8G", "rpool/templates/omnios-r151054"],
        &["create", "-V", "12G", "rpool/templates/ubuntu-24.04"],
        &["create", "-o", "compression=lz4", "data/iso"],
        &["create", "data/images"],
        &["create", "data/backup"],
        &["create", "data/db01"],
        &["create", "-s", "-V", "500G", "data/db01/data"],
        &["create", "data/pkgsrc01"],
    ] {
        zfs(host, args)?;
    }
    for (name, bytes) in [
        ("rpool/templates/debian-12", 2_310 << 20),
        ("rpool/templates/omnios-r151054", 1_020 << 20),
        ("rpool/templates/ubuntu-24.04", 3_405 << 20),
        ("data/iso", 14 * GIB),
        ("data/images", 1_450 << 20),
        ("data/backup", 412 * GIB),
        ("data/db01/data", 187 * GIB),
        ("rpool/export/home", 23 * GIB),
        ("rpool/export/src", 9 * GIB),
    ] {
        hardware::written(host, name, bytes)?;
    }
    for snap in [
        "rpool/templates/debian-12@base",
        "rpool/templates/omnios-r151054@base",
        "rpool/templates/ubuntu-24.04@base",
        "data/iso@2026-11-20",
        "data/backup@weekly-2026-11-16",
        "data/backup@weekly-2026-11-23",
    ] {
        zfs(host, &["snapshot", snap])?;
    }
    // The ISO dataset holds the installers operators attach as CD-ROMs.
    let iso_dir = host.host_path("/data/iso");
    for iso in ISOS {
        std::fs::write(iso_dir.join(iso), b"")?;
    }
    let images = host.host_path("/data/images");
    for image in ["ubuntu-24.04-lx.tar.gz", "alpine-3.20-lx.tar.gz"] {
        std::fs::write(images.join(image), b"")?;
    }
    Ok(())
}

pub const ISOS: &[&str] = &[
    "omnios-r151054.iso",
    "debian-12.8.0-amd64-netinst.iso",
    "ubuntu-24.04.1-live-server-amd64.iso",
    "SERVER_EVAL_x64FRE_en-us.iso",
    "install76.iso",
];

fn network(host: &SimHost) -> io::Result<()> {
    for args in [
        &["create-etherstub", "estub_prov0"][..],
        &["create-etherstub", "backend0"],
        &[
            "create-vnic",
            "-l",
            "estub_prov0",
            "provision_interconnect0",
        ],
        &[
            "create-vnic",
            "-l",
            "backend0",
            "-m",
            "2:8:20:5e:11:3",
            "db01_0",
        ],
        &["create-vnic", "-l", "ixgbe0", "-v", "100", "storage0"],
    ] {
        run(host, "dladm", args)?;
    }
    for args in [
        &["create-if", "igb0"][..],
        &[
            "create-addr",
            "-T",
            "static",
            "-a",
            "192.168.1.10/24",
            "igb0/v4",
        ],
        &["create-addr", "-T", "addrconf", "igb0/v6"],
        &["create-if", "provision_interconnect0"],
        &[
            "create-addr",
            "-T",
            "static",
            "-a",
            "10.190.190.1/24",
            "provision_interconnect0/v4",
        ],
        &["create-if", "storage0"],
        &[
            "create-addr",
            "-T",
            "static",
            "-a",
            "10.20.0.10/24",
            "storage0/v4",
        ],
        &["set-ifprop", "-p", "forwarding=on", "-m", "ipv4", "igb0"],
        &[
            "set-ifprop",
            "-p",
            "forwarding=on",
            "-m",
            "ipv4",
            "provision_interconnect0",
        ],
    ] {
        run(host, "ipadm", args)?;
    }
    run(host, "routeadm", &["-u", "-e", "ipv4-forwarding"])?;
    Ok(())
}

fn services(host: &SimHost) -> io::Result<()> {
    std::fs::write(host.host_path("/etc/ipf/ipnat.conf"), IPNAT_CONF)?;
    std::fs::write(host.host_path("/etc/dhcpd.conf"), DHCPD_CONF)?;
    run(
        host,
        "svccfg",
        &[
            "-s",
            "svc:/network/dhcp/server:ipv4",
            "setprop",
            "config/listen_ifnames",
            "=",
            "astring:",
            "provision_interconnect0",
        ],
    )?;
    for fmri in [
        "svc:/network/ipfilter:default",
        "svc:/network/dhcp/server:ipv4",
        "svc:/system/rcap:default",
    ] {
        run(host, "svcadm", &["enable", "-s", fmri])?;
    }
    Ok(())
}

const IPNAT_CONF: &str = "\
# NAT for the provisioning network (estub_prov0, 10.190.190.0/24) behind igb0.
map igb0 10.190.190.0/24 -> 0/32 portmap tcp/udp auto
map igb0 10.190.190.0/24 -> 0/32

# The web VM's HTTP, published on the host's address.
rdr igb0 192.168.1.10/32 port 8080 -> 10.190.190.10 port 80 tcp
";

const DHCPD_CONF: &str = "\
# dhcpd.conf for the provisioning network
default-lease-time 600;
max-lease-time 7200;
authoritative;

subnet 10.190.190.0 netmask 255.255.255.0 {
  range 10.190.190.10 10.190.190.254;
  option routers 10.190.190.1;
  option domain-name-servers 1.1.1.1, 9.9.9.9;
}

host web01 {
  hardware ethernet 02:08:20:a1:b2:c3;
  fixed-address 10.190.190.10;
}

host web02 {
  hardware ethernet 02:08:20:a1:b2:c4;
  fixed-address 10.190.190.11;
}

host pxe01 {
  hardware ethernet 02:08:20:77:00:01;
  fixed-address 10.190.190.20;
}
";

/// Where a zone ends up.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Target {
    Configured,
    Incomplete,
    Installed,
    Running,
}

struct DemoZone {
    name: &'static str,
    target: Target,
    /// zonecfg commands after `create -b; set zonepath=/zones/NAME`.
    config: &'static str,
    install_args: &'static [&'static str],
    /// zfs commands run after install (boot disks live inside the zone's dataset).
    after_install: &'static [&'static [&'static str]],
}

impl DemoZone {
    fn create(&self, host: &SimHost) -> io::Result<()> {
        let script = format!(
            "create -b; set zonepath=/zones/{}; {}; commit",
            self.name, self.config
        );
        run(host, "zonecfg", &["-z", self.name, &script])?;
        if self.target == Target::Configured {
            return Ok(());
        }
        let mut install = vec!["-z", self.name, "install"];
        install.extend(self.install_args);
        run(host, "zoneadm", &install)?;
        for args in self.after_install {
            zfs(host, args)?;
        }
        match self.target {
            Target::Incomplete => {
                run(host, "zoneadm", &["-z", self.name, "mark", "incomplete"]).map(drop)
            }
            Target::Running => run(host, "zoneadm", &["-z", self.name, "boot"]).map(drop),
            _ => Ok(()),
        }
    }
}

const ZONES: &[DemoZone] = &[
    DemoZone {
        name: "web01",
        target: Target::Running,
        config: "set brand=bhyve; set ip-type=exclusive; set autoboot=true; \
                 add net; set physical=web01_0; set global-nic=igb0; set mac-addr=2:8:20:a1:b2:c3; end; \
                 add device; set match=/dev/zvol/rdsk/rpool/zones/web01/root; end; \
                 add attr; set name=bootdisk; set type=string; set value=rpool/zones/web01/root; end; \
                 add attr; set name=ram; set type=string; set value=4G; end; \
                 add attr; set name=vcpus; set type=string; set value=2; end; \
                 add attr; set name=vnc; set type=string; set value=on; end; \
                 add attr; set name=cloud-init; set type=string; set value=on; end; \
                 add attr; set name=dns-domain; set type=string; set value=example.com; end; \
                 add attr; set name=resolvers; set type=string; set value=1.1.1.1,9.9.9.9; end; \
                 add attr; set name=sshkey; set type=string; set value=\"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICBwQLP1tHqJZ9ECVAtWMKJWPoMcSF18L8X0NKKKO8je ops@hv-01\"; end",
        install_args: &[],
        after_install: &[
            &["create", "-s", "-V", "30G", "rpool/zones/web01/root"],
            &["snapshot", "rpool/zones/web01/root@pre-upgrade"],
        ],
    },
    DemoZone {
        name: "web02",
        target: Target::Running,
        config: "set brand=bhyve; set ip-type=exclusive; set autoboot=true; \
                 add net; set physical=web02_0; set global-nic=igb0; set mac-addr=2:8:20:a1:b2:c4; end; \
                 add net; set physical=web02_prov0; set global-nic=estub_prov0; end; \
                 add device; set match=/dev/zvol/rdsk/rpool/zones/web02/root; end; \
                 add attr; set name=bootdisk; set type=string; set value=rpool/zones/web02/root; end; \
                 add attr; set name=ram; set type=string; set value=2G; end; \
                 add attr; set name=vcpus; set type=string; set value=2; end; \
                 add attr; set name=cloud-init; set type=string; set value=on; end",
        install_args: &[],
        after_install: &[&[
            "clone",
            "rpool/templates/debian-12@base",
            "rpool/zones/web02/root",
        ]],
    },
    DemoZone {
        name: "db01",
        target: Target::Running,
        config: "set brand=bhyve; set ip-type=exclusive; set autoboot=true; \
                 add net; set physical=db01_0; end; \
                 add device; set match=/dev/zvol/rdsk/rpool/zones/db01/root; end; \
                 add device; set match=/dev/zvol/rdsk/data/db01/data; end; \
                 add attr; set name=bootdisk; set type=string; set value=\"rpool/zones/db01/root,serial=DB01BOOT\"; end; \
                 add attr; set name=disk0; set type=string; set value=data/db01/data; end; \
                 add attr; set name=ram; set type=string; set value=16G; end; \
                 add attr; set name=vcpus; set type=string; set value=8; end; \
                 add attr; set name=bootrom; set type=string; set value=BHYVE_RELEASE; end; \
                 add attr; set name=uefivars; set type=string; set value=on; end; \
                 add attr; set name=hostbridge; set type=string; set value=q35; end; \
                 add attr; set name=diskif; set type=string; set value=nvme; end",
        install_args: &[],
        after_install: &[
            &["create", "-V", "40G", "rpool/zones/db01/root"],
            &["snapshot", "rpool/zones/db01/root@nightly-2026-11-22"],
            &["snapshot", "data/db01/data@nightly-2026-11-22"],
        ],
    },
    DemoZone {
        name: "win2022",
        target: Target::Installed,
        config: "set brand=bhyve; set ip-type=exclusive; \
                 add net; set physical=win2022_0; set global-nic=igb0; end; \
                 add device; set match=/dev/zvol/rdsk/rpool/zones/win2022/root; end; \
                 add attr; set name=bootdisk; set type=string; set value=rpool/zones/win2022/root; end; \
                 add attr; set name=cdrom; set type=string; set value=/data/iso/SERVER_EVAL_x64FRE_en-us.iso; end; \
                 add fs; set dir=/data/iso/SERVER_EVAL_x64FRE_en-us.iso; set special=/data/iso/SERVER_EVAL_x64FRE_en-us.iso; set type=lofs; add options ro; add options nodevices; end; \
                 add attr; set name=ram; set type=string; set value=8G; end; \
                 add attr; set name=vcpus; set type=string; set value=4; end; \
                 add attr; set name=type; set type=string; set value=windows; end; \
                 add attr; set name=bootrom; set type=string; set value=BHYVE_RELEASE; end; \
                 add attr; set name=diskif; set type=string; set value=nvme; end; \
                 add attr; set name=netif; set type=string; set value=e1000; end; \
                 add attr; set name=vnc; set type=string; set value=on; end; \
                 add attr; set name=xhci; set type=string; set value=on; end",
        install_args: &[],
        after_install: &[&["create", "-s", "-V", "80G", "rpool/zones/win2022/root"]],
    },
    DemoZone {
        name: "obsd01",
        target: Target::Installed,
        config: "set brand=bhyve; set ip-type=exclusive; \
                 add net; set physical=obsd01_0; set global-nic=igb1; end; \
                 add device; set match=/dev/zvol/rdsk/rpool/zones/obsd01/root; end; \
                 add attr; set name=bootdisk; set type=string; set value=rpool/zones/obsd01/root; end; \
                 add attr; set name=ram; set type=string; set value=1G; end; \
                 add attr; set name=vcpus; set type=string; set value=1; end; \
                 add attr; set name=type; set type=string; set value=openbsd; end",
        install_args: &[],
        after_install: &[&["create", "-s", "-V", "16G", "rpool/zones/obsd01/root"]],
    },
    DemoZone {
        name: "pxe01",
        target: Target::Configured,
        config: "set brand=bhyve; set ip-type=exclusive; \
                 add net; set physical=pxe01_0; set global-nic=estub_prov0; set mac-addr=2:8:20:77:0:1; end; \
                 add attr; set name=ram; set type=string; set value=2G; end; \
                 add attr; set name=vcpus; set type=string; set value=2; end",
        install_args: &[],
        after_install: &[],
    },
    DemoZone {
        name: "dns01",
        target: Target::Running,
        config: "set brand=lipkg; set ip-type=exclusive; set autoboot=true; \
                 add net; set physical=dns01_0; set global-nic=igb0; set allowed-address=192.168.1.53/24; set defrouter=192.168.1.1; end; \
                 add capped-memory; set physical=1G; end",
        install_args: &[],
        after_install: &[],
    },
    DemoZone {
        name: "mail01",
        target: Target::Running,
        config: "set brand=ipkg; set ip-type=exclusive; set autoboot=true; \
                 add net; set physical=mail01_0; set global-nic=igb0; set allowed-address=192.168.1.25/24; set defrouter=192.168.1.1; end; \
                 add capped-cpu; set ncpus=2; end; \
                 set max-lwps=2000",
        install_args: &[],
        after_install: &[],
    },
    DemoZone {
        name: "build01",
        target: Target::Running,
        config: "set brand=sparse; set ip-type=exclusive; set autoboot=true; \
                 add net; set physical=build01_0; set global-nic=ixgbe0; set allowed-address=10.20.0.21/24; end; \
                 add fs; set dir=/src; set special=/export/src; set type=lofs; add options ro; end; \
                 add dedicated-cpu; set ncpus=4; end",
        install_args: &[],
        after_install: &[],
    },
    DemoZone {
        name: "pkgsrc01",
        target: Target::Running,
        config: "set brand=pkgsrc; set ip-type=exclusive; set autoboot=true; \
                 add net; set physical=pkgsrc01_0; set global-nic=igb0; set allowed-address=192.168.1.41/24; set defrouter=192.168.1.1; end; \
                 add dataset; set name=data/pkgsrc01; end",
        install_args: &[],
        after_install: &[],
    },
    DemoZone {
        name: "ubuntu01",
        target: Target::Running,
        config: "set brand=lx; set ip-type=exclusive; set autoboot=true; \
                 add net; set physical=ubuntu01_0; set global-nic=igb0; set allowed-address=192.168.1.60/24; set defrouter=192.168.1.1; end; \
                 add attr; set name=kernel-version; set type=string; set value=5.15.0; end",
        install_args: &["-s", "/data/images/ubuntu-24.04-lx.tar.gz"],
        after_install: &[],
    },
    DemoZone {
        name: "alpine01",
        target: Target::Installed,
        config: "set brand=lx; set ip-type=exclusive; \
                 add net; set physical=alpine01_0; set global-nic=igb1; end; \
                 add attr; set name=kernel-version; set type=string; set value=5.15.0; end",
        install_args: &["-s", "/data/images/alpine-3.20-lx.tar.gz"],
        after_install: &[],
    },
    DemoZone {
        name: "ci01",
        target: Target::Installed,
        config: "set brand=sparse; set ip-type=exclusive; \
                 add net; set physical=ci01_0; set global-nic=ixgbe0; end",
        install_args: &[],
        after_install: &[],
    },
    DemoZone {
        name: "legacy01",
        target: Target::Incomplete,
        config: "set brand=ipkg; set ip-type=shared; \
                 add net; set physical=igb1; set address=192.168.2.30/24; end",
        install_args: &[],
        after_install: &[],
    },
    DemoZone {
        name: "staging01",
        target: Target::Configured,
        config: "set brand=lipkg; set ip-type=exclusive; \
                 add net; set physical=staging01_0; set global-nic=igb0; end",
        install_args: &[],
        after_install: &[],
    },
];

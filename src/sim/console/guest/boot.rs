//! The boot and shutdown logs: illumos booting in a native zone; for bhyve, the firmware,
//! the guest's loader and its kernel on the serial console.

use std::time::Duration;

use super::{Firmware, Guest, Kind, Step, System};

impl Guest {
    /// The console output of one boot, ending with the login prompt (if any).
    /// `first_boot`: the zone's first boot since install (SMF imports its manifests).
    pub fn boot(&self, first_boot: bool) -> Vec<Step> {
        let mut s = Script::default();
        match &self.kind {
            Kind::Native => {
                s.line(300, "");
                self.illumos_kernel(&mut s, first_boot);
            }
            Kind::Bhyve {
                firmware,
                os,
                vcpus,
                ram_mb,
                disk_label,
            } => {
                if *firmware == Firmware::Uefi {
                    s.line(900, &format!("BdsDxe: loading Boot0001 {disk_label}"));
                    s.line(150, &format!("BdsDxe: starting Boot0001 {disk_label}"));
                }
                match os {
                    System::OmniOs => {
                        s.line(400, "/boot/config: -h");
                        s.line(100, "");
                        let consoles = match firmware {
                            Firmware::Uefi => "Consoles: EFI console  serial port a",
                            Firmware::Csm => "Consoles: serial port a",
                        };
                        s.line(200, consoles);
                        s.line(1200, "Loading unix...");
                        s.line(600, "Loading /platform/i86pc/amd64/boot_archive...");
                        s.line(300, "Loading /platform/i86pc/amd64/boot_archive.hash...");
                        s.line(200, "Booting...");
                        s.line(100, "");
                        self.illumos_kernel(&mut s, first_boot);
                    }
                    System::Debian | System::Ubuntu => self.linux(&mut s, *os, *vcpus, *ram_mb),
                    System::FreeBsd => self.freebsd(&mut s, *vcpus, *ram_mb),
                    System::OpenBsd => self.openbsd(&mut s, *ram_mb),
                    System::Windows => {}
                }
            }
        }
        if self.has_login() {
            s.text(400, &format!("\r\n{}", self.login_prompt()));
        }
        s.steps
    }

    fn illumos_kernel(&self, s: &mut Script, first_boot: bool) {
        let banner = format!(
            "SunOS Release {} Version {} 64-bit",
            self.release, self.version
        );
        s.line(700, &banner);
        s.line(
            0,
            "Copyright (c) 1983, 2010, Oracle and/or its affiliates. All rights reserved.",
        );
        s.line(
            0,
            "Copyright 2017-2025 OmniOS Community Edition (OmniOSce) Association.",
        );
        if matches!(self.kind, Kind::Bhyve { .. }) {
            s.line(900, "NOTICE: vioif0: Using legacy device interrupts");
        }
        if first_boot {
            let total = 150 + self.seed % 30;
            s.text(
                400,
                &format!("Loading smf(7) service descriptions: 1/{total}"),
            );
            for n in [total / 3, total * 2 / 3, total] {
                s.text(
                    900,
                    &format!("\rLoading smf(7) service descriptions: {n}/{total}"),
                );
            }
            s.text(0, "\r\n");
        }
        s.line(1500, &format!("Hostname: {}", self.zone));
    }

    fn linux(&self, s: &mut Script, os: System, vcpus: u32, ram_mb: u64) {
        let (kernel, version) = if os == System::Debian {
            (
                "6.1.0-28-cloud-amd64",
                "Linux version 6.1.0-28-cloud-amd64 (debian-kernel@lists.debian.org) \
                 (gcc-12 (Debian 12.2.0-14) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) \
                 #1 SMP PREEMPT_DYNAMIC Debian 6.1.119-1 (2024-11-22)",
            )
        } else {
            (
                "6.8.0-51-generic",
                "Linux version 6.8.0-51-generic (buildd@lcy02-amd64-057) (x86_64-linux-gnu-gcc-13 \
                 (Ubuntu 13.2.0-23ubuntu4) 13.2.0, GNU ld (GNU Binutils for Ubuntu) 2.42) \
                 #52-Ubuntu SMP PREEMPT_DYNAMIC Thu Dec  5 13:09:44 UTC 2024",
            )
        };
        let entry = if os == System::Debian {
            "Debian GNU/Linux"
        } else {
            "Ubuntu"
        };
        s.line(700, &format!("Booting `{entry}'"));
        s.line(100, "");
        s.line(300, &format!("Loading Linux {kernel} ..."));
        s.line(400, "Loading initial ramdisk ...");
        let k = |t: f64, msg: &str| format!("[{t:>12.6}] {msg}");
        s.line(900, &k(0.0, version));
        s.line(
            0,
            &k(
                0.0,
                &format!("Command line: BOOT_IMAGE=/boot/vmlinuz-{kernel} root=LABEL=root ro console=tty0 console=ttyS0,115200n8"),
            ),
        );
        s.line(0, &k(0.0, "DMI: BHYVE BHYVE, BIOS 14.0 10/17/2021"));
        s.line(0, &k(0.0, "Hypervisor detected: bhyve"));
        s.line(
            60,
            &k(
                0.013021,
                &format!("smpboot: Allowing {vcpus} CPUs, 0 hotplug CPUs"),
            ),
        );
        let total_k = ram_mb * 1024;
        s.line(
            80,
            &k(
                0.081372,
                &format!(
                    "Memory: {}K/{}K available (14336K kernel code, 2409K rwdata)",
                    total_k * 94 / 100,
                    total_k
                ),
            ),
        );
        s.line(
            200,
            &k(
                0.312455,
                "virtio_blk virtio1: [vda] 20971520 512-byte logical blocks (10.7 GB/10.0 GiB)",
            ),
        );
        s.line(
            90,
            &k(0.402114, "virtio_net virtio0 enp0s6: renamed from eth0"),
        );
        s.line(
            500,
            &k(
                1.120318,
                "EXT4-fs (vda1): mounted filesystem with ordered data mode. Quota mode: none.",
            ),
        );
        s.line(
            300,
            &k(
                1.702511,
                &format!("systemd[1]: Hostname set to <{}>.", self.zone),
            ),
        );
        for unit in [
            "Started systemd-journald.service - Journal Service.",
            "Finished systemd-udev-trigger.service - Coldplug All udev Devices.",
            "Reached target local-fs.target - Local File Systems.",
            "Started systemd-networkd.service - Network Configuration.",
            "Reached target network-online.target - Network is Online.",
            "Started ssh.service - OpenBSD Secure Shell server.",
            "Started serial-getty@ttyS0.service - Serial Getty on ttyS0.",
            "Reached target multi-user.target - Multi-User System.",
        ] {
            s.line(350, &format!("[  OK  ] {unit}"));
        }
        let issue = if os == System::Debian {
            format!("Debian GNU/Linux 12 {} ttyS0", self.zone)
        } else {
            "Ubuntu 24.04.1 LTS ".to_string() + &self.zone + " ttyS0"
        };
        s.line(400, "");
        s.line(0, &issue);
    }

    fn freebsd(&self, s: &mut Script, vcpus: u32, ram_mb: u64) {
        s.line(600, "Consoles: EFI console  ");
        s.line(200, "FreeBSD/amd64 EFI loader, Revision 1.1");
        s.line(1500, "Loading kernel...");
        s.line(
            400,
            "/boot/kernel/kernel text=0x1a8c8c0 data=0x1d8 data=0x1c1b00+0x4e2000",
        );
        s.line(1200, "---<<BOOT>>---");
        s.line(
            100,
            "FreeBSD 14.2-RELEASE releng/14.2-n269506-c8918d6c7412 GENERIC amd64",
        );
        s.line(0, &format!("real memory  = {} ({ram_mb} MB)", ram_mb << 20));
        s.line(
            0,
            &format!("FreeBSD/SMP: Multiprocessor System Detected: {vcpus} CPUs"),
        );
        s.line(300, "vtnet0: Ethernet address: 2:8:20:4c:91:7e");
        s.line(
            900,
            "Mounting from zfs:zroot/ROOT/default failed with error 2; retrying for 3 more seconds",
        );
        s.line(700, &format!("Setting hostname: {}.", self.zone));
        s.line(900, "Starting sshd.");
        s.line(300, "");
        s.line(0, &format!("FreeBSD/amd64 ({}) (ttyu0)", self.zone));
    }

    fn openbsd(&self, s: &mut Script, ram_mb: u64) {
        s.line(500, ">> OpenBSD/amd64 BOOT 3.65");
        s.line(2000, "boot> ");
        s.line(
            300,
            "booting hd0a:/bsd: 16345695+3928068+360488+0+1134592=0x16b8e68",
        );
        s.line(
            1500,
            "OpenBSD 7.6 (GENERIC.MP) #338: Mon Sep 30 08:55:35 MDT 2024",
        );
        s.line(0, &format!("real mem = {} ({ram_mb}MB)", ram_mb << 20));
        s.line(
            800,
            "root on sd0a (6f1d6c2e5b3a9f11.a) swap on sd0b dump on sd0b",
        );
        s.line(900, "starting network daemons: sshd smtpd sndiod.");
        s.line(300, "");
        s.line(
            0,
            &format!("OpenBSD/amd64 ({}.my.domain) (tty00)", self.zone),
        );
    }

    /// What the console shows while the zone shuts down cleanly.
    pub fn shutdown(&self) -> Vec<Step> {
        let mut s = Script::default();
        match self.os() {
            System::OmniOs => {
                let n = 60 + self.seed % 40;
                s.line(0, "");
                s.line(200, "svc.startd: The system is coming down.  Please wait.");
                s.line(
                    600,
                    &format!("svc.startd: {n} system services are now being stopped."),
                );
                s.line(1800, "svc.startd: The system is down.");
            }
            System::Debian | System::Ubuntu => {
                for unit in [
                    "Stopped target multi-user.target - Multi-User System.",
                    "Stopped ssh.service - OpenBSD Secure Shell server.",
                    "Stopped systemd-networkd.service - Network Configuration.",
                    "Reached target shutdown.target - System Shutdown.",
                    "Reached target final.target - Late Shutdown Services.",
                ] {
                    s.line(250, &format!("[  OK  ] {unit}"));
                }
                s.line(300, "[   52.417930] reboot: Power down");
            }
            System::FreeBsd => {
                s.line(300, "Stopping sshd.");
                s.line(1200, "All buffers synced.");
                s.line(200, "acpi0: Powering system off");
            }
            System::OpenBsd => {
                s.line(300, "syncing disks... done");
                s.line(600, "powering down...");
            }
            System::Windows => {}
        }
        s.steps
    }
}

#[derive(Default)]
struct Script {
    steps: Vec<Step>,
}

impl Script {
    fn text(&mut self, ms: u64, text: &str) {
        self.steps.push(Step {
            delay: Duration::from_millis(ms),
            text: text.to_string(),
        });
    }

    /// A line as a serial console prints it (CR LF).
    fn line(&mut self, ms: u64, text: &str) {
        self.text(ms, &format!("{text}\r\n"));
    }
}

use super::super::tests::{ED25519, RSA3072};
use super::*;

#[test]
fn bhyve_choices_put_the_default_first() {
    assert_eq!(bhyve_choices("bootrom").unwrap()[0], "BHYVE_RELEASE_CSM");
    assert_eq!(bhyve_choices("diskif").unwrap()[0], "virtio-blk");
    assert_eq!(bhyve_choices("netif").unwrap()[0], "virtio-net-viona");
    assert_eq!(bhyve_choices("hostbridge").unwrap()[0], "i440fx");
    assert_eq!(
        bhyve_choices("type").unwrap(),
        ["generic", "windows", "openbsd"]
    );
    assert_eq!(bhyve_choices("vnc").unwrap()[0], "off");
    assert_eq!(bhyve_choices("cloud-init").unwrap()[0], "off");
    assert_eq!(bhyve_choices("xhci").unwrap()[0], "on");
    assert_eq!(bhyve_choices("ram"), None);
    assert_eq!(bhyve_choices("nonsense"), None);
    // Every choice offered is accepted.
    for attr in [
        "bootrom",
        "diskif",
        "netif",
        "hostbridge",
        "type",
        "vnc",
        "acpi",
        "xhci",
        "uefivars",
        "cloud-init",
        "rng",
        "vga",
    ] {
        for v in bhyve_choices(attr).unwrap() {
            assert_eq!(bhyve_attr(attr, v), Ok(()), "{attr}={v}");
        }
    }
}

#[test]
fn bhyve_attrs_accept_real_values() {
    for (attr, v) in [
        ("ram", "4G"),
        ("vcpus", "cpus=4,sockets=1,cores=2,threads=2"),
        ("bootrom", "BHYVE_RELEASE.fd"),
        ("bootrom", "BHYVE_RELEASE-2.70"),
        ("bootrom", "/opt/fw/OVMF_CODE.fd"),
        ("vnc", "unix=/tmp/vm.vnc"),
        ("vnc", "on,wait,w=1024,h=768"),
        ("vnc", "unix=/tmp/vm.vnc,password=s3cret"),
        ("cloud-init", "/etc/cloud/user-data.yaml"),
        ("cloud-init", "https://seed.example.com/vm1/"),
        ("cloud-init", "http://10.0.0.1:8000/seed/?a=1&b=2"),
        ("dns-domain", "example.com"),
        ("resolvers", "1.1.1.1,9.9.9.9"),
        ("sshkey", ED25519),
        ("sshkey", "/root/.ssh/authorized_keys"),
        ("password", "$6$salt$hash/with.dots"),
        ("password", "pass word"),
    ] {
        assert_eq!(bhyve_attr(attr, v), Ok(()), "{attr}={v}");
    }
}

#[test]
fn bhyve_attrs_reject_with_the_choices() {
    let cases: &[(&str, &str, &str)] = &[
        ("bootdisk", "rpool/vm", "use one of acpi, bootrom"),
        ("$(x)", "on", "not a bhyve attribute"),
        (
            "diskif",
            "scsi",
            "not a value for diskif: use one of virtio-blk, virtio, nvme",
        ),
        ("netif", "VIRTIO", "must be written 'virtio'"),
        (
            "hostbridge",
            "intel",
            "use one of i440fx, q35, amd, netapp, none",
        ),
        ("type", "linux", "use one of generic, windows, openbsd"),
        ("acpi", "true", "write 'on' instead of 'true'"),
        ("xhci", "0", "write 'off' instead of '0'"),
        ("uefivars", "", "no value given: use one of on, off"),
        ("ram", "", "leave the attribute out"),
        ("diskif", " nvme", "blanks around it"),
        ("diskif", "nvme;reboot", "not a value for diskif"),
        ("ram", "64M", "at least 128M"),
        ("vcpus", "4,cores=2", "add sockets=2"),
        (
            "bootrom",
            "bhyve_release",
            "must be written 'BHYVE_RELEASE'",
        ),
        ("bootrom", "OVMF", "not a bhyve firmware"),
        ("bootrom", "/fw/a,b.fd", "contains ','"),
        ("bootrom", "/fw/my rom.fd", "contains a space"),
        ("vnc", "yes", "write 'on' instead of 'yes'"),
        ("vnc", "off,wait", "use off alone"),
        ("vnc", "unix=tmp/vm.vnc", "not an absolute path"),
        (
            "vnc",
            "w=4000",
            "w=4000 is out of range: use a number from 320 to 1920",
        ),
        ("vnc", "h=abc", "out of range"),
        ("vnc", "tcp=0.0.0.0:5900", "unix socket"),
        ("vnc", "on,on", "on is given twice"),
        ("vnc", "on,,wait", "empty item"),
        ("vnc", "password=", "password= is empty"),
        ("vnc", "fast", "'fast' is not a VNC option"),
        (
            "cloud-init",
            "maybe",
            "the absolute path of a user-data file, or an http(s) URL",
        ),
        ("cloud-init", "ftp://x/seed", "not an http or https URL"),
        ("cloud-init", "https://", "no host name"),
        ("cloud-init", "https://h/a,b", "contains ','"),
        ("cloud-init", "https://h/a;reboot", "contains ';'"),
        ("cloud-init", "https://h/$(reboot)", "contains '$'"),
        ("cloud-init", "user-data.yaml", "not a value for cloud-init"),
        ("cloud-init", "/", "give the path of a file"),
        ("resolvers", "1.1.1.1, 9.9.9.9", "separated by commas only"),
        ("resolvers", "1.1.1.1,x", "'x' is a host name"),
        ("dns-domain", "example.com.", "final dot"),
        (
            "sshkey",
            "ssh-ed25519 AAAA\nssh-ed25519 AAAA",
            "put them in a file",
        ),
        ("sshkey", "/root/my keys", "contains a space"),
        ("sshkey", "ssh-rsa", "not followed by the key"),
        ("password", "", "no password given"),
        ("password", " secret", "blanks at its start or end"),
        ("password", "a\"b", "cannot hold"),
        ("password", "a\nb", "line break"),
        ("vnc", "on\nwait", "holds one line"),
        ("cloud-init", "https://h/\"x\"", "cannot hold"),
        ("diskif", "nvme\t", "blanks around it"),
        ("sshkey", RSA3072, "put the key in a file"),
    ];
    for (attr, v, fragment) in cases {
        match bhyve_attr(attr, v) {
            Ok(()) => panic!("{attr}={v:?} was accepted"),
            Err(e) => assert!(
                e.contains(fragment),
                "{attr}={v:?}: {e:?} lacks {fragment:?}"
            ),
        }
    }
    // A password never appears in its message.
    let e = bhyve_attr("password", "hunter2\"").unwrap_err();
    assert!(!e.contains("hunter2"), "{e}");
}

#[test]
fn vnc_messages_never_show_the_password() {
    for v in [
        "password=hunter2,on,on",
        "password=hunter2,off",
        "password=hunter2,,on",
        " password=hunter2",
    ] {
        let e = bhyve_attr("vnc", v).unwrap_err();
        assert!(!e.contains("hunter2"), "{v}: {e}");
    }
}

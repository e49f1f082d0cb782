use std::net::IpAddr;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::*;

pub(super) const ED25519: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDuPniT+TUuuDgToMLnnwaI4/bNjT6CxKfoAqGxP96Zo ops@example";
const ECDSA384: &str = "ecdsa-sha2-nistp384 AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBCw+ERwMHBUQ1pzkPwTcMq1gZViD9P/blKZyrqxciyELYksVMmcSaHkwVRp0UXquYQ1FUcEu0pFz9hzCtnPgmPAJe0dvZ1ELgL0CpSaQ1/q3EC431LlBz8mOuVdJxYG2kw==";
pub(super) const RSA3072: &str = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQDQD6ifkWCCSGNHQ5Glh5X1BNRR13D1VWIe1yws10WpUCGzqECo+9ebAVnAuN9zE/rvmQOduBXWtcRwgvhpqdneaSV1k7ZdMt4KSgiMyeRS+nP3zNrZT5wrO2ilw/fRmq4dOa5ZHbVrxJYN7V/pOoQGfAhSBJ7awb2m1oiz3nslTagwT8ukBvs0XBP8W+d94aee+W15CGdp0fAYKtdfNa3j/IL5R7mQbGu7ROwYHOcVpDD+HFYOMZA1SgYMIMxa9oBXj/3ttxm4VP1Z7/yx0l0dpjvqa5Et4iohcwk/YPHXE3z3PP7hHst/pC4L5uqOrhkLyT9mi8VkxpKuw13IXukwHwBNilVyl8omHzsDW3kCIgajiLGI2l5ZgHPKFB3DuM6HTMi9slqvKsg8eOv0kqcC6mwI5mAz2wYpdU3XxXREt4z77+nBub57ZWPvY+Mh43bhjOUO1jv3eEaDbVliMjEa9R+NJyoTOmwCbGENwiLKkj49kgBKzDVR1hRyMz9xDwU= r";
const RSA1024: &str = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDXeLulOG3uDwUbs4eBkEr7rnDMv8Ny91kJOLQ0ZPTH8PIIVjAFCDSPGOLJo94OIS6D8wSTddPXaLZAvS8QK5vC6Gzz5y51PWC3X4y8eUK3m7rbxWV3jySxg2N+4IoVAj5HgRrNGj586S609sOZfm0KoXLdIk1c+NeA/dLuSNCFJQ== root@vm";

/// Every input is rejected with a message holding its fragment.
fn rejects<T: std::fmt::Debug>(f: impl Fn(&str) -> Result<T, String>, cases: &[(&str, &str)]) {
    for (input, fragment) in cases {
        match f(input) {
            Ok(v) => panic!("{input:?} was accepted as {v:?}"),
            Err(e) => assert!(e.contains(fragment), "{input:?}: {e:?} lacks {fragment:?}"),
        }
    }
}

/// An SSH wire-format blob of `fields`, as a key line of type `kind`.
fn key_line(kind: &str, fields: &[&[u8]]) -> String {
    let mut blob = Vec::new();
    for f in fields {
        blob.extend((f.len() as u32).to_be_bytes());
        blob.extend(*f);
    }
    format!("{kind} {} test", STANDARD.encode(blob))
}

#[test]
fn zone_names_follow_illumos_and_must_be_new() {
    assert_eq!(zone_name("web01", &["web02", "db"]), Ok(()));
    rejects(
        |n| zone_name(n, &["web01"]),
        &[
            ("web01", "a zone named 'web01' already exists"),
            ("", "empty"),
            ("web 01", "contains ' '"),
            ("a;rm -rf /", "contains ';'"),
            ("$(reboot)", "begin with a letter or digit"),
            ("wéb", "contains"),
            ("global", "global zone"),
        ],
    );
    // Names differ by case on illumos.
    assert_eq!(zone_name("Web01", &["web01"]), Ok(()));
}

#[test]
fn sizes() {
    assert_eq!(size("512M"), Ok(512 << 20));
    assert_eq!(size(" 2G "), Ok(2 << 30));
    assert_eq!(size("1.5G"), Ok(3 << 29));
    assert_eq!(size("1T"), Ok(1 << 40));
    rejects(
        size,
        &[
            ("", "no size given"),
            (
                "2X",
                "'2X' is not a size: use a number with K, M, G or T (512M, 2G, 1T)",
            ),
            ("0", "is zero"),
            ("0G", "is zero"),
            ("-1G", "not a size"),
            ("1 G", "not a size"),
            ("99999999999E", "too large"),
            ("2G;reboot", "not a size"),
            ("２G", "not a size"),
        ],
    );
}

#[test]
fn fits_names_the_room_left() {
    assert_eq!(fits(10 << 30, 10 << 30, "rpool"), Ok(()));
    assert_eq!(
        fits(30 << 30, 12 << 30 | 512 << 20, "rpool"),
        Err("30G does not fit: rpool has 12.5G available".into())
    );
}

#[test]
fn ram_follows_the_bhyve_brand() {
    assert_eq!(ram("1G"), Ok(1 << 30));
    assert_eq!(ram("512m"), Ok(512 << 20));
    assert_eq!(ram("128M"), Ok(128 << 20));
    assert_eq!(ram("1t"), Ok(1 << 40));
    // A bare number below 1 MiB counts in MiB, a larger one in bytes.
    assert_eq!(ram("2048"), Ok(2 << 30));
    assert_eq!(ram("1048575"), Ok(1_048_575 << 20));
    assert_eq!(ram("2147483648"), Ok(2 << 30));
    rejects(
        ram,
        &[
            ("", "no amount given"),
            ("64M", "at least 128M"),
            ("100", "counts in MiB, so 100M"),
            ("1048576", "counts in bytes"),
            ("1.5G", "write it as 1536M"),
            ("0.1G", "not a whole number"),
            ("2GB", "write 2G"),
            ("2 G", "unknown unit ' G'"),
            ("2X", "unknown unit 'X'"),
            ("G", "not an amount of memory"),
            ("-1G", "not an amount of memory"),
            ("99999999999999999999G", "more memory than can be addressed"),
            ("17179869184G", "more memory than can be addressed"),
            ("1G;reboot", "unknown unit"),
        ],
    );
}

#[test]
fn vcpus_follow_bhyve_topology_rules() {
    for (text, n) in [
        ("1", 1),
        ("4", 4),
        ("cpus=8", 8),
        ("4,sockets=2,cores=2", 4),
        ("cpus=8,sockets=1,cores=4,threads=2", 8),
        ("sockets=2,cores=4", 8),
        ("threads=2", 2),
        ("64", 64),
    ] {
        assert_eq!(vcpus(text), Ok(n), "{text}");
    }
    rejects(
        vcpus,
        &[
            ("", "no CPU count given"),
            ("0", "cpus cannot be 0"),
            ("cores=0", "cores cannot be 0"),
            ("65", "at most 64"),
            ("sockets=16,cores=8", "128 CPUs is more than bhyve allows"),
            // sockets defaults to the CPU count when the count is given.
            (
                "4,cores=2",
                "4 sockets × 2 cores × 1 thread make 8 CPUs, not 4",
            ),
            ("2,cores=9999999999,threads=9999999999", "not 2"),
            ("4,cores=2", "add sockets=2"),
            ("4,sockets=2", "make 2 CPUs, not 4"),
            (
                "4,sockets=3,cores=2",
                "make sockets × cores × threads equal",
            ),
            ("4,cpus=4", "gives cpus twice"),
            ("4,,cores=2", "empty item"),
            ("4,", "empty item"),
            ("four", "not a whole number of cpus"),
            ("-2", "not a whole number"),
            ("0x4", "not a whole number"),
            ("maxcpus=4", "'maxcpus=4' is not a CPU setting"),
            ("4;reboot", "not a whole number"),
            ("99999999999999999999999", "more than bhyve allows"),
            (
                "sockets=65535,cores=65535,threads=65535",
                "more than bhyve allows",
            ),
        ],
    );
}

#[test]
fn link_names_follow_dladm() {
    for name in [
        "vnic0",
        "web01_0",
        "e1000g0",
        "net.0",
        &format!("{}0", "a".repeat(30)),
    ] {
        assert_eq!(link_name(name), Ok(()), "{name}");
    }
    rejects(
        link_name,
        &[
            ("", "no link name given"),
            ("vnic", "does not end with a digit"),
            ("0vnic1", "starts with a digit"),
            (
                &format!("{}0", "a".repeat(31)),
                "is 32 characters long: a link name has at most 31",
            ),
            ("vnic", "e.g. vnic0"),
            ("vnic 0", "contains a space"),
            ("vnic-0", "contains '-'"),
            ("vnic0;reboot", "contains ';'"),
            ("vnïc0", "contains 'ï'"),
            ("vnic\n0", "contains a line break"),
        ],
    );
}

#[test]
fn macs_are_unicast_and_normalised() {
    assert_eq!(mac("2:8:20:a:b:c"), Ok("2:8:20:a:b:c".into()));
    assert_eq!(mac("02:08:20:0A:0B:0C"), Ok("2:8:20:a:b:c".into()));
    assert_eq!(mac(" 2:8:20:ab:cd:ef "), Ok("2:8:20:ab:cd:ef".into()));
    rejects(
        mac,
        &[
            ("", "no MAC address given"),
            ("auto", "choose auto from the list"),
            ("Random", "choose random from the list"),
            ("1:0:5e:0:0:1", "multicast"),
            ("0:0:0:0:0:0", "all zeros"),
            (
                "02-08-20-0a-0b-0c",
                "dladm needs ':', e.g. 02:08:20:0a:0b:0c",
            ),
            ("2:8:20:a:b", "expected 6"),
            ("2:8:20:a:b:c:d", "expected 6"),
            ("2:8:20:a:b:100", "not one or two hex digits"),
            ("2:8:20:a:b:g", "contains 'g'"),
            ("2:8:20:a:b:c;x", "contains ';'"),
        ],
    );
}

#[test]
fn vlans() {
    assert_eq!(vlan("1"), Ok(1));
    assert_eq!(vlan(" 4094 "), Ok(4094));
    rejects(
        vlan,
        &[
            ("", "no VLAN id given"),
            ("0", "means untagged"),
            ("4095", "out of range"),
            ("99999999999999999999", "out of range"),
            ("+5", "not a VLAN id"),
            ("-1", "not a VLAN id"),
            ("ten", "not a VLAN id"),
        ],
    );
}

#[test]
fn ip_addresses() {
    assert_eq!(ip("10.0.0.5"), Ok("10.0.0.5".parse::<IpAddr>().unwrap()));
    assert_eq!(
        ip(" 2001:db8::1 "),
        Ok("2001:db8::1".parse::<IpAddr>().unwrap())
    );
    assert!(ip("127.0.0.1").is_ok());
    rejects(
        ip,
        &[
            ("", "no address given"),
            ("10.0.0.5/24", "type the address alone, e.g. 10.0.0.5"),
            ("10.0.0.256", "is not an IP address"),
            ("10.0.0", "is not an IP address"),
            ("010.0.0.1", "is not an IP address"),
            ("fe80::1%net0", "zone index"),
            ("0.0.0.0", "unspecified"),
            ("::", "unspecified"),
            ("224.0.0.1", "multicast"),
            ("ff02::1", "multicast"),
            ("255.255.255.255", "broadcast"),
            ("host.example.com", "is a host name, not an IP address"),
            ("fe80::g", "is a host name"),
            ("10.0.0.1\u{0}", "contains the control character U+0000"),
            ("10.0.0.1;reboot", "contains ';'"),
            ("10.0.0.1 10.0.0.2", "contains a space"),
        ],
    );
}

#[test]
fn cidrs() {
    assert_eq!(
        cidr("10.0.0.5/24"),
        Ok(("10.0.0.5".parse::<IpAddr>().unwrap(), 24))
    );
    assert_eq!(
        cidr("2001:db8::5/64"),
        Ok(("2001:db8::5".parse::<IpAddr>().unwrap(), 64))
    );
    assert!(cidr("10.0.0.5/32").is_ok());
    assert!(cidr("2001:db8::5/128").is_ok());
    rejects(
        cidr,
        &[
            ("", "no address given"),
            ("10.0.0.5", "add one, e.g. 10.0.0.5/24"),
            ("2001:db8::5", "e.g. 2001:db8::5/64"),
            (
                "10.0.0.5/33",
                "/33 is too long for an IPv4 address: use 1 to 32",
            ),
            ("2001:db8::5/129", "use 1 to 128"),
            ("10.0.0.5/0", "covers every address"),
            ("10.0.0.5/", "not a prefix length"),
            ("10.0.0.5/2x", "not a prefix length"),
            ("10.0.0.5/-1", "not a prefix length"),
            ("10.0.0.5/99999999999", "too long"),
            ("10.0.0.5/24/24", "not a prefix length"),
            ("bad/24", "not an IP address"),
            ("1.2.3.4x/24", "not an IP address"),
        ],
    );
}

#[test]
fn allowed_addresses() {
    for a in [
        "10.0.0.5/24",
        "10.0.0.5",
        "192.168.1.1/31",
        "2001:db8::5/64",
    ] {
        assert_eq!(allowed_address(a), Ok(()), "{a}");
    }
    rejects(
        allowed_address,
        &[
            ("", "no address given"),
            (" 10.0.0.5/24", "blanks around it"),
            ("2001:db8::5", "zonecfg requires for IPv6"),
            (
                "10.0.0.0/24",
                "network address of 10.0.0.0/24: use a host address such as 10.0.0.1/24",
            ),
            (
                "10.0.0.255/24",
                "broadcast address of 10.0.0.0/24: use a host address such as 10.0.0.254/24",
            ),
            ("10.0.0.5/24,10.0.0.6/24", "one"),
            ("web01.example.com", "is a host name"),
        ],
    );
}

#[test]
fn resolver_lists() {
    let two: Vec<IpAddr> = vec![
        "1.1.1.1".parse().unwrap(),
        "2606:4700::1111".parse().unwrap(),
    ];
    assert_eq!(resolvers("1.1.1.1,2606:4700::1111"), Ok(two.clone()));
    assert_eq!(resolvers("1.1.1.1, 2606:4700::1111"), Ok(two.clone()));
    assert_eq!(resolvers(" 1.1.1.1  2606:4700::1111\n"), Ok(two));
    rejects(
        resolvers,
        &[
            ("", "no resolver given"),
            (" , ", "no resolver given"),
            ("1.1.1.1,1.1.1.1", "listed twice"),
            ("1.1.1.1,dns.google", "'dns.google' is a host name"),
            ("1.1.1.1;9.9.9.9", "contains ';'"),
        ],
    );
}

#[test]
fn dataset_names() {
    for name in [
        "rpool",
        "rpool/zones/web01",
        "tank/vm-1_a:b.c",
        "data/.hidden",
    ] {
        assert_eq!(dataset_name(name), Ok(()), "{name}");
    }
    let long = format!("rpool/{}", "x".repeat(250));
    assert_eq!(dataset_name(&long[..255]), Ok(()));
    rejects(
        dataset_name,
        &[
            ("", "no dataset given"),
            ("rpool/a@snap", "names a snapshot"),
            ("rpool/a#mark", "names a bookmark"),
            ("/rpool/a", "starts with '/'"),
            ("rpool/a/", "ends with '/'"),
            ("rpool//a", "empty component"),
            ("rpool/a b", "invalid character ' '"),
            ("rpool/a;rm", "invalid character ';'"),
            ("rpool/$(x)", "invalid character '$'"),
            ("rpool/é", "invalid character 'é'"),
            ("rpool/a%b", "invalid character '%'"),
            ("rpool/a\tb", "contains a tab"),
            ("1pool/a", "must begin with a letter"),
            ("rpool/../etc", "'..' component"),
            ("rpool/./a", "'.' component"),
            ("mirror/a", "reserved"),
            ("c0t0d0/a", "looks like a disk"),
            (&long, "at most 255"),
        ],
    );
}

#[test]
fn dns_domains() {
    for d in [
        "example.com",
        "lan",
        "a-b.example.co.uk",
        "1example.net",
        "EXAMPLE.COM",
    ] {
        assert_eq!(dns_domain(d), Ok(()), "{d}");
    }
    let label = "a".repeat(64);
    let long = vec!["a".repeat(60); 5].join(".");
    rejects(
        dns_domain,
        &[
            ("", "no domain given"),
            ("example.com.", "leave out the final dot, e.g. example.com"),
            (".example.com", "empty label"),
            ("example..com", "empty label"),
            ("-example.com", "begins or ends with '-'"),
            ("example-.com", "begins or ends with '-'"),
            ("my_domain.com", "contains '_'"),
            ("exa mple.com", "contains a space"),
            ("example.com;reboot", "contains ';'"),
            ("exämple.com", "contains 'ä'"),
            (&format!("{label}.com"), "at most 63"),
            (&long, "at most 253"),
            ("10.0.0.1", "looks like an address"),
        ],
    );
}

#[test]
fn ssh_keys_decode_and_match_their_type() {
    for key in [ED25519, ECDSA384, RSA1024, RSA3072] {
        assert_eq!(ssh_key(key), Ok(()), "{key}");
    }
    let several = format!("{ED25519}\n\n{ECDSA384}\r\n{RSA1024}\n");
    assert_eq!(ssh_key(&several), Ok(()));
    assert_eq!(ssh_key(&ED25519.replacen(' ', " \t ", 2)), Ok(()));
    let sk = key_line(
        "sk-ssh-ed25519@openssh.com",
        &[b"sk-ssh-ed25519@openssh.com", &[7; 32], b"ssh:"],
    );
    assert_eq!(ssh_key(&sk), Ok(()));

    let mismatch = ED25519.replacen("ssh-ed25519", "ssh-rsa", 1);
    let short_rsa = key_line("ssh-rsa", &[b"ssh-rsa", &[1, 0, 1], &[0xff; 64]]);
    let bad_len = key_line("ssh-ed25519", &[b"ssh-ed25519", &[7; 31]]);
    let extra = key_line("ssh-ed25519", &[b"ssh-ed25519", &[7; 32], b"x"]);
    let blob = ED25519.split(' ').nth(1).unwrap();
    let cut = format!("ssh-ed25519 {}", &blob[..40]);
    let cut_mid = format!("ssh-ed25519 {}", &blob[..41]);
    let quoted = format!("{ED25519} \"laptop\"");
    let in_list = format!("{ED25519}\nssh-dss AAAA");
    rejects(
        ssh_key,
        &[
            ("", "no key given"),
            ("\n \n", "no key given"),
            ("ssh-ed25519", "not followed by the key itself"),
            ("ssh-dss AAAAB3NzaC1kc3M=", "DSA keys"),
            ("-----BEGIN OPENSSH PRIVATE KEY-----", "private key"),
            ("---- BEGIN SSH2 PUBLIC KEY ----", "ssh-keygen -i"),
            ("ssh-ed25519-cert-v01@openssh.com AAAA", "certificate"),
            (
                &format!("from=\"10.0.0.0/8\" {ED25519}"),
                "authorized_keys options",
            ),
            ("rm -rf /", "'rm' is not an SSH public key type"),
            ("ssh-ed25519 not*base64 x", "not valid base64"),
            (&cut, "cut short"),
            (&cut_mid, "not valid base64"),
            (&mismatch, "its key data is a 'ssh-ed25519' key"),
            (&short_rsa, "only 512 bits"),
            (&bad_len, "damaged or cut short"),
            (&extra, "extra bytes"),
            (&quoted, "'\"'"),
            (&in_list, "line 2: DSA keys"),
        ],
    );
}

#[test]
fn messages_escape_what_the_terminal_cannot_show() {
    let e = size("2\u{1b}[31mX").unwrap_err();
    assert!(e.contains("\\u{1b}"), "{e}");
    assert!(!e.contains('\u{1b}'), "{e}");
    let e = dns_domain(&"a\u{7}".repeat(200)).unwrap_err();
    assert!(e.contains("U+0007"), "{e}");
    assert!(e.len() < 200, "{e}");
}

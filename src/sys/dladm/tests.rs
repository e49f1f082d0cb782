use super::*;

#[test]
fn show_link_parses_classes_empty_fields_and_aggr_ports() {
    let text = "igb0:phys:1500:up::\n\
                stub0:etherstub:9000:unknown::\n\
                web01_net0:vnic:9000:up::stub0\n\
                aggr0:aggr:1500:up::igb2,igb3\n\
                persist1:vnic::::igb0\n";
    let links = parse_show_link(text).unwrap();
    assert_eq!(links.len(), 5);
    assert_eq!(links[0].class, LinkClass::Phys);
    assert_eq!(links[0].mtu, Some(1500));
    assert_eq!(links[0].state, Some(LinkState::Up));
    assert!(links[0].over.is_empty() && links[0].bridge.is_none());
    assert_eq!(links[1].state, Some(LinkState::Unknown));
    assert_eq!(links[2].over, ["stub0"]);
    assert_eq!(links[3].over, ["igb2", "igb3"]);
    assert_eq!(links[4].mtu, None);
    assert_eq!(links[4].state, None);
}

#[test]
fn show_link_rejects_bad_lines_with_the_line_number() {
    let err = parse_show_link("igb0:phys:1500:up::\nigb1:phys:1500\n").unwrap_err();
    assert_eq!(err.line, 2);
    assert!(err.message.contains("expected 6"), "{err}");
    let err = parse_show_link("igb0:phys:big:up::\n").unwrap_err();
    assert!(err.message.contains("MTU 'big'"), "{err}");
    let err = parse_show_link("igb0:phys:1500:sideways::\n").unwrap_err();
    assert!(err.message.contains("sideways"), "{err}");
    assert_eq!(
        parse_show_link("x:wormhole:1500:up::\n").unwrap()[0].class,
        LinkClass::Other("wormhole".into())
    );
}

#[test]
fn show_phys_parses() {
    let phys =
        parse_show_phys("igb0:Ethernet:up:1000:full:igb0\nigb1:Ethernet:down:0:unknown:igb1\n")
            .unwrap();
    assert_eq!(phys[0].speed, 1000);
    assert_eq!(phys[0].device, "igb0");
    assert_eq!(phys[1].state, LinkState::Down);
    assert!(parse_show_phys("igb0:Ethernet:up:fast:full:igb0").is_err());
}

#[test]
fn show_vnic_unescapes_macs_and_reads_vlan_and_zone() {
    let text = "web01_net0:stub0:0:2\\:8\\:20\\:ab\\:cd\\:1:random:0:web01\n\
                vlan7vnic0:igb0:1000:2\\:8\\:20\\:1\\:2\\:3:fixed:7:--\n\
                fact0:igb1:1000:0\\:1b\\:21\\:aa\\:bb\\:cc:factory, slot 2:0:--\n";
    let vnics = parse_show_vnic(text).unwrap();
    assert_eq!(vnics[0].mac, "2:8:20:ab:cd:1");
    assert_eq!(vnics[0].mac_type, MacAddrType::Random);
    assert_eq!(vnics[0].vid, None);
    assert_eq!(vnics[0].zone.as_deref(), Some("web01"));
    assert_eq!(vnics[1].vid, Some(7));
    assert_eq!(vnics[1].zone, None);
    assert_eq!(vnics[2].mac_type, MacAddrType::Factory(2));
    let json = serde_json::to_value(&vnics[0]).unwrap();
    assert_eq!(json["mac"], "2:8:20:ab:cd:1");
    assert_eq!(json["mac_type"], "random");
    assert_eq!(json["vid"], serde_json::Value::Null);
}

#[test]
fn show_vnic_accepts_long_names_and_rejects_unknown_types() {
    let long = "a".repeat(30) + "0";
    let line = format!("{long}:igb0:1000:2\\:8\\:20\\:0\\:0\\:1:random:0:--\n");
    assert_eq!(parse_show_vnic(&line).unwrap()[0].link, long);
    let err = parse_show_vnic("v0:igb0:1000:2\\:8\\:20\\:0\\:0\\:1:magic:0:--").unwrap_err();
    assert!(err.message.contains("magic"), "{err}");
    let err = parse_show_vnic("v0:igb0:1000:2:8:20:0:0:1:random:0:--").unwrap_err();
    assert!(err.message.contains("expected 7"), "{err}");
}

#[test]
fn a_single_field_is_not_unescaped() {
    // One field: ofmt writes values verbatim, so a backslash is literal.
    let stubs = parse_show_etherstub("stub0\nodd\\0\n\n").unwrap();
    assert_eq!(stubs.len(), 2);
    assert_eq!(stubs[1].link, "odd\\0");
}

#[test]
fn builders_produce_argv() {
    assert_eq!(
        show_vnic().argv(),
        ["dladm", "show-vnic", "-p", "-o", VNIC_FIELDS]
    );
    let mut spec = VnicSpec::new("web01_net0", "stub0");
    assert_eq!(
        create_vnic(&spec).argv(),
        ["dladm", "create-vnic", "-l", "stub0", "web01_net0"]
    );
    spec.mac = MacSpec::Fixed(parse_mac("02:08:20:AB:CD:01").unwrap());
    spec.vid = Some(42);
    spec.props = vec![("maxbw".into(), "100M".into())];
    spec.temporary = true;
    let cmd = create_vnic(&spec);
    assert!(cmd.privileged);
    assert_eq!(
        cmd.argv(),
        [
            "dladm",
            "create-vnic",
            "-t",
            "-l",
            "stub0",
            "-m",
            "2:8:20:ab:cd:1",
            "-v",
            "42",
            "-p",
            "maxbw=100M",
            "web01_net0"
        ]
    );
    spec.mac = MacSpec::Factory(Some(1));
    assert!(create_vnic(&spec).display().contains("-m factory -n 1"));
    assert_eq!(delete_vnic("v0").argv(), ["dladm", "delete-vnic", "v0"]);
    assert_eq!(
        create_etherstub("stub0").argv(),
        ["dladm", "create-etherstub", "stub0"]
    );
    assert_eq!(
        delete_etherstub("stub0").argv(),
        ["dladm", "delete-etherstub", "stub0"]
    );
}

#[test]
fn link_names_follow_dladm_valid_linkname() {
    for ok in [
        "vnic0",
        "web01_net0",
        "stub0",
        "a.b0",
        "_x1",
        &("v".repeat(30) + "1"),
    ] {
        assert_eq!(validate_link_name(ok), Ok(()), "{ok}");
    }
    assert!(validate_link_name("").unwrap_err().contains("empty"));
    assert!(
        validate_link_name("0vnic0")
            .unwrap_err()
            .contains("start with a digit")
    );
    assert!(
        validate_link_name("vnic")
            .unwrap_err()
            .contains("end with a digit")
    );
    assert!(validate_link_name("web-01").unwrap_err().contains("'-'"));
    assert!(validate_link_name("a;rm0").unwrap_err().contains("';'"));
    let long = "v".repeat(31) + "1";
    assert!(
        validate_link_name(&long)
            .unwrap_err()
            .contains("at most 31")
    );
}

#[test]
fn macs_normalize_to_dladm_form() {
    assert_eq!(
        parse_mac("2:8:20:ab:cd:1").unwrap().to_string(),
        "2:8:20:ab:cd:1"
    );
    let mac = parse_mac("02:08:20:AB:CD:01").unwrap();
    assert_eq!(mac.to_string(), "2:8:20:ab:cd:1");
    assert_eq!(mac.padded(), "02:08:20:ab:cd:01");
    assert!(parse_mac("2:8:20:ab:cd").unwrap_err().contains("found 5"));
    assert!(
        parse_mac("2:8:20:ab:cd:zz")
            .unwrap_err()
            .contains("octet 6")
    );
    assert!(
        parse_mac("2:8:20:abc:cd:1")
            .unwrap_err()
            .contains("octet 4")
    );
    assert!(parse_mac("1:0:5e:0:0:1").unwrap_err().contains("multicast"));
    assert!(parse_mac("0:0:0:0:0:0").unwrap_err().contains("all zeros"));
    assert!(parse_mac("").unwrap_err().contains("empty"));
    assert_eq!(
        mac.link_local().to_string(),
        "fe80::8:20ff:feab:cd01",
        "modified EUI-64 flips the universal/local bit"
    );
}

#[test]
fn vlan_ids_are_1_to_4094() {
    assert_eq!(parse_vid("1"), Ok(1));
    assert_eq!(parse_vid("4094"), Ok(4094));
    assert!(parse_vid("0").unwrap_err().contains("out of range"));
    assert!(parse_vid("4095").unwrap_err().contains("out of range"));
    assert!(parse_vid("x").unwrap_err().contains("expected a number"));
}

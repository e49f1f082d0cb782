//! `/etc/zones/<zone>.xml`, read directly so that a refresh needs no zonecfg process per zone,
//! and written (by the sim host's zonecfg) the way libzonecfg/libxml2 write it.

use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

use super::ParseError;
use super::zonecfg::{
    Admin, Attr, AttrType, DatasetResource, DedicatedCpu, Device, Fs, IpType, Net, Property, Rctl,
    RctlValue, ZoneConfig,
};

/// Where a zone's XML lives under the sys root.
pub fn path_for(zone: &str) -> String {
    format!("/etc/zones/{zone}.xml")
}

/// Parse one zone's XML. `source` names the file in errors.
pub fn parse(text: &str, source: &str) -> Result<ZoneConfig, ParseError> {
    let mut reader = Reader::from_str(text);
    let mut cfg: Option<ZoneConfig> = None;
    // The element whose children we are in: network/device take <net-attr>, filesystem takes
    // <fsoption>, rctl takes <rctl-value>.
    let mut open: Option<&'static str> = None;
    let err = |reader: &Reader<&[u8]>, msg: String| {
        let line = text[..(reader.buffer_position() as usize).min(text.len())]
            .lines()
            .count();
        ParseError::new(source, line.max(1), msg)
    };
    loop {
        let event = reader
            .read_event()
            .map_err(|e| err(&reader, format!("malformed XML: {e}")))?;
        let (tag, has_children) = match &event {
            Event::Start(t) => (t, true),
            Event::Empty(t) => (t, false),
            Event::End(t) => {
                if open.is_some_and(|o| o == t.name().as_ref()) {
                    open = None;
                }
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        let attrs = attributes(tag).map_err(|m| err(&reader, m))?;
        let get = |name: &str| {
            attrs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        };
        let opt = |name: &str| get(name).filter(|v| !v.is_empty());
        let name = tag.name();
        let name: &str = name.as_ref();
        if name == "zone" {
            let ip_text = get("ip-type").unwrap_or_default();
            let ip_type = if ip_text.is_empty() {
                IpType::Shared
            } else {
                IpType::parse(&ip_text)
                    .ok_or_else(|| err(&reader, format!("unknown ip-type '{ip_text}'")))?
            };
            let debugid = match opt("debugid") {
                Some(d) => Some(
                    d.parse()
                        .map_err(|_| err(&reader, format!("debugid '{d}' is not a number")))?,
                ),
                None => None,
            };
            cfg = Some(ZoneConfig {
                name: get("name").ok_or_else(|| err(&reader, "<zone> has no name".into()))?,
                zonepath: get("zonepath").unwrap_or_default(),
                brand: get("brand").unwrap_or_default(),
                autoboot: get("autoboot").as_deref() == Some("true"),
                ip_type,
                bootargs: opt("bootargs"),
                pool: opt("pool"),
                limitpriv: opt("limitpriv"),
                scheduling_class: opt("scheduling-class"),
                hostid: opt("hostid"),
                fs_allowed: opt("fs-allowed"),
                debugid,
                ..Default::default()
            });
            continue;
        }
        let Some(cfg) = cfg.as_mut() else {
            return Err(err(&reader, format!("<{name}> outside of <zone>")));
        };
        match name {
            "network" => {
                let vlan_id = match opt("vlan-id") {
                    Some(v) => Some(
                        v.parse()
                            .map_err(|_| err(&reader, format!("vlan-id '{v}' is not a number")))?,
                    ),
                    None => None,
                };
                cfg.nets.push(Net {
                    address: opt("address"),
                    allowed_address: opt("allowed-address"),
                    physical: opt("physical"),
                    defrouter: opt("defrouter"),
                    global_nic: opt("global-nic"),
                    mac_addr: opt("mac-addr"),
                    vlan_id,
                    properties: Vec::new(),
                });
                open = has_children.then_some("network");
            }
            "device" => {
                cfg.devices.push(Device {
                    match_path: get("match").unwrap_or_default(),
                    properties: Vec::new(),
                });
                open = has_children.then_some("device");
            }
            "net-attr" => {
                let prop = Property {
                    name: get("name").unwrap_or_default(),
                    value: get("value").unwrap_or_default(),
                };
                match open {
                    Some("network") => cfg.nets.last_mut().map(|n| n.properties.push(prop)),
                    Some("device") => cfg.devices.last_mut().map(|d| d.properties.push(prop)),
                    _ => return Err(err(&reader, "<net-attr> outside <network>/<device>".into())),
                };
            }
            "attr" => {
                let type_text = get("type").unwrap_or_else(|| "string".into());
                cfg.attrs.push(Attr {
                    name: get("name").unwrap_or_default(),
                    attr_type: AttrType::parse(&type_text)
                        .ok_or_else(|| err(&reader, format!("unknown attr type '{type_text}'")))?,
                    value: get("value").unwrap_or_default(),
                });
            }
            "filesystem" => {
                cfg.fs.push(Fs {
                    dir: get("directory").unwrap_or_default(),
                    special: get("special").unwrap_or_default(),
                    raw: opt("raw"),
                    fs_type: get("type").unwrap_or_default(),
                    options: Vec::new(),
                });
                open = has_children.then_some("filesystem");
            }
            "fsoption" => {
                let Some(fs) = cfg.fs.last_mut().filter(|_| open == Some("filesystem")) else {
                    return Err(err(&reader, "<fsoption> outside <filesystem>".into()));
                };
                fs.options.push(get("name").unwrap_or_default());
            }
            "dataset" => cfg.datasets.push(DatasetResource {
                name: get("name").unwrap_or_default(),
            }),
            "rctl" => {
                cfg.rctls.push(Rctl {
                    name: get("name").unwrap_or_default(),
                    values: Vec::new(),
                });
                open = has_children.then_some("rctl");
            }
            "rctl-value" => {
                let Some(rctl) = cfg.rctls.last_mut().filter(|_| open == Some("rctl")) else {
                    return Err(err(&reader, "<rctl-value> outside <rctl>".into()));
                };
                rctl.values.push(RctlValue {
                    privilege: get("priv").unwrap_or_default(),
                    limit: get("limit").unwrap_or_default(),
                    action: get("action").unwrap_or_default(),
                });
            }
            "mcap" => {
                let cap = get("physcap").unwrap_or_default();
                cfg.physical_cap = Some(
                    cap.parse()
                        .map_err(|_| err(&reader, format!("physcap '{cap}' is not a number")))?,
                );
            }
            "pset" => {
                let importance = cfg.dedicated_cpu.take().and_then(|d| d.importance);
                cfg.dedicated_cpu = Some(DedicatedCpu {
                    ncpu_min: get("ncpu_min").unwrap_or_default(),
                    ncpu_max: get("ncpu_max").unwrap_or_default(),
                    importance,
                });
            }
            "tmp_pool" => {
                let dc = cfg.dedicated_cpu.get_or_insert_with(DedicatedCpu::default);
                dc.importance = opt("importance");
            }
            "admin" => cfg.admins.push(Admin {
                user: get("user").unwrap_or_default(),
                auths: get("auths").unwrap_or_default(),
            }),
            // Elements zcon does not model (package, patch, dev-perm, deleted-device,
            // security-flags …) are carried by the host and need nothing from us.
            _ => {}
        }
    }
    let mut cfg = cfg.ok_or_else(|| ParseError::new(source, 0, "no <zone> element"))?;
    // capped-memory `physical` is the rctl zone.max-physical-memory on current illumos
    // (older files carry <mcap physcap=…>); the model keeps it in one place.
    if let Some(pos) = cfg
        .rctls
        .iter()
        .position(|r| r.name == PHYSICAL_MEMORY_RCTL)
    {
        let rctl = cfg.rctls.remove(pos);
        let limit = rctl
            .values
            .first()
            .map(|v| v.limit.clone())
            .unwrap_or_default();
        cfg.physical_cap = Some(limit.parse().map_err(|_| {
            let msg = format!("{PHYSICAL_MEMORY_RCTL} limit '{limit}' is not a number");
            ParseError::new(source, 0, msg)
        })?);
    }
    Ok(cfg)
}

/// The rctl behind capped-memory's `physical`.
pub const PHYSICAL_MEMORY_RCTL: &str = "zone.max-physical-memory";

fn attributes(tag: &BytesStart) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    for attr in tag.attributes() {
        let attr = attr.map_err(|e| format!("bad attribute: {e}"))?;
        let key = attr.key.as_ref().to_string();
        let value = attr
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|e| format!("bad value of attribute '{key}': {e}"))?
            .into_owned();
        out.push((key, value));
    }
    Ok(out)
}

/// Escape an attribute value as libxml2 does.
fn esc(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c => out.push(c),
        }
    }
    out
}

/// One element's attributes, `name="value"` joined by spaces.
fn attr_list(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k}=\"{}\"", esc(v)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Write a zone's XML as libzonecfg saves it.
pub fn render(cfg: &ZoneConfig) -> String {
    let mut out = String::from(concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
        "<!DOCTYPE zone PUBLIC \"-//Sun Microsystems Inc//DTD Zones//EN\" ",
        "\"file:///usr/share/lib/xml/dtd/zonecfg.dtd.1\">\n",
        "<!--\n    DO NOT EDIT THIS FILE.  Use zonecfg(8) instead.\n-->\n"
    ));
    let autoboot = if cfg.autoboot { "true" } else { "false" };
    let debugid = cfg.debugid.map(|d| d.to_string());
    let mut zone: Vec<(&str, &str)> = vec![
        ("name", &cfg.name),
        ("zonepath", &cfg.zonepath),
        ("autoboot", autoboot),
        ("brand", &cfg.brand),
    ];
    let optional = [
        ("bootargs", &cfg.bootargs),
        ("pool", &cfg.pool),
        ("limitpriv", &cfg.limitpriv),
        ("scheduling-class", &cfg.scheduling_class),
    ];
    zone.extend(
        optional
            .iter()
            .filter_map(|(k, v)| v.as_deref().map(|v| (*k, v))),
    );
    zone.push(("ip-type", cfg.ip_type.as_zonecfg()));
    let more = [
        ("hostid", &cfg.hostid),
        ("fs-allowed", &cfg.fs_allowed),
        ("debugid", &debugid),
    ];
    zone.extend(
        more.iter()
            .filter_map(|(k, v)| v.as_deref().map(|v| (*k, v))),
    );
    out.push_str(&format!("<zone {}>\n", attr_list(&zone)));

    for fs in &cfg.fs {
        let mut a = vec![("special", fs.special.as_str())];
        if let Some(raw) = &fs.raw {
            a.push(("raw", raw));
        }
        a.extend([
            ("directory", fs.dir.as_str()),
            ("type", fs.fs_type.as_str()),
        ]);
        element(
            &mut out,
            "filesystem",
            &a,
            fs.options
                .iter()
                .map(|o| ("fsoption", vec![("name", o.as_str())])),
        );
    }
    for net in &cfg.nets {
        let vlan = net.vlan_id.map(|v| v.to_string());
        let mut a = vec![
            ("address", net.address.as_deref().unwrap_or("")),
            (
                "allowed-address",
                net.allowed_address.as_deref().unwrap_or(""),
            ),
            ("physical", net.physical.as_deref().unwrap_or("")),
        ];
        let optional = [
            ("defrouter", &net.defrouter),
            ("global-nic", &net.global_nic),
            ("mac-addr", &net.mac_addr),
            ("vlan-id", &vlan),
        ];
        a.extend(
            optional
                .iter()
                .filter_map(|(k, v)| v.as_deref().map(|v| (*k, v))),
        );
        element(&mut out, "network", &a, net_attrs(&net.properties));
    }
    for dev in &cfg.devices {
        element(
            &mut out,
            "device",
            &[("match", &dev.match_path)],
            net_attrs(&dev.properties),
        );
    }
    if let Some(cap) = cfg.physical_cap {
        let limit = cap.to_string();
        let value = vec![
            ("priv", "privileged"),
            ("limit", limit.as_str()),
            ("action", "deny"),
        ];
        let children = std::iter::once(("rctl-value", value));
        element(
            &mut out,
            "rctl",
            &[("name", PHYSICAL_MEMORY_RCTL)],
            children,
        );
    }
    for rctl in &cfg.rctls {
        let values = rctl.values.iter().map(|v| {
            let a = vec![
                ("priv", v.privilege.as_str()),
                ("limit", &v.limit),
                ("action", &v.action),
            ];
            ("rctl-value", a)
        });
        element(&mut out, "rctl", &[("name", &rctl.name)], values);
    }
    for attr in &cfg.attrs {
        let a = [
            ("name", attr.name.as_str()),
            ("type", attr.attr_type.as_str()),
            ("value", &attr.value),
        ];
        element(&mut out, "attr", &a, std::iter::empty());
    }
    for ds in &cfg.datasets {
        element(
            &mut out,
            "dataset",
            &[("name", &ds.name)],
            std::iter::empty(),
        );
    }
    if let Some(dc) = &cfg.dedicated_cpu {
        if let Some(importance) = &dc.importance {
            element(
                &mut out,
                "tmp_pool",
                &[("importance", importance)],
                std::iter::empty(),
            );
        }
        let a = [
            ("ncpu_min", dc.ncpu_min.as_str()),
            ("ncpu_max", &dc.ncpu_max),
        ];
        element(&mut out, "pset", &a, std::iter::empty());
    }
    for admin in &cfg.admins {
        let a = [("user", admin.user.as_str()), ("auths", &admin.auths)];
        element(&mut out, "admin", &a, std::iter::empty());
    }
    out.push_str("</zone>\n");
    out
}

fn net_attrs(props: &[Property]) -> impl Iterator<Item = (&str, Vec<(&str, &str)>)> {
    props.iter().map(|p| {
        (
            "net-attr",
            vec![("name", p.name.as_str()), ("value", p.value.as_str())],
        )
    })
}

fn element<'a>(
    out: &mut String,
    name: &str,
    attrs: &[(&str, &str)],
    children: impl Iterator<Item = (&'a str, Vec<(&'a str, &'a str)>)>,
) {
    let mut children = children.peekable();
    if children.peek().is_none() {
        out.push_str(&format!("  <{name} {}/>\n", attr_list(attrs)));
        return;
    }
    out.push_str(&format!("  <{name} {}>\n", attr_list(attrs)));
    for (child, a) in children {
        out.push_str(&format!("    <{child} {}/>\n", attr_list(&a)));
    }
    out.push_str(&format!("  </{name}>\n"));
}

#[cfg(test)]
mod tests {
    use super::*;

    const BHYVE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE zone PUBLIC "-//Sun Microsystems Inc//DTD Zones//EN" "file:///usr/share/lib/xml/dtd/zonecfg.dtd.1">
<!--
    DO NOT EDIT THIS FILE.  Use zonecfg(8) instead.
-->
<zone name="web01" zonepath="/zones/web01" autoboot="true" brand="bhyve" ip-type="exclusive" debugid="12">
  <network address="" allowed-address="" physical="web01_0" global-nic="igb0" mac-addr="2:8:20:ab:cd:1" vlan-id="12"/>
  <network allowed-address="10.0.0.5/24" defrouter="10.0.0.1" physical="web01_1">
    <net-attr name="mtu" value="9000"/>
  </network>
  <device match="/dev/zvol/rdsk/rpool/zones/web01/root"/>
  <rctl name="zone.cpu-cap">
    <rctl-value priv="privileged" limit="200" action="deny"/>
  </rctl>
  <attr name="bootdisk" type="string" value="rpool/zones/web01/root,serial=A1"/>
  <attr name="ram" type="string" value="2G"/>
  <attr name="password" type="string" value="a&quot;b&amp;c&lt;"/>
  <mcap physcap="2147483648"/>
</zone>
"#;

    #[test]
    fn reads_a_bhyve_zone() {
        let cfg = parse(BHYVE, "web01.xml").unwrap();
        assert_eq!(cfg.name, "web01");
        assert_eq!(cfg.zonepath, "/zones/web01");
        assert_eq!(cfg.brand, "bhyve");
        assert!(cfg.autoboot);
        assert_eq!(cfg.ip_type, IpType::Exclusive);
        assert_eq!(cfg.debugid, Some(12));
        assert_eq!(cfg.nets.len(), 2);
        let n0 = &cfg.nets[0];
        assert_eq!(n0.physical.as_deref(), Some("web01_0"));
        assert_eq!(n0.global_nic.as_deref(), Some("igb0"));
        assert_eq!(n0.mac_addr.as_deref(), Some("2:8:20:ab:cd:1"));
        assert_eq!(n0.vlan_id, Some(12));
        assert_eq!(n0.address, None, "empty attributes are unset");
        let n1 = &cfg.nets[1];
        assert_eq!(n1.allowed_address.as_deref(), Some("10.0.0.5/24"));
        assert_eq!(n1.defrouter.as_deref(), Some("10.0.0.1"));
        assert_eq!(
            n1.properties,
            [Property {
                name: "mtu".into(),
                value: "9000".into()
            }]
        );
        assert_eq!(
            cfg.devices[0].match_path,
            "/dev/zvol/rdsk/rpool/zones/web01/root"
        );
        assert_eq!(cfg.attr("ram"), Some("2G"));
        assert_eq!(cfg.attr("password"), Some("a\"b&c<"));
        assert_eq!(cfg.capped_cpu(), Some(2.0));
        assert_eq!(cfg.physical_cap, Some(2 << 30), "legacy <mcap> is read");
    }

    #[test]
    fn the_physical_memory_rctl_is_the_memory_cap() {
        let xml = r#"<zone name="z" zonepath="/z" autoboot="false">
  <rctl name="zone.max-physical-memory">
    <rctl-value priv="privileged" limit="1073741824" action="deny"/>
  </rctl>
  <rctl name="zone.max-lwps">
    <rctl-value priv="privileged" limit="2000" action="deny"/>
  </rctl>
</zone>"#;
        let cfg = parse(xml, "z.xml").unwrap();
        assert_eq!(cfg.physical_cap, Some(1 << 30));
        assert_eq!(cfg.rctls.len(), 1, "the cap is not also an rctl");
        let text = render(&cfg);
        assert!(
            text.contains("<rctl name=\"zone.max-physical-memory\">"),
            "{text}"
        );
        assert!(!text.contains("<mcap"));
        assert_eq!(parse(&text, "z.xml").unwrap(), cfg);
    }

    #[test]
    fn reads_a_native_zone_with_fs_dataset_pset_and_admin() {
        let xml = r#"<?xml version="1.0"?>
<zone name="db" zonepath="/zones/db" autoboot="false" brand="lipkg" limitpriv="default,dtrace_proc" scheduling-class="FSS">
  <filesystem special="/data/db" directory="/data" type="lofs">
    <fsoption name="ro"/>
    <fsoption name="nodevices"/>
  </filesystem>
  <dataset name="tank/db"/>
  <tmp_pool importance="2"/>
  <pset ncpu_min="1" ncpu_max="4"/>
  <admin user="alice" auths="login,manage"/>
  <security-flags lower="" upper="" default=""/>
</zone>"#;
        let cfg = parse(xml, "db.xml").unwrap();
        assert_eq!(cfg.ip_type, IpType::Shared);
        assert_eq!(cfg.limitpriv.as_deref(), Some("default,dtrace_proc"));
        assert_eq!(cfg.fs[0].options, ["ro", "nodevices"]);
        assert_eq!(cfg.fs[0].fs_type, "lofs");
        assert_eq!(cfg.datasets[0].name, "tank/db");
        let dc = cfg.dedicated_cpu.as_ref().unwrap();
        assert_eq!((dc.ncpu_min.as_str(), dc.ncpu_max.as_str()), ("1", "4"));
        assert_eq!(dc.importance.as_deref(), Some("2"));
        assert_eq!(cfg.admins[0].user, "alice");
    }

    #[test]
    fn render_then_parse_is_identity() {
        let cfg = parse(BHYVE, "web01.xml").unwrap();
        let text = render(&cfg);
        assert!(text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE zone"));
        assert!(text.contains("DO NOT EDIT THIS FILE"));
        assert!(text.contains("value=\"a&quot;b&amp;c&lt;\""));
        assert_eq!(parse(&text, "x").unwrap(), cfg);

        let mut native = ZoneConfig::blank("db");
        native.zonepath = "/zones/db".into();
        native.brand = "sparse".into();
        native.fs.push(Fs {
            dir: "/data".into(),
            special: "/d".into(),
            raw: None,
            fs_type: "lofs".into(),
            options: vec!["ro".into()],
        });
        native.dedicated_cpu = Some(DedicatedCpu {
            ncpu_min: "2".into(),
            ncpu_max: "2".into(),
            importance: None,
        });
        native.admins.push(Admin {
            user: "bob".into(),
            auths: "login".into(),
        });
        native.set_attr("note", "line1\nline2\ttab");
        assert_eq!(parse(&render(&native), "x").unwrap(), native);
    }

    #[test]
    fn broken_files_give_errors_that_name_the_file() {
        let err = parse("<zone name=\"x\" zonepath=\"/z\"", "x.xml").unwrap_err();
        assert_eq!(err.source_name, "x.xml");
        assert!(
            parse("<?xml version=\"1.0\"?>\n", "e.xml")
                .unwrap_err()
                .message
                .contains("no <zone>")
        );
        let bad_vlan = "<zone name=\"x\" zonepath=\"/z\" autoboot=\"false\"><network physical=\"a\" vlan-id=\"ten\"/></zone>";
        assert!(
            parse(bad_vlan, "v.xml")
                .unwrap_err()
                .message
                .contains("vlan-id 'ten'")
        );
        let stray = "<zone name=\"x\" zonepath=\"/z\" autoboot=\"false\"><rctl-value priv=\"p\" limit=\"1\" action=\"deny\"/></zone>";
        assert!(
            parse(stray, "s.xml")
                .unwrap_err()
                .message
                .contains("outside <rctl>")
        );
    }
}

//! Reading a zone's XML with quick-xml.

use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

use super::PHYSICAL_MEMORY_RCTL;
use crate::sys::ParseError;
use crate::sys::zonecfg::{
    Admin, Attr, AttrType, DatasetResource, DedicatedCpu, Device, Fs, IpType, Net, Property, Rctl,
    RctlValue, ZoneConfig,
};

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

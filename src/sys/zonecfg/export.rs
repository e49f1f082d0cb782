//! `zonecfg -z ZONE export`: the renderer and a reader of real output.
//!
//! zonecfg's export_func() writes `create -b`, the global properties unquoted
//! (`set bootargs=-v -m verbose` even with spaces), then each resource with its properties
//! quoted (`set value="…"` — there is no escape, so a `"` inside stays as is), fs options
//! and rctl values unquoted. Such output is not always valid zonecfg input, so
//! [`parse_export`] reads it a line at a time: a `set` line's value is the rest of the
//! line (without the quotes export added); other lines go through the zonecfg grammar.

use super::ZoneConfig;
use super::edit::{EditContext, to_rctl_form};
use super::script::{Prop, Stmt, Value, apply_lines, parse_lines};
use super::verify::DEFAULT_BRAND;
use crate::sys::ParseError;

const SOURCE: &str = "zonecfg export";

fn set_quoted(out: &mut String, name: &str, value: &str) {
    if !value.is_empty() {
        out.push_str(&format!("set {name}=\"{value}\"\n"));
    }
}

/// What `zonecfg -z ZONE export` prints for a zone.
pub fn render_export(cfg: &ZoneConfig) -> String {
    let cfg = to_rctl_form(cfg.clone());
    let mut out = String::from("create -b\n");
    let mut set = |name: &str, value: &str| out.push_str(&format!("set {name}={value}\n"));
    if !cfg.zonepath.is_empty() {
        set("zonepath", &cfg.zonepath);
    }
    set(
        "brand",
        if cfg.brand.is_empty() {
            DEFAULT_BRAND
        } else {
            &cfg.brand
        },
    );
    set("autoboot", if cfg.autoboot { "true" } else { "false" });
    let optional = [
        ("bootargs", &cfg.bootargs),
        ("pool", &cfg.pool),
        ("limitpriv", &cfg.limitpriv),
        ("scheduling-class", &cfg.scheduling_class),
    ];
    for (name, v) in optional {
        if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
            set(name, v);
        }
    }
    set("ip-type", cfg.ip_type.as_zonecfg());
    for (name, v) in [("hostid", &cfg.hostid), ("fs-allowed", &cfg.fs_allowed)] {
        if let Some(v) = v {
            set(name, v);
        }
    }
    for fs in &cfg.fs {
        out.push_str("add fs\n");
        set_quoted(&mut out, "dir", &fs.dir);
        set_quoted(&mut out, "special", &fs.special);
        set_quoted(&mut out, "raw", fs.raw.as_deref().unwrap_or(""));
        set_quoted(&mut out, "type", &fs.fs_type);
        for o in &fs.options {
            if o.contains('=') {
                out.push_str(&format!("add options \"{o}\"\n"));
            } else {
                out.push_str(&format!("add options {o}\n"));
            }
        }
        out.push_str("end\n");
    }
    let property = |out: &mut String, props: &[super::Property]| {
        for p in props {
            out.push_str(&format!(
                "add property (name={},value=\"{}\")\n",
                p.name, p.value
            ));
        }
    };
    for net in &cfg.nets {
        out.push_str("add net\n");
        let o = |v: &Option<String>| v.clone().unwrap_or_default();
        set_quoted(&mut out, "address", &o(&net.address));
        set_quoted(&mut out, "allowed-address", &o(&net.allowed_address));
        set_quoted(&mut out, "physical", &o(&net.physical));
        set_quoted(&mut out, "mac-addr", &o(&net.mac_addr));
        let vlan = net.vlan_id.map(|v| v.to_string()).unwrap_or_default();
        set_quoted(&mut out, "vlan-id", &vlan);
        set_quoted(&mut out, "global-nic", &o(&net.global_nic));
        set_quoted(&mut out, "defrouter", &o(&net.defrouter));
        property(&mut out, &net.properties);
        out.push_str("end\n");
    }
    for dev in &cfg.devices {
        out.push_str("add device\n");
        set_quoted(&mut out, "match", &dev.match_path);
        property(&mut out, &dev.properties);
        out.push_str("end\n");
    }
    for rctl in &cfg.rctls {
        out.push_str("add rctl\n");
        set_quoted(&mut out, "name", &rctl.name);
        for v in &rctl.values {
            out.push_str(&format!(
                "add value (priv={},limit={},action={})\n",
                v.privilege, v.limit, v.action
            ));
        }
        out.push_str("end\n");
    }
    for attr in &cfg.attrs {
        out.push_str("add attr\n");
        set_quoted(&mut out, "name", &attr.name);
        set_quoted(&mut out, "type", attr.attr_type.as_str());
        set_quoted(&mut out, "value", &attr.value);
        out.push_str("end\n");
    }
    for ds in &cfg.datasets {
        out.push_str("add dataset\n");
        set_quoted(&mut out, "name", &ds.name);
        out.push_str("end\n");
    }
    if let Some(p) = &cfg.dedicated_cpu {
        out.push_str("add dedicated-cpu\n");
        if p.ncpu_min == p.ncpu_max {
            out.push_str(&format!("set ncpus={}\n", p.ncpu_max));
        } else {
            out.push_str(&format!("set ncpus={}-{}\n", p.ncpu_min, p.ncpu_max));
        }
        if let Some(i) = &p.importance {
            out.push_str(&format!("set importance={i}\n"));
        }
        out.push_str("end\n");
    }
    for admin in &cfg.admins {
        out.push_str("add admin\n");
        set_quoted(&mut out, "user", &admin.user);
        set_quoted(&mut out, "auths", &admin.auths);
        out.push_str("end\n");
    }
    out
}

/// One export line as a statement, when it is a `set` whose value zonecfg's own lexer
/// might split or reject (spaces, quotes, `;` …).
fn set_line(line: &str) -> Option<Stmt> {
    let rest = line.strip_prefix("set ")?;
    let (name, value) = rest.split_once('=')?;
    let prop = Prop::from_keyword(name)?;
    let value = match value.strip_prefix('"') {
        Some(v) => v.strip_suffix('"').unwrap_or(v),
        None => value,
    };
    Some(Stmt::Set {
        prop,
        value: Value::Simple(value.to_string()),
        force: false,
    })
}

/// `add property (name=N,value="V")` with anything but a newline in V.
fn property_line(line: &str) -> Option<Stmt> {
    let body = line
        .strip_prefix("add property (name=")?
        .strip_suffix("\")")?;
    let (name, value) = body.split_once(",value=\"")?;
    Some(Stmt::AddProp(
        Prop::Property,
        Value::Complex(vec![
            (Prop::Name, name.to_string()),
            (Prop::Value, value.to_string()),
        ]),
    ))
}

/// `add value (priv=…,limit=…,action=signal=…)`: an action may hold `=`.
fn rctl_value_line(line: &str) -> Option<Stmt> {
    let v = super::info_parse::parse_rctl_value(line.strip_prefix("add value ")?).ok()?;
    Some(Stmt::AddProp(
        Prop::Value,
        Value::Complex(vec![
            (Prop::Priv, v.privilege),
            (Prop::Limit, v.limit),
            (Prop::Action, v.action),
        ]),
    ))
}

/// Read `zonecfg -z ZONE export` output into a configuration (name empty: export does
/// not print it). Values are taken as they are; the structure must be zonecfg's.
pub fn parse_export(text: &str) -> Result<ZoneConfig, ParseError> {
    let mut stmts = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        let special = set_line(line)
            .or_else(|| property_line(line))
            .or_else(|| rctl_value_line(line));
        match special {
            Some(stmt) => stmts.push((n, stmt)),
            None => {
                let parsed = parse_lines(&format!("{line}\n"), SOURCE)
                    .map_err(|e| ParseError::new(SOURCE, n, e.message))?;
                stmts.extend(parsed.into_iter().map(|(_, s)| (n, s)));
            }
        }
    }
    if !matches!(stmts.first(), Some((_, Stmt::Create { .. }))) {
        return Err(ParseError::new(
            SOURCE,
            1,
            "expected export output, which starts with 'create -b'",
        ));
    }
    let mut cfg = ZoneConfig::default();
    let cx = EditContext {
        lenient: true,
        ..EditContext::default()
    };
    apply_lines(&mut cfg, &stmts, &cx, SOURCE)?;
    Ok(cfg)
}

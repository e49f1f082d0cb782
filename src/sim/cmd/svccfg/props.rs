//! svccfg's property commands on the selected entity's property groups, with svccfg's
//! checks and messages (from svccfg_libscf.c).

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::sim::smf::pattern::fnmatch;
use crate::sim::smf::{Pg, Pgs, Prop};
use crate::sys::smf::PROP_TYPES;

/// A value token: its text and whether it was written in quotes.
pub type Value<'a> = (&'a str, bool);

fn valid_name(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.,".contains(c))
}

fn split_name(name: &str) -> Result<(&str, &str), String> {
    name.split_once('/')
        .ok_or_else(|| "Property names must contain a `/'.".to_string())
}

fn pg_mut<'a>(pgs: &'a mut Pgs, pg: &str) -> Result<&'a mut Pg, String> {
    if !valid_name(pg) {
        return Err(format!("Invalid property group name \"{pg}\"."));
    }
    pgs.get_mut(pg)
        .ok_or_else(|| format!("No such property group \"{pg}\"."))
}

/// The type named by a `type:` token.
fn parse_type(token: &str) -> Result<&str, String> {
    token
        .strip_suffix(':')
        .filter(|t| PROP_TYPES.contains(t))
        .ok_or_else(|| format!("Unknown type \"{token}\"."))
}

/// A value converted the way libscf reads it for the type; booleans come back as
/// `true`/`false`.
fn to_value(text: &str, ty: &str) -> Result<String, String> {
    let bad = || format!("Invalid \"{ty}\" value \"{text}\".");
    let ok = match ty {
        "boolean" => {
            return match text {
                "true" | "1" => Ok("true".into()),
                "false" | "0" => Ok("false".into()),
                _ => Err(bad()),
            };
        }
        "count" => text.parse::<u64>().is_ok(),
        "integer" => text.parse::<i64>().is_ok(),
        "time" => {
            let (s, ns) = text.split_once('.').unwrap_or((text, "0"));
            s.parse::<i64>().is_ok() && ns.len() <= 9 && ns.parse::<u32>().is_ok()
        }
        "opaque" => text.len().is_multiple_of(2) && text.chars().all(|c| c.is_ascii_hexdigit()),
        "net_address_v4" => v4(text),
        "net_address_v6" => v6(text),
        "net_address" => v4(text) || v6(text),
        _ => true,
    };
    if ok { Ok(text.to_string()) } else { Err(bad()) }
}

fn v4(t: &str) -> bool {
    let (a, p) = t.split_once('/').unwrap_or((t, "0"));
    a.parse::<std::net::Ipv4Addr>().is_ok() && p.parse::<u8>().is_ok_and(|p| p <= 32)
}

fn v6(t: &str) -> bool {
    let (a, p) = t.split_once('/').unwrap_or((t, "0"));
    a.parse::<std::net::Ipv6Addr>().is_ok() && p.parse::<u8>().is_ok_and(|p| p <= 128)
}

/// `setprop pg/prop = [type:] value` or `= [type:] (values…)` (`list` is Some).
pub fn setprop(
    pgs: &mut Pgs,
    inherited: Option<&Pgs>,
    name: &str,
    ty: Option<&str>,
    one: Option<Value>,
    list: Option<&[Value]>,
) -> Result<(), String> {
    let (pgname, prop) = split_name(name)?;
    let given = ty.map(parse_type).transpose()?;
    let group = pg_mut(pgs, pgname)?;
    if !valid_name(prop) {
        return Err(format!("Invalid property name \"{prop}\"."));
    }
    let inherited_ty = inherited
        .and_then(|p| p.get(pgname))
        .and_then(|g| g.props.get(prop))
        .map(|p| p.ty.clone());
    let ty = match (given, group.props.get(prop)) {
        (Some(t), _) => t.to_string(),
        (None, Some(existing)) => existing.ty.clone(),
        (None, None) => {
            inherited_ty.ok_or_else(|| "Type required for new properties.".to_string())?
        }
    };
    let stringy = ty == "astring" || ty == "ustring";
    let mut values = Vec::new();
    match (one, list) {
        (Some((text, _)), _) => values.push(to_value(text, &ty)?),
        (None, Some(list)) => {
            for (text, quoted) in list {
                if stringy && !quoted {
                    return Err(
                        "Multiple string values or string values with spaces must be \
                                quoted with '\"'."
                            .into(),
                    );
                }
                values.push(to_value(text, &ty)?);
            }
        }
        (None, None) => {}
    }
    group.props.insert(prop.to_string(), Prop { ty, values });
    Ok(())
}

/// `addpropvalue pg/prop [type:] value`.
pub fn addpropvalue(
    pgs: &mut Pgs,
    name: &str,
    ty: Option<&str>,
    value: Value,
) -> Result<(), String> {
    let (pgname, prop) = split_name(name)?;
    let given = ty.map(parse_type).transpose()?;
    let group = pg_mut(pgs, pgname)?;
    match group.props.get_mut(prop) {
        Some(p) => {
            if let Some(t) = given
                && t != p.ty
            {
                return Err(format!(
                    "Property \"{prop}\" is not of type \"{}\".",
                    ty.unwrap_or(t)
                ));
            }
            let v = to_value(value.0, &p.ty)?;
            p.values.push(v);
        }
        None => {
            let t = given.ok_or_else(|| "Type required for new properties.".to_string())?;
            let v = to_value(value.0, t)?;
            group.props.insert(
                prop.to_string(),
                Prop {
                    ty: t.to_string(),
                    values: vec![v],
                },
            );
        }
    }
    Ok(())
}

/// `delpropvalue pg/prop glob`: remove the values matching the glob.
pub fn delpropvalue(pgs: &mut Pgs, name: &str, glob: &str) -> Result<(), String> {
    let (pgname, prop) = split_name(name)?;
    let group = pg_mut(pgs, pgname)?;
    let p = group
        .props
        .get_mut(prop)
        .ok_or_else(|| format!("No such property {pgname}/{prop}."))?;
    p.values.retain(|v| !fnmatch(glob, v));
    Ok(())
}

/// `delprop pg` or `delprop pg/prop`.
pub fn delprop(pgs: &mut Pgs, name: &str) -> Result<(), String> {
    let (pgname, prop) = match name.split_once('/') {
        Some((g, p)) => (g, Some(p)),
        None => (name, None),
    };
    let group = pg_mut(pgs, pgname)?;
    match prop {
        None => {
            pgs.remove(pgname);
        }
        Some(p) => {
            if group.props.remove(p).is_none() {
                return Err(format!("No such property {pgname}/{p}."));
            }
        }
    }
    Ok(())
}

/// `addpg name type [flags]`.
pub fn addpg(pgs: &mut Pgs, name: &str, ty: &str, flags: Option<&str>) -> Result<(), String> {
    if let Some(f) = flags.and_then(|f| f.chars().find(|c| *c != 'P' && *c != 'p')) {
        return Err(format!("Invalid property group flag {f}."));
    }
    if !valid_name(name) || ty.is_empty() {
        return Err("Name, type, or flags are invalid.".into());
    }
    if pgs.contains_key(name) {
        return Err("Property group already exists.".into());
    }
    pgs.insert(
        name.to_string(),
        Pg {
            ty: ty.to_string(),
            props: BTreeMap::new(),
        },
    );
    Ok(())
}

fn quote_for_listing(v: &str, force: bool) -> String {
    if force || v.contains([' ', '\t', '\n', '"', '(', ')']) {
        let escaped = v.replace('\\', "\\\\").replace('"', "\\\"");
        format!(" \"{escaped}\"")
    } else {
        format!(" {v}")
    }
}

/// `listprop [pattern]` (or `listpg`): groups matching the pattern with all their
/// properties, and properties whose `pg/prop` matches; names padded to the longest.
pub fn listprop(pgs: &Pgs, pattern: Option<&str>, only_pgs: bool) -> String {
    enum Item<'a> {
        Group(&'a Pg),
        Prop(&'a Prop),
    }
    let mut items: Vec<(String, Item)> = Vec::new();
    for (name, pg) in pgs {
        let whole = pattern.is_none_or(|p| fnmatch(p, name));
        if whole {
            items.push((name.clone(), Item::Group(pg)));
        }
        if only_pgs {
            continue;
        }
        for (pname, prop) in &pg.props {
            let full = format!("{name}/{pname}");
            if whole || pattern.is_some_and(|p| fnmatch(p, &full)) {
                items.push((full, Item::Prop(prop)));
            }
        }
    }
    let width = items.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
    let mut out = String::new();
    for (name, item) in &items {
        match item {
            Item::Group(pg) => {
                let _ = writeln!(out, "{name:<width$}  {}", pg.ty);
            }
            Item::Prop(p) => {
                let _ = write!(out, "{name:<width$}  {:<7} ", p.ty);
                let force = p.values.len() > 1 && (p.ty == "astring" || p.ty == "ustring");
                for v in &p.values {
                    out.push_str(&quote_for_listing(v, force));
                }
                out.push('\n');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pgs() -> Pgs {
        let mut p = Pgs::new();
        addpg(&mut p, "config", "application", None).unwrap();
        p
    }

    #[test]
    fn setprop_types_quotes_and_messages() {
        let mut p = pgs();
        setprop(
            &mut p,
            None,
            "config/a",
            Some("astring:"),
            Some(("x y", true)),
            None,
        )
        .unwrap();
        setprop(
            &mut p,
            None,
            "config/a",
            None,
            None,
            Some(&[("1", true), ("2", true)]),
        )
        .unwrap();
        assert_eq!(p["config"].props["a"].values, ["1", "2"]);
        let e = setprop(&mut p, None, "config/a", None, None, Some(&[("1", false)])).unwrap_err();
        assert!(e.starts_with("Multiple string values"));
        let e = setprop(&mut p, None, "config/b", None, Some(("x", false)), None).unwrap_err();
        assert_eq!(e, "Type required for new properties.");
        let e = setprop(
            &mut p,
            None,
            "nope/b",
            Some("count:"),
            Some(("1", false)),
            None,
        )
        .unwrap_err();
        assert_eq!(e, "No such property group \"nope\".");
        let e = setprop(
            &mut p,
            None,
            "config/b",
            Some("bool:"),
            Some(("1", false)),
            None,
        )
        .unwrap_err();
        assert_eq!(e, "Unknown type \"bool:\".");
        let e = setprop(
            &mut p,
            None,
            "config/b",
            Some("boolean:"),
            Some(("yes", false)),
            None,
        )
        .unwrap_err();
        assert_eq!(e, "Invalid \"boolean\" value \"yes\".");
        assert_eq!(
            split_name("x").unwrap_err(),
            "Property names must contain a `/'."
        );
    }

    #[test]
    fn listing_pads_names_and_quotes_values() {
        let mut p = pgs();
        setprop(
            &mut p,
            None,
            "config/listen_ifnames",
            Some("astring:"),
            Some(("vnic0", false)),
            None,
        )
        .unwrap();
        setprop(
            &mut p,
            None,
            "config/n",
            Some("count:"),
            None,
            Some(&[("1", false), ("2", false)]),
        )
        .unwrap();
        setprop(
            &mut p,
            None,
            "config/s",
            Some("astring:"),
            None,
            Some(&[("a", true), ("b c", true)]),
        )
        .unwrap();
        assert_eq!(
            listprop(&p, Some("config/listen_ifnames"), false),
            "config/listen_ifnames  astring  vnic0\n"
        );
        assert_eq!(
            listprop(&p, Some("config"), false),
            "config                 application\n\
             config/listen_ifnames  astring  vnic0\n\
             config/n               count    1 2\n\
             config/s               astring  \"a\" \"b c\"\n"
        );
        assert_eq!(listprop(&p, Some("nothing"), false), "");
        assert_eq!(listprop(&p, None, true), "config  application\n");
    }
}

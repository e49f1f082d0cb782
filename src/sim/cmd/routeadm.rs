//! The sim host's `routeadm`: the report (human and `-p`), `-e`/`-d`/`-r` for the next
//! boot, `-s` variables and `-u` to apply, with routeadm.c's messages.

use crate::sim::Ctx;
use crate::sim::net::getopt::Getopt;
use crate::sim::net::{NetStore, ROUTE_VARIABLES};
use crate::sys::routeadm::RouteOption;

const USAGE: &str = "usage: routeadm [-p] [-R <root-dir>]
       routeadm [-e <option>] [-d <option>] [-r <option>]
           [-l <FMRI>] [-m <FMRI> key=value [...]]
           [-s <var>=<val>] [-R <root-dir>]
       routeadm -u

       <option> is one of:
       ipv4-forwarding
       ipv4-routing
       ipv6-forwarding
       ipv6-routing

       <var> is one of:
       ipv4-routing-daemon
       ipv4-routing-daemon-args
       ipv4-routing-stop-cmd
       ipv6-routing-daemon
       ipv6-routing-daemon-args
       ipv6-routing-stop-cmd
       routing-svcs
";

enum Action {
    Persist(RouteOption, bool),
    Revert(RouteOption),
    RevertVar(String),
    SetVar(String, String),
}

fn usage(ctx: &mut Ctx) -> i32 {
    let _ = write!(ctx.err, "{USAGE}");
    1
}

fn fail(ctx: &mut Ctx, msg: &str) -> i32 {
    let _ = writeln!(ctx.err, "routeadm: {msg}");
    1
}

fn is_var(name: &str) -> bool {
    ROUTE_VARIABLES.iter().any(|(n, _, _)| *n == name)
}

pub fn main(ctx: &mut Ctx, args: &[String]) -> i32 {
    let (mut parseable, mut update, mut modify) = (false, false, false);
    let mut param: Option<String> = None;
    let mut actions = Vec::new();
    let mut g = Getopt::new(args, ":bd:e:l:m:p:R:r:s:u", &[]);
    for opt in g.by_ref() {
        let (c, v) = match opt {
            Ok(o) => o,
            // A missing value is fine for -p only (the report of every option).
            Err(e) if e.missing && e.opt == "p" => {
                parseable = true;
                continue;
            }
            Err(e) if e.missing => {
                // routeadm prints the argument after its own "-": "--e".
                let _ = writeln!(ctx.err, "routeadm: option requires an argument --{}", e.opt);
                return usage(ctx);
            }
            Err(_) => return usage(ctx),
        };
        let v = v.unwrap_or_default();
        match c {
            'b' => {}
            'd' | 'e' | 'r' => {
                modify = true;
                if let Some(o) = RouteOption::parse(&v) {
                    actions.push(match c {
                        'd' => Action::Persist(o, false),
                        'e' => Action::Persist(o, true),
                        _ => Action::Revert(o),
                    });
                } else if is_var(&v) {
                    if c != 'r' {
                        return usage(ctx);
                    }
                    actions.push(Action::RevertVar(v));
                } else {
                    let _ = writeln!(ctx.err, "routeadm: invalid option: {v}");
                    return usage(ctx);
                }
            }
            'l' | 'm' | 'R' => {
                return fail(ctx, &format!("-{c}: not supported by the zcon sim host"));
            }
            'p' => {
                parseable = true;
                param = Some(v);
            }
            's' => {
                modify = true;
                for sub in v.split(',').filter(|s| !s.is_empty()) {
                    let Some((name, value)) = sub.split_once('=') else {
                        return usage(ctx);
                    };
                    if !is_var(name) {
                        let _ = writeln!(ctx.err, "routeadm: invalid variable: {v}");
                        return usage(ctx);
                    }
                    actions.push(Action::SetVar(name.into(), value.into()));
                }
            }
            _ => update = true,
        }
    }
    if !g.operands().is_empty() {
        return usage(ctx);
    }
    if parseable && (update || modify) {
        let _ = writeln!(
            ctx.err,
            "routeadm: the -p option cannot be used with any of -demrsu"
        );
        return usage(ctx);
    }
    if update || modify {
        return change(ctx, args, &actions, update);
    }
    report(ctx, parseable, param.as_deref())
}

fn change(ctx: &mut Ctx, args: &[String], actions: &[Action], update: bool) -> i32 {
    if crate::sim::fail::injected(ctx.host, "routeadm", args) {
        return fail(ctx, "cannot connect to SMF repository");
    }
    let Ok(_lock) = ctx.host.lock_exclusive() else {
        return fail(ctx, "cannot connect to SMF repository");
    };
    let mut store = match NetStore::load(ctx.host) {
        Ok(s) => s,
        Err(e) => return fail(ctx, &format!("zcon sim host: {e}")),
    };
    for a in actions {
        match a {
            Action::Persist(o, on) => store.set_route_persistent(*o, *on),
            Action::Revert(o) => store.revert_route(*o),
            Action::RevertVar(v) => {
                store.revert_route_variable(v);
            }
            Action::SetVar(v, value) => {
                store.set_route_variable(v, value);
            }
        }
    }
    if update {
        store.apply_routing();
        // routeadm's forwarding switches are SMF services: -u enables or disables them.
        if let Err(e) = sync_forwarding_services(ctx.host, &store) {
            return fail(ctx, &format!("zcon sim host: {e}"));
        }
    }
    match store.save(ctx.host) {
        Ok(()) => 0,
        Err(e) => fail(ctx, &format!("zcon sim host: {e}")),
    }
}

fn sync_forwarding_services(host: &crate::sim::SimHost, net: &NetStore) -> std::io::Result<()> {
    use crate::sim::smf::{Action as SmfAction, SmfStore};
    let mut smf = SmfStore::load(host)?;
    for (option, fmri) in [
        (
            RouteOption::Ipv4Forwarding,
            crate::sys::smf::IPV4_FORWARDING,
        ),
        (
            RouteOption::Ipv6Forwarding,
            "svc:/network/ipv6-forwarding:default",
        ),
    ] {
        let on = net
            .routing()
            .options
            .get(&option)
            .is_some_and(|o| o.current);
        let action = if on {
            SmfAction::Enable { temporary: false }
        } else {
            SmfAction::Disable { temporary: false }
        };
        smf.request(host, fmri, action);
    }
    smf.save(host)
}

/// ra_report()
fn report(ctx: &mut Ctx, parseable: bool, param: Option<&str>) -> i32 {
    let store = {
        let Ok(_lock) = ctx.host.lock_shared() else {
            return fail(ctx, "cannot connect to SMF repository");
        };
        match NetStore::load(ctx.host) {
            Ok(s) => s,
            Err(e) => return fail(ctx, &format!("zcon sim host: {e}")),
        }
    };
    let routing = store.routing();
    let word = |b: bool| if b { "enabled" } else { "disabled" };
    let mut text = String::new();
    if !parseable {
        text.push_str(
            "              Configuration   Current              Current\n\
             \x20                    Option   Configuration        System State\n\
             ---------------------------------------------------------------\n",
        );
    }
    let mut found = false;
    for o in RouteOption::ALL {
        if param.is_some_and(|p| p != o.as_str()) {
            continue;
        }
        found = true;
        let s = routing.get(o);
        if parseable {
            if param.is_none() {
                text.push_str(&format!("{o} "));
            }
            text.push_str(&format!(
                "persistent={} default={} current={}\n",
                word(s.persistent),
                word(s.default),
                word(s.current)
            ));
        } else {
            text.push_str(&format!(
                "{:>27}   {:<21}{}\n",
                o.label(),
                word(s.persistent),
                word(s.current)
            ));
        }
    }
    if !parseable {
        text.push('\n');
    }
    let unset = |family: &str| {
        ROUTE_VARIABLES
            .iter()
            .filter(|(n, _, _)| n.starts_with(family))
            .all(|(n, _, _)| routing.variable(n).trim().is_empty())
    };
    for (name, label, default) in ROUTE_VARIABLES {
        if param.is_some_and(|p| p != *name) {
            continue;
        }
        found = true;
        let value = routing.variable(name);
        if parseable {
            if param.is_none() {
                text.push_str(&format!("{name} "));
            }
            text.push_str(&format!("persistent=\"{value}\" default=\"{default}\" \n"));
        } else if !(name.starts_with("ipv4") && unset("ipv4")
            || name.starts_with("ipv6") && unset("ipv6"))
        {
            text.push_str(&format!("{label:>27}   \"{value}\"\n"));
        }
    }
    if let Some(p) = param
        && !found
    {
        let _ = write!(ctx.out, "{text}");
        return fail(ctx, &format!("no such option/variable {p}"));
    }
    if !parseable {
        text.push_str("\nRouting daemons:\n\n                      STATE   FMRI\n");
        for (state, fmri) in routing.daemons() {
            text.push_str(&format!("{state:>27}   {fmri}\n"));
        }
    }
    let _ = write!(ctx.out, "{text}");
    0
}

#[cfg(test)]
mod tests {
    use crate::sim::net::{NetStore, Proto};
    use crate::sim::run;
    use crate::sys::routeadm::{self, RouteOption};

    fn host() -> (tempfile::TempDir, crate::sim::SimHost) {
        let dir = tempfile::tempdir().unwrap();
        let host = crate::sim::init::init(&dir.path().join("h"), &Default::default())
            .unwrap()
            .with_speed(0.0);
        (dir, host)
    }

    #[test]
    fn update_switches_the_forwarding_service() {
        use crate::sim::smf::SmfStore;
        let (_d, host) = host();
        let mut smf = SmfStore::load(&host).unwrap();
        smf.add_defaults();
        smf.save(&host).unwrap();
        let state = || {
            SmfStore::load(&host)
                .unwrap()
                .state(crate::sys::smf::IPV4_FORWARDING)
        };
        assert_eq!(state().as_deref(), Some("disabled"));
        assert_eq!(
            run(&host, "routeadm", &["-u", "-e", "ipv4-forwarding"]).code,
            0
        );
        assert_eq!(state().as_deref(), Some("online"));
        assert_eq!(run(&host, "routeadm", &["-e", "ipv6-forwarding"]).code, 0);
        assert_eq!(
            run(&host, "routeadm", &["-d", "ipv4-forwarding", "-u"]).code,
            0
        );
        assert_eq!(state().as_deref(), Some("disabled"));
    }

    #[test]
    fn enable_then_update_round_trips_through_the_sys_parser() {
        let (_d, host) = host();
        let mut store = NetStore::load(&host).unwrap();
        store.add_phys("igb0", 1000, "0:1b:21:aa:bb:c0").unwrap();
        store.create_ip("igb0").unwrap();
        store.save(&host).unwrap();
        let out = run(&host, "routeadm", &["-e", "ipv4-forwarding"]);
        assert_eq!(
            (out.code, out.stdout.as_str(), out.stderr.as_str()),
            (0, "", "")
        );
        let text = run(&host, "routeadm", &["-p"]).stdout;
        assert!(
            text.starts_with(
                "ipv4-routing persistent=disabled default=disabled current=disabled\n"
            ),
            "{text}"
        );
        assert!(text.ends_with(
            "routing-svcs persistent=\"route:default ripng:default\" default=\"route:default ripng:default\" \n"
        ));
        let r = routeadm::parse(&text).unwrap();
        let fwd = r.option(RouteOption::Ipv4Forwarding).unwrap();
        assert!(fwd.persistent && !fwd.current);
        let apply = routeadm::update();
        assert_eq!(run(&host, "routeadm", &[apply.args[0].as_str()]).code, 0);
        let r = routeadm::parse(&run(&host, "routeadm", &["-p"]).stdout).unwrap();
        assert!(r.option(RouteOption::Ipv4Forwarding).unwrap().current);
        let store = NetStore::load(&host).unwrap();
        let v = store
            .ifprop("igb0", Some(Proto::Ipv4), "forwarding")
            .unwrap();
        assert_eq!(v.current, "on");
        let one = run(&host, "routeadm", &["-p", "ipv4-forwarding"]);
        assert_eq!(
            one.stdout,
            "persistent=enabled default=disabled current=enabled\n"
        );
    }

    #[test]
    fn the_human_report_matches_routeadm() {
        let (_d, host) = host();
        assert_eq!(
            run(&host, "routeadm", &["-u", "-e", "ipv6-forwarding"]).code,
            0
        );
        let text = run(&host, "routeadm", &[]).stdout;
        assert_eq!(
            text,
            "              Configuration   Current              Current\n\
             \x20                    Option   Configuration        System State\n\
             ---------------------------------------------------------------\n\
             \x20              IPv4 routing   disabled             disabled\n\
             \x20              IPv6 routing   disabled             disabled\n\
             \x20           IPv4 forwarding   disabled             disabled\n\
             \x20           IPv6 forwarding   enabled              enabled\n\
             \n\
             \x20          Routing services   \"route:default ripng:default\"\n\
             \n\
             Routing daemons:\n\
             \n\
             \x20                     STATE   FMRI\n\
             \x20                  disabled   svc:/network/routing/ripng:default\n\
             \x20                  disabled   svc:/network/routing/legacy-routing:ipv4\n\
             \x20                  disabled   svc:/network/routing/legacy-routing:ipv6\n\
             \x20                  disabled   svc:/network/routing/ndp:default\n\
             \x20                  disabled   svc:/network/routing/rdisc:default\n\
             \x20                  disabled   svc:/network/routing/route:default\n"
        );
    }

    #[test]
    fn bad_usage_is_reported_like_routeadm() {
        let (_d, host) = host();
        let out = run(&host, "routeadm", &["-e", "ipv5-forwarding"]);
        assert_eq!(out.code, 1);
        assert!(
            out.stderr
                .starts_with("routeadm: invalid option: ipv5-forwarding\nusage: routeadm [-p]")
        );
        let out = run(&host, "routeadm", &["-e"]);
        assert!(
            out.stderr
                .starts_with("routeadm: option requires an argument --e\n")
        );
        let out = run(&host, "routeadm", &["-p", "ipv4-forwarding", "-u"]);
        assert!(
            out.stderr
                .starts_with("routeadm: the -p option cannot be used with any of -demrsu\n")
        );
        let out = run(&host, "routeadm", &["-p", "bogus"]);
        assert_eq!(
            (out.code, out.stderr.as_str()),
            (1, "routeadm: no such option/variable bogus\n")
        );
        let out = run(&host, "routeadm", &["-s", "routing-svcs=route:default"]);
        assert_eq!(out.code, 0);
        let r = routeadm::parse(&run(&host, "routeadm", &["-p"]).stdout).unwrap();
        assert_eq!(r.variables.last().unwrap().persistent, "route:default");
        let failing = host.clone().with_fail(Some("routeadm -u"));
        let out = run(&failing, "routeadm", &["-u"]);
        assert_eq!(
            (out.code, out.stderr.as_str()),
            (1, "routeadm: cannot connect to SMF repository\n")
        );
    }
}

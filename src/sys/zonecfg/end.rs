//! `end`: zonecfg's end_func() checks the resource being added or selected (required
//! properties, paths, attr types, duplicates) and stores it. Ending a selected resource
//! replaces it the way libzonecfg does: the old entry goes and the new one is appended,
//! so a modified resource moves to the end of its list.

use super::edit::{EditContext, Editor, Sink, Tab};
use super::lookup::mcap_aliases;
use super::verify::{self, AliasState, alias_by_short, alias_state};

impl Editor {
    /// end_func(): check the resource and store it.
    pub(crate) fn end(&mut self, cx: &EditContext, sink: &mut Sink) {
        let Some(scope) = self.scope.clone() else {
            return;
        };
        let adding = scope.old.is_none();
        let strict = !cx.lenient;
        let (mut failed, mut bad) = (false, false);
        let mut req = |v: &str, p: &str, sink: &mut Sink| {
            let ok = need(v, p, strict, sink);
            failed |= !ok;
            ok
        };
        // A duplicate of what is being added: the message zonecfg prints for it.
        let mut dup: Option<String> = None;
        match &scope.tab {
            Tab::Fs(f) => {
                if req(&f.dir, "dir", sink) && !f.dir.starts_with('/') && strict {
                    sink.note(format!("dir {} is not an absolute path.", f.dir));
                    bad = true;
                }
                req(&f.special, "special", sink);
                if let Some(raw) = f.raw.as_deref().filter(|r| !r.starts_with('/') && strict) {
                    sink.note(format!("raw {raw} is not an absolute path."));
                    bad = true;
                }
                req(&f.fs_type, "type", sink);
                if self.cfg.fs.iter().any(|x| x.dir == f.dir) {
                    dup = Some(format!(
                        "A fs resource with the dir '{}' already exists.",
                        f.dir
                    ));
                }
            }
            Tab::Net(n) => {
                req(n.physical.as_deref().unwrap_or(""), "physical", sink);
                let existing = self.cfg.nets.iter().find(|x| {
                    x.physical == n.physical
                        && x.address == n.address
                        && x.allowed_address == n.allowed_address
                });
                if let Some(x) = existing {
                    let physical = x.physical.as_deref().unwrap_or("");
                    dup = Some(match &x.address {
                        Some(_) => format!(
                            "A net resource with the physical '{physical}', and address '{}' already exists.",
                            n.address.as_deref().unwrap_or("")
                        ),
                        None => format!(
                            "A net resource with the physical '{physical}', and allowed-address '{}' already exists.",
                            x.allowed_address.as_deref().unwrap_or("")
                        ),
                    });
                }
            }
            Tab::Device(d) => {
                req(&d.match_path, "match", sink);
                if self
                    .cfg
                    .devices
                    .iter()
                    .any(|x| x.match_path == d.match_path)
                {
                    dup = Some(format!(
                        "A device resource with the match '{}' already exists.",
                        d.match_path
                    ));
                }
            }
            Tab::Rctl(r) => {
                req(&r.name, "name", sink);
                if r.values.is_empty() && strict {
                    sink.note("no value specified");
                    bad = true;
                }
                if self.cfg.rctls.iter().any(|x| x.name == r.name) {
                    dup = Some(format!(
                        "A rctl resource with the name '{}' already exists.",
                        r.name
                    ));
                }
            }
            Tab::Attr(a, typed) => {
                req(&a.name, "name", sink);
                req(if *typed { "set" } else { "" }, "type", sink);
                req(&a.value, "value", sink);
                if strict {
                    for m in [
                        verify::attr_name_problem(&a.name),
                        verify::attr_value_problem(a.attr_type.as_str(), &a.value),
                    ]
                    .into_iter()
                    .flatten()
                    {
                        sink.note(m);
                        bad = true;
                    }
                }
                if self.cfg.attrs.iter().any(|x| x.name == a.name) {
                    dup = Some(format!(
                        "An attr resource with the name '{}' already exists.",
                        a.name
                    ));
                }
            }
            Tab::Dataset(d) => {
                req(&d.name, "name", sink);
                if self.cfg.datasets.iter().any(|x| x.name == d.name) {
                    dup = Some(format!(
                        "A dataset resource with the name '{}' already exists.",
                        d.name
                    ));
                }
            }
            Tab::Admin(a) => {
                req(&a.user, "user", sink);
                req(&a.auths, "auths", sink);
                if self.cfg.admins.iter().any(|x| x.user == a.user) {
                    dup = Some(format!(
                        "A admin resource with the user '{}' already exists.",
                        a.user
                    ));
                }
            }
            Tab::Pset(p) => {
                req(&p.ncpu_min, "ncpus", sink);
            }
            Tab::CappedCpu => {
                let a = alias_by_short("cpu-cap").expect("alias");
                if !matches!(alias_state(&self.cfg, a), AliasState::Set(_)) {
                    sink.note("ncpus not specified");
                    bad = true;
                }
            }
            Tab::CappedMemory => {
                let limits: Vec<Option<u64>> = mcap_aliases()
                    .map(|a| match alias_state(&self.cfg, a) {
                        AliasState::Set(n) => Some(n),
                        _ => None,
                    })
                    .collect();
                if limits.iter().all(Option::is_none) {
                    sink.note(
                        "No property was specified.  One of physical, swap or locked is required.",
                    );
                    bad = true;
                } else if let (Some(phys), Some(locked)) = (limits[0], limits[2])
                    && phys < locked
                {
                    sink.note("The locked cap must be less than or equal to the physical cap.");
                    bad = true;
                }
            }
            Tab::SecFlags => {}
        }
        if failed || bad {
            sink.saw_error = true;
            return;
        }
        if let Some(msg) = dup.filter(|_| adding && strict) {
            return sink.error(msg);
        }
        self.store(scope.res, scope.tab, scope.old);
        self.scope = None;
        self.dirty = true;
    }
}

/// zonecfg's "X not specified" for a required property left empty.
fn need(v: &str, p: &str, strict: bool, sink: &mut Sink) -> bool {
    if v.is_empty() && strict {
        sink.note(format!("{p} not specified"));
        false
    } else {
        true
    }
}

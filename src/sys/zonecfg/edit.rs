//! zonecfg's editing state machine: the global scope (set/clear of zone properties, add /
//! select / remove of resources) and the resource scope entered by `add` or `select` and
//! left by `end` or `cancel` (see `resource.rs`). Messages are zonecfg's, and whether a
//! message marks the run as failed (`saw_error`) follows zonecfg too: some refusals, such
//! as "Zone … already installed; set zonepath not allowed.", do not.
//!
//! Internally the configuration is kept the way libzonecfg stores it: capped-memory
//! `physical` is the rctl `zone.max-physical-memory`. [`Editor::config`] folds it back into
//! [`ZoneConfig::physical_cap`].

use super::grammar::UsageExtra;
use super::script::{Cmd, CreateFrom, InfoWhat, Prop, ResType, Stmt, Value};
use super::verify::{self, Alias, AliasState, Verdict, ZErr, alias_by_short, alias_state};
use super::{
    Admin, Attr, DatasetResource, DedicatedCpu, Device, Fs, IpType, Net, Rctl, RctlValue,
    ZoneConfig,
};

/// What the editor needs to know about the zone and the session.
#[derive(Debug, Clone, Default)]
pub struct EditContext {
    /// The zone is installed (or further): zonepath and brand are fixed.
    pub installed: bool,
    /// Configuring the global zone (`zonecfg -z global`).
    pub global_zone: bool,
    /// Accept values zonecfg would refuse (reading the export of any existing zone).
    pub lenient: bool,
    /// zonecfg runs "interactively" (commands on stdin): where it would ask a question it
    /// cannot ask, it says "Resource incomplete." instead of refusing outright.
    pub interactive: bool,
    /// Check the brand exists and run its verify hook in `verify`.
    pub check_brand: bool,
}

/// One line (or block) zonecfg prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Out {
    /// zerr(): stderr, after "On line N of FILE:" in command-file mode.
    Zerr(String),
    /// Plain stderr text (help blocks), printed as is.
    Stderr(String),
    /// stdout text, printed as is.
    Stdout(String),
    /// A command's usage on stderr: short, or `long` with its description, then `extra`.
    Usage {
        cmd: Cmd,
        long: bool,
        extra: UsageExtra,
    },
}

impl Out {
    pub fn text(&self) -> String {
        match self {
            Out::Zerr(s) | Out::Stderr(s) | Out::Stdout(s) => s.trim_end().to_string(),
            Out::Usage { cmd, .. } => format!("usage: {}", super::grammar::short_usage(*cmd)),
        }
    }
}

/// What a command printed, and whether zonecfg counts it as an error.
#[derive(Debug, Default)]
pub struct Sink {
    pub lines: Vec<Out>,
    pub saw_error: bool,
}

impl Sink {
    /// zerr() without marking an error.
    pub fn note(&mut self, msg: impl Into<String>) {
        self.lines.push(Out::Zerr(msg.into()));
    }

    /// zerr() and saw_error.
    pub fn error(&mut self, msg: impl Into<String>) {
        self.note(msg);
        self.saw_error = true;
    }

    /// zone_perror(prefix, err, B_TRUE).
    pub fn perror(&mut self, prefix: &str, err: ZErr) {
        self.error(format!("{prefix}: {}", err.text()));
    }

    pub fn stdout(&mut self, text: impl Into<String>) {
        self.lines.push(Out::Stdout(text.into()));
    }

    pub fn usage(&mut self, cmd: Cmd, long: bool, extra: UsageExtra) {
        self.lines.push(Out::Usage { cmd, long, extra });
        self.saw_error = true;
    }

    pub fn extend(&mut self, lines: Vec<Out>) {
        self.lines.extend(lines);
    }
}

/// The resource being added or selected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Tab {
    Fs(Fs),
    Net(Net),
    Device(Device),
    Rctl(Rctl),
    /// The attr, and whether its type has been set.
    Attr(Attr, bool),
    Dataset(DatasetResource),
    Admin(Admin),
    Pset(DedicatedCpu),
    /// capped-cpu and capped-memory edit their rctls directly.
    CappedCpu,
    CappedMemory,
    /// Accepted and discarded: the zone model has no security-flags.
    SecFlags,
}

#[derive(Debug, Clone)]
pub(crate) struct Scope {
    pub res: ResType,
    pub tab: Tab,
    /// The selected resource as it was (None for `add`).
    pub old: Option<Tab>,
}

/// A configuration being edited with zonecfg's commands.
#[derive(Debug, Clone)]
pub struct Editor {
    pub(crate) cfg: ZoneConfig,
    pub(crate) scope: Option<Scope>,
    /// Changes not committed yet (zonecfg's need_to_commit).
    pub dirty: bool,
}

pub(crate) const PHYS_RCTL: &str = "zone.max-physical-memory";

/// physical_cap as libzonecfg stores it: the rctl zone.max-physical-memory.
pub(crate) fn to_rctl_form(mut cfg: ZoneConfig) -> ZoneConfig {
    if let Some(cap) = cfg.physical_cap.take()
        && !cfg.rctls.iter().any(|r| r.name == PHYS_RCTL)
    {
        cfg.set_rctl(PHYS_RCTL, &cap.to_string(), "deny");
    }
    cfg
}

/// The rctl zone.max-physical-memory, when it is in the alias form, as physical_cap.
pub(crate) fn from_rctl_form(mut cfg: ZoneConfig) -> ZoneConfig {
    let phys = alias_by_short("max-physical-memory").expect("alias table has it");
    if let AliasState::Set(n) = alias_state(&cfg, phys)
        && cfg.physical_cap.is_none()
    {
        cfg.physical_cap = Some(n);
        cfg.remove_rctl(PHYS_RCTL);
    }
    cfg
}

/// The templates zonecfg always has: SUNWblank, SUNWdefault and OmniOS's per-brand
/// OMNI<brand> (each an exclusive-IP zone of that brand).
pub fn builtin_template(from: &CreateFrom, zone: &str) -> Option<ZoneConfig> {
    let mut cfg = ZoneConfig::blank(zone);
    match from.template_name()?.as_str() {
        "SUNWblank" => {}
        "SUNWdefault" => cfg.brand = verify::DEFAULT_BRAND.into(),
        t => {
            let brand = t.strip_prefix("OMNI")?;
            if !verify::OMNIOS_BRANDS.contains(&brand) {
                return None;
            }
            cfg.brand = brand.into();
            cfg.ip_type = IpType::Exclusive;
        }
    }
    Some(cfg)
}

impl Editor {
    pub fn new(cfg: ZoneConfig) -> Editor {
        Editor {
            cfg: to_rctl_form(cfg),
            scope: None,
            dirty: false,
        }
    }

    /// The configuration as edited so far (pending resource not included).
    pub fn config(&self) -> ZoneConfig {
        from_rctl_form(self.cfg.clone())
    }

    pub fn name(&self) -> &str {
        &self.cfg.name
    }

    /// Rename (the caller has checked the name).
    pub fn set_name(&mut self, name: &str) {
        self.cfg.name = name.to_string();
        self.dirty = true;
    }

    pub fn in_resource_scope(&self) -> bool {
        self.scope.is_some()
    }

    pub fn resource_scope(&self) -> Option<ResType> {
        self.scope.as_ref().map(|s| s.res)
    }

    /// `verify` as zonecfg runs it on this configuration.
    pub fn verify(&self, cx: &EditContext) -> (Vec<Out>, Verdict) {
        verify::verify(&self.config(), cx, self.in_resource_scope())
    }

    /// What `info …` prints now.
    pub fn info(&self, what: &InfoWhat, cx: &EditContext) -> String {
        match &self.scope {
            Some(scope) => super::info::render_tab(&self.cfg, &scope.tab),
            None => super::info::render_what(&self.cfg, what, cx.global_zone),
        }
    }

    /// Run one editing command. Session commands (create, delete, commit, revert, export,
    /// exit, help) belong to the caller and are ignored here.
    pub fn exec(&mut self, stmt: &Stmt, cx: &EditContext, sink: &mut Sink) {
        let in_res = self.scope.is_some();
        match stmt {
            Stmt::Add(res) if !in_res => self.add_resource(*res, cx, sink),
            Stmt::Add(_) => sink.usage(Cmd::Add, true, UsageExtra::None),
            Stmt::AddProp(p, v) if in_res => self.add_property(*p, v, cx, sink),
            Stmt::AddProp(..) => sink.usage(Cmd::Add, true, UsageExtra::None),
            Stmt::Cancel => {
                if !in_res {
                    scope_usage(Cmd::Cancel, true, sink);
                }
                self.scope = None;
            }
            Stmt::Clear(p) if in_res => self.clear_property(*p, sink),
            Stmt::Clear(p) => self.clear_global(*p, cx, sink),
            Stmt::End if in_res => self.end(cx, sink),
            Stmt::End => scope_usage(Cmd::End, true, sink),
            Stmt::Remove { force, res, filter } if !in_res => {
                self.remove_resource(*force, *res, filter, cx, sink)
            }
            Stmt::Remove { .. } => sink.usage(Cmd::Remove, true, UsageExtra::None),
            Stmt::RemoveProp(p, v) if in_res => self.remove_property(*p, v, sink),
            Stmt::RemoveProp(..) => sink.usage(Cmd::Remove, true, UsageExtra::None),
            Stmt::Select(res, filter) if !in_res => self.select(*res, filter, sink),
            Stmt::Select(..) => scope_usage(Cmd::Select, false, sink),
            Stmt::Set { prop, value, force } => self.set(*prop, value, *force, cx, sink),
            Stmt::Info(what) => sink.stdout(self.info(what, cx)),
            Stmt::Verify => {
                let (lines, verdict) = self.verify(cx);
                sink.extend(lines);
                if let Verdict::Failed(code) = verdict {
                    sink.perror(&self.cfg.name, code);
                }
            }
            _ => {}
        }
    }

    fn set(&mut self, prop: Prop, value: &Value, force: bool, cx: &EditContext, sink: &mut Sink) {
        if let Some(scope) = &self.scope {
            if force {
                return sink.error("Only zonepath setting can be forced.");
            }
            let res = scope.res;
            return self.set_property(res, prop, value, cx, sink);
        }
        if cx.global_zone && gz_invalid_property(prop) {
            return sink.error(format!(
                "{} is not a valid property for the global zone.",
                prop.as_str()
            ));
        }
        if !is_global_prop(prop) {
            return sink.error("Cannot set a resource-specific property from the global scope.");
        }
        if force {
            return sink.error(if prop == Prop::Zonepath {
                "Zonepath is changeable only in an alternate root."
            } else {
                "Only zonepath setting can be forced."
            });
        }
        let Some(v) = value.simple() else {
            return sink.error("A simple value was expected here.");
        };
        let zone = self.cfg.name.clone();
        let opt = |v: &str| (!v.is_empty()).then(|| v.to_string());
        match prop {
            Prop::Zonename => match zonename_problem(v) {
                Some(err) => {
                    sink.perror(v, err);
                    sink.lines.push(Out::Stderr(SYNTAX_HELP.into()));
                }
                None if v == zone => {}
                None => self.set_name(v),
            },
            Prop::Zonepath | Prop::Brand if cx.installed => {
                sink.note(format!(
                    "Zone {zone} already installed; set {} not allowed.",
                    prop.as_str()
                ));
                return;
            }
            Prop::Zonepath => match verify::zonepath_problem(v) {
                Some(m) if !cx.lenient => sink.error(m),
                _ => self.cfg.zonepath = verify::normalize_zonepath(v),
            },
            Prop::Brand => self.cfg.brand = v.to_string(),
            Prop::Autoboot => match v {
                "true" | "false" => self.cfg.autoboot = v == "true",
                _ => sink.error("autoboot value must be 'true' or 'false'."),
            },
            Prop::Pool if v.starts_with("SUNW") => {
                sink.error("pool names starting with SUNW are reserved.")
            }
            Prop::Pool if self.cfg.dedicated_cpu.is_some() => sink.error(
                "The dedicated-cpu resource already exists.  A persistent pool is incompatible\n\
                 with the dedicated-cpu resource.",
            ),
            Prop::Pool => self.cfg.pool = opt(v),
            Prop::Limitpriv => self.cfg.limitpriv = opt(v),
            Prop::Bootargs => self.cfg.bootargs = opt(v),
            Prop::SchedulingClass => self.cfg.scheduling_class = opt(v),
            Prop::IpType => match IpType::parse(v).filter(|_| v != "excl") {
                Some(t) => self.cfg.ip_type = t,
                None => sink.error("ip-type value must be 'shared' or 'exclusive'."),
            },
            Prop::Hostid => self.cfg.hostid = opt(v),
            Prop::FsAllowed => self.cfg.fs_allowed = opt(v),
            _ => {
                let alias = alias_by_short(prop.as_str()).expect("global props are aliases");
                return self.set_alias(alias, prop, v, cx, sink);
            }
        }
        if !sink.saw_error {
            self.dirty = true;
        }
    }

    /// set_aliased_rctl().
    fn set_alias(&mut self, a: &Alias, prop: Prop, v: &str, cx: &EditContext, sink: &mut Sink) {
        let limit = if prop == Prop::MaxShmMemory {
            match verify::str_to_bytes(v) {
                Some(n) => n.to_string(),
                None => {
                    return sink.error(
                        "A non-negative number with a required scale suffix (K, M, G or T) was expected\nhere.",
                    );
                }
            }
        } else {
            v.to_string()
        };
        if alias_state(&self.cfg, a) == AliasState::Other {
            sink.note(format!("{}: {}", prop.as_str(), ZErr::AliasDisallow.text()));
            sink.saw_error = true;
            return;
        }
        match verify::valid_uint(&limit) {
            Some(n) if n >= a.low || cx.lenient => {
                self.cfg.set_rctl(a.rctl, &limit, a.action);
                self.dirty = true;
            }
            _ => sink.error(format!("{} property is out of range.", prop.as_str())),
        }
    }

    fn clear_global(&mut self, prop: Prop, cx: &EditContext, sink: &mut Sink) {
        if cx.global_zone && gz_invalid_property(prop) {
            return sink.error(format!(
                "{} is not a valid property for the global zone.",
                prop.as_str()
            ));
        }
        let c = &mut self.cfg;
        match prop {
            Prop::Zonename | Prop::Zonepath | Prop::Brand => {
                return sink.perror(prop.as_str(), ZErr::ClearDisallow);
            }
            Prop::Autoboot => c.autoboot = false,
            Prop::Pool => c.pool = None,
            Prop::Limitpriv => c.limitpriv = None,
            Prop::Bootargs => c.bootargs = None,
            Prop::SchedulingClass => c.scheduling_class = None,
            Prop::IpType => c.ip_type = IpType::Shared,
            Prop::Hostid => c.hostid = None,
            Prop::FsAllowed => c.fs_allowed = None,
            _ => match alias_by_short(prop.as_str()).filter(|_| is_global_prop(prop)) {
                Some(a) => match alias_state(c, a) {
                    AliasState::Set(_) => {
                        c.remove_rctl(a.rctl);
                    }
                    state => {
                        let err = if state == AliasState::Absent {
                            ZErr::NoEntry
                        } else {
                            ZErr::AliasDisallow
                        };
                        return sink.error(format!("clear {}: {}", prop.as_str(), err.text()));
                    }
                },
                None => {
                    sink.perror(prop.as_str(), ZErr::NoPropertyType);
                    sink.usage(Cmd::Clear, true, UsageExtra::Props);
                    return;
                }
            },
        }
        self.dirty = true;
    }
}

/// scope_usage(): a command run in the wrong scope. `needs_resource` says which.
fn scope_usage(cmd: Cmd, needs_resource: bool, sink: &mut Sink) {
    let scope = if needs_resource { "resource" } else { "global" };
    sink.error(format!(
        "The {} command only makes sense in the {scope} scope.",
        cmd.as_str()
    ));
}

/// zonecfg's HELP_SYNTAX block, printed after a bad zone name.
pub const SYNTAX_HELP: &str = "\n<zone> := [A-Za-z0-9][A-Za-z0-9_.-]*\n\
\t(except the reserved words 'global' and anything starting with 'SUNW')\n\
\tName must be less than 64 characters.\n";

/// zonecfg_validate_zonename() (and set_name's refusal of SUNW names).
pub fn zonename_problem(name: &str) -> Option<ZErr> {
    let ok = name != "global"
        && !name.starts_with("SUNW")
        && crate::sys::zonename::validate(name).is_ok();
    (!ok).then_some(ZErr::BogusZoneName)
}

fn is_global_prop(p: Prop) -> bool {
    use Prop::*;
    matches!(
        p,
        Zonename
            | Zonepath
            | Autoboot
            | Brand
            | Pool
            | Limitpriv
            | Bootargs
            | SchedulingClass
            | IpType
            | MaxLwps
            | MaxProcesses
            | MaxShmMemory
            | MaxShmIds
            | MaxMsgIds
            | MaxSemIds
            | CpuShares
            | Hostid
            | FsAllowed
            | ZfsIoPriority
    )
}

fn gz_invalid_property(p: Prop) -> bool {
    use Prop::*;
    matches!(
        p,
        Zonename
            | Zonepath
            | Autoboot
            | Limitpriv
            | Bootargs
            | Brand
            | SchedulingClass
            | IpType
            | Hostid
            | FsAllowed
    )
}

/// A new rctl value, as zonecfg builds it from `(priv=…,limit=…,action=…)`.
pub(crate) fn rctl_value(p: &str, l: &str, a: &str) -> RctlValue {
    RctlValue {
        privilege: p.into(),
        limit: l.into(),
        action: a.into(),
    }
}

//! The zonecfg(8) command language, as OmniOS's zonecfg reads it (`zonecfg_lex.l`,
//! `zonecfg_grammar.y`): commands separated by newlines or `;`, `#` comments at the start
//! of a command, `set prop=value`, lists `[a,b]`, complex values `(name=N,value="V")`.
//!
//! - [`parse`] turns text into typed statements, failing with the line and the offending
//!   token like zonecfg's "syntax error … at 'x'".
//! - [`apply`] runs statements against a [`ZoneConfig`] with zonecfg's scope rules and
//!   validation (the sim's zonecfg runs the same [`Editor`]).
//! - [`parse_export`] / [`render_export`] read and write `zonecfg -z Z export` output.
//! - [`create_script`] / [`modify_script`] write command files for zcon's own changes,
//!   quoting every user value so that it stays data.

use serde::Serialize;

use super::ZoneConfig;
use crate::sys::ParseError;

pub use super::edit::{
    EditContext, Editor, Out, SYNTAX_HELP, Sink, builtin_template, zonename_problem,
};
pub use super::export::{parse_export, render_export};
pub use super::generate::{create_script, modify_script, quote, template_script};
pub use super::grammar::short_usage;

/// A zonecfg command word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Cmd {
    Add,
    Cancel,
    Clear,
    Commit,
    Create,
    Delete,
    End,
    Exit,
    Export,
    Help,
    Info,
    Remove,
    Revert,
    Select,
    Set,
    Verify,
}

impl Cmd {
    /// In zonecfg's help-table order.
    pub const ALL: [Cmd; 16] = [
        Cmd::Add,
        Cmd::Cancel,
        Cmd::Clear,
        Cmd::Commit,
        Cmd::Create,
        Cmd::Delete,
        Cmd::End,
        Cmd::Exit,
        Cmd::Export,
        Cmd::Help,
        Cmd::Info,
        Cmd::Remove,
        Cmd::Revert,
        Cmd::Select,
        Cmd::Set,
        Cmd::Verify,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Cmd::Add => "add",
            Cmd::Cancel => "cancel",
            Cmd::Clear => "clear",
            Cmd::Commit => "commit",
            Cmd::Create => "create",
            Cmd::Delete => "delete",
            Cmd::End => "end",
            Cmd::Exit => "exit",
            Cmd::Export => "export",
            Cmd::Help => "help",
            Cmd::Info => "info",
            Cmd::Remove => "remove",
            Cmd::Revert => "revert",
            Cmd::Select => "select",
            Cmd::Set => "set",
            Cmd::Verify => "verify",
        }
    }
}

/// A resource type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ResType {
    Fs,
    Net,
    Device,
    Rctl,
    Attr,
    Dataset,
    DedicatedCpu,
    CappedCpu,
    CappedMemory,
    Admin,
    SecurityFlags,
}

const RES_NAMES: &[(ResType, &str)] = &[
    (ResType::Fs, "fs"),
    (ResType::Net, "net"),
    (ResType::Device, "device"),
    (ResType::Rctl, "rctl"),
    (ResType::Attr, "attr"),
    (ResType::Dataset, "dataset"),
    (ResType::DedicatedCpu, "dedicated-cpu"),
    (ResType::CappedCpu, "capped-cpu"),
    (ResType::CappedMemory, "capped-memory"),
    (ResType::Admin, "admin"),
    (ResType::SecurityFlags, "security-flags"),
];

impl ResType {
    pub fn as_str(self) -> &'static str {
        RES_NAMES
            .iter()
            .find(|(r, _)| *r == self)
            .map_or("unknown", |(_, s)| s)
    }

    pub fn from_keyword(word: &str) -> Option<ResType> {
        RES_NAMES.iter().find(|(_, s)| *s == word).map(|(r, _)| *r)
    }

    /// Resources of which a zone has at most one (selected without properties).
    pub fn is_singleton(self) -> bool {
        matches!(
            self,
            ResType::DedicatedCpu
                | ResType::CappedCpu
                | ResType::CappedMemory
                | ResType::SecurityFlags
        )
    }
}

/// A property name (global, resource or complex-value member).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Prop {
    Zonename,
    Zonepath,
    Autoboot,
    Pool,
    Dir,
    Special,
    Type,
    Options,
    Address,
    Physical,
    Name,
    Value,
    Match,
    Priv,
    Limit,
    Action,
    Raw,
    Limitpriv,
    Bootargs,
    Brand,
    Ncpus,
    Importance,
    Swap,
    Locked,
    CpuShares,
    MaxLwps,
    MaxShmMemory,
    MaxShmIds,
    MaxMsgIds,
    MaxSemIds,
    SchedulingClass,
    IpType,
    Defrouter,
    Hostid,
    User,
    Auths,
    FsAllowed,
    MaxProcesses,
    AllowedAddress,
    Default,
    Lower,
    Upper,
    MacAddr,
    VlanId,
    GlobalNic,
    Property,
    ZfsIoPriority,
}

const PROP_NAMES: &[(Prop, &str)] = &[
    (Prop::Zonename, "zonename"),
    (Prop::Zonepath, "zonepath"),
    (Prop::Autoboot, "autoboot"),
    (Prop::Pool, "pool"),
    (Prop::Dir, "dir"),
    (Prop::Special, "special"),
    (Prop::Type, "type"),
    (Prop::Options, "options"),
    (Prop::Address, "address"),
    (Prop::Physical, "physical"),
    (Prop::Name, "name"),
    (Prop::Value, "value"),
    (Prop::Match, "match"),
    (Prop::Priv, "priv"),
    (Prop::Limit, "limit"),
    (Prop::Action, "action"),
    (Prop::Raw, "raw"),
    (Prop::Limitpriv, "limitpriv"),
    (Prop::Bootargs, "bootargs"),
    (Prop::Brand, "brand"),
    (Prop::Ncpus, "ncpus"),
    (Prop::Importance, "importance"),
    (Prop::Swap, "swap"),
    (Prop::Locked, "locked"),
    (Prop::CpuShares, "cpu-shares"),
    (Prop::MaxLwps, "max-lwps"),
    (Prop::MaxShmMemory, "max-shm-memory"),
    (Prop::MaxShmIds, "max-shm-ids"),
    (Prop::MaxMsgIds, "max-msg-ids"),
    (Prop::MaxSemIds, "max-sem-ids"),
    (Prop::SchedulingClass, "scheduling-class"),
    (Prop::IpType, "ip-type"),
    (Prop::Defrouter, "defrouter"),
    (Prop::Hostid, "hostid"),
    (Prop::User, "user"),
    (Prop::Auths, "auths"),
    (Prop::FsAllowed, "fs-allowed"),
    (Prop::MaxProcesses, "max-processes"),
    (Prop::AllowedAddress, "allowed-address"),
    (Prop::Default, "default"),
    (Prop::Lower, "lower"),
    (Prop::Upper, "upper"),
    (Prop::MacAddr, "mac-addr"),
    (Prop::VlanId, "vlan-id"),
    (Prop::GlobalNic, "global-nic"),
    (Prop::Property, "property"),
    (Prop::ZfsIoPriority, "zfs-io-priority"),
];

impl Prop {
    pub fn as_str(self) -> &'static str {
        PROP_NAMES
            .iter()
            .find(|(p, _)| *p == self)
            .map_or("unknown", |(_, s)| s)
    }

    pub fn from_keyword(word: &str) -> Option<Prop> {
        PROP_NAMES.iter().find(|(_, s)| *s == word).map(|(p, _)| *p)
    }
}

/// A property value: `v`, `(k=v,…)` or `[v,(k=v,…),…]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Value {
    Simple(String),
    Complex(Vec<(Prop, String)>),
    List(Vec<Value>),
}

impl Value {
    pub fn simple(&self) -> Option<&str> {
        match self {
            Value::Simple(s) => Some(s),
            _ => None,
        }
    }
}

/// Where `create` takes the new configuration from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum CreateFrom {
    /// `create`: the `SUNWdefault` template.
    Default,
    /// `create -b`: `SUNWblank`.
    Blank,
    /// `create -t NAME`: OmniOS prefixes a name that does not start upper-case with `OMNI`.
    Template(String),
    /// `create -a PATH`: a detached zonepath.
    Attach(String),
}

impl CreateFrom {
    /// The template zone whose configuration is copied.
    pub fn template_name(&self) -> Option<String> {
        match self {
            CreateFrom::Default => Some("SUNWdefault".into()),
            CreateFrom::Blank => Some("SUNWblank".into()),
            CreateFrom::Template(t) if t.starts_with(|c: char| c.is_ascii_uppercase()) => {
                Some(t.clone())
            }
            CreateFrom::Template(t) => Some(format!("OMNI{t}")),
            CreateFrom::Attach(_) => None,
        }
    }
}

/// What `info` shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum InfoWhat {
    All,
    /// A global property (`info zonepath`, `info max-lwps` …).
    Prop(Prop),
    /// Resources of one type, optionally filtered by `prop=value` pairs.
    Res(ResType, Vec<(Prop, Value)>),
}

/// One zonecfg command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Stmt {
    /// `add RES` (global scope): start a new resource.
    Add(ResType),
    /// `add PROP VALUE` (resource scope): fs options, rctl values, net/device properties.
    AddProp(Prop, Value),
    Cancel,
    Clear(Prop),
    Commit,
    Create {
        force: bool,
        from: CreateFrom,
    },
    Delete {
        force: bool,
    },
    End,
    Exit {
        force: bool,
    },
    Export {
        file: Option<String>,
    },
    Help(Option<String>),
    Info(InfoWhat),
    Remove {
        force: bool,
        res: ResType,
        filter: Vec<(Prop, Value)>,
    },
    /// `remove PROP VALUE` (resource scope).
    RemoveProp(Prop, Value),
    Revert {
        force: bool,
    },
    Select(ResType, Vec<(Prop, Value)>),
    /// `set PROP=VALUE`; `force` is `set -F zonepath=…`.
    Set {
        prop: Prop,
        value: Value,
        force: bool,
    },
    Verify,
}

impl Stmt {
    /// Whether the command can change the configuration or the host.
    pub fn is_mutating(&self) -> bool {
        !matches!(
            self,
            Stmt::Info(_) | Stmt::Export { .. } | Stmt::Help(_) | Stmt::Verify | Stmt::Exit { .. }
        )
    }
}

/// Parse a command text into statements. Fails at the first syntax error (with the line
/// and the token zonecfg would name) or bad command usage.
pub fn parse(text: &str) -> Result<Vec<Stmt>, ParseError> {
    Ok(parse_lines(text, "zonecfg")?
        .into_iter()
        .map(|(_, s)| s)
        .collect())
}

/// Like [`parse`], keeping the line each statement starts on. `source` names the text in
/// errors.
pub fn parse_lines(text: &str, source: &str) -> Result<Vec<(usize, Stmt)>, ParseError> {
    use super::grammar::{ItemKind, parse_items};
    let mut out = Vec::new();
    for item in parse_items(text) {
        match item.kind {
            ItemKind::Stmt(s) => out.push((item.line, s)),
            ItemKind::Syntax { near, line, at_eof } => {
                let msg = if at_eof {
                    "syntax error: the last command has no terminating newline or ';'".into()
                } else {
                    format!("syntax error at '{}'", display_near(&near))
                };
                return Err(ParseError::new(source, line, msg));
            }
            ItemKind::Usage { cmd, .. } => {
                let usage = short_usage(cmd).replace("\n\t", " ").replace('\n', " | ");
                return Err(ParseError::new(
                    source,
                    item.line,
                    format!("bad use of '{}': usage: {usage}", cmd.as_str()),
                ));
            }
        }
    }
    Ok(out)
}

/// yytext as zonecfg prints it: a newline shows as `\n`.
pub(crate) fn display_near(near: &str) -> &str {
    if near.starts_with('\n') { "\\n" } else { near }
}

/// Run statements against `cfg` with zonecfg's rules (scopes, required properties,
/// duplicate checks, value validation). Commands that need a host (`create -t`, `delete`,
/// `commit`, `export`, `info` …) are accepted and change nothing, except `create -b`, which
/// starts over from a blank configuration. Fails with the first error zonecfg would print;
/// the line number is the statement's position in `stmts`.
pub fn apply(cfg: &mut ZoneConfig, stmts: &[Stmt]) -> Result<(), ParseError> {
    let numbered: Vec<(usize, Stmt)> = stmts
        .iter()
        .cloned()
        .enumerate()
        .map(|(i, s)| (i + 1, s))
        .collect();
    apply_lines(cfg, &numbered, &EditContext::default(), "zonecfg")
}

/// [`apply`] with explicit line numbers and context.
pub fn apply_lines(
    cfg: &mut ZoneConfig,
    stmts: &[(usize, Stmt)],
    cx: &EditContext,
    source: &str,
) -> Result<(), ParseError> {
    let mut editor = Editor::new(std::mem::take(cfg));
    for (line, stmt) in stmts {
        let mut sink = Sink::default();
        match stmt {
            Stmt::Create { from, .. } => {
                let name = editor.cfg.name.clone();
                if let Some(fresh) = super::edit::builtin_template(from, &name) {
                    editor = Editor::new(fresh);
                }
            }
            Stmt::Delete { .. }
            | Stmt::Commit
            | Stmt::Revert { .. }
            | Stmt::Export { .. }
            | Stmt::Help(_)
            | Stmt::Exit { .. }
            | Stmt::Info(_) => {}
            _ => editor.exec(stmt, cx, &mut sink),
        }
        if sink.saw_error {
            let msg = sink
                .lines
                .iter()
                .map(Out::text)
                .collect::<Vec<_>>()
                .join("; ");
            return Err(ParseError::new(source, *line, msg));
        }
    }
    if editor.in_resource_scope() {
        return Err(ParseError::new(
            source,
            stmts.last().map_or(0, |(l, _)| *l),
            "resource specification incomplete (missing 'end')",
        ));
    }
    *cfg = editor.config();
    Ok(())
}

#[cfg(test)]
#[path = "script_tests.rs"]
mod tests;

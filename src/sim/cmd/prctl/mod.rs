//! The sim host's `prctl` (usr/src/cmd/prctl/prctl.c) on zones: `-i zone` operands (name
//! or id), `-n NAME`, `-t basic|privileged|system`, `-P`, and the changes `-v VALUE` with
//! `-s` (add), `-r` (replace the first value of that privilege) or `-x` (delete). Option
//! checks, messages and statuses follow prctl.c: a bad command line is the message, the
//! usage text and status 2; a zone that cannot be acted on is status 1.
//!
//! Not emulated (usage text and status 2 instead): processes, tasks and projects as
//! operands (the default `-i process` included), `-e`/`-d` (enabling and disabling
//! actions) and `-p` recipients. Only the zone-wide controls exist: another name is
//! refused like an unknown one.

pub(super) mod live;
mod ops;
mod print;
pub(super) mod rctls;

use super::svcs::getopt::getopt;
use crate::sim::Ctx;

const USAGE: &str = "usage:
    Report resource control values and actions:
\tprctl [-P] [-t [basic | privileged | system]
\t[-n name] [-i process | task | project | zone] id ...
\t-P space delimited output
\t-t privilege level of rctl values to get
\t-n name of resource control values to get
\t-i idtype of operand list
    Manipulate resource control values:
\tprctl [-t [basic | privileged | system]
\t-n name [-srx] [-v value] [-p pid ] [-e | -d action]
\t[-i process | task | project | zone] id ...
\t-t privilege level of rctl value to set/replace/delete/modify
\t-n name of resource control to set/replace/delete/modify
\t-s set new resource control value
\t-r replace first rctl value of matching privilege
\t-x delete first rctl value of matching privilege, value, and 
\t   recipient pid
\t-v value of rctl to set/replace/delete/modify
\t-p recipient pid of rctl to set/replace/delete/modify
\t-e enable action of first rctl value of matching privilege,
\t   value, and recipient pid
\t-d disable action of first rctl value of matching privilege,
\t   value, and recipient pid
\t-i idtype of operand list
";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Priv {
    Basic,
    Privileged,
    System,
}

impl Priv {
    fn name(self) -> &'static str {
        match self {
            Priv::Basic => "basic",
            Priv::Privileged => "privileged",
            Priv::System => "system",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Op {
    Set,
    Replace,
    Delete,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Entity {
    Process,
    Task,
    Project,
    Zone,
}

/// A checked command line.
#[derive(Debug)]
pub(super) struct Request {
    pub op: Option<Op>,
    /// `-n`; `def` is None when the kernel has no such zone control.
    pub name: Option<String>,
    pub def: Option<&'static rctls::Def>,
    pub privilege: Option<Priv>,
    /// `-v`, read in the control's unit.
    pub value: Option<u64>,
    pub parseable: bool,
    pub operands: Vec<String>,
}

fn warn(ctx: &mut Ctx, msg: &str) {
    let _ = writeln!(ctx.err, "prctl: {msg}");
}

fn usage(ctx: &mut Ctx) -> i32 {
    let _ = write!(ctx.err, "{USAGE}");
    2
}

pub fn main(ctx: &mut Ctx, args: &[String]) -> i32 {
    let request = match parse_args(ctx, args) {
        Ok(r) => r,
        Err(status) => return status,
    };
    if request.op.is_some() && crate::sim::fail::injected(ctx.host, "prctl", args) {
        // Pgrab() refusing the zone's processes (another tool holds them): nothing changes.
        let operand = &request.operands[0];
        warn(
            ctx,
            &format!("{operand}: No controllable process found in task, project, or zone."),
        );
        return 1;
    }
    match ops::run(ctx, &request) {
        Ok(status) => status,
        Err(e) => {
            warn(ctx, &format!("zcon sim: {e}"));
            1
        }
    }
}

/// Options and their checks, in prctl.c's order. Err is the exit status (the messages and
/// usage already printed).
fn parse_args(ctx: &mut Ctx, args: &[String]) -> Result<Request, i32> {
    let parsed = match getopt(args, "sPp:Fd:e:i:n:rt:v:x") {
        Ok(p) => p,
        Err(msg) => {
            warn(ctx, &msg);
            warn(ctx, "unknown option");
            return Err(usage(ctx));
        }
    };
    let mut errflg = false;
    let mut entity = Entity::Process;
    let (mut set, mut replace, mut delete, mut enable, mut disable) =
        (false, false, false, false, false);
    let mut name: Option<String> = None;
    let mut privilege = None;
    let mut value_text: Option<String> = None;
    let mut pid: Option<String> = None;
    let mut parseable = false;
    for (opt, arg) in parsed.opts {
        let arg = arg.unwrap_or_default();
        match opt {
            'F' => {}
            'i' => {
                entity = match arg.as_str() {
                    "process" | "pid" => Entity::Process,
                    "project" | "projid" => Entity::Project,
                    "task" | "taskid" => Entity::Task,
                    "zone" | "zoneid" => Entity::Zone,
                    other => {
                        warn(ctx, &format!("unknown idtype {other}"));
                        errflg = true;
                        entity
                    }
                }
            }
            'd' => disable = true,
            'e' => enable = true,
            'n' => name = Some(arg),
            'r' => replace = true,
            't' => match arg.as_str() {
                "basic" => privilege = Some(Priv::Basic),
                "privileged" | "priv" => privilege = Some(Priv::Privileged),
                "system" => privilege = Some(Priv::System),
                other => {
                    warn(ctx, &format!("unknown privilege {other}"));
                    errflg = true;
                }
            },
            'v' => value_text = Some(arg),
            's' => set = true,
            'x' => delete = true,
            'p' if arg == "-" => {}
            'p' => {
                if arg.parse::<u32>().is_err() {
                    warn(ctx, &format!("invalid pid {arg}"));
                    errflg = true;
                }
                pid = Some(arg);
            }
            _ => parseable = true,
        }
    }
    // -v without another operation implies -s.
    if value_text.is_some() && !(replace || delete || enable || disable) {
        set = true;
    }
    let operation = set || replace || delete || enable || disable;
    let fail = |ctx: &mut Ctx, msg: &str| {
        warn(ctx, msg);
        usage(ctx)
    };
    if parsed.operands.is_empty() {
        return Err(fail(ctx, "no arguments specified"));
    }
    if operation && name.is_none() {
        return Err(fail(ctx, "-n is required with -s, -r, -x, -e, or -d"));
    }
    if enable && disable {
        return Err(fail(ctx, "options -d and -e are exclusive"));
    }
    if usize::from(set) + usize::from(replace) + usize::from(delete) > 1 {
        return Err(fail(ctx, "options -s, -r, and -x are exclusive"));
    }
    if delete && (enable || disable) {
        return Err(fail(ctx, "options -e or -d  not allowed with -x"));
    }
    if replace && value_text.is_none() {
        return Err(fail(ctx, "option -r requires use of option -v"));
    }
    if set && value_text.is_none() {
        return Err(fail(ctx, "option -s requires use of option -v"));
    }
    if pid.is_some() && privilege > Some(Priv::Basic) {
        return Err(fail(ctx, "option -p not allowed on non-basic rctl"));
    }
    let def = name.as_deref().and_then(rctls::lookup);
    let mut value = None;
    if operation {
        let name = name.as_deref().unwrap_or_default();
        if parseable {
            return Err(fail(
                ctx,
                "-P not valid when manipulating resource control values",
            ));
        }
        let Some(def) = def else {
            // warn() appends strerror(errno) to a message that already ends with it.
            let msg = format!(
                "failed to get resource control for {name}: Invalid argument: Invalid argument"
            );
            return Err(fail(ctx, &msg));
        };
        if let Some(text) = &value_text {
            let Some(v) = rctls::parse_value(text, def.unit) else {
                return Err(fail(ctx, &format!("invalid -v value {text}")));
            };
            if v > def.max {
                let msg =
                    format!("-v value {text} exceeds system limit for resource control: {name}");
                return Err(fail(ctx, &msg));
            }
            value = Some(v);
        }
        if privilege == Some(Priv::System) {
            return Err(fail(ctx, "cannot modify system values"));
        }
        // Every zone control is RCTL_GLOBAL_NOBASIC.
        if privilege == Some(Priv::Basic) {
            return Err(fail(
                ctx,
                &format!("basic values not allowed on rctl {name}"),
            ));
        }
        // -s defaults to a basic value, which a zone control needs a recipient pid for.
        if set && privilege.is_none() && pid.is_none() && entity != Entity::Process {
            return Err(fail(
                ctx,
                "-p pid required when setting or replacing task or project rctl",
            ));
        }
    } else if pid.is_some() {
        return Err(fail(ctx, "-p pid requires -s, -r, -x, -e, or -d"));
    }
    if errflg {
        return Err(usage(ctx));
    }
    if entity != Entity::Zone || enable || disable || pid.is_some() {
        // Valid, but beyond the sim: see the module comment.
        return Err(usage(ctx));
    }
    let op = match (set, replace, delete) {
        (true, ..) => Some(Op::Set),
        (_, true, _) => Some(Op::Replace),
        (.., true) => Some(Op::Delete),
        _ => None,
    };
    Ok(Request {
        op,
        name,
        def,
        privilege,
        value,
        parseable,
        operands: parsed.operands,
    })
}

#[cfg(test)]
mod tests;

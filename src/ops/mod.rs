//! Operations as plans: an ordered list of named steps (a command, the progress it reaches,
//! and how to undo what it created), built and validated before anything runs. A plan can be
//! printed (dry run) or handed to the executor; nothing here runs a command.

pub mod clone;
pub mod delete;
pub mod modify;
pub mod spec;
pub mod spec_check;
pub mod spec_file;
pub mod steps;
mod storage;
pub mod validate;
pub mod zone;

use serde::{Deserialize, Serialize};

use crate::sys::Command;
use crate::sys::zoneadm::ZoneState;

pub use crate::sys::command::{REDACTED, redact};

/// What one step does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Action {
    /// Run a command; a non-zero exit fails the step. Its output goes to the task's log.
    Run {
        command: Command,
        /// Fed to the command's standard input (a zonecfg script).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        stdin: Option<String>,
        /// The step fails (and the process is stopped) when it runs longer.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        timeout_s: Option<u64>,
    },
    /// Run commands with each one's output fed to the next (`zfs send … | zfs receive …`);
    /// the step fails if any of them fails.
    Pipe {
        commands: Vec<Command>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        timeout_s: Option<u64>,
    },
    /// Poll the zone's state until it is one of `until`; fail after `timeout_s`.
    WaitZone {
        zone: String,
        until: Vec<ZoneState>,
        timeout_s: u64,
    },
    /// Run `then` only while `condition` holds: an undo that applies only if the thing is
    /// still there (a step got part of the way, or an earlier undo took it with it).
    When {
        condition: Condition,
        then: Box<Action>,
    },
}

/// What a conditional action looks at on the host just before it runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Condition {
    /// The zone exists and is in one of these states.
    ZoneIn {
        zone: String,
        states: Vec<ZoneState>,
    },
    /// The dataset exists.
    DatasetExists { dataset: String },
}

impl Condition {
    pub fn describe(&self) -> String {
        match self {
            Condition::ZoneIn { zone, states } => {
                let states: Vec<&str> = states.iter().map(|s| s.as_str()).collect();
                format!("if zone {zone} is {}", states.join(" or "))
            }
            Condition::DatasetExists { dataset } => format!("if {dataset} exists"),
        }
    }
}

impl Action {
    pub fn run(command: Command) -> Action {
        Action::Run {
            command,
            stdin: None,
            timeout_s: None,
        }
    }

    /// `first | second`.
    pub fn pipe(first: Command, second: Command) -> Action {
        Action::Pipe {
            commands: vec![first, second],
            timeout_s: None,
        }
    }

    /// The commands this action runs: one, several for a pipe, none for a wait.
    pub fn commands(&self) -> Vec<&Command> {
        match self {
            Action::Run { command, .. } => vec![command],
            Action::Pipe { commands, .. } => commands.iter().collect(),
            Action::WaitZone { .. } => Vec::new(),
            Action::When { then, .. } => then.commands(),
        }
    }

    /// As an operator would read it in a plan: the command line, or what is waited for
    /// (as a shell comment, so a copied plan still pastes into a shell).
    pub fn describe(&self) -> String {
        match self {
            Action::Run {
                command, timeout_s, ..
            } => match timeout_s {
                Some(t) => format!("{command}   # stopped after {t} s"),
                None => command.display(),
            },
            Action::Pipe {
                commands,
                timeout_s,
            } => {
                let line: Vec<String> = commands.iter().map(Command::display).collect();
                let line = line.join(" | ");
                match timeout_s {
                    Some(t) => format!("{line}   # stopped after {t} s"),
                    None => line,
                }
            }
            Action::WaitZone {
                zone,
                until,
                timeout_s,
            } => {
                let states: Vec<&str> = until.iter().map(|s| s.as_str()).collect();
                format!(
                    "# wait until zone {zone} is {} (up to {timeout_s} s)",
                    states.join(" or ")
                )
            }
            Action::When { condition, then } => {
                format!("{}   # {}", then.describe(), condition.describe())
            }
        }
    }
}

/// One named step of a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// What the operator sees while it runs ("Installing zone").
    pub stage: String,
    /// The task's progress once this step is done, in percent.
    pub progress: u8,
    pub action: Action,
    /// Undoes what this step created; run only if the step succeeded and a later one failed
    /// or the task was cancelled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undo: Option<Action>,
    /// The step may leave something behind even when it fails or is stopped (an install
    /// cut off half way): its undo runs then too.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub undo_on_failure: bool,
}

impl Step {
    pub fn new(stage: &str, progress: u8, action: Action) -> Step {
        Step {
            stage: stage.to_string(),
            progress,
            action,
            undo: None,
            undo_on_failure: false,
        }
    }

    pub fn undo(mut self, action: Action) -> Step {
        self.undo = Some(action);
        self
    }

    /// Run the undo even when this step itself fails or is cancelled.
    pub fn even_if_failed(mut self) -> Step {
        self.undo_on_failure = true;
        self
    }
}

/// An object tasks must not change concurrently: two tasks that name the same object run one
/// after the other.
pub fn zone_object(zone: &str) -> String {
    format!("zone:{zone}")
}

pub fn dataset_object(dataset: &str) -> String {
    format!("dataset:{dataset}")
}

pub fn link_object(link: &str) -> String {
    format!("link:{link}")
}

/// Everything an operation will do, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// "boot", "shutdown", "exec" …
    pub operation: String,
    /// What it acts on, as shown in the task list ("web01").
    pub target: String,
    /// Lock keys (see [`zone_object`]).
    pub objects: Vec<String>,
    pub steps: Vec<Step>,
    /// Values that must never be shown or stored (passwords, keys): replaced by [`REDACTED`]
    /// in displays, logs, the journal and the audit log.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secrets: Vec<String>,
    /// Done, the plan leaves changes that the zone takes up at its next boot (a modify of a
    /// running zone): the console flags the zone "pending reboot" until then.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub pending_reboot: bool,
    /// The zone's id when the plan was made. A zone gets a new id at each boot, so with
    /// `pending_reboot` it tells whether the zone has booted since, whoever booted it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone_id: Option<u64>,
}

impl Plan {
    pub fn new(operation: &str, target: &str) -> Plan {
        Plan {
            operation: operation.to_string(),
            target: target.to_string(),
            objects: Vec::new(),
            steps: Vec::new(),
            secrets: Vec::new(),
            pending_reboot: false,
            zone_id: None,
        }
    }

    pub fn object(mut self, key: String) -> Plan {
        if !self.objects.contains(&key) {
            self.objects.push(key);
        }
        self
    }

    pub fn step(mut self, step: Step) -> Plan {
        self.steps.push(step);
        self
    }

    pub fn secret(mut self, value: &str) -> Plan {
        if !value.is_empty() && !self.secrets.iter().any(|s| s == value) {
            self.secrets.push(value.to_string());
        }
        self
    }

    /// `text` with every secret of this plan replaced.
    pub fn redact(&self, text: &str) -> String {
        redact(text, &self.secrets)
    }

    /// This plan as it may be stored or shown: secrets replaced everywhere, the list of
    /// secrets dropped.
    pub fn redacted(&self) -> Plan {
        if self.secrets.is_empty() {
            return self.clone();
        }
        let json = serde_json::to_string(self).expect("a plan serializes");
        // Secrets are replaced in the JSON text after escaping them the way JSON does, so a
        // secret with a quote or a newline is found too.
        let escaped: Vec<String> = self
            .secrets
            .iter()
            .map(|s| {
                let quoted = serde_json::to_string(s).expect("a string serializes");
                quoted[1..quoted.len() - 1].to_string()
            })
            .collect();
        let mut plan: Plan =
            serde_json::from_str(&redact(&json, &escaped)).expect("redaction keeps JSON valid");
        plan.secrets.clear();
        plan
    }

    /// The plan's lines for a dry run: one per step, secrets replaced.
    pub fn describe(&self) -> Vec<String> {
        self.steps
            .iter()
            .map(|s| self.redact(&s.action.describe()))
            .collect()
    }

    /// Every command line the plan runs (a pipeline as one line), secrets replaced.
    pub fn commands(&self) -> Vec<String> {
        self.steps
            .iter()
            .map(|s| s.action.commands())
            .filter(|commands| !commands.is_empty())
            .map(|commands| {
                let line: Vec<String> = commands.iter().map(|c| c.display()).collect();
                self.redact(&line.join(" | "))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan_with_secret() -> Plan {
        Plan::new("configure", "vm1")
            .step(
                Step::new(
                    "Applying zone configuration",
                    40,
                    Action::Run {
                        command: Command::mutating("zonecfg").args(["-z", "vm1", "-f", "-"]),
                        stdin: Some("add attr\nset value=\"pa\"ss\"\nend\n".into()),
                        timeout_s: None,
                    },
                )
                .undo(Action::run(
                    Command::mutating("zonecfg").args(["-z", "vm1", "delete", "-F"]),
                )),
            )
            .step(Step::new(
                "Echo",
                100,
                Action::run(Command::mutating("echo").arg("pa\"ss")),
            ))
            .secret("pa\"ss")
    }

    #[test]
    fn redaction_reaches_stdin_args_and_descriptions() {
        let plan = plan_with_secret();
        let clean = plan.redacted();
        let json = serde_json::to_string(&clean).unwrap();
        assert!(!json.contains("pa\\\"ss"), "{json}");
        assert!(clean.secrets.is_empty());
        assert_eq!(clean.steps[1].action.commands()[0].args, [REDACTED]);
        assert_eq!(plan.describe()[1], format!("echo '{REDACTED}'"));
        // The original keeps what it needs to run.
        assert_eq!(plan.steps[1].action.commands()[0].args, ["pa\"ss"]);
    }

    #[test]
    fn longer_secrets_are_replaced_whole() {
        let out = redact("key=abcdef", &["abc".into(), "abcdef".into()]);
        assert_eq!(out, format!("key={REDACTED}"));
        assert_eq!(redact("nothing", &[]), "nothing");
    }

    #[test]
    fn wait_steps_read_as_comments() {
        let a = Action::WaitZone {
            zone: "web01".into(),
            until: vec![ZoneState::Installed],
            timeout_s: 60,
        };
        assert_eq!(
            a.describe(),
            "# wait until zone web01 is installed (up to 60 s)"
        );
        assert!(a.commands().is_empty());
    }
}

//! zonecfg's usage and help texts (zonecfg.c's usage(), long_help() and help table).

use crate::sys::zonecfg::script::{Cmd, ResType, short_usage};

/// long_help(): what `help CMD` says about a command.
pub fn long_help(cmd: Cmd) -> &'static str {
    match cmd {
        Cmd::Help => "Prints help message.",
        Cmd::Create => {
            "Creates a configuration for the specified zone.  create should be\n\tused to \
             begin configuring a new zone.  If overwriting an existing\n\tconfiguration, the -F \
             flag can be used to force the action.  If\n\t-t template is given, creates a \
             configuration identical to the\n\tspecified template, except that the zone name is \
             changed from\n\ttemplate to zonename.  'create -a' creates a configuration from a\n\t\
             detached zonepath.  'create -b' results in a blank configuration.\n\t'create' with \
             no arguments applies the Sun default settings."
        }
        Cmd::Exit => "Exits the program.  The -F flag can be used to force the action.",
        Cmd::Export => {
            "Prints configuration to standard output, or to output-file if\n\tspecified, in a \
             form suitable for use in a command-file."
        }
        Cmd::Add => "Add specified resource to configuration.",
        Cmd::Delete => {
            "Deletes the specified zone.  The -F flag can be used to force the\n\taction."
        }
        Cmd::Remove => {
            "Remove specified resource from configuration.  The -F flag can be used\n\tto force \
             the action."
        }
        Cmd::Select => {
            "Selects a resource to modify.  Resource modification is completed\n\twith the \
             command \"end\".  The property name/value pairs must uniquely\n\tidentify a \
             resource.  Note that the curly braces ('{', '}') mean one\n\tor more of whatever \
             is between them."
        }
        Cmd::Set => "Sets property values.",
        Cmd::Clear => "Clears property values.",
        Cmd::Info => {
            "Displays information about the current configuration.  If resource\n\ttype is \
             specified, displays only information about resources of\n\tthe relevant type.  If \
             resource id is specified, displays only\n\tinformation about that resource."
        }
        Cmd::Verify => {
            "Verifies current configuration for correctness (some resource types\n\thave \
             required properties)."
        }
        Cmd::Commit => {
            "Commits current configuration.  Configuration must be committed to\n\tbe used by \
             zoneadm.  Until the configuration is committed, changes \n\tcan be removed with the \
             revert command.  This operation is\n\tattempted automatically upon completion of a \
             zonecfg session."
        }
        Cmd::Revert => {
            "Reverts configuration back to the last committed state.  The -F flag\n\tcan be \
             used to force the action."
        }
        Cmd::Cancel => "Cancels resource/property specification.",
        Cmd::End => "Ends resource/property specification.",
    }
}

/// HELP_USAGE.
pub fn usage_lines() -> String {
    "usage:\tzonecfg help\n\tzonecfg -z <zone>\t\t\t(interactive)\n\tzonecfg -z <zone> <command>\n\t\
     zonecfg -z <zone> -f <command-file>\n"
        .to_string()
}

/// HELP_SUBCMDS: every command's usage, with its description when `verbose`.
pub fn subcommands(verbose: bool) -> String {
    let mut out = String::from("Commands:\n\n");
    for cmd in Cmd::ALL {
        out.push_str(short_usage(cmd));
        out.push('\n');
        if verbose {
            out.push_str(&format!("\t{}\n\n", long_help(cmd)));
        }
    }
    out
}

/// HELP_SYNTAX.
pub fn syntax(verbose: bool) -> String {
    let mut out = String::new();
    if !verbose {
        out.push('\n');
    }
    out.push_str(
        "<zone> := [A-Za-z0-9][A-Za-z0-9_.-]*\n\t(except the reserved words 'global' and anything \
         starting with 'SUNW')\n\tName must be less than 64 characters.\n",
    );
    if verbose {
        out.push('\n');
    }
    out
}

/// HELP_RESOURCES (zonecfg's format string has one slot too few: security-flags is left out).
pub fn resources() -> String {
    "<resource type> := fs | net | device | rctl | attr |\n\tdataset | dedicated-cpu | capped-cpu \
     | capped-memory | admin\n\n"
        .to_string()
}

/// HELP_PROPS.
pub fn props() -> String {
    let mut out = String::from("For resource type ... there are property types ...:\n");
    for p in [
        "zonename",
        "zonepath",
        "brand",
        "autoboot",
        "bootargs",
        "pool",
        "limitpriv",
        "scheduling-class",
        "ip-type",
        "hostid",
        "fs-allowed",
        "max-lwps",
        "max-processes",
        "max-shm-memory",
        "max-shm-ids",
        "max-msg-ids",
        "max-sem-ids",
        "cpu-shares",
        "zfs-io-priority",
    ] {
        out.push_str(&format!("\t(global)\t{p}\n"));
    }
    out.push_str(
        "\tfs\t\tdir, special, raw, type, options\n\
         \tnet\t\taddress, allowed-address, global-nic, mac-addr, physical, property, vlan-id defrouter\n\
         \tdevice\t\tmatch, property\n\
         \trctl\t\tname, value\n\
         \tattr\t\tname, type, value\n\
         \tdataset\t\tname\n\
         \tdedicated-cpu\tncpus, importance\n\
         \tcapped-cpu\tncpus\n\
         \tcapped-memory\tphysical, swap, locked\n\
         \tadmin\t\tuser, auths\n\
         \tsecurity-flags\t\tdefault, lower, upper\n",
    );
    out
}

/// HELP_META.
pub fn meta() -> String {
    "More help is available for the following:\n\n\tcommands ('help commands')\n\tsyntax ('help \
     syntax')\n\tusage ('help usage')\n\nYou may also obtain help on any command by typing 'help \
     <command-name>.'\n"
        .to_string()
}

/// HELP_RES_SCOPE: what can be done inside a resource.
pub fn resource_scope(res: ResType) -> String {
    let (what, cmds): (&str, &[&str]) = match res {
        ResType::Fs => (
            "used to configure a file-system",
            &[
                "set dir=<path>",
                "set special=<path>",
                "set raw=<raw-device>",
                "set type=<file-system type>",
                "add options <file-system options>",
                "remove options <file-system options>",
            ],
        ),
        ResType::Net => (
            "used to configure a network interface",
            &[
                "set address=<IP-address>",
                "add property (name=<value>,value=<value>)",
                "set allowed-address=<IP-address>",
                "set physical=<interface>",
                "set mac-addr=<mac-address>",
                "set global-nic=<global zone NIC>",
                "set vlan-id=<vlan ID>",
            ],
        ),
        ResType::Device => (
            "used to configure a device node",
            &[
                "add property (name=<value>,value=<value>)",
                "set match=<device-path>",
            ],
        ),
        ResType::Rctl => (
            "used to configure a resource control",
            &[
                "set name=<string>",
                "add value (priv=<priv-value>,limit=<number>,action=<action-value>)",
                "remove value (priv=<priv-value>,limit=<number>,action=<action-value>)",
            ],
        ),
        ResType::Attr => (
            "used to configure a generic attribute",
            &[
                "set name=<name>",
                "set type=boolean",
                "set value=true | false",
            ],
        ),
        ResType::Dataset => ("used to export ZFS datasets", &["set name=<name>"]),
        ResType::DedicatedCpu => (
            "configures the 'pools' facility to dedicate\na subset of the system's processors to \
             this zone while it is running",
            &[
                "set ncpus=<unsigned integer | range>",
                "set importance=<unsigned integer>",
            ],
        ),
        ResType::CappedCpu => (
            "used to set an upper limit (a cap) on the\npercentage of CPU that can be used by this \
             zone",
            &["set ncpus=<unsigned decimal>"],
        ),
        ResType::CappedMemory => (
            "used to set an upper limit (a cap) on the\namount of physical memory, swap space and \
             locked memory that can be used by\nthis zone",
            &[
                "set physical=<qualified unsigned decimal>",
                "set swap=<qualified unsigned decimal>",
                "set locked=<qualified unsigned decimal>",
            ],
        ),
        ResType::Admin => (
            "used to delegate specific zone management\nrights to users and roles. These rights \
             are only applicable to this zone",
            &[
                "set user=<single user or role name>",
                "set auths=<comma separated list>",
            ],
        ),
        ResType::SecurityFlags => (
            "used to specify the default security-flags\nof this zone, and their upper and lower \
             bound",
            &[
                "set default=<security flags>",
                "set lower=<security flags>",
                "set upper=<security flags>",
            ],
        ),
    };
    let verb = if res == ResType::DedicatedCpu {
        ""
    } else {
        "is "
    };
    let mut out = format!(
        "The '{}' resource scope {verb}{what}.\nValid commands:\n",
        res.as_str()
    );
    for c in cmds {
        out.push_str(&format!("\t{c}\n"));
    }
    out.push_str(
        "And from any resource scope, you can:\n\tend\t(to conclude this operation)\n\tcancel\t(to \
         cancel this operation)\n\texit\t(to exit the zonecfg utility)\n",
    );
    out
}

/// long_usage(): "usage:", the command's usage and its description.
pub fn long_usage(cmd: Cmd) -> String {
    format!("usage:\n{}\n\t{}\n", short_usage(cmd), long_help(cmd))
}

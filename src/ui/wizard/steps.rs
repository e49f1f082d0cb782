//! The wizard's steps and the fields of each, and what follows from other fields: defaults
//! derived from the name and pool, and which fields show for the choices made.

use super::host::HostFacts;
use crate::ops::spec::NATIVE_BRANDS;
use crate::ops::validate::bhyve_choices;
use crate::sys::size::format_size;
use crate::ui::form::{Field, Form, Opt};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    Basics,
    Resources,
    BootVolume,
    Disks,
    Network,
    Cdroms,
    CloudInit,
    Filesystems,
    Options,
    Review,
}

impl Step {
    pub const ALL: [Step; 10] = [
        Step::Basics,
        Step::Resources,
        Step::BootVolume,
        Step::Disks,
        Step::Network,
        Step::Cdroms,
        Step::CloudInit,
        Step::Filesystems,
        Step::Options,
        Step::Review,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Step::Basics => "Brand and name",
            Step::Resources => "Resources",
            Step::BootVolume => "Boot volume",
            Step::Disks => "Disks",
            Step::Network => "Network",
            Step::Cdroms => "CD-ROMs",
            Step::CloudInit => "Cloud-init",
            Step::Filesystems => "Filesystems",
            Step::Options => "Options",
            Step::Review => "Review",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }

    /// Whether a zone of this brand has the step.
    pub fn applies(self, bhyve: bool) -> bool {
        match self {
            Step::BootVolume | Step::Disks | Step::Cdroms | Step::CloudInit => bhyve,
            Step::Filesystems => !bhyve,
            _ => true,
        }
    }

    /// The list section of the step, with the noun of its items.
    pub fn section(self) -> Option<(&'static str, &'static str)> {
        match self {
            Step::Disks => Some(("disks", "Disk")),
            Step::Network => Some(("nics", "NIC")),
            Step::Cdroms => Some(("cdroms", "CD-ROM")),
            Step::Filesystems => Some(("fs", "Filesystem")),
            _ => None,
        }
    }
}

/// bhyve attributes offered as choices, in the order shown.
pub const CHOICE_ATTRS: [&str; 12] = [
    "bootrom",
    "hostbridge",
    "diskif",
    "netif",
    "type",
    "vnc",
    "acpi",
    "uefivars",
    "xhci",
    "rng",
    "vga",
    "memreserve",
];

/// The field that holds a bhyve attribute chosen from a list.
pub fn attr_key(attr: &str) -> String {
    format!("attr.{attr}")
}

fn attr_label(attr: &str) -> &'static str {
    match attr {
        "bootrom" => "Firmware (bootrom)",
        "hostbridge" => "Host bridge",
        "diskif" => "Disk interface",
        "netif" => "NIC interface",
        "type" => "Guest OS type",
        "vnc" => "VNC console",
        "acpi" => "ACPI",
        "uefivars" => "UEFI variables",
        "xhci" => "USB tablet (xhci)",
        "rng" => "Random device",
        "vga" => "VGA",
        "memreserve" => "Reserve memory",
        _ => "",
    }
}

/// The allowed values, the default (first) marked.
fn attr_options(attr: &str) -> Vec<Opt> {
    bhyve_choices(attr)
        .unwrap_or_default()
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let opt = Opt::new(v);
            if i == 0 { opt.note("default") } else { opt }
        })
        .collect()
}

fn brand_options() -> Vec<Opt> {
    let what = |brand: &str| match brand {
        "bhyve" => "a hardware virtual machine",
        "ipkg" => "native OmniOS, whole root",
        "lipkg" => "native, packages linked to the global zone",
        "sparse" => "native, sharing the global zone's /usr",
        "pkgsrc" => "native, with pkgsrc",
        "lx" => "Linux binaries on illumos",
        _ => "",
    };
    std::iter::once("bhyve")
        .chain(NATIVE_BRANDS)
        .map(|b| Opt::new(b).note(what(b)))
        .collect()
}

pub fn basics() -> Form {
    Form::new(vec![
        Field::choice("brand", "Brand", brand_options()),
        Field::text("name", "Zone name", "").with_note("letters, digits and - _ . (at most 63)"),
    ])
}

pub fn resources() -> Form {
    let mut fields = vec![
        Field::text("zonepath", "Zone path", "").with_note("where the zone lives"),
        Field::text("image", "Install image", "")
            .with_note("lx: the image file on the host (zoneadm install -s)"),
        Field::text("ram", "Memory (ram)", "1G").with_note("512M, 4G … (default 1G)"),
        Field::text("vcpus", "vCPUs", "1").with_note("2, or cpus=4,sockets=1,cores=4"),
    ];
    for attr in CHOICE_ATTRS {
        fields.push(Field::choice(
            &attr_key(attr),
            attr_label(attr),
            attr_options(attr),
        ));
    }
    Form::new(fields)
}

pub fn pool_options(facts: &HostFacts) -> Vec<Opt> {
    facts
        .pools
        .iter()
        .map(|p| Opt::new(&p.name).note(format!("{} available", format_size(p.avail))))
        .collect()
}

pub fn volume_options(facts: &HostFacts) -> Vec<Opt> {
    facts
        .volumes
        .iter()
        .map(|v| Opt::new(&v.name).note(HostFacts::volume_note(v)))
        .collect()
}

pub fn template_options(facts: &HostFacts) -> Vec<Opt> {
    facts.templates.iter().map(|t| Opt::new(t)).collect()
}

pub fn link_options(facts: &HostFacts) -> Vec<Opt> {
    facts
        .links
        .iter()
        .map(|(l, class)| Opt::new(l).note(*class))
        .collect()
}

pub fn vnic_options(facts: &HostFacts) -> Vec<Opt> {
    facts
        .free_vnics
        .iter()
        .map(|(l, over)| Opt::new(l).note(format!("over {over}")))
        .collect()
}

pub fn iso_options(facts: &HostFacts) -> Vec<Opt> {
    let mut out: Vec<Opt> = facts.isos.iter().map(|i| Opt::new(i)).collect();
    out.push(Opt::labelled(OTHER_PATH, "another file…").note("type its path"));
    out
}

/// The ISO choice's value for a path typed by the operator.
pub const OTHER_PATH: &str = "other";

pub fn boot_volume(facts: &HostFacts) -> Form {
    Form::new(vec![
        Field::choice(
            "boot.kind",
            "Boot volume",
            vec![
                Opt::labelled("new", "new volume").note("zfs create -V"),
                Opt::labelled("existing", "existing volume").note("attach a zvol"),
                Opt::labelled("template", "from a template").note("clone or copy of a snapshot"),
                Opt::labelled("none", "none").note("no boot disk (PXE, or add one later)"),
            ],
        ),
        Field::choice("boot.pool", "Pool", pool_options(facts)),
        Field::text("boot.parent", "Parent dataset", ""),
        Field::text("boot.volname", "Volume name", "root"),
        Field::text("boot.size", "Size", "20G").with_note("e.g. 20G"),
        Field::toggle("boot.sparse", "Sparse", false).with_note("thin: no space reserved up front"),
        Field::choice("boot.existing", "Volume", volume_options(facts)),
        Field::toggle("boot.force", "Force", false)
            .with_note("attach even if another zone uses it"),
        Field::choice("boot.template", "Template", template_options(facts)),
        Field::choice(
            "boot.method",
            "Method",
            vec![
                Opt::new("clone").note("thin ZFS clone: instant, shares blocks with the template"),
                Opt::new("copy").note("zfs send | zfs receive: independent, takes a while"),
            ],
        ),
    ])
}

pub fn disks() -> Form {
    Form::new(vec![
        Field::note_line("disks.none", "No extra disks."),
        Field::button("disks.add", "Add a disk"),
    ])
}

pub fn disk_item(facts: &HostFacts) -> Vec<Field> {
    vec![
        Field::choice(
            "kind",
            "Disk",
            vec![
                Opt::labelled("new", "new volume"),
                Opt::labelled("existing", "existing volume"),
            ],
        ),
        Field::text("dataset", "Dataset", ""),
        Field::text("size", "Size", "10G"),
        Field::toggle("sparse", "Sparse", false),
        Field::choice("existing", "Volume", volume_options(facts)),
        Field::toggle("force", "Force", false).with_note("attach even if another zone uses it"),
    ]
}

pub fn network() -> Form {
    Form::new(vec![
        Field::note_line("nics.none", "No network interfaces."),
        Field::button("nics.add", "Add a NIC"),
    ])
}

pub fn nic_item(facts: &HostFacts) -> Vec<Field> {
    vec![
        Field::choice(
            "kind",
            "NIC",
            vec![
                Opt::labelled("new", "new VNIC").note("made over a link at boot"),
                Opt::labelled("existing", "existing VNIC"),
            ],
        ),
        Field::text("physical", "VNIC name", ""),
        Field::choice("over", "Over link", link_options(facts)),
        Field::choice("vnic", "VNIC", vnic_options(facts)),
        Field::text("mac", "MAC address", "").with_note("empty: automatic"),
        Field::text("vlan", "VLAN ID", "").with_note("empty: untagged"),
        Field::text("allowed", "Allowed address", "")
            .with_note("the zone's IP, e.g. 192.168.1.10/24"),
        Field::text("defrouter", "Default router", ""),
    ]
}

pub fn cdroms() -> Form {
    Form::new(vec![
        Field::note_line("cdroms.none", "No CD-ROMs."),
        Field::button("cdroms.add", "Add a CD-ROM"),
    ])
}

pub fn cdrom_item(facts: &HostFacts) -> Vec<Field> {
    vec![
        Field::choice("iso", "ISO", iso_options(facts)),
        Field::text("path", "Path", "").with_note("the ISO's path on the host"),
    ]
}

pub fn cloud_init() -> Form {
    Form::new(vec![
        Field::choice(
            "ci.enabled",
            "Cloud-init",
            vec![
                Opt::new("off").note("default"),
                Opt::new("on").note("the brand builds the seed from these settings"),
            ],
        ),
        Field::text("ci.dns_domain", "DNS domain", "").with_note("e.g. example.com"),
        Field::secret("ci.password", "Password", "").with_note("root's password, or a crypt hash"),
        Field::text("ci.resolvers", "Resolvers", "").with_note("e.g. 1.1.1.1,9.9.9.9"),
        Field::text("ci.sshkey", "SSH key", "")
            .with_note("a key line, or a file: ~/.ssh/id_ed25519.pub"),
    ])
}

pub fn filesystems() -> Form {
    Form::new(vec![
        Field::note_line("fs.none", "No filesystems mounted into the zone."),
        Field::button("fs.add", "Add a filesystem"),
    ])
}

pub fn fs_item() -> Vec<Field> {
    vec![
        Field::text("dir", "Directory in zone", ""),
        Field::text("special", "Host path", ""),
        Field::text("type", "Type", "lofs"),
        Field::text("options", "Options", "").with_note("comma-separated, e.g. ro,nodevices"),
    ]
}

pub fn options() -> Form {
    Form::new(vec![
        Field::toggle("autoboot", "Autoboot", false).with_note("boot with the host"),
        Field::toggle("start", "Start after create", false),
        Field::heading("caps", "Resource caps (empty: no cap)"),
        Field::text("caps.physical", "Physical memory", "").with_note("e.g. 4G"),
        Field::text("caps.swap", "Swap", "").with_note("e.g. 8G"),
        Field::text("caps.locked", "Locked memory", "").with_note("e.g. 1G"),
        Field::text("caps.cpu", "CPU cap", "").with_note("CPUs, e.g. 1.5"),
        Field::text("caps.lwps", "Max LWPs", "").with_note("100 or more"),
    ])
}

pub fn review() -> Form {
    Form::new(vec![
        Field::toggle("live_caps", "Apply caps now", false)
            .with_note("also set the caps on the running zone (prctl/rcapadm)"),
        Field::button("review.submit", "Queue it"),
        Field::button("review.save", "Save the spec to a file"),
    ])
}

/// A link name made from the zone's name: letters, digits and `_`, starting with a letter,
/// ending in the NIC's number (`web_01_0` for web-01's first).
pub fn vnic_name(zone: &str, index: usize) -> String {
    let mut base: String = zone
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if !base.starts_with(|c: char| c.is_ascii_alphabetic()) {
        base.insert(0, 'z');
    }
    let suffix = format!("_{index}");
    base.truncate(31 - suffix.len());
    base + &suffix
}

//! OpenSSH public keys as the bhyve brand hands them to cloud-init (`sshkey` attr).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::{char_name, shown};

/// The key types OpenSSH accepts in authorized_keys today (DSA was removed in 9.8).
const KEY_TYPES: &[&str] = &[
    "ssh-ed25519",
    "ssh-rsa",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "sk-ssh-ed25519@openssh.com",
    "sk-ecdsa-sha2-nistp256@openssh.com",
];

const TYPES_HINT: &str =
    "ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256/384/521 or an sk-… security key";

/// OpenSSH refuses shorter RSA keys (SSH_RSA_MINIMUM_MODULUS_SIZE).
const RSA_MIN_BITS: usize = 1024;

/// One OpenSSH public key line (`type base64 [comment]`, as in a `.pub` file), or several
/// separated by newlines; blank lines are ignored. The key data must decode and name the
/// same type as the line. A zonecfg value holds neither a newline nor `"`, so several keys go
/// to the zone in a file (the brand reads the attr as a path when it is one).
pub fn ssh_key(text: &str) -> Result<(), String> {
    let lines: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty())
        .collect();
    if lines.is_empty() {
        return Err("no key given: paste a public key line such as \
                    'ssh-ed25519 AAAAC3Nz… user@host' (the contents of ~/.ssh/id_ed25519.pub)"
            .into());
    }
    let several = lines.len() > 1;
    for (number, line) in lines {
        key_line(line).map_err(|e| {
            if several {
                format!("line {number}: {e}")
            } else {
                e
            }
        })?;
    }
    Ok(())
}

fn key_line(line: &str) -> Result<(), String> {
    if line.starts_with("-----BEGIN") {
        return Err(if line.contains("PRIVATE") {
            "this is a private key, which must never leave its owner: paste the public key \
             (the .pub file) instead"
                .into()
        } else {
            "this is a PEM file, not an OpenSSH public key: paste the .pub file's line instead"
                .into()
        });
    }
    if line.starts_with("---- BEGIN SSH2") {
        return Err("this is an RFC 4716 (SSH2) key: convert it with \
                    'ssh-keygen -i -f FILE' and paste the line it prints"
            .into());
    }
    let (kind, rest) = line.split_once([' ', '\t']).unwrap_or((line, ""));
    let rest = rest.trim_start();
    let (blob, comment) = rest.split_once([' ', '\t']).unwrap_or((rest, ""));
    if !KEY_TYPES.contains(&kind) {
        return Err(unknown_type(kind));
    }
    if blob.is_empty() {
        return Err(format!(
            "'{kind}' is not followed by the key itself: paste the whole line from the .pub file"
        ));
    }
    let data = STANDARD.decode(blob).map_err(|_| {
        "the key data is not valid base64 (cut short or changed?): paste the whole line \
         from the .pub file"
            .to_string()
    })?;
    check_blob(kind, &data)?;
    if let Some(c) = comment.chars().find(|c| c.is_control() && *c != '\t') {
        return Err(format!(
            "the key's comment contains {}: remove it",
            char_name(c)
        ));
    }
    if comment.contains('"') {
        return Err(
            "the key's comment contains '\"', which a zonecfg value cannot hold: \
                    remove it"
                .into(),
        );
    }
    Ok(())
}

fn unknown_type(kind: &str) -> String {
    if kind == "ssh-dss" {
        return format!("DSA keys (ssh-dss) are no longer accepted by OpenSSH: use {TYPES_HINT}");
    }
    if kind.ends_with("-cert-v01@openssh.com") {
        return "this is an SSH certificate, not a public key: paste the key's .pub line".into();
    }
    if kind.contains('=') || kind.contains(',') {
        return format!(
            "the line starts with authorized_keys options ('{}'): paste only the key \
             (type, key data, comment)",
            shown(kind)
        );
    }
    format!(
        "'{}' is not an SSH public key type: use {TYPES_HINT}",
        shown(kind)
    )
}

/// The wire format of the key (RFC 4253 strings and mpints): its type first, then the
/// fields of that type and nothing more.
fn check_blob(kind: &str, data: &[u8]) -> Result<(), String> {
    let mut r = Reader(data);
    let inner = r.string()?;
    if inner != kind.as_bytes() {
        return Err(format!(
            "the line says '{kind}' but its key data is a '{}' key: paste the line unchanged",
            shown(&String::from_utf8_lossy(inner))
        ));
    }
    match kind {
        "ssh-ed25519" => ed25519(&mut r)?,
        "sk-ssh-ed25519@openssh.com" => {
            ed25519(&mut r)?;
            r.string()?;
        }
        "ssh-rsa" => {
            r.string()?;
            let bits = significant_bits(r.string()?);
            if bits < RSA_MIN_BITS {
                return Err(format!(
                    "this RSA key has only {bits} bits, and OpenSSH refuses RSA keys under \
                     {RSA_MIN_BITS}: use an ssh-ed25519 key or RSA of 3072 bits"
                ));
            }
        }
        _ => {
            // ecdsa-sha2-<curve> and its sk- form: the curve again, then an uncompressed point.
            let curve = kind
                .trim_start_matches("sk-")
                .trim_start_matches("ecdsa-sha2-")
                .trim_end_matches("@openssh.com");
            if r.string()? != curve.as_bytes() {
                return Err(truncated());
            }
            let point = r.string()?;
            let len = match curve {
                "nistp256" => 65,
                "nistp384" => 97,
                _ => 133,
            };
            if point.len() != len || point[0] != 4 {
                return Err(truncated());
            }
            if kind.starts_with("sk-") {
                r.string()?;
            }
        }
    }
    if !r.0.is_empty() {
        return Err(
            "the key data has extra bytes at its end: paste the line from the .pub file unchanged"
                .into(),
        );
    }
    Ok(())
}

fn ed25519(r: &mut Reader) -> Result<(), String> {
    if r.string()?.len() != 32 {
        return Err(truncated());
    }
    Ok(())
}

fn truncated() -> String {
    "the key data is damaged or cut short: paste the line from the .pub file unchanged".into()
}

/// Bits of a big-endian unsigned integer, leading zero bytes ignored.
fn significant_bits(n: &[u8]) -> usize {
    let Some(first) = n.iter().position(|b| *b != 0) else {
        return 0;
    };
    (n.len() - first) * 8 - n[first].leading_zeros() as usize
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    /// An SSH `string`: a 32-bit big-endian length and that many bytes.
    fn string(&mut self) -> Result<&'a [u8], String> {
        let (len, rest) = self.0.split_at_checked(4).ok_or_else(truncated)?;
        let len = u32::from_be_bytes(len.try_into().expect("four bytes")) as usize;
        let (s, rest) = rest.split_at_checked(len).ok_or_else(truncated)?;
        self.0 = rest;
        Ok(s)
    }
}

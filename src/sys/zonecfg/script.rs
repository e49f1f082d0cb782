//! TODO

// Placeholder until the zonecfg language lands (branch `zonecfg`): the inventory's
// fallback path already calls it.
pub fn parse_export(_text: &str) -> Result<super::ZoneConfig, crate::sys::ParseError> {
    Err(crate::sys::ParseError::new(
        "zonecfg export",
        0,
        "not yet supported",
    ))
}

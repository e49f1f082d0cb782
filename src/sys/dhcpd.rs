//! TODO: filled in by the dhcpd work.

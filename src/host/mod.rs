//! Host access: running the host's commands (elevation, audit log) and the inventory.

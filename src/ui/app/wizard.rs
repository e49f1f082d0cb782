//! The create and edit wizards (in progress).

use super::{App, Level};
use crate::ops::spec::ZoneSpec;

impl App {
    pub fn open_create_wizard(&mut self, _from: Option<ZoneSpec>) {
        self.notify(Level::Warning, "the create wizard is not built yet");
    }

    pub fn open_edit_wizard(&mut self, _zone: Option<&str>) {
        self.notify(Level::Warning, "the edit wizard is not built yet");
    }
}

//! Cloning and deleting zones from the console (in progress).

use super::{App, Level};

impl App {
    pub fn clone_prompt(&mut self, _zone: Option<&str>) {
        self.notify(Level::Warning, "clone is not built yet");
    }

    pub fn delete_dialog(&mut self, _zone: Option<&str>) {
        self.notify(Level::Warning, "delete is not built yet");
    }
}

//! A little writer of Luau source: lines at an indentation of tabs.

#[derive(Debug, Default)]
pub struct Code {
    text: String,
    indent: usize,
}

impl Code {
    pub fn new() -> Code {
        Code::default()
    }

    /// One line at the current indentation.
    pub fn line(&mut self, line: impl AsRef<str>) {
        for _ in 0..self.indent {
            self.text.push('\t');
        }
        self.text.push_str(line.as_ref());
        self.text.push('\n');
    }

    /// A line, then the lines after it one level deeper until [`Code::close`].
    pub fn open(&mut self, line: impl AsRef<str>) {
        self.line(line);
        self.indent += 1;
    }

    /// Ends a block opened by [`Code::open`] with `line` (`end`, `end)`, ...).
    pub fn close(&mut self, line: impl AsRef<str>) {
        self.indent = self.indent.saturating_sub(1);
        self.line(line);
    }

    /// Ends one part of a block and opens the next (`else`, `elseif ...`).
    pub fn reopen(&mut self, line: impl AsRef<str>) {
        self.indent = self.indent.saturating_sub(1);
        self.line(line);
        self.indent += 1;
    }

    /// Appends `other`, written at indentation 0, at the current indentation.
    pub fn append(&mut self, other: Code) {
        self.text(&other.text);
    }

    /// Appends lines of text, each at the current indentation plus its own.
    pub fn text(&mut self, text: &str) {
        for line in text.lines() {
            if line.is_empty() {
                self.text.push('\n');
            } else {
                self.line(line);
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    pub fn into_string(self) -> String {
        self.text
    }
}

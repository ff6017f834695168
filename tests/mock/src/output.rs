/// Which Roblox output stream a line went to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputKind {
    /// `print`.
    Print,
    /// `warn`, and the engine's own warnings (infinite yield, dropped payloads, full queues).
    Warn,
    /// A script error, as Roblox prints it in red.
    Error,
}

/// One line of a VM's output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputLine {
    /// Its stream.
    pub kind: OutputKind,
    /// Its text: the arguments joined by spaces, as Roblox prints them.
    pub text: String,
}

/// An error raised in a thread the VM resumed (a spawned task, a signal handler, a
/// deferred or delayed thread). Roblox prints these and carries on; so does the mock.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScriptError {
    /// The error value as `tostring` gives it.
    pub message: String,
    /// `debug.traceback` of the failed thread.
    pub traceback: String,
}

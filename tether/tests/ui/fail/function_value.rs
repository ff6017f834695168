// function-value[T104]: a function does not cross a remote, whether a `fn`
// pointer, a boxed closure or a shared one.
use std::sync::Arc;

#[derive(tether::Replicable)]
pub struct Button {
    #[tether(max_len = 32)]
    pub label: String,
    pub on_click: fn(u32) -> bool,
}

#[tether::protocol]
mod ui {
    use std::sync::Arc;

    #[remote(event, server -> client)]
    fn prompt(#[tether(max_len = 64)] text: String, on_answer: Box<dyn Fn(bool)>);

    #[remote(function, client -> server)]
    fn register(name: u32) -> Arc<dyn Fn(u32) -> bool + Send + Sync>;
}

fn main() {
    let _ = Arc::new(0);
}

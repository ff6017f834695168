// unknown-attribute[T004]: a misspelt endpoint attribute.
#[tether::protocol]
mod movement {
    #[remote(event, client -> server)]
    #[tether(unreliabel)]
    fn moved(x: f32, y: f32);
}

fn main() {}

// double-optional[T013]: Luau has one nil, so `Option<Option<T>>` cannot mean
// more than `Option<T>`.
#[derive(tether::Replicable)]
pub struct Patch {
    pub nickname: Option<Option<u32>>,
}

fn main() {}

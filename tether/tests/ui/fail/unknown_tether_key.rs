// `#[tether(..)]` keys are checked: a misspelt one is an error, not ignored.
#[derive(tether::Replicable)]
#[tether(rename = "PascalCase")]
pub struct Profile {
    #[tether(max_length = 20)]
    pub name: String,
}

fn main() {}

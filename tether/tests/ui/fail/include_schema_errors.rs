// `include_schema!` runs every rule, the file rules included
// (import-not-found[T011]); its diagnostics are rendered with the schema's
// own source lines, at the path literal. The path is relative to this file.
mod broken {
    tether::include_schema!("../schemas/broken.tether");
}

fn main() {}

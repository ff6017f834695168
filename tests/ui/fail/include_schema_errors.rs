// `include_schema!` runs every rule, the file rules included
// (import-not-found[T011]); its diagnostics are rendered with the schema's
// own source lines, at the path literal. The path climbs out of trybuild's
// project in `target/tests/trybuild/<crate>` (see pass/include_schema.rs).
mod broken {
    tether::include_schema!("../../../../tests/ui/schemas/broken.tether");
}

fn main() {}

//! The README's tables of `set` names are the schemas', word for word.

#[test]
fn the_readme_tables_are_written_from_the_schemas() {
    let readme = include_str!("../README.md");
    let rewritten = genplay::labs::readme::rewrite(readme, &genplay::labs::schemas())
        .expect("every lab has a settings block in the README");
    assert!(
        rewritten == readme,
        "the README's settings tables differ from the schemas: run `cargo run --example readme_settings` and commit README.md"
    );
}

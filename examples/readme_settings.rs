//! Rewrites the README's tables of `set` names from the labs' schemas:
//! `cargo run --example readme_settings`. The test command checks that they agree
//! (`tests/readme_settings.rs`), so run this after adding or changing a setting.

fn main() -> Result<(), String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    let readme = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let rewritten = genplay::labs::readme::rewrite(&readme, &genplay::labs::schemas())?;
    if rewritten == readme {
        println!("README.md: the settings tables already match the schemas");
    } else {
        std::fs::write(path, rewritten).map_err(|e| format!("{path}: {e}"))?;
        println!("README.md: settings tables rewritten from the schemas");
    }
    Ok(())
}

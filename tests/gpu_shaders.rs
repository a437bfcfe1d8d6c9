//! Every WGSL kernel in src/gpu parses and validates as naga (wgpu's shader compiler) reads it,
//! as the crate compiles it, so a kernel that would be refused at run time fails here first.

use std::path::{Path, PathBuf};

fn wgsl_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            wgsl_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "wgsl") {
            out.push(path);
        }
    }
}

#[test]
fn every_kernel_parses_and_validates() {
    let mut files = Vec::new();
    wgsl_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src/gpu"),
        &mut files,
    );
    assert!(!files.is_empty(), "no .wgsl file under src/gpu");
    let compiled = genplay::gpu::nn::kernel_sources();
    for file in files {
        // A network kernel as the crate compiles it (some after the shared functions), any
        // other file as it is.
        let name = file.file_name().unwrap().to_str().unwrap();
        let source = match compiled.iter().find(|(n, _)| *n == name) {
            Some((_, source)) => source.clone(),
            None => std::fs::read_to_string(&file).unwrap(),
        };
        let module = naga::front::wgsl::parse_str(&source)
            .unwrap_or_else(|e| panic!("{}: {}", file.display(), e.emit_to_string(&source)));
        naga::valid::Validator::new(
            naga::valid::ValidationFlags::all(),
            naga::valid::Capabilities::default(),
        )
        .validate(&module)
        .unwrap_or_else(|e| panic!("{}: {e:?}", file.display()));
    }
}

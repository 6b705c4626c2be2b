//! Compiles the translations in `src/i18n/*.json` into the typed `i18n` module (leptos_i18n).
use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};
use std::error::Error;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    // `sqlx::migrate!` embeds the migrations; a new .sql file alone must rebuild the crate.
    println!("cargo::rerun-if-changed=migrations");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?).join("i18n");
    // zh-Hans first: it is the default for anyone whose browser asks for nothing we have.
    let cfg = Config::new("zh-Hans")?
        .add_locale("zh-Hant")?
        .add_locale("en")?
        .locales_path("src/i18n")
        // Messages with values (a count, a time) are also needed as plain strings: for
        // attributes, server-side SMS texts and error summaries.
        .parse_options(ParseOptions::default().interpolate_display(true));
    let infos = TranslationsInfos::parse(cfg)?;
    infos.emit_diagnostics();
    infos.rerun_if_locales_changed();
    infos.generate_i18n_module(out)?;
    Ok(())
}

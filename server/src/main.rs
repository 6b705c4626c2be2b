//! The Tianping server binary: serves the app, and runs admin subcommands (migrate, seed, kiosk-link).
use clap::{Parser, Subcommand};
use std::process::ExitCode;

use server::{config, serve, telemetry};

#[derive(Parser)]
#[command(name = "server", about = "Tianping (天平) court services")]
struct Cli {
    /// A TOML configuration file (also TIANPING_CONFIG); environment variables override it.
    #[arg(long, global = true)]
    config: Option<std::path::PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve Tianping (the default).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Load the court directory into the database.
    Seed,
    /// Print a signed link that turns the device opening it into a kiosk.
    KioskLink {
        /// A name for the device, e.g. lobby-1 (letters, digits, - and _).
        #[arg(long)]
        device: String,
    },
    /// Work with the audit log.
    Audit {
        #[command(subcommand)]
        action: AuditCommand,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Walk the hash chain and report the first altered, reordered or deleted entry.
    Verify,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match config::Config::load(cli.config.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("tianping: configuration error: {e}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(&config);
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve::run(config).await,
        Command::Migrate => serve::open_database(&config).await.map(|_| println!("migrations applied")),
        Command::Seed => serve::seed(&config).await,
        Command::KioskLink { device } => serve::kiosk_link(&config, &device).map(|link| println!("{link}")),
        Command::Audit { action: AuditCommand::Verify } => serve::audit_verify(&config).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tianping: {e}");
            tracing::error!(error = %e, "stopped");
            ExitCode::FAILURE
        }
    }
}

//! The Tianping server binary: serves the app, and runs admin subcommands (migrate, seed,
//! kiosk-link, admin create-staff, audit verify, bench-notifications, bench-signalling).
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
        /// The court whose lobby the kiosk stands in, e.g. 京0105 (shown to people signing in).
        #[arg(long)]
        court: Option<String>,
    },
    /// Court staff accounts.
    Admin {
        #[command(subcommand)]
        action: AdminCommand,
    },
    /// Work with the audit log.
    Audit {
        #[command(subcommand)]
        action: AuditCommand,
    },
    /// The benchmark's notification storm on a throwaway server (make bench runs it).
    BenchNotifications {
        #[arg(long, default_value_t = 1000)]
        orders: usize,
        #[arg(long, default_value_t = 15)]
        copies: usize,
    },
    /// The benchmark's hearings' signalling on a throwaway server (make bench runs it).
    BenchSignalling {
        /// Online hearings of four participants each.
        #[arg(long, default_value_t = 100)]
        hearings: usize,
        /// ICE messages each participant relays.
        #[arg(long, default_value_t = 200)]
        messages: usize,
    },
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create a staff account for one court and print its one-time enrolment link.
    CreateStaff {
        /// The court, by its code in case numbers, e.g. 京0105.
        #[arg(long)]
        court: String,
        /// clerk, judge, mediator or admin.
        #[arg(long)]
        role: String,
        /// The staff member's name as shown to parties, e.g. 王书记.
        #[arg(long)]
        name: String,
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
        Command::KioskLink { device, court } => serve::kiosk_link(&config, &device, court.as_deref()).map(|link| println!("{link}")),
        Command::Admin { action: AdminCommand::CreateStaff { court, role, name } } => {
            serve::create_staff(&config, &court, &role, &name).await.map(|link| println!("{link}"))
        }
        Command::Audit { action: AuditCommand::Verify } => serve::audit_verify(&config).await,
        Command::BenchNotifications { orders, copies } => server::bench::notifications(orders, copies).await,
        Command::BenchSignalling { hearings, messages } => server::bench_signalling::signalling(hearings, messages).await,
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

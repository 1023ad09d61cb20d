//! The `guanxi` command as a new user runs it: first-admin bootstrap, demo data, create-user.

use std::process::Command;

fn guanxi(data: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_guanxi"))
        .args(args)
        .env_clear()
        .env("GUANXI_DATA_DIR", data)
        .env("GUANXI_LOG", "error")
        .envs(env.iter().copied())
        .output()
        .expect("run guanxi");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn first_admin_and_demo_data_on_sqlite() {
    first_admin_and_demo_data(None);
}

#[test]
fn first_admin_and_demo_data_on_postgres() {
    use diesel::{Connection, RunQueryDsl};
    let base = std::env::var("GUANXI_TEST_POSTGRES_URL").expect("GUANXI_TEST_POSTGRES_URL (run scripts/test)");
    let name = format!("gx_cli_{}", std::process::id());
    let mut admin = diesel::PgConnection::establish(&base).expect("connect");
    diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut admin).expect("create database");
    let (prefix, _) = base.rsplit_once('/').expect("URL with a database");
    first_admin_and_demo_data(Some(format!("{prefix}/{name}")));
}

fn first_admin_and_demo_data(database_url: Option<String>) {
    let data = std::env::temp_dir().join(format!("guanxi-cli-{}-{}", std::process::id(), database_url.is_some()));
    let url = database_url.unwrap_or_else(|| data.join("guanxi.db").to_string_lossy().into_owned());
    let guanxi = |args: &[&str], env: &[(&str, &str)]| {
        let mut env = env.to_vec();
        env.push(("GUANXI_DATABASE_URL", url.as_str()));
        guanxi(&data, args, &env)
    };
    let (ok, out, err) = guanxi(&["seed-demo", "--customers", "10"], &[]);
    assert!(ok, "{err}");
    assert!(out.contains("username: admin") && out.contains("password: "), "{out}");
    assert!(out.contains("10 customers now"), "{out}");
    // A first tiering with the default settings (those who bought within the year).
    assert!(out.contains("value tiers: ") && out.contains("customers scored"), "{out}");
    // Engagement for a demo of this size: consents, points, a finished and a scheduled campaign.
    assert!(out.contains("consents: 10 customers") && out.contains("loyalty: 5 rewards"), "{out}");
    assert!(out.contains("campaigns: one finished ("), "{out}");
    // Only once: the second run finds users and prints no password.
    let (ok, out, _) = guanxi(&["seed-demo"], &[]);
    assert!(ok && !out.contains("password: "), "{out}");

    let (ok, out, err) = guanxi(
        &["create-user", "--username", "li.lei", "--role", "compliance", "--unit", "BJ"],
        &[("GUANXI_PASSWORD", "a-long-password")],
    );
    assert!(ok, "{err}");
    assert!(out.contains("created user li.lei (compliance)"));
    let (ok, _, err) =
        guanxi(&["create-user", "--username", "x", "--role", "root"], &[("GUANXI_PASSWORD", "a-long-password")]);
    assert!(!ok && err.contains("unknown role"), "{err}");
    let (ok, _, err) = guanxi(&["create-user", "--username", "y", "--role", "agent"], &[("GUANXI_PASSWORD", "short")]);
    assert!(!ok && err.contains("10 to 256"), "{err}");
    let (ok, _, err) = guanxi(&["migrate"], &[("GUANXI_ACCESS_TOKEN_TTL", "soon")]);
    assert!(!ok && err.contains("GUANXI_ACCESS_TOKEN_TTL"), "{err}");
    let _ = std::fs::remove_dir_all(&data);
}

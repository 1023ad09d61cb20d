use std::collections::HashMap;
use std::path::PathBuf;

use actix_web::web;
use awc::http::StatusCode;
use diesel::{Connection, RunQueryDsl};
use guanxi::config::Settings;
use guanxi::startup::Application;
use guanxi::state::AppState;
use serde_json::{json, Value};

pub const ADMIN_PASSWORD: &str = "admin-test-password";

/// Runs one scenario on SQLite and on PostgreSQL, as two tests named after the backend.
#[macro_export]
macro_rules! both {
    ($name:ident, $scenario:ident) => {
        $crate::both!($name, $scenario, &[]);
    };
    ($name:ident, $scenario:ident, $extra:expr) => {
        mod $name {
            #[actix_web::test]
            async fn sqlite() {
                super::$scenario($crate::helpers::TestApp::start($crate::helpers::Db::Sqlite, $extra).await).await
            }
            #[actix_web::test]
            async fn postgres() {
                super::$scenario($crate::helpers::TestApp::start($crate::helpers::Db::Postgres, $extra).await).await
            }
        }
    };
}

#[derive(Clone, Copy, Debug)]
pub enum Db {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub base: String,
    pub state: web::Data<AppState>,
    pub data_dir: PathBuf,
    client: awc::Client,
    /// A group compliance officer made by the operator's CLI path, who approves what tests ask
    /// admins to grant (four eyes); made when first needed.
    approver: std::cell::RefCell<Option<String>>,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: awc::http::header::HeaderMap,
    pub body: Value,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
    }

    #[track_caller]
    pub fn expect(self, status: u16) -> Reply {
        assert_eq!(self.status.as_u16(), status, "unexpected status; body: {}", self.body);
        self
    }

    /// Asserts an RFC 9457 problem document with this status.
    #[track_caller]
    pub fn problem(self, status: u16) -> Reply {
        let r = self.expect(status);
        assert_eq!(r.header("content-type").as_deref(), Some("application/problem+json"));
        assert_eq!(r.body["status"], status);
        assert!(r.body["type"].as_str().is_some_and(|t| t.starts_with("https://")), "{}", r.body);
        assert!(r.body["instance"].is_string(), "problem names the request: {}", r.body);
        r
    }
}

fn postgres_database() -> String {
    let base = std::env::var("GUANXI_TEST_POSTGRES_URL")
        .expect("GUANXI_TEST_POSTGRES_URL is not set: run the suite with `scripts/test`, which starts PostgreSQL");
    let name = format!("gx_{}", uuid::Uuid::new_v4().simple());
    let mut admin = diesel::PgConnection::establish(&base).expect("connect to the test PostgreSQL");
    diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut admin).expect("create test database");
    let (prefix, _) = base.rsplit_once('/').expect("URL with a database name");
    format!("{prefix}/{name}")
}

impl TestApp {
    /// A fresh server on a fresh database: its own data dir, keys and first admin.
    pub async fn start(db: Db, extra: &[(&str, &str)]) -> TestApp {
        let data_dir = std::env::temp_dir().join(format!("guanxi-test-{}", uuid::Uuid::now_v7()));
        TestApp::start_in(data_dir, db, extra).await
    }

    /// Another server on the same database and data dir, with `extra` settings: a second instance
    /// behind the load balancer, or this one restarted.
    pub async fn twin(&self, extra: &[(&str, &str)]) -> TestApp {
        let url = self.state.settings.database_url.clone();
        let db = if url.starts_with("postgres") { Db::Postgres } else { Db::Sqlite };
        let env: Vec<(&str, &str)> =
            [("GUANXI_DATABASE_URL", url.as_str())].into_iter().chain(extra.iter().copied()).collect();
        TestApp::start_in(self.data_dir.clone(), db, &env).await
    }

    /// A server on an existing data dir (a restored backup, say).
    pub async fn start_in(data_dir: PathBuf, db: Db, extra: &[(&str, &str)]) -> TestApp {
        let mut env: HashMap<String, String> = HashMap::from([
            ("GUANXI_DATA_DIR".into(), data_dir.to_string_lossy().into_owned()),
            ("GUANXI_BIND".into(), "127.0.0.1:0".into()),
            ("GUANXI_ADMIN_PASSWORD".into(), ADMIN_PASSWORD.into()),
            ("GUANXI_WORKERS".into(), "2".into()),
            ("GUANXI_DB_POOL_SIZE".into(), "4".into()),
            ("GUANXI_LOGIN_PER_MINUTE".into(), "1000".into()),
            ("GUANXI_RATE_PER_MINUTE".into(), "100000".into()),
            ("GUANXI_STATIC_DIR".into(), data_dir.join("no-spa").to_string_lossy().into_owned()),
            ("GUANXI_LOG".into(), "warn".into()),
        ]);
        if let Db::Postgres = db {
            env.insert("GUANXI_DATABASE_URL".into(), postgres_database());
        }
        for (k, v) in extra {
            env.insert((*k).into(), (*v).into());
        }
        let settings = Settings::from_map(env).expect("test settings");
        let app = Application::build(settings).await.expect("server starts");
        let (port, state) = app.spawn();
        TestApp {
            base: format!("http://127.0.0.1:{port}"),
            state,
            data_dir,
            client: awc::Client::builder().timeout(std::time::Duration::from_secs(60)).finish(),
            approver: std::cell::RefCell::new(None),
        }
    }

    pub async fn send(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let method = awc::http::Method::from_bytes(method.as_bytes()).expect("method");
        let mut req = self.client.request(method, format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.insert_header(("Authorization", format!("Bearer {t}")));
        }
        for (k, v) in headers {
            req = req.insert_header((*k, *v));
        }
        let mut res = match body {
            Some(b) => req.send_json(&b).await,
            None => req.send().await,
        }
        .expect("request sent");
        let bytes = res.body().limit(10 * 1024 * 1024).await.expect("body read");
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
        };
        Reply { status: res.status(), headers: res.headers().clone(), body }
    }

    /// A file as the bytes it is (a spreadsheet is not text).
    pub async fn bytes(&self, path: &str, token: &str) -> (String, Vec<u8>) {
        let mut res = self
            .client
            .get(format!("{}{path}", self.base))
            .insert_header(("Authorization", format!("Bearer {token}")))
            .send()
            .await
            .expect("request sent");
        assert_eq!(res.status().as_u16(), 200, "{path}");
        let content_type = res.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
        (content_type, res.body().limit(64 * 1024 * 1024).await.expect("body").to_vec())
    }

    /// A download of any status: the reply (its body parsed when it is a problem) and the bytes.
    pub async fn file(&self, path: &str, token: &str) -> (Reply, Vec<u8>) {
        let mut res = self
            .client
            .get(format!("{}{path}", self.base))
            .insert_header(("Authorization", format!("Bearer {token}")))
            .send()
            .await
            .expect("request sent");
        let bytes = res.body().limit(64 * 1024 * 1024).await.expect("body").to_vec();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        (Reply { status: res.status(), headers: res.headers().clone(), body }, bytes)
    }

    pub async fn get(&self, path: &str, token: &str) -> Reply {
        self.send("GET", path, Some(token), None, &[]).await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> Reply {
        self.send("POST", path, Some(token), Some(body), &[]).await
    }

    pub async fn raw(&self, method: &str, path: &str, content_type: &str, body: &'static str) -> Reply {
        let method = awc::http::Method::from_bytes(method.as_bytes()).expect("method");
        let mut res = self
            .client
            .request(method, format!("{}{path}", self.base))
            .insert_header(("content-type", content_type))
            .send_body(body)
            .await
            .expect("request sent");
        let bytes = res.body().await.expect("body");
        Reply {
            status: res.status(),
            headers: res.headers().clone(),
            body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        }
    }

    /// Sends raw bytes (a file upload) and reads the reply as JSON or text.
    pub async fn upload(&self, path: &str, token: &str, content_type: &str, body: Vec<u8>) -> Reply {
        let mut res = self
            .client
            .post(format!("{}{path}", self.base))
            .insert_header(("Authorization", format!("Bearer {token}")))
            .insert_header(("content-type", content_type))
            .send_body(body)
            .await
            .expect("request sent");
        let bytes = res.body().limit(64 * 1024 * 1024).await.expect("body");
        Reply {
            status: res.status(),
            headers: res.headers().clone(),
            body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        }
    }

    /// Polls a job until it has finished; returns it.
    pub async fn wait_job(&self, id: &str, token: &str) -> Value {
        for _ in 0..600 {
            let job = self.get(&format!("/api/v1/jobs/{id}"), token).await.expect(200).body;
            if job["status"] == "succeeded" || job["status"] == "failed" {
                return job;
            }
            actix_web::rt::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("job {id} did not finish");
    }

    pub async fn login_reply(&self, username: &str, password: &str) -> Reply {
        self.send("POST", "/api/v1/auth/login", None, Some(json!({"username": username, "password": password})), &[])
            .await
    }

    /// Logs in and returns (access token, refresh token).
    pub async fn login(&self, username: &str, password: &str) -> (String, String) {
        let r = self.login_reply(username, password).await.expect(200);
        (r.body["access_token"].as_str().unwrap().to_owned(), r.body["refresh_token"].as_str().unwrap().to_owned())
    }

    pub async fn admin(&self) -> String {
        self.login("admin", ADMIN_PASSWORD).await.0
    }

    pub async fn group_id(&self, admin: &str) -> String {
        let units = self.get("/api/v1/units", admin).await.expect(200);
        units.body["items"][0]["id"].as_str().unwrap().to_owned()
    }

    pub async fn create_unit(&self, admin: &str, parent: &str, kind: &str, code: &str) -> String {
        let r = self
            .post("/api/v1/units", admin, json!({"parent_id": parent, "kind": kind, "code": code, "name": code}))
            .await
            .expect(201);
        r.body["id"].as_str().unwrap().to_owned()
    }

    /// Creates a user and returns (id, access token).
    pub async fn user(&self, admin: &str, username: &str, role: &str, unit: &str) -> (String, String) {
        let password = "user-test-password";
        let r = self
            .post(
                "/api/v1/users",
                admin,
                json!({"username": username, "display_name": username, "password": password, "role": role, "unit_id": unit}),
            )
            .await
            .expect(201);
        let id = r.body["id"].as_str().unwrap().to_owned();
        if let Some(grant) = r.body["pending_grant"].as_str() {
            let approver = self.approver().await;
            self.post(&format!("/api/v1/user-grants/{grant}/approve"), &approver, json!({})).await.expect(200);
        }
        (id, self.login(username, password).await.0)
    }

    /// The token of a group compliance officer created the way an operator does (`guanxi
    /// create-user`), the second person for four-eyes approvals.
    pub async fn approver(&self) -> String {
        if let Some(t) = self.approver.borrow().clone() {
            return t;
        }
        let password = "approver-test-password";
        let mut conn = self.state.db.get().expect("connection");
        let hash = guanxi::auth::password::hash(password);
        guanxi::db::transaction(&mut conn, |c| {
            guanxi::org::bootstrap::create_user(c, "approver", guanxi::auth::Role::Compliance, None, hash)
        })
        .expect("approver created");
        drop(conn);
        let token = self.login("approver", password).await.0;
        *self.approver.borrow_mut() = Some(token.clone());
        token
    }

    /// `SELECT COUNT(*) FROM {from_where}` straight on the server's database.
    pub fn count(&self, from_where: &str) -> i64 {
        #[derive(diesel::QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let mut conn = self.state.db.get().expect("connection");
        let rows: Vec<N> =
            diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {from_where}")).load(&mut **conn).expect("count");
        rows[0].n
    }

    /// Runs SQL directly against the server's database (to play the attacker with DB access).
    pub fn sql(&self, sql: &str) -> usize {
        let mut conn = self.state.db.get().expect("connection");
        diesel::sql_query(sql).execute(&mut **conn).expect("sql")
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.data_dir);
    }
}

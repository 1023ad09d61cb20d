//! Ticket attachments (SVC-5): a photo and a recording on the timeline, stored once per content
//! as sealed files under the data directory, typed by their bytes, limited in size, seen only
//! where the ticket is seen (404), shown to the customer only when public, gone after erasure.

use serde_json::{json, Value};

use crate::both;
use crate::fixtures::{customer, world};
use crate::helpers::TestApp;

/// A JPEG as a phone sends it: the marker bytes, then content we can look for on disk.
fn photo(words: &str) -> Vec<u8> {
    let mut b = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00, 0x01];
    b.extend_from_slice(words.as_bytes());
    b
}

fn png(words: &str) -> Vec<u8> {
    let mut b = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, b'I', b'H', b'D', b'R'];
    b.extend_from_slice(words.as_bytes());
    b
}

/// The files the store holds, as (path, contents).
fn stored(app: &TestApp) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let Ok(dirs) = std::fs::read_dir(app.data_dir.join("attachments")) else { return out };
    for d in dirs.flatten() {
        for f in std::fs::read_dir(d.path()).unwrap().flatten() {
            out.push((f.path(), std::fs::read(f.path()).unwrap()));
        }
    }
    out
}

fn attachments(t: &Value) -> Vec<Value> {
    t["timeline"].as_array().unwrap().iter().filter(|e| e["kind"] == "attachment").cloned().collect()
}

async fn new_ticket(app: &TestApp, token: &str, customer: &str) -> String {
    let body = json!({"customer_id": customer, "kind": "complaint", "channel": "app", "subject": "机顶盒无信号"});
    app.post("/api/v1/tickets", token, body).await.expect(201).body["id"].as_str().unwrap().to_owned()
}

fn sweep(app: &TestApp) -> Value {
    let mut conn = app.state.db.get().unwrap();
    let files = guanxi::tickets::files::Files::new(&app.state.settings.data_dir);
    let out = guanxi::tickets::attachments::sweep(&mut conn, &files, std::time::Duration::ZERO).unwrap();
    serde_json::to_value(out).unwrap()
}

async fn attachments_are_sealed_typed_scoped_and_erased(app: TestApp) {
    let w = world(&app).await;
    let c = customer(&app, &w.manager, "冯小宝", "13100131000").await;
    let d = customer(&app, &w.manager, "陈大宝", "13100131001").await;
    let id = new_ticket(&app, &w.agent, &c).await;
    let base = format!("/api/v1/tickets/{id}/attachments");

    // The agent attaches the customer's photo; the path the browser sent is dropped.
    let box_photo = photo("SETTOPBOX-SERIAL-4471");
    let t = app
        .upload(
            &format!("{base}?file_name=C%3A%5Cphotos%5C%E6%9C%BA%E9%A1%B6%E7%9B%92.jpg"),
            &w.agent,
            "image/jpeg",
            box_photo.clone(),
        )
        .await
        .expect(201)
        .body;
    let entries = attachments(&t);
    assert_eq!(entries.len(), 1);
    let a = &entries[0];
    assert_eq!((a["body"].as_str(), a["public"].as_bool()), (Some("机顶盒.jpg"), Some(false)));
    assert_eq!(a["data"], json!({"content_type": "image/jpeg", "size_bytes": box_photo.len()}));
    let aid = a["id"].as_str().unwrap().to_owned();

    // Downloaded as it was sent, with its name and type, never sniffed as anything else.
    let (r, bytes) = app.file(&format!("{base}/{aid}"), &w.manager).await;
    assert_eq!(r.status.as_u16(), 200);
    assert_eq!(bytes, box_photo);
    assert_eq!(r.header("content-type").as_deref(), Some("image/jpeg"));
    assert_eq!(r.header("x-content-type-options").as_deref(), Some("nosniff"));
    let disposition = r.header("content-disposition").unwrap();
    assert!(disposition.contains("filename*=UTF-8''%E6%9C%BA%E9%A1%B6%E7%9B%92.jpg"), "{disposition}");
    assert_eq!(app.count("audit_log WHERE action = 'ticket.attachment.read'"), 1);

    // On disk: one file named by the content's SHA-256, sealed (the serial is nowhere to read).
    let files = stored(&app);
    assert_eq!(files.len(), 1);
    let sha = files[0].0.file_name().unwrap().to_str().unwrap().to_owned();
    assert_eq!(sha.len(), 64);
    assert!(!files[0].1.windows(9).any(|w| w == b"SETTOPBOX"), "the file is sealed");
    // The same photo on another customer's ticket is stored once.
    let other = new_ticket(&app, &w.agent, &d).await;
    let on_other = app
        .upload(&format!("/api/v1/tickets/{other}/attachments"), &w.agent, "image/jpeg", box_photo.clone())
        .await
        .expect(201)
        .body;
    let oid = attachments(&on_other)[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(stored(&app).len(), 1);
    assert_eq!(app.count(&format!("ticket_attachments WHERE sha256 = '{sha}'")), 2);

    // The type comes from the bytes: text called a photo is refused, as is nothing, and a file
    // over 20 MiB; so is a name too long to show.
    let r = app.upload(&base, &w.agent, "image/jpeg", b"just some text".to_vec()).await.problem(422);
    assert_eq!(
        (r.body["errors"][0]["field"].as_str(), r.body["errors"][0]["code"].as_str()),
        (Some("file"), Some("file_type"))
    );
    assert!(r.body["errors"][0]["params"]["allowed"].as_str().unwrap().contains("image/png"));
    let r = app.upload(&base, &w.agent, "application/octet-stream", Vec::new()).await.problem(422);
    assert_eq!(r.body["errors"][0]["code"], "required");
    let mut huge = photo("x");
    huge.resize(20 * 1024 * 1024 + 1, 0);
    app.upload(&base, &w.agent, "image/jpeg", huge).await.problem(413);
    let long = "a".repeat(201);
    let r = app.upload(&format!("{base}?file_name={long}"), &w.agent, "image/jpeg", photo("y")).await.problem(422);
    assert_eq!(r.body["errors"][0]["field"], "file_name");
    assert_eq!(app.count(&format!("ticket_attachments WHERE ticket_id = '{id}'")), 1, "nothing half-written");

    // Another subsidiary sees neither the ticket nor its files; read-only roles may read, not attach.
    app.upload(&base, &w.other_manager, "image/jpeg", photo("z")).await.problem(404);
    assert_eq!(app.file(&format!("{base}/{aid}"), &w.other_manager).await.0.status.as_u16(), 404);
    app.upload(&base, &w.auditor, "image/jpeg", photo("z")).await.problem(403);
    assert_eq!(app.file(&format!("{base}/{aid}"), &w.compliance).await.0.status.as_u16(), 200);
    assert_eq!(app.file(&format!("{base}/nope"), &w.manager).await.0.status.as_u16(), 404);
    assert_eq!(
        app.file(&format!("/api/v1/tickets/{other}/attachments/{aid}"), &w.manager).await.0.status.as_u16(),
        404
    );

    // The customer, through their link, sees only what is shown to them, and adds a recording.
    let link = app.post(&format!("/api/v1/customers/{c}/ticket-links"), &w.agent, json!({})).await.expect(201).body;
    let token = link["token"].as_str().unwrap().to_owned();
    let own = format!("/api/v1/self-service/tickets/{id}");
    let mine = app.get(&own, &token).await.expect(200).body;
    assert!(attachments(&mine).is_empty(), "the internal photo is not on the customer's timeline");
    assert_eq!(app.file(&format!("{own}/attachments/{aid}"), &token).await.0.status.as_u16(), 404);
    let guide = app
        .upload(&format!("{base}?file_name=guide.png&public=true"), &w.agent, "image/png", png("RESET-GUIDE"))
        .await
        .expect(201)
        .body;
    let gid = attachments(&guide).last().unwrap()["id"].as_str().unwrap().to_owned();
    let (r, bytes) = app.file(&format!("{own}/attachments/{gid}"), &token).await;
    assert_eq!((r.status.as_u16(), bytes), (200, png("RESET-GUIDE")));
    let mut wav = b"RIFF\x24\x00\x00\x00WAVEfmt ".to_vec();
    wav.extend_from_slice(b"CALLER-VOICE");
    let mine = app
        .upload(&format!("{own}/attachments?file_name=call.wav"), &token, "audio/wav", wav.clone())
        .await
        .expect(201)
        .body;
    let theirs = attachments(&mine);
    assert_eq!(theirs.len(), 2, "the guide and the recording");
    assert_eq!(theirs[1]["data"]["content_type"], "audio/x-wav");
    let staff = app.get(&format!("/api/v1/tickets/{id}"), &w.agent).await.expect(200).body;
    assert_eq!(attachments(&staff).len(), 3);
    // Another customer's ticket is not theirs.
    app.upload(&format!("/api/v1/self-service/tickets/{other}/attachments"), &token, "image/png", png("q"))
        .await
        .problem(404);
    assert_eq!(stored(&app).len(), 3);

    // Erasure: the customer's attachments go at once; the sweep then deletes the files no ticket
    // holds — the photo stays while the other customer's ticket holds it.
    let req = app
        .post(
            "/api/v1/privacy-requests",
            &w.agent,
            json!({"customer_id": c, "kind": "deletion", "details": "来电申请"}),
        )
        .await
        .expect(201)
        .body;
    let path = format!("/api/v1/privacy-requests/{}/complete", req["id"].as_str().unwrap());
    assert_eq!(app.post(&path, &w.compliance, json!({})).await.expect(200).body["status"], "completed");
    assert_eq!(app.count(&format!("ticket_attachments WHERE ticket_id = '{id}'")), 0);
    assert_eq!(app.file(&format!("{base}/{aid}"), &w.manager).await.0.status.as_u16(), 404);
    assert_eq!(sweep(&app), json!({"files_seen": 3, "files_removed": 2}));
    let left = stored(&app);
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].0.file_name().unwrap().to_str().unwrap(), sha);
    let (r, bytes) = app.file(&format!("/api/v1/tickets/{other}/attachments/{oid}"), &w.agent).await;
    assert_eq!((r.status.as_u16(), bytes), (200, box_photo));
}
both!(attachments_are_sealed_typed_scoped_and_erased, attachments_are_sealed_typed_scoped_and_erased);

//! CSV import as a job: exactly the good rows land, each bad row is reported with its line and
//! reason, a second run of the same file creates nobody twice, and the error report is the
//! importer's alone.

use std::collections::BTreeSet;

use crate::both;
use crate::helpers::TestApp;

/// A GB 11643 resident id for a birth date and sequence number (odd sequence: male).
fn resident_id(birth: &str, seq: u32) -> String {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let first17 = format!("110105{birth}{seq:03}");
    let sum: u32 = first17.bytes().zip(WEIGHTS).map(|(b, w)| u32::from(b - b'0') * w).sum();
    format!("{first17}{}", b"10X98765432"[(sum % 11) as usize] as char)
}

/// 100 rows; the lines (file line numbers) of the 10 bad ones, with the field each names.
fn file() -> (String, Vec<(u64, &'static str)>) {
    let mut csv = String::from("name,national_id,mobile,email,gender,income_band,tags,source_channel\n");
    let mut bad = Vec::new();
    for i in 0..100u32 {
        let line = u64::from(i) + 2;
        let mobile = format!("1390000{i:04}");
        let id = resident_id(&format!("1985{:02}{:02}", 1 + i % 12, 1 + i % 28), i % 1000);
        let row = match i {
            7 => {
                bad.push((line, "national_id"));
                format!("钱七,110105198501011230,{mobile},,,,,sales")
            }
            15 => {
                bad.push((line, "mobile"));
                "孙十五,,12345,,,,,sales".to_owned()
            }
            23 => {
                bad.push((line, "name"));
                format!(",,{mobile},,,,,sales")
            }
            31 => {
                bad.push((line, "income_band"));
                format!("周三一,,{mobile},,,rich,,sales")
            }
            39 => {
                bad.push((line, "email"));
                format!("吴三九,,{mobile},not-an-email,,,,sales")
            }
            47 => {
                bad.push((line, "source_channel"));
                format!("郑四七,,{mobile},,,,,carrier-pigeon")
            }
            55 => {
                bad.push((line, "row"));
                "王五五,,,,,,,sales".to_owned()
            }
            63 => {
                bad.push((line, "row"));
                "冯六三,,13900000062,,,,,sales".to_owned()
            } // line 64 has this mobile first
            71 => {
                bad.push((line, "gender"));
                format!("陈七一,{id},{mobile},,female,,,sales")
            } // id says male
            79 => {
                bad.push((line, "source"));
                format!("褚七九,,{mobile},,,,,third_party")
            }
            _ if i % 2 == 0 => format!("李{i},{id},{mobile},c{i}@example.com,,middle,vip|imported,survey"),
            _ => format!("\"赵,{i}\",,{mobile},,,,,sales"),
        };
        csv.push_str(&row);
        csv.push('\n');
    }
    (csv, bad)
}

async fn import_lands_exactly_the_good_rows(app: TestApp) {
    let admin = app.admin().await;
    let group = app.group_id(&admin).await;
    let s1 = app.create_unit(&admin, &group, "subsidiary", "S1").await;
    let s2 = app.create_unit(&admin, &group, "subsidiary", "S2").await;
    let (_, manager) = app.user(&admin, "manager1", "manager", &s1).await;
    let (_, agent) = app.user(&admin, "agent1", "agent", &s1).await;
    let (_, other) = app.user(&admin, "manager2", "manager", &s2).await;
    let (csv, bad) = file();

    app.upload("/api/v1/customers/imports", &agent, "text/csv", csv.clone().into_bytes()).await.problem(403);
    let started = app
        .upload("/api/v1/customers/imports?file_name=list.csv", &manager, "text/csv", csv.clone().into_bytes())
        .await
        .expect(202);
    let id = started.body["id"].as_str().unwrap().to_owned();
    assert_eq!(started.header("location").unwrap(), format!("/api/v1/jobs/{id}"));
    let job = app.wait_job(&id, &manager).await;
    assert_eq!(job["status"], "succeeded", "{job}");
    let r = &job["result"];
    assert_eq!(
        (r["rows"].as_i64(), r["created"].as_i64(), r["rejected"].as_i64()),
        (Some(100), Some(90), Some(10)),
        "{r}"
    );
    assert_eq!((job["done"].as_i64(), job["total"].as_i64(), job["errors"].as_i64()), (Some(100), Some(100), Some(10)));

    // Each bad row is reported with its line and the field at fault.
    let reported: BTreeSet<(u64, String)> = r["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["line"].as_u64().unwrap(), e["field"].as_str().unwrap().to_owned()))
        .collect();
    let lines: BTreeSet<u64> = reported.iter().map(|(l, _)| *l).collect();
    let expected: BTreeSet<u64> = bad.iter().map(|(l, _)| *l).collect();
    assert_eq!(lines, expected, "{reported:?}");
    for (line, field) in &bad {
        assert!(reported.contains(&(*line, (*field).to_owned())), "line {line} should name {field}: {reported:?}");
    }

    // Exactly the 90 good rows are there, masked for a frontline role.
    let list = app.get("/api/v1/customers?limit=500", &agent).await.expect(200).body;
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 90);
    assert!(items.iter().all(|c| c["mobile"].as_str().unwrap().contains('*')), "masked for an agent");
    let tagged = app.get("/api/v1/customers?tag=imported&limit=500", &manager).await.expect(200).body;
    assert_eq!(tagged["items"].as_array().unwrap().len(), 50, "the even rows");

    // The full error report is a download for the importer only.
    let report =
        app.send("GET", &format!("/api/v1/jobs/{id}/files/errors.csv"), Some(&manager), None, &[]).await.expect(200);
    let text = report.body.as_str().unwrap().to_owned();
    assert_eq!(text.lines().count(), 11, "{text}");
    assert!(text.starts_with("line,field,code,message"));
    app.get(&format!("/api/v1/jobs/{id}/files/errors.csv"), &other).await.problem(404);
    app.get(&format!("/api/v1/jobs/{id}/files/upload.csv"), &manager).await.problem(404);

    // The same file again: nobody twice.
    let again =
        app.upload("/api/v1/customers/imports", &manager, "text/csv", csv.clone().into_bytes()).await.expect(202);
    let job = app.wait_job(again.body["id"].as_str().unwrap(), &manager).await;
    assert_eq!((job["result"]["created"].as_i64(), job["result"]["existing"].as_i64()), (Some(0), Some(90)), "{job}");
    let list = app.get("/api/v1/customers?limit=500", &manager).await.expect(200).body;
    assert_eq!(list["items"].as_array().unwrap().len(), 90);

    // Another subsidiary's import is its own: its customers are created there, ours stay unseen.
    let theirs = app.upload("/api/v1/customers/imports", &other, "text/csv", csv.into_bytes()).await.expect(202);
    let job = app.wait_job(theirs.body["id"].as_str().unwrap(), &other).await;
    assert_eq!(job["result"]["created"].as_i64(), Some(90));
    let mine = app.get("/api/v1/customers?limit=500", &manager).await.expect(200).body;
    assert_eq!(mine["items"].as_array().unwrap().len(), 90);

    // My jobs, newest first.
    let jobs = app.get("/api/v1/jobs?kind=customers.import", &manager).await.expect(200).body;
    assert_eq!(jobs["items"].as_array().unwrap().len(), 2);
    assert_eq!(jobs["items"][1]["id"].as_str(), Some(id.as_str()));
}
both!(import_lands_exactly_the_good_rows, import_lands_exactly_the_good_rows);

async fn unreadable_files_are_refused_before_queueing(app: TestApp) {
    let admin = app.admin().await;
    let group = app.group_id(&admin).await;
    let (_, manager) = app.user(&admin, "manager1", "manager", &group).await;
    let url = "/api/v1/customers/imports";
    let p = app.upload(url, &manager, "text/csv", b"name,shoe_size\n".to_vec()).await.problem(422);
    assert_eq!(p.body["errors"][0]["field"], "file");
    assert_eq!(p.body["errors"][0]["params"]["value"], "shoe_size");
    assert!(p.body["errors"][0]["message"].as_str().unwrap().contains("shoe_size"));
    app.upload(url, &manager, "text/csv", b"mobile\n13900000000\n".to_vec()).await.problem(422);
    app.upload(url, &manager, "text/csv", vec![b'n', b'a', b'm', b'e', b'\n', 0xff, 0xfe]).await.problem(422);
    app.upload(url, &manager, "application/json", b"{}".to_vec()).await.problem(415);
    app.upload(&format!("{url}?source_supplier=x"), &manager, "text/csv", b"name\n".to_vec()).await.problem(422);
    // A BOM (as spreadsheet programs write) is fine, and so is a file of only a header.
    let ok = app.upload(url, &manager, "text/csv", b"\xEF\xBB\xBFname,mobile\n".to_vec()).await.expect(202);
    let job = app.wait_job(ok.body["id"].as_str().unwrap(), &manager).await;
    assert_eq!(job["result"]["rows"].as_i64(), Some(0), "{job}");
}
both!(unreadable_files_are_refused_before_queueing, unreadable_files_are_refused_before_queueing);

/// A file longer than one chunk: rows are read and written in separate stages, chunk by chunk,
/// and neither the duplicate check nor the error count may stop at a chunk's edge.
async fn imports_across_chunks(app: TestApp) {
    let admin = app.admin().await;
    let group = app.group_id(&admin).await;
    let s1 = app.create_unit(&admin, &group, "subsidiary", "S1").await;
    let (_, manager) = app.user(&admin, "manager1", "manager", &s1).await;
    let rows = guanxi::customers::bulk::import::CHUNK + 50;
    let (bad_line, duplicate_line) = (rows as u64 - 20, rows as u64 - 5);
    let mut csv = String::from("name,mobile,source_channel\n");
    for i in 0..rows {
        let line = i as u64 + 2;
        let mobile = match line {
            l if l == bad_line => "12345".to_owned(),
            l if l == duplicate_line => "13900000001".to_owned(), // line 3's
            _ => format!("139{i:08}"),
        };
        csv.push_str(&format!("客户{i},{mobile},sales\n"));
    }
    let started = app.upload("/api/v1/customers/imports", &manager, "text/csv", csv.into_bytes()).await.expect(202);
    let job = app.wait_job(started.body["id"].as_str().unwrap(), &manager).await;
    assert_eq!(job["status"], "succeeded", "{job}");
    let r = &job["result"];
    let expected = (Some(rows as i64), Some(rows as i64 - 2), Some(2));
    assert_eq!((r["rows"].as_i64(), r["created"].as_i64(), r["rejected"].as_i64()), expected, "{r}");
    // More than the count's cap: "10,000+", read without counting every row.
    let count = app.get("/api/v1/customers/count", &manager).await.expect(200).body;
    assert_eq!(count, serde_json::json!({"count": 10_000, "exact": false}));
    let some = app.get("/api/v1/customers/count?tag=none-has-it", &manager).await.expect(200).body;
    assert_eq!(some, serde_json::json!({"count": 0, "exact": true}));
    assert_eq!((job["done"].as_i64(), job["errors"].as_i64()), (Some(rows as i64), Some(2)));
    let errors: Vec<(u64, &str)> = r["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["line"].as_u64().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!(errors[0].0, bad_line);
    assert_eq!(errors[1], (duplicate_line, "duplicate"));
    assert_eq!(r["errors"][1]["params"]["first"], 3, "{r}");
    assert!(r["errors"][1]["message"].as_str().unwrap().contains("第 3 行"), "{r}");
    let found = app.get("/api/v1/customers?q=13900000001", &manager).await.expect(200).body;
    assert_eq!(found["items"].as_array().unwrap().len(), 1, "the first holder of the mobile only");
}
both!(imports_across_chunks, imports_across_chunks);

/// What Excel on Chinese Windows saves: GBK, Chinese headers and values. The names land intact
/// (never as mojibake), the template comes in the caller's language, and bytes no encoding reads
/// are refused with where they are.
async fn spreadsheet_files_in_chinese(app: TestApp) {
    let admin = app.admin().await;
    let group = app.group_id(&admin).await;
    let (_, manager) = app.user(&admin, "manager1", "manager", &group).await;
    let template = app.send("GET", "/api/v1/customers/imports/template", Some(&manager), None, &[]).await.expect(200);
    let text = match &template.body {
        serde_json::Value::String(s) => s.clone(),
        other => panic!("{other}"),
    };
    assert!(text.starts_with('\u{feff}'), "a BOM so that Excel and WPS read UTF-8");
    let headers: Vec<&str> = text.trim_start_matches('\u{feff}').trim_end().split(',').collect();
    assert!(headers.contains(&"姓名") && headers.contains(&"手机号") && headers.contains(&"性别"), "{headers:?}");
    let en = [("Accept-Language", "en")];
    let template = app.send("GET", "/api/v1/customers/imports/template", Some(&manager), None, &en).await.expect(200);
    assert!(template.body.as_str().unwrap().contains("mobile"));

    let csv = "姓名,手机号,性别,来源渠道\n张三丰,13800138000,男,销售\n李四,13900139000,female,service\n王五,13700137000,未知,服务\n";
    let (gbk, _, lossy) = encoding_rs::GBK.encode(csv);
    assert!(!lossy && std::str::from_utf8(&gbk).is_err(), "the file is GBK, not UTF-8");
    let url = "/api/v1/customers/imports";
    let started = app.upload(url, &manager, "text/csv", gbk.into_owned()).await.expect(202);
    let job = app.wait_job(started.body["id"].as_str().unwrap(), &manager).await;
    assert_eq!((job["result"]["created"].as_i64(), job["result"]["rejected"].as_i64()), (Some(2), Some(1)), "{job}");
    assert_eq!(
        (job["result"]["errors"][0]["field"].as_str(), job["result"]["errors"][0]["code"].as_str()),
        (Some("gender"), Some("enum"))
    );
    assert_eq!(job["result"]["errors"][0]["params"]["value"], "未知", "the cell as written, decoded");
    let found = app.get("/api/v1/customers?name=%E5%BC%A0%E4%B8%89%E4%B8%B0", &manager).await.expect(200).body;
    assert_eq!(found["items"].as_array().unwrap().len(), 1, "the name was stored as written: {found}");
    let id = found["items"][0]["id"].as_str().unwrap();
    let one = app.get(&format!("/api/v1/customers/{id}"), &manager).await.expect(200).body;
    assert_eq!((one["gender"].as_str(), one["source"]["channel"].as_str()), (Some("male"), Some("sales")), "{one}");

    let unreadable = [b"name\n".as_slice(), &[0x81, 0x20, b'\n']].concat();
    let p = app.upload(url, &manager, "text/csv", unreadable).await.problem(422);
    assert_eq!(
        (p.body["errors"][0]["code"].as_str(), &p.body["errors"][0]["params"]["byte"]),
        (Some("encoding"), &serde_json::json!(5))
    );
}
both!(spreadsheet_files_in_chinese, spreadsheet_files_in_chinese);

/// A file whose header the server cannot read (another system's export) imports with the columns
/// chosen in the preview: each column named, one skipped; a mapping that does not fit the file
/// is refused before anything is queued.
async fn columns_mapped_by_hand(app: TestApp) {
    let admin = app.admin().await;
    let group = app.group_id(&admin).await;
    let (_, manager) = app.user(&admin, "manager1", "manager", &group).await;
    // What a mapping screen offers: every column by code, with its header in both languages.
    let columns = app.get("/api/v1/customers/imports/columns", &manager).await.expect(200).body;
    let name = columns["items"].as_array().unwrap().iter().find(|c| c["code"] == "name").unwrap().clone();
    assert_eq!(name, serde_json::json!({"code": "name", "zh": "姓名", "en": "name", "required": true}));
    assert!(columns["items"].as_array().unwrap().iter().any(|c| c["code"] == "mobile" && c["zh"] == "手机号"));
    let (_, agent) = app.user(&admin, "agent1", "agent", &group).await;
    app.get("/api/v1/customers/imports/columns", &agent).await.problem(403);
    let url = "/api/v1/customers/imports";
    let file = || "客户名称,联系电话,备注\n周八,13600136000,老客户\n".as_bytes().to_vec();
    let p = app.upload(url, &manager, "text/csv", file()).await.problem(422);
    assert_eq!(
        (p.body["errors"][0]["field"].as_str(), p.body["errors"][0]["code"].as_str()),
        (Some("file"), Some("column"))
    );
    let refused = [
        ("name,mobile", "count"),
        ("name,mobile,shoe_size", "column"),
        ("name,name,", "repeated"),
        ("mobile,,", "name_column"),
    ];
    for (columns, code) in refused {
        let p = app.upload(&format!("{url}?columns={columns}"), &manager, "text/csv", file()).await.problem(422);
        assert_eq!(
            (p.body["errors"][0]["field"].as_str(), p.body["errors"][0]["code"].as_str()),
            (Some("columns"), Some(code)),
            "{columns}"
        );
    }
    let mapped = format!("{url}?columns=name,mobile,&source_channel=service");
    let started = app.upload(&mapped, &manager, "text/csv", file()).await.expect(202);
    let job = app.wait_job(started.body["id"].as_str().unwrap(), &manager).await;
    assert_eq!((job["result"]["created"].as_i64(), job["result"]["rejected"].as_i64()), (Some(1), Some(0)), "{job}");
    let found = app.get("/api/v1/customers?mobile=13600136000", &manager).await.expect(200).body;
    assert_eq!(found["items"].as_array().unwrap().len(), 1, "{found}");
    let id = found["items"][0]["id"].as_str().unwrap();
    let one = app.get(&format!("/api/v1/customers/{id}"), &manager).await.expect(200).body;
    assert_eq!(
        (one["name"].as_str(), one["occupation"].as_str()),
        (Some("周八"), None),
        "the skipped column is not read: {one}"
    );
}
both!(columns_mapped_by_hand, columns_mapped_by_hand);

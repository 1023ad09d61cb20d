//! Every sentence the server sends, in Chinese and English, under the code that stands for it.
//! Placeholders (`{days}`) name the code's parameters; both languages use the same ones (a test
//! holds them to it). `label.*` are field names as users know them, put in for `{field}`.

use super::Lang;

pub struct Pair(pub &'static str, pub &'static str);

impl Pair {
    pub fn pick(&self, lang: Lang) -> &'static str {
        if lang == Lang::En {
            self.1
        } else {
            self.0
        }
    }
}

pub const GENERIC_FIELD: Pair = Pair("{field} 的值无效", "{field} is invalid");

pub fn lookup(key: &str) -> Option<(&'static str, &'static str)> {
    ENTRIES.iter().find(|(k, _, _)| *k == key).map(|(_, zh, en)| (*zh, *en))
}

#[rustfmt::skip]
pub const ENTRIES: &[(&str, &str, &str)] = &[
    // Problem titles, one per problem type.
    ("problem.bad-request", "请求无法解析", "Bad request"),
    ("problem.unauthorized", "需要登录", "Authentication required"),
    ("problem.forbidden", "无权执行此操作", "Not allowed"),
    ("problem.not-found", "未找到", "Not found"),
    ("problem.method-not-allowed", "不支持此请求方法", "Method not allowed"),
    ("problem.conflict", "当前状态不允许此操作", "Conflict"),
    ("problem.precondition-failed", "记录已被他人修改", "Version mismatch"),
    ("problem.payload-too-large", "请求内容过大", "Request body too large"),
    ("problem.unsupported-media-type", "不支持的内容类型", "Unsupported media type"),
    ("problem.validation", "填写的内容有误", "Invalid request"),
    ("problem.precondition-required", "缺少版本信息（If-Match）", "If-Match required"),
    ("problem.rate-limited", "请求过于频繁", "Too many requests"),
    ("problem.headers-too-large", "请求头过大", "Request headers too large"),
    ("problem.internal", "系统内部错误", "Internal error"),
    ("problem.unavailable", "服务暂不可用", "Service unavailable"),
    // Details of the problems that carry no reason of their own.
    ("problem.precondition-failed.detail", "读取之后该记录已被修改，请重新加载后再试", "the resource changed since it was read; fetch it again"),
    ("problem.precondition-required.detail", "修改时需附带当前的 ETag（If-Match）", "send If-Match with the current ETag"),
    ("problem.rate-limited.detail", "请在 {seconds} 秒后重试", "retry after {seconds} s"),
    ("problem.internal.detail", "错误已记录，请提供请求编号", "the error was logged; quote the instance id"),
    // 401: why the credentials were not accepted.
    ("unauthorized.token_missing", "缺少访问令牌，请登录", "missing bearer token"),
    ("unauthorized.token_invalid", "访问令牌无效或已过期，请重新登录", "invalid or expired token"),
    ("unauthorized.authorization_malformed", "Authorization 请求头格式不正确", "malformed authorization header"),
    ("unauthorized.api_key_invalid", "API 密钥无效", "invalid API key"),
    ("unauthorized.session_ended", "会话已结束，请重新登录", "session ended"),
    ("unauthorized.credentials_invalid", "用户名或密码错误", "invalid username or password"),
    ("unauthorized.refresh_reused", "刷新令牌被重复使用，会话已结束", "refresh token reused; the session has been ended"),
    ("unauthorized.refresh_invalid", "刷新令牌无效或已过期", "invalid or expired refresh token"),
    ("unauthorized.metrics_token", "需要监控令牌", "metrics token required"),
    ("unauthorized.link_missing", "缺少同意管理链接", "missing consent link"),
    ("unauthorized.link_invalid", "链接无效或已过期", "invalid or expired link"),
    // 400: requests that cannot be read.
    ("bad_request.json_malformed", "请求内容不是有效的 JSON（第 {line} 行第 {column} 列）", "malformed JSON (line {line}, column {column})"),
    ("bad_request.body_unreadable", "无法读取请求内容", "unreadable request body"),
    ("bad_request.path_invalid", "地址中的参数无效", "invalid path parameter"),
    ("bad_request.url_nul", "地址中不能包含 %00", "the URL must not contain %00"),
    ("bad_request.unreadable", "无法处理该请求", "the request cannot be processed"),
    ("bad_request.api_key_no_session", "API 密钥没有会话，请直接吊销该密钥", "API keys have no session; revoke the key instead"),
    ("bad_request.integration_user", "系统集成请使用 API 密钥，而不是用户账号", "integrations use API keys, not user accounts"),
    ("bad_request.unit_code_unknown", "没有编码为 {code} 的组织单元", "no unit with code `{code}`"),
    // 409: the state does not allow it.
    ("conflict.duplicate", "已存在相同唯一值的记录", "a record with the same unique value exists"),
    ("conflict.job_interrupted", "任务多次中断，已放弃", "gave up after repeated interruptions"),
    ("conflict.job_lease_lost", "任务已被其他进程接管", "job lease lost"),
    ("conflict.job_kind_unknown", "未知的任务类型 {kind}", "unknown job kind `{kind}`"),
    ("conflict.job_owner_inactive", "发起此任务的用户或密钥已无权操作", "the user or key that started this job may no longer act"),
    ("conflict.username_taken", "用户名 {username} 已被占用", "the username `{username}` is taken"),
    ("conflict.grant_second_person", "授权须由申请人和被授权人以外的第二人批准", "a grant is approved by a second person, not its requester or its user"),
    ("conflict.offboard_self", "不能为自己办理离职", "you cannot offboard yourself"),
    ("conflict.group_exists", "集团单元已存在", "the group unit exists already"),
    ("conflict.group_undeletable", "集团单元不能删除", "the group unit cannot be deleted"),
    ("conflict.unit_not_empty", "该单元仍有 {children} 个下级单元、{people} 名用户、{customers} 位客户和 {keys} 个 API 密钥", "the unit still has {children} sub-units, {people} users, {customers} customers and {keys} API keys"),
    ("conflict.own_account", "不能停用自己的账号或修改自己的角色", "you cannot disable or change the role of your own account"),
    ("conflict.idempotency_running", "使用此幂等键的请求仍在处理中，请稍后重试", "a request with this Idempotency-Key is still running; retry shortly"),
    ("conflict.incident_closed", "该事件已关闭", "the incident is closed"),
    ("conflict.upload_gone", "上传的文件已不存在", "the uploaded file is gone"),
    ("conflict.merge_undone", "此合并已撤销", "this merge was already undone"),
    ("conflict.merge_erased", "此合并涉及的客户已被删除，无法撤销", "a customer of this merge was erased; it cannot be undone"),
    ("conflict.merge_undo_expired", "合并只能在 {days} 天内撤销", "merges can be undone for {days} days"),
    ("conflict.merge_target_changed", "合并后的客户已被修改，撤销会丢失这些修改", "the merged customer changed since the merge; undo would lose that"),
    ("conflict.partner_gone", "合作方已不存在", "the partner is gone"),
    ("conflict.partner_code_taken", "已存在相同编码的合作方", "a partner with this code exists"),
    ("conflict.notice_race", "同一时刻已发布了另一个版本，请重试", "another version was published at the same moment; try again"),
    ("conflict.keys_not_loaded", "本服务器使用密钥 {field_key} 和 {blind_key}，而本次轮换的目标是 {target_field_key} 和 {target_blind_key}：请用新密钥文件重启所有服务器后再开始", "this server uses keys {field_key} and {blind_key}, the run moves to {target_field_key} and {target_blind_key}: restart every server with the new key files, then start the run again"),
    ("conflict.request_closed", "该请求已办结", "this request is closed"),
    ("conflict.not_access_request", "只有查阅请求才有副本", "only access requests have a copy"),
    // Field errors by code ({field} is the field's label), then for one field where it says more.
    ("field.required", "请填写{field}", "{field} is required"),
    ("field.length.between", "{field}应为 {min}–{max} 个字符", "{field} must have {min} to {max} characters"),
    ("field.length.max", "{field}最多 {max} 个字符", "{field} must have at most {max} characters"),
    ("field.length.min", "{field}至少 {min} 个字符", "{field} must have at least {min} characters"),
    ("field.length.equal", "{field}应为 {equal} 个字符", "{field} must have {equal} characters"),
    ("field.length.items", "{field}的数量应在 {min}–{max} 之间", "{field} must have {min} to {max} items"),
    ("field.range.between", "{field}应在 {min} 到 {max} 之间", "{field} must be between {min} and {max}"),
    ("field.range.max", "{field}不能大于 {max}", "{field} must be at most {max}"),
    ("field.range.min", "{field}不能小于 {min}", "{field} must be at least {min}"),
    ("field.invalid", "{field}的格式不正确", "{field} is not valid"),
    ("field.format", "{field}的格式不正确", "{field} has the wrong format"),
    ("field.unknown_field", "不认识的字段 {field}", "{field} is not a field of this request"),
    ("field.duplicate", "{field}重复出现", "{field} appears twice"),
    ("field.unknown", "{field}中有无法识别的值", "{field} has a value that is not known"),
    ("field.not_found", "{field}指向的记录不存在", "{field} names nothing that exists"),
    ("field.date", "{field}应为过去的日期（YYYY-MM-DD）", "{field} must be a past date as YYYY-MM-DD"),
    ("field.nul", "{field}不能包含 NUL 字符", "{field} must not contain NUL characters"),
    ("field.object", "请求内容必须是 JSON 对象", "the request body must be a JSON object"),
    ("field.past", "{field}必须是将来的时间", "{field} must be in the future"),
    ("field.mismatch", "{field}与身份证号中的信息不一致", "{field} differs from the one in the national id"),
    ("field.enum", "{value} 不是有效的{field}", "`{value}` is not a valid {field}"),
    ("field.third_party", "第三方名单须注明供应商和合法性依据", "a third-party list needs its supplier and the legal basis"),
    ("field.mobile.format", "手机号应为 13–19 开头的 11 位数字", "a mainland mobile number has 11 digits starting 13–19"),
    ("field.email.format", "邮箱地址格式不正确", "not a valid email address"),
    ("field.national_id.format", "身份证号应为 17 位数字加 1 位校验码（数字或 X）", "a resident id has 17 digits and a check character (digit or X)"),
    ("field.national_id.checksum", "身份证号校验码不正确（GB 11643）", "the check character does not match (GB 11643)"),
    ("field.national_id.birth_date", "身份证号中的出生日期不是真实的过去日期", "the birth date inside the id is not a real past date"),
    ("field.code.format", "{field}只能使用这些字符：{allowed}", "{field} may use only {allowed}"),
    ("field.username.format", "用户名只能使用小写字母、数字、“.”、“-”和“_”", "lower-case letters, digits, '.', '-' and '_' only"),
    ("field.password.length", "密码应为 {min}–{max} 个字符", "a password has {min} to {max} characters"),
    ("field.tags.length", "每个标签 1–32 个字符", "tags have 1 to 32 characters"),
    ("field.q.too_long", "搜索词最多 100 个字符", "a search term has at most 100 characters"),
    ("field.limit.range", "每页条数应在 1–500 之间", "limit must be between 1 and 500"),
    ("field.cursor.invalid", "分页游标无效，请从第一页重新开始", "cursor is not one this server issued"),
    ("field.Idempotency-Key.invalid", "幂等键应为 1–255 个可见 ASCII 字符", "1 to 255 visible ASCII characters"),
    ("field.Idempotency-Key.reused", "此幂等键已用于另一个请求，请换一个新键", "this key was used for another request; send a new key"),
    ("field.expires_at.past", "到期时间必须在将来", "expires_at must be in the future"),
    ("field.unit_id.not_found", "没有这个组织单元", "no such unit"),
    ("field.unit_id.unknown", "您的范围内没有这个组织单元", "no such unit in your scope"),
    ("field.parent_id.not_found", "没有这个上级单元", "no such unit"),
    ("field.parent_id.hierarchy", "集团没有上级，子公司隶属集团，部门隶属子公司", "a group has no parent, a subsidiary belongs to the group, a department to a subsidiary"),
    ("field.role.invalid", "系统集成请使用 API 密钥，而不是用户账号", "integrations use API keys, not user accounts"),
    ("field.successor_ids.invalid", "{value} 不是同一子公司在职的经理、坐席或销售", "{value} is not an active manager, agent or sales colleague of the same subsidiary"),
    ("field.fields.unknown", "{value} 不是可用的客户信息项", "`{value}` is not a kind of customer information"),
    ("field.fields.empty", "{value} 没有可核实的值", "`{value}` has no value to verify"),
    ("field.detected_at.before_occurrence", "发现时间不能早于发生时间", "an incident is detected after it occurred"),
    ("field.customer_ids.required", "请提供客户编号、查询条件或两者", "give customer ids, a query, or both"),
    ("field.customer_ids.unknown", "客户 {value} 不存在", "no customer {value}"),
    ("field.customer_id.not_found", "没有这位客户", "no such customer"),
    ("field.checkpoint.signature", "这不是本服务签署的检查点", "not a checkpoint signed by this service"),
    ("field.source_channel.required", "名单来源须注明渠道", "a supplier or legal basis needs its channel"),
    ("field.source_channel.row_required", "每条记录都需注明来源：提供 source_channel 列或为文件设置默认来源", "each record needs its source: a source_channel column or a default for the file"),
    ("field.file_name.length", "文件名最多 200 个字符", "a file name has at most 200 characters"),
    ("field.file.encoding", "无法识别文件编码（第 {byte} 字节）：请另存为 UTF-8 或 GBK 编码的 CSV", "the file's encoding is not recognised (byte {byte}): save it as CSV in UTF-8 or GBK"),
    ("field.file.nul", "文件中包含 NUL 字符", "the file contains NUL characters"),
    ("field.file.csv", "文件不是有效的 CSV：{cause}", "the file is not valid CSV: {cause}"),
    ("field.file.column", "未知的列 {value}，可用的列：{known}", "unknown column `{value}`; known: {known}"),
    ("field.file.name_column", "表头必须包含 name 列", "the header needs a `name` column"),
    ("field.row.csv", "此行无法读取：{cause}", "the row cannot be read: {cause}"),
    ("field.row.unidentifiable", "每行须有身份证号、手机号、邮箱或出生日期之一，以便再次导入时识别", "a row needs a national id, mobile, email or birth date to be recognised on re-import"),
    ("field.row.duplicate", "与第 {first} 行是同一人", "the same person as line {first}"),
    ("field.take_from_source.unknown", "{value} 不是可合并的信息项", "`{value}` is not a mergeable field"),
    ("field.source_id.same", "客户不能合并到自己", "a customer cannot be merged into itself"),
    ("field.source_id.unknown", "没有这位客户", "no such customer"),
    ("field.owner_ids.unknown", "没有编号为 {value} 的在职同事", "no active colleague with id {value}"),
    ("field.agreement_id.unknown", "该合作方没有这份协议", "no such agreement of this partner"),
    ("field.agreement_id.not_in_force", "该协议不在有效期内", "the agreement is not in force"),
    ("field.purpose.not_agreed", "没有有效协议涵盖此目的", "no agreement in force covers this purpose"),
    ("field.purpose.unknown", "不是已知的同意目的或合作方", "not a consent purpose or a known partner"),
    ("field.purposes.unknown", "未知的目的 {value}", "unknown purpose {value}"),
    ("field.purposes.format", "每个目的 1–60 个字符", "1–60 characters each"),
    ("field.fields.not_shareable", "{value} 不能共享", "`{value}` cannot be shared"),
    ("field.url.not_url", "这不是有效的网址", "not a URL"),
    ("field.url.scheme", "请使用 http 或 https 网址", "use an http or https URL"),
    ("field.url.host", "网址缺少主机名", "the URL needs a host"),
    ("field.url.internal", "不允许使用内部网络地址", "internal addresses are not allowed"),
    ("field.scope.unknown_unit", "范围中的每一项都必须是组织单元编号", "every scope entry must be a unit id"),
    ("field.scope.not_applicable", "只有集团内共享才有范围", "a scope applies to intra_group_sharing only"),
    ("field.notice_id.unknown", "该客户所属单元没有这份告知书", "no such notice for this customer's unit"),
    ("field.notice_id.no_notice", "尚未发布隐私告知书：请合规人员先发布，再记录同意", "publish a privacy notice before recording consent"),
    ("field.language.unsupported", "语言应为 zh-CN 或 en", "zh-CN or en"),
    // What records keep as codes (privacy request outcomes, incident measures).
    ("record.notifications_recorded", "{channel}：已记录 {recorded} 条通知，{no_contact} 人无联系方式", "{channel}: {recorded} notifications recorded, {no_contact} without an address"),
    ("record.legal_hold", "因法律保全而拒绝：{reason}", "rejected for a legal hold: {reason}"),
    ("record.anonymised", "个人信息已匿名化，统计数据保留", "personal data anonymised; statistics kept"),
    ("record.consents_withdrawn", "已撤回 {count} 项同意", "{count} consents withdrawn"),
    ("record.copy_provided", "已提供个人信息副本", "copy provided"),
    ("record.corrected", "已更正", "corrected"),
    ("record.with_note", "{outcome}；备注：{note}", "{outcome}; note: {note}"),
    // Codes put in as words where a message names them.
    ("value.channel.sms", "短信", "SMS"),
    ("value.channel.email", "邮件", "Email"),
    ("value.channel.letter", "信函", "Letter"),
    ("value.channel.phone", "电话", "Phone"),
    // Columns of customer files (exports are headed with these; imports accept them too).
    ("label.id", "客户编号", "customer id"),
    ("label.customer_type", "客户类型", "customer type"),
    ("label.preferred_channel", "偏好渠道", "preferred channel"),
    ("label.source_supplier", "名单供应商", "list supplier"),
    ("label.source_legal_basis", "名单合法性依据", "list legal basis"),
    ("label.reachable", "可联系", "reachable"),
    ("label.last_contact_at", "最近联系时间", "last contact"),
    ("label.last_purchase_at", "最近购买时间", "last purchase"),
    ("label.created_at", "创建时间", "created"),
    ("label.updated_at", "更新时间", "updated"),
    // Values of coded columns in files, as a spreadsheet user reads and writes them.
    ("value.gender.male", "男", "male"),
    ("value.gender.female", "女", "female"),
    ("value.customer_type.individual", "个人", "individual"),
    ("value.customer_type.household_member", "家庭成员", "household member"),
    ("value.income_band.low", "低", "low"),
    ("value.income_band.lower_middle", "中低", "lower middle"),
    ("value.income_band.middle", "中", "middle"),
    ("value.income_band.upper_middle", "中高", "upper middle"),
    ("value.income_band.high", "高", "high"),
    ("value.preferred_channel.sms", "短信", "SMS"),
    ("value.preferred_channel.email", "邮件", "email"),
    ("value.preferred_channel.phone", "电话", "phone"),
    ("value.preferred_channel.push", "App 推送", "app push"),
    ("value.preferred_channel.wechat", "微信", "WeChat"),
    ("value.preferred_channel.mail", "信函", "mail"),
    ("value.source_channel.sales", "销售", "sales"),
    ("value.source_channel.service", "服务", "service"),
    ("value.source_channel.survey", "调查", "survey"),
    ("value.source_channel.third_party", "第三方名单", "third-party list"),
    ("value.source_channel.self_web", "网站", "website"),
    ("value.source_channel.self_hotline", "热线", "hotline"),
    ("value.source_channel.self_app", "App 自助", "app"),
    ("value.reachable.true", "是", "yes"),
    ("value.reachable.false", "否", "no"),
    // Field names as users know them.
    ("label.name", "姓名", "name"),
    ("label.mobile", "手机号", "mobile"),
    ("label.email", "邮箱", "email"),
    ("label.national_id", "身份证号", "national id"),
    ("label.birth_date", "出生日期", "birth date"),
    ("label.gender", "性别", "gender"),
    ("label.address", "地址", "address"),
    ("label.occupation", "职业", "occupation"),
    ("label.income_band", "收入区间", "income band"),
    ("label.tags", "标签", "tags"),
    ("label.tag", "标签", "tag"),
    ("label.note", "备注", "note"),
    ("label.summary", "摘要", "summary"),
    ("label.content", "内容", "content"),
    ("label.reason", "原因", "reason"),
    ("label.purpose", "目的", "purpose"),
    ("label.purposes", "目的", "purposes"),
    ("label.username", "用户名", "username"),
    ("label.password", "密码", "password"),
    ("label.display_name", "显示名称", "display name"),
    ("label.code", "编码", "code"),
    ("label.title", "标题", "title"),
    ("label.description", "描述", "description"),
    ("label.url", "地址", "URL"),
    ("label.product", "产品", "product"),
    ("label.amount_fen", "金额", "amount"),
    ("label.currency", "币种", "currency"),
    ("label.channel", "渠道", "channel"),
    ("label.supplier", "供应商", "supplier"),
    ("label.legal_basis", "合法性依据", "legal basis"),
    ("label.q", "搜索词", "search term"),
    ("label.query", "查询条件", "query"),
    ("label.role", "角色", "role"),
    ("label.unit_id", "组织单元", "unit"),
    ("label.owner_ids", "客户经理", "account managers"),
    ("label.fields", "信息项", "fields"),
    ("label.days", "天数", "days"),
    ("label.valid_days", "有效天数", "days valid"),
    ("label.scopes", "权限范围", "scopes"),
    ("label.topics", "事件主题", "topics"),
    ("label.expires_at", "到期时间", "expiry"),
    ("label.body", "请求内容", "body"),
    ("label.method", "方式", "method"),
    ("label.category", "类别", "category"),
    ("label.harm", "危害", "harm"),
    ("label.cause", "原因", "cause"),
    ("label.advice", "建议", "advice"),
    ("label.evidence", "证据", "evidence"),
    ("label.details", "详情", "details"),
    ("label.contact", "联系方式", "contact"),
    ("label.value", "值", "value"),
    ("label.retention", "保存期限", "retention"),
    ("label.format", "格式", "format"),
    ("label.source_channel", "来源渠道", "source channel"),
    ("label.occurred_at", "发生时间", "occurrence time"),
    ("label.detected_at", "发现时间", "detection time"),
    ("label.customer_ids", "客户", "customers"),
    ("label.customer_id", "客户", "customer"),
    ("label.document_reference", "文件编号", "document reference"),
    ("label.nda_reference", "保密协议编号", "NDA reference"),
    ("label.nda_signed_on", "保密协议签署日期", "NDA signing date"),
    ("label.nda_expires_on", "保密协议到期日期", "NDA expiry date"),
    ("label.starts_on", "开始日期", "start date"),
    ("label.ends_on", "结束日期", "end date"),
    ("label.household_id", "家庭", "household"),
    ("label.owner_id", "客户经理", "account manager"),
    ("label.limit", "每页条数", "limit"),
    ("label.file", "文件", "file"),
    ("label.refresh_token", "刷新令牌", "refresh token"),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn placeholders(s: &str) -> Vec<&str> {
        let mut out: Vec<&str> = s.split('{').skip(1).filter_map(|p| p.split_once('}').map(|(n, _)| n)).collect();
        out.sort_unstable();
        out
    }

    #[test]
    fn every_entry_is_unique_in_both_languages_with_the_same_placeholders() {
        let mut keys: Vec<&str> = ENTRIES.iter().map(|(k, _, _)| *k).collect();
        keys.sort_unstable();
        let before = keys.len();
        keys.dedup();
        assert_eq!(before, keys.len(), "a key is listed twice");
        for (key, zh, en) in ENTRIES {
            assert!(!zh.is_empty() && !en.is_empty(), "{key}");
            assert_eq!(placeholders(zh), placeholders(en), "{key}");
            // The Chinese side is Chinese: a label may be a bare term, every sentence has Han.
            assert!(zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{key}: {zh}");
        }
    }
}

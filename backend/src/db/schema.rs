// The portable schema of both migration trees (see migrations/README.md).

diesel::table! {
    units (id) {
        id -> Text,
        parent_id -> Nullable<Text>,
        kind -> Text,
        code -> Text,
        name -> Text,
        path -> Text,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    idempotency_keys (caller, key) {
        caller -> Text,
        key -> Text,
        fingerprint -> Text,
        status -> Nullable<Integer>,
        headers -> Nullable<Text>,
        body -> Nullable<Binary>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    login_locks (username, address) {
        username -> Text,
        address -> Text,
        failures -> Integer,
        locks -> Integer,
        locked_until -> Nullable<Timestamp>,
        last_failure_at -> Timestamp,
    }
}

diesel::table! {
    user_grants (id) {
        id -> Text,
        user_id -> Text,
        role -> Nullable<Text>,
        activate -> Bool,
        password_hash -> Nullable<Text>,
        requested_by -> Text,
        requested_at -> Timestamp,
        status -> Text,
        decided_by -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        username -> Text,
        display_name -> Text,
        password_hash -> Text,
        role -> Text,
        unit_id -> Text,
        active -> Bool,
        failed_logins -> Integer,
        locked_until -> Nullable<Timestamp>,
        last_login_at -> Nullable<Timestamp>,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        user_id -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        revoked_reason -> Nullable<Text>,
    }
}

diesel::table! {
    refresh_tokens (token_hash) {
        token_hash -> Text,
        session_id -> Text,
        issued_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    api_keys (id) {
        id -> Text,
        name -> Text,
        prefix -> Text,
        key_hash -> Text,
        scopes -> Text,
        unit_id -> Text,
        created_by -> Text,
        created_at -> Timestamp,
        expires_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
        last_used_at -> Nullable<Timestamp>,
        partner_id -> Nullable<Text>,
    }
}

diesel::table! {
    audit_log (seq) {
        seq -> BigInt,
        id -> Text,
        at -> Timestamp,
        actor_id -> Nullable<Text>,
        actor_kind -> Text,
        actor_role -> Nullable<Text>,
        unit_id -> Nullable<Text>,
        action -> Text,
        resource_type -> Text,
        resource_id -> Nullable<Text>,
        fields -> Text,
        purpose -> Nullable<Text>,
        outcome -> Text,
        ip -> Nullable<Text>,
        request_id -> Nullable<Text>,
        prev_hash -> Text,
        hash -> Text,
    }
}

diesel::table! {
    audit_checkpoints (seq) {
        seq -> BigInt,
        hash -> Text,
        signed_at -> Timestamp,
        jws -> Text,
    }
}

diesel::table! {
    audit_head (id) {
        id -> Integer,
        seq -> BigInt,
        hash -> Text,
    }
}

diesel::table! {
    jobs (id) {
        id -> Text,
        kind -> Text,
        status -> Text,
        payload -> Text,
        done -> BigInt,
        total -> Nullable<BigInt>,
        errors -> BigInt,
        result -> Nullable<Text>,
        error -> Nullable<Text>,
        attempts -> Integer,
        run_after -> Timestamp,
        locked_by -> Nullable<Text>,
        locked_until -> Nullable<Timestamp>,
        created_by -> Nullable<Text>,
        unit_id -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    customers (id) {
        id -> Text,
        unit_id -> Text,
        name -> Text,
        gender -> Nullable<Text>,
        birth_date -> Nullable<Text>,
        national_id -> Nullable<Text>,
        national_id_bidx -> Nullable<Text>,
        mobile -> Nullable<Text>,
        mobile_bidx -> Nullable<Text>,
        email -> Nullable<Text>,
        email_bidx -> Nullable<Text>,
        address -> Nullable<Text>,
        address_region -> Nullable<Text>,
        occupation -> Nullable<Text>,
        income_band -> Nullable<Text>,
        customer_type -> Text,
        preferred_channel -> Nullable<Text>,
        source_channel -> Text,
        source_supplier -> Nullable<Text>,
        source_legal_basis -> Nullable<Text>,
        household_id -> Nullable<Text>,
        reachable -> Bool,
        last_contact_at -> Nullable<Timestamp>,
        last_purchase_at -> Nullable<Timestamp>,
        created_by -> Nullable<Text>,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
        identity_bidx -> Nullable<Text>,
        birthday_bidx -> Nullable<Text>,
        anonymised_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    customer_owners (customer_id, user_id) {
        customer_id -> Text,
        user_id -> Text,
    }
}

diesel::table! {
    customer_tags (customer_id, tag) {
        customer_id -> Text,
        tag -> Text,
    }
}

diesel::table! {
    outbox (id) {
        id -> Text,
        topic -> Text,
        aggregate_id -> Text,
        unit_id -> Nullable<Text>,
        payload -> Text,
        created_at -> Timestamp,
        delivered_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    purchases (id) {
        id -> Text,
        customer_id -> Text,
        unit_id -> Text,
        product -> Text,
        amount_fen -> BigInt,
        currency -> Text,
        channel -> Text,
        purchased_at -> Timestamp,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        margin_fen -> Nullable<BigInt>,
        refund_of -> Nullable<Text>,
        ends_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    preferences (id) {
        id -> Text,
        customer_id -> Text,
        category -> Text,
        value -> Text,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    feedback (id) {
        id -> Text,
        customer_id -> Text,
        kind -> Text,
        content -> Text,
        channel -> Text,
        ticket_id -> Nullable<Text>,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    contacts (id) {
        id -> Text,
        customer_id -> Text,
        kind -> Text,
        direction -> Text,
        reached -> Bool,
        summary -> Text,
        occurred_at -> Timestamp,
        staff_id -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    customer_notifications (id) {
        id -> Text,
        customer_id -> Text,
        kind -> Text,
        payload -> Text,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    job_files (job_id, name) {
        job_id -> Text,
        name -> Text,
        content_type -> Text,
        content -> Binary,
        created_at -> Timestamp,
        parts -> Integer,
        key_id -> Text,
    }
}

diesel::table! {
    job_file_parts (job_id, name, seq) {
        job_id -> Text,
        name -> Text,
        seq -> Integer,
        content -> Binary,
        key_id -> Text,
    }
}

diesel::table! {
    customer_merges (id) {
        id -> Text,
        target_id -> Text,
        source_id -> Text,
        target_before -> Text,
        target_version -> BigInt,
        moved -> Text,
        fields -> Text,
        merged_by -> Text,
        merged_at -> Timestamp,
        undone_at -> Nullable<Timestamp>,
        undone_by -> Nullable<Text>,
    }
}

diesel::table! {
    webhooks (id) {
        id -> Text,
        unit_id -> Text,
        url -> Text,
        description -> Nullable<Text>,
        topics -> Text,
        secret -> Text,
        active -> Bool,
        created_by -> Text,
        created_at -> Timestamp,
        disabled_at -> Nullable<Timestamp>,
        agreement_id -> Nullable<Text>,
        purpose -> Nullable<Text>,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> Text,
        webhook_id -> Text,
        event_id -> Text,
        topic -> Text,
        payload -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        last_status -> Nullable<Integer>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        delivered_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    customer_verifications (customer_id, field) {
        customer_id -> Text,
        field -> Text,
        verified_by -> Text,
        verified_at -> Timestamp,
    }
}

diesel::table! {
    quality_reports (id) {
        id -> Text,
        job_id -> Text,
        unit_id -> Text,
        customers -> BigInt,
        filled -> BigInt,
        verified -> BigInt,
        unreachable -> BigInt,
        inactive -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    schedules (name) {
        name -> Text,
        next_run_at -> Timestamp,
    }
}

diesel::table! {
    privacy_notices (id) {
        id -> Text,
        unit_id -> Text,
        language -> Text,
        version -> Integer,
        title -> Text,
        purposes -> Text,
        method -> Text,
        scope -> Text,
        retention -> Text,
        body -> Text,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    consents (id) {
        id -> Text,
        customer_id -> Text,
        purpose -> Text,
        granted -> Bool,
        scope -> Nullable<Text>,
        notice_id -> Nullable<Text>,
        channel -> Text,
        evidence -> Nullable<Text>,
        recorded_by -> Nullable<Text>,
        self_service -> Bool,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    partners (id) {
        id -> Text,
        code -> Text,
        name -> Text,
        nda_reference -> Text,
        nda_signed_on -> Text,
        nda_expires_on -> Nullable<Text>,
        contact -> Nullable<Text>,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    sharing_agreements (id) {
        id -> Text,
        partner_id -> Text,
        fields -> Text,
        purposes -> Text,
        unit_ids -> Text,
        document_reference -> Text,
        starts_on -> Text,
        ends_on -> Nullable<Text>,
        active -> Bool,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    shares (id) {
        id -> Text,
        partner_id -> Text,
        agreement_id -> Text,
        customer_id -> Nullable<Text>,
        channel -> Text,
        fields -> Text,
        purpose -> Text,
        count -> BigInt,
        shared_at -> Timestamp,
    }
}

diesel::table! {
    legal_holds (id) {
        id -> Text,
        customer_id -> Text,
        reason -> Text,
        created_by -> Text,
        created_at -> Timestamp,
        released_at -> Nullable<Timestamp>,
        released_by -> Nullable<Text>,
    }
}

diesel::table! {
    privacy_requests (id) {
        id -> Text,
        customer_id -> Text,
        unit_id -> Text,
        kind -> Text,
        status -> Text,
        details -> Nullable<Text>,
        outcome -> Nullable<Text>,
        due_at -> Timestamp,
        created_by -> Text,
        created_at -> Timestamp,
        completed_by -> Nullable<Text>,
        completed_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(users -> units (unit_id));
diesel::joinable!(user_grants -> users (user_id));
diesel::joinable!(customer_verifications -> customers (customer_id));
diesel::joinable!(quality_reports -> units (unit_id));
diesel::joinable!(webhooks -> units (unit_id));
diesel::joinable!(webhook_deliveries -> webhooks (webhook_id));
diesel::joinable!(customers -> units (unit_id));
diesel::joinable!(customer_owners -> customers (customer_id));
diesel::joinable!(customer_tags -> customers (customer_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(refresh_tokens -> sessions (session_id));
diesel::joinable!(api_keys -> units (unit_id));
diesel::joinable!(consents -> customers (customer_id));
diesel::joinable!(privacy_notices -> units (unit_id));
diesel::joinable!(sharing_agreements -> partners (partner_id));
diesel::joinable!(shares -> partners (partner_id));
diesel::joinable!(legal_holds -> customers (customer_id));
diesel::joinable!(privacy_requests -> units (unit_id));

diesel::table! {
    retention_policies (purpose) {
        purpose -> Text,
        days -> Integer,
        updated_by -> Text,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::table! {
    incidents (id) {
        id -> Text,
        unit_id -> Text,
        title -> Text,
        category -> Text,
        severity -> Text,
        status -> Text,
        description -> Text,
        cause -> Text,
        harm -> Text,
        advice -> Text,
        contact -> Text,
        fields -> Text,
        occurred_at -> Timestamp,
        detected_at -> Timestamp,
        reported_at -> Nullable<Timestamp>,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    incident_customers (incident_id, customer_id) {
        incident_id -> Text,
        customer_id -> Text,
    }
}

diesel::table! {
    incident_actions (id) {
        id -> Text,
        incident_id -> Text,
        kind -> Text,
        description -> Text,
        taken_by -> Text,
        taken_at -> Timestamp,
    }
}

diesel::table! {
    incident_notifications (incident_id, customer_id) {
        incident_id -> Text,
        customer_id -> Text,
        channel -> Text,
        status -> Text,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    tier_configs (version) {
        version -> BigInt,
        settings -> Text,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    tier_runs (id) {
        id -> Text,
        job_id -> Nullable<Text>,
        config_version -> BigInt,
        dry_run -> Bool,
        as_of -> Timestamp,
        status -> Text,
        scored -> BigInt,
        changed -> BigInt,
        summary -> Nullable<Text>,
        created_by -> Nullable<Text>,
        started_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    tier_scores (run_id, customer_id) {
        run_id -> Text,
        customer_id -> Text,
        spend_fen -> BigInt,
        profit_fen -> BigInt,
        frequency -> BigInt,
        pct_spend -> BigInt,
        pct_profit -> BigInt,
        pct_frequency -> BigInt,
        score -> BigInt,
        tier -> Text,
    }
}

diesel::table! {
    customer_tiers (customer_id) {
        customer_id -> Text,
        tier -> Text,
        score -> BigInt,
        run_id -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    tier_history (customer_id, run_id) {
        customer_id -> Text,
        run_id -> Text,
        from_tier -> Nullable<Text>,
        to_tier -> Nullable<Text>,
        score -> Nullable<BigInt>,
        spend_fen -> Nullable<BigInt>,
        profit_fen -> Nullable<BigInt>,
        frequency -> Nullable<BigInt>,
        config_version -> BigInt,
        at -> Timestamp,
    }
}

diesel::table! {
    segments (id) {
        id -> Text,
        unit_id -> Text,
        name -> Text,
        description -> Nullable<Text>,
        rule -> Text,
        version -> BigInt,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    tier_margin_rates (config_version, unit_id) {
        config_version -> BigInt,
        unit_id -> Text,
        percent -> BigInt,
    }
}

diesel::table! {
    profile_scores (run_id, customer_id) {
        run_id -> Text,
        customer_id -> Text,
        lifecycle -> Text,
        band -> Text,
        level -> Text,
        r -> Nullable<BigInt>,
        f -> Nullable<BigInt>,
        m -> Nullable<BigInt>,
        recent_spend_fen -> BigInt,
        previous_spend_fen -> BigInt,
        recent_frequency -> BigInt,
        previous_frequency -> BigInt,
        last_purchase_at -> Nullable<Timestamp>,
        spend_fen -> BigInt,
        frequency -> BigInt,
        profit_fen -> BigInt,
    }
}

diesel::table! {
    level_history (customer_id, run_id) {
        customer_id -> Text,
        run_id -> Text,
        from_level -> Text,
        to_level -> Text,
        spend_fen -> BigInt,
        frequency -> BigInt,
        at -> Timestamp,
    }
}

diesel::table! {
    customer_profiles (customer_id) {
        customer_id -> Text,
        run_id -> Text,
        lifecycle -> Text,
        band -> Text,
        level -> Text,
        below_since -> Nullable<Timestamp>,
        rfm -> Nullable<Text>,
        recent_spend_fen -> BigInt,
        previous_spend_fen -> BigInt,
        recent_frequency -> BigInt,
        previous_frequency -> BigInt,
        last_purchase_at -> Nullable<Timestamp>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    churn_warnings (id) {
        id -> Text,
        customer_id -> Text,
        run_id -> Text,
        measure -> Text,
        recent -> BigInt,
        previous -> BigInt,
        drop_percent -> BigInt,
        months -> BigInt,
        status -> Text,
        opened_at -> Timestamp,
        closed_at -> Nullable<Timestamp>,
        closed_reason -> Nullable<Text>,
    }
}

diesel::table! {
    winback_actions (id) {
        id -> Text,
        warning_id -> Text,
        action -> Text,
        outcome -> Text,
        note -> Nullable<Text>,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    tier_overrides (id) {
        id -> Text,
        customer_id -> Text,
        tier -> Text,
        reason -> Text,
        expires_at -> Timestamp,
        created_by -> Text,
        created_at -> Timestamp,
        ended_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    service_strategies (class) {
        class -> Text,
        priority -> BigInt,
        sla_class -> Text,
        green_channel -> Bool,
        dedicated_manager -> Bool,
        campaign_eligible -> Bool,
        updated_by -> Nullable<Text>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    segment_snapshots (id) {
        id -> Text,
        segment_id -> Text,
        segment_version -> BigInt,
        members -> BigInt,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    segment_snapshot_members (snapshot_id, customer_id) {
        snapshot_id -> Text,
        customer_id -> Text,
    }
}

diesel::joinable!(customer_tiers -> customers (customer_id));
diesel::joinable!(segments -> units (unit_id));
diesel::table! {
    sla_policies (id) {
        id -> Text,
        kind -> Nullable<Text>,
        channel -> Nullable<Text>,
        priority -> Nullable<Text>,
        sla_class -> Nullable<Text>,
        first_response_minutes -> BigInt,
        resolution_minutes -> BigInt,
        clock -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    sla_settings (id) {
        id -> Text,
        start_minute -> Integer,
        end_minute -> Integer,
        utc_offset_minutes -> Integer,
        warn_percent -> Integer,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    sla_revision (id) {
        id -> Integer,
        n -> BigInt,
    }
}

diesel::table! {
    calendar_days (day) {
        day -> Text,
        kind -> Text,
        name -> Nullable<Text>,
    }
}

diesel::table! {
    ticket_queue_tallies (id) {
        id -> BigInt,
        unit_id -> Text,
        assignee_id -> Text,
        revisit -> Integer,
        sla_state -> Text,
        paused -> Integer,
        n -> BigInt,
    }
}

diesel::table! {
    tickets (id) {
        id -> Text,
        customer_id -> Text,
        unit_id -> Text,
        assignee_id -> Nullable<Text>,
        kind -> Text,
        channel -> Text,
        priority -> Text,
        sla_class -> Text,
        green_channel -> Bool,
        status -> Text,
        subject -> Text,
        description -> Nullable<Text>,
        purchase_id -> Nullable<Text>,
        parent_id -> Nullable<Text>,
        reopen_count -> Integer,
        cause -> Nullable<Text>,
        clock -> Text,
        first_response_due -> Timestamp,
        resolution_due -> Timestamp,
        warn_at -> Timestamp,
        escalate_at -> Timestamp,
        first_responded_at -> Nullable<Timestamp>,
        resolved_at -> Nullable<Timestamp>,
        paused_at -> Nullable<Timestamp>,
        sla_state -> Text,
        satisfaction -> Nullable<Integer>,
        revisit_at -> Nullable<Timestamp>,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        closed_at -> Nullable<Timestamp>,
        version -> BigInt,
    }
}

diesel::table! {
    ticket_events (id) {
        id -> Text,
        ticket_id -> Text,
        kind -> Text,
        public -> Bool,
        body -> Nullable<Text>,
        data -> Text,
        actor_id -> Nullable<Text>,
        at -> Timestamp,
    }
}

diesel::table! {
    ticket_attachments (id) {
        id -> Text,
        ticket_id -> Text,
        sha256 -> Text,
        content_type -> Text,
        size_bytes -> BigInt,
        key_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    staff_notifications (id) {
        id -> Text,
        user_id -> Text,
        topic -> Text,
        ticket_id -> Nullable<Text>,
        data -> Text,
        created_at -> Timestamp,
        read_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    campaigns (id) {
        id -> Text,
        unit_id -> Text,
        name -> Text,
        goal -> Nullable<Text>,
        channel -> Text,
        subject -> Nullable<Text>,
        body -> Text,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        budget_fen -> Nullable<BigInt>,
        cost_per_message_fen -> BigInt,
        state -> Text,
        send_cursor -> Nullable<Text>,
        sending_until -> Nullable<Timestamp>,
        author_id -> Text,
        reviewed_by -> Nullable<Text>,
        reviewed_at -> Nullable<Timestamp>,
        review_note -> Nullable<Text>,
        audience -> BigInt,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        link_url -> Nullable<Text>,
        holdout_percent -> BigInt,
        attribution_days -> BigInt,
        care_rule_id -> Nullable<Text>,
    }
}

diesel::table! {
    care_rules (id) {
        id -> Text,
        unit_id -> Text,
        name -> Text,
        kind -> Text,
        channel -> Text,
        subject -> Nullable<Text>,
        body -> Text,
        days -> BigInt,
        month_day -> Nullable<Text>,
        active -> Bool,
        author_id -> Text,
        approved_by -> Nullable<Text>,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    campaign_targets (campaign_id, segment_id) {
        campaign_id -> Text,
        segment_id -> Text,
        snapshot_id -> Nullable<Text>,
    }
}

diesel::table! {
    campaign_audience (campaign_id, customer_id) {
        campaign_id -> Text,
        customer_id -> Text,
    }
}

diesel::table! {
    campaign_deliveries (campaign_id, customer_id) {
        campaign_id -> Text,
        customer_id -> Text,
        channel -> Text,
        status -> Text,
        reason -> Nullable<Text>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
        attributed_until -> Nullable<Timestamp>,
        responded_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    marketing_settings (id) {
        id -> Integer,
        cap_messages -> BigInt,
        cap_days -> BigInt,
        quiet_start_minute -> BigInt,
        quiet_end_minute -> BigInt,
        utc_offset_minutes -> BigInt,
        version -> BigInt,
        updated_by -> Nullable<Text>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    loyalty_settings (id) {
        id -> Integer,
        points_per_yuan -> BigInt,
        gold_percent -> BigInt,
        silver_percent -> BigInt,
        bronze_percent -> BigInt,
        expiry_days -> BigInt,
        version -> BigInt,
        updated_by -> Nullable<Text>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    points_accounts (customer_id) {
        customer_id -> Text,
        balance -> BigInt,
        debited -> BigInt,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    points_ledger (id) {
        id -> Text,
        customer_id -> Text,
        kind -> Text,
        points -> BigInt,
        balance_after -> BigInt,
        purchase_id -> Nullable<Text>,
        reward_id -> Nullable<Text>,
        expires_at -> Nullable<Timestamp>,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    rewards (id) {
        id -> Text,
        unit_id -> Text,
        name -> Text,
        kind -> Text,
        points -> BigInt,
        stock -> Nullable<BigInt>,
        active -> Bool,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(customer_profiles -> customers (customer_id));
diesel::joinable!(campaign_targets -> campaigns (campaign_id));
diesel::joinable!(campaign_deliveries -> campaigns (campaign_id));
diesel::joinable!(tickets -> customers (customer_id));
diesel::joinable!(ticket_events -> tickets (ticket_id));
diesel::joinable!(ticket_attachments -> tickets (ticket_id));
diesel::joinable!(churn_warnings -> customers (customer_id));
diesel::joinable!(winback_actions -> churn_warnings (warning_id));
diesel::joinable!(segment_snapshot_members -> segment_snapshots (snapshot_id));

diesel::allow_tables_to_appear_in_same_query!(
    ticket_attachments,
    ticket_queue_tallies,
    units,
    users,
    sessions,
    refresh_tokens,
    api_keys,
    audit_log,
    audit_head,
    jobs,
    user_grants,
    customers,
    customer_owners,
    customer_tags,
    outbox,
    purchases,
    preferences,
    feedback,
    contacts,
    customer_notifications,
    job_files,
    customer_merges,
    webhooks,
    webhook_deliveries,
    privacy_notices,
    consents,
    partners,
    sharing_agreements,
    shares,
    legal_holds,
    privacy_requests,
    customer_verifications,
    quality_reports,
    schedules,
    retention_policies,
    job_file_parts,
    incidents,
    incident_customers,
    incident_actions,
    incident_notifications,
    tier_configs,
    tier_runs,
    tier_scores,
    customer_tiers,
    tier_history,
    segments,
    tier_margin_rates,
    level_history,
    profile_scores,
    customer_profiles,
    churn_warnings,
    winback_actions,
    tier_overrides,
    service_strategies,
    segment_snapshots,
    segment_snapshot_members,
    sla_policies,
    sla_revision,
    sla_settings,
    calendar_days,
    tickets,
    ticket_events,
    staff_notifications,
    campaigns,
    campaign_targets,
    campaign_audience,
    campaign_deliveries,
    marketing_settings,
    loyalty_settings,
    points_accounts,
    points_ledger,
    rewards,
    care_rules,
);

"""Where each of the 30 abuse and fault scenarios of PROOF.md ("Scenarios to pass") is proved.

``SCENARIOS[n]`` lists the pytest node ids (``path::test`` or ``path::Class::test``; a
parametrized test is named without its parameters, so all of them count) that together prove
scenario ``n``, and ``bench:<drill>`` entries for the drills that need processes killed or real
load, described in ``BENCH_DRILLS`` (a command run from the project folder; its first word is
a file under bench/). ``tests/proof/test_scenarios_index.py`` checks that every scenario is
listed and that every entry exists.

Run every test of one scenario, e.g. scenario 16::

    .venv/bin/pytest $(.venv/bin/python -m tests.proof.scenarios 16)
"""

from __future__ import annotations

import sys

ACC = "tests/accounts"
LNK = "tests/linking"
CORE = "tests/core"
PROOF = "tests/proof"

SCENARIOS: dict[int, list[str]] = {
    # Sign-in and passwords ------------------------------------------------------------------
    1: [
        f"{ACC}/test_passwords.py::test_14_characters_are_refused_with_the_reason_and_15_are_accepted",
        f"{ACC}/test_passwords.py::test_a_64_character_passphrase_with_spaces_and_emoji_is_accepted",
        f"{ACC}/test_passwords.py::test_the_change_password_page_shows_the_reason",
        f"{PROOF}/test_scenarios_signin.py::test_scenario_1_lengths_through_the_sign_up_page",
    ],
    2: [
        f"{ACC}/test_passwords.py::test_common_and_breached_passwords_are_refused_with_the_reason",
        f"{ACC}/test_passwords.py::test_passwords_built_on_the_service_name_are_refused_with_the_reason",
        f"{ACC}/test_passwords.py::test_the_username_name_and_email_are_refused_with_the_reason",
        f"{ACC}/test_passwords.py::test_no_composition_rules",
        f"{ACC}/test_passwords.py::test_no_rule_forces_rotation_or_composition",
        f"{PROOF}/test_scenarios_signin.py::test_scenario_2_refusals_show_their_reason_on_the_sign_up_page",
    ],
    3: [
        f"{ACC}/test_signin_security.py::test_an_oversized_or_nul_password_is_refused_fast_without_hashing",
        f"{ACC}/test_signin_security.py::test_an_oversized_login_is_refused_without_hashing",
        f"{ACC}/test_signin_security.py::test_invalid_utf8_is_a_form_error_not_a_server_error",
        f"{ACC}/test_signin_security.py::test_an_oversized_password_at_sign_up_is_refused_fast",
        f"{ACC}/test_passwords.py::test_up_to_256_characters_are_accepted_and_longer_is_refused_not_truncated",
        f"{ACC}/test_passwords.py::test_a_million_characters_are_refused_in_well_under_a_second",
        f"{LNK}/test_credentials.py::test_oversized_input_is_refused_without_hashing",
        f"{PROOF}/test_scenarios_signin.py::test_scenario_3_hostile_passwords_on_every_password_form",
    ],
    4: [
        f"{ACC}/test_signin_security.py::test_101_guesses_from_rotating_addresses_are_throttled_by_attempt_50",
        f"{ACC}/test_signin_security.py::test_wrong_passwords_for_one_account_are_throttled_then_the_right_one_works_later",
        f"{ACC}/test_signin_security.py::test_the_right_password_resets_the_accounts_failure_count",
    ],
    5: [
        f"{ACC}/test_signin_security.py::test_one_address_trying_many_accounts_is_stopped_before_hashing",
        f"{ACC}/test_signin_security.py::test_the_429_for_an_address_is_logged",
        f"{PROOF}/test_scenarios_signin.py::test_scenario_5_one_address_500_accounts_one_try_each",
    ],
    6: [
        f"{ACC}/test_signin_security.py::test_a_flood_against_a_victim_never_locks_them_out_for_good",
        f"{ACC}/test_signin_security.py::test_a_password_reset_ends_the_wait_for_the_victim",
        f"{LNK}/test_credentials.py::test_each_repeat_lock_lasts_twice_as_long",
    ],
    7: [
        f"{ACC}/test_signin_security.py::test_a_wrong_password_looks_the_same_for_existing_and_unknown_accounts",
        f"{ACC}/test_signin_security.py::test_a_throttled_sign_in_looks_the_same_for_existing_and_unknown_accounts",
        f"{ACC}/test_signin_security.py::test_a_reset_request_looks_the_same_for_existing_and_unknown_addresses",
        f"{ACC}/test_signin_security.py::test_reset_requests_for_one_address_are_limited_alike",
        f"{ACC}/test_signin_security.py::test_signing_up_with_a_taken_email_looks_like_a_fresh_sign_up",
        f"{LNK}/test_credentials.py::test_unknown_login_and_wrong_password_give_the_same_error_and_one_hash_each",
        f"{LNK}/test_pages.py::test_wrong_password_and_unknown_login_get_one_generic_message",
        f"{PROOF}/test_scenarios_signin.py::test_scenario_7_mean_times_of_existing_and_unknown_accounts_are_within_10_percent",
    ],
    # Linking ---------------------------------------------------------------------------------
    8: [
        f"{LNK}/test_credentials.py::test_failures_count_per_login_across_pacer_accounts",
        f"{LNK}/test_credentials.py::test_the_password_is_never_logged",
        f"{PROOF}/test_scenarios_linking.py::test_scenario_8_six_wrong_court_passwords_from_two_pacer_accounts_lock_the_target_login",
    ],
    9: [
        f"{LNK}/test_pages.py::test_the_credential_step_needs_a_recent_reauthentication",
        f"{PROOF}/test_scenarios_linking.py::test_scenario_9_a_session_signed_in_2_hours_ago_must_reauthenticate_before_linking",
        f"{PROOF}/test_scenarios_linking.py::test_scenario_9_a_fresh_sign_in_counts_as_recent_for_linking",
    ],
    10: [
        f"{LNK}/test_requests.py::test_approval_links_retires_the_login_and_emails_every_verified_address_once",
        f"{LNK}/test_console.py::test_approve_action_links_through_the_service_and_reports_each_request",
    ],
    11: [
        f"{LNK}/test_console.py::test_another_courts_request_is_as_if_missing_by_url",
        f"{LNK}/test_console.py::test_a_forged_action_on_another_courts_request_changes_nothing",
        f"{LNK}/test_digest_and_access.py::test_a_clerk_sees_only_their_courts_requests",
        f"{PROOF}/test_scenarios_linking.py::test_scenario_11_walking_another_courts_ids_finds_nothing_changes_nothing_and_is_logged",
    ],
    12: [
        f"{LNK}/test_concurrency.py::test_parallel_approvals_of_one_request_approve_once",
        f"{PROOF}/test_scenarios_signin.py::test_scenario_12_50_parallel_approvals_make_1_approval_1_event_1_email",
    ],
    13: [
        f"{ACC}/test_paa_pages.py::test_another_paas_request_cannot_be_withdrawn",
        f"{ACC}/test_paa_pages.py::test_another_paas_member_cannot_be_removed",
        f"{ACC}/test_paa_pages.py::test_another_paas_cost_center_or_bad_input_is_refused",
        f"{ACC}/test_paa_membership_pages.py::test_someone_elses_request_or_membership_is_404",
        "tests/accounts/test_statement_pages.py::test_another_paa_sees_only_its_own_statement",
    ],
    14: [
        f"{ACC}/test_manage.py::test_update_profile_refuses_legacy_accounts_and_unknown_fields",
        f"{ACC}/test_registration.py::test_only_the_chosen_kinds_fields_are_saved",
        f"{PROOF}/test_scenarios_linking.py::test_scenario_14_extra_fields_at_sign_up_are_ignored",
        f"{PROOF}/test_scenarios_linking.py::test_scenario_14_extra_fields_on_the_profile_are_ignored",
        f"{PROOF}/test_scenarios_linking.py::test_scenario_14_extra_fields_in_the_link_flow_are_ignored",
        f"{PROOF}/test_scenarios_linking.py::test_scenario_14_extra_fields_on_a_clerk_decision_are_ignored",
    ],
    15: [
        f"{LNK}/test_pages.py::test_confirm_without_the_credential_step_is_refused",
        f"{LNK}/test_pages.py::test_replaying_the_confirm_is_refused_and_the_flow_restarts",
        f"{LNK}/test_pages.py::test_a_wrong_token_spends_the_attempt",
    ],
    16: [
        f"{ACC}/test_registration.py::test_email_verification_comes_before_anything_else",
        f"{PROOF}/test_scenarios_accounts.py::test_scenario_16_an_unverified_account_holding_the_victims_email_cannot_sign_in_or_link",
        f"{PROOF}/test_scenarios_accounts.py::test_scenario_16_the_victims_reset_ends_sessions_pending_email_changes_and_link_requests",
    ],
    17: [
        f"{PROOF}/test_scenarios_accounts.py::test_scenario_17_an_email_change_needs_reauthentication",
        f"{PROOF}/test_scenarios_accounts.py::test_scenario_17_a_password_reset_before_confirmation_cancels_the_email_change",
        f"{ACC}/test_security_notices.py::test_email_change_tells_the_old_and_the_new_address_once_each",
    ],
    # Sessions --------------------------------------------------------------------------------
    18: [
        f"{ACC}/test_manage.py::test_idle_session_is_signed_out_with_a_message",
        f"{ACC}/test_manage.py::test_an_active_session_still_ends_12_hours_after_sign_in",
    ],
    19: [
        f"{ACC}/test_manage.py::test_sign_out_everywhere_else_ends_the_other_sessions",
        f"{PROOF}/test_scenarios_accounts.py::test_scenario_19_an_old_cookie_after_sign_out_fails",
        f"{PROOF}/test_scenarios_accounts.py::test_scenario_19_a_password_change_ends_the_other_sessions",
    ],
    20: [
        f"{PROOF}/test_scenarios_accounts.py::test_scenario_20_the_session_id_rotates_on_sign_in_and_on_reauthentication",
        f"{PROOF}/test_scenarios_accounts.py::test_scenario_20_cookies_are_secure_httponly_and_samesite_under_production_settings",
    ],
    # Operations and faults -------------------------------------------------------------------
    21: [
        f"{CORE}/test_settings.py::test_check_deploy_with_production_settings_prints_no_warning",
    ],
    22: [
        f"{PROOF}/test_scenarios_faults.py::test_scenario_22_broker_down_at_approval_the_approval_stands_and_the_email_goes_later",
        f"{CORE}/test_outbox.py::test_the_sweeper_requeues_lost_and_abandoned_emails",
        "bench:redis",
    ],
    23: [
        f"{PROOF}/test_scenarios_workers.py::test_scenario_23_sigkill_of_the_pool_child_mid_send_delivers_the_decision_email_once",
        f"{LNK}/test_kill_drill.py::test_sigkill_mid_batch_loses_nothing_and_duplicates_nothing",
        "bench:pool-child",
    ],
    24: [
        f"{LNK}/test_kill_drill.py::test_sigkill_mid_batch_loses_nothing_and_duplicates_nothing",
        f"{PROOF}/test_scenarios_workers.py::test_scenario_24_no_countdown_outlives_the_visibility_timeout",
        f"{CORE}/test_outbox.py::test_delivering_twice_sends_once",
        f"{LNK}/test_concurrency.py::test_parallel_processing_runs_the_request_once",
        "bench:worker",
    ],
    25: [
        f"{CORE}/test_outbox.py::test_a_failing_mail_server_is_retried_then_becomes_a_dead_letter",
        f"{PROOF}/test_scenarios_faults.py::test_scenario_25_smtp_failing_3_times_is_retried_with_backoff_and_jitter_then_sent_once",
        f"{PROOF}/test_scenarios_faults.py::test_scenario_25_a_dead_mail_server_ends_in_a_visible_dead_letter_and_keeps_the_approval",
    ],
    26: [
        f"{CORE}/test_pages.py::test_an_unexpected_error_shows_the_portal_error_page_without_internals",
        f"{PROOF}/test_scenarios_faults.py::test_scenario_26_an_exception_inside_a_decision_shows_a_correlation_id_and_undoes_it_all",
        f"{PROOF}/test_scenarios_faults.py::test_scenario_26_two_errors_get_two_correlation_ids",
    ],
    27: [
        f"{ACC}/test_no_secrets.py::test_a_username_with_cr_lf_is_logged_on_one_escaped_line",
        f"{ACC}/test_no_secrets.py::test_the_filter_escapes_controls_and_redacts_emailed_keys",
        f"{ACC}/test_no_secrets.py::test_every_configured_handler_has_the_filter",
    ],
    28: [
        f"{ACC}/test_no_secrets.py::test_sign_in_outcomes_are_logged_with_where_and_why_never_the_password",
        f"{ACC}/test_no_secrets.py::test_an_accounts_whole_life_leaves_no_secret_in_logs_or_database",
        f"{PROOF}/test_scenarios_faults.py::test_scenario_28_sign_ins_lockouts_links_and_decisions_are_logged_who_what_when_where",
    ],
    29: [
        f"{ACC}/test_mfa.py::test_a_password_reset_does_not_bypass_mfa",
        f"{PROOF}/test_scenarios_accounts.py::test_scenario_29_a_reset_link_older_than_its_lifetime_is_refused",
        f"{PROOF}/test_scenarios_accounts.py::test_scenario_29_a_used_reset_link_is_refused",
        f"{PROOF}/test_scenarios_accounts.py::test_scenario_29_guessing_a_reset_key_1000_times_is_refused_and_throttled",
        f"{PROOF}/test_scenarios_accounts.py::test_scenario_29_the_reset_key_throttle_is_per_address",
        f"{LNK}/test_reset.py::test_an_expired_link_is_refused",
        f"{LNK}/test_reset.py::test_a_forged_link_is_refused",
        f"{LNK}/test_reset.py::test_requests_are_rate_limited_per_login",
    ],
    30: [
        f"{ACC}/test_signin_security.py::test_one_address_trying_many_accounts_is_stopped_before_hashing",
        f"{LNK}/test_credentials.py::test_the_pacer_account_limit_answers_before_hashing",
        f"{LNK}/test_credentials.py::test_the_ip_limit_answers_before_hashing",
        "bench:scenario30",
    ],
}

# The drills behind the ``bench:`` entries: the command, run from the project folder (its
# first word is a file under bench/; the words after it name the drill inside that file).
BENCH_DRILLS: dict[str, dict] = {
    "bench:redis": {"command": "bench/fault_drills.py --drill redis"},
    "bench:pool-child": {"command": "bench/fault_drills.py --drill pool-child"},
    "bench:worker": {"command": "bench/fault_drills.py --drill worker"},
    "bench:scenario30": {"command": "bench/surge.py scenario30"},
}


def node_ids(number: int) -> list[str]:
    """The pytest node ids of scenario ``number`` (its ``bench:`` drills left out)."""
    return [entry for entry in SCENARIOS[number] if not entry.startswith("bench:")]


if __name__ == "__main__":
    print(" ".join(node_ids(int(sys.argv[1]))))  # noqa: T201 (a command-line helper)

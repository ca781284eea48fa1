"""The registry of audit event types: every ``AuditEvent.event_type`` Tandem writes is one of
these. Services name an event as ``Event.PERSON_CREATED``, never as a free string;
``audit_event_record`` refuses a type that is not registered here, and a test keeps the source
free of event-type strings outside this module.

The values are what the audit trail stores (and what the DPO's pages and the exports show):
never change a value, only add new ones. Naming: ``<subject>.<what happened>``; a change made
in the Django admin ends in ``.admin``.
"""

from __future__ import annotations

from enum import StrEnum


class Event(StrEnum):
    # The partner API (issue 19): clients registered, tokens issued (never the token) and revoked.
    API_CLIENT_REGISTERED = "api.client_registered"
    API_CLIENT_UPDATED = "api.client_updated"
    API_TOKEN_ISSUED = "api.token_issued"  # noqa: S105 (an event name, not a secret)
    API_TOKEN_REVOKED = "api.token_revoked"  # noqa: S105 (an event name, not a secret)
    # A status upload (its key, the body's digest and the counts: the upload's idempotency record).
    API_STATUS_UPLOADED = "api.status_uploaded"

    CALL_CREATED = "call.created"
    CALL_CREATED_ADMIN = "call.created.admin"
    CALL_DELETED_ADMIN = "call.deleted.admin"
    CALL_TARGET_CREATED = "call.target_created"
    CALL_TARGET_UPDATED = "call.target_updated"
    CALL_UPDATED = "call.updated"
    CALL_UPDATED_ADMIN = "call.updated.admin"

    CHECKLIST_DRAFT_CREATED = "checklist.draft_created"
    CHECKLIST_PUBLISHED = "checklist.published"

    CONSENT_GIVEN = "consent.given"
    CONSENT_WITHDRAWN = "consent.withdrawn"

    CONTACT_PLANNED = "contact.planned"
    CONTACT_RECORDED = "contact.recorded"
    CONTACT_STATUS_CHANGED = "contact.status_changed"

    DIRECTORY_IMPORTED = "directory.imported"
    DIRECTORY_LOCATION_CREATED = "directory.location_created"
    DIRECTORY_ORGANISATION_UPDATED = "directory.organisation_updated"
    DIRECTORY_SERVICE_CREATED = "directory.service_created"
    DIRECTORY_SERVICE_LOCATION_ADDED = "directory.service_location_added"
    DIRECTORY_SERVICE_LOCATION_REMOVED = "directory.service_location_removed"
    DIRECTORY_SERVICE_UPDATED = "directory.service_updated"

    EMPLOYER_CREATED = "employer.created"

    EXPERT_LOGGED = "expert.logged"
    EXPERT_REQUESTED = "expert.requested"
    EXPERT_RESPONDED = "expert.responded"

    FUNDING_EXCEPTION_RECORDED = "funding.exception_recorded"

    GROUPWORK_ACCEPTED = "groupwork.accepted"
    GROUPWORK_ATTENDANCE_RECORDED = "groupwork.attendance_recorded"
    GROUPWORK_COMPLETED = "groupwork.completed"
    GROUPWORK_DECLINED = "groupwork.declined"
    GROUPWORK_DROPOUT_ACKNOWLEDGED = "groupwork.dropout_acknowledged"
    GROUPWORK_DROPOUT_SIGNAL = "groupwork.dropout_signal"
    GROUPWORK_INTAKE_PLANNED = "groupwork.intake_planned"
    GROUPWORK_LEFT = "groupwork.left"
    GROUPWORK_MODULE_SAVED = "groupwork.module_saved"
    GROUPWORK_NETWORK_MAP_SAVED = "groupwork.network_map_saved"
    GROUPWORK_NOTE_WRITTEN = "groupwork.note_written"
    GROUPWORK_PLACED_FROM_WAITING_LIST = "groupwork.placed_from_waiting_list"
    GROUPWORK_POP_INPUT_ADOPTED = "groupwork.pop_input_adopted"
    GROUPWORK_POP_INPUT_WRITTEN = "groupwork.pop_input_written"
    GROUPWORK_PROGRAMME_CREATED = "groupwork.programme_created"
    GROUPWORK_PROGRAMME_UPDATED = "groupwork.programme_updated"
    GROUPWORK_REQUESTED = "groupwork.requested"
    GROUPWORK_SELF_ASSESSMENT_SAVED = "groupwork.self_assessment_saved"
    GROUPWORK_SESSION_UPDATED = "groupwork.session_updated"

    HOUSEHOLD_CIRCUMSTANCES_UPDATED = "household.circumstances_updated"
    HOUSEHOLD_UPDATED = "household.updated"

    INTAKE_CREATED = "intake.created"
    INTAKE_STATUS_CHANGED = "intake.status_changed"

    JOB_ENDED = "job.ended"
    JOB_RETENTION_CHECKED = "job.retention_checked"
    JOB_STARTED = "job.started"

    JOBCOACHING_CONTACT = "jobcoaching.contact"
    JOBCOACHING_STARTED = "jobcoaching.started"

    MEASUREMENT_RECORDED = "measurement.recorded"

    # Any change made in the Django admin (tandem.accounts.admin_site), besides the specific
    # event some admins record: which model, which object (its id), which fields.
    OBJECT_CREATED_ADMIN = "object.created.admin"
    OBJECT_DELETED_ADMIN = "object.deleted.admin"
    OBJECT_UPDATED_ADMIN = "object.updated.admin"

    ORGANISATION_CREATED = "organisation.created"

    OUTCOMES_STATUS_IMPORTED = "outcomes.status_imported"
    OUTCOMES_TRAJECTORIES_IMPORTED = "outcomes.trajectories_imported"

    OUTREACH_CONTACT_LOGGED = "outreach.contact_logged"
    OUTREACH_PLACE_CREATED = "outreach.place_created"
    OUTREACH_PLACE_UPDATED = "outreach.place_updated"
    OUTREACH_PROSPECT_CONVERTED = "outreach.prospect_converted"
    OUTREACH_PROSPECT_LINKED = "outreach.prospect_linked"

    PERSON_ASSIGNED = "person.assigned"
    PERSON_CREATED = "person.created"
    PERSON_ERASED = "person.erased"
    PERSON_EXPORTED = "person.exported"
    PERSON_INSZ_RATE_LIMITED = "person.insz_rate_limited"
    PERSON_INSZ_REFUSED = "person.insz_refused"
    PERSON_UPDATED = "person.updated"

    PLAN_ACTION_CREATED = "plan.action_created"
    PLAN_ACTION_STATUS = "plan.action_status"
    PLAN_GOAL_CREATED = "plan.goal_created"

    POP_DRAFTED = "pop.drafted"
    POP_REROUTE_JUSTIFIED = "pop.reroute_justified"
    POP_SIGNED_OFF = "pop.signed_off"
    POP_UPDATED = "pop.updated"

    PRIVACY_REQUEST_EXTENDED = "privacy_request.extended"
    PRIVACY_REQUEST_RECEIVED = "privacy_request.received"
    PRIVACY_REQUEST_STATUS_CHANGED = "privacy_request.status_changed"

    PROJECT_CREATED = "project.created"
    PROJECT_CREATED_ADMIN = "project.created.admin"
    PROJECT_DELETED_ADMIN = "project.deleted.admin"
    PROJECT_TARGET_CREATED = "project.target_created"
    PROJECT_TARGET_UPDATED = "project.target_updated"
    PROJECT_UPDATED = "project.updated"
    PROJECT_UPDATED_ADMIN = "project.updated.admin"

    REFERRAL_SENT = "referral.sent"
    REFERRAL_SENT_WITHOUT_CONSENT = "referral.sent_without_consent"
    REFERRAL_STATUS_CHANGED = "referral.status_changed"
    REFERRAL_UPDATED = "referral.updated"

    RETENTION_APPLIED = "retention.applied"

    SCREENING_CONDUCTED = "screening.conducted"
    SCREENING_REFERRED = "screening.referred"
    SCREENING_ROUTE_CHOSEN = "screening.route_chosen"

    TRAJECTORY_DATES_CORRECTED = "trajectory.dates_corrected"
    TRAJECTORY_HANDED_OVER = "trajectory.handed_over"
    TRAJECTORY_PARTNER_CHANGED = "trajectory.partner_changed"
    TRAJECTORY_PROJECT_CHANGED = "trajectory.project_changed"
    TRAJECTORY_RESPONSIBILITY = "trajectory.responsibility"
    TRAJECTORY_STARTED = "trajectory.started"
    TRAJECTORY_STATUS_CHANGED = "trajectory.status_changed"

    USER_CREATED = "user.created"
    USER_ORGANISATION_CHANGED_ADMIN = "user.organisation_changed.admin"
    USER_PASSWORD_CHANGED = "user.password_changed"  # noqa: S105 - an event name
    USER_PASSWORD_RESET = "user.password_reset"  # noqa: S105 - an event name
    USER_PASSWORD_RESET_LINK_ISSUED = "user.password_reset_link_issued"  # noqa: S105 - an event name
    USER_ROLES_CHANGED_ADMIN = "user.roles_changed.admin"
    USER_OTP_DEVICE_CONFIRMED = "user.otp_device_confirmed"
    USER_OTP_VERIFIED = "user.otp_verified"
    USER_ENROLMENT_CODE_ISSUED = "user.enrolment_code_issued"
    USER_ENROLMENT_CODE_USED = "user.enrolment_code_used"
    USER_DEVICES_RESET = "user.devices_reset"
    USER_RECOVERY_CODES_GENERATED = "user.recovery_codes_generated"
    USER_RECOVERY_CODE_USED = "user.recovery_code_used"
    USER_PASSKEY_REGISTERED = "user.passkey_registered"


EVENT_TYPES: frozenset[str] = frozenset(e.value for e in Event)


def event_type_checked(event_type: str) -> str:
    """The stored value of a registered event type; ``ValueError`` for any other string."""
    try:
        return Event(event_type).value
    except ValueError:
        raise ValueError(f"unregistered audit event type: {event_type!r}") from None

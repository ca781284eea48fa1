"""The pages bench_pages.py measures: who opens them, how, and each one's floor.

A floor is one hand-written SQL query (named parameters from ``Fixtures.values``) that fetches
what the page shows, the fastest way the schema allows: the scoped rows of its first page with
the columns shown (the visibility scope written as a ``UNION`` of indexed branches), or the
same aggregates with one ``GROUP BY``. Several panels or tables come back as one row of JSON
arrays. A floor does not render, log or check access: the ratio page/floor is what the
application adds to the database's own work."""

# ruff: noqa: S608 - the floors are fixed SQL put together from constants; values are parameters

from __future__ import annotations

from collections.abc import Callable

from bench.bench_pages import Fixtures, Page

# The persons the mediator's organisation sees: registered by it, or assigned to it.
SCOPE = """scope AS (
  SELECT id FROM registry_person WHERE organisation_id = %(mediator_org)s
  UNION SELECT person_id FROM registry_personassignment WHERE organisation_id = %(mediator_org)s)"""
# The same, checked row by row where the rows come from elsewhere (a user's trajectories, a
# name, a number): both branches are index lookups.
VISIBLE = """(p.organisation_id = %(mediator_org)s OR EXISTS (SELECT 1
  FROM registry_personassignment pa WHERE pa.person_id = p.id
  AND pa.organisation_id = %(mediator_org)s))"""
OPEN_REFERRAL = "('sent', 'accepted', 'in_progress')"

HOME = f"""WITH {SCOPE},
mine AS (SELECT t.id, t.public_id, t.person_id FROM trajectories_trajectory t
         WHERE (t.lead_mediator_id = %(mediator)s OR t.welfare_partner_id = %(mediator)s)
           AND t.status <> 'closed')
SELECT
 (SELECT json_build_array(count(*), count(*) FILTER (WHERE p.created_at >= %(month_start)s),
                          count(*) FILTER (WHERE p.registration = 'non_active'))
    FROM registry_person p JOIN scope s ON s.id = p.id WHERE p.first_name <> ''),
 (SELECT json_agg(x) FROM (
    SELECT i.public_id, i.urgency, i.created_at, p.first_name, p.last_name FROM registry_intake i
    JOIN registry_person p ON p.id = i.person_id
    WHERE i.office_id = %(mediator_org)s AND i.status = 'waiting'
    ORDER BY i.created_at LIMIT 10) x),
 (SELECT json_agg(x) FROM (
    SELECT c."on", c.at, c.kind, t.public_id, p.first_name, p.last_name
    FROM trajectories_contact c JOIN mine t ON t.id = c.trajectory_id
    JOIN registry_person p ON p.id = t.person_id
    WHERE c.status = 'planned' AND c."on" <= %(today)s + 7
    ORDER BY c."on", c.at LIMIT 10) x),
 (SELECT json_agg(x) FROM (
    SELECT a.description, a.due_on, t.public_id, p.first_name, p.last_name
    FROM trajectories_action a JOIN trajectories_goal g ON g.id = a.goal_id
    JOIN mine t ON t.id = g.trajectory_id JOIN registry_person p ON p.id = t.person_id
    WHERE a.status = 'open' AND a.due_on < %(today)s ORDER BY a.due_on LIMIT 10) x),
 (SELECT json_agg(x) FROM (
    SELECT r.public_id, r.status, r.last_update_at, p.first_name, p.last_name
    FROM network_referral r JOIN mine t ON t.id = r.trajectory_id
    JOIN registry_person p ON p.id = r.person_id
    WHERE r.status IN {OPEN_REFERRAL} ORDER BY r.last_update_at LIMIT 10) x),
 (SELECT json_agg(x) FROM (
    SELECT t.public_id, p.first_name, p.last_name, max(c."on") AS last_contact
    FROM mine t JOIN registry_person p ON p.id = t.person_id
    LEFT JOIN trajectories_contact c ON c.trajectory_id = t.id AND c.status = 'held'
    GROUP BY t.public_id, p.first_name, p.last_name
    HAVING coalesce(max(c."on"), '2000-01-01') < %(today)s - 30
    ORDER BY 4 NULLS FIRST LIMIT 10) x)"""

CASELOAD = f"""SELECT t.public_id, t.type, t.status, t.start_date, p.first_name, p.last_name,
  p.public_id, m.first_name, m.last_name, w.first_name, w.last_name,
  (SELECT count(*) FROM trajectories_action a JOIN trajectories_goal g ON g.id = a.goal_id
    WHERE g.trajectory_id = t.id AND a.status = 'open'),
  (SELECT count(*) FROM trajectories_action a JOIN trajectories_goal g ON g.id = a.goal_id
    WHERE g.trajectory_id = t.id AND a.status = 'open' AND a.due_on < %(today)s),
  (SELECT max(c."on") FROM trajectories_contact c WHERE c.trajectory_id = t.id
    AND c.status = 'held' AND c.kind <> 'note'),
  (SELECT c."on" FROM trajectories_contact c WHERE c.trajectory_id = t.id
    AND c.status = 'planned' ORDER BY c."on", c.at LIMIT 1),
  (SELECT s.lights FROM screening_screening s WHERE s.person_id = t.person_id
    ORDER BY s.conducted_on DESC, s.created_at DESC LIMIT 1),
  (SELECT count(*) FROM network_referral r WHERE r.trajectory_id = t.id
    AND r.status IN {OPEN_REFERRAL} AND r.last_update_at < %(today)s - 14)
FROM trajectories_trajectory t JOIN registry_person p ON p.id = t.person_id
JOIN accounts_user m ON m.id = t.lead_mediator_id
LEFT JOIN accounts_user w ON w.id = t.welfare_partner_id
WHERE t.status <> 'closed' AND p.first_name <> '' AND {VISIBLE}
  AND (t.lead_mediator_id = %(mediator)s OR t.welfare_partner_id = %(mediator)s)
ORDER BY p.last_name, p.first_name, t.id LIMIT 50"""

PERSON_FILE = """SELECT p.*,
 (SELECT json_agg(m) FROM registry_householdmember m WHERE m.household_id = p.household_id),
 (SELECT json_agg(i) FROM registry_incomecomponent i WHERE i.household_id = p.household_id),
 (SELECT json_agg(x) FROM (SELECT s.public_id, s.conducted_on, s.lights FROM screening_screening s
    WHERE s.person_id = p.id ORDER BY s.conducted_on DESC LIMIT 10) x),
 (SELECT json_agg(x) FROM (SELECT t.public_id, t.type, t.status, t.start_date, t.end_date,
    (SELECT json_agg(c ORDER BY c."on") FROM trajectories_statuschange c
      WHERE c.trajectory_id = t.id) AS changes
    FROM trajectories_trajectory t WHERE t.person_id = p.id ORDER BY t.start_date DESC) x),
 (SELECT json_agg(c) FROM network_consent c WHERE c.person_id = p.id)
FROM registry_person p WHERE p.id = %(person)s"""

TRAJECTORY = """SELECT t.*, p.first_name, p.last_name, p.birth_date, p.public_id,
 m.first_name, m.last_name, w.first_name, w.last_name,
 (SELECT json_agg(x) FROM (SELECT g.id, g.domain, g.description,
    (SELECT json_agg(a ORDER BY a.due_on, a.id) FROM trajectories_action a WHERE a.goal_id = g.id)
    FROM trajectories_goal g WHERE g.trajectory_id = t.id ORDER BY g.id) x),
 (SELECT json_agg(x) FROM (SELECT c."on", c.at, c.kind, c.status, c.domain, c.text
    FROM trajectories_contact c WHERE c.trajectory_id = t.id
    ORDER BY c."on" DESC, c.id DESC LIMIT 20) x),
 (SELECT json_agg(x) FROM (SELECT a."on", r.domain, r.level FROM trajectories_assessment a
    JOIN trajectories_reading r ON r.assessment_id = a.id WHERE a.trajectory_id = t.id) x),
 (SELECT json_agg(x) FROM (SELECT r.public_id, r.status, r.sent_at, r.action_id
    FROM network_referral r WHERE r.trajectory_id = t.id) x),
 (SELECT json_agg(x) FROM (SELECT e.public_id, e.status, e.module_id FROM groupwork_enrolment e
    WHERE e.trajectory_id = t.id) x),
 (SELECT json_agg(c ORDER BY c."on") FROM trajectories_statuschange c WHERE c.trajectory_id = t.id)
FROM trajectories_trajectory t JOIN registry_person p ON p.id = t.person_id
JOIN accounts_user m ON m.id = t.lead_mediator_id
LEFT JOIN accounts_user w ON w.id = t.welfare_partner_id
WHERE t.id = %(trajectory)s"""

# The name's rows first (the trigram index where there is one), then scope and order: the
# planner left alone walks the name index for the ORDER BY and filters 2/3 of the persons.
SEARCH_NAME = f"""WITH hits AS MATERIALIZED (SELECT * FROM registry_person
  WHERE search_key LIKE %(search_like)s AND first_name <> '')
SELECT p.public_id, p.first_name, p.last_name, p.birth_date, p.insz, p.municipality, o.name
FROM hits p JOIN accounts_organisation o ON o.id = p.organisation_id
WHERE {VISIBLE}
ORDER BY p.last_name, p.first_name, p.birth_date, p.id LIMIT 25"""

SEARCH_INSZ = f"""SELECT p.public_id, p.first_name, p.last_name, p.birth_date, p.insz,
  p.municipality, o.name
FROM registry_person p JOIN accounts_organisation o ON o.id = p.organisation_id
WHERE p.insz = %(insz)s AND p.first_name <> '' AND {VISIBLE}"""

REFERRAL_INBOX = f"""SELECT r.public_id, r.status, r.sent_at, r.last_update_at, r.domains,
  r.question, p.first_name, p.last_name, o.name, sv.name, u.first_name, u.last_name
FROM network_referral r JOIN registry_person p ON p.id = r.person_id
JOIN accounts_organisation o ON o.id = r.organisation_id
JOIN network_service sv ON sv.id = r.service_id
JOIN accounts_user u ON u.id = r.sent_by_id
WHERE r.receiving_organisation_id = %(welfare_org)s AND r.status IN {OPEN_REFERRAL}
ORDER BY r.sent_at DESC, r.id DESC LIMIT 25"""

REFERRAL_SENT = f"""SELECT r.public_id, r.status, r.sent_at, r.last_update_at, p.first_name,
  p.last_name, o.name, sv.name, t.public_id, r.last_update_at < %(today)s - 14 AS late
FROM network_referral r JOIN registry_person p ON p.id = r.person_id
JOIN trajectories_trajectory t ON t.id = r.trajectory_id
JOIN accounts_organisation o ON o.id = r.receiving_organisation_id
JOIN network_service sv ON sv.id = r.service_id
WHERE r.organisation_id = %(mediator_org)s AND r.status IN {OPEN_REFERRAL} AND {VISIBLE}
ORDER BY late DESC, r.last_update_at, r.id LIMIT 25"""

GROUP = """SELECT i.starts_on, m.name, m.capacity, pr.name,
 (SELECT json_agg(s ORDER BY s."on", s.number) FROM groupwork_groupsession s
   WHERE s.intake_id = i.id),
 (SELECT json_agg(x) FROM (SELECT e.public_id, e.status, p.first_name, p.last_name,
    u.first_name AS mediator, u.last_name AS mediator_last,
    count(a.id) FILTER (WHERE a.status = 'absent') AS absences,
    count(a.id) FILTER (WHERE a.status = 'present') AS presences
    FROM groupwork_enrolment e JOIN trajectories_trajectory t ON t.id = e.trajectory_id
    JOIN registry_person p ON p.id = t.person_id JOIN accounts_user u ON u.id = t.lead_mediator_id
    LEFT JOIN groupwork_attendance a ON a.enrolment_id = e.id
    WHERE e.intake_id = i.id AND e.status IN ('placed', 'completed', 'left') AND p.first_name <> ''
    GROUP BY e.id, p.first_name, p.last_name, u.first_name, u.last_name
    ORDER BY p.first_name, p.last_name) x)
FROM groupwork_intakemoment i JOIN groupwork_module m ON m.id = i.module_id
JOIN groupwork_programme pr ON pr.id = m.programme_id
JOIN groupwork_programme_coaches c ON c.programme_id = pr.id AND c.user_id = %(coach)s
WHERE i.id = %(intake)s"""

COACH_INBOX = """WITH coached AS (SELECT m.id, m.name, pr.name AS programme FROM groupwork_module m
  JOIN groupwork_programme pr ON pr.id = m.programme_id
  JOIN groupwork_programme_coaches c ON c.programme_id = pr.id AND c.user_id = %(coach)s)
SELECT
 (SELECT json_agg(x) FROM (SELECT e.public_id, e.requested_on, e.request_note, m.name,
    m.programme, p.first_name, p.last_name, u.first_name AS by_first, u.last_name AS by_last
    FROM groupwork_enrolment e JOIN coached m ON m.id = e.module_id
    JOIN trajectories_trajectory t ON t.id = e.trajectory_id
    JOIN registry_person p ON p.id = t.person_id JOIN accounts_user u ON u.id = e.requested_by_id
    WHERE e.status = 'requested' AND p.first_name <> ''
    ORDER BY e.requested_on, e.id LIMIT 25) x),
 (SELECT json_agg(x) FROM (SELECT e.public_id, e.waiting_since, m.name, m.programme,
    p.first_name, p.last_name,
    row_number() OVER (PARTITION BY e.module_id ORDER BY e.waiting_since, e.id) AS position
    FROM groupwork_enrolment e JOIN coached m ON m.id = e.module_id
    JOIN trajectories_trajectory t ON t.id = e.trajectory_id
    JOIN registry_person p ON p.id = t.person_id
    WHERE e.status = 'waiting' AND p.first_name <> ''
    ORDER BY m.programme, m.name, e.waiting_since, e.id LIMIT 25) x),
 (SELECT json_agg(x) FROM (SELECT s."on", s.starts_at, s.number, m.name
    FROM groupwork_groupsession s JOIN groupwork_intakemoment i ON i.id = s.intake_id
    JOIN coached m ON m.id = i.module_id WHERE s."on" >= %(today)s
    ORDER BY s."on", s.starts_at LIMIT 10) x)"""

PROGRAMME_DASHBOARD = """SELECT
 (SELECT json_agg(x) FROM (SELECT province, count(*) FROM registry_person
    WHERE first_name <> '' GROUP BY province) x),
 (SELECT json_agg(x) FROM (SELECT extract(year FROM start_date) AS year, type, status,
    count(*) FROM trajectories_trajectory GROUP BY 1, 2, 3) x),
 (SELECT json_agg(x) FROM (SELECT to_status, extract(year FROM "on") AS year, count(*)
    FROM trajectories_statuschange GROUP BY 1, 2) x),
 (SELECT json_agg(x) FROM (SELECT pj.id, pj.code, pj.budget, pj.esf_amount, o.name,
    (SELECT count(DISTINCT t.person_id) FROM trajectories_trajectory t
      WHERE t.project_id = pj.id) AS participants
    FROM programmes_project pj JOIN accounts_organisation o ON o.id = pj.promoter_id) x)"""

ESF_INDICATORS = """WITH stays AS (
  SELECT t.person_id, t.start_date AS start, t.end_date AS "end" FROM trajectories_trajectory t
  WHERE t.project_id = %(project)s
  UNION ALL
  SELECT t.person_id, e.placed_on, e.ended_on FROM groupwork_enrolment e
  JOIN groupwork_module m ON m.id = e.module_id
  JOIN groupwork_programme g ON g.id = m.programme_id
  JOIN trajectories_trajectory t ON t.id = e.trajectory_id
  WHERE g.project_id = %(project)s AND e.placed_on IS NOT NULL),
participant AS (SELECT person_id, min(start) AS entry,
  CASE WHEN bool_and("end" IS NOT NULL) THEN max("end") END AS exit
  FROM stays GROUP BY person_id)
SELECT p.gender, p.registration, p.education, p.disability, p.nationality_group,
  p.foreign_background,
  CASE WHEN age(x.entry, p.birth_date) < interval '18 years' THEN 'u18'
       WHEN age(x.entry, p.birth_date) < interval '30 years' THEN '18-29'
       WHEN age(x.entry, p.birth_date) >= interval '55 years' THEN '55+' ELSE '' END,
  x.exit IS NOT NULL, count(*)
FROM participant x JOIN registry_person p ON p.id = x.person_id
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8"""

OUTCOMES_TABLE = """SELECT type, province, extract(year FROM end_date) AS year, group_work,
  count(*),
  count(*) FILTER (WHERE day_6 < %(today)s),
  count(*) FILTER (WHERE day_6 < %(today)s AND status_6 LIKE 'employed%%'),
  count(*) FILTER (WHERE day_12 < %(today)s),
  count(*) FILTER (WHERE day_12 < %(today)s AND status_12 LIKE 'employed%%'),
  count(*) FILTER (WHERE day_24 < %(today)s),
  count(*) FILTER (WHERE day_24 < %(today)s AND status_24 LIKE 'employed%%')
FROM outcomes_trajectoryoutcome GROUP BY 1, 2, 3, 4"""

# Without the outcome table: the status of each ended trajectory's person on the +6/+12/+24
# month days, looked up with the (person, date) index.
OUTCOMES_RAW = """SELECT t.type, p.province, extract(year FROM t.end_date) AS year, count(*),
  count(s6.status) FILTER (WHERE s6.status LIKE 'employed%%'),
  count(s12.status) FILTER (WHERE s12.status LIKE 'employed%%'),
  count(s24.status) FILTER (WHERE s24.status LIKE 'employed%%')
FROM trajectories_trajectory t JOIN registry_person p ON p.id = t.person_id
LEFT JOIN LATERAL (SELECT status FROM outcomes_statusevent e WHERE e.person_id = t.person_id
  AND e.date <= t.end_date + interval '6 months' ORDER BY e.date DESC LIMIT 1) s6 ON true
LEFT JOIN LATERAL (SELECT status FROM outcomes_statusevent e WHERE e.person_id = t.person_id
  AND e.date <= t.end_date + interval '12 months' ORDER BY e.date DESC LIMIT 1) s12 ON true
LEFT JOIN LATERAL (SELECT status FROM outcomes_statusevent e WHERE e.person_id = t.person_id
  AND e.date <= t.end_date + interval '24 months' ORDER BY e.date DESC LIMIT 1) s24 ON true
WHERE t.status = 'closed' GROUP BY 1, 2, 3"""


def outcomes_floor(tables: set[str]) -> str:
    return OUTCOMES_TABLE if "outcomes_trajectoryoutcome" in tables else OUTCOMES_RAW


GROUPWORK_FIGURES = """SELECT
 (SELECT json_agg(x) FROM (SELECT e.module_id, e.status, count(*),
    percentile_cont(0.5) WITHIN GROUP (ORDER BY e.placed_on - e.requested_on)
    FROM groupwork_enrolment e GROUP BY 1, 2) x),
 (SELECT json_agg(x) FROM (SELECT i.module_id, i.starts_on, count(e.id)
    FROM groupwork_intakemoment i LEFT JOIN groupwork_enrolment e ON e.intake_id = i.id
    GROUP BY i.id) x),
 (SELECT json_agg(x) FROM (SELECT a.status, count(*) FROM groupwork_attendance a
    GROUP BY 1) x)"""

REFERRAL_FIGURES = """SELECT r.receiving_organisation_id, r.service_id, r.status, count(*),
  percentile_cont(0.5) WITHIN GROUP (ORDER BY a.first_answer - r.sent_at)
FROM network_referral r
LEFT JOIN LATERAL (SELECT min(c.at) AS first_answer FROM network_referralstatuschange c
  WHERE c.referral_id = r.id AND c.to_status <> 'sent') a ON true
WHERE r.sent_at >= %(year_ago)s
GROUP BY 1, 2, 3"""

DATA_QUALITY = """SELECT
 (SELECT json_build_array(count(*), count(*) FILTER (WHERE insz IS NULL),
    count(*) FILTER (WHERE education = 'unknown'), count(*) FILTER (WHERE disability = 'not_asked'),
    count(*) FILTER (WHERE household_id IS NULL))
  FROM registry_person WHERE first_name <> ''),
 (SELECT json_build_array(count(*), count(*) FILTER (WHERE status = 'closed'
      AND closure_reason = 'other'),
    count(*) FILTER (WHERE status <> 'closed' AND NOT EXISTS (SELECT 1 FROM trajectories_contact c
      WHERE c.trajectory_id = t.id)))
  FROM trajectories_trajectory t)"""

ACCESS_LOG = """WITH tree AS (SELECT id FROM accounts_organisation
  WHERE id = %(dpo_org)s OR parent_id = %(dpo_org)s)
SELECT l.at, l.what, l.purpose, l.roles, u.username, o.name, p.first_name, p.last_name,
  p.public_id
FROM audit_accesslog l JOIN registry_person p ON p.id = l.person_id
LEFT JOIN accounts_user u ON u.id = l.user_id
LEFT JOIN accounts_organisation o ON o.id = l.organisation_id
WHERE p.organisation_id IN (SELECT id FROM tree) {period}
ORDER BY l.at DESC, l.id DESC LIMIT 25"""


def _get(url: str) -> Callable[[Fixtures], str]:
    return lambda fx: url


PAGES: list[Page] = [
    Page("home", "home (worklist)", "demo_mediator", _get("/"), HOME),
    Page(
        "caseload",
        "caseload",
        "demo_mediator",
        _get("/trajectories/caseload/"),
        CASELOAD,
    ),
    Page(
        "person_file",
        "person file",
        "demo_mediator",
        lambda fx: f"/persons/{fx.values['person_public']}/",
        PERSON_FILE,
    ),
    Page(
        "trajectory",
        "trajectory",
        "demo_mediator",
        lambda fx: f"/trajectories/{fx.values['trajectory_public']}/",
        TRAJECTORY,
    ),
    Page(
        "search_name",
        "person search: name",
        "demo_mediator",
        _get("/persons/"),
        SEARCH_NAME,
        post=lambda fx: {"text": fx.values["search_text"], "insz": "", "municipality": ""},
    ),
    Page(
        "search_insz",
        "person search: national number",
        "demo_mediator",
        _get("/persons/"),
        SEARCH_INSZ,
        post=lambda fx: {"text": "", "insz": fx.values["insz"], "municipality": ""},
    ),
    Page(
        "referral_inbox",
        "referral inbox",
        "demo_welfare_partner",
        _get("/referrals/inbox/"),
        REFERRAL_INBOX,
    ),
    Page(
        "referral_sent",
        "referrals sent",
        "demo_mediator",
        _get("/referrals/sent/"),
        REFERRAL_SENT,
    ),
    Page(
        "group",
        "group (coach)",
        "demo_group_coach",
        lambda fx: f"/groupwork/groups/{fx.values['intake']}/",
        GROUP,
    ),
    Page(
        "coach_inbox",
        "coach's requests and waiting lists",
        "demo_group_coach",
        _get("/groupwork/requests/"),
        COACH_INBOX,
    ),
    Page(
        "programme_dashboard",
        "programme dashboard",
        "demo_programme_manager",
        _get("/programmes/dashboard/"),
        PROGRAMME_DASHBOARD,
    ),
    Page(
        "esf_indicators",
        "ESF+ indicators",
        "demo_programme_manager",
        lambda fx: f"/programmes/projects/{fx.values['project_code']}/indicators/",
        ESF_INDICATORS,
    ),
    Page(
        "outcomes",
        "outcomes dashboard",
        "demo_programme_manager",
        _get("/outcomes/"),
        outcomes_floor,
    ),
    Page(
        "groupwork_figures",
        "group-work figures",
        "demo_programme_manager",
        _get("/groupwork/figures/"),
        GROUPWORK_FIGURES,
    ),
    Page(
        "referral_figures",
        "referral figures",
        "demo_programme_manager",
        _get("/referrals/figures/"),
        REFERRAL_FIGURES,
    ),
    Page(
        "data_quality",
        "data quality",
        "demo_programme_manager",
        _get("/outcomes/quality/"),
        DATA_QUALITY,
    ),
    Page(
        "access_log",
        "access log: all (DPO)",
        "demo_data_protection_officer",
        _get("/audit/access/"),
        ACCESS_LOG.format(period=""),
        post=lambda fx: {"person": "", "username": "", "purpose": ""},
    ),
    Page(
        "access_log_month",
        "access log: this month (DPO)",
        "demo_data_protection_officer",
        _get("/audit/access/"),
        ACCESS_LOG.format(period="AND l.at >= %(month_start)s"),
        post=lambda fx: {
            "person": "",
            "username": "",
            "purpose": "",
            "date_from": fx.values["month_start"].strftime("%d/%m/%Y"),
            "date_to": fx.values["today"].strftime("%d/%m/%Y"),
        },
    ),
]

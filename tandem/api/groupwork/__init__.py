"""The group-work family: the coach's enrolment requests and their answers, the groups (intake
moments) and attendance per session."""

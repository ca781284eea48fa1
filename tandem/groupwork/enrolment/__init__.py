"""Enrolment in group work: planning a group (an intake moment with its sessions), the
mediator's request, the partner's decision with placement and the waiting list, attendance
with the drop-out signal, and what the coach writes for the mediator."""

"""Which roles may do what with person-level data, in one place.

Issue-level detail (the duo, consent, special categories) lands in the selectors later; these
sets are the coarse gate every person view passes first.
"""

from .models import Role

# Roles that open person files. Programme managers see aggregates only and administrators
# manage users and reference data: neither ever opens a person's file. Group coaches work with
# individual people too, but only through group work (``tandem.groupwork``), which shows what
# the group needs and never the file.
PERSON_READ_ROLES = frozenset(
    {
        Role.MEDIATOR,
        Role.WELFARE_PARTNER,
        Role.OUTREACH_WORKER,
        Role.EXPERIENCE_EXPERT,
        Role.JOB_COACH,
        Role.SERVICE_LINE,
    }
)

# Roles that register people or change their basic data and household.
PERSON_WRITE_ROLES = frozenset(
    {Role.MEDIATOR, Role.WELFARE_PARTNER, Role.OUTREACH_WORKER, Role.SERVICE_LINE}
)

# Roles whose work is scoped by the user's organisation: they see, register or are given people
# through it (the group coach the groups of the organisation's projects, the data-protection
# officer the access log of the organisation's persons). A user holding one of them must belong
# to an organisation: without one, every list is empty and registering a person is refused.
# Programme managers (aggregates over the programme) and administrators (users and reference
# data) need not; nor does a superuser without roles.
ORGANISATION_ROLES = PERSON_READ_ROLES | {Role.GROUP_COACH, Role.DATA_PROTECTION_OFFICER}

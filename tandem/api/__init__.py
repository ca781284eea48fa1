"""The partner API (issue 19): the pages' rules, machine-readable.

A partner system calls ``/api/v1/`` with a bearer token of an ``ApiClient``. The client acts as
its service user, a user of its organisation with one role: the one access layer
(``tandem.access.scope``) decides what it sees, the same services the pages use do the writes,
and every person returned writes an access-log row with the client's purpose. Each endpoint
family is a sub-package (``referrals/``) with its serializers, filters and views; ``urls.py``
mounts them. Conventions for a new family: ``/tmp`` notes aside, see ``views.ApiView``.
"""

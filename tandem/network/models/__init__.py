"""The partner network: consent (consent.py), the services directory after Open Referral HSDS
3.x (directory.py) and closed-loop referrals (referral.py)."""

from .consent import Consent, Evidence
from .directory import Location, Service, ServiceAtLocation, ServiceStatus, Taxonomy, TaxonomyTerm
from .referral import (
    OPEN_REFERRAL_STATUSES,
    REFERRAL_TRANSITIONS,
    Referral,
    ReferralStatus,
    ReferralStatusChange,
)

__all__ = [
    "OPEN_REFERRAL_STATUSES",
    "REFERRAL_TRANSITIONS",
    "Consent",
    "Evidence",
    "Location",
    "Referral",
    "ReferralStatus",
    "ReferralStatusChange",
    "Service",
    "ServiceAtLocation",
    "ServiceStatus",
    "Taxonomy",
    "TaxonomyTerm",
]

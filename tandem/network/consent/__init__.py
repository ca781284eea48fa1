"""Consent: what a person shares with which organisation (life domains, purpose, evidence),
given and withdrawn. The rule that decides what an organisation sees under a consent lives in
``tandem.access.scope``; these pages record and show the consents themselves."""

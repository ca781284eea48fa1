"""Closed-loop referrals: a plan action referred to a service of another organisation, with
what consent allows, followed through its state machine to an outcome."""

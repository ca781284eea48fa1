"""The intake queue of a VDAB office: a person referred to the office (by the service line's
or an outreach worker's screening, an outreach registration, or forwarded by another office)
waits in the office's queue with the sender's note and urgency until a mediator takes them
(for themself or a colleague of the office), sends them back, or forwards them to another
office, each with a reason. The item is new state (who took it, why it went back), so it is
stored; how long it has waited is derived (``tandem.common.workdays``)."""
